//! The server's publication kept from version to version (issue #14: "diagnostics
//! unchanged outside the edit are not recomputed"): every publication is byte for byte
//! what converting and serialising every finding afresh gives, whatever was typed
//! (characters, line breaks inserted and removed, before, inside and after findings,
//! multi-byte characters, CRLF and lone CR, UTF-16, UTF-8 and character columns); and a
//! one-character edit in a megabyte converts only the diagnostics on the edited line
//! (counted, not timed).

mod common;
use common::Rng;

use annalist::finding::{Finding, Fix, Related, Severity, Span};
use annalist::lsp::convert::{Carry, diagnostic_in};
use annalist::lsp::published::{Published, Source};
use annalist::position::{Encoding, LineIndex};
use std::sync::Arc;
use tower_lsp_server::ls_types::{Location, Position, Range, Uri};

const URI: &str = "file:///work/book.md";
const OTHER: &str = "file:///work/other.md";
const CODES: &[&str] = &[
    "name-variant",
    "date-incomplete",
    "footnote-undefined",
    "claim-unsourced",
];
const MESSAGES: &[&str] = &[
    "“Shtykov” is spelt “Štykov” elsewhere",
    "a \"quoted\" back\\slash and a tab\there",
    "日本語 😀 surrogate pair",
    "plain",
];

/// Where a related place in another document is (a function of its span, as the
/// server's lookup is of the other document's text); some are not found.
fn other(p: &str, s: Span) -> Option<Location> {
    if s.start.is_multiple_of(7) {
        return None;
    }
    Some(Location {
        uri: p.parse().ok()?,
        range: Range {
            start: Position {
                line: (s.start / 50) as u32,
                character: (s.start % 50) as u32,
            },
            end: Position {
                line: (s.end / 50) as u32,
                character: (s.end % 50) as u32,
            },
        },
    })
}

/// The diagnostics of `findings` converted and serialised afresh, as the server did
/// before it kept its publications.
fn fresh(text: &str, findings: &[Finding], enc: Encoding, carry: Carry<'_>) -> Vec<u8> {
    let lines = LineIndex::new(text);
    let uri: Uri = URI.parse().expect("uri");
    let diags: Vec<_> = findings
        .iter()
        .map(|f| diagnostic_in(text, &lines, &uri, f, enc, &other, carry))
        .collect();
    serde_json::to_vec(&diags).expect("serialise")
}

fn kept(
    p: &mut Published,
    text: &str,
    findings: &[Finding],
    enc: Encoding,
    carry: Carry<'_>,
) -> Vec<u8> {
    let text: Arc<str> = Arc::from(text);
    let lines = LineIndex::new(&text);
    let uri: Uri = URI.parse().expect("uri");
    let all: Vec<&Finding> = findings.iter().collect();
    p.publish(
        &Source {
            text: &text,
            lines: &lines,
            uri: &uri,
            enc,
            carry,
            other: &other,
        },
        &all,
    )
}

fn floor_boundary(t: &str, mut o: usize) -> usize {
    o = o.min(t.len());
    while !t.is_char_boundary(o) {
        o -= 1;
    }
    o
}

fn ceil_boundary(t: &str, mut o: usize) -> usize {
    o = o.min(t.len());
    while !t.is_char_boundary(o) {
        o += 1;
    }
    o
}

fn random_span(r: &mut Rng, text: &str) -> Span {
    let s = floor_boundary(text, r.below(text.len() + 1));
    let e = ceil_boundary(text, s + r.below(60));
    Span::new(s, e)
}

fn random_finding(r: &mut Rng, text: &str) -> Finding {
    let mut f = Finding::new(
        r.pick(CODES),
        r.pick(&[
            Severity::Error,
            Severity::Warning,
            Severity::Info,
            Severity::Hint,
        ]),
        random_span(r, text),
        r.pick(MESSAGES).to_string(),
    );
    for _ in 0..r.below(3) {
        if r.chance(80) {
            let span = random_span(r, text);
            f = f.with_related(span, r.pick(MESSAGES).to_string());
        } else {
            f.related.push(Related {
                path: Some(OTHER.to_string()),
                span: random_span(r, text),
                message: "in the other document".into(),
            });
        }
    }
    for _ in 0..r.below(3) {
        f = f.with_fix(Fix {
            title: r.pick(MESSAGES).to_string(),
            edits: Vec::new(),
            safe: r.chance(50),
        });
    }
    f
}

fn random_text(r: &mut Rng, breaks: &[&str]) -> String {
    let words = [
        "Shtykov",
        "met",
        "Kim Il-sung",
        "in",
        "Pyongyang,",
        "é",
        "日本語",
        "😀",
        "\t",
        "“so”",
        "1949.",
    ];
    let mut t = String::new();
    for line in 0..80 {
        // One line long enough for the index's checkpoints.
        let n = if line == 40 { 1500 } else { r.below(14) };
        for _ in 0..n {
            t.push_str(r.pick(&words));
            t.push(' ');
        }
        t.push_str(r.pick(breaks));
    }
    t
}

/// Map an offset through "old `[p, q)` became `ins`": `None` inside the replaced text.
fn map_offset(o: usize, p: usize, q: usize, ins: usize) -> Option<usize> {
    if o < p || (o == p && q > p) {
        Some(o)
    } else if o >= q {
        Some(o - q + p + ins)
    } else {
        None
    }
}

fn map_span(s: Span, p: usize, q: usize, ins: usize) -> Option<Span> {
    Some(Span::new(
        map_offset(s.start, p, q, ins)?,
        map_offset(s.end, p, q, ins)?,
    ))
}

/// Type `steps` random edits into a random text, and compare every publication with a
/// fresh one. Returns the diagnostics converted and published over all versions.
fn typing(
    seed: u64,
    breaks: &[&str],
    enc: Encoding,
    carry: Carry<'_>,
    steps: usize,
) -> (usize, usize) {
    let mut r = Rng(seed);
    let mut text = random_text(&mut r, breaks);
    let mut findings: Vec<Finding> = (0..60).map(|_| random_finding(&mut r, &text)).collect();
    annalist::finding::sort(&mut findings);
    let mut p = Published::default();
    let (mut converted, mut published) = (0, 0);
    for step in 0..steps {
        // The edit: where, what goes, what comes.
        let at = if r.chance(40) && !findings.is_empty() {
            let f = &findings[r.below(findings.len())];
            let o = r.pick(&[
                f.span.start,
                f.span.end,
                f.span.start + 1,
                f.span.end.saturating_sub(1),
            ]);
            floor_boundary(&text, o)
        } else if r.chance(30) {
            // At a line break (between a CR and its LF, too).
            let breaks: Vec<usize> = text.match_indices(['\n', '\r']).map(|(i, _)| i).collect();
            let b = breaks.get(r.below(breaks.len())).copied().unwrap_or(0);
            b + r.below(2)
        } else {
            floor_boundary(&text, r.below(text.len() + 1))
        };
        let at = floor_boundary(&text, at);
        let del = if r.chance(40) {
            ceil_boundary(&text, at + r.below(5))
        } else {
            at
        };
        let ins = if step % 17 == 16 {
            // Nothing typed: the same text again (a configuration reload).
            (String::new(), true)
        } else {
            (
                r.pick(&[
                    "a", "é", "😀", "日", "\n", "\r\n", "\r", "", "x\ny", "\r\n\r\n",
                ])
                .to_string(),
                false,
            )
        };
        let (ins, same) = ins;
        let (at, del) = if same { (0, 0) } else { (at, del) };
        text.replace_range(at..del, &ins);
        // The engine's findings for the new text: the unchanged ones moved, those the
        // edit touched dropped, some changed, some new.
        findings = findings
            .into_iter()
            .filter_map(|mut f| {
                f.span = map_span(f.span, at, del, ins.len())?;
                for rel in &mut f.related {
                    rel.span = map_span(rel.span, at, del, ins.len())?;
                }
                Some(f)
            })
            .collect();
        if !same {
            if r.chance(30) && !findings.is_empty() {
                let i = r.below(findings.len());
                findings[i].message = r.pick(MESSAGES).to_string();
            }
            if r.chance(20) && !findings.is_empty() {
                let i = r.below(findings.len());
                findings[i].fixes.clear();
            }
            for _ in 0..r.below(3) {
                findings.push(random_finding(&mut r, &text));
            }
            if r.chance(30) && !findings.is_empty() {
                let i = r.below(findings.len());
                findings.remove(i);
            }
        }
        annalist::finding::sort(&mut findings);
        let got = kept(&mut p, &text, &findings, enc, carry);
        let want = fresh(&text, &findings, enc, carry);
        // Nothing reads a `data` field back: none is sent; related places only to a
        // client that takes them.
        assert!(!contains(&got, b"\"data\":"), "seed {seed}, step {step}");
        if !carry.related {
            assert!(!contains(&got, b"\"relatedInformation\":"), "seed {seed}");
        }
        if got != want {
            let g = String::from_utf8_lossy(&got);
            let w = String::from_utf8_lossy(&want);
            let i = g
                .bytes()
                .zip(w.bytes())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            panic!(
                "seed {seed}, step {step}, edit {at}..{del} -> {ins:?}:\n kept:  …{}\n fresh: …{}",
                &g[floor_boundary(&g, i.saturating_sub(300))
                    ..floor_boundary(&g, (i + 200).min(g.len()))],
                &w[floor_boundary(&w, i.saturating_sub(300))
                    ..floor_boundary(&w, (i + 200).min(w.len()))],
            );
        }
        converted += p.converted();
        published += findings.len();
    }
    (converted, published)
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Related places carried, the rules' pages linked or not.
fn carry(docs_url: Option<&str>) -> Carry<'_> {
    Carry {
        docs_url,
        related: true,
    }
}

#[test]
fn every_publication_equals_a_fresh_one() {
    let cases: &[(&[&str], Encoding, Option<&str>, bool)] = &[
        (&["\n"], Encoding::Utf16, None, true),
        (
            &["\n"],
            Encoding::Utf8,
            Some("https://example.org/rules"),
            true,
        ),
        (
            &["\r\n"],
            Encoding::Utf16,
            Some("https://example.org/rules/"),
            true,
        ),
        (&["\n", "\r\n", "\r", "\n\n"], Encoding::Utf16, None, true),
        (&["\n", "\r\n", "\r"], Encoding::Utf8, None, true),
        (&["\r\n", "\n"], Encoding::Chars, None, true),
        // A client that takes no related places.
        (&["\n", "\r\n"], Encoding::Utf16, None, false),
    ];
    for (i, (breaks, enc, url, related)) in cases.iter().enumerate() {
        let carry = Carry {
            docs_url: *url,
            related: *related,
        };
        for seed in 0..4u64 {
            let (converted, published) = typing(seed * 31 + i as u64, breaks, *enc, carry, 150);
            // Most diagnostics came from the last publication.
            assert!(
                converted * 3 < published,
                "case {i} seed {seed}: {converted} of {published} converted"
            );
        }
    }
}

/// A change of encoding or of the rules' documentation address makes everything anew.
#[test]
fn a_new_encoding_converts_everything() {
    let mut r = Rng(7);
    let text = random_text(&mut r, &["\n", "\r\n"]);
    let mut findings: Vec<Finding> = (0..40).map(|_| random_finding(&mut r, &text)).collect();
    annalist::finding::sort(&mut findings);
    let mut p = Published::default();
    kept(&mut p, &text, &findings, Encoding::Utf16, carry(None));
    assert_eq!(p.converted(), findings.len());
    assert_eq!(
        kept(&mut p, &text, &findings, Encoding::Utf8, carry(None)),
        fresh(&text, &findings, Encoding::Utf8, carry(None))
    );
    assert_eq!(p.converted(), findings.len());
    let url = Some("https://example.org/r");
    assert_eq!(
        kept(&mut p, &text, &findings, Encoding::Utf8, carry(url)),
        fresh(&text, &findings, Encoding::Utf8, carry(url))
    );
    assert_eq!(p.converted(), findings.len());
    // Unchanged: nothing converted, nothing written again.
    assert_eq!(
        kept(&mut p, &text, &findings, Encoding::Utf8, carry(url)),
        fresh(&text, &findings, Encoding::Utf8, carry(url))
    );
    let foreign = findings
        .iter()
        .filter(|f| f.related.iter().any(|r| r.path.is_some()))
        .count();
    assert_eq!(p.converted(), foreign);
    assert_eq!(p.rewritten(), 0);
    // Related places no longer carried (another client's capabilities): anew.
    let bare = Carry {
        docs_url: url,
        related: false,
    };
    assert_eq!(
        kept(&mut p, &text, &findings, Encoding::Utf8, bare),
        fresh(&text, &findings, Encoding::Utf8, bare)
    );
    assert_eq!(p.converted(), findings.len());
}

/// A one-character edit in a megabyte converts the diagnostics with a position on the
/// edited line(s) (their own or a related place's) and those with a related place in
/// another document; every other one is taken from the last publication.
#[test]
fn an_edit_in_a_megabyte_converts_only_its_lines() {
    let mut text = String::new();
    let mut n = 0;
    while text.len() < 1 << 20 {
        let brk = if n % 3 == 0 { "\r\n" } else { "\n" };
        text.push_str(&format!(
            "Line {n}: Shtykov met Kim Il-sung in Pyongyang — 日本 😀 on 17 April 1949.{brk}"
        ));
        n += 1;
    }
    let line_starts = |t: &str| -> Vec<usize> {
        std::iter::once(0)
            .chain(t.match_indices(['\n']).map(|(i, _)| i + 1))
            .collect()
    };
    let mut starts = line_starts(&text);
    let mut findings = Vec::new();
    for (k, &s) in starts.iter().enumerate().step_by(7) {
        let word = text[s..].find("Shtykov").map(|i| s + i).unwrap_or(s);
        let mut f = Finding::new(
            "name-variant",
            Severity::Warning,
            Span::new(word, word + 7),
            "spelt two ways",
        );
        if k % 5 == 0 && k >= 700 {
            let back = starts[k - 700] + 10;
            f = f.with_related(Span::new(back, back + 4), "the other spelling");
        }
        findings.push(f);
    }
    annalist::finding::sort(&mut findings);
    let enc = Encoding::Utf16;
    let mut p = Published::default();
    kept(&mut p, &text, &findings, enc, carry(None));
    assert_eq!(p.converted(), findings.len());
    assert!(findings.len() > 1500, "{}", findings.len());

    // (line, typed, deleted bytes at the start of the edit); after the line break, the
    // lines below are one further down.
    let edits: &[(usize, &str, usize)] = &[
        (7000, "x", 0),
        (7700, "é", 0),
        (9100, "\n", 0),
        (12601, "", 1),
    ];
    for &(line, ins, del) in edits {
        let at = starts[line] + 20;
        // The lines the edit touches, in the old text.
        let last = starts.partition_point(|&s| s <= at + del) - 1;
        let (lo, hi) = (
            starts[line],
            starts.get(last + 1).copied().unwrap_or(usize::MAX),
        );
        let on_edit = |o: usize| (lo..hi).contains(&o);
        let touching = findings
            .iter()
            .filter(|f| {
                std::iter::once(f.span)
                    .chain(f.related.iter().map(|r| r.span))
                    .any(|s| on_edit(s.start) || on_edit(s.end))
            })
            .count();
        assert!(touching >= 1, "the edit of line {line} touches a finding");
        text.replace_range(at..at + del, ins);
        for f in &mut findings {
            for s in std::iter::once(&mut f.span).chain(f.related.iter_mut().map(|r| &mut r.span)) {
                *s = map_span(*s, at, at + del, ins.len()).expect("no span inside the edit");
            }
        }
        let got = kept(&mut p, &text, &findings, enc, carry(None));
        assert_eq!(p.converted(), touching, "line {line}");
        // No line moved: no diagnostic below the edit is written again (its bytes
        // hold positions, not offsets).
        if !ins.contains('\n') {
            assert_eq!(p.rewritten(), 0, "line {line}");
        } else {
            assert!(p.rewritten() > 0, "line {line}");
        }
        assert!(
            got == fresh(&text, &findings, enc, carry(None)),
            "line {line}"
        );
        starts = line_starts(&text);
    }
}
