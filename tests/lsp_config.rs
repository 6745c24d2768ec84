//! The server's configuration, end to end through the real binary: one configuration
//! per document found as `annalist check` finds it, links to the rule pages, and the
//! editor settings checked and their problems shown.

mod common;
use common::*;
use serde_json::{Value, json};
use std::path::Path;
use std::time::{Duration, Instant};

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    if let Some(d) = p.parent() {
        std::fs::create_dir_all(d).expect("mkdir");
    }
    std::fs::write(p, text).expect("write");
}

/// Two folders with different configurations (a rule off in one, rule links in the
/// other): each document's diagnostics in the editor equal `annalist check`'s for that
/// file, names are compared only among the files of one configuration, and the rule
/// links follow each document's `docs_url`.
#[test]
fn each_document_is_judged_under_its_own_configuration_as_check_judges_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().canonicalize().expect("canonical");
    write(
        &root,
        "a/annalist.toml",
        "[rules]\nfootnote-unused = \"off\"\n",
    );
    write(
        &root,
        "b/annalist.toml",
        "docs_url = \"https://example.org/b/rules/\"\nexclude = [\"skipped.md\"]\n",
    );
    let body = |place: &str| {
        format!(
            "The delegation reached {place} on 5 March 1949.[^1] Another.[^2]\n\n[^1]: A note.\n\n[^3]: Unused.\n"
        )
    };
    write(&root, "a/doc.md", &body("Pyongyang"));
    write(&root, "a/more.md", &body("P'yŏngyang"));
    write(&root, "b/doc.md", &body("P'yŏngyang"));
    // Excluded by b's configuration: never compared (it would make b/doc.md's
    // spelling the minority).
    write(&root, "b/skipped.md", &body("Pyongyang").repeat(3));

    let out = std::process::Command::new(bin())
        .args(["check", "--format", "json", "."])
        .current_dir(&root)
        .output()
        .expect("run check");
    let report: Value = serde_json::from_slice(&out.stdout).expect("json report");
    let a_cli = from_cli(&report, "a/doc.md");
    let b_cli = from_cli(&report, "b/doc.md");
    // The configurations really differ, and names are compared within a's files only.
    assert!(!a_cli.iter().any(|d| d.0 == "footnote-unused"), "{a_cli:?}");
    assert!(b_cli.iter().any(|d| d.0 == "footnote-unused"), "{b_cli:?}");
    assert!(
        a_cli.iter().any(|d| d.0 == "romanisation-inconsistent"),
        "{a_cli:?}"
    );
    assert!(
        !b_cli.iter().any(|d| d.0 == "romanisation-inconsistent"),
        "{b_cli:?}"
    );

    let mut lsp = Lsp::spawn_in(&root);
    lsp.initialize_in(
        &root,
        json!({"general": {"positionEncodings": ["utf-16"]},
               "textDocument": {"publishDiagnostics": {"codeDescriptionSupport": true}}}),
    );
    for (rel, cli) in [("a/doc.md", &a_cli), ("b/doc.md", &b_cli)] {
        let path = root.join(rel);
        let text = std::fs::read_to_string(&path).expect("read");
        let uri = file_uri(&path);
        lsp.open(&uri, &text);
        let mut diags = lsp.diagnostics(&uri, Some(1));
        // Before the workspace index lands, the cross-file findings follow in a second
        // publication of the same version.
        if from_server(&diags, &text) != *cli {
            diags = lsp.diagnostics(&uri, Some(1));
        }
        assert_eq!(from_server(&diags, &text), *cli, "{rel}");
        for d in &diags {
            let href = d["codeDescription"]["href"].as_str();
            if rel.starts_with("b/") {
                let code = d["code"].as_str().unwrap_or("");
                assert_eq!(
                    href,
                    Some(format!("https://example.org/b/rules/{code}").as_str()),
                    "{d}"
                );
            } else {
                // No docs_url: no link (never a dead one).
                assert_eq!(href, None, "{d}");
            }
        }
    }
    // a's configuration changes on disk (a checkout): the editor's watcher says so, and
    // a's document is judged again under the new file.
    write(
        &root,
        "a/annalist.toml",
        "[rules]\nfootnote-unused = \"off\"\nfootnote-undefined = \"off\"\n",
    );
    let a_uri = file_uri(&root.join("a/doc.md"));
    lsp.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&root.join("a/annalist.toml")), "type": 2}]}),
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let diags = lsp.diagnostics(&a_uri, None);
        if !diags.iter().any(|d| d["code"] == "footnote-undefined") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "footnote-undefined is still reported after a's configuration turned it off"
        );
    }
    assert!(lsp.shutdown().success());
}

/// Unknown keys and bad values in the editor settings are shown to the user
/// (`window/showMessage`): what, where it came from, what to do — at start and on
/// every change — and the good settings still apply.
#[test]
fn wrong_editor_settings_are_shown_not_ignored() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().canonicalize().expect("canonical");
    let text = "A note.[^1]\n\n[^1]: Text.\n\n[^2]: Unused.\n";
    write(&root, "doc.md", text);
    let mut lsp = Lsp::spawn_in(&root);
    let uri_root = file_uri(&root);
    let id = lsp.request_async(
        "initialize",
        json!({"processId": null, "rootUri": uri_root,
               "workspaceFolders": [{"uri": uri_root, "name": "root"}],
               "capabilities": {},
               "initializationOptions": {"annalist": {
                   "featurs": {"hover": false},
                   "rules": {"footnote-unused": "loud"}}}}),
    );
    let _ = lsp.response(id);
    lsp.notify("initialized", json!({}));
    let m = lsp.notification("window/showMessage", |p| {
        p["message"]
            .as_str()
            .is_some_and(|m| m.contains("`annalist.featurs`"))
    });
    let msg = m["message"].as_str().unwrap_or("");
    assert_eq!(m["type"], 2, "a warning: {m}");
    assert!(msg.contains("did you mean `features`?"), "{msg}");
    assert!(msg.contains("initializationOptions"), "{msg}");
    assert!(
        msg.contains("Fix it in your editor's Annalist settings"),
        "{msg}"
    );
    let m = lsp.notification("window/showMessage", |p| {
        p["message"]
            .as_str()
            .is_some_and(|m| m.contains("`annalist.rules.footnote-unused`"))
    });
    assert!(
        m["message"].as_str().unwrap_or("").contains("\"loud\""),
        "{m}"
    );

    // The bad level is skipped: the rule keeps its default.
    let uri = file_uri(&root.join("doc.md"));
    lsp.open(&uri, text);
    let diags = lsp.diagnostics(&uri, Some(1));
    assert!(
        diags.iter().any(|d| d["code"] == "footnote-unused"),
        "{diags:?}"
    );

    // A change with a wrong value and a good one: the wrong one is said, the good one
    // applies (the rule is off now).
    lsp.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"annalist": {
            "claims": {"scope": "page"},
            "rules": {"footnote-unused": "off"}}}}),
    );
    let m = lsp.notification("window/showMessage", |p| {
        p["message"]
            .as_str()
            .is_some_and(|m| m.contains("`annalist.claims.scope`"))
    });
    let msg = m["message"].as_str().unwrap_or("");
    assert!(msg.contains("workspace/didChangeConfiguration"), "{msg}");
    assert!(msg.contains("\"sentence\", \"paragraph\""), "{msg}");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let diags = lsp.diagnostics(&uri, None);
        if !diags.iter().any(|d| d["code"] == "footnote-unused") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "footnote-unused is still reported"
        );
    }
    assert!(lsp.shutdown().success());
}
