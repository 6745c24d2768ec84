//! The real-text measure (issue #12): `cargo run --release --example precision`.
//!
//! Runs the engine over `fixtures/real/*.md` as `annalist check fixtures/real/` does,
//! joins each finding with its classified row of `fixtures/real/findings.tsv` (file,
//! line, code), and prints per rule and per kind: findings, true, debatable, false,
//! unclassified, precision ((true + debatable) / classified) and false alarms per
//! 1,000 body words.
#![allow(clippy::print_stdout)] // a report on standard output is what this program is for

#[path = "../tests/real_corpus/mod.rs"]
mod real_corpus;

use std::collections::BTreeMap;

#[derive(Default, Clone, Copy)]
struct Tally {
    all: usize,
    t: usize,
    d: usize,
    f: usize,
    new: usize,
}

fn main() {
    let rows = match real_corpus::read_tsv() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("precision: {e}");
            std::process::exit(2);
        }
    };
    let found = real_corpus::engine();
    let mut kinds: BTreeMap<String, String> = BTreeMap::new();
    let mut words: BTreeMap<String, usize> = BTreeMap::new();
    for p in real_corpus::files() {
        let text = std::fs::read_to_string(&p).unwrap_or_default();
        let k = real_corpus::kind_of(&text);
        *words.entry(k.clone()).or_default() += real_corpus::body_words(&text);
        kinds.insert(real_corpus::name(&p), k);
    }
    let total_words: usize = words.values().sum();
    let mut by: BTreeMap<(String, String), Tally> = BTreeMap::new();
    let mut gone = 0;
    for r in &rows {
        if !found
            .iter()
            .any(|f| f.file == r.file && f.line == r.line && f.code == r.code)
        {
            gone += 1;
        }
    }
    for f in &found {
        let kind = kinds.get(&f.file).cloned().unwrap_or_else(|| "?".into());
        let verdict = rows
            .iter()
            .find(|r| r.file == f.file && r.line == f.line && r.code == f.code)
            .map(|r| r.verdict.as_str())
            .unwrap_or("new");
        for key in [
            (f.code.clone(), kind.clone()),
            (f.code.clone(), "all".into()),
            ("all".into(), kind.clone()),
            ("all".into(), "all".into()),
        ] {
            let t = by.entry(key).or_default();
            t.all += 1;
            match verdict {
                "true" => t.t += 1,
                "debatable" => t.d += 1,
                "false" => t.f += 1,
                _ => t.new += 1,
            }
        }
    }
    println!(
        "fixtures/real: {} files, {total_words} body words ({}); {} findings; {gone} recorded findings gone",
        kinds.len(),
        words
            .iter()
            .map(|(k, w)| format!("{k} {w}"))
            .collect::<Vec<_>>()
            .join(", "),
        found.len()
    );
    println!();
    println!(
        "| rule | kind | findings | true | debatable | false | unclassified | precision | false alarms / 1,000 words |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    for ((code, kind), t) in &by {
        let w = if kind == "all" {
            total_words
        } else {
            words.get(kind).copied().unwrap_or(0)
        };
        let classified = t.t + t.d + t.f;
        let precision = if classified == 0 {
            "–".to_string()
        } else {
            format!("{:.1} %", 100.0 * (t.t + t.d) as f64 / classified as f64)
        };
        let per_k = if w == 0 {
            "–".to_string()
        } else {
            format!("{:.2}", 1000.0 * t.f as f64 / w as f64)
        };
        println!(
            "| {code} | {kind} | {} | {} | {} | {} | {} | {precision} | {per_k} |",
            t.all, t.t, t.d, t.f, t.new
        );
    }
    if by.is_empty() {
        println!("| all | all | 0 | 0 | 0 | 0 | 0 | – | 0.00 |");
    }
}
