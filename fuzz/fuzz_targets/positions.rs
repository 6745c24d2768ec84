//! Any text, any offset, any line and column: conversions never panic, land on char
//! boundaries inside the text, round-trip, and the rope and the line index agree.
#![no_main]

use annalist::position::{Encoding, LineCol, LineIndex, measure, rope_offset};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() < 8 {
        return;
    }
    let line = u32::from_le_bytes([data[0], data[1], 0, 0]) % 64;
    let col = u32::from_le_bytes([data[2], data[3], data[4], 0]);
    let off = u16::from_le_bytes([data[5], data[6]]) as usize;
    let text = String::from_utf8_lossy(&data[8..]);
    let idx = LineIndex::new(&text);
    let rope = ropey::Rope::from_str(&text);
    assert_eq!(idx.line_count(), rope.len_lines());
    for enc in [Encoding::Utf8, Encoding::Utf16, Encoding::Chars] {
        let p = LineCol { line, col };
        let o = idx.offset(&text, p, enc);
        assert!(o <= text.len() && text.is_char_boundary(o));
        assert_eq!(rope_offset(&rope, p, enc), o, "{p:?} {enc:?}");
        let q = idx.position(&text, off, enc);
        let back = idx.offset(&text, q, enc);
        assert!(back <= text.len() && text.is_char_boundary(back));
        let (start, end) = idx.line_content(&text, q.line as usize);
        let mut snapped = off.min(text.len());
        while !text.is_char_boundary(snapped) {
            snapped -= 1;
        }
        if snapped >= start && snapped <= end {
            assert_eq!(back, snapped, "{off} {enc:?} {q:?}");
            assert_eq!(q.col as usize, measure(&text[start..snapped], enc));
        }
    }
});
