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

use super::convert::{Carry, to_range};
use super::folder_index::WsFile;
use super::state::{Backend, Shared, lock};
use crate::config::FileProblem;
use crate::facts::{Analysis, Context, Doc};
use crate::finding::{Finding, Span};
use crate::position::Encoding;
use std::path::PathBuf;
use std::sync::Arc;
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

/// The cross-file findings of `uri`, whose current analysis is `a`, against the other
/// open documents (their latest analysis) and the workspace's unopened files governed
/// by the same configuration (as `check` compares the files of one configuration):
/// exactly [`crate::workspace::findings_for`]'s, moved from the document's last
/// comparison when nothing it reads changed ([`crate::workspace::AcrossMemo`]).
pub fn across_for(st: &Shared, uri: &Uri, a: &Analysis) -> Vec<Finding> {
    let Some(e) = st.docs.get(uri) else {
        return Vec::new();
    };
    let res = e.res.clone();
    if a.names.is_empty() || !res.config.romanisation.across_files {
        e.across_memo.clear();
        return Vec::new();
    }
    let memo = e.across_memo.memo(&res);
    let docs = workspace_docs(st, uri, a);
    let ctx = Context {
        config: &res.config,
        knowledge: &res.knowledge,
    };
    // Compared again only when what the comparison reads changed; a keystroke that
    // only moves names moves the last findings.
    crate::workspace::findings_for_reusing(&memo, &docs, 0, &ctx)
}

/// The documents the cross-file rules compare with `uri` (analysed as `a`), `uri`
/// first: the other open documents (their latest analysis) and the workspace's files
/// that are not open, in URI order — those governed by `uri`'s configuration.
pub fn workspace_docs<'a>(st: &'a Shared, uri: &'a Uri, a: &'a Analysis) -> Vec<Doc<'a>> {
    let mut docs = vec![Doc {
        path: uri.as_str(),
        text: &a.text,
        names: &a.names,
    }];
    let config = st.docs.get(uri).map(|e| e.res.path.clone());
    let mut open_paths: Vec<PathBuf> = Vec::new();
    for (u, e) in &st.docs {
        if let Some(p) = u.to_file_path() {
            open_paths.push(p.into_owned());
        }
        if u == uri || config.as_ref().is_some_and(|c| *c != e.res.path) {
            continue;
        }
        if let Some((_, oa)) = &e.analysis {
            docs.push(Doc {
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
        .filter(|(_, f)| config.as_ref().is_none_or(|c| *c == f.config))
        .collect();
    files.sort_by(|x, y| x.0.cmp(y.0));
    for (u, f) in files {
        docs.push(Doc {
            path: u,
            text: &f.text,
            names: &f.names,
        });
    }
    docs
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
        range: super::convert::text_range(&f.text, &f.lines, span, enc),
    })
}

/// Recompute the cross-file findings of the open documents (but `except`) whose
/// analysis is current. In push mode, publishes those that changed at once (the caller
/// holds the store's lock: see [`super::wire::publish_now`]); returns what could not be
/// sent so (in-process: send it with [`send_refreshed`]), and whether any changed.
pub fn refresh(st: &mut Shared, except: Option<&Uri>) -> (Vec<(Uri, Vec<u8>, i32)>, bool) {
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
            let diags = serialised_diagnostics(st, &u, &a, &across, enc);
            if let Err(diags) = super::wire::publish_now(&u, diags, Some(version)) {
                out.push((u.clone(), diags, version));
            }
        }
        if let Some(e) = st.docs.get_mut(&u) {
            e.across = Some((g, Arc::new(across)));
        }
    }
    (out, changed)
}

/// Publish what [`refresh`] found changed (push mode), or ask a pulling client to pull
/// again (`refresh_pull`).
pub async fn send_refreshed(
    client: &Client,
    publish: Vec<(Uri, Vec<u8>, i32)>,
    refresh_pull: bool,
) {
    for (u, diags, version) in publish {
        super::wire::publish_serialised(client, u, diags, Some(version)).await;
    }
    if refresh_pull {
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

/// [`diagnostics_of`], serialised (a JSON array), for publishing or answering a pull:
/// what the document's last publication already holds is reused
/// ([`super::published`]), and this one kept for the next.
pub fn serialised_diagnostics(
    st: &mut Shared,
    uri: &Uri,
    a: &Analysis,
    across: &[Finding],
    enc: Encoding,
) -> Vec<u8> {
    let mut kept = st
        .docs
        .get_mut(uri)
        .map(|e| std::mem::take(&mut e.published))
        .unwrap_or_default();
    let st_ref: &Shared = st;
    let other = |p: &str, s: Span| locate(st_ref, p, s, enc);
    let docs_url = st_ref
        .docs
        .get(uri)
        .and_then(|e| e.res.config.docs_url.clone());
    let all = merged(&a.findings, across);
    let out = kept.publish(
        &super::published::Source {
            text: &a.text,
            lines: &a.lines,
            uri,
            enc,
            carry: Carry::new(docs_url.as_deref(), st_ref.supports),
            other: &other,
        },
        &all,
    );
    if let Some(e) = st.docs.get_mut(uri) {
        e.published = kept;
    }
    out
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
