//! `check`'s cache of per-file results: the implementation is [`crate::file_cache`],
//! below the front ends, which the server's index of the workspace reads and writes
//! too (one key, one pack format). `check` keeps whole entries — own findings, name
//! index and, for the human format, the rendered snippets — and `shown` draws from and
//! into them.

pub use crate::file_cache::{
    Brief, Hash, Pack, RenderKey, Rendered, Shown, across_key, directory, entry_hash,
    entry_hash_of_bytes, group_fingerprint,
};
