//! The gazetteer: persons, places, organisations and events with their names.
//!
//! The default data (Korea 1945–1953) is embedded from `data/gazetteer/`; a project
//! adds or overrides entries with its own TOML files (`gazetteers` in annalist.toml)
//! and a document with `entities:` in its YAML front matter. See docs/gazetteer.md.

use crate::finding::Span;
/// The romanisation systems, defined below `config` (which validates their names).
pub use crate::romanisation::System;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

pub mod cache;
pub mod edtf;
pub mod import;
mod load;

pub use load::{
    ENTITY_KEYS, Source, TOO_AMBIGUOUS, TextProblem, file_problem, from_front_matter,
    from_front_matter_spanned, inside_workspace, load_project, load_sources, parse_toml,
    read_project, validate, warnings,
};

/// The embedded default data, one file per subject: (file name, text). Loaded in this
/// order; an id defined twice keeps its first index and the later entry's content.
pub const EMBEDDED_FILES: &[(&str, &str)] = &[
    (
        "persons-korea.toml",
        include_str!("../../data/gazetteer/persons-korea.toml"),
    ),
    (
        "persons-soviet.toml",
        include_str!("../../data/gazetteer/persons-soviet.toml"),
    ),
    (
        "persons-china.toml",
        include_str!("../../data/gazetteer/persons-china.toml"),
    ),
    (
        "persons-us-un.toml",
        include_str!("../../data/gazetteer/persons-us-un.toml"),
    ),
    (
        "places.toml",
        include_str!("../../data/gazetteer/places.toml"),
    ),
    (
        "organisations.toml",
        include_str!("../../data/gazetteer/organisations.toml"),
    ),
    (
        "events.toml",
        include_str!("../../data/gazetteer/events.toml"),
    ),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Place,
    Organisation,
    Event,
}

/// One way of writing an entity's name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Name {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<System>,
    /// A name that several entities bear (a surname two brothers share, a city's name
    /// that is also a province's): documented, shown on the hover card, never
    /// recognised alone. Entities may share a name only when each marks it so.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ambiguous: bool,
}

/// A role held over a period (EDTF dates; open ends allowed).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    pub title: String,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "date_text"
    )]
    pub from: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "date_text"
    )]
    pub to: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// Stable identifier, e.g. `kim-il-sung`.
    pub id: String,
    pub kind: EntityKind,
    /// The preferred display name.
    pub preferred: String,
    /// Every other spelling, with its system where known.
    #[serde(default)]
    pub names: Vec<Name>,
    /// Names in native scripts (Hangul, Hanja, Cyrillic, Chinese characters).
    #[serde(default)]
    pub native: Vec<String>,
    /// Birth or founding (EDTF).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "date_text"
    )]
    pub start: Option<String>,
    /// Death or dissolution (EDTF).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "date_text"
    )]
    pub end: Option<String>,
    #[serde(default)]
    pub roles: Vec<Role>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Things worth knowing (anachronisms, calendar notes).
    #[serde(default)]
    pub notes: Vec<String>,
    /// Where the facts come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// A Wikidata id, only where verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wikidata: Option<String>,
}

/// A date field: EDTF text, or a bare year written as a number (`start = 1949` in
/// TOML, `start: 1949` in YAML), which is kept as its text.
fn date_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    struct V;
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = Option<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an EDTF date such as \"1949-03-05\", \"1949-03\" or 1949")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(format!("{v:04}")))
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(format!("{v:04}")))
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D2: serde::Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            d.deserialize_any(V)
        }
    }
    d.deserialize_option(V)
}

/// Where an entity was defined, for go-to-definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// The gazetteer file; `None` for the document's own front matter.
    pub file: Option<PathBuf>,
    /// The entry's byte span in that file (or in the document).
    pub span: Span,
}

#[derive(Clone, Debug, Default)]
pub struct Gazetteer {
    pub entities: Vec<Entity>,
    /// Parallel to `entities`: where each was defined when not embedded. May be
    /// shorter than `entities` (missing = embedded); read it with [`Gazetteer::origin`].
    pub origins: Vec<Option<Origin>>,
    /// Parallel to `entities` (may be shorter): the built-in file an embedded entity
    /// comes from (`persons-korea.toml`, …), with its entry's span in that file.
    pub builtin: Vec<Option<(&'static str, Span)>>,
    /// Id → index, kept by [`Gazetteer::merge`] so that loading n entries costs O(n),
    /// not O(n²) (a 50,000-entry project file). Trusted only while it covers exactly
    /// `entities` (a caller may assign `entities` directly); rebuilt otherwise.
    ids: foldhash::HashMap<String, usize>,
}

impl Gazetteer {
    /// The embedded default gazetteer (Korea 1945–1953). Its validity is a test.
    pub fn embedded() -> Gazetteer {
        static EMBEDDED: std::sync::OnceLock<Gazetteer> = std::sync::OnceLock::new();
        EMBEDDED
            .get_or_init(|| {
                let mut g = Gazetteer::default();
                for (file, text) in EMBEDDED_FILES {
                    let (entities, _problems) = parse_toml(text);
                    for (e, span) in entities {
                        let i = g.merge(e, None);
                        if g.builtin.len() <= i {
                            g.builtin.resize(i + 1, None);
                        }
                        if let Some(slot) = g.builtin.get_mut(i) {
                            *slot = Some((*file, span));
                        }
                    }
                }
                g
            })
            .clone()
    }

    /// The built-in file entity `i` comes from, when it is embedded and not
    /// overridden by a project file or front matter.
    pub fn builtin_file(&self, i: usize) -> Option<(&'static str, Span)> {
        if self.origin(i).is_some() {
            return None;
        }
        self.builtin.get(i).copied().flatten()
    }

    pub fn from_entities(entities: Vec<Entity>) -> Gazetteer {
        let mut g = Gazetteer::default();
        for e in entities {
            g.merge(e, None);
        }
        g
    }

    /// Add an entity, or replace the one with the same id (keeping its index).
    /// Returns its index.
    pub fn merge(&mut self, e: Entity, origin: Option<Origin>) -> usize {
        if !self.ids_current() {
            self.ids = self
                .entities
                .iter()
                .enumerate()
                .rev()
                .map(|(i, e)| (e.id.clone(), i))
                .collect();
        }
        let i = match self.ids.get(&e.id).copied() {
            Some(i) => {
                if let Some(slot) = self.entities.get_mut(i) {
                    *slot = e;
                }
                i
            }
            None => {
                self.ids.insert(e.id.clone(), self.entities.len());
                self.entities.push(e);
                self.entities.len() - 1
            }
        };
        if self.origins.len() < self.entities.len() {
            self.origins.resize(self.entities.len(), None);
        }
        if let Some(slot) = self.origins.get_mut(i) {
            *slot = origin;
        }
        i
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        if self.ids_current() {
            return self.ids.get(id).copied();
        }
        self.entities.iter().position(|e| e.id == id)
    }

    /// Whether `ids` indexes exactly `entities` (the same count, and the first and
    /// last entities where it says): not after a direct assignment to `entities`.
    fn ids_current(&self) -> bool {
        let at = |i: usize| {
            self.entities
                .get(i)
                .is_some_and(|e| self.ids.get(&e.id) == Some(&i))
        };
        self.ids.len() == self.entities.len()
            && (self.entities.is_empty() || (at(0) && at(self.entities.len() - 1)))
    }

    pub fn get(&self, i: usize) -> Option<&Entity> {
        self.entities.get(i)
    }

    /// Where entity `i` was defined, when in a project file or front matter.
    pub fn origin(&self, i: usize) -> Option<&Origin> {
        self.origins.get(i).and_then(|o| o.as_ref())
    }
}

impl Entity {
    /// An entity with its id, kind and preferred name, and nothing else yet (no other
    /// names, dates, roles or notes): what an import or a test fills in.
    pub fn new(id: impl Into<String>, kind: EntityKind, preferred: impl Into<String>) -> Entity {
        Entity {
            id: id.into(),
            kind,
            preferred: preferred.into(),
            names: Vec::new(),
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

    /// Every spelling with its index as a [`crate::names::Mention`] reports it:
    /// `None` for the preferred name, `Some(i)` for `names[i]`.
    pub fn spellings(&self) -> impl Iterator<Item = (Option<usize>, &str)> {
        std::iter::once((None, self.preferred.as_str())).chain(
            self.names
                .iter()
                .enumerate()
                .map(|(i, n)| (Some(i), n.text.as_str())),
        )
    }

    /// The spelling a mention used.
    pub fn spelling(&self, name: Option<usize>) -> Option<&Name> {
        name.and_then(|i| self.names.get(i))
    }
}

impl EntityKind {
    pub fn label(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Place => "place",
            EntityKind::Organisation => "organisation",
            EntityKind::Event => "event",
        }
    }
}

#[cfg(test)]
mod tests;
