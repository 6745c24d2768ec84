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

/// 1-based line of the first line of `file` (in fixtures/citations) containing `needle`.
fn line_of(file: &str, needle: &str) -> usize {
    let text = fs::read_to_string(fixture_dir().join(file)).unwrap_or_else(|e| panic!("{e}"));
    text.lines()
        .position(|l| l.contains(needle))
        .map(|i| i + 1)
        .unwrap_or_else(|| panic!("{needle} not in {file}"))
}

/// Pandoc's own citation examples (the manual's "Citation syntax" section, keys
/// swapped for the fixture's), a footnote citing, CSL JSON and CSL YAML keys, and the
/// near-misses (e-mail, `@` in code and URLs, a handle in a quotation): exactly the
/// three keys no bibliography has are reported, each where it is written.
#[test]
fn citations_pandoc_examples_through_check() {
    let d = project("");
    let found = check_json(d.path(), "pandoc-examples.md");
    let mut undefined: Vec<(u64, String)> = codes(&found, "citation-undefined")
        .iter()
        .map(|f| {
            (
                f["range"]["start"]["line"].as_u64().unwrap_or(0),
                f["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    undefined.sort();
    let keys = ["torkunov2000:war.origins", "bajanov1959", "nobody2020"];
    assert_eq!(undefined.len(), 3, "{found:?}");
    for (u, key) in undefined.iter().zip(keys) {
        assert!(u.1.contains(key), "{u:?} should name {key}");
    }
    assert_eq!(
        undefined[0].0 as usize,
        line_of("pandoc-examples.md", "[@torkunov2000:war.origins]")
    );
    assert_eq!(
        undefined[1].0 as usize,
        line_of("pandoc-examples.md", "A typo [@bajanov1959]")
    );
    assert!(undefined[1].1.contains("bajanov1995"), "{undefined:?}");
    // Nothing else about citations: the near-misses are not citations, the three
    // bibliographies load (the JSON's item without an id is its one problem).
    let others: Vec<&Value> = codes(&found, "citation")
        .into_iter()
        .filter(|f| f["code"] != "citation-undefined")
        .collect();
    assert!(others.is_empty(), "{others:?}");
    let problems = codes(&found, "bibliography-problem");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("zotero.json")),
        "{problems:?}"
    );
    // Works cited, in order of first citation: BibTeX, CSL JSON, CSL YAML (braced
    // key), and the footnote's citation.
    let o = run_in(
        d.path(),
        &["cited", "pandoc-examples.md", "--format", "json"],
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}"));
    let keys: Vec<&str> = v["works"]
        .as_array()
        .map(|a| a.iter().filter_map(|w| w["key"].as_str()).collect())
        .unwrap_or_default();
    for k in ["chen1994", "shen2012", "goncharov1993"] {
        assert!(keys.contains(&k), "{k} not in {keys:?}");
    }
    let order: Vec<&str> = keys
        .iter()
        .copied()
        .filter(|k| ["bajanov1995", "chen1994", "shen2012"].contains(k))
        .collect();
    assert_eq!(order, ["bajanov1995", "chen1994", "shen2012"], "{keys:?}");
    assert!(
        !keys.contains(&"someone") && !keys.contains(&"handle"),
        "{keys:?}"
    );
}

/// A Better BibTeX export in BibLaTeX mode: `date = {1995-07}`, `langid`, `location`,
/// keys with `:`, `.`, `-`, `_`; the broken entry is reported at its own line and
/// loses only itself.
#[test]
fn citations_biblatex_dates_and_the_broken_entry_through_the_binary() {
    let d = project("bibliographies = [\"better-bibtex.bib\"]\n");
    fs::write(
        d.path().join("doc.md"),
        "Mansourov [@mansourov1995, 95] and the report [@kim_il_sung-1950] and [@broken1999].\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let found = check_json(d.path(), "doc.md");
    let undefined = codes(&found, "citation-undefined");
    assert_eq!(undefined.len(), 1, "only the broken entry's key: {found:?}");
    assert!(
        undefined[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("broken1999")),
        "{found:?}"
    );
    let broken = codes(&found, "bibliography-problem");
    assert_eq!(broken.len(), 1, "{broken:?}");
    let entry = line_of("better-bibtex.bib", "@book{broken1999,");
    let msg = broken[0]["message"].as_str().unwrap_or("");
    let at = (entry..entry + 4).any(|l| msg.contains(&format!("better-bibtex.bib:{l}:")));
    assert!(at, "not at the broken entry (line {entry}): {msg}");
    let o = run_in(d.path(), &["cited", "doc.md", "--format", "json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}"));
    let m = &v["works"][0];
    assert_eq!(m["key"], "mansourov1995", "{v}");
    assert_eq!(m["year"], "1995", "{v}");
    let reference = m["reference"].as_str().unwrap_or("");
    assert!(reference.contains("Mansourov"), "{reference}");
    assert!(reference.contains("1995"), "{reference}");
    assert_eq!(v["works"][1]["key"], "kim_il_sung-1950", "{v}");
}

/// An unknown `citation_style` is a configuration error that says what, where and
/// what to do — not a silent fallback.
#[test]
fn citations_unknown_style_is_a_configuration_error() {
    let d = project("citation_style = \"chicago-note\"\n");
    let o = run_in(d.path(), &["check", "article.md"]);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("annalist.toml:1:"), "{err}");
    assert!(err.contains("`chicago-note`"), "{err}");
    assert!(err.contains("did you mean `chicago-notes`"), "{err}");
    assert!(err.contains("chicago-author-date"), "{err}");
    // A style hayagriva bundles is accepted, and formats the references.
    let d = project("citation_style = \"apa\"\n");
    let o = run_in(d.path(), &["check", "article.md"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = run_in(d.path(), &["cited", "article.md", "--format", "json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}"));
    let r = v["works"][2]["reference"].as_str().unwrap_or("");
    // APA puts the year in parentheses after the author: "Cumings, B. (1981)."
    assert!(r.contains("(1981)"), "{r}");
}
