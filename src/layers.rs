//! A document's layers: which text is the source's own words and which the editor's
//! (footnote definitions, bracketed insertions, editorial notes), from its kind
//! ([`crate::kind`]) and its form.

use crate::finding::{Near, Span};
use crate::kind::{DocKind, KindFrom, Layers};
use crate::markdown::{BlockKind, MdModel};
use crate::notes::Notes;

/// The kind and layers of a text. `configured` is the kind `annalist.toml` gives the
/// document's path, if any.
pub fn layers(text: &str, md: &MdModel, notes: &Notes, configured: Option<DocKind>) -> Layers {
    let (kind, from) = if let Some(k) = front_matter_kind(text, md) {
        (k, KindFrom::FrontMatter)
    } else if let Some(k) = configured {
        (k, KindFrom::Config)
    } else if looks_like_a_source(text, md) {
        let has_notes = notes
            .definitions
            .iter()
            .any(|d| d.style == crate::notes::NoteStyle::Footnote);
        (
            if has_notes {
                DocKind::Edition
            } else {
                DocKind::Primary
            },
            KindFrom::Form,
        )
    } else {
        (DocKind::Secondary, KindFrom::Default)
    };
    let source = match kind {
        DocKind::Secondary => Vec::new(),
        DocKind::Primary => body(text, md).into_iter().collect(),
        DocKind::Edition => {
            let mut own: Vec<Span> = notes.definitions.iter().map(|d| d.span).collect();
            own.extend(editorial_sections(text, md));
            own.extend(insertions(text, md));
            subtract(body(text, md), own)
        }
    };
    // White space between the layers is nobody's words.
    let source = source
        .into_iter()
        .filter(|s| !s.slice(text).trim().is_empty())
        .collect();
    Layers { kind, from, source }
}
/// The text below the front matter (trailing white space left out, so an insertion at
/// the end of the document is outside it).
fn body(text: &str, md: &MdModel) -> Option<Span> {
    let start = md.front_matter.map(|f| f.end).unwrap_or(0);
    let end = text.trim_end().len();
    (start < end).then_some(Span::new(start, end))
}
/// `kind: primary` in the YAML front matter.
pub fn front_matter_kind(text: &str, md: &MdModel) -> Option<DocKind> {
    let fm = md.front_matter?.slice(text);
    fm.lines().find_map(|l| {
        let v = l.strip_prefix("kind:")?;
        DocKind::parse(v.split('#').next().unwrap_or(""))
    })
}
/// Sections headed "Editorial Note" (FRUS): the editors' own prose.
fn editorial_sections(text: &str, md: &MdModel) -> Vec<Span> {
    let mut out = Vec::new();
    for (k, h) in md.headings.iter().enumerate() {
        let t = h.text.trim().to_lowercase();
        if !(t == "editorial note"
            || t.starts_with("editor's note")
            || t.starts_with("editor’s note"))
        {
            continue;
        }
        out.push(Span::new(h.span.start, md.section_end(k, text.len())));
    }
    out
}
/// Editorial insertions: `[…]` in prose holding a space (not a link text, a note marker
/// or a task box): "[Page 1081]", "[Here follows a list of names.]".
pub fn insertions(text: &str, md: &MdModel) -> Vec<Span> {
    brackets(text, md)
        .into_iter()
        .filter(|s| s.slice(text).contains(' '))
        .collect()
}
/// Square brackets in prose that are not Markdown syntax: not a link's text
/// (`[…](…)`, `[…][…]`, `[…]:`), not a note marker or definition (`[^…]`).
pub fn brackets(text: &str, md: &MdModel) -> Vec<Span> {
    brackets_in(text, md, &|_| true)
}
/// [`brackets`] in the blocks whose content `wanted` takes (each bracket lies inside
/// its block's content).
fn brackets_in(text: &str, md: &MdModel, wanted: &dyn Fn(Span) -> bool) -> Vec<Span> {
    let mut out = Vec::new();
    for b in &md.blocks {
        if !matches!(b.kind, BlockKind::Paragraph | BlockKind::Heading { .. }) || !wanted(b.content)
        {
            continue;
        }
        for p in md.prose_pieces(b.content) {
            let s = p.slice(text);
            let mut from = 0;
            while let Some(rel) = s.get(from..).and_then(|r| r.find('[')) {
                let open = from + rel;
                from = open + 1;
                let Some(close_rel) = s.get(open + 1..).and_then(|r| r.find([']', '[', '\n']))
                else {
                    break;
                };
                let close = open + 1 + close_rel;
                if s.get(close..close + 1) != Some("]") {
                    continue;
                }
                let inner = s.get(open + 1..close).unwrap_or("");
                let after = s.get(close + 1..).and_then(|r| r.chars().next());
                let link = matches!(after, Some('(' | '[' | ':'));
                if inner.starts_with('^')
                    || inner.is_empty()
                    || link
                    || matches!(inner, " " | "x" | "X")
                {
                    from = close + 1;
                    continue;
                }
                out.push(Span::new(p.start + open, p.start + close + 1));
                from = close + 1;
            }
        }
    }
    out
}
/// What no safe fix may touch: quotations, block quotes, glosses (`[…]` insertions),
/// tables and the source text of a primary or edition document. Sorted, merged.
/// `memo`: the editor's per-paragraph quotations kept from the last version; `seen`:
/// those a first reading of the claims found ([`crate::claims::find_quoting`]).
/// `near`: the places asked about; the glosses and quotations of a block that touches
/// none of them are not looked for (`None`: every block's).
pub fn protected_regions(
    text: &str,
    md: &MdModel,
    layers: &Layers,
    memo: Option<&crate::claims::ClaimMemo>,
    seen: Option<&crate::claims::ParagraphQuotes>,
    near: Option<&Near>,
) -> Vec<Span> {
    let wanted = |b: Span| near.is_none_or(|n| n.touches(b));
    let mut v: Vec<Span> = layers.source.clone();
    v.extend(crate::claims::quotation_spans_near(
        text, md, memo, seen, &wanted,
    ));
    v.extend(brackets_in(text, md, &wanted));
    for b in &md.blocks {
        if b.quote_depth > 0 || b.kind == BlockKind::Table {
            v.push(b.span);
        }
    }
    crate::finding::normalise_spans(&mut v);
    v
}
/// `whole` minus `holes`, sorted and disjoint.
fn subtract(whole: Option<Span>, mut holes: Vec<Span>) -> Vec<Span> {
    let Some(whole) = whole else {
        return Vec::new();
    };
    holes.sort();
    let mut out = Vec::new();
    let mut pos = whole.start;
    for h in holes {
        if h.end <= pos || h.start >= whole.end {
            continue;
        }
        if h.start > pos {
            out.push(Span::new(pos, h.start));
        }
        pos = pos.max(h.end);
    }
    if pos < whole.end {
        out.push(Span::new(pos, whole.end));
    }
    out
}
/// The form of a source: two signs among the first lines of the body — a telegram or
/// memorandum header ("The Ambassador in Korea (Muccio) to the Secretary of State"),
/// a file-number line (`795.00/6–2550: Telegram`), a security classification
/// (SECRET, CONFIDENTIAL…), a dateline ("Seoul, June 26, 1950—10 a.m."), `From:` and
/// `To:` headers.
pub fn looks_like_a_source(text: &str, md: &MdModel) -> bool {
    let start = md.front_matter.map(|f| f.end).unwrap_or(0);
    let head = text.get(start..).unwrap_or("");
    let lines: Vec<&str> = head
        .lines()
        .map(|l| l.trim().trim_start_matches('#').trim())
        .filter(|l| !l.is_empty())
        .take(12)
        .collect();
    let mut signs = 0;
    if lines.iter().any(|l| is_header_line(l)) {
        signs += 1;
    }
    if lines.iter().any(|l| is_file_number_line(l)) {
        signs += 1;
    }
    if lines.iter().any(|l| is_classification(l)) {
        signs += 1;
    }
    if lines.iter().any(|l| is_dateline(l)) {
        signs += 1;
    }
    let from = lines.iter().any(|l| l.starts_with("From:"));
    let to = lines.iter().any(|l| l.starts_with("To:"));
    if from && to {
        signs += 2;
    }
    signs >= 2
}
/// "The Ambassador in Korea (Muccio) to the Secretary of State", "Memorandum of
/// Conversation, by …", "Memorandum by the Secretary of State to the President".
pub fn is_header_line(l: &str) -> bool {
    let words = l.split_whitespace().count();
    if words > 25 {
        return false;
    }
    let official = l.starts_with("The ") && l.contains(" to the ") && l.contains('(');
    official || l.starts_with("Memorandum of Conversation") || l.starts_with("Memorandum by ")
}
/// `795.00/6–2550: Telegram`, `501.BB Korea/7–1849: Telegram`, `S/P Files: Lot 64 D 563`.
pub fn is_file_number_line(l: &str) -> bool {
    let Some((file, what)) = l.split_once(": ") else {
        return false;
    };
    let what = what.trim().trim_end_matches('.');
    let doc_type = [
        "Telegram",
        "Airgram",
        "Despatch",
        "Memorandum",
        "Letter",
        "Note",
        "Instruction",
    ]
    .iter()
    .any(|t| what.starts_with(t));
    let numbered = file.contains('/')
        && (file.chars().any(|c| c.is_ascii_digit())
            || (what.starts_with("Lot ") && what.chars().any(|c| c.is_ascii_digit())));
    l.split_whitespace().count() <= 10
        && numbered
        && (doc_type || file.ends_with("Files") || what.starts_with("Lot "))
}
/// SECRET, TOP SECRET, CONFIDENTIAL, RESTRICTED, with an optional priority word.
pub fn is_classification(l: &str) -> bool {
    let t = l.trim_end_matches('.').trim();
    let words: Vec<&str> = t.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 4
        && words.iter().all(|w| {
            matches!(
                *w,
                "TOP"
                    | "SECRET"
                    | "CONFIDENTIAL"
                    | "RESTRICTED"
                    | "UNCLASSIFIED"
                    | "PRIORITY"
                    | "NIACT"
                    | "OPERATIONAL"
                    | "IMMEDIATE"
                    | "URGENT"
                    | "EYES"
                    | "ONLY"
            )
        })
        && words
            .iter()
            .any(|w| matches!(*w, "SECRET" | "CONFIDENTIAL" | "RESTRICTED"))
}
/// "Seoul, June 26, 1950—10 a.m.", "Washington, July 18, 1949.": a place, a comma, a
/// month, a day, a year, and at most a time after it.
pub fn is_dateline(l: &str) -> bool {
    let Some((place, rest)) = l.split_once(", ") else {
        return false;
    };
    let place_ok = place.split_whitespace().count() <= 3
        && place
            .split_whitespace()
            .all(|w| w.chars().next().is_some_and(|c| c.is_uppercase()));
    let mut words = rest.split_whitespace();
    let month = words
        .next()
        .is_some_and(|m| crate::claims::month_number(m).is_some());
    let day = words.next().is_some_and(|d| {
        let d = d.trim_end_matches(',');
        !d.is_empty() && d.len() <= 2 && d.bytes().all(|b| b.is_ascii_digit())
    });
    let year = words
        .next()
        .is_some_and(|y| y.chars().take(4).filter(|c| c.is_ascii_digit()).count() == 4);
    place_ok && month && day && year && l.split_whitespace().count() <= 10
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Edit, Finding, Fix, Severity, within};

    /// A finding with one safe fix making `edit`.
    fn fixing(edit: Span) -> Finding {
        let mut f = Finding::new("test", Severity::Warning, edit, "m");
        f.fixes.push(Fix {
            title: "t".into(),
            safe: true,
            edits: vec![Edit {
                span: edit,
                new_text: "x".into(),
            }],
        });
        f
    }

    /// The places where a region found only near the edits could be missed: every end
    /// of a protected region and of a block's content, one byte either side, as points
    /// and as one- and two-byte edits reaching across them.
    fn probes(text: &str, md: &MdModel, full: &[Span]) -> Vec<Span> {
        let mut at: Vec<usize> = Vec::new();
        for s in full.iter().chain(md.blocks.iter().map(|b| &b.content)) {
            for p in [s.start, s.end] {
                at.extend([p.saturating_sub(1), p, p + 1]);
            }
        }
        at.retain(|&p| p <= text.len());
        at.sort_unstable();
        at.dedup();
        let mut out = Vec::new();
        for p in at {
            out.push(Span::new(p, p));
            for w in [1, 2] {
                if p + w <= text.len() {
                    out.push(Span::new(p, p + w));
                }
                if p >= w {
                    out.push(Span::new(p - w, p));
                }
            }
        }
        out
    }

    /// Regions found only in the blocks an edit touches protect that edit exactly as
    /// regions found everywhere do: on every Markdown file of the fixtures (the real
    /// documents' glosses, quotations, block quotes and tables among them) and on texts
    /// whose glosses and quotations meet block ends.
    #[test]
    fn regions_near_the_edits_protect_as_all_regions_do() {
        let config = crate::config::Config::default();
        let knowledge = crate::facts::Knowledge::embedded();
        let ctx = crate::facts::Context {
            config: &config,
            knowledge: &knowledge,
        };
        let mut texts: Vec<(String, String)> = vec![
            ("made".into(), "[Gloss here] and “a quotation” end.\n\n“Next [one]”\n\n> quoted [x y]\n\n| a | b |\n|---|---|\n| [c d] | “e f” |\n".into()),
            ("made2".into(), "He said “[sic] it”[^1] and [ten words here].\n\n[^1]: A note [with gloss].\n".into()),
        ];
        texts.extend(
            crate::project::fixture_texts::all()
                .into_iter()
                .map(|(p, t)| (p.display().to_string(), t)),
        );
        let mut asked = 0;
        for (name, text) in &texts {
            let a = crate::analysis::analyze(std::sync::Arc::from(text.as_str()), None, &ctx);
            let full = protected_regions(&a.text, &a.md, &a.layers, None, None, None);
            for e in probes(&a.text, &a.md, &full) {
                let near = Near::of_safe_fixes(&[fixing(e)]);
                let found = protected_regions(&a.text, &a.md, &a.layers, None, None, Some(&near));
                assert_eq!(
                    within(&found, e),
                    within(&full, e),
                    "{name}: an edit at {e:?} ({:?})",
                    a.text
                        .get(e.start.saturating_sub(10)..(e.end + 10).min(a.text.len()))
                );
                asked += 1;
            }
        }
        assert!(asked > 10_000, "{asked} edits asked about");
    }
}
