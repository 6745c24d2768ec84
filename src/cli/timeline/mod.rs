//! `annalist timeline FILE|- [--format table|json|csv|svg|html] [-o OUT]`: the
//! document's dated events in chronological order. The events, their human dates, gists
//! and the picture's geometry come from `ide::timeline`; this module reads the input,
//! picks the format and writes it out (`svg.rs` draws the layout).

mod svg;

pub use svg::svg;

use crate::analysis::analyze;
use crate::facts::{Context, Knowledge};
use crate::ide::timeline::{self, Timeline, layout::date_line};
use clap::{Args, ValueEnum};
use std::fmt::Write as _;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned columns for the terminal.
    Table,
    /// `{"events": [...], "left_out": [...]}`.
    Json,
    /// One row per event, with a header.
    Csv,
    /// A self-contained vertical timeline picture.
    Svg,
    /// A self-contained page: the picture and a table.
    Html,
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Svg => "svg",
            Format::Html => "html",
        }
    }

    /// The format an output file's extension asks for: `.svg .html .htm .json .csv`,
    /// and `.txt .md` for the table.
    pub fn from_extension(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "svg" => Format::Svg,
            "html" | "htm" => Format::Html,
            "json" => Format::Json,
            "csv" => Format::Csv,
            "txt" | "md" | "text" => Format::Table,
            _ => return None,
        })
    }
}

#[derive(Args, Debug)]
pub struct TimelineArgs {
    /// The Markdown file, or `-` for standard input.
    pub file: PathBuf,
    /// Output format [default: from the extension of `-o`, else table].
    #[arg(long, short, value_enum)]
    pub format: Option<Format>,
    /// Write to this file instead of standard output (`.svg`, `.html`, `.json`, `.csv`,
    /// `.txt`/`.md` choose the format when `--format` is absent).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

/// The format to write: `--format`, else the output file's extension, else the table.
/// An explicit format that contradicts the extension is an error that says what to do.
pub fn choose_format(format: Option<Format>, output: Option<&Path>) -> Result<Format, String> {
    let by_ext = output.and_then(Format::from_extension);
    match (format, by_ext, output) {
        (Some(f), Some(e), Some(path)) if f != e => Err(format!(
            "--format {} does not match the output file {} (which asks for {}): drop --format, or name the file with .{}",
            f.name(),
            path.display(),
            e.name(),
            match f {
                Format::Table => "txt",
                other => other.name(),
            }
        )),
        (Some(f), _, _) => Ok(f),
        (None, Some(e), _) => Ok(e),
        (None, None, _) => Ok(Format::Table),
    }
}

pub fn run(args: TimelineArgs) -> ExitCode {
    let format = match choose_format(args.format, args.output.as_deref()) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("annalist timeline: {e}");
            return ExitCode::from(2);
        }
    };
    let stdin = args.file.as_os_str() == "-";
    let text = if stdin {
        let mut t = String::new();
        match std::io::stdin().read_to_string(&mut t) {
            Ok(_) => t,
            Err(e) => {
                eprintln!("annalist timeline: cannot read standard input: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        match std::fs::read_to_string(&args.file) {
            Ok(t) => t,
            Err(e) => {
                eprintln!(
                    "annalist timeline: cannot read {}: {e}",
                    args.file.display()
                );
                return ExitCode::from(2);
            }
        }
    };
    // Standard input is governed by the configuration of the current directory.
    let anchor = if stdin {
        PathBuf::from("stdin.md")
    } else {
        args.file.clone()
    };
    let loaded = crate::config::load_for(&anchor, &crate::rules::codes());
    for p in &loaded.problems {
        eprintln!("annalist timeline: {p}");
    }
    // The project's gazetteers too, as `annalist check` and the server load them.
    let knowledge = match loaded.path.as_ref().and_then(|p| p.parent()) {
        Some(dir) => {
            let (k, problems) = crate::cli::check::knowledge_for(&loaded.config, dir, None);
            for p in &problems {
                eprintln!("annalist timeline: {p}");
            }
            k
        }
        None => Knowledge::embedded_shared(),
    };
    let ctx = Context {
        config: &loaded.config,
        knowledge: &knowledge,
    };
    let a = analyze(Arc::from(text.as_str()), None, &ctx);
    let t = timeline::build(&a, &ctx);
    let title =
        a.md.headings
            .first()
            .map(|h| h.text.clone())
            .unwrap_or_else(|| {
                if stdin {
                    "standard input".to_string()
                } else {
                    args.file.display().to_string()
                }
            });
    let out = match format {
        Format::Table => table(&t),
        Format::Json => json(&t),
        Format::Csv => csv(&t),
        Format::Svg => svg(&t, &title),
        Format::Html => html(&t, &title),
    };
    if format != Format::Table && format != Format::Json {
        for l in &t.left_out {
            eprintln!(
                "annalist timeline: left out `{}` (line {}): {}",
                l.surface, l.line, l.reason
            );
        }
    }
    match &args.output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, out) {
                eprintln!("annalist timeline: cannot write {}: {e}", path.display());
                return ExitCode::from(2);
            }
        }
        None => print!("{out}"),
    }
    ExitCode::SUCCESS
}

/// Aligned columns: the date as a historian writes it (with notes), its EDTF value, the
/// line, and the gist.
pub fn table(t: &Timeline) -> String {
    let dates: Vec<String> = t.events.iter().map(date_line).collect();
    let w = dates
        .iter()
        .map(|d| d.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    let we = t
        .events
        .iter()
        .map(|e| e.edtf.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    let mut s = format!("{:w$}  {:we$}  {:>5}  EVENT\n", "DATE", "EDTF", "LINE");
    for (e, d) in t.events.iter().zip(&dates) {
        let _ = writeln!(s, "{d:w$}  {:we$}  {:>5}  {}", e.edtf, e.line, e.gist);
    }
    if !t.left_out.is_empty() {
        s.push_str("\nNot events:\n");
        for l in &t.left_out {
            let _ = writeln!(s, "  {} (line {}): {}", l.surface, l.line, l.reason);
        }
    }
    s
}

pub fn json(t: &Timeline) -> String {
    let v = json_value(t);
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

/// The timeline as JSON (the shape is [`Timeline`]'s serde form, shared with the
/// server's `annalist/timeline` request).
pub fn json_value(t: &Timeline) -> serde_json::Value {
    serde_json::to_value(t).unwrap_or(serde_json::Value::Null)
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub fn csv(t: &Timeline) -> String {
    let mut s = String::from(
        "date,human,covers,start,end,precision,line,surface,gist,text,actors,places,notes\n",
    );
    for e in &t.events {
        let row = [
            e.edtf.clone(),
            e.human.clone(),
            e.covers.clone().unwrap_or_default(),
            e.start.to_string(),
            e.end.to_string(),
            e.precision.as_str().to_string(),
            e.line.to_string(),
            e.surface.clone(),
            e.gist.clone(),
            e.text.clone(),
            e.actors.join("; "),
            e.places.join("; "),
            e.notes.join("; "),
        ];
        let row: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
        s.push_str(&row.join(","));
        s.push('\n');
    }
    s
}

/// XML/HTML escaping, shared with the JUnit writer.
pub(crate) fn esc(s: &str) -> String {
    crate::cli::output::junit::escape(s)
}

/// A self-contained page: the timeline picture and a table of events.
pub fn html(t: &Timeline, title: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{} — timeline</title>",
        esc(title)
    );
    s.push_str(
        "<style>
body{font-family:Georgia,'Times New Roman',serif;background:#fdfbf6;color:#222;margin:2em auto;max-width:1240px;padding:0 1em}
h1{font-weight:normal;font-size:1.5em}
.pic{overflow:auto;max-height:none;border:1px solid #e4dfd2;background:#fdfbf6}
.pic svg{max-width:100%;height:auto;display:block}
table{border-collapse:collapse;width:100%;margin-top:1.5em;font-size:.95em}
th,td{border-bottom:1px solid #e4dfd2;padding:.35em .6em;text-align:left;vertical-align:top}
th{font-weight:normal;color:#666;border-bottom:2px solid #ccc}
td.h{white-space:nowrap}
td.e{min-width:16em}
td.s{min-width:22em}
td.d{white-space:nowrap;color:#777;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em}
.muted{color:#777}
</style>
</head>
<body>
",
    );
    let _ = writeln!(s, "<h1>{} — timeline</h1>", esc(title));
    s.push_str("<div class=\"pic\">\n");
    s.push_str(&svg(t, title));
    s.push_str("</div>\n<table>\n<thead><tr><th>Date</th><th>EDTF</th><th>Line</th><th>Event</th><th>Sentence</th><th>Actors</th><th>Places</th><th>Notes</th></tr></thead>\n<tbody>\n");
    for e in &t.events {
        let _ = writeln!(
            s,
            "<tr><td class=\"h\">{}{}{}</td><td class=\"d\">{}</td><td>{}</td><td class=\"e\">{}</td><td class=\"s muted\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&e.human),
            e.covers
                .as_ref()
                .map(|c| format!(" <span class=\"muted\">({})</span>", esc(c)))
                .unwrap_or_default(),
            if e.inferred_year {
                " <span class=\"muted\">(year inferred)</span>"
            } else {
                ""
            },
            esc(&e.edtf),
            e.line,
            esc(&e.gist),
            esc(&e.text),
            esc(&e.actors.join(", ")),
            esc(&e.places.join(", ")),
            esc(&e.notes.join(", "))
        );
    }
    s.push_str("</tbody>\n</table>\n");
    if !t.left_out.is_empty() {
        s.push_str("<p class=\"muted\">Not events: ");
        let items: Vec<String> = t
            .left_out
            .iter()
            .map(|l| format!("{} (line {}: {})", esc(&l.surface), l.line, esc(&l.reason)))
            .collect();
        s.push_str(&items.join("; "));
        s.push_str(".</p>\n");
    }
    s.push_str("</body>\n</html>\n");
    s
}
