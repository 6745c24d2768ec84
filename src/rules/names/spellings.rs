//! Shared by the names rules: spellings of one name, which one is preferred, the
//! messages and the replace fixes.

use super::*;

/// How many places of each other spelling a `romanisation-inconsistent` finding
/// points to (its related places): those nearest to the finding, so that each
/// finding shows where the other spelling stands around it (the message gives the
/// count). Each place is an entry of the diagnostic the editor receives again on every
/// keystroke: with the first three places of the document on every finding, related
/// information was 29% of a 1 MB transcription's publication (227 of 811 KB) and 63%
/// of a book that spells one name two ways 1,000 times each, all of it the same three
/// places.
const RELATED_PLACES: usize = 2;

/// The [`RELATED_PLACES`] places of `occs` (in document order) nearest to `at`, in
/// document order; on equal distance the earlier place.
pub(super) fn nearest(occs: &[Span], at: Span) -> &[Span] {
    let k = occs.partition_point(|o| o.start < at.start);
    // The nearest n lie within n places either side of where `at` would stand.
    let (mut lo, mut hi) = (k, k);
    while hi - lo < RELATED_PLACES {
        let before = lo.checked_sub(1).and_then(|i| occs.get(i));
        let after = occs.get(hi);
        match (before, after) {
            (Some(b), Some(a)) => {
                if at.start.abs_diff(b.start) <= a.start.abs_diff(at.start) {
                    lo -= 1;
                } else {
                    hi += 1;
                }
            }
            (Some(_), None) => lo -= 1,
            (None, Some(_)) => hi += 1,
            (None, None) => break,
        }
    }
    occs.get(lo..hi).unwrap_or(&[])
}

/// One spelling of a name in the document, with where it occurs.
#[derive(Clone, Debug)]
pub(super) struct Spelling {
    /// As first written.
    pub(super) text: String,
    pub(super) occs: Vec<Span>,
    /// How many times the name is written this way, counting longer names that contain
    /// it ("Shtykov" in "Terenty Shtykov").
    pub(super) weight: usize,
    pub(super) system: Option<System>,
    /// Gazetteer entity of each occurrence, if it lies within a mention.
    pub(super) entities: Vec<Option<usize>>,
}

impl Spelling {
    pub(super) fn first(&self) -> usize {
        self.occs.first().map(|s| s.start).unwrap_or(usize::MAX)
    }
}

/// Occurrences per (language, system) over every spelling group of the document: the
/// convention the document uses most breaks ties between equally frequent spellings.
pub(super) type Votes = HashMap<(Language, System), usize>;

/// How the preferred spelling was chosen.
pub(super) enum Why {
    Configured(System),
    Majority,
    /// Equally frequent; the document's usual convention for the language.
    Usual(System),
    First,
    Gazetteer(System),
    /// Across files: as frequent, but written in more files.
    MoreFiles,
}

pub(super) fn configured(ctx: &Context, lang: Option<Language>) -> Option<System> {
    let r = &ctx.config.romanisation;
    let lang = lang?;
    let s = match lang {
        Language::Korean => r.korean.as_deref(),
        Language::Chinese => r.chinese.as_deref(),
        Language::Russian => r.russian.as_deref(),
    }?;
    romanise::parse_system(lang, s)
}

pub(super) fn prefer_first(ctx: &Context) -> bool {
    ctx.config
        .romanisation
        .prefer
        .as_deref()
        .is_some_and(|p| p.trim().eq_ignore_ascii_case("first"))
}

/// The convention the document uses most for `lang`, if one leads: all that
/// [`choose`] reads of the votes (the kept judgements' key, [`super::kept`]).
pub(super) fn usual(votes: &Votes, lang: Language) -> Option<System> {
    let mut v: Vec<(usize, System)> = votes
        .iter()
        .filter(|((vl, _), _)| *vl == lang)
        .map(|((_, sys), n)| (*n, *sys))
        .collect();
    v.sort_by_key(|y| std::cmp::Reverse(y.0));
    match (v.first(), v.get(1)) {
        (Some(a), Some(b)) if a.0 == b.0 => None,
        (Some(a), _) => Some(a.1),
        _ => None,
    }
}

/// Index of the preferred spelling among `cands` (indices into `sp`).
pub(super) fn choose(
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
        let usual = lang.and_then(|l| usual(votes, l));
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

pub(super) fn label(s: Option<System>) -> &'static str {
    s.map_or("unmarked", system_label)
}

pub(super) fn times(n: usize) -> String {
    if n == 1 {
        "once".to_string()
    } else {
        format!("{n} times")
    }
}

/// Word spans of `s` (relative byte ranges).
pub(super) fn word_ranges(s: &str) -> Vec<(usize, usize)> {
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
pub(super) fn diff(text: &str, span: Span, preferred: &str) -> (Span, String, bool) {
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
pub(super) fn case_like(old: &str, new: &str) -> String {
    let letters: Vec<char> = old.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase()) {
        new.to_uppercase()
    } else {
        new.to_string()
    }
}

/// The preferred spelling of a group, as shown and argued.
pub(super) struct Preferred<'a> {
    pub(super) index: Option<usize>,
    pub(super) text: &'a str,
    pub(super) system: Option<System>,
    pub(super) why: Why,
}

/// The fixes of a spelling finding: replace this occurrence (`safe_one`: applied by
/// `--fix`), and, when the document writes it more than once, replace them all — on
/// the group's first finding only (`edit` is `all[0]`): on each of N findings it
/// made N × N edits (375 MB of JSON for 1,000 + 1,000 spellings, issue #14).
pub(super) fn with_replace_fixes(
    f: Finding,
    edit: &Edit,
    all: &[Edit],
    bad: &str,
    preferred: &str,
    _safe_one: bool,
) -> Finding {
    let mut f = f.with_fix(Fix {
        title: format!("Replace with “{}”", edit.new_text),
        edits: vec![edit.clone()],
        safe: false,
    });
    if all.len() >= 2 && all.first() == Some(edit) {
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
pub(super) fn emit(
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
            for &ro in nearest(&r.occs, edit.span) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(starts: &[usize]) -> Vec<Span> {
        starts.iter().map(|&s| Span::new(s, s + 1)).collect()
    }

    fn starts(v: &[Span]) -> Vec<usize> {
        v.iter().map(|s| s.start).collect()
    }

    /// The places either side of the finding, the nearer ones when one side is
    /// closer, and what there is when there are fewer.
    #[test]
    fn the_nearest_places_of_the_other_spelling() {
        let occs = spans(&[10, 20, 30, 40, 50]);
        assert_eq!(starts(nearest(&occs, Span::new(34, 35))), [30, 40]);
        assert_eq!(starts(nearest(&occs, Span::new(21, 22))), [20, 30]);
        assert_eq!(starts(nearest(&occs, Span::new(0, 1))), [10, 20]);
        assert_eq!(starts(nearest(&occs, Span::new(90, 91))), [40, 50]);
        // Equally far: the earlier.
        assert_eq!(starts(nearest(&occs, Span::new(25, 26))), [20, 30]);
        assert_eq!(starts(nearest(&spans(&[7]), Span::new(1, 2))), [7]);
        assert!(nearest(&[], Span::new(1, 2)).is_empty());
    }

    /// A document that spells Seoul one way twenty times and another way twice: each
    /// finding points to the majority spelling in the paragraphs around it, not to the
    /// document's first three places (the same on every finding).
    #[test]
    fn each_finding_points_to_the_places_around_it() {
        let text: String = (0..20)
            .map(|i| {
                let place = if i == 5 || i == 15 { "Sŏul" } else { "Seoul" };
                format!("Paragraph {i} names {place} once.\n\n")
            })
            .collect();
        let a = crate::analysis::analyze_str(&text);
        let line_of = |s: Span| text.get(..s.start).map_or(0, |t| t.matches('\n').count());
        let found: Vec<(usize, Vec<usize>)> = a
            .findings
            .iter()
            .filter(|f| f.code == INCONSISTENT)
            .map(|f| {
                let related: Vec<usize> = f.related.iter().map(|r| line_of(r.span)).collect();
                (line_of(f.span), related)
            })
            .collect();
        // Paragraph i stands on line 2i.
        assert_eq!(found, [(10, vec![8, 12]), (30, vec![28, 32])], "{found:?}");
    }
}
