//! Semantic-token classes: which spans of a document are names (by the entity's kind),
//! dates and note markers. Plain data; the server encodes them for the protocol.

use crate::facts::{Analysis, Context};
use crate::finding::Span;
use crate::gazetteer::EntityKind;

/// A token's class, in the order of the server's legend.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum TokenClass {
    Person,
    Place,
    Organisation,
    Event,
    Date,
    NoteMarker,
}

impl TokenClass {
    /// Every class, in legend order.
    pub const ALL: [TokenClass; 6] = [
        TokenClass::Person,
        TokenClass::Place,
        TokenClass::Organisation,
        TokenClass::Event,
        TokenClass::Date,
        TokenClass::NoteMarker,
    ];

    /// The class's index in [`TokenClass::ALL`].
    pub fn index(self) -> u32 {
        self as u32
    }

    fn of(kind: EntityKind) -> TokenClass {
        match kind {
            EntityKind::Person => TokenClass::Person,
            EntityKind::Place => TokenClass::Place,
            EntityKind::Organisation => TokenClass::Organisation,
            EntityKind::Event => TokenClass::Event,
        }
    }
}

/// The document's tokens, sorted by span, without overlaps (the first of two
/// overlapping tokens wins) and without empty spans. Names only with
/// `features.entities`, dates only with `features.dates`.
pub fn classify(a: &Analysis, ctx: &Context) -> Vec<(Span, TokenClass)> {
    let mut toks: Vec<(Span, TokenClass)> = Vec::new();
    if ctx.config.features.entities {
        let g = &a.knowledge(ctx).gazetteer;
        toks.extend(
            a.mentions
                .iter()
                .filter_map(|m| Some((m.span, TokenClass::of(g.get(m.entity)?.kind)))),
        );
    }
    if ctx.config.features.dates {
        toks.extend(a.dates.iter().map(|d| (d.span, TokenClass::Date)));
    }
    toks.extend(
        a.notes
            .markers
            .iter()
            .map(|m| (m.span, TokenClass::NoteMarker)),
    );
    toks.sort_by_key(|(s, _)| (s.start, s.end));
    let mut last_end = 0usize;
    toks.retain(|(s, _)| {
        if s.start < last_end || s.is_empty() {
            return false;
        }
        last_end = s.end;
        true
    });
    toks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::Knowledge;
    use std::sync::Arc;

    #[test]
    fn names_dates_and_markers_in_order_without_overlap() {
        let knowledge = Knowledge::embedded();
        let config = crate::config::Config::default();
        let ctx = Context {
            config: &config,
            knowledge: &knowledge,
        };
        let text = "Stalin met Kim Il Sung in Moscow on 5 March 1949.[^1]\n\n[^1]: A note.\n";
        let a = crate::analysis::analyze(Arc::from(text), None, &ctx);
        let toks = classify(&a, &ctx);
        let classes: Vec<TokenClass> = toks.iter().map(|(_, c)| *c).collect();
        assert!(classes.contains(&TokenClass::Person), "{toks:?}");
        assert!(classes.contains(&TokenClass::Place), "{toks:?}");
        assert!(classes.contains(&TokenClass::Date), "{toks:?}");
        assert!(classes.contains(&TokenClass::NoteMarker), "{toks:?}");
        assert!(toks.windows(2).all(|w| w[0].0.end <= w[1].0.start));

        let mut quiet = crate::config::Config::default();
        quiet.features.entities = false;
        quiet.features.dates = false;
        let ctx = Context {
            config: &quiet,
            knowledge: &knowledge,
        };
        let toks = classify(&a, &ctx);
        assert!(
            toks.iter().all(|(_, c)| *c == TokenClass::NoteMarker),
            "{toks:?}"
        );
        assert_eq!(toks.len(), 1);
    }
}
