//! `check`'s human format drawn once: every diagnostic rendered in parallel, a file's
//! own findings read from the cache ([`super::cache`]) when they were drawn there for
//! the same inputs, path and colour, and what was drawn afresh kept for the next run.

use super::cache::{self, Pack};
use super::output::{self, FileReport, Report};
use crate::finding::Finding;
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

/// Every diagnostic of `report` rendered for the human format: the own findings of a
/// cached file from its pack when rendered there under the same key, the rest drawn
/// afresh (in parallel) and put into the pack.
pub(super) fn render_human(
    report: &Report,
    keys: &[FileKey],
    packs: &mut [Option<Pack>],
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
            let hit = cached.is_some();
            let mut keep: cache::Rendered = vec![None; k.own];
            let shown: Vec<Option<String>> = f
                .diagnostics
                .iter()
                .zip(&k.origin)
                .map(|(d, o)| {
                    let from_cache = o.and_then(|i| cached.as_mut()?.get_mut(i)?.take());
                    let text = from_cache.unwrap_or_else(|| rendering.diagnostic(f, d));
                    if let Some(slot) = o.and_then(|i| keep.get_mut(i)) {
                        *slot = Some(text.clone());
                    }
                    Some(text)
                })
                .collect();
            // Kept only when something was drawn afresh for a cached file.
            let keep = (!hit && k.entry.is_some()).then_some(keep);
            (shown, keep)
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
    shown
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
