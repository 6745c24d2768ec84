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
        // Ends with text: an empty innermost item has no leaf block to find.
        format!("{}x\n", "> - ".repeat(5000)),
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
    let is_it =
        |v: &Value| v.get("id").and_then(Value::as_i64) == Some(id) && v.get("method").is_none();
    if let Some(i) = lsp.backlog.iter().position(is_it) {
        return lsp.backlog.remove(i);
    }
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
    // File events the workspace index cannot use: a URI that is no file, a file that
    // does not exist, a directory, an unknown change type, an empty query.
    for (what, params) in [
        (
            "watched-file events about no file, a missing file, a directory",
            json!({"changes": [
                {"uri": "untitled:Untitled-1", "type": 2},
                {"uri": "file:///no/such/dir/missing.md", "type": 2},
                {"uri": "file:///no/such/dir/missing.md", "type": 3},
                {"uri": "file:///tmp", "type": 1},
                {"uri": "file:///tmp/x.md", "type": 99}
            ]}),
        ),
        (
            "watched-file events with no changes",
            json!({"changes": []}),
        ),
    ] {
        cases.push((
            what,
            framed(&body(json!({"jsonrpc": "2.0", "method": "workspace/didChangeWatchedFiles", "params": params}))),
        ));
    }
    cases.push((
        "a workspace symbol query of 100,000 characters",
        framed(&body(
            json!({"jsonrpc": "2.0", "id": 940, "method": "workspace/symbol",
            "params": {"query": "Kim ".repeat(25_000)}}),
        )),
    ));
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

// ---------------------------------------------------------------------------
// No lost or reordered edits.

/// A small deterministic PRNG (xorshift64*), so a failing run can be replayed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Byte offset of UTF-16 column `col` in `line` (a char boundary).
fn byte_of_col(line: &str, col: usize) -> usize {
    let mut units = 0;
    for (i, c) in line.char_indices() {
        if units >= col {
            return i;
        }
        units += c.len_utf16();
    }
    line.len()
}

/// UTF-16 columns of the char boundaries of `line` at or after column 2 (after `# `).
fn boundaries(line: &str) -> Vec<usize> {
    let mut cols = Vec::new();
    let mut units = 0;
    for c in line.chars() {
        if units >= 2 {
            cols.push(units);
        }
        units += c.len_utf16();
    }
    cols.push(units.max(2));
    cols
}

/// The outline the server must give for `text`, computed in-process, as LSP JSON.
fn expected_symbols(text: &str) -> Value {
    use annalist::position::Encoding;
    let a = analyze_str(text);
    fn conv(a: &annalist::analysis::Analysis, s: &annalist::ide::Symbol) -> Value {
        let pos = |o: usize| {
            let p = a.lines.position(&a.text, o, Encoding::Utf16);
            json!({"line": p.line, "character": p.col})
        };
        json!({
            "name": s.name,
            "range": {"start": pos(s.span.start), "end": pos(s.span.end)},
            "selectionRange": {"start": pos(s.selection.start), "end": pos(s.selection.end)},
            "children": s.children.iter().map(|c| conv(a, c)).collect::<Vec<_>>(),
        })
    }
    Value::Array(
        annalist::ide::symbols(&a)
            .iter()
            .map(|s| conv(&a, s))
            .collect(),
    )
}

/// Only the fields `expected_symbols` gives.
fn strip_symbols(v: &Value) -> Value {
    Value::Array(
        v.as_array()
            .map(|a| {
                a.iter()
                    .map(|s| {
                        json!({
                            "name": s["name"],
                            "range": s["range"],
                            "selectionRange": s["selectionRange"],
                            "children": strip_symbols(&s["children"]),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default(),
    )
}

/// (code, range) of every finding for `text`, computed in-process, sorted.
fn expected_findings(text: &str) -> Vec<(String, Value)> {
    use annalist::position::Encoding;
    let a = analyze_str(text);
    let pos = |o: usize| {
        let p = a.lines.position(&a.text, o, Encoding::Utf16);
        json!({"line": p.line, "character": p.col})
    };
    let mut v: Vec<(String, Value)> = a
        .findings
        .iter()
        .map(|f| {
            (
                f.code.to_string(),
                json!({"start": pos(f.span.start), "end": pos(f.span.end)}),
            )
        })
        .collect();
    v.sort_by_key(|(c, r)| (c.clone(), r.to_string()));
    v
}

fn published_findings(diags: &[Value]) -> Vec<(String, Value)> {
    let mut v: Vec<(String, Value)> = diags
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_string(),
                d["range"].clone(),
            )
        })
        .collect();
    v.sort_by_key(|(c, r)| (c.clone(), r.to_string()));
    v
}

/// One random edit of `text` that keeps every line an ATX heading (`# …`), so the
/// server's outline reveals all of its text. Returns the LSP change and applies it.
fn random_edit(rng: &mut Rng, text: &mut String, note: &mut usize) -> Value {
    const SNIPPETS: &[&str] = &[
        "ŏ",
        "서울",
        "😀",
        "Сталин",
        " Kim Il-sung",
        "𠀀",
        " 25 June 1950",
        "a",
        " ",
        "Sŏul",
        "\r\n# ",
        "\n# Пхеньян ",
        "\n# ",
    ];
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let line_no = rng.below(lines.len());
    let line = lines
        .get(line_no)
        .map(|l| l.trim_end_matches(['\n', '\r']))
        .unwrap_or("");
    let cols = boundaries(line);
    let col = cols[rng.below(cols.len())];
    let line_start: usize = lines.iter().take(line_no).map(|l| l.len()).sum();
    let start_byte = line_start + byte_of_col(line, col);
    let (end_line, end_col, end_byte, new_text) = if rng.below(5) < 3 || text.len() < 2000 {
        let s = if rng.below(6) == 0 {
            *note += 1;
            format!(" [^missing-{note}]")
        } else {
            SNIPPETS[rng.below(SNIPPETS.len())].to_string()
        };
        (line_no, col, start_byte, s)
    } else {
        // Delete to a boundary on this line or one of the next two.
        let end_line = (line_no + rng.below(2)).min(lines.len() - 1);
        let l2 = lines[end_line].trim_end_matches(['\n', '\r']);
        let cols2: Vec<usize> = boundaries(l2)
            .into_iter()
            .filter(|&c| end_line > line_no || c >= col)
            .collect();
        let end_col = cols2[rng.below(cols2.len())];
        let l2_start: usize = lines.iter().take(end_line).map(|l| l.len()).sum();
        (
            end_line,
            end_col,
            l2_start + byte_of_col(l2, end_col),
            String::new(),
        )
    };
    text.replace_range(start_byte..end_byte, &new_text);
    json!({
        "range": {"start": {"line": line_no, "character": col},
                  "end": {"line": end_line, "character": end_col}},
        "text": new_text,
    })
}

#[test]
fn pipelined_edits_are_neither_lost_nor_reordered() {
    let seed = std::env::var("ANNALIST_EDIT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5EED_1950_0625_u64);
    let edits: usize = std::env::var("ANNALIST_EDITS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    for round in 0..3u64 {
        pipeline(seed.wrapping_add(round), edits);
    }
}

fn pipeline(seed: u64, edits: usize) {
    let mut rng = Rng(seed);
    let uri = "file:///pipelined.md";
    let mut text: String = (0..20)
        .map(|i| format!("# Section {i} Сталин 서울 [^missing-{i}]\n"))
        .collect();
    let mut note = 100;
    let mut lsp = Lsp::spawn();
    lsp.initialize(json!({"general": {"positionEncodings": ["utf-16"]}}));
    lsp.open(uri, &text);
    let mut version = 1;
    let mut hovers = Vec::new();
    let mut changes_sent = 0;
    for step in 0..edits {
        // One to three changes per notification, each against the previous result.
        let n = 1 + rng.below(3);
        let changes: Vec<Value> = (0..n)
            .map(|_| random_edit(&mut rng, &mut text, &mut note))
            .collect();
        changes_sent += changes.len();
        version += 1;
        lsp.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        );
        if step % 5 == 0 {
            let line = rng.below(text.lines().count() + 2);
            let id = lsp.request_async(
                "textDocument/hover",
                json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": rng.below(30)}}),
            );
            hovers.push(id);
        }
    }
    // Every hover is answered (in any order: requests run concurrently).
    let deadline = Instant::now() + TIMEOUT;
    let mut pending: std::collections::BTreeSet<i64> = hovers.iter().copied().collect();
    while !pending.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        let Some(v) = lsp.recv(left) else {
            panic!(
                "hovers {pending:?} unanswered; server status {:?}",
                lsp.child.try_wait()
            );
        };
        if let Some(id) = v
            .get("id")
            .and_then(Value::as_i64)
            .filter(|_| v.get("method").is_none())
        {
            assert!(v.get("error").is_none(), "hover {id} failed: {v}");
            pending.remove(&id);
        } else {
            lsp.backlog.push(v);
        }
    }
    let diags = lsp.diagnostics(uri, Some(version));
    let syms = lsp.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let expected = expected_symbols(&text);
    assert_eq!(
        expected.as_array().map(Vec::len),
        Some(text.lines().count()),
        "every line is a heading, so the outline reveals the whole text"
    );
    let names = |v: &Value| -> Vec<String> {
        v.as_array()
            .map(|a| {
                a.iter()
                    .map(|s| s["name"].as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(
        names(&syms),
        names(&expected),
        "seed {seed:#x}: the server's text differs from the client's"
    );
    assert_eq!(
        strip_symbols(&syms),
        expected,
        "seed {seed:#x}: the server's text differs from the client's"
    );
    assert_eq!(
        published_findings(&diags),
        expected_findings(&text),
        "seed {seed:#x}: final diagnostics do not describe the final text"
    );
    eprintln!(
        "{edits} didChange notifications ({changes_sent} changes) and {} hovers pipelined; final text {} bytes, {} lines",
        hovers.len(),
        text.len(),
        text.lines().count()
    );
    assert!(lsp.shutdown().success());
}

// ---------------------------------------------------------------------------
// Versions out of order, documents not open.

/// Wait for a `window/logMessage` whose text contains `needle`.
fn log_containing(lsp: &mut Lsp, needle: &str) -> Value {
    let is_it = |v: &Value| {
        v["method"] == "window/logMessage"
            && v["params"]["message"]
                .as_str()
                .is_some_and(|m| m.contains(needle))
    };
    if let Some(i) = lsp.backlog.iter().position(is_it) {
        return lsp.backlog.remove(i);
    }
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let v = lsp
            .recv(left)
            .unwrap_or_else(|| panic!("no log message containing {needle:?}"));
        if is_it(&v) {
            return v;
        }
        lsp.backlog.push(v);
    }
}

fn outline_names(lsp: &mut Lsp, uri: &str) -> Vec<String> {
    let syms = lsp.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    syms.as_array()
        .map(|a| {
            a.iter()
                .map(|s| s["name"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn stale_versions_and_unopened_documents_are_logged_and_recovered_from() {
    let mut lsp = started();
    let uri = "file:///versions.md";
    lsp.open(uri, "# One\n");
    let change = |version: i64, line: u32, text: &str| {
        json!({"textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}}, "text": text}]})
    };
    lsp.notify("textDocument/didChange", change(2, 1, "# Two\n"));
    // A change to a document never opened: logged, nothing else happens.
    lsp.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": "file:///never-opened.md", "version": 7},
            "contentChanges": [{"text": "# Ghost\n"}]}),
    );
    let log = log_containing(&mut lsp, "never-opened.md");
    assert_eq!(log["params"]["type"], 2, "a warning: {log}");
    assert_eq!(
        outline_names(&mut lsp, "file:///never-opened.md"),
        Vec::<String>::new()
    );
    // A version that goes backwards: logged, applied in arrival order.
    lsp.notify("textDocument/didChange", change(2, 2, "# Three\n"));
    let log = log_containing(&mut lsp, "has version 2 after version 2");
    assert_eq!(log["params"]["type"], 2, "a warning: {log}");
    assert_eq!(outline_names(&mut lsp, uri), ["One", "Two", "Three"]);
    // A gap (versions need only increase) is applied, and traced at log level.
    lsp.notify("textDocument/didChange", change(10, 3, "# Four\n"));
    let log = log_containing(&mut lsp, "jumps from version 2 to 10");
    assert_eq!(log["params"]["type"], 4, "a log-level trace: {log}");
    assert_eq!(
        outline_names(&mut lsp, uri),
        ["One", "Two", "Three", "Four"]
    );
    let diags_version = {
        lsp.diagnostics(uri, Some(10));
        10
    };
    assert_eq!(diags_version, 10);
    // Reopening resynchronises whatever happened before.
    lsp.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    lsp.open(uri, "# Fresh\n");
    assert_eq!(outline_names(&mut lsp, uri), ["Fresh"]);
    probe(&mut lsp, "version abuse");
    assert!(lsp.shutdown().success());
}

// ---------------------------------------------------------------------------
// Lifecycle: requests before initialize, cancellation, exit codes.

fn wait_exit(lsp: &mut Lsp, within: std::time::Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + within;
    loop {
        if let Ok(Some(s)) = lsp.child.try_wait() {
            return s;
        }
        if Instant::now() > deadline {
            let _ = lsp.child.kill();
            panic!("the server did not exit within {within:?}");
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

#[test]
fn requests_before_initialize_are_refused_then_served() {
    let mut lsp = Lsp::spawn();
    let id = lsp.request_async(
        "textDocument/hover",
        json!({"textDocument": {"uri": PROBE_URI}, "position": {"line": 0, "character": 0}}),
    );
    let r = response_within(&mut lsp, id, "a request before initialize");
    assert_eq!(r["error"]["code"], -32002, "ServerNotInitialized: {r}");
    lsp.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": "file:///early.md", "languageId": "markdown", "version": 1, "text": "# Early\n"}}),
    );
    lsp.initialize(json!({}));
    lsp.open(PROBE_URI, PROBE_TEXT);
    probe(&mut lsp, "requests before initialize");
    assert!(lsp.shutdown().success());
}

#[test]
fn cancelled_requests_do_not_crash() {
    let mut lsp = started();
    let big: String = (0..2000)
        .map(|i| format!("# H{i}\n\nText [^n{i}] on 25 June 1950 in Sŏul.\n\n"))
        .collect();
    lsp.open("file:///cancel.md", &big);
    let mut ids = Vec::new();
    for i in 0..50 {
        let id = lsp.request_async(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": "file:///cancel.md"}}),
        );
        // Cancel some at once, some later, some twice, and some never.
        if i % 3 != 2 {
            lsp.notify("$/cancelRequest", json!({"id": id}));
        }
        if i % 5 == 0 {
            lsp.notify("$/cancelRequest", json!({"id": id}));
        }
        ids.push(id);
    }
    for id in ids {
        let r = response_within(&mut lsp, id, "cancellation");
        assert!(
            r.get("result").is_some() || r["error"]["code"] == -32800,
            "a result or RequestCancelled: {r}"
        );
    }
    probe(&mut lsp, "cancellation");
    assert!(lsp.shutdown().success());
}

#[test]
fn exit_codes_and_a_closed_stdin() {
    // shutdown then exit: 0, promptly.
    let lsp = started();
    let t = Instant::now();
    assert_eq!(lsp.shutdown().code(), Some(0));
    assert!(t.elapsed().as_secs() < 5);
    // exit without shutdown: 1, even with stdin left open.
    let mut lsp = started();
    lsp.notify("exit", Value::Null);
    assert_eq!(
        wait_exit(&mut lsp, std::time::Duration::from_secs(5)).code(),
        Some(1)
    );
    // stdin closed without shutdown, while an analysis may be running: ends promptly
    // (code 1: the client vanished without a shutdown).
    let mut lsp = started();
    let big: String = (0..3000)
        .map(|i| format!("Para {i} [^x{i}].\n\n"))
        .collect();
    lsp.open("file:///closing.md", &big);
    lsp.close_stdin();
    assert_eq!(
        wait_exit(&mut lsp, std::time::Duration::from_secs(5)).code(),
        Some(1)
    );
    // shutdown, then stdin closed without exit: ends promptly with 0.
    let mut lsp = started();
    let id = lsp.request_async("shutdown", Value::Null);
    response_within(&mut lsp, id, "shutdown");
    lsp.close_stdin();
    assert_eq!(
        wait_exit(&mut lsp, std::time::Duration::from_secs(5)).code(),
        Some(0)
    );
    // Requests after shutdown are refused (InvalidRequest), then exit is 0.
    let mut lsp = started();
    let id = lsp.request_async("shutdown", Value::Null);
    response_within(&mut lsp, id, "shutdown");
    let id = lsp.request_async(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": PROBE_URI}}),
    );
    let r = response_within(&mut lsp, id, "a request after shutdown");
    assert_eq!(r["error"]["code"], -32600, "{r}");
    lsp.notify("exit", Value::Null);
    assert_eq!(
        wait_exit(&mut lsp, std::time::Duration::from_secs(5)).code(),
        Some(0)
    );
}

// ---------------------------------------------------------------------------
// Huge and hostile documents, over the binary.

/// Peak resident memory of a process, in bytes (Linux; None elsewhere).
fn peak_rss(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[test]
fn huge_and_deep_documents_degrade_gracefully() {
    let mut lsp = started();
    let para = "In June 1950 Kim Il-sung met Stalin in Moscow [^a]; Sŏul fell on 28 June.\n\n";
    let cases: Vec<(&str, String)> = vec![
        (
            "a 50 MB document",
            para.repeat(50 * 1024 * 1024 / para.len()),
        ),
        (
            "a single 1 MB line",
            "Kim Il-sung [^x] 1950 Сталин 서울 ".repeat(1024 * 1024 / 40),
        ),
        (
            "10,000 nested block quotes",
            format!("{} deep\n", ">".repeat(10_000)),
        ),
        (
            "10,000 nested list items",
            (0..10_000)
                .map(|i| format!("{}- item\n", "  ".repeat(i % 500)))
                .collect::<String>()
                + &"- ".repeat(10_000)
                + "x\n",
        ),
        (
            "10,000 nested emphases",
            format!("{}x{}", "*".repeat(5_000), "*".repeat(5_000)),
        ),
        (
            "5,000 notes",
            (0..5_000)
                .map(|i| format!("Claim {i}.[^n{i}]\n\n"))
                .collect::<String>()
                + &(0..5_000)
                    .map(|i| format!("[^n{i}]: Source {i}.\n"))
                    .collect::<String>(),
        ),
        (
            "NUL and control characters",
            "\0\u{1}\u{7f}\u{feff}\u{2028}\u{85}\r\r\n\u{b}".repeat(1000),
        ),
    ];
    let n = cases.len();
    for (i, (what, text)) in cases.into_iter().enumerate() {
        let uri = format!("file:///huge-{i}.md");
        let t = Instant::now();
        lsp.open(&uri, &text);
        let diags = lsp.diagnostics(&uri, Some(1));
        let opened = t.elapsed();
        // A request on the document is answered, and so is one elsewhere.
        let id = lsp.request_async(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 5}}),
        );
        let r = response_within(&mut lsp, id, what);
        assert!(r.get("error").is_none(), "{what}: {r}");
        probe(&mut lsp, what);
        if text.len() > 8 * 1024 * 1024 {
            assert!(
                diags.iter().any(|d| d["code"] == "analysis-limited"),
                "{what}: the limit is reported"
            );
        }
        // Close it so memory can be measured per case.
        lsp.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        );
        eprintln!(
            "{what}: {} bytes, opened and analysed in {opened:?}, {} diagnostics, peak RSS {:?} MB",
            text.len(),
            diags.len(),
            peak_rss(lsp.child.id()).map(|b| b / (1024 * 1024))
        );
    }
    // Memory stays proportional: the 50 MB document costs a small multiple of itself.
    if let Some(peak) = peak_rss(lsp.child.id()) {
        assert!(
            peak < 1024 * 1024 * 1024,
            "peak RSS {} MB",
            peak / (1024 * 1024)
        );
    }
    eprintln!("{n} huge or hostile documents survived");
    assert!(lsp.shutdown().success());
}

// ---------------------------------------------------------------------------
// Nothing written; bad configuration is a message.

/// Every path under `dir` with its bytes and modification time.
fn snapshot(
    dir: &std::path::Path,
) -> Vec<(std::path::PathBuf, Vec<u8>, Option<std::time::SystemTime>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            let meta = e.metadata().ok();
            if p.is_dir() {
                stack.push(p.clone());
                out.push((p, Vec::new(), None));
            } else {
                let bytes = std::fs::read(&p).unwrap_or_default();
                out.push((p, bytes, meta.and_then(|m| m.modified().ok())));
            }
        }
    }
    out.sort();
    out
}

fn initialize_in(lsp: &mut Lsp, root: &std::path::Path) {
    lsp.request(
        "initialize",
        json!({"processId": null, "rootUri": file_uri(root), "capabilities": {},
            "workspaceFolders": [{"uri": file_uri(root), "name": "w"}]}),
    );
    lsp.notify("initialized", json!({}));
}

#[test]
fn the_server_writes_nothing_but_its_cache() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let text = std::fs::read_to_string(fixture("bajanov-1995.md")).expect("fixture");
    std::fs::write(root.join("bajanov-1995.md"), &text).expect("write");
    std::fs::write(root.join("annalist.toml"), "[rules]\n").expect("write");
    std::fs::create_dir(root.join("notes")).expect("mkdir");
    std::fs::write(root.join("notes/draft.md"), "# Draft [^1]\n").expect("write");
    let before = snapshot(root);
    let mut lsp = Lsp::spawn_in(root);
    initialize_in(&mut lsp, root);
    let uri = file_uri(&root.join("bajanov-1995.md"));
    lsp.open(&uri, &text);
    lsp.diagnostics(&uri, Some(1));
    // Everything a session does: edits, saves, every request, configuration changes.
    lsp.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "text": "Edited [^new].\n\n"}]}),
    );
    lsp.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}, "text": text}),
    );
    lsp.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": file_uri(&root.join("annalist.toml"))}}),
    );
    lsp.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"annalist": {"rules": {"footnote-unused": "off"}}}}),
    );
    let pos = json!({"line": 2, "character": 4});
    let td = json!({"uri": uri});
    for (method, params) in [
        (
            "textDocument/hover",
            json!({"textDocument": td, "position": pos}),
        ),
        (
            "textDocument/definition",
            json!({"textDocument": td, "position": pos}),
        ),
        (
            "textDocument/references",
            json!({"textDocument": td, "position": pos, "context": {"includeDeclaration": true}}),
        ),
        (
            "textDocument/prepareRename",
            json!({"textDocument": td, "position": pos}),
        ),
        (
            "textDocument/rename",
            json!({"textDocument": td, "position": pos, "newName": "renamed"}),
        ),
        (
            "textDocument/completion",
            json!({"textDocument": td, "position": pos}),
        ),
        ("textDocument/documentSymbol", json!({"textDocument": td})),
        (
            "textDocument/codeAction",
            json!({"textDocument": td, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 60, "character": 0}}, "context": {"diagnostics": []}}),
        ),
        (
            "textDocument/semanticTokens/full",
            json!({"textDocument": td}),
        ),
        (
            "textDocument/inlayHint",
            json!({"textDocument": td, "range": {"start": {"line": 0, "character": 0}, "end": {"line": 60, "character": 0}}}),
        ),
        ("workspace/symbol", json!({"query": "Kim"})),
        ("annalist/timeline", json!({"textDocument": td})),
    ] {
        let id = lsp.request_async(method, params);
        let r = response_within(&mut lsp, id, method);
        assert!(
            r.get("error").is_none() || method.contains("ename"),
            "{method}: {r}"
        );
    }
    lsp.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": uri}}),
    );
    assert!(lsp.shutdown().success());
    // The cache directory is the server's (the unopened files' name indexes, as
    // `check` keeps them): nothing else changes, and it holds only the cache's files.
    let cache = root.join(".annalist_cache");
    let (cached, after): (Vec<_>, Vec<_>) = snapshot(root)
        .into_iter()
        .partition(|(p, _, _)| p.starts_with(&cache));
    assert_eq!(after, before, "the server changed files in the workspace");
    for (p, _, modified) in cached {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        assert!(
            modified.is_none()
                || name == "CACHEDIR.TAG"
                || name == ".gitignore"
                || name.ends_with(".bin"),
            "unexpected file in the cache: {}",
            p.display()
        );
    }
}

#[test]
fn a_broken_config_is_a_diagnostic_and_the_server_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    let config = root.join("annalist.toml");
    std::fs::write(&config, "# settings\n[rules]\nfootnote-unused = \"loud\"\n").expect("write");
    let mut lsp = Lsp::spawn_in(root);
    initialize_in(&mut lsp, root);
    let diags = lsp.diagnostics(&file_uri(&config), None);
    assert_eq!(diags.len(), 1, "{diags:?}");
    assert_eq!(diags[0]["code"], "config-invalid");
    assert_eq!(diags[0]["severity"], 1);
    assert_eq!(diags[0]["range"]["start"]["line"], 2, "{diags:?}");
    assert_eq!(diags[0]["range"]["start"]["character"], 18, "{diags:?}");
    // The server goes on, with the default configuration.
    lsp.open(PROBE_URI, PROBE_TEXT);
    probe(&mut lsp, "a broken annalist.toml");
    // Fixing the file and saving it clears the diagnostic.
    std::fs::write(&config, "[rules]\nfootnote-unused = \"off\"\n").expect("write");
    lsp.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": file_uri(&config)}}),
    );
    let cleared = lsp.diagnostics(&file_uri(&config), None);
    assert!(cleared.is_empty(), "{cleared:?}");
    // Syntax errors, wrong types and unknown keys too, each with a position.
    for (bad, line) in [
        ("[rules\n", 1),
        ("[limits]\nmax_document_bytes = \"big\"\n", 2),
        ("\n\n[nonsense]\n", 3),
        ("[features]\nhover = 3\n", 2),
    ] {
        std::fs::write(&config, bad).expect("write");
        lsp.notify(
            "textDocument/didSave",
            json!({"textDocument": {"uri": file_uri(&config)}}),
        );
        let d = lsp.diagnostics(&file_uri(&config), None);
        assert_eq!(d.len(), 1, "{bad:?}: {d:?}");
        assert_eq!(d[0]["range"]["start"]["line"], line - 1, "{bad:?}: {d:?}");
        probe(&mut lsp, bad);
    }
    assert!(lsp.shutdown().success());
}
