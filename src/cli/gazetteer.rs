//! `annalist gazetteer check FILE`: validate a gazetteer file before a project uses it.
//! `annalist gazetteer list`: what is loaded, and from where.
//! `annalist gazetteer suggest PATH…`: names in the prose that no gazetteer knows.
//! `annalist gazetteer import FILE`: TEI, CSV or Wikidata JSON to gazetteer TOML.
//!
//! Errors (exit 1): TOML syntax, entries that do not fit the schema, unknown keys,
//! duplicate ids, one name given to two entities, malformed EDTF dates, empty names.
//! Warnings (exit 0): names too ambiguous to be recognised alone, names shared with
//! a different built-in entity. Exit 2: the file cannot be read.

use crate::gazetteer::{self, Gazetteer, TextProblem};
use clap::Subcommand;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum GazetteerCommand {
    /// Validate a gazetteer file (exit 0: valid, 1: errors found, 2: unreadable).
    Check { file: PathBuf },
    /// List the loaded gazetteers (built-in files, the project's files) with counts per kind.
    List {
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Frequent capitalised names in the prose that no gazetteer knows, with TOML stubs.
    Suggest {
        /// Markdown files or directories.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Leave out names seen fewer times (all spellings together).
        #[arg(long, default_value_t = 2)]
        min_count: usize,
        #[arg(long, value_enum, default_value_t = SuggestFormat::Toml)]
        format: SuggestFormat,
    },
    /// Convert TEI (listPerson/listPlace/listOrg), CSV or a Wikidata JSON export to
    /// gazetteer TOML.
    Import {
        file: PathBuf,
        /// Write here instead of standard output.
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
    },
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListFormat {
    Table,
    Json,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SuggestFormat {
    Toml,
    Json,
    Table,
}

pub fn run(cmd: GazetteerCommand) -> ExitCode {
    match cmd {
        GazetteerCommand::Check { file } => check(&file),
        GazetteerCommand::List { format } => list(format),
        GazetteerCommand::Suggest {
            paths,
            min_count,
            format,
        } => suggest(&paths, min_count, format),
        GazetteerCommand::Import { file, output } => import(&file, output.as_deref()),
    }
}

/// The embedded gazetteer and the project's (annalist.toml found from the current
/// directory), with the project file problems.
fn loaded() -> (Gazetteer, Vec<crate::config::FileProblem>) {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let l = crate::config::load_for(&cwd, &crate::rules::codes());
    let mut problems = l.problems;
    let dir = l
        .path
        .as_deref()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or(cwd);
    let (g, ps) = gazetteer::load_project(&dir, &l.config);
    problems.extend(ps);
    (g, problems)
}

/// Where entity `i` comes from, as `list` shows it.
fn source_label(g: &Gazetteer, i: usize) -> String {
    if let Some((file, _)) = g.builtin_file(i) {
        return format!("built-in {file}");
    }
    match g.origin(i) {
        Some(o) => match &o.file {
            Some(p) => crate::project::display(p),
            None => "front matter".into(),
        },
        None => "built-in".into(),
    }
}

#[derive(serde::Serialize, Default)]
struct SourceCounts {
    source: String,
    person: usize,
    place: usize,
    organisation: usize,
    event: usize,
    total: usize,
}

fn list(format: ListFormat) -> ExitCode {
    let (g, problems) = loaded();
    for p in &problems {
        eprintln!("{p}");
    }
    let mut rows: Vec<SourceCounts> = Vec::new();
    for (i, e) in g.entities.iter().enumerate() {
        let label = source_label(&g, i);
        let row = match rows.iter().position(|r| r.source == label) {
            Some(r) => r,
            None => {
                rows.push(SourceCounts {
                    source: label,
                    ..SourceCounts::default()
                });
                rows.len() - 1
            }
        };
        if let Some(r) = rows.get_mut(row) {
            match e.kind {
                gazetteer::EntityKind::Person => r.person += 1,
                gazetteer::EntityKind::Place => r.place += 1,
                gazetteer::EntityKind::Organisation => r.organisation += 1,
                gazetteer::EntityKind::Event => r.event += 1,
            }
            r.total += 1;
        }
    }
    let mut total = SourceCounts {
        source: "total".into(),
        ..SourceCounts::default()
    };
    for r in &rows {
        total.person += r.person;
        total.place += r.place;
        total.organisation += r.organisation;
        total.event += r.event;
        total.total += r.total;
    }
    match format {
        ListFormat::Json => {
            rows.push(total);
            println!(
                "{}",
                serde_json::to_string_pretty(&rows).unwrap_or_default()
            );
        }
        ListFormat::Table => {
            let w = rows
                .iter()
                .map(|r| r.source.chars().count())
                .max()
                .unwrap_or(6)
                .max(6);
            println!(
                "{:<w$}  {:>6}  {:>6}  {:>12}  {:>6}  {:>6}",
                "source", "person", "place", "organisation", "event", "total"
            );
            for r in rows.iter().chain(std::iter::once(&total)) {
                println!(
                    "{:<w$}  {:>6}  {:>6}  {:>12}  {:>6}  {:>6}",
                    r.source, r.person, r.place, r.organisation, r.event, r.total
                );
            }
        }
    }
    if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn markdown_files(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = paths.iter().rev().cloned().collect();
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(&p)
                .into_iter()
                .flatten()
                .flatten()
                .map(|e| e.path())
                .filter(|e| {
                    !e.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with('.') || n == "target")
                })
                .collect();
            entries.sort();
            stack.extend(entries.into_iter().rev());
        } else if p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "md" | "markdown"))
            || paths.contains(&p)
        {
            out.push(p);
        }
    }
    out
}

fn suggest(paths: &[PathBuf], min_count: usize, format: SuggestFormat) -> ExitCode {
    use crate::names::suggest::{Suggester, stub};
    let (g, problems) = loaded();
    for p in &problems {
        eprintln!("{p}");
    }
    let r = crate::names::Recognizer::new(&g);
    let mut s = Suggester::default();
    let mut failed = false;
    for p in markdown_files(paths) {
        match std::fs::read_to_string(&p) {
            Ok(text) => s.add(&crate::project::display(&p), &text, &r),
            Err(e) => {
                eprintln!(
                    "annalist gazetteer suggest: cannot read {}: {e}",
                    p.display()
                );
                failed = true;
            }
        }
    }
    let cs = s.candidates(min_count.max(1));
    match format {
        SuggestFormat::Json => {
            println!("{}", serde_json::to_string_pretty(&cs).unwrap_or_default())
        }
        SuggestFormat::Toml => {
            let stubs: Vec<String> = cs.iter().map(stub).collect();
            print!("{}", stubs.join("\n"));
        }
        SuggestFormat::Table => {
            for c in &cs {
                let places: Vec<String> = c
                    .occurrences
                    .iter()
                    .map(|p| format!("{}:{}", p.file, p.line))
                    .collect();
                let other: Vec<&str> = c.spellings.iter().skip(1).map(|s| s.0.as_str()).collect();
                println!(
                    "{:>5}  {:<32}  {:<12}  {}{}",
                    c.count,
                    c.name,
                    c.kind,
                    places.join(", "),
                    if other.is_empty() {
                        String::new()
                    } else {
                        format!("  (also: {})", other.join(", "))
                    }
                );
            }
        }
    }
    if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

fn import(file: &Path, output: Option<&Path>) -> ExitCode {
    use crate::gazetteer::import as imp;
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!(
                "annalist gazetteer import: cannot read {}: {e}",
                file.display()
            );
            return ExitCode::from(2);
        }
    };
    let Some(format) = imp::detect(file, &text) else {
        eprintln!(
            "annalist gazetteer import: {} is empty or of an unknown format (TEI .xml, .csv, Wikidata .json)",
            file.display()
        );
        return ExitCode::from(2);
    };
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let got = imp::import(format, &text, &name);
    for p in &got.problems {
        eprintln!("{}: {p}", file.display());
    }
    let toml = imp::to_toml(&got.entities);
    match output {
        Some(o) => {
            if let Err(e) = std::fs::write(o, &toml) {
                eprintln!(
                    "annalist gazetteer import: cannot write {}: {e}",
                    o.display()
                );
                return ExitCode::from(2);
            }
            eprintln!(
                "{}: {} entities written to {}",
                file.display(),
                got.entities.len(),
                o.display()
            );
        }
        None => print!("{toml}"),
    }
    if got.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// The outcome of checking one gazetteer text.
#[derive(Debug, Default)]
pub struct Report {
    pub entities: usize,
    pub errors: Vec<TextProblem>,
    pub warnings: Vec<TextProblem>,
}

/// Check a gazetteer file's text.
pub fn check_text(text: &str) -> Report {
    let (entities, mut errors) = gazetteer::parse_toml(text);
    errors.extend(gazetteer::validate(text, &entities));
    let warnings = gazetteer::warnings(text, &entities, &Gazetteer::embedded());
    errors.sort_by_key(|p| p.offset);
    Report {
        entities: entities.len(),
        errors,
        warnings,
    }
}

fn check(file: &Path) -> ExitCode {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!(
                "annalist gazetteer check: cannot read {}: {e}",
                file.display()
            );
            return ExitCode::from(2);
        }
    };
    let r = check_text(&text);
    for (level, list) in [("error", &r.errors), ("warning", &r.warnings)] {
        for p in list {
            let fp = gazetteer::file_problem(file, &text, p.clone());
            println!(
                "{}:{}:{}: {level}: {}",
                fp.path.display(),
                fp.line,
                fp.column,
                fp.message
            );
        }
    }
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    println!(
        "{}: {}, {}, {}",
        file.display(),
        plural(r.entities, "entity").replace("entitys", "entities"),
        plural(r.errors.len(), "error"),
        plural(r.warnings.len(), "warning")
    );
    if r.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
