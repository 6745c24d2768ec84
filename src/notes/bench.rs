use super::*;

/// About 1 MB of prose with footnotes, endnote markers and a Notes section.
pub(super) fn big_document() -> String {
    let para = "Receiving Kim Il Sung in the Kremlin on 5 March 1949, Stalin showed an open concern about growing pressure from the opponent near the 38th parallel and told Kim \"The 38th parallel must be peaceful.\" (2) The ambassador confirmed it (see 3) in 1949 (1949).[^n";
    let mut s = String::from("# A long transcription\n\n");
    let mut i = 0;
    while s.len() < 1_000_000 {
        i += 1;
        s.push_str(para);
        s.push_str(&format!(
            "{i}] Code `[^x]` and a link [a](http://x.org/[^y]).\n\n"
        ));
        if i % 10 == 0 {
            for k in i - 9..=i {
                s.push_str(&format!(
                    "[^n{k}]: Shtykov to Moscow, {k} February 1949.\n    Continued.\n\n"
                ));
            }
        }
    }
    s.push_str("## Notes\n\n1. One.\n2. Two.\n3. Three.\n");
    s
}

/// `cargo test --release --lib notes::bench -- --ignored --nocapture`
#[test]
#[ignore]
fn one_megabyte() {
    let text = big_document();
    let t0 = std::time::Instant::now();
    let md = MdModel::parse(&text);
    let t1 = std::time::Instant::now();
    let mut notes = Notes::default();
    let runs = 40;
    for _ in 0..runs {
        notes = analyze(&text, &md);
    }
    let t2 = std::time::Instant::now();
    // Phases.
    let p0 = std::time::Instant::now();
    let lines = split_lines(&text);
    let p1 = std::time::Instant::now();
    let mut defs = scan_definitions(&text, &md, &lines);
    let mut regions: Vec<Span> = defs.defs.iter().map(|d| d.span).collect();
    crate::finding::normalise_spans(&mut regions);
    crate::finding::normalise_spans(&mut defs.skip);
    let p2 = std::time::Instant::now();
    let sections = find_sections(&text, &md, &lines, &regions);
    let p3 = std::time::Instant::now();
    let scan = Scan::new(&text, &md, &regions, &defs, &sections);
    let p4 = std::time::Instant::now();
    let found = scan.scan();
    let p5 = std::time::Instant::now();
    eprintln!(
        "lines {:?} definitions {:?} sections {:?} setup {:?} scan {:?} ({} candidates)",
        p1 - p0,
        p2 - p1,
        p3 - p2,
        p4 - p3,
        p5 - p4,
        found.candidates.len() + found.footnotes.len()
    );
    eprintln!(
        "{} bytes: markdown model {:?}, notes::analyze {:?} per run ({} markers, {} definitions)",
        text.len(),
        t1 - t0,
        (t2 - t1) / runs,
        notes.markers.len(),
        notes.definitions.len()
    );
    assert!(notes.markers.len() > 2000);
}
