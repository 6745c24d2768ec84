//! Bibliography files: BibTeX/BibLaTeX (`.bib`, through the `biblatex` crate), CSL JSON
//! (`.json`) and CSL YAML (`.yaml`, `.yml`; Pandoc's `references:` list or a bare list).
//!
//! Loading never fails: a file that cannot be read or parsed is a [`Bibliography`] with
//! problems (1-based line and column) and whatever entries could be read. In a `.bib`
//! file each `@type{…}` is parsed on its own, so a broken entry loses only itself.

use crate::finding::Span;
use std::path::{Path, PathBuf};

/// The parsed data of an entry, kept for formatting.
#[derive(Clone, Debug)]
pub enum EntryData {
    /// A BibTeX/BibLaTeX entry, converted.
    Hayagriva(Box<hayagriva::Entry>),
    /// A CSL JSON or CSL YAML item.
    Csl(Box<hayagriva::citationberg::json::Item>),
    /// Nothing hayagriva can format (a BibLaTeX entry it could not convert).
    None,
}

/// One work in a bibliography.
#[derive(Clone, Debug)]
pub struct Entry {
    pub key: String,
    /// The whole entry in the file (for go-to-definition).
    pub span: Span,
    /// The key in the file.
    pub key_span: Span,
    /// 1-based line and column (characters) of the key.
    pub line: usize,
    pub column: usize,
    /// `book`, `article-journal`, …
    pub kind: String,
    /// Authors (or editors) as "Family, Given".
    pub authors: Vec<String>,
    pub year: Option<String>,
    pub title: Option<String>,
    pub data: EntryData,
}

impl Entry {
    /// "Bajanov 1995", "Goncharov, Lewis, and Xue 1993", "Cumings n.d.".
    pub fn short(&self) -> String {
        let fam = |a: &String| a.split(',').next().unwrap_or(a).trim().to_string();
        let names = match self.authors.as_slice() {
            [] => String::new(),
            [a] => fam(a),
            [a, b] => format!("{} and {}", fam(a), fam(b)),
            [a, b, c] => format!("{}, {}, and {}", fam(a), fam(b), fam(c)),
            [a, ..] => format!("{} et al.", fam(a)),
        };
        let year = self.year.clone().unwrap_or_else(|| "n.d.".into());
        if names.is_empty() {
            year
        } else {
            format!("{names} {year}")
        }
    }
}

/// A problem in a bibliography file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Byte offset in the file.
    pub offset: usize,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// One loaded bibliography file.
#[derive(Clone, Debug, Default)]
pub struct Bibliography {
    pub path: PathBuf,
    /// In file order, duplicates included (the first of a key wins).
    pub entries: Vec<Entry>,
    pub problems: Vec<Problem>,
}

impl Bibliography {
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }

    /// Parse a bibliography's text; the format is chosen by the extension of `path`.
    pub fn parse(path: &Path, text: &str) -> Bibliography {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        let mut b = Bibliography {
            path: path.to_path_buf(),
            ..Default::default()
        };
        match ext.as_str() {
            "json" => parse_csl_json(text, &mut b),
            "yaml" | "yml" => parse_csl_yaml(text, &mut b),
            _ => parse_bibtex(text, &mut b),
        }
        let idx = crate::position::LineIndex::new(text);
        for e in &mut b.entries {
            let p = idx.position(text, e.key_span.start, crate::position::Encoding::Chars);
            e.line = p.line as usize + 1;
            e.column = p.col as usize + 1;
        }
        b
    }

    /// Read and parse a file; a read error is a problem at 1:1.
    pub fn load(path: &Path) -> Bibliography {
        match std::fs::read_to_string(path) {
            Ok(t) => Bibliography::parse(path, &t),
            Err(e) => Bibliography {
                path: path.to_path_buf(),
                entries: Vec::new(),
                problems: vec![Problem {
                    offset: 0,
                    line: 1,
                    column: 1,
                    message: format!("cannot read the bibliography: {e}"),
                }],
            },
        }
    }
}

fn problem(text: &str, offset: usize, message: String) -> Problem {
    let offset = offset.min(text.len());
    let (line, column) = crate::config::line_col(text, offset);
    Problem {
        offset,
        line,
        column,
        message,
    }
}

/// A top-level `@type{…}` item of a .bib file.
struct Item {
    kind: String,
    span: Span,
    /// Whether the closing delimiter was found.
    closed: bool,
}

/// Cut a .bib text into its `@type{…}` items. Text between items is a comment (as in
/// BibTeX). An item whose braces never close ends before the next line that starts
/// with `@`.
fn split_items(text: &str) -> Vec<Item> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'@' {
            i += 1;
            continue;
        }
        let start = i;
        let mut j = i + 1;
        while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || bytes[j] == b'_') {
            j += 1;
        }
        let kind = text.get(i + 1..j).unwrap_or("").to_ascii_lowercase();
        while j < bytes.len() && bytes[j].is_ascii_whitespace() {
            j += 1;
        }
        let (open, close) = match bytes.get(j) {
            Some(b'{') => (b'{', b'}'),
            Some(b'(') => (b'(', b')'),
            _ => {
                i = j.max(i + 1);
                continue;
            }
        };
        if kind.is_empty() {
            i = j + 1;
            continue;
        }
        let mut depth = 0usize;
        let mut k = j;
        let mut end = None;
        let mut line_start = false;
        while k < bytes.len() {
            let b = bytes[k];
            if line_start && b == b'@' && depth > 0 && k > j {
                // A new entry starts while this one is open: this one is broken.
                break;
            }
            if b == b'\n' {
                line_start = true;
            } else if !(b == b' ' || b == b'\t' || b == b'\r') {
                line_start = false;
            }
            if b == open || (open == b'(' && b == b'{') {
                depth += 1;
            } else if b == close || (open == b'(' && b == b'}') {
                depth = depth.saturating_sub(1);
                if depth == 0 && b == close {
                    end = Some(k + 1);
                    break;
                }
            }
            k += 1;
        }
        let (stop, closed) = match end {
            Some(e) => (e, true),
            None => (k, false),
        };
        out.push(Item {
            kind,
            span: Span::new(start, stop),
            closed,
        });
        i = stop.max(start + 1);
    }
    out
}

fn parse_bibtex(text: &str, b: &mut Bibliography) {
    let items = split_items(text);
    // `@string` macros are given to every entry.
    let mut strings = String::new();
    for it in items.iter().filter(|it| it.kind == "string" && it.closed) {
        let src = it.span.slice(text);
        if biblatex::RawBibliography::parse(src).is_ok() {
            strings.push_str(src);
            strings.push('\n');
        }
    }
    for it in &items {
        match it.kind.as_str() {
            "string" | "preamble" | "comment" => continue,
            _ => {}
        }
        let src = it.span.slice(text);
        if !it.closed {
            b.problems.push(problem(
                text,
                it.span.start,
                format!(
                    "this @{} entry is never closed (its braces do not balance); it is ignored",
                    it.kind
                ),
            ));
            continue;
        }
        let full = format!("{strings}{src}");
        let parsed = std::panic::catch_unwind(|| biblatex::Bibliography::parse(&full));
        let bib = match parsed {
            Ok(Ok(bib)) => bib,
            Ok(Err(e)) => {
                let at = e.span.start.saturating_sub(strings.len());
                b.problems.push(problem(
                    text,
                    it.span.start + at.min(src.len()),
                    format!("cannot parse this entry ({}); it is ignored", e.kind),
                ));
                continue;
            }
            Err(_) => {
                b.problems.push(problem(
                    text,
                    it.span.start,
                    "cannot parse this entry; it is ignored".into(),
                ));
                continue;
            }
        };
        for e in bib.iter() {
            let key_span = src
                .find(e.key.as_str())
                .map(|k| Span::new(it.span.start + k, it.span.start + k + e.key.len()))
                .unwrap_or(Span::new(it.span.start, it.span.start));
            b.entries.push(bib_entry(e, it.span, key_span));
        }
    }
}

fn bib_entry(e: &biblatex::Entry, span: Span, key_span: Span) -> Entry {
    use biblatex::ChunksExt;
    let person = |p: &biblatex::Person| {
        let fam = [p.prefix.as_str(), p.name.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        if p.given_name.is_empty() {
            fam
        } else {
            format!("{fam}, {}", p.given_name)
        }
    };
    let mut authors: Vec<String> = e
        .author()
        .map(|v| v.iter().map(person).collect())
        .unwrap_or_default();
    if authors.is_empty()
        && let Ok(eds) = e.editors()
    {
        authors = eds.iter().flat_map(|(v, _)| v.iter().map(person)).collect();
    }
    let field = |k: &str| e.get(k).map(|c| c.format_verbatim());
    let year = field("date")
        .or_else(|| field("year"))
        .and_then(|d| first_year(&d));
    let title = field("title").map(|t| t.trim().to_string());
    let data = std::panic::catch_unwind(|| hayagriva::Entry::try_from(e))
        .ok()
        .and_then(Result::ok)
        .map(|h| EntryData::Hayagriva(Box::new(h)))
        .unwrap_or(EntryData::None);
    Entry {
        key: e.key.clone(),
        span,
        key_span,
        line: 0,
        column: 0,
        kind: e.entry_type.to_string(),
        authors,
        year,
        title,
        data,
    }
}

/// The first run of four digits: "1995-07" → "1995".
fn first_year(s: &str) -> Option<String> {
    let cs: Vec<char> = s.chars().collect();
    cs.windows(4)
        .position(|w| w.iter().all(char::is_ascii_digit))
        .map(|i| cs[i..i + 4].iter().collect())
}

fn parse_csl_json(text: &str, b: &mut Bibliography) {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(v) => csl_items(text, v, b, "json"),
        Err(e) => {
            let (line, column) = (e.line().max(1), e.column().max(1));
            b.problems.push(Problem {
                offset: 0,
                line,
                column,
                message: format!("cannot parse this CSL JSON file: {e}"),
            });
        }
    }
}

fn parse_csl_yaml(text: &str, b: &mut Bibliography) {
    match serde_norway::from_str::<serde_json::Value>(text) {
        Ok(v) => csl_items(text, v, b, "yaml"),
        Err(e) => {
            let (line, column) = e
                .location()
                .map(|l| (l.line(), l.column()))
                .unwrap_or((1, 1));
            b.problems.push(Problem {
                offset: e.location().map(|l| l.index()).unwrap_or(0),
                line,
                column,
                message: format!("cannot parse this CSL YAML file: {e}"),
            });
        }
    }
}

fn csl_items(text: &str, v: serde_json::Value, b: &mut Bibliography, fmt: &str) {
    let items = match v {
        serde_json::Value::Array(a) => a,
        serde_json::Value::Object(mut o) => match o.remove("references") {
            Some(serde_json::Value::Array(a)) => a,
            _ => {
                b.problems.push(problem(
                    text,
                    0,
                    "expected a list of CSL items (or a `references:` list)".into(),
                ));
                return;
            }
        },
        _ => {
            b.problems
                .push(problem(text, 0, "expected a list of CSL items".into()));
            return;
        }
    };
    let mut search_from = 0;
    for (n, item) in items.into_iter().enumerate() {
        let Some(id) = item.get("id").and_then(|i| match i {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        }) else {
            b.problems.push(problem(
                text,
                search_from,
                format!("item {} has no `id`; it is ignored", n + 1),
            ));
            continue;
        };
        let key_span = find_id(text, &id, search_from, fmt);
        if key_span.end > search_from {
            search_from = key_span.end;
        }
        let authors: Vec<String> = ["author", "editor"]
            .iter()
            .find_map(|f| {
                item.get(*f)
                    .and_then(|a| a.as_array())
                    .filter(|a| !a.is_empty())
            })
            .map(|a| a.iter().filter_map(csl_name).collect())
            .unwrap_or_default();
        let year = item.get("issued").and_then(csl_year);
        let title = item
            .get("title")
            .and_then(|t| t.as_str())
            .map(|t| t.trim().to_string());
        let kind = item
            .get("type")
            .and_then(|t| t.as_str())
            .unwrap_or("")
            .to_string();
        let data = serde_json::from_value::<hayagriva::citationberg::json::Item>(item)
            .map(|i| EntryData::Csl(Box::new(i)))
            .unwrap_or(EntryData::None);
        b.entries.push(Entry {
            key: id,
            span: key_span,
            key_span,
            line: 0,
            column: 0,
            kind,
            authors,
            year,
            title,
            data,
        });
    }
}

/// Where item `id` is declared: `"id": "key"` (JSON) or `id: key` (YAML).
fn find_id(text: &str, id: &str, from: usize, fmt: &str) -> Span {
    let mut at = from.min(text.len());
    while let Some(rel) = text.get(at..).and_then(|t| t.find(id)) {
        let s = at + rel;
        let e = s + id.len();
        let before = text.get(..s).unwrap_or("");
        let before = before.trim_end_matches(['"', '\'']).trim_end();
        let ok_before = before.ends_with(':')
            && before
                .trim_end_matches(':')
                .trim_end()
                .trim_end_matches(['"', '\''])
                .ends_with("id");
        let after = text.get(e..).and_then(|t| t.chars().next());
        let ok_after = match fmt {
            "json" => after == Some('"'),
            _ => after.is_none_or(|c| matches!(c, '"' | '\'' | '\n' | '\r' | ' ' | ',' | '}')),
        };
        if ok_before && ok_after {
            return Span::new(s, e);
        }
        at = e;
    }
    if from > 0 {
        return find_id(text, id, 0, fmt);
    }
    Span::new(0, 0)
}

fn csl_name(n: &serde_json::Value) -> Option<String> {
    if let Some(l) = n.get("literal").and_then(|l| l.as_str()) {
        return Some(l.to_string());
    }
    let fam = n.get("family").and_then(|f| f.as_str())?;
    let particle = n
        .get("non-dropping-particle")
        .and_then(|f| f.as_str())
        .map(|p| format!("{p} "))
        .unwrap_or_default();
    Some(match n.get("given").and_then(|g| g.as_str()) {
        Some(g) => format!("{particle}{fam}, {g}"),
        None => format!("{particle}{fam}"),
    })
}

fn csl_year(d: &serde_json::Value) -> Option<String> {
    if let Some(y) = d
        .get("date-parts")
        .and_then(|p| p.get(0))
        .and_then(|p| p.get(0))
    {
        return match y {
            serde_json::Value::Number(n) => Some(n.to_string()),
            serde_json::Value::String(s) => first_year(s),
            _ => None,
        };
    }
    d.get("raw")
        .or_else(|| d.get("literal"))
        .and_then(|r| r.as_str())
        .and_then(first_year)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_entry_loses_only_itself() {
        let t = "@book{a, title = {One}, year = 1990}\n\n@article{b, title = {Two\n\n@book{c, author = {Cumings, Bruce}, title = {Three}, date = {1995-07}}\n";
        let b = Bibliography::parse(Path::new("x.bib"), t);
        let keys: Vec<&str> = b.entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["a", "c"]);
        assert_eq!(b.problems.len(), 1);
        assert_eq!(b.problems[0].line, 3);
        assert_eq!(b.entries[1].year.as_deref(), Some("1995"));
        assert_eq!(b.entries[1].authors, ["Cumings, Bruce"]);
        assert_eq!(b.entries[1].key_span.slice(t), "c");
    }

    #[test]
    fn strings_are_expanded_and_bad_fields_reported() {
        let t = "@string{su = {Stanford University Press}}\n@book{g, publisher = su, title = {T}, year = 1993}\n@book{h, title = {T} year = 1993}\n";
        let b = Bibliography::parse(Path::new("x.bib"), t);
        assert_eq!(b.entries.len(), 1);
        assert_eq!(b.problems.len(), 1);
        assert_eq!(b.problems[0].line, 3, "{:?}", b.problems);
    }

    #[test]
    fn csl_json_and_yaml() {
        let j = r#"[{"id": "w93", "type": "report", "title": "Soviet Aims", "author": [{"family": "Weathersby", "given": "Kathryn"}], "issued": {"date-parts": [[1993, 11]]}}, {"type": "book"}]"#;
        let b = Bibliography::parse(Path::new("x.json"), j);
        assert_eq!(b.entries.len(), 1);
        assert_eq!(b.entries[0].key_span.slice(j), "w93");
        assert_eq!(b.entries[0].year.as_deref(), Some("1993"));
        assert_eq!(b.problems.len(), 1);
        let y = "references:\n- id: cumings1981\n  type: book\n  title: The Origins of the Korean War\n  issued:\n    date-parts: [[1981]]\n";
        let b = Bibliography::parse(Path::new("x.yaml"), y);
        assert_eq!(b.entries.len(), 1);
        assert_eq!(b.entries[0].key_span.slice(y), "cumings1981");
        let bad = Bibliography::parse(Path::new("x.json"), "[{\"id\": \"a\",,]");
        assert!(bad.entries.is_empty());
        assert_eq!(bad.problems[0].line, 1);
    }

    #[test]
    fn never_panics() {
        for t in [
            "@",
            "@{",
            "@book{",
            "@book{,}",
            "@book(a, title={x)",
            "}}}@@{{",
            "@book{a,title={\u{e9}}}@x{é",
        ] {
            let _ = Bibliography::parse(Path::new("x.bib"), t);
        }
        for t in ["", "{", "[1]", "null", "[{\"id\": {}}]"] {
            let _ = Bibliography::parse(Path::new("x.json"), t);
            let _ = Bibliography::parse(Path::new("x.yaml"), t);
        }
    }
}
