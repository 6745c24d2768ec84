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
            kinds: BTreeMap::new(),
        }
    }
}

/// A problem in a configuration or data file, with a 1-based line and column.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileProblem {
    pub path: PathBuf,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for FileProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path.display(),
            self.line,
            self.column,
            self.message
        )
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let idx = crate::position::LineIndex::new(text);
    let p = idx.position(text, offset, crate::position::Encoding::Chars);
    (p.line as usize + 1, p.col as usize + 1)
}

impl Config {
    /// Parse a config file's text. On error, the default config and the problem.
    pub fn parse(text: &str, path: &Path) -> Result<Config, FileProblem> {
        let config = Config::parse_toml(text, path)?;
        if let Some((pattern, why)) = config
            .kinds
            .keys()
            .find_map(|k| crate::kind::glob_problem(k).map(|w| (k, w)))
        {
            let at = text.find(pattern.as_str()).unwrap_or(0);
            let (line, column) = line_col(text, at);
            return Err(FileProblem {
                path: path.to_path_buf(),
                line,
                column,
                message: format!("[kinds]: {why}"),
            });
        }
        Ok(config)
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

    fn parse_toml(text: &str, path: &Path) -> Result<Config, FileProblem> {
        toml::from_str::<Config>(text).map_err(|e| {
            let (line, column) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
            FileProblem {
                path: path.to_path_buf(),
                line,
                column,
                message: format!(
                    "{} (fix it or run `annalist init` for a template)",
                    e.message()
                ),
            }
        })
    }

    /// The configured level of `code`, if any.
    pub fn level(&self, code: &str) -> Option<Level> {
        self.rules.get(code).copied()
    }
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

/// Load the config that governs `start`, or the default one.
pub fn load_for(start: &Path) -> Loaded {
    match find_config(start) {
        Some(p) => load_file(&p),
        None => Loaded::default(),
    }
}

pub fn load_file(path: &Path) -> Loaded {
    match std::fs::read_to_string(path) {
        Ok(text) => match Config::parse(&text, path) {
            Ok(config) => Loaded {
                config,
                path: Some(path.to_path_buf()),
                problems: Vec::new(),
            },
            Err(p) => Loaded {
                config: Config::default(),
                path: Some(path.to_path_buf()),
                problems: vec![p],
            },
        },
        Err(e) => Loaded {
            config: Config::default(),
            path: Some(path.to_path_buf()),
            problems: vec![FileProblem {
                path: path.to_path_buf(),
                line: 1,
                column: 1,
                message: format!("cannot read the configuration: {e}"),
            }],
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rules_and_reports_errors_with_position() {
        let ok = Config::parse(
            "[rules]\nfootnote-unused = \"off\"\n[romanisation]\nkorean = \"revised\"\n",
            Path::new("a.toml"),
        );
        let Ok(c) = ok else { panic!("valid config") };
        assert_eq!(c.level("footnote-unused"), Some(Level::Off));
        assert_eq!(c.romanisation.korean.as_deref(), Some("revised"));
        let bad = Config::parse("[rules]\nfootnote-unused = \"loud\"\n", Path::new("a.toml"));
        let Err(p) = bad else { panic!("invalid level") };
        assert_eq!(p.line, 2);
        let unknown = Config::parse("[nonsense]\n", Path::new("a.toml"));
        assert!(unknown.is_err());
    }

    #[test]
    fn kinds_by_path() {
        use crate::kind::DocKind;
        let Ok(c) = Config::parse(
            "[kinds]\n\"sources/**\" = \"primary\"\n\"sources/frus/**\" = \"edition\"\n",
            Path::new("a.toml"),
        ) else {
            panic!("valid [kinds]")
        };
        assert_eq!(c.kind_for("sources/a.md"), Some(DocKind::Primary));
        assert_eq!(c.kind_for("sources/frus/d2.md"), Some(DocKind::Edition));
        assert_eq!(c.kind_for("essays/a.md"), None);
        let bad = Config::parse("[kinds]\n\"a/**\" = \"primery\"\n", Path::new("a.toml"));
        let Err(p) = bad else { panic!("invalid kind") };
        assert_eq!(p.line, 2);
        let bad = Config::parse(
            "[kinds]\n\"a/[bc].md\" = \"primary\"\n",
            Path::new("a.toml"),
        );
        let Err(p) = bad else {
            panic!("unsupported glob")
        };
        assert_eq!(p.line, 2, "{}", p.message);
    }
}
