//! `annalist check`: the editor's judgement over many files, for CI.
//!
//! Exit status: 0 when no finding reaches the failure threshold (`error`, lowered by
//! `--deny`); 1 when one does (with `--diff`: when a file would change); 2 on a usage
//! error, a broken configuration, or a path that is missing or unreadable — reported
//! after every other file. A file that is not UTF-8 is reported on standard error and
//! skipped; it does not change the exit status.

mod cached;
mod report;

use super::cache::{self, Pack};
use super::fix;
use super::output::{self, Format, PathProblem, ProblemKind, Report, WriteOptions};
pub use super::select::{Selection, apply_rule_overrides, known_codes, selects, suggest};
use super::shown;
use crate::analysis;
use crate::config::{self, Config};
use crate::facts::{Analysis, Context, Knowledge};
use crate::finding::{Finding, Severity};
use crate::position::LineIndex;
use crate::project::{self as walk, Entry};
use cached::{Across, across_files, replay};
use clap::{Args, ValueEnum};
use rayon::prelude::*;
use report::{reports, unfixed_report};
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

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
    after_help = "Configuration: each file is checked with the nearest annalist.toml above it (as in the editor); --config FILE or --isolated use one configuration for all.\n\nExit status: 0 nothing reaches the threshold (or --exit-zero); 1 something does (--diff: a file would change); 2 usage error, a problem in a configuration or gazetteer file, a missing/unreadable path, a directory without Markdown files, or a file --fix may not write (reported after every other file)."
)]
pub struct CheckArgs {
    /// Files and directories to check (default: the current directory); `-` reads
    /// standard input.
    pub paths: Vec<PathBuf>,

    /// Use this configuration file for every file, instead of the annalist.toml nearest
    /// to each file.
    #[arg(long, value_name = "FILE", conflicts_with = "isolated")]
    pub config: Option<PathBuf>,

    /// Ignore every annalist.toml: the defaults (and the command line's options) apply.
    #[arg(long)]
    pub isolated: bool,

    /// Print the settings that apply to FILE and the file they came from, then exit.
    #[arg(long, value_name = "FILE")]
    pub show_settings: Option<PathBuf>,

    /// Output format (default: human).
    #[arg(
        long,
        visible_alias = "output-format",
        value_enum,
        conflicts_with = "diff"
    )]
    pub format: Option<Format>,

    /// Write the report to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE", conflicts_with = "diff")]
    pub output_file: Option<PathBuf>,

    /// Fail (exit 1) on findings of this severity or worse (default: errors).
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub deny: Option<Deny>,

    /// Exit 0 even when findings reach the threshold (problems with paths or
    /// configuration still exit 2).
    #[arg(long)]
    pub exit_zero: bool,

    /// Apply safe fixes and write the files back (atomically, keeping owner and mode;
    /// read-only files are refused); report what remains.
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

    /// Report only these rules: codes or family prefixes (`footnote-`, `romanisation`),
    /// comma-separated or repeated; `all` for every rule.
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub select: Vec<String>,

    /// Report these rules too (at their default severity if they are off).
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub extend_select: Vec<String>,

    /// Switch these rules off: codes or family prefixes.
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    pub ignore: Vec<String>,

    /// Skip paths matching this glob (`.gitignore` style, relative to the current
    /// directory); repeatable. Adds to `exclude` in annalist.toml.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

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

    /// When to colour the human format. `auto`: when standard output is a terminal and
    /// NO_COLOR is unset or empty, or when FORCE_COLOR or CLICOLOR_FORCE is set (not
    /// `0`). An explicit `always` or `never` beats the environment.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Neither read nor write the cache (`.annalist_cache` at the project root, or
    /// `ANNALIST_CACHE_DIR`): per-file results and loaded project gazetteers.
    #[arg(long)]
    pub no_cache: bool,
}

/// The one place `check` builds its knowledge of the world from a configuration: the
/// embedded gazetteer plus the project's `gazetteers` files, and the problems met
/// loading them; kept in the cache directory `cache` when one is given.
pub fn knowledge_for(
    config: &Config,
    config_dir: &Path,
    cache: Option<&Path>,
) -> (std::sync::Arc<Knowledge>, Vec<config::FileProblem>) {
    Knowledge::for_project_cached(config_dir, config, cache)
}

fn usage(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("annalist check: {msg}");
    ExitCode::from(2)
}

/// One file's outcome.
// One per file checked, moved once: boxing the report would only add an allocation.
#[allow(clippy::large_enum_variant)]
enum Outcome {
    Checked {
        file: Analysed,
        /// With --fix/--diff: the original and the fixed text, when they differ.
        change: Option<(String, String)>,
        bom: bool,
        path: Option<PathBuf>,
        /// Where the result is cached: the file's absolute path and its inputs' hash,
        /// and whether it came from the cache. `None`: not to be cached.
        cache: Option<(PathBuf, cache::Hash, bool)>,
    },
    Problem(PathProblem),
}

/// One file's results before they are turned into lines and columns.
struct Analysed {
    /// The display path.
    path: String,
    /// The text that was analysed (after fixes, when `--fix` changed it).
    text: Arc<str>,
    lines: LineIndex,
    /// The file's own findings.
    own: Vec<Finding>,
    /// Its findings from the comparison across files.
    across: Vec<Finding>,
    fixed: usize,
    /// How the file spells the gazetteer's names, for the comparison across files;
    /// `None` while they are only in the cache (decoded when the comparison is not).
    names: Option<crate::facts::NameIndex>,
    /// The hash of the file's inputs (text, kind), when it has a cache.
    hash: Option<cache::Hash>,
    kind: Option<crate::kind::DocKind>,
}

/// What a file is checked with.
struct Job<'a> {
    /// The file's group (its configuration, knowledge and directory).
    group: &'a Group,
    fixing: bool,
    root: &'a Path,
    unsafe_fixes: bool,
    kind: Option<crate::kind::DocKind>,
    /// The group's cache (read only when not fixing), and the file's absolute path.
    cache: Option<(&'a Pack, PathBuf)>,
}

const BOM: &str = "\u{FEFF}";

/// A file's bytes as text: `(whether it began with a byte-order mark, the text after
/// it)`, or why it is not text.
fn decode(bytes: &[u8]) -> Result<(bool, &str), ProblemKind> {
    // Text never holds NUL; Markdown in UTF-16 or a binary file does.
    if bytes.contains(&0) {
        let offset = bytes.iter().position(|&b| b == 0).unwrap_or_default();
        return Err(ProblemKind::Binary { offset });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| ProblemKind::NotUtf8 {
        offset: e.valid_up_to(),
    })?;
    Ok(match text.strip_prefix(BOM) {
        Some(rest) => (true, rest),
        None => (false, text),
    })
}

fn check_one(entry: &Entry, stdin: Option<&[u8]>, job: Job) -> Outcome {
    let Job {
        group,
        fixing,
        root,
        unsafe_fixes,
        kind,
        cache,
    } = job;
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
    // The text stays in `bytes` until it is copied once, into the analysis' `Arc<str>`.
    let (bom, text) = match decode(&bytes) {
        Ok((bom, text)) => (bom, text),
        Err(kind) => {
            return Outcome::Problem(PathProblem {
                path: entry.display.clone(),
                kind,
            });
        }
    };
    // An unchanged file: its own findings from the cache (its names are decoded only
    // when the comparison across files is not cached).
    if let Some((pack, abs)) = &cache
        && !fixing
    {
        let hash = cache::entry_hash(text, kind);
        if let Some(own) = pack.findings(abs, hash) {
            let text: Arc<str> = Arc::from(text);
            return Outcome::Checked {
                file: Analysed {
                    path: entry.display.clone(),
                    lines: LineIndex::new(&text),
                    text,
                    own,
                    across: Vec::new(),
                    fixed: 0,
                    names: None,
                    hash: Some(hash),
                    kind,
                },
                change: None,
                bom,
                path: entry.path.clone(),
                cache: Some((abs.clone(), hash, true)),
            };
        }
    }
    // Citations: the document's bibliographies are found from its path, inside `root`.
    let place = crate::citations::Place {
        doc: entry.path.as_deref(),
        root: Some(root),
    };
    let ctx = group.context();
    let run = |t: &str| analysis::analyze_at(Arc::from(t), None, &ctx, &place, kind);
    let (a, applied, change): (Analysis, usize, Option<(String, String)>) = if fixing {
        let original = text.to_string();
        let fixed = fix::fix_loop_with(
            original.clone(),
            run,
            |a: &Analysis| a.findings.as_slice(),
            unsafe_fixes,
        );
        let change = (fixed.text != original).then_some((original, fixed.text));
        (fixed.analysis, fixed.applied, change)
    } else {
        (run(text), 0, None)
    };
    let hash = cache.as_ref().map(|_| cache::entry_hash(&a.text, kind));
    // A document's bibliographies are files the cache's key does not cover.
    let cache = cache
        .filter(|_| entry.path.is_some())
        .zip(hash)
        .map(|((_, abs), hash)| (abs, hash, false))
        .filter(|_| !a.citations.configured());
    Outcome::Checked {
        file: Analysed {
            path: entry.display.clone(),
            text: a.text,
            lines: a.lines,
            own: a.findings,
            across: Vec::new(),
            fixed: applied,
            names: Some(a.names),
            hash,
            kind,
        },
        change,
        bom,
        path: entry.path.clone(),
        cache,
    }
}

pub fn run(args: CheckArgs) -> ExitCode {
    let result = run_inner(args);
    // The loaded gazetteers' cache is written while the files are checked.
    crate::cachedir::wait_for_writes();
    match result {
        Ok(code) => code,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::from(2),
        Err(e) => usage(e),
    }
}

/// The files that share one configuration, and what they are checked with.
struct Group {
    config: Config,
    /// The configuration file, if any (the cache keeps one pack per file).
    config_path: Option<PathBuf>,
    /// Loaded when first needed: a run written from the cache alone needs none. A
    /// configuration with project gazetteers has it loaded at once (loading them is
    /// what finds their problems, which every run reports); any other, before the
    /// files are analysed in parallel (never first from a worker: see `run_inner`).
    knowledge: std::sync::OnceLock<Arc<Knowledge>>,
    /// The configuration's directory: bibliographies must stay inside it.
    root: PathBuf,
    cache_dir: Option<PathBuf>,
}

impl Group {
    fn knowledge(&self) -> &Knowledge {
        self.knowledge.get_or_init(|| {
            // Without project gazetteers there are no problems to report.
            knowledge_for(&self.config, &self.root, self.cache_dir.as_deref()).0
        })
    }

    fn context(&self) -> Context<'_> {
        Context {
            config: &self.config,
            knowledge: self.knowledge(),
        }
    }

    /// The kind `[kinds]` gives the file at `abs` (by its path relative to the
    /// configuration's directory).
    fn kind_of(&self, abs: &Path) -> Option<crate::kind::DocKind> {
        let rel = abs
            .strip_prefix(&self.root)
            .ok()?
            .to_string_lossy()
            .replace('\\', "/");
        self.config.kind_for(&rel)
    }
}

fn config_problem(cwd: &Path, p: &config::FileProblem) -> PathProblem {
    PathProblem {
        path: walk::display(&walk::relative_to(cwd, &p.path)),
        kind: ProblemKind::Config {
            line: p.line,
            column: p.column,
            message: p.message.clone(),
        },
    }
}

/// Whether to colour: an explicit choice, else FORCE_COLOR / CLICOLOR_FORCE (set, not
/// `0`), else a terminal without NO_COLOR.
fn use_color(choice: ColorChoice, to_terminal: bool) -> bool {
    let set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty() && v != "0");
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            set("FORCE_COLOR")
                || set("CLICOLOR_FORCE")
                || (to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()))
        }
    }
}

/// `--show-settings FILE`: the effective settings for FILE as TOML, and their source.
fn show_settings(file: &Path, policy: &walk::Policy, sel: &Selection) -> io::Result<ExitCode> {
    let loaded = policy.config_for(file);
    let mut config = loaded.config.clone();
    if let Err(e) = sel.apply(&mut config) {
        return Ok(usage(e));
    }
    let cwd = std::env::current_dir()?;
    let mut out = io::stdout().lock();
    writeln!(out, "# Settings for {}", walk::display(file))?;
    match &loaded.path {
        Some(p) => writeln!(out, "# from {}", walk::display(&walk::relative_to(&cwd, p)))?,
        None => writeln!(out, "# from the defaults (no annalist.toml applies)")?,
    }
    for p in &loaded.problems {
        writeln!(out, "# problem: {}", config_problem(&cwd, p).location())?;
        writeln!(out, "#   {}", p.message)?;
    }
    let text = toml::to_string(&config).map_err(io::Error::other)?;
    out.write_all(text.as_bytes())?;
    Ok(if loaded.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

fn run_inner(mut args: CheckArgs) -> io::Result<ExitCode> {
    let cwd = std::env::current_dir()?;
    let format = args.format.unwrap_or(Format::Human);

    // Configuration: the nearest annalist.toml to each file, or one for all.
    let discovery = match (&args.config, args.isolated) {
        (Some(p), _) => config::Discovery::fixed(config::load_file(p, &crate::rules::codes())),
        (None, true) => config::Discovery::fixed(config::Loaded::default()),
        (None, false) => config::Discovery::nearest(crate::rules::codes()),
    };
    let selection = Selection {
        select: args.select.clone(),
        extend_select: args.extend_select.clone(),
        ignore: args.ignore.clone(),
        rules: args.rules.clone(),
    };
    if let Err(e) = selection.validate() {
        return Ok(usage(e));
    }
    let policy = match walk::Policy::new(&cwd, discovery, &args.exclude) {
        Ok(p) => Arc::new(p),
        Err(e) => return Ok(usage(e)),
    };
    if let Some(file) = &args.show_settings {
        return show_settings(file, &policy, &selection);
    }

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
    let mut walked = walk::collect_with(&args.paths, &policy, args.stdin_filename.as_deref());
    for w in &walked.warnings {
        eprintln!("annalist: warning: {w}");
    }
    for w in &walked.skipped {
        eprintln!("annalist: {w}");
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

    // The cache directory (none with --no-cache): per-file results, and each group's
    // loaded project gazetteers.
    let cache_dir =
        (!args.no_cache).then(|| cache::directory(&policy.anchor(&policy.config_here())));
    // Each file's configuration; files sharing one share a group.
    let mut problems: Vec<PathProblem> = Vec::new();
    let mut groups: Vec<Group> = Vec::new();
    let mut group_of_config: Vec<(Option<PathBuf>, usize)> = Vec::new();
    let mut group_of_entry: Vec<usize> = Vec::with_capacity(walked.entries.len());
    for e in &walked.entries {
        let loaded = match &e.path {
            Some(p) => policy.config_for(p),
            None => match &args.stdin_filename {
                Some(name) => policy.config_for(Path::new(name)),
                None => policy.config_here(),
            },
        };
        let g = match group_of_config.iter().find(|(p, _)| *p == loaded.path) {
            Some((_, g)) => *g,
            None => {
                let mut config = loaded.config.clone();
                if let Err(e) = selection.apply(&mut config) {
                    return Ok(usage(e));
                }
                let root = policy.anchor(&loaded);
                let knowledge = std::sync::OnceLock::new();
                if !config.gazetteers.is_empty() {
                    let (k, gz) = knowledge_for(&config, &root, cache_dir.as_deref());
                    problems.extend(gz.iter().map(|p| config_problem(&cwd, p)));
                    let _ = knowledge.set(k);
                }
                groups.push(Group {
                    config,
                    config_path: loaded.path.clone(),
                    knowledge,
                    root: root.to_path_buf(),
                    cache_dir: cache_dir.clone(),
                });
                group_of_config.push((loaded.path.clone(), groups.len() - 1));
                groups.len() - 1
            }
        };
        group_of_entry.push(g);
    }
    // Every configuration consulted (also one whose files were all excluded).
    let mut config_problems: Vec<PathProblem> = Vec::new();
    for loaded in policy.configs() {
        config_problems.extend(loaded.problems.iter().map(|p| config_problem(&cwd, p)));
    }
    config_problems.extend(policy.problems().iter().map(|p| config_problem(&cwd, p)));
    config_problems.append(&mut problems);
    let mut problems = config_problems;

    let fixing = args.fix || args.diff;
    let threshold = args.deny.map(Deny::threshold).unwrap_or(Severity::Error);
    let to_terminal = args.output_file.is_none() && io::stdout().is_terminal();
    let opts = WriteOptions {
        color: match args.color {
            // A file is not a terminal: colour only when asked for explicitly.
            ColorChoice::Auto if args.output_file.is_some() => false,
            c => use_color(c, to_terminal),
        },
        quiet: args.quiet,
    };
    // The cache: one pack per configuration group, read before and written after.
    let mut packs: Vec<Option<Pack>> = groups
        .iter()
        .map(|g| {
            let dir = cache_dir.as_deref()?;
            let fingerprint = cache::group_fingerprint(&g.config, &g.root)?;
            Some(Pack::open(
                dir,
                &g.root,
                g.config_path.as_deref(),
                fingerprint,
            ))
        })
        .collect();

    // A run with nothing changed since the last one is written from the cache alone.
    if format == Format::Human
        && !fixing
        && !args.statistics
        && let Some(replay) = replay(
            &walked.entries,
            &group_of_entry,
            &groups,
            &packs,
            &cwd,
            opts,
            threshold,
        )
    {
        problems.extend(walked.problems);
        let mut out = match open_output(&args) {
            Ok(out) => out,
            Err(code) => return Ok(code),
        };
        let fatal = problems.iter().any(PathProblem::is_fatal);
        for t in &replay.texts {
            out.write_all(t.as_bytes())?;
            out.write_all(b"\n\n")?;
        }
        let line =
            output::human::summary_line_of(replay.summary, &problems, (0, 0), replay.fixable);
        writeln!(out, "{line}")?;
        out.flush()?;
        drop(out);
        report_problems(&problems);
        let code = exit(fatal, replay.fails && !args.exit_zero);
        // Nothing was added to the packs; freeing them would only cost time.
        drop(replay);
        std::mem::forget(packs);
        return Ok(code);
    }

    // Analysis, in parallel; results keep the sorted order. Each group's knowledge is
    // loaded first, here: loading it runs parallel jobs, and a worker waiting for them
    // could take up another file's job, which would wait for the same load.
    for g in &groups {
        g.knowledge();
    }
    let total = walked.entries.len();
    let bar = (!args.quiet && total > 50 && io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(total as u64),
            indicatif::ProgressDrawTarget::stderr(),
        );
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("annalist: checking {bar:30} {pos}/{len} files")
        {
            bar.set_style(style);
        }
        bar
    });
    let outcomes: Vec<Outcome> = walked
        .entries
        .par_iter()
        .zip(group_of_entry.par_iter())
        .map(|(e, &g)| {
            let group = &groups[g];
            // A bug in one rule must not hide the other files' results.
            let o = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let abs = e.path.as_deref().map(|p| walk::normalize(&cwd, p));
                let kind = abs.as_deref().and_then(|abs| group.kind_of(abs));
                let job = Job {
                    group,
                    fixing,
                    root: &group.root,
                    unsafe_fixes: args.unsafe_fixes,
                    kind,
                    cache: packs[g].as_ref().zip(abs),
                };
                check_one(e, stdin_bytes.as_deref(), job)
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
            if let Some(b) = &bar {
                b.inc(1);
            }
            o
        })
        .collect();
    if let Some(b) = bar {
        b.finish_and_clear();
    }

    // Names compared across the files of this run that share a configuration (from
    // the cache when they and the configuration are unchanged).
    let mut outcomes = outcomes;
    let mut across_keys: Vec<Option<cache::Hash>> = vec![None; groups.len()];
    for (g, group) in groups.iter().enumerate() {
        let pack = if fixing {
            None
        } else {
            packs.get_mut(g).and_then(Option::as_mut)
        };
        let across = Across {
            group,
            pack,
            key: &mut across_keys[g],
        };
        let idx: Vec<usize> = (0..outcomes.len())
            .filter(|&i| group_of_entry.get(i) == Some(&g))
            .collect();
        if idx.len() == outcomes.len() {
            across_files(&mut outcomes, across);
        } else {
            let mut part: Vec<Outcome> = Vec::with_capacity(idx.len());
            let mut rest: Vec<Option<Outcome>> = outcomes.into_iter().map(Some).collect();
            for &i in &idx {
                if let Some(o) = rest[i].take() {
                    part.push(o);
                }
            }
            across_files(&mut part, across);
            for (&i, o) in idx.iter().zip(part) {
                rest[i] = Some(o);
            }
            outcomes = rest.into_iter().flatten().collect();
        }
    }

    // Every file's own result that was computed afresh goes into the cache (a file that
    // may not be cached leaves it); the comparison across files is kept
    // apart (see `across_files`).
    for (o, &g) in outcomes.iter().zip(&group_of_entry) {
        if let (
            Outcome::Checked {
                file, cache, path, ..
            },
            Some(Some(pack)),
        ) = (o, packs.get_mut(g))
        {
            match (cache, path) {
                (Some((abs, hash, false)), _) => {
                    if let Some(names) = &file.names {
                        pack.put(abs, *hash, &file.own, names);
                    }
                }
                (Some((_, _, true)), _) | (None, None) => {}
                (None, Some(p)) => pack.forget(&walk::normalize(&cwd, p)),
            }
        }
    }
    let reports = reports(&outcomes);

    // Fixes: write back (or collect diffs).
    problems.extend(walked.problems);
    let mut files = Vec::new();
    // For each file of `files`: its group, its cache entry (absolute path, inputs' hash)
    // and which of its diagnostics are its own findings (see `reports`).
    let mut file_keys: Vec<shown::FileKey> = Vec::new();
    let mut diffs = Vec::new();
    let mut fixed_stdin: Option<String> = None;
    let mut changed_files = Vec::new();
    for ((o, report), &g) in outcomes.into_iter().zip(reports).zip(&group_of_entry) {
        match (o, report) {
            (Outcome::Problem(p), _) => problems.push(p),
            (Outcome::Checked { .. }, None) => {}
            (
                Outcome::Checked {
                    change,
                    bom,
                    path,
                    cache,
                    ..
                },
                Some((mut report, origin, own)),
            ) => {
                if let Some((old, new)) = change {
                    if args.diff {
                        diffs.push(fix::unified_diff(&report.path, &old, &new));
                    } else if let Some(p) = &path {
                        let mut out = String::with_capacity(new.len() + 3);
                        if bom {
                            out.push_str(BOM);
                        }
                        out.push_str(&new);
                        match fix::write_back(p, out.as_bytes()) {
                            Ok(()) => changed_files.push((report.path.clone(), report.fixed)),
                            Err(e) => {
                                problems.push(PathProblem {
                                    path: report.path.clone(),
                                    kind: match e {
                                        fix::WriteError::Refused(why) => ProblemKind::ReadOnly(why),
                                        fix::WriteError::Failed(e) => {
                                            ProblemKind::WriteFailed(e.to_string())
                                        }
                                    },
                                });
                                // Nothing was written: report the file as it is.
                                report = unfixed_report(&report.path, &old, &groups[g]);
                            }
                        }
                    } else {
                        fixed_stdin = Some(if bom { format!("{BOM}{new}") } else { new });
                    }
                } else if args.fix && path.is_none() && !args.diff {
                    fixed_stdin = Some(report.text.to_string());
                }
                file_keys.push(shown::FileKey {
                    group: g,
                    entry: cache.map(|(abs, hash, _)| (abs, hash)),
                    origin,
                    own,
                });
                files.push(report);
            }
        }
    }
    let report = Report {
        files,
        problems,
        threshold,
        docs_url: groups.iter().find_map(|g| g.config.docs_url.clone()),
    };
    let fatal = report.problems.iter().any(PathProblem::is_fatal);

    if args.diff {
        let stdout = io::stdout();
        let mut out = io::BufWriter::new(stdout.lock());
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
        return Ok(exit(fatal, changes > 0 && !args.exit_zero));
    }

    let mut out = match open_output(&args) {
        Ok(out) => out,
        Err(code) => return Ok(code),
    };
    // The human format draws every diagnostic first (in parallel), a file's own ones
    // from the cache when they were drawn under the same key; what was drawn afresh is
    // kept. Not with --fix (a file that could not be written is shown unfixed); with
    // --quiet (only the failing ones are shown) only when there is a cache to keep the
    // drawings in: a quiet run that kept none would leave every later run, quiet or
    // not, to draw them again instead of writing its output from the cache.
    let keeps = packs.iter().any(Option::is_some);
    let rendered = (format == Format::Human && !fixing && (!args.quiet || keeps))
        .then(|| shown::render_human(&report, &file_keys, &mut packs, &across_keys, opts.color));
    for pack in packs.into_iter().flatten() {
        pack.save();
    }
    if let Some(fixed) = &fixed_stdin {
        // The fixed document goes to standard output; the report to standard error
        // (or the output file).
        let mut so = io::stdout().lock();
        so.write_all(fixed.as_bytes())?;
        so.flush()?;
        let no_color = WriteOptions {
            color: false,
            ..opts
        };
        if args.output_file.is_some() {
            output::write(&report, format, no_color, &mut out)?;
            out.flush()?;
        } else {
            let mut err = io::stderr().lock();
            output::write(&report, format, no_color, &mut err)?;
        }
    } else {
        match &rendered {
            Some(r) => output::human::write_rendered(&report, r, args.quiet, &mut out)?,
            None => output::write(&report, format, opts, &mut out)?,
        }
        out.flush()?;
    }
    if args.fix && !args.quiet {
        for (p, n) in &changed_files {
            eprintln!("annalist: fixed {p} ({})", plural(*n, "fix", "fixes"));
        }
    }
    if args.statistics {
        let table = statistics(&report);
        if format == Format::Human && fixed_stdin.is_none() {
            out.write_all(table.as_bytes())?;
            out.flush()?;
        } else {
            eprint!("{table}");
        }
    }
    drop(out);
    report_problems(&report.problems);
    let code = exit(fatal, report.fails() && !args.exit_zero);
    // The process ends next: freeing every text, finding and snippet one by one would
    // only cost time (a tenth of a cached run over 2,000 files).
    std::mem::forget(report);
    std::mem::forget(rendered);
    Ok(code)
}

/// Where the report goes: `--output-file`, else standard output; or the exit code of
/// a file that cannot be created.
fn open_output(args: &CheckArgs) -> Result<Box<dyn Write>, ExitCode> {
    Ok(match &args.output_file {
        Some(p) => match std::fs::File::create(p) {
            Ok(f) => Box::new(io::BufWriter::new(f)),
            Err(e) => {
                return Err(usage(format!(
                    "cannot create the output file {}: {e} (check the directory exists and is writable)",
                    p.display()
                )));
            }
        },
        None => Box::new(io::BufWriter::new(io::stdout().lock())),
    })
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
        eprintln!("annalist: {kind}: {}: {}", p.location(), p.message());
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
