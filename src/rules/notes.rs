//! Rules of the notes family: every marker resolves, every note is cited once defined,
//! no note is defined twice or left empty, numbered notes run in order.
//!
//! The facts come from [`crate::notes`]; these rules only judge them.

use super::Rule;
use crate::facts::{Analysis, Context};
use crate::finding::{Edit, Finding, Fix, Severity, Span};
use crate::notes::{Definition, Marker, NoteStyle, Notes, NotesSection, label_key};
use std::collections::HashSet;

pub const UNDEFINED: Rule = Rule {
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

pub const UNUSED: Rule = Rule {
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

pub const DUPLICATE: Rule = Rule {
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

pub const EMPTY: Rule = Rule {
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

pub const ORDER: Rule = Rule {
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

pub static RULES: &[Rule] = &[UNDEFINED, UNUSED, DUPLICATE, EMPTY, ORDER];

pub fn check(a: &Analysis, _ctx: &Context, out: &mut Vec<Finding>) {
    let r = Report {
        text: &a.text,
        notes: &a.notes,
        a,
        // Once per document: per finding, this scan made the rule quadratic.
        eol: if a.text.contains("\r\n") {
            "\r\n"
        } else {
            "\n"
        },
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
    /// The document's line ending.
    eol: &'static str,
}

impl Report<'_> {
    fn line(&self, offset: usize) -> usize {
        self.a.lines.line_of(offset) + 1
    }

    fn eol(&self) -> &'static str {
        self.eol
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

    fn undefined(&self, out: &mut Vec<Finding>) {
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
                UNDEFINED.code,
                UNDEFINED.default_severity,
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

    fn undefined_footnote(&self, m: &Marker) -> Finding {
        let label = &m.label;
        let mut f = Finding::new(
            UNDEFINED.code,
            UNDEFINED.default_severity,
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
        let eol = self.eol();
        let text = self.text;
        let lead = if text.is_empty() || text.ends_with("\n\n") || text.ends_with("\r\n\r\n") {
            ""
        } else if text.ends_with('\n') || text.ends_with('\r') {
            eol
        } else {
            "\n\n"
        };
        let lead = if lead == "\n\n" && eol == "\r\n" {
            "\r\n\r\n"
        } else {
            lead
        };
        f.with_fix(Fix {
            title: format!("Add a definition for [^{label}]"),
            edits: vec![Edit {
                span: Span::new(text.len(), text.len()),
                new_text: format!("{lead}[^{label}]: {eol}"),
            }],
            safe: false,
        })
    }

    fn undefined_endnote(&self, m: &Marker) -> Option<Finding> {
        let s = m.section?;
        let sec = self.section(Some(s))?;
        let n = m.number?;
        let written = m.span.slice(self.text);
        let mut f = Finding::new(
            UNDEFINED.code,
            UNDEFINED.default_severity,
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
    fn insert_entry(&self, sec: &NotesSection, n: u32) -> Option<Edit> {
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

    fn unused(&self, out: &mut Vec<Finding>) {
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
                            UNUSED.code,
                            UNUSED.default_severity,
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
                        UNUSED.code,
                        UNUSED.default_severity,
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
    fn removal_span(&self, span: Span) -> Span {
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

    fn duplicate(&self, out: &mut Vec<Finding>) {
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
                        DUPLICATE.code,
                        DUPLICATE.default_severity,
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
                        DUPLICATE.code,
                        DUPLICATE.default_severity,
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

    fn empty(&self, out: &mut Vec<Finding>) {
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
            out.push(Finding::new(EMPTY.code, EMPTY.default_severity, span, msg));
        }
    }

    fn order(&self, out: &mut Vec<Finding>) {
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
                    ORDER.code,
                    ORDER.default_severity,
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
            let present: HashSet<u32> = numbers.iter().copied().collect();
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
                        ORDER.code,
                        ORDER.default_severity,
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
                        ORDER.code,
                        ORDER.default_severity,
                        d.head(),
                        msg,
                    ));
                }
                last_kept = Some(n);
            }
        }
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

/// Levenshtein distance between `a` and `b`, or `None` when it exceeds `max`.
fn edit_distance(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max || a.len() > 200 || b.len() > 200 {
        return None;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[b.len()];
    (d <= max).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze_str;
    use crate::finding::apply_edits;

    /// (code, text under the finding's span) of the notes findings.
    fn found(text: &str) -> Vec<(&'static str, String)> {
        analyze_str(text)
            .findings
            .iter()
            .filter(|f| f.code.starts_with("footnote-"))
            .map(|f| (f.code, f.span.slice(text).to_string()))
            .collect()
    }

    fn codes(text: &str) -> Vec<&'static str> {
        found(text).into_iter().map(|(c, _)| c).collect()
    }

    /// The text after applying the fix titled `title` of the first finding with `code`.
    fn fixed(text: &str, code: &str, title: &str) -> String {
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
        let bajanov = include_str!("../../fixtures/bajanov-1995.md");
        assert_eq!(found(bajanov), vec![]);
    }

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
        let f: Vec<_> = a
            .findings
            .iter()
            .filter(|f| f.code == UNDEFINED.code)
            .collect();
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].related.len(), 2);
        assert!(
            f[0].message.contains("3 in all, notes 1 to 3"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn undefined_fixes() {
        assert_eq!(
            fixed("A[^x].", UNDEFINED.code, "Add a definition for [^x]"),
            "A[^x].\n\n[^x]: \n"
        );
        assert_eq!(
            fixed("A[^x].\r\n", UNDEFINED.code, "Add a definition for [^x]"),
            "A[^x].\r\n\r\n[^x]: \r\n"
        );
        let t = "A[^sorce].\n\n[^source]: The archive.\n";
        assert_eq!(
            fixed(t, UNDEFINED.code, "Change to [^source]"),
            "A[^source].\n\n[^source]: The archive.\n"
        );
        let t = "A. (1) B (3). C. (4)\n\n## Notes\n\n1. x\n2. y\n4. z\n";
        assert_eq!(
            fixed(t, UNDEFINED.code, "Add entry 3 to the Notes section"),
            "A. (1) B (3). C. (4)\n\n## Notes\n\n1. x\n2. y\n3. \n4. z\n"
        );
        let t = "A. (1)\n\n## Notes\n\n(2) y\n";
        assert_eq!(
            fixed(t, UNDEFINED.code, "Add entry 1 to the Notes section"),
            "A. (1)\n\n## Notes\n\n(1) \n(2) y\n"
        );
        // No similar label: no "Change to" fix.
        let a = analyze_str("A[^x].\n\n[^completely-different]: y\n");
        let titles: Vec<&str> = a
            .findings
            .iter()
            .filter(|f| f.code == UNDEFINED.code)
            .flat_map(|f| f.fixes.iter().map(|x| x.title.as_str()))
            .collect();
        assert_eq!(titles, ["Add a definition for [^x]"]);
    }

    #[test]
    fn unused_notes() {
        assert_eq!(
            found("Text.\n\n[^a]: never cited\n"),
            [("footnote-unused", "[^a]".to_string())]
        );
        assert_eq!(
            fixed(
                "Text[^b].\n\n[^a]: never cited\n\n[^b]: cited\n",
                UNUSED.code,
                "Remove the unused note"
            ),
            "Text[^b].\n\n[^b]: cited\n"
        );
        assert_eq!(
            fixed(
                "Text.\n\n[^a]: one\n    two\n",
                UNUSED.code,
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
            .filter(|f| f.code == UNUSED.code)
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

    #[test]
    fn duplicates() {
        let t = "A[^a].\n\n[^a]: one\n[^A]: two\n";
        let a = analyze_str(t);
        let f = a
            .findings
            .iter()
            .find(|f| f.code == DUPLICATE.code)
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
                DUPLICATE.code,
                "Remove the duplicate definition"
            ),
            "A[^a].\n\n[^a]: one\n"
        );
        assert_eq!(
            found("A. (1)\n\n## Notes\n\n1. x\n1. y\n"),
            [("footnote-duplicate", "1.".to_string())]
        );
    }

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
            .filter(|f| f.code == ORDER.code)
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
            .find(|f| f.code == ORDER.code)
            .map(|f| f.message.clone())
            .unwrap_or_default();
        assert!(
            msg.contains("starts at 3: notes 1 and 2 are missing"),
            "{msg}"
        );
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
        assert!(a.findings.iter().all(|f| f.code != UNUSED.code));
    }
}
