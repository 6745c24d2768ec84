//! Rules of the dates family: impossible days, years cut short, wrong weekdays.

use super::Rule;
use crate::dates::lang::ENGLISH;
use crate::dates::{DateMention, Problem, calendar};
use crate::facts::{Analysis, Context};
use crate::finding::{Edit, Finding, Fix, Severity};

mod incomplete;
mod invalid;
mod weekday_mismatch;

pub static RULES: &[Rule] = &[invalid::RULE, incomplete::RULE, weekday_mismatch::RULE];

pub fn check(a: &Analysis, _ctx: &Context, out: &mut Vec<Finding>) {
    for d in &a.dates {
        match &d.problem {
            Some(Problem::InvalidDay {
                year,
                month,
                day,
                days_in_month,
            }) if *days_in_month > 0 && !(d.inferred_year && *month == 2 && *day == 29) => {
                out.push(invalid::invalid(a, d, *year, *month, *day, *days_in_month))
            }
            Some(Problem::YearCutShort {
                written,
                span,
                previous,
                next,
            }) => out.push(incomplete::incomplete(
                a, d, written, *span, *previous, *next,
            )),
            _ => {}
        }
        if let Some(f) = weekday_mismatch::weekday_mismatch(a, d) {
            out.push(f);
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use crate::analysis::analyze_str;

    pub(crate) fn codes(text: &str) -> Vec<(&'static str, String)> {
        let a = analyze_str(text);
        a.findings
            .iter()
            .filter(|f| f.code.starts_with("date-"))
            .map(|f| (f.code, f.span.slice(text).to_string()))
            .collect()
    }

    /// A rule's table: each text and the (code, flagged text) findings it must give,
    /// no more, no fewer.
    pub(crate) fn assert_cases(cases: &[(&str, &[(&str, &str)])]) {
        for (text, want) in cases {
            let got = codes(text);
            let want: Vec<(&str, String)> = want.iter().map(|(c, s)| (*c, s.to_string())).collect();
            assert_eq!(got, want, "{text}");
        }
    }
}
