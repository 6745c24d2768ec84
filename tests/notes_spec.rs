//! The note layer against (1) the GFM spec's footnote examples, (2) pulldown-cmark 0.13
//! (GFM footnote mode) on every fixture and on generated documents, and (3) snapshots
//! of the notes rules' findings on the fixtures under `fixtures/notes/`.

use annalist::analysis::analyze_str;
use annalist::finding::apply_edits;
use annalist::markdown::MdModel;
use annalist::notes::{self, NoteStyle, Notes};
use annalist::position::Encoding;
use proptest::prelude::*;
use pulldown_cmark::{Event, Options, Parser, Tag};
use std::path::{Path, PathBuf};

fn notes_of(text: &str) -> Notes {
    notes::analyze(text, &MdModel::parse(text))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    v.sort();
    v
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

// ---------------------------------------------------------------------------------
// (1) The GFM spec's footnote examples

/// Labels of the footnote references the expected HTML renders, in order.
fn html_refs(html: &str) -> Vec<String> {
    html.match_indices("<a href=\"#fn:")
        .filter_map(|(i, m)| {
            let rest = &html[i + m.len()..];
            let end = rest.find('"')?;
            // Back-references point to #fnref:…, so only note references remain.
            Some(rest[..end].to_string())
        })
        .collect()
}

/// Labels of the footnotes the expected HTML lists (cited ones only, as GFM drops the rest).
fn html_defs(html: &str) -> Vec<String> {
    html.match_indices("<li id=\"fn:")
        .filter_map(|(i, m)| {
            let rest = &html[i + m.len()..];
            Some(rest[..rest.find('"')?].to_string())
        })
        .collect()
}

#[test]
fn gfm_spec_footnote_examples() {
    let dir = root().join("tests/data/gfm-footnotes");
    let inputs = files(&dir, "md");
    assert!(inputs.len() >= 9, "spec examples missing: {inputs:?}");
    for md_path in inputs {
        if md_path.file_name().is_some_and(|n| n == "README.md") {
            continue;
        }
        let text = read(&md_path);
        let html = read(&md_path.with_extension("html"));
        let n = notes_of(&text);
        let resolved: Vec<String> = n
            .markers
            .iter()
            .filter(|m| m.style == NoteStyle::Footnote && m.definition.is_some())
            .map(|m| m.label.clone())
            .collect();
        assert_eq!(
            resolved,
            html_refs(&html),
            "{}: resolved markers",
            md_path.display()
        );
        let mut cited: Vec<String> = n
            .definitions
            .iter()
            .enumerate()
            .filter(|(i, d)| d.style == NoteStyle::Footnote && n.markers_of(*i).next().is_some())
            .map(|(_, d)| d.label.clone())
            .collect();
        let mut expected = html_defs(&html);
        cited.sort();
        expected.sort();
        assert_eq!(cited, expected, "{}: cited definitions", md_path.display());
    }
}

#[test]
fn gfm_spec_example_contents() {
    let text = read(&root().join("tests/data/gfm-footnotes/extensions-1.md"));
    let n = notes_of(&text);
    let md = MdModel::parse(&text);
    let def = |label: &str| {
        n.definitions
            .iter()
            .find(|d| d.label == label)
            .unwrap_or_else(|| panic!("no definition {label}"))
    };
    assert_eq!(
        def("other-note").content.slice(&text),
        "no code block here (spaces are stripped away)"
    );
    let code = def("codeblock-note");
    assert_eq!(
        code.content.slice(&text).trim(),
        "this is now a code block (8 spaces indentation)"
    );
    assert!(
        n.is_skipped(&md, code.content.start),
        "8-space line is code"
    );
    let fnote = def("footnote");
    let body = fnote.content.slice(&text);
    assert!(body.starts_with("> Blockquotes can be in a footnote."));
    assert!(body.ends_with("or, naturally, simple paragraphs."));
    let para = text.find("or, naturally").unwrap_or(0);
    let code_in_note = text.find("as well as code blocks").unwrap_or(0);
    assert!(
        md.is_skipped(para),
        "the Markdown parser takes the continuation for code"
    );
    assert!(!n.is_skipped(&md, para), "the note layer knows it is prose");
    assert!(n.is_skipped(&md, code_in_note), "the note's own code block");
    assert!(text[def("1").content.start..].starts_with("Some *bolded*"));
}

// ---------------------------------------------------------------------------------
// (2) Differential against pulldown-cmark 0.13
//
// pulldown-cmark 0.13 parses GFM-style footnotes with ENABLE_FOOTNOTES (the old style
// needs ENABLE_OLD_FOOTNOTES): a reference renders only when a definition exists, and
// definitions continue with 4-space indented lines. It emits every definition and every
// resolved reference with byte ranges. Where it and cmark-gfm (GitHub, the spec) differ,
// the note layer follows cmark-gfm and the construct is left out of generated documents:
//
// * Labels with spaces: pulldown-cmark accepts `[^my note]: …` and `[^my note]`;
//   cmark-gfm's footnote-definition scanner excludes spaces and tabs from labels, so on
//   GitHub both stay literal text. Not generated.
// * A footnote definition nested in another's continuation (`    [^b]: …` inside `[^a]`):
//   cmark-gfm nests it, pulldown-cmark closes the first; both define both labels, but
//   the note layer keeps the line as content of the first. Not generated.
// * HTML blocks of type 7 (`<span>` alone on a line) after a definition: cmark-gfm ends
//   the definition's lazy paragraph, pulldown-cmark continues it. Not generated.
// * A marker in link text: in cmark-gfm `[see [^1]](url)` is a link whose text holds a
//   footnote reference; pulldown-cmark clears its link stack after a footnote
//   reference, so the `(url)` becomes text and a `[^1]` inside that URL a reference.
//   Generated only with destinations free of markers (`InLink`), and markers in
//   destinations only in links whose text has none (`InDest`).
// * Pandoc inline notes `^[…]` are not GFM; pulldown-cmark sees text. Only the plain
//   footnote markers inside them are compared (the fixture inline-notes.md).

struct Seen {
    refs: Vec<(usize, usize)>,
    defs: Vec<String>,
}

fn pulldown(text: &str) -> Seen {
    let opts = Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    let mut s = Seen {
        refs: Vec::new(),
        defs: Vec::new(),
    };
    for (ev, range) in Parser::new_ext(text, opts).into_offset_iter() {
        match ev {
            Event::FootnoteReference(_) => s.refs.push((range.start, range.end)),
            Event::Start(Tag::FootnoteDefinition(label)) => s.defs.push(label.to_string()),
            _ => {}
        }
    }
    s
}

fn ours(text: &str) -> Seen {
    let n = notes_of(text);
    Seen {
        refs: n
            .markers
            .iter()
            .filter(|m| m.style == NoteStyle::Footnote && m.definition.is_some())
            .map(|m| (m.span.start, m.span.end))
            .collect(),
        defs: n
            .definitions
            .iter()
            .filter(|d| d.style == NoteStyle::Footnote)
            .map(|d| d.label.clone())
            .collect(),
    }
}

fn compare(name: &str, text: &str) -> Result<(), String> {
    let (p, o) = (pulldown(text), ours(text));
    let show = |v: &[(usize, usize)]| {
        v.iter()
            .map(|&(s, e)| text.get(s..e).unwrap_or("?").to_string() + &format!("@{s}"))
            .collect::<Vec<_>>()
    };
    if p.refs != o.refs {
        return Err(format!(
            "{name}: references differ\npulldown-cmark: {:?}\nours:           {:?}\n--- text ---\n{text}",
            show(&p.refs),
            show(&o.refs)
        ));
    }
    if p.defs != o.defs {
        return Err(format!(
            "{name}: definitions differ\npulldown-cmark: {:?}\nours:           {:?}\n--- text ---\n{text}",
            p.defs, o.defs
        ));
    }
    Ok(())
}

#[test]
fn differential_on_fixtures() {
    let mut paths = files(&root().join("fixtures/notes"), "md");
    paths.push(root().join("fixtures/bajanov-1995.md"));
    for p in files(&root().join("tests/data/gfm-footnotes"), "md") {
        if !p.ends_with("README.md") {
            paths.push(p);
        }
    }
    for p in paths {
        let text = read(&p);
        if let Err(e) = compare(&p.display().to_string(), &text) {
            panic!("{e}");
        }
    }
}

const LABELS: &[&str] = &["1", "2", "a", "A", "note-x", "b_c", "10"];
const WORDS: &[&str] = &[
    "Stalin", "Kim", "agreed.", "the", "war", "(1949)", "*bold*", "x", "Moscow,", "—",
];

#[derive(Clone, Debug)]
enum Inline {
    Word(usize),
    Marker(usize),
    /// `![^l]`
    Bang(usize),
    /// `` `[^l]` ``
    Code(usize),
    /// `\[^l]`
    Escaped(usize),
    /// `[see [^l]](http://example.org/x)`: a marker in link text
    InLink(usize),
    /// `[text](http://example.org/[^l])`: a marker-like string in a link destination
    InDest(usize),
    /// `[^l](http://example.org)`: a link in both parsers
    AsLink(usize),
    /// `<!-- [^l] -->`
    Comment(usize),
    /// `^[see [^l]]`: a Pandoc inline note holding a marker
    PandocNote(usize),
}

fn render_inline(items: &[Inline]) -> String {
    let mut s = String::new();
    for (i, it) in items.iter().enumerate() {
        let piece = match it {
            Inline::Word(w) => WORDS[*w].to_string(),
            Inline::Marker(l) => format!("[^{}]", LABELS[*l]),
            Inline::Bang(l) => format!("![^{}]", LABELS[*l]),
            Inline::Code(l) => format!("`[^{}]`", LABELS[*l]),
            Inline::Escaped(l) => format!("\\[^{}]", LABELS[*l]),
            Inline::InLink(l) => format!("[see [^{}]](http://example.org/x)", LABELS[*l]),
            Inline::InDest(l) => format!("[text](http://example.org/[^{}])", LABELS[*l]),
            Inline::AsLink(l) => format!("[^{}](http://example.org)", LABELS[*l]),
            Inline::Comment(l) => format!("<!-- [^{}] -->", LABELS[*l]),
            Inline::PandocNote(l) => format!("^[see [^{}]]", LABELS[*l]),
        };
        // Markers attach to the word before them half the time.
        if i > 0 && !(matches!(it, Inline::Marker(_)) && piece.len() % 2 == 0) {
            s.push(' ');
        }
        s.push_str(&piece);
    }
    // A line must start with a word: nothing else may open a block.
    format!("Text {s}")
}

#[derive(Clone, Debug)]
enum Cont {
    /// A line indented four spaces.
    Indented(Vec<Inline>),
    /// A blank line, then a line indented four spaces.
    BlankIndented(Vec<Inline>),
    /// A blank line, then a line indented eight spaces (code inside the note).
    BlankCode(Vec<Inline>),
    /// A line not indented (lazy continuation).
    Lazy(Vec<Inline>),
    /// A blank line, then a fence indented four spaces with a marker inside.
    Fence(usize),
    /// A line indented with a tab.
    Tab(Vec<Inline>),
    /// A blank line, then a line not indented (ends the note).
    BlankOut(Vec<Inline>),
}

#[derive(Clone, Debug)]
enum Block {
    Para(Vec<Vec<Inline>>),
    /// A definition; `tight` puts it right under the previous line.
    Def {
        label: usize,
        first: Vec<Inline>,
        cont: Vec<Cont>,
        tight: bool,
    },
    /// A fenced code block holding a definition and a marker.
    Fence(usize),
    /// A paragraph, a blank line and an indented code block holding a marker.
    Indented(usize),
    Quote(Vec<Inline>),
    QuoteDef(usize, Vec<Inline>),
    Heading(Vec<Inline>),
    Table(usize),
    /// `- [^l]: …` with a continuation indented past the list item.
    ListDef(usize, Vec<Inline>, Option<Vec<Inline>>),
    /// `- text`
    List(Vec<Inline>),
    /// `> [^l]: …` continued on `>     …`
    QuoteDefCont(usize, Vec<Inline>, Vec<Inline>),
    /// An HTML block holding a definition and a marker.
    Html(usize),
}

fn render(blocks: &[Block]) -> String {
    let mut out = String::new();
    for b in blocks {
        let tight = matches!(b, Block::Def { tight: true, .. }) && !out.is_empty();
        if !out.is_empty() {
            out.push_str(if tight { "\n" } else { "\n\n" });
        }
        match b {
            Block::Para(lines) => {
                let ls: Vec<String> = lines.iter().map(|l| render_inline(l)).collect();
                out.push_str(&ls.join("\n"));
            }
            Block::Def {
                label, first, cont, ..
            } => {
                out.push_str(&format!("[^{}]:", LABELS[*label]));
                if !first.is_empty() {
                    out.push(' ');
                    out.push_str(&render_inline(first));
                }
                let mut para_open = !first.is_empty();
                for c in cont {
                    match c {
                        Cont::Indented(l) => {
                            out.push_str(&format!("\n    {}", render_inline(l)));
                            para_open = true;
                        }
                        Cont::BlankIndented(l) => {
                            out.push_str(&format!("\n\n    {}", render_inline(l)));
                            para_open = true;
                        }
                        Cont::BlankCode(l) => {
                            out.push_str(&format!("\n\n        {}", render_inline(l)));
                            para_open = false;
                        }
                        Cont::Lazy(l) if para_open => {
                            out.push_str(&format!("\n{}", render_inline(l)));
                        }
                        Cont::Lazy(_) => {}
                        Cont::Tab(l) => {
                            out.push_str(&format!("\n\t{}", render_inline(l)));
                            para_open = true;
                        }
                        Cont::BlankOut(l) => {
                            out.push_str(&format!("\n\n{}", render_inline(l)));
                            para_open = true;
                        }
                        Cont::Fence(l) => {
                            out.push_str(&format!(
                                "\n\n    ```\n    [^{0}] in a fence\n    ```",
                                LABELS[*l]
                            ));
                            para_open = false;
                        }
                    }
                }
            }
            Block::Fence(l) => out.push_str(&format!(
                "```\n[^{0}]: not a definition\nText [^{0}]\n```",
                LABELS[*l]
            )),
            Block::Indented(l) => out.push_str(&format!(
                "Text before code.\n\n    [^{0}]: not a definition [^{0}]",
                LABELS[*l]
            )),
            Block::Quote(l) => out.push_str(&format!("> {}", render_inline(l))),
            Block::QuoteDef(label, l) => {
                out.push_str(&format!("> [^{}]: {}", LABELS[*label], render_inline(l)))
            }
            Block::Heading(l) => out.push_str(&format!("## {}", render_inline(l))),
            Block::Table(l) => out.push_str(&format!(
                "| a | b |\n| --- | --- |\n| cell [^{}] | x |",
                LABELS[*l]
            )),
            Block::ListDef(label, first, cont) => {
                out.push_str(&format!(
                    "- [^{}]: {}",
                    LABELS[*label],
                    render_inline(first)
                ));
                if let Some(c) = cont {
                    out.push_str(&format!("\n\n      {}", render_inline(c)));
                }
            }
            Block::List(l) => out.push_str(&format!("- {}", render_inline(l))),
            Block::QuoteDefCont(label, first, cont) => out.push_str(&format!(
                "> [^{}]: {}\n>     {}",
                LABELS[*label],
                render_inline(first),
                render_inline(cont)
            )),
            Block::Html(l) => out.push_str(&format!(
                "<div>\n[^{0}]: not a definition [^{0}]\n</div>",
                LABELS[*l]
            )),
        }
    }
    out.push('\n');
    out
}

fn label() -> impl Strategy<Value = usize> {
    0..LABELS.len()
}

fn inline() -> impl Strategy<Value = Inline> {
    prop_oneof![
        4 => (0..WORDS.len()).prop_map(Inline::Word),
        4 => label().prop_map(Inline::Marker),
        1 => label().prop_map(Inline::Bang),
        1 => label().prop_map(Inline::Code),
        1 => label().prop_map(Inline::Escaped),
        1 => label().prop_map(Inline::InLink),
        1 => label().prop_map(Inline::InDest),
        1 => label().prop_map(Inline::AsLink),
        1 => label().prop_map(Inline::Comment),
        1 => label().prop_map(Inline::PandocNote),
    ]
}

fn line() -> impl Strategy<Value = Vec<Inline>> {
    prop::collection::vec(inline(), 1..6)
}

fn cont() -> impl Strategy<Value = Cont> {
    prop_oneof![
        line().prop_map(Cont::Indented),
        line().prop_map(Cont::BlankIndented),
        line().prop_map(Cont::BlankCode),
        line().prop_map(Cont::Lazy),
        label().prop_map(Cont::Fence),
        line().prop_map(Cont::Tab),
        line().prop_map(Cont::BlankOut),
    ]
}

fn block() -> impl Strategy<Value = Block> {
    prop_oneof![
        4 => prop::collection::vec(line(), 1..3).prop_map(Block::Para),
        4 => (label(), prop::collection::vec(inline(), 0..4), prop::collection::vec(cont(), 0..3), any::<bool>())
            .prop_map(|(label, first, cont, tight)| Block::Def { label, first, cont, tight }),
        1 => label().prop_map(Block::Fence),
        1 => label().prop_map(Block::Indented),
        1 => line().prop_map(Block::Quote),
        1 => (label(), line()).prop_map(|(l, x)| Block::QuoteDef(l, x)),
        1 => line().prop_map(Block::Heading),
        1 => label().prop_map(Block::Table),
        1 => (label(), line(), prop::option::of(line())).prop_map(|(l, a, b)| Block::ListDef(l, a, b)),
        1 => line().prop_map(Block::List),
        1 => (label(), line(), line()).prop_map(|(l, a, b)| Block::QuoteDefCont(l, a, b)),
        1 => label().prop_map(Block::Html),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]
    #[test]
    fn differential_on_generated_documents(
        blocks in prop::collection::vec(block(), 1..8),
        crlf in any::<bool>(),
    ) {
        let mut text = render(&blocks);
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        if let Err(e) = compare("generated", &text) {
            prop_assert!(false, "{}", e);
        }
    }
}

// ---------------------------------------------------------------------------------
// (3) Findings of the notes rules on the fixtures

fn findings_report(text: &str) -> String {
    let a = analyze_str(text);
    let mut out = String::new();
    for f in a
        .findings
        .iter()
        .filter(|f| f.code.starts_with("footnote-") || (f.code == "analysis-limited"))
    {
        let lc = a.lines.position(text, f.span.start, Encoding::Chars);
        out.push_str(&format!(
            "{} {}:{} {}\n",
            f.code,
            lc.line + 1,
            lc.col + 1,
            f.message
        ));
        for r in &f.related {
            let rl = a.lines.position(text, r.span.start, Encoding::Chars);
            out.push_str(&format!(
                "    related {}:{} {}\n",
                rl.line + 1,
                rl.col + 1,
                r.message
            ));
        }
        for fix in &f.fixes {
            // The fix must apply cleanly; show what it changes.
            let _ = apply_edits(text, &fix.edits);
            out.push_str(&format!(
                "    fix{} {}\n",
                if fix.safe { " (safe)" } else { "" },
                fix.title
            ));
            for e in &fix.edits {
                let from = a.lines.position(text, e.span.start, Encoding::Chars);
                let to = a.lines.position(text, e.span.end, Encoding::Chars);
                out.push_str(&format!(
                    "        {}:{}-{}:{} {:?} -> {:?}\n",
                    from.line + 1,
                    from.col + 1,
                    to.line + 1,
                    to.col + 1,
                    e.span.slice(text),
                    e.new_text
                ));
            }
        }
    }
    out
}

#[test]
fn fixture_findings() {
    for p in files(&root().join("fixtures/notes"), "md") {
        let text = read(&p);
        let name = p
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        insta::assert_snapshot!(name, findings_report(&text));
    }
}

#[test]
fn bajanov_notes_resolve_in_order_and_raise_nothing() {
    let text = read(&root().join("fixtures/bajanov-1995.md"));
    let a = analyze_str(&text);
    let numbers: Vec<u32> = a
        .notes
        .markers
        .iter()
        .filter(|m| m.style == NoteStyle::Endnote)
        .filter_map(|m| m.number)
        .collect();
    assert_eq!(numbers, (1..=10).collect::<Vec<_>>());
    assert!(a.notes.markers.iter().all(|m| m.definition.is_some()));
    assert_eq!(a.notes.sections.len(), 1);
    let notes: Vec<_> = a
        .findings
        .iter()
        .filter(|f| f.code.starts_with("footnote-"))
        .collect();
    assert!(notes.is_empty(), "{notes:#?}");
}

// ---------------------------------------------------------------------------------
// (4) Any input: no panic, spans on char boundaries, indices valid, fixes apply

fn markdownish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("[^".to_string()),
        Just("]".to_string()),
        Just("]:".to_string()),
        Just("[".to_string()),
        Just("^[".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just("1".to_string()),
        Just("12".to_string()),
        Just(". ".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\r".to_string()),
        Just("    ".to_string()),
        Just("\t".to_string()),
        Just("> ".to_string()),
        Just("- ".to_string()),
        Just("`".to_string()),
        Just("```".to_string()),
        Just("<sup>".to_string()),
        Just("</sup>".to_string()),
        Just("<!--".to_string()),
        Just("-->".to_string()),
        Just("## Notes\n".to_string()),
        Just("**Notes**".to_string()),
        Just("http://x.org/".to_string()),
        Just("¹²".to_string()),
        Just("é".to_string()),
        Just("\\".to_string()),
        Just("a".to_string()),
        Just(" ".to_string()),
        "[a-z ]{1,6}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]
    #[test]
    fn any_text_analyses_safely(text in markdownish()) {
        let a = analyze_str(&text);
        let n = &a.notes;
        let ok = |s: annalist::finding::Span| s.start <= s.end && text.get(s.start..s.end).is_some();
        for m in &n.markers {
            prop_assert!(ok(m.span) && ok(m.label_span), "{:?} in {:?}", m, text);
            prop_assert!(m.definition.is_none_or(|i| i < n.definitions.len()));
            prop_assert!(m.section.is_none_or(|i| i < n.sections.len()));
        }
        for d in &n.definitions {
            prop_assert!(ok(d.span) && ok(d.label_span) && ok(d.content), "{:?} in {:?}", d, text);
            prop_assert!(d.duplicate_of.is_none_or(|i| i < n.definitions.len()));
        }
        prop_assert!(n.markers.windows(2).all(|w| w[0].span.start <= w[1].span.start));
        for f in &a.findings {
            prop_assert!(ok(f.span));
            for fix in &f.fixes {
                for e in &fix.edits {
                    prop_assert!(ok(e.span), "{:?} in {:?}", e, text);
                }
                let _ = apply_edits(&text, &fix.edits);
            }
        }
    }
}
