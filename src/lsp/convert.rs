//! Engine ↔ LSP conversions. Every position goes through [`crate::position`].

use crate::facts::Analysis;
use crate::finding::{Edit, Finding, Severity, Span};
use crate::position::{Encoding, LineCol, LineIndex, Marks};
use tower_lsp_server::ls_types::{
    ClientCapabilities, CodeDescription, Diagnostic, DiagnosticRelatedInformation,
    DiagnosticSeverity, Location, NumberOrString, Position, Range, TextEdit, Uri,
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

/// A span of a workspace file kept as its [`Marks`] (its name occurrences), as
/// [`text_range`] gives it from the text; `None` for a span whose ends were not kept.
pub fn marked_range(marks: &Marks, span: Span, enc: Encoding) -> Option<Range> {
    let end = span.end.max(span.start);
    let pos = |o: usize| {
        marks.position(o, enc).map(|p| Position {
            line: p.line,
            character: p.col,
        })
    };
    Some(Range {
        start: pos(span.start)?,
        end: pos(end)?,
    })
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

/// What the client accepts on a diagnostic beyond its range, severity, code, source
/// and message, as its capabilities announce it (LSP 3.17
/// `PublishDiagnosticsClientCapabilities`; for pulled diagnostics, 3.18's
/// `DiagnosticClientCapabilities` where the client fills them in, else the former:
/// vscode-languageclient 9 pulls and announces them for publications only).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Supports {
    /// `relatedInformation`.
    pub related: bool,
    /// `codeDescription` (`codeDescriptionSupport`).
    pub code_description: bool,
}

impl Supports {
    /// Both: what in-process callers and tests that do not negotiate get.
    pub const ALL: Supports = Supports {
        related: true,
        code_description: true,
    };

    /// What a client announcing `caps` accepts on the diagnostics it is sent: pulled
    /// ones (`pull`) or published ones.
    pub fn of_client(caps: &ClientCapabilities, pull: bool) -> Supports {
        let text = caps.text_document.as_ref();
        let published = text.and_then(|t| t.publish_diagnostics.as_ref());
        let pulled = text.and_then(|t| t.diagnostic.as_ref()).filter(|_| pull);
        let related = pulled
            .and_then(|d| d.related_information)
            .or_else(|| published.and_then(|p| p.related_information));
        let code_description = pulled
            .and_then(|d| d.code_description_support)
            .or_else(|| published.and_then(|p| p.code_description_support));
        Supports {
            related: related.unwrap_or(false),
            code_description: code_description.unwrap_or(false),
        }
    }
}

/// What each diagnostic carries besides the finding's own fields: the rule's page
/// (`codeDescription`; with a configured `docs_url` and a client that supports it) and
/// the related places (for a client that supports them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Carry<'a> {
    /// The rules' documentation address, `None` when no `codeDescription` is sent.
    pub docs_url: Option<&'a str>,
    pub related: bool,
}

impl<'a> Carry<'a> {
    pub fn new(docs_url: Option<&'a str>, supports: Supports) -> Carry<'a> {
        Carry {
            docs_url: docs_url.filter(|_| supports.code_description),
            related: supports.related,
        }
    }
}

/// [`diagnostic`] of each finding, in order.
pub fn diagnostics(
    a: &Analysis,
    uri: &Uri,
    findings: &[&Finding],
    enc: Encoding,
    other: &(dyn Fn(&str, Span) -> Option<Location> + Sync),
    carry: Carry<'_>,
) -> Vec<Diagnostic> {
    let one = |f: &&Finding| diagnostic_in(&a.text, &a.lines, uri, f, enc, other, carry);
    if findings.len() > PARALLEL_DIAGNOSTICS {
        use rayon::prelude::*;
        findings.par_iter().with_min_len(64).map(one).collect()
    } else {
        findings.iter().map(one).collect()
    }
}

/// A finding as an LSP diagnostic. Related places in other documents (their `path`
/// is a URI) are located by `other`; those it cannot find are left out. No `data`:
/// nothing reads it back (code actions are computed from the findings).
pub fn diagnostic(
    a: &Analysis,
    uri: &Uri,
    f: &Finding,
    enc: Encoding,
    other: &dyn Fn(&str, Span) -> Option<Location>,
    carry: Carry<'_>,
) -> Diagnostic {
    diagnostic_in(&a.text, &a.lines, uri, f, enc, other, carry)
}

/// [`diagnostic`] of a finding in a text and its line index.
pub fn diagnostic_in(
    text: &str,
    lines: &LineIndex,
    uri: &Uri,
    f: &Finding,
    enc: Encoding,
    other: &dyn Fn(&str, Span) -> Option<Location>,
    carry: Carry<'_>,
) -> Diagnostic {
    let related: Vec<DiagnosticRelatedInformation> = f
        .related
        .iter()
        .filter(|_| carry.related)
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
    let href = crate::rules::doc_url(carry.docs_url, f.code).and_then(|u| u.parse::<Uri>().ok());
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
        data: None,
    }
}

pub fn text_edit(a: &Analysis, e: &Edit, enc: Encoding) -> TextEdit {
    TextEdit {
        range: to_range(a, e.span, enc),
        new_text: e.new_text.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caps(v: serde_json::Value) -> ClientCapabilities {
        serde_json::from_value(v).unwrap_or_default()
    }

    /// As clients announce themselves: VS Code (vscode-languageclient 9) says what it
    /// takes only for publications, also when it pulls; Neovim 0.11 takes related
    /// places but no `codeDescription`; a 3.18 client's pull capabilities win; a
    /// client that says nothing takes neither.
    #[test]
    fn supports_follow_the_announced_capabilities() {
        let vscode = caps(serde_json::json!({"textDocument": {
            "diagnostic": {"dynamicRegistration": true, "relatedDocumentSupport": false},
            "publishDiagnostics": {"relatedInformation": true, "versionSupport": false,
                "tagSupport": {"valueSet": [1, 2]}, "codeDescriptionSupport": true,
                "dataSupport": true}}}));
        assert_eq!(Supports::of_client(&vscode, true), Supports::ALL);
        assert_eq!(Supports::of_client(&vscode, false), Supports::ALL);
        let neovim = caps(serde_json::json!({"textDocument": {
            "diagnostic": {"dynamicRegistration": false, "tagSupport": {"valueSet": [1, 2]}},
            "publishDiagnostics": {"relatedInformation": true,
                "tagSupport": {"valueSet": [1, 2]}, "dataSupport": true}}}));
        let related_only = Supports {
            related: true,
            code_description: false,
        };
        assert_eq!(Supports::of_client(&neovim, false), related_only);
        let pulled_318 = caps(serde_json::json!({"textDocument": {
            "diagnostic": {"relatedInformation": false, "codeDescriptionSupport": true},
            "publishDiagnostics": {"relatedInformation": true}}}));
        let link_only = Supports {
            related: false,
            code_description: true,
        };
        assert_eq!(Supports::of_client(&pulled_318, true), link_only);
        assert_eq!(
            Supports::of_client(&pulled_318, false),
            Supports {
                related: true,
                code_description: false
            }
        );
        assert_eq!(
            Supports::of_client(&caps(serde_json::json!({})), false),
            Supports::default()
        );
        let url = Some("https://example.org/rules");
        assert_eq!(Carry::new(url, Supports::ALL).docs_url, url);
        assert_eq!(Carry::new(url, related_only).docs_url, None);
        assert!(!Carry::new(url, link_only).related);
    }
}
