//! OCR damage in names: "Kim II Sung" (the Roman numeral II for Il), "Kim I1 Sung",
//! "Shrykov" for Shtykov, "rn" read for "m".
//!
//! A repair is proposed only when the repaired form is a known name (a gazetteer name)
//! and the damaged form is not itself a known name or a word the document uses: an OCR
//! guess that lands on nothing known is no guess at all.

use crate::finding::Span;
use crate::markdown::MdModel;
use crate::names::romanise::{Word, capital_runs, words};
use foldhash::{HashMap, HashSet};

/// Confusions seen in scans: (as printed, as meant).
pub const CONFUSIONS: &[(&str, &str)] = &[
    ("I", "l"),
    ("1", "l"),
    ("1", "I"),
    ("l", "I"),
    ("|", "l"),
    ("rn", "m"),
    ("m", "rn"),
    ("cl", "d"),
    ("ln", "hn"),
    ("li", "h"),
    ("m", "in"),
    ("m", "ni"),
    ("h", "b"),
    ("b", "h"),
    ("E", "R"),
    ("r", "t"),
    ("f", "t"),
    ("t", "f"),
    ("c", "e"),
    ("e", "c"),
    ("vv", "w"),
    ("u", "n"),
    ("n", "u"),
    ("ri", "n"),
    ("0", "O"),
    ("5", "S"),
    ("8", "B"),
];

/// Most confusions undone in one repair.
pub const MAX_EDITS: usize = 2;

/// Every string reachable from `s` by undoing one confusion.
fn one_step(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in s.char_indices() {
        let Some(rest) = s.get(i..) else { continue };
        for (seen, meant) in CONFUSIONS {
            if let Some(after) = rest.strip_prefix(seen) {
                let mut t = String::with_capacity(s.len() + 2);
                t.push_str(s.get(..i).unwrap_or(""));
                t.push_str(meant);
                t.push_str(after);
                out.push(t);
            }
        }
    }
    out
}

/// Strings reachable by undoing one, then two confusions (fewest edits first, in a
/// stable order), without `s` itself.
fn reachable(s: &str) -> Vec<String> {
    let mut seen: HashSet<String> = HashSet::from_iter([s.to_string()]);
    let mut out = Vec::new();
    let mut frontier = vec![s.to_string()];
    for _ in 0..MAX_EDITS {
        let mut next = Vec::new();
        for f in &frontier {
            for t in one_step(f) {
                if seen.insert(t.clone()) {
                    out.push(t.clone());
                    next.push(t);
                }
            }
        }
        frontier = next;
    }
    out
}

/// The known name `surface` was most likely meant to be, when `surface` is not known
/// itself and undoing at most [`MAX_EDITS`] OCR confusions turns it into a known name.
pub fn repair(surface: &str, known: impl Fn(&str) -> bool) -> Option<String> {
    if surface.trim().is_empty() || known(surface) || surface.len() > 80 {
        return None;
    }
    // The strings of `reachable`, in its order, asked as they are made: the search
    // stops at the first known one.
    let mut seen: HashSet<String> = HashSet::from_iter([surface.to_string()]);
    let mut frontier = vec![surface.to_string()];
    for _ in 0..MAX_EDITS {
        let mut next = Vec::new();
        for f in &frontier {
            for t in one_step(f) {
                if seen.contains(&t) {
                    continue;
                }
                if known(&t) {
                    return Some(t);
                }
                seen.insert(t.clone());
                next.push(t);
            }
        }
        frontier = next;
    }
    None
}

/// What a scan of prose knows: names (exact) and the words they are made of. Built
/// once per gazetteer ([`crate::facts::Knowledge::lexicon`]); it remembers which name
/// words each word seen repairs to, since the search over confusions is the costly
/// part and the same words recur in every file of a collection. Stored in the project
/// knowledge cache (`names/cache.rs`) without what it remembered.
#[derive(Debug, Default, serde::Serialize)]
pub struct Lexicon {
    /// The names, white space squashed, sorted ([`super::strs::Strs::sorted`]).
    names: super::strs::Strs,
    /// The words of the names, sorted.
    words: super::strs::Strs,
    #[serde(skip)]
    repairs: std::sync::Mutex<HashMap<String, std::sync::Arc<Vec<String>>>>,
}

/// Most words whose repairs a lexicon remembers (then it forgets them all).
const REPAIR_MEMO: usize = 100_000;

/// Read back as the two sorted lists it is written as; lists not sorted are an error
/// (a cache miss), since they would be searched wrongly.
impl<'de> serde::Deserialize<'de> for Lexicon {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Lexicon, D::Error> {
        let (names, words): (super::strs::Strs, super::strs::Strs) =
            serde::Deserialize::deserialize(d)?;
        if !names.is_sorted_unique() || !words.is_sorted_unique() {
            return Err(serde::de::Error::custom("an unsorted lexicon"));
        }
        Ok(Lexicon {
            names,
            words,
            repairs: Default::default(),
        })
    }
}

impl Lexicon {
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Lexicon {
        let mut all = Vec::new();
        let mut words = Vec::new();
        for n in names {
            let n = n.split_whitespace().collect::<Vec<_>>().join(" ");
            words.extend(n.split(' ').map(str::to_string));
            all.push(n);
        }
        Lexicon {
            names: super::strs::Strs::sorted(all),
            words: super::strs::Strs::sorted(words),
            repairs: Default::default(),
        }
    }
    pub fn is_name(&self, s: &str) -> bool {
        self.names.contains(s)
    }
    pub fn is_name_word(&self, w: &str) -> bool {
        self.words.contains(w)
    }

    /// The name words `w` becomes when at most [`MAX_EDITS`] OCR confusions are undone.
    pub fn word_repairs(&self, w: &str) -> std::sync::Arc<Vec<String>> {
        if let Some(r) = self.repairs.lock().ok().and_then(|m| m.get(w).cloned()) {
            return r;
        }
        let r: std::sync::Arc<Vec<String>> = std::sync::Arc::new(
            reachable(w)
                .into_iter()
                .filter(|r| self.is_name_word(r))
                .collect(),
        );
        if let Ok(mut m) = self.repairs.lock() {
            if m.len() >= REPAIR_MEMO {
                m.clear();
            }
            m.insert(w.to_string(), r.clone());
        }
        r
    }
}

/// A damaged name found in prose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Damage {
    pub span: Span,
    pub surface: String,
    pub repair: String,
}

/// Find damaged names in the prose of `text`: sequences of capitalised words that are
/// no known name but become one when OCR confusions are undone in their unknown words.
/// A word the document also writes in lower case ("modern") is never damage.
pub fn scan(text: &str, md: &MdModel, lexicon: &Lexicon) -> Vec<Damage> {
    let ws = words(text, md);
    scan_words(text, &ws, lexicon)
}

/// What one word can be in a damaged name.
#[derive(Clone, Debug)]
enum Status {
    /// A word of a known name: stays as written.
    NameWord,
    /// Not a name word, and either written in lower case elsewhere in the document or
    /// with no repair into a name word: no damaged name contains it.
    Dead,
    /// Not a name word; these repairs are name words.
    Repairs(std::sync::Arc<Vec<String>>),
}

/// [`scan`] over words already found.
pub fn scan_words(text: &str, ws: &[Word], lexicon: &Lexicon) -> Vec<Damage> {
    // Words the document writes in lower case (borrowed when already lower case).
    let lower: HashSet<std::borrow::Cow<str>> = ws
        .iter()
        .filter(|w| !w.capital)
        .map(|w| {
            let s = w.span().slice(text);
            if s.chars().any(char::is_uppercase) {
                std::borrow::Cow::Owned(s.to_lowercase())
            } else {
                std::borrow::Cow::Borrowed(s)
            }
        })
        .collect();
    scan_words_with(text, ws, lexicon, |t| lower.contains(t))
}

/// Whether a capitalised word may be part of a damaged name: no name word, but
/// repairable into one. A run with no such word holds no damaged name.
pub fn may_be_damaged(word: &str, lexicon: &Lexicon) -> bool {
    !lexicon.is_name_word(word) && !lexicon.word_repairs(word).is_empty()
}

/// [`scan_words`], told by `written_lower` whether the document writes a word (given
/// lower-cased) in lower case: the words `ws` may be a part of the document.
pub fn scan_words_with(
    text: &str,
    ws: &[Word],
    lexicon: &Lexicon,
    written_lower: impl Fn(&str) -> bool,
) -> Vec<Damage> {
    // Each distinct spelling is judged once.
    let mut statuses: HashMap<&str, Status> = HashMap::default();
    let mut out = Vec::new();
    for run in capital_runs(text, ws) {
        let run_words: Vec<&Word> = run.filter_map(|i| ws.get(i)).collect();
        let st: Vec<Status> = run_words
            .iter()
            .map(|w| {
                let t = w.span().slice(text);
                statuses
                    .entry(t)
                    .or_insert_with(|| {
                        if lexicon.is_name_word(t) {
                            Status::NameWord
                        } else if written_lower(t.to_lowercase().as_str()) {
                            Status::Dead
                        } else {
                            let reps = lexicon.word_repairs(t);
                            if reps.is_empty() {
                                Status::Dead
                            } else {
                                Status::Repairs(reps)
                            }
                        }
                    })
                    .clone()
            })
            .collect();
        let mut i = 0;
        while i < run_words.len() {
            let mut found = None;
            for len in (1..=run_words.len().saturating_sub(i).min(4)).rev() {
                let (Some(slice), Some(sts)) = (run_words.get(i..i + len), st.get(i..i + len))
                else {
                    continue;
                };
                if let Some(d) = try_ngram(text, slice, sts, lexicon) {
                    found = Some((len, d));
                    break;
                }
            }
            match found {
                Some((len, d)) => {
                    out.push(d);
                    i += len;
                }
                None => i += 1,
            }
        }
    }
    out
}

fn try_ngram(text: &str, slice: &[&Word], sts: &[Status], lexicon: &Lexicon) -> Option<Damage> {
    // Cheap tests first: every word a name word or repairable, one or two repaired.
    let mut damaged = 0;
    for s in sts {
        match s {
            Status::NameWord => {}
            Status::Dead => return None,
            Status::Repairs(_) => damaged += 1,
        }
    }
    if damaged == 0 || damaged > MAX_EDITS {
        return None;
    }
    let (first, last) = (slice.first()?, slice.last()?);
    let span = Span::new(first.span().start, last.span().end);
    let tokens: Vec<&str> = slice.iter().map(|w| w.span().slice(text)).collect();
    let surface = tokens.join(" ");
    if lexicon.is_name(&surface) {
        return None;
    }
    // A single damaged word must be long enough to be told from a short real name.
    if tokens.len() == 1 && tokens.first().is_none_or(|t| t.chars().count() < 5) {
        return None;
    }
    let mut acc: Vec<String> = vec![String::new()];
    for (t, s) in tokens.iter().zip(sts) {
        let own;
        let opts: &[String] = match s {
            Status::Repairs(r) => r,
            _ => {
                own = [t.to_string()];
                &own
            }
        };
        let mut next = Vec::new();
        for a in &acc {
            for o in opts {
                if next.len() < 64 {
                    next.push(if a.is_empty() {
                        o.clone()
                    } else {
                        format!("{a} {o}")
                    });
                }
            }
        }
        acc = next;
    }
    let repaired = acc.into_iter().find(|c| lexicon.is_name(c))?;
    Some(Damage {
        span,
        surface: span.slice(text).to_string(),
        repair: repaired,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(names: &'static [&'static str]) -> impl Fn(&str) -> bool {
        move |s| names.contains(&s)
    }

    #[test]
    fn repairs_to_known_names_only() {
        let k = known(&["Kim Il Sung", "Shtykov", "Kim Jong-il", "Jomt"]);
        for (damaged, meant) in [
            ("Kim II Sung", Some("Kim Il Sung")),
            ("Kim I1 Sung", Some("Kim Il Sung")),
            ("Kim 1l Sung", Some("Kim Il Sung")),
            ("Kim Il Sung", None),
            ("Shrykov", Some("Shtykov")),
            ("Kim II", None),
            ("Jomt", None),
            ("Stalin", None),
            ("", None),
        ] {
            assert_eq!(repair(damaged, &k).as_deref(), meant, "{damaged}");
        }
        let k2 = known(&["Kim"]);
        assert_eq!(repair("Kirn", &k2).as_deref(), Some("Kim"));
    }

    #[test]
    fn scans_prose() {
        let lex = Lexicon::new(["Kim Il Sung", "Shtykov", "Stalin", "Kim Jong-il", "Modern"]);
        let t = "Receiving Kim II Sung, Stalin spoke. Shrykov agreed; Kim Il Sung too.\n\nA modem and a Modem; World War II. `Kim II Sung`\n";
        let md = MdModel::parse(t);
        let found: Vec<(String, String)> = scan(t, &md, &lex)
            .into_iter()
            .map(|d| (d.surface, d.repair))
            .collect();
        assert_eq!(
            found,
            vec![
                ("Kim II Sung".to_string(), "Kim Il Sung".to_string()),
                ("Shrykov".to_string(), "Shtykov".to_string()),
            ]
        );
    }
}
