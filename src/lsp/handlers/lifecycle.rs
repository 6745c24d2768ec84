//! Initialize, initialized, shutdown and configuration changes.

use crate::lsp::configs::Configs;
use crate::lsp::folder_index::OpenNames;
use crate::lsp::settings::{self, Source};
use crate::lsp::state::{Backend, lock};
use crate::lsp::tokens_legend;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;

static SHUTDOWN_REQUESTED: AtomicBool = AtomicBool::new(false);

/// True when the client sent `shutdown` before the connection ended.
pub fn exit_was_clean() -> bool {
    SHUTDOWN_REQUESTED.load(Ordering::SeqCst)
}

fn client_wants_utf8(params: &InitializeParams) -> bool {
    params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref())
        .is_some_and(|encs| encs.contains(&PositionEncodingKind::UTF8))
}

impl Backend {
    /// Read the configurations afresh under the current settings: every open document
    /// gets the configuration `check` would give it (and is analysed again), and what
    /// is wrong with the settings is queued to be shown.
    /// `source`: where new settings came from (their problems are shown); `None` when
    /// only a configuration file changed.
    pub fn reload_configs(&self, source: Option<Source>) {
        let mut st = lock(&self.state);
        let configs = Arc::new(Configs::new(
            st.root.clone(),
            st.settings.clone(),
            st.embedded.clone(),
        ));
        if let Some(source) = source {
            let problems = settings::problems(&st.settings, source);
            st.pending_settings.extend(problems);
        }
        for (u, e) in st.docs.iter_mut() {
            e.res = configs.for_uri(u);
            e.reuse = Arc::default();
            e.generation += 1;
        }
        // The root's configuration is read (and its problems shown) with no document open.
        let _ = configs.for_root();
        st.configs = configs;
    }

    pub async fn on_initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let utf8 = client_wants_utf8(&params);
        // Pull only when the client can also be told to pull again (after a settings
        // change): Neovim 0.11 pulls but has no `workspace/diagnostic/refresh`, so it
        // gets pushed diagnostics.
        let pull = params
            .capabilities
            .text_document
            .as_ref()
            .and_then(|t| t.diagnostic.as_ref())
            .is_some()
            && params
                .capabilities
                .workspace
                .as_ref()
                .and_then(|w| w.diagnostics.as_ref())
                .and_then(|d| d.refresh_support)
                .unwrap_or(false);
        #[allow(deprecated)]
        let root = params
            .workspace_folders
            .as_ref()
            .and_then(|f| f.first())
            .and_then(|f| f.uri.to_file_path().map(|p| p.into_owned()))
            .or_else(|| {
                params
                    .root_uri
                    .as_ref()
                    .and_then(|u| u.to_file_path().map(|p| p.into_owned()))
            });
        {
            let mut st = lock(&self.state);
            st.encoding = if utf8 {
                crate::position::Encoding::Utf8
            } else {
                crate::position::Encoding::Utf16
            };
            st.pull = pull;
            st.supports = crate::lsp::convert::Supports::of_client(&params.capabilities, pull);
            st.root = root;
            st.watching = params
                .capabilities
                .workspace
                .as_ref()
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false);
            if let Some(opts) = params.initialization_options.clone() {
                st.settings = opts;
            }
        }
        self.reload_configs(Some(Source::Initialization));
        self.rebuild_workspace(false);
        let features = lock(&self.state).configs.for_root().config.features.clone();
        let capabilities = ServerCapabilities {
            position_encoding: Some(if utf8 {
                PositionEncodingKind::UTF8
            } else {
                PositionEncodingKind::UTF16
            }),
            text_document_sync: Some(TextDocumentSyncCapability::Options(
                TextDocumentSyncOptions {
                    open_close: Some(true),
                    change: Some(TextDocumentSyncKind::INCREMENTAL),
                    save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                    ..Default::default()
                },
            )),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            definition_provider: Some(OneOf::Left(true)),
            references_provider: Some(OneOf::Left(true)),
            rename_provider: Some(OneOf::Right(RenameOptions {
                prepare_provider: Some(true),
                work_done_progress_options: Default::default(),
            })),
            document_symbol_provider: Some(OneOf::Left(true)),
            workspace_symbol_provider: Some(OneOf::Left(true)),
            completion_provider: features.completion.then(|| CompletionOptions {
                trigger_characters: Some(vec!["^".into(), "@".into()]),
                ..Default::default()
            }),
            code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
                code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
                ..Default::default()
            })),
            diagnostic_provider: pull.then(|| {
                DiagnosticServerCapabilities::Options(DiagnosticOptions {
                    identifier: Some("annalist".into()),
                    inter_file_dependencies: false,
                    workspace_diagnostics: false,
                    work_done_progress_options: Default::default(),
                })
            }),
            semantic_tokens_provider: features.semantic_tokens.then(|| {
                SemanticTokensServerCapabilities::SemanticTokensOptions(SemanticTokensOptions {
                    legend: SemanticTokensLegend {
                        token_types: tokens_legend(),
                        token_modifiers: vec![],
                    },
                    full: Some(SemanticTokensFullOptions::Bool(true)),
                    range: None,
                    work_done_progress_options: Default::default(),
                })
            }),
            inlay_hint_provider: features.inlay_hints.then_some(OneOf::Left(true)),
            ..Default::default()
        };
        Ok(InitializeResult {
            capabilities,
            server_info: Some(ServerInfo {
                name: "annalist".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            offset_encoding: None,
        })
    }

    pub async fn on_initialized(&self) {
        lock(&self.state).initialized = true;
        self.report_config_problems(Vec::new()).await;
        // Files changed outside the editor (a checkout, another program) are compared
        // again: ask the client to tell us about them.
        let (watching, extensions) = {
            let st = lock(&self.state);
            (
                st.watching && st.root.is_some(),
                st.configs.for_root().config.extensions.clone(),
            )
        };
        if watching && !extensions.is_empty() {
            let glob = if extensions.len() == 1 {
                format!("**/*.{}", extensions.join(""))
            } else {
                format!("**/*.{{{}}}", extensions.join(","))
            };
            let reg = Registration {
                id: "annalist-watch-markdown".into(),
                method: "workspace/didChangeWatchedFiles".into(),
                register_options: Some(serde_json::json!({
                    "watchers": [{ "globPattern": glob }, { "globPattern": "**/*.{bib,json,yaml,yml}" }]
                })),
            };
            if let Err(e) = self.client.register_capability(vec![reg]).await {
                self.client
                    .log_message(
                        MessageType::LOG,
                        format!("annalist: the editor declined to watch files ({e}); names in files changed outside it are compared again when they are opened and closed"),
                    )
                    .await;
            }
        }
        self.client
            .log_message(
                MessageType::INFO,
                format!("annalist {} ready", env!("CARGO_PKG_VERSION")),
            )
            .await;
    }

    pub async fn on_shutdown(&self) -> Result<()> {
        SHUTDOWN_REQUESTED.store(true, Ordering::SeqCst);
        // The open documents' name indexes into the cache, for the next start's index.
        let (dir, open) = {
            let mut st = lock(&self.state);
            // Those waiting for an index build's save too (opened and closed since).
            let queued = st.keep_names.take().unwrap_or_default();
            let mut open: Vec<_> = st
                .docs
                .iter()
                .filter_map(|(uri, e)| {
                    let (generation, a) = e.analysis.as_ref()?;
                    (*generation == e.generation).then_some(())?;
                    let path = uri.to_file_path()?.into_owned();
                    Some(OpenNames::of(path, e.res.clone(), a))
                })
                .collect();
            open.extend(queued);
            (
                st.configs.cache_dir().map(std::path::Path::to_path_buf),
                open,
            )
        };
        if let Some(dir) = dir
            && !open.is_empty()
        {
            crate::cachedir::write_later(move || {
                crate::lsp::folder_index::keep_open_names(&dir, open)
            });
        }
        Ok(())
    }

    /// A configuration file was saved or the editor settings changed: every document
    /// is judged again under its configuration.
    pub async fn config_changed(&self, source: Option<Source>) {
        let clear = std::mem::take(&mut lock(&self.state).reported_configs);
        self.reload_configs(source);
        self.report_config_problems(clear).await;
        // The names of every file depend on the gazetteers and the configuration.
        self.rebuild_workspace(false);
        let (uris, pull) = {
            let st = lock(&self.state);
            (st.docs.keys().cloned().collect::<Vec<Uri>>(), st.pull)
        };
        for uri in uris {
            self.schedule(uri);
        }
        if pull {
            let _ = self.client.workspace_diagnostic_refresh().await;
        }
    }
}
