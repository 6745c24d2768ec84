//! `check`'s cache of per-file results, as ruff's `.ruff_cache`: an unchanged file is
//! not analysed again.
//!
//! What is cached is a file's own part only — its findings and its name index, the
//! input of the comparison across files — never a cross-file finding: the join is
//! recomputed on every run, so changing one file changes the others' cross-file
//! findings correctly.
//!
//! An entry is used only when everything its result depends on is unchanged:
//! - the **group fingerprint**: the binary (version, size and modification time of the
//!   executable), the effective configuration (after `--select`, `--rule`…), the
//!   configuration's directory, and the bytes of every project gazetteer;
//! - the **entry hash**: the file's text and its configured kind.
//!
//! A document that uses a bibliography is never cached: its findings depend on files
//! the key does not cover. Nor is standard input.
//!
//! Layout: `DIR/CACHEDIR.TAG`, `DIR/.gitignore` (`*`), and one pack per configuration
//! group, `DIR/v1/<hash of the group's place>.json`, holding the fingerprint and an
//! entry per absolute path. A pack whose fingerprint differs is ignored and replaced
//! (so stale packs do not pile up with each build). A missing, unreadable or corrupt
//! pack, or an entry naming a rule this binary does not know, is a miss, never a
//! failure; a cache that cannot be written is skipped silently. Writes go to a
//! temporary file renamed over the pack, so a concurrent run sees the old or the new.

use crate::facts::{EntityNames, NameIndex, Spelled, UnlistedName};
use crate::finding::{Finding, Fix, Related, Severity, Span};
use crate::gazetteer::{EntityKind, System};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use crate::cachedir::{DIR_NAME, ENV_DIR, Hash, Hashing, directory};
use crate::cachedir::{binary_identity, prepare, write_atomic};

/// Bumped when the pack format changes.
const FORMAT: &str = "v1";

/// The fingerprint of a configuration group: every input of a file's result except the
/// file itself. `None` when the binary cannot be identified.
pub fn group_fingerprint(config: &crate::config::Config, root: &Path) -> Option<Hash> {
    let mut h = Hashing::default();
    h.field(FORMAT.as_bytes());
    h.field(binary_identity()?.as_bytes());
    h.field(serde_json::to_string(config).ok()?.as_bytes());
    h.field(root.to_string_lossy().as_bytes());
    for g in &config.gazetteers {
        h.field(g.to_string_lossy().as_bytes());
        // An unreadable gazetteer is hashed as such (its problem is reported anyway).
        match std::fs::read(root.join(g)) {
            Ok(bytes) => h.field(b"ok").field(&bytes),
            Err(e) => h.field(b"unreadable").field(e.to_string().as_bytes()),
        };
    }
    Some(h.finish())
}

/// The hash of one file's own inputs: its text and its configured kind.
pub fn entry_hash(text: &str, kind: Option<crate::kind::DocKind>) -> Hash {
    let mut h = Hashing::default();
    h.field(format!("{kind:?}").as_bytes());
    h.field(text.as_bytes());
    h.finish()
}

/// A file's own result, as cached.
#[derive(Clone, Debug, PartialEq)]
pub struct Cached {
    pub findings: Vec<Finding>,
    pub names: NameIndex,
}

/// One configuration group's pack: read once, updated in memory, written once.
pub struct Pack {
    file: PathBuf,
    dir: PathBuf,
    fingerprint: String,
    entries: BTreeMap<String, StoredEntry>,
    changed: bool,
}

impl Pack {
    /// The pack of the group whose configuration lives at `root` (file `config`), read
    /// from `dir` when it exists and its fingerprint is `fingerprint`.
    pub fn open(dir: &Path, root: &Path, config: Option<&Path>, fingerprint: Hash) -> Pack {
        let mut place = Hashing::default();
        place.field(root.to_string_lossy().as_bytes());
        place.field(
            config
                .map(|p| p.to_string_lossy())
                .unwrap_or_default()
                .as_bytes(),
        );
        let file = dir
            .join(FORMAT)
            .join(format!("{}.json", place.finish().hex()));
        let fingerprint = fingerprint.hex();
        let entries = std::fs::read(&file)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<StoredPack>(&bytes).ok())
            .filter(|p| p.fingerprint == fingerprint)
            .map(|p| p.entries)
            .unwrap_or_default();
        Pack {
            file,
            dir: dir.to_path_buf(),
            fingerprint,
            entries,
            changed: false,
        }
    }

    /// The cached result of the file at `path` (absolute) whose inputs hash to `hash`.
    pub fn get(&self, path: &Path, hash: Hash) -> Option<Cached> {
        let e = self.entries.get(path.to_string_lossy().as_ref())?;
        if e.hash != hash.hex() {
            return None;
        }
        e.restore()
    }

    /// Remember the file at `path` with inputs `hash`: its own findings and names.
    pub fn put(&mut self, path: &Path, hash: Hash, findings: &[Finding], names: &NameIndex) {
        let key = path.to_string_lossy().into_owned();
        let hex = hash.hex();
        if self.entries.get(&key).is_some_and(|e| e.hash == hex) {
            return;
        }
        self.entries
            .insert(key, StoredEntry::new(hex, findings, names));
        self.changed = true;
    }

    /// Forget the file at `path` (its result may not be cached).
    pub fn forget(&mut self, path: &Path) {
        if self
            .entries
            .remove(path.to_string_lossy().as_ref())
            .is_some()
        {
            self.changed = true;
        }
    }

    /// Write the pack if anything changed. Failures are ignored: a cache that cannot be
    /// written only makes the next run slower.
    pub fn save(self) {
        if !self.changed {
            return;
        }
        let _ = self.write();
    }

    fn write(self) -> std::io::Result<()> {
        prepare(&self.dir)?;
        let pack = StoredPack {
            fingerprint: self.fingerprint,
            entries: self.entries,
        };
        let bytes = serde_json::to_vec(&pack).map_err(std::io::Error::other)?;
        write_atomic(&self.file, &bytes)
    }
}

// The stored forms: owned strings where the engine has `&'static str` codes, plain
// vectors where it shares `Arc`s.

#[derive(Serialize, Deserialize)]
struct StoredPack {
    fingerprint: String,
    entries: BTreeMap<String, StoredEntry>,
}

#[derive(Serialize, Deserialize)]
struct StoredEntry {
    hash: String,
    findings: Vec<StoredFinding>,
    entities: Vec<StoredEntity>,
    unlisted: Vec<StoredUnlisted>,
}

#[derive(Serialize, Deserialize)]
struct StoredFinding {
    code: String,
    severity: Severity,
    span: Span,
    message: String,
    related: Vec<Related>,
    fixes: Vec<Fix>,
}

#[derive(Serialize, Deserialize)]
struct StoredEntity {
    id: String,
    kind: EntityKind,
    spellings: Vec<StoredSpelled>,
    mixed: bool,
}

#[derive(Serialize, Deserialize)]
struct StoredSpelled {
    text: String,
    system: Option<System>,
    occs: Vec<Span>,
}

#[derive(Serialize, Deserialize)]
struct StoredUnlisted {
    lang: String,
    text: String,
    system: System,
    keys: Vec<String>,
    occs: Vec<Span>,
    mixed: bool,
}

/// The languages an unlisted name can be in, by their names.
fn language(name: &str) -> Option<crate::names::romanise::Language> {
    use crate::names::romanise::Language;
    [Language::Korean, Language::Chinese, Language::Russian]
        .into_iter()
        .find(|l| l.as_str() == name)
}

impl StoredEntry {
    fn new(hash: String, findings: &[Finding], names: &NameIndex) -> StoredEntry {
        StoredEntry {
            hash,
            findings: findings
                .iter()
                .map(|f| StoredFinding {
                    code: f.code.to_string(),
                    severity: f.severity,
                    span: f.span,
                    message: f.message.clone(),
                    related: f.related.clone(),
                    fixes: f.fixes.clone(),
                })
                .collect(),
            entities: names
                .entities
                .iter()
                .map(|e| StoredEntity {
                    id: e.id.clone(),
                    kind: e.kind,
                    spellings: e
                        .spellings
                        .iter()
                        .map(|s| StoredSpelled {
                            text: s.text.clone(),
                            system: s.system,
                            occs: s.occs.clone(),
                        })
                        .collect(),
                    mixed: e.mixed,
                })
                .collect(),
            unlisted: names
                .unlisted
                .iter()
                .map(|u| StoredUnlisted {
                    lang: u.lang.as_str().to_string(),
                    text: u.text.clone(),
                    system: u.system,
                    keys: u.keys.as_ref().clone(),
                    occs: u.occs.clone(),
                    mixed: u.mixed,
                })
                .collect(),
        }
    }

    /// The engine's form, or `None` when the entry names a rule or a language this
    /// binary does not know (then it is a miss).
    fn restore(&self) -> Option<Cached> {
        let codes = crate::rules::all();
        let findings = self
            .findings
            .iter()
            .map(|f| {
                let code = codes.iter().find(|r| r.code == f.code)?.code;
                Some(Finding {
                    code,
                    severity: f.severity,
                    span: f.span,
                    message: f.message.clone(),
                    related: f.related.clone(),
                    fixes: f.fixes.clone(),
                })
            })
            .collect::<Option<Vec<_>>>()?;
        let entities = self
            .entities
            .iter()
            .map(|e| EntityNames {
                id: e.id.clone(),
                kind: e.kind,
                spellings: e
                    .spellings
                    .iter()
                    .map(|s| Spelled {
                        text: s.text.clone(),
                        system: s.system,
                        occs: s.occs.clone(),
                    })
                    .collect(),
                mixed: e.mixed,
            })
            .collect();
        let unlisted = self
            .unlisted
            .iter()
            .map(|u| {
                Some(UnlistedName {
                    lang: language(&u.lang)?,
                    text: u.text.clone(),
                    system: u.system,
                    keys: Arc::new(u.keys.clone()),
                    occs: u.occs.clone(),
                    mixed: u.mixed,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Cached {
            findings,
            names: NameIndex { entities, unlisted },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::{Context, Knowledge};

    /// A stored result restores to exactly the engine's: findings (fixes, related
    /// places) and the name index, on documents that have all of them.
    #[test]
    fn entries_round_trip() {
        let config = crate::config::Config::default();
        let knowledge = Knowledge::embedded();
        let ctx = Context {
            config: &config,
            knowledge: &knowledge,
        };
        let texts = [
            include_str!("../../fixtures/bajanov-1995.md").to_string(),
            "Kim II Sung met Pak Hŏn-yŏng and Pak Hon-yong in Sŏul and Seoul.[^1]\n\n[^1]: x\n[^2]:\n".to_string(),
        ];
        for text in texts {
            let a = crate::analysis::analyze(Arc::from(text.as_str()), None, &ctx);
            assert!(!a.findings.is_empty());
            let c = Cached {
                findings: a.findings.clone(),
                names: a.names.clone(),
            };
            let stored = StoredEntry::new(entry_hash(&text, None).hex(), &c.findings, &c.names);
            let json = serde_json::to_vec(&stored).unwrap_or_default();
            let back: Option<StoredEntry> = serde_json::from_slice(&json).ok();
            assert_eq!(back.and_then(|b| b.restore()), Some(c));
        }
    }

    #[test]
    fn hashes_separate_fields_and_kinds() {
        let a = Hashing::default().field(b"ab").field(b"c").finish();
        let b = Hashing::default().field(b"a").field(b"bc").finish();
        assert_ne!(a, b);
        assert_ne!(
            entry_hash("x", None),
            entry_hash("x", Some(crate::kind::DocKind::Primary))
        );
        assert_eq!(entry_hash("x", None), entry_hash("x", None));
    }
}
