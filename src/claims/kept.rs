//! What the claims pass reads of the whole text rather than block by block — the
//! parentheses that may be sources (author–date citations, "(text in …, page 489)")
//! and whether each date names a document ("the December 12 Resolution") — kept
//! from one version of a document to the next and moved with the edit.
//!
//! Each is a function of a stretch of the text around its anchor (a parenthesis
//! reads forward to the end of its line at most; a date the words around it), so
//! one that lies wholly where the two versions are the same ([`Unchanged`]: the
//! common prefix, or the common suffix moved by the length the edit added) is what
//! it was, and only the stretch between is read again. What depends on the Markdown
//! model (a parenthesis in code is no source) or on the text before an anchor
//! without bound (the word before an author's year) is decided again each version
//! from what is kept, which is cheap: a look-up per kept item.
//!
//! A version's reads are used by the next version only (the one [`Unchanged`] was
//! measured against): a version that did not read (past the size limit) or failed
//! half-way leaves nothing the next one could misplace.

use super::attribution::{Paren, date_read, parens_in};
use crate::finding::Span;
use crate::memo::Unchanged;
use std::sync::Mutex;

/// The whole-text reads of the claims pass, kept between versions (one per open
/// document, in [`super::ClaimMemo`]).
#[derive(Default)]
pub(super) struct WholeText {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    unchanged: Unchanged,
    /// Versions begun: the kept reads are of the one before this.
    version: u64,
    kept: Option<Kept>,
    /// Bytes searched for parentheses and dates read afresh, since this was made
    /// (the tests' count of the work).
    scanned: usize,
    dates_read: usize,
}

/// One version's reads.
struct Kept {
    version: u64,
    /// The version's text length.
    len: usize,
    /// The parentheses that may be sources, by where they open.
    parens: Vec<Paren>,
    /// Each date expression (sorted): whether it names a document, and the stretch
    /// of text that answer read.
    dates: Vec<DateRead>,
}

/// A date expression and what it and its surroundings say of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct DateRead {
    pub(super) span: Span,
    /// The text this answer read (the date itself included).
    pub(super) read: Span,
    /// A precise date (a month or a day) that is not part of a name ("the December
    /// 12 Resolution"): one a dated statement may be made on.
    pub(super) counts: bool,
}

/// Where the two versions are the same, as the kept reads need it.
#[derive(Clone, Copy)]
struct Ends {
    /// The common prefix's length.
    prefix: usize,
    /// Where the common suffix starts in the old text and in the new.
    old_suffix: usize,
    new_suffix: usize,
}

impl Ends {
    fn new(u: Unchanged, old_len: usize, new_len: usize) -> Option<Ends> {
        let (prefix, suffix) = (u.prefix(), u.suffix());
        // Measured between these two lengths, or not to be trusted.
        (prefix + suffix <= old_len.min(new_len)).then_some(Ends {
            prefix,
            old_suffix: old_len - suffix,
            new_suffix: new_len - suffix,
        })
    }

    /// Where the read `r` of the old text lies in the new one, if its bytes are there
    /// unchanged.
    fn moved(&self, r: Span) -> Option<Span> {
        if r.end <= self.prefix {
            Some(r)
        } else if r.start >= self.old_suffix {
            Some(r.moved(self.old_suffix, self.new_suffix))
        } else {
            None
        }
    }

    /// Where `span` of the new text stood in the old one, if its bytes are unchanged.
    fn old_place(&self, span: Span) -> Option<Span> {
        if span.end <= self.prefix {
            Some(span)
        } else if span.start >= self.new_suffix {
            Some(span.moved(self.new_suffix, self.old_suffix))
        } else {
            None
        }
    }
}

impl WholeText {
    /// A new version, sharing `unchanged` with the last.
    pub(super) fn begin(&self, unchanged: Unchanged) {
        if let Ok(mut s) = self.state.lock() {
            s.unchanged = unchanged;
            s.version += 1;
        }
    }

    /// What this version shares with the last.
    pub(super) fn unchanged(&self) -> Unchanged {
        self.state.lock().map(|s| s.unchanged).unwrap_or_default()
    }

    /// Bytes searched for parentheses, and dates whose surroundings were read, afresh
    /// (not kept) since this was made.
    pub(super) fn read(&self) -> (usize, usize) {
        self.state
            .lock()
            .map(|s| (s.scanned, s.dates_read))
            .unwrap_or((0, 0))
    }

    /// This version's parentheses that may be sources, and what each date's
    /// surroundings say of it (`dates` sorted): the last version's moved with the
    /// edit, the rest read.
    pub(super) fn reads(&self, text: &str, dates: &[Span]) -> (Vec<Paren>, Vec<DateRead>) {
        let Ok(mut s) = self.state.lock() else {
            return fresh(text, dates);
        };
        let s = &mut *s;
        let last = s.kept.take().filter(|k| k.version + 1 == s.version);
        let ends = last
            .as_ref()
            .and_then(|k| Ends::new(s.unchanged, k.len, text.len()).map(|e| (k, e)));
        let (parens, dates, scanned, read) = match ends {
            None => {
                let (p, d) = fresh(text, dates);
                let n = d.len();
                (p, d, text.len(), n)
            }
            Some((k, e)) => {
                let (p, scanned) = moved_parens(text, &k.parens, e);
                let (d, read) = moved_dates(text, dates, &k.dates, e);
                (p, d, scanned, read)
            }
        };
        s.scanned += scanned;
        s.dates_read += read;
        s.kept = Some(Kept {
            version: s.version,
            len: text.len(),
            parens: parens.clone(),
            dates: dates.clone(),
        });
        (parens, dates)
    }
}

/// Every read of `text`, as a first version (or `check`) makes them.
pub(super) fn fresh(text: &str, dates: &[Span]) -> (Vec<Paren>, Vec<DateRead>) {
    let mut parens = Vec::new();
    parens_in(text, 0, text.len(), &mut parens);
    let dates = dates.iter().map(|&d| date_read(text, d)).collect();
    (parens, dates)
}

/// The parentheses of the new text: the old ones before the line the edit starts
/// on and in the common suffix, the others found again. A parenthesis reads forward
/// to the end of its line at most, so one opened before that line reads only the
/// common prefix, and one opened in the common suffix only the suffix.
fn moved_parens(text: &str, old: &[Paren], e: Ends) -> (Vec<Paren>, usize) {
    let bytes = text.as_bytes();
    let from = bytes
        .get(..e.prefix)
        .and_then(|b| memchr::memrchr(b'\n', b))
        .map_or(0, |i| i + 1);
    let to = e.new_suffix;
    let mut out: Vec<Paren> = Vec::with_capacity(old.len() + 4);
    let cut = old.partition_point(|p| p.open < from);
    out.extend_from_slice(old.get(..cut).unwrap_or(&[]));
    parens_in(text, from, to, &mut out);
    let tail = old.partition_point(|p| p.open < e.old_suffix);
    out.extend(
        old.get(tail..)
            .unwrap_or(&[])
            .iter()
            .map(|p| p.moved(e.old_suffix, e.new_suffix)),
    );
    (out, to.saturating_sub(from))
}

/// Each date's read: the old one where the stretch it read is unchanged (found by
/// the date's old place, stepping along the old reads in order), else read again.
fn moved_dates(text: &str, dates: &[Span], old: &[DateRead], e: Ends) -> (Vec<DateRead>, usize) {
    let mut out = Vec::with_capacity(dates.len());
    let mut read = 0;
    let mut i = 0;
    for &d in dates {
        let kept = e.old_place(d).and_then(|at| {
            // Old places grow with new ones (the prefix stays, the suffix moves as one).
            while old.get(i).is_some_and(|o| o.span < at) {
                i += 1;
            }
            let o = old.get(i).filter(|o| o.span == at)?;
            let r = e.moved(o.read)?;
            // The same stretch, on the same side of the edit as the date.
            (r.start <= d.start && d.end <= r.end).then_some(DateRead {
                span: d,
                read: r,
                counts: o.counts,
            })
        });
        out.push(kept.unwrap_or_else(|| {
            read += 1;
            date_read(text, d)
        }));
    }
    (out, read)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{test_dates, test_notes};
    use super::super::*;
    use super::*;

    /// Each version's claims through one memo, against a fresh reading; and the
    /// whole-text reads moved with each edit against fresh ones.
    fn check_versions(versions: &[String]) -> (usize, usize) {
        let memo = ClaimMemo::default();
        let whole = WholeText::default();
        let cfg = Claims::default();
        let layers = Layers::default();
        let mut last = String::new();
        for (k, t) in versions.iter().enumerate() {
            let u = Unchanged::between(&last, t);
            memo.begin(u);
            whole.begin(u);
            let md = MdModel::parse(t);
            let notes = test_notes(t);
            let mut dates = test_dates(t);
            dates.sort();
            let input = ClaimInputs {
                text: t,
                md: &md,
                notes: &notes,
                dates: &dates,
                cfg: &cfg,
                layers: &layers,
                citations: None,
            };
            let kept = find_layered(&input, Some(&memo));
            memo.sweep();
            assert_eq!(
                kept,
                find_layered(&input, None),
                "claims of version {k}: {t:?}"
            );
            assert_eq!(
                whole.reads(t, &dates),
                fresh(t, &dates),
                "reads of version {k}: {t:?}"
            );
            last = t.clone();
        }
        memo.whole_text_read()
    }

    /// Edits that change what a parenthesis or a date is from outside it: the line
    /// it closes on, the word before it, the code around it, the words after a date.
    #[test]
    fn moved_reads_equal_fresh_ones_through_edits() {
        let base = "# Report\n\n\
            Cumings (1990, 45) says Kim told Shtykov on 5 March 1950 that “we must \
            strike first and strike hard” (Weathersby 1995, 23).\n\n\
            On 3 August the Politburo rejected the proposal (text in the Department \
            of State Bulletin, October 3, 1949, page 489).\n\n\
            The December 12 Resolution was adopted; on December 12 Stalin wrote \
            that “the time has come to act now” (see Smith 1990).\n";
        let edits: &[(&str, &str)] = &[
            ("Cumings (", "cumings ("),
            ("cumings (", "Cumings\n("),
            ("Cumings\n(", "Cumings ("),
            ("(1990, 45)", "(1990, 45"),
            ("(1990, 45", "(1990, 45)"),
            ("(Weathersby", "`(Weathersby"),
            ("23).", "23).`"),
            ("`(Weathersby", "(Weathersby"),
            ("23).`", "23)."),
            ("page 489)", "page\n489)"),
            ("page\n489)", "page 489)"),
            ("(text in", "(Text in"),
            ("The December 12 Resolution", "The December 12 resolution"),
            ("December 12 resolution", "December 12 Resolution"),
            ("The December 12", "A December 12"),
            ("A December 12", "The December 12"),
            ("on December 12 Stalin", "on December 12 Resolution Stalin"),
            ("(see Smith 1990)", "(see Smith 1990) (Jones 1991)"),
            ("# Report\n", "```\n# Report\n"),
            ("```\n# Report\n", "# Report\n"),
        ];
        let mut versions = vec![base.to_string()];
        let mut text = base.to_string();
        for (find, replace) in edits {
            let at = text
                .find(find)
                .unwrap_or_else(|| panic!("{find:?} not in {text:?}"));
            text.replace_range(at..at + find.len(), replace);
            versions.push(text.clone());
        }
        // Typing a citation one character at a time, and deleting it again.
        let cite = " (Kim 1951, 3)";
        let at = text.find("act now”").map_or(0, |i| i + "act now”".len());
        for n in (1..=cite.len()).chain((0..cite.len()).rev()) {
            versions.push(format!("{}{}{}", &text[..at], &cite[..n], &text[at..]));
        }
        check_versions(&versions);
    }

    /// A keystroke in a long text searches one line for parentheses and reads the
    /// dates near it, not the whole text.
    #[test]
    fn a_keystroke_reads_one_line() {
        let para = "On 5 March 1950 Kim told Shtykov that “we must strike first and \
            strike hard” (Weathersby 1995, 23), and Cumings (1990, 45) agrees; see the \
            December 12 Resolution (text in FRUS, 1950, page 489).\n\n";
        let text = para.repeat(400);
        let mid = text.len() / 2;
        let mid = text
            .get(mid..)
            .and_then(|r| r.find("Kim"))
            .map_or(0, |i| mid + i);
        let mut versions = vec![text.clone()];
        for ch in ["x", "y", "z"] {
            let last = versions.last().cloned().unwrap_or_default();
            versions.push(format!("{}{ch}{}", &last[..mid], &last[mid..]));
        }
        let (scanned, dates) = check_versions(&versions);
        // The first version reads everything; each keystroke one line and its dates.
        let first = text.len();
        assert!(scanned >= first, "{scanned}");
        assert!(scanned - first <= 3 * para.len(), "{scanned} - {first}");
        let per_version = test_dates(&text).len();
        assert!(dates >= per_version, "{dates}");
        assert!(dates - per_version <= 3 * 4, "{dates} - {per_version}");
    }
}

#[cfg(test)]
mod ahead_tests {
    use super::super::{AHEAD_BYTES, Ahead};
    use crate::finding::Span;

    /// Results computed ahead (enough bytes: on rayon's threads) are those of the
    /// paragraphs asked, each given once, in order; with too few bytes none is.
    #[test]
    fn ahead_gives_each_result_once_in_order() {
        let wanted = (0..100).map(|k| (2 * k, Span::new(0, AHEAD_BYTES / 50)));
        let mut a = Ahead::compute(wanted, |k| Some(k * 10));
        for k in 0..200 {
            let want = (k % 2 == 0).then_some(k * 10);
            assert_eq!(a.take(k), want, "block {k}");
            assert_eq!(a.take(k), None, "block {k} again");
        }
        let few = (0..10).map(|k| (k, Span::new(0, 10)));
        let mut a = Ahead::compute(few, Some);
        assert_eq!(a.take(3), None);
    }
}
