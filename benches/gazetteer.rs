//! Gazetteer figures (not a test): built-in load and automaton build; a synthetic
//! 50,000-entry project gazetteer's load time (target < 200 ms), the time to find the
//! names of a paragraph with it (p50/p95, the work behind a hover on an edited
//! document) and resident memory. `cargo bench --bench gazetteer`.
#![allow(clippy::print_stdout)] // a report on standard output is what this program is for

use annalist::gazetteer::{Gazetteer, parse_toml};
use annalist::markdown::MdModel;
use annalist::names::Recognizer;
use std::time::Instant;

fn rss_kb() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

fn main() {
    let rss0 = rss_kb().unwrap_or(0);
    let t = Instant::now();
    let g = Gazetteer::embedded();
    let load = ms(t);
    let t = Instant::now();
    let r = Recognizer::new(&g);
    let build = ms(t);
    println!(
        "built-in: {} entities, load {load:.1} ms, automaton {build:.1} ms ({} names)",
        g.entities.len(),
        r.pattern_count()
    );

    // 50,000 synthetic entries: persons with three spellings, places, organisations.
    let syll = [
        "ka", "lo", "mi", "ren", "tov", "sha", "vin", "dor", "pel", "zu",
    ];
    let word = |n: usize, salt: usize| -> String {
        let mut s = String::new();
        let mut k = n * 7 + salt;
        for i in 0..3 {
            s.push_str(syll[k % syll.len()]);
            k /= syll.len();
            if i == 0 {
                s = s.to_uppercase()[..1].to_string() + &s[1..];
            }
        }
        s
    };
    let mut toml = String::new();
    for i in 0..50_000 {
        let kind = ["person", "place", "organisation"][i % 3];
        let a = format!("{}{i}", word(i, 1));
        let b = format!("{}{i}", word(i, 2));
        toml.push_str(&format!(
            "[[entity]]\nid = \"e{i}\"\nkind = \"{kind}\"\npreferred = \"{a} {b}\"\nnames = [{{ text = \"{b}\", system = \"conventional\" }}, {{ text = \"{a}-{b}\", system = \"other\" }}]\nstart = \"19{:02}\"\ndescription = \"Synthetic entry {i}.\"\n\n",
            i % 100
        ));
    }
    let rss1 = rss_kb().unwrap_or(0);
    let t = Instant::now();
    let (entities, problems) = parse_toml(&toml);
    let parse = ms(t);
    assert!(problems.is_empty());
    let t = Instant::now();
    let mut big = g.clone();
    for (e, _) in entities {
        big.merge(e, None);
    }
    let merge = ms(t);
    let t = Instant::now();
    let rb = Recognizer::new(&big);
    let build_big = ms(t);
    let rss2 = rss_kb().unwrap_or(0);
    println!(
        "50,000-entry project file ({:.1} MB): parse {parse:.0} ms, merge {merge:.0} ms, load total {:.0} ms (target < 200 ms); automaton {build_big:.0} ms ({} names)",
        toml.len() as f64 / 1e6,
        parse + merge,
        rb.pattern_count()
    );
    // A paragraph naming a few entities, re-recognised as on each edit before a hover.
    let mut lat = Vec::new();
    for i in 0..400 {
        let j = (i * 97) % 50_000;
        let text = format!(
            "In 1950 {}{j} {}{j} met Stalin and General Bradley in Seoul; later {}{j} wrote to Kim Il Sung.\n",
            word(j, 1),
            word(j, 2),
            word(j, 2)
        );
        let md = MdModel::parse(&text);
        let t = Instant::now();
        let n = rb.find(&text, &md).len();
        lat.push(t.elapsed().as_secs_f64() * 1e6);
        assert!(n >= 3);
    }
    lat.sort_by(|a, b| a.total_cmp(b));
    let p = |q: f64| lat[((lat.len() as f64 - 1.0) * q) as usize];
    println!(
        "find in a paragraph with the big gazetteer: p50 {:.0} µs, p95 {:.0} µs",
        p(0.5),
        p(0.95)
    );
    println!(
        "RSS: start {} MB, after the synthetic text {} MB, with the big gazetteer and automaton {} MB",
        rss0 / 1024,
        rss1 / 1024,
        rss2 / 1024
    );
}
