//! Property tests of the document model and of position conversions.
//!
//! - Any sequence of incremental edits gives the same text, the same trees (block and
//!   inline, with node ranges), the same Markdown model and the same findings as
//!   opening the final text fresh.
//! - Position conversions round-trip for arbitrary Unicode (non-BMP, Hangul,
//!   Cyrillic, ŏ, CRLF, lone CR) in UTF-8, UTF-16 and chars, and the rope and the line
//!   index agree on every position, in range or not.
//!
//! - Any sequence of edits analysed version after version with one `Reuse` (the
//!   editor's incremental analysis: facts kept per block) gives, at every version, the
//!   facts and findings of a fresh analysis — with fragments that change what other
//!   blocks mean (an earlier year, a note definition, a quotation mark, a block quote).
//!
//! Case counts are moderate (CI has 2 cores); raise them with PROPTEST_CASES.

use annalist::analysis::{Context, Knowledge, Reuse, analyze, analyze_str};
use annalist::config::Config;
use annalist::document::Document;
use annalist::finding::Span;
use annalist::markdown::MdModel;
use annalist::position::{Encoding, LineCol, LineIndex, measure, rope_offset};
use proptest::prelude::*;
use std::sync::{Arc, OnceLock};

/// Fragments that make Markdown structure appear and disappear under edits.
const FRAGMENTS: &[&str] = &[
    "# ",
    "## ",
    "> ",
    "- ",
    "1. ",
    "* ",
    "```\n",
    "~~~",
    "`",
    "``",
    "*",
    "_",
    "**",
    "[",
    "]",
    "(",
    ")",
    "[^1]",
    "[^n]: note\n",
    "^[inline]",
    "(1)",
    "[2]",
    "¹",
    "<sup>3</sup>",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    " ",
    "    ",
    "\t",
    "ŏ",
    "서울",
    "😀",
    "𠀀",
    "Сталин",
    "Kim Il-sung",
    "25 June 1950",
    "<!-- c -->",
    "<div>",
    "http://x.org/a",
    "www.x.org",
    "---\n",
    "+++\n",
    "|a|b|\n|-|-|\n",
    "===\n",
    "text",
    "word ",
    ".",
    "\\",
    "&amp;",
    "<",
    ">",
    "$x$",
    "\u{feff}",
    "\u{200b}",
    "\0",
    // What other blocks read: a year dates after it inherit, a date without one, a
    // note's definition, quotation marks, a Soviet document's numeric date.
    "In 1947 ",
    "17 January ",
    "[^1]: A note.\n",
    "“",
    "”",
    "\n\n> ",
    " 29.8.50 Moscow ",
];

fn fragment_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::sample::select(FRAGMENTS).prop_map(String::from),
            1 => any::<char>().prop_map(String::from),
        ],
        0..40,
    )
    .prop_map(|v| v.concat())
}

/// An edit as fractions of the current text (so it always lands inside it):
/// start, length, replacement.
#[derive(Clone, Debug)]
struct EditSpec {
    start: f64,
    len: f64,
    text: String,
    /// Apply with `edit_deferred` and reparse later (true) or `apply_edits` now.
    deferred: bool,
}

fn edit_spec() -> impl Strategy<Value = EditSpec> {
    (
        0.0..=1.0f64,
        prop_oneof![2 => Just(0.0), 3 => 0.0..0.3f64],
        prop_oneof![1 => Just(String::new()), 4 => fragment_text()],
        any::<bool>(),
    )
        .prop_map(|(start, len, text, deferred)| EditSpec {
            start,
            len,
            text,
            deferred,
        })
}

/// Char-boundary byte span of an edit on `text`.
fn span_of(text: &str, e: &EditSpec) -> Span {
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    let pick = |f: f64| {
        let i = ((bounds.len() - 1) as f64 * f.clamp(0.0, 1.0)).round() as usize;
        bounds[i.min(bounds.len() - 1)]
    };
    let start = pick(e.start);
    let end = pick((e.start + e.len).min(1.0)).max(start);
    Span::new(start, end)
}

fn model_dump(m: &MdModel) -> String {
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}",
        m.front_matter, m.blocks, m.headings, m.skip
    )
}

fn knowledge() -> &'static Knowledge {
    static K: OnceLock<Knowledge> = OnceLock::new();
    K.get_or_init(Knowledge::embedded)
}

fn findings_dump(text: &str, md: Option<Arc<MdModel>>) -> String {
    let config = Config::default();
    let a = analyze(
        Arc::from(text),
        md,
        &Context {
            config: &config,
            knowledge: knowledge(),
        },
    );
    format!("{:?}", a.findings)
}

fn check_against_fresh(doc: &Document, expected: &str) -> Result<(), TestCaseError> {
    prop_assert_eq!(&**doc.text(), expected, "text");
    prop_assert_eq!(doc.rope().to_string(), expected, "rope");
    let fresh = Document::new(expected, 1);
    prop_assert_eq!(
        doc.chunk_spans().collect::<Vec<_>>(),
        fresh.chunk_spans().collect::<Vec<_>>(),
        "chunks of {:?}",
        expected
    );
    prop_assert_eq!(
        model_dump(doc.md()),
        model_dump(fresh.md()),
        "Markdown model (edited vs fresh) of {:?}",
        expected
    );
    prop_assert_eq!(
        model_dump(doc.md()),
        model_dump(&MdModel::parse(expected)),
        "Markdown model (chunked vs whole) of {:?}",
        expected
    );
    prop_assert_eq!(
        findings_dump(expected, Some(doc.md().clone())),
        format!("{:?}", analyze_str(expected).findings),
        "findings of {:?}",
        expected
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(256),
        max_shrink_iters: 2000,
        ..ProptestConfig::default()
    })]

    #[test]
    fn incremental_edits_equal_a_fresh_parse(
        initial in fragment_text(),
        edits in prop::collection::vec(edit_spec(), 1..12),
    ) {
        let mut expected = initial.clone();
        let mut doc = Document::new(&initial, 1);
        let mut pending = false;
        for e in &edits {
            let span = span_of(&expected, e);
            expected.replace_range(span.start..span.end, &e.text);
            if e.deferred {
                doc.edit_deferred(span, &e.text);
                pending = true;
            } else {
                // apply_edits reparses, covering any deferred edits before it.
                doc.apply_edits(&[(span, e.text.clone())]);
                pending = false;
            }
        }
        if pending {
            doc.reparse();
        }
        check_against_fresh(&doc, &expected)?;
    }

    #[test]
    fn out_of_range_edits_are_clamped_never_panic(
        initial in fragment_text(),
        edits in prop::collection::vec((any::<usize>(), any::<usize>(), fragment_text()), 1..6),
    ) {
        let mut doc = Document::new(&initial, 1);
        for (a, b, t) in &edits {
            doc.apply_edits(&[(Span::new(*a % (initial.len() + 8), *b % (initial.len() + 8)), t.clone())]);
        }
        let text = doc.text().to_string();
        check_against_fresh(&doc, &text)?;
    }
}

/// Text made of the characters positions get wrong.
fn tricky_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => prop::sample::select(&[
                "a", "ŏ", "서", "울", "😀", "𠀀", "С", "т", "\r\n", "\r", "\n", " ", "\u{feff}",
                "\u{2028}", "\u{85}", "é", "e\u{301}", "\u{10FFFF}",
            ][..]).prop_map(String::from),
            1 => any::<char>().prop_map(String::from),
        ],
        0..60,
    )
    .prop_map(|v| v.concat())
}

const ENCODINGS: [Encoding; 3] = [Encoding::Utf8, Encoding::Utf16, Encoding::Chars];

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(256),
        ..ProptestConfig::default()
    })]

    #[test]
    fn positions_round_trip(text in tricky_text()) {
        let idx = LineIndex::new(&text);
        let rope = ropey::Rope::from_str(&text);
        // LSP's lines are ropey's lines (with cr_lines, without unicode_lines).
        prop_assert_eq!(idx.line_count(), rope.len_lines());
        let offsets = text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len()));
        for off in offsets {
            for enc in ENCODINGS {
                let p = idx.position(&text, off, enc);
                let (start, end) = idx.line_content(&text, p.line as usize);
                // The column counts exactly the units before the offset on its line.
                let prefix = &text[start..off.min(end).max(start)];
                prop_assert_eq!(p.col as usize, measure(prefix, enc));
                let back = idx.offset(&text, p, enc);
                if off <= end {
                    prop_assert_eq!(back, off, "{:?} {:?} {:?}", off, enc, p);
                } else {
                    // On a line terminator: the end of the line's content.
                    prop_assert_eq!(back, end);
                }
                prop_assert_eq!(rope_offset(&rope, p, enc), back);
            }
            // The encodings agree on where the offset is.
            let u16 = idx.position(&text, off, Encoding::Utf16);
            let ch = idx.position(&text, off, Encoding::Chars);
            prop_assert_eq!(u16.line, ch.line);
            prop_assert_eq!(
                idx.offset(&text, u16, Encoding::Utf16),
                idx.offset(&text, ch, Encoding::Chars)
            );
        }
    }

    #[test]
    fn any_position_maps_to_a_boundary_inside_the_text(
        text in tricky_text(),
        line in 0u32..12,
        col in prop_oneof![0u32..80, Just(u32::MAX)],
    ) {
        let idx = LineIndex::new(&text);
        let rope = ropey::Rope::from_str(&text);
        for enc in ENCODINGS {
            let p = LineCol { line, col };
            let o = idx.offset(&text, p, enc);
            prop_assert!(o <= text.len());
            prop_assert!(text.is_char_boundary(o), "{} not a boundary", o);
            prop_assert_eq!(rope_offset(&rope, p, enc), o, "rope and index disagree at {:?} {:?}", p, enc);
            // And back: a position that exists maps to itself or clamps down.
            let q = idx.position(&text, o, enc);
            prop_assert!(q.line <= line && (q.line < line || q.col <= col));
        }
    }

    #[test]
    fn any_byte_offset_is_safe(text in tricky_text(), off in 0usize..400) {
        let idx = LineIndex::new(&text);
        for enc in ENCODINGS {
            let p = idx.position(&text, off, enc);
            let o = idx.offset(&text, p, enc);
            prop_assert!(o <= text.len() && text.is_char_boundary(o));
        }
    }
}

fn facts_dump(a: &annalist::analysis::Analysis) -> String {
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}",
        a.mentions, a.dates, a.claims, a.findings
    )
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(96),
        max_shrink_iters: 500,
        ..ProptestConfig::default()
    })]

    #[test]
    fn reusing_analyses_equal_fresh_ones_at_every_version(
        initial in fragment_text(),
        edits in prop::collection::vec(edit_spec(), 1..8),
    ) {
        let config = Config::default();
        let ctx = Context { config: &config, knowledge: knowledge() };
        let place = annalist::citations::Place::default();
        let reuse = Reuse::default();
        let mut text = initial.clone();
        for e in std::iter::once(None).chain(edits.iter().map(Some)) {
            if let Some(e) = e {
                let span = span_of(&text, e);
                text.replace_range(span.start..span.end, &e.text);
            }
            let arc: Arc<str> = Arc::from(text.as_str());
            let kept = annalist::analysis::analyze_reusing(
                arc.clone(), None, &ctx, &place, None, &reuse,
            );
            let fresh = analyze(arc, None, &ctx);
            prop_assert_eq!(facts_dump(&kept), facts_dump(&fresh), "facts of {:?}", text);
        }
    }
}
