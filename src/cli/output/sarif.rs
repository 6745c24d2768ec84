//! `--format sarif`: SARIF 2.1.0 (OASIS), as GitHub code scanning and other dashboards
//! read it.
//!
//! One run; `tool.driver.rules` lists every known rule (id, descriptions, help text
//! from the rule's documentation, `helpUri`, default level); each result names its
//! rule by `ruleId` and `ruleIndex`. Locations use URIs relative to `%SRCROOT%` (the
//! working directory) and 1-based regions whose columns count Unicode code points
//! (`columnKind: unicodeCodePoints`). Fixes become SARIF `fixes`; paths that could not
//! be checked become tool execution notifications.

use super::{DiagEdit, Diagnostic, FileReport, Range, Report, RuleInfo, known_rules};
use crate::finding::Severity;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::{self, Write};

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

/// Percent-encode a path for a URI reference (RFC 3986), keeping `/`.
pub fn encode_path(path: &str) -> String {
    let mut o = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                o.push(b as char)
            }
            _ => o.push_str(&format!("%{b:02X}")),
        }
    }
    o
}

fn artifact_location(path: &str) -> Value {
    if path.starts_with('/') {
        json!({ "uri": format!("file://{}", encode_path(path)) })
    } else {
        json!({ "uri": encode_path(path), "uriBaseId": "%SRCROOT%" })
    }
}

fn region(r: Range) -> Value {
    json!({
        "startLine": r.start.line,
        "startColumn": r.start.column,
        "endLine": r.end.line,
        "endColumn": r.end.column,
    })
}

fn rule_descriptor(r: &RuleInfo, docs_url: Option<&str>) -> Value {
    let mut v = json!({
        "id": r.code,
        "name": r.code,
        "shortDescription": { "text": r.summary },
        "fullDescription": { "text": first_paragraph(r.doc).unwrap_or(r.summary) },
        "help": { "text": r.doc, "markdown": r.doc },
        "defaultConfiguration": { "level": level(r.default_severity) },
    });
    if let (Some(url), Some(o)) = (crate::rules::doc_url(docs_url, r.code), v.as_object_mut()) {
        o.insert("helpUri".into(), Value::String(url));
    }
    v
}

/// The first paragraph of a rule's documentation that is not a heading.
fn first_paragraph(doc: &str) -> Option<&str> {
    doc.split("\n\n")
        .map(str::trim)
        .find(|p| !p.is_empty() && !p.starts_with('#'))
}

fn edit(e: &DiagEdit) -> Value {
    json!({
        "deletedRegion": region(e.range),
        "insertedContent": { "text": e.new_text },
    })
}

/// One SARIF result.
fn result(f: &FileReport, d: &Diagnostic, index: &BTreeMap<&str, usize>) -> Value {
    let mut r = json!({
        "ruleId": d.code,
        "ruleIndex": index.get(d.code).copied().unwrap_or(0),
        "level": level(d.severity),
        "message": { "text": d.message },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": artifact_location(&f.path),
                "region": region(d.range),
            }
        }],
    });
    if let Some(obj) = r.as_object_mut() {
        if !d.related.is_empty() {
            let rel: Vec<Value> = d
                .related
                .iter()
                .enumerate()
                .map(|(i, rl)| {
                    json!({
                        "id": i,
                        "message": { "text": rl.message },
                        "physicalLocation": {
                            "artifactLocation": artifact_location(rl.path.as_deref().unwrap_or(&f.path)),
                            "region": region(rl.range),
                        }
                    })
                })
                .collect();
            obj.insert("relatedLocations".into(), Value::Array(rel));
        }
        if !d.fixes.is_empty() {
            let fixes: Vec<Value> = d
                .fixes
                .iter()
                .map(|fx| {
                    json!({
                        "description": { "text": fx.title },
                        "artifactChanges": [{
                            "artifactLocation": artifact_location(&f.path),
                            "replacements": fx.edits.iter().map(edit).collect::<Vec<_>>(),
                        }]
                    })
                })
                .collect();
            obj.insert("fixes".into(), Value::Array(fixes));
        }
    }
    r
}

/// The results of a report, serialized one by one as the writer asks for them.
struct Results<'a> {
    report: &'a Report,
    index: &'a BTreeMap<&'a str, usize>,
}

impl Serialize for Results<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for f in &self.report.files {
            for d in &f.diagnostics {
                seq.serialize_element(&result(f, d, self.index))?;
            }
        }
        seq.end()
    }
}

/// A JSON object whose member `key` is written from `with` instead of its value (a
/// placeholder), in the object's own order of members.
struct Replacing<'a, T: Serialize> {
    object: &'a Value,
    key: &'a str,
    with: T,
}

impl<T: Serialize> Serialize for Replacing<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Some(members) = self.object.as_object() else {
            return self.object.serialize(s);
        };
        let mut map = s.serialize_map(Some(members.len()))?;
        for (k, v) in members {
            if k == self.key {
                map.serialize_entry(k, &self.with)?;
            } else {
                map.serialize_entry(k, v)?;
            }
        }
        map.end()
    }
}

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut rules = known_rules();
    for d in report.files.iter().flat_map(|f| &f.diagnostics) {
        if !rules.iter().any(|r| r.code == d.code) {
            rules.push(RuleInfo {
                code: d.code,
                default_severity: d.severity,
                summary: "",
                doc: "",
                fix_is_safe: false,
            });
        }
    }
    let index: BTreeMap<&str, usize> = rules.iter().enumerate().map(|(i, r)| (r.code, i)).collect();

    // Results are built and written one at a time (issue #14: the whole document as
    // one `Value` took 485 MB for the 14,000 findings of a 1 MB book).
    let results = Results {
        report,
        index: &index,
    };

    let notifications: Vec<Value> = report
        .problems
        .iter()
        .map(|p| {
            json!({
                "level": if p.is_fatal() { "error" } else { "warning" },
                "message": { "text": format!("{}: {}", p.path, p.message()) },
                "locations": [{ "physicalLocation": { "artifactLocation": artifact_location(&p.path) } }],
            })
        })
        .collect();

    let cwd = std::env::current_dir()
        .ok()
        .map(|d| {
            let mut s = d.to_string_lossy().into_owned();
            if !s.ends_with('/') {
                s.push('/');
            }
            format!("file://{}", encode_path(&s))
        })
        .unwrap_or_else(|| "file:///".into());

    let run = json!({
            "tool": {
                "driver": {
                    "name": "annalist",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rules
                        .iter()
                        .map(|r| rule_descriptor(r, report.docs_url.as_deref()))
                        .collect::<Vec<_>>(),
                }
            },
            "invocations": [{
                "executionSuccessful": !report.problems.iter().any(|p| p.is_fatal()),
                "toolExecutionNotifications": notifications,
            }],
            "originalUriBaseIds": { "%SRCROOT%": { "uri": cwd } },
            "columnKind": "unicodeCodePoints",
            "results": [],
    });
    let doc = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [],
    });
    let run = Replacing {
        object: &run,
        key: "results",
        with: results,
    };
    let doc = Replacing {
        object: &doc,
        key: "runs",
        with: [run],
    };
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::other)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_percent_encoded() {
        assert_eq!(encode_path("a b/ŏ.md"), "a%20b/%C5%8F.md");
        assert_eq!(encode_path("x#1?.md"), "x%231%3F.md");
    }

    #[test]
    fn full_description_skips_headings() {
        assert_eq!(
            first_paragraph("# code\n\nWhat it does.\n\nMore."),
            Some("What it does.")
        );
    }
}

#[cfg(test)]
mod report_tests {
    use super::*;
    use crate::cli::output::sample_report;

    #[test]
    fn results_carry_rules_regions_related_places_and_fixes() {
        let mut buf = Vec::new();
        write(&sample_report(), &mut buf).unwrap_or_else(|e| panic!("{e}"));
        let v: Value = serde_json::from_slice(&buf).unwrap_or(Value::Null);
        let run = &v["runs"][0];
        let rules = run["tool"]["driver"]["rules"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let results = run["results"].as_array().cloned().unwrap_or_default();
        assert_eq!(results.len(), 2);
        let r = &results[0];
        assert_eq!(r["ruleId"], "name-ocr");
        // An unknown code is described on the fly, so ruleIndex always resolves.
        let idx = r["ruleIndex"].as_u64().unwrap_or(u64::MAX) as usize;
        assert_eq!(rules.get(idx).map(|x| &x["id"]), Some(&r["ruleId"]));
        assert_eq!(r["level"], "warning");
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "dir/a%20b.md");
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert_eq!(loc["region"]["startLine"], 3);
        assert_eq!(loc["region"]["startColumn"], 5);
        assert_eq!(loc["region"]["endColumn"], 7);
        assert_eq!(
            r["relatedLocations"][0]["physicalLocation"]["region"]["startLine"],
            5
        );
        let rep = &r["fixes"][0]["artifactChanges"][0]["replacements"][0];
        assert_eq!(rep["insertedContent"]["text"], "Il");
        assert_eq!(rep["deletedRegion"]["startColumn"], 5);
        assert_eq!(results[1]["level"], "note");
        let n = &run["invocations"][0]["toolExecutionNotifications"][0];
        assert_eq!(n["level"], "warning");
        assert_eq!(run["invocations"][0]["executionSuccessful"], true);
    }
}
