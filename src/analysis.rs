//! One document version in, facts and findings out. Synchronous and deterministic;
//! knows nothing of LSP, JSON or terminals.

use crate::claims::{self, Claim};
use crate::config::Config;
use crate::dates::{self, DateMention};
use crate::finding::Finding;
use crate::gazetteer::Gazetteer;
use crate::markdown::MdModel;
use crate::names::{Mention, Recognizer};
use crate::notes::{self, Notes};
use crate::position::LineIndex;
use std::sync::Arc;

/// What the engine knows of the world: the gazetteer and its name automaton.
/// Built once per configuration and shared.
#[derive(Debug)]
pub struct Knowledge {
    pub gazetteer: Gazetteer,
    pub recognizer: Recognizer,
}

impl Knowledge {
    pub fn new(gazetteer: Gazetteer) -> Knowledge {
        let recognizer = Recognizer::new(&gazetteer);
        Knowledge {
            gazetteer,
            recognizer,
        }
    }

    /// The embedded default gazetteer only.
    pub fn embedded() -> Knowledge {
        Knowledge::new(Gazetteer::embedded())
    }

    /// The embedded gazetteer plus the project's gazetteer files (`gazetteers` in the
    /// annalist.toml found in `config_dir`), with the problems met loading them.
    pub fn for_project(
        config_dir: &std::path::Path,
        config: &Config,
    ) -> (Knowledge, Vec<crate::config::FileProblem>) {
        let (g, problems) = crate::gazetteer::load_project(config_dir, config);
        (Knowledge::new(g), problems)
    }
}

/// What a rule may see besides the facts.
pub struct Context<'a> {
    pub config: &'a Config,
    pub knowledge: &'a Knowledge,
}

/// The facts of one document version and the findings on them.
pub struct Analysis {
    pub text: Arc<str>,
    pub lines: LineIndex,
    pub md: Arc<MdModel>,
    pub notes: Notes,
    pub mentions: Vec<Mention>,
    pub dates: Vec<DateMention>,
    pub claims: Vec<Claim>,
    /// Sorted by position, then code.
    pub findings: Vec<Finding>,
    /// Entities defined in this document's front matter (and the knowledge including
    /// them, which `mentions` index into); `None` when it defines none.
    pub local: Option<Arc<crate::names::DocumentEntities>>,
    /// How this document spells the gazetteer's names, for the comparison across
    /// files ([`crate::workspace`]).
    pub names: crate::workspace::NameIndex,
}

impl Analysis {
    /// The knowledge `mentions` index into: the document's own when its front matter
    /// defines entities, else the shared one.
    pub fn knowledge<'a>(&'a self, ctx: &'a Context) -> &'a Knowledge {
        match &self.local {
            Some(l) => &l.knowledge,
            None => ctx.knowledge,
        }
    }
}

/// Analyse a text. `md` is the incrementally kept model of exactly this text, if the
/// caller has one (see [`crate::document::Document::md`]); otherwise it is parsed here.
pub fn analyze(text: Arc<str>, md: Option<Arc<MdModel>>, ctx: &Context) -> Analysis {
    let too_big = text.len() > ctx.config.limits.max_document_bytes;
    let md = match md {
        // Past the limit the text is not parsed at all (seconds per megabyte).
        _ if too_big => Arc::new(MdModel::unparsed(&text)),
        Some(md) => md,
        None => crate::document::parse_model(&text),
    };
    let lines = LineIndex::new(&text);
    let notes = notes::analyze(&text, &md);
    let local = if too_big {
        None
    } else {
        crate::names::document_entities(&text, &md, ctx.knowledge)
    };
    let recognizer = match &local {
        Some(l) => &l.knowledge.recognizer,
        None => &ctx.knowledge.recognizer,
    };
    let (mentions, dates_found, claims_found) = if too_big {
        (Vec::new(), Vec::new(), Vec::new())
    } else {
        let dates_found = dates::find(&text, &md);
        let date_spans: Vec<crate::finding::Span> = dates_found.iter().map(|d| d.span).collect();
        let claims_found = claims::find(&text, &md, &notes, &date_spans, &ctx.config.claims);
        (recognizer.find(&text, &md), dates_found, claims_found)
    };
    let mut a = Analysis {
        text,
        lines,
        md,
        notes,
        mentions,
        dates: dates_found,
        claims: claims_found,
        findings: Vec::new(),
        local,
        names: Default::default(),
    };
    let mut findings = Vec::new();
    if too_big {
        // Past the limit only the note layer is checked (its cost is linear and small).
        crate::rules::notes::check(&a, ctx, &mut findings);
    } else {
        if let Some(index) = crate::rules::run(&a, ctx, &mut findings) {
            a.names = index;
        }
    }
    if too_big {
        findings.push(Finding::new(
            "analysis-limited",
            crate::finding::Severity::Info,
            crate::finding::Span::new(0, 0),
            format!(
                "This document has {} bytes, over the limit of {} (limits.max_document_bytes in annalist.toml): only notes were checked.",
                a.text.len(),
                ctx.config.limits.max_document_bytes
            ),
        ));
    }
    let mut findings = configure(findings, ctx.config);
    findings = crate::suppress::filter(&a.text, findings);
    findings.sort_by(|x, y| {
        (x.span.start, x.span.end, x.code).cmp(&(y.span.start, y.span.end, y.code))
    });
    let max = ctx.config.limits.max_findings;
    if findings.len() > max {
        let dropped = findings.len() - max;
        findings.truncate(max);
        findings.push(Finding::new(
            "analysis-limited",
            crate::finding::Severity::Info,
            crate::finding::Span::new(0, 0),
            format!(
                "{dropped} more findings in this document are not shown (limits.max_findings = {max} in annalist.toml): fix the ones above, or raise the limit."
            ),
        ));
        findings.sort_by(|x, y| {
            (x.span.start, x.span.end, x.code).cmp(&(y.span.start, y.span.end, y.code))
        });
    }
    a.findings = findings;
    a
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
mod limit_tests {
    use super::*;

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
