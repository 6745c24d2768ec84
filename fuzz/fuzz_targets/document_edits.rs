//! Any text and any sequence of byte-range edits (in range or not, on char
//! boundaries or not, applied at once or deferred): the document must hold exactly
//! the text a plain String model holds, and its chunks and Markdown model must equal
//! those of the same text opened fresh (and of a whole-text parse).
#![no_main]

use annalist::document::Document;
use annalist::finding::Span;
use libfuzzer_sys::fuzz_target;

/// The document's snapping rule: clamp to the text, then back to a char boundary.
fn snap(text: &str, b: usize) -> usize {
    let mut b = b.min(text.len());
    while !text.is_char_boundary(b) {
        b -= 1;
    }
    b
}

fn model(m: &annalist::markdown::MdModel) -> String {
    format!("{:?}", (&m.blocks, &m.headings, &m.skip, m.front_matter))
}

fuzz_target!(|data: &[u8]| {
    // Layout: text, 0xFF, then edits of [start lo, start hi, len, deferred, n, n bytes].
    let (head, mut ops) = match data.iter().position(|&b| b == 0xFF) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let initial = String::from_utf8_lossy(head).into_owned();
    let mut expected = initial.clone();
    let mut doc = Document::new(&initial, 1);
    let mut pending = false;
    while ops.len() >= 5 {
        let start = u16::from_le_bytes([ops[0], ops[1]]) as usize;
        let len = ops[2] as usize;
        let deferred = ops[3] & 1 == 1;
        let n = (ops[4] as usize).min(ops.len() - 5);
        let insert = String::from_utf8_lossy(&ops[5..5 + n]).into_owned();
        ops = &ops[5 + n..];
        let span = Span::new(start, start + len);
        let s = snap(&expected, span.start);
        let e = snap(&expected, span.end.max(span.start));
        expected.replace_range(s..e, &insert);
        if deferred {
            doc.edit_deferred(span, &insert);
            pending = true;
        } else {
            doc.apply_edits(&[(span, insert)]);
            pending = false;
        }
    }
    if pending {
        doc.reparse();
    }
    assert_eq!(&**doc.text(), expected.as_str());
    assert_eq!(doc.rope().to_string(), expected);
    let fresh = Document::new(&expected, 1);
    assert_eq!(
        doc.chunk_spans().collect::<Vec<_>>(),
        fresh.chunk_spans().collect::<Vec<_>>(),
        "chunks of {expected:?}"
    );
    assert_eq!(model(doc.md()), model(fresh.md()), "edited vs fresh: {expected:?}");
    assert_eq!(
        model(doc.md()),
        model(&annalist::markdown::MdModel::parse(&expected)),
        "chunked vs whole: {expected:?}"
    );
});
