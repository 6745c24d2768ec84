//! Annalist: the analysis engine behind `annalist lsp` and `annalist check`.
//!
//! The engine (everything but `lsp` and `cli`) knows nothing of LSP, JSON or
//! terminals: a text goes in, an [`analysis::Analysis`] with facts and findings comes
//! out. See ARCHITECTURE.md.

pub mod analysis;
pub mod cachedir;
pub mod citations;
pub mod claims;
pub mod cli;
pub mod config;
pub mod dates;
pub mod document;
pub mod facts;
pub mod file_cache;
pub mod finding;
pub mod gazetteer;
pub mod ide;
pub mod kind;
pub mod layers;
pub mod lsp;
pub mod markdown;
pub mod memo;
pub mod names;
pub mod notes;
pub mod position;
pub mod project;
pub mod prose;
pub mod romanisation;
pub mod rules;
pub mod suppress;
pub mod workspace;
