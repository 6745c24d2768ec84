//! The chunked parse: a text cut where no Markdown block can continue, each chunk
//! parsed on its own into an [`MdModel`] and the models joined.
//!
//! The batch path (`check`, the workspace index) and the editor's
//! [`crate::document`] both parse chunk by chunk: the editor re-parses only the chunks an
//! edit touches, the batch path parses a large text's chunks in parallel. Chunk
//! boundaries are a pure function of the text and a chunk's parse depends only on its
//! own text, so both give the same model for the same text.

use super::{Limit, MAX_CHUNK, MIN_CHUNK, MdModel};
use crate::finding::Span;

fn is_blank(line: &[u8]) -> bool {
    line.iter()
        .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

/// Where fenced code or an HTML block of types 1–5 is open, no chunk may start.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    None,
    Fence(u8, usize),
    Html(&'static [u8]),
    FrontMatter,
}

fn fence_of(line: &[u8]) -> Option<(u8, usize, bool)> {
    let trimmed: &[u8] = {
        let i = line
            .iter()
            .position(|b| *b != b' ' && *b != b'\t')
            .unwrap_or(line.len());
        &line[i..]
    };
    let c = *trimmed.first()?;
    if c != b'`' && c != b'~' {
        return None;
    }
    let n = trimmed.iter().take_while(|b| **b == c).count();
    if n < 3 {
        return None;
    }
    let rest = &trimmed[n..];
    let has_info = !is_blank(rest);
    Some((c, n, has_info))
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

fn html_block_end(line: &[u8]) -> Option<&'static [u8]> {
    let i = line
        .iter()
        .position(|b| *b != b' ' && *b != b'\t')
        .unwrap_or(line.len());
    let t = &line[i..];
    let lower: Vec<u8> = t.iter().take(12).map(|b| b.to_ascii_lowercase()).collect();
    for (open, close) in [
        (&b"<script"[..], &b"</script>"[..]),
        (b"<pre", b"</pre>"),
        (b"<style", b"</style>"),
        (b"<textarea", b"</textarea>"),
        (b"<?", b"?>"),
        (b"<![cdata[", b"]]>"),
    ] {
        if lower.starts_with(open) {
            return Some(close);
        }
    }
    if lower.starts_with(b"<!") && lower.get(2).is_some_and(|b| b.is_ascii_alphabetic()) {
        return Some(b">");
    }
    None
}

/// Byte offsets where chunks start (always including 0). A chunk may start at a line
/// that follows a blank line, begins at column 0 with `#` or a letter (not a list
/// marker, quote, table, HTML, link definition or footnote), outside fenced code, HTML
/// blocks, comments and front matter — a line where every open block has ended.
/// Conservative: when in doubt, no cut.
pub fn chunk_starts(text: &str) -> Vec<usize> {
    chunk_cuts(text).0
}

/// [`chunk_starts`], and the starts among them that were forced (see [`MAX_CHUNK`]).
pub fn chunk_cuts(text: &str) -> (Vec<usize>, Vec<usize>) {
    let b = text.as_bytes();
    let mut starts = vec![0];
    let mut forced = Vec::new();
    let mut open = Open::None;
    let mut prev_blank = false;
    let mut pos = 0;
    let mut line_no = 0;
    while pos < b.len() {
        let mut end = pos;
        while end < b.len() && b[end] != b'\n' && b[end] != b'\r' {
            end += 1;
        }
        let line = &b[pos..end];
        let next = if b.get(end) == Some(&b'\r') && b.get(end + 1) == Some(&b'\n') {
            end + 2
        } else {
            end + 1
        };
        let blank = is_blank(line);
        match open {
            Open::FrontMatter => {
                if line_no > 0 && (line == b"---" || line == b"...") {
                    open = Open::None;
                }
            }
            Open::Fence(c, n) => {
                if let Some((c2, n2, info)) = fence_of(line)
                    && c2 == c
                    && n2 >= n
                    && !info
                {
                    open = Open::None;
                }
            }
            Open::Html(close) => {
                if contains(line, close) {
                    open = Open::None;
                }
            }
            Open::None => {
                if line_no == 0 && line == b"---" {
                    open = Open::FrontMatter;
                } else {
                    let first = line.first().copied().unwrap_or(b' ');
                    let candidate = prev_blank
                        && !blank
                        && (first == b'#' || first.is_ascii_alphabetic() || first >= 0x80)
                        && !is_list_marker(line);
                    let last = starts.last().copied().unwrap_or(0);
                    if candidate && pos - last >= MIN_CHUNK {
                        starts.push(pos);
                    } else if end - last > MAX_CHUNK
                        && !line.contains(&b'<')
                        && !line.contains(&b'`')
                        && fence_of(line).is_none()
                    {
                        // Forced cuts: at this line's start if it begins with a letter
                        // (a paragraph's continuation), else after a space, before a
                        // letter, once MAX_CHUNK bytes have passed.
                        let mut last = last;
                        if pos - last >= MAX_CHUNK && !blank && first.is_ascii_alphabetic() {
                            starts.push(pos);
                            forced.push(pos);
                            last = pos;
                        }
                        let mut i = (last + MAX_CHUNK).max(pos + 1);
                        while i < end {
                            if b[i - 1] == b' ' && b[i].is_ascii_alphabetic() {
                                starts.push(i);
                                forced.push(i);
                                i += MAX_CHUNK;
                            } else {
                                i += 1;
                            }
                        }
                    }
                    if let Some((c, n, _)) = fence_of(line) {
                        open = Open::Fence(c, n);
                    } else if let Some(close) = html_block_end(line)
                        && !contains(line, close)
                    {
                        open = Open::Html(close);
                    }
                    // A comment opened anywhere and not closed on its line.
                    if open == Open::None
                        && let Some(i) = line.windows(4).rposition(|w| w == b"<!--")
                        && !contains(&line[i..], b"-->")
                    {
                        open = Open::Html(b"-->");
                    }
                }
            }
        }
        prev_blank = blank;
        pos = next.min(b.len());
        line_no += 1;
    }
    (starts, forced)
}

fn is_list_marker(line: &[u8]) -> bool {
    let digits = line.iter().take_while(|b| b.is_ascii_digit()).count();
    digits > 0 && digits <= 9 && matches!(line.get(digits), Some(b'.' | b')'))
}

/// The model of one chunk's text (offsets relative to the chunk), with its parse
/// counted in [`super::ParseStats`].
pub fn parse_chunk(slice: &str) -> MdModel {
    let mut model = MdModel::parse(slice);
    model.stats.chunks = 1;
    model.stats.max_chunk = slice.len();
    model
}

/// Join the chunks' models (each with its start offset) and record the forced cuts
/// as [`Limit::LongParagraph`].
pub fn join(parts: &[(usize, &MdModel)], forced: &[usize]) -> MdModel {
    let mut md = MdModel::join(parts);
    md.limited.extend(
        forced
            .iter()
            .map(|&at| (Limit::LongParagraph, Span::new(at, at))),
    );
    md.limited.sort_by_key(|(_, s)| *s);
    md
}

/// More chunks than this are parsed in parallel.
const PARALLEL_CHUNKS: usize = 4;

/// The Markdown model of `text`, parsed chunk by chunk (in parallel when there are
/// many): equal to what an editor's [`crate::document::Document`] of that text holds.
/// The batch path's parse: no rope, no kept chunks.
pub fn parse(text: &str) -> MdModel {
    let (starts, forced) = chunk_cuts(text);
    let piece = |k: usize| {
        let s = starts.get(k).copied().unwrap_or(text.len());
        let e = starts.get(k + 1).copied().unwrap_or(text.len());
        (s, text.get(s..e).unwrap_or(""))
    };
    let models: Vec<(usize, MdModel)> = if starts.len() > PARALLEL_CHUNKS {
        use rayon::prelude::*;
        (0..starts.len())
            .into_par_iter()
            .map(|k| {
                let (s, slice) = piece(k);
                (s, parse_chunk(slice))
            })
            .collect()
    } else {
        (0..starts.len())
            .map(|k| {
                let (s, slice) = piece(k);
                (s, parse_chunk(slice))
            })
            .collect()
    };
    let parts: Vec<(usize, &MdModel)> = models.iter().map(|(s, m)| (*s, m)).collect();
    join(&parts, &forced)
}
