//! `--format human`: each finding as a source snippet with its span underlined, its
//! code, its message and the fix on offer, rendered by annotate-snippets; then a
//! summary line.
//!
//! Snippets are cut to the lines a finding touches, so rendering costs the size of
//! those lines, not of the document. Line ends (`\n`, `\r\n`, lone `\r`) are those of
//! [`crate::position::LineIndex`], so the line numbers shown are those of every other
//! output.

use super::{Diagnostic, FileReport, PathProblem, Report, Summary, WriteOptions, reaches};
use crate::finding::{Severity, Span};
use crate::position::LineIndex;
use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Origin, Patch, Renderer, Snippet};
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::{self, Write};

/// The most lines a fix may span for its replacement to be shown as a patch.
const MAX_PATCH_LINES: usize = 6;
/// A line longer than this (in bytes) is cut around a fix's edits in the patch.
const LONG_LINE: usize = 120;
/// How much context (in bytes, rounded to characters) an excerpt keeps on each side.
const EXCERPT_CONTEXT: usize = 40;
/// A source line longer than this (in bytes) is shown as an excerpt around the span:
/// rendering then costs a window around it, not the line (issue #14: 17.7 s for the
/// findings of one 1 MB line).
const VERY_LONG_LINE: usize = 4096;

/// The window a span is shown in, its first line, and whether it is an excerpt of a
/// very long line.
fn window_around(text: &str, idx: &LineIndex, span: Span) -> (Window, usize, bool) {
    let (first, last) = line_range(idx, span);
    let (s, e) = idx.line_content(text, first);
    if first == last && e - s > VERY_LONG_LINE {
        (
            Window::excerpt(text, idx, first, span.start, span.end),
            first,
            true,
        )
    } else {
        (Window::new(text, idx, first, last), first, false)
    }
}

pub fn write(report: &Report, opts: WriteOptions, out: &mut dyn Write) -> io::Result<()> {
    let rendering = Rendering::new(report, opts.color);
    let rendered: Vec<Vec<Option<String>>> = report
        .files
        .par_iter()
        .map(|f| {
            // Within a file too: one large file's findings are most of the drawing.
            f.diagnostics
                .par_iter()
                .with_min_len(16)
                .map(|d| {
                    (!opts.quiet || reaches(d.severity, report.threshold))
                        .then(|| rendering.diagnostic(f, d))
                })
                .collect()
        })
        .collect();
    write_rendered(report, &rendered, false, out)
}

/// The human format from diagnostics already rendered ([`Rendering::diagnostic`]): for
/// each file of `report`, one entry per diagnostic, `None` for one left out. With
/// `quiet`, only the diagnostics that fail the run are written, whatever was drawn
/// (`check --quiet` draws every diagnostic when it keeps them in the cache, so that
/// the next run, quiet or not, is written from the cache).
pub fn write_rendered(
    report: &Report,
    rendered: &[Vec<Option<String>>],
    quiet: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    for (f, drawn) in report.files.iter().zip(rendered) {
        for (d, r) in f.diagnostics.iter().zip(drawn) {
            let Some(r) = r else { continue };
            if quiet && !reaches(d.severity, report.threshold) {
                continue;
            }
            out.write_all(r.as_bytes())?;
            out.write_all(b"\n\n")?;
        }
    }
    writeln!(out, "{}", summary_line(report))
}

/// Renders the diagnostics of a report's files, places in other files included.
pub struct Rendering<'r> {
    renderer: Renderer,
    by_path: HashMap<&'r str, &'r FileReport>,
}

impl<'r> Rendering<'r> {
    pub fn new(report: &'r Report, color: bool) -> Rendering<'r> {
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        }
        .decor_style(DecorStyle::Ascii);
        // The first file of a path, as a search in order would find it.
        let mut by_path = HashMap::new();
        for f in &report.files {
            by_path.entry(f.path.as_str()).or_insert(f);
        }
        Rendering { renderer, by_path }
    }

    /// Diagnostic `d` of file `f` as shown (without the blank line that follows it).
    pub fn diagnostic(&self, f: &FileReport, d: &Diagnostic) -> String {
        render(&self.renderer, f, d, &|p| self.by_path.get(p).copied())
    }
}

/// `Checked 3 files: 1 error, 2 warnings.` and what `--fix` can do or did.
pub fn summary_line(report: &Report) -> String {
    let fixed: usize = report.files.iter().map(|f| f.fixed).sum();
    let in_files = report.files.iter().filter(|f| f.fixed > 0).count();
    let fixable = report
        .files
        .iter()
        .flat_map(|f| &f.diagnostics)
        .filter(|d| d.fixes.iter().any(|x| x.safe))
        .count();
    summary_line_of(
        report.summary(),
        &report.problems,
        (fixed, in_files),
        fixable,
    )
}

/// [`summary_line`] from its parts: the counts by severity, the paths that could not
/// be checked, how many fixes `--fix` applied in how many files, and how many
/// diagnostics have a safe fix.
pub fn summary_line_of(
    s: Summary,
    problems: &[PathProblem],
    (fixed, in_files): (usize, usize),
    fixable: usize,
) -> String {
    let files = plural(s.files, "file", "files");
    let mut parts = Vec::new();
    for (n, one, many) in [
        (s.errors, "error", "errors"),
        (s.warnings, "warning", "warnings"),
        (s.infos, "info", "infos"),
        (s.hints, "hint", "hints"),
    ] {
        if n > 0 {
            parts.push(plural(n, one, many));
        }
    }
    let failed = problems.iter().filter(|p| p.is_fatal()).count();
    let skipped = problems.len() - failed;
    let mut line = if parts.is_empty() && problems.is_empty() {
        format!("Checked {files}: no problems found.")
    } else if parts.is_empty() {
        format!("Checked {files}: no findings.")
    } else {
        format!("Checked {files}: {}.", parts.join(", "))
    };
    if skipped > 0 {
        line.push_str(&format!(
            " Skipped {} (binary or not UTF-8).",
            plural(skipped, "file", "files")
        ));
    }
    if failed > 0 {
        line.push_str(&format!(
            " Failed: {} (see standard error).",
            plural(failed, "path or setting", "paths or settings")
        ));
    }
    if fixed > 0 {
        line.push_str(&format!(
            " Fixed {} in {}.",
            plural(fixed, "problem", "problems"),
            plural(in_files, "file", "files")
        ));
    }
    if fixable > 0 {
        line.push_str(&format!(
            " {} can be fixed with `annalist check --fix`.",
            plural(fixable, "problem", "problems")
        ));
    }
    line
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn level(s: Severity) -> Level<'static> {
    match s {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
        Severity::Hint => Level::HELP.with_name("hint"),
    }
}

/// A run of whole lines of a text, with `\n` as the only line end, and the map from
/// the text's byte offsets into it.
struct Window {
    text: String,
    first_line: usize,
    /// For each line of the window: (start of its content in the document, end of
    /// its content in the document, start in the window).
    lines: Vec<(usize, usize, usize)>,
}

impl Window {
    fn new(text: &str, idx: &LineIndex, first: usize, last: usize) -> Window {
        let mut w = Window {
            text: String::new(),
            first_line: first,
            lines: Vec::new(),
        };
        for l in first..=last.max(first) {
            let (s, e) = idx.line_content(text, l);
            if l > first {
                w.text.push('\n');
            }
            let at = w.text.len();
            w.text.push_str(text.get(s..e).unwrap_or(""));
            w.lines.push((s, e, at));
        }
        w
    }

    /// A document offset inside the window's lines, as a window offset. Offsets inside
    /// a line terminator clamp to the end of the line's content.
    /// Part of one line, `[lo, hi)`, marked `...` where cut; for patches on long lines.
    fn excerpt(text: &str, idx: &LineIndex, line: usize, lo: usize, hi: usize) -> Window {
        let (s, e) = idx.line_content(text, line);
        let mut lo = lo.saturating_sub(EXCERPT_CONTEXT).max(s);
        while lo > s && !text.is_char_boundary(lo) {
            lo -= 1;
        }
        let mut hi = hi.saturating_add(EXCERPT_CONTEXT).min(e).max(lo);
        while hi < e && !text.is_char_boundary(hi) {
            hi += 1;
        }
        let mut w = Window {
            text: String::new(),
            first_line: line,
            lines: Vec::new(),
        };
        if lo > s {
            w.text.push_str("...");
        }
        let at = w.text.len();
        w.text.push_str(text.get(lo..hi).unwrap_or(""));
        if hi < e {
            w.text.push_str("...");
        }
        w.lines.push((lo, hi, at));
        w
    }

    /// An offset inside a character moves back to the character's start.
    fn map(&self, text: &str, idx: &LineIndex, offset: usize) -> Option<usize> {
        let l = idx.line_of(offset);
        let i = l.checked_sub(self.first_line)?;
        let &(s, e, at) = self.lines.get(i)?;
        let mut o = offset.clamp(s, e);
        while o > s && !text.is_char_boundary(o) {
            o -= 1;
        }
        Some(at + (o - s))
    }

    fn map_span(&self, text: &str, idx: &LineIndex, span: Span) -> Option<std::ops::Range<usize>> {
        let a = self.map(text, idx, span.start)?;
        let b = self.map(text, idx, span.end.max(span.start))?;
        Some(a..b.max(a))
    }
}

/// First and last line a span covers (a span ending just after a line break does not
/// cover the next line).
fn line_range(idx: &LineIndex, span: Span) -> (usize, usize) {
    let first = idx.line_of(span.start);
    let mut last = idx.line_of(span.end.max(span.start));
    if span.end > span.start && last > first && idx.line_start(last) == span.end {
        last -= 1;
    }
    (first, last)
}

fn render<'r>(
    renderer: &Renderer,
    f: &FileReport,
    d: &Diagnostic,
    file: &dyn Fn(&str) -> Option<&'r FileReport>,
) -> String {
    let text: &str = &f.text;
    let idx = &f.lines;
    let (first, last) = line_range(idx, d.span);
    let (win, _, excerpt) = window_around(text, idx, d.span);
    let primary = win
        .map_span(text, idx, d.span)
        .map(|r| AnnotationKind::Primary.span(r))
        .unwrap_or_else(|| AnnotationKind::Primary.span(0..0));
    let mut main = Snippet::source(win.text.as_str())
        .line_start(first + 1)
        .fold(true)
        .annotation(primary);
    if !excerpt {
        main = main.path(f.path.as_str());
    }
    let mut far_related = Vec::new();
    // Places in other files, with those files' text.
    let mut elsewhere = Vec::new();
    for r in &d.related {
        if let Some(p) = &r.path {
            if let Some(of) = file(p) {
                let (w, rf, _) = window_around(&of.text, &of.lines, r.span);
                elsewhere.push((r, of, w, rf));
            }
            continue;
        }
        let (rf, rl) = line_range(idx, r.span);
        let inside = win
            .lines
            .first()
            .zip(win.lines.last())
            .is_some_and(|(a, b)| r.span.start >= a.0 && r.span.end <= b.1);
        if rf >= first
            && rl <= last
            && (inside || !excerpt)
            && let Some(range) = win.map_span(text, idx, r.span)
        {
            main = main.annotation(
                AnnotationKind::Context
                    .span(range)
                    .label(r.message.as_str()),
            );
            continue;
        }
        let (w, rf, _) = window_around(text, idx, r.span);
        far_related.push((r, w, rf));
    }
    let title = level(d.severity)
        .primary_title(d.message.as_str())
        .id(d.code);
    let mut group = if excerpt {
        // The excerpt's columns are not the line's: give the place explicitly.
        title
            .element(
                Origin::path(f.path.as_str())
                    .line(d.range.start.line as usize)
                    .char_column(d.range.start.column as usize),
            )
            .element(main)
    } else {
        title.element(main)
    };
    for (r, w, rf) in &far_related {
        if let Some(range) = w.map_span(text, idx, r.span) {
            group = group.element(
                Snippet::source(w.text.as_str())
                    .line_start(rf + 1)
                    .path(f.path.as_str())
                    .fold(true)
                    .annotation(
                        AnnotationKind::Context
                            .span(range)
                            .label(r.message.as_str()),
                    ),
            );
        }
    }
    for (r, of, w, rf) in &elsewhere {
        if let Some(range) = w.map_span(&of.text, &of.lines, r.span) {
            group = group.element(
                Snippet::source(w.text.as_str())
                    .line_start(rf + 1)
                    .path(of.path.as_str())
                    .fold(true)
                    .annotation(
                        AnnotationKind::Context
                            .span(range)
                            .label(r.message.as_str()),
                    ),
            );
        }
    }
    let mut report: Vec<Group> = vec![group];

    // Fix windows must outlive the report that borrows them.
    let fix_windows: Vec<Option<(Window, usize)>> = d
        .fixes
        .iter()
        .map(|fx| {
            let start = fx.edits.iter().map(|e| e.span.start).min()?;
            let end = fx
                .edits
                .iter()
                .map(|e| e.span.end.max(e.span.start))
                .max()?;
            let (a, b) = line_range(idx, Span::new(start, end));
            let (s, e) = idx.line_content(text, a);
            if a == b && e - s > LONG_LINE {
                // On a very long line, a fix spread over more than a window (a
                // "replace all" on a one-line megabyte) is named, not drawn: drawing
                // it costs the line times its edits (issue #14).
                let spread = end - start;
                (e - s <= VERY_LONG_LINE || spread <= VERY_LONG_LINE)
                    .then(|| (Window::excerpt(text, idx, a, start, end), a))
            } else if b - a >= MAX_PATCH_LINES {
                None
            } else {
                let w = Window::new(text, idx, a, b);
                let long = w.lines.iter().any(|&(s, e, _)| e - s > LONG_LINE);
                (!long).then_some((w, a))
            }
        })
        .collect();
    for (fx, w) in d.fixes.iter().zip(&fix_windows) {
        let mut title = fx.title.clone();
        if fx.safe {
            title.push_str(" (safe: `--fix` applies it)");
        }
        let g = Level::HELP.secondary_title(title);
        if let Some((w, a)) = w {
            let patches: Option<Vec<Patch>> = fx
                .edits
                .iter()
                .map(|e| {
                    let r = w.map_span(text, idx, e.span)?;
                    Some(Patch::new(r, e.new_text.as_str()))
                })
                .collect();
            if let Some(patches) = patches.filter(|p| !p.is_empty()) {
                report.push(
                    g.element(
                        Snippet::source(w.text.as_str())
                            .line_start(a + 1)
                            .path(f.path.as_str())
                            .patches(patches),
                    ),
                );
                continue;
            }
        }
        report.push(Group::with_title(g));
    }
    renderer.render(&report)
}

#[cfg(test)]
mod tests_support {
    use super::*;
    use crate::cli::output::convert;
    use crate::finding::Finding;
    use std::sync::Arc;

    pub fn file(text: &str, findings: Vec<Finding>) -> FileReport {
        let lines = LineIndex::new(text);
        let diagnostics = convert(text, &lines, &findings);
        FileReport {
            path: "doc.md".into(),
            text: Arc::from(text),
            lines,
            diagnostics,
            fixed: 0,
        }
    }

    pub fn render_one(f: &FileReport) -> String {
        let renderer = Renderer::plain().decor_style(DecorStyle::Ascii);
        f.diagnostics
            .iter()
            .map(|d| render(&renderer, f, d, &|_| None))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::tests_support::*;
    use super::*;
    use crate::finding::{Edit, Finding, Fix};

    #[test]
    fn shows_the_line_the_span_and_the_fix() {
        let text = "# T\r\n\r\nKim II Sung came.\rNext line.\n";
        let at = text.find("II").unwrap_or(0);
        let f = Finding::new(
            "name-ocr",
            Severity::Warning,
            Span::new(at, at + 2),
            "OCR error",
        )
        .with_fix(Fix {
            title: "Replace with `Il`".into(),
            edits: vec![Edit {
                span: Span::new(at, at + 2),
                new_text: "Il".into(),
            }],
            safe: true,
        });
        let out = render_one(&file(text, vec![f]));
        assert!(out.contains("warning[name-ocr]: OCR error"), "{out}");
        assert!(out.contains("doc.md:3:5"), "{out}");
        assert!(out.contains("3 | Kim II Sung came."), "{out}");
        assert!(!out.contains("Next line"), "{out}");
        assert!(out.contains("Replace with `Il`"), "{out}");
        assert!(out.contains("Kim Il Sung"), "{out}");
    }

    #[test]
    fn odd_spans_never_panic() {
        let texts = ["", "\n", "é", "a\r", "x\n\ny", "😀😀\r\n😀"];
        for t in texts {
            let mut fs = Vec::new();
            for s in 0..=t.len() + 1 {
                for e in [s, s + 1, t.len(), t.len() + 3] {
                    fs.push(
                        Finding::new("c", Severity::Hint, Span::new(s, e), "m")
                            .with_related(Span::new(e, s), "r")
                            .with_fix(Fix {
                                title: "f".into(),
                                edits: vec![Edit {
                                    span: Span::new(s, e),
                                    new_text: "z\n".into(),
                                }],
                                safe: false,
                            }),
                    );
                }
            }
            let _ = render_one(&file(t, fs));
        }
    }

    #[test]
    fn multi_line_spans_and_distant_related_places() {
        let text = "one\ntwo [^1]\nthree\nfour\nfive\nsix\nseven\n\n[^1]: note\n";
        let m = text.find("[^1]").unwrap_or(0);
        let d = text.rfind("[^1]").unwrap_or(0);
        let f = Finding::new("dup", Severity::Error, Span::new(0, 8), "spans two lines")
            .with_related(Span::new(d, d + 4), "defined here")
            .with_related(Span::new(m, m + 4), "cited here");
        let out = render_one(&file(text, vec![f]));
        assert!(out.contains("error[dup]"), "{out}");
        assert!(
            out.contains("doc.md:9:1") && out.contains("[^1]: note"),
            "{out}"
        );
        assert!(
            out.contains("defined here") && out.contains("cited here"),
            "{out}"
        );
    }
}

#[cfg(test)]
mod long_line_tests {
    use super::tests_support::*;
    use super::*;
    use crate::finding::{Edit, Finding, Fix};

    #[test]
    fn long_prose_lines_are_cut_around_the_span() {
        let para =
            "In the beginning of 1949 the Soviet embassy began to alert the Kremlin. ".repeat(12);
        let text = format!("# T\n\n{para}Kim II Sung said so. {para}\n");
        let at = text.find("II").unwrap_or(0);
        let f = Finding::new(
            "name-ocr",
            Severity::Warning,
            Span::new(at, at + 2),
            "OCR error",
        )
        .with_fix(Fix {
            title: "Replace with `Il`".into(),
            edits: vec![Edit {
                span: Span::new(at, at + 2),
                new_text: "Il".into(),
            }],
            safe: true,
        });
        let out = render_one(&file(&text, vec![f]));
        assert!(out.contains("Kim II Sung"), "{out}");
        assert!(
            out.contains("3 + ...") && out.contains("Kim Il Sung said so."),
            "{out}"
        );
        assert!(out.lines().all(|l| l.chars().count() <= 160), "{out}");
    }

    #[test]
    fn very_long_lines_are_shown_as_an_excerpt_with_the_true_place() {
        let para = "Soviet embassy reports, ".repeat(400);
        let text = format!("# T\n\n{para}Kim II Sung said so. {para}\n");
        let at = text.find("II").unwrap_or(0);
        let f = Finding::new("name-ocr", Severity::Warning, Span::new(at, at + 2), "OCR");
        let out = render_one(&file(&text, vec![f]));
        let col = text[..at].rfind('\n').map_or(at, |n| at - n - 1) + 1;
        assert!(out.contains(&format!("doc.md:3:{col}")), "{out}");
        assert!(out.contains("Kim II Sung"), "{out}");
        assert!(out.len() < 2000, "{out}");
    }
}
