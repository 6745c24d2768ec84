//! Quotations: passages between paired quotation marks, and those that are not claims
//! (titles, scare quotes, glosses, link texts).

use super::*;

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
    pub(super) open_idx: usize,
    pub(super) close_idx: usize,
}

pub(super) fn is_open_context(prev: Option<char>) -> bool {
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
pub(super) fn quotes(cs: &[(usize, char)]) -> Vec<Quote> {
    let mut out = Vec::new();
    // (kind, index) of the open outer quotation: 'd' double, 's' single, 'g' guillemet.
    let mut open: Option<(char, usize)> = None;
    for (i, &(_, c)) in cs.iter().enumerate() {
        // Only quotation marks open or close one.
        if !matches!(c, '“' | '"' | '‘' | '«' | '”' | '’' | '»') {
            continue;
        }
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
pub(super) fn word_count(s: &str) -> usize {
    s.split_whitespace()
        .filter(|w| w.chars().any(|c| c.is_alphanumeric()))
        .count()
}

/// Words before a title in quotation marks.
pub(super) const TITLE_CUES: &[&str] = &[
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
pub(super) const TITLE_SMALL: &[&str] = &[
    "a", "an", "the", "of", "on", "in", "and", "or", "for", "to", "at", "by", "from", "with", "as",
    "vs", "via", "into", "upon", "nor", "but", "de", "la", "le", "der", "die", "das", "und", "von",
    "du", "des", "et",
];

/// Why a quotation is not a claim, if it is not.
pub(super) fn quote_is_not_claim(text: &str, cs: &[(usize, char)], q: &Quote) -> bool {
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
    // The last two words of the lead (no cue has more), each trimmed of punctuation.
    let mut last_words = lead
        .split_whitespace()
        .rev()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-'));
    let (last, before_last) = (last_words.next(), last_words.next());
    let is_cue = |cue: &str| match cue.split_once(' ') {
        None => last == Some(cue),
        Some((a, b)) => before_last == Some(a) && last == Some(b),
    };
    if TITLE_CUES.iter().any(|cue| is_cue(cue)) {
        return true;
    }
    // A title or a name followed by what it names: the "…" resolution, the "…" plan.
    let after = text
        .get(q.span.end..)
        .unwrap_or("")
        .trim_start_matches([' ', '*', '_', ',']);
    let follow = after
        .char_indices()
        .find(|(_, c)| !c.is_alphabetic())
        .map_or(after, |(i, _)| after.get(..i).unwrap_or(""));
    let named_by_following = if follow.is_ascii() {
        NAMED_BY_FOLLOWING
            .iter()
            .any(|n| n.eq_ignore_ascii_case(follow))
    } else {
        // Only ASCII words are in the list: a word that lower-cases to one.
        NAMED_BY_FOLLOWING.contains(&follow.to_lowercase().as_str())
    };
    if named_by_following {
        return true;
    }
    is_title_case(inner) || is_name_of_a_body(inner)
}

/// Nouns after a quoted title or name: the "…" resolution, the "…" formula.
const NAMED_BY_FOLLOWING: &[&str] = &[
    "resolution",
    "resolutions",
    "manifesto",
    "declaration",
    "plan",
    "programme",
    "program",
    "movement",
    "doctrine",
    "formula",
    "proposal",
    "proposals",
    "line",
    "campaign",
    "slogan",
    "editorial",
    "article",
    "broadcast",
    "pamphlet",
    "leaflet",
];

/// Words that make a capitalised quoted phrase the name of a body.
const BODIES: &[&str] = &[
    "Committee",
    "Commission",
    "Council",
    "Front",
    "Party",
    "League",
    "Association",
    "Union",
    "Assembly",
    "Army",
    "Government",
    "Republic",
    "Ministry",
    "Conference",
    "Organization",
    "Organisation",
    "Bureau",
    "Delegation",
    "Federation",
    "Alliance",
    "Congress",
    "Society",
    "Corps",
];

/// “Democratic Front for the Attainment of Unification of the Fatherland”: starts
/// with a capital, names a body, holds no sentence (no verb-ending punctuation inside).
fn is_name_of_a_body(inner: &str) -> bool {
    let t = inner.trim();
    t.chars().next().is_some_and(|c| c.is_uppercase())
        && !t
            .trim_end_matches(['.', '!', '?'])
            .contains(['.', '!', '?', ';', ':', ','])
        && word_count(t) <= 14
        && {
            // The body's noun near the start, followed by nothing or by "for", "of"…
            // ("Committee for the preparation of …"), not by a verb ("the Committee
            // will meet").
            let ws: Vec<&str> = t
                .split_whitespace()
                .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
                .collect();
            ws.iter().take(3).enumerate().any(|(i, w)| {
                BODIES.contains(w)
                    && ws
                        .get(i + 1)
                        .is_none_or(|n| matches!(*n, "for" | "of" | "on" | "to" | "in" | "and"))
            })
        }
}

/// Whether `w` lower-cased is one of [`TITLE_SMALL`]: an ASCII word compared in any
/// case, without a lowered copy (most words); another lowered, then looked up.
fn is_title_small(w: &str) -> bool {
    if w.is_ascii() {
        // No small word is longer than four letters.
        w.len() <= 4 && TITLE_SMALL.iter().any(|s| s.eq_ignore_ascii_case(w))
    } else {
        TITLE_SMALL.contains(&w.to_lowercase().as_str())
    }
}

/// "The Korean War, An Assessment of the Historical Record": most words capitalised,
/// no sentence inside.
pub(super) fn is_title_case(s: &str) -> bool {
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
        if k > 0 && is_title_small(w) {
            continue;
        }
        significant += 1;
        if first.is_uppercase() {
            capital += 1;
        }
    }
    significant >= 2 && capital * 4 >= significant * 3
}

#[cfg(test)]
mod small_tests {
    /// The small-word test answers as the lowered word's lookup in the list.
    #[test]
    fn small_words_as_lowered() {
        assert!(super::TITLE_SMALL.iter().all(|s| s.len() <= 4));
        for w in super::TITLE_SMALL
            .iter()
            .flat_map(|s| [s.to_string(), s.to_uppercase(), format!("{s}s")])
            .chain(["", "Upon", "Into", "Withal", "İn", "\u{212A}", "Über"].map(String::from))
        {
            assert_eq!(
                super::is_title_small(&w),
                super::TITLE_SMALL.contains(&w.to_lowercase().as_str()),
                "{w}"
            );
        }
    }
}
