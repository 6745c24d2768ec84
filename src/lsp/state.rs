//! The server's state: the open documents, the negotiated encoding and diagnostics
//! mode, the configurations ([`super::configs`]) and the workspace index.
//!
//! Invariants:
//! - Every document has a generation counter bumped by each change (and by a
//!   configuration change). An analysis is stored and published only if its generation
//!   is still the document's current one, so a stale result never replaces a newer one.
//! - The state sits behind one `std::sync::Mutex`, never held across an `.await`.

use super::configs::{Configs, Resolved};
use super::folder_index::WsIndex;
use crate::analysis;
use crate::config::FileProblem;
use crate::document::{Document, Snapshot};
use crate::facts::{Analysis, Context, Knowledge};
use crate::finding::Finding;
use crate::position::Encoding;
use serde_json::Value;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use tower_lsp_server::Client;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::Uri;

/// An open document.
pub struct DocEntry {
    pub doc: Document,
    /// The configuration that governs it (as `annalist check` would choose it).
    pub res: Arc<Resolved>,
    /// What the last analysis kept for the next (per-block facts), under `res`: made
    /// anew whenever `res` is.
    pub reuse: Arc<crate::analysis::Reuse>,
    pub generation: u64,
    pub analysis: Option<(u64, Arc<Analysis>)>,
    /// The newest analysis finished, current or not: a request answers from the first
    /// one at least as new as the text it was asked about (the text may have changed
    /// meanwhile; the answer's positions are those of the analysed text).
    pub finished: Option<(u64, Arc<Analysis>)>,
    /// Cross-file findings computed for the analysis of this generation.
    pub across: Option<(u64, Arc<Vec<Finding>>)>,
    /// What the last cross-file comparison of this document kept for the next.
    pub across_memo: AcrossScope,
    /// Its last publication of diagnostics (published, or answered to a pull), kept
    /// for the next.
    pub published: super::published::Published,
    /// Held (across awaits) by whoever is making a publication of this document, from
    /// reading what it is computed from to sending it ([`super::publish`]): a
    /// document's publications are made one at a time, each from the state after the
    /// last, so none overtakes a newer one, while the store's lock is held only to take
    /// the inputs (Arcs) and to commit.
    pub publishing: Arc<tokio::sync::Mutex<()>>,
    /// An analysis of this document is under way (see [`super::scheduler`]).
    pub running: bool,
    /// The document changed while it ran: analyse the newest text next.
    pub dirty: bool,
    /// Analyses started for one generation: `(generation, count)`. The scheduler keeps
    /// the count at 1; tests read it.
    pub runs: (u64, u32),
}

impl DocEntry {
    pub fn new(doc: Document, res: Arc<Resolved>, generation: u64) -> DocEntry {
        DocEntry {
            doc,
            res,
            reuse: Arc::default(),
            generation,
            analysis: None,
            finished: None,
            across: None,
            across_memo: AcrossScope::default(),
            published: Default::default(),
            publishing: Arc::default(),
            running: false,
            dirty: false,
            runs: (generation, 0),
        }
    }

    /// The analysis of the current generation, if stored.
    pub fn current(&self) -> Option<&Arc<Analysis>> {
        self.analysis
            .as_ref()
            .filter(|(g, _)| *g == self.generation)
            .map(|(_, a)| a)
    }
}

/// The memory of a document's cross-file comparison
/// ([`crate::workspace::AcrossMemo`]), scoped to the configuration (and so the
/// knowledge) it compared under: a document whose configuration is replaced starts
/// afresh, and two configurations never share one.
#[derive(Default)]
pub struct AcrossScope(Mutex<Option<(Arc<Resolved>, Arc<crate::workspace::AcrossMemo>)>>);

impl AcrossScope {
    /// The memo for comparisons under `res`: the kept one if it was made for `res`,
    /// else a new one (kept from now on).
    pub fn memo(&self, res: &Arc<Resolved>) -> Arc<crate::workspace::AcrossMemo> {
        let Ok(mut m) = self.0.lock() else {
            return Arc::default();
        };
        match m.as_ref() {
            Some((r, memo)) if Arc::ptr_eq(r, res) => memo.clone(),
            _ => {
                let memo: Arc<crate::workspace::AcrossMemo> = Arc::default();
                *m = Some((res.clone(), memo.clone()));
                memo
            }
        }
    }

    /// Forget the memo (the document is no longer compared).
    pub fn clear(&self) {
        if let Ok(mut m) = self.0.lock() {
            *m = None;
        }
    }
}

pub struct Shared {
    pub docs: HashMap<Uri, DocEntry>,
    pub encoding: Encoding,
    /// The client can pull diagnostics: we answer `textDocument/diagnostic` instead of publishing.
    pub pull: bool,
    /// What the client takes on a diagnostic (related places, the rule's page), as it
    /// announced on `initialize` for the diagnostics it gets (pulled or published).
    pub supports: crate::lsp::convert::Supports,
    pub root: Option<PathBuf>,
    /// Editor settings as last received.
    pub settings: Value,
    /// The configurations under the current settings.
    pub configs: Arc<Configs>,
    /// The embedded knowledge, built once and shared by every configuration without
    /// project gazetteers.
    pub embedded: Arc<Knowledge>,
    /// `initialized` has arrived: notifications reach the client (tower-lsp-server drops
    /// those sent before `initialize` has answered).
    pub initialized: bool,
    /// Configuration files whose problems are shown as diagnostics.
    pub reported_configs: Vec<PathBuf>,
    /// Configuration problems not yet reported (held until `initialized`).
    pub pending_problems: Vec<FileProblem>,
    /// Problems in the editor settings not yet shown (held until `initialized`).
    pub pending_settings: Vec<String>,
    /// The workspace's files on disk, for the cross-file rules: shared with the
    /// publications being computed (a change while one is copies it).
    pub ws: Arc<WsIndex>,
    /// Bumped by each rebuild of `ws`; a build finishing after a newer one began is dropped.
    pub ws_epoch: u64,
    /// The client registered our file watcher.
    pub watching: bool,
    /// While a workspace index is being built: the opened documents whose first
    /// analysis is done, their name indexes to be stored with the index's own
    /// ([`super::folder_index::CacheWork::keep_open`]); `None` when no build will store.
    pub keep_names: Option<Vec<super::folder_index::OpenNames>>,
}

pub struct Backend {
    pub client: Client,
    pub state: Arc<Mutex<Shared>>,
    /// True once the workspace index is built (and while it is rebuilt, false).
    pub ready: Arc<tokio::sync::watch::Sender<bool>>,
    /// Bumped whenever an analysis run ends (stored or failed): requests waiting for
    /// the scheduled analysis look again.
    pub analysed: Arc<tokio::sync::watch::Sender<u64>>,
    /// The documents open in the editor, marked the moment `didOpen` arrives (before
    /// the text is parsed and the entry stored in `docs`) and unmarked on `didClose`.
    /// Its own lock, held only to look up or change one entry: the workspace index
    /// asks it, per file, whether to read a file from disk, while `docs`' lock may be
    /// held (or the open document not yet stored) for the whole parse of a large text.
    pub opened: Arc<Mutex<std::collections::HashSet<Uri>>>,
}

impl Backend {
    pub fn new(client: Client) -> Backend {
        let embedded = Knowledge::embedded_shared();
        Backend {
            client,
            state: Arc::new(Mutex::new(Shared {
                docs: HashMap::new(),
                encoding: Encoding::Utf16,
                pull: false,
                supports: Default::default(),
                root: None,
                settings: Value::Null,
                configs: Arc::new(Configs::empty(embedded.clone())),
                embedded,
                initialized: false,
                reported_configs: Vec::new(),
                pending_problems: Vec::new(),
                pending_settings: Vec::new(),
                ws: Arc::default(),
                ws_epoch: 0,
                watching: false,
                keep_names: None,
            })),
            ready: Arc::new(tokio::sync::watch::Sender::new(false)),
            analysed: Arc::new(tokio::sync::watch::Sender::new(0)),
            opened: Arc::new(Mutex::new(std::collections::HashSet::new())),
        }
    }

    /// Whether `uri` is open in the editor (see [`Backend::opened`]).
    pub fn mark_opened(&self, uri: &Uri, open: bool) {
        let mut set = self.opened.lock().unwrap_or_else(|e| e.into_inner());
        if open {
            set.insert(uri.clone());
        } else {
            set.remove(uri);
        }
    }

    /// Run a synchronous engine query under `catch_unwind`: a bug answers with an
    /// error, never a dead server.
    pub fn guard<T>(what: &str, f: impl FnOnce() -> T) -> Result<T> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
            .map_err(|_| internal(format!("{what} failed inside annalist; the server goes on")))
    }
}

pub fn lock(m: &Mutex<Shared>) -> MutexGuard<'_, Shared> {
    // A panic while holding the lock must not take the server down with it.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

pub fn internal(msg: impl Into<String>) -> Error {
    Error {
        code: ErrorCode::InternalError,
        message: msg.into().into(),
        data: None,
    }
}

/// Analyse a snapshot of the document `doc` (its path, if a file) under its
/// configuration, as `check` analyses the file.
pub fn run_analysis(
    snap: &Snapshot,
    res: &Resolved,
    reuse: &crate::analysis::Reuse,
    doc: Option<&std::path::Path>,
) -> Analysis {
    // The kind `[kinds]` gives the document's path (relative to the configuration's
    // directory), as `check` reads it.
    let kind = doc
        .zip(res.dir.as_deref())
        .and_then(|(d, r)| d.strip_prefix(r).ok())
        .and_then(|rel| {
            res.config
                .kind_for(&rel.to_string_lossy().replace('\\', "/"))
        });
    analysis::analyze_reusing(
        snap.text.clone(),
        Some(snap.md.clone()),
        &Context {
            config: &res.config,
            knowledge: &res.knowledge,
        },
        // Citations: bibliographies are found from the document's path, inside the
        // configuration's directory.
        &crate::citations::Place {
            doc,
            root: res.dir.as_deref(),
        },
        kind,
        reuse,
    )
}

/// Whether a changed file may be a bibliography (then open documents are re-analysed).
pub fn is_bibliography_file(path: &std::path::Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        matches!(
            e.to_ascii_lowercase().as_str(),
            "bib" | "json" | "yaml" | "yml"
        )
    })
}

/// Whether a saved or changed file may be a configuration file.
pub fn is_config_file(path: &std::path::Path) -> bool {
    path.file_name().is_some_and(|n| {
        n == crate::config::CONFIG_FILE || n == ".annalist.toml" || n == "pyproject.toml"
    })
}
