//! Sentences that make claims a reader would want sourced, and their coverage by note
//! markers.
//!
//! Three kinds of claim are recognised, deliberately few and deliberately strict (a
//! false alarm costs more trust than a missed claim):
//!
//! * a **direct quotation**: a passage of at least four words between paired quotation
//!   marks (`"…"`, `“…”`, `‘…’`, `«…»`), unless it is a title (after *titled*,
//!   *entitled*, *conference on*, *book*, *article*…, or written in Title Case), scare
//!   quotes (one to three words) or the text of a link;
//! * a **dated statement**: a sentence with a day- or month-precise date and a
//!   reporting or decision verb with an agent (*Stalin informed*, *the Politburo
//!   rejected*), not in the passive without an agent, not used as an adjective;
//! * an **unattributed block quotation**: a `>` block quote of four words or more with
//!   no attribution line (`— Name`, `-- Source`) and no note marker.
//!
//! Prose is read paragraph by paragraph (list items included). Headings, tables, code,
//! HTML, front matter, footnote definitions, the Notes section and bibliography-like
//! sections (Notes, References, Bibliography, Sources…) are not read.
//!
//! Sentences are cut by a small segmenter written for this text type (no crate fits:
//! UAX #29 sentence bounds split after "Dr." and know nothing of note markers or of
//! quotations that contain several sentences): `.`, `!`, `?` or `…`, then closing
//! quotes or brackets, then note markers (which stay with the sentence they follow),
//! then white space and a capital or a digit. Abbreviations (Dr. Gen. e.g. vol. Jan.),
//! initials (J. Stalin) and terminal punctuation inside a paired quotation do not end
//! a sentence; "U.S.", "D.C.", "etc.", "Univ." end one only before a word that
//! usually starts a sentence ("The", "He", "Dr."…).

use crate::config::{ClaimScope, Claims};
use crate::finding::Span;
use crate::kind::{DocKind, Layers};
use crate::markdown::{Block, BlockKind, MdModel};
use crate::notes::Notes;

mod attribution;
mod block_quotes;
mod dated;
mod kept;
mod quotes;
mod sentences;
#[cfg(test)]
pub(crate) mod tests;

pub use attribution::{author_date_citations, prose_citations};
use attribution::{introduces_a_document, is_speaker_colon};
use block_quotes::*;
use dated::*;
pub use quotes::Quote;
use quotes::*;
pub use sentences::sentences;
use sentences::*;

/// What makes a sentence a claim, with the evidence found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClaimKind {
    /// A direct quotation; `quote` spans the passage with its quotation marks.
    Quotation { quote: Span },
    /// A dated, attributed statement or decision: `date` is the precise date, `verb`
    /// the reporting or decision verb.
    DatedStatement { date: Span, verb: Span },
    /// A `>` block quote with no attribution line; `quote` spans the whole quote.
    BlockQuotation { quote: Span },
}

impl ClaimKind {
    /// A short name for messages.
    pub fn describe(&self) -> &'static str {
        match self {
            ClaimKind::Quotation { .. } => "direct quotation",
            ClaimKind::DatedStatement { .. } => "dated statement",
            ClaimKind::BlockQuotation { .. } => "block quotation",
        }
    }
}

/// A claim: a sentence (or block quote) a reader would want sourced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claim {
    /// The sentence (with the note markers that follow it), or the block quote.
    pub span: Span,
    /// Whether a note marker covers it (see [`ClaimScope`]).
    pub covered: bool,
    pub kind: ClaimKind,
    /// What an editor should underline: the quotation, or the date and the verb.
    pub evidence: Span,
    /// Where a new note marker for this claim belongs (end of the sentence or quote).
    pub insert_at: usize,
    /// The paragraph (leaf block) holding the claim.
    pub paragraph: Span,
}

impl Claim {
    /// The claim moved with its paragraph, from a paragraph starting at `from` to one
    /// starting at `to`.
    fn moved(mut self, from: usize, to: usize) -> Claim {
        self.span = self.span.moved(from, to);
        self.evidence = self.evidence.moved(from, to);
        self.paragraph = self.paragraph.moved(from, to);
        self.insert_at = self.insert_at + to - from;
        self.kind = match self.kind {
            ClaimKind::Quotation { quote } => ClaimKind::Quotation {
                quote: quote.moved(from, to),
            },
            ClaimKind::DatedStatement { date, verb } => ClaimKind::DatedStatement {
                date: date.moved(from, to),
                verb: verb.moved(from, to),
            },
            ClaimKind::BlockQuotation { quote } => ClaimKind::BlockQuotation {
                quote: quote.moved(from, to),
            },
        };
        self
    }
}

/// Find the claims of `text`. `dates` are the spans of the date expressions found in
/// prose (any order); only those naming a month or a day count as precise.
pub fn find(text: &str, md: &MdModel, notes: &Notes, dates: &[Span], cfg: &Claims) -> Vec<Claim> {
    let layers = Layers::default();
    let input = ClaimInputs {
        text,
        md,
        notes,
        dates,
        cfg,
        layers: &layers,
        citations: None,
    };
    find_layered(&input, None)
}

/// What the claims pass reads of a document version: its text, model, notes, the
/// spans of its date expressions in prose (any order; only those naming a month or a
/// day count as precise), the configuration and the document's layers; and the
/// document's Pandoc citations when the caller has them
/// ([`crate::citations::syntax::find`] of the same text and model; `None`: found here).
#[derive(Clone, Copy)]
pub struct ClaimInputs<'a> {
    pub text: &'a str,
    pub md: &'a MdModel,
    pub notes: &'a Notes,
    pub dates: &'a [Span],
    pub cfg: &'a Claims,
    pub layers: &'a Layers,
    pub citations: Option<&'a [crate::citations::syntax::Citation]>,
}

/// What [`find_layered`] keeps of one version of a document for the next: each
/// paragraph's claims, the sources its words name and its quotations; and what the
/// pass reads of the whole text (parentheses that may be sources, what surrounds each
/// date), moved with the edit ([`kept`]).
#[derive(Default)]
pub struct ClaimMemo {
    claims: crate::memo::ShiftMemo<Vec<Claim>>,
    cited: crate::memo::ShiftMemo<Vec<Span>>,
    quotes: crate::memo::ShiftMemo<Vec<Span>>,
    whole: kept::WholeText,
    /// The quotations of the paragraphs this version's claims were read from afresh
    /// (in the blocks' order): [`quotation_spans_in`] takes them rather than reading
    /// those paragraphs again.
    fresh: std::sync::Mutex<ParagraphQuotes>,
    /// Paragraphs whose characters [`quotation_spans_in`] read itself (for the tests
    /// that count it).
    quotes_read: std::sync::atomic::AtomicUsize,
}

impl ClaimMemo {
    /// A new version (see [`crate::memo::ShiftMemo::begin`]).
    pub fn begin(&self, unchanged: crate::memo::Unchanged) {
        self.claims.begin(unchanged);
        self.cited.begin(unchanged);
        self.quotes.begin(unchanged);
        self.whole.begin(unchanged);
        if let Ok(mut f) = self.fresh.lock() {
            f.0.clear();
        }
    }

    /// Bytes searched for parentheses, and dates whose surroundings were read, afresh
    /// (not moved from the last version) since this was made: what the pass read of
    /// the whole text (for the tests that count it).
    pub fn whole_text_read(&self) -> (usize, usize) {
        self.whole.read()
    }

    /// The end of a version (see [`crate::memo::BlockMemo::sweep`]).
    pub fn sweep(&self) {
        self.claims.sweep();
        self.cited.sweep();
        self.quotes.sweep();
    }

    /// Paragraphs whose quotations [`quotation_spans_in`] read from their characters
    /// (not found in the memo, nor taken from the claims' reading) since this was made.
    pub fn quotations_read(&self) -> usize {
        self.quotes_read.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Paragraphs read (not found) since this was made.
    pub fn computed(&self) -> usize {
        self.claims.computed() + self.cited.computed() + self.quotes.computed()
    }
}

/// [`find`] in a document of a kind: only the writer's and the editor's own words are
/// read. In a primary document nothing is (its words are its own evidence); in an
/// edition the editor's notes (footnote definitions), insertions and editorial
/// sections are, the source text is not; secondary prose is read as by [`find`].
///
/// With a `memo` (the editor's), each paragraph's claims are kept for the next version
/// of the document: an edit re-reads the paragraphs it touched. A paragraph's claims
/// depend only on its text, whether it is quoted, the claim scope, its prose pieces,
/// and the note markers (and sources) and precise dates inside it (the key); block
/// quotes and an edition's notes are read again each time.
pub fn find_layered(input: &ClaimInputs, memo: Option<&ClaimMemo>) -> Vec<Claim> {
    find_seeing(input, memo, None)
}

/// The quotations of the paragraphs a first reading ([`find_quoting`]) read: per
/// paragraph (its content span, not quoted), the spans of its quotations, in the
/// document's order. [`quotation_spans_near`] takes them instead of reading the
/// paragraphs again.
#[derive(Debug, Default)]
pub struct ParagraphQuotes(Vec<(Span, Vec<Span>)>);

/// [`find_layered`] without a memo (a document's first reading), with the quotations
/// of the paragraphs it read.
pub fn find_quoting(input: &ClaimInputs) -> (Vec<Claim>, ParagraphQuotes) {
    let mut seen = ParagraphQuotes::default();
    let claims = find_seeing(input, None, Some(&mut seen));
    (claims, seen)
}

fn find_seeing(
    input: &ClaimInputs,
    memo: Option<&ClaimMemo>,
    mut seen: Option<&mut ParagraphQuotes>,
) -> Vec<Claim> {
    let ClaimInputs {
        text,
        md,
        notes,
        dates,
        cfg,
        layers,
        ..
    } = *input;
    if layers.kind == DocKind::Primary {
        return Vec::new();
    }
    // Dates in order, and what each is to a dated statement; the parentheses that
    // may be sources. Read afresh, or moved from the last version with the edit.
    let mut sorted_dates = dates.to_vec();
    sorted_dates.sort_unstable();
    let (parens, date_reads) = match memo {
        Some(m) => m.whole.reads(text, &sorted_dates),
        None => kept::fresh(text, &sorted_dates),
    };
    let mut markers: Vec<Span> = notes.markers.iter().map(|m| m.span).collect();
    // Author–date citations source a claim as a note marker does; so do sources named
    // in the prose (telegram references, a dated publication, "text in …, page 489").
    attribution::paren_sources(text, md, &parens, &mut markers);
    // So do Pandoc citations, `[@key, p. 33]` and in-text `@key`.
    match input.citations {
        Some(cites) => markers.extend(cites.iter().filter(|c| !c.in_quotes).map(|c| c.span)),
        None => markers.extend(crate::citations::syntax::source_spans(text, md)),
    }
    // What an edit reached (all of a first version) is read again: ahead, on rayon's
    // threads, when that is a large document's worth.
    let unchanged = memo.map(|m| m.whole.unchanged());
    let to_read = |span: Span| unchanged.is_none_or(|u| u.old_start(span).is_none());
    markers.extend(attribution::paragraph_sources_in(
        text,
        md,
        memo.map(|m| &m.cited),
        &to_read,
    ));
    markers.sort_unstable();
    markers.dedup();
    // Precise dates not part of a name: those a dated statement may be made on.
    let dates: Vec<Span> = date_reads
        .iter()
        .filter(|d| d.counts)
        .map(|d| d.span)
        .collect();
    let excluded = excluded_regions(text, md, notes);
    let mut out = Vec::new();
    let blocks: Vec<&Block> = md.blocks.iter().collect();
    // The paragraphs read below (not in a quote, not excluded), those to be read
    // again computed ahead when they are many.
    let mut ahead = Ahead::compute(
        blocks.iter().enumerate().filter_map(|(k, b)| {
            (b.quote_depth == 0
                && b.kind == BlockKind::Paragraph
                && to_read(b.content)
                && !is_excluded(&excluded, b.span))
            .then_some((k, b.content))
        }),
        |k| {
            let b = blocks.get(k)?;
            let mut v = Vec::new();
            let qs = paragraph_claims(text, md, &markers, &dates, cfg.scope, b, &mut v);
            Some((v, qs))
        },
    );
    let mut i = 0;
    while let Some(b) = blocks.get(i) {
        if b.quote_depth > 0 {
            // A group of adjacent block-quote blocks.
            let mut j = i + 1;
            while let Some(n) = blocks.get(j) {
                let prev_end = blocks
                    .get(j - 1)
                    .map(|p| p.span.end)
                    .unwrap_or(n.span.start);
                let gap = text.get(prev_end..n.span.start).unwrap_or("x");
                if n.quote_depth > 0 && gap.chars().all(|c| c.is_whitespace() || c == '>') {
                    j += 1;
                } else {
                    break;
                }
            }
            let group: Vec<&Block> = blocks.get(i..j).unwrap_or(&[]).to_vec();
            let prev = i.checked_sub(1).and_then(|k| blocks.get(k)).copied();
            let next = blocks.get(j).copied();
            block_quote_claim(text, md, &markers, &excluded, &group, prev, next, &mut out);
            i = j;
            continue;
        }
        let k = i;
        i += 1;
        if b.kind != BlockKind::Paragraph || is_excluded(&excluded, b.span) {
            continue;
        }
        let done = ahead.take(k);
        match memo {
            Some(m) => {
                let input = ParagraphInput {
                    text,
                    md,
                    markers: &markers,
                    dates: &dates,
                    scope: cfg.scope,
                };
                kept_paragraph_claims(&input, b, m, done, &mut out)
            }
            None => {
                let qs = match done {
                    Some((v, qs)) => {
                        out.extend(v);
                        qs
                    }
                    None => paragraph_claims(text, md, &markers, &dates, cfg.scope, b, &mut out),
                };
                // Only unquoted paragraphs come here: their quotations are those
                // `quotation_spans_in` reads (the same characters, not in a quote).
                if let (Some(seen), Some(qs)) = (seen.as_deref_mut(), qs) {
                    seen.0.push((b.content, qs));
                }
            }
        }
    }
    if layers.kind == DocKind::Edition {
        // The editor's notes: each footnote definition read as one paragraph.
        for d in notes
            .definitions
            .iter()
            .filter(|d| d.style == crate::notes::NoteStyle::Footnote && !d.content.is_empty())
        {
            let b = Block {
                kind: BlockKind::Paragraph,
                span: d.span,
                content: d.content,
                quote_depth: 0,
                list_depth: 0,
            };
            paragraph_claims(text, md, &markers, &dates, cfg.scope, &b, &mut out);
        }
        out.retain(|c| !layers.in_source(c.evidence));
        out.sort_by_key(|c| (c.span.start, c.span.end));
    }
    out
}

/// Every quotation of the document's prose (paragraphs, list items, block quotes),
/// with its marks: what no safe fix may edit.
pub fn quotation_spans(text: &str, md: &MdModel) -> Vec<Span> {
    quotation_spans_in(text, md, None)
}

/// [`quotation_spans`], each paragraph's kept in `memo` for the next version of the
/// document (key: its text, whether it is quoted, its prose pieces).
pub fn quotation_spans_in(text: &str, md: &MdModel, memo: Option<&ClaimMemo>) -> Vec<Span> {
    quotation_spans_seeing(text, md, memo, None, &|_| true)
}

/// The quotations of the paragraphs whose content `wanted` takes (each quotation lies
/// inside its paragraph's content): taken from `seen` (a first reading of the claims),
/// else from `memo`, else read.
pub fn quotation_spans_near(
    text: &str,
    md: &MdModel,
    memo: Option<&ClaimMemo>,
    seen: Option<&ParagraphQuotes>,
    wanted: &dyn Fn(Span) -> bool,
) -> Vec<Span> {
    match seen {
        Some(seen) => quotation_spans_seeing(text, md, None, Some(seen), wanted),
        None => quotation_spans_seeing(text, md, memo, None, wanted),
    }
}

fn quotation_spans_seeing(
    text: &str,
    md: &MdModel,
    memo: Option<&ClaimMemo>,
    seen: Option<&ParagraphQuotes>,
    wanted: &dyn Fn(Span) -> bool,
) -> Vec<Span> {
    let mut out = Vec::new();
    // `seen` is in the blocks' order: a cursor walks it along.
    let mut next_seen = 0;
    // So are the quotations this version's claims read afresh.
    let mut fresh = memo
        .and_then(|m| m.fresh.lock().ok().map(|mut f| std::mem::take(&mut *f)))
        .unwrap_or_default();
    let mut next_fresh = 0;
    for b in md
        .blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Paragraph && wanted(b.content))
    {
        let para = b.content;
        if let Some(seen) = seen
            && b.quote_depth == 0
        {
            while seen
                .0
                .get(next_seen)
                .is_some_and(|(p, _)| p.start < para.start)
            {
                next_seen += 1;
            }
            if let Some((p, qs)) = seen.0.get(next_seen)
                && *p == para
            {
                out.extend_from_slice(qs);
                next_seen += 1;
                continue;
            }
        }
        let mut ready = None;
        if b.quote_depth == 0 {
            while fresh
                .0
                .get(next_fresh)
                .is_some_and(|(p, _)| p.start < para.start)
            {
                next_fresh += 1;
            }
            if let Some((p, qs)) = fresh.0.get_mut(next_fresh)
                && *p == para
            {
                ready = Some(std::mem::take(qs));
                next_fresh += 1;
            }
        }
        let read = || {
            let cs = block_chars(text, md, para, b.quote_depth > 0);
            quotes(&cs)
                .into_iter()
                .map(|q| q.span)
                .collect::<Vec<Span>>()
        };
        let Some(m) = memo else {
            out.extend(read());
            continue;
        };
        let pieces = md.prose_pieces(para);
        let key = crate::memo::BlockKey::new("")
            .num(u64::from(b.quote_depth > 0))
            .spans(para.start, &pieces);
        m.quotes.get_with(
            para,
            key.bytes(),
            || {
                ready
                    .unwrap_or_else(|| {
                        m.quotes_read
                            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        read()
                    })
                    .into_iter()
                    .map(|q| q.moved(para.start, 0))
                    .collect()
            },
            |kept| out.extend(kept.iter().map(|q| q.moved(0, para.start))),
        );
    }
    out
}

/// Regions whose prose is not read for claims: footnote definitions, the Notes
/// section and sections whose heading names notes or a bibliography.
fn excluded_regions(text: &str, md: &MdModel, notes: &Notes) -> Vec<Span> {
    let mut v: Vec<Span> = notes.definitions.iter().map(|d| d.span).collect();
    v.extend(notes.notes_section);
    for (k, h) in md.headings.iter().enumerate() {
        if !is_apparatus_heading(&h.text) {
            continue;
        }
        v.push(Span::new(h.span.start, md.section_end(k, text.len())));
    }
    // Sorted and merged, for binary search.
    crate::finding::normalise_spans(&mut v);
    v
}

/// True when `span` overlaps a region of `excluded` (sorted, merged).
fn is_excluded(excluded: &[Span], span: Span) -> bool {
    let i = excluded.partition_point(|e| e.end <= span.start);
    excluded.get(i).is_some_and(|e| e.overlaps(span))
}

/// Headings of sections that hold sources rather than claims.
pub fn is_apparatus_heading(heading: &str) -> bool {
    let t = heading
        .trim()
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ' ')
        .trim_end_matches(':')
        .trim()
        .to_lowercase();
    // Short headings naming notes or sources: "Notes", "Select bibliography",
    // "Sources used", "Notes and references", "Further reading".
    let words: Vec<&str> = t
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let strong = words.iter().any(|w| {
        matches!(
            *w,
            "notes"
                | "endnotes"
                | "footnotes"
                | "references"
                | "bibliography"
                | "sources"
                | "citations"
                | "abbreviations"
                | "archives"
                | "literature"
        )
    });
    words.len() <= 4 && strong
        || matches!(
            t.as_str(),
            "note" | "source" | "works cited" | "further reading" | "reading list"
        )
}

/// True when a date expression names a month or a day (not just a year or decade).
pub fn is_precise_date(s: &str) -> bool {
    if s.split(|c: char| !c.is_alphabetic())
        .any(|w| month_number(w).is_some())
    {
        return true;
    }
    // Numeric full dates: 1949-03-05, 5.3.1949, 05/03/1949.
    let groups: Vec<&str> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    let seps = s.chars().filter(|c| matches!(c, '-' | '.' | '/')).count();
    groups.len() >= 3
        && seps >= 2
        && groups.iter().any(|g| g.len() == 4)
        && groups.iter().filter(|g| g.len() <= 2).count() >= 2
}

/// 1–12 for an English month name or its abbreviation (case-insensitive, "May" too).
pub fn month_number(w: &str) -> Option<u8> {
    // No month name is longer than nine letters, and only ASCII letters lower-case to
    // one (but the Kelvin sign, to a `k` no month name has): others are no month, and
    // need no lower-casing into a new string.
    if w.len() > 9 || !w.is_ascii() {
        return None;
    }
    let mut buf = [0u8; 9];
    let l = buf.get_mut(..w.len()).unwrap_or(&mut []);
    l.copy_from_slice(w.as_bytes());
    l.make_ascii_lowercase();
    let n = match &*l {
        b"january" | b"jan" => 1,
        b"february" | b"feb" => 2,
        b"march" | b"mar" => 3,
        b"april" | b"apr" => 4,
        b"may" => 5,
        b"june" | b"jun" => 6,
        b"july" | b"jul" => 7,
        b"august" | b"aug" => 8,
        b"september" | b"sep" | b"sept" => 9,
        b"october" | b"oct" => 10,
        b"november" | b"nov" => 11,
        b"december" | b"dec" => 12,
        _ => return None,
    };
    // Lower-case "may", "march" are a verb and a noun, not months.
    if w.chars().next().is_some_and(|c| c.is_uppercase()) {
        Some(n)
    } else {
        None
    }
}

// ---------------------------------------------------------------------------------
// Characters of a block, as the segmenter sees them.

/// Stands for a region that is not prose (code span, HTML, link destination).
const OPAQUE: char = '\u{FFFC}';

/// The characters of `span` with their byte offsets: skip regions collapse to one
/// [`OPAQUE`] char, block-quote markers at line starts become spaces.
fn block_chars(text: &str, md: &MdModel, span: Span, in_quote: bool) -> Vec<(usize, char)> {
    // At most one element per byte (a region collapses to one), and the sentinel.
    let mut out = Vec::with_capacity(span.len() + 1);
    for piece_or_gap in pieces_and_gaps(md, span) {
        match piece_or_gap {
            Err(gap) => out.push((gap.start, OPAQUE)),
            Ok(piece) => {
                let s = piece.slice(text);
                let mut line_start = piece.start == span.start;
                for (i, c) in s.char_indices() {
                    let off = piece.start + i;
                    if c == '\n' {
                        line_start = true;
                        out.push((off, ' '));
                        continue;
                    }
                    if line_start && (c == ' ' || c == '\t' || (in_quote && c == '>')) {
                        out.push((off, ' '));
                        continue;
                    }
                    line_start = false;
                    out.push((off, if c == '\r' { ' ' } else { c }));
                }
            }
        }
    }
    // A sentinel, so that every element ends where the next one starts.
    out.push((span.end, ' '));
    out
}

/// `span` as prose pieces (`Ok`) and skipped regions (`Err`), in order.
fn pieces_and_gaps(md: &MdModel, span: Span) -> Vec<Result<Span, Span>> {
    let mut v = Vec::new();
    let mut pos = span.start;
    for p in md.prose_pieces(span) {
        if p.start > pos {
            v.push(Err(Span::new(pos, p.start)));
        }
        v.push(Ok(p));
        pos = p.end;
    }
    if pos < span.end {
        v.push(Err(Span::new(pos, span.end)));
    }
    v
}

/// Where the element `i` ends: where the next one starts (an [`OPAQUE`] element
/// stands for a whole region).
fn char_end(cs: &[(usize, char)], i: usize) -> usize {
    match cs.get(i + 1) {
        Some(&(next, _)) => next,
        None => cs.get(i).map(|&(o, c)| o + c.len_utf8()).unwrap_or(0),
    }
}

// ---------------------------------------------------------------------------------
// Claims of a paragraph and of a block quote.

/// Paragraphs' results computed ahead of the walk that uses them, on rayon's threads
/// ([`Ahead::compute`]), by block index in order.
struct Ahead<T> {
    done: Vec<(usize, Option<T>)>,
    next: usize,
}

/// Paragraphs are computed ahead, on rayon's threads, when at least this many bytes
/// of them are to be read (a large document's first reading); fewer (an edit, a
/// small file: `check` already reads files in parallel) on the caller's thread, as
/// the walk comes to them.
const AHEAD_BYTES: usize = 64 * 1024;

impl<T: Send> Ahead<T> {
    /// `f` of each paragraph of `wanted` (block index and content span, in order),
    /// computed in parallel when they hold [`AHEAD_BYTES`] or more; else none.
    fn compute(
        wanted: impl Iterator<Item = (usize, Span)>,
        f: impl Fn(usize) -> Option<T> + Sync,
    ) -> Ahead<T> {
        use rayon::prelude::*;
        let wanted: Vec<(usize, Span)> = wanted.collect();
        let bytes: usize = wanted.iter().map(|(_, s)| s.len()).sum();
        let done = if bytes >= AHEAD_BYTES {
            wanted.par_iter().map(|&(k, _)| (k, f(k))).collect()
        } else {
            Vec::new()
        };
        Ahead { done, next: 0 }
    }

    /// The result computed ahead for block `k` (asked in increasing order), if any.
    fn take(&mut self, k: usize) -> Option<T> {
        while self.done.get(self.next).is_some_and(|d| d.0 < k) {
            self.next += 1;
        }
        self.done
            .get_mut(self.next)
            .filter(|d| d.0 == k)
            .and_then(|d| d.1.take())
    }
}

/// What [`paragraph_claims`] reads besides the paragraph.
struct ParagraphInput<'a> {
    text: &'a str,
    md: &'a MdModel,
    markers: &'a [Span],
    dates: &'a [Span],
    scope: ClaimScope,
}

/// [`paragraph_claims`] through the memo; `ahead`, its claims (and quotations)
/// computed ahead (when the paragraph was to be read again). The quotations of a
/// paragraph read afresh are kept for [`quotation_spans_in`].
fn kept_paragraph_claims(
    input: &ParagraphInput,
    b: &Block,
    memo: &ClaimMemo,
    ahead: Option<(Vec<Claim>, Option<Vec<Span>>)>,
    out: &mut Vec<Claim>,
) {
    let ParagraphInput {
        text,
        md,
        markers,
        dates,
        scope,
    } = *input;
    let para = b.content;
    fn inside(v: &[Span], para: Span) -> &[Span] {
        let lo = v.partition_point(|m| m.start < para.start);
        let hi = v.partition_point(|m| m.start <= para.end);
        v.get(lo..hi).unwrap_or(&[])
    }
    let pieces = md.prose_pieces(para);
    // A marker may reach past the paragraph's end; none starts before its start.
    let key = crate::memo::BlockKey::new("")
        .num(u64::from(b.quote_depth > 0))
        .num(u64::from(scope == ClaimScope::Sentence))
        .spans(para.start, &pieces)
        .spans(para.start, inside(markers, para))
        .spans(para.start, inside(dates, para));
    memo.claims.get_with(
        para,
        key.bytes(),
        || {
            let (v, qs) = ahead.unwrap_or_else(|| {
                let mut v = Vec::new();
                let qs = paragraph_claims(text, md, markers, dates, scope, b, &mut v);
                (v, qs)
            });
            if let Some(qs) = qs
                && b.quote_depth == 0
                && let Ok(mut f) = memo.fresh.lock()
            {
                f.0.push((para, qs));
            }
            v.into_iter().map(|c| c.moved(para.start, 0)).collect()
        },
        |found| {
            out.extend(found.iter().map(|c| c.clone().moved(0, para.start)));
        },
    );
}

/// Paragraph `b`'s claims, into `out`; returns the spans of its quotations (as
/// [`quotation_spans_in`] finds them), when it read its characters.
fn paragraph_claims(
    text: &str,
    md: &MdModel,
    markers: &[Span],
    dates: &[Span],
    scope: ClaimScope,
    b: &Block,
    out: &mut Vec<Claim>,
) -> Option<Vec<Span>> {
    let para = b.content;
    let cs = block_chars(text, md, para, b.quote_depth > 0);
    if cs.is_empty() {
        return None;
    }
    let qs = quotes(&cs);
    let sentences = split_sentences(&cs, &qs, markers);
    let lo = markers.partition_point(|m| m.start < para.start);
    let hi = markers.partition_point(|m| m.start < para.end);
    let para_markers = markers.get(lo..hi).unwrap_or(&[]);
    for (k, &(s, insert_at)) in sentences.iter().enumerate() {
        let kind = sentence_claim(text, md, &cs, &qs, dates, s);
        let Some(kind) = kind else { continue };
        let mut covered = match scope {
            ClaimScope::Sentence => para_markers
                .iter()
                .any(|m| s.start <= m.start && m.end <= s.end),
            ClaimScope::Paragraph => para_markers.iter().any(|m| m.start >= s.start),
        };
        if let ClaimKind::Quotation { quote } = kind {
            // The attribution in the prose: "Following is the text of the broadcast:
            // “…”", or "He said: “…”" right after a sentence that cites its source.
            let lead = text.get(s.start..quote.start).unwrap_or("");
            let prev = k.checked_sub(1).and_then(|j| sentences.get(j)).map(|p| p.0);
            if introduces_a_document(lead)
                || is_speaker_colon(lead)
                    && prev.is_some_and(|p| {
                        has_marker_in(markers, p) && same_speaker(lead, p.slice(text))
                    })
            {
                covered = true;
            }
        }
        let evidence = match kind {
            ClaimKind::Quotation { quote } | ClaimKind::BlockQuotation { quote } => quote,
            ClaimKind::DatedStatement { date, verb } => {
                let (a, z) = (date.start.min(verb.start), date.end.max(verb.end));
                if z - a <= 120 { Span::new(a, z) } else { verb }
            }
        };
        out.push(Claim {
            span: s,
            covered,
            kind,
            evidence,
            insert_at,
            paragraph: para,
        });
    }
    Some(qs.into_iter().map(|q| q.span).collect())
}

/// The claim a sentence makes, if any: a quotation first, else a dated statement.
fn sentence_claim(
    text: &str,
    md: &MdModel,
    cs: &[(usize, char)],
    qs: &[Quote],
    dates: &[Span],
    s: Span,
) -> Option<ClaimKind> {
    for q in qs {
        if q.span.start >= s.start && q.span.start < s.end && !quote_is_not_claim(text, cs, q) {
            return Some(ClaimKind::Quotation { quote: q.span });
        }
    }
    let k = dates.partition_point(|d| d.start < s.start);
    let date = dates.get(k).filter(|d| d.end <= s.end)?;
    // The verb must be outside quotations (a quoted "said" is not the writer's claim).
    let toks: Vec<Tok> = tokens(text, md, s)
        .into_iter()
        .filter(|t| !qs.iter().any(|q| q.inner.contains(t.span.start)))
        .collect();
    let verb = attributed_verb(&toks)?;
    Some(ClaimKind::DatedStatement { date: *date, verb })
}

/// True when a marker of `markers` (sorted) lies inside `span`.
/// The speaker of "He said:" is the one the cited sentence before speaks of: a
/// pronoun, or a name that sentence names (`Acheson spoke ….[^1] He said:` — but not
/// "The embassy was alarmed. (3) Kim then said:", where the note cites the embassy).
fn same_speaker(lead: &str, previous: &str) -> bool {
    let Some(first) = lead.split_whitespace().next() else {
        return false;
    };
    let first = first.trim_matches(|c: char| !c.is_alphanumeric());
    matches!(first, "He" | "She" | "They" | "It" | "We" | "I")
        || (first.chars().next().is_some_and(char::is_uppercase)
            && previous
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w == first))
}

fn has_marker_in(markers: &[Span], span: Span) -> bool {
    let i = markers.partition_point(|m| m.start < span.start);
    markers.get(i).is_some_and(|m| m.end <= span.end)
}
