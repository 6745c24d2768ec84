//! What `annalist check` reports, in positions a reader or a CI system understands,
//! and the writers for each output format.
//!
//! Findings arrive in byte spans; they are converted here, once per file, to 1-based
//! lines and 1-based columns counted in Unicode characters, through
//! [`crate::position::LineIndex`] with [`Encoding::Chars`]. Every writer reads the
//! converted [`Report`]; none converts positions itself.

use crate::finding::{Finding, Severity, Span};
use crate::position::{Encoding, LineIndex};
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::sync::Arc;

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

/// The output formats of `annalist check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Source snippets with the span underlined, for people.
    Human,
    /// The versioned JSON contract (see docs/ci.md).
    Json,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
    /// JUnit XML, for test-report views (GitLab, Jenkins, Azure).
    Junit,
    /// One line per finding: `path:line:col: CODE message` (and per problem).
    Concise,
}

/// A 1-based line and a 1-based column counted in Unicode characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

/// A converted span; `end` is exclusive (the position just after the last character).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    pub start: Pos,
    pub end: Pos,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiagEdit {
    pub span: Span,
    pub range: Range,
    pub new_text: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiagFix {
    pub title: String,
    pub safe: bool,
    pub edits: Vec<DiagEdit>,
}

/// A related place, in the same file or (`path`) in another checked file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiagRelated {
    /// `None`: the same file; else another file's path as reported.
    pub path: Option<String>,
    pub span: Span,
    pub range: Range,
    pub message: String,
}

/// A finding with its positions converted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    pub range: Range,
    pub fixes: Vec<DiagFix>,
    pub related: Vec<DiagRelated>,
}

/// One checked file.
#[derive(Clone, Debug)]
pub struct FileReport {
    /// The path as given (relative to the working directory when given so), `/`-separated.
    pub path: String,
    /// The text that was analysed (after fixes, when `--fix` changed it).
    pub text: Arc<str>,
    /// The text's line index (for snippets).
    pub lines: LineIndex,
    /// In position order.
    pub diagnostics: Vec<Diagnostic>,
    /// How many fixes `--fix` applied to this file (0 without `--fix`).
    pub fixed: usize,
}

pub use crate::project::{PathProblem, ProblemKind};

/// Counts by severity over the reported diagnostics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub hints: usize,
}

impl Summary {
    pub fn add(&mut self, s: Severity) {
        match s {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.infos += 1,
            Severity::Hint => self.hints += 1,
        }
    }
    pub fn total(&self) -> usize {
        self.errors + self.warnings + self.infos + self.hints
    }
}

/// Everything one run reports.
#[derive(Clone, Debug)]
pub struct Report {
    /// Sorted by path.
    pub files: Vec<FileReport>,
    /// Paths that could not be checked, in the order met.
    pub problems: Vec<PathProblem>,
    /// Findings at or above this severity fail the run.
    pub threshold: Severity,
    /// `docs_url` of the configuration: the rules' links (none when unset).
    pub docs_url: Option<String>,
}

impl Report {
    pub fn summary(&self) -> Summary {
        let mut s = Summary {
            files: self.files.len(),
            ..Summary::default()
        };
        for f in &self.files {
            for d in &f.diagnostics {
                s.add(d.severity);
            }
        }
        s
    }

    /// True when a diagnostic reaches the failure threshold.
    pub fn fails(&self) -> bool {
        self.files
            .iter()
            .flat_map(|f| &f.diagnostics)
            .any(|d| reaches(d.severity, self.threshold))
    }

    /// Findings per code: (count, most severe severity, how many have a safe fix).
    pub fn statistics(&self) -> BTreeMap<&'static str, (usize, Severity, usize)> {
        let mut m: BTreeMap<&'static str, (usize, Severity, usize)> = BTreeMap::new();
        for d in self.files.iter().flat_map(|f| &f.diagnostics) {
            let e = m.entry(d.code).or_insert((0, d.severity, 0));
            e.0 += 1;
            if d.severity.rank() < e.1.rank() {
                e.1 = d.severity;
            }
            if d.fixes.iter().any(|f| f.safe) {
                e.2 += 1;
            }
        }
        m
    }
}

/// True when `s` is at least as severe as `threshold`.
pub fn reaches(s: Severity, threshold: Severity) -> bool {
    s.rank() <= threshold.rank()
}

/// Options that change how a report is written.
#[derive(Clone, Copy, Debug, Default)]
pub struct WriteOptions {
    /// ANSI colours (human format only).
    pub color: bool,
    /// Only findings that reach the threshold, and the summary (human format only).
    pub quiet: bool,
}

/// Convert one file's findings to positions. The only place `check` turns byte
/// offsets into lines and columns.
pub fn convert(text: &str, lines: &LineIndex, findings: &[Finding]) -> Vec<Diagnostic> {
    convert_with(text, lines, findings, &|_, _| None)
}

/// [`convert`], resolving related places in other files with `other(path, span)`
/// (places it cannot resolve are left out).
pub fn convert_with(
    text: &str,
    lines: &LineIndex,
    findings: &[Finding],
    other: &dyn Fn(&str, Span) -> Option<Range>,
) -> Vec<Diagnostic> {
    let range = |span: Span| Range {
        start: pos(text, lines, span.start),
        end: pos(text, lines, span.end.max(span.start)),
    };
    findings
        .iter()
        .map(|f| Diagnostic {
            code: f.code,
            severity: f.severity,
            message: f.message.clone(),
            span: f.span,
            range: range(f.span),
            fixes: f
                .fixes
                .iter()
                .map(|fix| DiagFix {
                    title: fix.title.clone(),
                    safe: fix.safe,
                    edits: fix
                        .edits
                        .iter()
                        .map(|e| DiagEdit {
                            span: e.span,
                            range: range(e.span),
                            new_text: e.new_text.clone(),
                        })
                        .collect(),
                })
                .collect(),
            related: f
                .related
                .iter()
                .filter_map(|r| {
                    let range = match &r.path {
                        None => range(r.span),
                        Some(p) => other(p, r.span)?,
                    };
                    Some(DiagRelated {
                        path: r.path.clone(),
                        span: r.span,
                        range,
                        message: r.message.clone(),
                    })
                })
                .collect(),
        })
        .collect()
}

/// The range of `span` in a text, 1-based (lines, character columns).
pub fn range_of(text: &str, lines: &LineIndex, span: Span) -> Range {
    Range {
        start: pos(text, lines, span.start),
        end: pos(text, lines, span.end.max(span.start)),
    }
}

fn pos(text: &str, lines: &LineIndex, offset: usize) -> Pos {
    let p = lines.position(text, offset, Encoding::Chars);
    Pos {
        line: p.line.saturating_add(1),
        column: p.col.saturating_add(1),
    }
}

/// Write `report` in `format` to `out`.
pub fn write(
    report: &Report,
    format: Format,
    opts: WriteOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Human => human::write(report, opts, out),
        Format::Json => json::write(report, out),
        Format::Sarif => sarif::write(report, out),
        Format::Github => github::write(report, out),
        Format::Junit => junit::write(report, out),
        Format::Concise => concise(report, opts, out),
    }
}

/// `--format concise`: `path:line:col: CODE message`, one finding a line, in path and
/// position order; then paths that could not be checked; then the summary line.
fn concise(report: &Report, opts: WriteOptions, out: &mut dyn Write) -> io::Result<()> {
    for f in &report.files {
        for d in &f.diagnostics {
            if opts.quiet && !reaches(d.severity, report.threshold) {
                continue;
            }
            let message = d.message.replace(['\r', '\n'], " ");
            writeln!(
                out,
                "{}:{}:{}: {} {}",
                f.path, d.range.start.line, d.range.start.column, d.code, message
            )?;
        }
    }
    for p in &report.problems {
        let kind = if p.is_fatal() { "error" } else { "warning" };
        writeln!(out, "{}: {kind}: {}", p.location(), p.message())?;
    }
    writeln!(out, "{}", human::summary_line(report))
}

/// Where a rule's documentation comes from, for codes the registry knows and for the
/// engine's own codes.
#[derive(Clone, Copy, Debug)]
pub struct RuleInfo {
    pub code: &'static str,
    pub default_severity: Severity,
    pub summary: &'static str,
    pub doc: &'static str,
    pub fix_is_safe: bool,
}

/// Every known rule: the registry, [`crate::rules::all`].
pub fn known_rules() -> Vec<RuleInfo> {
    crate::rules::all()
        .into_iter()
        .map(|r| RuleInfo {
            code: r.code,
            default_severity: r.default_severity,
            summary: r.summary,
            doc: r.doc,
            fix_is_safe: r.fix_is_safe,
        })
        .collect()
}

/// A report over one synthetic document, for the writers' tests.
#[cfg(test)]
pub(crate) fn sample_report() -> Report {
    use crate::finding::{Edit, Fix};
    let text = "# Title\n\nKim II Sung met Stalin.[^1]\n\n[^1]: Sŏul, 1949.\n";
    let lines = LineIndex::new(text);
    let at = text.find("II").unwrap_or(0);
    let note = text.rfind("[^1]").unwrap_or(0);
    let findings = vec![
        Finding::new(
            "name-ocr",
            Severity::Warning,
            Span::new(at, at + 2),
            "`II` is an OCR error for `Il`, \"quoted\" <b> & 100%",
        )
        .with_related(Span::new(note, note + 4), "the note")
        .with_fix(Fix {
            title: "Replace with `Il`".into(),
            edits: vec![Edit {
                span: Span::new(at, at + 2),
                new_text: "Il".into(),
            }],
            safe: true,
        }),
        Finding::new(
            "analysis-limited",
            Severity::Hint,
            Span::new(0, 0),
            "line one\nline two",
        ),
    ];
    let diagnostics = convert(text, &lines, &findings);
    Report {
        files: vec![FileReport {
            path: "dir/a b.md".into(),
            text: Arc::from(text),
            lines,
            diagnostics,
            fixed: 0,
        }],
        problems: vec![PathProblem {
            path: "bad.md".into(),
            kind: ProblemKind::NotUtf8 { offset: 7 },
        }],
        threshold: Severity::Error,
        docs_url: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Edit, Fix};

    #[test]
    fn converts_to_one_based_char_columns() {
        let text = "Sŏul 😀 x\r\nnext";
        let lines = LineIndex::new(text);
        let x = text.find('x').unwrap_or(0);
        let f = Finding::new("t", Severity::Warning, Span::new(x, x + 1), "m").with_fix(Fix {
            title: "t".into(),
            edits: vec![Edit {
                span: Span::new(x + 3, x + 7),
                new_text: "N".into(),
            }],
            safe: true,
        });
        let d = convert(text, &lines, &[f]);
        assert_eq!(d[0].range.start, Pos { line: 1, column: 8 });
        assert_eq!(d[0].range.end, Pos { line: 1, column: 9 });
        assert_eq!(
            d[0].fixes[0].edits[0].range,
            Range {
                start: Pos { line: 2, column: 1 },
                end: Pos { line: 2, column: 5 }
            }
        );
    }

    #[test]
    fn threshold_is_inclusive() {
        assert!(reaches(Severity::Error, Severity::Warning));
        assert!(reaches(Severity::Warning, Severity::Warning));
        assert!(!reaches(Severity::Info, Severity::Warning));
        assert!(reaches(Severity::Hint, Severity::Hint));
    }

    #[test]
    fn engine_codes_are_known() {
        assert!(known_rules().iter().any(|r| r.code == "analysis-limited"));
    }
}
