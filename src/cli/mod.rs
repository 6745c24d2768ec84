//! The command line: argument parsing and dispatch. Only `cli` knows terminals and
//! output formats.

// The one floor that writes to standard output (Cargo.toml's [lints] deny it elsewhere).
#![allow(clippy::print_stdout)]

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

pub mod cache;
pub mod check;
pub mod cited;
pub mod explain;
pub mod fix;
pub mod gazetteer;
pub mod init;
pub mod output;
pub mod select;
pub mod shown;
pub mod timeline;

#[derive(Parser, Debug)]
#[command(
    name = "annalist",
    version,
    about = "A language server and linter for annotated historical texts in Markdown",
    long_about = None
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the language server on standard input and output.
    Lsp {
        /// Accepted for editors that pass it; stdio is the only transport.
        #[arg(long)]
        stdio: bool,
    },
    /// Check Markdown files and report problems (exit 1 when any reaches the threshold).
    Check(Box<check::CheckArgs>),
    /// Print a document's dated events in chronological order.
    Timeline(timeline::TimelineArgs),
    /// List the works a document cites, in order of first citation.
    Cited(cited::CitedArgs),
    /// Print a rule's documentation.
    Explain {
        /// The rule's code, e.g. footnote-undefined.
        #[arg(required_unless_present = "write_docs")]
        code: Option<String>,
        /// Write every rule's page (CODE.md and README.md) into DIR (docs/rules).
        #[arg(long, value_name = "DIR", hide = true, conflicts_with = "code")]
        write_docs: Option<PathBuf>,
    },
    /// List every rule with its code, default severity and summary.
    Rules {
        /// `table` for people, `json` for tools.
        #[arg(long, value_enum, default_value_t)]
        format: explain::RulesFormat,
    },
    /// Write a commented annalist.toml in the current directory.
    Init {
        /// Overwrite an existing annalist.toml.
        #[arg(long)]
        force: bool,
    },
    /// Work with gazetteer files.
    Gazetteer {
        #[command(subcommand)]
        command: gazetteer::GazetteerCommand,
    },
    /// Print a shell completion script, e.g. `annalist completions bash > ~/.local/share/bash-completion/completions/annalist`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

#[derive(Args, Debug)]
pub struct PathsArg {
    pub paths: Vec<PathBuf>,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Lsp { stdio: _ } => crate::lsp::run(),
        Command::Check(args) => check::run(*args),
        Command::Timeline(args) => timeline::run(args),
        Command::Cited(args) => cited::run(args),
        Command::Explain {
            code: _,
            write_docs: Some(dir),
        } => explain::write_docs(&dir),
        Command::Explain { code, .. } => explain::explain(code.as_deref().unwrap_or("")),
        Command::Completions { shell } => {
            use clap::CommandFactory;
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "annalist",
                &mut std::io::stdout(),
            );
            ExitCode::SUCCESS
        }
        Command::Rules { format } => explain::list_rules(format),
        Command::Init { force } => init::init(force),
        Command::Gazetteer { command } => gazetteer::run(command),
    }
}
