//! Rules: each a unit with a stable code, default severity, documentation and logic.
//! Families live in their own files with their tests beside them.

use crate::facts::{Analysis, Context, Doc};
use crate::finding::{Finding, Severity};

pub mod citations;
pub mod claims;
pub mod dates;
pub mod meta;
pub mod names;
pub mod notes;

/// A rule's identity and documentation.
#[derive(Debug)]
pub struct Rule {
    /// Stable code, e.g. `footnote-undefined`.
    pub code: &'static str,
    pub default_severity: Severity,
    /// One line: what it finds.
    pub summary: &'static str,
    /// Markdown documentation printed by `annalist explain CODE`: what it finds, why,
    /// how it decides, how to fix or silence it, examples.
    pub doc: &'static str,
    /// Whether `check --fix` may apply this rule's first fix without asking.
    pub fix_is_safe: bool,
}

/// Where a rule's documentation lives online (the LSP `codeDescription`, SARIF
/// `helpUri`): `docs_url` in annalist.toml, `{code}` replaced by the code (without it,
/// `/CODE` is appended). No `docs_url`: no link (never a dead one).
pub fn doc_url(docs_url: Option<&str>, code: &str) -> Option<String> {
    let base = docs_url?.trim();
    if base.is_empty() {
        return None;
    }
    Some(if base.contains("{code}") {
        base.replace("{code}", code)
    } else {
        format!("{}/{code}", base.trim_end_matches('/'))
    })
}

/// Every rule, in a stable order: the one registry (`annalist rules`, `explain`,
/// `init`, SARIF's rule list, `--rule`, suppression comments all read it).
pub fn all() -> Vec<&'static Rule> {
    let mut v: Vec<&'static Rule> = Vec::new();
    v.extend(notes::RULES.iter());
    v.extend(names::RULES.iter());
    v.extend(claims::RULES.iter());
    v.push(&meta::RULES[0]);
    v.extend(dates::RULES.iter());
    v.extend(citations::RULES.iter());
    v.push(&names::front_matter::RULE);
    v.extend(meta::RULES[1..].iter());
    v
}

/// Every rule's code, in the registry's order: what `annalist.toml`'s `[rules]`, the
/// editor's `rules` setting and suppression comments may name.
pub fn codes() -> Vec<&'static str> {
    all().iter().map(|r| r.code).collect()
}

/// A rule that judges across documents. The per-document pass leaves each document a
/// summary other documents can contradict (`facts::Doc`: today its name index, which
/// [`run`] returns); `workspace` compares the summaries of a set of documents by running
/// every entry of [`CROSS_FILE`] whose rule is on. A cross-file rule registers there.
pub struct CrossFileRule {
    /// The code its findings carry: switched off in the configuration, it does not run.
    pub code: &'static str,
    /// Whether the configuration asks for it at all (beyond the code's level).
    pub enabled: fn(&Context) -> bool,
    pub check: CrossFileCheck,
}

/// A cross-file rule's logic: compare `docs` and push the findings of each document
/// judged into `out[i]`: every document, or `docs[only]` alone (the others are
/// compared, not judged).
pub type CrossFileCheck =
    fn(docs: &[Doc], only: Option<usize>, ctx: &Context, out: &mut [Vec<Finding>]);

/// Every cross-file rule, in the order they run.
pub static CROSS_FILE: &[CrossFileRule] = &[names::ACROSS_FILES];

pub fn find(code: &str) -> Option<&'static Rule> {
    all().into_iter().find(|r| r.code == code)
}

/// Whether any rule of a family is switched on (a family wholly off is not run at all).
fn on(ctx: &Context, rules: &[Rule]) -> bool {
    rules
        .iter()
        .any(|r| ctx.config.level(r.code) != Some(crate::config::Level::Off))
}

/// Run every rule family over an analysis. Severities here are the defaults; the
/// caller applies configuration and suppression comments.
/// Run every rule family that is not wholly off. Returns the document's name index for
/// the cross-file rules when they are on (built alongside the names rules).
/// `reuse`: what the editor keeps of the document's last version (the names rules'
/// blocks).
///
/// The same as [`run_notes`], [`run_names`] and [`run_others`] one after the other,
/// which is how `analysis` runs them: the names rules beside the claims pass.
pub fn run(
    a: &Analysis,
    ctx: &Context,
    out: &mut Vec<Finding>,
    reuse: Option<&crate::facts::Reuse>,
) -> Option<crate::facts::NameIndex> {
    run_notes(a, ctx, out);
    let index = run_names(a, ctx, out, reuse);
    run_others(a, ctx, out);
    index
}

/// The note rules: the first of [`run`]'s families.
pub fn run_notes(a: &Analysis, ctx: &Context, out: &mut Vec<Finding>) {
    if on(ctx, notes::RULES) {
        notes::check(a, ctx, out);
    }
}

/// The names rules (and the name index), [`run`]'s second family. They read the
/// text, the model, the notes and the mentions (and the layers and dates), never
/// `a.claims`: `analysis` runs them beside the claims pass, on an analysis whose claims
/// are not there yet.
pub fn run_names(
    a: &Analysis,
    ctx: &Context,
    out: &mut Vec<Finding>,
    reuse: Option<&crate::facts::Reuse>,
) -> Option<crate::facts::NameIndex> {
    let prepared = prepare_names(&a.text, &a.md, a.knowledge(ctx), ctx, reuse);
    run_names_prepared(a, ctx, out, reuse, prepared)
}

/// The names rules' work on each block ([`names::prepare`]), when they are on:
/// `knowledge` is the document's (its front matter's entities included), `reuse` the
/// same as [`run_names_prepared`]'s.
pub fn prepare_names(
    text: &std::sync::Arc<str>,
    md: &crate::markdown::MdModel,
    knowledge: &crate::facts::Knowledge,
    ctx: &Context,
    reuse: Option<&crate::facts::Reuse>,
) -> Option<names::Prepared> {
    on(ctx, names::RULES)
        .then(|| names::prepare(text, md, &knowledge.lexicon, reuse.map(|r| &r.names)))
}

/// [`run_names`] with the blocks' work done ([`prepare_names`] on `a`'s text, model
/// and knowledge, with the same `reuse` and `ctx`: `None` when the rules are off).
pub fn run_names_prepared(
    a: &Analysis,
    ctx: &Context,
    out: &mut Vec<Finding>,
    reuse: Option<&crate::facts::Reuse>,
    prepared: Option<names::Prepared>,
) -> Option<crate::facts::NameIndex> {
    names::check_prepared(
        a,
        ctx,
        out,
        ctx.config.romanisation.across_files,
        reuse.map(|r| &r.names),
        prepared?,
    )
}

/// The families [`run`] runs after the names rules: claims, meta, dates, citations,
/// front matter.
pub fn run_others(a: &Analysis, ctx: &Context, out: &mut Vec<Finding>) {
    run_others_with(a, &a.claims, ctx, out);
}

/// [`run_others`] with the analysis's `claims` given apart (found beside `a`, not yet
/// stored in it): `analysis` runs these families beside the names rules. No rule of
/// them reads `a.claims`.
pub fn run_others_with(
    a: &Analysis,
    claims: &[crate::claims::Claim],
    ctx: &Context,
    out: &mut Vec<Finding>,
) {
    if on(ctx, claims::RULES) {
        claims::check(a, claims, ctx, out);
    }
    meta::check(a, out);
    if on(ctx, dates::RULES) {
        dates::check(a, ctx, out);
    }
    if on(ctx, citations::RULES) {
        citations::check(a, ctx, out);
    }
    names::front_matter::check(a, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_documented() {
        let rules = all();
        let mut codes: Vec<&str> = rules.iter().map(|r| r.code).collect();
        codes.sort();
        let n = codes.len();
        codes.dedup();
        assert_eq!(codes.len(), n, "duplicate rule codes");
        for r in rules {
            assert!(!r.doc.trim().is_empty(), "{} has no documentation", r.code);
            assert!(r.code.chars().all(|c| c.is_ascii_lowercase() || c == '-'));
        }
    }
}
