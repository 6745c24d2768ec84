//! `check --fix` and `--diff`: choose the safe fixes, apply them until nothing more
//! applies, write files atomically, show what would change.

use crate::finding::{Edit, Finding, apply_edits};
use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// At most this many rounds of analyse-and-fix per file. A fix can reveal another
/// (removing a duplicate makes a note unused…); rounds stop as soon as a round changes
/// nothing, so a second `--fix` run changes nothing.
pub const MAX_ROUNDS: usize = 8;

/// The edits of the safe fixes to apply in one round: of each finding, its first safe
/// fix; in position order; a fix is taken whole or not at all, and not when one of
/// its edits overlaps (or starts where) an edit already taken starts, or is out of
/// range. Returns the edits and how many fixes they make up.
pub fn select_safe(text: &str, findings: &[Finding]) -> (Vec<Edit>, usize) {
    select(text, findings, false)
}

/// [`select_safe`]; with `unsafe_too` (`--unsafe-fixes`), of each finding its first fix.
pub fn select(text: &str, findings: &[Finding], unsafe_too: bool) -> (Vec<Edit>, usize) {
    let mut fixes: Vec<&[Edit]> = findings
        .iter()
        .filter_map(|f| f.fixes.iter().find(|x| x.safe || unsafe_too))
        .map(|x| x.edits.as_slice())
        .filter(|e| !e.is_empty())
        .collect();
    fixes.sort_by_key(|edits| edits.iter().map(|e| (e.span.start, e.span.end)).min());
    let mut taken: Vec<Edit> = Vec::new();
    let mut count = 0;
    for edits in fixes {
        let valid = edits.iter().all(|e| {
            e.span.start <= e.span.end
                && e.span.end <= text.len()
                && text.is_char_boundary(e.span.start)
                && text.is_char_boundary(e.span.end)
        });
        if !valid {
            continue;
        }
        let clashes = |a: &Edit, b: &Edit| {
            (a.span.start < b.span.end && b.span.start < a.span.end) || a.span.start == b.span.start
        };
        let self_clash = edits
            .iter()
            .enumerate()
            .any(|(i, a)| edits.iter().skip(i + 1).any(|b| clashes(a, b)));
        if self_clash || edits.iter().any(|a| taken.iter().any(|b| clashes(a, b))) {
            continue;
        }
        // Changing nothing is not a fix.
        if edits
            .iter()
            .all(|e| e.span.slice(text) == e.new_text && e.span.len() == e.new_text.len())
        {
            continue;
        }
        taken.extend(edits.iter().cloned());
        count += 1;
    }
    (taken, count)
}

/// The result of fixing one text.
pub struct Fixed<A> {
    pub text: String,
    /// How many fixes were applied over all rounds.
    pub applied: usize,
    /// The analysis of the final text.
    pub analysis: A,
}

/// Analyse, apply the safe fixes, repeat until a round applies nothing (or
/// [`MAX_ROUNDS`]); return the final text with its analysis.
pub fn fix_loop<A>(
    text: String,
    analyze: impl FnMut(&str) -> A,
    findings: impl Fn(&A) -> &[Finding],
) -> Fixed<A> {
    fix_loop_with(text, analyze, findings, false)
}

/// [`fix_loop`]; with `unsafe_too` (`--unsafe-fixes`) unsafe fixes are applied too.
pub fn fix_loop_with<A>(
    text: String,
    mut analyze: impl FnMut(&str) -> A,
    findings: impl Fn(&A) -> &[Finding],
    unsafe_too: bool,
) -> Fixed<A> {
    let mut cur = text;
    let mut applied = 0;
    let mut analysis = analyze(&cur);
    for _ in 0..MAX_ROUNDS {
        let (edits, n) = select(&cur, findings(&analysis), unsafe_too);
        if n == 0 {
            break;
        }
        let next = apply_edits(&cur, &edits);
        if next == cur {
            break;
        }
        cur = next;
        applied += n;
        analysis = analyze(&cur);
    }
    Fixed {
        text: cur,
        applied,
        analysis,
    }
}

/// Replace the file at `path` by `contents` atomically: write a temporary file in the
/// same directory, give it the original's permissions, flush it to disk, rename it over
/// the original. A symbolic link is followed (the link stays a link). On failure the
/// original is untouched and no temporary file is left.
pub fn write_atomic(path: &Path, contents: &[u8]) -> io::Result<()> {
    write_atomic_with(path, contents, |_| Ok(()))
}

/// [`write_atomic`], with `prepare` run on the temporary file before it is renamed (an
/// error there abandons the write).
fn write_atomic_with(
    path: &Path,
    contents: &[u8],
    mut prepare: impl FnMut(&fs::File) -> io::Result<()>,
) -> io::Result<()> {
    let target = fs::canonicalize(path)?;
    let meta = fs::metadata(&target)?;
    let dir = target
        .parent()
        .ok_or_else(|| io::Error::other("the file has no parent directory"))?;
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let pid = std::process::id();
    let mut attempt = 0u32;
    let (tmp, mut file) = loop {
        let tmp = dir.join(format!(".{name}.annalist-{pid}-{attempt}.tmp"));
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(f) => break (tmp, f),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 1000 => {
                attempt += 1;
            }
            Err(e) => return Err(e),
        }
    };
    let result = (|| {
        file.write_all(contents)?;
        file.set_permissions(meta.permissions())?;
        prepare(&file)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, &target)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Why `--fix` did not write a file.
#[derive(Debug)]
pub enum WriteError {
    /// The file may not be written (read-only, or not writable by this user): refused
    /// before anything was written.
    Refused(String),
    /// Writing failed; the original is untouched.
    Failed(io::Error),
}

/// Write `contents` back to `path` only if this user may write that file, keeping its
/// owner and mode:
/// - a file without any write permission bit (e.g. 0444) is refused, even for root;
/// - a file this user cannot open for writing is refused (even when its directory is
///   writable, where a rename would replace it);
/// - otherwise it is replaced atomically (temporary file, same mode, same owner and
///   group, rename); when the owner or group cannot be given to the temporary file
///   (another user's file that is writable to us), it is rewritten in place instead,
///   so it keeps its owner.
pub fn write_back(path: &Path, contents: &[u8]) -> Result<(), WriteError> {
    let target = fs::canonicalize(path).map_err(WriteError::Failed)?;
    let meta = fs::metadata(&target).map_err(WriteError::Failed)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o222 == 0 {
            return Err(WriteError::Refused(format!(
                "the file is read-only (mode {:o})",
                meta.permissions().mode() & 0o7777
            )));
        }
    }
    #[cfg(not(unix))]
    if meta.permissions().readonly() {
        return Err(WriteError::Refused("the file is read-only".into()));
    }
    // May this user write the file itself? (Not just its directory.)
    if let Err(e) = fs::OpenOptions::new().write(true).open(&target) {
        return Err(match e.kind() {
            io::ErrorKind::PermissionDenied => {
                WriteError::Refused(format!("this user may not write the file ({e})"))
            }
            _ => WriteError::Failed(e),
        });
    }
    match write_atomic_owned(&target, &meta, contents) {
        Ok(true) => Ok(()),
        Ok(false) => write_in_place(&target, contents).map_err(WriteError::Failed),
        Err(e) => Err(WriteError::Failed(e)),
    }
}

/// Rewrite the file where it is (it keeps its inode, owner and mode).
fn write_in_place(target: &Path, contents: &[u8]) -> io::Result<()> {
    let mut f = fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(target)?;
    f.write_all(contents)?;
    f.sync_all()
}

/// The atomic replacement with the original's owner and group. `Ok(false)`: the owner or
/// group could not be kept (nothing was changed; write in place instead).
fn write_atomic_owned(target: &Path, meta: &fs::Metadata, contents: &[u8]) -> io::Result<bool> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let (uid, gid) = (meta.uid(), meta.gid());
        let mut keep = Ok(true);
        write_atomic_with(target, contents, |f| {
            let m = f.metadata()?;
            if (m.uid(), m.gid()) != (uid, gid)
                && let Err(e) = std::os::unix::fs::fchown(f, Some(uid), Some(gid))
            {
                keep = match e.kind() {
                    io::ErrorKind::PermissionDenied => Ok(false),
                    _ => Err(e),
                };
                return Err(io::Error::other("owner not kept"));
            }
            Ok(())
        })
        .or_else(|e| match &keep {
            Ok(false) => Ok(()),
            _ => Err(e),
        })?;
        keep
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        write_atomic(target, contents).map(|()| true)
    }
}

/// A unified diff of `old` → `new`, with `a/PATH` and `b/PATH` headers.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Fix, Severity, Span};

    fn finding(at: usize, edits: &[(usize, usize, &str)], safe: bool) -> Finding {
        Finding::new("t", Severity::Warning, Span::new(at, at), "m").with_fix(Fix {
            title: "fix".into(),
            edits: edits
                .iter()
                .map(|&(s, e, t)| Edit {
                    span: Span::new(s, e),
                    new_text: t.into(),
                })
                .collect(),
            safe,
        })
    }

    #[test]
    fn takes_whole_safe_fixes_and_skips_clashes() {
        let text = "abcdefgh";
        let fs = vec![
            finding(0, &[(0, 1, "A")], true),
            finding(0, &[(0, 2, "zz")], true), // overlaps the first
            finding(2, &[(2, 3, "C"), (7, 8, "H")], true),
            finding(6, &[(6, 8, "??")], true), // clashes with H: whole fix dropped
            finding(4, &[(4, 5, "E")], false), // unsafe
            finding(5, &[(5, 6, "f")], true),  // no-op
            finding(9, &[(9, 12, "x")], true), // out of range
            finding(3, &[(3, 3, "+"), (3, 4, "D")], true), // clashes with itself
        ];
        let (edits, n) = select_safe(text, &fs);
        assert_eq!(n, 2);
        assert_eq!(apply_edits(text, &edits), "AbCdefgH");
    }

    #[test]
    fn loops_until_stable_and_is_idempotent() {
        // A toy rule: every "ii" is fixed to "i" (each fix can reveal another).
        let analyze = |t: &str| -> Vec<Finding> {
            t.match_indices("ii")
                .map(|(i, _)| finding(i, &[(i, i + 2, "i")], true))
                .collect()
        };
        let out = fix_loop("a iiii b ii".to_string(), analyze, |v| v.as_slice());
        assert_eq!(out.text, "a i b i");
        assert!(out.analysis.is_empty());
        assert!(out.applied >= 3);
        let again = fix_loop(out.text.clone(), analyze, |v| v.as_slice());
        assert_eq!(again.text, out.text);
        assert_eq!(again.applied, 0);
    }

    #[test]
    fn a_fix_that_never_settles_stops() {
        // Toggles forever: x → y, y → x. Stops after MAX_ROUNDS.
        let analyze = |t: &str| -> Vec<Finding> {
            let r = if t == "x" { "y" } else { "x" };
            vec![finding(0, &[(0, 1, r)], true)]
        };
        let out = fix_loop("x".to_string(), analyze, |v| v.as_slice());
        assert_eq!(out.applied, MAX_ROUNDS);
    }

    #[cfg(unix)]
    #[test]
    fn atomic_write_keeps_permissions_and_leaves_nothing() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let p = dir.path().join("a.md");
        fs::write(&p, "old").unwrap_or_else(|e| panic!("{e}"));
        fs::set_permissions(&p, fs::Permissions::from_mode(0o640))
            .unwrap_or_else(|e| panic!("{e}"));
        let link = dir.path().join("link.md");
        std::os::unix::fs::symlink(&p, &link).unwrap_or_else(|e| panic!("{e}"));
        write_atomic(&link, b"new").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(fs::read_to_string(&p).unwrap_or_default(), "new");
        assert!(
            fs::symlink_metadata(&link)
                .map(|m| m.file_type().is_symlink())
                .unwrap_or(false)
        );
        let mode = fs::metadata(&p)
            .map(|m| m.permissions().mode() & 0o777)
            .unwrap_or(0);
        assert_eq!(mode, 0o640);
        let names: Vec<String> = fs::read_dir(dir.path())
            .map(|rd| {
                rd.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        let mut names = names;
        names.sort();
        assert_eq!(names, vec!["a.md", "link.md"]);
    }

    #[test]
    fn diff_has_headers_and_hunks() {
        let d = unified_diff("x.md", "a\nb\nc\n", "a\nB\nc\n");
        assert!(d.starts_with("--- a/x.md\n+++ b/x.md\n"), "{d}");
        assert!(d.contains("-b\n+B\n"), "{d}");
        assert_eq!(unified_diff("x.md", "same\n", "same\n"), "");
    }
}
