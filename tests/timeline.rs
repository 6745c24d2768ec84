//! `annalist timeline` through the built binary, every format, on the Bajanov fixture.

use std::process::Command;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/bajanov-1995.md");

fn run(format: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args(["timeline", FIXTURE, "--format", format])
        .output()
        .expect("the binary runs");
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn json() -> serde_json::Value {
    serde_json::from_str(&run("json")).expect("valid JSON")
}

#[test]
fn json_events_are_complete_and_sorted() {
    let v = json();
    let events = v["events"].as_array().expect("events array");
    assert_eq!(events.len(), 19, "{v:#}");
    let mut prev = (String::new(), String::new());
    for e in events {
        for key in [
            "date",
            "start",
            "end",
            "precision",
            "text",
            "line",
            "actors",
            "notes",
        ] {
            assert!(e.get(key).is_some(), "missing {key} in {e}");
        }
        let here = (
            e["start"].as_str().unwrap_or_default().to_string(),
            e["end"].as_str().unwrap_or_default().to_string(),
        );
        assert!(here >= prev, "not sorted: {prev:?} then {here:?}");
        prev = here;
        let text = e["text"].as_str().unwrap_or_default();
        let surface = e["surface"].as_str().unwrap_or_default();
        assert!(
            text.contains(surface),
            "{surface:?} not in its sentence {text:?}"
        );
    }
    let dates: Vec<&str> = events.iter().filter_map(|e| e["date"].as_str()).collect();
    for want in [
        "1947/1948",
        "1949-02-03",
        "1949-05/1949-08",
        "1949-09-11",
        "1950-01-17",
        "1995-07-24/1995-07-25",
    ] {
        assert!(dates.contains(&want), "{want} missing from {dates:?}");
    }
    assert_eq!(dates.first(), Some(&"1947/1948"));
    assert_eq!(dates.last(), Some(&"1995-07-24/1995-07-25"));
    // The cut-short year is not placed, and says why.
    let left = v["left_out"].as_array().expect("left_out array");
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["surface"], "5 March 194");
    // The sentence of 17 April 1949 is the whole sentence, not more.
    let april = events
        .iter()
        .find(|e| e["date"] == "1949-04-17")
        .expect("17 April");
    assert_eq!(
        april["text"],
        "On 17 April 1949, Stalin informed his ambassador of an imminent attack from the South."
    );
    assert_eq!(april["line"], 22);
    // Actors from the gazetteer, note markers from the note layer.
    let march = events
        .iter()
        .find(|e| e["date"] == "1949-03-07")
        .expect("7 March");
    let actors: Vec<&str> = march["actors"].as_array().map_or(Vec::new(), |v| {
        v.iter().filter_map(|x| x.as_str()).collect()
    });
    assert!(actors.contains(&"Joseph Stalin"), "{actors:?}");
    let first = &events[0];
    assert_eq!(first["notes"], serde_json::json!(["1"]));
}

/// Split one CSV record (RFC 4180 quoting).
fn csv_fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut cur)),
            (c, _) => cur.push(c),
        }
    }
    out.push(cur);
    out
}

#[test]
fn csv_has_a_header_and_one_row_per_event() {
    let csv = run("csv");
    let lines: Vec<&str> = csv.lines().collect();
    let header = csv_fields(lines[0]);
    assert_eq!(
        header,
        [
            "date",
            "start",
            "end",
            "precision",
            "line",
            "surface",
            "text",
            "actors",
            "places",
            "notes"
        ]
    );
    let rows: Vec<Vec<String>> = lines[1..].iter().map(|l| csv_fields(l)).collect();
    assert_eq!(rows.len(), json()["events"].as_array().map_or(0, Vec::len));
    for r in &rows {
        assert_eq!(r.len(), header.len(), "{r:?}");
        assert!(r[4].parse::<usize>().is_ok(), "line column: {r:?}");
    }
    let starts: Vec<&String> = rows.iter().map(|r| &r[1]).collect();
    let mut sorted = starts.clone();
    sorted.sort();
    assert_eq!(starts, sorted);
}

/// Tags balance, attributes are quoted, `&` starts an entity: enough XML for a browser.
fn assert_well_formed(xml: &str) {
    let mut stack: Vec<String> = Vec::new();
    let mut rest = xml;
    while let Some(lt) = rest.find('<') {
        let text = &rest[..lt];
        for (i, _) in text.match_indices('&') {
            let ent = &text[i..];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#"]
                    .iter()
                    .any(|e| ent.starts_with(e)),
                "bare & in {:?}",
                &ent[..ent.len().min(20)]
            );
        }
        let gt = rest[lt..].find('>').expect("unclosed tag") + lt;
        let tag = &rest[lt + 1..gt];
        rest = &rest[gt + 1..];
        if tag.starts_with('!') || tag.starts_with('?') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack.pop().expect("closing tag without opening");
            assert_eq!(open, name.trim(), "mismatched tags");
        } else if !tag.ends_with('/') {
            let name = tag
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string();
            if !["meta", "br", "link"].contains(&name.as_str()) {
                stack.push(name);
            }
        }
        assert_eq!(
            tag.matches('"').count() % 2,
            0,
            "unbalanced quotes in <{tag}>"
        );
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
}

#[test]
fn svg_is_a_well_formed_picture() {
    let svg = run("svg");
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.trim_end().ends_with("</svg>"));
    assert_well_formed(&svg);
    // A mark per event, year ticks, labels as written, no external resources.
    assert_eq!(svg.matches("<g class=\"ev\">").count(), 19);
    for y in ["1947", "1948", "1949", "1950", "1995"] {
        assert!(svg.contains(&format!(">{y}</text>")), "no tick for {y}");
    }
    assert!(svg.contains(">May-August 1949</text>"));
    assert!(!svg.contains("href") && !svg.contains("url("));
}

#[test]
fn html_embeds_the_picture_and_a_table() {
    let html = run("html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<svg"));
    assert_well_formed(html.trim_start_matches("<!DOCTYPE html>"));
    assert_eq!(html.matches("<tr><td").count(), 19);
    assert!(html.contains("Not placed: 5 March 194"));
    // Self-contained: no scripts, stylesheets or images fetched from elsewhere.
    assert!(!html.contains("<script") && !html.contains("<link") && !html.contains("<img"));
}

#[test]
fn table_is_the_default_and_missing_files_fail() {
    let out = Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args(["timeline", FIXTURE])
        .output()
        .expect("runs");
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.starts_with("DATE"), "{table}");
    assert!(table.contains("1949-04-17"));
    assert!(table.contains("Not placed:"));
    let out = Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args(["timeline", "/nonexistent/file.md"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

/// Recognition throughput on ~1 MB (the fixture repeated). Run with
/// `cargo test --release --test timeline -- --ignored --nocapture throughput`.
#[test]
#[ignore]
fn throughput() {
    let one = std::fs::read_to_string(FIXTURE).expect("fixture");
    let body = one.split("\n---\n").nth(1).unwrap_or(&one);
    let mut doc = String::new();
    while doc.len() < 1_000_000 {
        doc.push_str(body);
        doc.push('\n');
    }
    let md = annalist::markdown::MdModel::parse(&doc);
    let runs = 20;
    let t0 = std::time::Instant::now();
    let mut n = 0;
    for _ in 0..runs {
        n = annalist::dates::find(&doc, &md).len();
    }
    let secs = t0.elapsed().as_secs_f64() / f64::from(runs);
    println!(
        "dates::find: {} bytes, {n} dates, {:.2} ms per run, {:.1} MB/s",
        doc.len(),
        secs * 1000.0,
        doc.len() as f64 / secs / 1e6
    );
    assert!(n > 1000);
}
