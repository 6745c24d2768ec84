//! `analysis-limited`: the document is larger than `limits.max_document_bytes` (only
//! notes were checked), or has more findings than `limits.max_findings` (the rest are
//! counted, not listed). Emitted by the orchestration (`analysis::analyze`), which
//! alone knows the limits were reached; its messages are made here.

use super::super::Rule;
use crate::finding::{Finding, Severity, Span};

pub const RULE: Rule = Rule {
    code: "analysis-limited",
    default_severity: Severity::Info,
    summary: "The document is larger than limits.max_document_bytes (only notes were checked), has more findings than limits.max_findings, or has Markdown read in pieces (very long paragraphs, very deep nesting).",
    fix_is_safe: false,
    doc: "# analysis-limited\n\nThe document is larger than `limits.max_document_bytes` (8 MiB by default), so only its notes were checked: names, dates and claims were not analysed, to keep the editor responsive.\n\nHow to fix: split the document, or raise the limit in annalist.toml:\n\n```toml\n[limits]\nmax_document_bytes = 16777216\n```\n\nIt is also given, once per kind, where the Markdown was read in pieces to keep the cost linear in the text: a paragraph longer than 64 KiB (cut before a word), or containers nested more than 100 deep.\n\nSilence it with `[rules] analysis-limited = \"off\"`.\n",
};

/// The document has `len` bytes, over `max`: only its notes were checked.
pub fn too_big(len: usize, max: usize) -> Finding {
    Finding::new(
        RULE.code,
        RULE.default_severity,
        Span::new(0, 0),
        format!(
            "This document has {len} bytes, over the limit of {max} (limits.max_document_bytes in annalist.toml): only notes were checked."
        ),
    )
}

/// The parse was bounded at `count` places of one kind, the first at `first`: the
/// Markdown there was read in pieces (see [`crate::markdown::Limit`]).
pub fn parse_bounded(kind: crate::markdown::Limit, first: Span, count: usize) -> Finding {
    use crate::markdown::{Limit, MAX_DEPTH};
    let places = if count == 1 {
        "here".to_string()
    } else {
        format!("here and at {} other places", count - 1)
    };
    let what = match kind {
        Limit::LongParagraph => format!(
            "A paragraph longer than {} KiB was cut here to keep parsing fast: the Markdown of each piece was read on its own ({places}).",
            crate::markdown::MAX_CHUNK / 1024
        ),
        Limit::Depth => format!(
            "Block quotes or lists are nested more than {MAX_DEPTH} deep: deeper levels are counted as {MAX_DEPTH} ({places})."
        ),
    };
    Finding::new(RULE.code, RULE.default_severity, first, what)
}

/// `dropped` findings past `max` are counted, not listed.
pub fn truncated(dropped: usize, max: usize) -> Finding {
    Finding::new(
        RULE.code,
        RULE.default_severity,
        Span::new(0, 0),
        format!(
            "{dropped} more findings in this document are not shown (limits.max_findings = {max} in annalist.toml): fix the ones above, or raise the limit."
        ),
    )
}

#[cfg(test)]
mod tests {
    use crate::analysis::analyze;
    use crate::config::Config;
    use crate::facts::{Context, Knowledge};
    use std::sync::Arc;

    #[test]
    fn a_document_over_the_byte_limit_gets_only_the_notes_rules() {
        let text = "On 31 June 1950 “he said so”.[^9]\n";
        let mut config = Config::default();
        config.limits.max_document_bytes = 10;
        let knowledge = Knowledge::embedded();
        let ctx = Context {
            config: &config,
            knowledge: &knowledge,
        };
        let a = analyze(Arc::from(text), None, &ctx);
        let codes: Vec<&str> = a.findings.iter().map(|f| f.code).collect();
        assert_eq!(codes, vec!["analysis-limited", "footnote-undefined"]);
        assert!(a.findings[0].message.contains("over the limit of 10"));
    }
}
