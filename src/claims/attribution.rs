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

/// Telegram shorthand of the State Department and its missions: "mytel 374",
/// "Reurtel 881", "ReDeptel 606", "Embtel 892", "Deptels".
pub(super) fn is_telegram_shorthand(w: &str) -> bool {
    // Every form is 5 ("urtel") to 10 ("recirctels") ASCII letters, and no other
    // character lowercases to ASCII but the Kelvin sign (no form has a `k`): any other
    // word is none, found without lowercasing it.
    if !(5..=10).contains(&w.len()) || !w.is_ascii() {
        return false;
    }
    let mut buf = [0u8; 10];
    let Some(l) = buf.get_mut(..w.len()) else {
        return false;
    };
    l.copy_from_slice(w.as_bytes());
    l.make_ascii_lowercase();
    let l: &[u8] = l;
    let l = l.strip_prefix(b"re").unwrap_or(l);
    let l = l.strip_suffix(b"s").unwrap_or(l);
    matches!(
        l,
        b"mytel" | b"urtel" | b"deptel" | b"embtel" | b"ourtel" | b"reftel" | b"circtel"
    )
}

/// Documents cited by number: "telegram 1002", "despatch No. 440", "airgram A–282".
pub(super) const NUMBERED_DOCUMENTS: &[&str] = &[
    "telegram",
    "telegrams",
    "despatch",
    "dispatch",
    "airgram",
    "instruction",
    "cable",
];

/// Documents that a dated publication names: "in an editorial in the New York Times
/// of April 3, 1949", "in a broadcast over Radio Pyongyang on June 26, 1950".
const PUBLISHED: &[&str] = &[
    "editorial",
    "article",
    "broadcast",
    "speech",
    "address",
    "statement",
    "communiqué",
    "communique",
    "interview",
    "report",
    "leader",
];

/// Sources named in the prose itself, which source a claim as a note marker does:
/// telegram references ("mytel 374, April 11", "Reurtel 881 July 18", "Deptel 250",
/// "urtel", "Embtel"), documents cited by number ("telegram 1002", "despatch No.
/// 440"), a dated publication ("in an editorial in the New York Times of April 3,
/// 1949"), and a parenthesis that says where a text is printed ("(text in the
/// Department of State *Bulletin*, October 3, 1949, page 489)").
pub fn prose_citations(text: &str, md: &MdModel) -> Vec<Span> {
    prose_citations_in(text, md, None)
}

/// [`prose_citations`], each paragraph's kept in `memo` for the next version of the
/// document. A paragraph's depend only on its text and its prose pieces (the key).
pub(crate) fn prose_citations_in(
    text: &str,
    md: &MdModel,
    memo: Option<&crate::memo::ShiftMemo<Vec<Span>>>,
) -> Vec<Span> {
    let mut out = Vec::new();
    for b in md.blocks.iter().filter(|b| b.kind == BlockKind::Paragraph) {
        let Some(memo) = memo else {
            paragraph_citations(text, md, b.content, &mut out);
            continue;
        };
        let para = b.content;
        let pieces = md.prose_pieces(para);
        let key = crate::memo::BlockKey::new("").spans(para.start, &pieces);
        memo.get_with(
            para,
            key.bytes(),
            || {
                let mut v = Vec::new();
                paragraph_citations(text, md, para, &mut v);
                v.into_iter().map(|s| s.moved(para.start, 0)).collect()
            },
            |found| out.extend(found.iter().map(|s| s.moved(0, para.start))),
        );
    }
    printed_in(text, md, &mut out);
    out.sort();
    out.dedup();
    out
}

/// The sources named in one paragraph's words (see [`prose_citations`]).
fn paragraph_citations(text: &str, md: &MdModel, para: Span, out: &mut Vec<Span>) {
    {
        let toks = words(text, md, para);
        // Each word lowercased into one buffer (an ASCII word in place).
        let mut lw = String::new();
        for (k, t) in toks.iter().enumerate() {
            let next = toks.get(k + 1);
            let number = |x: Option<&(Span, &str)>| {
                x.is_some_and(|(_, w)| w.chars().next().is_some_and(|c| c.is_ascii_digit()))
            };
            if is_telegram_shorthand(t.1) {
                let end = if number(next) {
                    next.map(|n| n.0.end).unwrap_or(t.0.end)
                } else {
                    t.0.end
                };
                out.push(Span::new(t.0.start, end));
                continue;
            }
            lw.clear();
            if t.1.is_ascii() {
                lw.push_str(t.1);
                lw.make_ascii_lowercase();
            } else {
                lw.push_str(&t.1.to_lowercase());
            }
            // "For the text of the communiqué, see *Foreign Relations*, …, pp. 448–449."
            if lw == "see" {
                let after: Vec<&(Span, &str)> = toks.iter().skip(k + 1).take(20).collect();
                let page = after.windows(2).find(|w| {
                    matches!(w[0].1, "p" | "pp" | "page" | "pages") && number(Some(w[1]))
                });
                if let Some(w) = page {
                    out.push(Span::new(t.0.start, w[1].0.end));
                }
                continue;
            }
            if NUMBERED_DOCUMENTS.contains(&lw.as_str()) {
                let mut j = k + 1;
                if toks
                    .get(j)
                    .is_some_and(|(_, w)| matches!(*w, "No" | "no" | "Nos" | "A"))
                {
                    j += 1;
                }
                if number(toks.get(j)) {
                    let end = toks.get(j).map(|n| n.0.end).unwrap_or(t.0.end);
                    out.push(Span::new(t.0.start, end));
                }
                continue;
            }
            if PUBLISHED.contains(&lw.as_str()) {
                // "in/on/over" + a capitalised title, then a date with a year within
                // a few words.
                let after: Vec<&(Span, &str)> = toks.iter().skip(k + 1).take(12).collect();
                let Some(first) = after.first() else { continue };
                if !matches!(first.1, "in" | "on" | "over" | "of") {
                    continue;
                }
                let named = after
                    .iter()
                    .skip(1)
                    .take(3)
                    .any(|(_, w)| is_capital(w) && month_number(w).is_none());
                let dated = after.iter().enumerate().find(|(m, (_, w))| {
                    month_number(w).is_some()
                        && after
                            .get(m + 1..m + 3)
                            .is_some_and(|r| r.iter().any(|(_, y)| is_year(y)))
                });
                if let (true, Some((m, _))) = (named, dated) {
                    let end = after
                        .get(m + 2)
                        .map(|x| x.0.end)
                        .unwrap_or(t.0.end)
                        .max(t.0.end);
                    out.push(Span::new(t.0.start, end));
                }
            }
        }
    }
}

/// "(text in …, page 489)", "(printed in …, 1949)": a parenthesis that says where a
/// text is printed.
fn printed_in(text: &str, md: &MdModel, out: &mut Vec<Span>) {
    let mut from = 0;
    while let Some(rel) = text.get(from..).and_then(|r| r.find('(')) {
        let open = from + rel;
        from = open + 1;
        let Some(close_rel) = text.get(open + 1..).and_then(|r| r.find([')', '(', '\n'])) else {
            continue;
        };
        let close = open + 1 + close_rel;
        if text.get(close..close + 1) != Some(")") || md.is_skipped(open) {
            continue;
        }
        let inner = text
            .get(open + 1..close)
            .unwrap_or("")
            .trim()
            .to_lowercase();
        let lead = [
            "text in ",
            "text printed in ",
            "printed in ",
            "reprinted in ",
            "published in ",
            "quoted in ",
        ]
        .iter()
        .any(|l| inner.starts_with(l));
        let located = inner
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w == "page" || w == "p" || w == "pp" || (w.len() == 4 && is_year(w)));
        // A State Department file number: "(611.93/1–651)".
        let file_number = inner.len() < 40
            && inner.contains('/')
            && inner
                .split('.')
                .next()
                .is_some_and(|d| d.len() == 3 && d.bytes().all(|b| b.is_ascii_digit()));
        if lead && located && inner.len() < 200 || file_number {
            out.push(Span::new(open, close + 1));
        }
    }
}

fn is_capital(w: &str) -> bool {
    w.chars().next().is_some_and(|c| c.is_uppercase())
}

fn is_year(w: &str) -> bool {
    let w = w.trim_end_matches(|c: char| !c.is_ascii_digit());
    w.len() == 4
        && w.bytes().all(|b| b.is_ascii_digit())
        && w.parse::<u32>().is_ok_and(|y| (1000..2100).contains(&y))
}

/// The words of a span's prose with their spans (letters, digits, `'`, `’`, `-`, `–`).
fn words<'a>(text: &'a str, md: &MdModel, span: Span) -> Vec<(Span, &'a str)> {
    let mut out = Vec::new();
    for p in md.prose_pieces(span) {
        let s = p.slice(text);
        let mut cur: Option<usize> = None;
        for (i, c) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
            let wordy = c.is_alphanumeric() || matches!(c, '\'' | '’' | '-' | '–' | 'é');
            match (wordy, cur) {
                (true, None) => cur = Some(i),
                (false, Some(b)) => {
                    if let Some(w) = s.get(b..i) {
                        out.push((Span::new(p.start + b, p.start + i), w));
                    }
                    cur = None;
                }
                _ => {}
            }
        }
    }
    out
}

/// Nouns of documents that a date names rather than dates: "the December 12
/// Resolution", "the July 4 Joint Statement", "the 38th Parallel".
const NAMED_DOCUMENTS: &[&str] = &[
    "Resolution",
    "Agreement",
    "Accord",
    "Declaration",
    "Proclamation",
    "Directive",
    "Statement",
    "Communiqué",
    "Communique",
    "Memorandum",
    "Note",
    "Letter",
    "Telegram",
    "Decree",
    "Order",
    "Plan",
    "Program",
    "Programme",
    "Appeal",
    "Manifesto",
    "Joint",
    "Movement",
    "Uprising",
    "Incident",
];

/// True when the date at `d` is part of a name: "the December 12 Resolution".
pub(super) fn is_date_in_a_name(text: &str, d: Span) -> bool {
    let after = text.get(d.end..).unwrap_or("");
    let next: String = after
        .trim_start_matches([' ', '*', '_'])
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect();
    let before = text.get(..d.start).unwrap_or("").trim_end();
    let det = before
        .rsplit(|c: char| !c.is_alphabetic())
        .next()
        .is_some_and(|w| matches!(w, "the" | "The" | "its" | "their" | "this"));
    det && NAMED_DOCUMENTS.contains(&next.as_str())
}

/// A sentence that introduces the text of a named document: "Following is the text of
/// the broadcast:", "The following is a translation of the statement:", "Here follows
/// the text:". What comes after it is the document it names.
pub fn introduces_a_document(sentence: &str) -> bool {
    let s = sentence.trim().trim_start_matches(['*', '_']);
    let l = s.to_lowercase();
    let opener = [
        "following is",
        "following are",
        "the following is",
        "the following are",
        "here follows",
        "there follows",
        "text of",
        "the text of",
    ]
    .iter()
    .any(|o| l.starts_with(o));
    opener && l.trim_end().trim_end_matches(['*', '_']).ends_with(':')
}

/// A speaker introducing a quotation with a colon: "He said:", "Kim declared:",
/// "Acheson stated:". The attribution points back to the sentence before.
pub fn is_speaker_colon(before_quote: &str) -> bool {
    let t = before_quote.trim_end();
    let Some(t) = t.strip_suffix(':') else {
        return false;
    };
    let words: Vec<&str> = t.split_whitespace().collect();
    let Some(verb) = words.last() else {
        return false;
    };
    words.len() <= 6
        && matches!(
            verb.to_lowercase().as_str(),
            "said" | "stated" | "declared" | "wrote" | "added" | "continued" | "replied" | "says"
        )
}
