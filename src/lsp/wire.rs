//! The wire, hardened. tower-lsp-server stops reading its input for good after the
//! first message it cannot decode (tokio-util's `FramedRead` ends the stream after a
//! decoder error): one invalid JSON body, a `Content-Length` that lies, or a stray
//! invalid UTF-8 byte would leave the server deaf. So stdin goes through [`sanitize`]
//! first, which re-frames every message it can recognise and drops, with a line on
//! stderr, what it cannot:
//!
//! - bytes before a `Content-Length` header (garbage, headers without a length) are
//!   skipped up to the next `Content-Length`;
//! - a body that is not a JSON-RPC message at its declared length is read as the one
//!   JSON value it starts with, when that value is followed by the next header (or by
//!   nothing, once the input has been idle for [`IDLE`]): the length lied;
//! - invalid UTF-8 inside a body is replaced by U+FFFD (the message is kept: losing a
//!   `didChange` would silently desynchronise the document);
//! - anything else is dropped up to the next `Content-Length`.
//!
//! Every message passed on has a correct `Content-Length` and a body that
//! tower-lsp-server decodes (a JSON-RPC request, notification or response).

use std::borrow::Cow;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tower_lsp_server::jsonrpc::{Request, Response};

/// How long the input must be quiet before a message whose `Content-Length` is too
/// large is taken as complete.
pub const IDLE: Duration = Duration::from_millis(200);

const HEADER: &[u8] = b"content-length";
/// Bytes read from the input at a time, and the framer's buffer kept between messages.
const CHUNK: usize = 1 << 16;
/// Longest header block accepted (real ones are under 100 bytes).
const MAX_HEADER: usize = 4096;

/// Copy `input` to `output`, re-framing valid messages and dropping the rest. Ends at
/// the end of `input` (then `output` is shut down, so the server sees the end too).
pub async fn sanitize<R, W>(mut input: R, mut output: W)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut framer = Framer::default();
    // 64 KiB at a time (tokio's stdin buffers as much again): a 1 MB `didOpen` is read
    // in 16 turns, and no megabyte buffer stays resident for the server's life.
    let mut chunk = vec![0u8; CHUNK];
    loop {
        let (n, idle) = match tokio::time::timeout(IDLE, input.read(&mut chunk)).await {
            Ok(Ok(n)) => (n, false),
            Ok(Err(_)) => (0, false),
            Err(_) => (usize::MAX, true),
        };
        let eof = n == 0;
        if !idle && !eof {
            framer.push(chunk.get(..n).unwrap_or(&[]));
        }
        if idle && framer.is_empty() {
            continue;
        }
        for out in framer.extract(eof, idle) {
            match out {
                Out::Message(body) => {
                    super::quiet::heard();
                    if write_message(&mut output, &body).await.is_err()
                        || output.flush().await.is_err()
                    {
                        return;
                    }
                }
                Out::Problem(p) => eprintln!("annalist lsp: {p}"),
            }
        }
        if eof {
            let _ = output.shutdown().await;
            return;
        }
    }
}

/// What the framer makes of its input.
#[derive(Debug, PartialEq, Eq)]
pub enum Out {
    /// A body that decodes as a JSON-RPC message.
    Message(Vec<u8>),
    /// Something dropped or repaired, for the log.
    Problem(String),
}

/// Incremental framing state: the unconsumed input.
#[derive(Default)]
pub struct Framer {
    buf: Vec<u8>,
    /// Consumed prefix of `buf`.
    pos: usize,
    /// While a body is incomplete: how far past the body start the search for a next
    /// header has looked, so huge bodies arriving in chunks are scanned once.
    scanned: usize,
}

enum Parse {
    /// A complete JSON value of this many bytes.
    Complete(usize),
    /// The input ended inside a value.
    Incomplete,
    Invalid,
}

impl Framer {
    pub fn push(&mut self, bytes: &[u8]) {
        if self.is_empty() {
            // All consumed: start again at the front, and give back what a large
            // message (a `didOpen` of a long document) grew the buffer to.
            self.buf.clear();
            self.pos = 0;
            self.buf.shrink_to(CHUNK);
        } else if self.pos > 0 && self.pos >= self.buf.len() / 2 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        self.buf.extend_from_slice(bytes);
    }

    pub fn is_empty(&self) -> bool {
        self.pos >= self.buf.len()
    }

    fn consume(&mut self, n: usize) {
        self.pos += n;
        self.scanned = 0;
    }

    /// Every message (and problem) complete in the input so far. `eof`: no more input
    /// will come; `idle`: none came for a while.
    pub fn extract(&mut self, eof: bool, idle: bool) -> Vec<Out> {
        let buf = std::mem::take(&mut self.buf);
        let out = self.extract_from(&buf, eof, idle);
        self.buf = buf;
        out
    }

    fn extract_from(&mut self, buf: &[u8], eof: bool, idle: bool) -> Vec<Out> {
        let mut out = Vec::new();
        loop {
            let rest = buf.get(self.pos..).unwrap_or(&[]);
            // 1. A header must start here; skip anything before one.
            let Some(h) = find_ci(rest, HEADER, 0) else {
                // Keep a tail that may be the start of a header.
                let keep = if eof { 0 } else { HEADER.len() - 1 };
                let drop = rest.len().saturating_sub(keep);
                if rest.get(..drop).is_some_and(|g| !g.trim_ascii().is_empty()) {
                    out.push(Out::Problem(format!(
                        "skipped {drop} bytes that were not a message"
                    )));
                }
                self.consume(drop);
                return out;
            };
            if h > 0 {
                if rest.get(..h).is_some_and(|g| !g.trim_ascii().is_empty()) {
                    out.push(Out::Problem(format!(
                        "skipped {h} bytes that were not a message"
                    )));
                }
                self.consume(h);
                continue;
            }
            // 2. The header block.
            let Some(end) = find(rest, b"\r\n\r\n", 0) else {
                if rest.len() > MAX_HEADER || eof {
                    out.push(Out::Problem("dropped an unterminated header".into()));
                    self.consume(HEADER.len());
                    continue;
                }
                return out;
            };
            if end > MAX_HEADER || find_ci(rest.get(..end).unwrap_or(&[]), HEADER, 1).is_some() {
                out.push(Out::Problem("dropped a malformed header".into()));
                self.consume(HEADER.len());
                continue;
            }
            let body_start = end + 4;
            let Some(len) = content_length(rest.get(..end).unwrap_or(&[])) else {
                out.push(Out::Problem(
                    "dropped a message whose Content-Length is not a number".into(),
                ));
                self.consume(body_start);
                continue;
            };
            if len == 0 {
                self.consume(body_start);
                continue;
            }
            let avail = rest.get(body_start..).unwrap_or(&[]);
            // 3. The normal case: the declared length holds a message.
            if let Some((msg, repaired)) = avail.get(..len).and_then(valid_message) {
                if repaired {
                    out.push(Out::Problem(
                        "replaced invalid UTF-8 in a message with U+FFFD".into(),
                    ));
                }
                out.push(Out::Message(msg));
                self.consume(body_start + len);
                continue;
            }
            // 4. The length lied? Read the body as the JSON value it starts with. While
            // a long body is still arriving, do so only once a later header shows up.
            let complete = avail.len() >= len;
            let later_header = if complete || eof || idle {
                true
            } else {
                let from = self.scanned.saturating_sub(HEADER.len());
                let found = find_ci(avail, HEADER, from).is_some();
                self.scanned = avail.len();
                found
            };
            if later_header {
                match first_value(avail) {
                    Parse::Complete(m) => {
                        let after = avail.get(m..).unwrap_or(&[]);
                        let after_trim = after.trim_ascii_start();
                        let next_is_header = starts_with_ci(after_trim, HEADER);
                        let nothing_after = after_trim.is_empty();
                        if next_is_header || (nothing_after && (eof || idle)) {
                            if let Some((msg, _)) = avail.get(..m).and_then(valid_message) {
                                out.push(Out::Problem(format!(
                                    "a message said Content-Length {len} but had {m} bytes; read it as {m}"
                                )));
                                out.push(Out::Message(msg));
                                self.consume(body_start + m);
                                continue;
                            }
                        } else if nothing_after {
                            // A complete value and nothing after it yet: wait for a
                            // header or for quiet.
                            return out;
                        }
                    }
                    Parse::Incomplete if !eof => {
                        if !complete {
                            return out;
                        }
                        // The declared length is there but the value goes on: wait
                        // for more (a following message will settle it) unless idle.
                        if !idle {
                            return out;
                        }
                    }
                    _ => {}
                }
            } else {
                return out;
            }
            if !complete && !eof && !idle {
                return out;
            }
            // 5. Not a message: drop it, up to the next header.
            let skip = match find_ci(avail, HEADER, 0) {
                Some(k) => body_start + k,
                None => body_start + len.min(avail.len()),
            };
            out.push(Out::Problem(format!(
                "dropped a message that is not JSON-RPC ({} bytes)",
                skip - body_start
            )));
            self.consume(skip);
        }
    }
}

/// The body if tower-lsp-server will decode it, with invalid UTF-8 replaced; and
/// whether it was.
fn valid_message(body: &[u8]) -> Option<(Vec<u8>, bool)> {
    let text = String::from_utf8_lossy(body);
    let repaired = matches!(text, Cow::Owned(_));
    let ok = serde_json::from_str::<Request>(&text).is_ok()
        || serde_json::from_str::<Response>(&text).is_ok();
    ok.then(|| (text.into_owned().into_bytes(), repaired))
}

/// How many bytes the JSON value at the start of `bytes` takes.
fn first_value(bytes: &[u8]) -> Parse {
    let mut it = serde_json::Deserializer::from_slice(bytes).into_iter::<serde::de::IgnoredAny>();
    match it.next() {
        Some(Ok(_)) => Parse::Complete(it.byte_offset()),
        Some(Err(e)) if e.is_eof() => Parse::Incomplete,
        None => Parse::Incomplete,
        Some(Err(_)) => Parse::Invalid,
    }
}

fn content_length(header: &[u8]) -> Option<usize> {
    let text = std::str::from_utf8(header).ok()?;
    text.split("\r\n").find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("content-length")
            .then(|| value.trim().parse::<usize>().ok())?
    })
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

/// Where `content-length` (any case) next occurs in `hay` from `from`.
fn find_ci(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    static FINDER: std::sync::LazyLock<Option<aho_corasick::AhoCorasick>> =
        std::sync::LazyLock::new(|| {
            aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .build([HEADER])
                .ok()
        });
    let hay = hay.get(from..)?;
    match FINDER.as_ref() {
        Some(ac) if needle == HEADER => ac.find(hay).map(|m| m.start() + from),
        _ => hay
            .windows(needle.len())
            .position(|w| w.eq_ignore_ascii_case(needle))
            .map(|i| i + from),
    }
}

fn starts_with_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.get(..needle.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A message of the server arriving in pieces, with a direct one published between
    /// its pieces: both reach the output whole, the direct one before or after the
    /// other, never inside it; the merger ends when the server's output does.
    #[tokio::test]
    async fn merged_output_never_splits_a_message() {
        let (mut server_w, server_r) = tokio::io::duplex(64);
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let (out_w, mut out_r) = tokio::io::duplex(1 << 16);
        let merger = tokio::spawn(merge_output(server_r, rx, out_w));
        let body = format!(
            "{{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"{}\"}}",
            "x".repeat(500)
        );
        let msg = frame(&body);
        server_w.write_all(&msg[..100]).await.expect("write");
        tx.send(b"{\"d\":1}".to_vec()).expect("send");
        tx.send(b"{\"d\":2}".to_vec()).expect("send");
        tokio::time::sleep(Duration::from_millis(20)).await;
        server_w.write_all(&msg[100..]).await.expect("write");
        drop(server_w);
        merger.await.expect("the merger ends");
        let mut all = Vec::new();
        out_r.read_to_end(&mut all).await.expect("read");
        let all = String::from_utf8(all).expect("utf-8");
        let (d1, d2) = (frame("{\"d\":1}"), frame("{\"d\":2}"));
        let (msg, d1, d2) = (
            String::from_utf8(msg).expect("utf-8"),
            String::from_utf8(d1).expect("utf-8"),
            String::from_utf8(d2).expect("utf-8"),
        );
        assert_eq!(all.len(), msg.len() + d1.len() + d2.len(), "{all}");
        assert!(all.contains(&msg), "{all}");
        let (i1, i2) = (all.find(&d1), all.find(&d2));
        assert!(i1.is_some() && i2.is_some() && i1 < i2, "{all}");
    }

    /// A response of the server standing for a registered result is written with that
    /// result and the response's id (a number or a string); the registration is used
    /// once. A response that only looks like one (a token not registered, or already
    /// used) and every other message pass unchanged.
    #[tokio::test]
    async fn a_placeholder_response_is_written_with_its_registered_result() {
        use tower_lsp_server::jsonrpc::Id;
        let items = br#"[{"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":1}},"message":"m"}]"#;
        let parts = || {
            vec![
                b"{\"kind\":\"full\",\"items\":".to_vec(),
                items.to_vec(),
                b"}".to_vec(),
            ]
        };
        let placeholder = |id: Id, token: &str| {
            let result = serde_json::json!({"kind": "full", "items": [], "resultId": token});
            String::from_utf8(serde_json::to_vec(&Response::from_ok(id, result)).expect("json"))
                .expect("utf-8")
        };
        let (t1, t2) = (register(parts()), register(parts()));
        let unknown = format!("{RAW_TOKEN}{}", u64::MAX);
        let other = r#"{"jsonrpc":"2.0","result":{"contents":"annalist-raw-result:0"},"id":4}"#;
        let sent = [
            placeholder(Id::Number(7), &t1),
            other.to_string(),
            placeholder(Id::String("q-1".into()), &t2),
            placeholder(Id::Number(9), &t1),
            placeholder(Id::Number(10), &unknown),
        ];
        let (mut server_w, server_r) = tokio::io::duplex(1 << 16);
        let (_tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let (out_w, mut out_r) = tokio::io::duplex(1 << 16);
        let merger = tokio::spawn(merge_output(server_r, rx, out_w));
        for m in &sent {
            server_w.write_all(&frame(m)).await.expect("write");
        }
        drop(server_w);
        merger.await.expect("the merger ends");
        let mut all = Vec::new();
        out_r.read_to_end(&mut all).await.expect("read");
        let mut f = Framer::default();
        f.push(&all);
        let got: Vec<Vec<u8>> = f
            .extract(true, false)
            .into_iter()
            .filter_map(|o| match o {
                Out::Message(m) => Some(m),
                Out::Problem(_) => None,
            })
            .collect();
        let result = String::from_utf8(parts().concat()).expect("utf-8");
        let want = [
            format!(r#"{{"jsonrpc":"2.0","result":{result},"id":7}}"#),
            other.to_string(),
            format!(r#"{{"jsonrpc":"2.0","result":{result},"id":"q-1"}}"#),
            sent[3].clone(),
            sent[4].clone(),
        ];
        let got: Vec<String> = got
            .into_iter()
            .map(|m| String::from_utf8(m).expect("utf-8"))
            .collect();
        assert_eq!(got, want);
        // What tower-lsp-server would have written with the result itself.
        let typed = Response::from_ok(
            Id::Number(7),
            serde_json::from_str(&result).expect("the result is JSON"),
        );
        assert_eq!(
            serde_json::from_str::<Response>(&got[0]).expect("a response"),
            typed
        );
    }

    /// A registration whose placeholder never came (its response lost) is freed once
    /// older than [`RAW_ORPHAN`]; younger ones stay.
    #[test]
    fn orphaned_registrations_are_freed() {
        let t0 = std::time::Instant::now();
        let mut registry = Registry::new();
        registry.insert(1, (t0, vec![b"[]".to_vec()]));
        registry.insert(2, (t0 + Duration::from_secs(50), vec![b"[]".to_vec()]));
        assert_eq!(free_orphans(&mut registry, t0 + Duration::from_secs(30)), 0);
        assert_eq!(registry.len(), 2);
        assert_eq!(free_orphans(&mut registry, t0 + RAW_ORPHAN), 1);
        assert_eq!(registry.keys().copied().collect::<Vec<_>>(), vec![2]);
        assert_eq!(
            free_orphans(&mut registry, t0 + RAW_ORPHAN + Duration::from_secs(50)),
            1
        );
        assert!(registry.is_empty());
    }

    fn frame(body: &str) -> Vec<u8> {
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    }

    fn messages(out: &[Out]) -> Vec<String> {
        out.iter()
            .filter_map(|o| match o {
                Out::Message(m) => Some(String::from_utf8_lossy(m).into_owned()),
                Out::Problem(_) => None,
            })
            .collect()
    }

    const A: &str = r#"{"jsonrpc":"2.0","id":1,"method":"a"}"#;
    const B: &str = r#"{"jsonrpc":"2.0","method":"b","params":{}}"#;

    #[test]
    fn valid_messages_pass_in_any_chunking() {
        let mut all = frame(A);
        all.extend(frame(B));
        for cut in 0..all.len() {
            let mut f = Framer::default();
            let mut out = Vec::new();
            f.push(&all[..cut]);
            out.extend(f.extract(false, false));
            f.push(&all[cut..]);
            out.extend(f.extract(false, false));
            assert_eq!(messages(&out), vec![A, B], "cut at {cut}");
            assert!(out.iter().all(|o| matches!(o, Out::Message(_))));
        }
    }

    #[test]
    fn abuse_is_dropped_or_repaired_and_the_next_message_passes() {
        let too_small = format!("Content-Length: {}\r\n\r\n{A}", A.len() - 4);
        let too_large = format!("Content-Length: {}\r\n\r\n{A}", A.len() + 30);
        let cases: Vec<(Vec<u8>, Vec<&str>)> = vec![
            (frame(r#"{"jsonrpc": "2.0", "id": 9, "method": "#), vec![]),
            (frame("[1,2]"), vec![]),
            (frame("{}"), vec![]),
            (b"garbage\r\n\r\n".to_vec(), vec![]),
            (b"Content-Length: x\r\n\r\n{}".to_vec(), vec![]),
            (b"Content-Type: a\r\n\r\n{}".to_vec(), vec![]),
            (too_small.into_bytes(), vec![A]),
            (too_large.into_bytes(), vec![A]),
        ];
        for (bad, expect) in cases {
            let mut input = bad.clone();
            input.extend(frame(B));
            let mut f = Framer::default();
            f.push(&input);
            let out = f.extract(false, false);
            let mut want = expect.clone();
            want.push(B);
            assert_eq!(
                messages(&out),
                want,
                "{:?} then B: {out:?}",
                String::from_utf8_lossy(&bad)
            );
        }
    }

    #[test]
    fn too_large_length_at_the_end_is_read_once_idle() {
        let mut f = Framer::default();
        f.push(format!("Content-Length: {}\r\n\r\n{A}", A.len() + 30).as_bytes());
        assert!(messages(&f.extract(false, false)).is_empty());
        assert_eq!(messages(&f.extract(false, true)), vec![A]);
    }

    /// The notification around serialised diagnostics is what serialising the whole
    /// notification gives.
    #[test]
    fn notification_bytes_equal_the_serialised_notification() {
        use tower_lsp_server::ls_types::{Diagnostic, PublishDiagnosticsParams, Uri};
        let uri: Uri = "file:///a%20b/c.md".parse().expect("uri");
        let diags = vec![
            Diagnostic {
                message: "“x” \"y\"".into(),
                ..Default::default()
            },
            Diagnostic::default(),
        ];
        let array = serde_json::to_vec(&diags).expect("serialise");
        for version in [None, Some(0), Some(-3), Some(i32::MAX)] {
            let want = serde_json::to_vec(&Notification {
                jsonrpc: "2.0",
                method: "textDocument/publishDiagnostics",
                params: PublishDiagnosticsParams {
                    uri: uri.clone(),
                    diagnostics: diags.clone(),
                    version,
                },
            })
            .expect("serialise");
            assert_eq!(
                String::from_utf8_lossy(&notification_bytes(&uri, array.clone(), version)),
                String::from_utf8_lossy(&want)
            );
        }
    }

    #[test]
    fn invalid_utf8_is_replaced() {
        let mut body = br#"{"jsonrpc":"2.0","method":"x","params":{"t":"a"#.to_vec();
        body.extend_from_slice(b"\xff\xc3(");
        body.extend_from_slice(br#""}}"#);
        let mut input = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        input.extend(&body);
        let mut f = Framer::default();
        f.push(&input);
        let m = messages(&f.extract(false, false));
        assert_eq!(m.len(), 1);
        assert!(m[0].contains("a\u{FFFD}\u{FFFD}("), "{m:?}");
    }
}

/// The server's output, with a second way in.
///
/// tower-lsp-server sends a notification by first converting its parameters to a
/// `serde_json::Value` tree: for a document with thousands of findings that tree (a
/// map per range, position and related place) cost more time than the analysis and
/// hundreds of megabytes (a 1 MB document with 5,000 findings: 415 MiB resident). So
/// diagnostics are serialised straight to bytes ([`publish_diagnostics`]; a document's
/// own, written by [`super::published`] from its last publication, through
/// [`publish_serialised`]) and written by [`merge_output`], between the messages
/// tower-lsp-server writes, which pass through it whole.
static DIRECT: std::sync::OnceLock<tokio::sync::mpsc::UnboundedSender<Vec<u8>>> =
    std::sync::OnceLock::new();

/// Install the direct way out; the receiver goes to [`merge_output`].
pub fn direct_output() -> Option<tokio::sync::mpsc::UnboundedReceiver<Vec<u8>>> {
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    DIRECT.set(tx).ok().map(|()| rx)
}

#[derive(serde::Serialize)]
struct Notification<'a, P> {
    jsonrpc: &'static str,
    method: &'a str,
    params: P,
}

/// Publish diagnostics: serialised straight to the output when [`merge_output`] runs
/// (the server), else through the client (in-process tests). Every publication goes
/// the same way, so they reach the editor in the order they were made.
pub async fn publish_diagnostics(
    client: &tower_lsp_server::Client,
    uri: tower_lsp_server::ls_types::Uri,
    diagnostics: Vec<tower_lsp_server::ls_types::Diagnostic>,
    version: Option<i32>,
) {
    use tower_lsp_server::ls_types::PublishDiagnosticsParams;
    let Some(tx) = DIRECT.get() else {
        client.publish_diagnostics(uri, diagnostics, version).await;
        return;
    };
    let note = Notification {
        jsonrpc: "2.0",
        method: "textDocument/publishDiagnostics",
        params: PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        },
    };
    match serde_json::to_vec(&note) {
        Ok(body) => {
            if let Err(e) = tx.send(body) {
                eprintln!("annalist lsp: the output has closed; diagnostics not sent ({e})");
            }
        }
        Err(e) => eprintln!("annalist lsp: diagnostics could not be serialised ({e})"),
    }
}

/// The body of a `textDocument/publishDiagnostics` notification whose diagnostics are
/// already serialised (`diagnostics`: a JSON array, as [`super::published::Published`]
/// writes it): the bytes serialising the notification with those diagnostics gives.
/// Built in the array's own buffer (the head inserted before it), not in a copy: on a
/// document with thousands of findings the array is megabytes.
pub fn notification_bytes(
    uri: &tower_lsp_server::ls_types::Uri,
    diagnostics: Vec<u8>,
    version: Option<i32>,
) -> Vec<u8> {
    let uri = serde_json::to_vec(uri).unwrap_or_else(|_| b"null".to_vec());
    let mut head = Vec::with_capacity(uri.len() + 96);
    head.extend_from_slice(
        b"{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/publishDiagnostics\",\"params\":{\"uri\":",
    );
    head.extend_from_slice(&uri);
    head.extend_from_slice(b",\"diagnostics\":");
    let mut out = diagnostics;
    out.reserve(head.len() + 32);
    out.splice(0..0, head);
    if let Some(v) = version {
        out.extend_from_slice(b",\"version\":");
        out.extend_from_slice(v.to_string().as_bytes());
    }
    out.extend_from_slice(b"}}");
    out
}

/// Publish diagnostics already serialised (a JSON array) now, without an await: call it
/// under the store's lock, and the publications of one document leave in the order
/// their diagnostics were computed (a document's first publication, made before the
/// workspace index lands, can never overtake the complete one the index's refresh
/// makes). `Err` gives the diagnostics back when there is no direct way out
/// (in-process tests): send them with [`publish_serialised`] once the lock is released.
pub fn publish_now(
    uri: &tower_lsp_server::ls_types::Uri,
    diagnostics: Vec<u8>,
    version: Option<i32>,
) -> Result<(), Vec<u8>> {
    let Some(tx) = DIRECT.get() else {
        return Err(diagnostics);
    };
    let body = notification_bytes(uri, diagnostics, version);
    if let Err(e) = tx.send(body) {
        eprintln!("annalist lsp: the output has closed; diagnostics not sent ({e})");
    }
    Ok(())
}

/// [`publish_diagnostics`] of diagnostics already serialised (a JSON array): written as
/// they are when [`merge_output`] runs, else read back and sent through the client.
pub async fn publish_serialised(
    client: &tower_lsp_server::Client,
    uri: tower_lsp_server::ls_types::Uri,
    diagnostics: Vec<u8>,
    version: Option<i32>,
) {
    let Some(tx) = DIRECT.get() else {
        match serde_json::from_slice(&diagnostics) {
            Ok(d) => client.publish_diagnostics(uri, d, version).await,
            Err(e) => eprintln!("annalist lsp: diagnostics could not be read back ({e})"),
        }
        return;
    };
    let body = notification_bytes(&uri, diagnostics, version);
    if let Err(e) = tx.send(body) {
        eprintln!("annalist lsp: the output has closed; diagnostics not sent ({e})");
    }
}

/// Results serialised directly (answers to `textDocument/diagnostic`), waiting for the
/// response tower-lsp-server writes for them.
///
/// tower-lsp-server makes every response's result a `serde_json::Value` tree: for the
/// pulled diagnostics of a document with thousands of findings, the same tree (and
/// conversion of every finding) that publications were freed of. So a handler whose
/// result is already serialised registers it here ([`raw_result`]) and returns a
/// placeholder carrying the registration's token; [`merge_output`], reading the
/// server's output, writes in place of the placeholder's response one with the same id
/// and the registered result. A result is registered in the handler's last, synchronous
/// step, and tower-lsp-server turns a handler's return into its response without an
/// await between (a cancellation after that step finds the handler done: tower-lsp-server's
/// `Abortable` checks for an abort only before polling the handler), so a registration
/// meets its placeholder unless the response itself is lost (the connection winding
/// down with responses queued). Such orphans are freed by the next registration once
/// older than [`RAW_ORPHAN`]: the registry never grows with them.
static RAW: std::sync::Mutex<Option<Registry>> = std::sync::Mutex::new(None);

/// Registered results by token, each with when it was registered.
type Registry = std::collections::HashMap<u64, (std::time::Instant, Vec<Vec<u8>>)>;

/// How long a registration waits for its placeholder before it is taken for an orphan:
/// a placeholder passes microseconds after its registration, unless the client stops
/// reading (then the whole output waits); a minute is far beyond either.
const RAW_ORPHAN: Duration = Duration::from_secs(60);

/// Registrations so far (the next token).
static RAW_NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Registrations not yet written: while none is, the server's messages pass unread.
static RAW_PENDING: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// How a placeholder's token starts (it is a `resultId`, a string the client never
/// sees: the response is replaced).
pub const RAW_TOKEN: &str = "annalist-raw-result:";

fn raw_registry() -> std::sync::MutexGuard<'static, Option<Registry>> {
    RAW.lock().unwrap_or_else(|e| e.into_inner())
}

/// Register a result serialised directly (the concatenation of `parts` is its JSON):
/// its token, for the handler's placeholder, when [`merge_output`] runs (the server);
/// otherwise (in-process tests) the parts back, for the handler to answer with the
/// typed value.
pub fn raw_result(parts: Vec<Vec<u8>>) -> Result<String, Vec<Vec<u8>>> {
    if DIRECT.get().is_none() {
        return Err(parts);
    }
    Ok(register(parts))
}

fn register(parts: Vec<Vec<u8>>) -> String {
    let n = RAW_NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let now = std::time::Instant::now();
    {
        let mut registry = raw_registry();
        let registry = registry.get_or_insert_default();
        let freed = free_orphans(registry, now);
        registry.insert(n, (now, parts));
        RAW_PENDING.fetch_add(1, std::sync::atomic::Ordering::Release);
        RAW_PENDING.fetch_sub(freed, std::sync::atomic::Ordering::Release);
    }
    format!("{RAW_TOKEN}{n}")
}

/// Drop the registrations older than [`RAW_ORPHAN`] at `now`; how many went.
fn free_orphans(registry: &mut Registry, now: std::time::Instant) -> usize {
    let before = registry.len();
    registry.retain(|_, (at, _)| now.saturating_duration_since(*at) < RAW_ORPHAN);
    before - registry.len()
}

/// The registered result a response of the server stands for: its id (serialised) and
/// the result's parts, taken out of the registry. Only a successful response whose
/// result is an object with a `resultId` that is a registered token is one.
fn raw_for(body: &[u8]) -> Option<(Vec<u8>, Vec<Vec<u8>>)> {
    if RAW_PENDING.load(std::sync::atomic::Ordering::Acquire) == 0 {
        return None;
    }
    memchr::memmem::find(body, RAW_TOKEN.as_bytes())?;
    let response: Response = serde_json::from_slice(body).ok()?;
    let token = response.result()?.get("resultId")?.as_str()?;
    let n: u64 = token.strip_prefix(RAW_TOKEN)?.parse().ok()?;
    let (_, parts) = raw_registry().as_mut()?.remove(&n)?;
    RAW_PENDING.fetch_sub(1, std::sync::atomic::Ordering::Release);
    let id = serde_json::to_vec(response.id()).ok()?;
    Some((id, parts))
}

/// Write the response `{"jsonrpc":"2.0","result":…,"id":…}` (tower-lsp-server's order
/// of fields) whose result is the concatenation of `parts`, without copying them.
async fn write_raw_response<W: AsyncWrite + Unpin>(
    out: &mut W,
    id: &[u8],
    parts: &[Vec<u8>],
) -> std::io::Result<()> {
    const HEAD: &[u8] = b"{\"jsonrpc\":\"2.0\",\"result\":";
    const ID: &[u8] = b",\"id\":";
    let len = HEAD.len() + parts.iter().map(Vec::len).sum::<usize>() + ID.len() + id.len() + 1;
    let header = format!("Content-Length: {len}\r\n\r\n");
    out.write_all(header.as_bytes()).await?;
    out.write_all(HEAD).await?;
    for p in parts {
        out.write_all(p).await?;
    }
    out.write_all(ID).await?;
    out.write_all(id).await?;
    out.write_all(b"}").await
}

/// Copy tower-lsp-server's framed messages from `server` to `out`, and write each body
/// arriving on `direct` as a message of its own between them (never inside one); a
/// response standing for a result registered with [`raw_result`] is written with that
/// result. Ends when `server` ends (the server has stopped), after flushing.
pub async fn merge_output<R, W>(
    server: R,
    mut direct: tokio::sync::mpsc::UnboundedReceiver<Vec<u8>>,
    mut out: W,
) where
    R: AsyncRead + Unpin + Send + 'static,
    W: AsyncWrite + Unpin,
{
    // Whole messages of the server come through a channel: receiving is cancel-safe,
    // reading a message in pieces is not (`select!` drops the branch that loses).
    let (tx, mut frames) = tokio::sync::mpsc::channel::<(Vec<u8>, usize)>(64);
    tokio::spawn(async move {
        let mut server = tokio::io::BufReader::new(server);
        while let Some(frame) = read_frame(&mut server).await {
            if tx.send(frame).await.is_err() {
                break;
            }
        }
    });
    let mut direct_open = true;
    // Once the output fails (the client has gone), messages are still taken and
    // dropped: tower-lsp-server must never block on a full pipe while it winds down.
    let mut writable = true;
    loop {
        tokio::select! {
            biased;
            frame = frames.recv() => {
                match frame {
                    Some((bytes, body_at)) => {
                        let raw = raw_for(bytes.get(body_at..).unwrap_or_default());
                        writable = writable
                            && match raw {
                                Some((id, parts)) => {
                                    write_raw_response(&mut out, &id, &parts).await.is_ok()
                                }
                                None => out.write_all(&bytes).await.is_ok(),
                            };
                    }
                    None => break,
                }
            }
            body = direct.recv(), if direct_open => {
                match body {
                    Some(body) => {
                        writable = writable && write_message(&mut out, &body).await.is_ok();
                    }
                    None => direct_open = false,
                }
            }
        }
        writable = writable && out.flush().await.is_ok();
    }
    // What was published before the server stopped still goes out.
    while let Ok(body) = direct.try_recv() {
        writable = writable && write_message(&mut out, &body).await.is_ok();
    }
    if writable {
        let _ = out.flush().await;
        let _ = out.shutdown().await;
    }
}

async fn write_message<W: AsyncWrite + Unpin>(out: &mut W, body: &[u8]) -> std::io::Result<()> {
    let header = format!("Content-Length: {}\r\n\r\n", body.len());
    out.write_all(header.as_bytes()).await?;
    out.write_all(body).await
}

/// One message as tower-lsp-server wrote it (headers and body) and where its body
/// starts, or `None` at the end.
async fn read_frame<R: AsyncRead + Unpin>(
    r: &mut tokio::io::BufReader<R>,
) -> Option<(Vec<u8>, usize)> {
    use tokio::io::AsyncBufReadExt;
    let mut head = Vec::new();
    let mut len: Option<usize> = None;
    loop {
        let mut line = Vec::new();
        if r.read_until(b'\n', &mut line).await.ok()? == 0 {
            return None;
        }
        head.extend_from_slice(&line);
        let text = String::from_utf8_lossy(&line);
        let t = text.trim();
        if t.is_empty() {
            break;
        }
        if let Some((k, v)) = t.split_once(':')
            && k.trim().eq_ignore_ascii_case("content-length")
        {
            len = v.trim().parse().ok();
        }
    }
    let mut body = vec![0; len?];
    r.read_exact(&mut body).await.ok()?;
    let body_at = head.len();
    head.extend_from_slice(&body);
    Some((head, body_at))
}
