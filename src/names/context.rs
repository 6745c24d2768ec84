//! Recognition that reads the context: a title before a surname ("General Bradley",
//! "Lt. Gen. Hodge", "Foreign Minister Pak"), and a surname alone once the document
//! has introduced its bearer ("Bradley" after "Omar N. Bradley").
//!
//! Surnames are derived from each person's preferred name and full-name variants: the
//! last word of a Western name ("Omar N. Bradley" → Bradley, "James A. Van Fleet" → Van
//! Fleet), the first word of a Korean or Chinese name in its own order ("Pak Hon-yong"
//! → Pak; "Syngman Rhee", written Western-fashion, → Rhee).
//!
//! - **Title + surname** links when the surname is one person's in the gazetteer, or
//!   one person's among those the document has already introduced, or (for an office:
//!   President, Premier, Minister…) the one person with that surname whose roles name
//!   the office ("Premier Kim" → Kim Il Sung).
//! - **A surname alone** links only when the document has introduced (by a full name, a
//!   listed name or a titled form) exactly one person of that surname, and no other
//!   introduced person has it among their names ("Dean" of "Dean Acheson"). It must be
//!   capitalised, not part of a longer capitalised name ("Marshall Islands", "Johnson's
//!   Island"), and, when it is also an English word (Young, Walker, Dean, Lie…), not at
//!   the start of a sentence. The common Korean and Chinese surnames
//!   ([`crate::gazetteer::TOO_AMBIGUOUS`]) are never linked alone.

use super::Mention;
use crate::finding::Span;
use crate::gazetteer::{Entity, EntityKind, Gazetteer, System, TOO_AMBIGUOUS};
use crate::names::romanise::{Language, chinese, korean};
use foldhash::HashMap;

/// Titles (folded words) that make a following surname safe to link. Longest first
/// where one is the tail of another. Dots after abbreviations are optional.
pub const TITLES: &[&str] = &[
    "secretary of state",
    "secretary of defense",
    "lieutenant general",
    "brigadier general",
    "secretary general",
    "assistant secretary",
    "under secretary",
    "foreign minister",
    "prime minister",
    "vice president",
    "vice premier",
    "major general",
    "vice admiral",
    "rear admiral",
    "field marshal",
    "consul general",
    "lt gen",
    "maj gen",
    "brig gen",
    "lt col",
    "vice adm",
    "rear adm",
    "general",
    "gen",
    "admiral",
    "adm",
    "colonel",
    "col",
    "marshal",
    "generalissimo",
    "ambassador",
    "amb",
    "secretary",
    "minister",
    "premier",
    "president",
    "chairman",
    "senator",
    "sen",
    "governor",
    "consul",
    "comrade",
    "mr",
    "mrs",
    "madame",
    "mme",
    "dr",
];

/// Title words that name an office, which a person's roles may name too.
const OFFICE_WORDS: &[&str] = &[
    "ambassador",
    "secretary",
    "minister",
    "foreign",
    "prime",
    "premier",
    "president",
    "chairman",
    "senator",
    "governor",
    "consul",
    "state",
    "defense",
    "general",
    "vice",
];

/// Surnames that are also English words: alone, never linked at a sentence start.
const WORD_SURNAMES: &[&str] = &[
    "young", "bond", "clark", "walker", "dean", "lie", "march", "joy", "noble", "gross", "king",
    "white", "brown", "green", "black", "long", "little", "rich", "may", "hope", "bell", "field",
    "hill", "wood", "rose", "church", "sharp", "strong", "hunt", "price", "rice", "hull", "kirk",
    "ward", "wise", "love", "bush", "ford", "page", "cook", "mills", "rush", "law", "short",
    "case", "chase", "cross", "marshall", "sherman", "collins", "jackson", "austin", "webb",
    "allison", "franks", "eden", "story", "hodge", "muccio", "baker", "mason", "turner", "foster",
    "stone", "gay", "fox", "lord", "bishop", "frank", "grant", "lee", "english", "french",
    "german",
];

/// Surnames of the persons of a gazetteer. Stored in the project knowledge cache
/// (`names/cache.rs`) with the recognizer; the titles are the constant's.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Surnames {
    /// Folded surname → the persons bearing it (entity indices, ascending).
    #[serde(serialize_with = "sorted_map")]
    by_name: HashMap<String, Vec<usize>>,
    /// Folded titles split into words.
    #[serde(skip, default = "title_words")]
    titles: Vec<Vec<&'static str>>,
    /// Per entity: a person?
    person: Vec<bool>,
    /// Folded word of any person's name → the persons whose names have it.
    #[serde(serialize_with = "sorted_map")]
    name_words: HashMap<String, Vec<usize>>,
    /// Folded role titles of the persons that have roles, with their years.
    #[serde(serialize_with = "sorted_map")]
    roles: HashMap<usize, Vec<(String, i32, i32)>>,
}

/// A map written in its keys' order, not the hash map's (which differs from one
/// process to the next): the same surnames always make the same bytes, as the
/// embedded knowledge's pack needs (`names/pack.rs`). Read back as any map.
fn sorted_map<K: Ord + serde::Serialize, V: serde::Serialize, S: serde::Serializer>(
    map: &HashMap<K, V>,
    s: S,
) -> Result<S::Ok, S::Error> {
    let mut entries: Vec<(&K, &V)> = map.iter().collect();
    entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
    s.collect_map(entries)
}

/// [`TITLES`] split into words.
fn title_words() -> Vec<Vec<&'static str>> {
    TITLES
        .iter()
        .map(|t| t.split(' ').collect::<Vec<_>>())
        .collect()
}

fn is_east_asian(e: &Entity) -> bool {
    e.native
        .iter()
        .any(|n| n.chars().any(super::recognize::is_unspaced_script))
        || e.names.iter().any(|n| {
            n.system
                .and_then(Language::of)
                .is_some_and(|l| matches!(l, Language::Korean | Language::Chinese))
        })
}

/// A single romanised Korean or Chinese surname syllable ("Kim", "Pak", "Chiang", "Mao").
fn asian_surname_word(w: &str) -> bool {
    !w.contains(['.', '-']) && w.chars().count() <= 6 && {
        korean::is_surname(w) || !chinese::word_readings(w).is_empty()
    }
}

const SUFFIXES: &[&str] = &["jr", "jr.", "sr", "sr.", "ii", "iii", "iv"];
const PARTICLES: &[&str] = &[
    "van", "von", "de", "der", "la", "le", "du", "da", "di", "del",
];

/// The surname of one spelling of a person's name, if it has one.
pub fn surname_of(text: &str, east_asian: bool) -> Option<String> {
    let words: Vec<&str> = text
        .split_whitespace()
        .map(|w| w.trim_end_matches(','))
        .collect();
    if words.len() < 2 {
        return None;
    }
    if east_asian && let Some(first) = words.first().filter(|w| asian_surname_word(w)) {
        return Some(first.to_string());
    }
    let mut end = words.len();
    while end > 1
        && words
            .get(end - 1)
            .is_some_and(|w| SUFFIXES.contains(&w.to_lowercase().as_str()))
    {
        end -= 1;
    }
    let last = words.get(end - 1)?;
    if last.ends_with('.') || last.chars().count() < 2 {
        return None;
    }
    match end
        .checked_sub(2)
        .and_then(|i| words.get(i))
        .filter(|p| end > 2 && PARTICLES.contains(&p.to_lowercase().as_str()))
    {
        Some(p) => Some(format!("{p} {last}")),
        None => Some(last.to_string()),
    }
}

/// Every folded surname of person `e`: its preferred name's, and those of the variants
/// written in a known convention (or agreeing with the preferred one), so that a
/// cipher name such as "Feng Xi" gives Stalin no surname "Xi".
pub fn surnames(e: &Entity) -> Vec<String> {
    if e.kind != EntityKind::Person {
        return Vec::new();
    }
    let east = is_east_asian(e);
    let mut out: Vec<String> = Vec::new();
    let first = surname_of(&e.preferred, east).map(|s| super::fold_name(&s));
    if let Some(f) = &first {
        out.push(f.clone());
    }
    for n in &e.names {
        if matches!(n.system, Some(System::Ocr)) {
            continue;
        }
        let Some(s) = surname_of(&n.text, east).map(|s| super::fold_name(&s)) else {
            continue;
        };
        let known = n
            .system
            .is_some_and(|s| !matches!(s, System::Other | System::Ocr));
        if (known || first.as_ref() == Some(&s)) && !out.contains(&s) {
            out.push(s);
        }
    }
    out.retain(|s| s.chars().filter(|c| c.is_alphanumeric()).count() >= 2 && !s.contains('.'));
    out
}

impl Surnames {
    pub fn new(g: &Gazetteer) -> Surnames {
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::default();
        let mut name_words: HashMap<String, Vec<usize>> = HashMap::default();
        let mut roles: HashMap<usize, Vec<(String, i32, i32)>> = HashMap::default();
        let mut person = Vec::with_capacity(g.entities.len());
        for (i, e) in g.entities.iter().enumerate() {
            person.push(e.kind == EntityKind::Person);
            if e.kind != EntityKind::Person {
                continue;
            }
            for s in surnames(e) {
                let v = by_name.entry(s).or_default();
                if v.last() != Some(&i) {
                    v.push(i);
                }
            }
            for (_, t) in e.spellings() {
                for w in super::fold_name(t)
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|w| w.chars().count() >= 3)
                {
                    let v = name_words.entry(w.to_string()).or_default();
                    if v.last() != Some(&i) {
                        v.push(i);
                    }
                }
            }
            if !e.roles.is_empty() {
                let year = |d: &Option<String>, first: bool| {
                    d.as_deref()
                        .and_then(|d| crate::gazetteer::edtf::parse(d).ok())
                        .map(|b| if first { b.first_year() } else { b.last_year() })
                };
                roles.insert(
                    i,
                    e.roles
                        .iter()
                        .map(|r| {
                            (
                                super::fold_name(&r.title),
                                year(&r.from, true).unwrap_or(i32::MIN),
                                year(&r.to, false).unwrap_or(i32::MAX),
                            )
                        })
                        .collect(),
                );
            }
        }
        Surnames {
            by_name,
            titles: title_words(),
            person,
            name_words,
            roles,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    /// Whether every entity index it holds is below `entities` and it knows each of
    /// them (a restored index must fit its gazetteer).
    pub fn fits(&self, entities: usize) -> bool {
        self.person.len() == entities
            && self
                .by_name
                .values()
                .chain(self.name_words.values())
                .flatten()
                .chain(self.roles.keys())
                .all(|&i| i < entities)
    }

    /// The persons whose surname is `folded`.
    pub fn bearers(&self, folded: &str) -> &[usize] {
        self.by_name.get(folded).map_or(&[], |v| v.as_slice())
    }
}

/// A word of the folded buffer: its folded byte range.
#[derive(Clone, Copy, Debug)]
struct W {
    s: usize,
    e: usize,
}

/// The folded text and the way back to the original, as the recogniser built it.
pub(crate) struct Folded<'a> {
    pub buf: &'a str,
    pub map: &'a [u32],
    pub text: &'a str,
}

impl Folded<'_> {
    fn orig(&self, folded: usize) -> Option<usize> {
        self.map.get(folded).map(|&o| o as usize)
    }

    fn capital(&self, w: W) -> bool {
        let Some(o) = self.orig(w.s) else {
            return false;
        };
        match self.text.as_bytes().get(o) {
            Some(b) if b.is_ascii() => b.is_ascii_uppercase(),
            _ => self
                .text
                .get(o..)
                .and_then(|r| r.chars().next())
                .is_some_and(char::is_uppercase),
        }
    }

    /// Written in capitals throughout ("HODGE"), as headings and telegram captions are.
    fn shouted(&self, w: W) -> bool {
        self.span(w, w)
            .and_then(|sp| self.text.get(sp.start..sp.end))
            .is_some_and(|t| {
                t.chars().filter(|c| c.is_alphabetic()).count() >= 2
                    && !t.chars().any(char::is_lowercase)
            })
    }

    fn word(&self, w: W) -> &str {
        self.buf.get(w.s..w.e).unwrap_or("")
    }

    fn gap(&self, a: W, b: W) -> &str {
        self.buf.get(a.e..b.s).unwrap_or("\n")
    }

    /// The original span from the start of `a` to the end of `b`.
    fn span(&self, a: W, b: W) -> Option<Span> {
        let os = self.orig(a.s)?;
        let ol = self.orig(b.e.checked_sub(1)?)?;
        let len = self.text.get(ol..)?.chars().next()?.len_utf8();
        Some(Span::new(os, ol + len))
    }

    /// Nothing but openers stand between `w` and a sentence end, a block or the start.
    fn sentence_initial(&self, w: W) -> bool {
        let before = self.buf.get(..w.s).unwrap_or("");
        for c in before.chars().rev() {
            match c {
                ' ' | '"' | '“' | '‘' | '(' | '[' | '*' | '_' | '«' | '\'' => continue,
                '\n' | '.' | '!' | '?' | ':' | ';' | '…' => return true,
                _ => return false,
            }
        }
        true
    }
}

fn words_of(buf: &str) -> Vec<W> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let bytes = buf.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        // An ASCII byte is its character; others are read whole.
        let (word, len) = if b.is_ascii() {
            (b.is_ascii_alphanumeric(), 1)
        } else {
            let Some(c) = buf.get(i..).and_then(|r| r.chars().next()) else {
                break;
            };
            (
                c.is_alphanumeric() && !super::recognize::is_unspaced_script(c),
                c.len_utf8(),
            )
        };
        match (word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(W { s, e: i });
                start = None;
            }
            _ => {}
        }
        i += len;
    }
    if let Some(s) = start {
        out.push(W { s, e: buf.len() });
    }
    out
}

/// Mentions found from context, given those found by name (`found`, in order).
pub(crate) fn find(sn: &Surnames, f: &Folded, found: &[Mention]) -> Vec<Mention> {
    let mut out: Vec<Mention> = Vec::new();
    if sn.is_empty() || found.len() > 1_000_000 {
        return out;
    }
    let words = words_of(f.buf);
    // Read only for an office title before a surname that several persons bear.
    let years = std::cell::OnceCell::new();
    let covered = |o: usize| {
        let i = found.partition_point(|m| m.span.end <= o);
        found.get(i).is_some_and(|m| m.span.start <= o)
    };
    let mut introduced: Vec<usize> = Vec::new();
    let mut next_found = 0;
    let introduce = |introduced: &mut Vec<usize>, e: usize| {
        if sn.person.get(e).copied().unwrap_or(false) && !introduced.contains(&e) {
            introduced.push(e);
        }
    };
    let mut skip_to = 0;
    // The two-word key, in one buffer for the whole document.
    let mut pair = String::new();
    for (wi, &w) in words.iter().enumerate() {
        if wi < skip_to {
            continue;
        }
        let Some(o) = f.orig(w.s) else { continue };
        while let Some(m) = found.get(next_found).filter(|m| m.span.start < o) {
            introduce(&mut introduced, m.entity);
            next_found += 1;
        }
        if !f.capital(w) || covered(o) {
            continue;
        }
        // A two-word surname ("Van Fleet") first, then one word.
        let two = words
            .get(wi + 1)
            .filter(|n| f.gap(w, **n) == " " && f.capital(**n))
            .copied();
        pair.clear();
        if let Some(n) = two {
            pair.push_str(f.word(w));
            pair.push(' ');
            pair.push_str(f.word(n));
        }
        let (last, key): (W, &str) = match two.filter(|_| !sn.bearers(&pair).is_empty()) {
            Some(n) => (n, pair.as_str()),
            None => (w, f.word(w)),
        };
        let bearers = sn.bearers(key);
        if bearers.is_empty() {
            continue;
        }
        let last_i = if last.s == w.s { wi } else { wi + 1 };
        // The next word: a capitalised one makes this part of a longer name — unless
        // a title stands before and both are in capitals, as in a heading written in
        // capitals throughout ("GENERAL CHISTIAKOV TO GENERAL HODGE").
        let titled = title_before(sn, f, &words, wi, &covered);
        let next = words.get(last_i + 1).copied();
        let longer = next.is_some_and(|n| {
            let gap = f.gap(last, n);
            (gap == " " && f.capital(n) && !(titled.is_some() && f.shouted(last) && f.shouted(n)))
                || (gap == "'"
                    && f.word(n) == "s"
                    && words
                        .get(last_i + 2)
                        .is_some_and(|m| f.gap(n, *m) == " " && f.capital(*m)))
        });
        if longer {
            continue;
        }
        let among: Vec<usize> = bearers
            .iter()
            .copied()
            .filter(|b| introduced.contains(b))
            .collect();
        let chosen = if let Some((ts, title)) = titled {
            let office: Vec<&str> = title
                .iter()
                .copied()
                .filter(|t| OFFICE_WORDS.contains(t))
                .collect();
            let common = TOO_AMBIGUOUS.contains(&key);
            if among.len() == 1 {
                among.first().copied().map(|e| (e, ts))
            } else if bearers.len() == 1 && !common {
                bearers.first().copied().map(|e| (e, ts))
            } else if !office.is_empty() {
                let holding: Vec<usize> = bearers
                    .iter()
                    .copied()
                    .filter(|&b| {
                        holds(
                            sn,
                            b,
                            &office,
                            *years.get_or_init(|| document_years(f, &words)),
                        )
                    })
                    .collect();
                match holding.as_slice() {
                    [one] => Some((*one, ts)),
                    _ => None,
                }
            } else {
                None
            }
        } else {
            bare(sn, f, &words, wi, key, &among, &introduced).map(|e| (e, wi))
        };
        let Some((entity, from)) = chosen else {
            continue;
        };
        let Some(first) = words.get(from).copied() else {
            continue;
        };
        let Some(span) = f.span(first, last) else {
            continue;
        };
        if f.text.get(span.start..span.end).is_none() {
            continue;
        }
        out.push(Mention {
            span,
            entity,
            name: None,
        });
        introduce(&mut introduced, entity);
        skip_to = last_i + 1;
    }
    out
}

/// The title written just before word `wi`: the index of its first word and its words.
fn title_before<'t>(
    sn: &'t Surnames,
    f: &Folded,
    words: &[W],
    wi: usize,
    covered: &impl Fn(usize) -> bool,
) -> Option<(usize, &'t [&'static str])> {
    'titles: for t in &sn.titles {
        let n = t.len();
        let Some(start) = wi.checked_sub(n) else {
            continue;
        };
        for (k, tw) in t.iter().enumerate() {
            let (Some(&w), Some(&follow)) = (words.get(start + k), words.get(start + k + 1)) else {
                continue 'titles;
            };
            let gap = f.gap(w, follow);
            if f.word(w) != *tw || !(gap == " " || gap == ". ") {
                continue 'titles;
            }
            if (k == 0 || *tw != "of") && !f.capital(w) {
                continue 'titles;
            }
            if f.orig(w.s).is_none_or(covered) {
                continue 'titles;
            }
        }
        return Some((start, t.as_slice()));
    }
    None
}

/// The years a document speaks of: the range of the four-digit years (1900–2099) in its
/// prose, or the built-in data's period, 1945–1953, when it writes none.
fn document_years(f: &Folded, words: &[W]) -> (i32, i32) {
    let mut range: Option<(i32, i32)> = None;
    for w in words {
        let t = f.word(*w);
        if t.len() == 4
            && t.bytes().all(|b| b.is_ascii_digit())
            && let Ok(y) = t.parse::<i32>()
            && (1900..=2099).contains(&y)
        {
            range = Some(range.map_or((y, y), |(a, b)| (a.min(y), b.max(y))));
        }
    }
    range.unwrap_or((1945, 1953))
}

/// Whether person `e` held an office whose title has every word of `office`, its
/// last word not as a deputy's ("Premier" is not "Vice-Premier").
fn holds(sn: &Surnames, e: usize, office: &[&str], years: (i32, i32)) -> bool {
    let Some(head) = office.last() else {
        return false;
    };
    let deputy = office.iter().any(|w| matches!(*w, "vice" | "deputy"));
    sn.roles.get(&e).into_iter().flatten().any(|(t, from, to)| {
        if *to < years.0 || *from > years.1 {
            return false;
        }
        let tw: Vec<&str> = t
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let head_ok = tw.iter().enumerate().any(|(i, w)| {
            w == head
                && (deputy
                    || !i
                        .checked_sub(1)
                        .and_then(|j| tw.get(j))
                        .is_some_and(|p| matches!(*p, "vice" | "deputy" | "under" | "assistant")))
        });
        head_ok && office.iter().all(|o| tw.contains(o))
    })
}

/// A surname alone: the one introduced person bearing it, when nothing speaks against.
fn bare(
    sn: &Surnames,
    f: &Folded,
    words: &[W],
    wi: usize,
    key: &str,
    among: &[usize],
    introduced: &[usize],
) -> Option<usize> {
    let [one] = among else {
        return None;
    };
    let w = *words.get(wi)?;
    if TOO_AMBIGUOUS.contains(&key) || key.chars().count() < 3 {
        return None;
    }
    if WORD_SURNAMES.contains(&key) && f.sentence_initial(w) {
        return None;
    }
    // After a capitalised word (not a sentence's first), it is part of a longer name.
    if let Some(p) = wi.checked_sub(1).and_then(|i| words.get(i)).copied() {
        let gap = f.gap(p, w);
        let initial_letter = gap == ". " && f.word(p).chars().count() == 1;
        if f.capital(p) && (gap == " " || initial_letter) && !f.sentence_initial(p) {
            return None;
        }
    }
    // Another introduced person has this word among their names ("Dean Acheson").
    let clash = sn
        .name_words
        .get(key)
        .is_some_and(|v| v.iter().any(|i| i != one && introduced.contains(i)));
    (!clash).then_some(*one)
}
