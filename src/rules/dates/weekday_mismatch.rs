//! `date-weekday-mismatch`: A weekday that does not match its date (`Monday, 28 June 1950` was a Wednesday).

use super::*;

pub const RULE: Rule = Rule {
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

**How to fix.** The fix (unsafe: the weekday is the source's wording, so only
`--unsafe-fixes` or the editor's action applies it) writes the right
weekday in the same form (full name or abbreviation). If the source has the wrong
weekday and you keep it on purpose, silence the finding with
`<!-- annalist-disable-next-line date-weekday-mismatch -->`.

**Examples.**

    On Monday, 28 June 1950, ...    warning: 28 June 1950 was a Wednesday, not a Monday
    On Sunday, 25 June 1950, ...    fine
    On Sunday, 28 June (no year)    fine: the year is only inferred, so not checked
",
    fix_is_safe: false,
};

pub(super) fn weekday_mismatch(a: &Analysis, d: &DateMention) -> Option<Finding> {
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
    let date = crate::dates::long_date(day);
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
            safe: false,
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::super::tests::assert_cases;
    use crate::analysis::analyze_str;
    use crate::finding::apply_edits;

    #[test]
    fn positives_and_negatives() {
        let cases: &[(&str, &[(&str, &str)])] = &[
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
        assert_cases(cases);
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
            assert!(
                !f.fixes[0].safe,
                "a weekday is the source's wording: never safe (issue #12)"
            );
            assert_eq!(apply_edits(text, &f.fixes[0].edits), want);
        }
    }
}
