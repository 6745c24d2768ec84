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
