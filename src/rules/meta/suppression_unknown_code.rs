//! `suppression-unknown-code`: a suppression comment names a rule or directive that does
//! not exist, so it silences nothing.

use super::super::Rule;
use crate::facts::Analysis;
use crate::finding::{Edit, Finding, Fix, Severity, Span};

pub const RULE: Rule = Rule {
    code: "suppression-unknown-code",
    default_severity: Severity::Hint,
    summary: "A suppression comment names a rule or directive that does not exist, so it silences nothing",
    doc: SUPPRESSION_DOC,
    fix_is_safe: false,
};

const SUPPRESSION_DOC: &str = r#"# suppression-unknown-code (hint)

A suppression comment names a rule code that no rule has, or a directive that does not
exist, so it silences nothing — usually a typo.

## Suppression comments

```markdown
<!-- annalist-disable-next-line unsourced-claim -->     the next non-blank line
<!-- annalist-disable-line footnote-unused -->          this line
<!-- annalist-disable name-variant -->                  from here…
<!-- annalist-enable name-variant -->                   …to here (or to the end)
```

With no code a directive applies to every rule; several codes are separated by spaces
or commas; `--` starts a free reason. Directives work in list items, block quotes,
indented footnote definitions and CRLF files; inside code they are only examples.

## How it decides

Every code is looked up among the rules that `annalist rules` lists; the directive
word must be one of the four above.

## How to fix

Correct the code (the quick fix offers the closest known code when there is one), or
remove the comment. `annalist rules` lists every code.
"#;

pub(super) fn unknown_codes(a: &Analysis, out: &mut Vec<Finding>) {
    if !a.text.contains("<!--") {
        return;
    }
    let known = crate::rules::codes();
    for d in crate::suppress::directives(&a.text) {
        if d.kind.is_none() {
            let name = d.name.slice(&a.text);
            let mut f = Finding::new(
                "suppression-unknown-code",
                Severity::Hint,
                d.name,
                format!(
                    "Unknown suppression directive `{name}`: this comment silences nothing. Use annalist-disable-next-line, annalist-disable-line, annalist-disable or annalist-enable."
                ),
            );
            let directives = [
                "annalist-disable-next-line",
                "annalist-disable-line",
                "annalist-disable",
                "annalist-enable",
            ];
            if let Some(s) = closest(name, &directives) {
                f = f.with_fix(replace_fix(d.name, s));
            }
            out.push(f);
            continue;
        }
        for (code, span) in &d.codes {
            if known.contains(&code.as_str()) {
                continue;
            }
            let suggestion = closest(code, &known);
            let hint = match suggestion {
                Some(s) => format!(" Did you mean `{s}`?"),
                None => " `annalist rules` lists every code.".to_string(),
            };
            let mut f = Finding::new(
                "suppression-unknown-code",
                Severity::Hint,
                *span,
                format!(
                    "Unknown rule code `{code}` in a suppression comment: it silences nothing.{hint}"
                ),
            );
            if let Some(s) = suggestion {
                f = f.with_fix(replace_fix(*span, s));
            }
            out.push(f);
        }
    }
}

fn replace_fix(span: Span, with: &str) -> Fix {
    Fix {
        title: format!("Replace with `{with}`"),
        edits: vec![Edit {
            span,
            new_text: with.to_string(),
        }],
        safe: false,
    }
}

/// The single closest candidate within a small edit distance, if unambiguous.
fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let limit = (word.chars().count() / 4).clamp(1, 3);
    let mut best: Option<(usize, &str)> = None;
    let mut tie = false;
    for c in candidates {
        let d = strsim::levenshtein(word, c);
        if d > limit {
            continue;
        }
        match best {
            Some((bd, _)) if d > bd => {}
            Some((bd, _)) if d == bd => tie = true,
            _ => {
                best = Some((d, c));
                tie = false;
            }
        }
    }
    if tie { None } else { best.map(|(_, c)| c) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze_str;

    /// The findings of a whole analysis (the suppression filter applied).
    fn run(text: &str) -> Vec<Finding> {
        analyze_str(text).findings
    }

    #[test]
    fn unknown_codes_table() {
        // (text, expected (span text, suggested replacement))
        type Case<'a> = (&'a str, &'a [(&'a str, Option<&'a str>)]);
        let cases: &[Case] = &[
            (
                "<!-- annalist-disable-next-line unsourced-claim -->\nx\n",
                &[],
            ),
            (
                "<!-- annalist-disable-next-line analysis-limited -->\nx\n",
                &[],
            ),
            (
                "<!-- annalist-disable-next-line unsoursed-claim -->\nx\n",
                &[("unsoursed-claim", Some("unsourced-claim"))],
            ),
            (
                "<!-- annalist-disable no-such-thing, unsourced-claim -->\nx\n",
                &[("no-such-thing", None)],
            ),
            (
                "<!-- annalist-disabel-next-line -->\nx\n",
                &[(
                    "annalist-disabel-next-line",
                    Some("annalist-disable-next-line"),
                )],
            ),
            ("```\n<!-- annalist-disable nonsense -->\n```\n", &[]),
            ("<!-- ordinary comment nonsense -->\n", &[]),
        ];
        for (input, want) in cases {
            let fs = run(input);
            let got: Vec<(&str, Option<&str>)> = fs
                .iter()
                .filter(|f| f.code == "suppression-unknown-code")
                .map(|f| {
                    let rep = f
                        .fixes
                        .first()
                        .and_then(|x| x.edits.first())
                        .map(|e| e.new_text.as_str());
                    (f.span.slice(input), rep)
                })
                .collect();
            assert_eq!(&got, want, "in {input:?}");
        }
    }

    #[test]
    fn closest_code() {
        assert_eq!(strsim::levenshtein("kitten", "sitting"), 3);
        assert_eq!(
            closest("unsourced-clam", &["unsourced-claim", "x"]),
            Some("unsourced-claim")
        );
        assert_eq!(closest("zzz", &["unsourced-claim"]), None);
    }
}
