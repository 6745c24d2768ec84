//! The geometry of the timeline picture, as plain data (the SVG writer in `cli::timeline`
//! only draws it): a vertical axis scaled to the events, label boxes stacked in one
//! column to its right, and leader lines from each mark to its box.
//!
//! The axis is scaled to the events: a gap between two dates takes room growing with the
//! square root of its length (so a quiet year does not squeeze a busy month), an empty
//! stretch of more than three years is a break, and the axis stretches wherever the
//! boxes need more room than time gives them, so each box sits level with its mark.
//!
//! Invariants (tested for 1 to 500 events in `tests/timeline.rs`): no two label boxes
//! overlap; no two leaders cross (marks and boxes are both in chronological order down the
//! page, so the leaders form a monotone matching); no leader crosses a box (leaders stay
//! between the axis and the column); marks are at least `MIN_SEP` apart; the height grows
//! at most linearly with the events and is bounded: there are never more than
//! `MAX_BOXES` boxes nor `MAX_LINES` lines — past that, events are grouped by year (by
//! decade for long documents), and the busiest years open into months, the quietest
//! months into their events, while the budget allows.

use super::{Event, Timeline};
use crate::dates::calendar::day_number;
use crate::dates::lang::ENGLISH;
use jiff::civil::Date;

pub const WIDTH: f64 = 1000.0;
pub const AXIS_X: f64 = 150.0;
pub const BOX_X: f64 = 196.0;
pub const BOX_W: f64 = WIDTH - BOX_X - 16.0;
pub const TOP: f64 = 76.0;
pub const LINE_H: f64 = 15.0;
pub const PAD: f64 = 5.0;
pub const GAP: f64 = 6.0;
/// Marks (and the dates they stand for) are at least this far apart on the axis.
pub const MIN_SEP: f64 = 12.0;
pub const MARK_R: f64 = 4.5;
/// The widest a character of the labels is taken to be (11.5 px serif), for fitting.
pub const CHAR_W: f64 = 6.6;
/// The most boxes a picture has; more events are grouped.
pub const MAX_BOXES: usize = 48;
/// The most lines of text in all boxes together.
pub const MAX_LINES: usize = 170;
/// How many events a group's box lists before `+ N more`.
pub const SHOW: usize = 3;
/// A gap between marks longer than this (in days) with no event across it breaks the
/// axis.
const BREAK_DAYS: i64 = 3 * 365;

/// How finely a box groups events: the events of a decade, a year, a month, or one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// A run of decades (only for very long documents).
    Runs,
    Decade,
    Year,
    Month,
    Event,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineKind {
    /// The date (and notes), or a group's heading.
    Date,
    Gist,
    /// `+ 12 more`.
    More,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub kind: LineKind,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LabelBox {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub lines: Vec<Line>,
    /// Indices into `Timeline::events`.
    pub events: Vec<usize>,
    /// The leader, a polyline from the mark to the box: out of the mark, across, and
    /// into the box's first line.
    pub leader: [(f64, f64); 4],
}

#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    pub y: f64,
    pub hollow: bool,
    /// How many events the mark stands for.
    pub count: usize,
}

/// A stretch of time drawn beside the axis (an event that lasts, or a group's span).
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub x: f64,
    pub y0: f64,
    pub y1: f64,
    pub hollow: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Tick {
    pub y: f64,
    pub label: String,
    pub year: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    pub axis: (f64, f64),
    /// The coarsest grouping used (`Level::Event` when every event has its own box).
    pub coarsest: Level,
    pub boxes: Vec<LabelBox>,
    pub marks: Vec<Mark>,
    pub bars: Vec<Bar>,
    pub ticks: Vec<Tick>,
    /// Axis breaks: where (y) and how long the gap is, in years.
    pub breaks: Vec<(f64, i64)>,
}

/// The date line of one event: `17 April 1949 · note 3`, `end of 1949 (Oct.–Dec. 1949)`.
pub fn date_line(e: &Event) -> String {
    let mut s = e.human.clone();
    if let Some(c) = &e.covers {
        s.push_str(&format!(" ({c})"));
    }
    match e.notes.len() {
        0 => {}
        1 => s.push_str(&format!(" · note {}", e.notes[0])),
        _ => s.push_str(&format!(" · notes {}", e.notes.join(", "))),
    }
    s
}

fn fit(s: &str, w: f64) -> String {
    let max = ((w - 2.0 * PAD) / CHAR_W).floor().max(4.0) as usize;
    super::gist::shorten(s, max)
}

fn key(d: Date, level: Level) -> (i32, i32) {
    let y = i32::from(d.year());
    match level {
        Level::Runs => (0, 0),
        Level::Decade => (y.div_euclid(10), 0),
        Level::Year => (y, 0),
        Level::Month => (y, i32::from(d.month())),
        Level::Event => (0, 0),
    }
}

fn finer(level: Level) -> Level {
    match level {
        Level::Runs => Level::Decade,
        Level::Decade => Level::Year,
        Level::Year => Level::Month,
        Level::Month | Level::Event => Level::Event,
    }
}

/// A group: its level and a range of (sorted) events.
#[derive(Clone, Copy, Debug)]
struct Group {
    level: Level,
    from: usize,
    to: usize,
}

impl Group {
    fn len(self) -> usize {
        self.to - self.from
    }
    /// Lines of its box: two for one event; a heading, `SHOW` events and `+ N more`.
    fn lines(self) -> usize {
        match self.len() {
            0 | 1 => 2,
            n => 1 + n.min(SHOW) + usize::from(n > SHOW),
        }
    }
}

/// Split `from..to` at changes of `key` at `level`.
fn split(t: &Timeline, from: usize, to: usize, level: Level) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    for i in from..to {
        let k = t.events.get(i).map(|e| key(e.start, level));
        let same = level != Level::Event
            && out
                .last()
                .is_some_and(|g| t.events.get(g.from).map(|e| key(e.start, level)) == k);
        match out.last_mut() {
            Some(g) if same => g.to = i + 1,
            _ => out.push(Group {
                level,
                from: i,
                to: i + 1,
            }),
        }
    }
    out
}

/// Events in boxes, at most `MAX_BOXES` boxes and `MAX_LINES` lines: start from years
/// (decades, or runs of decades, for long documents), then split the fullest group into
/// months, and months into events, while the budget allows. Dense stretches stay
/// collapsed; quiet ones show every event.
fn groups(t: &Timeline) -> (Level, Vec<Group>) {
    let n = t.events.len();
    let fits = |v: &[Group]| {
        v.len() <= MAX_BOXES && v.iter().map(|g| g.lines()).sum::<usize>() <= MAX_LINES
    };
    let mut v = Vec::new();
    let mut coarsest = Level::Year;
    for level in [Level::Event, Level::Month, Level::Year, Level::Decade] {
        v = split(t, 0, n, level);
        coarsest = level;
        if fits(&v) {
            break;
        }
    }
    if !fits(&v) {
        // Runs of decades, as many in each as it takes.
        let per = v.len().div_ceil(MAX_BOXES).max(1);
        v = v
            .chunks(per)
            .filter_map(|c| {
                Some(Group {
                    level: Level::Runs,
                    from: c.first()?.from,
                    to: c.last()?.to,
                })
            })
            .collect();
        coarsest = Level::Runs;
    }
    // Refine: split groups while the budget allows.
    let mut stuck = vec![false; v.len()];
    loop {
        let pick = v
            .iter()
            .enumerate()
            .filter(|(i, g)| !stuck[*i] && g.level != Level::Event && g.len() > 1)
            // Years before months; the busiest year opens into months first, the
            // quietest month into its events first: dense stretches stay collapsed.
            .max_by_key(|(i, g)| {
                let size = if g.level == Level::Month {
                    usize::MAX - g.len()
                } else {
                    g.len()
                };
                (std::cmp::Reverse(g.level), size, std::cmp::Reverse(*i))
            })
            .map(|(i, _)| i);
        let Some(i) = pick else { break };
        let g = v[i];
        let mut level = finer(g.level);
        let mut children = split(t, g.from, g.to, level);
        // A year all in one month goes straight to its events.
        while children.len() == 1 && level != Level::Event {
            level = finer(level);
            children = split(t, g.from, g.to, level);
        }
        let mut next = v.clone();
        next.splice(i..=i, children.iter().copied());
        if fits(&next) {
            let mut s2 = stuck.clone();
            s2.splice(i..=i, std::iter::repeat_n(false, children.len()));
            v = next;
            stuck = s2;
        } else {
            stuck[i] = true;
        }
    }
    (coarsest, v)
}

fn group_name(t: &Timeline, g: Group) -> String {
    let (Some(first), Some(last)) = (t.events.get(g.from), t.events.get(g.to.saturating_sub(1)))
    else {
        return String::new();
    };
    let d = first.start;
    match g.level {
        Level::Month => format!("{} {}", ENGLISH.month_name(d.month()), d.year()),
        Level::Year => d.year().to_string(),
        Level::Decade => format!("the {}s", i32::from(d.year()).div_euclid(10) * 10),
        Level::Runs | Level::Event => format!("{}–{}", d.year(), last.start.year()),
    }
}

fn lines_of(t: &Timeline, g: Group) -> Vec<Line> {
    let line = |kind, text: String| Line {
        kind,
        text: fit(&text, BOX_W),
    };
    if g.len() == 1
        && let Some(e) = t.events.get(g.from)
    {
        return vec![
            line(LineKind::Date, date_line(e)),
            line(LineKind::Gist, e.gist.clone()),
        ];
    }
    let mut out = vec![line(
        LineKind::Date,
        format!("{} — {} events", group_name(t, g), g.len()),
    )];
    for e in t.events.get(g.from..g.to).unwrap_or(&[]).iter().take(SHOW) {
        out.push(line(LineKind::Gist, format!("{}: {}", e.human, e.gist)));
    }
    if g.len() > SHOW {
        out.push(line(LineKind::More, format!("+ {} more", g.len() - SHOW)));
    }
    out
}

/// A monotone map from dates to the axis: knots at the dates that matter, gaps between
/// them proportional to time but at least `MIN_SEP` and at most a break's length.
struct Scale {
    knots: Vec<(i64, f64)>,
}

impl Scale {
    fn y(&self, d: Date) -> f64 {
        let n = day_number(d);
        let i = self.knots.partition_point(|k| k.0 <= n);
        match (
            i.checked_sub(1).and_then(|j| self.knots.get(j)),
            self.knots.get(i),
        ) {
            (Some(a), Some(b)) => {
                let f = (n - a.0) as f64 / (b.0 - a.0).max(1) as f64;
                a.1 + f * (b.1 - a.1)
            }
            (Some(a), None) => a.1,
            (None, Some(b)) => b.1,
            (None, None) => TOP,
        }
    }
}

/// Lay the timeline out.
pub fn layout(t: &Timeline) -> Layout {
    let (coarsest, gs) = groups(t);
    let boxes_lines: Vec<Vec<Line>> = gs.iter().map(|&g| lines_of(t, g)).collect();
    let grps: Vec<Vec<usize>> = gs.iter().map(|g| (g.from..g.to).collect()).collect();
    let heights: Vec<f64> = boxes_lines
        .iter()
        .map(|l| l.len() as f64 * LINE_H + 2.0 * PAD)
        .collect();
    let column: f64 = heights.iter().map(|h| h + GAP).sum();
    // The anchors: each box's first start; stretches: each event's (or group's) span.
    let spans: Vec<(Date, Date)> = grps
        .iter()
        .map(|g| {
            let s = g
                .iter()
                .filter_map(|&i| t.events.get(i))
                .map(|e| e.start)
                .min();
            let e = g
                .iter()
                .filter_map(|&i| t.events.get(i))
                .map(|e| e.end)
                .max();
            (s.unwrap_or(Date::MIN), e.unwrap_or(Date::MIN))
        })
        .collect();
    let mut days: Vec<i64> = spans
        .iter()
        .flat_map(|(s, e)| [day_number(*s), day_number(*e)])
        .collect();
    days.sort_unstable();
    days.dedup();
    // Which gaps some stretch covers (those may not be broken): a sweep over the spans.
    let mut covered = vec![false; days.len().saturating_sub(1)];
    {
        let mut ends: Vec<(i64, i64)> = spans
            .iter()
            .map(|(s, e)| (day_number(*s), day_number(*e)))
            .collect();
        ends.sort_unstable();
        let mut reach = i64::MIN;
        let mut j = 0;
        for (k, c) in covered.iter_mut().enumerate() {
            while j < ends.len() && ends[j].0 <= days[k] {
                reach = reach.max(ends[j].1);
                j += 1;
            }
            *c = reach >= days[k + 1];
        }
    }
    let gap_days = |k: usize| days[k + 1] - days[k];
    let is_break = |k: usize| gap_days(k) > BREAK_DAYS && !covered[k];
    // Each gap's share of the axis grows with the square root of its length, so a long
    // quiet stretch does not squeeze the busy months; breaks take a fixed 40 px. Then
    // the axis stretches wherever the boxes need more room than time gives them, so
    // every box sits at its mark (the leaders run level) and the column never drifts
    // away from the axis.
    let weight = |k: usize| (gap_days(k) as f64).sqrt();
    let total: f64 = (0..covered.len())
        .filter(|&k| !is_break(k))
        .map(weight)
        .sum();
    let ppw = 0.6 * column / total.max(1.0);
    // The boxes anchored at each knot (boxes are in date order, so this is a sweep).
    let mut at_knot: Vec<Vec<usize>> = vec![Vec::new(); days.len()];
    for (b, &(s, _)) in spans.iter().enumerate() {
        if let Ok(k) = days.binary_search(&day_number(s)) {
            at_knot[k].push(b);
        }
    }
    let first_line = PAD + LINE_H / 2.0;
    let mut knots = Vec::with_capacity(days.len());
    let mut breaks = Vec::new();
    let mut tops = vec![TOP; spans.len()];
    let mut bottom = TOP;
    let mut y = TOP + 20.0;
    for (k, &d) in days.iter().enumerate() {
        if k > 0 {
            if is_break(k - 1) {
                breaks.push((y + 20.0, gap_days(k - 1) / 365));
                y += 40.0;
            } else {
                y += (weight(k - 1) * ppw).max(MIN_SEP);
            }
        }
        if !at_knot[k].is_empty() {
            y = y.max(bottom + first_line);
            let mut top = y - first_line;
            for &b in &at_knot[k] {
                tops[b] = top;
                top += heights[b] + GAP;
            }
            bottom = top;
        }
        knots.push((d, y));
    }
    let axis_end = y;
    let scale = Scale { knots };

    let mut boxes = Vec::with_capacity(grps.len());
    let mut marks: Vec<Mark> = Vec::new();
    for (((g, lines), &h), (&(s, _), &top)) in grps
        .iter()
        .zip(boxes_lines)
        .zip(&heights)
        .zip(spans.iter().zip(&tops))
    {
        let my = scale.y(s);
        let hollow = g
            .iter()
            .filter_map(|&i| t.events.get(i))
            .all(|e| e.inferred_year);
        match marks.last_mut() {
            Some(m) if (m.y - my).abs() < f64::EPSILON => {
                m.count += g.len();
                m.hollow &= hollow;
            }
            _ => marks.push(Mark {
                y: my,
                hollow,
                count: g.len(),
            }),
        }
        boxes.push(LabelBox {
            x: BOX_X,
            y: top,
            w: BOX_W,
            h,
            lines,
            events: g.clone(),
            leader: {
                let (x1, y2) = (AXIS_X + MARK_R + 1.0, top + first_line);
                [(x1, my), (x1 + 6.0, my), (BOX_X - 12.0, y2), (BOX_X, y2)]
            },
        });
    }

    // Stretches beside the axis, in lanes, the earliest first.
    let mut bars = Vec::new();
    let mut lanes: Vec<f64> = Vec::new();
    for (g, &(s, e)) in grps.iter().zip(&spans) {
        if s == e {
            continue;
        }
        let (y0, y1) = (scale.y(s), scale.y(e));
        let lane = match lanes.iter().position(|&r| r + 2.0 < y0) {
            Some(l) => l,
            None if lanes.len() < 6 => {
                lanes.push(f64::MIN);
                lanes.len() - 1
            }
            None => lanes.len() - 1,
        };
        if let Some(r) = lanes.get_mut(lane) {
            *r = r.max(y1);
        }
        let hollow = g
            .iter()
            .filter_map(|&i| t.events.get(i))
            .all(|e| e.inferred_year);
        bars.push(Bar {
            x: AXIS_X - 10.0 - lane as f64 * 7.0,
            y0,
            y1: y1.max(y0 + 3.0),
            hollow,
        });
    }

    // Year ticks (and months where there is room), never inside a break, labels apart.
    let mut ticks: Vec<Tick> = Vec::new();
    if let (Some(&first), Some(&last)) = (days.first(), days.last()) {
        let in_break =
            |n: i64| (0..covered.len()).any(|k| is_break(k) && days[k] < n && n < days[k + 1]);
        let (lo, hi) = (date_of(first), date_of(last));
        let mut last_label = f64::MIN;
        for yr in i32::from(lo.year())..=i32::from(hi.year()) + 1 {
            for m in 1..=12i8 {
                let Ok(yy) = i16::try_from(yr) else { continue };
                let Ok(d) = Date::new(yy, m, 1) else { continue };
                let n = day_number(d);
                if n < first || n > last || in_break(n) {
                    continue;
                }
                let ty = scale.y(d);
                let year = m == 1;
                if ty - last_label < 14.0 {
                    // A year wins over the month just above it.
                    if year && ticks.last().is_some_and(|t| !t.year) {
                        ticks.pop();
                    } else {
                        continue;
                    }
                }
                let label = if year {
                    yr.to_string()
                } else {
                    ENGLISH.month_name(m).chars().take(3).collect()
                };
                last_label = ty;
                ticks.push(Tick { y: ty, label, year });
            }
        }
        // The first date's year at the top, unless a January is there already.
        let top_y = scale.y(lo);
        if !ticks.first().is_some_and(|t| t.year && t.y - top_y < 14.0) {
            ticks.retain(|t| t.y - top_y >= 14.0);
            ticks.insert(
                0,
                Tick {
                    y: top_y,
                    label: lo.year().to_string(),
                    year: true,
                },
            );
        }
    }
    let height = (bottom.max(axis_end) + 30.0).ceil();
    Layout {
        width: WIDTH,
        height,
        axis: (TOP + 10.0, axis_end + 10.0),
        coarsest,
        boxes,
        marks,
        bars,
        ticks,
        breaks,
    }
}

fn date_of(n: i64) -> Date {
    let epoch = Date::constant(1970, 1, 1);
    let d0 = day_number(epoch);
    epoch
        .checked_add(jiff::Span::new().days(n - d0))
        .unwrap_or(epoch)
}
