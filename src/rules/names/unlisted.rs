//! `romanisation-inconsistent` over names no gazetteer lists: n-grams of capitalised
//! words grouped by romanisation key.

use super::*;

/// A word that may be part of a romanised name: capitalised, no digits, not an acronym
/// (a word in capitals counts from five letters: PEKING, not NATO).
/// One pass over the word, no allocation: it is asked of every word of every document.
pub(super) fn eligible(text: &str, w: &Word) -> bool {
    if !w.capital {
        return false;
    }
    let (mut letters, mut all_upper) = (0usize, true);
    for c in w.span().slice(text).chars() {
        if c.is_ascii_digit() {
            return false;
        }
        if c.is_alphabetic() {
            letters += 1;
            all_upper &= c.is_uppercase();
        }
    }
    letters >= 2 && (letters >= 5 || !all_upper)
}

pub(super) fn marked(s: &str) -> bool {
    s.chars()
        .any(|c| !c.is_ascii() || romanise::is_apostrophe(c))
}

/// Spellings that differ only in spaces, hyphens and apostrophes (Kim Il Sung, Kim Il-sung).
pub(super) fn separators_only(a: &str, b: &str) -> bool {
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
pub(super) fn russian_looking(s: &str) -> bool {
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
pub(super) fn strong_enough(lang: Language, a: &str, b: &str) -> bool {
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
pub(super) fn keys(lang: Language, name: &str) -> std::sync::Arc<Vec<String>> {
    use crate::memo::Memo;
    use std::sync::{Arc, LazyLock};
    static MEMO: LazyLock<[Memo<Arc<Vec<String>>>; 3]> =
        LazyLock::new(|| std::array::from_fn(|_| Memo::new(200_000)));
    let slot = match lang {
        Language::Korean => 0,
        Language::Chinese => 1,
        Language::Russian => 2,
    };
    match MEMO.get(slot) {
        Some(m) => m.get_or(name, || Arc::new(compute_keys(lang, name))),
        None => Arc::new(compute_keys(lang, name)),
    }
}

pub(super) fn compute_keys(lang: Language, name: &str) -> Vec<String> {
    match lang {
        Language::Korean => korean::keys(name),
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

pub(super) fn same_in(lang: Language, a: &str, b: &str) -> bool {
    if !comparable(a) || !comparable(b) {
        return false;
    }
    romanise::same_in_language(lang, a, b)
}

/// Whether a spelling can be compared as a name at all: not an abbreviation (U.N.,
/// USSR), not a single syllable (Ch’en, Chen, Kim, Lee: a surname several people
/// share, or a part of a name).
pub(super) fn comparable(s: &str) -> bool {
    !romanise::is_abbreviation(s) && !romanise::single_syllable(s)
}

pub(super) fn find(parent: &mut [usize], mut x: usize) -> usize {
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
pub(super) struct Group {
    pub(super) lang: Language,
    pub(super) spellings: Vec<Spelling>,
    /// Byte length of the longest occurrence (longer names are judged first).
    pub(super) longest: usize,
}

/// Group the capitalised words and runs of the prose by each language's keys: n-grams
/// of up to three words for Korean and Chinese (names split over words), single words
/// for Russian.
/// A capitalised n-gram of prose (up to three eligible words) that may be a name.
pub(super) struct Gram<'s> {
    pub(super) n: usize,
    pub(super) span: Span,
    /// Borrowed from the blocks' work ([`super::blocks`]).
    pub(super) name: std::borrow::Cow<'s, str>,
    pub(super) folded: std::borrow::Cow<'s, str>,
    /// The gazetteer entity whose mention contains it, if any.
    pub(super) entity: Option<usize>,
    /// In the editorial apparatus (a gloss, [sic], a table of romanisations, an
    /// editor's note identifying the name): deliberate, never compared.
    pub(super) apparatus: bool,
}

/// Every n-gram of eligible capitalised words (up to three) with its span, text and
/// folded text. A word that starts a sentence counts only when seen mid-sentence too,
/// marked, or followed by another capitalised word. The whole document at once: the
/// reference [`super::blocks::grams_of_blocks`] is tested against.
#[cfg(test)]
pub(super) fn grams_of(
    a: &Analysis,
    words: &[Word],
    apparatus: &apparatus::Apparatus,
) -> Vec<Gram<'static>> {
    let text: &str = &a.text;
    let runs = capital_runs(text, words);
    // Each word folded once per distinct spelling (fold works word by word, so a
    // name's fold is its words' folds joined by spaces).
    let mut memo: HashMap<&str, std::rc::Rc<str>> = HashMap::default();
    let folds: Vec<std::rc::Rc<str>> = words
        .iter()
        .map(|w| {
            let s = w.span().slice(text);
            memo.entry(s)
                .or_insert_with(|| std::rc::Rc::from(fold(s)))
                .clone()
        })
        .collect();
    let eligible_w: Vec<bool> = words.iter().map(|w| eligible(text, w)).collect();
    let eligible_at = |i: usize| eligible_w.get(i).copied().unwrap_or(false);
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
        .map(|((w, f), e)| *e && (!w.initial || marked(w.span().slice(text)) || mid.contains(&**f)))
        .collect();
    for run in &runs {
        if run.len() >= 2
            && let Some(slot) = ok.get_mut(run.start)
            && eligible_at(run.start)
            && eligible_at(run.start + 1)
        {
            *slot = true;
        }
    }
    let entity_at = super::blocks::entity_finder(a);
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
                let span = Span::new(f.span().start, l.span().end);
                let name = joined(
                    r.clone()
                        .filter_map(|k| words.get(k).map(|w| w.span().slice(text))),
                );
                let folded = joined(r.clone().filter_map(|k| folds.get(k).map(|f| &**f)));
                grams.push(Gram {
                    n,
                    span,
                    name: std::borrow::Cow::Owned(name),
                    folded: std::borrow::Cow::Owned(folded),
                    entity: entity_at(span),
                    apparatus: apparatus.contains(span),
                });
            }
        }
    }
    grams
}

/// Parts joined by single spaces, the string allocated once at its size.
pub(super) fn joined<'t>(parts: impl Iterator<Item = &'t str> + Clone) -> String {
    let len: usize = parts.clone().map(|p| p.len() + 1).sum();
    let mut s = String::with_capacity(len.saturating_sub(1));
    for (k, p) in parts.enumerate() {
        if k > 0 {
            s.push(' ');
        }
        s.push_str(p);
    }
    s
}

pub(super) fn group_grams(grams: &[Gram]) -> Vec<Group> {
    let mut groups = Vec::new();
    for lang in [Language::Korean, Language::Chinese, Language::Russian] {
        let max_n = if lang == Language::Russian { 1 } else { 3 };
        // Each distinct spelling (by folded text) with keys: its first text and its
        // keys. Most spellings share no key with another: a [`Spelling`] is made only
        // for those that end up in a group, and the keys are borrowed, not copied.
        let mut firsts: Vec<(&str, std::sync::Arc<Vec<String>>)> = Vec::new();
        let mut index: HashMap<&str, Option<usize>> = HashMap::default();
        // Each occurrence: (spelling, span, entity), in the grams' order.
        let mut occs: Vec<(usize, Span, Option<usize>)> = Vec::new();
        for g in grams.iter().filter(|g| g.n <= max_n && !g.apparatus) {
            let (name, folded) = (&*g.name, &*g.folded);
            let idx = match index.get(folded) {
                Some(x) => *x,
                None => {
                    let ks = if comparable(name) {
                        keys(lang, name)
                    } else {
                        std::sync::Arc::default()
                    };
                    if ks.is_empty() {
                        index.insert(folded, None);
                        continue;
                    }
                    let x = firsts.len();
                    firsts.push((name, ks));
                    index.insert(folded, Some(x));
                    Some(x)
                }
            };
            if let Some(x) = idx {
                occs.push((x, g.span, g.entity));
            }
        }
        // Spellings that share a key are one name (union-find, in the order the
        // spellings were first seen).
        let mut parent: Vec<usize> = (0..firsts.len()).collect();
        let mut key_owner: HashMap<&str, usize> = HashMap::default();
        for (x, (_, ks)) in firsts.iter().enumerate() {
            for k in ks.iter() {
                match key_owner.get(k.as_str()) {
                    Some(&o) => {
                        let (ra, rb) = (find(&mut parent, o), find(&mut parent, x));
                        if let Some(p) = parent.get_mut(rb) {
                            *p = ra;
                        }
                    }
                    None => {
                        key_owner.insert(k.as_str(), x);
                    }
                }
            }
        }
        let mut comps: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for i in 0..firsts.len() {
            let root = find(&mut parent, i);
            comps.entry(root).or_default().push(i);
        }
        let comps: Vec<Vec<usize>> = comps.into_values().filter(|c| c.len() >= 2).collect();
        if comps.is_empty() {
            continue;
        }
        // The spellings of the groups, made now, their occurrences in order.
        let mut sp: Vec<Option<Spelling>> = (0..firsts.len()).map(|_| None).collect();
        for &i in comps.iter().flatten() {
            if let (Some(slot), Some(&(name, _))) = (sp.get_mut(i), firsts.get(i)) {
                *slot = Some(Spelling {
                    text: name.to_string(),
                    occs: Vec::new(),
                    weight: 0,
                    system: guess_in(lang, name),
                    entities: Vec::new(),
                });
            }
        }
        for &(x, span, entity) in &occs {
            if let Some(Some(s)) = sp.get_mut(x) {
                s.occs.push(span);
                s.weight += 1;
                s.entities.push(entity);
            }
        }
        for members in comps {
            let spellings: Vec<Spelling> = members
                .iter()
                .filter_map(|&i| sp.get_mut(i).and_then(Option::take))
                .collect();
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
/// convention of a language it can be read in. The whole document at once: the
/// reference [`super::blocks::votes_of_blocks`] is tested against.
#[cfg(test)]
pub(super) fn votes_of(text: &str, words: &[Word]) -> Votes {
    let mut votes = Votes::default();
    // Marks per folded word, computed from its first spelling; raw spellings map to
    // them so that a repeated word is neither folded nor guessed again.
    let mut marks: Vec<Vec<(Language, System)>> = Vec::new();
    let mut by_fold: HashMap<String, usize> = HashMap::default();
    let mut by_raw: HashMap<&str, usize> = HashMap::default();
    for w in words.iter().filter(|w| eligible(text, w)) {
        let s = w.span().slice(text);
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

pub(super) fn check_unlisted(
    a: &Analysis,
    ctx: &Context,
    claimed: &mut blocks::Claimed,
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
                .filter(|o| !claimed.is_claimed(*o))
                .collect();
            if !free.is_empty() {
                emit(a, Some(lang), &live, b, &free, &pref, &bad, out);
            }
        }
        for &i in bad.iter().chain(std::iter::once(&pi)) {
            if let Some(s) = live.get(i) {
                for &o in &s.occs {
                    claimed.claim(o);
                }
            }
        }
    }
}
