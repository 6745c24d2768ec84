//! EDTF (Extended Date/Time Format, ISO 8601-2) values: how a recognised date is
//! written, and the bounds of a written EDTF value.
//!
//! Choices (documented in `annalist explain date-invalid` and the hover):
//! - a day, month or year: `1949-03-05`, `1949-03`, `1949` (level 0);
//! - a range: `1949-05/1949-08` (level 0 interval);
//! - a decade (`the 1940s`): `194X` (level 1 unspecified digit);
//! - a part of a year: the level 2 sub-year groupings — `early/mid/late 1950` are the
//!   thirds of the year, quadrimesters `1950-37/38/39`; `the beginning/end of 1949` the
//!   first/last quarter `1949-33`/`1949-36`; `the first/second half` `-40`/`-41`; seasons
//!   `-21`..`-24` (northern hemisphere, meteorological: spring = March–May, winter =
//!   December to February of the next year);
//! - a year inferred from context: the year component is marked uncertain,
//!   `1950?-01-17` (level 2 component qualification: the `?` after the year qualifies the
//!   year alone);
//! - no year at all: `XXXX-01-17` (level 1 unspecified year);
//! - an impossible day: `1950-06-XX` (the month is what we know);
//! - a year cut short (`194`): `194X-03-05`.

use jiff::civil::Date;
use std::fmt::Write as _;

/// A year as EDTF writes it: four digits, zero-padded; `?` when uncertain.
pub fn year(y: i32, uncertain: bool) -> String {
    let mut out = String::with_capacity(6);
    push_year(&mut out, y, uncertain);
    out
}

pub fn day(y: i32, m: i8, d: i8, uncertain: bool) -> String {
    let mut out = String::with_capacity(11);
    push_year(&mut out, y, uncertain);
    out.push('-');
    push_two(&mut out, m);
    out.push('-');
    push_two(&mut out, d);
    out
}

pub fn month(y: i32, m: i8, uncertain: bool) -> String {
    let mut out = String::with_capacity(8);
    push_year(&mut out, y, uncertain);
    out.push('-');
    push_two(&mut out, m);
    out
}

/// A sub-year grouping: `1950-37`.
pub fn group(y: i32, code: u8, uncertain: bool) -> String {
    let mut out = String::with_capacity(8);
    push_year(&mut out, y, uncertain);
    out.push('-');
    let _ = write!(out, "{code}");
    out
}

/// [`year`], onto `out` (written digit by digit for the years dates have; a value
/// is written once per date per version, and `format!` was most of the cost).
fn push_year(out: &mut String, y: i32, uncertain: bool) {
    if (0..=9999).contains(&y) {
        for div in [1000, 100, 10, 1] {
            out.push(char::from(b'0' + ((y / div) % 10) as u8));
        }
    } else if y < 0 {
        // As `format!("-{:04}", -y)` wrote it (`wrapping_neg`: no panic at i32::MIN).
        let _ = write!(out, "-{:04}", y.wrapping_neg());
    } else {
        let _ = write!(out, "{y:04}");
    }
    if uncertain {
        out.push('?');
    }
}

/// A month or day, two digits zero-padded (as `{:02}`).
fn push_two(out: &mut String, n: i8) {
    if (0..=99).contains(&n) {
        out.push(char::from(b'0' + (n / 10) as u8));
        out.push(char::from(b'0' + (n % 10) as u8));
    } else {
        let _ = write!(out, "{n:02}");
    }
}

/// First and last day of a sub-year grouping (21–24, 33–41) of year `y`.
pub fn group_bounds(y: i32, code: u8) -> Option<(Date, Date)> {
    let (m0, m1, next_year) = match code {
        21 | 25 => (3, 5, false),
        22 | 26 => (6, 8, false),
        23 | 27 => (9, 11, false),
        24 | 28 => (12, 2, true),
        33 => (1, 3, false),
        34 => (4, 6, false),
        35 => (7, 9, false),
        36 => (10, 12, false),
        37 => (1, 4, false),
        38 => (5, 8, false),
        39 => (9, 12, false),
        40 => (1, 6, false),
        41 => (7, 12, false),
        _ => return None,
    };
    let y0 = i16::try_from(y).ok()?;
    let y1 = if next_year { y0.checked_add(1)? } else { y0 };
    let start = Date::new(y0, m0, 1).ok()?;
    let end = Date::new(y1, m1, 1).ok()?.last_of_month();
    Some((start, end))
}

/// What a sub-year grouping code means, in words.
pub fn group_name(code: u8) -> &'static str {
    match code {
        21 | 25 => "spring (March–May)",
        22 | 26 => "summer (June–August)",
        23 | 27 => "autumn (September–November)",
        24 | 28 => "winter (December–February)",
        33 => "first quarter (January–March)",
        34 => "second quarter (April–June)",
        35 => "third quarter (July–September)",
        36 => "last quarter (October–December)",
        37 => "first third (January–April)",
        38 => "middle third (May–August)",
        39 => "last third (September–December)",
        40 => "first half (January–June)",
        41 => "second half (July–December)",
        _ => "part of the year",
    }
}

/// The first and last day an EDTF value covers, for the forms this crate writes and the
/// usual level 0/1 forms (`1949`, `1949-03`, `1949-03-05`, `a/b` with open `..` ends,
/// `194X`, qualifiers `?~%`). `None` when the value cannot be bounded.
pub fn bounds(s: &str) -> Option<(Option<Date>, Option<Date>)> {
    let s = s.trim();
    if let Some((a, b)) = s.split_once('/') {
        let start = match a {
            "" | ".." => None,
            _ => Some(single_bounds(a)?.0),
        };
        let end = match b {
            "" | ".." => None,
            _ => Some(single_bounds(b)?.1),
        };
        return Some((start, end));
    }
    let (a, b) = single_bounds(s)?;
    Some((Some(a), Some(b)))
}

fn single_bounds(s: &str) -> Option<(Date, Date)> {
    let clean: String = s
        .chars()
        .filter(|c| !matches!(c, '?' | '~' | '%'))
        .collect();
    let (neg, body) = match clean.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, clean.as_str()),
    };
    let mut parts = body.split('-');
    let ys = parts.next()?;
    let ms = parts.next();
    let ds = parts.next();
    if parts.next().is_some() || ys.len() < 4 {
        return None;
    }
    // Unspecified digits: the lowest and highest years they allow.
    let lo: i32 = ys.replace('X', "0").parse().ok()?;
    let hi: i32 = ys.replace('X', "9").parse().ok()?;
    let (lo, hi) = if neg { (-hi, -lo) } else { (lo, hi) };
    let ylo = i16::try_from(lo).ok()?;
    let yhi = i16::try_from(hi).ok()?;
    match (ms, ds) {
        (None, _) => Some((Date::new(ylo, 1, 1).ok()?, Date::new(yhi, 12, 31).ok()?)),
        (Some(m), None) => {
            let code: u8 = m.parse().ok()?;
            if (21..=41).contains(&code) {
                let (a, _) = group_bounds(lo, code)?;
                let (_, b) = group_bounds(hi, code)?;
                return Some((a, b));
            }
            let m = i8::try_from(code).ok()?;
            Some((
                Date::new(ylo, m, 1).ok()?,
                Date::new(yhi, m, 1).ok()?.last_of_month(),
            ))
        }
        (Some(m), Some(d)) => {
            let m: i8 = m.parse().ok()?;
            if d.contains('X') {
                return Some((
                    Date::new(ylo, m, 1).ok()?,
                    Date::new(yhi, m, 1).ok()?.last_of_month(),
                ));
            }
            let d: i8 = d.parse().ok()?;
            Some((Date::new(ylo, m, d).ok()?, Date::new(yhi, m, d).ok()?))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The digit-by-digit writing is what `format!` wrote, for every value.
    #[test]
    fn values_are_written_as_format_wrote_them() {
        let old_year = |y: i32, u: bool| {
            let mark = if u { "?" } else { "" };
            if y < 0 {
                format!("-{:04}{mark}", y.wrapping_neg())
            } else {
                format!("{y:04}{mark}")
            }
        };
        let years = [
            i32::MIN,
            -10000,
            -9999,
            -1,
            0,
            7,
            99,
            999,
            1950,
            9999,
            10000,
            i32::MAX,
        ];
        let small = [i8::MIN, -1, 0, 1, 9, 10, 12, 31, 99, 100, i8::MAX];
        for y in years {
            for u in [false, true] {
                assert_eq!(year(y, u), old_year(y, u));
                for m in small {
                    assert_eq!(month(y, m, u), format!("{}-{m:02}", old_year(y, u)));
                    for d in small {
                        assert_eq!(day(y, m, d, u), format!("{}-{m:02}-{d:02}", old_year(y, u)));
                    }
                }
                for code in [0u8, 21, 41, 255] {
                    assert_eq!(group(y, code, u), format!("{}-{code}", old_year(y, u)));
                }
            }
        }
    }

    fn b(s: &str) -> Option<(String, String)> {
        let (a, b) = bounds(s)?;
        Some((
            a.map(|d| d.to_string()).unwrap_or_default(),
            b.map(|d| d.to_string()).unwrap_or_default(),
        ))
    }

    #[test]
    fn bounds_of_written_values() {
        let cases = [
            ("1949", Some(("1949-01-01", "1949-12-31"))),
            ("1949-02", Some(("1949-02-01", "1949-02-28"))),
            ("1949-03-05", Some(("1949-03-05", "1949-03-05"))),
            ("1950?-01-17", Some(("1950-01-17", "1950-01-17"))),
            ("1949-05/1949-08", Some(("1949-05-01", "1949-08-31"))),
            ("194X", Some(("1940-01-01", "1949-12-31"))),
            ("1950-37", Some(("1950-01-01", "1950-04-30"))),
            ("1949-24", Some(("1949-12-01", "1950-02-28"))),
            ("1950-06-XX", Some(("1950-06-01", "1950-06-30"))),
            ("1945/..", Some(("1945-01-01", ""))),
            ("1949-02-30", None),
            ("nonsense", None),
            ("", None),
        ];
        for (input, want) in cases {
            let want = want.map(|(a, b)| (a.to_string(), b.to_string()));
            assert_eq!(b(input), want, "{input}");
        }
    }

    #[test]
    fn writes_values() {
        assert_eq!(day(1950, 1, 17, true), "1950?-01-17");
        assert_eq!(month(794, 3, false), "0794-03");
        assert_eq!(group(1950, 37, false), "1950-37");
    }
}
