//! The document's dated events in chronological order: the engine part of
//! `annalist timeline` (formats live in `cli::timeline`) and of the LSP's timeline request.
//! Both front ends serialise [`Timeline`] with serde, so its shape is one:
//! `{"events": [{"date", "human", "covers", "start", "end", "precision", "surface",
//! "inferred_year", "gist", "text", "line", "actors", "places", "notes"}],
//! "left_out": [{"surface", "human", "line", "reason"}]}`.
//!
//! Which dates are events is decided here: not a date in a note, a name, the document's
//! header or bibliography, nor one that marks a state (`filter`). How they read is
//! `human`; the label's clause is `gist`; the picture's geometry is `layout`.

pub mod filter;
pub mod gist;
pub mod human;
pub mod layout;
mod sentence;

pub use sentence::{Sentences, sentence_at};

use crate::dates::{DateMention, Precision, Problem};
use crate::facts::{Analysis, Context};
use crate::finding::Span;
use crate::gazetteer::EntityKind;
use crate::notes::NoteStyle;
use jiff::civil::Date;

/// One dated event: a date of the narrative and the sentence that carries it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// Index into `Analysis::dates`.
    pub mention: usize,
    pub edtf: String,
    /// The date as a historian writes it: `end of 1949`, `17 January [1950]`.
    pub human: String,
    /// The months a part of a year covers (`Oct.–Dec. 1949`), when not plain.
    pub covers: Option<String>,
    pub start: Date,
    pub end: Date,
    pub precision: Precision,
    /// The date as written and where.
    pub surface: String,
    pub span: Span,
    /// The sentence containing the date, whitespace collapsed, and its span.
    pub text: String,
    pub sentence: Span,
    /// Who did what: the clause around the date, shortened, without date or markers.
    pub gist: String,
    /// 1-based line of the date.
    pub line: usize,
    /// Preferred names of the persons and organisations mentioned in the sentence.
    pub actors: Vec<String>,
    /// Preferred names of the places (and named events) mentioned in the sentence.
    pub places: Vec<String>,
    /// Labels of the note markers in (or right after) the sentence.
    pub notes: Vec<String>,
    pub inferred_year: bool,
}

impl serde::Serialize for Event {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut m = s.serialize_struct("Event", 14)?;
        m.serialize_field("date", &self.edtf)?;
        m.serialize_field("human", &self.human)?;
        m.serialize_field("covers", &self.covers)?;
        m.serialize_field("start", &self.start.to_string())?;
        m.serialize_field("end", &self.end.to_string())?;
        m.serialize_field("precision", self.precision.as_str())?;
        m.serialize_field("surface", &self.surface)?;
        m.serialize_field("inferred_year", &self.inferred_year)?;
        m.serialize_field("gist", &self.gist)?;
        m.serialize_field("text", &self.text)?;
        m.serialize_field("line", &self.line)?;
        m.serialize_field("actors", &self.actors)?;
        m.serialize_field("places", &self.places)?;
        m.serialize_field("notes", &self.notes)?;
        m.end()
    }
}

/// A date that could not be placed on the timeline, and why.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct LeftOut {
    #[serde(skip)]
    pub mention: usize,
    pub surface: String,
    /// The date as a historian writes it (the surface when it has no value).
    pub human: String,
    pub line: usize,
    pub reason: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Timeline {
    /// Sorted by start, then end, then position in the text.
    pub events: Vec<Event>,
    pub left_out: Vec<LeftOut>,
}

/// True when `offset` is inside a note's text (a footnote definition, an inline note or
/// the Notes section): dates there cite sources rather than tell the story.
pub fn in_notes(a: &Analysis, offset: usize) -> bool {
    a.notes.notes_section.is_some_and(|s| s.contains(offset))
        || a.notes
            .definitions
            .iter()
            .any(|d| d.style != NoteStyle::Inline && d.span.contains(offset))
}

/// The notes' text as sorted, disjoint regions (what [`in_notes`] asks, for many dates).
fn note_regions(a: &Analysis) -> Vec<(Span, ())> {
    let v = a
        .notes
        .notes_section
        .into_iter()
        .chain(
            a.notes
                .definitions
                .iter()
                .filter(|d| d.style != NoteStyle::Inline)
                .map(|d| d.span),
        )
        .map(|s| (s, ()))
        .collect();
    filter::disjoint(v)
}

/// The document's note markers, sorted, as the sentence splitter takes them.
pub fn marker_spans(a: &Analysis) -> Vec<Span> {
    let mut v: Vec<Span> = a.notes.markers.iter().map(|m| m.span).collect();
    v.sort();
    v
}

/// The dates of the narrative (outside notes) with bounds, in reading order: indices into
/// `a.dates`.
pub fn narrative(a: &Analysis) -> Vec<usize> {
    // The notes' regions once, then a binary search per date: asking `in_notes` per
    // date scanned every definition for every date (5,000 dates × 1,800 notes on a
    // 1 MB book: 20 ms for each date hover).
    let notes = note_regions(a);
    a.dates
        .iter()
        .enumerate()
        .filter(|(_, d)| {
            d.start.is_some()
                && d.problem.is_none()
                && !d.in_name
                && filter::region_at(&notes, d.span.start).is_none()
        })
        .map(|(i, _)| i)
        .collect()
}

/// Build the timeline of one analysed document.
pub fn build(a: &Analysis, ctx: &Context) -> Timeline {
    let mut t = Timeline::default();
    let regions = filter::regions(&a.text, &a.md);
    let region_of = |at: usize| filter::region_at(&regions, at);
    let notes = note_regions(a);
    let mut sentences: Option<Sentences> = None;
    let markers = marker_spans(a);
    for (i, d) in a.dates.iter().enumerate() {
        if filter::region_at(&notes, d.span.start).is_some() {
            continue;
        }
        let line = a.lines.line_of(d.span.start) + 1;
        let surface = d.span.slice(&a.text).to_string();
        let human = human::human(d, &surface);
        let mut leave = |reason: String| {
            t.left_out.push(LeftOut {
                mention: i,
                surface: surface.clone(),
                human: human.clone(),
                line,
                reason,
            })
        };
        if d.in_name {
            leave("part of a name, not an event".into());
            continue;
        }
        if let Some(why) = region_of(d.span.start) {
            leave(why.into());
            continue;
        }
        let (Some(start), Some(end), None) = (d.start, d.end, &d.problem) else {
            leave(left_out_reason(d));
            continue;
        };
        if !sentences.as_ref().is_some_and(|s| s.covers(d.span.start)) {
            sentences = Some(Sentences::of_block(&a.text, &a.md, &markers, d.span.start));
        }
        let Some(whole) = sentences.as_ref().map(|s| s.at(&a.text, d.span.start)) else {
            continue;
        };
        // A sentence longer than a window around the date is cut to the window, so a
        // paragraph of thousands of dates without a stop costs a window per date.
        let sentence = window(&a.text, whole, d.span);
        if let Some(why) = filter::state(&a.text, sentence, d.span) {
            leave(why.into());
            continue;
        }
        let (actors, places) = actors_in(a, ctx, sentence);
        // Notes source the whole sentence, however long (the first few of them).
        let notes = within(&a.notes.markers, whole, |m| m.span.start)
            .iter()
            .take(MAX_NOTES)
            .map(|m| m.label.clone())
            // Pandoc citations in the sentence source it too, as `@key`.
            .chain(
                within(&a.citations.cites, whole, |c| c.key_span.start)
                    .iter()
                    .take(MAX_NOTES)
                    .map(|c| format!("@{}", c.key)),
            )
            .collect();
        let clause = gist::clause(&a.text, sentence, d.span);
        let mut gist = gist::text_of(clause.slice(&a.text));
        // Actors first: a clause that opens with `he` or `she` in a sentence that names one
        // person gets the name ahead (`Stalin: he ordered …`); no other rewording.
        let persons: Vec<&str> = within(&a.mentions, sentence, |m| m.span.start)
            .iter()
            .filter_map(|m| ctx.knowledge.gazetteer.entities.get(m.entity))
            .filter(|e| e.kind == EntityKind::Person)
            .map(|e| e.preferred.as_str())
            .collect();
        let pronoun = ["he ", "she ", "He ", "She "]
            .iter()
            .any(|p| gist.starts_with(p));
        if pronoun
            && let [one, rest @ ..] = persons.as_slice()
            && rest.iter().all(|r| r == one)
        {
            gist = gist::shorten(&format!("{one}: {gist}"), gist::MAX_GIST);
        }
        t.events.push(Event {
            mention: i,
            edtf: d.edtf.clone(),
            human,
            covers: human::covers(d),
            start,
            end,
            precision: d.precision,
            surface,
            span: d.span,
            text: {
                let mut t = collapse(sentence.slice(&a.text));
                if sentence.start > whole.start {
                    t.insert(0, '…');
                }
                if sentence.end < whole.end {
                    t.push('…');
                }
                t
            },
            sentence,
            gist,
            line,
            actors,
            places,
            notes,
            inferred_year: d.inferred_year,
        });
    }
    t.events.sort_by_key(|x| (x.start, x.end, x.span.start));
    t
}

fn left_out_reason(d: &DateMention) -> String {
    match &d.problem {
        Some(Problem::InvalidDay { .. }) => "no such day".into(),
        Some(Problem::YearCutShort { written, .. }) => {
            format!("year cut short ({written})")
        }
        None => "no year in the document before it".into(),
    }
}

/// The entities named in a sentence, in order, once each: (persons and organisations,
/// places and events).
fn actors_in(a: &Analysis, ctx: &Context, sentence: Span) -> (Vec<String>, Vec<String>) {
    let mut actors: Vec<String> = Vec::new();
    let mut places: Vec<String> = Vec::new();
    for m in within(&a.mentions, sentence, |m| m.span.start) {
        if let Some(e) = ctx.knowledge.gazetteer.entities.get(m.entity) {
            let list = match e.kind {
                EntityKind::Person | EntityKind::Organisation => &mut actors,
                EntityKind::Place | EntityKind::Event => &mut places,
            };
            if !list.contains(&e.preferred) {
                list.push(e.preferred.clone());
            }
        }
    }
    (actors, places)
}

/// The items of `v` (sorted by `start`, as the passes produce them) starting in `s`, by
/// bisection.
fn within<T>(v: &[T], s: Span, start: impl Fn(&T) -> usize) -> &[T] {
    let lo = v.partition_point(|x| start(x) < s.start);
    let hi = v.partition_point(|x| start(x) < s.end);
    v.get(lo..hi.max(lo)).unwrap_or(&[])
}

/// The most note markers (and, apart, citations) listed for one event.
const MAX_NOTES: usize = 8;

/// Bytes kept on each side of a date when its sentence is longer.
const WINDOW: usize = 400;

/// `sentence` cut to `WINDOW` bytes either side of `date`, at character boundaries.
fn window(text: &str, sentence: Span, date: Span) -> Span {
    let mut lo = date.start.saturating_sub(WINDOW).max(sentence.start);
    while lo > sentence.start && !text.is_char_boundary(lo) {
        lo -= 1;
    }
    let mut hi = (date.end + WINDOW).min(sentence.end);
    while hi < sentence.end && !text.is_char_boundary(hi) {
        hi += 1;
    }
    Span::new(lo, hi)
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze_str;
    use crate::config::Config;
    use crate::facts::Knowledge;

    fn timeline(t: &str) -> Timeline {
        let a = analyze_str(t);
        let config = Config::default();
        let knowledge = Knowledge::embedded();
        let ctx = Context {
            config: &config,
            knowledge: &knowledge,
        };
        build(&a, &ctx)
    }

    #[test]
    fn the_shipped_transcription_reads_as_a_historian_writes() {
        let t = timeline(include_str!("../../../fixtures/bajanov-1995.md"));
        let human: Vec<&str> = t.events.iter().map(|e| e.human.as_str()).collect();
        assert!(human.contains(&"beginning of 1949"), "{human:?}");
        assert!(human.iter().all(|h| !h.contains("-3")), "{human:?}");
        // The state and the header's conference date are left out, and say why.
        let left: Vec<(&str, &str)> = t
            .left_out
            .iter()
            .map(|l| (l.surface.as_str(), l.reason.as_str()))
            .collect();
        assert!(
            left.iter()
                .any(|(s, r)| *s == "the end of 1949" && r.contains("state")),
            "{left:?}"
        );
        assert!(
            left.iter()
                .any(|(s, r)| *s == "24-25 July 1995" && r.contains("header")),
            "{left:?}"
        );
        assert!(t.events.iter().all(|e| e.start.year() < 1990));
        // Labels carry who did what and the notes.
        let april = t
            .events
            .iter()
            .find(|e| e.edtf == "1949-04-17")
            .map(|e| e.gist.as_str());
        assert_eq!(
            april,
            Some("Stalin informed his ambassador of an imminent attack from the South")
        );
    }
}
