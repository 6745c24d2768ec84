//! When the client last spoke. The workspace index is background work: each of its
//! files waits, before it is read and analysed, until the client has sent nothing for
//! [`QUIET`], so that the requests and edits of a user at work (a hover, a keystroke)
//! have the cores to themselves. Its threads' lower priority alone left hovers sent
//! while the index was built after a 1 MB document's open at 2–8 ms (against 0.3 ms
//! alone) in `lsp-compare.py`. The waits of one build are bounded in total
//! ([`Pauses`]): a client that never stops talking delays the index, never stops it.
//!
//! Once the client has been silent for [`IDLE`] after the server's work (an analysis,
//! a closed document, the index), the memory that work freed is given back to the
//! system ([`give_back_when_idle`]): glibc keeps freed memory in its heaps, so a server
//! that had analysed a 1 MB document thirty times held 54 MiB resident for as long as it
//! ran, and 53 MiB after the document was closed; given back, 44 and 30 MiB.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How long the client must have been silent before the index takes its next file: a
/// request is answered well within it (a hover in under a millisecond), and an edit's
/// analysis is under way by then.
pub const QUIET: Duration = Duration::from_millis(5);

fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

/// Microseconds from [`epoch`] to the client's last message, plus one (0: none yet).
static LAST: AtomicU64 = AtomicU64::new(0);

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

/// A message from the client arrived (any: request, notification or response).
pub fn heard() {
    let at = micros(epoch().elapsed()).saturating_add(1);
    LAST.fetch_max(at, Ordering::Relaxed);
}

/// How long ago the client's last message arrived; `None` if none has.
fn since_last() -> Option<Duration> {
    match LAST.load(Ordering::Relaxed) {
        0 => None,
        at => Some(
            epoch()
                .elapsed()
                .saturating_sub(Duration::from_micros(at - 1)),
        ),
    }
}

/// Analyses of open documents under way (the scheduler's runs, [`Running`]).
static RUNNING: AtomicUsize = AtomicUsize::new(0);

/// An analysis of an open document under way, for as long as this lives: the index
/// waits for it as it waits for the client's silence. The client is silent while a
/// keystroke's analysis runs (8-15 ms at 1 MB), so the index took its next files then,
/// beside it: in a 2,000-file workspace a 1 MB document's edits took 20-27 ms while the
/// index was built, against 14-16 ms after (benches/README, session 21).
pub struct Running(());

impl Running {
    pub fn start() -> Running {
        RUNNING.fetch_add(1, Ordering::Relaxed);
        Running(())
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        RUNNING.fetch_sub(1, Ordering::Relaxed);
    }
}

/// How long ago the client's last message arrived, or no time at all while an open
/// document's analysis runs ([`Running`]); `None` if the client has not spoken and
/// nothing runs.
fn since_last_or_running() -> Option<Duration> {
    if RUNNING.load(Ordering::Relaxed) > 0 {
        return Some(Duration::ZERO);
    }
    since_last()
}

/// The waits of one piece of background work, at most `max` in all (the sum of every
/// thread's waits).
pub struct Pauses {
    max: Duration,
    spent_us: AtomicU64,
}

impl Pauses {
    pub fn new(max: Duration) -> Pauses {
        Pauses {
            max,
            spent_us: AtomicU64::new(0),
        }
    }

    /// Wait until the client has been silent for [`QUIET`] and no open document's
    /// analysis runs, unless the waits have reached their bound.
    pub fn wait(&self) {
        self.wait_with(since_last_or_running)
    }

    fn wait_with(&self, since: impl Fn() -> Option<Duration>) {
        loop {
            let Some(quiet) = since() else { return };
            let spent = Duration::from_micros(self.spent_us.load(Ordering::Relaxed));
            if quiet >= QUIET || spent >= self.max {
                return;
            }
            let nap = (QUIET - quiet).min(self.max - spent);
            std::thread::sleep(nap);
            self.spent_us.fetch_add(micros(nap), Ordering::Relaxed);
        }
    }

    /// How long the waits took in all.
    #[cfg(test)]
    fn spent(&self) -> Duration {
        Duration::from_micros(self.spent_us.load(Ordering::Relaxed))
    }
}

/// How long the client must have been silent before the server gives freed memory
/// back: longer than a typist's pause, so that the pages given back are not asked for
/// again by the next keystroke (every page given back costs a fault when it is next
/// used: glibc set to give memory back at once cost 28% more CPU over a session of
/// edits, benches/README, session 19).
pub const IDLE: Duration = Duration::from_secs(2);

/// Whether a wait for [`IDLE`] is under way (one at a time, however many arm it).
static ARMED: AtomicBool = AtomicBool::new(false);

/// How long to wait before giving memory back, the client's last message `since` ago
/// (`None`: none yet, which is as quiet as can be); `None` when it is time.
fn idle_wait(since: Option<Duration>) -> Option<Duration> {
    match since {
        Some(quiet) if quiet < IDLE => Some(IDLE - quiet),
        _ => None,
    }
}

/// Give the memory freed by the server's work back to the system once the client has
/// been silent for [`IDLE`] (at once if it already has). Called when work ends: an
/// analysis run, a document closed, the workspace index built. Outside a Tokio runtime
/// (no caller is) it does nothing rather than panic.
pub fn give_back_when_idle() {
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return;
    };
    if ARMED.swap(true, Ordering::AcqRel) {
        return;
    }
    runtime.spawn(async {
        while let Some(wait) = idle_wait(since_last()) {
            tokio::time::sleep(wait).await;
        }
        // Disarmed first: work that ends while the memory is given back arms again.
        ARMED.store(false, Ordering::Release);
        // Walking the heaps takes a few milliseconds: not on a runtime thread.
        let _ = tokio::task::spawn_blocking(give_back).await;
    });
}

/// Return the free memory of every heap to the system (glibc keeps it otherwise).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn give_back() {
    // SAFETY: `malloc_trim` only releases free memory of the allocator's heaps; it
    // takes their locks, so it is safe beside other threads' allocations.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn give_back() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_is_given_back_only_after_the_client_is_idle() {
        // Silent long enough, or never heard: now.
        assert_eq!(idle_wait(None), None);
        assert_eq!(idle_wait(Some(IDLE)), None);
        assert_eq!(idle_wait(Some(IDLE * 3)), None);
        // Heard recently: wait for the rest of the idle time, then ask again.
        assert_eq!(idle_wait(Some(Duration::ZERO)), Some(IDLE));
        assert_eq!(
            idle_wait(Some(IDLE - Duration::from_millis(300))),
            Some(Duration::from_millis(300))
        );
    }

    #[test]
    fn outside_a_runtime_nothing_is_armed() {
        // No Tokio runtime on a plain test thread: no panic, and no wait left armed
        // that would keep a later call from arming one.
        give_back_when_idle();
        assert!(!ARMED.load(Ordering::Acquire));
    }

    #[test]
    fn no_wait_before_the_client_speaks_nor_once_it_is_quiet() {
        let p = Pauses::new(Duration::from_secs(1));
        p.wait_with(|| None);
        p.wait_with(|| Some(QUIET));
        assert_eq!(p.spent(), Duration::ZERO);
    }

    #[test]
    fn a_talking_client_delays_by_at_most_the_bound() {
        // The client always spoke just now: the waits stop at the bound.
        let p = Pauses::new(Duration::from_millis(12));
        p.wait_with(|| Some(Duration::ZERO));
        assert_eq!(p.spent(), Duration::from_millis(12));
        // And the next file does not wait at all.
        p.wait_with(|| Some(Duration::ZERO));
        assert_eq!(p.spent(), Duration::from_millis(12));
    }

    #[test]
    fn a_running_analysis_delays_by_at_most_the_bound() {
        // Whatever the client did (other tests may speak or analyse meanwhile: both
        // only make the wait longer), an analysis under way makes the file wait, to
        // the bound.
        let p = Pauses::new(Duration::from_millis(12));
        let running = Running::start();
        p.wait();
        assert_eq!(p.spent(), Duration::from_millis(12));
        drop(running);
    }

    #[test]
    fn a_message_heard_is_a_recent_one() {
        heard();
        let since = since_last().expect("a message was heard");
        assert!(since < Duration::from_secs(60), "{since:?}");
    }
}
