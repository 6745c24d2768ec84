//! Reliability: the server never falls over, never loses a keystroke, never trusts its
//! input. Engine-level hazards first, then end-to-end over the real binary (see
//! RELIABILITY.md for the guarantees each test backs).

mod common;
use annalist::analysis::analyze_str;

/// Run `f` on a thread with a small stack, as analysis threads have: recursion whose
/// depth the input controls would overflow it (and a stack overflow aborts the process,
/// it cannot be caught).
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("no panic")
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    // Regression: the Markdown model walked the trees recursively; 15,000 nested
    // emphases overflowed a 2 MiB analysis thread and aborted the server.
    let cases = [
        format!("{}x{}", "*".repeat(5000), "*".repeat(5000)),
        format!("{} x\n", ">".repeat(10_000)),
        format!("{} x\n", "- ".repeat(10_000)),
        format!("{}x{}", "[".repeat(10_000), "]".repeat(10_000)),
        "> - ".repeat(5000),
    ];
    for text in cases {
        let len = text.len();
        let n = on_small_stack(move || analyze_str(&text).md.blocks.len());
        assert!(n >= 1, "a {len}-byte nested document has blocks");
    }
}
