//! Russian names in Latin letters: no single Latin key works (Bajanov, Bazhanov,
//! Bajanow), so each Latin form is transliterated back into candidate Cyrillic under
//! each convention — English/BGN-PCGN, French, German, scholarly/ISO 9 — and two forms
//! are one name when their candidate sets meet.
//!
//! Candidates are canonical Cyrillic: ё and э are е, ь and ъ are dropped, and the
//! endings -ий/-ый/-ии/-и/-ы are one. Generation is bounded: at most [`CAP`] candidates
//! per convention, and [`same`] prunes the second form's candidates by the prefixes of
//! the first's.

use crate::gazetteer::System;
use std::collections::HashSet;

/// Most candidates kept per convention and word.
pub const CAP: usize = 256;

type Rules = &'static [(&'static str, &'static [&'static str])];

/// Letters every convention shares.
const COMMON: Rules = &[
    ("a", &["а"]),
    ("b", &["б"]),
    ("d", &["д"]),
    ("e", &["е"]),
    ("f", &["ф"]),
    ("i", &["и", "й"]),
    ("k", &["к"]),
    ("l", &["л"]),
    ("m", &["м"]),
    ("n", &["н"]),
    ("o", &["о"]),
    ("p", &["п"]),
    ("r", &["р"]),
    ("t", &["т"]),
    // The old English and French -off/-eff (Ignatieff, Romanoff) is -ов/-ев.
    ("ff", &["в", "ф"]),
    ("'", &[""]),
    ("’", &[""]),
    ("ʹ", &[""]),
    ("ʺ", &[""]),
];

const BGN: Rules = &[
    ("shch", &["щ"]),
    ("zh", &["ж"]),
    ("kh", &["х"]),
    ("ts", &["ц", "тс"]),
    ("ch", &["ч"]),
    ("sh", &["ш"]),
    ("ye", &["е", "йе"]),
    ("yo", &["е", "йо"]),
    ("ya", &["я"]),
    ("yu", &["ю"]),
    ("iy", &["и"]),
    ("yy", &["и"]),
    ("ë", &["е"]),
    ("g", &["г"]),
    ("v", &["в"]),
    ("z", &["з"]),
    ("s", &["с"]),
    ("u", &["у"]),
    ("y", &["ы", "й", "и"]),
    ("x", &["кс"]),
    ("h", &["х"]),
];

const FRENCH: Rules = &[
    ("chtch", &["щ"]),
    ("tch", &["ч"]),
    ("ch", &["ш"]),
    ("kh", &["х"]),
    ("ts", &["ц", "тс"]),
    ("tz", &["ц"]),
    ("iou", &["ю"]),
    ("you", &["ю"]),
    ("ou", &["у"]),
    ("ia", &["я"]),
    ("ya", &["я"]),
    ("ie", &["е", "ие"]),
    ("gu", &["г"]),
    ("g", &["г", "ж"]),
    ("j", &["ж"]),
    ("ss", &["с"]),
    ("s", &["с", "з"]),
    ("z", &["з"]),
    ("v", &["в"]),
    ("é", &["е"]),
    ("è", &["е"]),
    ("ë", &["е"]),
    ("ï", &["й", "и"]),
    ("y", &["ы", "й", "и"]),
    ("c", &["к"]),
    ("u", &["у"]),
];

const GERMAN: Rules = &[
    ("schtsch", &["щ"]),
    ("tsch", &["ч"]),
    ("sch", &["ш", "ж"]),
    ("ch", &["х"]),
    ("ck", &["к"]),
    ("tz", &["ц"]),
    ("z", &["ц"]),
    ("ss", &["с"]),
    ("ß", &["с"]),
    ("s", &["с", "з"]),
    ("je", &["е"]),
    ("jo", &["е"]),
    ("ja", &["я"]),
    ("ju", &["ю"]),
    ("ij", &["и"]),
    ("j", &["й"]),
    ("w", &["в"]),
    ("v", &["ф", "в"]),
    ("g", &["г"]),
    ("u", &["у"]),
    ("y", &["ы"]),
];

const SCHOLARLY: Rules = &[
    ("šč", &["щ"]),
    ("ŝ", &["щ"]),
    ("ž", &["ж"]),
    ("č", &["ч"]),
    ("š", &["ш"]),
    ("ch", &["х"]),
    ("x", &["х"]),
    ("h", &["х"]),
    ("c", &["ц"]),
    ("ju", &["ю"]),
    ("ja", &["я"]),
    ("û", &["ю"]),
    ("â", &["я"]),
    ("ë", &["е"]),
    ("è", &["е"]),
    ("ė", &["е"]),
    ("j", &["й"]),
    ("g", &["г"]),
    ("v", &["в"]),
    ("z", &["з"]),
    ("s", &["с"]),
    ("u", &["у"]),
    ("y", &["ы"]),
];

/// The four conventions, in the order names are reported.
pub const CONVENTIONS: [System; 4] = [
    System::BgnPcgn,
    System::French,
    System::German,
    System::Scholarly,
];

fn rules(system: System) -> Rules {
    match system {
        System::French => FRENCH,
        System::German => GERMAN,
        System::Scholarly => SCHOLARLY,
        _ => BGN,
    }
}

/// Lower-case, NFC; only letters and apostrophes kept.
fn normalise(word: &str) -> Vec<char> {
    use unicode_normalization::UnicodeNormalization;
    word.nfc()
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphabetic() || matches!(c, '\'' | '’' | 'ʹ' | 'ʺ'))
        .collect()
}

/// The canonical form of a Cyrillic word: ё/э → е, no ь/ъ, one ending for
/// -ий/-ый/-ии/-и/-ы.
pub fn canonical(cyr: &str) -> String {
    let mut s: String = cyr
        .chars()
        .flat_map(char::to_lowercase)
        .filter(|c| !matches!(c, 'ь' | 'ъ'))
        .map(|c| match c {
            'ё' | 'э' => 'е',
            c => c,
        })
        .collect();
    for end in ["ий", "ый", "ии", "ыи", "ы", "и"] {
        if let Some(stem) = s.strip_suffix(end) {
            let keep = stem.len();
            s.truncate(keep);
            s.push('и');
            break;
        }
    }
    s
}

fn matches_at(word: &[char], i: usize, pat: &str) -> bool {
    pat.chars()
        .enumerate()
        .all(|(k, pc)| word.get(i + k) == Some(&pc))
}

/// Generate canonical candidates of `word` under `system`; with `prefixes`, only along
/// paths that stay inside that prefix set.
fn generate(
    word: &[char],
    system: System,
    prefixes: Option<&HashSet<String>>,
    out: &mut HashSet<String>,
) {
    let table = rules(system);
    let mut stack: Vec<(usize, String)> = vec![(0, String::new())];
    let mut steps = 0usize;
    while let Some((i, acc)) = stack.pop() {
        steps += 1;
        if out.len() >= CAP || steps > 20_000 {
            return;
        }
        if i >= word.len() {
            out.insert(canonical(&acc));
            continue;
        }
        for (pat, alts) in table.iter().chain(COMMON.iter()) {
            if !matches_at(word, i, pat) {
                continue;
            }
            let n = pat.chars().count();
            for alt in alts.iter() {
                let mut next = acc.clone();
                next.push_str(alt);
                if let Some(p) = prefixes {
                    // The ending is canonicalised at the end: check prefixes only of
                    // what cannot change (all but the last two letters).
                    let keep = next.chars().count().saturating_sub(2);
                    let cut = next.char_indices().nth(keep).map_or(next.len(), |(k, _)| k);
                    if !p.contains(next.get(..cut).unwrap_or_default()) {
                        continue;
                    }
                }
                stack.push((i + n, next));
            }
        }
    }
}

/// Canonical Cyrillic candidates of one Latin word under one convention (bounded).
pub fn candidates_in(word: &str, system: System) -> HashSet<String> {
    let w = normalise(word);
    let mut out = HashSet::new();
    if !w.is_empty() {
        generate(&w, system, None, &mut out);
    }
    out
}

/// Canonical Cyrillic candidates of one Latin word under every convention, each with
/// the conventions that produce it.
pub fn candidates(word: &str) -> Vec<(String, Vec<System>)> {
    let mut all: Vec<(String, Vec<System>)> = Vec::new();
    for sys in CONVENTIONS {
        for c in candidates_in(word, sys) {
            match all.iter_mut().find(|(k, _)| *k == c) {
                Some((_, v)) => v.push(sys),
                None => all.push((c, vec![sys])),
            }
        }
    }
    all.sort_by(|a, b| a.0.cmp(&b.0));
    all
}

/// All prefixes of every string in `set`.
fn prefix_set<'a>(set: impl Iterator<Item = &'a String>) -> HashSet<String> {
    let mut p = HashSet::new();
    for s in set {
        let mut acc = String::new();
        p.insert(String::new());
        for c in s.chars() {
            acc.push(c);
            p.insert(acc.clone());
        }
    }
    p
}

/// If two single words are one Russian name, the conventions they meet in
/// (`a`'s first, then `b`'s), preferring a pair of different conventions.
pub fn same_word(a: &str, b: &str) -> Option<(System, System)> {
    let wa = normalise(a);
    let wb = normalise(b);
    if wa.is_empty() || wb.is_empty() {
        return None;
    }
    let mut sets_a: Vec<(System, HashSet<String>)> = Vec::new();
    for sys in CONVENTIONS {
        let mut s = HashSet::new();
        generate(&wa, sys, None, &mut s);
        sets_a.push((sys, s));
    }
    let pre = prefix_set(sets_a.iter().flat_map(|(_, s)| s.iter()));
    let mut best: Option<(System, System)> = None;
    for sb in CONVENTIONS {
        let mut s = HashSet::new();
        generate(&wb, sb, Some(&pre), &mut s);
        for (sa, set_a) in &sets_a {
            if s.iter().any(|c| set_a.contains(c)) {
                if sa != &sb && best.is_none_or(|(x, y)| x == y) {
                    best = Some((*sa, sb));
                }
                best.get_or_insert((*sa, sb));
            }
        }
    }
    best
}

/// If `a` and `b` are one Russian name (word by word), the conventions they follow.
pub fn same(a: &str, b: &str) -> Option<(System, System)> {
    let wa: Vec<&str> = a.split_whitespace().collect();
    let wb: Vec<&str> = b.split_whitespace().collect();
    if wa.len() != wb.len() || wa.is_empty() {
        return None;
    }
    let mut systems: Option<(System, System)> = None;
    for (x, y) in wa.iter().zip(&wb) {
        let pair = if x.to_lowercase() == y.to_lowercase() {
            None
        } else {
            Some(same_word(x, y)?)
        };
        if let Some(p) = pair
            && systems.is_none_or(|(s, t)| s == t)
        {
            systems = Some(p);
        }
    }
    Some(systems.unwrap_or((System::Other, System::Other)))
}

/// "ch" before a consonant is French ш (Chtykov, Vychnegradski).
fn french_ch(w: &str) -> bool {
    let chars: Vec<char> = w.chars().collect();
    chars
        .windows(3)
        .any(|x| matches!(x, ['c', 'h', c] if c.is_alphabetic() && !"aeiouyh".contains(*c)))
}

/// True when the spelling has a mark few English words have: zh, kh, shch, tch, sch,
/// chtch, gue/gui, ch before a consonant, š ž č ŝ ʹ, or an -iy/-yy ending.
pub fn strong_marks(name: &str) -> bool {
    // Words joined by spaces: marks never span two words ("Pak Hon" has no kh).
    let w: String = name
        .split_whitespace()
        .map(|x| normalise(x).into_iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ");
    ["zh", "kh", "shch", "tch", "sch", "gue", "gui"]
        .iter()
        .any(|m| w.contains(m))
        || w.chars()
            .any(|c| matches!(c, 'š' | 'ž' | 'č' | 'ŝ' | 'ʹ' | 'ʺ'))
        || french_ch(&w)
        || name
            .split_whitespace()
            .any(|x| x.ends_with("iy") || x.ends_with("yy"))
}

/// Which convention a Latin spelling of a Russian name shows by letters only one
/// convention uses, if any.
pub fn guess(name: &str) -> Option<System> {
    // Words joined by spaces: marks never span two words ("Pak Hon" has no kh).
    let w: String = name
        .split_whitespace()
        .map(|x| normalise(x).into_iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ");
    let words: Vec<String> = name
        .split_whitespace()
        .map(|x| normalise(x).into_iter().collect())
        .collect();
    if w.chars()
        .any(|c| matches!(c, 'š' | 'ž' | 'č' | 'ŝ' | 'ʹ' | 'ʺ'))
    {
        return Some(System::Scholarly);
    }
    let ends = |suffixes: &[&str]| {
        words
            .iter()
            .any(|x| suffixes.iter().any(|s| x.ends_with(s)))
    };
    if w.contains("tsch") || w.contains("sch") || w.contains('w') || ends(&["ow", "ew", "ij"]) {
        return Some(System::German);
    }
    if w.contains("tch")
        || w.contains("ou")
        || w.contains("gue")
        || w.contains("gui")
        || w.contains('j')
        || ends(&["ï"])
        || french_ch(&w)
    {
        return Some(System::French);
    }
    if w.contains("zh")
        || w.contains("kh")
        || w.contains("shch")
        || ends(&["iy", "yy"])
        || words
            .iter()
            .any(|x| x.starts_with("ye") || x.starts_with("yu") || x.starts_with("ya"))
    {
        return Some(System::BgnPcgn);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conventions_meet() {
        let groups: &[&[&str]] = &[
            &["Bajanov", "Bazhanov", "Bažanov"],
            &["Shtykov", "Chtykov", "Schtykow", "Štykov"],
            &[
                "Evgueni", "Evgeni", "Yevgeny", "Evgenii", "Jewgeni", "Evgenij", "Evgeniy",
            ],
            &[
                "Vyshinsky",
                "Vychinski",
                "Wyschinski",
                "Vyšinskij",
                "Vyshinskii",
            ],
            &["Khrushchev", "Khrouchtchev", "Chruščev"],
            &["Malenkov", "Malenkow"],
            &["Terentii", "Terenty", "Terentiy"],
        ];
        for g in groups {
            for a in g.iter() {
                for b in g.iter() {
                    assert!(same(a, b).is_some(), "{a} = {b}");
                }
            }
        }
        assert!(same("Evgeni Bajanov", "Evgueni Bajanov").is_some());
        assert!(same("Andrei Vyshinsky", "Andreï Vychinski").is_some());
    }

    #[test]
    fn different_names_stay_apart() {
        for (a, b) in [
            ("Molotov", "Malenkov"),
            ("Shtykov", "Stalin"),
            ("Bajanov", "Bazarov"),
            ("Evgeni", "Evgenia"),
            ("Evgeni Bajanov", "Evgeni"),
            ("Beria", "Bulganin"),
            ("Ivanov", "Ivanova"),
        ] {
            assert_eq!(same(a, b), None, "{a} ≠ {b}");
        }
    }

    #[test]
    fn reports_the_conventions() {
        assert_eq!(
            same_word("Bajanov", "Bazhanov"),
            Some((System::French, System::BgnPcgn))
        );
        assert_eq!(
            same_word("Schtykow", "Štykov"),
            Some((System::German, System::Scholarly))
        );
        for (w, s) in [
            ("Bajanov", Some(System::French)),
            ("Evgueni", Some(System::French)),
            ("Chtykov", Some(System::French)),
            ("Bazhanov", Some(System::BgnPcgn)),
            ("Yevgeny", Some(System::BgnPcgn)),
            ("Schtykow", Some(System::German)),
            ("Vyšinskij", Some(System::Scholarly)),
            ("Evgeni", None),
            ("Molotov", None),
            ("Pak Hon Yong", None),
        ] {
            assert_eq!(guess(w), s, "{w}");
        }
    }

    #[test]
    fn canonical_endings() {
        for (a, b) in [
            ("Евгений", "Евгении"),
            ("Вышинский", "Вышинскии"),
            ("Ёж", "еж"),
        ] {
            assert_eq!(canonical(a), canonical(b));
        }
    }

    #[test]
    fn candidate_sets_are_bounded() {
        let long = "sssssssssssssssssssssyyyyyyyyyyyyyyyyyyytststststststststs";
        for sys in CONVENTIONS {
            assert!(candidates_in(long, sys).len() <= CAP);
        }
        assert!(candidates("").is_empty());
    }
}
