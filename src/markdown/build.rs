//! Building an [`MdModel`] from pulldown-cmark's events (CommonMark with GFM tables and
//! front matter; footnotes are the note layer's own, see `crate::notes`). Math is off:
//! in these documents `$` is money ("$10,000,000 … amount of $10,000,000" is prose,
//! which tree-sitter-md's LaTeX extension hid; FRUS 1949 vol. VII, d280).
//!
//! pulldown-cmark parses in one pass, linear in the text (runs of emphasis
//! delimiters, deep nesting and long lines included), at tens of megabytes a second;
//! the model is built from its event stream with byte offsets. Nothing here can fail:
//! every input gives events.

use super::{Block, BlockKind, Heading, Limit, MAX_DEPTH, MdModel};
use crate::finding::Span;
use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

fn options(metadata: bool) -> Options {
    let mut o = Options::empty();
    o.insert(Options::ENABLE_TABLES);
    if metadata {
        o.insert(Options::ENABLE_YAML_STYLE_METADATA_BLOCKS);
        o.insert(Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS);
    }
    o
}

/// The length of the front matter at the start of `text` (with the blank line after
/// it), by pulldown-cmark's rule for a metadata block: a line of exactly `---` (or
/// `+++`) and trailing whitespace, a first line inside that is neither blank nor a
/// closing line, and a closing line of exactly `---` or `...` (`+++`) with trailing
/// spaces. None when the text does not open with one.
pub(super) fn front_matter_len(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let c = *b.first()?;
    if c != b'-' && c != b'+' {
        return None;
    }
    let line_end =
        |from: usize| memchr::memchr(b'\n', &b[from..]).map_or(b.len(), |i| from + i + 1);
    let first = line_end(0);
    let run = b.iter().take_while(|&&x| x == c).count();
    if run != 3 || !b[run..first].iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    let closes = |line: &[u8]| {
        let d = line.iter().take_while(|&&x| x == c).count();
        let d = if d != 3 && c == b'-' {
            line.iter().take_while(|&&x| x == b'.').count()
        } else {
            d
        };
        d == 3 && {
            let tail = &line[3..];
            let spaces = tail.iter().take_while(|&&x| x == b' ').count();
            matches!(tail.get(spaces), None | Some(b'\n' | b'\r'))
        }
    };
    let blank = |line: &[u8]| {
        line.iter()
            .all(|&x| matches!(x, b' ' | b'\t' | b'\n' | b'\r'))
    };
    let mut pos = first;
    let mut first_line = true;
    while pos < b.len() {
        let end = line_end(pos);
        let line = &b[pos..end];
        if first_line && (closes(line) || blank(line)) {
            return None;
        }
        first_line = false;
        if closes(line) {
            return Some(end);
        }
        pos = end;
    }
    None
}

/// What kind of inline container is open (inline content is recorded into it).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Inline {
    /// Not inside any inline container.
    None,
    /// An explicit paragraph (its block is pushed at its end).
    Paragraph,
    /// A heading of this level, with its inline content's extent so far.
    Heading(u8),
    /// A table (one block for the whole table).
    Table,
    /// Text directly in a tight list item: a paragraph pulldown-cmark does not mark.
    Tight,
    /// Inside a code block, an HTML block or front matter: nothing below is prose.
    Opaque,
}

struct Builder<'a> {
    text: &'a str,
    m: MdModel,
    quote: u8,
    list: u8,
    deep: bool,
    inline: Inline,
    /// Where the open inline container started (headings: the container's span).
    open_at: usize,
    /// The extent of the inline content seen in the open container.
    content: Option<Span>,
}

/// Parse `text` into a model.
pub(super) fn build(text: &str) -> MdModel {
    let mut b = Builder {
        text,
        m: MdModel::default(),
        quote: 0,
        list: 0,
        deep: false,
        inline: Inline::None,
        open_at: 0,
        content: None,
    };
    // Front matter only at the very start: pulldown-cmark's metadata blocks open at
    // any block start, so a `---` line after a blank line mid-document (a thematic
    // break followed by text) would hide everything up to a later `---` or `...` line
    // as metadata (and its search for that closing line is a scan to the end of the
    // text per opening line). The front matter is parsed with metadata blocks on, the
    // rest with them off.
    let mut defs: Vec<Span> = Vec::new();
    let mut next_def = 0;
    let rest = match front_matter_len(text) {
        Some(n) => {
            let (head, _) = text.split_at(n);
            b.events(head, 0, options(true), &mut defs, &mut next_def);
            n
        }
        None => 0,
    };
    b.events(
        &text[rest..],
        rest,
        options(false),
        &mut defs,
        &mut next_def,
    );
    b.close_tight();
    for d in defs.get(next_def..).unwrap_or_default() {
        b.link_definition(*d);
    }
    b.bare_urls();
    b.m.blocks.sort_by_key(|bl| bl.span.start);
    crate::finding::normalise_spans(&mut b.m.skip);
    b.m.limited.sort_by_key(|(_, s)| *s);
    b.m
}

impl Builder<'_> {
    /// Feed the events of `slice` (which starts at byte `base` of the text), with the
    /// link reference definitions found by its parse merged in at their places.
    fn events(
        &mut self,
        slice: &str,
        base: usize,
        options: Options,
        defs: &mut Vec<Span>,
        next_def: &mut usize,
    ) {
        let parser = Parser::new_ext(slice, options);
        // Link reference definitions are not events (the block pass has found them all
        // before the first event): each takes the container depths of the events
        // around it.
        let mut found: Vec<Span> = parser
            .reference_definitions()
            .iter()
            .map(|(_, d)| Span::new(d.span.start + base, d.span.end + base))
            .collect();
        found.sort_by_key(|s| s.start);
        defs.extend(found);
        for (event, range) in parser.into_offset_iter() {
            self.m.stats.nodes += 1;
            let range = range.start + base..range.end + base;
            // Where this event stands: a container's end is where it closes.
            let at = match &event {
                Event::End(_) => range.end,
                _ => range.start,
            };
            while let Some(d) = defs.get(*next_def).filter(|d| d.start < at) {
                self.link_definition(*d);
                *next_def += 1;
            }
            self.event(event, Span::new(range.start, range.end));
        }
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

    fn link_definition(&mut self, span: Span) {
        let (q, l) = (self.quote.min(MAX_DEPTH), self.list.min(MAX_DEPTH));
        self.leaf(BlockKind::LinkReferenceDefinition, span, span, q, l);
        if let Some(dest) = def_destination(self.text, span) {
            self.m.skip.push(dest);
        }
    }

    /// Grow the open container's inline extent by `span`.
    fn content(&mut self, span: Span) {
        self.content = Some(match self.content {
            Some(c) => Span::new(c.start.min(span.start), c.end.max(span.end)),
            None => span,
        });
    }

    /// Inline content outside any container: in a tight list item, it opens a paragraph.
    fn inline_here(&mut self, span: Span) {
        if self.inline == Inline::None && self.list > 0 {
            self.inline = Inline::Tight;
            self.open_at = span.start;
            self.content = None;
        }
        if self.inline != Inline::Opaque {
            self.m.stats.inline_bytes += span.end - span.start;
            self.content(span);
        }
    }

    /// End an unmarked paragraph of a tight list item, at the end of its last line.
    fn close_tight(&mut self) {
        if self.inline != Inline::Tight {
            return;
        }
        self.inline = Inline::None;
        let Some(c) = self.content.take() else {
            return;
        };
        let bytes = self.text.as_bytes();
        let mut end = c.end;
        while end < bytes.len() && bytes[end] != b'\n' {
            end += 1;
        }
        if end < bytes.len() {
            end += 1;
        }
        let span = Span::new(c.start, end);
        let (q, l) = (self.quote, self.list);
        self.leaf(BlockKind::Paragraph, span, span, q, l);
    }

    fn container(&mut self, span: Span, quote: bool) {
        if quote {
            self.quote = self.quote.saturating_add(1);
        } else {
            self.list = self.list.saturating_add(1);
        }
        if (self.quote >= MAX_DEPTH || self.list >= MAX_DEPTH) && !self.deep {
            self.deep = true;
            self.m.limited.push((Limit::Depth, span));
        }
    }

    fn event(&mut self, event: Event, span: Span) {
        let (q, l) = (self.quote.min(MAX_DEPTH), self.list.min(MAX_DEPTH));
        match event {
            Event::Start(tag) => {
                if !matches!(
                    tag,
                    Tag::Emphasis
                        | Tag::Strong
                        | Tag::Strikethrough
                        | Tag::Superscript
                        | Tag::Subscript
                        | Tag::Link { .. }
                        | Tag::Image { .. }
                ) {
                    self.close_tight();
                }
                self.start(tag, span, q, l);
            }
            Event::End(tag) => self.end(tag, span, q, l),
            Event::Text(_) | Event::SoftBreak | Event::HardBreak => self.inline_here(span),
            Event::Code(_) | Event::InlineMath(_) | Event::DisplayMath(_) => {
                self.inline_here(span);
                self.m.skip.push(span);
            }
            Event::InlineHtml(_) => {
                self.inline_here(span);
                self.m.skip.push(span);
            }
            Event::Html(_) => {
                if self.inline != Inline::Opaque {
                    // Raw HTML inside a paragraph's lines (pulldown-cmark gives it as
                    // `Html` when a tag starts a line of a tight item).
                    self.inline_here(span);
                    self.m.skip.push(span);
                }
            }
            Event::Rule => {
                self.close_tight();
                self.leaf(BlockKind::ThematicBreak, span, span, q, l);
            }
            Event::FootnoteReference(_) | Event::TaskListMarker(_) => self.inline_here(span),
        }
    }

    fn start(&mut self, tag: Tag, span: Span, q: u8, l: u8) {
        match tag {
            Tag::Paragraph => {
                self.inline = Inline::Paragraph;
                self.open_at = span.start;
                self.content = None;
            }
            Tag::Heading { level, .. } => {
                self.inline = Inline::Heading(level as u8);
                self.open_at = span.start;
                self.content = None;
            }
            Tag::Table(_) => {
                self.inline = Inline::Table;
                self.open_at = span.start;
                self.content = None;
            }
            Tag::CodeBlock(_) => {
                self.inline = Inline::Opaque;
                self.leaf(BlockKind::CodeBlock, span, span, q, l);
                self.m.skip.push(span);
            }
            Tag::HtmlBlock => {
                self.inline = Inline::Opaque;
                self.leaf(BlockKind::Html, span, span, q, l);
                self.m.skip.push(span);
            }
            Tag::MetadataBlock(_) => {
                self.inline = Inline::Opaque;
                if span.start == 0 || self.text[..span.start].trim().is_empty() {
                    self.m.front_matter = Some(span);
                }
                self.m.skip.push(span);
            }
            Tag::BlockQuote(_) => self.container(span, true),
            Tag::Item => self.container(span, false),
            Tag::Link { link_type, .. } | Tag::Image { link_type, .. } => {
                self.inline_here(span);
                match link_type {
                    LinkType::Autolink | LinkType::Email => self.m.skip.push(span),
                    LinkType::Inline => {
                        if let Some(d) = inline_destination(self.text, span) {
                            self.m.skip.push(d);
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd, span: Span, q: u8, l: u8) {
        match tag {
            TagEnd::Paragraph => {
                self.inline = Inline::None;
                self.content = None;
                self.leaf(BlockKind::Paragraph, span, span, q, l);
            }
            TagEnd::Heading(_) => {
                let level = match self.inline {
                    Inline::Heading(n) => n,
                    _ => 1,
                };
                let content = self.content.take().unwrap_or(span);
                self.inline = Inline::None;
                let text = content
                    .slice(self.text)
                    .trim()
                    .trim_end_matches('#')
                    .trim()
                    .to_string();
                self.m.headings.push(Heading {
                    level,
                    span,
                    content,
                    text,
                });
                self.leaf(BlockKind::Heading { level }, span, content, q, l);
            }
            TagEnd::Table => {
                self.inline = Inline::None;
                self.content = None;
                self.leaf(BlockKind::Table, span, span, q, l);
            }
            TagEnd::CodeBlock | TagEnd::HtmlBlock | TagEnd::MetadataBlock(_) => {
                self.inline = Inline::None;
            }
            TagEnd::BlockQuote(_) => {
                self.close_tight();
                self.quote = self.quote.saturating_sub(1);
            }
            TagEnd::Item => {
                self.close_tight();
                self.list = self.list.saturating_sub(1);
            }
            TagEnd::List(_) | TagEnd::FootnoteDefinition | TagEnd::DefinitionList => {
                self.close_tight();
            }
            _ => {}
        }
    }

    /// Bare `http(s)://` and `www.` URLs in prose (GFM's extended autolinks).
    fn bare_urls(&mut self) {
        self.m.skip.extend(bare_urls(self.text));
    }
}

/// Bare URLs (`http://…`, `https://…`, `www.…`) that do not continue a word or a
/// path, without their trailing punctuation.
fn bare_urls(text: &str) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    // memchr's SIMD search: `str::match_indices` took 19 M instructions for the
    // three patterns on a 1 MB document (2.4% of its first analysis).
    for pat in ["http://", "https://", "www."] {
        for i in memchr::memmem::find_iter(bytes, pat.as_bytes()) {
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
    found
}

/// Where an inline link's destination is written in `span` (`[text](dest "title")`):
/// after the last `](`.
fn inline_destination(text: &str, span: Span) -> Option<Span> {
    let open = span.slice(text).rfind("](")? + 2;
    destination(text, span, open, true)
}

/// Where a link reference definition's destination is written (`[label]: dest "t"`).
fn def_destination(text: &str, span: Span) -> Option<Span> {
    let colon = span.slice(text).find("]:")? + 2;
    destination(text, span, colon, false)
}

/// The destination that starts, after blanks, `after` bytes into `span`: `<…>`, or up to
/// a blank (or, in an inline link with no title, the closing parenthesis).
fn destination(text: &str, span: Span, after: usize, inline: bool) -> Option<Span> {
    let rest = span.slice(text).get(after..)?;
    let lead = rest.len() - rest.trim_start().len();
    let rest = &rest[lead..];
    let len = if rest.starts_with('<') {
        rest.find('>').map(|e| e + 1)?
    } else {
        let blank = rest.find(char::is_whitespace);
        match (blank, inline) {
            (Some(b), _) => b,
            (None, true) => rest.trim_end_matches(')').len(),
            (None, false) => rest.len(),
        }
    };
    (len > 0).then(|| {
        let start = span.start + after + lead;
        Span::new(start, start + len)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skipped<'a>(t: &'a str, m: &MdModel) -> Vec<&'a str> {
        m.skip.iter().map(|s| s.slice(t)).collect()
    }

    #[test]
    fn destinations_are_not_prose_but_link_texts_are() {
        let t =
            "See [Shtykov](http://a/b \"t\"), [x](<c d>) and [y](e).\n\n> [r]: http://f \"g\"\n";
        let m = build(t);
        assert_eq!(skipped(t, &m), vec!["http://a/b", "<c d>", "e", "http://f"]);
        let def = m
            .blocks
            .iter()
            .find(|b| b.kind == BlockKind::LinkReferenceDefinition);
        assert_eq!(def.map(|b| b.quote_depth), Some(1), "{:?}", m.blocks);
    }

    #[test]
    fn a_tight_item_has_a_paragraph_to_its_line_end() {
        let t = "- Kim Il Sung\n  met Stalin\n- Mao\n\nAfter.\n";
        let m = build(t);
        let paras: Vec<&str> = m
            .blocks
            .iter()
            .filter(|b| b.kind == BlockKind::Paragraph)
            .map(|b| b.span.slice(t))
            .collect();
        assert_eq!(
            paras,
            vec!["Kim Il Sung\n  met Stalin\n", "Mao\n", "After.\n"]
        );
        assert!(m.blocks.iter().take(2).all(|b| b.list_depth == 1));
    }

    #[test]
    fn dollars_are_prose_and_headings_keep_their_text() {
        let t = "# Aid to Korea #\n\nThe $10,000,000 figure and the amount of $10,000,000.\n";
        let m = build(t);
        assert!(m.skip.is_empty(), "{:?}", skipped(t, &m));
        assert_eq!(
            m.headings.first().map(|h| h.text.as_str()),
            Some("Aid to Korea")
        );
    }
}

#[cfg(test)]
mod bare_url_tests {
    use super::*;

    /// What `bare_urls` found before it searched with memchr (`str::match_indices`).
    fn by_match_indices(text: &str) -> Vec<Span> {
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
                let trimmed =
                    text[i..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '"', '\'']);
                found.push(Span::new(i, i + trimmed.len()));
            }
        }
        found
    }

    #[test]
    fn bare_urls_are_found_as_before() {
        let texts = [
            "See https://history.state.gov/historicaldocuments/frus1950v07/d86.",
            "(www.wilsoncenter.org), http://a.b/c?d=e; and “https://x.y”!",
            "wwww.example.com http://http://x https://https://y www.www.z",
            "xhttp://no /http://no ahttps://no Сеул www.сеул.рф, https://é.fr/…",
            "<https://in.angle> http://end",
            "",
            "www.",
            "http://\nnext",
        ];
        for t in texts {
            assert_eq!(bare_urls(t), by_match_indices(t), "{t:?}");
        }
        let spans = bare_urls("Read www.x.org, then https://y.z/a).");
        let got: Vec<&str> = spans
            .iter()
            .map(|s| s.slice("Read www.x.org, then https://y.z/a)."))
            .collect();
        assert_eq!(got, ["https://y.z/a", "www.x.org"]);
    }
}
