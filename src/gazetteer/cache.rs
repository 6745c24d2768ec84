//! The gazetteer's part of the cached project knowledge (`names/cache.rs` writes and
//! reads the file): the key of a load — a hash of every input — and the loaded
//! gazetteer and its problems in a stored form.
//!
//! The stored form is written with postcard, which is not self-describing: it needs
//! every field written, in order, so the model's types (whose serde attributes skip
//! empty fields and read dates written as numbers, for TOML and YAML) have plain
//! stored twins here.

use super::{EMBEDDED_FILES, Entity, EntityKind, Gazetteer, Name, Origin, Role, Source, System};
use crate::cachedir::{Hash, Hashing, binary_identity};
use crate::config::FileProblem;
use crate::finding::Span;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Bumped when the stored form, or what a load makes of its inputs, changes without
/// the binary changing (the binary's identity is in the key too).
pub(crate) const FORMAT: &str = "annalist gazetteer cache 3";

/// The key of loading `sources` (the project gazetteers of the configuration in
/// `config_dir`): the format, this binary's identity, the built-in data, the
/// configuration's directory, and per file its path as configured and as found, and
/// its bytes (or why it could not be read). `None` when the binary cannot be
/// identified: then nothing is cached.
pub fn inputs_hash(config_dir: &Path, sources: &[Source]) -> Option<Hash> {
    let mut h = Hashing::default();
    h.field(FORMAT.as_bytes());
    h.field(binary_identity()?.as_bytes());
    for (name, text) in EMBEDDED_FILES {
        h.field(name.as_bytes()).field(text.as_bytes());
    }
    h.field(config_dir.to_string_lossy().as_bytes());
    for s in sources {
        h.field(s.rel.to_string_lossy().as_bytes());
        match &s.read {
            Ok((path, text)) => h
                .field(b"read")
                .field(path.to_string_lossy().as_bytes())
                .field(text.as_bytes()),
            Err(p) => h
                .field(b"unread")
                .field(p.path.to_string_lossy().as_bytes())
                .field(p.message.as_bytes()),
        };
    }
    Some(h.finish())
}

/// Entities per stored chunk: the chunks are encoded and decoded in parallel.
const CHUNK: usize = 2048;

/// A loaded gazetteer and the problems met loading it, as stored.
#[derive(Serialize, Deserialize)]
pub struct Stored<'a> {
    /// The entities in chunks of [`CHUNK`], each chunk the postcard bytes of a list
    /// of [`StoredEntity`]: decoded side by side on a warm start, where one list
    /// decoded on one thread was the longest step.
    #[serde(borrow)]
    entities: Vec<Chunk<'a>>,
    /// The files entities come from; an origin names one by its index here.
    files: Vec<PathBuf>,
    origins: Vec<Option<(Option<u32>, Span)>>,
    /// The built-in file (index into [`EMBEDDED_FILES`]) and span of each entity.
    builtin: Vec<Option<(u8, Span)>>,
    problems: Vec<(PathBuf, usize, usize, String)>,
}

/// One chunk of stored entities: written as bytes, read back borrowed from the
/// file's bytes (not copied, nor read a byte at a time as a list of numbers).
struct Chunk<'a>(std::borrow::Cow<'a, [u8]>);

impl Serialize for Chunk<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&self.0)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Chunk<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Chunk<'a>, D::Error> {
        <&'de [u8]>::deserialize(d).map(|b| Chunk(std::borrow::Cow::Borrowed(b)))
    }
}

/// [`StoredEntity`] borrowing the entity it is written from (the same fields, so
/// the same bytes): storing does not copy the gazetteer first.
#[derive(Serialize)]
struct StoredEntityRef<'a> {
    id: &'a str,
    kind: EntityKind,
    preferred: &'a str,
    names: Vec<(&'a str, Option<System>, bool)>,
    native: &'a [String],
    start: Option<&'a str>,
    end: Option<&'a str>,
    roles: Vec<(&'a str, Option<&'a str>, Option<&'a str>)>,
    description: Option<&'a str>,
    notes: &'a [String],
    source: Option<&'a str>,
    wikidata: Option<&'a str>,
}

#[derive(Deserialize)]
struct StoredEntity {
    id: String,
    kind: EntityKind,
    preferred: String,
    names: Vec<(String, Option<System>, bool)>,
    native: Vec<String>,
    start: Option<String>,
    end: Option<String>,
    roles: Vec<(String, Option<String>, Option<String>)>,
    description: Option<String>,
    notes: Vec<String>,
    source: Option<String>,
    wikidata: Option<String>,
}

impl Stored<'_> {
    /// The stored form of `g` and `problems`; `None` when it cannot be stored (more
    /// files or built-in files than an index holds, or an entity postcard cannot write).
    pub fn new(g: &Gazetteer, problems: &[FileProblem]) -> Option<Stored<'static>> {
        use rayon::prelude::*;
        let mut files: Vec<PathBuf> = Vec::new();
        let mut origins = Vec::with_capacity(g.origins.len());
        for o in &g.origins {
            let Some(o) = o else {
                origins.push(None);
                continue;
            };
            let file = match &o.file {
                None => None,
                Some(f) => Some(match files.iter().rposition(|x| x == f) {
                    Some(i) => u32::try_from(i).ok()?,
                    None => {
                        files.push(f.clone());
                        u32::try_from(files.len() - 1).ok()?
                    }
                }),
            };
            origins.push(Some((file, o.span)));
        }
        let mut builtin = Vec::with_capacity(g.builtin.len());
        for b in &g.builtin {
            builtin.push(match b {
                None => None,
                Some((name, span)) => {
                    let i = EMBEDDED_FILES.iter().position(|(n, _)| n == name)?;
                    Some((u8::try_from(i).ok()?, *span))
                }
            });
        }
        let entities = g
            .entities
            .par_chunks(CHUNK)
            .map(|chunk| {
                let refs: Vec<StoredEntityRef> = chunk.iter().map(StoredEntityRef::from).collect();
                postcard::to_stdvec(&refs)
                    .ok()
                    .map(|b| Chunk(std::borrow::Cow::Owned(b)))
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Stored {
            entities,
            files,
            origins,
            builtin,
            problems: problems
                .iter()
                .map(|p| (p.path.clone(), p.line, p.column, p.message.clone()))
                .collect(),
        })
    }

    /// The gazetteer and problems again; `None` when an index points nowhere (a
    /// damaged cache: a miss).
    pub fn restore(self) -> Option<(Gazetteer, Vec<FileProblem>)> {
        use rayon::prelude::*;
        let Stored {
            entities,
            files,
            origins,
            builtin,
            problems,
        } = self;
        let mut restored_origins = Vec::with_capacity(origins.len());
        for o in origins {
            restored_origins.push(match o {
                None => None,
                Some((file, span)) => Some(Origin {
                    file: match file {
                        None => None,
                        Some(i) => Some(files.get(usize::try_from(i).ok()?)?.clone()),
                    },
                    span,
                }),
            });
        }
        let mut restored_builtin = Vec::with_capacity(builtin.len());
        for b in builtin {
            restored_builtin.push(match b {
                None => None,
                Some((i, span)) => Some((EMBEDDED_FILES.get(usize::from(i))?.0, span)),
            });
        }
        let chunks: Vec<Vec<Entity>> = entities
            .par_iter()
            .map(|chunk| {
                let stored: Vec<StoredEntity> = postcard::from_bytes(&chunk.0).ok()?;
                Some(stored.into_iter().map(Entity::from).collect())
            })
            .collect::<Option<_>>()?;
        let entities: Vec<Entity> = chunks.into_iter().flatten().collect();
        if restored_origins.len() > entities.len() || restored_builtin.len() > entities.len() {
            return None;
        }
        let ids = entities
            .iter()
            .enumerate()
            .rev()
            .map(|(i, e)| (e.id.clone(), i))
            .collect();
        let g = Gazetteer {
            entities,
            origins: restored_origins,
            builtin: restored_builtin,
            ids,
        };
        let problems = problems
            .into_iter()
            .map(|(path, line, column, message)| FileProblem {
                path,
                line,
                column,
                message,
            })
            .collect();
        Some((g, problems))
    }
}

impl<'a> From<&'a Entity> for StoredEntityRef<'a> {
    fn from(e: &'a Entity) -> StoredEntityRef<'a> {
        StoredEntityRef {
            id: &e.id,
            kind: e.kind,
            preferred: &e.preferred,
            names: e
                .names
                .iter()
                .map(|n| (n.text.as_str(), n.system, n.ambiguous))
                .collect(),
            native: &e.native,
            start: e.start.as_deref(),
            end: e.end.as_deref(),
            roles: e
                .roles
                .iter()
                .map(|r| (r.title.as_str(), r.from.as_deref(), r.to.as_deref()))
                .collect(),
            description: e.description.as_deref(),
            notes: &e.notes,
            source: e.source.as_deref(),
            wikidata: e.wikidata.as_deref(),
        }
    }
}

impl From<StoredEntity> for Entity {
    fn from(e: StoredEntity) -> Entity {
        Entity {
            id: e.id,
            kind: e.kind,
            preferred: e.preferred,
            names: e
                .names
                .into_iter()
                .map(|(text, system, ambiguous)| Name {
                    text,
                    system,
                    ambiguous,
                })
                .collect(),
            native: e.native,
            start: e.start,
            end: e.end,
            roles: e
                .roles
                .into_iter()
                .map(|(title, from, to)| Role { title, from, to })
                .collect(),
            description: e.description,
            notes: e.notes,
            source: e.source,
            wikidata: e.wikidata,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gazetteer() -> (Gazetteer, Vec<FileProblem>) {
        let mut g = Gazetteer::embedded();
        let mut e = Entity::new("zz-test", EntityKind::Person, "Zed Testov");
        e.names.push(Name {
            text: "Testov".into(),
            system: Some(System::Other),
            ambiguous: true,
        });
        e.start = Some("1901".into());
        e.roles.push(Role {
            title: "Clerk".into(),
            from: None,
            to: Some("1950-06".into()),
        });
        g.merge(
            e,
            Some(Origin {
                file: Some(PathBuf::from("/p/extra.toml")),
                span: Span::new(3, 40),
            }),
        );
        let problems = vec![FileProblem {
            path: PathBuf::from("/p/extra.toml"),
            line: 2,
            column: 5,
            message: "m".into(),
        }];
        (g, problems)
    }

    #[test]
    fn a_stored_gazetteer_restores_as_it_was() {
        let (g, problems) = gazetteer();
        let stored = Stored::new(&g, &problems).unwrap_or_else(|| panic!("not stored"));
        let bytes = postcard::to_stdvec(&stored).unwrap_or_else(|e| panic!("{e}"));
        let back: Stored = postcard::from_bytes(&bytes).unwrap_or_else(|e| panic!("{e}"));
        let (h, ps) = back.restore().unwrap_or_else(|| panic!("not restored"));
        assert_eq!(h.entities, g.entities);
        assert_eq!(h.origins, g.origins);
        assert_eq!(h.builtin, g.builtin);
        assert_eq!(ps, problems);
        let i = g.index_of("zz-test");
        assert!(i.is_some());
        assert_eq!(h.index_of("zz-test"), i);
        assert_eq!(h.index_of("kim-il-sung"), g.index_of("kim-il-sung"));
    }

    #[test]
    fn an_index_pointing_nowhere_is_not_restored() {
        let (g, problems) = gazetteer();
        let mut stored = Stored::new(&g, &problems).unwrap_or_else(|| panic!("not stored"));
        stored.files.clear();
        assert!(stored.restore().is_none());
        let mut stored = Stored::new(&g, &problems).unwrap_or_else(|| panic!("not stored"));
        if let Some(Some(b)) = stored.builtin.first_mut() {
            b.0 = u8::MAX;
        }
        assert!(stored.restore().is_none());
    }
}
