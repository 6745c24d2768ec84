//! Rules of the claims family: `unsourced-claim`, and `suppression-unknown-code` for
//! suppression comments that silence nothing.

use super::Rule;
use crate::claims::{Claim, ClaimKind};
use crate::config::ClaimScope;
use crate::facts::{Analysis, Context};
use crate::finding::{Edit, Finding, Fix, Severity, Span};
use crate::notes::NoteStyle;

pub static RULES: &[Rule] = &[
    Rule {
        code: "unsourced-claim",
        default_severity: Severity::Warning,
        summary: "A direct quotation, dated statement or block quotation with no note marker citing its source",
        doc: UNSOURCED_DOC,
        fix_is_safe: false,
    },
    Rule {
        code: "suppression-unknown-code",
        default_severity: Severity::Hint,
        summary: "A suppression comment names a rule or directive that does not exist, so it silences nothing",
        doc: SUPPRESSION_DOC,
        fix_is_safe: false,
    },
];

const UNSOURCED_DOC: &str = r#"# unsourced-claim (warning)

A sentence quotes someone, or reports what someone said or decided on a precise day or
month, and no note marker tells the reader where it comes from.

## Why

A quotation or a dated statement is the kind of claim a reader checks first. In an
annotated transcription every such sentence should lead to a note: a footnote `[^3]`,
an inline note `^[…]`, or a numbered endnote `(3)`, `[3]`, `¹`.

## How it decides

Only paragraphs and list items are read: not headings, tables, code, HTML, front
matter, footnote definitions, the Notes section, nor sections whose short heading (four
words at most) names notes or sources: Notes, References, Select bibliography, Sources
used, Works cited, Further reading, Archives, Abbreviations. The paragraph is cut
into sentences (abbreviations such as Dr., Gen., e.g., vol., Jan. and initials such as
"J. Stalin" do not end a sentence; nor does punctuation inside a quotation).

A sentence is a claim when it holds:

1. **A direct quotation**: at least four words between paired quotation marks
   (`"…"`, `“…”`, `‘…’`, `«…»`). Not claims (near-misses):
   - scare quotes and quoted words: one to three words (`a "limited war"`);
   - titles: after *titled*, *entitled*, *conference on*, *book*, *article*, *report*,
     *called*, *known as*, *the slogan*…, or written in Title Case
     (`"The Korean War, An Assessment of the Historical Record"`);
   - the text of a link (`["A Title"](https://…)`);
   - a gloss or translation filling a parenthesis (`*pukchin* ("the march north")`);
   - quotation marks inside code.
2. **A dated statement**: a date naming a day or a month (`17 April 1949`,
   `April 1950`, `1949-04-17`; a bare year is not enough) and a reporting or decision
   verb with an agent: *informed, told, said, wrote, complained, rejected, ordered,
   replied, requested, approved, decided, cabled, instructed, agreed, warned,
   confirmed, demanded, proposed, declared, announced, reported, refused, vetoed…*
   Not claims (near-misses): the passive without an agent ("the plan was approved" —
   but "was approved by Stalin" is one), the verb as an adjective ("the agreed plan"),
   verbs of events rather than statements ("the troops crossed"), a verb quoted inside
   the quotation marks.
3. **A block quotation**: a `>` block quote of four words or more with no attribution
   line (`— Kim Il Sung`, `-- Pravda, 5 May 1950`, on its last line or the line after
   it, or after the last sentence: `… by other means. — Clausewitz`). Callouts
   (`> [!NOTE]`, `> **Note:** …`, "Editor's note") are not quotations, and a quote
   standing right under a heading is the document the heading names.

## Coverage

With `[claims] scope = "paragraph"` (the default) a note marker covers every claim
before it in its paragraph since the previous marker — the habit of endnoted prose,
where one `(5)` at the end of a paragraph sources all of it. A line break without a
blank line does not start a new paragraph. With `scope = "sentence"`, only a marker in
the same sentence counts. A block quotation is covered by a marker inside it, in the
sentence that introduces it ("Stalin replied (9):"), or in a short citation paragraph
right after it that starts with `(` or `[`.

An author–date citation in parentheses counts as a marker: `(Weathersby 1995, 23)`,
`(see Cumings 1990: 45–50)`, `(Stalin to Shtykov, 30 January 1950)`, or a year after an
author's name, `Bajanov (1995a)`. It must start with a capital (after an optional
"see", "cf.", "quoted in"), hold a year and stay short; `(on 30 January 1950)`,
`(14 September 1949)` and life dates `(1912–1994)` are not citations.

The finding underlines the quotation, or the date and the verb — not the paragraph.

## How to fix

Add a note marker citing the source at the end of the sentence. The quick fix inserts
the next free footnote label `[^n]` there and an empty definition `[^n]: ` at the end
of the document, for you to fill in.

## How to silence

When the source is given in the prose itself, or the quotation is proverbial:

```markdown
<!-- annalist-disable-next-line unsourced-claim -- cited in the paragraph before -->
Kim said: "We believe that the situation makes it necessary to liberate the country."
```

or set `unsourced-claim = "off"` (or `"hint"`) under `[rules]` in `annalist.toml`.

## Examples

Fires:

```markdown
On 17 April 1949, Stalin informed his ambassador of an imminent attack.
Kim told Shtykov: "I can't sleep at night because I am thinking of unification."
```

Does not fire:

```markdown
On 17 April 1949, Stalin informed his ambassador of an imminent attack. (3)
The article was presented to the conference on "The Korean War, An Assessment of the Historical Record".
The so-called "peace-loving forces" were not consulted.
In 1949 Stalin refused to sign a treaty.
```
"#;

const SUPPRESSION_DOC: &str = r#"# suppression-unknown-code (hint)

A suppression comment names a rule code that no rule has, or a directive that does not
exist, so it silences nothing — usually a typo.

## Suppression comments

```markdown
<!-- annalist-disable-next-line unsourced-claim -->     the next non-blank line
<!-- annalist-disable-line footnote-unused -->          this line
<!-- annalist-disable name-variant -->                  from here…
<!-- annalist-enable name-variant -->                   …to here (or to the end)
```

With no code a directive applies to every rule; several codes are separated by spaces
or commas; `--` starts a free reason. Directives work in list items, block quotes,
indented footnote definitions and CRLF files; inside code they are only examples.

## How it decides

Every code is looked up among the rules that `annalist rules` lists; the directive
word must be one of the four above.

## How to fix

Correct the code (the quick fix offers the closest known code when there is one), or
remove the comment. `annalist rules` lists every code.
"#;

pub fn check(a: &Analysis, ctx: &Context, out: &mut Vec<Finding>) {
    unsourced(a, ctx, out);
    unknown_codes(a, out);
}

fn unsourced(a: &Analysis, ctx: &Context, out: &mut Vec<Finding>) {
    let uncovered: Vec<&Claim> = a.claims.iter().filter(|c| !c.covered).collect();
    if uncovered.is_empty() {
        return;
    }
    let text: &str = &a.text;
    let n = next_footnote_number(a);
    let scope = match ctx.config.claims.scope {
        ClaimScope::Paragraph => "in its paragraph",
        ClaimScope::Sentence => "in its sentence",
    };
    for c in uncovered {
        let message = match c.kind {
            ClaimKind::Quotation { .. } => format!(
                "Direct quotation without a source: no note marker follows it {scope}. Add a note marker citing where the words come from, e.g. [^{n}]."
            ),
            ClaimKind::DatedStatement { date, verb } => format!(
                "Dated statement without a source: “{}” on {} reports what was said or decided, but no note marker follows it {scope}. Add a note marker citing the document, e.g. [^{n}].",
                verb.slice(text),
                date.slice(text)
            ),
            ClaimKind::BlockQuotation { .. } => format!(
                "Block quotation without a source: it has no attribution line and no note marker. Add a note marker at its end citing the source, e.g. [^{n}], or an attribution line such as “— Author, Title”."
            ),
        };
        out.push(
            Finding::new("unsourced-claim", Severity::Warning, c.evidence, message)
                .with_fix(footnote_fix(text, c.insert_at, n)),
        );
    }
}

/// The next free numeric footnote label: one more than the largest `[^n]` in use.
fn next_footnote_number(a: &Analysis) -> u64 {
    let from_notes = a
        .notes
        .markers
        .iter()
        .filter(|m| m.style == NoteStyle::Footnote)
        .map(|m| m.label.as_str())
        .chain(
            a.notes
                .definitions
                .iter()
                .filter(|d| d.style == NoteStyle::Footnote)
                .map(|d| d.label.as_str()),
        )
        .filter_map(|l| l.trim().parse::<u64>().ok());
    // The text itself too, so the fix is right whatever the note layer saw.
    let from_text = a.text.match_indices("[^").filter_map(|(i, _)| {
        let rest = a.text.get(i + 2..)?;
        let end = rest.find(']')?;
        rest.get(..end)?.trim().parse::<u64>().ok()
    });
    from_notes
        .chain(from_text)
        .max()
        .map(|m| m.saturating_add(1))
        .unwrap_or(1)
}

/// Insert `[^n]` at `at` and an empty `[^n]: ` definition at the end of the text.
fn footnote_fix(text: &str, at: usize, n: u64) -> Fix {
    let nl = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let lead = if text.is_empty() || text.ends_with(&format!("{nl}{nl}")) {
        ""
    } else if text.ends_with('\n') {
        nl
    } else {
        // Two: end the last line, then a blank one.
        "\n\n"
    };
    let lead = if lead == "\n\n" && nl == "\r\n" {
        "\r\n\r\n"
    } else {
        lead
    };
    let end = text.len();
    Fix {
        title: format!("Add footnote [^{n}] here and an empty definition at the end"),
        edits: vec![
            Edit {
                span: Span::new(at, at),
                new_text: format!("[^{n}]"),
            },
            Edit {
                span: Span::new(end, end),
                new_text: format!("{lead}[^{n}]: {nl}"),
            },
        ],
        safe: false,
    }
}

/// Codes the engine emits that are not rules of their own.
const ENGINE_CODES: &[&str] = &["analysis-limited"];

fn unknown_codes(a: &Analysis, out: &mut Vec<Finding>) {
    if !a.text.contains("<!--") {
        return;
    }
    let known: Vec<&str> = super::all()
        .iter()
        .map(|r| r.code)
        .chain(ENGINE_CODES.iter().copied())
        .collect();
    for d in crate::suppress::directives(&a.text) {
        if d.kind.is_none() {
            let name = d.name.slice(&a.text);
            let mut f = Finding::new(
                "suppression-unknown-code",
                Severity::Hint,
                d.name,
                format!(
                    "Unknown suppression directive `{name}`: this comment silences nothing. Use annalist-disable-next-line, annalist-disable-line, annalist-disable or annalist-enable."
                ),
            );
            let directives = [
                "annalist-disable-next-line",
                "annalist-disable-line",
                "annalist-disable",
                "annalist-enable",
            ];
            if let Some(s) = closest(name, &directives) {
                f = f.with_fix(replace_fix(d.name, s));
            }
            out.push(f);
            continue;
        }
        for (code, span) in &d.codes {
            if known.contains(&code.as_str()) {
                continue;
            }
            let suggestion = closest(code, &known);
            let hint = match suggestion {
                Some(s) => format!(" Did you mean `{s}`?"),
                None => " `annalist rules` lists every code.".to_string(),
            };
            let mut f = Finding::new(
                "suppression-unknown-code",
                Severity::Hint,
                *span,
                format!(
                    "Unknown rule code `{code}` in a suppression comment: it silences nothing.{hint}"
                ),
            );
            if let Some(s) = suggestion {
                f = f.with_fix(replace_fix(*span, s));
            }
            out.push(f);
        }
    }
}

fn replace_fix(span: Span, with: &str) -> Fix {
    Fix {
        title: format!("Replace with `{with}`"),
        edits: vec![Edit {
            span,
            new_text: with.to_string(),
        }],
        safe: false,
    }
}

/// The single closest candidate within a small edit distance, if unambiguous.
fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let limit = (word.chars().count() / 4).clamp(1, 3);
    let mut best: Option<(usize, &str)> = None;
    let mut tie = false;
    for c in candidates {
        let d = levenshtein(word, c);
        if d > limit {
            continue;
        }
        match best {
            Some((bd, _)) if d > bd => {}
            Some((bd, _)) if d == bd => tie = true,
            _ => {
                best = Some((d, c));
                tie = false;
            }
        }
    }
    if tie { None } else { best.map(|(_, c)| c) }
}

fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        if let Some(c0) = cur.first_mut() {
            *c0 = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            if let Some(c) = cur.get_mut(j + 1) {
                *c = sub.min(del).min(ins);
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze_str;
    use crate::claims::tests::{test_dates, test_notes};
    use crate::config::{Claims, Config};
    use crate::facts::Knowledge;
    use crate::finding::apply_edits;

    /// Analyse with the test stand-ins for the note layer and the date recogniser, then
    /// run this family's rules and the suppression filter.
    fn run(text: &str, scope: ClaimScope) -> Vec<Finding> {
        let mut a = analyze_str(text);
        a.notes = test_notes(text);
        let cfg = Claims { scope };
        a.claims = crate::claims::find(text, &a.md, &a.notes, &test_dates(text), &cfg);
        let config = Config {
            claims: cfg,
            ..Config::default()
        };
        let knowledge = Knowledge::embedded();
        let ctx = Context {
            config: &config,
            knowledge: &knowledge,
        };
        let mut out = Vec::new();
        check(&a, &ctx, &mut out);
        crate::suppress::filter(text, out)
    }

    fn lines_of(text: &str, fs: &[Finding], code: &str) -> Vec<usize> {
        fs.iter()
            .filter(|f| f.code == code)
            .map(|f| crate::config::line_col(text, f.span.start).0)
            .collect()
    }

    #[test]
    fn bajanov_is_quiet() {
        let t = include_str!("../../fixtures/bajanov-1995.md");
        let fs = run(t, ClaimScope::Paragraph);
        assert!(fs.is_empty(), "{fs:#?}");
    }

    #[test]
    fn clean_fixture_is_quiet() {
        let t = include_str!("../../fixtures/claims/clean.md");
        let fs = run(t, ClaimScope::Paragraph);
        assert!(fs.is_empty(), "{fs:#?}");
        // With scope = "sentence" the 7 March quotation, sourced by the (4) at the end
        // of its paragraph, is no longer covered; nothing else changes.
        let fs = run(t, ClaimScope::Sentence);
        let got: Vec<&str> = fs.iter().map(|f| f.span.slice(t)).collect();
        assert_eq!(
            got,
            vec![
                "\"We believe that the situation makes it necessary and possible to liberate the whole country through military means.\""
            ]
        );
    }

    /// Each planted problem in unsourced.md is on the line after a `<!-- PLANTED: why -->`
    /// comment; nothing else may fire.
    #[test]
    fn unsourced_fixture_fires_on_planted_lines_only() {
        let t = include_str!("../../fixtures/claims/unsourced.md");
        let fs = run(t, ClaimScope::Paragraph);
        let want: Vec<usize> = t
            .lines()
            .enumerate()
            .filter(|(_, l)| l.starts_with("<!-- PLANTED"))
            .map(|(i, _)| i + 2)
            .collect();
        let mut got = lines_of(t, &fs, "unsourced-claim");
        got.dedup();
        assert_eq!(got, want, "{fs:#?}");
        let unknown = lines_of(t, &fs, "suppression-unknown-code");
        assert_eq!(unknown.len(), 1, "{fs:#?}");
    }

    #[test]
    fn fix_inserts_marker_and_definition() {
        let cases: &[(&str, &str)] = &[
            (
                "On 17 April 1949, Stalin informed his ambassador.\n",
                "On 17 April 1949, Stalin informed his ambassador.[^1]\n\n[^1]: \n",
            ),
            (
                "A.[^4]\n\nKim said \"we are ready to go now\" to Stalin.\n\n[^4]: Source.\n",
                "A.[^4]\n\nKim said \"we are ready to go now\" to Stalin.[^5]\n\n[^4]: Source.\n\n[^5]: \n",
            ),
            (
                "Kim said \"we are ready to go now\" to Stalin.",
                "Kim said \"we are ready to go now\" to Stalin.[^1]\n\n[^1]: \n",
            ),
            (
                "Kim said \"we are ready to go now\" to Stalin.\r\n\r\n",
                "Kim said \"we are ready to go now\" to Stalin.[^1]\r\n\r\n[^1]: \r\n",
            ),
            (
                "> We must be ready to fight at any hour.\n> Every hour.\n",
                "> We must be ready to fight at any hour.\n> Every hour.[^1]\n\n[^1]: \n",
            ),
        ];
        for (input, want) in cases {
            let fs = run(input, ClaimScope::Paragraph);
            let f = fs
                .iter()
                .find(|f| f.code == "unsourced-claim")
                .unwrap_or_else(|| panic!("no finding in {input:?}"));
            let fix = f.fixes.first().map(|x| x.edits.clone()).unwrap_or_default();
            assert_eq!(apply_edits(input, &fix), *want, "fixing {input:?}");
        }
    }

    #[test]
    fn messages_name_the_kind() {
        let t = "On 17 April 1949, Stalin informed his ambassador.\n";
        let fs = run(t, ClaimScope::Paragraph);
        assert_eq!(fs.len(), 1);
        let f = &fs[0];
        assert!(f.message.contains("Dated statement"), "{}", f.message);
        assert!(f.message.contains("informed"), "{}", f.message);
        assert_eq!(f.span.slice(t), "17 April 1949, Stalin informed");
        assert_eq!(f.severity, Severity::Warning);
    }

    #[test]
    fn unknown_codes_table() {
        // (text, expected (span text, suggested replacement))
        type Case<'a> = (&'a str, &'a [(&'a str, Option<&'a str>)]);
        let cases: &[Case] = &[
            (
                "<!-- annalist-disable-next-line unsourced-claim -->\nx\n",
                &[],
            ),
            (
                "<!-- annalist-disable-next-line analysis-limited -->\nx\n",
                &[],
            ),
            (
                "<!-- annalist-disable-next-line unsoursed-claim -->\nx\n",
                &[("unsoursed-claim", Some("unsourced-claim"))],
            ),
            (
                "<!-- annalist-disable no-such-thing, unsourced-claim -->\nx\n",
                &[("no-such-thing", None)],
            ),
            (
                "<!-- annalist-disabel-next-line -->\nx\n",
                &[(
                    "annalist-disabel-next-line",
                    Some("annalist-disable-next-line"),
                )],
            ),
            ("```\n<!-- annalist-disable nonsense -->\n```\n", &[]),
            ("<!-- ordinary comment nonsense -->\n", &[]),
        ];
        for (input, want) in cases {
            let fs = run(input, ClaimScope::Paragraph);
            let got: Vec<(&str, Option<&str>)> = fs
                .iter()
                .filter(|f| f.code == "suppression-unknown-code")
                .map(|f| {
                    let rep = f
                        .fixes
                        .first()
                        .and_then(|x| x.edits.first())
                        .map(|e| e.new_text.as_str());
                    (f.span.slice(input), rep)
                })
                .collect();
            assert_eq!(&got, want, "in {input:?}");
        }
    }

    #[test]
    fn suppression_silences_unsourced_claims() {
        let t = "<!-- annalist-disable-next-line unsourced-claim -->\n\
                 On 17 April 1949, Stalin informed his ambassador.\n\n\
                 On 18 April 1949, Stalin informed his ambassador again.\n";
        let fs = run(t, ClaimScope::Paragraph);
        assert_eq!(lines_of(t, &fs, "unsourced-claim"), vec![4]);
    }

    #[test]
    fn edit_distance() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("", "abc"), 3);
        assert_eq!(
            closest("unsourced-clam", &["unsourced-claim", "x"]),
            Some("unsourced-claim")
        );
        assert_eq!(closest("zzz", &["unsourced-claim"]), None);
    }
}
