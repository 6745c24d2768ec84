//! Judgements across documents. Each document's analysis leaves a small summary of
//! what it says that other documents can contradict (today: how it spells the
//! gazetteer's names, [`NameIndex`]); [`findings`] compares the summaries of a set of
//! documents and returns, for each, the findings the comparison raises.
//!
//! Like the rest of the engine this knows nothing of files, URIs or LSP: a front end
//! names each document with a string of its choice (a display path for `check`, a URI
//! for the server), and that string comes back in [`crate::finding::Related::path`].
//! The CLI passes every file it checks; the server passes the open documents (live
//! text) and the workspace's other files (text on disk) — the same set `annalist check`
//! walks from the workspace root, so the two agree.

use crate::facts::Context;
pub use crate::facts::Doc;
use crate::finding::Finding;

mod reuse;
pub use reuse::AcrossMemo;

pub use crate::facts::{EntityNames, Spelled, UnlistedName};

/// The findings that comparing `docs` raises, one list per document (same order),
/// configured (severities, rules off) and filtered by each document's suppression
/// comments, sorted by position.
pub fn findings(docs: &[Doc], ctx: &Context) -> Vec<Vec<Finding>> {
    run(docs, None, ctx)
}

/// The findings of `docs[only]` alone (the others are compared, not judged): what the
/// server needs when one document changes.
pub fn findings_for(docs: &[Doc], only: usize, ctx: &Context) -> Vec<Finding> {
    run(docs, Some(only), ctx)
        .into_iter()
        .nth(only)
        .unwrap_or_default()
}

/// [`findings_for`], with what `memo` kept from the last call for the same document:
/// when no document's names changed but where they are written (the common
/// keystroke: text typed or deleted away from any name), the last findings are moved
/// to the new places instead of comparing the documents again. The result is exactly
/// [`findings_for`]'s (see [`AcrossMemo`]).
pub fn findings_for_reusing(
    memo: &AcrossMemo,
    docs: &[Doc],
    only: usize,
    ctx: &Context,
) -> Vec<Finding> {
    let Some(doc) = docs.get(only) else {
        return Vec::new();
    };
    if alone(docs) {
        return Vec::new();
    }
    let raw = memo.raw(docs, only, ctx);
    finish(doc, raw, ctx)
}

/// The cross-file rules' findings before configuration and suppression: every
/// document's, or `docs[only]`'s alone.
fn rules_raw(docs: &[Doc], only: Option<usize>, ctx: &Context) -> Vec<Vec<Finding>> {
    let mut out: Vec<Vec<Finding>> = vec![Vec::new(); docs.len()];
    for rule in crate::rules::CROSS_FILE {
        if (rule.enabled)(ctx) && ctx.config.level(rule.code) != Some(crate::config::Level::Off) {
            (rule.check)(docs, only, ctx, &mut out);
        }
    }
    out
}

/// A document's raw cross-file findings configured, filtered by its suppression
/// comments and sorted.
fn finish(d: &Doc, f: Vec<Finding>, ctx: &Context) -> Vec<Finding> {
    let mut f = crate::analysis::configure(f, ctx.config);
    f = crate::suppress::filter(d.text, f);
    crate::finding::sort(&mut f);
    // One name read in two languages (Kao Kang) is reported once.
    f.dedup_by(|x, y| x.span == y.span && x.code == y.code);
    f
}

/// Whether `docs` is one document whose name index has one entry per entity: compared
/// with no other it can raise nothing (a cross-file finding needs an entity written in
/// two documents, or unlisted spellings of one name in two; within one document they
/// are the per-file rules'), so it is not compared. `alone_nothing_across` checks the
/// claim on every fixture.
fn alone(docs: &[Doc]) -> bool {
    let [doc] = docs else {
        return false;
    };
    // The index is sorted by entity id: a repeated id sits next to itself.
    doc.names
        .entities
        .windows(2)
        .all(|w| w.first().map(|e| &e.id) != w.get(1).map(|e| &e.id))
}

fn run(docs: &[Doc], only: Option<usize>, ctx: &Context) -> Vec<Vec<Finding>> {
    if alone(docs) {
        return vec![Vec::new(); docs.len()];
    }
    docs.iter()
        .zip(rules_raw(docs, only, ctx))
        .map(|(d, f)| finish(d, f, ctx))
        .collect()
}

/// How often, and in how many documents, one spelling of an entity is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpellingUse {
    pub text: String,
    pub count: usize,
    pub documents: usize,
}

/// The spellings of entity `id` over `docs` (case and separators aside, as the rules
/// compare them), most written first, then alphabetically.
pub fn spellings_of(docs: &[Doc], id: &str) -> Vec<SpellingUse> {
    let mut uses: Vec<(String, SpellingUse)> = Vec::new();
    for doc in docs {
        let Some(e) = doc.names.entities.iter().find(|e| *e.id == *id) else {
            continue;
        };
        for s in &e.spellings {
            let key = crate::names::romanise::fold(&s.text);
            match uses.iter_mut().find(|(k, _)| *k == key) {
                Some((_, u)) => {
                    u.count += s.occs.len();
                    u.documents += 1;
                }
                None => uses.push((
                    key,
                    SpellingUse {
                        text: s.text.to_string(),
                        count: s.occs.len(),
                        documents: 1,
                    },
                )),
            }
        }
    }
    let mut out: Vec<SpellingUse> = uses.into_iter().map(|(_, u)| u).collect();
    out.sort_by(|x, y| y.count.cmp(&x.count).then_with(|| x.text.cmp(&y.text)));
    out
}

/// A hover line saying how the workspace spells an entity, when more than one document
/// writes it: `In this workspace: “Seoul” 4 times in 2 files · “Sŏul” twice in 1 file`.
pub fn spellings_line(uses: &[SpellingUse]) -> Option<String> {
    let files: usize = uses.iter().map(|u| u.documents).max()?;
    if uses.len() < 2 && files < 2 {
        return None;
    }
    let times = |n: usize| match n {
        1 => "once".to_string(),
        2 => "twice".to_string(),
        n => format!("{n} times"),
    };
    let parts: Vec<String> = uses
        .iter()
        .map(|u| {
            format!(
                "“{}” {} in {} {}",
                u.text,
                times(u.count),
                u.documents,
                if u.documents == 1 { "file" } else { "files" }
            )
        })
        .collect();
    Some(format!("**In this workspace:** {}", parts.join(" · ")))
}

/// A document's own findings and its cross-file ones, in the engine's order.
pub fn merge(own: &[Finding], across: &[Finding]) -> Vec<Finding> {
    let mut all: Vec<Finding> = own.iter().chain(across).cloned().collect();
    crate::finding::sort(&mut all);
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    /// A document compared with no other has no cross-file findings: what lets [`run`]
    /// and [`findings_for_reusing`] skip the comparison when it is [`alone`]. Every
    /// fixture, the real ones included (names spelt several ways within one file), is
    /// compared by the rules themselves, and each fixture's name index has one entry
    /// per entity (so the shortcut is taken for each).
    #[test]
    fn alone_nothing_across() {
        let config = crate::config::Config::default();
        let knowledge = crate::facts::Knowledge::embedded();
        let ctx = Context {
            config: &config,
            knowledge: &knowledge,
        };
        let mut seen = 0;
        for (path, text) in crate::project::fixture_texts::all() {
            let a = crate::analysis::analyze(Arc::from(text.as_str()), None, &ctx);
            let doc = Doc {
                path: "alone.md",
                text: &a.text,
                names: &a.names,
                shared: None,
            };
            let docs = [doc];
            assert!(alone(&docs), "{}", path.display());
            // The comparison itself, not its shortcut.
            let compared = finish(&docs[0], rules_raw(&docs, Some(0), &ctx).remove(0), &ctx);
            assert!(compared.is_empty(), "{}: {compared:?}", path.display());
            assert!(findings(&docs, &ctx).iter().all(Vec::is_empty));
            let memo = AcrossMemo::default();
            assert!(findings_for_reusing(&memo, &docs, 0, &ctx).is_empty());
            seen += usize::from(!a.names.is_empty());
        }
        assert!(seen > 10, "only {seen} fixtures name anyone");
    }

    /// Two documents, or one naming an entity twice in its index (sorted by id, as
    /// the index is), are compared.
    #[test]
    fn not_alone_is_compared() {
        let names = crate::facts::NameIndex::default();
        let d = |path| Doc {
            path,
            text: "",
            names: &names,
            shared: None,
        };
        assert!(alone(&[d("a.md")]));
        assert!(!alone(&[d("a.md"), d("b.md")]));
        assert!(!alone(&[]));
        let entity = |id: &str| EntityNames {
            id: id.into(),
            kind: crate::gazetteer::EntityKind::Person,
            spellings: Vec::new(),
            mixed: false,
        };
        let twice = crate::facts::NameIndex {
            entities: vec![entity("kim-il-sung"), entity("seoul"), entity("seoul")],
            ..Default::default()
        };
        let doc = Doc {
            path: "a.md",
            text: "",
            names: &twice,
            shared: None,
        };
        assert!(!alone(&[doc]));
    }
}
