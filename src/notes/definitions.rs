//! GFM/Pandoc footnote definitions (`[^label]:` and their indented continuations),
//! inline notes, and the inline regions where a marker cannot be.

use super::*;

// ---------------------------------------------------------------------------------
// Footnote definitions

pub(super) struct Defs {
    pub(super) defs: Vec<Definition>,
    /// Non-prose inside definitions.
    pub(super) skip: Vec<Span>,
    /// Paragraph text inside definitions, for the inline skip pass.
    pub(super) runs: Vec<Span>,
}

pub(super) struct Open {
    pub(super) def: usize,
    pub(super) quotes: usize,
    /// Column of the `[`.
    pub(super) base: usize,
    pub(super) head_end: usize,
    pub(super) content_start: Option<usize>,
    pub(super) last_end: usize,
    pub(super) para_open: bool,
    pub(super) pending_blank: bool,
    pub(super) fence: Option<(u8, usize)>,
    /// Prose runs (paragraph text) for the inline skip pass.
    pub(super) runs: Vec<Span>,
    pub(super) last_was_prose: bool,
}

impl Open {
    pub(super) fn prose(&mut self, start: usize, end: usize) {
        match self.runs.last_mut() {
            Some(r) if self.last_was_prose => r.end = end,
            _ => self.runs.push(Span::new(start, end)),
        }
        self.last_was_prose = true;
        self.para_open = true;
        self.pending_blank = false;
        self.content_start.get_or_insert(start);
        self.last_end = end;
    }
    /// A code line: `start` is the line's start, `first` its first non-blank byte.
    pub(super) fn code(&mut self, start: usize, first: usize, end: usize, skip: &mut Vec<Span>) {
        skip.push(Span::new(start, end));
        self.last_was_prose = false;
        self.para_open = false;
        self.pending_blank = false;
        self.content_start.get_or_insert(first);
        self.last_end = end;
    }
}

pub(super) fn scan_definitions(text: &str, md: &MdModel, lines: &[Line]) -> Defs {
    let b = text.as_bytes();
    let mut out = Defs {
        defs: Vec::new(),
        skip: Vec::new(),
        runs: Vec::new(),
    };
    // Quick reject: no `[^` anywhere.
    if !text.contains("[^") {
        return out;
    }
    let mut open: Option<Open> = None;
    for line in lines {
        let (start, end) = (line.start, line.end);
        if let Some(o) = open.as_mut() {
            let (k, qpos, qcol) = strip_quotes(b, start, end, o.quotes);
            let (fpos, fcol) = skip_ws(b, qpos, end, qcol);
            let blank = fpos >= end;
            if blank {
                if k < o.quotes {
                    close(o, &mut out);
                    open = None;
                } else {
                    o.pending_blank = true;
                    o.para_open = false;
                    o.last_was_prose = false;
                }
                continue;
            }
            if k == o.quotes && fcol >= o.base + 4 {
                let content_col = o.base + 4;
                let rel = fcol - content_col;
                if let Some(f) = o.fence {
                    if rel < 4 && fence_close(b, fpos, end, f) {
                        o.fence = None;
                    }
                    o.code(start, fpos, end, &mut out.skip);
                } else if rel >= 4 && (!o.para_open || o.pending_blank) {
                    o.code(start, fpos, end, &mut out.skip);
                } else if let Some(f) = fence_open(b, fpos, end).filter(|_| rel < 4) {
                    o.fence = Some(f);
                    o.code(start, fpos, end, &mut out.skip);
                } else {
                    o.prose(fpos, end);
                }
                continue;
            }
            if !o.pending_blank
                && o.para_open
                && o.fence.is_none()
                && !starts_block(b, fpos, end, fcol.saturating_sub(qcol))
            {
                // Lazy continuation of the definition's paragraph.
                o.prose(fpos, end);
                continue;
            }
            close(o, &mut out);
            open = None;
        }
        // Outside any definition: does one start here?
        let (k, qpos, qcol) = strip_quotes(b, start, end, 16);
        let (mut fpos, mut fcol) = skip_ws(b, qpos, end, qcol);
        if fcol - qcol > 3 || fpos >= end {
            continue;
        }
        if at(b, fpos) != b'[' {
            let Some(after) = list_marker(b, fpos, end) else {
                continue;
            };
            let marker_cols = after - fpos;
            let (p, c) = skip_ws(b, after, end, fcol + marker_cols);
            if c - (fcol + marker_cols) > 4 || c == fcol + marker_cols {
                continue;
            }
            fpos = p;
            fcol = c;
        }
        let Some((ls, le, after_colon)) = def_head(b, fpos, end) else {
            continue;
        };
        // Block structure decides: only code blocks, HTML blocks and front matter hide a
        // definition (the Markdown parser may take the line for a link definition).
        if in_code_block(md, fpos) || md.front_matter.is_some_and(|f| f.contains(fpos)) {
            continue;
        }
        let mut o = start_def(b, &mut out, fpos, ls, le, after_colon, k, fcol);
        first_line_content(b, &mut out, &mut o, after_colon, end);
        open = Some(o);
    }
    if let Some(o) = open.as_mut() {
        close(o, &mut out);
    }
    for r in std::mem::take(&mut out.runs) {
        inline_skips(b, r, &mut out.skip);
    }
    out
}

pub(super) fn in_code_block(md: &MdModel, pos: usize) -> bool {
    md.block_at(pos)
        .is_some_and(|bl| matches!(bl.kind, BlockKind::CodeBlock | BlockKind::Html))
}

#[allow(clippy::too_many_arguments)]
pub(super) fn start_def(
    b: &[u8],
    out: &mut Defs,
    at_pos: usize,
    ls: usize,
    le: usize,
    after_colon: usize,
    quotes: usize,
    base: usize,
) -> Open {
    let label = String::from_utf8_lossy(b.get(ls..le).unwrap_or(&[])).into_owned();
    out.defs.push(Definition {
        style: NoteStyle::Footnote,
        span: Span::new(at_pos, after_colon),
        number: parse_number(&label),
        label,
        label_span: Span::new(ls, le),
        content: Span::new(after_colon, after_colon),
        section: None,
        duplicate_of: None,
    });
    Open {
        def: out.defs.len() - 1,
        quotes,
        base,
        head_end: after_colon,
        content_start: None,
        last_end: after_colon,
        para_open: false,
        pending_blank: false,
        fence: None,
        runs: Vec::new(),
        last_was_prose: false,
    }
}

/// The rest of a definition's first line after `]:`.
pub(super) fn first_line_content(
    b: &[u8],
    out: &mut Defs,
    o: &mut Open,
    after_colon: usize,
    end: usize,
) {
    let (p, _) = skip_ws(b, after_colon, end, 0);
    if p >= end {
        return;
    }
    // `[^a]:[^b]: …` — a second definition on the same line ends the first (empty).
    if let Some((ls, le, ac)) = def_head(b, p, end) {
        let (quotes, base) = (o.quotes, o.base);
        close(o, out);
        *o = start_def(b, out, p, ls, le, ac, quotes, base);
        first_line_content(b, out, o, ac, end);
        return;
    }
    if let Some(f) = fence_open(b, p, end) {
        o.fence = Some(f);
        o.code(p, p, end, &mut out.skip);
    } else {
        o.prose(p, end);
    }
}

pub(super) fn close(o: &mut Open, out: &mut Defs) {
    let b_end = o.last_end.max(o.head_end);
    if let Some(d) = out.defs.get_mut(o.def) {
        d.span.end = b_end;
        d.content = match o.content_start {
            Some(s) if s < b_end => Span::new(s, b_end),
            _ => Span::new(o.head_end, o.head_end),
        };
    }
    out.runs.append(&mut o.runs);
}

// ---------------------------------------------------------------------------------
// Inline constructs that are not prose (inside definitions, where md cannot be trusted)

/// Code spans, HTML comments and tags, autolinks and inline link destinations in `span`.
pub(super) fn inline_skips(b: &[u8], span: Span, out: &mut Vec<Span>) {
    // For each backtick-run length, the position from which no run of that length follows.
    let mut no_close_from: HashMap<usize, usize> = HashMap::new();
    let mut i = span.start;
    while i < span.end {
        match at(b, i) {
            b'\\' => i += 2,
            b'`' => {
                let mut j = i;
                while j < span.end && at(b, j) == b'`' {
                    j += 1;
                }
                let run = j - i;
                let close = if no_close_from.get(&run).is_some_and(|&p| p <= j) {
                    None
                } else {
                    find_backtick_run(b, j, span.end, run)
                };
                match close {
                    Some(e) => {
                        out.push(Span::new(i, e));
                        i = e;
                    }
                    None => {
                        no_close_from.insert(run, j);
                        i = j;
                    }
                }
            }
            b'<' => match html_or_autolink(b, i, span.end) {
                Some(e) => {
                    out.push(Span::new(i, e));
                    i = e;
                }
                None => i += 1,
            },
            b']' if at(b, i + 1) == b'(' => match inline_link_tail(b, i + 1, span.end) {
                Some(e) => {
                    out.push(Span::new(i + 2, e.saturating_sub(1).max(i + 2)));
                    i = e;
                }
                None => i += 1,
            },
            _ => i += 1,
        }
    }
}

/// The end of the next run of exactly `run` backticks from `from`.
pub(super) fn find_backtick_run(b: &[u8], from: usize, end: usize, run: usize) -> Option<usize> {
    let mut k = from;
    while k < end {
        if at(b, k) == b'`' {
            let s = k;
            while k < end && at(b, k) == b'`' {
                k += 1;
            }
            if k - s == run {
                return Some(k);
            }
        } else {
            k += 1;
        }
    }
    None
}

/// An HTML comment, tag or autolink starting at `i`: its end.
pub(super) fn html_or_autolink(b: &[u8], i: usize, end: usize) -> Option<usize> {
    let rest = b.get(i..end)?;
    if rest.starts_with(b"<!--") {
        let body = rest.get(4..)?;
        return body
            .windows(3)
            .position(|w| w == b"-->")
            .map(|p| i + 4 + p + 3);
    }
    let c1 = *rest.get(1)?;
    let is_tag = c1.is_ascii_alphabetic()
        || (c1 == b'/' && rest.get(2).is_some_and(|c| c.is_ascii_alphabetic()))
        || c1 == b'!'
        || c1 == b'?';
    if !is_tag {
        return None;
    }
    // A tag or autolink ends at the first `>`; neither contains `<` or a blank line.
    for (k, &c) in rest.iter().enumerate().skip(1).take(2000) {
        match c {
            b'>' => return Some(i + k + 1),
            b'<' => return None,
            b'\n' if rest.get(k + 1) == Some(&b'\n') => return None,
            _ => {}
        }
    }
    None
}

/// A valid inline-link tail `(destination "title")` starting at the `(` at `p`: its end.
pub(super) fn inline_link_tail(b: &[u8], p: usize, end: usize) -> Option<usize> {
    inline_link_tail_reach(b, p, end).0
}

/// [`inline_link_tail`], and how far it read: no byte at or after the second number
/// (for the scan's parts kept across versions, `kept.rs`).
pub(super) fn inline_link_tail_reach(b: &[u8], p: usize, end: usize) -> (Option<usize>, usize) {
    pub(super) fn ws(b: &[u8], mut i: usize, end: usize) -> usize {
        let mut newlines = 0;
        while i < end {
            match at(b, i) {
                b' ' | b'\t' => i += 1,
                b'\n' | b'\r' if newlines == 0 => {
                    newlines += 1;
                    i += 1;
                }
                _ => break,
            }
        }
        i
    }
    if at(b, p) != b'(' {
        return (None, p + 1);
    }
    let mut i = ws(b, p + 1, end);
    if at(b, i) == b')' {
        return (Some(i + 1), i + 2);
    }
    if at(b, i) == b'<' {
        i += 1;
        loop {
            match at(b, i) {
                b'>' => {
                    i += 1;
                    break;
                }
                b'\\' => i += 2,
                b'\n' | b'\r' | b'<' | 0 => return (None, i + 2),
                _ => i += 1,
            }
            if i >= end {
                return (None, i + 2);
            }
        }
    } else {
        let mut depth = 0usize;
        let start = i;
        while i < end {
            let c = at(b, i);
            if c == b'\\' && at(b, i + 1).is_ascii_punctuation() {
                i += 2;
                continue;
            }
            if c <= b' ' {
                break;
            }
            if c == b'(' {
                depth += 1;
                if depth > 32 {
                    return (None, i + 2);
                }
            } else if c == b')' {
                if depth == 0 {
                    break;
                }
                depth -= 1;
            }
            i += 1;
        }
        if depth != 0 || i == start {
            return (None, i + 2);
        }
    }
    let before_title = i;
    i = ws(b, i, end);
    if at(b, i) == b')' {
        return (Some(i + 1), i + 2);
    }
    if i == before_title {
        return (None, i + 2);
    }
    let close = match at(b, i) {
        b'"' => b'"',
        b'\'' => b'\'',
        b'(' => b')',
        _ => return (None, i + 2),
    };
    i += 1;
    while i < end && at(b, i) != close {
        if at(b, i) == b'\\' {
            i += 1;
        }
        i += 1;
    }
    if i >= end {
        return (None, i + 2);
    }
    i = ws(b, i + 1, end);
    ((at(b, i) == b')').then_some(i + 1), i + 2)
}

/// Labels of the link reference definitions (`[x]: url`), normalised.
pub(super) fn link_reference_labels(text: &str, md: &MdModel) -> HashSet<String> {
    md.blocks
        .iter()
        .filter(|bl| bl.kind == BlockKind::LinkReferenceDefinition)
        .filter_map(|bl| {
            let s = bl.span.slice(text);
            let open = s.find('[')?;
            let close = s.get(open..)?.find("]:")? + open;
            let label = s.get(open + 1..close)?;
            (!label.starts_with('^')).then(|| label_key(label))
        })
        .collect()
}
