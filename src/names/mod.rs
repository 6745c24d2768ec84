//! Recognising gazetteer names in prose. (STUB: the knowledge owner fills this in.)

pub mod ocr;
pub mod romanise;

use crate::finding::Span;
use crate::gazetteer::Gazetteer;
use crate::markdown::MdModel;

/// A name of a gazetteer entity found in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    pub span: Span,
    /// Index into `Gazetteer::entities`.
    pub entity: usize,
    /// Which spelling matched: `None` for `Entity::preferred`, `Some(i)` for `Entity::names[i]`.
    pub name: Option<usize>,
    /// The text as written.
    pub surface: String,
}

/// An automaton over every name of a gazetteer; built once, shared.
#[derive(Debug, Default)]
pub struct Recognizer {}

impl Recognizer {
    pub fn new(_g: &Gazetteer) -> Recognizer {
        Recognizer {}
    }
    pub fn find(&self, _text: &str, _md: &MdModel) -> Vec<Mention> {
        Vec::new()
    }
}

/// Hover card for the mention at `offset`, if any.
pub fn hover(
    _a: &crate::analysis::Analysis,
    _ctx: &crate::analysis::Context,
    _offset: usize,
) -> Option<crate::ide::HoverResult> {
    None
}
