//! The request and notification handlers, one file per group. Each adapts LSP
//! parameters to an engine query (`ide`, `workspace`) and its answer back; none holds
//! engine logic.
//!
//! - `lifecycle`: initialize (capabilities), initialized, shutdown, configuration changes.
//! - `sync`: open, change, close, save, files changed on disk.
//! - `hover`: hover, inlay hints.
//! - `navigation`: definition, references.
//! - `edit`: rename, completion, code actions.
//! - `symbols`: document and workspace symbols, semantic tokens.
//! - `diagnostics`: pulled diagnostics, the `annalist/timeline` request.

pub mod diagnostics;
pub mod edit;
pub mod hover;
pub mod lifecycle;
pub mod navigation;
pub mod symbols;
pub mod sync;
