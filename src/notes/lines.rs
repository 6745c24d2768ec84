//! Lines as CommonMark sees them for notes: containers (block quotes, list items),
//! fences, HTML blocks, thematic breaks — what the Markdown model does not tell.

// ---------------------------------------------------------------------------------
// Lines and columns

#[derive(Clone, Copy, Debug)]
pub(super) struct Line {
    pub(super) start: usize,
    /// End of the content, before the line ending.
    pub(super) end: usize,
}

/// Lines ending at `\n`, `\r\n` or a lone `\r`.
pub(super) fn split_lines(text: &str) -> Vec<Line> {
    let mut out = Vec::with_capacity(text.len() / 48 + 1);
    let b = text.as_bytes();
    let mut start = 0;
    // Every `\n` and `\r` in one pass; the `\n` of a `\r\n` is passed over.
    for p in memchr::memchr2_iter(b'\n', b'\r', b) {
        if p < start {
            continue;
        }
        let next = if at(b, p) == b'\r' && at(b, p + 1) == b'\n' {
            p + 2
        } else {
            p + 1
        };
        out.push(Line { start, end: p });
        start = next;
    }
    if start < text.len() {
        out.push(Line {
            start,
            end: text.len(),
        });
    }
    out
}

pub(super) fn at(b: &[u8], i: usize) -> u8 {
    b.get(i).copied().unwrap_or(0)
}

pub(super) fn next_tab(col: usize) -> usize {
    (col / 4 + 1) * 4
}

/// Skip spaces and tabs from `pos` (column `col`) up to `end`.
pub(super) fn skip_ws(b: &[u8], mut pos: usize, end: usize, mut col: usize) -> (usize, usize) {
    while pos < end {
        match at(b, pos) {
            b' ' => col += 1,
            b'\t' => col = next_tab(col),
            _ => break,
        }
        pos += 1;
    }
    (pos, col)
}

/// Strip up to `max` block-quote markers. Returns (markers stripped, byte, column).
pub(super) fn strip_quotes(
    b: &[u8],
    start: usize,
    end: usize,
    max: usize,
) -> (usize, usize, usize) {
    let (mut pos, mut col, mut count) = (start, 0, 0);
    while count < max {
        let (p, c) = skip_ws(b, pos, end, col);
        if p < end && at(b, p) == b'>' && c - col <= 3 {
            pos = p + 1;
            col = c + 1;
            count += 1;
            match at(b, pos) {
                b' ' if pos < end => {
                    pos += 1;
                    col += 1;
                }
                b'\t' if pos < end => {
                    pos += 1;
                    col = next_tab(col);
                }
                _ => {}
            }
        } else {
            break;
        }
    }
    (count, pos, col)
}

/// A list marker at `pos` (`-`, `+`, `*`, `1.`, `1)`) followed by a space, tab or the
/// line's end: the byte after the marker.
pub(super) fn list_marker(b: &[u8], pos: usize, end: usize) -> Option<usize> {
    let c = at(b, pos);
    let after = if matches!(c, b'-' | b'+' | b'*') {
        pos + 1
    } else {
        let mut i = pos;
        while i < end && at(b, i).is_ascii_digit() && i - pos < 9 {
            i += 1;
        }
        if i == pos || !matches!(at(b, i), b'.' | b')') {
            return None;
        }
        i + 1
    };
    if after >= end || matches!(at(b, after), b' ' | b'\t') {
        Some(after)
    } else {
        None
    }
}

pub(super) fn is_thematic_break(b: &[u8], pos: usize, end: usize) -> bool {
    let c = at(b, pos);
    if !matches!(c, b'*' | b'-' | b'_') {
        return false;
    }
    let mut n = 0;
    for i in pos..end {
        match at(b, i) {
            x if x == c => n += 1,
            b' ' | b'\t' => {}
            _ => return false,
        }
    }
    n >= 3
}

/// A code fence opener at `pos`: (fence char, length).
pub(super) fn fence_open(b: &[u8], pos: usize, end: usize) -> Option<(u8, usize)> {
    let c = at(b, pos);
    if c != b'`' && c != b'~' {
        return None;
    }
    let mut i = pos;
    while i < end && at(b, i) == c {
        i += 1;
    }
    let n = i - pos;
    if n < 3 {
        return None;
    }
    if c == b'`' && b.get(i..end).is_some_and(|r| r.contains(&b'`')) {
        return None;
    }
    Some((c, n))
}

pub(super) fn fence_close(b: &[u8], pos: usize, end: usize, fence: (u8, usize)) -> bool {
    let mut i = pos;
    while i < end && at(b, i) == fence.0 {
        i += 1;
    }
    i - pos >= fence.1
        && b.get(i..end)
            .is_some_and(|r| r.iter().all(|c| *c == b' ' || *c == b'\t'))
}

pub(super) const HTML_BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "base",
    "basefont",
    "blockquote",
    "body",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "iframe",
    "legend",
    "li",
    "link",
    "main",
    "menu",
    "menuitem",
    "nav",
    "noframes",
    "ol",
    "optgroup",
    "option",
    "p",
    "param",
    "pre",
    "script",
    "search",
    "section",
    "style",
    "summary",
    "table",
    "tbody",
    "td",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
];

/// An HTML block of kinds 1 to 6 (those that may interrupt a paragraph) starts at `pos`.
pub(super) fn html_block_start(b: &[u8], pos: usize, end: usize) -> bool {
    if at(b, pos) != b'<' {
        return false;
    }
    let rest = b.get(pos + 1..end).unwrap_or(&[]);
    if rest.starts_with(b"!--") || rest.starts_with(b"?") || rest.starts_with(b"![CDATA[") {
        return true;
    }
    if rest.first() == Some(&b'!') && rest.get(1).is_some_and(|c| c.is_ascii_alphabetic()) {
        return true;
    }
    let name_start = usize::from(rest.first() == Some(&b'/'));
    let mut i = name_start;
    while i < rest.len() && rest.get(i).is_some_and(|c| c.is_ascii_alphanumeric()) {
        i += 1;
    }
    let name = rest.get(name_start..i).unwrap_or(&[]);
    if name.is_empty() {
        return false;
    }
    let known = HTML_BLOCK_TAGS
        .iter()
        .any(|t| t.as_bytes().eq_ignore_ascii_case(name));
    known
        && (matches!(rest.get(i), None | Some(b' ' | b'\t' | b'>'))
            || rest.get(i..i + 2) == Some(b"/>"))
}

/// `[^label]:` at `p` (before `end`): (label start, label end, byte after the colon).
pub(super) fn def_head(b: &[u8], p: usize, end: usize) -> Option<(usize, usize, usize)> {
    if at(b, p) != b'[' || at(b, p + 1) != b'^' {
        return None;
    }
    let ls = p + 2;
    let le = footnote_label_end(b, ls, end)?;
    if at(b, le + 1) != b':' {
        return None;
    }
    Some((ls, le, le + 2))
}

/// The `]` closing a footnote label that starts at `ls`: no whitespace, no brackets,
/// 1 to 999 bytes (cmark-gfm's footnote label).
pub(super) fn footnote_label_end(b: &[u8], ls: usize, end: usize) -> Option<usize> {
    let mut i = ls;
    while i < end && i - ls <= 999 {
        match at(b, i) {
            b']' => return if i > ls { Some(i) } else { None },
            b' ' | b'\t' | b'\r' | b'\n' | 0 | b'[' | 0x0b | 0x0c => return None,
            _ => i += 1,
        }
    }
    None
}

/// Whether a line (its first non-blank byte at `pos`, indented `indent` columns past
/// its container) starts a block that ends a lazy paragraph continuation.
pub(super) fn starts_block(b: &[u8], pos: usize, end: usize, indent: usize) -> bool {
    if indent >= 4 {
        return false;
    }
    let c = at(b, pos);
    if c == b'#' {
        let mut i = pos;
        while at(b, i) == b'#' && i < end {
            i += 1;
        }
        if i - pos <= 6 && (i >= end || matches!(at(b, i), b' ' | b'\t')) {
            return true;
        }
    }
    c == b'>'
        || fence_open(b, pos, end).is_some()
        || is_thematic_break(b, pos, end)
        || list_marker(b, pos, end).is_some()
        || html_block_start(b, pos, end)
        || def_head(b, pos, end).is_some()
}
