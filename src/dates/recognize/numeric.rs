//! Numeric dates: Soviet and European `24.III.50`, `8.II.1950`, `29.8.50`, `13/5-50`, and
//! US `09/30/50` in datelines.
//!
//! A bare number group is read as a date only where the context makes it one: after
//! `of`, `dated`, `on`, `from`…, after a telegram number (`No. 123 29.8.50`), alone on a
//! dateline (`Moscow, 24.III.50`), or — for dotted forms — anywhere in a Soviet
//! document. Times (`10.30`), pages (`p. 8.50`), amounts (`$29.8 million`), section
//! numbers (`1.2.3`) and file numbers (`795.00/6–2550`) never have the three parts.

use super::{K, P, Raw, V, YearSrc};
use crate::finding::Span;

const ROMAN: &[&str] = &[
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
];

/// Words after which a numeric group is a date.
const BEFORE: &[&str] = &[
    "of", "dated", "on", "from", "since", "until", "till", "by", "to", "and",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// `24.III.50`
    Roman,
    /// `29.8.50`, `13/5-50`: day first.
    DayFirst,
    /// `09/30/50`: month first, datelines only.
    Us,
}

impl P<'_> {
    /// A numeric date at token `i`, where its context allows one.
    pub(super) fn numeric(&self, i: usize) -> Option<(Raw, usize)> {
        let a = self.num(i)?;
        if a.len() > 2 || !self.num_start_ok(i) {
            return None;
        }
        let s1 = self.punct(i + 1)?;
        if !self.adj(i + 1) || !self.adj(i + 2) {
            return None;
        }
        // The middle part.
        let (mid, shape) = match (s1, self.kind(i + 2)?) {
            (".", K::Word) => {
                let w = self.s(i + 2);
                let m = ROMAN.iter().position(|r| *r == w)?;
                (i8::try_from(m + 1).ok()?, Shape::Roman)
            }
            (".", K::Num) | ("/", K::Num) => {
                let n = self.s(i + 2);
                if n.len() > 2 {
                    return None;
                }
                (n.parse::<i8>().ok()?, Shape::DayFirst)
            }
            _ => return None,
        };
        let s2 = self.punct(i + 3)?;
        let sep_ok = match (s1, s2) {
            (".", ".") => true,
            ("/", "-") => shape == Shape::DayFirst,
            ("/", "/") => true,
            _ => false,
        };
        if !sep_ok || !self.adj(i + 3) || !self.adj(i + 4) {
            return None;
        }
        let shape = if s1 == "/" && s2 == "/" {
            Shape::Us
        } else {
            shape
        };
        let ys = self.num(i + 4)?;
        let y: i32 = match ys.len() {
            2 => 1900 + ys.parse::<i32>().ok()?,
            4 => ys.parse().ok().filter(|y| (1800..=2100).contains(y))?,
            _ => return None,
        };
        let next = i + 5;
        if !self.num_end_ok(next) {
            return None;
        }
        let first: i8 = a.parse().ok()?;
        let (d, m) = match shape {
            Shape::Us => (mid, first),
            _ => (first, mid),
        };
        if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
            return None;
        }
        let context = match shape {
            Shape::Us => self.on_dateline(i, next),
            Shape::Roman | Shape::DayFirst => {
                self.on_dateline(i, next)
                    || self.after_date_word(i)
                    || self.after_telegram_number(i)
                    || (s1 == "." && self.soviet_document())
            }
        };
        if !context {
            return None;
        }
        let ysp = Span::new(self.start(i + 4), self.end(i + 4));
        let raw = Raw::new(
            Span::new(self.start(i), self.end(i + 4)),
            V::Day { y, m, d },
            None,
            YearSrc::Written(ysp),
        );
        Some((raw, next))
    }

    fn after_date_word(&self, i: usize) -> bool {
        i.checked_sub(1)
            .is_some_and(|p| self.word_in(p, BEFORE) || self.word_is(p, "от"))
    }

    /// `No. 123 29.8.50`, `№ 123 29.8.50`.
    fn after_telegram_number(&self, i: usize) -> bool {
        let Some(n) = i.checked_sub(1) else {
            return false;
        };
        if self.kind(n) != Some(K::Num) {
            return false;
        }
        let Some(p) = n.checked_sub(1) else {
            return false;
        };
        self.is_punct(p, "№")
            || (self.is_punct(p, ".") && p.checked_sub(1).is_some_and(|w| self.word_is(w, "No")))
    }

    /// The group opens its piece (after an optional `Place,`) and little follows it on
    /// its line: `Moscow, 24.III.50`, `09/30/50 — 10 a.m.`.
    fn on_dateline(&self, i: usize, next: usize) -> bool {
        let mut j = 0;
        while j < i && self.kind(j) == Some(K::Punct) && matches!(self.s(j), "*" | "_") {
            j += 1;
        }
        let place_ok = j == i || {
            let mut k = j;
            let mut words = 0;
            while k < i && self.kind(k) == Some(K::Word) {
                words += 1;
                k += 1;
            }
            words > 0
                && words <= 4
                && self.is_punct(k, ",")
                && k + 1 == i
                && self.s(j).chars().next().is_some_and(char::is_uppercase)
        };
        if !place_ok {
            return false;
        }
        // What follows on the line: the end, a dash and a time, punctuation.
        // Tokens after the group on its line, counted up to 7.
        let mut rest_tokens = 0;
        let mut prev_end = self.end(next.saturating_sub(1));
        for t in self.t.iter().skip(next).take(7) {
            if self
                .text
                .get(prev_end..t.s)
                .is_none_or(|gap| gap.contains('\n'))
            {
                break;
            }
            rest_tokens += 1;
            prev_end = t.e;
        }
        rest_tokens == 0
            || matches!(self.punct(next), Some("—" | "–" | "-" | "," | "." | ":"))
                && rest_tokens <= 6
    }
}
