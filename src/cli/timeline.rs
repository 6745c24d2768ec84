//! `annalist timeline FILE`. (STUB: the dates owner fills this in.)

use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct TimelineArgs {
    pub file: PathBuf,
}

pub fn run(_args: TimelineArgs) -> ExitCode {
    eprintln!("annalist timeline: not built yet");
    ExitCode::from(2)
}
