//! `date-invalid`: A date that cannot exist (31 June, 30 February, 29 February in a common year).

use super::*;

pub const RULE: Rule = Rule {
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
};

pub(super) fn invalid(
    a: &Analysis,
    d: &DateMention,
    year: i32,
    month: i8,
    day: i8,
    dim: i8,
) -> Finding {
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

#[cfg(test)]
mod tests {
    use super::super::tests::assert_cases;
    use crate::analysis::analyze_str;
    use crate::finding::apply_edits;

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
            ("On 5 March 794 he died.", &[]),
        ];
        assert_cases(cases);
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
}
