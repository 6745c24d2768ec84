//! Reliability: the server never falls over, never loses a keystroke, never trusts its
//! input. Engine-level hazards first, then end-to-end over the real binary (see
//! RELIABILITY.md for the guarantees each test backs).

mod common;
use annalist::analysis::analyze_str;

/// Run `f` on a thread with a small stack, as analysis threads have: recursion whose
/// depth the input controls would overflow it (and a stack overflow aborts the process,
/// it cannot be caught).
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("no panic")
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    // Regression: the Markdown model walked the trees recursively; 15,000 nested
    // emphases overflowed a 2 MiB analysis thread and aborted the server.
    let cases = [
        format!("{}x{}", "*".repeat(5000), "*".repeat(5000)),
        format!("{} x\n", ">".repeat(10_000)),
        format!("{} x\n", "- ".repeat(10_000)),
        format!("{}x{}", "[".repeat(10_000), "]".repeat(10_000)),
        "> - ".repeat(5000),
    ];
    for text in cases {
        let len = text.len();
        let n = on_small_stack(move || analyze_str(&text).md.blocks.len());
        assert!(n >= 1, "a {len}-byte nested document has blocks");
    }
}

// ---------------------------------------------------------------------------
// Protocol abuse, over the real binary.

use common::*;
use serde_json::{Value, json};
use std::time::Instant;

const PROBE_URI: &str = "file:///probe.md";
const PROBE_TEXT: &str = "# Probe heading\n\nText.\n";

/// Open the probe document and check that a request about it is answered correctly.
fn probe(lsp: &mut Lsp, what: &str) {
    let id = lsp.request_async(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": PROBE_URI}}),
    );
    let r = response_within(lsp, id, what);
    assert_eq!(
        r["result"][0]["name"], "Probe heading",
        "after {what}: wrong answer {r}"
    );
}

/// The response to `id`, or a failure naming the abuse case that killed the server.
fn response_within(lsp: &mut Lsp, id: i64, what: &str) -> Value {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let Some(v) = lsp.recv(left) else {
            let status = lsp.child.try_wait();
            panic!("after {what}: no response to request {id} (server status {status:?})");
        };
        if v.get("id").and_then(Value::as_i64) == Some(id) && v.get("method").is_none() {
            return v;
        }
        lsp.backlog.push(v);
    }
}

fn started() -> Lsp {
    let mut lsp = Lsp::spawn();
    lsp.initialize(json!({}));
    lsp.open(PROBE_URI, PROBE_TEXT);
    probe(&mut lsp, "startup");
    lsp
}

#[test]
fn protocol_abuse_is_survived() {
    let mut lsp = started();
    let body = |v: Value| v.to_string().into_bytes();
    let hover = |id: i64| {
        body(
            json!({"jsonrpc": "2.0", "id": id, "method": "textDocument/hover",
            "params": {"textDocument": {"uri": PROBE_URI}, "position": {"line": 0, "character": 3}}}),
        )
    };
    let framed = |b: &[u8]| {
        let mut out = format!("Content-Length: {}\r\n\r\n", b.len()).into_bytes();
        out.extend_from_slice(b);
        out
    };
    let mut cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "invalid JSON",
            framed(b"{\"jsonrpc\": \"2.0\", \"id\": 900, \"method\": "),
        ),
        ("JSON that is not a message", framed(b"[1, 2, 3]")),
        ("an empty object", framed(b"{}")),
        ("an empty body", framed(b"")),
        (
            "a missing Content-Length",
            b"Content-Type: x\r\n\r\n{}".to_vec(),
        ),
        (
            "a non-numeric Content-Length",
            b"Content-Length: many\r\n\r\n{}".to_vec(),
        ),
        (
            "garbage between messages",
            b"\x00\x01garbage\r\n\r\n".to_vec(),
        ),
        ("a wrong Content-Type", {
            let b = hover(901);
            let mut out = format!(
                "Content-Length: {}\r\nContent-Type: application/x-nonsense; charset=latin1\r\n\r\n",
                b.len()
            )
            .into_bytes();
            out.extend_from_slice(&b);
            out
        }),
        ("a Content-Length too small", {
            let b = hover(902);
            let mut out = format!("Content-Length: {}\r\n\r\n", b.len() - 5).into_bytes();
            out.extend_from_slice(&b);
            out
        }),
        ("a Content-Length too large", {
            let b = hover(903);
            let mut out = format!("Content-Length: {}\r\n\r\n", b.len() + 40).into_bytes();
            out.extend_from_slice(&b);
            out
        }),
        ("invalid UTF-8 in a document", {
            let mut b = br##"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///bad-utf8.md","languageId":"markdown","version":1,"text":"# A"##.to_vec();
            b.extend_from_slice(b"\xff\xfe\xc3(");
            b.extend_from_slice(br#" heading\n"}}}"#);
            framed(&b)
        }),
        (
            "invalid UTF-8 in a header",
            b"Content-L\xffngth: 2\r\n\r\n{}".to_vec(),
        ),
        (
            "an unknown request",
            framed(&body(
                json!({"jsonrpc": "2.0", "id": 904, "method": "annalist/nonsense", "params": {}}),
            )),
        ),
        (
            "an unknown notification",
            framed(&body(
                json!({"jsonrpc": "2.0", "method": "nonsense/notify", "params": [1]}),
            )),
        ),
        (
            "a request with wrong params",
            framed(&body(
                json!({"jsonrpc": "2.0", "id": 905, "method": "textDocument/hover", "params": {"textDocument": 7}}),
            )),
        ),
        (
            "a notification with wrong params",
            framed(&body(
                json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": 3}}}),
            )),
        ),
        (
            "a response to nothing",
            framed(&body(json!({"jsonrpc": "2.0", "id": 906, "result": null}))),
        ),
        (
            "a second initialize",
            framed(&body(
                json!({"jsonrpc": "2.0", "id": 907, "method": "initialize", "params": {"capabilities": {}}}),
            )),
        ),
        (
            "cancelling an unknown request",
            framed(&body(
                json!({"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 123456}}),
            )),
        ),
    ];
    // Positions and ranges beyond the document, for every position-taking request.
    let far = json!({"line": 4_000_000_000u32, "character": 4_000_000_000u32});
    let far_range = json!({"start": far, "end": {"line": 0, "character": 0}});
    for (i, (method, params)) in [
        ("textDocument/hover", json!({"textDocument": {"uri": PROBE_URI}, "position": far})),
        ("textDocument/definition", json!({"textDocument": {"uri": PROBE_URI}, "position": far})),
        ("textDocument/references", json!({"textDocument": {"uri": PROBE_URI}, "position": far, "context": {"includeDeclaration": true}})),
        ("textDocument/prepareRename", json!({"textDocument": {"uri": PROBE_URI}, "position": far})),
        ("textDocument/rename", json!({"textDocument": {"uri": PROBE_URI}, "position": far, "newName": "x"})),
        ("textDocument/completion", json!({"textDocument": {"uri": PROBE_URI}, "position": far})),
        ("textDocument/codeAction", json!({"textDocument": {"uri": PROBE_URI}, "range": far_range, "context": {"diagnostics": []}})),
        ("textDocument/inlayHint", json!({"textDocument": {"uri": PROBE_URI}, "range": far_range})),
        ("textDocument/hover", json!({"textDocument": {"uri": "file:///not-open.md"}, "position": far})),
        ("annalist/timeline", json!({"textDocument": {"uri": "file:///not-open.md"}})),
    ]
    .into_iter()
    .enumerate()
    {
        let b = body(json!({"jsonrpc": "2.0", "id": 950 + i as i64, "method": method, "params": params}));
        cases.push((method, framed(&b)));
    }
    // An edit with a range far beyond the document: clamped to its end.
    cases.push((
        "an edit beyond the end",
        framed(&body(
            json!({"jsonrpc": "2.0", "method": "textDocument/didChange",
        "params": {"textDocument": {"uri": PROBE_URI, "version": 2},
        "contentChanges": [
            // Reversed, and past the end: normalised to line 2 .. end.
            {"range": {"start": far, "end": {"line": 2, "character": 0}}, "text": ""},
            {"range": {"start": far, "end": far}, "text": "## Tail\n"}]}}),
        )),
    ));
    let n = cases.len();
    for (what, bytes) in cases {
        lsp.send_raw(&bytes);
        probe(&mut lsp, what);
    }
    // The edit beyond the end was applied at the end.
    let syms = lsp.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": PROBE_URI}}),
    );
    assert_eq!(syms[0]["children"][0]["name"], "Tail", "{syms}");
    // The document opened with invalid UTF-8 is there, the bytes replaced.
    let syms = lsp.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": "file:///bad-utf8.md"}}),
    );
    assert_eq!(
        syms[0]["name"], "A\u{FFFD}\u{FFFD}\u{FFFD}( heading",
        "{syms}"
    );
    // Requests that had an id were answered (the lying lengths were read as lengths of
    // the one message there), and the unknown method got an error.
    let answered: Vec<i64> = lsp
        .backlog
        .iter()
        .filter_map(|v| v["id"].as_i64())
        .collect();
    for id in [901, 902, 903, 904, 905, 907, 950, 955, 959] {
        assert!(
            answered.contains(&id),
            "request {id} unanswered: {answered:?}"
        );
    }
    let unknown = lsp
        .backlog
        .iter()
        .find(|v| v["id"] == 904)
        .cloned()
        .unwrap_or_default();
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    eprintln!("{n} abuse cases survived");
    assert!(lsp.shutdown().success());
}
