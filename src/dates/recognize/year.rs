//! The document pass: pending years inferred, three-digit years judged, values written.

use super::{LineClass, Raw, V, YearSrc};
use crate::dates::lang::Lang;
use crate::dates::{DateMention, Precision, Problem, YearSource, edtf};
use crate::finding::Span;
use crate::markdown::MdModel;
use jiff::civil::Date;

/// The document's own date: the last day it can be, its year, and where it is written.
#[derive(Clone, Debug)]
pub(super) struct DocDate {
    date: Date,
    year: i32,
    source: YearSource,
    /// The text opens with its own dateline (`Seoul, August 20, 1949.`): a letter, a
    /// telegram, a memorandum, whose undated days are its own year's unless its
    /// paragraph says otherwise.
    dateline: bool,
}

/// Days a date without a year may fall after the document's date before its year is
/// moved back: a despatch of September 14 looks ahead to "October 21" (37 days, FRUS
/// 1949 VII/2 d279) and one of August 20 to "October 1" (42 days, d277), but
/// `December 12` in a June or July document (146 days, d273) is last December.
const FUTURE_TOLERANCE_DAYS: i32 = 92;

/// Words that mark a line as a source, a publication, an archival stamp or a reference
/// (compared lowercase): its dates are about the record and never lend their year.
const REFERENCE_MARKS: &[&str] = &[
    "foreign relations of the united states",
    "printing office",
    "declassified",
    "e.o. 1",
    "department of state bulletin",
    "printed in",
    "reprinted in",
    "published in",
    "source:",
    "sources:",
    "authority:",
    "nnd ",
    "archive",
    "vol.",
    "volume ",
];

/// The document's date: the front matter's `date:`, else a dateline that is the first
/// date of the document outside quotations and headings.
pub(super) fn document_date(text: &str, md: &MdModel, raws: &[Raw]) -> Option<DocDate> {
    // The first date outside quotations, headings and reference lines, when it is a
    // dateline with its year written.
    let dateline = raws
        .iter()
        .find(|r| r.place.quote == 0 && !r.place.heading && r.place.class != LineClass::Reference)
        .filter(|r| r.place.class == LineClass::Dateline && !r.name)
        .and_then(|r| match r.year {
            YearSrc::Written(sp) => Some((r, sp)),
            _ => None,
        });
    if let Some(fm) = md.front_matter.and_then(|f| text.get(f.start..f.end)) {
        for line in fm.lines() {
            let Some(v) = line.trim().strip_prefix("date:") else {
                continue;
            };
            let v = v.trim().trim_matches(|c| c == '"' || c == '\'');
            if let Some(d) = parse_doc_date(v) {
                return Some(DocDate {
                    date: d,
                    year: d.year().into(),
                    source: YearSource::FrontMatter(v.to_string()),
                    dateline: dateline.is_some(),
                });
            }
        }
    }
    let (first, sp) = dateline?;
    let last = first.b.unwrap_or(first.a);
    let (_, _, end, _) = value(last, false).ok()?;
    Some(DocDate {
        date: end,
        year: last.year(),
        source: YearSource::Dateline(sp),
        dateline: true,
    })
}

/// `1949-06-26`, `1949-06`, `1949` (a date-time's date part too): the last day meant.
fn parse_doc_date(v: &str) -> Option<Date> {
    let y: i16 = v.get(..4)?.parse().ok()?;
    let rest = v.get(4..).unwrap_or("");
    if rest.is_empty() {
        return Date::new(y, 12, 31).ok();
    }
    let m: i8 = rest.strip_prefix('-')?.get(..2)?.parse().ok()?;
    let rest = rest.get(3..).unwrap_or("");
    if rest.is_empty() {
        return Date::new(y, m, 1).ok().map(|d| d.last_of_month());
    }
    let d: i8 = rest.strip_prefix('-')?.get(..2)?.parse().ok()?;
    Date::new(y, m, d).ok()
}

/// True when the document speaks of Russia or the Soviet Union.
pub(super) fn soviet_document(text: &str, lang: &Lang) -> bool {
    let lower = text.to_lowercase();
    lang.russian_context.iter().any(|w| {
        lower.match_indices(w).any(|(at, _)| {
            let before = lower.get(..at).and_then(|b| b.chars().next_back());
            let after = lower.get(at + w.len()..).and_then(|r| r.chars().next());
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
    })
}

/// How far from a date its line is looked at: a longer line is judged on this window
/// (a dateline is short anyway), so a long one-line paragraph costs no more per date.
const LINE_WINDOW: usize = 300;

/// The line of `block` (its content span) holding `span`, cut to [`LINE_WINDOW`] bytes
/// on either side.
fn line_of(text: &str, block: Span, span: Span) -> (usize, &str) {
    let mut lo = span.start.saturating_sub(LINE_WINDOW).max(block.start);
    while lo < span.start && !text.is_char_boundary(lo) {
        lo += 1;
    }
    let mut hi = span
        .end
        .saturating_add(LINE_WINDOW)
        .min(block.end)
        .min(text.len());
    while hi > span.end && !text.is_char_boundary(hi) {
        hi -= 1;
    }
    let start = text
        .get(lo..span.start)
        .and_then(|t| t.rfind('\n'))
        .map(|i| lo + i + 1)
        .unwrap_or(lo);
    let end = text
        .get(span.end..hi)
        .and_then(|t| t.find('\n'))
        .map(|i| span.end + i)
        .unwrap_or(hi);
    (start, text.get(start..end).unwrap_or(""))
}

/// What [`line_class`] keeps of the lines of one block: the answer for the last
/// window it judged (the dates of one short line share it), and the reference marks
/// of the last whole line it read, found once for all the dates on that line.
#[derive(Default)]
pub(super) struct LineMemo {
    last: Option<(usize, usize, bool)>,
    /// The whole line (start, end) whose marks `marks` holds.
    line: Option<(usize, usize)>,
    /// Each occurrence of a [`REFERENCE_MARKS`] mark in the whole line lowered without
    /// emphasis: the starts (in the text) of the characters its first and last bytes
    /// were lowered from.
    marks: Vec<(usize, usize)>,
    /// Buffers: the line lowered, and where each of its bytes came from.
    lowered: String,
    from: Vec<usize>,
    /// The offsets of the block's line breaks, found on first need.
    breaks: Option<Vec<usize>>,
    /// Bytes of the text lowered so far (for the tests that count it).
    pub(super) read: usize,
}

impl LineMemo {
    /// Whether a mark lies wholly in the window `ws..we` of the whole line `line`:
    /// what [`has_reference_mark`] answers of the window lowered without emphasis
    /// (the lowering is character by character, so the window's lowered text is a
    /// stretch of the line's, and a mark in it one of the line's marks).
    fn has_mark(&mut self, text: &str, line: (usize, usize), ws: usize, we: usize) -> bool {
        let Some(ac) = &*MARKS else {
            // No automaton: the window lowered and searched on its own.
            let lower = lowered_without_emphasis(text.get(ws..we).unwrap_or(""));
            return REFERENCE_MARKS.iter().any(|m| lower.contains(m));
        };
        if self.line != Some(line) {
            self.line = Some(line);
            self.marks.clear();
            let s = text.get(line.0..line.1).unwrap_or("");
            self.read += s.len();
            if memchr::memchr2(b'*', b'_', s.as_bytes()).is_none()
                && let Some(any_case) = &*MARKS_ANY_CASE
            {
                // No emphasis to drop: the marks found in the text itself, in any
                // ASCII case, are those of its lowered form (see [`MARKS_ANY_CASE`]).
                for m in any_case.find_overlapping_iter(s) {
                    self.marks
                        .push((line.0 + m.start(), line.0 + m.end().saturating_sub(1)));
                }
                return self.marks.iter().any(|&(a, z)| a >= ws && z < we);
            }
            lower_without_emphasis_from(s, line.0, &mut self.lowered, &mut self.from);
            for m in ac.find_overlapping_iter(self.lowered.as_str()) {
                if let (Some(&a), Some(&z)) = (
                    self.from.get(m.start()),
                    m.end().checked_sub(1).and_then(|e| self.from.get(e)),
                ) {
                    self.marks.push((a, z));
                }
            }
        }
        self.marks.iter().any(|&(a, z)| a >= ws && z < we)
    }

    /// The whole line of `block` holding `span` (from the last `\n` before it to the
    /// first after it), of which [`line_of`] returns a window: the block's line breaks
    /// found once, then looked up.
    fn whole_line(&mut self, text: &str, block: Span, span: Span) -> (usize, usize) {
        let end = block.end.min(text.len());
        let breaks = self.breaks.get_or_insert_with(|| {
            let s = text.get(block.start..end).unwrap_or("");
            memchr::memchr_iter(b'\n', s.as_bytes())
                .map(|i| block.start + i)
                .collect()
        });
        let before = breaks.partition_point(|&n| n < span.start);
        let start = before
            .checked_sub(1)
            .and_then(|k| breaks.get(k))
            .map_or(block.start, |&n| n + 1);
        let after = breaks.partition_point(|&n| n < span.end);
        let stop = breaks.get(after).copied().unwrap_or(end);
        (start, stop)
    }
}

/// Is the line of a date a dateline, a reference, or prose?
pub(super) fn line_class(text: &str, block: Span, span: Span, memo: &mut LineMemo) -> LineClass {
    let (ls, line) = line_of(text, block, span);
    let reference = match memo.last {
        Some((s, n, r)) if s == ls && n == line.len() => r,
        _ => {
            let whole = memo.whole_line(text, block, span);
            let r = reference_window(text, whole, ls, ls + line.len(), memo);
            memo.last = Some((ls, line.len(), r));
            r
        }
    };
    if reference {
        return LineClass::Reference;
    }
    let before = line
        .get(..span.start.saturating_sub(ls))
        .unwrap_or("")
        .trim_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '_' | '>' | '#'));
    let after = line.get(span.end.saturating_sub(ls)..).unwrap_or("").trim();
    let place_ok = before.is_empty()
        || (before.ends_with(',')
            && before.len() <= 40
            && before.split_whitespace().count() <= 4
            && before.chars().next().is_some_and(char::is_uppercase));
    // At most 24 characters after the date.
    if place_ok && after.chars().nth(24).is_none() {
        return LineClass::Dateline;
    }
    LineClass::Prose
}

/// [`reference_line`] of the window `ws..we` of the whole line `whole`, its marks
/// found once per whole line.
fn reference_window(
    text: &str,
    whole: (usize, usize),
    ws: usize,
    we: usize,
    memo: &mut LineMemo,
) -> bool {
    let line = text.get(ws..we).unwrap_or("");
    let bare = line.trim_start_matches(|c: char| c == '>' || c.is_whitespace());
    if bare.starts_with("[^") || memo.has_mark(text, whole, ws, we) {
        return true;
    }
    file_number(bare)
}

/// A reference line: a footnote definition, a line naming a publication or an archive,
/// a file number (what [`line_class`] answers, a line at a time).
#[cfg(test)]
fn reference_line(line: &str) -> bool {
    // Emphasis marks dropped: `Department of State *Bulletin*, October 3, 1949` (FRUS
    // 1949 VII/2 d282) is a publication line.
    let bare = line.trim_start_matches(|c: char| c == '>' || c.is_whitespace());
    if bare.starts_with("[^") || has_reference_mark(&lowered_without_emphasis(line)) {
        return true;
    }
    file_number(bare)
}

/// File numbers: `795.00/6–2550: Telegram`, `501.BB Korea/7–2448`.
fn file_number(bare: &str) -> bool {
    let digits = bare.bytes().take_while(u8::is_ascii_digit).count();
    digits >= 3 && bare.as_bytes().get(digits) == Some(&b'.') && bare.contains('/')
}

/// The marks as one automaton, built once.
static MARKS: std::sync::LazyLock<Option<aho_corasick::AhoCorasick>> =
    std::sync::LazyLock::new(|| aho_corasick::AhoCorasick::new(REFERENCE_MARKS).ok());

/// The marks found in any ASCII case in a line without emphasis marks, not lowered:
/// the same as in the line lowered. Only two characters but ASCII ones lower to
/// ASCII: the Kelvin sign to `k`, which no mark holds, and `İ` to `i` and a combining
/// dot, which no mark holds either (and none ends in `i`); so a mark in the lowered
/// line was written in ASCII letters, in some case, in the line itself.
static MARKS_ANY_CASE: std::sync::LazyLock<Option<aho_corasick::AhoCorasick>> =
    std::sync::LazyLock::new(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(REFERENCE_MARKS)
            .ok()
    });

/// Whether `lower` contains one of [`REFERENCE_MARKS`]: one pass of an automaton
/// over the marks (built once), not a search per mark.
#[cfg(test)]
fn has_reference_mark(lower: &str) -> bool {
    match &*MARKS {
        Some(ac) => ac.is_match(lower),
        None => REFERENCE_MARKS.iter().any(|m| lower.contains(m)),
    }
}

/// `line` lowercased, `*` and `_` dropped: an ASCII character lowered in place (what
/// `char::to_lowercase` does to it), any other through `char::to_lowercase`.
fn lowered_without_emphasis(line: &str) -> String {
    let mut out = String::new();
    let mut from = Vec::new();
    lower_without_emphasis_from(line, 0, &mut out, &mut from);
    out
}

/// [`lowered_without_emphasis`] of `line` (which starts at `at` in the text) into
/// `out`, and into `from` the text offset of the character each byte of `out` was
/// lowered from.
fn lower_without_emphasis_from(line: &str, at: usize, out: &mut String, from: &mut Vec<usize>) {
    out.clear();
    from.clear();
    out.reserve(line.len());
    from.reserve(line.len());
    for (i, c) in line.char_indices() {
        match c {
            '*' | '_' => {}
            c if c.is_ascii() => {
                out.push(c.to_ascii_lowercase());
                from.push(at + i);
            }
            c => {
                let before = out.len();
                out.extend(c.to_lowercase());
                from.extend(std::iter::repeat_n(at + i, out.len() - before));
            }
        }
    }
}

/// The first day a value covers.
fn first_day(v: V) -> Option<Date> {
    value(v, false).ok().map(|x| x.1)
}

/// Infer pending years, decide about three-digit years, and write the values.
/// Whether `y` written in decimal (`y.to_string()`) starts with `digits`, without
/// writing it out.
fn year_starts_with(y: i32, digits: &str) -> bool {
    let mut buf = [0u8; 12];
    let mut i = buf.len();
    let mut n = y.unsigned_abs();
    loop {
        i -= 1;
        if let Some(b) = buf.get_mut(i) {
            *b = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if y < 0 {
        i -= 1;
        if let Some(b) = buf.get_mut(i) {
            *b = b'-';
        }
    }
    buf.get(i..)
        .unwrap_or_default()
        .starts_with(digits.as_bytes())
}

pub(super) fn resolve(raws: Vec<Raw>, doc: Option<DocDate>) -> Vec<DateMention> {
    // Four-digit years written in the document, in order, for cut-short years.
    let written: Vec<(usize, i32)> = raws
        .iter()
        .filter(|r| r.short_year.is_none())
        .filter_map(|r| match r.year {
            YearSrc::Written(sp) if sp.len() == 4 => {
                Some((r.span.start, r.b.unwrap_or(r.a).year()))
            }
            _ => None,
        })
        .collect();
    let mut out = Vec::with_capacity(raws.len());
    // The latest written year (outside quotations; anywhere): value, span, block.
    let mut last_outer: Option<(i32, Span, usize)> = None;
    let mut last_any: Option<(i32, Span, usize)> = None;
    for r in raws {
        let mut m = DateMention {
            span: r.span,
            edtf: String::new(),
            precision: Precision::Day,
            start: None,
            end: None,
            inferred_year: false,
            year_from: None,
            written_weekday: r.weekday.map(|w| w.0),
            weekday_span: r.weekday.map(|w| w.1),
            qualifier: r.qualifier,
            problem: None,
            year_source: None,
            year_stepped_back: false,
            in_name: r.name,
        };
        if let Some((digits, sp)) = &r.short_year {
            let prefix_matches = |y: &i32| year_starts_with(*y, digits.as_str());
            // `written` is in the document's order: the years before the date and
            // those after it are found from where it stands, not from the ends.
            let before = written.partition_point(|(at, _)| *at < r.span.start);
            let after = written.partition_point(|(at, _)| *at <= r.span.start);
            let previous = written
                .get(..before)
                .unwrap_or_default()
                .iter()
                .rev()
                .find(|(_, y)| prefix_matches(y))
                .map(|x| x.1);
            let next = written
                .get(after..)
                .unwrap_or_default()
                .iter()
                .find(|(_, y)| prefix_matches(y))
                .map(|x| x.1);
            if previous.is_some() || next.is_some() {
                let (mo, d) = match r.b.unwrap_or(r.a) {
                    V::Day { m, d, .. } => (m, d),
                    _ => (1, 1),
                };
                m.precision = if r.b.is_some() {
                    Precision::Range
                } else {
                    Precision::Day
                };
                m.edtf = format!("{digits}X-{mo:02}-{d:02}");
                m.problem = Some(Problem::YearCutShort {
                    written: digits.clone(),
                    span: *sp,
                    previous,
                    next,
                });
                out.push(m);
                continue;
            }
        }
        let (a, b, uncertain) = match r.year {
            YearSrc::Written(sp) => {
                if r.place.class != LineClass::Reference && !r.name {
                    let y = (r.b.unwrap_or(r.a).year(), sp, r.place.block);
                    last_any = Some(y);
                    if r.place.quote == 0 {
                        last_outer = Some(y);
                    }
                }
                (r.a, r.b, false)
            }
            YearSrc::Carried(sp) => {
                m.year_from = Some(sp);
                (r.a, r.b, false)
            }
            YearSrc::Pending => {
                // Years lent by quotations serve only dates in quotations.
                let last = if r.place.quote > 0 {
                    last_any
                } else {
                    last_outer
                };
                let pick = if let Some((by, sp)) = r.rel {
                    doc.as_ref()
                        .map(|d| d.year)
                        .or(last.map(|l| l.0))
                        .map(|y| (y + by, YearSource::Relative(sp)))
                } else if let Some(d) = own_year_over(doc.as_ref(), last, &r) {
                    Some((d.year, d.source.clone()))
                } else if let Some((y, sp, _)) = last {
                    let src = match &doc {
                        Some(DocDate {
                            source: YearSource::Dateline(ds),
                            ..
                        }) if *ds == sp => YearSource::Dateline(sp),
                        _ => YearSource::Earlier(sp),
                    };
                    Some((y, src))
                } else {
                    doc.as_ref().map(|d| (d.year, d.source.clone()))
                };
                let Some((mut y, src)) = pick else {
                    unknown_year(&mut m, r.a, r.b);
                    out.push(m);
                    continue;
                };
                let relative = matches!(src, YearSource::Relative(_));
                if !relative
                    && let Some(d) = &doc
                    && let Some(first) = first_day(r.a.shift(y))
                    && let Ok(limit) = d
                        .date
                        .checked_add(jiff::Span::new().days(FUTURE_TOLERANCE_DAYS))
                    && first > limit
                {
                    y -= 1;
                    m.year_stepped_back = true;
                }
                m.inferred_year = true;
                m.year_from = match src {
                    YearSource::Earlier(sp) | YearSource::Dateline(sp) => Some(sp),
                    _ => None,
                };
                m.year_source = Some(src);
                (r.a.shift(y), r.b.map(|b| b.shift(y)), !relative)
            }
        };
        let va = value(a, uncertain);
        let vb = b.map(|b| value(b, uncertain));
        match (va, vb) {
            (Ok(x), None) => {
                m.edtf = x.0;
                m.start = Some(x.1);
                m.end = Some(x.2);
                m.precision = x.3;
            }
            (Ok(x), Some(Ok(y))) => {
                m.edtf = format!("{}/{}", x.0, y.0);
                m.start = Some(x.1);
                m.end = Some(y.2);
                m.precision = Precision::Range;
            }
            (va, vb) => {
                let ed = |r: &Result<Value, (String, Problem)>| match r {
                    Ok(x) => x.0.clone(),
                    Err(x) => x.0.clone(),
                };
                m.edtf = match &vb {
                    Some(vb) => format!("{}/{}", ed(&va), ed(vb)),
                    None => ed(&va),
                };
                m.precision = if vb.is_some() {
                    Precision::Range
                } else {
                    kind_precision(a)
                };
                m.problem = [Some(va), vb]
                    .into_iter()
                    .flatten()
                    .find_map(|r| r.err())
                    .map(|e| e.1);
            }
        }
        out.push(m);
    }
    out
}

/// A letter's, telegram's or memorandum's own year, rather than a year written in an
/// earlier paragraph, for a date without one: "The contrast with the First Session,
/// which began on September 8, 1948, is striking." lends nothing to the next
/// paragraph's "The chief items of business at the first session, September 8" of a
/// despatch dated September 14, 1949 (FRUS 1949 VII/2 d279), nor "the May 10, 1948
/// elections" to "up to October 1" in one of August 20, 1949 (d277). Only when the
/// document opens with its own dateline, the year lent comes from another block, and
/// the day in the document's year falls no later than [`FUTURE_TOLERANCE_DAYS`] after
/// its date: Truman's farewell address, with no dateline, keeps "April 1945" for
/// "April 25th" in the next paragraph, and so would a letter whose day in its own year
/// would lie months ahead of it.
fn own_year_over<'d>(
    doc: Option<&'d DocDate>,
    last: Option<(i32, Span, usize)>,
    r: &Raw,
) -> Option<&'d DocDate> {
    let d = doc.filter(|d| d.dateline)?;
    let (y, _, block) = last?;
    if y == d.year || block == r.place.block {
        return None;
    }
    let first = first_day(r.a.shift(d.year))?;
    let limit = d
        .date
        .checked_add(jiff::Span::new().days(FUTURE_TOLERANCE_DAYS))
        .ok()?;
    (first <= limit).then_some(d)
}

fn kind_precision(v: V) -> Precision {
    match v {
        V::Day { .. } => Precision::Day,
        V::Month { .. } => Precision::Month,
        V::Year { .. } => Precision::Year,
        V::Decade { .. } => Precision::Decade,
        V::Group { .. } => Precision::Season,
    }
}

/// A date whose year the document never gives: `XXXX-01-17`.
fn unknown_year(m: &mut DateMention, a: V, b: Option<V>) {
    let one = |v: V| match v {
        V::Day { m, d, .. } => format!("XXXX-{m:02}-{d:02}"),
        V::Month { m, .. } => format!("XXXX-{m:02}"),
        _ => "XXXX".to_string(),
    };
    m.precision = match (a, b) {
        (_, Some(_)) => Precision::Range,
        (V::Day { .. }, None) => Precision::Day,
        _ => Precision::Month,
    };
    m.edtf = match b {
        Some(b) => format!("{}/{}", one(a), one(b)),
        None => one(a),
    };
}

type Value = (String, Date, Date, Precision);

/// The EDTF value, bounds and precision of one date; `Err` with the best EDTF we can
/// still write and the problem when the date cannot exist.
fn value(v: V, uncertain: bool) -> Result<Value, (String, Problem)> {
    let y16 = |y: i32| i16::try_from(y).ok().filter(|y| (-9999..=9999).contains(y));
    match v {
        V::Day { y, m, d } => {
            let Some(yy) = y16(y) else {
                return Err((
                    edtf::day(y, m, d, uncertain),
                    Problem::InvalidDay {
                        year: y,
                        month: m,
                        day: d,
                        days_in_month: 0,
                    },
                ));
            };
            match Date::new(yy, m, d) {
                Ok(date) => Ok((edtf::day(y, m, d, uncertain), date, date, Precision::Day)),
                Err(_) => {
                    let dim = Date::new(yy, m, 1).map(|x| x.days_in_month()).unwrap_or(0);
                    Err((
                        format!("{}-XX", edtf::month(y, m, uncertain)),
                        Problem::InvalidDay {
                            year: y,
                            month: m,
                            day: d,
                            days_in_month: dim,
                        },
                    ))
                }
            }
        }
        V::Month { y, m } => {
            let first = y16(y).and_then(|yy| Date::new(yy, m, 1).ok());
            match first {
                Some(f) => Ok((
                    edtf::month(y, m, uncertain),
                    f,
                    f.last_of_month(),
                    Precision::Month,
                )),
                None => Err((
                    edtf::month(y, m, uncertain),
                    Problem::InvalidDay {
                        year: y,
                        month: m,
                        day: 1,
                        days_in_month: 0,
                    },
                )),
            }
        }
        V::Year { y } => match y16(y)
            .and_then(|yy| Some((Date::new(yy, 1, 1).ok()?, Date::new(yy, 12, 31).ok()?)))
        {
            Some((a, b)) => Ok((edtf::year(y, uncertain), a, b, Precision::Year)),
            None => Err((
                edtf::year(y, uncertain),
                Problem::InvalidDay {
                    year: y,
                    month: 1,
                    day: 1,
                    days_in_month: 0,
                },
            )),
        },
        V::Decade { y } => {
            let s = edtf::year(y, false);
            let e = format!("{}X", s.get(..3).unwrap_or("XXX"));
            match y16(y).and_then(|yy| {
                Some((
                    Date::new(yy, 1, 1).ok()?,
                    Date::new(yy.checked_add(9)?, 12, 31).ok()?,
                ))
            }) {
                Some((a, b)) => Ok((e, a, b, Precision::Decade)),
                None => Err((
                    e,
                    Problem::InvalidDay {
                        year: y,
                        month: 1,
                        day: 1,
                        days_in_month: 0,
                    },
                )),
            }
        }
        V::Group { y, code } => match edtf::group_bounds(y, code) {
            Some((a, b)) => Ok((edtf::group(y, code, uncertain), a, b, Precision::Season)),
            None => Err((
                edtf::group(y, code, uncertain),
                Problem::InvalidDay {
                    year: y,
                    month: 1,
                    day: 1,
                    days_in_month: 0,
                },
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    /// The prefix test of cut-short years answers as `to_string().starts_with` does.
    #[test]
    fn year_prefixes_as_written() {
        let years = [
            0, 1, 9, 10, 19, 194, 1949, 1950, 2000, 12345, -1, -194, -1949,
        ];
        let extremes = [i32::MAX, i32::MIN, i32::MIN + 1];
        for y in years.into_iter().chain(extremes) {
            for d in [
                "", "1", "19", "194", "1949", "195", "2", "-", "-1", "0", "9",
            ] {
                assert_eq!(
                    super::year_starts_with(y, d),
                    y.to_string().starts_with(d),
                    "{y} {d}"
                );
            }
        }
    }

    /// The reference test of a window, its marks found once for the whole line,
    /// answers as the test of the window read on its own, for every window of every
    /// line (marks across emphasis, at the window's edges, after a capital that
    /// lowers to two characters).
    #[test]
    fn windows_judged_as_lines() {
        let texts = [
            "Department of State *Bulletin*, October 3, 1949, and more",
            "Printed in İstanbul, Archive of the ARCHIVE, vol. 3",
            "> [^1]: Reprinted in the paper",
            "795.00/6–2550: Telegram, Source: files",
            "Plain prose on 5 March 1949 with nothing else",
            "a*r*chive, e.o. 12356, NND 8*\u{212A}*9",
            "SOURCE: ARCHİVE, NnD \u{212A}x, Vol. 2, E.O. 1 and PUBLISHED IN",
        ];
        for t in texts {
            let line = (0, t.len());
            let mut memo = super::LineMemo::default();
            let bounds: Vec<usize> = t.char_indices().map(|(i, _)| i).chain([t.len()]).collect();
            for &ws in &bounds {
                for &we in bounds.iter().filter(|&&e| e >= ws) {
                    assert_eq!(
                        super::reference_window(t, line, ws, we, &mut memo),
                        super::reference_line(&t[ws..we]),
                        "{:?}",
                        &t[ws..we]
                    );
                }
            }
            // The line was lowered once, for all its windows.
            assert_eq!(memo.read, t.len(), "{t}");
        }
    }

    /// What [`super::MARKS_ANY_CASE`] stands on: every mark is lower-case ASCII, holds
    /// no `k`, and does not end in `i`; and only the Kelvin sign and `İ` lower to
    /// anything ASCII.
    #[test]
    fn marks_read_in_any_case_as_lowered() {
        for m in super::REFERENCE_MARKS {
            assert!(m.is_ascii() && *m == m.to_ascii_lowercase(), "{m}");
            assert!(!m.contains('k') && !m.ends_with('i'), "{m}");
        }
        let to_ascii: Vec<char> = (0x80..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|c| c.to_lowercase().any(|l| l.is_ascii()))
            .collect();
        assert_eq!(to_ascii, ['\u{130}', '\u{212A}']);
    }

    /// The dates of a long line, each judged on its own window, lower the line once:
    /// bytes lowered per block are the block's, not the dates' windows'.
    #[test]
    fn a_long_line_is_lowered_once() {
        let sentence = "On 3 February 1949 the ambassador wrote again. ";
        let text: String = sentence.repeat(200);
        let block = crate::finding::Span::new(0, text.len());
        let mut memo = super::LineMemo::default();
        let mut n = 0;
        for (at, _) in text.match_indices("3 February 1949") {
            let span = crate::finding::Span::new(at, at + 15);
            super::line_class(&text, block, span, &mut memo);
            n += 1;
        }
        assert_eq!(n, 200);
        assert_eq!(memo.read, text.len());
    }

    /// Lowered as `char::to_lowercase` does, ASCII in place or not, and every line
    /// loses its emphasis marks.
    #[test]
    fn lines_lowered_as_char_by_char() {
        let by_chars = |s: &str| -> String {
            s.chars()
                .filter(|c| !matches!(c, '*' | '_'))
                .flat_map(char::to_lowercase)
                .collect()
        };
        for s in [
            "Department of State *Bulletin*, October 3, 1949",
            "__NND 12345__ Printed In",
            "Foreign Relations Of The United States, İstanbul",
            "\u{212A}ELVIN Archive ΣΑΣ",
            "",
            "*_*",
        ] {
            assert_eq!(super::lowered_without_emphasis(s), by_chars(s), "{s:?}");
        }
        assert_eq!(super::lowered_without_emphasis("A*b*_C_"), "abc");
    }
}
