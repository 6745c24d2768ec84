//! One configuration per document, found exactly as `annalist check` finds it: the
//! nearest configuration file above the document ([`crate::config::Discovery`] through
//! [`crate::project::Policy`], the CLI's own walk), with the editor settings laid over
//! it and the knowledge (embedded plus project gazetteers) it asks for. Each
//! configuration file is read and each gazetteer built once per [`Configs`]; a
//! configuration change builds a new one.

use super::settings;
use crate::config::{Config, FileProblem, Loaded};
use crate::facts::Knowledge;
use crate::project::Policy;
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tower_lsp_server::ls_types::Uri;

/// The configuration that governs some documents.
#[derive(Debug)]
pub struct Resolved {
    /// The configuration file (`None`: the defaults).
    pub path: Option<PathBuf>,
    /// Where its relative paths are anchored (`[kinds]`, bibliographies, gazetteers):
    /// the file's directory, else the workspace root.
    pub dir: Option<PathBuf>,
    /// The file's configuration with the editor settings laid over it.
    pub config: Arc<Config>,
    /// Whether the editor settings changed the file's configuration (then the cache
    /// keeps its files' entries apart from `check`'s, see [`crate::file_cache`]).
    pub edited: bool,
    pub knowledge: Arc<Knowledge>,
}

impl Resolved {
    /// The kind `[kinds]` gives the file at `path` (relative to the configuration's
    /// directory), as `check` reads it.
    pub fn kind_for(&self, path: &Path) -> Option<crate::kind::DocKind> {
        let rel = path.strip_prefix(self.dir.as_deref()?).ok()?;
        self.config
            .kind_for(&rel.to_string_lossy().replace('\\', "/"))
    }
}

/// Every configuration of one workspace, resolved on demand.
pub struct Configs {
    root: Option<PathBuf>,
    /// The workspace's cache directory (`.annalist_cache` at its root, or
    /// `ANNALIST_CACHE_DIR`), where loaded project gazetteers and the unopened files'
    /// name indexes are kept; none without a workspace.
    cache: Option<PathBuf>,
    policy: Option<Arc<Policy>>,
    settings: Value,
    embedded: Arc<Knowledge>,
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    resolved: HashMap<Option<PathBuf>, Arc<Resolved>>,
    /// Problems of the configurations resolved so far, not yet reported.
    problems: Vec<FileProblem>,
    /// How many of the walk's problems were reported.
    policy_seen: usize,
}

impl Configs {
    /// The configurations of the workspace at `root` under the editor `settings`.
    pub fn new(root: Option<PathBuf>, settings: Value, embedded: Arc<Knowledge>) -> Configs {
        let policy = root.as_deref().and_then(|r| {
            Policy::new(
                r,
                crate::config::Discovery::nearest(crate::rules::codes()),
                &[],
            )
            .ok()
            .map(Arc::new)
        });
        Configs {
            cache: root.as_deref().map(crate::cachedir::directory),
            root,
            policy,
            settings,
            embedded,
            inner: Mutex::new(Inner::default()),
        }
    }

    /// No workspace, no settings: the defaults everywhere (before `initialize`).
    pub fn empty(embedded: Arc<Knowledge>) -> Configs {
        Configs::new(None, Value::Null, embedded)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn root(&self) -> Option<&Path> {
        self.root.as_deref()
    }

    /// The workspace's cache directory, as `check` run at its root finds it; none
    /// without a workspace.
    pub fn cache_dir(&self) -> Option<&Path> {
        self.cache.as_deref()
    }

    /// The walk `annalist check <root>` does, with every configuration's `exclude`
    /// and `extensions`.
    pub fn policy(&self) -> Option<&Arc<Policy>> {
        self.policy.as_ref()
    }

    /// The configuration governing the file at `path` (absolute).
    pub fn for_path(&self, path: &Path) -> Arc<Resolved> {
        match &self.policy {
            Some(p) => {
                let loaded = p.config_for(path);
                self.resolve(&loaded, p.anchor(&loaded))
            }
            None => self.for_root(),
        }
    }

    /// The configuration governing the document `uri` (the workspace root's for a
    /// document that is not a file).
    pub fn for_uri(&self, uri: &Uri) -> Arc<Resolved> {
        match uri.to_file_path() {
            Some(p) => self.for_path(&p),
            None => self.for_root(),
        }
    }

    /// The configuration governing the workspace root (the defaults without one).
    pub fn for_root(&self) -> Arc<Resolved> {
        match &self.policy {
            Some(p) => {
                let loaded = p.config_here();
                self.resolve(&loaded, p.anchor(&loaded))
            }
            None => self.resolve(&Loaded::default(), PathBuf::new()),
        }
    }

    fn resolve(&self, loaded: &Loaded, anchor: PathBuf) -> Arc<Resolved> {
        if let Some(r) = self.lock().resolved.get(&loaded.path) {
            return r.clone();
        }
        let (config, _) = settings::apply(&loaded.config, &self.settings);
        let edited = config != loaded.config;
        let dir = (!anchor.as_os_str().is_empty())
            .then_some(anchor)
            .or_else(|| self.root.clone());
        let mut problems = loaded.problems.clone();
        let knowledge = match &dir {
            Some(d) if !config.gazetteers.is_empty() => {
                let (k, gz) = Knowledge::for_project_cached(d, &config, self.cache.as_deref());
                problems.extend(gz);
                k
            }
            _ => self.embedded.clone(),
        };
        let r = Arc::new(Resolved {
            path: loaded.path.clone(),
            dir,
            config: Arc::new(config),
            edited,
            knowledge,
        });
        let mut inner = self.lock();
        // Another thread may have resolved it meanwhile: keep the first.
        if let Some(first) = inner.resolved.get(&loaded.path) {
            return first.clone();
        }
        inner.resolved.insert(loaded.path.clone(), r.clone());
        inner.problems.extend(problems);
        r
    }

    /// Problems of the configurations resolved since the last call (and invalid
    /// `exclude` patterns met by the walk), to report once.
    pub fn take_problems(&self) -> Vec<FileProblem> {
        let walk = self
            .policy
            .as_ref()
            .map(|p| p.problems())
            .unwrap_or_default();
        let mut inner = self.lock();
        let mut out = std::mem::take(&mut inner.problems);
        out.extend(walk.iter().skip(inner.policy_seen).cloned());
        inner.policy_seen = inner.policy_seen.max(walk.len());
        out
    }
}
