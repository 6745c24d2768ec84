//! Hover cards and inlay hints for dates.

use super::HoverResult;
use super::timeline::{in_notes, narrative, sentence_at};
use crate::dates::lang::ENGLISH;
use crate::dates::{DateMention, Precision, Problem, YearSource, calendar, edtf, mention_at};
use crate::facts::{Analysis, Context};

/// A date in words: `5 March 1949`.
pub use crate::dates::long_date;

fn describe(d: &DateMention, text: &str, line: usize) -> String {
    format!("*{}* (line {line})", d.span.slice(text).trim())
}

fn line_of(a: &Analysis, offset: usize) -> usize {
    a.lines.line_of(offset) + 1
}

/// Hover card for the date at `offset`, if any.
pub fn hover(a: &Analysis, _ctx: &Context, offset: usize) -> Option<HoverResult> {
    let d = mention_at(&a.dates, offset)?;
    let idx = a.dates.iter().position(|x| std::ptr::eq(x, d))?;
    let text = &a.text;
    let mut out: Vec<String> = Vec::new();
    out.push(format!(
        "**Date** `{}` · {}{}",
        d.edtf,
        d.precision.as_str(),
        match d.qualifier {
            Some(q) => format!(" ({} in the month)", q.as_str()),
            None => String::new(),
        }
    ));
    // What the value covers.
    if let (Some(s), Some(e)) = (d.start, d.end) {
        if s == e {
            let weekday = ENGLISH.weekday_name(s.weekday());
            let mut l = format!("{weekday}, {} (proleptic Gregorian)", long_date(s));
            if let Some(w) = d.written_weekday
                && w != s.weekday()
            {
                l.push_str(&format!(
                    " — written *{}*, but that day was a {weekday}",
                    ENGLISH.weekday_name(w)
                ));
            }
            out.push(l);
        } else {
            let mut l = format!("From {} to {}", long_date(s), long_date(e));
            if d.precision == Precision::Season
                && let Some(code) = d.edtf.rsplit('-').next().and_then(|c| c.parse::<u8>().ok())
            {
                l.push_str(&format!(" — EDTF {}", edtf::group_name(code)));
            }
            out.push(l);
        }
    }
    match &d.problem {
        Some(Problem::InvalidDay {
            year,
            month,
            day,
            days_in_month,
        }) => out.push(format!(
            "**No such day**: {} {year} has {days_in_month} days, not {day}.",
            ENGLISH.month_name(*month)
        )),
        Some(Problem::YearCutShort { written, .. }) => out.push(format!(
            "**Year cut short**: `{written}` — a digit seems to be missing."
        )),
        None => {}
    }
    let cite = |from: crate::finding::Span| {
        a.dates
            .iter()
            .find(|x| x.span.contains(from.start))
            .map(|x| describe(x, text, line_of(a, x.span.start)))
            .unwrap_or_else(|| format!("*{}*", from.slice(text)))
    };
    match (&d.year_source, d.year_from) {
        (Some(YearSource::Dateline(from)), _) => out.push(format!(
            "**Inferred year**: year from the dateline, {}.",
            cite(*from)
        )),
        (Some(YearSource::FrontMatter(v)), _) => out.push(format!(
            "**Inferred year**: year from front matter date `{v}`."
        )),
        (Some(YearSource::Relative(sp)), _) => out.push(format!(
            "Year from *{}*, counted from the document's date.",
            sp.slice(text)
        )),
        (_, Some(from)) if d.inferred_year => out.push(format!(
            "**Inferred year**: not written here; taken from {}, the nearest earlier year.",
            cite(from)
        )),
        (_, Some(from)) => out.push(format!(
            "Year taken from {} in the same phrase.",
            cite(from)
        )),
        _ if d.start.is_none() && d.problem.is_none() => {
            out.push("No year: none is written before this date.".into())
        }
        _ => {}
    }
    if d.year_stepped_back
        && let Some(s) = d.start
    {
        out.push(format!(
            "{}: the year before the document's date, since *{}* would otherwise fall after it.",
            s.year(),
            d.span.slice(text).trim()
        ));
    }
    if d.in_name {
        out.push("Part of a name, not an event: left off the timeline.".into());
    }
    if let Some(note) = old_style_note(a, d) {
        out.push(note);
    }
    out.extend(chronology(a, idx));
    // The other places of the same date: the first few by line, then how many more (a
    // book may name 25 June 1950 hundreds of times; the card stays short).
    const SHOWN: usize = 8;
    let mut same = a
        .dates
        .iter()
        .enumerate()
        .filter(|(i, x)| *i != idx && !x.edtf.is_empty() && x.edtf == d.edtf);
    let lines: Vec<String> = same
        .by_ref()
        .take(SHOWN)
        .map(|(_, x)| format!("line {}", line_of(a, x.span.start)))
        .collect();
    let more = same.count();
    if !lines.is_empty() {
        let tail = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        out.push(format!("Same date also at {}{tail}.", lines.join(", ")));
    }
    Some(HoverResult {
        span: d.span,
        markdown: out.join("\n\n"),
    })
}

/// For a Russian-context day before the 1918 switch, the date in the other style.
fn old_style_note(a: &Analysis, d: &DateMention) -> Option<String> {
    let day = d.start.filter(|_| d.is_day())?;
    if day >= calendar::russian_switch() {
        return None;
    }
    let sentence = sentence_at(
        &a.text,
        &a.md,
        &crate::ide::timeline::marker_spans(a),
        d.span.start,
    );
    let why = match russian_word(sentence.slice(&a.text)) {
        Some(w) => format!("the sentence mentions *{w}*"),
        None => format!("the document mentions *{}*", russian_word(&a.text)?),
    };
    let os = calendar::to_julian(day);
    let ns = calendar::from_julian(day.year().into(), day.month().into(), day.day().into());
    let diff = ns.and_then(|n| n.since(day).ok()).map(|s| s.get_days());
    let mut l = format!(
        "**Old or New Style?** Russia used the Julian calendar until 1918 ({why}). If this is New Style, it is {} {} {} Old Style",
        os.day,
        ENGLISH.month_name(i8::try_from(os.month).unwrap_or(0)),
        os.year
    );
    match (ns, diff) {
        (Some(n), Some(k)) => l.push_str(&format!(
            "; if Old Style, it is {} New Style (+{k} days).",
            long_date(n)
        )),
        _ => l.push('.'),
    }
    Some(l)
}

/// The first word of the Russian-context list found in `s`, as a whole word.
fn russian_word(s: &str) -> Option<String> {
    let lower = s.to_lowercase();
    for w in ENGLISH.russian_context {
        let mut from = 0;
        while let Some(i) = lower.get(from..).and_then(|r| r.find(w)) {
            let at = from + i;
            let before = lower.get(..at).and_then(|b| b.chars().next_back());
            let after = lower.get(at + w.len()..).and_then(|r| r.chars().next());
            if !before.is_some_and(char::is_alphanumeric)
                && !after.is_some_and(char::is_alphanumeric)
            {
                return s.get(at..at + w.len()).map(str::to_string);
            }
            from = at + w.len();
        }
    }
    None
}

/// The date's place in the document's chronology.
fn chronology(a: &Analysis, idx: usize) -> Vec<String> {
    let Some(d) = a.dates.get(idx) else {
        return Vec::new();
    };
    let (Some(start), Some(end)) = (d.start, d.end) else {
        return Vec::new();
    };
    if in_notes(a, d.span.start) || d.problem.is_some() {
        return Vec::new();
    }
    let story = narrative(a);
    // The neighbours in date order, found in one pass (no sort per hover).
    let key = |i: usize| {
        let x = &a.dates[i];
        (x.start, x.end, x.span.start)
    };
    let mut out = Vec::new();
    let here = story.contains(&idx).then(|| {
        let k = key(idx);
        let rank = story.iter().filter(|&&i| key(i) < k).count();
        let before = story
            .iter()
            .copied()
            .filter(|&i| key(i) < k)
            .max_by_key(|&i| key(i));
        let after = story
            .iter()
            .copied()
            .filter(|&i| key(i) > k)
            .min_by_key(|&i| key(i));
        (rank, before, after)
    });
    let show = |i: usize| {
        let x = &a.dates[i];
        describe(x, &a.text, line_of(a, x.span.start))
    };
    if let Some((p, before, after)) = here {
        let before = before.map(show);
        let after = after.map(show);
        let mut parts = Vec::new();
        if let Some(b) = before {
            parts.push(format!("after {b}"));
        }
        if let Some(n) = after {
            parts.push(format!("before {n}"));
        }
        if !parts.is_empty() {
            out.push(format!(
                "In date order: {} ({} of {} dates).",
                parts.join(", "),
                p + 1,
                story.len()
            ));
        }
    }
    // Reading order: the previous narrative date in the text.
    if let Some(prev) = story.iter().take_while(|&&i| i < idx).last() {
        let x = &a.dates[*prev];
        if let Some(ps) = x.start
            && end < ps
        {
            out.push(format!(
                "**Out of narrative order**: earlier than {}, the date before it in the text.",
                show(*prev)
            ));
        }
    }
    let _ = start;
    out
}

/// Inlay hints: the reading, as a historian writes it, after dates that are ambiguous or
/// partial as written (inferred or carried years, parts of years, decades, broken
/// years); none where it would only repeat the text (`May-August 1949`).
/// Byte offset (the date's end) and the label.
pub fn inlay_hints(a: &Analysis) -> Vec<(usize, String)> {
    a.dates
        .iter()
        .filter(|d| {
            d.inferred_year
                || d.year_from.is_some()
                || d.problem.is_some()
                || d.start.is_none()
                || matches!(
                    d.precision,
                    Precision::Range | Precision::Season | Precision::Decade
                )
        })
        .filter_map(|d| {
            super::timeline::human::hint(d, d.span.slice(&a.text)).map(|h| (d.span.end, h))
        })
        .collect()
}
