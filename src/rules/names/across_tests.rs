//! `romanisation-inconsistent` across files, through the real engine: each text is
//! analysed alone, then the documents are compared ([`crate::workspace::findings`]).

use crate::analysis::analyze;
use crate::config::{Config, Level};
use crate::facts::{Context, Knowledge};
use crate::finding::Finding;
use crate::workspace::{self, Doc};
use std::sync::Arc;

/// Findings across `texts` (named a.md, b.md, …) with `config`: per document, the
/// cross-file ones only, as (text found, message).
fn across_with(config: &Config, texts: &[&str]) -> Vec<Vec<(String, Finding)>> {
    let knowledge = Knowledge::embedded();
    let ctx = Context {
        config,
        knowledge: &knowledge,
    };
    let analyses: Vec<_> = texts
        .iter()
        .map(|t| analyze(Arc::from(*t), None, &ctx))
        .collect();
    let names: Vec<String> = (0..texts.len())
        .map(|i| format!("{}.md", (b'a' + i as u8) as char))
        .collect();
    let docs: Vec<Doc> = analyses
        .iter()
        .zip(&names)
        .map(|(a, n)| Doc {
            path: n,
            text: &a.text,
            names: &a.names,
            shared: None,
        })
        .collect();
    workspace::findings(&docs, &ctx)
        .into_iter()
        .zip(texts)
        .map(|(fs, t)| {
            fs.into_iter()
                .map(|f| (f.span.slice(t).to_string(), f))
                .collect()
        })
        .collect()
}

fn across(texts: &[&str]) -> Vec<Vec<(String, Finding)>> {
    across_with(&Config::default(), texts)
}

fn surfaces(found: &[(String, Finding)]) -> Vec<&str> {
    found.iter().map(|(s, _)| s.as_str()).collect()
}

#[test]
fn a_place_spelled_one_way_per_file_but_differently_across_files() {
    let r = across(&[
        "Kim Il Sung returned to Sŏul. Sŏul had fallen.\n",
        "The army reached Seoul.\n",
        "Seoul again, and Seoul.\n",
    ]);
    // Seoul: 3 times in 2 files; Sŏul: 2 times in 1 file.
    assert_eq!(surfaces(&r[0]), ["Sŏul", "Sŏul"]);
    assert!(r[1].is_empty() && r[2].is_empty(), "{r:?}");
    let (_, f) = &r[0][0];
    assert_eq!(f.code, "romanisation-inconsistent");
    assert!(f.message.contains("“Seoul”"), "{}", f.message);
    assert!(
        f.message.contains("3 times in 2 other files"),
        "{}",
        f.message
    );
    assert!(f.message.contains("majority"), "{}", f.message);
    // Related places name the other documents.
    let paths: Vec<_> = f.related.iter().filter_map(|r| r.path.as_deref()).collect();
    assert!(
        paths.contains(&"b.md") && paths.contains(&"c.md"),
        "{paths:?}"
    );
    // The fix writes the workspace's spelling, and `--fix` leaves it alone.
    let fix = &f.fixes[0];
    assert_eq!(fix.edits[0].new_text, "Seoul");
    assert!(!fix.safe);
    assert!(f.fixes.iter().any(|x| x.title.starts_with("Replace all 2")));
}

#[test]
fn a_person_in_two_romanisations_across_files() {
    let r = across(&[
        "Kim Il-sŏng spoke first.\n",
        "Kim Il Sung answered.\n\nKim Il Sung left.\n",
    ]);
    assert_eq!(surfaces(&r[0]), ["Il-sŏng"]);
    assert_eq!(r[0][0].1.fixes[0].edits[0].new_text, "Il Sung");
    assert!(r[1].is_empty());
}

#[test]
fn chinese_and_russian_names_across_files() {
    let r = across(&[
        "Mao Tse-tung received the cable.\n",
        "Mao Zedong agreed. Mao Zedong signed.\n",
        "Bazhanov wrote it. Bazhanov again.\n",
        "Bajanov is the author.\n",
    ]);
    assert_eq!(surfaces(&r[0]), ["Tse-tung"]);
    assert!(r[1].is_empty());
    assert!(r[2].is_empty(), "{:?}", r[2]);
    assert_eq!(surfaces(&r[3]), ["Bajanov"]);
}

#[test]
fn short_forms_and_other_people_are_not_spellings() {
    let r = across(&[
        "Kim Il Sung spoke.\n",
        "Kim spoke, and Kim Il was there.\n",
        "Kim Jong-il was born in 1941.\n",
        "Molotov and Malenkov.\n",
        "Stalin wrote to Joseph Stalin's ambassador.\n",
    ]);
    assert!(r.iter().all(Vec::is_empty), "{r:?}");
}

#[test]
fn consistent_workspaces_are_silent() {
    let r = across(&[
        "Sŏul and P'yŏngyang; Kim Il Sung.\n",
        "Sŏul fell. Kim Il Sung in P'yŏngyang.\n",
        "No names at all.\n",
    ]);
    assert!(r.iter().all(Vec::is_empty), "{r:?}");
}

#[test]
fn a_file_that_mixes_spellings_is_left_to_the_per_file_rule() {
    // a.md mixes Seoul and Sŏul: the per-file rule speaks there; across files it only
    // counts. c.md writes Sŏul, the workspace's minority: reported.
    let texts = ["Seoul, Seoul, Seoul and Sŏul.\n", "Seoul.\n", "Sŏul.\n"];
    let r = across(&texts);
    assert!(r[0].is_empty(), "{:?}", r[0]);
    assert!(r[1].is_empty());
    assert_eq!(surfaces(&r[2]), ["Sŏul"]);
    // And the per-file rule does speak in a.md, with the same choice.
    let own = crate::analysis::analyze_str(texts[0]).findings;
    assert!(own.iter().any(|f| f.code == "romanisation-inconsistent"));
}

#[test]
fn the_configured_system_wins_even_in_the_minority() {
    let mut config = Config::default();
    config.romanisation.korean = Some("mccune-reischauer".into());
    let r = across_with(&config, &["Sŏul.\n", "Seoul. Seoul.\n", "Seoul.\n"]);
    assert!(r[0].is_empty());
    assert_eq!(surfaces(&r[1]), ["Seoul", "Seoul"]);
    assert!(
        r[1][0].1.message.contains("configured"),
        "{}",
        r[1][0].1.message
    );
}

#[test]
fn equal_counts_are_decided_alphabetically_and_say_how_to_choose() {
    let r = across(&["Sŏul.\n", "Seoul.\n"]);
    let all: Vec<_> = r.iter().flatten().collect();
    assert_eq!(all.len(), 1, "{r:?}");
    // "Seoul" < "Sŏul" in code-point order, so Sŏul is reported.
    assert_eq!(surfaces(&r[0]), ["Sŏul"]);
    assert!(
        all[0].1.message.contains("[romanisation]"),
        "{}",
        all[0].1.message
    );
}

#[test]
fn switches_levels_and_suppression() {
    let texts = ["Sŏul.\n", "Seoul. Seoul.\n"];
    let mut off = Config::default();
    off.romanisation.across_files = false;
    assert!(across_with(&off, &texts).iter().all(Vec::is_empty));
    let mut rule_off = Config::default();
    rule_off
        .rules
        .insert("romanisation-inconsistent".into(), Level::Off);
    assert!(across_with(&rule_off, &texts).iter().all(Vec::is_empty));
    let mut hint = Config::default();
    hint.rules
        .insert("romanisation-inconsistent".into(), Level::Hint);
    let r = across_with(&hint, &texts);
    assert_eq!(r[0][0].1.severity, crate::finding::Severity::Hint);
    let r = across(&[
        "<!-- annalist-disable-next-line romanisation-inconsistent -->\nSŏul.\n",
        "Seoul. Seoul.\n",
    ]);
    assert!(r.iter().all(Vec::is_empty), "{r:?}");
}

#[test]
fn ocr_damage_is_not_a_spelling() {
    // "Kim II Sung" is OCR damage (its own rule), not a romanisation to compare.
    let r = across(&["Kim II Sung spoke.\n", "Kim Il Sung answered.\n"]);
    assert!(r.iter().all(Vec::is_empty), "{r:?}");
}

#[test]
fn findings_for_one_document_equal_its_share_of_the_whole() {
    let texts = [
        "Sŏul. Mao Tse-tung.\n",
        "Seoul. Seoul. Mao Zedong.\n",
        "Mao Zedong.\n",
    ];
    let knowledge = Knowledge::embedded();
    let config = Config::default();
    let ctx = Context {
        config: &config,
        knowledge: &knowledge,
    };
    let analyses: Vec<_> = texts
        .iter()
        .map(|t| analyze(Arc::from(*t), None, &ctx))
        .collect();
    let docs: Vec<Doc> = analyses
        .iter()
        .enumerate()
        .map(|(i, a)| Doc {
            path: ["a", "b", "c"][i],
            text: &a.text,
            names: &a.names,
            shared: None,
        })
        .collect();
    let all = workspace::findings(&docs, &ctx);
    for (i, whole) in all.iter().enumerate() {
        assert_eq!(&workspace::findings_for(&docs, i, &ctx), whole);
    }
    assert_eq!(all[0].len(), 2);
}

#[test]
fn unlisted_names_with_marked_spellings_across_files() {
    let r = across(&[
        "Yun Kŏn-sŏp spoke. Hsü Hsiang-ch'ien listened. Then Tchistiakov left.\n",
        "Yun Geon-seop answered. Xu Xiangqian agreed.\n\nYun Geon-seop left. Later Chistyakov came, and Chistyakov stayed.\n",
        "Xu Xiangqian again.\n",
    ]);
    assert_eq!(
        surfaces(&r[0]),
        ["Kŏn-sŏp", "Hsü Hsiang-ch'ien", "Tchistiakov"],
        "{:?}",
        r[0]
    );
    // The whole name is named, not a part of it.
    assert!(
        r[0][0].1.message.contains("“Yun Kŏn-sŏp”"),
        "{}",
        r[0][0].1.message
    );
    assert!(r[1].is_empty() && r[2].is_empty(), "{r:?}");
}

#[test]
fn english_words_and_unmarked_names_are_not_compared_across_files() {
    let r = across(&[
        "Leon and Louis met John in William Street. Chang went home.\n",
        "Lon and Luis met Jon on Wiliam Street. Zhang went home.\n",
        "Then Martin, Austin and Robinson met Mr Jennings in Moscow.\n",
        "Then Martine, Austen and Robinsohn met Mr Jenning in Moskva.\n",
    ]);
    assert!(r.iter().all(Vec::is_empty), "{r:?}");
}

/// `fixtures/workspace/`: three chapters, each consistent alone (but for one planted
/// per-file mix), spelling names differently from one another.
#[test]
fn workspace_fixture() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/workspace");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    paths.sort();
    let texts: Vec<String> = paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap_or_default())
        .collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let found = across(&refs);
    let mut snap = String::new();
    for ((p, t), fs) in paths.iter().zip(&texts).zip(&found) {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let lines = crate::position::LineIndex::new(t);
        for (surface, f) in fs {
            let pos = lines.position(t, f.span.start, crate::position::Encoding::Chars);
            snap.push_str(&format!(
                "{name}:{}:{} {surface}\n  {}\n  fix: {}\n",
                pos.line + 1,
                pos.col + 1,
                f.message,
                f.fixes.first().map_or("", |x| x.title.as_str())
            ));
        }
    }
    insta::assert_snapshot!("workspace", snap);
    // The planted per-file mix (Chou En-lai / Zhou Enlai in chapter 3) is the per-file
    // rule's, and nothing else is inconsistent within a file.
    let own: Vec<usize> = refs
        .iter()
        .map(|t| {
            crate::analysis::analyze_str(t)
                .findings
                .iter()
                .filter(|f| f.code == "romanisation-inconsistent")
                .count()
        })
        .collect();
    assert_eq!(own.iter().sum::<usize>(), 1, "{own:?}");
    assert!(found.iter().map(Vec::len).sum::<usize>() >= 5, "{snap}");
}

/// Entities a document defines in its front matter take part in the names rules like
/// the project's: their OCR spellings are damage, their romanisations are compared.
#[test]
fn front_matter_entities_are_checked_like_the_gazetteers() {
    let text = "---\nentities:\n  - id: kovalev\n    kind: person\n    preferred: Ivan Kovalev\n    names:\n      - text: Kovalev\n        system: conventional\n      - text: Kovaliov\n        system: french\n      - text: Kova1ev\n        system: ocr\n---\n\nThen Kova1ev wrote. Later Kovalev and Kovalev answered, and Kovaliov left.\n";
    let a = crate::analysis::analyze_str(text);
    let codes: Vec<(&str, &str)> = a
        .findings
        .iter()
        .map(|f| (f.code, f.span.slice(text)))
        .collect();
    assert!(
        codes.contains(&("romanisation-ocr", "Kova1ev")),
        "{codes:?}"
    );
    assert!(
        codes.contains(&("romanisation-inconsistent", "Kovaliov")),
        "{codes:?}"
    );
}

#[test]
fn hover_line_on_the_workspace_spellings() {
    use crate::workspace::{SpellingUse, spellings_line};
    let u = |t: &str, count, documents| SpellingUse {
        text: t.to_string(),
        count,
        documents,
    };
    // One file, one spelling: nothing to say.
    assert_eq!(spellings_line(&[u("Seoul", 3, 1)]), None);
    assert_eq!(spellings_line(&[]), None);
    assert_eq!(
        spellings_line(&[u("Seoul", 3, 2)]).as_deref(),
        Some("**In this workspace:** “Seoul” 3 times in 2 files")
    );
    assert_eq!(
        spellings_line(&[u("Seoul", 1, 1), u("Sŏul", 2, 1)]).as_deref(),
        Some("**In this workspace:** “Seoul” once in 1 file · “Sŏul” twice in 1 file")
    );
}

/// Issue #12 item 3: across files, a source (`kind: primary` or `kind: edition`) keeps
/// its own spelling: it counts, and its variants are information without a fix.
#[test]
fn sources_keep_their_own_spellings() {
    let r = across(&[
        "---\nkind: edition\n---\n\nKim Il Sung returned to Sŏul. Sŏul had fallen.\n",
        "The army reached Seoul.\n",
        "Seoul again, and Seoul.\n",
    ]);
    let a = r.first().map(Vec::as_slice).unwrap_or(&[]);
    assert_eq!(surfaces(a), ["Sŏul", "Sŏul"]);
    for (_, f) in a {
        assert_eq!(f.severity, crate::finding::Severity::Info, "{}", f.message);
        assert!(f.fixes.is_empty(), "{:?}", f.fixes);
        assert!(
            f.message.contains("a source keeps its own spelling"),
            "{}",
            f.message
        );
    }
    // The editor's own prose is still told.
    let r = across(&[
        "---\nkind: primary\n---\n\nThe army reached Seoul. Seoul fell. Seoul burned.\n",
        "In Sŏul the government waited.\n",
    ]);
    let b = r.get(1).map(Vec::as_slice).unwrap_or(&[]);
    assert_eq!(surfaces(b), ["Sŏul"]);
    assert!(
        b.iter()
            .all(|(_, f)| f.severity == crate::finding::Severity::Warning)
    );
    // The kind is read from the front matter only.
    for (text, kind) in [
        (
            "---\ntitle: x\nkind: \"Edition\"\n---\nbody\n",
            Some("edition"),
        ),
        ("---\ntitle: x\n---\nkind: primary\n", None),
        ("kind: primary\n", None),
        ("", None),
    ] {
        assert_eq!(
            super::across::document_kind(text).as_deref(),
            kind,
            "{text:?}"
        );
    }
}

/// Issue #14: the server's cross-file findings of a document, moved from its last
/// comparison when an edit only moves names ([`workspace::AcrossMemo`]), are exactly a
/// fresh comparison's on every version — for the edited document and for the others
/// (whose related places point into it) — and a keystroke that only moves names
/// compares nothing.
#[test]
fn moved_findings_equal_a_fresh_comparison_over_edits() {
    let knowledge = Knowledge::embedded();
    let config = Config::default();
    let ctx = Context {
        config: &config,
        knowledge: &knowledge,
    };
    let b_text = "The army reached Seoul. Seoul was quiet, and Kim Il-sung spoke there.\n\n\
                  Mao Zedong answered. Mao Zedong wrote again.\n";
    let c_text = "Seoul again, and Seoul. Kim Il-sung left for Seoul.\n";
    let (b, c) = (
        analyze(Arc::from(b_text), None, &ctx),
        analyze(Arc::from(c_text), None, &ctx),
    );
    let mut text = String::from(
        "---\nkind: secondary\n---\n\nKim Il Sung returned to Sŏul in June. The city of \
         Sŏul had fallen.\n\nMao Tse-tung wrote to him. Then Mao Tse-tung left.\n",
    );
    // (what the edit does, whether it only moves names, the edit).
    type Edit = fn(&mut String);
    fn at(t: &str, s: &str) -> usize {
        t.find(s).expect("the text to edit")
    }
    let edits: Vec<(&str, bool, Edit)> = vec![
        ("insert inside a word before the names", true, |t| {
            t.insert(at(t, "returned") + 3, 'x')
        }),
        ("delete that character", true, |t| {
            t.remove(at(t, "retxurned") + 3);
        }),
        ("insert between two names", true, |t| {
            t.insert_str(at(t, "had fallen"), "indeed ")
        }),
        ("a new paragraph before every name", true, |t| {
            t.insert_str(at(t, "Kim Il Sung"), "A paragraph of plain words.\n\n")
        }),
        ("delete before a name", true, |t| {
            t.replace_range(at(t, "plain ")..at(t, "plain ") + 6, "")
        }),
        ("text after the last name", true, |t| {
            t.push_str("\nMore words.\n")
        }),
        ("a suppression comment", true, |t| {
            t.insert_str(
                at(t, "Mao Tse-tung wrote"),
                "<!-- annalist-disable-next-line romanisation-inconsistent -->\n",
            )
        }),
        ("remove the suppression comment", true, |t| {
            let s = at(t, "<!--");
            t.replace_range(s..at(t, "Mao Tse-tung wrote"), "")
        }),
        ("insert inside a name", false, |t| {
            t.insert(at(t, "Sŏul indeed") + 3, 'x')
        }),
        ("delete it again", false, |t| {
            t.remove(at(t, "Sŏxul indeed") + 3);
        }),
        ("a new spelling of a name", false, |t| {
            t.push_str("\nThe troops left Seoul.\n")
        }),
        ("the new spelling's last occurrence removed", false, |t| {
            let s = at(t, "\nThe troops left Seoul.\n");
            t.replace_range(s..s + "\nThe troops left Seoul.\n".len(), "")
        }),
        ("the document becomes a source", false, |t| {
            let s = at(t, "secondary");
            t.replace_range(s..s + "secondary".len(), "primary")
        }),
        ("a spelling's last occurrence removed", false, |t| {
            let s = at(t, " Then Mao Tse-tung left.");
            t.replace_range(s..s + " Then Mao Tse-tung left.".len(), "")
        }),
        ("move after the change", true, |t| {
            t.insert_str(at(t, "Kim Il Sung"), "So ")
        }),
    ];
    let (memo_a, memo_b, memo_c) = (
        workspace::AcrossMemo::default(),
        workspace::AcrossMemo::default(),
        workspace::AcrossMemo::default(),
    );
    let mut last_names = None;
    let (mut seen_a, mut seen_related) = (false, false);
    for step in 0..=edits.len() {
        let what = if step == 0 {
            "open"
        } else {
            let (what, _, edit) = &edits[step - 1];
            edit(&mut text);
            what
        };
        let a = analyze(Arc::from(text.as_str()), None, &ctx);
        let docs = [
            Doc {
                path: "a.md",
                text: &a.text,
                names: &a.names,
                shared: None,
            },
            Doc {
                path: "b.md",
                text: &b.text,
                names: &b.names,
                shared: None,
            },
            Doc {
                path: "c.md",
                text: &c.text,
                names: &c.names,
                shared: None,
            },
        ];
        let fresh = workspace::findings(&docs, &ctx);
        let before = (memo_a.computed(), memo_b.computed(), memo_c.computed());
        for (i, memo) in [&memo_a, &memo_b, &memo_c].into_iter().enumerate() {
            let got = workspace::findings_for_reusing(memo, &docs, i, &ctx);
            assert_eq!(got, fresh[i], "document {i} after “{what}”");
        }
        seen_a |= !fresh[0].is_empty();
        seen_related |= fresh[1]
            .iter()
            .any(|f| f.related.iter().any(|r| r.path.as_deref() == Some("a.md")));
        let after = (memo_a.computed(), memo_b.computed(), memo_c.computed());
        if step > 0 {
            let moves = edits[step - 1].1;
            if moves {
                assert_eq!(after, before, "compared again after “{what}”");
            } else {
                assert!(after.0 > before.0, "not compared again after “{what}”");
            }
        }
        // The steps that move names do change the index (its spans).
        if step > 0 && edits[step - 1].1 && what != "text after the last name" {
            assert_ne!(
                last_names.as_ref(),
                Some(&a.names),
                "“{what}” moved nothing"
            );
        }
        last_names = Some(a.names.clone());
    }
    assert_eq!(memo_a.computed(), 1 + edits.iter().filter(|e| !e.1).count());
    assert!(
        seen_a && seen_related,
        "the workspace has cross-file findings"
    );
}

/// Every one-character edit of a document (a letter or a space inserted, a character
/// deleted or retyped in the other case, at every position: before, inside, between and after names, in the front
/// matter), one after the other: the moved findings of the edited document and of the
/// others equal a fresh comparison's every time.
#[test]
fn moved_findings_equal_a_fresh_comparison_at_every_position() {
    let knowledge = Knowledge::embedded();
    let config = Config::default();
    let ctx = Context {
        config: &config,
        knowledge: &knowledge,
    };
    let base = "---\nkind: secondary\n---\n\nKim Il Sung returned to Sŏul. Sŏul had \
                fallen; Mao Tse-tung wrote.\n\nThen Pak Hŏn-yŏng and Mao Tse-tung met in Sŏul.\n";
    let others = [
        "The army reached Seoul. Seoul was quiet; Kim Il-sung spoke.\n\n\
         Mao Zedong answered. Pak Hon-yong left.\n",
        "Seoul again. Kim Il-sung left Seoul; Mao Zedong and Pak Hon-yong stayed.\n",
    ];
    let others: Vec<_> = others
        .iter()
        .map(|t| analyze(Arc::from(*t), None, &ctx))
        .collect();
    let memos: Vec<workspace::AcrossMemo> = (0..3).map(|_| Default::default()).collect();
    let mut versions: Vec<String> = vec![base.to_string()];
    for (p, ch) in base.char_indices() {
        // The same letter in the other case: the names stay where they were.
        let flipped: String = if ch.is_uppercase() {
            ch.to_lowercase().collect()
        } else {
            ch.to_uppercase().collect()
        };
        for edit in 0..4 {
            let mut t = base.to_string();
            match edit {
                0 => t.insert(p, 'x'),
                1 => t.insert(p, ' '),
                2 => t.replace_range(p..p + ch.len_utf8(), ""),
                _ if flipped.len() == ch.len_utf8() && flipped != ch.to_string() => {
                    t.replace_range(p..p + ch.len_utf8(), &flipped)
                }
                _ => continue,
            }
            versions.push(t);
        }
    }
    let mut found = 0;
    // The other documents' indexes as a server's workspace index shares them: every
    // other version says so ([`Doc::shared`]: known unchanged by identity), the others
    // do not (compared by content), so the memo passes between both ways.
    let shared: Vec<Arc<crate::facts::NameIndex>> =
        others.iter().map(|o| Arc::new(o.names.clone())).collect();
    for (v, text) in versions.iter().enumerate() {
        let a = analyze(Arc::from(text.as_str()), None, &ctx);
        let mut docs = vec![Doc {
            path: "a.md",
            text: &a.text,
            names: &a.names,
            shared: None,
        }];
        for (i, (o, n)) in others.iter().zip(&shared).enumerate() {
            docs.push(Doc {
                path: ["b.md", "c.md"][i],
                text: &o.text,
                names: n,
                shared: (v % 2 == 0).then_some(n),
            });
        }
        let fresh = workspace::findings(&docs, &ctx);
        found += fresh.iter().map(Vec::len).sum::<usize>();
        for (i, memo) in memos.iter().enumerate() {
            let got = workspace::findings_for_reusing(memo, &docs, i, &ctx);
            assert_eq!(got, fresh[i], "document {i} of {text:?}");
        }
    }
    // The edits that touch no name (a third at least) were moved, not compared.
    let compared = memos[0].computed();
    assert!(
        versions.len() - compared >= versions.len() / 3,
        "{compared} of {}",
        versions.len()
    );
    assert!(
        found > versions.len(),
        "the workspace has cross-file findings"
    );
}

/// The question whether a new finding overlaps one made before compares it with a
/// window of the findings (those starting at most the longest span's length before
/// it), not with all of them, and answers as the comparison with all of them does.
#[test]
fn an_overlap_with_earlier_findings_is_asked_of_a_window() {
    use super::across::Reported;
    use crate::finding::Span;
    use proptest::prelude::RngExt;
    use proptest::test_runner::{RngAlgorithm, TestRng};
    let mut rng = TestRng::deterministic_rng(RngAlgorithm::ChaCha);
    let mut r = Reported::default();
    let mut all: Vec<Span> = Vec::new();
    let mut compared = 0;
    let n = 4_000;
    for _ in 0..n {
        let start = rng.random_range(0..200_000usize);
        let q = Span::new(start, start + rng.random_range(0..24usize));
        let brute = all.iter().any(|s| s.overlaps(q));
        assert_eq!(r.overlaps(q), brute, "{q:?}");
        compared += r.compared(q);
        if !brute {
            r.insert(q);
            all.push(q);
        }
    }
    // Findings over 200 KB, none longer than 24 bytes: a handful near each, not
    // thousands (all of them would be n * n / 2).
    assert!(all.len() > n / 2, "{}", all.len());
    assert!(
        compared < 4 * n,
        "{compared} spans compared for {n} findings"
    );
}
