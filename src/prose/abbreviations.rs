//! The one list of abbreviations whose period may not end a sentence, with what each
//! one's period says. Two passes read it: the claims' sentence splitter (a period after
//! `Mr` never ends a sentence; after `p` not before a number; after `etc` only before a
//! word that starts one) and the note-marker evidence (a period after `p` or `op. cit`
//! before `(3)` is not a sentence's end, so the number is no note marker).
//!
//! The two passes' sets differ and stay distinct: merged, `Mr. (3)` would stop ending a
//! sentence for the markers and `figs.` would stop ending one for the splitter. So every
//! word is listed once, in the group of its sentence behaviour, and each group says
//! whether the markers count it.

/// What a period after an abbreviation says about the end of a sentence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    /// It never ends one (`Mr.`, `e.g.`, `op. cit.`).
    Never,
    /// It does not end one before a number (`p. 3`, `no. 12`); elsewhere it may.
    NotBeforeNumber,
    /// It ends one only before a word that usually starts a sentence (`etc.`, `Inc.`).
    BeforeStarter,
    /// As after any other word (listed for the note markers only).
    Plain,
}

/// One group of abbreviations: lower-cased, without the final period.
struct Group {
    period: Period,
    /// Whether its period before a note marker (`p. (3)`) ends no sentence.
    before_marker: bool,
    words: &'static [&'static str],
}

/// Every abbreviation once.
const ABBREVIATIONS: &[Group] = &[
    Group {
        period: Period::Never,
        before_marker: false,
        words: &[
            "dr", "mr", "mrs", "ms", "messrs", "mme", "mlle", "st", "ste", "gen", "col", "lt",
            "capt", "cpt", "adm", "maj", "sgt", "cpl", "pvt", "cmdr", "prof", "rev", "sen", "rep",
            "gov", "pres", "hon", "amb", "ambass", "e.g", "i.e", "viz", "vs", "ca", "approx",
            "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
            "mt", "ft", "ibid", "loc",
        ],
    },
    Group {
        period: Period::Never,
        before_marker: true,
        words: &["sec", "cf", "op", "cit"],
    },
    Group {
        period: Period::NotBeforeNumber,
        before_marker: true,
        words: &[
            "no", "nos", "vol", "vols", "p", "pp", "ch", "chap", "art", "fig", "para", "ed", "eds",
            "f", "ff", "n", "nn", "d", "l", "ll",
        ],
    },
    Group {
        period: Period::NotBeforeNumber,
        before_marker: false,
        words: &["sect", "fol", "fols", "doc", "r", "file"],
    },
    Group {
        period: Period::BeforeStarter,
        before_marker: false,
        words: &[
            "etc", "inc", "ltd", "co", "corp", "jr", "sr", "univ", "al", "esq", "bros", "dept",
            "govt",
        ],
    },
    Group {
        period: Period::Plain,
        before_marker: true,
        words: &["figs", "eq", "eqs"],
    },
];

fn group(word: &str) -> Option<&'static Group> {
    ABBREVIATIONS.iter().find(|g| g.words.contains(&word))
}

/// What a period after `word` (lower-cased, without the period) says about the end of
/// a sentence; `None`: `word` is no listed abbreviation.
pub fn period(word: &str) -> Option<Period> {
    group(word).map(|g| g.period)
}

/// Whether a period after `word` (lower-cased) before a note marker ends no sentence:
/// `p. (3)`, `op. cit. (3)`.
pub fn before_marker(word: &str) -> bool {
    group(word).is_some_and(|g| g.before_marker)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_is_listed_once_lower_cased() {
        let mut all: Vec<&str> = ABBREVIATIONS
            .iter()
            .flat_map(|g| g.words.iter().copied())
            .collect();
        let n = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), n, "a word in two groups");
        assert!(
            all.iter()
                .all(|w| w.to_lowercase() == *w && !w.ends_with('.'))
        );
    }

    #[test]
    fn the_two_readers_differ_where_they_must() {
        assert_eq!(period("mr"), Some(Period::Never));
        assert!(!before_marker("mr"));
        assert_eq!(period("op"), Some(Period::Never));
        assert!(before_marker("op"));
        assert_eq!(period("p"), Some(Period::NotBeforeNumber));
        assert!(before_marker("p"));
        assert_eq!(period("doc"), Some(Period::NotBeforeNumber));
        assert!(!before_marker("doc"));
        assert_eq!(period("etc"), Some(Period::BeforeStarter));
        assert_eq!(period("figs"), Some(Period::Plain));
        assert!(before_marker("figs"));
        assert_eq!(period("plan"), None);
        assert!(!before_marker("plan"));
    }
}
