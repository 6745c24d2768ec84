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
    // Every opening below starts with `<`: most lines are done here, with no copy.
    if t.first() != Some(&b'<') {
        return None;
    }
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
    let c = Cuts::of(text);
    (c.starts, c.forced)
}

/// A text's cuts ([`chunk_cuts`]), kept by an editor's document so that the next
/// version's are found by scanning only around the edit ([`Cuts::after_edit`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cuts {
    pub starts: Vec<usize>,
    pub forced: Vec<usize>,
    /// The link reference definitions met (lines that may be one: footnote
    /// definitions too), each label's first, where it is, in order.
    defs: Vec<(usize, u64)>,
    /// A label was defined twice (then cuts between the two were undone, and the next
    /// version is cut afresh).
    dup: bool,
}

/// The scan's state before a line.
struct Scan<'a> {
    b: &'a [u8],
    starts: Vec<usize>,
    forced: Vec<usize>,
    open: Open,
    prev_blank: bool,
    /// Link reference definitions by label, where each was first written: a label
    /// defined again later must stay in the first one's chunk (see [`def_label`]).
    labels: std::collections::HashMap<u64, usize>,
    /// The first definitions this scan met, in order.
    defs: Vec<(usize, u64)>,
    dup: bool,
}

impl Cuts {
    /// The cuts of `text`, scanned whole.
    pub fn of(text: &str) -> Cuts {
        // No cut inside the front matter (the only metadata block the parse reads).
        let pos = super::build::front_matter_len(text).unwrap_or(0);
        let mut scan = Scan::new(text.as_bytes(), vec![0], Vec::new(), false);
        let mut pos = pos;
        while pos < text.len() {
            pos = scan.line(pos);
        }
        scan.done()
    }

    /// The cuts of `new`, a version of `old` (whose cuts these are): equal to
    /// [`Cuts::of`]`(new)`, found by scanning from the last cut before the first byte
    /// that differs to the first cut after the last one where the scan agrees with the
    /// old one again (then the rest are the old cuts, moved). Also how many bytes were
    /// scanned. Scanned whole when a label was defined twice (its second definition
    /// undoes cuts anywhere before: in the old text, or by the edit) or the front
    /// matter changed.
    pub fn after_edit(&self, old: &str, new: &str) -> (Cuts, usize) {
        let (ob, nb) = (old.as_bytes(), new.as_bytes());
        let p = common_prefix(ob, nb);
        let suffix = common_suffix(&ob[p..], &nb[p..]);
        let q1 = nb.len() - suffix;
        let front = super::build::front_matter_len(new).unwrap_or(0);
        if self.dup
            || front != super::build::front_matter_len(old).unwrap_or(0)
            || p < front
            || self.starts.first() != Some(&0)
        {
            return (Cuts::of(new), new.len());
        }
        if p == ob.len() && p == nb.len() {
            return (self.clone(), 0);
        }
        // The last cut before `p` that a blank line made (not a forced one): the scan's
        // state there is known (outside any block, after a blank line, the labels
        // defined before it), and nothing up to it changed, its first byte included (a
        // `\r` before it ends the same line).
        let k = self.starts.partition_point(|&s| s < p);
        let resume = (1..k)
            .rev()
            .filter_map(|i| self.starts.get(i).copied())
            .find(|s| self.forced.binary_search(s).is_err() && *s >= front);
        let (mut scan, mut pos) = match resume {
            Some(s0) => {
                let keep = self.starts.partition_point(|&s| s < s0);
                let keep_forced = self.forced.partition_point(|&s| s < s0);
                let starts = self.starts.get(..keep).unwrap_or(&[]).to_vec();
                let forced = self.forced.get(..keep_forced).unwrap_or(&[]).to_vec();
                let mut scan = Scan::new(nb, starts, forced, true);
                // The labels defined before: the scan there knew them.
                let before = self.defs.partition_point(|(at, _)| *at < s0);
                for &(at, key) in self.defs.get(..before).unwrap_or(&[]) {
                    scan.labels.insert(key, at);
                }
                (scan, s0)
            }
            None => (Scan::new(nb, vec![0], Vec::new(), false), front),
        };
        let from = pos;
        let delta = nb.len() as isize - ob.len() as isize;
        while pos < nb.len() {
            let before = scan.starts.len();
            let next = scan.line(pos);
            if scan.dup {
                return (Cuts::of(new), new.len());
            }
            // A cut made here by a blank line, past the edit, where the old scan made
            // one too: from here the two scans read the same text in the same state.
            let pushed_here = scan.starts.len() == before + 1
                && scan.starts.last() == Some(&pos)
                && scan.forced.last() != Some(&pos);
            if pushed_here && pos >= q1 {
                let old_pos = pos as isize - delta;
                let i = usize::try_from(old_pos)
                    .ok()
                    .and_then(|o| self.starts.binary_search(&o).ok().map(|i| (o, i)));
                if let Some((o, i)) = i
                    && self.forced.binary_search(&o).is_err()
                {
                    let shift = |s: &usize| (*s as isize + delta) as usize;
                    scan.starts
                        .extend(self.starts.get(i + 1..).unwrap_or(&[]).iter().map(shift));
                    let f = self.forced.partition_point(|&s| s <= o);
                    scan.forced
                        .extend(self.forced.get(f..).unwrap_or(&[]).iter().map(shift));
                    // The definitions after: still each label's first, unless the
                    // edit defined one of their labels (then cut afresh).
                    let d = self.defs.partition_point(|(at, _)| *at <= o);
                    let after = self.defs.get(d..).unwrap_or(&[]);
                    if after.iter().any(|(_, key)| scan.labels.contains_key(key)) {
                        return (Cuts::of(new), new.len());
                    }
                    let prefix =
                        resume.map_or(0, |s0| self.defs.partition_point(|(at, _)| *at < s0));
                    let mut defs = self.defs.get(..prefix).unwrap_or(&[]).to_vec();
                    defs.append(&mut scan.defs);
                    defs.extend(after.iter().map(|(at, key)| (shift(at), *key)));
                    scan.defs = defs;
                    return (scan.done(), next - from);
                }
            }
            pos = next;
        }
        let prefix = resume.map_or(0, |s0| self.defs.partition_point(|(at, _)| *at < s0));
        let mut defs = self.defs.get(..prefix).unwrap_or(&[]).to_vec();
        defs.append(&mut scan.defs);
        scan.defs = defs;
        (scan.done(), nb.len() - from)
    }
}

/// How many leading bytes `a` and `b` share (compared a block at a time).
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 256;
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + BLOCK <= n && a.get(i..i + BLOCK) == b.get(i..i + BLOCK) {
        i += BLOCK;
    }
    while i < n && a.get(i) == b.get(i) {
        i += 1;
    }
    i
}

/// How many trailing bytes `a` and `b` share.
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 256;
    let n = a.len().min(b.len());
    let (la, lb) = (a.len(), b.len());
    let mut i = 0;
    while i + BLOCK <= n && a.get(la - i - BLOCK..la - i) == b.get(lb - i - BLOCK..lb - i) {
        i += BLOCK;
    }
    while i < n && a.get(la - i - 1) == b.get(lb - i - 1) {
        i += 1;
    }
    i
}

impl<'a> Scan<'a> {
    fn new(b: &'a [u8], starts: Vec<usize>, forced: Vec<usize>, prev_blank: bool) -> Scan<'a> {
        Scan {
            b,
            starts,
            forced,
            open: Open::None,
            prev_blank,
            labels: std::collections::HashMap::new(),
            defs: Vec::new(),
            dup: false,
        }
    }

    fn done(self) -> Cuts {
        Cuts {
            starts: self.starts,
            forced: self.forced,
            defs: self.defs,
            dup: self.dup,
        }
    }

    /// Read the line at `pos`; where the next one starts.
    fn line(&mut self, pos: usize) -> usize {
        let b = self.b;
        let starts = &mut self.starts;
        let forced = &mut self.forced;
        let labels = &mut self.labels;
        let mut open = self.open;
        let prev_blank = self.prev_blank;
        let end = memchr::memchr2(b'\n', b'\r', &b[pos..]).map_or(b.len(), |i| pos + i);
        let line = &b[pos..end];
        let next = if b.get(end) == Some(&b'\r') && b.get(end + 1) == Some(&b'\n') {
            end + 2
        } else {
            end + 1
        };
        let blank = is_blank(line);
        match open {
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
                if let Some(label) = def_key(line) {
                    match labels.get(&label) {
                        // The same label defined again: the parse of a whole text keeps
                        // only the first definition (a second is no block at all), the
                        // parse of a chunk without the first would keep the second. No
                        // cut between them, so that both parses agree (forced cuts
                        // apart: they bound the parse of a long paragraph).
                        Some(&first) => {
                            self.dup = true;
                            while let Some(&last) = starts.last() {
                                if last <= first || forced.last() == Some(&last) {
                                    break;
                                }
                                starts.pop();
                            }
                        }
                        None => {
                            labels.insert(label, pos);
                            self.defs.push((pos, label));
                        }
                    }
                }
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
                // A comment opened anywhere and not closed on its line. (Most lines have
                // no `<`: one memchr, no searcher built for them.)
                if open == Open::None
                    && memchr::memchr(b'<', line).is_some()
                    && let Some(i) = memchr::memmem::rfind(line, b"<!--")
                    && !contains(&line[i..], b"-->")
                {
                    open = Open::Html(b"-->");
                }
            }
        }
        self.open = open;
        self.prev_blank = blank;
        next.min(b.len())
    }
}

/// The label of a line that may open a link reference definition (`[label]:`, at most
/// three spaces in), white space squashed and compared without case as the parser
/// compares labels. May say so of a line that is no definition: that only costs a cut.
#[cfg(test)]
fn def_label(line: &[u8]) -> Option<unicase::UniCase<String>> {
    let label = String::from_utf8_lossy(def_label_bytes(line)?);
    let label = label.split_whitespace().collect::<Vec<_>>().join(" ");
    (!label.is_empty()).then(|| unicase::UniCase::new(label))
}

/// [`def_label`] as a number, with no copy: the hash of its words, each without case.
/// Equal labels have equal keys; two labels with one key (a collision) are taken for
/// one, which only costs cuts.
fn def_key(line: &[u8]) -> Option<u64> {
    use std::hash::{Hash, Hasher};
    let label = String::from_utf8_lossy(def_label_bytes(line)?);
    // A fixed hasher: the cuts are a pure function of the text.
    let mut h = std::hash::DefaultHasher::new();
    let mut words = 0;
    for w in label.split_whitespace() {
        unicase::UniCase::new(w).hash(&mut h);
        // Between words (no UTF-8 byte): "ab c" and "a bc" hash apart.
        h.write_u8(0xff);
        words += 1;
    }
    (words > 0).then(|| h.finish())
}

/// The raw label (between the brackets) of a line that may open a link reference
/// definition.
fn def_label_bytes(line: &[u8]) -> Option<&[u8]> {
    let indent = line.iter().take_while(|&&c| c == b' ').count();
    if indent > 3 || line.get(indent) != Some(&b'[') {
        return None;
    }
    let rest = line.get(indent + 1..)?;
    let mut i = 0;
    while i < rest.len() && i <= 999 {
        match rest.get(i) {
            Some(b'\\') => i += 2,
            Some(b'[') => return None,
            Some(b']') => {
                if rest.get(i + 1) != Some(&b':') {
                    return None;
                }
                return rest.get(..i);
            }
            _ => i += 1,
        }
    }
    None
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

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(m: &MdModel) -> String {
        format!("{:?}", (&m.blocks, &m.headings, &m.skip, m.front_matter))
    }

    /// A label defined twice, the definitions a chunk apart: the whole text's parse
    /// keeps only the first (found by the fuzzer: `document_edits`, chunked vs whole).
    #[test]
    fn a_label_defined_again_stays_in_the_first_definitions_chunk() {
        let paragraphs = "Kim Il Sung wrote to Stalin in March 1950.\n\n".repeat(200);
        for again in ["[Seoul]: /two", "  [ seoul ]: /two \"t\"", "[SEOUL]: /two"] {
            let text = format!("[seoul]: /one\n\n{paragraphs}{again}\n\n{paragraphs}");
            assert_eq!(
                shape(&parse(&text)),
                shape(&MdModel::parse(&text)),
                "{again}"
            );
            let (starts, _) = chunk_cuts(&text);
            assert!(starts.len() > 1, "cuts after the second definition remain");
        }
        // Another label, or none, leaves the cuts where they were.
        let other = format!("[seoul]: /one\n\n{paragraphs}[pyongyang]: /two\n\n{paragraphs}");
        let plain = format!("[seoul]: /one\n\n{paragraphs}Pyongyang.\n\n{paragraphs}");
        assert_eq!(chunk_cuts(&other).0.len(), chunk_cuts(&plain).0.len());
        assert_eq!(shape(&parse(&other)), shape(&MdModel::parse(&other)));
    }

    /// A `---` line after a blank line mid-document, then text, then a later `---`:
    /// pulldown-cmark read it as a metadata block running to that line (prose hidden,
    /// and the chunked parse, which cut inside it, disagreed; found by the fuzzer:
    /// `document_edits`, chunked vs whole). Only the text's first line opens front
    /// matter; elsewhere it is a thematic break and the prose is prose.
    #[test]
    fn a_dash_line_mid_document_is_no_front_matter() {
        let paragraphs = "Kim Il Sung wrote to Stalin in March 1950.\n\n".repeat(120);
        let text = format!(
            "# Telegram\n\n{paragraphs}---\ntitle: Shtykov to Vyshinsky\n\n{paragraphs}---\n\n{paragraphs}"
        );
        let whole = MdModel::parse(&text);
        assert_eq!(shape(&parse(&text)), shape(&whole));
        assert_eq!(whole.front_matter, None);
        let title = text.find("title: Shtykov").unwrap_or(0);
        assert!(
            !whole.is_skipped(title),
            "the line after the break is prose"
        );
        assert!(
            chunk_cuts(&text).0.len() > 2,
            "cuts on both sides of the break"
        );
        // In a block quote, too (pulldown-cmark searched the rest of the text for a
        // closing line from every such line).
        let quoted = "> ---\n> Shtykov reported.\n>\n".repeat(200);
        assert!(MdModel::parse(&quoted).skip.is_empty());
    }

    /// Front matter at the start, in each form the parser reads, is skipped and no
    /// chunk starts inside it; an unclosed one, or one whose first line is blank, is
    /// Markdown like the rest.
    #[test]
    fn front_matter_only_at_the_start() {
        let paragraphs = "Kim Il Sung wrote to Stalin in March 1950.\n\n".repeat(120);
        for (head, closed) in [
            ("---\ntitle: A\n\nnote: B\n---\n", true),
            ("---  \r\ntitle: A\r\n...  \r\n", true),
            ("+++\ntitle = 'A'\n+++\n", true),
            ("+++\ntitle = 'A'\n---\n", false),
            ("---\n\ntitle: A\n---\n", false),
            ("----\ntitle: A\n----\n", false),
            ("---\ntitle: A\n", false),
        ] {
            let text = format!("{head}{paragraphs}");
            let whole = MdModel::parse(&text);
            assert_eq!(shape(&parse(&text)), shape(&whole), "{head:?}");
            assert_eq!(whole.front_matter.is_some(), closed, "{head:?}");
            assert_eq!(
                super::super::build::front_matter_len(&text).is_some(),
                closed
            );
            if closed {
                let (starts, _) = chunk_cuts(&text);
                assert!(
                    starts.iter().all(|&s| s == 0 || s >= head.len()),
                    "{head:?}"
                );
            }
        }
    }

    /// Lines whose labels are equal (as the parser compares them) have one key;
    /// others have different keys.
    #[test]
    fn keys_of_definition_lines() {
        let key = |s: &str| def_key(s.as_bytes());
        assert_eq!(key("[a  b]: /x"), key("  [A b]: /y"));
        assert_eq!(key("[Sŏul]: /x"), key("[SŎUL]: /x"));
        assert_eq!(key("[ seoul ]: /x"), key("[seoul]: /x"));
        assert_ne!(key("[ab]: /x"), key("[a b]: /x"));
        assert_ne!(key("[a]: /x"), key("[b]: /x"));
        assert_eq!(key("[ ]: /x"), None);
        assert_eq!(key("    [a]: /x"), None);
    }

    #[test]
    fn labels_of_definition_lines() {
        let label = |s: &str| def_label(s.as_bytes()).map(|l| l.into_inner());
        assert_eq!(label("[a  b]: /x").as_deref(), Some("a b"));
        assert_eq!(label("   [a\\]b]: /x").as_deref(), Some("a\\]b"));
        assert_eq!(label("    [a]: /x"), None, "four spaces: code");
        assert_eq!(label("[a] /x"), None);
        assert_eq!(label("[a[b]: /x"), None);
        assert_eq!(label("[ ]: /x"), None);
        assert_eq!(label("[a]"), None);
    }
}

#[cfg(test)]
mod after_edit_tests {
    use super::*;

    /// A small deterministic generator (xorshift), so that a failure is reproduced.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
    }

    /// What edits insert: plain text, line breaks, the openings and closings of fences,
    /// HTML blocks and comments, headings, list markers, CRLF pieces, link reference
    /// definitions (which make the next cut a whole one), long lines.
    const PIECES: &[&str] = &[
        "a",
        " ",
        "\n",
        "\n\n",
        "\r",
        "\r\n",
        "# ",
        "```\n",
        "~~~~ rust\n",
        "<pre>\n",
        "</pre>",
        "<!-- ",
        " -->",
        "1. ",
        "> ",
        "- ",
        "Kim Il Sung wrote. ",
        "é",
        "[x]: /y\n",
        "[^9]: n\n",
        "\n[^9",
        "---\n",
    ];

    fn text(rng: &mut Rng) -> String {
        let mut t = String::new();
        let para = "Kim Il Sung wrote to Stalin in March 1950 about the army.";
        while t.len() < 60_000 {
            match rng.below(12) {
                0 => t.push_str("```\ncode\n\ncode\n```\n\n"),
                1 => t.push_str("<!-- a\n\nb -->\n\n"),
                2 => t.push_str("# Heading\n\n"),
                3 => t.push_str(&"word ".repeat(20_000)),
                4 => t.push_str("1. item\n\n2. item\n\n"),
                5 => t.push_str(&format!("[^{}]: A note.\n\n", t.len())),
                _ => {
                    t.push_str(para);
                    t.push_str("\n\n");
                }
            }
        }
        t
    }

    fn edit(rng: &mut Rng, t: &str) -> String {
        let mut at = rng.below(t.len() + 1);
        while !t.is_char_boundary(at) {
            at -= 1;
        }
        let mut end = (at + rng.below(4) * rng.below(40)).min(t.len());
        while !t.is_char_boundary(end) {
            end -= 1;
        }
        let piece = PIECES[rng.below(PIECES.len())];
        format!("{}{}{}", &t[..at], piece, &t[end..])
    }

    /// The cuts found from the last version's, over random edits (chains of them,
    /// each from the previous cuts), equal the cuts of the new text scanned whole.
    #[test]
    fn cuts_after_an_edit_equal_a_fresh_cut() {
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        for round in 0..12 {
            let mut t = text(&mut rng);
            if round % 3 == 0 {
                t.insert_str(0, "---\ntitle: A\n---\n");
            }
            let mut cuts = Cuts::of(&t);
            for step in 0..60 {
                let next = edit(&mut rng, &t);
                let (got, scanned) = cuts.after_edit(&t, &next);
                let want = Cuts::of(&next);
                assert_eq!(got, want, "round {round} step {step}");
                assert!(scanned <= next.len());
                t = next;
                cuts = got;
            }
        }
    }

    /// A one-character edit in the middle of a megabyte scans about a chunk or two,
    /// not the text: the bytes scanned are counted.
    #[test]
    fn a_keystroke_scans_around_the_edit_only() {
        let para = "Kim Il Sung wrote to Stalin in March 1950 about the army.\n\n";
        // Footnote definitions among the paragraphs, each label once.
        let t: String = (0..1_000_000 / para.len())
            .map(|i| {
                if i % 10 == 0 {
                    format!("[^{i}]: A note.\n\n")
                } else {
                    para.to_string()
                }
            })
            .collect();
        let cuts = Cuts::of(&t);
        let mid = t.len() / 2;
        for piece in ["x", "\n", "# ", "```"] {
            let next = format!("{}{piece}{}", &t[..mid], &t[mid..]);
            let (got, scanned) = cuts.after_edit(&t, &next);
            assert_eq!(got, Cuts::of(&next), "{piece:?}");
            assert!(
                scanned <= 4 * super::super::MIN_CHUNK + 2 * para.len(),
                "{piece:?}: {scanned} bytes scanned"
            );
        }
        // A fence opened and never closed: the rest of the text is scanned (it is one
        // block now), and the cuts are still right.
        let line = t[..mid].rfind('\n').map_or(0, |i| i + 1);
        let next = format!("{}```\n{}", &t[..line], &t[line..]);
        let (got, _) = cuts.after_edit(&t, &next);
        assert_eq!(got, Cuts::of(&next));
        // Nothing changed: nothing scanned.
        assert_eq!(cuts.after_edit(&t, &t), (cuts.clone(), 0));
    }
}
