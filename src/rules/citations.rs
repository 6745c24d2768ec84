//! Rules of the citations family: `citation-undefined`, `citation-duplicate-key`,
//! `citation-unused`, `bibliography-problem`. The facts are in
//! [`crate::citations::DocCitations`] (`Analysis::citations`).

use super::Rule;
use crate::config::Level;
use crate::facts::{Analysis, Context};
use crate::finding::{Edit, Finding, Fix, Severity, Span};

pub static RULES: &[Rule] = &[
    Rule {
        code: "citation-undefined",
        default_severity: Severity::Error,
        summary: "A Pandoc citation [@key] names a key that no bibliography of the document defines",
        doc: UNDEFINED_DOC,
        fix_is_safe: false,
    },
    Rule {
        code: "citation-duplicate-key",
        default_severity: Severity::Warning,
        summary: "A bibliography defines the same key twice; the second entry is ignored",
        doc: DUPLICATE_DOC,
        fix_is_safe: false,
    },
    Rule {
        code: "citation-unused",
        default_severity: Severity::Info,
        summary: "A bibliography entry this document never cites (off unless configured)",
        doc: UNUSED_DOC,
        fix_is_safe: false,
    },
    Rule {
        code: "bibliography-problem",
        default_severity: Severity::Warning,
        summary: "A bibliography cannot be read, lies outside the workspace, or has entries that cannot be parsed",
        doc: PROBLEM_DOC,
        fix_is_safe: false,
    },
];

const UNDEFINED_DOC: &str = r#"# citation-undefined (error)

A Pandoc citation names a key that none of the document's bibliographies defines, so
Pandoc would print the key in bold with a question mark instead of a reference.

## How it decides

Citations are Pandoc's: `[@key]`, `[@key, p. 33]`, `[see @a, 3; @b]`, `[-@key]`
(author suppressed), in-text `@key` and `@key [p. 33]`, braced keys `@{key}`. Keys may
hold `:`, `.`, `-`, `_` inside; punctuation at the end is not part of the key. Nothing
in code, URLs, HTML or front matter is read; an `@` right after a letter or digit is an
e-mail address (`name@example.org`), and an in-text `@handle` inside double quotation
marks that no bibliography defines is taken for a handle, not reported.

The bibliographies are the front matter's `bibliography:` (a path or a list, relative
to the document) and `bibliographies = [...]` in `annalist.toml` (relative to it). BibTeX
and BibLaTeX (`.bib`), CSL JSON (`.json`) and CSL YAML (`.yaml`, `.yml`) are read.

**When the document has no bibliography at all, this rule says nothing**: the keys
may be resolved elsewhere (a Zotero plugin, a later Pandoc run).

## How to fix

Correct the key — the message names the closest key when one is near (edit distance),
and the quick fix replaces it — or add the work to the bibliography.

## Example

```markdown
---
bibliography: article.bib
---
Stalin's reply is quoted in [@bajanov1995, 3].   <!-- fine -->
Stalin's reply is quoted in [@bajanov1959, 3].   <!-- citation-undefined: did you mean bajanov1995? -->
```
"#;

const DUPLICATE_DOC: &str = r#"# citation-duplicate-key (warning)

A bibliography defines the same key twice. Pandoc (citeproc) uses one of them; Annalist
uses the first and reports the second, so a citation may not point to the work you
meant.

## How it decides

Within each bibliography file the keys are compared exactly. The finding is placed on
the document's first citation of the key (or on the bibliography's line in the front
matter, or at the top) and names the file, line and column of the second entry.

## How to fix

Rename one of the entries (Better BibTeX: pin a citation key), or delete the copy.

## Example

```bibtex
@article{bajanov1995, author = {Bajanov, Evgueni}, title = {The Origins}, year = {1995}}
@article{bajanov1995, title = {Copy}, year = {1995}}
```

reports, on the document's first `[@bajanov1995]`: ``refs.bib:2:10: key `bajanov1995` is
defined a second time (first on line 1); the second entry is ignored.``
"#;

const UNUSED_DOC: &str = r#"# citation-unused (off unless configured)

A bibliography entry that the document never cites. Off by default: a shared
bibliography usually holds far more than one article cites. Switch it on with
`citation-unused = "info"` (or `"warning"`) under `[rules]` in `annalist.toml`.

## How it decides

Each key of each bibliography of the document is looked for among the document's
citations (document-scoped: a work cited only in another file counts as unused here).
A citation with `nocite` in the front matter is not understood.

## How to fix

Cite the work, or remove it from the bibliography.

## Example

With `citation-unused = "warning"` under `[rules]`, a `refs.bib` holding
`@book{unused2000, author = {Weathersby, Kathryn}, title = {Soviet Aims}, year = {1993}}`
that the document never cites gives, on its `bibliography:` line:
`` `unused2000` (Weathersby 1993) in refs.bib is never cited in this document.``
"#;

const PROBLEM_DOC: &str = r#"# bibliography-problem (warning)

A bibliography named by the front matter or by `annalist.toml` cannot be used as a
whole or in part:

- the file does not exist or cannot be read;
- the path leads outside the workspace (the directory of `annalist.toml`, or the
  document's directory when there is none): such files are not read;
- an entry cannot be parsed (unbalanced braces, a missing comma, broken JSON or YAML).
  In a `.bib` file each entry is parsed on its own, so a broken entry loses only itself;
  the message gives the file, line and column.

## How to fix

Correct the path or the entry the message points to.

## Example

```bibtex
@article{broken,
  author = {X
```

gives, on the document's `bibliography:` line, `refs.bib:15:1: this @article entry is
never closed (its braces do not balance); it is ignored`; the other entries still count.
"#;

pub fn check(a: &Analysis, ctx: &Context, out: &mut Vec<Finding>) {
    let c = &a.citations;
    if !c.configured() {
        return;
    }
    // Where to put findings about a bibliography as a whole.
    let anchor = |declared: Option<Span>| declared.unwrap_or(Span::new(0, 0));
    for s in &c.sources {
        if let Some(why) = &s.refused {
            out.push(Finding::new(
                "bibliography-problem",
                Severity::Warning,
                anchor(s.declared_at),
                format!("Bibliography `{}` is not used: {why}.", s.written),
            ));
        }
        if let Some(b) = &s.bib {
            for p in &b.problems {
                out.push(Finding::new(
                    "bibliography-problem",
                    Severity::Warning,
                    anchor(s.declared_at),
                    format!(
                        "{}:{}:{}: {}",
                        b.path.display(),
                        p.line,
                        p.column,
                        p.message
                    ),
                ));
            }
        }
    }
    // Undefined keys.
    let all_keys: Vec<&str> = c
        .bibs()
        .flat_map(|b| b.entries.iter().map(|e| e.key.as_str()))
        .collect();
    let known: std::collections::HashSet<&str> = all_keys.iter().copied().collect();
    for cite in &c.cites {
        if known.contains(cite.key.as_str()) || cite.in_quotes {
            continue;
        }
        let near = crate::citations::did_you_mean(&cite.key, known.iter().copied());
        let mut msg = format!(
            "Citation key `{}` is in none of this document's bibliographies.",
            cite.key
        );
        let mut f;
        match near {
            Some(k) => {
                msg.push_str(&format!(" Did you mean `{k}`?"));
                f = Finding::new("citation-undefined", Severity::Error, cite.key_span, msg);
                f = f.with_fix(Fix {
                    title: format!("Replace with `{k}`"),
                    edits: vec![Edit {
                        span: cite.key_span,
                        new_text: k.to_string(),
                    }],
                    safe: false,
                });
            }
            None => {
                msg.push_str(" Add the work to the bibliography or correct the key.");
                f = Finding::new("citation-undefined", Severity::Error, cite.key_span, msg);
            }
        }
        out.push(f);
    }
    // Duplicate keys, at the second entry.
    for s in &c.sources {
        let Some(b) = &s.bib else { continue };
        let mut first: std::collections::HashMap<&str, &crate::citations::Entry> =
            std::collections::HashMap::new();
        for e in &b.entries {
            match first.get(e.key.as_str()) {
                None => {
                    first.insert(e.key.as_str(), e);
                }
                Some(one) => {
                    let (l2, c2, l1) = (e.line, e.column, one.line);
                    let at = c
                        .cites
                        .iter()
                        .find(|x| x.key == e.key)
                        .map(|x| x.key_span)
                        .unwrap_or(anchor(s.declared_at));
                    out.push(Finding::new(
                        "citation-duplicate-key",
                        Severity::Warning,
                        at,
                        format!(
                            "{}:{l2}:{c2}: key `{}` is defined a second time (first on line {l1}); the second entry is ignored.",
                            b.path.display(),
                            e.key
                        ),
                    ));
                }
            }
        }
    }
    // Unused entries: only when switched on.
    if matches!(
        ctx.config.level("citation-unused"),
        Some(l) if l != Level::Off
    ) {
        let cited: std::collections::HashSet<&str> =
            c.cites.iter().map(|x| x.key.as_str()).collect();
        let mut seen = std::collections::HashSet::new();
        for s in &c.sources {
            let Some(b) = &s.bib else { continue };
            for e in &b.entries {
                if cited.contains(e.key.as_str()) || !seen.insert(e.key.as_str()) {
                    continue;
                }
                out.push(Finding::new(
                    "citation-unused",
                    Severity::Info,
                    anchor(s.declared_at),
                    format!(
                        "`{}` ({}) in {} is never cited in this document.",
                        e.key,
                        e.short(),
                        b.path
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default()
                    ),
                ));
            }
        }
    }
}
