//! The names rules' judgements of gazetteer entities, kept from one version of a
//! document to the next (the editor's incremental analysis, issue #14).
//!
//! What [`check_entities`] finds for an entity, and what [`index_entities`] records of
//! it, depends on the entity (the knowledge, fixed for a [`NamesMemo`]: a change of
//! the front matter's entities clears it), the configuration (fixed too: the server
//! makes a new memo when it changes), and of the version only: each of the entity's
//! mentions in document order — its text, its matched name and whether the pass skips
//! it (claimed by an earlier finding, in the apparatus, OCR damage) — and, for the
//! findings, the convention the document uses most in each language (all that
//! [`choose`] reads of the votes). Those are the key ([`Read`]), compared whole. An
//! entity whose key did not change has the same findings and claims as in the version
//! they were made in, each span moved with the mention it lies in (the mentions' texts
//! are the same, so a span inside one keeps its offset from its start); only the
//! entities whose key changed are judged again (counted:
//! [`crate::memo::JoinedMemo::recomputed`], with the blocks scanned afresh for OCR
//! damage, [`super::join::Join::damage`]).

use super::blocks::NamesMemo;
use super::*;

/// What the names rules keep between versions in [`NamesMemo`]: the blocks by place,
/// the join of the n-grams, and the entities' judgements.
#[derive(Default)]
pub(super) struct Kept {
    pub(super) places: blocks::Places,
    pub(super) join: join::Join,
    pub(super) entities: Judged<Judgement>,
    pub(super) index: Judged<Option<crate::facts::EntityNames>>,
    /// OCR spellings of the gazetteer repaired, by entity and spelling (a pure
    /// function of them and the knowledge, fixed for a [`NamesMemo`]).
    pub(super) repairs: HashMap<usize, HashMap<Box<str>, String>>,
    /// Blocks scanned for OCR damage afresh since the memo was made (the tests'
    /// count; [`join::Join::damage`] keeps the others').
    pub(super) ocr_scanned: usize,
    /// Of which in this version.
    pub(super) ocr_now: usize,
    /// The mentions' forms by place ([`Forms`]).
    pub(super) forms: Forms,
}

impl Kept {
    /// The kept parts of the last version (nothing kept: all empty).
    pub(super) fn take(memo: &NamesMemo) -> Kept {
        memo.take_join().unwrap_or_default()
    }

    pub(super) fn put(self, memo: &NamesMemo) {
        memo.add_recomputed(self.entities.judged + self.index.judged + self.ocr_now);
        let mut k = self;
        k.ocr_now = 0;
        k.entities.end_version();
        k.index.end_version();
        memo.put_join(k);
    }
}

/// The forms (text, matched name) of the last version's mentions, numbered, and
/// where each mention was: a mention whose bytes the edit did not reach
/// ([`crate::memo::Unchanged`]) and that the last version had at that place with
/// that name has that form, found without its text being hashed; only the others
/// are looked up by their text (counted: [`Forms::hashed`]). A form keeps its number
/// while the table lives (it is made again, numbered afresh, when it holds many
/// forms no mention has).
/// The numbers of one text's forms, by matched name ([`Forms::ids`]).
pub(super) type FormIds = smallvec::SmallVec<[(Option<usize>, u32); 1]>;

#[derive(Default)]
pub(super) struct Forms {
    /// The last version's text.
    pub(super) text: Option<std::sync::Arc<str>>,
    /// Its mentions in order: where each started and ended, its matched name
    /// ([`Forms::name`]), its form and its entity.
    pub(super) at: Vec<(Span, u32, u32, usize)>,
    /// The forms' numbers by text, then by matched name.
    pub(super) ids: HashMap<Box<str>, FormIds>,
    /// How many forms are numbered.
    pub(super) count: u32,
    /// The last version's mentions by entity ([`Mentions`]'s), given back when a
    /// version's mentions are its mentions moved: each found in its place, in the
    /// same order, with the same entity and form.
    pub(super) by_entity: Vec<(usize, usize, u32)>,
    /// Versions whose mentions by entity were the last version's (the tests' count).
    pub(super) same: usize,
    /// Mentions looked up by their text, since the table was made and in the last
    /// version (the tests' count of what a keystroke reads).
    pub(super) hashed: usize,
    pub(super) hashed_now: usize,
}

impl Forms {
    /// A matched name as [`Forms::at`] holds it: `u32::MAX` for none; `None` for a
    /// name whose number does not fit (held as [`Forms::UNFIT`], which no name
    /// equals: such a mention is looked up by its text).
    pub(super) fn name(name: Option<usize>) -> Option<u32> {
        match name {
            None => Some(u32::MAX),
            Some(i) => u32::try_from(i).ok().filter(|&n| n < Self::UNFIT),
        }
    }

    /// What [`Forms::at`] holds for a name whose number does not fit.
    pub(super) const UNFIT: u32 = u32::MAX - 1;

    /// The number of form (`raw`, `name`), numbered now if new.
    pub(super) fn id(&mut self, raw: &str, name: Option<usize>) -> u32 {
        self.hashed_now += 1;
        if let Some(v) = self.ids.get_mut(raw) {
            if let Some(&(_, id)) = v.iter().find(|x| x.0 == name) {
                return id;
            }
            let id = self.count;
            self.count += 1;
            v.push((name, id));
            return id;
        }
        let id = self.count;
        self.count += 1;
        self.ids.insert(raw.into(), smallvec::smallvec![(name, id)]);
        id
    }

    /// Forget every form (numbered afresh from now).
    pub(super) fn clear(&mut self) {
        let (hashed, same) = (self.hashed, self.same);
        *self = Forms {
            hashed,
            same,
            ..Forms::default()
        };
    }
}

/// One pass's results by entity: those of the last version (`old`), taken as this
/// version asks for them, and this version's (`new`).
pub(super) struct Judged<T> {
    old: HashMap<usize, Entry<T>>,
    new: HashMap<usize, Entry<T>>,
    /// Entities judged afresh in this version.
    judged: usize,
}

impl<T> Default for Judged<T> {
    fn default() -> Self {
        Judged {
            old: HashMap::default(),
            new: HashMap::default(),
            judged: 0,
        }
    }
}

/// A kept result, with the key it was made for and the mentions' spans then.
pub(super) struct Entry<T> {
    read: Read,
    /// The mentions' spans in the version the result was made in (in order).
    occs: Vec<Span>,
    value: T,
}

impl<T> Judged<T> {
    /// The result kept for entity `eidx` if `same` says its key is the same now;
    /// then kept for the next version too.
    pub(super) fn reuse(
        &mut self,
        eidx: usize,
        same: impl FnOnce(&Read) -> bool,
    ) -> Option<&Entry<T>> {
        let e = self.old.remove(&eidx)?;
        if !same(&e.read) {
            return None;
        }
        self.new.insert(eidx, e);
        self.new.get(&eidx)
    }

    /// Keep `value`, judged afresh for `eidx` under `read`, its spans within
    /// `occs` (else it is not kept: it is judged again next time).
    pub(super) fn keep(&mut self, eidx: usize, read: Read, occs: Vec<Span>, value: T) {
        self.judged += 1;
        if occs.is_sorted_by_key(|s| s.start) {
            self.new.insert(eidx, Entry { read, occs, value });
        }
    }

    /// What this version did not ask for goes.
    fn end_version(&mut self) {
        self.old = std::mem::take(&mut self.new);
        self.judged = 0;
    }
}

impl<T> Entry<T> {
    pub(super) fn value(&self) -> &T {
        &self.value
    }

    /// `span` (within one of the kept mentions) moved to where that mention is now
    /// (`now`: the mentions' spans now, as many and with the same texts).
    pub(super) fn moved(&self, span: Span, now: &[Span]) -> Span {
        let k = self.occs.partition_point(|o| o.start <= span.start);
        match k
            .checked_sub(1)
            .and_then(|k| Some((self.occs.get(k)?, now.get(k)?)))
        {
            Some((was, is)) if span.start >= was.start => span.moved(was.start, is.start),
            _ => span,
        }
    }

    /// [`Entry::moved`] for spans asked mostly in order of their starts (a spelling's
    /// places): each look-up steps on from the last one's mention.
    pub(super) fn mover<'e>(&'e self, now: &'e [Span]) -> Mover<'e> {
        Mover {
            occs: &self.occs,
            now,
            k: 0,
            last: 0,
        }
    }

    /// Whether every span of `spans` lies within a kept mention.
    pub(super) fn within(occs: &[Span], spans: impl IntoIterator<Item = Span>) -> bool {
        spans.into_iter().all(|s| {
            let k = occs.partition_point(|o| o.start <= s.start);
            k.checked_sub(1)
                .and_then(|k| occs.get(k))
                .is_some_and(|o| s.end <= o.end)
        })
    }
}

/// Spans within an entry's kept mentions moved to where those are now
/// ([`Entry::mover`]).
pub(super) struct Mover<'e> {
    occs: &'e [Span],
    now: &'e [Span],
    /// The first kept mention starting after the last span asked for, which started
    /// at `last`.
    k: usize,
    last: usize,
}

impl Mover<'_> {
    /// [`Entry::moved`] of `span`.
    pub(super) fn moved(&mut self, span: Span) -> Span {
        if span.start < self.last {
            self.k = self.occs.partition_point(|o| o.start <= span.start);
        } else {
            let rest = self.occs.get(self.k..).unwrap_or(&[]);
            self.k += match rest.iter().take(8).position(|o| o.start > span.start) {
                Some(i) => i,
                None => rest.partition_point(|o| o.start <= span.start),
            };
        }
        self.last = span.start;
        match self
            .k
            .checked_sub(1)
            .and_then(|k| Some((self.occs.get(k)?, self.now.get(k)?)))
        {
            Some((was, is)) if span.start >= was.start => span.moved(was.start, is.start),
            _ => span,
        }
    }
}

/// An entity's mentions as a pass read them: each one's form (text, matched name)
/// and whether the pass skipped it, in document order; and the document's usual
/// conventions when the pass's choice may read them.
#[derive(PartialEq)]
pub(super) struct Read {
    forms: Vec<(Box<str>, Option<usize>)>,
    seq: Vec<(u32, bool)>,
    usual: [Option<System>; 3],
}

impl Read {
    pub(super) fn of(
        ms: EntityMentions,
        mentions: &Mentions,
        skips: &[bool],
        usual: [Option<System>; 3],
    ) -> Read {
        let mut local: HashMap<u32, u32> = HashMap::default();
        let mut forms: Vec<(Box<str>, Option<usize>)> = Vec::new();
        let seq = ms
            .iter()
            .zip(skips)
            .map(|(&(_, _, form), &skip)| {
                let l = *local.entry(form).or_insert_with(|| {
                    let (raw, name) = mentions.form(form).unwrap_or(("", None));
                    forms.push((raw.into(), name));
                    (forms.len() - 1) as u32
                });
                (l, skip)
            })
            .collect();
        Read { forms, seq, usual }
    }

    /// Whether the mentions `ms` read now, with `skips`, are what this read.
    pub(super) fn is(
        &self,
        ms: EntityMentions,
        mentions: &Mentions,
        skips: &[bool],
        usual: [Option<System>; 3],
    ) -> bool {
        if self.usual != usual || self.seq.len() != ms.len() || skips.len() != ms.len() {
            return false;
        }
        // Each kept form's text compared once, with the form its first mention has
        // now; a later mention of it must have that form (a form is one text and
        // matched name, so the same text is the same form).
        let mut now: smallvec::SmallVec<[Option<u32>; 8]> =
            smallvec::smallvec![None; self.forms.len()];
        self.seq
            .iter()
            .zip(ms)
            .zip(skips)
            .all(|((&(l, was), &(_, _, form)), &skip)| {
                was == skip
                    && match now.get_mut(l as usize) {
                        Some(Some(f)) => *f == form,
                        Some(slot) => {
                            *slot = Some(form);
                            match (self.forms.get(l as usize), mentions.form(form)) {
                                (Some((t, n)), Some((raw, name))) => **t == *raw && *n == name,
                                _ => false,
                            }
                        }
                        None => false,
                    }
            })
    }
}

/// The usual convention of each language ([`usual`]), in Korean, Chinese, Russian
/// order.
pub(super) fn usuals(votes: &Votes) -> [Option<System>; 3] {
    [Language::Korean, Language::Chinese, Language::Russian].map(|l| usual(votes, l))
}

/// A finding with each of its spans moved by `moved`.
pub(super) fn finding_moved(f: &Finding, moved: impl Fn(Span) -> Span) -> Finding {
    let mut f = f.clone();
    f.span = moved(f.span);
    for r in &mut f.related {
        r.span = moved(r.span);
    }
    for fix in &mut f.fixes {
        for e in &mut fix.edits {
            e.span = moved(e.span);
        }
    }
    f
}

/// Every span of a finding.
pub(super) fn finding_spans(f: &Finding) -> impl Iterator<Item = Span> + '_ {
    std::iter::once(f.span)
        .chain(f.related.iter().map(|r| r.span))
        .chain(f.fixes.iter().flat_map(|x| x.edits.iter().map(|e| e.span)))
}

/// What [`check_entities`] found for one entity: its findings and the spans it
/// claimed.
pub(super) struct Judgement {
    pub(super) findings: Vec<Finding>,
    pub(super) claims: Vec<Claim>,
}

/// A span an entity's findings claimed, and the words that claimed when it lay in
/// one block alone.
pub(super) struct Claim {
    span: Span,
    words: Option<ClaimedWords>,
}

/// The words a claim marked, relative to its block; the block's work is held, so
/// that no other block's can take its address while it is compared by address.
struct ClaimedWords {
    block: std::sync::Arc<crate::names::romanise::block::BlockNames>,
    /// Where the span started in the block.
    offset: usize,
    words: Vec<Span>,
}

impl Claim {
    /// Claim `span` in `claimed` now, and what to keep of it.
    pub(super) fn make(claimed: &mut blocks::Claimed, span: Span) -> Claim {
        let Some(b) = claimed.sole_block(span) else {
            claimed.claim(span);
            return Claim { span, words: None };
        };
        let (base, block) = (b.base, b.names.clone());
        let mut words = Vec::new();
        claimed.claim_words(span, &mut |w| words.push(w.moved(base, 0)));
        let words = span.start.checked_sub(base).map(|offset| ClaimedWords {
            block,
            offset,
            words,
        });
        Claim { span, words }
    }

    /// Claim again, in `claimed`, the span kept as `moved` says it moved: the words
    /// kept when it lies at the same place of the same block (the same words), else
    /// the words found now.
    pub(super) fn again(&self, claimed: &mut blocks::Claimed, moved: impl Fn(Span) -> Span) {
        let span = moved(self.span);
        let same = self.words.as_ref().and_then(|w| {
            let b = claimed.sole_block(span)?;
            (std::sync::Arc::ptr_eq(&b.names, &w.block)
                && span.start.checked_sub(b.base) == Some(w.offset))
            .then_some((b.base, w))
        });
        match same {
            Some((base, w)) => {
                for &word in &w.words {
                    claimed.claim_word(word.moved(0, base));
                }
            }
            None => claimed.claim(span),
        }
    }
}

/// The spans of an entity's mentions now, in order, into `v` (cleared first: one
/// buffer for every entity of a pass).
pub(super) fn spans_into(a: &Analysis, ms: EntityMentions, v: &mut Vec<Span>) {
    v.clear();
    v.extend(
        ms.iter()
            .filter_map(|&(_, mi, _)| a.mentions.get(mi).map(|m| m.span)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names rules' findings and index of `text` on the editor's path (`memo`
    /// kept from the last version), checked against a fresh pass (no memo); returns
    /// the mentions whose form was looked up by text in this version, and whether
    /// its mentions by entity were the last version's.
    fn version(text: &str, memo: &NamesMemo) -> (usize, bool) {
        let same = memo.take_join::<Kept>().map_or(0, |k| {
            let n = k.forms.same;
            memo.put_join(k);
            n
        });
        super::super::tests::checked_version(text, memo);
        memo.take_join::<Kept>().map_or((0, false), |k| {
            let n = (k.forms.hashed_now, k.forms.same > same);
            memo.put_join(k);
            n
        })
    }

    const PARAGRAPHS: &[&str] = &[
        "Kim Il Sung met Shtykov in Seoul; Chtykov wrote to Kim Il-sung from Sŏul.",
        "Receiving Kim II Sung in the Kremlin, Terenty Shtykov spoke of Mao Zedong.",
        "Mao Tse-tung and Pak Heon-yeong [Pak Hon Yong] left Seoul for Peking.",
        "Dr. Evgeni Bajanov wrote. Dr. Evgueni Bajanov wrote. Kim Il-sŏng signed.",
    ];

    /// A keystroke looks up by text only the forms of the mentions it reached: the
    /// others are found where they stood in the last version (the count would be
    /// every mention's if they were hashed). Every version, also under random edits
    /// (characters typed and deleted in names, paragraphs joined and split), equals a
    /// fresh pass.
    #[test]
    fn a_keystroke_hashes_the_forms_of_a_few_mentions() {
        use proptest::prelude::RngExt;
        use proptest::test_runner::{RngAlgorithm, TestRng};
        let text = super::super::tests::test_text(PARAGRAPHS, 120);
        let memo = NamesMemo::default();
        let (all, _) = version(&text, &memo);
        assert!(all > 500, "the first version hashes every mention ({all})");
        // One character typed in the middle, inside a name and beside one.
        let mid = text.len() / 2;
        let at = text[mid..].find("Shtykov").map_or(mid, |i| mid + i);
        for (k, edit) in ["x", " ", "Kim Il Sung "].iter().enumerate() {
            let mut t = text.clone();
            t.insert_str(at + 3 * k, edit);
            let (hashed, same) = version(&t, &memo);
            assert!(
                hashed <= 3,
                "{edit:?}: a keystroke hashed {hashed} mentions"
            );
            // (The first changes a mention; the others change the text the last
            // one left, where that mention was already gone.)
            assert!(k > 0 || !same, "{edit:?} changed the mentions");
        }
        // A keystroke in prose, away from names: the same mentions, moved; their
        // order by entity is the last version's.
        version(&text, &memo);
        let day = text[mid..].find("day").map_or(mid, |i| mid + i + 1);
        for edit in ["x", "\n\n", "xyz"] {
            let mut t = text.clone();
            t.insert_str(day, edit);
            assert_eq!(version(&t, &memo), (0, true), "{edit:?}");
        }
        // The same text twice: nothing hashed.
        version(&text, &memo);
        assert_eq!(version(&text, &memo), (0, true));
        // Random edits, each version against a fresh pass.
        let mut rng = TestRng::deterministic_rng(RngAlgorithm::ChaCha);
        let pieces = [
            "x", "Seoul", "Sŏul ", "\n\n", " [sic]", "Kim Il", "-", "Shtykov", "",
        ];
        let mut t = text.clone();
        for _ in 0..60 {
            let mut at = rng.random_range(0..=t.len());
            while !t.is_char_boundary(at) {
                at -= 1;
            }
            if rng.random_range(0..3) == 0 {
                let mut end = (at + rng.random_range(0..12)).min(t.len());
                while !t.is_char_boundary(end) {
                    end -= 1;
                }
                t.replace_range(at..end, "");
            } else {
                let p = pieces[rng.random_range(0..pieces.len())];
                t.insert_str(at, p);
            }
            version(&t, &memo);
        }
        version("", &memo);
    }

    /// The mover moves every span as [`Entry::moved`] does, in order or not.
    #[test]
    fn the_mover_moves_as_a_search_does() {
        use proptest::prelude::RngExt;
        use proptest::test_runner::{RngAlgorithm, TestRng};
        let mut rng = TestRng::deterministic_rng(RngAlgorithm::ChaCha);
        for _ in 0..50 {
            let mut occs: Vec<Span> = Vec::new();
            let mut now: Vec<Span> = Vec::new();
            let (mut at, mut shift) = (0usize, 0usize);
            for _ in 0..rng.random_range(0..40) {
                at += rng.random_range(0..12);
                let len = rng.random_range(0..6);
                shift += rng.random_range(0..3);
                occs.push(Span::new(at, at + len));
                now.push(Span::new(at + shift, at + shift + len));
            }
            let entry = Entry {
                read: Read {
                    forms: Vec::new(),
                    seq: Vec::new(),
                    usual: [None; 3],
                },
                occs,
                value: (),
            };
            let mut spans: Vec<Span> = (0..30)
                .map(|_| {
                    let s = rng.random_range(0..at + 10);
                    Span::new(s, s + rng.random_range(0..4))
                })
                .collect();
            if rng.random_range(0..2) == 0 {
                spans.sort();
            }
            let mut mover = entry.mover(&now);
            for s in spans {
                assert_eq!(mover.moved(s), entry.moved(s, &now), "{s:?}");
            }
        }
    }
}
