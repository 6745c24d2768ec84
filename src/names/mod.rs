//! Gazetteer names in prose: recognition ([`Recognizer`]), and what the editor asks
//! of a mention — hover card, definition, references, workspace symbols.

use crate::analysis::{Analysis, Context, Knowledge};
use crate::finding::Span;
use crate::gazetteer::{Entity, EntityKind, Gazetteer, Origin, System, TextProblem, edtf};
use crate::markdown::MdModel;
use std::path::PathBuf;

mod recognize;

pub use recognize::{Recognizer, fold_name};

/// A name of a gazetteer entity found in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    pub span: Span,
    /// Index into `Gazetteer::entities` (of [`knowledge_of`] the analysis).
    pub entity: usize,
    /// Which spelling matched: `None` for `Entity::preferred` (or a native-script
    /// name, see [`Mention::is_native`]), `Some(i)` for `Entity::names[i]`.
    pub name: Option<usize>,
    /// The text as written.
    pub surface: String,
}

impl Mention {
    /// The convention of the spelling used, when the gazetteer records one.
    pub fn system(&self, g: &Gazetteer) -> Option<System> {
        g.get(self.entity)
            .and_then(|e| e.spelling(self.name))
            .and_then(|n| n.system)
    }

    /// True when the mention is written in a native script (Hangul, Hanzi, Cyrillic).
    pub fn is_native(&self, g: &Gazetteer) -> bool {
        self.name.is_none()
            && g.get(self.entity).is_some_and(|e| {
                fold_name(&self.surface) != fold_name(&e.preferred)
                    && e.native
                        .iter()
                        .any(|n| fold_name(n) == fold_name(&self.surface))
            })
    }
}

/// Entities a document defines in its front matter, with the knowledge that
/// includes them (a copy of the project's plus these).
#[derive(Debug)]
pub struct DocumentEntities {
    pub knowledge: Knowledge,
    /// Problems in the front matter's `entities:`, at byte offsets of the document.
    pub problems: Vec<TextProblem>,
}

/// Read `entities:` from the document's YAML front matter, if any.
pub fn document_entities(text: &str, md: &MdModel, base: &Knowledge) -> Option<DocumentEntities> {
    let fm = md.front_matter?;
    let raw = fm.slice(text);
    // The YAML lies between the opening and the closing `---` lines.
    let open = raw.find('\n')? + 1;
    let body_end = raw
        .get(open..)?
        .rfind("\n---")
        .or_else(|| raw.get(open..)?.rfind("\n..."))
        .map(|i| open + i + 1)
        .unwrap_or(raw.len());
    let yaml = raw.get(open..body_end)?;
    if !yaml.contains("entities") {
        return None;
    }
    let base_off = fm.start + open;
    let (entities, problems) = crate::gazetteer::from_front_matter_spanned(yaml);
    if entities.is_empty() && problems.is_empty() {
        return None;
    }
    let mut g = base.gazetteer.clone();
    for (e, span) in entities {
        g.merge(
            e,
            Some(Origin {
                file: None,
                span: Span::new(span.start + base_off, span.end + base_off),
            }),
        );
    }
    let problems = problems
        .into_iter()
        .map(|p| TextProblem {
            offset: p.offset + base_off,
            message: p.message,
        })
        .collect();
    Some(DocumentEntities {
        knowledge: Knowledge::new(g),
        problems,
    })
}

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

/// Entities whose id or any name matches `query` (folded: case, diacritics and
/// hyphens ignored): exact names first, then prefixes, then substrings. An empty
/// query lists every entity.
pub fn search_entities(g: &Gazetteer, query: &str) -> Vec<usize> {
    let q = fold_name(query);
    let mut ranked: Vec<(u8, String, usize)> = Vec::new();
    for (i, e) in g.entities.iter().enumerate() {
        let mut best: Option<u8> = None;
        let names = e
            .spellings()
            .map(|(_, t)| t.to_string())
            .chain(e.native.iter().cloned())
            .chain(std::iter::once(e.id.replace('-', " ")));
        for n in names {
            let f = fold_name(&n);
            let rank = if q.is_empty() {
                Some(3)
            } else if f == q {
                Some(0)
            } else if f.starts_with(&q) {
                Some(1)
            } else if f.split(' ').any(|w| w.starts_with(&q)) {
                Some(2)
            } else if f.contains(&q) {
                Some(3)
            } else {
                None
            };
            if let Some(r) = rank {
                best = Some(best.map_or(r, |b| b.min(r)));
            }
        }
        if let Some(r) = best {
            ranked.push((r, e.preferred.to_lowercase(), i));
        }
    }
    ranked.sort();
    ranked.into_iter().map(|(_, _, i)| i).collect()
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
    if let Some(n) = e.spelling(m.name) {
        let sys = n
            .system
            .map(|s| format!(" ({})", s.label()))
            .unwrap_or_default();
        out.push_str(&format!("Written here: *{}*{sys}\n\n", md_escape(&n.text)));
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
            out.push_str(&format!("**In {}:**", year_range(&years)));
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
    a: &crate::analysis::Analysis,
    ctx: &crate::analysis::Context,
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
