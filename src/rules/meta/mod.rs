//! Rules about the analysis itself rather than the text's history: suppression comments
//! that silence nothing, and documents too large to analyse in full.

use super::Rule;
use crate::facts::Analysis;
use crate::finding::Finding;

pub mod analysis_limited;
mod suppression_unknown_code;

pub static RULES: &[Rule] = &[suppression_unknown_code::RULE, analysis_limited::RULE];

pub fn check(a: &Analysis, out: &mut Vec<Finding>) {
    suppression_unknown_code::unknown_codes(a, out);
}
