//! What the engine knows of the world: the gazetteer, its name automaton and its
//! lexicon for OCR repairs. Built once per configuration and shared by every analysis.

use crate::config::Config;
use crate::gazetteer::Gazetteer;
use crate::names::Recognizer;

/// What the engine knows of the world: the gazetteer and its name automaton.
/// Built once per configuration and shared.
#[derive(Debug)]
pub struct Knowledge {
    pub gazetteer: Gazetteer,
    pub recognizer: Recognizer,
    /// The gazetteer's names and name words (OCR spellings left out), for repairing
    /// OCR damage.
    pub lexicon: crate::names::ocr::Lexicon,
}

impl Knowledge {
    pub fn new(gazetteer: Gazetteer) -> Knowledge {
        // Independent of each other: built side by side.
        let (recognizer, lexicon) =
            rayon::join(|| Recognizer::new(&gazetteer), || lexicon(&gazetteer));
        Knowledge {
            gazetteer,
            recognizer,
            lexicon,
        }
    }

    /// The embedded default gazetteer only: read from the binary's pack of it
    /// (`names/pack.rs`), or built from its TOML when the pack is not of this data.
    pub fn embedded() -> Knowledge {
        super::pack::embedded()
    }

    /// [`Knowledge::embedded`], made once per process and shared.
    pub fn embedded_shared() -> std::sync::Arc<Knowledge> {
        super::pack::shared()
    }

    /// The embedded gazetteer plus the project's gazetteer files (`gazetteers` in the
    /// annalist.toml found in `config_dir`), with the problems met loading them.
    pub fn for_project(
        config_dir: &std::path::Path,
        config: &Config,
    ) -> (std::sync::Arc<Knowledge>, Vec<crate::config::FileProblem>) {
        Knowledge::for_project_cached(config_dir, config, None)
    }

    /// [`Knowledge::for_project`], kept in the cache directory `cache` when one is
    /// given (the front end's: `check` without `--no-cache`, the server with a
    /// workspace): read from it when it holds this very load (see `names/cache.rs`),
    /// stored there otherwise — on a thread of its own: a process that exits waits for
    /// it with [`crate::cachedir::wait_for_writes`].
    pub fn for_project_cached(
        config_dir: &std::path::Path,
        config: &Config,
        cache: Option<&std::path::Path>,
    ) -> (std::sync::Arc<Knowledge>, Vec<crate::config::FileProblem>) {
        super::cache::load(config_dir, config, cache)
    }
}

/// The OCR lexicon of a gazetteer: its names and name words, OCR spellings left out.
fn lexicon(gazetteer: &Gazetteer) -> crate::names::ocr::Lexicon {
    crate::names::ocr::Lexicon::new(gazetteer.entities.iter().flat_map(|e| {
        std::iter::once(e.preferred.as_str()).chain(
            e.names
                .iter()
                .filter(|n| n.system != Some(crate::gazetteer::System::Ocr))
                .map(|n| n.text.as_str()),
        )
    }))
}
