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
//! What is also cached, for the human format only, is how the file's own findings are
//! shown: the rendered snippets, which cost more to draw than the analysis costs to
//! read back. They are used only when everything they depend on is unchanged too: the
//! entry hash (text, kind), the group fingerprint (binary, configuration), and the
//! **render key** — the path the file is shown under and whether colour is on (the
//! renderer's width is fixed, not the terminal's; its other settings are the binary's).
//! A finding with a related place in another file is never kept rendered.
//!
//! Layout: `DIR/CACHEDIR.TAG`, `DIR/.gitignore` (`*`), and one pack per configuration
//! group, `DIR/v2/<hash of the group's place>.bin` (postcard), holding the fingerprint
//! and an entry per absolute path. A pack whose fingerprint differs is ignored and replaced
//! (so stale packs do not pile up with each build). A missing, unreadable or corrupt
//! pack, or an entry naming a rule this binary does not know, is a miss, never a
//! failure; a cache that cannot be written is skipped silently. Writes go to a
//! temporary file renamed over the pack, so a concurrent run sees the old or the new.

use crate::facts::{EntityNames, NameIndex, Spelled, UnlistedName};
use crate::finding::{Finding, Fix, Related, Severity, Span};
use crate::gazetteer::{EntityKind, System};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The cache directory's name at the project root.
pub const DIR_NAME: &str = ".annalist_cache";
/// The environment variable that moves the cache.
pub const ENV_DIR: &str = "ANNALIST_CACHE_DIR";
/// Bumped when the pack format changes (v1: JSON; v2: postcard, with rendered output).
const FORMAT: &str = "v2";

/// A 128-bit hash, from two independently keyed SipHash passes (the standard
/// library's; stable within one binary, and the binary is part of every key).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hash(u128);

impl Hash {
    fn hex(self) -> String {
        format!("{:032x}", self.0)
    }
}

/// Feeds the same bytes to two hashers started differently.
pub struct Hashing(
    std::collections::hash_map::DefaultHasher,
    std::collections::hash_map::DefaultHasher,
);

impl Default for Hashing {
    fn default() -> Self {
        let mut a = std::collections::hash_map::DefaultHasher::new();
        let mut b = std::collections::hash_map::DefaultHasher::new();
        a.write(b"annalist-cache-a");
        b.write(b"annalist-cache-b");
        Hashing(a, b)
    }
}

impl Hashing {
    /// Add one field; its length goes first, so fields cannot run into each other.
    pub fn field(&mut self, bytes: &[u8]) -> &mut Self {
        for h in [&mut self.0, &mut self.1] {
            h.write_u64(bytes.len() as u64);
            h.write(bytes);
        }
        self
    }

    pub fn finish(&self) -> Hash {
        Hash((u128::from(self.0.finish()) << 64) | u128::from(self.1.finish()))
    }
}

/// What identifies this binary: its version, and its executable's size and
/// modification time (a rebuild without a version bump must not reuse results).
/// `None` when the executable cannot be examined: then nothing is cached.
fn binary_identity() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(exe).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some(format!(
        "{} {} {}",
        env!("CARGO_PKG_VERSION"),
        meta.len(),
        modified.as_nanos()
    ))
}

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

/// Where the cache lives: `ANNALIST_CACHE_DIR` when set (and not empty), else
/// `.annalist_cache` in `project_root`.
pub fn directory(project_root: &Path) -> PathBuf {
    match std::env::var_os(ENV_DIR) {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => project_root.join(DIR_NAME),
    }
}

/// A file's own result, as cached.
#[derive(Clone, Debug, PartialEq)]
pub struct Cached {
    pub findings: Vec<Finding>,
    pub names: NameIndex,
}

/// What the human rendering of a file's own findings depends on beyond the file's
/// inputs: the path it is shown under and whether colour is on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenderKey {
    pub path: String,
    pub color: bool,
}

/// A file's own findings as the human format shows them: one per finding, in the
/// order of the cached findings; `None` for a finding not kept rendered.
pub type Rendered = Vec<Option<String>>;

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
            .join(format!("{}.bin", place.finish().hex()));
        let fingerprint = fingerprint.hex();
        let entries = std::fs::read(&file)
            .ok()
            .and_then(|bytes| postcard::from_bytes::<StoredPack>(&bytes).ok())
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
        if e.hash != hash.0 {
            return None;
        }
        e.restore()
    }

    /// The cached human rendering of the own findings of the file at `path` whose
    /// inputs hash to `hash`, when it was rendered under `key`.
    pub fn rendered(&self, path: &Path, hash: Hash, key: &RenderKey) -> Option<Rendered> {
        let e = self.entries.get(path.to_string_lossy().as_ref())?;
        let r = e.rendered.as_ref()?;
        (e.hash == hash.0 && r.key == *key && r.texts.len() == e.findings.len())
            .then(|| r.texts.clone())
    }

    /// Remember how the own findings of the file at `path` (inputs `hash`, already
    /// [`put`](Pack::put) or cached) render under `key`. Nothing happens when the entry
    /// is missing or for other inputs, or `texts` does not match its findings.
    pub fn put_rendered(&mut self, path: &Path, hash: Hash, key: RenderKey, texts: Rendered) {
        let Some(e) = self.entries.get_mut(path.to_string_lossy().as_ref()) else {
            return;
        };
        if e.hash != hash.0 || texts.len() != e.findings.len() {
            return;
        }
        let r = StoredRendered { key, texts };
        if e.rendered.as_ref() != Some(&r) {
            e.rendered = Some(r);
            self.changed = true;
        }
    }

    /// Remember the file at `path` with inputs `hash`: its own findings and names.
    pub fn put(&mut self, path: &Path, hash: Hash, findings: &[Finding], names: &NameIndex) {
        let key = path.to_string_lossy().into_owned();
        if self.entries.get(&key).is_some_and(|e| e.hash == hash.0) {
            return;
        }
        self.entries
            .insert(key, StoredEntry::new(hash.0, findings, names));
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
        if self.changed {
            let _ = self.write();
        } else {
            // Only the process's end follows: freeing thousands of entries one by one
            // would only cost time.
            std::mem::forget(self);
        }
    }

    fn write(self) -> std::io::Result<()> {
        prepare(&self.dir)?;
        let Some(parent) = self.file.parent() else {
            return Ok(());
        };
        std::fs::create_dir_all(parent)?;
        let pack = StoredPack {
            fingerprint: self.fingerprint,
            entries: self.entries,
        };
        let bytes = postcard::to_stdvec(&pack).map_err(std::io::Error::other)?;
        let tmp = parent.join(format!(
            ".{}.{}.tmp",
            self.file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            std::process::id()
        ));
        if let Err(e) =
            std::fs::write(&tmp, &bytes).and_then(|()| std::fs::rename(&tmp, &self.file))
        {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
        Ok(())
    }
}

/// Create the cache directory with its `CACHEDIR.TAG` and a `.gitignore` ignoring
/// everything in it (both written once).
fn prepare(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let tag = dir.join("CACHEDIR.TAG");
    if !tag.exists() {
        std::fs::write(
            tag,
            "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by annalist.\n# For information about cache directory tags see https://bford.info/cachedir/\n",
        )?;
    }
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        std::fs::write(ignore, "# Automatically created by annalist.\n*\n")?;
    }
    Ok(())
}

// The stored forms: owned strings where the engine has `&'static str` codes, plain
// vectors where it shares `Arc`s. Postcard writes fields in order, without names: any
// change to these types must bump `FORMAT`.

#[derive(Serialize, Deserialize)]
struct StoredPack {
    fingerprint: String,
    entries: BTreeMap<String, StoredEntry>,
}

#[derive(Serialize, Deserialize)]
struct StoredEntry {
    hash: u128,
    findings: Vec<StoredFinding>,
    entities: Vec<StoredEntity>,
    unlisted: Vec<StoredUnlisted>,
    rendered: Option<StoredRendered>,
}

#[derive(Serialize, Deserialize, PartialEq)]
struct StoredRendered {
    key: RenderKey,
    texts: Rendered,
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
    fn new(hash: u128, findings: &[Finding], names: &NameIndex) -> StoredEntry {
        StoredEntry {
            hash,
            rendered: None,
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
            let stored = StoredEntry::new(entry_hash(&text, None).0, &c.findings, &c.names);
            let bytes = postcard::to_stdvec(&stored).unwrap_or_default();
            let back: Option<StoredEntry> = postcard::from_bytes(&bytes).ok();
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
