//! Dates as a historian writes them: `25 June 1950`, `June 1950`, `end of 1949`,
//! `May–August 1949`, `24–25 July 1995`, `17 January [1950]` (a year supplied by the
//! reader in brackets), and the months a part of a year covers (`Oct.–Dec. 1949`).
//! The EDTF value stays beside them in the data; no reader is shown `1949-36`.

use crate::dates::lang::ENGLISH;
use crate::dates::{DateMention, Precision, Problem};
use jiff::civil::Date;

/// Chicago-style month abbreviations (`May`, `June` and `July` are not shortened).
const ABBR: [&str; 12] = [
    "Jan.", "Feb.", "Mar.", "Apr.", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.",
];

fn month(m: i8) -> &'static str {
    ENGLISH.month_name(m)
}

fn abbr(m: i8) -> &'static str {
    usize::try_from(m - 1)
        .ok()
        .and_then(|i| ABBR.get(i))
        .copied()
        .unwrap_or("?")
}

/// One part of an EDTF value as this crate writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    Day(i32, i8, i8),
    Month(i32, i8),
    /// A sub-year grouping code (21–41).
    Group(i32, u8),
    Year(i32),
    Decade(i32),
}

fn part(s: &str) -> Option<Part> {
    let clean: String = s
        .chars()
        .filter(|c| !matches!(c, '?' | '~' | '%'))
        .collect();
    let mut it = clean.split('-');
    let y = it.next()?;
    if y.len() == 4 && y.ends_with('X') && !y[..3].contains('X') {
        return y[..3].parse::<i32>().ok().map(|d| Part::Decade(d * 10));
    }
    let year: i32 = y.parse().ok()?;
    match (it.next(), it.next()) {
        (None, _) => Some(Part::Year(year)),
        (Some(m), None) => {
            let m: u8 = m.parse().ok()?;
            match m {
                1..=12 => Some(Part::Month(year, i8::try_from(m).ok()?)),
                21..=41 => Some(Part::Group(year, m)),
                _ => None,
            }
        }
        (Some(m), Some(d)) => Some(Part::Day(year, m.parse().ok()?, d.parse().ok()?)),
    }
}

/// The words a writer used for a part of a year, when the surface says it plainly:
/// `the end of 1949` → `end of 1949`; `early 1950` → `early 1950`.
fn part_words(surface: &str, year: i32) -> Option<String> {
    let low = surface.to_lowercase();
    const PHRASES: &[(&str, &str)] = &[
        ("beginning of", "beginning of"),
        ("start of", "beginning of"),
        ("end of", "end of"),
        ("close of", "end of"),
        ("middle of", "middle of"),
        ("first half", "first half of"),
        ("second half", "second half of"),
        ("spring", "spring"),
        ("summer", "summer"),
        ("autumn", "autumn"),
        ("fall", "autumn"),
        ("winter", "winter"),
        ("early", "early"),
        ("late", "late"),
        ("mid", "mid-"),
    ];
    let (_, said) = PHRASES.iter().find(|(w, _)| low.contains(w))?;
    Some(if said.ends_with('-') {
        format!("{said}{year}")
    } else {
        format!("{said} {year}")
    })
}

fn part_text(p: Part, surface: &str, inferred: bool) -> String {
    let y = |y: i32| {
        if inferred {
            format!("[{y}]")
        } else {
            y.to_string()
        }
    };
    match p {
        Part::Day(yr, m, d) => format!("{d} {} {}", month(m), y(yr)),
        Part::Month(yr, m) => format!("{} {}", month(m), y(yr)),
        Part::Group(yr, code) => match part_words(surface, yr) {
            Some(w) if !inferred => w,
            _ => format!("{} {}", group_short(code), y(yr)),
        },
        Part::Year(yr) => y(yr),
        Part::Decade(d) => format!("the {d}s"),
    }
}

/// `first quarter` → `Jan.–Mar.`: the months of a grouping, short.
fn group_short(code: u8) -> &'static str {
    match code {
        21 | 25 => "spring",
        22 | 26 => "summer",
        23 | 27 => "autumn",
        24 | 28 => "winter",
        33 => "Jan.–Mar.",
        34 => "Apr.–June",
        35 => "July–Sept.",
        36 => "Oct.–Dec.",
        37 => "Jan.–Apr.",
        38 => "May–Aug.",
        39 => "Sept.–Dec.",
        40 => "first half of",
        41 => "second half of",
        _ => "part of",
    }
}

/// The date as a historian writes it. Falls back to the surface when the value has a
/// form this module does not know (it never shows an EDTF code).
pub fn human(d: &DateMention, surface: &str) -> String {
    let inferred = d.inferred_year;
    let mut out = match d.edtf.split_once('/') {
        None => match part(&d.edtf) {
            Some(p) => part_text(p, surface, inferred),
            None => surface.to_string(),
        },
        Some((a, b)) => match (part(a), part(b)) {
            (Some(a), Some(b)) => range_text(a, b, surface, inferred),
            _ => surface.to_string(),
        },
    };
    if let Some(q) = d.qualifier
        && d.precision == Precision::Month
    {
        out = format!("{} {out}", q.as_str());
    }
    out
}

fn range_text(a: Part, b: Part, surface: &str, inferred: bool) -> String {
    let y = |y: i32| {
        if inferred {
            format!("[{y}]")
        } else {
            y.to_string()
        }
    };
    match (a, b) {
        (Part::Year(x), Part::Year(z)) => format!("{}–{}", y(x), y(z)),
        (Part::Month(x, m), Part::Month(z, n)) if x == z => {
            format!("{}–{} {}", month(m), month(n), y(x))
        }
        (Part::Day(x, m, d), Part::Day(z, n, e)) if x == z && m == n => {
            format!("{d}–{e} {} {}", month(m), y(x))
        }
        (Part::Day(x, m, d), Part::Day(z, n, e)) if x == z => {
            format!("{d} {} – {e} {} {}", month(m), month(n), y(x))
        }
        _ => format!(
            "{} – {}",
            part_text(a, surface, inferred),
            part_text(b, surface, inferred)
        ),
    }
}

/// The months a stretch covers, short, when that is not plain from the date as a
/// historian writes it: `Oct.–Dec. 1949` for the end of 1949, `Dec. 1949–Feb. 1950` for
/// a winter. `None` for days, months, years, and ranges written out.
pub fn covers(d: &DateMention) -> Option<String> {
    if d.precision != Precision::Season {
        return None;
    }
    let (s, e) = (d.start?, d.end?);
    Some(months_between(s, e))
}

fn months_between(s: Date, e: Date) -> String {
    if s.year() == e.year() {
        if s.month() == e.month() {
            format!("{} {}", abbr(s.month()), s.year())
        } else {
            format!("{}–{} {}", abbr(s.month()), abbr(e.month()), s.year())
        }
    } else {
        format!(
            "{} {}–{} {}",
            abbr(s.month()),
            s.year(),
            abbr(e.month()),
            e.year()
        )
    }
}

/// The text of an inlay hint after a date that is partial or ambiguous as written, or
/// `None` when the reading would only repeat what is written (`May-August 1949`).
pub fn hint(d: &DateMention, surface: &str) -> Option<String> {
    let text = match &d.problem {
        Some(Problem::YearCutShort { written, .. }) => {
            format!("year cut short: {written}?")
        }
        Some(Problem::InvalidDay { .. }) => "no such day".to_string(),
        None if d.start.is_none() => "year unknown".to_string(),
        None => {
            let mut h = human(d, surface).replace(['[', ']'], "");
            if let Some(c) = covers(d) {
                h = c;
            }
            if d.inferred_year {
                h.push_str(" (year inferred)");
            }
            h
        }
    };
    let norm = |s: &str| {
        s.replace(['-', '–', '—'], "–")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let written = norm(
        surface
            .trim_start_matches("the ")
            .trim_start_matches("The "),
    );
    (norm(&text) != written).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze_str;

    fn read(t: &str) -> Vec<(String, String, Option<String>)> {
        let a = analyze_str(t);
        a.dates
            .iter()
            .map(|d| {
                let s = d.span.slice(&a.text);
                (s.to_string(), human(d, s), covers(d))
            })
            .collect()
    }

    #[test]
    fn dates_read_as_written_by_historians() {
        let r = read(
            "Until the end of 1949 he waited. In the beginning of 1950 he left. On 25 June 1950 war began. In June 1950 they met. In May-August 1949 talks went on. The conference met on 24-25 July 1995. In 1947-1948 they hoped.",
        );
        let h: Vec<(&str, &str)> = r.iter().map(|x| (x.0.as_str(), x.1.as_str())).collect();
        assert_eq!(
            h,
            [
                ("the end of 1949", "end of 1949"),
                ("the beginning of 1950", "beginning of 1950"),
                ("25 June 1950", "25 June 1950"),
                ("June 1950", "June 1950"),
                ("May-August 1949", "May–August 1949"),
                ("24-25 July 1995", "24–25 July 1995"),
                ("1947-1948", "1947–1948"),
            ]
        );
        assert_eq!(r[0].2.as_deref(), Some("Oct.–Dec. 1949"));
        assert_eq!(r[1].2.as_deref(), Some("Jan.–Mar. 1950"));
        assert_eq!(r[2].2, None);
        // No EDTF sub-year code reaches a reader.
        assert!(r.iter().all(|x| !x.1.contains("-3") && !x.1.contains("-2")));
    }

    #[test]
    fn hints_say_what_the_text_leaves_open_and_nothing_else() {
        let t = "In March 1949 they met. On 17 April he wrote. Until the end of 1949 he waited. In May-August 1949 talks went on. On 5 March 194 he came.";
        let a = analyze_str(t);
        let hints: Vec<Option<String>> = a
            .dates
            .iter()
            .map(|d| hint(d, d.span.slice(&a.text)))
            .collect();
        assert_eq!(
            hints,
            [
                None,
                Some("17 April 1949 (year inferred)".to_string()),
                Some("Oct.–Dec. 1949".to_string()),
                None,
                Some("year cut short: 194?".to_string()),
            ]
        );
    }
}
