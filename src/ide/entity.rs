//! Entities in the editor: the hover card (native script, dates, the office held at the
//! time the text speaks of, other spellings, notes, source), definition and references
//! of the gazetteer's people, places, bodies and events.

use crate::facts::{Analysis, Context, Knowledge};
use crate::finding::Span;
use crate::gazetteer::{Entity, EntityKind, Gazetteer, Origin, System, edtf};
use crate::markdown::MdModel;
use crate::names::Mention;
use std::path::PathBuf;

/// The knowledge an analysis's mentions index into: the document's own when its
/// front matter defines entities, else the shared one.
pub fn knowledge_of<'a>(a: &'a Analysis, ctx: &'a Context) -> &'a Knowledge {
    a.knowledge(ctx)
}

/// The mention under the cursor at byte `offset` (its end counts, as for a cursor).
pub fn entity_at(a: &Analysis, offset: usize) -> Option<&Mention> {
    let i = a.mentions.partition_point(|m| m.span.end < offset);
    a.mentions.get(i).filter(|m| m.span.touches(offset))
}

/// Every mention of entity `entity` in the document, in order.
pub fn mentions_of(a: &Analysis, entity: usize) -> impl Iterator<Item = &Mention> {
    a.mentions.iter().filter(move |m| m.entity == entity)
}

/// Where an entity is defined, for go-to-definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntityLocation {
    /// An entry of a project gazetteer file.
    File { path: PathBuf, span: Span },
    /// A span of the document itself: its front-matter entry, or else its first mention.
    Document(Span),
}

/// Definition of the entity at `offset`: its project gazetteer entry or front-matter
/// entry when it has one, else its first mention in the document (entities of the
/// embedded gazetteer have no file to open).
pub fn definition(a: &Analysis, ctx: &Context, offset: usize) -> Option<EntityLocation> {
    let m = entity_at(a, offset)?;
    let g = &a.knowledge(ctx).gazetteer;
    match g.origin(m.entity) {
        Some(Origin {
            file: Some(path),
            span,
        }) => Some(EntityLocation::File {
            path: path.clone(),
            span: *span,
        }),
        Some(Origin { file: None, span }) => Some(EntityLocation::Document(*span)),
        None => mentions_of(a, m.entity)
            .next()
            .map(|first| EntityLocation::Document(first.span)),
    }
}

/// Spans of every mention of the entity at `offset`.
pub fn references(a: &Analysis, offset: usize) -> Vec<Span> {
    match entity_at(a, offset) {
        Some(m) => mentions_of(a, m.entity).map(|m| m.span).collect(),
        None => Vec::new(),
    }
}

/// Four-digit years (1000–2099) written in the prose of `span`.
fn years_in(text: &str, md: &MdModel, span: Span) -> Vec<i32> {
    let mut out = Vec::new();
    for piece in md.prose_pieces(span) {
        let Some(s) = text.get(piece.start..piece.end) else {
            continue;
        };
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i].is_ascii_digit() {
                let start = i;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                let before_ok = start == 0 || !b[start - 1].is_ascii_alphabetic();
                let after_ok = i >= b.len() || !b[i].is_ascii_alphabetic();
                if i - start == 4
                    && before_ok
                    && after_ok
                    && let Some(Ok(y)) = s.get(start..i).map(|d| d.parse::<i32>())
                    && (1000..=2099).contains(&y)
                {
                    out.push(y);
                }
            } else {
                i += 1;
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn year_range(years: &[i32]) -> String {
    match (years.first(), years.last()) {
        (Some(a), Some(b)) if a == b => a.to_string(),
        (Some(a), Some(b)) => format!("{a}–{b}"),
        _ => String::new(),
    }
}

fn role_covers(r: &crate::gazetteer::Role, year: i32) -> bool {
    let from = r
        .from
        .as_deref()
        .and_then(|d| edtf::parse(d).ok())
        .map(|b| b.first_year())
        .unwrap_or(i32::MIN);
    let to =
        r.to.as_deref()
            .and_then(|d| edtf::parse(d).ok())
            .map(|b| b.last_year())
            .unwrap_or(i32::MAX);
    from <= year && year <= to
}

fn role_dates(r: &crate::gazetteer::Role) -> String {
    match (&r.from, &r.to) {
        (Some(a), Some(b)) if a == b => edtf::human(a),
        (Some(a), Some(b)) => format!("{} – {}", edtf::human(a), edtf::human(b)),
        (Some(a), None) => format!("from {}", edtf::human(a)),
        (None, Some(b)) => format!("until {}", edtf::human(b)),
        (None, None) => String::new(),
    }
}

fn life_dates(e: &Entity) -> Option<String> {
    let s = e.start.as_deref().map(edtf::human);
    let t = e.end.as_deref().map(edtf::human);
    Some(match (e.kind, s, t) {
        (_, Some(a), Some(b)) if a == b => a,
        (_, Some(a), Some(b)) => format!("{a} – {b}"),
        (EntityKind::Person, Some(a), None) => format!("born {a}"),
        (EntityKind::Person, None, Some(b)) => format!("died {b}"),
        (_, Some(a), None) => format!("from {a}"),
        (_, None, Some(b)) => format!("until {b}"),
        (_, None, None) => return None,
    })
}

/// Escape the few characters that would make Markdown out of plain data.
fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '|' | '\\'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The hover card of an entity as mentioned at `m`.
pub fn hover_card(a: &Analysis, g: &Gazetteer, m: &Mention) -> Option<String> {
    let e = g.get(m.entity)?;
    let mut out = String::new();
    out.push_str(&format!(
        "**{}** · {}",
        md_escape(&e.preferred),
        e.kind.label()
    ));
    if !e.native.is_empty() {
        let native: Vec<String> = e.native.iter().map(|n| md_escape(n)).collect();
        out.push_str(&format!(" · {}", native.join(" · ")));
    }
    if let Some(d) = life_dates(e) {
        out.push_str(&format!("  \n*{d}*"));
    }
    out.push_str("\n\n");

    // The spelling used here, when it is not the preferred one.
    if let Some(n) = e.spelling(m.name)
        && let Some(sys) = n.system
        && !matches!(sys, System::Conventional | System::Other)
    {
        out.push_str(&format!(
            "Written here: *{}* ({})\n\n",
            md_escape(&n.text),
            sys.label()
        ));
    }

    // Roles at the time the text speaks of: years of the paragraph, else of the document.
    if !e.roles.is_empty() {
        let block =
            a.md.block_at(m.span.start)
                .map(|b| b.span)
                .unwrap_or(m.span);
        let mut years = years_in(&a.text, &a.md, block);
        if years.is_empty() {
            years = years_in(&a.text, &a.md, Span::new(0, a.text.len()));
        }
        let current: Vec<&crate::gazetteer::Role> = e
            .roles
            .iter()
            .filter(|r| years.iter().any(|&y| role_covers(r, y)))
            .collect();
        if !current.is_empty() {
            let within: Vec<i32> = years
                .iter()
                .copied()
                .filter(|&y| current.iter().any(|r| role_covers(r, y)))
                .collect();
            out.push_str(&format!("**In {}:**", year_range(&within)));
            for r in current {
                out.push_str(&format!("\n- {} ({})", md_escape(&r.title), role_dates(r)));
            }
            out.push_str("\n\n");
        } else {
            out.push_str("**Roles:**");
            for r in &e.roles {
                out.push_str(&format!("\n- {} ({})", md_escape(&r.title), role_dates(r)));
            }
            out.push_str("\n\n");
        }
    }

    if let Some(d) = &e.description {
        out.push_str(&md_escape(d));
        out.push_str("\n\n");
    }

    // Other spellings, marking those this document uses.
    let used: Vec<Option<usize>> = mentions_of(a, m.entity).map(|x| x.name).collect();
    let mut spellings: Vec<String> = Vec::new();
    for (i, n) in e.names.iter().enumerate() {
        let sys = n.system.map(|s| s.label()).unwrap_or("");
        let here = used.contains(&Some(i));
        let label = match (sys.is_empty(), here) {
            (true, false) => String::new(),
            (true, true) => " (in this text)".to_string(),
            (false, false) => format!(" ({sys})"),
            (false, true) => format!(" ({sys}; in this text)"),
        };
        if here {
            spellings.push(format!("**{}**{label}", md_escape(&n.text)));
        } else {
            spellings.push(format!("{}{label}", md_escape(&n.text)));
        }
    }
    if !spellings.is_empty() {
        out.push_str(&format!("Also written: {}\n\n", spellings.join(" · ")));
    }

    for n in &e.notes {
        out.push_str(&format!("> {}\n\n", md_escape(n)));
    }

    let mut foot: Vec<String> = Vec::new();
    if let Some(s) = &e.source {
        foot.push(format!("Source: {}", md_escape(s)));
    }
    if let Some(w) = &e.wikidata {
        foot.push(format!("[Wikidata {w}](https://www.wikidata.org/wiki/{w})"));
    }
    if !foot.is_empty() {
        out.push_str(&format!("*{}*", foot.join(" · ")));
    }
    Some(out.trim_end().to_string())
}

/// Hover card for the mention at `offset`, if any.
pub fn hover(
    a: &crate::facts::Analysis,
    ctx: &crate::facts::Context,
    offset: usize,
) -> Option<crate::ide::HoverResult> {
    let m = entity_at(a, offset)?;
    let g = &a.knowledge(ctx).gazetteer;
    let markdown = hover_card(a, g, m)?;
    Some(crate::ide::HoverResult {
        span: m.span,
        markdown,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze;
    use crate::config::Config;
    use crate::facts::Knowledge;
    use crate::names::{document_entities, search_entities};
    use std::sync::Arc;

    const FIXTURE: &str = include_str!("../../fixtures/bajanov-1995.md");

    fn with_analysis<T>(text: &str, f: impl FnOnce(&Analysis, &Context) -> T) -> T {
        let config = Config::default();
        let knowledge = Knowledge::embedded();
        let ctx = Context {
            config: &config,
            knowledge: &knowledge,
        };
        let a = analyze(Arc::from(text), None, &ctx);
        f(&a, &ctx)
    }

    #[test]
    fn fixture_mentions_snapshot() {
        let lines = with_analysis(FIXTURE, |a, ctx| {
            let g = &a.knowledge(ctx).gazetteer;
            a.mentions
                .iter()
                .map(|m| {
                    let (line, col) = crate::config::line_col(&a.text, m.span.start);
                    format!(
                        "{line}:{col} {:?} -> {}",
                        m.surface(&a.text),
                        g.entities.get(m.entity).map_or("?", |e| e.id.as_str())
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        });
        insta::assert_snapshot!(lines);
    }

    fn hover_at(text: &str, needle: &str) -> Option<String> {
        with_analysis(text, |a, ctx| {
            let at = text.find(needle)?;
            hover(a, ctx, at + 1).map(|h| {
                assert_eq!(h.span.slice(text), needle);
                h.markdown
            })
        })
    }

    #[test]
    fn hover_cards() {
        let card = hover_at(FIXTURE, "Stalin").unwrap_or_default();
        insta::assert_snapshot!("hover_stalin", card);
        let kim = hover_at(FIXTURE, "Kim II Sung").unwrap_or_default();
        insta::assert_snapshot!("hover_kim_ocr", kim);
        let politburo = hover_at(FIXTURE, "CPSU CC Politburo").unwrap_or_default();
        assert!(politburo.contains("anachronistic"), "{politburo}");
        assert!(politburo.contains("**CPSU CC Politburo** (other; in this text)"));
    }

    #[test]
    fn hover_role_follows_the_years_of_the_paragraph() {
        let early = hover_at("In 1947 Molotov spoke.", "Molotov").unwrap_or_default();
        assert!(
            early.contains("**In 1947:**\n- People's Commissar"),
            "{early}"
        );
        assert!(!early.contains("1953-03"), "{early}");
        let late = hover_at("In 1954 Molotov spoke.", "Molotov").unwrap_or_default();
        assert!(
            late.contains("**In 1954:**\n- Minister of Foreign Affairs"),
            "{late}"
        );
        let none = hover_at("Molotov spoke.", "Molotov").unwrap_or_default();
        assert!(none.contains("**Roles:**"), "{none}");
        // Years in another paragraph count when this one has none.
        let doc =
            hover_at("In 1940 things moved.\n\nMolotov waited.", "Molotov").unwrap_or_default();
        assert!(doc.contains("**In 1940:**"), "{doc}");
        assert!(
            !doc.contains("Written here"),
            "a conventional spelling needs no remark"
        );
    }

    fn shared() -> &'static Knowledge {
        static K: std::sync::OnceLock<Knowledge> = std::sync::OnceLock::new();
        K.get_or_init(Knowledge::embedded)
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_safe(text in "(\\PC|[\\n>`'’\\-ŏŭ김金 ]){0,80}") {
            let k = shared();
            let md = MdModel::parse(&text);
            for m in k.recognizer.find(&text, &md) {
                proptest::prop_assert_eq!(text.get(m.span.start..m.span.end), Some(m.surface(&text)));
            }
            let _ = crate::gazetteer::from_front_matter(&text);
            let _ = crate::gazetteer::parse_toml(&text);
            let _ = crate::gazetteer::edtf::parse(&text);
            let _ = crate::gazetteer::edtf::human(&text);
            let _ = search_entities(&k.gazetteer, &text);
        }

        #[test]
        fn names_in_any_context(pre in "[ a-zA-Z.,;:()\\n]{0,12}", post in "[ a-zA-Z.,;:()\\n']{0,12}") {
            let k = shared();
            let text = format!("{pre}Kim Il-sung{post}");
            let md = MdModel::parse(&text);
            let found = k.recognizer.find(&text, &md);
            let ok_before = pre.chars().last().is_none_or(|c| !c.is_alphanumeric());
            let ok_after = post.chars().next().is_none_or(|c| !c.is_alphanumeric());
            let hit = found.iter().any(|m| m.surface(&text) == "Kim Il-sung");
            // Markdown can turn the context into something else (a heading marker, a
            // list); only claim a match when the name is plainly in a paragraph.
            if !ok_before || !ok_after {
                proptest::prop_assert!(!hit, "{:?}", text);
            }
        }
    }

    #[test]
    fn navigation() {
        with_analysis(FIXTURE, |a, ctx| {
            let at = FIXTURE.find("Shtykov").unwrap_or(0);
            let m = entity_at(a, at).cloned();
            let Some(m) = m else {
                panic!("no mention at Shtykov")
            };
            assert!(
                entity_at(a, at + "Shtykov".len()).is_some(),
                "cursor at the end"
            );
            assert!(entity_at(a, FIXTURE.find("bitterly").unwrap_or(0)).is_none());
            let all: Vec<&str> = mentions_of(a, m.entity)
                .map(|x| x.surface(&a.text))
                .collect();
            assert_eq!(all.len(), 4);
            assert_eq!(references(a, at).len(), 4);
            // Embedded entity: definition = first mention.
            assert_eq!(
                definition(a, ctx, at),
                Some(EntityLocation::Document(m.span))
            );
            let g = &a.knowledge(ctx).gazetteer;
            let hits = search_entities(g, "shtyk");
            assert_eq!(hits.first().copied(), Some(m.entity));
            let hits = search_entities(g, "pyongyang");
            assert_eq!(g.entities[hits[0]].id, "pyongyang");
            let hits = search_entities(g, "Mao Tse");
            assert_eq!(g.entities[hits[0]].id, "mao-zedong");
            assert_eq!(search_entities(g, "").len(), g.entities.len());
            assert!(search_entities(g, "zzzz").is_empty());
        });
    }

    #[test]
    fn front_matter_defines_entities_for_this_document() {
        let text = "---\ntitle: t\nentities:\n  - id: kovalev\n    kind: person\n    preferred: Ivan Kovalev\n    names:\n      - text: Kovalev\n  - id: stalin\n    kind: person\n    preferred: I. V. Stalin\n    names:\n      - text: Stalin\n---\n\nKovalev wrote to Stalin in Moscow.\n";
        with_analysis(text, |a, ctx| {
            let local = a.local.as_ref().map(|l| l.problems.len());
            assert_eq!(local, Some(0));
            let g = &a.knowledge(ctx).gazetteer;
            let ids: Vec<&str> = a
                .mentions
                .iter()
                .map(|m| g.entities[m.entity].id.as_str())
                .collect();
            assert_eq!(ids, ["kovalev", "stalin", "moscow"]);
            let at = text.rfind("Kovalev").unwrap_or(0);
            let Some(EntityLocation::Document(span)) = definition(a, ctx, at) else {
                panic!("definition in the front matter");
            };
            assert!(span.slice(text).starts_with("- id: kovalev"));
            let at = text.rfind("Stalin").unwrap_or(0);
            let Some(EntityLocation::Document(span)) = definition(a, ctx, at) else {
                panic!("definition in the front matter");
            };
            assert!(span.slice(text).starts_with("- id: stalin"));
            let card = hover(a, ctx, at).map(|h| h.markdown).unwrap_or_default();
            assert!(card.starts_with("**I. V. Stalin**"), "{card}");
        });
        // Typing in the body reuses the front matter's knowledge.
        let k = Knowledge::embedded();
        let one = document_entities(text, &MdModel::parse(text), &k);
        let edited = format!("{text}More text.\n");
        let two = document_entities(&edited, &MdModel::parse(&edited), &k);
        match (one, two) {
            (Some(a), Some(b)) => assert!(std::sync::Arc::ptr_eq(&a, &b)),
            _ => panic!("front matter entities expected"),
        }
        // Broken front matter entities: a problem at a document offset, analysis goes on.
        let bad = "---\nentities:\n  - id: x\n    kind: nonsense\n    preferred: Xavier Q\n---\n\nStalin.\n";
        with_analysis(bad, |a, _| {
            let p = a
                .local
                .as_ref()
                .map(|l| l.problems.clone())
                .unwrap_or_default();
            assert_eq!(p.len(), 1);
            assert!(bad[p[0].offset..].starts_with("- id: x"));
            assert_eq!(a.mentions.len(), 1);
        });
    }
}
