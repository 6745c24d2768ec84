//! The recogniser: tokens of each prose piece, then date patterns tried at each token,
//! longest first; then a document pass that infers missing years and sorts out years
//! cut short.
//!
//! What is read (English table, see [`super::lang`]):
//! `5 March 1949`, `5th March 1949`, `the 5th of March 1949`, `March 5, 1949`,
//! `1949-03-05`, `1949-03`, `March 1949`, `Sunday, 25 June 1950`, `24-25 July 1995`,
//! `24 July-2 August 1995`, `July 24-25, 1995`, `May-August 1949`, `1947-1948`,
//! `1947–48`, `December 1949-January 1950`, `from May to August 1949`, `between 1947 and
//! 1949`, `the end of 1949`, `early 1950`, `mid-1950`, `the spring of 1950`, `the 1940s`,
//! `17 January` (year inferred), `in August and again in September 1949` (year carried
//! back), a bare year after a preposition (`in 1949,`), and the broken `5 March 194`,
//! `31 June 1950`.
//!
//! Never: lowercase month words (`may`, `march`), a bare `May`/`March` without a day or
//! year unless a preposition precedes it, a number that is a page, file or amount
//! (`p. 1949`, `1500 men`), a number inside another (`1949.5`, `A1949`), `38th`.

use super::lang::{Lang, MonthForm, Part, Qualifier};
use super::{DateMention, Precision, Problem, edtf};
use crate::finding::Span;
use crate::markdown::MdModel;
use jiff::civil::{Date, Weekday};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum K {
    Word,
    Num,
    Punct,
}

#[derive(Clone, Copy, Debug)]
struct Tok {
    k: K,
    s: usize,
    e: usize,
    /// Whitespace (or the piece's start) before this token.
    gap: bool,
}

fn tokenize(text: &str, piece: Span, out: &mut Vec<Tok>) {
    out.clear();
    let Some(s) = text.get(piece.start..piece.end) else {
        return;
    };
    let mut gap = true;
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if c.is_whitespace() {
            gap = true;
            continue;
        }
        let k = if c.is_ascii_digit() {
            K::Num
        } else if c.is_alphabetic() {
            K::Word
        } else {
            K::Punct
        };
        let mut end = i + c.len_utf8();
        if k != K::Punct {
            while let Some(&(j, d)) = it.peek() {
                let same = match k {
                    K::Num => d.is_ascii_digit(),
                    _ => d.is_alphabetic(),
                };
                if !same {
                    break;
                }
                end = j + d.len_utf8();
                it.next();
            }
        }
        out.push(Tok {
            k,
            s: piece.start + i,
            e: piece.start + end,
            gap,
        });
        gap = false;
    }
}

/// A date value whose year may still be relative (pending inference: the year is an
/// offset from the year to be found, 0 or -1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum V {
    Day { y: i32, m: i8, d: i8 },
    Month { y: i32, m: i8 },
    Year { y: i32 },
    Decade { y: i32 },
    Group { y: i32, code: u8 },
}

impl V {
    fn year(self) -> i32 {
        match self {
            V::Day { y, .. }
            | V::Month { y, .. }
            | V::Year { y }
            | V::Decade { y }
            | V::Group { y, .. } => y,
        }
    }
    fn shift(self, by: i32) -> V {
        match self {
            V::Day { y, m, d } => V::Day { y: y + by, m, d },
            V::Month { y, m } => V::Month { y: y + by, m },
            V::Year { y } => V::Year { y: y + by },
            V::Decade { y } => V::Decade { y: y + by },
            V::Group { y, code } => V::Group { y: y + by, code },
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum YearSrc {
    /// Written in the expression; the span of the (last) year.
    Written(Span),
    /// Written in a later date of the same phrase.
    Carried(Span),
    /// To be inferred from the document.
    Pending,
}

#[derive(Clone, Debug)]
struct Raw {
    span: Span,
    a: V,
    b: Option<V>,
    year: YearSrc,
    weekday: Option<(Weekday, Span)>,
    qualifier: Option<Qualifier>,
    /// A three-digit year after a day and month: the digits and their span.
    short_year: Option<(String, Span)>,
}

impl Raw {
    fn new(span: Span, a: V, b: Option<V>, year: YearSrc) -> Raw {
        Raw {
            span,
            a,
            b,
            year,
            weekday: None,
            qualifier: None,
            short_year: None,
        }
    }
}

/// A day, month and maybe year read at one place.
#[derive(Clone, Debug)]
struct Simple {
    start: usize,
    end: usize,
    next: usize,
    day: Option<i8>,
    month: i8,
    /// Value, span, number of digits.
    year: Option<(i32, Span, usize)>,
}

impl Simple {
    fn value(&self, y: i32) -> V {
        match self.day {
            Some(d) => V::Day {
                y,
                m: self.month,
                d,
            },
            None => V::Month { y, m: self.month },
        }
    }
    /// Month and day for ordering within a year (day 0 for a month).
    fn md(&self) -> (i8, i8) {
        (self.month, self.day.unwrap_or(0))
    }
}

struct P<'a> {
    text: &'a str,
    t: &'a [Tok],
    lang: &'a Lang,
}

impl<'a> P<'a> {
    fn s(&self, i: usize) -> &'a str {
        self.t
            .get(i)
            .and_then(|t| self.text.get(t.s..t.e))
            .unwrap_or("")
    }
    fn kind(&self, i: usize) -> Option<K> {
        self.t.get(i).map(|t| t.k)
    }
    fn word(&self, i: usize) -> Option<&'a str> {
        (self.kind(i)? == K::Word).then(|| self.s(i))
    }
    fn num(&self, i: usize) -> Option<&'a str> {
        (self.kind(i)? == K::Num).then(|| self.s(i))
    }
    fn punct(&self, i: usize) -> Option<&'a str> {
        (self.kind(i)? == K::Punct).then(|| self.s(i))
    }
    fn is_punct(&self, i: usize, c: &str) -> bool {
        self.punct(i) == Some(c)
    }
    /// Token `i` exists and touches the previous one.
    fn adj(&self, i: usize) -> bool {
        self.t.get(i).is_some_and(|t| !t.gap)
    }
    fn start(&self, i: usize) -> usize {
        self.t.get(i).map(|t| t.s).unwrap_or(0)
    }
    fn end(&self, i: usize) -> usize {
        self.t.get(i).map(|t| t.e).unwrap_or(0)
    }
    fn word_is(&self, i: usize, w: &str) -> bool {
        self.word(i).is_some_and(|x| x.eq_ignore_ascii_case(w))
    }
    fn word_in(&self, i: usize, list: &[&str]) -> bool {
        self.word(i)
            .is_some_and(|x| list.iter().any(|w| x.eq_ignore_ascii_case(w)))
    }
    /// The word before token `i`, skipping one abbreviation dot (`p. 1949`).
    fn prev_word(&self, i: usize) -> Option<&'a str> {
        let p = i.checked_sub(1)?;
        if let Some(w) = self.word(p) {
            return Some(w);
        }
        if self.is_punct(p, ".") && self.adj(p) {
            return self.word(p.checked_sub(1)?);
        }
        None
    }
    /// A number starting at `i` is not glued to something before it (`A1949`, `1.5`,
    /// `3/5`) and does not follow a page/file/amount word.
    fn num_start_ok(&self, i: usize) -> bool {
        if self.adj(i)
            && let Some(p) = i.checked_sub(1)
        {
            match self.kind(p) {
                Some(K::Word) | Some(K::Num) => return false,
                Some(K::Punct) => {
                    let c = self.s(p);
                    if matches!(
                        c,
                        "." | ","
                            | ":"
                            | "/"
                            | "-"
                            | "–"
                            | "#"
                            | "$"
                            | "£"
                            | "€"
                            | "№"
                            | "§"
                            | "+"
                            | "'"
                            | "’"
                    ) {
                        return false;
                    }
                }
                None => {}
            }
        }
        if let Some(w) = self.prev_word(i) {
            let lw = w.to_ascii_lowercase();
            if self.lang.not_year_after.contains(&lw.as_str()) {
                return false;
            }
        }
        true
    }
    /// A number ending before token `i` is not continued (`1949.5`, `1949th`, `1949/50`,
    /// `1949%`, `1949 BC`).
    fn num_end_ok(&self, i: usize) -> bool {
        if self.adj(i) {
            match self.kind(i) {
                Some(K::Word) | Some(K::Num) => return false,
                Some(K::Punct) => {
                    let c = self.s(i);
                    if c == "%" || c == "/" {
                        return false;
                    }
                    if matches!(c, "." | "," | ":" | "-" | "–")
                        && self.adj(i + 1)
                        && self.kind(i + 1) == Some(K::Num)
                    {
                        return false;
                    }
                }
                None => {}
            }
        }
        !self.word_in(i, &["BC", "BCE", "B"])
    }
    /// What follows a bare year fits a date: punctuation, the end, a capitalised word or
    /// a function word.
    fn next_ok(&self, i: usize) -> bool {
        match self.kind(i) {
            None => true,
            Some(K::Punct) => !matches!(self.s(i), "%" | "$" | "£" | "€"),
            Some(K::Num) => false,
            Some(K::Word) => {
                let w = self.s(i);
                w.chars().next().is_some_and(char::is_uppercase)
                    || self
                        .lang
                        .after_year
                        .iter()
                        .any(|x| w.eq_ignore_ascii_case(x))
            }
        }
    }

    // ---- atoms ----

    /// A day number 1–31 with an optional ordinal suffix.
    fn day(&self, i: usize) -> Option<(i8, usize)> {
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
    fn month(&self, i: usize) -> Option<(i8, MonthForm, usize)> {
        let w = self.word(i)?;
        let (m, form) = self.lang.month(w)?;
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

    /// A four-digit year 1000–2100.
    fn year4(&self, i: usize) -> Option<(i32, Span, usize)> {
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
    fn year_after_day(&self, i: usize) -> Option<(i32, Span, usize)> {
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
    fn stray_number(&self, i: usize) -> bool {
        self.kind(i) == Some(K::Num)
    }

    fn simple(&self, i: usize) -> Option<Simple> {
        self.simple_checked(i, true)
    }

    /// The second date of a range, after a dash: no check of what precedes it.
    fn simple_after_dash(&self, i: usize) -> Option<Simple> {
        self.simple_checked(i, false)
    }

    fn simple_checked(&self, i: usize, check_start: bool) -> Option<Simple> {
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
        let (m, form, j) = self.month(i)?;
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
            // `June 5 divisions`: a count, not a day.
            if !self.next_ok(k)
                || (matches!(form, MonthForm::Full { ambiguous: true })
                    && self.kind(k) == Some(K::Word))
            {
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
    fn iso(&self, i: usize) -> Option<Simple> {
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
    fn dash(&self, i: usize) -> bool {
        match self.punct(i) {
            Some("-") => self.adj(i) && self.adj(i + 1),
            Some("–") => true,
            _ => false,
        }
    }

    // ---- patterns ----

    fn weekday_date(&self, i: usize) -> Option<(Raw, usize)> {
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

    fn part(&self, i: usize) -> Option<(Raw, usize)> {
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
    fn day_range(&self, i: usize) -> Option<(Raw, usize)> {
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
    fn range_of(&self, i: usize, start_v: V, s: &Simple, start_md: (i8, i8)) -> (Raw, usize) {
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
    fn month_range(&self, i: usize) -> Option<(Raw, usize)> {
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
    fn dated(&self, i: usize) -> Option<(Raw, usize)> {
        let s = self.simple(i)?;
        let Some((y, sp, digits)) = s.year else {
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
    fn second_year(&self, y1: i32, i: usize) -> Option<(i32, Span, usize)> {
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
    fn year_range(&self, i: usize) -> Option<(Raw, usize)> {
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
    fn year_context(&self, i: usize, next: usize) -> bool {
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
    fn decade(&self, i: usize) -> Option<(Raw, usize)> {
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

    fn bare_year(&self, i: usize) -> Option<(Raw, usize)> {
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
    fn bare_month(&self, i: usize) -> Option<(Raw, usize)> {
        let (m, form, j) = self.month(i)?;
        if form == MonthForm::Abbrev {
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
    fn open_range(&self, i: usize) -> Option<(Raw, usize)> {
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
            (V::Month { y: 0, m }, (m, 0), j)
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
        let (y, sp, _) = s2.year?;
        if s2.day.is_some() != matches!(start_v, V::Day { .. }) || md >= s2.md() {
            return None;
        }
        let raw = Raw::new(
            Span::new(self.start(a), s2.end),
            start_v.shift(y),
            Some(s2.value(y)),
            YearSrc::Written(sp),
        );
        Some((raw, s2.next))
    }

    /// Worth trying patterns at token `i`?
    fn candidate(&self, i: usize) -> bool {
        match self.kind(i) {
            Some(K::Num) => true,
            Some(K::Word) => {
                let w = self.s(i);
                match w.as_bytes().first() {
                    Some(c) if c.is_ascii_uppercase() => {
                        self.lang.month(w).is_some()
                            || self.lang.weekday(w).is_some()
                            || self.lower_starter(&w.to_ascii_lowercase())
                    }
                    Some(c) if c.is_ascii_lowercase() => self.lower_starter(w),
                    _ => false,
                }
            }
            _ => false,
        }
    }

    /// A lowercase word that can begin a date phrase (`the end of`, `early`, `from`).
    fn lower_starter(&self, w: &str) -> bool {
        w == self.lang.article
            || self.lang.range_open.contains(&w)
            || self
                .lang
                .parts
                .iter()
                .any(|(words, _)| words.first() == Some(&w))
    }

    fn at(&self, i: usize) -> Option<(Raw, usize)> {
        self.weekday_date(i)
            .or_else(|| self.part(i))
            .or_else(|| self.open_range(i))
            .or_else(|| self.day_range(i))
            .or_else(|| self.month_range(i))
            .or_else(|| self.year_range(i))
            .or_else(|| self.dated(i))
            .or_else(|| self.decade(i))
            .or_else(|| self.bare_year(i))
            .or_else(|| self.bare_month(i))
    }
}

/// Every date of `text`'s prose, in order.
pub fn find(text: &str, md: &MdModel, lang: &Lang) -> Vec<DateMention> {
    let mut raws: Vec<Raw> = Vec::new();
    let mut toks = Vec::new();
    for block in md.prose_blocks() {
        for piece in md.prose_pieces(block.content) {
            tokenize(text, piece, &mut toks);
            let p = P {
                text,
                t: &toks,
                lang,
            };
            let mut i = 0;
            while i < toks.len() {
                if p.candidate(i)
                    && let Some((raw, next)) = p.at(i)
                {
                    raws.push(raw);
                    i = next.max(i + 1);
                    continue;
                }
                i += 1;
            }
        }
    }
    raws.sort_by_key(|r| (r.span.start, r.span.end));
    raws.dedup_by_key(|r| r.span.start);
    resolve(raws)
}

/// Infer pending years, decide about three-digit years, and write the values.
fn resolve(raws: Vec<Raw>) -> Vec<DateMention> {
    // Four-digit years written in the document, in order, for cut-short years.
    let written: Vec<(usize, i32)> = raws
        .iter()
        .filter(|r| r.short_year.is_none())
        .filter_map(|r| match r.year {
            YearSrc::Written(sp) if sp.len() == 4 => {
                Some((r.span.start, r.b.unwrap_or(r.a).year()))
            }
            _ => None,
        })
        .collect();
    let mut out = Vec::with_capacity(raws.len());
    let mut last_year: Option<(i32, Span)> = None;
    for r in raws {
        let mut m = DateMention {
            span: r.span,
            edtf: String::new(),
            precision: Precision::Day,
            start: None,
            end: None,
            inferred_year: false,
            year_from: None,
            written_weekday: r.weekday.map(|w| w.0),
            weekday_span: r.weekday.map(|w| w.1),
            qualifier: r.qualifier,
            problem: None,
        };
        if let Some((digits, sp)) = &r.short_year {
            let prefix_matches = |y: &i32| y.to_string().starts_with(digits.as_str());
            let previous = written
                .iter()
                .rev()
                .find(|(at, y)| *at < r.span.start && prefix_matches(y))
                .map(|x| x.1);
            let next = written
                .iter()
                .find(|(at, y)| *at > r.span.start && prefix_matches(y))
                .map(|x| x.1);
            if previous.is_some() || next.is_some() {
                let (mo, d) = match r.b.unwrap_or(r.a) {
                    V::Day { m, d, .. } => (m, d),
                    _ => (1, 1),
                };
                m.precision = if r.b.is_some() {
                    Precision::Range
                } else {
                    Precision::Day
                };
                m.edtf = format!("{digits}X-{mo:02}-{d:02}");
                m.problem = Some(Problem::YearCutShort {
                    written: digits.clone(),
                    span: *sp,
                    previous,
                    next,
                });
                out.push(m);
                continue;
            }
        }
        let (a, b, uncertain) = match r.year {
            YearSrc::Written(sp) => {
                last_year = Some((r.b.unwrap_or(r.a).year(), sp));
                (r.a, r.b, false)
            }
            YearSrc::Carried(sp) => {
                m.year_from = Some(sp);
                (r.a, r.b, false)
            }
            YearSrc::Pending => match last_year {
                Some((y, sp)) => {
                    m.inferred_year = true;
                    m.year_from = Some(sp);
                    (r.a.shift(y), r.b.map(|b| b.shift(y)), true)
                }
                None => {
                    unknown_year(&mut m, r.a, r.b);
                    out.push(m);
                    continue;
                }
            },
        };
        let va = value(a, uncertain);
        let vb = b.map(|b| value(b, uncertain));
        match (&va, &vb) {
            (Ok(x), None) => {
                m.edtf = x.0.clone();
                m.start = Some(x.1);
                m.end = Some(x.2);
                m.precision = x.3;
            }
            (Ok(x), Some(Ok(y))) => {
                m.edtf = format!("{}/{}", x.0, y.0);
                m.start = Some(x.1);
                m.end = Some(y.2);
                m.precision = Precision::Range;
            }
            _ => {
                let ed = |r: &Result<Value, (String, Problem)>| match r {
                    Ok(x) => x.0.clone(),
                    Err(x) => x.0.clone(),
                };
                m.edtf = match &vb {
                    Some(vb) => format!("{}/{}", ed(&va), ed(vb)),
                    None => ed(&va),
                };
                m.precision = if vb.is_some() {
                    Precision::Range
                } else {
                    kind_precision(a)
                };
                m.problem = [Some(va), vb]
                    .into_iter()
                    .flatten()
                    .find_map(|r| r.err())
                    .map(|e| e.1);
            }
        }
        out.push(m);
    }
    out
}

fn kind_precision(v: V) -> Precision {
    match v {
        V::Day { .. } => Precision::Day,
        V::Month { .. } => Precision::Month,
        V::Year { .. } => Precision::Year,
        V::Decade { .. } => Precision::Decade,
        V::Group { .. } => Precision::Season,
    }
}

/// A date whose year the document never gives: `XXXX-01-17`.
fn unknown_year(m: &mut DateMention, a: V, b: Option<V>) {
    let one = |v: V| match v {
        V::Day { m, d, .. } => format!("XXXX-{m:02}-{d:02}"),
        V::Month { m, .. } => format!("XXXX-{m:02}"),
        _ => "XXXX".to_string(),
    };
    m.precision = match (a, b) {
        (_, Some(_)) => Precision::Range,
        (V::Day { .. }, None) => Precision::Day,
        _ => Precision::Month,
    };
    m.edtf = match b {
        Some(b) => format!("{}/{}", one(a), one(b)),
        None => one(a),
    };
}

type Value = (String, Date, Date, Precision);

/// The EDTF value, bounds and precision of one date; `Err` with the best EDTF we can
/// still write and the problem when the date cannot exist.
fn value(v: V, uncertain: bool) -> Result<Value, (String, Problem)> {
    let y16 = |y: i32| i16::try_from(y).ok().filter(|y| (-9999..=9999).contains(y));
    match v {
        V::Day { y, m, d } => {
            let Some(yy) = y16(y) else {
                return Err((
                    edtf::day(y, m, d, uncertain),
                    Problem::InvalidDay {
                        year: y,
                        month: m,
                        day: d,
                        days_in_month: 0,
                    },
                ));
            };
            match Date::new(yy, m, d) {
                Ok(date) => Ok((edtf::day(y, m, d, uncertain), date, date, Precision::Day)),
                Err(_) => {
                    let dim = Date::new(yy, m, 1).map(|x| x.days_in_month()).unwrap_or(0);
                    Err((
                        format!("{}-XX", edtf::month(y, m, uncertain)),
                        Problem::InvalidDay {
                            year: y,
                            month: m,
                            day: d,
                            days_in_month: dim,
                        },
                    ))
                }
            }
        }
        V::Month { y, m } => {
            let first = y16(y).and_then(|yy| Date::new(yy, m, 1).ok());
            match first {
                Some(f) => Ok((
                    edtf::month(y, m, uncertain),
                    f,
                    f.last_of_month(),
                    Precision::Month,
                )),
                None => Err((
                    edtf::month(y, m, uncertain),
                    Problem::InvalidDay {
                        year: y,
                        month: m,
                        day: 1,
                        days_in_month: 0,
                    },
                )),
            }
        }
        V::Year { y } => match y16(y)
            .and_then(|yy| Some((Date::new(yy, 1, 1).ok()?, Date::new(yy, 12, 31).ok()?)))
        {
            Some((a, b)) => Ok((edtf::year(y, uncertain), a, b, Precision::Year)),
            None => Err((
                edtf::year(y, uncertain),
                Problem::InvalidDay {
                    year: y,
                    month: 1,
                    day: 1,
                    days_in_month: 0,
                },
            )),
        },
        V::Decade { y } => {
            let s = edtf::year(y, false);
            let e = format!("{}X", s.get(..3).unwrap_or("XXX"));
            match y16(y).and_then(|yy| {
                Some((
                    Date::new(yy, 1, 1).ok()?,
                    Date::new(yy.checked_add(9)?, 12, 31).ok()?,
                ))
            }) {
                Some((a, b)) => Ok((e, a, b, Precision::Decade)),
                None => Err((
                    e,
                    Problem::InvalidDay {
                        year: y,
                        month: 1,
                        day: 1,
                        days_in_month: 0,
                    },
                )),
            }
        }
        V::Group { y, code } => match edtf::group_bounds(y, code) {
            Some((a, b)) => Ok((edtf::group(y, code, uncertain), a, b, Precision::Season)),
            None => Err((
                edtf::group(y, code, uncertain),
                Problem::InvalidDay {
                    year: y,
                    month: 1,
                    day: 1,
                    days_in_month: 0,
                },
            )),
        },
    }
}
