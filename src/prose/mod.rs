//! Prose as the engine reads it, below every layer that reads it: how text is folded
//! for comparison, the stop words of note numbers, and the abbreviations whose period
//! may not end a sentence.

pub mod abbreviations;
pub mod fold;
pub mod words;
