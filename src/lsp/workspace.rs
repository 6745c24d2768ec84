//! The workspace's files that are not open in the editor: their text on disk and what
//! the cross-file rules need of them ([`crate::facts::NameIndex`]).
//!
//! The files are exactly those `annalist check <root>` walks (the same walker, the same
//! `extensions` and `exclude`), analysed with the same engine, so the server's
//! cross-file findings equal the CLI's. Built on a blocking thread at start-up and
//! again after a configuration change or a file created or deleted on disk; one file
//! is re-read when it is closed or changed on disk.

use crate::analysis;
use crate::config::Config;
use crate::facts::NameIndex;
use crate::facts::{Context, Knowledge};
use crate::position::LineIndex;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower_lsp_server::ls_types::Uri;

/// Most files indexed; past it the rest of the workspace is not compared.
pub const FILE_LIMIT: usize = 5000;

/// One file as read from disk.
#[derive(Debug)]
pub struct WsFile {
    pub path: PathBuf,
    pub text: Arc<str>,
    pub lines: LineIndex,
    pub names: NameIndex,
}

/// The indexed files, by URI string.
#[derive(Debug, Default)]
pub struct WsIndex {
    pub files: HashMap<String, WsFile>,
    /// Set when the walk stopped at [`FILE_LIMIT`]; said once in the log.
    pub truncated: bool,
}

/// Read and analyse one file. `None` when it cannot be read or is not UTF-8 (`check`
/// reports those; here they are passed over).
pub fn read(path: &Path, ctx: &Context) -> Option<(String, WsFile)> {
    let bytes = std::fs::read(path).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    // As `check` does: a byte-order mark is not part of the text.
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
    let uri = Uri::from_file_path(path)?;
    let text: Arc<str> = Arc::from(text);
    // Only what the comparison needs (equal to a full analysis's `names`).
    let names = analysis::name_index(text.clone(), ctx);
    Some((
        uri.as_str().to_string(),
        WsFile {
            path: path.to_path_buf(),
            lines: LineIndex::new(&text),
            text,
            names,
        },
    ))
}

/// Index the Markdown files under `root` as `annalist check root` would walk them.
/// `config_dir` anchors `exclude` (the directory of the `annalist.toml`).
pub fn build(root: &Path, config_dir: &Path, config: &Config, knowledge: &Knowledge) -> WsIndex {
    let mut index = WsIndex::default();
    if !config.romanisation.across_files {
        return index;
    }
    let Ok(excluder) = crate::project::Excluder::new(config_dir, root, &config.exclude) else {
        return index;
    };
    let walked =
        crate::project::collect(&[root.to_path_buf()], &config.extensions, &excluder, None);
    let mut paths: Vec<PathBuf> = walked
        .entries
        .into_iter()
        .filter_map(|e| e.path)
        .map(|p| if p.is_absolute() { p } else { root.join(p) })
        .collect();
    if paths.len() > FILE_LIMIT {
        paths.truncate(FILE_LIMIT);
        index.truncated = true;
    }
    let ctx = Context { config, knowledge };
    index.files = paths
        .par_iter()
        .filter_map(|p| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read(p, &ctx))).ok()?
        })
        .collect();
    index
}
