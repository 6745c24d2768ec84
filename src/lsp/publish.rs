//! Diagnostics: a document's own findings plus its cross-file ones
//! ([`crate::workspace`]), computed against the other open documents and the indexed
//! workspace files ([`super::folder_index`]) that share its configuration — the files
//! `annalist check` would compare it with. Diagnostics do not wait for the workspace
//! index: a document's first publication (or pull) holds its own findings and those
//! across the open documents and whatever the index holds yet; when the index lands,
//! [`refresh`] republishes the documents whose cross-file findings changed (a pulling
//! client is asked to pull again), so the last publication is complete — the union
//! `annalist check` reports. Publications are sent under the store's lock
//! ([`super::wire::publish_now`]), so a document's earlier one never overtakes a later
//! one. Also configuration problems: on the configuration file and in the log, and the
//! editor settings' problems as a message.

use super::configs::Resolved;
use super::convert::{Carry, to_range};
use super::folder_index::WsIndex;
use super::published::Published;
use super::state::{Backend, Shared, lock};
use crate::config::FileProblem;
use crate::facts::{Analysis, Context, Doc};
use crate::finding::{Finding, Span};
use crate::position::Encoding;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::*;

/// How long a request whose answer reads the workspace index's files (a citation's
/// references, workspace symbols) waits for the index at start. Diagnostics never wait:
/// they are republished when the index lands ([`refresh`]).
pub const READY_WAIT: std::time::Duration = std::time::Duration::from_millis(1500);

/// Wait until the workspace index is built, or [`READY_WAIT`] has passed.
pub async fn wait_ready(ready: &tokio::sync::watch::Sender<bool>) {
    let mut rx = ready.subscribe();
    let _ = tokio::time::timeout(READY_WAIT, rx.wait_for(|r| *r)).await;
}

/// What a publication of one document is computed from, taken under the store's lock
/// ([`Inputs::of`]: Arcs and short lists) and read without it: the document's analysis
/// and configuration, the other open documents' analyses, the workspace index, and what
/// the client takes. [`Inputs::across`] and [`Inputs::serialise`] then give what
/// [`across_for`] and [`serialised_diagnostics`] give under the lock, while hovers and
/// edits go on.
pub struct Inputs {
    uri: Uri,
    a: Arc<Analysis>,
    res: Arc<Resolved>,
    enc: Encoding,
    supports: super::convert::Supports,
    /// The open documents that have an analysis (this one's stored analysis too), in
    /// the store's order, with the configuration file that governs each.
    open: Vec<(Uri, Option<PathBuf>, Arc<Analysis>)>,
    /// The open documents' files as the index names them (its keys: the URI of each
    /// one's path), which the comparison does not take from the index. Compared as
    /// strings: a `PathBuf` comparison parses both paths into components, and was a
    /// tenth of the server's time per keystroke beside 2,000 indexed files.
    open_keys: Vec<String>,
    ws: Arc<WsIndex>,
    /// The memory of this document's comparison; `None` when it is compared with
    /// nothing (no names, or `across_files` off).
    memo: Option<Arc<crate::workspace::AcrossMemo>>,
}

impl Inputs {
    /// The inputs of `uri` analysed as `a`, as the store holds them now; `None` when
    /// the document is not open. `compare`: for a comparison across files (the
    /// document's memory of its last one is taken, or forgotten when it is compared
    /// with nothing); else only to read the documents ([`Inputs::docs`]).
    pub fn of(st: &Shared, uri: &Uri, a: &Arc<Analysis>, compare: bool) -> Option<Inputs> {
        let e = st.docs.get(uri)?;
        let res = e.res.clone();
        let memo = if !compare {
            None
        } else if a.names.is_empty() || !res.config.romanisation.across_files {
            e.across_memo.clear();
            None
        } else {
            Some(e.across_memo.memo(&res))
        };
        let mut open = Vec::with_capacity(st.docs.len());
        let mut open_keys = Vec::with_capacity(st.docs.len());
        for (u, o) in &st.docs {
            if let Some(k) = u.to_file_path().and_then(Uri::from_file_path) {
                open_keys.push(k.as_str().to_string());
            }
            if let Some((_, oa)) = &o.analysis {
                open.push((u.clone(), o.res.path.clone(), oa.clone()));
            }
        }
        Some(Inputs {
            uri: uri.clone(),
            a: a.clone(),
            res,
            enc: st.encoding,
            supports: st.supports,
            open,
            open_keys,
            ws: st.ws.clone(),
            memo,
        })
    }

    /// The cross-file findings: against the other open documents (their latest
    /// analysis) and the workspace's unopened files governed by the same configuration
    /// (as `check` compares the files of one configuration): exactly
    /// [`crate::workspace::findings_for`]'s, moved from the document's last comparison
    /// when nothing it reads changed ([`crate::workspace::AcrossMemo`]).
    pub fn across(&self) -> Vec<Finding> {
        let Some(memo) = &self.memo else {
            return Vec::new();
        };
        let docs = self.docs();
        let ctx = Context {
            config: &self.res.config,
            knowledge: &self.res.knowledge,
        };
        // Compared again only when what the comparison reads changed; a keystroke that
        // only moves names moves the last findings.
        crate::workspace::findings_for_reusing(memo, &docs, 0, &ctx)
    }

    /// The documents the cross-file rules compare with this one, it first: the other
    /// open documents (their latest analysis) and the workspace's files that are not
    /// open, in URI order — those governed by its configuration.
    pub fn docs(&self) -> Vec<Doc<'_>> {
        let mut docs = vec![Doc {
            path: self.uri.as_str(),
            text: &self.a.text,
            names: &self.a.names,
            shared: None,
        }];
        let config = &self.res.path;
        for (u, c, oa) in &self.open {
            if *u == self.uri || c != config {
                continue;
            }
            docs.push(Doc {
                path: u.as_str(),
                text: &oa.text,
                names: &oa.names,
                shared: None,
            });
        }
        // In URI order, as the index keeps them.
        let files = self
            .ws
            .files
            .iter()
            .filter(|(u, _)| !self.open_keys.contains(u))
            .filter(|(_, f)| *config == f.config);
        docs.reserve(self.ws.files.len());
        for (u, f) in files {
            // Its text is not kept: the cross-file rules read only the judged
            // document's (`docs[0]`; see `WsFile::marks`).
            docs.push(Doc {
                path: u,
                text: "",
                names: &f.names,
                shared: Some(&f.names),
            });
        }
        docs
    }

    /// [`locate`] on these inputs.
    fn locate(&self, path: &str, span: Span) -> Option<Location> {
        let uri: Uri = path.parse().ok()?;
        if let Some((_, _, a)) = self.open.iter().find(|(u, _, _)| *u == uri) {
            return Some(Location {
                uri,
                range: to_range(a, span, self.enc),
            });
        }
        let f = self.ws.files.get(path)?;
        Some(Location {
            uri,
            range: super::convert::marked_range(&f.marks, span, self.enc)?,
        })
    }

    /// The diagnostics of the analysis with `across`, serialised (a JSON array), for
    /// publishing or answering a pull: what `kept` (the document's last publication)
    /// already holds is reused, and this one kept in it for the next.
    pub fn serialise(&self, kept: &mut Published, across: &[Finding]) -> Vec<u8> {
        let other = |p: &str, s: Span| self.locate(p, s);
        let all = merged(&self.a.findings, across);
        kept.publish(
            &super::published::Source {
                text: &self.a.text,
                lines: &self.a.lines,
                uri: &self.uri,
                enc: self.enc,
                carry: Carry::new(self.res.config.docs_url.as_deref(), self.supports),
                other: &other,
            },
            &all,
        )
    }
}

/// The cross-file findings of `uri` analysed as `a` ([`Inputs::across`]), computed
/// under the store's lock (a request's: a code action's).
pub fn across_for(st: &Shared, uri: &Uri, a: &Arc<Analysis>) -> Vec<Finding> {
    Inputs::of(st, uri, a, true)
        .map(|i| i.across())
        .unwrap_or_default()
}

/// Where `span` of the document named `path` (a URI) lies: an open document's live
/// text, else the indexed file's.
pub fn locate(st: &Shared, path: &str, span: Span, enc: Encoding) -> Option<Location> {
    let uri: Uri = path.parse().ok()?;
    if let Some((_, a)) = st.docs.get(&uri).and_then(|e| e.analysis.as_ref()) {
        return Some(Location {
            uri,
            range: to_range(a, span, enc),
        });
    }
    let f = st.ws.files.get(path)?;
    Some(Location {
        uri,
        range: super::convert::marked_range(&f.marks, span, enc)?,
    })
}

/// Which publication [`publish_doc`] makes.
#[derive(Clone)]
pub enum Occasion {
    /// The analysis of generation `.0` has landed (the scheduler): publish it unless a
    /// refresh already did for this generation. `.2`: the analysed version.
    Fresh(u64, Arc<Analysis>, i32),
    /// Something the cross-file comparison reads changed: publish the current analysis
    /// again if its cross-file findings changed.
    Refresh,
}

/// Publish `uri`'s diagnostics (push mode; in pull mode, keep its cross-file findings
/// as what the client is told) for the occasion; whether its cross-file findings
/// changed (a refresh) or it was published (fresh).
///
/// The document's publications are made one at a time ([`DocEntry::publishing`] held
/// from reading the inputs to sending): each is computed from the state after the last
/// was committed, so an earlier one (a document's first, made before the workspace index
/// landed) never overtakes a later one. The store's lock is held only to take the
/// inputs and to commit: the comparison across files and the serialisation run without
/// it, and a commit is dropped if the document's analysis is no longer the one computed
/// against (a newer analysis publishes itself).
///
/// [`DocEntry::publishing`]: super::state::DocEntry::publishing
pub async fn publish_doc(
    state: &Mutex<Shared>,
    client: &Client,
    uri: &Uri,
    occasion: Occasion,
) -> bool {
    let turn = match lock(state).docs.get(uri) {
        Some(e) => e.publishing.clone(),
        None => return false,
    };
    let _turn = turn.lock().await;
    let Some(job) = take_job(&mut lock(state), uri, &occasion) else {
        return false;
    };
    let done = match job.compute() {
        Ok(done) => done,
        Err(job) => {
            // A refresh that changes nothing: the kept publication goes back.
            (*job).give_back(&mut lock(state));
            return false;
        }
    };
    let unsent = {
        let mut st = lock(state);
        match done.commit(&mut st) {
            Some(sent) => sent,
            None => return false,
        }
    };
    // No direct way out (in-process): sent now, still in this document's turn.
    if let Some((diags, version)) = unsent {
        super::wire::publish_serialised(client, uri.clone(), diags, Some(version)).await;
    }
    true
}

/// A publication under way: its inputs, taken under the lock ([`take_job`]).
pub struct Job {
    inputs: Inputs,
    generation: u64,
    version: i32,
    refresh: bool,
    /// The cross-file findings the client was last told for this generation.
    old: Option<(u64, Arc<Vec<Finding>>)>,
    /// The document's last publication (push mode), taken out while this one is made.
    kept: Option<Published>,
}

/// A publication computed ([`Job::compute`]), to be committed.
pub struct Done {
    job: Job,
    across: Vec<Finding>,
    diags: Option<Vec<u8>>,
}

/// Under the store's lock: the inputs of `uri`'s publication for `occasion`, or `None`
/// when there is nothing to publish (not open; its analysis is not current, so a newer
/// one will publish; a fresh one already published by a refresh).
pub fn take_job(st: &mut Shared, uri: &Uri, occasion: &Occasion) -> Option<Job> {
    let pull = st.pull;
    let e = st.docs.get(uri)?;
    let (generation, a, version, refresh) = match occasion {
        Occasion::Fresh(g, a, version) => {
            // Already published for this generation by a refresh (the workspace index
            // landed first): not again.
            if e.generation != *g || e.across.as_ref().is_some_and(|(ga, _)| ga == g) {
                return None;
            }
            (*g, a.clone(), *version, false)
        }
        Occasion::Refresh => {
            let (g, a) = e.analysis.clone()?;
            if g != e.generation {
                // Its own analysis is under way and will publish.
                return None;
            }
            (g, a, e.doc.version, true)
        }
    };
    let old = e.across.clone();
    let inputs = Inputs::of(st, uri, &a, true)?;
    let kept = if pull {
        None
    } else {
        st.docs
            .get_mut(uri)
            .map(|e| std::mem::take(&mut e.published))
    };
    Some(Job {
        inputs,
        generation,
        version,
        refresh,
        old,
        kept,
    })
}

impl Job {
    /// Without the lock: the cross-file findings and (push mode) the serialised
    /// diagnostics; the job back for a refresh whose cross-file findings did not change.
    pub fn compute(mut self) -> Result<Done, Box<Job>> {
        let across = self.inputs.across();
        let same = self
            .old
            .as_ref()
            .is_some_and(|(og, o)| *og == self.generation && **o == across);
        if self.refresh && same {
            return Err(Box::new(self));
        }
        let inputs = &self.inputs;
        let diags = self.kept.as_mut().map(|k| inputs.serialise(k, &across));
        Ok(Done {
            job: self,
            across,
            diags,
        })
    }

    /// Put the kept publication back (nothing was published).
    pub fn give_back(self, st: &mut Shared) {
        if let (Some(kept), Some(e)) = (self.kept, st.docs.get_mut(&self.inputs.uri)) {
            e.published = kept;
        }
    }
}

impl Done {
    /// Under the store's lock: keep the cross-file findings as what the client is told
    /// and send the publication (push mode), if the document's analysis is still the
    /// one computed against; `None` if it is not (nothing sent). `Some(Some(..))`: the
    /// diagnostics and version that could not be sent so (in-process: send them with
    /// [`super::wire::publish_serialised`], still in the document's turn).
    pub fn commit(self, st: &mut Shared) -> Option<Option<(Vec<u8>, i32)>> {
        let Done { job, across, diags } = self;
        let e = st.docs.get_mut(&job.inputs.uri)?;
        if let Some(kept) = job.kept {
            e.published = kept;
        }
        let current = e.generation == job.generation
            && e.analysis
                .as_ref()
                .is_some_and(|(g, a)| *g == job.generation && Arc::ptr_eq(a, &job.inputs.a));
        if !current {
            return None;
        }
        e.across = Some((job.generation, Arc::new(across)));
        let Some(diags) = diags else {
            return Some(None);
        };
        // Sent now, under the lock: nothing committed after it goes out before it.
        Some(
            super::wire::publish_now(&job.inputs.uri, diags, Some(job.version))
                .err()
                .map(|d| (d, job.version)),
        )
    }
}

/// Publish again (push mode) the open documents but `except` whose cross-file findings
/// changed, each in its turn ([`publish_doc`]); whether any changed (then a pulling
/// client is to be asked to pull again: [`ask_pull`]).
pub async fn refresh(state: &Mutex<Shared>, client: &Client, except: Option<&Uri>) -> bool {
    let (uris, pull) = {
        let st = lock(state);
        let uris: Vec<Uri> = st
            .docs
            .keys()
            .filter(|u| Some(*u) != except)
            .cloned()
            .collect();
        (uris, st.pull)
    };
    let mut changed = false;
    for u in uris {
        changed |= publish_doc(state, client, &u, Occasion::Refresh).await;
    }
    pull && changed
}

/// Ask a pulling client to pull again, when [`refresh`] said so.
pub async fn ask_pull(client: &Client, asked: bool) {
    if asked {
        let _ = client.workspace_diagnostic_refresh().await;
    }
}

/// A document's findings and cross-file findings as diagnostics, linked to the rule
/// pages when its configuration has a `docs_url` (and the client takes the link), with
/// their related places when the client takes them ([`Shared::supports`]).
pub fn diagnostics_of(
    st: &Shared,
    uri: &Uri,
    a: &Analysis,
    across: &[Finding],
    enc: Encoding,
) -> Vec<Diagnostic> {
    let other = |p: &str, s: Span| locate(st, p, s, enc);
    let docs_url = st.docs.get(uri).and_then(|e| e.res.config.docs_url.clone());
    let all = merged(&a.findings, across);
    let carry = Carry::new(docs_url.as_deref(), st.supports);
    super::convert::diagnostics(a, uri, &all, enc, &other, carry)
}

/// Two lists sorted by [`crate::finding::sort`] as one, in the order that sorting them
/// together gives (a stable sort: on a tie the first list's finding comes first), by
/// reference: [`crate::workspace::merge`] without a copy of every finding per version.
fn merged<'a>(own: &'a [Finding], across: &'a [Finding]) -> Vec<&'a Finding> {
    let mut out = Vec::with_capacity(own.len() + across.len());
    let (mut i, mut j) = (0, 0);
    while let (Some(x), Some(y)) = (own.get(i), across.get(j)) {
        if y.order_key() < x.order_key() {
            out.push(y);
            j += 1;
        } else {
            out.push(x);
            i += 1;
        }
    }
    out.extend(own.get(i..).unwrap_or(&[]));
    out.extend(across.get(j..).unwrap_or(&[]));
    out
}

impl Backend {
    /// [`report_config_problems`] for this server.
    pub async fn report_config_problems(&self, clear: Vec<PathBuf>) {
        report_config_problems(&self.client, &self.state, clear).await;
    }
}

/// Report the configuration problems met since the last report (once `initialized`
/// has arrived): each on its configuration file as a diagnostic, and in the log; the
/// editor settings' problems as a message. `clear`: configuration files whose old
/// diagnostics go (a reload).
pub async fn report_config_problems(
    client: &Client,
    state: &std::sync::Mutex<Shared>,
    clear: Vec<PathBuf>,
) {
    {
        let (problems, settings, mut files) = {
            let mut st = lock(state);
            let fresh = st.configs.take_problems();
            st.pending_problems.extend(fresh);
            if !st.initialized {
                return;
            }
            let problems = std::mem::take(&mut st.pending_problems);
            let settings = std::mem::take(&mut st.pending_settings);
            for p in &problems {
                if !st.reported_configs.contains(&p.path) {
                    st.reported_configs.push(p.path.clone());
                }
            }
            (problems, settings, clear)
        };
        for p in &problems {
            if !files.contains(&p.path) {
                files.push(p.path.clone());
            }
        }
        for f in files {
            let diags: Vec<Diagnostic> = problems
                .iter()
                .filter(|p| p.path == f)
                .map(config_diagnostic)
                .collect();
            if let Some(uri) = Uri::from_file_path(&f) {
                super::wire::publish_diagnostics(client, uri, diags, None).await;
            }
        }
        for p in &problems {
            client
                .log_message(MessageType::WARNING, p.to_string())
                .await;
        }
        for s in settings {
            client.show_message(MessageType::WARNING, s).await;
        }
    }
}

fn config_diagnostic(p: &FileProblem) -> Diagnostic {
    let pos = Position {
        line: p.line.saturating_sub(1) as u32,
        character: p.column.saturating_sub(1) as u32,
    };
    Diagnostic {
        range: Range {
            start: pos,
            end: pos,
        },
        severity: Some(DiagnosticSeverity::ERROR),
        code: Some(NumberOrString::String("config-invalid".into())),
        source: Some("annalist".into()),
        message: p.message.clone(),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;

    /// A document open in an in-process server (push mode), analysed at generation
    /// `g` with `text`: its entry replaced as an edit or a reopening replaces it.
    fn store(b: &Backend, uri: &Uri, text: &str, g: u64) -> Arc<Analysis> {
        let mut st = lock(&b.state);
        let res = st.configs.for_root();
        let doc = crate::document::Document::with_parse_limit(text, g as i32, usize::MAX);
        let a = Arc::new(super::super::state::run_analysis(
            &doc.snapshot(),
            &res,
            &Default::default(),
            None,
        ));
        let mut e = super::super::state::DocEntry::new(doc, res, g);
        e.analysis = Some((g, a.clone()));
        st.docs.insert(uri.clone(), e);
        a
    }

    /// Poll `fut` once: its output when it is ready at once.
    fn at_once<F: std::future::Future>(fut: F) -> Option<F::Output> {
        let mut fut = std::pin::pin!(fut);
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        match fut.as_mut().poll(&mut cx) {
            std::task::Poll::Ready(v) => Some(v),
            std::task::Poll::Pending => None,
        }
    }

    /// A publication computed outside the store's lock is committed only if the
    /// document's analysis is still the one it was computed against: a refresh whose
    /// inputs were taken before a newer analysis published is dropped (it would
    /// overtake the newer publication with the old text's diagnostics), so is one
    /// computed against an analysis replaced at the same generation (the document
    /// closed and opened again). And a document's publications wait for its turn.
    #[tokio::test]
    async fn a_stale_publication_never_overtakes_a_newer_one() {
        let (service, _socket) = tower_lsp_server::LspService::new(Backend::new);
        let b = service.inner();
        let uri: Uri = "file:///nowhere/doc.md".parse().expect("a URI");
        let old_text = "Kim Il Sung returned to Sŏul.\n\nSeoul had fallen.\n";
        let new_text = "Kim Il Sung returned.\n";
        store(b, &uri, old_text, 0);
        // A refresh takes its inputs (generation 0)...
        let stale = take_job(&mut lock(&b.state), &uri, &Occasion::Refresh).expect("a job");
        // ...the document changes and its analysis publishes...
        let a1 = store(b, &uri, new_text, 1);
        let fresh = take_job(&mut lock(&b.state), &uri, &Occasion::Fresh(1, a1, 1))
            .expect("a job")
            .compute()
            .ok()
            .expect("computed");
        let sent = fresh.commit(&mut lock(&b.state));
        let (diags, version) = sent.flatten().expect("published (in-process: given back)");
        assert_eq!(version, 1);
        let newer: Vec<Diagnostic> = serde_json::from_slice(&diags).expect("JSON");
        // ...then the stale refresh ends: nothing of it is sent or kept.
        let done = stale.compute().ok().expect("computed");
        assert!(
            done.commit(&mut lock(&b.state)).is_none(),
            "a stale refresh was sent"
        );
        let across_gen = lock(&b.state).docs[&uri].across.as_ref().map(|(g, _)| *g);
        assert_eq!(across_gen, Some(1));
        assert!(
            !newer.iter().any(|d| d.message.contains("Sŏul")),
            "{newer:?}"
        );
        // The same generation, another analysis (closed and opened again): a refresh
        // computed against the first is not committed to the second.
        store(b, &uri, new_text, 1);
        let stale = take_job(&mut lock(&b.state), &uri, &Occasion::Refresh).expect("a job");
        store(b, &uri, old_text, 1);
        let done = stale.compute().ok().expect("never compared: changed");
        assert!(
            done.commit(&mut lock(&b.state)).is_none(),
            "committed to another analysis"
        );
        assert!(lock(&b.state).docs[&uri].across.is_none());
        // While another publication of the document is under way, a refresh waits.
        let turn = lock(&b.state).docs[&uri].publishing.clone();
        let held = turn.lock().await;
        let client = b.client.clone();
        assert!(
            at_once(publish_doc(&b.state, &client, &uri, Occasion::Refresh)).is_none(),
            "a publication did not wait for the document's turn"
        );
        drop(held);
    }

    /// The merge by reference gives the order the engine's merge (a stable sort of
    /// both lists) gives, ties included.
    #[test]
    fn merged_is_the_engines_merge() {
        let f = |s: usize, e: usize, code: &'static str, msg: &str| {
            Finding::new(code, Severity::Warning, Span::new(s, e), msg.to_string())
        };
        let mut own = vec![
            f(0, 4, "a", "own 1"),
            f(5, 9, "b", "own 2"),
            f(5, 9, "b", "own 3"),
            f(20, 22, "c", "own 4"),
        ];
        let mut across = vec![
            f(0, 4, "a", "across 1"),
            f(3, 4, "z", "across 2"),
            f(5, 9, "b", "across 3"),
            f(30, 31, "a", "across 4"),
        ];
        crate::finding::sort(&mut own);
        crate::finding::sort(&mut across);
        for (o, x) in [
            (&own[..], &across[..]),
            (&own[..0], &across[..]),
            (&own[..], &across[..0]),
        ] {
            let want = crate::workspace::merge(o, x);
            let got: Vec<Finding> = merged(o, x).into_iter().cloned().collect();
            assert_eq!(got, want);
        }
    }
}
