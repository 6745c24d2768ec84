//! `romanisation-inconsistent` across files: each document's name index compared with
//! the others'.

use super::*;

/// One spelling over the workspace.
pub(super) struct Across<'a> {
    pub(super) text: &'a str,
    pub(super) system: Option<System>,
    /// (document, occurrences there).
    pub(super) places: Vec<(usize, &'a [Span])>,
    pub(super) weight: usize,
}

impl Across<'_> {
    pub(super) fn count(&self) -> usize {
        self.places.iter().map(|(_, o)| o.len()).sum()
    }
}

/// `romanisation-inconsistent` across documents: a gazetteer entity each document
/// writes one way, but the documents differ. The finding is on the documents that use
/// a less-preferred spelling; documents that already mix spellings are left to the
/// per-file rule. Fixes are offered, never applied by `--fix`: across files the choice
/// of a spelling is the edition's, and `[romanisation]` is where to make it.
pub(super) fn check_across(
    docs: &[crate::facts::Doc],
    only: Option<usize>,
    ctx: &Context,
    out: &mut [Vec<Finding>],
) {
    use crate::facts::EntityNames;
    let mut reported: Vec<Option<Reported>> = (0..out.len()).map(|_| None).collect();
    let mut by_id: BTreeMap<&str, Vec<(usize, &EntityNames)>> = BTreeMap::new();
    for (d, doc) in docs.iter().enumerate() {
        for e in &doc.names.entities {
            by_id.entry(&*e.id).or_default().push((d, e));
        }
    }
    for (id, uses) in by_id {
        if uses.len() < 2 || only.is_some_and(|o| !uses.iter().any(|(d, _)| *d == o)) {
            continue;
        }
        let kind = uses.first().map_or(EntityKind::Person, |(_, e)| e.kind);
        // Spellings over the workspace, keyed like the per-file rule (case and
        // separators aside).
        let mut sp: Vec<Across> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::default();
        for &(d, e) in &uses {
            for s in &e.spellings {
                let i = *index.entry(fold(&s.text)).or_insert_with(|| {
                    sp.push(Across {
                        text: &s.text,
                        system: s.system,
                        places: Vec::new(),
                        weight: 0,
                    });
                    sp.len() - 1
                });
                if let Some(a) = sp.get_mut(i) {
                    a.places.push((d, &s.occs));
                }
            }
        }
        if sp.len() < 2 {
            continue;
        }
        let weights: Vec<usize> = sp
            .iter()
            .map(|s| {
                sp.iter()
                    .filter(|o| contains_words(o.text, s.text))
                    .map(Across::count)
                    .sum()
            })
            .collect();
        for (s, w) in sp.iter_mut().zip(weights) {
            s.weight = w;
        }
        let var = |x: &Across, y: &Across| variant(kind, (x.text, x.system), (y.text, y.system));
        let mut done = vec![false; sp.len()];
        while let Some((cluster, lang)) = next_cluster(&sp, &done, var, |s| s.system) {
            for &i in &cluster {
                if let Some(d) = done.get_mut(i) {
                    *d = true;
                }
            }
            // The spellings' documents must differ for anything to be said here.
            let docs_of = |i: usize| -> Vec<usize> {
                sp.get(i)
                    .map(|s| s.places.iter().map(|p| p.0).collect())
                    .unwrap_or_default()
            };
            let Some((pref_text, pref_sys, pref_idx, why)) =
                preferred_across(ctx, id, lang, &sp, &cluster)
            else {
                continue;
            };
            let pref_docs: Vec<usize> = pref_idx.map(&docs_of).unwrap_or_default();
            let pref_count = pref_idx.and_then(|p| sp.get(p)).map_or(0, Across::count);
            for &b in &cluster {
                if Some(b) == pref_idx {
                    continue;
                }
                let Some(bad) = sp.get(b) else { continue };
                let differs = match pref_idx.and_then(|p| sp.get(p)) {
                    Some(p) => var(bad, p).is_some(),
                    None => fold(bad.text) != fold(pref_text),
                };
                if !differs {
                    continue;
                }
                for &(d, occs) in &bad.places {
                    if only.is_some_and(|o| o != d)
                        || uses.iter().any(|(ud, e)| *ud == d && e.mixed)
                    {
                        continue;
                    }
                    emit_across(
                        docs,
                        d,
                        occs,
                        lang,
                        (bad.text, bad.system),
                        &AcrossPref {
                            text: pref_text,
                            system: pref_sys,
                            places: pref_idx
                                .and_then(|p| sp.get(p))
                                .map_or(&[][..], |p| &p.places),
                            docs: &pref_docs,
                            count: pref_count,
                            why: &why,
                        },
                        out,
                        &mut reported,
                    );
                }
            }
        }
    }
    // Then the names nobody listed; a place already reported is not reported again.
    check_across_unlisted(docs, only, ctx, out, &mut reported);
}

/// Names no gazetteer lists, across documents: spellings that carry a convention's
/// marks and share a romanisation key, written differently in different documents.
/// The same tests as within a file decide that two spellings are one name.
pub(super) fn check_across_unlisted(
    docs: &[crate::facts::Doc],
    only: Option<usize>,
    ctx: &Context,
    out: &mut [Vec<Finding>],
    reported: &mut [Option<Reported>],
) {
    for lang in [Language::Korean, Language::Chinese, Language::Russian] {
        let mut sp: Vec<Across> = Vec::new();
        let mut mixed_in: Vec<Vec<usize>> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::default();
        let mut key_owner: HashMap<&str, usize> = HashMap::default();
        let mut parent: Vec<usize> = Vec::new();
        for (d, doc) in docs.iter().enumerate() {
            for u in doc.names.unlisted.iter().filter(|u| u.lang == lang) {
                let x = *index.entry(fold(&u.text)).or_insert_with(|| {
                    sp.push(Across {
                        text: &u.text,
                        system: Some(u.system),
                        places: Vec::new(),
                        weight: 0,
                    });
                    mixed_in.push(Vec::new());
                    parent.push(sp.len() - 1);
                    sp.len() - 1
                });
                if let Some(a) = sp.get_mut(x) {
                    a.places.push((d, &u.occs));
                    a.weight += u.occs.len();
                }
                if u.mixed
                    && let Some(m) = mixed_in.get_mut(x)
                {
                    m.push(d);
                }
                for k in u.keys.iter() {
                    match key_owner.get(k.as_str()) {
                        Some(&o) => {
                            let (ra, rb) = (find(&mut parent, o), find(&mut parent, x));
                            if ra != rb
                                && let Some(p) = parent.get_mut(rb)
                            {
                                *p = ra;
                            }
                        }
                        None => {
                            key_owner.insert(k.as_str(), x);
                        }
                    }
                }
            }
        }
        let mut comps: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for i in 0..sp.len() {
            let root = find(&mut parent, i);
            comps.entry(root).or_default().push(i);
        }
        // Longest names first: "Yun Kŏn-sŏp" is reported, not its part "Kŏn-sŏp".
        let mut comps: Vec<Vec<usize>> = comps.into_values().filter(|c| c.len() >= 2).collect();
        comps.sort_by_key(|c| {
            std::cmp::Reverse(
                c.iter()
                    .filter_map(|&i| sp.get(i))
                    .map(|s| s.text.len())
                    .max()
                    .unwrap_or(0),
            )
        });
        for members in comps {
            let docs_of = |i: usize| -> Vec<usize> {
                let mut v: Vec<usize> = sp
                    .get(i)
                    .map(|s| s.places.iter().map(|p| p.0).collect())
                    .unwrap_or_default();
                v.dedup();
                v
            };
            if only.is_some_and(|o| !members.iter().any(|&m| docs_of(m).contains(&o))) {
                continue;
            }
            // A document that writes two of the spellings is the per-file rule's.
            let mut per_doc: HashMap<usize, usize> = HashMap::default();
            for &m in &members {
                for d in docs_of(m) {
                    *per_doc.entry(d).or_default() += 1;
                }
            }
            let Some((pref_text, pref_sys, pref_idx, why)) =
                preferred_across(ctx, "", Some(lang), &sp, &members)
            else {
                continue;
            };
            let Some(p) = pref_idx.and_then(|i| sp.get(i)) else {
                continue;
            };
            let pref_docs = pref_idx.map(&docs_of).unwrap_or_default();
            for &b in &members {
                if Some(b) == pref_idx {
                    continue;
                }
                let Some(s) = sp.get(b) else { continue };
                let differ = (s.system != p.system && strong_enough(lang, s.text, p.text))
                    || separators_only(s.text, p.text)
                    || (lang == Language::Russian
                        && russian_surname(s.text)
                        && russian_surname(p.text));
                if !differ || is_short_form(s.text, p.text) || !same_in(lang, s.text, p.text) {
                    continue;
                }
                for &(d, occs) in &s.places {
                    let mixed = per_doc.get(&d).copied().unwrap_or(0) > 1
                        || mixed_in.get(b).is_some_and(|m| m.contains(&d));
                    if only.is_some_and(|o| o != d) || mixed {
                        continue;
                    }
                    emit_across(
                        docs,
                        d,
                        occs,
                        Some(lang),
                        (s.text, s.system),
                        &AcrossPref {
                            text: pref_text,
                            system: pref_sys,
                            places: &p.places,
                            docs: &pref_docs,
                            count: p.count(),
                            why: &why,
                        },
                        out,
                        reported,
                    );
                }
            }
        }
    }
}

/// The `kind:` of a document's front matter (`primary`, `edition`, …), lower-case.
/// The one place this is read: when the facts carry the kind (`Analysis.kind`), this
/// function is what to swap.
pub(crate) fn document_kind(text: &str) -> Option<String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.lines();
    if lines.next().map(str::trim_end) != Some("---") {
        return None;
    }
    for line in lines.take(200) {
        let line = line.trim_end();
        if line == "---" || line == "..." {
            return None;
        }
        if let Some(v) = line.strip_prefix("kind:") {
            let v = v.trim().trim_matches(['"', '\'']).trim().to_lowercase();
            return (!v.is_empty()).then_some(v);
        }
    }
    None
}

/// A document that is a source (`kind: primary` or `kind: edition`): it keeps its own
/// spellings; across files it takes part in the counts, and its variants are only
/// information.
pub(crate) fn is_source(text: &str) -> bool {
    matches!(document_kind(text).as_deref(), Some("primary" | "edition"))
}

/// The preferred spelling of a name across files, as shown and argued.
pub(super) struct AcrossPref<'a> {
    pub(super) text: &'a str,
    pub(super) system: Option<System>,
    /// Where it is written: (document, occurrences).
    pub(super) places: &'a [(usize, &'a [Span])],
    /// The documents that write it.
    pub(super) docs: &'a [usize],
    pub(super) count: usize,
    pub(super) why: &'a Why,
}

/// The spans of a document's `romanisation-inconsistent` findings, for the question
/// whether a new one overlaps one of them: asked of the spans that start at most the
/// longest span's length before it (a window of the set, in order), not of every
/// finding made so far.
#[derive(Default)]
pub(super) struct Reported {
    spans: std::collections::BTreeSet<(usize, usize)>,
    /// The longest span's length.
    longest: usize,
}

impl Reported {
    /// The spans of the `romanisation-inconsistent` findings of `sink`.
    pub(super) fn of(sink: &[Finding]) -> Reported {
        let mut r = Reported::default();
        for f in sink.iter().filter(|f| f.code == INCONSISTENT) {
            r.insert(f.span);
        }
        r
    }

    pub(super) fn insert(&mut self, s: Span) {
        self.longest = self.longest.max(s.len());
        self.spans.insert((s.start, s.end));
    }

    /// The spans that may overlap `q`: those starting from `q`'s start less the
    /// longest length to its end (any other starts after it ends or ends before it
    /// starts).
    fn near(&self, q: Span) -> impl Iterator<Item = Span> + '_ {
        let from = q.start.saturating_sub(self.longest);
        let to = q.end.max(from);
        self.spans
            .range((from, 0)..(to, 0))
            .map(|&(s, e)| Span::new(s, e))
    }

    /// Whether a span kept overlaps `q`.
    pub(super) fn overlaps(&self, q: Span) -> bool {
        self.near(q).any(|s| s.overlaps(q))
    }

    /// How many spans [`Reported::overlaps`] compares with `q` (the tests' count).
    #[cfg(test)]
    pub(super) fn compared(&self, q: Span) -> usize {
        self.near(q).count()
    }
}

/// Findings on the occurrences `occs` of spelling `bad` in document `d`; `reported`:
/// each document's findings of the rule so far (made when first asked).
#[allow(clippy::too_many_arguments)]
pub(super) fn emit_across(
    docs: &[crate::facts::Doc],
    d: usize,
    occs: &[Span],
    lang: Option<Language>,
    bad: (&str, Option<System>),
    pref: &AcrossPref,
    out: &mut [Vec<Finding>],
    reported: &mut [Option<Reported>],
) {
    let (Some(doc), Some(sink), Some(reported)) =
        (docs.get(d), out.get_mut(d), reported.get_mut(d))
    else {
        return;
    };
    let reported = reported.get_or_insert_with(|| Reported::of(sink));
    let (bad_text, bad_sys) = bad;
    let elsewhere = pref.docs.iter().filter(|&&x| x != d).count();
    let lang_word = lang.map(|l| format!("{} ", l.as_str())).unwrap_or_default();
    let show = bad_sys != pref.system;
    let tag = |sys: Option<System>| {
        if show {
            format!(" ({})", label(sys))
        } else {
            String::new()
        }
    };
    let reason = match pref.why {
        Why::Configured(sys) => format!("the configured {} spelling", system_label(*sys)),
        Why::Gazetteer(sys) => format!(
            "the gazetteer's {} spelling, as configured",
            system_label(*sys)
        ),
        Why::Majority => "the workspace's majority spelling".to_string(),
        Why::MoreFiles => "as frequent, and written in more files".to_string(),
        _ => "first in alphabetical order of equally frequent spellings; set the convention under [romanisation] in annalist.toml to choose".to_string(),
    };
    let message = if elsewhere == 0 {
        format!(
            "The {lang_word}name “{bad_text}”{} should be spelled “{}”{} across the workspace: keep one spelling — “{}” is {reason}.",
            tag(bad_sys),
            pref.text,
            tag(pref.system),
            pref.text
        )
    } else {
        let files = if elsewhere == 1 {
            "1 other file".to_string()
        } else {
            format!("{elsewhere} other files")
        };
        format!(
            "The {lang_word}name “{bad_text}”{} is written “{}”{} {} in {files}: keep one spelling across the workspace — “{}” is {reason}.",
            tag(bad_sys),
            pref.text,
            tag(pref.system),
            times(pref.count),
            pref.text
        )
    };
    // A source keeps its own spelling: said as information, with nothing to fix.
    let source = is_source(doc.text);
    let (severity, message) = if source {
        (
            Severity::Info,
            format!(
                "The {lang_word}name “{bad_text}”{} is written “{}”{} {} elsewhere in the workspace. For information only: this document is a source (kind: {}), and a source keeps its own spelling.",
                tag(bad_sys),
                pref.text,
                tag(pref.system),
                times(pref.count),
                document_kind(doc.text).unwrap_or_default()
            ),
        )
    } else {
        (Severity::Warning, message)
    };
    let edits: Vec<Edit> = occs
        .iter()
        .map(|&o| {
            let (span, new_text, _) = diff(doc.text, o, pref.text);
            Edit { span, new_text }
        })
        .collect();
    for edit in &edits {
        if reported.overlaps(edit.span) {
            continue;
        }
        let mut f = Finding::new(INCONSISTENT, severity, edit.span, message.clone());
        let mut n = 0;
        for &(pd, pocc) in pref.places {
            let Some(pdoc) = docs.get(pd) else { continue };
            for &o in pocc.iter().take(3) {
                if n < 8 {
                    f.related.push(crate::finding::Related {
                        path: Some(pdoc.path.to_string()),
                        span: o,
                        message: format!("written “{}”{} here", pref.text, tag(pref.system)),
                    });
                    n += 1;
                }
            }
        }
        if !source {
            f = with_replace_fixes(f, edit, &edits, bad_text, pref.text, false);
        }
        reported.insert(f.span);
        sink.push(f);
    }
}

/// The workspace's preferred spelling among `cluster`: (text, system, index if some
/// document writes it, why). A configured system wins; else the heaviest spelling,
/// then the one more documents use, then alphabetical order — never the order of the
/// files, which differs between front ends.
pub(super) fn preferred_across<'a>(
    ctx: &'a Context,
    id: &str,
    lang: Option<Language>,
    sp: &'a [Across],
    cluster: &[usize],
) -> Option<(&'a str, Option<System>, Option<usize>, Why)> {
    // (index, why): the heaviest; then the one more files write; then alphabetical.
    let rank = |set: &[usize]| -> Option<(usize, Why)> {
        let key = |i: usize| {
            sp.get(i).map(|s| {
                let mut docs: Vec<usize> = s.places.iter().map(|p| p.0).collect();
                docs.dedup();
                (s.weight, docs.len())
            })
        };
        let best = set.iter().filter_map(|&i| key(i)).max()?;
        let tied: Vec<usize> = set
            .iter()
            .copied()
            .filter(|&i| key(i) == Some(best))
            .collect();
        let first = tied.iter().copied().min_by(|&x, &y| {
            let t = |i: usize| sp.get(i).map_or("", |s| s.text);
            t(x).cmp(t(y))
        })?;
        if tied.len() > 1 {
            return Some((first, Why::First));
        }
        let heaviest = set
            .iter()
            .filter_map(|&i| key(i))
            .filter(|k| k.0 == best.0)
            .count();
        Some((
            first,
            if heaviest > 1 {
                Why::MoreFiles
            } else {
                Why::Majority
            },
        ))
    };
    if let Some(sys) = configured(ctx, lang) {
        let matching: Vec<usize> = cluster
            .iter()
            .copied()
            .filter(|&i| sp.get(i).is_some_and(|s| s.system == Some(sys)))
            .collect();
        if let Some((i, _)) = rank(&matching) {
            let s = sp.get(i)?;
            return Some((s.text, s.system, Some(i), Why::Configured(sys)));
        }
        if let Some(n) = ctx
            .knowledge
            .gazetteer
            .entities
            .iter()
            .find(|e| e.id == id)
            .and_then(|e| e.names.iter().find(|n| n.system == Some(sys)))
        {
            return Some((n.text.as_str(), Some(sys), None, Why::Gazetteer(sys)));
        }
    }
    let (i, why) = rank(cluster)?;
    let s = sp.get(i)?;
    Some((s.text, s.system, Some(i), why))
}
