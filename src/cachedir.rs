//! The project's cache directory (`.annalist_cache`, or `ANNALIST_CACHE_DIR`): where
//! it is, how it is created (with its `CACHEDIR.TAG` and `.gitignore`), how a file
//! in it is written (atomically), and the hash its keys are made of.
//!
//! Two caches live there: `check`'s per-file results (`cli/cache.rs`) and the loaded
//! project gazetteers with their name index (`names/cache.rs`). Both are given the
//! directory by their front end; nothing below the front ends decides where it is.
//! A cache that cannot be read or written is skipped: every function here that can
//! fail returns the failure for its caller to ignore.

use std::hash::Hasher;
use std::path::{Path, PathBuf};

/// The cache directory's name at the project root.
pub const DIR_NAME: &str = ".annalist_cache";
/// The environment variable that moves the cache.
pub const ENV_DIR: &str = "ANNALIST_CACHE_DIR";

/// Where the cache lives: `ANNALIST_CACHE_DIR` when set (and not empty), else
/// `.annalist_cache` in `project_root`.
pub fn directory(project_root: &Path) -> PathBuf {
    match std::env::var_os(ENV_DIR) {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => project_root.join(DIR_NAME),
    }
}

/// Create the cache directory with its `CACHEDIR.TAG` and a `.gitignore` ignoring
/// everything in it (both written once).
pub fn prepare(dir: &Path) -> std::io::Result<()> {
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

/// Write `bytes` to `file` (its parent created if need be) through a temporary file
/// renamed over it, so that a concurrent reader sees the old or the new content,
/// never a part. The temporary file is removed when the write fails.
pub fn write_atomic(file: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_by(file, |w| std::io::Write::write_all(w, bytes))
}

/// [`write_atomic`] with the content written by `write`, buffered, as it is made: a
/// pack need not be held whole in memory beside the entries it is made of (issue #14:
/// `check`'s pack over 2,000 files is 8-22 MB).
pub fn write_atomic_by(
    file: &Path,
    write: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    use std::io::Write;
    static SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let Some(parent) = file.parent() else {
        return Err(std::io::Error::other("a cache file has no directory"));
    };
    std::fs::create_dir_all(parent)?;
    let tmp = parent.join(format!(
        ".{}.{}.{}.tmp",
        file.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        std::process::id(),
        SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    let written = std::fs::File::create(&tmp).and_then(|f| {
        let mut w = std::io::BufWriter::with_capacity(1 << 16, f);
        write(&mut w)?;
        w.flush()
    });
    if let Err(e) = written.and_then(|()| std::fs::rename(&tmp, file)) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    Ok(())
}

/// A cache file's bytes: mapped into memory where the platform allows (Linux), else
/// read. Mapping a pack of tens of megabytes costs neither a copy nor fresh pages to
/// read it into: a cached `check` over 2,000 files spent a fifth of its time reading
/// its 22 MB pack.
pub struct FileBytes(Bytes);

enum Bytes {
    Read(Vec<u8>),
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    Mapped {
        ptr: *const u8,
        len: usize,
    },
}

// SAFETY: a mapping is read-only and private to this value; nothing writes through it.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
unsafe impl Send for FileBytes {}
// SAFETY: as for `Send`: shared reads of memory nobody writes.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
unsafe impl Sync for FileBytes {}

impl FileBytes {
    /// No bytes.
    pub fn empty() -> FileBytes {
        FileBytes(Bytes::Read(Vec::new()))
    }

    /// The bytes of `file`, or none when it cannot be read.
    pub fn of(file: &Path) -> FileBytes {
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        if let Some(mapped) = map(file) {
            return mapped;
        }
        FileBytes(Bytes::Read(std::fs::read(file).unwrap_or_default()))
    }
}

/// `file` mapped read-only, when it is a non-empty regular file that can be mapped.
///
/// The cache's files are never written in place: [`write_atomic`] renames a new file
/// over the old one, and a mapping keeps the old file's bytes for as long as it lives.
/// Only a process outside annalist shortening the file while it is mapped could make a
/// read of it fault — the trade every reader that maps files makes.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn map(file: &Path) -> Option<FileBytes> {
    use std::os::fd::AsRawFd;
    let f = std::fs::File::open(file).ok()?;
    let meta = f.metadata().ok()?;
    let len = usize::try_from(meta.len()).ok()?;
    if !meta.is_file() || len == 0 {
        return None;
    }
    // SAFETY: a fresh read-only private mapping of an open file descriptor; the result
    // is checked against MAP_FAILED before use, and the descriptor may close after.
    let ptr = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            len,
            libc::PROT_READ,
            libc::MAP_PRIVATE,
            f.as_raw_fd(),
            0,
        )
    };
    if ptr == libc::MAP_FAILED {
        return None;
    }
    Some(FileBytes(Bytes::Mapped {
        ptr: ptr as *const u8,
        len,
    }))
}

impl std::ops::Deref for FileBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match &self.0 {
            Bytes::Read(v) => v,
            // SAFETY: `ptr` is a live mapping of `len` readable bytes (see `map`),
            // unmapped only when this value drops.
            #[cfg(all(target_os = "linux", target_env = "gnu"))]
            Bytes::Mapped { ptr, len } => unsafe { std::slice::from_raw_parts(*ptr, *len) },
        }
    }
}

impl Drop for FileBytes {
    fn drop(&mut self) {
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        if let Bytes::Mapped { ptr, len } = self.0 {
            // SAFETY: the mapping made in `map`, unmapped once; no slice of it outlives
            // `self` (they borrow it).
            unsafe {
                libc::munmap(ptr as *mut libc::c_void, len);
            }
        }
    }
}

/// What identifies this binary: its version, and its executable's size and
/// modification time (a rebuild without a version bump must not reuse results).
/// `None` when the executable cannot be examined: then nothing is cached.
pub fn binary_identity() -> Option<String> {
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

/// A 128-bit hash, from two foldhash passes with different fixed seeds (stable
/// within one binary, and the binary is part of every key). foldhash, not the
/// standard library's SipHash: a key covers whole gazetteer files (tens of
/// megabytes), which SipHash reads at about 1 GB/s and foldhash several times faster.
/// A cache key, not a defence against crafted collisions: the files hashed are the
/// project's own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hash(pub u128);

impl Hash {
    pub fn hex(self) -> String {
        format!("{:032x}", self.0)
    }
}

/// Feeds the same bytes to two hashers seeded differently.
pub struct Hashing(
    foldhash::quality::FoldHasher<'static>,
    foldhash::quality::FoldHasher<'static>,
);

impl Default for Hashing {
    fn default() -> Self {
        use std::hash::BuildHasher;
        Hashing(
            foldhash::quality::FixedState::with_seed(0x616e_6e61_6c69_7374).build_hasher(),
            foldhash::quality::FixedState::with_seed(0x6361_6368_652d_6b65).build_hasher(),
        )
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

/// Cache writes running off the caller's path (see [`write_later`]).
static PENDING: std::sync::Mutex<Vec<std::thread::JoinHandle<()>>> =
    std::sync::Mutex::new(Vec::new());

/// Run `write` on a thread of its own, so that what the cache stores is written while
/// the caller goes on with what it loaded (a 50,000-entry gazetteer's cache is 35 MB
/// to encode and write: it used to delay the first diagnostics by a fifth of a
/// second). A process that exits should call [`wait_for_writes`] first; one that
/// does not loses at most this write (files are replaced atomically, never left
/// half-written). A thread that cannot be started skips the write.
pub fn write_later(write: impl FnOnce() + Send + 'static) {
    let Ok(handle) = std::thread::Builder::new()
        .name("annalist-cache-write".into())
        .spawn(write)
    else {
        return;
    };
    if let Ok(mut pending) = PENDING.lock() {
        pending.retain(|h| !h.is_finished());
        pending.push(handle);
    }
}

/// Wait until every write started by [`write_later`] has ended.
pub fn wait_for_writes() {
    let handles = match PENDING.lock() {
        Ok(mut pending) => std::mem::take(&mut *pending),
        Err(_) => return,
    };
    for h in handles {
        // A write that panicked wrote nothing; the next load misses and rebuilds.
        let _ = h.join();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_do_not_run_into_each_other() {
        let mut a = Hashing::default();
        a.field(b"ab").field(b"c");
        let mut b = Hashing::default();
        b.field(b"a").field(b"bc");
        assert_ne!(a.finish(), b.finish());
        let mut c = Hashing::default();
        c.field(b"ab").field(b"c");
        assert_eq!(a.finish(), c.finish());
    }

    #[test]
    fn file_bytes_are_the_files_and_survive_its_replacement() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let file = dir.path().join("f.bin");
        assert!(FileBytes::of(&file).is_empty());
        write_atomic(&file, b"").unwrap_or_else(|e| panic!("{e}"));
        assert!(FileBytes::of(&file).is_empty());
        write_atomic(&file, b"first").unwrap_or_else(|e| panic!("{e}"));
        let first = FileBytes::of(&file);
        write_atomic(&file, b"second, longer").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(&first[..], b"first");
        assert_eq!(&FileBytes::of(&file)[..], b"second, longer");
        assert!(FileBytes::of(dir.path()).is_empty());
    }

    #[test]
    fn an_atomic_write_leaves_the_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let file = dir.path().join("sub").join("f.bin");
        write_atomic(&file, b"one").unwrap_or_else(|e| panic!("{e}"));
        write_atomic(&file, b"two").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(std::fs::read(&file).ok().as_deref(), Some(&b"two"[..]));
        let names: Vec<_> = std::fs::read_dir(dir.path().join("sub"))
            .unwrap_or_else(|e| panic!("{e}"))
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        prepare(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        assert!(dir.path().join("CACHEDIR.TAG").exists());
    }
}
