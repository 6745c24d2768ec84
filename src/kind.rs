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

use crate::finding::Span;
use crate::markdown::{BlockKind, MdModel};
use crate::notes::Notes;
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

/// True when an edit of `span` overlaps one of `regions` (sorted), or inserts strictly
/// inside one.
pub fn within(regions: &[Span], span: Span) -> bool {
    let i = regions.partition_point(|s| s.end <= span.start);
    regions
        .iter()
        .skip(i)
        .take_while(|r| r.start <= span.end)
        .any(|r| {
            if span.is_empty() {
                r.start < span.start && span.start < r.end
            } else {
                r.overlaps(span)
            }
        })
}

/// The kind and layers of a text. `configured` is the kind `annalist.toml` gives the
/// document's path, if any.
pub fn layers(text: &str, md: &MdModel, notes: &Notes, configured: Option<DocKind>) -> Layers {
    let (kind, from) = if let Some(k) = front_matter_kind(text, md) {
        (k, KindFrom::FrontMatter)
    } else if let Some(k) = configured {
        (k, KindFrom::Config)
    } else if looks_like_a_source(text, md) {
        let has_notes = notes
            .definitions
            .iter()
            .any(|d| d.style == crate::notes::NoteStyle::Footnote);
        (
            if has_notes {
                DocKind::Edition
            } else {
                DocKind::Primary
            },
            KindFrom::Form,
        )
    } else {
        (DocKind::Secondary, KindFrom::Default)
    };
    let source = match kind {
        DocKind::Secondary => Vec::new(),
        DocKind::Primary => body(text, md).into_iter().collect(),
        DocKind::Edition => {
            let mut own: Vec<Span> = notes.definitions.iter().map(|d| d.span).collect();
            own.extend(editorial_sections(text, md));
            own.extend(insertions(text, md));
            subtract(body(text, md), own)
        }
    };
    Layers { kind, from, source }
}

/// The text below the front matter (trailing white space left out, so an insertion at
/// the end of the document is outside it).
fn body(text: &str, md: &MdModel) -> Option<Span> {
    let start = md.front_matter.map(|f| f.end).unwrap_or(0);
    let end = text.trim_end().len();
    (start < end).then_some(Span::new(start, end))
}

/// `kind: primary` in the YAML front matter.
pub fn front_matter_kind(text: &str, md: &MdModel) -> Option<DocKind> {
    let fm = md.front_matter?.slice(text);
    fm.lines().find_map(|l| {
        let v = l.strip_prefix("kind:")?;
        DocKind::parse(v.split('#').next().unwrap_or(""))
    })
}

/// Sections headed "Editorial Note" (FRUS): the editors' own prose.
fn editorial_sections(text: &str, md: &MdModel) -> Vec<Span> {
    let mut out = Vec::new();
    for (k, h) in md.headings.iter().enumerate() {
        let t = h.text.trim().to_lowercase();
        if !(t == "editorial note"
            || t.starts_with("editor's note")
            || t.starts_with("editor’s note"))
        {
            continue;
        }
        let end = md
            .headings
            .iter()
            .skip(k + 1)
            .find(|n| n.level <= h.level)
            .map(|n| n.span.start)
            .unwrap_or(text.len());
        out.push(Span::new(h.span.start, end));
    }
    out
}

/// Editorial insertions: `[…]` in prose holding a space (not a link text, a note marker
/// or a task box): "[Page 1081]", "[Here follows a list of names.]".
pub fn insertions(text: &str, md: &MdModel) -> Vec<Span> {
    brackets(text, md)
        .into_iter()
        .filter(|s| s.slice(text).contains(' '))
        .collect()
}

/// Square brackets in prose that are not Markdown syntax: not a link's text
/// (`[…](…)`, `[…][…]`, `[…]:`), not a note marker or definition (`[^…]`).
pub fn brackets(text: &str, md: &MdModel) -> Vec<Span> {
    let mut out = Vec::new();
    for b in &md.blocks {
        if !matches!(b.kind, BlockKind::Paragraph | BlockKind::Heading { .. }) {
            continue;
        }
        for p in md.prose_pieces(b.content) {
            let s = p.slice(text);
            let mut from = 0;
            while let Some(rel) = s.get(from..).and_then(|r| r.find('[')) {
                let open = from + rel;
                from = open + 1;
                let Some(close_rel) = s.get(open + 1..).and_then(|r| r.find([']', '[', '\n']))
                else {
                    break;
                };
                let close = open + 1 + close_rel;
                if s.get(close..close + 1) != Some("]") {
                    continue;
                }
                let inner = s.get(open + 1..close).unwrap_or("");
                let after = s.get(close + 1..).and_then(|r| r.chars().next());
                let link = matches!(after, Some('(' | '[' | ':'));
                if inner.starts_with('^')
                    || inner.is_empty()
                    || link
                    || matches!(inner, " " | "x" | "X")
                {
                    from = close + 1;
                    continue;
                }
                out.push(Span::new(p.start + open, p.start + close + 1));
                from = close + 1;
            }
        }
    }
    out
}

/// What no safe fix may touch: quotations, block quotes, glosses (`[…]` insertions),
/// tables and the source text of a primary or edition document. Sorted, merged.
pub fn protected_regions(text: &str, md: &MdModel, layers: &Layers) -> Vec<Span> {
    let mut v: Vec<Span> = layers.source.clone();
    v.extend(crate::claims::quotation_spans(text, md));
    v.extend(brackets(text, md));
    for b in &md.blocks {
        if b.quote_depth > 0 || b.kind == BlockKind::Table {
            v.push(b.span);
        }
    }
    v.retain(|s| !s.is_empty());
    v.sort();
    let mut merged: Vec<Span> = Vec::with_capacity(v.len());
    for s in v {
        match merged.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => merged.push(s),
        }
    }
    merged
}

/// `whole` minus `holes`, sorted and disjoint.
fn subtract(whole: Option<Span>, mut holes: Vec<Span>) -> Vec<Span> {
    let Some(whole) = whole else {
        return Vec::new();
    };
    holes.sort();
    let mut out = Vec::new();
    let mut pos = whole.start;
    for h in holes {
        if h.end <= pos || h.start >= whole.end {
            continue;
        }
        if h.start > pos {
            out.push(Span::new(pos, h.start));
        }
        pos = pos.max(h.end);
    }
    if pos < whole.end {
        out.push(Span::new(pos, whole.end));
    }
    out
}

/// The form of a source: two signs among the first lines of the body — a telegram or
/// memorandum header ("The Ambassador in Korea (Muccio) to the Secretary of State"),
/// a file-number line (`795.00/6–2550: Telegram`), a security classification
/// (SECRET, CONFIDENTIAL…), a dateline ("Seoul, June 26, 1950—10 a.m."), `From:` and
/// `To:` headers.
pub fn looks_like_a_source(text: &str, md: &MdModel) -> bool {
    let start = md.front_matter.map(|f| f.end).unwrap_or(0);
    let head = text.get(start..).unwrap_or("");
    let lines: Vec<&str> = head
        .lines()
        .map(|l| l.trim().trim_start_matches('#').trim())
        .filter(|l| !l.is_empty())
        .take(12)
        .collect();
    let mut signs = 0;
    if lines.iter().any(|l| is_header_line(l)) {
        signs += 1;
    }
    if lines.iter().any(|l| is_file_number_line(l)) {
        signs += 1;
    }
    if lines.iter().any(|l| is_classification(l)) {
        signs += 1;
    }
    if lines.iter().any(|l| is_dateline(l)) {
        signs += 1;
    }
    let from = lines.iter().any(|l| l.starts_with("From:"));
    let to = lines.iter().any(|l| l.starts_with("To:"));
    if from && to {
        signs += 2;
    }
    signs >= 2
}

/// "The Ambassador in Korea (Muccio) to the Secretary of State", "Memorandum of
/// Conversation, by …", "Memorandum by the Secretary of State to the President".
pub fn is_header_line(l: &str) -> bool {
    let words = l.split_whitespace().count();
    if words > 25 {
        return false;
    }
    let official = l.starts_with("The ") && l.contains(" to the ") && l.contains('(');
    official || l.starts_with("Memorandum of Conversation") || l.starts_with("Memorandum by ")
}

/// `795.00/6–2550: Telegram`, `501.BB Korea/7–1849: Telegram`, `S/P Files: Lot 64 D 563`.
pub fn is_file_number_line(l: &str) -> bool {
    let Some((file, what)) = l.split_once(": ") else {
        return false;
    };
    let what = what.trim().trim_end_matches('.');
    let doc_type = [
        "Telegram",
        "Airgram",
        "Despatch",
        "Memorandum",
        "Letter",
        "Note",
        "Instruction",
    ]
    .iter()
    .any(|t| what.starts_with(t));
    let numbered = file.contains('/') && file.chars().any(|c| c.is_ascii_digit());
    l.split_whitespace().count() <= 10
        && numbered
        && (doc_type || file.ends_with("Files") || what.starts_with("Lot "))
}

/// SECRET, TOP SECRET, CONFIDENTIAL, RESTRICTED, with an optional priority word.
pub fn is_classification(l: &str) -> bool {
    let t = l.trim_end_matches('.').trim();
    let words: Vec<&str> = t.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 4
        && words.iter().all(|w| {
            matches!(
                *w,
                "TOP"
                    | "SECRET"
                    | "CONFIDENTIAL"
                    | "RESTRICTED"
                    | "UNCLASSIFIED"
                    | "PRIORITY"
                    | "NIACT"
                    | "OPERATIONAL"
                    | "IMMEDIATE"
                    | "URGENT"
                    | "EYES"
                    | "ONLY"
            )
        })
        && words
            .iter()
            .any(|w| matches!(*w, "SECRET" | "CONFIDENTIAL" | "RESTRICTED"))
}

/// "Seoul, June 26, 1950—10 a.m.", "Washington, July 18, 1949.": a place, a comma, a
/// month, a day, a year, and at most a time after it.
pub fn is_dateline(l: &str) -> bool {
    let Some((place, rest)) = l.split_once(", ") else {
        return false;
    };
    let place_ok = place.split_whitespace().count() <= 3
        && place
            .split_whitespace()
            .all(|w| w.chars().next().is_some_and(|c| c.is_uppercase()));
    let mut words = rest.split_whitespace();
    let month = words
        .next()
        .is_some_and(|m| crate::claims::month_number(m).is_some());
    let day = words.next().is_some_and(|d| {
        let d = d.trim_end_matches(',');
        !d.is_empty() && d.len() <= 2 && d.bytes().all(|b| b.is_ascii_digit())
    });
    let year = words
        .next()
        .is_some_and(|y| y.chars().take(4).filter(|c| c.is_ascii_digit()).count() == 4);
    place_ok && month && day && year && l.split_whitespace().count() <= 10
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
mod tests {
    use super::*;

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
