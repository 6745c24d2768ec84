//! `annalist gazetteer check FILE`: validate a gazetteer file before a project uses it.
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
}

pub fn run(cmd: GazetteerCommand) -> ExitCode {
    match cmd {
        GazetteerCommand::Check { file } => check(&file),
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
