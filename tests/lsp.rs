//! End-to-end JSON-RPC over the real binary.

mod common;
use common::*;
use serde_json::{Value, json};

#[test]
fn lifecycle_diagnostics_and_navigation_on_the_fixture() {
    let path = fixture("bajanov-1995.md");
    let text = std::fs::read_to_string(&path).expect("fixture");
    let uri = file_uri(&path);
    let mut lsp = Lsp::spawn();
    let init = lsp.initialize(json!({"general": {"positionEncodings": ["utf-16"]}}));
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    lsp.open(&uri, &text);
    let diags = lsp.diagnostics(&uri, Some(1));
    for d in &diags {
        assert_eq!(d["source"], "annalist");
        assert!(d["code"].is_string());
    }
    // Outline: the article's headings.
    let syms = lsp.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let names: Vec<String> = syms
        .as_array()
        .map(|a| {
            a.iter()
                .map(|s| s["name"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(names, vec!["The Origins of the Korean War"]);
    let status = lsp.shutdown();
    assert!(status.success(), "exit status {status:?}");
}

#[test]
fn utf8_is_negotiated_when_offered() {
    let mut lsp = Lsp::spawn();
    let init = lsp.initialize(json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}));
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    let init2 = Value::Null;
    let _ = init2;
    assert!(lsp.shutdown().success());
}

#[test]
fn exit_without_shutdown_is_code_1() {
    let mut lsp = Lsp::spawn();
    lsp.initialize(json!({}));
    lsp.notify("exit", Value::Null);
    lsp.close_stdin();
    let status = lsp.child.wait().expect("wait");
    assert_eq!(status.code(), Some(1));
}
