//! The cross-file comparison of one document, kept from one call to the next.
//!
//! A keystroke moves the names that follow it without changing which names a
//! document writes. The comparison reads only what is free of positions — each
//! document's name index without its spans (entities, spellings, systems, how often
//! each is written, the unlisted names and their keys), the judged document's kind
//! (its first lines) and its text at its own occurrences — and places every finding,
//! fix edit and related place inside an occurrence. So when all of that is unchanged,
//! the last findings moved with their occurrences are the findings a new comparison
//! would give, and [`AcrossMemo`] moves them instead of comparing again.
//!
//! Moving is exact only if the occurrences keep their relative order: the rule drops a
//! finding that overlaps one it already made in the same document, and the front ends
//! report one finding per span and code. The occurrences of a document are therefore
//! cut into groups that moved by one distance each, and distinct groups must lie apart
//! (not touching) before and after; anything else — or a span outside every group —
//! compares again.

use super::{Doc, Finding, rules_raw};
use crate::facts::{Context, NameIndex};
use crate::finding::Span;
use std::sync::{Arc, Mutex};

/// What the cross-file comparison of one document (`docs[only]`) kept for the next
/// call: the documents' name indexes and the judged document's raw findings. One per
/// judged document and configuration (the caller makes a new one when the
/// configuration or knowledge changes: nothing here looks at them). Thread-safe.
#[derive(Default)]
pub struct AcrossMemo {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    kept: Option<Kept>,
    /// Comparisons run (not moved) since the memo was made: the tests' work counter.
    computed: usize,
}

struct Kept {
    only: usize,
    paths: Vec<String>,
    /// Each document's name index: the owner's own `Arc` when it shares one
    /// ([`Doc::shared`]; then unchanged while it is the same `Arc`), else a copy.
    names: Vec<Arc<NameIndex>>,
    /// The judged document's text at each of its occurrences, in index order.
    surfaces: Vec<Box<str>>,
    /// The judged document's first lines (where its `kind:` is read).
    head: String,
    /// The rules' findings of the judged document, before configuration and
    /// suppression.
    raw: Vec<Finding>,
    /// Per document, its occurrences' order by place in `names` ([`groups`]; empty
    /// until a document first moves).
    orders: Vec<Vec<u32>>,
}

impl AcrossMemo {
    /// Comparisons run rather than moved since the memo was made.
    pub fn computed(&self) -> usize {
        self.inner.lock().map(|i| i.computed).unwrap_or(0)
    }

    /// The raw findings of `docs[only]`: moved from the last call, or compared anew.
    pub(super) fn raw(&self, docs: &[Doc], only: usize, ctx: &Context) -> Vec<Finding> {
        let Ok(mut inner) = self.inner.lock() else {
            return compare(docs, only, ctx);
        };
        if let Some(moved) = inner.kept.as_mut().and_then(|k| k.moved(docs, only)) {
            return moved;
        }
        inner.computed += 1;
        let raw = compare(docs, only, ctx);
        inner.kept = Kept::new(docs, only, raw.clone());
        raw
    }
}

fn compare(docs: &[Doc], only: usize, ctx: &Context) -> Vec<Finding> {
    rules_raw(docs, Some(only), ctx)
        .into_iter()
        .nth(only)
        .unwrap_or_default()
}

/// Every occurrence of a name index, in index order (entities, their spellings, then
/// the unlisted names).
fn occurrences(n: &NameIndex) -> impl Iterator<Item = Span> + '_ {
    n.entities
        .iter()
        .flat_map(|e| e.spellings.iter().flat_map(|s| s.occs.iter().copied()))
        .chain(n.unlisted.iter().flat_map(|u| u.occs.iter().copied()))
}

/// How many occurrences a name index has.
fn count(n: &NameIndex) -> usize {
    n.entities
        .iter()
        .flat_map(|e| e.spellings.iter().map(|s| s.occs.len()))
        .chain(n.unlisted.iter().map(|u| u.occs.len()))
        .sum()
}

/// How a name index compares with the last one: `None` when they differ in anything
/// but where their names are written; else whether the places are the same too. One
/// walk (every document is compared on every keystroke).
fn alike(a: &NameIndex, b: &NameIndex) -> Option<bool> {
    #[cfg(test)]
    WALKS.with(|n| n.set(n.get() + 1));
    if a.entities.len() != b.entities.len() || a.unlisted.len() != b.unlisted.len() {
        return None;
    }
    let mut same_places = true;
    for (x, y) in a.entities.iter().zip(&b.entities) {
        if x.id != y.id
            || x.kind != y.kind
            || x.mixed != y.mixed
            || x.spellings.len() != y.spellings.len()
        {
            return None;
        }
        for (s, t) in x.spellings.iter().zip(&y.spellings) {
            if s.occs.len() != t.occs.len() || s.system != t.system || s.text != t.text {
                return None;
            }
            same_places = same_places && s.occs == t.occs;
        }
    }
    for (x, y) in a.unlisted.iter().zip(&b.unlisted) {
        if x.lang != y.lang
            || x.system != y.system
            || x.mixed != y.mixed
            || x.occs.len() != y.occs.len()
            || x.text != y.text
            || !(std::sync::Arc::ptr_eq(&x.keys, &y.keys) || x.keys == y.keys)
        {
            return None;
        }
        same_places = same_places && x.occs == y.occs;
    }
    Some(same_places)
}

/// Copy the places of `from` into `to`, an index [`alike`] found equal to it but for
/// its places.
fn take_places(to: &mut NameIndex, from: &NameIndex) {
    for (x, y) in to.entities.iter_mut().zip(&from.entities) {
        for (s, t) in x.spellings.iter_mut().zip(&y.spellings) {
            s.occs.clone_from(&t.occs);
        }
    }
    for (x, y) in to.unlisted.iter_mut().zip(&from.unlisted) {
        x.occs.clone_from(&y.occs);
    }
}

/// The first lines of a text, as far as a document's `kind:` may be read from them
/// (`rules::names::across::document_kind`: the first line, and when it opens front
/// matter the next 200 lines or up to its end) — or a little more.
fn head(text: &str) -> &str {
    let mut end = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        end += line.len();
        let l = line.trim_end();
        if i == 0 && l.trim_start_matches('\u{feff}') != "---" {
            break;
        }
        if i > 201 || (i > 0 && (l == "---" || l == "...")) {
            break;
        }
    }
    text.get(..end).unwrap_or(text)
}

/// Occurrences that moved by one distance: `[start, end]` in the last version.
struct Group {
    start: usize,
    end: usize,
    delta: isize,
}

/// How the occurrences `old` of a document moved to `new` (the same occurrences, in
/// the same order): groups in position order, each moved by one distance, apart from
/// each other before and after. `None` when they did not move so.
///
/// `order`: the occurrences' indices sorted by their place in `old` (by start, then
/// end), when known from the last call: occurrences moved into groups keep their
/// order, so the order of the last version is the order of this one and no sort is
/// needed per keystroke. It is checked as it is read (an order that does not sort
/// `old` is made again), and left as the order of `new` for the next call.
fn groups(
    count: usize,
    old: impl Iterator<Item = Span>,
    new: impl Iterator<Item = Span>,
    order: &mut Vec<u32>,
) -> Option<Vec<Group>> {
    let mut pairs: Vec<(Span, Span)> = Vec::with_capacity(count);
    pairs.extend(old.zip(new));
    let key = |p: &(Span, Span)| (p.0.start, p.0.end);
    let sorted = order.len() == pairs.len()
        && order
            .iter()
            .map(|&i| pairs.get(i as usize).map(key))
            .try_fold((0, 0), |last, k| k.filter(|&k| k >= last))
            .is_some();
    if !sorted {
        #[cfg(test)]
        SORTS.with(|n| n.set(n.get() + 1));
        *order = (0..pairs.len() as u32).collect();
        order.sort_unstable_by_key(|&i| pairs.get(i as usize).map(key));
    }
    let mut out: Vec<Group> = Vec::new();
    // The current group's end in the new version.
    let mut new_end = 0usize;
    for &i in order.iter() {
        let &(o, n) = pairs.get(i as usize)?;
        if o.end.checked_sub(o.start)? != n.end.checked_sub(n.start)? {
            return None;
        }
        let delta = n.start as isize - o.start as isize;
        match out.last_mut() {
            Some(g) if g.delta == delta => {
                g.end = g.end.max(o.end);
                new_end = new_end.max(n.end);
            }
            Some(g) if g.end < o.start && new_end < n.start => {
                out.push(Group {
                    start: o.start,
                    end: o.end,
                    delta,
                });
                new_end = n.end;
            }
            Some(_) => return None,
            None => {
                out.push(Group {
                    start: o.start,
                    end: o.end,
                    delta,
                });
                new_end = n.end;
            }
        }
    }
    Some(out)
}

#[cfg(test)]
thread_local! {
    /// Orders made by [`groups`] on this thread (the tests' count).
    static SORTS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// Name indexes compared with their kept copy by [`alike`] on this thread.
    static WALKS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Where `s` of the last version is now, if it lies inside one group.
fn move_span(groups: &[Group], s: Span) -> Option<Span> {
    let i = groups.partition_point(|g| g.end < s.start);
    let g = groups.get(i)?;
    if g.start > s.start || s.end > g.end {
        return None;
    }
    let at = |x: usize| x.checked_add_signed(g.delta);
    Some(Span {
        start: at(s.start)?,
        end: at(s.end)?,
    })
}

impl Kept {
    fn new(docs: &[Doc], only: usize, raw: Vec<Finding>) -> Option<Kept> {
        let doc = docs.get(only)?;
        Some(Kept {
            only,
            paths: docs.iter().map(|d| d.path.to_string()).collect(),
            names: docs
                .iter()
                .map(|d| match d.shared {
                    Some(n) => n.clone(),
                    None => Arc::new(d.names.clone()),
                })
                .collect(),
            surfaces: occurrences(doc.names)
                .map(|o| Box::from(o.slice(doc.text)))
                .collect(),
            head: head(doc.text).to_string(),
            raw,
            orders: vec![Vec::new(); docs.len()],
        })
    }

    /// The kept findings moved to where `docs` write their names, if nothing the
    /// comparison reads changed (and the moves keep every relation between spans);
    /// then kept for the next call.
    fn moved(&mut self, docs: &[Doc], only: usize) -> Option<Vec<Finding>> {
        let doc = docs.get(only)?;
        if self.only != only || self.paths.len() != docs.len() || head(doc.text) != self.head {
            return None;
        }
        // The documents whose names moved, with how they moved.
        let mut moves: Vec<(usize, Vec<Group>)> = Vec::new();
        // Shared indexes equal to the kept ones but new (the index rebuilt): kept
        // from now on, so that the next call knows them by identity.
        let mut adopt: Vec<(usize, &Arc<NameIndex>)> = Vec::new();
        for (i, (d, (p, n))) in docs
            .iter()
            .zip(self.paths.iter().zip(&self.names))
            .enumerate()
        {
            if d.path != p {
                return None;
            }
            // The same shared index: unchanged, and not read (a workspace of
            // thousands of files is compared on every keystroke).
            if d.shared.is_some_and(|s| Arc::ptr_eq(s, n)) {
                continue;
            }
            let same_places = alike(n, d.names)?;
            if same_places {
                if let Some(s) = d.shared {
                    adopt.push((i, s));
                }
            } else {
                // A path two documents share cannot say which one moved.
                if docs.iter().filter(|x| x.path == d.path).count() > 1 {
                    return None;
                }
                let order = self.orders.get_mut(i)?;
                let g = groups(count(n), occurrences(n), occurrences(d.names), order)?;
                moves.push((i, g));
            }
        }
        if !occurrences(doc.names)
            .zip(&self.surfaces)
            .all(|(o, s)| o.slice(doc.text) == &**s)
        {
            return None;
        }
        for (i, s) in adopt {
            if let Some(n) = self.names.get_mut(i) {
                *n = s.clone();
            }
        }
        if moves.is_empty() {
            return Some(self.raw.clone());
        }
        // A related place without a path is in the judged document.
        let moves_of = |path: Option<&str>| -> Option<&[Group]> {
            let p = path.unwrap_or(doc.path);
            moves
                .iter()
                .find(|(i, _)| docs.get(*i).is_some_and(|d| d.path == p))
                .map(|(_, g)| g.as_slice())
        };
        let own = moves_of(None);
        // Moved in place: a span that cannot be moved leaves this half moved, and the
        // caller then replaces it with a new comparison.
        for f in &mut self.raw {
            if let Some(g) = own {
                f.span = move_span(g, f.span)?;
                for fix in &mut f.fixes {
                    for e in &mut fix.edits {
                        e.span = move_span(g, e.span)?;
                    }
                }
            }
            for r in &mut f.related {
                if let Some(g) = moves_of(r.path.as_deref()) {
                    r.span = move_span(g, r.span)?;
                }
            }
        }
        for (i, _) in &moves {
            if let (Some(d), Some(n)) = (docs.get(*i), self.names.get_mut(*i)) {
                match d.shared {
                    // The owner's new index, shared rather than copied.
                    Some(s) => *n = s.clone(),
                    // Only the places differ ([`alike`]): copied into the kept
                    // index's own vectors (its own copy: never shared), no new index.
                    None => take_places(Arc::make_mut(n), d.names),
                }
            }
        }
        Some(self.raw.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sp(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// Occurrences moved by one edit form groups; occurrences whose relations an edit
    /// changed (touching, overlapping, reordered, resized) do not.
    #[test]
    fn groups_keep_every_relation() {
        let moved = |old: &[Span], new: &[Span]| {
            groups(
                old.len(),
                old.iter().copied(),
                new.iter().copied(),
                &mut Vec::new(),
            )
        };
        // Text deleted between two names, inserted after a third.
        let g = moved(
            &[sp(0, 5), sp(10, 15), sp(20, 25)],
            &[sp(0, 5), sp(8, 13), sp(18, 23)],
        )
        .expect("groups");
        assert_eq!(g.len(), 2);
        assert_eq!(move_span(&g, sp(12, 12)), Some(sp(10, 10)));
        assert_eq!(move_span(&g, sp(3, 5)), Some(sp(3, 5)));
        // Outside every occurrence: not moved.
        assert_eq!(move_span(&g, sp(6, 7)), None);
        // Two names that came to touch, or to part, or to overlap otherwise.
        assert!(moved(&[sp(0, 5), sp(6, 9)], &[sp(0, 5), sp(5, 8)]).is_none());
        assert!(moved(&[sp(0, 5), sp(5, 8)], &[sp(0, 5), sp(6, 9)]).is_none());
        assert!(moved(&[sp(0, 5), sp(3, 8)], &[sp(0, 5), sp(4, 9)]).is_none());
        // Reordered, or resized.
        assert!(moved(&[sp(0, 2), sp(5, 7)], &[sp(6, 8), sp(0, 2)]).is_none());
        assert!(moved(&[sp(0, 2)], &[sp(0, 3)]).is_none());
        // Overlapping names moved together stay one group.
        let g = moved(&[sp(4, 9), sp(6, 12)], &[sp(5, 10), sp(7, 13)]).expect("groups");
        assert_eq!(g.len(), 1);
    }

    /// The order of the occurrences is made once and kept while they move in groups:
    /// a keystroke sorts nothing; an order that no longer sorts them is made again.
    #[test]
    fn the_order_is_kept_from_call_to_call() {
        let sorts = || SORTS.with(|n| n.get());
        let v0 = [sp(20, 25), sp(0, 5), sp(10, 15), sp(10, 12)];
        let v1 = [sp(21, 26), sp(0, 5), sp(11, 16), sp(11, 13)];
        let v2 = [sp(23, 28), sp(0, 5), sp(11, 16), sp(11, 13)];
        let call = |old: &[Span], new: &[Span], order: &mut Vec<u32>| {
            let with =
                groups(old.len(), old.iter().copied(), new.iter().copied(), order).map(|g| {
                    g.iter()
                        .map(|g| (g.start, g.end, g.delta))
                        .collect::<Vec<_>>()
                });
            let fresh = groups(
                old.len(),
                old.iter().copied(),
                new.iter().copied(),
                &mut Vec::new(),
            )
            .map(|g| {
                g.iter()
                    .map(|g| (g.start, g.end, g.delta))
                    .collect::<Vec<_>>()
            });
            assert_eq!(with, fresh);
            with
        };
        let mut order = Vec::new();
        let before = sorts();
        assert!(call(&v0, &v1, &mut order).is_some());
        assert_eq!(order, [1, 3, 2, 0]);
        assert_eq!(
            sorts() - before,
            2,
            "made once (and once for the fresh call)"
        );
        assert!(call(&v1, &v2, &mut order).is_some());
        assert_eq!(sorts() - before, 3, "the kept order read as it is");
        // A stale order (of other occurrences) is made again.
        let mut stale = vec![0, 1, 2, 3];
        assert!(call(&v0, &v1, &mut stale).is_some());
        assert_eq!(stale, [1, 3, 2, 0]);
        // Reordered: no groups, whatever the order.
        assert!(call(&v1, &[v1[2], v1[1], v1[0], v1[3]], &mut order).is_none());
    }

    /// A keystroke in a document compared with a workspace of shared indexes reads
    /// its own index again, not theirs; the findings are moved as a fresh comparison
    /// would give them.
    #[test]
    fn shared_indexes_are_not_read_again() {
        let knowledge = crate::facts::Knowledge::embedded();
        let config = crate::config::Config::default();
        let ctx = Context {
            config: &config,
            knowledge: &knowledge,
        };
        let analyse = |t: &str| crate::analysis::analyze(std::sync::Arc::from(t), None, &ctx);
        let files: Vec<(String, Arc<NameIndex>)> = (0..200)
            .map(|i| {
                let t = format!("File {i}: the army reached Seoul, and Seoul was quiet.\n");
                (format!("f{i:03}.md"), Arc::new(analyse(&t).names))
            })
            .collect();
        // The index rebuilt: new Arcs, the same indexes.
        let rebuilt: Vec<(String, Arc<NameIndex>)> = files
            .iter()
            .map(|(p, n)| (p.clone(), Arc::new((**n).clone())))
            .collect();
        let (v0, v1) = (
            "Notes\n\nKim Il Sung returned to Sŏul.\n",
            "Notes\n\nThen Kim Il Sung returned to Sŏul.\n",
        );
        // (a.md's text, the workspace's indexes, indexes read): the first call
        // compares; a keystroke then reads a.md's index alone; after a rebuild every
        // index is read once, then known again.
        let steps = [
            (v0, &files, 0),
            (v1, &files, 1),
            (v1, &rebuilt, 201),
            (v1, &rebuilt, 1),
        ];
        let memo = AcrossMemo::default();
        for (step, (text, set, want)) in steps.into_iter().enumerate() {
            let a = analyse(text);
            let mut docs = vec![Doc {
                path: "a.md",
                text: &a.text,
                names: &a.names,
                shared: None,
            }];
            docs.extend(set.iter().map(|(p, n)| Doc {
                path: p,
                text: "",
                names: n,
                shared: Some(n),
            }));
            let before = WALKS.with(|n| n.get());
            let got = memo.raw(&docs, 0, &ctx);
            let walked = WALKS.with(|n| n.get()) - before;
            assert_eq!(got, compare(&docs, 0, &ctx), "step {step}");
            assert!(!got.is_empty(), "Sŏul is compared with Seoul");
            assert_eq!((memo.computed(), walked), (1, want), "step {step}");
        }
    }

    #[test]
    fn the_head_covers_the_front_matter() {
        assert_eq!(head("Title\n---\nkind: primary\n"), "Title\n");
        let t = "---\nkind: primary\n---\nBody\n";
        assert_eq!(head(t), "---\nkind: primary\n---\n");
        let open = format!("---\n{}", "x\n".repeat(500));
        assert!(head(&open).lines().count() > 201);
    }
}
