//! `footnote-order`: Numbered notes are out of order or have gaps.

use super::*;

pub const RULE: Rule = Rule {
    code: "footnote-order",
    default_severity: Severity::Info,
    summary: "Numbered notes are out of order or have gaps",
    doc: r#"# footnote-order

**What it finds.**

- a numbered marker first cited out of ascending order: `(4)` before `(3)`, or `[^2]`
  before `[^1]` for numeric footnote labels;
- a Notes-section entry out of order (entry 7 after entry 8);
- a gap in the Notes section (entries 2 then 4: note 3 is missing), or a section that
  does not start at 1.

**Why.** Printed notes run in order; a marker out of order is usually a wrong number or
a note moved without renumbering, and a gap a note lost in transcription. The number as
written is what counts: nothing is renumbered.

**How it decides.** The longest run of markers (or entries) already in ascending order
is taken as right; the others are reported, with their neighbours. Notes-section
entries are only checked when the text cites the section.

Numbered endnote markers are recognised by context, precision first: `(3)`, `[3]`,
`³`, `<sup>3</sup>` after a sentence or a word, at the end of a sentence or paragraph;
never a year such as `(1949)` (beyond the section's last number), never after a comma,
a colon, a digit, "see", "p." or "no.", never opening a paragraph, and `(1) … (2) …`
enumerations inside a sentence are not markers. `[3]` is a link when `[3]: url` is
defined.

**How to fix.** Correct the number, or renumber the notes and their entries.

**How to silence.** `footnote-order = "off"` under `[rules]` in `annalist.toml`.

**Examples.**

```markdown
Stalin agreed. (4) Mao was not told. (3)      <- info: note 4 is first cited before note 3
```
"#,
    fix_is_safe: false,
};

impl Report<'_> {
    pub(super) fn order(&self, out: &mut Vec<Finding>) {
        let notes = self.notes;
        // Markers: endnotes per section, then numeric footnote labels.
        let mut groups: Vec<(Option<usize>, NoteStyle)> = Vec::new();
        for m in &notes.markers {
            let g = match m.style {
                NoteStyle::Endnote => (m.section, NoteStyle::Endnote),
                NoteStyle::Footnote if m.number.is_some() && m.definition.is_some() => {
                    (None, NoteStyle::Footnote)
                }
                _ => continue,
            };
            if !groups.contains(&g) {
                groups.push(g);
            }
        }
        for (section, style) in groups {
            let mut seen = HashSet::new();
            let firsts: Vec<(u32, &Marker)> = notes
                .markers
                .iter()
                .filter(|m| {
                    m.style == style
                        && (style == NoteStyle::Footnote && m.definition.is_some()
                            || style == NoteStyle::Endnote && m.section == section)
                })
                .filter_map(|m| m.number.map(|n| (n, m)))
                .filter(|(n, _)| seen.insert(*n))
                .collect();
            let numbers: Vec<u32> = firsts.iter().map(|(n, _)| *n).collect();
            let keep = increasing_run(&numbers);
            for (i, (n, m)) in firsts.iter().enumerate() {
                if keep.get(i).copied().unwrap_or(true) {
                    continue;
                }
                let prev = (0..i).rev().find(|&j| keep[j]).map(|j| numbers[j]);
                let next = (i + 1..numbers.len())
                    .find(|&j| keep[j])
                    .map(|j| numbers[j]);
                let written = m.span.slice(self.text);
                let place = match (prev, next) {
                    (_, Some(x)) if *n > x => format!("before note {x}"),
                    (Some(p), _) if *n < p => format!("after note {p}"),
                    _ => "out of sequence".to_string(),
                };
                out.push(Finding::new(
                    RULE.code,
                    RULE.default_severity,
                    m.span,
                    format!(
                        "Note {written} is first cited {place}: numbered notes should first appear in ascending order. Check the number, or renumber the notes."
                    ),
                ));
            }
        }
        // Notes sections: entries in order, without gaps.
        for (s, sec) in notes.sections.iter().enumerate() {
            if !self.cited(s) {
                continue;
            }
            let entries: Vec<&Definition> = sec
                .entries
                .iter()
                .filter_map(|&i| notes.definitions.get(i))
                .filter(|d| d.duplicate_of.is_none() && d.number.is_some())
                .collect();
            let numbers: Vec<u32> = entries.iter().filter_map(|d| d.number).collect();
            let mut present: HashSet<u32> = numbers.iter().copied().collect();
            // A missing entry that a marker cites is reported once, at the marker
            // (footnote-undefined), not again as a gap here.
            present.extend(
                notes
                    .markers
                    .iter()
                    .filter(|m| m.style == NoteStyle::Endnote && m.section == Some(s))
                    .filter(|m| m.definition.is_none())
                    .filter_map(|m| m.number),
            );
            let keep = increasing_run(&numbers);
            let mut last_kept: Option<u32> = None;
            for (i, d) in entries.iter().enumerate() {
                let n = numbers.get(i).copied().unwrap_or(0);
                if !keep.get(i).copied().unwrap_or(true) {
                    let prev = (0..i)
                        .rev()
                        .find(|&j| keep[j])
                        .map(|j| numbers[j])
                        .unwrap_or(0);
                    let after = numbers.get(i.wrapping_sub(1)).copied().unwrap_or(prev);
                    out.push(Finding::new(
                        RULE.code,
                        RULE.default_severity,
                        d.head(),
                        format!(
                            "Entry {n} is out of order in the {} section: it comes after entry {after}. Move it to its place, or correct the number.",
                            sec.title
                        ),
                    ));
                    continue;
                }
                let from = last_kept.unwrap_or(0);
                let missing: Vec<u32> = (from + 1..n).filter(|x| !present.contains(x)).collect();
                if !missing.is_empty() {
                    let list = number_list(&missing);
                    let msg = if last_kept.is_none() {
                        format!(
                            "The {} section starts at {n}: {} missing. Add the missing notes, or correct the numbers.",
                            sec.title,
                            plural_notes(&missing, &list)
                        )
                    } else {
                        format!(
                            "The {} section skips from {from} to {n}: {} missing. Add the missing notes, or correct the numbers.",
                            sec.title,
                            plural_notes(&missing, &list)
                        )
                    };
                    out.push(Finding::new(
                        RULE.code,
                        RULE.default_severity,
                        d.head(),
                        msg,
                    ));
                }
                last_kept = Some(n);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::*;
    use super::RULE;
    use crate::analysis::analyze_str;

    #[test]
    fn order_of_markers_and_entries() {
        assert_eq!(
            found(
                "A. (1) B. (2) C. (4) D. (3) E. (5)\n\n## Notes\n\n1. a\n2. b\n3. c\n4. d\n5. e\n"
            ),
            [("footnote-order", "(4)".to_string())]
        );
        assert_eq!(
            found("A[^2] b[^1].\n\n[^1]: x\n[^2]: y\n"),
            [("footnote-order", "[^2]".to_string())]
        );
        // Re-citing an earlier note is not out of order.
        assert_eq!(found("A[^1] b[^2] c[^1].\n\n[^1]: x\n[^2]: y\n"), vec![]);
        // Non-numeric labels have no order.
        assert_eq!(found("A[^b] b[^a].\n\n[^a]: x\n[^b]: y\n"), vec![]);
        let t = "A. (1) B. (2) C. (3) D. (5)\n\n## Notes\n\n1. a\n3. c\n2. b\n5. e\n";
        let a = analyze_str(t);
        let msgs: Vec<(String, String)> = a
            .findings
            .iter()
            .filter(|f| f.code == RULE.code)
            .map(|f| (f.span.slice(t).to_string(), f.message.clone()))
            .collect();
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        // 1, 3, 2, 5: the run 1, 2, 5 is kept, entry 3 is out of order, 4 is missing.
        assert_eq!(msgs[0].0, "3.");
        assert!(
            msgs[0]
                .1
                .contains("Entry 3 is out of order in the Notes section: it comes after entry 1"),
            "{msgs:?}"
        );
        assert!(
            msgs[1].1.contains("skips from 2 to 5: note 4 is missing"),
            "{msgs:?}"
        );
        let t = "A. (3) B. (4)\n\n## Notes\n\n3. c\n4. d\n";
        let msg = analyze_str(t)
            .findings
            .iter()
            .find(|f| f.code == RULE.code)
            .map(|f| f.message.clone())
            .unwrap_or_default();
        assert!(
            msg.contains("starts at 3: notes 1 and 2 are missing"),
            "{msg}"
        );
    }
}
