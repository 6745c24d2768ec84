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
