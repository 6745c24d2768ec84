//! Rules of the notes family: every marker resolves, every note is cited once defined,
//! no note is defined twice or left empty, numbered notes run in order.
//!
//! The facts come from [`crate::notes`]; these rules only judge them.

use super::Rule;
use crate::facts::{Analysis, Context};
use crate::finding::{Edit, Finding, Fix, Severity, Span};
use crate::notes::{Definition, Marker, NoteStyle, Notes, NotesSection, label_key};
use std::collections::HashSet;

mod duplicate;
mod empty;
mod order;
mod undefined;
mod unused;

pub static RULES: &[Rule] = &[
    undefined::RULE,
    unused::RULE,
    duplicate::RULE,
    empty::RULE,
    order::RULE,
];

pub fn check(a: &Analysis, _ctx: &Context, out: &mut Vec<Finding>) {
    let r = Report {
        text: &a.text,
        notes: &a.notes,
        a,
        tail: crate::notes::Tail::of(&a.text),
    };
    r.undefined(out);
    r.unused(out);
    r.duplicate(out);
    r.empty(out);
    r.order(out);
}

struct Report<'a> {
    text: &'a str,
    notes: &'a Notes,
    a: &'a Analysis,
    /// How the document ends (its line ending; where a definition is appended).
    tail: crate::notes::Tail,
}

impl Report<'_> {
    fn line(&self, offset: usize) -> usize {
        self.a.lines.line_of(offset) + 1
    }
    fn eol(&self) -> &'static str {
        self.tail.eol
    }
    fn section(&self, i: Option<usize>) -> Option<&NotesSection> {
        i.and_then(|i| self.notes.sections.get(i))
    }
    /// Whether any marker cites section `s`.
    fn cited(&self, s: usize) -> bool {
        self.notes
            .markers
            .iter()
            .any(|m| m.style == NoteStyle::Endnote && m.section == Some(s))
    }
    /// How the text writes note `n`, following the first marker citing section `s`.
    fn marker_form(&self, s: Option<usize>, n: u32) -> String {
        let first = self
            .notes
            .markers
            .iter()
            .find(|m| m.style == NoteStyle::Endnote && m.section == s);
        let Some(m) = first else {
            return format!("({n})");
        };
        let written = m.span.slice(self.text);
        let digits = m.label_span.slice(self.text);
        if written.chars().any(|c| "¹²³⁴⁵⁶⁷⁸⁹⁰".contains(c)) {
            return superscript(n);
        }
        written.replacen(digits, &n.to_string(), 1)
    }
}

fn plural_notes(missing: &[u32], list: &str) -> String {
    if missing.len() == 1 {
        format!("note {list} is")
    } else {
        format!("notes {list} are")
    }
}

/// `3`, `3 and 5`, `3–6`, `3, 5 and 8`.
fn number_list(ns: &[u32]) -> String {
    let contiguous = ns.windows(2).all(|w| w[1] == w[0] + 1);
    match ns {
        [] => String::new(),
        [a] => a.to_string(),
        [a, b] => format!("{a} and {b}"),
        [first, .., last] if contiguous => format!("{first}–{last}"),
        [init @ .., last] => format!(
            "{} and {last}",
            init.iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn superscript(n: u32) -> String {
    n.to_string()
        .chars()
        .map(|c| match c {
            '0' => '⁰',
            '1' => '¹',
            '2' => '²',
            '3' => '³',
            '4' => '⁴',
            '5' => '⁵',
            '6' => '⁶',
            '7' => '⁷',
            '8' => '⁸',
            _ => '⁹',
        })
        .collect()
}

/// Which elements belong to a longest strictly increasing subsequence of `xs`.
fn increasing_run(xs: &[u32]) -> Vec<bool> {
    // tails[k]: index of the smallest tail of an increasing run of length k+1.
    let mut tails: Vec<usize> = Vec::new();
    let mut parent: Vec<Option<usize>> = vec![None; xs.len()];
    for (i, &x) in xs.iter().enumerate() {
        let k = tails.partition_point(|&t| xs[t] < x);
        parent[i] = k.checked_sub(1).map(|p| tails[p]);
        if k == tails.len() {
            tails.push(i);
        } else {
            tails[k] = i;
        }
    }
    let mut keep = vec![false; xs.len()];
    let mut cur = tails.last().copied();
    while let Some(i) = cur {
        keep[i] = true;
        cur = parent[i];
    }
    keep
}

/// Levenshtein distance between `a` and `b` (in characters, by `strsim`), or `None`
/// when it exceeds `max`. Labels past 200 characters are not compared.
fn edit_distance(a: &str, b: &str, max: usize) -> Option<usize> {
    let (la, lb) = (a.chars().count(), b.chars().count());
    if la.abs_diff(lb) > max || la > 200 || lb > 200 {
        return None;
    }
    let d = strsim::levenshtein(a, b);
    (d <= max).then_some(d)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::analysis::analyze_str;
    use crate::finding::apply_edits;

    /// (code, text under the finding's span) of the notes findings.
    pub(crate) fn found(text: &str) -> Vec<(&'static str, String)> {
        analyze_str(text)
            .findings
            .iter()
            .filter(|f| f.code.starts_with("footnote-"))
            .map(|f| (f.code, f.span.slice(text).to_string()))
            .collect()
    }
    pub(crate) fn codes(text: &str) -> Vec<&'static str> {
        found(text).into_iter().map(|(c, _)| c).collect()
    }
    /// The text after applying the fix titled `title` of the first finding with `code`.
    pub(crate) fn fixed(text: &str, code: &str, title: &str) -> String {
        let a = analyze_str(text);
        let f = a
            .findings
            .iter()
            .find(|f| f.code == code)
            .unwrap_or_else(|| panic!("no {code} in {text:?}"));
        let fix = f
            .fixes
            .iter()
            .find(|x| x.title == title)
            .unwrap_or_else(|| panic!("no fix {title:?}: {:?}", f.fixes));
        assert!(!fix.safe);
        apply_edits(text, &fix.edits)
    }
    #[test]
    fn rules_are_registered_and_documented() {
        for r in RULES {
            assert!(r.doc.contains("How to fix"), "{}", r.code);
            assert!(r.doc.contains("Example"), "{}", r.code);
            assert!(crate::rules::find(r.code).is_some());
        }
    }
    #[test]
    fn quiet_on_correct_documents() {
        for text in [
            "A[^a] b[^b].\n\n[^a]: one\n[^b]: two\n",
            "Stalin agreed. (1) Kim left. (2)\n\n## Notes\n\n1. x\n2. y\n",
            "A sources list, not cited.\n\n## Sources\n\n1. Archive A\n3. Archive B\n",
            "Inline^[a note] only.\n",
            "The treaty (1949) and points: (1) one, (2) two.\n\n## Notes\n\n1. x\n",
            "",
        ] {
            assert_eq!(found(text), vec![], "{text:?}");
        }
        let bajanov = include_str!("../../../fixtures/bajanov-1995.md");
        assert_eq!(found(bajanov), vec![]);
    }
    #[test]
    fn helpers() {
        assert_eq!(
            increasing_run(&[1, 2, 9, 3, 4, 5]),
            [true, true, false, true, true, true]
        );
        assert_eq!(increasing_run(&[]), Vec::<bool>::new());
        assert_eq!(increasing_run(&[3, 2, 1]).iter().filter(|k| **k).count(), 1);
        assert_eq!(number_list(&[3]), "3");
        assert_eq!(number_list(&[3, 5]), "3 and 5");
        assert_eq!(number_list(&[3, 4, 5, 6]), "3–6");
        assert_eq!(number_list(&[3, 5, 8]), "3, 5 and 8");
        assert_eq!(edit_distance("source", "sorce", 3), Some(1));
        assert_eq!(edit_distance("a", "abcdef", 3), None);
        assert_eq!(superscript(12), "¹²");
    }
    #[test]
    fn configured_off_rules_are_silent() {
        let config = crate::config::Config::parse(
            "[rules]\nfootnote-unused = \"off\"\n",
            std::path::Path::new("annalist.toml"),
            &crate::rules::codes(),
        );
        let Ok(config) = config else {
            panic!("config does not parse");
        };
        let knowledge = crate::facts::Knowledge::embedded();
        let ctx = Context {
            config: &config,
            knowledge: &knowledge,
        };
        let a = crate::analysis::analyze(std::sync::Arc::from("Text.\n\n[^a]: x\n"), None, &ctx);
        assert!(a.findings.iter().all(|f| f.code != unused::RULE.code));
    }
}
