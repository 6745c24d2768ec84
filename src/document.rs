//! A document open in the editor: a rope for edits, and the Markdown model kept
//! incrementally, chunk by chunk.
//!
//! ## Chunks
//! The text is cut into **chunks** at places where no Markdown block can continue (see
//! [`chunk_starts`], in `markdown::chunks`); each chunk is parsed on its own into an
//! [`MdModel`]. An edit re-parses only the chunk(s) it touches (a few KiB); every
//! other chunk keeps its model, shifted. The document's model is the chunks' models
//! joined. pulldown-cmark parses a megabyte in a few milliseconds, so this matters
//! less than it did with tree-sitter-md (hundreds of milliseconds a megabyte), but it
//! still keeps a keystroke's parse to a chunk's size.
//!
//! Chunk boundaries are a pure function of the text, and a chunk's parse depends only
//! on its own text, so an edited document equals the same text opened fresh — the
//! property the tests (and the fuzzers) check.
//!
//! Edits arrive as byte ranges (the LSP layer converts positions first, through
//! [`crate::position`]). Each edit is applied against the result of the previous one.

use crate::finding::Span;
use crate::markdown::MdModel;
use crate::markdown::chunks::{self, Cuts};
use ropey::Rope;
use std::sync::Arc;

pub use crate::markdown::{MAX_CHUNK, MIN_CHUNK, chunk_starts};

struct Chunk {
    start: usize,
    len: usize,
    /// The model of this chunk's text, offsets relative to `start`.
    model: Option<Arc<MdModel>>,
    /// Edited since the last parse.
    dirty: bool,
}

pub struct Document {
    rope: Rope,
    chunks: Vec<Chunk>,
    /// The text of the current version, shared with snapshots.
    text: Arc<str>,
    md: Arc<MdModel>,
    /// Texts longer than this are kept without a parse (see [`Document::with_parse_limit`]).
    parse_limit: usize,
    /// The chunk cuts of `text` (`None` while it is not parsed): the next version's are
    /// found from them by scanning around the edit only ([`Cuts::after_edit`]).
    cuts: Option<Cuts>,
    /// Bytes the last cut scanned (tests count it).
    cut_scanned: usize,
    pub version: i32,
}

/// An immutable view of one version, safe to analyse on another thread.
#[derive(Clone)]
pub struct Snapshot {
    pub text: Arc<str>,
    pub md: Arc<MdModel>,
    pub version: i32,
}

impl Document {
    pub fn new(text: &str, version: i32) -> Document {
        Document::with_parse_limit(text, version, usize::MAX)
    }

    /// A document whose texts over `parse_limit` bytes are not parsed: past the
    /// configured limit (`limits.max_document_bytes`) the model is
    /// [`MdModel::unparsed`] until the text shrinks, and only the notes are analysed.
    pub fn with_parse_limit(text: &str, version: i32, parse_limit: usize) -> Document {
        let mut d = Document {
            rope: Rope::from_str(text),
            chunks: Vec::new(),
            text: Arc::from(text),
            md: Arc::new(MdModel::default()),
            parse_limit,
            cuts: None,
            cut_scanned: 0,
            version,
        };
        d.rechunk(None);
        d
    }

    pub fn text(&self) -> &Arc<str> {
        &self.text
    }

    pub fn rope(&self) -> &Rope {
        &self.rope
    }

    /// The Markdown model of the current text.
    pub fn md(&self) -> &Arc<MdModel> {
        &self.md
    }

    /// The chunks' byte ranges, for tests and tools.
    pub fn chunk_spans(&self) -> impl Iterator<Item = Span> + '_ {
        self.chunks
            .iter()
            .map(|c| Span::new(c.start, c.start + c.len))
    }

    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            text: self.text.clone(),
            md: self.md.clone(),
            version: self.version,
        }
    }

    /// Replace the whole text (a full-sync change) and parse from scratch.
    pub fn replace_all(&mut self, text: &str) {
        self.rope = Rope::from_str(text);
        self.chunks.clear();
        self.reparse();
    }

    /// Apply a batch of byte-range edits in order (each against the result of the
    /// previous one), then reparse once. Ranges are clamped to the text and snapped to
    /// character boundaries, so no input can make this panic.
    pub fn apply_edits(&mut self, edits: &[(Span, String)]) {
        if edits.is_empty() {
            return;
        }
        for (span, new_text) in edits {
            self.apply_one(*span, new_text);
        }
        self.reparse();
    }

    /// Apply one edit to the rope and the chunk trees without reparsing; call
    /// [`Document::reparse`] after the last edit of a batch. For callers whose next
    /// edit's position depends on this one's result (LSP content changes).
    pub fn edit_deferred(&mut self, span: Span, new_text: &str) {
        self.apply_one(span, new_text);
    }

    /// Bring the text, the chunks and the model up to date with the rope.
    pub fn reparse(&mut self) {
        // Sized once (`to_string` grows its buffer chunk by chunk, a megabyte copied
        // several times over).
        let mut text = String::with_capacity(self.rope.len_bytes());
        for chunk in self.rope.chunks() {
            text.push_str(chunk);
        }
        let old = std::mem::replace(&mut self.text, Arc::from(text));
        self.rechunk(Some(&old));
    }

    /// How many bytes of the text the last reparse's chunk cut scanned.
    pub fn cut_scanned(&self) -> usize {
        self.cut_scanned
    }

    fn snap_byte(&self, b: usize) -> usize {
        let b = b.min(self.rope.len_bytes());
        let c = self.rope.byte_to_char(b);
        self.rope.char_to_byte(c)
    }

    fn apply_one(&mut self, span: Span, new_text: &str) {
        let start = self.snap_byte(span.start);
        let end = self.snap_byte(span.end.max(span.start));
        // The chunk trees see the edit in their own coordinates, before the rope changes.
        self.edit_chunks(start, end, new_text);
        let start_char = self.rope.byte_to_char(start);
        let end_char = self.rope.byte_to_char(end);
        self.rope.remove(start_char..end_char);
        self.rope.insert(start_char, new_text);
    }

    /// Shift chunks after the edit and mark the touched chunk dirty (several touched
    /// chunks are merged into one).
    fn edit_chunks(&mut self, start: usize, end: usize, new_text: &str) {
        let new_len = new_text.len();
        let delta = new_len as isize - (end - start) as isize;
        // First chunk whose end reaches `start` (an insertion at a chunk's end edits it).
        let first = self
            .chunks
            .iter()
            .position(|c| c.start + c.len >= start && !(c.len == 0 && c.start < start));
        let Some(first) = first else { return };
        let mut last = first;
        while last + 1 < self.chunks.len() && self.chunks[last + 1].start < end {
            last += 1;
        }
        if first != last {
            // Merge the touched chunks: their trees cannot be reused.
            let s = self.chunks[first].start;
            let e = self.chunks[last].start + self.chunks[last].len;
            self.chunks.drain(first + 1..=last);
            let c = &mut self.chunks[first];
            c.start = s;
            c.len = e - s;
            c.model = None;
        }
        let c = &mut self.chunks[first];
        c.len = (c.len as isize + delta).max(0) as usize;
        c.dirty = true;
        c.model = None;
        for c in self.chunks.iter_mut().skip(first + 1) {
            c.start = (c.start as isize + delta).max(0) as usize;
        }
    }

    /// Recompute chunk boundaries from the text; reuse every chunk whose span is
    /// unchanged and clean, reparse edited chunks incrementally, parse new ones (in
    /// parallel when there are many, as on open).
    /// `old`: the previous text, whose cuts are kept.
    fn rechunk(&mut self, old: Option<&str>) {
        let text = self.text.clone();
        if text.len() > self.parse_limit {
            self.chunks.clear();
            self.cuts = None;
            self.md = Arc::new(MdModel::unparsed(&text));
            return;
        }
        let (cuts, scanned) = match (self.cuts.as_ref(), old) {
            (Some(c), Some(old)) => c.after_edit(old, &text),
            _ => (Cuts::of(&text), text.len()),
        };
        self.cut_scanned = scanned;
        let (starts, forced) = (&cuts.starts, &cuts.forced);
        let mut old: Vec<Chunk> = std::mem::take(&mut self.chunks);
        old.sort_by_key(|c| c.start);
        let mut oi = 0;
        // Each new chunk: reused as is, or to be parsed (with an old tree, maybe).
        type Job = (usize, usize);
        let mut slots: Vec<Result<Chunk, Job>> = Vec::with_capacity(starts.len());
        for (k, &s) in starts.iter().enumerate() {
            let e = starts.get(k + 1).copied().unwrap_or(text.len());
            while oi < old.len() && old[oi].start < s {
                oi += 1;
            }
            let same_span = old.get(oi).is_some_and(|c| c.start == s && c.len == e - s);
            if same_span {
                let c = old.swap_remove_keep(oi);
                oi += 1;
                if !c.dirty && c.model.is_some() {
                    slots.push(Ok(c));
                } else {
                    slots.push(Err((s, e)));
                }
            } else {
                slots.push(Err((s, e)));
            }
        }
        let to_parse = slots.iter().filter(|s| s.is_err()).count();
        let parse = |(s, e): Job| parse_chunk(s, text.get(s..e).unwrap_or(""));
        self.chunks = if to_parse > 4 {
            use rayon::prelude::*;
            slots
                .into_par_iter()
                .map(|slot| match slot {
                    Ok(c) => c,
                    Err(job) => parse(job),
                })
                .collect()
        } else {
            slots
                .into_iter()
                .map(|slot| match slot {
                    Ok(c) => c,
                    Err(job) => parse(job),
                })
                .collect()
        };
        let parts: Vec<(usize, &MdModel)> = self
            .chunks
            .iter()
            .filter_map(|c| c.model.as_deref().map(|m| (c.start, m)))
            .collect();
        self.md = Arc::new(chunks::join(&parts, forced));
        self.cuts = Some(cuts);
    }
}

/// The Markdown model of a text, parsed chunk by chunk (in parallel when large);
/// equal to what a [`Document`] of that text holds. A wrapper kept for callers of the
/// editor's module: the batch path calls [`crate::markdown::chunks::parse`].
pub fn parse_model(text: &str) -> Arc<MdModel> {
    Arc::new(chunks::parse(text))
}

fn parse_chunk(start: usize, slice: &str) -> Chunk {
    Chunk {
        start,
        len: slice.len(),
        model: Some(Arc::new(chunks::parse_chunk(slice))),
        dirty: false,
    }
}

/// `Vec` removal that keeps indices of later elements stable enough for our scan:
/// takes element `i` out, leaving an empty placeholder chunk.
trait TakeAt {
    fn swap_remove_keep(&mut self, i: usize) -> Chunk;
}

impl TakeAt for Vec<Chunk> {
    fn swap_remove_keep(&mut self, i: usize) -> Chunk {
        std::mem::replace(
            &mut self[i],
            Chunk {
                start: usize::MAX,
                len: 0,
                model: None,
                dirty: true,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn big() -> String {
        let mut s = String::from("---\ntitle: t\n---\n\n# Title\n\n");
        for i in 0..200 {
            s.push_str(&format!(
                "## Part {i}\n\nSome text about Stalin (1) and `code`.\n\n- item\n\n  continued\n\n```\n# not a heading\n\nInside the fence\n```\n\nAfter <!-- a\n\ncomment --> end.\n\n"
            ));
        }
        s
    }

    fn model_eq(a: &MdModel, b: &MdModel) {
        assert_eq!(a.blocks, b.blocks);
        assert_eq!(a.headings, b.headings);
        assert_eq!(a.skip, b.skip);
        assert_eq!(a.front_matter, b.front_matter);
    }

    #[test]
    fn chunked_model_equals_whole_parse() {
        let t = big();
        let d = Document::new(&t, 1);
        assert!(d.chunks.len() > 5, "the test text should be chunked");
        model_eq(d.md(), &MdModel::parse(&t));
        let fixture = include_str!("../fixtures/bajanov-1995.md");
        model_eq(Document::new(fixture, 1).md(), &MdModel::parse(fixture));
    }

    /// The batch path's parse (no rope, no kept chunks) equals the editor's model,
    /// forced cuts of a long paragraph included.
    #[test]
    fn batch_parse_equals_the_documents_model() {
        let long_line = "word ".repeat(40_000);
        for t in [big(), long_line, String::new(), "# A\n".to_string()] {
            let d = Document::new(&t, 1);
            let batch = chunks::parse(&t);
            model_eq(d.md(), &batch);
            assert_eq!(d.md().limited, batch.limited);
            assert_eq!(d.md().stats, batch.stats);
        }
    }

    #[test]
    fn no_cut_inside_fences_comments_or_front_matter() {
        let t = big();
        for s in chunk_starts(&t) {
            let line_end = t[s..].find('\n').map(|e| s + e).unwrap_or(t.len());
            let line = &t[s..line_end];
            assert!(
                !line.starts_with("# not")
                    && !line.starts_with("Inside")
                    && !line.starts_with("comment"),
                "cut at {line:?}"
            );
        }
    }

    #[test]
    fn incremental_equals_fresh() {
        let mut d = Document::new(&big(), 1);
        let edits = [
            (Span::new(5000, 5000), "Intro.\n\n".to_string()),
            (Span::new(0, 1), "--".to_string()),
            (Span::new(20000, 20010), "```\n".to_string()),
            (Span::new(9000, 30000), String::new()),
            (Span::new(usize::MAX - 1, usize::MAX), "tail".to_string()),
        ];
        for e in edits {
            d.apply_edits(std::slice::from_ref(&e));
            let fresh = Document::new(d.text(), 1);
            model_eq(d.md(), fresh.md());
            assert_eq!(
                d.chunks
                    .iter()
                    .map(|c| (c.start, c.len))
                    .collect::<Vec<_>>(),
                fresh
                    .chunks
                    .iter()
                    .map(|c| (c.start, c.len))
                    .collect::<Vec<_>>()
            );
        }
    }

    /// A keystroke in a large document cuts by scanning around the edit only (the
    /// bytes scanned are counted), and the document still equals the text opened
    /// fresh; a full-sync change goes the same way.
    #[test]
    fn a_keystroke_recuts_around_the_edit() {
        let mut t = String::new();
        while t.len() < 1_000_000 {
            t.push_str(&big());
        }
        let mut d = Document::new(&t, 1);
        assert_eq!(d.cut_scanned(), t.len());
        for at in [t.len() / 2, t.len() / 3, 100_000] {
            d.apply_edits(&[(Span::new(at, at), "x".to_string())]);
            assert!(
                d.cut_scanned() < 64 * 1024,
                "{} bytes scanned",
                d.cut_scanned()
            );
            let fresh = Document::new(d.text(), 1);
            model_eq(d.md(), fresh.md());
            assert_eq!(d.md().limited, fresh.md().limited);
        }
        let whole = d.text().to_string().replacen("Title", "Titles", 1);
        d.replace_all(&whole);
        model_eq(d.md(), Document::new(&whole, 1).md());
    }

    #[test]
    fn texts_over_the_parse_limit_are_not_parsed_until_they_shrink() {
        let mut d = Document::with_parse_limit("# A\n", 1, 10);
        assert_eq!(d.md().headings.len(), 1);
        d.apply_edits(&[(Span::new(4, 4), "Long enough.\n".into())]);
        assert!(d.md().headings.is_empty());
        assert_eq!(&**d.text(), "# A\nLong enough.\n");
        d.apply_edits(&[(Span::new(4, 17), String::new())]);
        model_eq(d.md(), Document::new("# A\n", 1).md());
        d.replace_all("# 0123456789ABC");
        assert!(d.md().headings.is_empty(), "over the limit: not parsed");
    }

    /// Minimal cases found by tests/proptest_model.rs where an incremental reparse (the
    /// tree-sitter-md of earlier versions, with the edited old tree) differed from a
    /// fresh parse; kept as regressions: the edited document must equal the fresh one.
    #[test]
    fn edited_equals_fresh_where_incremental_reparse_did_not() {
        let cases: &[(&str, Span, &str)] = &[
            ("\u{1}**<!-- c -->¡**<sup>3</sup># ", Span::new(15, 15), ""),
            (
                "1. a\u{1}**|a|b|\n|-|-|\n𐀀> ࠀ**¹```\n``¹(1)¹|a|b|\n|-|-|\nA(1).# ",
                Span::new(30, 30),
                "",
            ),
            (
                "Сталин# **```\n# # ===\n# \n\nwww.x.org> \n*#     # # #     #     (1)\n\n",
                Span::new(60, 60),
                "",
            ),
        ];
        for (text, span, insert) in cases {
            let mut d = Document::new(text, 1);
            d.apply_edits(&[(*span, insert.to_string())]);
            model_eq(d.md(), Document::new(d.text(), 1).md());
        }
    }

    #[test]
    fn edits_inside_multibyte_chars_snap() {
        let mut d = Document::new("Sŏul", 1);
        d.apply_edits(&[(Span::new(2, 2), "x".into())]);
        assert_eq!(&**d.text(), "Sxŏul");
    }
}
