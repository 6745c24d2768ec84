//! Parenthetical author–date citations, and sources named in the prose itself.

use super::*;

/// Parenthetical author–date citations in prose: `(Weathersby 1995, 23)`,
/// `(see Cumings 1990: 45–50)`, `(Stalin to Shtykov, 30 January 1950)`. A citation
/// starts with a capital (after an optional "see", "cf.", "quoted in", "cited in"), is
/// at most fourteen words, and holds a year.
pub fn author_date_citations(text: &str, md: &MdModel) -> Vec<Span> {
    let mut parens = Vec::new();
    parens_in(text, 0, text.len(), &mut parens);
    parens.retain(|p| p.how & (AUTHOR_DATE | YEAR_PAGES) != 0);
    let mut out = Vec::new();
    paren_sources(text, md, &parens, &mut out);
    out
}

/// A parenthesis closed on its line, `(` at `open` and `)` at `close`, whose text
/// alone may make it a source ([`parens_in`]); whether it is one in a version depends
/// also on the model (not in code) and, for a bare year, on the word before it
/// ([`paren_sources`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Paren {
    pub(super) open: usize,
    close: usize,
    how: u8,
}

impl Paren {
    /// The parenthesis moved with the text around it (see [`Span::moved`]).
    pub(super) fn moved(self, from: usize, to: usize) -> Paren {
        Paren {
            open: self.open + to - from,
            close: self.close + to - from,
            how: self.how,
        }
    }
}

/// `(Weathersby 1995, 23)`: an author–date citation.
const AUTHOR_DATE: u8 = 1;
/// `(1995, 23)`: one after an author's name (a capitalised word before it).
const YEAR_PAGES: u8 = 2;
/// `(text in …, page 489)`, `(611.93/1–651)`: where a text is printed.
const PRINTED: u8 = 4;

/// The parentheses opened in `from..to` (byte offsets of `text`) whose text may make
/// them sources, in order, onto `out`. Each reads only from its `(` to the first `)`,
/// `(` or line break after it.
pub(super) fn parens_in(text: &str, from: usize, to: usize, out: &mut Vec<Paren>) {
    let bytes = text.as_bytes();
    let mut at = from;
    while let Some(rel) = bytes.get(at..to).and_then(|r| memchr::memchr(b'(', r)) {
        let open = at + rel;
        at = open + 1;
        if let Some(p) = paren_at(text, open) {
            out.push(p);
        }
    }
}

/// What the parenthesis opened at `open` may be (see [`parens_in`]).
fn paren_at(text: &str, open: usize) -> Option<Paren> {
    let rest = text.get(open + 1..)?;
    let close_rel = memchr::memchr3(b')', b'(', b'\n', rest.as_bytes())?;
    let close = open + 1 + close_rel;
    if rest.as_bytes().get(close_rel) != Some(&b')') {
        return None;
    }
    let inner = rest.get(..close_rel)?;
    let mut how = 0;
    // An author–date citation closes within 160 bytes (a limit not counted when it
    // falls inside a character).
    if close_rel < 160 || !rest.is_char_boundary(160) {
        if is_author_date(inner) {
            how |= AUTHOR_DATE;
        } else if is_year_and_pages(inner) {
            how |= YEAR_PAGES;
        }
    }
    if is_printed_in(inner) {
        how |= PRINTED;
    }
    (how != 0).then_some(Paren { open, close, how })
}

/// The spans of the sources among `parens` (in order) in this version's model, onto
/// `out`: not opened in code, HTML or a link destination, and a bare year only after
/// a capitalised word ("Cumings (1990, 45)").
pub(super) fn paren_sources(text: &str, md: &MdModel, parens: &[Paren], out: &mut Vec<Span>) {
    let mut words = WordsBefore::default();
    for p in parens {
        if md.is_skipped(p.open) {
            continue;
        }
        let source = p.how & (AUTHOR_DATE | PRINTED) != 0
            || p.how & YEAR_PAGES != 0 && words.capitalised_before(text, p.open);
        if source {
            out.push(Span::new(p.open, p.close + 1));
        }
    }
}

/// The word before a place (after white space), asked of places in order: a run of
/// text without white space is walked once, however many places it holds.
#[derive(Default)]
struct WordsBefore {
    /// The last answer: the run of non-white-space ending at `.0` starts at `.1`.
    last: Option<(usize, usize)>,
}

impl WordsBefore {
    /// Whether the last word before `at` (white space skipped) starts with a capital.
    fn capitalised_before(&mut self, text: &str, at: usize) -> bool {
        let before = text.get(..at).unwrap_or("").trim_end();
        let end = before.len();
        let mut start = end;
        for (i, c) in before.char_indices().rev() {
            if self.last.is_some_and(|(e, _)| e == i + c.len_utf8()) {
                // The run ending here was walked for an earlier place.
                start = self.last.map_or(i, |(_, s)| s);
                break;
            }
            if c.is_whitespace() {
                break;
            }
            start = i;
        }
        self.last = Some((end, start));
        before
            .get(start..)
            .and_then(|w| w.chars().next())
            .is_some_and(|c| c.is_uppercase())
    }
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
    for (d, b) in buf.iter_mut().zip(w.bytes()) {
        *d = b.to_ascii_lowercase();
    }
    buf.get(..w.len()).is_some_and(is_telegram_lower)
}

/// [`is_telegram_shorthand`] of a lower-case ASCII word of 5 to 10 letters.
fn is_telegram_lower(l: &[u8]) -> bool {
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
/// of April 3, 1949", "in a broadcast over Radio Pyongyang on June 26, 1950" (read as
/// [`cue_of`]'s `match`; the list checks it).
#[cfg(test)]
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
    let mut out = paragraph_sources_in(text, md, None, &|_| true);
    let mut parens = Vec::new();
    parens_in(text, 0, text.len(), &mut parens);
    parens.retain(|p| p.how & PRINTED != 0);
    paren_sources(text, md, &parens, &mut out);
    out.sort();
    out.dedup();
    out
}

/// The sources named in the words of each paragraph ([`paragraph_citations`]), each
/// paragraph's kept in `memo` for the next version of the document. A paragraph's
/// depend only on its text and its prose pieces (the key). In order of the
/// paragraphs (a paragraph's in order), not sorted.
pub(crate) fn paragraph_sources_in(
    text: &str,
    md: &MdModel,
    memo: Option<&crate::memo::ShiftMemo<Vec<Span>>>,
    to_read: &(dyn Fn(Span) -> bool + Sync),
) -> Vec<Span> {
    let mut out = Vec::new();
    let paragraphs = || {
        md.blocks
            .iter()
            .enumerate()
            .filter(|(_, b)| b.kind == BlockKind::Paragraph)
    };
    // Those to be read computed ahead when they are many (a first reading).
    let mut ahead = super::Ahead::compute(
        paragraphs().filter_map(|(k, b)| to_read(b.content).then_some((k, b.content))),
        |k| {
            let mut v = Vec::new();
            paragraph_citations(text, md, md.blocks.get(k)?.content, &mut v);
            Some(v)
        },
    );
    for (k, b) in paragraphs() {
        let done = ahead.take(k);
        let Some(memo) = memo else {
            match done {
                Some(v) => out.extend(v),
                None => paragraph_citations(text, md, b.content, &mut out),
            }
            continue;
        };
        let para = b.content;
        let pieces = md.prose_pieces(para);
        let key = crate::memo::BlockKey::new("").spans(para.start, &pieces);
        memo.get_with(
            para,
            key.bytes(),
            || {
                let v = done.unwrap_or_else(|| {
                    let mut v = Vec::new();
                    paragraph_citations(text, md, para, &mut v);
                    v
                });
                v.into_iter().map(|s| s.moved(para.start, 0)).collect()
            },
            |found| out.extend(found.iter().map(|s| s.moved(0, para.start))),
        );
    }
    out
}

/// Every cue word [`cue_of`] knows holds one of these, in some case: the telegrams'
/// shorthand `tel`, the others themselves (`communiqu` for both spellings). A word
/// that lower-cases to a cue but is not ASCII holds the Kelvin sign, and no cue a
/// `k`: a paragraph without any of these, in any case, cites nothing.
const CUE_CORES: &[&str] = &[
    "tel",
    "see",
    "despatch",
    "dispatch",
    "airgram",
    "instruction",
    "cable",
    "editorial",
    "article",
    "broadcast",
    "speech",
    "address",
    "statement",
    "communiqu",
    "interview",
    "report",
    "leader",
];

/// Whether `s` may hold a cue word: one pass of an automaton over [`CUE_CORES`]
/// (built once), so that most paragraphs are not split into words at all.
fn may_cite(s: &str) -> bool {
    static CORES: std::sync::LazyLock<Option<aho_corasick::AhoCorasick>> =
        std::sync::LazyLock::new(|| {
            aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build(CUE_CORES)
                .ok()
        });
    match &*CORES {
        Some(ac) => ac.is_match(s),
        None => true,
    }
}

/// The sources named in one paragraph's words (see [`prose_citations`]).
fn paragraph_citations(text: &str, md: &MdModel, para: Span, out: &mut Vec<Span>) {
    if !may_cite(text.get(para.start..para.end).unwrap_or("")) {
        return;
    }
    {
        let toks = words(text, md, para);
        for (k, t) in toks.iter().enumerate() {
            let next = toks.get(k + 1);
            let number = |x: Option<&(Span, &str)>| {
                x.is_some_and(|(_, w)| w.chars().next().is_some_and(|c| c.is_ascii_digit()))
            };
            let cue = cue_of(t.1);
            if cue == Some(Cue::Telegram) {
                let end = if number(next) {
                    next.map(|n| n.0.end).unwrap_or(t.0.end)
                } else {
                    t.0.end
                };
                out.push(Span::new(t.0.start, end));
                continue;
            }
            // "For the text of the communiqué, see *Foreign Relations*, …, pp. 448–449."
            if cue == Some(Cue::See) {
                let after: Vec<&(Span, &str)> = toks.iter().skip(k + 1).take(20).collect();
                let page = after.windows(2).find(|w| {
                    matches!(w[0].1, "p" | "pp" | "page" | "pages") && number(Some(w[1]))
                });
                if let Some(w) = page {
                    out.push(Span::new(t.0.start, w[1].0.end));
                }
                continue;
            }
            if cue == Some(Cue::Numbered) {
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
            if cue == Some(Cue::Published) {
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

/// What a word of a paragraph may introduce (see [`paragraph_citations`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Cue {
    /// A telegram's shorthand ([`is_telegram_shorthand`]): its number may follow.
    Telegram,
    /// "see": a page reference may follow.
    See,
    /// One of [`NUMBERED_DOCUMENTS`].
    Numbered,
    /// One of [`PUBLISHED`].
    Published,
}

/// The cue a word is, in any case. Every cue is 3 to 11 ASCII letters but
/// "communiqué"; an ASCII word is lower-cased on the stack, another (which may
/// lower-case to a cue, but to no telegram's shorthand) into a new string.
fn cue_of(w: &str) -> Option<Cue> {
    if !w.is_ascii() {
        return cue_of_lower(w.to_lowercase().as_bytes());
    }
    if w.len() > 11 {
        return None;
    }
    let mut buf = [0u8; 11];
    for (d, b) in buf.iter_mut().zip(w.bytes()) {
        *d = b.to_ascii_lowercase();
    }
    let l = buf.get(..w.len())?;
    if (5..=10).contains(&l.len()) && is_telegram_lower(l) {
        return Some(Cue::Telegram);
    }
    cue_of_lower(l)
}

/// [`cue_of`] a lower-case word (but a telegram's shorthand): the lists as one
/// `match`.
fn cue_of_lower(lw: &[u8]) -> Option<Cue> {
    Some(match lw {
        b"see" => Cue::See,
        b"telegram" | b"telegrams" | b"despatch" | b"dispatch" | b"airgram" | b"instruction"
        | b"cable" => Cue::Numbered,
        b"editorial" | b"article" | b"broadcast" | b"speech" | b"address" | b"statement"
        | b"communiqu\xc3\xa9" /* communiqué */ | b"communique" | b"interview" | b"report" | b"leader" => {
            Cue::Published
        }
        _ => return None,
    })
}

/// "(text in …, page 489)", "(printed in …, 1949)": a parenthesis that says where a
/// text is printed; or a State Department file number, "(611.93/1–651)". `inner` is
/// what the parentheses hold.
fn is_printed_in(inner: &str) -> bool {
    // Both start with a letter of a lead (t, p, r, q: none but these lower-cases to
    // one) or a digit: any other parenthesis is neither, seen without lower-casing it.
    let t = inner.trim();
    if !t.bytes().next().is_some_and(|b| {
        matches!(
            b.to_ascii_lowercase(),
            b't' | b'p' | b'r' | b'q' | b'0'..=b'9'
        )
    }) {
        return false;
    }
    let inner = t.to_lowercase();
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
    lead && located && inner.len() < 200 || file_number
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

/// What the date expression at `d` is to a dated statement: precise (a month or a
/// day, [`is_precise_date`]) and not part of a name ("the December 12 Resolution":
/// "the", "its", "their" or "this" before it, a document's noun after it), with the
/// stretch of text that answer read.
pub(super) fn date_read(text: &str, d: Span) -> super::kept::DateRead {
    let precise = is_precise_date(d.slice(text));
    if !precise {
        // Not one, whatever surrounds it.
        return super::kept::DateRead {
            span: d,
            read: d,
            counts: false,
        };
    }
    // Back over white space, then over the letters of the word before.
    let mut stop = d.start;
    let before = text.get(..d.start).unwrap_or("");
    let mut word_end = None;
    let mut word = "";
    for (i, c) in before.char_indices().rev() {
        stop = i;
        match word_end {
            None if c.is_whitespace() => continue,
            None if c.is_alphabetic() => word_end = Some(i + c.len_utf8()),
            Some(_) if c.is_alphabetic() => {}
            _ => break,
        }
        word = before.get(i..word_end.unwrap_or(i)).unwrap_or("");
    }
    // The loop read `before` down to `stop` (all of it when it ran out).
    let det = matches!(word, "the" | "The" | "its" | "their" | "this");
    let mut end = d.end;
    let mut named = false;
    if det {
        // On over spaces and emphasis marks, then over the letters of the next word,
        // and the character that ends it.
        let after = text.get(d.end..).unwrap_or("");
        let t = after.trim_start_matches([' ', '*', '_']);
        let from = after.len() - t.len();
        let run = t
            .char_indices()
            .find(|(_, c)| !c.is_alphabetic())
            .map_or(t.len(), |(i, _)| i);
        let next = t.get(..run).unwrap_or("");
        let stop_len = t
            .get(run..)
            .and_then(|r| r.chars().next())
            .map_or(0, char::len_utf8);
        end = d.end + from + run + stop_len;
        named = NAMED_DOCUMENTS.contains(&next);
    }
    super::kept::DateRead {
        span: d,
        read: Span::new(stop, end),
        counts: !named,
    }
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

#[cfg(test)]
mod cue_tests {
    use super::*;

    /// Every word [`cue_of`] takes for a cue, in its cases, passes [`may_cite`]'s
    /// filter over [`CUE_CORES`], and a paragraph the filter stops cites nothing.
    #[test]
    fn every_cue_holds_a_core() {
        let shorthand = [
            "mytel", "urtel", "deptel", "embtel", "ourtel", "reftel", "circtel",
        ];
        let words = super::PUBLISHED
            .iter()
            .chain(super::NUMBERED_DOCUMENTS)
            .chain(&["see"])
            .map(|w| w.to_string())
            .chain(
                shorthand
                    .iter()
                    .flat_map(|w| [format!("re{w}s"), w.to_string()]),
            );
        // Every form that is a cue passes the filter (not every shorthand written
        // here is one: `reftel` reads as `re` + `ftel`).
        let mut n = 0;
        for w in words {
            for form in [w.clone(), w.to_uppercase(), {
                let mut c = w.clone();
                if let Some(f) = c.get_mut(..1) {
                    f.make_ascii_uppercase();
                }
                c
            }] {
                if super::cue_of(&form).is_some() {
                    assert!(super::may_cite(&format!("x {form} y")), "{form}");
                    n += 1;
                }
            }
        }
        assert!(n >= 90, "{n}");
        for w in super::PUBLISHED.iter().chain(super::NUMBERED_DOCUMENTS) {
            assert!(super::cue_of(w).is_some(), "{w}");
        }
        // A paragraph with no cue is not read: and reads to nothing.
        let text = "Stalin told Kim on 5 March 1949 that the war must wait.";
        assert!(!super::may_cite(text));
        let md = crate::markdown::MdModel::parse(text);
        let mut out = Vec::new();
        super::paragraph_citations(text, &md, Span::new(0, text.len()), &mut out);
        assert!(out.is_empty());
    }

    /// The `match` of [`cue_of`] is the lists, in any case.
    #[test]
    fn cues_are_the_lists() {
        for (list, cue) in [
            (NUMBERED_DOCUMENTS, Cue::Numbered),
            (PUBLISHED, Cue::Published),
        ] {
            for w in list {
                assert_eq!(cue_of(w), Some(cue), "{w}");
                assert_eq!(cue_of(&w.to_uppercase()), Some(cue), "{w}");
            }
        }
        assert_eq!(cue_of("See"), Some(Cue::See));
        for w in [
            "mytel",
            "Reurtel",
            "ReDeptel",
            "Embtel",
            "Deptels",
            "recirctels",
        ] {
            assert!(is_telegram_shorthand(w), "{w}");
            assert_eq!(cue_of(w), Some(Cue::Telegram), "{w}");
        }
        for w in [
            "",
            "s",
            "seen",
            "Reports",
            "instructions",
            "COMMUNIQUÉS",
            "Kim",
            "ß",
        ] {
            assert_eq!(cue_of(w), None, "{w}");
        }
    }
}
