//! Sentences around a date: cut inside a block at a stop followed by a capital, minding
//! abbreviations, initials and the note markers that follow a stop.

use crate::finding::Span;
use crate::markdown::MdModel;

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
    Sentences::of_block(text, md, offset).at(text, offset)
}

/// The sentence starts of one block, found once: the timeline asks for the sentence of
/// every date, and a block with many dates must not be scanned once per date.
pub struct Sentences {
    block: Span,
    /// Absolute offsets where a sentence starts, ascending.
    starts: Vec<usize>,
}

impl Sentences {
    pub fn of_block(text: &str, md: &MdModel, offset: usize) -> Sentences {
        let block = md
            .block_at(offset)
            .map(|b| b.content)
            .unwrap_or_else(|| line_span(text, offset));
        let starts = text
            .get(block.start..block.end)
            .map(|body| {
                boundaries(body)
                    .into_iter()
                    .map(|b| block.start + b)
                    .collect()
            })
            .unwrap_or_default();
        Sentences { block, starts }
    }

    /// True when `offset` is in this block (so `at` may answer for it).
    pub fn covers(&self, offset: usize) -> bool {
        self.block.contains(offset)
    }

    /// The sentence around `offset`, whitespace trimmed.
    pub fn at(&self, text: &str, offset: usize) -> Span {
        if text.get(self.block.start..self.block.end).is_none() {
            return Span::new(offset, offset);
        }
        let i = self.starts.partition_point(|&b| b <= offset);
        let start = i
            .checked_sub(1)
            .and_then(|j| self.starts.get(j))
            .copied()
            .unwrap_or(self.block.start);
        let end = self.starts.get(i).copied().unwrap_or(self.block.end);
        let s = Span::new(start, end);
        let raw = s.slice(text);
        let lead = raw.len() - raw.trim_start().len();
        let trail = raw.len() - raw.trim_end().len();
        Span::new(start + lead, end.saturating_sub(trail).max(start + lead))
    }
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
