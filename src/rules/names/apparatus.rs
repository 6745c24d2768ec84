//! The editorial apparatus: places where a document writes a name in another spelling
//! on purpose. A gloss in brackets after a name (`Pak Heon-yeong [Pak Hon Yong]`,
//! `Filippov [Stalin]`), `[sic]`, a table that lists a name's romanisations (Hangul |
//! Hanja | Revised | McCune–Reischauer), two forms joined by "or" ("Ch’en I, or Ch’en
//! Yi"), a name "identified in footnote 9", and an editor's note on a name that
//! identifies it under another spelling (`Chen I.[^9]` … `[^9]: Ch’en I, or Ch’en Yi,
//! was Mayor of Shanghai`). Spellings there are never compared, reported or fixed.

use super::*;
use crate::markdown::BlockKind;
use crate::notes::NoteStyle;

/// Sorted, merged spans of the apparatus.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Apparatus {
    spans: Vec<Span>,
}

impl Apparatus {
    /// Whether `span` lies in (overlaps) the apparatus.
    pub(crate) fn contains(&self, span: Span) -> bool {
        let i = self.spans.partition_point(|s| s.end <= span.start);
        self.spans.get(i).is_some_and(|s| s.overlaps(span))
    }

    /// The apparatus of a document, from its prose words (the reference the joined
    /// blocks are tested against).
    #[cfg(test)]
    pub(crate) fn of(a: &Analysis, words: &[Word]) -> Apparatus {
        let text: &str = &a.text;
        let runs = capital_runs(text, words);
        let spans_of: Vec<Span> = runs.iter().filter_map(|r| run_span(words, r)).collect();
        let mut out: Vec<Span> = Vec::new();
        let mut tail = String::new();
        for (i, &span) in spans_of.iter().enumerate() {
            after_run(text, span, &mut tail, &mut out);
            if let Some(&next) = spans_of.get(i + 1) {
                joined_pair(text, span, next, &mut out);
            }
        }
        tables(a, &mut out);
        notes(a, &spans_of, &mut out);
        Apparatus::merged(out)
    }

    /// [`Apparatus::contains`] of each of `spans` (see [`overlaps_each`]).
    pub(crate) fn contains_each(&self, spans: impl IntoIterator<Item = Span>) -> Vec<bool> {
        overlaps_each(&self.spans, spans)
    }

    /// The apparatus made of `out`'s spans (in any order).
    pub(crate) fn merged(mut out: Vec<Span>) -> Apparatus {
        out.sort();
        let mut merged: Vec<Span> = Vec::with_capacity(out.len());
        for s in out {
            match merged.last_mut() {
                Some(l) if s.start <= l.end => l.end = l.end.max(s.end),
                _ => merged.push(s),
            }
        }
        Apparatus { spans: merged }
    }
}

/// Whether each of `spans` overlaps one of `regions` (sorted, disjoint), as a binary
/// search of `regions` for each would say; the spans given mostly in order of their
/// starts (a document's mentions): each answer steps on from the last one's region,
/// and a span that starts before the last one is searched for.
pub(super) fn overlaps_each(regions: &[Span], spans: impl IntoIterator<Item = Span>) -> Vec<bool> {
    let (mut i, mut last) = (0, 0);
    spans
        .into_iter()
        .map(|s| {
            if s.start < last {
                i = regions.partition_point(|r| r.end <= s.start);
            } else {
                while regions.get(i).is_some_and(|r| r.end <= s.start) {
                    i += 1;
                }
            }
            last = s.start;
            regions.get(i).is_some_and(|r| r.overlaps(s))
        })
        .collect()
}

/// Whether one of `spans` overlaps one of `regions` (sorted, disjoint), as a binary
/// search of `regions` for each would say; the spans given mostly in order of their
/// starts (a spelling's places): each look-up steps on from the last one's region (a
/// few steps, else a binary search of the rest), and a span that starts before the
/// last one is searched for.
pub(super) fn any_overlaps(regions: &[Span], spans: &[Span]) -> bool {
    let (mut i, mut last) = (0, 0);
    spans.iter().any(|s| {
        if s.start < last {
            i = regions.partition_point(|r| r.end <= s.start);
        } else {
            let rest = regions.get(i..).unwrap_or(&[]);
            i += match rest.iter().take(8).position(|r| r.end > s.start) {
                Some(k) => k,
                None => rest.partition_point(|r| r.end <= s.start),
            };
        }
        last = s.start;
        regions.get(i).is_some_and(|r| r.overlaps(*s))
    })
}

/// The span of a run of words.
pub(super) fn run_span(words: &[Word], r: &std::ops::Range<usize>) -> Option<Span> {
    let f = words.get(r.start)?;
    let l = words.get(r.end.checked_sub(1)?)?;
    Some(Span::new(f.span().start, l.span().end))
}

/// What the text after the run `span` makes apparatus: a gloss in brackets or [sic]
/// right after it, "identified in footnote 9". Reads at most the whitespace after the
/// run and 84 characters past it (`tail`: a buffer for the lower-cased start).
pub(super) fn after_run(text: &str, span: Span, tail: &mut String, out: &mut Vec<Span>) {
    let after = text.get(span.end..).unwrap_or("");
    // A gloss in brackets, or [sic], right after the name.
    if let Some(b) = bracket_after(after) {
        out.push(span);
        out.push(Span::new(span.end + b.start, span.end + b.end));
    }
    // "X identified in footnote 9", "X of note 9". Each phrase starts with an `i`: a
    // text that does not (the usual case) is not lower-cased (only `I` and `i` lower-
    // case to a text that starts with `i` followed by a letter of "identified").
    if !after.trim_start().starts_with(['i', 'I']) {
        return;
    }
    tail.clear();
    tail.extend(
        after
            .trim_start()
            .chars()
            .take(24)
            .flat_map(char::to_lowercase),
    );
    if [
        "identified in footnote",
        "identified in note",
        "identified in n.",
    ]
    .iter()
    .any(|p| tail.starts_with(p))
    {
        out.push(span);
    }
}

/// "X, or Y", "X (or Y)": two forms of one name offered together (consecutive runs).
pub(super) fn joined_pair(text: &str, span: Span, next: Span, out: &mut Vec<Span>) {
    let gap = text.get(span.end..next.start).unwrap_or("");
    let g = gap.trim().trim_start_matches(',').trim();
    let joined = matches!(g, "or" | "(or" | "/" | "=" | "also" | "(also");
    if joined && one_name(span.slice(text), next.slice(text)) {
        out.push(span);
        out.push(next);
    }
}

/// Tables of romanisations.
pub(super) fn tables(a: &Analysis, out: &mut Vec<Span>) {
    let text: &str = &a.text;
    for block in a.md.blocks.iter().filter(|b| b.kind == BlockKind::Table) {
        let head = text
            .get(block.content.start..block.content.end)
            .and_then(|t| t.lines().next())
            .unwrap_or("")
            .to_lowercase();
        if TABLE_HEADS.iter().any(|h| head.contains(h)) {
            out.push(block.span);
        }
    }
}

/// The spans of a document's runs of capitalised words, in order (disjoint), as
/// [`notes_with`] asks for them.
pub(super) trait Runs {
    /// The last run that ends by `pos`.
    fn last_ending_by(&self, pos: usize) -> Option<Span>;
    /// The runs that start in `start..end` and end by `end`, in order.
    fn within(&self, start: usize, end: usize, f: &mut dyn FnMut(Span));
}

impl Runs for [Span] {
    fn last_ending_by(&self, pos: usize) -> Option<Span> {
        let k = self.partition_point(|s| s.end <= pos);
        k.checked_sub(1).and_then(|k| self.get(k)).copied()
    }

    fn within(&self, start: usize, end: usize, f: &mut dyn FnMut(Span)) {
        let from = self.partition_point(|s| s.start < start);
        for s in self
            .iter()
            .skip(from)
            .take_while(|s| s.start < end)
            .filter(|s| s.end <= end)
        {
            f(*s);
        }
    }
}

/// Editors' notes on a name: the note's spellings of that name (`spans_of`: the
/// spans of the document's runs, in order).
#[cfg(test)]
pub(super) fn notes(a: &Analysis, spans_of: &[Span], out: &mut Vec<Span>) {
    notes_with(a, spans_of, out);
}

/// [`notes`], the runs read from `runs`.
pub(super) fn notes_with(a: &Analysis, runs: &(impl Runs + ?Sized), out: &mut Vec<Span>) {
    let text: &str = &a.text;
    // (The name index of an unopened file is built without the note layer: read the
    // notes here.)
    let own;
    let notes = if a.notes.markers.is_empty() && a.notes.definitions.is_empty() {
        own = crate::notes::analyze(text, &a.md);
        &own
    } else {
        &a.notes
    };
    for m in &notes.markers {
        if m.style == NoteStyle::Inline {
            continue;
        }
        let Some(d) = m.definition.and_then(|i| notes.definitions.get(i)) else {
            continue;
        };
        // The name right before the marker ("Chen I.[^9]", "Tseng Ch’i[^38]").
        let Some(name) = runs.last_ending_by(m.span.start) else {
            continue;
        };
        let gap = text.get(name.end..m.span.start).unwrap_or("x");
        let close = gap.chars().count() <= 3
            && gap
                .chars()
                .all(|c| c.is_whitespace() || ".,;:)’'\"”".contains(c));
        if !close {
            continue;
        }
        let name_text = name.slice(text);
        runs.within(d.content.start, d.content.end, &mut |s| {
            // The same spelling in the note is no gloss: only another one is.
            let other = s.slice(text);
            if fold(name_text) != fold(other) && shares_a_name(name_text, other) {
                out.push(s);
            }
        });
    }
}

/// Words in a table's first row that make it a table of romanisations.
const TABLE_HEADS: &[&str] = &[
    "hangul",
    "hangeul",
    "hanja",
    "revised",
    "mccune",
    "reischauer",
    "wade",
    "pinyin",
    "cyrillic",
    "romanization",
    "romanisation",
    "transliteration",
];

/// The span (relative to `after`) of a gloss or `[sic]` in brackets right after a name:
/// `[Pak Hon Yong]`, `[Stalin]`, `[sic]`, `(sic)`. Not a link (`[x](url)`, `[x][y]`), not
/// a note marker (`[^n]`, `[3]`).
fn bracket_after(after: &str) -> Option<std::ops::Range<usize>> {
    let lead = after.len() - after.trim_start_matches([' ', '\u{a0}']).len();
    let rest = after.get(lead..)?;
    let open = rest.chars().next()?;
    let close = match open {
        '[' => ']',
        '(' => ')',
        _ => return None,
    };
    // Only a short bracket is a gloss: look no further than 82 characters.
    let end = rest
        .char_indices()
        .take(82)
        .find(|&(_, c)| c == close)
        .map(|(i, _)| i)?;
    let inner = rest.get(1..end)?;
    if inner.is_empty() || inner.len() > 80 || inner.contains(['\n', '[', ']']) {
        return None;
    }
    let sic = matches!(
        inner.trim().to_lowercase().as_str(),
        "sic" | "sic!" | "*sic*" | "_sic_"
    );
    if open == '(' && !sic {
        return None;
    }
    let next = rest.get(end + 1..).and_then(|t| t.chars().next());
    let gloss = inner.chars().next().is_some_and(char::is_uppercase)
        && !inner.chars().all(|c| c.is_ascii_digit())
        && !matches!(next, Some('(' | '[' | ':'));
    (sic || gloss).then(|| lead..lead + end + 1)
}

/// Whether two spellings are one name in some romanisation (or differ only in spaces,
/// hyphens and apostrophes).
fn one_name(a: &str, b: &str) -> bool {
    separators_only(a, b) || romanise::same_name(a, b).is_some() || {
        [Language::Korean, Language::Chinese, Language::Russian]
            .into_iter()
            .any(|l| same_in(l, a, b))
    }
}

/// Whether `note` (a run of capitalised words in an editor's note) writes the name
/// `name` (the run before the note's marker), or a part of it, in any spelling. Parts
/// of the same number of words are compared by their (memoised) romanisation keys; a
/// single syllable alone is a surname, too weak to say "the same name".
fn shares_a_name(name: &str, note: &str) -> bool {
    let parts = |s: &str| -> Vec<(usize, String)> {
        let w: Vec<&str> = s.split_whitespace().collect();
        let mut out = Vec::new();
        for i in 0..w.len() {
            for j in i + 1..=w.len().min(i + 3) {
                if let Some(x) = w.get(i..j) {
                    out.push((j - i, x.join(" ")));
                }
            }
        }
        out
    };
    let (pa, pb) = (parts(name), parts(note));
    pa.iter().any(|(nx, x)| {
        pb.iter().filter(|(ny, _)| ny == nx).any(|(n, y)| {
            if fold(x) == fold(y) {
                return true;
            }
            if !comparable(x) || !comparable(y) {
                return false;
            }
            [Language::Korean, Language::Chinese, Language::Russian]
                .into_iter()
                .filter(|l| *l != Language::Russian || *n == 1)
                .any(|l| {
                    let (kx, ky) = (keys(l, x), keys(l, y));
                    kx.iter().any(|k| ky.contains(k))
                })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze_str;

    /// The texts `romanisation-inconsistent` underlines in `text` (real engine).
    fn inconsistent(text: &str) -> Vec<String> {
        analyze_str(text)
            .findings
            .iter()
            .filter(|f| f.code == INCONSISTENT)
            .map(|f| f.span.slice(text).to_string())
            .collect()
    }

    /// [`after_run`] reads "identified in footnote" as the whole lower-cased start of
    /// the text after the run does, though it lower-cases only a text that starts with
    /// `i` or `I` (`İ` lower-cases to `i` and a combining dot: never a phrase).
    #[test]
    fn after_run_reads_the_phrase_as_the_lower_cased_text_does() {
        let reference = |after: &str| {
            let tail: String = after
                .trim_start()
                .chars()
                .take(24)
                .flat_map(char::to_lowercase)
                .collect();
            [
                "identified in footnote",
                "identified in note",
                "identified in n.",
            ]
            .iter()
            .any(|p| tail.starts_with(p))
        };
        let afters = [
            " identified in footnote 9",
            " Identified in Footnote 9",
            "\n\u{a0} IDENTIFIED IN N. 3",
            " identified in note",
            " İdentified in footnote 9",
            " identified in the note",
            " [sic] identified in footnote 9",
            "",
            " ",
            " i",
            ", identified in footnote 2",
            " ıdentified in footnote 9",
        ];
        let mut tail = String::new();
        for after in afters {
            let text = format!("Kim{after}");
            let mut out = Vec::new();
            after_run(&text, Span::new(0, 3), &mut tail, &mut out);
            let bracket = bracket_after(&text[3..]).is_some();
            let expected = usize::from(bracket) * 2 + usize::from(reference(after));
            assert_eq!(out.len(), expected, "{after:?}");
        }
    }

    /// [`any_overlaps`] answers as a binary search for each span does, the spans in
    /// order or not.
    #[test]
    fn any_overlaps_answers_as_a_search_does() {
        use proptest::prelude::RngExt;
        use proptest::test_runner::{RngAlgorithm, TestRng};
        let mut rng = TestRng::deterministic_rng(RngAlgorithm::ChaCha);
        for _ in 0..300 {
            let mut regions: Vec<Span> = Vec::new();
            let mut at = 0;
            for _ in 0..rng.random_range(0..30) {
                at += rng.random_range(0..10);
                let end = at + rng.random_range(1..6);
                regions.push(Span::new(at, end));
                at = end;
            }
            let mut spans: Vec<Span> = (0..rng.random_range(0..6))
                .map(|_| {
                    let s = rng.random_range(0..at + 10);
                    Span::new(s, s + rng.random_range(0..4))
                })
                .collect();
            if rng.random_range(0..3) > 0 {
                spans.sort();
            }
            let searched = spans.iter().any(|s| {
                let i = regions.partition_point(|r| r.end <= s.start);
                regions.get(i).is_some_and(|r| r.overlaps(*s))
            });
            assert_eq!(
                any_overlaps(&regions, &spans),
                searched,
                "{regions:?} {spans:?}"
            );
        }
    }

    /// Issue #12 item 3: the editorial apparatus is deliberate. Each case has a control
    /// (the same spellings in plain prose) that is reported.
    #[test]
    fn the_apparatus_is_never_an_inconsistency() {
        let cases: &[(&str, &str)] = &[
            // A gloss in brackets after a name.
            (
                "Pak Heon-yeong [Pak Hon Yong] led the party. Later Pak Heon-yeong fled north.\n",
                "Pak Heon-yeong led the party. Later Pak Hon Yong fled north.\n",
            ),
            // [sic].
            (
                "The army reached Seoul. It left Seoul. Sŏul [sic] fell.\n",
                "The army reached Seoul. It left Seoul. Sŏul fell.\n",
            ),
            // A table of a name's romanisations.
            (
                "| Hangul | Hanja | Revised | McCune–Reischauer |\n|---|---|---|---|\n| 서울 | — | Seoul | Sŏul |\n\nThe army reached Seoul.\n",
                "The army reached Seoul. Sŏul fell.\n",
            ),
            // An editor's note identifying the name under another spelling.
            (
                "The army of Chen I.[^9] Chen Ming-shu[^19] has no troops. Chen Ming-shu is useful.\n\n[^9]: Ch’en I, or Ch’en Yi, was Mayor of Shanghai.\n\n[^19]: Ch’en Ming-shu was a member of the Council.\n",
                "Chen Ming-shu has no troops. Chen Ming-shu is useful. Ch’en Ming-shu was a member of the Council.\n",
            ),
            (
                "Third Party estimates Chen Yi[^22] as not important. Tseng Ch’i[^38] leads.\n\n[^22]: Evidently not the Ch’en Yi identified in footnote 9 above.\n\n[^38]: Tseng Chi, a leader of the Young China Party.\n",
                "Third Party estimates Chen Yi as not important. Ch’en Yi was mayor.\n",
            ),
        ];
        for (apparatus, control) in cases {
            assert_eq!(inconsistent(apparatus), Vec::<String>::new(), "{apparatus}");
            assert!(!inconsistent(control).is_empty(), "control: {control}");
        }
    }

    /// Abbreviations, titles and single syllables are not spellings of a name.
    #[test]
    fn abbreviations_titles_and_surnames_are_not_spellings() {
        for text in [
            "The U.N. Secretariat met. The UN voted. The UN agreed. The U.S.S.R. and the USSR and the USSR.\n",
            "Issued by General Douglas MacArthur. General MacArthur spoke. General MacArthur left.\n",
            "General of the Army Douglas MacArthur was relieved. General MacArthur left. General MacArthur flew.\n",
            "Chen agreed. K. P. Ch’en was Chairman. Chen left. Chen can be counted on.\n",
            "General Chen Chi-ien commands. Ch’eng Ch’ien was Vice Chairman. Chen Chien and Chen Chien.\n",
            "Chang came. Zhang went. Lee and Li and Pak and Park.\n",
        ] {
            assert_eq!(inconsistent(text), Vec::<String>::new(), "{text}");
        }
    }

    /// Issue #13 item 3 at the rule: the pairs the keys now recognise are reported.
    #[test]
    fn real_pairs_are_reported() {
        for text in [
            "Kang Pan-sŏk spoke. Kang Ban Suk answered. Kang Ban Suk left.\n",
            "The army held Taejŏn. Then Taijon fell, and Taijon burned.\n",
        ] {
            assert!(!inconsistent(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn brackets_after_names() {
        for (t, ok) in [
            (" [Pak Hon Yong] said", true),
            (" [Stalin]", true),
            (" [sic]", true),
            (" (sic)", true),
            ("[^3]", false),
            (" [3]", false),
            (" [Link](http://x)", false),
            (" (Pak)", false),
            ("", false),
            (" [", false),
        ] {
            assert_eq!(bracket_after(t).is_some(), ok, "{t:?}");
        }
    }
}
