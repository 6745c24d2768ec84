//! Lifecycle, the document store, edit ordering, analysis scheduling and handlers.
//!
//! Invariants:
//! - `did_change` applies its edits synchronously, under the store's lock, before any
//!   `.await`: edits are applied strictly in arrival order (tower-lsp-server runs
//!   handlers concurrently; see shared research on the ordering trap).
//! - Every document has a generation counter bumped by each change. An analysis is
//!   stored and published only if its generation is still the document's current one,
//!   so a stale result is never published over a newer one.
//! - Analysis runs on blocking threads from an immutable snapshot; a panic there
//!   becomes an error response (or a log line) and the server keeps serving.
//! - At most one analysis per document runs at a time; edits arriving meanwhile mark
//!   the document dirty and the newest text is analysed next (coalescing).
//! - A document's diagnostics are its own findings plus the cross-file ones
//!   ([`crate::workspace`]), computed against the other open documents and the indexed
//!   workspace files ([`super::workspace`]). Diagnostics wait for the workspace index
//!   (up to [`READY_WAIT`]), so in all but very large workspaces the first diagnostics a
//!   client sees are already complete; when the index lands later, what changed is
//!   republished.

use super::convert::{diagnostic, text_edit, to_offset, to_position, to_range, to_span};
use super::settings;
use super::workspace::{WsFile, WsIndex};
use crate::analysis;
use crate::config::{self, Config};
use crate::document::{Document, Snapshot};
use crate::facts::{Analysis, Context, Knowledge};
use crate::finding::{Finding, Span};
use crate::position::{Encoding, LineCol, rope_offset};
use serde_json::Value;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService};

static SHUTDOWN_REQUESTED: AtomicBool = AtomicBool::new(false);

/// True when the client sent `shutdown` before the connection ended.
pub fn exit_was_clean() -> bool {
    SHUTDOWN_REQUESTED.load(Ordering::SeqCst)
}

pub fn service() -> (LspService<Backend>, tower_lsp_server::ClientSocket) {
    LspService::build(Backend::new)
        .custom_method("annalist/timeline", Backend::timeline)
        .finish()
}

struct DocEntry {
    doc: Document,
    generation: u64,
    analysis: Option<(u64, Arc<Analysis>)>,
    /// Cross-file findings computed for the analysis of this generation.
    across: Option<(u64, Arc<Vec<Finding>>)>,
    running: bool,
    dirty: bool,
}

struct Shared {
    docs: HashMap<Uri, DocEntry>,
    encoding: Encoding,
    /// The client can pull diagnostics: we answer `textDocument/diagnostic` instead of publishing.
    pull: bool,
    root: Option<PathBuf>,
    /// `annalist.toml` as loaded (or the default).
    file_config: Config,
    config_path: Option<PathBuf>,
    /// Editor settings as last received.
    settings: Value,
    /// `file_config` with the editor settings laid over it.
    config: Arc<Config>,
    knowledge: Arc<Knowledge>,
    /// Configuration problems found during `initialize`, reported on `initialized`:
    /// tower-lsp-server drops notifications sent before `initialize` has answered.
    startup_problems: Vec<config::FileProblem>,
    /// The workspace's files on disk, for the cross-file rules.
    ws: WsIndex,
    /// Bumped by each rebuild of `ws`; a build finishing after a newer one began is dropped.
    ws_epoch: u64,
    /// The client registered our file watcher.
    watching: bool,
}

pub struct Backend {
    client: Client,
    state: Arc<Mutex<Shared>>,
    /// True once the workspace index is built (and while it is rebuilt, false).
    ready: Arc<tokio::sync::watch::Sender<bool>>,
}

/// How long diagnostics wait for the workspace index. A small workspace is indexed well
/// within it, so its first diagnostics are complete; a large one gets each document's
/// own findings (and those across the open documents) at once, and the cross-file
/// findings against the rest when the index is built ([`refresh`] republishes).
const READY_WAIT: std::time::Duration = std::time::Duration::from_millis(1500);

/// Wait until the workspace index is built, or [`READY_WAIT`] has passed.
async fn wait_ready(ready: &tokio::sync::watch::Sender<bool>) {
    let mut rx = ready.subscribe();
    let _ = tokio::time::timeout(READY_WAIT, rx.wait_for(|r| *r)).await;
}

/// The cross-file findings of `uri`, whose current analysis is `a`, against the other
/// open documents (their latest analysis) and the workspace's unopened files.
fn across_for(st: &Shared, uri: &Uri, a: &Analysis) -> Vec<Finding> {
    if a.names.is_empty() || !st.config.romanisation.across_files {
        return Vec::new();
    }
    let docs = workspace_docs(st, uri, a);
    let ctx = Context {
        config: &st.config,
        knowledge: &st.knowledge,
    };
    crate::workspace::findings_for(&docs, 0, &ctx)
}

/// The documents the cross-file rules compare, `uri` (analysed as `a`) first: the other
/// open documents (their latest analysis) and the workspace's files that are not open,
/// in URI order.
fn workspace_docs<'a>(st: &'a Shared, uri: &'a Uri, a: &'a Analysis) -> Vec<crate::facts::Doc<'a>> {
    let mut docs = vec![crate::facts::Doc {
        path: uri.as_str(),
        text: &a.text,
        names: &a.names,
    }];
    let mut open_paths: Vec<PathBuf> = Vec::new();
    for (u, e) in &st.docs {
        if let Some(p) = u.to_file_path() {
            open_paths.push(p.into_owned());
        }
        if u == uri {
            continue;
        }
        if let Some((_, oa)) = &e.analysis {
            docs.push(crate::facts::Doc {
                path: u.as_str(),
                text: &oa.text,
                names: &oa.names,
            });
        }
    }
    let mut files: Vec<(&String, &WsFile)> = st
        .ws
        .files
        .iter()
        .filter(|(_, f)| !open_paths.contains(&f.path))
        .collect();
    files.sort_by(|x, y| x.0.cmp(y.0));
    for (u, f) in files {
        docs.push(crate::facts::Doc {
            path: u,
            text: &f.text,
            names: &f.names,
        });
    }
    docs
}

/// Where `span` of the document named `path` (a URI) lies: an open document's live
/// text, else the indexed file's.
fn locate(st: &Shared, path: &str, span: Span, enc: Encoding) -> Option<Location> {
    let uri: Uri = path.parse().ok()?;
    if let Some((_, a)) = st.docs.get(&uri).and_then(|e| e.analysis.as_ref()) {
        return Some(Location {
            uri,
            range: to_range(a, span, enc),
        });
    }
    let f = st.ws.files.get(path)?;
    let pos = |o: usize| {
        let p = f.lines.position(&f.text, o, enc);
        Position {
            line: p.line,
            character: p.col,
        }
    };
    Some(Location {
        uri,
        range: Range {
            start: pos(span.start),
            end: pos(span.end.max(span.start)),
        },
    })
}

/// Recompute the cross-file findings of the open documents (but `except`) whose
/// analysis is current. Returns, in push mode, the diagnostics to publish for those
/// that changed, and whether any changed.
fn refresh(st: &mut Shared, except: Option<&Uri>) -> (Vec<(Uri, Vec<Diagnostic>, i32)>, bool) {
    let (pull, enc) = (st.pull, st.encoding);
    let uris: Vec<Uri> = st
        .docs
        .keys()
        .filter(|u| Some(*u) != except)
        .cloned()
        .collect();
    let mut out = Vec::new();
    let mut changed = false;
    for u in uris {
        let Some(e) = st.docs.get(&u) else { continue };
        let Some((g, a)) = e.analysis.clone() else {
            continue;
        };
        if g != e.generation {
            // Its own analysis is under way and will publish.
            continue;
        }
        let version = e.doc.version;
        let old = e.across.clone();
        let across = across_for(st, &u, &a);
        if old.is_some_and(|(og, o)| og == g && *o == across) {
            continue;
        }
        changed = true;
        if !pull {
            out.push((u.clone(), diagnostics_of(st, &u, &a, &across, enc), version));
        }
        if let Some(e) = st.docs.get_mut(&u) {
            e.across = Some((g, Arc::new(across)));
        }
    }
    (out, changed)
}

/// Publish what [`refresh`] found changed (push mode), or ask a pulling client to pull
/// again (`refresh_pull`).
async fn send_refreshed(
    client: &Client,
    publish: Vec<(Uri, Vec<Diagnostic>, i32)>,
    refresh_pull: bool,
) {
    for (u, diags, version) in publish {
        client.publish_diagnostics(u, diags, Some(version)).await;
    }
    if refresh_pull {
        let _ = client.workspace_diagnostic_refresh().await;
    }
}

/// A document's findings and cross-file findings as diagnostics.
fn diagnostics_of(
    st: &Shared,
    uri: &Uri,
    a: &Analysis,
    across: &[Finding],
    enc: Encoding,
) -> Vec<Diagnostic> {
    let other = |p: &str, s: Span| locate(st, p, s, enc);
    crate::workspace::merge(&a.findings, across)
        .iter()
        .map(|f| diagnostic(a, uri, f, enc, &other))
        .collect()
}

fn lock(m: &Mutex<Shared>) -> MutexGuard<'_, Shared> {
    // A panic while holding the lock must not take the server down with it.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn internal(msg: impl Into<String>) -> Error {
    Error {
        code: ErrorCode::InternalError,
        message: msg.into().into(),
        data: None,
    }
}

fn run_analysis(
    snap: &Snapshot,
    config: &Config,
    knowledge: &Knowledge,
    place: &DocPlace,
) -> Analysis {
    // The kind `[kinds]` gives the document's path, as `check` reads it.
    let kind = place
        .0
        .as_deref()
        .zip(place.1.as_deref())
        .and_then(|(d, r)| d.strip_prefix(r).ok())
        .and_then(|rel| config.kind_for(&rel.to_string_lossy().replace('\\', "/")));
    analysis::analyze_at(
        snap.text.clone(),
        Some(snap.md.clone()),
        &Context { config, knowledge },
        &crate::citations::Place {
            doc: place.0.as_deref(),
            root: place.1.as_deref(),
        },
        kind,
    )
}

// ---- citations (src/citations/): where a document's bibliographies are found ----
/// A document's path and the directory its bibliographies must stay in (annalist.toml's
/// directory, else the workspace root).
type DocPlace = (Option<PathBuf>, Option<PathBuf>);

fn citation_place(st: &Shared, uri: &Uri) -> DocPlace {
    let doc = uri.to_file_path().map(|p| p.into_owned());
    let root = st
        .config_path
        .as_ref()
        .and_then(|p| p.parent().map(std::path::Path::to_path_buf))
        .or_else(|| st.root.clone());
    (doc, root)
}

/// Whether a changed file may be a bibliography (then open documents are re-analysed).
fn is_bibliography_file(path: &std::path::Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        matches!(
            e.to_ascii_lowercase().as_str(),
            "bib" | "json" | "yaml" | "yml"
        )
    })
}
// ---- end citations ----

/// Semantic token types, in legend order.
pub const TOKEN_TYPES: &[SemanticTokenType] = &[
    SemanticTokenType::CLASS,     // persons
    SemanticTokenType::NAMESPACE, // places
    SemanticTokenType::STRUCT,    // organisations
    SemanticTokenType::EVENT,     // events
    SemanticTokenType::NUMBER,    // dates
    SemanticTokenType::MACRO,     // note markers
];

impl Backend {
    fn new(client: Client) -> Backend {
        Backend {
            client,
            state: Arc::new(Mutex::new(Shared {
                docs: HashMap::new(),
                encoding: Encoding::Utf16,
                pull: false,
                root: None,
                file_config: Config::default(),
                config_path: None,
                settings: Value::Null,
                config: Arc::new(Config::default()),
                knowledge: Arc::new(Knowledge::embedded()),
                startup_problems: Vec::new(),
                ws: WsIndex::default(),
                ws_epoch: 0,
                watching: false,
            })),
            ready: Arc::new(tokio::sync::watch::Sender::new(false)),
        }
    }

    /// Load `annalist.toml` from the workspace root and lay the editor settings over it.
    /// Returns problems to show.
    fn reload_config(&self) -> Vec<config::FileProblem> {
        let mut st = lock(&self.state);
        let loaded = match &st.root {
            Some(root) => config::load_for(root),
            None => config::Loaded::default(),
        };
        st.file_config = loaded.config;
        st.config_path = loaded.path;
        let (merged, problems) = settings::apply(&st.file_config, &st.settings);
        let config_dir = st
            .config_path
            .as_ref()
            .and_then(|p| p.parent().map(std::path::Path::to_path_buf))
            .or_else(|| st.root.clone());
        let mut out = loaded.problems;
        if let Some(dir) = config_dir {
            let (knowledge, gz_problems) = Knowledge::for_project(&dir, &merged);
            st.knowledge = Arc::new(knowledge);
            out.extend(gz_problems);
        }
        st.config = Arc::new(merged);
        for p in problems {
            out.push(config::FileProblem {
                path: PathBuf::from("(editor settings)"),
                line: 1,
                column: 1,
                message: p,
            });
        }
        out
    }

    async fn report_config_problems(&self, problems: Vec<config::FileProblem>) {
        let config_path = lock(&self.state).config_path.clone();
        let mut file_diags = Vec::new();
        for p in problems {
            if Some(&p.path) == config_path.as_ref() {
                let pos = Position {
                    line: p.line.saturating_sub(1) as u32,
                    character: p.column.saturating_sub(1) as u32,
                };
                file_diags.push(Diagnostic {
                    range: Range {
                        start: pos,
                        end: pos,
                    },
                    severity: Some(DiagnosticSeverity::ERROR),
                    code: Some(NumberOrString::String("config-invalid".into())),
                    source: Some("annalist".into()),
                    message: p.message.clone(),
                    ..Default::default()
                });
            }
            self.client
                .log_message(MessageType::WARNING, p.to_string())
                .await;
        }
        if let Some(uri) = config_path.as_ref().and_then(Uri::from_file_path) {
            self.client.publish_diagnostics(uri, file_diags, None).await;
        }
    }

    /// (Re)build the index of the workspace's files in the background. Diagnostics wait
    /// for it; when it is done every open document's cross-file findings are refreshed.
    fn rebuild_workspace(&self, debounce: bool) {
        let (root, config, knowledge, config_dir, epoch) = {
            let mut st = lock(&self.state);
            st.ws_epoch += 1;
            let config_dir = st
                .config_path
                .as_ref()
                .and_then(|p| p.parent().map(std::path::Path::to_path_buf))
                .or_else(|| st.root.clone());
            (
                st.root.clone(),
                st.config.clone(),
                st.knowledge.clone(),
                config_dir,
                st.ws_epoch,
            )
        };
        let (Some(root), Some(config_dir)) = (root, config_dir) else {
            lock(&self.state).ws = WsIndex::default();
            self.ready.send_replace(true);
            return;
        };
        if !debounce {
            // A new configuration: hold diagnostics until the files are judged under it.
            // (After a file event the old index serves meanwhile.)
            self.ready.send_replace(false);
        }
        let state = self.state.clone();
        let client = self.client.clone();
        let ready = self.ready.clone();
        tokio::spawn(async move {
            if debounce {
                // File events come in bursts (a checkout, a save-all): build once.
                tokio::time::sleep(std::time::Duration::from_millis(300)).await;
                if lock(&state).ws_epoch != epoch {
                    return;
                }
            }
            let built = tokio::task::spawn_blocking(move || {
                super::workspace::build(&root, &config_dir, &config, &knowledge)
            })
            .await;
            let (publish, pull, changed, note) = {
                let mut st = lock(&state);
                if st.ws_epoch != epoch {
                    // A newer build is under way; it will finish the job.
                    return;
                }
                let note = match built {
                    Ok(ws) => {
                        let note = ws.truncated.then(|| {
                            format!(
                                "annalist: the workspace has more than {} Markdown files; names are compared across the first {} only",
                                super::workspace::FILE_LIMIT,
                                super::workspace::FILE_LIMIT
                            )
                        });
                        st.ws = ws;
                        note
                    }
                    Err(e) => Some(format!(
                        "annalist: indexing the workspace failed ({e}); names are compared across open documents only. Please report this."
                    )),
                };
                let (publish, changed) = refresh(&mut st, None);
                (publish, st.pull, changed, note)
            };
            ready.send_replace(true);
            if let Some(n) = note {
                client.log_message(MessageType::WARNING, n).await;
            }
            send_refreshed(&client, publish, pull && changed).await;
        });
    }

    /// Re-read one workspace file from disk (it was closed, or changed on disk) and
    /// refresh the open documents' cross-file findings.
    fn reindex_file(&self, path: PathBuf) {
        let (config, knowledge, indexed) = {
            let st = lock(&self.state);
            let indexed =
                Uri::from_file_path(&path).is_some_and(|u| st.ws.files.contains_key(u.as_str()));
            (st.config.clone(), st.knowledge.clone(), indexed)
        };
        let state = self.state.clone();
        let client = self.client.clone();
        tokio::spawn(async move {
            if !indexed {
                // Not a workspace file: only the open documents' comparison changes.
                let (publish, pull, changed) = {
                    let mut st = lock(&state);
                    let (publish, changed) = refresh(&mut st, None);
                    (publish, st.pull, changed)
                };
                send_refreshed(&client, publish, pull && changed).await;
                return;
            }
            let p2 = path.clone();
            let read = tokio::task::spawn_blocking(move || {
                let ctx = Context {
                    config: &config,
                    knowledge: &knowledge,
                };
                super::workspace::read(&p2, &ctx)
            })
            .await;
            let (publish, pull, changed) = {
                let mut st = lock(&state);
                let Some(uri) = Uri::from_file_path(&path) else {
                    return;
                };
                match read {
                    Ok(Some((key, file))) => {
                        st.ws.files.insert(key, file);
                    }
                    // Gone or unreadable: no longer compared.
                    Ok(None) => {
                        st.ws.files.remove(uri.as_str());
                    }
                    Err(_) => return,
                }
                let (publish, changed) = refresh(&mut st, None);
                (publish, st.pull, changed)
            };
            send_refreshed(&client, publish, pull && changed).await;
        });
    }

    /// Make sure the newest text of `uri` gets analysed (and published, in push mode).
    fn schedule(&self, uri: Uri) {
        let (snap, generation, config, knowledge) = {
            let mut st = lock(&self.state);
            let config = st.config.clone();
            let knowledge = st.knowledge.clone();
            let Some(e) = st.docs.get_mut(&uri) else {
                return;
            };
            if e.running {
                e.dirty = true;
                return;
            }
            e.running = true;
            e.dirty = false;
            (e.doc.snapshot(), e.generation, config, knowledge)
        };
        let place = citation_place(&lock(&self.state), &uri);
        let state = self.state.clone();
        let client = self.client.clone();
        let ready = self.ready.clone();
        tokio::spawn(async move {
            let mut snap = snap;
            let mut generation = generation;
            let mut config = config;
            let mut knowledge = knowledge;
            loop {
                let s2 = snap.clone();
                let (c2, k2) = (config.clone(), knowledge.clone());
                let p2 = place.clone();
                let result =
                    tokio::task::spawn_blocking(move || run_analysis(&s2, &c2, &k2, &p2)).await;
                let mut fresh = None;
                let next = {
                    let mut st = lock(&state);
                    let (cfg, know) = (st.config.clone(), st.knowledge.clone());
                    let Some(e) = st.docs.get_mut(&uri) else {
                        break;
                    };
                    match result {
                        Ok(a) => {
                            if e.generation == generation {
                                let a = Arc::new(a);
                                let names_changed = e
                                    .analysis
                                    .as_ref()
                                    .is_none_or(|(_, old)| old.names != a.names);
                                e.analysis = Some((generation, a.clone()));
                                fresh = Some((a, names_changed));
                            }
                        }
                        Err(err) => {
                            let msg = format!(
                                "annalist: analysis of {} failed ({err}); the server goes on. Please report this with the document.",
                                uri.as_str()
                            );
                            let c = client.clone();
                            tokio::spawn(
                                async move { c.log_message(MessageType::ERROR, msg).await },
                            );
                        }
                    }
                    if e.dirty || e.generation != generation {
                        e.dirty = false;
                        Some((e.doc.snapshot(), e.generation, cfg, know))
                    } else {
                        e.running = false;
                        None
                    }
                };
                if let Some((a, names_changed)) = fresh {
                    // Diagnostics wait for the workspace index: the first ones a client
                    // sees already carry the cross-file findings.
                    wait_ready(&ready).await;
                    let (mine, others, pull) = {
                        let mut st = lock(&state);
                        let (pull, enc) = (st.pull, st.encoding);
                        let current = st
                            .docs
                            .get(&uri)
                            .is_some_and(|e| e.generation == generation);
                        // Already published for this generation by a refresh (the
                        // workspace index finished first): not again.
                        let done = st
                            .docs
                            .get(&uri)
                            .and_then(|e| e.across.as_ref())
                            .is_some_and(|(g, _)| *g == generation);
                        let mine = if current && !done {
                            let across = across_for(&st, &uri, &a);
                            let diags =
                                (!pull).then(|| diagnostics_of(&st, &uri, &a, &across, enc));
                            if let Some(e) = st.docs.get_mut(&uri) {
                                e.across = Some((generation, Arc::new(across)));
                            }
                            diags
                        } else {
                            None
                        };
                        // Another document's cross-file findings may change with this one's names.
                        let others = if current && names_changed {
                            refresh(&mut st, Some(&uri))
                        } else {
                            (Vec::new(), false)
                        };
                        (mine, others, pull)
                    };
                    if let Some(diags) = mine {
                        client
                            .publish_diagnostics(uri.clone(), diags, Some(snap.version))
                            .await;
                    }
                    send_refreshed(&client, others.0, pull && others.1).await;
                }
                match next {
                    Some((s, g, c, k)) => {
                        snap = s;
                        generation = g;
                        config = c;
                        knowledge = k;
                    }
                    None => break,
                }
            }
        });
    }

    /// The analysis of the current text of `uri`, computing it now if needed.
    async fn analysis(&self, uri: &Uri) -> Result<Option<(Arc<Analysis>, Encoding, Arc<Config>)>> {
        let (snap, generation, config, knowledge, enc) = {
            let st = lock(&self.state);
            let Some(e) = st.docs.get(uri) else {
                return Ok(None);
            };
            if let Some((g, a)) = &e.analysis
                && *g == e.generation
            {
                return Ok(Some((a.clone(), st.encoding, st.config.clone())));
            }
            (
                e.doc.snapshot(),
                e.generation,
                st.config.clone(),
                st.knowledge.clone(),
                st.encoding,
            )
        };
        let c2 = config.clone();
        let place = citation_place(&lock(&self.state), uri);
        let a = tokio::task::spawn_blocking(move || run_analysis(&snap, &c2, &knowledge, &place))
            .await
            .map_err(|e| internal(format!("analysis failed: {e}; the server goes on")))?;
        let a = Arc::new(a);
        {
            let mut st = lock(&self.state);
            if let Some(e) = st.docs.get_mut(uri)
                && e.generation == generation
            {
                e.analysis = Some((generation, a.clone()));
            }
        }
        Ok(Some((a, enc, config)))
    }

    /// Run a synchronous engine query under `catch_unwind`: a bug answers with an
    /// error, never a dead server.
    fn guard<T>(what: &str, f: impl FnOnce() -> T) -> Result<T> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
            .map_err(|_| internal(format!("{what} failed inside annalist; the server goes on")))
    }

    async fn timeline(&self, params: TextDocumentIdentifierParams) -> Result<Value> {
        let Some((a, _, config)) = self.analysis(&params.text_document.uri).await? else {
            return Err(Error::invalid_params("the document is not open"));
        };
        let knowledge = lock(&self.state).knowledge.clone();
        Self::guard("timeline", || {
            let ctx = Context {
                config: &config,
                knowledge: &knowledge,
            };
            timeline_json(&a, &ctx)
        })
    }
}

/// Params of `annalist/timeline`.
#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TextDocumentIdentifierParams {
    pub text_document: TextDocumentIdentifier,
}

/// The document's timeline as JSON (`{"events": [...]}`), the same value
/// `annalist timeline --format json` prints.
pub fn timeline_json(a: &Analysis, ctx: &Context) -> Value {
    serde_json::to_value(crate::ide::timeline::build(a, ctx)).unwrap_or(Value::Null)
}

fn client_wants_utf8(params: &InitializeParams) -> bool {
    params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref())
        .is_some_and(|encs| encs.contains(&PositionEncodingKind::UTF8))
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
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
                Encoding::Utf8
            } else {
                Encoding::Utf16
            };
            st.pull = pull;
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
        let problems = self.reload_config();
        lock(&self.state).startup_problems = problems;
        self.rebuild_workspace(false);
        let features = lock(&self.state).config.features.clone();
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
                        token_types: TOKEN_TYPES.to_vec(),
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

    async fn initialized(&self, _: InitializedParams) {
        let problems = std::mem::take(&mut lock(&self.state).startup_problems);
        if !problems.is_empty() {
            self.report_config_problems(problems).await;
        }
        // Files changed outside the editor (a checkout, another program) are compared
        // again: ask the client to tell us about them.
        let (watching, extensions) = {
            let st = lock(&self.state);
            (
                st.watching && st.root.is_some(),
                st.config.extensions.clone(),
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

    async fn shutdown(&self) -> Result<()> {
        SHUTDOWN_REQUESTED.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let d = params.text_document;
        {
            let mut st = lock(&self.state);
            let generation = st.docs.get(&d.uri).map(|e| e.generation + 1).unwrap_or(0);
            let parse_limit = st.config.limits.max_document_bytes;
            st.docs.insert(
                d.uri.clone(),
                DocEntry {
                    doc: Document::with_parse_limit(&d.text, d.version, parse_limit),
                    generation,
                    analysis: None,
                    across: None,
                    running: false,
                    dirty: false,
                },
            );
        }
        self.schedule(d.uri);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
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

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let pull = {
            let mut st = lock(&self.state);
            st.docs.remove(&params.text_document.uri);
            st.pull
        };
        // The file on disk (perhaps unsaved changes dropped) counts again.
        if let Some(p) = params.text_document.uri.to_file_path() {
            self.reindex_file(p.into_owned());
        }
        if !pull {
            self.client
                .publish_diagnostics(params.text_document.uri, Vec::new(), None)
                .await;
        }
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        let is_config = params
            .text_document
            .uri
            .to_file_path()
            .is_some_and(|p| p.file_name().is_some_and(|n| n == config::CONFIG_FILE));
        if is_config {
            self.config_changed().await;
        }
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let mut rebuild = false;
        for ch in params.changes {
            let Some(path) = ch.uri.to_file_path().map(|p| p.into_owned()) else {
                continue;
            };
            // A bibliography changed: re-analyse the open documents (the cache in
            // src/citations/ re-reads the file).
            if is_bibliography_file(&path) {
                let open: Vec<Uri> = lock(&self.state).docs.keys().cloned().collect();
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
        if rebuild {
            self.rebuild_workspace(true);
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        lock(&self.state).settings = params.settings;
        self.config_changed().await;
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let p = params.text_document_position_params;
        let Some((a, enc, config)) = self.analysis(&p.text_document.uri).await? else {
            return Ok(None);
        };
        let knowledge = lock(&self.state).knowledge.clone();
        let state = self.state.clone();
        let uri = p.text_document.uri.clone();
        Self::guard("hover", || {
            let offset = to_offset(&a, p.position, enc);
            let ctx = Context {
                config: &config,
                knowledge: &knowledge,
            };
            let mut h = crate::ide::hover(&a, &ctx, offset)?;
            // On a name: how the whole workspace spells it.
            if let Some(m) = crate::ide::entity::entity_at(&a, offset).filter(|m| m.span == h.span)
                && let Some(e) = a.knowledge(&ctx).gazetteer.get(m.entity)
            {
                let st = lock(&state);
                let docs = workspace_docs(&st, &uri, &a);
                let uses = crate::workspace::spellings_of(&docs, &e.id);
                if let Some(line) = crate::workspace::spellings_line(&uses) {
                    h.markdown.push_str("\n\n");
                    h.markdown.push_str(&line);
                }
            }
            Some(Hover {
                contents: HoverContents::Markup(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: h.markdown,
                }),
                range: Some(to_range(&a, h.span, enc)),
            })
        })
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let p = params.text_document_position_params;
        let uri = p.text_document.uri;
        let Some((a, enc, config)) = self.analysis(&uri).await? else {
            return Ok(None);
        };
        let knowledge = lock(&self.state).knowledge.clone();
        Self::guard("definition", || {
            let offset = to_offset(&a, p.position, enc);
            let ctx = Context {
                config: &config,
                knowledge: &knowledge,
            };
            let targets = crate::ide::definition(&a, &ctx, offset);
            let locs: Vec<Location> = targets
                .into_iter()
                .filter_map(|t| match t.path {
                    None => Some(Location {
                        uri: uri.clone(),
                        range: to_range(&a, t.span, enc),
                    }),
                    Some(path) => {
                        let text = std::fs::read_to_string(&path).ok()?;
                        let idx = crate::position::LineIndex::new(&text);
                        let conv = |o: usize| {
                            let p = idx.position(&text, o, enc);
                            Position {
                                line: p.line,
                                character: p.col,
                            }
                        };
                        Some(Location {
                            uri: Uri::from_file_path(&path)?,
                            range: Range {
                                start: conv(t.span.start),
                                end: conv(t.span.end),
                            },
                        })
                    }
                })
                .collect();
            match locs.len() {
                0 => None,
                1 => locs.into_iter().next().map(GotoDefinitionResponse::Scalar),
                _ => Some(GotoDefinitionResponse::Array(locs)),
            }
        })
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let p = params.text_document_position;
        let uri = p.text_document.uri;
        let Some((a, enc, config)) = self.analysis(&uri).await? else {
            return Ok(None);
        };
        let knowledge = lock(&self.state).knowledge.clone();
        let (mut locations, entity_id) = Self::guard("references", || {
            let offset = to_offset(&a, p.position, enc);
            let ctx = Context {
                config: &config,
                knowledge: &knowledge,
            };
            let spans =
                crate::ide::references(&a, &ctx, offset, params.context.include_declaration);
            let entity_id = if a.notes.marker_at(offset).is_none() && config.features.entities {
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
            let unopened: Vec<(String, Arc<str>)> = {
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
                let open: Vec<PathBuf> = st
                    .docs
                    .keys()
                    .filter_map(|u| u.to_file_path().map(|p| p.into_owned()))
                    .collect();
                st.ws
                    .files
                    .iter()
                    .filter(|(_, f)| !open.contains(&f.path))
                    .map(|(u, f)| (u.clone(), f.text.clone()))
                    .collect()
            };
            let found =
                tokio::task::spawn_blocking(move || citations_in_files(&key, unopened, enc))
                    .await
                    .unwrap_or_default();
            locations.extend(found);
        }
        // An entity: its mentions in every other open document and workspace file.
        if let Some(id) = entity_id {
            let (open, root) = {
                let st = lock(&self.state);
                let open: Vec<(Uri, Arc<str>)> = st
                    .docs
                    .iter()
                    .filter(|(u, _)| **u != uri)
                    .map(|(u, e)| (u.clone(), e.doc.text().clone()))
                    .collect();
                (open, st.root.clone())
            };
            let extensions = config.extensions.clone();
            let found = tokio::task::spawn_blocking(move || {
                workspace_mentions(&id, open, root, &extensions, &knowledge, enc)
            })
            .await
            .unwrap_or_default();
            locations.extend(found);
        }
        Ok(Some(locations))
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        let Some((a, enc, _)) = self.analysis(&params.text_document.uri).await? else {
            return Ok(None);
        };
        Self::guard("prepareRename", || {
            let offset = to_offset(&a, params.position, enc);
            crate::ide::prepare_rename(&a, offset)
                .map(|s| PrepareRenameResponse::Range(to_range(&a, s, enc)))
        })
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let p = params.text_document_position;
        let uri = p.text_document.uri;
        let Some((a, enc, _)) = self.analysis(&uri).await? else {
            return Ok(None);
        };
        let result = Self::guard("rename", || {
            let offset = to_offset(&a, p.position, enc);
            crate::ide::rename(&a, offset, &params.new_name)
        })?;
        match result {
            None => Ok(None),
            Some(Err(msg)) => Err(Error::invalid_params(msg)),
            Some(Ok(edits)) => {
                let edits: Vec<TextEdit> = edits.iter().map(|e| text_edit(&a, e, enc)).collect();
                Ok(Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(uri, edits)])),
                    ..Default::default()
                }))
            }
        }
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let p = params.text_document_position;
        let Some((a, enc, config)) = self.analysis(&p.text_document.uri).await? else {
            return Ok(None);
        };
        if !config.features.completion {
            return Ok(None);
        }
        Self::guard("completion", || {
            let offset = to_offset(&a, p.position, enc);
            // After `@`: the keys of the document's bibliographies (src/citations/ide.rs).
            if let Some(items) = crate::ide::citation::completions(&a.citations, &a.text, offset) {
                return Some(CompletionResponse::Array(
                    items
                        .into_iter()
                        .map(|c| CompletionItem {
                            label: c.key.clone(),
                            kind: Some(CompletionItemKind::REFERENCE),
                            detail: Some(c.detail),
                            documentation: Some(Documentation::String(c.documentation)),
                            text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                                range: to_range(&a, c.replace, enc),
                                new_text: c.key,
                            })),
                            ..Default::default()
                        })
                        .collect(),
                ));
            }
            crate::ide::footnote_completions(&a, offset).map(|labels| {
                CompletionResponse::Array(
                    labels
                        .into_iter()
                        .map(|(label, preview)| CompletionItem {
                            label: label.clone(),
                            kind: Some(CompletionItemKind::REFERENCE),
                            detail: Some(preview),
                            insert_text: Some(label),
                            ..Default::default()
                        })
                        .collect(),
                )
            })
        })
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        let Some((a, enc, _)) = self.analysis(&params.text_document.uri).await? else {
            return Ok(None);
        };
        Self::guard("documentSymbol", || {
            #[allow(deprecated)]
            fn conv(a: &Analysis, s: &crate::ide::Symbol, enc: Encoding) -> DocumentSymbol {
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
                    children: Some(s.children.iter().map(|c| conv(a, c, enc)).collect()),
                }
            }
            let syms = crate::ide::symbols(&a);
            Some(DocumentSymbolResponse::Nested(
                syms.iter().map(|s| conv(&a, s, enc)).collect(),
            ))
        })
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let Some((a, enc, _)) = self.analysis(&uri).await? else {
            return Ok(None);
        };
        wait_ready(&self.ready).await;
        let state = self.state.clone();
        Self::guard("codeAction", || {
            let st = lock(&state);
            let across = across_for(&st, &uri, &a);
            let findings = crate::workspace::merge(&a.findings, &across);
            let other = |p: &str, s: Span| locate(&st, p, s, enc);
            let span = to_span(&a, params.range, enc);
            let mut actions = Vec::new();
            for f in findings.iter() {
                let hit = f.span.overlaps(span)
                    || f.span.touches(span.start)
                    || (span.is_empty() && f.span.contains(span.start));
                if !hit {
                    continue;
                }
                let diag = diagnostic(&a, &uri, f, enc, &other);
                for (i, fix) in f.fixes.iter().enumerate() {
                    let edits: Vec<TextEdit> =
                        fix.edits.iter().map(|e| text_edit(&a, e, enc)).collect();
                    actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                        title: fix.label(),
                        kind: Some(CodeActionKind::QUICKFIX),
                        diagnostics: Some(vec![diag.clone()]),
                        edit: Some(WorkspaceEdit {
                            changes: Some(HashMap::from([(uri.clone(), edits)])),
                            ..Default::default()
                        }),
                        is_preferred: Some(i == 0 && fix.safe),
                        ..Default::default()
                    }));
                }
            }
            Some(actions)
        })
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        let uri = params.text_document.uri;
        let items = match self.analysis(&uri).await? {
            Some((a, enc, _)) => {
                wait_ready(&self.ready).await;
                let st = lock(&self.state);
                let across = across_for(&st, &uri, &a);
                diagnostics_of(&st, &uri, &a, &across, enc)
            }
            None => Vec::new(),
        };
        Ok(DocumentDiagnosticReportResult::Report(
            DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
                related_documents: None,
                full_document_diagnostic_report: FullDocumentDiagnosticReport {
                    result_id: None,
                    items,
                },
            }),
        ))
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        let Some((a, enc, config)) = self.analysis(&params.text_document.uri).await? else {
            return Ok(None);
        };
        if !config.features.semantic_tokens {
            return Ok(None);
        }
        let knowledge = lock(&self.state).knowledge.clone();
        Self::guard("semanticTokens", || {
            let mut toks: Vec<(Span, u32)> = Vec::new();
            if config.features.entities {
                let g = a
                    .local
                    .as_ref()
                    .map(|l| &l.knowledge.gazetteer)
                    .unwrap_or(&knowledge.gazetteer);
                for m in &a.mentions {
                    let kind = g.get(m.entity).map(|e| e.kind);
                    let t = match kind {
                        Some(crate::gazetteer::EntityKind::Person) => 0,
                        Some(crate::gazetteer::EntityKind::Place) => 1,
                        Some(crate::gazetteer::EntityKind::Organisation) => 2,
                        Some(crate::gazetteer::EntityKind::Event) => 3,
                        None => continue,
                    };
                    toks.push((m.span, t));
                }
            }
            if config.features.dates {
                toks.extend(a.dates.iter().map(|d| (d.span, 4)));
            }
            toks.extend(a.notes.markers.iter().map(|m| (m.span, 5)));
            Some(SemanticTokensResult::Tokens(SemanticTokens {
                result_id: None,
                data: encode_tokens(&a, toks, enc),
            }))
        })
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        let Some((a, enc, config)) = self.analysis(&params.text_document.uri).await? else {
            return Ok(None);
        };
        if !config.features.inlay_hints || !config.features.dates {
            return Ok(None);
        }
        Self::guard("inlayHint", || {
            let range = to_span(&a, params.range, enc);
            let hints: Vec<InlayHint> = inlay_hints(&a)
                .into_iter()
                .filter(|(off, _)| range.touches(*off))
                .map(|(off, label)| InlayHint {
                    position: to_position(&a, off, enc),
                    label: InlayHintLabel::String(label),
                    kind: None,
                    text_edits: None,
                    tooltip: None,
                    padding_left: Some(true),
                    padding_right: None,
                    data: None,
                })
                .collect();
            Some(hints)
        })
    }

    /// The gazetteer's entities matching the query that the workspace mentions, each at
    /// its definition (a project gazetteer file or front matter) or else its first
    /// mention: in an open document, else in a workspace file.
    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        let state = self.state.clone();
        Self::guard("workspace/symbol", || {
            let st = lock(&state);
            let enc = st.encoding;
            let g = &st.knowledge.gazetteer;
            let mut open: Vec<(&Uri, &Arc<Analysis>)> = st
                .docs
                .iter()
                .filter_map(|(u, e)| e.analysis.as_ref().map(|(_, a)| (u, a)))
                .collect();
            open.sort_by(|x, y| x.0.as_str().cmp(y.0.as_str()));
            let mut files: Vec<(&String, &WsFile)> = st.ws.files.iter().collect();
            files.sort_by(|x, y| x.0.cmp(y.0));
            let mut out = Vec::new();
            for i in crate::names::search_entities(g, &params.query) {
                if out.len() >= 200 {
                    break;
                }
                let Some(e) = g.entities.get(i) else { continue };
                let file_pos = |text: &str, span: Span| {
                    let idx = crate::position::LineIndex::new(text);
                    let conv = |o: usize| {
                        let p = idx.position(text, o, enc);
                        Position {
                            line: p.line,
                            character: p.col,
                        }
                    };
                    Range {
                        start: conv(span.start),
                        end: conv(span.end.max(span.start)),
                    }
                };
                let defined = g.origin(i).and_then(|o| {
                    let path = o.file.as_ref()?;
                    let text = std::fs::read_to_string(path).ok()?;
                    Some(Location {
                        uri: Uri::from_file_path(path)?,
                        range: file_pos(&text, o.span),
                    })
                });
                let in_open = || {
                    open.iter().find_map(|(u, a)| {
                        let m = a.mentions.iter().find(|m| m.entity == i)?;
                        Some(Location {
                            uri: (*u).clone(),
                            range: to_range(a, m.span, enc),
                        })
                    })
                };
                let in_files = || {
                    files.iter().find_map(|(u, f)| {
                        let en = f.names.entities.iter().find(|x| x.id == e.id)?;
                        let first = en.spellings.iter().flat_map(|s| s.occs.iter()).min()?;
                        let open_here = open
                            .iter()
                            .any(|(ou, _)| ou.to_file_path().is_some_and(|p| *p == f.path));
                        if open_here {
                            return None;
                        }
                        Some(Location {
                            uri: u.parse().ok()?,
                            range: file_pos(&f.text, *first),
                        })
                    })
                };
                let Some(location) = defined.or_else(in_open).or_else(in_files) else {
                    continue;
                };
                let kind = match e.kind {
                    crate::gazetteer::EntityKind::Person => SymbolKind::CLASS,
                    crate::gazetteer::EntityKind::Place => SymbolKind::NAMESPACE,
                    crate::gazetteer::EntityKind::Organisation => SymbolKind::STRUCT,
                    crate::gazetteer::EntityKind::Event => SymbolKind::EVENT,
                };
                #[allow(deprecated)]
                out.push(SymbolInformation {
                    name: e.preferred.clone(),
                    kind,
                    tags: None,
                    deprecated: None,
                    location,
                    container_name: e.description.clone(),
                });
            }
            Some(WorkspaceSymbolResponse::Flat(out))
        })
    }
}

/// Most workspace files read for one cross-file query.
const WORKSPACE_FILE_LIMIT: usize = 5000;

/// Mentions of entity `id` in the open documents `open` (their live text) and in the
/// Markdown files under `root` that are not open. Unreadable and non-UTF-8 files are
/// passed over. Reads only; writes nothing.
fn workspace_mentions(
    id: &str,
    open: Vec<(Uri, Arc<str>)>,
    root: Option<PathBuf>,
    extensions: &[String],
    knowledge: &Knowledge,
    enc: Encoding,
) -> Vec<Location> {
    let mut out = Vec::new();
    let mut collect = |uri: Uri, text: &str| {
        let md = crate::document::parse_model(text);
        let mentions = knowledge.recognizer.find(text, &md);
        let idx = crate::position::LineIndex::new(text);
        for m in mentions {
            if knowledge
                .gazetteer
                .get(m.entity)
                .is_some_and(|e| e.id == id)
            {
                let conv = |o: usize| {
                    let p = idx.position(text, o, enc);
                    Position {
                        line: p.line,
                        character: p.col,
                    }
                };
                out.push(Location {
                    uri: uri.clone(),
                    range: Range {
                        start: conv(m.span.start),
                        end: conv(m.span.end),
                    },
                });
            }
        }
    };
    let open_paths: Vec<PathBuf> = open
        .iter()
        .filter_map(|(u, _)| u.to_file_path().map(|p| p.into_owned()))
        .collect();
    for (u, text) in &open {
        collect(u.clone(), text);
    }
    let Some(root) = root else { return out };
    let walker = ignore::WalkBuilder::new(&root).require_git(false).build();
    for entry in walker.flatten().take(WORKSPACE_FILE_LIMIT * 4) {
        let path = entry.path();
        let is_md = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| extensions.iter().any(|x| x.eq_ignore_ascii_case(e)));
        if !is_md || !path.is_file() || open_paths.iter().any(|p| p == path) {
            continue;
        }
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        if let Some(u) = Uri::from_file_path(path) {
            collect(u, &text);
        }
    }
    out
}

/// The citations of `key` in workspace files that are not open, by file (src/citations/).
fn citations_in_files(
    key: &str,
    mut files: Vec<(String, Arc<str>)>,
    enc: Encoding,
) -> Vec<Location> {
    files.sort_by(|x, y| x.0.cmp(&y.0));
    let mut out = Vec::new();
    // A file that never spells the key cannot cite it: only those that do are parsed.
    for (u, text) in files.iter().filter(|(_, t)| t.contains(key)) {
        let Ok(uri) = u.parse::<Uri>() else { continue };
        let md = crate::document::parse_model(text);
        let idx = crate::position::LineIndex::new(text);
        for s in crate::ide::citation::references_in(text, &md, key) {
            let pos = |o: usize| {
                let p = idx.position(text, o, enc);
                Position {
                    line: p.line,
                    character: p.col,
                }
            };
            out.push(Location {
                uri: uri.clone(),
                range: Range {
                    start: pos(s.start),
                    end: pos(s.end),
                },
            });
        }
    }
    out
}

/// Inlay hints as (byte offset, label).
fn inlay_hints(a: &Analysis) -> Vec<(usize, String)> {
    crate::ide::date::inlay_hints(a)
}

impl Backend {
    async fn config_changed(&self) {
        let problems = self.reload_config();
        self.report_config_problems(problems).await;
        // The names of every file depend on the gazetteers and the configuration.
        self.rebuild_workspace(false);
        let (uris, pull) = {
            let mut st = lock(&self.state);
            let uris: Vec<Uri> = st.docs.keys().cloned().collect();
            for e in st.docs.values_mut() {
                e.generation += 1;
            }
            (uris, st.pull)
        };
        for uri in uris {
            self.schedule(uri);
        }
        if pull {
            let _ = self.client.workspace_diagnostic_refresh().await;
        }
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

/// Encode tokens (byte spans with a type) as LSP's relative, single-line tokens.
fn encode_tokens(a: &Analysis, mut toks: Vec<(Span, u32)>, enc: Encoding) -> Vec<SemanticToken> {
    toks.sort_by_key(|(s, _)| (s.start, s.end));
    let mut out = Vec::new();
    let (mut prev_line, mut prev_col) = (0u32, 0u32);
    let mut last_end = 0usize;
    for (span, ty) in toks {
        if span.start < last_end || span.is_empty() {
            continue; // overlapping tokens are not allowed
        }
        last_end = span.end;
        // Split at line breaks.
        let mut start = span.start;
        while start < span.end {
            let line = a.lines.line_of(start);
            let (_, line_end) = a.lines.line_content(&a.text, line);
            let end = span.end.min(line_end.max(start));
            if end > start {
                let p = a.lines.position(&a.text, start, enc);
                let len =
                    crate::position::measure(a.text.get(start..end).unwrap_or(""), enc) as u32;
                let delta_line = p.line - prev_line;
                let delta_start = if delta_line == 0 {
                    p.col - prev_col
                } else {
                    p.col
                };
                out.push(SemanticToken {
                    delta_line,
                    delta_start,
                    length: len,
                    token_type: ty,
                    token_modifiers_bitset: 0,
                });
                prev_line = p.line;
                prev_col = p.col;
            }
            start = a.lines.line_start(line + 1);
            if start <= end && line + 1 >= a.lines.line_count() {
                break;
            }
        }
    }
    out
}
