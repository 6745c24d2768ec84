//! Tests of the names rules' blocks kept across versions.

use super::*;
use crate::analysis::analyze_str;

/// The joined blocks give what the whole-document passes give: the words, the
/// apparatus, the n-grams, the votes and the OCR damage; kept blocks too.
fn same_as_the_document(text: &str, memo: Option<&NamesMemo>, places: Option<&mut Places>) {
    let a = analyze_str(text);
    let ctx = super::super::test_ctx();
    let lexicon = &a.knowledge(&ctx).lexicon;
    let blocks = blocks_of(&a, lexicon, memo, places);
    let words = romanise::words(&a.text, &a.md);
    let joined: Vec<Word> = blocks.iter().flat_map(BlockAt::words).collect();
    assert_eq!(joined, words, "words of {text:.60}");
    let app = apparatus::Apparatus::of(&a, &words);
    assert_eq!(apparatus_of(&a, &blocks), app, "apparatus of {text:.60}");
    let key = |g: &Gram| {
        (
            g.n,
            g.span,
            g.name.to_string(),
            g.folded.to_string(),
            g.entity,
            g.apparatus,
        )
    };
    let old: Vec<_> = grams_of(&a, &words, &app).iter().map(key).collect();
    let new: Vec<_> = grams_of_blocks(&a, &blocks, &app).iter().map(key).collect();
    assert_eq!(new, old, "n-grams of {text:.60}");
    assert_eq!(votes_of_blocks(&blocks), votes_of(&a.text, &words));
    assert_eq!(
        damage_of_blocks(&a.text, &blocks, lexicon),
        ocr::scan_words(&a.text, &words, lexicon),
        "damage in {text:.60}"
    );
}

const CASES: &[&str] = &[
    // A sentence's first word counts when another block writes it mid-sentence.
    "Hsu went home.\n\nThen Hsu Hsiang-ch\u{2019}ien left, and Xu Xiangqian stayed.\n",
    "Seoul fell.\n\nThe army left Sŏul [sic] and SEOUL.\n",
    // Two forms joined by \"or\" across two blocks, and \"identified in\" after a
    // block's whitespace.
    "He met Ch\u{2019}en Yi\n\nor Chen Yi in May.\n",
    "Ch\u{2019}en Yi\n\n\n   identified in footnote 9, met Chen Yi.\n",
    "Chen I.[^9] Chen I met him.\n\n[^9]: Ch\u{2019}en I, or Ch\u{2019}en Yi, was Mayor.\n",
    // The name before a marker in the block before it, and blocks without runs
    // between the name and its note.
    "The army of Chen I.\n\n[^9] and Chen I met.\n\nno names here.\n\n[^9]: Ch\u{2019}en I, or Ch\u{2019}en Yi, was Mayor.\n",
    "Chen I:\n\nnothing.\n\n[^9]\n\n[^9]: Ch\u{2019}en I was Mayor. Ch\u{2019}en Yi too.\n",
    "| Hangul | Revised | McCune–Reischauer |\n|---|---|---|\n| 서울 | Seoul | Sŏul |\n\nThe army reached Seoul.\n",
    // OCR damage, and a suspect the document writes in lower case elsewhere.
    "Receiving Kim II Sung in the Kremlin.\n\nShrykov spoke to Kim Il Sung.\n",
    "Kirn met them.\n\nThe kirn was full. Kim Il Sung spoke.\n",
    "Dr. Evgeni Bajanov wrote. Dr. Evgueni Bajanov wrote.\n\nEvgueni Bajanov signed.\n",
];

#[test]
fn the_blocks_joined_are_the_document() {
    for text in CASES {
        same_as_the_document(text, None, None);
    }
    let mut seen = 0;
    crate::analysis::limit_tests::each_fixture(|_, text| {
        same_as_the_document(&text, None, None);
        seen += 1;
    });
    assert!(seen > 20, "only {seen} fixtures");
}

/// The claimed words answer as the claimed words' spans in order did (the claimed
/// span starting last before a span's end ends after its start).
#[test]
fn claimed_words_answer_as_the_spans_claimed() {
    use proptest::prelude::RngExt;
    use proptest::test_runner::{RngAlgorithm, TestRng};
    let text = CASES.concat();
    let a = analyze_str(&text);
    let ctx = super::super::test_ctx();
    let blocks = blocks_of(&a, &a.knowledge(&ctx).lexicon, None, None);
    let mut rng = TestRng::deterministic_rng(RngAlgorithm::ChaCha);
    for _ in 0..20 {
        let mut claimed = Claimed::new(&blocks);
        let mut spans: std::collections::BTreeMap<usize, usize> = Default::default();
        for _ in 0..200 {
            let start = rng.random_range(0..text.len() + 8);
            let span = Span::new(start, start + rng.random_range(0..12));
            if rng.random_range(0..4) == 0 {
                claimed.claim_words(span, &mut |w| {
                    spans.insert(w.start, w.end);
                });
            } else {
                let old = spans
                    .range(..span.end)
                    .next_back()
                    .is_some_and(|(_, &end)| end > span.start);
                assert_eq!(claimed.is_claimed(span), old, "{span:?}");
            }
        }
    }
}

/// A keystroke reads the surroundings of a few blocks only: the others are found
/// where they stood without the text after them being read again (the count
/// would be every block's if it were). Each version gives what the whole-document
/// passes give, also when an edit changes what lies after a block it did not
/// touch (a setext underline, a code fence, the text's end).
#[test]
fn a_keystroke_reads_a_few_blocks() {
    let memo = NamesMemo::default();
    let mut places = Places::default();
    let mut text = String::new();
    // Paragraphs of a transcription's length (the 100 characters after a block).
    for i in 0..150 {
        text.push_str(CASES.get(i % CASES.len()).copied().unwrap_or(""));
        text.push_str(&format!(
            "\nIt was day {i} in Sŏul, and the army waited by the river for the order \
             to move; the general wrote to Moscow that evening, and again at dawn.\n\n"
        ));
    }
    let mut version = |t: &str| {
        same_as_the_document(t, Some(&memo), Some(&mut places));
        memo.sweep();
        places.read_now
    };
    let all = version(&text);
    assert!(all > 300, "the first version reads every block ({all})");
    let mid = text.len() / 2;
    let at = text[mid..].find("Seoul").map_or(mid, |i| mid + i + 2);
    for edit in ["x", " ", "\n", "xyz"] {
        let mut t = text.clone();
        t.insert_str(at, edit);
        let read = version(&t);
        assert!(read <= 4, "{edit:?}: a keystroke read {read} blocks");
    }
    // Edits that change a block they did not touch, or what follows it.
    let para = text[mid..].find("\n\n").map_or(mid, |i| mid + i + 1);
    for edit in ["---\n", "===\n", "```\n", "    code\n", "| a |\n|---|\n"] {
        let mut t = text.clone();
        t.insert_str(para, edit);
        version(&t);
    }
    let mut t = text.clone();
    t.truncate(t.trim_end().len());
    version(&t);
    t.push_str(" [Pak Hon Yong]");
    version(&t);
    // The same text again: only the blocks whose reading ran to the text's end.
    let read = version(&t);
    assert!(read <= 2, "the same text read {read} blocks");
    version("");
}

/// Kept blocks are found again wherever an edit moved them (by text), or where
/// they stood (by place), and give the same.
#[test]
fn kept_blocks_give_what_fresh_ones_give() {
    for by_place in [false, true] {
        let memo = NamesMemo::default();
        let mut places = Places::default();
        let base = CASES.concat();
        let mut computed = Vec::new();
        for (k, edit) in ["", "", "x", "Sŏul ", "\n\n", "Chen Yi\n\nor ", "[^9]"]
            .iter()
            .enumerate()
        {
            let at = base.len() / (k + 2);
            let at = (0..=at)
                .rev()
                .find(|&i| base.is_char_boundary(i))
                .unwrap_or(0);
            let text = format!("{}{}{}", &base[..at], edit, &base[at..]);
            let before = memo.computed();
            same_as_the_document(&text, Some(&memo), by_place.then_some(&mut places));
            memo.sweep();
            computed.push(memo.computed() - before);
        }
        assert!(!memo.is_empty());
        // The same text again: nothing computed; then each version undoes the last
        // edit and makes another: the blocks the two reached (each, its block and
        // the one before, which reads past its end).
        assert_eq!(computed.get(1), Some(&0), "{computed:?}");
        assert!(computed.iter().skip(2).all(|&n| n <= 4), "{computed:?}");
    }
}

/// A block's n-grams copy no text they can share: a single word's fold is the
/// fold its votes hold (one per distinct fold, whichever word wrote it), and the
/// written form of words one space apart is read from the text; only words
/// separated otherwise are joined into a copy. Every form and fold is still the
/// words joined by one space.
#[test]
fn n_grams_share_their_folds_and_read_their_text() {
    let text = format!(
        "{}Kim's Il Sung and Kim  Il Sung\nmet Mao Tse-tung.\n",
        CASES.concat()
    );
    let a = analyze_str(&text);
    let ctx = super::super::test_ctx();
    let blocks = blocks_of(&a, &a.knowledge(&ctx).lexicon, None, None);
    let (mut shared, mut read, mut copied) = (0, 0, 0);
    for b in &blocks {
        let n = &b.names;
        let bt = text.get(b.base..).unwrap_or("");
        for g in &n.grams {
            let ws: Vec<&Word> = n
                .words
                .iter()
                .filter(|w| w.span().start >= g.span().start && w.span().end <= g.span().end)
                .collect();
            assert_eq!(ws.len(), g.n(), "{g:?}");
            let words: Vec<&str> = ws.iter().map(|w| w.span().slice(bt)).collect();
            assert_eq!(g.name(bt), words.join(" "), "{g:?}");
            let folds: Vec<String> = words.iter().map(|w| fold(w)).collect();
            assert_eq!(&*g.folded, folds.join(" "), "{g:?}");
            match &g.name {
                None => read += 1,
                Some(_) => copied += 1,
            }
            if g.n() == 1 {
                let vote = n.votes.iter().find(|v| *v.0 == *g.folded);
                assert!(
                    vote.is_some_and(|v| Arc::ptr_eq(&v.0, &g.folded)),
                    "{g:?}: its fold is not its vote's"
                );
                shared += 1;
            }
        }
    }
    assert!(shared > 20 && read > 20, "{shared} shared, {read} read");
    // "Kim's Il Sung" ('s between), "Kim  Il" (two spaces), "Sung\nmet" is no run:
    // the n-grams over those gaps are copies, and only they.
    assert!((2..=8).contains(&copied), "{copied} copied");
}
