//! Tests of the names rules. Mentions come from a small test recogniser over an
//! in-test gazetteer (longest match, word boundaries, prose only), so these tests do not
//! depend on the real recogniser; `with_real_recognizer` runs the real one.

use super::*;
use crate::analysis::analyze;
use crate::config::Config;
use crate::facts::Knowledge;
use crate::gazetteer::{Gazetteer, Name};
use crate::names::Mention;
use std::sync::Arc;

fn name(text: &str, system: Option<System>) -> Name {
    Name {
        text: text.to_string(),
        system,
        ambiguous: false,
    }
}

fn entity(id: &str, kind: EntityKind, preferred: &str, names: Vec<Name>) -> Entity {
    Entity {
        names,
        ..Entity::new(id, kind, preferred)
    }
}

/// A small gazetteer of the Bajanov article's actors and places.
#[allow(clippy::field_reassign_with_default)] // the gazetteer may carry more than entities
pub(super) fn gazetteer() -> Gazetteer {
    use EntityKind::*;
    use System::*;
    // Built field by field: the gazetteer may carry more than its entities.
    let mut g = Gazetteer::default();
    g.entities = vec![
        entity(
            "kim-il-sung",
            Person,
            "Kim Il Sung",
            vec![
                name("Kim Il-sung", Some(Conventional)),
                name("Gim Il-seong", Some(Revised)),
                name("Kim Il-sŏng", Some(McCuneReischauer)),
                name("Kim II Sung", Some(Ocr)),
            ],
        ),
        entity(
            "shtykov",
            Person,
            "Terentii Shtykov",
            vec![
                name("Shtykov", Some(BgnPcgn)),
                name("Chtykov", Some(French)),
                name("Terenty Shtykov", Some(BgnPcgn)),
            ],
        ),
        entity(
            "seoul",
            Place,
            "Seoul",
            vec![
                name("Sŏul", Some(McCuneReischauer)),
                name("Keijō", Some(Other)),
                name("Kyŏngsŏng", Some(McCuneReischauer)),
            ],
        ),
        entity(
            "pyongyang",
            Place,
            "Pyongyang",
            vec![
                name("P'yŏngyang", Some(McCuneReischauer)),
                name("Pyeongyang", Some(Revised)),
                name("Phyŏngyang", Some(NorthKorean)),
            ],
        ),
        entity(
            "mao-zedong",
            Person,
            "Mao Zedong",
            vec![name("Mao Tse-tung", Some(WadeGiles)), name("Mao", None)],
        ),
        entity(
            "stalin",
            Person,
            "Joseph Stalin",
            vec![name("Stalin", None), name("Iosif Stalin", Some(BgnPcgn))],
        ),
        entity(
            "bajanov",
            Person,
            "Evgueni Bajanov",
            vec![
                name("Evgeni Bajanov", None),
                name("Evgeny Bazhanov", Some(BgnPcgn)),
                name("Bajanov", Some(French)),
                name("Bazhanov", Some(BgnPcgn)),
            ],
        ),
        entity(
            "beijing",
            Place,
            "Beijing",
            vec![name("Peking", Some(Postal)), name("Peiping", Some(Other))],
        ),
        entity("moscow", Place, "Moscow", vec![]),
    ];
    g
}

fn is_boundary(text: &str, at: usize, before: bool) -> bool {
    let c = if before {
        text.get(..at).and_then(|s| s.chars().next_back())
    } else {
        text.get(at..).and_then(|s| s.chars().next())
    };
    c.is_none_or(|c| !c.is_alphanumeric())
}

/// Test double of the recogniser: every gazetteer name, longest leftmost match.
pub(super) fn mentions(text: &str, a: &Analysis, g: &Gazetteer) -> Vec<Mention> {
    let mut all: Vec<Mention> = Vec::new();
    for (ei, e) in g.entities.iter().enumerate() {
        let forms = std::iter::once((None, e.preferred.as_str())).chain(
            e.names
                .iter()
                .enumerate()
                .map(|(i, n)| (Some(i), n.text.as_str())),
        );
        for (ni, form) in forms {
            for (at, _) in text.match_indices(form) {
                let span = Span::new(at, at + form.len());
                if is_boundary(text, span.start, true)
                    && is_boundary(text, span.end, false)
                    && !a.md.overlaps_skip(span)
                    && a.md.block_at(span.start).is_some()
                {
                    all.push(Mention {
                        span,
                        entity: ei,
                        name: ni,
                    });
                }
            }
        }
    }
    all.sort_by_key(|m| (m.span.start, std::cmp::Reverse(m.span.end)));
    let mut out: Vec<Mention> = Vec::new();
    for m in all {
        if out.last().is_none_or(|l| l.span.end <= m.span.start) {
            out.push(m);
        }
    }
    out
}

/// Analyse `text` with `g` and `config`; mentions from the test recogniser.
pub(super) fn run_with(text: &str, g: Gazetteer, config: &Config) -> (Arc<str>, Vec<Finding>) {
    let knowledge = Knowledge::new(g);
    let ctx = Context {
        config,
        knowledge: &knowledge,
    };
    let text: Arc<str> = Arc::from(text);
    let mut a = analyze(text.clone(), None, &ctx);
    a.mentions = mentions(&text, &a, &knowledge.gazetteer);
    let mut out = Vec::new();
    check(&a, &ctx, &mut out);
    crate::finding::sort(&mut out);
    (text, out)
}

pub(super) fn run(text: &str, g: Gazetteer) -> (Arc<str>, Vec<Finding>) {
    run_with(text, g, &Config::default())
}

/// One line per finding: position, code, text, message, fixes, related count.
pub(super) fn render(text: &str, findings: &[Finding]) -> String {
    let mut s = String::new();
    for f in findings {
        let (line, col) = crate::config::line_col(text, f.span.start);
        let fixes: Vec<String> = f
            .fixes
            .iter()
            .map(|x| {
                let edits: Vec<String> = x
                    .edits
                    .iter()
                    .map(|e| format!("{}→{}", e.span.slice(text), e.new_text))
                    .collect();
                format!(
                    "{}{} [{}]",
                    x.title,
                    if x.safe { " (safe)" } else { "" },
                    edits.join(", ")
                )
            })
            .collect();
        s.push_str(&format!(
            "{line}:{col} {} «{}»\n  {}\n  fixes: {}\n  related: {}\n",
            f.code,
            f.span.slice(text),
            f.message,
            fixes.join(" | "),
            f.related.len()
        ));
    }
    s
}

fn codes_and_texts(text: &str, findings: &[Finding]) -> Vec<(&'static str, String)> {
    findings
        .iter()
        .map(|f| (f.code, f.span.slice(text).to_string()))
        .collect()
}

fn fixture(path: &str) -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn bajanov_fixture_findings() {
    let src = fixture("fixtures/bajanov-1995.md");
    let (text, found) = run(&src, gazetteer());
    let got = codes_and_texts(&text, &found);
    let ocr: Vec<_> = got.iter().filter(|(c, _)| *c == OCR).collect();
    assert_eq!(ocr.len(), src.matches("Kim II Sung").count());
    assert!(ocr.iter().all(|(_, t)| t == "Kim II Sung"));
    for f in found.iter().filter(|f| f.code == OCR) {
        assert_eq!(
            f.fixes
                .first()
                .map(|x| x.edits.clone())
                .unwrap_or_default()
                .first()
                .map(|e| e.new_text.as_str()),
            Some("Kim Il Sung")
        );
    }
    let inc: Vec<_> = got.iter().filter(|(c, _)| *c == INCONSISTENT).collect();
    assert_eq!(
        inc,
        vec![&(INCONSISTENT, "Evgeni".to_string())],
        "{}",
        render(&text, &found)
    );
    insta::assert_snapshot!("bajanov", render(&text, &found));
}

#[test]
fn bajanov_fixture_without_gazetteer() {
    // Names nobody listed: the keys alone find Evgeni/Evgueni; OCR needs known names.
    let src = fixture("fixtures/bajanov-1995.md");
    let (text, found) = run(&src, Gazetteer::default());
    assert_eq!(
        codes_and_texts(&text, &found),
        vec![(INCONSISTENT, "Evgeni".to_string())],
        "{}",
        render(&text, &found)
    );
}

#[test]
fn variant_fixtures() {
    for name in [
        "korean-mixed",
        "chinese-mixed",
        "russian-mixed",
        "unlisted-names",
        "clean",
        "ocr",
    ] {
        let src = fixture(&format!("fixtures/variants/{name}.md"));
        let (text, with_g) = run(&src, gazetteer());
        let (_, without_g) = run(&src, Gazetteer::default());
        let snap = format!(
            "## with the test gazetteer\n{}\n## without a gazetteer\n{}",
            render(&text, &with_g),
            render(&text, &without_g)
        );
        insta::assert_snapshot!(name, snap);
        if name == "clean" {
            assert!(with_g.is_empty() && without_g.is_empty(), "{snap}");
        }
    }
}

#[test]
#[ignore = "timing; run with --ignored --nocapture"]
fn timing_large_document() {
    let src = fixture("fixtures/bajanov-1995.md");
    let body: String = (0..40)
        .map(|i| src.replace("Kim", &format!("Kim{}", i % 7)))
        .collect::<Vec<_>>()
        .join("\n\n");
    let t = std::time::Instant::now();
    let (_, found) = run(&body, gazetteer());
    eprintln!(
        "{} bytes: {} findings in {:?}",
        body.len(),
        found.len(),
        t.elapsed()
    );
}

#[test]
#[ignore = "timing; run with --ignored --nocapture"]
fn timing_parts() {
    let src = fixture("fixtures/bajanov-1995.md");
    let body: String = (0..40)
        .map(|i| src.replace("Kim", &format!("Kim{}", i % 7)))
        .collect::<Vec<_>>()
        .join("\n\n");
    let g = gazetteer();
    let config = Config::default();
    let knowledge = Knowledge::new(g);
    let ctx = Context {
        config: &config,
        knowledge: &knowledge,
    };
    let t = std::time::Instant::now();
    let mut a = analyze(Arc::from(body.as_str()), None, &ctx);
    eprintln!("analyze {:?}", t.elapsed());
    let t = std::time::Instant::now();
    a.mentions = mentions(&body, &a, &knowledge.gazetteer);
    eprintln!("mentions {} {:?}", a.mentions.len(), t.elapsed());
    let t = std::time::Instant::now();
    let words = romanise::words(&a.text, &a.md);
    eprintln!("words {} {:?}", words.len(), t.elapsed());
    let t = std::time::Instant::now();
    let lex = crate::names::ocr::Lexicon::new(["Kim Il Sung", "Shtykov"]);
    let d = ocr::scan_words(&a.text, &words, &lex);
    eprintln!("ocr {} {:?}", d.len(), t.elapsed());
    let t = std::time::Instant::now();
    let gr = group_grams(&grams_of(&a, &words, &apparatus::Apparatus::default()));
    eprintln!("groups {} {:?}", gr.len(), t.elapsed());
    let t = std::time::Instant::now();
    let v = votes_of(&a.text, &words);
    eprintln!("votes {} {:?}", v.len(), t.elapsed());
    let t = std::time::Instant::now();
    let md = crate::markdown::MdModel::parse(&body);
    eprintln!("markdown {} {:?}", md.blocks.len(), t.elapsed());
    let t = std::time::Instant::now();
    let mut out = Vec::new();
    check(&a, &ctx, &mut out);
    eprintln!("check {} {:?}", out.len(), t.elapsed());
}

fn config(f: impl FnOnce(&mut Config)) -> Config {
    let mut c = Config::default();
    f(&mut c);
    c
}

#[test]
fn configured_system_wins() {
    let text = "Sŏul fell in June. Sŏul fell again in January, and Seoul was retaken in March.\n";
    let c = config(|c| c.romanisation.korean = Some("revised".into()));
    let (t, found) = run_with(text, Gazetteer::default(), &c);
    let got = codes_and_texts(&t, &found);
    assert_eq!(
        got,
        vec![
            (INCONSISTENT, "Sŏul".to_string()),
            (INCONSISTENT, "Sŏul".to_string())
        ]
    );
    let f = found.first().expect("a finding");
    assert!(
        f.message.contains("configured Revised Romanization"),
        "{}",
        f.message
    );
    let all = f.fixes.get(1).expect("replace-all fix");
    assert!(!all.safe && all.edits.len() == 2, "{all:?}");
    assert!(
        all.title
            .starts_with("Replace all 2 spellings “Sŏul” with “Seoul”")
    );
    // Without configuration the majority wins.
    let (t, found) = run(text, Gazetteer::default());
    assert_eq!(
        codes_and_texts(&t, &found),
        vec![(INCONSISTENT, "Seoul".to_string())]
    );
}

#[test]
fn prefer_first_and_wade_giles() {
    let text = "Mao Zedong came. Later Mao Tse-tung left, and Mao Tse-tung wrote.\n";
    let c = config(|c| c.romanisation.prefer = Some("first".into()));
    let (t, found) = run_with(text, Gazetteer::default(), &c);
    assert_eq!(
        codes_and_texts(&t, &found),
        vec![
            (INCONSISTENT, "Tse-tung".to_string()),
            (INCONSISTENT, "Tse-tung".to_string())
        ]
    );
    let c = config(|c| c.romanisation.chinese = Some("wade-giles".into()));
    let (t, found) = run_with(
        "Mao Zedong came; Mao Zedong left; Mao Tse-tung wrote.\n",
        Gazetteer::default(),
        &c,
    );
    assert_eq!(
        codes_and_texts(&t, &found),
        vec![
            (INCONSISTENT, "Zedong".to_string()),
            (INCONSISTENT, "Zedong".to_string())
        ]
    );
}

#[test]
fn gazetteer_spelling_in_the_configured_system() {
    // Neither spelling is Revised; the gazetteer's Revised spelling is proposed.
    let text = "Orders came from P'yŏngyang. Later Pyongyang denied it.\n";
    let c = config(|c| c.romanisation.korean = Some("revised".into()));
    let (t, found) = run_with(text, gazetteer(), &c);
    assert_eq!(
        codes_and_texts(&t, &found),
        vec![
            (INCONSISTENT, "P'yŏngyang".to_string()),
            (INCONSISTENT, "Pyongyang".to_string())
        ],
        "{}",
        render(&t, &found)
    );
    assert!(found.iter().all(|f| {
        f.fixes
            .first()
            .and_then(|x| x.edits.first())
            .is_some_and(|e| e.new_text == "Pyeongyang")
    }));
}

#[test]
fn capitals_are_kept_in_fixes() {
    let text = "# Entering PEKING, 1949\n\nBeijing was quiet. In Beijing the party ruled. NATO and USSR.\n";
    let (t, found) = run(text, Gazetteer::default());
    assert_eq!(
        codes_and_texts(&t, &found),
        vec![(INCONSISTENT, "PEKING".to_string())]
    );
    let e = found
        .first()
        .and_then(|f| f.fixes.first())
        .and_then(|x| x.edits.first());
    assert_eq!(e.map(|e| e.new_text.as_str()), Some("BEIJING"));
}

#[test]
fn near_misses_stay_quiet() {
    for text in [
        "Kim Il met Kim Il Sung, and Kim Jong-il was a child. Kim Il left.\n",
        "Molotov met Malenkov. Malenkov and Molotov disagreed.\n",
        "Park Avenue was busy. Gorky Park was not. Pak Hon Yong spoke.\n",
        "The Tang dynasty is older than the Dang family. Tang and Dang.\n",
        "The delegates met. Then they left. Ten stayed behind; Thai and Then.\n",
        "Stalin and Shtykov. Stalin wrote; Shtykov answered. Kim Il Sung waited.\n",
        "World War II ended. Louis XIV and Pius II were not Kim Il Sung.\n",
        "Vyshinsky and Vyshinskaya. Ivanov and Ivanova. Evgeni and Evgenia.\n",
        "Chou the cook and Zhou Enlai.\n",
        "Leon Blum met Lon Nol? No: Leon and Lon. Louis and Luis. John and Jon.\n",
        "Soul music in Seoul. Seoul and Soul.\n",
        "`Sŏul` in code and Seoul in prose; <!-- Sŏul --> and [Seoul](http://x/Sŏul).\n",
    ] {
        for g in [Gazetteer::default(), gazetteer()] {
            let (t, found) = run(text, g);
            assert!(found.is_empty(), "{text}\n{}", render(&t, &found));
        }
    }
}

#[test]
/// The first fix of each finding ("Replace with …") makes the document consistent. These
/// fixes change a name's spelling, so none is safe (issue #12): the user applies them
/// (`--unsafe-fixes`, or the editor's action), and they must then leave nothing to fix.
fn first_fixes_make_the_document_consistent() {
    for name in [
        "korean-mixed",
        "chinese-mixed",
        "russian-mixed",
        "unlisted-names",
        "ocr",
    ] {
        let src = fixture(&format!("fixtures/variants/{name}.md"));
        let (t, found) = run(&src, gazetteer());
        assert!(!found.is_empty(), "{name}");
        let edits: Vec<Edit> = found
            .iter()
            .filter_map(|f| f.fixes.first())
            .inspect(|x| {
                assert!(
                    !x.safe,
                    "{name}: a spelling change marked safe: {}",
                    x.title
                )
            })
            .flat_map(|x| x.edits.clone())
            .collect();
        let fixed = crate::finding::apply_edits(&t, &edits);
        let (t2, again) = run(&fixed, gazetteer());
        assert!(
            again.is_empty(),
            "{name}: after fixes\n{fixed}\n{}",
            render(&t2, &again)
        );
    }
}

#[test]
fn with_real_recognizer() {
    // Depends on the real recogniser (crate::names::Recognizer): the same findings as
    // with the test recogniser are expected on the Bajanov fixture.
    let src = fixture("fixtures/bajanov-1995.md");
    let config = Config::default();
    let knowledge = Knowledge::new(gazetteer());
    let ctx = Context {
        config: &config,
        knowledge: &knowledge,
    };
    let a = analyze(Arc::from(src.as_str()), None, &ctx);
    let got: Vec<(&str, String)> = a
        .findings
        .iter()
        .filter(|f| f.code == OCR || f.code == INCONSISTENT)
        .map(|f| (f.code, f.span.slice(&a.text).to_string()))
        .collect();
    let (t, expected) = run(&src, gazetteer());
    assert_eq!(got, codes_and_texts(&t, &expected));
}

#[test]
fn odd_documents_do_not_panic() {
    for text in [
        "",
        "K",
        "Kim II",
        "Ŏ Ŭ ŏ'ŭ P' Ch'- -'",
        "Kim Il-\u{301}sung \u{306}Sŏul",
        "1l 1l 1l I1 II",
        "Mao Tse-tung-tung-tung-tung-tung",
        "Ssssssssssssssssssssssssssssssssssssssssssssssssssssss Shchshchshchshchshch",
        "|a|b|\n|-|-|\n|Sŏul|Seoul|\n",
    ] {
        let _ = run(text, gazetteer());
    }
}

#[test]
fn abbreviation_dots_are_not_spellings() {
    use super::entities::variant;
    let c = Some(System::Conventional);
    assert_eq!(
        variant(EntityKind::Organisation, ("US Army", c), ("U.S. Army", c)),
        None
    );
    assert_eq!(
        variant(
            EntityKind::Organisation,
            ("ROK Army", c),
            ("R.O.K. Army", c)
        ),
        None
    );
    // Near-miss: an apostrophe is a romanisation's mark, not punctuation.
    assert!(
        variant(
            EntityKind::Person,
            ("Ch'en Yi", Some(System::WadeGiles)),
            ("Chen Yi", Some(System::Pinyin))
        )
        .is_some()
    );
}

/// The mentions counted into place by entity are the mentions sorted.
#[test]
fn mentions_by_entity_are_the_mentions_sorted() {
    use proptest::prelude::RngExt;
    use proptest::test_runner::{RngAlgorithm, TestRng};
    let mut rng = TestRng::deterministic_rng(RngAlgorithm::ChaCha);
    for round in 0..200 {
        let n = rng.random_range(0..60usize);
        // Dense entity numbers, then sparse ones (sorted instead).
        let entities = if round % 4 == 3 { 1_000_000 } else { 40 };
        let mentions: Vec<(usize, usize, u32)> = (0..n)
            .map(|i| (rng.random_range(0..entities), i, rng.random_range(0..9u32)))
            .collect();
        let mut sorted = mentions.clone();
        sorted.sort_unstable();
        assert_eq!(
            super::entities::by_entity(mentions),
            sorted,
            "round {round}"
        );
    }
}

/// `n` paragraphs taken in turn from `paragraphs`, each ending "It was day i.": the
/// document of the names rules' keystroke tests.
pub(super) fn test_text(paragraphs: &[&str], n: usize) -> String {
    let mut text = String::new();
    for i in 0..n {
        text.push_str(
            paragraphs
                .get(i % paragraphs.len().max(1))
                .copied()
                .unwrap_or(""),
        );
        text.push_str(&format!(" It was day {i}.\n\n"));
    }
    text
}

/// The names rules on the editor's path for `text` (`memo` kept from the last
/// version), checked against a fresh pass (no memo): findings and index equal.
pub(super) fn checked_version(text: &str, memo: &NamesMemo) {
    let a = crate::analysis::analyze_str(text);
    let ctx = super::test_ctx();
    let mut out = Vec::new();
    let index = check_and_index(&a, &ctx, &mut out, true, Some(memo));
    memo.sweep();
    let mut fresh = Vec::new();
    let fresh_index = check_and_index(&a, &ctx, &mut fresh, true, None);
    assert_eq!(out, fresh, "findings of {text:.80}");
    assert_eq!(index, fresh_index, "index of {text:.80}");
}

/// Two files' name indexes hold one copy of each entity id and spelling (issue #14: a
/// workspace index or a `check` run keeps every file's index, and a collection writes
/// the same names in every file).
#[test]
fn name_indexes_share_their_texts() {
    let ctx = test_ctx();
    let index = |text: &str| crate::analysis::name_index(Arc::from(text), &ctx);
    let a = index("Kim Il Sung went to Moscow in March 1949.\n");
    let b = index("In Moscow, Stalin received Kim Il Sung.\n");
    let kim = |i: &crate::facts::NameIndex| {
        i.entities
            .iter()
            .find(|e| e.spellings.iter().any(|s| &*s.text == "Kim Il Sung"))
            .cloned()
            .expect("Kim Il Sung is indexed")
    };
    let (ka, kb) = (kim(&a), kim(&b));
    assert!(Arc::ptr_eq(&ka.id, &kb.id), "one copy of the id");
    let spelling = |e: &crate::facts::EntityNames| {
        e.spellings
            .iter()
            .find(|s| &*s.text == "Kim Il Sung")
            .map(|s| s.text.clone())
            .expect("the spelling")
    };
    assert!(
        Arc::ptr_eq(&spelling(&ka), &spelling(&kb)),
        "one copy of the spelling"
    );
}
