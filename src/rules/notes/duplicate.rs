//! `footnote-duplicate`: The same note is defined twice.

use super::*;

pub const RULE: Rule = Rule {
    code: "footnote-duplicate",
    default_severity: Severity::Error,
    summary: "The same note is defined twice",
    doc: r#"# footnote-duplicate

**What it finds.** A second definition of a footnote label (`[^a]: …` twice, labels
compared case-insensitively), or a number that appears twice in a Notes section.

**Why.** Markers resolve to the first definition only; the text of the second is
silently lost (GitHub, Pandoc and this tool all use the first).

**How it decides.** Reported on the second (and any later) definition, with a link to
the first.

**How to fix.** Merge the two notes, or give the second its own label and cite it. When
both definitions have the same text, a quick fix removes the second.

**How to silence.** `footnote-duplicate = "off"` under `[rules]` in `annalist.toml`.

**Examples.**

```markdown
[^1]: Politburo decision of 24 September 1949.
[^1]: Stalin to Shtykov, 30 January 1950.   <- error: [^1] defined twice
```
"#,
    fix_is_safe: false,
};

impl Report<'_> {
    pub(super) fn duplicate(&self, out: &mut Vec<Finding>) {
        let notes = self.notes;
        for d in &notes.definitions {
            let Some(first) = d.duplicate_of.and_then(|i| notes.definitions.get(i)) else {
                continue;
            };
            let line = self.line(first.span.start);
            let f = match d.style {
                NoteStyle::Footnote => {
                    let label = &d.label;
                    let mut f = Finding::new(
                        RULE.code,
                        RULE.default_severity,
                        d.head(),
                        format!(
                            "Footnote [^{label}] is defined twice: markers use the first definition (line {line}) and this text is lost; merge the two notes, or give this one its own label."
                        ),
                    )
                    .with_related(first.head(), format!("first definition of [^{}]", first.label));
                    if first.content.slice(self.text).trim() == d.content.slice(self.text).trim() {
                        f = f.with_fix(Fix {
                            title: "Remove the duplicate definition".into(),
                            edits: vec![Edit {
                                span: self.removal_span(d.span),
                                new_text: String::new(),
                            }],
                            safe: false,
                        });
                    }
                    f
                }
                NoteStyle::Endnote => {
                    let n = d.number.unwrap_or(0);
                    let title = self
                        .section(d.section)
                        .map(|x| x.title.as_str())
                        .unwrap_or("Notes");
                    Finding::new(
                        RULE.code,
                        RULE.default_severity,
                        d.head(),
                        format!(
                            "Note {n} appears twice in the {title} section: markers use the first entry (line {line}); merge the entries, or renumber."
                        ),
                    )
                    .with_related(first.head(), format!("first entry {n}"))
                }
                NoteStyle::Inline => continue,
            };
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::*;
    use super::RULE;
    use crate::analysis::analyze_str;

    #[test]
    fn duplicates() {
        let t = "A[^a].\n\n[^a]: one\n[^A]: two\n";
        let a = analyze_str(t);
        let f = a
            .findings
            .iter()
            .find(|f| f.code == RULE.code)
            .expect("duplicate");
        assert_eq!(f.span.slice(t), "[^A]");
        assert_eq!(f.related.first().map(|r| r.span.slice(t)), Some("[^a]"));
        assert!(
            f.fixes.is_empty(),
            "different texts: nothing to remove safely"
        );
        assert_eq!(
            fixed(
                "A[^a].\n\n[^a]: one\n[^a]: one\n",
                RULE.code,
                "Remove the duplicate definition"
            ),
            "A[^a].\n\n[^a]: one\n"
        );
        assert_eq!(
            found("A. (1)\n\n## Notes\n\n1. x\n1. y\n"),
            [("footnote-duplicate", "1.".to_string())]
        );
    }
}
