//! Pandoc citation syntax in prose: `[@key]`, `[@key, p. 33]`, `[see @a, 3; @b]`,
//! `[-@key]`, in-text `@key` and `@key [p. 33]`, braced keys `@{key}`.
//!
//! Only prose is read ([`MdModel::prose_blocks`]; footnote definitions are paragraphs
//! there too): nothing in code, URLs, HTML or front matter. An `@` right after a letter
//! or digit is an e-mail address, not a citation; `\@` is escaped.

use crate::finding::Span;
use crate::markdown::MdModel;

/// One cited work at one place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Citation {
    /// The citation key, without `@` and braces.
    pub key: String,
    /// The key's bytes in the document (without `@`, without braces).
    pub key_span: Span,
    /// The whole citation: the bracketed group for `[...]`, `@key` (plus a following
    /// `[p. 33]`) in text.
    pub span: Span,
    /// Text before the key within its item (`see`), trimmed.
    pub prefix: String,
    /// The locator (`p. 33`, `3`, `chap. 2`), if the suffix starts with one.
    pub locator: Option<String>,
    /// The rest of the suffix, trimmed.
    pub suffix: String,
    /// `[-@key]`: the author's name is suppressed.
    pub suppress_author: bool,
    /// In-text (`@key says`) rather than bracketed.
    pub in_text: bool,
    /// An in-text `@word` inside double quotation marks: maybe a handle, not a citation
    /// (not reported as undefined).
    pub in_quotes: bool,
}

fn is_key_start(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn is_key_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Punctuation allowed inside a key when followed by a key character.
fn is_internal_punct(c: char) -> bool {
    matches!(
        c,
        ':' | '.' | '#' | '$' | '%' | '&' | '-' | '+' | '?' | '<' | '>' | '~' | '/'
    )
}

/// Parse a key at `at` (just after `@`). Returns (key, key span, end of the key
/// including a closing brace).
fn parse_key(text: &str, at: usize) -> Option<(String, Span, usize)> {
    let rest = text.get(at..)?;
    if let Some(inner) = rest.strip_prefix('{') {
        let close = inner.find(['}', '{', '\n'])?;
        if !inner[close..].starts_with('}') || close == 0 {
            return None;
        }
        let key = inner[..close].trim();
        if key.is_empty() {
            return None;
        }
        let start = at + 1;
        return Some((
            key.to_string(),
            Span::new(start, start + close),
            start + close + 1,
        ));
    }
    let mut chars = rest.char_indices().peekable();
    let first = chars.peek().map(|(_, c)| *c)?;
    if !is_key_start(first) {
        return None;
    }
    let mut end = 0;
    while let Some((i, c)) = chars.next() {
        if is_key_char(c) {
            end = i + c.len_utf8();
        } else if is_internal_punct(c) {
            match chars.peek() {
                Some((_, n)) if is_key_char(*n) => {}
                _ => break,
            }
        } else {
            break;
        }
    }
    if end == 0 {
        return None;
    }
    Some((rest[..end].to_string(), Span::new(at, at + end), at + end))
}

/// Locator labels Pandoc recognises (English forms and abbreviations).
const LOCATOR_LABELS: &[&str] = &[
    "book",
    "bk.",
    "bks.",
    "chapter",
    "chap.",
    "chaps.",
    "ch.",
    "column",
    "col.",
    "cols.",
    "figure",
    "fig.",
    "figs.",
    "folio",
    "fol.",
    "fols.",
    "number",
    "no.",
    "nos.",
    "line",
    "l.",
    "ll.",
    "note",
    "n.",
    "nn.",
    "opus",
    "op.",
    "opp.",
    "page",
    "pages",
    "p.",
    "pp.",
    "paragraph",
    "para.",
    "paras.",
    "¶",
    "¶¶",
    "part",
    "pt.",
    "pts.",
    "section",
    "sec.",
    "secs.",
    "§",
    "§§",
    "sub verbo",
    "s.v.",
    "s.vv.",
    "verse",
    "v.",
    "vv.",
    "volume",
    "vol.",
    "vols.",
    "f.",
    "ff.",
    "doc.",
    "file",
    "fond",
    "op.",
    "d.",
    "l.",
];

/// Split a suffix into (locator, rest): `, p. 33, emphasis added` → (`p. 33`,
/// `emphasis added`).
pub fn split_locator(suffix: &str) -> (Option<String>, String) {
    let s = suffix.trim();
    let s2 = s.strip_prefix(',').map(str::trim_start).unwrap_or(s);
    let lower = s2.to_lowercase();
    let starts_label = LOCATOR_LABELS.iter().any(|l| {
        lower.strip_prefix(l).is_some_and(|r| {
            let spaced = r.starts_with([' ', '\u{a0}']) || l.ends_with('.');
            let r = r.trim_start();
            spaced && r.starts_with(|c: char| c.is_ascii_digit() || "ivxlc".contains(c))
        })
    });
    let starts_digit = s2.starts_with(|c: char| c.is_ascii_digit());
    if !(starts_label || starts_digit) {
        return (None, s.to_string());
    }
    // The locator runs to a comma followed by a word that is not a number.
    let mut end = s2.len();
    let bytes: Vec<(usize, char)> = s2.char_indices().collect();
    for (k, (i, c)) in bytes.iter().enumerate() {
        if *c == ',' {
            let after: String = bytes[k + 1..].iter().map(|(_, c)| *c).collect();
            let after = after.trim_start();
            if !after.starts_with(|c: char| c.is_ascii_digit()) {
                end = *i;
                break;
            }
        }
    }
    let loc = s2[..end].trim().to_string();
    let rest = s2[end..].trim_start_matches(',').trim().to_string();
    (Some(loc), rest)
}

/// Whether the text of a block before byte `at` leaves an open double quotation.
fn inside_quotes(text: &str, block_start: usize, at: usize) -> bool {
    let Some(before) = text.get(block_start..at) else {
        return false;
    };
    let straight = before.matches('"').count();
    let open = before.matches('“').count();
    let close = before.matches('”').count();
    straight % 2 == 1 || open > close
}

/// Find the matching `]` for `[` at `open`, on prose bytes only, within `end`.
fn matching_bracket(text: &str, md: &MdModel, open: usize, end: usize) -> Option<usize> {
    let mut depth = 0usize;
    let bytes = text.as_bytes();
    let mut i = open;
    while i < end {
        let b = *bytes.get(i)?;
        if b == b'\\' {
            i += 2;
            continue;
        }
        if (b == b'[' || b == b']') && md.is_skipped(i) {
            i += 1;
            continue;
        }
        if b == b'[' {
            depth += 1;
        } else if b == b']' {
            depth = depth.checked_sub(1)?;
            if depth == 0 {
                return Some(i);
            }
        } else if b == b'\n' && bytes.get(i + 1) == Some(&b'\n') {
            return None;
        }
        i += 1;
    }
    None
}

/// Parse the inside of `[...]` (`inner` starts at byte `base`) as a citation group.
fn parse_group(text: &str, md: &MdModel, base: usize, inner: &str, group: Span) -> Vec<Citation> {
    let mut out = Vec::new();
    let mut pos = 0;
    for item in inner.split(';') {
        let item_start = base + pos;
        pos += item.len() + 1;
        // The item's first `@` not escaped and in prose.
        let mut at = None;
        for (i, _) in item.match_indices('@') {
            let abs = item_start + i;
            let prev = item[..i].chars().next_back();
            if prev == Some('\\') || md.is_skipped(abs) {
                continue;
            }
            if prev.is_some_and(|c| c.is_alphanumeric()) {
                continue;
            }
            at = Some(i);
            break;
        }
        let Some(i) = at else {
            return Vec::new();
        };
        let Some((key, key_span, key_end)) = parse_key(text, item_start + i + 1) else {
            return Vec::new();
        };
        let mut prefix = &item[..i];
        let suppress = prefix.ends_with('-');
        if suppress {
            prefix = &prefix[..prefix.len() - 1];
        }
        let suffix = text.get(key_end..item_start + item.len()).unwrap_or("");
        let (locator, suffix) = split_locator(suffix);
        out.push(Citation {
            key,
            key_span,
            span: group,
            prefix: prefix.trim().to_string(),
            locator,
            suffix,
            suppress_author: suppress,
            in_text: false,
            in_quotes: false,
        });
    }
    out
}

/// Every citation in the prose of `text`, in document order.
pub fn find(text: &str, md: &MdModel) -> Vec<Citation> {
    let mut out = Vec::new();
    for b in md.prose_blocks() {
        let span = b.content;
        let Some(block) = text.get(span.start..span.end) else {
            continue;
        };
        if !block.contains('@') {
            continue;
        }
        // Bracketed groups first; remember their spans so in-text scanning skips them.
        let mut groups: Vec<Span> = Vec::new();
        for (i, _) in block.match_indices('[') {
            let open = span.start + i;
            if md.is_skipped(open) || groups.iter().any(|g| g.contains(open)) {
                continue;
            }
            if block[..i].ends_with('\\') || block[i + 1..].starts_with('^') {
                continue;
            }
            let Some(close) = matching_bracket(text, md, open, span.end) else {
                continue;
            };
            // `[text](url)` and `[text][ref]` are links: no citation in their text.
            if matches!(text.as_bytes().get(close + 1), Some(b'(' | b'[')) {
                groups.push(Span::new(open, close + 1));
                continue;
            }
            let inner = text.get(open + 1..close).unwrap_or("");
            if !inner.contains('@') {
                continue;
            }
            let group = Span::new(open, close + 1);
            let cites = parse_group(text, md, open + 1, inner, group);
            if !cites.is_empty() {
                groups.push(group);
                out.extend(cites);
            }
        }
        // In-text citations.
        for (i, _) in block.match_indices('@') {
            let abs = span.start + i;
            if md.is_skipped(abs) || groups.iter().any(|g| g.contains(abs)) {
                continue;
            }
            let prev = block[..i].chars().next_back();
            let ok_prev = match prev {
                None => true,
                Some(c) => c.is_whitespace() || c == '(' || c == '[',
            };
            if !ok_prev {
                continue;
            }
            let Some((key, key_span, key_end)) = parse_key(text, abs + 1) else {
                continue;
            };
            let mut whole = Span::new(abs, key_end);
            let mut locator = None;
            let mut suffix = String::new();
            // `@key [p. 33]`
            let after = text.get(key_end..span.end).unwrap_or("");
            if let Some(rest) = after.strip_prefix(' ')
                && rest.starts_with('[')
                && !rest.starts_with("[^")
            {
                let open = key_end + 1;
                if let Some(close) = matching_bracket(text, md, open, span.end)
                    && !matches!(text.as_bytes().get(close + 1), Some(b'(' | b'['))
                {
                    let inner = text.get(open + 1..close).unwrap_or("");
                    if !inner.contains('@') {
                        let (l, s) = split_locator(inner);
                        locator = l;
                        suffix = s;
                        whole = Span::new(abs, close + 1);
                        groups.push(Span::new(open, close + 1));
                    }
                }
            }
            out.push(Citation {
                key,
                key_span,
                span: whole,
                prefix: String::new(),
                locator,
                suffix,
                suppress_author: false,
                in_text: true,
                in_quotes: inside_quotes(text, span.start, abs),
            });
        }
    }
    out.sort_by_key(|c| c.key_span.start);
    out
}

/// The spans that source a claim as a note marker does: each bracketed group once, and
/// each in-text citation (not a handle in quotation marks). Sorted.
pub fn source_spans(text: &str, md: &MdModel) -> Vec<Span> {
    let mut v: Vec<Span> = find(text, md)
        .into_iter()
        .filter(|c| !c.in_quotes)
        .map(|c| c.span)
        .collect();
    v.sort();
    v.dedup();
    v
}
