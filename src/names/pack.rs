//! The built-in knowledge, packed: the embedded gazetteer (`data/gazetteer/*.toml`)
//! loaded, with its recognizer and OCR lexicon, in the knowledge cache's own format
//! (`names/cache.rs`), kept in `data/gazetteer/embedded.bin` and compiled into the
//! binary. Every process needs this knowledge (`check` on one file as much as the
//! server), and building it — parsing 600 KB of TOML, folding and sorting every name —
//! took 17–25 ms of a start; decoding the pack takes a few.
//!
//! The pack is made from the TOML by [`build`] and checked by the test
//! `the_pack_is_the_built_knowledge`: the pack's bytes must be exactly those of
//! the knowledge built afresh (every map is written in its keys' order, so the bytes
//! do not depend on the process), or the test fails and says how to remake it
//! (`ANNALIST_BLESS=1 cargo test --lib pack`). At run time the pack is used only when
//! its key — a hash of the TOML it was made from and of the stored form's version —
//! is the binary's own TOML's; otherwise (data edited, pack not remade) the knowledge
//! is built from the TOML as before: slower, never different.

use super::Knowledge;
use crate::cachedir::{Hash, Hashing};
use std::sync::{Arc, OnceLock};

/// The pack, as committed.
static PACK: &[u8] = include_bytes!("../../data/gazetteer/embedded.bin");

/// Bumped when the pack's form changes while the TOML does not.
const FORMAT: &str = "annalist embedded knowledge 1";

/// The key a pack of this binary's embedded gazetteer is made under: the format, the
/// gazetteer cache's stored form, and every built-in file's name and text.
fn key() -> Hash {
    let mut h = Hashing::default();
    h.field(FORMAT.as_bytes())
        .field(crate::gazetteer::cache::FORMAT.as_bytes());
    for (name, text) in crate::gazetteer::EMBEDDED_FILES {
        h.field(name.as_bytes()).field(text.as_bytes());
    }
    h.finish()
}

/// The built-in knowledge built from the TOML (what the pack holds).
pub(super) fn build() -> Knowledge {
    Knowledge::new(crate::gazetteer::Gazetteer::embedded())
}

/// The built-in knowledge read from the pack; `None` when the pack is not this
/// binary's data (or damaged).
fn unpack(pack: &[u8]) -> Option<Knowledge> {
    super::cache::decode(pack, key()).map(|(k, _)| k)
}

/// The built-in knowledge: from the pack, else built. Unit tests always build it, so
/// that a change to how names are folded or indexed is tested before the pack is
/// remade (the pack's own test says when to remake it).
pub(super) fn embedded() -> Knowledge {
    if cfg!(test) {
        return build();
    }
    unpack(PACK).unwrap_or_else(build)
}

/// [`embedded`], made once per process and shared (every configuration without
/// project gazetteers uses it).
pub(super) fn shared() -> Arc<Knowledge> {
    static SHARED: OnceLock<Arc<Knowledge>> = OnceLock::new();
    SHARED.get_or_init(|| Arc::new(embedded())).clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pack is exactly the knowledge built from the TOML now; with
    /// `ANNALIST_BLESS=1` it is remade instead.
    #[test]
    fn the_pack_is_the_built_knowledge() {
        let built = build();
        let bytes = super::super::cache::encode(key(), &built, &[])
            .unwrap_or_else(|e| panic!("the built-in knowledge cannot be stored: {e}"));
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/gazetteer/embedded.bin");
        if std::env::var_os("ANNALIST_BLESS").is_some_and(|v| !v.is_empty() && v != "0") {
            std::fs::write(path, &bytes).unwrap_or_else(|e| panic!("writing {path}: {e}"));
            return;
        }
        let first_difference = PACK.iter().zip(&bytes).position(|(a, b)| a != b);
        assert!(
            PACK == bytes.as_slice(),
            "{path} is not the built-in knowledge built now ({} bytes against {}, first \
             difference at byte {first_difference:?}): the gazetteer's TOML, or how names \
             are folded, indexed or stored, changed. Remake it with \
             `ANNALIST_BLESS=1 cargo test --lib the_pack_is_the_built_knowledge`, then \
             rebuild.",
            PACK.len(),
            bytes.len()
        );
    }

    /// Building twice makes the same bytes: no map is written in a hash map's order
    /// (the pack's test above could not pass otherwise on another process).
    #[test]
    fn the_built_knowledge_is_stored_the_same_every_time() {
        let encode = || {
            super::super::cache::encode(key(), &build(), &[])
                .unwrap_or_else(|e| panic!("the built-in knowledge cannot be stored: {e}"))
        };
        assert!(encode() == encode());
    }

    /// The pack read back is the built knowledge: the same entities and patterns, the
    /// same names found in the source article, the same lexicon.
    #[test]
    fn the_pack_reads_back_as_the_built_knowledge() {
        let built = build();
        let bytes = super::super::cache::encode(key(), &built, &[])
            .unwrap_or_else(|e| panic!("the built-in knowledge cannot be stored: {e}"));
        let read = unpack(&bytes).unwrap_or_else(|| panic!("the pack does not read back"));
        assert_eq!(read.gazetteer.entities, built.gazetteer.entities);
        assert_eq!(read.gazetteer.builtin, built.gazetteer.builtin);
        assert_eq!(
            read.recognizer.pattern_count(),
            built.recognizer.pattern_count()
        );
        let text = include_str!("../../fixtures/bajanov-1995.md");
        let found = |k: &Knowledge| super::super::cache::tests::found_in(k, text);
        assert!(found(&built).len() > 100);
        assert_eq!(found(&read), found(&built));
        assert_eq!(
            read.lexicon.is_name("Kim Il Sung"),
            built.lexicon.is_name("Kim Il Sung")
        );
        // Another binary's data (a different key) is not read.
        assert!(super::super::cache::decode(&bytes, Hash(key().0 ^ 1)).is_none());
    }
}
