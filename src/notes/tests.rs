use super::*;

fn notes(text: &str) -> Notes {
    analyze(text, &MdModel::parse(text))
}

const SECTION: &str =
    "\n\n## Notes\n\n1. a\n2. b\n3. c\n4. d\n5. e\n6. f\n7. g\n8. h\n9. i\n10. j\n";

/// Numbers of the endnote markers found in `body` followed by a Notes section 1–10.
fn endnotes(body: &str) -> Vec<u32> {
    let text = format!("{body}{SECTION}");
    notes(&text)
        .markers
        .iter()
        .filter(|m| m.style == NoteStyle::Endnote)
        .filter_map(|m| m.number)
        .collect()
}

#[test]
fn endnote_markers_where_the_context_says_note() {
    let cases: &[(&str, &[u32])] = &[
        ("Kim II Sung. (1)", &[1]),
        ("It is very important.\" (2)", &[2]),
        (
            "Stalin agreed. (1) Kim left. (2) Mao was told. (3)",
            &[1, 2, 3],
        ),
        ("The aggression was prepared. (3) In May the Kremlin", &[3]),
        ("as the ambassador said (4).", &[4]),
        ("Stalin agreed (5), and Mao did not.", &[5]),
        ("Declassified archives.[6]", &[6]),
        ("Shtykov[7] complained.", &[7]),
        ("Mao was in Moscow.⁸", &[8]),
        ("Sung⁹ replied.", &[9]),
        ("The records were lost.<sup>10</sup>", &[10]),
        ("Records of April.¹²", &[12]),
        ("The talks ended.<sup><a href=\"#n3\">3</a></sup>", &[3]),
        ("> Quoted text ends here. (2)", &[2]),
        ("| cell (3). | x |\n| --- | --- |\n| y | z |", &[3]),
        (
            "Sentence one.\n(4) continues the paragraph on a new line.",
            &[4],
        ),
    ];
    for (body, want) in cases {
        assert_eq!(endnotes(body), *want, "{body:?}");
    }
}

#[test]
fn numbers_that_are_not_note_markers() {
    for body in [
        "The treaty was signed (1949).",
        "Reasons: (a) the South; (b) the North.",
        "In the appendix (see 3).",
        "The figures are on (pp. 3-4).",
        "It advanced (3 km) a day.",
        "The function f(2) = 4 and 2 (3) 4.",
        "He raised three points: (1) the army, (2) the people and (3) the Americans.",
        "(1) A paragraph that opens with a number.",
        "- (2) a list item",
        "1. (3) an ordered item",
        "See Table (5). And chapter (2).",
        "As on p. (3) and no. (4).",
        "An area of 12 km² and x² and 10².",
        "A link [5](http://example.org) and [6][ref].\n\n[ref]: http://example.org",
        "A link [7].\n\n[7]: http://example.org",
        "Code `(3)` and `[4]` and `<sup>5</sup>`.",
        "He said (3) that it was so.",
        "Points: (1) one, (2) two. (3) Then the text went on.",
        "```\nfenced (3).\n```",
        "<!-- comment (3). -->",
        "Numbered [3]: like a definition.",
        "Escaped \\(3) and \\[4].",
        "An image ![3] and a ratio 3:(4).",
        "Edited [sic] text[a].",
    ] {
        assert_eq!(endnotes(body), Vec::<u32>::new(), "{body:?}");
    }
}

#[test]
fn endnotes_without_a_section_need_a_clear_sequence() {
    let clear = "Stalin agreed. (1)\n\nKim left. (2)\n\nMao was told. (3)\n";
    let n = notes(clear);
    assert_eq!(n.markers.len(), 3);
    assert!(
        n.markers
            .iter()
            .all(|m| m.section.is_none() && m.definition.is_none())
    );
    for text in [
        "Stalin agreed. (1)\n\nKim left. (2)\n",
        "Founded (1945). Signed (1949). Ended (1953).",
        "Stalin agreed. (2)\n\nKim left. (3)\n\nMao was told. (4)\n",
        "Reasons: (1) one; (2) two; (3) three.",
    ] {
        assert!(notes(text).markers.is_empty(), "{text:?}");
    }
}

#[test]
fn markers_resolve_to_their_entries_and_sections() {
    let text = "# One\n\nText. (1)\n\n## Notes\n\n1. First chapter note.\n\n# Two\n\nMore. (1)\n\n## Notes\n\n1. Second chapter note.\n";
    let n = notes(text);
    assert_eq!(n.sections.len(), 2);
    let contents: Vec<&str> = n
        .markers
        .iter()
        .filter_map(|m| n.definition_of(m))
        .map(|d| d.content.slice(text))
        .collect();
    assert_eq!(contents, ["First chapter note.", "Second chapter note."]);
    assert_eq!(n.notes_section, Some(n.sections[0].span));
}

#[test]
fn per_chapter_notes_resolve_by_chapter_title() {
    let t = "# Chapter 1: Fear\n\nStalin agreed. (1) Kim left. (2)\n\n# Chapter 2\n\nMao was told. (1)\n\n# Notes\n\n## Chapter 1\n\n1. a\n2. b\n\n## Chapter 2\n\n1. c\n";
    let n = notes(t);
    let titles: Vec<&str> = n.sections.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles, ["Notes (Chapter 1)", "Notes (Chapter 2)"]);
    let resolved: Vec<&str> = n
        .markers
        .iter()
        .filter_map(|m| n.definition_of(m))
        .map(|d| d.content.slice(t))
        .collect();
    assert_eq!(resolved, ["a", "b", "c"]);
    assert!(n.definitions.iter().all(|d| d.duplicate_of.is_none()));
    let whole = n.notes_section.map(|s| s.slice(t));
    assert!(whole.is_some_and(|w| w.starts_with("## Chapter 1") && w.ends_with("1. c")));
    // Without a restart of the numbering, subheadings do not split the section.
    let t = "A. (1) B. (2)\n\n## Notes\n\n### Part one\n\n1. a\n\n### Part two\n\n2. b\n";
    let n = notes(t);
    assert_eq!(n.sections.len(), 1);
    assert_eq!(
        n.markers.iter().filter(|m| m.definition.is_some()).count(),
        2
    );
}

#[test]
fn notes_section_titles_and_entries() {
    let yes = [
        "## Notes\n\n1. a\n",
        "## Notes:\n\n1. a\n",
        "### ENDNOTES\n\n1. a\n",
        "# References\n\n[1] a\n",
        "## 11. Notes\n\n(1) a\n",
        "**Notes**\n\n1. a\n",
        "**Notes:**\n1. a\n",
        "Sources\n-------\n\n1) a\n",
        "## Notes\n\nThe translator's notes follow.\n\n1. a\n",
    ];
    for t in yes {
        let n = notes(t);
        assert_eq!(n.sections.len(), 1, "{t:?}");
        let d = &n.definitions[n.sections[0].entries[0]];
        assert_eq!((d.number, d.content.slice(t)), (Some(1), "a"), "{t:?}");
    }
    let no = [
        "## Notes on method\n\n1. a\n",
        "## Notes\n\n- a bullet\n",
        "## Notes\n\nJust prose.\n",
        "## References\n\n[1]: http://example.org\n",
        "Some **Notes** in a sentence.\n\n1. a\n",
        "```\n## Notes\n\n1. a\n```\n",
    ];
    for t in no {
        assert!(notes(t).sections.is_empty(), "{t:?}");
    }
}

#[test]
fn entries_keep_their_numbers_and_continuations() {
    let t = "## Notes\n\n1. First,\n   continued.\n\n   A second paragraph.\n3. Third.\n2. Second.\n\nAn unindented remark ends the entry.\n\n## Appendix\n\n4. Not an entry.\n";
    let n = notes(t);
    let entries: Vec<(Option<u32>, &str)> = n.sections[0]
        .entries
        .iter()
        .map(|&i| (n.definitions[i].number, n.definitions[i].content.slice(t)))
        .collect();
    assert_eq!(
        entries,
        [
            (Some(1), "First,\n   continued.\n\n   A second paragraph."),
            (Some(3), "Third."),
            (Some(2), "Second."),
        ]
    );
    assert!(n.sections[0].span.slice(t).ends_with("2. Second."));
}

#[test]
fn markers_inside_the_notes_section_are_not_endnote_markers() {
    let t = "Text. (1)\n\n## Notes\n\n1. See also the next note. (2)\n2. Ibid.[^x]\n\n[^x]: A footnote.\n";
    let n = notes(t);
    let styles: Vec<(NoteStyle, &str)> = n
        .markers
        .iter()
        .map(|m| (m.style, m.span.slice(t)))
        .collect();
    assert_eq!(
        styles,
        [(NoteStyle::Endnote, "(1)"), (NoteStyle::Footnote, "[^x]")]
    );
}

#[test]
fn footnote_markers_follow_cmark_gfm() {
    let cases: &[(&str, &[&str])] = &[
        ("A[^a] b[^B].\n\n[^a]: x\n[^b]: y\n", &["[^a]", "[^B]"]),
        ("Spaces [^my note] are text.\n", &[]),
        ("Empty [^] is text.\n", &[]),
        ("Escaped \\[^a] is text.\n\n[^a]: x\n", &[]),
        ("A link [^a](http://example.org).\n\n[^a]: x\n", &[]),
        (
            "A reference link [^a][r].\n\n[r]: http://example.org\n[^a]: x\n",
            &[],
        ),
        ("Undefined link ref [^a][r].\n\n[^a]: x\n", &["[^a]"]),
        ("Bang![^a].\n\n[^a]: x\n", &["[^a]"]),
        (
            "In link text [see [^a]](http://example.org).\n\n[^a]: x\n",
            &["[^a]"],
        ),
        (
            "Bare URL http://example.org/x[^a] ends.\n\n[^a]: x\n",
            &["[^a]"],
        ),
        (
            "Link [t](http://example.org/[^a])[^a].\n\n[^a]: x\n",
            &["[^a]"],
        ),
        ("Undefined[^nope] stays a marker.\n", &["[^nope]"]),
        ("# Heading[^a]\n\n[^a]: x\n", &["[^a]"]),
    ];
    for (text, want) in cases {
        let n = notes(text);
        let got: Vec<&str> = n
            .markers
            .iter()
            .filter(|m| m.style == NoteStyle::Footnote)
            .map(|m| m.span.slice(text))
            .collect();
        assert_eq!(got, *want, "{text:?}");
    }
    let t = "A[^B].\n\n[^b]: x\n";
    let n = notes(t);
    assert_eq!(
        n.markers[0].definition,
        Some(0),
        "labels compare case-insensitively"
    );
    assert_eq!(n.markers[0].label_span.slice(t), "B");
}

/// (label, content) of each footnote definition.
fn defs(text: &str) -> Vec<(String, String)> {
    notes(text)
        .definitions
        .iter()
        .filter(|d| d.style == NoteStyle::Footnote)
        .map(|d| (d.label.clone(), d.content.slice(text).to_string()))
        .collect()
}

#[test]
fn footnote_definitions_and_their_extent() {
    let cases: &[(&str, &[(&str, &str)])] = &[
        ("[^a]: one\n", &[("a", "one")]),
        (
            "[^a]: one\n    two\n\n    three\n\nafter\n",
            &[("a", "one\n    two\n\n    three")],
        ),
        ("[^a]: one\nlazy\n", &[("a", "one\nlazy")]),
        ("[^a]: one\n\nnot lazy\n", &[("a", "one")]),
        ("[^a]: one\n# heading\n", &[("a", "one")]),
        ("[^a]: one\n- list\n", &[("a", "one")]),
        ("[^a]: one\n---\n", &[("a", "one")]),
        ("[^a]: one\n[^b]: two\n", &[("a", "one"), ("b", "two")]),
        ("Text\n[^a]: interrupts\n", &[("a", "interrupts")]),
        ("[^a]:\n\n    later\n", &[("a", "later")]),
        ("[^a]:\n\nnot content\n", &[("a", "")]),
        ("[^a]:[^b]:\n", &[("a", ""), ("b", "")]),
        ("[^a]:\ttab\n\tcontinued\n", &[("a", "tab\n\tcontinued")]),
        (
            "> [^q]: quoted\n>     more\n",
            &[("q", "quoted\n>     more")],
        ),
        (
            "- [^l]: listed\n\n      more\n",
            &[("l", "listed\n\n      more")],
        ),
        ("    [^c]: indented code\n", &[]),
        ("```\n[^f]: fenced\n```\n", &[]),
        ("<div>\n[^h]: html\n</div>\n", &[]),
        ("---\nx: \"[^m]: front matter\"\n---\n", &[]),
        ("[^my note]: spaces\n", &[]),
        ("[^a] : spaced colon\n", &[]),
        (
            "[^a]: one\r\n    two\r\n\r\nafter\r\n",
            &[("a", "one\r\n    two")],
        ),
    ];
    for (text, want) in cases {
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(l, c)| (l.to_string(), c.to_string()))
            .collect();
        assert_eq!(defs(text), want, "{text:?}");
    }
}

#[test]
fn the_note_layer_corrects_the_markdown_model_inside_definitions() {
    let t = "[^a]: one\n\n    Second paragraph with `code [^x]` and [^b].\n\n        indented code [^b]\n\n    ```\n    [^b] fenced\n    ```\n\n[^b]: two\n";
    let md = MdModel::parse(t);
    let n = analyze(t, &md);
    let para = t.find("Second").unwrap_or(0);
    assert!(
        md.is_skipped(para),
        "the Markdown parser sees indented code"
    );
    assert!(!n.is_skipped(&md, para));
    for needle in ["code [^x]", "indented code", "[^b] fenced"] {
        let at = t.find(needle).unwrap_or(0);
        assert!(n.is_skipped(&md, at), "{needle} is code");
    }
    let markers: Vec<&str> = n.markers.iter().map(|m| m.span.slice(t)).collect();
    assert_eq!(markers, ["[^b]"]);
    assert_eq!(
        n.definitions[0].span.slice(t).lines().last(),
        Some("    ```")
    );
}

#[test]
fn inline_notes() {
    let cases: &[(&str, &[&str])] = &[
        ("A^[simple note] b.", &["simple note"]),
        ("A^[with [brackets] inside] b.", &["with [brackets] inside"]),
        ("A^[code `]` inside] b.", &["code `]` inside"]),
        ("A^[over\ntwo lines] b.", &["over\ntwo lines"]),
        ("A^[outer ^[inner] rest] b.", &["outer ^[inner] rest"]),
        ("A^[] b.", &[""]),
        ("Escaped \\^[not a note].", &[]),
        ("Unclosed ^[note\n\nacross paragraphs].", &[]),
        ("Code `^[not a note]`.", &[]),
    ];
    for (text, want) in cases {
        let n = notes(text);
        let got: Vec<&str> = n
            .definitions
            .iter()
            .filter(|d| d.style == NoteStyle::Inline)
            .map(|d| d.content.slice(text))
            .collect();
        assert_eq!(got, *want, "{text:?}");
        for m in n.markers.iter().filter(|m| m.style == NoteStyle::Inline) {
            let d = n.definition_of(m).map(|d| d.span);
            assert_eq!(d, Some(m.span));
        }
    }
}

#[test]
fn duplicates_point_to_the_first_definition() {
    let t = "A[^a] and (1).\n\n[^a]: one\n[^A]: two\n\n## Notes\n\n1. x\n1. y\n";
    let n = notes(t);
    let dups: Vec<(usize, Option<usize>)> = n
        .definitions
        .iter()
        .enumerate()
        .map(|(i, d)| (i, d.duplicate_of))
        .collect();
    assert_eq!(dups, [(0, None), (1, Some(0)), (2, None), (3, Some(2))]);
    assert_eq!(
        n.markers_of(1).count(),
        1,
        "markers of a duplicate are the first's"
    );
}

#[test]
fn lookups() {
    let t = "A^[see [^a]] b (1).\n\n[^a]: x\n\n## Notes\n\n1. y\n";
    let n = notes(t);
    let inner = t.find("[^a]").unwrap_or(0) + 1;
    assert_eq!(
        n.marker_at(inner).map(|m| m.style),
        Some(NoteStyle::Footnote)
    );
    assert_eq!(n.marker_at(1).map(|m| m.style), Some(NoteStyle::Inline));
    let def = n
        .definition_for(NoteStyle::Endnote, "01")
        .map(|d| d.content.slice(t));
    assert_eq!(def, Some("y"));
    assert_eq!(n.markers_for(NoteStyle::Footnote, "A").count(), 1);
    let d = n
        .definitions
        .iter()
        .find(|d| d.style == NoteStyle::Footnote);
    assert_eq!(d.map(|d| d.head().slice(t)), Some("[^a]"));
}

#[test]
fn nothing_panics_and_spans_stay_on_char_boundaries() {
    let inputs = [
        "",
        "[^",
        "[^a",
        "[^a]:",
        "^[",
        "^[[[[",
        "(",
        "(1",
        "<sup>",
        "<sup>1",
        "<sup>1</sup",
        "¹",
        "\u{2070}",
        "\r",
        "\r\r\n\n",
        "> [^a]:\n>",
        "- [^a]:\n-",
        "## Notes\n\n1.",
        "## Notes\n\n(1)",
        "**Notes**",
        "[^é]: é\n\nÉ[^É]",
        "Ü. (1)\n\n## Notes\n\n1. ü",
        "`",
        "]([^a]",
        "[^a](",
        "\\",
        "x\\",
        "[^a]:\n    ```\n",
    ];
    for t in inputs {
        let n = notes(t);
        for m in &n.markers {
            assert!(t.get(m.span.start..m.span.end).is_some(), "{t:?}");
            assert!(
                t.get(m.label_span.start..m.label_span.end).is_some(),
                "{t:?}"
            );
        }
        for d in &n.definitions {
            for s in [d.span, d.label_span, d.content] {
                assert!(t.get(s.start..s.end).is_some(), "{t:?} {s:?}");
            }
        }
    }
}

#[test]
fn lines_end_at_lf_crlf_and_lone_cr() {
    let t = "a\nb\r\nc\rd";
    let got: Vec<&str> = split_lines(t)
        .iter()
        .map(|l| t.get(l.start..l.end).unwrap_or("?"))
        .collect();
    assert_eq!(got, ["a", "b", "c", "d"]);
    let lines = |t: &str| -> Vec<(usize, usize)> {
        split_lines(t).iter().map(|l| (l.start, l.end)).collect()
    };
    assert_eq!(lines(""), []);
    assert_eq!(lines("\n"), [(0, 0)]);
    assert_eq!(lines("a\r"), [(0, 1)]);
    assert_eq!(lines("a\r\r\nb\n\n"), [(0, 1), (2, 2), (4, 5), (6, 6)]);
    assert_eq!(lines("\r\n\r\nx"), [(0, 0), (2, 2), (4, 5)]);
}

#[test]
fn a_definition_is_appended_after_a_blank_line_in_the_text_s_line_ending() {
    use super::Tail;
    let def = |t: &str| Tail::of(t).definition("3");
    assert_eq!(def(""), "[^3]: \n");
    assert_eq!(def("Text."), "\n\n[^3]: \n");
    assert_eq!(def("Text.\n"), "\n[^3]: \n");
    assert_eq!(def("Text.\n\n"), "[^3]: \n");
    assert_eq!(def("A\r\nText."), "\r\n\r\n[^3]: \r\n");
    assert_eq!(def("A\r\nText.\r\n"), "\r\n[^3]: \r\n");
    assert_eq!(def("A\r\nText.\r\n\r\n"), "[^3]: \r\n");
    assert_eq!(Tail::of("Text.").end, 5);
}

/// Choosing a document's endnote markers reads each Notes section's entry numbers once,
/// however many markers cite it (it read them once per marker: a document of 5,000
/// endnotes read 5,000 numbers 5,000 times).
#[test]
fn endnote_selection_reads_each_section_once() {
    let read = |n: u32| {
        let mut t = String::new();
        for k in 1..=n {
            t.push_str(&format!("Stalin agreed on day {k}. ({k})\n\n"));
        }
        t.push_str("## Notes\n\n");
        for k in 1..=n {
            t.push_str(&format!("{k}. Source {k}.\n"));
        }
        super::markers::NUMBERS_READ.with(|r| r.set(0));
        let found = notes(&t);
        let markers = found
            .markers
            .iter()
            .filter(|m| m.style == NoteStyle::Endnote)
            .count();
        (markers, super::markers::NUMBERS_READ.with(|r| r.get()))
    };
    for n in [200, 2_000] {
        let (markers, numbers) = read(n);
        assert_eq!(markers, n as usize, "every (k) is a marker");
        assert!(
            numbers <= n as usize,
            "{numbers} entry numbers read for {n} markers citing {n} entries"
        );
    }
}
