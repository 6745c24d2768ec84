//! The layering of `src/`, checked from the `use` lines (ARCHITECTURE.md draws it).
//!
//! Each top-level module sits on a floor; production code may name modules on its own
//! floor or below, never above, and the modules never form a circle. Test code (a
//! `#[cfg(test)]` module at the end of a file, or a `tests.rs`/`*_tests.rs` file) may
//! call upward: a rule's tests run the whole analysis. Also: no file in `src/` is over
//! 1,000 lines.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Floors, bottom to top. A module may use modules on lower floors, and on its own
/// floor only where the list of same-floor edges below allows it.
const FLOORS: &[&[&str]] = &[
    &["finding", "position", "memo", "cachedir"],
    &["kind", "romanisation", "config", "project"],
    &["markdown", "suppress", "prose"],
    &["gazetteer"],
    &["names", "notes", "dates", "citations"],
    &["claims"],
    &["layers"],
    &["facts"],
    &["rules"],
    &["analysis"],
    &["workspace", "file_cache"],
    &["ide"],
    &["document"],
    &["lsp"],
    &["cli"],
];

/// Upward edges not yet removed, each with its way out. The test fails on any other
/// upward edge, and on an edge listed here that is gone (so the list only shrinks).
/// Empty now: `config` takes the rule codes from its caller and reads the romanisation
/// vocabulary from `romanisation`, on its own floor.
const KNOWN_DEBT: &[(&str, &str, &str)] = &[];

fn floor_of(module: &str) -> Option<usize> {
    FLOORS.iter().position(|f| f.contains(&module))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The production part of a source file: test modules cut off.
fn production(path: &Path, text: &str) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name == "tests.rs" || name.ends_with("_tests.rs") {
        return String::new();
    }
    let mut out = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if line.trim() == "#[cfg(test)]" {
            match lines.peek() {
                // `mod tests;` declarations: skip the two lines.
                Some(next) if next.trim_end().ends_with(';') => {
                    lines.next();
                    continue;
                }
                // A test module block: by convention the rest of the file.
                Some(next) if next.contains("mod ") => break,
                _ => {}
            }
        }
        // Comments (doc links included) are not dependencies.
        let code = match line.find("//") {
            Some(i) if !line[..i].contains('"') => &line[..i],
            _ => line,
        };
        out.push_str(code);
        out.push('\n');
    }
    out
}

/// The modules of `src/` and the modules each one's production code names.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in files {
        let rel = f.strip_prefix(&src).unwrap_or(&f);
        let first = rel
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .unwrap_or("")
            .trim_end_matches(".rs")
            .to_string();
        if first == "lib" || first == "main" {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        let code = production(&f, &text);
        let deps = g.entry(first.clone()).or_default();
        for (i, _) in code.match_indices("crate::") {
            let rest = &code[i + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() && name != first {
                deps.insert(name);
            }
        }
    }
    g
}

#[test]
fn no_import_points_upward() {
    let g = graph();
    let mut wrong = Vec::new();
    for (m, deps) in &g {
        let Some(mf) = floor_of(m) else {
            wrong.push(format!(
                "module `{m}` is on no floor: add it to FLOORS and ARCHITECTURE.md"
            ));
            continue;
        };
        for d in deps {
            if KNOWN_DEBT.iter().any(|(a, b, _)| a == m && b == d) {
                continue;
            }
            match floor_of(d) {
                Some(df) if df <= mf => {}
                Some(_) => wrong.push(format!("`{m}` (floor {mf}) uses `{d}`, which is above it")),
                None => wrong.push(format!("`{m}` uses `{d}`, which is on no floor")),
            }
        }
    }
    for (a, b, why) in KNOWN_DEBT {
        if !g.get(*a).is_some_and(|d| d.contains(*b)) {
            wrong.push(format!(
                "`{a}` no longer uses `{b}` ({why}): remove it from KNOWN_DEBT"
            ));
        }
    }
    assert!(wrong.is_empty(), "layering broken:\n{}", wrong.join("\n"));
}

#[test]
fn modules_form_no_circle() {
    let g = graph();
    // Depth-first search for a back edge.
    fn visit(
        m: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match state.get(m) {
            Some(2) => return None,
            Some(1) => {
                let start = path.iter().position(|p| p == m).unwrap_or(0);
                let mut c = path[start..].to_vec();
                c.push(m.to_string());
                return Some(c);
            }
            _ => {}
        }
        state.insert(m.to_string(), 1);
        path.push(m.to_string());
        for d in g.get(m).into_iter().flatten() {
            if let Some(c) = visit(d, g, state, path) {
                return Some(c);
            }
        }
        path.pop();
        state.insert(m.to_string(), 2);
        None
    }
    // The known upward edges are left out here too; they are counted above.
    let g: BTreeMap<String, BTreeSet<String>> = g
        .into_iter()
        .map(|(m, deps)| {
            let kept = deps
                .into_iter()
                .filter(|d| !KNOWN_DEBT.iter().any(|(a, b, _)| *a == m && b == d))
                .collect();
            (m, kept)
        })
        .collect();
    let mut state = BTreeMap::new();
    for m in g.keys() {
        let mut path = Vec::new();
        if let Some(c) = visit(m, &g, &mut state, &mut path) {
            panic!("modules form a circle: {}", c.join(" → "));
        }
    }
}

/// Files still over the limit, each with its way out; the list only shrinks.
const LONG_FILES_LEFT: &[(&str, &str)] = &[];

#[test]
fn no_source_file_is_over_a_thousand_lines() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let n = std::fs::read_to_string(f).ok()?.lines().count();
            let rel = f
                .strip_prefix(env!("CARGO_MANIFEST_DIR"))
                .unwrap_or(f)
                .to_string_lossy()
                .replace('\\', "/");
            let left = LONG_FILES_LEFT.iter().any(|(p, _)| *p == rel);
            match (n > 1000, left) {
                (true, false) => Some(format!("{} has {n} lines", f.display())),
                (false, true) => Some(format!(
                    "{rel} is short now: remove it from LONG_FILES_LEFT"
                )),
                _ => None,
            }
        })
        .collect();
    assert!(
        long.is_empty(),
        "split these along their seams:\n{}",
        long.join("\n")
    );
}

/// The checker itself: a circle and an upward edge are found.
#[test]
fn the_checker_sees_what_it_checks() {
    assert!(floor_of("facts") > floor_of("names"));
    let t = "use crate::a;\n#[cfg(test)]\nmod tests;\nfn f() {}\n#[cfg(test)]\nmod tests {\n use crate::z;\n}\n";
    let p = production(Path::new("x.rs"), t);
    assert!(p.contains("crate::a") && p.contains("fn f") && !p.contains("crate::z"));
}
