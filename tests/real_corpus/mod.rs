//! The real-text measure (issue #12), shared by `tests/real.rs` and
//! `examples/precision.rs`: the engine's findings on `fixtures/real/*.md`, computed as
//! `annalist check fixtures/real/` computes them (same configuration lookup, `[kinds]`,
//! cross-file comparison), and the classified table `fixtures/real/findings.tsv`.
#![allow(dead_code)]

use annalist::analysis::{self, Context, Knowledge};
use annalist::config;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One finding of the engine, in the TSV's terms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub code: String,
    pub severity: String,
    pub message: String,
    /// The first fix is safe.
    pub safe_fix: bool,
}

/// One row of findings.tsv.
#[derive(Clone, Debug)]
pub struct Row {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub code: String,
    pub severity: String,
    pub verdict: String,
    pub fix_rewrites_source: String,
    pub why: String,
    pub message: String,
}

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/real")
}

/// The corpus files, sorted by name.
pub fn files() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root())
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    v.retain(|p| p.extension().is_some_and(|x| x == "md"));
    v.sort();
    v
}

pub fn name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The rows of `fixtures/real/NAME` (header skipped, blank lines passed over) as
/// (0-based line index, cells); a row without exactly `columns` cells is an error
/// message naming its line.
pub fn tsv(name: &str, columns: usize) -> Result<Vec<(usize, Vec<String>)>, String> {
    let path = root().join(name);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut rows = Vec::new();
    for (i, l) in text.lines().enumerate().skip(1) {
        if l.trim().is_empty() {
            continue;
        }
        let c: Vec<String> = l.split('\t').map(String::from).collect();
        if c.len() != columns {
            return Err(format!(
                "{name}:{}: {} columns, want {columns}",
                i + 1,
                c.len()
            ));
        }
        rows.push((i, c));
    }
    Ok(rows)
}

/// Read findings.tsv (header skipped). Malformed rows are an error message.
pub fn read_tsv() -> Result<Vec<Row>, String> {
    let mut rows = Vec::new();
    for (i, c) in tsv("findings.tsv", 9)? {
        let num = |s: &str| {
            s.parse::<usize>()
                .map_err(|_| format!("findings.tsv:{}: not a number: {s}", i + 1))
        };
        rows.push(Row {
            file: c[0].clone(),
            line: num(&c[1])?,
            column: num(&c[2])?,
            code: c[3].clone(),
            severity: c[4].clone(),
            verdict: c[5].clone(),
            fix_rewrites_source: c[6].clone(),
            why: c[7].clone(),
            message: c[8].clone(),
        });
    }
    Ok(rows)
}

/// The engine's findings on the corpus, per file, as `annalist check fixtures/real/`.
pub fn engine() -> Vec<Found> {
    // `annalist check fixtures/real/` run from the repository root.
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let loaded = config::load_for(&dir, &annalist::rules::codes());
    let cfg = loaded.config;
    let config_dir = loaded
        .path
        .as_deref()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_else(|| dir.clone());
    let (knowledge, _problems) = Knowledge::for_project(&config_dir, &cfg);
    let ctx = Context {
        config: &cfg,
        knowledge: &knowledge,
    };
    let mut docs = Vec::new();
    for p in files() {
        let text = std::fs::read_to_string(&p).unwrap_or_default();
        let rel = p
            .strip_prefix(&config_dir)
            .map(|r| r.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let a = analysis::analyze_as(Arc::from(text.as_str()), None, &ctx, cfg.kind_for(&rel));
        docs.push((name(&p), a));
    }
    let ws: Vec<annalist::workspace::Doc> = docs
        .iter()
        .map(|(n, a)| annalist::workspace::Doc {
            path: n,
            text: &a.text,
            names: &a.names,
            shared: None,
        })
        .collect();
    let across = annalist::workspace::findings(&ws, &ctx);
    let mut out = Vec::new();
    for ((n, a), extra) in docs.iter().zip(across) {
        for f in a.findings.iter().chain(extra.iter()) {
            let (line, column) = config::line_col(&a.text, f.span.start);
            out.push(Found {
                file: n.clone(),
                line,
                column,
                code: f.code.to_string(),
                severity: f.severity.as_str().to_string(),
                message: f.message.clone(),
                safe_fix: f.fixes.first().is_some_and(|x| x.safe),
            });
        }
    }
    out.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.code).cmp(&(&b.file, b.line, b.column, &b.code))
    });
    out
}

/// The `kind:` of a corpus file's front matter ("?" when it has none).
pub fn kind_of(text: &str) -> String {
    let md = annalist::markdown::MdModel::parse(text);
    annalist::layers::front_matter_kind(text, &md)
        .map(|k| k.as_str().to_string())
        .unwrap_or_else(|| "?".into())
}

/// Words of the body (below the front matter), `<!-- … -->` comments left out, counted
/// like `wc -w`.
pub fn body_words(text: &str) -> usize {
    let body = match text.strip_prefix("---\n") {
        Some(rest) => rest.find("\n---\n").map(|i| &rest[i + 5..]).unwrap_or(text),
        None => text,
    };
    let mut s = String::new();
    let mut rest = body;
    while let Some(i) = rest.find("<!--") {
        s.push_str(&rest[..i]);
        s.push(' ');
        rest = match rest[i..].find("-->") {
            Some(j) => &rest[i + j + 3..],
            None => "",
        };
    }
    s.push_str(rest);
    s.split_whitespace().count()
}
