//! `front-matter-entity`: an entity in the front matter's `entities:` cannot be read.
//! The entries are read by [`crate::names::document_entities`]; this rule reports the
//! problems met.

use crate::facts::Analysis;
use crate::finding::Span;
use crate::rules::Rule;

pub const RULE: Rule = Rule {
    code: "front-matter-entity",
    default_severity: crate::finding::Severity::Warning,
    summary: "An entity in the front matter's `entities:` cannot be read",
    doc: "# front-matter-entity\n\n\
**What it finds.** An entry under `entities:` in the document's YAML front matter that \
cannot be read: YAML that does not parse, an entry without `id`, `kind` or `preferred`, \
an unknown `kind` or `system`, or an unknown key.\n\n\
**Why.** The entry is skipped: its names are not recognised in this document, and \
hovering them shows nothing, without this warning you would not know why.\n\n\
**How it decides.** The front matter is read as YAML; each list item under `entities:` \
must have the shape of a gazetteer `[[entity]]` table (see docs/gazetteer.md).\n\n\
**How to fix.** Correct the entry as the message says. Silence it with \
`front-matter-entity = \"off\"` under `[rules]` in annalist.toml.\n\n\
**Example.**\n\n```yaml\nentities:\n  - id: kovalev\n    kind: persn      # unknown kind\n    preferred: Ivan Kovalev\n```\n",
    fix_is_safe: false,
};

/// Findings for the problems of the document's front-matter entities.
pub fn check(a: &Analysis, out: &mut Vec<crate::finding::Finding>) {
    let Some(local) = &a.local else {
        return;
    };
    for p in &local.problems {
        let start = p.offset.min(a.text.len());
        let end = a
            .text
            .get(start..)
            .and_then(|r| r.find('\n'))
            .map_or(a.text.len(), |i| start + i);
        out.push(crate::finding::Finding::new(
            RULE.code,
            RULE.default_severity,
            Span::new(start, end),
            format!("This front-matter entity cannot be read: {}", p.message),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::analyze_str;

    #[test]
    fn an_unreadable_entry_is_reported_at_its_line() {
        let text = "---\nentities:\n  - id: kovalev\n    kind: persn\n    preferred: Ivan Kovalev\n---\n\nKovalev came.\n";
        let a = analyze_str(text);
        let f: Vec<_> = a
            .findings
            .iter()
            .filter(|f| f.code == "front-matter-entity")
            .collect();
        assert_eq!(f.len(), 1, "{:?}", a.findings);
        assert!(
            f[0].message
                .starts_with("This front-matter entity cannot be read")
        );
    }
}
