//! Any text and any sequence of byte-range edits (in range or not, on char
//! boundaries or not, applied at once or deferred): the document must hold exactly
//! the text a plain String model holds, and its tree, Markdown model and findings
//! must equal those of a fresh parse of that text.
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

fn sexp(tree: &tree_sitter_md::MarkdownTree) -> String {
    let mut s = tree.block_tree().root_node().to_sexp();
    for t in tree.inline_trees() {
        s.push('|');
        s.push_str(&t.root_node().to_sexp());
    }
    s
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
    if let (Some(a), Some(b)) = (doc.tree(), fresh.tree()) {
        assert_eq!(sexp(a), sexp(b), "trees of {expected:?}");
        let inc = annalist::markdown::MdModel::build(&expected, a);
        let new = annalist::markdown::MdModel::parse(&expected);
        assert_eq!(
            format!(
                "{:?}",
                (&inc.blocks, &inc.headings, &inc.skip, inc.front_matter)
            ),
            format!(
                "{:?}",
                (&new.blocks, &new.headings, &new.skip, new.front_matter)
            ),
        );
    } else {
        assert_eq!(doc.tree().is_some(), fresh.tree().is_some());
    }
});
