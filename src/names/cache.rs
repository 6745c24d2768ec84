//! The project knowledge cache: what loading a configuration's project gazetteers
//! produced — the merged gazetteer, the problems met, and the recognizer (every name
//! folded and sorted, the surname index) — kept in the project's cache directory so
//! that the next start reads it instead of parsing the TOML and folding the names
//! again — and the OCR lexicon (the names and their words).
//!
//! Only a configuration with project gazetteers is cached. One file per
//! configuration directory, `DIR/gazetteer/<hash of the directory>.bin`:
//! the magic bytes, the key ([`crate::gazetteer::cache::inputs_hash`]: this binary,
//! the built-in data, every gazetteer file's path and bytes), a checksum of the rest,
//! then the gazetteer, the recognizer and the lexicon, each a length and its postcard
//! bytes. A file
//! whose key differs is a miss and is replaced; a missing, unreadable, truncated or
//! corrupt one (wrong magic, checksum, encoding, or an index out of range) is a miss
//! too; a cache that cannot be written is skipped. Never an error, never a panic.

use super::{Knowledge, Recognizer, ocr::Lexicon};
use crate::cachedir::{Hash, Hashing};
use crate::config::{Config, FileProblem};
use crate::gazetteer::{self, cache::Stored};
use std::path::{Path, PathBuf};
use std::sync::Arc;

const MAGIC: &[u8; 8] = b"ANLGAZ02";

/// Load the knowledge of the configuration in `config_dir`: from `cache` (the cache
/// directory) when it holds this very load, else from the files, then stored there.
/// No cache directory: loaded from the files, nothing written. The cache is written
/// on a thread of its own ([`crate::cachedir::write_later`]): the caller goes on at
/// once, and waits with [`crate::cachedir::wait_for_writes`] before it exits.
pub fn load(
    config_dir: &Path,
    config: &Config,
    cache: Option<&Path>,
) -> (Arc<Knowledge>, Vec<FileProblem>) {
    let sources = gazetteer::read_project(config_dir, config);
    // Without project gazetteers there is nothing of the project's to keep: the
    // built-in knowledge is the binary's own, read from its pack.
    if sources.is_empty() {
        return (super::pack::shared(), Vec::new());
    }
    let place = cache.and_then(|dir| {
        let key = gazetteer::cache::inputs_hash(config_dir, &sources)?;
        Some((dir, file_for(dir, config_dir), key))
    });
    if let Some((_, file, key)) = &place
        && let Some((k, problems)) = read(file, *key)
    {
        return (Arc::new(k), problems);
    }
    let (g, problems) = gazetteer::load_sources(&sources);
    drop(sources);
    let knowledge = Arc::new(Knowledge::new(g));
    if let Some((dir, file, key)) = place {
        let (dir, k, stored_problems) = (dir.to_path_buf(), knowledge.clone(), problems.clone());
        crate::cachedir::write_later(move || {
            // A cache that cannot be written only makes the next start slower.
            let _ = write(&dir, &file, key, &k, &stored_problems);
        });
    }
    (knowledge, problems)
}

/// The cache file of the configuration in `config_dir`.
pub fn file_for(cache_dir: &Path, config_dir: &Path) -> PathBuf {
    let mut h = Hashing::default();
    h.field(config_dir.to_string_lossy().as_bytes());
    cache_dir
        .join("gazetteer")
        .join(format!("{}.bin", h.finish().hex()))
}

/// The checksum of a file's payload.
fn checksum(payload: &[u8]) -> Hash {
    let mut h = Hashing::default();
    h.field(payload);
    h.finish()
}

fn write(
    dir: &Path,
    file: &Path,
    key: Hash,
    k: &Knowledge,
    problems: &[FileProblem],
) -> std::io::Result<()> {
    let bytes = encode(key, k, problems)?;
    crate::cachedir::prepare(dir)?;
    crate::cachedir::write_atomic(file, &bytes)
}

/// The bytes of a knowledge file: the magic, `key`, the payload's checksum, then the
/// gazetteer with `problems`, the recognizer and the lexicon (also the embedded
/// knowledge's pack, `names/pack.rs`).
pub(super) fn encode(
    key: Hash,
    k: &Knowledge,
    problems: &[FileProblem],
) -> std::io::Result<Vec<u8>> {
    let stored = Stored::new(&k.gazetteer, problems)
        .ok_or_else(|| std::io::Error::other("the gazetteer cannot be stored"))?;
    let (g, (r, l)) = rayon::join(
        || postcard::to_stdvec(&stored),
        || {
            (
                postcard::to_stdvec(&k.recognizer),
                postcard::to_stdvec(&k.lexicon),
            )
        },
    );
    let (g, r, l) = (
        g.map_err(std::io::Error::other)?,
        r.map_err(std::io::Error::other)?,
        l.map_err(std::io::Error::other)?,
    );
    let mut payload = Vec::with_capacity(g.len() + r.len() + l.len() + 24);
    for section in [&g, &r, &l] {
        payload.extend_from_slice(&(section.len() as u64).to_le_bytes());
        payload.extend_from_slice(section);
    }
    let mut bytes = Vec::with_capacity(payload.len() + 40);
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&key.0.to_le_bytes());
    bytes.extend_from_slice(&checksum(&payload).0.to_le_bytes());
    bytes.extend_from_slice(&payload);
    Ok(bytes)
}

/// The knowledge and problems stored in `file` under `key`; `None` for any miss.
fn read(file: &Path, key: Hash) -> Option<(Knowledge, Vec<FileProblem>)> {
    let bytes = std::fs::read(file).ok()?;
    decode(&bytes, key)
}

/// Split off the first `n` bytes.
fn take(bytes: &[u8], n: usize) -> Option<(&[u8], &[u8])> {
    (bytes.len() >= n).then(|| bytes.split_at(n))
}

fn u128_at(bytes: &[u8]) -> Option<u128> {
    Some(u128::from_le_bytes(bytes.try_into().ok()?))
}

/// One section: its length, then its bytes.
fn section(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let (len, rest) = take(bytes, 8)?;
    let len = usize::try_from(u64::from_le_bytes(len.try_into().ok()?)).ok()?;
    take(rest, len)
}

/// The knowledge and problems of [`encode`]'s `bytes` made under `key`; `None` for any
/// difference or damage.
pub(super) fn decode(bytes: &[u8], key: Hash) -> Option<(Knowledge, Vec<FileProblem>)> {
    let (magic, rest) = take(bytes, MAGIC.len())?;
    if magic != MAGIC {
        return None;
    }
    let (stored_key, rest) = take(rest, 16)?;
    if u128_at(stored_key)? != key.0 {
        return None;
    }
    let (sum, payload) = take(rest, 16)?;
    if u128_at(sum)? != checksum(payload).0 {
        return None;
    }
    let (g, rest) = section(payload)?;
    let (r, rest) = section(rest)?;
    let (l, rest) = section(rest)?;
    if !rest.is_empty() {
        return None;
    }
    // Three independent decodes, shared among the threads there are.
    let ((restored, recognizer), lexicon) = rayon::join(
        || {
            rayon::join(
                || postcard::from_bytes::<Stored>(g).ok()?.restore(),
                || postcard::from_bytes::<Recognizer>(r).ok(),
            )
        },
        || postcard::from_bytes::<Lexicon>(l).ok(),
    );
    let ((gazetteer, problems), recognizer, lexicon) = (restored?, recognizer?, lexicon?);
    if !recognizer.fits(&gazetteer) {
        return None;
    }
    Some((
        Knowledge {
            gazetteer,
            recognizer,
            lexicon,
        },
        problems,
    ))
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A project with one gazetteer file, its configuration and a cache directory.
    fn project() -> (tempfile::TempDir, Config, PathBuf) {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(
            dir.path().join("extra.toml"),
            "[[entity]]\nid = \"zz-testov\"\nkind = \"person\"\npreferred = \"Zakhar Testovich\"\nnames = [{ text = \"Z. Testovich\", system = \"other\" }]\n\n[[entity]]\nid = \"bad id\"\nkind = \"place\"\npreferred = \"Testgrad\"\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let config = Config {
            gazetteers: vec![PathBuf::from("extra.toml")],
            ..Config::default()
        };
        let cache = dir.path().join(crate::cachedir::DIR_NAME);
        (dir, config, cache)
    }

    /// [`load`], its cache written before it returns.
    fn load_now(
        config_dir: &Path,
        config: &Config,
        cache: Option<&Path>,
    ) -> (Arc<Knowledge>, Vec<FileProblem>) {
        let loaded = load(config_dir, config, cache);
        crate::cachedir::wait_for_writes();
        loaded
    }

    /// The names `k` finds in `text`: where, which entity, which spelling.
    pub(in crate::names) fn found_in(
        k: &Knowledge,
        text: &str,
    ) -> Vec<(crate::finding::Span, usize, Option<usize>)> {
        let md = crate::markdown::MdModel::parse(text);
        k.recognizer
            .find(text, &md)
            .into_iter()
            .map(|m| (m.span, m.entity, m.name))
            .collect()
    }

    fn same(a: &(Arc<Knowledge>, Vec<FileProblem>), b: &(Arc<Knowledge>, Vec<FileProblem>)) {
        assert_eq!(a.0.gazetteer.entities, b.0.gazetteer.entities);
        assert_eq!(a.0.gazetteer.origins, b.0.gazetteer.origins);
        assert_eq!(a.0.gazetteer.builtin, b.0.gazetteer.builtin);
        assert_eq!(a.1, b.1);
        assert_eq!(
            a.0.recognizer.pattern_count(),
            b.0.recognizer.pattern_count()
        );
        // The same names found, the surname alone after its bearer included.
        let text = "Zakhar Testovich met Stalin in Testgrad and Seoul. Later General Testovich and Kim Il Sung wrote.\n";
        let found = |k: &Knowledge| found_in(k, text);
        assert!(found(&a.0).len() >= 4, "{:?}", found(&a.0));
        assert_eq!(found(&a.0), found(&b.0));
        assert_eq!(
            a.0.lexicon.is_name("Zakhar Testovich"),
            b.0.lexicon.is_name("Zakhar Testovich")
        );
    }

    #[test]
    fn a_second_load_reads_the_cache_and_gives_the_same_knowledge() {
        let (dir, config, cache) = project();
        let fresh = load(dir.path(), &config, None);
        assert!(!cache.exists(), "no cache directory: nothing written");
        let first = load_now(dir.path(), &config, Some(&cache));
        let file = file_for(&cache, dir.path());
        assert!(file.exists());
        assert!(cache.join("CACHEDIR.TAG").exists());
        same(&fresh, &first);
        assert!(!first.1.is_empty(), "the bad id is a problem");
        let key = gazetteer::cache::inputs_hash(
            dir.path(),
            &gazetteer::read_project(dir.path(), &config),
        )
        .unwrap_or_else(|| panic!("no key"));
        let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{e}"));
        let hit = decode(&bytes, key)
            .map(|(k, p)| (Arc::new(k), p))
            .unwrap_or_else(|| panic!("a miss"));
        same(&fresh, &hit);
        same(&fresh, &load_now(dir.path(), &config, Some(&cache)));
    }

    #[test]
    fn a_changed_byte_misses() {
        let (dir, config, cache) = project();
        let _ = load_now(dir.path(), &config, Some(&cache));
        let path = dir.path().join("extra.toml");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(&path, text.replace("Testgrad", "Testgrat"))
            .unwrap_or_else(|e| panic!("{e}"));
        let (k, _) = load_now(dir.path(), &config, Some(&cache));
        assert!(k.lexicon.is_name("Testgrat") && !k.lexicon.is_name("Testgrad"));
        let (k, _) = load_now(dir.path(), &config, Some(&cache));
        assert!(k.lexicon.is_name("Testgrat"));
    }

    #[test]
    fn a_corrupt_or_truncated_cache_file_is_a_miss() {
        let (dir, config, cache) = project();
        let fresh = load_now(dir.path(), &config, Some(&cache));
        let file = file_for(&cache, dir.path());
        let key = gazetteer::cache::inputs_hash(
            dir.path(),
            &gazetteer::read_project(dir.path(), &config),
        )
        .unwrap_or_else(|| panic!("no key"));
        let good = std::fs::read(&file).unwrap_or_else(|e| panic!("{e}"));
        assert!(decode(&good, key).is_some());
        let wrong_key = Hash(key.0 ^ 1);
        assert!(decode(&good, wrong_key).is_none());
        for cut in [0, 4, 8, 20, 40, 48, good.len() / 2, good.len() - 1] {
            assert!(decode(&good[..cut], key).is_none(), "cut at {cut}");
        }
        for at in [0, 10, 30, 45, good.len() / 2, good.len() - 1] {
            let mut bad = good.clone();
            bad[at] ^= 0x20;
            assert!(decode(&bad, key).is_none(), "byte {at} flipped");
        }
        let mut longer = good.clone();
        longer.push(0);
        assert!(decode(&longer, key).is_none());
        // Through `load`: a corrupt file is a miss, the files are read, and the cache
        // is written anew.
        std::fs::write(&file, &good[..good.len() / 2]).unwrap_or_else(|e| panic!("{e}"));
        let again = load_now(dir.path(), &config, Some(&cache));
        same(&fresh, &again);
        let rewritten = std::fs::read(&file).unwrap_or_else(|e| panic!("{e}"));
        assert!(decode(&rewritten, key).is_some());
    }

    #[test]
    fn a_recognizer_fits_only_its_own_gazetteer() {
        let (dir, config, _) = project();
        let (k, _) = load(dir.path(), &config, None);
        assert!(k.recognizer.fits(&k.gazetteer));
        let mut fewer = k.gazetteer.clone();
        fewer.entities.pop();
        assert!(!k.recognizer.fits(&fewer));
        let mut nameless = k.gazetteer.clone();
        for e in &mut nameless.entities {
            e.names.clear();
        }
        assert!(!k.recognizer.fits(&nameless));
    }

    #[test]
    fn an_unwritable_cache_is_skipped() {
        let (dir, config, _) = project();
        // A file where the directory should be.
        let blocked = dir.path().join("blocked");
        std::fs::write(&blocked, "").unwrap_or_else(|e| panic!("{e}"));
        let (k, problems) = load_now(dir.path(), &config, Some(&blocked));
        assert!(k.lexicon.is_name("Testgrad"));
        assert!(!problems.is_empty());
    }
}
