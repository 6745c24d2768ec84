//! The names rules' block-local work, kept per block from one version of a document to
//! the next (the editor's incremental analysis, issue #14), and its join per version.
//!
//! A prose block's words, runs, candidate n-grams, convention votes, OCR suspects and
//! the apparatus its runs mark depend only on the block's content, its prose pieces,
//! the text that follows it up to what the apparatus reads past a run (the whitespace
//! after the block and 100 characters), and the knowledge's lexicon (the front matter's
//! entities: [`crate::facts::Reuse`] drops the kept blocks when it changes). All of
//! that is the key. The document-wide parts join them: the set of words written
//! mid-sentence (a sentence's first word counts only then), the votes as merged counts,
//! the words written in lower case (OCR), the apparatus between blocks and in notes.

pub(super) use super::claimed::Claimed;
use super::*;
use crate::markdown::BlockKind;
use crate::memo::{BlockKey, JoinedMemo};
use crate::names::ocr::Lexicon;
use crate::names::romanise::block::{BlockGram, BlockNames, Marks, Vote};
use std::sync::Arc;

/// The memo of the blocks' work, and the join of their n-grams ([`super::join`]).
pub type NamesMemo = JoinedMemo<Arc<BlockNames>>;

/// A prose block of this version and its work.
pub(super) struct BlockAt {
    /// Index of the block in the model.
    pub(super) bi: usize,
    /// Where its content starts (its spans are relative to it).
    pub(super) base: usize,
    pub(super) names: Arc<BlockNames>,
}

impl BlockAt {
    /// The block's n-gram `g` at its place in the document, when every fold it needs
    /// (`ok`, by the block's `needs` index) is written mid-sentence somewhere.
    pub(super) fn gram<'b>(
        &self,
        g: &'b BlockGram,
        text: &'b str,
        ok: &[bool],
        entity_at: &impl Fn(Span) -> Option<usize>,
        apparatus: &apparatus::Apparatus,
    ) -> Option<Gram<'b>> {
        if !g
            .needs()
            .all(|i| ok.get(i as usize).copied().unwrap_or(false))
        {
            return None;
        }
        let span = g.span().moved(0, self.base);
        Some(Gram {
            n: g.n(),
            span,
            // (`g.name(..)` read at its place in the document.)
            name: std::borrow::Cow::Borrowed(match &g.name {
                Some(n) => n,
                None => span.slice(text),
            }),
            folded: std::borrow::Cow::Borrowed(&g.folded),
            entity: entity_at(span),
            apparatus: apparatus.contains(span),
        })
    }

    /// The block's words, at their place in the document.
    pub(super) fn words(&self) -> Vec<Word> {
        self.names
            .words
            .iter()
            .map(|w| w.moved(self.base, self.bi))
            .collect()
    }
}

/// Pure functions of a word, asked once per version for all the blocks it computes.
#[derive(Default)]
struct Caches<'t> {
    /// Each word's fold, by its number in `texts`.
    folds: HashMap<&'t str, u32>,
    /// The folds, numbered (two words with one fold have one number).
    texts: Vec<Arc<str>>,
    ids: HashMap<Arc<str>, u32>,
    /// Per fold number, what the block being computed ([`Caches::block`]) has of it.
    seen: Vec<Seen>,
    /// The block being computed, counted from 1 (a `seen` entry of another block
    /// reads as empty).
    block: u32,
    marks: HashMap<&'t str, Marks>,
    suspect: HashMap<&'t str, bool>,
}

/// What one block has of a fold: whether it writes it mid-sentence, and its index in
/// the block's `needs` and `votes` ([`NONE`]: none yet).
#[derive(Clone, Copy, Default)]
struct Seen {
    block: u32,
    mid: bool,
    need: u32,
    vote: u32,
}

const NONE: u32 = u32::MAX;

impl<'t> Caches<'t> {
    /// The number of the fold of `s`.
    fn fold(&mut self, s: &'t str) -> u32 {
        if let Some(&i) = self.folds.get(s) {
            return i;
        }
        let f = fold(s);
        let i = match self.ids.get(f.as_str()) {
            Some(&i) => i,
            None => {
                let t: Arc<str> = Arc::from(f);
                let i = self.texts.len() as u32;
                self.texts.push(t.clone());
                self.ids.insert(t, i);
                self.seen.push(Seen::default());
                i
            }
        };
        self.folds.insert(s, i);
        i
    }

    /// The fold numbered `i`.
    fn text(&self, i: u32) -> Arc<str> {
        self.texts
            .get(i as usize)
            .cloned()
            .unwrap_or_else(|| Arc::from(""))
    }

    /// Start a new block: nothing seen of any fold.
    fn next_block(&mut self) {
        self.block = self.block.wrapping_add(1);
        if self.block == 0 {
            // Wrapped around: every entry read as another block's again.
            self.seen.iter_mut().for_each(|s| s.block = 0);
            self.block = 1;
        }
    }

    /// What the block being computed has of fold `i`.
    fn seen(&mut self, i: u32) -> Option<&mut Seen> {
        let block = self.block;
        let s = self.seen.get_mut(i as usize)?;
        if s.block != block {
            *s = Seen {
                block,
                mid: false,
                need: NONE,
                vote: NONE,
            };
        }
        Some(s)
    }

    /// The conventions a capitalised word's letters show, in each language it can be
    /// read in.
    fn marks(&mut self, s: &'t str) -> Marks {
        self.marks
            .entry(s)
            .or_insert_with(|| {
                [Language::Korean, Language::Chinese, Language::Russian]
                    .into_iter()
                    .filter_map(|l| {
                        let sys = guess_in(l, s)?;
                        // Any Latin word reads as Russian: no need to generate its
                        // candidates.
                        (l == Language::Russian || !keys(l, s).is_empty()).then_some((l, sys))
                    })
                    .collect()
            })
            .clone()
    }

    fn suspect(&mut self, s: &'t str, lexicon: &Lexicon) -> bool {
        *self
            .suspect
            .entry(s)
            .or_insert_with(|| ocr::may_be_damaged(s, lexicon))
    }
}

/// The text after a block that its runs' apparatus may read: the whitespace after it
/// and 100 characters (a gloss in brackets is at most 84 past the name's spaces; the
/// "identified in footnote" test reads 24 past any whitespace).
fn following(text: &str, end: usize) -> &str {
    let rest = text.get(end..).unwrap_or("");
    let ws = rest.len() - rest.trim_start().len();
    let stop = rest
        .get(ws..)
        .and_then(|r| r.char_indices().nth(100))
        .map_or(rest.len(), |(i, _)| ws + i);
    rest.get(..stop).unwrap_or(rest)
}

/// Text of the blocks to compute from which the work is shared between threads: a
/// first analysis of a large document (the editor's first version, `check` of a big
/// file), not an edit (a block or two), nor a small document (threads cost more than
/// they save).
const PARALLEL_BYTES: usize = 64 * 1024;

/// The last version's prose blocks by place, with their work ([`blocks_of`]).
#[derive(Default)]
pub(super) struct Places {
    /// The last version's text.
    text: Option<Arc<str>>,
    /// Its prose blocks, in order.
    blocks: Vec<Placed>,
    /// Blocks whose surroundings were read afresh, since this was made and in the
    /// last version (the tests' count of what a keystroke reads).
    pub(super) read: usize,
    pub(super) read_now: usize,
    /// What this version shares with the last at their ends, and the address and
    /// length of the last version's text it was found against (for the other kept
    /// parts, [`Places::unchanged_since`]).
    unchanged: Option<((usize, usize), crate::memo::Unchanged)>,
}

/// A prose block at its place: what its work read besides its bytes.
struct Placed {
    /// Where its content starts and ends.
    start: usize,
    end: usize,
    /// The length of the text after it that its work read ([`following`]).
    after: usize,
    /// Its kind (paragraph 0, heading 1, table 2).
    tag: u64,
    /// Its prose pieces, relative to its start.
    pieces: Box<[Span]>,
    names: Option<Arc<BlockNames>>,
}

impl Places {
    /// What this version shares at its ends with `old`, when `old` was the last
    /// version these places were found against (the same text, not a copy).
    /// (`old` is alive, held by its caller since the last version, as that text was
    /// when it was read here: no other text can have had its address meanwhile.)
    pub(super) fn unchanged_since(&self, old: Option<&Arc<str>>) -> Option<crate::memo::Unchanged> {
        let (was, u) = self.unchanged?;
        old.filter(|o| (o.as_ptr() as usize, o.len()) == was)
            .map(|_| u)
    }

    /// The last version's block at the place of block `c` (kind `tag`, prose `pieces`)
    /// when the edit did not reach its bytes, nor what follows that its work read and
    /// a character more ([`following`] then reads as much), moved out of the last
    /// version's; `cursor`: where the last look-up ended (blocks come in order).
    fn kept_at(
        &mut self,
        u: &crate::memo::Unchanged,
        cursor: &mut usize,
        c: Span,
        tag: u64,
        pieces: &[Span],
    ) -> Option<Placed> {
        let at = u.old_start(c)?;
        let rest = self.blocks.get(*cursor..)?;
        *cursor += match rest.iter().take(8).position(|b| b.start >= at) {
            Some(i) => i,
            None => rest.partition_point(|b| b.start < at),
        };
        let b = self.blocks.get_mut(*cursor)?;
        let reach = c.end.checked_add(b.after)?.checked_add(4)?;
        let same = b.start == at
            && b.end - b.start == c.end - c.start
            && b.tag == tag
            && b.names.is_some()
            && u.old_start(Span::new(c.start, reach)).is_some()
            && b.pieces.len() == pieces.len()
            && b.pieces
                .iter()
                .zip(pieces)
                .all(|(was, is)| *was == is.moved(c.start, 0));
        if !same {
            return None;
        }
        Some(Placed {
            start: c.start,
            end: c.end,
            after: b.after,
            tag,
            pieces: std::mem::take(&mut b.pieces),
            names: b.names.take(),
        })
    }

    /// The work of the last version's block that started at `at` and read what `now`
    /// reads (its bytes are the same: the caller knows), if there was one.
    fn find(&self, at: usize, now: &Placed) -> Option<Arc<BlockNames>> {
        let i = self.blocks.partition_point(|b| b.start < at);
        let b = self.blocks.get(i)?;
        let same = b.start == at
            && b.end - b.start == now.end - now.start
            && b.after == now.after
            && b.tag == now.tag
            && b.pieces == now.pieces;
        same.then(|| b.names.clone())?
    }

    /// The hash of a block's bytes and what it read after them.
    fn hash(bt: &str, after: &str) -> u64 {
        use std::hash::BuildHasher;
        foldhash::fast::FixedState::default().hash_one((bt, after))
    }

    /// The work of a block of the last version that lay in the text the edit replaced
    /// (`u`: what the versions share), with the bytes `bt`, then `after`, and what
    /// `now` reads; `replaced`: those blocks by hash, made on the first call.
    fn within_edit(
        &self,
        u: &crate::memo::Unchanged,
        replaced: &mut Option<HashMap<u64, Vec<usize>>>,
        bt: &str,
        after: &str,
        now: &Placed,
    ) -> Option<Arc<BlockNames>> {
        let old = self.text.as_deref()?;
        let by_hash = replaced.get_or_insert_with(|| {
            let (from, to) = (u.prefix(), old.len() - u.suffix());
            let mut m: HashMap<u64, Vec<usize>> = HashMap::default();
            let k = self.blocks.partition_point(|b| b.end + b.after <= from);
            for (i, b) in self.blocks.iter().enumerate().skip(k) {
                if b.start >= to {
                    break;
                }
                if let (Some(t), Some(a)) =
                    (old.get(b.start..b.end), old.get(b.end..b.end + b.after))
                {
                    m.entry(Self::hash(t, a)).or_default().push(i);
                }
            }
            m
        });
        by_hash
            .get(&Self::hash(bt, after))?
            .iter()
            .filter_map(|&i| self.blocks.get(i))
            .find(|b| {
                b.end - b.start == now.end - now.start
                    && b.after == now.after
                    && b.tag == now.tag
                    && b.pieces == now.pieces
                    && old.get(b.start..b.end) == Some(bt)
                    && old.get(b.end..b.end + b.after) == Some(after)
            })
            .and_then(|b| b.names.clone())
    }
}

/// A prose block to compute.
struct Todo<'t> {
    /// Its place in the output.
    slot: usize,
    base: usize,
    bt: &'t str,
    pieces: Vec<Span>,
    key: Option<BlockKey>,
}

/// The prose blocks of `a` (those [`romanise::words`] reads) with their work: kept in
/// `memo` from the last version, or computed (then kept). Above [`PARALLEL_BYTES`] of
/// blocks to compute, they are computed on rayon's threads.
///
/// `places`: the last version's blocks by place (the editor's versions, kept with the
/// memo): a block the edit did not reach (its content and what follows it that it
/// reads, [`following`], wholly before the first changed byte or after the last) is
/// found where it stood, its extra key (kind, prose pieces) compared, without its text
/// being copied or hashed; the others are looked up by their text in `memo`.
/// (The rules call [`blocks_in`], from `super::prepare`.)
#[cfg(test)]
pub(super) fn blocks_of(
    a: &Analysis,
    lexicon: &Lexicon,
    memo: Option<&NamesMemo>,
    places: Option<&mut Places>,
) -> Vec<BlockAt> {
    blocks_in(&a.text, &a.md, lexicon, memo, places)
}

/// [`blocks_of`] from the text and its Markdown model alone (all it reads of an
/// analysis): what lets the fact passes start it beside them (`super::prepare`).
pub(super) fn blocks_in(
    doc: &Arc<str>,
    md: &crate::markdown::MdModel,
    lexicon: &Lexicon,
    memo: Option<&NamesMemo>,
    mut places: Option<&mut Places>,
) -> Vec<BlockAt> {
    let text: &str = doc;
    let unchanged = places
        .as_deref()
        .map(|p| crate::memo::Unchanged::between(p.text.as_deref().unwrap_or(""), text));
    // The last version's blocks in the text the edit replaced, by their bytes (made
    // when first asked).
    let mut replaced: Option<HashMap<u64, Vec<usize>>> = None;
    // This version's blocks by place, with the slot of their work.
    let mut placed: Vec<(usize, Placed)> = Vec::new();
    let mut slots: Vec<(usize, usize, Option<Arc<BlockNames>>)> = Vec::new();
    let mut todo: Vec<Todo> = Vec::new();
    // The same key twice in one version (a block repeated with what follows it) is
    // computed once: the later ones take the first one's result.
    let mut again: Vec<(usize, usize)> = Vec::new();
    let mut first_of: HashMap<Vec<u8>, usize> = HashMap::default();
    // Where the last version's blocks are looked up from (blocks are asked in order).
    let mut cursor = 0;
    if let Some(p) = places.as_deref_mut() {
        p.read_now = 0;
    }
    for (bi, block) in md.blocks.iter().enumerate() {
        let tag = match block.kind {
            BlockKind::Paragraph => 0,
            BlockKind::Heading { .. } => 1,
            BlockKind::Table => 2,
            _ => continue,
        };
        let c = block.content;
        let Some(bt) = text.get(c.start..c.end) else {
            continue;
        };
        let pieces = md.prose_pieces(c);
        let slot = slots.len();
        if let (Some(p), Some(u)) = (places.as_deref_mut(), unchanged) {
            // A block the edit did not reach, where it stood: what follows it is
            // not read again.
            if let Some(mut here) = p.kept_at(&u, &mut cursor, c, tag, &pieces) {
                let names = here.names.take();
                placed.push((slot, here));
                slots.push((bi, c.start, names));
                continue;
            }
            p.read_now += 1;
        }
        let after = following(text, c.end);
        if let (Some(p), Some(u)) = (places.as_deref(), unchanged) {
            let rel: Box<[Span]> = pieces.iter().map(|s| s.moved(c.start, 0)).collect();
            let here = Placed {
                start: c.start,
                end: c.end,
                after: after.len(),
                tag,
                pieces: rel,
                names: None,
            };
            let found = match u.old_start(Span::new(c.start, c.end + after.len())) {
                Some(at) => p.find(at, &here),
                // Within the edit: a block the last version had in the text the edit
                // replaced (moved, or the edit's ends fell between blocks).
                None => p.within_edit(&u, &mut replaced, bt, after, &here),
            };
            placed.push((slot, here));
            if let Some(names) = found {
                slots.push((bi, c.start, Some(names)));
                continue;
            }
        }
        let key = memo.map(|_| {
            BlockKey::new(bt)
                .num(tag)
                .spans(c.start, &pieces)
                .text(after)
        });
        let kept = match (memo, &key) {
            (Some(m), Some(k)) => m.get(k.bytes()),
            _ => None,
        };
        slots.push((bi, c.start, kept.clone()));
        if kept.is_some() {
            continue;
        }
        if let Some(k) = &key {
            if let Some(&t) = first_of.get(k.bytes()) {
                again.push((slot, t));
                continue;
            }
            first_of.insert(k.bytes().to_vec(), todo.len());
        }
        todo.push(Todo {
            slot,
            base: c.start,
            bt,
            pieces: pieces.iter().map(|p| p.moved(c.start, 0)).collect(),
            key,
        });
    }
    drop(first_of);
    // Each block's work goes into the memo on the thread that computed it (a
    // megabyte's first version copied and hashed every key on one thread, after the
    // others had finished).
    fn work<'t>(
        text: &'t str,
        lexicon: &Lexicon,
        memo: Option<&NamesMemo>,
        c: &mut Caches<'t>,
        t: &Todo<'t>,
    ) -> Arc<BlockNames> {
        let names = Arc::new(compute(text, t.base, t.bt, &t.pieces, lexicon, c));
        if let (Some(m), Some(k)) = (memo, &t.key) {
            m.insert(k.bytes(), names.clone());
        }
        names
    }
    let bytes: usize = todo.iter().map(|t| t.bt.len()).sum();
    let done: Vec<Arc<BlockNames>> = if bytes >= PARALLEL_BYTES && todo.len() > 1 {
        use rayon::prelude::*;
        todo.par_iter()
            .map_init(Caches::default, |c, t| work(text, lexicon, memo, c, t))
            .collect()
    } else {
        let mut caches = Caches::default();
        todo.iter()
            .map(|t| work(text, lexicon, memo, &mut caches, t))
            .collect()
    };
    for (t, names) in todo.iter().zip(&done) {
        if let Some(s) = slots.get_mut(t.slot) {
            s.2 = Some(names.clone());
        }
    }
    for (slot, t) in again {
        if let (Some(s), Some(n)) = (slots.get_mut(slot), done.get(t)) {
            s.2 = Some(n.clone());
        }
    }
    if let Some(p) = places {
        // Every prose block of this version, in order, with its work: what the next
        // version finds by place.
        p.unchanged = match (p.text.as_deref(), unchanged) {
            (Some(was), Some(u)) => Some(((was.as_ptr() as usize, was.len()), u)),
            _ => None,
        };
        p.text = Some(doc.clone());
        p.read += p.read_now;
        p.blocks = placed
            .into_iter()
            .filter_map(|(slot, b)| {
                let names = slots.get(slot)?.2.clone()?;
                Some(Placed {
                    names: Some(names),
                    ..b
                })
            })
            .collect();
    }
    slots
        .into_iter()
        .filter_map(|(bi, base, names)| {
            let names = names?;
            (!names.words.is_empty()).then_some(BlockAt { bi, base, names })
        })
        .collect()
}

/// Whether a word of an n-gram counts.
#[derive(Clone, Copy, PartialEq)]
enum Counts {
    No,
    Yes,
    /// Only if the document writes this folded word mid-sentence (index in `needs`).
    IfMid(u32),
}

/// The work of one block: `bt` its content, at `base` in `text`; `pieces` its prose
/// pieces relative to `base`.
fn compute<'t>(
    text: &'t str,
    base: usize,
    bt: &'t str,
    pieces: &[Span],
    lexicon: &Lexicon,
    caches: &mut Caches<'t>,
) -> BlockNames {
    let mut words = romanise::block_words(bt, pieces);
    let mut runs = capital_runs(bt, &words);
    let eligible_w: Vec<bool> = words.iter().map(|w| eligible(bt, w)).collect();
    // Folds of the eligible words, by number (no other word is part of an n-gram or
    // a vote); what the block has of each fold is kept in `caches` by that number.
    caches.next_block();
    let folds: Vec<Option<u32>> = words
        .iter()
        .zip(&eligible_w)
        .map(|(w, &e)| e.then(|| caches.fold(w.span().slice(bt))))
        .collect();
    let mut mid: Vec<Arc<str>> = Vec::new();
    for (w, &f) in words.iter().zip(&folds) {
        if let Some(f) = f
            && !w.initial
            && let Some(seen) = caches.seen(f)
            && !seen.mid
        {
            seen.mid = true;
            mid.push(caches.text(f));
        }
    }
    // Whether each word counts in an n-gram: eligible, and not starting a sentence, or
    // marked, or written mid-sentence (here, or — asked per version — elsewhere); the
    // first of two eligible words of a run always.
    let mut needs: Vec<Arc<str>> = Vec::new();
    let mut counts: Vec<Counts> = Vec::with_capacity(words.len());
    for (w, &f) in words.iter().zip(&folds) {
        let c = match f {
            None => Counts::No,
            Some(f) => {
                let is_mid = caches.seen(f).is_some_and(|s| s.mid);
                if !w.initial || marked(w.span().slice(bt)) || is_mid {
                    Counts::Yes
                } else {
                    let at = caches.seen(f).map_or(NONE, |s| s.need);
                    let i = if at == NONE {
                        needs.push(caches.text(f));
                        let i = (needs.len() - 1) as u32;
                        if let Some(s) = caches.seen(f) {
                            s.need = i;
                        }
                        i
                    } else {
                        at
                    };
                    Counts::IfMid(i)
                }
            }
        };
        counts.push(c);
    }
    let eligible_at = |i: usize| eligible_w.get(i).copied().unwrap_or(false);
    for run in &runs {
        if run.len() >= 2
            && eligible_at(run.start)
            && eligible_at(run.start + 1)
            && let Some(slot) = counts.get_mut(run.start)
        {
            *slot = Counts::Yes;
        }
    }
    let mut grams: Vec<BlockGram> = Vec::new();
    let mut scratch = String::new();
    for run in &runs {
        for i in run.clone() {
            for n in 1..=3 {
                let r = i..i + n;
                if r.end > run.end
                    || !counts
                        .get(r.clone())
                        .is_some_and(|v| v.iter().all(|&c| c != Counts::No))
                {
                    break;
                }
                let (Some(f), Some(l)) = (words.get(r.start), words.get(r.end - 1)) else {
                    break;
                };
                let mut need = [None; 3];
                for (slot, k) in need.iter_mut().zip(r.clone()) {
                    if let Some(Counts::IfMid(x)) = counts.get(k) {
                        *slot = Some(*x);
                    }
                }
                let ws = words.get(r.clone()).unwrap_or(&[]);
                // The text itself when its words stand one space apart.
                let spaced = ws
                    .windows(2)
                    .all(|p| bt.get(p[0].span().end..p[1].span().start) == Some(" "));
                let name = (!spaced)
                    .then(|| joined(ws.iter().map(|w| w.span().slice(bt))).into_boxed_str());
                let folded = match folds.get(r.clone()).unwrap_or(&[]) {
                    [Some(one)] => caches.text(*one),
                    fs => {
                        scratch.clear();
                        for (k, t) in fs.iter().flatten().enumerate() {
                            if k > 0 {
                                scratch.push(' ');
                            }
                            if let Some(t) = caches.texts.get(*t as usize) {
                                scratch.push_str(t);
                            }
                        }
                        Arc::from(scratch.as_str())
                    }
                };
                grams.push(BlockGram::new(
                    u8::try_from(n).unwrap_or(u8::MAX),
                    Span::new(f.span().start, l.span().end),
                    name,
                    folded,
                    need,
                ));
            }
        }
    }
    // Votes: each distinct fold once, with the marks of its first spelling here.
    let mut votes: Vec<Vote> = Vec::new();
    for (w, &f) in words.iter().zip(&folds) {
        let Some(f) = f else { continue };
        let at = caches.seen(f).map_or(NONE, |s| s.vote);
        let i = if at == NONE {
            let marks = caches.marks(w.span().slice(bt));
            votes.push((caches.text(f), marks, 0));
            let i = (votes.len() - 1) as u32;
            if let Some(s) = caches.seen(f) {
                s.vote = i;
            }
            i
        } else {
            at
        };
        if let Some(v) = votes.get_mut(i as usize) {
            v.2 += 1;
        }
    }
    // OCR suspects: the capitalised words of runs that may be damage.
    let mut suspects: Vec<Box<str>> = Vec::new();
    for run in &runs {
        for w in words.get(run.clone()).unwrap_or(&[]) {
            let s = w.span().slice(bt);
            if caches.suspect(s, lexicon) && !suspects.iter().any(|x| &**x == s) {
                suspects.push(s.into());
            }
        }
    }
    // The apparatus the block's runs mark, read in the document (what it reads past
    // the block is in the key).
    let spans: Vec<Span> = runs
        .iter()
        .filter_map(|r| apparatus::run_span(&words, r))
        .map(|s| s.moved(0, base))
        .collect();
    let mut app = Vec::new();
    let mut tail = String::new();
    for (i, &span) in spans.iter().enumerate() {
        apparatus::after_run(text, span, &mut tail, &mut app);
        if let Some(&next) = spans.get(i + 1) {
            apparatus::joined_pair(text, span, next, &mut app);
        }
    }
    let apparatus = app.into_iter().map(|s| s.moved(base, 0)).collect();
    let first_run = runs.first().and_then(|r| apparatus::run_span(&words, r));
    let last_run = runs.last().and_then(|r| apparatus::run_span(&words, r));
    // Kept until the block changes: no growth slack (a quarter of the names rules'
    // memory at 1 MB).
    words.shrink_to_fit();
    grams.shrink_to_fit();
    runs.shrink_to_fit();
    votes.shrink_to_fit();
    BlockNames {
        words,
        runs,
        grams,
        needs,
        mid,
        votes,
        suspects,
        apparatus,
        first_run,
        last_run,
    }
}

/// The apparatus of the document: the blocks' own, the runs joined by "or" across two
/// blocks, the tables of romanisations and the editors' notes.
pub(super) fn apparatus_of(a: &Analysis, blocks: &[BlockAt]) -> apparatus::Apparatus {
    let text: &str = &a.text;
    let mut out: Vec<Span> = Vec::new();
    let mut last: Option<Span> = None;
    for b in blocks {
        let n = &b.names;
        out.extend(n.apparatus.iter().map(|s| s.moved(0, b.base)));
        if let (Some(prev), Some(first)) = (last, n.first_run) {
            apparatus::joined_pair(text, prev, first.moved(0, b.base), &mut out);
        }
        if let Some(l) = n.last_run {
            last = Some(l.moved(0, b.base));
        }
    }
    apparatus::tables(a, &mut out);
    apparatus::notes_with(a, &BlockRuns(blocks), &mut out);
    apparatus::Apparatus::merged(out)
}

/// The runs of the blocks' capitalised words, read where the notes ask (no list of
/// the document's runs is made).
struct BlockRuns<'b>(&'b [BlockAt]);

impl BlockAt {
    /// The spans of the block's runs, at their place in the document.
    fn run_spans(&self) -> impl DoubleEndedIterator<Item = Span> + '_ {
        self.names
            .runs
            .iter()
            .filter_map(|r| apparatus::run_span(&self.names.words, r))
            .map(|s| s.moved(0, self.base))
    }
}

impl apparatus::Runs for BlockRuns<'_> {
    fn last_ending_by(&self, pos: usize) -> Option<Span> {
        // The blocks are in order and their runs too: the last block that starts
        // before `pos` and has such a run has the last one.
        let k = self.0.partition_point(|b| b.base < pos);
        self.0
            .get(..k)
            .unwrap_or(&[])
            .iter()
            .rev()
            .find_map(|b| b.run_spans().rev().find(|s| s.end <= pos))
    }

    fn within(&self, start: usize, end: usize, f: &mut dyn FnMut(Span)) {
        let k = self.0.partition_point(|b| b.base < start).saturating_sub(1);
        for b in self.0.get(k..).unwrap_or(&[]) {
            if b.base >= end {
                break;
            }
            for s in b.run_spans() {
                if s.start >= end {
                    break;
                }
                if s.start >= start && s.end <= end {
                    f(s);
                }
            }
        }
    }
}

/// The document's n-grams that may be names, from its blocks' (see [`Gram`]).
pub(super) fn grams_of_blocks<'b>(
    a: &'b Analysis,
    blocks: &'b [BlockAt],
    apparatus: &apparatus::Apparatus,
) -> Vec<Gram<'b>> {
    // The words some n-gram needs written mid-sentence, and whether the document does.
    let mut needed: HashMap<&str, bool> = HashMap::default();
    for b in blocks {
        for f in &b.names.needs {
            needed.insert(f, false);
        }
    }
    if !needed.is_empty() {
        for b in blocks {
            for f in &b.names.mid {
                if let Some(v) = needed.get_mut(&**f) {
                    *v = true;
                }
            }
        }
    }
    let entity_at = entity_finder(a);
    let mut grams: Vec<Gram> = Vec::new();
    for b in blocks {
        let ok: Vec<bool> = b
            .names
            .needs
            .iter()
            .map(|f| needed.get(&**f).copied().unwrap_or(false))
            .collect();
        grams.extend(
            b.names
                .grams
                .iter()
                .filter_map(|g| b.gram(g, &a.text, &ok, &entity_at, apparatus)),
        );
    }
    grams
}

/// The gazetteer entity whose mention contains a span, if any.
pub(super) fn entity_finder(a: &Analysis) -> impl Fn(Span) -> Option<usize> {
    let mut by_start: Vec<(Span, usize)> = a.mentions.iter().map(|m| (m.span, m.entity)).collect();
    by_start.sort();
    move |span: Span| -> Option<usize> {
        let i = by_start.partition_point(|(s, _)| s.start <= span.start);
        by_start
            .get(..i)
            .unwrap_or(&[])
            .iter()
            .rev()
            .take(4)
            .find(|(s, _)| span.end <= s.end)
            .map(|(_, e)| *e)
    }
}

/// The document's votes: the blocks' counts merged, each fold with the marks of the
/// document's first spelling of it.
pub(super) fn votes_of_blocks(blocks: &[BlockAt]) -> Votes {
    let mut first: HashMap<&str, &[(Language, System)]> = HashMap::default();
    let mut votes = Votes::default();
    for b in blocks {
        for (f, marks, n) in &b.names.votes {
            let m = *first.entry(f).or_insert(marks);
            for mk in m {
                *votes.entry(*mk).or_default() += n;
            }
        }
    }
    votes
}

/// Damaged names in the document's prose ([`ocr::scan_words`] over its blocks): only
/// blocks with a suspect word are scanned; the words the document writes in lower case
/// are asked of every block only for the suspects.
pub(super) fn damage_of_blocks(
    text: &str,
    blocks: &[BlockAt],
    lexicon: &Lexicon,
) -> Vec<ocr::Damage> {
    let suspects: foldhash::HashSet<String> = blocks
        .iter()
        .flat_map(|b| b.names.suspects.iter().map(|s| s.to_lowercase()))
        .collect();
    if suspects.is_empty() {
        return Vec::new();
    }
    // Lengths of the suspects (most words are not as long as any).
    let lens: foldhash::HashSet<usize> = suspects.iter().map(String::len).collect();
    let mut lower: foldhash::HashSet<&str> = foldhash::HashSet::default();
    for b in blocks {
        for w in b.names.words.iter().filter(|w| !w.capital) {
            let s = w.span().moved(0, b.base).slice(text);
            let l: std::borrow::Cow<str> = if s.chars().any(char::is_uppercase) {
                std::borrow::Cow::Owned(s.to_lowercase())
            } else {
                if !lens.contains(&s.len()) {
                    continue;
                }
                std::borrow::Cow::Borrowed(s)
            };
            if let Some(x) = suspects.get(&*l) {
                lower.insert(x);
            }
        }
    }
    let mut out = Vec::new();
    for b in blocks.iter().filter(|b| !b.names.suspects.is_empty()) {
        let ws = b.words();
        out.extend(ocr::scan_words_with(text, &ws, lexicon, |t| {
            lower.contains(t)
        }));
    }
    out
}

#[cfg(test)]
mod tests;
