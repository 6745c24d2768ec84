//! Tests of the names rules. Mentions come from a small test recogniser over an
//! in-test gazetteer (longest match, word boundaries, prose only), so these tests do not
//! depend on the real recogniser; `with_real_recognizer` runs the real one.

use super::*;
use crate::analysis::{Knowledge, analyze};
use crate::config::Config;
use crate::gazetteer::{Gazetteer, Name};
use crate::names::Mention;
use std::sync::Arc;

fn name(text: &str, system: Option<System>) -> Name {
    Name {
        text: text.to_string(),
        system,
    }
}

fn entity(id: &str, kind: EntityKind, preferred: &str, names: Vec<Name>) -> Entity {
    Entity {
        id: id.to_string(),
        kind,
        preferred: preferred.to_string(),
        names,
        native: Vec::new(),
        start: None,
        end: None,
        roles: Vec::new(),
        description: None,
        notes: Vec::new(),
        source: None,
        wikidata: None,
    }
}

/// A small gazetteer of the Bajanov article's actors and places.
pub(super) fn gazetteer() -> Gazetteer {
    use EntityKind::*;
    use System::*;
    Gazetteer {
        entities: vec![
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
        ],
    }
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
                        surface: form.to_string(),
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
    out.sort_by_key(|f| (f.span.start, f.span.end, f.code));
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
