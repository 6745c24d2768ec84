//! The workspace's files that are not open in the editor: what the cross-file rules
//! need of them ([`crate::facts::NameIndex`]) and where their names stand (not their
//! text: [`WsFile::marks`]).
//!
//! The files are exactly those `annalist check <root>` walks (the same walk, each
//! directory under its nearest configuration's `extensions` and `exclude`), analysed
//! with the same engine under the same configuration, so the server's cross-file
//! findings equal the CLI's. Built on a blocking thread at start-up and
//! again after a configuration change or a file created or deleted on disk; one file
//! is re-read when it is closed or changed on disk.
//!
//! A file is analysed only when the per-file cache `check` keeps
//! ([`crate::file_cache`], in the workspace's cache directory) has no entry for its
//! text and kind under the same configuration, gazetteers and binary; its name index
//! is read from the entry otherwise. What was analysed is stored there once the first
//! diagnostics are out, so the next start (and a `check`) find it; a cache that cannot
//! be read or written only means more analysis.

use super::configs::{Configs, Resolved};
use super::publish::{ask_pull, refresh};
use super::state::{Backend, lock};
use crate::analysis;
use crate::facts::Context;
use crate::facts::NameIndex;
use crate::file_cache::{self, Hash, Pack};
use crate::position::{LineIndex, Marks};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower_lsp_server::ls_types::{MessageType, Uri};

/// Most files indexed; past it the rest of the workspace is not compared.
pub const FILE_LIMIT: usize = 5000;

/// How much lower than the server's other threads the index's threads run (a nice
/// value, Linux): the opened documents' parse and analysis take the cores first.
const INDEX_NICE: i32 = 10;

/// The index's threads: as many as rayon's global pool has, each at [`INDEX_NICE`].
/// On the global pool, an opened document's parse and analysis (started from a
/// blocking thread, so queued in rayon's injector) waited until the index's files were
/// nearly all taken: a cold start in a folder parsed and analysed a large document only
/// after most of the folder. On a pool of their own at a lower priority, the index
/// runs in the gaps the analysis leaves (its passes are not all parallel), and alone
/// at full speed. `None` if the threads could not be started.
fn index_pool() -> Option<&'static rayon::ThreadPool> {
    static POOL: std::sync::OnceLock<Option<rayon::ThreadPool>> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .thread_name(|i| format!("annalist-index-{i}"))
            .start_handler(|_| lower_priority())
            .build()
            .ok()
    })
    .as_ref()
}

/// Run `f` (the index's work: the walk, reading and analysing files, its parallel
/// parts included) on [`index_pool`]; on the calling thread if there is none.
fn in_background<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    match index_pool() {
        Some(pool) => pool.install(f),
        None => f(),
    }
}

/// Lower the calling thread's priority by [`INDEX_NICE`] (a refusal leaves it).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn lower_priority() {
    // SAFETY: `setpriority` with `PRIO_PROCESS` and 0 sets the calling thread's nice
    // value on Linux (threads have their own); it touches no memory of ours.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, INDEX_NICE);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn lower_priority() {}

/// One file as read from disk.
#[derive(Clone, Debug)]
pub struct WsFile {
    pub path: PathBuf,
    /// The configuration file that governs it (`None`: the defaults); only files
    /// sharing a configuration are compared, as in `check`.
    pub config: Option<PathBuf>,
    /// The positions of its names' occurrences (every place the server may point
    /// to in it), kept instead of its text: the cross-file rules read no text but
    /// the judged document's.
    pub marks: Marks,
    /// Shared with [`CacheWork`] until the cache is written (not a copy of every
    /// analysed file's index).
    pub names: Arc<NameIndex>,
}

/// The indexed files, by URI string.
#[derive(Clone, Debug, Default)]
pub struct WsIndex {
    /// In URI order, the order the comparison reads them in (on every keystroke: a
    /// hash map's files were sorted each time).
    pub files: BTreeMap<String, WsFile>,
    /// Set when the walk stopped at [`FILE_LIMIT`]; said once in the log.
    pub truncated: bool,
}

/// How an indexed file's name index was found.
enum Found {
    /// In the cache.
    Cached,
    /// By analysing the file; with its inputs' hash when its group has a cache pack
    /// (the result is stored there).
    Analysed(Option<Hash>),
}

/// Read and analyse one file under its configuration. `None` when it cannot be read
/// or is not UTF-8 (`check` reports those; here they are passed over), or when its
/// configuration compares no names across files.
pub fn read(path: &Path, configs: &Configs) -> Option<(String, WsFile)> {
    read_with(path, &configs.for_path(path), None, &|_| false)
        .and_then(|(key, file, _)| Some((key, file?)))
}

/// [`read`] the file at `path` under its configuration `res`, taking its name index
/// from `pack` (its group's cache) when an entry for exactly its text and kind is
/// there. When it is not there and `is_open` says the file has been opened in the
/// editor meanwhile, it is not analysed: `Some((key, None, _))`.
fn read_with(
    path: &Path,
    res: &Resolved,
    pack: Option<&Pack>,
    is_open: &(dyn Fn(&Path) -> bool + Sync),
) -> Option<(String, Option<WsFile>, Found)> {
    if !res.config.romanisation.across_files {
        return None;
    }
    let bytes = std::fs::read(path).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    // As `check` does: a byte-order mark is not part of the text.
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
    let uri = Uri::from_file_path(path)?;
    let text: Arc<str> = Arc::from(text);
    // The key `check` gives the file: its text (on disk now) and its configured kind.
    let hash = pack.map(|_| file_cache::entry_hash(&text, res.kind_for(path)));
    let cached = pack.zip(hash).and_then(|(p, h)| p.names(path, h));
    let (names, found) = match cached {
        Some(names) => (Arc::new(names), Found::Cached),
        None if is_open(path) => return Some((uri.as_str().to_string(), None, Found::Cached)),
        None => {
            // Only what the comparison needs (equal to a full analysis's `names`).
            let ctx = Context {
                config: &res.config,
                knowledge: &res.knowledge,
            };
            (
                Arc::new(analysis::name_index(text.clone(), &ctx)),
                Found::Analysed(hash),
            )
        }
    };
    let marks = marks_of(&text, &names);
    Some((
        uri.as_str().to_string(),
        Some(WsFile {
            path: path.to_path_buf(),
            config: res.path.clone(),
            marks,
            names,
        }),
        found,
    ))
}

/// The positions of every occurrence's ends in `names`, the name index of `text`.
pub fn marks_of(text: &str, names: &NameIndex) -> Marks {
    let spellings = names.entities.iter().flat_map(|e| &e.spellings);
    let occs = spellings
        .flat_map(|s| &s.occs)
        .chain(names.unlisted.iter().flat_map(|u| &u.occs));
    Marks::new(
        text,
        &LineIndex::new(text),
        occs.flat_map(|o| [o.start, o.end.max(o.start)]),
    )
}

/// What building the index read from the cache and computed, to be stored after the
/// first diagnostics are out ([`CacheWork::save`]).
#[derive(Default)]
pub struct CacheWork {
    /// The pack of each configuration group met (`None`: not cached).
    packs: Vec<Option<Pack>>,
    /// Each group's configuration file (as [`Resolved::path`]), by pack.
    groups: Vec<Option<PathBuf>>,
    /// The name indexes computed, by group, path and inputs' hash.
    computed: Vec<(usize, PathBuf, Hash, Arc<NameIndex>)>,
    /// Files whose name index came from the cache.
    pub from_cache: usize,
    /// Files analysed.
    pub analysed: usize,
    /// Files open in the editor (not read).
    pub open: usize,
}

/// A document open in the editor whose name index may go into the cache
/// ([`CacheWork::keep_open`]): its path, configuration, analysed text and name index.
///
/// Only these, not the analysis: a document's first analysis waits in
/// [`super::state::Shared::keep_names`] until the workspace index is built, while the
/// user may already be typing. Held whole, a megabyte's analysis (its mentions, dates,
/// claims, notes and findings) stayed alive beside the current one and the one being
/// computed: a third analysis at the server's peak of memory.
pub struct OpenNames {
    pub path: PathBuf,
    pub res: Arc<Resolved>,
    pub text: Arc<str>,
    pub names: NameIndex,
}

impl OpenNames {
    /// What the cache needs of the analysis `a` of the document at `path` under `res`.
    pub fn of(path: PathBuf, res: Arc<Resolved>, a: &crate::facts::Analysis) -> OpenNames {
        OpenNames {
            path,
            res,
            text: a.text.clone(),
            names: a.names.clone(),
        }
    }
}

impl CacheWork {
    /// Add the name indexes of documents open in the editor whose text is the file's
    /// (read now) to the packs of their groups (opened from the cache directory `dir`
    /// for a group the walk did not meet), to be stored by [`CacheWork::save`].
    pub fn keep_open(&mut self, dir: &Path, open: Vec<OpenNames>) {
        for OpenNames {
            path,
            res,
            text,
            names,
        } in open
        {
            if !res.config.romanisation.across_files {
                continue;
            }
            let Some(on_disk) = std::fs::read(&path).ok() else {
                continue;
            };
            let on_disk = on_disk
                .strip_prefix("\u{FEFF}".as_bytes())
                .unwrap_or(&on_disk);
            if on_disk != text.as_bytes() {
                continue;
            }
            let g = match self.groups.iter().position(|c| *c == res.path) {
                Some(g) => g,
                None => {
                    self.groups.push(res.path.clone());
                    self.packs.push(open_pack(dir, &res));
                    self.packs.len() - 1
                }
            };
            let Some(Some(pack)) = self.packs.get_mut(g) else {
                continue;
            };
            let hash = file_cache::entry_hash(&text, res.kind_for(&path));
            if pack.names(&path, hash).is_none() {
                pack.put_names(&path, hash, &names);
            }
        }
    }

    /// Store the computed name indexes, each pack merged into the one on disk and
    /// written atomically; a cache that cannot be written is skipped.
    pub fn save(self) {
        let mut packs = self.packs;
        for (g, path, hash, names) in &self.computed {
            if let Some(Some(pack)) = packs.get_mut(*g) {
                pack.put_names(path, *hash, names);
            }
        }
        for pack in packs.into_iter().flatten() {
            pack.save_merged();
        }
    }

    /// One line for the log: how the index was built.
    pub fn summary(&self) -> String {
        format!(
            "annalist: workspace index: {} files analysed, {} read from the cache, {} open in the editor",
            self.analysed, self.from_cache, self.open
        )
    }
}

/// Store the name indexes of documents open in the editor whose text is the file's on
/// disk (`(path, configuration, analysis of the open text)`), where the cache has no
/// entry for exactly that text: the index never reads an open file, so without this a
/// document kept open across restarts would be analysed from disk by the next start's
/// index whenever its `didOpen` arrives after the walk reached it (a megabyte's
/// analysis done twice, competing with the open's own). Called at shutdown, on a
/// writer thread the exit waits for.
pub fn keep_open_names(dir: &Path, open: Vec<OpenNames>) {
    let mut work = CacheWork::default();
    work.keep_open(dir, open);
    work.save();
}

/// The cache pack of the group `res` governs, in the cache directory `dir`: none when
/// the binary cannot be identified. A configuration the editor settings change keeps
/// its entries apart from `check`'s (see [`crate::file_cache`]).
fn open_pack(dir: &Path, res: &Resolved) -> Option<Pack> {
    let root = res.dir.as_deref()?;
    let fingerprint = file_cache::group_fingerprint(&res.config, root)?;
    let variant = if res.edited { "editor" } else { "" };
    Some(Pack::open_variant(
        dir,
        root,
        res.path.as_deref(),
        variant,
        fingerprint,
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
fn open_placeholder(path: &Path, res: &Resolved) -> Option<(String, WsFile)> {
    let uri = Uri::from_file_path(path)?;
    Some((
        uri.as_str().to_string(),
        WsFile {
            path: path.to_path_buf(),
            config: res.path.clone(),
            marks: Marks::default(),
            names: Arc::default(),
        },
    ))
}

/// Index the Markdown files of the workspace as `annalist check root` would walk them.
/// A file `is_open` tells is open in the editor is not read: its open text is what is
/// compared (and on start-up, reading a large open document from disk as well as
/// analysing it doubled the work before its first diagnostics). A file whose entry in
/// the cache has its text and kind is not analysed: its name index is read from the
/// entry. What was analysed is returned for [`CacheWork::save`].
pub fn build(configs: &Configs, is_open: &(dyn Fn(&Path) -> bool + Sync)) -> (WsIndex, CacheWork) {
    let (paths, truncated) = walk(configs, FILE_LIMIT);
    let mut index = WsIndex {
        truncated,
        ..WsIndex::default()
    };
    // Each file's configuration, and the cache pack of each configuration met.
    let mut work = CacheWork::default();
    let mut groups: Vec<Option<PathBuf>> = Vec::new();
    let resolved: Vec<(Arc<Resolved>, usize)> = paths
        .iter()
        .map(|p| {
            let res = configs.for_path(p);
            let g = match groups.iter().position(|c| *c == res.path) {
                Some(g) => g,
                None => {
                    let pack = configs
                        .cache_dir()
                        .filter(|_| res.config.romanisation.across_files)
                        .and_then(|dir| open_pack(dir, &res));
                    groups.push(res.path.clone());
                    work.groups.push(res.path.clone());
                    work.packs.push(pack);
                    groups.len() - 1
                }
            };
            (res, g)
        })
        .collect();
    let packs = &work.packs;
    // Each file after a quiet moment of the client's (see `quiet`).
    let pauses = super::quiet::Pauses::new(PAUSE_MAX);
    let read: Vec<(String, WsFile, Option<Found>, usize)> = paths
        .par_iter()
        .zip(&resolved)
        .filter_map(|(p, (res, g))| {
            pauses.wait();
            if is_open(p) {
                let (key, file) = open_placeholder(p, res)?;
                return Some((key, file, None, *g));
            }
            let pack = packs.get(*g).and_then(Option::as_ref);
            let (key, file, found) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                read_with(p, res, pack, is_open)
            }))
            .ok()??;
            match file {
                Some(file) => Some((key, file, Some(found), *g)),
                // Opened while the walk went on (asked again before the analysis).
                None => {
                    let (key, file) = open_placeholder(p, res)?;
                    Some((key, file, None, *g))
                }
            }
        })
        .collect();
    let mut files = BTreeMap::new();
    for (key, file, found, g) in read {
        match found {
            None => work.open += 1,
            Some(Found::Cached) => work.from_cache += 1,
            Some(Found::Analysed(hash)) => {
                work.analysed += 1;
                if let Some(h) = hash {
                    work.computed
                        .push((g, file.path.clone(), h, file.names.clone()));
                }
            }
        }
        files.insert(key, file);
    }
    index.files = files;
    (index, work)
}

/// The most one build of the index waits for the client's quiet moments, in all.
const PAUSE_MAX: std::time::Duration = std::time::Duration::from_secs(2);

/// How long a new index first waits for an editor's first `didOpen` (sent right after
/// `initialized`), and at most for the opened documents' analyses.
const YIELD_FIRST: std::time::Duration = std::time::Duration::from_millis(50);
const YIELD_MAX: std::time::Duration = std::time::Duration::from_secs(2);

/// Wait until no opened document waits for or runs an analysis (for at most
/// [`YIELD_MAX`], after [`YIELD_FIRST`]): the documents an editor opens with the folder
/// are analysed first, on every core, and the index follows. Started with
/// `initialize`, the index took the cores from a document's first analysis (at nice
/// 10, but holding the locks of the memos they share): the 100 KB open took 30 ms more
/// in `lsp-compare.py` once the built-in knowledge no longer delayed the index's start.
async fn yield_to_opened(
    state: &Arc<std::sync::Mutex<super::state::Shared>>,
    analysed: &tokio::sync::watch::Sender<u64>,
) {
    let deadline = tokio::time::Instant::now() + YIELD_MAX;
    tokio::time::sleep(YIELD_FIRST).await;
    loop {
        // Subscribed before looking: an analysis that ends meanwhile is seen.
        let mut rx = analysed.subscribe();
        let due = lock(state)
            .docs
            .values()
            .any(|e| e.running || e.analysis.is_none());
        if !due
            || tokio::time::timeout_at(deadline, rx.changed())
                .await
                .is_err()
        {
            return;
        }
    }
}

impl Backend {
    /// (Re)build the index of the workspace's files in the background. Diagnostics do
    /// not wait for it; when it is done every open document's cross-file findings are
    /// refreshed (republished, or pulled again, where they changed).
    pub fn rebuild_workspace(&self, debounce: bool) {
        let (configs, epoch) = {
            let mut st = lock(&self.state);
            st.ws_epoch += 1;
            if st.configs.root().is_some() {
                // The open documents' first analyses wait for this build's save.
                st.keep_names.get_or_insert_default();
            }
            (st.configs.clone(), st.ws_epoch)
        };
        if configs.root().is_none() {
            lock(&self.state).ws = Arc::default();
            self.ready.send_replace(true);
            return;
        }
        if !debounce {
            // A new configuration: requests that read the index's files wait until they
            // are judged under it. (After a file event the old index serves meanwhile.)
            self.ready.send_replace(false);
        }
        let state = self.state.clone();
        let opened = self.opened.clone();
        let client = self.client.clone();
        let ready = self.ready.clone();
        let analysed = self.analysed.clone();
        tokio::spawn(async move {
            if debounce {
                // File events come in bursts (a checkout, a save-all): build once.
                tokio::time::sleep(std::time::Duration::from_millis(300)).await;
                if lock(&state).ws_epoch != epoch {
                    return;
                }
            } else {
                yield_to_opened(&state, &analysed).await;
            }
            let built = tokio::task::spawn_blocking(move || {
                // Asked per file, as the walk reaches it: an editor opens its first
                // document right after `initialized`, while the walk is under way. The
                // set of open documents has a lock of its own, never held for long, so
                // a document whose `didOpen` has arrived is never read from disk too
                // (before, the store's lock being busy with a large document's parse
                // meant "read it": a 1 MB document analysed twice on its cold open).
                let is_open = |p: &Path| {
                    let Some(u) = Uri::from_file_path(p) else {
                        return false;
                    };
                    opened
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .contains(&u)
                };
                // On the index's own threads, below the open documents' analyses.
                in_background(|| build(&configs, &is_open))
            })
            .await;
            let (built, work) = match built {
                Ok((ws, work)) => (Ok(ws), Some(work)),
                Err(e) => (Err(e), None),
            };
            // The build's transient memory goes back to the system once idle.
            super::quiet::give_back_when_idle();
            let superseded = lock(&state).ws_epoch != epoch;
            if superseded {
                // A newer build is under way; it will finish the job. What this one
                // analysed is still stored.
                if let Some(work) = work {
                    crate::cachedir::write_later(move || work.save());
                }
                return;
            }
            let (note, open, dir) = {
                let mut st = lock(&state);
                if st.ws_epoch != epoch {
                    return;
                }
                // The name indexes of the documents opened meanwhile are stored with
                // the index's own: one write of each pack, not one per document.
                let open = st.keep_names.take().unwrap_or_default();
                let dir = st.configs.cache_dir().map(Path::to_path_buf);
                let note = match built {
                    Ok(ws) => {
                        let note = ws.truncated.then(|| {
                            format!(
                                "annalist: the workspace has more than {FILE_LIMIT} Markdown files; names are compared across the first {FILE_LIMIT} only"
                            )
                        });
                        st.ws = Arc::new(ws);
                        note
                    }
                    Err(e) => Some(format!(
                        "annalist: indexing the workspace failed ({e}); names are compared across open documents only. Please report this."
                    )),
                };
                (note, open, dir)
            };
            // The open documents' diagnostics against the index, republished where
            // they changed (computed outside the store's lock, see `refresh`).
            let asked = refresh(&state, &client, None).await;
            ready.send_replace(true);
            if let Some(n) = note {
                client.log_message(MessageType::WARNING, n).await;
            }
            // Configurations met by the walk may have problems to show.
            super::publish::report_config_problems(&client, &state, Vec::new()).await;
            ask_pull(&client, asked).await;
            // The name indexes computed (and those of the documents opened meanwhile)
            // go into the cache now that the diagnostics are out, so that the next
            // start reads them.
            let summary = work.as_ref().map(CacheWork::summary);
            let mut work = work.unwrap_or_default();
            // On a thread of its own, which the server's exit waits for.
            crate::cachedir::write_later(move || {
                if let Some(dir) = dir {
                    work.keep_open(&dir, open);
                }
                work.save();
            });
            if let Some(summary) = summary {
                client.log_message(MessageType::LOG, summary).await;
            }
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
                let asked = refresh(&state, &client, None).await;
                ask_pull(&client, asked).await;
                return;
            }
            let p2 = path.clone();
            let read =
                tokio::task::spawn_blocking(move || in_background(|| read(&p2, &configs))).await;
            {
                let mut st = lock(&state);
                let Some(uri) = Uri::from_file_path(&path) else {
                    return;
                };
                match read {
                    Ok(Some((key, file))) => {
                        Arc::make_mut(&mut st.ws).files.insert(key, file);
                    }
                    // Gone or unreadable: no longer compared.
                    Ok(None) => {
                        Arc::make_mut(&mut st.ws).files.remove(uri.as_str());
                    }
                    Err(_) => return,
                }
            }
            let asked = refresh(&state, &client, None).await;
            ask_pull(&client, asked).await;
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The index reads and analyses its files on its own threads, below the server's
    /// others: never on rayon's global pool, where an opened document's parse and
    /// analysis would wait behind it.
    #[test]
    fn the_index_runs_on_its_own_threads_at_a_lower_priority() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().canonicalize().expect("canonical");
        for i in 0..12 {
            std::fs::write(
                root.join(format!("{i}.md")),
                "Kim Il Sung returned to Sŏul.\n",
            )
            .expect("write");
        }
        let embedded = Arc::new(crate::facts::Knowledge::embedded());
        let configs = Configs::new(Some(root.clone()), serde_json::Value::Null, embedded);
        let asked = std::sync::Mutex::new(Vec::new());
        let is_open = |_: &Path| {
            let t = std::thread::current();
            #[cfg(all(target_os = "linux", target_env = "gnu"))]
            // SAFETY: reads the calling thread's nice value.
            let nice = unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) };
            #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
            let nice = INDEX_NICE;
            asked
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((t.name().unwrap_or("").to_string(), nice));
            false
        };
        let (index, _) = in_background(|| build(&configs, &is_open));
        assert_eq!(index.files.len(), 12);
        let asked = asked.into_inner().unwrap_or_else(|e| e.into_inner());
        // Asked of each file before reading it and again before analysing it.
        assert!(asked.len() >= 12, "{} questions", asked.len());
        for (name, nice) in asked {
            assert!(name.starts_with("annalist-index-"), "read on {name:?}");
            assert!(nice >= INDEX_NICE, "{name} runs at nice {nice}");
        }
    }

    /// The documents open while the index is built go into the cache with the index's
    /// own name indexes, in one write of the pack (an editor reopening its tabs once
    /// wrote the pack again per document); the next start reads every file from it.
    #[test]
    fn open_documents_are_stored_with_the_index_in_one_write() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path().canonicalize().expect("canonical");
        let texts = [
            ("a.md", "Kim Il Sung returned to Sŏul.\n"),
            ("b.md", "The army reached Seoul.\n"),
            ("c.md", "Shtykov wrote from Pyongyang.\n"),
            ("d.md", "Seoul again, and Seoul.\n"),
        ];
        for (name, text) in texts {
            std::fs::write(root.join(name), text).expect("write");
        }
        let embedded = Arc::new(crate::facts::Knowledge::embedded());
        let configs = Configs::new(Some(root.clone()), serde_json::Value::Null, embedded);
        let Some(cache) = configs.cache_dir().map(Path::to_path_buf) else {
            panic!("a workspace has a cache directory");
        };
        let opened = |p: &Path| !p.ends_with("d.md");
        let (_, mut work) = build(&configs, &opened);
        assert_eq!((work.analysed, work.open), (1, 3));
        let open: Vec<OpenNames> = texts
            .iter()
            .take(3)
            .map(|(name, text)| {
                let path = root.join(name);
                let res = configs.for_path(&path);
                let ctx = crate::facts::Context {
                    config: &res.config,
                    knowledge: &res.knowledge,
                };
                let a = crate::analysis::analyze(Arc::from(*text), None, &ctx);
                OpenNames::of(path, res.clone(), &a)
            })
            .collect();
        let before = file_cache::pack_writes(&cache);
        work.keep_open(&cache, open);
        work.save();
        assert_eq!(file_cache::pack_writes(&cache) - before, 1);
        let (_, next) = build(&configs, &|_: &Path| false);
        assert_eq!((next.analysed, next.from_cache), (0, 4));
    }
}
