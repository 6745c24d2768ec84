//! `annalist.toml`: rule severities, romanisation preferences, feature switches,
//! project gazetteers. Found by walking up from the document. A broken file is a
//! list of problems with line and column, never a crash.

use crate::finding::Severity;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const CONFIG_FILE: &str = "annalist.toml";

/// A rule's configured level: a severity or `off`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Off,
    Hint,
    Info,
    Warning,
    Error,
}

impl Level {
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Off => None,
            Level::Hint => Some(Severity::Hint),
            Level::Info => Some(Severity::Info),
            Level::Warning => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }
    pub fn parse(s: &str) -> Option<Level> {
        match s.trim().to_ascii_lowercase().as_str() {
            "off" | "none" => Some(Level::Off),
            "hint" => Some(Level::Hint),
            "info" | "information" => Some(Level::Info),
            "warning" | "warn" => Some(Level::Warning),
            "error" => Some(Level::Error),
            _ => None,
        }
    }
}

/// Which spelling wins when one name is written several ways.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Romanisation {
    /// "mccune-reischauer" | "revised" | "conventional"; unset: the document's majority.
    pub korean: Option<String>,
    /// "pinyin" | "wade-giles"; unset: the document's majority.
    pub chinese: Option<String>,
    /// "bgn-pcgn" | "french" | "german" | "scholarly"; unset: the document's majority.
    pub russian: Option<String>,
    /// "majority" (default) or "first": how to choose when no system is configured.
    pub prefer: Option<String>,
    /// Compare the spellings of each gazetteer name across the files of a run (or the
    /// editor's workspace), not only within each file. Default: true.
    pub across_files: bool,
}

impl Default for Romanisation {
    fn default() -> Self {
        Romanisation {
            korean: None,
            chinese: None,
            russian: None,
            prefer: None,
            across_files: true,
        }
    }
}

/// Where a note marker must stand to cover a claim.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClaimScope {
    Sentence,
    #[default]
    Paragraph,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Claims {
    pub scope: ClaimScope,
}

/// Editor features that can be switched off (to coexist with another Markdown server).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Features {
    pub hover: bool,
    pub semantic_tokens: bool,
    pub inlay_hints: bool,
    pub completion: bool,
    pub entities: bool,
    pub dates: bool,
}

impl Default for Features {
    fn default() -> Self {
        Features {
            hover: true,
            semantic_tokens: true,
            inlay_hints: true,
            completion: true,
            entities: true,
            dates: true,
        }
    }
}

/// Analysis limits: past them a document is analysed partially, with a message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Documents larger than this many bytes get only the note layer.
    pub max_document_bytes: usize,
    /// At most this many findings per document; the rest are summed up in one
    /// `analysis-limited` finding (the editor and the CLI both obey it).
    pub max_findings: usize,
}

impl Limits {
    /// The largest document analysed in full: `max_document_bytes`, and never past
    /// `u32::MAX` (4 GiB), the largest offset the names rules keep per word.
    pub fn analysed_bytes(&self) -> usize {
        self.max_document_bytes
            .min(usize::try_from(u32::MAX).unwrap_or(usize::MAX))
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_document_bytes: 8 * 1024 * 1024,
            max_findings: 5000,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Rule code → level.
    pub rules: BTreeMap<String, Level>,
    pub romanisation: Romanisation,
    pub claims: Claims,
    pub features: Features,
    pub limits: Limits,
    /// More gazetteer files, relative to the config file; must stay inside the workspace.
    pub gazetteers: Vec<PathBuf>,
    /// Glob patterns of paths `annalist check` skips.
    pub exclude: Vec<String>,
    /// File extensions treated as Markdown.
    pub extensions: Vec<String>,
    /// Where the rule pages live (`{docs_url}/CODE.md` or, ending in `/`, `{docs_url}CODE`):
    /// the links of the editor's diagnostics and of SARIF. Unset: no links.
    pub docs_url: Option<String>,
    /// Bibliography files (BibTeX/BibLaTeX, CSL JSON, CSL YAML) for every document,
    /// relative to the config file; must stay inside its directory.
    pub bibliographies: Vec<PathBuf>,
    /// The CSL style references are formatted in (a hayagriva style name).
    pub citation_style: String,
    /// Glob (relative to the config file's directory) → document kind: `primary`,
    /// `edition` or `secondary`, e.g. `"sources/**" = "primary"`. A document's
    /// front-matter `kind:` wins; of several matching globs the longest does.
    pub kinds: BTreeMap<String, crate::kind::DocKind>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            rules: BTreeMap::new(),
            romanisation: Romanisation::default(),
            claims: Claims::default(),
            features: Features::default(),
            limits: Limits::default(),
            gazetteers: Vec::new(),
            exclude: Vec::new(),
            extensions: vec!["md".into(), "markdown".into()],
            docs_url: None,
            bibliographies: Vec::new(),
            citation_style: "chicago-notes".into(),
            kinds: BTreeMap::new(),
        }
    }
}

/// A problem in a configuration or data file, with a 1-based line and column: the
/// error [`Config::parse`] returns, shown as `path:line:column: message`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{}:{line}:{column}: {message}", path.display())]
pub struct FileProblem {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let idx = crate::position::LineIndex::new(text);
    let p = idx.position(text, offset, crate::position::Encoding::Chars);
    (p.line as usize + 1, p.col as usize + 1)
}

impl Config {
    /// Parse a config file's text. On error, the first problem (see [`Config::parse_all`]
    /// for every problem and the configuration that applies meanwhile).
    pub fn parse(text: &str, path: &Path, rule_codes: &[&str]) -> Result<Config, FileProblem> {
        let (config, mut problems) = Config::parse_all(text, path, rule_codes);
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems.remove(0))
        }
    }

    /// Parse and validate a config file's text: every value is checked, each problem
    /// has a line, a column, the valid choices and a suggestion. A value that is wrong
    /// falls back to its default; the rest of the file applies. A TOML syntax error
    /// loses the whole file (the defaults apply).
    ///
    /// `rule_codes` are the codes `[rules]` may name: the caller passes the rule
    /// registry's (`rules::codes()`), which stands above this module.
    pub fn parse_all(text: &str, path: &Path, rule_codes: &[&str]) -> (Config, Vec<FileProblem>) {
        let mut v = Validator {
            text,
            path,
            rule_codes,
            problems: Vec::new(),
        };
        let config = v.config();
        let mut problems = v.problems;
        problems.sort_by_key(|p| (p.line, p.column));
        (config, problems)
    }

    /// The kind `[kinds]` gives a document at `rel` (relative to the config file's
    /// directory, `/`-separated): the longest matching glob's.
    pub fn kind_for(&self, rel: &str) -> Option<crate::kind::DocKind> {
        self.kinds
            .iter()
            .filter(|(g, _)| crate::kind::glob_match(g, rel))
            .max_by_key(|(g, _)| g.len())
            .map(|(_, k)| *k)
    }

    /// The configured level of `code`, if any.
    pub fn level(&self, code: &str) -> Option<Level> {
        self.rules.get(code).copied()
    }
}

/// The valid values of `[romanisation] prefer`.
pub const PREFER: &[&str] = &["majority", "first"];
const LEVELS: &[&str] = &["off", "hint", "info", "warning", "error"];
const TOP_KEYS: &[&str] = &[
    "rules",
    "romanisation",
    "claims",
    "features",
    "limits",
    "gazetteers",
    "exclude",
    "extensions",
    "docs_url",
    "bibliographies",
    "citation_style",
    "kinds",
];

/// The candidate closest to `word` (Jaro–Winkler, case-insensitive), if any is close.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let w = word.trim().to_ascii_lowercase();
    if w.is_empty() {
        return None;
    }
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(&w, c), *c))
        .filter(|(score, c)| *score >= 0.8 || (w.len() >= 3 && c.contains(w.as_str())))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Whether hayagriva bundles an independent CSL style called `name` (the styles
/// `citations::reference` can format with).
fn citation_style_known(name: &str) -> bool {
    hayagriva::archive::ArchivedStyle::by_name(name)
        .is_some_and(|a| matches!(a.get(), hayagriva::citationberg::Style::Independent(_)))
}

/// The names of the styles [`citation_style_known`] accepts.
fn citation_style_names() -> Vec<&'static str> {
    hayagriva::archive::ArchivedStyle::all()
        .iter()
        .filter(|a| matches!(a.get(), hayagriva::citationberg::Style::Independent(_)))
        .flat_map(|a| a.names().iter().copied())
        .collect()
}

/// ` (did you mean `x`?)`, or nothing.
fn hint(word: &str, candidates: &[&str]) -> String {
    did_you_mean(word, candidates)
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default()
}

use crate::romanisation::{CHINESE, KOREAN, Language, RUSSIAN};
use toml::de::{DeTable, DeValue, ValueDeserializer};
type SpannedValue<'i> = toml::Spanned<DeValue<'i>>;

struct Validator<'a> {
    text: &'a str,
    path: &'a Path,
    /// The codes `[rules]` may name.
    rule_codes: &'a [&'a str],
    problems: Vec<FileProblem>,
}

impl Validator<'_> {
    fn problem(&mut self, offset: usize, message: String) {
        let (line, column) = line_col(self.text, offset.min(self.text.len()));
        self.problems.push(FileProblem {
            path: self.path.to_path_buf(),
            line,
            column,
            message,
        });
    }

    fn config(&mut self) -> Config {
        let mut c = Config::default();
        let root = match DeTable::parse(self.text) {
            Ok(t) => t,
            Err(e) => {
                let at = e.span().map(|s| s.start).unwrap_or(0);
                self.problem(
                    at,
                    format!(
                        "TOML syntax: {}; the whole file is ignored and the defaults apply until it is fixed",
                        e.message().trim()
                    ),
                );
                return c;
            }
        };
        for (key, value) in root.get_ref().iter() {
            let name = key.get_ref().as_ref();
            let at = key.span().start;
            match name {
                "rules" => self.rules(value, &mut c),
                "romanisation" => self.romanisation(value, &mut c.romanisation),
                "claims" => self.table(value, "claims", &["scope"], |v, k, val| {
                    if k == "scope"
                        && let Some(x) = v.choice(val, "claims.scope", &["sentence", "paragraph"])
                    {
                        c.claims.scope = if x == "sentence" {
                            ClaimScope::Sentence
                        } else {
                            ClaimScope::Paragraph
                        };
                    }
                }),
                "features" => {
                    const KEYS: &[&str] = &[
                        "hover",
                        "semantic_tokens",
                        "inlay_hints",
                        "completion",
                        "entities",
                        "dates",
                    ];
                    let f = &mut c.features;
                    self.table(value, "features", KEYS, |v, k, val| {
                        let slot = match k {
                            "hover" => &mut f.hover,
                            "semantic_tokens" => &mut f.semantic_tokens,
                            "inlay_hints" => &mut f.inlay_hints,
                            "completion" => &mut f.completion,
                            "entities" => &mut f.entities,
                            _ => &mut f.dates,
                        };
                        if let Some(b) =
                            v.typed::<bool>(val, &format!("features.{k}"), "true or false")
                        {
                            *slot = b;
                        }
                    })
                }
                "limits" => {
                    let l = &mut c.limits;
                    self.table(
                        value,
                        "limits",
                        &["max_document_bytes", "max_findings"],
                        |v, k, val| {
                            let slot = if k == "max_findings" {
                                &mut l.max_findings
                            } else {
                                &mut l.max_document_bytes
                            };
                            if let Some(n) = v.typed::<usize>(
                                val,
                                &format!("limits.{k}"),
                                "a whole number, 0 or more",
                            ) {
                                *slot = n;
                            }
                        },
                    )
                }
                "gazetteers" => {
                    if let Some(x) = self.typed::<Vec<PathBuf>>(
                        value,
                        name,
                        "a list of paths, e.g. [\"people.toml\"]",
                    ) {
                        c.gazetteers = x;
                    }
                }
                "exclude" => {
                    if let Some(x) = self.typed::<Vec<String>>(
                        value,
                        name,
                        "a list of glob patterns, e.g. [\"drafts/\"]",
                    ) {
                        c.exclude = x;
                    }
                }
                "extensions" => {
                    if let Some(x) = self.typed::<Vec<String>>(
                        value,
                        name,
                        "a list of extensions, e.g. [\"md\", \"markdown\"]",
                    ) {
                        c.extensions = x;
                    }
                }
                "docs_url" => {
                    if let Some(x) = self.typed::<String>(
                        value,
                        name,
                        "a URL such as \"https://example.org/annalist/rules/\"",
                    ) {
                        if x.starts_with("https://") || x.starts_with("http://") {
                            c.docs_url = Some(x);
                        } else {
                            self.problem(
                                value.span().start,
                                format!("docs_url: `{x}` is not an http(s) URL; write e.g. \"https://example.org/annalist/rules/\" or remove the key (no links then)"),
                            );
                        }
                    }
                }
                "bibliographies" => {
                    if let Some(x) = self.typed::<Vec<PathBuf>>(
                        value,
                        name,
                        "a list of paths, e.g. [\"sources.bib\"]",
                    ) {
                        c.bibliographies = x;
                    }
                }
                "kinds" => {
                    if let Some(x) = self.typed::<BTreeMap<String, String>>(
                        value,
                        name,
                        "a table of glob = kind, e.g. \"sources/**\" = \"primary\"",
                    ) {
                        for (glob, kind) in x {
                            let at = value.span().start
                                + self.text[value.span().start..]
                                    .find(glob.as_str())
                                    .unwrap_or(0);
                            if let Some(why) = crate::kind::glob_problem(&glob) {
                                self.problem(at, format!("[kinds]: {why}"));
                                continue;
                            }
                            match kind.as_str() {
                                "primary" => {
                                    c.kinds.insert(glob, crate::kind::DocKind::Primary);
                                }
                                "edition" => {
                                    c.kinds.insert(glob, crate::kind::DocKind::Edition);
                                }
                                "secondary" => {
                                    c.kinds.insert(glob, crate::kind::DocKind::Secondary);
                                }
                                other => self.problem(
                                    at,
                                    format!(
                                        "[kinds]: `{other}` is not a kind{}; the kinds are: primary, edition, secondary",
                                        hint(other, &["primary", "edition", "secondary"])
                                    ),
                                ),
                            }
                        }
                    }
                }
                "citation_style" => {
                    if let Some(x) = self.typed::<String>(
                        value,
                        name,
                        "a CSL style bundled with hayagriva, e.g. \"chicago-notes\"",
                    ) {
                        // Never a silent fallback: a style hayagriva cannot format with
                        // is said here, and the default is used.
                        if citation_style_known(&x) {
                            c.citation_style = x;
                        } else {
                            let names = citation_style_names();
                            self.problem(
                                value.span().start,
                                format!(
                                    "citation_style: `{x}` is not a CSL style Annalist can format with{}; \
                                     references are formatted in the default `chicago-notes` instead. \
                                     Name one of the {} bundled styles (e.g. `chicago-notes`, \
                                     `chicago-author-date`, `apa`, `modern-language-association`) \
                                     or remove the key",
                                    hint(&x, &names),
                                    names.len()
                                ),
                            );
                        }
                    }
                }
                _ => self.problem(
                    at,
                    format!(
                        "unknown key `{name}`{}; the keys are: {}",
                        hint(name, TOP_KEYS),
                        TOP_KEYS.join(", ")
                    ),
                ),
            }
        }
        c
    }

    /// Deserialize one value; on failure a problem naming the key and what it takes.
    fn typed<T: serde::de::DeserializeOwned>(
        &mut self,
        value: &SpannedValue<'_>,
        key: &str,
        expected: &str,
    ) -> Option<T> {
        match T::deserialize(ValueDeserializer::from(value.clone())) {
            Ok(x) => Some(x),
            Err(e) => {
                let at = e.span().map(|s| s.start).unwrap_or(value.span().start);
                self.problem(
                    at,
                    format!(
                        "{key}: {}; expected {expected} (the default applies)",
                        e.message().trim()
                    ),
                );
                None
            }
        }
    }

    /// A string that must be one of `choices` (case-insensitive); on failure a problem.
    fn choice(&mut self, value: &SpannedValue<'_>, key: &str, choices: &[&str]) -> Option<String> {
        let s = self.typed::<String>(value, key, &format!("one of {}", quoted(choices)))?;
        let norm = s.trim().to_ascii_lowercase();
        if choices.contains(&norm.as_str()) {
            Some(norm)
        } else {
            self.problem(
                value.span().start,
                format!(
                    "{key}: `{s}` is not a valid value{}; the choices are {} (the default applies)",
                    hint(&norm, choices),
                    quoted(choices)
                ),
            );
            None
        }
    }

    /// A romanisation system's name: one of `choices` or an alias the engine accepts
    /// (`mr`, `wg`, `wade_giles`…); kept as written.
    fn system(
        &mut self,
        value: &SpannedValue<'_>,
        key: &str,
        language: Language,
        choices: &[&str],
    ) -> Option<String> {
        let s = self.typed::<String>(value, key, &format!("one of {}", quoted(choices)))?;
        if crate::romanisation::parse_system(language, &s).is_some() {
            return Some(s);
        }
        let norm = s.trim().to_ascii_lowercase();
        self.problem(
            value.span().start,
            format!(
                "{key}: `{s}` is not a romanisation system annalist knows{}; the choices are {} (unset: the document's majority spelling wins)",
                hint(&norm, choices),
                quoted(choices)
            ),
        );
        None
    }

    /// Walk a table's keys: unknown ones are problems, known ones go to `each`.
    fn table(
        &mut self,
        value: &SpannedValue<'_>,
        name: &str,
        keys: &[&str],
        mut each: impl FnMut(&mut Self, &str, &SpannedValue<'_>),
    ) {
        let DeValue::Table(t) = value.get_ref() else {
            self.problem(
                value.span().start,
                format!("`{name}` must be a table: write its keys under [{name}]"),
            );
            return;
        };
        for (k, v) in t.iter() {
            let kn = k.get_ref().as_ref();
            if keys.contains(&kn) {
                each(self, kn, v);
            } else {
                self.problem(
                    k.span().start,
                    format!(
                        "unknown key `{kn}` in [{name}]{}; the keys are: {}",
                        hint(kn, keys),
                        keys.join(", ")
                    ),
                );
            }
        }
    }

    fn rules(&mut self, value: &SpannedValue<'_>, c: &mut Config) {
        let codes = self.rule_codes;
        let DeValue::Table(t) = value.get_ref() else {
            self.problem(
                value.span().start,
                "`rules` must be a table: write `CODE = \"off\"` lines under [rules]".into(),
            );
            return;
        };
        for (k, v) in t.iter() {
            let code = k.get_ref().as_ref();
            if !codes.contains(&code) {
                self.problem(
                    k.span().start,
                    format!(
                        "[rules]: no rule has the code `{code}`{}; `annalist rules` lists them",
                        hint(code, codes)
                    ),
                );
                continue;
            }
            let key = format!("rules.{code}");
            if let Some(level) = self.choice(v, &key, LEVELS).and_then(|s| Level::parse(&s)) {
                c.rules.insert(code.to_string(), level);
            }
        }
    }

    fn romanisation(&mut self, value: &SpannedValue<'_>, r: &mut Romanisation) {
        const KEYS: &[&str] = &["korean", "chinese", "russian", "prefer", "across_files"];
        self.table(value, "romanisation", KEYS, |v, k, val| match k {
            "korean" => r.korean = v.system(val, "romanisation.korean", Language::Korean, KOREAN),
            "chinese" => {
                r.chinese = v.system(val, "romanisation.chinese", Language::Chinese, CHINESE)
            }
            "russian" => {
                r.russian = v.system(val, "romanisation.russian", Language::Russian, RUSSIAN)
            }
            "prefer" => r.prefer = v.choice(val, "romanisation.prefer", PREFER),
            _ => {
                if let Some(b) = v.typed::<bool>(val, "romanisation.across_files", "true or false")
                {
                    r.across_files = b;
                }
            }
        });
    }
}

/// `"a", "b", "c"`: the choices a message offers.
pub(crate) fn quoted(choices: &[&str]) -> String {
    choices
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Find `annalist.toml` by walking up from `start` (a file or a directory).
pub fn find_config(start: &Path) -> Option<PathBuf> {
    let mut dir = if start.is_dir() {
        Some(start)
    } else {
        start.parent()
    };
    while let Some(d) = dir {
        let candidate = d.join(CONFIG_FILE);
        if candidate.is_file() {
            return Some(candidate);
        }
        dir = d.parent();
    }
    None
}

/// A loaded configuration with where it came from and what was wrong with it.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    pub config: Config,
    pub path: Option<PathBuf>,
    pub problems: Vec<FileProblem>,
}

/// Load the config that governs `start`, or the default one (`rule_codes`: as for
/// [`Config::parse_all`]).
pub fn load_for(start: &Path, rule_codes: &[&str]) -> Loaded {
    match find_config(start) {
        Some(p) => load_file(&p, rule_codes),
        None => Loaded::default(),
    }
}

/// Load one config file (`rule_codes`: as for [`Config::parse_all`]).
pub fn load_file(path: &Path, rule_codes: &[&str]) -> Loaded {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let (config, problems) = Config::parse_all(&text, path, rule_codes);
            Loaded {
                config,
                path: Some(path.to_path_buf()),
                problems,
            }
        }
        Err(e) => Loaded {
            config: Config::default(),
            path: Some(path.to_path_buf()),
            problems: vec![FileProblem {
                path: path.to_path_buf(),
                line: 1,
                column: 1,
                message: format!(
                    "cannot read the configuration: {e}; the defaults apply (check the path and its permissions)"
                ),
            }],
        },
    }
}

/// Which configuration governs each file: the nearest `annalist.toml` walking up from
/// the file's directory (what the editor and `check` both use), or one fixed
/// configuration (`--config FILE`, `--isolated`). Each directory is looked up once and
/// each configuration file is read once.
#[derive(Debug, Default)]
pub struct Discovery {
    fixed: Option<std::sync::Arc<Loaded>>,
    dirs: std::collections::HashMap<PathBuf, Option<PathBuf>>,
    files: std::collections::HashMap<PathBuf, std::sync::Arc<Loaded>>,
    default: std::sync::Arc<Loaded>,
    /// The codes `[rules]` may name (the rule registry's, from the caller).
    rule_codes: Vec<&'static str>,
}

impl Discovery {
    /// Walk up from each file to its nearest `annalist.toml`, validating `[rules]`
    /// against `rule_codes` (the rule registry's: `rules::codes()`).
    pub fn nearest(rule_codes: Vec<&'static str>) -> Discovery {
        Discovery {
            rule_codes,
            ..Discovery::default()
        }
    }

    /// Every file governed by `loaded` (`--config FILE`, or the defaults for `--isolated`).
    pub fn fixed(loaded: Loaded) -> Discovery {
        Discovery {
            fixed: Some(std::sync::Arc::new(loaded)),
            ..Discovery::default()
        }
    }

    /// The configuration for a directory (`dir` must be absolute and normalised).
    pub fn for_dir(&mut self, dir: &Path) -> std::sync::Arc<Loaded> {
        if let Some(f) = &self.fixed {
            return f.clone();
        }
        let found = self.find_from(dir);
        match found {
            Some(p) => self
                .files
                .entry(p.clone())
                .or_insert_with(|| std::sync::Arc::new(load_file(&p, &self.rule_codes)))
                .clone(),
            None => self.default.clone(),
        }
    }

    /// The configuration for a file (absolute and normalised).
    pub fn for_file(&mut self, file: &Path) -> std::sync::Arc<Loaded> {
        match file.parent() {
            Some(d) => self.for_dir(d),
            None => self.for_dir(Path::new("/")),
        }
    }

    /// Every configuration read so far (or the fixed one), in path order.
    pub fn loaded(&self) -> Vec<std::sync::Arc<Loaded>> {
        if let Some(f) = &self.fixed {
            return vec![f.clone()];
        }
        let mut v: Vec<_> = self.files.values().cloned().collect();
        v.sort_by(|a, b| a.path.cmp(&b.path));
        v
    }

    /// [`find_config`] (the walk the editor uses), remembered per directory.
    fn find_from(&mut self, dir: &Path) -> Option<PathBuf> {
        if let Some(hit) = self.dirs.get(dir) {
            return hit.clone();
        }
        let found = find_config(dir);
        self.dirs.insert(dir.to_path_buf(), found.clone());
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rule registry's codes, as every caller passes them.
    fn codes() -> Vec<&'static str> {
        crate::rules::codes()
    }

    #[test]
    fn parses_rules_and_reports_errors_with_position() {
        let ok = Config::parse(
            "[rules]\nfootnote-unused = \"off\"\n[romanisation]\nkorean = \"revised\"\n",
            Path::new("a.toml"),
            &codes(),
        );
        let Ok(c) = ok else { panic!("valid config") };
        assert_eq!(c.level("footnote-unused"), Some(Level::Off));
        assert_eq!(c.romanisation.korean.as_deref(), Some("revised"));
        let bad = Config::parse(
            "[rules]\nfootnote-unused = \"loud\"\n",
            Path::new("a.toml"),
            &codes(),
        );
        let Err(p) = bad else { panic!("invalid level") };
        assert_eq!(p.line, 2);
        let unknown = Config::parse("[nonsense]\n", Path::new("a.toml"), &codes());
        assert!(unknown.is_err());
    }

    #[test]
    fn every_problem_is_reported_and_the_rest_applies() {
        let (c, ps) = Config::parse_all(
            "[limits]\nmax_findings = 7\nmax_document_bytes = \"big\"\n[romanisation]\nkorean = \"hepburn\"\nchinese = \"wg\"\n[rules]\nno-such = \"off\"\n",
            Path::new("a.toml"),
            &codes(),
        );
        assert_eq!(c.limits.max_findings, 7);
        assert_eq!(
            c.limits.max_document_bytes,
            Limits::default().max_document_bytes
        );
        assert_eq!(c.romanisation.korean, None);
        assert_eq!(c.romanisation.chinese.as_deref(), Some("wg"));
        let at: Vec<(usize, usize)> = ps.iter().map(|p| (p.line, p.column)).collect();
        assert_eq!(at, [(3, 22), (5, 10), (8, 1)], "{ps:?}");
        assert_eq!(did_you_mean("wadegiles", CHINESE), Some("wade-giles"));
        assert_eq!(did_you_mean("zzz", CHINESE), None);
    }

    #[test]
    fn discovery_finds_the_nearest_config_per_directory() {
        let d = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = d.path();
        std::fs::create_dir_all(root.join("book/ch")).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(
            root.join("book/annalist.toml"),
            "[limits]\nmax_findings = 3\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let mut disc = Discovery::nearest(codes());
        let l = disc.for_file(&root.join("book/ch/a.md"));
        assert_eq!(
            l.path.as_deref(),
            Some(root.join("book/annalist.toml").as_path())
        );
        assert_eq!(l.config.limits.max_findings, 3);
        let other = disc.for_file(&root.join("x.md"));
        assert_ne!(other.path, l.path);
        let fixed = Discovery::fixed(Loaded::default()).for_file(&root.join("book/ch/a.md"));
        assert_eq!(fixed.path, None);
    }

    #[test]
    fn kinds_by_path() {
        use crate::kind::DocKind;
        let Ok(c) = Config::parse(
            "[kinds]\n\"sources/**\" = \"primary\"\n\"sources/frus/**\" = \"edition\"\n",
            Path::new("a.toml"),
            &codes(),
        ) else {
            panic!("valid [kinds]")
        };
        assert_eq!(c.kind_for("sources/a.md"), Some(DocKind::Primary));
        assert_eq!(c.kind_for("sources/frus/d2.md"), Some(DocKind::Edition));
        assert_eq!(c.kind_for("essays/a.md"), None);
        let bad = Config::parse(
            "[kinds]\n\"a/**\" = \"primery\"\n",
            Path::new("a.toml"),
            &codes(),
        );
        let Err(p) = bad else { panic!("invalid kind") };
        assert_eq!(p.line, 2);
        let bad = Config::parse(
            "[kinds]\n\"a/[bc].md\" = \"primary\"\n",
            Path::new("a.toml"),
            &codes(),
        );
        let Err(p) = bad else {
            panic!("unsupported glob")
        };
        assert_eq!(p.line, 2, "{}", p.message);
    }
}
