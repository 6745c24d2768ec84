//! A small EDTF (ISO 8601-2) reader for gazetteer dates: enough to validate the
//! dates a gazetteer holds, to compare them with the years of a document, and to show
//! them to a reader.
//!
//! Accepted: `YYYY`, `YYYY-MM`, `YYYY-MM-DD` (negative years too), each optionally
//! followed by a qualifier `?` (uncertain), `~` (approximate) or `%` (both);
//! unspecified digits `194X`, `19XX`, `1949-XX`; seasons `1949-21`…`1949-24`;
//! intervals `A/B` where either end may be open (`..`) or unknown (empty).

/// A calendar day as (year, month, day).
pub type Ymd = (i32, u32, u32);

/// One EDTF date: the earliest and latest day it may denote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    pub earliest: Ymd,
    pub latest: Ymd,
}

impl Bounds {
    pub fn first_year(&self) -> i32 {
        self.earliest.0
    }
    pub fn last_year(&self) -> i32 {
        self.latest.0
    }
}

/// What is wrong with a date, naming the date as written. The gazetteer loader and
/// `gazetteer import` put it after the entry and field it belongs to.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EdtfError {
    #[error("an empty date")]
    Empty,
    #[error("the interval {0} ends before it starts")]
    Reversed(String),
    #[error("`{0}`: at most one qualifier (?, ~ or %)")]
    Qualifiers(String),
    #[error("`{0}` is not an EDTF date (YYYY, YYYY-MM or YYYY-MM-DD)")]
    TooManyParts(String),
    #[error("`{0}`: the year must have four digits (X for an unspecified digit)")]
    Year(String),
    #[error("`{0}`: the month must have two digits")]
    MonthDigits(String),
    #[error("`{0}`: a day needs a known month")]
    DayWithoutMonth(String),
    #[error("`{0}`: a season has no day")]
    SeasonDay(String),
    #[error("`{date}`: there is no month {month}")]
    NoSuchMonth { date: String, month: u32 },
    #[error("`{0}`: the day must have two digits")]
    DayDigits(String),
    #[error("`{date}`: {} has no day {day}", month_name(*.month))]
    NoSuchDay { date: String, month: u32, day: u32 },
    #[error("`{0}` is not an EDTF date")]
    NotADate(String),
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 => {
            if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 {
                29
            } else {
                28
            }
        }
        _ => 0,
    }
}

/// Parse one EDTF value (a date or an interval). `Err` says what is wrong.
pub fn parse(s: &str) -> Result<Bounds, EdtfError> {
    let s = s.trim();
    if s.is_empty() {
        return Err(EdtfError::Empty);
    }
    if let Some((a, b)) = s.split_once('/') {
        let start = match a {
            "" | ".." => None,
            _ => Some(parse_date(a)?),
        };
        let end = match b {
            "" | ".." => None,
            _ => Some(parse_date(b)?),
        };
        let earliest = start.map(|x| x.earliest).unwrap_or((i32::MIN, 1, 1));
        let latest = end.map(|x| x.latest).unwrap_or((i32::MAX, 12, 31));
        if let (Some(x), Some(y)) = (start, end)
            && x.earliest > y.latest
        {
            return Err(EdtfError::Reversed(s.to_string()));
        }
        return Ok(Bounds { earliest, latest });
    }
    parse_date(s)
}

/// Parse one EDTF date (no interval).
pub fn parse_date(s: &str) -> Result<Bounds, EdtfError> {
    let body = s.trim_end_matches(['?', '~', '%']);
    if s.len() - body.len() > 1 {
        return Err(EdtfError::Qualifiers(s.to_string()));
    }
    let (neg, body) = match body.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, body),
    };
    let mut parts = body.split('-');
    let year = parts.next().unwrap_or("");
    let month = parts.next();
    let day = parts.next();
    if parts.next().is_some() {
        return Err(EdtfError::TooManyParts(s.to_string()));
    }
    if year.len() != 4 || !year.chars().all(|c| c.is_ascii_digit() || c == 'X') {
        return Err(EdtfError::Year(s.to_string()));
    }
    let lo: i32 = year.replace('X', "0").parse().map_err(|_| bad(s))?;
    let hi: i32 = year.replace('X', "9").parse().map_err(|_| bad(s))?;
    let (lo, hi) = if neg { (-hi, -lo) } else { (lo, hi) };
    let Some(month) = month else {
        return Ok(Bounds {
            earliest: (lo, 1, 1),
            latest: (hi, 12, 31),
        });
    };
    if month.len() != 2 {
        return Err(EdtfError::MonthDigits(s.to_string()));
    }
    if month == "XX" {
        if day.is_some_and(|d| d != "XX") {
            return Err(EdtfError::DayWithoutMonth(s.to_string()));
        }
        return Ok(Bounds {
            earliest: (lo, 1, 1),
            latest: (hi, 12, 31),
        });
    }
    let m: u32 = month.parse().map_err(|_| bad(s))?;
    if (21..=24).contains(&m) {
        if day.is_some() {
            return Err(EdtfError::SeasonDay(s.to_string()));
        }
        // Northern-hemisphere seasons: spring 21 = Mar–May, … winter 24 = Dec–Feb.
        let (m1, m2, carry) = match m {
            21 => (3, 5, 0),
            22 => (6, 8, 0),
            23 => (9, 11, 0),
            _ => (12, 2, 1),
        };
        let y2 = hi.saturating_add(carry);
        return Ok(Bounds {
            earliest: (lo, m1, 1),
            latest: (y2, m2, days_in_month(y2, m2)),
        });
    }
    if !(1..=12).contains(&m) {
        return Err(EdtfError::NoSuchMonth {
            date: s.to_string(),
            month: m,
        });
    }
    let Some(day) = day else {
        return Ok(Bounds {
            earliest: (lo, m, 1),
            latest: (hi, m, days_in_month(hi, m)),
        });
    };
    if day.len() != 2 {
        return Err(EdtfError::DayDigits(s.to_string()));
    }
    if day == "XX" {
        return Ok(Bounds {
            earliest: (lo, m, 1),
            latest: (hi, m, days_in_month(hi, m)),
        });
    }
    let d: u32 = day.parse().map_err(|_| bad(s))?;
    if d == 0 || d > days_in_month(lo, m) {
        return Err(EdtfError::NoSuchDay {
            date: s.to_string(),
            month: m,
            day: d,
        });
    }
    Ok(Bounds {
        earliest: (lo, m, d),
        latest: (hi, m, d),
    })
}

fn bad(s: &str) -> EdtfError {
    EdtfError::NotADate(s.to_string())
}

fn month_name(m: u32) -> &'static str {
    m.checked_sub(1)
        .and_then(|i| MONTHS.get(i as usize))
        .copied()
        .unwrap_or("?")
}

/// A date for a reader: `1912-04-15` → `15 Apr 1912`, `1949-05/1949-08` →
/// `May 1949 – Aug 1949`, `1875-03-26?` → `26 Mar 1875 (uncertain)`. Anything that
/// does not parse is shown as written.
pub fn human(s: &str) -> String {
    let s = s.trim();
    if let Some((a, b)) = s.split_once('/') {
        let a = if a.is_empty() || a == ".." {
            "…".to_string()
        } else {
            human(a)
        };
        let b = if b.is_empty() || b == ".." {
            "…".to_string()
        } else {
            human(b)
        };
        return format!("{a} – {b}");
    }
    if parse_date(s).is_err() {
        return s.to_string();
    }
    let body = s.trim_end_matches(['?', '~', '%']);
    let qual = match s.len() - body.len() {
        0 => "",
        _ if s.ends_with('?') => " (uncertain)",
        _ if s.ends_with('~') => " (approximate)",
        _ => " (uncertain, approximate)",
    };
    let (neg, b) = match body.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, body),
    };
    let mut it = b.split('-');
    let y = it.next().unwrap_or("");
    let y = if neg {
        format!("{} BCE", y.trim_start_matches('0'))
    } else {
        y.to_string()
    };
    let out = match (it.next(), it.next()) {
        (None, _) => y,
        (Some("XX"), _) => y,
        (Some(m), None) => match m.parse::<u32>() {
            Ok(21) => format!("spring {y}"),
            Ok(22) => format!("summer {y}"),
            Ok(23) => format!("autumn {y}"),
            Ok(24) => format!("winter {y}"),
            Ok(n) => format!("{} {y}", month_name(n)),
            Err(_) => y,
        },
        (Some(m), Some("XX")) => format!("{} {y}", month_name(m.parse().unwrap_or(0))),
        (Some(m), Some(d)) => format!(
            "{} {} {y}",
            d.trim_start_matches('0'),
            month_name(m.parse().unwrap_or(0))
        ),
    };
    format!("{out}{qual}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_and_invalid_dates() {
        for ok in [
            "1949",
            "1949-03",
            "1949-03-05",
            "1949?",
            "1875-03-26?",
            "1949~",
            "194X",
            "19XX",
            "1949-XX",
            "1949-21",
            "1949-05/1949-08",
            "../1953",
            "1950/",
            "1948-02-29",
            "-0044-03-15",
        ] {
            assert!(parse(ok).is_ok(), "{ok} should parse");
        }
        for bad in [
            "",
            "49",
            "1949-13",
            "1949-02-30",
            "1949-3-5",
            "March 1949",
            "1950/1949",
            "1949??",
            "1900-02-29",
            "1949-03-05-01",
        ] {
            assert!(parse(bad).is_err(), "{bad} should not parse");
        }
    }

    #[test]
    fn errors_name_the_date_and_what_is_wrong() {
        let says = |s: &str| parse(s).err().map(|e| e.to_string()).unwrap_or_default();
        assert_eq!(says(""), "an empty date");
        assert_eq!(
            says("1950/1949"),
            "the interval 1950/1949 ends before it starts"
        );
        assert_eq!(
            says("1949??"),
            "`1949??`: at most one qualifier (?, ~ or %)"
        );
        assert_eq!(says("1949-02-30"), "`1949-02-30`: Feb has no day 30");
        assert_eq!(says("1949-13"), "`1949-13`: there is no month 13");
        assert_eq!(
            says("49"),
            "`49`: the year must have four digits (X for an unspecified digit)"
        );
        assert_eq!(says("1949-0a"), "`1949-0a` is not an EDTF date");
    }

    #[test]
    fn bounds() {
        let b = parse("194X").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((b.first_year(), b.last_year()), (1940, 1949));
        let b = parse("1949-02").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(b.latest, (1949, 2, 28));
        let b = parse("1950-24").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(b.latest, (1951, 2, 28));
    }

    #[test]
    fn human_forms() {
        assert_eq!(human("1912-04-15"), "15 Apr 1912");
        assert_eq!(human("1949-05/1949-08"), "May 1949 – Aug 1949");
        assert_eq!(human("1875-03-26?"), "26 Mar 1875 (uncertain)");
        assert_eq!(human("1950/.."), "1950 – …");
        assert_eq!(human("nonsense"), "nonsense");
    }
}
