//! `unsourced-claim`: a direct quotation, dated statement or block quotation with no note
//! marker citing its source.

use super::Rule;
use crate::claims::{Claim, ClaimKind};
use crate::config::ClaimScope;
use crate::facts::{Analysis, Context};
use crate::finding::{Edit, Finding, Fix, Severity, Span};
use crate::notes::NoteStyle;

pub const RULE: Rule = Rule {
    code: "unsourced-claim",
    default_severity: Severity::Warning,
    summary: "A direct quotation, dated statement or block quotation with no note marker citing its source",
    doc: UNSOURCED_DOC,
    fix_is_safe: false,
};

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

pub(super) fn unsourced(a: &Analysis, claims: &[Claim], ctx: &Context, out: &mut Vec<Finding>) {
    let uncovered: Vec<&Claim> = claims.iter().filter(|c| !c.covered).collect();
    if uncovered.is_empty() {
        return;
    }
    let text: &str = &a.text;
    let n = next_footnote_number(a);
    // How the text ends, looked at once: each finding's fix appends there.
    let tail = crate::notes::Tail::of(text);
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
                .with_fix(footnote_fix(&tail, c.insert_at, n)),
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
    let from_text = memchr::memmem::find_iter(a.text.as_bytes(), b"[^").filter_map(|i| {
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
fn footnote_fix(tail: &crate::notes::Tail, at: usize, n: u64) -> Fix {
    let end = tail.end;
    Fix {
        title: format!("Add footnote [^{n}] here and an empty definition at the end"),
        edits: vec![
            Edit {
                span: Span::new(at, at),
                new_text: format!("[^{n}]"),
            },
            Edit {
                span: Span::new(end, end),
                new_text: tail.definition(&n.to_string()),
            },
        ],
        safe: false,
    }
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
        unsourced(&a, &a.claims, &ctx, &mut out);
        crate::rules::meta::check(&a, &mut out);
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
        let t = include_str!("../../../fixtures/bajanov-1995.md");
        let fs = run(t, ClaimScope::Paragraph);
        assert!(fs.is_empty(), "{fs:#?}");
    }
    #[test]
    fn clean_fixture_is_quiet() {
        let t = include_str!("../../../fixtures/claims/clean.md");
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
        let t = include_str!("../../../fixtures/claims/unsourced.md");
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
    fn suppression_silences_unsourced_claims() {
        let t = "<!-- annalist-disable-next-line unsourced-claim -->\n\
                 On 17 April 1949, Stalin informed his ambassador.\n\n\
                 On 18 April 1949, Stalin informed his ambassador again.\n";
        let fs = run(t, ClaimScope::Paragraph);
        assert_eq!(lines_of(t, &fs, "unsourced-claim"), vec![4]);
    }
}
