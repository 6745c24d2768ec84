//! Words taken by a finding (OCR damage, a reported or preferred spelling), asked by
//! the names rules' later findings: the claimed words' bytes, marked over the blocks
//! of [`super::blocks`].

use super::*;
use blocks::BlockAt;

/// Words taken by a finding (OCR damage, a reported or preferred spelling): no other
/// finding is made on them. The bytes of the claimed words are marked, one bit each: a
/// claim finds the words a span overlaps (two binary searches) and marks their bytes,
/// and whether a claimed word overlaps a span is whether one of its bytes is marked
/// (claims are of whole words) — no search, however many claims were made.
pub(super) struct Claimed<'b> {
    blocks: &'b [BlockAt],
    /// Where each block's last word ends.
    ends: Vec<usize>,
    /// The claimed words' bytes, 64 to a number.
    marked: Vec<u64>,
}

impl<'b> Claimed<'b> {
    pub(super) fn new(blocks: &'b [BlockAt]) -> Claimed<'b> {
        let ends: Vec<usize> = blocks
            .iter()
            .map(|b| {
                b.names
                    .words
                    .last()
                    .map_or(b.base, |w| w.span().end + b.base)
            })
            .collect();
        let len = ends.iter().copied().max().unwrap_or(0);
        Claimed {
            blocks,
            ends,
            marked: vec![0; len.div_ceil(64)],
        }
    }

    /// Mark the words overlapping `span` as used.
    pub(super) fn claim(&mut self, span: Span) {
        self.claim_words(span, &mut |_| {});
    }

    /// The block whose words alone a claim of `span` reads, if one (the first block
    /// with a word ending after its start, when the next one starts after its end).
    pub(super) fn sole_block(&self, span: Span) -> Option<&'b BlockAt> {
        let k = self.ends.partition_point(|&e| e <= span.start);
        let b = self.blocks.get(k)?;
        let alone = b.base < span.end
            && self
                .blocks
                .get(k + 1)
                .is_none_or(|next| next.base >= span.end);
        alone.then_some(b)
    }

    /// Mark a word as used: one [`Claimed::claim_words`] gave.
    pub(super) fn claim_word(&mut self, word: Span) {
        for i in word.start..word.end {
            if let Some(m) = self.marked.get_mut(i / 64) {
                *m |= 1 << (i % 64);
            }
        }
    }

    /// [`Claimed::claim`], each word it marks given to `f`.
    pub(super) fn claim_words(&mut self, span: Span, f: &mut dyn FnMut(Span)) {
        let blocks = self.blocks;
        let k = self.ends.partition_point(|&e| e <= span.start);
        for w in words_over(blocks, k, span) {
            self.claim_word(w);
            f(w);
        }
    }

    /// [`Claimed::claim`] of each of `spans`, given in order of their starts: the
    /// block of each found by walking on from the last one's.
    pub(super) fn claim_in_order(&mut self, spans: impl IntoIterator<Item = Span>) {
        let blocks = self.blocks;
        let mut k = 0;
        for span in spans {
            if self.ends.get(k).is_some_and(|&e| e <= span.start) {
                // Far ahead: a binary search over the rest, else a step or two.
                let rest = self.ends.get(k..).unwrap_or(&[]);
                k += match rest.iter().take(8).position(|&e| e > span.start) {
                    Some(i) => i,
                    None => rest.partition_point(|&e| e <= span.start),
                };
            }
            for w in words_over(blocks, k, span) {
                self.claim_word(w);
            }
        }
    }

    fn marked_at(&self, i: usize) -> bool {
        self.marked
            .get(i / 64)
            .is_some_and(|m| m & (1 << (i % 64)) != 0)
    }

    /// Whether a claimed word overlaps `span`: one of its bytes is marked; for an
    /// empty span, whether a claimed word holds it strictly inside.
    pub(super) fn is_claimed(&self, span: Span) -> bool {
        if span.is_empty() {
            let k = self.ends.partition_point(|&e| e <= span.start);
            return words_over(self.blocks, k, span)
                .any(|w| w.start < span.start && self.marked_at(w.start));
        }
        let (mut i, end) = (span.start, span.end);
        while i < end {
            let Some(&m) = self.marked.get(i / 64) else {
                return false;
            };
            // The bits of bytes i.. within this number, below `end`.
            let from = i % 64;
            let to = (end - (i - from)).min(64);
            let below = if to == 64 { !0u64 } else { (1u64 << to) - 1 };
            let mask = below & !((1u64 << from) - 1);
            if m & mask != 0 {
                return true;
            }
            i = i - from + 64;
        }
        false
    }
}

/// The words of `blocks` from the `k`th overlapping `span`, in order, at their place
/// in the document.
fn words_over(blocks: &[BlockAt], k: usize, span: Span) -> impl Iterator<Item = Span> + '_ {
    blocks
        .get(k..)
        .unwrap_or(&[])
        .iter()
        .take_while(move |b| b.base < span.end)
        .flat_map(move |b| {
            let (start, end) = (span.start.saturating_sub(b.base), span.end - b.base);
            let ws = &b.names.words;
            let i = ws.partition_point(|w| w.span().end <= start);
            ws.get(i..)
                .unwrap_or(&[])
                .iter()
                .take_while(move |w| w.span().start < end)
                .map(move |w| w.span().moved(0, b.base))
        })
}
