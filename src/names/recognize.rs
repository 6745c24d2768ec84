//! Finding gazetteer names in prose with one Aho–Corasick automaton.
//!
//! The text's prose (paragraphs, headings, tables, minus code, URLs, HTML and front
//! matter) is folded once into a buffer, with a map from each folded byte back to
//! the original: lowercase, diacritics dropped (NFKD without combining marks), every
//! apostrophe as `'`, hyphens and runs of white space (line breaks included, and a
//! block quote's `>` at a line start) as one space. Every name of the gazetteer is
//! folded the same way. A match counts when:
//! - it starts and ends at word boundaries ("Seoulite", "Stalingrad" and "Kimball"
//!   are not names; scripts written without spaces, Hangul and Chinese, need none);
//! - a name written with a capital starts with a capital in the text (so "china",
//!   the porcelain, and "soul" are not China and Sŏul), and an acronym ("UN", "ROK")
//!   is written exactly so;
//! - it is not too ambiguous alone: names of under three letters (acronyms apart)
//!   and the common surnames of [`crate::gazetteer::TOO_AMBIGUOUS`] are never
//!   recognised, whatever a gazetteer says.
//!
//! Overlapping candidates are resolved leftmost-longest.

use super::Mention;
use crate::finding::Span;
use crate::gazetteer::{Gazetteer, TOO_AMBIGUOUS};
use crate::markdown::MdModel;
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use std::collections::HashMap;
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// One spelling that folds to an automaton pattern.
#[derive(Debug, Clone)]
struct Cand {
    entity: usize,
    name: Option<usize>,
    text: String,
    /// Written with a leading capital: the text must not start lowercase.
    capital: bool,
    /// An acronym ("UN", "U.S.S.R."): the text must be written exactly so.
    acronym: bool,
}

/// An automaton over every name of a gazetteer; built once, shared.
#[derive(Debug, Default)]
pub struct Recognizer {
    ac: Option<AhoCorasick>,
    /// Per automaton pattern, the spellings folding to it.
    pats: Vec<Vec<Cand>>,
}

/// True for characters of scripts written without spaces between words, where a
/// name needs no word boundary.
pub(crate) fn is_unspaced_script(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF | 0x3130..=0x318F | 0xA960..=0xA97F | 0xAC00..=0xD7AF | 0xD7B0..=0xD7FF
        | 0x2E80..=0x2FDF | 0x3040..=0x30FF | 0x31F0..=0x31FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric()
}

fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '`' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{02BB}' | '\u{00B4}' | '\u{2032}'
    )
}

/// Hyphens inside names: folded to a space.
fn is_name_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// Fold a name the way text is folded (for comparing names).
pub fn fold_name(s: &str) -> String {
    let mut f = Folder::with_capacity(s.len());
    f.push_str(s, 0, 0);
    f.buf.trim().to_string()
}

/// The folding buffer: folded text and, for each of its bytes, the byte offset of the
/// original character it came from.
struct Folder {
    buf: String,
    map: Vec<u32>,
    /// Just wrote a space (or at a segment start): collapse further white space.
    in_space: bool,
}

impl Folder {
    fn with_capacity(n: usize) -> Folder {
        Folder {
            buf: String::with_capacity(n),
            map: Vec::with_capacity(n),
            in_space: true,
        }
    }

    #[inline]
    fn push(&mut self, c: char, orig: u32) {
        let before = self.buf.len();
        self.buf.push(c);
        for _ in before..self.buf.len() {
            self.map.push(orig);
        }
    }

    #[inline]
    fn space(&mut self, orig: u32) {
        if !self.in_space {
            self.push(' ', orig);
            self.in_space = true;
        }
    }

    /// A hard separator: no match may span it.
    fn separator(&mut self, orig: u32) {
        self.push('\n', orig);
        self.in_space = true;
    }

    /// Fold `s`, which starts at byte `base` of the original text. In a block quote
    /// (`quote_depth > 0`) the `>` markers after a line break are white space.
    fn push_str(&mut self, s: &str, base: usize, quote_depth: u8) {
        let mut after_newline = false;
        for (i, c) in s.char_indices() {
            let orig = (base + i) as u32;
            if c.is_ascii() {
                match c {
                    'a'..='z' | '0'..='9' => {
                        self.push(c, orig);
                        self.in_space = false;
                        after_newline = false;
                    }
                    'A'..='Z' => {
                        self.push(c.to_ascii_lowercase(), orig);
                        self.in_space = false;
                        after_newline = false;
                    }
                    '\n' | '\r' => {
                        after_newline = quote_depth > 0;
                        self.space(orig);
                    }
                    ' ' | '\t' => self.space(orig),
                    '>' if after_newline => self.space(orig),
                    '-' => {
                        after_newline = false;
                        self.space(orig);
                    }
                    '\'' | '`' => {
                        self.push('\'', orig);
                        self.in_space = false;
                        after_newline = false;
                    }
                    _ => {
                        self.push(c, orig);
                        self.in_space = false;
                        after_newline = false;
                    }
                }
                continue;
            }
            after_newline = false;
            if c == '\u{00AD}' {
                continue; // soft hyphen: invisible
            }
            if c.is_whitespace() || is_name_hyphen(c) {
                self.space(orig);
                continue;
            }
            if is_apostrophe(c) {
                self.push('\'', orig);
                self.in_space = false;
                continue;
            }
            let mut wrote = false;
            decompose_compatible(c, |d| {
                if is_combining_mark(d) {
                    return;
                }
                for l in d.to_lowercase() {
                    if !is_combining_mark(l) {
                        self.push(l, orig);
                        wrote = true;
                    }
                }
            });
            if wrote {
                self.in_space = false;
            }
        }
    }
}

/// An acronym: at least two capitals and no lowercase letter ("UN", "U.S.S.R.").
fn is_acronym(s: &str) -> bool {
    s.chars().filter(|c| c.is_uppercase()).count() >= 2 && !s.chars().any(|c| c.is_lowercase())
}

impl Recognizer {
    pub fn new(g: &Gazetteer) -> Recognizer {
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut keys: Vec<String> = Vec::new();
        let mut pats: Vec<Vec<Cand>> = Vec::new();
        for (ei, e) in g.entities.iter().enumerate() {
            let spellings = e
                .spellings()
                .map(|(n, t)| (n, t.to_string()))
                .chain(e.native.iter().map(|t| (None, t.clone())));
            for (name, text) in spellings {
                let text = text.trim().to_string();
                let key = fold_name(&text);
                if key.is_empty() || TOO_AMBIGUOUS.contains(&key.as_str()) {
                    continue;
                }
                let acronym = is_acronym(&text);
                let unspaced = key.chars().any(is_unspaced_script);
                let letters = key.chars().filter(|c| is_word(*c)).count();
                if letters < 3 && !acronym && !(unspaced && letters >= 2) {
                    continue;
                }
                let capital = text.chars().next().is_some_and(|c| c.is_uppercase());
                let cand = Cand {
                    entity: ei,
                    name,
                    text,
                    capital,
                    acronym,
                };
                match index.get(&key) {
                    Some(&p) => {
                        if let Some(v) = pats.get_mut(p) {
                            v.push(cand);
                        }
                    }
                    None => {
                        index.insert(key.clone(), pats.len());
                        keys.push(key);
                        pats.push(vec![cand]);
                    }
                }
            }
        }
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&keys)
            .or_else(|_| {
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    .build(&keys)
            })
            .ok();
        Recognizer { ac, pats }
    }

    /// How many distinct folded names the automaton holds.
    pub fn pattern_count(&self) -> usize {
        self.pats.len()
    }

    /// Every gazetteer name in the prose of `text`, in order, without overlaps.
    pub fn find(&self, text: &str, md: &MdModel) -> Vec<Mention> {
        let Some(ac) = &self.ac else {
            return Vec::new();
        };
        if text.len() >= u32::MAX as usize {
            return Vec::new();
        }
        let mut f = Folder::with_capacity(text.len());
        for b in md.prose_blocks() {
            for piece in md.prose_pieces(b.span) {
                let Some(s) = text.get(piece.start..piece.end) else {
                    continue;
                };
                f.push_str(s, piece.start, b.quote_depth);
                f.separator(piece.end as u32);
            }
        }
        self.find_folded(text, &f, ac)
    }

    fn find_folded(&self, text: &str, f: &Folder, ac: &AhoCorasick) -> Vec<Mention> {
        let buf = f.buf.as_str();
        // (folded start, folded end, pattern, candidate index, original span)
        let mut found: Vec<(usize, usize, usize, Span)> = Vec::new();
        for m in ac.find_overlapping_iter(buf) {
            let (fs, fe) = (m.start(), m.end());
            if fe <= fs {
                continue;
            }
            let (Some(first), Some(last)) = (
                buf.get(fs..).and_then(|s| s.chars().next()),
                buf.get(..fe).and_then(|s| s.chars().next_back()),
            ) else {
                continue;
            };
            let prev = buf.get(..fs).and_then(|s| s.chars().next_back());
            let next = buf.get(fe..).and_then(|s| s.chars().next());
            if !boundary(prev, first) || !boundary(next, last) {
                continue;
            }
            let (Some(&os), Some(&ol)) = (f.map.get(fs), f.map.get(fe - 1)) else {
                continue;
            };
            let (os, ol) = (os as usize, ol as usize);
            let Some(last_len) = text.get(ol..).and_then(|s| s.chars().next()) else {
                continue;
            };
            let span = Span::new(os, ol + last_len.len_utf8());
            found.push((fs, fe, m.pattern().as_usize(), span));
        }
        found.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut out: Vec<Mention> = Vec::new();
        let mut end = 0usize;
        for (fs, fe, p, span) in found {
            if fs < end {
                continue;
            }
            let Some(surface) = text.get(span.start..span.end) else {
                continue;
            };
            let Some(c) = self.choose(p, surface) else {
                continue;
            };
            end = fe;
            out.push(Mention {
                span,
                entity: c.entity,
                name: c.name,
                surface: surface.to_string(),
            });
        }
        out
    }

    /// The spelling a surface form stands for, or `None` when the capital or
    /// acronym rule rejects it. The later entity wins when two share a name.
    fn choose(&self, p: usize, surface: &str) -> Option<&Cand> {
        let cands = self.pats.get(p)?;
        let starts_lower = surface.chars().next().is_some_and(|c| c.is_lowercase());
        let ok = |c: &&Cand| {
            if c.acronym {
                c.text == surface
            } else {
                !(c.capital && starts_lower)
            }
        };
        let entity = cands.iter().filter(ok).map(|c| c.entity).max()?;
        let mine = || cands.iter().filter(ok).filter(move |c| c.entity == entity);
        let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let flat = squash(surface);
        mine()
            .find(|c| c.text == surface || c.text == flat)
            .or_else(|| mine().find(|c| c.text.to_lowercase() == flat.to_lowercase()))
            .or_else(|| mine().next())
    }
}

/// A word boundary between `outside` (the neighbouring character, if any) and
/// `edge` (the match's own first or last character).
fn boundary(outside: Option<char>, edge: char) -> bool {
    match outside {
        None => true,
        Some(o) => {
            !(is_word(o) && is_word(edge)) || is_unspaced_script(o) || is_unspaced_script(edge)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_is_exact_about_offsets() {
        let t = "Sŏul  and P\u{2019}yŏngyang,\nKim Il-sung";
        let mut f = Folder::with_capacity(t.len());
        f.push_str(t, 0, 0);
        assert_eq!(f.buf, "soul and p'yongyang, kim il sung");
        assert_eq!(f.map.len(), f.buf.len());
        for (i, &o) in f.map.iter().enumerate() {
            assert!(t.is_char_boundary(o as usize), "byte {i} maps into a char");
        }
    }

    #[test]
    fn fold_names() {
        assert_eq!(fold_name("Kim Il-sung"), fold_name("KIM IL SUNG"));
        assert_eq!(fold_name("Sŏul"), "soul");
        assert_eq!(fold_name("P’yŏngyang"), fold_name("P'yongyang"));
        assert_eq!(fold_name("Štykov"), "stykov");
    }

    #[test]
    fn acronyms() {
        assert!(is_acronym("UN"));
        assert!(is_acronym("U.S.S.R."));
        assert!(!is_acronym("VKP(b)"));
        assert!(!is_acronym("Stalin"));
    }
}
