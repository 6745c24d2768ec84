//! `annalist check` end to end, through the built binary.
//!
//! Findings are planted with the engine's `analysis-limited` info finding: a config
//! with a tiny `limits.max_document_bytes` makes it appear on every larger document,
//! whatever rules exist. Tests assert on that finding and on structure, never on the
//! total count of a fixture's findings, so they keep passing as rules land.

#[path = "common/cli.rs"]
mod cli;

use cli::*;
use std::fs;
use std::path::PathBuf;

/// Under it.
const SMALL: &str = "ok\n";

/// A project: annalist.toml with the tiny limit, two big documents, a small one, a
/// non-Markdown file.
fn project() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    write(d.path(), "annalist.toml", TINY_LIMIT);
    write(d.path(), "b.md", BIG);
    write(d.path(), "a/z.markdown", BIG);
    write(d.path(), "small.md", SMALL);
    write(d.path(), "notes.txt", BIG);
    d
}

#[test]
fn json_follows_the_contract() {
    let d = project();
    let o = run_in(d.path(), &["check", "--format", "json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["version"], 2);
    // Every checked Markdown file, sorted; not the .txt.
    assert_eq!(paths(&v), vec!["a/z.markdown", "b.md", "small.md"]);
    assert!(codes_of(&v, "b.md").contains(&PLANTED.to_string()));
    assert!(!codes_of(&v, "small.md").contains(&PLANTED.to_string()));
    let mut counted = [0usize; 4];
    for f in v["files"].as_array().into_iter().flatten() {
        assert_eq!(
            f.as_object().map(|o| o.len()),
            Some(2),
            "a file has exactly path and diagnostics"
        );
        let mut last = (0, 0);
        for diag in f["diagnostics"].as_array().into_iter().flatten() {
            let keys: Vec<&str> = diag
                .as_object()
                .map(|o| o.keys().map(String::as_str).collect())
                .unwrap_or_default();
            assert_eq!(keys.len(), 6, "{keys:?}");
            for k in ["code", "severity", "message", "range", "fixes", "related"] {
                assert!(keys.contains(&k), "{k}");
            }
            let start = &diag["range"]["start"];
            let (l, c) = (
                start["line"].as_u64().unwrap_or(0),
                start["column"].as_u64().unwrap_or(0),
            );
            assert!(l >= 1 && c >= 1, "positions are 1-based");
            assert!((l, c) >= last, "diagnostics are in position order");
            last = (l, c);
            assert!(diag["range"]["end"]["line"].as_u64().unwrap_or(0) >= l);
            let i = match diag["severity"].as_str() {
                Some("error") => 0,
                Some("warning") => 1,
                Some("info") => 2,
                Some("hint") => 3,
                other => panic!("severity {other:?}"),
            };
            counted[i] += 1;
            for fix in diag["fixes"].as_array().into_iter().flatten() {
                assert!(fix["title"].is_string());
                for e in fix["edits"].as_array().into_iter().flatten() {
                    assert!(e["new_text"].is_string());
                    assert!(e["range"]["start"]["line"].as_u64().unwrap_or(0) >= 1);
                }
            }
        }
    }
    let s = &v["summary"];
    assert_eq!(s["files"], 3);
    assert_eq!(s["errors"], counted[0]);
    assert_eq!(s["warnings"], counted[1]);
    assert_eq!(s["infos"], counted[2]);
    assert_eq!(s["hints"], counted[3]);
    assert!(counted[2] >= 2);
}

#[test]
fn columns_count_characters() {
    let d = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    write(d.path(), "annalist.toml", TINY_LIMIT);
    // The planted finding is at 1:1; line count and columns must stay char-based for
    // any later finding, which the unit tests of positions cover. Here: a document
    // whose every line is non-ASCII still yields 1-based positions.
    write(d.path(), "k.md", &"서울 Sŏul 😀\n".repeat(10));
    let o = run_in(d.path(), &["check", "--format", "json"]);
    let v = json(&o);
    let diag = &v["files"][0]["diagnostics"][0];
    assert_eq!(diag["code"], PLANTED);
    assert_eq!(diag["range"]["start"]["line"], 1);
    assert_eq!(diag["range"]["start"]["column"], 1);
}

#[test]
fn sarif_has_the_required_structure() {
    let d = project();
    write(d.path(), "we,ird: name.md", BIG);
    let o = run_in(d.path(), &["check", "--format", "sarif"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["version"], "2.1.0");
    assert!(v["$schema"].as_str().unwrap_or("").contains("sarif-2.1.0"));
    let run = &v["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "annalist");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(rules.iter().any(|r| r["id"] == PLANTED));
    for r in &rules {
        assert!(r["shortDescription"]["text"].is_string());
        // No docs_url configured: no link rather than a dead one (issue #16).
        assert!(r.get("helpUri").is_none(), "{r}");
    }
    let results = run["results"].as_array().cloned().unwrap_or_default();
    assert!(results.len() >= 3);
    let mut uris = Vec::new();
    for r in &results {
        let id = r["ruleId"].as_str().unwrap_or("");
        assert!(!id.is_empty());
        let idx = r["ruleIndex"].as_u64().unwrap_or(u64::MAX) as usize;
        assert_eq!(rules.get(idx).map(|x| &x["id"]), Some(&r["ruleId"]));
        assert!(matches!(
            r["level"].as_str(),
            Some("error" | "warning" | "note")
        ));
        assert!(!r["message"]["text"].as_str().unwrap_or("").is_empty());
        let loc = &r["locations"][0]["physicalLocation"];
        uris.push(
            loc["artifactLocation"]["uri"]
                .as_str()
                .unwrap_or("")
                .to_string(),
        );
        assert!(loc["region"]["startLine"].as_u64().unwrap_or(0) >= 1);
        assert!(loc["region"]["startColumn"].as_u64().unwrap_or(0) >= 1);
    }
    assert!(uris.contains(&"a/z.markdown".to_string()), "{uris:?}");
    assert!(
        uris.contains(&"we%2Cird%3A%20name.md".to_string()),
        "{uris:?}"
    );
}

/// Parse a workflow command back: (command, properties, message), unescaped.
type Command3 = (String, Vec<(String, String)>, String);

fn parse_github(line: &str) -> Option<Command3> {
    let unescape = |s: &str| {
        s.replace("%0D", "\r")
            .replace("%0A", "\n")
            .replace("%3A", ":")
            .replace("%2C", ",")
            .replace("%25", "%")
    };
    let rest = line.strip_prefix("::")?;
    let (head, msg) = rest.split_once("::")?;
    let (cmd, props) = head.split_once(' ')?;
    let props = props
        .split(',')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (k.to_string(), unescape(v))
        })
        .collect();
    Some((cmd.to_string(), props, unescape(msg)))
}

#[test]
fn github_annotations_parse_back() {
    let d = project();
    write(d.path(), "we,ird: name.md", BIG);
    let o = run_in(d.path(), &["check", "--format", "github"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    let mut files = Vec::new();
    for line in out.lines() {
        let (cmd, props, msg) =
            parse_github(line).unwrap_or_else(|| panic!("not a workflow command: {line}"));
        assert!(
            matches!(cmd.as_str(), "error" | "warning" | "notice"),
            "{cmd}"
        );
        let get = |k: &str| {
            props
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        for k in ["line", "col", "endLine", "endColumn"] {
            assert!(get(k).parse::<u32>().is_ok_and(|n| n >= 1), "{k} in {line}");
        }
        assert!(!get("title").is_empty());
        assert!(!msg.is_empty());
        if get("title") == PLANTED {
            assert_eq!(cmd, "notice");
            files.push(get("file"));
        }
    }
    files.sort();
    assert_eq!(files, vec!["a/z.markdown", "b.md", "we,ird: name.md"]);
}

/// A tiny well-formedness check: tags balance, attributes are quoted, `&` starts an
/// entity, no `<` in text.
fn assert_well_formed_xml(xml: &str) {
    let body = xml
        .strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .unwrap_or_else(|| panic!("no XML declaration"));
    let mut stack: Vec<String> = Vec::new();
    let mut rest = body;
    while let Some(lt) = rest.find('<') {
        let text = &rest[..lt];
        for (i, _) in text.match_indices('&') {
            let ent = &text[i..];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
                    .iter()
                    .any(|e| ent.starts_with(e)),
                "bare & in {text:?}"
            );
        }
        let gt = rest[lt..]
            .find('>')
            .unwrap_or_else(|| panic!("unclosed tag"))
            + lt;
        let tag = &rest[lt + 1..gt];
        assert!(!tag.contains('<'), "< inside a tag: {tag}");
        assert_eq!(tag.matches('"').count() % 2, 0, "unbalanced quotes: {tag}");
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(stack.pop().as_deref(), Some(name), "mismatched </{name}>");
        } else if !tag.ends_with('/') {
            stack.push(tag.split_whitespace().next().unwrap_or("").to_string());
        }
        rest = &rest[gt + 1..];
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
}

#[test]
fn junit_is_well_formed_and_agrees_with_the_threshold() {
    let d = project();
    write(d.path(), "x&y<z>\".md", BIG);
    let o = run_in(d.path(), &["check", "--format", "junit"]);
    assert_eq!(code(&o), 0);
    let xml = stdout(&o);
    assert_well_formed_xml(&xml);
    assert!(xml.contains("name=\"x&amp;y&lt;z&gt;&quot;.md\""), "{xml}");
    assert!(xml.contains("failures=\"0\""));
    assert_eq!(xml.matches("<testsuite ").count(), 4);
    // Below the threshold: listed as output, not failures.
    assert!(!xml.contains("<failure"));
    assert!(xml.contains(PLANTED));
    // Raised to the threshold: one failing test case per file and rule.
    let o = run_in(d.path(), &["check", "--format", "junit", "--deny", "info"]);
    assert_eq!(code(&o), 1);
    let xml = stdout(&o);
    assert_well_formed_xml(&xml);
    assert_eq!(
        xml.matches(&format!("<testcase name=\"{PLANTED}\""))
            .count(),
        3,
        "{xml}"
    );
}

#[test]
fn human_shows_snippets_without_colour_unless_asked() {
    let d = project();
    let o = run_in(d.path(), &["check"]);
    assert_eq!(code(&o), 0);
    let out = stdout(&o);
    assert!(out.contains(&format!("info[{PLANTED}]")), "{out}");
    assert!(out.contains("--> b.md:1:1"), "{out}");
    assert!(out.contains("1 | # A heading"), "{out}");
    assert!(out.contains("Checked 3 files"), "{out}");
    assert!(!out.contains('\u{1b}'), "no colour when not a terminal");
    let o = run_in(d.path(), &["check", "--color", "always"]);
    assert!(stdout(&o).contains('\u{1b}'), "colour when asked");
    // --quiet: only what fails the run, and the summary.
    let o = run_in(d.path(), &["check", "--quiet"]);
    let out = stdout(&o);
    assert!(!out.contains(PLANTED), "{out}");
    assert!(out.contains("Checked 3 files"));
    // --statistics: counts per code.
    let o = run_in(d.path(), &["check", "--statistics"]);
    let line = stdout(&o)
        .lines()
        .find(|l| l.contains(PLANTED) && !l.contains('['))
        .map(String::from)
        .unwrap_or_default();
    assert_eq!(line.split_whitespace().next(), Some("2"), "{}", stdout(&o));
}

#[test]
fn exit_statuses() {
    let d = project();
    assert_eq!(code(&run_in(d.path(), &["check"])), 0);
    assert_eq!(code(&run_in(d.path(), &["check", "--deny", "info"])), 1);
    assert_eq!(code(&run_in(d.path(), &["check", "--deny", "warnings"])), 0);
    assert_eq!(code(&run_in(d.path(), &["check", "--deny", "hints"])), 1);
    let o = run_in(d.path(), &["check", "--rule", &format!("{PLANTED}=error")]);
    assert_eq!(code(&o), 1);
    assert!(stdout(&o).contains(&format!("error[{PLANTED}]")));
    let o = run_in(
        d.path(),
        &[
            "check",
            "--rule",
            &format!("{PLANTED}=off"),
            "--deny",
            "hints",
        ],
    );
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    // Usage errors.
    let o = run_in(d.path(), &["check", "--rule", "no-such-rule=off"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains(PLANTED),
        "lists the valid codes: {}",
        stderr(&o)
    );
    assert_eq!(code(&run_in(d.path(), &["check", "--format", "xml"])), 2);
    assert_eq!(code(&run_in(d.path(), &["check", "--shard", "3/2"])), 2);
    // A broken configuration: file:line:col, exit 2.
    write(
        d.path(),
        "annalist.toml",
        "[limits]\nmax_document_bytes = \"big\"\n",
    );
    let o = run_in(d.path(), &["check"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("annalist.toml:2:"), "{}", stderr(&o));
    // --config names another file.
    write(d.path(), "other.toml", TINY_LIMIT);
    let o = run_in(
        d.path(),
        &["check", "--config", "other.toml", "--deny", "info"],
    );
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let o = run_in(d.path(), &["check", "--config", "missing.toml"]);
    assert_eq!(code(&o), 2);
}

#[test]
fn a_missing_path_fails_after_the_others_are_reported() {
    let d = project();
    let o = run_in(
        d.path(),
        &["check", "--format", "json", "gone.md", "b.md", "small.md"],
    );
    assert_eq!(code(&o), 2);
    let v = json(&o);
    assert_eq!(paths(&v), vec!["b.md", "small.md"]);
    assert!(codes_of(&v, "b.md").contains(&PLANTED.to_string()));
    assert!(stderr(&o).contains("gone.md"), "{}", stderr(&o));
}

#[test]
fn config_is_found_by_walking_up() {
    let d = project();
    let sub = d.path().join("a");
    let o = run_in(&sub, &["check", "--format", "json"]);
    let v = json(&o);
    assert_eq!(paths(&v), vec!["z.markdown"]);
    assert!(codes_of(&v, "z.markdown").contains(&PLANTED.to_string()));
}

#[test]
fn gitignore_and_exclude_are_honoured() {
    let d = project();
    write(d.path(), ".gitignore", "ignored.md\nbuild/\n");
    write(d.path(), "ignored.md", BIG);
    write(d.path(), "build/out.md", BIG);
    write(d.path(), ".hidden/h.md", BIG);
    write(d.path(), "drafts/d.md", BIG);
    write(d.path(), "x/y.draft.md", BIG);
    write(
        d.path(),
        "annalist.toml",
        &format!("exclude = [\"drafts/\", \"*.draft.md\"]\n{TINY_LIMIT}"),
    );
    let o = run_in(d.path(), &["check", "--format", "json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(paths(&json(&o)), vec!["a/z.markdown", "b.md", "small.md"]);
    // Named explicitly: .gitignore does not apply, exclude does; any extension.
    let o = run_in(
        d.path(),
        &[
            "check",
            "--format",
            "json",
            "ignored.md",
            "drafts/d.md",
            "notes.txt",
        ],
    );
    assert_eq!(paths(&json(&o)), vec!["ignored.md", "notes.txt"]);
    // A subdirectory named from elsewhere: patterns stay relative to annalist.toml.
    let o = run_in(&d.path().join("x"), &["check", "--format", "json", "."]);
    assert_eq!(paths(&json(&o)), Vec::<String>::new());
    // Same file reached twice is listed once.
    let o = run_in(
        d.path(),
        &["check", "--format", "json", "b.md", ".", "./b.md"],
    );
    assert_eq!(paths(&json(&o)), vec!["a/z.markdown", "b.md", "small.md"]);
    // A bad pattern is a configuration error.
    write(d.path(), "annalist.toml", "exclude = [\"a{b\"]\n");
    let o = run_in(d.path(), &["check"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("a{b"), "{}", stderr(&o));
}

#[test]
fn stdin_with_a_filename() {
    let d = project();
    let o = run_with_stdin(
        d.path(),
        &[
            "check",
            "--format",
            "json",
            "--stdin-filename",
            "docs/piped.md",
            "-",
        ],
        BIG.as_bytes(),
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(paths(&v), vec!["docs/piped.md"]);
    assert!(codes_of(&v, "docs/piped.md").contains(&PLANTED.to_string()));
    // --stdin-filename alone reads standard input too.
    let o = run_with_stdin(
        d.path(),
        &["check", "--format", "json", "--stdin-filename", "p.md"],
        SMALL.as_bytes(),
    );
    assert_eq!(paths(&json(&o)), vec!["p.md"]);
    // --fix on standard input: the fixed document on stdout, the report on stderr.
    let o = run_with_stdin(d.path(), &["check", "--fix", "-"], BIG.as_bytes());
    assert_eq!(stdout(&o), BIG);
    assert!(stderr(&o).contains(PLANTED));
}

#[test]
fn a_file_that_is_not_utf8_is_reported_and_skipped() {
    let d = project();
    let mut bytes = b"# Caf".to_vec();
    bytes.push(0xE9); // Latin-1 é
    bytes.extend_from_slice(b"\n");
    fs::write(d.path().join("latin1.md"), &bytes).unwrap_or_else(|e| panic!("{e}"));
    let o = run_in(d.path(), &["check", "--format", "json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(paths(&json(&o)), vec!["a/z.markdown", "b.md", "small.md"]);
    let err = stderr(&o);
    assert!(
        err.contains("latin1.md") && err.contains("byte offset 5"),
        "{err}"
    );
}

#[test]
fn shards_cover_every_file_exactly_once() {
    let d = project();
    for i in 0..7 {
        write(d.path(), &format!("many/f{i}.md"), SMALL);
    }
    let all = paths(&json(&run_in(d.path(), &["check", "--format", "json"])));
    assert_eq!(all.len(), 10);
    let mut union = Vec::new();
    for i in 1..=3 {
        let o = run_in(
            d.path(),
            &["check", "--format", "json", "--shard", &format!("{i}/3")],
        );
        assert_eq!(code(&o), 0);
        let part = paths(&json(&o));
        assert!(part.len() >= 3 && part.len() <= 4, "{part:?}");
        union.extend(part);
    }
    union.sort();
    let mut expected = all.clone();
    expected.sort();
    assert_eq!(union, expected);
}

#[test]
fn output_is_deterministic() {
    let d = project();
    for i in 0..30 {
        write(
            d.path(),
            &format!("many/f{i:02}.md"),
            if i % 2 == 0 { BIG } else { SMALL },
        );
    }
    for format in ["human", "json", "sarif", "github", "junit"] {
        let a = run_in(d.path(), &["check", "--format", format]);
        let b = run_in(d.path(), &["check", "--format", format]);
        assert_eq!(a.stdout, b.stdout, "{format}");
        assert!(!a.stdout.is_empty(), "{format}");
    }
}

#[test]
fn fix_and_diff_leave_clean_files_alone() {
    let d = project();
    let before: Vec<(PathBuf, Vec<u8>)> = ["b.md", "a/z.markdown", "small.md"]
        .iter()
        .map(|p| {
            let p = d.path().join(p);
            let b = fs::read(&p).unwrap_or_default();
            (p, b)
        })
        .collect();
    let o = run_in(d.path(), &["check", "--diff"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(stdout(&o), "");
    for _ in 0..2 {
        let o = run_in(d.path(), &["check", "--fix", "--format", "json"]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        assert!(codes_of(&json(&o), "b.md").contains(&PLANTED.to_string()));
    }
    for (p, b) in before {
        assert_eq!(fs::read(&p).unwrap_or_default(), b, "{}", p.display());
    }
    let leftovers: Vec<String> = fs::read_dir(d.path())
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn init_explain_and_rules() {
    let d = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let o = run_in(d.path(), &["init"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = run_in(d.path(), &["init"]);
    assert_ne!(code(&o), 0, "refuses to overwrite");
    assert!(stderr(&o).contains("--force"));
    assert_eq!(code(&run_in(d.path(), &["init", "--force"])), 0);
    write(d.path(), "x.md", SMALL);
    let o = run_in(d.path(), &["check"]);
    assert_eq!(
        code(&o),
        0,
        "the template is a valid config: {}",
        stderr(&o)
    );

    let o = run_in(d.path(), &["explain", PLANTED]);
    assert_eq!(code(&o), 0);
    assert!(stdout(&o).contains("max_document_bytes"));
    let o = run_in(d.path(), &["explain", "analysis-limted"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains(PLANTED), "suggests: {}", stderr(&o));

    let o = run_in(d.path(), &["rules", "--format", "json"]);
    assert_eq!(code(&o), 0);
    let v = json(&o);
    assert!(
        v.as_array()
            .is_some_and(|a| a.iter().any(|r| r["code"] == PLANTED))
    );
    let o = run_in(d.path(), &["rules"]);
    assert!(stdout(&o).contains(PLANTED));
}

/// With a rule that offers a safe fix (today: an OCR-damaged name), `--diff` shows it,
/// `--fix` writes it atomically, and a second run changes nothing.
#[cfg(unix)]
#[test]
fn fix_writes_atomically_and_is_idempotent() {
    use std::os::unix::fs::PermissionsExt;
    let d = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let text = "# Moscow, 1949\n\nReceiving Kim II Sung in the Kremlin, Stalin spoke first.\n";
    let p = write(d.path(), "doc.md", text);
    fs::set_permissions(&p, fs::Permissions::from_mode(0o640)).unwrap_or_else(|e| panic!("{e}"));
    let o = run_in(d.path(), &["check", "--diff"]);
    if code(&o) == 0 && stdout(&o).is_empty() {
        eprintln!("no rule offers a safe fix on this text: nothing to write");
        return;
    }
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let diff = stdout(&o);
    assert!(diff.starts_with("--- a/doc.md\n+++ b/doc.md\n"), "{diff}");
    assert!(diff.contains("-Receiving Kim II Sung"), "{diff}");
    assert_eq!(
        fs::read_to_string(&p).unwrap_or_default(),
        text,
        "--diff writes nothing"
    );

    let o = run_in(d.path(), &["check", "--fix"]);
    assert_ne!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("fixed doc.md"), "{}", stderr(&o));
    let fixed = fs::read_to_string(&p).unwrap_or_default();
    assert_ne!(fixed, text);
    assert!(!fixed.contains("Kim II Sung"), "{fixed}");
    let mode = fs::metadata(&p)
        .map(|m| m.permissions().mode() & 0o777)
        .unwrap_or(0);
    assert_eq!(mode, 0o640, "permissions kept");
    let names: Vec<String> = fs::read_dir(d.path())
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["doc.md"], "no temporary file left");

    // Idempotent: nothing more to do.
    let o = run_in(d.path(), &["check", "--diff"]);
    assert_eq!((code(&o), stdout(&o)), (0, String::new()), "{}", stderr(&o));
    let o = run_in(d.path(), &["check", "--fix"]);
    assert!(!stderr(&o).contains("fixed doc.md"));
    assert_eq!(fs::read_to_string(&p).unwrap_or_default(), fixed);
}

#[test]
fn a_broken_project_gazetteer_is_a_configuration_error() {
    let d = project();
    write(
        d.path(),
        "annalist.toml",
        "gazetteers = [\"people.toml\"]\n",
    );
    write(d.path(), "people.toml", "[[entity]]\nid = 3\n");
    let o = run_in(d.path(), &["check"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("people.toml:"), "{}", stderr(&o));
}

/// Names compared across the files of one run: the finding lands in the file that
/// uses the workspace's minority spelling; the human format shows the other file's
/// line, SARIF points into it; switching it off or checking one file alone is silent;
/// `--fix` leaves the choice to the editor.
#[test]
fn names_are_compared_across_the_files_of_a_run() {
    let d = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    write(d.path(), "a.md", "Kim Il Sung returned to Sŏul.\n");
    write(d.path(), "docs/b.md", "The army reached Seoul.\n");
    write(d.path(), "docs/c.md", "Seoul again, and Seoul.\n");
    let o = run_in(d.path(), &["check", "--format", "json", "."]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(codes_of(&v, "a.md"), ["romanisation-inconsistent"]);
    assert!(codes_of(&v, "docs/b.md").is_empty());
    assert!(codes_of(&v, "docs/c.md").is_empty());
    // JSON (version 2) names the other files' places, as SARIF does.
    let related = &v["files"][0]["diagnostics"][0]["related"];
    let places: Vec<(&str, u64, u64)> = related
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| {
            let start = &r["range"]["start"];
            Some((
                r["path"].as_str()?,
                start["line"].as_u64()?,
                start["column"].as_u64()?,
            ))
        })
        .collect();
    assert!(places.contains(&("docs/b.md", 1, 18)), "{places:?}");
    assert!(places.iter().any(|p| p.0 == "docs/c.md"), "{places:?}");

    let o = run_in(d.path(), &["check", "--color", "never", "."]);
    let human = stdout(&o);
    assert!(human.contains("“Seoul”"), "{human}");
    assert!(human.contains("docs/b.md:1:18"), "{human}");

    let o = run_in(d.path(), &["check", "--format", "sarif", "."]);
    let v = json(&o);
    let related = &v["runs"][0]["results"][0]["relatedLocations"];
    let uris: Vec<&str> = related
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    assert!(
        uris.contains(&"docs/b.md") && uris.contains(&"docs/c.md"),
        "{uris:?}"
    );

    // One file alone, or the comparison switched off: nothing to compare.
    let o = run_in(d.path(), &["check", "--format", "json", "a.md"]);
    assert!(codes_of(&json(&o), "a.md").is_empty());
    write(
        d.path(),
        "annalist.toml",
        "[romanisation]\nacross_files = false\n",
    );
    let o = run_in(d.path(), &["check", "--format", "json", "."]);
    assert!(codes_of(&json(&o), "a.md").is_empty(), "{}", stdout(&o));
    fs::remove_file(d.path().join("annalist.toml")).unwrap_or_else(|e| panic!("rm: {e}"));

    // --fix applies safe fixes only; this choice is not one.
    let o = run_in(d.path(), &["check", "--fix", "."]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let a = fs::read_to_string(d.path().join("a.md")).unwrap_or_default();
    assert!(a.contains("Sŏul"), "{a}");
}
