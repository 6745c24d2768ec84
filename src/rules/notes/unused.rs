//! `footnote-unused`: A note is defined but never cited.

use super::*;

pub const RULE: Rule = Rule {
    code: "footnote-unused",
    default_severity: Severity::Warning,
    summary: "A note is defined but never cited",
    doc: r#"# footnote-unused

**What it finds.** A footnote definition `[^label]: …` that no marker cites, or an entry
of a Notes section whose number no marker in the text cites.

**Why.** An uncited note is usually a marker lost while editing, or a label mistyped at
one end. GitHub drops uncited footnotes from the rendered page.

**How it decides.** Each marker resolves to the first definition of its label (or to the
entry with its number in the Notes section it cites). Entries of a Notes section are
only checked when at least one marker in the text cites that section, so a plain
numbered list of sources under "Sources" is left alone.

**How to fix.** Put the marker back where the note belongs, or remove the note. Quick
fix (not applied by `--fix`): remove the unused footnote definition.

**How to silence.** `footnote-unused = "off"` under `[rules]` in `annalist.toml`, or
`<!-- annalist-disable-next-line footnote-unused -->` before the definition.

**Examples.**

```markdown
Kim insisted on war.

[^kim]: Shtykov's cable of 19 January 1950.   <- warning: never cited
```
"#,
    fix_is_safe: false,
};

impl Report<'_> {
    pub(super) fn unused(&self, out: &mut Vec<Finding>) {
        let notes = self.notes;
        let cited: HashSet<usize> = notes.markers.iter().filter_map(|m| m.definition).collect();
        for (i, d) in notes.definitions.iter().enumerate() {
            if d.duplicate_of.is_some() || cited.contains(&i) {
                continue;
            }
            match d.style {
                NoteStyle::Footnote => {
                    let label = &d.label;
                    out.push(
                        Finding::new(
                            RULE.code,
                            RULE.default_severity,
                            d.head(),
                            format!(
                                "Footnote [^{label}] is defined but never cited: put the marker [^{label}] where the note belongs, or remove the definition."
                            ),
                        )
                        .with_fix(Fix {
                            title: "Remove the unused note".into(),
                            edits: vec![Edit {
                                span: self.removal_span(d.span),
                                new_text: String::new(),
                            }],
                            safe: false,
                        }),
                    );
                }
                NoteStyle::Endnote => {
                    let (Some(s), Some(n)) = (d.section, d.number) else {
                        continue;
                    };
                    if !self.cited(s) {
                        continue;
                    }
                    let title = self
                        .section(Some(s))
                        .map(|x| x.title.as_str())
                        .unwrap_or("Notes");
                    out.push(Finding::new(
                        RULE.code,
                        RULE.default_severity,
                        d.head(),
                        format!(
                            "Note {n} in the {title} section is never cited in the text: add its marker {} where it belongs, or remove the entry.",
                            self.marker_form(Some(s), n)
                        ),
                    ));
                }
                NoteStyle::Inline => {}
            }
        }
    }
    /// Whole lines of a definition, with its line ending and one surrounding blank
    /// line, when nothing else shares them; otherwise the span itself.
    pub(super) fn removal_span(&self, span: Span) -> Span {
        let text = self.text;
        let b = text.as_bytes();
        let line_start = text
            .get(..span.start)
            .and_then(|s| s.rfind(['\n', '\r']))
            .map(|i| i + 1)
            .unwrap_or(0);
        let before = text.get(line_start..span.start).unwrap_or("x");
        if !before.trim().is_empty() {
            return span;
        }
        let mut end = span.end;
        let eat_eol = |mut e: usize| {
            if b.get(e) == Some(&b'\r') {
                e += 1;
            }
            if b.get(e) == Some(&b'\n') {
                e += 1;
            }
            e
        };
        end = eat_eol(end);
        // Also one blank line after it, when a blank line precedes it too.
        let prev_blank = line_start == 0
            || text
                .get(..line_start)
                .is_some_and(|s| s.ends_with("\n\n") || s.ends_with("\r\n\r\n"));
        if prev_blank {
            let e2 = eat_eol(end);
            if e2 > end && text.get(end..e2).is_some_and(|s| s.trim().is_empty()) {
                end = e2;
            }
        }
        Span::new(line_start, end)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::*;
    use super::RULE;
    use crate::analysis::analyze_str;

    #[test]
    fn unused_notes() {
        assert_eq!(
            found("Text.\n\n[^a]: never cited\n"),
            [("footnote-unused", "[^a]".to_string())]
        );
        assert_eq!(
            fixed(
                "Text[^b].\n\n[^a]: never cited\n\n[^b]: cited\n",
                RULE.code,
                "Remove the unused note"
            ),
            "Text[^b].\n\n[^b]: cited\n"
        );
        assert_eq!(
            fixed(
                "Text.\n\n[^a]: one\n    two\n",
                RULE.code,
                "Remove the unused note"
            ),
            "Text.\n\n"
        );
        // A definition cited only from another note is cited.
        assert_eq!(
            codes("A[^a].\n\n[^a]: see [^b]\n[^b]: x\n"),
            Vec::<&str>::new()
        );
        // Endnote entries: only when the section is cited at all.
        let msgs: Vec<String> = analyze_str("A. (1)\n\n## Notes\n\n1. x\n2. y\n")
            .findings
            .iter()
            .filter(|f| f.code == RULE.code)
            .map(|f| f.message.clone())
            .collect();
        assert_eq!(msgs.len(), 1);
        assert!(
            msgs[0].contains("Note 2") && msgs[0].contains("(2)"),
            "{msgs:?}"
        );
        assert_eq!(
            codes("No markers.\n\n## Notes\n\n1. x\n2. y\n"),
            Vec::<&str>::new()
        );
    }
}
