//! Reading gazetteer files (TOML) and front matter (YAML), merging them, and checking
//! them. A broken entry is a problem with a line and column; the rest still loads.

use super::{Entity, Gazetteer, Origin, edtf};
use crate::config::{Config, FileProblem, line_col};
use crate::finding::Span;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use toml::de::{DeTable, DeValue, ValueDeserializer};

/// Keys an `[[entity]]` table may have.
pub const ENTITY_KEYS: &[&str] = &[
    "id",
    "kind",
    "preferred",
    "names",
    "native",
    "start",
    "end",
    "roles",
    "description",
    "notes",
    "source",
    "wikidata",
];

/// The keys of a `names` entry and of a `roles` entry.
pub const NAME_KEYS: &[&str] = &["text", "system", "ambiguous"];
pub const ROLE_KEYS: &[&str] = &["title", "from", "to"];

/// A problem at a byte offset of some text (front matter, a file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextProblem {
    pub offset: usize,
    pub message: String,
}

/// Parse a gazetteer file's text: its entities with the byte span of each `[[entity]]`
/// table, and the problems found. An entry that does not fit the schema is left out
/// (with a problem); the others load. A TOML syntax error loses the whole file.
///
/// A large file made only of `[[entity]]` tables is parsed in pieces, in parallel
/// (the TOML parser reads some 20–30 MB/s: half a second for 50,000 entries); when
/// any piece has a problem the whole file is parsed again in one piece, so problems
/// and their messages are those of the one-piece parse.
pub fn parse_toml(text: &str) -> (Vec<(Entity, Span)>, Vec<TextProblem>) {
    use rayon::prelude::*;
    let pieces = pieces(text, PIECE);
    if pieces.len() < 2 {
        return parse_toml_whole(text);
    }
    let parsed: Vec<_> = pieces
        .par_iter()
        .map(|&(start, end)| (start, parse_toml_whole(text.get(start..end).unwrap_or(""))))
        .collect();
    if parsed.iter().any(|(_, (_, problems))| !problems.is_empty()) {
        return parse_toml_whole(text);
    }
    let mut out = Vec::new();
    for (start, (entities, _)) in parsed {
        out.extend(
            entities
                .into_iter()
                .map(|(e, span)| (e, Span::new(span.start + start, span.end + start))),
        );
    }
    (out, Vec::new())
}

/// About how many bytes of TOML a piece of [`parse_toml`] holds.
const PIECE: usize = 512 * 1024;

/// Where `text` may be cut into pieces of about `size` bytes that parse as the whole
/// does: before a line that is exactly `[[entity]]`, when no line starts with any
/// other table header and no multi-line string could hide such a line. One piece
/// (the whole text) otherwise. Each piece but the first starts with its header; the
/// first holds whatever precedes the first header.
fn pieces(text: &str, size: usize) -> Vec<(usize, usize)> {
    let whole = vec![(0, text.len())];
    if text.len() < 2 * size || text.contains("\"\"\"") || text.contains("'''") {
        return whole;
    }
    let mut cuts = vec![0];
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if line.starts_with('[') {
            if line.trim_end() != "[[entity]]" {
                return whole;
            }
            if cuts.last().is_some_and(|&c| at - c >= size) {
                cuts.push(at);
            }
        }
        at += line.len();
    }
    cuts.push(text.len());
    cuts.windows(2)
        .filter_map(|w| match w {
            [a, b] => Some((*a, *b)),
            _ => None,
        })
        .collect()
}

/// [`parse_toml`] in one piece.
fn parse_toml_whole(text: &str) -> (Vec<(Entity, Span)>, Vec<TextProblem>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    let root = match DeTable::parse(text) {
        Ok(t) => t,
        Err(e) => {
            problems.push(TextProblem {
                offset: e.span().map(|s| s.start).unwrap_or(0),
                message: format!("TOML syntax: {}", e.message().trim()),
            });
            return (out, problems);
        }
    };
    // Taken apart, not cloned: each entry's tree is handed to serde as it is.
    for (key, value) in root.into_inner() {
        if key.get_ref().as_ref() != "entity" {
            problems.push(TextProblem {
                offset: key.span().start,
                message: format!(
                    "unknown top-level key `{}`: a gazetteer file holds only [[entity]] tables",
                    key.get_ref().as_ref()
                ),
            });
            continue;
        }
        let value_at = value.span().start;
        let DeValue::Array(items) = value.into_inner() else {
            problems.push(TextProblem {
                offset: value_at,
                message: "`entity` must be an array of tables: write each entry under [[entity]]"
                    .into(),
            });
            continue;
        };
        let items: Vec<_> = items.into_iter().collect();
        let starts: Vec<usize> = items.iter().map(|i| i.span().start).collect();
        for (n, item) in items.into_iter().enumerate() {
            // An `[[entity]]` item's own span is its header: the entry runs from there
            // to the next header (or the end of the file), less trailing blank lines.
            let start = item.span().start;
            let next = starts
                .get(n + 1)
                .copied()
                .filter(|&s| s > start)
                .unwrap_or(text.len());
            let end = start + text.get(start..next).map_or(0, |s| s.trim_end().len());
            let span = Span::new(start, end.max(item.span().end));
            if let DeValue::Table(t) = item.get_ref() {
                for (k, _) in t.iter() {
                    let name = k.get_ref().as_ref();
                    if !ENTITY_KEYS.contains(&name) {
                        problems.push(TextProblem {
                            offset: k.span().start,
                            message: format!(
                                "unknown key `{name}` in an entity (known: {})",
                                ENTITY_KEYS.join(", ")
                            ),
                        });
                    }
                }
                // A typo inside a name or a role (`sytem`, `form`) would be lost too.
                for (field, known) in [("names", NAME_KEYS), ("roles", ROLE_KEYS)] {
                    let Some(list) = t.get(field).and_then(|v| v.get_ref().as_array()) else {
                        continue;
                    };
                    for entry in list.iter() {
                        let DeValue::Table(sub) = entry.get_ref() else {
                            continue;
                        };
                        for (k, _) in sub.iter() {
                            let name = k.get_ref().as_ref();
                            if !known.contains(&name) {
                                problems.push(TextProblem {
                                    offset: k.span().start,
                                    message: format!(
                                        "unknown key `{name}` in an entry of `{field}` (known: {})",
                                        known.join(", ")
                                    ),
                                });
                            }
                        }
                    }
                }
            }
            match Entity::deserialize(ValueDeserializer::from(item)) {
                Ok(e) => out.push((e, span)),
                Err(e) => problems.push(TextProblem {
                    offset: e.span().map(|s| s.start).unwrap_or(span.start),
                    message: format!("{} (this entry is skipped)", e.message().trim()),
                }),
            }
        }
    }
    (out, problems)
}

/// Parse the entities of a document's YAML front matter (the text between the `---`
/// lines): the `entities:` key holds a list of entries shaped like `[[entity]]`
/// tables. Other keys are the document's business and ignored.
pub fn from_front_matter(yaml: &str) -> (Vec<Entity>, Vec<TextProblem>) {
    let (v, p) = from_front_matter_spanned(yaml);
    (v.into_iter().map(|(e, _)| e).collect(), p)
}

/// The YAML parser's message without its ` at line L column C` (counted in the front
/// matter, not the file): the finding's own position is the file's.
fn without_yaml_positions(msg: &str) -> String {
    let mut out = String::new();
    let mut rest = msg;
    while let Some(at) = rest.find(" at line ") {
        out.push_str(&rest[..at]);
        let tail = &rest[at + " at line ".len()..];
        let digits = |s: &str| s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let n = digits(tail);
        let after = &tail[n..];
        match after.strip_prefix(" column ") {
            Some(c) if n > 0 => rest = &c[digits(c)..],
            _ => {
                out.push_str(" at line ");
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

/// As [`from_front_matter`], with each entity's byte span in `yaml` (from its list
/// item's `-` to the next item).
pub fn from_front_matter_spanned(yaml: &str) -> (Vec<(Entity, Span)>, Vec<TextProblem>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    if !yaml.contains("entities") {
        return (out, problems);
    }
    let value: serde_norway::Value = match serde_norway::from_str(yaml) {
        Ok(v) => v,
        Err(e) => {
            problems.push(TextProblem {
                offset: e.location().map(|l| l.index()).unwrap_or(0),
                message: format!(
                    "front matter is not valid YAML: {}",
                    without_yaml_positions(&e.to_string())
                ),
            });
            return (out, problems);
        }
    };
    let Some(list) = value.get("entities") else {
        return (out, problems);
    };
    let key_at = find_key(yaml, "entities").unwrap_or(0);
    let Some(items) = list.as_sequence() else {
        problems.push(TextProblem {
            offset: key_at,
            message: "`entities` must be a list of entries (each starting with `- id: …`)".into(),
        });
        return (out, problems);
    };
    let item_starts = list_item_starts(yaml, key_at);
    for (i, item) in items.iter().enumerate() {
        let start = item_starts.get(i).copied().unwrap_or(key_at);
        let end = item_starts
            .get(i + 1)
            .copied()
            .unwrap_or_else(|| block_end(yaml, start));
        if let Some(map) = item.as_mapping() {
            for k in map.keys() {
                let name = k.as_str().unwrap_or("");
                if !ENTITY_KEYS.contains(&name) {
                    problems.push(TextProblem {
                        offset: find_key_in(yaml, name, start, end).unwrap_or(start),
                        message: format!(
                            "unknown key `{name}` in an entity (known: {})",
                            ENTITY_KEYS.join(", ")
                        ),
                    });
                }
            }
        }
        match serde_norway::from_value::<Entity>(item.clone()) {
            Ok(e) => out.push((e, Span::new(start, end))),
            Err(e) => problems.push(TextProblem {
                offset: start,
                message: format!("entity {}: {e} (this entry is skipped)", i + 1),
            }),
        }
    }
    (out, problems)
}

/// Offset of a top-level `key:` at a line start.
fn find_key(yaml: &str, key: &str) -> Option<usize> {
    let mut pos = 0;
    for line in yaml.split_inclusive('\n') {
        if line.starts_with(key) && line[key.len()..].trim_start().starts_with(':') {
            return Some(pos);
        }
        pos += line.len();
    }
    None
}

fn find_key_in(yaml: &str, key: &str, start: usize, end: usize) -> Option<usize> {
    let region = yaml.get(start..end)?;
    let mut pos = start;
    for line in region.split_inclusive('\n') {
        let t = line.trim_start().trim_start_matches('-').trim_start();
        if t.starts_with(key) && t[key.len()..].trim_start().starts_with(':') {
            return Some(pos + (line.len() - t.len()));
        }
        pos += line.len();
    }
    None
}

/// Offsets of the `-` of each list item directly under the key at `key_at`.
fn list_item_starts(yaml: &str, key_at: usize) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut pos = key_at;
    let mut indent: Option<usize> = None;
    let rest = yaml.get(key_at..).unwrap_or("");
    for (n, line) in rest.split_inclusive('\n').enumerate() {
        if n > 0 {
            let trimmed = line.trim_start_matches(' ');
            let ind = line.len() - trimmed.len();
            if trimmed.trim().is_empty() || trimmed.starts_with('#') {
                pos += line.len();
                continue;
            }
            if trimmed.starts_with("- ") || trimmed.trim_end() == "-" {
                match indent {
                    None => {
                        indent = Some(ind);
                        starts.push(pos + ind);
                    }
                    Some(i) if i == ind => starts.push(pos + ind),
                    _ => {}
                }
            } else if ind == 0 {
                break;
            }
        }
        pos += line.len();
    }
    starts
}

/// End of the list block starting at `start` (the next top-level key, or the end).
fn block_end(yaml: &str, start: usize) -> usize {
    let mut pos = start;
    let rest = yaml.get(start..).unwrap_or("");
    for (n, line) in rest.split_inclusive('\n').enumerate() {
        if n > 0 && !line.starts_with([' ', '-', '#', '\n', '\r', '\t']) {
            return pos;
        }
        pos += line.len();
    }
    yaml.len()
}

/// True when `rel` (relative to `base`) stays inside `base`: no absolute path, no
/// `..` climbing out, no symlink leading out (checked when the file exists).
pub fn inside_workspace(base: &Path, rel: &Path) -> Option<PathBuf> {
    if rel.is_absolute() || rel.has_root() {
        return None;
    }
    let mut depth: i64 = 0;
    for c in rel.components() {
        match c {
            Component::ParentDir => depth -= 1,
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            _ => return None,
        }
        if depth < 0 {
            return None;
        }
    }
    let joined = base.join(rel);
    if let (Ok(b), Ok(j)) = (base.canonicalize(), joined.canonicalize())
        && !j.starts_with(&b)
    {
        return None;
    }
    Some(joined)
}

/// One project gazetteer file as read: its path as `gazetteers` gives it, and its
/// place and text, or the problem that kept it from being read.
#[derive(Clone, Debug)]
pub struct Source {
    pub rel: PathBuf,
    pub read: Result<(PathBuf, String), FileProblem>,
}

/// Read the project's gazetteer files (`gazetteers` in `annalist.toml`, relative to
/// `config_dir`), in order; a file outside the workspace or unreadable is a problem
/// on the configuration file.
pub fn read_project(config_dir: &Path, cfg: &Config) -> Vec<Source> {
    let config_file = config_dir.join(crate::config::CONFIG_FILE);
    let problem = |message: String| FileProblem {
        path: config_file.clone(),
        line: 1,
        column: 1,
        message,
    };
    cfg.gazetteers
        .iter()
        .map(|rel| {
            let read = match inside_workspace(config_dir, rel) {
                None => Err(problem(format!(
                    "gazetteer `{}` is outside the workspace ({}): only files under the directory of annalist.toml are read",
                    rel.display(),
                    config_dir.display()
                ))),
                Some(path) => match std::fs::read_to_string(&path) {
                    Ok(text) => Ok((path, text)),
                    Err(e) => Err(problem(format!(
                        "cannot read gazetteer `{}`: {e} (check `gazetteers` in annalist.toml)",
                        rel.display()
                    ))),
                },
            };
            Source {
                rel: rel.clone(),
                read,
            }
        })
        .collect()
}

/// The embedded gazetteer plus the project's gazetteer files (`gazetteers` in
/// `annalist.toml`, relative to `config_dir`). Entries with an id already known
/// replace it; new ids are added. Problems carry the file, line and column.
pub fn load_project(config_dir: &Path, cfg: &Config) -> (Gazetteer, Vec<FileProblem>) {
    load_sources(&read_project(config_dir, cfg))
}

/// [`load_project`] from the files as [`read_project`] read them.
pub fn load_sources(sources: &[Source]) -> (Gazetteer, Vec<FileProblem>) {
    let mut g = Gazetteer::embedded();
    let mut problems = Vec::new();
    for source in sources {
        let (path, text) = match &source.read {
            Ok(read) => read,
            Err(p) => {
                problems.push(p.clone());
                continue;
            }
        };
        let (entities, mut ps) = parse_toml(text);
        ps.extend(validate(text, &entities));
        ps.sort_by_key(|p| p.offset);
        problems.extend(ps.into_iter().map(|p| file_problem(path, text, p)));
        for (e, span) in entities {
            g.merge(
                e,
                Some(Origin {
                    file: Some(path.clone()),
                    span,
                }),
            );
        }
    }
    (g, problems)
}

pub fn file_problem(path: &Path, text: &str, p: TextProblem) -> FileProblem {
    let (line, column) = line_col(text, p.offset.min(text.len()));
    FileProblem {
        path: path.to_path_buf(),
        line,
        column,
        message: p.message,
    }
}

/// Names too common to mean one entity when they stand alone; never recognised and
/// flagged by `annalist gazetteer check`. (Surnames shared by millions: Kim, Lee,
/// Park…; a surname such as "Stalin" or "Shtykov" is distinctive and fine.)
pub const TOO_AMBIGUOUS: &[&str] = &[
    "kim",
    "lee",
    "li",
    "yi",
    "park",
    "pak",
    "bak",
    "choe",
    "choi",
    "chae",
    "jung",
    "chung",
    "kang",
    "cho",
    "jo",
    "han",
    "yun",
    "yoon",
    "jang",
    "chang",
    "lim",
    "im",
    "shin",
    "sin",
    "o",
    "oh",
    "wang",
    "zhang",
    "liu",
    "chen",
    "yang",
    "zhao",
    "huang",
    "zhou",
    "wu",
    "xu",
    "sun",
    "hu",
    "zhu",
    "gao",
    "lin",
    "he",
    "guo",
    "ma",
    "luo",
    "peng",
    "chou",
    "chu",
    "north",
    "south",
    "east",
    "west",
    "the",
    "party",
    "army",
    "government",
    "embassy",
];

/// What `annalist gazetteer check` finds beyond parsing: duplicate ids, one name
/// given to two entities, malformed dates, empty or too ambiguous names.
/// `text` is the file the spans point into: problems point at the offending value.
pub fn validate(text: &str, entities: &[(Entity, Span)]) -> Vec<TextProblem> {
    let mut problems = Vec::new();
    let mut ids: foldhash::HashMap<&str, usize> = foldhash::HashMap::default();
    let mut names: foldhash::HashMap<&str, (&str, bool)> = foldhash::HashMap::default();
    // Folding the names is most of the work: done first, in parallel.
    let folded: Vec<Vec<String>> = {
        use rayon::prelude::*;
        entities
            .par_iter()
            .map(|(e, _)| {
                all_names(e)
                    .map(|(n, _)| crate::prose::fold::fold_name(n))
                    .collect()
            })
            .collect()
    };
    for ((e, span), keys) in entities.iter().zip(&folded) {
        let at = span.start;
        let p = |m: String| TextProblem {
            offset: at,
            message: m,
        };
        let p_at = |needle: &str, m: String| TextProblem {
            offset: locate(text, *span, needle),
            message: m,
        };
        if e.id.trim().is_empty() {
            problems.push(p("an entity has an empty `id`".into()));
        } else if !e
            .id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            problems.push(p(format!(
                "id `{}`: use lowercase ASCII letters, digits and hyphens (e.g. `kim-il-sung`)",
                e.id
            )));
        }
        if let Some(prev) = ids.insert(e.id.as_str(), at) {
            let (line, _) = line_col(text, prev.min(text.len()));
            problems.push(p(format!(
                "duplicate id `{}` (first defined on line {line}); ids must be unique in a file",
                e.id
            )));
        }
        if e.preferred.trim().is_empty() {
            problems.push(p(format!("`{}`: the preferred name is empty", e.id)));
        }
        let mut own: Vec<&str> = Vec::new();
        for ((n, ambiguous), key) in all_names(e).zip(keys) {
            if n.trim().is_empty() {
                problems.push(p_at(n, format!("`{}`: a name is empty", e.id)));
                continue;
            }
            let key = key.as_str();
            if own.contains(&key) {
                continue;
            }
            own.push(key);
            if let Some((other, other_ambiguous)) = names.get(key) {
                if *other != e.id && !(ambiguous && *other_ambiguous) {
                    problems.push(p_at(n, format!(
                        "the name `{n}` is given to both `{other}` and `{}`: a mention could not be told apart; keep it on one entity, or mark it `ambiguous = true` on both",
                        e.id
                    )));
                }
            } else {
                names.insert(key, (e.id.as_str(), ambiguous));
            }
        }
        let mut dates: Vec<(&str, &str)> = Vec::new();
        if let Some(s) = &e.start {
            dates.push(("start", s));
        }
        if let Some(s) = &e.end {
            dates.push(("end", s));
        }
        for r in &e.roles {
            if r.title.trim().is_empty() {
                problems.push(p(format!("`{}`: a role has an empty title", e.id)));
            }
            if let Some(s) = &r.from {
                dates.push(("role from", s));
            }
            if let Some(s) = &r.to {
                dates.push(("role to", s));
            }
        }
        for (what, d) in dates {
            if let Err(m) = edtf::parse(d) {
                problems.push(p_at(d, format!("`{}`: {what} date {m}", e.id)));
            }
        }
        if let (Some(s), Some(t)) = (&e.start, &e.end)
            && let (Ok(a), Ok(b)) = (edtf::parse(s), edtf::parse(t))
            && a.earliest > b.latest
        {
            problems.push(p(format!("`{}`: ends ({t}) before it starts ({s})", e.id)));
        }
        if let Some(w) = &e.wikidata {
            let ok = w.strip_prefix('Q').is_some_and(|d| {
                !d.is_empty() && d.chars().all(|c| c.is_ascii_digit()) && !d.starts_with('0')
            });
            if !ok {
                problems.push(p_at(
                    w,
                    format!(
                        "`{}`: wikidata `{w}` is not a Wikidata item id (Q followed by digits)",
                        e.id
                    ),
                ));
            }
        }
    }
    problems
}

/// Warnings for `annalist gazetteer check`: names that will not be recognised because
/// they are too ambiguous alone, and names shared with a different entity of the
/// embedded gazetteer (the file's entry would win in recognition).
pub fn warnings(text: &str, entities: &[(Entity, Span)], embedded: &Gazetteer) -> Vec<TextProblem> {
    let mut out = Vec::new();
    let mut builtin: HashMap<String, &str> = HashMap::new();
    for e in &embedded.entities {
        for (n, ambiguous) in all_names(e) {
            if !ambiguous {
                builtin.insert(crate::prose::fold::fold_name(n), e.id.as_str());
            }
        }
    }
    for (e, span) in entities {
        for (n, ambiguous) in all_names(e) {
            let key = crate::prose::fold::fold_name(n);
            if ambiguous {
                continue;
            }
            if TOO_AMBIGUOUS.contains(&key.as_str()) {
                out.push(TextProblem {
                    offset: locate(text, *span, n),
                    message: format!(
                        "`{}`: the name `{n}` is too ambiguous alone and will not be recognised; give a fuller form",
                        e.id
                    ),
                });
            }
            if let Some(other) = builtin.get(&key)
                && *other != e.id
            {
                out.push(TextProblem {
                    offset: locate(text, *span, n),
                    message: format!(
                        "`{}`: the name `{n}` is also the built-in entity `{other}`'s; this entry will win where it is loaded. If both are the same, use the id `{other}` to override it",
                        e.id
                    ),
                });
            }
        }
    }
    out
}

/// Every name of an entity (preferred, variants, native) with its `ambiguous` mark.
pub(crate) fn all_names(e: &Entity) -> impl Iterator<Item = (&str, bool)> {
    std::iter::once((e.preferred.as_str(), false))
        .chain(e.names.iter().map(|n| (n.text.as_str(), n.ambiguous)))
        .chain(e.native.iter().map(|s| (s.as_str(), false)))
}

/// Where a quoted value (`"needle"`, or the bare needle) is written inside `span`
/// of `text`; the span's start when it cannot be found.
fn locate(text: &str, span: Span, needle: &str) -> usize {
    let Some(region) = text.get(span.start..span.end.min(text.len())) else {
        return span.start;
    };
    for q in [
        format!("\"{needle}\""),
        format!("'{needle}'"),
        needle.to_string(),
    ] {
        if let Some(i) = region.find(&q) {
            return span.start + i;
        }
    }
    span.start
}

#[cfg(test)]
mod piece_tests {
    use super::*;

    /// `n` entries with names, a role and a native name, about 200 bytes each.
    fn entries(n: usize) -> String {
        let mut t = String::from("# a project gazetteer\n\n");
        for i in 0..n {
            t.push_str(&format!(
                "[[entity]]\nid = \"e{i}\"\nkind = \"person\"\npreferred = \"Name{i} Surname{i}\"\nnames = [{{ text = \"Surname{i}\", system = \"conventional\" }}]\nnative = [\"Имя{i}\"]\nroles = [{{ title = \"Clerk\", from = \"1950\" }}]\nstart = 1901\n\n"
            ));
        }
        t
    }

    #[test]
    fn pieces_parse_as_the_whole_file() {
        let text = entries(12_000);
        let cut = pieces(&text, PIECE);
        assert!(cut.len() > 2, "{} pieces", cut.len());
        // The pieces tile the text, each after the first starting with a header.
        assert_eq!(cut.first().map(|c| c.0), Some(0));
        assert_eq!(cut.last().map(|c| c.1), Some(text.len()));
        for w in cut.windows(2) {
            assert_eq!(w[0].1, w[1].0);
            assert!(text[w[1].0..].starts_with("[[entity]]\n"));
        }
        let (whole, whole_problems) = parse_toml_whole(&text);
        let (parallel, problems) = parse_toml(&text);
        assert!(whole_problems.is_empty() && problems.is_empty());
        assert_eq!(whole.len(), 12_000);
        assert_eq!(parallel, whole);
    }

    #[test]
    fn a_problem_in_a_piece_gives_the_whole_files_problems() {
        for broken in [
            // An unknown key: the entry loads, with a problem.
            "[[entity]]\nid = \"odd\"\nkind = \"person\"\npreferred = \"Odd One\"\nsytem = 1\n\n",
            // A missing field: the entry is skipped.
            "[[entity]]\nid = \"odd\"\npreferred = \"Odd One\"\n\n",
            // A syntax error: the file is lost.
            "[[entity]]\nid = \"odd\nkind = \"person\"\n\n",
        ] {
            let mut text = entries(6_000);
            text.push_str(broken);
            text.push_str(&entries(6_000));
            assert!(pieces(&text, PIECE).len() > 2);
            let whole = parse_toml_whole(&text);
            assert!(!whole.1.is_empty());
            assert_eq!(parse_toml(&text), whole);
        }
    }

    #[test]
    fn files_that_may_not_be_cut_are_one_piece() {
        let big = entries(12_000);
        for odd in [
            "[entity.extra]\nx = 1\n",
            "[[entity]] # a comment\nid = \"x\"\n",
            "[[entity]]\nid = \"x\"\ndescription = '''\n[[entity]]\n'''\n",
            "[[entity]]\nid = \"x\"\ndescription = \"\"\"\n[[entity]]\n\"\"\"\n",
        ] {
            let text = format!("{big}{odd}{big}");
            assert_eq!(pieces(&text, PIECE), vec![(0, text.len())], "{odd}");
        }
        assert_eq!(pieces("[[entity]]\n", PIECE), vec![(0, 11)]);
    }
}
