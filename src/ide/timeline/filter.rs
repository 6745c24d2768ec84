//! Which dates are not events: a document's header and bibliography, and states
//! ("Until the end of 1949 Stalin did not plan any aggression").

use crate::finding::Span;
use crate::markdown::{BlockKind, MdModel};

/// Words that make a paragraph at the top a publication line (where and when the text
/// was presented, published or transcribed), not part of the story.
const PUBLICATION: &[&str] = &[
    "presented",
    "conference",
    "symposium",
    "proceedings",
    "published",
    "reprinted",
    "originally",
    "delivered at",
    "copyright",
    "©",
    "transcribed",
    "translated by",
    "edited by",
];

/// Headings of a bibliography (compared lowercase, numbering and punctuation dropped).
const BIBLIOGRAPHY: &[&str] = &[
    "references",
    "bibliography",
    "select bibliography",
    "works cited",
    "literature",
    "further reading",
    "sources",
    "sources and literature",
    "archival sources",
];

/// Spans that hold no events: the header (front matter; the blocks before the first
/// paragraph of prose — title, datelines, classification, subtitles; and a publication
/// line among the first paragraphs) and bibliography sections.
pub fn regions(text: &str, md: &MdModel) -> Vec<(Span, &'static str)> {
    let mut out = Vec::new();
    if let Some(f) = md.front_matter {
        out.push((f, "in the front matter"));
    }
    // The header: the short blocks (title, datelines, classification, subtitles) before
    // the first real paragraph (12 words or more) — only when such a paragraph follows
    // within the first six — and publication lines among the first three paragraphs.
    let mut paragraphs = 0;
    let mut short: Vec<(Span, &'static str)> = Vec::new();
    for b in &md.blocks {
        let body = b.content.slice(text);
        match b.kind {
            BlockKind::Paragraph if b.quote_depth == 0 && b.list_depth == 0 => {
                paragraphs += 1;
                let low = body.to_lowercase();
                if PUBLICATION.iter().any(|w| low.contains(w)) && paragraphs <= 3 {
                    out.push((b.span, "in the document's header (its publication line)"));
                    continue;
                }
                if body.split_whitespace().count() >= 12 {
                    out.append(&mut short);
                    break;
                }
                if paragraphs > 6 {
                    break;
                }
                short.push((b.span, "in the document's header (title block or dateline)"));
            }
            BlockKind::Heading { .. } => {}
            _ if paragraphs == 0 => {
                short.push((b.span, "in the document's header (title block or dateline)"))
            }
            _ => break,
        }
    }
    // Headings name sections (`## 1950`, `## June 1950: the invasion`); the events are in
    // the prose under them.
    for h in &md.headings {
        out.push((h.span, "in a heading (a section's title, not an event)"));
    }
    // Bibliography sections: from the heading to the next heading of its level or above.
    for (i, h) in md.headings.iter().enumerate() {
        let name: String = h
            .text
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphabetic() || *c == ' ')
            .collect();
        if !BIBLIOGRAPHY.contains(&name.trim()) {
            continue;
        }
        let end = md.headings[i + 1..]
            .iter()
            .find(|n| n.level <= h.level)
            .map_or(text.len(), |n| n.span.start);
        out.push((Span::new(h.span.start, end), "in the bibliography"));
    }
    disjoint(out)
}

/// Sorted, disjoint regions: overlapping ones merge into the one that starts first (the
/// longer on a tie), which keeps its reason. Lookups then sweep or bisect.
pub fn disjoint<T: Copy>(mut v: Vec<(Span, T)>) -> Vec<(Span, T)> {
    v.sort_by_key(|(s, _)| (s.start, std::cmp::Reverse(s.end)));
    let mut out: Vec<(Span, T)> = Vec::with_capacity(v.len());
    for (s, why) in v {
        match out.last_mut() {
            Some((last, _)) if s.start < last.end => last.end = last.end.max(s.end),
            _ => out.push((s, why)),
        }
    }
    out
}

/// The region holding `at`, by bisection of sorted, disjoint regions.
pub fn region_at<T: Copy>(regions: &[(Span, T)], at: usize) -> Option<T> {
    let i = regions.partition_point(|(s, _)| s.end <= at);
    regions
        .get(i)
        .filter(|(s, _)| s.contains(at))
        .map(|(_, why)| *why)
}

/// Prepositions that make a date the end or the edge of a state: `until 1950`,
/// `as of June 1950`. Always a state when fronted or with no negation before them.
const UNTIL: &[&str] = &[
    "until",
    "till",
    "up to",
    "up until",
    "as of",
    "as late as",
    "throughout",
];
/// Prepositions that make a state only with a negated or stative verb: `by the end of
/// 1949 the Soviets had …`, `since 1947 they had believed`.
const BY: &[&str] = &["by", "since", "prior to", "through"];

const NEGATION: &[&str] = &[
    "not",
    "n't",
    "never",
    "no longer",
    "neither",
    "nor",
    "nothing",
    "no one",
];
/// Stative verbs and perfects: being, believing, remaining, having had.
const STATIVE: &[&str] = &[
    "was",
    "were",
    "had",
    "had been",
    "has been",
    "remained",
    "still",
    "believed",
    "knew",
    "thought",
    "considered",
    "wanted",
    "hoped",
    "feared",
    "expected",
    "intended",
    "opposed",
    "lacked",
    "controlled",
    "held",
    "numbered",
    "existed",
    "seemed",
];

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn has_phrase(ws: &[String], phrase: &str) -> bool {
    let p: Vec<&str> = phrase.split(' ').collect();
    ws.windows(p.len()).any(|w| {
        w.iter()
            .zip(&p)
            .all(|(a, b)| a == b || (*b == "n't" && a.ends_with("n't")))
    })
}

/// Why the date at `date` in `sentence` marks a state rather than an event, if it does:
/// `Until the end of 1949 Stalin did not plan any aggression` (a state that lasted until
/// then), but not `Stalin did not agree until 30 January 1950` (he agreed then).
pub fn state(text: &str, sentence: Span, date: Span) -> Option<&'static str> {
    let before = text.get(sentence.start..date.start)?;
    let after = text.get(date.end..sentence.end)?;
    let bw = words(before);
    // The preposition right before the date (the date's own `the end of` is inside it).
    let prep = |list: &[&'static str]| -> Option<(&'static str, usize)> {
        list.iter().find_map(|p| {
            let n = p.split(' ').count();
            (bw.len() >= n
                && bw[bw.len() - n..]
                    .iter()
                    .zip(p.split(' '))
                    .all(|(a, b)| a == b))
            .then(|| (*p, bw.len() - n))
        })
    };
    let aw = words(after);
    if let Some((_, at)) = prep(UNTIL) {
        // `did not agree until X`: the negation comes first, the event happens at X.
        let head = &bw[..at];
        if NEGATION.iter().any(|n| has_phrase(head, n)) {
            return None;
        }
        return Some("a state lasting until this date, not an event");
    }
    if prep(BY).is_some() {
        let clause: Vec<String> = bw.iter().chain(&aw).cloned().collect();
        if NEGATION.iter().any(|n| has_phrase(&clause, n)) {
            return Some("a state (negated) at this date, not an event");
        }
        if STATIVE.iter().any(|n| has_phrase(&clause, n)) {
            return Some("a state at this date, not an event");
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_state(sentence: &str, date: &str) -> bool {
        let at = sentence.find(date).unwrap_or(0);
        state(
            sentence,
            Span::new(0, sentence.len()),
            Span::new(at, at + date.len()),
        )
        .is_some()
    }

    #[test]
    fn states_from_the_seed_and_their_near_misses() {
        // Bajanov 1995, section 1, first sentence (the seed article, line 8).
        assert!(is_state(
            "Until the end of 1949 Stalin did not plan any aggression against South Korea.",
            "the end of 1949"
        ));
        assert!(is_state(
            "As of June 1950 the Korean People's Army numbered some 135,000 men.",
            "June 1950"
        ));
        assert!(is_state(
            "By the end of 1949 the North Koreans still had no navy to speak of.",
            "the end of 1949"
        ));
        assert!(is_state(
            "Since 1947 Soviet leaders had believed in a unification of Korea.",
            "1947"
        ));
        // FRUS 1949 vol. VII pt. 2, d277 and d279 (fixtures/real).
        assert!(is_state(
            "Acceptance of this thesis would throw the problem back to the U.S. and the U.S.S.R. instead of the UN continuing to be seized of the problem, as it has been since November 14, 1947.",
            "November 14, 1947"
        ));
        assert!(is_state(
            "Having completed its report, UNCOK has turned itself into a Working Committee and will be prepared to report on new developments up to October 1.",
            "October 1"
        ));
        assert!(is_state(
            "At this date of writing Pyongyang Radio has still failed to mention the September 20 \"elections\", which have not been mentioned over the air since July.",
            "July"
        ));
        // Near misses: events.
        assert!(!is_state(
            "Stalin did not agree until 30 January 1950, when he cabled Shtykov.",
            "30 January 1950"
        ));
        assert!(!is_state(
            "On 17 April 1949, Stalin informed his ambassador of an imminent attack from the South.",
            "17 April 1949"
        ));
        assert!(!is_state(
            "By 30 January 1950 Stalin agreed to receive Kim.",
            "30 January 1950"
        ));
        assert!(!is_state(
            "In 1947-1948 Soviet leaders still believed in the possibility of a unification of Korea.",
            "1947-1948"
        ));
        assert!(!is_state(
            "At this date of writing Pyongyang Radio has still failed to mention the September 20 \"elections\".",
            "September 20"
        ));
        assert!(!is_state("Since 1947 he travelled to Moscow.", "1947"));
        assert!(!is_state(
            "In the beginning of 1949 the Soviet embassy began to alert the Kremlin.",
            "the beginning of 1949"
        ));
    }

    #[test]
    fn the_header_and_the_bibliography_hold_no_events() {
        let t = "# Title\n\n*Subtitle 1995*\n\nWashington, July 15, 1949.\n\nThe article was presented to the conference on 24-25 July 1995 in Washington, D.C. by its author.\n\n## One\n\nOn 17 April 1949, Stalin informed his ambassador of an imminent attack from the South.\n\n## References\n\nBajanov, E. 1995. The origins.\n\n## After\n\nIn May 1950 Kim travelled.\n";
        let md = MdModel::parse(t);
        let r = regions(t, &md);
        let inside = |w: &str| {
            let at = t.find(w).unwrap_or(0);
            r.iter().any(|(s, _)| s.contains(at))
        };
        assert!(inside("Subtitle 1995"));
        assert!(inside("July 15, 1949"));
        assert!(inside("24-25 July 1995"));
        assert!(inside("Bajanov, E. 1995"));
        assert!(!inside("17 April 1949"));
        assert!(inside("After"));
        assert!(!inside("May 1950"));
    }

    #[test]
    fn a_story_that_starts_at_once_has_no_header() {
        let t = "On 17 April 1949, Stalin informed his ambassador of an imminent attack from the South.\n";
        let md = MdModel::parse(t);
        assert!(regions(t, &md).is_empty());
        // A short text is all story, not a header with nothing under it.
        let t = "On 25 June 1950 the North attacked.\n\nIn July 1950 the UN answered.\n";
        let md = MdModel::parse(t);
        assert!(regions(t, &md).is_empty());
    }
}
