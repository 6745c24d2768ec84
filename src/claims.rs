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
use crate::markdown::{Block, BlockKind, MdModel};
use crate::notes::Notes;

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

/// Find the claims of `text`. `dates` are the spans of the date expressions found in
/// prose (any order); only those naming a month or a day count as precise.
pub fn find(text: &str, md: &MdModel, notes: &Notes, dates: &[Span], cfg: &Claims) -> Vec<Claim> {
    let mut markers: Vec<Span> = notes.markers.iter().map(|m| m.span).collect();
    // Author–date citations source a claim as a note marker does.
    markers.extend(author_date_citations(text, md));
    // So do Pandoc citations, `[@key, p. 33]` and in-text `@key`.
    markers.extend(crate::citations::syntax::source_spans(text, md));
    markers.sort();
    markers.dedup();
    let mut dates: Vec<Span> = dates
        .iter()
        .copied()
        .filter(|d| is_precise_date(d.slice(text)))
        .collect();
    dates.sort();
    let excluded = excluded_regions(text, md, notes);
    let mut out = Vec::new();
    let blocks: Vec<&Block> = md.blocks.iter().collect();
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
        i += 1;
        if b.kind != BlockKind::Paragraph || is_excluded(&excluded, b.span) {
            continue;
        }
        paragraph_claims(text, md, &markers, &dates, cfg.scope, b, &mut out);
    }
    out
}

/// Parenthetical author–date citations in prose: `(Weathersby 1995, 23)`,
/// `(see Cumings 1990: 45–50)`, `(Stalin to Shtykov, 30 January 1950)`. A citation
/// starts with a capital (after an optional "see", "cf.", "quoted in", "cited in"), is
/// at most fourteen words, and holds a year.
pub fn author_date_citations(text: &str, md: &MdModel) -> Vec<Span> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(rel) = text.get(from..).and_then(|r| r.find('(')) {
        let open = from + rel;
        from = open + 1;
        let Some(close_rel) = text
            .get(open + 1..)
            .and_then(|r| r.get(..r.len().min(160)).or(Some(r)))
            .and_then(|r| r.find([')', '(', '\n']))
        else {
            continue;
        };
        let close = open + 1 + close_rel;
        if text.get(close..close + 1) != Some(")") || md.is_skipped(open) {
            continue;
        }
        let inner = text.get(open + 1..close).unwrap_or("");
        let before = text.get(..open).unwrap_or("").trim_end();
        let author_before = before
            .rsplit(|c: char| c.is_whitespace())
            .next()
            .and_then(|w| w.chars().next())
            .is_some_and(|c| c.is_uppercase());
        if is_author_date(inner) || author_before && is_year_and_pages(inner) {
            out.push(Span::new(open, close + 1));
            from = close + 1;
        }
    }
    out
}

/// "1995", "1995a, 23", "1990: 45–50" — the parenthesis after an author's name.
fn is_year_and_pages(inner: &str) -> bool {
    let t = inner.trim();
    let digits: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
    let rest = t.get(digits.len()..).unwrap_or("");
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_lowercase());
    digits.len() == 4
        && digits
            .parse::<u32>()
            .is_ok_and(|y| (1000..2100).contains(&y))
        && t.split_whitespace().count() <= 4
        // Not life or reign dates: (1912–1994).
        && !rest.trim_start().starts_with(['–', '-', '—'])
        && rest.chars().all(|c| {
            c.is_ascii_digit() || matches!(c, ',' | ':' | ' ' | '–' | '-' | '.' | 'p' | 'f')
        })
}

fn is_author_date(inner: &str) -> bool {
    let mut t = inner.trim();
    for lead in [
        "see also ",
        "see ",
        "cf. ",
        "quoted in ",
        "cited in ",
        "e.g. ",
    ] {
        if let Some(r) = t.strip_prefix(lead) {
            t = r.trim_start();
            break;
        }
    }
    let words: Vec<&str> = t.split_whitespace().collect();
    let Some(first) = words.first() else {
        return false;
    };
    let first_word = first.trim_matches(|c: char| !c.is_alphanumeric());
    let starts_with_name = first.chars().next().is_some_and(|c| c.is_uppercase())
        && month_number(first_word).is_none();
    let has_year = words.iter().any(|w| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        let digits = w.trim_end_matches(|c: char| c.is_ascii_lowercase());
        digits.len() == 4
            && w.len() <= 5
            && digits.bytes().all(|b| b.is_ascii_digit())
            && digits
                .parse::<u32>()
                .is_ok_and(|y| (1000..2100).contains(&y))
    });
    starts_with_name && has_year && words.len() <= 14
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
        // To the next heading of the same or a higher level.
        let end = md
            .headings
            .iter()
            .skip(k + 1)
            .find(|n| n.level <= h.level)
            .map(|n| n.span.start)
            .unwrap_or(text.len());
        v.push(Span::new(h.span.start, end));
    }
    // Sorted and merged, for binary search.
    v.retain(|s| !s.is_empty());
    v.sort();
    let mut merged: Vec<Span> = Vec::with_capacity(v.len());
    for s in v {
        match merged.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => merged.push(s),
        }
    }
    merged
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
    let l = w.to_lowercase();
    let n = match l.as_str() {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
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
    let mut out = Vec::new();
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
// Quotations.

/// A passage between paired quotation marks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quote {
    /// With the marks.
    pub span: Span,
    /// Without the marks.
    pub inner: Span,
    /// Index range of the marks in the block's chars.
    open_idx: usize,
    close_idx: usize,
}

fn is_open_context(prev: Option<char>) -> bool {
    match prev {
        None => true,
        Some(p) => {
            p.is_whitespace()
                || matches!(
                    p,
                    '(' | '[' | '{' | '—' | '–' | '-' | '/' | '*' | '_' | ':' | OPAQUE
                )
        }
    }
}

/// Paired quotations of a block, outermost only (a quotation inside another is part
/// of it).
fn quotes(cs: &[(usize, char)]) -> Vec<Quote> {
    let mut out = Vec::new();
    // (kind, index) of the open outer quotation: 'd' double, 's' single, 'g' guillemet.
    let mut open: Option<(char, usize)> = None;
    for (i, &(_, c)) in cs.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|k| cs.get(k)).map(|p| p.1);
        let next = cs.get(i + 1).map(|p| p.1);
        let opens_here = |kind: char| -> bool {
            match (kind, c) {
                ('d', '“') => true,
                ('d', '"') => is_open_context(prev),
                ('s', '‘') => !prev.is_some_and(|p| p.is_alphanumeric()),
                ('g', '«') => true,
                _ => false,
            }
        };
        let closes_here = |kind: char| -> bool {
            match (kind, c) {
                ('d', '”') => true,
                ('d', '"') => !is_open_context(prev),
                ('s', '’') => !next.is_some_and(|n| n.is_alphanumeric()),
                ('g', '»') => true,
                _ => false,
            }
        };
        match open {
            None => {
                for k in ['d', 's', 'g'] {
                    if opens_here(k) {
                        open = Some((k, i));
                        break;
                    }
                }
            }
            Some((k, start)) => {
                if closes_here(k) {
                    let (so, _) = cs.get(start).copied().unwrap_or((0, ' '));
                    let (co, cc) = cs.get(i).copied().unwrap_or((0, ' '));
                    let inner_start = so + cs.get(start).map(|p| p.1.len_utf8()).unwrap_or(1);
                    if co >= inner_start {
                        out.push(Quote {
                            span: Span::new(so, co + cc.len_utf8()),
                            inner: Span::new(inner_start, co),
                            open_idx: start,
                            close_idx: i,
                        });
                    }
                    open = None;
                } else if k == 'd' && (c == '"' || c == '“') {
                    // An opener while open: the earlier mark was stray.
                    open = Some((k, i));
                }
            }
        }
    }
    out
}

/// Words (tokens with a letter or digit) of a string.
fn word_count(s: &str) -> usize {
    s.split_whitespace()
        .filter(|w| w.chars().any(|c| c.is_alphanumeric()))
        .count()
}

/// Words before a title in quotation marks.
const TITLE_CUES: &[&str] = &[
    "titled",
    "entitled",
    "title",
    "conference on",
    "conference",
    "symposium",
    "seminar",
    "colloquium",
    "workshop",
    "book",
    "books",
    "article",
    "articles",
    "essay",
    "paper",
    "chapter",
    "volume",
    "series",
    "poem",
    "song",
    "anthem",
    "film",
    "documentary",
    "novel",
    "play",
    "memoir",
    "memoirs",
    "report",
    "study",
    "monograph",
    "thesis",
    "dissertation",
    "collection",
    "exhibition",
    "lecture",
    "headline",
    "column",
    "editorial",
    "pamphlet",
    "brochure",
    "leaflet",
    "journal",
    "magazine",
    "newspaper",
    "programme",
    "program",
    "called",
    "known as",
    "named",
    "dubbed",
    "so-called",
    "the term",
    "the phrase",
    "the word",
    "the words",
    "the expression",
    "the motto",
    "the slogan",
    "operation",
    "plan",
    "codenamed",
    "code-named",
    "code name",
];

/// Small words a Title Case title leaves in lower case.
const TITLE_SMALL: &[&str] = &[
    "a", "an", "the", "of", "on", "in", "and", "or", "for", "to", "at", "by", "from", "with", "as",
    "vs", "via", "into", "upon", "nor", "but", "de", "la", "le", "der", "die", "das", "und", "von",
    "du", "des", "et",
];

/// Why a quotation is not a claim, if it is not.
fn quote_is_not_claim(text: &str, cs: &[(usize, char)], q: &Quote) -> bool {
    let inner = q.inner.slice(text);
    if word_count(inner) < 4 {
        return true; // a word, scare quotes
    }
    // The text of a link: ["A title"](url) or [“…”][ref].
    let before = q
        .open_idx
        .checked_sub(1)
        .and_then(|k| cs.get(k))
        .map(|p| p.1);
    let after = cs.get(q.close_idx + 1).map(|p| p.1);
    if before == Some('[') && after == Some(']') {
        return true;
    }
    // A gloss or translation: *pukchin* ("the march to the north").
    if before == Some('(') && after == Some(')') {
        return true;
    }
    // A cue word just before: titled "…", the book "…", conference on "…".
    let lead_start = cs
        .get(q.open_idx.saturating_sub(40))
        .map(|p| p.0)
        .unwrap_or(0);
    let lead = text
        .get(lead_start..q.span.start)
        .unwrap_or("")
        .to_lowercase();
    let lead = lead
        .trim_end()
        .trim_end_matches([',', ':', '*', '_', '('])
        .trim_end();
    let lead_words: Vec<&str> = lead
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-'))
        .collect();
    for cue in TITLE_CUES {
        let n = cue.split(' ').count();
        if lead_words.len() >= n {
            let tail = lead_words
                .get(lead_words.len() - n..)
                .unwrap_or(&[])
                .join(" ");
            if tail == *cue {
                return true;
            }
        }
    }
    is_title_case(inner)
}

/// "The Korean War, An Assessment of the Historical Record": most words capitalised,
/// no sentence inside.
fn is_title_case(s: &str) -> bool {
    let body = s.trim();
    let mut significant = 0;
    let mut capital = 0;
    for (k, w) in body.split_whitespace().enumerate() {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        let Some(first) = w.chars().next() else {
            continue;
        };
        if !first.is_alphabetic() {
            continue;
        }
        if k > 0 && TITLE_SMALL.contains(&w.to_lowercase().as_str()) {
            continue;
        }
        significant += 1;
        if first.is_uppercase() {
            capital += 1;
        }
    }
    significant >= 2 && capital * 4 >= significant * 3
}

// ---------------------------------------------------------------------------------
// Sentences.

/// Abbreviations that never end a sentence (lower-cased, without the final dot).
const NEVER_FINAL: &[&str] = &[
    "dr", "mr", "mrs", "ms", "messrs", "mme", "mlle", "st", "ste", "gen", "col", "lt", "capt",
    "cpt", "adm", "maj", "sgt", "cpl", "pvt", "cmdr", "prof", "rev", "sen", "rep", "gov", "pres",
    "hon", "amb", "ambass", "sec", "e.g", "i.e", "cf", "viz", "vs", "ca", "approx", "jan", "feb",
    "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft", "ibid",
    "op", "cit", "loc",
];

/// Abbreviations that end a sentence only before a word that usually starts one.
const MAYBE_FINAL: &[&str] = &[
    "etc", "inc", "ltd", "co", "corp", "jr", "sr", "univ", "al", "esq", "bros", "dept", "govt",
];

/// Abbreviations that do not end a sentence before a number.
const BEFORE_NUMBER: &[&str] = &[
    "no", "nos", "vol", "vols", "p", "pp", "ch", "chap", "art", "fig", "para", "sect", "ed", "eds",
    "fol", "fols", "f", "ff", "n", "nn", "doc", "d", "op", "l", "ll", "r", "file",
];

/// Words that usually start a sentence (after an ambiguous abbreviation).
const STARTERS: &[&str] = &[
    "the",
    "a",
    "an",
    "in",
    "on",
    "at",
    "it",
    "he",
    "she",
    "they",
    "we",
    "i",
    "this",
    "that",
    "these",
    "those",
    "but",
    "and",
    "however",
    "after",
    "before",
    "when",
    "while",
    "his",
    "her",
    "their",
    "our",
    "its",
    "as",
    "for",
    "so",
    "then",
    "there",
    "from",
    "by",
    "with",
    "only",
    "until",
    "since",
    "during",
    "although",
    "though",
    "yet",
    "meanwhile",
    "moreover",
    "finally",
    "thus",
    "hence",
    "here",
    "now",
    "later",
    "soon",
    "instead",
    "indeed",
    "still",
    "also",
    "both",
    "each",
    "all",
    "some",
    "many",
    "most",
    "no",
    "if",
    "what",
    "who",
    "why",
    "how",
    "where",
    "which",
    "dr",
    "mr",
    "mrs",
    "ms",
    "prof",
    "gen",
    "col",
    "lt",
    "capt",
    "adm",
    "sen",
    "gov",
    "pres",
];

fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…')
}

fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '”' | '’' | '\'' | '»' | ')' | ']' | '*' | '_' | '`'
    )
}

fn is_opener(c: char) -> bool {
    matches!(
        c,
        '"' | '“' | '‘' | '\'' | '«' | '„' | '(' | '[' | '*' | '_' | OPAQUE
    )
}

/// The word before the terminal at `t` (back to white space or an opener), e.g. "Dr",
/// "D.C", "e.g", "J".
fn word_before(cs: &[(usize, char)], t: usize) -> String {
    let mut k = t;
    while k > 0 {
        match cs.get(k - 1) {
            Some(&(_, c)) if !c.is_whitespace() && !is_opener(c) => k -= 1,
            _ => break,
        }
    }
    cs.get(k..t).unwrap_or(&[]).iter().map(|p| p.1).collect()
}

/// The word starting at index `k` (letters, digits, dots, apostrophes).
fn word_at(cs: &[(usize, char)], mut k: usize) -> String {
    while cs.get(k).is_some_and(|p| is_opener(p.1)) {
        k += 1;
    }
    let mut w = String::new();
    while let Some(&(_, c)) = cs.get(k) {
        if c.is_alphanumeric() {
            w.push(c);
            k += 1;
        } else {
            break;
        }
    }
    w
}

/// Whether a '.' after `word` (with the next word `next`) ends a sentence.
fn period_ends_sentence(word: &str, next: &str) -> bool {
    let lw = word.to_lowercase();
    let lw = lw.trim_start_matches(['(', '[']);
    let next_lower = next.to_lowercase();
    let next_is_number = next.chars().next().is_some_and(|c| c.is_ascii_digit())
        || (!next.is_empty()
            && next
                .chars()
                .all(|c| matches!(c, 'I' | 'V' | 'X' | 'L' | 'C')));
    let starter = STARTERS.contains(&next_lower.as_str());
    let mut chars = word.chars();
    // An initial: J. Stalin.
    if let (Some(c), None) = (chars.next(), chars.next())
        && c.is_uppercase()
    {
        return false;
    }
    if NEVER_FINAL.contains(&lw) {
        return false;
    }
    if BEFORE_NUMBER.contains(&lw) && next_is_number {
        return false;
    }
    if MAYBE_FINAL.contains(&lw) {
        return starter;
    }
    // U.S., D.C., U.N., U.S.S.R.: letters with inner dots.
    if lw.contains('.') && lw.split('.').all(|p| p.chars().count() <= 2) {
        return starter;
    }
    true
}

/// Sentences of a block, as byte spans (trimmed; note markers that follow a sentence's
/// final punctuation belong to it). `markers` is sorted.
fn split_sentences(cs: &[(usize, char)], quotes: &[Quote], markers: &[Span]) -> Vec<(Span, usize)> {
    let mut out = Vec::new();
    let n = cs.len();
    let mut start: Option<usize> = None; // index of the sentence's first char
    let mut i = 0;
    let marker_at = |off: usize| -> Option<Span> {
        let k = markers.partition_point(|m| m.start < off);
        markers.get(k).filter(|m| m.start == off).copied()
    };
    while i < n {
        let Some(&(_, c)) = cs.get(i) else { break };
        if start.is_none() {
            if c.is_whitespace() {
                i += 1;
                continue;
            }
            start = Some(i);
        }
        if !is_terminal(c) {
            i += 1;
            continue;
        }
        // The run of terminals, then closers.
        let t = i;
        let mut j = i;
        while cs.get(j).is_some_and(|p| is_terminal(p.1)) {
            j += 1;
        }
        let run_len = j - t;
        while cs.get(j).is_some_and(|p| is_closer(p.1)) {
            j += 1;
        }
        let mut end_idx = j; // exclusive index of the sentence's last char
        let mut end_off = char_end(cs, j.saturating_sub(1));
        // Markers right after, with or without space: `."[^3]`, `. (3)`.
        let mut k = j;
        loop {
            let mut w = k;
            while cs.get(w).is_some_and(|p| p.1.is_whitespace()) {
                w += 1;
            }
            match cs.get(w).and_then(|p| marker_at(p.0)) {
                Some(m) => {
                    k = w;
                    while cs.get(k).is_some_and(|p| p.0 < m.end) {
                        k += 1;
                    }
                    end_idx = k;
                    end_off = m.end;
                }
                None => break,
            }
        }
        let at_end = cs
            .get(end_idx..)
            .is_none_or(|r| r.iter().all(|p| p.1.is_whitespace()));
        let followed_by_space = cs.get(end_idx).is_some_and(|p| p.1.is_whitespace());
        let mut boundary = at_end;
        if !at_end && followed_by_space {
            // The next sentence's first letter or digit.
            let mut w = end_idx;
            while cs
                .get(w)
                .is_some_and(|p| p.1.is_whitespace() || is_opener(p.1))
            {
                w += 1;
            }
            let next_c = cs.get(w).map(|p| p.1);
            let capital = next_c.is_some_and(|x| x.is_uppercase() || x.is_ascii_digit());
            boundary = capital;
            if capital && run_len == 1 && cs.get(t).is_some_and(|p| p.1 == '.') {
                let wb = word_before(cs, t);
                let next = word_at(cs, w);
                boundary = period_ends_sentence(&wb, &next);
            }
            // Inside a paired quotation (which goes on after the closers): not an end.
            if boundary
                && quotes
                    .iter()
                    .any(|q| q.open_idx < t && q.close_idx >= j && q.close_idx >= end_idx)
            {
                boundary = false;
            }
        }
        if boundary {
            if let Some(s) = start {
                let so = cs.get(s).map(|p| p.0).unwrap_or(0);
                out.push((Span::new(so, end_off), end_off));
            }
            start = None;
            i = end_idx;
        } else {
            i = j.max(i + 1);
        }
    }
    if let Some(s) = start {
        // A last sentence without final punctuation.
        let mut e = n;
        while e > s && cs.get(e - 1).is_some_and(|p| p.1.is_whitespace()) {
            e -= 1;
        }
        if e > s {
            let so = cs.get(s).map(|p| p.0).unwrap_or(0);
            let eo = char_end(cs, e - 1);
            out.push((Span::new(so, eo), eo));
        }
    }
    out
}

/// The sentences of a paragraph block: byte spans, note markers after the final
/// punctuation included. `markers` must be sorted.
pub fn sentences(text: &str, md: &MdModel, block: &Block, markers: &[Span]) -> Vec<Span> {
    let cs = block_chars(text, md, block.content, block.quote_depth > 0);
    let qs = quotes(&cs);
    split_sentences(&cs, &qs, markers)
        .into_iter()
        .map(|(s, _)| s)
        .collect()
}

// ---------------------------------------------------------------------------------
// Dated statements.

/// Reporting and decision verbs (past tense, and a few in the historical present).
const VERBS: &[&str] = &[
    "informed",
    "told",
    "said",
    "wrote",
    "complained",
    "rejected",
    "ordered",
    "replied",
    "requested",
    "approved",
    "decided",
    "cabled",
    "telegraphed",
    "wired",
    "instructed",
    "agreed",
    "warned",
    "confirmed",
    "demanded",
    "proposed",
    "stated",
    "declared",
    "announced",
    "reported",
    "asked",
    "insisted",
    "promised",
    "threatened",
    "denied",
    "admitted",
    "acknowledged",
    "suggested",
    "recommended",
    "remarked",
    "explained",
    "argued",
    "claimed",
    "assured",
    "urged",
    "advised",
    "authorized",
    "authorised",
    "vetoed",
    "refused",
    "protested",
    "objected",
    "responded",
    "answered",
    "asserted",
    "resolved",
    "decreed",
    "proclaimed",
    "notified",
    "consented",
    "pledged",
    "stressed",
    "emphasized",
    "emphasised",
    "conceded",
    "says",
    "tells",
    "writes",
    "replies",
    "declares",
    "informs",
    "warns",
];

const BE: &[&str] = &[
    "was", "were", "been", "being", "be", "is", "are", "am", "get", "got",
];

/// Words between an auxiliary and its verb that do not matter.
const SKIPPABLE: &[&str] = &[
    "also",
    "not",
    "never",
    "then",
    "later",
    "again",
    "reportedly",
    "finally",
    "allegedly",
    "further",
    "first",
    "once",
    "soon",
    "still",
    "even",
    "already",
];

/// Determiners: "the agreed plan", "its proposed treaty" use the verb as an adjective.
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "this", "that", "these", "those", "its", "his", "her", "their", "our", "my",
    "your", "newly", "any", "no", "each", "every", "some", "such",
];

/// Capitalised words that are not agents.
const NOT_AGENTS: &[&str] = &[
    "on",
    "in",
    "at",
    "by",
    "after",
    "before",
    "during",
    "when",
    "while",
    "since",
    "until",
    "from",
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "then",
    "so",
    "but",
    "and",
    "however",
    "as",
    "later",
    "finally",
    "thus",
    "meanwhile",
    "also",
    "only",
    "even",
    "yet",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "if",
    "although",
    "though",
    "once",
    "early",
    "late",
    "mid",
    "of",
    "for",
    "to",
    "with",
];

const PRONOUNS: &[&str] = &["he", "she", "they", "we", "i", "you", "who"];

/// Nouns naming people or bodies that speak or decide.
const ROLES: &[&str] = &[
    "ambassador",
    "embassy",
    "leader",
    "leaders",
    "leadership",
    "government",
    "politburo",
    "committee",
    "ministry",
    "minister",
    "chief",
    "premier",
    "president",
    "chairman",
    "commander",
    "general",
    "delegation",
    "envoy",
    "side",
    "council",
    "cabinet",
    "party",
    "dictator",
    "officials",
    "official",
    "diplomat",
    "diplomats",
    "spokesman",
    "spokesperson",
    "secretary",
    "command",
    "headquarters",
    "kremlin",
    "generals",
    "officer",
    "officers",
    "consul",
    "representative",
    "representatives",
    "staff",
    "bureau",
    "presidium",
    "congress",
    "senate",
    "assembly",
    "court",
];

/// A token of a sentence: its byte span and text.
struct Tok<'a> {
    span: Span,
    text: &'a str,
}

fn tokens<'a>(text: &'a str, md: &MdModel, span: Span) -> Vec<Tok<'a>> {
    let mut out = Vec::new();
    for p in md.prose_pieces(span) {
        let s = p.slice(text);
        let mut cur: Option<usize> = None;
        for (i, c) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
            let wordy = c.is_alphanumeric() || c == '\'' || c == '’' || c == '-';
            match (wordy, cur) {
                (true, None) => cur = Some(i),
                (false, Some(b)) => {
                    let w = s.get(b..i).unwrap_or("").trim_matches(['\'', '’', '-']);
                    if !w.is_empty() {
                        let off = p.start + b;
                        out.push(Tok {
                            span: Span::new(off, off + w.len()),
                            text: w,
                        });
                    }
                    cur = None;
                }
                _ => {}
            }
            // Clause punctuation is a token of its own.
            if matches!(c, ';' | ':' | '"' | '“' | '”') {
                let off = p.start + i;
                out.push(Tok {
                    span: Span::new(off, off + c.len_utf8()),
                    text: s.get(i..i + c.len_utf8()).unwrap_or(""),
                });
            }
        }
    }
    out
}

fn is_capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(|c| c.is_uppercase())
}

/// The reporting or decision verb of a sentence used actively with an agent, if any.
fn attributed_verb(toks: &[Tok]) -> Option<Span> {
    for (k, t) in toks.iter().enumerate() {
        let lw = t.text.to_lowercase();
        if !VERBS.contains(&lw.as_str()) || is_capitalised(t.text) && k > 0 {
            continue;
        }
        // The word before, skipping adverbs.
        let mut b = k;
        let mut prev: Option<String> = None;
        while b > 0 {
            b -= 1;
            let pw = toks
                .get(b)
                .map(|x| x.text.to_lowercase())
                .unwrap_or_default();
            if pw.ends_with("ly") || SKIPPABLE.contains(&pw.as_str()) {
                continue;
            }
            prev = Some(pw);
            break;
        }
        let prev = prev.unwrap_or_default();
        if DETERMINERS.contains(&prev.as_str()) {
            continue; // "the agreed plan"
        }
        if BE.contains(&prev.as_str()) {
            // Passive: an agent only with "by X" close after.
            let after: Vec<&Tok> = toks.iter().skip(k + 1).take(6).collect();
            let by = after
                .iter()
                .take(3)
                .position(|a| a.text.eq_ignore_ascii_case("by"));
            let has = by.is_some_and(|b| {
                after
                    .iter()
                    .skip(b + 1)
                    .find(|x| !DETERMINERS.contains(&x.text.to_lowercase().as_str()))
                    .is_some_and(|x| {
                        is_capitalised(x.text)
                            || ROLES.contains(&x.text.to_lowercase().as_str())
                            || matches!(
                                x.text.to_lowercase().as_str(),
                                "him" | "her" | "them" | "us" | "me"
                            )
                    })
            });
            if has {
                return Some(t.span);
            }
            continue;
        }
        // An agent in the clause before the verb.
        let from = k.saturating_sub(10);
        let window = toks.get(from..k).unwrap_or(&[]);
        let mut agent = false;
        for (m, w) in window.iter().enumerate().rev() {
            if matches!(w.text, ";" | ":" | "\"" | "“" | "”") {
                break;
            }
            let lw = w.text.to_lowercase();
            let sentence_first = from + m == 0;
            let cap = is_capitalised(w.text)
                && !NOT_AGENTS.contains(&lw.as_str())
                && month_number(w.text).is_none()
                && !w.text.chars().all(|c| c.is_ascii_digit());
            if cap && !(sentence_first && STARTERS.contains(&lw.as_str()))
                || PRONOUNS.contains(&lw.as_str())
                || ROLES.contains(&lw.as_str())
            {
                agent = true;
                break;
            }
        }
        if agent {
            return Some(t.span);
        }
    }
    None
}

// ---------------------------------------------------------------------------------
// Claims of a paragraph and of a block quote.

fn paragraph_claims(
    text: &str,
    md: &MdModel,
    markers: &[Span],
    dates: &[Span],
    scope: ClaimScope,
    b: &Block,
    out: &mut Vec<Claim>,
) {
    let para = b.content;
    let cs = block_chars(text, md, para, b.quote_depth > 0);
    if cs.is_empty() {
        return;
    }
    let qs = quotes(&cs);
    let sentences = split_sentences(&cs, &qs, markers);
    let lo = markers.partition_point(|m| m.start < para.start);
    let hi = markers.partition_point(|m| m.start < para.end);
    let para_markers = markers.get(lo..hi).unwrap_or(&[]);
    for (s, insert_at) in sentences {
        let kind = sentence_claim(text, md, &cs, &qs, dates, s);
        let Some(kind) = kind else { continue };
        let covered = match scope {
            ClaimScope::Sentence => para_markers
                .iter()
                .any(|m| s.start <= m.start && m.end <= s.end),
            ClaimScope::Paragraph => para_markers.iter().any(|m| m.start >= s.start),
        };
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
fn has_marker_in(markers: &[Span], span: Span) -> bool {
    let i = markers.partition_point(|m| m.start < span.start);
    markers.get(i).is_some_and(|m| m.end <= span.end)
}

/// Label words that make a block quote a note or callout, not a quotation.
fn is_callout(first: &str) -> bool {
    let f = first.trim_start_matches(['*', '_', ' ']).to_lowercase();
    f.starts_with("[!")
        || [
            "note",
            "nb",
            "n.b.",
            "editor",
            "transcriber",
            "translator",
            "warning",
            "tip",
            "caution",
            "important",
            "summary",
            "abstract",
            "tl;dr",
        ]
        .iter()
        .any(|w| {
            f.starts_with(w)
                && f.get(w.len()..)
                    .and_then(|r| r.chars().next())
                    .is_none_or(|c| !c.is_alphanumeric())
        })
}

/// An attribution line: "— Name", "-- Source", "– Name", "―Name".
fn is_attribution_line(line: &str) -> bool {
    let l = line.trim_start_matches(['>', ' ', '\t']).trim();
    // At the end of the quote's last line: "… by other means. — Clausewitz".
    for dash in [" — ", " ― ", " -- ", " —", " ―"] {
        if let Some(i) = l.rfind(dash) {
            let who = l.get(i + dash.len()..).unwrap_or("").trim();
            let before = l.get(..i).unwrap_or("").trim_end();
            if before.ends_with(['.', '!', '?', '"', '”', '’', '»'])
                && who.split_whitespace().count() <= 10
                && who
                    .trim_start_matches(['*', '_', '['])
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase())
            {
                return true;
            }
        }
    }
    let rest = l
        .strip_prefix("—")
        .or_else(|| l.strip_prefix("―"))
        .or_else(|| l.strip_prefix("--"))
        .or_else(|| l.strip_prefix("– "))
        .or_else(|| l.strip_prefix("~"));
    rest.is_some_and(|r| {
        r.trim_start_matches(['-', ' '])
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || matches!(c, '*' | '_' | '[' | '('))
    })
}

#[allow(clippy::too_many_arguments)]
fn block_quote_claim(
    text: &str,
    md: &MdModel,
    markers: &[Span],
    excluded: &[Span],
    group: &[&Block],
    prev: Option<&Block>,
    next: Option<&Block>,
    out: &mut Vec<Claim>,
) {
    let (Some(first), Some(last)) = (group.first(), group.last()) else {
        return;
    };
    let span = Span::new(first.span.start, last.span.end);
    if is_excluded(excluded, span) {
        return;
    }
    let paras: Vec<&&Block> = group
        .iter()
        .filter(|b| b.kind == BlockKind::Paragraph)
        .collect();
    let Some(first_para) = paras.first() else {
        return;
    };
    let words: usize = paras
        .iter()
        .map(|b| {
            md.prose_pieces(b.content)
                .iter()
                .map(|p| word_count(p.slice(text)))
                .sum::<usize>()
        })
        .sum();
    if words < 4 || is_callout(first_para.content.slice(text)) {
        return;
    }
    // Attribution: the quote's last line, or the line right after it.
    let last_line = last
        .span
        .slice(text)
        .trim_end()
        .rsplit('\n')
        .next()
        .unwrap_or("");
    if is_attribution_line(last_line) {
        return;
    }
    let after = text.get(last.span.end..).unwrap_or("");
    let after_line = after
        .trim_start_matches(['\r', '\n', ' ', '\t'])
        .split('\n')
        .next()
        .unwrap_or("");
    if is_attribution_line(after_line) {
        return;
    }
    // A quote right under a heading is the document the heading names
    // ("## Stalin to Shtykov, 30 January 1950").
    if let Some(p) = prev.filter(|p| matches!(p.kind, BlockKind::Heading { .. })) {
        let gap = text.get(p.span.end..span.start).unwrap_or("x");
        if gap.chars().all(|c| c.is_whitespace() || c == '>') {
            return;
        }
    }
    // A marker inside the quote covers it; so does one in the sentence that introduces
    // it (a paragraph ending in ':' just before), or a short citation paragraph right
    // after it that starts with '(' or '['.
    let mut covered = has_marker_in(markers, span);
    if let Some(p) = prev.filter(|p| p.kind == BlockKind::Paragraph && p.quote_depth == 0) {
        let gap = text.get(p.span.end..span.start).unwrap_or("x");
        if gap.chars().all(|c| c.is_whitespace() || c == '>') {
            let sents = sentences(text, md, p, markers);
            if let Some(ls) = sents.last()
                && ls.slice(text).trim_end().ends_with(':')
                && has_marker_in(markers, *ls)
            {
                covered = true;
            }
        }
    }
    if let Some(n) = next.filter(|n| n.kind == BlockKind::Paragraph && n.quote_depth == 0) {
        let t = n.content.slice(text).trim_start();
        if (t.starts_with('(') || t.starts_with('['))
            && t.len() < 300
            && has_marker_in(markers, n.content)
        {
            covered = true;
        }
    }
    let last_para = paras.last().unwrap_or(first_para);
    let insert_at = last_para.content.start + last_para.content.slice(text).trim_end().len();
    // Underline the first sentence, not a whole long quote.
    let first_sentence = sentences(text, md, first_para, markers)
        .first()
        .copied()
        .unwrap_or(first_para.content);
    out.push(Claim {
        span,
        covered,
        kind: ClaimKind::BlockQuotation { quote: span },
        evidence: first_sentence,
        insert_at,
        paragraph: span,
    });
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The real note layer over a text, for the tests. Texts in these tables cite
    /// "(n)" endnotes without printing their Notes section: one is appended (after
    /// the text, so offsets are unchanged) and only the text's own markers are kept.
    pub(crate) fn test_notes(text: &str) -> Notes {
        let mut full = format!("{text}\n\n## Notes\n\n");
        for n in 1..=20 {
            full.push_str(&format!("{n}. Source {n}.\n"));
        }
        let mut notes = crate::notes::analyze(&full, &crate::markdown::MdModel::parse(&full));
        notes.markers.retain(|m| m.span.end <= text.len());
        notes.definitions.retain(|d| d.span.end <= text.len());
        notes.notes_section = None;
        notes
    }

    /// A stand-in for the date recogniser in tests: "D Month YYYY", "Month D, YYYY",
    /// "Month YYYY", "YYYY".
    pub(crate) fn test_dates(text: &str) -> Vec<Span> {
        let mut toks: Vec<(usize, &str)> = Vec::new();
        let mut cur: Option<usize> = None;
        for (i, c) in text
            .char_indices()
            .chain(std::iter::once((text.len(), ' ')))
        {
            if c.is_alphanumeric() {
                if cur.is_none() {
                    cur = Some(i);
                }
            } else if let Some(s) = cur.take() {
                toks.push((s, text.get(s..i).unwrap_or("")));
            }
        }
        let year = |w: &str| w.len() == 4 && w.bytes().all(|c| c.is_ascii_digit());
        let day = |w: &str| w.len() <= 2 && w.bytes().all(|c| c.is_ascii_digit());
        let mut out = Vec::new();
        let mut k = 0;
        while let Some(&(s, w)) = toks.get(k) {
            let t1 = toks.get(k + 1).map(|t| t.1).unwrap_or("");
            let t2 = toks.get(k + 2).map(|t| t.1).unwrap_or("");
            let end = |n: usize| toks.get(k + n).map(|t| t.0 + t.1.len()).unwrap_or(0);
            if (day(w) && month_number(t1).is_some() || month_number(w).is_some() && day(t1))
                && year(t2)
            {
                out.push(Span::new(s, end(2)));
                k += 3;
            } else if month_number(w).is_some() && year(t1) {
                out.push(Span::new(s, end(1)));
                k += 2;
            } else if year(w) {
                out.push(Span::new(s, s + 4));
                k += 1;
            } else {
                k += 1;
            }
        }
        out
    }

    pub(crate) fn claims_of(text: &str, scope: ClaimScope) -> Vec<Claim> {
        let md = MdModel::parse(text);
        let notes = test_notes(text);
        find(text, &md, &notes, &test_dates(text), &Claims { scope })
    }

    fn sentence_texts(text: &str) -> Vec<String> {
        let md = MdModel::parse(text);
        let notes = test_notes(text);
        let mut markers: Vec<Span> = notes.markers.iter().map(|m| m.span).collect();
        markers.sort();
        md.blocks
            .iter()
            .filter(|b| b.kind == BlockKind::Paragraph)
            .flat_map(|b| sentences(text, &md, b, &markers))
            .map(|s| s.slice(text).to_string())
            .collect()
    }

    #[test]
    fn sentence_segmentation_table() {
        let cases: &[(&str, &[&str])] = &[
            ("One. Two.", &["One.", "Two."]),
            (
                "Dr. Evgeni Bajanov spoke. He left.",
                &["Dr. Evgeni Bajanov spoke.", "He left."],
            ),
            (
                "Held in Washington, D.C. Dr. Bajanov is Director.",
                &["Held in Washington, D.C.", "Dr. Bajanov is Director."],
            ),
            (
                "The U.S. Army moved. It stopped.",
                &["The U.S. Army moved.", "It stopped."],
            ),
            (
                "J. Stalin wrote it. Then he slept.",
                &["J. Stalin wrote it.", "Then he slept."],
            ),
            (
                "See e.g. Kim and i.e. Mao.",
                &["See e.g. Kim and i.e. Mao."],
            ),
            (
                "See vol. 3, pp. 12-14. Then.",
                &["See vol. 3, pp. 12-14.", "Then."],
            ),
            ("On Jan. 5, 1950 he spoke.", &["On Jan. 5, 1950 he spoke."]),
            (
                "He said: \"It is late. We go.\" Then he left.",
                &["He said: \"It is late. We go.\"", "Then he left."],
            ),
            (
                "He told Kim \"Be calm. It is important.\" (2) Then.",
                &["He told Kim \"Be calm. It is important.\" (2)", "Then."],
            ),
            ("It was late.[^3] Then.", &["It was late.[^3]", "Then."]),
            (
                "Why? \"Then,\" he said, \"go.\"",
                &["Why?", "\"Then,\" he said, \"go.\""],
            ),
            (
                "South Korea... requires care. If he...I am ready.",
                &["South Korea... requires care.", "If he...I am ready."],
            ),
            ("No final stop", &["No final stop"]),
            (
                "It cost 3.5 roubles. Fine.",
                &["It cost 3.5 roubles.", "Fine."],
            ),
            (
                "Books, papers, etc. were lost.",
                &["Books, papers, etc. were lost."],
            ),
            (
                "Books, papers, etc. The rest.",
                &["Books, papers, etc.", "The rest."],
            ),
            ("Line one.\nLine two.", &["Line one.", "Line two."]),
            ("A `code. Here` b. C.", &["A `code. Here` b.", "C."]),
            ("Gen. MacArthur came.", &["Gen. MacArthur came."]),
            (
                "He wrote “It is late. We go.” Then.",
                &["He wrote “It is late. We go.”", "Then."],
            ),
        ];
        for (input, want) in cases {
            let got = sentence_texts(input);
            let want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
            assert_eq!(got, want, "segmenting {input:?}");
        }
    }

    #[test]
    fn quotation_table() {
        // (text, expected quotation claim evidence or None)
        let cases: &[(&str, Option<&str>)] = &[
            (
                "Kim said: \"We believe that the situation makes it necessary.\"",
                Some("\"We believe that the situation makes it necessary.\""),
            ),
            (
                "He used “four words are here” then.",
                Some("“four words are here”"),
            ),
            ("It was a “limited war” indeed.", None),
            ("The word \"liberation\" recurs.", None),
            ("So-called \"peace loving forces\" came.", None),
            (
                "A conference on \"The Korean War, An assessment of the Historical Record,\" met.",
                None,
            ),
            ("Read the article \"why the war began in June\" now.", None),
            ("His book, \"the origins of the war in Korea\", sold.", None),
            (
                "He cited [\"A Long Title of Some Article\"](https://x.org) here.",
                None,
            ),
            ("They sang \"The Song Of The Red Army Men\" loudly.", None),
            (
                "He wrote ‘we must not wait any longer’ to Kim.",
                Some("‘we must not wait any longer’"),
            ),
            ("Kim’s men and the Kims’ house are not quotes at all.", None),
            ("`\"a b c d e\"` is code.", None),
            (
                "The word *pukchin* (\"the march to the north\") recurs.",
                None,
            ),
            (
                "See \"To Attack or Not to Attack? Stalin, Kim Il Sung, and the Prelude to War.\"",
                None,
            ),
            (
                "It said «nous ne reculerons pas ici» alors.",
                Some("«nous ne reculerons pas ici»"),
            ),
        ];
        for (input, want) in cases {
            let got: Vec<String> = claims_of(input, ClaimScope::Paragraph)
                .iter()
                .filter(|c| matches!(c.kind, ClaimKind::Quotation { .. }))
                .map(|c| c.evidence.slice(input).to_string())
                .collect();
            let want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
            assert_eq!(got, want, "quotations in {input:?}");
        }
    }

    #[test]
    fn dated_statement_table() {
        // (text, expected evidence or None)
        let cases: &[(&str, Option<&str>)] = &[
            (
                "On 17 April 1949, Stalin informed his ambassador of an attack.",
                Some("17 April 1949, Stalin informed"),
            ),
            (
                "On 24 September 1949 the Politburo rejected the appeal.",
                Some("24 September 1949 the Politburo rejected"),
            ),
            (
                "Stalin, on 30 January 1950, replied through diplomatic channels.",
                Some("30 January 1950, replied"),
            ),
            (
                "Stalin, whom Kim had visited on 30 January 1950 at his dacha in the hills \
                 outside Moscow with a large and noisy delegation, finally and reluctantly replied.",
                Some("replied"),
            ),
            (
                "He warned on 5 May 1950 that war was near.",
                Some("warned on 5 May 1950"),
            ),
            ("In 1949 Stalin refused to sign the treaty.", None),
            ("On 5 May 1950 the plan was approved.", None),
            (
                "On 5 May 1950 the plan was approved by Stalin himself.",
                Some("5 May 1950 the plan was approved"),
            ),
            ("On 5 May 1950 the agreed plan took effect.", None),
            (
                "On 24 September 1949 the appeal was rejected by the Politburo.",
                Some("24 September 1949 the appeal was rejected"),
            ),
            (
                "On 5 May 1950 the plan was approved by him.",
                Some("5 May 1950 the plan was approved"),
            ),
            (
                "On 5 May 1950 the plan was approved by the end of May.",
                None,
            ),
            ("On 5 May 1950 the troops crossed the river.", None),
            ("Stalin informed Kim of his worries.", None),
            ("In May-August 1949 the two capitals exchanged data.", None),
            (
                "On 5 March 1949 he \"said nothing at all\" to Kim.",
                Some("\"said nothing at all\""),
            ),
        ];
        for (input, want) in cases {
            let got: Vec<String> = claims_of(input, ClaimScope::Paragraph)
                .iter()
                .map(|c| c.evidence.slice(input).to_string())
                .collect();
            let want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
            assert_eq!(got, want, "claims in {input:?}");
        }
    }

    #[test]
    fn coverage_by_scope() {
        // (text, scope, expected `covered` per claim)
        use ClaimScope::*;
        let a = "On 3 May 1950 Kim said he was ready. Stalin agreed on 4 May 1950. (3)";
        let b = "On 3 May 1950 Kim said he was ready. (2) Stalin agreed on 4 May 1950.";
        let c = "On 3 May 1950 Kim said he was ready.\nStalin added more. (5)";
        let d = "On 3 May 1950 Kim said he was ready.\n\nStalin added more. (5)";
        let e = "Kim said \"we are ready to go now\"[^k] and Stalin agreed on 4 May 1950.";
        let cases: &[(&str, ClaimScope, &[bool])] = &[
            (a, Paragraph, &[true, true]),
            (a, Sentence, &[false, true]),
            (b, Paragraph, &[true, false]),
            (b, Sentence, &[true, false]),
            (c, Paragraph, &[true]),
            (c, Sentence, &[false]),
            (d, Paragraph, &[false]),
            (e, Sentence, &[true]),
        ];
        for (input, scope, want) in cases {
            let got: Vec<bool> = claims_of(input, *scope).iter().map(|c| c.covered).collect();
            assert_eq!(&got, want, "coverage of {input:?} with {scope:?}");
        }
    }

    #[test]
    fn block_quotes_table() {
        // (text, expected (kind is block quote, covered) per claim)
        let cases: &[(&str, &[(bool, bool)])] = &[
            (
                "> We must be ready to fight at any hour.\n",
                &[(true, false)],
            ),
            (
                "> We must be ready to fight at any hour. (4)\n",
                &[(true, true)],
            ),
            (
                "> We must be ready to fight at any hour.\n>\n> — Kim Il Sung\n",
                &[],
            ),
            (
                "> We must be ready to fight at any hour.\n\n-- Pravda, 5 May 1950\n",
                &[],
            ),
            ("> [!NOTE]\n> This transcription keeps the errors.\n", &[]),
            ("> **Note:** this transcription keeps all errors.\n", &[]),
            (
                "Stalin cabled Kim (9):\n\n> We must be ready to fight at any hour.\n",
                &[(true, true)],
            ),
            ("> Too short here\n", &[]),
            (
                "> War is the continuation of politics by other means. — Clausewitz\n",
                &[],
            ),
            (
                "> We must be ready to fight at any hour.\n\n(Stalin to Shtykov, 30 January 1950)\n",
                &[(true, true)],
            ),
            (
                "> We must be ready to fight at any hour -- and soon.\n",
                &[(true, false)],
            ),
            (
                "### Stalin to Shtykov, 30 January 1950\n\n> We must be ready to fight at any hour.\n",
                &[],
            ),
            (
                "### The cable\n\nText.\n\n> We must be ready to fight at any hour.\n",
                &[(true, false)],
            ),
        ];
        for (input, want) in cases {
            let got: Vec<(bool, bool)> = claims_of(input, ClaimScope::Paragraph)
                .iter()
                .map(|c| {
                    (
                        matches!(c.kind, ClaimKind::BlockQuotation { .. }),
                        c.covered,
                    )
                })
                .collect();
            assert_eq!(&got, want, "block quotes in {input:?}");
        }
    }

    #[test]
    fn apparatus_and_non_prose_are_not_read() {
        let t = "# \"We shall fight them on the beaches\"\n\n\
                 | a | \"quoted words in a table\" |\n|---|---|\n| b | c |\n\n\
                 ## References\n\n\
                 - Smith, J. \"the origins of the war in Korea\", 12 May 1995, said.\n\n\
                 ## Next\n\nKim said \"we are ready to go now\" then.\n";
        let got: Vec<&str> = claims_of(t, ClaimScope::Paragraph)
            .iter()
            .map(|c| c.evidence.slice(t))
            .collect();
        assert_eq!(got, vec!["\"we are ready to go now\""]);
    }

    #[test]
    fn precise_dates() {
        for (s, want) in [
            ("17 April 1949", true),
            ("April 1950", true),
            ("1949", false),
            ("1947-1948", false),
            ("1949-03-05", true),
            ("5.3.1949", true),
            ("the 1940s", false),
        ] {
            assert_eq!(is_precise_date(s), want, "{s}");
        }
    }

    #[test]
    fn never_panics_on_odd_input() {
        for t in [
            "",
            "\"",
            "“",
            "”’‘«»",
            "> ",
            ". . .",
            "Dr.",
            "a.\u{301}B",
            "\r\n\r\n\"x\r\ny z w\"\r\n",
            "É. Ü? ñ! “Ω ω ω ω”",
            "(1)(2)[^a][^",
        ] {
            let _ = claims_of(t, ClaimScope::Paragraph);
            let _ = claims_of(t, ClaimScope::Sentence);
        }
    }

    #[test]
    fn bajanov_claims_are_all_covered_in_paragraph_scope() {
        let t = include_str!("../fixtures/bajanov-1995.md");
        let want: &[(&str, &str, bool)] = &[
            // (kind, evidence starts with, covered in sentence scope)
            (
                "dated statement",
                "3 February 1949 Soviet Ambassador",
                false,
            ),
            (
                "direct quotation",
                "\"The 38th parallel must be peaceful.",
                true,
            ),
            ("dated statement", "17 April 1949, Stalin informed", false),
            ("direct quotation", "\"We believe that the situation", false),
            ("direct quotation", "\"your move will be understood", true),
            ("dated statement", "ordered a new appraisal", false),
            ("direct quotation", "\"little has been done", true),
            ("direct quotation", "\"I can't sleep at night", false),
            ("direct quotation", "\"I understand the unhappiness", true),
        ];
        for scope in [ClaimScope::Paragraph, ClaimScope::Sentence] {
            let got = claims_of(t, scope);
            assert_eq!(got.len(), want.len(), "{scope:?}: {got:#?}");
            for (c, (kind, prefix, in_sentence)) in got.iter().zip(want) {
                assert_eq!(c.kind.describe(), *kind);
                assert!(
                    c.evidence.slice(t).starts_with(prefix),
                    "{:?}",
                    c.evidence.slice(t)
                );
                let want_covered = scope == ClaimScope::Paragraph || *in_sentence;
                assert_eq!(c.covered, want_covered, "{scope:?} {prefix}");
            }
        }
    }

    /// Timing on a ~1 MB document: `cargo test --lib claims::tests::timing -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn timing() {
        let one = include_str!("../fixtures/bajanov-1995.md");
        let body = one.split("## Notes").next().unwrap_or(one);
        let text = body.repeat(1_000_000 / body.len().max(1));
        let md = MdModel::parse(&text);
        let notes = test_notes(&text);
        let dates = test_dates(&text);
        let t0 = std::time::Instant::now();
        let claims = find(&text, &md, &notes, &dates, &Claims::default());
        let el = t0.elapsed();
        let t1 = std::time::Instant::now();
        let kept = crate::suppress::filter(&text, Vec::new());
        eprintln!(
            "claims::find on {} bytes: {:?} ({} claims); suppress::filter: {:?} ({})",
            text.len(),
            el,
            claims.len(),
            t1.elapsed(),
            kept.len()
        );
    }

    #[test]
    fn crlf_text_gives_the_same_claims() {
        let lf = include_str!("../fixtures/claims/unsourced.md");
        let crlf = lf.replace('\n', "\r\n");
        let a: Vec<(String, bool)> = claims_of(lf, ClaimScope::Paragraph)
            .iter()
            .map(|c| (c.evidence.slice(lf).to_string(), c.covered))
            .collect();
        let b: Vec<(String, bool)> = claims_of(&crlf, ClaimScope::Paragraph)
            .iter()
            .map(|c| (c.evidence.slice(&crlf).replace("\r\n", "\n"), c.covered))
            .collect();
        assert!(!a.is_empty());
        assert_eq!(a, b);
    }

    #[test]
    fn apparatus_headings() {
        for (h, want) in [
            ("Notes", true),
            ("## Notes:", true),
            ("10. References", true),
            ("Select bibliography", true),
            ("Sources used", true),
            ("Notes and references", true),
            ("Further reading", true),
            ("Works cited", true),
            ("A close reading", false),
            ("How the system works", false),
            ("Kim's note of 17 January", false),
            ("3. Stalin blesses the invasion", false),
            ("What the sources of the Soviet side do not tell us", false),
        ] {
            let h = h.trim_start_matches(['#', ' ']);
            assert_eq!(is_apparatus_heading(h), want, "{h}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        /// Any mix of the characters the segmenter and quotation pairing care about.
        #[test]
        fn no_panic_on_arbitrary_prose(t in "[a-zA-Z0-9 .!?…\"“”‘’'«»()\\[\\]^>*_`\n\r:;,—é-]{0,200}") {
            for scope in [ClaimScope::Paragraph, ClaimScope::Sentence] {
                for c in claims_of(&t, scope) {
                    proptest::prop_assert!(c.span.start <= c.span.end && c.span.end <= t.len());
                    proptest::prop_assert!(t.is_char_boundary(c.insert_at));
                    proptest::prop_assert!(!c.evidence.slice(&t).is_empty());
                }
            }
            let f = vec![crate::finding::Finding::new(
                "a",
                crate::finding::Severity::Hint,
                Span::new(0, t.len()),
                "",
            )];
            let _ = crate::suppress::filter(&t, f);
        }
    }

    #[test]
    fn author_date_citations_table() {
        let cases: &[(&str, &[&str])] = &[
            (
                "Kim said \"we are ready to go now\" (Weathersby 1995, 23).",
                &["(Weathersby 1995, 23)"],
            ),
            (
                "As argued (see Cumings 1990: 45–50), yes.",
                &["(see Cumings 1990: 45–50)"],
            ),
            (
                "A cable (Stalin to Shtykov, 30 January 1950).",
                &["(Stalin to Shtykov, 30 January 1950)"],
            ),
            ("Bajanov (1995a) says so.", &["(1995a)"]),
            ("Bajanov (1995: 23–25) says so.", &["(1995: 23–25)"]),
            ("In 1949 (1949) nothing.", &[]),
            ("Kim Il Sung (1912–1994) led.", &[]),
            ("Stalin (on 30 January 1950) replied.", &[]),
            ("The embassy view (14 September 1949) was negative.", &[]),
            (
                "The bomb (first tested by Moscow in August 1949) mattered.",
                &[],
            ),
            ("Endnote (5) and (12).", &[]),
            ("Code `(Smith 1990)` is not prose.", &[]),
            (
                "A long aside (Stalin and Kim and Mao and many others who met in Moscow in the winter of 1949 and 1950 often) ends.",
                &[],
            ),
        ];
        for (input, want) in cases {
            let md = MdModel::parse(input);
            let got: Vec<&str> = author_date_citations(input, &md)
                .iter()
                .map(|s| s.slice(input))
                .collect();
            assert_eq!(&got, want, "in {input:?}");
        }
        // And they cover claims.
        let t = "Kim said \"we are ready to go now\" (Weathersby 1995, 23). Next.";
        assert_eq!(
            claims_of(t, ClaimScope::Sentence)
                .iter()
                .map(|c| c.covered)
                .collect::<Vec<_>>(),
            vec![true]
        );
    }
}
