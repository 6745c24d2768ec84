//! The editor's incremental analysis (issue #14): a document analysed version after
//! version with one [`Reuse`] gives, at every version, exactly what a fresh analysis
//! of that text gives; and an edit recomputes only the blocks it touched (counted, not
//! timed).

mod common;

use annalist::analysis::{Analysis, Context, Knowledge, Reuse};
use annalist::config::Config;
use common::{fresh, reusing};

fn assert_same(a: &Analysis, b: &Analysis, what: &str) {
    assert_eq!(a.mentions, b.mentions, "mentions after {what}");
    assert_eq!(a.dates, b.dates, "dates after {what}");
    assert_eq!(a.claims, b.claims, "claims after {what}");
    assert_eq!(a.findings, b.findings, "findings after {what}");
}

/// A deterministic generator (the test must not depend on a seed's luck): proptest's.
struct Rng(proptest::test_runner::TestRng);
impl Rng {
    fn new() -> Rng {
        use proptest::test_runner::{RngAlgorithm, TestRng};
        Rng(TestRng::deterministic_rng(RngAlgorithm::ChaCha))
    }

    /// A number below `n` (0 when `n` is 0).
    fn next(&mut self, n: usize) -> usize {
        use proptest::prelude::RngExt;
        self.0.random_range(0..n.max(1))
    }
}

fn char_floor(t: &str, mut i: usize) -> usize {
    while i > 0 && !t.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Edits an editor makes, and the ones that change what other blocks mean: a year
/// written earlier (inferred years), "Moscow" (numeric dates of Soviet documents), a
/// note marker or definition, a block quote, front matter that defines an entity.
const INSERTS: &[&str] = &[
    "x",
    " ",
    "\n\n",
    "\n",
    "In 1947 ",
    " on 29.8.50 in Moscow ",
    " Kim Il Sung ",
    "[^1]",
    "\n\n[^1]: A note.\n\n",
    "\n\n> “A quotation,” he said.\n\n",
    "Seoul",
    "Sŏul",
    "\n\n## Notes\n\n",
    // Names: a variant that changes the preferred spelling of a group in other
    // blocks, an OCR-damaged name, a sentence's first word that counts only if another
    // block writes it mid-sentence, a gloss and two forms joined across blocks.
    " Kim Il-sŏng met Kim Il-sŏng and Kim Il-sŏng. ",
    " Receiving Kim II Sung in the Kremlin. ",
    "\n\nHsu Hsiang-ch’ien left. Then Hsu ",
    " Pak Heon-yeong [Pak Hon Yong] ",
    " Ch’en Yi\n\nor ",
    // A fold first written another way (the group's spelling is the first form), a
    // name whose preferred spelling flips when one block writes it a third time, and
    // an unlisted Russian pair.
    "SEOUL ",
    " Sŏul, Sŏul and Sŏul. ",
    " Tchistiakov and Chistyakov. ",
];

fn edit(t: &str, rng: &mut Rng) -> String {
    let at = char_floor(t, rng.next(t.len() + 1));
    match rng.next(4) {
        0 => {
            // Delete up to 40 bytes.
            let end = char_floor(t, (at + rng.next(40)).min(t.len()));
            format!("{}{}", &t[..at], &t[end.max(at)..])
        }
        _ => {
            let ins = INSERTS[rng.next(INSERTS.len())];
            format!("{}{}{}", &t[..at], ins, &t[at..])
        }
    }
}

#[test]
fn every_version_is_analysed_as_a_fresh_analysis_would() {
    let config = Config::default();
    let knowledge = Knowledge::embedded();
    let ctx = Context {
        config: &config,
        knowledge: &knowledge,
    };
    let mut texts: Vec<String> = vec![
        std::fs::read_to_string(common::fixture("bajanov-1995.md")).expect("fixture"),
        common::big_document(60_000),
    ];
    let real = common::fixture("real");
    let mut names: Vec<_> = std::fs::read_dir(&real)
        .expect("fixtures/real")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    names.sort();
    for p in names.iter().take(8) {
        texts.push(std::fs::read_to_string(p).expect("real fixture"));
    }
    // Front matter that defines an entity, then changes it: the kept mentions must go.
    texts.push(
        "---\nentities:\n  - id: x-pak\n    kind: person\n    preferred: Pak Tal\n---\n\nPak Tal went to Seoul on 3 May 1949.\n\nPak Tal wrote again.\n"
            .to_string(),
    );
    let mut rng = Rng::new();
    for (k, start) in texts.iter().enumerate() {
        let reuse = Reuse::default();
        let mut t = start.clone();
        assert_same(&reusing(&t, &ctx, &reuse), &fresh(&t, &ctx), "opening");
        let rounds = if t.len() > 50_000 { 6 } else { 14 };
        for round in 0..rounds {
            t = edit(&t, &mut rng);
            let what = format!("edit {round} of text {k}");
            assert_same(&reusing(&t, &ctx, &reuse), &fresh(&t, &ctx), &what);
        }
    }
    // The front matter's entity renamed: mentions of the old name are gone.
    let reuse = Reuse::default();
    let a = "---\nentities:\n  - id: x-pak\n    kind: person\n    preferred: Pak Tal\n---\n\nPak Tal went.\n";
    let b = a.replace("preferred: Pak Tal", "preferred: Pak Tol");
    assert_same(&reusing(a, &ctx, &reuse), &fresh(a, &ctx), "front matter");
    assert_same(
        &reusing(&b, &ctx, &reuse),
        &fresh(&b, &ctx),
        "front matter changed",
    );
}

#[test]
fn an_edit_recomputes_only_the_blocks_it_touches() {
    let config = Config::default();
    let knowledge = Knowledge::embedded();
    let ctx = Context {
        config: &config,
        knowledge: &knowledge,
    };
    let text = common::big_document(200_000);
    let reuse = Reuse::default();
    let opened = reusing(&text, &ctx, &reuse);
    let (m0, d0, c0, n0) = reuse.computed();
    let j0 = reuse.names_joined();
    let r0 = reuse.names_rejudged();
    assert!(r0 > 5, "the first version judges every entity ({r0})");
    assert!(j0 > 20, "the first version joins every block ({j0})");
    assert!(
        m0 > 20 && d0 > 20 && c0 > 20 && n0 > 20,
        "the first version reads every distinct block ({m0}, {d0}, {c0}, {n0})"
    );
    // One character typed in the middle of a paragraph.
    let mid = opened
        .md
        .blocks
        .get(opened.md.blocks.len() / 2)
        .map(|b| b.content.start + 3)
        .expect("blocks");
    let edited = format!("{}x{}", &text[..mid], &text[mid..]);
    reusing(&edited, &ctx, &reuse);
    let (m1, d1, c1, n1) = reuse.computed();
    // The names rules' words and n-grams: the edited block, and the one before it
    // (whose key holds the text that follows it, which its apparatus may read).
    assert!(
        m1 - m0 <= 2 && d1 - d0 <= 2 && c1 - c0 <= 6 && n1 - n0 <= 2,
        "an edit in one paragraph re-read {}, {}, {} and {} blocks",
        m1 - m0,
        d1 - d0,
        c1 - c0,
        n1 - n0
    );
    // The names rules' join of the n-grams: the contributions of those blocks
    // removed, and of their new versions added.
    let j1 = reuse.names_joined();
    assert!(
        j1 - j0 <= 4,
        "an edit in one paragraph updated the join by {} blocks",
        j1 - j0
    );
    // The names rules' judgements of the gazetteer's entities: only an entity whose
    // mentions the edit touched is judged again (its findings and its index entry).
    let r1 = reuse.names_rejudged();
    assert!(
        r1 - r0 <= 4,
        "an edit in one paragraph judged {} entities again",
        r1 - r0
    );
    // The same text again: nothing to read, nothing to join, nothing to judge.
    reusing(&edited, &ctx, &reuse);
    assert_eq!(reuse.computed(), (m1, d1, c1, n1));
    assert_eq!(reuse.names_joined(), j1);
    assert_eq!(reuse.names_rejudged(), r1);
}

/// Edits that change what the names rules find far from the edit: the last or first
/// occurrence of a spelling, the preferred spelling, OCR damage, the apparatus (a
/// gloss, [sic], an editor's note). Each version equals a fresh analysis, and an
/// entity whose mentions read the same is not judged again.
#[test]
fn names_findings_follow_edits_elsewhere() {
    let config = Config::default();
    let knowledge = Knowledge::embedded();
    let ctx = Context {
        config: &config,
        knowledge: &knowledge,
    };
    let mut t = std::fs::read_to_string(common::fixture("bajanov-1995.md")).expect("fixture");
    t.push_str(
        "\n\nThe army reached Seoul on 3 May 1950. Seoul fell.\n\n\
         Later Sŏul was taken. Kim Il Sung spoke. Kim Il-sŏng answered.\n\n\
         Receiving Kim II Sung in the Kremlin.[^70] Pak Heon-yeong led. Pak Hon Yong fled.\n\n\
         [^70]: Kim Il-sŏng, or Kim Il Sung, was premier.\n",
    );
    let reuse = Reuse::default();
    assert_same(&reusing(&t, &ctx, &reuse), &fresh(&t, &ctx), "opening");
    let opened = reuse.names_rejudged();
    assert!(
        opened > 2,
        "the first version judges every entity ({opened})"
    );
    // (what to replace, its replacement, which occurrence: 0 the first, 1 the last)
    let steps: &[(&str, &str, usize)] = &[
        // The last occurrence of a spelling goes, then a first one comes back.
        ("Later Sŏul", "Later Seoul", 0),
        ("The army reached Seoul", "The army reached Sŏul", 1),
        // Three more make the other spelling the majority.
        ("Seoul fell.", "Seoul fell. Sŏul, Sŏul and Sŏul.", 1),
        ("Sŏul, Sŏul and Sŏul.", "", 1),
        // OCR damage repaired, and made elsewhere.
        ("Kim II Sung in", "Kim Il Sung in", 0),
        ("Kim Il Sung spoke", "Kim II Sung spoke", 0),
        ("Kim II Sung spoke", "Kim Il Sung spoke", 0),
        // The apparatus: [sic], a gloss, the editor's note changed and gone.
        ("reached Sŏul", "reached Sŏul [sic]", 1),
        ("Pak Heon-yeong led", "Pak Heon-yeong [Pak Hon Yong] led", 0),
        ("Kim Il-sŏng, or Kim Il Sung, was", "Kim Il Sung was", 0),
        ("[^70]: Kim Il Sung was premier.\n", "", 0),
        ("[sic]", "", 0),
        // The first spelling of the document: a name written before all the others.
        ("## 1.", "Sŏul and Kim Il-sŏng.\n\n## 1.", 0),
        ("Sŏul and Kim Il-sŏng.\n\n", "", 0),
        // OCR damage the blocks hold: a suspect new to the document, one written in
        // lower case elsewhere (so no damage), its last lower-case word gone (damage
        // in a block the edit did not touch), then the suspect gone.
        (
            "Receiving Kim Il Sung in",
            "Receiving Kim II Sung and Shrykov in",
            0,
        ),
        ("The army reached", "Kirn saw it. The army reached", 1),
        ("Later", "The kirn was full. Later", 0),
        ("The kirn was full. ", "", 0),
        ("Kirn saw it. ", "", 0),
        ("and Shrykov ", "", 0),
    ];
    for (k, &(from, to, which)) in steps.iter().enumerate() {
        let at = if which == 0 {
            t.find(from)
        } else {
            t.rfind(from)
        };
        let at = at.unwrap_or_else(|| panic!("step {k}: {from:?} not in the text"));
        t.replace_range(at..at + from.len(), to);
        let what = format!("step {k} ({from:?} → {to:?})");
        let before = reuse.names_rejudged();
        assert_same(&reusing(&t, &ctx, &reuse), &fresh(&t, &ctx), &what);
        assert!(
            reuse.names_rejudged() - before < opened,
            "{what} judged every entity again"
        );
    }
    // Nothing changed: nothing judged.
    let before = reuse.names_rejudged();
    assert_same(
        &reusing(&t, &ctx, &reuse),
        &fresh(&t, &ctx),
        "the same text",
    );
    assert_eq!(reuse.names_rejudged(), before);
}

/// Edits that change what a block the edit did not touch means, made one after another
/// in one document (the fact passes find untouched blocks where they stood in the last
/// version, so each of these must still reach the blocks it changes): a year written
/// and removed before dates that inherit it, a note definition added and its marker's
/// label changed, a quotation's closing mark moved past a paragraph break, a paragraph
/// made a block quote and back, a code fence opened and closed around later blocks, a
/// paragraph cut and pasted elsewhere, the edit undone.
#[test]
fn edits_that_change_other_blocks_context_are_seen() {
    let config = Config::default();
    let knowledge = Knowledge::embedded();
    let ctx = Context {
        config: &config,
        knowledge: &knowledge,
    };
    let base = "# Report\n\nIn March 1949 Kim Il Sung went to Moscow.[^1]\n\nBy 1951 the army had moved.\n\nOn 17 January he wrote to Stalin, “we are ready” he said.\n\nOn 5 March the embassy replied.\n\n> A quoted paragraph of 3 May.\n\nThe end, on 29.8.50, came late.\n\n[^1]: A note of 1950.\n";
    type Step = Box<dyn Fn(&str) -> String>;
    let steps: Vec<Step> = vec![
        // A year's paragraph quoted: dates after it no longer inherit its year.
        Box::new(|t| t.replace("By 1951", "> By 1951")),
        Box::new(|t| t.replace("> By 1951", "By 1951")),
        Box::new(|t| t.replace("In March 1949", "In March 1951")),
        Box::new(|t| t.replace("In March 1951", "In March")),
        Box::new(|t| t.replace("In March Kim", "In March 1949 Kim")),
        Box::new(|t| t.replace("[^1]: A note of 1950.", "[^2]: A note of 1950.")),
        Box::new(|t| t.replace("[^2]: A note", "[^1]: A note")),
        Box::new(|t| t.replace("ready” he said.", "ready he said.")),
        Box::new(|t| t.replace("the embassy replied.", "the embassy” replied.")),
        Box::new(|t| t.replace("On 5 March the embassy", "> On 5 March the embassy")),
        Box::new(|t| t.replace("> On 5 March the embassy", "On 5 March the embassy")),
        Box::new(|t| t.replace("> A quoted", "A quoted")),
        Box::new(|t| t.replace("On 17 January", "```\nOn 17 January")),
        Box::new(|t| t.replace("The end,", "```\n\nThe end,")),
        Box::new(|t| t.replace("```\n\nThe end,", "The end,")),
        Box::new(|t| t.replace("```\nOn 17 January", "On 17 January")),
        Box::new(|t| t.replace("Moscow", "Washington")),
        Box::new(|t| {
            let p = "On 5 March the embassy” replied.\n\n";
            format!("{}{p}", t.replacen(p, "", 1))
        }),
        Box::new(|t| t.replacen("\n\n", "\n\n---\ntitle: x\n---\n\n", 1)),
        Box::new(|_| base.to_string()),
    ];
    let reuse = Reuse::default();
    let mut t = base.to_string();
    assert_same(&reusing(&t, &ctx, &reuse), &fresh(&t, &ctx), "opening");
    for (k, step) in steps.iter().enumerate() {
        let next = step(&t);
        assert_ne!(next, t, "step {k} changes the text");
        t = next;
        assert_same(
            &reusing(&t, &ctx, &reuse),
            &fresh(&t, &ctx),
            &format!("step {k}"),
        );
    }
}

/// A one-character edit anywhere in the 200 KB book — its first block, its last, a
/// deletion in the middle, typing twice in one paragraph — reads again a few blocks
/// at most in each fact pass (mentions, dates, claims), and every version equals a
/// fresh analysis.
#[test]
fn a_keystroke_anywhere_costs_the_fact_passes_a_few_blocks() {
    let config = Config::default();
    let knowledge = Knowledge::embedded();
    let ctx = Context {
        config: &config,
        knowledge: &knowledge,
    };
    let mut text = common::big_document(200_000);
    let reuse = Reuse::default();
    let opened = reusing(&text, &ctx, &reuse);
    let blocks: Vec<usize> = opened
        .md
        .prose_blocks()
        .filter(|b| b.content.len() > 8)
        .map(|b| b.content.start + 3)
        .collect();
    let first = *blocks.first().expect("blocks");
    let last = *blocks.last().expect("blocks");
    let mid = *blocks.get(blocks.len() / 2).expect("blocks");
    let edits: Vec<(usize, Option<char>)> = vec![
        (first, Some('x')),
        (last, Some('x')),
        (mid, None),
        (mid, Some('y')),
        (mid + 1, Some('z')),
    ];
    for (k, (at, c)) in edits.into_iter().enumerate() {
        let at = char_floor(&text, at);
        text = match c {
            Some(c) => format!("{}{c}{}", &text[..at], &text[at..]),
            None => {
                let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
                format!("{}{}", &text[..at], &text[end..])
            }
        };
        let (m0, d0, c0, _) = reuse.computed();
        let a = reusing(&text, &ctx, &reuse);
        let (m1, d1, c1, _) = reuse.computed();
        assert!(
            m1 - m0 <= 2 && d1 - d0 <= 2 && c1 - c0 <= 6,
            "edit {k} re-read {}, {} and {} blocks",
            m1 - m0,
            d1 - d0,
            c1 - c0
        );
        if k % 2 == 0 {
            assert_same(&a, &fresh(&text, &ctx), &format!("edit {k}"));
        }
    }
}

/// Edits that change what the names rules join over the whole document: the first
/// spelling of a fold in document order (whose marks the document's votes take), the
/// document's usual spelling of a name (a majority made and unmade), OCR damage made
/// and repaired. Each version equals a fresh analysis, and each edit reads again a
/// few blocks and updates the join by a few blocks' contributions.
#[test]
fn edits_to_the_documents_joins_are_exact_and_local() {
    let config = Config::default();
    let knowledge = Knowledge::embedded();
    let ctx = Context {
        config: &config,
        knowledge: &knowledge,
    };
    let mut text = common::big_document(120_000);
    let reuse = Reuse::default();
    let opened = reusing(&text, &ctx, &reuse);
    assert_same(&opened, &fresh(&text, &ctx), "opening");
    let starts: Vec<usize> = opened
        .md
        .prose_blocks()
        .filter(|b| b.content.len() > 8)
        .map(|b| b.content.start)
        .collect();
    let first = *starts.first().expect("blocks");
    let mid = *starts.get(starts.len() / 2).expect("blocks");
    let last = *starts.last().expect("blocks");
    // (where, what to insert, how many bytes to delete first)
    let steps: Vec<(usize, &str, usize)> = vec![
        // The first spelling of folds, before every other: capitals, marks.
        (first, "SEOUL, SŎUL and Kim Il-sŏng. ", 0),
        (first, "", "SEOUL, SŎUL and Kim Il-sŏng. ".len()),
        (first, "Seoul. ", 0),
        // A majority of one spelling made in the middle, then unmade.
        (
            mid,
            "Sŏul, Sŏul, Sŏul, Sŏul, Sŏul, Sŏul, Sŏul and Sŏul. ",
            0,
        ),
        (
            mid,
            "",
            "Sŏul, Sŏul, Sŏul, Sŏul, Sŏul, Sŏul, Sŏul and Sŏul. ".len(),
        ),
        // OCR damage made, repaired, and a suspect written in lower case elsewhere.
        (last, "Receiving Kim II Sung in the Kremlin. ", 0),
        (last + "Receiving Kim ".len(), "Il", 2),
        (mid, "Kirn spoke. ", 0),
        (first, "the kirn was full. ", 0),
    ];
    let mut shift: isize = 0;
    for (k, (at, insert, delete)) in steps.into_iter().enumerate() {
        // Places of later blocks move with earlier steps' text (first < mid < last).
        let at = if at > first {
            (at as isize + shift) as usize
        } else {
            at
        };
        let at = char_floor(&text, at.min(text.len()));
        let end = char_floor(&text, (at + delete).min(text.len()));
        text = format!("{}{}{}", &text[..at], insert, &text[end..]);
        if at == first {
            shift += insert.len() as isize - (end - at) as isize;
        }
        let (_, _, _, n0) = reuse.computed();
        let j0 = reuse.names_joined();
        let a = reusing(&text, &ctx, &reuse);
        let (_, _, _, n1) = reuse.computed();
        let j1 = reuse.names_joined();
        assert_same(&a, &fresh(&text, &ctx), &format!("step {k}"));
        // The edited block and those before it whose following text (whitespace
        // and 100 characters) reaches it: at most three here; each one's old work
        // taken out of the join and its new work added.
        assert!(
            n1 - n0 <= 3 && j1 - j0 <= 6,
            "step {k} computed {} blocks and joined {}",
            n1 - n0,
            j1 - j0
        );
    }
}
