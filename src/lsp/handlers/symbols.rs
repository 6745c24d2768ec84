//! Document symbols (the outline), workspace symbols (the gazetteer's entities the
//! workspace mentions) and semantic tokens. The choices are the engine's
//! (`ide::symbols`, `ide::tokens`); here they become LSP values.

use crate::facts::{Analysis, Context, NameIndex};
use crate::gazetteer::EntityKind;
use crate::ide::symbols::SymbolPlace;
use crate::lsp::convert::{marked_range, semantic_tokens, text_range, to_range};
use crate::lsp::folder_index::WsFile;
use crate::lsp::state::{Backend, lock};
use crate::position::{Encoding, LineIndex};
use std::sync::Arc;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

/// Most workspace symbols answered.
const SYMBOL_LIMIT: usize = 200;

fn entity_kind(k: EntityKind) -> SymbolKind {
    match k {
        EntityKind::Person => SymbolKind::CLASS,
        EntityKind::Place => SymbolKind::NAMESPACE,
        EntityKind::Organisation => SymbolKind::STRUCT,
        EntityKind::Event => SymbolKind::EVENT,
    }
}

#[allow(deprecated)]
fn outline(a: &Analysis, s: &crate::ide::Symbol, enc: Encoding) -> DocumentSymbol {
    DocumentSymbol {
        name: s.name.clone(),
        detail: None,
        kind: match s.kind {
            crate::ide::SymbolKind::Heading => SymbolKind::STRING,
            crate::ide::SymbolKind::Note => SymbolKind::KEY,
            crate::ide::SymbolKind::Citation => SymbolKind::OBJECT,
        },
        tags: None,
        deprecated: None,
        range: to_range(a, s.span, enc),
        selection_range: to_range(a, s.selection, enc),
        children: Some(s.children.iter().map(|c| outline(a, c, enc)).collect()),
    }
}

impl Backend {
    pub async fn on_document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let Some((a, enc, _)) = self.analysis(&params.text_document.uri).await? else {
            return Ok(None);
        };
        Self::guard("documentSymbol", || {
            let syms = crate::ide::symbols(&a);
            Some(DocumentSymbolResponse::Nested(
                syms.iter().map(|s| outline(&a, s, enc)).collect(),
            ))
        })
    }

    /// The gazetteer's entities matching the query that the workspace mentions, each at
    /// its definition (a project gazetteer file or front matter) or else its first
    /// mention: in an open document, else in a workspace file.
    pub async fn on_workspace_symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        // The unopened files' names come from the workspace index: at start, wait for
        // it (up to `READY_WAIT`).
        crate::lsp::publish::wait_ready(&self.ready).await;
        let state = self.state.clone();
        Self::guard("workspace/symbol", || {
            let st = lock(&state);
            let enc = st.encoding;
            let root = st.configs.for_root();
            let g = &root.knowledge.gazetteer;
            let mut open: Vec<(&Uri, &Arc<Analysis>)> = st
                .docs
                .iter()
                .filter_map(|(u, e)| e.analysis.as_ref().map(|(_, a)| (u, a)))
                .collect();
            open.sort_by(|x, y| x.0.as_str().cmp(y.0.as_str()));
            let open_paths: Vec<std::path::PathBuf> = open
                .iter()
                .filter_map(|(u, _)| u.to_file_path().map(|p| p.into_owned()))
                .collect();
            let mut files: Vec<(&String, &WsFile)> = st
                .ws
                .files
                .iter()
                .filter(|(_, f)| !open_paths.contains(&f.path))
                .collect();
            files.sort_by(|x, y| x.0.cmp(y.0));
            let analyses: Vec<&Analysis> = open.iter().map(|(_, a)| a.as_ref()).collect();
            let names: Vec<&NameIndex> = files.iter().map(|(_, f)| &*f.names).collect();
            let found = crate::ide::symbols::workspace_symbols(
                g,
                &params.query,
                &analyses,
                &names,
                SYMBOL_LIMIT,
                &|p| p.is_file(),
            );
            let out: Vec<SymbolInformation> = found
                .into_iter()
                .filter_map(|s| {
                    let location = match s.place {
                        SymbolPlace::Defined { file, span } => {
                            let text = std::fs::read_to_string(&file).ok()?;
                            Location {
                                uri: Uri::from_file_path(&file)?,
                                range: text_range(&text, &LineIndex::new(&text), span, enc),
                            }
                        }
                        SymbolPlace::Open { doc, span } => {
                            let (u, a) = open.get(doc)?;
                            Location {
                                uri: (*u).clone(),
                                range: to_range(a, span, enc),
                            }
                        }
                        SymbolPlace::File { file, span } => {
                            let (u, f) = files.get(file)?;
                            Location {
                                uri: u.parse().ok()?,
                                range: marked_range(&f.marks, span, enc)?,
                            }
                        }
                    };
                    #[allow(deprecated)]
                    Some(SymbolInformation {
                        name: s.name,
                        kind: entity_kind(s.kind),
                        tags: None,
                        deprecated: None,
                        location,
                        container_name: s.description,
                    })
                })
                .collect();
            Some(WorkspaceSymbolResponse::Flat(out))
        })
    }

    pub async fn on_semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        let Some((a, enc, res)) = self.analysis(&params.text_document.uri).await? else {
            return Ok(None);
        };
        if !res.config.features.semantic_tokens {
            return Ok(None);
        }
        Self::guard("semanticTokens", || {
            let ctx = Context {
                config: &res.config,
                knowledge: &res.knowledge,
            };
            let toks: Vec<(crate::finding::Span, u32)> = crate::ide::tokens::classify(&a, &ctx)
                .into_iter()
                .map(|(s, c)| (s, c.index()))
                .collect();
            Some(SemanticTokensResult::Tokens(SemanticTokens {
                result_id: None,
                data: semantic_tokens(&a, &toks, enc),
            }))
        })
    }
}
