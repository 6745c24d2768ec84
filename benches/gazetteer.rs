//! Gazetteer budgets (not a test): `cargo bench --bench gazetteer` (release profile).
//!
//! Two configurations: the built-in gazetteer alone, and the built-in one plus a
//! synthetic 50,000-entry project gazetteer (`gazetteers = ["big.toml"]` in an
//! `annalist.toml`). For each:
//!
//! - **load** in process, as the server and `check` do it: the built-in files' parse
//!   (paid once per process, then kept), then the project's knowledge three ways:
//!   *without a cache* (`check --no-cache`: `gazetteer::load_project` — read, parse,
//!   validate, merge — and `Knowledge::new` — the sorted name list, the surname index,
//!   the OCR lexicon), *cold* (`Knowledge::for_project_cached` with an empty cache
//!   directory: the same, plus hashing the inputs and writing the cache) and *warm*
//!   (the same call with the cache written: read, hash, decode). The median of five
//!   runs each. Budget: under 200 ms. `-- --phases`: the 50,000-entry load phase by
//!   phase.
//! - **through the real binary over LSP** (`tests/common`'s client on stdio): the time
//!   from `initialize` to the first diagnostics of a document in that workspace (the
//!   server loads the gazetteer on the way), first with no cache in the workspace
//!   (cold: the server writes it), then again (warm); on the warm server, 400 hovers
//!   on the document's names, each timed from request to response: p50, p95, max.
//!   Budget: p95 under 1 ms.
//! - **memory**: the server's resident set after the hovers, and its peak (VmHWM).
#![allow(clippy::print_stdout)] // a report on standard output is what this program is for

#[path = "../tests/common/mod.rs"]
mod common;

use annalist::config::Config;
use annalist::gazetteer::load_project;
use annalist::names::Knowledge;
use common::*;
use serde_json::json;
use std::path::Path;
use std::time::{Duration, Instant};

const SYNTHETIC: usize = 50_000;
const HOVERS: usize = 400;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// A made-up word for entry `n` (`salt` varies it): three syllables and the number,
/// so that every name is distinct and none is an English word.
fn word(n: usize, salt: usize) -> String {
    let syll = [
        "ka", "lo", "mi", "ren", "tov", "sha", "vin", "dor", "pel", "zu",
    ];
    let mut s = String::new();
    let mut k = n * 7 + salt;
    for _ in 0..3 {
        s.push_str(syll[k % syll.len()]);
        k /= syll.len();
    }
    let mut c = s.chars();
    let first = c.next().map(|f| f.to_uppercase().collect::<String>());
    format!("{}{}{n}", first.unwrap_or_default(), c.as_str())
}

/// Entry `n`'s name in Hangul: its digits as syllables after a fixed one, so that no
/// two entries and no built-in name share it.
fn hangul(n: usize) -> String {
    let digits = ['가', '나', '다', '라', '마', '바', '사', '아', '자', '차'];
    let mut s = String::from("벤");
    s.extend(n.to_string().bytes().map(|d| digits[usize::from(d - b'0')]));
    s
}

/// 50,000 entries shaped like the built-in ones: persons, places and organisations,
/// each with its preferred name, three variants in several systems (conventional,
/// McCune–Reischauer, Wade–Giles), a native-script name and a date; persons with a
/// role, the others with a description.
fn synthetic_toml() -> String {
    let mut toml = String::with_capacity(SYNTHETIC * 420);
    for i in 0..SYNTHETIC {
        let kind = ["person", "place", "organisation"][i % 3];
        let (a, b) = (word(i, 1), word(i, 2));
        let extra = if kind == "person" {
            format!(
                "roles = [{{ title = \"Synthetic office {}\", from = \"1948\", to = \"1950-06\" }}]\n",
                i % 50
            )
        } else {
            format!("description = \"Synthetic entry {i}.\"\n")
        };
        toml.push_str(&format!(
            "[[entity]]\nid = \"e{i}\"\nkind = \"{kind}\"\npreferred = \"{a} {b}\"\nnames = [{{ text = \"{b}\", system = \"conventional\" }}, {{ text = \"{a}-{b}\", system = \"mccune-reischauer\" }}, {{ text = \"{a}{}\", system = \"wade-giles\" }}]\nnative = [\"{}\"]\nstart = \"19{:02}\"\n{extra}source = \"Synthetic, for the bench.\"\n\n",
            b.to_lowercase(),
            hangul(i),
            i % 100
        ));
    }
    toml
}

/// The document opened in the editor: a paragraph per synthetic entry sampled (when
/// there is a project gazetteer) and the real names of the shipped transcription.
fn document(synthetic: bool) -> String {
    let mut doc = String::from("# Names\n\n");
    for i in 0..200 {
        let j = (i * 97) % SYNTHETIC;
        if synthetic {
            doc.push_str(&format!(
                "In 1950 {} {} met Stalin and General Bradley in Seoul; later {} wrote to Kim Il Sung.\n\n",
                word(j, 1),
                word(j, 2),
                word(j, 2)
            ));
        } else {
            doc.push_str(
                "In 1950 Shtykov met Stalin and General Bradley in Seoul; later Muccio wrote to Kim Il Sung.\n\n",
            );
        }
    }
    doc.push_str(&std::fs::read_to_string(fixture("bajanov-1995.md")).unwrap_or_default());
    doc
}

struct Figures {
    builtin_parse: Duration,
    load: Duration,
    knowledge: Duration,
    /// The project knowledge with an empty cache directory (a miss: built, and its
    /// cache written on a thread of its own).
    cold: Duration,
    /// From the same start until that cache is written.
    written: Duration,
    /// The same with the cache written (a hit).
    warm: Duration,
    cache_bytes: u64,
    entities: usize,
    first_diagnostics_cold: Duration,
    first_diagnostics: Duration,
    hovers: Vec<Duration>,
    cards: usize,
    rss: u64,
    hwm: u64,
}

fn measure(dir: &Path, synthetic: bool) -> Figures {
    // In process: the loader and the automaton, median of five.
    let config = if synthetic {
        Config::parse(
            "gazetteers = [\"big.toml\"]\n",
            &dir.join("annalist.toml"),
            &annalist::rules::codes(),
        )
        .unwrap_or_else(|e| panic!("{}", e.message))
    } else {
        Config::default()
    };
    let mut loads = Vec::new();
    let mut builds = Vec::new();
    let mut builtin_parses = Vec::new();
    let mut colds = Vec::new();
    let mut written = Vec::new();
    let mut warms = Vec::new();
    let mut cache_bytes = 0;
    let mut entities = 0;
    for _ in 0..5 {
        // `Gazetteer::embedded` parses the built-in files once per process and keeps
        // them: what the first load pays is timed here, and added to the total.
        let t = Instant::now();
        for (_, text) in annalist::gazetteer::EMBEDDED_FILES {
            let _ = annalist::gazetteer::parse_toml(text);
        }
        builtin_parses.push(t.elapsed());
        let t = Instant::now();
        let (g, problems) = load_project(dir, &config);
        loads.push(t.elapsed());
        assert!(
            problems.is_empty(),
            "{:?}",
            problems.first().map(|p| &p.message)
        );
        entities = g.entities.len();
        let t = Instant::now();
        let k = Knowledge::new(g);
        builds.push(t.elapsed());
        drop(k);
        // Cold: a fresh cache directory; warm: the one just written.
        let cache = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let t = Instant::now();
        let (k, _) = Knowledge::for_project_cached(dir, &config, Some(cache.path()));
        colds.push(t.elapsed());
        drop(k);
        // The cache is written on a thread of its own: until it is, the next load
        // misses.
        annalist::cachedir::wait_for_writes();
        written.push(t.elapsed());
        cache_bytes = dir_bytes(cache.path());
        let t = Instant::now();
        let (k, _) = Knowledge::for_project_cached(dir, &config, Some(cache.path()));
        warms.push(t.elapsed());
        assert_eq!(k.gazetteer.entities.len(), entities);
        drop(k);
    }
    loads.sort();
    builds.sort();
    builtin_parses.sort();
    colds.sort();
    written.sort();
    warms.sort();

    // Through the binary.
    let path = dir.join("doc.md");
    let text = document(synthetic);
    std::fs::write(&path, &text).unwrap_or_else(|e| panic!("{e}"));
    let uri = file_uri(&path);
    // Cold: no cache in the workspace (the server writes it); then warm.
    let _ = std::fs::remove_dir_all(annalist::cachedir::directory(dir));
    let mut first = Vec::new();
    let mut lsp: Option<Lsp> = None;
    for _ in 0..2 {
        if let Some(old) = lsp.take() {
            let _ = old.shutdown();
        }
        let mut server = Lsp::spawn_in(dir);
        let t = Instant::now();
        server.initialize_in(dir, json!({"general": {"positionEncodings": ["utf-16"]}}));
        server.open(&uri, &text);
        let _ = server.diagnostics(&uri, Some(1));
        first.push(t.elapsed());
        lsp = Some(server);
    }
    let Some(mut lsp) = lsp else {
        panic!("no server")
    };

    let needles: &[&str] = if synthetic {
        &["Stalin", "Seoul", "Bradley", "Kim Il Sung"]
    } else {
        &[
            "Stalin",
            "Seoul",
            "Bradley",
            "Kim Il Sung",
            "Shtykov",
            "Muccio",
        ]
    };
    let mut targets = Vec::new();
    for (ln, line) in text.lines().enumerate() {
        if synthetic && line.starts_with("In 1950 ") {
            // The synthetic person's name, just after "In 1950 ".
            targets.push((ln as u32, 9u32));
        }
        for needle in needles {
            if let Some(c) = line.find(needle) {
                let col = line[..c].encode_utf16().count() as u32 + 1;
                targets.push((ln as u32, col));
            }
        }
    }
    let step = (targets.len() / HOVERS).max(1);
    let targets: Vec<_> = targets.into_iter().step_by(step).take(HOVERS).collect();
    let _ = lsp.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}),
    );
    let mut hovers = Vec::new();
    let mut cards = 0;
    for (line, character) in &targets {
        let t = Instant::now();
        let r = lsp.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
        );
        hovers.push(t.elapsed());
        if r["contents"]["value"]
            .as_str()
            .is_some_and(|v| !v.is_empty())
        {
            cards += 1;
        }
    }
    hovers.sort();
    let (rss, hwm) = rss_kib(lsp.child.id());
    let _ = lsp.shutdown();
    Figures {
        builtin_parse: builtin_parses[builtin_parses.len() / 2],
        load: loads[loads.len() / 2],
        knowledge: builds[builds.len() / 2],
        cold: colds[colds.len() / 2],
        written: written[written.len() / 2],
        warm: warms[warms.len() / 2],
        cache_bytes,
        entities,
        first_diagnostics_cold: first[0],
        first_diagnostics: first[1],
        hovers,
        cards,
        rss,
        hwm,
    }
}

/// The bytes of the files under `dir`.
fn dir_bytes(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_bytes(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

fn verdict(total: Duration) -> &'static str {
    if total < Duration::from_millis(200) {
        "met"
    } else {
        "MISSED"
    }
}

fn report(label: &str, f: &Figures) {
    let total = f.builtin_parse + f.load + f.knowledge;
    println!("{label}: {} entities", f.entities);
    println!(
        "  load without a cache (median of 5): built-in parse {:.1} ms + gazetteer {:.1} ms + name list and indexes {:.1} ms = {:.1} ms (budget 200 ms: {})",
        ms(f.builtin_parse),
        ms(f.load),
        ms(f.knowledge),
        ms(total),
        verdict(total)
    );
    if f.cache_bytes > 0 {
        let cold = f.builtin_parse + f.cold;
        let warm = f.builtin_parse + f.warm;
        println!(
            "  load, cold cache (median of 5): built-in parse {:.1} ms + load and build {:.1} ms = {:.1} ms (budget 200 ms: {}); its cache written in the background by {:.1} ms",
            ms(f.builtin_parse),
            ms(f.cold),
            ms(cold),
            verdict(cold),
            ms(f.builtin_parse + f.written)
        );
        println!(
            "  load, warm cache (median of 5): built-in parse {:.1} ms + read, hash and decode {:.1} ms = {:.1} ms (budget 200 ms: {}); cache file {:.1} MB",
            ms(f.builtin_parse),
            ms(f.warm),
            ms(warm),
            verdict(warm),
            f.cache_bytes as f64 / 1e6
        );
    } else {
        println!("  no project gazetteer: nothing cached");
    }
    println!(
        "  server: initialize → first diagnostics {:.1} ms with no cache, {:.1} ms with the cache written",
        ms(f.first_diagnostics_cold),
        ms(f.first_diagnostics)
    );
    let p95 = pct(&f.hovers, 0.95);
    println!(
        "  hover over LSP ({} requests, {} with a card): p50 {:.3} ms, p95 {:.3} ms, max {:.3} ms (budget p95 1 ms: {})",
        f.hovers.len(),
        f.cards,
        ms(pct(&f.hovers, 0.5)),
        ms(p95),
        ms(pct(&f.hovers, 1.0)),
        if p95 < Duration::from_millis(1) {
            "met"
        } else {
            "MISSED"
        }
    );
    println!(
        "  server memory: resident {:.1} MiB after the hovers, peak {:.1} MiB",
        f.rss as f64 / 1024.0,
        f.hwm as f64 / 1024.0
    );
}

/// Where a load goes, phase by phase (median of five each), for the 50,000-entry file.
fn phases(dir: &Path) {
    use annalist::gazetteer::{EMBEDDED_FILES, Gazetteer, Origin, parse_toml, validate};
    use annalist::names::{Recognizer, ocr::Lexicon};
    let median = |mut v: Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let mut t_embedded = Vec::new();
    let mut t_read = Vec::new();
    let mut t_syntax = Vec::new();
    let mut t_parse = Vec::new();
    let mut t_validate = Vec::new();
    let mut t_merge = Vec::new();
    let mut t_recognizer = Vec::new();
    let mut t_lexicon = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        for (_, text) in EMBEDDED_FILES {
            let _ = parse_toml(text);
        }
        t_embedded.push(t.elapsed());
        let t = Instant::now();
        let text = std::fs::read_to_string(dir.join("big.toml")).unwrap_or_default();
        t_read.push(t.elapsed());
        let t = Instant::now();
        let _ = toml::de::DeTable::parse(&text);
        t_syntax.push(t.elapsed());
        let t = Instant::now();
        let (entities, _) = parse_toml(&text);
        t_parse.push(t.elapsed());
        let t = Instant::now();
        let _ = validate(&text, &entities);
        t_validate.push(t.elapsed());
        let t = Instant::now();
        let mut g = Gazetteer::embedded();
        for (e, span) in entities {
            g.merge(e, Some(Origin { file: None, span }));
        }
        t_merge.push(t.elapsed());
        let t = Instant::now();
        let r = Recognizer::new(&g);
        t_recognizer.push(t.elapsed());
        let t = Instant::now();
        let l = Lexicon::new(g.entities.iter().map(|e| e.preferred.as_str()));
        t_lexicon.push(t.elapsed());
        drop((r, l));
    }
    // The warm path, phase by phase: what a cache hit does (`names/cache.rs`).
    let config = Config {
        gazetteers: vec!["big.toml".into()],
        ..Config::default()
    };
    let cache = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let _ = Knowledge::for_project_cached(dir, &config, Some(cache.path()));
    annalist::cachedir::wait_for_writes();
    let file = std::fs::read_dir(cache.path().join("gazetteer"))
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "bin"))
        .unwrap_or_else(|| panic!("no cache file"));
    let mut w_sources = Vec::new();
    let mut w_key = Vec::new();
    let mut w_read = Vec::new();
    let mut w_sum = Vec::new();
    let mut w_gazetteer = Vec::new();
    let mut w_recognizer = Vec::new();
    let mut w_lexicon = Vec::new();
    let mut w_total = Vec::new();
    let mut w_identity = Vec::new();
    let (mut g_bytes, mut r_bytes, mut l_bytes) = (0, 0, 0);
    for _ in 0..5 {
        let t = Instant::now();
        let sources = annalist::gazetteer::read_project(dir, &config);
        w_sources.push(t.elapsed());
        let t = Instant::now();
        let _ = annalist::gazetteer::cache::inputs_hash(dir, &sources);
        w_key.push(t.elapsed());
        let t = Instant::now();
        let bytes = std::fs::read(&file).unwrap_or_default();
        w_read.push(t.elapsed());
        // The layout: magic (8), key (16), checksum (16), then sections, each a
        // little-endian u64 length and its bytes.
        let payload = &bytes[40..];
        let t = Instant::now();
        let _ = annalist::cachedir::Hashing::default()
            .field(payload)
            .finish();
        w_sum.push(t.elapsed());
        let len = |at: usize| {
            u64::from_le_bytes(payload[at..at + 8].try_into().unwrap_or([0; 8])) as usize
        };
        let gl = len(0);
        let rl = len(8 + gl);
        (g_bytes, r_bytes) = (gl, rl);
        let t = Instant::now();
        let stored: annalist::gazetteer::cache::Stored =
            postcard::from_bytes(&payload[8..8 + gl]).unwrap_or_else(|e| panic!("{e}"));
        let (g, _) = stored.restore().unwrap_or_else(|| panic!("not restored"));
        w_gazetteer.push(t.elapsed());
        let t = Instant::now();
        let r: Recognizer =
            postcard::from_bytes(&payload[16 + gl..16 + gl + rl]).unwrap_or_else(|e| panic!("{e}"));
        w_recognizer.push(t.elapsed());
        let ll = len(16 + gl + rl);
        let t = Instant::now();
        let l: Lexicon = postcard::from_bytes(&payload[24 + gl + rl..24 + gl + rl + ll])
            .unwrap_or_else(|e| panic!("{e}"));
        w_lexicon.push(t.elapsed());
        l_bytes = ll;
        let t = Instant::now();
        let _ = annalist::cachedir::binary_identity();
        w_identity.push(t.elapsed());
        drop((g, r, l, sources));
        let t = Instant::now();
        let k = Knowledge::for_project_cached(dir, &config, Some(cache.path()));
        w_total.push(t.elapsed());
        drop(k);
    }
    println!("  phases (median of 5):");
    for (what, v) in [
        ("built-in TOML parse (paid once per process)", t_embedded),
        ("read big.toml", t_read),
        ("TOML syntax alone (toml::de::DeTable::parse)", t_syntax),
        (
            "parse_toml (syntax, key checks, serde into entities)",
            t_parse,
        ),
        ("validate", t_validate),
        ("merge into the built-in", t_merge),
        ("Recognizer::new", t_recognizer),
        ("Lexicon::new (preferred names only)", t_lexicon),
    ] {
        println!("    {what}: {:.1} ms", ms(median(v)));
    }
    println!(
        "  the warm path (median of 5; cache file: gazetteer {:.1} MB, recognizer {:.1} MB, lexicon {:.1} MB):",
        g_bytes as f64 / 1e6,
        r_bytes as f64 / 1e6,
        l_bytes as f64 / 1e6
    );
    for (what, v) in [
        ("read the gazetteer files", w_sources),
        ("hash the inputs (the key)", w_key),
        ("of which the binary's identity", w_identity),
        ("read the cache file", w_read),
        ("checksum of the cache file", w_sum),
        ("decode the gazetteer and restore it", w_gazetteer),
        ("decode the recognizer", w_recognizer),
        ("decode the lexicon", w_lexicon),
        (
            "Knowledge::for_project_cached, a hit (the parts above, two threads)",
            w_total,
        ),
    ] {
        println!("    {what}: {:.1} ms", ms(median(v)));
    }
}

fn main() {
    if std::env::args().any(|a| a == "--phases") {
        let big = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(big.path().join("big.toml"), synthetic_toml())
            .unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(
            big.path().join("annalist.toml"),
            "gazetteers = [\"big.toml\"]\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        phases(big.path());
        return;
    }
    let builtin = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let f = measure(builtin.path(), false);
    report("built-in gazetteer", &f);

    let big = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let toml = synthetic_toml();
    std::fs::write(big.path().join("big.toml"), &toml).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        big.path().join("annalist.toml"),
        "gazetteers = [\"big.toml\"]\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let f = measure(big.path(), true);
    report(
        &format!(
            "built-in + synthetic project gazetteer ({SYNTHETIC} entries, {:.1} MB of TOML)",
            toml.len() as f64 / 1e6
        ),
        &f,
    );
}
