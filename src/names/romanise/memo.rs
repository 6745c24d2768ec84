//! A process-wide memo of the romanisation guesses. They are pure functions of one
//! word, and the names rules ask them for every distinct word of every document: on a
//! collection the same words come back in every file, and in the editor every version
//! of a document asks again for the words it asked before. They were half of `check`'s
//! time on a collection of small files.
//!
//! Sharded behind mutexes (rayon's threads ask together); a shard that grows past
//! [`MAX_PER_SHARD`] words is emptied, so the memory stays bounded whatever the input.
//! The lock is never held while a guess is computed. A poisoned lock is bypassed: the
//! guess is then computed, not remembered.

use crate::gazetteer::System;
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::{LazyLock, Mutex};

/// What is remembered: one slot per guessing function.
#[derive(Clone, Copy)]
pub(super) enum Guess {
    System = 0,
    Korean = 1,
    Chinese = 2,
    Russian = 3,
}

const KINDS: usize = 4;
const SHARDS: usize = 16;
/// Words remembered per shard before it is emptied (16 × 4 × 16,384 at most).
pub(super) const MAX_PER_SHARD: usize = 1 << 14;

type Shard = Mutex<HashMap<Box<str>, Option<System>, foldhash::fast::FixedState>>;

static MEMO: LazyLock<Vec<Shard>> = LazyLock::new(|| {
    (0..KINDS * SHARDS)
        .map(|_| Mutex::new(HashMap::with_hasher(foldhash::fast::FixedState::default())))
        .collect()
});

fn shard(kind: Guess, word: &str) -> Option<&'static Shard> {
    let i = (foldhash::fast::FixedState::default().hash_one(word) as usize) % SHARDS;
    MEMO.get(kind as usize * SHARDS + i)
}

/// `f(word)`, remembered under `kind`.
pub(super) fn remember(
    kind: Guess,
    word: &str,
    f: impl FnOnce() -> Option<System>,
) -> Option<System> {
    let Some(shard) = shard(kind, word) else {
        return f();
    };
    if let Some(v) = shard.lock().ok().and_then(|m| m.get(word).copied()) {
        return v;
    }
    let v = f();
    if let Ok(mut m) = shard.lock() {
        if m.len() >= MAX_PER_SHARD {
            m.clear();
        }
        m.insert(word.into(), v);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_and_stays_bounded() {
        let mut calls = 0;
        let a = remember(Guess::Korean, "memo-test-Sŏul", || {
            calls += 1;
            Some(System::McCuneReischauer)
        });
        let b = remember(Guess::Korean, "memo-test-Sŏul", || {
            calls += 1;
            None
        });
        assert_eq!((a, b, calls), (Some(System::McCuneReischauer), a, 1));
        // Another kind is another slot.
        assert_eq!(remember(Guess::Chinese, "memo-test-Sŏul", || None), None);
        for i in 0..(MAX_PER_SHARD * SHARDS * 2) {
            remember(Guess::Russian, &format!("w{i}"), || None);
        }
        for s in &MEMO[Guess::Russian as usize * SHARDS..(Guess::Russian as usize + 1) * SHARDS] {
            assert!(s.lock().map(|m| m.len()).unwrap_or(0) <= MAX_PER_SHARD);
        }
    }
}
