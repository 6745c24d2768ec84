//! Pandoc citations end to end through the built binary: `check` reports undefined keys
//! and broken bibliographies, `cited` lists works cited.

use serde_json::Value;
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_annalist")
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("spawn: {e}"))
}

fn fixture_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/citations")
}

/// A project copied from fixtures/citations, with an annalist.toml.
fn project(toml: &str) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    for e in fs::read_dir(fixture_dir()).into_iter().flatten().flatten() {
        let _ = fs::copy(e.path(), d.path().join(e.file_name()));
    }
    fs::write(d.path().join("annalist.toml"), toml).unwrap_or_else(|e| panic!("{e}"));
    d
}

fn check_json(dir: &Path, file: &str) -> Vec<Value> {
    let o = run_in(dir, &["check", "--format", "json", file]);
    let v: Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("json: {e}\n{}", String::from_utf8_lossy(&o.stdout)));
    let mut out = Vec::new();
    fn collect(v: &Value, out: &mut Vec<Value>) {
        match v {
            Value::Object(m) => {
                if m.contains_key("code") && m.contains_key("message") {
                    out.push(v.clone());
                }
                for x in m.values() {
                    collect(x, out);
                }
            }
            Value::Array(a) => a.iter().for_each(|x| collect(x, out)),
            _ => {}
        }
    }
    collect(&v, &mut out);
    out
}

fn codes<'a>(found: &'a [Value], prefix: &str) -> Vec<&'a Value> {
    found
        .iter()
        .filter(|f| f["code"].as_str().is_some_and(|c| c.starts_with(prefix)))
        .collect()
}

#[test]
fn citations_the_article_is_clean() {
    let d = project("");
    let found = check_json(d.path(), "article.md");
    assert!(codes(&found, "citation").is_empty(), "{found:?}");
    assert!(codes(&found, "unsourced-claim").is_empty(), "{found:?}");
    assert!(codes(&found, "bibliography").is_empty(), "{found:?}");
}

#[test]
fn citations_undefined_keys_with_did_you_mean() {
    let d = project("");
    fs::write(
        d.path().join("typo.md"),
        "---\nbibliography: article.bib\n---\n\nAs argued [@bajanov1959, 3] and [@nobody2020].\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let o = run_in(d.path(), &["check", "typo.md"]);
    assert_eq!(o.status.code(), Some(1), "an error finding fails the check");
    let found = check_json(d.path(), "typo.md");
    let undefined = codes(&found, "citation-undefined");
    assert_eq!(undefined.len(), 2, "{found:?}");
    assert!(
        undefined[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("bajanov1995")),
        "{found:?}"
    );
    // Without a bibliography nothing is said.
    fs::write(d.path().join("plain.md"), "As argued [@bajanov1959].\n")
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(codes(&check_json(d.path(), "plain.md"), "citation").is_empty());
}

#[test]
fn citations_config_bibliographies_and_broken_entries() {
    let d = project("bibliographies = [\"better-bibtex.bib\", \"zotero.json\"]\n");
    fs::write(
        d.path().join("doc.md"),
        "Stueck [@stueck2002] and Chen [@chen1994] and Torkunov [@torkunov2000:war.origins].\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let found = check_json(d.path(), "doc.md");
    assert!(codes(&found, "citation-undefined").is_empty(), "{found:?}");
    let dup = codes(&found, "citation-duplicate-key");
    assert_eq!(dup.len(), 1, "{found:?}");
    let problems = codes(&found, "bibliography-problem");
    let messages: Vec<&str> = problems
        .iter()
        .filter_map(|p| p["message"].as_str())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("better-bibtex.bib:4") || m.contains("better-bibtex.bib:5")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("zotero.json")),
        "{messages:?}"
    );
}

#[test]
fn citations_paths_outside_the_workspace_are_refused() {
    let d = project("");
    let inner = d.path().join("inner");
    fs::create_dir_all(&inner).unwrap_or_else(|e| panic!("{e}"));
    fs::write(inner.join("annalist.toml"), "").unwrap_or_else(|e| panic!("{e}"));
    fs::write(
        inner.join("doc.md"),
        "---\nbibliography: ../article.bib\n---\n\nCited [@bajanov1995].\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let found = check_json(&inner, "doc.md");
    let p = codes(&found, "bibliography-problem");
    assert!(
        p.iter()
            .any(|f| f["message"].as_str().is_some_and(|m| m.contains("outside"))),
        "{found:?}"
    );
}

#[test]
fn citations_cited_lists_works_in_order() {
    let d = project("");
    let o = run_in(d.path(), &["cited", "article.md"]);
    assert_eq!(o.status.code(), Some(0));
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    let keys: Vec<&str> = out.lines().filter_map(|l| l.split('\t').next()).collect();
    assert_eq!(
        keys,
        [
            "bajanov1995",
            "weathersby1993",
            "cumings1981",
            "cumings1990",
            "goncharov1993"
        ]
    );
    assert!(out.contains("Uncertain Partners"), "{out}");
    let o = run_in(d.path(), &["cited", "article.md", "--format", "json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v["works"][0]["key"], "bajanov1995");
    assert_eq!(v["works"][0]["cited"], 3);
    assert_eq!(v["works"][0]["year"], "1995");
    let o = run_in(d.path(), &["cited", "article.md", "--format", "bibtex"]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(out.starts_with("@inproceedings{bajanov1995,"), "{out}");
    assert_eq!(out.matches("\n@").count() + 1, 5, "{out}");
}

#[test]
fn citations_explain_documents_the_rules() {
    for code in [
        "citation-undefined",
        "citation-duplicate-key",
        "citation-unused",
        "bibliography-problem",
    ] {
        let o = run_in(Path::new("."), &["explain", code]);
        assert_eq!(o.status.code(), Some(0), "{code}");
        assert!(String::from_utf8_lossy(&o.stdout).contains(code));
    }
}
