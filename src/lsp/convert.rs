//! Engine ↔ LSP conversions. Every position goes through [`crate::position`].

use crate::facts::Analysis;
use crate::finding::{Edit, Finding, Severity, Span};
use crate::position::{Encoding, LineCol, LineIndex};
use tower_lsp_server::ls_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, Position, Range, TextEdit, Uri,
};

pub fn to_position(a: &Analysis, offset: usize, enc: Encoding) -> Position {
    let p = a.lines.position(&a.text, offset, enc);
    Position {
        line: p.line,
        character: p.col,
    }
}

pub fn to_range(a: &Analysis, span: Span, enc: Encoding) -> Range {
    range_in(&a.text, &a.lines, span, enc)
}

/// [`to_range`] in a text and its line index.
pub fn range_in(text: &str, lines: &LineIndex, span: Span, enc: Encoding) -> Range {
    let pos = |o: usize| {
        let p = lines.position(text, o, enc);
        Position {
            line: p.line,
            character: p.col,
        }
    };
    Range {
        start: pos(span.start),
        end: pos(span.end),
    }
}

/// A span of a text that is not an analysed document (a workspace file, a gazetteer):
/// [`range_in`], an end before the start read as the start.
pub fn text_range(text: &str, lines: &LineIndex, span: Span, enc: Encoding) -> Range {
    let end = span.end.max(span.start);
    range_in(text, lines, Span { end, ..span }, enc)
}

/// The LSP encoding of semantic tokens (byte spans with a class index, sorted and not
/// overlapping): relative, one line each (a token across lines is split).
pub fn semantic_tokens(
    a: &Analysis,
    toks: &[(Span, u32)],
    enc: Encoding,
) -> Vec<tower_lsp_server::ls_types::SemanticToken> {
    let mut out = Vec::new();
    let (mut prev_line, mut prev_col) = (0u32, 0u32);
    for &(span, ty) in toks {
        let mut start = span.start;
        while start < span.end {
            let line = a.lines.line_of(start);
            let (_, line_end) = a.lines.line_content(&a.text, line);
            let end = span.end.min(line_end.max(start));
            if end > start {
                let p = a.lines.position(&a.text, start, enc);
                let len =
                    crate::position::measure(a.text.get(start..end).unwrap_or(""), enc) as u32;
                let delta_line = p.line - prev_line;
                let delta_start = if delta_line == 0 {
                    p.col - prev_col
                } else {
                    p.col
                };
                out.push(tower_lsp_server::ls_types::SemanticToken {
                    delta_line,
                    delta_start,
                    length: len,
                    token_type: ty,
                    token_modifiers_bitset: 0,
                });
                prev_line = p.line;
                prev_col = p.col;
            }
            start = a.lines.line_start(line + 1);
            if start <= end && line + 1 >= a.lines.line_count() {
                break;
            }
        }
    }
    out
}

pub fn to_offset(a: &Analysis, pos: Position, enc: Encoding) -> usize {
    a.lines.offset(
        &a.text,
        LineCol {
            line: pos.line,
            col: pos.character,
        },
        enc,
    )
}

pub fn to_span(a: &Analysis, range: Range, enc: Encoding) -> Span {
    let s = to_offset(a, range.start, enc);
    let e = to_offset(a, range.end, enc);
    Span::new(s.min(e), s.max(e))
}

pub fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

/// Above this many findings a document's diagnostics are converted on every core (a
/// book with thousands of findings: its positions, related places and payloads).
const PARALLEL_DIAGNOSTICS: usize = 256;

/// [`diagnostic`] of each finding, in order.
pub fn diagnostics(
    a: &Analysis,
    uri: &Uri,
    findings: &[&Finding],
    enc: Encoding,
    other: &(dyn Fn(&str, Span) -> Option<Location> + Sync),
    docs_url: Option<&str>,
) -> Vec<Diagnostic> {
    let one = |f: &&Finding| diagnostic_in(&a.text, &a.lines, uri, f, enc, other, docs_url);
    if findings.len() > PARALLEL_DIAGNOSTICS {
        use rayon::prelude::*;
        findings.par_iter().with_min_len(64).map(one).collect()
    } else {
        findings.iter().map(one).collect()
    }
}

/// A finding as an LSP diagnostic. Related places in other documents (their `path`
/// is a URI) are located by `other`; those it cannot find are left out.
pub fn diagnostic(
    a: &Analysis,
    uri: &Uri,
    f: &Finding,
    enc: Encoding,
    other: &dyn Fn(&str, Span) -> Option<Location>,
    docs_url: Option<&str>,
) -> Diagnostic {
    diagnostic_in(&a.text, &a.lines, uri, f, enc, other, docs_url)
}

/// [`diagnostic`] of a finding in a text and its line index.
pub fn diagnostic_in(
    text: &str,
    lines: &LineIndex,
    uri: &Uri,
    f: &Finding,
    enc: Encoding,
    other: &dyn Fn(&str, Span) -> Option<Location>,
    docs_url: Option<&str>,
) -> Diagnostic {
    let related: Vec<DiagnosticRelatedInformation> = f
        .related
        .iter()
        .filter_map(|r| {
            let location = match &r.path {
                None => Location {
                    uri: uri.clone(),
                    range: range_in(text, lines, r.span, enc),
                },
                Some(p) => other(p, r.span)?,
            };
            Some(DiagnosticRelatedInformation {
                location,
                message: r.message.clone(),
            })
        })
        .collect();
    // The rule's page, as the CLI links it; none without `docs_url` (never a dead link).
    let href = crate::rules::doc_url(docs_url, f.code).and_then(|u| u.parse::<Uri>().ok());
    Diagnostic {
        range: range_in(text, lines, f.span, enc),
        severity: Some(severity(f.severity)),
        code: Some(NumberOrString::String(f.code.to_string())),
        code_description: href.map(|href| CodeDescription { href }),
        source: Some("annalist".into()),
        message: f.message.clone(),
        related_information: if related.is_empty() {
            None
        } else {
            Some(related)
        },
        tags: None,
        data: Some(serde_json::json!({
            "code": f.code,
            "start": f.span.start,
            "end": f.span.end,
            "fixes": f.fixes.iter().map(|x| &x.title).collect::<Vec<_>>(),
        })),
    }
}

pub fn text_edit(a: &Analysis, e: &Edit, enc: Encoding) -> TextEdit {
    TextEdit {
        range: to_range(a, e.span, enc),
        new_text: e.new_text.clone(),
    }
}
