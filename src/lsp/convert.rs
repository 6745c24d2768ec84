//! Engine ↔ LSP conversions. Every position goes through [`crate::position`].

use crate::facts::Analysis;
use crate::finding::{Edit, Finding, Severity, Span};
use crate::position::{Encoding, LineCol};
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
    Range {
        start: to_position(a, span.start, enc),
        end: to_position(a, span.end, enc),
    }
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

/// A finding as an LSP diagnostic. Related places in other documents (their `path`
/// is a URI) are located by `other`; those it cannot find are left out.
pub fn diagnostic(
    a: &Analysis,
    uri: &Uri,
    f: &Finding,
    enc: Encoding,
    other: &dyn Fn(&str, Span) -> Option<Location>,
) -> Diagnostic {
    let related: Vec<DiagnosticRelatedInformation> = f
        .related
        .iter()
        .filter_map(|r| {
            let location = match &r.path {
                None => Location {
                    uri: uri.clone(),
                    range: to_range(a, r.span, enc),
                },
                Some(p) => other(p, r.span)?,
            };
            Some(DiagnosticRelatedInformation {
                location,
                message: r.message.clone(),
            })
        })
        .collect();
    let href = crate::rules::doc_url(None, f.code).and_then(|u| u.parse::<Uri>().ok());
    Diagnostic {
        range: to_range(a, f.span, enc),
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
