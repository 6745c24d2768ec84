use super::*;
use crate::facts::{Context, Knowledge};

fn analysed(text: &str) -> Cached {
    let config = crate::config::Config::default();
    let knowledge = Knowledge::embedded();
    let ctx = Context {
        config: &config,
        knowledge: &knowledge,
    };
    let a = crate::analysis::analyze(Arc::from(text), None, &ctx);
    Cached {
        findings: a.findings,
        names: a.names,
    }
}

const MIXED: &str =
    "Kim II Sung met Pak Hŏn-yŏng and Pak Hon-yong in Sŏul and Seoul.[^1]\n\n[^1]: x\n[^2]:\n";

fn fingerprint() -> Hash {
    Hashing::default().field(b"test").finish()
}

/// A stored result restores to exactly the engine's: findings (fixes, related
/// places) and the name index, on documents that have all of them — through a pack
/// written and read again.
#[test]
fn entries_round_trip() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let texts = [include_str!("../../fixtures/bajanov-1995.md"), MIXED];
    let root = Path::new("/project");
    let mut pack = Pack::open(dir.path(), root, None, fingerprint());
    let mut expected = Vec::new();
    for (i, text) in texts.iter().enumerate() {
        let c = analysed(text);
        assert!(!c.findings.is_empty());
        assert!(!c.names.entities.is_empty() || !c.names.unlisted.is_empty());
        let path = root.join(format!("{i}.md"));
        let hash = entry_hash(text, None);
        pack.put(&path, hash, &c.findings, &c.names);
        assert_eq!(pack.get(&path, hash).as_ref(), Some(&c));
        expected.push((path, hash, c));
    }
    pack.save();
    let again = Pack::open(dir.path(), root, None, fingerprint());
    for (path, hash, c) in &expected {
        assert_eq!(again.get(path, *hash).as_ref(), Some(c));
        assert_eq!(again.names(path, *hash).as_ref(), Some(&c.names));
        // Other inputs (an edited file): a miss.
        assert_eq!(again.get(path, entry_hash("edited", None)), None);
        assert_eq!(again.names(path, entry_hash("edited", None)), None);
    }
    // Another fingerprint (binary, configuration, gazetteers): nothing is read.
    let other = Hashing::default().field(b"other").finish();
    let stale = Pack::open(dir.path(), root, None, other);
    assert_eq!(stale.counts(), (0, 0));
    // Another variant is another pack.
    let variant = Pack::open_variant(dir.path(), root, None, "editor", fingerprint());
    assert_eq!(variant.counts(), (0, 0));
}

/// The server's entries hold names alone: `check` misses them and replaces them with
/// full ones, and the server never replaces a full entry of the same inputs.
#[test]
fn entries_of_names_alone_serve_the_server_only() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = Path::new("/project");
    let path = root.join("a.md");
    let hash = entry_hash(MIXED, None);
    let c = analysed(MIXED);
    let mut pack = Pack::open(dir.path(), root, None, fingerprint());
    pack.put_names(&path, hash, &c.names);
    assert_eq!(pack.get(&path, hash), None);
    assert_eq!(pack.names(&path, hash).as_ref(), Some(&c.names));
    // No snippets are kept for an entry without findings.
    let key = RenderKey {
        path: "a.md".into(),
        color: false,
    };
    pack.put_rendered(&path, hash, key.clone(), vec![None]);
    assert_eq!(pack.rendered(&path, hash, &key), None);
    pack.put(&path, hash, &c.findings, &c.names);
    assert_eq!(pack.get(&path, hash).as_ref(), Some(&c));
    pack.put_names(&path, hash, &NameIndex::default());
    assert_eq!(pack.get(&path, hash).as_ref(), Some(&c));
    assert_eq!(pack.counts(), (1, 1));
}

/// The server's write keeps what a `check` wrote after the server read the pack: its
/// full entries stay, the server's new files are added, and the server's entry of
/// other inputs replaces a stale one.
#[test]
fn a_merged_save_keeps_a_concurrent_writers_entries() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = Path::new("/project");
    let (a, b, stale) = (root.join("a.md"), root.join("b.md"), root.join("s.md"));
    let c = analysed(MIXED);
    let h = entry_hash(MIXED, None);
    let old = entry_hash("old text", None);
    // The server opens the pack (empty), then `check` writes a's and s's full entries.
    let mut server = Pack::open(dir.path(), root, None, fingerprint());
    let mut check = Pack::open(dir.path(), root, None, fingerprint());
    check.put(&a, h, &c.findings, &c.names);
    check.put(&stale, old, &c.findings, &c.names);
    check.save();
    // The server computed names for a, b and s (s edited since `check` read it).
    for p in [&a, &b, &stale] {
        server.put_names(p, h, &c.names);
    }
    server.save_merged();
    let now = Pack::open(dir.path(), root, None, fingerprint());
    assert_eq!(now.get(&a, h).as_ref(), Some(&c), "check's full entry kept");
    assert_eq!(now.names(&b, h).as_ref(), Some(&c.names));
    assert_eq!(now.get(&b, h), None);
    assert_eq!(now.names(&stale, old), None, "the stale entry is replaced");
    assert_eq!(now.names(&stale, h).as_ref(), Some(&c.names));
    assert_eq!(now.counts(), (3, 1));
    // Nothing new: nothing written (the pack's bytes stay as they are).
    let before = std::fs::read(&now.file).unwrap_or_default();
    let mut idle = Pack::open(dir.path(), root, None, fingerprint());
    idle.put_names(&b, h, &c.names);
    idle.save_merged();
    assert_eq!(std::fs::read(&now.file).unwrap_or_default(), before);
}

/// Writing a pack removes the directories of older pack formats, and nothing else.
#[test]
fn writing_a_pack_removes_older_formats() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let cache = dir.path().join("cache");
    for old in ["v1", "v2", "v3"] {
        std::fs::create_dir_all(cache.join(old)).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(cache.join(old).join("x.bin"), b"old").unwrap_or_else(|e| panic!("{e}"));
    }
    let kept = cache.join("notes.txt");
    std::fs::write(&kept, b"mine").unwrap_or_else(|e| panic!("{e}"));
    let root = Path::new("/project");
    let c = analysed(MIXED);
    let mut pack = Pack::open(&cache, root, None, fingerprint());
    // Opening alone writes nothing and removes nothing.
    assert!(cache.join("v3").exists());
    pack.put(
        &root.join("a.md"),
        entry_hash(MIXED, None),
        &c.findings,
        &c.names,
    );
    pack.save();
    for old in ["v1", "v2", "v3"] {
        assert!(!cache.join(old).exists(), "{old} left");
    }
    assert!(cache.join(FORMAT).is_dir());
    assert!(kept.exists());
}

/// A pack that cannot be written (its directory is a file) is skipped silently.
#[test]
fn an_unwritable_cache_is_skipped() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let blocked = dir.path().join("cache");
    std::fs::write(&blocked, b"a file").unwrap_or_else(|e| panic!("{e}"));
    let root = Path::new("/project");
    let c = analysed(MIXED);
    let h = entry_hash(MIXED, None);
    let mut pack = Pack::open(&blocked, root, None, fingerprint());
    pack.put_names(&root.join("a.md"), h, &c.names);
    pack.save_merged();
    assert_eq!(
        std::fs::read(&blocked).ok().as_deref(),
        Some(&b"a file"[..])
    );
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

/// The comparison across files round-trips as found and as shown, only under its key
/// and colour, and a merged save (the server's) keeps it.
#[test]
fn the_comparison_across_files_round_trips_under_its_key() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = Path::new("/project");
    let c = analysed(MIXED);
    let files = vec![c.findings.clone(), Vec::new()];
    let key = across_key([
        ("a.md", entry_hash(MIXED, None)),
        ("b.md", entry_hash("", None)),
    ]);
    let other = across_key([("a.md", entry_hash(MIXED, None))]);
    assert_ne!(key, other);
    let brief = Brief {
        severity: Severity::Warning,
        fixable: true,
    };
    let shown = vec![
        vec![Shown::Own(1), Shown::Drawn(brief, "drawn".into())],
        Vec::new(),
    ];
    let mut pack = Pack::open(dir.path(), root, None, fingerprint());
    // Nothing is shown for a comparison not kept.
    pack.put_across_shown(key, false, &shown);
    assert_eq!(pack.across_shown(key, false), None);
    pack.put_across(key, &files);
    pack.put_across_shown(key, false, &shown);
    pack.save();
    let again = Pack::open(dir.path(), root, None, fingerprint());
    assert_eq!(again.across(key).as_ref(), Some(&files));
    assert_eq!(again.across_shown(key, false).as_ref(), Some(&shown));
    assert_eq!(again.across_shown(key, true), None);
    assert_eq!(again.across(other), None);
    assert_eq!(again.across_shown(other, false), None);
    let mut server = Pack::open(dir.path(), root, None, fingerprint());
    server.put_names(&root.join("c.md"), entry_hash("c", None), &c.names);
    server.save_merged();
    let now = Pack::open(dir.path(), root, None, fingerprint());
    assert_eq!(now.across(key).as_ref(), Some(&files));
}
