//! Rules of the dates family: impossible days, years cut short, wrong weekdays.

use super::Rule;
use crate::dates::lang::ENGLISH;
use crate::dates::{DateMention, Problem, calendar};
use crate::facts::{Analysis, Context};
use crate::finding::{Edit, Finding, Fix, Severity};

pub static RULES: &[Rule] = &[
    Rule {
        code: "date-invalid",
        default_severity: Severity::Error,
        summary: "A date that cannot exist (31 June, 30 February, 29 February in a common year)",
        doc: "# date-invalid

**What it finds.** A written date whose day does not exist in its month: `31 June 1950`
(June has 30 days), `30 February 1949`, `29 February 1949` (1949 is not a leap year).

**Why.** Such a date is a misprint in the source or a slip in the transcription; either
way a reader cannot place the event, and the timeline leaves it out.

**How it decides.** Day, month and year are read as written (`5 March 1949`, `March 5,
1949`, `1949-03-05`, day ranges such as `30-31 June 1950`) and checked against the
proleptic Gregorian calendar (leap years: divisible by 4, except centuries not divisible
by 400). Years inferred from context are checked too, with the inferred year named,
except 29 February, which only the year can make impossible.

**How to fix.** Check the source. If the source itself has the impossible date and you
transcribe faithfully, keep it and silence the finding with
`<!-- annalist-disable-next-line date-invalid -->`, or add a note saying `[sic]`.
There is no automatic fix: the right day cannot be known.

**Examples.**

    On 31 June 1950 ...        error: June has 30 days
    On 29 February 1948 ...    fine: 1948 is a leap year
",
        fix_is_safe: false,
    },
    Rule {
        code: "date-incomplete",
        default_severity: Severity::Warning,
        summary: "A year cut short (`5 March 194`) where the document writes four-digit years",
        doc: "# date-incomplete

**What it finds.** A day and month followed by a three-digit year whose digits begin the
document's four-digit years: `Receiving Kim II Sung in the Kremlin on 5 March 194,` in a
text full of 1949s.

**Why.** A digit was lost in print, OCR or typing. The date cannot be placed; the
timeline leaves it out and shows it as `194X-03-05` (EDTF: last digit unspecified).

**How it decides.** Only three-digit years directly after a day and month count. The
finding appears only when some four-digit year of the document starts with the same
three digits; otherwise the year is taken as written (`5 March 794` in a medieval text
is a date like any other). The message names the likely year when the nearest
four-digit years before and after the date agree (or only one exists), and offers it as
a fix that is not applied automatically (`safe = false`): only the source can tell.

**How to fix or silence.** Check the source and complete the year. In a faithful
transcription that keeps the source's errors, silence it with
`<!-- annalist-disable-next-line date-incomplete -->` or set
`date-incomplete = \"off\"` under `[rules]` in annalist.toml.
",
        fix_is_safe: false,
    },
    Rule {
        code: "date-weekday-mismatch",
        default_severity: Severity::Warning,
        summary: "A weekday that does not match its date (`Monday, 28 June 1950` was a Wednesday)",
        doc: "# date-weekday-mismatch

**What it finds.** A date written with its weekday, `Monday, 28 June 1950`, when that
day fell on another weekday (28 June 1950 was a Wednesday).

**Why.** The weekday and the date cannot both be right; one of them is a slip. Quoting
the wrong one spreads it.

**How it decides.** The weekday is computed in the proleptic Gregorian calendar (the
Gregorian rules extended backwards; jiff's civil dates). Days whose year is only inferred
from context are not checked (the inference may be what is wrong). Before 1918, a
weekday that matches the date read as Old Style (Julian calendar, as in Russia until
14 February 1918 and in most of Europe before 1582) is accepted silently.

**How to fix.** The fix (safe, applied by `annalist check --fix`) writes the right
weekday in the same form (full name or abbreviation). If the source has the wrong
weekday and you keep it on purpose, silence the finding with
`<!-- annalist-disable-next-line date-weekday-mismatch -->`.
",
        fix_is_safe: true,
    },
];

pub fn check(a: &Analysis, _ctx: &Context, out: &mut Vec<Finding>) {
    for d in &a.dates {
        match &d.problem {
            Some(Problem::InvalidDay {
                year,
                month,
                day,
                days_in_month,
            }) if *days_in_month > 0 && !(d.inferred_year && *month == 2 && *day == 29) => {
                out.push(invalid(a, d, *year, *month, *day, *days_in_month))
            }
            Some(Problem::YearCutShort {
                written,
                span,
                previous,
                next,
            }) => out.push(incomplete(a, d, written, *span, *previous, *next)),
            _ => {}
        }
        if let Some(f) = weekday_mismatch(a, d) {
            out.push(f);
        }
    }
}

fn invalid(a: &Analysis, d: &DateMention, year: i32, month: i8, day: i8, dim: i8) -> Finding {
    let name = ENGLISH.month_name(month);
    let written = d.span.slice(&a.text).trim();
    let inferred = if d.inferred_year {
        format!(" (the year {year} is inferred from an earlier date)")
    } else {
        String::new()
    };
    let why = if month == 2 && day == 29 {
        format!("{year} is not a leap year, so February {year} has {dim} days")
    } else if month == 2 {
        format!("February {year} has {dim} days")
    } else {
        format!("{name} has {dim} days")
    };
    Finding::new(
        "date-invalid",
        Severity::Error,
        d.span,
        format!(
            "`{written}` cannot exist: {why}{inferred}. Check the source for the right day; if it has this date, keep it and mark it [sic]."
        ),
    )
}

fn incomplete(
    a: &Analysis,
    d: &DateMention,
    written: &str,
    span: crate::finding::Span,
    previous: Option<i32>,
    next: Option<i32>,
) -> Finding {
    let surface = d.span.slice(&a.text).trim();
    let likely = match (previous, next) {
        (Some(p), Some(n)) if p == n => Some(p),
        (Some(p), None) => Some(p),
        (None, Some(n)) => Some(n),
        _ => None,
    };
    let context = match (previous, next) {
        (Some(p), Some(n)) if p == n => format!("the dates before and after it are in {p}"),
        (Some(p), Some(n)) => format!("the date before it is in {p}, the one after in {n}"),
        (Some(p), None) => format!("the date before it is in {p}"),
        (None, Some(n)) => format!("the date after it is in {n}"),
        (None, None) => "the document's other years have four digits".into(),
    };
    let message = match likely {
        Some(y) => format!(
            "The year of `{surface}` is cut short (`{written}`): {context}, so it is probably {y}. Check the source and complete it."
        ),
        None => format!(
            "The year of `{surface}` is cut short (`{written}`): {context}. Check the source and complete it."
        ),
    };
    let mut f = Finding::new("date-incomplete", Severity::Warning, d.span, message);
    if let Some(y) = likely {
        f = f.with_fix(Fix {
            title: format!("Write the year as {y} (check the source first)"),
            edits: vec![Edit {
                span,
                new_text: y.to_string(),
            }],
            safe: false,
        });
    }
    f
}

fn weekday_mismatch(a: &Analysis, d: &DateMention) -> Option<Finding> {
    let written = d.written_weekday?;
    let wspan = d.weekday_span?;
    if d.inferred_year || !d.is_day() || d.problem.is_some() {
        return None;
    }
    let day = d.start?;
    let actual = day.weekday();
    if actual == written {
        return None;
    }
    if day < calendar::russian_switch() {
        let old_style =
            calendar::from_julian(day.year().into(), day.month().into(), day.day().into());
        if old_style.is_some_and(|os| os.weekday() == written) {
            return None;
        }
    }
    let as_written = wspan.slice(&a.text);
    let letters = as_written.trim_end_matches('.');
    let right = if letters.len() <= 4 {
        ENGLISH
            .weekday_abbrev(actual, letters.len())
            .or_else(|| ENGLISH.weekday_abbrev(actual, 3))
            .map(|w| format!("{w}{}", &as_written[letters.len()..]))
    } else {
        None
    }
    .unwrap_or_else(|| ENGLISH.weekday_name(actual).to_string());
    let date = crate::dates::hover::long_date(day);
    Some(
        Finding::new(
            "date-weekday-mismatch",
            Severity::Warning,
            wspan,
            format!(
                "{date} was a {}, not a {} (proleptic Gregorian calendar): one of the two is wrong. Check the source.",
                ENGLISH.weekday_name(actual),
                ENGLISH.weekday_name(written)
            ),
        )
        .with_related(d.span, "the date")
        .with_fix(Fix {
            title: format!("Write {right}"),
            edits: vec![Edit {
                span: wspan,
                new_text: right,
            }],
            safe: true,
        }),
    )
}

#[cfg(test)]
mod tests {
    use crate::analysis::analyze_str;
    use crate::finding::apply_edits;

    fn codes(text: &str) -> Vec<(&'static str, String)> {
        let a = analyze_str(text);
        a.findings
            .iter()
            .filter(|f| f.code.starts_with("date-"))
            .map(|f| (f.code, f.span.slice(text).to_string()))
            .collect()
    }

    #[test]
    fn positives_and_negatives() {
        let cases: &[(&str, &[(&str, &str)])] = &[
            (
                "On 31 June 1950 it rained.",
                &[("date-invalid", "31 June 1950")],
            ),
            (
                "On 30 February 1949 it rained.",
                &[("date-invalid", "30 February 1949")],
            ),
            (
                "On 29 February 1949 it rained.",
                &[("date-invalid", "29 February 1949")],
            ),
            (
                "On 31 April 1950 it rained.",
                &[("date-invalid", "31 April 1950")],
            ),
            ("On 29 February 1948 it rained.", &[]),
            ("On 29 February 2000 it rained.", &[]),
            (
                "On 29 February 1900 it rained.",
                &[("date-invalid", "29 February 1900")],
            ),
            ("On 30 June 1950 it rained.", &[]),
            ("On 31 July 1950 it rained.", &[]),
            (
                "On 30-31 June 1950 it rained.",
                &[("date-invalid", "30-31 June 1950")],
            ),
            (
                "In 1950 it began. On 31 June it rained.",
                &[("date-invalid", "31 June")],
            ),
            // Only the inferred year makes 29 February impossible: not reported.
            ("In 1949 it began. On 29 February it rained.", &[]),
            (
                "On 3 February 1949 he wrote. On 5 March 194, he came.",
                &[("date-incomplete", "5 March 194")],
            ),
            ("On 5 March 794 he died.", &[]),
            // No four-digit year begins with 194: an early year, not a cut-short one.
            ("On 5 March 194 the emperor died.", &[]),
            ("On 5 March 1949 he came.", &[]),
            (
                "On Monday, 28 June 1950 troops moved.",
                &[("date-weekday-mismatch", "Monday")],
            ),
            ("On Wednesday, 28 June 1950 troops moved.", &[]),
            ("On Sunday, 25 June 1950 the war began.", &[]),
            (
                "On Mon. 28 June 1950 troops moved.",
                &[("date-weekday-mismatch", "Mon.")],
            ),
            // Inferred year: not checked.
            ("In 1951 it went on. On Monday, 28 June troops moved.", &[]),
            // Old Style: 25 October 1917 was a Wednesday in the Julian calendar.
            ("On Wednesday, 25 October 1917 the Bolsheviks rose.", &[]),
            ("In `Monday, 28 June 1950` code.", &[]),
        ];
        for (text, want) in cases {
            let got = codes(text);
            let want: Vec<(&str, String)> = want.iter().map(|(c, s)| (*c, s.to_string())).collect();
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn messages_say_why() {
        let first = |t: &str| {
            analyze_str(t)
                .findings
                .into_iter()
                .find(|f| f.code.starts_with("date-"))
                .unwrap_or_else(|| panic!("no date finding in {t}"))
        };
        let f = first("On 31 June 1950 it rained.");
        assert!(f.message.contains("June has 30 days"), "{}", f.message);
        let f = first("On 29 February 1949 it rained.");
        assert!(
            f.message.contains("1949 is not a leap year"),
            "{}",
            f.message
        );
        let t = "On 3 February 1949 he wrote. On 5 March 194, he came. On 7 March 1949 he left.";
        let f = first(t);
        assert!(f.message.contains("probably 1949"), "{}", f.message);
        assert_eq!(f.fixes.len(), 1);
        assert!(!f.fixes[0].safe);
        assert_eq!(
            apply_edits(t, &f.fixes[0].edits),
            t.replace("5 March 194,", "5 March 1949,")
        );
        // Ambiguous context: no fix offered.
        let f =
            first("On 3 February 1948 he wrote. On 5 March 194, he came. On 7 March 1949 he left.");
        assert!(f.fixes.is_empty());
    }

    #[test]
    fn weekday_fix_writes_the_right_day() {
        for (text, want) in [
            (
                "On Monday, 28 June 1950 troops moved.",
                "On Wednesday, 28 June 1950 troops moved.",
            ),
            (
                "On Mon. 28 June 1950 troops moved.",
                "On Wed. 28 June 1950 troops moved.",
            ),
            (
                "On Tues. 28 June 1950 troops moved.",
                "On Wed. 28 June 1950 troops moved.",
            ),
        ] {
            let a = analyze_str(text);
            let f = a
                .findings
                .iter()
                .find(|f| f.code == "date-weekday-mismatch")
                .unwrap_or_else(|| panic!("no finding for {text}"));
            assert!(
                f.message.contains("was a Wednesday, not a"),
                "{}",
                f.message
            );
            assert!(f.fixes[0].safe);
            assert_eq!(apply_edits(text, &f.fixes[0].edits), want);
        }
    }

    #[test]
    fn fixture_raises_exactly_the_cut_short_year() {
        let t = include_str!("../../fixtures/bajanov-1995.md");
        let got = codes(t);
        assert_eq!(got, vec![("date-incomplete", "5 March 194".to_string())]);
    }
}
