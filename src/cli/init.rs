//! `annalist init`: write a commented `annalist.toml` that documents every key.

use super::output::known_rules;
use crate::config::{CONFIG_FILE, Config};
use std::path::Path;
use std::process::ExitCode;

/// The commented template. Parsing it gives [`Config::default`].
pub fn template() -> String {
    let d = Config::default();
    let mut rules = String::new();
    for r in known_rules() {
        rules.push_str(&format!(
            "# {} = \"{}\"    # {}\n",
            r.code,
            r.default_severity.as_str(),
            r.summary
        ));
    }
    let quoted = |v: &[String]| {
        v.iter()
            .map(|s| format!("\"{s}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        r#"# annalist.toml: configuration for annalist, the language server and `annalist check`.
# The editor finds it by walking up from each document, `annalist check` by walking up
# from the current directory (or takes `--config FILE`). Every key is optional; the
# values below are the defaults. `annalist explain CODE` documents a rule.

# Paths `annalist check` skips, even when named on the command line: .gitignore-style
# patterns relative to this file's directory, e.g. ["drafts/", "*.draft.md", "/CHANGELOG.md"].
exclude = []

# File extensions treated as Markdown when `annalist check` walks a directory.
extensions = [{extensions}]

# More gazetteer files (persons, places, organisations, events), relative to this
# file; they must stay inside the workspace. Their entries add to the embedded one.
gazetteers = []

# Where the rule pages live, for the links in the editor and in SARIF; `{{code}}` is
# replaced by the rule's code. Unset: no links.
# docs_url = "https://example.org/annalist/docs/rules/{{code}}.md"

# Bibliographies (BibTeX/BibLaTeX .bib, CSL JSON .json, CSL YAML .yaml) for every
# document, relative to this file; they must stay inside the workspace. A document's
# front matter `bibliography:` adds its own. See docs/citations.md.
bibliographies = []

# The CSL style hover and `annalist cited` format references in: a style bundled with
# hayagriva, e.g. "chicago-notes", "chicago-author-date", "apa".
citation_style = "{citation_style}"

# A rule's severity: "error", "warning", "info", "hint", or "off" to silence it.
# `annalist check` fails on errors (lower the bar with `--deny warnings`).
# One-off silencing in a document: <!-- annalist-disable-next-line CODE -->.
[rules]
{rules}
# Which spelling wins when a name is written several ways. Unset: the system most of
# the document already uses.
[romanisation]
# korean = "mccune-reischauer"    # or "revised", "north-korean", "conventional"
# chinese = "pinyin"              # or "wade-giles", "postal", "conventional"
# russian = "bgn-pcgn"            # or "french", "german", "scholarly", "conventional"
# prefer = "majority"             # or "first": the first spelling used wins
# Also compare each gazetteer name's spelling across the files of a run (`check`) or of
# the editor's workspace: Seoul in one file and Sŏul in another.
across_files = true

# Claims that want a source: where a note marker must stand to cover a claim,
# "paragraph" (anywhere in the paragraph) or "sentence" (in the same sentence).
# Which documents are sources: glob (relative to this file) = "primary" (a source),
# "edition" (a source with an editor's notes) or "secondary" (your own prose). A
# document's front matter `kind:` wins. unsourced-claim judges only the writer's and
# the editor's words, and no fix that would change a source's words is safe.
[kinds]
# "sources/**" = "primary"
# "frus/**" = "edition"

[claims]
scope = "paragraph"

# Editor features; switch one off to coexist with another Markdown language server.
[features]
hover = {hover}              # notes, dates and people on hover
semantic_tokens = {semantic_tokens}    # colour for names, dates, note markers
inlay_hints = {inlay_hints}        # normalised dates beside the text
completion = {completion}         # note labels and gazetteer names
entities = {entities}           # recognise gazetteer names
dates = {dates}              # recognise and normalise dates

# Limits that keep the editor responsive on very large files.
[limits]
# Past this many bytes a document gets only its notes checked (analysis-limited).
max_document_bytes = {max_bytes}
# At most this many findings per document; the rest are counted in one analysis-limited finding.
max_findings = {max_findings}
"#,
        extensions = quoted(&d.extensions),
        citation_style = d.citation_style,
        rules = rules,
        hover = d.features.hover,
        semantic_tokens = d.features.semantic_tokens,
        inlay_hints = d.features.inlay_hints,
        completion = d.features.completion,
        entities = d.features.entities,
        dates = d.features.dates,
        max_bytes = d.limits.max_document_bytes,
        max_findings = d.limits.max_findings,
    )
}

/// Write the template to `dir/annalist.toml`; refuse to overwrite unless `force`.
pub fn init_in(dir: &Path, force: bool) -> Result<std::path::PathBuf, String> {
    let path = dir.join(CONFIG_FILE);
    if path.exists() && !force {
        return Err(format!(
            "{} already exists; pass --force to overwrite it",
            path.display()
        ));
    }
    std::fs::write(&path, template())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

pub fn init(force: bool) -> ExitCode {
    let dir = match std::env::current_dir() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("annalist init: {e}");
            return ExitCode::from(2);
        }
    };
    match init_in(&dir, force) {
        Ok(p) => {
            println!("wrote {}", p.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("annalist init: {e}");
            ExitCode::from(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key of a serialised default config, as dotted paths.
    fn keys(v: &toml::Value, prefix: &str, out: &mut Vec<String>) {
        if let Some(t) = v.as_table() {
            for (k, v) in t {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                if v.as_table().is_some_and(|t| t.is_empty()) {
                    out.push(format!("[{p}]"));
                } else if v.is_table() {
                    keys(v, &p, out);
                } else {
                    out.push(p);
                }
            }
        }
    }

    #[test]
    fn template_parses_to_the_defaults_and_documents_every_key() {
        let t = template();
        let parsed = Config::parse(&t, Path::new(CONFIG_FILE), &crate::rules::codes());
        assert_eq!(parsed, Ok(Config::default()), "{t}");
        let v = toml::Value::try_from(Config::default()).unwrap_or(toml::Value::Integer(0));
        let mut all = Vec::new();
        keys(&v, "", &mut all);
        assert!(all.len() > 10, "{all:?}");
        for k in all {
            if k.starts_with('[') {
                assert!(t.contains(&k), "{k}");
                continue;
            }
            let (section, key) = k.rsplit_once('.').unwrap_or(("", &k));
            if !section.is_empty() {
                assert!(t.contains(&format!("[{section}]")), "{section}");
            }
            assert!(t.contains(&format!("{key} =")), "{k} is not documented");
        }
        // Optional keys, absent from the serialised defaults.
        for k in ["korean", "chinese", "russian", "prefer"] {
            assert!(t.contains(&format!("# {k} = ")), "{k}");
        }
    }

    #[test]
    fn refuses_to_overwrite_without_force() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        assert!(init_in(dir.path(), false).is_ok());
        std::fs::write(dir.path().join(CONFIG_FILE), "x = 1").unwrap_or_else(|e| panic!("{e}"));
        assert!(init_in(dir.path(), false).is_err());
        assert_eq!(
            std::fs::read_to_string(dir.path().join(CONFIG_FILE)).unwrap_or_default(),
            "x = 1"
        );
        assert!(init_in(dir.path(), true).is_ok());
    }
}
