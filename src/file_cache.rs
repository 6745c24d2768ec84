//! The per-file result cache, as ruff's `.ruff_cache`: an unchanged file is not
//! analysed again. `check` reads and writes whole entries; the server's index of the
//! workspace's unopened files (`lsp/folder_index.rs`) reads only their name indexes and
//! writes name indexes alone for the files it had to analyse. One implementation, one
//! key, one pack per configuration group, below both front ends.
//!
//! What is cached per file is its own part only — its findings and its name index,
//! the input of the comparison across files. The comparison itself is kept once per
//! pack, for the last set of files compared ([`Pack::across`]), under a key of every
//! compared file's reported name and inputs' hash ([`across_key`]): it reads names and
//! text (suppression comments), the configuration and gazetteers (the fingerprint),
//! nothing else; so changing, adding or removing any one file compares them again.
//!
//! An entry is used only when everything its result depends on is unchanged:
//! - the **group fingerprint**: the binary (version, size and modification time of the
//!   executable), the effective configuration (after `--select`, `--rule`…, or the
//!   editor settings), the configuration's directory, and the bytes of every project
//!   gazetteer;
//! - the **entry hash**: the file's text and its configured kind.
//!
//! An entry holds a name index and, when `check` wrote it, the file's own findings; an
//! entry the server wrote (names only) is a miss for `check`, which replaces it. A
//! document that uses a bibliography never has its findings cached: they depend on
//! files the key does not cover (its names do not, and the server may keep them). Nor
//! is standard input.
//!
//! What is also cached, for `check`'s human format only, is how the file's own findings
//! are shown: the rendered snippets, which cost more to draw than the analysis costs
//! to read back. They are used only when everything they depend on is unchanged too:
//! the entry hash (text, kind), the group fingerprint (binary, configuration), and the
//! **render key** — the path the file is shown under and whether colour is on (the
//! renderer's width is fixed, not the terminal's; its other settings are the binary's).
//! A finding with a related place in another file is never kept rendered with its
//! file: with the comparison across files is kept how the human format showed each
//! compared file (an own finding's index, or a text drawn with the other files), drawn
//! for the same files, so for the same key, and colour. Each kept text carries its
//! finding's severity and whether it has a safe fix, which the summary counts. To
//! this module they are opaque texts.
//!
//! Layout: `DIR/CACHEDIR.TAG`, `DIR/.gitignore` (`*`), and one pack per configuration
//! group, `DIR/v4/<hash of the group's place>.bin` (postcard), holding the fingerprint,
//! an entry per absolute path and the comparison across files; each entry's names, findings and snippets are
//! encoded apart, so opening a pack decodes none of them (each is decoded when its file
//! is checked, on that file's thread, and the server decodes only the names). A pack
//! whose fingerprint differs is ignored and replaced (so stale packs do not pile up
//! with each build), and writing a pack removes the directories of older formats. The server, whose editor settings may change a configuration,
//! keeps such a configuration's entries in a pack of their own (a *variant* of the
//! place), so that it and `check` do not replace each other's. A missing, unreadable
//! or corrupt pack, or an entry naming a rule this binary does not know, is a miss,
//! never a failure; a cache that cannot be written is skipped silently. Writes go to a
//! temporary file renamed over the pack, so a concurrent run sees the old or the new;
//! the server merges its entries into the pack as it is on disk when it writes
//! ([`Pack::save_merged`]), so it never throws away what a `check` wrote meanwhile.

use crate::facts::{EntityNames, NameIndex, Spelled, UnlistedName};
use crate::finding::{Finding, Fix, Related, Severity, Span};
use crate::gazetteer::{EntityKind, System};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use crate::cachedir::{DIR_NAME, ENV_DIR, Hash, Hashing, directory};
use crate::cachedir::{FileBytes, binary_identity, prepare, write_atomic_by};

/// Held by [`Pack::save_merged`] from reading the pack on disk to renaming the new one.
static MERGING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Packs written by [`Pack::save_merged`] in this process, by cache directory (for
/// tests that count the rewrites of a cache).
static PACK_WRITES: std::sync::Mutex<Option<std::collections::HashMap<PathBuf, usize>>> =
    std::sync::Mutex::new(None);

/// How many packs [`Pack::save_merged`] has written into the cache directory `dir` in
/// this process.
pub fn pack_writes(dir: &Path) -> usize {
    let writes = PACK_WRITES.lock().unwrap_or_else(|e| e.into_inner());
    writes
        .as_ref()
        .and_then(|w| w.get(dir))
        .copied()
        .unwrap_or(0)
}

/// Bumped when the pack format changes (v1: JSON; v2: postcard, with rendered output;
/// v3: names and findings apart, entries of names alone; v4: the comparison across
/// files, and each rendered finding's severity and fixability).
const FORMAT: &str = "v4";

/// The directories of the formats before [`FORMAT`]: no binary that writes this format
/// reads them, so writing a pack removes them (they were left to pile up before).
const OLDER_FORMATS: [&str; 3] = ["v1", "v2", "v3"];

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
    entry_hash_of_bytes(text.as_bytes(), kind)
}

/// [`entry_hash`] of a text given as its bytes, not checked to be UTF-8: for a reader
/// that only asks whether a file is unchanged (only a text's entry can match).
pub fn entry_hash_of_bytes(text: &[u8], kind: Option<crate::kind::DocKind>) -> Hash {
    let mut h = Hashing::default();
    h.field(format!("{kind:?}").as_bytes());
    h.field(text);
    h.finish()
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
pub type Rendered = Vec<Option<(Brief, String)>>;

/// What the human format's summary counts of a finding: its severity, and whether it
/// has a safe fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Brief {
    pub severity: Severity,
    pub fixable: bool,
}

/// [`Rendered`] borrowed from the pack as read.
pub type RenderedRef<'p> = Vec<Option<(Brief, &'p str)>>;

/// One diagnostic of a file as the human format showed it, in the order shown: an
/// own finding, whose text is the file's [`Rendered`] one, or a text drawn with the
/// other files (a cross-file finding, or an own finding with a place in another file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shown<'a> {
    Own(usize),
    Drawn(Brief, std::borrow::Cow<'a, str>),
}

/// The key of the comparison across files of one group: every compared file's name
/// (as reported: it comes back in related places) and its inputs' hash, in order. The
/// comparison reads each file's name index and text (suppression comments), which its
/// inputs' hash covers, and the configuration and gazetteers, which the pack's
/// fingerprint covers; nothing else.
pub fn across_key<'a>(docs: impl IntoIterator<Item = (&'a str, Hash)>) -> Hash {
    let mut h = Hashing::default();
    h.field(b"across");
    for (name, hash) in docs {
        h.field(name.as_bytes()).field(&hash.0.to_le_bytes());
    }
    h.finish()
}

/// One configuration group's pack: read once, updated in memory, written once.
///
/// Entries stay encoded until asked for: opening a pack only finds where each one
/// lies, and each is decoded by the thread that checks its file.
pub struct Pack {
    file: PathBuf,
    dir: PathBuf,
    fingerprint: String,
    /// The pack as read; `Bytes::Read` ranges point into it.
    bytes: FileBytes,
    entries: BTreeMap<String, Slot>,
    /// The last comparison across the group's files, for the files of its key.
    across: Option<AcrossSlot>,
    changed: bool,
}

/// The comparison across files: its key ([`across_key`]), its encoded findings (a
/// `Vec<Vec<StoredFinding>>`, one list per file) and, once the human format drew
/// them, its encoded [`StoredShown`].
struct AcrossSlot {
    key: u128,
    findings: Bytes,
    shown: Option<Bytes>,
}

/// One file's entry: its inputs' hash, its encoded [`StoredNames`], its encoded
/// findings if `check` wrote it, and its encoded [`StoredRendered`] if any.
struct Slot {
    hash: u128,
    names: Bytes,
    findings: Option<Bytes>,
    rendered: Option<Bytes>,
}

/// Encoded bytes: a range of the pack as read, or new ones.
enum Bytes {
    Read(std::ops::Range<usize>),
    New(Vec<u8>),
}

impl Pack {
    /// The pack of the group whose configuration lives at `root` (file `config`), read
    /// from `dir` when it exists and its fingerprint is `fingerprint`.
    pub fn open(dir: &Path, root: &Path, config: Option<&Path>, fingerprint: Hash) -> Pack {
        Pack::open_variant(dir, root, config, "", fingerprint)
    }

    /// [`Pack::open`] a variant of the group's pack: `""` is `check`'s; the server
    /// names another when the editor settings change the configuration.
    pub fn open_variant(
        dir: &Path,
        root: &Path,
        config: Option<&Path>,
        variant: &str,
        fingerprint: Hash,
    ) -> Pack {
        let mut place = Hashing::default();
        place.field(root.to_string_lossy().as_bytes());
        place.field(
            config
                .map(|p| p.to_string_lossy())
                .unwrap_or_default()
                .as_bytes(),
        );
        place.field(variant.as_bytes());
        let file = dir
            .join(FORMAT)
            .join(format!("{}.bin", place.finish().hex()));
        let fingerprint = fingerprint.hex();
        let bytes = FileBytes::of(&file);
        let (entries, across) = slots(&bytes, &fingerprint).unwrap_or_default();
        Pack {
            file,
            dir: dir.to_path_buf(),
            fingerprint,
            bytes: if entries.is_empty() && across.is_none() {
                FileBytes::empty()
            } else {
                bytes
            },
            entries,
            across,
            changed: false,
        }
    }

    fn bytes<'p>(&'p self, b: &'p Bytes) -> &'p [u8] {
        match b {
            Bytes::Read(r) => self.bytes.get(r.clone()).unwrap_or(&[]),
            Bytes::New(v) => v,
        }
    }

    /// The slot of the file at `path` when its inputs hash to `hash`.
    fn slot(&self, path: &Path, hash: Hash) -> Option<&Slot> {
        self.entries
            .get(path.to_string_lossy().as_ref())
            .filter(|e| e.hash == hash.0)
    }

    /// The cached result of the file at `path` (absolute) whose inputs hash to `hash`:
    /// a miss when the entry has no findings (the server wrote it).
    pub fn get(&self, path: &Path, hash: Hash) -> Option<Cached> {
        let e = self.slot(path, hash)?;
        let findings: Vec<StoredFinding> =
            postcard::from_bytes(self.bytes(e.findings.as_ref()?)).ok()?;
        let names: StoredNames = postcard::from_bytes(self.bytes(&e.names)).ok()?;
        Some(Cached {
            findings: restore_findings(findings)?,
            names: names.restore()?,
        })
    }

    /// The cached own findings of the file at `path` (absolute) whose inputs hash to
    /// `hash` (its names are not decoded): a miss when the entry has none.
    pub fn findings(&self, path: &Path, hash: Hash) -> Option<Vec<Finding>> {
        let e = self.slot(path, hash)?;
        restore_findings(postcard::from_bytes(self.bytes(e.findings.as_ref()?)).ok()?)
    }

    /// Whether the file at `path` whose inputs hash to `hash` has its own findings
    /// cached (nothing is decoded).
    pub fn has_findings(&self, path: &Path, hash: Hash) -> bool {
        self.slot(path, hash).is_some_and(|e| e.findings.is_some())
    }

    /// The cached name index of the file at `path` (absolute) whose inputs hash to
    /// `hash`, from any entry (its findings, if any, are not decoded).
    pub fn names(&self, path: &Path, hash: Hash) -> Option<NameIndex> {
        let e = self.slot(path, hash)?;
        postcard::from_bytes::<StoredNames>(self.bytes(&e.names))
            .ok()?
            .restore()
    }

    /// The cached human rendering of the own findings of the file at `path` whose
    /// inputs hash to `hash`, when it was rendered under `key`.
    pub fn rendered(&self, path: &Path, hash: Hash, key: &RenderKey) -> Option<RenderedRef<'_>> {
        let e = self.slot(path, hash)?;
        let r: StoredRendered = postcard::from_bytes(self.bytes(e.rendered.as_ref()?)).ok()?;
        (r.key.path == key.path && r.key.color == key.color).then(|| {
            r.texts
                .into_iter()
                .map(|t| t.map(|(b, t)| (b, t.0)))
                .collect()
        })
    }

    /// Remember how the own findings of the file at `path` (inputs `hash`, already
    /// [`put`](Pack::put) or cached) render under `key`. Nothing happens when the entry
    /// is missing, has no findings, or is for other inputs (the caller gives one text
    /// or `None` per finding).
    pub fn put_rendered(&mut self, path: &Path, hash: Hash, key: RenderKey, texts: Rendered) {
        let Some(e) = self.slot(path, hash) else {
            return;
        };
        if e.findings.is_none() {
            return;
        }
        let stored = StoredRendered {
            key: StoredRenderKey {
                path: &key.path,
                color: key.color,
            },
            texts: texts
                .iter()
                .map(|t| t.as_ref().map(|(b, t)| (*b, Text(t))))
                .collect(),
        };
        let Ok(new) = postcard::to_stdvec(&stored) else {
            return;
        };
        if e.rendered.as_ref().map(|b| self.bytes(b)) == Some(new.as_slice()) {
            return;
        }
        if let Some(e) = self.entries.get_mut(path.to_string_lossy().as_ref()) {
            e.rendered = Some(Bytes::New(new));
            self.changed = true;
        }
    }

    /// Remember the file at `path` with inputs `hash`: its own findings and names
    /// (replacing an entry of names alone).
    pub fn put(&mut self, path: &Path, hash: Hash, findings: &[Finding], names: &NameIndex) {
        if self.slot(path, hash).is_some_and(|e| e.findings.is_some()) {
            return;
        }
        let (Ok(f), Ok(n)) = (
            postcard::to_stdvec(&store_findings(findings)),
            postcard::to_stdvec(&StoredNames::new(names)),
        ) else {
            return;
        };
        self.insert(path, hash, n, Some(f));
    }

    /// Remember the name index of the file at `path` with inputs `hash` (the server's
    /// entries: a full entry for the same inputs is kept).
    pub fn put_names(&mut self, path: &Path, hash: Hash, names: &NameIndex) {
        if self.slot(path, hash).is_some() {
            return;
        }
        let Ok(n) = postcard::to_stdvec(&StoredNames::new(names)) else {
            return;
        };
        self.insert(path, hash, n, None);
    }

    fn insert(&mut self, path: &Path, hash: Hash, names: Vec<u8>, findings: Option<Vec<u8>>) {
        self.entries.insert(
            path.to_string_lossy().into_owned(),
            Slot {
                hash: hash.0,
                names: Bytes::New(names),
                findings: findings.map(Bytes::New),
                rendered: None,
            },
        );
        self.changed = true;
    }

    /// The cached comparison across the group's files when it was made for `key`: for
    /// each file, its findings from the comparison.
    pub fn across(&self, key: Hash) -> Option<Vec<Vec<Finding>>> {
        let a = self.across.as_ref().filter(|a| a.key == key.0)?;
        let files: Vec<Vec<StoredFinding>> = postcard::from_bytes(self.bytes(&a.findings)).ok()?;
        files.into_iter().map(restore_findings).collect()
    }

    /// Remember the comparison across the group's files made for `key` (replacing the
    /// one kept, and how it was shown).
    pub fn put_across(&mut self, key: Hash, files: &[Vec<Finding>]) {
        let stored: Vec<Vec<StoredFinding>> = files.iter().map(|f| store_findings(f)).collect();
        let Ok(findings) = postcard::to_stdvec(&stored) else {
            return;
        };
        self.across = Some(AcrossSlot {
            key: key.0,
            findings: Bytes::New(findings),
            shown: None,
        });
        self.changed = true;
    }

    /// How the human format showed each file of the comparison made for `key`, in
    /// colour or not: each file's diagnostics in order (borrowed from the pack).
    pub fn across_shown(&self, key: Hash, color: bool) -> Option<Vec<Vec<Shown<'_>>>> {
        let a = self.across.as_ref().filter(|a| a.key == key.0)?;
        let s: StoredShown = postcard::from_bytes(self.bytes(a.shown.as_ref()?)).ok()?;
        (s.color == color).then(|| {
            s.files
                .into_iter()
                .map(|f| f.into_iter().map(StoredShownItem::restore).collect())
                .collect()
        })
    }

    /// Remember how the human format showed the files of the comparison kept for
    /// `key` (nothing happens when the comparison kept is for another key).
    pub fn put_across_shown(&mut self, key: Hash, color: bool, files: &[Vec<Shown>]) {
        let stored = StoredShown {
            color,
            files: files
                .iter()
                .map(|f| f.iter().map(StoredShownItem::new).collect())
                .collect(),
        };
        let Ok(new) = postcard::to_stdvec(&stored) else {
            return;
        };
        let Some(a) = self.across.as_ref().filter(|a| a.key == key.0) else {
            return;
        };
        if a.shown.as_ref().map(|b| self.bytes(b)) == Some(new.as_slice()) {
            return;
        }
        if let Some(a) = self.across.as_mut() {
            a.shown = Some(Bytes::New(new));
            self.changed = true;
        }
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

    /// Write the entries added since the pack was read into the pack as it is on disk
    /// now, if any were added: what another process wrote meanwhile is kept, but for
    /// the files this pack has new entries for — an entry of other inputs is replaced,
    /// a full entry of the same inputs is kept. For the server, whose packs live as
    /// long as its index and whose writes must not undo a `check` run in between.
    /// Failures are ignored, as in [`Pack::save`].
    pub fn save_merged(mut self) {
        // (Counted in [`pack_writes`] once written.)
        if !self.changed {
            return;
        }
        // One merge at a time in this process: two writers that both read the pack
        // before either renamed its new one would each write what they read plus their
        // own entries, and the last rename would drop the other's (the server's index
        // save, an opened document's entry and the shutdown's write race so; a test
        // lost the index's entries about one start in five).
        let _merging = MERGING.lock().unwrap_or_else(|e| e.into_inner());
        let bytes = FileBytes::of(&self.file);
        // The comparison across files on disk is kept: its key tells when it is stale.
        let (entries, across) = slots(&bytes, &self.fingerprint).unwrap_or_default();
        let mut now = Pack {
            file: self.file.clone(),
            dir: self.dir.clone(),
            fingerprint: self.fingerprint.clone(),
            bytes,
            entries,
            across,
            changed: true,
        };
        // Moved, not copied: the index's new entries are megabytes in a collection.
        let mine = std::mem::take(&mut self.entries);
        for (path, slot) in mine {
            // Only the entries this pack made; the others were read from disk.
            let Bytes::New(names) = slot.names else {
                continue;
            };
            let keep = now.entries.get(&path).is_some_and(|e| {
                e.hash == slot.hash && (e.findings.is_some() || slot.findings.is_none())
            });
            if keep {
                continue;
            }
            let part = |b: &Option<Bytes>| b.as_ref().map(|b| Bytes::New(self.bytes(b).to_vec()));
            now.entries.insert(
                path,
                Slot {
                    hash: slot.hash,
                    names: Bytes::New(names),
                    findings: part(&slot.findings),
                    rendered: part(&slot.rendered),
                },
            );
        }
        let dir = now.dir.clone();
        if now.write().is_ok() {
            let mut writes = PACK_WRITES.lock().unwrap_or_else(|e| e.into_inner());
            *writes.get_or_insert_default().entry(dir).or_default() += 1;
        }
    }

    fn write(self) -> std::io::Result<()> {
        prepare(&self.dir)?;
        for old in OLDER_FORMATS {
            // Absent in all but the first run after an upgrade; a failure only leaves
            // the old files where they were.
            let _ = std::fs::remove_dir_all(self.dir.join(old));
        }
        let pack = StoredPack {
            fingerprint: &self.fingerprint,
            entries: self
                .entries
                .iter()
                .map(|(path, e)| StoredSlot {
                    path,
                    hash: e.hash,
                    names: Blob(self.bytes(&e.names)),
                    findings: e.findings.as_ref().map(|b| Blob(self.bytes(b))),
                    rendered: e.rendered.as_ref().map(|b| Blob(self.bytes(b))),
                })
                .collect(),
            across: self.across.as_ref().map(|a| StoredAcross {
                key: a.key,
                findings: Blob(self.bytes(&a.findings)),
                shown: a.shown.as_ref().map(|b| Blob(self.bytes(b))),
            }),
        };
        write_atomic_by(&self.file, |w| {
            postcard::to_io(&pack, w)
                .map(|_| ())
                .map_err(std::io::Error::other)
        })
    }

    /// How many entries the pack holds, and how many of them have findings.
    #[cfg(test)]
    fn counts(&self) -> (usize, usize) {
        let full = self
            .entries
            .values()
            .filter(|e| e.findings.is_some())
            .count();
        (self.entries.len(), full)
    }
}

// The stored forms: owned strings where the engine has `&'static str` codes, plain
// vectors where it shares `Arc`s. Postcard writes fields in order, without names: any
// change to these types must bump `FORMAT`.

/// The pack: each entry's parts are postcard bytes of their own (decoded on demand).
#[derive(Serialize, Deserialize)]
struct StoredPack<'a> {
    fingerprint: &'a str,
    #[serde(borrow)]
    entries: Vec<StoredSlot<'a>>,
    #[serde(borrow)]
    across: Option<StoredAcross<'a>>,
}

#[derive(Serialize, Deserialize)]
struct StoredAcross<'a> {
    key: u128,
    /// A `Vec<Vec<StoredFinding>>`.
    #[serde(borrow)]
    findings: Blob<'a>,
    /// A [`StoredShown`].
    #[serde(borrow)]
    shown: Option<Blob<'a>>,
}

#[derive(Serialize, Deserialize)]
struct StoredSlot<'a> {
    path: &'a str,
    hash: u128,
    /// A [`StoredNames`].
    #[serde(borrow)]
    names: Blob<'a>,
    /// A `Vec<StoredFinding>`; none in an entry of names alone.
    #[serde(borrow)]
    findings: Option<Blob<'a>>,
    #[serde(borrow)]
    rendered: Option<Blob<'a>>,
}

/// Bytes written as one length-prefixed run and read back borrowed from the pack.
struct Blob<'a>(&'a [u8]);

impl Serialize for Blob<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(self.0)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Blob<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <&'de [u8]>::deserialize(d).map(Blob)
    }
}

/// Text written as a string and read back borrowed from the pack (serde's `borrow`
/// does not reach inside an `Option` or a `Vec`).
struct Text<'a>(&'a str);

impl Serialize for Text<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        <&'de str>::deserialize(d).map(Text)
    }
}

/// The entries of a pack and its comparison across files.
type Slots = (BTreeMap<String, Slot>, Option<AcrossSlot>);

/// Where each entry of `bytes` (a pack) lies, when the pack is one and its
/// fingerprint is `fingerprint`.
fn slots(bytes: &[u8], fingerprint: &str) -> Option<Slots> {
    let pack: StoredPack = postcard::from_bytes(bytes).ok()?;
    if pack.fingerprint != fingerprint {
        return None;
    }
    // A blob borrowed from `bytes`: its range in them.
    let base = bytes.as_ptr() as usize;
    let range = |b: &Blob| -> Option<std::ops::Range<usize>> {
        let start = (b.0.as_ptr() as usize).checked_sub(base)?;
        let end = start.checked_add(b.0.len())?;
        (end <= bytes.len()).then_some(start..end)
    };
    let read = |b: &Option<Blob>| -> Option<Option<Bytes>> {
        match b {
            Some(b) => Some(Some(Bytes::Read(range(b)?))),
            None => Some(None),
        }
    };
    let across = match &pack.across {
        Some(a) => Some(AcrossSlot {
            key: a.key,
            findings: Bytes::Read(range(&a.findings)?),
            shown: read(&a.shown)?,
        }),
        None => None,
    };
    let entries = pack
        .entries
        .iter()
        .map(|e| {
            Some((
                e.path.to_string(),
                Slot {
                    hash: e.hash,
                    names: Bytes::Read(range(&e.names)?),
                    findings: read(&e.findings)?,
                    rendered: read(&e.rendered)?,
                },
            ))
        })
        .collect::<Option<_>>()?;
    Some((entries, across))
}

#[derive(Serialize, Deserialize)]
struct StoredNames {
    entities: Vec<StoredEntity>,
    unlisted: Vec<StoredUnlisted>,
}

#[derive(Serialize, Deserialize)]
struct StoredRendered<'a> {
    #[serde(borrow)]
    key: StoredRenderKey<'a>,
    #[serde(borrow)]
    texts: Vec<Option<(Brief, Text<'a>)>>,
}

#[derive(Serialize, Deserialize)]
struct StoredRenderKey<'a> {
    path: &'a str,
    color: bool,
}

/// How the human format showed the files of one comparison across files.
#[derive(Serialize, Deserialize)]
struct StoredShown<'a> {
    color: bool,
    #[serde(borrow)]
    files: Vec<Vec<StoredShownItem<'a>>>,
}

#[derive(Serialize, Deserialize)]
enum StoredShownItem<'a> {
    Own(u32),
    Drawn(Brief, #[serde(borrow)] Text<'a>),
}

impl<'a> StoredShownItem<'a> {
    fn new(s: &'a Shown) -> StoredShownItem<'a> {
        match s {
            // More than 2^32 findings in one file cannot be indexed: never shown again
            // from the cache (the file's own texts do not go that far).
            Shown::Own(i) => StoredShownItem::Own(u32::try_from(*i).unwrap_or(u32::MAX)),
            Shown::Drawn(b, t) => StoredShownItem::Drawn(*b, Text(t)),
        }
    }

    fn restore(self) -> Shown<'a> {
        match self {
            StoredShownItem::Own(i) => Shown::Own(i as usize),
            StoredShownItem::Drawn(b, t) => Shown::Drawn(b, std::borrow::Cow::Borrowed(t.0)),
        }
    }
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

fn store_findings(findings: &[Finding]) -> Vec<StoredFinding> {
    findings
        .iter()
        .map(|f| StoredFinding {
            code: f.code.to_string(),
            severity: f.severity,
            span: f.span,
            message: f.message.clone(),
            related: f.related.clone(),
            fixes: f.fixes.clone(),
        })
        .collect()
}

/// The engine's findings, or `None` when one names a rule this binary does not know
/// (then the entry is a miss).
fn restore_findings(findings: Vec<StoredFinding>) -> Option<Vec<Finding>> {
    let codes = crate::rules::all();
    findings
        .into_iter()
        .map(|f| {
            let code = codes.iter().find(|r| r.code == f.code)?.code;
            Some(Finding {
                code,
                severity: f.severity,
                span: f.span,
                message: f.message,
                related: f.related,
                fixes: f.fixes,
            })
        })
        .collect()
}

impl StoredNames {
    fn new(names: &NameIndex) -> StoredNames {
        StoredNames {
            entities: names
                .entities
                .iter()
                .map(|e| StoredEntity {
                    id: e.id.to_string(),
                    kind: e.kind,
                    spellings: e
                        .spellings
                        .iter()
                        .map(|s| StoredSpelled {
                            text: s.text.to_string(),
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
                    text: u.text.to_string(),
                    system: u.system,
                    keys: u.keys.as_ref().clone(),
                    occs: u.occs.clone(),
                    mixed: u.mixed,
                })
                .collect(),
        }
    }

    /// The engine's form, or `None` when the entry names a language this binary does
    /// not know (then it is a miss).
    fn restore(self) -> Option<NameIndex> {
        let entities = self
            .entities
            .into_iter()
            .map(|e| EntityNames {
                id: crate::facts::shared_text(&e.id),
                kind: e.kind,
                spellings: e
                    .spellings
                    .into_iter()
                    .map(|s| Spelled {
                        text: crate::facts::shared_text(&s.text),
                        system: s.system,
                        occs: s.occs,
                    })
                    .collect(),
                mixed: e.mixed,
            })
            .collect();
        let unlisted = self
            .unlisted
            .into_iter()
            .map(|u| {
                Some(UnlistedName {
                    lang: language(&u.lang)?,
                    text: crate::facts::shared_text(&u.text),
                    system: u.system,
                    keys: Arc::new(u.keys),
                    occs: u.occs,
                    mixed: u.mixed,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(NameIndex { entities, unlisted })
    }
}

#[cfg(test)]
mod tests;
