//! The note layer: GFM/Pandoc footnotes (`[^label]`, `[^label]: text`, `^[inline]`)
//! and numbered endnotes (`(1)`, `[1]`, `¹`, `<sup>1</sup>`) resolved to a Notes section.
//!
//! The Markdown model is parsed without a footnote extension, so this layer is ours:
//!
//! * **Footnote definitions** are found by a line scanner that follows cmark-gfm: a
//!   `[^label]:` at the start of a line (at most three spaces in, after any block-quote
//!   markers and at most one list marker), continued by lines indented four columns
//!   past the `[`, by blank lines when an indented line follows, and by lazy paragraph
//!   continuation lines. The Markdown parser sees such continuations as indented code, so inside
//!   a definition this layer decides what is code itself (fences, indented code, code
//!   spans, HTML, link destinations) and [`Notes::is_skipped`] gives the corrected view.
//! * **Footnote markers** `[^label]` are found in prose; labels follow cmark-gfm (no
//!   whitespace, no brackets, at most 999 bytes; compared case-insensitively).
//!   `[^x](url)` and `[^x][ref]` with a link reference definition are links.
//! * **Inline notes** `^[text]` are a marker and a definition at once.
//! * **Endnotes**: a Notes section is a heading (any level) or a bold-only line titled
//!   Notes, Endnotes, Footnotes, References, Sources… followed by a numbered list
//!   (`1.`, `1)`, `(1)`, `[1]`). Numeric markers in the text are accepted only when the
//!   document has such a section (or its markers clearly cite one: 1, 2, 3… at
//!   sentence ends) and only where the context says "note": after a sentence or a
//!   word, at the end of a sentence or paragraph, never after "see", "p.", a comma or a
//!   digit, never starting a paragraph, and never beyond the section's last number by
//!   more than five. The number as written counts.

use crate::finding::Span;
use crate::markdown::{BlockKind, MdModel};
use std::cell::Cell;
use std::collections::{HashMap, HashSet};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum NoteStyle {
    /// `[^label]` with a `[^label]: …` definition.
    #[default]
    Footnote,
    /// `^[text]`: the note is in place.
    Inline,
    /// `(1)`, `[1]`, `¹`, `<sup>1</sup>` resolved to an entry of a Notes section.
    Endnote,
}

/// A place in the text that cites a note.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Marker {
    pub style: NoteStyle,
    /// The whole marker, e.g. `[^3]` or `(3)` (for an inline note: all of `^[…]`).
    pub span: Span,
    /// The label as written (`3`, `source-a`; `inline-2` for the second inline note).
    pub label: String,
    /// The label's span inside the marker (for an inline note: its `^[`).
    pub label_span: Span,
    /// The number of a numeric label (`[^3]`, `(3)`, `³`), as written.
    pub number: Option<u32>,
    /// Index into [`Notes::definitions`] of the note this marker resolves to.
    pub definition: Option<usize>,
    /// For an endnote marker: index into [`Notes::sections`] of the section it cites
    /// (`None` when the document has no Notes section at all).
    pub section: Option<usize>,
}

/// A note's text: a footnote definition, an inline note, or a Notes-section entry.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Definition {
    pub style: NoteStyle,
    /// The whole definition including continuation lines.
    pub span: Span,
    pub label: String,
    pub label_span: Span,
    /// The note's content (may be empty).
    pub content: Span,
    /// The number of a numeric label, as written.
    pub number: Option<u32>,
    /// For a Notes-section entry: index into [`Notes::sections`].
    pub section: Option<usize>,
    /// Set on a second (third…) definition of the same note: index of the first one,
    /// which is the one markers resolve to.
    pub duplicate_of: Option<usize>,
}

impl Definition {
    /// The head of the definition as written: `[^label]` or `3.` / `(3)` / `[3]`.
    pub fn head(&self) -> Span {
        match self.style {
            NoteStyle::Footnote => Span::new(self.span.start, self.label_span.end + 1),
            NoteStyle::Inline => self.label_span,
            // `3.`, `3)`, `(3)`, `[3]`: one byte follows the number.
            NoteStyle::Endnote => Span::new(
                self.span.start,
                (self.label_span.end + 1).min(self.span.end.max(self.label_span.end)),
            ),
        }
    }
}

/// A Notes section: its title and its numbered entries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotesSection {
    /// From the title to the end of the last entry.
    pub span: Span,
    /// The heading or bold title line.
    pub heading: Span,
    /// The title as written, e.g. `Notes` (for a chapter's group: `Notes (Chapter 2)`).
    pub title: String,
    /// For the notes of one chapter inside a larger Notes section (numbering starting
    /// again under a subheading): the subheading, e.g. `Chapter 2`. Markers under a
    /// heading of the text with this title cite this group.
    pub chapter: Option<String>,
    /// Indices into [`Notes::definitions`], in document order.
    pub entries: Vec<usize>,
}

/// All notes of one document version.
#[derive(Clone, Debug, Default)]
pub struct Notes {
    /// In document order.
    pub markers: Vec<Marker>,
    /// In document order.
    pub definitions: Vec<Definition>,
    /// The first Notes section (heading to end of its list), when the document has one.
    pub notes_section: Option<Span>,
    /// Every Notes section, in document order.
    pub sections: Vec<NotesSection>,
    /// Footnote definitions' spans, sorted and merged: inside them this layer, not the
    /// Markdown model, decides what is prose.
    pub definition_regions: Vec<Span>,
    /// What is not prose inside `definition_regions` (code, HTML, link destinations).
    pub definition_skip: Vec<Span>,
}

/// Labels compare as GFM says: case-insensitively, whitespace collapsed.
/// The end of a text, where a new note definition is appended (the quick fixes of
/// `undefined-note` and `unsourced-claim`): the text's line ending, and what must come
/// before a definition there — nothing after a blank line, a line end after a line
/// end, else a line end and a blank line. Computed once per document (a scan of the
/// text per finding made both rules quadratic).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tail {
    pub end: usize,
    pub eol: &'static str,
    pub lead: &'static str,
}

impl Tail {
    pub fn of(text: &str) -> Tail {
        // Each `\r` found with memchr (a search for the pair reads the text slower).
        let crlf = memchr::memchr_iter(b'\r', text.as_bytes())
            .any(|i| text.as_bytes().get(i + 1) == Some(&b'\n'));
        let eol = if crlf { "\r\n" } else { "\n" };
        let lead = if text.is_empty() || text.ends_with("\n\n") || text.ends_with("\r\n\r\n") {
            ""
        } else if text.ends_with('\n') || text.ends_with('\r') {
            eol
        } else if eol == "\r\n" {
            "\r\n\r\n"
        } else {
            "\n\n"
        };
        Tail {
            end: text.len(),
            eol,
            lead,
        }
    }

    /// The text that appends an empty definition of `label` at [`Tail::end`].
    pub fn definition(&self, label: &str) -> String {
        format!("{}[^{label}]: {}", self.lead, self.eol)
    }
}

pub fn label_key(label: &str) -> String {
    if label
        .bytes()
        .all(|b| b.is_ascii_graphic() && !b.is_ascii_uppercase())
    {
        return label.to_string();
    }
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Whether two labels name the same note of a style (endnotes compare by number).
fn same_label(style: NoteStyle, a: &str, b: &str) -> bool {
    match style {
        NoteStyle::Endnote => match (parse_number(a), parse_number(b)) {
            (Some(x), Some(y)) => x == y,
            _ => a == b,
        },
        _ => label_key(a) == label_key(b),
    }
}

impl Notes {
    /// The innermost marker at `offset` (a footnote marker inside an inline note wins).
    pub fn marker_at(&self, offset: usize) -> Option<&Marker> {
        let end = self.markers.partition_point(|m| m.span.start <= offset);
        self.markers
            .get(..end)
            .unwrap_or(&[])
            .iter()
            .filter(|m| m.span.touches(offset))
            .min_by_key(|m| m.span.len())
    }
    pub fn definition_at(&self, offset: usize) -> Option<&Definition> {
        self.definitions
            .iter()
            .find(|d| d.label_span.touches(offset) || d.span.contains(offset))
    }
    /// The note a marker resolves to.
    pub fn definition_of(&self, marker: &Marker) -> Option<&Definition> {
        marker.definition.and_then(|i| self.definitions.get(i))
    }
    /// Every marker resolving to definition `index` (or to the first definition, when
    /// `index` is a duplicate).
    pub fn markers_of(&self, index: usize) -> impl Iterator<Item = &Marker> + '_ {
        let target = self
            .definitions
            .get(index)
            .and_then(|d| d.duplicate_of)
            .unwrap_or(index);
        self.markers
            .iter()
            .filter(move |m| m.definition == Some(target))
    }
    /// The first definition for a marker's label and style family. With several Notes
    /// sections prefer [`Notes::definition_of`], which knows which section a marker cites.
    pub fn definition_for(&self, style: NoteStyle, label: &str) -> Option<&Definition> {
        self.definitions
            .iter()
            .find(|d| same_family(d.style, style) && same_label(style, &d.label, label))
    }
    /// Every marker citing a label.
    pub fn markers_for<'a>(
        &'a self,
        style: NoteStyle,
        label: &str,
    ) -> impl Iterator<Item = &'a Marker> + 'a {
        let label = label.to_string();
        self.markers
            .iter()
            .filter(move |m| same_family(m.style, style) && same_label(style, &m.label, &label))
    }
    /// Whether `offset` is not prose, with the Markdown model corrected inside footnote
    /// definitions (where the Markdown parser takes continuation lines for indented code).
    pub fn is_skipped(&self, md: &MdModel, offset: usize) -> bool {
        if in_spans(&self.definition_regions, offset) {
            in_spans(&self.definition_skip, offset)
        } else {
            md.is_skipped(offset)
        }
    }
}

fn same_family(a: NoteStyle, b: NoteStyle) -> bool {
    a == b
}

/// True when `offset` lies in one of the sorted, non-overlapping `spans`.
fn in_spans(spans: &[Span], offset: usize) -> bool {
    let i = spans.partition_point(|s| s.end <= offset);
    spans.get(i).is_some_and(|s| s.contains(offset))
}

fn parse_number(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Find every marker and definition in `text`.
pub fn analyze(text: &str, md: &MdModel) -> Notes {
    analyze_with(text, md, None)
}

/// [`analyze`] the next version of a document: the scan for markers takes the parts
/// of the last version's that the edit did not reach from `kept` (and keeps this
/// version's for the next). The result is [`analyze`]'s.
pub fn analyze_reusing(text: &str, md: &MdModel, kept: &ScanMemo) -> Notes {
    analyze_with(text, md, Some(kept))
}

fn analyze_with(text: &str, md: &MdModel, kept: Option<&ScanMemo>) -> Notes {
    let lines = split_lines(text);
    let mut defs = scan_definitions(text, md, &lines);
    let mut def_regions: Vec<Span> = defs.defs.iter().map(|d| d.span).collect();
    crate::finding::normalise_spans(&mut def_regions);
    crate::finding::normalise_spans(&mut defs.skip);
    let sections = find_sections(text, md, &lines, &def_regions);

    let ctx = Scan::new(text, md, &def_regions, &defs, &sections);
    let mut found = match kept {
        Some(k) => k.scan(&ctx),
        None => ctx.scan(),
    };

    // Assemble definitions in document order.
    let mut definitions: Vec<Definition> = defs.defs;
    let mut section_entries: Vec<Vec<Span>> = Vec::new();
    let mut out_sections = Vec::new();
    for (si, (sec, entries)) in sections.into_iter().enumerate() {
        section_entries.push(entries.iter().map(|d| d.span).collect());
        for mut d in entries {
            d.section = Some(si);
            definitions.push(d);
        }
        out_sections.push(sec);
    }
    definitions.append(&mut found.inline_defs);
    definitions.sort_by_key(|d| (d.span.start, d.span.end));
    let index_of = |defs: &[Definition], span: Span| {
        defs.binary_search_by_key(&(span.start, span.end), |d| (d.span.start, d.span.end))
            .ok()
    };
    for (si, spans) in section_entries.iter().enumerate() {
        if let Some(sec) = out_sections.get_mut(si) {
            sec.entries = spans
                .iter()
                .filter_map(|s| index_of(&definitions, *s))
                .collect();
        }
    }

    // First definitions and duplicates.
    let mut first_footnote: HashMap<String, usize> = HashMap::new();
    let mut first_entry: HashMap<(usize, u32), usize> = HashMap::new();
    for (i, d) in definitions.iter_mut().enumerate() {
        match d.style {
            NoteStyle::Footnote => {
                let key = label_key(&d.label);
                match first_footnote.get(&key) {
                    Some(&f) => d.duplicate_of = Some(f),
                    None => {
                        first_footnote.insert(key, i);
                    }
                }
            }
            NoteStyle::Endnote => {
                if let (Some(s), Some(n)) = (d.section, d.number) {
                    match first_entry.get(&(s, n)) {
                        Some(&f) => d.duplicate_of = Some(f),
                        None => {
                            first_entry.insert((s, n), i);
                        }
                    }
                }
            }
            NoteStyle::Inline => {}
        }
    }

    // Markers: footnotes, inline notes, and the endnote candidates that pass.
    let mut markers: Vec<Marker> = Vec::new();
    let entry_numbers: Vec<HashSet<u32>> = out_sections
        .iter()
        .map(|s| {
            s.entries
                .iter()
                .filter_map(|&i| definitions.get(i).and_then(|d| d.number))
                .collect()
        })
        .collect();
    // Chapter groups: the headings of the text that name them.
    let mut anchors: Vec<(usize, usize)> = Vec::new();
    for (si, sec) in out_sections.iter().enumerate() {
        let Some(chapter) = &sec.chapter else {
            continue;
        };
        for h in &md.headings {
            let in_notes = out_sections.iter().any(|x| x.span.contains(h.span.start));
            if !in_notes && same_chapter(&h.text, chapter) {
                anchors.push((h.span.start, si));
            }
        }
    }
    anchors.sort_unstable();
    let endnote_markers = select_endnotes(&found, &out_sections, &entry_numbers, &anchors);
    for mut m in std::mem::take(&mut found.footnotes) {
        m.definition = first_footnote.get(&label_key(&m.label)).copied();
        markers.push(m);
    }
    for mut m in std::mem::take(&mut found.inline_markers) {
        m.definition = index_of(&definitions, m.span);
        markers.push(m);
    }
    for mut m in endnote_markers {
        if let (Some(s), Some(n)) = (m.section, m.number) {
            m.definition = first_entry.get(&(s, n)).copied();
        }
        markers.push(m);
    }
    markers.sort_by_key(|m| (m.span.start, m.span.end));

    Notes {
        markers,
        definitions,
        notes_section: first_section_span(text, &out_sections),
        sections: out_sections,
        definition_regions: def_regions,
        definition_skip: defs.skip,
    }
}

/// The first Notes section, with the chapter groups that directly follow it.
fn first_section_span(text: &str, sections: &[NotesSection]) -> Option<Span> {
    let first = sections.first()?;
    let mut span = first.span;
    for s in sections.iter().skip(1) {
        let adjacent = text
            .get(span.end..s.span.start)
            .is_some_and(|gap| gap.trim().is_empty());
        if s.chapter.is_none() || !adjacent {
            break;
        }
        span.end = s.span.end;
    }
    Some(span)
}

mod definitions;
mod kept;
mod lines;
mod markers;
mod sections;

pub use kept::ScanMemo;
pub use sections::is_notes_title;
#[allow(unused_imports)]
use {definitions::*, lines::*, markers::*, sections::*};

#[cfg(test)]
mod bench;
#[cfg(test)]
mod kept_tests;
#[cfg(test)]
mod tests;
