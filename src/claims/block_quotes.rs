//! Block quotations: a `>` block with no attribution line and no note marker.

use super::*;

/// Label words that make a block quote a note or callout, not a quotation.
pub(super) fn is_callout(first: &str) -> bool {
    let f = first.trim_start_matches(['*', '_', ' ']).to_lowercase();
    f.starts_with("[!")
        || [
            "note",
            "nb",
            "n.b.",
            "editor",
            "transcriber",
            "translator",
            "warning",
            "tip",
            "caution",
            "important",
            "summary",
            "abstract",
            "tl;dr",
        ]
        .iter()
        .any(|w| {
            f.starts_with(w)
                && f.get(w.len()..)
                    .and_then(|r| r.chars().next())
                    .is_none_or(|c| !c.is_alphanumeric())
        })
}

/// An attribution line: "— Name", "-- Source", "– Name", "―Name".
pub(super) fn is_attribution_line(line: &str) -> bool {
    let l = line.trim_start_matches(['>', ' ', '\t']).trim();
    // At the end of the quote's last line: "… by other means. — Clausewitz".
    for dash in [" — ", " ― ", " -- ", " —", " ―"] {
        if let Some(i) = l.rfind(dash) {
            let who = l.get(i + dash.len()..).unwrap_or("").trim();
            let before = l.get(..i).unwrap_or("").trim_end();
            if before.ends_with(['.', '!', '?', '"', '”', '’', '»'])
                && who.split_whitespace().count() <= 10
                && who
                    .trim_start_matches(['*', '_', '['])
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase())
            {
                return true;
            }
        }
    }
    let rest = l
        .strip_prefix("—")
        .or_else(|| l.strip_prefix("―"))
        .or_else(|| l.strip_prefix("--"))
        .or_else(|| l.strip_prefix("– "))
        .or_else(|| l.strip_prefix("~"));
    rest.is_some_and(|r| {
        r.trim_start_matches(['-', ' '])
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || matches!(c, '*' | '_' | '[' | '('))
    })
}

#[allow(clippy::too_many_arguments)]
pub(super) fn block_quote_claim(
    text: &str,
    md: &MdModel,
    markers: &[Span],
    excluded: &[Span],
    group: &[&Block],
    prev: Option<&Block>,
    next: Option<&Block>,
    out: &mut Vec<Claim>,
) {
    let (Some(first), Some(last)) = (group.first(), group.last()) else {
        return;
    };
    let span = Span::new(first.span.start, last.span.end);
    if is_excluded(excluded, span) {
        return;
    }
    let paras: Vec<&&Block> = group
        .iter()
        .filter(|b| b.kind == BlockKind::Paragraph)
        .collect();
    let Some(first_para) = paras.first() else {
        return;
    };
    let words: usize = paras
        .iter()
        .map(|b| {
            md.prose_pieces(b.content)
                .iter()
                .map(|p| word_count(p.slice(text)))
                .sum::<usize>()
        })
        .sum();
    if words < 4 || is_callout(first_para.content.slice(text)) || is_indented_list(text, &paras) {
        return;
    }
    // Attribution: the quote's last line, or the line right after it.
    let last_line = last
        .span
        .slice(text)
        .trim_end()
        .rsplit('\n')
        .next()
        .unwrap_or("");
    if is_attribution_line(last_line) {
        return;
    }
    let after = text.get(last.span.end..).unwrap_or("");
    let after_line = after
        .trim_start_matches(['\r', '\n', ' ', '\t'])
        .split('\n')
        .next()
        .unwrap_or("");
    if is_attribution_line(after_line) {
        return;
    }
    // A quote right under a heading is the document the heading names
    // ("## Stalin to Shtykov, 30 January 1950").
    if let Some(p) = prev.filter(|p| matches!(p.kind, BlockKind::Heading { .. })) {
        let gap = text.get(p.span.end..span.start).unwrap_or("x");
        if gap.chars().all(|c| c.is_whitespace() || c == '>') {
            return;
        }
    }
    // A marker inside the quote covers it; so does one in the sentence that introduces
    // it (a paragraph ending in ':' just before), or a short citation paragraph right
    // after it that starts with '(' or '['.
    let mut covered = has_marker_in(markers, span);
    if let Some(p) = prev.filter(|p| p.kind == BlockKind::Paragraph && p.quote_depth == 0) {
        let gap = text.get(p.span.end..span.start).unwrap_or("x");
        if gap.chars().all(|c| c.is_whitespace() || c == '>') {
            let sents = sentences(text, md, p, markers);
            // The paragraph that introduces the quote ("…, he made the following
            // statement:") cites it anywhere in it, or names the document it gives
            // ("Following is the text of the broadcast:").
            if let Some(ls) = sents.last()
                && ls.slice(text).trim_end().ends_with(':')
                && (has_marker_in(markers, p.content)
                    || super::attribution::introduces_a_document(ls.slice(text)))
            {
                covered = true;
            }
        }
    }
    if let Some(n) = next.filter(|n| n.kind == BlockKind::Paragraph && n.quote_depth == 0) {
        let t = n.content.slice(text).trim_start();
        if (t.starts_with('(') || t.starts_with('['))
            && t.len() < 300
            && has_marker_in(markers, n.content)
        {
            covered = true;
        }
    }
    let last_para = paras.last().unwrap_or(first_para);
    let insert_at = last_para.content.start + last_para.content.slice(text).trim_end().len();
    // Underline the first sentence, not a whole long quote.
    let first_sentence = sentences(text, md, first_para, markers)
        .first()
        .copied()
        .unwrap_or(first_para.content);
    out.push(Claim {
        span,
        covered,
        kind: ClaimKind::BlockQuotation { quote: span },
        evidence: first_sentence,
        insert_at,
        paragraph: span,
    });
}

/// A `>` block used to indent a list, not to quote: no quotation marks, and its
/// paragraphs (editorial insertions such as "[Page 1067]" left out) are two or more
/// short items (a list of names: "> Fu Tso-yi", "> Chen Ming-shu"), or two or more
/// items that start with a number or a letter ("> 15 US Navy type, wood hulled, 110
/// ft, …", "> (a) …"), or tabular lines (tabs, runs of spaces, `|`).
pub(super) fn is_indented_list(text: &str, paras: &[&&Block]) -> bool {
    let items: Vec<&str> = paras
        .iter()
        .map(|b| b.content.slice(text).trim())
        .filter(|t| !(t.starts_with('[') && t.ends_with(']')))
        .collect();
    if items.is_empty()
        || items
            .iter()
            .any(|t| t.contains(['"', '“', '”', '«', '»']) || t.contains(" ‘"))
    {
        return false;
    }
    let short = |t: &str| word_count(t) <= 4;
    let numbered = |t: &str| {
        let t = t.trim_start_matches(['*', '_', '(']);
        let first: String = t.chars().take_while(|c| c.is_alphanumeric()).collect();
        let rest = t.get(first.len()..).unwrap_or("");
        first.chars().all(|c| c.is_ascii_digit()) && !first.is_empty()
            || first.len() == 1 && rest.trim_start_matches(['*', '_']).starts_with(['.', ')'])
    };
    let tabular = |t: &str| t.contains('\t') || t.contains("   ") || t.contains(" | ");
    items.len() >= 2 && (items.iter().all(|t| short(t)) || items.iter().all(|t| numbered(t)))
        || items.iter().all(|t| tabular(t))
}
