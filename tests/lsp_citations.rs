//! Pandoc citations through the language server: hover, definition, references,
//! completion after `@`, an undefined key, the works-cited outline.

mod common;
use common::*;
use serde_json::json;

#[test]
fn citations_hover_definition_references_completion_and_diagnostics() {
    let path = fixture("citations/article.md");
    let text = std::fs::read_to_string(&path).expect("fixture");
    let bib = std::fs::read_to_string(fixture("citations/article.bib")).expect("bib");
    let uri = file_uri(&path);
    let mut lsp = Lsp::spawn();
    lsp.initialize(json!({}));
    lsp.open(&uri, &text);
    let diags = lsp.diagnostics(&uri, Some(1));
    assert!(
        !diags.iter().any(|d| d["code"]
            .as_str()
            .is_some_and(|c| c.starts_with("citation") || c == "unsourced-claim")),
        "{diags:?}"
    );

    // Hover: the formatted reference and the locator.
    let at = pos_of(&text, "@bajanov1995, 3]");
    let h = lsp.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": at.0, "character": at.1 + 3}}),
    );
    let md = h["contents"]["value"].as_str().unwrap_or("");
    assert!(md.contains("The Origins of the Korean War"), "{md}");
    assert!(md.contains("Bajanov"), "{md}");
    assert!(md.contains("Cited at: **3**"), "{md}");

    // Definition: the entry in the .bib file.
    let at = pos_of(&text, "@weathersby1993 had");
    let def = lsp.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri}, "position": {"line": at.0, "character": at.1 + 2}}),
    );
    assert!(
        def["uri"]
            .as_str()
            .is_some_and(|u| u.ends_with("citations/article.bib")),
        "{def}"
    );
    let entry = pos_of(&bib, "weathersby1993,");
    assert_eq!(def["range"]["start"]["line"], entry.0, "{def}");
    assert_eq!(def["range"]["start"]["character"], entry.1, "{def}");

    // References: every citation of the key.
    let refs = lsp.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri}, "position": {"line": at.0, "character": at.1 + 2},
               "context": {"includeDeclaration": false}}),
    );
    assert_eq!(refs.as_array().map(Vec::len), Some(2), "{refs}");

    // Outline: a "Works cited" group.
    let syms = lsp.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let works = syms
        .as_array()
        .and_then(|a| a.iter().find(|s| s["name"] == "Works cited"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        works["children"].as_array().map(Vec::len),
        Some(5),
        "{syms}"
    );

    // Completion after `@`, and an undefined key reported.
    let end_line = text.lines().count() as u32;
    lsp.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"range": {"start": {"line": end_line, "character": 0},
                                             "end": {"line": end_line, "character": 0}},
                                   "text": "\nA typo [@bajanov1959]. See [@"}]}),
    );
    let diags = lsp.diagnostics(&uri, Some(2));
    let undefined: Vec<&serde_json::Value> = diags
        .iter()
        .filter(|d| d["code"] == "citation-undefined")
        .collect();
    assert_eq!(undefined.len(), 1, "{diags:?}");
    assert!(
        undefined[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("bajanov1995")),
        "{diags:?}"
    );
    let col = "A typo [@bajanov1959]. See [@".len() as u32;
    let items = lsp.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": end_line + 1, "character": col}}),
    );
    let labels: Vec<&str> = items
        .as_array()
        .map(|a| a.iter().filter_map(|i| i["label"].as_str()).collect())
        .unwrap_or_default();
    for k in [
        "bajanov1995",
        "weathersby1993",
        "goncharov1993",
        "cumings1981",
        "cumings1990",
    ] {
        assert!(labels.contains(&k), "{labels:?}");
    }
    let w = items
        .as_array()
        .and_then(|a| a.iter().find(|i| i["label"] == "weathersby1993"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(w["detail"], "Weathersby 1993", "{w}");
    assert!(lsp.shutdown().success());
}

/// References to a key reach the workspace's Markdown files that are not open (read
/// from disk, as `annalist check` walks them), and not the files that merely mention
/// the key in code or an e-mail address.
#[test]
fn citations_references_reach_unopened_workspace_files() {
    let d = tempfile::tempdir().expect("tempdir");
    for f in ["article.md", "article.bib"] {
        std::fs::copy(fixture(&format!("citations/{f}")), d.path().join(f)).expect("copy");
    }
    std::fs::write(d.path().join("annalist.toml"), "").expect("toml");
    std::fs::create_dir_all(d.path().join("chapters")).expect("dir");
    std::fs::write(
        d.path().join("chapters/two.md"),
        "---\nbibliography: ../article.bib\n---\n\nAs Weathersby showed [@weathersby1993, 12],\n\
         and again @weathersby1993 [p. 30].\n",
    )
    .expect("write");
    std::fs::write(
        d.path().join("chapters/near-miss.md"),
        "Mail weathersby1993@example.org, or run `cite @weathersby1993`.\n",
    )
    .expect("write");
    let path = d.path().join("article.md");
    let text = std::fs::read_to_string(&path).expect("fixture");
    let uri = file_uri(&path);
    let mut lsp = Lsp::spawn_in(d.path());
    lsp.initialize_in(d.path(), json!({}));
    lsp.open(&uri, &text);
    lsp.diagnostics(&uri, Some(1));
    let at = pos_of(&text, "@weathersby1993 had");
    let refs = lsp.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri}, "position": {"line": at.0, "character": at.1 + 2},
               "context": {"includeDeclaration": false}}),
    );
    let refs = refs.as_array().cloned().unwrap_or_default();
    let in_two: Vec<&serde_json::Value> = refs
        .iter()
        .filter(|r| {
            r["uri"]
                .as_str()
                .is_some_and(|u| u.ends_with("chapters/two.md"))
        })
        .collect();
    assert_eq!(
        refs.len(),
        4,
        "2 in the article, 2 in chapters/two.md: {refs:?}"
    );
    assert_eq!(in_two.len(), 2, "{refs:?}");
    // Line 4 (0-based), at the key after `[@`.
    assert_eq!(in_two[0]["range"]["start"]["line"], 4, "{refs:?}");
    assert_eq!(
        in_two[0]["range"]["start"]["character"],
        "As Weathersby showed [@".len(),
        "{refs:?}"
    );
    assert_eq!(in_two[1]["range"]["start"]["line"], 5, "{refs:?}");
    assert!(
        !refs.iter().any(|r| r["uri"]
            .as_str()
            .is_some_and(|u| u.ends_with("near-miss.md"))),
        "{refs:?}"
    );
    // Opened, the chapter is counted once (from its analysis, not from disk as well).
    let two = d.path().join("chapters/two.md");
    let two_text = std::fs::read_to_string(&two).expect("two");
    lsp.open(&file_uri(&two), &two_text);
    lsp.diagnostics(&file_uri(&two), Some(1));
    let refs = lsp.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri}, "position": {"line": at.0, "character": at.1 + 2},
               "context": {"includeDeclaration": false}}),
    );
    assert_eq!(refs.as_array().map(Vec::len), Some(4), "{refs}");
    assert!(lsp.shutdown().success());
}
