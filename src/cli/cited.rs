//! `annalist cited FILE [--format table|json|bibtex]`: the works a document cites, in
//! order of first citation, with their formatted references (or their BibTeX).

use crate::analysis::{Context, Knowledge, analyze_at};
use crate::citations::{self, Place};
use clap::{Args, ValueEnum};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Key, short form, times cited, reference.
    #[default]
    Table,
    /// `{"works": [{key, cited, first_line, found, authors, year, title, reference, file}]}`.
    Json,
    /// The cited entries as BibTeX (the .bib source where there is one).
    Bibtex,
}

#[derive(Args, Debug)]
pub struct CitedArgs {
    /// The Markdown file.
    pub file: PathBuf,
    /// Output format.
    #[arg(long, short, value_enum, default_value_t)]
    pub format: Format,
}

/// The document analysed as `check` analyses it: its configuration, its bibliographies.
pub fn analyze_file(
    file: &std::path::Path,
    what: &str,
) -> Result<(crate::analysis::Analysis, crate::config::Config), ExitCode> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        eprintln!("annalist {what}: cannot read {}: {e}", file.display());
        ExitCode::from(2)
    })?;
    let loaded = crate::config::load_for(file, &crate::rules::codes());
    for p in &loaded.problems {
        eprintln!("annalist {what}: {p}");
    }
    let config_dir = loaded
        .path
        .as_ref()
        .and_then(|p| p.parent())
        .map(|p| p.to_path_buf());
    let knowledge = match &config_dir {
        Some(dir) => crate::cli::check::knowledge_for(&loaded.config, dir, None).0,
        None => Knowledge::embedded_shared(),
    };
    let ctx = Context {
        config: &loaded.config,
        knowledge: &knowledge,
    };
    let place = Place {
        doc: Some(file),
        root: config_dir.as_deref(),
    };
    let a = analyze_at(Arc::from(text.as_str()), None, &ctx, &place, None);
    Ok((a, loaded.config.clone()))
}

pub fn run(args: CitedArgs) -> ExitCode {
    let (a, config) = match analyze_file(&args.file, "cited") {
        Ok(x) => x,
        Err(code) => return code,
    };
    let c = &a.citations;
    let style = config.citation_style.as_str();
    let mut out = String::new();
    let keys = c.keys_in_order();
    match args.format {
        Format::Table => {
            for k in &keys {
                let n = c.cites.iter().filter(|x| x.key == *k).count();
                match c.lookup(k) {
                    Some((_, e)) => {
                        let _ = writeln!(
                            out,
                            "{k}\t{}\t{n}×\t{}",
                            e.short(),
                            citations::reference(e, style)
                        );
                    }
                    None => {
                        let _ = writeln!(out, "{k}\t?\t{n}×\t(in no bibliography)");
                    }
                }
            }
        }
        Format::Json => {
            let works: Vec<serde_json::Value> = keys
                .iter()
                .map(|k| {
                    let n = c.cites.iter().filter(|x| x.key == *k).count();
                    let first = c.cites.iter().find(|x| x.key == *k).map(|x| {
                        a.lines
                            .position(&a.text, x.key_span.start, crate::position::Encoding::Chars)
                            .line
                            + 1
                    });
                    match c.lookup(k) {
                        Some((b, e)) => serde_json::json!({
                            "key": k, "cited": n, "first_line": first, "found": true,
                            "authors": e.authors, "year": e.year, "title": e.title,
                            "type": e.kind,
                            "reference": citations::reference(e, style),
                            "file": b.path.display().to_string(), "line": e.line,
                        }),
                        None => serde_json::json!({
                            "key": k, "cited": n, "first_line": first, "found": false,
                        }),
                    }
                })
                .collect();
            out = serde_json::to_string_pretty(&serde_json::json!({ "works": works }))
                .unwrap_or_default();
            out.push('\n');
        }
        Format::Bibtex => {
            for k in &keys {
                match c.lookup(k) {
                    Some((b, e)) => {
                        let is_bib = b
                            .path
                            .extension()
                            .is_some_and(|x| x.eq_ignore_ascii_case("bib"));
                        let src = std::fs::read_to_string(&b.path).unwrap_or_default();
                        match src.get(e.span.start..e.span.end) {
                            Some(s) if is_bib && !s.is_empty() => {
                                let _ = writeln!(out, "{s}\n");
                            }
                            _ => {
                                let _ = writeln!(out, "{}\n", to_bibtex(e));
                            }
                        }
                    }
                    None => {
                        let _ = writeln!(out, "% {k}: in no bibliography\n");
                    }
                }
            }
        }
    }
    print!("{out}");
    ExitCode::SUCCESS
}

/// A minimal BibTeX entry for a CSL item.
fn to_bibtex(e: &citations::Entry) -> String {
    let kind = match e.kind.as_str() {
        "book" => "book",
        "article-journal" | "article" | "article-magazine" | "article-newspaper" => "article",
        "chapter" => "incollection",
        "report" => "techreport",
        "paper-conference" => "inproceedings",
        _ => "misc",
    };
    let mut s = format!("@{kind}{{{},", e.key);
    if !e.authors.is_empty() {
        let _ = write!(s, "\n  author = {{{}}},", e.authors.join(" and "));
    }
    if let Some(t) = &e.title {
        let _ = write!(s, "\n  title = {{{t}}},");
    }
    if let Some(y) = &e.year {
        let _ = write!(s, "\n  year = {{{y}}},");
    }
    s.push_str("\n}");
    s
}
