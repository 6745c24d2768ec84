//! The scan for note markers kept across versions (the editor's incremental analysis).
//!
//! [`Scan::scan`] reads every byte of the text. Its state from one place to the next
//! is only where it stands (a handler jumps past what it read: a label, a tag) and the
//! end of the last inline note; what it finds at a place depends on the bytes it reads
//! there and on the model around it (blocks, skip regions, footnote definitions and
//! their code, Notes sections) and, document-wide, on the link reference labels and
//! the highest number a Notes section gives. So the scan is cut into **parts**: from a
//! place where it stands with no inline note open past it, to the next such place
//! after a blank line (at least [`MIN_PART`] bytes on, or where a kept part starts).
//! Each part keeps what it found (relative to its start) and the bytes it read
//! (`lo..hi`, tracked by [`Scan::read`]: backslashes before a marker, a link's tail or
//! a `[ref]`'s `]` far after it, the whole block or definition of a candidate).
//!
//! A version compares its model with the last one's from the front and from the back:
//! `P` is where the first difference is (at most the text's common prefix), `S` where
//! the last one ends (at least the common suffix's start). A kept part whose read bytes
//! lie before `P`, or after `S` (moved by the edit's length), read the same bytes and
//! the same model, so the scan from its start finds the same (moved) and stands at its
//! (moved) end; any other part is scanned again. When the link reference labels or the
//! highest entry number change, every part is. The result is the whole scan's exactly
//! (`tests/incremental_notes.rs` checks it against fresh analyses after random edits);
//! only the inline notes' numbers (`inline-3`) are given again when parts are joined.

use super::markers::{Found, INTERESTING, Scan};
use super::*;
use crate::memo::Unchanged;
use std::sync::Mutex;

/// A part ends at a blank line at least this far from its start (or where a kept part
/// starts): about 500 parts in a megabyte.
const MIN_PART: usize = 2048;

/// What the scan of one version kept for the next.
#[derive(Default)]
pub struct ScanMemo {
    inner: Mutex<Kept>,
}

#[derive(Default)]
struct Kept {
    /// What this version shares with the last: set by [`ScanMemo::begin`], taken by
    /// the scan (a version begun and never scanned leaves nothing to find).
    unchanged: Option<Unchanged>,
    /// The model the parts were read with (`None` before the first version).
    context: Option<Context>,
    /// In document order, each starting where the last ended.
    parts: Vec<Part>,
    /// Bytes scanned afresh since the memo was made (the tests' count of the work).
    scanned: usize,
}

struct Part {
    start: usize,
    end: usize,
    /// The bytes the part's scan read.
    lo: usize,
    hi: usize,
    /// What it found, with offsets relative to `start`.
    found: Found,
}

/// What the scan reads of the model: spans in document order, each list compared
/// between versions from the front and from the back; and the document-wide answers.
#[derive(PartialEq)]
struct Context {
    len: usize,
    lists: [Vec<Span>; 7],
    link_refs: HashSet<String>,
    max_number: u32,
}

impl Context {
    fn of(scan: &Scan, len: usize) -> Context {
        let blocks = scan.md.blocks.iter().map(|b| b.span).collect();
        let prose = scan
            .md
            .blocks
            .iter()
            .filter(|b| {
                matches!(
                    b.kind,
                    BlockKind::Paragraph | BlockKind::Heading { .. } | BlockKind::Table
                )
            })
            .map(|b| b.span)
            .collect();
        let starts = scan
            .def_starts
            .iter()
            .map(|&s| Span::new(s, s + 1))
            .collect();
        Context {
            len,
            lists: [
                blocks,
                prose,
                scan.md.skip.clone(),
                scan.def_regions.to_vec(),
                scan.def_skip.to_vec(),
                starts,
                scan.section_spans.clone(),
            ],
            link_refs: scan.link_refs.clone(),
            max_number: scan.max_number,
        }
    }

    /// `(P, S)` of the module's doc: what is the same before `P` (in both versions) and
    /// after `S` (in the new version's offsets), bytes and model.
    fn zones(old: &Context, new: &Context, unchanged: &Unchanged) -> (usize, usize) {
        let d = new.len as i64 - old.len as i64;
        let moved = |x: usize| x as i64 + d;
        let mut p = unchanged.prefix().min(new.len).min(old.len);
        let mut s = new.len - unchanged.suffix().min(new.len);
        for (a, b) in old.lists.iter().zip(&new.lists) {
            let i = a.iter().zip(b).take_while(|(x, y)| x == y).count();
            let first = a.get(i..).unwrap_or(&[]).iter();
            if let Some(m) = first
                .chain(b.get(i..).unwrap_or(&[]))
                .map(|x| x.start)
                .min()
            {
                p = p.min(m);
            }
            let j = a
                .iter()
                .rev()
                .zip(b.iter().rev())
                .take_while(|(x, y)| {
                    moved(x.start) == y.start as i64 && moved(x.end) == y.end as i64
                })
                .count();
            let rest_a = a
                .get(..a.len() - j)
                .unwrap_or(&[])
                .iter()
                .map(|x| moved(x.end).max(0) as usize);
            let rest_b = b.get(..b.len() - j).unwrap_or(&[]).iter().map(|x| x.end);
            if let Some(m) = rest_a.chain(rest_b).max() {
                s = s.max(m);
            }
        }
        (p, s.max(p))
    }
}

impl ScanMemo {
    /// A new version, sharing `unchanged` with the last.
    pub(crate) fn begin(&self, unchanged: Unchanged) {
        if let Ok(mut k) = self.inner.lock() {
            if k.unchanged.is_some() {
                // The last version was begun and not scanned: the kept parts are of
                // an older text than the one `unchanged` compares with.
                k.context = None;
                k.parts.clear();
            }
            k.unchanged = Some(unchanged);
        }
    }

    /// Bytes scanned afresh (not found in a kept part) since the memo was made.
    pub fn scanned(&self) -> usize {
        self.inner.lock().map(|k| k.scanned).unwrap_or(0)
    }

    /// [`Scan::scan`] of this version, the parts the edit did not reach taken from the
    /// last version.
    pub(super) fn scan(&self, scan: &Scan) -> Found {
        let Ok(mut kept) = self.inner.lock() else {
            return scan.scan();
        };
        let kept = &mut *kept;
        let n = scan.b.len();
        let context = Context::of(scan, n);
        let old_parts = std::mem::take(&mut kept.parts);
        let unchanged = kept.unchanged.take();
        // Where the last version's parts may be found: (P, S, old length).
        let zones = kept.context.as_ref().zip(unchanged).and_then(|(old, u)| {
            (old.link_refs == context.link_refs && old.max_number == context.max_number)
                .then(|| (Context::zones(old, &context, &u), old.len))
        });
        // The last version's offset of a place of this one, where they agree.
        let old_place = |pos: usize| -> Option<(usize, bool)> {
            let ((p, s), old_len) = zones?;
            if pos < p {
                Some((pos, true))
            } else if pos >= s {
                Some((pos + old_len - n, false))
            } else {
                None
            }
        };
        let kept_at = |pos: usize| -> Option<(usize, &Part)> {
            let (old, before) = old_place(pos)?;
            let i = old_parts.binary_search_by_key(&old, |p| p.start).ok()?;
            let part = old_parts.get(i)?;
            let ((p, s), old_len) = zones?;
            let read_same = if before {
                part.hi <= p
            } else {
                part.lo + n >= s + old_len
            };
            read_same.then_some((i, part))
        };
        let starts_part = |pos: usize| {
            old_place(pos)
                .is_some_and(|(old, _)| old_parts.binary_search_by_key(&old, |p| p.start).is_ok())
        };
        let b = scan.b;
        let stops = |from: usize| {
            let base = from.saturating_sub(2);
            b.get(base..)
                .and_then(|r| memchr::memmem::find(r, b"\n\n"))
                .map(|k| base + k + 2)
        };
        let mut out = Found::default();
        // This version's parts, each with its finds or the index of the last
        // version's part whose finds it takes.
        let mut parts: Vec<(Part, Option<usize>)> = Vec::with_capacity(old_parts.len() + 2);
        let mut pos = 0;
        while pos < n {
            if let Some((index, part)) = kept_at(pos) {
                let (start, shift) = (pos, pos as i64 - part.start as i64);
                let at = |x: usize| (x as i64 + shift).max(0) as usize;
                join(&mut out, &part.found, start);
                let end = at(part.end).max(pos + 1);
                parts.push((
                    Part {
                        start,
                        end,
                        lo: at(part.lo),
                        hi: at(part.hi),
                        found: Found::default(),
                    },
                    Some(index),
                ));
                pos = end;
                continue;
            }
            scan.reads_from(pos);
            let mut found = Found::default();
            let from = pos;
            let end = scan.scan_part(
                pos,
                stops,
                |p| p - from >= MIN_PART || starts_part(p),
                &mut found,
            );
            kept.scanned += end - from;
            relative(&mut found, from);
            join(&mut out, &found, from);
            parts.push((
                Part {
                    start: from,
                    end,
                    lo: scan.lo.get(),
                    hi: scan.hi.get(),
                    found,
                },
                None,
            ));
            pos = end.max(pos + 1);
        }
        // The kept finds moved to this version's parts, not copied.
        let mut old_found: Vec<Option<Found>> =
            old_parts.into_iter().map(|p| Some(p.found)).collect();
        kept.parts = parts
            .into_iter()
            .map(|(mut part, from)| {
                if let Some(f) = from
                    .and_then(|i| old_found.get_mut(i))
                    .and_then(Option::take)
                {
                    part.found = f;
                }
                part
            })
            .collect();
        kept.context = Some(context);
        out
    }
}

impl Scan<'_> {
    /// The scan from `from` (where the whole scan stands with no inline note open past
    /// it) to the first place after it where the whole scan stands, with no inline note
    /// open past it, that `stop` accepts (of the places `stops` gives, in order), or to
    /// the text's end: the same markers and candidates the whole scan finds there, and
    /// the place it ended. Inline notes are numbered from 1.
    pub(super) fn scan_part(
        &self,
        from: usize,
        mut stops: impl FnMut(usize) -> Option<usize>,
        mut stop: impl FnMut(usize) -> bool,
        f: &mut Found,
    ) -> usize {
        let b = self.b;
        let n = b.len();
        let mut i = from;
        let mut inline_until = 0;
        let mut next = stops(from + 1).unwrap_or(n).min(n);
        while i < n {
            while i < next && !INTERESTING[at(b, i) as usize] {
                i += 1;
            }
            if i >= n {
                break;
            }
            if i == next {
                if inline_until <= i && stop(i) {
                    self.read(from, i);
                    return i;
                }
                next = stops(i + 1).unwrap_or(n).min(n);
                continue;
            }
            i = self.step(i, &mut inline_until, f);
            if i > next {
                next = stops(i).unwrap_or(n).min(n);
            }
        }
        self.read(from, n);
        n
    }
}

/// `found`'s offsets made relative to `base`.
fn relative(found: &mut Found, base: usize) {
    let back = |s: &mut Span| *s = Span::new(s.start - base.min(s.start), s.end - base.min(s.end));
    for m in found
        .footnotes
        .iter_mut()
        .chain(found.inline_markers.iter_mut())
    {
        back(&mut m.span);
        back(&mut m.label_span);
    }
    for d in &mut found.inline_defs {
        back(&mut d.span);
        back(&mut d.label_span);
        back(&mut d.content);
    }
    for c in &mut found.candidates {
        back(&mut c.span);
        back(&mut c.label_span);
        c.para -= base.min(c.para);
    }
    found.enumeration_paras = found
        .enumeration_paras
        .iter()
        .map(|p| p - base.min(*p))
        .collect();
}

/// Add a part's finds (relative to `base`) to the whole scan's, the inline notes
/// numbered on from the scan's.
fn join(out: &mut Found, part: &Found, base: usize) {
    let on = |s: Span| Span::new(s.start + base, s.end + base);
    out.footnotes.extend(part.footnotes.iter().map(|m| Marker {
        span: on(m.span),
        label_span: on(m.label_span),
        ..m.clone()
    }));
    for (m, d) in part.inline_markers.iter().zip(&part.inline_defs) {
        let label = format!("inline-{}", out.inline_markers.len() + 1);
        out.inline_markers.push(Marker {
            span: on(m.span),
            label_span: on(m.label_span),
            label: label.clone(),
            ..m.clone()
        });
        out.inline_defs.push(Definition {
            span: on(d.span),
            label_span: on(d.label_span),
            content: on(d.content),
            label,
            ..d.clone()
        });
    }
    out.candidates
        .extend(part.candidates.iter().map(|c| super::markers::Candidate {
            span: on(c.span),
            label_span: on(c.label_span),
            para: c.para + base,
            ..c.clone()
        }));
    out.enumeration_paras
        .extend(part.enumeration_paras.iter().map(|p| p + base));
}
