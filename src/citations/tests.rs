use super::*;
use crate::markdown::MdModel;

fn cites(text: &str) -> Vec<Citation> {
    let md = MdModel::parse(text);
    syntax::find(text, &md)
}

fn keys(text: &str) -> Vec<String> {
    cites(text).into_iter().map(|c| c.key).collect()
}

#[test]
fn pandoc_citation_examples() {
    // (text, keys)
    let table: &[(&str, &[&str])] = &[
        (
            "Blah blah [see @doe99, pp. 33-35; also @smith04, chap. 1].",
            &["doe99", "smith04"],
        ),
        (
            "Blah blah [@doe99, pp. 33-35, 38-39 and *passim*].",
            &["doe99"],
        ),
        ("Blah blah [@smith04; @doe99].", &["smith04", "doe99"]),
        ("Smith says blah [-@smith04].", &["smith04"]),
        ("@smith04 says blah.", &["smith04"]),
        ("@smith04 [p. 33] says blah.", &["smith04"]),
        ("Keys [@a:b.c-d_e] inside.", &["a:b.c-d_e"]),
        ("At the end: @doe99.", &["doe99"]),
        ("Trailing colon @doe99: yes", &["doe99"]),
        ("Braced [@{a weird key}] here.", &["a weird key"]),
        ("(@doe99) in parentheses.", &["doe99"]),
        ("A footnote.[^1]\n\n[^1]: Citing [@doe99, 4].", &["doe99"]),
        ("- a list item [@doe99]", &["doe99"]),
        ("> quoted [@doe99]", &["doe99"]),
    ];
    for (text, want) in table {
        assert_eq!(keys(text), *want, "{text}");
    }
}

#[test]
fn near_misses_are_not_citations() {
    let table: &[&str] = &[
        "Write to name@example.org today.",
        "Run `git@example.org` or `[@key]`.",
        "```\n@key [@key]\n```\n",
        "See https://example.org/@someone now.",
        "See <https://example.org/@someone> now.",
        "A link [@key](https://example.org) is a link.",
        "Escaped \\@key is text.",
        "Price 5@3 each.",
        "<!-- [@hidden] -->",
        "[@]",
    ];
    for text in table {
        assert!(keys(text).is_empty(), "{text}: {:?}", keys(text));
    }
}

#[test]
fn prefix_locator_suffix_and_flags() {
    let c = cites("Blah [see @doe99, pp. 33-35, emphasis added; -@smith04, 12].");
    assert_eq!(c.len(), 2);
    assert_eq!(c[0].prefix, "see");
    assert_eq!(c[0].locator.as_deref(), Some("pp. 33-35"));
    assert_eq!(c[0].suffix, "emphasis added");
    assert!(!c[0].suppress_author);
    assert!(c[1].suppress_author);
    assert_eq!(c[1].locator.as_deref(), Some("12"));
    let t = "@smith04 [p. 33] says.";
    let c = cites(t);
    assert_eq!(c[0].locator.as_deref(), Some("p. 33"));
    assert!(c[0].in_text);
    assert_eq!(c[0].key_span.slice(t), "smith04");
    assert_eq!(c[0].span.slice(t), "@smith04 [p. 33]");
    let t = "Quoted [@bajanov1995, 3].";
    let c = cites(t);
    assert_eq!(c[0].locator.as_deref(), Some("3"));
    assert_eq!(c[0].span.slice(t), "[@bajanov1995, 3]");
    let c = cites("A handle \"follow @someone for news\" here.");
    assert!(c[0].in_quotes);
}

#[test]
fn never_panics_on_odd_input() {
    for t in [
        "@", "[@", "[@]", "@{", "@{}", "[@a;", "[;@a]", "[@a, ", "@é", "[-@]", "é@é", "[@a]]]",
        "[[[@a]", "@a [", "@a [p. 3", "\\[@a]", "[@{a}b]", "@{a\n}", "[@a; @]",
    ] {
        let _ = cites(t);
        let _ = syntax::split_locator(t);
    }
}

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/citations")
        .join(name)
}

#[test]
fn real_world_bibliographies() {
    let bbt = load_cached(&fixture("better-bibtex.bib"));
    let keys: Vec<&str> = bbt.entries.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "stueck2002",
            "mansourov1995",
            "torkunov2000:war.origins",
            "kim_il_sung-1950",
            "stueck2002"
        ]
    );
    assert_eq!(bbt.problems.len(), 1, "{:?}", bbt.problems);
    assert!(bbt.problems[0].line > 40, "{:?}", bbt.problems);
    let m = bbt.get("mansourov1995").map(|e| e.year.clone());
    assert_eq!(m, Some(Some("1995".into())));
    let z = load_cached(&fixture("zotero.json"));
    assert_eq!(z.entries.len(), 2);
    assert_eq!(z.entries[1].key, "chen1994");
    assert_eq!(z.entries[1].authors, ["Chen, Jian"]);
    assert_eq!(z.entries[0].year.as_deref(), Some("1993"));
    assert_eq!(z.problems.len(), 1);
    let y = load_cached(&fixture("references.yaml"));
    assert_eq!(y.entries.len(), 1);
}

#[test]
fn chicago_notes_reference() {
    let b = load_cached(&fixture("article.bib"));
    let e = b.get("goncharov1993").cloned();
    let Some(e) = e else {
        panic!("goncharov1993 missing")
    };
    let r = reference(&e, "chicago-notes");
    assert!(r.contains("Uncertain Partners"), "{r}");
    assert!(r.contains("Goncharov"), "{r}");
    assert!(r.contains("Stanford University Press"), "{r}");
    let z = load_cached(&fixture("zotero.json"));
    let Some(chen) = z.get("chen1994").cloned() else {
        panic!("chen1994")
    };
    let r = reference(&chen, "chicago-notes");
    assert!(r.contains("Columbia University Press"), "{r}");
    // An unknown style falls back to a plain reference.
    let r = reference(&e, "no-such-style");
    assert!(r.contains("Uncertain Partners"), "{r}");
}

#[test]
fn did_you_mean_by_edit_distance() {
    let keys = ["bajanov1995", "weathersby1993", "cumings1981"];
    assert_eq!(
        did_you_mean("bajanov1959", keys.iter().copied()),
        Some("bajanov1995")
    );
    assert_eq!(did_you_mean("nobody2020", keys.iter().copied()), None);
}

fn analyze_fixture(name: &str) -> crate::analysis::Analysis {
    let path = fixture(name);
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let config = crate::config::Config::default();
    let knowledge = crate::analysis::Knowledge::embedded();
    let ctx = crate::analysis::Context {
        config: &config,
        knowledge: &knowledge,
    };
    let root = fixture("");
    crate::analysis::analyze_at(
        std::sync::Arc::from(text.as_str()),
        None,
        &ctx,
        &Place {
            doc: Some(&path),
            root: Some(&root),
        },
        None,
    )
}

#[test]
fn the_article_cites_and_sources_its_claims() {
    let a = analyze_fixture("article.md");
    let codes: Vec<(&str, &str)> = a
        .findings
        .iter()
        .map(|f| (f.code, f.span.slice(&a.text)))
        .collect();
    assert!(
        !codes.iter().any(|(c, _)| c.starts_with("citation")
            || *c == "unsourced-claim"
            || *c == "bibliography-problem"),
        "{codes:?}"
    );
    assert_eq!(
        a.citations.keys_in_order(),
        [
            "bajanov1995",
            "weathersby1993",
            "cumings1981",
            "cumings1990",
            "goncharov1993"
        ]
    );
}

#[test]
fn pandoc_examples_fixture() {
    let a = analyze_fixture("pandoc-examples.md");
    let undefined: Vec<(&str, &str)> = a
        .findings
        .iter()
        .filter(|f| f.code == "citation-undefined")
        .map(|f| (f.span.slice(&a.text), f.message.as_str()))
        .collect();
    assert_eq!(undefined.len(), 3, "{undefined:?}");
    assert_eq!(undefined[0].0, "torkunov2000:war.origins");
    assert_eq!(undefined[1].0, "bajanov1959");
    assert!(undefined[1].1.contains("bajanov1995"));
    assert_eq!(undefined[2].0, "nobody2020");
    assert!(
        !a.citations
            .cites
            .iter()
            .any(|c| c.key == "example.org" || c.key == "code" || c.key == "handle"),
        "{:?}",
        a.citations.cites
    );
    let someone = a.citations.cites.iter().find(|c| c.key == "someone");
    assert!(someone.is_some_and(|c| c.in_quotes));
    assert!(
        a.citations
            .cites
            .iter()
            .any(|c| c.key == "goncharov1993" && c.locator.as_deref() == Some("130"))
    );
}

#[test]
fn no_bibliography_no_undefined() {
    let a = crate::analysis::analyze_str("Cited [@nowhere2020].\n");
    assert!(!a.findings.iter().any(|f| f.code.starts_with("citation")));
    assert_eq!(a.citations.cites.len(), 1);
}

#[test]
fn paths_outside_the_root_are_refused() {
    let text = "---\nbibliography: ../../Cargo.toml\n---\n\nCited [@x].\n";
    let path = fixture("doc.md");
    let root = fixture("");
    let config = crate::config::Config::default();
    let md = MdModel::parse(text);
    let c = for_document(
        text,
        &md,
        &config,
        &Place {
            doc: Some(&path),
            root: Some(&root),
        },
    );
    assert_eq!(c.sources.len(), 1);
    assert!(c.sources[0].bib.is_none());
    assert!(
        c.sources[0]
            .refused
            .as_deref()
            .is_some_and(|r| r.contains("outside"))
    );
    assert_eq!(
        c.sources[0].declared_at.map(|s| s.slice(text)),
        Some("../../Cargo.toml")
    );
}
