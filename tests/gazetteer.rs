//! `annalist gazetteer check` through the built binary: a good file, a broken one,
//! a missing one.

use std::process::Command;

fn check(text: Option<&str>) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("g.toml");
    if let Some(t) = text {
        std::fs::write(&path, t).unwrap_or_else(|e| panic!("{e}"));
    }
    let out = Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args(["gazetteer", "check"])
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

#[test]
fn the_embedded_data_passes() {
    for data in [
        include_str!("../data/gazetteer/persons-korea.toml"),
        include_str!("../data/gazetteer/persons-soviet.toml"),
        include_str!("../data/gazetteer/persons-china.toml"),
        include_str!("../data/gazetteer/persons-us-un.toml"),
        include_str!("../data/gazetteer/places.toml"),
        include_str!("../data/gazetteer/organisations.toml"),
        include_str!("../data/gazetteer/events.toml"),
    ] {
        let (code, out) = check(Some(data));
        assert_eq!(code, 0, "{out}");
        assert!(out.contains(" 0 errors"), "{out}");
    }
}

#[test]
fn a_good_project_file_passes() {
    let good = r#"
[[entity]]
id = "kovalev"
kind = "person"
preferred = "Ivan Kovalev"
names = [{ text = "Kovalev", system = "conventional" }, { text = "Kowaljow", system = "german" }]
native = ["Иван Ковалёв"]
roles = [{ title = "Stalin's representative to the Chinese Communist leadership", from = "1948", to = "1950" }]
description = "Soviet railway minister sent to Mao in 1949."
source = "project notes"
"#;
    let (code, out) = check(Some(good));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("1 entity, 0 errors, 0 warnings"), "{out}");
}

#[test]
fn a_broken_file_fails_with_positions() {
    let bad = r#"[[entity]]
id = "a"
kind = "person"
preferred = "Alpha Person"
start = "1950-02-30"

[[entity]]
id = "b"
kind = "person"
preferred = "Beta Person"
names = [{ text = "Alpha Person" }, { text = "  " }]

[[entity]]
id = "c"
kind = "persona"
preferred = "Gamma"

[[entity]]
id = "a"
kind = "place"
preferred = "Kim"
wikidata = "8684"
colour = "red"
"#;
    let (code, out) = check(Some(bad));
    assert_eq!(code, 1, "{out}");
    for want in [
        "g.toml:5:9: error: `a`: start date `1950-02-30`: Feb has no day 30",
        "g.toml:11:19: error: the name `Alpha Person` is given to both `a` and `b`",
        "g.toml:11:46: error: `b`: a name is empty",
        "g.toml:15:8: error: unknown variant `persona`",
        "g.toml:18:1: error: duplicate id `a` (first defined on line 1)",
        "g.toml:22:12: error: `a`: wikidata `8684` is not a Wikidata item id",
        "g.toml:23:1: error: unknown key `colour`",
        "g.toml:21:13: warning: `a`: the name `Kim` is too ambiguous",
        "3 entities, 7 errors, 1 warning",
    ] {
        assert!(out.contains(want), "missing {want:?} in\n{out}");
    }
}

#[test]
fn a_syntax_error_and_a_missing_file() {
    let (code, out) = check(Some("[[entity]\nid = 1\n"));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("g.toml:1:"), "{out}");
    assert!(out.contains("TOML syntax"), "{out}");
    let (code, out) = check(None);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("cannot read"), "{out}");
}

fn annalist(args: &[&str], dir: &std::path::Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_annalist"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/gazetteer")
        .join(name)
}

/// import → TOML → load gives the entities the importer made, for each format; the
/// file passes `gazetteer check`, and a project that lists it loads it.
#[test]
fn import_round_trips_through_the_binary() {
    use annalist::gazetteer::import;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for (file, kinds) in [
        ("persons.tei.xml", 3),
        ("persons.csv", 3),
        ("wikidata.json", 2),
    ] {
        let path = fixture(file);
        let p = path.to_string_lossy().into_owned();
        let (code, toml, err) = annalist(&["gazetteer", "import", &p], dir.path());
        assert_eq!(code, 0, "{file}: {err}");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
        let format = import::detect(&path, &text).unwrap_or_else(|| panic!("format"));
        let direct = import::import(format, &text, file);
        let (loaded, problems) = annalist::gazetteer::parse_toml(&toml);
        assert!(problems.is_empty(), "{file}: {problems:?}\n{toml}");
        let loaded: Vec<_> = loaded.into_iter().map(|(e, _)| e).collect();
        assert_eq!(loaded, direct.entities, "{file}");
        assert_eq!(loaded.len(), kinds, "{file}");
        assert!(
            loaded.iter().any(|e| e.preferred == "Ivan Kovalev"),
            "{file}"
        );
        // -o writes the same.
        let out = dir.path().join(format!("{file}.toml"));
        let o = out.to_string_lossy().into_owned();
        let (code, _, err) = annalist(&["gazetteer", "import", &p, "-o", &o], dir.path());
        assert_eq!(code, 0, "{err}");
        assert_eq!(std::fs::read_to_string(&out).unwrap_or_default(), toml);
        let (code, out) = check(Some(&toml));
        assert_eq!(code, 0, "{file}: {out}");
    }
    let tei = annalist::gazetteer::import::import(
        annalist::gazetteer::import::Format::Tei,
        &std::fs::read_to_string(fixture("persons.tei.xml")).unwrap_or_default(),
        "t",
    );
    let kovalev = &tei.entities[0];
    assert_eq!(kovalev.id, "kovalev");
    assert_eq!(kovalev.start.as_deref(), Some("1901"));
    assert_eq!(kovalev.native, vec!["Иван Владимирович Ковалёв"]);
    assert_eq!(kovalev.names[0].text, "Iwan Kowaljow");
}

#[test]
fn list_shows_builtin_files_and_project_files() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path();
    std::fs::write(
        root.join("annalist.toml"),
        "gazetteers = [\"people.toml\"]\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        root.join("people.toml"),
        "[[entity]]\nid = \"kovalev\"\nkind = \"person\"\npreferred = \"Ivan Kovalev\"\n\n[[entity]]\nid = \"stalin\"\nkind = \"person\"\npreferred = \"J. V. Stalin\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (code, out, err) = annalist(&["gazetteer", "list"], root);
    assert_eq!(code, 0, "{err}");
    for want in [
        "built-in persons-korea.toml",
        "built-in places.toml",
        "built-in events.toml",
        "people.toml",
        "total",
    ] {
        assert!(out.contains(want), "{want} in\n{out}");
    }
    let (code, out, err) = annalist(&["gazetteer", "list", "--format", "json"], root);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    let rows = v.as_array().unwrap_or_else(|| panic!("array"));
    let people = rows
        .iter()
        .find(|r| {
            r["source"]
                .as_str()
                .is_some_and(|s| s.ends_with("people.toml"))
        })
        .unwrap_or_else(|| panic!("{out}"));
    assert_eq!(people["person"], 2, "a new entity and an override");
    let total = rows.last().unwrap_or_else(|| panic!("total"));
    assert!(total["total"].as_u64().unwrap_or(0) >= 500);
}

#[test]
fn suggest_groups_romanisations_and_skips_known_names() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path();
    std::fs::write(
        root.join("a.md"),
        "# Notes\n\nThe envoy Ri Tong-gon met Stalin.\n\nLater Ri Tong-gon and Yi Tong-gŏn wrote to Kim Il Sung.\n\nOnce Quentin Ashworth Peabody came.\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (code, out, err) = annalist(&["gazetteer", "suggest", "a.md", "--format", "json"], root);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}\n{out}"));
    let cands = v.as_array().unwrap_or_else(|| panic!("{out}"));
    assert_eq!(cands.len(), 1, "{out}");
    assert_eq!(cands[0]["name"], "Ri Tong-gon");
    assert_eq!(cands[0]["count"], 3);
    assert_eq!(cands[0]["occurrences"][0]["line"], 3);
    let (code, out, _) = annalist(&["gazetteer", "suggest", "a.md", "--min-count", "1"], root);
    assert_eq!(code, 0);
    assert!(out.contains("preferred = \"Ri Tong-gon\""), "{out}");
    assert!(
        out.contains("names = [{ text = \"Yi Tong-gŏn\" }]"),
        "{out}"
    );
    assert!(
        out.contains("preferred = \"Quentin Ashworth Peabody\""),
        "{out}"
    );
    assert!(out.contains("a.md:3"), "{out}");
    let (code, out, _) = annalist(&["gazetteer", "suggest", ".", "--format", "table"], root);
    assert_eq!(code, 0);
    assert!(out.contains("Ri Tong-gon"), "{out}");
}

/// The real corpus's documents, sorted.
fn real_files() -> Vec<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/real");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One row of `fixtures/real/entities.tsv`: in `file`, the name written `surface`
/// (white space squashed) names the entity `id` of kind `kind`.
struct Gold {
    file: String,
    surface: String,
    kind: String,
    id: String,
}

fn gold() -> Vec<Gold> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/real/entities.tsv");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}"));
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() || line.starts_with("file\t") {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(
            cols.len(),
            4,
            "entities.tsv:{}: four columns: {line:?}",
            i + 1
        );
        rows.push(Gold {
            file: cols[0].to_string(),
            surface: squash(cols[1]),
            kind: cols[2].to_string(),
            id: cols[3].to_string(),
        });
    }
    rows
}

/// Recognition on the real-text corpus against the hand-made list of every person,
/// place, organisation (and event) each document names, `fixtures/real/entities.tsv`:
/// recall over the distinct (document, entity) pairs of persons, places and
/// organisations at least 0.90, over the distinct entities at least 0.90 (an entity
/// counts when one of its documents' mentions is linked), and no wrong link — every mention the engine makes
/// is a row of the list with the same entity. `--nocapture` prints the misses;
/// `ANNALIST_DUMP=1` also prints each document's unlisted capitalised runs (the
/// candidates read when the list was made).
#[test]
fn real_corpus_recognition() {
    use annalist::markdown::MdModel;
    use annalist::names::romanise::{capital_runs, words};
    use std::collections::{BTreeMap, BTreeSet};
    let g = annalist::gazetteer::Gazetteer::embedded();
    let r = annalist::names::Recognizer::new(&g);
    let gold = gold();
    let ids: BTreeMap<&str, &annalist::gazetteer::Entity> =
        g.entities.iter().map(|e| (e.id.as_str(), e)).collect();
    let dump = std::env::var_os("ANNALIST_DUMP").is_some();
    // Every row names a gazetteer id (or `-`: no entry yet) of the kind given.
    for row in &gold {
        if row.id == "-" {
            continue;
        }
        let e = ids
            .get(row.id.as_str())
            .unwrap_or_else(|| panic!("{}: {:?}: unknown id {}", row.file, row.surface, row.id));
        let kind = format!("{:?}", e.kind).to_lowercase();
        assert_eq!(
            kind, row.kind,
            "{}: {:?} ({})",
            row.file, row.surface, row.id
        );
    }
    let mut wrong = Vec::new();
    // (file, id) -> recognised?
    let mut pairs: BTreeMap<(String, String), bool> = BTreeMap::new();
    let mut entities: BTreeMap<String, bool> = BTreeMap::new();
    let mut missed_surfaces: BTreeMap<(String, String), String> = BTreeMap::new();
    let mut files_seen = 0;
    for f in real_files() {
        files_seen += 1;
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let rows: Vec<&Gold> = gold.iter().filter(|g| g.file == name).collect();
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        let md = MdModel::parse(&text);
        let ms = r.find(&text, &md);
        let mut found: BTreeSet<(String, String)> = BTreeSet::new();
        for m in &ms {
            let surface = squash(m.surface(&text));
            let id = g.entities[m.entity].id.clone();
            let listed = rows.iter().any(|g| g.surface == surface && g.id == id);
            if !listed {
                let line = text[..m.span.start].matches('\n').count() + 1;
                wrong.push(format!("{name}:{line}: {surface:?} -> {id}"));
            }
            found.insert((surface, id));
        }
        for row in &rows {
            if row.kind == "event" {
                continue;
            }
            let key = (row.file.clone(), row.id.clone());
            let key = if row.id == "-" {
                (row.file.clone(), format!("-{}", row.surface))
            } else {
                key
            };
            let hit = row.id != "-" && found.contains(&(row.surface.clone(), row.id.clone()));
            let e = pairs.entry(key.clone()).or_insert(false);
            *e |= hit;
            let ent = entities.entry(key.1.clone()).or_insert(false);
            *ent |= hit;
            if !hit {
                missed_surfaces
                    .entry(key)
                    .or_insert_with(|| row.surface.clone());
            }
        }
        if dump {
            println!("== {name}");
            let ws = words(&text, &md);
            let mut runs = BTreeSet::new();
            for run in capital_runs(&text, &ws) {
                let run = &ws[run];
                let (s, e) = (run[0].span().start, run[run.len() - 1].span().end);
                if ms.iter().any(|m| m.span.start < e && s < m.span.end) {
                    continue;
                }
                let t = squash(&text[s..e]);
                if !rows.iter().any(|g| g.surface == t) {
                    runs.insert(t);
                }
            }
            println!("   {}", runs.into_iter().collect::<Vec<_>>().join(" | "));
        }
    }
    assert_eq!(files_seen, 33, "the corpus changed: update entities.tsv");
    let hits = pairs.values().filter(|h| **h).count();
    let recall = hits as f64 / pairs.len().max(1) as f64;
    let ehits = entities.values().filter(|h| **h).count();
    println!(
        "persons, places, organisations: {hits} of {} (document, entity) pairs recognised ({:.1}%); {ehits} of {} distinct entities ({:.1}%); {} wrong links",
        pairs.len(),
        recall * 100.0,
        entities.len(),
        ehits as f64 * 100.0 / entities.len().max(1) as f64,
        wrong.len()
    );
    for ((file, id), surface) in &missed_surfaces {
        if !pairs
            .get(&(file.clone(), id.clone()))
            .copied()
            .unwrap_or(false)
        {
            println!("  missed {file}: {surface:?} ({id})");
        }
    }
    let never: Vec<&str> = entities
        .iter()
        .filter(|(_, hit)| !**hit)
        .map(|(id, _)| id.as_str())
        .collect();
    println!(
        "entities never linked ({}): {}",
        never.len(),
        never.join(", ")
    );
    assert!(
        wrong.is_empty(),
        "links not in entities.tsv:\n{}",
        wrong.join("\n")
    );
    assert!(recall >= 0.90, "recall {recall:.3} < 0.90");
    let distinct = ehits as f64 / entities.len().max(1) as f64;
    assert!(
        distinct >= 0.90,
        "distinct-entity recall {distinct:.3} < 0.90"
    );
}

/// A typo inside a name or a role is reported where it is written, not dropped.
#[test]
fn unknown_keys_inside_names_and_roles() {
    let text = r#"[[entity]]
id = "kovalev"
kind = "person"
preferred = "Ivan Kovalev"
names = [{ text = "Kovalev", sytem = "conventional" }]
roles = [{ title = "Representative", form = "1948" }]
"#;
    let (code, out) = check(Some(text));
    assert_eq!(code, 1, "{out}");
    for want in [
        "g.toml:5:30: error: unknown key `sytem` in an entry of `names` (known: text, system, ambiguous)",
        "g.toml:6:38: error: unknown key `form` in an entry of `roles` (known: title, from, to)",
        "1 entity, 2 errors",
    ] {
        assert!(out.contains(want), "missing {want:?} in\n{out}");
    }
}

/// `suggest` on a real document (FRUS 1951, the Hong Kong memoranda): the persons the
/// built-in gazetteer does not know come out with their counts and lines, offices
/// and known names do not, and the TOML stub it writes passes `gazetteer check`.
#[test]
fn suggest_on_a_real_document() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let doc = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/real/frus-1951v07p2-d2.md")
        .to_string_lossy()
        .into_owned();
    let (code, out, err) = annalist(
        &[
            "gazetteer",
            "suggest",
            &doc,
            "--format",
            "json",
            "--min-count",
            "2",
        ],
        dir.path(),
    );
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}\n{out}"));
    let cands = v.as_array().unwrap_or_else(|| panic!("{out}"));
    let named = |n: &str| cands.iter().find(|c| c["name"] == n);
    let chen = named("Chen Cho-lin").unwrap_or_else(|| panic!("Chen Cho-lin in {out}"));
    assert_eq!(chen["count"], 2);
    assert_eq!(chen["occurrences"][0]["line"], 212);
    assert_eq!(chen["kind"], "person");
    assert!(named("Chang Wu-min").is_some(), "{out}");
    for absent in [
        "Vice Chairman",
        "Prime Minister",
        "Chinese Ambassador",
        "Fu Tso-yi",
        "Li Chi-shen",
        "Charles Burton Marshall",
    ] {
        assert!(named(absent).is_none(), "{absent} in {out}");
    }
    let (code, toml, err) = annalist(&["gazetteer", "suggest", &doc], dir.path());
    assert_eq!(code, 0, "{err}");
    assert!(toml.contains("preferred = \"Chen Cho-lin\""), "{toml}");
    let (code, report) = check(Some(&toml));
    assert_eq!(code, 0, "{report}");
    assert!(report.contains(" 0 errors"), "{report}");
}
