//! Rules of the names family: one name written in several romanisations, and OCR
//! damage in names.

use super::Rule;
use crate::facts::{Analysis, Context};
use crate::finding::{Edit, Finding, Fix, Severity, Span};
use crate::gazetteer::{Entity, EntityKind, System};
use crate::names::ocr;
use crate::names::romanise::{
    self, Language, Word, capital_runs, chinese, fold, guess_in, guess_system, korean, russian,
    system_label,
};
use foldhash::HashMap;

pub mod front_matter;
use std::collections::BTreeMap;

pub const INCONSISTENT: &str = "romanisation-inconsistent";
pub const OCR: &str = "romanisation-ocr";

pub static RULES: &[Rule] = &[
    Rule {
        code: INCONSISTENT,
        default_severity: Severity::Warning,
        summary: "One name is written in two or more romanisations in this document",
        doc: DOC_INCONSISTENT,
        fix_is_safe: false,
    },
    Rule {
        code: OCR,
        default_severity: Severity::Warning,
        summary: "A name carries OCR damage (Kim II Sung for Kim Il Sung)",
        doc: DOC_OCR,
        fix_is_safe: false,
    },
];

pub(super) const DOC_INCONSISTENT: &str = r#"# romanisation-inconsistent

**What.** One Korean, Chinese or Russian name is spelled in two or more ways in the same
document: *Sŏul* and *Seoul*, *Mao Zedong* and *Mao Tse-tung*, *Peking* and *Beijing*,
*Bajanov* and *Bazhanov*, *Evgueni* and *Evgeni*.

**Why.** Readers, indexes and search treat each spelling as a different person or place.
A transcription should keep one convention per name (the source's, or the edition's).

**How it decides.**
1. Names in the gazetteer: mentions of one entity written differently (case aside) are
   compared when they are spellings of one name — the romanisation keys say so, or both
   spellings carry a romanisation system in the gazetteer (a person's *Syngman Rhee* and
   *Yi Sŭng-man*). Short forms (*Kim*, *Stalin* beside *Kim Il Sung*, *Joseph Stalin*) and
   OCR variants (see `romanisation-ocr`) are not spellings.
2. Names nobody listed: capitalised words and runs of them in prose (paragraphs, headings
   and tables; never code, HTML, URLs or front matter) are compared by keys:
   Korean (one strict key over McCune–Reischauer, Revised, DPRK and conventional forms),
   Chinese (Wade–Giles ↔ Pinyin by syllable table, postal names by alias) and Russian
   (back-transliteration to Cyrillic under English/BGN-PCGN, French, German and scholarly
   conventions). To stay quiet on English, two unlisted spellings are reported only when
   their letters show different conventions (a breve or apostrophe, eo/eu, zh/x/q,
   -ou-/-tch-/j, w/sch, š/ž/č…), and a word that starts a sentence counts only if the
   same word also appears mid-sentence or carries such a mark. Different people stay
   apart: *Kim Il* ≠ *Kim Il Sung* ≠ *Kim Jong-il*; *Molotov* ≠ *Malenkov*.

**Never reported.** What is not a spelling of a name, or is one on purpose:
- the editorial apparatus: a gloss in brackets after a name (*Pak Heon-yeong [Pak Hon
  Yong]*, *Filippov [Stalin]*), *[sic]*, a table whose header names romanisations
  (Hangul | Hanja | Revised | McCune–Reischauer), two forms offered together (*Ch’en I,
  or Ch’en Yi*), a name "identified in footnote 9", and an editor's note on a name that
  writes it another way (*Chen I.[^9]* … *[^9]: Ch’en I, …*);
- abbreviations (*U.N.* and *UN*, *U.S.S.R.* and *USSR*);
- titles (*General MacArthur* is a short form of *General Douglas MacArthur*);
- a single syllable alone (*Ch’en*, *Chen*, *Chang*, *Lee*, *Pak*): a surname several
  people share, or a part of a name, never compared with a name; people who share a
  surname are not merged.

The finding is on each **less-preferred** spelling; the message names the other
spelling(s) and their conventions, and related information points to them: to the
two places of each other spelling nearest to the finding, so that each finding shows
where the other spelling stands around it.

**Which spelling is preferred.** `annalist.toml`:

```toml
[romanisation]
korean = "mccune-reischauer"   # or "revised", "north-korean", "conventional"
chinese = "pinyin"             # or "wade-giles", "postal"
russian = "bgn-pcgn"           # or "french", "german", "scholarly"
prefer = "majority"            # or "first"
```

A configured system wins when one of the spellings follows it (for a gazetteer entity,
the gazetteer's spelling in that system is proposed even if the document has none).
Otherwise the document's majority spelling wins, ties broken by first use
(`prefer = "first"`: the first spelling used).

**Fixes.** *Replace with ‹preferred›* (this occurrence) and *Replace all N spellings
‹x› with ‹preferred› in this document* (on the group's first finding). Both change the
words of the text, so neither is safe: `--fix` applies neither, `--unsafe-fixes` does,
and the editor labels them "(unsafe)".


**Across files.** `annalist check` compares the files it checks, and the language server
compares the open documents with the other Markdown files of the workspace (the files
`annalist check` would walk from the workspace folder, as saved on disk): a gazetteer
name that each file writes one way, but the files differently (*Seoul* in one, *Sŏul* in
another), is reported in the files that use the less-preferred spelling, with related
places in the files that use the preferred one. The preferred spelling is the
configured system's when one is set, else the one written most often over all the
files (then the one more files use, then alphabetical order — never the order of the
files, so `prefer = "first"` applies within a file only). A file that itself mixes spellings of the name is left to the per-file finding
until it settles on one. These fixes are never applied by `--fix`: choosing a spelling
for a whole collection is an editorial decision — set it under `[romanisation]`.
Names no gazetteer lists are compared across files when both spellings carry a
convention's marks (*Yun Kŏn-sŏp* and *Yun Geon-seop*, *Hsü Hsiang-ch'ien* and *Xu
Xiangqian*), or are single words with a Russian surname's ending of seven letters or
more (*Tchistiakov* and *Chistyakov*); any other unmarked capitalised word is as likely
English, so across files it is compared only when the gazetteer lists the name. A document whose front matter says
`kind: primary` or `kind: edition` is a source, and a source keeps its own spelling: its
spellings count, and its variants are reported only as information (severity `info`, no
fix). `across_files = false` turns the
comparison off; with `--shard`, only the files of the shard are compared.

**Silence it.** `<!-- annalist-disable-next-line romanisation-inconsistent -->` before the
line, or `[rules] romanisation-inconsistent = "off"`. A faithful transcription that keeps
the source's inconsistencies on purpose may want it off, or at `hint`.

**Example.** In *Dr. Evgeni Bajanov … Dr. Evgueni Bajanov … Evgueni Bajanov*, the warning
is on *Evgeni* (unmarked), naming *Evgueni* (French-style, 2 times).
"#;

pub(super) const DOC_OCR: &str = r#"# romanisation-ocr

**What.** A name damaged by optical character recognition: *Kim II Sung* (the Roman
numeral II for *Il*), *Kim I1 Sung*, *Shrykov* for *Shtykov*, *rn* read for *m*.

**Why.** A damaged name is not found by search, not linked to its entity, and reads as a
different name.

**How it decides.** The gazetteer's OCR spellings (system `ocr`) are reported where they
are recognised. Elsewhere, capitalised words and runs of them are repaired by undoing at
most two known confusions (I/l/1, rn/m, cl/d, li/h, r/t, b/h, c/e, vv/w, 0/O…), and a
repair is proposed **only** when the repaired form is a name of the gazetteer and the
damaged form is neither a known name nor a word the document also writes in lower case.
Single damaged words need five letters or more.

**Fix.** *Replace with ‹repaired›*: unsafe, like every change of a name's spelling (the
print may have it so); `--unsafe-fixes` or the editor's action applies it.

**Silence it.** A faithful transcription that keeps the printed errors can switch it to
`hint` or `off` (`[rules] romanisation-ocr = "hint"`), or use
`<!-- annalist-disable-next-line romanisation-ocr -->`.

**Example.** *Receiving Kim II Sung in the Kremlin* → *Kim II Sung* is probably *Kim Il Sung*.
"#;

pub fn check(a: &Analysis, ctx: &Context, out: &mut Vec<Finding>) {
    check_and_index(a, ctx, out, false, None);
}

/// [`check`], and when `index` is set, the document's [`crate::facts::NameIndex`]
/// built from the same words and n-grams (cheaper than [`name_index`] afterwards).
/// `memo`: the blocks' work kept from the document's last version (the editor's
/// incremental analysis; [`blocks`]), which this version's then replaces once swept.
pub fn check_and_index(
    a: &Analysis,
    ctx: &Context,
    out: &mut Vec<Finding>,
    index: bool,
    memo: Option<&NamesMemo>,
) -> Option<crate::facts::NameIndex> {
    let prepared = prepare(&a.text, &a.md, &a.knowledge(ctx).lexicon, memo);
    check_prepared(a, ctx, out, index, memo, prepared)
}

/// The names rules' work on each prose block (its words, n-grams and OCR suspects:
/// most of the rules' cost on a first reading), with what the last version kept.
/// It reads only the text, its Markdown model and the lexicon, so the analysis starts
/// it beside the fact passes (the mentions, the dates) rather than after them.
pub struct Prepared {
    kept: Option<kept::Kept>,
    blocks: Vec<blocks::BlockAt>,
}

/// [`Prepared`] for `text`: `lexicon` is the document's knowledge's (its front
/// matter's entities included), `memo` the blocks' work kept from the last version.
pub fn prepare(
    text: &std::sync::Arc<str>,
    md: &crate::markdown::MdModel,
    lexicon: &crate::names::ocr::Lexicon,
    memo: Option<&NamesMemo>,
) -> Prepared {
    // What the last version kept (the editor's versions): its blocks by place, the
    // join of the n-grams and the entities' judgements, given back at the end (a pass
    // that fails half-way leaves nothing, and the next one starts afresh).
    let mut kept = memo.map(kept::Kept::take);
    let blocks = blocks::blocks_in(
        text,
        md,
        lexicon,
        memo,
        kept.as_mut().map(|k| &mut k.places),
    );
    Prepared { kept, blocks }
}

/// [`check_and_index`] with its blocks' work done ([`prepare`], on `a`'s text and
/// model and with the same `memo`).
pub fn check_prepared(
    a: &Analysis,
    ctx: &Context,
    out: &mut Vec<Finding>,
    index: bool,
    memo: Option<&NamesMemo>,
    prepared: Prepared,
) -> Option<crate::facts::NameIndex> {
    let Prepared { mut kept, blocks } = prepared;
    let mut claimed = blocks::Claimed::new(&blocks);
    let first = out.len();
    // The editor's versions: the join brought to this version's blocks first (the
    // OCR damage reads it, then the n-grams).
    if let (Some(m), Some(k)) = (memo, kept.as_mut()) {
        join::join_blocks(a, m, &mut k.join, &blocks);
    }
    // Which blocks are the apparatus reads only the text and the blocks.
    let apparatus = blocks::apparatus_of(a, &blocks);
    // The names rules are the longest of the analysis's threads (on every keystroke
    // too; the other thread finishes the claims and every other rule first), so their
    // independent steps run side by side: the mentions' forms beside the OCR damage,
    // then the n-grams beside the gazetteer's entities. Each step reads and writes
    // what it did in a row; the findings keep their order.
    let mut forms = kept.as_mut().map(|k| {
        let u = k.places.unchanged_since(k.forms.text.as_ref());
        (std::mem::take(&mut k.forms), u)
    });
    let ((), mentions) = rayon::join(
        || check_ocr(a, ctx, &blocks, &mut claimed, out, kept.as_mut()),
        || {
            let mut mentions = match forms.as_mut() {
                Some((f, u)) => entities::Mentions::of_kept(a, f, *u),
                None => entities::Mentions::of(a),
            };
            mentions.in_apparatus(a, &apparatus);
            mentions
        },
    );
    if let (Some(k), Some((f, _))) = (kept.as_mut(), forms) {
        k.forms = f;
    }
    // The spans of OCR damage (the only findings so far), for the index's candidates.
    let damaged: Option<Vec<Span>> = index.then(|| {
        let mut damaged: Vec<Span> = out
            .get(first..)
            .unwrap_or(&[])
            .iter()
            .filter(|f| f.code == OCR)
            .map(|f| f.span)
            .collect();
        damaged.sort();
        damaged
    });
    // The votes: kept as merged counts in the join (the editor's versions), else
    // merged from every block.
    let votes = match kept.as_ref() {
        Some(k) => k.join.votes(&blocks),
        _ => blocks::votes_of_blocks(&blocks),
    };
    // The OCR damage as the index reads it (sorted disjoint ranges).
    let ocr_at = index.then(|| code_ranges(out.get(first..).unwrap_or(&[]), OCR));
    let (join_kept, entities_kept, index_kept) = match kept.as_mut() {
        Some(k) => (Some(&k.join), Some(&mut k.entities), Some(&mut k.index)),
        None => (None, None, None),
    };
    let (((candidates, groups), ()), indexed) = rayon::join(
        || {
            rayon::join(
                || {
                    // The editor's versions: the n-grams that may matter, from the join
                    // kept across versions; `check`: every n-gram (the same groups and
                    // candidates, see [`join`]).
                    let grams = match (memo, join_kept) {
                        (Some(_), Some(j)) => join::grams_kept(a, j, &blocks, &apparatus),
                        _ => blocks::grams_of_blocks(a, &blocks, &apparatus),
                    };
                    let candidates = damaged.map(|damaged| {
                        unlisted_candidates(&grams, |s| {
                            let i = damaged.partition_point(|d| d.end <= s.start);
                            damaged.get(i).is_some_and(|d| d.overlaps(s))
                        })
                    });
                    // The n-grams, the largest transient of the pass, are gone once
                    // grouped.
                    (candidates, group_grams(&grams))
                },
                || {
                    check_entities(
                        a,
                        ctx,
                        &mut claimed,
                        &apparatus,
                        &mentions,
                        &votes,
                        out,
                        entities_kept,
                    )
                },
            )
        },
        // The index's entities read only the OCR damage of the findings.
        || ocr_at.map(|o| index_entities(a, ctx, &o, &apparatus, &mentions, index_kept)),
    );
    check_unlisted(a, ctx, &mut claimed, groups, &votes, out);
    let index = candidates
        .zip(indexed)
        .map(|(c, e)| finish_index(out.get(first..).unwrap_or(&[]), e, c));
    if let (Some(m), Some(mut k)) = (memo, kept) {
        mentions.keep(&mut k.forms);
        k.put(m);
    }
    index
}

pub(super) fn name_system(e: &Entity, name: Option<usize>) -> Option<System> {
    match name {
        None => None,
        Some(i) => e.names.get(i).and_then(|n| n.system),
    }
}

mod across;
mod apparatus;
pub mod blocks;
mod claimed;
mod entities;
mod join;
mod kept;
mod ocr_damage;
mod spellings;
mod unlisted;

/// `romanisation-inconsistent` across files (`[romanisation] across_files`): each
/// document's name index compared with the others'.
pub const ACROSS_FILES: super::CrossFileRule = super::CrossFileRule {
    code: INCONSISTENT,
    enabled: |ctx| ctx.config.romanisation.across_files,
    check: across::check_across,
};

pub use blocks::NamesMemo;
#[allow(unused_imports)]
use {across::*, entities::*, ocr_damage::*, spellings::*, unlisted::*};

/// The default configuration and the embedded gazetteers, for the unit tests of the
/// names rules.
#[cfg(test)]
fn test_ctx() -> Context<'static> {
    use std::sync::LazyLock;
    static CONFIG: LazyLock<crate::config::Config> = LazyLock::new(Default::default);
    static KNOWLEDGE: LazyLock<crate::facts::Knowledge> =
        LazyLock::new(crate::facts::Knowledge::embedded);
    Context {
        config: &CONFIG,
        knowledge: &KNOWLEDGE,
    }
}

#[cfg(test)]
mod across_tests;
#[cfg(test)]
mod tests;
