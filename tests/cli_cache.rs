//! `annalist check`'s cache of per-file results, through the built binary: a cached
//! run says exactly what a fresh one says; a changed file, configuration or gazetteer
//! is analysed again; cross-file findings follow a change in another file; a corrupt
//! cache is ignored; `--no-cache` writes nothing; `ANNALIST_CACHE_DIR` moves it; the
//! human format's snippets come from the cache only under the same path and colour;
//! the comparison across files is kept only while every compared file is unchanged.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn run(dir: &Path, args: &[&str], cache_dir: Option<&Path>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_annalist"));
    cmd.current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("ANNALIST_CACHE_DIR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(c) = cache_dir {
        cmd.env("ANNALIST_CACHE_DIR", c);
    }
    cmd.output().unwrap_or_else(|e| panic!("run: {e}"))
}

fn write(dir: &Path, rel: &str, text: &str) -> PathBuf {
    let p = dir.join(rel);
    if let Some(parent) = p.parent() {
        fs::create_dir_all(parent).unwrap_or_else(|e| panic!("mkdir: {e}"));
    }
    fs::write(&p, text).unwrap_or_else(|e| panic!("write: {e}"));
    p
}

fn text(o: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The pack files of a cache directory.
fn packs(cache: &Path) -> Vec<PathBuf> {
    fs::read_dir(cache.join("v4"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "bin"))
        .collect()
}

/// A collection with findings of its own (a broken note, OCR damage) and across files
/// (Sŏul in one file, Seoul in two).
fn collection() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    write(
        d.path(),
        "a.md",
        "Kim II Sung returned to Sŏul on 31 June 1950.[^9]\n",
    );
    write(d.path(), "docs/b.md", "The army reached Seoul.\n");
    write(d.path(), "docs/c.md", "Seoul again, and Seoul.\n");
    d
}

/// Check in every format, with and without the cache, and assert the two say the same;
/// the concise report (one line per finding), for the caller's assertions.
fn all_formats(dir: &Path, cache: Option<&Path>) -> String {
    let mut concise = String::new();
    for format in ["concise", "human", "json"] {
        let args = ["check", "--format", format, "."];
        let cached = text(&run(dir, &args, cache));
        let fresh_args = ["check", "--no-cache", "--format", format, "."];
        let fresh = text(&run(dir, &fresh_args, cache));
        assert_eq!(cached, fresh, "{format}");
        if format == "concise" {
            concise = cached;
        }
    }
    concise
}

#[test]
fn a_second_run_equals_the_first_and_reads_the_cache() {
    let d = collection();
    let first = run(d.path(), &["check", "--format", "json", "."], None);
    let cache = d.path().join(".annalist_cache");
    assert!(cache.join("CACHEDIR.TAG").is_file());
    let tag = fs::read_to_string(cache.join("CACHEDIR.TAG")).unwrap_or_default();
    assert!(tag.starts_with("Signature: 8a477f597d28d172789f06886806bc55"));
    let ignore = fs::read_to_string(cache.join(".gitignore")).unwrap_or_default();
    assert!(ignore.lines().any(|l| l == "*"), "{ignore}");
    assert_eq!(packs(&cache).len(), 1);
    let out = text(&first);
    assert!(out.contains("romanisation-inconsistent"), "{out}");
    assert!(out.contains("footnote-undefined"), "{out}");

    let second = run(d.path(), &["check", "--format", "json", "."], None);
    assert_eq!(first.stdout, second.stdout);
    assert_eq!(first.stderr, second.stderr);
    assert_eq!(first.status.code(), second.status.code());

    // The second run's own findings come from the pack: a message changed in it shows.
    let pack = &packs(&cache)[0];
    let stored = fs::read(pack).unwrap_or_default();
    assert!(find(&stored, b"footnote-undefined").is_some());
    // The pack is binary, with lengths before strings: the label keeps its length.
    let planted = plant(&stored, b"[^9]", b"[^7]");
    fs::write(pack, planted).unwrap_or_else(|e| panic!("write: {e}"));
    let third = run(d.path(), &["check", "--format", "json", "."], None);
    assert!(text(&third).contains("[^7]"), "{}", text(&third));
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// `bytes` with every `from` replaced by `to` (of the same length); at least one.
fn plant(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let mut out = bytes.to_vec();
    let mut at = 0;
    let mut n = 0;
    while let Some(i) = out.get(at..).and_then(|rest| find(rest, from)) {
        out.splice(at + i..at + i + from.len(), to.iter().copied());
        at += i + from.len();
        n += 1;
    }
    assert!(n > 0, "not in the pack: {}", String::from_utf8_lossy(from));
    out
}

#[test]
fn human_snippets_come_from_the_cache_under_the_same_path_and_colour() {
    let d = collection();
    let human = |dir: &Path, color: &str| {
        let args = ["check", "--color", color, "."];
        let cached = text(&run(dir, &args, None));
        let args = ["check", "--no-cache", "--color", color, "."];
        (cached, text(&run(dir, &args, None)))
    };
    // The first run draws and keeps the snippets; the second reads them.
    for color in ["never", "always", "never"] {
        for _ in 0..2 {
            let (cached, fresh) = human(d.path(), color);
            assert_eq!(cached, fresh, "{color}");
        }
    }
    let (never, _) = human(d.path(), "never");
    assert!(never.contains("footnote-undefined"), "{never}");
    // --quiet shows what fails the run, from the same cache.
    let quiet = ["check", "--quiet", "--color", "never", "."];
    let quiet_fresh = ["check", "--no-cache", "--quiet", "--color", "never", "."];
    let q = text(&run(d.path(), &quiet, None));
    assert_eq!(q, text(&run(d.path(), &quiet_fresh, None)));
    assert!(
        q.contains("footnote-undefined") && !q.contains("romanisation"),
        "{q}"
    );
    // A snippet changed in the pack shows: the snippets are read, not drawn again,
    // with --quiet too.
    let cache = d.path().join(".annalist_cache");
    let pack = &packs(&cache)[0];
    let stored = fs::read(pack).unwrap_or_default();
    fs::write(pack, plant(&stored, b"--> a.md", b"--> A.MD")).unwrap_or_else(|e| panic!("{e}"));
    let (planted, _) = human(d.path(), "never");
    assert!(planted.contains("--> A.MD"), "{planted}");
    let q = text(&run(d.path(), &quiet, None));
    assert!(q.contains("--> A.MD"), "{q}");
    // From another directory each file is shown under another path: drawn afresh.
    let sub = d.path().join("docs");
    let args = ["check", "--color", "never", ".."];
    let cached = text(&run(&sub, &args, Some(&cache)));
    assert_eq!(cached, text(&run(&sub, &args, Some(&cache))));
    let args = ["check", "--no-cache", "--color", "never", ".."];
    assert_eq!(cached, text(&run(&sub, &args, None)));
    assert!(cached.contains("--> ../a.md"), "{cached}");
}

/// The comparison across files is read from the cache, as found and as shown, while
/// every compared file is unchanged; an edit of any one of them (even one that changes
/// no name), a file deleted or added, makes it compared again.
#[test]
fn the_comparison_across_files_is_kept_until_a_file_changes() {
    let d = collection();
    all_formats(d.path(), None);
    let cache = d.path().join(".annalist_cache");
    let pack = &packs(&cache)[0];
    let stored = fs::read(pack).unwrap_or_default();
    // Only the cross-file finding says "majority": in its findings and its snippet.
    fs::write(pack, plant(&stored, b"majority", b"MAJORITY")).unwrap_or_else(|e| panic!("{e}"));
    for format in ["human", "concise", "json"] {
        let o = text(&run(d.path(), &["check", "--format", format, "."], None));
        assert!(o.contains("MAJORITY"), "{format}: {o}");
    }
    // c.md gains a blank line: its names are the same, its text is not.
    write(d.path(), "docs/c.md", "Seoul again, and Seoul.\n\n");
    let again = all_formats(d.path(), None);
    assert!(again.contains("majority"), "{again}");
    // A file deleted, then one added.
    fs::remove_file(d.path().join("docs/c.md")).unwrap_or_else(|e| panic!("rm: {e}"));
    let deleted = all_formats(d.path(), None);
    assert_ne!(deleted, again);
    write(d.path(), "docs/d.md", "Seoul, Seoul, Seoul.\n");
    let added = all_formats(d.path(), None);
    assert_ne!(added, deleted);
    assert!(added.contains("romanisation-inconsistent"), "{added}");
    // A file that cannot be checked (not UTF-8) beside unchanged ones.
    fs::write(d.path().join("docs/e.md"), b"caf\xe9\n").unwrap_or_else(|e| panic!("{e}"));
    let skipped = all_formats(d.path(), None);
    assert!(skipped.contains("docs/e.md"), "{skipped}");
    assert_eq!(all_formats(d.path(), None), skipped);
}

#[test]
fn a_corrupt_or_unreadable_cache_is_ignored() {
    let d = collection();
    let fresh = text(&run(d.path(), &["check", "--no-cache", "."], None));
    let cache = d.path().join(".annalist_cache");
    run(d.path(), &["check", "."], None);
    let pack = packs(&cache)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no pack"));
    let mut truncated = fs::read(&pack).unwrap_or_default();
    truncated.truncate(truncated.len() / 2);
    for garbage in [
        &b"\0\xff not a pack"[..],
        b"{\"fingerprint\": 3}",
        b"",
        &truncated,
    ] {
        fs::write(&pack, garbage).unwrap_or_else(|e| panic!("write: {e}"));
        assert_eq!(text(&run(d.path(), &["check", "."], None)), fresh);
    }
    // The pack is a directory: it can be neither read nor replaced.
    fs::remove_file(&pack).unwrap_or_else(|e| panic!("rm: {e}"));
    fs::create_dir(&pack).unwrap_or_else(|e| panic!("mkdir: {e}"));
    assert_eq!(text(&run(d.path(), &["check", "."], None)), fresh);
    // The cache directory is a file.
    fs::remove_dir_all(&cache).unwrap_or_else(|e| panic!("rm: {e}"));
    fs::write(&cache, "not a directory").unwrap_or_else(|e| panic!("write: {e}"));
    assert_eq!(text(&run(d.path(), &["check", "."], None)), fresh);
}

#[test]
fn a_changed_file_is_analysed_again_and_the_others_compared_again() {
    let d = collection();
    let cached = all_formats(d.path(), None);
    assert!(cached.contains("romanisation-inconsistent"), "{cached}");
    // a.md now writes Seoul too: its own finding and the cross-file one (in a.md,
    // pointing at the unchanged b.md and c.md) both go.
    write(d.path(), "a.md", "Kim II Sung returned to Seoul.[^9]\n");
    let cached2 = all_formats(d.path(), None);
    assert_ne!(cached2, cached);
    assert!(!cached2.contains("romanisation-inconsistent"), "{cached2}");
    // b.md, unchanged and cached, is now the one the comparison judges.
    write(d.path(), "a.md", "Sŏul.\n");
    write(d.path(), "docs/c.md", "Sŏul again, and Sŏul.\n");
    let cached3 = all_formats(d.path(), None);
    assert!(
        cached3
            .lines()
            .any(|l| l.starts_with("docs/b.md") && l.contains("romanisation-inconsistent")),
        "{cached3}"
    );
}

#[test]
fn a_changed_configuration_or_gazetteer_invalidates() {
    let d = collection();
    let before = all_formats(d.path(), None);
    write(
        d.path(),
        "annalist.toml",
        "[rules]\nfootnote-undefined = \"off\"\n",
    );
    let cached = all_formats(d.path(), None);
    assert_ne!(cached, before);
    assert!(!cached.contains("footnote-undefined"), "{cached}");
    // A command-line selection is part of the configuration too.
    let sel = ["check", "--select", "date-", "."];
    let o = text(&run(d.path(), &sel, None));
    assert_eq!(o, text(&run(d.path(), &sel, None)));
    assert!(!o.contains("romanisation"), "{o}");
    assert!(o.contains("date-invalid"), "{o}");

    // A project gazetteer that gives a name two spellings; then only one.
    write(
        d.path(),
        "annalist.toml",
        "gazetteers = [\"people.toml\"]\n",
    );
    write(
        d.path(),
        "z.md",
        "Zorinov came. Sorinoff left. Zorinov stayed.\n",
    );
    let entity = |names: &str| {
        format!(
            "[[entity]]\nid = \"zorinov\"\nkind = \"person\"\npreferred = \"Valerian Zorinov\"\nnames = [{names}]\n"
        )
    };
    write(
        d.path(),
        "people.toml",
        &entity(
            "{ text = \"Zorinov\", system = \"bgn-pcgn\" }, { text = \"Sorinoff\", system = \"french\" }",
        ),
    );
    let cached = all_formats(d.path(), None);
    assert!(cached.contains("Sorinoff"), "{cached}");
    write(
        d.path(),
        "people.toml",
        &entity("{ text = \"Zorinov\", system = \"bgn-pcgn\" }"),
    );
    let cached2 = all_formats(d.path(), None);
    assert_ne!(cached2, cached);
}

#[test]
fn no_cache_writes_nothing_and_the_environment_moves_it() {
    let d = collection();
    let o = run(d.path(), &["check", "--no-cache", "."], None);
    assert!(o.status.code().is_some());
    assert!(!d.path().join(".annalist_cache").exists());

    let elsewhere = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let moved = elsewhere.path().join("c");
    let first = run(d.path(), &["check", "."], Some(&moved));
    assert!(!d.path().join(".annalist_cache").exists());
    assert!(moved.join("CACHEDIR.TAG").is_file());
    assert_eq!(packs(&moved).len(), 1);
    let second = run(d.path(), &["check", "."], Some(&moved));
    assert_eq!(text(&first), text(&second));
}

#[test]
fn fix_runs_leave_a_cache_that_matches_the_files() {
    let d = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    // OCR damage: --unsafe-fixes repairs it.
    write(d.path(), "a.md", "Kim II Sung spoke.\n");
    write(d.path(), "b.md", "Nothing to fix.\n");
    let before = text(&run(d.path(), &["check", "--format", "json", "."], None));
    let diff = run(d.path(), &["check", "--diff", "--unsafe-fixes", "."], None);
    assert_eq!(diff.status.code(), Some(1), "{}", text(&diff));
    // --diff wrote nothing; the cache still answers for the file as it is.
    assert_eq!(
        text(&run(d.path(), &["check", "--format", "json", "."], None)),
        before
    );
    let fix = run(d.path(), &["check", "--fix", "--unsafe-fixes", "."], None);
    assert!(fix.status.code().is_some(), "{}", text(&fix));
    let after = fs::read_to_string(d.path().join("a.md")).unwrap_or_default();
    assert_eq!(after, "Kim Il Sung spoke.\n");
    let args = ["check", "--format", "json", "."];
    let cached = text(&run(d.path(), &args, None));
    let fresh = text(&run(
        d.path(),
        &["check", "--no-cache", "--format", "json", "."],
        None,
    ));
    assert_eq!(cached, fresh);
    assert_ne!(cached, before);
}

/// A run of one file, and a run over two configurations (two packs), are written from
/// the cache when unchanged (a planted word shows) and say what a fresh run says.
#[test]
fn one_file_and_two_configurations_are_written_from_the_cache() {
    for args in [&["check", "--color", "never", "."][..], &["check", "a.md"]] {
        let d = collection();
        write(
            d.path(),
            "docs/annalist.toml",
            "[rules]\nfootnote-undefined = \"off\"\n",
        );
        write(d.path(), "docs/d.md", "On 31 June 1950.[^9]\n");
        let cache = d.path().join(".annalist_cache");
        let fresh = text(&run(d.path(), &[args, &["--no-cache"]].concat(), None));
        for _ in 0..2 {
            assert_eq!(text(&run(d.path(), args, None)), fresh, "{args:?}");
        }
        for pack in packs(&cache) {
            let stored = fs::read(&pack).unwrap_or_default();
            if find(&stored, b"cannot exist").is_some() {
                let planted = plant(&stored, b"cannot exist", b"CANNOT EXIST");
                fs::write(&pack, planted).unwrap_or_else(|e| panic!("{e}"));
            }
        }
        let planted = text(&run(d.path(), args, None));
        // Two configurations, two packs, a date in each; one file, one.
        let expected = if args.len() == 4 { 2 } else { 1 };
        assert_eq!(packs(&cache).len(), expected);
        assert_eq!(
            planted.matches("CANNOT EXIST").count(),
            expected,
            "{planted}"
        );
    }
}

/// A `--quiet` run keeps every drawn diagnostic in the cache, not only those it shows:
/// the next run, quiet or not, is written from the cache (before, a collection only
/// ever checked with `--quiet` drew everything again on every run).
#[test]
fn a_quiet_run_keeps_the_drawings_for_the_next_run() {
    let d = collection();
    let quiet = ["check", "--quiet", "--color", "never", "."];
    let full = ["check", "--color", "never", "."];
    let q = text(&run(d.path(), &quiet, None));
    assert_eq!(
        q,
        text(&run(
            d.path(),
            &["check", "--no-cache", "--quiet", "--color", "never", "."],
            None
        ))
    );
    assert!(!q.contains("romanisation"), "{q}");
    // The quiet run drew the findings it did not show: they are in the pack.
    let cache = d.path().join(".annalist_cache");
    let pack = &packs(&cache)[0];
    let stored = fs::read(pack).unwrap_or_default();
    let planted = plant(&stored, b"--> a.md", b"--> A.MD");
    fs::write(pack, planted).unwrap_or_else(|e| panic!("{e}"));
    let shown = text(&run(d.path(), &full, None));
    assert!(shown.contains("--> A.MD"), "{shown}");
    assert!(
        text(&run(d.path(), &quiet, None)).contains("--> A.MD"),
        "the quiet run reads the same drawings"
    );
}
