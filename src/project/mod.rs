//! Which files `annalist check` reads.
//!
//! - A file named on the command line is checked whatever its extension, unless it
//!   matches `exclude`.
//! - A directory is walked: files whose extension is in `extensions` (default `md`,
//!   `markdown`, case-insensitive), skipping hidden files and directories, what
//!   `.gitignore`, `.ignore` and `.git/info/exclude` ignore (also outside a git
//!   repository), symbolic links, and what `exclude` matches.
//! - `exclude` holds `.gitignore`-style patterns relative to the directory of the
//!   `annalist.toml` that defines them (the working directory when there is none):
//!   `drafts/`, `*.draft.md`, `/CHANGELOG.md`.
//! - Paths are reported as given: `docs` yields `docs/a.md`, `.` yields `a.md`.
//!   Files are sorted and each is listed once, however many arguments reach it.

use crate::config::{Discovery, FileProblem, Loaded};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::{Match, WalkBuilder};
use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::Mutex;

/// Why a path given or found could not be checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// Missing, unreadable, or a directory that could not be walked: exit status 2.
    Unreadable(String),
    /// Not UTF-8: reported and skipped; does not change the exit status.
    NotUtf8 { offset: usize },
    /// `--fix` could not write the file back: exit status 2.
    WriteFailed(String),
    /// The analysis failed on this file (a bug in annalist): exit status 2.
    Internal(String),
    /// Binary data (a NUL byte): reported and skipped; does not change the exit status.
    Binary { offset: usize },
    /// A directory in which no file with one of these extensions was found: exit status 2.
    NoFiles { extensions: Vec<String> },
    /// A problem in a configuration or gazetteer file (the path): exit status 2; the run
    /// goes on with the documented fallback.
    Config {
        line: usize,
        column: usize,
        message: String,
    },
    /// `--fix` would have to write a file it may not: exit status 2; the file is left alone.
    ReadOnly(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathProblem {
    pub path: String,
    pub kind: ProblemKind,
}

impl PathProblem {
    /// True when this problem makes the run fail with exit status 2.
    pub fn is_fatal(&self) -> bool {
        !matches!(
            self.kind,
            ProblemKind::NotUtf8 { .. } | ProblemKind::Binary { .. }
        )
    }
    /// `path:line:col` for a configuration problem, else the path.
    pub fn location(&self) -> String {
        match &self.kind {
            ProblemKind::Config { line, column, .. } => format!("{}:{line}:{column}", self.path),
            _ => self.path.clone(),
        }
    }
    pub fn message(&self) -> String {
        match &self.kind {
            ProblemKind::Unreadable(e) => format!("cannot read: {e}"),
            ProblemKind::NotUtf8 { offset } => format!(
                "not UTF-8 (first invalid byte at byte offset {offset}); skipped. Convert it with e.g. `iconv -f WINDOWS-1252 -t UTF-8`"
            ),
            ProblemKind::WriteFailed(e) => format!("cannot write the fixed file: {e}"),
            ProblemKind::Binary { offset } => format!(
                "binary data (a NUL byte at byte offset {offset}), not a text file; skipped. Exclude it with `exclude` in annalist.toml or `--exclude`"
            ),
            ProblemKind::NoFiles { extensions } => format!(
                "no Markdown files found under {} (looked for {}; `extensions` in annalist.toml sets them; hidden, ignored and excluded files are skipped)",
                self.path,
                extensions
                    .iter()
                    .map(|e| format!("*.{}", e.trim_start_matches('.')))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            ProblemKind::Config { message, .. } => message.clone(),
            ProblemKind::ReadOnly(why) => format!(
                "not fixed: {why}; nothing was written. Make it writable for this user (e.g. chmod u+w) or leave out --fix"
            ),
            ProblemKind::Internal(e) => format!(
                "internal error while analysing this file ({e}); the other files were checked. This is a bug in annalist: please report it with the file"
            ),
        }
    }
}

/// A file to check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The path as reported, `/`-separated, without a leading `./`.
    pub display: String,
    /// Where to read it (`None`: standard input).
    pub path: Option<PathBuf>,
}

/// What a walk found.
#[derive(Debug, Default)]
pub struct Walked {
    /// Sorted by `display`, no duplicates.
    pub entries: Vec<Entry>,
    /// Paths that do not exist or could not be read: exit status 2.
    pub problems: Vec<PathProblem>,
    /// Non-fatal trouble (a broken pattern in a `.gitignore`), for standard error.
    pub warnings: Vec<String>,
    /// Files named on the command line and skipped, with why, for standard error.
    pub skipped: Vec<String>,
}

/// An `exclude` pattern that `.gitignore` syntax does not allow. Its text names the
/// setting and the pattern; the caller says what happens to it.
#[derive(Clone, Debug, thiserror::Error)]
pub enum ExcludeError {
    #[error("exclude: invalid pattern `{pattern}`: {source}")]
    Pattern {
        pattern: String,
        #[source]
        source: ignore::Error,
    },
    /// The patterns together could not be compiled.
    #[error("exclude: invalid patterns: {source}")]
    Patterns {
        #[source]
        source: ignore::Error,
    },
}

impl ExcludeError {
    /// The pattern at fault (empty when the set as a whole is).
    pub fn pattern(&self) -> &str {
        match self {
            ExcludeError::Pattern { pattern, .. } => pattern,
            ExcludeError::Patterns { .. } => "",
        }
    }
}

/// An invalid `--exclude` pattern on the command line: the flag leads the message
/// (`--exclude: invalid pattern …`).
#[derive(Clone, Debug, thiserror::Error)]
#[error("--{0}")]
pub struct CliExcludeError(pub ExcludeError);

/// A `--shard` value that is not `I/N` with 1 ≤ I ≤ N (the value as given).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("--shard takes I/N with 1 <= I <= N, e.g. 2/4; got `{0}`")]
pub struct ShardError(pub String);

/// The `exclude` patterns of a configuration, anchored at its directory.
#[derive(Clone, Debug)]
pub struct Excluder {
    root: PathBuf,
    cwd: PathBuf,
    ignore: Arc<Gitignore>,
}

impl Excluder {
    /// `root`: the directory the patterns are relative to. An invalid pattern is an error
    /// naming it.
    pub fn new(root: &Path, cwd: &Path, patterns: &[String]) -> Result<Excluder, ExcludeError> {
        let (x, errors) = Excluder::build(root, cwd, patterns);
        match errors.into_iter().next() {
            Some(e) => Err(e),
            None => Ok(x),
        }
    }

    /// Like [`Excluder::new`], but an invalid pattern is left out: the excluder of the
    /// valid ones, and an error for each invalid one.
    pub fn build(root: &Path, cwd: &Path, patterns: &[String]) -> (Excluder, Vec<ExcludeError>) {
        let root = normalize(cwd, root);
        let mut b = GitignoreBuilder::new(&root);
        let mut errors = Vec::new();
        for p in patterns {
            if let Err(source) = b.add_line(None, p) {
                errors.push(ExcludeError::Pattern {
                    pattern: p.clone(),
                    source,
                });
            }
        }
        let ignore = b.build().unwrap_or_else(|source| {
            errors.push(ExcludeError::Patterns { source });
            Gitignore::empty()
        });
        (
            Excluder {
                root,
                cwd: cwd.to_path_buf(),
                ignore: Arc::new(ignore),
            },
            errors,
        )
    }

    /// True when `path` (relative to the working directory, or absolute) is excluded.
    pub fn is_excluded(&self, path: &Path, is_dir: bool) -> bool {
        self.matched(path, is_dir).is_some()
    }

    /// The pattern that excludes `path`, if one does.
    pub fn matched(&self, path: &Path, is_dir: bool) -> Option<String> {
        if self.ignore.is_empty() {
            return None;
        }
        let abs = normalize(&self.cwd, path);
        let rel = abs.strip_prefix(&self.root).ok()?;
        if rel.as_os_str().is_empty() {
            return None;
        }
        match self.ignore.matched_path_or_any_parents(rel, is_dir) {
            Match::Ignore(g) => Some(g.original().to_string()),
            _ => None,
        }
    }
}

/// Which configuration governs each path, and what it excludes: the nearest
/// `annalist.toml` of each file (or the one fixed by `--config`/`--isolated`), its
/// `exclude` and `extensions`, and the command line's `--exclude`.
pub struct Policy {
    cwd: PathBuf,
    cli: Excluder,
    /// One excluder and one list of extensions for every path (the editor's index).
    fixed: Option<(Excluder, Vec<String>)>,
    inner: Mutex<PolicyInner>,
}

struct PolicyInner {
    discovery: Discovery,
    excluders: HashMap<Option<PathBuf>, Arc<Excluder>>,
    /// Invalid `exclude` patterns, by configuration file.
    problems: Vec<FileProblem>,
}

impl Policy {
    /// `cli_exclude`: `--exclude` patterns, relative to the working directory. An invalid
    /// one is an error naming it.
    pub fn new(
        cwd: &Path,
        discovery: Discovery,
        cli_exclude: &[String],
    ) -> Result<Policy, CliExcludeError> {
        let cli = Excluder::new(cwd, cwd, cli_exclude).map_err(CliExcludeError)?;
        Ok(Policy {
            cwd: cwd.to_path_buf(),
            cli,
            fixed: None,
            inner: Mutex::new(PolicyInner {
                discovery,
                excluders: HashMap::new(),
                problems: Vec::new(),
            }),
        })
    }

    /// One excluder and one list of extensions for every path.
    pub fn single(exclude: &Excluder, extensions: &[String]) -> Policy {
        Policy {
            cwd: exclude.cwd.clone(),
            cli: Excluder::build(&exclude.cwd, &exclude.cwd, &[]).0,
            fixed: Some((exclude.clone(), extensions.to_vec())),
            inner: Mutex::new(PolicyInner {
                discovery: Discovery::fixed(Loaded::default()),
                excluders: HashMap::new(),
                problems: Vec::new(),
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, PolicyInner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The configuration governing the file `path` (relative to the working directory,
    /// or absolute).
    pub fn config_for(&self, path: &Path) -> Arc<Loaded> {
        let abs = normalize(&self.cwd, path);
        self.lock().discovery.for_file(&abs)
    }

    /// The configuration governing the working directory (for standard input).
    pub fn config_here(&self) -> Arc<Loaded> {
        self.lock().discovery.for_dir(&self.cwd)
    }

    /// Every configuration consulted so far, in path order.
    pub fn configs(&self) -> Vec<Arc<Loaded>> {
        self.lock().discovery.loaded()
    }

    /// Invalid `exclude` patterns met so far.
    pub fn problems(&self) -> Vec<FileProblem> {
        self.lock().problems.clone()
    }

    /// The directory a configuration's relative paths are anchored at.
    pub fn anchor(&self, loaded: &Loaded) -> PathBuf {
        loaded
            .path
            .as_deref()
            .and_then(Path::parent)
            .map(|d| normalize(&self.cwd, d))
            .unwrap_or_else(|| self.cwd.clone())
    }

    fn excluder(&self, loaded: &Loaded) -> Arc<Excluder> {
        let anchor = self.anchor(loaded);
        let mut inner = self.lock();
        if let Some(x) = inner.excluders.get(&loaded.path) {
            return x.clone();
        }
        let (x, errors) = Excluder::build(&anchor, &self.cwd, &loaded.config.exclude);
        for e in errors {
            let path = loaded
                .path
                .clone()
                .unwrap_or_else(|| PathBuf::from(crate::config::CONFIG_FILE));
            let (line, column) = locate(&path, e.pattern());
            inner.problems.push(FileProblem {
                path,
                line,
                column,
                message: format!("{e} (this pattern is ignored; fix or remove it)"),
            });
        }
        let x = Arc::new(x);
        inner.excluders.insert(loaded.path.clone(), x.clone());
        x
    }

    /// Why `path` is skipped, if it is: `matched --exclude pattern X` or `matched exclude
    /// pattern X in FILE`. A path is governed by the configuration of its directory.
    pub fn excluded(&self, path: &Path, is_dir: bool) -> Option<String> {
        if let Some(p) = self.cli.matched(path, is_dir) {
            return Some(format!("matched --exclude pattern `{p}`"));
        }
        if let Some((x, _)) = &self.fixed {
            return x
                .matched(path, is_dir)
                .map(|p| format!("matched exclude pattern `{p}`"));
        }
        let abs = normalize(&self.cwd, path);
        let loaded = self.config_for(&abs);
        let x = self.excluder(&loaded);
        x.matched(&abs, is_dir).map(|p| {
            format!(
                "matched exclude pattern `{p}` in {}",
                loaded
                    .path
                    .as_deref()
                    .map(|c| display(&relative_to(&self.cwd, c)))
                    .unwrap_or_else(|| crate::config::CONFIG_FILE.into())
            )
        })
    }

    /// Whether a file found in a directory has one of its configuration's extensions.
    fn is_markdown(&self, path: &Path) -> bool {
        if let Some((_, exts)) = &self.fixed {
            return has_extension(path, exts);
        }
        let loaded = self.config_for(path);
        has_extension(path, &loaded.config.extensions)
    }
}

/// `p` relative to `base` when it lies under it, else `p`.
pub fn relative_to(base: &Path, p: &Path) -> PathBuf {
    let abs = normalize(base, p);
    abs.strip_prefix(base).map(Path::to_path_buf).unwrap_or(abs)
}

/// The 1-based line and column of the first quoted occurrence of `needle` in the file at
/// `path` (1:1 when it cannot be found).
fn locate(path: &Path, needle: &str) -> (usize, usize) {
    let Ok(text) = std::fs::read_to_string(path) else {
        return (1, 1);
    };
    let quoted = format!("\"{needle}\"");
    let single = format!("'{needle}'");
    match text.find(&quoted).or_else(|| text.find(&single)) {
        Some(at) if !needle.is_empty() => crate::config::line_col(&text, at),
        _ => (1, 1),
    }
}

/// `base.join(p)` with `.` and `..` resolved lexically (symbolic links are not followed).
pub fn normalize(base: &Path, p: &Path) -> PathBuf {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        base.join(p)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The path as reported: lossy UTF-8, `/`-separated, without leading `./`.
pub fn display(p: &Path) -> String {
    let s = p.to_string_lossy().replace(std::path::MAIN_SEPARATOR, "/");
    let mut t = s.as_str();
    while let Some(rest) = t.strip_prefix("./") {
        t = rest.trim_start_matches('/');
    }
    if t.is_empty() {
        ".".to_string()
    } else {
        t.to_string()
    }
}

fn has_extension(p: &Path, extensions: &[String]) -> bool {
    let Some(ext) = p.extension().and_then(|e| e.to_str()) else {
        return false;
    };
    extensions
        .iter()
        .any(|x| x.trim_start_matches('.').eq_ignore_ascii_case(ext))
}

/// Collect the files under `paths` with one configuration's `extensions` and
/// `exclude` (the editor's workspace index).
pub fn collect(
    paths: &[PathBuf],
    extensions: &[String],
    exclude: &Excluder,
    stdin_name: Option<&str>,
) -> Walked {
    collect_with(
        paths,
        &Arc::new(Policy::single(exclude, extensions)),
        stdin_name,
    )
}

/// Collect the files to check from the command line's paths. `-` is standard input,
/// reported as `stdin_name`. A directory in which no file is found is a problem.
pub fn collect_with(paths: &[PathBuf], policy: &Arc<Policy>, stdin_name: Option<&str>) -> Walked {
    let mut w = Walked::default();
    let mut seen: HashSet<PathBuf> = HashSet::new();
    let cwd = policy.cwd.clone();
    let mut push = |w: &mut Walked, e: Entry| {
        let key = match &e.path {
            Some(p) => normalize(&cwd, p),
            None => PathBuf::from("-"),
        };
        if seen.insert(key) {
            w.entries.push(e);
        }
    };
    for arg in paths {
        if arg.as_os_str() == "-" {
            let name = stdin_name.unwrap_or("<stdin>");
            if stdin_name.is_some()
                && let Some(why) = policy.excluded(Path::new(name), false)
            {
                w.skipped
                    .push(format!("skipped {name} (standard input): {why}"));
                continue;
            }
            push(
                &mut w,
                Entry {
                    display: name.to_string(),
                    path: None,
                },
            );
            continue;
        }
        let meta = match std::fs::metadata(arg) {
            Ok(m) => m,
            Err(e) => {
                w.problems.push(PathProblem {
                    path: display(arg),
                    kind: ProblemKind::Unreadable(e.to_string()),
                });
                continue;
            }
        };
        if !meta.is_dir() {
            match policy.excluded(arg, false) {
                Some(why) => w.skipped.push(format!("skipped {}: {why}", display(arg))),
                None => push(
                    &mut w,
                    Entry {
                        display: display(arg),
                        path: Some(arg.clone()),
                    },
                ),
            }
            continue;
        }
        if let Some(why) = policy.excluded(arg, true) {
            w.skipped.push(format!("skipped {}: {why}", display(arg)));
            continue;
        }
        let p = policy.clone();
        let walker = WalkBuilder::new(arg)
            .require_git(false)
            .hidden(true)
            .follow_links(false)
            .filter_entry(move |e| {
                e.depth() == 0
                    || p.excluded(e.path(), e.file_type().is_some_and(|t| t.is_dir()))
                        .is_none()
            })
            .build();
        let mut found = 0usize;
        for item in walker {
            match item {
                Ok(e) => {
                    if e.file_type().is_some_and(|t| t.is_file()) && policy.is_markdown(e.path()) {
                        found += 1;
                        push(
                            &mut w,
                            Entry {
                                display: display(e.path()),
                                path: Some(e.path().to_path_buf()),
                            },
                        );
                    }
                }
                Err(err) => {
                    if err.io_error().is_some() {
                        w.problems.push(PathProblem {
                            path: display(arg),
                            kind: ProblemKind::Unreadable(err.to_string()),
                        });
                    } else {
                        w.warnings.push(err.to_string());
                    }
                }
            }
        }
        if found == 0 {
            let extensions = match &policy.fixed {
                Some((_, exts)) => exts.clone(),
                None => policy
                    .config_for(&arg.join(crate::config::CONFIG_FILE))
                    .config
                    .extensions
                    .clone(),
            };
            w.problems.push(PathProblem {
                path: display(arg),
                kind: ProblemKind::NoFiles { extensions },
            });
        }
    }
    w.entries
        .sort_by(|a, b| Path::new(&a.display).cmp(Path::new(&b.display)));
    w
}

/// Parse `I/N` (1-based shard I of N).
pub fn parse_shard(s: &str) -> Result<(usize, usize), ShardError> {
    let err = || ShardError(s.to_string());
    let (i, n) = s.split_once('/').ok_or_else(err)?;
    let i: usize = i.trim().parse().map_err(|_| err())?;
    let n: usize = n.trim().parse().map_err(|_| err())?;
    if n == 0 || i == 0 || i > n {
        return Err(err());
    }
    Ok((i, n))
}

/// Keep shard `i` of `n` (1-based) of a sorted list: round-robin, so every file is in
/// exactly one shard and the shards differ in size by at most one file.
pub fn shard<T>(items: Vec<T>, i: usize, n: usize) -> Vec<T> {
    items
        .into_iter()
        .enumerate()
        .filter(|(k, _)| n > 0 && k % n == i.saturating_sub(1))
        .map(|(_, t)| t)
        .collect()
}

#[cfg(test)]
pub(crate) mod fixture_texts;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_strips_dot_slash() {
        assert_eq!(display(Path::new("./a/b.md")), "a/b.md");
        assert_eq!(display(Path::new(".//a.md")), "a.md");
        assert_eq!(display(Path::new("./")), ".");
        assert_eq!(display(Path::new("../x.md")), "../x.md");
    }

    #[test]
    fn normalizes_lexically() {
        assert_eq!(
            normalize(Path::new("/w/p"), Path::new("./a/../b/./c.md")),
            PathBuf::from("/w/p/b/c.md")
        );
        assert_eq!(
            normalize(Path::new("/w/p"), Path::new("../q")),
            PathBuf::from("/w/q")
        );
    }

    #[test]
    fn excludes_like_gitignore_relative_to_root() {
        let ex = Excluder::new(
            Path::new("/w/p"),
            Path::new("/w/p/sub"),
            &["drafts/".into(), "*.draft.md".into(), "/top.md".into()],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(ex.is_excluded(Path::new("drafts/a.md"), false));
        assert!(ex.is_excluded(Path::new("x/y.draft.md"), false));
        assert!(!ex.is_excluded(Path::new("top.md"), false)); // that is /w/p/sub/top.md
        assert!(ex.is_excluded(Path::new("../top.md"), false));
        assert!(!ex.is_excluded(Path::new("keep.md"), false));
        assert!(!ex.is_excluded(Path::new("/elsewhere/drafts/a.md"), false));
        assert!(Excluder::new(Path::new("/w"), Path::new("/w"), &["a{b".into()]).is_err());
    }

    #[test]
    fn shards_cover_everything_once() {
        let items: Vec<usize> = (0..23).collect();
        for n in 1..6 {
            let mut all: Vec<usize> = (1..=n).flat_map(|i| shard(items.clone(), i, n)).collect();
            all.sort();
            assert_eq!(all, items);
        }
        assert_eq!(parse_shard("2/4"), Ok((2, 4)));
        for bad in ["0/3", "4/3", "1/0", "x", "1-2", ""] {
            assert!(parse_shard(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn extensions_are_case_insensitive() {
        let exts = vec!["md".to_string(), ".markdown".to_string()];
        assert!(has_extension(Path::new("A.MD"), &exts));
        assert!(has_extension(Path::new("b.markdown"), &exts));
        assert!(!has_extension(Path::new("c.txt"), &exts));
        assert!(!has_extension(Path::new("md"), &exts));
    }
}
