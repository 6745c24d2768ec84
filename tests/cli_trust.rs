//! Issue #16, "what broke trust": each case through the built binary.
//!
//! Findings are planted as in tests/cli.rs: a tiny `limits.max_document_bytes` makes
//! the engine's `analysis-limited` info finding appear on every larger document.

#[path = "common/cli.rs"]
mod cli;

use cli::*;
use serde_json::Value;
use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// A text with a safe fix (an OCR-damaged name), as in tests/cli.rs.
const FIXABLE: &str =
    "# Moscow, 1949\n\nReceiving Kim II Sung in the Kremlin, Stalin spoke first.\n";

// ---------------------------------------------------------------- configuration

/// Run from above book/: book/annalist.toml governs book's files, as in the editor;
/// another directory's files keep theirs (or the defaults).
#[test]
fn each_file_gets_its_nearest_config() {
    let d = tmp();
    write(d.path(), "book/annalist.toml", TINY_LIMIT);
    write(d.path(), "book/ch/a.md", BIG);
    write(d.path(), "other/b.md", BIG);
    let o = run_in(d.path(), &["check", "--format", "json", "book/ch/a.md"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(codes_of(&json(&o), "book/ch/a.md"), [PLANTED]);

    let o = run_in(d.path(), &["check", "--format", "json", "."]);
    let v = json(&o);
    assert_eq!(paths(&v), ["book/ch/a.md", "other/b.md"]);
    assert_eq!(codes_of(&v, "book/ch/a.md"), [PLANTED]);
    assert!(codes_of(&v, "other/b.md").is_empty(), "{v}");

    // --isolated: no annalist.toml; --config FILE: that one for every file.
    let o = run_in(
        d.path(),
        &["check", "--format", "json", "--isolated", "book"],
    );
    assert!(codes_of(&json(&o), "book/ch/a.md").is_empty());
    let o = run_in(
        d.path(),
        &[
            "check",
            "--format",
            "json",
            "--config",
            "book/annalist.toml",
            ".",
        ],
    );
    assert_eq!(codes_of(&json(&o), "other/b.md"), [PLANTED]);
    let o = run_in(d.path(), &["check", "--config", "x.toml", "--isolated"]);
    assert_eq!(code(&o), 2, "conflicting flags");

    // --show-settings FILE: the settings and where they came from.
    let o = run_in(d.path(), &["check", "--show-settings", "book/ch/a.md"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let s = stdout(&o);
    assert!(s.contains("# from book/annalist.toml"), "{s}");
    assert!(s.contains("max_document_bytes = 64"), "{s}");
    let o = run_in(d.path(), &["check", "--show-settings", "other/b.md"]);
    assert!(
        stdout(&o).contains("no annalist.toml applies"),
        "{}",
        stdout(&o)
    );
}

/// Every bad value is reported with file:line:col, the valid choices and a
/// suggestion; the rest of the file applies; the run goes on; exit 2.
#[test]
fn every_bad_value_is_reported_with_its_position() {
    let d = tmp();
    write(
        d.path(),
        "annalist.toml",
        &format!(
            "{TINY_LIMIT}[romanisation]\nkorean = \"hepburn\"\nprefer = \"most\"\nrussian = \"iso10\"\nchinese = \"wadegiles\"\n[rules]\nfootnote-unusd = \"off\"\nfootnote-unused = \"loud\"\n[claims]\nscope = \"chapter\"\n[featurs]\n"
        ),
    );
    write(d.path(), "a.md", BIG);
    let o = run_in(d.path(), &["check", "--format", "json"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    // The run went on, with the valid values (the tiny limit).
    assert_eq!(codes_of(&json(&o), "a.md"), [PLANTED]);
    let err = stderr(&o);
    for (at, words) in [
        (
            "annalist.toml:4:10:",
            &["hepburn", "mccune-reischauer", "revised"][..],
        ),
        ("annalist.toml:5:10:", &["most", "majority", "first"][..]),
        ("annalist.toml:6:11:", &["iso10", "scholarly"][..]),
        (
            "annalist.toml:7:11:",
            &["wadegiles", "did you mean `wade-giles`"][..],
        ),
        (
            "annalist.toml:9:1:",
            &["footnote-unusd", "did you mean `footnote-unused`"][..],
        ),
        ("annalist.toml:10:19:", &["loud", "warning"][..]),
        (
            "annalist.toml:12:9:",
            &["chapter", "sentence", "paragraph"][..],
        ),
        (
            "annalist.toml:13:2:",
            &["featurs", "did you mean `features`"][..],
        ),
    ] {
        let line = err
            .lines()
            .find(|l| l.contains(at))
            .unwrap_or_else(|| panic!("no problem at {at}:\n{err}"));
        for w in words {
            assert!(line.contains(w), "{at} lacks {w}: {line}");
        }
    }
    assert!(!stdout(&o).contains("no problems found"));
    // Aliases the engine honours are valid.
    write(
        d.path(),
        "annalist.toml",
        "[romanisation]\nrussian = \"iso9\"\nkorean = \"MR\"\nchinese = \"wade_giles\"\n",
    );
    let o = run_in(d.path(), &["check"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
}

/// A TOML syntax error loses the file: the defaults apply, the run goes on, exit 2.
#[test]
fn a_broken_config_file_falls_back_to_the_defaults() {
    let d = tmp();
    write(
        d.path(),
        "annalist.toml",
        "[limits\nmax_document_bytes = 64\n",
    );
    write(d.path(), "a.md", BIG);
    let o = run_in(d.path(), &["check", "--format", "json"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert_eq!(paths(&json(&o)), ["a.md"]);
    assert!(stderr(&o).contains("annalist.toml:1:"), "{}", stderr(&o));
    assert!(stderr(&o).contains("defaults apply"), "{}", stderr(&o));
}

/// A broken gazetteer: every error that `gazetteer check` shows, the entries that
/// load are used, the run goes on, exit 2.
#[test]
fn a_broken_gazetteer_is_reported_fully_and_the_rest_loads() {
    let d = tmp();
    write(
        d.path(),
        "annalist.toml",
        &format!("gazetteers = [\"people.toml\"]\n{TINY_LIMIT}"),
    );
    write(
        d.path(),
        "people.toml",
        "[[entity]]\nid = 3\n\n[[entity]]\nid = \"x\"\nkind = \"person\"\npreferred = \"X\"\ncolour = \"red\"\n\n[[entity]]\nid = \"x\"\nkind = \"person\"\npreferred = \"Y\"\n",
    );
    write(d.path(), "a.md", BIG);
    let g = run_in(d.path(), &["gazetteer", "check", "people.toml"]);
    let expected = stdout(&g)
        .lines()
        .filter(|l| l.contains(": error: "))
        .count();
    assert!(expected >= 2, "{}", stdout(&g));
    let o = run_in(d.path(), &["check", "--format", "json"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert_eq!(codes_of(&json(&o), "a.md"), [PLANTED], "the run went on");
    let shown = stderr(&o)
        .lines()
        .filter(|l| l.contains("people.toml:"))
        .count();
    assert_eq!(shown, expected, "{}\n{}", stderr(&o), stdout(&g));
}

// ---------------------------------------------------------------- --fix

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(p)
        .map(|m| m.permissions().mode() & 0o777)
        .unwrap_or(0)
}

#[cfg(unix)]
fn chmod(p: &Path, m: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(p, fs::Permissions::from_mode(m)).unwrap_or_else(|e| panic!("{e}"));
}

/// Whether the engine offers a safe fix on FIXABLE (else the --fix tests have nothing
/// to write).
fn offers_a_fix(dir: &Path) -> bool {
    let o = run_in(dir, &["check", "--diff"]);
    code(&o) == 1 && !stdout(&o).is_empty()
}

/// A 0444 file is refused (even for root, who could replace it), named, left as it
/// is; the summary counts no fix; exit 2.
#[cfg(unix)]
#[test]
fn fix_refuses_a_read_only_file() {
    let d = tmp();
    let p = write(d.path(), "doc.md", FIXABLE);
    if !offers_a_fix(d.path()) {
        eprintln!("skipped: no rule offers a safe fix on this text");
        return;
    }
    chmod(&p, 0o444);
    let o = run_in(d.path(), &["check", "--fix", "--color", "never"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert_eq!(fs::read_to_string(&p).unwrap_or_default(), FIXABLE);
    assert_eq!(mode(&p), 0o444);
    let err = stderr(&o);
    assert!(err.contains("doc.md") && err.contains("read-only"), "{err}");
    assert!(!err.contains("fixed doc.md"), "{err}");
    assert!(!stdout(&o).contains("Fixed"), "{}", stdout(&o));
}

#[cfg(unix)]
fn owner(p: &Path) -> (u32, u32) {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(p)
        .map(|m| (m.uid(), m.gid()))
        .unwrap_or((0, 0))
}

/// `nobody`'s uid and gid, when this test runs as root and can switch to it.
#[cfg(unix)]
fn nobody() -> Option<(u32, u32)> {
    let id = |flag: &str| -> Option<u32> {
        let o = Command::new("id").args([flag, "nobody"]).output().ok()?;
        String::from_utf8_lossy(&o.stdout).trim().parse().ok()
    };
    let me = Command::new("id").arg("-u").output().ok()?;
    if String::from_utf8_lossy(&me.stdout).trim() != "0" {
        eprintln!("skipped: not running as root, cannot act as another user");
        return None;
    }
    if Command::new("setpriv").arg("--version").output().is_err() {
        eprintln!("skipped: setpriv is not available");
        return None;
    }
    match (id("-u"), id("-g")) {
        (Some(u), Some(g)) => Some((u, g)),
        _ => {
            eprintln!("skipped: no user `nobody`");
            None
        }
    }
}

/// `annalist ARGS` as `nobody` in `dir` (the binary copied where nobody can run it).
#[cfg(unix)]
fn as_nobody(dir: &Path, uid: u32, gid: u32, args: &[&str]) -> Output {
    let exe = dir.join(".annalist-bin");
    if !exe.exists() {
        fs::copy(bin(), &exe).unwrap_or_else(|e| panic!("copy binary: {e}"));
        chmod(&exe, 0o755);
    }
    let mut c = Command::new("setpriv");
    c.current_dir(dir)
        .args([
            &format!("--reuid={uid}"),
            &format!("--regid={gid}"),
            "--clear-groups",
        ])
        .arg(&exe)
        .args(args)
        .env("HOME", dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    run(&mut c)
}

/// As another user in a world-writable folder: a file it may not write is refused
/// (a rename would have replaced it and made it that user's); a file it may write is
/// fixed in place and keeps its owner. As root: another user's file keeps its owner
/// and mode.
#[cfg(unix)]
#[test]
fn fix_keeps_owner_and_refuses_what_the_user_may_not_write() {
    let Some((uid, gid)) = nobody() else {
        return;
    };
    let d = tmp();
    chmod(d.path(), 0o777);
    let p = write(d.path(), "doc.md", FIXABLE);
    if !offers_a_fix(d.path()) {
        eprintln!("skipped: no rule offers a safe fix on this text");
        return;
    }
    let root_owner = owner(&p);
    chmod(&p, 0o644);
    let o = as_nobody(d.path(), uid, gid, &["check", "--fix", "doc.md"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("doc.md"), "{}", stderr(&o));
    assert!(stderr(&o).contains("may not write"), "{}", stderr(&o));
    assert_eq!(fs::read_to_string(&p).unwrap_or_default(), FIXABLE);
    assert_eq!(owner(&p), root_owner, "still root's");

    // Writable to everyone: fixed, still root's, same mode.
    chmod(&p, 0o666);
    let o = as_nobody(d.path(), uid, gid, &["check", "--fix", "doc.md"]);
    assert_ne!(code(&o), 2, "{}", stderr(&o));
    assert_ne!(fs::read_to_string(&p).unwrap_or_default(), FIXABLE);
    assert_eq!(owner(&p), root_owner, "still root's");
    assert_eq!(mode(&p), 0o666);

    // Root fixes nobody's file: it stays nobody's, mode kept.
    let q = write(d.path(), "theirs.md", FIXABLE);
    std::os::unix::fs::chown(&q, Some(uid), Some(gid)).unwrap_or_else(|e| panic!("{e}"));
    chmod(&q, 0o640);
    let o = run_in(d.path(), &["check", "--fix", "theirs.md"]);
    assert_ne!(code(&o), 2, "{}", stderr(&o));
    assert_ne!(fs::read_to_string(&q).unwrap_or_default(), FIXABLE);
    assert_eq!(owner(&q), (uid, gid));
    assert_eq!(mode(&q), 0o640);
    let leftovers: Vec<String> = fs::read_dir(d.path())
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

// ---------------------------------------------------------------- nothing checked, nothing said

#[test]
fn a_directory_without_markdown_is_an_error() {
    let d = tmp();
    write(d.path(), "notes.txt", BIG);
    let o = run_in(d.path(), &["check"]);
    assert_eq!(code(&o), 2, "{}", stdout(&o));
    assert!(
        stderr(&o).contains("no Markdown files found under"),
        "{}",
        stderr(&o)
    );
    assert!(!stdout(&o).contains("no problems found"), "{}", stdout(&o));
    fs::create_dir_all(d.path().join("empty")).unwrap_or_else(|e| panic!("{e}"));
    let o = run_in(d.path(), &["check", "empty"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o)
            .contains("empty: no Markdown files found under empty (looked for *.md, *.markdown"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_binary_file_is_reported_as_binary() {
    let d = tmp();
    write(d.path(), "a.md", BIG);
    fs::write(d.path().join("blob.md"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
        .unwrap_or_else(|e| panic!("{e}"));
    let o = run_in(d.path(), &["check"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("blob.md") && err.contains("binary"), "{err}");
    assert!(!err.contains("WINDOWS-1252"), "{err}");
    assert!(!stdout(&o).contains("no problems found"), "{}", stdout(&o));
}

#[test]
fn an_unreadable_path_never_says_no_problems_found() {
    let d = tmp();
    write(d.path(), "a.md", "ok\n");
    let o = run_in(d.path(), &["check", "a.md", "gone.md"]);
    assert_eq!(code(&o), 2);
    assert!(!stdout(&o).contains("no problems found"), "{}", stdout(&o));
    assert!(stderr(&o).contains("gone.md"), "{}", stderr(&o));
}

#[test]
fn an_excluded_named_file_is_reported() {
    let d = tmp();
    write(d.path(), "annalist.toml", "exclude = [\"drafts/\"]\n");
    write(d.path(), "drafts/d.md", BIG);
    write(d.path(), "a.md", BIG);
    write(d.path(), "b.md", BIG);
    let o = run_in(d.path(), &["check", "drafts/d.md", "a.md"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stderr(&o)
            .contains("skipped drafts/d.md: matched exclude pattern `drafts/` in annalist.toml"),
        "{}",
        stderr(&o)
    );
    // --exclude on the command line (repeatable).
    let o = run_in(
        d.path(),
        &[
            "check",
            "--format",
            "json",
            "--exclude",
            "b.md",
            "--exclude",
            "nothing",
        ],
    );
    assert_eq!(paths(&json(&o)), ["a.md"]);
    let o = run_in(d.path(), &["check", "--exclude", "a.md", "a.md"]);
    assert!(
        stderr(&o).contains("skipped a.md: matched --exclude pattern `a.md`"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn incompatible_flags_are_rejected() {
    let d = tmp();
    write(d.path(), "a.md", BIG);
    for f in ["sarif", "json", "junit", "github"] {
        let o = run_in(d.path(), &["check", "--diff", "--format", f]);
        assert_eq!(code(&o), 2, "{f}");
        assert!(stdout(&o).is_empty(), "{f}: {}", stdout(&o));
        assert!(stderr(&o).contains("cannot be used with"), "{}", stderr(&o));
    }
    let o = run_in(d.path(), &["check", "--diff", "-o", "x.txt"]);
    assert_eq!(code(&o), 2);
}

#[test]
fn front_matter_errors_use_the_files_lines() {
    let d = tmp();
    write(
        d.path(),
        "fm.md",
        "---\ntitle: x\nentities:\n  - id: a\n    names: [unclosed\n---\n\n# Body\n",
    );
    let o = run_in(d.path(), &["check", "--format", "concise", "fm.md"]);
    let out = stdout(&o);
    let line = out
        .lines()
        .find(|l| l.contains("front-matter-entity"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(line.starts_with("fm.md:6:"), "{line}");
    assert!(
        !line.contains(" at line "),
        "the YAML parser's lines: {line}"
    );
}

// ---------------------------------------------------------------- links and rule pages

#[test]
fn links_are_configured_or_omitted() {
    let d = tmp();
    write(d.path(), "annalist.toml", TINY_LIMIT);
    write(d.path(), "a.md", BIG);
    let o = run_in(d.path(), &["check", "--format", "sarif"]);
    assert!(!stdout(&o).contains("annalist.invalid"), "{}", stdout(&o));
    let o = run_in(d.path(), &["rules", "--format", "json"]);
    assert!(!stdout(&o).contains("annalist.invalid"));
    write(
        d.path(),
        "annalist.toml",
        &format!("docs_url = \"https://example.org/rules/{{code}}.md\"\n{TINY_LIMIT}"),
    );
    let o = run_in(d.path(), &["check", "--format", "sarif"]);
    let v = json(&o);
    let rules = v["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        rules
            .iter()
            .any(|r| r["helpUri"] == format!("https://example.org/rules/{PLANTED}.md")),
        "{rules:?}"
    );
    write(d.path(), "annalist.toml", "docs_url = \"example.org\"\n");
    let o = run_in(d.path(), &["check"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("annalist.toml:1:12"), "{}", stderr(&o));
}

/// docs/rules is what `annalist explain --write-docs` writes (UPDATE_DOCS=1 rewrites it).
#[test]
fn rule_pages_are_current() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
    if std::env::var_os("UPDATE_DOCS").is_some() {
        let o = run_in(
            Path::new(env!("CARGO_MANIFEST_DIR")),
            &["explain", "--write-docs", "docs/rules"],
        );
        assert_eq!(code(&o), 0, "{}", stderr(&o));
    }
    let d = tmp();
    let o = run_in(d.path(), &["explain", "--write-docs", "out"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let list = |dir: &Path| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = fs::read_dir(dir)
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok())
            .map(|e| {
                (
                    e.file_name().to_string_lossy().into_owned(),
                    fs::read_to_string(e.path()).unwrap_or_default(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let fresh = list(&d.path().join("out"));
    assert!(fresh.len() > 5);
    assert_eq!(
        list(&docs),
        fresh,
        "docs/rules is stale: run `UPDATE_DOCS=1 cargo test --test cli_trust rule_pages_are_current`"
    );
    // Every page holds what `explain` prints.
    let o = run_in(d.path(), &["explain", PLANTED]);
    let page = fs::read_to_string(docs.join(format!("{PLANTED}.md"))).unwrap_or_default();
    assert!(page.contains(stdout(&o).trim_end()), "{page}");
}

// ---------------------------------------------------------------- ruff/rumdl habits

#[test]
fn ruff_style_options() {
    let d = tmp();
    write(d.path(), "annalist.toml", TINY_LIMIT);
    write(d.path(), "a.md", BIG);
    // --output-format is --format.
    let o = run_in(d.path(), &["check", "--output-format", "json"]);
    assert_eq!(paths(&json(&o)), ["a.md"]);
    // --select / --ignore / --extend-select, codes and family prefixes.
    let o = run_in(
        d.path(),
        &["check", "--format", "json", "--select", "footnote-"],
    );
    assert!(codes_of(&json(&o), "a.md").is_empty());
    let o = run_in(
        d.path(),
        &[
            "check",
            "--format",
            "json",
            "--select",
            "footnote-,analysis",
        ],
    );
    assert_eq!(codes_of(&json(&o), "a.md"), [PLANTED]);
    let o = run_in(
        d.path(),
        &["check", "--format", "json", "--ignore", PLANTED],
    );
    assert!(codes_of(&json(&o), "a.md").is_empty());
    write(
        d.path(),
        "annalist.toml",
        &format!("{TINY_LIMIT}[rules]\n{PLANTED} = \"off\"\n"),
    );
    let o = run_in(
        d.path(),
        &["check", "--format", "json", "--extend-select", PLANTED],
    );
    assert_eq!(codes_of(&json(&o), "a.md"), [PLANTED]);
    write(d.path(), "annalist.toml", TINY_LIMIT);
    let o = run_in(d.path(), &["check", "--select", "footnote-unusd"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("footnote-unused"), "{}", stderr(&o));
    // --exit-zero.
    let o = run_in(d.path(), &["check", "--deny", "info"]);
    assert_eq!(code(&o), 1);
    let o = run_in(d.path(), &["check", "--deny", "info", "--exit-zero"]);
    assert_eq!(code(&o), 0);
    // -o FILE.
    let o = run_in(
        d.path(),
        &["check", "--format", "json", "-o", "report.json"],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).is_empty());
    let v: Value =
        serde_json::from_str(&fs::read_to_string(d.path().join("report.json")).unwrap_or_default())
            .unwrap_or(Value::Null);
    assert_eq!(paths(&v), ["a.md"]);
    // concise: path:line:col: CODE message.
    let o = run_in(d.path(), &["check", "--format", "concise"]);
    let first = stdout(&o).lines().next().unwrap_or_default().to_string();
    assert!(
        first.starts_with(&format!("a.md:1:1: {PLANTED} ")),
        "{first}"
    );
    // FORCE_COLOR / CLICOLOR_FORCE colour a pipe; NO_COLOR does not; --color never wins.
    let o = run(cmd(d.path(), &["check"]).env("FORCE_COLOR", "1"));
    assert!(stdout(&o).contains('\x1b'), "{}", stdout(&o));
    let o = run(cmd(d.path(), &["check"]).env("CLICOLOR_FORCE", "1"));
    assert!(stdout(&o).contains('\x1b'));
    let o = run(cmd(d.path(), &["check", "--color", "never"]).env("FORCE_COLOR", "1"));
    assert!(!stdout(&o).contains('\x1b'));
    let o = run(cmd(d.path(), &["check"]).env("NO_COLOR", "1"));
    assert!(!stdout(&o).contains('\x1b'));
    // Shell completions.
    for shell in ["bash", "zsh", "fish"] {
        let o = run_in(d.path(), &["completions", shell]);
        assert_eq!(code(&o), 0, "{shell}");
        assert!(stdout(&o).contains("annalist"), "{shell}");
    }
}
