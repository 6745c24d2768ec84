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
use tree_sitter_md::MarkdownTree;

/// What the engine knows of the world: the gazetteer and its name automaton.
/// Built once per configuration and shared.
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
    pub md: MdModel,
    pub notes: Notes,
    pub mentions: Vec<Mention>,
    pub dates: Vec<DateMention>,
    pub claims: Vec<Claim>,
    /// Sorted by position, then code.
    pub findings: Vec<Finding>,
}

/// Analyse a text. `tree` is the incrementally kept tree of exactly this text, if the
/// caller has one; otherwise the text is parsed here.
pub fn analyze(text: Arc<str>, tree: Option<&MarkdownTree>, ctx: &Context) -> Analysis {
    let too_big = text.len() > ctx.config.limits.max_document_bytes;
    let md = match tree {
        // Past the limit the text is not parsed at all (seconds per megabyte).
        _ if too_big => MdModel::unparsed(&text),
        Some(t) => MdModel::build(&text, t),
        None => MdModel::parse(&text),
    };
    let lines = LineIndex::new(&text);
    let notes = notes::analyze(&text, &md);
    let (mentions, dates_found, claims_found) = if too_big {
        (Vec::new(), Vec::new(), Vec::new())
    } else {
        (
            ctx.knowledge.recognizer.find(&text, &md),
            dates::find(&text, &md),
            claims::find(&text, &md, &notes, &ctx.config.claims),
        )
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
    };
    let mut findings = Vec::new();
    crate::rules::run(&a, ctx, &mut findings);
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
    a.findings = findings;
    a
}

/// Apply the configured severities; drop rules switched off.
fn configure(findings: Vec<Finding>, config: &Config) -> Vec<Finding> {
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
