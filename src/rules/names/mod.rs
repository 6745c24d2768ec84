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
        fix_is_safe: true,
    },
    Rule {
        code: OCR,
        default_severity: Severity::Warning,
        summary: "A name carries OCR damage (Kim II Sung for Kim Il Sung)",
        doc: DOC_OCR,
        fix_is_safe: true,
    },
];

const DOC_INCONSISTENT: &str = r#"# romanisation-inconsistent

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

The finding is on each **less-preferred** spelling; the message names the other
spelling(s) and their conventions, and related information points to them.

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

**Fixes.** *Replace with ‹preferred›* (this occurrence; safe) and *Replace all N spellings
‹x› with ‹preferred› in this document* (not applied by `--fix`).

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
English, so across files it is compared only when the gazetteer lists the name. `across_files = false` turns the
comparison off; with `--shard`, only the files of the shard are compared.

**Silence it.** `<!-- annalist-disable-next-line romanisation-inconsistent -->` before the
line, or `[rules] romanisation-inconsistent = "off"`. A faithful transcription that keeps
the source's inconsistencies on purpose may want it off, or at `hint`.

**Example.** In *Dr. Evgeni Bajanov … Dr. Evgueni Bajanov … Evgueni Bajanov*, the warning
is on *Evgeni* (unmarked), naming *Evgueni* (French-style, 2 times).
"#;

const DOC_OCR: &str = r#"# romanisation-ocr

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

**Fix.** *Replace with ‹repaired›* (safe).

**Silence it.** A faithful transcription that keeps the printed errors can switch it to
`hint` or `off` (`[rules] romanisation-ocr = "hint"`), or use
`<!-- annalist-disable-next-line romanisation-ocr -->`.

**Example.** *Receiving Kim II Sung in the Kremlin* → *Kim II Sung* is probably *Kim Il Sung*.
"#;

pub fn check(a: &Analysis, ctx: &Context, out: &mut Vec<Finding>) {
    check_and_index(a, ctx, out, false);
}

/// [`check`], and when `index` is set, the document's [`crate::facts::NameIndex`]
/// built from the same words and n-grams (cheaper than [`name_index`] afterwards).
pub fn check_and_index(
    a: &Analysis,
    ctx: &Context,
    out: &mut Vec<Finding>,
    index: bool,
) -> Option<crate::facts::NameIndex> {
    let text: &str = &a.text;
    let words = romanise::words(text, &a.md);
    let mut claimed = vec![false; words.len()];
    let first = out.len();
    check_ocr(a, ctx, &words, &mut claimed, out);
    let grams = grams_of(a, &words);
    let candidates = index.then(|| {
        let mut damaged: Vec<Span> = out
            .get(first..)
            .unwrap_or(&[])
            .iter()
            .filter(|f| f.code == OCR)
            .map(|f| f.span)
            .collect();
        damaged.sort();
        unlisted_candidates(&grams, |s| {
            let i = damaged.partition_point(|d| d.end <= s.start);
            damaged.get(i).is_some_and(|d| d.overlaps(s))
        })
    });
    let groups = group_grams(&grams);
    // The n-grams are the largest transient of the pass: gone before the next steps.
    drop(grams);
    let votes = votes_of(&a.text, &words);
    check_entities(a, ctx, &words, &mut claimed, &votes, out);
    check_unlisted(a, ctx, &words, &mut claimed, groups, &votes, out);
    candidates.map(|c| build_index(a, ctx, out.get(first..).unwrap_or(&[]), c))
}

/// Mark the words overlapping `span` as used.
fn claim(words: &[Word], claimed: &mut [bool], span: Span) {
    let i = words.partition_point(|w| w.span.end <= span.start);
    for (w, c) in words.iter().zip(claimed.iter_mut()).skip(i) {
        if w.span.start >= span.end {
            break;
        }
        *c = true;
    }
}

fn is_claimed(words: &[Word], claimed: &[bool], span: Span) -> bool {
    let i = words.partition_point(|w| w.span.end <= span.start);
    words
        .iter()
        .zip(claimed.iter())
        .skip(i)
        .take_while(|(w, _)| w.span.start < span.end)
        .any(|(_, c)| *c)
}

fn name_system(e: &Entity, name: Option<usize>) -> Option<System> {
    match name {
        None => None,
        Some(i) => e.names.get(i).and_then(|n| n.system),
    }
}

// ───────────────────────────── OCR ─────────────────────────────

fn check_ocr(
    a: &Analysis,
    ctx: &Context,
    words: &[Word],
    claimed: &mut [bool],
    out: &mut Vec<Finding>,
) {
    // The document's own knowledge: its front matter may define entities (and their
    // OCR spellings) the project's gazetteer lacks.
    let k = a.knowledge(ctx);
    let (g, lexicon) = (&k.gazetteer, &k.lexicon);
    let mut found: Vec<(Span, String, String)> = Vec::new();
    // A damaged spelling recurs: repaired once (a search over confusions).
    let mut repairs: HashMap<(&str, usize), String> = HashMap::default();
    for m in &a.mentions {
        let Some(e) = g.entities.get(m.entity) else {
            continue;
        };
        if name_system(e, m.name) != Some(System::Ocr) {
            continue;
        }
        let raw = m.span.slice(&a.text);
        let surface = raw.to_string();
        let repaired = repairs
            .entry((raw, m.entity))
            .or_insert_with(|| {
                ocr::repair(raw, |s| lexicon.is_name(s)).unwrap_or_else(|| e.preferred.clone())
            })
            .clone();
        found.push((m.span, surface, repaired));
    }
    for d in ocr::scan_words(&a.text, words, lexicon) {
        if !found.iter().any(|(s, _, _)| s.overlaps(d.span)) {
            found.push((d.span, d.surface, d.repair));
        }
    }
    found.sort_by_key(|f| f.0);
    for (span, surface, repaired) in found {
        claim(words, claimed, span);
        if surface == repaired {
            continue;
        }
        out.push(
            Finding::new(
                OCR,
                Severity::Warning,
                span,
                format!(
                    "“{surface}” looks like OCR damage of the name “{repaired}”: correct the transcription (or keep it and silence this rule if the print has it so)."
                ),
            )
            .with_fix(Fix {
                title: format!("Replace with “{repaired}”"),
                edits: vec![Edit {
                    span,
                    new_text: repaired.clone(),
                }],
                safe: true,
            }),
        );
    }
}

// ──────────────────────── shared: spellings ────────────────────────

/// One spelling of a name in the document, with where it occurs.
#[derive(Clone, Debug)]
struct Spelling {
    /// As first written.
    text: String,
    occs: Vec<Span>,
    /// How many times the name is written this way, counting longer names that contain
    /// it ("Shtykov" in "Terenty Shtykov").
    weight: usize,
    system: Option<System>,
    /// Gazetteer entity of each occurrence, if it lies within a mention.
    entities: Vec<Option<usize>>,
}

impl Spelling {
    fn first(&self) -> usize {
        self.occs.first().map(|s| s.start).unwrap_or(usize::MAX)
    }
}

/// Occurrences per (language, system) over every spelling group of the document: the
/// convention the document uses most breaks ties between equally frequent spellings.
type Votes = HashMap<(Language, System), usize>;

/// How the preferred spelling was chosen.
enum Why {
    Configured(System),
    Majority,
    /// Equally frequent; the document's usual convention for the language.
    Usual(System),
    First,
    Gazetteer(System),
    /// Across files: as frequent, but written in more files.
    MoreFiles,
}

fn configured(ctx: &Context, lang: Option<Language>) -> Option<System> {
    let r = &ctx.config.romanisation;
    let lang = lang?;
    let s = match lang {
        Language::Korean => r.korean.as_deref(),
        Language::Chinese => r.chinese.as_deref(),
        Language::Russian => r.russian.as_deref(),
    }?;
    romanise::parse_system(lang, s)
}

fn prefer_first(ctx: &Context) -> bool {
    ctx.config
        .romanisation
        .prefer
        .as_deref()
        .is_some_and(|p| p.trim().eq_ignore_ascii_case("first"))
}

/// Index of the preferred spelling among `cands` (indices into `sp`).
fn choose(
    ctx: &Context,
    lang: Option<Language>,
    sp: &[Spelling],
    cands: &[usize],
    votes: &Votes,
) -> (usize, Why) {
    let by_first = |set: &[usize]| -> Option<usize> {
        set.iter()
            .copied()
            .min_by_key(|&x| sp.get(x).map_or(usize::MAX, Spelling::first))
    };
    let by_majority = |set: &[usize]| -> Option<(usize, Why)> {
        let top = set
            .iter()
            .filter_map(|&i| sp.get(i))
            .map(|s| s.weight)
            .max()?;
        let tied: Vec<usize> = set
            .iter()
            .copied()
            .filter(|&i| sp.get(i).is_some_and(|s| s.weight == top))
            .collect();
        if tied.len() == 1 {
            return tied.first().map(|&i| (i, Why::Majority));
        }
        // The convention the document uses most for this language, if one leads.
        let usual = lang.and_then(|l| {
            let mut v: Vec<(usize, System)> = votes
                .iter()
                .filter(|((vl, _), _)| *vl == l)
                .map(|((_, sys), n)| (*n, *sys))
                .collect();
            v.sort_by_key(|y| std::cmp::Reverse(y.0));
            match (v.first(), v.get(1)) {
                (Some(a), Some(b)) if a.0 == b.0 => None,
                (Some(a), _) => Some(a.1),
                _ => None,
            }
        });
        let by_usual: Vec<usize> = tied
            .iter()
            .copied()
            .filter(|&i| usual.is_some() && sp.get(i).is_some_and(|s| s.system == usual))
            .collect();
        if let ([i], Some(sys)) = (by_usual.as_slice(), usual) {
            return Some((*i, Why::Usual(sys)));
        }
        by_first(&tied).map(|i| (i, Why::First))
    };
    if let Some(sys) = configured(ctx, lang) {
        let matching: Vec<usize> = cands
            .iter()
            .copied()
            .filter(|&i| sp.get(i).is_some_and(|s| s.system == Some(sys)))
            .collect();
        if let Some((i, _)) = by_majority(&matching) {
            return (i, Why::Configured(sys));
        }
    }
    let first = cands.first().copied().unwrap_or(0);
    if prefer_first(ctx) {
        (by_first(cands).unwrap_or(first), Why::First)
    } else {
        by_majority(cands).unwrap_or((first, Why::First))
    }
}

fn label(s: Option<System>) -> &'static str {
    s.map_or("unmarked", system_label)
}

fn times(n: usize) -> String {
    if n == 1 {
        "once".to_string()
    } else {
        format!("{n} times")
    }
}

/// Word spans of `s` (relative byte ranges).
fn word_ranges(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(st)) => {
                out.push((st, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(st) = start {
        out.push((st, s.len()));
    }
    out
}

/// The part of occurrence `span` that differs from `preferred` (whole words common at
/// both ends trimmed), and its replacement, and whether anything was trimmed.
fn diff(text: &str, span: Span, preferred: &str) -> (Span, String, bool) {
    let occ = span.slice(text);
    let ow = word_ranges(occ);
    let pw: Vec<&str> = preferred.split_whitespace().collect();
    let owt: Vec<&str> = ow
        .iter()
        .map(|&(s, e)| occ.get(s..e).unwrap_or(""))
        .collect();
    let eq = |a: &str, b: &str| a.to_lowercase() == b.to_lowercase();
    let n = owt.len().min(pw.len());
    let mut pre = 0;
    while pre < n && owt.get(pre).zip(pw.get(pre)).is_some_and(|(a, b)| eq(a, b)) {
        pre += 1;
    }
    let mut suf = 0;
    while suf < n - pre
        && owt
            .get(owt.len() - 1 - suf)
            .zip(pw.get(pw.len() - 1 - suf))
            .is_some_and(|(a, b)| eq(a, b))
    {
        suf += 1;
    }
    let whole = (span, case_like(occ, preferred), false);
    let (o_lo, o_hi) = (pre, owt.len() - suf);
    let (p_lo, p_hi) = (pre, pw.len() - suf);
    if o_lo >= o_hi || p_lo >= p_hi {
        return whole;
    }
    let (Some(&(s, _)), Some(&(_, e))) = (ow.get(o_lo), ow.get(o_hi - 1)) else {
        return whole;
    };
    let sub = Span::new(span.start + s, span.start + e);
    let repl = pw.get(p_lo..p_hi).map(|w| w.join(" ")).unwrap_or_default();
    let trimmed = pre + suf > 0;
    (sub, case_like(sub.slice(text), &repl), trimmed)
}

/// `new` in capitals when `old` is written in capitals.
fn case_like(old: &str, new: &str) -> String {
    let letters: Vec<char> = old.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase()) {
        new.to_uppercase()
    } else {
        new.to_string()
    }
}

/// The preferred spelling of a group, as shown and argued.
struct Preferred<'a> {
    index: Option<usize>,
    text: &'a str,
    system: Option<System>,
    why: Why,
}

/// The fixes of a spelling finding: replace this occurrence (`safe_one`: applied by
/// `--fix`), and, when the document writes it more than once, replace them all.
fn with_replace_fixes(
    f: Finding,
    edit: &Edit,
    all: &[Edit],
    bad: &str,
    preferred: &str,
    safe_one: bool,
) -> Finding {
    let mut f = f.with_fix(Fix {
        title: format!("Replace with “{}”", edit.new_text),
        edits: vec![edit.clone()],
        safe: safe_one,
    });
    if all.len() >= 2 {
        f = f.with_fix(Fix {
            title: format!(
                "Replace all {} spellings “{bad}” with “{preferred}” in this document",
                all.len()
            ),
            edits: all.to_vec(),
            safe: false,
        });
    }
    f
}

/// Findings on every occurrence of `sp[bad]`.
#[allow(clippy::too_many_arguments)]
fn emit(
    a: &Analysis,
    lang: Option<Language>,
    sp: &[Spelling],
    bad: usize,
    at: &[Span],
    pref: &Preferred,
    others: &[usize],
    out: &mut Vec<Finding>,
) {
    let text: &str = &a.text;
    let Some(s) = sp.get(bad) else { return };
    let lang_word = lang.map(|l| format!("{} ", l.as_str())).unwrap_or_default();
    let pref_count = pref.index.and_then(|p| sp.get(p)).map_or(0, |p| p.weight);
    let reason = match &pref.why {
        Why::Configured(sys) => format!("the configured {} spelling", system_label(*sys)),
        Why::Gazetteer(sys) => format!(
            "the gazetteer's {} spelling, as configured",
            system_label(*sys)
        ),
        Why::Majority => "the document's majority spelling".to_string(),
        Why::Usual(sys) => format!(
            "as frequent, and {} is the convention this document uses most for {lang_word}names",
            system_label(*sys)
        ),
        Why::First | Why::MoreFiles => "the first of equally frequent spellings".to_string(),
    };
    // Conventions are named only when they tell the spellings apart.
    let show = s.system != pref.system;
    let tag = |sys: Option<System>, extra: Option<String>| -> String {
        let mut parts: Vec<String> = Vec::new();
        if show {
            parts.push(label(sys).to_string());
        }
        parts.extend(extra);
        if parts.is_empty() {
            String::new()
        } else {
            format!(" ({})", parts.join(", "))
        }
    };
    let mut also: Vec<String> = others
        .iter()
        .filter(|&&o| o != bad && Some(o) != pref.index)
        .filter_map(|&o| sp.get(o))
        .map(|o| format!("“{}” ({})", o.text, label(o.system)))
        .collect();
    also.sort();
    let also = if also.is_empty() {
        String::new()
    } else {
        format!(", and as {}", also.join(", "))
    };
    let (verb, count) = if pref_count > 0 {
        ("is also written", Some(times(pref_count)))
    } else {
        ("is spelled", None)
    };
    let message = format!(
        "The {lang_word}name “{}”{} {verb} “{}”{}{also} in this document: keep one spelling — “{}” is {reason}.",
        s.text,
        tag(s.system, None),
        pref.text,
        tag(pref.system, count),
        pref.text,
    );
    let edits: Vec<(Edit, bool)> = at
        .iter()
        .map(|&o| {
            let (span, new_text, trimmed) = diff(text, o, pref.text);
            (Edit { span, new_text }, trimmed)
        })
        .collect();
    let all: Vec<Edit> = edits.iter().map(|(e, _)| e.clone()).collect();
    for (edit, _) in &edits {
        let mut f = Finding::new(INCONSISTENT, Severity::Warning, edit.span, message.clone());
        let rel = pref.index.and_then(|p| sp.get(p)).into_iter().chain(
            others
                .iter()
                .filter(|&&o| o != bad && Some(o) != pref.index)
                .filter_map(|&o| sp.get(o)),
        );
        for r in rel {
            for &ro in r.occs.iter().take(8) {
                f = f.with_related(
                    ro,
                    format!("written “{}” ({}) here", r.text, label(r.system)),
                );
            }
        }
        f = with_replace_fixes(f, edit, &all, &s.text, pref.text, true);
        out.push(f);
    }
}

// ───────────────────────── gazetteer entities ─────────────────────────

/// True when every word of the shorter name occurs in the longer one (a short form).
fn is_short_form(a: &str, b: &str) -> bool {
    let wa: Vec<String> = fold(a).split(' ').map(str::to_string).collect();
    let wb: Vec<String> = fold(b).split(' ').map(str::to_string).collect();
    let (short, long) = if wa.len() <= wb.len() {
        (&wa, &wb)
    } else {
        (&wb, &wa)
    };
    short.len() < long.len() && short.iter().all(|w| long.contains(w))
}

/// True when the words of `part` occur, in order and together, in `whole`.
fn contains_words(whole: &str, part: &str) -> bool {
    let w: Vec<String> = fold(whole).split(' ').map(str::to_string).collect();
    let p: Vec<String> = fold(part).split(' ').map(str::to_string).collect();
    !p.is_empty() && w.windows(p.len()).any(|x| x == p.as_slice())
}

/// Letters and digits, lower-case, marks kept: "Pak Hon-yong" = "Pak Hon Yong" ≠ "Pak Hŏn-yŏng".
fn letters(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfc()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// True when `surface` is one of the entity's listed spellings, up to case and separators.
fn listed(e: &Entity, surface: &str) -> bool {
    let l = letters(surface);
    std::iter::once(e.preferred.as_str())
        .chain(e.names.iter().map(|n| n.text.as_str()))
        .any(|n| letters(n) == l)
}

fn romanisation_system(s: Option<System>) -> Option<System> {
    s.filter(|s| !matches!(s, System::Ocr | System::Other))
}

/// The system a mention's spelling follows: the gazetteer's, else guessed from its letters.
fn spelling_system(declared: Option<System>, listed_name: bool, surface: &str) -> Option<System> {
    if listed_name {
        romanisation_system(declared).or_else(|| guess_system(surface))
    } else {
        guess_system(surface).or(Some(System::Conventional))
    }
}

/// The spellings of entity `e` among mentions `ms` (indices into `a.mentions`): only
/// spellings the gazetteer lists, never OCR ones, and none `skip` rejects.
fn entity_spellings(
    a: &Analysis,
    e: &Entity,
    eidx: usize,
    ms: &[usize],
    mut skip: impl FnMut(Span) -> bool,
) -> Vec<Spelling> {
    let mut sp: Vec<Spelling> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::default();
    // Each distinct (spelling, matched name) is judged once: `None` when it is not one
    // of the entity's spellings here, else its index in `sp`.
    let mut seen: HashMap<(&str, Option<usize>), Option<usize>> = HashMap::default();
    for &mi in ms {
        let Some(m) = a.mentions.get(mi) else {
            continue;
        };
        if skip(m.span) {
            continue;
        }
        let raw = m.span.slice(&a.text);
        let slot = *seen.entry((raw, m.name)).or_insert_with(|| {
            let declared = name_system(e, m.name);
            // Only spellings the gazetteer lists (up to case, spaces and hyphens) are
            // the entity's spellings here; a recogniser that folds diacritics may match
            // the English "Soul" to "Sŏul", and such a surface is judged as an unlisted
            // name. OCR spellings are the other rule's.
            if declared == Some(System::Ocr) || raw.is_empty() || !listed(e, raw) {
                return None;
            }
            // A name broken over two lines is shown on one.
            let surface = raw.split_whitespace().collect::<Vec<_>>().join(" ");
            let system = spelling_system(declared, m.name.is_some(), &surface);
            let key = fold(&surface);
            Some(*index.entry(key).or_insert_with(|| {
                sp.push(Spelling {
                    text: surface,
                    occs: Vec::new(),
                    weight: 0,
                    system,
                    entities: Vec::new(),
                });
                sp.len() - 1
            }))
        });
        if let Some(s) = slot.and_then(|i| sp.get_mut(i)) {
            s.occs.push(m.span);
            s.entities.push(Some(eidx));
        }
    }
    sp
}

/// Each spelling's weight: its occurrences and those of the longer spellings that
/// contain it ("Shtykov" in "Terenty Shtykov").
fn weigh(sp: &mut [Spelling]) {
    let weights: Vec<usize> = sp
        .iter()
        .map(|s| {
            sp.iter()
                .filter(|o| contains_words(&o.text, &s.text))
                .map(|o| o.occs.len())
                .sum()
        })
        .collect();
    for (s, w) in sp.iter_mut().zip(weights) {
        s.weight = w;
    }
}

/// When two spellings of one entity are romanisations of one name (not a short form,
/// not a different name of it): `Some(language if known)`.
pub(crate) fn variant(
    kind: EntityKind,
    x: (&str, Option<System>),
    y: (&str, Option<System>),
) -> Option<Option<Language>> {
    if is_short_form(x.0, y.0) {
        return None;
    }
    if let Some((lang, _, _)) = romanise::same_name(x.0, y.0) {
        // The gazetteer's systems say the language better than the letters do.
        let declared = [x.1, y.1].into_iter().flatten().find_map(Language::of);
        return Some(declared.or(Some(lang)));
    }
    let (sx, sy) = (romanisation_system(x.1)?, romanisation_system(y.1)?);
    // The same number of words, or of syllables where hyphens join them: Kim Il-sŏng
    // and Kim Il Sung, Yi Sŭng-man and Syngman Rhee.
    let words = |s: &str| s.split_whitespace().count();
    let parts = |s: &str| {
        s.split(|c: char| c.is_whitespace() || c == '-')
            .filter(|w| !w.is_empty())
            .count()
    };
    let same_shape = words(x.0) == words(y.0) || parts(x.0) == parts(y.0);
    (kind == EntityKind::Person && sx != sy && same_shape)
        .then(|| Language::of(sx).or_else(|| Language::of(sy)))
}

/// What this document contributes to the comparison of spellings across files: for
/// each gazetteer entity it names, the spellings it uses (OCR-damaged ones left out),
/// and whether the per-file rule already found them inconsistent. `raw` are the
/// document's findings before configuration and suppression.
fn build_index(
    a: &Analysis,
    ctx: &Context,
    raw: &[Finding],
    mut unlisted: Vec<crate::workspace::UnlistedName>,
) -> crate::facts::NameIndex {
    use crate::facts::{EntityNames, NameIndex, Spelled};
    let g = &a.knowledge(ctx).gazetteer;
    // Where each code's findings lie, as sorted disjoint ranges (a document may carry
    // thousands of findings and of mentions).
    let ranges = |code: &str| -> Vec<Span> {
        let mut v: Vec<Span> = raw
            .iter()
            .filter(|f| f.code == code)
            .map(|f| f.span)
            .collect();
        v.sort();
        let mut out: Vec<Span> = Vec::with_capacity(v.len());
        for s in v {
            match out.last_mut() {
                Some(l) if s.start < l.end => l.end = l.end.max(s.end),
                _ => out.push(s),
            }
        }
        out
    };
    let (ocr_at, inconsistent_at) = (ranges(OCR), ranges(INCONSISTENT));
    let hit = |code: &str, span: Span| {
        let v = if code == OCR {
            &ocr_at
        } else {
            &inconsistent_at
        };
        let i = v.partition_point(|r| r.end <= span.start);
        v.get(i).is_some_and(|r| r.overlaps(span))
    };
    let mut by_entity: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, m) in a.mentions.iter().enumerate() {
        by_entity.entry(m.entity).or_default().push(i);
    }
    let mut entities = Vec::new();
    for (eidx, ms) in by_entity {
        let Some(e) = g.entities.get(eidx) else {
            continue;
        };
        let sp = entity_spellings(a, e, eidx, &ms, |s| hit(OCR, s));
        if sp.is_empty() {
            continue;
        }
        let mixed = sp
            .iter()
            .any(|s| s.occs.iter().any(|&o| hit(INCONSISTENT, o)));
        let mut spellings: Vec<Spelled> = sp
            .into_iter()
            .map(|s| Spelled {
                text: s.text,
                system: s.system,
                occs: s.occs,
            })
            .collect();
        spellings.sort_by(|x, y| x.text.cmp(&y.text));
        entities.push(EntityNames {
            id: e.id.clone(),
            kind: e.kind,
            spellings,
            mixed,
        });
    }
    entities.sort_by(|x, y| x.id.cmp(&y.id));
    for u in &mut unlisted {
        u.mixed = u.occs.iter().any(|&o| hit(INCONSISTENT, o));
    }
    unlisted.sort_by(|x, y| (x.lang, &x.text).cmp(&(y.lang, &y.text)));
    NameIndex { entities, unlisted }
}

/// Names nobody listed whose letters show a convention, from the document's n-grams
/// (`damaged`: where OCR damage was found). Each distinct spelling is judged once.
fn unlisted_candidates(
    grams: &[Gram],
    damaged: impl Fn(Span) -> bool,
) -> Vec<crate::workspace::UnlistedName> {
    let mut unlisted: Vec<crate::workspace::UnlistedName> = Vec::new();
    const LANGS: [Language; 3] = [Language::Korean, Language::Chinese, Language::Russian];
    let mut at: HashMap<&str, [Option<usize>; 3]> = HashMap::default();
    for g in grams {
        if g.entity.is_some() || damaged(g.span) {
            continue;
        }
        let slots = *at.entry(g.folded.as_str()).or_insert_with(|| {
            LANGS.map(|lang| {
                if lang == Language::Russian && g.n > 1 {
                    return None;
                }
                // An unmarked Russian surname (Chistyakov) is compared with marked ones
                // (Tchistiakov), as within a file.
                let system = guess_in(lang, &g.name).or_else(|| {
                    (lang == Language::Russian && russian_surname(&g.name)).then_some(System::Other)
                })?;
                if !distinctive(lang, &g.name) {
                    return None;
                }
                let k = keys(lang, &g.name);
                if k.is_empty() {
                    return None;
                }
                unlisted.push(crate::workspace::UnlistedName {
                    lang,
                    text: g.name.clone(),
                    system,
                    keys: k,
                    occs: Vec::new(),
                    mixed: false,
                });
                Some(unlisted.len() - 1)
            })
        });
        for slot in slots {
            if let Some(u) = slot.and_then(|i| unlisted.get_mut(i)) {
                u.occs.push(g.span);
            }
        }
    }
    unlisted
}

/// A single word with a Russian surname's ending that English words do not share
/// (-ov, -ev, -sky, -ski, -skii, -enko, -vich…; not -in, as in Martin), seven letters
/// or more: Chistyakov, Malinovsky.
fn russian_surname(s: &str) -> bool {
    let w = s.to_lowercase();
    !w.contains([' ', '-'])
        && w.chars().count() >= 7
        && [
            "ov", "ev", "ow", "ew", "sky", "ski", "skii", "skiy", "skij", "enko", "vich", "vitch",
        ]
        .iter()
        .any(|e| w.ends_with(e))
}

/// A spelling whose letters alone make it a romanised name of `lang` rather than an
/// English word (the one-sided half of [`strong_enough`], stricter for Chinese).
fn distinctive(lang: Language, s: &str) -> bool {
    let shaped = s.contains(' ') || s.contains('-');
    match lang {
        Language::Korean => {
            matches!(
                korean::guess(s),
                Some(System::McCuneReischauer | System::NorthKorean)
            ) || (shaped && korean::guess(s).is_some())
        }
        Language::Chinese => shaped || marked(s),
        Language::Russian => russian::strong_marks(s) || russian_surname(s),
    }
}

/// The next group of spellings among those not `done` that are pairwise linked by
/// `variant` (one name in several romanisations), with its language: the one a pair
/// revealed, else the first a spelling's system belongs to. `None` when no two
/// remaining spellings are variants.
fn next_cluster<T>(
    sp: &[T],
    done: &[bool],
    variant: impl Fn(&T, &T) -> Option<Option<Language>>,
    system: impl Fn(&T) -> Option<System>,
) -> Option<(Vec<usize>, Option<Language>)> {
    let open: Vec<usize> = (0..sp.len())
        .filter(|&i| !done.get(i).copied().unwrap_or(true))
        .collect();
    let mut cluster: Vec<usize> = Vec::new();
    let mut lang = None;
    for &i in &open {
        for &j in &open {
            if i < j
                && let (Some(x), Some(y)) = (sp.get(i), sp.get(j))
                && let Some(l) = variant(x, y)
            {
                lang = lang.or(l);
                for k in [i, j] {
                    if !cluster.contains(&k) {
                        cluster.push(k);
                    }
                }
            }
        }
    }
    if cluster.is_empty() {
        return None;
    }
    let lang = lang.or_else(|| {
        cluster
            .iter()
            .filter_map(|&i| sp.get(i).and_then(&system).and_then(Language::of))
            .next()
    });
    Some((cluster, lang))
}

fn check_entities(
    a: &Analysis,
    ctx: &Context,
    words: &[Word],
    claimed: &mut [bool],
    votes: &Votes,
    out: &mut Vec<Finding>,
) {
    let g = &a.knowledge(ctx).gazetteer;
    let mut by_entity: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, m) in a.mentions.iter().enumerate() {
        by_entity.entry(m.entity).or_default().push(i);
    }
    for (eidx, ms) in by_entity {
        let Some(e) = g.entities.get(eidx) else {
            continue;
        };
        let mut sp = entity_spellings(a, e, eidx, &ms, |s| is_claimed(words, claimed, s));
        if sp.len() < 2 {
            continue;
        }
        weigh(&mut sp);
        let variant = |x: &Spelling, y: &Spelling| -> Option<Option<Language>> {
            variant(e.kind, (&x.text, x.system), (&y.text, y.system))
        };
        let mut done = vec![false; sp.len()];
        while let Some((cluster, lang)) = next_cluster(&sp, &done, variant, |s| s.system) {
            let (pi, why) = choose(ctx, lang, &sp, &cluster, votes);
            // A configured system none of the spellings follows: the gazetteer's spelling in it.
            let gaz = configured(ctx, lang).and_then(|sys| {
                if matches!(why, Why::Configured(_)) {
                    return None;
                }
                e.names
                    .iter()
                    .find(|n| n.system == Some(sys))
                    .map(|n| (n.text.as_str(), sys))
            });
            let pref = match gaz {
                Some((t, sys)) => Preferred {
                    index: None,
                    text: t,
                    system: Some(sys),
                    why: Why::Gazetteer(sys),
                },
                None => Preferred {
                    index: Some(pi),
                    text: sp.get(pi).map_or("", |s| s.text.as_str()),
                    system: sp.get(pi).and_then(|s| s.system),
                    why,
                },
            };
            let bad: Vec<usize> = cluster
                .iter()
                .copied()
                .filter(|&i| Some(i) != pref.index)
                .filter(|&i| match (pref.index.and_then(|p| sp.get(p)), sp.get(i)) {
                    (Some(p), Some(s)) => variant(s, p).is_some(),
                    (None, Some(s)) => fold(&s.text) != fold(pref.text),
                    _ => false,
                })
                .collect();
            for &b in &bad {
                if let Some(s) = sp.get(b) {
                    emit(a, lang, &sp, b, &s.occs, &pref, &bad, out);
                }
            }
            // Claimed: the cluster, and the longer names that contain one of its spellings
            // ("Terenty Shtykov" for "Shtykov").
            for s in &sp {
                if cluster
                    .iter()
                    .filter_map(|&i| sp.get(i))
                    .any(|c| contains_words(&s.text, &c.text))
                {
                    for &o in &s.occs {
                        claim(words, claimed, o);
                    }
                }
            }
            for &i in &cluster {
                if let Some(d) = done.get_mut(i) {
                    *d = true;
                }
            }
        }
    }
}

// ───────────────────────── names nobody listed ─────────────────────────

/// A word that may be part of a romanised name: capitalised, no digits, not an acronym
/// (a word in capitals counts from five letters: PEKING, not NATO).
fn eligible(text: &str, w: &Word) -> bool {
    let s = w.span.slice(text);
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
    w.capital
        && letters.len() >= 2
        && !s.chars().any(|c| c.is_ascii_digit())
        && (letters.len() >= 5 || !letters.iter().all(|c| c.is_uppercase()))
}

fn marked(s: &str) -> bool {
    s.chars()
        .any(|c| !c.is_ascii() || romanise::is_apostrophe(c))
}

/// Spellings that differ only in spaces, hyphens and apostrophes (Kim Il Sung, Kim Il-sung).
fn separators_only(a: &str, b: &str) -> bool {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    squash(a) == squash(b)
}

/// A Latin word with a typical Russian surname ending (Vyshinsky, Vychinski, Malenkov):
/// two such unmarked spellings with one back-transliteration are one name.
fn russian_looking(s: &str) -> bool {
    let w = s.to_lowercase();
    w.chars().count() >= 6
        && [
            "ov", "ev", "ow", "ew", "off", "in", "ine", "sky", "ski", "skii", "skiy", "skij",
            "enko", "ich", "itch", "itsch", "ovna", "evna",
        ]
        .iter()
        .any(|e| w.ends_with(e))
}

/// Whether a difference of conventions between two unlisted spellings is evidence
/// enough. English words carry the weak marks by chance (Leon/Lon: eo; Louis/Luis: ou;
/// John: j; William: w): a weak mark needs a name's shape — several words or a hyphen
/// (Pak Heon-yeong), seven letters or more for Korean (Pyeongyang), a Russian surname
/// ending for Russian (Bajanov).
fn strong_enough(lang: Language, a: &str, b: &str) -> bool {
    let shaped = |x: &str| x.contains(' ') || x.contains('-');
    match lang {
        Language::Korean => {
            let strong = |x: &str| {
                matches!(
                    korean::guess(x),
                    Some(System::McCuneReischauer | System::NorthKorean)
                )
            };
            strong(a)
                || strong(b)
                || shaped(a)
                || shaped(b)
                || a.chars().count().min(b.chars().count()) >= 7
        }
        Language::Chinese => true,
        Language::Russian => {
            russian::strong_marks(a)
                || russian::strong_marks(b)
                || russian_looking(a)
                || russian_looking(b)
        }
    }
}

/// Romanisation keys of a name, memoised across documents: the same words recur in
/// every file of a collection, and a Russian name's candidates are costly to generate.
/// The memo is bounded (cleared when full), so a long-running server cannot grow it
/// without limit.
fn keys(lang: Language, name: &str) -> std::sync::Arc<Vec<String>> {
    use std::sync::{Arc, Mutex, OnceLock};
    type Memo = Mutex<HashMap<(Language, String), Arc<Vec<String>>>>;
    static MEMO: OnceLock<Memo> = OnceLock::new();
    const MAX_ENTRIES: usize = 200_000;
    let memo = MEMO.get_or_init(|| Mutex::new(HashMap::default()));
    let key = (lang, name.to_string());
    if let Some(v) = memo.lock().ok().and_then(|m| m.get(&key).cloned()) {
        return v;
    }
    let v = Arc::new(compute_keys(lang, name));
    if let Ok(mut m) = memo.lock() {
        if m.len() >= MAX_ENTRIES {
            m.clear();
        }
        m.insert(key, v.clone());
    }
    v
}

fn compute_keys(lang: Language, name: &str) -> Vec<String> {
    match lang {
        Language::Korean => korean::key(name).into_iter().collect(),
        Language::Chinese => chinese::readings(name)
            .into_iter()
            .map(|(k, _)| k)
            .collect(),
        Language::Russian => russian::candidates(name)
            .into_iter()
            .map(|(k, _)| k)
            .collect(),
    }
}

fn same_in(lang: Language, a: &str, b: &str) -> bool {
    match lang {
        Language::Korean => korean::same(a, b),
        Language::Chinese => chinese::same(a, b).is_some(),
        Language::Russian => russian::same(a, b).is_some(),
    }
}

fn find(parent: &mut [usize], mut x: usize) -> usize {
    while let Some(&p) = parent.get(x) {
        if p == x {
            break;
        }
        let gp = parent.get(p).copied().unwrap_or(p);
        if let Some(slot) = parent.get_mut(x) {
            *slot = gp;
        }
        x = p;
    }
    x
}

/// Spellings of prose words that one language's keys put together.
struct Group {
    lang: Language,
    spellings: Vec<Spelling>,
    /// Byte length of the longest occurrence (longer names are judged first).
    longest: usize,
}

/// Group the capitalised words and runs of the prose by each language's keys: n-grams
/// of up to three words for Korean and Chinese (names split over words), single words
/// for Russian.
/// A capitalised n-gram of prose (up to three eligible words) that may be a name.
struct Gram {
    n: usize,
    span: Span,
    name: String,
    folded: String,
    /// The gazetteer entity whose mention contains it, if any.
    entity: Option<usize>,
}

/// Every n-gram of eligible capitalised words (up to three) with its span, text and
/// folded text. A word that starts a sentence counts only when seen mid-sentence too,
/// marked, or followed by another capitalised word.
fn grams_of(a: &Analysis, words: &[Word]) -> Vec<Gram> {
    let text: &str = &a.text;
    let runs = capital_runs(text, words);
    // Each word folded once per distinct spelling (fold works word by word, so a
    // name's fold is its words' folds joined by spaces).
    let mut memo: HashMap<&str, std::rc::Rc<str>> = HashMap::default();
    let folds: Vec<std::rc::Rc<str>> = words
        .iter()
        .map(|w| {
            let s = w.span.slice(text);
            memo.entry(s)
                .or_insert_with(|| std::rc::Rc::from(fold(s)))
                .clone()
        })
        .collect();
    let eligible_w: Vec<bool> = words.iter().map(|w| eligible(text, w)).collect();
    // Words that start a sentence count only when seen mid-sentence too, marked, or
    // followed by another capitalised word (P'eng Te-huai… Peng Dehuai).
    let mid: foldhash::HashSet<&str> = words
        .iter()
        .zip(&folds)
        .zip(&eligible_w)
        .filter(|((w, _), e)| !w.initial && **e)
        .map(|((_, f), _)| &**f)
        .collect();
    let mut ok: Vec<bool> = words
        .iter()
        .zip(&folds)
        .zip(&eligible_w)
        .map(|((w, f), e)| *e && (!w.initial || marked(w.span.slice(text)) || mid.contains(&**f)))
        .collect();
    for run in &runs {
        if run.len() >= 2
            && let Some(slot) = ok.get_mut(run.start)
            && words.get(run.start).is_some_and(|w| eligible(text, w))
            && words.get(run.start + 1).is_some_and(|w| eligible(text, w))
        {
            *slot = true;
        }
    }
    // Mentions sorted by start: the one containing a span, if any.
    let mut by_start: Vec<(Span, usize)> = a.mentions.iter().map(|m| (m.span, m.entity)).collect();
    by_start.sort();
    let entity_at = |span: Span| -> Option<usize> {
        let i = by_start.partition_point(|(s, _)| s.start <= span.start);
        by_start
            .get(..i)
            .unwrap_or(&[])
            .iter()
            .rev()
            .take(4)
            .find(|(s, _)| span.end <= s.end)
            .map(|(_, e)| *e)
    };
    let mut grams: Vec<Gram> = Vec::new();
    for run in &runs {
        for i in run.clone() {
            for n in 1..=3 {
                let r = i..i + n;
                if r.end > run.end || !ok.get(r.clone()).is_some_and(|v| v.iter().all(|&b| b)) {
                    break;
                }
                let (Some(f), Some(l)) = (words.get(r.start), words.get(r.end - 1)) else {
                    break;
                };
                let span = Span::new(f.span.start, l.span.end);
                let name: String = r
                    .clone()
                    .filter_map(|k| words.get(k).map(|w| w.span.slice(text)))
                    .collect::<Vec<_>>()
                    .join(" ");
                let folded = r
                    .clone()
                    .filter_map(|k| folds.get(k).map(|f| &**f))
                    .collect::<Vec<_>>()
                    .join(" ");
                grams.push(Gram {
                    n,
                    span,
                    name,
                    folded,
                    entity: entity_at(span),
                });
            }
        }
    }
    grams
}

fn group_grams(grams: &[Gram]) -> Vec<Group> {
    let mut groups = Vec::new();
    for lang in [Language::Korean, Language::Chinese, Language::Russian] {
        let max_n = if lang == Language::Russian { 1 } else { 3 };
        let mut sp: Vec<Spelling> = Vec::new();
        let mut index: HashMap<&str, Option<usize>> = HashMap::default();
        let mut key_owner: HashMap<String, usize> = HashMap::default();
        let mut parent: Vec<usize> = Vec::new();
        for g in grams.iter().filter(|g| g.n <= max_n) {
            let (span, name, folded) = (g.span, &g.name, g.folded.as_str());
            let idx = match index.get(folded) {
                Some(x) => *x,
                None => {
                    let ks = keys(lang, name).as_ref().clone();
                    if ks.is_empty() {
                        index.insert(folded, None);
                        continue;
                    }
                    let x = sp.len();
                    sp.push(Spelling {
                        text: name.clone(),
                        occs: Vec::new(),
                        weight: 0,
                        system: guess_in(lang, name),
                        entities: Vec::new(),
                    });
                    parent.push(x);
                    index.insert(folded, Some(x));
                    for k in ks {
                        match key_owner.get(&k) {
                            Some(&o) => {
                                let (ra, rb) = (find(&mut parent, o), find(&mut parent, x));
                                if let Some(p) = parent.get_mut(rb) {
                                    *p = ra;
                                }
                            }
                            None => {
                                key_owner.insert(k, x);
                            }
                        }
                    }
                    Some(x)
                }
            };
            if let Some(s) = idx.and_then(|i| sp.get_mut(i)) {
                s.occs.push(span);
                s.weight += 1;
                s.entities.push(g.entity);
            }
        }
        let mut comps: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for i in 0..sp.len() {
            let root = find(&mut parent, i);
            comps.entry(root).or_default().push(i);
        }
        for members in comps.into_values().filter(|c| c.len() >= 2) {
            let spellings: Vec<Spelling> =
                members.iter().filter_map(|&i| sp.get(i).cloned()).collect();
            let longest = spellings
                .iter()
                .flat_map(|s| s.occs.iter().map(|o| o.len()))
                .max()
                .unwrap_or(0);
            groups.push(Group {
                lang,
                spellings,
                longest,
            });
        }
    }
    // Longest names first, so that "Chou En-lai" / "Zhou Enlai" wins over "En-lai".
    // Between languages, the one whose conventions mark more of the spellings.
    groups.sort_by_key(|g| {
        let marked = g.spellings.iter().filter(|s| s.system.is_some()).count();
        (
            std::cmp::Reverse(g.longest),
            std::cmp::Reverse(marked),
            g.lang,
        )
    });
    groups
}

/// Marked words per (language, convention): each capitalised word whose letters show a
/// convention of a language it can be read in.
fn votes_of(text: &str, words: &[Word]) -> Votes {
    let mut votes = Votes::default();
    // Marks per folded word, computed from its first spelling; raw spellings map to
    // them so that a repeated word is neither folded nor guessed again.
    let mut marks: Vec<Vec<(Language, System)>> = Vec::new();
    let mut by_fold: HashMap<String, usize> = HashMap::default();
    let mut by_raw: HashMap<&str, usize> = HashMap::default();
    for w in words.iter().filter(|w| eligible(text, w)) {
        let s = w.span.slice(text);
        let i = match by_raw.get(s) {
            Some(&i) => i,
            None => {
                let i = *by_fold.entry(fold(s)).or_insert_with(|| {
                    marks.push(
                        [Language::Korean, Language::Chinese, Language::Russian]
                            .into_iter()
                            .filter_map(|l| {
                                let sys = guess_in(l, s)?;
                                // Any Latin word reads as Russian: no need to generate
                                // its candidates.
                                (l == Language::Russian || !keys(l, s).is_empty())
                                    .then_some((l, sys))
                            })
                            .collect(),
                    );
                    marks.len() - 1
                });
                by_raw.insert(s, i);
                i
            }
        };
        for m in marks.get(i).into_iter().flatten() {
            *votes.entry(*m).or_default() += 1;
        }
    }
    votes
}

fn check_unlisted(
    a: &Analysis,
    ctx: &Context,
    words: &[Word],
    claimed: &mut [bool],
    groups: Vec<Group>,
    votes: &Votes,
    out: &mut Vec<Finding>,
) {
    for group in groups {
        let lang = group.lang;
        // Every occurrence counts for the preference; only free ones get findings.
        let live: Vec<Spelling> = group.spellings;
        if live.len() < 2 {
            continue;
        }
        let all: Vec<usize> = (0..live.len()).collect();
        let (pi, why) = choose(ctx, Some(lang), &live, &all, votes);
        let Some(p) = live.get(pi) else { continue };
        let bad: Vec<usize> = all
            .iter()
            .copied()
            .filter(|&i| i != pi)
            .filter(|&i| {
                let Some(s) = live.get(i) else { return false };
                let differ = (s.system != p.system
                    && (s.system.is_some() || p.system.is_some())
                    && strong_enough(lang, &s.text, &p.text))
                    || separators_only(&s.text, &p.text)
                    || (lang == Language::Russian
                        && russian_looking(&s.text)
                        && russian_looking(&p.text));
                // Occurrences inside mentions of two different entities are two names.
                let ents: Vec<usize> = s
                    .entities
                    .iter()
                    .chain(&p.entities)
                    .flatten()
                    .copied()
                    .collect();
                let one_entity = ents.windows(2).all(|w| w.first() == w.last());
                differ
                    && one_entity
                    && !is_short_form(&s.text, &p.text)
                    && same_in(lang, &s.text, &p.text)
            })
            .collect();
        if bad.is_empty() {
            continue;
        }
        let pref = Preferred {
            index: Some(pi),
            text: &p.text,
            system: p.system,
            why,
        };
        for &b in &bad {
            let Some(s) = live.get(b) else { continue };
            let free: Vec<Span> = s
                .occs
                .iter()
                .copied()
                .filter(|o| !is_claimed(words, claimed, *o))
                .collect();
            if !free.is_empty() {
                emit(a, Some(lang), &live, b, &free, &pref, &bad, out);
            }
        }
        for &i in bad.iter().chain(std::iter::once(&pi)) {
            if let Some(s) = live.get(i) {
                for &o in &s.occs {
                    claim(words, claimed, o);
                }
            }
        }
    }
}

#[cfg(test)]
mod across_tests;
#[cfg(test)]
mod tests;

// ───────────────────────── across files ─────────────────────────

/// One spelling over the workspace.
struct Across<'a> {
    text: &'a str,
    system: Option<System>,
    /// (document, occurrences there).
    places: Vec<(usize, &'a [Span])>,
    weight: usize,
}

impl Across<'_> {
    fn count(&self) -> usize {
        self.places.iter().map(|(_, o)| o.len()).sum()
    }
}

/// `romanisation-inconsistent` across documents: a gazetteer entity each document
/// writes one way, but the documents differ. The finding is on the documents that use
/// a less-preferred spelling; documents that already mix spellings are left to the
/// per-file rule. Fixes are offered, never applied by `--fix`: across files the choice
/// of a spelling is the edition's, and `[romanisation]` is where to make it.
pub fn check_across(
    docs: &[crate::workspace::Doc],
    only: Option<usize>,
    ctx: &Context,
    out: &mut [Vec<Finding>],
) {
    use crate::workspace::EntityNames;
    let mut by_id: BTreeMap<&str, Vec<(usize, &EntityNames)>> = BTreeMap::new();
    for (d, doc) in docs.iter().enumerate() {
        for e in &doc.names.entities {
            by_id.entry(e.id.as_str()).or_default().push((d, e));
        }
    }
    for (id, uses) in by_id {
        if uses.len() < 2 || only.is_some_and(|o| !uses.iter().any(|(d, _)| *d == o)) {
            continue;
        }
        let kind = uses.first().map_or(EntityKind::Person, |(_, e)| e.kind);
        // Spellings over the workspace, keyed like the per-file rule (case and
        // separators aside).
        let mut sp: Vec<Across> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::default();
        for &(d, e) in &uses {
            for s in &e.spellings {
                let i = *index.entry(fold(&s.text)).or_insert_with(|| {
                    sp.push(Across {
                        text: &s.text,
                        system: s.system,
                        places: Vec::new(),
                        weight: 0,
                    });
                    sp.len() - 1
                });
                if let Some(a) = sp.get_mut(i) {
                    a.places.push((d, &s.occs));
                }
            }
        }
        if sp.len() < 2 {
            continue;
        }
        let weights: Vec<usize> = sp
            .iter()
            .map(|s| {
                sp.iter()
                    .filter(|o| contains_words(o.text, s.text))
                    .map(Across::count)
                    .sum()
            })
            .collect();
        for (s, w) in sp.iter_mut().zip(weights) {
            s.weight = w;
        }
        let var = |x: &Across, y: &Across| variant(kind, (x.text, x.system), (y.text, y.system));
        let mut done = vec![false; sp.len()];
        while let Some((cluster, lang)) = next_cluster(&sp, &done, var, |s| s.system) {
            for &i in &cluster {
                if let Some(d) = done.get_mut(i) {
                    *d = true;
                }
            }
            // The spellings' documents must differ for anything to be said here.
            let docs_of = |i: usize| -> Vec<usize> {
                sp.get(i)
                    .map(|s| s.places.iter().map(|p| p.0).collect())
                    .unwrap_or_default()
            };
            let Some((pref_text, pref_sys, pref_idx, why)) =
                preferred_across(ctx, id, lang, &sp, &cluster)
            else {
                continue;
            };
            let pref_docs: Vec<usize> = pref_idx.map(&docs_of).unwrap_or_default();
            let pref_count = pref_idx.and_then(|p| sp.get(p)).map_or(0, Across::count);
            for &b in &cluster {
                if Some(b) == pref_idx {
                    continue;
                }
                let Some(bad) = sp.get(b) else { continue };
                let differs = match pref_idx.and_then(|p| sp.get(p)) {
                    Some(p) => var(bad, p).is_some(),
                    None => fold(bad.text) != fold(pref_text),
                };
                if !differs {
                    continue;
                }
                for &(d, occs) in &bad.places {
                    if only.is_some_and(|o| o != d)
                        || uses.iter().any(|(ud, e)| *ud == d && e.mixed)
                    {
                        continue;
                    }
                    emit_across(
                        docs,
                        d,
                        occs,
                        lang,
                        (bad.text, bad.system),
                        &AcrossPref {
                            text: pref_text,
                            system: pref_sys,
                            places: pref_idx
                                .and_then(|p| sp.get(p))
                                .map_or(&[][..], |p| &p.places),
                            docs: &pref_docs,
                            count: pref_count,
                            why: &why,
                        },
                        out,
                    );
                }
            }
        }
    }
    // Then the names nobody listed; a place already reported is not reported again.
    check_across_unlisted(docs, only, ctx, out);
}

/// Names no gazetteer lists, across documents: spellings that carry a convention's
/// marks and share a romanisation key, written differently in different documents.
/// The same tests as within a file decide that two spellings are one name.
fn check_across_unlisted(
    docs: &[crate::workspace::Doc],
    only: Option<usize>,
    ctx: &Context,
    out: &mut [Vec<Finding>],
) {
    for lang in [Language::Korean, Language::Chinese, Language::Russian] {
        let mut sp: Vec<Across> = Vec::new();
        let mut mixed_in: Vec<Vec<usize>> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::default();
        let mut key_owner: HashMap<&str, usize> = HashMap::default();
        let mut parent: Vec<usize> = Vec::new();
        for (d, doc) in docs.iter().enumerate() {
            for u in doc.names.unlisted.iter().filter(|u| u.lang == lang) {
                let x = *index.entry(fold(&u.text)).or_insert_with(|| {
                    sp.push(Across {
                        text: &u.text,
                        system: Some(u.system),
                        places: Vec::new(),
                        weight: 0,
                    });
                    mixed_in.push(Vec::new());
                    parent.push(sp.len() - 1);
                    sp.len() - 1
                });
                if let Some(a) = sp.get_mut(x) {
                    a.places.push((d, &u.occs));
                    a.weight += u.occs.len();
                }
                if u.mixed
                    && let Some(m) = mixed_in.get_mut(x)
                {
                    m.push(d);
                }
                for k in u.keys.iter() {
                    match key_owner.get(k.as_str()) {
                        Some(&o) => {
                            let (ra, rb) = (find(&mut parent, o), find(&mut parent, x));
                            if ra != rb
                                && let Some(p) = parent.get_mut(rb)
                            {
                                *p = ra;
                            }
                        }
                        None => {
                            key_owner.insert(k.as_str(), x);
                        }
                    }
                }
            }
        }
        let mut comps: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for i in 0..sp.len() {
            let root = find(&mut parent, i);
            comps.entry(root).or_default().push(i);
        }
        // Longest names first: "Yun Kŏn-sŏp" is reported, not its part "Kŏn-sŏp".
        let mut comps: Vec<Vec<usize>> = comps.into_values().filter(|c| c.len() >= 2).collect();
        comps.sort_by_key(|c| {
            std::cmp::Reverse(
                c.iter()
                    .filter_map(|&i| sp.get(i))
                    .map(|s| s.text.len())
                    .max()
                    .unwrap_or(0),
            )
        });
        for members in comps {
            let docs_of = |i: usize| -> Vec<usize> {
                let mut v: Vec<usize> = sp
                    .get(i)
                    .map(|s| s.places.iter().map(|p| p.0).collect())
                    .unwrap_or_default();
                v.dedup();
                v
            };
            if only.is_some_and(|o| !members.iter().any(|&m| docs_of(m).contains(&o))) {
                continue;
            }
            // A document that writes two of the spellings is the per-file rule's.
            let mut per_doc: HashMap<usize, usize> = HashMap::default();
            for &m in &members {
                for d in docs_of(m) {
                    *per_doc.entry(d).or_default() += 1;
                }
            }
            let Some((pref_text, pref_sys, pref_idx, why)) =
                preferred_across(ctx, "", Some(lang), &sp, &members)
            else {
                continue;
            };
            let Some(p) = pref_idx.and_then(|i| sp.get(i)) else {
                continue;
            };
            let pref_docs = pref_idx.map(&docs_of).unwrap_or_default();
            for &b in &members {
                if Some(b) == pref_idx {
                    continue;
                }
                let Some(s) = sp.get(b) else { continue };
                let differ = (s.system != p.system && strong_enough(lang, s.text, p.text))
                    || separators_only(s.text, p.text)
                    || (lang == Language::Russian
                        && russian_surname(s.text)
                        && russian_surname(p.text));
                if !differ || is_short_form(s.text, p.text) || !same_in(lang, s.text, p.text) {
                    continue;
                }
                for &(d, occs) in &s.places {
                    let mixed = per_doc.get(&d).copied().unwrap_or(0) > 1
                        || mixed_in.get(b).is_some_and(|m| m.contains(&d));
                    if only.is_some_and(|o| o != d) || mixed {
                        continue;
                    }
                    emit_across(
                        docs,
                        d,
                        occs,
                        Some(lang),
                        (s.text, s.system),
                        &AcrossPref {
                            text: pref_text,
                            system: pref_sys,
                            places: &p.places,
                            docs: &pref_docs,
                            count: p.count(),
                            why: &why,
                        },
                        out,
                    );
                }
            }
        }
    }
}

/// The preferred spelling of a name across files, as shown and argued.
struct AcrossPref<'a> {
    text: &'a str,
    system: Option<System>,
    /// Where it is written: (document, occurrences).
    places: &'a [(usize, &'a [Span])],
    /// The documents that write it.
    docs: &'a [usize],
    count: usize,
    why: &'a Why,
}

/// Findings on the occurrences `occs` of spelling `bad` in document `d`.
#[allow(clippy::too_many_arguments)]
fn emit_across(
    docs: &[crate::workspace::Doc],
    d: usize,
    occs: &[Span],
    lang: Option<Language>,
    bad: (&str, Option<System>),
    pref: &AcrossPref,
    out: &mut [Vec<Finding>],
) {
    let (Some(doc), Some(sink)) = (docs.get(d), out.get_mut(d)) else {
        return;
    };
    let (bad_text, bad_sys) = bad;
    let elsewhere = pref.docs.iter().filter(|&&x| x != d).count();
    let lang_word = lang.map(|l| format!("{} ", l.as_str())).unwrap_or_default();
    let show = bad_sys != pref.system;
    let tag = |sys: Option<System>| {
        if show {
            format!(" ({})", label(sys))
        } else {
            String::new()
        }
    };
    let reason = match pref.why {
        Why::Configured(sys) => format!("the configured {} spelling", system_label(*sys)),
        Why::Gazetteer(sys) => format!(
            "the gazetteer's {} spelling, as configured",
            system_label(*sys)
        ),
        Why::Majority => "the workspace's majority spelling".to_string(),
        Why::MoreFiles => "as frequent, and written in more files".to_string(),
        _ => "first in alphabetical order of equally frequent spellings; set the convention under [romanisation] in annalist.toml to choose".to_string(),
    };
    let message = if elsewhere == 0 {
        format!(
            "The {lang_word}name “{bad_text}”{} should be spelled “{}”{} across the workspace: keep one spelling — “{}” is {reason}.",
            tag(bad_sys),
            pref.text,
            tag(pref.system),
            pref.text
        )
    } else {
        let files = if elsewhere == 1 {
            "1 other file".to_string()
        } else {
            format!("{elsewhere} other files")
        };
        format!(
            "The {lang_word}name “{bad_text}”{} is written “{}”{} {} in {files}: keep one spelling across the workspace — “{}” is {reason}.",
            tag(bad_sys),
            pref.text,
            tag(pref.system),
            times(pref.count),
            pref.text
        )
    };
    let edits: Vec<Edit> = occs
        .iter()
        .map(|&o| {
            let (span, new_text, _) = diff(doc.text, o, pref.text);
            Edit { span, new_text }
        })
        .collect();
    for edit in &edits {
        if sink
            .iter()
            .any(|f| f.code == INCONSISTENT && f.span.overlaps(edit.span))
        {
            continue;
        }
        let mut f = Finding::new(INCONSISTENT, Severity::Warning, edit.span, message.clone());
        let mut n = 0;
        for &(pd, pocc) in pref.places {
            let Some(pdoc) = docs.get(pd) else { continue };
            for &o in pocc.iter().take(3) {
                if n < 8 {
                    f.related.push(crate::finding::Related {
                        path: Some(pdoc.path.to_string()),
                        span: o,
                        message: format!("written “{}”{} here", pref.text, tag(pref.system)),
                    });
                    n += 1;
                }
            }
        }
        f = with_replace_fixes(f, edit, &edits, bad_text, pref.text, false);
        sink.push(f);
    }
}

/// The workspace's preferred spelling among `cluster`: (text, system, index if some
/// document writes it, why). A configured system wins; else the heaviest spelling,
/// then the one more documents use, then alphabetical order — never the order of the
/// files, which differs between front ends.
fn preferred_across<'a>(
    ctx: &'a Context,
    id: &str,
    lang: Option<Language>,
    sp: &'a [Across],
    cluster: &[usize],
) -> Option<(&'a str, Option<System>, Option<usize>, Why)> {
    // (index, why): the heaviest; then the one more files write; then alphabetical.
    let rank = |set: &[usize]| -> Option<(usize, Why)> {
        let key = |i: usize| {
            sp.get(i).map(|s| {
                let mut docs: Vec<usize> = s.places.iter().map(|p| p.0).collect();
                docs.dedup();
                (s.weight, docs.len())
            })
        };
        let best = set.iter().filter_map(|&i| key(i)).max()?;
        let tied: Vec<usize> = set
            .iter()
            .copied()
            .filter(|&i| key(i) == Some(best))
            .collect();
        let first = tied.iter().copied().min_by(|&x, &y| {
            let t = |i: usize| sp.get(i).map_or("", |s| s.text);
            t(x).cmp(t(y))
        })?;
        if tied.len() > 1 {
            return Some((first, Why::First));
        }
        let heaviest = set
            .iter()
            .filter_map(|&i| key(i))
            .filter(|k| k.0 == best.0)
            .count();
        Some((
            first,
            if heaviest > 1 {
                Why::MoreFiles
            } else {
                Why::Majority
            },
        ))
    };
    if let Some(sys) = configured(ctx, lang) {
        let matching: Vec<usize> = cluster
            .iter()
            .copied()
            .filter(|&i| sp.get(i).is_some_and(|s| s.system == Some(sys)))
            .collect();
        if let Some((i, _)) = rank(&matching) {
            let s = sp.get(i)?;
            return Some((s.text, s.system, Some(i), Why::Configured(sys)));
        }
        if let Some(n) = ctx
            .knowledge
            .gazetteer
            .entities
            .iter()
            .find(|e| e.id == id)
            .and_then(|e| e.names.iter().find(|n| n.system == Some(sys)))
        {
            return Some((n.text.as_str(), Some(sys), None, Why::Gazetteer(sys)));
        }
    }
    let (i, why) = rank(cluster)?;
    let s = sp.get(i)?;
    Some((s.text, s.system, Some(i), why))
}
