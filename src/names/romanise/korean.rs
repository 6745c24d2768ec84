//! Korean romanisation: one strict key for McCune–Reischauer (Sŏul, P'yŏngyang),
//! Revised Romanization (Pyeongyang, Gim Il-seong), DPRK official (Phyŏngyang) and
//! the conventional forms (Seoul, Kim Il Sung).
//!
//! The key works per part (a part is a word or a hyphenated piece of one), never on
//! the joined name: joining first turns "Pak Hon" into "pakhon" and then into "pakon".
//! Per part: NFKD and drop marks; delete apostrophes; a part-initial ph/th/kh becomes
//! p/t/k; a written ㅓ (ŏ, eo) is keyed both o and u, as conventional spellings write it
//! (Sŏk, Suk; Sŏng, Sung), while a plain o or u stays itself; eu→u; ai→ae (Taijon);
//! g→k, b→p, d→t, j→ch, r→l, tch→ch, shi→si; doubled consonants single. A name has
//! one key per reading of its ㅓ ([`keys`]); two spellings are one name when a key
//! meets. The first word of a name of two or more words goes through a surname table
//! (Yi = I = Lee = Rhee = Ri = Li; Pak = Park = Bak; …). The parts' keys are joined
//! without separators, so "Kim Il Sung" and "Kim Il-sung" meet, while "Kim Il"
//! ("kimil") and "Kim Jong-il" ("kimchongil") stay apart from them ("kimilsung").
//!
//! Lossy by design (aspiration and ŏ/o are folded): use it to compare spellings found
//! in one document, not to decide that two unrelated words are one name.

use super::{is_apostrophe, split_parts, strip_marks};
use crate::gazetteer::System;

/// Surname spellings that no letter rule can merge, with their key.
const SURNAMES: &[(&[&str], &str)] = &[
    (&["yi", "i", "lee", "rhee", "ri", "li", "rhie"], "i"),
    (&["pak", "park", "bak", "bahk"], "pak"),
    (&["kim", "gim"], "kim"),
    (&["choe", "choi", "chey"], "choe"),
    (&["o", "oh"], "o"),
    (&["no", "noh", "roh", "rho"], "no"),
    (&["im", "lim", "rim"], "im"),
    (&["yun", "yoon"], "yun"),
    (&["an", "ahn"], "an"),
    (&["mun", "moon"], "mun"),
    (&["son", "sohn"], "son"),
    (&["ko", "koh", "go"], "ko"),
    (&["chong", "cheong", "jeong", "chung", "jung"], "chong"),
    (&["ho", "heo", "hur", "huh"], "ho"),
];

const ONSETS: &[&str] = &["ch", "ss", "k", "n", "t", "l", "m", "p", "s", "h", ""];
const NUCLEI: &[&str] = &[
    "yae", "wae", "ae", "ya", "yo", "ye", "wa", "wo", "we", "wi", "yu", "ui", "oe", "a", "o", "e",
    "u", "i",
];
const CODAS: &[&str] = &["ng", "k", "n", "t", "l", "m", "p", ""];

/// Lower-case, marks dropped, apostrophes deleted.
fn plain(part: &str) -> String {
    strip_marks(part)
        .chars()
        .filter(|c| !is_apostrophe(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The vowel ㅓ when a spelling says so (ŏ, eo): conventional spellings write it o or u
/// (Sŏul, Seoul; Sŏk, Suk), so its keys have both.
const EO: char = 'Q';

/// Lower-case, ㅓ (ŏ, eo) as [`EO`], marks dropped, apostrophes deleted.
fn plain_eo(part: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let lower: String = part.nfc().flat_map(char::to_lowercase).collect();
    let lower = lower.replace('ŏ', "Q").replace("eo", "Q");
    strip_marks(&lower)
        .chars()
        .filter(|c| !is_apostrophe(*c))
        .collect()
}

/// The key of one part (a word or hyphenated piece), or `None` when it cannot be a
/// romanised Korean syllable sequence. ㅓ is keyed o.
pub fn part_key(part: &str) -> Option<String> {
    part_keys(part).into_iter().next()
}

/// The keys of one part: one, or, when it writes ㅓ (ŏ, eo), one per reading of each
/// ㅓ as o or u (at most 8).
pub fn part_keys(part: &str) -> Vec<String> {
    let Some(k) = part_key_eo(part) else {
        return Vec::new();
    };
    let mut out = vec![String::new()];
    for c in k.chars() {
        if c == EO && out.len() < 8 {
            out = out
                .into_iter()
                .flat_map(|o| [format!("{o}o"), format!("{o}u")])
                .collect();
        } else {
            let c = if c == EO { 'o' } else { c };
            for o in &mut out {
                o.push(c);
            }
        }
    }
    out.retain(|k| syllables(k).is_some());
    out
}

/// How many syllables a Korean reading of `word` has at fewest (Sŏul, Seoul: 2), or
/// `None` when it cannot be romanised Korean.
pub fn syllable_count(word: &str) -> Option<usize> {
    let mut n = 0;
    for part in split_parts(word) {
        let k = part_key(part)?;
        n += syllables(&k)?;
    }
    Some(n)
}

/// The key of one part with ㅓ kept as [`EO`].
fn part_key_eo(part: &str) -> Option<String> {
    let mut s = plain_eo(part);
    if s.is_empty() || !s.chars().all(|c| c.is_ascii_lowercase() || c == EO) {
        return None;
    }
    for (from, to) in [("ph", "p"), ("th", "t"), ("kh", "k")] {
        if s.starts_with(from) {
            s.replace_range(0..2, to);
        }
    }
    // ai is ae as conventional spellings write it (Taijon, Taejon).
    let s = s
        .replace("eu", "u")
        .replace("tch", "ch")
        .replace("ai", "ae");
    let mut out = String::with_capacity(s.len() + 4);
    let mut prev = ' ';
    for c in s.chars() {
        let after_n = prev == 'n';
        prev = c;
        match c {
            // "ng" is one sound; any other g is k.
            'g' if !after_n => out.push('k'),
            'b' => out.push('p'),
            'd' => out.push('t'),
            'r' => out.push('l'),
            'j' => out.push_str("ch"),
            _ => out.push(c),
        }
    }
    let mut out = out.replace("shi", "si");
    for (from, to) in [
        ("chch", "ch"),
        ("kk", "k"),
        ("tt", "t"),
        ("pp", "p"),
        ("ll", "l"),
    ] {
        out = out.replace(from, to);
    }
    syllables(&out.replace(EO, "o")).map(|_| out)
}

/// How many syllables a folded part splits into (fewest), if it splits at all.
fn syllables(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let n = b.len();
    // best[i]: fewest syllables covering s[..i].
    let mut best: Vec<Option<usize>> = vec![None; n + 1];
    if let Some(first) = best.first_mut() {
        *first = Some(0);
    }
    for i in 0..n {
        let Some(k) = best.get(i).copied().flatten() else {
            continue;
        };
        for on in ONSETS {
            let Some(rest) = s.get(i..).filter(|r| r.starts_with(on)) else {
                continue;
            };
            let rest = &rest[on.len()..];
            for nu in NUCLEI {
                let Some(rest2) = rest.strip_prefix(nu) else {
                    continue;
                };
                for co in CODAS {
                    if rest2.starts_with(co) {
                        let end = i + on.len() + nu.len() + co.len();
                        if let Some(slot) = best.get_mut(end) {
                            let v = k + 1;
                            if slot.is_none_or(|old| v < old) {
                                *slot = Some(v);
                            }
                        }
                    }
                }
            }
        }
    }
    best.get(n).copied().flatten().filter(|&k| k <= 4)
}

/// True when `word` is a romanisation of a Korean surname in the key's table (Kim,
/// Pak, Ri, Rhee…).
pub fn is_surname(word: &str) -> bool {
    let p = plain(word);
    SURNAMES.iter().any(|(v, _)| v.contains(&p.as_str()))
}

/// The strict key of a Korean name or place name, or `None` when some part of it
/// cannot be romanised Korean (ㅓ keyed o; see [`keys`] for all its readings).
pub fn key(name: &str) -> Option<String> {
    keys(name).into_iter().next()
}

/// Every key of a Korean name: one per reading of each ㅓ it writes (ŏ, eo) as o or
/// u, at most 16; empty when some part of it cannot be romanised Korean.
pub fn keys(name: &str) -> Vec<String> {
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.is_empty() {
        return Vec::new();
    }
    let mut acc: Vec<String> = vec![String::new()];
    for (wi, w) in words.iter().enumerate() {
        if wi == 0 && words.len() > 1 && !w.contains(['-', '\u{2010}', '\u{2011}']) {
            let p = plain(w);
            if let Some((_, k)) = SURNAMES.iter().find(|(v, _)| v.contains(&p.as_str())) {
                for a in &mut acc {
                    a.push_str(k);
                }
                continue;
            }
        }
        for part in split_parts(w) {
            let ks = part_keys(part);
            if ks.is_empty() {
                return Vec::new();
            }
            let mut next = Vec::new();
            for a in &acc {
                for k in &ks {
                    if next.len() < 16 {
                        next.push(format!("{a}{k}"));
                    }
                }
            }
            acc = next;
        }
    }
    acc
}

/// True when `a` and `b` are one Korean name: some key of each is the same.
pub fn same(a: &str, b: &str) -> bool {
    let kb = keys(b);
    keys(a).iter().any(|k| kb.contains(k))
}

/// Which convention a Korean spelling shows by its marks, if any: a breve or an
/// aspiration apostrophe ⇒ McCune–Reischauer; a part-initial ph/th/kh ⇒ DPRK;
/// eo/eu ⇒ Revised. `None` when nothing distinguishes it (Seoul? Kim Il Sung).
pub fn guess(name: &str) -> Option<System> {
    let lower: String = name.chars().flat_map(char::to_lowercase).collect();
    let parts: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '\u{2010}' | '\u{2011}'))
        .filter(|p| !p.is_empty())
        .collect();
    let aspirate = |p: &&str| {
        let p = plain(p);
        ["ph", "th", "kh"].iter().any(|x| p.starts_with(x))
    };
    let breve = lower.chars().any(|c| matches!(c, 'ŏ' | 'ŭ'))
        || unicode_normalization::UnicodeNormalization::nfd(lower.as_str()).any(|c| c == '\u{306}');
    // Without a breve, a leading ph/th/kh is English ("The", "Then", "Thai"): only a later
    // part of a name counts (Kim Tu Phong).
    let dprk = if breve {
        parts.iter().any(aspirate)
    } else {
        parts.iter().skip(1).any(aspirate)
    };
    let chars: Vec<char> = lower.chars().collect();
    let apostrophe = chars.iter().enumerate().any(|(i, c)| {
        is_apostrophe(*c)
            && i > 0
            && chars
                .get(i - 1)
                .is_some_and(|p| matches!(p, 'k' | 't' | 'p' | 'h' | 'n'))
            && chars.get(i + 1).is_some_and(|n| n.is_alphabetic())
    });
    if dprk && (breve || !apostrophe) && key(name).is_some() {
        return Some(System::NorthKorean);
    }
    if breve || apostrophe {
        return Some(System::McCuneReischauer);
    }
    if (lower.contains("eo") || lower.contains("eu")) && key(name).is_some() {
        return Some(System::Revised);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_the_conventions() {
        let same_groups: &[&[&str]] = &[
            &["Sŏul", "Seoul"],
            &[
                "P'yŏngyang",
                "Pyeongyang",
                "Phyŏngyang",
                "Pyongyang",
                "P’yŏngyang",
            ],
            &["Kim Il Sung", "Kim Il-sung", "KIM IL SUNG"],
            &["Pak Hon Yong", "Pak Heon-yeong", "Pak Hŏn-yŏng"],
            &["Kim Du-bong", "Kim Tu Phong", "Kim Tu-bong"],
            &[
                "Yi Sŭng-man",
                "I Seung-man",
                "Rhee Seung-man",
                "Lee Sŭng-man",
            ],
            &["Gim Il-seong", "Kim Il-sŏng"],
            &["Park Hon-yong", "Pak Hon Yong"],
            &["Kaesŏng", "Kaeseong", "Kaesong"],
            &["Ch'ŏngjin", "Cheongjin", "Chongjin"],
            // Issue #13 item 3: conventional spellings write ㅓ (ŏ, eo) as u, ai for ae,
            // and voiced initials (b, g, d, j) for p, k, t, ch. Kim Il Sung is
            // 김일성, Kim Il-sŏng in McCune–Reischauer: one man (this pair was kept apart
            // before, which the Kang Pan-sŏk / Kang Ban Suk shows to be wrong).
            &[
                "Kang Pan-sŏk",
                "Kang Ban Suk",
                "Kang Pan-seok",
                "Kang Pan-suk",
            ],
            &["Kim Il Sung", "Kim Il-sŏng", "Kim Il-seong"],
            &["Taijon", "Taejon", "Taejŏn", "Daejeon"],
            &["Kaesong", "Kaesŏng", "Gaeseong"],
            &["Pusan", "Busan"],
            &["Chonju", "Jeonju", "Chŏnju"],
            &["Tokchon", "Deokcheon", "Tŏkch'ŏn"],
        ];
        for g in same_groups {
            for a in g.iter() {
                for b in g.iter() {
                    assert!(same(a, b), "{a} = {b}: {:?} {:?}", key(a), key(b));
                }
            }
        }
    }

    #[test]
    fn keeps_different_people_apart() {
        for (a, b) in [
            ("Kim Il Sung", "Kim Jong-il"),
            ("Kim Il Sung", "Kim Il"),
            ("Kim Il", "Kim Jong-il"),
            ("Pak Hon Yong", "Pak Hong Yong"),
            ("Seoul", "Pusan"),
            // ㅓ may be written o or u, but plain o is not u.
            ("Kim Il Sung", "Kim Il Song"),
            ("Pak Hon Yong", "Pak Hun Yung"),
        ] {
            assert!(!same(a, b), "{a} ≠ {b}: {:?} {:?}", key(a), key(b));
        }
    }

    #[test]
    fn english_words_are_not_korean() {
        for w in [
            "Stalin",
            "Moscow",
            "Kremlin",
            "Zedong",
            "Evgeni",
            "Shtykov",
            "Bajanov",
            "Mao Tse-tung",
        ] {
            assert_eq!(key(w), None, "{w}");
        }
    }

    #[test]
    fn guesses_the_system() {
        for (w, s) in [
            ("Sŏul", Some(System::McCuneReischauer)),
            ("P'yŏngyang", Some(System::McCuneReischauer)),
            ("Ch'ŏngjin", Some(System::McCuneReischauer)),
            ("Phyŏngyang", Some(System::NorthKorean)),
            ("Kim Tu Phong", Some(System::NorthKorean)),
            ("Pyeongyang", Some(System::Revised)),
            ("Pak Heon-yeong", Some(System::Revised)),
            ("Seoul", Some(System::Revised)),
            ("Pyongyang", None),
            ("Kim Il Sung", None),
            ("The", None),
            ("Then", None),
            ("Thai", None),
        ] {
            assert_eq!(guess(w), s, "{w}");
        }
    }

    #[test]
    fn odd_input_is_harmless() {
        for w in [
            "",
            "-",
            "'",
            "ŏŏŏŏŏŏŏŏŏŏŏŏŏŏŏŏ",
            "K'",
            "\u{306}",
            "a-b-c-d-e",
        ] {
            let _ = key(w);
            let _ = guess(w);
        }
    }
}
