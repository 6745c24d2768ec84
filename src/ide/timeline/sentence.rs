//! Sentences around a date, as the claims judge them: one splitter
//! ([`crate::claims::sentences`]: stops, abbreviations, initials, quotations and the note
//! markers that follow a stop), asked once per block.

use crate::finding::Span;
use crate::markdown::MdModel;

/// The sentence around `offset`, inside its block (note markers right after the stop stay
/// with the sentence; `markers` are the document's note markers, sorted). Abbreviations
/// (`Dr.`, `D.C.`, `Univ.`) and initials do not end a sentence.
pub fn sentence_at(text: &str, md: &MdModel, markers: &[Span], offset: usize) -> Span {
    Sentences::of_block(text, md, markers, offset).at(text, offset)
}

/// The sentence starts of one block, found once: the timeline asks for the sentence of
/// every date, and a block with many dates must not be scanned once per date.
pub struct Sentences {
    block: Span,
    /// Absolute offsets where a sentence starts, ascending.
    starts: Vec<usize>,
}

impl Sentences {
    pub fn of_block(text: &str, md: &MdModel, markers: &[Span], offset: usize) -> Sentences {
        match md.block_at(offset) {
            Some(b) => Sentences {
                block: b.content,
                starts: crate::claims::sentences(text, md, b, markers)
                    .into_iter()
                    .map(|s| s.start)
                    .collect(),
            },
            // Outside any block (front matter, a blank line): the line itself.
            None => Sentences {
                block: line_span(text, offset),
                starts: Vec::new(),
            },
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The sentences of `t`, read in a document whose Notes section defines note 3 (so
    /// that `(3)` is a note marker, as the notes layer finds it).
    fn sentences(t: &str) -> Vec<String> {
        let doc = format!("{t}\n\n## Notes\n\n(3) AVP RF, fond 059a.\n");
        let md = MdModel::parse(&doc);
        let markers: Vec<Span> = crate::notes::analyze(&doc, &md)
            .markers
            .iter()
            .map(|m| m.span)
            .collect();
        let mut out = Vec::new();
        let mut at = 0;
        while at < t.len() {
            let s = sentence_at(&doc, &md, &markers, at);
            if s.end <= at {
                at += 1;
                continue;
            }
            out.push(s.slice(&doc).to_string());
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
