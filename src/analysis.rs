//! One document version in, facts and findings out. Synchronous and deterministic;
//! knows nothing of LSP, JSON or terminals.

use crate::claims;
use crate::config::Config;
use crate::dates;
use crate::finding::Finding;
use crate::markdown::{Limit, MdModel};
use crate::names::Mention;
use crate::notes::{self, Notes};
use crate::position::LineIndex;
use std::sync::Arc;

pub use crate::facts::{Analysis, Context, Knowledge, Reuse};

/// Analyse a text. `md` is the incrementally kept model of exactly this text, if the
/// caller has one (the editor's `Document` keeps one); otherwise it is parsed here.
pub fn analyze(text: Arc<str>, md: Option<Arc<MdModel>>, ctx: &Context) -> Analysis {
    analyze_at(text, md, ctx, &crate::citations::Place::default(), None)
}

/// [`analyze`], with the kind `annalist.toml` gives the document's path
/// ([`crate::config::Config::kind_for`]); the front matter's `kind:` still wins.
pub fn analyze_as(
    text: Arc<str>,
    md: Option<Arc<MdModel>>,
    ctx: &Context,
    configured: Option<crate::kind::DocKind>,
) -> Analysis {
    analyze_at(
        text,
        md,
        ctx,
        &crate::citations::Place::default(),
        configured,
    )
}

/// [`analyze`] a document that lives at `place` (its path and the workspace root,
/// where its bibliographies are found), of the kind `configured` when `annalist.toml`
/// gives one for its path.
pub fn analyze_at(
    text: Arc<str>,
    md: Option<Arc<MdModel>>,
    ctx: &Context,
    place: &crate::citations::Place,
    configured: Option<crate::kind::DocKind>,
) -> Analysis {
    analyze_with(text, md, ctx, place, configured, None)
}

/// [`analyze_at`] the next version of a document: the fact passes reuse what `reuse`
/// kept of the last version's blocks and keep this version's for the next (the
/// editor's incremental analysis). The result is the same as [`analyze_at`]'s.
pub fn analyze_reusing(
    text: Arc<str>,
    md: Option<Arc<MdModel>>,
    ctx: &Context,
    place: &crate::citations::Place,
    configured: Option<crate::kind::DocKind>,
    reuse: &Reuse,
) -> Analysis {
    // One version at a time (a poisoned lock still holds its guard in the error).
    let _one = reuse.version.lock();
    let a = analyze_with(text, md, ctx, place, configured, Some(reuse));
    reuse.sweep();
    a
}

fn analyze_with(
    text: Arc<str>,
    md: Option<Arc<MdModel>>,
    ctx: &Context,
    place: &crate::citations::Place,
    configured: Option<crate::kind::DocKind>,
    reuse: Option<&Reuse>,
) -> Analysis {
    let too_big = text.len() > ctx.config.limits.analysed_bytes();
    if let Some(r) = reuse {
        r.begin(&text);
    }
    let md = match md {
        // Past the limit the text is not parsed at all (seconds per megabyte).
        _ if too_big => Arc::new(MdModel::unparsed(&text)),
        Some(md) => md,
        None => Arc::new(crate::markdown::chunks::parse(&text)),
    };
    let lines = LineIndex::new(&text);
    // The fact passes on two threads when there are two (a large document's first
    // analysis; the editor's later versions read little but the blocks an edit
    // touched). Only the claims wait for others (the notes, the layers, the dates);
    // the names rules read no claims. So: the dates beside the notes, layers,
    // citations, names' mentions and the names rules' block work (which reads only
    // the text and the model); then the claims beside the rest of the names rules.
    // (On the 1.1 MB transcription each pair is about even.)
    // The document's own entities first (its front matter's, rarely any): the
    // mentions and the names rules' blocks read its knowledge.
    let local = (!too_big)
        .then(|| local_entities(&text, &md, ctx, reuse))
        .flatten();
    let knowledge = local.as_ref().map_or(ctx.knowledge, |l| &l.knowledge);
    let (dates_found, ((notes, layers, citations, mentions), prepared)) = if too_big {
        let notes = notes::analyze(&text, &md);
        let layers = crate::layers::layers(&text, &md, &notes, configured);
        (
            Vec::new(),
            ((notes, layers, Default::default(), Vec::new()), None),
        )
    } else {
        rayon::join(
            || match reuse {
                Some(r) => dates::find_reusing(&text, &md, &r.dates),
                None => dates::find(&text, &md),
            },
            || {
                // The notes (then the layers, which read them), the citations, the
                // mentions and the names rules' work on each block read only the text
                // and the model: four tasks, so that the two threads share them
                // evenly (the notes, layers, citations and mentions in a row were the
                // long thread of an edit).
                let ((notes_layers, citations), (mentions, prepared)) = rayon::join(
                    || {
                        rayon::join(
                            || {
                                // The editor's versions keep the notes' scan in parts
                                // (never past the size limit: the branch above).
                                let notes = match reuse {
                                    Some(r) => notes::analyze_reusing(&text, &md, &r.notes),
                                    None => notes::analyze(&text, &md),
                                };
                                let layers = crate::layers::layers(&text, &md, &notes, configured);
                                (notes, layers)
                            },
                            || crate::citations::for_document(&text, &md, ctx.config, place),
                        )
                    },
                    || {
                        rayon::join(
                            || mentions_in(&text, &md, knowledge, reuse),
                            || crate::rules::prepare_names(&text, &md, knowledge, ctx, reuse),
                        )
                    },
                );
                let (notes, layers) = notes_layers;
                ((notes, layers, citations, mentions), prepared)
            },
        )
    };
    let mut a = Analysis {
        text,
        lines,
        md,
        notes,
        mentions,
        dates: dates_found,
        // Beside the names rules, below.
        claims: Vec::new(),
        layers,
        findings: Vec::new(),
        local,
        names: Default::default(),
        citations,
    };
    let mut findings = Vec::new();
    // A first reading (no memo) keeps the quotations it read, for the protected
    // regions below.
    let mut seen_quotes = None;
    if too_big {
        // Past the limit only the note layer is checked (its cost is linear and small).
        crate::rules::notes::check(&a, ctx, &mut findings);
    } else {
        let date_spans: Vec<crate::finding::Span> = a.dates.iter().map(|d| d.span).collect();
        // The names rules (the longest of the rules' work, on every keystroke too) on
        // one thread; on the other, the claims pass and then every other family: the
        // note rules, and the claims, meta, dates, citations and front-matter rules,
        // which read the claims as found (not yet in `a`). None of them reads the names
        // rules' results, and the findings are put together in `rules::run`'s order:
        // notes, names, the others.
        let ((claims_found, seen, notes_found, others_found), (names_found, index)) = rayon::join(
            || {
                let input = claims::ClaimInputs {
                    text: &a.text,
                    md: &a.md,
                    notes: &a.notes,
                    dates: &date_spans,
                    cfg: &ctx.config.claims,
                    layers: &a.layers,
                    citations: Some(&a.citations.cites),
                };
                let (c, seen) = match reuse {
                    Some(r) => (claims::find_layered(&input, Some(&r.claims)), None),
                    None => {
                        let (c, seen) = claims::find_quoting(&input);
                        (c, Some(seen))
                    }
                };
                let mut notes_found = Vec::new();
                crate::rules::run_notes(&a, ctx, &mut notes_found);
                let mut others = Vec::new();
                crate::rules::run_others_with(&a, &c, ctx, &mut others);
                (c, seen, notes_found, others)
            },
            || {
                // `a` has no claims yet: the names rules read none.
                let mut out = Vec::new();
                let index = crate::rules::run_names_prepared(&a, ctx, &mut out, reuse, prepared);
                (out, index)
            },
        );
        a.claims = claims_found;
        seen_quotes = seen;
        findings = notes_found;
        findings.reserve(names_found.len() + others_found.len());
        findings.extend(names_found);
        findings.extend(others_found);
        if let Some(index) = index {
            a.names = index;
        }
    }
    a.findings = finish(
        &a,
        findings,
        ctx,
        reuse.map(|r| &r.claims),
        seen_quotes.as_ref(),
        too_big,
    );
    a
}

/// The rules' raw findings of `a` made final: the parse's bounds, fixes in protected
/// regions made unsafe, configuration, suppression comments, order, the limit.
fn finish(
    a: &Analysis,
    mut findings: Vec<Finding>,
    ctx: &Context,
    claims_memo: Option<&claims::ClaimMemo>,
    seen_quotes: Option<&claims::ParagraphQuotes>,
    too_big: bool,
) -> Vec<Finding> {
    // Where the parse was bounded: one finding per kind, at its first place.
    for kind in [Limit::LongParagraph, Limit::Depth] {
        let mut at = a.md.limited.iter().filter(|(k, _)| *k == kind);
        if let Some((_, first)) = at.next() {
            let f =
                crate::rules::meta::analysis_limited::parse_bounded(kind, *first, 1 + at.count());
            findings.push(f);
        }
    }
    // No fix that changes a source's words, a quotation, a gloss or a table is safe,
    // whatever the rule said.
    // Only the blocks a safe fix edits are looked at (none, most often: the regions
    // were found over the whole text on every keystroke for nothing).
    let near = crate::finding::Near::of_safe_fixes(&findings);
    if !near.is_empty() {
        let protected = crate::layers::protected_regions(
            &a.text,
            &a.md,
            &a.layers,
            claims_memo,
            seen_quotes,
            Some(&near),
        );
        crate::finding::downgrade_fixes(&mut findings, &protected);
    }
    if too_big {
        findings.push(crate::rules::meta::analysis_limited::too_big(
            a.text.len(),
            ctx.config.limits.analysed_bytes(),
        ));
    }
    let mut findings = configure(findings, ctx.config);
    findings = crate::suppress::filter(&a.text, findings);
    crate::finding::sort(&mut findings);
    let max = ctx.config.limits.max_findings;
    if findings.len() > max {
        let dropped = findings.len() - max;
        findings.truncate(max);
        findings.push(crate::rules::meta::analysis_limited::truncated(
            dropped, max,
        ));
        crate::finding::sort(&mut findings);
    }
    findings
}

/// The entities the document's front matter defines (if any), and the mentions of the
/// knowledge that includes them.
fn names_in(
    text: &str,
    md: &MdModel,
    ctx: &Context,
    reuse: Option<&Reuse>,
) -> (Option<Arc<crate::names::DocumentEntities>>, Vec<Mention>) {
    let local = local_entities(text, md, ctx, reuse);
    let knowledge = local.as_ref().map_or(ctx.knowledge, |l| &l.knowledge);
    let mentions = mentions_in(text, md, knowledge, reuse);
    (local, mentions)
}

/// The entities `text`'s front matter defines, if any (then the document's knowledge
/// is the configuration's with them). Entities defined in the front matter change the
/// recognizer and the names rules' lexicon: what `reuse` kept under another front
/// matter is forgotten here, before either reads it.
fn local_entities(
    text: &str,
    md: &MdModel,
    ctx: &Context,
    reuse: Option<&Reuse>,
) -> Option<Arc<crate::names::DocumentEntities>> {
    if let Some(r) = reuse {
        r.front_matter_is(md.front_matter.map(|s| s.slice(text)).unwrap_or(""));
    }
    crate::names::document_entities(text, md, ctx.knowledge)
}

/// The gazetteer's names in `text`, found with the document's `knowledge`.
fn mentions_in(
    text: &str,
    md: &MdModel,
    knowledge: &crate::facts::Knowledge,
    reuse: Option<&Reuse>,
) -> Vec<Mention> {
    match reuse {
        Some(r) => knowledge.recognizer.find_reusing(text, md, &r.mentions),
        None => knowledge.recognizer.find(text, md),
    }
}

/// The name index [`analyze`] would give `text` (its `names`), computing only what it
/// needs: the model, the mentions and the names rules. For the server's index of the
/// workspace's unopened files, which reports no findings of its own.
pub fn name_index(text: Arc<str>, ctx: &Context) -> crate::facts::NameIndex {
    let names_on = crate::rules::names::RULES
        .iter()
        .any(|r| ctx.config.level(r.code) != Some(crate::config::Level::Off));
    if text.len() > ctx.config.limits.analysed_bytes()
        || !ctx.config.romanisation.across_files
        || !names_on
    {
        return Default::default();
    }
    let md = Arc::new(crate::markdown::chunks::parse(&text));
    let (local, mentions) = names_in(&text, &md, ctx, None);
    let a = Analysis {
        lines: LineIndex::new(""),
        notes: Notes::default(),
        mentions,
        dates: Vec::new(),
        claims: Vec::new(),
        layers: Default::default(),
        findings: Vec::new(),
        local,
        names: Default::default(),
        citations: Default::default(),
        md,
        text,
    };
    let mut raw = Vec::new();
    crate::rules::names::check_and_index(&a, ctx, &mut raw, true, None).unwrap_or_default()
}

/// Apply the configured severities; drop rules switched off.
pub(crate) fn configure(findings: Vec<Finding>, config: &Config) -> Vec<Finding> {
    findings
        .into_iter()
        .filter_map(|mut f| {
            if let Some(level) = config.level(f.code) {
                f.severity = level.severity()?;
            }
            Some(f)
        })
        .collect()
}

/// Convenience for tests and one-shot callers: analyse with the embedded knowledge
/// and the default configuration.
pub fn analyze_str(text: &str) -> Analysis {
    let config = Config::default();
    let knowledge = Knowledge::embedded();
    analyze(
        Arc::from(text),
        None,
        &Context {
            config: &config,
            knowledge: &knowledge,
        },
    )
}

#[cfg(test)]
pub(crate) mod limit_tests {
    use super::*;

    /// Every Markdown file under `fixtures/`, with its text (the crate's tests walk
    /// the fixtures with it).
    pub(crate) fn each_fixture(mut f: impl FnMut(&std::path::Path, Arc<str>)) {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut stack = vec![root];
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "md") {
                    f(
                        &p,
                        Arc::from(std::fs::read_to_string(&p).unwrap_or_default()),
                    );
                }
            }
        }
    }

    /// The server indexes unopened files with `name_index`; the CLI uses `analyze`.
    /// They must agree, or the editor and CI would disagree across files.
    #[test]
    fn name_index_equals_the_full_analysis_names() {
        let config = Config::default();
        let knowledge = Knowledge::embedded();
        let ctx = Context {
            config: &config,
            knowledge: &knowledge,
        };
        let mut seen = 0;
        each_fixture(|p, text| {
            let full = analyze(text.clone(), None, &ctx).names;
            assert_eq!(name_index(text, &ctx), full, "{}", p.display());
            seen += usize::from(!full.is_empty());
        });
        assert!(seen > 5, "only {seen} fixtures name anyone");
    }

    /// The names rules run beside the claims pass, on an analysis without its claims
    /// (`rules::run_names`): what they find must be what they find with every fact
    /// there, the families in `rules::run`'s order. Fails if a names rule comes to
    /// read the claims.
    #[test]
    fn rules_beside_the_claims_find_what_the_whole_analysis_gives() {
        let config = Config::default();
        let knowledge = Knowledge::embedded();
        let ctx = Context {
            config: &config,
            knowledge: &knowledge,
        };
        let (mut seen, mut names) = (0, 0);
        each_fixture(|p, text| {
            let a = analyze(text, None, &ctx);
            let mut raw = Vec::new();
            let index = crate::rules::run(&a, &ctx, &mut raw, None);
            assert_eq!(index.unwrap_or_default(), a.names, "{}", p.display());
            let whole = finish(&a, raw, &ctx, None, None, false);
            assert_eq!(whole, a.findings, "{}", p.display());
            seen += 1;
            names += usize::from(!a.claims.is_empty() && !a.mentions.is_empty());
        });
        assert!(
            seen > 30 && names > 10,
            "{seen} fixtures, {names} with claims and names"
        );
    }

    #[test]
    fn findings_past_the_limit_are_counted_not_listed() {
        let text: String = (0..30)
            .map(|i| format!("Claim {i}.[^missing{i}]\n\n"))
            .collect();
        let mut config = Config::default();
        config.limits.max_findings = 10;
        let knowledge = Knowledge::embedded();
        let a = analyze(
            Arc::from(text.as_str()),
            None,
            &Context {
                config: &config,
                knowledge: &knowledge,
            },
        );
        assert_eq!(a.findings.len(), 11);
        let summary: Vec<_> = a
            .findings
            .iter()
            .filter(|f| f.code == "analysis-limited")
            .collect();
        assert_eq!(summary.len(), 1);
        assert!(
            summary[0].message.starts_with("20 more findings"),
            "{}",
            summary[0].message
        );
    }
}
