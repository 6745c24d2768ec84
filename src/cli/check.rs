//! `annalist check`, `explain`, `rules`, `init`. (STUB: the CLI owner fills this in.)

use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Files and directories to check (default: the current directory).
    pub paths: Vec<PathBuf>,
}

pub fn run(_args: CheckArgs) -> ExitCode {
    eprintln!("annalist check: not built yet");
    ExitCode::from(2)
}

pub fn explain(code: &str) -> ExitCode {
    match crate::rules::find(code) {
        Some(r) => {
            println!("{}", r.doc);
            ExitCode::SUCCESS
        }
        None => {
            eprintln!(
                "annalist explain: no rule has the code `{code}`; `annalist rules` lists them"
            );
            ExitCode::from(2)
        }
    }
}

pub fn list_rules() -> ExitCode {
    for r in crate::rules::all() {
        println!(
            "{:28} {:8} {}",
            r.code,
            r.default_severity.as_str(),
            r.summary
        );
    }
    ExitCode::SUCCESS
}

pub fn init(_force: bool) -> ExitCode {
    eprintln!("annalist init: not built yet");
    ExitCode::from(2)
}
