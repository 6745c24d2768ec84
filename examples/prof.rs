use annalist::document::Document;
use annalist::finding::Span;
use std::time::Instant;
fn main() {
    let text = std::fs::read_to_string("fixtures/bajanov-1995.md").unwrap();
    let mut big = String::new();
    while big.len() < 1_000_000 {
        big.push_str(&text[text.find("## 1.").unwrap()..text.find("## Notes").unwrap()]);
    }
    let t = Instant::now();
    let mut d = Document::new(&big, 1);
    println!("fresh parse {:?}", t.elapsed());
    for _ in 0..3 {
        let t = Instant::now();
        d.apply_edits(&[(Span::new(500_000, 500_000), "x".into())]);
        println!("edit+reparse {:?}", t.elapsed());
    }
    let t = Instant::now();
    let a = annalist::analysis::analyze_str(&big);
    println!("analyze_str {:?} {}", t.elapsed(), a.findings.len());
}
