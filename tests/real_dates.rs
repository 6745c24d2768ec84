//! Years on real documents (issue #13): the timeline of every `fixtures/real/*.md`,
//! recomputed through the binary (`annalist timeline FILE --format json`), against the
//! table read by hand, `fixtures/real/dates.tsv` (file, line, date as written, year the
//! tool gives, the right year, verdict, why).
//!
//! Fails when an event's year is no longer the one the table records for the tool (a
//! regression, or a repair the table has not been told about), when an event appears
//! that the table does not list or one it lists disappears, when fewer than 95% of the
//! events are placed in the right year, or when an inferred year was taken from a
//! source, publication, stamp or file-number line. Prints the right/wrong count.

mod real_corpus;

use std::collections::HashMap;
use std::process::Command;

/// One row of dates.tsv.
#[derive(Debug)]
struct Row {
    file: String,
    line: usize,
    surface: String,
    tool_year: i32,
    right_year: i32,
    verdict: String,
    why: String,
}

fn read_tsv() -> Result<Vec<Row>, String> {
    let mut rows = Vec::new();
    for (i, c) in real_corpus::tsv("dates.tsv", 7)? {
        let num = |s: &str| {
            s.parse::<i32>()
                .map_err(|_| format!("dates.tsv:{}: not a number: {s}", i + 1))
        };
        let verdict = c[5].to_string();
        if !matches!(verdict.as_str(), "right" | "wrong" | "not-an-event") {
            return Err(format!("dates.tsv:{}: verdict {verdict:?}", i + 1));
        }
        rows.push(Row {
            file: c[0].clone(),
            line: usize::try_from(num(&c[1])?).map_err(|e| e.to_string())?,
            surface: c[2].clone(),
            tool_year: num(&c[3])?,
            right_year: num(&c[4])?,
            verdict,
            why: c[6].clone(),
        });
    }
    Ok(rows)
}

/// One event of the timeline: file, line, surface, year of its first day.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Ev {
    file: String,
    line: usize,
    surface: String,
    year: i32,
}

fn timeline(path: &std::path::Path) -> Vec<Ev> {
    let out = Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args(["timeline", &path.to_string_lossy(), "--format", "json"])
        .output()
        .expect("run annalist timeline");
    assert!(
        out.status.success(),
        "annalist timeline {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("timeline JSON");
    let file = real_corpus::name(path);
    let mut evs = Vec::new();
    for e in v["events"].as_array().into_iter().flatten() {
        let start = e["start"].as_str().unwrap_or("");
        evs.push(Ev {
            file: file.clone(),
            line: e["line"]
                .as_u64()
                .and_then(|l| usize::try_from(l).ok())
                .unwrap_or(0),
            surface: e["surface"].as_str().unwrap_or("").to_string(),
            year: start.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0),
        });
    }
    evs
}

#[test]
fn every_year_matches_the_read_table() {
    let rows = match read_tsv() {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    };
    let mut evs: Vec<Ev> = real_corpus::files()
        .iter()
        .flat_map(|p| timeline(p))
        .collect();
    evs.sort();
    // Rows and events are matched by (file, line, surface), in order among equals.
    let mut by_key: HashMap<(String, usize, String), Vec<&Row>> = HashMap::new();
    for r in &rows {
        by_key
            .entry((r.file.clone(), r.line, r.surface.clone()))
            .or_default()
            .push(r);
    }
    let mut problems = Vec::new();
    let (mut right, mut wrong, mut not_events) = (0, 0, 0);
    let mut wrong_list = Vec::new();
    for e in &evs {
        let key = (e.file.clone(), e.line, e.surface.clone());
        let Some(r) = by_key.get_mut(&key).and_then(|v| {
            if v.is_empty() {
                None
            } else {
                Some(v.remove(0))
            }
        }) else {
            problems.push(format!(
                "new event, not in dates.tsv: {}:{} {:?} -> {}",
                e.file, e.line, e.surface, e.year
            ));
            continue;
        };
        if e.year != r.tool_year {
            let was = if r.tool_year == r.right_year {
                "a right year went wrong"
            } else if e.year == r.right_year {
                "repaired: update dates.tsv (tool_year, verdict)"
            } else {
                "changed"
            };
            problems.push(format!(
                "{was}: {}:{} {:?} now {}, table says the tool gives {} and the right year is {} ({})",
                e.file, e.line, e.surface, e.year, r.tool_year, r.right_year, r.why
            ));
        }
        match r.verdict.as_str() {
            "not-an-event" => not_events += 1,
            _ if e.year == r.right_year => right += 1,
            _ => {
                wrong += 1;
                wrong_list.push(format!(
                    "{}:{} {:?} {} (right {}): {}",
                    e.file, e.line, e.surface, e.year, r.right_year, r.why
                ));
            }
        }
        let verdict_now = if e.year == r.right_year {
            "right"
        } else {
            "wrong"
        };
        if r.verdict != "not-an-event" && r.verdict != verdict_now {
            problems.push(format!(
                "dates.tsv says {} for {}:{} {:?}, the year {} is {verdict_now}",
                r.verdict, e.file, e.line, e.surface, e.year
            ));
        }
    }
    for (k, left) in &by_key {
        // A row read as not an event may be left off the timeline: they agree.
        for r in left.iter().filter(|r| r.verdict != "not-an-event") {
            problems.push(format!(
                "an event of dates.tsv disappeared: {}:{} {:?} [{}] ({})",
                k.0, k.1, k.2, r.verdict, r.why
            ));
        }
    }
    let counted = right + wrong;
    eprintln!(
        "dates on fixtures/real: {} events, {not_events} not events, {counted} counted: \
         {right} right, {wrong} wrong ({:.1}%)",
        evs.len(),
        if counted == 0 {
            0.0
        } else {
            100.0 * f64::from(right) / f64::from(counted)
        }
    );
    for w in &wrong_list {
        eprintln!("  wrong: {w}");
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(counted > 0, "no dated events counted");
    assert!(
        right * 100 >= counted * 95,
        "{right} of {counted} events in the right year: below 95%"
    );
}

/// Words of a line that is about the record, not the story: a source or publication
/// line, an archival stamp, a FRUS file number, a footnote. Kept apart from the
/// engine's own list on purpose: this is the reader's check on it.
fn record_line(line: &str) -> bool {
    let l: String = line
        .chars()
        .filter(|c| !matches!(c, '*' | '_'))
        .flat_map(char::to_lowercase)
        .collect();
    let bare = l.trim_start_matches(|c: char| c == '>' || c.is_whitespace());
    let file_number = {
        let digits = bare.bytes().take_while(u8::is_ascii_digit).count();
        digits >= 3 && bare.as_bytes().get(digits) == Some(&b'.') && bare.contains('/')
    };
    file_number
        || bare.starts_with("[^")
        || bare.starts_with("source")
        || [
            "foreign relations",
            "bulletin",
            "declassified",
            "printed",
            "published",
            "printing office",
            "volume ",
            "vol.",
            "archive",
            "nnd ",
            "e.o. 1",
        ]
        .iter()
        .any(|w| l.contains(w))
}

#[test]
fn no_year_is_taken_from_a_record_line() {
    let mut bad = Vec::new();
    let mut inferred = 0;
    for p in real_corpus::files() {
        let text = std::fs::read_to_string(&p).unwrap_or_default();
        let md = annalist::markdown::MdModel::parse(&text);
        for d in annalist::dates::find(&text, &md) {
            let Some(from) = d.year_from.filter(|_| d.inferred_year) else {
                continue;
            };
            inferred += 1;
            let start = text
                .get(..from.start)
                .and_then(|t| t.rfind('\n'))
                .map_or(0, |i| i + 1);
            let end = text
                .get(from.end..)
                .and_then(|t| t.find('\n'))
                .map_or(text.len(), |i| from.end + i);
            let line = text.get(start..end).unwrap_or("");
            if record_line(line) {
                bad.push(format!(
                    "{}: {:?} took its year from {:?}",
                    real_corpus::name(&p),
                    d.span.slice(&text),
                    line
                ));
            }
        }
    }
    eprintln!("inferred years lent by a written year: {inferred}");
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
