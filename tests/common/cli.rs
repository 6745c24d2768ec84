//! Running the built `annalist` binary as a user's shell or a CI job would, for the CLI
//! suites (`tests/cli.rs`, `tests/cli_trust.rs`, …): `#[path = "common/cli.rs"] mod cli;`.
//!
//! Findings are planted with the engine's `analysis-limited` info finding: a config
//! with a tiny `limits.max_document_bytes` makes it appear on every larger document,
//! whatever rules exist.
#![allow(dead_code)]

use serde_json::Value;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub const PLANTED: &str = "analysis-limited";
pub const TINY_LIMIT: &str = "[limits]\nmax_document_bytes = 64\n";
/// Over the tiny limit.
pub const BIG: &str =
    "# A heading\n\nThis paragraph is long enough to pass the tiny limit of sixty-four bytes.\n";

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_annalist")
}

/// The binary in `dir` with `args`, no standard input, no colour forced from outside.
pub fn cmd(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(bin());
    c.current_dir(dir)
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

pub fn run(c: &mut Command) -> Output {
    c.output().unwrap_or_else(|e| panic!("spawn: {e}"))
}

pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    run(&mut cmd(dir, args))
}

/// [`run_in`] with `stdin` written to the binary's standard input.
pub fn run_with_stdin(dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    let mut c = cmd(dir, args);
    c.stdin(Stdio::piped());
    let mut child = c.spawn().unwrap_or_else(|e| panic!("spawn: {e}"));
    if let Some(mut s) = child.stdin.take() {
        s.write_all(stdin).unwrap_or_else(|e| panic!("stdin: {e}"));
    }
    child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("wait: {e}"))
}

pub fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn write(dir: &Path, rel: &str, text: &str) -> PathBuf {
    let p = dir.join(rel);
    if let Some(parent) = p.parent() {
        fs::create_dir_all(parent).unwrap_or_else(|e| panic!("mkdir: {e}"));
    }
    fs::write(&p, text).unwrap_or_else(|e| panic!("write {rel}: {e}"));
    p
}

pub fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"))
}

pub fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout(o), stderr(o)))
}

/// The paths of the files a JSON report lists, in its order.
pub fn paths(v: &Value) -> Vec<String> {
    v["files"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["path"].as_str().map(String::from))
        .collect()
}

/// The rule codes a JSON report gives for `path`.
pub fn codes_of(v: &Value, path: &str) -> Vec<String> {
    v["files"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["path"] == path)
        .flat_map(|f| f["diagnostics"].as_array().cloned().unwrap_or_default())
        .filter_map(|d| d["code"].as_str().map(String::from))
        .collect()
}
