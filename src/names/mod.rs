//! Gazetteer names in prose: recognition ([`Recognizer`]), and what the editor asks
//! of a mention — hover card, definition, references, workspace symbols.

pub mod ocr;
pub mod romanise;

use crate::finding::Span;
use crate::gazetteer::{Gazetteer, Origin, System, TextProblem};
use crate::markdown::MdModel;

mod cache;
mod context;
mod knowledge;
mod pack;
mod prefixes;
mod recognize;
mod strs;
pub mod suggest;

pub use context::{TITLES, surname_of, surnames};
pub use knowledge::Knowledge;
pub use recognize::{Recognizer, fold_name, is_unspaced_script};

/// A name of a gazetteer entity found in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mention {
    pub span: Span,
    /// Index into `Gazetteer::entities` (of [`knowledge_of`] the analysis).
    pub entity: usize,
    /// Which spelling matched: `None` for `Entity::preferred` (or a native-script
    /// name, see [`Mention::is_native`]), `Some(i)` for `Entity::names[i]`.
    pub name: Option<usize>,
}

impl Mention {
    /// The text as written: `span` of the analysed text (a mention holds no copy of
    /// it; an editor's version drops thousands of mentions, issue #14).
    pub fn surface<'t>(&self, text: &'t str) -> &'t str {
        self.span.slice(text)
    }

    /// The convention of the spelling used, when the gazetteer records one.
    pub fn system(&self, g: &Gazetteer) -> Option<System> {
        g.get(self.entity)
            .and_then(|e| e.spelling(self.name))
            .and_then(|n| n.system)
    }

    /// True when the mention is written in a native script (Hangul, Hanzi, Cyrillic);
    /// `text` is the analysed text.
    pub fn is_native(&self, g: &Gazetteer, text: &str) -> bool {
        let surface = self.surface(text);
        self.name.is_none()
            && g.get(self.entity).is_some_and(|e| {
                fold_name(surface) != fold_name(&e.preferred)
                    && e.native.iter().any(|n| fold_name(n) == fold_name(surface))
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

/// Read `entities:` from the document's YAML front matter, if any. The result is
/// cached (the last few front matters seen), so that typing in a document's body does
/// not rebuild the automaton.
pub fn document_entities(
    text: &str,
    md: &MdModel,
    base: &Knowledge,
) -> Option<std::sync::Arc<DocumentEntities>> {
    use std::hash::{Hash, Hasher};
    use std::sync::{Arc, Mutex};
    type Cache = Mutex<Vec<(u64, Arc<DocumentEntities>)>>;
    static CACHE: std::sync::OnceLock<Cache> = std::sync::OnceLock::new();

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

    let mut h = std::collections::hash_map::DefaultHasher::new();
    yaml.hash(&mut h);
    base_off.hash(&mut h);
    (base as *const Knowledge as usize).hash(&mut h);
    for e in &base.gazetteer.entities {
        e.id.hash(&mut h);
        e.preferred.hash(&mut h);
        for n in &e.names {
            n.text.hash(&mut h);
        }
        e.native.hash(&mut h);
    }
    let key = h.finish();
    let cache = CACHE.get_or_init(|| Mutex::new(Vec::new()));
    if let Ok(c) = cache.lock()
        && let Some((_, hit)) = c.iter().find(|(k, _)| *k == key)
    {
        return Some(hit.clone());
    }

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
    let made = Arc::new(DocumentEntities {
        knowledge: Knowledge::new(g),
        problems,
    });
    if let Ok(mut c) = cache.lock() {
        if c.len() >= 8 {
            c.remove(0);
        }
        c.push((key, made.clone()));
    }
    Some(made)
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
