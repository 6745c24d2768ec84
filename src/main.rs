use std::process::ExitCode;

fn main() -> ExitCode {
    annalist::cli::main()
}
