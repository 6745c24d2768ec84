//! The document's dated events in chronological order: the engine part of
//! `annalist timeline` (formats live in `cli::timeline`) and of the LSP's timeline request.
//! Both front ends serialise [`Timeline`] with serde, so its shape is one:
//! `{"events": [{"date", "start", "end", "precision", "surface", "inferred_year", "text",
//! "line", "actors", "places", "notes"}], "left_out": [{"surface", "line", "reason"}]}`.

use crate::dates::{DateMention, Precision, Problem};
use crate::facts::{Analysis, Context};
use crate::finding::Span;
use crate::gazetteer::EntityKind;
use crate::markdown::MdModel;
use crate::notes::NoteStyle;
use jiff::civil::Date;

/// One dated event: a date of the narrative and the sentence that carries it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// Index into `Analysis::dates`.
    pub mention: usize,
    pub edtf: String,
    pub start: Date,
    pub end: Date,
    pub precision: Precision,
    /// The date as written and where.
    pub surface: String,
    pub span: Span,
    /// The sentence containing the date, whitespace collapsed, and its span.
    pub text: String,
    pub sentence: Span,
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
        let mut m = s.serialize_struct("Event", 11)?;
        m.serialize_field("date", &self.edtf)?;
        m.serialize_field("start", &self.start.to_string())?;
        m.serialize_field("end", &self.end.to_string())?;
        m.serialize_field("precision", self.precision.as_str())?;
        m.serialize_field("surface", &self.surface)?;
        m.serialize_field("inferred_year", &self.inferred_year)?;
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

/// The dates of the narrative (outside notes) with bounds, in reading order: indices into
/// `a.dates`.
pub fn narrative(a: &Analysis) -> Vec<usize> {
    a.dates
        .iter()
        .enumerate()
        .filter(|(_, d)| {
            d.start.is_some() && d.problem.is_none() && !d.in_name && !in_notes(a, d.span.start)
        })
        .map(|(i, _)| i)
        .collect()
}

/// Build the timeline of one analysed document.
pub fn build(a: &Analysis, ctx: &Context) -> Timeline {
    let mut t = Timeline::default();
    for (i, d) in a.dates.iter().enumerate() {
        if in_notes(a, d.span.start) {
            continue;
        }
        let line = a.lines.line_of(d.span.start) + 1;
        let surface = d.span.slice(&a.text).to_string();
        if d.in_name {
            t.left_out.push(LeftOut {
                mention: i,
                surface,
                line,
                reason: "part of a name, not an event".into(),
            });
            continue;
        }
        let (Some(start), Some(end), None) = (d.start, d.end, &d.problem) else {
            t.left_out.push(LeftOut {
                mention: i,
                surface,
                line,
                reason: left_out_reason(d),
            });
            continue;
        };
        let sentence = sentence_at(&a.text, &a.md, d.span.start);
        let (actors, places) = actors_in(a, ctx, sentence);
        let notes = a
            .notes
            .markers
            .iter()
            .filter(|m| sentence.contains(m.span.start))
            .map(|m| m.label.clone())
            // Pandoc citations in the sentence source it too, as `@key`.
            .chain(
                a.citations
                    .cites
                    .iter()
                    .filter(|c| sentence.contains(c.key_span.start))
                    .map(|c| format!("@{}", c.key)),
            )
            .collect();
        t.events.push(Event {
            mention: i,
            edtf: d.edtf.clone(),
            start,
            end,
            precision: d.precision,
            surface,
            span: d.span,
            text: collapse(sentence.slice(&a.text)),
            sentence,
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
    for m in a
        .mentions
        .iter()
        .filter(|m| sentence.contains(m.span.start))
    {
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

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Words after which a dot does not end a sentence (compared without the dot).
const ABBREVIATIONS: &[&str] = &[
    "Dr", "Mr", "Mrs", "Ms", "St", "Prof", "Gen", "Col", "Lt", "Capt", "Maj", "Sgt", "Adm", "Gov",
    "Sen", "Rep", "Amb", "Univ", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept",
    "Oct", "Nov", "Dec", "No", "Nos", "vol", "Vol", "pp", "p", "cf", "Cf", "vs", "Jr", "Sr", "Inc",
    "Co", "Corp", "Ltd", "ed", "eds", "trans", "ch", "fig", "Fig", "op", "cit", "ibid", "Ibid",
    "ca", "c", "approx", "Rev", "Mt", "Ft",
];

/// The sentence around `offset`: inside its block, from the end of the previous sentence
/// to the next `.`, `!` or `?` followed by a space and a capital (note markers right after
/// the stop stay with the sentence). Abbreviations (`Dr.`, `D.C.`, `Univ.`) and initials do
/// not end a sentence.
pub fn sentence_at(text: &str, md: &MdModel, offset: usize) -> Span {
    let block = md
        .block_at(offset)
        .map(|b| b.content)
        .unwrap_or_else(|| line_span(text, offset));
    let Some(body) = text.get(block.start..block.end) else {
        return Span::new(offset, offset);
    };
    let mut start = block.start;
    let mut end = block.end;
    for b in boundaries(body) {
        let at = block.start + b;
        if at <= offset {
            start = at;
        } else {
            end = at;
            break;
        }
    }
    // Trim whitespace.
    let s = Span::new(start, end);
    let raw = s.slice(text);
    let lead = raw.len() - raw.trim_start().len();
    let trail = raw.len() - raw.trim_end().len();
    Span::new(start + lead, end.saturating_sub(trail).max(start + lead))
}

fn line_span(text: &str, offset: usize) -> Span {
    let offset = offset.min(text.len());
    let start = text
        .get(..offset)
        .and_then(|t| t.rfind('\n'))
        .map(|i| i + 1)
        .unwrap_or(0);
    let end = text
        .get(offset..)
        .and_then(|t| t.find('\n'))
        .map(|i| offset + i)
        .unwrap_or(text.len());
    Span::new(start, end)
}

/// Byte offsets (relative to `body`) where a new sentence starts.
fn boundaries(body: &str) -> Vec<usize> {
    let b = body.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if !matches!(c, b'.' | b'!' | b'?') {
            i += 1;
            continue;
        }
        if c == b'.' && is_abbreviation(body, i) {
            i += 1;
            continue;
        }
        // Closing quotes and brackets belong to the sentence.
        let mut j = i + 1;
        while let Some(ch) = body.get(j..).and_then(|r| r.chars().next()) {
            if matches!(ch, '"' | '\'' | ')' | ']' | '”' | '’' | '*' | '_') {
                j += ch.len_utf8();
            } else {
                break;
            }
        }
        // Note markers after the stop: `(3)`, `[3]`, `[^3]`, superscripts.
        let mut k = skip_ws(body, j);
        if k == j {
            i += 1;
            continue;
        }
        loop {
            let m = marker_len(body, k);
            if m == 0 {
                break;
            }
            k = skip_ws(body, k + m);
        }
        let next = body.get(k..).and_then(|r| r.chars().next());
        let opens = next.is_some_and(|ch| ch.is_uppercase() || matches!(ch, '"' | '“' | '‘'))
            || (next == Some('(')
                && body
                    .get(k + 1..)
                    .and_then(|r| r.chars().next())
                    .is_some_and(char::is_uppercase));
        if opens {
            out.push(k);
            i = k;
        } else {
            i += 1;
        }
    }
    out
}

fn skip_ws(body: &str, mut k: usize) -> usize {
    while let Some(ch) = body.get(k..).and_then(|r| r.chars().next()) {
        if ch.is_whitespace() {
            k += ch.len_utf8();
        } else {
            break;
        }
    }
    k
}

/// Length of a note marker at `k`, or 0.
fn marker_len(body: &str, k: usize) -> usize {
    let rest = body.get(k..).unwrap_or("");
    for (open, close) in [("(", ')'), ("[^", ']'), ("[", ']')] {
        if let Some(r) = rest.strip_prefix(open)
            && let Some(e) = r.find(close)
        {
            let label = &r[..e];
            let ok = if open == "[^" {
                !label.is_empty() && !label.contains(char::is_whitespace)
            } else {
                !label.is_empty() && label.len() <= 3 && label.bytes().all(|c| c.is_ascii_digit())
            };
            if ok {
                return open.len() + e + 1;
            }
        }
    }
    let sup: usize = rest
        .chars()
        .take_while(|c| "¹²³⁴⁵⁶⁷⁸⁹⁰".contains(*c))
        .map(char::len_utf8)
        .sum();
    sup
}

fn is_abbreviation(body: &str, dot: usize) -> bool {
    let before = body.get(..dot).unwrap_or("");
    let word: &str = before
        .rsplit(|c: char| c.is_whitespace() || matches!(c, '(' | '"' | '“' | '\''))
        .next()
        .unwrap_or("");
    if word.is_empty() {
        return false;
    }
    // Initials and dotted abbreviations: `J.`, `D.C.`, `U.S.`, `e.g.`
    if word.chars().count() == 1 && word.chars().all(char::is_uppercase) {
        return true;
    }
    if word.contains('.') && word.split('.').all(|p| p.chars().count() <= 2) {
        return true;
    }
    ABBREVIATIONS.contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(t: &str) -> Vec<String> {
        let md = MdModel::parse(t);
        let mut out = Vec::new();
        let mut at = 0;
        while at < t.len() {
            let s = sentence_at(t, &md, at);
            if s.end <= at {
                at += 1;
                continue;
            }
            out.push(s.slice(t).to_string());
            at = s.end + 1;
        }
        out
    }

    #[test]
    fn splits_sentences_minding_abbreviations_and_markers() {
        let t = "Dr. Evgeni Bajanov spoke at Georgetown Univ., Washington, D.C. on it. Stalin agreed. (3) In May he left! \"Then,\" he said. J. Smith came.";
        assert_eq!(
            sentences(t),
            vec![
                "Dr. Evgeni Bajanov spoke at Georgetown Univ., Washington, D.C. on it.",
                "Stalin agreed. (3)",
                "In May he left!",
                "\"Then,\" he said.",
                "J. Smith came.",
            ]
        );
    }
}
