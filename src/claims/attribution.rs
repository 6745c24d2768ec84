//! Parenthetical author–date citations, and sources named in the prose itself.

use super::*;

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
pub(super) fn is_year_and_pages(inner: &str) -> bool {
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

pub(super) fn is_author_date(inner: &str) -> bool {
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
