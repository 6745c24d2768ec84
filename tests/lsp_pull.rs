//! Pulled diagnostics (`textDocument/diagnostic`, as VS Code asks for them) answered
//! from the document's kept publication (issue #14): the items of every answer are byte
//! for byte what converting and serialising every finding afresh gives, whatever was
//! typed; a one-character edit in a megabyte converts only the diagnostics of the edited
//! line (counted, not timed); and through the real server the answer carries its
//! request's id (a number or a string), with cross-file findings as a fresh server
//! has them.

mod common;
use annalist::finding::{Finding, Span};
use annalist::lsp::publish::{across_for, diagnostics_of};
use annalist::lsp::state::{Backend, lock};
use annalist::position::{Encoding, LineIndex};
use common::Rng;
use common::*;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use tower_lsp_server::LspService;
use tower_lsp_server::ls_types::{
    DidChangeTextDocumentParams, DidOpenTextDocumentParams, DocumentDiagnosticParams,
    DocumentDiagnosticReport, DocumentDiagnosticReportResult, Position, Range,
    TextDocumentContentChangeEvent, TextDocumentIdentifier, TextDocumentItem, Uri,
    VersionedTextDocumentIdentifier,
};

/// An in-process server that pulls (nothing is published), its workspace index built.
fn pulling_server(enc: Encoding) -> LspService<Backend> {
    let (service, _socket) = LspService::new(Backend::new);
    {
        let b = service.inner();
        b.ready.send_replace(true);
        let mut st = lock(&b.state);
        st.pull = true;
        st.encoding = enc;
        st.supports = annalist::lsp::convert::Supports::ALL;
    }
    service
}

async fn open(b: &Backend, uri: &Uri, text: &str) {
    b.on_did_open(DidOpenTextDocumentParams {
        text_document: TextDocumentItem {
            uri: uri.clone(),
            language_id: "markdown".into(),
            version: 1,
            text: text.to_string(),
        },
    })
    .await;
}

/// The position of byte offset `o` of `text` in `enc`.
fn position(text: &str, o: usize, enc: Encoding) -> Position {
    let line_start = text[..o].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..line_start].matches('\n').count() as u32;
    let before = &text[line_start..o];
    let character = match enc {
        Encoding::Utf8 => before.len(),
        Encoding::Utf16 => before.encode_utf16().count(),
        Encoding::Chars => before.chars().count(),
    } as u32;
    Position { line, character }
}

/// Replace `text[at..del]` by `ins`, in the document and in `text`.
async fn edit(
    b: &Backend,
    uri: &Uri,
    version: i32,
    text: &mut String,
    (at, del): (usize, usize),
    ins: &str,
    enc: Encoding,
) {
    let range = Range {
        start: position(text, at, enc),
        end: position(text, del, enc),
    };
    b.on_did_change(DidChangeTextDocumentParams {
        text_document: VersionedTextDocumentIdentifier {
            uri: uri.clone(),
            version,
        },
        content_changes: vec![TextDocumentContentChangeEvent {
            range: Some(range),
            range_length: None,
            text: ins.to_string(),
        }],
    })
    .await;
    text.replace_range(at..del, ins);
}

/// The diagnostics of the document's current analysis converted and serialised
/// afresh, as the server answered before it kept its publications.
fn fresh(b: &Backend, uri: &Uri) -> Vec<u8> {
    let st = lock(&b.state);
    let e = st.docs.get(uri).expect("open");
    let (g, a) = e.analysis.clone().expect("analysed");
    let across = match &e.across {
        Some((ga, x)) if *ga == g => x.as_ref().clone(),
        _ => across_for(&st, uri, &a),
    };
    serde_json::to_vec(&diagnostics_of(&st, uri, &a, &across, st.encoding)).expect("serialise")
}

fn converted(b: &Backend, uri: &Uri) -> usize {
    lock(&b.state)
        .docs
        .get(uri)
        .expect("open")
        .published
        .converted()
}

fn floor_boundary(t: &str, mut o: usize) -> usize {
    o = o.min(t.len());
    while !t.is_char_boundary(o) {
        o -= 1;
    }
    o
}

/// Random typing into the fixture: after every edit, the pulled items equal a fresh
/// conversion, byte for byte.
async fn typing(seed: u64, enc: Encoding, steps: i32) {
    let service = pulling_server(enc);
    let b = service.inner();
    let uri: Uri = "file:///nowhere/pulled.md".parse().expect("uri");
    let mut text = std::fs::read_to_string(fixture("bajanov-1995.md")).expect("fixture");
    open(b, &uri, &text).await;
    let first = b.pulled_items(&uri).await.expect("pulled");
    assert_eq!(first, fresh(b, &uri));
    // The handler's typed answer (in-process, no output merger): the same items.
    let report = b
        .on_diagnostic(DocumentDiagnosticParams {
            text_document: TextDocumentIdentifier { uri: uri.clone() },
            identifier: None,
            previous_result_id: None,
            work_done_progress_params: Default::default(),
            partial_result_params: Default::default(),
        })
        .await
        .expect("answered");
    let DocumentDiagnosticReportResult::Report(DocumentDiagnosticReport::Full(full)) = report
    else {
        panic!("not a full report: {report:?}");
    };
    assert!(full.related_documents.is_none());
    assert_eq!(full.full_document_diagnostic_report.result_id, None);
    assert_eq!(
        serde_json::to_vec(&full.full_document_diagnostic_report.items).expect("JSON"),
        first
    );
    let typed = [
        "a",
        "é",
        "😀",
        "\n",
        "\r\n",
        "\n\n",
        "",
        "Shtykov ",
        "Štykov",
        " 17 April 1949",
        "[^1]",
        "(3)",
        "Kim Il Sung",
    ];
    let mut r = Rng(seed);
    let (mut total, mut conv) = (0, 0);
    for version in 2..2 + steps {
        let at = floor_boundary(&text, r.below(text.len() + 1));
        let del = if r.below(3) == 0 {
            floor_boundary(&text, at + r.below(8))
        } else {
            at
        };
        let ins = r.pick(&typed);
        edit(b, &uri, version, &mut text, (at, del), ins, enc).await;
        let got = b.pulled_items(&uri).await.expect("pulled");
        let want = fresh(b, &uri);
        assert!(
            got == want,
            "seed {seed}, version {version}, {at}..{del} -> {ins:?}:\n pulled: {}\n fresh:  {}",
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(&want)
        );
        // Pulled again for the same version: the same answer, nothing converted.
        if version % 5 == 0 {
            assert!(b.pulled_items(&uri).await.expect("pulled") == want);
            assert_eq!(converted(b, &uri), 0, "pulled twice, version {version}");
        }
        let n = serde_json::from_slice::<Vec<Value>>(&got)
            .expect("JSON")
            .len();
        total += n;
        conv += converted(b, &uri);
    }
    assert!(total > 0);
    // Most diagnostics came from the last answer.
    assert!(conv * 3 < total, "{conv} of {total} converted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_pulled_answer_equals_a_fresh_conversion() {
    typing(1, Encoding::Utf16, 60).await;
    typing(2, Encoding::Utf8, 40).await;
}

/// Map an offset of the text before the insertion of `n` bytes at `at`.
fn shifted(o: usize, at: usize, n: usize) -> usize {
    if o < at { o } else { o + n }
}

/// A one-character edit in a megabyte converts the diagnostics with a position on the
/// edited line and those the edit changed; every other one is taken from the last
/// answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_in_a_megabyte_converts_only_its_line_when_pulled() {
    let service = pulling_server(Encoding::Utf16);
    let b = service.inner();
    let uri: Uri = "file:///nowhere/large.md".parse().expect("uri");
    let mut text = big_document(1 << 20);
    open(b, &uri, &text).await;
    let first = b.pulled_items(&uri).await.expect("pulled");
    let total = serde_json::from_slice::<Vec<Value>>(&first)
        .expect("JSON")
        .len();
    assert!(total > 1000, "{total} diagnostics");
    assert_eq!(converted(b, &uri), total);
    let findings = |b: &Backend| -> Vec<Finding> {
        let st = lock(&b.state);
        let e = st.docs.get(&uri).expect("open");
        e.analysis.as_ref().expect("analysed").1.findings.clone()
    };
    let before = findings(b);
    // A finding in the middle of the document: "x" typed just after it.
    let mid = before
        .iter()
        .find(|f| f.span.start > text.len() / 2 && f.related.is_empty())
        .expect("a finding in the second half");
    let at = floor_boundary(&text, mid.span.end);
    edit(b, &uri, 2, &mut text, (at, at), "x", Encoding::Utf16).await;
    let got = b.pulled_items(&uri).await.expect("pulled");
    assert!(got == fresh(b, &uri));
    let after = findings(b);

    // The diagnostics expected to be converted: a position on the edited line, a place
    // in another document, or not among the last answer's (moved through the edit).
    let lines = LineIndex::new(&text);
    let line = lines.line_of(at);
    let (lo, hi) = (
        lines.line_start(line),
        if line + 1 < lines.line_count() {
            lines.line_start(line + 1)
        } else {
            usize::MAX
        },
    );
    let on_line = |s: Span| (lo..hi).contains(&s.start) || (lo..hi).contains(&s.end);
    type Key = (&'static str, Span, String, Vec<(Span, String)>, Vec<String>);
    let key = |f: &Finding, map: &dyn Fn(Span) -> Span| -> Key {
        (
            f.code,
            map(f.span),
            f.message.clone(),
            f.related
                .iter()
                .map(|r| (map(r.span), r.message.clone()))
                .collect(),
            f.fixes.iter().map(|x| x.title.clone()).collect(),
        )
    };
    let moved = |s: Span| Span::new(shifted(s.start, at, 1), shifted(s.end, at, 1));
    let old: std::collections::HashSet<Key> = before.iter().map(|f| key(f, &moved)).collect();
    let expected = after
        .iter()
        .filter(|f| {
            std::iter::once(f.span)
                .chain(f.related.iter().map(|r| r.span))
                .any(on_line)
                || f.related.iter().any(|r| r.path.is_some())
                || !old.contains(&key(f, &|s| s))
        })
        .count();
    assert!(expected >= 1, "the edited line has a diagnostic");
    assert!(
        expected < 20,
        "{expected} diagnostics expected to be converted"
    );
    assert_eq!(converted(b, &uri), expected);
}

/// The answer of the real server (through its output's merger) to one pull.
fn pull(lsp: &mut Lsp, uri: &str, id: Value) -> Value {
    lsp.send(
        &json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/diagnostic",
                     "params": {"textDocument": {"uri": uri}}}),
    );
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let v = lsp
            .recv(left)
            .unwrap_or_else(|| panic!("no answer to pull {id}"));
        if v.get("id") == Some(&id) && v.get("method").is_none() {
            assert_eq!(v["jsonrpc"], "2.0", "{v}");
            let result = v.get("result").unwrap_or_else(|| panic!("{v}")).clone();
            // A full report, without a resultId, as before.
            let keys: Vec<&String> = result.as_object().expect("an object").keys().collect();
            assert_eq!(keys.len(), 2, "{result}");
            assert_eq!(result["kind"], "full", "{result}");
            return result["items"].clone();
        }
        if v.get("method").is_some() && v.get("id").is_some() {
            let rid = v["id"].clone();
            lsp.send(&json!({"jsonrpc": "2.0", "id": rid, "result": null}));
        }
    }
}

/// As VS Code (vscode-languageclient 9) announces itself: it pulls, and says what it
/// takes on a diagnostic for publications only.
const PULL: &str = r#"{"textDocument": {"diagnostic": {"dynamicRegistration": true,
                                                       "relatedDocumentSupport": false},
                                        "publishDiagnostics": {"relatedInformation": true,
                                                               "versionSupport": false,
                                                               "tagSupport": {"valueSet": [1, 2]},
                                                               "codeDescriptionSupport": true,
                                                               "dataSupport": true}},
                        "workspace": {"diagnostics": {"refreshSupport": true}}}"#;

/// Through the real server: each pull answered with its own id (numbers and strings,
/// several in flight), the items a fresh server gives for the same text; a document
/// that is not open has none.
#[test]
fn the_server_answers_pulls_with_their_ids_and_fresh_items() {
    let path = fixture("bajanov-1995.md");
    let mut text = std::fs::read_to_string(&path).expect("fixture");
    let uri = file_uri(&path);
    let caps: Value = serde_json::from_str(PULL).expect("caps");
    let mut lsp = Lsp::spawn();
    lsp.initialize(caps.clone());
    lsp.open(&uri, &text);
    let first = pull(&mut lsp, &uri, json!(100));
    assert!(first.as_array().is_some_and(|a| a.len() > 5), "{first}");
    assert_eq!(pull(&mut lsp, &uri, json!("pull-α")), first);
    assert_eq!(
        pull(&mut lsp, "file:///nowhere/closed.md", json!(101)),
        json!([])
    );
    // Two pulls in flight, then a hover: each answer to its own request.
    for id in [json!(102), json!("two")] {
        lsp.send(
            &json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/diagnostic",
                         "params": {"textDocument": {"uri": uri}}}),
        );
    }
    let (line, character) = pos_of(&text, "Shtykov");
    let hover = lsp.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
    );
    assert!(hover.get("contents").is_some(), "{hover}");
    // Answers that arrived while the hover was awaited wait in the backlog.
    let mut answers = Vec::new();
    let deadline = Instant::now() + TIMEOUT;
    while answers.len() < 2 {
        let v = match lsp.backlog.pop() {
            Some(v) => v,
            None => {
                let left = deadline.saturating_duration_since(Instant::now());
                lsp.recv(left).expect("the answers to both pulls")
            }
        };
        if v.get("method").is_none() && (v["id"] == json!(102) || v["id"] == json!("two")) {
            assert_eq!(v["result"]["items"], first, "{}", v["id"]);
            answers.push(v["id"].clone());
        }
    }
    answers.sort_by_key(Value::to_string);
    assert_eq!(answers, vec![json!("two"), json!(102)]);

    // Typing, pulled after each change as VS Code does.
    let mut r = Rng(5);
    for version in 2..8 {
        let at = floor_boundary(&text, r.below(text.len()));
        let ins = r.pick(&["x", "\n", "Štykov ", "é"]);
        let p = position(&text, at, Encoding::Utf16);
        lsp.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                   "contentChanges": [{"range": {"start": p, "end": p}, "text": ins}]}),
        );
        text.insert_str(at, ins);
        pull(&mut lsp, &uri, json!(version * 1000));
    }
    let last = pull(&mut lsp, &uri, json!("last"));
    assert!(lsp.shutdown().success());

    let mut fresh = Lsp::spawn();
    fresh.initialize(caps);
    fresh.open(&uri, &text);
    assert_eq!(last, pull(&mut fresh, &uri, json!(1)));
    assert!(fresh.shutdown().success());
}

const A: &str = "Kim Il Sung returned to Sŏul. Sŏul had fallen.\n\n\
                 Mao Tse-tung wrote. Mao Tse-tung left.\n";
const B: &str = "The army reached Seoul. Seoul was quiet, and Seoul again.\n\n\
                 Mao Zedong answered.\n";

/// Pull `uri` until its items satisfy `pred` (the other document's analysis lands).
fn pull_until(lsp: &mut Lsp, uri: &str, pred: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + TIMEOUT;
    let mut id = 0;
    loop {
        id += 1;
        let items = pull(lsp, uri, json!(format!("{uri}#{id}")));
        if pred(&items) {
            return items;
        }
        assert!(Instant::now() < deadline, "{uri}: {items}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn points_into(d: &Value, uri: &str) -> bool {
    d.as_array().is_some_and(|d| {
        d.iter().any(|x| {
            x["relatedInformation"]
                .as_array()
                .is_some_and(|r| r.iter().any(|r| r["location"]["uri"] == uri))
        })
    })
}

/// Cross-file findings, pulled: each document's related places in the other, moved
/// when the other is edited, as a server opening the edited text afresh has them.
#[test]
fn pulled_cross_file_findings_follow_an_edit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a_uri = file_uri(&dir.path().join("a.md"));
    let b_uri = file_uri(&dir.path().join("b.md"));
    let caps: Value = serde_json::from_str(PULL).expect("caps");
    let open_both = |lsp: &mut Lsp, a: &str| {
        lsp.initialize(caps.clone());
        lsp.open(&a_uri, a);
        lsp.open(&b_uri, B);
        let da = pull_until(lsp, &a_uri, |d| points_into(d, &b_uri));
        let db = pull_until(lsp, &b_uri, |d| points_into(d, &a_uri));
        (da, db)
    };
    let mut lsp = Lsp::spawn();
    let (_, b_before) = open_both(&mut lsp, A);
    // Words typed before the names of a.md's two paragraphs, in one change.
    let at = |line: u32| json!({"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}});
    lsp.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": a_uri, "version": 2},
               "contentChanges": [{"range": at(0), "text": "So "},
                                  {"range": at(2), "text": "Then "}]}),
    );
    let edited = format!("So {A}").replace("\n\nMao", "\n\nThen Mao");
    let mut fresh = Lsp::spawn();
    let (a_fresh, b_fresh) = open_both(&mut fresh, &edited);
    assert_ne!(b_before, b_fresh);
    assert_eq!(pull_until(&mut lsp, &a_uri, |d| *d == a_fresh), a_fresh);
    assert_eq!(pull_until(&mut lsp, &b_uri, |d| *d == b_fresh), b_fresh);
    assert!(fresh.shutdown().success());
    assert!(lsp.shutdown().success());
}

/// Poll `fut` once: its output when it is ready at once, without waiting for anything.
fn at_once<F: std::future::Future>(fut: F) -> Option<F::Output> {
    let mut fut = std::pin::pin!(fut);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    match fut.as_mut().poll(&mut cx) {
        std::task::Poll::Ready(v) => Some(v),
        std::task::Poll::Pending => None,
    }
}

/// Before the workspace index lands, a pull is answered at once (its analysis done: the
/// handler's future is ready on its first poll, it waits for no index) with the
/// document's own findings; the index's landing finds the answer would change, so the
/// client is asked to pull again (`refresh` says "changed"), and the next pull carries
/// the comparison with the unopened file — equal to a fresh conversion. A second
/// landing with nothing new asks for nothing. A code action is answered at once too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pull_before_the_index_is_answered_at_once_and_refreshed_when_it_lands() {
    let service = pulling_server(Encoding::Utf16);
    let b = service.inner();
    // The workspace index is not built.
    b.ready.send_replace(false);
    let uri: Uri = "file:///nowhere/a.md".parse().expect("uri");
    open(
        b,
        &uri,
        "Kim Il Sung returned to Sŏul.\n\nSŏul had fallen.\n",
    )
    .await;
    b.analysis(&uri).await.expect("analysed").expect("open");
    // The scheduler's own publication of the analysis (in pull mode: its comparison,
    // kept) is made in the document's turn, which a pull then takes: let it end first.
    while lock(&b.state).docs[&uri].across.is_none() {
        tokio::task::yield_now().await;
    }
    let turn = lock(&b.state).docs[&uri].publishing.clone();
    drop(turn.lock().await);

    let first = at_once(b.pulled_items(&uri))
        .expect("answered without waiting for the index")
        .expect("pulled");
    let first: Vec<Value> = serde_json::from_slice(&first).expect("JSON");
    assert!(
        !first
            .iter()
            .any(|d| d["code"] == "romanisation-inconsistent"),
        "{first:?}"
    );
    let action = at_once(
        b.on_code_action(tower_lsp_server::ls_types::CodeActionParams {
            text_document: TextDocumentIdentifier { uri: uri.clone() },
            range: Range::default(),
            context: Default::default(),
            work_done_progress_params: Default::default(),
            partial_result_params: Default::default(),
        }),
    );
    assert!(action.is_some(), "a code action waited for the index");

    // The index lands with an unopened file that spells the name otherwise.
    let other = "The army reached Seoul. Seoul was quiet, and Seoul again.\n";
    {
        let mut st = lock(&b.state);
        let res = st.configs.for_root();
        let ctx = annalist::facts::Context {
            config: &res.config,
            knowledge: &res.knowledge,
        };
        let names = annalist::analysis::name_index(other.into(), &ctx);
        std::sync::Arc::make_mut(&mut st.ws).files.insert(
            "file:///nowhere/b.md".to_string(),
            annalist::lsp::folder_index::WsFile {
                path: "/nowhere/b.md".into(),
                config: None,
                marks: annalist::lsp::folder_index::marks_of(other, &names),
                names: names.into(),
            },
        );
    }
    let changed = annalist::lsp::publish::refresh(&b.state, &b.client, None).await;
    let again = annalist::lsp::publish::refresh(&b.state, &b.client, None).await;
    b.ready.send_replace(true);
    assert!(changed, "the landing did not ask the client to pull again");
    assert!(!again, "a landing that changes nothing asks to pull again");

    let second = b.pulled_items(&uri).await.expect("pulled");
    assert_eq!(second, fresh(b, &uri));
    let second: Value = serde_json::from_slice(&second).expect("JSON");
    assert!(
        second
            .as_array()
            .is_some_and(|d| d.iter().any(|d| d["code"] == "romanisation-inconsistent")),
        "{second}"
    );
    assert!(points_into(&second, "file:///nowhere/b.md"), "{second}");
}
