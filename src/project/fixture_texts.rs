//! The repository's Markdown fixtures, for the tests that run over every one of them.

use std::path::PathBuf;

/// Each `.md` file of `fixtures/`, `fixtures/real/` and `fixtures/variants/` with its
/// text, in a stable order. Panics if there are none (a test over no fixture passes
/// for nothing).
pub(crate) fn all() -> Vec<(PathBuf, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in ["fixtures", "fixtures/real", "fixtures/variants"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "md"))
            .collect();
        paths.sort();
        for p in paths {
            if let Ok(text) = std::fs::read_to_string(&p) {
                out.push((p, text));
            }
        }
    }
    assert!(out.len() > 30, "the fixtures were not found");
    out
}
