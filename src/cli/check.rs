//! `annalist check`: the editor's judgement over many files, for CI.
//!
//! Exit status: 0 when no finding reaches the failure threshold (`error`, lowered by
//! `--deny`); 1 when one does (with `--diff`: when a file would change); 2 on a usage
//! error, a broken configuration, or a path that is missing or unreadable — reported
//! after every other file. A file that is not UTF-8 is reported on standard error and
//! skipped; it does not change the exit status.

use super::fix;
use super::output::{self, FileReport, Format, PathProblem, ProblemKind, Report, WriteOptions};
use super::walk::{self, Entry, Excluder};
use crate::analysis;
use crate::config::{self, Config, Level};
use crate::facts::{Analysis, Context, Knowledge};
use crate::finding::Severity;
use clap::{Args, ValueEnum};
use rayon::prelude::*;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The lowest severity that fails the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Deny {
    #[value(alias = "error")]
    Errors,
    #[value(alias = "warning")]
    Warnings,
    #[value(alias = "infos")]
    Info,
    #[value(alias = "hint")]
    Hints,
}

impl Deny {
    pub fn threshold(self) -> Severity {
        match self {
            Deny::Errors => Severity::Error,
            Deny::Warnings => Severity::Warning,
            Deny::Info => Severity::Info,
            Deny::Hints => Severity::Hint,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when standard output is a terminal and NO_COLOR is unset or empty.
    Auto,
    Always,
    Never,
}

#[derive(Args, Debug, Clone)]
#[command(
    after_help = "Exit status: 0 nothing reaches the threshold; 1 something does (--diff: a file would change); 2 usage error, broken configuration, or a missing/unreadable path (reported after every other file)."
)]
pub struct CheckArgs {
    /// Files and directories to check (default: the current directory); `-` reads
    /// standard input.
    pub paths: Vec<PathBuf>,

    /// Use this configuration file instead of the annalist.toml found by walking up
    /// from the current directory.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Fail (exit 1) on findings of this severity or worse (default: errors).
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub deny: Option<Deny>,

    /// Apply safe fixes and write the files back (atomically); report what remains.
    #[arg(long)]
    pub fix: bool,

    /// Print a unified diff of what --fix would change, write nothing; exit 1 if
    /// anything would change.
    #[arg(long)]
    pub diff: bool,

    /// With --fix or --diff: apply unsafe fixes too (they may change a source's words).
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// Set a rule's severity for this run: CODE=error|warning|info|hint|off (repeatable).
    #[arg(long = "rule", value_name = "CODE=SEVERITY")]
    pub rules: Vec<String>,

    /// Human format: show only findings that fail the run, and the summary.
    #[arg(long, short)]
    pub quiet: bool,

    /// Print how many findings each rule produced.
    #[arg(long)]
    pub statistics: bool,

    /// Check only shard I of N of the sorted file list (round-robin), e.g. 2/4.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,

    /// The name to report for standard input (`-`); also matched against `exclude`.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,

    /// When to colour the human format. An explicit `always` or `never` beats NO_COLOR.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// The one place `check` builds its knowledge of the world from a configuration: the
/// embedded gazetteer plus the project's `gazetteers` files, and the problems met
/// loading them.
pub fn knowledge_for(config: &Config, config_dir: &Path) -> (Knowledge, Vec<config::FileProblem>) {
    Knowledge::for_project(config_dir, config)
}

fn usage(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("annalist check: {msg}");
    ExitCode::from(2)
}

/// Every code `--rule` and `[rules]` accept.
pub fn known_codes() -> Vec<&'static str> {
    output::known_rules().iter().map(|r| r.code).collect()
}

/// Apply `--rule CODE=SEVERITY` overrides to `config`.
pub fn apply_rule_overrides(config: &mut Config, overrides: &[String]) -> Result<(), String> {
    let codes = known_codes();
    for o in overrides {
        let Some((code, level)) = o.split_once('=') else {
            return Err(format!(
                "--rule takes CODE=SEVERITY (error, warning, info, hint, off); got `{o}`"
            ));
        };
        let code = code.trim();
        if !codes.contains(&code) {
            return Err(format!(
                "--rule: no rule has the code `{code}`{}; the codes are: {}",
                suggest(code, &codes)
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default(),
                codes.join(", ")
            ));
        }
        let Some(level) = Level::parse(level) else {
            return Err(format!(
                "--rule {code}: `{level}` is not a severity (error, warning, info, hint, off)"
            ));
        };
        config.rules.insert(code.to_string(), level);
    }
    Ok(())
}

/// The known code closest to `code`, if any is close.
pub fn suggest<'a>(code: &str, codes: &[&'a str]) -> Option<&'a str> {
    let c = code.to_ascii_lowercase();
    if c.is_empty() {
        return None;
    }
    codes
        .iter()
        .map(|k| (distance(&c, k), *k))
        .filter(|(d, k)| *d <= 3.max(k.len() / 3) || k.contains(c.as_str()))
        .min()
        .map(|(_, k)| k)
}

/// Levenshtein distance in characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

/// One file's outcome.
enum Outcome {
    Checked {
        report: FileReport,
        /// With --fix/--diff: the original and the fixed text, when they differ.
        change: Option<(String, String)>,
        bom: bool,
        path: Option<PathBuf>,
        /// How the file spells the gazetteer's names, for the comparison across files.
        names: crate::facts::NameIndex,
    },
    Problem(PathProblem),
}

const BOM: &str = "\u{FEFF}";

fn check_one(
    entry: &Entry,
    stdin: Option<&[u8]>,
    ctx: &Context,
    fixing: bool,
    unsafe_fixes: bool,
    kind: Option<crate::kind::DocKind>,
) -> Outcome {
    let bytes: Vec<u8> = match (&entry.path, stdin) {
        (Some(p), _) => match std::fs::read(p) {
            Ok(b) => b,
            Err(e) => {
                return Outcome::Problem(PathProblem {
                    path: entry.display.clone(),
                    kind: ProblemKind::Unreadable(e.to_string()),
                });
            }
        },
        (None, Some(b)) => b.to_vec(),
        (None, None) => Vec::new(),
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            return Outcome::Problem(PathProblem {
                path: entry.display.clone(),
                kind: ProblemKind::NotUtf8 {
                    offset: e.utf8_error().valid_up_to(),
                },
            });
        }
    };
    let (bom, text) = match text.strip_prefix(BOM) {
        Some(rest) => (true, rest.to_string()),
        None => (false, text),
    };
    let run = |t: &str| analysis::analyze_as(Arc::from(t), None, ctx, kind);
    let (a, applied, change): (Analysis, usize, Option<(String, String)>) = if fixing {
        let original = text.clone();
        let fixed = fix::fix_loop_with(
            text,
            run,
            |a: &Analysis| a.findings.as_slice(),
            unsafe_fixes,
        );
        let change = (fixed.text != original).then_some((original, fixed.text));
        (fixed.analysis, fixed.applied, change)
    } else {
        (run(&text), 0, None)
    };
    let diagnostics = output::convert(&a.text, &a.lines, &a.findings);
    Outcome::Checked {
        report: FileReport {
            path: entry.display.clone(),
            text: a.text.clone(),
            lines: a.lines.clone(),
            diagnostics,
            fixed: applied,
        },
        change,
        bom,
        path: entry.path.clone(),
        names: a.names,
    }
}

pub fn run(args: CheckArgs) -> ExitCode {
    match run_inner(args) {
        Ok(code) => code,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::from(2),
        Err(e) => usage(e),
    }
}

fn run_inner(mut args: CheckArgs) -> io::Result<ExitCode> {
    let cwd = std::env::current_dir()?;

    // Configuration.
    let loaded = match &args.config {
        Some(p) => config::load_file(p),
        None => config::load_for(&cwd),
    };
    if !loaded.problems.is_empty() {
        for p in &loaded.problems {
            eprintln!("annalist: {p}");
        }
        return Ok(ExitCode::from(2));
    }
    let mut config = loaded.config;
    let codes = known_codes();
    for code in config.rules.keys() {
        if !codes.contains(&code.as_str()) {
            eprintln!(
                "annalist: warning: {}: [rules] names no known rule `{code}` (ignored); `annalist rules` lists them",
                loaded
                    .path
                    .as_deref()
                    .map(walk::display)
                    .unwrap_or_else(|| "annalist.toml".into())
            );
        }
    }
    if let Err(e) = apply_rule_overrides(&mut config, &args.rules) {
        return Ok(usage(e));
    }
    let config_dir = loaded
        .path
        .as_deref()
        .and_then(Path::parent)
        .map(|d| walk::normalize(&cwd, d))
        .unwrap_or_else(|| cwd.clone());
    let excluder = match Excluder::new(&config_dir, &cwd, &config.exclude) {
        Ok(x) => x,
        Err(e) => {
            let file = loaded
                .path
                .as_deref()
                .map(walk::display)
                .unwrap_or_else(|| "annalist.toml".into());
            eprintln!("annalist: {file}: {e}");
            return Ok(ExitCode::from(2));
        }
    };

    // Files.
    if args.paths.is_empty() {
        args.paths
            .push(PathBuf::from(if args.stdin_filename.is_some() {
                "-"
            } else {
                "."
            }));
    }
    let reads_stdin = args.paths.iter().any(|p| p.as_os_str() == "-");
    if reads_stdin && args.shard.is_some() {
        return Ok(usage(
            "--shard cannot be combined with `-` (standard input)",
        ));
    }
    let shard = match args.shard.as_deref().map(walk::parse_shard).transpose() {
        Ok(s) => s,
        Err(e) => return Ok(usage(e)),
    };
    let mut walked = walk::collect(
        &args.paths,
        &config.extensions,
        &excluder,
        args.stdin_filename.as_deref(),
    );
    for w in &walked.warnings {
        eprintln!("annalist: warning: {w}");
    }
    if let Some((i, n)) = shard {
        walked.entries = walk::shard(walked.entries, i, n);
    }
    let stdin_bytes = if reads_stdin && walked.entries.iter().any(|e| e.path.is_none()) {
        let mut b = Vec::new();
        io::stdin().read_to_end(&mut b)?;
        Some(b)
    } else {
        None
    };

    // Analysis, in parallel; results keep the sorted order.
    let (knowledge, problems) = knowledge_for(&config, &config_dir);
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("annalist: {p}");
        }
        return Ok(ExitCode::from(2));
    }
    let ctx = Context {
        config: &config,
        knowledge: &knowledge,
    };
    let fixing = args.fix || args.diff;
    let total = walked.entries.len();
    let progress = !args.quiet && total > 50 && io::stderr().is_terminal();
    let done = AtomicUsize::new(0);
    let outcomes: Vec<Outcome> = walked
        .entries
        .par_iter()
        .map(|e| {
            // A bug in one rule must not hide the other files' results.
            let o = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                // The kind `[kinds]` gives the file's path (relative to the config's directory).
                let kind = e.path.as_deref().and_then(|p| {
                    let abs = walk::normalize(&cwd, p);
                    let rel = abs
                        .strip_prefix(&config_dir)
                        .ok()?
                        .to_string_lossy()
                        .replace('\\', "/");
                    config.kind_for(&rel)
                });
                check_one(
                    e,
                    stdin_bytes.as_deref(),
                    &ctx,
                    fixing,
                    args.unsafe_fixes,
                    kind,
                )
            }))
            .unwrap_or_else(|panic| {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "panic".to_string());
                Outcome::Problem(PathProblem {
                    path: e.display.clone(),
                    kind: ProblemKind::Internal(what),
                })
            });
            if progress {
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                if n.is_multiple_of(20) || n == total {
                    eprint!("\r\x1b[Kannalist: checked {n}/{total} files");
                }
            }
            o
        })
        .collect();
    if progress {
        eprint!("\r\x1b[K");
    }

    // Names compared across the files of this run; their findings join each file's.
    let mut outcomes = outcomes;
    across_files(&mut outcomes, &ctx);

    // Fixes: write back (or collect diffs).
    let mut problems = walked.problems;
    let mut files = Vec::new();
    let mut diffs = Vec::new();
    let mut fixed_stdin: Option<String> = None;
    let mut changed_files = Vec::new();
    for o in outcomes {
        match o {
            Outcome::Problem(p) => problems.push(p),
            Outcome::Checked {
                report,
                change,
                bom,
                path,
                names: _,
            } => {
                if let Some((old, new)) = change {
                    if args.diff {
                        diffs.push(fix::unified_diff(&report.path, &old, &new));
                    } else if let Some(p) = &path {
                        let mut out = String::with_capacity(new.len() + 3);
                        if bom {
                            out.push_str(BOM);
                        }
                        out.push_str(&new);
                        if let Err(e) = fix::write_atomic(p, out.as_bytes()) {
                            problems.push(PathProblem {
                                path: report.path.clone(),
                                kind: ProblemKind::WriteFailed(e.to_string()),
                            });
                        } else {
                            changed_files.push((report.path.clone(), report.fixed));
                        }
                    } else {
                        fixed_stdin = Some(if bom { format!("{BOM}{new}") } else { new });
                    }
                } else if args.fix && path.is_none() && !args.diff {
                    fixed_stdin = Some(report.text.to_string());
                }
                files.push(report);
            }
        }
    }
    let threshold = args.deny.map(Deny::threshold).unwrap_or(Severity::Error);
    let report = Report {
        files,
        problems,
        threshold,
    };

    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let fatal = report.problems.iter().any(PathProblem::is_fatal);

    if args.diff {
        for d in &diffs {
            out.write_all(d.as_bytes())?;
        }
        out.flush()?;
        report_problems(&report.problems);
        let changes = diffs.len();
        if !args.quiet {
            eprintln!(
                "annalist: {changes} of {} would be changed by --fix",
                plural(report.files.len(), "checked file", "checked files")
            );
        }
        return Ok(exit(fatal, changes > 0));
    }

    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let opts = WriteOptions {
        color,
        quiet: args.quiet,
    };
    if let Some(fixed) = &fixed_stdin {
        // The fixed document goes to standard output; the report to standard error.
        out.write_all(fixed.as_bytes())?;
        out.flush()?;
        let mut err = io::stderr().lock();
        output::write(
            &report,
            args.format,
            WriteOptions {
                color: false,
                ..opts
            },
            &mut err,
        )?;
    } else {
        output::write(&report, args.format, opts, &mut out)?;
        out.flush()?;
    }
    if args.fix && !args.quiet {
        for (p, n) in &changed_files {
            eprintln!("annalist: fixed {p} ({})", plural(*n, "fix", "fixes"));
        }
    }
    if args.statistics {
        let table = statistics(&report);
        if args.format == Format::Human && fixed_stdin.is_none() {
            out.write_all(table.as_bytes())?;
            out.flush()?;
        } else {
            eprint!("{table}");
        }
    }
    report_problems(&report.problems);
    Ok(exit(fatal, report.fails()))
}

/// Compare the names of every checked file ([`crate::workspace`]) and add what the
/// comparison finds to each file's report.
fn across_files(outcomes: &mut [Outcome], ctx: &Context) {
    let checked: Vec<(usize, &FileReport, &crate::facts::NameIndex)> = outcomes
        .iter()
        .enumerate()
        .filter_map(|(i, o)| match o {
            Outcome::Checked { report, names, .. } => Some((i, report, names)),
            Outcome::Problem(_) => None,
        })
        .collect();
    if checked.len() < 2 {
        return;
    }
    let docs: Vec<crate::workspace::Doc> = checked
        .iter()
        .map(|(_, r, n)| crate::workspace::Doc {
            path: &r.path,
            text: &r.text,
            names: n,
        })
        .collect();
    let found = crate::workspace::findings(&docs, ctx);
    let resolve = |p: &str, span: crate::finding::Span| {
        checked
            .iter()
            .find(|(_, r, _)| r.path == p)
            .map(|(_, r, _)| output::range_of(&r.text, &r.lines, span))
    };
    let extra: Vec<(usize, Vec<output::Diagnostic>)> = checked
        .iter()
        .zip(found)
        .filter(|(_, f)| !f.is_empty())
        .map(|((i, r, _), f)| (*i, output::convert_with(&r.text, &r.lines, &f, &resolve)))
        .collect();
    for (i, diags) in extra {
        if let Some(Outcome::Checked { report, .. }) = outcomes.get_mut(i) {
            report.diagnostics.extend(diags);
            report.diagnostics.sort_by(|x, y| {
                (x.span.start, x.span.end, x.code).cmp(&(y.span.start, y.span.end, y.code))
            });
        }
    }
}

fn exit(fatal: bool, fails: bool) -> ExitCode {
    if fatal {
        ExitCode::from(2)
    } else if fails {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn report_problems(problems: &[PathProblem]) {
    for p in problems {
        let kind = if p.is_fatal() { "error" } else { "warning" };
        eprintln!("annalist: {kind}: {}: {}", p.path, p.message());
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `--statistics`: one line per code, most frequent first.
pub fn statistics(report: &Report) -> String {
    let mut rows: Vec<_> = report.statistics().into_iter().collect();
    rows.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(b.0)));
    let mut s = String::new();
    for (code, (count, sev, fixable)) in &rows {
        let mut line = format!("{count:>6}  {code:<32} {:<8}", sev.as_str());
        if *fixable > 0 {
            line.push_str(&format!(" {fixable} fixable"));
        }
        s.push_str(line.trim_end());
        s.push('\n');
    }
    if rows.is_empty() {
        s.push_str("no findings\n");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_overrides_validate_codes_and_levels() {
        let mut c = Config::default();
        assert!(apply_rule_overrides(&mut c, &["analysis-limited=error".into()]).is_ok());
        assert_eq!(c.level("analysis-limited"), Some(Level::Error));
        let e = apply_rule_overrides(&mut c, &["analysis-limimted=off".into()]).err();
        let e = e.unwrap_or_default();
        assert!(e.contains("did you mean `analysis-limited`"), "{e}");
        assert!(apply_rule_overrides(&mut c, &["analysis-limited=loud".into()]).is_err());
        assert!(apply_rule_overrides(&mut c, &["analysis-limited".into()]).is_err());
    }

    #[test]
    fn suggestions_are_close_or_none() {
        let codes = ["footnote-undefined", "footnote-unused", "name-ocr"];
        assert_eq!(
            suggest("footnote-undefind", &codes),
            Some("footnote-undefined")
        );
        assert_eq!(suggest("ocr", &codes), Some("name-ocr"));
        assert_eq!(suggest("completely-different-thing", &codes), None);
    }
}
