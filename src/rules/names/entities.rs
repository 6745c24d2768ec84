//! `romanisation-inconsistent` over the gazetteer's entities: how a document spells each
//! entity it names, and the document's name index for the cross-file comparison.

use super::*;

/// True when every word of the shorter name occurs in the longer one (a short form).
pub(super) fn is_short_form(a: &str, b: &str) -> bool {
    let wa: Vec<String> = fold(a).split(' ').map(str::to_string).collect();
    let wb: Vec<String> = fold(b).split(' ').map(str::to_string).collect();
    let (short, long) = if wa.len() <= wb.len() {
        (&wa, &wb)
    } else {
        (&wb, &wa)
    };
    short.len() < long.len() && short.iter().all(|w| long.contains(w))
}

/// True when the words of `part` occur, in order and together, in `whole`.
pub(super) fn contains_words(whole: &str, part: &str) -> bool {
    let (whole, part) = (fold(whole), fold(part));
    let w: Vec<&str> = whole.split(' ').collect();
    let p: Vec<&str> = part.split(' ').collect();
    !p.is_empty() && w.windows(p.len()).any(|x| x == p.as_slice())
}

/// Letters and digits, lower-case, marks kept: "Pak Hon-yong" = "Pak Hon Yong" ≠ "Pak Hŏn-yŏng".
pub(super) fn letters(s: &str) -> String {
    if s.is_ascii() {
        return ascii_letter_chars(s).collect();
    }
    letter_chars(s).collect()
}

fn letter_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    use unicode_normalization::UnicodeNormalization;
    s.nfc()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
}

/// [`letter_chars`] of an ASCII text, without the normalisation (the NFC of ASCII is
/// itself; an ASCII character is alphanumeric, and lower-cases, as in ASCII).
fn ascii_letter_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    s.bytes()
        .filter(u8::is_ascii_alphanumeric)
        .map(|b| char::from(b.to_ascii_lowercase()))
}

/// True when `surface` is one of the entity's listed spellings, up to case and separators.
/// The entity's names are compared character by character, never copied.
pub(super) fn listed(e: &Entity, surface: &str) -> bool {
    let l = letters(surface);
    std::iter::once(e.preferred.as_str())
        .chain(e.names.iter().map(|n| n.text.as_str()))
        .any(|n| {
            if n.is_ascii() {
                ascii_letter_chars(n).eq(l.chars())
            } else {
                letter_chars(n).eq(l.chars())
            }
        })
}

pub(super) fn romanisation_system(s: Option<System>) -> Option<System> {
    s.filter(|s| !matches!(s, System::Ocr | System::Other))
}

/// The system a mention's spelling follows: the gazetteer's, else guessed from its letters.
pub(super) fn spelling_system(
    declared: Option<System>,
    listed_name: bool,
    surface: &str,
) -> Option<System> {
    if listed_name {
        romanisation_system(declared).or_else(|| guess_system(surface))
    } else {
        guess_system(surface).or(Some(System::Conventional))
    }
}

/// The document's mentions by entity, each with its form: the mentions with one text
/// and one matched name share a form, judged once per entity (the text is read once,
/// in document order, not once per entity and rule).
pub(super) struct Mentions<'t> {
    /// (text, matched name) of each form.
    forms: Vec<(&'t str, Option<usize>)>,
    /// (entity, mention index, form), by entity then in document order.
    by_entity: Vec<(usize, usize, u32)>,
    /// Whether each mention (by index) lies in the apparatus, when set
    /// ([`Mentions::in_apparatus`]).
    in_apparatus: Vec<bool>,
}

/// `mentions` (entity, index in document order, form), in document order, sorted by
/// entity then index: counted into place by entity (one pass, the order of each
/// entity's mentions kept), unless the entities' numbers are sparse (then sorted).
pub(super) fn by_entity(mentions: Vec<(usize, usize, u32)>) -> Vec<(usize, usize, u32)> {
    let entities = mentions.iter().map(|m| m.0 + 1).max().unwrap_or(0);
    if entities > 4 * mentions.len() + 1024 || !mentions.is_sorted_by_key(|m| m.1) {
        let mut m = mentions;
        m.sort_unstable();
        return m;
    }
    // Where each entity's mentions start in the output.
    let mut at = vec![0usize; entities + 1];
    for m in &mentions {
        if let Some(n) = at.get_mut(m.0 + 1) {
            *n += 1;
        }
    }
    for e in 1..at.len() {
        let before = at.get(e - 1).copied().unwrap_or(0);
        if let Some(n) = at.get_mut(e) {
            *n += before;
        }
    }
    let mut out = vec![(0, 0, 0); mentions.len()];
    for m in mentions {
        if let Some(slot) = at.get_mut(m.0)
            && let Some(o) = out.get_mut(*slot)
        {
            *o = m;
            *slot += 1;
        }
    }
    out
}

/// The mentions of one entity in a [`Mentions`].
pub(super) type EntityMentions<'m> = &'m [(usize, usize, u32)];

impl<'t> Mentions<'t> {
    pub(super) fn of(a: &'t Analysis) -> Mentions<'t> {
        let text: &str = &a.text;
        let mut ids: HashMap<(&str, Option<usize>), u32> = HashMap::default();
        let mut forms: Vec<(&str, Option<usize>)> = Vec::new();
        let mut in_order: Vec<(usize, usize, u32)> = Vec::with_capacity(a.mentions.len());
        for (i, m) in a.mentions.iter().enumerate() {
            let raw = m.span.slice(text);
            let id = *ids.entry((raw, m.name)).or_insert_with(|| {
                forms.push((raw, m.name));
                (forms.len() - 1) as u32
            });
            in_order.push((m.entity, i, id));
        }
        Mentions {
            forms,
            by_entity: by_entity(in_order),
            in_apparatus: Vec::new(),
        }
    }

    /// [`Mentions::of`] on the editor's path: the forms numbered in `kept` (the last
    /// version's, [`kept::Forms`]), a mention the edit did not reach (`unchanged`:
    /// what this version shares with the last at its ends, `None` when unknown) found
    /// at its place in the last version without its text being hashed; `kept` then
    /// holds this version's. The forms' numbers are the table's (not dense): the same
    /// text and matched name have the same number, as in [`Mentions::of`].
    pub(super) fn of_kept(
        a: &'t Analysis,
        kept: &mut kept::Forms,
        unchanged: Option<crate::memo::Unchanged>,
    ) -> Mentions<'t> {
        let text: &str = &a.text;
        kept.hashed_now = 0;
        // A table holding many forms no mention has any more is made afresh.
        if kept.count as usize > 4 * kept.at.len() + 4096 {
            kept.clear();
        }
        let unchanged = unchanged.filter(|_| kept.text.is_some());
        let old = std::mem::take(&mut kept.at);
        let mut at: Vec<(Span, u32, u32, usize)> = Vec::with_capacity(a.mentions.len());
        let mut in_order: Vec<(usize, usize, u32)> = Vec::with_capacity(a.mentions.len());
        // Where the last version's mentions are looked up from (asked in order).
        let mut cursor = 0;
        // Whether every mention so far is the last version's of the same number,
        // moved: found in its place, with the same entity (and so the same form).
        let mut same = old.len() == a.mentions.len();
        for (i, m) in a.mentions.iter().enumerate() {
            let by_place = unchanged.and_then(|u| {
                let start = u.old_start(m.span)?;
                let rest = old.get(cursor..)?;
                cursor += match rest.iter().take(8).position(|o| o.0.start >= start) {
                    Some(k) => k,
                    None => rest.partition_point(|o| o.0.start < start),
                };
                // The same bytes at the same place, with the same name: the same form.
                let n = kept::Forms::name(m.name)?;
                let (s, name, id, entity) = *old.get(cursor)?;
                let found = s.start == start && s.len() == m.span.len() && name == n;
                same = same && found && cursor == i && entity == m.entity;
                found.then_some(id)
            });
            let id = match by_place {
                Some(id) => id,
                None => {
                    same = false;
                    kept.id(m.span.slice(text), m.name)
                }
            };
            let name = kept::Forms::name(m.name).unwrap_or(kept::Forms::UNFIT);
            at.push((m.span, name, id, m.entity));
            in_order.push((m.entity, i, id));
        }
        kept.hashed += kept.hashed_now;
        // The same mentions, moved: by entity as in the last version (their
        // numbers, entities and forms are the last version's).
        let by_entity = if same {
            kept.same += 1;
            std::mem::take(&mut kept.by_entity)
        } else {
            by_entity(in_order)
        };
        // Each form's text and name, read from its first mention now.
        let mut forms: Vec<(&'t str, Option<usize>)> = vec![("", None); kept.count as usize];
        let mut filled = vec![false; kept.count as usize];
        for (m, &(_, _, id, _)) in a.mentions.iter().zip(&at) {
            if let (Some(f), Some(done)) = (forms.get_mut(id as usize), filled.get_mut(id as usize))
                && !*done
            {
                *f = (m.span.slice(text), m.name);
                *done = true;
            }
        }
        kept.at = at;
        kept.text = Some(a.text.clone());
        Mentions {
            forms,
            by_entity,
            in_apparatus: Vec::new(),
        }
    }

    /// Give the mentions by entity back to `kept` for the next version
    /// ([`Mentions::of_kept`]).
    pub(super) fn keep(self, kept: &mut kept::Forms) {
        kept.by_entity = self.by_entity;
    }

    /// Learn which mentions lie in `apparatus` (one walk over them in document order,
    /// not a search per mention and pass).
    pub(super) fn in_apparatus(&mut self, a: &Analysis, apparatus: &apparatus::Apparatus) {
        self.in_apparatus = apparatus.contains_each(a.mentions.iter().map(|m| m.span));
    }

    /// Whether mention `mi`, at `span`, lies in `apparatus` (the one learnt, if any).
    pub(super) fn apparatus_has(
        &self,
        mi: usize,
        span: Span,
        apparatus: &apparatus::Apparatus,
    ) -> bool {
        match self.in_apparatus.get(mi) {
            Some(&b) => b,
            None => apparatus.contains(span),
        }
    }

    /// The text and matched name of form `id`.
    pub(super) fn form(&self, id: u32) -> Option<(&'t str, Option<usize>)> {
        self.forms.get(id as usize).copied()
    }

    /// Each entity mentioned, with its mentions (in document order), by entity.
    pub(super) fn entities(&self) -> impl Iterator<Item = (usize, EntityMentions<'_>)> {
        self.by_entity
            .chunk_by(|x, y| x.0 == y.0)
            .filter_map(|c| c.first().map(|f| (f.0, c)))
    }
}

/// The spellings of entity `e` among mentions `ms` (of `mentions`): only spellings
/// the gazetteer lists, never OCR ones, and none `skip` rejects.
pub(super) fn entity_spellings(
    a: &Analysis,
    e: &Entity,
    eidx: usize,
    ms: EntityMentions,
    mentions: &Mentions,
    mut skip: impl FnMut(usize, Span) -> bool,
) -> Vec<Spelling> {
    let mut sp: Vec<Spelling> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::default();
    // Each distinct form (spelling, matched name) is judged once: `None` when it is
    // not one of the entity's spellings here, else its index in `sp`.
    let mut seen: HashMap<u32, Option<usize>> = HashMap::default();
    for &(_, mi, form) in ms {
        let Some(m) = a.mentions.get(mi) else {
            continue;
        };
        if skip(mi, m.span) {
            continue;
        }
        let Some(&(raw, name)) = mentions.forms.get(form as usize) else {
            continue;
        };
        let slot = *seen.entry(form).or_insert_with(|| {
            let declared = name_system(e, name);
            // Only spellings the gazetteer lists (up to case, spaces and hyphens) are
            // the entity's spellings here; a recogniser that folds diacritics may match
            // the English "Soul" to "Sŏul", and such a surface is judged as an unlisted
            // name. OCR spellings are the other rule's.
            if declared == Some(System::Ocr) || raw.is_empty() || !listed(e, raw) {
                return None;
            }
            // A name broken over two lines is shown on one.
            let surface = raw.split_whitespace().collect::<Vec<_>>().join(" ");
            let system = spelling_system(declared, name.is_some(), &surface);
            let key = fold(&surface);
            Some(*index.entry(key).or_insert_with(|| {
                sp.push(Spelling {
                    text: surface,
                    occs: Vec::new(),
                    weight: 0,
                    system,
                    entities: Vec::new(),
                });
                sp.len() - 1
            }))
        });
        if let Some(s) = slot.and_then(|i| sp.get_mut(i)) {
            s.occs.push(m.span);
            s.entities.push(Some(eidx));
        }
    }
    sp
}

/// Each spelling's weight: its occurrences and those of the longer spellings that
/// contain it ("Shtykov" in "Terenty Shtykov").
pub(super) fn weigh(sp: &mut [Spelling]) {
    let weights: Vec<usize> = sp
        .iter()
        .map(|s| {
            sp.iter()
                .filter(|o| contains_words(&o.text, &s.text))
                .map(|o| o.occs.len())
                .sum()
        })
        .collect();
    for (s, w) in sp.iter_mut().zip(weights) {
        s.weight = w;
    }
}

/// When two spellings of one entity are romanisations of one name (not a short form,
/// not a different name of it): `Some(language if known)`.
///
/// A pure function of its arguments (no gazetteer, no configuration: the systems are
/// passed in), asked again for the same pairs in every version of a document and every
/// cross-file comparison; its answers are remembered process-wide ([`crate::memo`]).
pub(crate) fn variant(
    kind: EntityKind,
    x: (&str, Option<System>),
    y: (&str, Option<System>),
) -> Option<Option<Language>> {
    static MEMO: std::sync::LazyLock<crate::memo::Memo<Option<Option<Language>>>> =
        std::sync::LazyLock::new(|| crate::memo::Memo::new(1 << 18));
    let key = format!(
        "{kind:?} {:?} {:?} {}",
        x.1,
        y.1,
        romanise::pair_key(x.0, y.0)
    );
    MEMO.get_or(&key, || variant_uncached(kind, x, y))
}

fn variant_uncached(
    kind: EntityKind,
    x: (&str, Option<System>),
    y: (&str, Option<System>),
) -> Option<Option<Language>> {
    if is_short_form(x.0, y.0) {
        return None;
    }
    // Abbreviations are not names (U.N., UN; U.S.S.R., USSR), and titles are not
    // spellings: "General MacArthur" is a short form of "General Douglas MacArthur".
    // Nor is an abbreviation's punctuation: "U.S. Army" and "US Army".
    let undotted = |s: &str| fold(&s.replace('.', ""));
    if romanise::is_abbreviation(x.0)
        || romanise::is_abbreviation(y.0)
        || undotted(x.0) == undotted(y.0)
        || romanise::single_syllable(x.0)
        || romanise::single_syllable(y.0)
    {
        return None;
    }
    let (tx, ty) = (romanise::without_titles(x.0), romanise::without_titles(y.0));
    if (tx != x.0 || ty != y.0) && (fold(&tx) == fold(&ty) || is_short_form(&tx, &ty)) {
        return None;
    }
    if let Some((lang, _, _)) = romanise::same_name(x.0, y.0) {
        // The gazetteer's systems say the language better than the letters do.
        let declared = [x.1, y.1].into_iter().flatten().find_map(Language::of);
        return Some(declared.or(Some(lang)));
    }
    let (sx, sy) = (romanisation_system(x.1)?, romanisation_system(y.1)?);
    // The same number of words, or of syllables where hyphens join them: Kim Il-sŏng
    // and Kim Il Sung, Yi Sŭng-man and Syngman Rhee.
    let words = |s: &str| s.split_whitespace().count();
    let parts = |s: &str| {
        s.split(|c: char| c.is_whitespace() || c == '-')
            .filter(|w| !w.is_empty())
            .count()
    };
    let same_shape = words(x.0) == words(y.0) || parts(x.0) == parts(y.0);
    (kind == EntityKind::Person && sx != sy && same_shape)
        .then(|| Language::of(sx).or_else(|| Language::of(sy)))
}

/// Where the findings of `code` lie, as sorted disjoint ranges (a document may carry
/// thousands of findings and of mentions).
pub(super) fn code_ranges(raw: &[Finding], code: &str) -> Vec<Span> {
    let mut v: Vec<Span> = raw
        .iter()
        .filter(|f| f.code == code)
        .map(|f| f.span)
        .collect();
    v.sort();
    let mut out: Vec<Span> = Vec::with_capacity(v.len());
    for s in v {
        match out.last_mut() {
            Some(l) if s.start < l.end => l.end = l.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

/// The name index is what this document contributes to the comparison of spellings
/// across files: for each gazetteer entity it names, the spellings it uses
/// (OCR-damaged ones left out), and whether the per-file rule already found them
/// inconsistent. It is made in two parts so that the first runs beside the checks
/// whose findings only the second reads.
///
/// This is the first part: for each gazetteer entity the document names, its
/// spellings, OCR damage (`ocr_at`, from [`code_ranges`]) and the apparatus left out;
/// `mixed` is left to [`finish_index`]. It reads no finding but the OCR damage, so it
/// runs beside the entities' and the unlisted names' checks.
pub(super) fn index_entities(
    a: &Analysis,
    ctx: &Context,
    ocr_at: &[Span],
    apparatus: &apparatus::Apparatus,
    mentions: &Mentions,
    mut kept: Option<&mut kept::Judged<Option<crate::facts::EntityNames>>>,
) -> Vec<crate::facts::EntityNames> {
    use crate::facts::{EntityNames, Spelled};
    let g = &a.knowledge(ctx).gazetteer;
    let hit = |span: Span| {
        let i = ocr_at.partition_point(|r| r.end <= span.start);
        ocr_at.get(i).is_some_and(|r| r.overlaps(span))
    };
    // Whether each mention lies in OCR damage: one walk over them in order.
    let in_ocr = apparatus::overlaps_each(ocr_at, a.mentions.iter().map(|m| m.span));
    let skip = |mi: usize, s: Span| {
        in_ocr.get(mi).copied().unwrap_or_else(|| hit(s))
            || mentions.apparatus_has(mi, s, apparatus)
    };
    // The entity's spellings as the index records them (`mixed` is set below).
    let spelled = |e: &Entity, eidx: usize, ms: EntityMentions| -> Option<EntityNames> {
        let sp = entity_spellings(a, e, eidx, ms, mentions, skip);
        if sp.is_empty() {
            return None;
        }
        // Built at its size, not collected in place: a `Vec<Spelling>`'s buffer
        // (room for four spellings of 84 bytes, where most entities have one) would be
        // kept as this one's, and the index is kept for as long as the document or
        // the workspace file is (issue #14: two thirds of a 2,000-file workspace
        // index's spellings were slack). Each spelling's places likewise.
        let mut spellings: Vec<Spelled> = Vec::with_capacity(sp.len());
        spellings.extend(sp.into_iter().map(|s| Spelled {
            text: crate::facts::shared_text(&s.text),
            system: s.system,
            occs: s.occs.into_boxed_slice().into_vec(),
        }));
        spellings.sort_by(|x, y| x.text.cmp(&y.text));
        Some(EntityNames {
            id: crate::facts::shared_text(&e.id),
            kind: e.kind,
            spellings,
            mixed: false,
        })
    };
    let mut entities = Vec::new();
    // One buffer of each kind for every entity.
    let (mut now, mut skips): (Vec<Span>, Vec<bool>) = (Vec::new(), Vec::new());
    for (eidx, ms) in mentions.entities() {
        let Some(e) = g.entities.get(eidx) else {
            continue;
        };
        let names = match kept.as_deref_mut() {
            None => spelled(e, eidx, ms),
            Some(k) => {
                kept::spans_into(a, ms, &mut now);
                skips.clear();
                skips.extend(
                    ms.iter()
                        .filter_map(|&(_, mi, _)| a.mentions.get(mi).map(|m| skip(mi, m.span))),
                );
                // The index's spellings read no votes.
                let read = |r: &kept::Read| r.is(ms, mentions, &skips, [None; 3]);
                match k.reuse(eidx, read).filter(|_| now.len() == ms.len()) {
                    Some(j) => j.value().clone().map(|mut n| {
                        for sp in &mut n.spellings {
                            let mut mover = j.mover(&now);
                            for o in &mut sp.occs {
                                *o = mover.moved(*o);
                            }
                        }
                        n
                    }),
                    None => {
                        let n = spelled(e, eidx, ms);
                        let occs = n
                            .iter()
                            .flat_map(|n| n.spellings.iter().flat_map(|s| s.occs.iter().copied()));
                        if now.len() == ms.len() && kept::Entry::<()>::within(&now, occs) {
                            let read = kept::Read::of(ms, mentions, &skips, [None; 3]);
                            k.keep(eidx, read, now.clone(), n.clone());
                        }
                        n
                    }
                }
            }
        };
        if let Some(n) = names {
            entities.push(n);
        }
    }
    entities
}

/// The name index from [`index_entities`]' entities and the unlisted names: each
/// marked `mixed` where the per-file rule found its spellings inconsistent (`raw`:
/// the document's findings before configuration and suppression), in order.
pub(super) fn finish_index(
    raw: &[Finding],
    mut entities: Vec<crate::facts::EntityNames>,
    mut unlisted: Vec<crate::facts::UnlistedName>,
) -> crate::facts::NameIndex {
    let inconsistent_at = code_ranges(raw, INCONSISTENT);
    for n in &mut entities {
        n.mixed = n
            .spellings
            .iter()
            .any(|s| apparatus::any_overlaps(&inconsistent_at, &s.occs));
    }
    entities.sort_by(|x, y| x.id.cmp(&y.id));
    for u in &mut unlisted {
        u.mixed = apparatus::any_overlaps(&inconsistent_at, &u.occs);
    }
    unlisted.sort_by(|x, y| (x.lang, &x.text).cmp(&(y.lang, &y.text)));
    // Kept for as long as the document (or the workspace file) is: without the
    // growth slack of their making.
    for u in &mut unlisted {
        u.occs.shrink_to_fit();
    }
    entities.shrink_to_fit();
    unlisted.shrink_to_fit();
    crate::facts::NameIndex { entities, unlisted }
}

/// Names nobody listed whose letters show a convention, from the document's n-grams
/// (`damaged`: where OCR damage was found). Each distinct spelling is judged once.
pub(super) fn unlisted_candidates(
    grams: &[Gram],
    damaged: impl Fn(Span) -> bool,
) -> Vec<crate::facts::UnlistedName> {
    let mut unlisted: Vec<crate::facts::UnlistedName> = Vec::new();
    const LANGS: [Language; 3] = [Language::Korean, Language::Chinese, Language::Russian];
    let mut at: HashMap<&str, [Option<usize>; 3]> = HashMap::default();
    for g in grams {
        if g.entity.is_some() || g.apparatus || damaged(g.span) {
            continue;
        }
        let slots = *at.entry(&*g.folded).or_insert_with(|| {
            LANGS.map(|lang| {
                if lang == Language::Russian && g.n > 1 {
                    return None;
                }
                // An unmarked Russian surname (Chistyakov) is compared with marked ones
                // (Tchistiakov), as within a file.
                let system = guess_in(lang, &g.name).or_else(|| {
                    (lang == Language::Russian && russian_surname(&g.name)).then_some(System::Other)
                })?;
                if !distinctive(lang, &g.name) || !comparable(&g.name) {
                    return None;
                }
                let k = keys(lang, &g.name);
                if k.is_empty() {
                    return None;
                }
                unlisted.push(crate::facts::UnlistedName {
                    lang,
                    text: crate::facts::shared_text(&g.name),
                    system,
                    keys: k,
                    occs: Vec::new(),
                    mixed: false,
                });
                Some(unlisted.len() - 1)
            })
        });
        for slot in slots {
            if let Some(u) = slot.and_then(|i| unlisted.get_mut(i)) {
                u.occs.push(g.span);
            }
        }
    }
    unlisted
}

/// A single word with a Russian surname's ending that English words do not share
/// (-ov, -ev, -sky, -ski, -skii, -enko, -vich…; not -in, as in Martin), seven letters
/// or more: Chistyakov, Malinovsky.
pub(super) fn russian_surname(s: &str) -> bool {
    let w = s.to_lowercase();
    !w.contains([' ', '-'])
        && w.chars().count() >= 7
        && [
            "ov", "ev", "ow", "ew", "sky", "ski", "skii", "skiy", "skij", "enko", "vich", "vitch",
        ]
        .iter()
        .any(|e| w.ends_with(e))
}

/// A spelling whose letters alone make it a romanised name of `lang` rather than an
/// English word (the one-sided half of [`strong_enough`], stricter for Chinese).
pub(super) fn distinctive(lang: Language, s: &str) -> bool {
    let shaped = s.contains(' ') || s.contains('-');
    match lang {
        Language::Korean => {
            matches!(
                korean::guess(s),
                Some(System::McCuneReischauer | System::NorthKorean)
            ) || (shaped && korean::guess(s).is_some())
        }
        Language::Chinese => shaped || marked(s),
        Language::Russian => russian::strong_marks(s) || russian_surname(s),
    }
}

/// The next group of spellings among those not `done` that are pairwise linked by
/// `variant` (one name in several romanisations), with its language: the one a pair
/// revealed, else the first a spelling's system belongs to. `None` when no two
/// remaining spellings are variants.
pub(super) fn next_cluster<T>(
    sp: &[T],
    done: &[bool],
    variant: impl Fn(&T, &T) -> Option<Option<Language>>,
    system: impl Fn(&T) -> Option<System>,
) -> Option<(Vec<usize>, Option<Language>)> {
    let open: Vec<usize> = (0..sp.len())
        .filter(|&i| !done.get(i).copied().unwrap_or(true))
        .collect();
    let mut cluster: Vec<usize> = Vec::new();
    let mut lang = None;
    for &i in &open {
        for &j in &open {
            if i < j
                && let (Some(x), Some(y)) = (sp.get(i), sp.get(j))
                && let Some(l) = variant(x, y)
            {
                lang = lang.or(l);
                for k in [i, j] {
                    if !cluster.contains(&k) {
                        cluster.push(k);
                    }
                }
            }
        }
    }
    if cluster.is_empty() {
        return None;
    }
    let lang = lang.or_else(|| {
        cluster
            .iter()
            .filter_map(|&i| sp.get(i).and_then(&system).and_then(Language::of))
            .next()
    });
    Some((cluster, lang))
}

/// `romanisation-inconsistent` over the gazetteer's entities: each entity's spellings
/// compared. `kept`: the judgements of the last version (the editor's), reused for
/// the entities whose mentions read the same ([`kept`]) and replaced for the others.
#[allow(clippy::too_many_arguments)]
pub(super) fn check_entities(
    a: &Analysis,
    ctx: &Context,
    claimed: &mut blocks::Claimed,
    apparatus: &apparatus::Apparatus,
    mentions: &Mentions,
    votes: &Votes,
    out: &mut Vec<Finding>,
    mut kept: Option<&mut kept::Judged<kept::Judgement>>,
) {
    let g = &a.knowledge(ctx).gazetteer;
    let usual = kept.is_some().then(|| kept::usuals(votes));
    // One buffer of each kind for every entity.
    let (mut now, mut skips): (Vec<Span>, Vec<bool>) = (Vec::new(), Vec::new());
    for (eidx, ms) in mentions.entities() {
        let Some(e) = g.entities.get(eidx) else {
            continue;
        };
        // One form gives one spelling at most: nothing to compare.
        if ms
            .windows(2)
            .all(|w| w.first().map(|x| x.2) == w.last().map(|x| x.2))
        {
            continue;
        }
        // Judged afresh: its findings into `out`, the spans they claim returned.
        let judge = |claimed: &blocks::Claimed, out: &mut Vec<Finding>| {
            let mut claims = Vec::new();
            judge_entity(
                a,
                ctx,
                (e, eidx, ms),
                mentions,
                |mi, s| claimed.is_claimed(s) || mentions.apparatus_has(mi, s, apparatus),
                votes,
                out,
                &mut claims,
            );
            claims
        };
        let (Some(k), Some(usual)) = (kept.as_deref_mut(), usual) else {
            for c in judge(claimed, out) {
                claimed.claim(c);
            }
            continue;
        };
        kept::spans_into(a, ms, &mut now);
        skips.clear();
        skips.extend(ms.iter().filter_map(|&(_, mi, _)| {
            let s = a.mentions.get(mi)?.span;
            Some(claimed.is_claimed(s) || mentions.apparatus_has(mi, s, apparatus))
        }));
        if now.len() == ms.len()
            && let Some(j) = k.reuse(eidx, |r| r.is(ms, mentions, &skips, usual))
        {
            let moved = |s: Span| j.moved(s, &now);
            out.extend(
                j.value()
                    .findings
                    .iter()
                    .map(|f| kept::finding_moved(f, moved)),
            );
            for c in &j.value().claims {
                c.again(claimed, moved);
            }
            continue;
        }
        let first = out.len();
        let claims = judge(claimed, out);
        let spans: Vec<Span> = claims.clone();
        let claims: Vec<kept::Claim> = claims
            .into_iter()
            .map(|c| kept::Claim::make(claimed, c))
            .collect();
        let findings: Vec<Finding> = out.get(first..).unwrap_or(&[]).to_vec();
        let spans = findings.iter().flat_map(kept::finding_spans).chain(spans);
        if now.len() == ms.len() && kept::Entry::<()>::within(&now, spans) {
            k.keep(
                eidx,
                kept::Read::of(ms, mentions, &skips, usual),
                now.clone(),
                kept::Judgement { findings, claims },
            );
        }
    }
}

/// One entity's findings (`out`) and the spans they claim (`claims`); `skip`: asked
/// of each mention, in order, whether it is left out.
#[allow(clippy::too_many_arguments)]
fn judge_entity(
    a: &Analysis,
    ctx: &Context,
    (e, eidx, ms): (&Entity, usize, EntityMentions),
    mentions: &Mentions,
    skip: impl FnMut(usize, Span) -> bool,
    votes: &Votes,
    out: &mut Vec<Finding>,
    claims: &mut Vec<Span>,
) {
    let mut sp = entity_spellings(a, e, eidx, ms, mentions, skip);
    if sp.len() < 2 {
        return;
    }
    weigh(&mut sp);
    let variant = |x: &Spelling, y: &Spelling| -> Option<Option<Language>> {
        variant(e.kind, (&x.text, x.system), (&y.text, y.system))
    };
    let mut done = vec![false; sp.len()];
    while let Some((cluster, lang)) = next_cluster(&sp, &done, variant, |s| s.system) {
        let (pi, why) = choose(ctx, lang, &sp, &cluster, votes);
        // A configured system none of the spellings follows: the gazetteer's spelling in it.
        let gaz = configured(ctx, lang).and_then(|sys| {
            if matches!(why, Why::Configured(_)) {
                return None;
            }
            e.names
                .iter()
                .find(|n| n.system == Some(sys))
                .map(|n| (n.text.as_str(), sys))
        });
        let pref = match gaz {
            Some((t, sys)) => Preferred {
                index: None,
                text: t,
                system: Some(sys),
                why: Why::Gazetteer(sys),
            },
            None => Preferred {
                index: Some(pi),
                text: sp.get(pi).map_or("", |s| s.text.as_str()),
                system: sp.get(pi).and_then(|s| s.system),
                why,
            },
        };
        let bad: Vec<usize> = cluster
            .iter()
            .copied()
            .filter(|&i| Some(i) != pref.index)
            .filter(|&i| match (pref.index.and_then(|p| sp.get(p)), sp.get(i)) {
                (Some(p), Some(s)) => variant(s, p).is_some(),
                (None, Some(s)) => fold(&s.text) != fold(pref.text),
                _ => false,
            })
            .collect();
        for &b in &bad {
            if let Some(s) = sp.get(b) {
                emit(a, lang, &sp, b, &s.occs, &pref, &bad, out);
            }
        }
        // Claimed: the cluster, and the longer names that contain one of its spellings
        // ("Terenty Shtykov" for "Shtykov").
        for s in &sp {
            if cluster
                .iter()
                .filter_map(|&i| sp.get(i))
                .any(|c| contains_words(&s.text, &c.text))
            {
                for &o in &s.occs {
                    claims.push(o);
                }
            }
        }
        for &i in &cluster {
            if let Some(d) = done.get_mut(i) {
                *d = true;
            }
        }
    }
}

#[cfg(test)]
mod letters_tests {
    use super::*;

    /// The ASCII path of [`letters`] and [`listed`] reads an ASCII text as the general
    /// one does (normalised, alphanumeric, lower-cased).
    #[test]
    fn ascii_letters_are_the_general_letters() {
        let texts = [
            "",
            "Kim Il-sung",
            "KIM IL SUNG",
            "Ch'en I, or Ch'en Yi",
            "U.S.S.R.",
            "Mao Tse-tung 1949",
            " \t-_'`~!@#$%^&*()[]{}<>?/\\|;:,.",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
        ];
        for t in texts {
            assert!(ascii_letter_chars(t).eq(letter_chars(t)), "{t:?}");
            assert_eq!(letters(t), letter_chars(t).collect::<String>(), "{t:?}");
        }
        // A non-ASCII text keeps the general path.
        assert_eq!(letters("Sŏul"), "sŏul");
        assert_eq!(letters("Pak Hŏn-yŏng"), "pakhŏnyŏng");
    }
}
