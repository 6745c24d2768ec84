//! Workspace symbols: the gazetteer's entities matching a query that the workspace
//! mentions, each with where to go — its definition (a project gazetteer file or front
//! matter), else its first mention in an open document, else in a workspace file — and
//! an entity's mentions in a text. Plain data; the server makes locations of them.

use crate::facts::{Analysis, NameIndex};
use crate::finding::Span;
use crate::gazetteer::{EntityKind, Gazetteer};
use crate::markdown::MdModel;
use crate::names::Recognizer;
use std::path::PathBuf;

/// Where an entity symbol points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SymbolPlace {
    /// Its entry in a gazetteer file (byte span of that file).
    Defined { file: PathBuf, span: Span },
    /// Its first mention in the open document at this index of `open`.
    Open { doc: usize, span: Span },
    /// Its first spelling in the workspace file at this index of `files`.
    File { file: usize, span: Span },
}

/// One entity symbol.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntitySymbol {
    pub name: String,
    pub kind: EntityKind,
    pub description: Option<String>,
    pub place: SymbolPlace,
}

/// The entities of `g` matching `query` (best match first, as
/// [`crate::names::search_entities`] ranks them), at most `limit`, each placed. `open`
/// are the open documents' analyses and `files` the unopened files' name indexes, each
/// in the order they should be searched; an entity mentioned nowhere is left out.
/// `defined` says whether a gazetteer file is still there to point at.
pub fn workspace_symbols(
    g: &Gazetteer,
    query: &str,
    open: &[&Analysis],
    files: &[&NameIndex],
    limit: usize,
    defined: &dyn Fn(&std::path::Path) -> bool,
) -> Vec<EntitySymbol> {
    let mut out = Vec::new();
    for i in crate::names::search_entities(g, query) {
        if out.len() >= limit {
            break;
        }
        let Some(e) = g.entities.get(i) else { continue };
        let at_definition = g.origin(i).and_then(|o| {
            let file = o.file.as_ref()?;
            defined(file).then(|| SymbolPlace::Defined {
                file: file.clone(),
                span: o.span,
            })
        });
        let in_open = || {
            open.iter().enumerate().find_map(|(doc, a)| {
                let m = a.mentions.iter().find(|m| m.entity == i)?;
                Some(SymbolPlace::Open { doc, span: m.span })
            })
        };
        let in_files = || {
            files.iter().enumerate().find_map(|(file, names)| {
                let en = names.entities.iter().find(|x| *x.id == *e.id)?;
                let first = en.spellings.iter().flat_map(|s| s.occs.iter()).min()?;
                Some(SymbolPlace::File { file, span: *first })
            })
        };
        let Some(place) = at_definition.or_else(in_open).or_else(in_files) else {
            continue;
        };
        out.push(EntitySymbol {
            name: e.preferred.clone(),
            kind: e.kind,
            description: e.description.clone(),
            place,
        });
    }
    out
}

/// The spans where `text` (parsed as `md`) mentions the entity with id `id`.
pub fn mentions_of(
    recognizer: &Recognizer,
    g: &Gazetteer,
    text: &str,
    md: &MdModel,
    id: &str,
) -> Vec<Span> {
    recognizer
        .find(text, md)
        .into_iter()
        .filter(|m| g.get(m.entity).is_some_and(|e| e.id == id))
        .map(|m| m.span)
        .collect()
}
