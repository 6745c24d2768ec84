//! `footnote-undefined`: A note marker cites a note that does not exist.

use super::*;

pub const RULE: Rule = Rule {
    code: "footnote-undefined",
    default_severity: Severity::Error,
    summary: "A note marker cites a note that does not exist",
    doc: r#"# footnote-undefined

**What it finds.** A note marker whose note is nowhere in the document:

- a footnote marker `[^label]` with no `[^label]: …` definition (labels compare
  case-insensitively, as GitHub and Pandoc do);
- a numbered endnote marker such as `(11)`, `[11]`, `¹¹` or `<sup>11</sup>` when the
  Notes section has no entry 11;
- numbered markers (1), (2), (3)… in a document that has no Notes section at all
  (reported once, on the first marker).

**Why.** A reader who follows the marker finds nothing; renderers print a GFM marker
without a definition as literal text `[^label]`.

**How it decides.** Footnote definitions are `[^label]:` at the start of a line, anywhere
in the file. A Notes section is a heading (any level) or a bold-only line titled Notes,
Endnotes, Footnotes, References or Sources, followed by a numbered list (`1.`, `(1)`,
`[1]`); the number as written counts. Numbered markers are only taken as note markers
where the context says so (see `annalist explain footnote-order` for the details).

**How to fix.** Add the missing definition or entry, or correct the marker's label or
number. Quick fixes: add a definition `[^label]: ` at the end of the document; change
the label to a similar defined one; insert the missing entry into the Notes section.

**How to silence.** `footnote-undefined = "off"` under `[rules]` in `annalist.toml`, or
`<!-- annalist-disable-next-line footnote-undefined -->` before the line.

**Examples.**

```markdown
Stalin hesitated.[^shtykov]      <- error: no [^shtykov]: definition

[^shtykov-1949]: Shtykov to Vyshinsky, 3 February 1949.
```
"#,
    fix_is_safe: false,
};

impl Report<'_> {
    pub(super) fn undefined(&self, out: &mut Vec<Finding>) {
        let notes = self.notes;
        for m in notes.markers.iter().filter(|m| m.definition.is_none()) {
            match m.style {
                NoteStyle::Footnote => out.push(self.undefined_footnote(m)),
                NoteStyle::Endnote if m.section.is_some() => {
                    if let Some(f) = self.undefined_endnote(m) {
                        out.push(f);
                    }
                }
                _ => {}
            }
        }
        // Numbered markers and no Notes section: one finding for all of them.
        let orphans: Vec<&Marker> = notes
            .markers
            .iter()
            .filter(|m| m.style == NoteStyle::Endnote && m.section.is_none())
            .collect();
        if let Some(first) = orphans.first() {
            let lo = orphans.iter().filter_map(|m| m.number).min().unwrap_or(1);
            let hi = orphans.iter().filter_map(|m| m.number).max().unwrap_or(lo);
            let mut f = Finding::new(
                RULE.code,
                RULE.default_severity,
                first.span,
                format!(
                    "Numbered note markers ({} in all, notes {lo} to {hi}) cite notes this document does not contain: add a Notes section (a heading `## Notes` followed by `1. …`), or remove the markers.",
                    orphans.len()
                ),
            );
            for m in orphans.iter().skip(1).take(50) {
                f = f.with_related(
                    m.span,
                    format!(
                        "note marker {} without a Notes section",
                        m.span.slice(self.text)
                    ),
                );
            }
            out.push(f);
        }
    }
    pub(super) fn undefined_footnote(&self, m: &Marker) -> Finding {
        let label = &m.label;
        let mut f = Finding::new(
            RULE.code,
            RULE.default_severity,
            m.span,
            format!(
                "Footnote [^{label}] has no definition: add a line `[^{label}]: …` with the note's text, or correct the label."
            ),
        );
        // A similar label that is defined: offer it first.
        let key = label_key(label);
        let mut near: Vec<(usize, &Definition)> = self
            .notes
            .definitions
            .iter()
            .filter(|d| d.style == NoteStyle::Footnote && d.duplicate_of.is_none())
            .filter_map(|d| {
                let dist = edit_distance(&key, &label_key(&d.label), 3)?;
                let limit = if key.chars().count() >= 4 { 2 } else { 1 };
                (dist <= limit).then_some((dist, d))
            })
            .collect();
        near.sort_by_key(|(dist, d)| (*dist, d.span.start));
        for (_, d) in near.iter().take(3) {
            f = f.with_fix(Fix {
                title: format!("Change to [^{}]", d.label),
                edits: vec![Edit {
                    span: m.label_span,
                    new_text: d.label.clone(),
                }],
                safe: false,
            });
        }
        // Append a definition at the end of the document.
        let tail = self.tail;
        f.with_fix(Fix {
            title: format!("Add a definition for [^{label}]"),
            edits: vec![Edit {
                span: Span::new(tail.end, tail.end),
                new_text: tail.definition(label),
            }],
            safe: false,
        })
    }
    pub(super) fn undefined_endnote(&self, m: &Marker) -> Option<Finding> {
        let s = m.section?;
        let sec = self.section(Some(s))?;
        let n = m.number?;
        let written = m.span.slice(self.text);
        let mut f = Finding::new(
            RULE.code,
            RULE.default_severity,
            m.span,
            format!(
                "Note marker {written} cites note {n}, but the {} section (line {}) has no entry {n}: add the entry, or correct the number.",
                sec.title,
                self.line(sec.heading.start)
            ),
        )
        .with_related(sec.heading, format!("the {} section", sec.title));
        if let Some(edit) = self.insert_entry(sec, n) {
            f = f.with_fix(Fix {
                title: format!("Add entry {n} to the {} section", sec.title),
                edits: vec![edit],
                safe: false,
            });
        }
        Some(f)
    }
    /// An edit inserting an empty entry `n` at its place in `sec`.
    pub(super) fn insert_entry(&self, sec: &NotesSection, n: u32) -> Option<Edit> {
        let entries: Vec<&Definition> = sec
            .entries
            .iter()
            .filter_map(|&i| self.notes.definitions.get(i))
            .collect();
        let first = entries.first()?;
        let head = first.head().slice(self.text).trim_end();
        let digits = first.label_span.slice(self.text);
        let new_head = head.replacen(digits, &n.to_string(), 1);
        let eol = self.eol();
        let loose = entries.get(1).is_some_and(|second| {
            let between = self
                .text
                .get(first.span.end..second.span.start)
                .unwrap_or("");
            between.matches('\n').count() >= 2
        });
        let sep = if loose {
            format!("{eol}{eol}")
        } else {
            eol.to_string()
        };
        let before = entries
            .iter()
            .filter(|d| d.number.is_some_and(|x| x < n))
            .max_by_key(|d| (d.number, d.span.start));
        Some(match before {
            Some(d) => Edit {
                span: Span::new(d.span.end, d.span.end),
                new_text: format!("{sep}{new_head} "),
            },
            None => Edit {
                span: Span::new(first.span.start, first.span.start),
                new_text: format!("{new_head} {sep}"),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::*;
    use super::RULE;
    use crate::analysis::analyze_str;

    #[test]
    fn undefined_markers() {
        assert_eq!(
            found("A[^x] and again[^x].\n"),
            [
                ("footnote-undefined", "[^x]".to_string()),
                ("footnote-undefined", "[^x]".to_string())
            ]
        );
        assert_eq!(
            found("A. (1) B. (3)\n\n## Notes\n\n1. x\n2. y\n"),
            [
                ("footnote-undefined", "(3)".to_string()),
                ("footnote-unused", "2.".to_string())
            ]
        );
        // No Notes section at all: one finding for the lot.
        let t = "A. (1)\n\nB. (2)\n\nC. (3)\n";
        let a = analyze_str(t);
        let f: Vec<_> = a.findings.iter().filter(|f| f.code == RULE.code).collect();
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].related.len(), 2);
        assert!(
            f[0].message.contains("3 in all, notes 1 to 3"),
            "{}",
            f[0].message
        );
    }
    /// Issue #13 item 4: printed "(n)" endnote markers, a Notes section that lacks one
    /// number. The marker is reported (once), not only the gap in the section.
    #[test]
    fn endnote_whose_entry_is_lost() {
        let t = "Stalin agreed to the plan. (1) Kim left for Moscow on 30 March. (2) The talks lasted a week. (3) Mao was told later. (4)\n\n## Notes\n\n1. Shtykov to Vyshinsky.\n2. Ciphered telegram.\n4. Kovalev's report.\n";
        assert_eq!(found(t), [("footnote-undefined", "(3)".to_string())]);
        let a = analyze_str(t);
        let m = a.notes.marker_at(t.find("(3)").unwrap_or(0) + 1);
        assert!(m.is_some_and(|m| m.number == Some(3) && m.definition.is_none()));
        // At the end of a paragraph the marker was found before; the gap is no longer
        // reported a second time.
        let t = "Stalin agreed. (1)\n\nKim left. (2)\n\nThe talks lasted a week. (3)\n\nMao was told. (4)\n\n## Notes\n\n1. a\n2. b\n4. d\n";
        assert_eq!(found(t), [("footnote-undefined", "(3)".to_string())]);
        // A gap nobody cites is still the section's.
        let t =
            "Stalin agreed. (1) Kim left. (2) Mao was told. (4)\n\n## Notes\n\n1. a\n2. b\n4. d\n";
        let codes: Vec<_> = found(t).into_iter().map(|(c, _)| c).collect();
        assert_eq!(codes, ["footnote-order"]);
        // An enumeration is still not a marker: (1) … (2) … inside a sentence.
        let t = "The plan had two parts: (1) a treaty and (3) a loan.\n\n## Notes\n\n1. a\n2. b\n4. d\n";
        assert!(found(t).iter().all(|(c, _)| *c != "footnote-undefined"));
    }
    #[test]
    fn undefined_fixes() {
        assert_eq!(
            fixed("A[^x].", RULE.code, "Add a definition for [^x]"),
            "A[^x].\n\n[^x]: \n"
        );
        assert_eq!(
            fixed("A[^x].\r\n", RULE.code, "Add a definition for [^x]"),
            "A[^x].\r\n\r\n[^x]: \r\n"
        );
        let t = "A[^sorce].\n\n[^source]: The archive.\n";
        assert_eq!(
            fixed(t, RULE.code, "Change to [^source]"),
            "A[^source].\n\n[^source]: The archive.\n"
        );
        let t = "A. (1) B (3). C. (4)\n\n## Notes\n\n1. x\n2. y\n4. z\n";
        assert_eq!(
            fixed(t, RULE.code, "Add entry 3 to the Notes section"),
            "A. (1) B (3). C. (4)\n\n## Notes\n\n1. x\n2. y\n3. \n4. z\n"
        );
        let t = "A. (1)\n\n## Notes\n\n(2) y\n";
        assert_eq!(
            fixed(t, RULE.code, "Add entry 1 to the Notes section"),
            "A. (1)\n\n## Notes\n\n(1) \n(2) y\n"
        );
        // No similar label: no "Change to" fix.
        let a = analyze_str("A[^x].\n\n[^completely-different]: y\n");
        let titles: Vec<&str> = a
            .findings
            .iter()
            .filter(|f| f.code == RULE.code)
            .flat_map(|f| f.fixes.iter().map(|x| x.title.as_str()))
            .collect();
        assert_eq!(titles, ["Add a definition for [^x]"]);
    }
}
