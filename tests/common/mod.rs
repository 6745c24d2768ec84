//! A small LSP client over the real `annalist lsp` binary, for end-to-end tests.
#![allow(dead_code)]

use serde_json::{Value, json};
#[allow(unused_imports)]
use std::io::Read as _;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

pub const TIMEOUT: Duration = Duration::from_secs(30);

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_annalist")
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

pub fn file_uri(p: &Path) -> String {
    format!("file://{}", p.display())
}

pub struct Lsp {
    pub child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Value>,
    next_id: i64,
    /// Notifications and server requests seen while waiting for responses.
    pub backlog: Vec<Value>,
}

/// Read one framed message; `None` at end of stream.
pub fn read_message(r: &mut impl BufRead) -> Option<Value> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Content-Length:") {
            len = v.trim().parse::<usize>().ok();
        }
    }
    let mut buf = vec![0; len?];
    r.read_exact(&mut buf).ok()?;
    serde_json::from_slice(&buf).ok()
}

pub fn frame(v: &Value) -> Vec<u8> {
    let body = v.to_string();
    let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    out.extend_from_slice(body.as_bytes());
    out
}

impl Lsp {
    pub fn spawn() -> Lsp {
        Lsp::spawn_in(Path::new(env!("CARGO_MANIFEST_DIR")))
    }

    pub fn spawn_in(dir: &Path) -> Lsp {
        let mut child = Command::new(bin())
            .arg("lsp")
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn annalist lsp");
        let stdout = child.stdout.take().expect("stdout");
        let stdin = child.stdin.take();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Some(v) = read_message(&mut r) {
                if tx.send(v).is_err() {
                    break;
                }
            }
        });
        Lsp {
            child,
            stdin,
            rx,
            next_id: 1,
            backlog: Vec::new(),
        }
    }

    pub fn send(&mut self, v: &Value) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(&frame(v)).expect("write");
        stdin.flush().expect("flush");
    }

    pub fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).expect("write");
        stdin.flush().expect("flush");
    }

    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Send a request without waiting; returns its id.
    pub fn request_async(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    pub fn recv(&mut self, timeout: Duration) -> Option<Value> {
        match self.rx.recv_timeout(timeout) {
            Ok(v) => Some(v),
            Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => None,
        }
    }

    /// Wait for the response to `id`; other messages go to the backlog (server
    /// requests are answered with null).
    pub fn response(&mut self, id: i64) -> Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let v = self
                .recv(left)
                .unwrap_or_else(|| panic!("no response to request {id} within {TIMEOUT:?}"));
            if v.get("id").and_then(Value::as_i64) == Some(id) && v.get("method").is_none() {
                return v;
            }
            if v.get("method").is_some() && v.get("id").is_some() {
                let rid = v["id"].clone();
                self.send(&json!({"jsonrpc": "2.0", "id": rid, "result": null}));
            }
            self.backlog.push(v);
        }
    }

    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.request_async(method, params);
        let r = self.response(id);
        if let Some(e) = r.get("error") {
            panic!("{method} failed: {e}");
        }
        r["result"].clone()
    }

    pub fn initialize(&mut self, capabilities: Value) -> Value {
        let r = self.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": capabilities}),
        );
        self.notify("initialized", json!({}));
        r
    }

    /// `initialize` with a workspace folder (the server indexes its files).
    pub fn initialize_in(&mut self, root: &Path, capabilities: Value) -> Value {
        let uri = file_uri(root);
        let r = self.request(
            "initialize",
            json!({"processId": null, "rootUri": uri,
                   "workspaceFolders": [{"uri": uri, "name": "root"}],
                   "capabilities": capabilities}),
        );
        self.notify("initialized", json!({}));
        r
    }

    pub fn close(&mut self, uri: &str) {
        self.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        );
    }

    pub fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}),
        );
    }

    /// Wait for diagnostics published for `uri` at `version` (or any version when None).
    pub fn diagnostics(&mut self, uri: &str, version: Option<i64>) -> Vec<Value> {
        let matches = |v: &Value| {
            v.get("method").and_then(Value::as_str) == Some("textDocument/publishDiagnostics")
                && v["params"]["uri"] == uri
                && version.is_none_or(|ver| v["params"]["version"].as_i64() == Some(ver))
        };
        if let Some(i) = self.backlog.iter().rposition(matches) {
            let v = self.backlog.remove(i);
            return v["params"]["diagnostics"]
                .as_array()
                .cloned()
                .unwrap_or_default();
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let v = self
                .recv(left)
                .unwrap_or_else(|| panic!("no diagnostics for {uri} (version {version:?})"));
            if matches(&v) {
                return v["params"]["diagnostics"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
            }
            self.backlog.push(v);
        }
    }

    /// Wait for a notification `method` whose params satisfy `pred` (the backlog
    /// first), and return its params.
    pub fn notification(&mut self, method: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let matches = |v: &Value| {
            v.get("method").and_then(Value::as_str) == Some(method)
                && v.get("id").is_none()
                && pred(&v["params"])
        };
        if let Some(i) = self.backlog.iter().position(matches) {
            return self.backlog.remove(i)["params"].clone();
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let v = self
                .recv(left)
                .unwrap_or_else(|| panic!("no {method} notification as expected"));
            if matches(&v) {
                return v["params"].clone();
            }
            self.backlog.push(v);
        }
    }

    pub fn shutdown(mut self) -> std::process::ExitStatus {
        let id = self.request_async("shutdown", Value::Null);
        let _ = self.response(id);
        self.notify("exit", Value::Null);
        self.close_stdin();
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(Some(s)) = self.child.try_wait() {
                return s;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("server did not exit within 10 s of exit");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

/// Zero-based (line, UTF-16 column) of the first occurrence of `needle` in `text`.
pub fn pos_of(text: &str, needle: &str) -> (u32, u32) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in text"));
    let before = &text[..at];
    let line = before.matches('\n').count() as u32;
    let col_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col = before[col_start..].encode_utf16().count() as u32;
    (line, col)
}

/// The fixture's body repeated to about `target` bytes, with one Notes section at the end.
pub fn big_document(target: usize) -> String {
    let text = std::fs::read_to_string(fixture("bajanov-1995.md")).expect("fixture");
    let body_start = text.find("## 1.").unwrap_or(0);
    let notes_start = text.find("## Notes").unwrap_or(text.len());
    let body = &text[body_start..notes_start];
    let mut out = String::from(&text[..body_start]);
    let mut i = 0;
    while out.len() + (text.len() - notes_start) < target {
        i += 1;
        out.push_str(&body.replace("## ", &format!("## Part {i}, ")));
    }
    out.push_str(&text[notes_start..]);
    out
}

/// A process's resident memory now and at its peak (VmRSS, VmHWM), in KiB; 0 where
/// /proc does not say (benches).
pub fn rss_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// The `p` quantile (0..=1) of sorted durations (benches).
pub fn pct(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// The 0-based character column of a UTF-16 column in `line` (the CLI counts characters,
/// the LSP client here UTF-16 units).
pub fn char_column(line: &str, utf16: usize) -> usize {
    let (mut units, mut chars) = (0, 0);
    for c in line.chars() {
        if units >= utf16 {
            break;
        }
        units += c.len_utf16();
        chars += 1;
    }
    chars
}

/// A diagnostic as both front ends can be compared on: `(code, 1-based line, 1-based
/// character column, message)`.
pub type Diag = (String, u64, u64, String);

/// The CLI's diagnostics of one file (`check --format json`'s report), sorted.
pub fn from_cli(report: &Value, rel: &str) -> Vec<Diag> {
    let entry = report["files"]
        .as_array()
        .and_then(|fs| fs.iter().find(|f| f["path"] == rel))
        .unwrap_or_else(|| panic!("{rel} is not in the CLI's report: {report}"));
    let mut v: Vec<_> = entry["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_string(),
                d["range"]["start"]["line"].as_u64().unwrap_or(0),
                d["range"]["start"]["column"].as_u64().unwrap_or(0),
                d["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

/// The same of the server's diagnostics of `text` (UTF-16 columns turned into
/// characters), sorted.
pub fn from_server(diags: &[Value], text: &str) -> Vec<Diag> {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut v: Vec<_> = diags
        .iter()
        .map(|d| {
            let line = d["range"]["start"]["line"].as_u64().unwrap_or(0);
            let utf16 = d["range"]["start"]["character"].as_u64().unwrap_or(0) as usize;
            let l = lines.get(line as usize).copied().unwrap_or("");
            (
                d["code"].as_str().unwrap_or("").to_string(),
                line + 1,
                char_column(l, utf16) as u64 + 1,
                d["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

/// SplitMix64: a reproducible stream of numbers, no dependency.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    pub fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }
}

/// A fresh analysis of `text` (the whole engine, no memo): what every reusing version
/// is compared with.
pub fn fresh(text: &str, ctx: &annalist::analysis::Context) -> annalist::analysis::Analysis {
    annalist::analysis::analyze_at(
        std::sync::Arc::from(text),
        None,
        ctx,
        &annalist::citations::Place::default(),
        None,
    )
}

/// The editor's analysis of `text`, reusing what `reuse` kept from the last version.
pub fn reusing(
    text: &str,
    ctx: &annalist::analysis::Context,
    reuse: &annalist::analysis::Reuse,
) -> annalist::analysis::Analysis {
    annalist::analysis::analyze_reusing(
        std::sync::Arc::from(text),
        Some(annalist::document::parse_model(text)),
        ctx,
        &annalist::citations::Place::default(),
        None,
        reuse,
    )
}
