//! `--format json`: the versioned contract.
//!
//! ```json
//! {"version":2,
//!  "files":[{"path":P,"diagnostics":[{"code":C,"severity":"error"|"warning"|"info"|"hint",
//!    "message":M,"range":{"start":{"line":L,"column":K},"end":{"line":L,"column":K}},
//!    "fixes":[{"title":T,"safe":B,"edits":[{"range":R,"new_text":S}]}],
//!    "related":[{"path":P|null,"range":R,"message":M}]}]}],
//!  "summary":{"files":N,"errors":N,"warnings":N,"infos":N,"hints":N}}
//! ```
//!
//! Every checked file is listed, with or without diagnostics. Lines and columns are
//! 1-based; columns count Unicode characters; `end` is exclusive. A related place's
//! `path` is `null` in the diagnostic's own file, else another checked file's path as
//! listed. Nothing else is added to this shape without bumping `version` (version 1
//! had neither `safe` nor `related`).

use super::{Range, Report};
use serde::Serialize;
use std::io::{self, Write};

pub const VERSION: u32 = 2;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    files: Vec<JsonFile<'a>>,
    summary: JsonSummary,
}

#[derive(Serialize)]
struct JsonFile<'a> {
    path: &'a str,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    severity: &'a str,
    message: &'a str,
    range: JsonRange,
    fixes: Vec<JsonFix<'a>>,
    related: Vec<JsonRelated<'a>>,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    title: &'a str,
    /// Whether `annalist check --fix` applies it (a safe fix changes no source's words).
    safe: bool,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    /// `None` (`null`): the diagnostic's own file.
    path: Option<&'a str>,
    range: JsonRange,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    range: JsonRange,
    new_text: &'a str,
}

#[derive(Serialize)]
struct JsonRange {
    start: JsonPos,
    end: JsonPos,
}

#[derive(Serialize)]
struct JsonPos {
    line: u32,
    column: u32,
}

#[derive(Serialize)]
struct JsonSummary {
    files: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
    hints: usize,
}

fn range(r: Range) -> JsonRange {
    JsonRange {
        start: JsonPos {
            line: r.start.line,
            column: r.start.column,
        },
        end: JsonPos {
            line: r.end.line,
            column: r.end.column,
        },
    }
}

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let s = report.summary();
    let doc = JsonReport {
        version: VERSION,
        files: report
            .files
            .iter()
            .map(|f| JsonFile {
                path: &f.path,
                diagnostics: f
                    .diagnostics
                    .iter()
                    .map(|d| JsonDiagnostic {
                        code: d.code,
                        severity: d.severity.as_str(),
                        message: &d.message,
                        range: range(d.range),
                        fixes: d
                            .fixes
                            .iter()
                            .map(|fx| JsonFix {
                                title: &fx.title,
                                safe: fx.safe,
                                edits: fx
                                    .edits
                                    .iter()
                                    .map(|e| JsonEdit {
                                        range: range(e.range),
                                        new_text: &e.new_text,
                                    })
                                    .collect(),
                            })
                            .collect(),
                        related: d
                            .related
                            .iter()
                            .map(|r| JsonRelated {
                                path: r.path.as_deref(),
                                range: range(r.range),
                                message: &r.message,
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
        summary: JsonSummary {
            files: s.files,
            errors: s.errors,
            warnings: s.warnings,
            infos: s.infos,
            hints: s.hints,
        },
    };
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::other)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::output::sample_report;
    use serde_json::Value;

    #[test]
    fn fixes_and_ranges_in_the_contract_shape() {
        let mut buf = Vec::new();
        write(&sample_report(), &mut buf).unwrap_or_else(|e| panic!("{e}"));
        let v: Value = serde_json::from_slice(&buf).unwrap_or(Value::Null);
        let d = &v["files"][0]["diagnostics"][0];
        assert_eq!(d["code"], "name-ocr");
        assert_eq!(d["severity"], "warning");
        assert_eq!(d["range"]["start"]["line"], 3);
        assert_eq!(d["range"]["start"]["column"], 5);
        assert_eq!(d["fixes"][0]["title"], "Replace with `Il`");
        assert_eq!(d["fixes"][0]["edits"][0]["new_text"], "Il");
        assert_eq!(d["fixes"][0]["edits"][0]["range"]["end"]["column"], 7);
        assert_eq!(v["version"], 2);
        assert_eq!(d["fixes"][0]["safe"], true);
        assert_eq!(d["related"][0]["path"], Value::Null);
        assert_eq!(d["related"][0]["message"], "the note");
        assert_eq!(d["related"][0]["range"]["start"]["line"], 5);
        assert_eq!(d["related"][0]["range"]["start"]["column"], 1);
        assert_eq!(
            v["files"][0]["diagnostics"][1]["related"],
            Value::Array(Vec::new())
        );
        assert_eq!(v["summary"]["warnings"], 1);
        assert_eq!(v["summary"]["hints"], 1);
        assert_eq!(v["summary"]["files"], 1);
    }
}
