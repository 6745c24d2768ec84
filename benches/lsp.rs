//! Language-server benchmark (not a test): `cargo bench --bench lsp`.
//!
//! Builds a ~1 MB document from the fixture and reports, through the real binary over
//! stdio: time from didOpen to diagnostics, hover latency (median, p95), time from a
//! one-character edit to fresh diagnostics, and the server's resident memory.
#![allow(clippy::print_stdout)] // a report on standard output is what this program is for

#[path = "../tests/common/mod.rs"]
mod common;

use common::*;
use serde_json::json;
use std::time::{Duration, Instant};

fn main() {
    let doc = big_document(1_000_000);
    let uri = "file:///bench/big.md".to_string();
    let mut lsp = Lsp::spawn();
    lsp.initialize(json!({"general": {"positionEncodings": ["utf-16"]}}));

    let t = Instant::now();
    lsp.open(&uri, &doc);
    let diags = lsp.diagnostics(&uri, Some(1));
    let open = t.elapsed();

    // Hovers on dates, names and markers spread over the document.
    let lines: Vec<&str> = doc.lines().collect();
    let mut targets = Vec::new();
    for (ln, line) in lines.iter().enumerate() {
        for needle in ["17 April 1949", "Stalin", "(3)", "Sŏul"] {
            if let Some(c) = line.find(needle) {
                let col = line[..c].encode_utf16().count() as u32 + 1;
                targets.push((ln as u32, col));
            }
        }
    }
    let step = (targets.len() / 400).max(1);
    let targets: Vec<_> = targets.into_iter().step_by(step).collect();
    // Warm-up: the first request may compute nothing (analysis is ready), but touch caches.
    let _ = lsp.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}),
    );
    let mut hovers = Vec::new();
    for (line, character) in &targets {
        let t = Instant::now();
        let _ = lsp.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        );
        hovers.push(t.elapsed());
    }
    hovers.sort();

    // One-character edits, each timed to the diagnostics of its version.
    let mut edits = Vec::new();
    let edit_line = (lines.len() / 2) as u32;
    for v in 2..22 {
        let t = Instant::now();
        lsp.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": v},
                   "contentChanges": [{"range": {"start": {"line": edit_line, "character": 0},
                                                 "end": {"line": edit_line, "character": 0}},
                                       "text": "x"}]}),
        );
        let _ = lsp.diagnostics(&uri, Some(v));
        edits.push(t.elapsed());
    }
    edits.sort();
    let (rss, hwm) = rss_kib(lsp.child.id());
    let _ = lsp.shutdown();

    println!(
        "document: {} bytes, {} lines, {} diagnostics",
        doc.len(),
        lines.len(),
        diags.len()
    );
    println!("open → diagnostics: {:.1} ms", open.as_secs_f64() * 1e3);
    println!(
        "hover ({} requests): median {:.3} ms, p95 {:.3} ms, max {:.3} ms",
        hovers.len(),
        pct(&hovers, 0.5).as_secs_f64() * 1e3,
        pct(&hovers, 0.95).as_secs_f64() * 1e3,
        pct(&hovers, 1.0).as_secs_f64() * 1e3
    );
    println!(
        "one-character edit → fresh diagnostics ({} edits): median {:.1} ms, p95 {:.1} ms",
        edits.len(),
        pct(&edits, 0.5).as_secs_f64() * 1e3,
        pct(&edits, 0.95).as_secs_f64() * 1e3
    );
    println!("server memory: resident {} KiB now, peak {} KiB", rss, hwm);

    if let Some(dir) = std::env::var_os("ANNALIST_BENCH_WORKSPACE") {
        workspace(std::path::Path::new(&dir));
    }
}

/// With `ANNALIST_BENCH_WORKSPACE=DIR` (e.g. the corpus of `benches/check-bench.sh`):
/// a server on that workspace folder; a new file in it spelling Seoul as no other file
/// does is opened, and the time to its first diagnostics and to its cross-file findings
/// (after the workspace index is built) is reported.
fn workspace(dir: &std::path::Path) {
    let probe = dir.join("zz-annalist-bench-probe.md");
    if std::fs::write(&probe, "Seoul, Seoul and Seoul.\n").is_err() {
        println!("workspace: cannot write into {}", dir.display());
        return;
    }
    let uri = file_uri(&probe);
    let mut lsp = Lsp::spawn_in(dir);
    let t = Instant::now();
    lsp.initialize_in(dir, json!({"general": {"positionEncodings": ["utf-16"]}}));
    lsp.open(&uri, &std::fs::read_to_string(&probe).unwrap_or_default());
    let first = lsp.diagnostics(&uri, Some(1));
    let first_at = t.elapsed();
    let mut across_at = None;
    let mut last = first;
    while t.elapsed() < Duration::from_secs(120) {
        if last.iter().any(|d| {
            d["message"]
                .as_str()
                .is_some_and(|m| m.contains("across the workspace"))
        }) {
            across_at = Some(t.elapsed());
            break;
        }
        last = lsp.diagnostics(&uri, Some(1));
    }
    let _ = std::fs::remove_file(&probe);
    let _ = lsp.shutdown();
    println!(
        "workspace {}: first diagnostics {:.0} ms after initialize, cross-file findings {}",
        dir.display(),
        first_at.as_secs_f64() * 1e3,
        across_at.map_or(
            "none (no other file spells Sŏul?)".to_string(),
            |d| format!("{:.0} ms", d.as_secs_f64() * 1e3)
        )
    );
}
