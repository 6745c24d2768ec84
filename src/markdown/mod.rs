//! What the Markdown is: blocks, headings, and the regions that are not prose.
//!
//! Built from tree-sitter-md trees, chunk by chunk ([`chunks`]; the editor keeps the
//! chunks incrementally in `document`).
//! Every later pass asks this model whether a byte is prose; nothing inside code
//! spans, code blocks, HTML (comments included), link destinations, autolinks, bare
//! URLs or front matter is ever analysed as prose.

pub mod chunks;

pub use chunks::chunk_starts;

use crate::finding::Span;
use tree_sitter::{Node, Parser, Range};

/// Chunks are not cut smaller than this many bytes.
pub const MIN_CHUNK: usize = 4096;
/// A chunk that reaches this many bytes without a place where every block has ended
/// (one long paragraph, a long line) is cut anyway, after a space and before a letter:
/// parsing and re-parsing stay bounded, at the cost of treating the rest of that
/// paragraph as a new one (reported by an `analysis-limited` finding).
pub const MAX_CHUNK: usize = 64 * 1024;

/// An inline run with more emphasis delimiters (`*`, `_`) than this is parsed in
/// windows: tree-sitter-md's inline grammar is superlinear in unmatched delimiters
/// (`*a ` × 15,000 took 2.4 s and 678 MB in one piece).
pub const MAX_INLINE_DELIMITERS: usize = 512;
/// The most emphasis delimiters in one window of an inline run parsed in windows.
pub const WINDOW_DELIMITERS: usize = 64;

/// A place where the parse was bounded, and how (for the `analysis-limited` finding).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    /// An inline run with too many emphasis delimiters, parsed in windows.
    Delimiters,
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
    /// Inline parser calls (one per inline run, or per window of a windowed run).
    pub inline_parses: usize,
    /// Bytes handed to the inline parser.
    pub inline_bytes: usize,
    /// Nodes visited in block and inline trees.
    pub nodes: usize,
    /// The largest inline piece parsed at once, in emphasis delimiters.
    pub max_window_delimiters: usize,
    /// Chunks parsed (set by [`crate::document`]).
    pub chunks: usize,
    /// The largest chunk parsed, in bytes.
    pub max_chunk: usize,
}

impl ParseStats {
    fn add(&mut self, o: &ParseStats) {
        self.inline_parses += o.inline_parses;
        self.inline_bytes += o.inline_bytes;
        self.nodes += o.nodes;
        self.max_window_delimiters = self.max_window_delimiters.max(o.max_window_delimiters);
        self.chunks += o.chunks;
        self.max_chunk = self.max_chunk.max(o.max_chunk);
    }
}

/// The tree-sitter parser a model is built with (block and inline grammars).
pub struct MdParser {
    parser: Parser,
}

impl Default for MdParser {
    fn default() -> Self {
        MdParser {
            parser: Parser::new(),
        }
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
    /// Parse `text` from scratch.
    pub fn parse(text: &str) -> MdModel {
        MdModel::parse_with(&mut MdParser::default(), text)
    }

    /// Parse `text` with `parser`: the block tree, then each inline run (in windows
    /// when it has more than [`MAX_INLINE_DELIMITERS`] emphasis delimiters), building
    /// the model as the block tree is walked. Linear in the text.
    pub fn parse_with(parser: &mut MdParser, text: &str) -> MdModel {
        let p = &mut parser.parser;
        let block = p
            .set_included_ranges(&[])
            .ok()
            .and_then(|()| p.set_language(&tree_sitter_md::LANGUAGE.into()).ok())
            .and_then(|()| p.parse(text.as_bytes(), None));
        let Some(tree) = block else {
            return MdModel::fallback(text);
        };
        if p.set_language(&tree_sitter_md::INLINE_LANGUAGE.into())
            .is_err()
        {
            return MdModel::fallback(text);
        }
        let mut m = MdModel::default();
        let mut b = Builder {
            text,
            parser: p,
            m: &mut m,
        };
        b.walk_blocks(tree.root_node());
        b.bare_urls();
        crate::finding::normalise_spans(&mut m.skip);
        m.limited.sort_by_key(|(_, s)| *s);
        m
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
    pub fn prose_pieces(&self, span: Span) -> Vec<Span> {
        let mut out = Vec::new();
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

struct Builder<'a> {
    text: &'a str,
    /// Set to the inline grammar.
    parser: &'a mut Parser,
    m: &'a mut MdModel,
}

fn span_of(n: &Node) -> Span {
    Span::new(n.start_byte(), n.end_byte())
}

impl Builder<'_> {
    /// Visit the block tree in document order. Iterative, with an explicit stack:
    /// nesting depth is up to the input (10,000 nested quotes or emphases must not
    /// overflow a thread's stack).
    fn walk_blocks(&mut self, root: Node) {
        let mut stack = vec![(root, 0u8, 0u8)];
        let mut deep = false;
        while let Some((node, quote, list)) = stack.pop() {
            self.m.stats.nodes += 1;
            if let Some((q, l)) = self.visit_block(node, quote, list) {
                let (q, l) = (q.min(MAX_DEPTH), l.min(MAX_DEPTH));
                if (q == MAX_DEPTH || l == MAX_DEPTH) && !deep {
                    deep = true;
                    self.m.limited.push((Limit::Depth, span_of(&node)));
                }
                let mut c = node.walk();
                let children: Vec<Node> = node.children(&mut c).collect();
                stack.extend(children.into_iter().rev().map(|ch| (ch, q, l)));
            }
        }
    }

    /// Record one block node; for containers, return the depths for its children.
    fn visit_block(&mut self, node: Node, quote: u8, list: u8) -> Option<(u8, u8)> {
        let kind = node.kind();
        let span = span_of(&node);
        match kind {
            "minus_metadata" | "plus_metadata" => {
                if span.start == 0 || self.text[..span.start].trim().is_empty() {
                    self.m.front_matter = Some(span);
                }
                self.m.skip.push(span);
            }
            "fenced_code_block" | "indented_code_block" => {
                self.leaf(BlockKind::CodeBlock, span, span, quote, list);
                self.m.skip.push(span);
            }
            "html_block" => {
                self.leaf(BlockKind::Html, span, span, quote, list);
                self.m.skip.push(span);
            }
            "thematic_break" => self.leaf(BlockKind::ThematicBreak, span, span, quote, list),
            "link_reference_definition" => {
                self.leaf(BlockKind::LinkReferenceDefinition, span, span, quote, list);
                let mut c = node.walk();
                for ch in node.children(&mut c) {
                    if ch.kind() == "link_destination" {
                        self.m.skip.push(span_of(&ch));
                    }
                }
            }
            "atx_heading" | "setext_heading" => {
                let mut level = 1;
                let mut content = span;
                let mut c = node.walk();
                for ch in node.children(&mut c) {
                    match ch.kind() {
                        "atx_h1_marker" | "setext_h1_underline" => level = 1,
                        "atx_h2_marker" | "setext_h2_underline" => level = 2,
                        "atx_h3_marker" => level = 3,
                        "atx_h4_marker" => level = 4,
                        "atx_h5_marker" => level = 5,
                        "atx_h6_marker" => level = 6,
                        "inline" | "paragraph" => {
                            content = span_of(&ch);
                            self.walk_inline_container(ch);
                        }
                        _ => {}
                    }
                }
                let heading_text = content.slice(self.text).trim().trim_end_matches('#').trim();
                self.m.headings.push(Heading {
                    level,
                    span,
                    content,
                    text: heading_text.to_string(),
                });
                self.leaf(BlockKind::Heading { level }, span, content, quote, list);
            }
            "paragraph" => {
                self.walk_inline_container(node);
                self.leaf(BlockKind::Paragraph, span, span, quote, list);
            }
            "pipe_table" => {
                self.walk_inline_container(node);
                self.leaf(BlockKind::Table, span, span, quote, list);
            }
            _ => {
                return Some(match kind {
                    "block_quote" => (quote.saturating_add(1), list),
                    "list_item" => (quote, list.saturating_add(1)),
                    _ => (quote, list),
                });
            }
        }
        None
    }

    fn leaf(&mut self, kind: BlockKind, span: Span, content: Span, quote: u8, list: u8) {
        self.m.blocks.push(Block {
            kind,
            span,
            content,
            quote_depth: quote,
            list_depth: list,
        });
    }

    /// Find `inline` nodes below `node` and record their non-prose regions.
    /// Iterative, like [`Builder::walk_blocks`]: the order of skip regions does not
    /// matter (they are normalised), so a plain stack will do.
    fn walk_inline_container(&mut self, node: Node) {
        let mut stack = vec![node];
        while let Some(node) = stack.pop() {
            if node.kind() == "inline" || node.kind() == "pipe_table_cell" {
                self.parse_inline(node);
                continue;
            }
            let mut c = node.walk();
            stack.extend(node.children(&mut c));
        }
    }

    /// Parse one inline run (as tree-sitter-md's `MarkdownParser` does: the node's
    /// range minus its named children, such as block quote markers), in windows of at
    /// most [`WINDOW_DELIMITERS`] emphasis delimiters when it has more than
    /// [`MAX_INLINE_DELIMITERS`], and record its non-prose regions.
    fn parse_inline(&mut self, node: Node) {
        let mut ranges: Vec<Range> = Vec::new();
        let mut range = node.range();
        let mut c = node.walk();
        for ch in node.named_children(&mut c) {
            let r = ch.range();
            ranges.push(Range {
                start_byte: range.start_byte,
                start_point: range.start_point,
                end_byte: r.start_byte,
                end_point: r.start_point,
            });
            range.start_byte = r.end_byte;
            range.start_point = r.end_point;
        }
        ranges.push(range);
        ranges.retain(|r| r.end_byte > r.start_byte);
        if ranges.is_empty() {
            return;
        }
        let bytes = self.text.as_bytes();
        let is_delim = |b: &u8| *b == b'*' || *b == b'_';
        let delims: usize = ranges
            .iter()
            .map(|r| {
                bytes
                    .get(r.start_byte..r.end_byte)
                    .map_or(0, |s| s.iter().filter(|b| is_delim(b)).count())
            })
            .sum();
        if delims <= MAX_INLINE_DELIMITERS {
            self.parse_inline_ranges(&ranges, delims);
            return;
        }
        self.m.limited.push((Limit::Delimiters, span_of(&node)));
        // Windows: cut after a space once a window holds WINDOW_DELIMITERS delimiters
        // (or anywhere at twice that, if no space comes), never inside a character.
        let mut window: Vec<Range> = Vec::new();
        let mut n = 0;
        for r in &ranges {
            let mut start = r.start_byte;
            let mut i = r.start_byte;
            while i < r.end_byte {
                let b = bytes.get(i).copied().unwrap_or(b' ');
                if is_delim(&b) {
                    n += 1;
                }
                i += 1;
                let cut = (n >= WINDOW_DELIMITERS && b == b' ')
                    || (n >= 2 * WINDOW_DELIMITERS && self.text.is_char_boundary(i));
                if cut {
                    window.push(sub_range(r, start, i));
                    self.parse_inline_ranges(&window, n);
                    window.clear();
                    start = i;
                    n = 0;
                }
            }
            if start < r.end_byte {
                window.push(sub_range(r, start, r.end_byte));
            }
        }
        if !window.is_empty() {
            self.parse_inline_ranges(&window, n);
        }
    }

    fn parse_inline_ranges(&mut self, ranges: &[Range], delims: usize) {
        let st = &mut self.m.stats;
        st.inline_parses += 1;
        st.inline_bytes += ranges
            .iter()
            .map(|r| r.end_byte - r.start_byte)
            .sum::<usize>();
        st.max_window_delimiters = st.max_window_delimiters.max(delims);
        if self.parser.set_included_ranges(ranges).is_err() {
            return;
        }
        let tree = self.parser.parse(self.text.as_bytes(), None);
        let _ = self.parser.set_included_ranges(&[]);
        if let Some(t) = tree {
            self.walk_inline(t.root_node());
        }
    }

    fn walk_inline(&mut self, root: Node) {
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            self.m.stats.nodes += 1;
            match node.kind() {
                "code_span" | "link_destination" | "uri_autolink" | "email_autolink"
                | "html_tag" | "latex_block" => {
                    self.m.skip.push(span_of(&node));
                }
                _ => {
                    let mut c = node.walk();
                    stack.extend(node.children(&mut c));
                }
            }
        }
    }

    /// Bare `http(s)://` and `www.` URLs in prose (GFM's extended autolinks).
    fn bare_urls(&mut self) {
        let text = self.text;
        let bytes = text.as_bytes();
        let mut found = Vec::new();
        for pat in ["http://", "https://", "www."] {
            for (i, _) in text.match_indices(pat) {
                if i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'/') {
                    continue;
                }
                let end = text[i..]
                    .find(|c: char| c.is_whitespace() || c == '<' || c == '>')
                    .map(|e| i + e)
                    .unwrap_or(text.len());
                // Trailing punctuation is not part of the URL.
                let trimmed =
                    text[i..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '"', '\'']);
                found.push(Span::new(i, i + trimmed.len()));
            }
        }
        self.m.skip.extend(found);
    }
}

/// `r` cut to the bytes `[start, end)`; points are not needed by the inline grammar
/// beyond their order, so the row is kept and the column shifted.
fn sub_range(r: &Range, start: usize, end: usize) -> Range {
    let mut out = *r;
    if start > r.start_byte {
        out.start_point.column += start - r.start_byte;
        out.start_byte = start;
    }
    if end < r.end_byte {
        out.end_point = out.start_point;
        out.end_point.column += end - out.start_byte;
        out.end_byte = end;
    }
    out
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
