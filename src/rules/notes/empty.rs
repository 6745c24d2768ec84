//! `footnote-empty`: A note has no text.

use super::*;

pub const RULE: Rule = Rule {
    code: "footnote-empty",
    default_severity: Severity::Warning,
    summary: "A note has no text",
    doc: r#"# footnote-empty

**What it finds.** A footnote definition with nothing after `[^label]:` (and no indented
continuation), a Notes-section entry with only its number, or an empty inline note `^[]`.

**Why.** A placeholder left while transcribing; the reader gets a marker leading nowhere.

**How to fix.** Write the note, or remove it and its markers.

**How to silence.** `footnote-empty = "off"` under `[rules]` in `annalist.toml`.

**Examples.**

```markdown
[^3]:            <- warning: footnote [^3] has no text

## Notes

1. Shtykov to Moscow, 3 February 1949.
2.               <- warning: note 2 has no text
```
"#,
    fix_is_safe: false,
};

impl Report<'_> {
    pub(super) fn empty(&self, out: &mut Vec<Finding>) {
        for d in &self.notes.definitions {
            if !d.content.slice(self.text).trim().is_empty() {
                continue;
            }
            let msg = match d.style {
                NoteStyle::Footnote => format!(
                    "Footnote [^{0}] has no text: write the note after `[^{0}]:`, or remove it and its markers.",
                    d.label
                ),
                NoteStyle::Endnote => format!(
                    "Note {} in the {} section has no text: write the note after its number, or remove the entry and its markers.",
                    d.number.unwrap_or(0),
                    self.section(d.section)
                        .map(|x| x.title.as_str())
                        .unwrap_or("Notes")
                ),
                NoteStyle::Inline => {
                    "This inline note is empty: write the note between `^[` and `]`, or remove it."
                        .to_string()
                }
            };
            let span = if d.style == NoteStyle::Inline {
                d.span
            } else {
                d.head()
            };
            out.push(Finding::new(RULE.code, RULE.default_severity, span, msg));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::*;

    #[test]
    fn empty_notes() {
        assert_eq!(
            found("A[^a].\n\n[^a]:\n"),
            [("footnote-empty", "[^a]".to_string())]
        );
        assert_eq!(found("A[^a].\n\n[^a]:\n\n    later text\n"), vec![]);
        assert_eq!(
            found("A. (1) B. (2)\n\n## Notes\n\n1. x\n2.\n"),
            [("footnote-empty", "2.".to_string())]
        );
        assert_eq!(
            found("An empty^[ ] note.\n"),
            [("footnote-empty", "^[ ]".to_string())]
        );
    }
}
