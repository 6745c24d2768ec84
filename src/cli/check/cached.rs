//! `check`'s use of the cache beyond a file's own entry: a run with nothing changed
//! written from the cache alone ([`replay`], drawn by [`super::super::shown::replay`]),
//! and the comparison across files read from the cache or made and kept
//! ([`across_files`]).

use super::super::cache::{self, Pack};
use super::super::output::WriteOptions;
use super::super::shown;
use super::{Analysed, BOM, Group, Outcome};
use crate::analysis;
use crate::finding::Severity;
use crate::project::{self as walk, Entry};
use rayon::prelude::*;
use std::io::Read;
use std::path::{Path, PathBuf};

thread_local! {
    /// The buffer each thread reads a file into to hash it (see [`replay`]): a run
    /// over thousands of files then allocates nothing per file.
    static READ: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The inputs' hash of the file at `path` whose kind is `kind`, as [`super::check_one`]
/// computes it for a text; `None` when it cannot be read. Whether it is text is not
/// asked: only a text has an entry whose hash it can match.
fn hash_file(path: &Path, kind: Option<crate::kind::DocKind>) -> Option<cache::Hash> {
    READ.with_borrow_mut(|buf| {
        buf.clear();
        std::fs::File::open(path).ok()?.read_to_end(buf).ok()?;
        let text = buf.strip_prefix(BOM.as_bytes()).unwrap_or(buf);
        Some(cache::entry_hash_of_bytes(text, kind))
    })
}

/// The human format of a run over `entries` when nothing it shows has changed since
/// it was kept in the `packs` ([`shown::replay`]): every file read and hashed (in
/// parallel, into one buffer per thread) and found unchanged with its own findings
/// drawn under its path and colour, and each group's comparison across files kept for
/// exactly these files. `None` otherwise, or when a path is standard input or cannot
/// be checked: then the run goes the general way.
pub(super) fn replay<'p>(
    entries: &[Entry],
    group_of_entry: &[usize],
    groups: &[Group],
    packs: &'p [Option<Pack>],
    cwd: &Path,
    opts: WriteOptions,
    threshold: Severity,
) -> Option<shown::Replay<'p>> {
    if packs.iter().any(Option::is_none) {
        return None;
    }
    let files: Vec<shown::Unchanged> = entries
        .par_iter()
        .zip(group_of_entry.par_iter())
        .map(|(e, &g)| {
            let group = groups.get(g)?;
            let abs = walk::normalize(cwd, e.path.as_deref()?);
            let hash = hash_file(&abs, group.kind_of(&abs))?;
            // A file changed: the run goes the general way, the sooner the better.
            if !packs.get(g)?.as_ref()?.has_findings(&abs, hash) {
                return None;
            }
            Some(shown::Unchanged {
                group: g,
                abs,
                hash,
                path: &e.display,
            })
        })
        .collect::<Option<_>>()?;
    let across: Vec<cache::Hash> = (0..groups.len())
        .map(|g| {
            cache::across_key(
                files
                    .iter()
                    .filter(|f| f.group == g)
                    .map(|f| (f.path, f.hash)),
            )
        })
        .collect();
    shown::replay(&files, packs, &across, opts.color, opts.quiet, threshold)
}

/// Each checked file of `outcomes`, with its path and, when it is cached, its
/// absolute path.
fn checked_files(outcomes: &[Outcome]) -> Vec<(&Analysed, Option<PathBuf>, Option<PathBuf>)> {
    outcomes
        .iter()
        .filter_map(|o| match o {
            Outcome::Checked {
                file, path, cache, ..
            } => Some((file, path.clone(), cache.as_ref().map(|c| c.0.clone()))),
            Outcome::Problem(_) => None,
        })
        .collect()
}

/// What one group's files are compared with: the group (its context and directory),
/// its pack (none when the comparison is not to be cached), and where to leave the key
/// the comparison is cached under.
pub(super) struct Across<'a> {
    pub(super) group: &'a Group,
    pub(super) pack: Option<&'a mut Pack>,
    pub(super) key: &'a mut Option<cache::Hash>,
}

/// Compare the names of every checked file ([`crate::workspace`]) and keep what the
/// comparison finds with each file's results: from the pack when it kept the
/// comparison of these very files (names and inputs), else computed — decoding the
/// names of the files read from the cache — and kept.
pub(super) fn across_files(outcomes: &mut [Outcome], across: Across) {
    let Across { group, pack, key } = across;
    let checked = checked_files(outcomes);
    // Every file's inputs are known when the group has a cache.
    *key = pack.as_ref().and_then(|_| {
        let hashes: Option<Vec<(&str, cache::Hash)>> = checked
            .iter()
            .map(|(f, _, _)| Some((f.path.as_str(), f.hash?)))
            .collect();
        Some(cache::across_key(hashes?))
    });
    if checked.len() < 2 {
        // Nothing to compare; kept all the same, so that how the file was shown is.
        if let (Some(p), Some(k)) = (pack, *key)
            && p.across(k).is_none()
        {
            p.put_across(k, &vec![Vec::new(); checked.len()]);
        }
        return;
    }
    let kept = pack.as_deref().zip(*key).and_then(|(p, k)| p.across(k));
    let found = match kept.filter(|k| k.len() == checked.len()) {
        Some(found) => found,
        None => {
            // The names of the files read from the cache (or, should their entry not
            // decode, analysed again).
            let read = pack.as_deref();
            let names: Vec<Option<crate::facts::NameIndex>> = checked
                .par_iter()
                .map(|(f, path, abs)| {
                    if f.names.is_some() {
                        return None;
                    }
                    let from_pack = match (read, abs, f.hash) {
                        (Some(p), Some(abs), Some(h)) => p.names(abs, h),
                        _ => None,
                    };
                    Some(from_pack.unwrap_or_else(|| {
                        let place = crate::citations::Place {
                            doc: path.as_deref(),
                            root: Some(&group.root),
                        };
                        let ctx = group.context();
                        analysis::analyze_at(f.text.clone(), None, &ctx, &place, f.kind).names
                    }))
                })
                .collect();
            drop(checked);
            let checked_mut = outcomes.iter_mut().filter_map(|o| match o {
                Outcome::Checked { file, .. } => Some(file),
                Outcome::Problem(_) => None,
            });
            for (file, n) in checked_mut.zip(names) {
                if n.is_some() {
                    file.names = n;
                }
            }
            let empty = crate::facts::NameIndex::default();
            let docs: Vec<crate::facts::Doc> = checked_files(outcomes)
                .into_iter()
                .map(|(f, _, _)| crate::facts::Doc {
                    path: &f.path,
                    text: &f.text,
                    names: f.names.as_ref().unwrap_or(&empty),
                    shared: None,
                })
                .collect();
            let found = crate::workspace::findings(&docs, &group.context());
            if let (Some(p), Some(k)) = (pack, *key) {
                p.put_across(k, &found);
            }
            found
        }
    };
    let checked = outcomes.iter_mut().filter_map(|o| match o {
        Outcome::Checked { file, .. } => Some(file),
        Outcome::Problem(_) => None,
    });
    for (file, f) in checked.zip(found) {
        file.across = f;
    }
}
