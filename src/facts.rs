//! The facts of one document version: what every rule reads and no rule writes.
//!
//! [`Analysis`] holds the document's text, its Markdown model, its notes, mentions,
//! dates and claims, and (once the rules have run) its findings and its name index;
//! [`Context`] is what a rule may see besides: the configuration and the
//! [`Knowledge`] (gazetteer and automaton). The passes below this floor produce the
//! facts; `rules` reads them; `analysis` (above both) runs them in order.

use crate::claims::Claim;
use crate::config::Config;
use crate::dates::DateMention;
use crate::finding::{Finding, Span};
use crate::gazetteer::{EntityKind, System};
use crate::markdown::MdModel;
use crate::names::Mention;
use crate::notes::Notes;
use crate::position::LineIndex;
use std::sync::Arc;

pub use crate::names::Knowledge;

/// What a rule may see besides the facts.
pub struct Context<'a> {
    pub config: &'a Config,
    pub knowledge: &'a Knowledge,
}

/// What the analysis of one version of a document keeps for the next (the editor's
/// incremental analysis): the fact passes' results per block, found again by the
/// block's place: the fact passes (mentions, dates, claims) find a block the edit did
/// not reach where it stood in the last version ([`crate::memo::ShiftMemo`]); the
/// names rules find it by place first, then among the replaced text's old blocks by a
/// hash of its bytes, and only then by its text wherever it moved. One per open document, dropped
/// with its configuration; `check` analyses each file once and keeps nothing.
#[derive(Default)]
pub struct Reuse {
    /// The note layer's scan for markers, in parts ([`crate::notes::ScanMemo`]).
    pub(crate) notes: crate::notes::ScanMemo,
    pub(crate) mentions: crate::memo::ShiftMemo<Vec<Mention>>,
    pub(crate) dates: crate::memo::ShiftMemo<crate::dates::recognize::BlockDates>,
    pub(crate) claims: crate::claims::ClaimMemo,
    /// The names rules' block-local work (words, n-grams, votes, OCR suspects,
    /// apparatus), and their join of the blocks' n-grams: read with the front
    /// matter's knowledge, so dropped with the mentions.
    pub(crate) names: crate::memo::JoinedMemo<Arc<crate::names::romanise::block::BlockNames>>,
    /// The front matter the kept mentions were read with (it may define entities, and
    /// so change the recognizer).
    pub(crate) front_matter: std::sync::Mutex<Option<String>>,
    /// The text of the last version analysed (what the fact passes' kept blocks were
    /// read in).
    pub(crate) last: std::sync::Mutex<Option<Arc<str>>>,
    /// Held for a whole version's analysis: kept blocks are found by their place in
    /// the last version, so two versions must not be analysed at once with one `Reuse`
    /// (the server runs one analysis per document at a time; this makes it a rule).
    pub(crate) version: std::sync::Mutex<()>,
}

impl Reuse {
    /// The start of a version: the fact passes learn what `text` shares with the last
    /// version's, whose blocks they kept.
    pub(crate) fn begin(&self, text: &Arc<str>) {
        let unchanged = match self.last.lock() {
            Ok(mut last) => {
                let u = crate::memo::Unchanged::between(last.as_deref().unwrap_or(""), text);
                *last = Some(text.clone());
                u
            }
            // Nothing known of the last version: nothing is found in it.
            Err(_) => crate::memo::Unchanged::default(),
        };
        self.notes.begin(unchanged);
        self.mentions.begin(unchanged);
        self.dates.begin(unchanged);
        self.claims.begin(unchanged);
    }

    /// The end of a version: drop what it did not use.
    pub fn sweep(&self) {
        self.mentions.sweep();
        self.dates.sweep();
        self.claims.sweep();
        self.names.sweep();
    }

    /// Block results computed (not found) since this was made, by pass (mentions,
    /// dates, claims, the names rules' words and n-grams): the work an edit cost (for
    /// the tests that count it).
    pub fn computed(&self) -> (usize, usize, usize, usize) {
        (
            self.mentions.computed(),
            self.dates.computed(),
            self.claims.computed(),
            self.names.computed(),
        )
    }

    /// Bytes the note layer's scan for markers read afresh (not kept from the last
    /// version) since this was made: the work an edit cost (for the tests that count it).
    pub fn notes_scanned(&self) -> usize {
        self.notes.scanned()
    }

    /// Blocks' contributions the names rules added to or removed from their
    /// document-wide join of the n-grams since this was made (the tests' count of
    /// what an edit costs the join).
    pub fn names_joined(&self) -> usize {
        self.names.joined()
    }

    /// Gazetteer entities the names rules judged afresh (their findings, their index
    /// entries) rather than reused from the last version, since this was made.
    pub fn names_rejudged(&self) -> usize {
        self.names.recomputed()
    }

    /// Forget the kept mentions unless they were read with this front matter.
    pub(crate) fn front_matter_is(&self, fm: &str) {
        if let Ok(mut kept) = self.front_matter.lock()
            && kept.as_deref() != Some(fm)
        {
            if kept.is_some() {
                self.mentions.clear();
                self.names.clear();
            }
            *kept = Some(fm.to_string());
        }
    }
}

/// The facts of one document version and the findings on them.
pub struct Analysis {
    pub text: Arc<str>,
    pub lines: LineIndex,
    pub md: Arc<MdModel>,
    pub notes: Notes,
    pub mentions: Vec<Mention>,
    pub dates: Vec<DateMention>,
    pub claims: Vec<Claim>,
    /// The document's kind (primary, edition, secondary) and which spans are a
    /// source's own words ([`crate::kind`]).
    pub layers: crate::kind::Layers,
    /// Sorted by position, then code.
    pub findings: Vec<Finding>,
    /// Entities defined in this document's front matter (and the knowledge including
    /// them, which `mentions` index into); `None` when it defines none.
    pub local: Option<Arc<crate::names::DocumentEntities>>,
    /// How this document spells the gazetteer's names, for the comparison across
    /// files ([`NameIndex`]).
    pub names: NameIndex,
    /// Pandoc citations and the document's bibliographies.
    pub citations: crate::citations::DocCitations,
}

impl Analysis {
    /// The knowledge `mentions` index into: the document's own when its front matter
    /// defines entities, else the shared one.
    pub fn knowledge<'a>(&'a self, ctx: &'a Context) -> &'a Knowledge {
        match &self.local {
            Some(l) => &l.knowledge,
            None => ctx.knowledge,
        }
    }
}

/// The one copy of a name's text (an entity's id, a spelling) that every name index
/// of the process holds: a collection writes the same few thousand names in every
/// file, and a workspace index or a `check` run keeps every file's index (issue #14:
/// one allocation per entity and per spelling of each of 2,000 files, where the
/// texts were a few thousand). Equal texts compare by address first, too. Bounded
/// ([`crate::memo::Memo`]): past the bound a text is shared with fewer indexes, never
/// wrong.
pub fn shared_text(text: &str) -> Arc<str> {
    static TEXTS: std::sync::LazyLock<crate::memo::Memo<Arc<str>>> =
        std::sync::LazyLock::new(|| crate::memo::Memo::new(1 << 17));
    TEXTS.get_or(text, || Arc::from(text))
}

/// How one document spells the gazetteer's entities, and the names no gazetteer lists
/// whose letters show a romanisation convention.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NameIndex {
    /// Sorted by entity id.
    pub entities: Vec<EntityNames>,
    /// Sorted by language, then text.
    pub unlisted: Vec<UnlistedName>,
}

/// A name no gazetteer lists, spelt in a recognisable convention (Pak Hŏn-yŏng,
/// Chou En-lai, Chtykov): only such spellings are compared across files, since an
/// unmarked capitalised word is as likely English as a name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnlistedName {
    pub lang: crate::names::romanise::Language,
    /// Shared ([`shared_text`]).
    pub text: Arc<str>,
    pub system: System,
    /// The language's romanisation keys: two spellings sharing one are one name.
    pub keys: std::sync::Arc<Vec<String>>,
    pub occs: Vec<Span>,
    /// The document spells this name in more than one way itself.
    pub mixed: bool,
}

/// One entity's spellings in one document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntityNames {
    /// The gazetteer id (stable across documents, unlike indices); shared
    /// ([`shared_text`]).
    pub id: Arc<str>,
    pub kind: EntityKind,
    /// Sorted by text.
    pub spellings: Vec<Spelled>,
    /// The document itself writes this entity inconsistently (the per-file rule has
    /// spoken): it takes part in the workspace's count, but is not judged across files
    /// until it settles on one spelling — two rules must never give opposite advice.
    pub mixed: bool,
}

/// A spelling and where the document writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spelled {
    /// Shared ([`shared_text`]).
    pub text: Arc<str>,
    pub system: Option<System>,
    pub occs: Vec<Span>,
}

impl NameIndex {
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty() && self.unlisted.is_empty()
    }
}

/// One document as the cross-file rules see it.
#[derive(Clone, Copy, Debug)]
pub struct Doc<'a> {
    /// The front end's name for it; echoed in related places.
    pub path: &'a str,
    pub text: &'a str,
    pub names: &'a NameIndex,
    /// `names` as its owner shares it, when it does (a workspace file's, in the
    /// server's index): a comparison that kept this `Arc` knows the index unchanged
    /// by identity, without reading it (issue #14: 2,000 files' indexes were walked
    /// on every keystroke).
    pub shared: Option<&'a std::sync::Arc<NameIndex>>,
}
