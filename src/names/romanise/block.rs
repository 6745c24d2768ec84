//! What the names rules read of one prose block, kept from one version of a document
//! to the next (the editor's incremental analysis, issue #14).
//!
//! The words of a block, its runs of capitalised words, the n-grams that may be names,
//! the convention votes of its marked words, whether any word may be OCR damage, and
//! the editorial apparatus its own runs mark. Offsets are relative to the block's
//! content. The names rules (`rules::names`) fill it and join the blocks of a version;
//! it lives on this floor so that [`crate::facts::Reuse`] can keep it.

use super::{Language, Word};
use crate::finding::Span;
use crate::romanisation::System;
use std::sync::Arc;

/// The names rules' block-local work on one prose block. Spans relative to the start
/// of the block's content; word indices relative to the block's first word.
#[derive(Clone, Debug, Default)]
pub struct BlockNames {
    /// The block's words (`block` 0: the caller sets the block's index).
    pub(crate) words: Vec<Word>,
    /// Runs of capitalised words ([`super::capital_runs`]), as word index ranges.
    pub(crate) runs: Vec<std::ops::Range<usize>>,
    /// The n-grams of eligible words that may be names, in the order the rules read
    /// them (run, first word, length).
    pub(crate) grams: Vec<BlockGram>,
    /// Folded words some n-gram needs the document to write mid-sentence (a word that
    /// starts a sentence counts only then): indices in [`BlockGram::needs`].
    pub(crate) needs: Vec<Arc<str>>,
    /// The distinct folded words this block writes mid-sentence (eligible ones).
    pub(crate) mid: Vec<Arc<str>>,
    /// Marked words per distinct folded spelling: (fold, the marks of the block's first
    /// spelling of it, how many eligible words have that fold).
    pub(crate) votes: Vec<Vote>,
    /// Capitalised words that may be OCR damage (no name word, but repairable into
    /// one): only a block with some can hold a damaged name.
    pub(crate) suspects: Vec<Box<str>>,
    /// The apparatus the block's own runs mark (glosses in brackets, [sic],
    /// "identified in footnote", two forms joined by "or" within the block).
    pub(crate) apparatus: Vec<Span>,
    /// The spans of the first and the last of `runs` (what the apparatus between two
    /// blocks reads of each, without reading the words again).
    pub(crate) first_run: Option<Span>,
    pub(crate) last_run: Option<Span>,
}

/// The conventions (language, system) a word's letters show.
pub type Marks = Arc<[(Language, System)]>;

/// A folded word, the marks of its first spelling, and how many words have that fold.
pub type Vote = (Arc<str>, Marks, usize);

/// An n-gram of eligible capitalised words of one run. Kept compact (56 bytes): a
/// document keeps about one per thirty bytes of its text from version to version.
#[derive(Clone, Debug)]
pub struct BlockGram {
    start: u32,
    end: u32,
    /// Indices into [`BlockNames::needs`] ([`NO_NEED`]: none): words that start a
    /// sentence and count only if the document writes them mid-sentence too.
    needs: [u32; 3],
    /// How many words (1 to 3).
    n: u8,
    /// Its words joined by one space, when the text between them is not one space
    /// each; else `None`: the text at its span ([`BlockGram::name`]).
    pub(crate) name: Option<Box<str>>,
    /// Its words' folds joined by one space (a single word's: the fold itself, shared).
    pub(crate) folded: Arc<str>,
}

/// An unused slot of [`BlockGram::needs`].
const NO_NEED: u32 = u32::MAX;

impl BlockGram {
    pub(crate) fn new(
        n: u8,
        span: Span,
        name: Option<Box<str>>,
        folded: Arc<str>,
        needs: [Option<u32>; 3],
    ) -> BlockGram {
        BlockGram {
            start: super::narrow(span.start),
            end: super::narrow(span.end),
            needs: needs.map(|x| x.filter(|&i| i != NO_NEED).unwrap_or(NO_NEED)),
            n,
            name,
            folded,
        }
    }

    /// How many words (1 to 3).
    pub(crate) fn n(&self) -> usize {
        usize::from(self.n)
    }

    /// Where it is, relative to the block's content.
    pub(crate) fn span(&self) -> Span {
        Span::new(self.start as usize, self.end as usize)
    }

    /// The indices into [`BlockNames::needs`] of the words it needs written
    /// mid-sentence somewhere.
    pub(crate) fn needs(&self) -> impl Iterator<Item = u32> + '_ {
        self.needs.iter().copied().filter(|&i| i != NO_NEED)
    }

    /// The n-gram's words joined by one space; `text`: the text its span is relative
    /// to (the block's content, or more of the text from the same start).
    pub(crate) fn name<'a>(&'a self, text: &'a str) -> &'a str {
        match &self.name {
            Some(n) => n,
            None => self.span().slice(text),
        }
    }
}
