//! `annalist gazetteer suggest`: frequent capitalised multi-word names in prose that no
//! gazetteer knows, grouped so that romanisations of one name come as one candidate
//! ("Pak Hon-yong" and "Pak Heon-yeong": the Korean key; Wade–Giles and Pinyin: the
//! Chinese readings).

use super::romanise::{capital_runs, chinese, korean, words};
use super::{Recognizer, fold_name};
use crate::markdown::MdModel;
use serde::Serialize;
use std::collections::HashMap;

/// Words that open a capitalised run without being part of a name.
const LEADING: &[&str] = &[
    "the",
    "a",
    "an",
    "in",
    "on",
    "at",
    "of",
    "and",
    "but",
    "for",
    "to",
    "by",
    "with",
    "this",
    "that",
    "these",
    "those",
    "his",
    "her",
    "their",
    "our",
    "its",
    "when",
    "after",
    "before",
    "if",
    "as",
    "from",
    "we",
    "i",
    "he",
    "she",
    "they",
    "it",
    "there",
    "since",
    "while",
    "under",
    "later",
    "then",
    "once",
    "meanwhile",
    "however",
    "also",
    "yet",
    "thus",
    "so",
    "now",
    "today",
    "here",
    "yesterday",
    "tomorrow",
    "dear",
    "see",
    "cf",
];
const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Words that name offices, not persons ("Vice Chairman", "Prime Minister").
const OFFICE: &[&str] = &[
    "vice",
    "deputy",
    "acting",
    "chief",
    "chairman",
    "director",
    "commander",
    "premier",
    "president",
    "minister",
    "ambassador",
    "secretary",
    "prime",
    "foreign",
    "under",
    "assistant",
    "general",
    "consul",
    "governor",
    "representative",
    "delegate",
    "mayor",
    "justice",
    "speaker",
];

/// Nationality adjectives that may stand before an office ("Chinese Ambassador").
const NATIONALITY: &[&str] = &[
    "american", "british", "chinese", "soviet", "korean", "japanese", "french", "indian",
    "russian", "us", "u.s.",
];

/// An office, not a name: every word an office word, after at most one nationality
/// adjective ("Vice Chairman", "Chinese Ambassador", "Prime Minister").
fn is_office(surface: &str) -> bool {
    let words: Vec<String> = surface
        .split_whitespace()
        .map(|w| w.to_lowercase())
        .collect();
    let rest = match words.first() {
        Some(f) if NATIONALITY.contains(&f.as_str()) => words.get(1..).unwrap_or(&[]),
        _ => &words[..],
    };
    !rest.is_empty()
        && rest
            .iter()
            .all(|w| OFFICE.contains(&w.trim_end_matches('.')))
}

/// One occurrence: file and line.
#[derive(Clone, Debug, Serialize)]
pub struct Place {
    pub file: String,
    pub line: usize,
}

/// A name the gazetteer does not know, with its spellings.
#[derive(Clone, Debug, Serialize)]
pub struct Candidate {
    /// The most frequent spelling.
    pub name: String,
    /// Every spelling with its count, most frequent first.
    pub spellings: Vec<(String, usize)>,
    pub count: usize,
    /// The first few occurrences.
    pub occurrences: Vec<Place>,
    /// A guess from the words (River, Committee, War…); person otherwise.
    pub kind: &'static str,
}

/// Collects candidates over several documents.
#[derive(Default)]
pub struct Suggester {
    /// Folded spelling → (surface, count, places).
    seen: HashMap<String, (String, usize, Vec<Place>)>,
}

impl Suggester {
    pub fn add(&mut self, file: &str, text: &str, r: &Recognizer) {
        let md = MdModel::parse(text);
        let known = r.find(text, &md);
        let ws = words(text, &md);
        let titles: Vec<&str> = super::TITLES
            .iter()
            .filter(|t| !t.contains(' '))
            .copied()
            .collect();
        for run in capital_runs(text, &ws) {
            let mut run_words: Vec<_> = ws.get(run).unwrap_or(&[]).to_vec();
            while let Some(w) = run_words.first() {
                let lw = w.span().slice(text).to_lowercase();
                if LEADING.contains(&lw.as_str())
                    || titles.contains(&lw.trim_end_matches('.'))
                    || MONTHS.contains(&lw.as_str())
                {
                    run_words.remove(0);
                } else {
                    break;
                }
            }
            while run_words
                .last()
                .is_some_and(|w| MONTHS.contains(&w.span().slice(text).to_lowercase().as_str()))
            {
                run_words.pop();
            }
            if run_words.len() < 2 {
                continue;
            }
            let (Some(first), Some(last)) = (run_words.first(), run_words.last()) else {
                continue;
            };
            let (s, e) = (first.span().start, last.span().end);
            if known.iter().any(|m| m.span.start < e && s < m.span.end) {
                continue;
            }
            let surface = run_words
                .iter()
                .map(|w| w.span().slice(text))
                .collect::<Vec<_>>()
                .join(" ");
            if surface.chars().any(|c| c.is_ascii_digit())
                || surface.chars().all(|c| !c.is_lowercase())
                || is_office(&surface)
            {
                continue;
            }
            let line = text.get(..s).map_or(1, |b| b.matches('\n').count() + 1);
            let slot = self
                .seen
                .entry(fold_name(&surface))
                .or_insert_with(|| (surface.clone(), 0, Vec::new()));
            slot.1 += 1;
            if slot.2.len() < 5 {
                slot.2.push(Place {
                    file: file.to_string(),
                    line,
                });
            }
        }
    }

    /// Candidates seen at least `min_count` times (over all their spellings), most
    /// frequent first.
    pub fn candidates(&self, min_count: usize) -> Vec<Candidate> {
        // Union the spellings that share a key.
        let keys: Vec<(&String, Vec<String>)> = self
            .seen
            .iter()
            .map(|(k, (surface, _, _))| (k, keys_of(surface)))
            .collect();
        let mut parent: Vec<usize> = (0..keys.len()).collect();
        fn root(p: &mut [usize], mut i: usize) -> usize {
            while let Some(&q) = p.get(i) {
                if q == i {
                    break;
                }
                let g = p.get(q).copied().unwrap_or(q);
                if let Some(slot) = p.get_mut(i) {
                    *slot = g;
                }
                i = q;
            }
            i
        }
        let mut owner: HashMap<&str, usize> = HashMap::new();
        for (i, (_, ks)) in keys.iter().enumerate() {
            for k in ks {
                match owner.get(k.as_str()) {
                    Some(&j) => {
                        let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                        if let Some(slot) = parent.get_mut(a) {
                            *slot = b;
                        }
                    }
                    None => {
                        owner.insert(k, i);
                    }
                }
            }
        }
        let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
        for i in 0..keys.len() {
            let r = root(&mut parent, i);
            groups.entry(r).or_default().push(i);
        }
        let mut out: Vec<Candidate> = Vec::new();
        for members in groups.values() {
            let mut spellings: Vec<(String, usize)> = Vec::new();
            let mut occurrences: Vec<Place> = Vec::new();
            for &i in members {
                if let Some((k, _)) = keys.get(i)
                    && let Some((surface, n, places)) = self.seen.get(*k)
                {
                    spellings.push((surface.clone(), *n));
                    occurrences.extend(places.iter().cloned());
                }
            }
            spellings.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let count: usize = spellings.iter().map(|s| s.1).sum();
            if count < min_count {
                continue;
            }
            occurrences.sort_by(|a, b| a.file.cmp(&b.file).then(a.line.cmp(&b.line)));
            occurrences.truncate(5);
            let name = spellings.first().map(|s| s.0.clone()).unwrap_or_default();
            out.push(Candidate {
                kind: guess_kind(&name),
                name,
                spellings,
                count,
                occurrences,
            });
        }
        out.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(&b.name)));
        out
    }
}

/// The keys under which two spellings are one name: the Korean key, the Chinese
/// readings, and the folded spelling itself.
fn keys_of(surface: &str) -> Vec<String> {
    let mut out = vec![format!("f:{}", fold_name(surface))];
    if let Some(k) = korean::key(surface) {
        out.push(format!("ko:{k}"));
    }
    for (r, _) in chinese::readings(surface).into_iter().take(8) {
        out.push(format!("zh:{r}"));
    }
    out
}

fn guess_kind(name: &str) -> &'static str {
    let last = name.split_whitespace().last().unwrap_or("").to_lowercase();
    let has = |ws: &[&str]| {
        name.split_whitespace()
            .any(|w| ws.contains(&w.to_lowercase().as_str()))
    };
    if has(&[
        "war",
        "conference",
        "battle",
        "treaty",
        "agreement",
        "offensive",
        "campaign",
        "uprising",
        "incident",
        "armistice",
        "declaration",
        "landing",
    ]) {
        "event"
    } else if has(&[
        "committee",
        "party",
        "army",
        "council",
        "ministry",
        "department",
        "commission",
        "assembly",
        "bureau",
        "corps",
        "division",
        "government",
        "office",
        "agency",
        "command",
        "embassy",
        "university",
        "league",
        "union",
        "association",
        "congress",
        "institute",
    ]) {
        "organisation"
    } else if matches!(
        last.as_str(),
        "river"
            | "island"
            | "islands"
            | "mountain"
            | "mountains"
            | "province"
            | "bay"
            | "strait"
            | "city"
            | "county"
            | "sea"
            | "peninsula"
            | "valley"
            | "reservoir"
            | "hill"
            | "ridge"
    ) {
        "place"
    } else {
        "person"
    }
}

/// A gazetteer stub for a candidate (TOML).
pub fn stub(c: &Candidate) -> String {
    let q = |s: &str| toml::Value::String(s.to_string()).to_string();
    let mut out = String::new();
    let places: Vec<String> = c
        .occurrences
        .iter()
        .map(|p| format!("{}:{}", p.file, p.line))
        .collect();
    out.push_str(&format!(
        "# {} occurrence{}: {}\n",
        c.count,
        if c.count == 1 { "" } else { "s" },
        places.join(", ")
    ));
    out.push_str("[[entity]]\n");
    out.push_str(&format!(
        "id = {}\n",
        q(&crate::gazetteer::import::slug(&c.name))
    ));
    out.push_str(&format!("kind = {}  # guessed: check it\n", q(c.kind)));
    out.push_str(&format!("preferred = {}\n", q(&c.name)));
    let others: Vec<String> = c
        .spellings
        .iter()
        .skip(1)
        .map(|(s, _)| format!("{{ text = {} }}", q(s)))
        .collect();
    if !others.is_empty() {
        out.push_str(&format!("names = [{}]\n", others.join(", ")));
    }
    out.push_str("source = \"\"  # where the facts come from\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::Gazetteer;

    #[test]
    fn offices_are_not_names() {
        for office in [
            "Vice Chairman",
            "Prime Minister",
            "Chinese Ambassador",
            "Deputy Under Secretary",
        ] {
            assert!(is_office(office), "{office}");
        }
        // Near-misses: a name after an office, a body.
        for name in ["Vice Premier Hong", "Chinese Mission", "Ambassador Muccio"] {
            assert!(!is_office(name), "{name}");
        }
    }

    #[test]
    fn romanisations_group_and_known_names_are_left_out() {
        let r = Recognizer::new(&Gazetteer::default());
        let mut s = Suggester::default();
        s.add(
            "a.md",
            "Then Pak Hon-yong spoke.\n\nLater Pak Heon-yeong wrote, and Pak Hon-yong left.\n",
            &r,
        );
        let c = s.candidates(2);
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].count, 3);
        assert_eq!(c[0].name, "Pak Hon-yong");
        assert_eq!(c[0].spellings.len(), 2);
        assert_eq!(c[0].occurrences[0].line, 1);
        assert!(stub(&c[0]).contains("names = [{ text = \"Pak Heon-yeong\" }]"));
        let known = Recognizer::new(&Gazetteer::embedded());
        let mut s = Suggester::default();
        s.add(
            "a.md",
            "Pak Hon-yong and Pak Heon-yeong; Ivan Ivanovich Ivanov.\n\nIvan Ivanovich Ivanov.",
            &known,
        );
        let c = s.candidates(1);
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].name, "Ivan Ivanovich Ivanov");
    }
}
