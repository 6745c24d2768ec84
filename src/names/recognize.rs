//! Finding gazetteer names in prose: every name, folded, in one sorted list.
//!
//! The text's prose (paragraphs, headings, tables, minus code, URLs, HTML and front
//! matter) is folded once into a buffer, with a map from each folded byte back to
//! the original: lowercase, diacritics dropped (NFKD without combining marks), every
//! apostrophe as `'`, hyphens and runs of white space (line breaks included, and a
//! block quote's `>` at a line start) as one space. Every name of the gazetteer is
//! folded the same way. A match counts when:
//! - it starts and ends at word boundaries ("Seoulite", "Stalingrad" and "Kimball"
//!   are not names; scripts written without spaces, Hangul and Chinese, need none);
//! - a name written with a capital starts with a capital in the text (so "china",
//!   the porcelain, and "soul" are not China and Sŏul), and an acronym ("UN", "ROK")
//!   is written exactly so;
//! - it is not too ambiguous alone: names of under three letters (acronyms apart)
//!   and the common surnames of [`crate::gazetteer::TOO_AMBIGUOUS`] are never
//!   recognised, whatever a gazetteer says.
//!
//! Overlapping candidates are resolved leftmost-longest.

use super::Mention;
use crate::finding::Span;
use crate::gazetteer::{Gazetteer, TOO_AMBIGUOUS};
use crate::markdown::MdModel;
use crate::prose::fold::{Folder, is_word};
pub use crate::prose::fold::{fold_name, is_unspaced_script};

/// One spelling that folds to a pattern (its text is kept apart, in
/// [`Recognizer::texts`]).
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
struct Cand {
    entity: usize,
    name: Option<usize>,
    /// Written with a leading capital: the text must not start lowercase.
    capital: bool,
    /// An acronym ("UN", "U.S.S.R."): the text must be written exactly so.
    acronym: bool,
}

/// Every name of a gazetteer, folded, sorted and searchable by prefix; built once,
/// shared, and stored in the project knowledge cache (`names/cache.rs`).
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Recognizer {
    names: super::prefixes::Names,
    /// Per pattern (index into the sorted names) `p`, the spellings folding to it are
    /// `cands[starts[p]..starts[p + 1]]`, in the gazetteer's order.
    starts: Vec<usize>,
    cands: Vec<Cand>,
    /// Spelling `cands[i]`'s text as the gazetteer writes it (trimmed).
    texts: super::strs::Strs,
    /// Persons' surnames, for titles and context (see [`super::context`]).
    surnames: super::context::Surnames,
}

/// An acronym: at least two capitals and no lowercase letter ("UN", "U.S.S.R.").
fn is_acronym(s: &str) -> bool {
    s.chars().filter(|c| c.is_uppercase()).count() >= 2 && !s.chars().any(|c| c.is_lowercase())
}

impl Recognizer {
    pub fn new(g: &Gazetteer) -> Recognizer {
        let (pats, surnames) = rayon::join(
            || Recognizer::patterns(g),
            || super::context::Surnames::new(g),
        );
        let (keys, starts, cands, texts) = pats;
        Recognizer {
            names: super::prefixes::Names::new(keys),
            starts,
            cands,
            texts,
            surnames,
        }
    }

    /// The folded names, sorted; where each one's spellings start; the spellings
    /// and their texts.
    fn patterns(g: &Gazetteer) -> (super::strs::Strs, Vec<usize>, Vec<Cand>, super::strs::Strs) {
        use rayon::prelude::*;
        // Folding is most of the work: entities are folded in parallel, and the
        // spellings collected in the gazetteer's order.
        let mut all: Vec<(String, Cand, &str)> = g
            .entities
            .par_iter()
            .enumerate()
            .flat_map_iter(|(ei, e)| {
                let mut mine: Vec<(String, Cand, &str)> = Vec::new();
                let spellings = e
                    .spellings()
                    .filter(|(n, _)| !e.spelling(*n).is_some_and(|n| n.ambiguous))
                    .chain(e.native.iter().map(|t| (None, t.as_str())));
                for (name, text) in spellings {
                    let text = text.trim();
                    let key = fold_name(text);
                    if key.is_empty() || TOO_AMBIGUOUS.contains(&key.as_str()) {
                        continue;
                    }
                    let acronym = is_acronym(text);
                    let unspaced = key.chars().any(is_unspaced_script);
                    // Only whether there are three: counting every letter of a long
                    // native-script name asks the Unicode tables once a character.
                    let letters = key.chars().filter(|c| is_word(*c)).take(3).count();
                    if letters < 3 && !acronym && !(unspaced && letters >= 2) {
                        continue;
                    }
                    let capital = text.chars().next().is_some_and(|c| c.is_uppercase());
                    mine.push((
                        key,
                        Cand {
                            entity: ei,
                            name,
                            capital,
                            acronym,
                        },
                        text,
                    ));
                }
                mine
            })
            .collect();
        // Stable: a pattern's spellings stay in the gazetteer's order.
        all.par_sort_by(|a, b| a.0.cmp(&b.0));
        let mut keys = super::strs::Strs::default();
        let mut starts = Vec::new();
        let mut cands = Vec::with_capacity(all.len());
        let mut texts = super::strs::Strs::default();
        for (key, cand, text) in all {
            if keys.is_empty() || keys.get(keys.len() - 1) != key {
                keys.push(&key);
                starts.push(cands.len());
            }
            cands.push(cand);
            texts.push(text);
        }
        starts.push(cands.len());
        (keys, starts, cands, texts)
    }

    /// Whether a restored recognizer fits the gazetteer `g`: one list of spellings
    /// per name, sorted names, every entity and spelling index in range.
    pub fn fits(&self, g: &Gazetteer) -> bool {
        self.names.keys.len() + 1 == self.starts.len()
            && self.names.keys.is_sorted_unique()
            && self.starts.first() == Some(&0)
            && self.starts.is_sorted()
            && self.starts.last() == Some(&self.cands.len())
            && self.texts.len() == self.cands.len()
            && self.cands.iter().all(|c| {
                g.entities
                    .get(c.entity)
                    .is_some_and(|e| c.name.is_none_or(|n| n < e.names.len()))
            })
            && self.surnames.fits(g.entities.len())
    }

    /// How many distinct folded names the recognizer holds.
    pub fn pattern_count(&self) -> usize {
        self.names.keys.len()
    }

    /// Pattern `p`'s spellings, with their indices into `cands` and `texts`.
    fn spellings_of(&self, p: usize) -> impl Iterator<Item = (&Cand, &str)> + Clone {
        let (a, b) = (
            self.starts.get(p).copied().unwrap_or(0),
            self.starts.get(p + 1).copied().unwrap_or(0),
        );
        (a..b.max(a)).filter_map(|i| Some((self.cands.get(i)?, self.texts.get(i))))
    }

    /// Every gazetteer name in the prose of `text`, in order, without overlaps.
    pub fn find(&self, text: &str, md: &MdModel) -> Vec<Mention> {
        if text.len() >= u32::MAX as usize {
            return Vec::new();
        }
        let mut f = Folder::with_capacity(text.len());
        for b in md.prose_blocks() {
            for piece in md.prose_pieces(b.span) {
                let Some(s) = text.get(piece.start..piece.end) else {
                    continue;
                };
                f.push_str(s, piece.start, b.quote_depth);
                f.separator(piece.end as u32);
            }
        }
        self.find_folded(text, &f)
    }

    /// [`Recognizer::find`], block by block, each block's mentions kept in `memo` from
    /// one version of the document to the next: an edit recomputes the blocks it
    /// touched. A block's mentions depend only on its text, its quote depth and its
    /// prose pieces (the key): blocks are folded with a separator between them, which no
    /// name spans and which is a word boundary, so each block is read as on its own.
    pub fn find_reusing(
        &self,
        text: &str,
        md: &MdModel,
        memo: &crate::memo::ShiftMemo<Vec<Mention>>,
    ) -> Vec<Mention> {
        if text.len() >= u32::MAX as usize {
            return Vec::new();
        }
        let mut out = Vec::new();
        for b in md.prose_blocks() {
            if text.get(b.span.start..b.span.end).is_none() {
                continue;
            }
            let pieces = md.prose_pieces(b.span);
            let key = crate::memo::BlockKey::new("")
                .num(u64::from(b.quote_depth))
                .spans(b.span.start, &pieces);
            // Read in place (no copy of the block's list to drop at once).
            memo.get_with(
                b.span,
                key.bytes(),
                || {
                    let mut f = Folder::with_capacity(b.span.len() + 8);
                    for piece in &pieces {
                        let Some(s) = text.get(piece.start..piece.end) else {
                            continue;
                        };
                        f.push_str(s, piece.start, b.quote_depth);
                        f.separator(piece.end as u32);
                    }
                    let mut ms = self.find_folded(text, &f);
                    for m in &mut ms {
                        m.span = m.span.moved(b.span.start, 0);
                    }
                    // Kept until the block changes: no growth slack.
                    ms.shrink_to_fit();
                    ms
                },
                |kept| {
                    out.extend(kept.iter().map(|m| {
                        let mut m = *m;
                        m.span = m.span.moved(0, b.span.start);
                        m
                    }))
                },
            );
        }
        // Kept with the analysis (a megabyte's worth at 1 MB): no growth slack.
        out.shrink_to_fit();
        out
    }

    /// Leftmost-longest: at each position, from the left, the longest name starting
    /// there that passes [`Recognizer::accept`], then the names that are its
    /// prefixes; after a mention, the search goes on at its end.
    fn find_folded(&self, text: &str, f: &Folder) -> Vec<Mention> {
        self.find_folded_counting(text, f).0
    }

    /// [`Recognizer::find_folded`], with the number of places looked up in the names.
    fn find_folded_counting(&self, text: &str, f: &Folder) -> (Vec<Mention>, usize) {
        let mut lookups = 0;
        let buf = f.buf.as_str();
        let mut out: Vec<Mention> = Vec::new();
        let mut found: Vec<(usize, usize)> = Vec::new();
        let mut prev: Option<char> = None;
        let mut pos = 0;
        let bytes = buf.as_bytes();
        // `pos` is always a character boundary: an ASCII byte is its character.
        let char_at = |at: usize| match bytes.get(at) {
            Some(&b) if b.is_ascii() => Some(char::from(b)),
            _ => buf.get(at..).and_then(|s| s.chars().next()),
        };
        while let Some(first) = char_at(pos) {
            let rest = bytes.get(pos..).unwrap_or_default();
            // The ASCII letters and digits from here: no word boundary inside them.
            let word = super::prefixes::lead(rest);
            // A name starting inside a word fails `accept`'s boundary check whatever
            // it is, and so does one whose leading word no name has: no need to look
            // either up.
            if boundary(prev, first) && self.names.may_start(rest, word) {
                lookups += 1;
                self.names.prefixes_of(rest, &mut found);
                let hit = found.iter().find_map(|&(q, len)| {
                    self.accept(text, f, pos, pos + len, q)
                        .map(|m| (m, pos + len))
                });
                if let Some((mention, fe)) = hit {
                    out.push(mention);
                    prev = buf.get(..fe).and_then(|s| s.chars().next_back());
                    pos = fe;
                    continue;
                }
            }
            match word.last() {
                // Within the run every character follows a letter or digit: none
                // starts a name.
                Some(&last) => {
                    prev = Some(char::from(last));
                    pos += word.len();
                }
                None => {
                    prev = Some(first);
                    pos += first.len_utf8();
                }
            }
        }
        let folded = super::context::Folded {
            buf,
            map: &f.map,
            text,
        };
        let more = super::context::find(&self.surnames, &folded, &out);
        if !more.is_empty() {
            out.extend(more);
            out.sort_by_key(|m| m.span.start);
        }
        (out, lookups)
    }

    /// The mention for pattern `p` at folded `fs..fe`, if it passes the word
    /// boundary, capital and acronym checks.
    fn accept(&self, text: &str, f: &Folder, fs: usize, fe: usize, p: usize) -> Option<Mention> {
        let buf = f.buf.as_str();
        if fe <= fs {
            return None;
        }
        let first = buf.get(fs..)?.chars().next()?;
        let last = buf.get(..fe)?.chars().next_back()?;
        let prev = buf.get(..fs).and_then(|s| s.chars().next_back());
        let next = buf.get(fe..).and_then(|s| s.chars().next());
        if !boundary(prev, first) || !boundary(next, last) {
            return None;
        }
        // "Kim Il–sung": a dash and a lower-case letter continue the name. An em dash
        // does so only after a syllable ("Il—sung"); after a longer word it is the
        // prose's own dash ("South America—places in Colombia").
        if let Some(rest) = buf.get(fe..) {
            let mut cs = rest.chars();
            let syllable = buf
                .get(fs..fe)
                .and_then(|m| m.rsplit(' ').next())
                .is_some_and(|w| w.chars().count() <= 3);
            let dash = cs.next();
            if (dash == Some('\u{2013}') || (dash == Some('\u{2014}') && syllable))
                && let Some(&o) = f
                    .map
                    .get(fe + rest.chars().next().map_or(1, char::len_utf8))
                && text
                    .get(o as usize..)
                    .and_then(|r| r.chars().next())
                    .is_some_and(char::is_lowercase)
            {
                return None;
            }
        }
        let os = *f.map.get(fs)? as usize;
        let ol = *f.map.get(fe - 1)? as usize;
        let last_len = text.get(ol..)?.chars().next()?.len_utf8();
        let span = Span::new(os, ol + last_len);
        let surface = text.get(span.start..span.end)?;
        let c = self.choose(p, surface)?;
        Some(Mention {
            span,
            entity: c.entity,
            name: c.name,
        })
    }

    /// The spelling a surface form stands for, or `None` when the capital or
    /// acronym rule rejects it. The later entity wins when two share a name.
    fn choose(&self, p: usize, surface: &str) -> Option<&Cand> {
        let starts_lower = surface.chars().next().is_some_and(|c| c.is_lowercase());
        let ok = |(c, text): &(&Cand, &str)| {
            if c.acronym {
                *text == surface
            } else {
                !(c.capital && starts_lower)
            }
        };
        let entity = self
            .spellings_of(p)
            .filter(ok)
            .map(|(c, _)| c.entity)
            .max()?;
        let mine = || {
            self.spellings_of(p)
                .filter(ok)
                .filter(move |(c, _)| c.entity == entity)
        };
        if let Some((c, _)) = mine().find(|(_, t)| *t == surface) {
            return Some(c);
        }
        // Written across a line break or with doubled spaces: compare squashed.
        let flat: String = if surface.contains(|c: char| c.is_whitespace() && c != ' ')
            || surface.contains("  ")
        {
            surface.split_whitespace().collect::<Vec<_>>().join(" ")
        } else {
            surface.to_string()
        };
        let lower = |s: &str| s.chars().flat_map(char::to_lowercase).collect::<String>();
        let flat_lower = lower(&flat);
        mine()
            .find(|(_, t)| *t == flat)
            .or_else(|| mine().find(|(_, t)| lower(t) == flat_lower))
            .or_else(|| mine().next())
            .map(|(c, _)| c)
    }
}

/// A word boundary between `outside` (the neighbouring character, if any) and
/// `edge` (the match's own first or last character).
#[inline]
fn boundary(outside: Option<char>, edge: char) -> bool {
    match outside {
        None => true,
        // Two ASCII characters (most of them): no script is unspaced there.
        Some(o) if o.is_ascii() && edge.is_ascii() => {
            !(o.is_ascii_alphanumeric() && edge.is_ascii_alphanumeric())
        }
        Some(o) => {
            !(is_word(o) && is_word(edge)) || is_unspaced_script(o) || is_unspaced_script(edge)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_is_exact_about_offsets() {
        let t = "Sŏul  and P\u{2019}yŏngyang,\nKim Il-sung";
        let mut f = Folder::with_capacity(t.len());
        f.push_str(t, 0, 0);
        assert_eq!(f.buf, "soul and p'yongyang, kim il sung");
        assert_eq!(f.map.len(), f.buf.len());
        for (i, &o) in f.map.iter().enumerate() {
            assert!(t.is_char_boundary(o as usize), "byte {i} maps into a char");
        }
    }

    #[test]
    fn fold_names() {
        assert_eq!(fold_name("Kim Il-sung"), fold_name("KIM IL SUNG"));
        assert_eq!(fold_name("Sŏul"), "soul");
        assert_eq!(fold_name("P’yŏngyang"), fold_name("P'yongyang"));
        assert_eq!(fold_name("Štykov"), "stykov");
    }

    fn knowledge() -> &'static (Gazetteer, Recognizer) {
        static K: std::sync::OnceLock<(Gazetteer, Recognizer)> = std::sync::OnceLock::new();
        K.get_or_init(|| {
            let g = Gazetteer::embedded();
            let r = Recognizer::new(&g);
            (g, r)
        })
    }

    fn found(text: &str) -> Vec<(String, String)> {
        let (g, r) = knowledge();
        let md = MdModel::parse(text);
        r.find(text, &md)
            .into_iter()
            .map(|m| (m.surface(text).to_string(), g.entities[m.entity].id.clone()))
            .collect()
    }

    /// (text, expected (surface, entity id) in order)
    const POSITIVES: &[(&str, &[(&str, &str)])] = &[
        (
            "Stalin met Kim Il Sung.",
            &[("Stalin", "stalin"), ("Kim Il Sung", "kim-il-sung")],
        ),
        (
            "Kim Il-sung and KIM IL SUNG",
            &[
                ("Kim Il-sung", "kim-il-sung"),
                ("KIM IL SUNG", "kim-il-sung"),
            ],
        ),
        ("Kim Il–sung", &[]),
        ("Kim Il—sung", &[]),
        (
            "places in South America—places in Colombia",
            &[("South America", "south-america"), ("Colombia", "colombia")],
        ),
        ("Kim Il\n\nSung", &[("Kim Il", "kim-il")]),
        ("Kim II Sung complained", &[("Kim II Sung", "kim-il-sung")]),
        (
            "letters of Kim Il\nSung arrived",
            &[("Kim Il\nSung", "kim-il-sung")],
        ),
        (
            "> quoted Kim Il\n> Sung here",
            &[("Kim Il\n> Sung", "kim-il-sung")],
        ),
        (
            "Sŏul, Soul and SŎUL",
            &[("Sŏul", "seoul"), ("Soul", "seoul"), ("SŎUL", "seoul")],
        ),
        (
            "P'yŏngyang P’yŏngyang Pʼyŏngyang P`yongyang",
            &[
                ("P'yŏngyang", "pyongyang"),
                ("P’yŏngyang", "pyongyang"),
                ("Pʼyŏngyang", "pyongyang"),
                ("P`yongyang", "pyongyang"),
            ],
        ),
        (
            "Pyongyang, Pyeongyang, Phyŏngyang",
            &[
                ("Pyongyang", "pyongyang"),
                ("Pyeongyang", "pyongyang"),
                ("Phyŏngyang", "pyongyang"),
            ],
        ),
        (
            "Mao Tse-tung, Mao Zedong, Mao.",
            &[
                ("Mao Tse-tung", "mao-zedong"),
                ("Mao Zedong", "mao-zedong"),
                ("Mao", "mao-zedong"),
            ],
        ),
        (
            "Shtykov, Chtykov, Schtykow, Štykov, Stykov",
            &[
                ("Shtykov", "shtykov"),
                ("Chtykov", "shtykov"),
                ("Schtykow", "shtykov"),
                ("Štykov", "shtykov"),
                ("Stykov", "shtykov"),
            ],
        ),
        (
            "Peking became Beijing",
            &[("Peking", "beijing"), ("Beijing", "beijing")],
        ),
        (
            "Evgueni Bajanov, Evgeni Bajanov, Yevgeny Bazhanov, Евгений Бажанов",
            &[
                ("Evgueni Bajanov", "bajanov"),
                ("Evgeni Bajanov", "bajanov"),
                ("Yevgeny Bazhanov", "bajanov"),
                ("Евгений Бажанов", "bajanov"),
            ],
        ),
        (
            "Stalin's reply; the Kremlin's mood",
            &[("Stalin", "stalin"), ("Kremlin", "kremlin")],
        ),
        (
            "the CPSU CC Politburo decided",
            &[("CPSU CC Politburo", "politburo")],
        ),
        (
            "North Korea and South Korean troops in Korea",
            &[("North Korea", "north-korea"), ("Korea", "korea")],
        ),
        (
            "USSR-USA agreement",
            &[("USSR", "soviet-union"), ("USA", "united-states")],
        ),
        (
            "the UN and the U.N. Security Council",
            &[
                ("UN", "united-nations"),
                ("U.N. Security Council", "un-security-council"),
            ],
        ),
        (
            "김일성 and 金日成은",
            &[("김일성", "kim-il-sung"), ("金日成", "kim-il-sung")],
        ),
        ("(Stalin)", &[("Stalin", "stalin")]),
        (
            "*Stalin* and [Mao](https://example.org/mao)",
            &[("Stalin", "stalin"), ("Mao", "mao-zedong")],
        ),
        (
            "Washington, D.C. and Washington",
            &[
                ("Washington, D.C.", "washington"),
                ("Washington", "washington"),
            ],
        ),
        ("the Korean war began", &[("Korean war", "korean-war")]),
        ("a war in Korea", &[("Korea", "korea")]),
        (
            "the Republic of China and the People's Republic of China",
            &[
                ("Republic of China", "republic-of-china"),
                ("People's Republic of China", "china"),
            ],
        ),
        ("the Korean War's end", &[("Korean War", "korean-war")]),
    ];

    /// Texts where nothing may be recognised.
    const NEAR_MISSES: &[&str] = &[
        "Kim told him so.",
        "After Kim's return",
        "Kimball and Kimberley",
        "a Seoulite and a Muscovite",
        "the battle of Stalingrad; Stalinist; destalinization",
        "Maoist thought",
        "`Stalin` in code",
        "```\nStalin\n```",
        "see https://example.org/Stalin/Moscow now",
        "<span title=\"Stalin\">x</span>",
        "<!-- Stalin -->",
        "---\ntitle: Stalin in Moscow\n---\n\nText.",
        "the soul of the nation; fine china; the un-American",
        "un homme, une femme",
        "Soviet embassy staff",
        "Dulles and Lie and Pak and Zhou",
        "Taiwanese, Koreans, Russians, Pekingese",
        "138th parallels",
    ];

    #[test]
    fn positives() {
        let mut wrong = Vec::new();
        for (text, want) in POSITIVES {
            let got = found(text);
            let want: Vec<(String, String)> = want
                .iter()
                .map(|(s, id)| (s.to_string(), id.to_string()))
                .collect();
            if got != want {
                wrong.push(format!("{text:?}: got {got:?}, want {want:?}"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn near_misses() {
        let wrong: Vec<String> = NEAR_MISSES
            .iter()
            .map(|t| (t, found(t)))
            .filter(|(_, got)| !got.is_empty())
            .map(|(t, got)| format!("{t:?}: got {got:?}"))
            .collect();
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    /// CPU seconds used by this thread (Linux), so that a busy machine does not
    /// distort the figure; wall-clock time elsewhere.
    fn cpu_seconds() -> Option<f64> {
        let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
        let rest = stat.rsplit_once(')')?.1;
        let fields: Vec<&str> = rest.split_whitespace().collect();
        // After the command: state is field 3, utime 14 and stime 15 (1-based).
        let utime: f64 = fields.get(11)?.parse().ok()?;
        let stime: f64 = fields.get(12)?.parse().ok()?;
        Some((utime + stime) / 100.0)
    }

    /// Throughput on ~1 MB built by repeating the fixture (CPU time). Run with
    /// `cargo test --release --lib names::recognize::tests::throughput -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn throughput() {
        let (_, r) = knowledge();
        let fixture = include_str!("../../fixtures/bajanov-1995.md");
        let body = fixture.split("\n---\n").nth(1).unwrap_or(fixture);
        let mut text = String::new();
        while text.len() < 1_000_000 {
            text.push_str(body);
            text.push_str("\n\n");
        }
        let md = MdModel::parse(&text);
        let runs = 100;
        let clock = || cpu_seconds().unwrap_or(0.0);
        let wall = std::time::Instant::now();
        let c0 = clock();
        let mut n = 0;
        for _ in 0..runs {
            n = r.find(&text, &md).len();
        }
        let cpu = clock() - c0;
        let secs = if cpu > 0.0 {
            cpu
        } else {
            wall.elapsed().as_secs_f64()
        } / runs as f64;
        let mb = text.len() as f64 / 1e6;
        eprintln!(
            "{mb:.2} MB, {n} mentions, {:.2} ms per pass, {:.0} MB/s ({} patterns; {})",
            secs * 1e3,
            mb / secs,
            r.pattern_count(),
            if cpu > 0.0 { "CPU time" } else { "wall time" }
        );
        assert!(n > 1000);
        let t0 = std::time::Instant::now();
        let g = Gazetteer::embedded();
        let built = Recognizer::new(&g);
        eprintln!(
            "automaton build: {:.2} ms (wall) for {} patterns",
            t0.elapsed().as_secs_f64() * 1e3,
            built.pattern_count()
        );
    }

    /// Titles before surnames, and surnames once the document introduced their bearer.
    const IN_CONTEXT: &[(&str, &[(&str, &str)])] = &[
        ("Gen. Bradley agreed.", &[("Gen. Bradley", "omar-bradley")]),
        (
            "then General Bradley agreed",
            &[("General Bradley", "omar-bradley")],
        ),
        ("wired Ambassador Muccio", &[("Muccio", "john-j-muccio")]),
        ("told Secretary Acheson", &[("Acheson", "acheson")]),
        ("met Marshal Stalin", &[("Stalin", "stalin")]),
        ("asked President Rhee", &[("Rhee", "syngman-rhee")]),
        ("asked Premier Kim", &[("Premier Kim", "kim-il-sung")]),
        ("asked Mr. Vyshinsky", &[("Vyshinsky", "vyshinsky")]),
        (
            "under Lt. Gen. Hodge",
            &[("Lt. Gen. Hodge", "john-r-hodge")],
        ),
        ("with Adm. Joy present", &[("Adm. Joy", "c-turner-joy")]),
        (
            "said Foreign Minister Pak",
            &[("Foreign Minister Pak", "pak-hon-yong")],
        ),
        (
            "General Dean was captured",
            &[("General Dean", "william-f-dean")],
        ),
        (
            "Omar N. Bradley arrived. Later Bradley said so.",
            &[
                ("Omar N. Bradley", "omar-bradley"),
                ("Bradley", "omar-bradley"),
            ],
        ),
        (
            "Louis A. Johnson spoke, and Johnson agreed.",
            &[
                ("Louis A. Johnson", "louis-a-johnson"),
                ("Johnson", "louis-a-johnson"),
            ],
        ),
        (
            "Gen. Hodge landed; later Hodge wrote.",
            &[("Gen. Hodge", "john-r-hodge"), ("Hodge", "john-r-hodge")],
        ),
        ("Kim Il spoke", &[("Kim Il", "kim-il")]),
        (
            "Louis A. Johnson and U. Alexis Johnson met; Johnson spoke.",
            &[
                ("Louis A. Johnson", "louis-a-johnson"),
                ("U. Alexis Johnson", "u-alexis-johnson"),
            ],
        ),
        (
            "George C. Marshall flew over the Marshall Islands.",
            &[("George C. Marshall", "george-marshall")],
        ),
        (
            "Louis A. Johnson saw Johnson's Island.",
            &[("Louis A. Johnson", "louis-a-johnson")],
        ),
        (
            "Chang Myon came. The Chang family and Chang spoke.",
            &[("Chang Myon", "chang-myon")],
        ),
        (
            "Trygve Lie spoke. Lie low, he said; they lie.",
            &[("Trygve Lie", "trygve-lie")],
        ),
        (
            "Kenneth T. Young wrote. Young men, a young man.",
            &[("Kenneth T. Young", "kenneth-t-young")],
        ),
        (
            "I. GENERAL CHISTIAKOV TO GENERAL HODGE HODGE February 28, 1947.",
            &[
                ("CHISTIAKOV", "chistyakov"),
                ("GENERAL HODGE", "john-r-hodge"),
            ],
        ),
        (
            "George C. Marshall went. Charles Burton Marshall wrote; General Marshall and Marshall said.",
            &[
                ("George C. Marshall", "george-marshall"),
                ("Charles Burton Marshall", "charles-burton-marshall"),
            ],
        ),
        (
            "Dean Acheson and General William F. Dean. Dean said.",
            &[
                ("Dean Acheson", "acheson"),
                ("William F. Dean", "william-f-dean"),
            ],
        ),
    ];

    /// Surnames alone that no document context introduced: never linked.
    const ALONE: &[&str] = &[
        "Johnson said so.",
        "Bradley said so.",
        "In March 1950 the march began.",
        "Clark and Walker, a walker and a clerk; Bond and Dean; Young.",
        "Kim, Lee, Chang and Pak met.",
        "the Chang Jiang; Chang'an",
        "Lie low.",
        "the Marshall Islands and Johnson's Island",
        "General Kim and President Park",
        // Capitals throughout, but no title: a heading, not a person.
        "MARSHALL ISLANDS TRUST TERRITORY",
        // Two marshals named Chen Yi: the name is marked ambiguous on both.
        "Chen Yi and Ch'en I were named.",
        // A bare "Pacific" is an adjective as often as the ocean.
        "a general Pacific pact",
    ];

    /// The search before leading words: a lookup at every word boundary, character
    /// by character (what [`Recognizer::find_folded`] must still find).
    fn find_at_every_boundary(r: &Recognizer, text: &str, f: &Folder) -> (Vec<Mention>, usize) {
        let buf = f.buf.as_str();
        let (mut out, mut found, mut lookups) = (Vec::new(), Vec::new(), 0);
        let (mut prev, mut pos) = (None, 0);
        while let Some(first) = buf.get(pos..).and_then(|s| s.chars().next()) {
            if boundary(prev, first) {
                lookups += 1;
                r.names.prefixes_of(&buf.as_bytes()[pos..], &mut found);
                let hit = found.iter().find_map(|&(q, len)| {
                    r.accept(text, f, pos, pos + len, q).map(|m| (m, pos + len))
                });
                if let Some((mention, fe)) = hit {
                    out.push(mention);
                    prev = buf[..fe].chars().next_back();
                    pos = fe;
                    continue;
                }
            }
            prev = Some(first);
            pos += first.len_utf8();
        }
        let folded = super::super::context::Folded {
            buf,
            map: &f.map,
            text,
        };
        out.extend(super::super::context::find(&r.surnames, &folded, &out));
        out.sort_by_key(|m| m.span.start);
        (out, lookups)
    }

    /// Words that no name leads with are not looked up, and what is found is what a
    /// lookup at every word boundary finds (every fixture, names in many scripts).
    #[test]
    fn words_no_name_leads_with_are_not_looked_up() {
        let (_, r) = knowledge();
        let mut texts: Vec<String> = vec![
            "Kim Il-sung met Stalin; P'yŏngyang, Sŏul and 평양 (平壤). U.S.S.R., UN, ROK.".into(),
            "Gen. Hodge and General Bradley — Kim Il–sung, Kimball Seoulite, 1950s 38th.".into(),
        ];
        crate::analysis::limit_tests::each_fixture(|_, t| texts.push(t.to_string()));
        let (mut now, mut before) = (0, 0);
        for text in &texts {
            let md = MdModel::parse(text);
            let mut f = Folder::with_capacity(text.len());
            for b in md.prose_blocks() {
                for piece in md.prose_pieces(b.span) {
                    f.push_str(&text[piece.start..piece.end], piece.start, b.quote_depth);
                    f.separator(piece.end as u32);
                }
            }
            let (got, n) = r.find_folded_counting(text, &f);
            let (want, m) = find_at_every_boundary(r, text, &f);
            let spans = |v: &[Mention]| {
                v.iter()
                    .map(|m| (m.span, m.entity, m.name))
                    .collect::<Vec<_>>()
            };
            assert_eq!(
                spans(&got),
                spans(&want),
                "{}",
                text.chars().take(80).collect::<String>()
            );
            (now, before) = (now + n, before + m);
        }
        assert!(before > 10_000, "{before} lookups at every boundary");
        assert!(now * 3 < before, "{now} lookups of {before}");
    }

    #[test]
    fn titles_and_context() {
        let mut wrong = Vec::new();
        for (text, want) in IN_CONTEXT {
            let got = found(text);
            let want: Vec<(String, String)> = want
                .iter()
                .map(|(s, id)| (s.to_string(), id.to_string()))
                .collect();
            if got != want {
                wrong.push(format!("{text:?}: got {got:?}, want {want:?}"));
            }
        }
        for text in ALONE {
            let got = found(text);
            if !got.is_empty() {
                wrong.push(format!("{text:?}: got {got:?}, want nothing"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn acronyms() {
        assert!(is_acronym("UN"));
        assert!(is_acronym("U.S.S.R."));
        assert!(!is_acronym("VKP(b)"));
        assert!(!is_acronym("Stalin"));
    }
}
