//! `annalist explain CODE` and `annalist rules`.

use super::check::suggest;
use super::output::{RuleInfo, known_rules};
use clap::ValueEnum;
use serde::Serialize;
use std::process::ExitCode;

fn header(r: &RuleInfo) -> String {
    format!(
        "{} ({} by default{}) — {}\n{}",
        r.code,
        r.default_severity.as_str(),
        if r.fix_is_safe {
            "; `check --fix` applies its fix"
        } else {
            ""
        },
        r.summary,
        crate::rules::doc_url(r.code)
    )
}

/// Print a rule's documentation; an unknown code exits 2 with the closest codes.
pub fn explain(code: &str) -> ExitCode {
    let rules = known_rules();
    let code = code.trim();
    match rules.iter().find(|r| r.code == code) {
        Some(r) => {
            println!("{}\n\n{}", header(r), r.doc.trim_end());
            ExitCode::SUCCESS
        }
        None => {
            let codes: Vec<&str> = rules.iter().map(|r| r.code).collect();
            let hint = match suggest(code, &codes) {
                Some(s) => format!(" Did you mean `{s}`?"),
                None => String::new(),
            };
            eprintln!(
                "annalist explain: no rule has the code `{code}`.{hint} `annalist rules` lists them."
            );
            ExitCode::from(2)
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// A table: code, default severity, fixable, summary.
    #[default]
    Table,
    /// A JSON array of {code, severity, fix_is_safe, summary, url}.
    Json,
}

#[derive(Serialize)]
struct JsonRule<'a> {
    code: &'a str,
    severity: &'a str,
    fix_is_safe: bool,
    summary: &'a str,
    url: String,
}

/// The rules table, as text.
pub fn rules_table(rules: &[RuleInfo]) -> String {
    let width = rules.iter().map(|r| r.code.len()).max().unwrap_or(4).max(4);
    let mut s = format!("{:width$}  {:8} {:3}  SUMMARY\n", "CODE", "SEVERITY", "FIX");
    for r in rules {
        s.push_str(&format!(
            "{:width$}  {:8} {:3}  {}\n",
            r.code,
            r.default_severity.as_str(),
            if r.fix_is_safe { "yes" } else { "" },
            r.summary
        ));
    }
    s
}

pub fn list_rules(format: RulesFormat) -> ExitCode {
    let rules = known_rules();
    match format {
        RulesFormat::Table => print!("{}", rules_table(&rules)),
        RulesFormat::Json => {
            let v: Vec<JsonRule> = rules
                .iter()
                .map(|r| JsonRule {
                    code: r.code,
                    severity: r.default_severity.as_str(),
                    fix_is_safe: r.fix_is_safe,
                    summary: r.summary,
                    url: crate::rules::doc_url(r.code),
                })
                .collect();
            match serde_json::to_string_pretty(&v) {
                Ok(s) => println!("{s}"),
                Err(e) => {
                    eprintln!("annalist rules: {e}");
                    return ExitCode::from(2);
                }
            }
        }
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_lists_every_known_rule() {
        let rules = known_rules();
        let t = rules_table(&rules);
        assert!(t.starts_with("CODE"));
        for r in &rules {
            assert!(t.contains(r.code), "{}", r.code);
        }
        assert!(header(&rules[0]).contains(&crate::rules::doc_url(rules[0].code)));
    }
}
