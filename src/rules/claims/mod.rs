//! Rules of the claims family: statements that want a source and have none. The facts
//! (sentences, quotations, dated statements, coverage) come from [`crate::claims`].

use super::Rule;
use crate::facts::{Analysis, Context};
use crate::finding::Finding;

mod unsourced;

pub static RULES: &[Rule] = &[unsourced::RULE];

/// The claims family's findings of `claims`: the analysis's claims (`a.claims`, or
/// found beside `a` before they are stored in it).
pub fn check(a: &Analysis, claims: &[crate::claims::Claim], ctx: &Context, out: &mut Vec<Finding>) {
    unsourced::unsourced(a, claims, ctx, out);
}
