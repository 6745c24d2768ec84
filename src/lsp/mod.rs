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

/// Pipes the size of a large message (Linux's default ceiling for an unprivileged
/// process, `/proc/sys/fs/pipe-max-size`).
#[cfg(target_os = "linux")]
const PIPE_SIZE: libc::c_int = 1 << 20;

/// Editors talk to the server through pipes of 64 KiB (Linux's default). A 1 MB
/// document's `didOpen`, or the publication of its thousands of findings (731 KB on
/// `lsp-compare`'s 1 MB document), then crosses in 12-16 turns, each waking the other
/// side for the next 64 KiB. With a pipe as large as the message, it crosses in one
/// write. A pipe that cannot grow (a limit set lower, not a pipe) is left as it is.
#[cfg(target_os = "linux")]
fn widen_pipes() {
    for fd in [libc::STDIN_FILENO, libc::STDOUT_FILENO] {
        // SAFETY: fstat and fcntl on the process's own standard descriptors, with a
        // zeroed stat buffer of the right type; a failure changes nothing.
        unsafe {
            let mut st: libc::stat = std::mem::zeroed();
            if libc::fstat(fd, &mut st) == 0
                && (st.st_mode & libc::S_IFMT) == libc::S_IFIFO
                && libc::fcntl(fd, libc::F_GETPIPE_SZ) < PIPE_SIZE
            {
                libc::fcntl(fd, libc::F_SETPIPE_SZ, PIPE_SIZE);
            }
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn widen_pipes() {}

/// Serve LSP on stdin/stdout until `exit` or end of input.
pub fn run() -> ExitCode {
    limit_malloc_arenas();
    widen_pipes();
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
