//! The fact passes on the editor's path (issue #14): the notes, the dates (their
//! inferred years) and the claims of each version analysed with one [`Reuse`] are
//! exactly a fresh analysis's, through edits that change what other blocks mean (a
//! note marker or definition added, removed or renumbered, a year that changes later
//! dates' inferred years, a quotation or a citation that changes the claims); and a
//! keystroke re-reads only a few blocks per pass (counted, not timed).

mod common;

use annalist::analysis::{Analysis, Context, Knowledge, Reuse};
use annalist::config::Config;
use common::{fresh, reusing};

fn assert_same(a: &Analysis, b: &Analysis, what: &str) {
    // Notes and layers have no `PartialEq`: their debug forms hold every field.
    assert_eq!(
        format!("{:?}", a.notes),
        format!("{:?}", b.notes),
        "notes after {what}"
    );
    assert_eq!(a.layers, b.layers, "layers after {what}");
    assert_eq!(a.dates, b.dates, "dates after {what}");
    assert_eq!(a.claims, b.claims, "claims after {what}");
    assert_eq!(a.mentions, b.mentions, "mentions after {what}");
    assert_eq!(a.findings, b.findings, "findings after {what}");
}

/// A secondary text with footnotes, a dateline, inferred years, quotations, dated
/// statements and an author–date citation.
const DOC: &str = "\
# Report

Seoul, June 26, 1950

On June 25 the embassy informed Washington of the attack.[^1] On June 27 Truman \
announced that American forces would help.

Later, on July 2, Acheson said that “the Soviet Union is behind it all” in a \
cable.[^2]

On 3 August the Politburo rejected the proposal (Smith 1990).

Kim told the ambassador on August 4 that “we will be in Pusan within a month” and \
left.

On September 15 the marines landed at Inchon.

## Notes

[^1]: FRUS 1950, vol. 7, p. 125.
[^2]: Telegram 1234, July 2.
";

/// Each edit is (what it finds, what replaces it, what it is): applied in turn to the
/// text of the last version, each step checked against a fresh analysis.
const EDITS: &[(&str, &str, &str)] = &[
    // Notes: a marker added, removed, renumbered; a definition added and removed.
    (
        "would help.",
        "would help.[^3]",
        "a marker with no definition added",
    ),
    (
        "[^2]: Telegram",
        "[^3]: A new note.\n[^2]: Telegram",
        "its definition added",
    ),
    ("would help.[^3]", "would help.", "the marker removed"),
    ("[^3]: A new note.\n", "", "the definition removed"),
    ("attack.[^1]", "attack.[^9]", "a marker renumbered"),
    ("[^1]: FRUS", "[^9]: FRUS", "its definition renumbered"),
    ("cable.[^2]", "cable.", "a covering marker removed"),
    ("cable.", "cable.[^2]", "and put back"),
    // Dates: the dateline's year changes every later inferred year; a year written
    // before a date changes the years inferred after it.
    ("June 26, 1950", "June 26, 1951", "the dateline's year"),
    (
        "Later, on July 2,",
        "Later, in 1949, on July 2,",
        "a year before a date",
    ),
    (
        "On 3 August",
        "On 3 August 1952",
        "a year written with a date",
    ),
    ("On 3 August 1952", "On 3 August", "and taken out"),
    (
        "Later, in 1949, on July 2,",
        "Later, on July 2,",
        "the year before removed",
    ),
    (
        "June 26, 1951",
        "June 26, 1950",
        "the dateline's year put back",
    ),
    ("Seoul, June 26, 1950\n", "", "the dateline removed"),
    (
        "# Report\n",
        "# Report\n\nSeoul, June 26, 1950\n",
        "and put back",
    ),
    // Claims: a quotation made and unmade, a citation that covers a claim.
    (
        "help.",
        "help, saying “this is a line we hold”.",
        "a quotation added",
    ),
    (
        "“this is a line we hold”",
        "this is a line we hold",
        "its marks removed",
    ),
    (
        "in Pusan within a month” and left.",
        "in Pusan within a month” and left (Kim 1951).",
        "a citation",
    ),
    (" (Kim 1951)", "", "the citation removed"),
    (
        "landed at Inchon.",
        "landed at Inchon, said “we land at dawn”.",
        "a quotation at the end",
    ),
    ("the marines", "the Marines", "one character in the claim"),
    (
        "\n\n## Notes",
        "\n\n> “A block quotation with no source at all.”\n\n## Notes",
        "a block quote",
    ),
    ("## Notes", "## Sources", "the notes heading"),
    ("## Sources", "## Notes", "and back"),
];

#[test]
fn each_version_equals_a_fresh_analysis() {
    let config = Config::default();
    let knowledge = Knowledge::embedded();
    let ctx = Context {
        config: &config,
        knowledge: &knowledge,
    };
    let reuse = Reuse::default();
    let mut text = DOC.to_string();
    assert_same(
        &reusing(&text, &ctx, &reuse),
        &fresh(&text, &ctx),
        "the first version",
    );
    let first = fresh(&text, &ctx);
    // The document has what the edits change.
    assert!(first.notes.markers.len() >= 2 && first.notes.definitions.len() >= 2);
    assert!(first.dates.iter().any(|d| d.inferred_year));
    assert!(first.claims.len() >= 3, "{:?}", first.claims);
    for (find, replace, what) in EDITS {
        let at = text
            .find(find)
            .unwrap_or_else(|| panic!("{what}: {find:?} not in the text"));
        text.replace_range(at..at + find.len(), replace);
        assert_same(&reusing(&text, &ctx, &reuse), &fresh(&text, &ctx), what);
    }
    // Typing: each character of a new sentence, then each deleted.
    let sentence = " On 5 October 1950 Stalin wrote that “the time has come to act”.[^1]";
    let at = text.find("left.").map(|i| i + "left.".len()).unwrap_or(0);
    for k in 1..=sentence.len() {
        if !sentence.is_char_boundary(k) {
            continue;
        }
        let t = format!("{}{}{}", &text[..at], &sentence[..k], &text[at..]);
        let what = format!("typing {:?}", &sentence[..k]);
        assert_same(&reusing(&t, &ctx, &reuse), &fresh(&t, &ctx), &what);
    }
}

/// The fixture of endnotes and inferred years, each paragraph cut in turn and put back:
/// the endnotes (numbers resolved against the Notes section) and the years.
#[test]
fn cutting_each_paragraph_of_the_endnotes_fixture() {
    let config = Config::default();
    let knowledge = Knowledge::embedded();
    let ctx = Context {
        config: &config,
        knowledge: &knowledge,
    };
    let text = std::fs::read_to_string(common::fixture("bajanov-1995.md")).expect("fixture");
    let reuse = Reuse::default();
    reusing(&text, &ctx, &reuse);
    let cuts: Vec<usize> = text.match_indices("\n\n").map(|(i, _)| i).collect();
    assert!(cuts.len() > 20, "{}", cuts.len());
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let cut = format!("{}{}", &text[..a], &text[b..]);
        assert_same(
            &reusing(&cut, &ctx, &reuse),
            &fresh(&cut, &ctx),
            &format!("cutting bytes {a}..{b}"),
        );
        assert_same(
            &reusing(&text, &ctx, &reuse),
            &fresh(&text, &ctx),
            &format!("putting bytes {a}..{b} back"),
        );
    }
}

/// A keystroke in a middle paragraph of a large document re-reads a few blocks per
/// fact pass, not the document's hundreds.
#[test]
fn a_keystroke_rereads_a_few_blocks_per_pass() {
    let config = Config::default();
    let knowledge = Knowledge::embedded();
    let ctx = Context {
        config: &config,
        knowledge: &knowledge,
    };
    let text = common::big_document(200_000);
    let reuse = Reuse::default();
    let first = reusing(&text, &ctx, &reuse);
    let blocks = first.md.blocks.len();
    assert!(blocks > 300, "{blocks}");
    let (m0, d0, c0, _) = reuse.computed();
    // Every block of the first version was read.
    assert!(d0 > 100 && c0 > 100 && m0 > 100, "{m0} {d0} {c0}");
    let mid = first
        .md
        .blocks
        .iter()
        .skip(blocks / 2)
        .find(|b| b.kind == annalist::markdown::BlockKind::Paragraph)
        .map(|b| b.content.start + 3)
        .unwrap_or(0);
    let mut last = reuse.computed();
    for (k, ch) in ["x", "y", "z"].iter().enumerate() {
        let at = mid + k;
        let edited = format!("{}{}{}", &text[..at], ch, &text[at..]);
        let a = reusing(&edited, &ctx, &reuse);
        let now = reuse.computed();
        let (m, d, c) = (now.0 - last.0, now.1 - last.1, now.2 - last.2);
        // One paragraph read again by each pass (the claims: its claims, its sources
        // named in prose, its quotations).
        assert!(m <= 2, "mentions re-read {m} blocks");
        assert!(d <= 2, "dates re-read {d} blocks");
        assert!((1..=6).contains(&c), "claims re-read {c} paragraphs");
        assert_same(&a, &fresh(&edited, &ctx), &format!("keystroke {k}"));
        last = now;
    }
}
