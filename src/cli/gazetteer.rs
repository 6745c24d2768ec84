//! `annalist gazetteer check FILE`. (STUB: the knowledge owner fills this in.)

use clap::Subcommand;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum GazetteerCommand {
    /// Validate a gazetteer file.
    Check { file: PathBuf },
}

pub fn run(_cmd: GazetteerCommand) -> ExitCode {
    eprintln!("annalist gazetteer: not built yet");
    ExitCode::from(2)
}
