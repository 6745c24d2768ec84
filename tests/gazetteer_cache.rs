//! The project gazetteer cache (`names/cache.rs`), through the built binary: the first
//! `check` stores the loaded project gazetteers in `.annalist_cache/gazetteer/`, the
//! next one reads them (the file is not written again) and says the same; a changed
//! byte of a gazetteer file changes the result exactly as without a cache; and
//! `--no-cache` neither writes nor reads it. The language server keeps it in its
//! workspace root's cache directory.

mod common;

use serde_json::json;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::SystemTime;

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_annalist"))
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("ANNALIST_CACHE_DIR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"))
}

fn text(o: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn write(dir: &Path, rel: &str, text: &str) {
    fs::write(dir.join(rel), text).unwrap_or_else(|e| panic!("write: {e}"));
}

/// The gazetteer cache files under `cache`.
fn gazetteer_files(cache: &Path) -> Vec<PathBuf> {
    fs::read_dir(cache.join("gazetteer"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "bin"))
        .collect()
}

/// A file's bytes and modification time.
fn stamp(p: &Path) -> (Vec<u8>, Option<SystemTime>) {
    (
        fs::read(p).unwrap_or_default(),
        fs::metadata(p).and_then(|m| m.modified()).ok(),
    )
}

fn people(second: &str) -> String {
    format!(
        "[[entity]]\nid = \"zorinov\"\nkind = \"person\"\npreferred = \"Valerian Zorinov\"\nnames = [{{ text = \"Zorinov\", system = \"bgn-pcgn\" }}, {{ text = \"{second}\", system = \"french\" }}]\n"
    )
}

#[test]
fn a_project_gazetteer_is_cached_used_and_invalidated_by_a_byte() {
    let d = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    write(
        d.path(),
        "annalist.toml",
        "gazetteers = [\"people.toml\"]\n",
    );
    write(d.path(), "people.toml", &people("Sorinoff"));
    write(
        d.path(),
        "z.md",
        "Zorinov came. Sorinoff left. Zorinov stayed.\n",
    );
    let args = ["check", "--format", "json", "."];
    let fresh_args = ["check", "--no-cache", "--format", "json", "."];
    let cache = d.path().join(".annalist_cache");

    // --no-cache writes nothing.
    let fresh = text(&run(d.path(), &fresh_args));
    assert!(fresh.contains("Sorinoff"), "{fresh}");
    assert!(!cache.exists());

    // The first run stores the gazetteer; the second reads it: the same answer, and
    // the file is not written again.
    let first = text(&run(d.path(), &args));
    assert_eq!(first, fresh);
    let files = gazetteer_files(&cache);
    assert_eq!(files.len(), 1, "{files:?}");
    let file = &files[0];
    let stored = stamp(file);
    assert!(stored.0.len() > 40);
    let second = text(&run(d.path(), &args));
    assert_eq!(second, fresh);
    assert_eq!(stamp(file), stored, "a hit does not rewrite the cache");

    // One changed byte: "Sorinoff" is no longer a name of the entity, so the text's
    // "Sorinoff" is no second spelling; the result is the fresh run's, and the cache
    // is replaced.
    write(d.path(), "people.toml", &people("Sorinofe"));
    let changed_fresh = text(&run(d.path(), &fresh_args));
    assert_ne!(changed_fresh, fresh);
    assert_eq!(stamp(file), stored, "--no-cache does not touch the cache");
    let changed = text(&run(d.path(), &args));
    assert_eq!(changed, changed_fresh);
    assert_ne!(stamp(file).0, stored.0, "the cache was replaced");
    assert_eq!(gazetteer_files(&cache).len(), 1);

    // A damaged cache file is a miss: the same answer, and a good file again.
    let now = stamp(file);
    fs::write(file, &now.0[..now.0.len() / 2]).unwrap_or_else(|e| panic!("write: {e}"));
    assert_eq!(text(&run(d.path(), &args)), changed_fresh);
    assert_eq!(stamp(file).0.len(), now.0.len());
}

#[test]
fn the_server_caches_the_workspace_gazetteers_and_reads_them_again() {
    let d = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    write(
        d.path(),
        "annalist.toml",
        "gazetteers = [\"people.toml\"]\n",
    );
    write(d.path(), "people.toml", &people("Sorinoff"));
    let doc = "Zorinov came. Sorinoff left. Zorinov stayed.\n";
    write(d.path(), "z.md", doc);
    // The server's environment is this test's: the same directory.
    let cache = annalist::cachedir::directory(d.path());
    let uri = common::file_uri(&d.path().join("z.md"));
    let session = || {
        let mut lsp = common::Lsp::spawn_in(d.path());
        lsp.initialize_in(d.path(), json!({}));
        lsp.open(&uri, doc);
        let diagnostics = lsp.diagnostics(&uri, Some(1));
        let _ = lsp.shutdown();
        serde_json::to_string(&diagnostics).unwrap_or_default()
    };
    let first = session();
    assert!(first.contains("Sorinoff"), "{first}");
    let files = gazetteer_files(&cache);
    assert_eq!(files.len(), 1, "{files:?}");
    let stored = stamp(&files[0]);
    assert_eq!(session(), first);
    assert_eq!(stamp(&files[0]), stored, "a hit does not rewrite the cache");
}
