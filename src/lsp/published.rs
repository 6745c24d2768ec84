//! A document's last publication, kept for the next (issue #14: "diagnostics unchanged
//! outside the edit are not recomputed").
//!
//! Each diagnostic is kept with what it was made from (the finding's code, severity,
//! message, related places and fix titles; the encoding, the document's URI and the
//! rules' `docs_url` for the whole publication), its ranges, and its serialised JSON.
//! The next version is compared with the kept text once (common prefix and suffix: one
//! edit, however many changes were coalesced), and a finding equal to a kept one after
//! mapping its spans through that edit reuses it:
//!
//! - an offset before the start of the edit's first line keeps its position;
//! - an offset from the start of the line after the edit's last line on keeps its column
//!   and moves by the line breaks inserted or removed (the offset by the length change);
//! - an offset anywhere else (on the edit's own lines) is converted again, so is every
//!   diagnostic with a related place in another document (that document's text may
//!   have changed).
//!
//! A diagnostic with every position kept reuses its bytes, so does one whose positions
//! all moved by no line (its bytes hold no offset: only its spans are moved); one with
//! a position moved to another line is written again from its kept ranges and pieces
//! (no conversion, no `Diagnostic` or `Value` tree). The bytes are exactly what serialising [`super::convert::diagnostic`]
//! gives (`tests/lsp_publish.rs` checks it edit by edit, and counts the conversions).

use super::convert::{Carry, severity};
use crate::finding::{Finding, Severity, Span};
use crate::position::{Encoding, LineIndex};
use serde::Serialize;
use std::sync::Arc;
use tower_lsp_server::ls_types::{CodeDescription, Location, Position, Range, Uri};

/// Above this many diagnostics to write, they are written on every core.
const PARALLEL: usize = 256;

/// The last publication of one document (empty before the first).
#[derive(Default)]
pub struct Published {
    /// The URI, encoding, `docs_url` and related places (carried or not) the pieces
    /// were made for.
    key: Option<(String, Encoding, Option<String>, bool)>,
    text: Arc<str>,
    lines: Option<LineIndex>,
    pieces: Vec<Piece>,
    /// Diagnostics converted afresh by the last publication.
    converted: usize,
    /// Diagnostics whose bytes were written again (from kept ranges: moved to other
    /// lines) by the last one.
    rewritten: usize,
}

/// One diagnostic as published.
struct Piece {
    code: &'static str,
    severity: Severity,
    message: String,
    span: Span,
    range: Range,
    related: Vec<Rel>,
    /// Where in `bytes` the fields between the range and the related places
    /// (`"severity":…,"message":…`) are: kept there only.
    middle: std::ops::Range<u32>,
    /// Made with a related place in another document: never reused.
    foreign: bool,
    /// The serialised diagnostic.
    bytes: Vec<u8>,
}

/// A related place in the document itself.
struct Rel {
    span: Span,
    range: Range,
    message: String,
    /// The location's URI, serialised, for a place in another document.
    foreign: Option<Vec<u8>>,
}

/// Where the kept text and the new one differ: old `[p, q0)` became new `[p, q1)`.
#[derive(Clone, Copy, Debug)]
struct Shift {
    /// Offsets below this keep their position.
    keep_below: usize,
    /// Offsets from this on (old coordinates) move; `None`: none do.
    move_from: Option<usize>,
    delta: isize,
    lines: i64,
}

impl Shift {
    fn identity() -> Shift {
        Shift {
            keep_below: usize::MAX,
            move_from: None,
            delta: 0,
            lines: 0,
        }
    }

    /// The edit that turns `old` into `new`, as far as positions go.
    fn between(old: &str, old_lines: &LineIndex, new: &str, new_lines: &LineIndex) -> Shift {
        let (a, b) = (old.as_bytes(), new.as_bytes());
        let same = crate::memo::Unchanged::between(old, new);
        let (p, s) = (same.prefix(), same.suffix());
        if p == a.len() && p == b.len() {
            return Shift::identity();
        }
        let (q0, q1) = (a.len() - s, b.len() - s);
        let keep_below = old_lines.line_start(old_lines.line_of(p)).min(p);
        let last = old_lines.line_of(q0);
        let move_from = (last + 1 < old_lines.line_count()).then(|| old_lines.line_start(last + 1));
        Shift {
            keep_below,
            move_from,
            delta: b.len() as isize - a.len() as isize,
            lines: new_lines.line_of(q1) as i64 - last as i64,
        }
    }

    /// Whether the position of `o` is kept (`Some(false)`), moved (`Some(true)`) or
    /// must be converted again (`None`).
    fn class(&self, o: usize) -> Option<bool> {
        if o < self.keep_below {
            Some(false)
        } else if self.move_from.is_some_and(|m| o >= m) {
            Some(true)
        } else {
            None
        }
    }

    fn offset(&self, o: usize) -> usize {
        if o < self.keep_below {
            o
        } else {
            (o as isize + self.delta).max(0) as usize
        }
    }

    fn position(&self, o: usize, p: Position) -> Position {
        if o < self.keep_below {
            p
        } else {
            Position {
                line: (i64::from(p.line) + self.lines).max(0) as u32,
                character: p.character,
            }
        }
    }

    fn span(&self, s: Span) -> Option<(Span, bool)> {
        let (a, b) = (self.class(s.start)?, self.class(s.end)?);
        Some((Span::new(self.offset(s.start), self.offset(s.end)), a || b))
    }

    fn range(&self, s: Span, r: Range) -> Range {
        Range {
            start: self.position(s.start, r.start),
            end: self.position(s.end, r.end),
        }
    }
}

/// Where the diagnostics of a publication come from.
pub struct Source<'a> {
    pub text: &'a Arc<str>,
    pub lines: &'a LineIndex,
    pub uri: &'a Uri,
    pub enc: Encoding,
    /// What each diagnostic carries besides the finding's own fields.
    pub carry: Carry<'a>,
    /// Locates a related place in another document (its `path` is a URI).
    pub other: &'a (dyn Fn(&str, Span) -> Option<Location> + Sync),
}

impl Published {
    /// Diagnostics converted afresh by the last publication.
    pub fn converted(&self) -> usize {
        self.converted
    }

    /// Diagnostics written again from kept ranges by the last publication.
    pub fn rewritten(&self) -> usize {
        self.rewritten
    }

    /// The JSON array of the diagnostics of `findings` (in order), as serialising
    /// [`super::convert::diagnostics`] gives it; what can be is taken from the last
    /// publication, which this one then replaces.
    pub fn publish(&mut self, src: &Source<'_>, findings: &[&Finding]) -> Vec<u8> {
        let key = (
            src.uri.as_str().to_string(),
            src.enc,
            src.carry.docs_url.map(str::to_string),
            src.carry.related,
        );
        let old = std::mem::take(&mut self.pieces);
        let usable = self.key.as_ref() == Some(&key);
        let shift = match (&self.lines, usable) {
            (Some(ol), true) => Some(Shift::between(&self.text, ol, src.text, src.lines)),
            _ => None,
        };
        let uri_json = json(src.uri);
        // Match each finding with a kept piece: both lists are in the findings' order,
        // which mapping through the edit keeps.
        let mut candidates: Vec<(Span, Piece)> = Vec::new();
        if let Some(shift) = shift {
            for piece in old {
                if piece.foreign {
                    continue;
                }
                if let Some((span, _)) = shift.span(piece.span) {
                    candidates.push((span, piece));
                }
            }
        }
        let mut slots: Vec<Slot<'_>> = Vec::with_capacity(findings.len());
        let mut cands = candidates.into_iter().map(Some).collect::<Vec<_>>();
        let mut j = 0;
        for f in findings {
            let key = f.order_key();
            while cands.get(j).is_some_and(|c| {
                c.as_ref()
                    .is_none_or(|(s, p)| (s.start, s.end, p.code) < key)
            }) {
                j += 1;
            }
            let mut found = None;
            let mut k = j;
            while let (Some(c), Some(sh)) = (cands.get_mut(k), shift) {
                match c.as_ref().map(|(s, p)| (s.start, s.end, p.code) == key) {
                    Some(true)
                        if c.as_ref()
                            .is_some_and(|(_, p)| p.made_like(f, &sh, src.carry.related)) =>
                    {
                        found = c.take();
                        break;
                    }
                    Some(false) => break,
                    _ => {}
                }
                k += 1;
            }
            slots.push(match (found, shift) {
                (Some((_, p)), Some(sh)) => Slot::Kept(p, sh),
                _ => Slot::Fresh(f),
            });
        }
        let converted = slots.iter().filter(|s| matches!(s, Slot::Fresh(_))).count();
        let rewritten = slots
            .iter()
            .filter(|s| matches!(s, Slot::Kept(p, sh) if p.rewrites(sh)))
            .count();
        let make = |s: Slot<'_>| match s {
            Slot::Kept(p, sh) => p.mapped(&sh, &uri_json),
            Slot::Fresh(f) => Piece::new(src, f, &uri_json),
        };
        let pieces: Vec<Piece> = if slots.len() > PARALLEL {
            use rayon::prelude::*;
            slots.into_par_iter().with_min_len(64).map(make).collect()
        } else {
            slots.into_iter().map(make).collect()
        };
        // Room for the notification's head and tail, which are written around the
        // array in this same buffer (`wire::notification_bytes`).
        let room = 2 * src.uri.as_str().len() + 160;
        let mut out =
            Vec::with_capacity(pieces.iter().map(|p| p.bytes.len() + 1).sum::<usize>() + room);
        out.push(b'[');
        for (i, p) in pieces.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(&p.bytes);
        }
        out.push(b']');
        *self = Published {
            key: Some(key),
            text: src.text.clone(),
            lines: Some(src.lines.clone()),
            pieces,
            converted,
            rewritten,
        };
        out
    }
}

// Each slot is moved once into its piece; a box per kept diagnostic would cost the
// allocation this module saves.
#[allow(clippy::large_enum_variant)]
enum Slot<'a> {
    Kept(Piece, Shift),
    Fresh(&'a Finding),
}

/// `v` as JSON (only strings, numbers and derived structs: serialising cannot fail;
/// were it to, `null`).
fn json<T: Serialize + ?Sized>(v: &T) -> Vec<u8> {
    serde_json::to_vec(v).unwrap_or_else(|_| b"null".to_vec())
}

fn push_json<T: Serialize + ?Sized>(out: &mut Vec<u8>, v: &T) {
    if serde_json::to_writer(&mut *out, v).is_err() {
        out.extend_from_slice(b"null");
    }
}

fn push_num(out: &mut Vec<u8>, n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        if let Some(d) = digits.get_mut(i) {
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || i == 0 {
            break;
        }
    }
    out.extend_from_slice(digits.get(i..).unwrap_or_default());
}

fn push_range(out: &mut Vec<u8>, r: &Range) {
    out.extend_from_slice(b"{\"start\":{\"line\":");
    push_num(out, r.start.line.into());
    out.extend_from_slice(b",\"character\":");
    push_num(out, r.start.character.into());
    out.extend_from_slice(b"},\"end\":{\"line\":");
    push_num(out, r.end.line.into());
    out.extend_from_slice(b",\"character\":");
    push_num(out, r.end.character.into());
    out.extend_from_slice(b"}}");
}

/// The fields of a `Diagnostic` between its range and its related places, as its
/// derived serialisation writes them.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Middle<'a> {
    severity: tower_lsp_server::ls_types::DiagnosticSeverity,
    code: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    code_description: Option<CodeDescription>,
    source: &'static str,
    message: &'a str,
}

impl Piece {
    /// A finding converted afresh.
    fn new(src: &Source<'_>, f: &Finding, uri_json: &[u8]) -> Piece {
        let range = |s: Span| super::convert::range_in(src.text, src.lines, s, src.enc);
        let mut foreign = false;
        let related = f
            .related
            .iter()
            .filter(|_| src.carry.related)
            .filter_map(|r| match &r.path {
                None => Some(Rel {
                    span: r.span,
                    range: range(r.span),
                    message: r.message.clone(),
                    foreign: None,
                }),
                Some(p) => {
                    foreign = true;
                    let loc = (src.other)(p, r.span)?;
                    Some(Rel {
                        span: r.span,
                        range: loc.range,
                        message: r.message.clone(),
                        foreign: Some(json(&loc.uri)),
                    })
                }
            })
            .collect();
        let href =
            crate::rules::doc_url(src.carry.docs_url, f.code).and_then(|u| u.parse::<Uri>().ok());
        let middle = json(&Middle {
            severity: severity(f.severity),
            code: f.code,
            code_description: href.map(|href| CodeDescription { href }),
            source: "annalist",
            message: &f.message,
        });
        // Without its braces: the fields alone.
        let middle = middle
            .get(1..middle.len().saturating_sub(1))
            .unwrap_or_default();
        let mut p = Piece {
            code: f.code,
            severity: f.severity,
            message: f.message.clone(),
            span: f.span,
            range: range(f.span),
            related,
            middle: 0..0,
            foreign,
            bytes: Vec::new(),
        };
        p.write(middle, uri_json);
        p
    }

    /// Whether `f` would be made into this piece once its spans are mapped through
    /// `shift` (the caller has compared the main span and the code; `related`: whether
    /// related places are carried). Fixes are not published: they do not count.
    fn made_like(&self, f: &Finding, shift: &Shift, related: bool) -> bool {
        self.severity == f.severity
            && self.message == f.message
            && (!related
                || self.related.len() == f.related.len()
                    && self.related.iter().zip(&f.related).all(|(r, fr)| {
                        fr.path.is_none()
                            && r.message == fr.message
                            && shift.span(r.span).is_some_and(|(s, _)| s == fr.span)
                    }))
    }

    /// Whether any of its positions moves under `shift`.
    fn moves(&self, shift: &Shift) -> bool {
        std::iter::once(self.span)
            .chain(self.related.iter().map(|r| r.span))
            .any(|s| shift.span(s).is_none_or(|(_, moved)| moved))
    }

    /// Whether its bytes change under `shift`: a position moves to another line (a
    /// moved position keeps its column).
    fn rewrites(&self, shift: &Shift) -> bool {
        shift.lines != 0 && self.moves(shift)
    }

    /// This piece with its spans and ranges mapped through `shift` (every one is
    /// mappable: [`Piece::made_like`] said so), written again if a position moved to
    /// another line.
    fn mapped(mut self, shift: &Shift, uri_json: &[u8]) -> Piece {
        if !self.moves(shift) {
            return self;
        }
        let rewrite = self.rewrites(shift);
        self.range = shift.range(self.span, self.range);
        self.span = Span::new(shift.offset(self.span.start), shift.offset(self.span.end));
        for r in &mut self.related {
            r.range = shift.range(r.span, r.range);
            r.span = Span::new(shift.offset(r.span.start), shift.offset(r.span.end));
        }
        if rewrite {
            let old = std::mem::take(&mut self.bytes);
            let at = self.middle.start as usize..self.middle.end as usize;
            self.write(old.get(at).unwrap_or_default(), uri_json);
        }
        self
    }

    /// Serialise, as `serde_json` serialises the `Diagnostic` that
    /// [`super::convert::diagnostic`] makes.
    /// `middle`: the fields between the range and the related places.
    fn write(&mut self, middle: &[u8], uri_json: &[u8]) {
        // Sized for the whole diagnostic at once: kept until the next publication, so
        // no growth slack (the positions' digits are the only guess).
        let room = 96
            + middle.len()
            + self
                .related
                .iter()
                .map(|r| {
                    128 + r.message.len() + r.foreign.as_ref().map_or(uri_json.len(), Vec::len)
                })
                .sum::<usize>();
        let mut out = Vec::with_capacity(room);
        out.extend_from_slice(b"{\"range\":");
        push_range(&mut out, &self.range);
        out.push(b',');
        let at = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        self.middle = at(out.len())..at(out.len() + middle.len());
        out.extend_from_slice(middle);
        if !self.related.is_empty() {
            out.extend_from_slice(b",\"relatedInformation\":[");
            for (i, r) in self.related.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                out.extend_from_slice(b"{\"location\":{\"uri\":");
                match &r.foreign {
                    Some(u) => out.extend_from_slice(u),
                    None => out.extend_from_slice(uri_json),
                }
                out.extend_from_slice(b",\"range\":");
                push_range(&mut out, &r.range);
                out.extend_from_slice(b"},\"message\":");
                push_json(&mut out, &r.message);
                out.push(b'}');
            }
            out.push(b']');
        }
        out.push(b'}');
        self.bytes = out;
    }
}
