//! The note layer's scan for markers on the editor's path (issue #14): a keystroke
//! scans a few kilobytes around the edit, not the document (counted, not timed), and
//! the notes equal a fresh analysis's; an edit that changes what every part reads (a
//! link reference label) scans everything again.

mod common;

use annalist::analysis::{Context, Knowledge, Reuse};
use annalist::config::Config;
use common::{fresh, reusing};

#[test]
fn a_keystroke_scans_a_few_kilobytes_for_markers() {
    let config = Config::default();
    let knowledge = Knowledge::embedded();
    let ctx = Context {
        config: &config,
        knowledge: &knowledge,
    };
    let text = common::big_document(200_000);
    let reuse = Reuse::default();
    let first = reusing(&text, &ctx, &reuse);
    assert_eq!(reuse.notes_scanned(), text.len());
    assert!(!first.notes.markers.is_empty());
    let mid = first
        .md
        .blocks
        .iter()
        .skip(first.md.blocks.len() / 2)
        .find(|b| b.kind == annalist::markdown::BlockKind::Paragraph)
        .map(|b| b.content.start + 3)
        .unwrap_or(0);
    let mut last = reuse.notes_scanned();
    for (k, ch) in ["x", "(3)", "[^1]"].iter().enumerate() {
        let at = mid + k;
        let edited = format!("{}{}{}", &text[..at], ch, &text[at..]);
        let a = reusing(&edited, &ctx, &reuse);
        let scanned = reuse.notes_scanned() - last;
        // The part the edit is in, and a neighbour whose reads reach it: a few
        // kilobytes of the 200.
        assert!(
            (1..=12_000).contains(&scanned),
            "keystroke {k}: {scanned} bytes scanned"
        );
        assert_eq!(
            format!("{:?}", a.notes),
            format!("{:?}", fresh(&edited, &ctx).notes),
            "keystroke {k}"
        );
        last = reuse.notes_scanned();
    }
    // A link reference label changes what `[^x][label]` is anywhere: all scanned.
    let edited = format!("{text}\n[label]: http://example.org\n");
    let a = reusing(&edited, &ctx, &reuse);
    assert_eq!(reuse.notes_scanned() - last, edited.len());
    assert_eq!(
        format!("{:?}", a.notes),
        format!("{:?}", fresh(&edited, &ctx).notes),
    );
}
