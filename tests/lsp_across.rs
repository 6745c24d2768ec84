//! Cross-file findings in the editor while a document is edited (issue #14): the server
//! moves a document's last cross-file findings when a keystroke only moves its names,
//! and refreshes the other open documents (whose related places point into it); what
//! it publishes equals what a server that opens the edited text afresh publishes.

mod common;
use common::*;
use serde_json::{Value, json};

const A: &str = "Kim Il Sung returned to Sŏul. Sŏul had fallen.\n\n\
                 Mao Tse-tung wrote. Mao Tse-tung left.\n";
const B: &str = "The army reached Seoul. Seoul was quiet, and Seoul again.\n\n\
                 Mao Zedong answered.\n";

/// The diagnostics of `uri` once they satisfy `pred` (the server publishes them again
/// as the other document's analysis lands).
fn settled(lsp: &mut Lsp, uri: &str, pred: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    let p = lsp.notification("textDocument/publishDiagnostics", |p| {
        p["uri"] == uri && pred(p["diagnostics"].as_array().map_or(&[][..], Vec::as_slice))
    });
    p["diagnostics"].as_array().cloned().unwrap_or_default()
}

fn across(d: &[Value]) -> bool {
    d.iter().any(|x| x["code"] == "romanisation-inconsistent")
}

fn points_into(d: &[Value], uri: &str) -> bool {
    d.iter().any(|x| {
        x["relatedInformation"]
            .as_array()
            .is_some_and(|r| r.iter().any(|r| r["location"]["uri"] == uri))
    })
}

/// What Neovim 0.11 announces for the diagnostics it is published.
fn neovim() -> Value {
    json!({"textDocument": {"publishDiagnostics": {"relatedInformation": true,
        "tagSupport": {"valueSet": [1, 2]}, "dataSupport": true}}})
}

/// Open both documents and wait until each is compared with the other.
fn open_both(lsp: &mut Lsp, a_uri: &str, a: &str, b_uri: &str) -> (Vec<Value>, Vec<Value>) {
    lsp.initialize(neovim());
    lsp.open(a_uri, a);
    lsp.open(b_uri, B);
    let da = settled(lsp, a_uri, |d| across(d) && points_into(d, b_uri));
    let db = settled(lsp, b_uri, |d| across(d) && points_into(d, a_uri));
    (da, db)
}

#[test]
fn a_keystroke_moves_the_cross_file_findings_of_both_documents() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a_uri = file_uri(&dir.path().join("a.md"));
    let b_uri = file_uri(&dir.path().join("b.md"));
    let mut lsp = Lsp::spawn();
    let (_, b_before) = open_both(&mut lsp, &a_uri, A, &b_uri);

    // Words typed before the names of a.md's two paragraphs, in one change.
    let at = |line: u32| {
        json!({"start": {"line": line, "character": 0},
                                "end": {"line": line, "character": 0}})
    };
    lsp.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": a_uri, "version": 2},
               "contentChanges": [{"range": at(0), "text": "So "},
                                  {"range": at(2), "text": "Then "}]}),
    );
    let a_after = lsp.diagnostics(&a_uri, Some(2));

    // What a server that opens the edited text afresh publishes.
    let edited = format!("So {A}").replace("\n\nMao", "\n\nThen Mao");
    let mut fresh = Lsp::spawn();
    let (a_fresh, b_fresh) = open_both(&mut fresh, &a_uri, &edited, &b_uri);
    assert_eq!(a_after, a_fresh);
    // b.md's related places in a.md moved: it is published again, as the fresh
    // server has it.
    assert_ne!(b_before, b_fresh);
    let b_after = settled(&mut lsp, &b_uri, |d| d == b_fresh.as_slice());
    assert_eq!(b_after, b_fresh);
    fresh.shutdown();
    lsp.shutdown();
}

/// A client that does not announce `relatedInformation` gets the cross-file findings
/// without their related places; no diagnostic carries a `data` field (nothing reads
/// it back) nor, without `codeDescriptionSupport`, a `codeDescription`.
#[test]
fn what_a_diagnostic_carries_follows_the_clients_capabilities() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a_uri = file_uri(&dir.path().join("a.md"));
    let b_uri = file_uri(&dir.path().join("b.md"));
    let mut with = Lsp::spawn();
    let (a_with, _) = open_both(&mut with, &a_uri, A, &b_uri);
    with.shutdown();
    let mut without = Lsp::spawn();
    without.initialize(json!({"textDocument": {"publishDiagnostics": {"versionSupport": true}}}));
    without.open(&a_uri, A);
    without.open(&b_uri, B);
    let a_without = settled(&mut without, &a_uri, across);
    without.shutdown();
    assert!(points_into(&a_with, &b_uri), "{a_with:?}");
    // The same diagnostics, less their related places.
    let bare: Vec<Value> = a_with
        .iter()
        .map(|d| {
            let mut d = d.clone();
            if let Some(o) = d.as_object_mut() {
                o.remove("relatedInformation");
            }
            d
        })
        .collect();
    assert_eq!(a_without, bare);
    for d in a_with.iter().chain(&a_without) {
        assert!(d.get("data").is_none(), "{d}");
        assert!(d.get("codeDescription").is_none(), "{d}");
    }
}
