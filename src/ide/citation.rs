//! Navigation over a document's citations: hover, definition, references, completion,
//! works cited. Spans in, spans out (and bibliography paths); no LSP types.

use crate::citations::{Citation, DocCitations};
use crate::finding::Span;
use std::path::PathBuf;

/// Markdown for the citation at `offset`: the formatted reference and the locator.
pub fn hover(c: &DocCitations, style: &str, offset: usize) -> Option<(Span, String)> {
    let cite = c.at(offset)?;
    let span = Span::new(cite.key_span.start.saturating_sub(1), cite.key_span.end);
    let md = match c.lookup(&cite.key) {
        Some((bib, e)) => {
            let mut s = format!(
                "**@{}** — {}\n\n{}",
                e.key,
                e.short(),
                crate::citations::reference(e, style)
            );
            if let Some(l) = &cite.locator {
                s.push_str(&format!("\n\nCited at: **{l}**"));
            }
            if !cite.prefix.is_empty() || !cite.suffix.is_empty() {
                s.push_str(&format!(
                    "\n\nAs written: {}{}{}",
                    if cite.prefix.is_empty() {
                        String::new()
                    } else {
                        format!("{} ", cite.prefix)
                    },
                    cite.key,
                    if cite.suffix.is_empty() {
                        String::new()
                    } else {
                        format!(", {}", cite.suffix)
                    },
                ));
            }
            let file = bib
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            s.push_str(&format!("\n\n*{} entry in {file}*", e.kind));
            s
        }
        None if c.configured() => format!(
            "**@{}** is in none of this document's bibliographies.",
            cite.key
        ),
        None => format!(
            "**@{}**: no bibliography is configured (front matter `bibliography:` or `bibliographies` in annalist.toml).",
            cite.key
        ),
    };
    Some((span, md))
}

/// The bibliography entry of the citation at `offset`: (file, entry span).
pub fn definition(c: &DocCitations, offset: usize) -> Option<(PathBuf, Span)> {
    let cite = c.at(offset)?;
    let (bib, e) = c.lookup(&cite.key)?;
    Some((bib.path.clone(), e.key_span))
}

/// The key cited at `offset`, if any.
pub fn key_at(c: &DocCitations, offset: usize) -> Option<&str> {
    c.at(offset).map(|x| x.key.as_str())
}

/// Every citation of `key` in this document (key spans).
pub fn references(c: &DocCitations, key: &str) -> Vec<Span> {
    c.cites
        .iter()
        .filter(|x| x.key == key)
        .map(|x| x.key_span)
        .collect()
}

/// The key spans of the citations of `key` in a text that no analysis covers (a
/// workspace file that is not open), read with its Markdown model.
pub fn references_in(text: &str, md: &crate::markdown::MdModel, key: &str) -> Vec<Span> {
    crate::citations::syntax::find(text, md)
        .into_iter()
        .filter(|c| c.key == key)
        .map(|c| c.key_span)
        .collect()
}

/// A completion item: the key, a one-line detail (author, year), the title.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    pub key: String,
    pub detail: String,
    pub documentation: String,
    /// The text the key replaces (the partial key typed after `@`).
    pub replace: Span,
}

/// Keys to offer after `@` at `offset` (the cursor), filtered by what is typed.
pub fn completions(c: &DocCitations, text: &str, offset: usize) -> Option<Vec<Completion>> {
    let before = text.get(..offset)?;
    let typed_len = before
        .chars()
        .rev()
        .take_while(|ch| ch.is_alphanumeric() || matches!(ch, '_' | ':' | '.' | '-' | '{'))
        .map(char::len_utf8)
        .sum::<usize>();
    let at = offset - typed_len;
    if !before[..at].ends_with('@') {
        return None;
    }
    // Not an e-mail address.
    if before[..at - 1]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
    {
        return None;
    }
    let typed = before[at..].trim_start_matches('{').to_lowercase();
    let mut seen = std::collections::HashSet::new();
    let items: Vec<Completion> = c
        .bibs()
        .flat_map(|b| b.entries.iter())
        .filter(|e| seen.insert(e.key.clone()))
        .filter(|e| typed.is_empty() || e.key.to_lowercase().contains(&typed))
        .map(|e| Completion {
            key: e.key.clone(),
            detail: e.short(),
            documentation: e.title.clone().unwrap_or_default(),
            replace: Span::new(at, offset),
        })
        .collect();
    (c.configured()).then_some(items)
}

/// Works cited, in order of first citation: (key, first citation, label).
pub fn works_cited(c: &DocCitations) -> Vec<(String, &Citation, String)> {
    c.keys_in_order()
        .into_iter()
        .filter_map(|k| {
            let first = c.cites.iter().find(|x| x.key == k)?;
            let label = match c.lookup(k) {
                Some((_, e)) => format!(
                    "@{k} — {}{}",
                    e.short(),
                    e.title
                        .as_ref()
                        .map(|t| format!(", {}", t.chars().take(60).collect::<String>()))
                        .unwrap_or_default()
                ),
                None => format!("@{k} (undefined)"),
            };
            Some((k.to_string(), first, label))
        })
        .collect()
}

/// The outline's "Works cited" group: each work at its first citation.
pub fn works_cited_symbol(c: &DocCitations) -> Option<crate::ide::Symbol> {
    let works = works_cited(c);
    let first = works.first()?.1.span;
    let last = works
        .iter()
        .map(|w| w.1.span.end)
        .max()
        .unwrap_or(first.end);
    let children = works
        .into_iter()
        .map(|(_, cite, label)| crate::ide::Symbol {
            name: label,
            kind: crate::ide::SymbolKind::Citation,
            span: cite.span,
            selection: cite.key_span,
            children: Vec::new(),
        })
        .collect();
    Some(crate::ide::Symbol {
        name: "Works cited".into(),
        kind: crate::ide::SymbolKind::Citation,
        span: Span::new(first.start, last),
        selection: first,
        children,
    })
}
