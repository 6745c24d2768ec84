//! Go to definition and find references (across the open documents and the
//! workspace's files, walked as `annalist check` walks them).

use crate::facts::{Context, Knowledge};
use crate::lsp::configs::Configs;
use crate::lsp::convert::{text_range, to_offset, to_range};
use crate::lsp::state::{Backend, lock};
use crate::position::{Encoding, LineIndex};
use std::path::PathBuf;
use std::sync::Arc;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

/// Most workspace files read for one cross-file query.
const WORKSPACE_FILE_LIMIT: usize = 5000;

/// A span of the file at `path`, read from disk, as a location.
fn file_location(
    path: &std::path::Path,
    span: crate::finding::Span,
    enc: Encoding,
) -> Option<Location> {
    let text = std::fs::read_to_string(path).ok()?;
    let lines = LineIndex::new(&text);
    Some(Location {
        uri: Uri::from_file_path(path)?,
        range: text_range(&text, &lines, span, enc),
    })
}

impl Backend {
    pub async fn on_goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let p = params.text_document_position_params;
        let uri = p.text_document.uri;
        let Some((a, enc, res)) = self.analysis(&uri).await? else {
            return Ok(None);
        };
        Self::guard("definition", || {
            let offset = to_offset(&a, p.position, enc);
            let ctx = Context {
                config: &res.config,
                knowledge: &res.knowledge,
            };
            let targets = crate::ide::definition(&a, &ctx, offset);
            let locs: Vec<Location> = targets
                .into_iter()
                .filter_map(|t| match t.path {
                    None => Some(Location {
                        uri: uri.clone(),
                        range: to_range(&a, t.span, enc),
                    }),
                    Some(path) => file_location(&path, t.span, enc),
                })
                .collect();
            match locs.len() {
                0 => None,
                1 => locs.into_iter().next().map(GotoDefinitionResponse::Scalar),
                _ => Some(GotoDefinitionResponse::Array(locs)),
            }
        })
    }

    pub async fn on_references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let p = params.text_document_position;
        let uri = p.text_document.uri;
        let Some((a, enc, res)) = self.analysis(&uri).await? else {
            return Ok(None);
        };
        let (mut locations, entity_id) = Self::guard("references", || {
            let offset = to_offset(&a, p.position, enc);
            let ctx = Context {
                config: &res.config,
                knowledge: &res.knowledge,
            };
            let spans =
                crate::ide::references(&a, &ctx, offset, params.context.include_declaration);
            let entity_id = if a.notes.marker_at(offset).is_none() && res.config.features.entities {
                crate::ide::entity::entity_at(&a, offset).and_then(|m| {
                    a.knowledge(&ctx)
                        .gazetteer
                        .get(m.entity)
                        .map(|e| e.id.clone())
                })
            } else {
                None
            };
            let locs: Vec<Location> = spans
                .into_iter()
                .map(|s| Location {
                    uri: uri.clone(),
                    range: to_range(&a, s, enc),
                })
                .collect();
            (locs, entity_id)
        })?;
        // A citation key: its citations in the other open documents, and in the indexed
        // workspace files that are not open (src/citations/).
        if let Some(key) =
            crate::ide::citation::key_at(&a.citations, to_offset(&a, p.position, enc))
                .map(str::to_string)
        {
            // The unopened files' citations come from the workspace index: at start,
            // wait for it (up to `READY_WAIT`).
            crate::lsp::publish::wait_ready(&self.ready).await;
            let unopened: Vec<(String, PathBuf)> = {
                let st = lock(&self.state);
                for (u, e) in st.docs.iter().filter(|(u, _)| **u != uri) {
                    if let Some((_, other)) = &e.analysis {
                        for s in crate::ide::citation::references(&other.citations, &key) {
                            locations.push(Location {
                                uri: u.clone(),
                                range: to_range(other, s, enc),
                            });
                        }
                    }
                }
                let open = open_paths(st.docs.keys());
                st.ws
                    .files
                    .iter()
                    .filter(|(_, f)| !open.contains(&f.path))
                    .map(|(u, f)| (u.clone(), f.path.clone()))
                    .collect()
            };
            let found =
                tokio::task::spawn_blocking(move || citations_in_files(&key, unopened, enc))
                    .await
                    .unwrap_or_default();
            locations.extend(found);
        }
        // An entity: its mentions in every other open document and workspace file. The
        // asked document's own are listed above: its file on disk is not read again.
        if let Some(id) = entity_id {
            let (others, open, configs) = {
                let st = lock(&self.state);
                let others: Vec<(Uri, Arc<str>)> = st
                    .docs
                    .iter()
                    .filter(|(u, _)| **u != uri)
                    .map(|(u, e)| (u.clone(), e.doc.text().clone()))
                    .collect();
                (others, open_paths(st.docs.keys()), st.configs.clone())
            };
            let knowledge = res.knowledge.clone();
            let found = tokio::task::spawn_blocking(move || {
                workspace_mentions(&id, others, &open, &configs, &knowledge, enc)
            })
            .await
            .unwrap_or_default();
            locations.extend(found);
        }
        Ok(Some(locations))
    }
}

/// The files of the open documents: their text is the editor's, never the disk's.
fn open_paths<'a>(uris: impl Iterator<Item = &'a Uri>) -> Vec<PathBuf> {
    uris.filter_map(|u| u.to_file_path().map(|p| p.into_owned()))
        .collect()
}

/// Mentions of entity `id` in the open documents `others` (their live text) and in the
/// workspace's files that are not open (`open`: every open document's file, the asked
/// one's too), walked as `annalist check <root>` walks them (each directory's `exclude`
/// and `extensions`). Unreadable and non-UTF-8 files are passed over. Reads only;
/// writes nothing.
fn workspace_mentions(
    id: &str,
    others: Vec<(Uri, Arc<str>)>,
    open: &[PathBuf],
    configs: &Configs,
    knowledge: &Knowledge,
    enc: Encoding,
) -> Vec<Location> {
    let mut out = Vec::new();
    let mut collect = |uri: Uri, text: &str| {
        let md = crate::document::parse_model(text);
        let lines = LineIndex::new(text);
        for span in crate::ide::symbols::mentions_of(
            &knowledge.recognizer,
            &knowledge.gazetteer,
            text,
            &md,
            id,
        ) {
            out.push(Location {
                uri: uri.clone(),
                range: text_range(text, &lines, span, enc),
            });
        }
    };
    for (u, text) in &others {
        collect(u.clone(), text);
    }
    let (paths, _) = crate::lsp::folder_index::walk(configs, WORKSPACE_FILE_LIMIT);
    for path in paths {
        if open.contains(&path) {
            continue;
        }
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        if let Some(u) = Uri::from_file_path(&path) {
            collect(u, &text);
        }
    }
    out
}

/// The citations of `key` in workspace files that are not open, by file (src/citations/).
fn citations_in_files(
    key: &str,
    mut files: Vec<(String, PathBuf)>,
    enc: Encoding,
) -> Vec<Location> {
    files.sort_by(|x, y| x.0.cmp(&y.0));
    let mut out = Vec::new();
    for (u, path) in &files {
        // Read as the index reads it (the index keeps no text): unreadable and
        // non-UTF-8 files are passed over, a byte-order mark is not part of the text.
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
        // A file that never spells the key cannot cite it: only those that do are
        // parsed.
        if !text.contains(key) {
            continue;
        }
        let Ok(uri) = u.parse::<Uri>() else { continue };
        let md = crate::markdown::chunks::parse(text);
        let lines = LineIndex::new(text);
        for s in crate::ide::citation::references_in(text, &md, key) {
            out.push(Location {
                uri: uri.clone(),
                range: text_range(text, &lines, s, enc),
            });
        }
    }
    out
}
