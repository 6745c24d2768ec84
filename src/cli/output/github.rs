//! `--format github`: GitHub Actions workflow commands, which become annotations on
//! the pull request's diff.
//!
//! `::warning file=P,line=L,col=C,endLine=L,endColumn=C,title=CODE::MESSAGE`;
//! errors are `::error`, infos and hints `::notice`. Data is escaped as the runner
//! expects (`%` `\r` `\n`), properties also escape `:` and `,`.

use super::{PathProblem, Report};
use crate::finding::Severity;
use std::io::{self, Write};

/// Escape a command's message.
pub fn escape_data(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => o.push_str("%25"),
            '\r' => o.push_str("%0D"),
            '\n' => o.push_str("%0A"),
            _ => o.push(c),
        }
    }
    o
}

/// Escape a command's property value: as a message, and `:` and `,` too.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Hint => "notice",
    }
}

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    for f in &report.files {
        let file = escape_property(&f.path);
        for d in &f.diagnostics {
            let mut message = d.message.clone();
            if let Some(fix) = d.fixes.first() {
                message.push_str("\nhelp: ");
                message.push_str(&fix.title);
            }
            writeln!(
                out,
                "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}",
                command(d.severity),
                file,
                d.range.start.line,
                d.range.start.column,
                d.range.end.line,
                d.range.end.column,
                escape_property(d.code),
                escape_data(&message)
            )?;
        }
    }
    for p in &report.problems {
        write_problem(p, out)?;
    }
    Ok(())
}

fn write_problem(p: &PathProblem, out: &mut dyn Write) -> io::Result<()> {
    let at = match &p.kind {
        super::ProblemKind::Config { line, column, .. } => format!(",line={line},col={column}"),
        _ => String::new(),
    };
    writeln!(
        out,
        "::{} file={}{at},title={}::{}",
        if p.is_fatal() { "error" } else { "warning" },
        escape_property(&p.path),
        escape_property("annalist"),
        escape_data(&p.message())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_runner_expects() {
        assert_eq!(escape_data("50% a\r\nb: c,d"), "50%25 a%0D%0Ab: c,d");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}

#[cfg(test)]
mod report_tests {
    use super::*;
    use crate::cli::output::sample_report;

    #[test]
    fn one_line_per_finding_and_problem() {
        let mut buf = Vec::new();
        write(&sample_report(), &mut buf).unwrap_or_else(|e| panic!("{e}"));
        let out = String::from_utf8(buf).unwrap_or_default();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3, "{out}");
        assert!(lines[0].starts_with(
            "::warning file=dir/a b.md,line=3,col=5,endLine=3,endColumn=7,title=name-ocr::"
        ));
        assert!(
            lines[0].contains("100%25%0Ahelp: Replace with `Il`"),
            "{}",
            lines[0]
        );
        assert!(lines[1].starts_with("::notice ") && lines[1].ends_with("line one%0Aline two"));
        assert!(lines[2].starts_with("::warning file=bad.md,title=annalist::not UTF-8"));
    }
}
