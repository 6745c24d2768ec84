//! Note markers in the text: `[^label]`, printed "(n)" and superscript endnote markers,
//! with the evidence that tells a note number from a year, a page or a list item.

use super::*;
use crate::prose::abbreviations;
use crate::prose::words::STOP_WORDS;

// ---------------------------------------------------------------------------------
// Markers

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
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
pub(super) enum Confidence {
    /// The place says "note marker".
    Sure,
    /// A number opening a sentence: a note only if it continues the sequence.
    Maybe,
}

#[derive(Clone, Debug)]
pub(super) struct Candidate {
    pub(super) span: Span,
    pub(super) label_span: Span,
    pub(super) label: String,
    pub(super) number: u32,
    pub(super) confidence: Confidence,
    /// Start of the paragraph (or definition) it stands in.
    pub(super) para: usize,
}

#[derive(Clone, Default)]
pub(super) struct Found {
    pub(super) footnotes: Vec<Marker>,
    pub(super) inline_markers: Vec<Marker>,
    pub(super) inline_defs: Vec<Definition>,
    pub(super) candidates: Vec<Candidate>,
    /// Paragraphs with an inline enumeration `(1) …, (2) …`: a number opening a sentence
    /// there is an item, not a note.
    pub(super) enumeration_paras: HashSet<usize>,
}

/// Why a numeric candidate is not a marker.
pub(super) enum Reject {
    /// It looks like an item of an inline enumeration.
    Enumeration,
    Other,
}

pub(super) struct Scan<'a> {
    pub(super) text: &'a str,
    pub(super) b: &'a [u8],
    pub(super) md: &'a MdModel,
    pub(super) def_regions: &'a [Span],
    pub(super) def_skip: &'a [Span],
    /// Sorted starts of the footnote definitions.
    pub(super) def_starts: Vec<usize>,
    pub(super) link_refs: HashSet<String>,
    pub(super) section_spans: Vec<Span>,
    /// Numbers above this are never endnote markers (the sections' last number + 5).
    pub(super) max_number: u32,
    /// Lookup hints: queries mostly move forward through the text.
    pub(super) hint_def: Cell<usize>,
    pub(super) hint_def_skip: Cell<usize>,
    pub(super) hint_block: Cell<usize>,
    pub(super) hint_skip: Cell<usize>,
    /// The bytes the scan read since [`Scan::reads_from`]: `lo..hi` (what a part of the
    /// scan kept for the next version depends on, besides the model; `kept.rs`).
    pub(super) lo: Cell<usize>,
    pub(super) hi: Cell<usize>,
}

/// `items.partition_point(|x| end(x) <= pos)` for items whose ends ascend, starting from
/// `hint` (the previous answer) and falling back to a binary search.
pub(super) fn seek<T>(
    items: &[T],
    end: impl Fn(&T) -> usize,
    hint: &Cell<usize>,
    pos: usize,
) -> usize {
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
pub(super) struct Before {
    /// The first non-blank character before it (`None` at the paragraph's start).
    pub(super) ch: Option<char>,
    /// Whitespace between that character and the marker.
    pub(super) gap: bool,
    /// The word ending at `ch` (or before a final `.`), lowercased.
    pub(super) word: String,
    /// `ch` ends a sentence (`.`, `!`, `?`, possibly followed by quotes or brackets).
    pub(super) sentence_end: bool,
}

/// What follows a candidate marker.
pub(super) struct After {
    /// Nothing but whitespace until the paragraph ends.
    pub(super) terminal: bool,
    /// Directly followed by punctuation that closes a phrase.
    pub(super) punct: bool,
    /// The character directly after the marker (no whitespace between).
    pub(super) direct: Option<char>,
}

pub(super) const INTERESTING: [bool; 256] = {
    let mut t = [false; 256];
    t[b'[' as usize] = true;
    t[b'^' as usize] = true;
    t[b'(' as usize] = true;
    t[b'<' as usize] = true;
    t[0xC2] = true;
    t[0xE2] = true;
    t
};

pub(super) fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r')
}

pub(super) fn superscript_digit(c: char) -> Option<u8> {
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
    pub(super) fn new(
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
            lo: Cell::new(0),
            hi: Cell::new(0),
        }
    }

    /// Start counting the bytes read afresh, at `pos`.
    pub(super) fn reads_from(&self, pos: usize) {
        self.lo.set(pos);
        self.hi.set(pos);
    }

    /// Bytes `from..to` were read (or may have been).
    #[inline]
    pub(super) fn read(&self, from: usize, to: usize) {
        if from < self.lo.get() {
            self.lo.set(from);
        }
        if to > self.hi.get() {
            self.hi.set(to.min(self.b.len()));
        }
    }

    /// Whether the byte at `i` is escaped (an odd run of backslashes before it).
    pub(super) fn escaped(&self, i: usize) -> bool {
        let b = self.b;
        let mut k = i;
        while k > 0 && at(b, k - 1) == b'\\' {
            k -= 1;
        }
        self.read(k.saturating_sub(1), i + 1);
        (i - k) % 2 == 1
    }

    /// The prose container of `pos` (a footnote definition or a Markdown block) and
    /// whether it is a definition; `None` when `pos` is not prose.
    pub(super) fn region(&self, pos: usize) -> Option<(Span, bool)> {
        let i = seek(self.def_regions, |s| s.end, &self.hint_def, pos);
        if let Some(r) = self.def_regions.get(i).filter(|r| r.contains(pos)) {
            self.read(r.start, r.end);
            return (!self.def_skipped(pos)).then_some((*r, true));
        }
        let bi = seek(&self.md.blocks, |b| b.span.end, &self.hint_block, pos);
        let bl = self.md.blocks.get(bi).filter(|b| b.span.contains(pos))?;
        self.read(bl.span.start, bl.span.end);
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
    pub(super) fn def_skipped(&self, pos: usize) -> bool {
        let i = seek(self.def_skip, |s| s.end, &self.hint_def_skip, pos);
        self.def_skip.get(i).is_some_and(|s| s.contains(pos))
    }

    pub(super) fn md_skips(&self, span: Span) -> bool {
        let skip = &self.md.skip;
        let i = seek(skip, |s| s.end, &self.hint_skip, span.start);
        let Some(r) = skip.get(i).filter(|r| r.overlaps(span)) else {
            return false;
        };
        if r.start >= span.start {
            return true;
        }
        self.read(r.start.saturating_sub(2), span.start);
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
            let (tail, reach) = inline_link_tail_reach(self.b, r.start - 1, self.b.len());
            self.read(r.start - 1, reach);
            return match tail {
                Some(e) => span.start < e,
                None => true,
            };
        }
        head.contains('[')
    }

    pub(super) fn skipped(&self, in_def: bool, pos: usize) -> bool {
        if in_def {
            self.def_skipped(pos)
        } else {
            self.md_skips(Span::new(pos, pos + 1))
        }
    }

    /// The region of `span` when all of it is prose in one region.
    pub(super) fn clear(&self, span: Span) -> Option<(Span, bool)> {
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

    pub(super) fn scan(&self) -> Found {
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
            i = self.step(i, &mut inline_until, &mut f);
        }
        f
    }

    /// What the scan does at an interesting byte `i`: the place it goes on from.
    #[inline]
    pub(super) fn step(&self, i: usize, inline_until: &mut usize, f: &mut Found) -> usize {
        let b = self.b;
        match at(b, i) {
            b'[' => self.bracket(i, f),
            b'^' if at(b, i + 1) == b'[' => {
                if i >= *inline_until
                    && let Some(end) = self.inline_note(i, f)
                {
                    *inline_until = end;
                }
                i + 2
            }
            b'(' => self.paren(i, f),
            b'<' => self.sup_tag(i, f),
            0xC2 | 0xE2 => self.superscript(i, f),
            _ => i + 1,
        }
    }

    pub(super) fn bracket(&self, i: usize, f: &mut Found) -> usize {
        let b = self.b;
        if self.escaped(i) {
            return i + 1;
        }
        self.read(i.saturating_sub(1), i + 2);
        if at(b, i + 1) == b'^' {
            let Some(le) = footnote_label_end(b, i + 2, b.len()) else {
                // The label's bytes read, at most 1,000, and the one after them.
                self.read(i, i + 2 + 1002);
                return i + 2;
            };
            self.read(i, le + 2);
            if self.def_starts.binary_search(&i).is_ok() {
                return le + 1;
            }
            if at(b, le + 1) == b'(' {
                let (tail, reach) = inline_link_tail_reach(b, le + 1, b.len());
                self.read(le, reach);
                if tail.is_some() {
                    return le + 1;
                }
            }
            let close = if at(b, le + 1) == b'[' {
                let close = self.text.get(le + 2..).and_then(|s| s.find(']'));
                self.read(le, close.map_or(b.len(), |re| le + 2 + re + 1));
                close
            } else {
                None
            };
            if let Some(re) = close {
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
            self.read(i, j + 2);
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

    pub(super) fn paren(&self, i: usize, f: &mut Found) -> usize {
        let b = self.b;
        self.read(i, i + 2);
        if !at(b, i + 1).is_ascii_digit() || self.escaped(i) {
            return i + 1;
        }
        let mut j = i + 1;
        while at(b, j).is_ascii_digit() {
            j += 1;
        }
        self.read(i, j + 1);
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

    pub(super) fn superscript(&self, i: usize, f: &mut Found) -> usize {
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
        // The digits and the character after them.
        self.read(i, end + 4);
        if label.is_empty() {
            return i + 1;
        }
        if label.len() <= 4 {
            let span = Span::new(i, end);
            self.candidate(Kind::Super, span, span, label, f);
        }
        end
    }

    pub(super) fn sup_tag(&self, i: usize, f: &mut Found) -> usize {
        let b = self.b;
        // The tag's head and the window searched for its `>`.
        self.read(i, i + 200);
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
        self.read(i, k + 2);
        // Inner tags such as <a href="#fn3">.
        while at(b, k) == b'<' && at(b, k + 1) != b'/' {
            self.read(k, k + 300);
            match b
                .get(k..(k + 300).min(b.len()))
                .and_then(|s| s.iter().position(|&c| c == b'>'))
            {
                Some(p) => k += p + 1,
                None => break,
            }
        }
        self.read(i, k + 2);
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
        self.read(ns, k + 1);
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
        self.read(k, k + 20);
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
            self.read(k, k + 20);
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
    pub(super) fn inline_note(&self, i: usize, f: &mut Found) -> Option<usize> {
        let b = self.b;
        self.read(i.saturating_sub(1), i + 2);
        if self.escaped(i) || (i > 0 && at(b, i - 1) == b'[') {
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

    pub(super) fn candidate(
        &self,
        kind: Kind,
        span: Span,
        label_span: Span,
        label: String,
        f: &mut Found,
    ) {
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

    pub(super) fn before(&self, region: Span, pos: usize) -> Before {
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
        if ch == Some('.') && !initial && abbreviations::before_marker(&word) {
            sentence_end = false;
        }
        Before {
            ch,
            gap,
            word,
            sentence_end,
        }
    }

    pub(super) fn after(&self, region: Span, pos: usize) -> After {
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

    pub(super) fn classify(
        &self,
        kind: Kind,
        span: Span,
        region: Span,
    ) -> Result<Confidence, Reject> {
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

#[cfg(test)]
thread_local! {
    /// Entry numbers [`select_endnotes`] read on this thread (the tests' count: each
    /// Notes section's numbers once, however many markers cite it).
    pub(super) static NUMBERS_READ: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Keep the numeric candidates that are endnote markers.
pub(super) fn select_endnotes(
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
    // Each section's highest entry number, once: asked per candidate, it made a
    // document of 5,000 endnotes read 5,000 numbers 5,000 times.
    let tops: Vec<u32> = entry_numbers
        .iter()
        .map(|n| {
            #[cfg(test)]
            NUMBERS_READ.with(|r| r.set(r.get() + n.len()));
            n.iter().copied().max().unwrap_or(0)
        })
        .collect();
    for c in candidates {
        // The chapter group named by the last heading before the marker; otherwise the
        // first section after the marker (or the last one).
        let anchored = anchors
            .partition_point(|(p, _)| *p < c.span.start)
            .checked_sub(1)
            .and_then(|i| anchors.get(i))
            .map(|(_, s)| *s);
        // Sections are in document order: the first starting after the marker.
        let s = anchored.unwrap_or_else(|| {
            let after = sections.partition_point(|s| s.span.start <= c.span.start);
            if after < sections.len() {
                after
            } else {
                sections.len() - 1
            }
        });
        let (Some(numbers), Some(&top)) = (entry_numbers.get(s), tops.get(s)) else {
            continue;
        };
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
