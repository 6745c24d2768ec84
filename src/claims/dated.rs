//! Dated statements: a precise date and a reporting or decision verb with an agent.

use super::*;

// ---------------------------------------------------------------------------------
// Dated statements.

/// Reporting and decision verbs (past tense, and a few in the historical present).
pub(super) const VERBS: &[&str] = &[
    "informed",
    "told",
    "said",
    "wrote",
    "complained",
    "rejected",
    "ordered",
    "replied",
    "requested",
    "approved",
    "decided",
    "cabled",
    "telegraphed",
    "wired",
    "instructed",
    "agreed",
    "warned",
    "confirmed",
    "demanded",
    "proposed",
    "stated",
    "declared",
    "announced",
    "reported",
    "asked",
    "insisted",
    "promised",
    "threatened",
    "denied",
    "admitted",
    "acknowledged",
    "suggested",
    "recommended",
    "remarked",
    "explained",
    "argued",
    "claimed",
    "assured",
    "urged",
    "advised",
    "authorized",
    "authorised",
    "vetoed",
    "refused",
    "protested",
    "objected",
    "responded",
    "answered",
    "asserted",
    "resolved",
    "decreed",
    "proclaimed",
    "notified",
    "consented",
    "pledged",
    "stressed",
    "emphasized",
    "emphasised",
    "conceded",
    "says",
    "tells",
    "writes",
    "replies",
    "declares",
    "informs",
    "warns",
];

pub(super) const BE: &[&str] = &[
    "was", "were", "been", "being", "be", "is", "are", "am", "get", "got",
];

/// Words between an auxiliary and its verb that do not matter.
pub(super) const SKIPPABLE: &[&str] = &[
    "also",
    "not",
    "never",
    "then",
    "later",
    "again",
    "reportedly",
    "finally",
    "allegedly",
    "further",
    "first",
    "once",
    "soon",
    "still",
    "even",
    "already",
];

/// Determiners: "the agreed plan", "its proposed treaty" use the verb as an adjective.
pub(super) const DETERMINERS: &[&str] = &[
    "the", "a", "an", "this", "that", "these", "those", "its", "his", "her", "their", "our", "my",
    "your", "newly", "any", "no", "each", "every", "some", "such",
];

/// Capitalised words that are not agents.
pub(super) const NOT_AGENTS: &[&str] = &[
    "on",
    "in",
    "at",
    "by",
    "after",
    "before",
    "during",
    "when",
    "while",
    "since",
    "until",
    "from",
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "then",
    "so",
    "but",
    "and",
    "however",
    "as",
    "later",
    "finally",
    "thus",
    "meanwhile",
    "also",
    "only",
    "even",
    "yet",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "if",
    "although",
    "though",
    "once",
    "early",
    "late",
    "mid",
    "of",
    "for",
    "to",
    "with",
];

pub(super) const PRONOUNS: &[&str] = &["he", "she", "they", "we", "i", "you", "who"];

/// Nouns naming people or bodies that speak or decide.
pub(super) const ROLES: &[&str] = &[
    "ambassador",
    "embassy",
    "leader",
    "leaders",
    "leadership",
    "government",
    "politburo",
    "committee",
    "ministry",
    "minister",
    "chief",
    "premier",
    "president",
    "chairman",
    "commander",
    "general",
    "delegation",
    "envoy",
    "side",
    "council",
    "cabinet",
    "party",
    "dictator",
    "officials",
    "official",
    "diplomat",
    "diplomats",
    "spokesman",
    "spokesperson",
    "secretary",
    "command",
    "headquarters",
    "kremlin",
    "generals",
    "officer",
    "officers",
    "consul",
    "representative",
    "representatives",
    "staff",
    "bureau",
    "presidium",
    "congress",
    "senate",
    "assembly",
    "court",
];

/// Decision verbs that are one only with their object: "granted permission",
/// "withheld approval", "first raised the question", "gave orders".
const PHRASAL: &[(&str, &[&str])] = &[
    (
        "granted",
        &[
            "permission",
            "approval",
            "consent",
            "authority",
            "authorization",
            "leave",
            "recognition",
        ],
    ),
    (
        "withheld",
        &[
            "approval",
            "consent",
            "permission",
            "recognition",
            "support",
            "assent",
        ],
    ),
    (
        "raised",
        &[
            "question",
            "issue",
            "matter",
            "objection",
            "objections",
            "problem",
        ],
    ),
    (
        "gave",
        &[
            "permission",
            "approval",
            "consent",
            "orders",
            "order",
            "instructions",
            "assurances",
            "assent",
        ],
    ),
    (
        "issued",
        &[
            "orders",
            "order",
            "instructions",
            "directive",
            "statement",
            "ultimatum",
        ],
    ),
];

/// True when `verb` followed by `rest` is a phrasal decision ([`PHRASAL`]): the object
/// within three words ("withheld his approval", "raised the question").
fn is_phrasal_decision(verb: &str, rest: &[Tok]) -> bool {
    PHRASAL.iter().any(|(v, objects)| {
        *v == verb
            && rest
                .iter()
                .take(3)
                .any(|t| objects.contains(&t.text.to_lowercase().as_str()))
    })
}

/// Whether a lower-case word is one of [`VERBS`]: a set built once, not a walk over
/// the list (every word of every sentence with a date is asked).
fn is_verb(lw: &str) -> bool {
    static SET: std::sync::LazyLock<
        std::collections::HashSet<&'static str, foldhash::fast::FixedState>,
    > = std::sync::LazyLock::new(|| VERBS.iter().copied().collect());
    // No verb is shorter than four letters or longer than twelve.
    (4..=12).contains(&lw.len()) && SET.contains(lw)
}

/// A token of a sentence: its byte span and text.
pub(super) struct Tok<'a> {
    pub(super) span: Span,
    pub(super) text: &'a str,
}

pub(super) fn tokens<'a>(text: &'a str, md: &MdModel, span: Span) -> Vec<Tok<'a>> {
    let mut out = Vec::new();
    for p in md.prose_pieces(span) {
        let s = p.slice(text);
        let mut cur: Option<usize> = None;
        for (i, c) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
            let wordy = c.is_alphanumeric() || c == '\'' || c == '’' || c == '-';
            match (wordy, cur) {
                (true, None) => cur = Some(i),
                (false, Some(b)) => {
                    let w = s.get(b..i).unwrap_or("").trim_matches(['\'', '’', '-']);
                    if !w.is_empty() {
                        let off = p.start + b;
                        out.push(Tok {
                            span: Span::new(off, off + w.len()),
                            text: w,
                        });
                    }
                    cur = None;
                }
                _ => {}
            }
            // Clause punctuation is a token of its own.
            if matches!(c, ';' | ':' | '"' | '“' | '”') {
                let off = p.start + i;
                out.push(Tok {
                    span: Span::new(off, off + c.len_utf8()),
                    text: s.get(i..i + c.len_utf8()).unwrap_or(""),
                });
            }
        }
    }
    out
}

/// `w` lower-cased: itself when it has no capital (most words: no allocation).
pub(super) fn lower(w: &str) -> std::borrow::Cow<'_, str> {
    if w.bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'\'')
    {
        std::borrow::Cow::Borrowed(w)
    } else {
        std::borrow::Cow::Owned(w.to_lowercase())
    }
}

pub(super) fn is_capitalised(w: &str) -> bool {
    w.chars().next().is_some_and(|c| c.is_uppercase())
}

/// The reporting or decision verb of a sentence used actively with an agent, if any.
pub(super) fn attributed_verb(toks: &[Tok]) -> Option<Span> {
    for (k, t) in toks.iter().enumerate() {
        // A capitalised word is no verb but the sentence's first: skipped unlowered.
        if k > 0 && is_capitalised(t.text) {
            continue;
        }
        let lw = lower(t.text);
        let verb = is_verb(&lw) || is_phrasal_decision(&lw, toks.get(k + 1..).unwrap_or(&[]));
        if !verb {
            continue;
        }
        // A participle naming its source ("vessels requested mytel 447, April 26"):
        // a reference, not a statement.
        if toks.get(k + 1).is_some_and(|n| {
            super::attribution::is_telegram_shorthand(n.text)
                || super::attribution::NUMBERED_DOCUMENTS.contains(&n.text.to_lowercase().as_str())
        }) {
            continue;
        }
        // The word before, skipping adverbs.
        let mut b = k;
        let mut prev: Option<String> = None;
        let mut negated = false;
        while b > 0 {
            b -= 1;
            let pw = toks
                .get(b)
                .map(|x| x.text.to_lowercase())
                .unwrap_or_default();
            if pw.ends_with("ly") || SKIPPABLE.contains(&pw.as_str()) {
                negated |= matches!(pw.as_str(), "not" | "never");
                continue;
            }
            negated |= pw.ends_with("n't") || pw.ends_with("n’t");
            prev = Some(pw);
            break;
        }
        let prev = prev.unwrap_or_default();
        // "did not approve", "had never replied": what was not said is not a
        // dated statement.
        if negated || matches!(prev.as_str(), "didn't" | "didn’t" | "hadn't" | "hadn’t") {
            continue;
        }
        if DETERMINERS.contains(&prev.as_str()) {
            continue; // "the agreed plan"
        }
        if BE.contains(&prev.as_str()) {
            // Passive: an agent only with "by X" close after.
            let after: Vec<&Tok> = toks.iter().skip(k + 1).take(6).collect();
            let by = after
                .iter()
                .take(3)
                .position(|a| a.text.eq_ignore_ascii_case("by"));
            let has = by.is_some_and(|b| {
                after
                    .iter()
                    .skip(b + 1)
                    .find(|x| !DETERMINERS.contains(&x.text.to_lowercase().as_str()))
                    .is_some_and(|x| {
                        is_capitalised(x.text)
                            || ROLES.contains(&x.text.to_lowercase().as_str())
                            || matches!(
                                x.text.to_lowercase().as_str(),
                                "him" | "her" | "them" | "us" | "me"
                            )
                    })
            });
            if has {
                return Some(t.span);
            }
            continue;
        }
        // An agent in the clause before the verb.
        let from = k.saturating_sub(10);
        let window = toks.get(from..k).unwrap_or(&[]);
        let mut agent = false;
        for (m, w) in window.iter().enumerate().rev() {
            if matches!(w.text, ";" | ":" | "\"" | "“" | "”") {
                break;
            }
            let lw = lower(w.text);
            let sentence_first = from + m == 0;
            let cap = is_capitalised(w.text)
                && !NOT_AGENTS.contains(&&*lw)
                && month_number(w.text).is_none()
                && !w.text.chars().all(|c| c.is_ascii_digit());
            if cap && !(sentence_first && STARTERS.contains(&&*lw))
                || PRONOUNS.contains(&&*lw)
                || ROLES.contains(&&*lw)
            {
                agent = true;
                break;
            }
        }
        if agent {
            return Some(t.span);
        }
    }
    None
}

#[cfg(test)]
mod verb_tests {
    /// The set answers as the list, for every verb and for words near them.
    #[test]
    fn verbs_found_as_in_the_list() {
        for v in super::VERBS {
            assert!(super::is_verb(v), "{v}");
            assert!(!super::is_verb(&format!("{v}s")) || super::VERBS.contains(&&*format!("{v}s")));
            assert!(!super::is_verb(&v.to_uppercase()), "{v}");
        }
        for w in ["", "say", "the", "informedly", "acknowledgedx", "tell"] {
            assert_eq!(super::is_verb(w), super::VERBS.contains(&w), "{w}");
        }
    }
}
