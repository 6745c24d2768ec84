//! The note layer: GFM/Pandoc footnotes (`[^label]`, `[^label]: text`, `^[inline]`)
//! and numbered endnotes (`(1)`, `[1]`, `¹`, `<sup>1</sup>`) resolved to a Notes section.
//!
//! tree-sitter-md has no footnote nodes, so this layer is ours:
//!
//! * **Footnote definitions** are found by a line scanner that follows cmark-gfm: a
//!   `[^label]:` at the start of a line (at most three spaces in, after any block-quote
//!   markers and at most one list marker), continued by lines indented four columns
//!   past the `[`, by blank lines when an indented line follows, and by lazy paragraph
//!   continuation lines. tree-sitter sees such continuations as indented code, so inside
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
    /// definitions (where tree-sitter takes continuation lines for indented code).
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
    let lines = split_lines(text);
    let mut defs = scan_definitions(text, md, &lines);
    let mut def_regions: Vec<Span> = defs.defs.iter().map(|d| d.span).collect();
    normalise(&mut def_regions);
    normalise(&mut defs.skip);
    let sections = find_sections(text, md, &lines, &def_regions);

    let ctx = Scan::new(text, md, &def_regions, &defs, &sections);
    let mut found = ctx.scan();

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

// ---------------------------------------------------------------------------------
// Lines and columns

#[derive(Clone, Copy, Debug)]
struct Line {
    start: usize,
    /// End of the content, before the line ending.
    end: usize,
}

/// Lines ending at `\n`, `\r\n` or a lone `\r`.
fn split_lines(text: &str) -> Vec<Line> {
    let mut out = Vec::with_capacity(text.len() / 48 + 1);
    let find_from = |c: char, from: usize| {
        text.get(from..)
            .and_then(|r| r.find(c))
            .map(|i| from + i)
            .unwrap_or(text.len())
    };
    // Next `\n` and next `\r` at or after `start`, each searched once per occurrence.
    let mut next_nl = find_from('\n', 0);
    let mut next_cr = find_from('\r', 0);
    let mut start = 0;
    while start < text.len() {
        if next_nl < start {
            next_nl = find_from('\n', start);
        }
        if next_cr < start {
            next_cr = find_from('\r', start);
        }
        let (end, next) = if next_cr < next_nl {
            let next = if next_cr + 1 == next_nl {
                next_nl + 1
            } else {
                next_cr + 1
            };
            (next_cr, next)
        } else if next_nl < text.len() {
            (next_nl, next_nl + 1)
        } else {
            (text.len(), text.len())
        };
        out.push(Line { start, end });
        start = next;
    }
    out
}

fn at(b: &[u8], i: usize) -> u8 {
    b.get(i).copied().unwrap_or(0)
}

fn next_tab(col: usize) -> usize {
    (col / 4 + 1) * 4
}

/// Skip spaces and tabs from `pos` (column `col`) up to `end`.
fn skip_ws(b: &[u8], mut pos: usize, end: usize, mut col: usize) -> (usize, usize) {
    while pos < end {
        match at(b, pos) {
            b' ' => col += 1,
            b'\t' => col = next_tab(col),
            _ => break,
        }
        pos += 1;
    }
    (pos, col)
}

/// Strip up to `max` block-quote markers. Returns (markers stripped, byte, column).
fn strip_quotes(b: &[u8], start: usize, end: usize, max: usize) -> (usize, usize, usize) {
    let (mut pos, mut col, mut count) = (start, 0, 0);
    while count < max {
        let (p, c) = skip_ws(b, pos, end, col);
        if p < end && at(b, p) == b'>' && c - col <= 3 {
            pos = p + 1;
            col = c + 1;
            count += 1;
            match at(b, pos) {
                b' ' if pos < end => {
                    pos += 1;
                    col += 1;
                }
                b'\t' if pos < end => {
                    pos += 1;
                    col = next_tab(col);
                }
                _ => {}
            }
        } else {
            break;
        }
    }
    (count, pos, col)
}

/// A list marker at `pos` (`-`, `+`, `*`, `1.`, `1)`) followed by a space, tab or the
/// line's end: the byte after the marker.
fn list_marker(b: &[u8], pos: usize, end: usize) -> Option<usize> {
    let c = at(b, pos);
    let after = if matches!(c, b'-' | b'+' | b'*') {
        pos + 1
    } else {
        let mut i = pos;
        while i < end && at(b, i).is_ascii_digit() && i - pos < 9 {
            i += 1;
        }
        if i == pos || !matches!(at(b, i), b'.' | b')') {
            return None;
        }
        i + 1
    };
    if after >= end || matches!(at(b, after), b' ' | b'\t') {
        Some(after)
    } else {
        None
    }
}

fn is_thematic_break(b: &[u8], pos: usize, end: usize) -> bool {
    let c = at(b, pos);
    if !matches!(c, b'*' | b'-' | b'_') {
        return false;
    }
    let mut n = 0;
    for i in pos..end {
        match at(b, i) {
            x if x == c => n += 1,
            b' ' | b'\t' => {}
            _ => return false,
        }
    }
    n >= 3
}

/// A code fence opener at `pos`: (fence char, length).
fn fence_open(b: &[u8], pos: usize, end: usize) -> Option<(u8, usize)> {
    let c = at(b, pos);
    if c != b'`' && c != b'~' {
        return None;
    }
    let mut i = pos;
    while i < end && at(b, i) == c {
        i += 1;
    }
    let n = i - pos;
    if n < 3 {
        return None;
    }
    if c == b'`' && b.get(i..end).is_some_and(|r| r.contains(&b'`')) {
        return None;
    }
    Some((c, n))
}

fn fence_close(b: &[u8], pos: usize, end: usize, fence: (u8, usize)) -> bool {
    let mut i = pos;
    while i < end && at(b, i) == fence.0 {
        i += 1;
    }
    i - pos >= fence.1
        && b.get(i..end)
            .is_some_and(|r| r.iter().all(|c| *c == b' ' || *c == b'\t'))
}

const HTML_BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "base",
    "basefont",
    "blockquote",
    "body",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "iframe",
    "legend",
    "li",
    "link",
    "main",
    "menu",
    "menuitem",
    "nav",
    "noframes",
    "ol",
    "optgroup",
    "option",
    "p",
    "param",
    "pre",
    "script",
    "search",
    "section",
    "style",
    "summary",
    "table",
    "tbody",
    "td",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
];

/// An HTML block of kinds 1 to 6 (those that may interrupt a paragraph) starts at `pos`.
fn html_block_start(b: &[u8], pos: usize, end: usize) -> bool {
    if at(b, pos) != b'<' {
        return false;
    }
    let rest = b.get(pos + 1..end).unwrap_or(&[]);
    if rest.starts_with(b"!--") || rest.starts_with(b"?") || rest.starts_with(b"![CDATA[") {
        return true;
    }
    if rest.first() == Some(&b'!') && rest.get(1).is_some_and(|c| c.is_ascii_alphabetic()) {
        return true;
    }
    let name_start = usize::from(rest.first() == Some(&b'/'));
    let mut i = name_start;
    while i < rest.len() && rest.get(i).is_some_and(|c| c.is_ascii_alphanumeric()) {
        i += 1;
    }
    let name = rest.get(name_start..i).unwrap_or(&[]);
    if name.is_empty() {
        return false;
    }
    let known = HTML_BLOCK_TAGS
        .iter()
        .any(|t| t.as_bytes().eq_ignore_ascii_case(name));
    known
        && (matches!(rest.get(i), None | Some(b' ' | b'\t' | b'>'))
            || rest.get(i..i + 2) == Some(b"/>"))
}

/// `[^label]:` at `p` (before `end`): (label start, label end, byte after the colon).
fn def_head(b: &[u8], p: usize, end: usize) -> Option<(usize, usize, usize)> {
    if at(b, p) != b'[' || at(b, p + 1) != b'^' {
        return None;
    }
    let ls = p + 2;
    let le = footnote_label_end(b, ls, end)?;
    if at(b, le + 1) != b':' {
        return None;
    }
    Some((ls, le, le + 2))
}

/// The `]` closing a footnote label that starts at `ls`: no whitespace, no brackets,
/// 1 to 999 bytes (cmark-gfm's footnote label).
fn footnote_label_end(b: &[u8], ls: usize, end: usize) -> Option<usize> {
    let mut i = ls;
    while i < end && i - ls <= 999 {
        match at(b, i) {
            b']' => return if i > ls { Some(i) } else { None },
            b' ' | b'\t' | b'\r' | b'\n' | 0 | b'[' | 0x0b | 0x0c => return None,
            _ => i += 1,
        }
    }
    None
}

/// Whether a line (its first non-blank byte at `pos`, indented `indent` columns past
/// its container) starts a block that ends a lazy paragraph continuation.
fn starts_block(b: &[u8], pos: usize, end: usize, indent: usize) -> bool {
    if indent >= 4 {
        return false;
    }
    let c = at(b, pos);
    if c == b'#' {
        let mut i = pos;
        while at(b, i) == b'#' && i < end {
            i += 1;
        }
        if i - pos <= 6 && (i >= end || matches!(at(b, i), b' ' | b'\t')) {
            return true;
        }
    }
    c == b'>'
        || fence_open(b, pos, end).is_some()
        || is_thematic_break(b, pos, end)
        || list_marker(b, pos, end).is_some()
        || html_block_start(b, pos, end)
        || def_head(b, pos, end).is_some()
}

fn normalise(spans: &mut Vec<Span>) {
    spans.retain(|s| !s.is_empty());
    spans.sort();
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans.drain(..) {
        match out.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    *spans = out;
}

// ---------------------------------------------------------------------------------
// Footnote definitions

struct Defs {
    defs: Vec<Definition>,
    /// Non-prose inside definitions.
    skip: Vec<Span>,
    /// Paragraph text inside definitions, for the inline skip pass.
    runs: Vec<Span>,
}

struct Open {
    def: usize,
    quotes: usize,
    /// Column of the `[`.
    base: usize,
    head_end: usize,
    content_start: Option<usize>,
    last_end: usize,
    para_open: bool,
    pending_blank: bool,
    fence: Option<(u8, usize)>,
    /// Prose runs (paragraph text) for the inline skip pass.
    runs: Vec<Span>,
    last_was_prose: bool,
}

impl Open {
    fn prose(&mut self, start: usize, end: usize) {
        match self.runs.last_mut() {
            Some(r) if self.last_was_prose => r.end = end,
            _ => self.runs.push(Span::new(start, end)),
        }
        self.last_was_prose = true;
        self.para_open = true;
        self.pending_blank = false;
        self.content_start.get_or_insert(start);
        self.last_end = end;
    }
    /// A code line: `start` is the line's start, `first` its first non-blank byte.
    fn code(&mut self, start: usize, first: usize, end: usize, skip: &mut Vec<Span>) {
        skip.push(Span::new(start, end));
        self.last_was_prose = false;
        self.para_open = false;
        self.pending_blank = false;
        self.content_start.get_or_insert(first);
        self.last_end = end;
    }
}

fn scan_definitions(text: &str, md: &MdModel, lines: &[Line]) -> Defs {
    let b = text.as_bytes();
    let mut out = Defs {
        defs: Vec::new(),
        skip: Vec::new(),
        runs: Vec::new(),
    };
    // Quick reject: no `[^` anywhere.
    if !text.contains("[^") {
        return out;
    }
    let mut open: Option<Open> = None;
    for line in lines {
        let (start, end) = (line.start, line.end);
        if let Some(o) = open.as_mut() {
            let (k, qpos, qcol) = strip_quotes(b, start, end, o.quotes);
            let (fpos, fcol) = skip_ws(b, qpos, end, qcol);
            let blank = fpos >= end;
            if blank {
                if k < o.quotes {
                    close(o, &mut out);
                    open = None;
                } else {
                    o.pending_blank = true;
                    o.para_open = false;
                    o.last_was_prose = false;
                }
                continue;
            }
            if k == o.quotes && fcol >= o.base + 4 {
                let content_col = o.base + 4;
                let rel = fcol - content_col;
                if let Some(f) = o.fence {
                    if rel < 4 && fence_close(b, fpos, end, f) {
                        o.fence = None;
                    }
                    o.code(start, fpos, end, &mut out.skip);
                } else if rel >= 4 && (!o.para_open || o.pending_blank) {
                    o.code(start, fpos, end, &mut out.skip);
                } else if let Some(f) = fence_open(b, fpos, end).filter(|_| rel < 4) {
                    o.fence = Some(f);
                    o.code(start, fpos, end, &mut out.skip);
                } else {
                    o.prose(fpos, end);
                }
                continue;
            }
            if !o.pending_blank
                && o.para_open
                && o.fence.is_none()
                && !starts_block(b, fpos, end, fcol.saturating_sub(qcol))
            {
                // Lazy continuation of the definition's paragraph.
                o.prose(fpos, end);
                continue;
            }
            close(o, &mut out);
            open = None;
        }
        // Outside any definition: does one start here?
        let (k, qpos, qcol) = strip_quotes(b, start, end, 16);
        let (mut fpos, mut fcol) = skip_ws(b, qpos, end, qcol);
        if fcol - qcol > 3 || fpos >= end {
            continue;
        }
        if at(b, fpos) != b'[' {
            let Some(after) = list_marker(b, fpos, end) else {
                continue;
            };
            let marker_cols = after - fpos;
            let (p, c) = skip_ws(b, after, end, fcol + marker_cols);
            if c - (fcol + marker_cols) > 4 || c == fcol + marker_cols {
                continue;
            }
            fpos = p;
            fcol = c;
        }
        let Some((ls, le, after_colon)) = def_head(b, fpos, end) else {
            continue;
        };
        // Block structure decides: only code blocks, HTML blocks and front matter hide a
        // definition (tree-sitter may take the line for a link destination).
        if in_code_block(md, fpos) || md.front_matter.is_some_and(|f| f.contains(fpos)) {
            continue;
        }
        let mut o = start_def(b, &mut out, fpos, ls, le, after_colon, k, fcol);
        first_line_content(b, &mut out, &mut o, after_colon, end);
        open = Some(o);
    }
    if let Some(o) = open.as_mut() {
        close(o, &mut out);
    }
    for r in std::mem::take(&mut out.runs) {
        inline_skips(b, r, &mut out.skip);
    }
    out
}

fn in_code_block(md: &MdModel, pos: usize) -> bool {
    md.block_at(pos)
        .is_some_and(|bl| matches!(bl.kind, BlockKind::CodeBlock | BlockKind::Html))
}

#[allow(clippy::too_many_arguments)]
fn start_def(
    b: &[u8],
    out: &mut Defs,
    at_pos: usize,
    ls: usize,
    le: usize,
    after_colon: usize,
    quotes: usize,
    base: usize,
) -> Open {
    let label = String::from_utf8_lossy(b.get(ls..le).unwrap_or(&[])).into_owned();
    out.defs.push(Definition {
        style: NoteStyle::Footnote,
        span: Span::new(at_pos, after_colon),
        number: parse_number(&label),
        label,
        label_span: Span::new(ls, le),
        content: Span::new(after_colon, after_colon),
        section: None,
        duplicate_of: None,
    });
    Open {
        def: out.defs.len() - 1,
        quotes,
        base,
        head_end: after_colon,
        content_start: None,
        last_end: after_colon,
        para_open: false,
        pending_blank: false,
        fence: None,
        runs: Vec::new(),
        last_was_prose: false,
    }
}

/// The rest of a definition's first line after `]:`.
fn first_line_content(b: &[u8], out: &mut Defs, o: &mut Open, after_colon: usize, end: usize) {
    let (p, _) = skip_ws(b, after_colon, end, 0);
    if p >= end {
        return;
    }
    // `[^a]:[^b]: …` — a second definition on the same line ends the first (empty).
    if let Some((ls, le, ac)) = def_head(b, p, end) {
        let (quotes, base) = (o.quotes, o.base);
        close(o, out);
        *o = start_def(b, out, p, ls, le, ac, quotes, base);
        first_line_content(b, out, o, ac, end);
        return;
    }
    if let Some(f) = fence_open(b, p, end) {
        o.fence = Some(f);
        o.code(p, p, end, &mut out.skip);
    } else {
        o.prose(p, end);
    }
}

fn close(o: &mut Open, out: &mut Defs) {
    let b_end = o.last_end.max(o.head_end);
    if let Some(d) = out.defs.get_mut(o.def) {
        d.span.end = b_end;
        d.content = match o.content_start {
            Some(s) if s < b_end => Span::new(s, b_end),
            _ => Span::new(o.head_end, o.head_end),
        };
    }
    out.runs.append(&mut o.runs);
}

// ---------------------------------------------------------------------------------
// Inline constructs that are not prose (inside definitions, where md cannot be trusted)

/// Code spans, HTML comments and tags, autolinks and inline link destinations in `span`.
fn inline_skips(b: &[u8], span: Span, out: &mut Vec<Span>) {
    // For each backtick-run length, the position from which no run of that length follows.
    let mut no_close_from: HashMap<usize, usize> = HashMap::new();
    let mut i = span.start;
    while i < span.end {
        match at(b, i) {
            b'\\' => i += 2,
            b'`' => {
                let mut j = i;
                while j < span.end && at(b, j) == b'`' {
                    j += 1;
                }
                let run = j - i;
                let close = if no_close_from.get(&run).is_some_and(|&p| p <= j) {
                    None
                } else {
                    find_backtick_run(b, j, span.end, run)
                };
                match close {
                    Some(e) => {
                        out.push(Span::new(i, e));
                        i = e;
                    }
                    None => {
                        no_close_from.insert(run, j);
                        i = j;
                    }
                }
            }
            b'<' => match html_or_autolink(b, i, span.end) {
                Some(e) => {
                    out.push(Span::new(i, e));
                    i = e;
                }
                None => i += 1,
            },
            b']' if at(b, i + 1) == b'(' => match inline_link_tail(b, i + 1, span.end) {
                Some(e) => {
                    out.push(Span::new(i + 2, e.saturating_sub(1).max(i + 2)));
                    i = e;
                }
                None => i += 1,
            },
            _ => i += 1,
        }
    }
}

/// The end of the next run of exactly `run` backticks from `from`.
fn find_backtick_run(b: &[u8], from: usize, end: usize, run: usize) -> Option<usize> {
    let mut k = from;
    while k < end {
        if at(b, k) == b'`' {
            let s = k;
            while k < end && at(b, k) == b'`' {
                k += 1;
            }
            if k - s == run {
                return Some(k);
            }
        } else {
            k += 1;
        }
    }
    None
}

/// An HTML comment, tag or autolink starting at `i`: its end.
fn html_or_autolink(b: &[u8], i: usize, end: usize) -> Option<usize> {
    let rest = b.get(i..end)?;
    if rest.starts_with(b"<!--") {
        let body = rest.get(4..)?;
        return body
            .windows(3)
            .position(|w| w == b"-->")
            .map(|p| i + 4 + p + 3);
    }
    let c1 = *rest.get(1)?;
    let is_tag = c1.is_ascii_alphabetic()
        || (c1 == b'/' && rest.get(2).is_some_and(|c| c.is_ascii_alphabetic()))
        || c1 == b'!'
        || c1 == b'?';
    if !is_tag {
        return None;
    }
    // A tag or autolink ends at the first `>`; neither contains `<` or a blank line.
    for (k, &c) in rest.iter().enumerate().skip(1).take(2000) {
        match c {
            b'>' => return Some(i + k + 1),
            b'<' => return None,
            b'\n' if rest.get(k + 1) == Some(&b'\n') => return None,
            _ => {}
        }
    }
    None
}

/// A valid inline-link tail `(destination "title")` starting at the `(` at `p`: its end.
fn inline_link_tail(b: &[u8], p: usize, end: usize) -> Option<usize> {
    fn ws(b: &[u8], mut i: usize, end: usize) -> usize {
        let mut newlines = 0;
        while i < end {
            match at(b, i) {
                b' ' | b'\t' => i += 1,
                b'\n' | b'\r' if newlines == 0 => {
                    newlines += 1;
                    i += 1;
                }
                _ => break,
            }
        }
        i
    }
    if at(b, p) != b'(' {
        return None;
    }
    let mut i = ws(b, p + 1, end);
    if at(b, i) == b')' {
        return Some(i + 1);
    }
    if at(b, i) == b'<' {
        i += 1;
        loop {
            match at(b, i) {
                b'>' => {
                    i += 1;
                    break;
                }
                b'\\' => i += 2,
                b'\n' | b'\r' | b'<' | 0 => return None,
                _ => i += 1,
            }
            if i >= end {
                return None;
            }
        }
    } else {
        let mut depth = 0usize;
        let start = i;
        while i < end {
            let c = at(b, i);
            if c == b'\\' && at(b, i + 1).is_ascii_punctuation() {
                i += 2;
                continue;
            }
            if c <= b' ' {
                break;
            }
            if c == b'(' {
                depth += 1;
                if depth > 32 {
                    return None;
                }
            } else if c == b')' {
                if depth == 0 {
                    break;
                }
                depth -= 1;
            }
            i += 1;
        }
        if depth != 0 || i == start {
            return None;
        }
    }
    let before_title = i;
    i = ws(b, i, end);
    if at(b, i) == b')' {
        return Some(i + 1);
    }
    if i == before_title {
        return None;
    }
    let close = match at(b, i) {
        b'"' => b'"',
        b'\'' => b'\'',
        b'(' => b')',
        _ => return None,
    };
    i += 1;
    while i < end && at(b, i) != close {
        if at(b, i) == b'\\' {
            i += 1;
        }
        i += 1;
    }
    if i >= end {
        return None;
    }
    i = ws(b, i + 1, end);
    (at(b, i) == b')').then_some(i + 1)
}

/// Labels of the link reference definitions (`[x]: url`), normalised.
fn link_reference_labels(text: &str, md: &MdModel) -> HashSet<String> {
    md.blocks
        .iter()
        .filter(|bl| bl.kind == BlockKind::LinkReferenceDefinition)
        .filter_map(|bl| {
            let s = bl.span.slice(text);
            let open = s.find('[')?;
            let close = s.get(open..)?.find("]:")? + open;
            let label = s.get(open + 1..close)?;
            (!label.starts_with('^')).then(|| label_key(label))
        })
        .collect()
}

// ---------------------------------------------------------------------------------
// Notes sections

const NOTES_TITLES: &[&str] = &[
    "notes",
    "note",
    "endnotes",
    "end notes",
    "footnotes",
    "references",
    "sources",
    "citations",
    "source notes",
    "notes and references",
    "references and notes",
    "notes and sources",
    "sources and notes",
];

/// Whether a heading or bold line is a Notes section title.
pub fn is_notes_title(title: &str) -> bool {
    let mut t = title.trim();
    t = t.trim_matches(|c| c == '*' || c == '_').trim();
    t = t.trim_end_matches([':', '.']).trim();
    t = t.trim_matches(|c| c == '*' || c == '_').trim();
    // An optional section number: "11. Notes", "IV Notes".
    if let Some((first, rest)) = t.split_once(char::is_whitespace) {
        let first = first.trim_end_matches(['.', ')']);
        if !first.is_empty()
            && (first.bytes().all(|c| c.is_ascii_digit())
                || first.bytes().all(|c| b"IVXLC".contains(&c)))
        {
            t = rest.trim();
        }
    }
    let norm = t
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    NOTES_TITLES.contains(&norm.as_str())
}

/// The title of a bold-only line (`**Notes**`, `__Notes:__`, `**Notes**:`), if it is one.
fn bold_line_title(line: &str) -> Option<&str> {
    let t = line.trim();
    let t = t.strip_suffix(':').unwrap_or(t);
    for d in ["**", "__"] {
        if let Some(inner) = t.strip_prefix(d).and_then(|x| x.strip_suffix(d))
            && !inner.contains(d)
            && !inner.trim().is_empty()
        {
            return Some(inner);
        }
    }
    None
}

/// `1.`, `1)`, `(1)` or `[1]` at `p`, followed by whitespace or the line's end:
/// (number start, number end, byte after the marker).
fn entry_head(b: &[u8], p: usize, end: usize) -> Option<(usize, usize, usize)> {
    let (open, ns) = match at(b, p) {
        b'(' => (Some(b')'), p + 1),
        b'[' => (Some(b']'), p + 1),
        _ => (None, p),
    };
    let mut ne = ns;
    while ne < end && at(b, ne).is_ascii_digit() {
        ne += 1;
    }
    if ne == ns || ne - ns > 4 {
        return None;
    }
    let after = match open {
        Some(c) => (at(b, ne) == c).then_some(ne + 1)?,
        None => matches!(at(b, ne), b'.' | b')').then_some(ne + 1)?,
    };
    if after < end && !matches!(at(b, after), b' ' | b'\t') {
        return None;
    }
    Some((ns, ne, after))
}

fn find_sections(
    text: &str,
    md: &MdModel,
    lines: &[Line],
    def_regions: &[Span],
) -> Vec<(NotesSection, Vec<Definition>)> {
    let b = text.as_bytes();
    // (title span, body start, range end, title)
    let mut titles: Vec<(Span, usize, usize, String)> = Vec::new();
    for (hi, h) in md.headings.iter().enumerate() {
        if !is_notes_title(&h.text) {
            continue;
        }
        let range_end = md
            .headings
            .get(hi + 1..)
            .unwrap_or(&[])
            .iter()
            .find(|n| n.level <= h.level)
            .map(|n| n.span.start)
            .unwrap_or(text.len());
        titles.push((h.span, h.span.end, range_end, h.text.clone()));
    }
    for bl in md
        .blocks
        .iter()
        .filter(|bl| bl.kind == BlockKind::Paragraph)
    {
        let starts_bold = text
            .get(bl.span.start..)
            .is_some_and(|t| t.starts_with("**") || t.starts_with("__"));
        if bl.quote_depth > 0 || bl.list_depth > 0 || !starts_bold {
            continue;
        }
        let first_line_end = text
            .get(bl.span.start..bl.span.end)
            .and_then(|s| s.find(['\n', '\r']))
            .map(|i| bl.span.start + i)
            .unwrap_or(bl.span.end);
        let Some(title) = text
            .get(bl.span.start..first_line_end)
            .and_then(bold_line_title)
        else {
            continue;
        };
        if !is_notes_title(title) {
            continue;
        }
        let next_heading = md
            .headings
            .iter()
            .find(|h| h.span.start > bl.span.start)
            .map(|h| h.span.start)
            .unwrap_or(text.len());
        titles.push((
            Span::new(bl.span.start, first_line_end),
            first_line_end,
            next_heading,
            title.trim().trim_end_matches(':').trim().to_string(),
        ));
    }
    titles.sort_by_key(|t| t.0.start);
    let mut out: Vec<(NotesSection, Vec<Definition>)> = Vec::new();
    let mut covered_to = 0;
    for (heading, body, range_end, title) in titles {
        if heading.start < covered_to {
            continue;
        }
        let entries = parse_entries(b, md, lines, body, range_end, def_regions);
        if entries.is_empty() {
            continue;
        }
        covered_to = range_end;
        // Per-chapter notes: subheadings after which the numbering starts again split
        // the section into one group per chapter.
        let subheadings: Vec<&crate::markdown::Heading> = md
            .headings
            .iter()
            .filter(|h| h.span.start >= body && h.span.start < range_end)
            .collect();
        let restarts = subheadings.iter().any(|h| {
            let before = entries
                .iter()
                .filter(|d| d.span.start < h.span.start)
                .filter_map(|d| d.number)
                .max();
            let first_after = entries
                .iter()
                .find(|d| d.span.start > h.span.start)
                .and_then(|d| d.number);
            matches!((before, first_after), (Some(x), Some(y)) if y <= x)
        });
        let mut groups: Vec<(Span, String, Option<String>, Vec<Definition>)> =
            vec![(heading, title.clone(), None, Vec::new())];
        let mut bounds = subheadings.iter().peekable();
        for d in entries {
            if restarts {
                while let Some(h) = bounds.next_if(|h| h.span.start < d.span.start) {
                    groups.push((
                        h.span,
                        format!("{title} ({})", h.text),
                        Some(h.text.clone()),
                        Vec::new(),
                    ));
                }
            }
            if let Some(g) = groups.last_mut() {
                g.3.push(d);
            }
        }
        for (heading, title, chapter, entries) in groups {
            let Some(last) = entries.last() else {
                continue;
            };
            out.push((
                NotesSection {
                    span: Span::new(heading.start, last.span.end),
                    heading,
                    title,
                    chapter,
                    entries: Vec::new(),
                },
                entries,
            ));
        }
    }
    out
}

/// A chapter title, normalised for matching a notes group to its chapter's heading.
fn chapter_key(title: &str) -> String {
    title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches([':', '.'])
        .to_lowercase()
}

/// Whether a heading of the text names the chapter of a notes group.
fn same_chapter(heading: &str, chapter: &str) -> bool {
    let (h, c) = (chapter_key(heading), chapter_key(chapter));
    if h.is_empty() || c.is_empty() {
        return false;
    }
    let prefixed = |long: &str, short: &str| {
        long.strip_prefix(short)
            .is_some_and(|rest| rest.starts_with([':', ' ', '.']))
    };
    h == c || prefixed(&h, &c) || prefixed(&c, &h)
}

struct Entry {
    start: usize,
    ns: usize,
    ne: usize,
    after: usize,
    content_start: Option<usize>,
    last_end: usize,
}

fn parse_entries(
    b: &[u8],
    md: &MdModel,
    lines: &[Line],
    from: usize,
    to: usize,
    def_regions: &[Span],
) -> Vec<Definition> {
    let mut out = Vec::new();
    let mut cur: Option<Entry> = None;
    let mut pending_blank = false;
    let first = lines.partition_point(|l| l.start < from);
    for l in lines.get(first..).unwrap_or(&[]) {
        if l.start >= to {
            break;
        }
        let (fpos, fcol) = skip_ws(b, l.start, l.end, 0);
        if fpos >= l.end {
            pending_blank = true;
            continue;
        }
        let code = md.is_skipped(fpos) && in_code_block(md, fpos);
        let head = if fcol <= 3 && !code && !in_spans(def_regions, fpos) {
            entry_head(b, fpos, l.end)
        } else {
            None
        };
        if let Some((ns, ne, after)) = head {
            if let Some(e) = cur.take() {
                out.push(entry_definition(b, e));
            }
            let (cs, _) = skip_ws(b, after, l.end, 0);
            cur = Some(Entry {
                start: fpos,
                ns,
                ne,
                after,
                content_start: (cs < l.end).then_some(cs),
                last_end: l.end,
            });
            pending_blank = false;
            continue;
        }
        if let Some(e) = cur.as_mut() {
            let ends = if pending_blank {
                fcol < 2 && !code
            } else {
                fcol < 4 && !code && (is_thematic_break(b, fpos, l.end) || at(b, fpos) == b'#')
            };
            if ends {
                if let Some(e) = cur.take() {
                    out.push(entry_definition(b, e));
                }
            } else {
                e.content_start.get_or_insert(fpos);
                e.last_end = l.end;
            }
        }
        pending_blank = false;
    }
    if let Some(e) = cur.take() {
        out.push(entry_definition(b, e));
    }
    out
}

fn entry_definition(b: &[u8], e: Entry) -> Definition {
    let label = String::from_utf8_lossy(b.get(e.ns..e.ne).unwrap_or(&[])).into_owned();
    let end = e.last_end.max(e.after);
    Definition {
        style: NoteStyle::Endnote,
        span: Span::new(e.start, end),
        number: parse_number(&label),
        label,
        label_span: Span::new(e.ns, e.ne),
        content: match e.content_start {
            Some(s) if s < end => Span::new(s, end),
            _ => Span::new(e.after.min(end), e.after.min(end)),
        },
        section: None,
        duplicate_of: None,
    }
}

// ---------------------------------------------------------------------------------
// Markers

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// `(3)`
    Paren,
    /// `[3]`
    Bracket,
    /// `³`
    Super,
    /// `<sup>3</sup>`
    SupTag,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Confidence {
    /// The place says "note marker".
    Sure,
    /// A number opening a sentence: a note only if it continues the sequence.
    Maybe,
}

#[derive(Clone, Debug)]
struct Candidate {
    span: Span,
    label_span: Span,
    label: String,
    number: u32,
    confidence: Confidence,
    /// Start of the paragraph (or definition) it stands in.
    para: usize,
}

#[derive(Default)]
struct Found {
    footnotes: Vec<Marker>,
    inline_markers: Vec<Marker>,
    inline_defs: Vec<Definition>,
    candidates: Vec<Candidate>,
    /// Paragraphs with an inline enumeration `(1) …, (2) …`: a number opening a sentence
    /// there is an item, not a note.
    enumeration_paras: HashSet<usize>,
}

/// Why a numeric candidate is not a marker.
enum Reject {
    /// It looks like an item of an inline enumeration.
    Enumeration,
    Other,
}

struct Scan<'a> {
    text: &'a str,
    b: &'a [u8],
    md: &'a MdModel,
    def_regions: &'a [Span],
    def_skip: &'a [Span],
    /// Sorted starts of the footnote definitions.
    def_starts: Vec<usize>,
    link_refs: HashSet<String>,
    section_spans: Vec<Span>,
    /// Numbers above this are never endnote markers (the sections' last number + 5).
    max_number: u32,
    /// Lookup hints: queries mostly move forward through the text.
    hint_def: Cell<usize>,
    hint_def_skip: Cell<usize>,
    hint_block: Cell<usize>,
    hint_skip: Cell<usize>,
}

/// `items.partition_point(|x| end(x) <= pos)` for items whose ends ascend, starting from
/// `hint` (the previous answer) and falling back to a binary search.
fn seek<T>(items: &[T], end: impl Fn(&T) -> usize, hint: &Cell<usize>, pos: usize) -> usize {
    let mut c = hint.get().min(items.len());
    let behind = c > 0 && items.get(c - 1).is_some_and(|x| end(x) > pos);
    if behind {
        c = items.partition_point(|x| end(x) <= pos);
    } else {
        let mut steps = 0;
        while items.get(c).is_some_and(|x| end(x) <= pos) {
            c += 1;
            steps += 1;
            if steps > 16 {
                c = items.partition_point(|x| end(x) <= pos);
                break;
            }
        }
    }
    hint.set(c);
    c
}

/// What stands before a candidate marker.
struct Before {
    /// The first non-blank character before it (`None` at the paragraph's start).
    ch: Option<char>,
    /// Whitespace between that character and the marker.
    gap: bool,
    /// The word ending at `ch` (or before a final `.`), lowercased.
    word: String,
    /// `ch` ends a sentence (`.`, `!`, `?`, possibly followed by quotes or brackets).
    sentence_end: bool,
}

/// What follows a candidate marker.
struct After {
    /// Nothing but whitespace until the paragraph ends.
    terminal: bool,
    /// Directly followed by punctuation that closes a phrase.
    punct: bool,
    /// The character directly after the marker (no whitespace between).
    direct: Option<char>,
}

const INTERESTING: [bool; 256] = {
    let mut t = [false; 256];
    t[b'[' as usize] = true;
    t[b'^' as usize] = true;
    t[b'(' as usize] = true;
    t[b'<' as usize] = true;
    t[0xC2] = true;
    t[0xE2] = true;
    t
};

/// Words after which a number in brackets is a reference of another kind.
const STOP_WORDS: &[&str] = &[
    "see",
    "cf",
    "note",
    "notes",
    "n",
    "nn",
    "p",
    "pp",
    "page",
    "pages",
    "no",
    "nos",
    "number",
    "numbers",
    "table",
    "tab",
    "fig",
    "figs",
    "figure",
    "figures",
    "eq",
    "eqs",
    "equation",
    "equations",
    "chapter",
    "chapters",
    "chap",
    "ch",
    "section",
    "sections",
    "sec",
    "vol",
    "vols",
    "volume",
    "art",
    "article",
    "articles",
    "para",
    "paragraph",
    "paragraphs",
    "step",
    "steps",
    "item",
    "items",
    "line",
    "lines",
    "part",
    "parts",
    "book",
    "appendix",
    "and",
    "or",
    "nor",
    "in",
    "of",
    "at",
    "to",
    "from",
    "by",
    "with",
    "than",
    "under",
    "per",
    "point",
    "points",
    "rule",
    "option",
    "case",
    "question",
    "map",
    "plate",
    "document",
    "doc",
    "file",
    "folio",
    "f",
    "ff",
    "list",
    "delo",
    "fond",
    "opis",
    "box",
    "folder",
    "reel",
    "sheet",
    "list",
    "l",
    "ll",
    "verse",
    "clause",
    "annex",
    "exhibit",
    "was",
    "were",
    "is",
    "are",
    "be",
    "the",
    "a",
    "an",
    "aged",
    "age",
];

/// Abbreviations whose period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "p", "pp", "no", "nos", "vol", "vols", "fig", "figs", "ch", "chap", "sec", "art", "eq", "eqs",
    "cf", "para", "n", "nn", "op", "cit", "ed", "eds", "f", "ff", "l", "ll", "d", "op",
];

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r')
}

fn escaped(b: &[u8], i: usize) -> bool {
    let mut n = 0;
    let mut k = i;
    while k > 0 && at(b, k - 1) == b'\\' {
        n += 1;
        k -= 1;
    }
    n % 2 == 1
}

fn superscript_digit(c: char) -> Option<u8> {
    Some(match c {
        '⁰' => 0,
        '¹' => 1,
        '²' => 2,
        '³' => 3,
        '⁴' => 4,
        '⁵' => 5,
        '⁶' => 6,
        '⁷' => 7,
        '⁸' => 8,
        '⁹' => 9,
        _ => return None,
    })
}

impl<'a> Scan<'a> {
    fn new(
        text: &'a str,
        md: &'a MdModel,
        def_regions: &'a [Span],
        defs: &'a Defs,
        sections: &[(NotesSection, Vec<Definition>)],
    ) -> Scan<'a> {
        let top = sections
            .iter()
            .flat_map(|(_, entries)| entries.iter().filter_map(|d| d.number))
            .max();
        Scan {
            text,
            b: text.as_bytes(),
            md,
            def_regions,
            def_skip: &defs.skip,
            def_starts: defs.defs.iter().map(|d| d.span.start).collect(),
            link_refs: link_reference_labels(text, md),
            section_spans: sections.iter().map(|s| s.0.span).collect(),
            max_number: top.map_or(9999, |t| t.saturating_add(5)),
            hint_def: Cell::new(0),
            hint_def_skip: Cell::new(0),
            hint_block: Cell::new(0),
            hint_skip: Cell::new(0),
        }
    }

    /// The prose container of `pos` (a footnote definition or a Markdown block) and
    /// whether it is a definition; `None` when `pos` is not prose.
    fn region(&self, pos: usize) -> Option<(Span, bool)> {
        let i = seek(self.def_regions, |s| s.end, &self.hint_def, pos);
        if let Some(r) = self.def_regions.get(i).filter(|r| r.contains(pos)) {
            return (!self.def_skipped(pos)).then_some((*r, true));
        }
        let bi = seek(&self.md.blocks, |b| b.span.end, &self.hint_block, pos);
        let bl = self.md.blocks.get(bi).filter(|b| b.span.contains(pos))?;
        let prose = matches!(
            bl.kind,
            BlockKind::Paragraph | BlockKind::Heading { .. } | BlockKind::Table
        );
        (prose && !self.md_skips(Span::new(pos, pos + 1))).then_some((bl.span, false))
    }

    /// Whether the Markdown model's skip regions cover part of `span`, corrected for
    /// its bare-URL heuristic: GitHub's autolinker only sees text, so a bare URL ends
    /// where a `[` begins a footnote marker, and a URL inside a link destination ends
    /// with the destination.
    fn def_skipped(&self, pos: usize) -> bool {
        let i = seek(self.def_skip, |s| s.end, &self.hint_def_skip, pos);
        self.def_skip.get(i).is_some_and(|s| s.contains(pos))
    }

    fn md_skips(&self, span: Span) -> bool {
        let skip = &self.md.skip;
        let i = seek(skip, |s| s.end, &self.hint_skip, span.start);
        let Some(r) = skip.get(i).filter(|r| r.overlaps(span)) else {
            return false;
        };
        if r.start >= span.start {
            return true;
        }
        let Some(head) = self.text.get(r.start..span.start) else {
            return true;
        };
        let lower = head.get(..8).unwrap_or(head).to_ascii_lowercase();
        let url = lower.starts_with("http://")
            || lower.starts_with("https://")
            || lower.starts_with("www.");
        if !url || head.contains(|c: char| c.is_whitespace() || "<>`".contains(c)) {
            return true;
        }
        if r.start >= 2 && self.text.get(r.start - 2..r.start) == Some("](") {
            return match inline_link_tail(self.b, r.start - 1, self.b.len()) {
                Some(e) => span.start < e,
                None => true,
            };
        }
        head.contains('[')
    }

    fn skipped(&self, in_def: bool, pos: usize) -> bool {
        if in_def {
            self.def_skipped(pos)
        } else {
            self.md_skips(Span::new(pos, pos + 1))
        }
    }

    /// The region of `span` when all of it is prose in one region.
    fn clear(&self, span: Span) -> Option<(Span, bool)> {
        let (r, in_def) = self.region(span.start)?;
        if span.end > r.end {
            return None;
        }
        let skipped = if in_def {
            let i = seek(self.def_skip, |s| s.end, &self.hint_def_skip, span.start);
            self.def_skip.get(i).is_some_and(|s| s.overlaps(span))
        } else {
            self.md_skips(span)
        };
        (!skipped).then_some((r, in_def))
    }

    fn scan(&self) -> Found {
        let mut f = Found::default();
        let b = self.b;
        let n = b.len();
        let mut i = 0;
        let mut inline_until = 0;
        while i < n {
            while i < n && !INTERESTING[at(b, i) as usize] {
                i += 1;
            }
            if i >= n {
                break;
            }
            i = match at(b, i) {
                b'[' => self.bracket(i, &mut f),
                b'^' if at(b, i + 1) == b'[' => {
                    if i >= inline_until
                        && let Some(end) = self.inline_note(i, &mut f)
                    {
                        inline_until = end;
                    }
                    i + 2
                }
                b'(' => self.paren(i, &mut f),
                b'<' => self.sup_tag(i, &mut f),
                0xC2 | 0xE2 => self.superscript(i, &mut f),
                _ => i + 1,
            };
        }
        f
    }

    fn bracket(&self, i: usize, f: &mut Found) -> usize {
        let b = self.b;
        if escaped(b, i) {
            return i + 1;
        }
        if at(b, i + 1) == b'^' {
            let Some(le) = footnote_label_end(b, i + 2, b.len()) else {
                return i + 2;
            };
            if self.def_starts.binary_search(&i).is_ok() {
                return le + 1;
            }
            if at(b, le + 1) == b'(' && inline_link_tail(b, le + 1, b.len()).is_some() {
                return le + 1;
            }
            if at(b, le + 1) == b'['
                && let Some(re) = self.text.get(le + 2..).and_then(|s| s.find(']'))
            {
                let label = self.text.get(le + 2..le + 2 + re).unwrap_or("");
                if !label.is_empty() && self.link_refs.contains(&label_key(label)) {
                    return le + 1;
                }
            }
            let span = Span::new(i, le + 1);
            if self.clear(span).is_some() {
                let label = self.text.get(i + 2..le).unwrap_or("").to_string();
                f.footnotes.push(Marker {
                    style: NoteStyle::Footnote,
                    span,
                    number: parse_number(&label),
                    label,
                    label_span: Span::new(i + 2, le),
                    definition: None,
                    section: None,
                });
            }
            return le + 1;
        }
        if at(b, i + 1).is_ascii_digit() {
            let mut j = i + 1;
            while at(b, j).is_ascii_digit() {
                j += 1;
            }
            if at(b, j) != b']' || j - (i + 1) > 4 {
                return j;
            }
            let prev = if i > 0 { at(b, i - 1) } else { 0 };
            let next = at(b, j + 1);
            let label = self.text.get(i + 1..j).unwrap_or("");
            if prev == b']' || prev == b'!' || matches!(next, b'(' | b'[' | b':') {
                return j + 1;
            }
            if self.link_refs.contains(label) {
                return j + 1;
            }
            self.candidate(
                Kind::Bracket,
                Span::new(i, j + 1),
                Span::new(i + 1, j),
                label.to_string(),
                f,
            );
            return j + 1;
        }
        i + 1
    }

    fn paren(&self, i: usize, f: &mut Found) -> usize {
        let b = self.b;
        if !at(b, i + 1).is_ascii_digit() || escaped(b, i) {
            return i + 1;
        }
        let mut j = i + 1;
        while at(b, j).is_ascii_digit() {
            j += 1;
        }
        if at(b, j) != b')' || j - (i + 1) > 4 {
            return j;
        }
        let label = self.text.get(i + 1..j).unwrap_or("").to_string();
        self.candidate(
            Kind::Paren,
            Span::new(i, j + 1),
            Span::new(i + 1, j),
            label,
            f,
        );
        j + 1
    }

    fn superscript(&self, i: usize, f: &mut Found) -> usize {
        let Some(rest) = self.text.get(i..) else {
            return i + 1;
        };
        let mut label = String::new();
        let mut end = i;
        for c in rest.chars() {
            match superscript_digit(c) {
                Some(d) => {
                    label.push(char::from(b'0' + d));
                    end += c.len_utf8();
                }
                None => break,
            }
        }
        if label.is_empty() {
            return i + 1;
        }
        if label.len() <= 4 {
            let span = Span::new(i, end);
            self.candidate(Kind::Super, span, span, label, f);
        }
        end
    }

    fn sup_tag(&self, i: usize, f: &mut Found) -> usize {
        let b = self.b;
        let open = b
            .get(i..i + 4)
            .is_some_and(|s| s.eq_ignore_ascii_case(b"<sup"))
            && matches!(at(b, i + 4), b'>' | b' ');
        if !open {
            return i + 1;
        }
        let Some(gt) = b
            .get(i..(i + 200).min(b.len()))
            .and_then(|s| s.iter().position(|&c| c == b'>'))
        else {
            return i + 1;
        };
        let mut k = i + gt + 1;
        // Inner tags such as <a href="#fn3">.
        while at(b, k) == b'<' && at(b, k + 1) != b'/' {
            match b
                .get(k..(k + 300).min(b.len()))
                .and_then(|s| s.iter().position(|&c| c == b'>'))
            {
                Some(p) => k += p + 1,
                None => break,
            }
        }
        let wrap = match at(b, k) {
            b'[' => Some(b']'),
            b'(' => Some(b')'),
            _ => None,
        };
        if wrap.is_some() {
            k += 1;
        }
        let ns = k;
        while at(b, k).is_ascii_digit() {
            k += 1;
        }
        let ne = k;
        if ne == ns || ne - ns > 4 {
            return i + 1;
        }
        if let Some(w) = wrap {
            if at(b, k) != w {
                return i + 1;
            }
            k += 1;
        }
        while at(b, k) == b'<'
            && at(b, k + 1) == b'/'
            && !b
                .get(k..k + 6)
                .is_some_and(|s| s.eq_ignore_ascii_case(b"</sup>"))
        {
            match b
                .get(k..(k + 20).min(b.len()))
                .and_then(|s| s.iter().position(|&c| c == b'>'))
            {
                Some(p) => k += p + 1,
                None => return i + 1,
            }
        }
        if !b
            .get(k..k + 6)
            .is_some_and(|s| s.eq_ignore_ascii_case(b"</sup>"))
        {
            return i + 1;
        }
        let label = self.text.get(ns..ne).unwrap_or("").to_string();
        self.candidate(
            Kind::SupTag,
            Span::new(i, k + 6),
            Span::new(ns, ne),
            label,
            f,
        );
        k + 6
    }

    /// `^[…]` at `i`: record the inline note and return its end.
    fn inline_note(&self, i: usize, f: &mut Found) -> Option<usize> {
        let b = self.b;
        if escaped(b, i) || (i > 0 && at(b, i - 1) == b'[') {
            return None;
        }
        let (region, in_def) = self.clear(Span::new(i, i + 2))?;
        let mut depth = 1usize;
        let mut k = i + 2;
        while k < region.end {
            match at(b, k) {
                b'\\' => {
                    k += 2;
                    continue;
                }
                b'[' if !self.skipped(in_def, k) => depth += 1,
                b']' if !self.skipped(in_def, k) => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                b'\n' => {
                    // A blank line ends the paragraph, and the note with it.
                    let (p, _) = skip_ws(b, k + 1, region.end, 0);
                    if matches!(at(b, p), b'\n' | b'\r') || p >= region.end {
                        return None;
                    }
                }
                _ => {}
            }
            k += 1;
        }
        if depth != 0 || k >= region.end {
            return None;
        }
        let span = Span::new(i, k + 1);
        let n = f.inline_markers.len() + 1;
        let label = format!("inline-{n}");
        let head = Span::new(i, i + 2);
        let content = Span::new(i + 2, k);
        f.inline_markers.push(Marker {
            style: NoteStyle::Inline,
            span,
            label: label.clone(),
            label_span: head,
            number: None,
            definition: None,
            section: None,
        });
        let trimmed = content.slice(self.text);
        let content = if trimmed.trim().is_empty() {
            Span::new(content.start, content.start)
        } else {
            content
        };
        f.inline_defs.push(Definition {
            style: NoteStyle::Inline,
            span,
            label,
            label_span: head,
            content,
            number: None,
            section: None,
            duplicate_of: None,
        });
        Some(k + 1)
    }

    fn candidate(&self, kind: Kind, span: Span, label_span: Span, label: String, f: &mut Found) {
        if self.section_spans.iter().any(|s| s.contains(span.start)) {
            return;
        }
        let Some(number) = parse_number(&label).filter(|n| *n > 0 && *n <= self.max_number) else {
            return;
        };
        let probe = if kind == Kind::SupTag {
            label_span
        } else {
            span
        };
        let Some((region, _)) = self.clear(probe) else {
            return;
        };
        let confidence = match self.classify(kind, span, region) {
            Ok(c) => c,
            Err(Reject::Enumeration) => {
                f.enumeration_paras.insert(region.start);
                return;
            }
            Err(Reject::Other) => return,
        };
        f.candidates.push(Candidate {
            span,
            label_span,
            label,
            number,
            confidence,
            para: region.start,
        });
    }

    fn before(&self, region: Span, pos: usize) -> Before {
        let b = self.b;
        let mut k = pos;
        let mut gap = false;
        loop {
            while k > region.start && is_space(at(b, k - 1)) {
                k -= 1;
                gap = true;
            }
            // A block-quote prefix at the start of a line counts as whitespace.
            if k > region.start && at(b, k - 1) == b'>' {
                let mut j = k - 1;
                while j > region.start && matches!(at(b, j - 1), b' ' | b'\t' | b'>') {
                    j -= 1;
                }
                if j == region.start || matches!(at(b, j - 1), b'\n' | b'\r') {
                    k = j;
                    gap = true;
                    continue;
                }
            }
            break;
        }
        let none = Before {
            ch: None,
            gap,
            word: String::new(),
            sentence_end: false,
        };
        if k <= region.start {
            return none;
        }
        let Some(head) = self.text.get(region.start..k) else {
            return none;
        };
        let mut chars = head.chars().rev().peekable();
        let ch = chars.peek().copied();
        // Closers between a sentence's end and the marker.
        let mut sentence_end = false;
        let mut rest = head.chars().rev();
        let mut c = rest.next();
        while let Some(x) = c {
            if matches!(x, '"' | '\'' | '”' | '’' | '»' | ')' | ']' | '*' | '_') {
                c = rest.next();
            } else {
                sentence_end = matches!(x, '.' | '!' | '?' | '…');
                break;
            }
        }
        // The word before the marker (or before a final period).
        let word_src = head.trim_end_matches(['.', '"', '\'', '”', '’', ')', ']', '*', '_']);
        let word_start = word_src
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphabetic())
            .last()
            .map(|(i, _)| i)
            .unwrap_or(word_src.len());
        let original = word_src.get(word_start..).unwrap_or("");
        let word = original.to_lowercase();
        // "p. (3)", "no. (3)", "d. (3)" — but "Plan B. (3)" ends a sentence.
        let initial = original.chars().count() == 1 && original.chars().all(char::is_uppercase);
        if ch == Some('.') && !initial && ABBREVIATIONS.contains(&word.as_str()) {
            sentence_end = false;
        }
        Before {
            ch,
            gap,
            word,
            sentence_end,
        }
    }

    fn after(&self, region: Span, pos: usize) -> After {
        let b = self.b;
        let direct = self
            .text
            .get(pos..region.end)
            .and_then(|s| s.chars().next());
        let mut k = pos;
        while k < region.end && matches!(at(b, k), b' ' | b'\t') {
            k += 1;
        }
        let rest_blank = |k: usize| {
            b.get(k..region.end)
                .is_none_or(|r| r.iter().all(|c| is_space(*c)))
        };
        if k >= region.end || rest_blank(k) {
            return After {
                terminal: true,
                punct: false,
                direct,
            };
        }
        let punct = k == pos
            && matches!(
                direct,
                Some(
                    '.' | ','
                        | ';'
                        | ':'
                        | '!'
                        | '?'
                        | '"'
                        | '”'
                        | '’'
                        | '\''
                        | ')'
                        | ']'
                        | '»'
                        | '…'
                )
            );
        After {
            terminal: false,
            punct,
            direct,
        }
    }

    fn classify(&self, kind: Kind, span: Span, region: Span) -> Result<Confidence, Reject> {
        let before = self.before(region, span.start);
        let after = self.after(region, span.end);
        let Some(ch) = before.ch else {
            // Opening a paragraph: an enumeration or a list.
            return Err(Reject::Enumeration);
        };
        match kind {
            Kind::Super | Kind::SupTag => {
                if !before.gap && ch.is_ascii_digit() {
                    return Err(Reject::Other);
                }
                if after.direct.is_some_and(|c| c.is_alphanumeric()) {
                    return Err(Reject::Other);
                }
                if !before.gap && ch.is_alphabetic() && before.word.chars().count() <= 2 {
                    return Err(Reject::Other); // "km²", "x²"
                }
                Ok(Confidence::Sure)
            }
            Kind::Paren | Kind::Bracket => {
                let enumerating = matches!(ch, ',' | ';' | ':')
                    || (ch.is_alphabetic()
                        && matches!(before.word.as_str(), "and" | "or" | "that" | "nor" | "then"));
                if enumerating && after.direct == Some(' ') {
                    return Err(Reject::Enumeration);
                }
                if matches!(
                    ch,
                    ',' | ';'
                        | ':'
                        | '('
                        | '['
                        | '-'
                        | '–'
                        | '—'
                        | '/'
                        | '='
                        | '+'
                        | '×'
                        | '*'
                        | '<'
                ) && !(ch == '*' && before.sentence_end)
                {
                    return Err(Reject::Other);
                }
                if ch.is_ascii_digit() || after.direct.is_some_and(|c| c.is_alphanumeric()) {
                    return Err(Reject::Other);
                }
                if ch == '.' && !before.sentence_end {
                    return Err(Reject::Other); // "p. (3)", "no. (3)"
                }
                if ch.is_alphabetic() && STOP_WORDS.contains(&before.word.as_str()) {
                    return Err(Reject::Other);
                }
                if kind == Kind::Bracket && !before.gap {
                    return Ok(Confidence::Sure); // "word[3]", "word.[3]"
                }
                if kind == Kind::Paren && !before.gap && ch.is_alphabetic() {
                    return Err(Reject::Other); // "f(3)"
                }
                if after.terminal || after.punct {
                    return Ok(Confidence::Sure);
                }
                if before.sentence_end {
                    return Ok(Confidence::Maybe);
                }
                Err(Reject::Other)
            }
        }
    }
}

/// Keep the numeric candidates that are endnote markers.
fn select_endnotes(
    found: &Found,
    sections: &[NotesSection],
    entry_numbers: &[HashSet<u32>],
    anchors: &[(usize, usize)],
) -> Vec<Marker> {
    let candidates = &found.candidates;
    let mut out = Vec::new();
    let marker = |c: &Candidate, section: Option<usize>| Marker {
        style: NoteStyle::Endnote,
        span: c.span,
        label: c.label.clone(),
        label_span: c.label_span,
        number: Some(c.number),
        definition: None,
        section,
    };
    let mut enumeration_paras: HashSet<usize> = found.enumeration_paras.clone();
    if sections.is_empty() {
        // No Notes section: accept only a clear 1, 2, 3… sequence at sentence ends.
        let sure: Vec<u32> = candidates
            .iter()
            .filter(|c| c.confidence == Confidence::Sure)
            .map(|c| c.number)
            .collect();
        let clear = sure.len() >= 3
            && sure.first() == Some(&1)
            && sure.windows(2).all(|w| w[1] > w[0] && w[1] - w[0] <= 2);
        if !clear {
            return out;
        }
        let mut max = 0;
        for c in candidates {
            let ok = match c.confidence {
                Confidence::Sure => true,
                Confidence::Maybe => {
                    let fits = c.number > max && c.number <= max + 2;
                    if !fits && c.number <= max {
                        enumeration_paras.insert(c.para);
                    }
                    fits && !enumeration_paras.contains(&c.para)
                }
            };
            if ok {
                max = max.max(c.number);
                out.push(marker(c, None));
            }
        }
        return out;
    }
    let mut max_seen = vec![0u32; sections.len()];
    let mut cited: HashSet<(usize, u32)> = HashSet::new();
    for c in candidates {
        // The chapter group named by the last heading before the marker; otherwise the
        // first section after the marker (or the last one).
        let anchored = anchors
            .partition_point(|(p, _)| *p < c.span.start)
            .checked_sub(1)
            .and_then(|i| anchors.get(i))
            .map(|(_, s)| *s);
        let s = anchored.unwrap_or_else(|| {
            sections
                .iter()
                .position(|s| s.span.start > c.span.start)
                .unwrap_or(sections.len() - 1)
        });
        let Some(numbers) = entry_numbers.get(s) else {
            continue;
        };
        let top = numbers.iter().copied().max().unwrap_or(0);
        if c.number > top + 5 {
            continue;
        }
        let ok = match c.confidence {
            Confidence::Sure => true,
            Confidence::Maybe => {
                // A number opening a sentence is a note when it cites an entry not cited
                // yet (out of order or not); a number already cited starts an enumeration.
                // A number the section lacks is a note too when it is the next in the
                // sequence of citations and inside the section's range (the text cites
                // (3), the Notes go 1, 2, 4): its entry was lost, and the marker is
                // what footnote-undefined reports.
                let again = cited.contains(&(s, c.number)) && c.number <= max_seen[s];
                if again {
                    enumeration_paras.insert(c.para);
                }
                let lost_entry = !numbers.contains(&c.number)
                    && c.number == max_seen[s] + 1
                    && max_seen[s] > 0
                    && c.number < top;
                (numbers.contains(&c.number) || lost_entry)
                    && !again
                    && !enumeration_paras.contains(&c.para)
            }
        };
        if ok {
            max_seen[s] = max_seen[s].max(c.number);
            cited.insert((s, c.number));
            out.push(marker(c, Some(s)));
        }
    }
    out
}

#[cfg(test)]
mod bench {
    use super::*;

    /// About 1 MB of prose with footnotes, endnote markers and a Notes section.
    pub(super) fn big_document() -> String {
        let para = "Receiving Kim Il Sung in the Kremlin on 5 March 1949, Stalin showed an open concern about growing pressure from the opponent near the 38th parallel and told Kim \"The 38th parallel must be peaceful.\" (2) The ambassador confirmed it (see 3) in 1949 (1949).[^n";
        let mut s = String::from("# A long transcription\n\n");
        let mut i = 0;
        while s.len() < 1_000_000 {
            i += 1;
            s.push_str(para);
            s.push_str(&format!(
                "{i}] Code `[^x]` and a link [a](http://x.org/[^y]).\n\n"
            ));
            if i % 10 == 0 {
                for k in i - 9..=i {
                    s.push_str(&format!(
                        "[^n{k}]: Shtykov to Moscow, {k} February 1949.\n    Continued.\n\n"
                    ));
                }
            }
        }
        s.push_str("## Notes\n\n1. One.\n2. Two.\n3. Three.\n");
        s
    }

    /// `cargo test --release --lib notes::bench -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn one_megabyte() {
        let text = big_document();
        let t0 = std::time::Instant::now();
        let md = MdModel::parse(&text);
        let t1 = std::time::Instant::now();
        let mut notes = Notes::default();
        let runs = 40;
        for _ in 0..runs {
            notes = analyze(&text, &md);
        }
        let t2 = std::time::Instant::now();
        // Phases.
        let p0 = std::time::Instant::now();
        let lines = split_lines(&text);
        let p1 = std::time::Instant::now();
        let mut defs = scan_definitions(&text, &md, &lines);
        let mut regions: Vec<Span> = defs.defs.iter().map(|d| d.span).collect();
        normalise(&mut regions);
        normalise(&mut defs.skip);
        let p2 = std::time::Instant::now();
        let sections = find_sections(&text, &md, &lines, &regions);
        let p3 = std::time::Instant::now();
        let scan = Scan::new(&text, &md, &regions, &defs, &sections);
        let p4 = std::time::Instant::now();
        let found = scan.scan();
        let p5 = std::time::Instant::now();
        eprintln!(
            "lines {:?} definitions {:?} sections {:?} setup {:?} scan {:?} ({} candidates)",
            p1 - p0,
            p2 - p1,
            p3 - p2,
            p4 - p3,
            p5 - p4,
            found.candidates.len() + found.footnotes.len()
        );
        eprintln!(
            "{} bytes: markdown model {:?}, notes::analyze {:?} per run ({} markers, {} definitions)",
            text.len(),
            t1 - t0,
            (t2 - t1) / runs,
            notes.markers.len(),
            notes.definitions.len()
        );
        assert!(notes.markers.len() > 2000);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn notes(text: &str) -> Notes {
        analyze(text, &MdModel::parse(text))
    }

    const SECTION: &str =
        "\n\n## Notes\n\n1. a\n2. b\n3. c\n4. d\n5. e\n6. f\n7. g\n8. h\n9. i\n10. j\n";

    /// Numbers of the endnote markers found in `body` followed by a Notes section 1–10.
    fn endnotes(body: &str) -> Vec<u32> {
        let text = format!("{body}{SECTION}");
        notes(&text)
            .markers
            .iter()
            .filter(|m| m.style == NoteStyle::Endnote)
            .filter_map(|m| m.number)
            .collect()
    }

    #[test]
    fn endnote_markers_where_the_context_says_note() {
        let cases: &[(&str, &[u32])] = &[
            ("Kim II Sung. (1)", &[1]),
            ("It is very important.\" (2)", &[2]),
            (
                "Stalin agreed. (1) Kim left. (2) Mao was told. (3)",
                &[1, 2, 3],
            ),
            ("The aggression was prepared. (3) In May the Kremlin", &[3]),
            ("as the ambassador said (4).", &[4]),
            ("Stalin agreed (5), and Mao did not.", &[5]),
            ("Declassified archives.[6]", &[6]),
            ("Shtykov[7] complained.", &[7]),
            ("Mao was in Moscow.⁸", &[8]),
            ("Sung⁹ replied.", &[9]),
            ("The records were lost.<sup>10</sup>", &[10]),
            ("Records of April.¹²", &[12]),
            ("The talks ended.<sup><a href=\"#n3\">3</a></sup>", &[3]),
            ("> Quoted text ends here. (2)", &[2]),
            ("| cell (3). | x |\n| --- | --- |\n| y | z |", &[3]),
            (
                "Sentence one.\n(4) continues the paragraph on a new line.",
                &[4],
            ),
        ];
        for (body, want) in cases {
            assert_eq!(endnotes(body), *want, "{body:?}");
        }
    }

    #[test]
    fn numbers_that_are_not_note_markers() {
        for body in [
            "The treaty was signed (1949).",
            "Reasons: (a) the South; (b) the North.",
            "In the appendix (see 3).",
            "The figures are on (pp. 3-4).",
            "It advanced (3 km) a day.",
            "The function f(2) = 4 and 2 (3) 4.",
            "He raised three points: (1) the army, (2) the people and (3) the Americans.",
            "(1) A paragraph that opens with a number.",
            "- (2) a list item",
            "1. (3) an ordered item",
            "See Table (5). And chapter (2).",
            "As on p. (3) and no. (4).",
            "An area of 12 km² and x² and 10².",
            "A link [5](http://example.org) and [6][ref].\n\n[ref]: http://example.org",
            "A link [7].\n\n[7]: http://example.org",
            "Code `(3)` and `[4]` and `<sup>5</sup>`.",
            "He said (3) that it was so.",
            "Points: (1) one, (2) two. (3) Then the text went on.",
            "```\nfenced (3).\n```",
            "<!-- comment (3). -->",
            "Numbered [3]: like a definition.",
            "Escaped \\(3) and \\[4].",
            "An image ![3] and a ratio 3:(4).",
            "Edited [sic] text[a].",
        ] {
            assert_eq!(endnotes(body), Vec::<u32>::new(), "{body:?}");
        }
    }

    #[test]
    fn endnotes_without_a_section_need_a_clear_sequence() {
        let clear = "Stalin agreed. (1)\n\nKim left. (2)\n\nMao was told. (3)\n";
        let n = notes(clear);
        assert_eq!(n.markers.len(), 3);
        assert!(
            n.markers
                .iter()
                .all(|m| m.section.is_none() && m.definition.is_none())
        );
        for text in [
            "Stalin agreed. (1)\n\nKim left. (2)\n",
            "Founded (1945). Signed (1949). Ended (1953).",
            "Stalin agreed. (2)\n\nKim left. (3)\n\nMao was told. (4)\n",
            "Reasons: (1) one; (2) two; (3) three.",
        ] {
            assert!(notes(text).markers.is_empty(), "{text:?}");
        }
    }

    #[test]
    fn markers_resolve_to_their_entries_and_sections() {
        let text = "# One\n\nText. (1)\n\n## Notes\n\n1. First chapter note.\n\n# Two\n\nMore. (1)\n\n## Notes\n\n1. Second chapter note.\n";
        let n = notes(text);
        assert_eq!(n.sections.len(), 2);
        let contents: Vec<&str> = n
            .markers
            .iter()
            .filter_map(|m| n.definition_of(m))
            .map(|d| d.content.slice(text))
            .collect();
        assert_eq!(contents, ["First chapter note.", "Second chapter note."]);
        assert_eq!(n.notes_section, Some(n.sections[0].span));
    }

    #[test]
    fn per_chapter_notes_resolve_by_chapter_title() {
        let t = "# Chapter 1: Fear\n\nStalin agreed. (1) Kim left. (2)\n\n# Chapter 2\n\nMao was told. (1)\n\n# Notes\n\n## Chapter 1\n\n1. a\n2. b\n\n## Chapter 2\n\n1. c\n";
        let n = notes(t);
        let titles: Vec<&str> = n.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["Notes (Chapter 1)", "Notes (Chapter 2)"]);
        let resolved: Vec<&str> = n
            .markers
            .iter()
            .filter_map(|m| n.definition_of(m))
            .map(|d| d.content.slice(t))
            .collect();
        assert_eq!(resolved, ["a", "b", "c"]);
        assert!(n.definitions.iter().all(|d| d.duplicate_of.is_none()));
        let whole = n.notes_section.map(|s| s.slice(t));
        assert!(whole.is_some_and(|w| w.starts_with("## Chapter 1") && w.ends_with("1. c")));
        // Without a restart of the numbering, subheadings do not split the section.
        let t = "A. (1) B. (2)\n\n## Notes\n\n### Part one\n\n1. a\n\n### Part two\n\n2. b\n";
        let n = notes(t);
        assert_eq!(n.sections.len(), 1);
        assert_eq!(
            n.markers.iter().filter(|m| m.definition.is_some()).count(),
            2
        );
    }

    #[test]
    fn notes_section_titles_and_entries() {
        let yes = [
            "## Notes\n\n1. a\n",
            "## Notes:\n\n1. a\n",
            "### ENDNOTES\n\n1. a\n",
            "# References\n\n[1] a\n",
            "## 11. Notes\n\n(1) a\n",
            "**Notes**\n\n1. a\n",
            "**Notes:**\n1. a\n",
            "Sources\n-------\n\n1) a\n",
            "## Notes\n\nThe translator's notes follow.\n\n1. a\n",
        ];
        for t in yes {
            let n = notes(t);
            assert_eq!(n.sections.len(), 1, "{t:?}");
            let d = &n.definitions[n.sections[0].entries[0]];
            assert_eq!((d.number, d.content.slice(t)), (Some(1), "a"), "{t:?}");
        }
        let no = [
            "## Notes on method\n\n1. a\n",
            "## Notes\n\n- a bullet\n",
            "## Notes\n\nJust prose.\n",
            "## References\n\n[1]: http://example.org\n",
            "Some **Notes** in a sentence.\n\n1. a\n",
            "```\n## Notes\n\n1. a\n```\n",
        ];
        for t in no {
            assert!(notes(t).sections.is_empty(), "{t:?}");
        }
    }

    #[test]
    fn entries_keep_their_numbers_and_continuations() {
        let t = "## Notes\n\n1. First,\n   continued.\n\n   A second paragraph.\n3. Third.\n2. Second.\n\nAn unindented remark ends the entry.\n\n## Appendix\n\n4. Not an entry.\n";
        let n = notes(t);
        let entries: Vec<(Option<u32>, &str)> = n.sections[0]
            .entries
            .iter()
            .map(|&i| (n.definitions[i].number, n.definitions[i].content.slice(t)))
            .collect();
        assert_eq!(
            entries,
            [
                (Some(1), "First,\n   continued.\n\n   A second paragraph."),
                (Some(3), "Third."),
                (Some(2), "Second."),
            ]
        );
        assert!(n.sections[0].span.slice(t).ends_with("2. Second."));
    }

    #[test]
    fn markers_inside_the_notes_section_are_not_endnote_markers() {
        let t = "Text. (1)\n\n## Notes\n\n1. See also the next note. (2)\n2. Ibid.[^x]\n\n[^x]: A footnote.\n";
        let n = notes(t);
        let styles: Vec<(NoteStyle, &str)> = n
            .markers
            .iter()
            .map(|m| (m.style, m.span.slice(t)))
            .collect();
        assert_eq!(
            styles,
            [(NoteStyle::Endnote, "(1)"), (NoteStyle::Footnote, "[^x]")]
        );
    }

    #[test]
    fn footnote_markers_follow_cmark_gfm() {
        let cases: &[(&str, &[&str])] = &[
            ("A[^a] b[^B].\n\n[^a]: x\n[^b]: y\n", &["[^a]", "[^B]"]),
            ("Spaces [^my note] are text.\n", &[]),
            ("Empty [^] is text.\n", &[]),
            ("Escaped \\[^a] is text.\n\n[^a]: x\n", &[]),
            ("A link [^a](http://example.org).\n\n[^a]: x\n", &[]),
            (
                "A reference link [^a][r].\n\n[r]: http://example.org\n[^a]: x\n",
                &[],
            ),
            ("Undefined link ref [^a][r].\n\n[^a]: x\n", &["[^a]"]),
            ("Bang![^a].\n\n[^a]: x\n", &["[^a]"]),
            (
                "In link text [see [^a]](http://example.org).\n\n[^a]: x\n",
                &["[^a]"],
            ),
            (
                "Bare URL http://example.org/x[^a] ends.\n\n[^a]: x\n",
                &["[^a]"],
            ),
            (
                "Link [t](http://example.org/[^a])[^a].\n\n[^a]: x\n",
                &["[^a]"],
            ),
            ("Undefined[^nope] stays a marker.\n", &["[^nope]"]),
            ("# Heading[^a]\n\n[^a]: x\n", &["[^a]"]),
        ];
        for (text, want) in cases {
            let n = notes(text);
            let got: Vec<&str> = n
                .markers
                .iter()
                .filter(|m| m.style == NoteStyle::Footnote)
                .map(|m| m.span.slice(text))
                .collect();
            assert_eq!(got, *want, "{text:?}");
        }
        let t = "A[^B].\n\n[^b]: x\n";
        let n = notes(t);
        assert_eq!(
            n.markers[0].definition,
            Some(0),
            "labels compare case-insensitively"
        );
        assert_eq!(n.markers[0].label_span.slice(t), "B");
    }

    /// (label, content) of each footnote definition.
    fn defs(text: &str) -> Vec<(String, String)> {
        notes(text)
            .definitions
            .iter()
            .filter(|d| d.style == NoteStyle::Footnote)
            .map(|d| (d.label.clone(), d.content.slice(text).to_string()))
            .collect()
    }

    #[test]
    fn footnote_definitions_and_their_extent() {
        let cases: &[(&str, &[(&str, &str)])] = &[
            ("[^a]: one\n", &[("a", "one")]),
            (
                "[^a]: one\n    two\n\n    three\n\nafter\n",
                &[("a", "one\n    two\n\n    three")],
            ),
            ("[^a]: one\nlazy\n", &[("a", "one\nlazy")]),
            ("[^a]: one\n\nnot lazy\n", &[("a", "one")]),
            ("[^a]: one\n# heading\n", &[("a", "one")]),
            ("[^a]: one\n- list\n", &[("a", "one")]),
            ("[^a]: one\n---\n", &[("a", "one")]),
            ("[^a]: one\n[^b]: two\n", &[("a", "one"), ("b", "two")]),
            ("Text\n[^a]: interrupts\n", &[("a", "interrupts")]),
            ("[^a]:\n\n    later\n", &[("a", "later")]),
            ("[^a]:\n\nnot content\n", &[("a", "")]),
            ("[^a]:[^b]:\n", &[("a", ""), ("b", "")]),
            ("[^a]:\ttab\n\tcontinued\n", &[("a", "tab\n\tcontinued")]),
            (
                "> [^q]: quoted\n>     more\n",
                &[("q", "quoted\n>     more")],
            ),
            (
                "- [^l]: listed\n\n      more\n",
                &[("l", "listed\n\n      more")],
            ),
            ("    [^c]: indented code\n", &[]),
            ("```\n[^f]: fenced\n```\n", &[]),
            ("<div>\n[^h]: html\n</div>\n", &[]),
            ("---\nx: \"[^m]: front matter\"\n---\n", &[]),
            ("[^my note]: spaces\n", &[]),
            ("[^a] : spaced colon\n", &[]),
            (
                "[^a]: one\r\n    two\r\n\r\nafter\r\n",
                &[("a", "one\r\n    two")],
            ),
        ];
        for (text, want) in cases {
            let want: Vec<(String, String)> = want
                .iter()
                .map(|(l, c)| (l.to_string(), c.to_string()))
                .collect();
            assert_eq!(defs(text), want, "{text:?}");
        }
    }

    #[test]
    fn the_note_layer_corrects_the_markdown_model_inside_definitions() {
        let t = "[^a]: one\n\n    Second paragraph with `code [^x]` and [^b].\n\n        indented code [^b]\n\n    ```\n    [^b] fenced\n    ```\n\n[^b]: two\n";
        let md = MdModel::parse(t);
        let n = analyze(t, &md);
        let para = t.find("Second").unwrap_or(0);
        assert!(md.is_skipped(para), "tree-sitter sees indented code");
        assert!(!n.is_skipped(&md, para));
        for needle in ["code [^x]", "indented code", "[^b] fenced"] {
            let at = t.find(needle).unwrap_or(0);
            assert!(n.is_skipped(&md, at), "{needle} is code");
        }
        let markers: Vec<&str> = n.markers.iter().map(|m| m.span.slice(t)).collect();
        assert_eq!(markers, ["[^b]"]);
        assert_eq!(
            n.definitions[0].span.slice(t).lines().last(),
            Some("    ```")
        );
    }

    #[test]
    fn inline_notes() {
        let cases: &[(&str, &[&str])] = &[
            ("A^[simple note] b.", &["simple note"]),
            ("A^[with [brackets] inside] b.", &["with [brackets] inside"]),
            ("A^[code `]` inside] b.", &["code `]` inside"]),
            ("A^[over\ntwo lines] b.", &["over\ntwo lines"]),
            ("A^[outer ^[inner] rest] b.", &["outer ^[inner] rest"]),
            ("A^[] b.", &[""]),
            ("Escaped \\^[not a note].", &[]),
            ("Unclosed ^[note\n\nacross paragraphs].", &[]),
            ("Code `^[not a note]`.", &[]),
        ];
        for (text, want) in cases {
            let n = notes(text);
            let got: Vec<&str> = n
                .definitions
                .iter()
                .filter(|d| d.style == NoteStyle::Inline)
                .map(|d| d.content.slice(text))
                .collect();
            assert_eq!(got, *want, "{text:?}");
            for m in n.markers.iter().filter(|m| m.style == NoteStyle::Inline) {
                let d = n.definition_of(m).map(|d| d.span);
                assert_eq!(d, Some(m.span));
            }
        }
    }

    #[test]
    fn duplicates_point_to_the_first_definition() {
        let t = "A[^a] and (1).\n\n[^a]: one\n[^A]: two\n\n## Notes\n\n1. x\n1. y\n";
        let n = notes(t);
        let dups: Vec<(usize, Option<usize>)> = n
            .definitions
            .iter()
            .enumerate()
            .map(|(i, d)| (i, d.duplicate_of))
            .collect();
        assert_eq!(dups, [(0, None), (1, Some(0)), (2, None), (3, Some(2))]);
        assert_eq!(
            n.markers_of(1).count(),
            1,
            "markers of a duplicate are the first's"
        );
    }

    #[test]
    fn lookups() {
        let t = "A^[see [^a]] b (1).\n\n[^a]: x\n\n## Notes\n\n1. y\n";
        let n = notes(t);
        let inner = t.find("[^a]").unwrap_or(0) + 1;
        assert_eq!(
            n.marker_at(inner).map(|m| m.style),
            Some(NoteStyle::Footnote)
        );
        assert_eq!(n.marker_at(1).map(|m| m.style), Some(NoteStyle::Inline));
        let def = n
            .definition_for(NoteStyle::Endnote, "01")
            .map(|d| d.content.slice(t));
        assert_eq!(def, Some("y"));
        assert_eq!(n.markers_for(NoteStyle::Footnote, "A").count(), 1);
        let d = n
            .definitions
            .iter()
            .find(|d| d.style == NoteStyle::Footnote);
        assert_eq!(d.map(|d| d.head().slice(t)), Some("[^a]"));
    }

    #[test]
    fn nothing_panics_and_spans_stay_on_char_boundaries() {
        let inputs = [
            "",
            "[^",
            "[^a",
            "[^a]:",
            "^[",
            "^[[[[",
            "(",
            "(1",
            "<sup>",
            "<sup>1",
            "<sup>1</sup",
            "¹",
            "\u{2070}",
            "\r",
            "\r\r\n\n",
            "> [^a]:\n>",
            "- [^a]:\n-",
            "## Notes\n\n1.",
            "## Notes\n\n(1)",
            "**Notes**",
            "[^é]: é\n\nÉ[^É]",
            "Ü. (1)\n\n## Notes\n\n1. ü",
            "`",
            "]([^a]",
            "[^a](",
            "\\",
            "x\\",
            "[^a]:\n    ```\n",
        ];
        for t in inputs {
            let n = notes(t);
            for m in &n.markers {
                assert!(t.get(m.span.start..m.span.end).is_some(), "{t:?}");
                assert!(
                    t.get(m.label_span.start..m.label_span.end).is_some(),
                    "{t:?}"
                );
            }
            for d in &n.definitions {
                for s in [d.span, d.label_span, d.content] {
                    assert!(t.get(s.start..s.end).is_some(), "{t:?} {s:?}");
                }
            }
        }
    }

    #[test]
    fn lines_end_at_lf_crlf_and_lone_cr() {
        let t = "a\nb\r\nc\rd";
        let got: Vec<&str> = split_lines(t)
            .iter()
            .map(|l| t.get(l.start..l.end).unwrap_or("?"))
            .collect();
        assert_eq!(got, ["a", "b", "c", "d"]);
    }
}
