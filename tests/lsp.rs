//! End-to-end JSON-RPC over the real binary.

mod common;
use common::*;
use serde_json::{Value, json};

#[test]
fn lifecycle_diagnostics_and_navigation_on_the_fixture() {
    let path = fixture("bajanov-1995.md");
    let text = std::fs::read_to_string(&path).expect("fixture");
    let uri = file_uri(&path);
    let mut lsp = Lsp::spawn();
    let init = lsp.initialize(json!({"general": {"positionEncodings": ["utf-16"]}}));
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    lsp.open(&uri, &text);
    let diags = lsp.diagnostics(&uri, Some(1));
    for d in &diags {
        assert_eq!(d["source"], "annalist");
        assert!(d["code"].is_string());
    }
    // Outline: the article's headings.
    let syms = lsp.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": uri}}),
    );
    let names: Vec<String> = syms
        .as_array()
        .map(|a| {
            a.iter()
                .map(|s| s["name"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(names, vec!["The Origins of the Korean War"]);
    let status = lsp.shutdown();
    assert!(status.success(), "exit status {status:?}");
}

#[test]
fn utf8_is_negotiated_when_offered() {
    let mut lsp = Lsp::spawn();
    let init = lsp.initialize(json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}));
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    let init2 = Value::Null;
    let _ = init2;
    assert!(lsp.shutdown().success());
}

#[test]
fn exit_without_shutdown_is_code_1() {
    let mut lsp = Lsp::spawn();
    lsp.initialize(json!({}));
    lsp.notify("exit", Value::Null);
    lsp.close_stdin();
    let status = lsp.child.wait().expect("wait");
    assert_eq!(status.code(), Some(1));
}

fn hover_text(lsp: &mut Lsp, uri: &str, (line, character): (u32, u32)) -> String {
    let r = lsp.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character + 1}}),
    );
    r["contents"]["value"].as_str().unwrap_or("").to_string()
}

#[test]
fn endnotes_dates_and_entities_on_the_fixture() {
    let path = fixture("bajanov-1995.md");
    let text = std::fs::read_to_string(&path).expect("fixture");
    let uri = file_uri(&path);
    let mut lsp = Lsp::spawn();
    lsp.initialize(json!({}));
    lsp.open(&uri, &text);
    let diags = lsp.diagnostics(&uri, Some(1));
    let codes: Vec<&str> = diags.iter().filter_map(|d| d["code"].as_str()).collect();
    assert!(codes.contains(&"romanisation-ocr"), "{codes:?}");
    assert!(codes.contains(&"date-incomplete"), "{codes:?}");
    assert!(
        !codes.iter().any(|c| c.starts_with("footnote-")),
        "{codes:?}"
    );

    // Go to definition on the endnote marker "(2)" lands on entry 2 of the Notes section.
    let marker = pos_of(&text, "important.\" (2)");
    let def = lsp.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri}, "position": {"line": marker.0, "character": marker.1 + 13}}),
    );
    let notes_entry = pos_of(&text, "2. The text of note 2");
    assert_eq!(def["range"]["start"]["line"], notes_entry.0, "{def}");

    // Hover on the marker shows the note's text.
    let h = hover_text(&mut lsp, &uri, (marker.0, marker.1 + 12));
    assert!(h.contains("not included in the excerpt"), "{h}");

    // References on the note list its one marker.
    let refs = lsp.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri}, "position": {"line": notes_entry.0, "character": 0},
               "context": {"includeDeclaration": false}}),
    );
    assert_eq!(refs.as_array().map(Vec::len), Some(1), "{refs}");
    assert_eq!(refs[0]["range"]["start"]["line"], marker.0);

    // Hover on a date: its EDTF value and weekday.
    let h = hover_text(&mut lsp, &uri, pos_of(&text, "17 April 1949"));
    assert!(h.contains("1949-04-17"), "{h}");
    assert!(h.contains("Sunday"), "{h}");

    // Hover on an actor: the entity card with native script.
    let h = hover_text(&mut lsp, &uri, pos_of(&text, "Shtykov bitterly"));
    assert!(h.contains("Штыков"), "{h}");

    // References on an entity: every mention, all spellings.
    let at = pos_of(&text, "Sŏul.");
    let refs = lsp.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri}, "position": {"line": at.0, "character": at.1 + 1},
               "context": {"includeDeclaration": true}}),
    );
    assert_eq!(
        refs.as_array().map(Vec::len),
        Some(text.matches("Sŏul").count()),
        "{refs}"
    );
    assert!(lsp.shutdown().success());
}

#[test]
fn gfm_footnotes_navigation_rename_and_completion() {
    let path = fixture("notes/gfm-basic.md");
    let text = std::fs::read_to_string(&path).expect("fixture");
    let uri = file_uri(&path);
    let mut lsp = Lsp::spawn();
    lsp.initialize(json!({}));
    lsp.open(&uri, &text);
    let _ = lsp.diagnostics(&uri, Some(1));
    let m = pos_of(&text, "[^kremlin] Stalin");
    let def = lsp.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri}, "position": {"line": m.0, "character": m.1 + 3}}),
    );
    let d = pos_of(&text, "[^kremlin]: Record");
    assert_eq!(def["range"]["start"]["line"], d.0, "{def}");
    // References from the definition of [^1]: both markers.
    let d1 = pos_of(&text, "[^1]: Stalin's");
    let refs = lsp.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri}, "position": {"line": d1.0, "character": 2},
               "context": {"includeDeclaration": false}}),
    );
    assert_eq!(refs.as_array().map(Vec::len), Some(2), "{refs}");
    // Rename [^1] everywhere.
    let edit = lsp.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": uri}, "position": {"line": d1.0, "character": 2}, "newName": "cable"}),
    );
    let edits = edit["changes"][&uri]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(edits.len(), 3, "{edit}");
    assert!(edits.iter().all(|e| e["newText"] == "cable"));
    // Completion after "[^" offers the labels.
    let end_line = text.lines().count() as u32;
    lsp.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2},
               "contentChanges": [{"range": {"start": {"line": end_line, "character": 0},
                                             "end": {"line": end_line, "character": 0}},
                                   "text": "See [^"}]}),
    );
    let items = lsp.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": {"line": end_line, "character": 6}}),
    );
    let labels: Vec<&str> = items
        .as_array()
        .map(|a| a.iter().filter_map(|i| i["label"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        labels.contains(&"kremlin") && labels.contains(&"1"),
        "{labels:?}"
    );
    assert!(lsp.shutdown().success());
}

/// Many rapid incremental edits, sent without waiting: the last diagnostics describe
/// the final text exactly (the same findings the engine gives on that text).
#[test]
fn rapid_edits_end_with_diagnostics_of_the_final_text() {
    let uri = "file:///virtual/rapid.md";
    let mut text = String::from("# Draft\n\nA claim.[^a]\n\n[^a]: Source.\n");
    let mut lsp = Lsp::spawn();
    lsp.initialize(json!({"general": {"positionEncodings": ["utf-16"]}}));
    lsp.open(uri, &text);
    let mut version = 1;
    for i in 0..300 {
        version += 1;
        // Insert a marker citing a missing note, or Korean text, at the start of line 2.
        let insert = if i % 3 == 0 {
            format!("[^m{i}] ")
        } else {
            "서울 ".to_string()
        };
        // Line 2 starts after "# Draft\n\n".
        text.insert_str("# Draft\n\n".len(), &insert);
        lsp.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version},
                   "contentChanges": [{"range": {"start": {"line": 2, "character": 0},
                                                 "end": {"line": 2, "character": 0}},
                                       "text": insert}]}),
        );
    }
    let diags = lsp.diagnostics(uri, Some(version));
    let expected = annalist::analysis::analyze_str(&text);
    let mut got: Vec<(String, u64, u64)> = diags
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or("").to_string(),
                d["range"]["start"]["line"].as_u64().unwrap_or(0),
                d["range"]["start"]["character"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let idx = annalist::position::LineIndex::new(&text);
    let mut want: Vec<(String, u64, u64)> = expected
        .findings
        .iter()
        .map(|f| {
            let p = idx.position(&text, f.span.start, annalist::position::Encoding::Utf16);
            (f.code.to_string(), p.line as u64, p.col as u64)
        })
        .collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);
    assert_eq!(
        want.iter().filter(|w| w.0 == "footnote-undefined").count(),
        100,
        "every planted marker is reported"
    );
    assert!(lsp.shutdown().success());
}

/// Clients that can pull and be told to pull again get `textDocument/diagnostic`;
/// clients that pull without refresh support (Neovim 0.11) get pushed diagnostics.
#[test]
fn pull_diagnostics_only_with_refresh_support() {
    let path = fixture("bajanov-1995.md");
    let text = std::fs::read_to_string(&path).expect("fixture");
    let uri = file_uri(&path);

    let mut lsp = Lsp::spawn();
    let init = lsp.initialize(json!({"textDocument": {"diagnostic": {}},
                                     "workspace": {"diagnostics": {"refreshSupport": true}}}));
    assert!(
        init["capabilities"]["diagnosticProvider"].is_object(),
        "{init}"
    );
    lsp.open(&uri, &text);
    let report = lsp.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(report["kind"], "full");
    let items = report["items"].as_array().cloned().unwrap_or_default();
    assert!(
        items.iter().any(|d| d["code"] == "date-incomplete"),
        "{report}"
    );
    assert!(lsp.shutdown().success());

    let mut lsp = Lsp::spawn();
    let init = lsp.initialize(json!({"textDocument": {"diagnostic": {}}}));
    assert!(
        init["capabilities"]["diagnosticProvider"].is_null(),
        "{init}"
    );
    lsp.open(&uri, &text);
    let pushed = lsp.diagnostics(&uri, Some(1));
    assert_eq!(pushed.len(), items.len());
    assert!(lsp.shutdown().success());
}

/// The editor and CI never disagree: for every fixture, the server's diagnostics and
/// `annalist check --format json` name the same codes at the same places.
#[test]
fn server_and_cli_report_the_same_findings() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![fixture("bajanov-1995.md")];
    for dir in ["variants", "claims", "notes", "dates"] {
        if let Ok(rd) = std::fs::read_dir(fixture(dir)) {
            let mut more: Vec<_> = rd
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "md"))
                .collect();
            more.sort();
            files.extend(more);
        }
    }
    assert!(files.len() > 10, "fixtures: {files:?}");
    // The fixtures directory is the workspace: the server compares names across its
    // files as `annalist check .` does there.
    let dir = fixture("");
    let dir = dir.as_path();
    let out = std::process::Command::new(bin())
        .args(["check", "--format", "json", "."])
        .current_dir(dir)
        .output()
        .expect("run check");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json report");
    let across = report["files"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|f| f["diagnostics"].as_array().cloned().unwrap_or_default())
        .filter(|d| {
            d["message"]
                .as_str()
                .is_some_and(|m| m.contains("across the workspace"))
        })
        .count();
    assert!(
        across > 0,
        "the fixtures spell some names differently from file to file"
    );
    let mut lsp = Lsp::spawn_in(root);
    lsp.initialize_in(dir, json!({"general": {"positionEncodings": ["utf-16"]}}));
    for path in &files {
        let text = std::fs::read_to_string(path).expect("fixture");
        let uri = file_uri(path);
        lsp.open(&uri, &text);
        let mut server = from_server(&lsp.diagnostics(&uri, Some(1)), &text);
        let rel = path
            .strip_prefix(dir)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let cli = from_cli(&report, &rel);
        // Before the workspace index lands, the first publication holds the document's
        // own findings (and those across the open documents); the cross-file ones
        // follow when the index lands: wait for that second publication of the same
        // version.
        if server != cli {
            server = from_server(&lsp.diagnostics(&uri, Some(1)), &text);
        }
        assert_eq!(server, cli, "{}", path.display());
    }
    assert!(lsp.shutdown().success());
}

/// Every actor and every date of the fixture: hover answers with its card, definition
/// lands on a mention of the same entity, references include the place asked about.
#[test]
fn every_actor_and_date_of_the_fixture_answers() {
    let path = fixture("bajanov-1995.md");
    let text = std::fs::read_to_string(&path).expect("fixture");
    let uri = file_uri(&path);
    let a = annalist::analysis::analyze_str(&text);
    assert!(
        a.mentions.len() > 40 && a.dates.len() > 15,
        "the fixture is rich"
    );
    let idx = annalist::position::LineIndex::new(&text);
    let enc = annalist::position::Encoding::Utf16;
    let at = |offset: usize| {
        let p = idx.position(&text, offset, enc);
        json!({"line": p.line, "character": p.col})
    };
    let mut lsp = Lsp::spawn();
    lsp.initialize(json!({}));
    lsp.open(&uri, &text);
    let _ = lsp.diagnostics(&uri, Some(1));
    for m in &a.mentions {
        let inside = at(m.span.start + 1);
        let h = lsp.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": inside}),
        );
        let card = h["contents"]["value"].as_str().unwrap_or("");
        assert!(!card.is_empty(), "no hover on {:?}", m.surface(&text));
        let def = lsp.request(
            "textDocument/definition",
            json!({"textDocument": {"uri": uri}, "position": inside}),
        );
        assert!(
            def["uri"].is_string(),
            "no definition for {:?}: {def}",
            m.surface(&text)
        );
        let refs = lsp.request(
            "textDocument/references",
            json!({"textDocument": {"uri": uri}, "position": inside,
                   "context": {"includeDeclaration": true}}),
        );
        let here = at(m.span.start);
        assert!(
            refs.as_array()
                .is_some_and(|r| r.iter().any(|l| l["range"]["start"] == here)),
            "references of {:?} miss it: {refs}",
            m.surface(&text)
        );
    }
    for d in &a.dates {
        let h = lsp.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": at(d.span.start + 1)}),
        );
        let card = h["contents"]["value"].as_str().unwrap_or("");
        assert!(
            card.contains(&d.edtf),
            "hover on {:?} lacks {}: {card}",
            d.span.slice(&text),
            d.edtf
        );
    }
    assert!(lsp.shutdown().success());
}

/// Quick fixes through the real binary: applying a code action's edit removes its
/// diagnostic and adds no other.
#[test]
fn code_actions_remove_their_diagnostic_and_break_nothing() {
    let mut files = vec![fixture("bajanov-1995.md")];
    if let Ok(rd) = std::fs::read_dir(fixture("variants")) {
        let mut more: Vec<_> = rd.flatten().map(|e| e.path()).collect();
        more.sort();
        files.extend(more);
    }
    files.push(fixture("claims/unsourced.md"));
    let mut applied = 0;
    let mut lsp = Lsp::spawn();
    lsp.initialize(json!({"general": {"positionEncodings": ["utf-16"]}}));
    for (n, path) in files.iter().enumerate() {
        let original = std::fs::read_to_string(path).expect("fixture");
        let diags_before = annalist::analysis::analyze_str(&original).findings;
        let uri = format!("file:///virtual/fix-{n}.md");
        lsp.open(&uri, &original);
        let diags = lsp.diagnostics(&uri, Some(1));
        for d in diags.iter().take(6) {
            let actions = lsp.request(
                "textDocument/codeAction",
                json!({"textDocument": {"uri": uri}, "range": d["range"],
                       "context": {"diagnostics": [d]}}),
            );
            let Some(action) = actions.as_array().and_then(|a| {
                a.iter().find(|x| {
                    x["diagnostics"][0]["range"] == d["range"]
                        && x["diagnostics"][0]["code"] == d["code"]
                })
            }) else {
                continue;
            };
            let edits = action["edit"]["changes"][&uri]
                .as_array()
                .cloned()
                .unwrap_or_default();
            // Apply the edits client-side (UTF-16 positions), last first.
            let idx = annalist::position::LineIndex::new(&original);
            let mut spans: Vec<(usize, usize, String)> = edits
                .iter()
                .map(|e| {
                    let off = |p: &serde_json::Value| {
                        idx.offset(
                            &original,
                            annalist::position::LineCol {
                                line: p["line"].as_u64().unwrap_or(0) as u32,
                                col: p["character"].as_u64().unwrap_or(0) as u32,
                            },
                            annalist::position::Encoding::Utf16,
                        )
                    };
                    (
                        off(&e["range"]["start"]),
                        off(&e["range"]["end"]),
                        e["newText"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect();
            spans.sort_by_key(|s| std::cmp::Reverse(s.0));
            let mut fixed = original.clone();
            for (s, e, t) in spans {
                fixed.replace_range(s..e, &t);
            }
            let after = annalist::analysis::analyze_str(&fixed).findings;
            let code = d["code"].as_str().unwrap_or("");
            let count = |fs: &[annalist::finding::Finding], c: &str| {
                fs.iter().filter(|f| f.code == c).count()
            };
            assert_eq!(
                count(&after, code) + 1,
                count(&diags_before, code),
                "{}: {:?} did not remove one {code}",
                path.display(),
                action["title"]
            );
            for other in [
                "footnote-undefined",
                "footnote-unused",
                "date-invalid",
                "romanisation-ocr",
            ] {
                if other != code {
                    assert!(
                        count(&after, other) <= count(&diags_before, other),
                        "{}: {:?} added {other}",
                        path.display(),
                        action["title"]
                    );
                }
            }
            assert!(
                after.len() < diags_before.len() + 1,
                "{}: {:?} added findings",
                path.display(),
                action["title"]
            );
            applied += 1;
        }
        // Each fixture is judged alone here (no workspace, nothing else open).
        lsp.close(&uri);
    }
    assert!(applied >= 10, "only {applied} code actions were tried");
    assert!(lsp.shutdown().success());
}

/// Names compared across the workspace: an open document is judged against the files
/// on disk it has not opened; related places point into them; an edit elsewhere
/// changes the verdict and the document's diagnostics are published again.
#[test]
fn names_are_compared_across_the_workspace() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    std::fs::write(
        root.join("a.md"),
        "Kim Il Sung returned to Sŏul.\n\nSŏul had fallen.\n",
    )
    .expect("write");
    std::fs::write(root.join("b.md"), "The army reached Seoul.\n").expect("write");
    std::fs::write(
        root.join("c.md"),
        "Seoul again, and Seoul. Shtykov wrote.\n",
    )
    .expect("write");
    let mut lsp = Lsp::spawn_in(root);
    lsp.initialize_in(
        root,
        json!({"general": {"positionEncodings": ["utf-16"]},
               "textDocument": {"publishDiagnostics": {"relatedInformation": true}}}),
    );
    let a = file_uri(&root.join("a.md"));
    let b = file_uri(&root.join("b.md"));
    let text_a = std::fs::read_to_string(root.join("a.md")).expect("read");
    lsp.open(&a, &text_a);
    // The first publication does not wait for the workspace index; the one made when
    // it lands carries the comparison with the unopened files. Each publication is
    // taken in turn (none left behind to be mistaken later for a newer one).
    let across_count = |d: &[Value]| {
        d.iter()
            .filter(|x| x["code"] == "romanisation-inconsistent")
            .count()
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let diags = loop {
        let d = lsp.diagnostics(&a, Some(1));
        if across_count(&d) == 2 {
            break d;
        }
        assert!(std::time::Instant::now() < deadline, "{d:?}");
    };
    let across: Vec<&Value> = diags
        .iter()
        .filter(|d| d["code"] == "romanisation-inconsistent")
        .collect();
    assert_eq!(across.len(), 2, "{diags:?}");
    let d = across[0];
    assert_eq!(d["range"]["start"], json!({"line": 0, "character": 24}));
    let related: Vec<&str> = d["relatedInformation"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["location"]["uri"].as_str())
        .collect();
    assert!(related.iter().any(|u| u.ends_with("/b.md")), "{related:?}");
    assert!(related.iter().any(|u| u.ends_with("/c.md")), "{related:?}");
    // The related place in the unopened b.md is where "Seoul" stands there.
    let in_b = d["relatedInformation"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| {
            r["location"]["uri"]
                .as_str()
                .is_some_and(|u| u.ends_with("/b.md"))
        })
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        in_b["location"]["range"]["start"],
        json!({"line": 0, "character": 17})
    );
    // The quick fix writes the workspace's spelling.
    let actions = lsp.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": a}, "range": d["range"], "context": {"diagnostics": [d]}}),
    );
    let titles: Vec<&str> = actions
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x["title"].as_str())
        .collect();
    // A spelling change is never a safe fix (issue #12): the editor labels it.
    assert!(
        titles.contains(&"Replace with “Seoul” (unsafe)"),
        "{titles:?}"
    );

    // Hover on a name says how the whole workspace spells it.
    let h = lsp.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": a}, "position": {"line": 0, "character": 25}}),
    );
    let card = h["contents"]["value"].as_str().unwrap_or("");
    assert!(
        card.contains("**In this workspace:** “Seoul” 3 times in 2 files · “Sŏul” twice in 1 file"),
        "{card}"
    );

    // Workspace symbols: an entity at its first mention, in an open document first,
    // else in a workspace file on disk; nothing for a name the workspace never writes.
    let found = lsp.request("workspace/symbol", json!({"query": "shtykov"}));
    let sym = &found[0];
    assert!(
        sym["name"].as_str().is_some_and(|n| n.contains("Shtykov")),
        "{found}"
    );
    assert!(
        sym["location"]["uri"]
            .as_str()
            .is_some_and(|u| u.ends_with("/c.md")),
        "{found}"
    );
    assert_eq!(
        sym["location"]["range"]["start"],
        json!({"line": 0, "character": 24})
    );
    let found = lsp.request("workspace/symbol", json!({"query": "kim il"}));
    assert!(
        found
            .as_array()
            .into_iter()
            .flatten()
            .any(|s| s["location"]["uri"]
                .as_str()
                .is_some_and(|u| u.ends_with("/a.md"))),
        "{found}"
    );
    let found = lsp.request("workspace/symbol", json!({"query": "Vyshinsky"}));
    assert_eq!(found, json!([]), "never mentioned in this workspace");

    // b.md opened and rewritten to Sŏul ×3: now Sŏul leads, and a.md's findings go.
    let text_b = std::fs::read_to_string(root.join("b.md")).expect("read");
    lsp.open(&b, &text_b);
    let _ = lsp.diagnostics(&b, Some(1));
    lsp.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": b, "version": 2},
               "contentChanges": [{"text": "Sŏul, Sŏul and Sŏul.\n"}]}),
    );
    let diags_b = lsp.diagnostics(&b, Some(2));
    assert!(
        diags_b
            .iter()
            .all(|d| d["code"] != "romanisation-inconsistent"),
        "{diags_b:?}"
    );
    // a.md is published again, without the finding (earlier publications of it may
    // still be queued: wait for the one that reflects b.md's change).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let republished = lsp.diagnostics(&a, Some(1));
        if republished
            .iter()
            .all(|d| d["code"] != "romanisation-inconsistent")
        {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "a.md was not published again without the finding: {republished:?}"
        );
    }
    // Closing b.md unsaved: the file on disk (Seoul) counts again.
    lsp.close(&b);
    let again = lsp.diagnostics(&a, Some(1));
    assert_eq!(
        again
            .iter()
            .filter(|d| d["code"] == "romanisation-inconsistent")
            .count(),
        2,
        "{again:?}"
    );
    assert!(lsp.shutdown().success());
}

/// A document large enough to be parsed in parallel chunks, opened while the server
/// indexes a collection beside it (as an editor opens its first file right after
/// `initialized`): its diagnostics arrive. The index once asked the server's state
/// lock from rayon's threads while the open held that lock waiting for rayon to parse
/// the chunks, and the server hung.
#[test]
fn a_large_document_opened_while_the_workspace_is_indexed_gets_diagnostics() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    let real = fixture("real");
    for e in std::fs::read_dir(&real).expect("fixtures/real").flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "md") {
            std::fs::copy(&p, root.join(e.file_name())).expect("copy");
        }
    }
    let doc = big_document(200_000);
    let path = root.join("transcription.md");
    std::fs::write(&path, &doc).expect("write");
    let uri = file_uri(&path);
    let mut lsp = Lsp::spawn_in(root);
    lsp.initialize_in(root, json!({"general": {"positionEncodings": ["utf-16"]}}));
    lsp.open(&uri, &doc);
    let diags = lsp.diagnostics(&uri, Some(1));
    assert!(!diags.is_empty(), "no diagnostics for the open document");
    let _ = lsp.shutdown();
}

/// An entity's references list each mention once: the asked document's own mentions
/// (from its analysis), the other files' from disk, and never the asked document's
/// file read from disk as well.
#[test]
fn entity_references_list_each_mention_once() {
    let d = tempfile::tempdir().expect("tempdir");
    std::fs::write(d.path().join("annalist.toml"), "").expect("toml");
    let text = "# One\n\nStalin met Shtykov in Moscow. Stalin agreed.\n";
    let path = d.path().join("one.md");
    std::fs::write(&path, text).expect("write");
    std::fs::write(d.path().join("two.md"), "# Two\n\nStalin wrote again.\n").expect("write");
    let uri = file_uri(&path);
    let mut lsp = Lsp::spawn_in(d.path());
    lsp.initialize_in(d.path(), json!({}));
    lsp.open(&uri, text);
    lsp.diagnostics(&uri, Some(1));
    let at = pos_of(text, "Stalin met");
    let refs = lsp.request(
        "textDocument/references",
        json!({"textDocument": {"uri": uri}, "position": {"line": at.0, "character": at.1 + 1},
               "context": {"includeDeclaration": true}}),
    );
    let places: Vec<(String, Value)> = refs
        .as_array()
        .map(|a| {
            a.iter()
                .map(|l| {
                    let file = l["uri"].as_str().unwrap_or("");
                    let file = file.rsplit('/').next().unwrap_or("").to_string();
                    (file, l["range"]["start"].clone())
                })
                .collect()
        })
        .unwrap_or_default();
    let in_one = places.iter().filter(|(f, _)| f == "one.md").count();
    let in_two = places.iter().filter(|(f, _)| f == "two.md").count();
    assert_eq!((in_one, in_two), (2, 1), "{refs}");
    let mut unique: Vec<String> = places.iter().map(|(f, s)| format!("{f} {s}")).collect();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), places.len(), "{refs}");
    assert!(lsp.shutdown().success());
}
