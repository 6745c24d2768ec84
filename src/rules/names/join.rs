//! The names rules' document-wide join of the blocks' n-grams, kept from one version
//! of a document to the next (the editor's incremental analysis, issue #14).
//!
//! [`group_grams`] and [`unlisted_candidates`] read every n-gram of the document, but
//! only the n-grams of a few spellings can end in a group or a candidate: a fold
//! (folded spelling) that shares a romanisation key with another fold of the document
//! in some language, or one of whose written forms could be a candidate (a
//! convention's marks, a Russian surname). The join keeps, across versions, each
//! fold's written forms with their counts over the document's blocks, and for each
//! language the folds each key reaches; an edit removes the contributions of the
//! blocks that went and adds those of the blocks that came (counted:
//! [`crate::memo::JoinedMemo::joined`]), and no block that stayed is read again for
//! that. Each version then hands both passes the n-grams of those folds only, in
//! document order and filtered as [`blocks::grams_of_blocks`] filters them (words
//! needed mid-sentence, the apparatus, the entity). Both passes decide fold by fold:
//! a fold left out shares no key with any other (its group would be itself alone) and
//! has no form that could be a candidate, so they find what they find on every
//! n-gram. The counts are over every n-gram of a block, whether or not this
//! version's filters keep it: a superset, which the per-version pass narrows.
//!
//! The join also keeps what OCR damage reads of the whole document: the words it
//! writes in lower case, counted ([`Join::lower`]: a block's are added when it comes,
//! taken away when it goes), and each block's damage with the answers it read there
//! ([`Join::damage`]: found again only when the block is new, or the document now
//! writes one of its suspects in lower case, or no longer does).

use super::blocks::{BlockAt, NamesMemo};
use super::*;
use crate::names::romanise::block::{BlockNames, Marks};
use std::sync::Arc;

const LANGS: [Language; 3] = [Language::Korean, Language::Chinese, Language::Russian];

/// The longest n-gram a language's groups compare (Russian: single words).
fn max_n(lang: Language) -> usize {
    if lang == Language::Russian { 1 } else { 3 }
}

/// The join kept in [`NamesMemo`] between versions.
#[derive(Default)]
pub(super) struct Join {
    /// Folds by text, and their entries in `folds` (ids freed when a fold goes).
    ids: HashMap<Box<str>, u32>,
    folds: Vec<Fold>,
    free: Vec<u32>,
    /// The blocks of the last version, by the address of their kept work (one entry
    /// for all the blocks that share it: the same text in several places).
    held: HashMap<usize, Held>,
    /// Folded words written mid-sentence, and how many blocks write each.
    mid: HashMap<Arc<str>, u32>,
    /// Per language (in [`LANGS`] order): each romanisation key of a live written
    /// form, and the folds that reach it (with how many of their forms do).
    keys: [HashMap<String, Vec<(u32, u32)>>; 3],
    /// The blocks' votes by fold ([`blocks::votes_of_blocks`]).
    votes: HashMap<Arc<str>, FoldVotes>,
    /// The votes of the folds whose blocks all give them the same marks (then the
    /// document's first spelling has them): merged counts.
    settled: Votes,
    /// Folds whose blocks give them different marks: the first block in document
    /// order that votes for them says which count.
    unsettled: foldhash::HashSet<Arc<str>>,
    /// OCR: the words the document writes in lower case (lower-cased), and how many
    /// times ([`ocr_damage`] asks whether a suspect is one of them).
    lower: HashMap<Box<str>, u32>,
    /// Suspects lower-cased, over the join's life: each block's once, when it comes
    /// ([`Held::lowered`]; the tests' count of what a keystroke reads).
    pub(super) lowered: usize,
}

/// A fold's votes over the blocks.
#[derive(Default)]
struct FoldVotes {
    /// Words with this fold in the document.
    count: usize,
    /// The marks the blocks give it, and how many blocks give each.
    marks: Vec<(Marks, u32)>,
}

/// Add (`sign` true) or take away `n` words' votes for each of `marks` in `votes`.
fn tally(votes: &mut Votes, marks: &[(Language, System)], n: usize, sign: bool) {
    for mk in marks {
        if sign {
            *votes.entry(*mk).or_default() += n;
        } else if let Some(v) = votes.get_mut(mk) {
            *v = v.saturating_sub(n);
            if *v == 0 {
                votes.remove(mk);
            }
        }
    }
}

struct Held {
    names: Arc<BlockNames>,
    /// How many blocks of the version have this work.
    count: u32,
    /// The fold of each of its n-grams.
    ids: Vec<u32>,
    /// The block's text up to its last word (its words in lower case are taken
    /// out of [`Join::lower`] when it goes).
    text: Box<str>,
    /// The OCR damage found in the block (spans relative to its start), and for each
    /// of its suspects whether the document wrote it in lower case then.
    damage: Option<KeptDamage>,
    /// The block's suspects lower-cased (what [`Join::written_lower`] is asked of
    /// them in every version).
    lowered: Box<[Box<str>]>,
}

/// A block's OCR damage (spans relative to its start), and for each of its suspects
/// whether the document wrote it in lower case when it was found.
type KeptDamage = (Box<[bool]>, Arc<[ocr::Damage]>);

/// Each block's start and its kept OCR damage (spans relative to that start).
pub(super) type BlocksDamage = Vec<(usize, Arc<[ocr::Damage]>)>;

impl Held {
    /// The block's words written in lower case, lower-cased.
    fn lower_words(&self) -> impl Iterator<Item = std::borrow::Cow<'_, str>> {
        self.names.words.iter().filter(|w| !w.capital).map(|w| {
            let s = w.span().slice(&self.text);
            if s.chars().any(char::is_uppercase) {
                std::borrow::Cow::Owned(s.to_lowercase())
            } else {
                std::borrow::Cow::Borrowed(s)
            }
        })
    }
}

#[derive(Default)]
struct Fold {
    text: Box<str>,
    /// N-grams of the document with this fold.
    grams: u32,
    forms: Vec<Form>,
    /// Keys this fold shares with another fold (over the languages).
    shared: u32,
    /// Forms that could be a candidate name.
    cand: u32,
}

/// A written form of a fold, as an n-gram of `n` words.
struct Form {
    name: Box<str>,
    n: usize,
    count: u32,
    cand: bool,
}

/// Whether an n-gram `name` of `n` words could be a name nobody listed
/// ([`unlisted_candidates`] asks this of a fold's first n-gram).
fn could_be_candidate(name: &str, n: usize) -> bool {
    LANGS.into_iter().any(|lang| {
        if lang == Language::Russian && n > 1 {
            return false;
        }
        let system = guess_in(lang, name).or_else(|| {
            (lang == Language::Russian && russian_surname(name)).then_some(System::Other)
        });
        system.is_some()
            && distinctive(lang, name)
            && comparable(name)
            && !keys(lang, name).is_empty()
    })
}

/// The keys [`group_grams`] gives a form in each language it compares it in.
fn form_keys(name: &str, n: usize) -> impl Iterator<Item = (usize, std::sync::Arc<Vec<String>>)> {
    let ok = comparable(name);
    LANGS
        .into_iter()
        .enumerate()
        .filter(move |&(_, lang)| ok && n <= max_n(lang))
        .map(move |(l, lang)| (l, keys(lang, name)))
}

impl Join {
    /// Bring the join to the blocks of this version. Returns how many blocks'
    /// contributions were added or removed.
    fn update(&mut self, text: &str, blocks: &[BlockAt]) -> usize {
        let mut now: HashMap<usize, (u32, &BlockAt)> = HashMap::default();
        for b in blocks {
            now.entry(Arc::as_ptr(&b.names) as usize)
                .or_insert((0, b))
                .0 += 1;
        }

        let mut work = 0;
        let fewer: Vec<(usize, u32)> = self
            .held
            .iter()
            .filter_map(|(&p, h)| {
                let n = now.get(&p).map_or(0, |x| x.0);
                // (`then_some` would compute the difference even when there are
                // more now: an overflow.)
                h.count.checked_sub(n).filter(|&k| k > 0).map(|k| (p, k))
            })
            .collect();
        for (p, k) in fewer {
            if let Some(mut h) = self.held.remove(&p) {
                self.remove(&h, k);
                work += k as usize;
                h.count -= k;
                if h.count > 0 {
                    self.held.insert(p, h);
                }
            }
        }
        for (&p, &(n, b)) in &now {
            let had = self.held.get(&p).map_or(0, |h| h.count);
            if n <= had {
                continue;
            }
            let mut h = match self.held.remove(&p) {
                Some(h) => h,
                None => {
                    let end = b.names.words.last().map_or(0, |w| w.span().end);
                    let text = text.get(b.base..b.base + end).unwrap_or("");
                    self.lowered += b.names.suspects.len();
                    Held {
                        ids: b
                            .names
                            .grams
                            .iter()
                            .map(|g| self.intern(&g.folded))
                            .collect(),
                        names: b.names.clone(),
                        count: 0,
                        text: text.into(),
                        damage: None,
                        lowered: b
                            .names
                            .suspects
                            .iter()
                            .map(|s| s.to_lowercase().into_boxed_str())
                            .collect(),
                    }
                }
            };
            self.add(&h, n - had);
            work += (n - had) as usize;
            h.count = n;
            self.held.insert(p, h);
        }
        work
    }

    /// Whether the document writes the lower-cased suspect `t` in lower case.
    fn written_lower(&self, t: &str) -> bool {
        self.lower.contains_key(t)
    }

    /// The OCR damage in `blocks` (this version's, the join brought to them):
    /// [`blocks::damage_of_blocks`], each block's kept while the document writes
    /// the same of its suspects in lower case; given as each block's start and its
    /// kept damage (spans relative to that start), not copied. Returns the damage
    /// and how many blocks were scanned afresh.
    pub(super) fn damage(
        &mut self,
        text: &str,
        blocks: &[BlockAt],
        lexicon: &crate::names::ocr::Lexicon,
    ) -> (BlocksDamage, usize) {
        let mut out = Vec::new();
        let mut scanned = 0;
        for b in blocks.iter().filter(|b| !b.names.suspects.is_empty()) {
            let p = Arc::as_ptr(&b.names) as usize;
            // Kept while each suspect is written in lower case as it was then.
            let kept = self.held.get(&p).and_then(|h| match &h.damage {
                Some((f, d))
                    if f.len() == h.lowered.len()
                        && f.iter()
                            .zip(&h.lowered)
                            .all(|(&was, s)| was == self.written_lower(s)) =>
                {
                    Some(d.clone())
                }
                _ => None,
            });
            let found = match kept {
                Some(d) => d,
                None => {
                    scanned += 1;
                    let flags: Box<[bool]> = match self.held.get(&p) {
                        Some(h) => h.lowered.iter().map(|s| self.written_lower(s)).collect(),
                        None => b
                            .names
                            .suspects
                            .iter()
                            .map(|s| self.written_lower(&s.to_lowercase()))
                            .collect(),
                    };
                    let ws = b.words();
                    let d: Arc<[ocr::Damage]> =
                        ocr::scan_words_with(text, &ws, lexicon, |t| self.written_lower(t))
                            .into_iter()
                            .map(|d| ocr::Damage {
                                span: d.span.moved(b.base, 0),
                                ..d
                            })
                            .collect();
                    if let Some(h) = self.held.get_mut(&p) {
                        h.damage = Some((flags, d.clone()));
                    }
                    d
                }
            };
            out.push((b.base, found));
        }
        (out, scanned)
    }

    fn intern(&mut self, fold: &str) -> u32 {
        if let Some(&i) = self.ids.get(fold) {
            return i;
        }
        let f = Fold {
            text: fold.into(),
            ..Fold::default()
        };
        let i = match self.free.pop() {
            Some(i) => {
                if let Some(slot) = self.folds.get_mut(i as usize) {
                    *slot = f;
                }
                i
            }
            None => {
                self.folds.push(f);
                (self.folds.len() - 1) as u32
            }
        };
        self.ids.insert(fold.into(), i);
        i
    }

    /// `k` blocks' votes `v` added (`sign`) or taken away.
    fn vote(&mut self, v: &(Arc<str>, Marks, usize), k: u32, sign: bool) {
        let (f, marks, n) = v;
        let words = n * k as usize;
        let fv = match self.votes.get_mut(f) {
            Some(fv) => fv,
            None => self.votes.entry(f.clone()).or_default(),
        };
        // The fold's settled votes out, its counts changed, its votes back in.
        if let [(m, _)] = fv.marks.as_slice() {
            tally(&mut self.settled, m, fv.count, false);
        }
        let at = fv.marks.iter().position(|(m, _)| m == marks);
        if sign {
            fv.count += words;
            match at.and_then(|i| fv.marks.get_mut(i)) {
                Some(e) => e.1 += k,
                None => fv.marks.push((marks.clone(), k)),
            }
        } else {
            fv.count = fv.count.saturating_sub(words);
            if let Some(i) = at
                && let Some(e) = fv.marks.get_mut(i)
            {
                e.1 = e.1.saturating_sub(k);
                if e.1 == 0 {
                    fv.marks.swap_remove(i);
                }
            }
        }
        match fv.marks.as_slice() {
            [] => {
                self.votes.remove(f);
                self.unsettled.remove(f);
            }
            [(m, _)] => {
                tally(&mut self.settled, m, fv.count, true);
                self.unsettled.remove(f);
            }
            _ => {
                if !self.unsettled.contains(f) {
                    self.unsettled.insert(f.clone());
                }
            }
        }
    }

    /// The document's votes ([`blocks::votes_of_blocks`]) for `blocks`, the blocks
    /// this join was brought to: the settled folds' merged counts, and each unsettled
    /// fold's count with the marks of its first block in document order (the blocks
    /// are read from the start until every unsettled fold is met).
    pub(super) fn votes(&self, blocks: &[BlockAt]) -> Votes {
        let mut votes = self.settled.clone();
        let mut left = self.unsettled.len();
        let mut met: foldhash::HashSet<&str> = foldhash::HashSet::default();
        for b in blocks {
            if left == 0 {
                break;
            }
            for (f, marks, _) in &b.names.votes {
                if self.unsettled.contains(f) && met.insert(&**f) {
                    left -= 1;
                    let count = self.votes.get(f).map_or(0, |v| v.count);
                    tally(&mut votes, marks, count, true);
                }
            }
        }
        votes
    }

    /// Add `k` more blocks of `h`'s work.
    fn add(&mut self, h: &Held, k: u32) {
        for v in &h.names.votes {
            self.vote(v, k, true);
        }
        for w in h.lower_words() {
            match self.lower.get_mut(&*w) {
                Some(n) => *n += k,
                None => {
                    self.lower.insert(w.into(), k);
                }
            }
        }
        for f in &h.names.mid {
            *self.mid.entry(f.clone()).or_default() += k;
        }
        for (g, &id) in h.names.grams.iter().zip(&h.ids) {
            let Some(fold) = self.folds.get_mut(id as usize) else {
                continue;
            };
            fold.grams += k;
            let at = fold
                .forms
                .iter()
                .position(|f| f.n == g.n() && *f.name == *g.name(&h.text));
            match at.and_then(|i| fold.forms.get_mut(i)) {
                Some(form) => form.count += k,
                None => {
                    let name = g.name(&h.text);
                    let cand = could_be_candidate(name, g.n());
                    fold.cand += u32::from(cand);
                    fold.forms.push(Form {
                        name: name.into(),
                        n: g.n(),
                        count: k,
                        cand,
                    });
                    for (l, ks) in form_keys(name, g.n()) {
                        for key in ks.iter() {
                            self.link(l, key, id);
                        }
                    }
                }
            }
        }
    }

    /// Remove `k` blocks of `h`'s work.
    fn remove(&mut self, h: &Held, k: u32) {
        for v in &h.names.votes {
            self.vote(v, k, false);
        }
        for w in h.lower_words() {
            if let Some(n) = self.lower.get_mut(&*w) {
                *n = n.saturating_sub(k);
                if *n == 0 {
                    self.lower.remove(&*w);
                }
            }
        }
        for f in &h.names.mid {
            if let Some(n) = self.mid.get_mut(f) {
                *n = n.saturating_sub(k);
                if *n == 0 {
                    self.mid.remove(f);
                }
            }
        }
        for (g, &id) in h.names.grams.iter().zip(&h.ids) {
            let Some(fold) = self.folds.get_mut(id as usize) else {
                continue;
            };
            fold.grams = fold.grams.saturating_sub(k);
            let Some(i) = fold
                .forms
                .iter()
                .position(|f| f.n == g.n() && *f.name == *g.name(&h.text))
            else {
                continue;
            };
            let gone = match fold.forms.get_mut(i) {
                Some(form) => {
                    form.count = form.count.saturating_sub(k);
                    form.count == 0
                }
                None => false,
            };
            if gone {
                let form = fold.forms.swap_remove(i);
                fold.cand = fold.cand.saturating_sub(u32::from(form.cand));
                for (l, ks) in form_keys(&form.name, form.n) {
                    for key in ks.iter() {
                        self.unlink(l, key, id);
                    }
                }
            }
            let fold_gone = self
                .folds
                .get(id as usize)
                .is_some_and(|f| f.grams == 0 && f.forms.is_empty());
            if fold_gone && let Some(f) = self.folds.get_mut(id as usize) {
                let text = std::mem::take(&mut f.text);
                self.ids.remove(&text);
                self.free.push(id);
            }
        }
    }

    /// One more form of fold `id` reaches `key` in language `l`.
    fn link(&mut self, l: usize, key: &str, id: u32) {
        let Some(map) = self.keys.get_mut(l) else {
            return;
        };
        let list = match map.get_mut(key) {
            Some(list) => list,
            None => map.entry(key.to_string()).or_default(),
        };
        if let Some(e) = list.iter_mut().find(|e| e.0 == id) {
            e.1 += 1;
            return;
        }
        list.push((id, 1));
        let newly: &[(u32, u32)] = match list.len() {
            2 => list,
            n if n > 2 => list.get(n - 1..).unwrap_or(&[]),
            _ => &[],
        };
        for &(f, _) in newly {
            if let Some(fold) = self.folds.get_mut(f as usize) {
                fold.shared += 1;
            }
        }
    }

    /// One form fewer of fold `id` reaches `key` in language `l`.
    fn unlink(&mut self, l: usize, key: &str, id: u32) {
        let Some(map) = self.keys.get_mut(l) else {
            return;
        };
        let Some(list) = map.get_mut(key) else {
            return;
        };
        let Some(i) = list.iter().position(|e| e.0 == id) else {
            return;
        };
        if let Some(e) = list.get_mut(i) {
            e.1 = e.1.saturating_sub(1);
            if e.1 > 0 {
                return;
            }
        }
        let was = list.len();
        list.swap_remove(i);
        let mut unshared: Vec<u32> = Vec::new();
        if was >= 2 {
            unshared.push(id);
        }
        if was == 2 {
            unshared.extend(list.first().map(|e| e.0));
        }
        if list.is_empty() {
            map.remove(key);
        }
        for f in unshared {
            if let Some(fold) = self.folds.get_mut(f as usize) {
                fold.shared = fold.shared.saturating_sub(1);
            }
        }
    }

    /// The n-grams of the folds that may end in a group or a candidate, in document
    /// order, filtered as [`blocks::grams_of_blocks`] filters every n-gram.
    fn grams<'b>(
        &self,
        a: &'b Analysis,
        blocks: &'b [BlockAt],
        apparatus: &apparatus::Apparatus,
    ) -> Vec<Gram<'b>> {
        let wanted: Vec<bool> = self
            .folds
            .iter()
            .map(|f| f.shared > 0 || f.cand > 0)
            .collect();
        let wanted_id = |id: &u32| wanted.get(*id as usize).copied().unwrap_or(false);
        let mut entity_at = None;
        let mut grams: Vec<Gram> = Vec::new();
        for b in blocks {
            let Some(h) = self.held.get(&(Arc::as_ptr(&b.names) as usize)) else {
                continue;
            };
            if !h.ids.iter().any(wanted_id) {
                continue;
            }
            let ok: Vec<bool> = b
                .names
                .needs
                .iter()
                .map(|f| self.mid.contains_key(f))
                .collect();
            let entity_at = entity_at.get_or_insert_with(|| blocks::entity_finder(a));
            grams.extend(
                b.names
                    .grams
                    .iter()
                    .zip(&h.ids)
                    .filter(|(_, id)| wanted_id(id))
                    .filter_map(|(g, _)| b.gram(g, &a.text, &ok, &*entity_at, apparatus)),
            );
        }
        grams
    }
}

/// Bring `join` (kept in `memo`: [`super::kept::Kept`]) to the blocks of this
/// version, counting the blocks' contributions added and removed in `memo`.
pub(super) fn join_blocks(a: &Analysis, memo: &NamesMemo, join: &mut Join, blocks: &[BlockAt]) {
    let work = join.update(&a.text, blocks);
    memo.add_joined(work);
}

/// The n-grams [`group_grams`] and [`unlisted_candidates`] need of this version (see
/// the module's documentation), `join` brought to its blocks ([`join_blocks`]).
pub(super) fn grams_kept<'b>(
    a: &'b Analysis,
    join: &Join,
    blocks: &'b [BlockAt],
    apparatus: &apparatus::Apparatus,
) -> Vec<Gram<'b>> {
    join.grams(a, blocks, apparatus)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze_str;

    type SpellingKey = (String, Vec<Span>, usize, Option<System>, Vec<Option<usize>>);

    fn groups_key(gs: &[Group]) -> Vec<(Language, usize, Vec<SpellingKey>)> {
        gs.iter()
            .map(|g| {
                let sp = g
                    .spellings
                    .iter()
                    .map(|s| {
                        (
                            s.text.clone(),
                            s.occs.clone(),
                            s.weight,
                            s.system,
                            s.entities.clone(),
                        )
                    })
                    .collect();
                (g.lang, g.longest, sp)
            })
            .collect()
    }

    /// The kept join's n-grams give the groups and candidates every n-gram gives.
    /// Returns how many n-grams the join handed over, and how many there are.
    fn same_as_every_gram(text: &str, memo: &NamesMemo) -> (usize, usize) {
        let a = analyze_str(text);
        let config = crate::config::Config::default();
        let knowledge = crate::facts::Knowledge::embedded();
        let ctx = Context {
            config: &config,
            knowledge: &knowledge,
        };
        let lexicon = &a.knowledge(&ctx).lexicon;
        let blocks = blocks::blocks_of(&a, lexicon, Some(memo), None);
        let app = blocks::apparatus_of(&a, &blocks);
        let all = blocks::grams_of_blocks(&a, &blocks, &app);
        let mut join: Join = memo.take_join().unwrap_or_default();
        join_blocks(&a, memo, &mut join, &blocks);
        let kept = grams_kept(&a, &join, &blocks, &app);
        // The votes kept as merged counts are the blocks' votes merged.
        assert_eq!(
            join.votes(&blocks),
            blocks::votes_of_blocks(&blocks),
            "votes of {text:.80}"
        );
        memo.put_join(join);
        assert_eq!(
            groups_key(&group_grams(&kept)),
            groups_key(&group_grams(&all)),
            "groups of {text:.80}"
        );
        // Every third n-gram "damaged", so that the filter is exercised too.
        let damaged = |s: Span| s.start.is_multiple_of(3);
        assert_eq!(
            unlisted_candidates(&kept, damaged),
            unlisted_candidates(&all, damaged),
            "candidates of {text:.80}"
        );
        memo.sweep();
        (kept.len(), all.len())
    }

    /// Edits that make and unmake groups in other blocks, change a fold's first
    /// written form (SEOUL before Seoul, Sŏul's marks before Soul's), a sentence's
    /// first word that counts only when another block writes it mid-sentence, and
    /// candidates.
    const INSERTS: &[&str] = &[
        "Sŏul ",
        " Seoul",
        "SEOUL. ",
        " Soul, Sŏul. ",
        " Kim Il-sung ",
        "\n\nHsu went home. ",
        " Then Hsu Hsiang-ch\u{2019}ien left, and Xu Xiangqian stayed. ",
        " Kim Il-sŏng met Kim Il Sung. ",
        " Tchistiakov and Chistyakov. ",
        " Pak Heon-yeong [Pak Hon Yong] ",
        " Ch\u{2019}en Yi\n\nor ",
        "x",
        "\n\n",
    ];

    #[test]
    fn the_kept_join_gives_what_every_gram_gives() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut text = std::fs::read_to_string(root.join("bajanov-1995.md")).unwrap_or_default();
        let mut real: Vec<_> = std::fs::read_dir(root.join("real"))
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "md"))
            .collect();
        real.sort();
        for p in real.iter().take(3) {
            text.push_str("\n\n");
            text.push_str(&std::fs::read_to_string(p).unwrap_or_default());
        }
        assert!(text.len() > 12_000, "{}", text.len());
        let memo = NamesMemo::default();
        let (kept, all) = same_as_every_gram(&text, &memo);
        // The join hands over a part of the n-grams only.
        assert!(kept < all / 2, "{kept} of {all} n-grams");
        use proptest::prelude::RngExt;
        use proptest::test_runner::{RngAlgorithm, TestRng};
        let mut rng = TestRng::deterministic_rng(RngAlgorithm::ChaCha);
        for _ in 0..60 {
            let mut at = rng.random_range(0..=text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            if rng.random_range(0..3) == 0 {
                let mut end = (at + rng.random_range(0..60)).min(text.len());
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                text.replace_range(at..end.max(at), "");
            } else {
                text.insert_str(at, INSERTS[rng.random_range(0..INSERTS.len())]);
            }
            same_as_every_gram(&text, &memo);
        }
        // A version without one of the last one's blocks, then the whole text gone.
        same_as_every_gram("Seoul and Sŏul.\n", &memo);
        same_as_every_gram("", &memo);
        assert!(memo.joined() > 0);
    }

    /// The join of a version equals the join built afresh from its blocks: what the
    /// blocks that went took with them is gone (no fold, key or count left over).
    #[test]
    fn a_kept_join_holds_what_a_fresh_one_holds() {
        let base = "Seoul fell. Sŏul [sic] rose.\n\nKim Il-sŏng met Kim Il Sung.\n\nTchistiakov and Chistyakov.\n\nThe kirn and the Kirn; the KIRN.\n";
        let config = crate::config::Config::default();
        let knowledge = crate::facts::Knowledge::embedded();
        let ctx = Context {
            config: &config,
            knowledge: &knowledge,
        };
        let mut kept = Join::default();
        for text in [base, "Seoul fell.\n", base, "", base] {
            let a = analyze_str(text);
            let blocks = blocks::blocks_of(&a, &a.knowledge(&ctx).lexicon, None, None);
            kept.update(&a.text, &blocks);
            let mut fresh = Join::default();
            fresh.update(&a.text, &blocks);
            let live = |j: &Join| {
                let mut v: Vec<(String, u32, u32, u32, usize)> = j
                    .ids
                    .iter()
                    .filter_map(|(t, &i)| j.folds.get(i as usize).map(|f| (t, f)))
                    .map(|(t, f)| (t.to_string(), f.grams, f.shared, f.cand, f.forms.len()))
                    .collect();
                v.sort();
                v
            };
            assert_eq!(live(&kept), live(&fresh), "{text}");
            let keys = |j: &Join| -> Vec<usize> { j.keys.iter().map(|m| m.len()).collect() };
            assert_eq!(keys(&kept), keys(&fresh), "{text}");
            let mut mid: Vec<_> = kept.mid.iter().map(|(k, v)| (k.to_string(), *v)).collect();
            let mut mid_fresh: Vec<_> =
                fresh.mid.iter().map(|(k, v)| (k.to_string(), *v)).collect();
            mid.sort();
            mid_fresh.sort();
            assert_eq!(mid, mid_fresh, "{text}");
            // The votes: the same folds and merged counts, nothing left of the blocks
            // that went.
            assert_eq!(kept.votes.len(), fresh.votes.len(), "{text}");
            assert_eq!(kept.settled, fresh.settled, "{text}");
            assert_eq!(kept.unsettled, fresh.unsettled, "{text}");
            assert_eq!(kept.votes(&blocks), blocks::votes_of_blocks(&blocks));
            // The words written in lower case: the same, counted the same.
            let lower = |j: &Join| {
                let mut v: Vec<(String, u32)> =
                    j.lower.iter().map(|(k, n)| (k.to_string(), *n)).collect();
                v.sort();
                v
            };
            assert_eq!(lower(&kept), lower(&fresh), "{text}");
        }
    }
}
