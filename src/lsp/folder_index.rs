//! The workspace's files that are not open in the editor: their text on disk and what
//! the cross-file rules need of them ([`crate::facts::NameIndex`]).
//!
//! The files are exactly those `annalist check <root>` walks (the same walk, each
//! directory under its nearest configuration's `extensions` and `exclude`), analysed
//! with the same engine under the same configuration, so the server's cross-file
//! findings equal the CLI's. Built on a blocking thread at start-up and
//! again after a configuration change or a file created or deleted on disk; one file
//! is re-read when it is closed or changed on disk.

use super::configs::Configs;
use super::publish::{refresh, send_refreshed};
use super::state::{Backend, lock};
use crate::analysis;
use crate::facts::Context;
use crate::facts::NameIndex;
use crate::position::LineIndex;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower_lsp_server::ls_types::{MessageType, Uri};

/// Most files indexed; past it the rest of the workspace is not compared.
pub const FILE_LIMIT: usize = 5000;

/// One file as read from disk.
#[derive(Debug)]
pub struct WsFile {
    pub path: PathBuf,
    /// The configuration file that governs it (`None`: the defaults); only files
    /// sharing a configuration are compared, as in `check`.
    pub config: Option<PathBuf>,
    pub text: Arc<str>,
    pub lines: LineIndex,
    pub names: NameIndex,
}

/// The indexed files, by URI string.
#[derive(Debug, Default)]
pub struct WsIndex {
    pub files: HashMap<String, WsFile>,
    /// Set when the walk stopped at [`FILE_LIMIT`]; said once in the log.
    pub truncated: bool,
}

/// Read and analyse one file under its configuration. `None` when it cannot be read
/// or is not UTF-8 (`check` reports those; here they are passed over), or when its
/// configuration compares no names across files.
pub fn read(path: &Path, configs: &Configs) -> Option<(String, WsFile)> {
    let res = configs.for_path(path);
    if !res.config.romanisation.across_files {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    // As `check` does: a byte-order mark is not part of the text.
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
    let uri = Uri::from_file_path(path)?;
    let text: Arc<str> = Arc::from(text);
    // Only what the comparison needs (equal to a full analysis's `names`).
    let ctx = Context {
        config: &res.config,
        knowledge: &res.knowledge,
    };
    let names = analysis::name_index(text.clone(), &ctx);
    Some((
        uri.as_str().to_string(),
        WsFile {
            path: path.to_path_buf(),
            config: res.path.clone(),
            lines: LineIndex::new(&text),
            text,
            names,
        },
    ))
}

/// The Markdown files under the workspace root exactly as `annalist <root>` walks
/// them: each directory governed by its nearest configuration's `exclude` and
/// `extensions`. Absolute paths, sorted; at most `limit`.
pub fn walk(configs: &Configs, limit: usize) -> (Vec<PathBuf>, bool) {
    let (Some(root), Some(policy)) = (configs.root(), configs.policy()) else {
        return (Vec::new(), false);
    };
    let walked = crate::project::collect_with(&[root.to_path_buf()], policy, None);
    let mut paths: Vec<PathBuf> = walked
        .entries
        .into_iter()
        .filter_map(|e| e.path)
        .map(|p| if p.is_absolute() { p } else { root.join(p) })
        .collect();
    let truncated = paths.len() > limit;
    paths.truncate(limit);
    (paths, truncated)
}

/// A file open in the editor, held in the index without its text: the comparison
/// reads the open document's live text instead, and closing it re-reads the file
/// ([`Backend::reindex_file`] re-reads only indexed files).
fn open_placeholder(path: &Path, configs: &Configs) -> Option<(String, WsFile)> {
    let uri = Uri::from_file_path(path)?;
    Some((
        uri.as_str().to_string(),
        WsFile {
            path: path.to_path_buf(),
            config: configs.for_path(path).path.clone(),
            text: Arc::from(""),
            lines: LineIndex::new(""),
            names: NameIndex::default(),
        },
    ))
}

/// Index the Markdown files of the workspace as `annalist check root` would walk them.
/// A file `is_open` tells is open in the editor is not read: its open text is what is
/// compared (and on start-up, reading a large open document from disk as well as
/// analysing it doubled the work before its first diagnostics).
pub fn build(configs: &Configs, is_open: &(dyn Fn(&Path) -> bool + Sync)) -> WsIndex {
    let (paths, truncated) = walk(configs, FILE_LIMIT);
    let mut index = WsIndex {
        truncated,
        ..WsIndex::default()
    };
    index.files = paths
        .par_iter()
        .filter_map(|p| {
            if is_open(p) {
                return open_placeholder(p, configs);
            }
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read(p, configs))).ok()?
        })
        .collect();
    index
}

impl Backend {
    /// (Re)build the index of the workspace's files in the background. Diagnostics wait
    /// for it; when it is done every open document's cross-file findings are refreshed.
    pub fn rebuild_workspace(&self, debounce: bool) {
        let (configs, epoch) = {
            let mut st = lock(&self.state);
            st.ws_epoch += 1;
            (st.configs.clone(), st.ws_epoch)
        };
        if configs.root().is_none() {
            lock(&self.state).ws = WsIndex::default();
            self.ready.send_replace(true);
            return;
        }
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
            let open_state = state.clone();
            let built = tokio::task::spawn_blocking(move || {
                // Asked per file, as the walk reaches it: an editor opens its first
                // document right after `initialized`, while the walk is under way.
                // Never waits for the lock: this runs on rayon's threads, and a lock
                // holder may itself be waiting for rayon (a document's chunks are parsed
                // in parallel under it); busy means "read it", as before.
                let is_open = |p: &Path| {
                    let Some(u) = Uri::from_file_path(p) else {
                        return false;
                    };
                    match open_state.try_lock() {
                        Ok(st) => st.docs.contains_key(&u),
                        Err(std::sync::TryLockError::Poisoned(e)) => {
                            e.into_inner().docs.contains_key(&u)
                        }
                        Err(std::sync::TryLockError::WouldBlock) => false,
                    }
                };
                build(&configs, &is_open)
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
                                "annalist: the workspace has more than {FILE_LIMIT} Markdown files; names are compared across the first {FILE_LIMIT} only"
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
            // Configurations met by the walk may have problems to show.
            super::publish::report_config_problems(&client, &state, Vec::new()).await;
            send_refreshed(&client, publish, pull && changed).await;
        });
    }

    /// Re-read one workspace file from disk (it was closed, or changed on disk) and
    /// refresh the open documents' cross-file findings.
    pub fn reindex_file(&self, path: PathBuf) {
        let (configs, indexed) = {
            let st = lock(&self.state);
            let indexed =
                Uri::from_file_path(&path).is_some_and(|u| st.ws.files.contains_key(u.as_str()));
            (st.configs.clone(), indexed)
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
            let read = tokio::task::spawn_blocking(move || read(&p2, &configs)).await;
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
}
