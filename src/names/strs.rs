//! Many strings in one buffer: the layout of the name tables that the project
//! knowledge cache (`names/cache.rs`) stores.
//!
//! A 50,000-entry gazetteer has a quarter of a million folded names and as many
//! spellings; kept as one `String` each, reading them back from the cache was one
//! allocation per string, and most of a warm start. Here they are one buffer and
//! the offsets where each ends: read back as two allocations, and compared in place.
//! A list built sorted and without repeats ([`Strs::sorted`]) is searched by binary
//! search ([`Strs::position`]).

/// Strings, in order, in one buffer.
#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Strs {
    buf: String,
    /// Where each string ends in `buf` (the next one starts there).
    ends: Vec<usize>,
}

impl Strs {
    /// The strings in the order given.
    pub fn new<'a>(strings: impl IntoIterator<Item = &'a str>) -> Strs {
        let mut s = Strs::default();
        for t in strings {
            s.push(t);
        }
        s
    }

    /// The strings sorted by bytes, each once.
    pub fn sorted(mut strings: Vec<String>) -> Strs {
        strings.sort_unstable();
        strings.dedup();
        Strs::new(strings.iter().map(String::as_str))
    }

    pub fn push(&mut self, t: &str) {
        self.buf.push_str(t);
        self.ends.push(self.buf.len());
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// String `i` (the empty string when out of range).
    pub fn get(&self, i: usize) -> &str {
        let start = match i.checked_sub(1) {
            None => 0,
            Some(j) => self.ends.get(j).copied().unwrap_or(usize::MAX),
        };
        let end = self.ends.get(i).copied().unwrap_or(0);
        self.buf.get(start..end).unwrap_or("")
    }

    #[cfg(test)]
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).map(|i| self.get(i))
    }

    /// String `i`'s bytes (empty when out of range): no character-boundary checks,
    /// for searches that compare bytes.
    #[inline]
    pub fn bytes(&self, i: usize) -> &[u8] {
        let start = match i.checked_sub(1) {
            None => 0,
            Some(j) => self.ends.get(j).copied().unwrap_or(usize::MAX),
        };
        let end = self.ends.get(i).copied().unwrap_or(0);
        self.buf.as_bytes().get(start..end).unwrap_or_default()
    }

    /// Whether the strings are in strictly increasing byte order (what
    /// [`Strs::position`] needs).
    pub fn is_sorted_unique(&self) -> bool {
        (1..self.len()).all(|i| self.get(i - 1) < self.get(i))
    }

    /// The index of `t` in a list that [`Strs::is_sorted_unique`].
    pub fn position(&self, t: &str) -> Option<usize> {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.get(mid).cmp(t) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    pub fn contains(&self, t: &str) -> bool {
        self.position(t).is_some()
    }

    /// The first index in `lo..hi` whose string does not satisfy `pred`, for `pred`
    /// true on a prefix of that range (as `slice::partition_point`).
    pub fn partition_point(&self, lo: usize, hi: usize, pred: impl Fn(&[u8]) -> bool) -> usize {
        let (mut lo, mut hi) = (lo, hi.min(self.len()));
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if pred(self.bytes(mid)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }
}

/// Read back only when every offset is in order, in the buffer and on a character
/// boundary: a damaged list is an error (a cache miss), never a wrong slice.
impl<'de> serde::Deserialize<'de> for Strs {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Strs, D::Error> {
        #[derive(serde::Deserialize)]
        struct Raw {
            buf: String,
            ends: Vec<usize>,
        }
        let Raw { buf, ends } = Raw::deserialize(d)?;
        let mut last = 0;
        for &e in &ends {
            if e < last || !buf.is_char_boundary(e) {
                return Err(serde::de::Error::custom("a damaged string list"));
            }
            last = e;
        }
        if last != buf.len() {
            return Err(serde::de::Error::custom("a damaged string list"));
        }
        Ok(Strs { buf, ends })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_in_one_buffer_read_back_and_searched() {
        let s = Strs::sorted(
            ["seoul", "kim il sung", "", "kim", "seoul", "평양"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
        );
        assert_eq!(
            s.iter().collect::<Vec<_>>(),
            ["", "kim", "kim il sung", "seoul", "평양"]
        );
        assert!(s.is_sorted_unique());
        assert_eq!(s.position("seoul"), Some(3));
        assert_eq!(s.position(""), Some(0));
        assert_eq!(s.position("kim il"), None);
        assert!(s.contains("평양") && !s.contains("pyongyang"));
        assert_eq!(s.get(99), "");
        assert_eq!(
            s.partition_point(0, s.len(), |t| t < b"kim z".as_slice()),
            3
        );
        assert_eq!(s.bytes(2), b"kim il sung");
        assert_eq!(s.bytes(4), "평양".as_bytes());
        assert!(s.bytes(0).is_empty() && s.bytes(99).is_empty());
        let bytes = postcard::to_stdvec(&s).unwrap_or_default();
        assert_eq!(postcard::from_bytes::<Strs>(&bytes).ok(), Some(s.clone()));
        assert!(!Strs::new(["b", "a"]).is_sorted_unique());
        assert!(Strs::default().is_empty() && Strs::default().is_sorted_unique());
    }

    #[test]
    fn a_damaged_list_is_not_read() {
        for (buf, ends) in [
            ("abc", vec![2, 1]),
            ("abc", vec![1, 4]),
            ("abc", vec![1, 2]),
            ("평", vec![1, 3]),
        ] {
            let bytes = postcard::to_stdvec(&(buf.to_string(), ends.clone())).unwrap_or_default();
            assert!(
                postcard::from_bytes::<Strs>(&bytes).is_err(),
                "{buf} {ends:?}"
            );
        }
    }
}
