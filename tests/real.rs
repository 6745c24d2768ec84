//! The real-text measure (issue #12): the engine on `fixtures/real/*.md` against the
//! classified table `fixtures/real/findings.tsv`.
//!
//! Fails when a recorded `true` finding disappears, or a finding appears that the
//! table does not record (matched by file, line, code). A recorded false or debatable
//! finding that disappears is fine: it is reported as "gone". Also: `annalist check
//! --fix` leaves every file of the corpus byte-identical (fixes never rewrite a source).

mod real_corpus;

use std::process::Command;

#[test]
fn findings_match_the_classified_table() {
    let rows = match real_corpus::read_tsv() {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    };
    let found = real_corpus::engine();
    let mut problems = Vec::new();
    for f in &found {
        if !rows
            .iter()
            .any(|r| r.file == f.file && r.line == f.line && r.code == f.code)
        {
            problems.push(format!(
                "new finding, not in findings.tsv: {}:{}:{} {} {}",
                f.file, f.line, f.column, f.code, f.message
            ));
        }
    }
    let mut gone = Vec::new();
    for r in &rows {
        let present = found
            .iter()
            .any(|f| f.file == r.file && f.line == r.line && f.code == r.code);
        if present {
            continue;
        }
        if r.verdict == "true" {
            problems.push(format!(
                "a true finding disappeared: {}:{} {} ({})",
                r.file, r.line, r.code, r.why
            ));
        } else {
            gone.push(format!("{}:{} {} [{}]", r.file, r.line, r.code, r.verdict));
        }
    }
    if !gone.is_empty() {
        eprintln!("gone ({}):\n  {}", gone.len(), gone.join("\n  "));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The library's findings are the binary's: `annalist check --format json
/// fixtures/real/` gives the same (file, line, code) list.
#[test]
fn the_measure_is_what_check_reports() {
    let out = Command::new(env!("CARGO_BIN_EXE_annalist"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", "--format", "json", "fixtures/real/"])
        .output()
        .expect("run annalist");
    let json: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("check --format json prints JSON");
    let mut from_cli: Vec<(String, u64, String)> = Vec::new();
    collect(&json, &mut from_cli);
    from_cli.sort();
    let mut from_lib: Vec<(String, u64, String)> = real_corpus::engine()
        .into_iter()
        .map(|f| (f.file, f.line as u64, f.code))
        .collect();
    from_lib.sort();
    assert_eq!(from_cli, from_lib);
}

/// Every (file name, line, code) of the JSON output:
/// `{"files":[{"path":P,"diagnostics":[{"code":C,"range":{"start":{"line":L}}}]}]}`.
fn collect(v: &serde_json::Value, out: &mut Vec<(String, u64, String)>) {
    for f in v["files"].as_array().into_iter().flatten() {
        let path = f["path"].as_str().unwrap_or("");
        let name = path.rsplit('/').next().unwrap_or(path).to_string();
        for d in f["diagnostics"].as_array().into_iter().flatten() {
            let code = d["code"].as_str().unwrap_or("").to_string();
            let line = d["range"]["start"]["line"].as_u64().unwrap_or(0);
            out.push((name.clone(), line, code));
        }
    }
}

#[test]
fn fix_leaves_every_real_file_byte_identical() {
    let dir = tempfile::tempdir().expect("temp dir");
    let files = real_corpus::files();
    assert!(files.len() > 30, "{} corpus files", files.len());
    for p in &files {
        std::fs::copy(p, dir.path().join(real_corpus::name(p))).expect("copy");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_annalist"))
        .current_dir(dir.path())
        .args(["check", "--fix", "--color", "never", "."])
        .output()
        .expect("run annalist");
    assert!(out.status.code().is_some_and(|c| c < 2), "{out:?}");
    for p in &files {
        let before = std::fs::read(p).expect("read");
        let after = std::fs::read(dir.path().join(real_corpus::name(p))).expect("read");
        assert!(before == after, "check --fix changed {}", p.display());
    }
}
