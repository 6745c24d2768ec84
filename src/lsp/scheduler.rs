//! Analysis scheduling: at most one analysis per document runs at a time, and at most
//! one per document version.
//!
//! - `did_open`, `did_change` and configuration changes call [`Backend::schedule`]. If
//!   an analysis of the document is running, the document is marked dirty and the run
//!   analyses the newest text next (edits arriving meanwhile are coalesced).
//! - A request ([`Backend::analysis`]) never starts an analysis of its own: it takes
//!   the stored analysis of the current version, or waits for the scheduled one (and
//!   schedules it first if nothing is running).
//! - Analysis runs on rayon's pool (its passes' joins then run inside the pool, with
//!   no hand-over per join) from an immutable snapshot, under `catch_unwind`; a panic
//!   there becomes an error response (or a log line) and the server keeps serving.

use super::configs::Resolved;
use super::publish::{Occasion, ask_pull, publish_doc, refresh};
use super::state::{Backend, DocEntry, internal, lock, run_analysis};
use crate::document::Snapshot;
use crate::facts::Analysis;
use crate::position::Encoding;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{MessageType, Uri};

/// Mark a run of the entry's current generation started; what it analyses.
fn start_run(e: &mut DocEntry) -> (Snapshot, u64, (Arc<Resolved>, Arc<crate::analysis::Reuse>)) {
    e.running = true;
    e.dirty = false;
    e.runs = if e.runs.0 == e.generation {
        (e.generation, e.runs.1.saturating_add(1))
    } else {
        (e.generation, 1)
    };
    (
        e.doc.snapshot(),
        e.generation,
        (e.res.clone(), e.reuse.clone()),
    )
}

impl Backend {
    /// Make sure the newest text of `uri` gets analysed (and published, in push mode).
    pub fn schedule(&self, uri: Uri) {
        let first = {
            let mut st = lock(&self.state);
            let Some(e) = st.docs.get_mut(&uri) else {
                return;
            };
            if e.running {
                e.dirty = true;
                return;
            }
            start_run(e)
        };
        let path: Option<PathBuf> = uri.to_file_path().map(|p| p.into_owned());
        let state = self.state.clone();
        let client = self.client.clone();
        let analysed = self.analysed.clone();
        tokio::spawn(async move {
            let (mut snap, mut generation, mut res) = first;
            loop {
                let (s2, r2, p2) = (snap.clone(), res.clone(), path.clone());
                let result = {
                    // The workspace index's files wait while this runs.
                    let _running = super::quiet::Running::start();
                    on_rayon(move || run_analysis(&s2, &r2.0, &r2.1, p2.as_deref())).await
                };
                let mut fresh = None;
                // The analyses this one replaces: freed after the publication, off its way.
                let mut replaced: Vec<Arc<Analysis>> = Vec::new();
                let next = {
                    let mut st = lock(&state);
                    let Some(e) = st.docs.get_mut(&uri) else {
                        drop(st);
                        analysed.send_modify(|n| *n = n.wrapping_add(1));
                        break;
                    };
                    match result {
                        Ok(a) => {
                            let a = Arc::new(a);
                            if e.finished.as_ref().is_none_or(|(g, _)| *g < generation) {
                                replaced.extend(
                                    e.finished.replace((generation, a.clone())).map(|(_, o)| o),
                                );
                            }
                            if e.generation == generation {
                                let names_changed = e
                                    .analysis
                                    .as_ref()
                                    .is_none_or(|(_, old)| old.names != a.names);
                                replaced.extend(
                                    e.analysis.replace((generation, a.clone())).map(|(_, o)| o),
                                );
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
                        Some(start_run(e))
                    } else {
                        e.running = false;
                        None
                    }
                };
                // Requests waiting for this version look again.
                analysed.send_modify(|n| *n = n.wrapping_add(1));
                if let Some((a, names_changed)) = fresh {
                    // The first analysis of a document opened: its name index for the
                    // cache, once the diagnostics are out (taking it copies the
                    // index), queued with the workspace index's or written alone.
                    let first = (generation == 0).then(|| a.clone());
                    publish_fresh(&state, &client, &uri, generation, &snap, a, names_changed).await;
                    let alone = first
                        .and_then(|a| keep_first_names(&state, path.clone(), res.0.clone(), &a));
                    if let Some((dir, item)) = alone {
                        crate::cachedir::write_later(move || {
                            crate::lsp::folder_index::keep_open_names(&dir, vec![item])
                        });
                    }
                }
                drop_later(replaced);
                match next {
                    Some((s, g, r)) => {
                        snap = s;
                        generation = g;
                        res = r;
                    }
                    None => {
                        // The document is up to date: what its analyses freed goes
                        // back to the system once the client is idle.
                        super::quiet::give_back_when_idle();
                        break;
                    }
                }
            }
        });
    }

    /// The analysis of the text of `uri` as it was when asked (or newer), with the
    /// encoding and the document's configuration: the stored one, or the scheduled one
    /// when it lands. Never a second analysis of a version.
    pub async fn analysis(
        &self,
        uri: &Uri,
    ) -> Result<Option<(Arc<Analysis>, Encoding, Arc<Resolved>)>> {
        let mut asked = false;
        // The version asked about: the one current when the request arrived. Edits
        // arriving while it waits do not make it wait longer.
        let mut wanted: Option<u64> = None;
        loop {
            let mut rx = {
                let st = lock(&self.state);
                let Some(e) = st.docs.get(uri) else {
                    return Ok(None);
                };
                if let Some(a) = e.current() {
                    return Ok(Some((a.clone(), st.encoding, e.res.clone())));
                }
                let wanted = *wanted.get_or_insert(e.generation);
                if let Some((_, a)) = e.finished.as_ref().filter(|(g, _)| *g >= wanted) {
                    return Ok(Some((a.clone(), st.encoding, e.res.clone())));
                }
                if !e.running {
                    if asked {
                        // The run we asked for ended without a result: it failed (and
                        // said so in the log).
                        return Err(internal(
                            "the analysis of this document failed; the server goes on",
                        ));
                    }
                    None
                } else {
                    // Subscribed under the lock: the run's end cannot be missed.
                    Some(self.analysed.subscribe())
                }
            };
            match rx.as_mut() {
                Some(rx) => {
                    if rx.changed().await.is_err() {
                        return Err(internal("the server is shutting down"));
                    }
                }
                None => {
                    self.schedule(uri.clone());
                    asked = true;
                }
            }
        }
    }
}

/// The first analysis of a document opened: its name index into the cache (if its
/// text is the file's), so that the next start's index need not analyse it from disk.
/// Queued with the workspace index's own when one is being built (an editor reopening
/// its tabs: one write of the pack, not one per document); otherwise returned, with the
/// cache directory, for the caller to write once the document's first diagnostics are
/// out (reading the file again to compare and writing the pack are not on their way).
/// Called once they are out: what is kept is copied from the analysis
/// ([`crate::lsp::folder_index::OpenNames`]), never the analysis itself.
fn keep_first_names(
    state: &Arc<std::sync::Mutex<super::state::Shared>>,
    path: Option<PathBuf>,
    res: Arc<Resolved>,
    a: &Analysis,
) -> Option<(PathBuf, crate::lsp::folder_index::OpenNames)> {
    // The copy of the name index made before the store's lock is taken.
    let item = crate::lsp::folder_index::OpenNames::of(path?, res, a);
    let mut st = lock(state);
    let dir = st.configs.cache_dir().map(Path::to_path_buf)?;
    match st.keep_names.as_mut() {
        Some(queue) => {
            queue.push(item);
            None
        }
        None => Some((dir, item)),
    }
}

/// Publish a fresh analysis's diagnostics (push mode) with its cross-file findings,
/// and refresh the other documents' cross-file findings if its names changed.
///
/// Not waiting for the workspace index: before it lands, the cross-file findings are
/// those against the open documents (and the last index, after a rebuild began); the
/// index's landing republishes the documents whose cross-file findings it changed
/// ([`refresh`]). Made in the document's turn ([`publish_doc`]), so never sent after a
/// later publication, and computed without the store's lock.
async fn publish_fresh(
    state: &Arc<std::sync::Mutex<super::state::Shared>>,
    client: &tower_lsp_server::Client,
    uri: &Uri,
    generation: u64,
    snap: &Snapshot,
    a: Arc<Analysis>,
    names_changed: bool,
) {
    let current = lock(state)
        .docs
        .get(uri)
        .is_some_and(|e| e.generation == generation);
    let occasion = Occasion::Fresh(generation, a, snap.version);
    publish_doc(state, client, uri, occasion).await;
    // Another document's cross-file findings may change with this one's names.
    if current && names_changed {
        let asked = refresh(state, client, Some(uri)).await;
        ask_pull(client, asked).await;
    }
}

/// Run `f` (an analysis) on rayon's pool and await its result; a panic in it is an
/// `Err` with its message, and the server goes on.
///
/// Not on a blocking thread of tokio's: the analysis's passes run side by side through
/// `rayon::join`, which from a thread outside the pool hands each join to a worker and
/// sleeps until it is done (a wake-up of each thread per join, on every keystroke); from
/// a worker, a join runs its first half itself and the second is stolen only when
/// another worker is free. (The workspace index runs on a pool of its own.)
async fn on_rayon<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> std::result::Result<T, String> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    rayon::spawn(move || {
        let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|p| {
            p.downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic".to_string())
        });
        let _ = tx.send(out);
    });
    rx.await
        .unwrap_or_else(|_| Err("the analysis ended without a result".to_string()))
}

/// Free `values` (a megabyte-sized analysis, when its last owner) on another thread:
/// never on the way from an analysis to its publication.
pub fn drop_later<T: Send + 'static>(values: Vec<T>) {
    if !values.is_empty() {
        rayon::spawn(move || drop(values));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;
    use tower_lsp_server::LspService;

    /// A request arriving while the scheduled analysis of a version runs waits for it:
    /// one analysis per version, however many requests ask.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn one_analysis_per_version() {
        let (service, _socket) = LspService::new(Backend::new);
        let backend = service.inner();
        backend.ready.send_replace(true);
        let uri: Uri = "file:///nowhere/doc.md".parse().expect("a URI");
        let text = include_str!("../../fixtures/bajanov-1995.md");
        for version in 0..3u64 {
            {
                let mut st = lock(&backend.state);
                let res = st.configs.for_root();
                let prev = st.docs.get(&uri).map(|e| e.generation + 1).unwrap_or(0);
                assert_eq!(prev, version);
                st.docs.insert(
                    uri.clone(),
                    DocEntry::new(Document::with_parse_limit(text, 0, usize::MAX), res, prev),
                );
            }
            backend.schedule(uri.clone());
            // Four requests while the scheduled run is under way.
            let answers = tokio::join!(
                backend.analysis(&uri),
                backend.analysis(&uri),
                backend.analysis(&uri),
                backend.analysis(&uri)
            );
            for a in [answers.0, answers.1, answers.2, answers.3] {
                let a = a.expect("no error").expect("open");
                assert_eq!(a.0.text.len(), text.len());
            }
            let st = lock(&backend.state);
            let e = st.docs.get(&uri).expect("open");
            assert_eq!(e.runs, (version, 1), "analyses of version {version}");
        }
    }
}
