//! Sentences that make claims a reader would want sourced, and their coverage by note
//! markers. (STUB: the claims owner fills this in.)

use crate::finding::Span;
use crate::markdown::MdModel;
use crate::notes::Notes;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claim {
    pub span: Span,
    pub covered: bool,
}

pub fn find(
    _text: &str,
    _md: &MdModel,
    _notes: &Notes,
    _cfg: &crate::config::Claims,
) -> Vec<Claim> {
    Vec::new()
}
