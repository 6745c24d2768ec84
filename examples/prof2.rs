use std::time::Instant;
use tree_sitter::{InputEdit, Parser, Point};
fn main() {
    let text = std::fs::read_to_string("fixtures/bajanov-1995.md").unwrap();
    let mut big = String::new();
    while big.len() < 1_000_000 {
        big.push_str(&text[text.find("## 1.").unwrap()..text.find("## Notes").unwrap()]);
    }
    let mut p = Parser::new();
    p.set_language(&tree_sitter_md::LANGUAGE.into()).unwrap();
    let t = Instant::now();
    let mut tree = p.parse(&big, None).unwrap();
    println!("block fresh {:?}", t.elapsed());
    let mut b2 = big.clone();
    b2.insert(500_000, 'x');
    tree.edit(&InputEdit {
        start_byte: 500_000,
        old_end_byte: 500_000,
        new_end_byte: 500_001,
        start_position: Point {
            row: 2000,
            column: 5,
        },
        old_end_position: Point {
            row: 2000,
            column: 5,
        },
        new_end_position: Point {
            row: 2000,
            column: 6,
        },
    });
    let t = Instant::now();
    let _t2 = p.parse(&b2, Some(&tree)).unwrap();
    println!("block incremental {:?}", t.elapsed());
    let mut ip = Parser::new();
    ip.set_language(&tree_sitter_md::INLINE_LANGUAGE.into())
        .unwrap();
    let para = &text[text.find("In the beginning").unwrap()..];
    let para = &para[..para.find("\n\n").unwrap()];
    let t = Instant::now();
    for _ in 0..1000 {
        let _ = ip.parse(para, None);
    }
    println!(
        "1000 inline paragraph parses {:?} ({} bytes each)",
        t.elapsed(),
        para.len()
    );
}
