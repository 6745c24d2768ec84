//! Folding text for comparison: the one place that decides which differences of
//! writing do not matter.
//!
//! - [`fold_name`] / [`Folder`]: for *recognising* a name — case, diacritics, every
//!   apostrophe, hyphens and runs of white space (a block quote's `>` included) do not
//!   matter; the folder keeps a map back to the original bytes.
//! - [`fold_spelling`]: for telling *spellings* apart — only case, runs of white space
//!   and the apostrophe's form are ignored, so `Sŏul` and `Soul` stay two spellings.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

pub(crate) fn is_word(c: char) -> bool {
    c.is_alphanumeric()
}

pub(crate) fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '`' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{02BB}' | '\u{00B4}' | '\u{2032}'
    )
}

/// Hyphens inside names: folded to a space.
pub(crate) fn is_name_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// Fold a name the way text is folded (for comparing names).
pub fn fold_name(s: &str) -> String {
    // No map back to the original bytes: only the folded text is returned.
    let mut f = Folder {
        buf: String::with_capacity(s.len()),
        map: NoOffsets,
        in_space: true,
    };
    f.push_str(s, 0, 0);
    let mut buf = f.buf;
    // Folded white space is a single ASCII space: trimmed in place, no second copy.
    let end = buf.trim_end().len();
    buf.truncate(end);
    let start = buf.len() - buf.trim_start().len();
    buf.drain(..start);
    buf
}

/// Where a folder writes, for each folded byte, the offset it came from.
pub(crate) trait Offsets {
    /// `n` folded bytes came from the character at `orig`.
    fn push_n(&mut self, orig: u32, n: usize);
    /// One folded byte came from the character at `orig`.
    fn push_one(&mut self, orig: u32);
}

impl Offsets for Vec<u32> {
    #[inline]
    fn push_n(&mut self, orig: u32, n: usize) {
        for _ in 0..n {
            self.push(orig);
        }
    }

    #[inline]
    fn push_one(&mut self, orig: u32) {
        self.push(orig);
    }
}

/// No map: the folded text alone ([`fold_name`], asked of every name compared).
pub(crate) struct NoOffsets;

impl Offsets for NoOffsets {
    #[inline]
    fn push_n(&mut self, _: u32, _: usize) {}

    #[inline]
    fn push_one(&mut self, _: u32) {}
}

/// The folding buffer: folded text and, for each of its bytes, the byte offset of the
/// original character it came from.
pub(crate) struct Folder<M = Vec<u32>> {
    pub(crate) buf: String,
    pub(crate) map: M,
    /// Just wrote a space (or at a segment start): collapse further white space.
    pub(crate) in_space: bool,
}

impl Folder {
    pub(crate) fn with_capacity(n: usize) -> Folder {
        Folder {
            buf: String::with_capacity(n),
            map: Vec::with_capacity(n),
            in_space: true,
        }
    }
}

impl<M: Offsets> Folder<M> {
    #[inline]
    pub(crate) fn push(&mut self, c: char, orig: u32) {
        let before = self.buf.len();
        self.buf.push(c);
        self.map.push_n(orig, self.buf.len() - before);
    }

    #[inline]
    pub(crate) fn push_ascii(&mut self, b: u8, orig: u32) {
        self.buf.push(char::from(b));
        self.map.push_one(orig);
    }

    #[inline]
    pub(crate) fn space(&mut self, orig: u32) {
        if !self.in_space {
            self.push_ascii(b' ', orig);
            self.in_space = true;
        }
    }

    /// A hard separator: no match may span it.
    pub(crate) fn separator(&mut self, orig: u32) {
        self.push('\n', orig);
        self.in_space = true;
    }

    /// Fold `s`, which starts at byte `base` of the original text. In a block quote
    /// (`quote_depth > 0`) the `>` markers after a line break are white space.
    pub(crate) fn push_str(&mut self, s: &str, base: usize, quote_depth: u8) {
        let mut after_newline = false;
        let bytes = s.as_bytes();
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            let orig = (base + i) as u32;
            if b.is_ascii() {
                i += 1;
                match b {
                    b'a'..=b'z' | b'0'..=b'9' => {
                        self.push_ascii(b, orig);
                        self.in_space = false;
                        after_newline = false;
                    }
                    b'A'..=b'Z' => {
                        self.push_ascii(b.to_ascii_lowercase(), orig);
                        self.in_space = false;
                        after_newline = false;
                    }
                    b'\n' | b'\r' => {
                        after_newline = quote_depth > 0;
                        self.space(orig);
                    }
                    b' ' | b'\t' => self.space(orig),
                    b'>' if after_newline => self.space(orig),
                    b'-' => {
                        after_newline = false;
                        self.space(orig);
                    }
                    b'\'' | b'`' => {
                        self.push_ascii(b'\'', orig);
                        self.in_space = false;
                        after_newline = false;
                    }
                    _ => {
                        self.push_ascii(b, orig);
                        self.in_space = false;
                        after_newline = false;
                    }
                }
                continue;
            }
            let Some(c) = s.get(i..).and_then(|r| r.chars().next()) else {
                break;
            };
            i += c.len_utf8();
            after_newline = false;
            if c == '\u{00AD}' {
                continue; // soft hyphen: invisible
            }
            if c.is_whitespace() || is_name_hyphen(c) {
                self.space(orig);
                continue;
            }
            if is_apostrophe(c) {
                self.push('\'', orig);
                self.in_space = false;
                continue;
            }
            let mut wrote = false;
            decompose_compatible(c, |d| {
                if is_combining_mark(d) {
                    return;
                }
                for l in d.to_lowercase() {
                    if !is_combining_mark(l) {
                        self.push(l, orig);
                        wrote = true;
                    }
                }
            });
            if wrote {
                self.in_space = false;
            }
        }
    }
}

/// A spelling folded for comparison with another spelling: case, runs of white space
/// and the apostrophe's form (`’` `ʼ` `‘` as `'`) aside; diacritics kept.
///
/// One string, written once: no string per word (it is asked of every word of every
/// document). A word with a capital sigma is lower-cased as a whole, where a final
/// `Σ` becomes `ς`; every other character lower-cases alone.
pub fn fold_spelling(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, w) in s.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if w.is_ascii() {
            // What `char::to_lowercase` does to ASCII; no apostrophe to map.
            out.extend(w.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        } else if w.contains('Σ') {
            out.extend(w.to_lowercase().chars().map(apostrophe));
        } else {
            out.extend(w.chars().flat_map(char::to_lowercase).map(apostrophe));
        }
    }
    out
}

/// The apostrophe's forms (`’` `ʼ` `‘`) as `'`.
fn apostrophe(c: char) -> char {
    match c {
        '\u{2019}' | '\u{02BC}' | '\u{2018}' => '\'',
        c => c,
    }
}

/// True for characters of scripts written without spaces between words, where a
/// name needs no word boundary.
pub fn is_unspaced_script(c: char) -> bool {
    // Below the first range (Latin, Greek, Cyrillic...): most characters, one test.
    (c as u32) >= 0x1100
        && matches!(c as u32,
        0x1100..=0x11FF | 0x3130..=0x318F | 0xA960..=0xA97F | 0xAC00..=0xD7AF | 0xD7B0..=0xD7FF
        | 0x2E80..=0x2FDF | 0x3040..=0x30FF | 0x31F0..=0x31FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

#[cfg(test)]
mod tests {
    /// The one-string fold says what lower-casing and joining word by word said,
    /// Greek final sigma, a dotted capital I and a digraph included.
    #[test]
    fn fold_spelling_is_the_words_lowercased_and_joined() {
        let by_words = |s: &str| {
            s.split_whitespace()
                .map(|w| {
                    w.to_lowercase()
                        .replace(['\u{2019}', '\u{02BC}', '\u{2018}'], "'")
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        for s in [
            "Ch’en  Yi",
            "  KIM Il-sŏng\n",
            "ΟΔΥΣΣΕΥΣ Σ ΑΣ. ΣΑ",
            "İstanbul ǅemal",
            "Pak Hŏn‘yŏng ʼx",
            "",
            " \t ",
        ] {
            assert_eq!(super::fold_spelling(s), by_words(s), "{s:?}");
        }
    }
}
