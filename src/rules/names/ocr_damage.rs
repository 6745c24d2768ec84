//! `romanisation-ocr`: OCR damage in names (`Kim II Sung`); the rule's logic. Its
//! registry entry and documentation are in this family's `mod.rs` with its sibling's.

use super::*;

pub(super) fn check_ocr(
    a: &Analysis,
    ctx: &Context,
    blocks: &[blocks::BlockAt],
    claimed: &mut blocks::Claimed,
    out: &mut Vec<Finding>,
) {
    // The document's own knowledge: its front matter may define entities (and their
    // OCR spellings) the project's gazetteer lacks.
    let k = a.knowledge(ctx);
    let (g, lexicon) = (&k.gazetteer, &k.lexicon);
    let mut found: Vec<(Span, String, String)> = Vec::new();
    // A damaged spelling recurs: repaired once (a search over confusions).
    let mut repairs: HashMap<(&str, usize), String> = HashMap::default();
    for m in &a.mentions {
        let Some(e) = g.entities.get(m.entity) else {
            continue;
        };
        if name_system(e, m.name) != Some(System::Ocr) {
            continue;
        }
        let raw = m.span.slice(&a.text);
        let surface = raw.to_string();
        let repaired = repairs
            .entry((raw, m.entity))
            .or_insert_with(|| {
                ocr::repair(raw, |s| lexicon.is_name(s)).unwrap_or_else(|| e.preferred.clone())
            })
            .clone();
        found.push((m.span, surface, repaired));
    }
    for d in blocks::damage_of_blocks(&a.text, blocks, lexicon) {
        if !found.iter().any(|(s, _, _)| s.overlaps(d.span)) {
            found.push((d.span, d.surface, d.repair));
        }
    }
    found.sort_by_key(|f| f.0);
    // A damaged spelling recurs: its message and fix title written once.
    let mut said: HashMap<(String, String), [String; 3]> = HashMap::default();
    for (span, surface, repaired) in found {
        claimed.claim(span);
        if surface == repaired {
            continue;
        }
        let [message, title, new_text] = said
            .entry((surface, repaired))
            .or_insert_with_key(|(surface, repaired)| {
                [
                    format!(
                        "“{surface}” looks like OCR damage of the name “{repaired}”: correct the transcription (or keep it and silence this rule if the print has it so)."
                    ),
                    format!("Replace with “{repaired}”"),
                    repaired.clone(),
                ]
            })
            .clone();
        out.push(
            Finding::new(OCR, Severity::Warning, span, message).with_fix(Fix {
                title,
                edits: vec![Edit { span, new_text }],
                safe: false,
            }),
        );
    }
}
