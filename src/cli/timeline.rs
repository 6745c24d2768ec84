//! `annalist timeline FILE [--format table|json|csv|svg|html]`: the document's dated
//! events in chronological order. The event list comes from `dates::timeline`; this file
//! only writes it out.

use crate::analysis::analyze;
use crate::dates::calendar::day_number;
use crate::facts::{Context, Knowledge};
use crate::ide::timeline::{self, Event, Timeline};
use clap::{Args, ValueEnum};
use jiff::civil::Date;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns for the terminal.
    Table,
    /// `{"events": [...], "left_out": [...]}`.
    Json,
    /// One row per event, with a header.
    Csv,
    /// A self-contained horizontal timeline picture.
    Svg,
    /// A self-contained page: the picture and a table.
    Html,
}

#[derive(Args, Debug)]
pub struct TimelineArgs {
    /// The Markdown file.
    pub file: PathBuf,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

pub fn run(args: TimelineArgs) -> ExitCode {
    let text = match std::fs::read_to_string(&args.file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!(
                "annalist timeline: cannot read {}: {e}",
                args.file.display()
            );
            return ExitCode::from(2);
        }
    };
    let loaded = crate::config::load_for(&args.file);
    for p in &loaded.problems {
        eprintln!("annalist timeline: {p}");
    }
    // The project's gazetteers too, as `annalist check` and the server load them.
    let knowledge = match loaded.path.as_ref().and_then(|p| p.parent()) {
        Some(dir) => {
            let (k, problems) = crate::cli::check::knowledge_for(&loaded.config, dir);
            for p in &problems {
                eprintln!("annalist timeline: {p}");
            }
            k
        }
        None => Knowledge::embedded(),
    };
    let ctx = Context {
        config: &loaded.config,
        knowledge: &knowledge,
    };
    let a = analyze(Arc::from(text.as_str()), None, &ctx);
    let t = timeline::build(&a, &ctx);
    let title =
        a.md.headings
            .first()
            .map(|h| h.text.clone())
            .unwrap_or_else(|| args.file.display().to_string());
    let out = match args.format {
        Format::Table => table(&t),
        Format::Json => json(&t),
        Format::Csv => csv(&t),
        Format::Svg => svg(&t, &title),
        Format::Html => html(&t, &title),
    };
    if args.format != Format::Table && args.format != Format::Json {
        for l in &t.left_out {
            eprintln!(
                "annalist timeline: left out `{}` (line {}): {}",
                l.surface, l.line, l.reason
            );
        }
    }
    match &args.output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, out) {
                eprintln!("annalist timeline: cannot write {}: {e}", path.display());
                return ExitCode::from(2);
            }
        }
        None => print!("{out}"),
    }
    ExitCode::SUCCESS
}

/// Aligned columns: EDTF, line, sentence (shortened).
pub fn table(t: &Timeline) -> String {
    let w = t
        .events
        .iter()
        .map(|e| e.edtf.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    let mut s = format!("{:w$}  {:>5}  TEXT\n", "DATE", "LINE");
    for e in &t.events {
        let _ = writeln!(s, "{:w$}  {:>5}  {}", e.edtf, e.line, shorten(&e.text, 100));
    }
    if !t.left_out.is_empty() {
        s.push_str("\nNot placed:\n");
        for l in &t.left_out {
            let _ = writeln!(s, "  {} (line {}): {}", l.surface, l.line, l.reason);
        }
    }
    s
}

pub fn json(t: &Timeline) -> String {
    let v = json_value(t);
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

/// The timeline as JSON (the shape is [`Timeline`]'s serde form, shared with the
/// server's `annalist/timeline` request).
pub fn json_value(t: &Timeline) -> serde_json::Value {
    serde_json::to_value(t).unwrap_or(serde_json::Value::Null)
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub fn csv(t: &Timeline) -> String {
    let mut s = String::from("date,start,end,precision,line,surface,text,actors,places,notes\n");
    for e in &t.events {
        let row = [
            e.edtf.clone(),
            e.start.to_string(),
            e.end.to_string(),
            e.precision.as_str().to_string(),
            e.line.to_string(),
            e.surface.clone(),
            e.text.clone(),
            e.actors.join("; "),
            e.places.join("; "),
            e.notes.join("; "),
        ];
        let row: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
        s.push_str(&row.join(","));
        s.push('\n');
    }
    s
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max.saturating_sub(1)).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => cut[..i].to_string(),
        _ => cut,
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', ' ']))
}

/// XML/HTML escaping, shared with the JUnit writer.
fn esc(s: &str) -> String {
    crate::cli::output::junit::escape(s)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The gist of an event for its label: its actors, or the start of its sentence.
fn gist(e: &Event) -> String {
    if !e.actors.is_empty() {
        return shorten(&e.actors.join(", "), 44);
    }
    shorten(&e.text, 44)
}

/// A horizontal timeline: an axis with years (and months when the span is short), a mark
/// per event (a dot for a day, a bar for a longer span), labels in lanes so none overlap.
pub fn svg(t: &Timeline, title: &str) -> String {
    const W: f64 = 1200.0;
    const LEFT: f64 = 50.0;
    const RIGHT: f64 = 50.0;
    const LANE: f64 = 36.0;
    const TOP: f64 = 56.0;
    let mut s = String::new();
    if t.events.is_empty() {
        let _ = writeln!(
            s,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"80\" viewBox=\"0 0 {W} 80\" font-family=\"Georgia, 'Times New Roman', serif\"><title>{}</title><text x=\"{LEFT}\" y=\"44\" font-size=\"15\">{} — no dated events found</text></svg>",
            esc(title),
            esc(title)
        );
        return s;
    }
    let first = t.events.iter().map(|e| e.start).min().unwrap_or(Date::MIN);
    let last = t.events.iter().map(|e| e.end).max().unwrap_or(Date::MAX);
    let segs = segments(t, LEFT, W - RIGHT);
    let x = |d: Date| seg_x(&segs, d);

    // Labels in lanes, placed left to right.
    struct Placed {
        lane: usize,
        x: f64,
        left: f64,
        anchor_end: bool,
    }
    let mut order: Vec<usize> = (0..t.events.len()).collect();
    order.sort_by(|&a, &b| {
        x(t.events[a].start)
            .partial_cmp(&x(t.events[b].start))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let mut lanes_right: Vec<f64> = Vec::new();
    let mut placed: Vec<Option<Placed>> = (0..t.events.len()).map(|_| None).collect();
    for &i in &order {
        let e = &t.events[i];
        // Days hang from their dot; spans from their start.
        let xm = x(e.start);
        let line1 = e.surface.chars().count();
        let line2 = gist(e).chars().count();
        let width = line1.max(line2) as f64 * 6.3 + 10.0;
        let anchor_end = xm + width > W - 8.0;
        let left = if anchor_end { xm - width } else { xm - 4.0 };
        let lane = match lanes_right.iter().position(|&r| r + 10.0 < left) {
            Some(l) => l,
            None => {
                lanes_right.push(f64::MIN);
                lanes_right.len() - 1
            }
        };
        if let Some(r) = lanes_right.get_mut(lane) {
            *r = left + width;
        }
        placed[i] = Some(Placed {
            lane,
            x: xm,
            left,
            anchor_end,
        });
    }
    let lanes = lanes_right.len().max(1);
    // Spans as bars in rows just above the axis, the longest-running first.
    let mut bar_row: Vec<Option<usize>> = vec![None; t.events.len()];
    let mut rows_right: Vec<f64> = Vec::new();
    for &i in &order {
        let e = &t.events[i];
        if e.start == e.end {
            continue;
        }
        let x0 = x(e.start);
        let row = match rows_right.iter().position(|&r| r + 3.0 < x0) {
            Some(r) => r,
            None => {
                rows_right.push(f64::MIN);
                rows_right.len() - 1
            }
        };
        if let Some(r) = rows_right.get_mut(row) {
            *r = x(e.end.tomorrow().unwrap_or(e.end)).max(x0 + 6.0);
        }
        bar_row[i] = Some(row);
    }
    let bars_h = rows_right.len() as f64 * 10.0;
    let axis_y = TOP + lanes as f64 * LANE + 18.0 + bars_h;
    let height = axis_y + 64.0;

    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{height:.0}\" viewBox=\"0 0 {W} {height:.0}\" font-family=\"Georgia, 'Times New Roman', serif\" role=\"img\">"
    );
    let _ = writeln!(s, "<title>{} — dated events</title>", esc(title));
    let _ = writeln!(
        s,
        "<style>.lbl{{font-size:11.5px;fill:#222}} .gist{{font-size:10.5px;fill:#666;font-style:italic}} .tick{{font-size:11px;fill:#444}} .yr{{font-size:12.5px;font-weight:bold;fill:#222}} .ev:hover .lbl{{fill:#8b1e3f}}</style>"
    );
    let _ = writeln!(s, "<rect width=\"100%\" height=\"100%\" fill=\"#fdfbf6\"/>");
    let _ = writeln!(
        s,
        "<text x=\"{LEFT}\" y=\"30\" font-size=\"17\" fill=\"#222\">{}</text>",
        esc(title)
    );
    let _ = writeln!(
        s,
        "<text x=\"{LEFT}\" y=\"47\" font-size=\"11\" fill=\"#777\">{} dated events, {} to {}. Dots are days; bars are longer spans; hollow marks have an inferred year.</text>",
        t.events.len(),
        esc(&first.to_string()),
        esc(&last.to_string())
    );
    // Axis: one stretch per cluster of events, broken where decades separate them.
    for (n, g) in segs.iter().enumerate() {
        let _ = writeln!(
            s,
            "<line x1=\"{:.1}\" y1=\"{axis_y}\" x2=\"{:.1}\" y2=\"{axis_y}\" stroke=\"#333\" stroke-width=\"1.5\"/>",
            g.x0, g.x1
        );
        if n > 0 {
            // The break: two slanted strokes before this stretch.
            let bx = g.x0 - BREAK / 2.0;
            for dx in [-4.0, 4.0] {
                let _ = writeln!(
                    s,
                    "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#333\" stroke-width=\"1.5\"/>",
                    bx + dx - 3.0,
                    axis_y + 7.0,
                    bx + dx + 3.0,
                    axis_y - 7.0
                );
            }
        }
        ticks(&mut s, g, axis_y);
    }
    // Events: marks on the axis, leader lines, labels.
    for (i, e) in t.events.iter().enumerate() {
        let Some(p) = &placed[i] else { continue };
        let ly = TOP + p.lane as f64 * LANE + 12.0;
        let _ = write!(
            s,
            "<g class=\"ev\"><title>{} (line {}): {}</title>",
            esc(&e.edtf),
            e.line,
            esc(&e.text)
        );
        let (fill, stroke) = if e.inferred_year {
            ("#fdfbf6", "#8b1e3f")
        } else {
            ("#8b1e3f", "#8b1e3f")
        };
        let mut mark_top = axis_y - 7.0;
        match bar_row[i] {
            None => {
                let _ = write!(
                    s,
                    "<circle cx=\"{:.1}\" cy=\"{axis_y}\" r=\"5\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"1.5\"/>",
                    p.x
                );
            }
            Some(row) => {
                let x0 = x(e.start);
                let x1 = x(e.end.tomorrow().unwrap_or(e.end)).max(x0 + 6.0);
                let y = axis_y - 14.0 - row as f64 * 10.0;
                mark_top = y;
                let bar_fill = if e.inferred_year {
                    "#fdfbf6"
                } else {
                    "#2f5d8a"
                };
                let _ = write!(
                    s,
                    "<rect x=\"{x0:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"7\" rx=\"2\" fill=\"{bar_fill}\" fill-opacity=\"0.6\" stroke=\"#2f5d8a\" stroke-width=\"1\"/><line x1=\"{x0:.1}\" y1=\"{:.1}\" x2=\"{x0:.1}\" y2=\"{axis_y}\" stroke=\"#2f5d8a\" stroke-opacity=\"0.4\"/>",
                    x1 - x0,
                    y + 7.0
                );
            }
        }
        let _ = write!(
            s,
            "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#bbb\" stroke-dasharray=\"2,2\"/>",
            p.x,
            ly + 17.0,
            p.x,
            mark_top - 1.0
        );
        let (tx, anchor) = if p.anchor_end {
            (p.x + 4.0, "end")
        } else {
            (p.left + 4.0, "start")
        };
        let _ = writeln!(
            s,
            "<text class=\"lbl\" x=\"{tx:.1}\" y=\"{ly:.1}\" text-anchor=\"{anchor}\">{}</text><text class=\"gist\" x=\"{tx:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\">{}</text></g>",
            esc(&e.surface),
            ly + 13.0,
            esc(&gist(e))
        );
    }
    s.push_str("</svg>\n");
    s
}

/// Space between two stretches of a broken axis.
const BREAK: f64 = 36.0;

/// A stretch of the axis: days `lo..hi` drawn from `x0` to `x1`.
struct Seg {
    lo: Date,
    hi: Date,
    x0: f64,
    x1: f64,
}

/// Cluster the events (a gap of more than a quarter of the whole span and two years
/// breaks the axis), pad each cluster to whole months (whole years when long), and share
/// the width between clusters by duration, each at least an eighth.
fn segments(t: &Timeline, left: f64, right: f64) -> Vec<Seg> {
    let mut spans: Vec<(Date, Date)> = t.events.iter().map(|e| (e.start, e.end)).collect();
    spans.sort();
    let (Some(first), Some(last)) = (spans.first().map(|s| s.0), spans.iter().map(|s| s.1).max())
    else {
        return Vec::new();
    };
    let total = day_number(last) - day_number(first);
    let gap = (total / 4).max(730);
    let mut clusters: Vec<(Date, Date)> = Vec::new();
    for (a, b) in spans {
        match clusters.last_mut() {
            Some(c) if day_number(a) - day_number(c.1) <= gap => c.1 = c.1.max(b),
            _ => clusters.push((a, b)),
        }
    }
    let padded: Vec<(Date, Date)> = clusters
        .into_iter()
        .map(|(a, b)| {
            let long = day_number(b) - day_number(a) > 3 * 365;
            let mut lo = if long {
                Date::new(a.year(), 1, 1).unwrap_or(a)
            } else {
                a.first_of_month()
            };
            let mut hi = if long {
                Date::new(b.year(), 12, 31).unwrap_or(b)
            } else {
                b.last_of_month()
            };
            let len = day_number(hi) - day_number(lo);
            if len < 300 {
                let pad = jiff::Span::new().days((300 - len) / 2);
                lo = lo.checked_sub(pad).unwrap_or(lo).first_of_month();
                hi = hi.checked_add(pad).unwrap_or(hi).last_of_month();
            }
            (lo, hi.tomorrow().unwrap_or(hi))
        })
        .collect();
    let n = padded.len();
    let width = (right - left - BREAK * n.saturating_sub(1) as f64).max(100.0);
    let durations: Vec<f64> = padded
        .iter()
        .map(|(a, b)| (day_number(*b) - day_number(*a)).max(1) as f64)
        .collect();
    let sum: f64 = durations.iter().sum();
    let shares: Vec<f64> = durations.iter().map(|d| (d / sum).max(0.125)).collect();
    let share_sum: f64 = shares.iter().sum();
    let mut x = left;
    let mut out = Vec::with_capacity(n);
    for ((lo, hi), share) in padded.into_iter().zip(shares) {
        let w = width * share / share_sum;
        out.push(Seg {
            lo,
            hi,
            x0: x,
            x1: x + w,
        });
        x += w + BREAK;
    }
    out
}

/// Where day `d` falls on a broken axis.
fn seg_x(segs: &[Seg], d: Date) -> f64 {
    let Some(g) = segs.iter().find(|g| d <= g.hi).or_else(|| segs.last()) else {
        return 0.0;
    };
    let span = (day_number(g.hi) - day_number(g.lo)).max(1) as f64;
    let f = ((day_number(d) - day_number(g.lo)) as f64 / span).clamp(0.0, 1.0);
    g.x0 + f * (g.x1 - g.x0)
}

/// Year ticks (every 1, 5, 10 or 50 years) and, on short stretches, month ticks.
fn ticks(s: &mut String, g: &Seg, axis_y: f64) {
    let years = i32::from(g.hi.year()) - i32::from(g.lo.year());
    let px_per_year = (g.x1 - g.x0) / f64::from(years.max(1));
    let year_step = match px_per_year {
        p if p >= 40.0 => 1,
        p if p >= 8.0 => 5,
        p if p >= 4.0 => 10,
        _ => 50,
    };
    let months = px_per_year >= 60.0;
    let month_label = |m: i8| -> &'static str {
        let name = MONTHS
            .get(usize::try_from(m - 1).unwrap_or(0))
            .copied()
            .unwrap_or("");
        if px_per_year >= 12.0 * 28.0 {
            name
        } else if px_per_year >= 12.0 * 11.0 {
            name.get(..1).unwrap_or("")
        } else {
            ""
        }
    };
    let mut labelled_year = false;
    let seg = Seg {
        lo: g.lo,
        hi: g.hi,
        x0: g.x0,
        x1: g.x1,
    };
    let one = [seg];
    for y in i32::from(g.lo.year())..=i32::from(g.hi.year()) {
        for m in 1..=12i8 {
            let Ok(yy) = i16::try_from(y) else { continue };
            let Ok(d) = Date::new(yy, m, 1) else { continue };
            if d < g.lo || d >= g.hi {
                continue;
            }
            let xd = seg_x(&one, d);
            if m == 1 && y % year_step == 0 {
                labelled_year = true;
                let _ = writeln!(
                    s,
                    "<line x1=\"{xd:.1}\" y1=\"{:.1}\" x2=\"{xd:.1}\" y2=\"{:.1}\" stroke=\"#333\"/><text class=\"yr\" x=\"{xd:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{y}</text>",
                    axis_y - 7.0,
                    axis_y + 9.0,
                    axis_y + 40.0
                );
            } else if months {
                let _ = writeln!(
                    s,
                    "<line x1=\"{xd:.1}\" y1=\"{axis_y}\" x2=\"{xd:.1}\" y2=\"{:.1}\" stroke=\"#999\"/>",
                    axis_y + 5.0
                );
                let mid = (xd + seg_x(&one, d.last_of_month())) / 2.0;
                let label = month_label(m);
                let _ = writeln!(
                    s,
                    "<text class=\"tick\" x=\"{mid:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{label}</text>",
                    axis_y + 20.0
                );
            }
        }
    }
    if !labelled_year {
        // A stretch inside one year: name the year at its start.
        let _ = writeln!(
            s,
            "<text class=\"yr\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"start\">{}</text>",
            g.x0,
            axis_y + 40.0,
            g.lo.year()
        );
    }
}

/// A self-contained page: the timeline picture and a table of events.
pub fn html(t: &Timeline, title: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{} — timeline</title>",
        esc(title)
    );
    s.push_str(
        "<style>
body{font-family:Georgia,'Times New Roman',serif;background:#fdfbf6;color:#222;margin:2em auto;max-width:1240px;padding:0 1em}
h1{font-weight:normal;font-size:1.5em}
.pic{overflow-x:auto;border:1px solid #e4dfd2;background:#fdfbf6}
.pic svg{max-width:100%;height:auto;display:block}
table{border-collapse:collapse;width:100%;margin-top:1.5em;font-size:.95em}
th,td{border-bottom:1px solid #e4dfd2;padding:.35em .6em;text-align:left;vertical-align:top}
th{font-weight:normal;color:#666;border-bottom:2px solid #ccc}
td.d{white-space:nowrap;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em}
.muted{color:#777}
</style>
</head>
<body>
",
    );
    let _ = writeln!(s, "<h1>{} — timeline</h1>", esc(title));
    s.push_str("<div class=\"pic\">\n");
    s.push_str(&svg(t, title));
    s.push_str("</div>\n<table>\n<thead><tr><th>Date (EDTF)</th><th>As written</th><th>Line</th><th>Text</th><th>Actors</th><th>Places</th><th>Notes</th></tr></thead>\n<tbody>\n");
    for e in &t.events {
        let _ = writeln!(
            s,
            "<tr><td class=\"d\">{}</td><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&e.edtf),
            esc(&e.surface),
            if e.inferred_year {
                " <span class=\"muted\">(year inferred)</span>"
            } else {
                ""
            },
            e.line,
            esc(&e.text),
            esc(&e.actors.join(", ")),
            esc(&e.places.join(", ")),
            esc(&e.notes.join(", "))
        );
    }
    s.push_str("</tbody>\n</table>\n");
    if !t.left_out.is_empty() {
        s.push_str("<p class=\"muted\">Not placed: ");
        let items: Vec<String> = t
            .left_out
            .iter()
            .map(|l| format!("{} (line {}: {})", esc(&l.surface), l.line, esc(&l.reason)))
            .collect();
        s.push_str(&items.join("; "));
        s.push_str(".</p>\n");
    }
    s.push_str("</body>\n</html>\n");
    s
}
