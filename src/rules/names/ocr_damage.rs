//! `romanisation-ocr`: OCR damage in names (`Kim II Sung`); the rule's logic. Its
//! registry entry and documentation are in this family's `mod.rs` with its sibling's.

use super::*;
use std::sync::Arc;

/// `kept`: what the last version kept (the editor's versions): the join, brought to
/// this version's blocks, holds the blocks' damage ([`join::Join::damage`]); the
/// gazetteer's OCR spellings' repairs are kept too.
pub(super) fn check_ocr(
    a: &Analysis,
    ctx: &Context,
    blocks: &[blocks::BlockAt],
    claimed: &mut blocks::Claimed,
    out: &mut Vec<Finding>,
    mut kept: Option<&mut kept::Kept>,
) {
    // The document's own knowledge: its front matter may define entities (and their
    // OCR spellings) the project's gazetteer lacks.
    let k = a.knowledge(ctx);
    let (g, lexicon) = (&k.gazetteer, &k.lexicon);
    // A damaged spelling recurs: repaired once (a search over confusions).
    let mut fresh: HashMap<usize, HashMap<Box<str>, String>> = HashMap::default();
    let repairs = match kept.as_deref_mut() {
        Some(k) => &mut k.repairs,
        None => &mut fresh,
    };
    // The gazetteer's OCR spellings, each with its entity.
    let ocr_mentions: Vec<(Span, usize, &Entity)> = a
        .mentions
        .iter()
        .filter_map(|m| {
            let e = g.entities.get(m.entity)?;
            (name_system(e, m.name) == Some(System::Ocr)).then_some((m.span, m.entity, e))
        })
        .collect();
    for &(span, entity, e) in &ocr_mentions {
        let raw = span.slice(&a.text);
        let of_entity = repairs.entry(entity).or_default();
        if !of_entity.contains_key(raw) {
            let r = ocr::repair(raw, |s| lexicon.is_name(s)).unwrap_or_else(|| e.preferred.clone());
            of_entity.insert(raw.into(), r);
        }
    }
    let damage = match kept.as_deref_mut() {
        Some(k) => {
            let (d, scanned) = k.join.damage(&a.text, blocks, lexicon);
            k.ocr_scanned += scanned;
            k.ocr_now += scanned;
            d
        }
        None => vec![(
            0,
            Arc::from(blocks::damage_of_blocks(&a.text, blocks, lexicon)),
        )],
    };
    let repairs = match kept.as_deref() {
        Some(k) => &k.repairs,
        None => &fresh,
    };
    // Each OCR spelling's text and repair read in place (no copy per mention), and
    // each damage's where it is kept.
    let mut found: Vec<(Span, &str, &str)> = ocr_mentions
        .iter()
        .map(|&(span, entity, e)| {
            let raw = span.slice(&a.text);
            let repaired = repairs
                .get(&entity)
                .and_then(|r| r.get(raw))
                .map_or(e.preferred.as_str(), |r| r.as_str());
            (span, raw, repaired)
        })
        .collect();
    // The mentions' spans by start, with the furthest end so far: whether one
    // overlaps a damaged span is two binary searches.
    let mut by_start: Vec<Span> = found.iter().map(|f| f.0).collect();
    by_start.sort();
    let reach: Vec<usize> = by_start
        .iter()
        .scan(0, |m, s| {
            *m = (*m).max(s.end);
            Some(*m)
        })
        .collect();
    let overlapped = |d: Span| {
        let i = by_start.partition_point(|s| s.start < d.end);
        i.checked_sub(1)
            .and_then(|i| reach.get(i))
            .is_some_and(|&end| end > d.start)
    };
    for (base, ds) in &damage {
        for d in ds.iter() {
            let span = d.span.moved(0, *base);
            if !overlapped(span) {
                found.push((span, d.surface.as_str(), d.repair.as_str()));
            }
        }
    }
    found.sort_by_key(|f| f.0);
    claimed.claim_in_order(found.iter().map(|f| f.0));
    // A damaged spelling recurs: its message and fix title written once.
    let mut said: HashMap<(&str, &str), [String; 3]> = HashMap::default();
    for (span, surface, repaired) in &found {
        if surface == repaired {
            continue;
        }
        let [message, title, new_text] = said
            .entry((*surface, *repaired))
            .or_insert_with_key(|(surface, repaired)| {
                [
                    format!(
                        "“{surface}” looks like OCR damage of the name “{repaired}”: correct the transcription (or keep it and silence this rule if the print has it so)."
                    ),
                    format!("Replace with “{repaired}”"),
                    repaired.to_string(),
                ]
            })
            .clone();
        out.push(
            Finding::new(OCR, Severity::Warning, *span, message).with_fix(Fix {
                title,
                edits: vec![Edit {
                    span: *span,
                    new_text,
                }],
                safe: false,
            }),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names rules' findings and index of `text` on the editor's path (`memo`
    /// kept from the last version), checked against a fresh pass; returns the blocks
    /// scanned for OCR damage, and the join's work, in this version.
    fn version(text: &str, memo: &NamesMemo) -> (usize, usize) {
        let before: usize = memo.take_join::<kept::Kept>().map_or(0, |k| {
            let n = k.ocr_scanned;
            memo.put_join(k);
            n
        });
        let joined = memo.joined();
        super::super::tests::checked_version(text, memo);
        let after = memo.take_join::<kept::Kept>().map_or(0, |k| {
            let n = k.ocr_scanned;
            memo.put_join(k);
            n
        });
        (after - before, memo.joined() - joined)
    }

    const PARAGRAPHS: &[&str] = &[
        "Receiving Kim II Sung in the Kremlin, Shrykov spoke.",
        "Kirn met them at the station.",
        "The kirn was full, and the army waited.",
        "Shtykov and Kim Il Sung spoke of the war.",
    ];

    /// A keystroke scans again for OCR damage only the blocks it changed, and counts
    /// the words written in lower case only in them; a suspect new to the document,
    /// or one no longer written in lower case, changes the blocks that hold it. Each
    /// version's findings are a fresh pass's.
    #[test]
    fn a_keystroke_scans_a_few_blocks_for_damage() {
        let text = super::super::tests::test_text(PARAGRAPHS, 120);
        let memo = NamesMemo::default();
        let (scanned, _) = version(&text, &memo);
        assert!(
            scanned > 50,
            "the first version scans every block with a suspect ({scanned})"
        );
        // One character typed in a paragraph with a suspect, in the middle: that
        // paragraph scanned again, and (the paragraphs being short) the work of the
        // two before it, whose following text it is, joined again.
        let mid = text.len() / 2;
        let at = text[mid..]
            .find("Shrykov spoke")
            .map_or(mid, |i| mid + i + 10);
        let mut edited = text.clone();
        edited.insert(at, 'x');
        let (scanned, joined) = version(&edited, &memo);
        assert!(
            (1..=3).contains(&scanned) && joined <= 6,
            "a keystroke scanned {scanned} blocks, joined {joined}"
        );
        // The same text: nothing.
        assert_eq!(version(&edited, &memo), (0, 0));
        // Suspects are lower-cased once per block, when it comes: the first version
        // every block's, a keystroke those of the blocks it joined again (whether
        // each suspect is written in lower case is asked of every block with one in
        // every version, its kept damage reused).
        let lowered = |memo: &NamesMemo| {
            memo.take_join::<kept::Kept>().map_or(0, |k| {
                let n = k.join.lowered;
                memo.put_join(k);
                n
            })
        };
        let first = lowered(&memo);
        assert!(first > 50, "the first version lowered {first} suspects");
        let mut typed = edited.clone();
        typed.insert(at, 'y');
        version(&typed, &memo);
        let more = lowered(&memo) - first;
        assert!(more <= 6, "a keystroke lowered {more} suspects");
        // Every "kirn" in lower case gone but one, then that one: the blocks that
        // hold the suspect are scanned again when the last one goes.
        let lower: Vec<usize> = edited.match_indices("The kirn").map(|(i, _)| i).collect();
        let mut t = edited.clone();
        for &i in lower.iter().skip(1).rev() {
            t.replace_range(i + 4..i + 8, "cart");
        }
        version(&t, &memo);
        let (_, joined) = {
            let i = t.find("The kirn").unwrap_or(0);
            t.replace_range(i + 4..i + 8, "cart");
            version(&t, &memo)
        };
        assert!(
            joined <= 6,
            "the last lower-case kirn gone: joined {joined}"
        );
        // A suspect new to the document (every block's words in lower case read for
        // it), then gone.
        let end = t.len();
        t.insert_str(end, "Tbe Shrykova met Kirnov.\n\nthe kirnov was there.\n");
        version(&t, &memo);
        t.truncate(end);
        version(&t, &memo);
        // A block repeated: its damage found once per place.
        t.push_str("Receiving Kim II Sung in the Kremlin, Shrykov spoke.\n");
        version(&t, &memo);
        version("", &memo);
    }
}
