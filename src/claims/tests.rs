//! Tables of cases for the claims layer.

use super::*;

/// The real note layer over a text, for the tests. Texts in these tables cite
/// "(n)" endnotes without printing their Notes section: one is appended (after
/// the text, so offsets are unchanged) and only the text's own markers are kept.
pub(crate) fn test_notes(text: &str) -> Notes {
    let mut full = format!("{text}\n\n## Notes\n\n");
    for n in 1..=20 {
        full.push_str(&format!("{n}. Source {n}.\n"));
    }
    let mut notes = crate::notes::analyze(&full, &crate::markdown::MdModel::parse(&full));
    notes.markers.retain(|m| m.span.end <= text.len());
    notes.definitions.retain(|d| d.span.end <= text.len());
    notes.notes_section = None;
    notes
}

/// A stand-in for the date recogniser in tests: "D Month YYYY", "Month D, YYYY",
/// "Month YYYY", "YYYY".
pub(crate) fn test_dates(text: &str) -> Vec<Span> {
    let mut toks: Vec<(usize, &str)> = Vec::new();
    let mut cur: Option<usize> = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        if c.is_alphanumeric() {
            if cur.is_none() {
                cur = Some(i);
            }
        } else if let Some(s) = cur.take() {
            toks.push((s, text.get(s..i).unwrap_or("")));
        }
    }
    let year = |w: &str| w.len() == 4 && w.bytes().all(|c| c.is_ascii_digit());
    let day = |w: &str| w.len() <= 2 && w.bytes().all(|c| c.is_ascii_digit());
    let mut out = Vec::new();
    let mut k = 0;
    while let Some(&(s, w)) = toks.get(k) {
        let t1 = toks.get(k + 1).map(|t| t.1).unwrap_or("");
        let t2 = toks.get(k + 2).map(|t| t.1).unwrap_or("");
        let end = |n: usize| toks.get(k + n).map(|t| t.0 + t.1.len()).unwrap_or(0);
        if (day(w) && month_number(t1).is_some() || month_number(w).is_some() && day(t1))
            && year(t2)
        {
            out.push(Span::new(s, end(2)));
            k += 3;
        } else if month_number(w).is_some() && year(t1) {
            out.push(Span::new(s, end(1)));
            k += 2;
        } else if year(w) {
            out.push(Span::new(s, s + 4));
            k += 1;
        } else {
            k += 1;
        }
    }
    out
}

pub(crate) fn claims_of(text: &str, scope: ClaimScope) -> Vec<Claim> {
    let md = MdModel::parse(text);
    let notes = test_notes(text);
    find(text, &md, &notes, &test_dates(text), &Claims { scope })
}

fn sentence_texts(text: &str) -> Vec<String> {
    let md = MdModel::parse(text);
    let notes = test_notes(text);
    let mut markers: Vec<Span> = notes.markers.iter().map(|m| m.span).collect();
    markers.sort();
    md.blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Paragraph)
        .flat_map(|b| sentences(text, &md, b, &markers))
        .map(|s| s.slice(text).to_string())
        .collect()
}

#[test]
fn sentence_segmentation_table() {
    let cases: &[(&str, &[&str])] = &[
        ("One. Two.", &["One.", "Two."]),
        (
            "Dr. Evgeni Bajanov spoke. He left.",
            &["Dr. Evgeni Bajanov spoke.", "He left."],
        ),
        (
            "Held in Washington, D.C. Dr. Bajanov is Director.",
            &["Held in Washington, D.C.", "Dr. Bajanov is Director."],
        ),
        (
            "The U.S. Army moved. It stopped.",
            &["The U.S. Army moved.", "It stopped."],
        ),
        (
            "J. Stalin wrote it. Then he slept.",
            &["J. Stalin wrote it.", "Then he slept."],
        ),
        (
            "See e.g. Kim and i.e. Mao.",
            &["See e.g. Kim and i.e. Mao."],
        ),
        (
            "See vol. 3, pp. 12-14. Then.",
            &["See vol. 3, pp. 12-14.", "Then."],
        ),
        ("On Jan. 5, 1950 he spoke.", &["On Jan. 5, 1950 he spoke."]),
        (
            "He said: \"It is late. We go.\" Then he left.",
            &["He said: \"It is late. We go.\"", "Then he left."],
        ),
        (
            "He told Kim \"Be calm. It is important.\" (2) Then.",
            &["He told Kim \"Be calm. It is important.\" (2)", "Then."],
        ),
        ("It was late.[^3] Then.", &["It was late.[^3]", "Then."]),
        (
            "Why? \"Then,\" he said, \"go.\"",
            &["Why?", "\"Then,\" he said, \"go.\""],
        ),
        (
            "South Korea... requires care. If he...I am ready.",
            &["South Korea... requires care.", "If he...I am ready."],
        ),
        ("No final stop", &["No final stop"]),
        (
            "It cost 3.5 roubles. Fine.",
            &["It cost 3.5 roubles.", "Fine."],
        ),
        (
            "Books, papers, etc. were lost.",
            &["Books, papers, etc. were lost."],
        ),
        (
            "Books, papers, etc. The rest.",
            &["Books, papers, etc.", "The rest."],
        ),
        ("Line one.\nLine two.", &["Line one.", "Line two."]),
        ("A `code. Here` b. C.", &["A `code. Here` b.", "C."]),
        ("Gen. MacArthur came.", &["Gen. MacArthur came."]),
        (
            "He wrote “It is late. We go.” Then.",
            &["He wrote “It is late. We go.”", "Then."],
        ),
    ];
    for (input, want) in cases {
        let got = sentence_texts(input);
        let want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
        assert_eq!(got, want, "segmenting {input:?}");
    }
}

#[test]
fn quotation_table() {
    // (text, expected quotation claim evidence or None)
    let cases: &[(&str, Option<&str>)] = &[
        (
            "Kim said: \"We believe that the situation makes it necessary.\"",
            Some("\"We believe that the situation makes it necessary.\""),
        ),
        (
            "He used “four words are here” then.",
            Some("“four words are here”"),
        ),
        ("It was a “limited war” indeed.", None),
        ("The word \"liberation\" recurs.", None),
        ("So-called \"peace loving forces\" came.", None),
        (
            "A conference on \"The Korean War, An assessment of the Historical Record,\" met.",
            None,
        ),
        ("Read the article \"why the war began in June\" now.", None),
        ("His book, \"the origins of the war in Korea\", sold.", None),
        (
            "He cited [\"A Long Title of Some Article\"](https://x.org) here.",
            None,
        ),
        ("They sang \"The Song Of The Red Army Men\" loudly.", None),
        (
            "He wrote ‘we must not wait any longer’ to Kim.",
            Some("‘we must not wait any longer’"),
        ),
        ("Kim’s men and the Kims’ house are not quotes at all.", None),
        ("`\"a b c d e\"` is code.", None),
        (
            "The word *pukchin* (\"the march to the north\") recurs.",
            None,
        ),
        (
            "See \"To Attack or Not to Attack? Stalin, Kim Il Sung, and the Prelude to War.\"",
            None,
        ),
        (
            "It said «nous ne reculerons pas ici» alors.",
            Some("«nous ne reculerons pas ici»"),
        ),
    ];
    for (input, want) in cases {
        let got: Vec<String> = claims_of(input, ClaimScope::Paragraph)
            .iter()
            .filter(|c| matches!(c.kind, ClaimKind::Quotation { .. }))
            .map(|c| c.evidence.slice(input).to_string())
            .collect();
        let want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
        assert_eq!(got, want, "quotations in {input:?}");
    }
}

#[test]
fn dated_statement_table() {
    // (text, expected evidence or None)
    let cases: &[(&str, Option<&str>)] = &[
        (
            "On 17 April 1949, Stalin informed his ambassador of an attack.",
            Some("17 April 1949, Stalin informed"),
        ),
        (
            "On 24 September 1949 the Politburo rejected the appeal.",
            Some("24 September 1949 the Politburo rejected"),
        ),
        (
            "Stalin, on 30 January 1950, replied through diplomatic channels.",
            Some("30 January 1950, replied"),
        ),
        (
            "Stalin, whom Kim had visited on 30 January 1950 at his dacha in the hills \
                 outside Moscow with a large and noisy delegation, finally and reluctantly replied.",
            Some("replied"),
        ),
        (
            "He warned on 5 May 1950 that war was near.",
            Some("warned on 5 May 1950"),
        ),
        ("In 1949 Stalin refused to sign the treaty.", None),
        ("On 5 May 1950 the plan was approved.", None),
        (
            "On 5 May 1950 the plan was approved by Stalin himself.",
            Some("5 May 1950 the plan was approved"),
        ),
        ("On 5 May 1950 the agreed plan took effect.", None),
        (
            "On 24 September 1949 the appeal was rejected by the Politburo.",
            Some("24 September 1949 the appeal was rejected"),
        ),
        (
            "On 5 May 1950 the plan was approved by him.",
            Some("5 May 1950 the plan was approved"),
        ),
        (
            "On 5 May 1950 the plan was approved by the end of May.",
            None,
        ),
        ("On 5 May 1950 the troops crossed the river.", None),
        ("Stalin informed Kim of his worries.", None),
        ("In May-August 1949 the two capitals exchanged data.", None),
        (
            "On 5 March 1949 he \"said nothing at all\" to Kim.",
            Some("\"said nothing at all\""),
        ),
    ];
    for (input, want) in cases {
        let got: Vec<String> = claims_of(input, ClaimScope::Paragraph)
            .iter()
            .map(|c| c.evidence.slice(input).to_string())
            .collect();
        let want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
        assert_eq!(got, want, "claims in {input:?}");
    }
}

#[test]
fn coverage_by_scope() {
    // (text, scope, expected `covered` per claim)
    use ClaimScope::*;
    let a = "On 3 May 1950 Kim said he was ready. Stalin agreed on 4 May 1950. (3)";
    let b = "On 3 May 1950 Kim said he was ready. (2) Stalin agreed on 4 May 1950.";
    let c = "On 3 May 1950 Kim said he was ready.\nStalin added more. (5)";
    let d = "On 3 May 1950 Kim said he was ready.\n\nStalin added more. (5)";
    let e = "Kim said \"we are ready to go now\"[^k] and Stalin agreed on 4 May 1950.";
    let cases: &[(&str, ClaimScope, &[bool])] = &[
        (a, Paragraph, &[true, true]),
        (a, Sentence, &[false, true]),
        (b, Paragraph, &[true, false]),
        (b, Sentence, &[true, false]),
        (c, Paragraph, &[true]),
        (c, Sentence, &[false]),
        (d, Paragraph, &[false]),
        (e, Sentence, &[true]),
    ];
    for (input, scope, want) in cases {
        let got: Vec<bool> = claims_of(input, *scope).iter().map(|c| c.covered).collect();
        assert_eq!(&got, want, "coverage of {input:?} with {scope:?}");
    }
}

#[test]
fn block_quotes_table() {
    // (text, expected (kind is block quote, covered) per claim)
    let cases: &[(&str, &[(bool, bool)])] = &[
        (
            "> We must be ready to fight at any hour.\n",
            &[(true, false)],
        ),
        (
            "> We must be ready to fight at any hour. (4)\n",
            &[(true, true)],
        ),
        (
            "> We must be ready to fight at any hour.\n>\n> — Kim Il Sung\n",
            &[],
        ),
        (
            "> We must be ready to fight at any hour.\n\n-- Pravda, 5 May 1950\n",
            &[],
        ),
        ("> [!NOTE]\n> This transcription keeps the errors.\n", &[]),
        ("> **Note:** this transcription keeps all errors.\n", &[]),
        (
            "Stalin cabled Kim (9):\n\n> We must be ready to fight at any hour.\n",
            &[(true, true)],
        ),
        ("> Too short here\n", &[]),
        (
            "> War is the continuation of politics by other means. — Clausewitz\n",
            &[],
        ),
        (
            "> We must be ready to fight at any hour.\n\n(Stalin to Shtykov, 30 January 1950)\n",
            &[(true, true)],
        ),
        (
            "> We must be ready to fight at any hour -- and soon.\n",
            &[(true, false)],
        ),
        (
            "### Stalin to Shtykov, 30 January 1950\n\n> We must be ready to fight at any hour.\n",
            &[],
        ),
        (
            "### The cable\n\nText.\n\n> We must be ready to fight at any hour.\n",
            &[(true, false)],
        ),
    ];
    for (input, want) in cases {
        let got: Vec<(bool, bool)> = claims_of(input, ClaimScope::Paragraph)
            .iter()
            .map(|c| {
                (
                    matches!(c.kind, ClaimKind::BlockQuotation { .. }),
                    c.covered,
                )
            })
            .collect();
        assert_eq!(&got, want, "block quotes in {input:?}");
    }
}

#[test]
fn apparatus_and_non_prose_are_not_read() {
    let t = "# \"We shall fight them on the beaches\"\n\n\
                 | a | \"quoted words in a table\" |\n|---|---|\n| b | c |\n\n\
                 ## References\n\n\
                 - Smith, J. \"the origins of the war in Korea\", 12 May 1995, said.\n\n\
                 ## Next\n\nKim said \"we are ready to go now\" then.\n";
    let got: Vec<&str> = claims_of(t, ClaimScope::Paragraph)
        .iter()
        .map(|c| c.evidence.slice(t))
        .collect();
    assert_eq!(got, vec!["\"we are ready to go now\""]);
}

#[test]
fn precise_dates() {
    for (s, want) in [
        ("17 April 1949", true),
        ("April 1950", true),
        ("1949", false),
        ("1947-1948", false),
        ("1949-03-05", true),
        ("5.3.1949", true),
        ("the 1940s", false),
    ] {
        assert_eq!(is_precise_date(s), want, "{s}");
    }
}

#[test]
fn never_panics_on_odd_input() {
    for t in [
        "",
        "\"",
        "“",
        "”’‘«»",
        "> ",
        ". . .",
        "Dr.",
        "a.\u{301}B",
        "\r\n\r\n\"x\r\ny z w\"\r\n",
        "É. Ü? ñ! “Ω ω ω ω”",
        "(1)(2)[^a][^",
    ] {
        let _ = claims_of(t, ClaimScope::Paragraph);
        let _ = claims_of(t, ClaimScope::Sentence);
    }
}

#[test]
fn bajanov_claims_are_all_covered_in_paragraph_scope() {
    let t = include_str!("../../fixtures/bajanov-1995.md");
    let want: &[(&str, &str, bool)] = &[
        // (kind, evidence starts with, covered in sentence scope)
        (
            "dated statement",
            "3 February 1949 Soviet Ambassador",
            false,
        ),
        (
            "direct quotation",
            "\"The 38th parallel must be peaceful.",
            true,
        ),
        ("dated statement", "17 April 1949, Stalin informed", false),
        ("direct quotation", "\"We believe that the situation", false),
        ("direct quotation", "\"your move will be understood", true),
        ("dated statement", "ordered a new appraisal", false),
        ("direct quotation", "\"little has been done", true),
        ("direct quotation", "\"I can't sleep at night", false),
        ("direct quotation", "\"I understand the unhappiness", true),
    ];
    for scope in [ClaimScope::Paragraph, ClaimScope::Sentence] {
        let got = claims_of(t, scope);
        assert_eq!(got.len(), want.len(), "{scope:?}: {got:#?}");
        for (c, (kind, prefix, in_sentence)) in got.iter().zip(want) {
            assert_eq!(c.kind.describe(), *kind);
            assert!(
                c.evidence.slice(t).starts_with(prefix),
                "{:?}",
                c.evidence.slice(t)
            );
            let want_covered = scope == ClaimScope::Paragraph || *in_sentence;
            assert_eq!(c.covered, want_covered, "{scope:?} {prefix}");
        }
    }
}

/// Timing on a ~1 MB document: `cargo test --lib claims::tests::timing -- --ignored --nocapture`.
#[test]
#[ignore]
fn timing() {
    let one = include_str!("../../fixtures/bajanov-1995.md");
    let body = one.split("## Notes").next().unwrap_or(one);
    let text = body.repeat(1_000_000 / body.len().max(1));
    let md = MdModel::parse(&text);
    let notes = test_notes(&text);
    let dates = test_dates(&text);
    let t0 = std::time::Instant::now();
    let claims = find(&text, &md, &notes, &dates, &Claims::default());
    let el = t0.elapsed();
    let t1 = std::time::Instant::now();
    let kept = crate::suppress::filter(&text, Vec::new());
    eprintln!(
        "claims::find on {} bytes: {:?} ({} claims); suppress::filter: {:?} ({})",
        text.len(),
        el,
        claims.len(),
        t1.elapsed(),
        kept.len()
    );
}

#[test]
fn crlf_text_gives_the_same_claims() {
    let lf = include_str!("../../fixtures/claims/unsourced.md");
    let crlf = lf.replace('\n', "\r\n");
    let a: Vec<(String, bool)> = claims_of(lf, ClaimScope::Paragraph)
        .iter()
        .map(|c| (c.evidence.slice(lf).to_string(), c.covered))
        .collect();
    let b: Vec<(String, bool)> = claims_of(&crlf, ClaimScope::Paragraph)
        .iter()
        .map(|c| (c.evidence.slice(&crlf).replace("\r\n", "\n"), c.covered))
        .collect();
    assert!(!a.is_empty());
    assert_eq!(a, b);
}

#[test]
fn apparatus_headings() {
    for (h, want) in [
        ("Notes", true),
        ("## Notes:", true),
        ("10. References", true),
        ("Select bibliography", true),
        ("Sources used", true),
        ("Notes and references", true),
        ("Further reading", true),
        ("Works cited", true),
        ("A close reading", false),
        ("How the system works", false),
        ("Kim's note of 17 January", false),
        ("3. Stalin blesses the invasion", false),
        ("What the sources of the Soviet side do not tell us", false),
    ] {
        let h = h.trim_start_matches(['#', ' ']);
        assert_eq!(is_apparatus_heading(h), want, "{h}");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
    /// Any mix of the characters the segmenter and quotation pairing care about.
    #[test]
    fn no_panic_on_arbitrary_prose(t in "[a-zA-Z0-9 .!?…\"“”‘’'«»()\\[\\]^>*_`\n\r:;,—é-]{0,200}") {
        for scope in [ClaimScope::Paragraph, ClaimScope::Sentence] {
            for c in claims_of(&t, scope) {
                proptest::prop_assert!(c.span.start <= c.span.end && c.span.end <= t.len());
                proptest::prop_assert!(t.is_char_boundary(c.insert_at));
                proptest::prop_assert!(!c.evidence.slice(&t).is_empty());
            }
        }
        let f = vec![crate::finding::Finding::new(
            "a",
            crate::finding::Severity::Hint,
            Span::new(0, t.len()),
            "",
        )];
        let _ = crate::suppress::filter(&t, f);
    }
}

#[test]
fn author_date_citations_table() {
    let cases: &[(&str, &[&str])] = &[
        (
            "Kim said \"we are ready to go now\" (Weathersby 1995, 23).",
            &["(Weathersby 1995, 23)"],
        ),
        (
            "As argued (see Cumings 1990: 45–50), yes.",
            &["(see Cumings 1990: 45–50)"],
        ),
        (
            "A cable (Stalin to Shtykov, 30 January 1950).",
            &["(Stalin to Shtykov, 30 January 1950)"],
        ),
        ("Bajanov (1995a) says so.", &["(1995a)"]),
        ("Bajanov (1995: 23–25) says so.", &["(1995: 23–25)"]),
        ("In 1949 (1949) nothing.", &[]),
        ("Kim Il Sung (1912–1994) led.", &[]),
        ("Stalin (on 30 January 1950) replied.", &[]),
        ("The embassy view (14 September 1949) was negative.", &[]),
        (
            "The bomb (first tested by Moscow in August 1949) mattered.",
            &[],
        ),
        ("Endnote (5) and (12).", &[]),
        ("Code `(Smith 1990)` is not prose.", &[]),
        (
            "A long aside (Stalin and Kim and Mao and many others who met in Moscow in the winter of 1949 and 1950 often) ends.",
            &[],
        ),
    ];
    for (input, want) in cases {
        let md = MdModel::parse(input);
        let got: Vec<&str> = author_date_citations(input, &md)
            .iter()
            .map(|s| s.slice(input))
            .collect();
        assert_eq!(&got, want, "in {input:?}");
    }
    // And they cover claims.
    let t = "Kim said \"we are ready to go now\" (Weathersby 1995, 23). Next.";
    assert_eq!(
        claims_of(t, ClaimScope::Sentence)
            .iter()
            .map(|c| c.covered)
            .collect::<Vec<_>>(),
        vec![true]
    );
}

/// The evidence of every `unsourced-claim` of a text, through the whole engine (the
/// real date recogniser, note layer and kind).
fn unsourced(text: &str) -> Vec<String> {
    let a = crate::analysis::analyze_str(text);
    a.findings
        .iter()
        .filter(|f| f.code == "unsourced-claim")
        .map(|f| f.span.slice(text).to_string())
        .collect()
}

/// Issue #12: each heuristic with the real sentence that motivated it (from
/// fixtures/real, or the issue) and near-misses that must still fire in secondary
/// prose (an unattributed quotation, a dated decision with no note).
#[test]
fn attribution_in_prose_table() {
    // (text, fires)
    let cases: &[(&str, bool)] = &[
        // Telegram references are sources (d273:19, d275:19, the "mytel 374").
        (
            "Reurtel 881 July 18 Dept feels it shld be emphasized that “maintaining too close liaison with UNCOK” cannot be regarded as an offense.\n",
            false,
        ),
        (
            "ReDeptel 606, July 19 on arrest Choi Yung Sik, charge of “maintaining too close liaison with UNCOK” was communicated orally to an Embassy officer.\n",
            false,
        ),
        (
            "As stated in mytel 374, April 11, the Foreign Minister informed the Embassy on April 10 that the talks had failed.\n",
            false,
        ),
        (
            "Muccio reported on July 22 that UNCOK had taken a position (Embtel 909).\n",
            false,
        ),
        (
            "The Department replied on July 19 in telegram 606 that the charge was absurd.\n",
            false,
        ),
        // An editor's note that says where a text is (d2 notes 2 and 4).
        (
            "The relevant portion declared that “all the territories Japan has stolen from the Chinese shall be restored”. For the text of the communiqué, see *Foreign Relations*, The Conferences at Cairo and Tehran, 1943, pp. 448–449.\n",
            false,
        ),
        (
            "Mr. Marshall stated in an interview on May 13, 1974, that Second Party was an American. The interview is recorded in a memorandum of conversation, May 17, 1974 (611.93/1–651).\n",
            false,
        ),
        (
            "The relevant portion declared that “all the territories Japan has stolen from the Chinese shall be restored”.\n",
            true,
        ),
        // …and without one the same statements fire.
        (
            "The Foreign Minister informed the Embassy on April 10 that the talks had failed.\n",
            true,
        ),
        (
            "Dept feels that “maintaining too close liaison with UNCOK” cannot be regarded as an offense.\n",
            true,
        ),
        // A participle naming its telegram is not a dated statement (d276:21).
        (
            "Local estimate acquisition vessels requested mytel 447, April 26 not more than one-third NME figure.\n",
            false,
        ),
        // A dated publication named in the prose.
        (
            "In an editorial in the New York Times of April 3, 1949, the paper warned that “the Republic of Korea cannot stand alone in Asia”.\n",
            false,
        ),
        (
            "The paper warned that “the Republic of Korea cannot stand alone in Asia”.\n",
            true,
        ),
        // "Following is … broadcast:" names the document it gives.
        (
            "Following is the text of the Pyongyang broadcast: “The puppet clique of Syngman Rhee has started a war.”\n",
            false,
        ),
        (
            "The broadcast went on: “The puppet clique of Syngman Rhee has started a war.”\n",
            true,
        ),
        // "He said:" after a sentence that cites its source.
        (
            "Acheson spoke at the National Press Club on January 12, 1950.[^1] He said: “The defensive perimeter runs along the Aleutians to Japan.”\n\n[^1]: Department of State Bulletin, January 23, 1950.\n",
            false,
        ),
        (
            "Acheson spoke at the National Press Club. He said: “The defensive perimeter runs along the Aleutians to Japan.”\n",
            true,
        ),
        // A block quote introduced by a paragraph that cites it (d282:15).
        (
            "On September 21, Acheson made an address before the General Assembly (text in the Department of State *Bulletin*, October 3, 1949, page 489). Regarding Korea, he made the following statement:\n\n> “It is the view of the United States that a United Nations Commission should continue to be stationed in Korea.”\n",
            false,
        ),
        (
            "Regarding Korea, he made the following statement:\n\n> “It is the view of the United States that a United Nations Commission should continue to be stationed in Korea.”\n",
            true,
        ),
        // A date in a name is not the date of a statement ("the December 12 Resolution").
        (
            "The Soviet delegation rejected the December 12 Resolution.\n",
            false,
        ),
        (
            "On December 12, 1948 the Soviet delegation rejected the resolution.\n",
            true,
        ),
        // Negated verbs state nothing.
        ("Stalin did not approve the plan on 14 May 1950.\n", false),
        ("On 14 May 1950 Stalin had not approved the plan.\n", false),
        ("On 14 May 1950 Stalin approved the plan.\n", true),
        // Decision verbs that were missing.
        (
            "On March 3, 1949, the Korean Government granted permission for the landing.\n",
            true,
        ),
        (
            "On June 2, 1950, Rhee withheld approval of the budget.\n",
            true,
        ),
        (
            "On May 4, 1949, Muccio first raised the question of arms for the Coast Guard.\n",
            true,
        ),
        ("On June 2, 1950, the farmers withheld the rice.\n", false),
        // Quoted names of bodies and titles are not quotations.
        (
            "The “Committee for the preparation of Korean independence” met in Seoul.\n",
            false,
        ),
        (
            "Pyongyang launched the “peaceful unification of the fatherland” campaign.\n",
            false,
        ),
        (
            "He wrote that “the Committee will meet again next week in Seoul”.\n",
            true,
        ),
        // A `>` block that indents a list is not a quotation (d2:194, d276:29).
        (
            "First Party asked about the following individuals:\n\n> Fu Tso-yi\n>\n> Chen Ming-shu\n>\n> Chen Yi\n>\n> Chen Cho-lin\n",
            false,
        ),
        (
            "> Comrade Stalin agreed.\n>\n> The attack will begin in June after the harvest.\n",
            true,
        ),
    ];
    let mut wrong = Vec::new();
    for (text, fires) in cases {
        let got = unsourced(text);
        if got.is_empty() == *fires {
            wrong.push(format!("{text:?}: want fires={fires}, got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The words of a source are their own evidence: a primary document is not judged, an
/// edition only in its editor's notes and insertions; secondary prose as always.
#[test]
fn kinds_decide_what_is_judged() {
    let body = "Home Ministry informed Embassy on July 16 of the arrest.\n\nRhee told the officer “there will be no war this year and none next year”.\n";
    let note = "[^1]: On September 16, Rhee told Muccio “there will be no war this year at all”.\n";
    let secondary = format!("{body}\nSee note.[^1]\n\n{note}");
    let primary = format!("---\nkind: primary\n---\n\n{secondary}");
    let edition = format!("---\nkind: edition\n---\n\n{secondary}");
    assert_eq!(
        unsourced(&secondary).len(),
        2,
        "{:?}",
        unsourced(&secondary)
    );
    assert!(unsourced(&primary).is_empty(), "{:?}", unsourced(&primary));
    let ed = unsourced(&edition);
    assert_eq!(ed.len(), 1, "{ed:?}");
    assert!(ed[0].contains("no war this year at all"), "{ed:?}");
    // Recognised from its form: a telegram with no front matter.
    let telegram = format!(
        "# The Ambassador in Korea (Muccio) to the Secretary of State\n\n501.BB Korea/7–1849: Telegram\n\nRESTRICTED\n\nSeoul, July 18, 1949—noon.\n\n{body}"
    );
    assert!(
        unsourced(&telegram).is_empty(),
        "{:?}",
        unsourced(&telegram)
    );
}

/// A first reading with a memo (the editor's) hands the quotations of the paragraphs
/// its claims read to the quotations pass: no paragraph's characters are read twice,
/// only the block quote's are read there; and the quotations are those read afresh.
/// An edit reads the edited paragraph's characters once too.
#[test]
fn quotations_are_read_once_with_a_memo() {
    let para = |k: usize| {
        format!(
            "Kim said \"we shall cross the parallel soon\" in {k} words. Then \"another quite long quotation here\" came.\n\n"
        )
    };
    let mut text: String = (0..30).map(para).collect();
    text.push_str("> A block quote with \"four words in it\" too.\n");
    let md = crate::markdown::MdModel::parse(&text);
    let notes = test_notes(&text);
    let dates = test_dates(&text);
    let cfg = Claims::default();
    let layers = Layers::default();
    let input = ClaimInputs {
        text: &text,
        md: &md,
        notes: &notes,
        dates: &dates,
        cfg: &cfg,
        layers: &layers,
        citations: None,
    };
    let memo = ClaimMemo::default();
    memo.begin(crate::memo::Unchanged::default());
    let claims = find_layered(&input, Some(&memo));
    let quotes = quotation_spans_in(&text, &md, Some(&memo));
    assert_eq!(claims, find(&text, &md, &notes, &dates, &cfg));
    assert_eq!(quotes, quotation_spans(&text, &md));
    assert!(quotes.len() >= 61, "{}", quotes.len());
    // The block quote only.
    assert_eq!(memo.quotations_read(), 1);
    memo.sweep();
    // A keystroke in the tenth paragraph.
    let at = text.match_indices("in 9 words").next().map_or(0, |m| m.0);
    let edited = format!("{}x{}", &text[..at], &text[at..]);
    let emd = crate::markdown::MdModel::parse(&edited);
    let enotes = test_notes(&edited);
    let edates = test_dates(&edited);
    memo.begin(crate::memo::Unchanged::between(&text, &edited));
    let input = ClaimInputs {
        text: &edited,
        md: &emd,
        notes: &enotes,
        dates: &edates,
        ..input
    };
    let claims = find_layered(&input, Some(&memo));
    let quotes = quotation_spans_in(&edited, &emd, Some(&memo));
    memo.sweep();
    assert_eq!(claims, find(&edited, &emd, &enotes, &edates, &cfg));
    assert_eq!(quotes, quotation_spans(&edited, &emd));
    assert_eq!(memo.quotations_read(), 1);
}
