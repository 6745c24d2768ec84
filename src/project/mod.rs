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

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::{Match, WalkBuilder};
use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

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
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathProblem {
    pub path: String,
    pub kind: ProblemKind,
}

impl PathProblem {
    /// True when this problem makes the run fail with exit status 2.
    pub fn is_fatal(&self) -> bool {
        !matches!(self.kind, ProblemKind::NotUtf8 { .. })
    }
    pub fn message(&self) -> String {
        match &self.kind {
            ProblemKind::Unreadable(e) => format!("cannot read: {e}"),
            ProblemKind::NotUtf8 { offset } => format!(
                "not UTF-8 (first invalid byte at byte offset {offset}); skipped. Convert it with e.g. `iconv -f WINDOWS-1252 -t UTF-8`"
            ),
            ProblemKind::WriteFailed(e) => format!("cannot write the fixed file: {e}"),
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
}

/// The `exclude` patterns of a configuration, anchored at its directory.
#[derive(Clone, Debug)]
pub struct Excluder {
    root: PathBuf,
    cwd: PathBuf,
    ignore: Arc<Gitignore>,
}

impl Excluder {
    /// `root`: the directory the patterns are relative to. An invalid pattern is an error
    /// message naming it.
    pub fn new(root: &Path, cwd: &Path, patterns: &[String]) -> Result<Excluder, String> {
        let root = normalize(cwd, root);
        let mut b = GitignoreBuilder::new(&root);
        for p in patterns {
            b.add_line(None, p)
                .map_err(|e| format!("exclude: invalid pattern `{p}`: {e}"))?;
        }
        let ignore = b
            .build()
            .map_err(|e| format!("exclude: invalid patterns: {e}"))?;
        Ok(Excluder {
            root,
            cwd: cwd.to_path_buf(),
            ignore: Arc::new(ignore),
        })
    }

    /// True when `path` (relative to the working directory, or absolute) is excluded.
    pub fn is_excluded(&self, path: &Path, is_dir: bool) -> bool {
        if self.ignore.is_empty() {
            return false;
        }
        let abs = normalize(&self.cwd, path);
        let Ok(rel) = abs.strip_prefix(&self.root) else {
            return false;
        };
        if rel.as_os_str().is_empty() {
            return false;
        }
        matches!(
            self.ignore.matched_path_or_any_parents(rel, is_dir),
            Match::Ignore(_)
        )
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

/// Collect the files to check from the command line's paths. `-` is standard input,
/// reported as `stdin_name`.
pub fn collect(
    paths: &[PathBuf],
    extensions: &[String],
    exclude: &Excluder,
    stdin_name: Option<&str>,
) -> Walked {
    let mut w = Walked::default();
    let mut seen: HashSet<PathBuf> = HashSet::new();
    let mut push = |w: &mut Walked, e: Entry| {
        let key = match &e.path {
            Some(p) => normalize(&exclude.cwd, p),
            None => PathBuf::from("-"),
        };
        if seen.insert(key) {
            w.entries.push(e);
        }
    };
    for arg in paths {
        if arg.as_os_str() == "-" {
            let name = stdin_name.unwrap_or("<stdin>");
            if stdin_name.is_some() && exclude.is_excluded(Path::new(name), false) {
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
            if !exclude.is_excluded(arg, false) {
                push(
                    &mut w,
                    Entry {
                        display: display(arg),
                        path: Some(arg.clone()),
                    },
                );
            }
            continue;
        }
        if exclude.is_excluded(arg, true) {
            continue;
        }
        let ex = exclude.clone();
        let walker = WalkBuilder::new(arg)
            .require_git(false)
            .hidden(true)
            .follow_links(false)
            .filter_entry(move |e| {
                e.depth() == 0
                    || !ex.is_excluded(e.path(), e.file_type().is_some_and(|t| t.is_dir()))
            })
            .build();
        for item in walker {
            match item {
                Ok(e) => {
                    if e.file_type().is_some_and(|t| t.is_file())
                        && has_extension(e.path(), extensions)
                    {
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
    }
    w.entries
        .sort_by(|a, b| Path::new(&a.display).cmp(Path::new(&b.display)));
    w
}

/// Parse `I/N` (1-based shard I of N).
pub fn parse_shard(s: &str) -> Result<(usize, usize), String> {
    let err = || format!("--shard takes I/N with 1 <= I <= N, e.g. 2/4; got `{s}`");
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
