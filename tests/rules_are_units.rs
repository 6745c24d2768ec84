//! A rule is a unit you can find (issue #11): every rule of the one registry,
//! `annalist::rules::all()`, has its documentation (the source of `annalist explain` and
//! of its page under docs/rules/), at least one test that names it, and a row in the
//! README's table. A rule added without them fails here, naming what is missing.

use std::fs;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// The test code of the repository: `tests/` (suites, snapshots, data) and, in `src/`,
/// test modules (`tests.rs`, `*_tests.rs`) and what follows a `#[cfg(test)]` line.
fn test_code() -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut paths = Vec::new();
    files(&root().join("tests"), &mut paths);
    for p in paths {
        if p.ends_with("rules_are_units.rs") {
            continue;
        }
        if let Ok(t) = fs::read_to_string(&p) {
            out.push((p, t));
        }
    }
    let mut paths = Vec::new();
    files(&root().join("src"), &mut paths);
    for p in paths {
        let Ok(t) = fs::read_to_string(&p) else {
            continue;
        };
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name == "tests.rs" || name.ends_with("_tests.rs") {
            out.push((p, t));
        } else if let Some(at) = t.find("#[cfg(test)]") {
            out.push((p, t[at..].to_string()));
        }
    }
    out
}

#[test]
fn every_rule_has_docs_tests_and_a_readme_row() {
    let readme = fs::read_to_string(root().join("README.md")).unwrap_or_default();
    let tests = test_code();
    let mut missing = Vec::new();
    let rules = annalist::rules::all();
    assert!(rules.len() >= 15, "only {} rules registered", rules.len());
    for r in &rules {
        let code = r.code;
        if r.summary.trim().is_empty() {
            missing.push(format!("{code}: no summary"));
        }
        let example = r.doc.contains("```")
            || r.doc
                .lines()
                .any(|l| l.starts_with("    ") && !l.trim().is_empty())
            || r.doc.to_lowercase().contains("example");
        if r.doc.len() < 300 || !example {
            missing.push(format!(
                "{code}: documentation shorter than 300 bytes or without an example"
            ));
        }
        if !root()
            .join("docs/rules")
            .join(format!("{code}.md"))
            .is_file()
        {
            missing.push(format!(
                "{code}: no docs/rules/{code}.md (run `annalist explain --write-docs docs/rules`)"
            ));
        }
        if !readme.contains(&format!("| `{code}` |")) {
            missing.push(format!("{code}: no row in the README's rule table"));
        }
        let quoted = format!("\"{code}\"");
        let tested = tests
            .iter()
            .any(|(_, t)| t.contains(&quoted) || t.contains(&format!("`{code}`")));
        if !tested {
            missing.push(format!("{code}: no test names it (\"{code}\")"));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// The README lists no rule the registry does not have.
#[test]
fn the_readme_lists_only_registered_rules() {
    let readme = fs::read_to_string(root().join("README.md")).unwrap_or_default();
    let codes: Vec<&str> = annalist::rules::all().iter().map(|r| r.code).collect();
    let table = readme
        .split("| code | severity | finds |")
        .nth(1)
        .unwrap_or("");
    let mut rows = 0;
    for line in table.lines().skip(2) {
        if !line.starts_with("| `") {
            break;
        }
        rows += 1;
        let code = line.split('`').nth(1).unwrap_or("");
        assert!(
            codes.contains(&code),
            "README lists `{code}`, which no rule has"
        );
    }
    assert_eq!(rows, codes.len(), "README rows vs registered rules");
}
