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

#[cfg(test)]
mod tests {
    use super::*;

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
}
