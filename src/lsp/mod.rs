//! The language server. Only this module knows LSP types; it adapts the engine
//! (`analysis`, `ide`, `rules`) to the protocol.
//!
//! - `server`: the service and the protocol's entry points, each handed to `handlers/`.
//! - `state`: the document store and the server's state.
//! - `configs`: one configuration per document, found as `annalist check` finds it.
//! - `scheduler`: at most one analysis per document version; requests wait for it.
//! - `publish`: diagnostics (own and cross-file findings), configuration problems.
//! - `published`: a document's last publication (or answer to a pull), kept so that
//!   the next converts and serialises only the diagnostics an edit touched.
//! - `handlers/`: one file per group of requests (lifecycle, sync, hover, navigation,
//!   edit, symbols, diagnostics).
//! - `convert`: engine spans and findings ↔ LSP ranges, diagnostics, edits and
//!   semantic tokens, through [`crate::position`] with the negotiated encoding.
//! - `settings`: editor settings (`initializationOptions`, `didChangeConfiguration`)
//!   validated and laid over each document's configuration.
//! - `wire`: a filter on stdin that passes on only well-framed JSON messages, and the
//!   merger on stdout that writes diagnostics (published or pulled) serialised directly.
//! - `workspace`: the workspace's unopened files, indexed for the cross-file rules.

pub mod configs;
pub mod convert;
pub mod folder_index;
pub mod handlers;
pub mod publish;
pub mod published;
pub mod quiet;
pub mod scheduler;
pub mod server;
pub mod settings;
pub mod state;
pub mod wire;

use crate::ide::tokens::TokenClass;
use tower_lsp_server::ls_types::SemanticTokenType;

/// The semantic token legend: one LSP type per [`TokenClass`], in its order.
pub fn tokens_legend() -> Vec<SemanticTokenType> {
    TokenClass::ALL
        .iter()
        .map(|c| match c {
            TokenClass::Person => SemanticTokenType::CLASS,
            TokenClass::Place => SemanticTokenType::NAMESPACE,
            TokenClass::Organisation => SemanticTokenType::STRUCT,
            TokenClass::Event => SemanticTokenType::EVENT,
            TokenClass::Date => SemanticTokenType::NUMBER,
            TokenClass::NoteMarker => SemanticTokenType::MACRO,
        })
        .collect()
}

use std::process::ExitCode;

/// glibc gives each thread that allocates its own heap arena (up to 8 per core) and
/// keeps freed memory in them: the server's analysis threads left 100–122 MB resident
/// on the 1 MB benchmark document where two arenas keep 69–72 MB, with no measurable
/// cost in latency (`cargo bench --bench lsp`, three runs each). The environment's
/// `MALLOC_ARENA_MAX` still wins.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn limit_malloc_arenas() {
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: `mallopt` only tunes the allocator; it is called before the runtime
        // starts any thread, and a refusal (return 0) leaves the defaults.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn limit_malloc_arenas() {}

/// Serve LSP on stdin/stdout until `exit` or end of input.
pub fn run() -> ExitCode {
    limit_malloc_arenas();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("annalist lsp: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    runtime.block_on(async {
        // stdin reaches the server only through the sanitiser (see `wire`): one
        // undecodable message would otherwise end the server's input for good.
        let (server_in, sanitised) = tokio::io::duplex(1 << 20);
        tokio::spawn(wire::sanitize(tokio::io::stdin(), sanitised));
        // The server's output reaches stdout through the merger, which also writes
        // the diagnostics serialised directly (see `wire::publish_diagnostics`).
        let (server_out, from_server) = tokio::io::duplex(1 << 20);
        let direct =
            wire::direct_output().unwrap_or_else(|| tokio::sync::mpsc::unbounded_channel().1);
        let merger = tokio::spawn(wire::merge_output(from_server, direct, tokio::io::stdout()));
        let (service, socket) = server::service();
        tower_lsp_server::Server::new(server_in, server_out, socket)
            .serve(service)
            .await;
        let _ = merger.await;
    });
    // Blocking analysis threads may still be running: do not wait for them.
    runtime.shutdown_timeout(std::time::Duration::from_millis(100));
    // A cache being written (a project gazetteer's) is finished: cut short, the next
    // start would load from the files again.
    crate::cachedir::wait_for_writes();
    if server::exit_was_clean() {
        ExitCode::SUCCESS
    } else {
        // LSP: exit without a prior shutdown request ends with code 1.
        ExitCode::from(1)
    }
}
