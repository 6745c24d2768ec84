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

/// The CPUs this process may run on, in order.
#[cfg(target_os = "linux")]
fn allowed_cpus() -> Vec<usize> {
    // SAFETY: sched_getaffinity fills a zeroed cpu_set_t of the size given; CPU_ISSET
    // reads it within its bounds.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        if libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) != 0 {
            return Vec::new();
        }
        (0..libc::CPU_SETSIZE as usize)
            .filter(|&c| libc::CPU_ISSET(c, &set))
            .collect()
    }
}

/// Pin the calling thread to `cpu`.
#[cfg(target_os = "linux")]
fn pin_to(cpu: usize) {
    // SAFETY: a zeroed cpu_set_t with one CPU set, passed with its size.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu, &mut set);
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set);
    }
}

/// The analysis runs on rayon's pool, its passes split by `rayon::join`: on a keystroke
/// the worker that runs the analysis wakes the other for each join. Linux placed the
/// woken worker on the waker's own CPU, busy with the analysis, and left it there: on
/// the 2-core machine `perf sched timehist` showed the second worker waiting 2-4 ms
/// for the first's CPU while the other CPU sat idle, so the edit ran on one core
/// (`RAYON_NUM_THREADS=1` measured the same). So when the pool has one worker per CPU
/// the process may use (rayon's default, unless `RAYON_NUM_THREADS` or a CPU quota
/// says otherwise), each worker is kept on its own CPU. A worker whose CPU another
/// program takes shares it as before, and the others steal its work.
/// `ANNALIST_NO_PIN` leaves the pool as rayon makes it.
fn analysis_pool() {
    let cpus = allowed_cpus();
    let pin = std::env::var_os("ANNALIST_NO_PIN").is_none()
        && std::env::var_os("RAYON_NUM_THREADS").is_none()
        && cpus.len() > 1
        && std::thread::available_parallelism().map_or(1, |n| n.get()) == cpus.len();
    let mut pool =
        rayon::ThreadPoolBuilder::new().thread_name(|i| format!("annalist-analysis-{i}"));
    if pin {
        pool = pool.num_threads(cpus.len()).start_handler(move |i| {
            if let Some(&c) = cpus.get(i) {
                pin_to(c);
            }
        });
    }
    // Already built (in-process tests): left as it is.
    let _ = pool.build_global();
}

#[cfg(not(target_os = "linux"))]
fn allowed_cpus() -> Vec<usize> {
    Vec::new()
}

#[cfg(not(target_os = "linux"))]
fn pin_to(_cpu: usize) {}

/// Serve LSP on stdin/stdout until `exit` or end of input.
pub fn run() -> ExitCode {
    limit_malloc_arenas();
    widen_pipes();
    analysis_pool();
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
        // (64 KiB in flight: a long `didOpen` crosses in turns rather than holding a
        // megabyte of buffer for the server's life.)
        let (server_in, sanitised) = tokio::io::duplex(1 << 16);
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
