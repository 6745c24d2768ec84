//! The timeline picture: draws `ide::timeline::layout` as a self-contained SVG.

use super::esc;
use crate::ide::timeline::Timeline;
use crate::ide::timeline::layout::{self, AXIS_X, LINE_H, LineKind, MARK_R, PAD, WIDTH};
use std::fmt::Write as _;

const FONT: &str = "Georgia, 'Times New Roman', serif";

/// A vertical timeline: the axis on the left with years and months, a mark per date
/// (hollow when the year is inferred), bars for stretches of time, and a column of
/// labels — date, notes and gist — joined to their marks by leaders.
pub fn svg(t: &Timeline, title: &str) -> String {
    let mut s = String::new();
    if t.events.is_empty() {
        let _ = writeln!(
            s,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"80\" viewBox=\"0 0 {WIDTH} 80\" font-family=\"{FONT}\"><title>{}</title><rect width=\"100%\" height=\"100%\" fill=\"#fdfbf6\"/><text x=\"24\" y=\"44\" font-size=\"15\">{} — no dated events found</text></svg>",
            esc(title),
            esc(title)
        );
        return s;
    }
    let l = layout::layout(t);
    let h = l.height;
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{h:.0}\" viewBox=\"0 0 {WIDTH} {h:.0}\" font-family=\"{FONT}\" role=\"img\">"
    );
    let _ = writeln!(s, "<title>{} — dated events</title>", esc(title));
    let _ = writeln!(
        s,
        "<style>.d{{font-size:12px;fill:#222;font-weight:bold}} .g{{font-size:11.5px;fill:#444}} .m{{font-size:11px;fill:#888;font-style:italic}} .yr{{font-size:12.5px;font-weight:bold;fill:#222}} .mo{{font-size:10px;fill:#888}} .ev:hover .d{{fill:#8b1e3f}} .ev:hover rect{{stroke:#8b1e3f}}</style>"
    );
    let _ = writeln!(s, "<rect width=\"100%\" height=\"100%\" fill=\"#fdfbf6\"/>");
    let _ = writeln!(
        s,
        "<text x=\"24\" y=\"30\" font-size=\"18\" fill=\"#222\">{}</text>",
        esc(title)
    );
    let (first, last) = (
        t.events
            .first()
            .map(|e| e.human.clone())
            .unwrap_or_default(),
        t.events
            .iter()
            .max_by_key(|e| e.end)
            .map(|e| e.human.clone())
            .unwrap_or_default(),
    );
    let grouped = if l.coarsest == layout::Level::Event {
        ""
    } else {
        " Busy stretches grouped (every event is in the table)."
    };
    let _ = writeln!(
        s,
        "<text x=\"24\" y=\"50\" font-size=\"11.5\" fill=\"#666\">{} dated events, {} to {}.{grouped} Dots: dates; bars: stretches of time; hollow: year inferred.</text>",
        t.events.len(),
        esc(&first),
        esc(&last)
    );
    // The axis, broken where nothing happens for years.
    let (a0, a1) = l.axis;
    let mut from = a0;
    for &(by, years) in &l.breaks {
        let _ = writeln!(
            s,
            "<line x1=\"{AXIS_X}\" y1=\"{from:.1}\" x2=\"{AXIS_X}\" y2=\"{:.1}\" stroke=\"#333\" stroke-width=\"1.5\"/>",
            by - 10.0
        );
        for dy in [-4.0, 4.0] {
            let _ = writeln!(
                s,
                "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#333\" stroke-width=\"1.5\"/>",
                AXIS_X - 7.0,
                by + dy + 3.0,
                AXIS_X + 7.0,
                by + dy - 3.0
            );
        }
        let _ = writeln!(
            s,
            "<text class=\"m\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{years} years</text>",
            AXIS_X - 12.0,
            by + 4.0
        );
        from = by + 10.0;
    }
    let _ = writeln!(
        s,
        "<line x1=\"{AXIS_X}\" y1=\"{from:.1}\" x2=\"{AXIS_X}\" y2=\"{a1:.1}\" stroke=\"#333\" stroke-width=\"1.5\"/>"
    );
    for tk in &l.ticks {
        if tk.year {
            let _ = writeln!(
                s,
                "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#333\"/><text class=\"yr\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
                AXIS_X - 6.0,
                tk.y,
                AXIS_X + 6.0,
                tk.y,
                AXIS_X - 62.0,
                tk.y + 4.0,
                esc(&tk.label)
            );
        } else {
            let _ = writeln!(
                s,
                "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{AXIS_X}\" y2=\"{:.1}\" stroke=\"#999\"/><text class=\"mo\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
                AXIS_X - 4.0,
                tk.y,
                tk.y,
                AXIS_X - 62.0,
                tk.y + 3.5,
                esc(&tk.label)
            );
        }
    }
    for b in &l.bars {
        let fill = if b.hollow { "#fdfbf6" } else { "#2f5d8a" };
        let _ = writeln!(
            s,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"5\" height=\"{:.1}\" rx=\"2\" fill=\"{fill}\" fill-opacity=\"0.55\" stroke=\"#2f5d8a\"/>",
            b.x - 2.5,
            b.y0,
            b.y1 - b.y0
        );
    }
    for bx in &l.boxes {
        let [(x1, y1), (xa, _), (xb, _), (x2, y2)] = bx.leader;
        let tip: String = bx
            .events
            .iter()
            .filter_map(|&i| t.events.get(i))
            .take(12)
            .map(|e| format!("{} (line {}): {}", e.human, e.line, e.text))
            .collect::<Vec<_>>()
            .join("\n");
        let _ = write!(
            s,
            "<g class=\"ev\"><title>{}</title><path d=\"M{x1:.1},{y1:.1} L{xa:.1},{y1:.1} L{xb:.1},{y2:.1} L{x2:.1},{y2:.1}\" fill=\"none\" stroke=\"#b9b2a3\"/><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"3\" fill=\"#fffdf8\" stroke=\"#e0d9c8\"/>",
            esc(&tip),
            bx.x,
            bx.y,
            bx.w,
            bx.h
        );
        for (n, line) in bx.lines.iter().enumerate() {
            let class = match line.kind {
                LineKind::Date => "d",
                LineKind::Gist => "g",
                LineKind::More => "m",
            };
            let _ = write!(
                s,
                "<text class=\"{class}\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                bx.x + PAD,
                bx.y + PAD + LINE_H * (n as f64) + 11.0,
                esc(&line.text)
            );
        }
        s.push_str("</g>\n");
    }
    for m in &l.marks {
        let (fill, r) = if m.hollow {
            ("#fdfbf6", MARK_R)
        } else {
            ("#8b1e3f", MARK_R)
        };
        let _ = writeln!(
            s,
            "<circle cx=\"{AXIS_X}\" cy=\"{:.1}\" r=\"{r}\" fill=\"{fill}\" stroke=\"#8b1e3f\" stroke-width=\"1.5\"/>",
            m.y
        );
    }
    s.push_str("</svg>\n");
    s
}
