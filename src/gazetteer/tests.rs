//! The embedded data's integrity, loading and merging.

use super::*;
use crate::config::Config;
use std::collections::HashMap;

/// Every embedded entry with the file it comes from.
fn embedded_parsed() -> Vec<(Entity, Span)> {
    let mut out = Vec::new();
    for (file, text) in EMBEDDED_FILES {
        let (entities, problems) = parse_toml(text);
        assert!(problems.is_empty(), "embedded {file}: {problems:?}");
        out.extend(entities);
    }
    out
}

/// The ids of the single file the data was first shipped in
/// (data/gazetteer/korea-1945-1953.toml, removed when split by subject).
const OLD_IDS: &[&str] = &[
    "stalin",
    "shtykov",
    "vyshinsky",
    "molotov",
    "malenkov",
    "beria",
    "gromyko",
    "malik",
    "vasilevsky",
    "bajanov",
    "mao-zedong",
    "zhou-enlai",
    "peng-dehuai",
    "gao-gang",
    "liu-shaoqi",
    "chiang-kai-shek",
    "kim-il-sung",
    "pak-hon-yong",
    "kim-tu-bong",
    "choe-yong-gon",
    "syngman-rhee",
    "kim-ku",
    "truman",
    "acheson",
    "macarthur",
    "ridgway",
    "john-foster-dulles",
    "george-marshall",
    "omar-bradley",
    "trygve-lie",
    "seoul",
    "pyongyang",
    "moscow",
    "kremlin",
    "washington",
    "beijing",
    "taiwan",
    "38th-parallel",
    "incheon",
    "busan",
    "kaesong",
    "panmunjom",
    "yalu-river",
    "manchuria",
    "korea",
    "north-korea",
    "south-korea",
    "soviet-union",
    "china",
    "republic-of-china",
    "kuomintang",
    "united-states",
    "russia",
    "japan",
    "georgetown-university",
    "politburo",
    "soviet-communist-party",
    "soviet-embassy-pyongyang",
    "soviet-foreign-ministry",
    "russian-foreign-ministry",
    "icip",
    "nato",
    "united-nations",
    "un-security-council",
    "us-national-security-council",
    "nsc-68",
    "un-command",
    "korean-peoples-army",
    "chinese-peoples-volunteers",
    "chinese-communist-party",
    "workers-party-of-korea",
    "cwihp",
    "korean-war",
    "north-atlantic-treaty",
    "first-soviet-atomic-test",
    "sino-soviet-treaty-1950",
    "founding-of-the-prc",
    "acheson-press-club-speech",
    "incheon-landing",
    "korean-armistice",
    "soviet-un-boycott-1950",
    "moscow-conference-1945",
];

#[test]
fn every_old_id_survives_the_split() {
    assert_eq!(OLD_IDS.len(), 82);
    let g = Gazetteer::embedded();
    for id in OLD_IDS {
        assert!(g.index_of(id).is_some(), "the old id `{id}` is gone");
    }
}

#[test]
fn embedded_data_is_valid() {
    let entities = embedded_parsed();
    assert!(entities.len() >= 500, "only {} entities", entities.len());
    for (file, text) in EMBEDDED_FILES {
        let (entities, _) = parse_toml(text);
        let problems = validate(text, &entities);
        assert!(problems.is_empty(), "{file}: {problems:#?}");
    }
    let warnings = warnings("", &[], &Gazetteer::embedded());
    assert!(warnings.is_empty());
    // The data's own names never trip the ambiguity list, unless marked ambiguous.
    for (e, _) in &entities {
        for (n, ambiguous) in load::all_names(e) {
            let k = crate::prose::fold::fold_name(n);
            assert!(
                ambiguous || !TOO_AMBIGUOUS.contains(&k.as_str()),
                "{}: {n}",
                e.id
            );
            assert!(!n.trim().is_empty(), "{}: an empty name", e.id);
        }
    }
}

#[test]
fn every_entry_loads_and_remembers_its_file() {
    let g = Gazetteer::embedded();
    let mut total = 0;
    for (file, text) in EMBEDDED_FILES {
        let (entities, problems) = parse_toml(text);
        assert!(problems.is_empty(), "{file}: {problems:?}");
        total += entities.len();
        for (e, span) in entities {
            let i = g.index_of(&e.id).unwrap_or(usize::MAX);
            assert_eq!(g.entities.get(i), Some(&e), "{file}: {} did not load", e.id);
            assert_eq!(g.builtin_file(i), Some((*file, span)), "{}", e.id);
            assert!(text[span.start..span.end].contains(&format!("\"{}\"", e.id)));
        }
    }
    assert_eq!(total, g.entities.len(), "an id is defined in two files");
}

#[test]
fn ids_unique_and_no_name_maps_to_two_entities() {
    let entities = embedded_parsed();
    let mut ids = std::collections::HashSet::new();
    let mut names: HashMap<String, (String, bool)> = HashMap::new();
    for (e, _) in &entities {
        assert!(ids.insert(e.id.clone()), "duplicate id {}", e.id);
        let mut own = std::collections::HashSet::new();
        for (n, ambiguous) in load::all_names(e) {
            let k = crate::prose::fold::fold_name(n);
            if !own.insert(k.clone()) {
                continue;
            }
            if let Some((other, other_ambiguous)) = names.get(&k) {
                assert!(
                    ambiguous && *other_ambiguous,
                    "the name {n} belongs to {other} and {}: mark it `ambiguous = true` on both",
                    e.id
                );
            } else {
                names.insert(k, (e.id.clone(), ambiguous));
            }
        }
    }
}

#[test]
fn every_source_is_checked() {
    for (e, _) in embedded_parsed() {
        let s = e.source.as_deref().unwrap_or("");
        assert!(
            !s.to_lowercase().contains("not yet cross-checked"),
            "{}: {s}",
            e.id
        );
    }
}

#[test]
fn every_date_is_edtf_and_every_entry_has_a_source() {
    for (e, _) in embedded_parsed() {
        for d in [&e.start, &e.end].into_iter().flatten() {
            assert!(edtf::parse(d).is_ok(), "{}: {d}", e.id);
        }
        for r in &e.roles {
            for d in [&r.from, &r.to].into_iter().flatten() {
                assert!(edtf::parse(d).is_ok(), "{} role: {d}", e.id);
            }
        }
        assert!(
            e.source.as_deref().is_some_and(|s| !s.trim().is_empty()),
            "{} has no source",
            e.id
        );
        if let Some(w) = &e.wikidata {
            // Only the ids verified in shared/research/gazetteer-facts.md.
            assert!(
                w.starts_with('Q') && w[1..].chars().all(|c| c.is_ascii_digit()),
                "{w}"
            );
        }
    }
}

#[test]
fn seed_actors_places_and_bodies_are_present() {
    let g = Gazetteer::embedded();
    for id in [
        "stalin",
        "kim-il-sung",
        "shtykov",
        "mao-zedong",
        "seoul",
        "pyongyang",
        "moscow",
        "washington",
        "kremlin",
        "politburo",
        "nato",
        "beijing",
        "taiwan",
        "bajanov",
        "georgetown-university",
        "38th-parallel",
        "soviet-embassy-pyongyang",
        "soviet-foreign-ministry",
        "russian-foreign-ministry",
        "icip",
        "korean-war",
        "north-atlantic-treaty",
        "first-soviet-atomic-test",
        "vyshinsky",
        "molotov",
        "zhou-enlai",
        "peng-dehuai",
        "syngman-rhee",
        "truman",
        "acheson",
        "macarthur",
        "trygve-lie",
        "incheon",
        "busan",
        "un-security-council",
        "korean-peoples-army",
    ] {
        assert!(g.index_of(id).is_some(), "missing {id}");
    }
    // The spellings the brief names.
    let has = |id: &str, name: &str| {
        let e = &g.entities[g.index_of(id).unwrap_or(0)];
        e.spellings().any(|(_, t)| t == name) || e.native.iter().any(|t| t == name)
    };
    for (id, n) in [
        ("seoul", "Sŏul"),
        ("pyongyang", "P'yŏngyang"),
        ("pyongyang", "Pyeongyang"),
        ("pyongyang", "Phyŏngyang"),
        ("kim-il-sung", "Kim Il-sung"),
        ("kim-il-sung", "Kim II Sung"),
        ("mao-zedong", "Mao Tse-tung"),
        ("shtykov", "Chtykov"),
        ("shtykov", "Schtykow"),
        ("shtykov", "Štykov"),
        ("beijing", "Peking"),
        ("bajanov", "Evgeni Bajanov"),
        ("bajanov", "Yevgeny Bazhanov"),
        ("bajanov", "Евгений Бажанов"),
        ("politburo", "CPSU CC Politburo"),
    ] {
        assert!(has(id, n), "{id} lacks {n}");
    }
    let ocr = &g.entities[g.index_of("kim-il-sung").unwrap_or(0)];
    assert!(
        ocr.names
            .iter()
            .any(|n| n.text == "Kim II Sung" && n.system == Some(System::Ocr))
    );
    let pol = &g.entities[g.index_of("politburo").unwrap_or(0)];
    assert!(pol.notes.iter().any(|n| n.contains("1952")));
}

#[test]
fn project_files_add_and_override_and_report_problems() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let root = dir.path();
    std::fs::write(
        root.join("extra.toml"),
        "[[entity]]\nid = \"stalin\"\nkind = \"person\"\npreferred = \"I. V. Stalin\"\nnames = [{ text = \"Stalin\" }]\n\n\
         [[entity]]\nid = \"kovalev\"\nkind = \"person\"\npreferred = \"Ivan Kovalev\"\n\n\
         [[entity]]\nid = \"broken\"\nkind = \"nonsense\"\npreferred = \"X Y Z\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(root.join("syntax.toml"), "[[entity]\n").unwrap_or_else(|e| panic!("{e}"));
    let cfg = Config {
        gazetteers: vec![
            "extra.toml".into(),
            "syntax.toml".into(),
            "../outside.toml".into(),
            "/etc/passwd".into(),
            "missing.toml".into(),
        ],
        ..Config::default()
    };
    let (g, problems) = load_project(root, &cfg);
    let base = Gazetteer::embedded();
    assert_eq!(g.entities.len(), base.entities.len() + 1, "one new entity");
    let i = g.index_of("stalin").unwrap_or(usize::MAX);
    assert_eq!(
        i,
        base.index_of("stalin").unwrap_or(0),
        "override keeps the index"
    );
    assert_eq!(g.entities[i].preferred, "I. V. Stalin");
    let origin = g.origin(i).unwrap_or_else(|| panic!("origin"));
    assert_eq!(
        origin.file.as_deref(),
        Some(root.join("extra.toml").as_path())
    );
    assert_eq!(origin.span.start, 0);
    assert!(g.index_of("kovalev").is_some());
    assert!(g.origin(g.index_of("moscow").unwrap_or(0)).is_none());
    let msgs: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(problems.len(), 5, "{msgs:#?}");
    assert!(
        msgs.iter()
            .any(|m| m.contains("extra.toml:14:8") && m.contains("nonsense"))
    );
    assert!(msgs.iter().any(|m| m.contains("syntax.toml:1:")));
    assert!(
        msgs.iter()
            .any(|m| m.contains("../outside.toml") && m.contains("outside the workspace"))
    );
    assert!(
        msgs.iter()
            .any(|m| m.contains("/etc/passwd") && m.contains("outside the workspace"))
    );
    assert!(
        msgs.iter()
            .any(|m| m.contains("missing.toml") && m.contains("cannot read"))
    );
}

#[test]
fn front_matter_entities() {
    let yaml = "title: x\nentities:\n  - id: kovalev\n    kind: person\n    preferred: Ivan Kovalev\n    names:\n      - text: Kovalev\n        system: conventional\n  - id: bad\n    kind: personn\n    preferred: Q\n  - id: also\n    kind: place\n    preferred: Somewhere Else\n    colour: red\nauthor: y\n";
    let (v, problems) = from_front_matter_spanned(yaml);
    assert_eq!(v.len(), 2);
    assert_eq!(v[0].0.id, "kovalev");
    assert_eq!(v[0].0.names[0].system, Some(System::Conventional));
    assert!(yaml[v[0].1.start..v[0].1.end].starts_with("- id: kovalev"));
    assert!(yaml[v[1].1.start..v[1].1.end].contains("Somewhere Else"));
    assert!(!yaml[v[1].1.start..v[1].1.end].contains("author"));
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems.iter().any(|p| p.message.contains("personn")));
    let colour = problems.iter().find(|p| p.message.contains("colour"));
    assert!(colour.is_some_and(|p| yaml[p.offset..].starts_with("colour")));
    // Not YAML: a problem, nothing loaded, no panic.
    let (v, p) = from_front_matter("entities: [\n  - : :\n");
    assert!(v.is_empty() && p.len() == 1);
    // No entities key: nothing at all.
    let (v, p) = from_front_matter("title: The Origins\n");
    assert!(v.is_empty() && p.is_empty());
}

#[test]
fn workspace_escape_is_refused() {
    let base = std::path::Path::new("/tmp/project");
    assert!(inside_workspace(base, std::path::Path::new("g/a.toml")).is_some());
    assert!(inside_workspace(base, std::path::Path::new("g/../a.toml")).is_some());
    assert!(inside_workspace(base, std::path::Path::new("../a.toml")).is_none());
    assert!(inside_workspace(base, std::path::Path::new("g/../../a.toml")).is_none());
    assert!(inside_workspace(base, std::path::Path::new("/a.toml")).is_none());
}

#[test]
fn years_may_be_written_as_numbers() {
    let (v, p) = parse_toml(
        "[[entity]]\nid = \"x\"\nkind = \"event\"\npreferred = \"Xyz\"\nstart = 1949\nroles = [{ title = \"t\", from = 1950 }]\n",
    );
    assert!(p.is_empty(), "{p:?}");
    assert_eq!(v[0].0.start.as_deref(), Some("1949"));
    assert_eq!(v[0].0.roles[0].from.as_deref(), Some("1950"));
    let (v, p) = from_front_matter(
        "entities:\n  - id: y\n    kind: person\n    preferred: Yy Zz\n    start: 1949\n    end: \"1950-03\"\n",
    );
    assert!(p.is_empty(), "{p:?}");
    assert_eq!(v[0].start.as_deref(), Some("1949"));
    assert_eq!(v[0].end.as_deref(), Some("1950-03"));
    let (_, p) =
        parse_toml("[[entity]]\nid = \"x\"\nkind = \"event\"\npreferred = \"Xyz\"\nstart = true\n");
    assert_eq!(p.len(), 1, "a boolean is not a date");
}

/// The id index `merge` keeps: overrides keep their index, new ids append, and an
/// `entities` list assigned directly (as tests do) is re-indexed before it is used.
#[test]
fn the_id_index_follows_the_entities() {
    let person = |id: &str, name: &str| Entity::new(id, EntityKind::Person, name);
    let mut g = Gazetteer::default();
    for i in 0..1000 {
        assert_eq!(g.merge(person(&format!("p{i}"), "A"), None), i);
    }
    assert_eq!(g.merge(person("p500", "B"), None), 500);
    assert_eq!(g.entities.len(), 1000);
    assert_eq!(g.entities[500].preferred, "B");
    assert_eq!(g.index_of("p999"), Some(999));
    assert_eq!(g.index_of("nobody"), None);
    g.entities = vec![person("x", "X"), person("p3", "Y")];
    assert_eq!(g.index_of("p3"), Some(1));
    assert_eq!(g.index_of("p500"), None);
    assert_eq!(g.merge(person("p3", "Z"), None), 1);
    assert_eq!(g.merge(person("p500", "Z"), None), 2);
    assert_eq!(g.index_of("x"), Some(0));
}
