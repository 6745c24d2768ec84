//! A bounded, thread-safe memo of pure functions of one word.
//!
//! The names rules ask the same questions of every distinct word of every document —
//! which romanisation a spelling follows, its romanisation keys, whether it is one
//! syllable — and on a collection the same words come back in every file, and in the
//! editor every version of a document asks again what the last one asked. Those
//! answers were half of `check`'s time on a collection of small files.
//!
//! Sharded behind mutexes (rayon's threads ask together). A shard that reaches its
//! bound is emptied, so the memory stays bounded whatever the input. The lock is never
//! held while an answer is computed; a poisoned lock is bypassed (the answer is then
//! computed, not remembered).

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

const SHARDS: usize = 16;

type Shard<V> = Mutex<HashMap<Box<str>, V, foldhash::fast::FixedState>>;

/// Answers of one function, by word.
pub struct Memo<V> {
    shards: Vec<Shard<V>>,
    max_per_shard: usize,
}

impl<V: Clone> Memo<V> {
    /// A memo that holds at most `max` words (in 16 shards).
    pub fn new(max: usize) -> Memo<V> {
        Memo {
            shards: (0..SHARDS)
                .map(|_| Mutex::new(HashMap::with_hasher(foldhash::fast::FixedState::default())))
                .collect(),
            max_per_shard: max.div_ceil(SHARDS).max(1),
        }
    }

    /// The answer for `word`: remembered, or `f()` (then remembered).
    pub fn get_or(&self, word: &str, f: impl FnOnce() -> V) -> V {
        let i = (foldhash::fast::FixedState::default().hash_one(word) as usize) % SHARDS;
        let Some(shard) = self.shards.get(i) else {
            return f();
        };
        if let Some(v) = shard.lock().ok().and_then(|m| m.get(word).cloned()) {
            return v;
        }
        let v = f();
        if let Ok(mut m) = shard.lock() {
            if m.len() >= self.max_per_shard {
                m.clear();
            }
            m.insert(word.into(), v.clone());
        }
        v
    }

    /// Words remembered now (for tests of the bound).
    pub fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.lock().map(|m| m.len()).unwrap_or(0))
            .sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Results of a pass over one block of a document, kept from one version of the
/// document to the next (the editor's incremental analysis).
///
/// A pass whose result for a block depends only on what the caller puts in the key
/// (the block's text and whatever else it reads of the model: its quote depth, the
/// prose pieces relative to the block) stores that result with offsets relative to the
/// block's start, and an edit then recomputes only the blocks it touched: the others
/// are found by key, wherever they moved. The key is compared whole (no hash
/// collision can return another block's result).
///
/// [`BlockMemo::sweep`] ends a version: what it did not ask for is dropped, so the
/// memo holds at most the blocks of one version (memory linear in the document).
pub struct BlockMemo<V> {
    inner: Mutex<BlockTable<V>>,
}

struct BlockTable<V> {
    map: HashMap<Box<[u8]>, (V, bool), foldhash::fast::FixedState>,
    /// Results computed (not found) since the memo was made: the work counter of the
    /// tests.
    computed: usize,
}

impl<V: Clone> Default for BlockMemo<V> {
    fn default() -> Self {
        BlockMemo {
            inner: Mutex::new(BlockTable {
                map: HashMap::with_hasher(foldhash::fast::FixedState::default()),
                computed: 0,
            }),
        }
    }
}

impl<V: Clone> BlockMemo<V> {
    /// The result for `key`: kept from the last version, or `f()` (then kept).
    pub fn get_or(&self, key: &[u8], f: impl FnOnce() -> V) -> V {
        if let Ok(mut t) = self.inner.lock()
            && let Some((v, used)) = t.map.get_mut(key)
        {
            *used = true;
            return v.clone();
        }
        let v = f();
        if let Ok(mut t) = self.inner.lock() {
            t.computed += 1;
            t.map.insert(key.into(), (v.clone(), true));
        }
        v
    }

    /// The result kept for `key`, if any (then kept for the next version too).
    pub fn get(&self, key: &[u8]) -> Option<V> {
        let mut t = self.inner.lock().ok()?;
        let (v, used) = t.map.get_mut(key)?;
        *used = true;
        Some(v.clone())
    }

    /// Keep `v`, computed for `key` (what [`BlockMemo::get_or`] does on a miss, for a
    /// caller that computes its misses together).
    pub fn insert(&self, key: &[u8], v: V) {
        if let Ok(mut t) = self.inner.lock() {
            t.computed += 1;
            t.map.insert(key.into(), (v, true));
        }
    }

    /// The end of a version: forget every result it did not ask for.
    pub fn sweep(&self) {
        if let Ok(mut t) = self.inner.lock() {
            t.map.retain(|_, (_, used)| std::mem::take(used));
        }
    }

    /// Forget everything kept.
    pub fn clear(&self) {
        if let Ok(mut t) = self.inner.lock() {
            t.map.clear();
        }
    }

    /// Results computed rather than found, since the memo was made.
    pub fn computed(&self) -> usize {
        self.inner.lock().map(|t| t.computed).unwrap_or(0)
    }

    /// Results held now.
    pub fn len(&self) -> usize {
        self.inner.lock().map(|t| t.map.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A [`BlockMemo`], and what a pass joins of its blocks over the whole document, kept
/// from one version to the next too: the pass brings the join to the new version's
/// blocks (removing the contributions of the blocks that went, adding those of the
/// blocks that came) instead of joining every block again.
///
/// The join is of a type the pass defines on a higher floor, so it is held here
/// without its type (`Any`); the pass takes it out at the start of a version and puts
/// it back at the end. A join of another type, or none (the first version, or a pass
/// that failed half-way), is a join of no blocks: the pass starts from nothing, which
/// costs time but changes no result.
pub struct JoinedMemo<V> {
    blocks: BlockMemo<V>,
    join: Mutex<Option<Box<dyn std::any::Any + Send>>>,
    /// Blocks' contributions added to or removed from the join since the memo was
    /// made: the tests' count of the join's work.
    joined: AtomicUsize,
    /// Results of document-wide parts recomputed rather than kept (the pass says
    /// what a part is; the names rules: entities judged afresh), since the memo was
    /// made: the tests' count.
    recomputed: AtomicUsize,
}

impl<V: Clone> Default for JoinedMemo<V> {
    fn default() -> Self {
        JoinedMemo {
            blocks: BlockMemo::default(),
            join: Mutex::new(None),
            joined: AtomicUsize::new(0),
            recomputed: AtomicUsize::new(0),
        }
    }
}

impl<V: Clone> JoinedMemo<V> {
    /// See [`BlockMemo::get_or`].
    pub fn get_or(&self, key: &[u8], f: impl FnOnce() -> V) -> V {
        self.blocks.get_or(key, f)
    }

    /// See [`BlockMemo::get`].
    pub fn get(&self, key: &[u8]) -> Option<V> {
        self.blocks.get(key)
    }

    /// See [`BlockMemo::insert`].
    pub fn insert(&self, key: &[u8], v: V) {
        self.blocks.insert(key, v)
    }

    /// The end of a version (the join is the version's already).
    pub fn sweep(&self) {
        self.blocks.sweep();
    }

    /// Forget the blocks and the join.
    pub fn clear(&self) {
        self.blocks.clear();
        if let Ok(mut j) = self.join.lock() {
            *j = None;
        }
    }

    /// Blocks computed rather than found, since the memo was made.
    pub fn computed(&self) -> usize {
        self.blocks.computed()
    }

    /// Blocks held now.
    pub fn len(&self) -> usize {
        self.blocks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }

    /// The join of the last version, taken out (`None` if there is none of type `T`).
    pub fn take_join<T: std::any::Any + Send>(&self) -> Option<T> {
        let j = self.join.lock().ok()?.take()?;
        j.downcast::<T>().ok().map(|b| *b)
    }

    /// Keep `join` for the next version.
    pub fn put_join<T: std::any::Any + Send>(&self, join: T) {
        if let Ok(mut j) = self.join.lock() {
            *j = Some(Box::new(join));
        }
    }

    /// Count `n` blocks' contributions added to or removed from the join.
    pub fn add_joined(&self, n: usize) {
        self.joined.fetch_add(n, Ordering::Relaxed);
    }

    /// Blocks' contributions added to or removed from the join since the memo was made.
    pub fn joined(&self) -> usize {
        self.joined.load(Ordering::Relaxed)
    }

    /// Count `n` results of the pass's document-wide parts recomputed.
    pub fn add_recomputed(&self, n: usize) {
        self.recomputed.fetch_add(n, Ordering::Relaxed);
    }

    /// Results of the document-wide parts recomputed since the memo was made.
    pub fn recomputed(&self) -> usize {
        self.recomputed.load(Ordering::Relaxed)
    }
}

/// The key of a block for a [`BlockMemo`]: its text, then each extra field, each
/// preceded by its length so that no two different keys write the same bytes.
pub struct BlockKey(smallvec::SmallVec<[u8; 128]>);

impl BlockKey {
    /// Keys up to 128 bytes (a block with up to six prose pieces, no text) stay on the
    /// stack: the fact passes build one per block and version, and look it up at once.
    pub fn new(text: &str) -> BlockKey {
        let mut v = smallvec::SmallVec::with_capacity(text.len() + 16);
        v.extend((text.len() as u64).to_le_bytes());
        if !text.is_empty() {
            v.extend_from_slice(text.as_bytes());
        }
        BlockKey(v)
    }

    /// Add a number to the key.
    pub fn num(mut self, n: u64) -> BlockKey {
        // Written in place (smallvec's `extend_from_slice` calls `memmove` and
        // `memcpy` for a few bytes, which was most of the key's cost).
        self.0.extend(n.to_le_bytes());
        self
    }

    /// Add a text (preceded by its length).
    pub fn text(mut self, s: &str) -> BlockKey {
        self = self.num(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
        self
    }

    /// Add spans, relative to `base` (where the block starts: no span starts before
    /// it), preceded by their count. Each offset takes four bytes when it is below
    /// `u32::MAX` (every offset of a document under 4 GiB), else the four bytes of
    /// `u32::MAX` and then eight: no two lists of spans write the same bytes, and a
    /// block of up to twelve prose pieces keeps its key on the stack.
    pub fn spans(mut self, base: usize, spans: &[crate::finding::Span]) -> BlockKey {
        // Room for them all at once (the key is built for every block of every
        // version: growing it number by number was most of its cost), written
        // through a buffer on the stack: one copy into the key per 64 bytes.
        self.0.reserve(8 + 8 * spans.len());
        self = self.num(spans.len() as u64);
        let mut buf = [0u8; 64];
        let mut n = 0;
        for s in spans {
            for at in [s.start.saturating_sub(base), s.end.saturating_sub(base)] {
                if n + 12 > buf.len() {
                    self.0.extend_from_slice(buf.get(..n).unwrap_or_default());
                    n = 0;
                }
                match u32::try_from(at) {
                    Ok(short) if short < u32::MAX => {
                        if let Some(d) = buf.get_mut(n..n + 4) {
                            d.copy_from_slice(&short.to_le_bytes());
                        }
                        n += 4;
                    }
                    _ => {
                        if let Some(d) = buf.get_mut(n..n + 12) {
                            d[..4].copy_from_slice(&u32::MAX.to_le_bytes());
                            d[4..].copy_from_slice(&(at as u64).to_le_bytes());
                        }
                        n += 12;
                    }
                }
            }
        }
        self.0.extend_from_slice(buf.get(..n).unwrap_or_default());
        self
    }

    /// Whether the key outgrew the stack (for the tests).
    pub fn spilled(&self) -> bool {
        self.0.spilled()
    }

    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}

/// What two versions of a text have in common at their ends: the bytes before the
/// first that differs (`prefix`) and after the last (`suffix`, never overlapping the
/// prefix in either text). A span of the new text inside one of them holds exactly the
/// bytes it held in the old text, at [`Unchanged::old_start`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Unchanged {
    prefix: usize,
    suffix: usize,
    old_len: usize,
    new_len: usize,
}

impl Unchanged {
    /// The common ends of `old` and `new` (one pass over each, no allocation).
    pub fn between(old: &str, new: &str) -> Unchanged {
        let (a, b) = (old.as_bytes(), new.as_bytes());
        let prefix = common_len(a.len().min(b.len()), |i, n| {
            a.get(i..i + n) == b.get(i..i + n)
        });
        let room = a.len().min(b.len()) - prefix;
        let suffix = common_len(room, |i, n| {
            a.get(a.len() - i - n..a.len() - i) == b.get(b.len() - i - n..b.len() - i)
        });
        Unchanged {
            prefix,
            suffix,
            old_len: a.len(),
            new_len: b.len(),
        }
    }

    /// How many bytes the two texts share at their start.
    pub fn prefix(&self) -> usize {
        self.prefix
    }

    /// How many bytes the two texts share at their end (not overlapping the prefix).
    pub fn suffix(&self) -> usize {
        self.suffix
    }

    /// Where `span` of the new text started in the old text, when its bytes are
    /// unchanged (wholly inside the common prefix or the common suffix).
    pub fn old_start(&self, span: crate::finding::Span) -> Option<usize> {
        if span.end <= self.prefix {
            Some(span.start)
        } else if span.start >= self.new_len - self.suffix && span.end <= self.new_len {
            Some(span.start + self.old_len - self.new_len)
        } else {
            None
        }
    }
}

/// The length (at most `max`) of the longest run from 0 whose pieces `same(at, n)`
/// (bytes `at..at + n` counted from the run's side) are equal: compared in blocks of
/// 256 bytes, then byte by byte.
fn common_len(max: usize, same: impl Fn(usize, usize) -> bool) -> usize {
    const BLOCK: usize = 256;
    let mut i = 0;
    while i + BLOCK <= max && same(i, BLOCK) {
        i += BLOCK;
    }
    while i < max && same(i, 1) {
        i += 1;
    }
    i
}

/// Results by the block's span: sorted by it once a version ends.
type ShiftTable<V> = Vec<(usize, usize, Box<[u8]>, Option<V>)>;

/// The first entry of `table` (sorted by place) at `place` or after it: what a binary
/// search finds, found by stepping on from `hint` (where the last look-up ended) when
/// `place` lies a few entries on from there, as it does when blocks are asked for in
/// order; by a binary search otherwise.
fn first_at<V>(table: &ShiftTable<V>, hint: usize, place: (usize, usize)) -> usize {
    const STEPS: usize = 8;
    let before = |i: usize| table.get(i).is_some_and(|e| (e.0, e.1) < place);
    // `hint` may be the answer, or lie before it by a few entries; never after it.
    let hint_ok = hint <= table.len() && (hint == 0 || before(hint - 1));
    if hint_ok && let Some(i) = (hint..hint + STEPS).find(|&i| !before(i)) {
        return i;
    }
    table.partition_point(|e| (e.0, e.1) < place)
}

/// A [`BlockMemo`] that finds a block's kept result by where the block stood in the
/// last version rather than by its text: a block the edit did not reach (wholly
/// before the first changed byte or after the last, [`Unchanged`]) has the same bytes
/// it had, so only the rest of its key (`extra`: what else the pass reads of the model,
/// compared whole) is compared. No block's text is copied, hashed or compared, and a
/// kept result is moved to the new version's table, not copied; a block the edit
/// reached, or one moved elsewhere, is computed again.
///
/// [`ShiftMemo::begin`] starts a version (with what it shares with the last one),
/// [`ShiftMemo::sweep`] ends it: what it did not ask for is dropped.
pub struct ShiftMemo<V> {
    inner: Mutex<ShiftState<V>>,
}

struct ShiftState<V> {
    unchanged: Unchanged,
    /// The last version's results, by the block's span in it (sorted).
    old: ShiftTable<V>,
    /// This version's, by the block's span in it, in the order asked.
    new: ShiftTable<V>,
    /// Where in `old` the last block asked for was looked up: blocks are asked for in
    /// the document's order, so the next one is found by stepping on from here rather
    /// than by a binary search over the whole table.
    cursor: usize,
    computed: usize,
}

impl<V: Clone> Default for ShiftMemo<V> {
    fn default() -> Self {
        ShiftMemo {
            inner: Mutex::new(ShiftState {
                unchanged: Unchanged::default(),
                old: Vec::new(),
                new: Vec::new(),
                cursor: 0,
                computed: 0,
            }),
        }
    }
}

impl<V: Clone> ShiftMemo<V> {
    /// A new version, sharing `unchanged` with the last (whose results are kept).
    pub fn begin(&self, unchanged: Unchanged) {
        if let Ok(mut t) = self.inner.lock() {
            t.unchanged = unchanged;
        }
    }

    /// The result for the block at `span` whose key is its bytes and `extra`: kept
    /// from the last version, or `f()` (then kept).
    pub fn get_or(&self, span: crate::finding::Span, extra: &[u8], f: impl FnOnce() -> V) -> V {
        self.get_with(span, extra, f, V::clone)
    }

    /// [`ShiftMemo::get_or`], giving the result to `read` by reference rather than
    /// cloned (for a pass that copies it out moved anyway: no clone of a whole
    /// block's results to drop at once). The memo's lock is held while `read` runs:
    /// `read` must not ask this memo again.
    pub fn get_with<R>(
        &self,
        span: crate::finding::Span,
        extra: &[u8],
        f: impl FnOnce() -> V,
        read: impl FnOnce(&V) -> R,
    ) -> R {
        if let Ok(mut t) = self.inner.lock() {
            let t = &mut *t;
            if let Some(at) = t.unchanged.old_start(span) {
                let place = (at, at + span.len());
                let from = first_at(&t.old, t.cursor, place);
                t.cursor = from;
                let found = t
                    .old
                    .get_mut(from..)
                    .unwrap_or(&mut [])
                    .iter_mut()
                    .take_while(|e| (e.0, e.1) == place)
                    .find(|e| e.3.is_some() && *e.2 == *extra);
                if let Some(e) = found
                    && let Some(v) = e.3.take()
                {
                    let key = std::mem::take(&mut e.2);
                    let out = read(&v);
                    t.new.push((span.start, span.end, key, Some(v)));
                    return out;
                }
            }
        }
        let v = f();
        let out = read(&v);
        if let Ok(mut t) = self.inner.lock() {
            t.computed += 1;
            t.new.push((span.start, span.end, extra.into(), Some(v)));
        }
        out
    }

    /// The end of a version: its results become the last version's; the rest goes.
    pub fn sweep(&self) {
        if let Ok(mut t) = self.inner.lock() {
            let t = &mut *t;
            std::mem::swap(&mut t.old, &mut t.new);
            t.new.clear();
            t.cursor = 0;
            // Asked in document order as a rule: then already sorted.
            if !t.old.is_sorted_by_key(|e| (e.0, e.1)) {
                t.old.sort_by_key(|e| (e.0, e.1));
            }
        }
    }

    /// Forget everything kept.
    pub fn clear(&self) {
        if let Ok(mut t) = self.inner.lock() {
            t.old.clear();
            t.new.clear();
            t.cursor = 0;
        }
    }

    /// Results computed rather than found, since the memo was made.
    pub fn computed(&self) -> usize {
        self.inner.lock().map(|t| t.computed).unwrap_or(0)
    }

    /// Results held now (this version's, or the last one's between versions).
    pub fn len(&self) -> usize {
        self.inner
            .lock()
            .map(|t| t.old.iter().chain(&t.new).filter(|e| e.3.is_some()).count())
            .unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_memo_keeps_one_version() {
        let m: BlockMemo<u32> = BlockMemo::default();
        let k1 = BlockKey::new("a").num(1);
        let k2 = BlockKey::new("a").num(2);
        assert_eq!(m.get_or(k1.bytes(), || 1), 1);
        assert_eq!(m.get_or(k1.bytes(), || 9), 1);
        assert_eq!(m.get_or(k2.bytes(), || 2), 2);
        assert_eq!(m.computed(), 2);
        m.sweep();
        // The next version asks only for k1: k2 goes at its end.
        assert_eq!(m.get_or(k1.bytes(), || 9), 1);
        m.sweep();
        assert_eq!(m.len(), 1);
        assert_eq!(m.get_or(k2.bytes(), || 3), 3);
        assert_eq!(m.computed(), 3);
        // Lengths are part of the key: ("ab", 1) and ("a", …) never meet.
        assert_ne!(
            BlockKey::new("ab").bytes(),
            BlockKey::new("a").num(0).bytes()
        );
        assert_ne!(
            BlockKey::new("a").text("bc").bytes(),
            BlockKey::new("a").text("b").text("c").bytes()
        );
    }

    /// Span lists write distinct bytes (short and long offsets alike), and a block of
    /// twelve pieces keeps its key on the stack.
    #[test]
    fn span_keys_are_distinct_and_small() {
        use crate::finding::Span;
        let big = u32::MAX as usize;
        let lists: Vec<Vec<Span>> = vec![
            vec![],
            vec![Span::new(0, 0)],
            vec![Span::new(0, 1)],
            vec![Span::new(1, 0)],
            vec![Span::new(0, 1), Span::new(2, 3)],
            vec![Span::new(0, big)],
            vec![Span::new(0, big - 1)],
            vec![Span::new(0, big + 1)],
            vec![Span::new(big, big + 1)],
        ];
        let keys: Vec<Vec<u8>> = lists
            .iter()
            .map(|l| BlockKey::new("").num(1).spans(0, l).bytes().to_vec())
            .collect();
        for (i, a) in keys.iter().enumerate() {
            for (j, b) in keys.iter().enumerate() {
                assert_eq!(i == j, a == b, "{:?} {:?}", lists[i], lists[j]);
            }
        }
        // Relative to the base: the same spans moved give the same key.
        assert_eq!(
            BlockKey::new("").spans(100, &[Span::new(103, 110)]).bytes(),
            BlockKey::new("").spans(0, &[Span::new(3, 10)]).bytes()
        );
        let pieces: Vec<Span> = (0..12).map(|k| Span::new(10 * k, 10 * k + 5)).collect();
        let key = BlockKey::new("").num(1).num(0).spans(0, &pieces);
        assert!(!key.spilled(), "{}", key.bytes().len());
    }

    #[test]
    fn remembers_and_stays_bounded() {
        let memo: Memo<Option<u8>> = Memo::new(1000);
        let mut calls = 0;
        let a = memo.get_or("Sŏul", || {
            calls += 1;
            Some(1)
        });
        let b = memo.get_or("Sŏul", || {
            calls += 1;
            None
        });
        assert_eq!((a, b, calls), (Some(1), Some(1), 1));
        for i in 0..10_000 {
            memo.get_or(&format!("w{i}"), || None);
        }
        assert!(memo.len() <= 1000 + SHARDS, "{}", memo.len());
        assert!(!memo.is_empty());
    }

    /// The look-up stepping on from the last one finds what a binary search finds,
    /// wherever the hint is.
    #[test]
    fn first_at_is_the_partition_point() {
        let table: ShiftTable<u8> = [(0, 3), (0, 3), (4, 8), (9, 9), (9, 12), (20, 30)]
            .iter()
            .map(|&(a, b)| (a, b, Box::default(), None))
            .collect();
        for place in [
            (0, 0),
            (0, 3),
            (1, 2),
            (4, 8),
            (9, 9),
            (9, 10),
            (20, 30),
            (99, 99),
        ] {
            let want = table.partition_point(|e| (e.0, e.1) < place);
            for hint in 0..table.len() + 3 {
                assert_eq!(first_at(&table, hint, place), want, "{place:?} from {hint}");
            }
        }
        let empty: ShiftTable<u8> = Vec::new();
        assert_eq!(first_at(&empty, 0, (1, 2)), 0);
        assert_eq!(first_at(&empty, 5, (1, 2)), 0);
    }

    /// `get_with` reads a kept result in place, and counts as `get_or` does.
    #[test]
    fn get_with_reads_what_get_or_returns() {
        use crate::finding::Span;
        let m: ShiftMemo<Vec<u32>> = ShiftMemo::default();
        m.begin(Unchanged::between("", "ab cd"));
        assert_eq!(m.get_with(Span::new(0, 2), b"", || vec![1], |v| v.len()), 1);
        assert_eq!(m.get_or(Span::new(3, 5), b"", || vec![2, 3]), vec![2, 3]);
        m.sweep();
        m.begin(Unchanged::between("ab cd", "ab cd"));
        assert_eq!(
            m.get_with(Span::new(0, 2), b"", || vec![9], |v| v.clone()),
            vec![1]
        );
        assert_eq!(
            m.get_with(Span::new(3, 5), b"", || vec![9], |v| v.clone()),
            vec![2, 3]
        );
        assert_eq!(m.computed(), 2);
    }

    #[test]
    fn shift_memo_finds_blocks_the_edit_did_not_reach() {
        use crate::finding::Span;
        let old = "aaa bbb ccc";
        let new = "aaa bXbb ccc";
        let u = Unchanged::between(old, new);
        assert_eq!(u.old_start(Span::new(0, 3)), Some(0));
        assert_eq!(u.old_start(Span::new(4, 8)), None);
        assert_eq!(u.old_start(Span::new(9, 12)), Some(8));
        // Repeated bytes: the suffix never overlaps the prefix.
        let u = Unchanged::between("aa", "aaa");
        assert_eq!(u.old_start(Span::new(0, 2)), Some(0));
        assert_eq!(u.old_start(Span::new(0, 3)), None);
        assert_eq!(u.old_start(Span::new(2, 3)), None);
        let m: ShiftMemo<u32> = ShiftMemo::default();
        m.begin(Unchanged::between("", old));
        assert_eq!(m.get_or(Span::new(0, 3), b"x", || 1), 1);
        assert_eq!(m.get_or(Span::new(4, 7), b"x", || 2), 2);
        assert_eq!(m.get_or(Span::new(8, 11), b"x", || 3), 3);
        m.sweep();
        m.begin(Unchanged::between(old, new));
        assert_eq!(m.get_or(Span::new(0, 3), b"x", || 9), 1);
        assert_eq!(m.get_or(Span::new(4, 8), b"x", || 5), 5);
        // Same bytes, another extra: computed.
        assert_eq!(m.get_or(Span::new(9, 12), b"y", || 6), 6);
        assert_eq!(m.get_or(Span::new(9, 12), b"x", || 9), 3);
        assert_eq!(m.computed(), 5);
        m.sweep();
        assert_eq!(m.len(), 4);
    }
}
