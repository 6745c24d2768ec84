//! The written forms: atoms (day, month, year), simple dates and the patterns built
//! from them, tried at each token.

use super::{K, P, Raw, Simple, V, YearSrc};
use crate::dates::lang::{MonthForm, Part};
use crate::finding::Span;

impl P<'_> {
    // ---- atoms ----

    /// A day number 1–31 with an optional ordinal suffix.
    pub(super) fn day(&self, i: usize) -> Option<(i8, usize)> {
        let n = self.num(i)?;
        if n.len() > 2 {
            return None;
        }
        let d: i8 = n.parse().ok()?;
        if !(1..=31).contains(&d) {
            return None;
        }
        let mut j = i + 1;
        if self.adj(j) {
            match self.kind(j) {
                Some(K::Word) => {
                    let w = self.s(j);
                    if self.lang.ordinals.contains(&w) {
                        j += 1;
                        if self.adj(j) && self.kind(j) == Some(K::Word) {
                            return None;
                        }
                    } else {
                        return None;
                    }
                }
                Some(K::Punct)
                    if matches!(self.s(j), "." | ":" | "%" | ",")
                        && self.adj(j + 1)
                        && self.kind(j + 1) == Some(K::Num) =>
                {
                    return None;
                }
                _ => {}
            }
        }
        Some((d, j))
    }

    /// A month name (capitalised as the table has it); an abbreviation's dot is eaten.
    pub(super) fn month(&self, i: usize) -> Option<(i8, MonthForm, usize)> {
        if let Some((at, found)) = self.month_at.get()
            && at == i
        {
            return found;
        }
        let found = self.month_read(i);
        self.month_at.set(Some((i, found)));
        found
    }

    /// [`P::month`], read from the tokens.
    fn month_read(&self, i: usize) -> Option<(i8, MonthForm, usize)> {
        let w = self.word(i)?;
        if !self.quick.may(w) {
            return None;
        }
        let (m, form) = self.quick.month(w).or_else(|| self.lang.month_upper(w))?;
        // `the Long March`: a name, not a month.
        if matches!(form, MonthForm::Full { ambiguous: true })
            && i.checked_sub(1).is_some_and(|p| self.word_is(p, "Long"))
        {
            return None;
        }
        let mut j = i + 1;
        if self.adj(j) {
            match self.kind(j) {
                Some(K::Word) | Some(K::Num) => return None,
                // `May's view`: a name.
                _ if matches!(self.s(j), "'" | "’") => return None,
                _ => {}
            }
            if form == MonthForm::Abbrev && self.is_punct(j, ".") {
                j += 1;
            }
        }
        Some((m, form, j))
    }

    /// `[O.S. 28 February]`, `[13 March]` at `i`: whether the bracket says New Style
    /// (`Some(true)`, `N.S.`), Old Style (`Some(false)`, `O.S.`) or nothing, its day and
    /// month, and the token after `]`.
    pub(super) fn old_style_bracket(&self, i: usize) -> Option<(Option<bool>, i8, i8, usize)> {
        if !self.is_punct(i, "[") {
            return None;
        }
        let mut j = i + 1;
        let mut label = None;
        if (self.word_is(j, "O") || self.word_is(j, "N"))
            && self.is_punct(j + 1, ".")
            && self.word_is(j + 2, "S")
        {
            label = Some(self.word_is(j, "N"));
            j += 3;
            if self.is_punct(j, ".") {
                j += 1;
            }
        }
        let (d, k) = self.day(j)?;
        let (m, _, l) = self.month(k)?;
        if !self.is_punct(l, "]") {
            return None;
        }
        Some((label, d, m, l + 1))
    }

    /// A four-digit year 1000–2100.
    pub(super) fn year4(&self, i: usize) -> Option<(i32, Span, usize)> {
        let n = self.num(i)?;
        if n.len() != 4 {
            return None;
        }
        let y: i32 = n.parse().ok()?;
        if !(1000..=2100).contains(&y) || !self.num_end_ok(i + 1) {
            return None;
        }
        Some((y, Span::new(self.start(i), self.end(i)), i + 1))
    }

    /// A year after a day and month: four digits, or three (cut short, or an early year).
    pub(super) fn year_after_day(&self, i: usize) -> Option<(i32, Span, usize)> {
        if let Some(y) = self.year4(i) {
            return Some(y);
        }
        let n = self.num(i)?;
        if n.len() != 3 || n.starts_with('0') || !self.num_end_ok(i + 1) {
            return None;
        }
        let y: i32 = n.parse().ok()?;
        Some((y, Span::new(self.start(i), self.end(i)), i + 1))
    }

    /// After a date without a year: a following number means we misread something.
    pub(super) fn stray_number(&self, i: usize) -> bool {
        self.kind(i) == Some(K::Num)
    }

    pub(super) fn simple(&self, i: usize) -> Option<Simple> {
        self.simple_checked(i, true)
    }

    /// The second date of a range, after a dash: no check of what precedes it.
    pub(super) fn simple_after_dash(&self, i: usize) -> Option<Simple> {
        self.simple_checked(i, false)
    }

    pub(super) fn simple_checked(&self, i: usize, check_start: bool) -> Option<Simple> {
        if let Ok(last) = self.simple_at.try_borrow()
            && let Some((at, check, found)) = &*last
            && (*at, *check) == (i, check_start)
        {
            return found.clone();
        }
        let found = self.simple_read(i, check_start);
        if let Ok(mut last) = self.simple_at.try_borrow_mut() {
            *last = Some((i, check_start, found.clone()));
        }
        found
    }

    /// [`P::simple_checked`], read from the tokens.
    fn simple_read(&self, i: usize, check_start: bool) -> Option<Simple> {
        let k = self.kind(i)?;
        if k == K::Num {
            if check_start && !self.num_start_ok(i) {
                return None;
            }
            if let Some(s) = self.iso(i) {
                return Some(s);
            }
            // Day [of] Month [,] [Year]
            let (d, mut j) = self.day(i)?;
            if self.word(j) == Some(self.lang.of) {
                j += 1;
            }
            let (m, _, k) = self.month(j)?;
            // `13 March [O.S. 28 February] 1907`, `28 February [13 March] 1907`: one date,
            // the New Style day.
            let (d, m, k) = match self.old_style_bracket(k) {
                Some((ns_inside, d2, m2, after)) => {
                    let inside = (m2, d2) > (m, d);
                    if ns_inside == Some(true) || (ns_inside.is_none() && inside) {
                        (d2, m2, after)
                    } else {
                        (d, m, after)
                    }
                }
                None => (d, m, k),
            };
            let after_comma = if self.is_punct(k, ",") { k + 1 } else { k };
            if let Some((y, sp, next)) = self.year_after_day(after_comma) {
                let digits = sp.len();
                return Some(Simple {
                    start: self.start(i),
                    end: sp.end,
                    next,
                    day: Some(d),
                    month: m,
                    year: Some((y, sp, digits)),
                });
            }
            if self.stray_number(k) {
                return None;
            }
            return Some(Simple {
                start: self.start(i),
                end: self.end(k - 1),
                next: k,
                day: Some(d),
                month: m,
                year: None,
            });
        }
        // Month Day [,] [Year] | Month [,] Year
        let (m, _, j) = self.month(i)?;
        if let Some((d, k)) = self.day(j)
            && !self.adj(j)
        {
            let after_comma = if self.is_punct(k, ",") { k + 1 } else { k };
            if let Some((y, sp, next)) = self.year4(after_comma) {
                return Some(Simple {
                    start: self.start(i),
                    end: sp.end,
                    next,
                    day: Some(d),
                    month: m,
                    year: Some((y, sp, 4)),
                });
            }
            if self.stray_number(k) || self.is_punct(k, "-") || self.is_punct(k, "–") {
                return None;
            }
            // `June 5 divisions`: a count, not a day. `March`/`May` are held to the same
            // test as the other months (`On March 24 Kim visited`, `March 30 of this
            // year`): the word after the day must be capitalised or a function word.
            // Lowercase `march`/`may` never reach here.
            if !self.next_ok(k) {
                return None;
            }
            return Some(Simple {
                start: self.start(i),
                end: self.end(k - 1),
                next: k,
                day: Some(d),
                month: m,
                year: None,
            });
        }
        let after_comma = if self.is_punct(j, ",") { j + 1 } else { j };
        let (y, sp, next) = self.year4(after_comma)?;
        Some(Simple {
            start: self.start(i),
            end: sp.end,
            next,
            day: None,
            month: m,
            year: Some((y, sp, 4)),
        })
    }

    /// `1949-03-05`, `1949-03`.
    pub(super) fn iso(&self, i: usize) -> Option<Simple> {
        let ys = self.num(i)?;
        if ys.len() != 4 || !self.is_punct(i + 1, "-") || !self.adj(i + 1) || !self.adj(i + 2) {
            return None;
        }
        let y: i32 = ys.parse().ok()?;
        if !(1000..=2100).contains(&y) {
            return None;
        }
        let ms = self.num(i + 2)?;
        if ms.len() != 2 {
            return None;
        }
        let m: i8 = ms.parse().ok()?;
        if !(1..=12).contains(&m) {
            return None;
        }
        let ysp = Span::new(self.start(i), self.end(i));
        if self.is_punct(i + 3, "-") && self.adj(i + 3) && self.adj(i + 4) {
            let ds = self.num(i + 4)?;
            if ds.len() != 2 || !self.num_end_ok(i + 5) {
                return None;
            }
            let d: i8 = ds.parse().ok()?;
            if !(1..=31).contains(&d) {
                return None;
            }
            return Some(Simple {
                start: self.start(i),
                end: self.end(i + 4),
                next: i + 5,
                day: Some(d),
                month: m,
                year: Some((y, ysp, 4)),
            });
        }
        // `1910-11` is more often two years than November 1910: a month only with a
        // leading zero or when it cannot be a later year.
        let as_year_suffix: i32 = m.into();
        if !ms.starts_with('0') && as_year_suffix > y % 100 {
            return None;
        }
        if !self.num_end_ok(i + 3) {
            return None;
        }
        Some(Simple {
            start: self.start(i),
            end: self.end(i + 2),
            next: i + 3,
            day: None,
            month: m,
            year: Some((y, ysp, 4)),
        })
    }

    /// A dash between two parts of a range at `i`: `-` glued on both sides or `–`.
    pub(super) fn dash(&self, i: usize) -> bool {
        match self.punct(i) {
            Some("-") => self.adj(i) && self.adj(i + 1),
            Some("–") => true,
            _ => false,
        }
    }

    // ---- patterns ----

    pub(super) fn weekday_date(&self, i: usize) -> Option<(Raw, usize)> {
        let w = self.word(i)?;
        let wd = self.lang.weekday(w)?;
        let mut j = i + 1;
        // An abbreviation needs its dot: `Sun, 5 May 1949` is more likely a newspaper.
        let abbreviated = self.lang.weekday_name(wd) != w;
        if abbreviated {
            if !(self.is_punct(j, ".") && self.adj(j)) {
                return None;
            }
            j += 1;
        }
        let wspan = Span::new(self.start(i), self.end(j - 1));
        if self.is_punct(j, ",") {
            j += 1;
        }
        let (mut raw, next) = self
            .day_range(j)
            .or_else(|| self.dated(j))
            .filter(|(r, _)| matches!(r.a, V::Day { .. }))?;
        if raw.b.is_some() {
            return None;
        }
        raw.weekday = Some((wd, wspan));
        raw.span.start = wspan.start;
        Some((raw, next))
    }

    pub(super) fn part(&self, i: usize) -> Option<(Raw, usize)> {
        let mut j = i;
        if self.word_is(j, self.lang.article) {
            j += 1;
        }
        for (words, part) in self.lang.parts {
            if !words
                .iter()
                .enumerate()
                .all(|(n, w)| self.word_is(j + n, w))
            {
                continue;
            }
            // Only the first word may be capitalised (`Early 1950`), the rest lowercase.
            let mut k = j + words.len();
            let single = words.len() == 1;
            if single && words.first() == Some(&"mid") {
                if self.is_punct(k, "-") && self.adj(k) {
                    k += 1;
                } else if self.month(k).is_none() {
                    return None;
                }
            }
            let Part::Group(code) = *part;
            if let Some((y, sp, next)) = self.year4(k) {
                if !self.num_start_ok(k) && !self.is_punct(k - 1, "-") {
                    return None;
                }
                let raw = Raw::new(
                    Span::new(self.start(i), sp.end),
                    V::Group { y, code },
                    None,
                    YearSrc::Written(sp),
                );
                return Some((raw, next));
            }
            // `early March 1949`, `the end of May 1949`: the month, qualified.
            let q = words.first().and_then(|w| self.lang.qualifier(w))?;
            let s = self.simple(k)?;
            if s.day.is_some() {
                return None;
            }
            let (y, sp, _) = s.year?;
            let mut raw = Raw::new(
                Span::new(self.start(i), s.end),
                s.value(y),
                None,
                YearSrc::Written(sp),
            );
            raw.qualifier = Some(q);
            return Some((raw, s.next));
        }
        None
    }

    /// `24-25 July 1995`, `24 July-2 August 1995`, `July 24-25, 1995`.
    pub(super) fn day_range(&self, i: usize) -> Option<(Raw, usize)> {
        if self.kind(i) == Some(K::Num) {
            if !self.num_start_ok(i) {
                return None;
            }
            let (d1, j) = self.day(i)?;
            // `24-25 July`, `the night of 14/15 August`.
            let slash = self.is_punct(j, "/") && self.adj(j) && self.adj(j + 1);
            if self.dash(j) || slash {
                // d1-d2 Month [Year]
                let s = self.simple_after_dash(j + 1)?;
                let d2 = s.day?;
                if d1 >= d2 {
                    return None;
                }
                let start_v = V::Day {
                    y: 0,
                    m: s.month,
                    d: d1,
                };
                return Some(self.range_of(i, start_v, &s, (s.month, d1)));
            }
            // d1 Month1 - d2 Month2 [Year]
            let mut k = j;
            if self.word(k) == Some(self.lang.of) {
                k += 1;
            }
            let (m1, _, l) = self.month(k)?;
            if !self.dash(l) {
                return None;
            }
            let s = self.simple_after_dash(l + 1)?;
            s.day?;
            let start_v = V::Day { y: 0, m: m1, d: d1 };
            return Some(self.range_of(i, start_v, &s, (m1, d1)));
        }
        // Month d1-d2 [,] Year
        let (m, _, j) = self.month(i)?;
        let (d1, k) = self.day(j)?;
        if !self.dash(k) {
            return None;
        }
        let (d2, l) = self.day(k + 1)?;
        if d1 >= d2 {
            return None;
        }
        let after_comma = if self.is_punct(l, ",") { l + 1 } else { l };
        let (a, b, year, end, next) = match self.year4(after_comma) {
            Some((y, sp, next)) => (y, y, YearSrc::Written(sp), sp.end, next),
            None => {
                if self.stray_number(l) {
                    return None;
                }
                (0, 0, YearSrc::Pending, self.end(l - 1), l)
            }
        };
        let raw = Raw::new(
            Span::new(self.start(i), end),
            V::Day { y: a, m, d: d1 },
            Some(V::Day { y: b, m, d: d2 }),
            year,
        );
        Some((raw, next))
    }

    /// A range from `start_v` (year relative: 0 = the end's year) to the simple date `s`.
    pub(super) fn range_of(
        &self,
        i: usize,
        start_v: V,
        s: &Simple,
        start_md: (i8, i8),
    ) -> (Raw, usize) {
        let back = if start_md > s.md() { -1 } else { 0 };
        match s.year {
            Some((y, sp, digits)) => {
                let mut raw = Raw::new(
                    Span::new(self.start(i), s.end),
                    start_v.shift(y + back),
                    Some(s.value(y)),
                    YearSrc::Written(sp),
                );
                if digits == 3 {
                    raw.short_year = Some((sp.slice(self.text).to_string(), sp));
                }
                (raw, s.next)
            }
            None => (
                Raw::new(
                    Span::new(self.start(i), s.end),
                    start_v.shift(back),
                    Some(s.value(0)),
                    YearSrc::Pending,
                ),
                s.next,
            ),
        }
    }

    /// `May-August 1949`.
    pub(super) fn month_range(&self, i: usize) -> Option<(Raw, usize)> {
        let (m1, _, j) = self.month(i)?;
        if !self.dash(j) {
            return None;
        }
        let s = self.simple_after_dash(j + 1)?;
        if s.day.is_some() || m1 >= s.month {
            return None;
        }
        let (y, sp, _) = s.year?;
        let raw = Raw::new(
            Span::new(self.start(i), s.end),
            V::Month { y, m: m1 },
            Some(s.value(y)),
            YearSrc::Written(sp),
        );
        Some((raw, s.next))
    }

    /// A simple date, and a range to another when a dash follows.
    pub(super) fn dated(&self, i: usize) -> Option<(Raw, usize)> {
        let s = self.simple(i)?;
        let Some((y, sp, digits)) = s.year else {
            // `January 6 and 7, 1951` (FRUS 1951 VII/2 d2), `its resolutions of June 25
            // and 27, 1950` (UNSC resolution 84): the first day takes the year written
            // after the second.
            if let Some(d) = s.day
                && self.word_is(s.next, "and")
                && let Some((d2, k)) = self.day(s.next + 1)
                && d2 > d
                && self.is_punct(k, ",")
                && let Some((y, ysp, _)) = self.year4(k + 1)
            {
                let raw = Raw::new(
                    Span::new(s.start, s.end),
                    V::Day { y, m: s.month, d },
                    None,
                    YearSrc::Carried(ysp),
                );
                return Some((raw, s.next));
            }
            let raw = Raw::new(
                Span::new(s.start, s.end),
                s.value(0),
                None,
                YearSrc::Pending,
            );
            return Some((raw, s.next));
        };
        if digits == 4
            && self.dash(s.next)
            && let Some(s2) = self.simple_after_dash(s.next + 1)
            && let Some((y2, sp2, 4)) = s2.year
            && (y2, s2.md()) > (y, s.md())
        {
            let raw = Raw::new(
                Span::new(s.start, s2.end),
                s.value(y),
                Some(s2.value(y2)),
                YearSrc::Written(sp2),
            );
            return Some((raw, s2.next));
        }
        let mut raw = Raw::new(
            Span::new(s.start, s.end),
            s.value(y),
            None,
            YearSrc::Written(sp),
        );
        if digits == 3 {
            raw.short_year = Some((sp.slice(self.text).to_string(), sp));
        }
        Some((raw, s.next))
    }

    /// The second year of a range: four digits, or two (`1947–48`).
    pub(super) fn second_year(&self, y1: i32, i: usize) -> Option<(i32, Span, usize)> {
        let n = self.num(i)?;
        let (y2, next) = if n.len() == 4 {
            let (y2, _, next) = self.year4(i)?;
            (y2, next)
        } else if n.len() == 2 {
            if !self.num_end_ok(i + 1) {
                return None;
            }
            let v: i32 = n.parse().ok()?;
            (y1 - y1 % 100 + v, i + 1)
        } else {
            return None;
        };
        (y2 > y1 && y2 - y1 <= 100).then(|| (y2, Span::new(self.start(i), self.end(i)), next))
    }

    /// `1947-1948`, `1947–48`, accepted where a year would be.
    pub(super) fn year_range(&self, i: usize) -> Option<(Raw, usize)> {
        let n = self.num(i)?;
        if n.len() != 4 || !self.num_start_ok(i) {
            return None;
        }
        let y1: i32 = n.parse().ok()?;
        if !(1000..=2100).contains(&y1) || !self.dash(i + 1) {
            return None;
        }
        let (y2, sp, next) = self.second_year(y1, i + 2)?;
        if !self.year_context(i, next) {
            return None;
        }
        let raw = Raw::new(
            Span::new(self.start(i), sp.end),
            V::Year { y: y1 },
            Some(V::Year { y: y2 }),
            YearSrc::Written(sp),
        );
        Some((raw, next))
    }

    /// The words around a bare year (tokens `i..next`) make it a date.
    pub(super) fn year_context(&self, i: usize, next: usize) -> bool {
        let intro = self
            .prev_word(i)
            .is_some_and(|w| self.lang.intro.iter().any(|x| w.eq_ignore_ascii_case(x)));
        let paren = i
            .checked_sub(1)
            .is_some_and(|p| self.is_punct(p, "(") || self.is_punct(p, "["))
            && (self.is_punct(next, ")") || self.is_punct(next, "]") || self.is_punct(next, ","));
        // `between 1200 and …`, `from 1200 to …`: only a whole range counts (`open_range`).
        let opens_range = self.prev_word(i).is_some_and(|w| {
            self.lang
                .range_open
                .iter()
                .any(|x| w.eq_ignore_ascii_case(x))
        }) && self.word_in(next, self.lang.range_join);
        if opens_range {
            return false;
        }
        // Alone in its piece: a heading `## 1949`, a table cell.
        let alone = i == 0 && next >= self.t.len();
        (intro && self.next_ok(next)) || paren || alone
    }

    /// `the 1940s`, `1940's`.
    pub(super) fn decade(&self, i: usize) -> Option<(Raw, usize)> {
        let n = self.num(i)?;
        if n.len() != 4 || !n.ends_with('0') || n.ends_with("00") || !self.num_start_ok(i) {
            return None;
        }
        let y: i32 = n.parse().ok()?;
        if !(1000..=2100).contains(&y) {
            return None;
        }
        let mut j = i + 1;
        if (self.is_punct(j, "'") || self.is_punct(j, "’")) && self.adj(j) {
            j += 1;
        }
        if !(self.adj(j) && self.word(j) == Some("s")) {
            return None;
        }
        let raw = Raw::new(
            Span::new(self.start(i), self.end(j)),
            V::Decade { y },
            None,
            YearSrc::Written(Span::new(self.start(i), self.end(i))),
        );
        Some((raw, j + 1))
    }

    pub(super) fn bare_year(&self, i: usize) -> Option<(Raw, usize)> {
        if !self.num_start_ok(i) {
            return None;
        }
        let (y, sp, next) = self.year4(i)?;
        if self.dash(next) || !self.year_context(i, next) {
            return None;
        }
        Some((
            Raw::new(sp, V::Year { y }, None, YearSrc::Written(sp)),
            next,
        ))
    }

    /// `in August`, `by May`: a month name after a preposition; its year carried back
    /// from `… and (again) in September 1949`, or left to infer.
    pub(super) fn bare_month(&self, i: usize) -> Option<(Raw, usize)> {
        let (m, form, j) = self.month(i)?;
        // Abbreviations and capitals (`MAY`) need a day or a year.
        if form == MonthForm::Abbrev || self.lang.month(self.s(i)).is_none() {
            return None;
        }
        let prev = self.prev_word(i)?;
        let ok = [
            "in",
            "since",
            "until",
            "till",
            "by",
            "during",
            "before",
            "after",
            "from",
            "through",
            "throughout",
            "early",
            "late",
            "mid",
        ]
        .iter()
        .any(|w| prev.eq_ignore_ascii_case(w));
        if !ok || self.stray_number(j) || self.is_punct(i.wrapping_sub(1), "-") {
            return None;
        }
        let span = Span::new(self.start(i), self.end(j - 1));
        // Carry-back: `August and again in September 1949`.
        let mut k = j;
        if self.is_punct(k, ",") {
            k += 1;
        }
        if self.word_in(k, self.lang.conjunctions) {
            k += 1;
            if self.word_in(k, self.lang.adverbs) {
                k += 1;
            }
            if self.word_in(k, self.lang.prepositions) {
                k += 1;
            }
            if let Some(s) = self.simple(k)
                && let Some((y, sp, 4)) = s.year
                && s.month >= m
            {
                return Some((
                    Raw::new(span, V::Month { y, m }, None, YearSrc::Carried(sp)),
                    j,
                ));
            }
        }
        Some((
            Raw::new(span, V::Month { y: 0, m }, None, YearSrc::Pending),
            j,
        ))
    }

    /// `from May to August 1949`, `between 1947 and 1949`: the span starts at the first date.
    pub(super) fn open_range(&self, i: usize) -> Option<(Raw, usize)> {
        if !self.word_in(i, self.lang.range_open) {
            return None;
        }
        let a = i + 1;
        // Years.
        if let Some(n) = self.num(a)
            && n.len() == 4
            && self.num_start_ok(a)
        {
            let y1: i32 = n.parse().ok()?;
            let (_, _, j) = self.year4(a)?;
            if !self.word_in(j, self.lang.range_join) {
                return None;
            }
            let (y2, sp, next) = self.second_year(y1, j + 1)?;
            if self.num(j + 1).map(str::len) != Some(4) || !self.next_ok(next) {
                return None;
            }
            let raw = Raw::new(
                Span::new(self.start(a), sp.end),
                V::Year { y: y1 },
                Some(V::Year { y: y2 }),
                YearSrc::Written(sp),
            );
            return Some((raw, next));
        }
        // Month or day-month without a year, then a full date.
        let (start_v, md, j) = if let Some((m, MonthForm::Full { .. }, j)) = self.month(a) {
            // `from October 11 to …`: a day, then the joining word.
            match self.day(j) {
                Some((d, k)) if !self.adj(j) && self.word_in(k, self.lang.range_join) => {
                    (V::Day { y: 0, m, d }, (m, d), k)
                }
                _ => (V::Month { y: 0, m }, (m, 0), j),
            }
        } else {
            let s = self.simple(a)?;
            match s.year {
                None => (s.value(0), s.md(), s.next),
                Some((y, _, 4)) => {
                    // A full date: the second must be full too.
                    if !self.word_in(s.next, self.lang.range_join) {
                        return None;
                    }
                    let s2 = self.simple(s.next + 1)?;
                    let (y2, sp2, _) = s2.year?;
                    if (y2, s2.md()) <= (y, s.md()) || s2.day.is_some() != s.day.is_some() {
                        return None;
                    }
                    let raw = Raw::new(
                        Span::new(s.start, s2.end),
                        s.value(y),
                        Some(s2.value(y2)),
                        YearSrc::Written(sp2),
                    );
                    return Some((raw, s2.next));
                }
                _ => return None,
            }
        };
        if !self.word_in(j, self.lang.range_join) {
            return None;
        }
        let s2 = self.simple(j + 1)?;
        if s2.day.is_some() != matches!(start_v, V::Day { .. }) || md >= s2.md() {
            return None;
        }
        let Some((y, sp, _)) = s2.year else {
            // `The period from October 11 to October 21 has been declared “Soviet-Korean
            // Friendship Week”` (FRUS 1949 VII/2 d279): two days, no year; both ends
            // take the one inferred.
            s2.day?;
            let raw = Raw::new(
                Span::new(self.start(a), s2.end),
                start_v,
                Some(s2.value(0)),
                YearSrc::Pending,
            );
            return Some((raw, s2.next));
        };
        let raw = Raw::new(
            Span::new(self.start(a), s2.end),
            start_v.shift(y),
            Some(s2.value(y)),
            YearSrc::Written(sp),
        );
        Some((raw, s2.next))
    }
}
