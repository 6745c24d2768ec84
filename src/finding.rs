//! What the engine reports: findings with byte spans, severities and fixes.
//!
//! Everything here is in byte offsets of the analysed text. Conversion to editor
//! positions (UTF-8/UTF-16) or to 1-based line/column happens only in
//! [`crate::position`].

use serde::{Deserialize, Serialize};
use std::fmt;

/// A half-open byte range `[start, end)` into a document's text.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// Sort `spans`, drop the empty ones and merge those that overlap or touch: sorted,
/// disjoint regions, ready for binary search.
pub fn normalise_spans(spans: &mut Vec<Span>) {
    spans.retain(|s| !s.is_empty());
    spans.sort();
    merge_sorted(spans);
}

/// Merge the spans of sorted `spans` that overlap or touch (an empty span is kept, as
/// a point, unless it lies in or at the end of another).
fn merge_sorted(spans: &mut Vec<Span>) {
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans.drain(..) {
        match out.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    *spans = out;
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    /// The span moved with the text around it: from a place where what holds it
    /// started at `from` to one where it starts at `to`.
    pub const fn moved(self, from: usize, to: usize) -> Span {
        Span {
            start: self.start + to - from,
            end: self.end + to - from,
        }
    }

    pub const fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }
    pub const fn is_empty(&self) -> bool {
        self.end <= self.start
    }
    /// True when `offset` lies inside the span (end exclusive).
    pub const fn contains(&self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }
    /// True when `offset` lies inside the span or touches its end (cursor semantics).
    pub const fn touches(&self, offset: usize) -> bool {
        self.start <= offset && offset <= self.end
    }
    pub const fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
    /// Text of this span, or "" when it does not fall on char boundaries of `text`.
    pub fn slice<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

/// How serious a finding is. `Off` exists only in configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
    Hint,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        }
    }
    /// Lower rank is more severe.
    pub fn rank(self) -> u8 {
        match self {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Info => 2,
            Severity::Hint => 3,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One replacement of a byte range by new text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    pub span: Span,
    pub new_text: String,
}

/// A fix the user can apply. As in ruff, a fix is safe or unsafe: `annalist check
/// --fix` applies only safe ones, `--unsafe-fixes` the others too, and the editor
/// offers both, the unsafe ones labelled. A fix is safe only when it cannot alter what
/// a source says (a footnote definition stub at the end, the transcriber's own note
/// labels); a change of wording (a name's spelling, an OCR repair, a weekday, a year)
/// or any edit inside a quotation, block quote, gloss, table or the text of a primary
/// or edition document is never safe ([`downgrade_fixes`] enforces the second part).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    pub title: String,
    pub edits: Vec<Edit>,
    pub safe: bool,
}

impl Fix {
    /// The title as the editor offers it: unsafe fixes end in " (unsafe)".
    pub fn label(&self) -> String {
        if self.safe {
            self.title.clone()
        } else {
            format!("{} (unsafe)", self.title)
        }
    }
}

/// Mark unsafe every fix with an edit inside one of `protected` (sorted byte ranges:
/// quotations, block quotes, glosses, tables, a source's text): it overlaps one, or
/// inserts strictly inside one. Run once on every document's findings after the rules,
/// so no rule can make a source-rewriting fix safe.
pub fn downgrade_fixes(findings: &mut [Finding], protected: &[Span]) {
    for f in findings.iter_mut() {
        for fix in f.fixes.iter_mut().filter(|x| x.safe) {
            if fix.edits.iter().any(|e| within(protected, e.span)) {
                fix.safe = false;
            }
        }
    }
}

/// The places the safe fixes of some findings edit (sorted; those that overlap or touch
/// merged; an insertion point kept as a point): all that [`downgrade_fixes`] asks of
/// the protected regions. A region that touches none of them cannot make a safe fix
/// unsafe, so the regions of the blocks that touch none need not be found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Near(Vec<Span>);

impl Near {
    /// The edits of the safe fixes of `findings`.
    pub fn of_safe_fixes(findings: &[Finding]) -> Near {
        let mut v: Vec<Span> = findings
            .iter()
            .flat_map(|f| f.fixes.iter().filter(|x| x.safe))
            .flat_map(|x| x.edits.iter().map(|e| e.span))
            .collect();
        v.sort();
        merge_sorted(&mut v);
        Near(v)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `region` overlaps one of the places or shares an end with one.
    pub fn touches(&self, region: Span) -> bool {
        let i = self.0.partition_point(|s| s.end < region.start);
        self.0.get(i).is_some_and(|s| s.start <= region.end)
    }
}

/// A place related to a finding (the first definition of a duplicated note, the other spelling…).
/// `path` is `None` for the same document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Related {
    pub path: Option<String>,
    pub span: Span,
    pub message: String,
}

/// A problem found in a document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable rule code, e.g. `footnote-undefined`.
    pub code: &'static str,
    pub severity: Severity,
    pub span: Span,
    pub message: String,
    pub related: Vec<Related>,
    pub fixes: Vec<Fix>,
}

impl Finding {
    pub fn new(
        code: &'static str,
        severity: Severity,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            code,
            severity,
            span,
            message: message.into(),
            related: Vec::new(),
            fixes: Vec::new(),
        }
    }
    pub fn with_related(mut self, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Related {
            path: None,
            span,
            message: message.into(),
        });
        self
    }
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fixes.push(fix);
        self
    }
}

/// The engine's order of findings: by position (start, then end), then code. Stable:
/// findings equal in all three keep the order the rules produced them in. The one sort
/// every front end and the workspace use, so the editor and CI list findings alike.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|x, y| x.order_key().cmp(&y.order_key()));
}

impl Finding {
    /// What [`sort`] orders by.
    pub fn order_key(&self) -> (usize, usize, &'static str) {
        (self.span.start, self.span.end, self.code)
    }
}

/// Apply non-overlapping edits to `text`. Overlapping or out-of-range edits are skipped
/// (the first one in position order wins), so the result is always well-formed.
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for e in sorted {
        if e.span.start < pos
            || e.span.end < e.span.start
            || e.span.end > text.len()
            || !text.is_char_boundary(e.span.start)
            || !text.is_char_boundary(e.span.end)
        {
            continue;
        }
        out.push_str(&text[pos..e.span.start]);
        out.push_str(&e.new_text);
        pos = e.span.end;
    }
    out.push_str(&text[pos..]);
    out
}

/// True when an edit of `span` overlaps one of `regions` (sorted), or inserts strictly
/// inside one.
pub fn within(regions: &[Span], span: Span) -> bool {
    let i = regions.partition_point(|s| s.end <= span.start);
    regions
        .iter()
        .skip(i)
        .take_while(|r| r.start <= span.end)
        .any(|r| {
            if span.is_empty() {
                r.start < span.start && span.start < r.end
            } else {
                r.overlaps(span)
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixes_touching_protected_text_are_downgraded() {
        let fix = |start: usize, end: usize| Fix {
            title: "t".into(),
            edits: vec![Edit {
                span: Span::new(start, end),
                new_text: "x".into(),
            }],
            safe: true,
        };
        let protected = [Span::new(10, 20), Span::new(30, 40)];
        // (edit, stays safe)
        let cases = [
            ((12, 14), false), // a replacement inside
            ((5, 11), false),  // overlapping the start
            ((15, 15), false), // an insertion strictly inside
            ((10, 10), true),  // an insertion at the start: before it
            ((20, 20), true),  // right after it (a marker after a closing quote)
            ((0, 5), true),    // elsewhere
            ((45, 45), true),  // at the end of the document
            ((39, 41), false),
        ];
        for ((s, e), safe) in cases {
            let mut fs = vec![
                Finding::new("x", Severity::Warning, Span::new(s, e), "m").with_fix(fix(s, e)),
            ];
            downgrade_fixes(&mut fs, &protected);
            assert_eq!(fs[0].fixes[0].safe, safe, "edit {s}..{e}");
        }
        // An unsafe fix never becomes safe; the label says so.
        let mut f = fix(0, 1);
        f.safe = false;
        assert_eq!(f.label(), "t (unsafe)");
        f.safe = true;
        assert_eq!(f.label(), "t");
    }

    #[test]
    fn edits_apply_in_order_and_skip_overlaps() {
        let t = "abcdef";
        let edits = vec![
            Edit {
                span: Span::new(4, 5),
                new_text: "E".into(),
            },
            Edit {
                span: Span::new(0, 1),
                new_text: "AA".into(),
            },
            Edit {
                span: Span::new(0, 2),
                new_text: "zz".into(),
            },
        ];
        assert_eq!(apply_edits(t, &edits), "AAbcdEf");
    }
}
