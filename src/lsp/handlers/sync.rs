//! Document synchronisation: open, change, close, save, and files changed on disk.
//!
//! `did_change` applies its edits synchronously, under the store's lock, before any
//! `.await`: edits are applied strictly in arrival order (tower-lsp-server runs
//! handlers concurrently; see shared research on the ordering trap).

use crate::document::Document;
use crate::finding::Span;
use crate::lsp::settings::Source;
use crate::lsp::state::{Backend, DocEntry, is_bibliography_file, is_config_file, lock};
use crate::position::{Encoding, LineCol, rope_offset};
use tower_lsp_server::ls_types::*;

impl Backend {
    pub async fn on_did_open(&self, params: DidOpenTextDocumentParams) {
        let d = params.text_document;
        // First of all: the workspace index, walking meanwhile, must not read it.
        self.mark_opened(&d.uri, true);
        {
            let (generation, res) = {
                let st = lock(&self.state);
                let generation = st.docs.get(&d.uri).map(|e| e.generation + 1).unwrap_or(0);
                // The document's own configuration, as `check` would find it.
                (generation, st.configs.for_uri(&d.uri))
            };
            // Parsed without holding the state lock (a large document's chunks are
            // parsed in parallel; the workspace index and requests need the lock
            // meanwhile). No await comes between, so notifications stay in order.
            let parse_limit = res.config.limits.analysed_bytes();
            let doc = Document::with_parse_limit(&d.text, d.version, parse_limit);
            lock(&self.state)
                .docs
                .insert(d.uri.clone(), DocEntry::new(doc, res, generation));
        }
        self.schedule(d.uri);
        // A configuration read for the first time may have problems to show.
        self.report_config_problems(Vec::new()).await;
    }

    pub async fn on_did_change(&self, params: DidChangeTextDocumentParams) {
        // Applied synchronously, before any await: this keeps edits in order.
        let uri = params.text_document.uri;
        let version = params.text_document.version;
        let mut gap = None;
        let warning = {
            let mut st = lock(&self.state);
            let enc = st.encoding;
            match st.docs.get_mut(&uri) {
                None => Some(format!(
                    "annalist: a change arrived for {}, which is not open; ignored (the editor will resend it on open)",
                    uri.as_str()
                )),
                Some(e) => {
                    let mut warn = None;
                    if version > e.doc.version.saturating_add(1) {
                        // Allowed (versions need only increase), but worth a trace
                        // when a client is suspected of dropping changes.
                        gap = Some(format!(
                            "annalist: change to {} jumps from version {} to {}; if the editor dropped changes, close and reopen the document",
                            uri.as_str(),
                            e.doc.version,
                            version
                        ));
                    }
                    if version <= e.doc.version {
                        warn = Some(format!(
                            "annalist: change to {} has version {} after version {}; applied in arrival order",
                            uri.as_str(),
                            version,
                            e.doc.version
                        ));
                    }
                    let changes = params.content_changes;
                    let applied = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        apply_changes(&mut e.doc, changes, enc)
                    }));
                    if applied.is_err() {
                        warn = Some(format!(
                            "annalist: could not apply a change to {}; the document may be out of sync until it is reopened",
                            uri.as_str()
                        ));
                    }
                    e.doc.version = version;
                    e.generation += 1;
                    warn
                }
            }
        };
        self.schedule(uri);
        if let Some(g) = gap {
            self.client.log_message(MessageType::LOG, g).await;
        }
        if let Some(w) = warning {
            self.client.log_message(MessageType::WARNING, w).await;
        }
    }

    pub async fn on_did_close(&self, params: DidCloseTextDocumentParams) {
        let pull = {
            let mut st = lock(&self.state);
            st.docs.remove(&params.text_document.uri);
            self.mark_opened(&params.text_document.uri, false);
            st.pull
        };
        // Requests waiting for its analysis look again (and find it closed).
        self.analysed.send_modify(|n| *n = n.wrapping_add(1));
        // The file on disk (perhaps unsaved changes dropped) counts again.
        if let Some(p) = params.text_document.uri.to_file_path() {
            self.reindex_file(p.into_owned());
        }
        // What the document's analyses held goes back to the system once idle.
        crate::lsp::quiet::give_back_when_idle();
        if !pull {
            crate::lsp::wire::publish_diagnostics(
                &self.client,
                params.text_document.uri,
                Vec::new(),
                None,
            )
            .await;
        }
    }

    pub async fn on_did_save(&self, params: DidSaveTextDocumentParams) {
        let is_config = params
            .text_document
            .uri
            .to_file_path()
            .is_some_and(|p| is_config_file(&p));
        if is_config {
            self.config_changed(None).await;
        }
    }

    pub async fn on_did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let mut rebuild = false;
        let mut config = false;
        for ch in params.changes {
            let Some(path) = ch.uri.to_file_path().map(|p| p.into_owned()) else {
                continue;
            };
            // A configuration file created, changed or deleted outside the editor (the
            // VS Code extension watches them): which configuration governs each
            // document may have changed.
            if is_config_file(&path) {
                config = true;
                continue;
            }
            // A bibliography changed: re-analyse the open documents (the cache in
            // src/citations/ re-reads the file).
            if is_bibliography_file(&path) {
                let open: Vec<Uri> = {
                    let mut st = lock(&self.state);
                    for e in st.docs.values_mut() {
                        e.generation += 1;
                    }
                    st.docs.keys().cloned().collect()
                };
                for u in open {
                    self.schedule(u);
                }
                continue;
            }
            if ch.typ == FileChangeType::CHANGED {
                let open = lock(&self.state).docs.contains_key(&ch.uri);
                if !open {
                    self.reindex_file(path);
                }
            } else {
                // Created or deleted: which files the walk finds may have changed.
                rebuild = true;
            }
        }
        if config {
            // Reloads every configuration and rebuilds the index.
            self.config_changed(None).await;
        } else if rebuild {
            self.rebuild_workspace(true);
        }
    }

    pub async fn on_did_change_configuration(&self, params: DidChangeConfigurationParams) {
        lock(&self.state).settings = params.settings;
        self.config_changed(Some(Source::DidChangeConfiguration))
            .await;
    }
}

/// Apply LSP content changes to a document, in order: each change's positions refer
/// to the text left by the previous one. One incremental reparse at the end.
fn apply_changes(doc: &mut Document, changes: Vec<TextDocumentContentChangeEvent>, enc: Encoding) {
    let mut pending = false;
    for ch in changes {
        match ch.range {
            None => {
                doc.replace_all(&ch.text);
                pending = false;
            }
            Some(r) => {
                let rope = doc.rope();
                let s = rope_offset(
                    rope,
                    LineCol {
                        line: r.start.line,
                        col: r.start.character,
                    },
                    enc,
                );
                let e = rope_offset(
                    rope,
                    LineCol {
                        line: r.end.line,
                        col: r.end.character,
                    },
                    enc,
                );
                doc.edit_deferred(Span::new(s.min(e), s.max(e)), &ch.text);
                pending = true;
            }
        }
    }
    if pending {
        doc.reparse();
    }
}
