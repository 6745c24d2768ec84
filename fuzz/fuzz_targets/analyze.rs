//! Any text: the whole engine (Markdown model, notes, names, dates, claims, rules,
//! suppression) must not panic, and its spans must lie on char boundaries.
#![no_main]

use annalist::analysis::{Context, Knowledge, analyze};
use annalist::config::Config;
use libfuzzer_sys::fuzz_target;
use std::sync::{Arc, LazyLock};

/// Built once: the embedded gazetteer and its automaton.
static KNOWLEDGE: LazyLock<Knowledge> = LazyLock::new(Knowledge::embedded);

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let config = Config::default();
    let ctx = Context {
        config: &config,
        knowledge: &KNOWLEDGE,
    };
    let a = analyze(Arc::from(&*text), None, &ctx);
    for f in &a.findings {
        assert!(
            f.span.start <= f.span.end && f.span.end <= text.len(),
            "{f:?}"
        );
        assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end));
        for fix in &f.fixes {
            for e in &fix.edits {
                assert!(
                    e.span.start <= e.span.end && e.span.end <= text.len(),
                    "{e:?}"
                );
                assert!(text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end));
            }
        }
    }
    // The IDE queries, at a spread of offsets.
    let step = (text.len() / 16).max(1);
    for off in (0..=text.len() + 1).step_by(step) {
        let _ = annalist::ide::hover(&a, &ctx, off);
        let _ = annalist::ide::definition(&a, &ctx, off);
        let _ = annalist::ide::references(&a, &ctx, off, true);
        let _ = annalist::ide::footnote_completions(&a, off);
        let _ = annalist::ide::prepare_rename(&a, off);
        let _ = annalist::ide::rename(&a, off, "renamed");
    }
    let _ = annalist::ide::symbols(&a);
});
