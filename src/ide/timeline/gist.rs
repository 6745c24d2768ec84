//! The gist of an event for its label: the clause of the sentence that says who did
//! what, cut from the text around the date (never reworded), without the date itself,
//! its preposition or the note markers.

use crate::finding::Span;

/// The longest gist, in characters, before it is shortened at a word with `…`.
pub const MAX_GIST: usize = 110;

/// Prepositions and articles that lead into a date and mean nothing without it.
const LEAD: &[&str] = &[
    "on",
    "in",
    "by",
    "during",
    "from",
    "at",
    "of",
    "since",
    "after",
    "before",
    "until",
    "till",
    "and",
    "then",
    "as",
    "early",
    "late",
    "the",
    "about",
    "around",
    "circa",
    "through",
    "again",
    "also",
    "or",
    "to",
    "between",
    "mid",
    "end",
    "beginning",
    "middle",
    "start",
];

/// Words that open a subordinate clause: a gist is the main clause, not these.
const SUBORDINATE: &[&str] = &[
    "while", "when", "after", "before", "although", "though", "as", "since", "if", "because",
    "whereas", "once", "until", "having",
];

/// Month names and numbers belong to a date, not to what happened.
fn is_dateish(w: &str) -> bool {
    let w = w.trim_matches(|c: char| !c.is_alphanumeric());
    w.chars()
        .all(|c| c.is_ascii_digit() || c == '-' || c == '–')
        || crate::dates::lang::ENGLISH.month(w).is_some()
}

fn first_word(text: &str, s: Span) -> String {
    s.slice(text)
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

/// The clause of `sentence` that carries the date at `date`, as a span of `text`.
/// Clauses are cut at `, ; : — ( )`; when the date's own clause is only the date (`On 17
/// April 1949, Stalin informed …`), the gist is the clause after it, or the text before
/// it when the date closes the sentence.
pub fn clause(text: &str, sentence: Span, date: Span) -> Span {
    let Some(body) = text.get(sentence.start..sentence.end) else {
        return sentence;
    };
    let mut cuts = vec![0];
    for (i, c) in body.char_indices() {
        // `b)` numbering a list inside the sentence is not a bracket.
        let list_mark = c == ')'
            && body[..i]
                .chars()
                .rev()
                .nth(1)
                .is_none_or(char::is_whitespace)
            && body[..i]
                .chars()
                .next_back()
                .is_some_and(char::is_alphabetic);
        if matches!(c, ',' | ';' | ':' | '—' | '(' | ')') && !list_mark {
            cuts.push(i);
            cuts.push(i + c.len_utf8());
        }
    }
    cuts.push(body.len());
    let pieces: Vec<Span> = cuts
        .chunks(2)
        .filter_map(|p| match p {
            [a, b] if b > a => Some(Span::new(sentence.start + a, sentence.start + b)),
            _ => None,
        })
        .collect();
    let Some(at) = pieces.iter().position(|p| p.contains(date.start)) else {
        return sentence;
    };
    let own = pieces[at];
    let rest_of_own = strip(text, own, date);
    if has_words(text, rest_of_own) {
        // A gloss in brackets (`the atom bomb (first tested … in August 1949)`) goes with
        // what it glosses.
        let bracketed = text.get(..own.start).is_some_and(|t| t.ends_with('('));
        if bracketed
            && let Some(prev) = at.checked_sub(1).and_then(|k| pieces.get(k))
            && has_words(text, *prev)
        {
            let close = usize::from(text.get(own.end..).is_some_and(|t| t.starts_with(')')));
            return Span::new(prev.start, own.end + close);
        }
        return rest_of_own;
    }
    // The date stands alone. Opening the sentence or a new clause (`and on 24 September
    // 1949, the Politburo …`): the main clause after it. Set in the middle (`…, sending,
    // on 11 September 1949, instructions`, `(14 September 1949)`): the clause before.
    let opens = at == 0
        || ["and", "but", "then"].contains(&first_word(text, own).as_str())
        || !pieces[..at].iter().any(|p| has_words(text, *p));
    if opens {
        let next = pieces[at + 1..]
            .iter()
            .copied()
            .find(|p| has_words(text, *p) && !SUBORDINATE.contains(&first_word(text, *p).as_str()));
        if let Some(next) = next {
            return Span::new(next.start, sentence.end);
        }
    }
    // Before: from the sentence's start, without a dangling last word (`…, sending`).
    let before: Vec<Span> = pieces[..at]
        .iter()
        .copied()
        .filter(|p| p.slice(text).chars().any(char::is_alphanumeric))
        .collect();
    let keep = before
        .iter()
        .rposition(|p| has_words(text, *p))
        .map_or(0, |k| k + 1);
    if keep > 0 {
        return Span::new(sentence.start, before[keep - 1].end);
    }
    pieces[at + 1..]
        .iter()
        .copied()
        .find(|p| has_words(text, *p))
        .map_or(own, |n| Span::new(n.start, sentence.end))
}

/// At least two words that are neither a date's nor a connective.
fn has_words(text: &str, s: Span) -> bool {
    s.slice(text)
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .filter(|w| !is_dateish(w) && !LEAD.contains(&w.to_lowercase().as_str()))
        .count()
        >= 2
}

/// `own` without the date and the words leading into it, when the date opens the clause;
/// `own` unchanged otherwise (a date inside a clause stays: `… met Kim in May 1950`).
fn strip(text: &str, own: Span, date: Span) -> Span {
    let before = text.get(own.start..date.start).unwrap_or("");
    let lead_only = before.split_whitespace().all(|w| {
        LEAD.contains(
            &w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
                .as_str(),
        ) || is_dateish(w)
    });
    if lead_only {
        Span::new(date.end.min(own.end), own.end)
    } else {
        own
    }
}

/// The gist as a label: whitespace collapsed, note markers and citations removed,
/// trimmed of leading connectives and trailing punctuation, shortened at a word.
pub fn text_of(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(c) = rest.chars().next() {
        let n = marker_len(rest);
        if n > 0 {
            rest = rest.get(n..).unwrap_or("");
            continue;
        }
        out.push(c);
        rest = rest.get(c.len_utf8()..).unwrap_or("");
    }
    let words: Vec<&str> = out.split_whitespace().collect();
    let mut s = words.join(" ");
    // A stop the sentence splitter let through (`on Moscow. hoping`) ends the gist.
    if let Some(i) = s.find(". ") {
        s.truncate(i);
    }
    // A list's numbering: `b) the atomic bomb` → `the atomic bomb`.
    let b = s.as_bytes();
    if b.len() > 3 && b[0].is_ascii_alphabetic() && b[1] == b')' && b[2] == b' ' {
        s = s[3..].to_string();
    }
    for lead in ["and ", "but ", "then ", "while ", "when ", "finally "] {
        if s.get(..lead.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(lead))
        {
            s = s[lead.len()..].to_string();
        }
    }
    let mut s = s.trim_matches(|c: char| matches!(c, ',' | ';' | ':' | ' ' | '—' | '('));
    while s.ends_with(')') && s.matches(')').count() > s.matches('(').count() {
        s = &s[..s.len() - 1];
    }
    if s.starts_with(')') {
        s = s[1..].trim_start();
    }
    let s = s.strip_suffix('.').unwrap_or(s);
    shorten(s, MAX_GIST)
}

/// Length of a note marker or citation at the start of `s`: `[^3]`, `(12)`, `[@key, 3]`,
/// superscript digits; 0 when there is none.
fn marker_len(s: &str) -> usize {
    if let Some(r) = s.strip_prefix("[^").or_else(|| s.strip_prefix("[@")) {
        // A citation cut at its comma by the clause (`[@key, 3]`) runs to the end.
        return r.find(']').map_or(s.len(), |e| e + 3);
    }
    if let Some(r) = s.strip_prefix('(')
        && let Some(e) = r.find(')')
        && (1..=3).contains(&e)
        && r[..e].bytes().all(|b| b.is_ascii_digit())
    {
        return e + 2;
    }
    s.chars()
        .take_while(|c| "¹²³⁴⁵⁶⁷⁸⁹⁰".contains(*c))
        .map(char::len_utf8)
        .sum()
}

/// `s` cut at a word to at most `max` characters, with `…` when cut.
pub fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max.saturating_sub(1)).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => cut[..i].to_string(),
        _ => cut,
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gist(sentence: &str, date: &str) -> String {
        let at = sentence.find(date).unwrap_or(0);
        let c = clause(
            sentence,
            Span::new(0, sentence.len()),
            Span::new(at, at + date.len()),
        );
        text_of(c.slice(sentence))
    }

    #[test]
    fn gists_of_the_seed() {
        assert_eq!(
            gist(
                "On 17 April 1949, Stalin informed his ambassador of an imminent attack from the South.",
                "17 April 1949"
            ),
            "Stalin informed his ambassador of an imminent attack from the South"
        );
        assert_eq!(
            gist(
                "The embassy gave a negative view on the matter (14 September 1949) and on 24 September 1949, the Politburo decided that the North Koreans should not attack. (7)",
                "24 September 1949"
            ),
            "the Politburo decided that the North Koreans should not attack"
        );
        assert_eq!(
            gist(
                "The embassy gave a negative view on the matter (14 September 1949) and on 24 September 1949, the Politburo decided.",
                "14 September 1949"
            ),
            "The embassy gave a negative view on the matter"
        );
        assert_eq!(
            gist(
                "Kim II Sung and his delegation spent almost all of April 1950 in the Soviet Union.",
                "April 1950"
            ),
            "Kim II Sung and his delegation spent almost all of April 1950 in the Soviet Union"
        );
        let long = gist(
            "On 3 February 1949 Soviet Ambassador to North Korea Shtykov bitterly complained that the North Koreans did not have enough trained personnel.[^2]",
            "3 February 1949",
        );
        assert!(long.starts_with("Soviet Ambassador to North Korea Shtykov bitterly complained"));
        assert!(
            long.ends_with('…') && long.chars().count() <= MAX_GIST,
            "{long}"
        );
        assert!(!long.contains("[^2]"));
        assert_eq!(
            gist(
                "In the beginning of 1950 Stalin wrote [@weathersby1993, 3].",
                "the beginning of 1950"
            ),
            "Stalin wrote"
        );
    }
}
