//! Suppression comments, for every rule:
//!
//! * `<!-- annalist-disable-next-line CODE [CODE…] -->` silences findings that start on
//!   the next non-blank line (blank lines, lines of only `>` and other suppression
//!   comments are passed over);
//! * `<!-- annalist-disable-line CODE… -->` silences findings that start on the
//!   comment's own line(s);
//! * `<!-- annalist-disable CODE… -->` … `<!-- annalist-enable CODE… -->` silences a
//!   region (to the end of the document if never re-enabled).
//!
//! With no code, a directive applies to every rule. Codes are separated by spaces or
//! commas; `--` ends the list and starts a free reason
//! (`<!-- annalist-disable-next-line unsourced-claim -- quoted from memory -->`).
//! Directives work anywhere a line can hold an HTML comment — in list items, block
//! quotes, indented footnote definitions — and in CRLF files. Inside fenced code blocks
//! and inline code spans they are examples, not directives.
//!
//! One pass finds every `<!--`; a document without one costs a single `memchr`-speed
//! search.

use crate::finding::{Finding, Span};

/// What a suppression comment does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DirectiveKind {
    DisableNextLine,
    DisableLine,
    Disable,
    Enable,
}

/// A suppression comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Directive {
    /// `None` when the word after `annalist-` is not a known directive (a typo).
    pub kind: Option<DirectiveKind>,
    /// The whole comment, `<!--` to `-->`.
    pub span: Span,
    /// The directive word, e.g. `annalist-disable-next-line`.
    pub name: Span,
    /// The rule codes, each with its span; empty means every rule.
    pub codes: Vec<(String, Span)>,
}

const PREFIX: &str = "annalist-";

/// Every suppression comment of `text`, in order (those in fenced code blocks and
/// inline code spans excluded).
pub fn directives(text: &str) -> Vec<Directive> {
    let mut out = Vec::new();
    let mut fences: Option<Vec<Span>> = None;
    let mut from = 0;
    while let Some(rel) = text.get(from..).and_then(|r| r.find("<!--")) {
        let open = from + rel;
        let body_start = open + 4;
        let Some(close_rel) = text.get(body_start..).and_then(|r| r.find("-->")) else {
            break;
        };
        let body_end = body_start + close_rel;
        let end = body_end + 3;
        from = end;
        let body = text.get(body_start..body_end).unwrap_or("");
        let lead = body.len() - body.trim_start().len();
        if !body.trim_start().starts_with(PREFIX) {
            continue;
        }
        let fences = fences.get_or_insert_with(|| fenced_blocks(text));
        if fences.iter().any(|f| f.contains(open)) || in_code_span(text, open) {
            continue;
        }
        out.push(parse(
            text,
            body_start + lead,
            body_end,
            Span::new(open, end),
        ));
    }
    out
}

/// Parse the body `[start, end)` of a comment that begins with `annalist-`.
fn parse(text: &str, start: usize, end: usize, span: Span) -> Directive {
    let mut words = Vec::new(); // (text, span)
    let body = text.get(start..end).unwrap_or("");
    let mut cur: Option<usize> = None;
    for (i, c) in body
        .char_indices()
        .chain(std::iter::once((body.len(), ' ')))
    {
        let sep = c.is_whitespace() || c == ',';
        match (sep, cur) {
            (false, None) => cur = Some(i),
            (true, Some(b)) => {
                words.push((
                    body.get(b..i).unwrap_or("").to_string(),
                    Span::new(start + b, start + i),
                ));
                cur = None;
            }
            _ => {}
        }
    }
    let mut it = words.into_iter();
    let (name, name_span) = it.next().unwrap_or_default();
    let kind = match name.trim_end_matches(':') {
        "annalist-disable-next-line" => Some(DirectiveKind::DisableNextLine),
        "annalist-disable-line" => Some(DirectiveKind::DisableLine),
        "annalist-disable" => Some(DirectiveKind::Disable),
        "annalist-enable" => Some(DirectiveKind::Enable),
        _ => None,
    };
    let codes = it.take_while(|(w, _)| w != "--").collect();
    Directive {
        kind,
        span,
        name: name_span,
        codes,
    }
}

/// Spans of fenced code blocks (``` or ~~~, any indentation or container prefix).
fn fenced_blocks(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut open: Option<(usize, char, usize)> = None; // (start, fence char, length)
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_start_matches([' ', '\t', '>']);
        let fence_char = body.chars().next().filter(|c| *c == '`' || *c == '~');
        let run = fence_char.map(|f| body.chars().take_while(|c| *c == f).count());
        match (open, fence_char, run) {
            (None, Some(f), Some(n)) if n >= 3 => {
                // A backtick fence's info string may not contain a backtick.
                let info = body.get(n..).unwrap_or("");
                if f == '~' || !info.contains('`') {
                    open = Some((pos, f, n));
                }
            }
            (Some((start, f, n)), Some(g), Some(m)) if g == f && m >= n => {
                let rest = body.get(m..).unwrap_or("");
                if rest.trim().is_empty() {
                    out.push(Span::new(start, pos + line.len()));
                    open = None;
                }
            }
            _ => {}
        }
        pos += line.len();
    }
    if let Some((start, _, _)) = open {
        out.push(Span::new(start, text.len()));
    }
    out
}

/// True when `offset` follows an odd number of backticks on its line (inside `code`).
fn in_code_span(text: &str, offset: usize) -> bool {
    let line_start = text
        .get(..offset)
        .and_then(|b| b.rfind('\n'))
        .map(|i| i + 1)
        .unwrap_or(0);
    let before = text.get(line_start..offset).unwrap_or("");
    before.matches('`').count() % 2 == 1
}

/// Byte offsets where lines start.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

fn line_of(starts: &[usize], offset: usize) -> usize {
    starts.partition_point(|&s| s <= offset).saturating_sub(1)
}

/// True when a line holds nothing a finding could start on: blank, only `>` markers,
/// or only suppression comments.
fn is_passable(line: &str) -> bool {
    let mut rest = line
        .trim_start_matches(|c: char| c.is_whitespace() || c == '>')
        .trim_end();
    while let Some(r) = rest.strip_prefix("<!--") {
        if !r.trim_start().starts_with(PREFIX) {
            return false;
        }
        match r.find("-->") {
            Some(e) => rest = r.get(e + 3..).unwrap_or("").trim(),
            None => return false,
        }
    }
    rest.is_empty()
}

/// Which rules a directive names: `None` for every rule.
fn codes_of(d: &Directive) -> Option<Vec<&str>> {
    if d.codes.is_empty() {
        None
    } else {
        Some(d.codes.iter().map(|(c, _)| c.as_str()).collect())
    }
}

fn names(list: &Option<Vec<&str>>, code: &str) -> bool {
    match list {
        None => true,
        Some(v) => v.contains(&code),
    }
}

/// Remove findings silenced by comments in `text`.
pub fn filter(text: &str, findings: Vec<Finding>) -> Vec<Finding> {
    if findings.is_empty() || !text.contains("<!--") {
        return findings;
    }
    let ds = directives(text);
    if ds.is_empty() {
        return findings;
    }
    let starts = line_starts(text);
    let line_text = |l: usize| -> &str {
        let s = starts.get(l).copied().unwrap_or(text.len());
        let e = starts.get(l + 1).copied().unwrap_or(text.len());
        text.get(s..e).unwrap_or("")
    };
    // Line-scoped directives: (line, codes).
    let mut by_line: Vec<(usize, Option<Vec<&str>>)> = Vec::new();
    // Region events in order: (offset, disable?, codes).
    let mut events: Vec<(usize, bool, Option<Vec<&str>>)> = Vec::new();
    for d in &ds {
        let codes = codes_of(d);
        match d.kind {
            Some(DirectiveKind::DisableNextLine) => {
                let mut l = line_of(&starts, d.span.end.saturating_sub(1)) + 1;
                while l < starts.len() && is_passable(line_text(l)) {
                    l += 1;
                }
                by_line.push((l, codes));
            }
            Some(DirectiveKind::DisableLine) => {
                let first = line_of(&starts, d.span.start);
                let last = line_of(&starts, d.span.end.saturating_sub(1));
                for l in first..=last {
                    by_line.push((l, codes.clone()));
                }
            }
            Some(DirectiveKind::Disable) => events.push((d.span.end, true, codes)),
            Some(DirectiveKind::Enable) => events.push((d.span.start, false, codes)),
            None => {}
        }
    }
    findings
        .into_iter()
        .filter(|f| {
            let line = line_of(&starts, f.span.start);
            if by_line
                .iter()
                .any(|(l, codes)| *l == line && names(codes, f.code))
            {
                return false;
            }
            !region_disabled(&events, f.span.start, f.code)
        })
        .collect()
}

/// Replay the region events before `offset` for `code`.
fn region_disabled(events: &[(usize, bool, Option<Vec<&str>>)], offset: usize, code: &str) -> bool {
    let mut disabled = false;
    for (at, disable, codes) in events {
        if *at > offset {
            break;
        }
        if names(codes, code) {
            disabled = *disable;
        }
    }
    disabled
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;

    /// Findings at every occurrence of `X` (code `a`) and `Y` (code `b`) in the text;
    /// the result lists the 0-based indices of the occurrences that survive.
    fn survivors(text: &str) -> String {
        let mut fs = Vec::new();
        for (i, c) in text.char_indices() {
            let code = match c {
                'X' => "a",
                'Y' => "b",
                _ => continue,
            };
            fs.push(Finding::new(
                code,
                Severity::Warning,
                Span::new(i, i + 1),
                "",
            ));
        }
        let kept = filter(text, fs.clone());
        fs.iter()
            .enumerate()
            .filter(|(_, f)| kept.contains(f))
            .map(|(i, f)| format!("{}{}", f.code, i))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn suppression_table() {
        let cases: &[(&str, &str)] = &[
            ("X Y\nX Y\n", "a0 b1 a2 b3"),
            // next line, every rule
            ("<!-- annalist-disable-next-line -->\nX Y\nX Y\n", "a2 b3"),
            // next line, one code
            ("<!-- annalist-disable-next-line a -->\nX Y\nX\n", "b1 a2"),
            // several codes, commas, a reason after --
            ("<!-- annalist-disable-next-line a, b -- why -->\nX Y\n", ""),
            ("<!-- annalist-disable-next-line b -- a -->\nX Y\n", "a0"),
            // blank lines and stacked comments are passed over
            (
                "<!-- annalist-disable-next-line a -->\n\n<!-- annalist-disable-next-line b -->\n\nX Y\nX\n",
                "a2",
            ),
            // CRLF
            (
                "<!-- annalist-disable-next-line a -->\r\n\r\nX Y\r\nX\r\n",
                "b1 a2",
            ),
            // same line
            ("X Y <!-- annalist-disable-line a -->\nX\n", "b1 a2"),
            // regions
            (
                "X\n<!-- annalist-disable a -->\nX Y\n<!-- annalist-enable a -->\nX\n",
                "a0 b2 a3",
            ),
            ("<!-- annalist-disable -->\nX Y\n", ""),
            (
                "<!-- annalist-disable -->\nX\n<!-- annalist-enable b -->\nX Y\n",
                "b2",
            ),
            (
                "<!-- annalist-disable a -->\nX\n<!-- annalist-enable -->\nX\n",
                "a1",
            ),
            // inside an indented footnote definition
            (
                "[^1]: First line.\n    <!-- annalist-disable-next-line a -->\n    X here Y\n\nX\n",
                "b1 a2",
            ),
            // in a block quote
            ("> <!-- annalist-disable-next-line a -->\n>\n> X Y\n", "b1"),
            // examples in code are not directives
            ("```\n<!-- annalist-disable -->\n```\nX\n", "a0"),
            ("Write `<!-- annalist-disable -->` to X\n", "a0"),
            // other comments and typos do nothing
            ("<!-- a note -->\nX\n", "a0"),
            ("<!-- annalist-disabel-next-line -->\nX\n", "a0"),
            // unclosed comment
            ("<!-- annalist-disable\nX\n", "a0"),
        ];
        for (input, want) in cases {
            assert_eq!(survivors(input), *want, "in {input:?}");
        }
    }

    #[test]
    fn directives_report_code_spans() {
        let t = "x <!-- annalist-disable-next-line foo, bar -- reason -->\n";
        let ds = directives(t);
        assert_eq!(ds.len(), 1);
        let d = &ds[0];
        assert_eq!(d.kind, Some(DirectiveKind::DisableNextLine));
        let codes: Vec<&str> = d.codes.iter().map(|(_, s)| s.slice(t)).collect();
        assert_eq!(codes, vec!["foo", "bar"]);
        assert_eq!(d.name.slice(t), "annalist-disable-next-line");
    }

    #[test]
    fn never_panics() {
        for t in [
            "<!--",
            "<!---->",
            "<!-- annalist-",
            "é<!-- annalist-disable é -->é",
            "```",
        ] {
            let f = vec![Finding::new("a", Severity::Hint, Span::new(0, 1), "")];
            let _ = filter(t, f);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        #[test]
        fn no_panic_on_arbitrary_directives(parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "<!--", "-->", " annalist-disable", " annalist-enable", "-next-line",
                "-line", " a", ",b", " -- ", "\n", "\r\n", "```", "`", "> ", "X", "é", "    ",
            ]),
            0..40,
        )) {
            let t: String = parts.concat();
            let mut fs = Vec::new();
            for (i, _) in t.match_indices('X') {
                fs.push(Finding::new("a", Severity::Hint, Span::new(i, i + 1), ""));
            }
            let n = fs.len();
            proptest::prop_assert!(filter(&t, fs).len() <= n);
            for d in directives(&t) {
                proptest::prop_assert!(d.span.end <= t.len());
                for (_, sp) in d.codes {
                    proptest::prop_assert!(t.get(sp.start..sp.end).is_some());
                }
            }
        }
    }
}
