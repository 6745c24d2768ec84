//! Work grows at most linearly with the input (issue #14): for each input family that
//! once cost more than its size, at n and 4n bytes, the work counters of the parse, the
//! output bytes per finding and the edits per fix must grow by at most 4 × 1.5.
//! Counts, never time: these pass or fail the same on a loaded machine.

use annalist::analysis::{Analysis, Context, Knowledge, analyze};
use annalist::config::Config;
use annalist::markdown::MdModel;
use std::sync::Arc;

const SENT: &str = "On 31 June 1950 Kim II Sung met Stalin in Moscow (3), and Shtykov wrote from Sŏul that Seoul was calm on 17 April 1949. ";

fn repeat_to(unit: &str, n: usize) -> String {
    unit.repeat(n / unit.len() + 1)
}

/// The families of benches/pathological.py, at about `n` bytes.
fn family(name: &str, n: usize) -> String {
    match name {
        "emphasis" => repeat_to("*a ", n),
        "underscores" => repeat_to("_a ", n),
        "long-line" => repeat_to(SENT, n) + "\n",
        "paragraph" => repeat_to(&format!("{}\n", SENT.trim()), n),
        "spellings" => {
            "# Book\n\n".to_string()
                + &repeat_to(
                    "The delegation reached Seoul; from Sŏul the report went north.\n\n",
                    n,
                )
        }
        "quotes" => {
            // A staircase of block quotes, depth ~ sqrt(n).
            let depth = ((n / 2) as f64).sqrt() as usize;
            (1..=depth).map(|i| ">".repeat(i) + " quoted\n").collect()
        }
        "lists" => {
            let depth = ((n / 2) as f64).sqrt() as usize;
            (0..depth).map(|i| "  ".repeat(i) + "- item\n").collect()
        }
        _ => unreachable!("unknown family"),
    }
}

fn run(text: &str) -> (MdModel, Analysis) {
    let config = Config::default();
    let knowledge = Knowledge::embedded();
    let ctx = Context {
        config: &config,
        knowledge: &knowledge,
    };
    let md = annalist::document::parse_model(text);
    let a = analyze(Arc::from(text), Some(md.clone()), &ctx);
    ((*md).clone(), a)
}

struct Work {
    bytes: usize,
    nodes: usize,
    inline_bytes: usize,
    max_chunk: usize,
    json_bytes: usize,
    findings: usize,
    edits: usize,
    max_edits_per_fix: usize,
}

fn work(text: &str) -> Work {
    let (md, a) = run(text);
    let json = serde_json::to_string(&a.findings).unwrap_or_default();
    let fixes = a.findings.iter().flat_map(|f| &f.fixes);
    Work {
        bytes: text.len(),
        nodes: md.stats.nodes,
        inline_bytes: md.stats.inline_bytes,
        max_chunk: md.stats.max_chunk,
        json_bytes: json.len(),
        findings: a.findings.len(),
        edits: fixes.clone().map(|f| f.edits.len()).sum(),
        max_edits_per_fix: fixes.map(|f| f.edits.len()).max().unwrap_or(0),
    }
}

fn check_family(name: &str, n: usize) {
    let small = work(&family(name, n));
    let big = work(&family(name, 4 * n));
    let size = big.bytes as f64 / small.bytes as f64;
    let bound = size * 1.5;
    let ratio = |a: usize, b: usize| b as f64 / a.max(1) as f64;
    let report = format!(
        "{name}: bytes {}→{}, nodes {}→{}, inline bytes {}→{}, json {}→{}, findings {}→{}, edits {}→{}, max edits/fix {}→{}, max chunk {}→{}",
        small.bytes,
        big.bytes,
        small.nodes,
        big.nodes,
        small.inline_bytes,
        big.inline_bytes,
        small.json_bytes,
        big.json_bytes,
        small.findings,
        big.findings,
        small.edits,
        big.edits,
        small.max_edits_per_fix,
        big.max_edits_per_fix,
        small.max_chunk,
        big.max_chunk
    );
    eprintln!("{report}");
    assert!(ratio(small.nodes, big.nodes) <= bound, "nodes: {report}");
    assert!(
        ratio(small.inline_bytes, big.inline_bytes) <= bound,
        "inline bytes: {report}"
    );
    assert!(
        ratio(small.json_bytes, big.json_bytes) <= bound,
        "json: {report}"
    );
    assert!(ratio(small.edits, big.edits) <= bound, "edits: {report}");
    // Per-piece work is bounded, not growing with the input.
    assert!(
        big.max_chunk <= annalist::document::MAX_CHUNK + 4096,
        "chunk: {report}"
    );
    if big.findings > 0 && small.findings > 0 {
        let per_small = small.json_bytes as f64 / small.findings as f64;
        let per_big = big.json_bytes as f64 / big.findings as f64;
        assert!(per_big <= per_small * 1.5, "json per finding: {report}");
        let e_small = small.edits as f64 / small.findings as f64;
        let e_big = big.edits as f64 / big.findings as f64;
        assert!(e_big <= e_small * 1.5 + 0.01, "edits per finding: {report}");
    }
}

#[test]
fn emphasis_runs_are_linear() {
    check_family("emphasis", 8_000);
    check_family("underscores", 8_000);
}

#[test]
fn long_lines_and_paragraphs_are_linear() {
    // Past MAX_CHUNK (64 KiB), so the long line is cut into chunks.
    check_family("long-line", 20_000);
    check_family("paragraph", 20_000);
}

#[test]
fn replace_all_fixes_are_not_repeated_on_every_finding() {
    check_family("spellings", 8_000);
    let (_, a) = run(&family("spellings", 8_000));
    let with_all = a
        .findings
        .iter()
        .filter(|f| f.fixes.iter().any(|x| x.title.starts_with("Replace all")))
        .count();
    assert!(
        (1..=2).contains(&with_all),
        "{with_all} findings carry replace-all"
    );
}

#[test]
fn nesting_staircases_are_linear() {
    check_family("quotes", 20_000);
    check_family("lists", 20_000);
}

#[test]
fn bounded_places_are_reported_once_per_kind() {
    // Runs of emphasis delimiters are parsed whole (pulldown-cmark is linear in them):
    // nothing is bounded, so nothing is reported.
    let (_, a) = run(&family("emphasis", 8_000));
    assert!(
        !a.findings.iter().any(|f| f.code == "analysis-limited"),
        "{:?}",
        a.findings
    );
    let (md, a) = run(&family("long-line", 140_000));
    assert!(md.limited.len() >= 2, "{:?}", md.limited);
    assert_eq!(
        a.findings
            .iter()
            .filter(|f| f.code == "analysis-limited" && f.message.contains("was cut here"))
            .count(),
        1
    );
    // A text cut by force still edits like a fresh one.
    let text = family("long-line", 140_000);
    let mut d = annalist::document::Document::new(&text, 1);
    d.apply_edits(&[(annalist::finding::Span::new(100_000, 100_000), "x ".into())]);
    let fresh = annalist::document::Document::new(d.text(), 1);
    assert_eq!(
        d.chunk_spans().collect::<Vec<_>>(),
        fresh.chunk_spans().collect::<Vec<_>>()
    );
    assert_eq!(d.md().skip, fresh.md().skip);
    assert_eq!(d.md().blocks, fresh.md().blocks);
}

/// What writing one document's findings costs: bytes of each output format, and bytes
/// measured to turn offsets into columns.
struct Output {
    findings: usize,
    conversions: usize,
    bytes_scanned: usize,
    human: usize,
    json: usize,
    sarif: usize,
}

fn output(text: &str) -> Output {
    use annalist::cli::output::{FileReport, Format, Report, WriteOptions, convert, write};
    use annalist::finding::Severity;
    use annalist::position::LineIndex;
    let (_, a) = run(text);
    let lines = LineIndex::new(text);
    let diagnostics = convert(text, &lines, &a.findings);
    let conversions: usize = a
        .findings
        .iter()
        .map(|f| {
            2 * (1
                + f.related.iter().filter(|r| r.path.is_none()).count()
                + f.fixes.iter().map(|x| x.edits.len()).sum::<usize>())
        })
        .sum();
    let bytes_scanned = lines.bytes_scanned();
    let report = Report {
        files: vec![FileReport {
            path: "doc.md".into(),
            text: Arc::from(text),
            lines,
            diagnostics,
            fixed: 0,
        }],
        problems: Vec::new(),
        threshold: Severity::Error,
        docs_url: None,
    };
    let size = |format| {
        let mut buf = Vec::new();
        write(&report, format, WriteOptions::default(), &mut buf).map_or(0, |_| buf.len())
    };
    Output {
        findings: a.findings.len(),
        conversions,
        bytes_scanned,
        human: size(Format::Human),
        json: size(Format::Json),
        sarif: size(Format::Sarif),
    }
}

/// Per finding (or per conversion), the work at 4n is at most 1.5 times that at n.
fn check_output(name: &str, n: usize) {
    let small = output(&family(name, n));
    let big = output(&family(name, 4 * n));
    let report = format!(
        "{name}: findings {}→{}, conversions {}→{}, bytes scanned {}→{}, human {}→{}, json {}→{}, sarif {}→{}",
        small.findings,
        big.findings,
        small.conversions,
        big.conversions,
        small.bytes_scanned,
        big.bytes_scanned,
        small.human,
        big.human,
        small.json,
        big.json,
        small.sarif,
        big.sarif
    );
    eprintln!("{report}");
    // Findings are capped per document (5,000 on the long line): compare per finding.
    assert!(
        small.findings > 0 && big.findings > small.findings,
        "{report}"
    );
    let per = |work: usize, count: usize| work as f64 / count.max(1) as f64;
    for (what, a, b) in [
        ("human", small.human, big.human),
        ("json", small.json, big.json),
        ("sarif", small.sarif, big.sarif),
    ] {
        assert!(
            per(b, big.findings) <= per(a, small.findings) * 1.5,
            "{what} bytes per finding: {report}"
        );
    }
    assert!(
        per(big.bytes_scanned, big.conversions)
            <= per(small.bytes_scanned, small.conversions) * 1.5,
        "bytes scanned per conversion: {report}"
    );
}

#[test]
fn output_on_a_long_line_is_linear_in_findings() {
    // One line of 60 KB and of 240 KB: columns come from checkpoints, snippets are
    // excerpts, and a fix spread over the whole line is named, not drawn.
    check_output("long-line", 60_000);
}

#[test]
fn output_of_a_book_of_spellings_is_linear_in_findings() {
    check_output("spellings", 20_000);
}
