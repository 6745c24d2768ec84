//! `annalist timeline` through the built binary, every format, on the Bajanov fixture;
//! the output file's extension, standard input; and the picture's layout invariants at
//! 1 to 500 events (the generated `fixtures/timeline/korea-500.md`).

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
    // 17: the conference date of the header (24-25 July 1995) and the state "Until the
    // end of 1949 Stalin did not plan …" are not events (they were, before #16).
    assert_eq!(events.len(), 17, "{v:#}");
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
            "human",
            "gist",
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
    ] {
        assert!(dates.contains(&want), "{want} missing from {dates:?}");
    }
    assert_eq!(dates.first(), Some(&"1947/1948"));
    assert_eq!(dates.last(), Some(&"1950-04"));
    // Not events, each with its reason: the header's conference date, the state, the
    // cut-short year.
    let left = v["left_out"].as_array().expect("left_out array");
    let reasons: Vec<(&str, &str)> = left
        .iter()
        .map(|l| {
            (
                l["surface"].as_str().unwrap_or_default(),
                l["reason"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(reasons.len(), 3, "{reasons:?}");
    assert!(reasons.contains(&(
        "24-25 July 1995",
        "in the document's header (its publication line)"
    )));
    assert!(reasons.contains(&(
        "the end of 1949",
        "a state lasting until this date, not an event"
    )));
    assert!(reasons.contains(&("5 March 194", "year cut short (194)")));
    // Dates as a historian writes them, the EDTF value beside them.
    let beginning = events
        .iter()
        .find(|e| e["date"] == "1949-33")
        .expect("the beginning of 1949");
    assert_eq!(beginning["human"], "beginning of 1949");
    assert_eq!(beginning["covers"], "Jan.–Mar. 1949");
    for e in events {
        let h = e["human"].as_str().unwrap_or_default();
        assert!(!h.contains("-3") && !h.contains('/'), "coded date {h:?}");
    }
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
    assert_eq!(april["human"], "17 April 1949");
    assert_eq!(
        april["gist"],
        "Stalin informed his ambassador of an imminent attack from the South"
    );
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
            "human",
            "covers",
            "start",
            "end",
            "precision",
            "line",
            "surface",
            "gist",
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
        assert!(r[6].parse::<usize>().is_ok(), "line column: {r:?}");
    }
    let starts: Vec<&String> = rows.iter().map(|r| &r[3]).collect();
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
    assert_eq!(svg.matches("<g class=\"ev\">").count(), 17);
    for y in ["1947", "1948", "1949", "1950"] {
        assert!(svg.contains(&format!(">{y}</text>")), "no tick for {y}");
    }
    // No axis space for the header's 1995.
    assert!(!svg.contains(">1995</text>"));
    // Labels as a historian writes dates, with the gist and the notes.
    assert!(svg.contains(">May–August 1949</text>"));
    assert!(svg.contains(">beginning of 1949 (Jan.–Mar. 1949)</text>"));
    assert!(svg.contains(">14 September 1949 · note 7</text>"));
    assert!(
        svg.contains(">Stalin informed his ambassador of an imminent attack from the South</text>")
    );
    assert!(!svg.contains("1949-33") && !svg.contains("1949-36"));
    assert!(!svg.contains("href") && !svg.contains("url("));
}

#[test]
fn html_embeds_the_picture_and_a_table() {
    let html = run("html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<svg"));
    assert_well_formed(html.trim_start_matches("<!DOCTYPE html>"));
    assert_eq!(html.matches("<tr><td").count(), 17);
    assert!(html.contains("Not events: 24-25 July 1995"));
    assert!(html.contains(
        "<td class=\"h\">beginning of 1949 <span class=\"muted\">(Jan.–Mar. 1949)</span></td>"
    ));
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
    assert!(table.contains("17 April 1949"));
    assert!(table.contains("beginning of 1949 (Jan.–Mar. 1949)"));
    assert!(table.contains("Not events:"));
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

fn annalist(args: &[&str], stdin: Option<&str>) -> std::process::Output {
    use std::io::Write as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    if let Some(mut pipe) = child.stdin.take() {
        let _ = pipe.write_all(stdin.unwrap_or_default().as_bytes());
    }
    child.wait_with_output().expect("the binary ends")
}

#[test]
fn the_output_file_extension_chooses_the_format() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, starts) in [
        ("t.svg", "<svg"),
        ("t.html", "<!DOCTYPE html>"),
        ("t.json", "{"),
        ("t.csv", "date,human,"),
        ("t.txt", "DATE"),
        ("t.md", "DATE"),
    ] {
        let path = dir.path().join(name);
        let path_s = path.to_string_lossy().to_string();
        let out = annalist(&["timeline", FIXTURE, "-o", &path_s], None);
        assert!(out.status.success(), "{name}: {out:?}");
        let written = std::fs::read_to_string(&path).expect("written");
        assert!(
            written.starts_with(starts),
            "{name}: {}",
            &written[..40.min(written.len())]
        );
    }
    // An explicit format that agrees, or an extension that says nothing, is fine.
    let svg = dir.path().join("u.svg").to_string_lossy().to_string();
    assert!(
        annalist(&["timeline", FIXTURE, "-o", &svg, "--format", "svg"], None)
            .status
            .success()
    );
    let other = dir.path().join("u.out").to_string_lossy().to_string();
    assert!(
        annalist(
            &["timeline", FIXTURE, "-o", &other, "--format", "json"],
            None
        )
        .status
        .success()
    );
    assert!(std::fs::read_to_string(&other).is_ok_and(|t| t.starts_with('{')));
    // A contradiction is an error that says what and what to do, and writes nothing.
    let clash = dir.path().join("clash.svg");
    let clash_s = clash.to_string_lossy().to_string();
    let out = annalist(
        &["timeline", FIXTURE, "-o", &clash_s, "--format", "table"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--format table does not match the output file")
            && err.contains("drop --format, or name the file with .txt"),
        "{err}"
    );
    assert!(!clash.exists());
}

#[test]
fn a_dash_reads_standard_input() {
    let text = std::fs::read_to_string(FIXTURE).expect("fixture");
    let out = annalist(&["timeline", "-", "--format", "json"], Some(&text));
    assert!(out.status.success(), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v, json());
    let out = annalist(
        &["timeline", "-"],
        Some("On 25 June 1950 the North attacked.\n"),
    );
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("25 June 1950") && table.contains("the North attacked"),
        "{table}"
    );
}

// ---- The picture's layout, at 1 to 500 events ----------------------------------------

const K500: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/fixtures/timeline/korea-500.md"
);

fn timeline_of(path: &str) -> annalist::ide::timeline::Timeline {
    let text = std::fs::read_to_string(path).expect("fixture");
    let config = annalist::config::Config::default();
    let knowledge = annalist::facts::Knowledge::embedded();
    let ctx = annalist::facts::Context {
        config: &config,
        knowledge: &knowledge,
    };
    let a = annalist::analysis::analyze_str(&text);
    annalist::ide::timeline::build(&a, &ctx)
}

type Point = (f64, f64);
type Segment = (Point, Point);

/// True when segments p1-p2 and q1-q2 cross at a point inside both (touching at an
/// end point shared by both is not crossing).
fn cross(p1: (f64, f64), p2: (f64, f64), q1: (f64, f64), q2: (f64, f64)) -> bool {
    let o = |a: (f64, f64), b: (f64, f64), c: (f64, f64)| {
        (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0)
    };
    let (d1, d2) = (o(q1, q2, p1), o(q1, q2, p2));
    let (d3, d4) = (o(p1, p2, q1), o(p1, p2, q2));
    let eps = 1e-9;
    ((d1 > eps && d2 < -eps) || (d1 < -eps && d2 > eps))
        && ((d3 > eps && d4 < -eps) || (d3 < -eps && d4 > eps))
}

fn check_layout(t: &annalist::ide::timeline::Timeline) -> annalist::ide::timeline::layout::Layout {
    use annalist::ide::timeline::layout::*;
    let l = layout(t);
    let n = t.events.len();
    // Every event in exactly one box, in order.
    let listed: Vec<usize> = l.boxes.iter().flat_map(|b| b.events.clone()).collect();
    assert_eq!(listed, (0..n).collect::<Vec<_>>(), "{n} events");
    assert!(l.boxes.len() <= MAX_BOXES);
    // No two label boxes overlap (they form one column: each starts below the last).
    for w in l.boxes.windows(2) {
        assert!(
            w[0].y + w[0].h <= w[1].y,
            "boxes overlap at {n} events: {:?} / {:?}",
            w[0].y,
            w[1].y
        );
    }
    for b in &l.boxes {
        assert!(b.x >= 0.0 && b.x + b.w <= l.width && b.y >= 0.0 && b.y + b.h <= l.height);
        // The text fits its box.
        for line in &b.lines {
            assert!(
                line.text.chars().count() as f64 * CHAR_W <= b.w - 2.0 * PAD,
                "line too long: {:?}",
                line.text
            );
        }
        assert!(b.lines.len() as f64 * LINE_H + 2.0 * PAD <= b.h);
    }
    // Leaders: no two cross, and none crosses a box (only the last point touches its own).
    let segs: Vec<Vec<Segment>> = l
        .boxes
        .iter()
        .map(|b| b.leader.windows(2).map(|w| (w[0], w[1])).collect())
        .collect();
    for i in 0..segs.len() {
        for j in i + 1..segs.len() {
            for &(p1, p2) in &segs[i] {
                for &(q1, q2) in &segs[j] {
                    assert!(
                        !cross(p1, p2, q1, q2),
                        "leaders {i} and {j} cross at {n} events"
                    );
                }
            }
        }
        for (k, b) in l.boxes.iter().enumerate() {
            for &(p1, p2) in &segs[i] {
                let inside = |p: (f64, f64)| {
                    p.0 > b.x + 1e-6 && p.0 < b.x + b.w && p.1 > b.y && p.1 < b.y + b.h
                };
                // Sample along the segment: a leader is straight between its points.
                for s in 0..=20 {
                    let f = f64::from(s) / 20.0;
                    let p = (p1.0 + f * (p2.0 - p1.0), p1.1 + f * (p2.1 - p1.1));
                    assert!(!inside(p), "leader {i} enters box {k} at {n} events");
                }
            }
        }
        // Leaders run between the axis and the column.
        for &(p1, p2) in &segs[i] {
            assert!(p1.0 >= AXIS_X && p2.0 <= BOX_X);
        }
    }
    // Marks never overlap: distinct marks are at least MIN_SEP apart.
    for w in l.marks.windows(2) {
        assert!(w[1].y - w[0].y >= MIN_SEP - 1e-6 && MIN_SEP >= 2.0 * MARK_R);
    }
    // Year labels on the axis do not overlap either.
    for w in l.ticks.windows(2) {
        assert!(w[1].y - w[0].y >= 14.0 - 1e-6, "{:?}", (&w[0], &w[1]));
    }
    l
}

#[test]
fn the_layout_holds_its_invariants_from_1_to_500_events() {
    let full = timeline_of(K500);
    assert_eq!(full.events.len(), 500);
    let mut heights = Vec::new();
    for n in [1, 2, 5, 17, 20, 40, 48, 49, 80, 120, 200, 350, 500] {
        let t = annalist::ide::timeline::Timeline {
            events: full.events[..n].to_vec(),
            left_out: Vec::new(),
        };
        let l = check_layout(&t);
        // Height grows at most linearly with the events, and is capped.
        assert!(l.height <= 160.0 + 120.0 * n as f64, "{n}: {}", l.height);
        assert!(l.height <= 6_000.0, "{n}: {}", l.height);
        heights.push((n, l.height));
    }
    // Up to 20 events, every event has its own box (nothing grouped away).
    let twenty = annalist::ide::timeline::Timeline {
        events: full.events[..20].to_vec(),
        left_out: Vec::new(),
    };
    let l = annalist::ide::timeline::layout::layout(&twenty);
    assert_eq!(l.boxes.len(), 20, "{heights:?}");
    // At 500, dense stretches are grouped by year or month, quiet ones shown.
    let l = annalist::ide::timeline::layout::layout(&full);
    let headings: Vec<&str> = l.boxes.iter().map(|b| b.lines[0].text.as_str()).collect();
    assert!(
        headings.iter().any(|h| h.starts_with("June 1950 — ")),
        "{headings:?}"
    );
    assert!(
        headings.iter().any(|h| h.starts_with("1945 — ")),
        "{headings:?}"
    );
}

#[test]
fn the_shipped_transcription_lays_out_cleanly() {
    let t = timeline_of(FIXTURE);
    let l = check_layout(&t);
    assert_eq!(l.boxes.len(), t.events.len());
    // The 1995 conference date no longer stretches the axis.
    assert!(l.height < 1_500.0, "{}", l.height);
}

#[test]
fn the_500_event_document_is_current() {
    // The fixture is generated; the generator and the file agree.
    let Ok(out) = Command::new("python3")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/timeline/generate.py"
        ))
        .output()
    else {
        return; // no Python here: nothing to compare
    };
    if !out.status.success() {
        return;
    }
    let file = std::fs::read(K500).expect("fixture");
    assert!(
        out.stdout == file,
        "fixtures/timeline/korea-500.md is stale: run generate.py"
    );
}
