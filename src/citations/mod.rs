//! Sources the way historians cite them: Pandoc citations (`[@key, p. 33]`) and the
//! bibliographies that define their keys (BibTeX/BibLaTeX, CSL JSON, CSL YAML).
//!
//! - [`syntax`]: citations in prose, with key spans, prefix, locator, suffix.
//! - [`bib`]: bibliography files, parsed without failing.
//! - this module: which bibliographies govern a document (front matter `bibliography:`
//!   relative to the document, `bibliographies = [...]` in annalist.toml relative to
//!   it, never outside the configuration's directory), a cache of loaded files checked
//!   against their modification time (so an edited .bib is re-read on the next
//!   analysis), and formatting of references with hayagriva's bundled CSL styles.
//!
//! No LSP or terminal types here.

pub mod bib;

pub mod syntax;

pub use bib::{Bibliography, Entry};
pub use syntax::Citation;

use crate::finding::Span;
use crate::markdown::MdModel;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

/// A bibliography a document uses, and where it was declared.
#[derive(Clone, Debug)]
pub struct Source {
    /// As written (front matter or annalist.toml).
    pub written: String,
    /// Where it was declared in the document (front matter), if there.
    pub declared_at: Option<Span>,
    /// The loaded file (with its problems); `None` when refused or missing.
    pub bib: Option<Arc<Bibliography>>,
    /// Why the file is not used (outside the workspace, cannot be read).
    pub refused: Option<String>,
}

/// A document's citations and the bibliographies that govern it.
#[derive(Clone, Debug, Default)]
pub struct DocCitations {
    pub cites: Vec<Citation>,
    pub sources: Vec<Source>,
}

impl DocCitations {
    /// Whether any bibliography is configured for this document (loaded or not).
    pub fn configured(&self) -> bool {
        !self.sources.is_empty()
    }

    /// The loaded bibliographies.
    pub fn bibs(&self) -> impl Iterator<Item = &Arc<Bibliography>> {
        self.sources.iter().filter_map(|s| s.bib.as_ref())
    }

    /// The entry of `key` (the first bibliography that has it; in each, the first
    /// entry of that key) and its file.
    pub fn lookup(&self, key: &str) -> Option<(&Bibliography, &Entry)> {
        self.bibs()
            .find_map(|b| b.get(key).map(|e| (b.as_ref(), e)))
    }

    /// The citation whose key (or `@`) is at `offset`.
    pub fn at(&self, offset: usize) -> Option<&Citation> {
        self.cites.iter().find(|c| {
            c.key_span.touches(offset) || (c.key_span.start > 0 && offset + 1 == c.key_span.start)
        })
    }

    /// Distinct keys in order of first citation. An in-text `@word` inside quotation
    /// marks that no bibliography defines is a handle quoted from social media
    /// ("follow @someone"), not a work cited.
    pub fn keys_in_order(&self) -> Vec<&str> {
        let mut seen = std::collections::HashSet::new();
        self.cites
            .iter()
            .filter(|c| !(c.in_quotes && self.lookup(&c.key).is_none()))
            .filter(|c| seen.insert(c.key.as_str()))
            .map(|c| c.key.as_str())
            .collect()
    }
}

/// Where a document lives, for resolving its bibliographies.
#[derive(Clone, Debug, Default)]
pub struct Place<'a> {
    /// The document's path, when it has one.
    pub doc: Option<&'a Path>,
    /// The directory of annalist.toml (or the workspace root): bibliographies must stay
    /// inside it. Without it, inside the document's directory.
    pub root: Option<&'a Path>,
}

/// Find a document's citations and load its bibliographies.
pub fn for_document(
    text: &str,
    md: &MdModel,
    config: &crate::config::Config,
    place: &Place,
) -> DocCitations {
    let cites = syntax::find(text, md);
    let mut sources = Vec::new();
    let doc_dir = place.doc.and_then(Path::parent);
    let root = place.root.or(doc_dir);
    // A document analysed without knowing where it is (tests, benches) has no
    // bibliographies: relative paths cannot be resolved, and it is not told so.
    let unplaced = |w: &str, base: Option<&Path>| base.is_none() && !Path::new(w).is_absolute();
    for (written, at) in front_matter_bibliographies(text, md) {
        let base = doc_dir.or(place.root);
        if unplaced(&written, base) {
            continue;
        }
        sources.push(resolve(&written, Some(at), base, root));
    }
    for p in &config.bibliographies {
        let written = p.to_string_lossy().into_owned();
        if unplaced(&written, place.root) {
            continue;
        }
        sources.push(resolve(&written, None, place.root, place.root));
    }
    DocCitations { cites, sources }
}

fn resolve(written: &str, at: Option<Span>, base: Option<&Path>, root: Option<&Path>) -> Source {
    let mut s = Source {
        written: written.to_string(),
        declared_at: at,
        bib: None,
        refused: None,
    };
    let path = Path::new(written);
    let full = match base {
        Some(b) => b.join(path),
        None if path.is_absolute() => path.to_path_buf(),
        None => {
            s.refused = Some("the document has no path to resolve it against".into());
            return s;
        }
    };
    let canon = match full.canonicalize() {
        Ok(c) => c,
        Err(e) => {
            s.refused = Some(format!("cannot read {}: {e}", full.display()));
            return s;
        }
    };
    if let Some(r) = root {
        let r = r.canonicalize().unwrap_or_else(|_| r.to_path_buf());
        if !canon.starts_with(&r) {
            s.refused = Some(format!(
                "{} is outside the workspace ({}); it is not read",
                full.display(),
                r.display()
            ));
            return s;
        }
    }
    s.bib = Some(load_cached(&canon));
    s
}

type Cache = Mutex<HashMap<PathBuf, (Option<SystemTime>, u64, Arc<Bibliography>)>>;

/// Load a bibliography, reusing the parsed file while its modification time and size
/// are unchanged.
pub fn load_cached(path: &Path) -> Arc<Bibliography> {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let meta = std::fs::metadata(path).ok();
    let stamp = (
        meta.as_ref().and_then(|m| m.modified().ok()),
        meta.as_ref().map_or(0, |m| m.len()),
    );
    if let Ok(c) = cache.lock()
        && let Some((t, n, b)) = c.get(path)
        && (*t, *n) == stamp
        && t.is_some()
    {
        return b.clone();
    }
    let b = Arc::new(Bibliography::load(path));
    if let Ok(mut c) = cache.lock() {
        c.insert(path.to_path_buf(), (stamp.0, stamp.1, b.clone()));
    }
    b
}

/// The `bibliography:` of the front matter (a string or a list of strings), each with
/// its span in the text.
pub fn front_matter_bibliographies(text: &str, md: &MdModel) -> Vec<(String, Span)> {
    let Some(fm) = md.front_matter else {
        return Vec::new();
    };
    let Some(src) = text.get(fm.start..fm.end) else {
        return Vec::new();
    };
    // Strip the `---` fences.
    let body: String = src
        .lines()
        .filter(|l| !matches!(l.trim_end(), "---" | "..."))
        .collect::<Vec<_>>()
        .join("\n");
    let Ok(v) = serde_norway::from_str::<serde_json::Value>(&body) else {
        return Vec::new();
    };
    let list: Vec<String> = match v.get("bibliography") {
        Some(serde_json::Value::String(s)) => vec![s.clone()],
        Some(serde_json::Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    let mut from = src.find("bibliography").unwrap_or(0);
    list.into_iter()
        .map(|p| {
            let at = src
                .get(from..)
                .and_then(|t| t.find(p.as_str()))
                .map(|i| {
                    from += i + p.len();
                    Span::new(fm.start + from - p.len(), fm.start + from)
                })
                .unwrap_or(Span::new(fm.start, fm.start));
            (p, at)
        })
        .collect()
}

/// The CSL style named in annalist.toml (`citation_style`), else Chicago
/// notes-bibliography.
fn style(name: &str) -> Option<Arc<hayagriva::citationberg::IndependentStyle>> {
    type Styles = Mutex<HashMap<String, Option<Arc<hayagriva::citationberg::IndependentStyle>>>>;
    static STYLES: OnceLock<Styles> = OnceLock::new();
    let styles = STYLES.get_or_init(Default::default);
    if let Ok(s) = styles.lock()
        && let Some(st) = s.get(name)
    {
        return st.clone();
    }
    let st = hayagriva::archive::ArchivedStyle::by_name(name).and_then(|a| match a.get() {
        hayagriva::citationberg::Style::Independent(i) => Some(Arc::new(i)),
        hayagriva::citationberg::Style::Dependent(_) => None,
    });
    if let Ok(mut s) = styles.lock() {
        s.insert(name.to_string(), st.clone());
    }
    st
}

fn locales() -> &'static [hayagriva::citationberg::Locale] {
    static L: OnceLock<Vec<hayagriva::citationberg::Locale>> = OnceLock::new();
    L.get_or_init(hayagriva::archive::locales)
}

/// Whether hayagriva knows the style `name`.
pub fn style_exists(name: &str) -> bool {
    style(name).is_some()
}

/// Format one entry as a one-item bibliography (hayagriva's `EntryLike` is private, so
/// this is a macro over the two entry types).
macro_rules! render_one {
    ($entry:expr, $ty:ty, $style:expr) => {{
        use hayagriva::{
            BibliographyDriver, BibliographyRequest, BufWriteFormat, CitationItem, CitationRequest,
        };
        let locales = locales();
        let mut driver: BibliographyDriver<'_, $ty> = BibliographyDriver::new();
        driver.citation(CitationRequest::from_items(
            vec![CitationItem::with_entry($entry)],
            $style,
            locales,
        ));
        let r = driver.finish(BibliographyRequest::new($style, None, locales));
        r.bibliography
            .and_then(|b| b.items.into_iter().next())
            .and_then(|item| {
                let mut s = String::new();
                item.content.write_buf(&mut s, BufWriteFormat::Plain).ok()?;
                let s = s.trim().to_string();
                (!s.is_empty()).then_some(s)
            })
    }};
}

/// The entry formatted as a bibliography reference in `style_name` (a hayagriva style
/// name such as `chicago-notes`); a plain fallback when it cannot be formatted.
pub fn reference(entry: &Entry, style_name: &str) -> String {
    let formatted = style(style_name).and_then(|st| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match &entry.data {
            bib::EntryData::Hayagriva(e) => render_one!(e.as_ref(), hayagriva::Entry, &st),
            bib::EntryData::Csl(i) => {
                render_one!(i.as_ref(), hayagriva::citationberg::json::Item, &st)
            }
            bib::EntryData::None => None,
        }))
        .ok()
        .flatten()
    });
    formatted.unwrap_or_else(|| fallback(entry))
}

fn fallback(entry: &Entry) -> String {
    let mut parts = Vec::new();
    if !entry.authors.is_empty() {
        parts.push(entry.authors.join(", "));
    }
    if let Some(t) = &entry.title {
        parts.push(format!("“{t}”"));
    }
    if let Some(y) = &entry.year {
        parts.push(y.clone());
    }
    if parts.is_empty() {
        entry.key.clone()
    } else {
        format!("{}.", parts.join(". "))
    }
}

/// The closest keys to `key` among `keys` (edit distance, at most a third of the
/// key's length, at least 1), best first.
pub fn did_you_mean<'a>(key: &str, keys: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (key.chars().count() / 3).max(1);
    keys.map(|k| {
        (
            strsim::levenshtein(&key.to_lowercase(), &k.to_lowercase()),
            k,
        )
    })
    .filter(|(d, _)| *d <= limit)
    .min_by_key(|(d, k)| (*d, k.len()))
    .map(|(_, k)| k)
}

#[cfg(test)]
mod tests;
