//! `check`'s human format drawn once: every diagnostic rendered in parallel, a file's
//! own findings read from the cache ([`super::cache`]) when they were drawn there for
//! the same inputs, path and colour, and what was drawn afresh kept for the next run —
//! with, for each group of files compared across, how each file's diagnostics were
//! shown. A run whose every file and comparison is unchanged is then written from the
//! cache alone ([`replay`]): no finding decoded, no position converted, nothing drawn.

use super::cache::{self, Brief, Pack, Shown};
use super::output::{self, Diagnostic, FileReport, Report, Summary, reaches};
use crate::finding::{Finding, Severity};
use rayon::prelude::*;
use std::path::PathBuf;

/// Where a reported file's result is cached, and which of its diagnostics are its own.
pub(super) struct FileKey {
    pub(super) group: usize,
    /// The file's absolute path and its inputs' hash, when its result is cached.
    pub(super) entry: Option<(PathBuf, cache::Hash)>,
    /// For each diagnostic: the index of the own finding it shows, when that finding
    /// has no related place in another file (only such a finding is kept rendered).
    pub(super) origin: Vec<Option<usize>>,
    /// How many own findings the file has.
    pub(super) own: usize,
}

/// What the summary counts of a diagnostic.
fn brief(d: &Diagnostic) -> Brief {
    Brief {
        severity: d.severity,
        fixable: d.fixes.iter().any(|x| x.safe),
    }
}

/// Diagnostics drawn by one job at least (drawing one costs about 0.05 ms).
const DRAWN_TOGETHER: usize = 16;

/// Every diagnostic of `report` rendered for the human format: the own findings of a
/// cached file from its pack when rendered there under the same key, the rest drawn
/// afresh (in parallel) and put into the pack; and for each group whose comparison
/// across files is cached under `across[group]`, how its files were shown.
pub(super) fn render_human(
    report: &Report,
    keys: &[FileKey],
    packs: &mut [Option<Pack>],
    across: &[Option<cache::Hash>],
    color: bool,
) -> Vec<Vec<Option<String>>> {
    let rendering = output::human::Rendering::new(report, color);
    let render_key = |f: &FileReport| cache::RenderKey {
        path: f.path.clone(),
        color,
    };
    let packs_read: &[Option<Pack>] = packs;
    let drawn: Vec<(Vec<Option<String>>, Option<cache::Rendered>)> = report
        .files
        .par_iter()
        .zip(keys)
        .map(|(f, k)| {
            let pack = packs_read.get(k.group).and_then(Option::as_ref);
            let mut cached = k
                .entry
                .as_ref()
                .zip(pack)
                .and_then(|((abs, hash), pack)| pack.rendered(abs, *hash, &render_key(f)))
                .filter(|texts| texts.len() == k.own);
            // Kept only when drawn afresh for a cached file.
            let mut keep: Option<cache::Rendered> =
                (cached.is_none() && k.entry.is_some()).then(|| vec![None; k.own]);
            // What the cache holds, taken in order; the rest drawn in parallel (one
            // large file's thousand findings are most of its drawing), in order.
            let from_cache: Vec<Option<String>> = k
                .origin
                .iter()
                .take(f.diagnostics.len())
                .map(|o| {
                    o.and_then(|i| cached.as_mut()?.get_mut(i)?.take())
                        .map(|(_, t)| t.to_string())
                })
                .collect();
            let texts: Vec<String> = f
                .diagnostics
                .par_iter()
                .zip(from_cache)
                .with_min_len(DRAWN_TOGETHER)
                .map(|(d, c)| c.unwrap_or_else(|| rendering.diagnostic(f, d)))
                .collect();
            for ((d, o), text) in f.diagnostics.iter().zip(&k.origin).zip(&texts) {
                if let Some(slot) = o.and_then(|i| keep.as_mut()?.get_mut(i)) {
                    *slot = Some((brief(d), text.clone()));
                }
            }
            (texts.into_iter().map(Some).collect(), keep)
        })
        .collect();
    let mut shown = Vec::with_capacity(drawn.len());
    for ((s, keep), (f, k)) in drawn.into_iter().zip(report.files.iter().zip(keys)) {
        if let (Some(texts), Some((abs, hash)), Some(Some(pack))) =
            (keep, &k.entry, packs.get_mut(k.group))
        {
            pack.put_rendered(abs, *hash, render_key(f), texts);
        }
        shown.push(s);
    }
    // Each group's files in order, as its comparison across files lists them.
    for (g, key) in across.iter().enumerate() {
        let Some(key) = key else { continue };
        let files: Vec<Vec<Shown>> = report
            .files
            .iter()
            .zip(keys)
            .zip(&shown)
            .filter(|((_, k), _)| k.group == g)
            .map(|((f, k), texts)| {
                f.diagnostics
                    .iter()
                    .zip(&k.origin)
                    .zip(texts)
                    .map(|((d, o), t)| match o {
                        Some(i) => Shown::Own(*i),
                        None => Shown::Drawn(
                            brief(d),
                            std::borrow::Cow::Borrowed(t.as_deref().unwrap_or_default()),
                        ),
                    })
                    .collect()
            })
            .collect();
        if let Some(Some(pack)) = packs.get_mut(g) {
            pack.put_across_shown(*key, color, &files);
        }
    }
    shown
}

/// One file of a run written from the cache alone: its group, its absolute path, its
/// inputs' hash and the path it is shown under.
pub(super) struct Unchanged<'a> {
    pub(super) group: usize,
    pub(super) abs: PathBuf,
    pub(super) hash: cache::Hash,
    pub(super) path: &'a str,
}

/// The human format of a run from the cache alone: each diagnostic's text (borrowed
/// from the packs) in the order written, those `--quiet` leaves out left out, and what
/// the summary counts.
pub(super) struct Replay<'p> {
    pub(super) texts: Vec<&'p str>,
    pub(super) summary: Summary,
    pub(super) fixable: usize,
    /// Whether a diagnostic reaches the failure threshold.
    pub(super) fails: bool,
}

/// The human format of `files` (every file of the run, in order) when everything it
/// shows is cached: each group's comparison across files under `across[group]` with
/// how its files were shown in `color`, and each file's own findings drawn under its
/// path and `color`. `None` when anything is missing (the run then goes the general
/// way, which draws and keeps what was missing).
pub(super) fn replay<'p>(
    files: &[Unchanged],
    packs: &'p [Option<Pack>],
    across: &[cache::Hash],
    color: bool,
    quiet: bool,
    threshold: Severity,
) -> Option<Replay<'p>> {
    let mut shown: Vec<std::vec::IntoIter<Vec<Shown<'p>>>> = Vec::with_capacity(packs.len());
    for (pack, key) in packs.iter().zip(across) {
        shown.push(pack.as_ref()?.across_shown(*key, color)?.into_iter());
    }
    let mut out = Replay {
        texts: Vec::new(),
        summary: Summary {
            files: files.len(),
            ..Summary::default()
        },
        fixable: 0,
        fails: false,
    };
    for f in files {
        let pack = packs.get(f.group)?.as_ref()?;
        // The file's own findings must be cached for these inputs, even when it shows
        // none: a file whose findings may not be cached (it cites a bibliography) has
        // none kept, and goes the general way.
        if !pack.has_findings(&f.abs, f.hash) {
            return None;
        }
        let items = shown.get_mut(f.group)?.next()?;
        let key = cache::RenderKey {
            path: f.path.to_string(),
            color,
        };
        let mut own = None;
        for item in items {
            let (b, text) = match item {
                Shown::Drawn(b, std::borrow::Cow::Borrowed(t)) => (b, t),
                Shown::Drawn(..) => return None,
                Shown::Own(i) => {
                    let own = match &mut own {
                        Some(own) => own,
                        None => own.insert(pack.rendered(&f.abs, f.hash, &key)?),
                    };
                    own.get(i).copied().flatten()?
                }
            };
            out.summary.add(b.severity);
            out.fixable += usize::from(b.fixable);
            let fails = reaches(b.severity, threshold);
            out.fails |= fails;
            if !quiet || fails {
                out.texts.push(text);
            }
        }
    }
    // Every group's comparison covered exactly its files.
    shown.iter_mut().all(|s| s.next().is_none()).then_some(out)
}

/// [`crate::workspace::merge`] (own findings, then cross-file ones, stably sorted by
/// position), telling for each merged finding the index of the own finding it is when
/// that one has no related place in another file.
pub(super) fn merge(own: &[Finding], across: &[Finding]) -> (Vec<Finding>, Vec<Option<usize>>) {
    let all: Vec<(&Finding, Option<usize>)> = own
        .iter()
        .enumerate()
        .map(|(i, f)| (f, f.related.iter().all(|r| r.path.is_none()).then_some(i)))
        .chain(across.iter().map(|f| (f, None)))
        .collect();
    let mut order: Vec<usize> = (0..all.len()).collect();
    // Stable, as `crate::finding::sort` is: equal keys keep own before cross-file.
    order.sort_by(|&x, &y| {
        let key = |i: usize| all.get(i).map(|(f, _)| f.order_key());
        key(x).cmp(&key(y))
    });
    order
        .into_iter()
        .filter_map(|i| all.get(i).map(|&(f, o)| (f.clone(), o)))
        .unzip()
}
