//! Notes sections: a heading such as "Notes" followed by numbered entries, and the
//! chapter each section belongs to.

use super::*;

// ---------------------------------------------------------------------------------
// Notes sections

pub(super) const NOTES_TITLES: &[&str] = &[
    "notes",
    "note",
    "endnotes",
    "end notes",
    "footnotes",
    "references",
    "sources",
    "citations",
    "source notes",
    "notes and references",
    "references and notes",
    "notes and sources",
    "sources and notes",
];

/// Whether a heading or bold line is a Notes section title.
pub fn is_notes_title(title: &str) -> bool {
    let mut t = title.trim();
    t = t.trim_matches(|c| c == '*' || c == '_').trim();
    t = t.trim_end_matches([':', '.']).trim();
    t = t.trim_matches(|c| c == '*' || c == '_').trim();
    // An optional section number: "11. Notes", "IV Notes".
    if let Some((first, rest)) = t.split_once(char::is_whitespace) {
        let first = first.trim_end_matches(['.', ')']);
        if !first.is_empty()
            && (first.bytes().all(|c| c.is_ascii_digit())
                || first.bytes().all(|c| b"IVXLC".contains(&c)))
        {
            t = rest.trim();
        }
    }
    let norm = t
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    NOTES_TITLES.contains(&norm.as_str())
}

/// The title of a bold-only line (`**Notes**`, `__Notes:__`, `**Notes**:`), if it is one.
pub(super) fn bold_line_title(line: &str) -> Option<&str> {
    let t = line.trim();
    let t = t.strip_suffix(':').unwrap_or(t);
    for d in ["**", "__"] {
        if let Some(inner) = t.strip_prefix(d).and_then(|x| x.strip_suffix(d))
            && !inner.contains(d)
            && !inner.trim().is_empty()
        {
            return Some(inner);
        }
    }
    None
}

/// `1.`, `1)`, `(1)` or `[1]` at `p`, followed by whitespace or the line's end:
/// (number start, number end, byte after the marker).
pub(super) fn entry_head(b: &[u8], p: usize, end: usize) -> Option<(usize, usize, usize)> {
    let (open, ns) = match at(b, p) {
        b'(' => (Some(b')'), p + 1),
        b'[' => (Some(b']'), p + 1),
        _ => (None, p),
    };
    let mut ne = ns;
    while ne < end && at(b, ne).is_ascii_digit() {
        ne += 1;
    }
    if ne == ns || ne - ns > 4 {
        return None;
    }
    let after = match open {
        Some(c) => (at(b, ne) == c).then_some(ne + 1)?,
        None => matches!(at(b, ne), b'.' | b')').then_some(ne + 1)?,
    };
    if after < end && !matches!(at(b, after), b' ' | b'\t') {
        return None;
    }
    Some((ns, ne, after))
}

pub(super) fn find_sections(
    text: &str,
    md: &MdModel,
    lines: &[Line],
    def_regions: &[Span],
) -> Vec<(NotesSection, Vec<Definition>)> {
    let b = text.as_bytes();
    // (title span, body start, range end, title)
    let mut titles: Vec<(Span, usize, usize, String)> = Vec::new();
    for (hi, h) in md.headings.iter().enumerate() {
        if !is_notes_title(&h.text) {
            continue;
        }
        let range_end = md.section_end(hi, text.len());
        titles.push((h.span, h.span.end, range_end, h.text.clone()));
    }
    for bl in md
        .blocks
        .iter()
        .filter(|bl| bl.kind == BlockKind::Paragraph)
    {
        let starts_bold = text
            .get(bl.span.start..)
            .is_some_and(|t| t.starts_with("**") || t.starts_with("__"));
        if bl.quote_depth > 0 || bl.list_depth > 0 || !starts_bold {
            continue;
        }
        let first_line_end = text
            .get(bl.span.start..bl.span.end)
            .and_then(|s| s.find(['\n', '\r']))
            .map(|i| bl.span.start + i)
            .unwrap_or(bl.span.end);
        let Some(title) = text
            .get(bl.span.start..first_line_end)
            .and_then(bold_line_title)
        else {
            continue;
        };
        if !is_notes_title(title) {
            continue;
        }
        let next_heading = md
            .headings
            .iter()
            .find(|h| h.span.start > bl.span.start)
            .map(|h| h.span.start)
            .unwrap_or(text.len());
        titles.push((
            Span::new(bl.span.start, first_line_end),
            first_line_end,
            next_heading,
            title.trim().trim_end_matches(':').trim().to_string(),
        ));
    }
    titles.sort_by_key(|t| t.0.start);
    let mut out: Vec<(NotesSection, Vec<Definition>)> = Vec::new();
    let mut covered_to = 0;
    for (heading, body, range_end, title) in titles {
        if heading.start < covered_to {
            continue;
        }
        let entries = parse_entries(b, md, lines, body, range_end, def_regions);
        if entries.is_empty() {
            continue;
        }
        covered_to = range_end;
        // Per-chapter notes: subheadings after which the numbering starts again split
        // the section into one group per chapter.
        let subheadings: Vec<&crate::markdown::Heading> = md
            .headings
            .iter()
            .filter(|h| h.span.start >= body && h.span.start < range_end)
            .collect();
        let restarts = subheadings.iter().any(|h| {
            let before = entries
                .iter()
                .filter(|d| d.span.start < h.span.start)
                .filter_map(|d| d.number)
                .max();
            let first_after = entries
                .iter()
                .find(|d| d.span.start > h.span.start)
                .and_then(|d| d.number);
            matches!((before, first_after), (Some(x), Some(y)) if y <= x)
        });
        let mut groups: Vec<(Span, String, Option<String>, Vec<Definition>)> =
            vec![(heading, title.clone(), None, Vec::new())];
        let mut bounds = subheadings.iter().peekable();
        for d in entries {
            if restarts {
                while let Some(h) = bounds.next_if(|h| h.span.start < d.span.start) {
                    groups.push((
                        h.span,
                        format!("{title} ({})", h.text),
                        Some(h.text.clone()),
                        Vec::new(),
                    ));
                }
            }
            if let Some(g) = groups.last_mut() {
                g.3.push(d);
            }
        }
        for (heading, title, chapter, entries) in groups {
            let Some(last) = entries.last() else {
                continue;
            };
            out.push((
                NotesSection {
                    span: Span::new(heading.start, last.span.end),
                    heading,
                    title,
                    chapter,
                    entries: Vec::new(),
                },
                entries,
            ));
        }
    }
    out
}

/// A chapter title, normalised for matching a notes group to its chapter's heading.
pub(super) fn chapter_key(title: &str) -> String {
    title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches([':', '.'])
        .to_lowercase()
}

/// Whether a heading of the text names the chapter of a notes group.
pub(super) fn same_chapter(heading: &str, chapter: &str) -> bool {
    let (h, c) = (chapter_key(heading), chapter_key(chapter));
    if h.is_empty() || c.is_empty() {
        return false;
    }
    let prefixed = |long: &str, short: &str| {
        long.strip_prefix(short)
            .is_some_and(|rest| rest.starts_with([':', ' ', '.']))
    };
    h == c || prefixed(&h, &c) || prefixed(&c, &h)
}

pub(super) struct Entry {
    pub(super) start: usize,
    pub(super) ns: usize,
    pub(super) ne: usize,
    pub(super) after: usize,
    pub(super) content_start: Option<usize>,
    pub(super) last_end: usize,
}

pub(super) fn parse_entries(
    b: &[u8],
    md: &MdModel,
    lines: &[Line],
    from: usize,
    to: usize,
    def_regions: &[Span],
) -> Vec<Definition> {
    let mut out = Vec::new();
    let mut cur: Option<Entry> = None;
    let mut pending_blank = false;
    let first = lines.partition_point(|l| l.start < from);
    for l in lines.get(first..).unwrap_or(&[]) {
        if l.start >= to {
            break;
        }
        let (fpos, fcol) = skip_ws(b, l.start, l.end, 0);
        if fpos >= l.end {
            pending_blank = true;
            continue;
        }
        let code = md.is_skipped(fpos) && in_code_block(md, fpos);
        let head = if fcol <= 3 && !code && !in_spans(def_regions, fpos) {
            entry_head(b, fpos, l.end)
        } else {
            None
        };
        if let Some((ns, ne, after)) = head {
            if let Some(e) = cur.take() {
                out.push(entry_definition(b, e));
            }
            let (cs, _) = skip_ws(b, after, l.end, 0);
            cur = Some(Entry {
                start: fpos,
                ns,
                ne,
                after,
                content_start: (cs < l.end).then_some(cs),
                last_end: l.end,
            });
            pending_blank = false;
            continue;
        }
        if let Some(e) = cur.as_mut() {
            let ends = if pending_blank {
                fcol < 2 && !code
            } else {
                fcol < 4 && !code && (is_thematic_break(b, fpos, l.end) || at(b, fpos) == b'#')
            };
            if ends {
                if let Some(e) = cur.take() {
                    out.push(entry_definition(b, e));
                }
            } else {
                e.content_start.get_or_insert(fpos);
                e.last_end = l.end;
            }
        }
        pending_blank = false;
    }
    if let Some(e) = cur.take() {
        out.push(entry_definition(b, e));
    }
    out
}

pub(super) fn entry_definition(b: &[u8], e: Entry) -> Definition {
    let label = String::from_utf8_lossy(b.get(e.ns..e.ne).unwrap_or(&[])).into_owned();
    let end = e.last_end.max(e.after);
    Definition {
        style: NoteStyle::Endnote,
        span: Span::new(e.start, end),
        number: parse_number(&label),
        label,
        label_span: Span::new(e.ns, e.ne),
        content: match e.content_start {
            Some(s) if s < end => Span::new(s, end),
            _ => Span::new(e.after.min(end), e.after.min(end)),
        },
        section: None,
        duplicate_of: None,
    }
}
