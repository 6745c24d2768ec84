//! Sentence segmentation for this text type.

use super::*;
use crate::prose::abbreviations::Period;

// ---------------------------------------------------------------------------------
// Sentences.

/// Words that usually start a sentence (after an ambiguous abbreviation).
pub(super) const STARTERS: &[&str] = &[
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

pub(super) fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…')
}

pub(super) fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '”' | '’' | '\'' | '»' | ')' | ']' | '*' | '_' | '`'
    )
}

pub(super) fn is_opener(c: char) -> bool {
    matches!(
        c,
        '"' | '“' | '‘' | '\'' | '«' | '„' | '(' | '[' | '*' | '_' | OPAQUE
    )
}

/// The word before the terminal at `t` (back to white space or an opener), e.g. "Dr",
/// "D.C", "e.g", "J".
pub(super) fn word_before(cs: &[(usize, char)], t: usize) -> String {
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
pub(super) fn word_at(cs: &[(usize, char)], mut k: usize) -> String {
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
pub(super) fn period_ends_sentence(word: &str, next: &str) -> bool {
    let mut chars = word.chars();
    // An initial: J. Stalin.
    if let (Some(c), None) = (chars.next(), chars.next())
        && c.is_uppercase()
    {
        return false;
    }
    let lw = word.to_lowercase();
    let lw = lw.trim_start_matches(['(', '[']);
    let next_is_number = next.chars().next().is_some_and(|c| c.is_ascii_digit())
        || (!next.is_empty()
            && next
                .chars()
                .all(|c| matches!(c, 'I' | 'V' | 'X' | 'L' | 'C')));
    match crate::prose::abbreviations::period(lw) {
        Some(Period::Never) => return false,
        Some(Period::NotBeforeNumber) if next_is_number => return false,
        Some(Period::BeforeStarter) => return is_starter(next),
        _ => {}
    }
    // U.S., D.C., U.N., U.S.S.R.: letters with inner dots.
    if lw.contains('.') && lw.split('.').all(|p| p.chars().count() <= 2) {
        return is_starter(next);
    }
    true
}

/// Whether `next`, lower-cased, is one of [`STARTERS`]: asked only when the answer
/// matters, an ASCII word lowered on the stack (no starter is longer than nine
/// letters), another into a new string.
fn is_starter(next: &str) -> bool {
    if !next.is_ascii() {
        return STARTERS.contains(&next.to_lowercase().as_str());
    }
    let mut buf = [0u8; 9];
    let Some(l) = buf.get_mut(..next.len()) else {
        return false;
    };
    l.copy_from_slice(next.as_bytes());
    l.make_ascii_lowercase();
    STARTERS.iter().any(|s| s.as_bytes() == &*l)
}

/// Sentences of a block, as byte spans (trimmed; note markers that follow a sentence's
/// final punctuation belong to it). `markers` is sorted.
pub(super) fn split_sentences(
    cs: &[(usize, char)],
    quotes: &[Quote],
    markers: &[Span],
) -> Vec<(Span, usize)> {
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
            // Only a terminal may end the sentence: on to the next one.
            i = cs
                .get(i + 1..)
                .and_then(|r| r.iter().position(|p| is_terminal(p.1)))
                .map_or(n, |k| i + 1 + k);
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

#[cfg(test)]
mod starter_tests {
    /// The starter test answers as the lowered word's lookup in the list.
    #[test]
    fn starters_as_lowered() {
        let longest = super::STARTERS.iter().map(|s| s.len()).max().unwrap_or(0);
        assert!(longest <= 9);
        for w in super::STARTERS
            .iter()
            .flat_map(|s| [s.to_string(), s.to_uppercase(), format!("{s}x")])
            .chain(["", "Meanwhilex", "\u{212A}", "İt", "Überall", "1949"].map(String::from))
        {
            assert_eq!(
                super::is_starter(&w),
                super::STARTERS.contains(&w.to_lowercase().as_str()),
                "{w}"
            );
        }
    }
}
