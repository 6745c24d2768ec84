//! `--format junit`: JUnit XML, for the test-report views of GitLab, Jenkins, Azure.
//!
//! One `<testsuite>` per checked file. In it, one `<testcase>` per rule that has
//! findings at or above the failure threshold, with one `<failure>` listing them
//! (`line:column severity message`); a file with no such finding has one passing
//! `<testcase name="annalist check">`. Findings below the threshold are listed in the
//! suite's `<system-out>`, so the report agrees with the exit status. Paths that could
//! not be read are suites with an `<error>`.

use super::{Diagnostic, Report, reaches};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Escape text for XML 1.0 content and attribute values. Characters XML 1.0 cannot
/// carry at all (most C0 controls) become U+FFFD.
pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            '\t' | '\n' | '\r' => o.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => o.push('\u{FFFD}'),
            c => o.push(c),
        }
    }
    o
}

fn line(d: &Diagnostic) -> String {
    format!(
        "{}:{} {} {}: {}",
        d.range.start.line,
        d.range.start.column,
        d.severity.as_str(),
        d.code,
        d.message
    )
}

pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut body = String::new();
    let (mut tests, mut failures, mut errors) = (0usize, 0usize, 0usize);
    for f in &report.files {
        let path = escape(&f.path);
        let mut by_rule: BTreeMap<&str, Vec<&Diagnostic>> = BTreeMap::new();
        let mut below = Vec::new();
        for d in &f.diagnostics {
            if reaches(d.severity, report.threshold) {
                by_rule.entry(d.code).or_default().push(d);
            } else {
                below.push(line(d));
            }
        }
        let cases = by_rule.len().max(1);
        tests += cases;
        failures += by_rule.len();
        body.push_str(&format!(
            "  <testsuite name=\"{path}\" tests=\"{cases}\" failures=\"{}\" errors=\"0\" skipped=\"0\">\n",
            by_rule.len()
        ));
        if by_rule.is_empty() {
            body.push_str(&format!(
                "    <testcase name=\"annalist check\" classname=\"{path}\" file=\"{path}\"/>\n"
            ));
        }
        for (code, ds) in &by_rule {
            let first = ds.first().map(|d| d.message.as_str()).unwrap_or("");
            let message = if ds.len() == 1 {
                first.to_string()
            } else {
                format!("{} findings; first: {first}", ds.len())
            };
            let text: Vec<String> = ds.iter().map(|d| line(d)).collect();
            body.push_str(&format!(
                "    <testcase name=\"{}\" classname=\"{path}\" file=\"{path}\">\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>\n",
                escape(code),
                escape(code),
                escape(&message),
                escape(&text.join("\n"))
            ));
        }
        if !below.is_empty() {
            body.push_str(&format!(
                "    <system-out>{}</system-out>\n",
                escape(&below.join("\n"))
            ));
        }
        body.push_str("  </testsuite>\n");
    }
    for p in &report.problems {
        let path = escape(&p.path);
        tests += 1;
        let fatal = p.is_fatal();
        if fatal {
            errors += 1;
        }
        let tag = if fatal { "error" } else { "skipped" };
        body.push_str(&format!(
            "  <testsuite name=\"{path}\" tests=\"1\" failures=\"0\" errors=\"{}\" skipped=\"{}\">\n    <testcase name=\"annalist check\" classname=\"{path}\" file=\"{path}\">\n      <{tag} message=\"{}\"/>\n    </testcase>\n  </testsuite>\n",
            usize::from(fatal),
            usize::from(!fatal),
            escape(&p.message())
        ));
    }
    write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"annalist check\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">\n{body}</testsuites>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_controls() {
        assert_eq!(escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
        assert_eq!(escape("x\u{1}y\tz"), "x\u{FFFD}y\tz");
    }
}

#[cfg(test)]
mod report_tests {
    use super::*;
    use crate::cli::output::sample_report;
    use crate::finding::Severity;

    #[test]
    fn failures_follow_the_threshold() {
        let mut r = sample_report();
        let mut buf = Vec::new();
        write(&r, &mut buf).unwrap_or_else(|e| panic!("{e}"));
        let out = String::from_utf8(buf).unwrap_or_default();
        assert!(!out.contains("<failure"), "{out}");
        assert!(
            out.contains("&quot;quoted&quot; &lt;b&gt; &amp; 100%"),
            "{out}"
        );
        assert!(out.contains("<skipped message=\"not UTF-8"), "{out}");
        r.threshold = Severity::Warning;
        let mut buf = Vec::new();
        write(&r, &mut buf).unwrap_or_else(|e| panic!("{e}"));
        let out = String::from_utf8(buf).unwrap_or_default();
        assert_eq!(out.matches("<failure").count(), 1, "{out}");
        assert!(out.contains("<testcase name=\"name-ocr\" classname=\"dir/a b.md\""));
        assert!(
            out.contains("<system-out>1:1 hint analysis-limited: line one\nline two</system-out>"),
            "{out}"
        );
    }
}
