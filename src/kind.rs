//! What kind of document a text is, and which of its words are a source's own.
//!
//! A **primary** document is a source (a telegram, a speech, a resolution); an
//! **edition** is a source with an editor's notes (FRUS: the document, its footnotes,
//! the editors' insertions); **secondary** prose is a historian's own writing. The
//! words of a source are their own evidence: the claims rules judge only what the
//! writer or the editor says, and no fix that changes a word of a source is safe.
//!
//! The kind comes from, in this order: the front matter's `kind:`; the `[kinds]` table
//! of `annalist.toml` (glob → kind, matched against the path relative to the
//! configuration's directory; the caller resolves it, see [`crate::config::Config::kind_for`]);
//! the document's form (telegram and memorandum headers, file-number lines, security
//! classifications, datelines, `From:`/`To:` headers); else `secondary`.
//!
//! This module is the vocabulary (kinds, layers, the `[kinds]` globs), low enough for
//! the configuration to use; [`crate::layers`] computes a document's layers.

use crate::finding::{Span, within};
use serde::{Deserialize, Serialize};

/// The kind of a document.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DocKind {
    /// A source: every word of its body is the source's own.
    Primary,
    /// A source with an editor's notes and insertions.
    Edition,
    /// A historian's prose (the default).
    #[default]
    Secondary,
}
impl DocKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Primary => "primary",
            DocKind::Edition => "edition",
            DocKind::Secondary => "secondary",
        }
    }
    pub fn parse(s: &str) -> Option<DocKind> {
        match s
            .trim()
            .trim_matches(['"', '\''])
            .to_ascii_lowercase()
            .as_str()
        {
            "primary" | "source" => Some(DocKind::Primary),
            "edition" => Some(DocKind::Edition),
            "secondary" => Some(DocKind::Secondary),
            _ => None,
        }
    }
}
/// Where a document's kind came from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum KindFrom {
    FrontMatter,
    Config,
    Form,
    #[default]
    Default,
}
/// A document's kind and its layers: which spans are a source's own words.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Layers {
    pub kind: DocKind,
    pub from: KindFrom,
    /// The source text (sorted, disjoint): in a primary document its whole body; in an
    /// edition its body without the editor's notes (footnote definitions), editorial
    /// insertions (`[…]`) and sections headed "Editorial Note"; empty in secondary prose.
    pub source: Vec<Span>,
}
impl Layers {
    /// True when `span` starts inside the source text.
    pub fn in_source(&self, span: Span) -> bool {
        let i = self.source.partition_point(|s| s.end <= span.start);
        self.source
            .get(i)
            .is_some_and(|s| s.start <= span.start && span.start < s.end)
    }
    /// True when an edit of `span` would change the source text: it overlaps it, or
    /// inserts strictly inside it.
    pub fn edit_touches_source(&self, span: Span) -> bool {
        within(&self.source, span)
    }
}
/// Match `path` (relative, `/`-separated) against a glob: `*` and `?` within one
/// path segment, `**` across segments. A pattern without `/` matches the file name.
pub fn glob_match(pattern: &str, path: &str) -> bool {
    let path = path.trim_start_matches("./");
    let pattern = pattern.trim_start_matches("./").trim_start_matches('/');
    if !pattern.contains('/') {
        let name = path.rsplit('/').next().unwrap_or(path);
        return segments_match(&[pattern], &[name]);
    }
    let p: Vec<&str> = pattern.split('/').collect();
    let s: Vec<&str> = path.split('/').collect();
    segments_match(&p, &s)
}
fn segments_match(p: &[&str], s: &[&str]) -> bool {
    match p.split_first() {
        None => s.is_empty(),
        Some((&"**", rest)) => {
            (0..=s.len()).any(|k| segments_match(rest, s.get(k..).unwrap_or(&[])))
        }
        Some((first, rest)) => match s.split_first() {
            Some((name, srest)) => {
                let pc: Vec<char> = first.chars().collect();
                let nc: Vec<char> = name.chars().collect();
                wildcard(&pc, &nc) && segments_match(rest, srest)
            }
            None => false,
        },
    }
}
fn wildcard(p: &[char], s: &[char]) -> bool {
    // Iterative matcher with backtracking on the last `*`.
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        match p.get(pi) {
            Some('?') => {
                pi += 1;
                si += 1;
            }
            Some('*') => {
                star = Some((pi, si));
                pi += 1;
            }
            Some(c) if Some(c) == s.get(si) => {
                pi += 1;
                si += 1;
            }
            _ => match star {
                Some((sp, ss)) => {
                    pi = sp + 1;
                    si = ss + 1;
                    star = Some((sp, ss + 1));
                }
                None => return false,
            },
        }
    }
    p.get(pi..).unwrap_or(&[]).iter().all(|c| *c == '*')
}
/// Why a `[kinds]` glob is not usable, if it is not.
pub fn glob_problem(pattern: &str) -> Option<String> {
    if pattern.trim().is_empty() {
        return Some("an empty pattern".into());
    }
    if pattern.contains(['[', ']', '{', '}']) {
        return Some(format!(
            "`{pattern}`: only `*`, `?` and `**` are supported in [kinds] patterns"
        ));
    }
    None
}

#[cfg(test)]
#[cfg(test)]
mod tests {
    use super::*;
    use crate::layers::*;
    use crate::markdown::MdModel;

    fn layers_of(text: &str) -> Layers {
        let md = MdModel::parse(text);
        let notes = crate::notes::analyze(text, &md);
        layers(text, &md, &notes, None)
    }

    #[test]
    fn kind_from_front_matter_beats_form() {
        let t = "---\nkind: secondary\n---\n\nSECRET\n\nSeoul, June 26, 1950—10 a.m.\n\nText.\n";
        let l = layers_of(t);
        assert_eq!(
            (l.kind, l.from),
            (DocKind::Secondary, KindFrom::FrontMatter)
        );
        let t = "---\ntitle: x\nkind: \"edition\"\n---\n\nText.\n";
        assert_eq!(layers_of(t).kind, DocKind::Edition);
    }

    #[test]
    fn kind_from_the_form_of_real_headers() {
        // The openings of fixtures/real/frus-1949v07p2-d271-d272.md, without front matter.
        let telegram = "# The Ambassador in Korea (Muccio) to the Secretary of State\n\n501.BB Korea/7–1849: Telegram\n\nRESTRICTED\n\nSeoul, July 18, 1949—noon.\n\n881. Home Ministry informed Embassy of arrest.\n";
        let l = layers_of(telegram);
        assert_eq!((l.kind, l.from), (DocKind::Primary, KindFrom::Form));
        let with_notes = format!("{telegram}[^1]\n\n[^1]: Not printed.\n");
        assert_eq!(layers_of(&with_notes).kind, DocKind::Edition);
        let memo = "From: Shtykov\nTo: Vyshinsky\n\nKim asked again.\n";
        assert_eq!(layers_of(memo).kind, DocKind::Primary);
        // Near-misses: one sign is not enough; a historian's prose is secondary.
        for t in [
            "SECRET\n\nThe plan was secret.\n",
            "# The Korean War\n\nSeoul, June 26, 1950 was a Monday.\n",
            "On 17 April 1949, Stalin informed his ambassador.\n",
        ] {
            assert_eq!(layers_of(t).kind, DocKind::Secondary, "{t}");
        }
    }

    #[test]
    fn form_signs() {
        assert!(is_file_number_line("795.00/6–2550: Telegram"));
        assert!(is_file_number_line("893.34595/9–1949: Airgram"));
        assert!(is_file_number_line("S/P Files: Lot 64 D 563"));
        assert!(!is_file_number_line("Note: the figures are approximate."));
        assert!(is_classification("TOP SECRET"));
        assert!(is_classification("SECRET  PRIORITY"));
        assert!(!is_classification("SECRETARY"));
        assert!(is_dateline("Seoul, June 26, 1950—10 a.m."));
        assert!(is_dateline("Washington, July 18, 1949."));
        assert!(!is_dateline(
            "In Seoul, June was hot and the troops waited for orders in 1950."
        ));
        assert!(is_header_line(
            "The Ambassador in Korea (Muccio) to the Secretary of State"
        ));
        assert!(!is_header_line("The road to the war"));
    }

    #[test]
    fn edition_layers_leave_notes_and_insertions_to_the_editor() {
        let t = "---\nkind: edition\n---\n\n# Telegram\n\nHome Ministry informed Embassy.[^1] [Page 1063] More.\n\n[^1]: Not printed.\n";
        let l = layers_of(t);
        let at = |s: &str| {
            t.find(s)
                .map(|i| Span::new(i, i + s.len()))
                .unwrap_or_default()
        };
        assert!(l.in_source(at("Home Ministry")));
        assert!(!l.in_source(at("Page 1063")));
        assert!(!l.in_source(at("Not printed")));
        assert!(!l.in_source(at("kind: edition")));
        // The end of the document is not source text: a stub may go there.
        assert!(!l.edit_touches_source(Span::new(t.len(), t.len())));
        assert!(l.edit_touches_source(at("Ministry")));
        let primary = layers_of("---\nkind: primary\n---\n\nWe declare.\n");
        assert_eq!(primary.source.len(), 1);
        assert!(layers_of("Prose.\n").source.is_empty());
        let ed = layers_of(
            "---\nkind: edition\n---\n\n# Editorial Note\n\nOn September 21, Acheson said so.\n",
        );
        assert!(ed.source.is_empty(), "{:?}", ed.source);
    }

    #[test]
    fn globs() {
        assert!(glob_match("sources/**", "sources/a.md"));
        assert!(glob_match("sources/**", "sources/x/y/a.md"));
        assert!(!glob_match("sources/**", "essays/a.md"));
        assert!(glob_match(
            "**/frus-*.md",
            "fixtures/real/frus-1951v07p2-d2.md"
        ));
        assert!(glob_match(
            "frus-*.md",
            "fixtures/real/frus-1951v07p2-d2.md"
        ));
        assert!(glob_match("essays/*.md", "essays/a.md"));
        assert!(!glob_match("essays/*.md", "essays/x/a.md"));
        assert!(glob_match("a?c.md", "abc.md"));
        assert!(glob_problem("").is_some());
        assert!(glob_problem("src/[ab].md").is_some());
        assert!(glob_problem("sources/**").is_none());
    }
}
