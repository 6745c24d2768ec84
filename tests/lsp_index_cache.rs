//! The server's index of the workspace's unopened files reads their name indexes from
//! the per-file cache `annalist check` keeps, and stores what it analysed: through the
//! real binary, the cross-file findings with a warm cache equal those without one and
//! `check`'s; a warm start analyses nothing; a file edited on disk is analysed again;
//! a cache that cannot be written changes nothing but the work. Work is counted (the
//! server's log line), never timed.

mod common;
use common::*;
use serde_json::{Value, json};
use std::path::Path;

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    if let Some(d) = p.parent() {
        std::fs::create_dir_all(d).expect("mkdir");
    }
    std::fs::write(p, text).expect("write");
}

/// A collection with a spelling across files: Sŏul in a.md, Seoul in the other two.
fn collection() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().canonicalize().expect("canonical");
    write(
        &root,
        "a.md",
        "Kim Il Sung returned to Sŏul on 5 March 1949.[^1]\n\n[^1]: A note.\n",
    );
    write(&root, "docs/b.md", "The army reached Seoul.\n");
    write(&root, "docs/c.md", "Seoul again, and Seoul.\n");
    (dir, root)
}

/// How a server's start went: files analysed, read from the cache, open.
#[derive(Debug, PartialEq, Eq)]
struct Work {
    analysed: usize,
    cached: usize,
    open: usize,
}

/// Start the server in `root`, wait for its workspace index (and its cache write),
/// then open a.md: the work the index did, and a.md's diagnostics.
fn session(root: &Path) -> (Work, Vec<Diag>) {
    let mut lsp = Lsp::spawn_in(root);
    lsp.initialize_in(root, json!({"general": {"positionEncodings": ["utf-16"]}}));
    let log = lsp.notification("window/logMessage", |p| {
        p["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("annalist: workspace index:"))
    });
    let message = log["message"].as_str().unwrap_or("");
    let n: Vec<usize> = message
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|s| s.parse().ok())
        .collect();
    let [analysed, cached, open] = n[..] else {
        panic!("unexpected summary: {message}");
    };
    let path = root.join("a.md");
    let text = std::fs::read_to_string(&path).expect("read");
    let uri = file_uri(&path);
    lsp.open(&uri, &text);
    let diags = lsp.diagnostics(&uri, Some(1));
    assert!(lsp.shutdown().success());
    (
        Work {
            analysed,
            cached,
            open,
        },
        from_server(&diags, &text),
    )
}

fn check(root: &Path, no_cache: bool) -> Vec<Diag> {
    let mut args = vec!["check", "--format", "json"];
    if no_cache {
        args.push("--no-cache");
    }
    args.push(".");
    let out = std::process::Command::new(bin())
        .args(&args)
        .current_dir(root)
        .output()
        .expect("run check");
    let report: Value = serde_json::from_slice(&out.stdout).expect("json report");
    from_cli(&report, "a.md")
}

fn work(analysed: usize, cached: usize) -> Work {
    Work {
        analysed,
        cached,
        open: 0,
    }
}

/// A cold start analyses every file and stores them; a warm start analyses none and
/// finds the same; after `check` (which replaces the server's entries with full ones
/// under its own key) a start still analyses none. All equal `check`'s findings.
#[test]
fn a_warm_start_analyses_nothing_and_finds_what_a_cold_one_finds() {
    let (_dir, root) = collection();
    let (cold, cold_diags) = session(&root);
    assert_eq!(cold, work(3, 0));
    assert!(
        cold_diags
            .iter()
            .any(|d| d.0 == "romanisation-inconsistent"),
        "{cold_diags:?}"
    );
    assert!(root.join(".annalist_cache/CACHEDIR.TAG").is_file());

    let (warm, warm_diags) = session(&root);
    assert_eq!(warm, work(0, 3));
    assert_eq!(warm_diags, cold_diags);

    // `check` agrees, with and without the cache the server wrote.
    assert_eq!(check(&root, true), cold_diags);
    assert_eq!(check(&root, false), cold_diags);
    assert_eq!(check(&root, false), cold_diags);

    // The entries `check` wrote serve the server.
    let (after_check, diags) = session(&root);
    assert_eq!(after_check, work(0, 3));
    assert_eq!(diags, cold_diags);
}

/// A document opened the moment the server is initialised, as editors do, while the
/// index walks the folder: the index does not analyse it (it is open; or, when the walk
/// reached it first, from disk), and the open document's own first analysis stores
/// its name index, so the next start, cold for that file or not, analyses nothing.
#[test]
fn a_document_open_at_start_is_cached_for_the_next_start() {
    let (_dir, root) = collection();
    let path = root.join("a.md");
    let text = std::fs::read_to_string(&path).expect("read");
    let uri = file_uri(&path);
    {
        let mut lsp = Lsp::spawn_in(&root);
        lsp.initialize_in(&root, json!({"general": {"positionEncodings": ["utf-16"]}}));
        lsp.open(&uri, &text);
        let log = lsp.notification("window/logMessage", |p| {
            p["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("annalist: workspace index:"))
        });
        let message = log["message"].as_str().unwrap_or("");
        assert!(
            message.ends_with("3 files analysed, 0 read from the cache, 0 open in the editor")
                || message
                    .ends_with("2 files analysed, 0 read from the cache, 1 open in the editor"),
            "{message}"
        );
        lsp.diagnostics(&uri, Some(1));
        assert!(lsp.shutdown().success());
    }
    let (next, _) = session(&root);
    assert_eq!(next, work(0, 3));
}

/// A cache `check` filled from nothing serves the server's first start.
#[test]
fn a_cache_check_wrote_serves_the_first_start() {
    let (_dir, root) = collection();
    let cli = check(&root, false);
    let (first, diags) = session(&root);
    assert_eq!(first, work(0, 3));
    assert_eq!(diags, cli);
}

/// A file changed on disk between two starts is analysed again (its entry is for
/// another text) and the cross-file findings follow it, as `check`'s do.
#[test]
fn a_file_edited_on_disk_is_analysed_again() {
    let (_dir, root) = collection();
    let (_, before) = session(&root);
    assert!(before.iter().any(|d| d.0 == "romanisation-inconsistent"));
    // Now Sŏul is written in two files of three: a.md is no longer the odd one.
    write(&root, "docs/b.md", "The army reached Sŏul.\n");
    let (edited, diags) = session(&root);
    assert_eq!(edited, work(1, 2));
    assert!(
        !diags.iter().any(|d| d.0 == "romanisation-inconsistent"),
        "{diags:?}"
    );
    assert_eq!(diags, check(&root, true));
    let (again, _) = session(&root);
    assert_eq!(again, work(0, 3));
}

/// A cache directory that cannot be created (a file holds its place) and a workspace
/// that cannot be written: the server works, finds what `check` finds, and only does
/// more work.
#[test]
fn a_cache_that_cannot_be_written_changes_only_the_work() {
    let (_dir, root) = collection();
    write(&root, ".annalist_cache", "not a directory\n");
    let cli = check(&root, true);
    for _ in 0..2 {
        let (w, diags) = session(&root);
        assert_eq!(w, work(3, 0));
        assert_eq!(diags, cli);
    }
    assert_eq!(
        std::fs::read_to_string(root.join(".annalist_cache"))
            .ok()
            .as_deref(),
        Some("not a directory\n")
    );

    // A warm cache in a workspace made read-only after a file changed: the entries
    // still serve, the changed file is analysed, and nothing fails. (Run as root, the
    // permissions do not bind and the write succeeds; the test passes either way.)
    let (_dir2, root2) = collection();
    session(&root2);
    write(&root2, "docs/c.md", "Sŏul again, and Sŏul.\n");
    let cli = check(&root2, true);
    let set_mode = |writable: bool| {
        let mut stack = vec![root2.clone()];
        while let Some(p) = stack.pop() {
            if p.is_dir() {
                stack.extend(
                    std::fs::read_dir(&p)
                        .expect("read dir")
                        .flatten()
                        .map(|e| e.path()),
                );
            }
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = match (p.is_dir(), writable) {
                    (true, true) => 0o755,
                    (true, false) => 0o555,
                    (false, true) => 0o644,
                    (false, false) => 0o444,
                };
                std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).expect("chmod");
            }
        }
    };
    set_mode(false);
    let (w, diags) = session(&root2);
    set_mode(true);
    assert_eq!(w, work(1, 2));
    assert_eq!(diags, cli);
}
