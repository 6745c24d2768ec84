//! What the Markdown is: blocks, headings, and the regions that are not prose.
//!
//! Built from a tree-sitter-md tree (kept incrementally by [`crate::document`]).
//! Every later pass asks this model whether a byte is prose; nothing inside code
//! spans, code blocks, HTML (comments included), link destinations, autolinks, bare
//! URLs or front matter is ever analysed as prose.

use crate::finding::Span;
use tree_sitter::Node;
use tree_sitter_md::{MarkdownParser, MarkdownTree};

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
}

impl MdModel {
    /// Parse `text` from scratch.
    pub fn parse(text: &str) -> MdModel {
        let mut parser = MarkdownParser::default();
        match parser.parse(text.as_bytes(), None) {
            Some(tree) => MdModel::build(text, &tree),
            None => MdModel::fallback(text),
        }
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

    /// Build the model from a parsed tree of `text`.
    pub fn build(text: &str, tree: &MarkdownTree) -> MdModel {
        let mut m = MdModel::default();
        let root = tree.block_tree().root_node();
        let mut b = Builder {
            text,
            tree,
            m: &mut m,
        };
        b.walk_blocks(root);
        b.bare_urls();
        normalise(&mut m.skip);
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
        }
        normalise(&mut m.skip);
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
    tree: &'a MarkdownTree,
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
        while let Some((node, quote, list)) = stack.pop() {
            if let Some((q, l)) = self.visit_block(node, quote, list) {
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
            if node.kind() == "inline" {
                if let Some(t) = self.tree.inline_tree(&node) {
                    self.walk_inline(t.root_node());
                }
                continue;
            }
            let mut c = node.walk();
            stack.extend(node.children(&mut c));
        }
    }

    fn walk_inline(&mut self, root: Node) {
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
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

fn normalise(skip: &mut Vec<Span>) {
    skip.retain(|s| !s.is_empty());
    skip.sort();
    let mut out: Vec<Span> = Vec::with_capacity(skip.len());
    for s in skip.drain(..) {
        match out.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    *skip = out;
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
