//! The recognizer's patterns (every gazetteer name, folded) and the search for those
//! a text starts with: see [`Names`].

/// The folded names in byte order, one each: the patterns. Which of them start a
/// text is found by narrowing a range of this list a byte at a time (the names
/// sharing the text's first `d` bytes are contiguous, and the one that is those
/// bytes exactly comes first), so building it is a sort, not an automaton: an
/// Aho–Corasick automaton over 100,000 names took half a second to build (its
/// failure transitions), and a search only ever starts at a word boundary, where no
/// failure transition is needed.
#[derive(Debug, Default)]
pub(super) struct Names {
    pub(super) keys: super::strs::Strs,
    /// Per first byte, the range of `keys` starting with it.
    first: Vec<(u32, u32)>,
    /// Per first two bytes (`b0 << 8 | b1`), the range of `keys` starting with them:
    /// the two widest narrowings of every lookup, done once (512 KiB).
    first2: Vec<(u32, u32)>,
    /// Every key's leading word ([`lead`]), when not empty: a text whose leading word
    /// is none of these starts with no key that ends at a word boundary (see
    /// [`Names::may_start`]).
    leads: foldhash::HashSet<Box<[u8]>>,
}

/// The leading word of a folded text: its bytes up to the first that is not an ASCII
/// letter or digit.
#[inline]
pub(super) fn lead(text: &[u8]) -> &[u8] {
    let n = text
        .iter()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(text.len());
    text.get(..n).unwrap_or_default()
}

/// Stored as its keys: the first-byte ranges are rebuilt.
impl serde::Serialize for Names {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.keys.serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for Names {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Names, D::Error> {
        Ok(Names::new(super::strs::Strs::deserialize(d)?))
    }
}

/// Keys left in the range below which [`Names::prefixes_of`] compares each with the
/// text instead of narrowing by another byte (two binary searches).
const SCAN: usize = 6;

impl Names {
    pub(super) fn new(keys: super::strs::Strs) -> Names {
        let mut first = vec![(0u32, 0u32); 256];
        let mut i = 0;
        let first_byte =
            |i: usize| (i < keys.len()).then(|| keys.get(i).as_bytes().first().copied());
        while i < keys.len() {
            let b = first_byte(i).flatten();
            let mut j = i + 1;
            while j < keys.len() && first_byte(j).flatten() == b {
                j += 1;
            }
            if let Some(slot) = b.and_then(|b| first.get_mut(usize::from(b))) {
                *slot = (i as u32, j as u32);
            }
            i = j;
        }
        let mut first2 = vec![(0u32, 0u32); 1 << 16];
        for i in 0..keys.len() {
            if let [b0, b1, ..] = *keys.bytes(i)
                && let Some(slot) = first2.get_mut(usize::from(b0) << 8 | usize::from(b1))
            {
                // Sorted: the keys sharing two first bytes are contiguous.
                if slot.0 == slot.1 {
                    slot.0 = i as u32;
                }
                slot.1 = i as u32 + 1;
            }
        }
        let leads = (0..keys.len())
            .map(|i| lead(keys.bytes(i)))
            .filter(|l| !l.is_empty())
            .map(Box::from)
            .collect();
        Names {
            keys,
            first,
            first2,
            leads,
        }
    }

    /// Whether a key may start `text`, whose leading word ([`lead`]) is `word`, and
    /// end at a word boundary. A key that `text` starts with and that ends where a
    /// word boundary may be has `word` as its own leading word: shorter, it would end
    /// between two ASCII letters or digits of `word`, which is no boundary; longer, it
    /// goes on with the byte after `word`, which is none. So when `word` is not empty
    /// and no key leads with it, looking the text up finds nothing
    /// [`super::recognize`] accepts. An empty `word` (the text starts with something
    /// else): whether any key starts with the text's first byte.
    #[inline]
    pub(super) fn may_start(&self, text: &[u8], word: &[u8]) -> bool {
        if word.is_empty() {
            text.first()
                .and_then(|&b| self.first.get(usize::from(b)))
                .is_some_and(|&(lo, hi)| lo < hi)
        } else {
            self.leads.contains(word)
        }
    }

    /// Every pattern that `text` starts with, as (pattern, length), longest first.
    pub(super) fn prefixes_of(&self, text: &[u8], out: &mut Vec<(usize, usize)>) {
        out.clear();
        let Some(&b0) = text.first() else { return };
        let Some(&(lo, hi)) = self.first.get(usize::from(b0)) else {
            return;
        };
        if lo >= hi {
            return;
        }
        // Depth 1: the one-byte key, if any, sorts first; then the keys sharing the
        // first two bytes, from the table.
        if self.keys.bytes(lo as usize).len() == 1 {
            out.push((lo as usize, 1));
        }
        let Some(&b1) = text.get(1) else { return };
        let (lo, hi) = self
            .first2
            .get(usize::from(b0) << 8 | usize::from(b1))
            .copied()
            .unwrap_or_default();
        let (mut lo, mut hi) = (lo as usize, hi as usize);
        let mut d = 2;
        while lo < hi {
            // Every key in lo..hi starts with text[..d]. A few left: each compared
            // whole (those `text` starts with sort shortest first, as found below).
            if hi - lo <= SCAN {
                for k in lo..hi {
                    let key = self.keys.bytes(k);
                    if text.starts_with(key) {
                        out.push((k, key.len()));
                    }
                }
                break;
            }
            // The one that is exactly text[..d] sorts first.
            if self.keys.bytes(lo).len() == d {
                out.push((lo, d));
                lo += 1;
            }
            let Some(&b) = text.get(d) else { break };
            let start = self
                .keys
                .partition_point(lo, hi, |k| k.get(d).is_some_and(|&c| c < b));
            let end = self
                .keys
                .partition_point(start, hi, |k| k.get(d) == Some(&b));
            (lo, hi) = (start, end);
            d += 1;
        }
        out.reverse();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_starting_a_text_longest_first() {
        let mut keys: Vec<String> = ["kim il sung", "kim", "kim il", "kimball", "seoul", "k"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        keys.sort();
        let names = Names::new(super::super::strs::Strs::new(
            keys.iter().map(String::as_str),
        ));
        let mut found = Vec::new();
        let of = |text: &str, found: &mut Vec<(usize, usize)>| {
            names.prefixes_of(text.as_bytes(), found);
            found
                .iter()
                .map(|&(p, len)| {
                    assert_eq!(keys[p].len(), len);
                    keys[p].as_str()
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(
            of("kim il sung met", &mut found),
            ["kim il sung", "kim il", "kim", "k"]
        );
        assert_eq!(of("kimball", &mut found), ["kimball", "kim", "k"]);
        assert_eq!(of("kim i", &mut found), ["kim", "k"]);
        assert_eq!(of("seoul", &mut found), ["seoul"]);
        assert!(of("sung", &mut found).is_empty());
        assert!(of("", &mut found).is_empty());
        assert_eq!(of("k", &mut found), ["k"]);
        assert_eq!(of("ki", &mut found), ["k"]);
        let empty = Names::new(super::super::strs::Strs::default());
        assert!(empty.first.iter().chain(&empty.first2).all(|r| r.0 == r.1));
    }

    /// The two-byte table and the narrowing find what comparing every key finds.
    #[test]
    fn prefixes_are_every_key_the_text_starts_with() {
        let keys = super::super::strs::Strs::sorted(
            [
                "a",
                "ab",
                "abc",
                "abd",
                "abcd",
                "b",
                "ba",
                "bab",
                "z",
                "zz",
                "zzz",
                "평",
                "평양",
                "평양시",
                "ü",
                "üb",
                "ab c",
                "ab",
                "\u{ff}",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        );
        let names = Names::new(keys.clone());
        let mut found = Vec::new();
        for text in [
            "abcd e",
            "abc",
            "ab c d",
            "ab",
            "a",
            "b",
            "bab",
            "baba",
            "zzzz",
            "평양시에",
            "평",
            "üb",
            "ü",
            "x",
            "",
            "\u{ff}\u{fe}",
        ] {
            names.prefixes_of(text.as_bytes(), &mut found);
            let every = every_prefix(&keys, text.as_bytes());
            assert_eq!(found, every, "{text:?}");
        }
    }

    /// The keys that `text` starts with, compared one by one, longest first: what
    /// [`Names::prefixes_of`] must find.
    fn every_prefix(keys: &super::super::strs::Strs, text: &[u8]) -> Vec<(usize, usize)> {
        let mut every: Vec<(usize, usize)> = (0..keys.len())
            .filter(|&i| text.starts_with(keys.bytes(i)))
            .map(|i| (i, keys.bytes(i).len()))
            .collect();
        every.sort_by_key(|&(_, len)| std::cmp::Reverse(len));
        every
    }

    /// With many keys sharing each prefix, both the narrowing and the comparison of
    /// the last few keys run (and switch at every depth): the same as comparing every
    /// key.
    #[test]
    fn narrowing_and_scanning_agree_with_every_key() {
        // Every string of 1 to 6 letters over "ab " with a few left out.
        let mut all = vec![String::new()];
        let mut strings = Vec::new();
        for _ in 0..6 {
            let mut next = Vec::new();
            for s in &all {
                for c in ['a', 'b', ' '] {
                    next.push(format!("{s}{c}"));
                }
            }
            strings.extend(next.iter().cloned());
            all = next;
        }
        let kept: Vec<String> = strings
            .iter()
            .enumerate()
            .filter(|(i, _)| i % 7 != 3 && i % 11 != 5)
            .map(|(_, s)| s.clone())
            .collect();
        let keys = super::super::strs::Strs::sorted(kept);
        let names = Names::new(keys.clone());
        let mut found = Vec::new();
        let mut tried = 0;
        for text in &strings {
            let text = format!("{text}ab");
            names.prefixes_of(text.as_bytes(), &mut found);
            let every = every_prefix(&keys, text.as_bytes());
            assert_eq!(found, every, "{text:?}");
            tried += usize::from(every.len() > 2);
        }
        assert!(tried > 100);
    }
}
