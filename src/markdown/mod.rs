//! What the Markdown is: blocks, headings, and the regions that are not prose.
//!
//! Built from pulldown-cmark's events ([`build`]), chunk by chunk ([`chunks`]; the
//! editor keeps the chunks incrementally in `document`).
//! Every later pass asks this model whether a byte is prose; nothing inside code
//! spans, code blocks, HTML (comments included), link destinations, autolinks, bare
//! URLs or front matter is ever analysed as prose.

mod build;
pub mod chunks;

pub use chunks::chunk_starts;

use crate::finding::Span;

/// The prose pieces of a block ([`MdModel::prose_pieces`]): most blocks have a few, so
/// they are kept inline (every fact pass asks for every block's pieces on every
/// version; a vector each was one allocation per block and pass).
pub type Pieces = smallvec::SmallVec<[Span; 4]>;

/// Chunks are not cut smaller than this many bytes.
pub const MIN_CHUNK: usize = 4096;
/// A chunk that reaches this many bytes without a place where every block has ended
/// (one long paragraph, a long line) is cut anyway, after a space and before a letter:
/// parsing and re-parsing stay bounded, at the cost of treating the rest of that
/// paragraph as a new one (reported by an `analysis-limited` finding).
pub const MAX_CHUNK: usize = 64 * 1024;

/// A place where the parse was bounded, and how (for the `analysis-limited` finding).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    /// A paragraph longer than [`MAX_CHUNK`] bytes, parsed in pieces.
    LongParagraph,
    /// Containers nested deeper than [`MAX_DEPTH`]; deeper ones counted as that depth.
    Depth,
}

/// Container depths above this are recorded as this.
pub const MAX_DEPTH: u8 = 100;

/// Counts of the work a parse did, for tests that check it grows linearly.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ParseStats {
    /// Bytes of inline content (text, code spans, inline HTML) the parser gave.
    pub inline_bytes: usize,
    /// Parser events (blocks, inlines, their ends) the model was built from.
    pub nodes: usize,
    /// Chunks parsed (set by [`crate::document`]).
    pub chunks: usize,
    /// The largest chunk parsed, in bytes.
    pub max_chunk: usize,
}

impl ParseStats {
    fn add(&mut self, o: &ParseStats) {
        self.inline_bytes += o.inline_bytes;
        self.nodes += o.nodes;
        self.chunks += o.chunks;
        self.max_chunk = self.max_chunk.max(o.max_chunk);
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    Heading { level: u8 },
    Paragraph,
    CodeBlock,
    Html,
    Table,
    ThematicBreak,
    LinkReferenceDefinition,
}

/// A leaf block in document order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    /// The whole block.
    pub span: Span,
    /// The inline content (heading text without markers; the paragraph itself).
    pub content: Span,
    /// How many block quotes contain this block.
    pub quote_depth: u8,
    /// How many list items contain this block.
    pub list_depth: u8,
}

/// A heading, for outlines and section lookup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub span: Span,
    pub content: Span,
    pub text: String,
}

/// The Markdown structure of one text version.
#[derive(Clone, Debug, Default)]
pub struct MdModel {
    pub front_matter: Option<Span>,
    pub blocks: Vec<Block>,
    pub headings: Vec<Heading>,
    /// Sorted, non-overlapping regions that are not prose.
    pub skip: Vec<Span>,
    /// Where the parse was bounded (sorted by position): each becomes part of one
    /// `analysis-limited` finding per kind.
    pub limited: Vec<(Limit, Span)>,
    /// The work the parse did.
    #[doc(hidden)]
    pub stats: ParseStats,
}

impl MdModel {
    /// Where the section headed by `headings[k]` ends in a text of `len` bytes: at the
    /// next heading of the same or a higher level, or at the end. Each heading is passed
    /// over by at most one section per level, so calling this for every heading is linear.
    pub fn section_end(&self, k: usize, len: usize) -> usize {
        let Some(h) = self.headings.get(k) else {
            return len;
        };
        self.headings
            .iter()
            .skip(k + 1)
            .find(|n| n.level <= h.level)
            .map_or(len, |n| n.span.start)
    }
}

impl MdModel {
    /// Parse `text` from scratch ([`build`]): one pass over pulldown-cmark's events,
    /// linear in the text.
    pub fn parse(text: &str) -> MdModel {
        build::build(text)
    }

    /// A model with one paragraph per blank-line-separated chunk, without parsing:
    /// for texts over `limits.max_document_bytes`.
    pub fn unparsed(text: &str) -> MdModel {
        MdModel::fallback(text)
    }

    /// A model with one paragraph per blank-line-separated chunk, used only if the
    /// parser gives up (it never should; parsing never fails).
    fn fallback(text: &str) -> MdModel {
        let mut m = MdModel::default();
        let mut start = 0;
        for (i, _) in text.match_indices("\n\n") {
            if i > start {
                m.blocks.push(Block {
                    kind: BlockKind::Paragraph,
                    span: Span::new(start, i),
                    content: Span::new(start, i),
                    quote_depth: 0,
                    list_depth: 0,
                });
            }
            start = i + 2;
        }
        if start < text.len() {
            m.blocks.push(Block {
                kind: BlockKind::Paragraph,
                span: Span::new(start, text.len()),
                content: Span::new(start, text.len()),
                quote_depth: 0,
                list_depth: 0,
            });
        }
        m
    }

    /// Join models of consecutive chunks, each given with its start offset.
    pub fn join(parts: &[(usize, &MdModel)]) -> MdModel {
        let mut m = MdModel::default();
        let shift = |s: Span, by: usize| Span::new(s.start + by, s.end + by);
        for (at, p) in parts {
            let at = *at;
            if m.front_matter.is_none() && at == 0 {
                m.front_matter = p.front_matter;
            }
            m.blocks.extend(p.blocks.iter().map(|b| Block {
                span: shift(b.span, at),
                content: shift(b.content, at),
                ..b.clone()
            }));
            m.headings.extend(p.headings.iter().map(|h| Heading {
                span: shift(h.span, at),
                content: shift(h.content, at),
                ..h.clone()
            }));
            m.skip.extend(p.skip.iter().map(|s| shift(*s, at)));
            m.limited
                .extend(p.limited.iter().map(|(k, s)| (*k, shift(*s, at))));
            m.stats.add(&p.stats);
        }
        crate::finding::normalise_spans(&mut m.skip);
        m
    }

    /// True when byte `offset` is inside a region that is not prose.
    pub fn is_skipped(&self, offset: usize) -> bool {
        let i = self.skip.partition_point(|s| s.end <= offset);
        self.skip.get(i).is_some_and(|s| s.contains(offset))
    }

    /// True when any byte of `span` is inside a region that is not prose.
    pub fn overlaps_skip(&self, span: Span) -> bool {
        let i = self.skip.partition_point(|s| s.end <= span.start);
        self.skip.get(i).is_some_and(|s| s.overlaps(span))
    }

    /// The prose pieces of `span`: `span` minus the skip regions, in order.
    pub fn prose_pieces(&self, span: Span) -> Pieces {
        let mut out = Pieces::new();
        let mut pos = span.start;
        let mut i = self.skip.partition_point(|s| s.end <= span.start);
        while pos < span.end {
            match self.skip.get(i) {
                Some(s) if s.start < span.end => {
                    if s.start > pos {
                        out.push(Span::new(pos, s.start));
                    }
                    pos = pos.max(s.end);
                    i += 1;
                }
                _ => {
                    out.push(Span::new(pos, span.end));
                    break;
                }
            }
        }
        out
    }

    /// The leaf block containing byte `offset`, if any.
    pub fn block_at(&self, offset: usize) -> Option<&Block> {
        let i = self.blocks.partition_point(|b| b.span.end <= offset);
        self.blocks.get(i).filter(|b| b.span.contains(offset))
    }

    /// Blocks that carry prose: paragraphs, headings and tables.
    pub fn prose_blocks(&self) -> impl Iterator<Item = &Block> {
        self.blocks.iter().filter(|b| {
            matches!(
                b.kind,
                BlockKind::Paragraph | BlockKind::Heading { .. } | BlockKind::Table
            )
        })
    }

    /// The heading whose section contains `offset` (the last heading starting before it).
    pub fn section_heading(&self, offset: usize) -> Option<&Heading> {
        let i = self.headings.partition_point(|h| h.span.start <= offset);
        i.checked_sub(1).and_then(|i| self.headings.get(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_code_html_urls_and_front_matter() {
        let t = "---\ntitle: x\n---\n\n# Title\n\nText `code (1)` and <!-- c --> see https://x.org/a. [l](http://d) end.\n\n```\nfenced (2)\n```\n";
        let m = MdModel::parse(t);
        assert!(m.front_matter.is_some());
        for needle in [
            "code (1)",
            " c ",
            "x.org",
            "http://d",
            "fenced (2)",
            "title",
        ] {
            let at = t.find(needle).unwrap_or(0);
            assert!(m.is_skipped(at), "{needle} should be skipped: {:?}", m.skip);
        }
        for needle in ["Text", "end.", "Title"] {
            let at = t.find(needle).unwrap_or(0);
            assert!(!m.is_skipped(at), "{needle} is prose");
        }
        assert_eq!(m.headings.len(), 1);
        assert_eq!(m.headings[0].text, "Title");
        assert!(m.blocks.iter().any(|b| b.kind == BlockKind::CodeBlock));
    }

    #[test]
    fn prose_pieces_cut_around_skips() {
        let t = "a `b` c";
        let m = MdModel::parse(t);
        let pieces = m.prose_pieces(Span::new(0, t.len()));
        let texts: Vec<&str> = pieces.iter().map(|s| s.slice(t)).collect();
        assert_eq!(texts, vec!["a ", " c"]);
    }

    #[test]
    fn any_input_parses() {
        for t in ["", "\0", "\r", "> > > > -", "[^", "```", "# \u{FEFF}"] {
            let _ = MdModel::parse(t);
        }
    }
}
