//! The scan kept in parts equals the whole scan after random edits (`kept.rs`).

use super::*;
use crate::markdown::MdModel;
use crate::memo::Unchanged;

/// SplitMix64: reproducible, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Paragraphs with every kind of marker, definition and Notes section, and what
/// the scan's reads cross: escapes, link tails, `[ref]`s, tags, code, quotes, lists.
const PIECES: &[&str] = &[
    "Some text here.[^1] More text follows it.[^a] And a last sentence of the paragraph.\n\n",
    "A sentence ends. (3) And another one ends here.(4)\n\n",
    "Super¹ and the next.² here, and ³.\n\n",
    "A tag.<sup>5</sup> Text goes on.<sup><a href=\"#fn5\">[5]</a></sup>\n\n",
    "Inline ^[a note with [brackets] inside] here, and ^[another\none] too.\n\n",
    "[^x](http://link.org) and [^y][ref] and [3] and \\[^z] and \\\\[^w].\n\n",
    "[ref]: http://example.com\n\n",
    "```\ncode [^1] (2) ^[x]\n```\n\n",
    "> quoted.[^2] text (7)\n> more.[6]\n\n",
    "- item one.[^3]\n- item (2) two\n\n",
    "[^1]: Definition one.\n    continued [^2] (4) ^[in a def]\n\n",
    "[^a]: Def a with `code [^9]` and <b>tag</b>.\n\n",
    "# Heading\n\n",
    "## Notes\n\n1. First note.\n2. Second note.\n3. Third.\n\n",
    "1. Enumerated. 2. Items (1) (2).\n\n",
    "See http://example.com/a_(1) and www.x.org/[^5] here.\n\n",
    "Words words words and more words, written to make the paragraph longer than most. \
     Words words words and more words, written to make the paragraph longer.(2)\n\n",
    "Line one\r\nLine two.[^1]\r\n\r\n",
    "<div>\nhtml [^1] (3)\n</div>\n\n",
    "A link [text](http://a.org/(1) \"title\n(2)\") after.[^b]\n\n",
];

const SNIPPETS: &[&str] = &[
    "[",
    "]",
    "^",
    "(",
    ")",
    "1",
    "3",
    "\n",
    "\n\n",
    " ",
    "\\",
    "¹",
    "<sup>",
    "</sup>",
    "[^1]",
    "^[",
    "[ref]: http://e.org\n",
    "## Notes\n\n1. x\n",
    "```\n",
    "x",
    "[^9]: new\n",
    "> ",
    "    ",
    ".",
    "\"",
    "*",
];

fn document(rng: &mut Rng, bytes: usize) -> String {
    let mut s = String::new();
    while s.len() < bytes {
        s.push_str(PIECES[rng.below(PIECES.len())]);
    }
    s
}

fn boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn edit(rng: &mut Rng, text: &mut String) {
    let at = boundary(text, rng.below(text.len() + 1));
    if rng.below(3) == 0 && at < text.len() {
        let end = boundary(text, (at + 1 + rng.below(6)).min(text.len()));
        let end = if end <= at {
            at + text[at..].chars().next().map_or(0, char::len_utf8)
        } else {
            end
        };
        text.replace_range(at..end, "");
    } else {
        text.insert_str(at, SNIPPETS[rng.below(SNIPPETS.len())]);
    }
}

fn same(text: &str, kept: &ScanMemo, last: &str) -> usize {
    let md = MdModel::parse(text);
    let before = kept.scanned();
    kept.begin(Unchanged::between(last, text));
    let reused = analyze_reusing(text, &md, kept);
    let fresh = analyze(text, &md);
    assert_eq!(
        format!("{reused:?}"),
        format!("{fresh:?}"),
        "notes differ from a fresh analysis ({} bytes, last edit at {})",
        text.len(),
        Unchanged::between(last, text).prefix()
    );
    kept.scanned() - before
}

#[test]
fn parts_kept_across_random_edits_equal_the_whole_scan() {
    for seed in 1..=6 {
        let mut rng = Rng(seed);
        let mut text = document(&mut rng, 12_000 + 3_000 * seed as usize);
        let kept = ScanMemo::default();
        let mut last = String::new();
        let first = same(&text, &kept, &last);
        assert_eq!(first, text.len());
        let mut scanned = 0;
        for _ in 0..60 {
            last = text.clone();
            edit(&mut rng, &mut text);
            scanned += same(&text, &kept, &last);
        }
        // Most of each version was found, not scanned (the link labels or the Notes
        // sections' numbers change now and then: then all of it is).
        assert!(
            scanned < 60 * text.len() / 2,
            "seed {seed}: {scanned} bytes scanned"
        );
    }
}

#[test]
fn a_version_begun_and_never_scanned_finds_nothing_kept() {
    let mut rng = Rng(9);
    let text = document(&mut rng, 10_000);
    let kept = ScanMemo::default();
    same(&text, &kept, "");
    // A version begun (its analysis failed before the scan), then the next one:
    // what is kept is of the version before both.
    let other = format!("{}x{}", &text[..50], &text[50..]);
    kept.begin(Unchanged::between(&text, &other));
    let third = format!("{}y{}", &other[..5000], &other[5000..]);
    let n = same(&third, &kept, &other);
    assert_eq!(n, third.len());
}
