//! Navigation over one analysed document: hover, definition, references, completion,
//! rename, outline. Spans in, spans out; the LSP layer only converts positions.

use crate::facts::{Analysis, Context};
use crate::finding::{Edit, Span};
use crate::notes::{Marker, NoteStyle};

pub mod citation;
pub mod date;
pub mod entity;
pub mod symbols;
pub mod timeline;
pub mod tokens;

/// Markdown to show for a span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HoverResult {
    pub span: Span,
    pub markdown: String,
}

pub fn hover(a: &Analysis, ctx: &Context, offset: usize) -> Option<HoverResult> {
    if !ctx.config.features.hover {
        return None;
    }
    if let Some(h) = note_hover(a, offset) {
        return Some(h);
    }
    // A Pandoc citation: its formatted reference (src/citations/ide.rs).
    if let Some((span, markdown)) =
        crate::ide::citation::hover(&a.citations, &ctx.config.citation_style, offset)
    {
        return Some(HoverResult { span, markdown });
    }
    if ctx.config.features.dates
        && let Some(h) = date::hover(a, ctx, offset)
    {
        return Some(h);
    }
    if ctx.config.features.entities
        && let Some(h) = entity::hover(a, ctx, offset)
    {
        return Some(h);
    }
    None
}

fn note_hover(a: &Analysis, offset: usize) -> Option<HoverResult> {
    let m = a.notes.marker_at(offset)?;
    let title = match m.style {
        NoteStyle::Inline => "Inline note".to_string(),
        _ => format!("Note {}", m.label),
    };
    let def = if m.style == NoteStyle::Inline {
        a.notes
            .definitions
            .iter()
            .find(|d| d.style == NoteStyle::Inline && d.span.overlaps(m.span))
    } else {
        a.notes.definition_of(m)
    };
    let markdown = match def {
        Some(d) => {
            let content = d.content.slice(&a.text).trim();
            let body = if content.is_empty() {
                "*(this note is empty)*".to_string()
            } else {
                dedent(content)
            };
            format!("**{title}**\n\n{body}")
        }
        None => format!("**{title}** is not defined in this document."),
    };
    Some(HoverResult {
        span: m.span,
        markdown,
    })
}

/// Remove the common four-space indentation of continuation lines.
fn dedent(s: &str) -> String {
    s.lines()
        .map(|l| {
            l.strip_prefix("    ")
                .or_else(|| l.strip_prefix('\t'))
                .unwrap_or(l)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn marker_or_definition(a: &Analysis, offset: usize) -> Option<(NoteStyle, String)> {
    if let Some(m) = a.notes.marker_at(offset) {
        return Some((m.style, m.label.clone()));
    }
    a.notes
        .definitions
        .iter()
        .find(|d| d.label_span.touches(offset))
        .map(|d| (d.style, d.label.clone()))
}

/// A place to jump to: in this document (`path: None`) or in another file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub path: Option<std::path::PathBuf>,
    pub span: Span,
}

impl Target {
    fn here(span: Span) -> Target {
        Target { path: None, span }
    }
}

/// Where the thing at `offset` is defined: a note marker's note, an entity's entry in a
/// project gazetteer or front matter (else its first mention).
pub fn definition(a: &Analysis, ctx: &Context, offset: usize) -> Vec<Target> {
    if let Some(m) = a.notes.marker_at(offset) {
        if m.style == NoteStyle::Inline {
            return a
                .notes
                .definitions
                .iter()
                .filter(|d| d.style == NoteStyle::Inline && d.span.overlaps(m.span))
                .map(|d| Target::here(d.content))
                .collect();
        }
        return a
            .notes
            .definition_of(m)
            .map(|d| vec![Target::here(d.label_span)])
            .unwrap_or_default();
    }
    // A Pandoc citation: its entry in the bibliography file.
    if let Some((path, span)) = crate::ide::citation::definition(&a.citations, offset) {
        return vec![Target {
            path: Some(path),
            span,
        }];
    }
    if ctx.config.features.entities {
        match entity::definition(a, ctx, offset) {
            Some(entity::EntityLocation::File { path, span }) => {
                return vec![Target {
                    path: Some(path),
                    span,
                }];
            }
            Some(entity::EntityLocation::Document(span)) => return vec![Target::here(span)],
            None => {}
        }
    }
    Vec::new()
}

/// Every place citing the note at `offset` (markers), plus its definition when
/// `include_declaration`.
pub fn references(
    a: &Analysis,
    ctx: &Context,
    offset: usize,
    include_declaration: bool,
) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    // A marker or a note: every marker resolving to the same note.
    let def_index = match a.notes.marker_at(offset) {
        Some(m) => m.definition,
        None => a
            .notes
            .definitions
            .iter()
            .position(|d| d.label_span.touches(offset)),
    };
    if let Some(i) = def_index {
        out.extend(a.notes.markers_of(i).map(|m: &Marker| m.span));
        if include_declaration && let Some(d) = a.notes.definitions.get(i) {
            out.push(d.label_span);
        }
    } else if let Some((style, label)) = marker_or_definition(a, offset) {
        // An unresolved marker: its siblings with the same label.
        out.extend(a.notes.markers_for(style, &label).map(|m: &Marker| m.span));
    } else if let Some(key) = crate::ide::citation::key_at(&a.citations, offset) {
        // A Pandoc citation: every citation of its key in this document.
        out.extend(crate::ide::citation::references(&a.citations, key));
    } else if ctx.config.features.entities {
        out.extend(entity::references(a, offset));
    }
    out.sort();
    out.dedup();
    out
}

/// Labels to offer after `[^` at `offset`: (label, first line of its note).
pub fn footnote_completions(a: &Analysis, offset: usize) -> Option<Vec<(String, String)>> {
    let before = a.text.get(..offset)?;
    let line_start = before.rfind(['\n', '\r']).map(|i| i + 1).unwrap_or(0);
    let line = &before[line_start..];
    let open = line.rfind("[^")?;
    if line[open..].contains(']') {
        return None;
    }
    let mut seen = std::collections::BTreeMap::new();
    for d in a
        .notes
        .definitions
        .iter()
        .filter(|d| d.style == NoteStyle::Footnote)
    {
        let first = d
            .content
            .slice(&a.text)
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .to_string();
        seen.entry(d.label.clone()).or_insert(first);
    }
    Some(seen.into_iter().collect())
}

/// Edits that rename the footnote label at `offset` everywhere. `None` when there is
/// no renamable label there; `Err` with a reason when the new name is not a label.
pub fn rename(a: &Analysis, offset: usize, new_label: &str) -> Option<Result<Vec<Edit>, String>> {
    let (style, label) = marker_or_definition(a, offset)?;
    if style != NoteStyle::Footnote {
        return None;
    }
    if new_label.is_empty()
        || new_label
            .chars()
            .any(|c| c.is_whitespace() || c == ']' || c == '[' || c == '^')
    {
        return Some(Err(format!(
            "`{new_label}` cannot be a footnote label: use letters, digits, '-' or '_', without spaces or brackets"
        )));
    }
    let mut edits: Vec<Edit> = a
        .notes
        .markers_for(style, &label)
        .map(|m| Edit {
            span: m.label_span,
            new_text: new_label.to_string(),
        })
        .collect();
    let key = crate::notes::label_key(&label);
    for d in a
        .notes
        .definitions
        .iter()
        .filter(|d| d.style == style && crate::notes::label_key(&d.label) == key)
    {
        edits.push(Edit {
            span: d.label_span,
            new_text: new_label.to_string(),
        });
    }
    Some(Ok(edits))
}

/// The span of the renamable label at `offset`.
pub fn prepare_rename(a: &Analysis, offset: usize) -> Option<Span> {
    if let Some(m) = a.notes.marker_at(offset) {
        return (m.style == NoteStyle::Footnote).then_some(m.label_span);
    }
    a.notes
        .definitions
        .iter()
        .find(|d| d.style == NoteStyle::Footnote && d.label_span.touches(offset))
        .map(|d| d.label_span)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    Heading,
    Note,
    /// "Works cited" and each cited work under it.
    Citation,
}

/// An outline entry; headings nest by level, notes sit under their heading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub kind: SymbolKind,
    pub span: Span,
    pub selection: Span,
    pub children: Vec<Symbol>,
}

pub fn symbols(a: &Analysis) -> Vec<Symbol> {
    // (level, symbol) stack.
    let mut roots: Vec<Symbol> = Vec::new();
    let mut stack: Vec<(u8, Symbol)> = Vec::new();
    fn close_to(level: u8, stack: &mut Vec<(u8, Symbol)>, roots: &mut Vec<Symbol>) {
        while stack.last().is_some_and(|(l, _)| *l >= level) {
            if let Some((_, s)) = stack.pop() {
                match stack.last_mut() {
                    Some((_, parent)) => parent.children.push(s),
                    None => roots.push(s),
                }
            }
        }
    }
    let mut items: Vec<(
        usize,
        Option<&crate::markdown::Heading>,
        Option<&crate::notes::Definition>,
    )> = Vec::new();
    for h in &a.md.headings {
        items.push((h.span.start, Some(h), None));
    }
    for d in a
        .notes
        .definitions
        .iter()
        .filter(|d| d.style != NoteStyle::Inline)
    {
        items.push((d.span.start, None, Some(d)));
    }
    items.sort_by_key(|i| i.0);
    for (_, h, d) in items {
        if let Some(h) = h {
            close_to(h.level, &mut stack, &mut roots);
            stack.push((
                h.level,
                Symbol {
                    name: if h.text.is_empty() {
                        "(untitled)".into()
                    } else {
                        h.text.clone()
                    },
                    kind: SymbolKind::Heading,
                    span: h.span,
                    selection: h.content,
                    children: Vec::new(),
                },
            ));
        } else if let Some(d) = d {
            let first = d.content.slice(&a.text).lines().next().unwrap_or("").trim();
            let preview: String = first.chars().take(60).collect();
            let s = Symbol {
                name: format!("[{}] {}", d.label, preview),
                kind: SymbolKind::Note,
                span: d.span,
                selection: d.label_span,
                children: Vec::new(),
            };
            match stack.last_mut() {
                Some((_, parent)) => parent.children.push(s),
                None => roots.push(s),
            }
        }
    }
    close_to(0, &mut stack, &mut roots);
    // Children were pushed as their parents closed; keep them in document order.
    fn order(v: &mut [Symbol]) {
        v.sort_by_key(|s| s.span.start);
        for s in v.iter_mut() {
            order(&mut s.children);
        }
    }
    order(&mut roots);
    // Works cited, in order of first citation, as one last group.
    if let Some(w) = crate::ide::citation::works_cited_symbol(&a.citations) {
        roots.push(w);
    }
    roots
}
