//! Prose as the engine reads it, below every layer that reads it: how text is folded
//! for comparison.

pub mod fold;
pub mod words;
