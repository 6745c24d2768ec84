//! The one place where byte offsets become editor or terminal positions and back.
//!
//! Lines end at `\n`, `\r\n` or a lone `\r` (as LSP says); no other character breaks
//! a line. Columns are counted in the negotiated [`Encoding`]: UTF-8 bytes, UTF-16
//! code units, or Unicode scalar values (the CLI's 1-based "characters").
//! Positions past the end of a line clamp to the line's end (before its terminator);
//! lines past the end clamp to the end of the text. Nothing here panics on any input.

/// How columns are counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Encoding {
    Utf8,
    Utf16,
    /// Unicode scalar values; used by the CLI's human and JSON output.
    Chars,
}

/// A zero-based line and column, the column counted in some [`Encoding`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Line starts of one text, for fast conversion in both directions.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset where each line starts; `line_starts[0] == 0`.
    line_starts: Vec<usize>,
    len: usize,
    /// Only when some line is [`LONG_LINE`] bytes or more: for every multiple `k` of
    /// [`CHECKPOINT`] bytes, the characters and UTF-16 units that start before byte
    /// `k * CHECKPOINT` of the text. A column on a long line is then a difference of
    /// two such counts, each a lookup and at most [`CHECKPOINT`] bytes measured, in
    /// any order of conversion (issue #14: 72 s for the findings of a 7 MB line).
    checkpoints: Vec<Counts>,
    /// Bytes measured by [`LineIndex::position`] so far: the work counter of
    /// `tests/linearity.rs`.
    scanned: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

/// Characters and UTF-16 units counted from the start of the text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Counts {
    chars: usize,
    utf16: usize,
}

impl Counts {
    /// The characters and UTF-16 units that start in `bytes` (which need not begin or
    /// end at a character boundary: a character is counted where its lead byte is).
    fn of(bytes: &[u8]) -> Counts {
        // Branch-free so that the loop is vectorised: a byte that is not a continuation
        // byte (0x80..=0xBF, negative below -64 as `i8`) starts a character, and a
        // four-byte character (lead byte 0xF0 or above) is a surrogate pair in UTF-16.
        let (mut chars, mut four) = (0usize, 0usize);
        for &b in bytes {
            chars += usize::from((b as i8) >= -0x40);
            four += usize::from(b >= 0xF0);
        }
        Counts {
            chars,
            utf16: chars + four,
        }
    }

    /// The count in `enc` (UTF-8 columns are byte differences, never counted here).
    fn get(self, enc: Encoding) -> usize {
        match enc {
            Encoding::Utf16 => self.utf16,
            Encoding::Utf8 | Encoding::Chars => self.chars,
        }
    }
}

/// Lines shorter than this are measured from their start every time.
const LONG_LINE: usize = 4096;
/// The distance between two checkpoints on long lines, in bytes.
const CHECKPOINT: usize = 1024;

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        // `\r\n` is one break; a lone `\r` or `\n` is one too.
        let mut skip = None;
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if skip == Some(i) {
                continue;
            }
            if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                skip = Some(i + 1);
                line_starts.push(i + 2);
            } else {
                line_starts.push(i + 1);
            }
        }
        let long = line_starts
            .windows(2)
            .map(|w| w[1] - w[0])
            .chain(line_starts.last().map(|&l| text.len() - l))
            .any(|n| n >= LONG_LINE);
        let checkpoints = if long {
            let mut acc = Counts::default();
            let mut v = vec![acc];
            for block in bytes.chunks(CHECKPOINT) {
                let c = Counts::of(block);
                acc.chars += c.chars;
                acc.utf16 += c.utf16;
                v.push(acc);
            }
            v
        } else {
            Vec::new()
        };
        LineIndex {
            line_starts,
            len: text.len(),
            checkpoints,
            scanned: Default::default(),
        }
    }

    /// Bytes measured to convert offsets to columns since this index was built (its
    /// clones share the count): each conversion measures at most [`LONG_LINE`] bytes
    /// on a short line and `2 × CHECKPOINT` on a long one.
    pub fn bytes_scanned(&self) -> usize {
        self.scanned.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Characters and UTF-16 units starting before byte `offset`, from the nearest
    /// checkpoint; `None` when there are no checkpoints (no long line).
    fn counts_before(&self, text: &str, offset: usize) -> Option<Counts> {
        let k = offset / CHECKPOINT;
        let base = *self.checkpoints.get(k)?;
        let from = k * CHECKPOINT;
        let rest = Counts::of(text.as_bytes().get(from..offset)?);
        self.scanned
            .fetch_add(offset - from, std::sync::atomic::Ordering::Relaxed);
        Some(Counts {
            chars: base.chars + rest.chars,
            utf16: base.utf16 + rest.utf16,
        })
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset of the start of `line` (clamped to the text's end).
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts.get(line).copied().unwrap_or(self.len)
    }

    /// Byte range of a line's content, without its terminator.
    pub fn line_content(&self, text: &str, line: usize) -> (usize, usize) {
        let start = self.line_start(line);
        let mut end = self.line_starts.get(line + 1).copied().unwrap_or(self.len);
        let b = text.as_bytes();
        while end > start && matches!(b.get(end - 1), Some(b'\n' | b'\r')) {
            end -= 1;
        }
        (start, end)
    }

    /// Zero-based line containing byte `offset` (clamped).
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        match self.line_starts.binary_search(&offset) {
            Ok(l) => l,
            Err(l) => l.saturating_sub(1),
        }
    }

    /// Byte offset → line and column in `enc`. An offset inside a multi-byte character
    /// is moved back to that character's start.
    pub fn position(&self, text: &str, offset: usize, enc: Encoding) -> LineCol {
        let mut offset = offset.min(text.len());
        while offset > 0 && !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let (start, end) = self.line_content(text, line);
        let offset = offset.min(end).max(start);
        let long = end - start >= LONG_LINE;
        let col = match (long, enc) {
            (_, Encoding::Utf8) => offset - start,
            (true, _) => match (
                self.counts_before(text, start),
                self.counts_before(text, offset),
            ) {
                (Some(a), Some(b)) => b.get(enc).saturating_sub(a.get(enc)),
                _ => self.measured(text, start, offset, enc),
            },
            (false, _) => self.measured(text, start, offset, enc),
        };
        LineCol {
            line: line as u32,
            col: col as u32,
        }
    }

    /// The length of `text[start..offset]` in `enc`, measured.
    fn measured(&self, text: &str, start: usize, offset: usize, enc: Encoding) -> usize {
        self.scanned.fetch_add(
            offset.saturating_sub(start),
            std::sync::atomic::Ordering::Relaxed,
        );
        text.get(start..offset)
            .map(|s| measure(s, enc))
            .unwrap_or(0)
    }

    /// Line and column in `enc` → byte offset, clamped to the document and to the line's
    /// content; a column inside a surrogate pair or a multi-byte character snaps to the
    /// start of that character.
    pub fn offset(&self, text: &str, pos: LineCol, enc: Encoding) -> usize {
        let line = pos.line as usize;
        if line >= self.line_starts.len() {
            return text.len();
        }
        let (start, end) = self.line_content(text, line);
        let content = text.get(start..end).unwrap_or("");
        start + column_to_byte(content, pos.col as usize, enc)
    }
}

/// Length of `s` in the units of `enc`.
pub fn measure(s: &str, enc: Encoding) -> usize {
    match enc {
        Encoding::Utf8 => s.len(),
        // Counted on the bytes (valid UTF-8): the same as `encode_utf16().count()` and
        // `chars().count()`, several times faster on long lines.
        Encoding::Utf16 | Encoding::Chars => Counts::of(s.as_bytes()).get(enc),
    }
}

/// Byte offset inside `line` of column `col` counted in `enc`, clamped to the line's
/// length and snapped back to a character boundary.
pub fn column_to_byte(line: &str, col: usize, enc: Encoding) -> usize {
    let mut units = 0;
    for (i, c) in line.char_indices() {
        let w = match enc {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Chars => 1,
        };
        if units + w > col {
            return i;
        }
        units += w;
    }
    line.len()
}

/// Line and column in `enc` → byte offset in a rope (the editor's live text), with
/// the same clamping rules as [`LineIndex::offset`]. Ropey must be built with
/// `cr_lines` and without `unicode_lines`, so its lines are LSP's lines.
pub fn rope_offset(rope: &ropey::Rope, pos: LineCol, enc: Encoding) -> usize {
    let line = pos.line as usize;
    if line >= rope.len_lines() {
        return rope.len_bytes();
    }
    let start = rope.line_to_byte(line);
    let slice = rope.line(line);
    let content: std::borrow::Cow<'_, str> = slice.into();
    let content = content.trim_end_matches(['\n', '\r']);
    start + column_to_byte(content, pos.col as usize, enc)
}

/// The positions of chosen byte offsets of a text, kept instead of the text: a
/// workspace file's name occurrences, which the server points to (related places,
/// workspace symbols) but whose text it never reads again. (Issue #14: in a
/// 2,000-file workspace the files' texts were 20 of the index's 52 MB.)
#[derive(Clone, Debug, Default)]
pub struct Marks {
    /// Sorted by offset, one per offset.
    at: Vec<Mark>,
}

/// One offset's position, its column in each [`Encoding`].
#[derive(Clone, Copy, Debug)]
struct Mark {
    offset: u32,
    line: u32,
    utf8: u32,
    utf16: u32,
    chars: u32,
}

impl Marks {
    /// The positions of `offsets` (any order, repeats allowed) in `text`, whose lines
    /// are `lines`: each exactly [`LineIndex::position`]'s. An offset past `u32::MAX`
    /// is not kept.
    pub fn new(text: &str, lines: &LineIndex, offsets: impl IntoIterator<Item = usize>) -> Marks {
        let mut offsets: Vec<usize> = offsets.into_iter().collect();
        offsets.sort_unstable();
        offsets.dedup();
        let mut at: Vec<Mark> = offsets
            .into_iter()
            .filter_map(|o| {
                let offset = u32::try_from(o).ok()?;
                let at = |enc| lines.position(text, o, enc);
                let (utf8, utf16, chars) =
                    (at(Encoding::Utf8), at(Encoding::Utf16), at(Encoding::Chars));
                Some(Mark {
                    offset,
                    line: utf8.line,
                    utf8: utf8.col,
                    utf16: utf16.col,
                    chars: chars.col,
                })
            })
            .collect();
        at.shrink_to_fit();
        Marks { at }
    }

    /// The position of `offset` in `enc`, if it is one of the offsets kept.
    pub fn position(&self, offset: usize, enc: Encoding) -> Option<LineCol> {
        let offset = u32::try_from(offset).ok()?;
        let i = self.at.binary_search_by_key(&offset, |m| m.offset).ok()?;
        let m = self.at.get(i)?;
        let col = match enc {
            Encoding::Utf8 => m.utf8,
            Encoding::Utf16 => m.utf16,
            Encoding::Chars => m.chars,
        };
        Some(LineCol { line: m.line, col })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every offset kept in [`Marks`] has [`LineIndex::position`]'s position in each
    /// encoding (CRLF and lone CR lines, characters of two, three and four bytes, a
    /// line long enough for checkpoints, offsets inside a character); others have none.
    #[test]
    fn marks_are_the_line_index_positions() {
        let long = "ŏ€𝄞x".repeat(LONG_LINE / 4 + 10);
        let text = format!("Sŏul\r\nKim Il Sung\rP'yŏngyang 𝄞 Seoul\n{long} end\n\nlast");
        let lines = LineIndex::new(&text);
        let chosen: Vec<usize> = (0..=text.len() + 2).filter(|o| o % 3 != 1).collect();
        let marks = Marks::new(&text, &lines, chosen.iter().rev().copied().chain([0, 0]));
        for o in 0..=text.len() + 2 {
            for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Chars] {
                let want = (o % 3 != 1).then(|| lines.position(&text, o, enc));
                assert_eq!(marks.position(o, enc), want, "offset {o}, {enc:?}");
            }
        }
    }

    fn roundtrip(text: &str) {
        let idx = LineIndex::new(text);
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Chars] {
            for (off, _) in text
                .char_indices()
                .chain(std::iter::once((text.len(), ' ')))
            {
                let p = idx.position(text, off, enc);
                let back = idx.offset(text, p, enc);
                // Offsets on a line terminator clamp to the line's content end.
                let (s, e) = idx.line_content(text, p.line as usize);
                if off <= e {
                    assert_eq!(back, off, "{text:?} {off} {enc:?} {p:?}");
                } else {
                    assert!(back >= s && back <= e);
                }
            }
        }
    }

    #[test]
    fn non_bmp_and_scripts() {
        let t = "a😀b\n𠀀x\n서울 Sŏul Сталин\n";
        let idx = LineIndex::new(t);
        // U+1F600 is 2 UTF-16 units, 4 bytes, 1 char.
        let b = t.find('b').unwrap_or(0);
        assert_eq!(
            idx.position(t, b, Encoding::Utf16),
            LineCol { line: 0, col: 3 }
        );
        assert_eq!(
            idx.position(t, b, Encoding::Utf8),
            LineCol { line: 0, col: 5 }
        );
        assert_eq!(
            idx.position(t, b, Encoding::Chars),
            LineCol { line: 0, col: 2 }
        );
        // CJK Extension B (U+20000) is a surrogate pair.
        let x = t.find('x').unwrap_or(0);
        assert_eq!(
            idx.position(t, x, Encoding::Utf16),
            LineCol { line: 1, col: 2 }
        );
        // Hangul and ŏ are BMP: one UTF-16 unit each, 3 and 2 bytes.
        let s = t.find("Sŏul").unwrap_or(0);
        assert_eq!(
            idx.position(t, s, Encoding::Utf16),
            LineCol { line: 2, col: 3 }
        );
        assert_eq!(
            idx.position(t, s, Encoding::Utf8),
            LineCol { line: 2, col: 7 }
        );
        let c = t.find("Сталин").unwrap_or(0);
        assert_eq!(
            idx.position(t, c, Encoding::Utf16),
            LineCol { line: 2, col: 8 }
        );
        roundtrip(t);
    }

    #[test]
    fn middle_of_surrogate_pair_snaps_back() {
        let t = "😀z";
        let idx = LineIndex::new(t);
        assert_eq!(
            idx.offset(t, LineCol { line: 0, col: 1 }, Encoding::Utf16),
            0
        );
        assert_eq!(
            idx.offset(t, LineCol { line: 0, col: 2 }, Encoding::Utf16),
            4
        );
        assert_eq!(
            idx.offset(t, LineCol { line: 0, col: 2 }, Encoding::Utf8),
            0
        );
    }

    #[test]
    fn crlf_and_lone_cr() {
        let t = "one\r\ntwo\rthree\nfour";
        let idx = LineIndex::new(t);
        assert_eq!(idx.line_count(), 4);
        assert_eq!(idx.line_start(1), 5);
        assert_eq!(idx.line_start(2), 9);
        assert_eq!(idx.line_start(3), 15);
        // Past-the-end columns clamp before the terminator.
        assert_eq!(
            idx.offset(t, LineCol { line: 0, col: 99 }, Encoding::Utf16),
            3
        );
        assert_eq!(
            idx.offset(t, LineCol { line: 1, col: 99 }, Encoding::Utf16),
            8
        );
        // Past-the-end lines clamp to the end.
        assert_eq!(
            idx.offset(t, LineCol { line: 40, col: 0 }, Encoding::Utf16),
            t.len()
        );
        // An offset on the \r of \r\n reports the end of line 0.
        assert_eq!(
            idx.position(t, 3, Encoding::Utf16),
            LineCol { line: 0, col: 3 }
        );
        assert_eq!(
            idx.position(t, 4, Encoding::Utf16),
            LineCol { line: 0, col: 3 }
        );
        roundtrip(t);
        roundtrip("\r\r\n\n\r");
        roundtrip("");
    }

    #[test]
    fn rope_and_index_agree() {
        let t = "a😀\r\n서울\rŏ\nlast";
        let rope = ropey::Rope::from_str(t);
        let idx = LineIndex::new(t);
        for line in 0..6u32 {
            for col in 0..8u32 {
                for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Chars] {
                    let p = LineCol { line, col };
                    assert_eq!(
                        rope_offset(&rope, p, enc),
                        idx.offset(t, p, enc),
                        "{p:?} {enc:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn long_lines_convert_through_checkpoints_in_any_order() {
        // Longer than LONG_LINE, with one-, two-, three- and four-byte characters
        // falling across checkpoint boundaries, between two short lines.
        let long = "Sŏul 서울 😀 Stalin, ".repeat(900);
        let t = format!("short\r\n{long}\nend 𠀀\n");
        let idx = LineIndex::new(&t);
        let start = idx.line_start(1);
        let offsets: Vec<usize> = t.char_indices().map(|(i, _)| i).rev().collect();
        for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Chars] {
            for &off in &offsets {
                let line = idx.line_of(off);
                let (s, e) = idx.line_content(&t, line);
                let expected = measure(&t[s..off.min(e)], enc);
                assert_eq!(
                    idx.position(&t, off, enc),
                    LineCol {
                        line: line as u32,
                        col: expected as u32
                    },
                    "{off} {enc:?}"
                );
            }
            // Back and forth across the long line.
            let at = offsets
                .iter()
                .copied()
                .filter(|&o| o >= start + 9_000)
                .min()
                .unwrap_or(start);
            let p = idx.position(&t, at, enc);
            assert_eq!(idx.offset(&t, p, enc), at);
        }
        // The work of one conversion on the long line is bounded by the checkpoints.
        let before = idx.bytes_scanned();
        let _ = idx.position(&t, start + long.len() - 1, Encoding::Utf16);
        assert!(idx.bytes_scanned() - before <= 2 * CHECKPOINT);
    }
}
