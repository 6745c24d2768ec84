//! Where the engine's time goes (not a test): `cargo bench --bench phases`.
//!
//! Analyses the ~1 MB document of the LSP benchmark in-process and reports the median
//! of several runs for each phase: parsing, the fact passes, each rule family, and the
//! name index for the cross-file rules. Figures to compare before and after a change.
//!
//! `PHASES_DOCUMENT=path` analyses that document instead (e.g. the transcription
//! `benches/lsp-compare.py` opens); `PHASES_EDITS=n` runs only the one-character edit
//! row, n times, and reports it (for a profiler: `perf record`); `PHASES_NAMES_EDITS=n`
//! the names rules' row on the editor's path (their memo kept between versions).
#![allow(clippy::print_stdout)] // a report on standard output is what this program is for

#[path = "../tests/common/mod.rs"]
mod common;

use annalist::analysis::{self, Context, Knowledge};
use annalist::config::Config;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

fn time<T>(runs: usize, f: impl FnMut() -> T) -> Duration {
    median(times(runs, f))
}

/// Each run's time.
fn times<T>(runs: usize, mut f: impl FnMut() -> T) -> Vec<Duration> {
    let mut v = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        std::hint::black_box(f());
        v.push(t.elapsed());
    }
    v
}

fn main() {
    let text = match std::env::var("PHASES_DOCUMENT") {
        Ok(path) => std::fs::read_to_string(&path).expect("PHASES_DOCUMENT"),
        Err(_) => common::big_document(1_000_000),
    };
    let config = Config::default();
    let knowledge = Knowledge::embedded();
    let ctx = Context {
        config: &config,
        knowledge: &knowledge,
    };
    let runs = 7;
    let arc: Arc<str> = Arc::from(text.as_str());
    let md = annalist::document::parse_model(&text);
    let a = analysis::analyze(arc.clone(), Some(md.clone()), &ctx);
    println!(
        "document: {} bytes, {} findings",
        text.len(),
        a.findings.len()
    );
    // The editor's path: the facts of the blocks the edit did not touch are kept from
    // the last version (alternating between two texts that differ by one character in
    // a middle paragraph, so each run re-reads it).
    let place = annalist::citations::Place::default();
    let edit_row = |runs: usize| {
        let reuse = analysis::Reuse::default();
        let mid =
            a.md.blocks
                .get(a.md.blocks.len() / 2)
                .map(|b| b.content.start + 3)
                .unwrap_or(0);
        let edited = format!("{}x{}", &text[..mid], &text[mid..]);
        let versions: Vec<(Arc<str>, Arc<annalist::markdown::MdModel>)> = [&text, &edited]
            .iter()
            .map(|t| (Arc::from(t.as_str()), annalist::document::parse_model(t)))
            .collect();
        let mut k = 0;
        times(runs, || {
            k += 1;
            let (t, m) = &versions[k % 2];
            analysis::analyze_reusing(t.clone(), Some(m.clone()), &ctx, &place, None, &reuse)
        })
    };
    if let Some(n) = std::env::var("PHASES_EDITS")
        .ok()
        .and_then(|n| n.parse::<usize>().ok())
    {
        let mut v = edit_row(n);
        v.sort();
        // The tenth percentile too: the machine's slow spells move the median of a
        // run, its fastest tenth less.
        let at = |q: usize| {
            v.get(v.len() * q / 100)
                .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
        };
        println!(
            "one-character edit, median of {n}: {:.1} ms (tenth percentile {:.2} ms)",
            at(50),
            at(10)
        );
        return;
    }
    // The names rules alone on the editor's path: their work kept from the last
    // version (blocks, join, entities' judgements), alternating between the two texts.
    let names_edit_row = |runs: usize| {
        let memo = annalist::rules::names::NamesMemo::default();
        let mid =
            a.md.blocks
                .get(a.md.blocks.len() / 2)
                .map(|b| b.content.start + 3)
                .unwrap_or(0);
        let edited = format!("{}x{}", &text[..mid], &text[mid..]);
        let b = analysis::analyze(
            Arc::from(edited.as_str()),
            Some(annalist::document::parse_model(&edited)),
            &ctx,
        );
        let versions = [&a, &b];
        let mut k = 0;
        time(runs, || {
            k += 1;
            let mut out = Vec::new();
            let index = annalist::rules::names::check_and_index(
                versions[k % 2],
                &ctx,
                &mut out,
                true,
                Some(&memo),
            );
            memo.sweep();
            (out, index)
        })
    };
    if let Some(n) = std::env::var("PHASES_NAMES_EDITS")
        .ok()
        .and_then(|n| n.parse::<usize>().ok())
    {
        let d = names_edit_row(n);
        println!(
            "names rules, one-character edit, median of {n}: {:.2} ms",
            d.as_secs_f64() * 1000.0
        );
        return;
    }
    let rows: Vec<(&str, Duration)> = vec![
        (
            "parse (pulldown-cmark, chunked)",
            time(3, || annalist::document::parse_model(&text)),
        ),
        (
            "analyze, model given (what an edit costs)",
            time(runs, || {
                analysis::analyze(arc.clone(), Some(md.clone()), &ctx)
            }),
        ),
        (
            "analyze reusing, first version (the editor's open)",
            time(runs, || {
                let reuse = analysis::Reuse::default();
                analysis::analyze_reusing(arc.clone(), Some(md.clone()), &ctx, &place, None, &reuse)
            }),
        ),
        (
            "analyze reusing the last version, one-character edit",
            median(edit_row(runs)),
        ),
        (
            "  notes facts",
            time(runs, || annalist::notes::analyze(&text, &md)),
        ),
        (
            "  name recognition",
            time(runs, || knowledge.recognizer.find(&text, &md)),
        ),
        ("  dates", time(runs, || annalist::dates::find(&text, &md))),
        (
            "  rules: notes",
            time(runs, || {
                let mut out = Vec::new();
                annalist::rules::notes::check(&a, &ctx, &mut out);
                out
            }),
        ),
        (
            "  rules: names",
            time(runs, || {
                let mut out = Vec::new();
                annalist::rules::names::check(&a, &ctx, &mut out);
                out
            }),
        ),
        (
            "  rules: claims",
            time(runs, || {
                let mut out = Vec::new();
                annalist::rules::claims::check(&a, &a.claims, &ctx, &mut out);
                out
            }),
        ),
        (
            "  rules: dates",
            time(runs, || {
                let mut out = Vec::new();
                annalist::rules::dates::check(&a, &ctx, &mut out);
                out
            }),
        ),
        (
            "  rules: names reusing the last version, edit",
            names_edit_row(4 * runs),
        ),
        (
            "  rules: names, with the cross-file index",
            time(runs, || {
                let mut out = Vec::new();
                annalist::rules::names::check_and_index(&a, &ctx, &mut out, true, None)
            }),
        ),
    ];
    for (what, d) in rows {
        println!("{what:<44} {:>8.1} ms", d.as_secs_f64() * 1000.0);
    }

    // A small document (the fixture, ~9 KB): what `check` pays per file of a collection.
    let small = std::fs::read_to_string(common::fixture("bajanov-1995.md")).expect("fixture");
    let small_arc: Arc<str> = Arc::from(small.as_str());
    let small_md = annalist::document::parse_model(&small);
    let sa = analysis::analyze(small_arc.clone(), Some(small_md.clone()), &ctx);
    let per = |f: &mut dyn FnMut()| {
        let n = 200;
        let t = Instant::now();
        for _ in 0..n {
            f();
        }
        t.elapsed().as_secs_f64() * 1e6 / n as f64
    };
    println!("\nsmall document: {} bytes", small.len());
    let small_rows: Vec<(&str, f64)> = vec![
        (
            "parse",
            per(&mut || {
                std::hint::black_box(annalist::document::parse_model(&small));
            }),
        ),
        (
            "analyze, model given",
            per(&mut || {
                std::hint::black_box(analysis::analyze(
                    small_arc.clone(),
                    Some(small_md.clone()),
                    &ctx,
                ));
            }),
        ),
        (
            "  rules: names, with the cross-file index",
            per(&mut || {
                let mut out = Vec::new();
                std::hint::black_box(annalist::rules::names::check_and_index(
                    &sa, &ctx, &mut out, true, None,
                ));
            }),
        ),
        (
            "  name recognition",
            per(&mut || {
                std::hint::black_box(knowledge.recognizer.find(&small, &small_md));
            }),
        ),
        (
            "  dates",
            per(&mut || {
                std::hint::black_box(annalist::dates::find(&small, &small_md));
            }),
        ),
    ];
    for (what, us) in small_rows {
        println!("{what:<44} {us:>8.0} µs");
    }
}
