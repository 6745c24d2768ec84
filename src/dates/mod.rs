//! Dates as historians write them, normalised to EDTF. (STUB: the dates owner fills this in.)

use crate::finding::Span;
use crate::markdown::MdModel;

/// A date expression found in prose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateMention {
    pub span: Span,
    /// EDTF (ISO 8601-2) value, e.g. `1949-03-05`, `1949-05/1949-08`.
    pub edtf: String,
}

pub fn find(_text: &str, _md: &MdModel) -> Vec<DateMention> {
    Vec::new()
}

/// Hover card for the date at `offset`, if any.
pub fn hover(
    _a: &crate::analysis::Analysis,
    _ctx: &crate::analysis::Context,
    _offset: usize,
) -> Option<crate::ide::HoverResult> {
    None
}
