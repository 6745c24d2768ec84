//! Julian (Old Style) ⇄ Gregorian (New Style) conversion, for Russian dates before the
//! switch of 14 February 1918 (NS; 1 February OS). Gregorian dates are jiff's (proleptic
//! Gregorian); the Julian side is plain year/month/day through Julian day numbers.

use jiff::civil::Date;

/// Russia switched: 31 January 1918 (OS) was followed by 14 February 1918 (NS).
pub fn russian_switch() -> Date {
    Date::constant(1918, 2, 14)
}

/// Julian day number of a Gregorian date.
fn jdn_gregorian(y: i64, m: i64, d: i64) -> i64 {
    let a = (14 - m) / 12;
    let y = y + 4800 - a;
    let m = m + 12 * a - 3;
    d + (153 * m + 2) / 5 + 365 * y + y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400)
        - 32045
}

/// Julian day number of a Julian-calendar date.
fn jdn_julian(y: i64, m: i64, d: i64) -> i64 {
    let a = (14 - m) / 12;
    let y = y + 4800 - a;
    let m = m + 12 * a - 3;
    d + (153 * m + 2) / 5 + 365 * y + y.div_euclid(4) - 32083
}

fn gregorian_from_jdn(j: i64) -> Option<Date> {
    let a = j + 32044;
    let b = (4 * a + 3).div_euclid(146097);
    let c = a - 146097 * b / 4;
    let d = (4 * c + 3) / 1461;
    let e = c - 1461 * d / 4;
    let m = (5 * e + 2) / 153;
    let day = e - (153 * m + 2) / 5 + 1;
    let month = m + 3 - 12 * (m / 10);
    let year = 100 * b + d - 4800 + m / 10;
    Date::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
    )
    .ok()
}

fn julian_from_jdn(j: i64) -> (i64, i64, i64) {
    let c = j + 32082;
    let d = (4 * c + 3) / 1461;
    let e = c - 1461 * d / 4;
    let m = (5 * e + 2) / 153;
    let day = e - (153 * m + 2) / 5 + 1;
    let month = m + 3 - 12 * (m / 10);
    let year = d - 4800 + m / 10;
    (year, month, day)
}

/// A day count (the Julian day number) of a date: for distances between dates.
pub fn day_number(d: Date) -> i64 {
    jdn_gregorian(d.year().into(), d.month().into(), d.day().into())
}

/// A Julian-calendar date, as (year, month, day).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JulianDate {
    pub year: i64,
    pub month: i64,
    pub day: i64,
}

/// The Old Style (Julian) date of a New Style (Gregorian) one.
pub fn to_julian(d: Date) -> JulianDate {
    let j = jdn_gregorian(d.year().into(), d.month().into(), d.day().into());
    let (year, month, day) = julian_from_jdn(j);
    JulianDate { year, month, day }
}

/// The New Style (Gregorian) date of a day written in Old Style with these numbers.
/// `None` when the numbers are no Julian date (a day past the Julian month's end).
pub fn from_julian(y: i64, m: i64, d: i64) -> Option<Date> {
    let j = jdn_julian(y, m, d);
    // Round trip to reject impossible Julian days (e.g. 30 February).
    if julian_from_jdn(j) != (y, m, d) {
        return None;
    }
    gregorian_from_jdn(j)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_conversions() {
        // The October Revolution: 25 October 1917 OS = 7 November 1917 NS.
        assert_eq!(from_julian(1917, 10, 25), Some(Date::constant(1917, 11, 7)));
        let j = to_julian(Date::constant(1917, 11, 7));
        assert_eq!((j.year, j.month, j.day), (1917, 10, 25));
        // 19th century: +12 days. Emancipation: 19 February 1861 OS = 3 March 1861 NS.
        assert_eq!(from_julian(1861, 2, 19), Some(Date::constant(1861, 3, 3)));
        // The switch: 31 January 1918 OS is 13 February NS, the day before 14 February.
        assert_eq!(from_julian(1918, 1, 31), Some(Date::constant(1918, 2, 13)));
        // 29 February 1900 exists in the Julian calendar only.
        assert_eq!(from_julian(1900, 2, 29), Some(Date::constant(1900, 3, 13)));
        assert_eq!(from_julian(1900, 2, 30), None);
    }
}
