//! `date-incomplete`: A year cut short (`5 March 194`) where the document writes four-digit years.

use super::*;

pub const RULE: Rule = Rule {
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

**Example.**

    In 1949 Stalin met Kim. On 5 March 194, he spoke.
    warning: The year of `5 March 194` is cut short (`194`): the date before it is
    in 1949, so it is probably 1949. Check the source and complete it.
    On 5 March 794 (in a text with no year 79xx)   fine: taken as written
",
    fix_is_safe: false,
};

pub(super) fn incomplete(
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

#[cfg(test)]
mod tests {
    use super::super::tests::{assert_cases, codes};

    #[test]
    fn positives_and_negatives() {
        let cases: &[(&str, &[(&str, &str)])] = &[
            (
                "On 3 February 1949 he wrote. On 5 March 194, he came.",
                &[("date-incomplete", "5 March 194")],
            ),
            // No four-digit year begins with 194: an early year, not a cut-short one.
            ("On 5 March 194 the emperor died.", &[]),
            ("On 5 March 1949 he came.", &[]),
        ];
        assert_cases(cases);
    }

    #[test]
    fn fixture_raises_exactly_the_cut_short_year() {
        let t = include_str!("../../../fixtures/bajanov-1995.md");
        let got = codes(t);
        assert_eq!(got, vec![("date-incomplete", "5 March 194".to_string())]);
    }
}
