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
//! `17 January` (year inferred), `in August and again in September 1949` and `January 6
//! and 7, 1951` (year carried back), `from October 11 to October 21` (one range, year
//! inferred), a bare year after a preposition (`in 1949,`), and the broken `5 March 194`,
//! `31 June 1950`.
//!
//! An inferred year comes from the document's own date when it opens with a dateline
//! and the date stands in another paragraph than the last written year (see
//! `year::own_year_over`), else from the nearest earlier written year outside
//! reference lines, else from the document's date.
//!
//! Never: lowercase month words (`may`, `march`), a bare `May`/`March` without a day or
//! year unless a preposition precedes it, a number that is a page, file or amount
//! (`p. 1949`, `1500 men`), a number inside another (`1949.5`, `A1949`), `38th`.

mod forms;
mod numeric;
mod year;

use super::DateMention;
use super::lang::{self, Lang, Qualifier};
use crate::finding::Span;
use crate::markdown::{BlockKind, MdModel};
use jiff::civil::Weekday;

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
    // Byte by byte where the text is ASCII (nearly all of it, in most transcriptions);
    // a character decoded only where a byte is not. The same tokens as a walk over
    // `char_indices` (`char_tokens`, in the tests), at a third of its cost.
    let bytes = s.as_bytes();
    let kind_at = |i: usize| -> Option<(K, usize, bool)> {
        let b = *bytes.get(i)?;
        if b.is_ascii() {
            let k = if b.is_ascii_digit() {
                K::Num
            } else if b.is_ascii_alphabetic() {
                K::Word
            } else {
                K::Punct
            };
            // `char::is_whitespace` on ASCII: U+0009 to U+000D and the space.
            return Some((k, 1, matches!(b, b'\t'..=b'\r' | b' ')));
        }
        let c = s.get(i..)?.chars().next()?;
        let k = if c.is_alphabetic() { K::Word } else { K::Punct };
        Some((k, c.len_utf8(), c.is_whitespace()))
    };
    let mut gap = true;
    let mut i = 0;
    while let Some((k, len, space)) = kind_at(i) {
        if space {
            gap = true;
            i += len;
            continue;
        }
        let start = i;
        i += len;
        match k {
            K::Num => {
                while bytes.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
            }
            K::Word => loop {
                match bytes.get(i) {
                    Some(b) if b.is_ascii_alphabetic() => i += 1,
                    Some(b) if !b.is_ascii() => match kind_at(i) {
                        Some((K::Word, n, _)) => i += n,
                        _ => break,
                    },
                    _ => break,
                }
            },
            K::Punct => {}
        }
        out.push(Tok {
            k,
            s: piece.start + start,
            e: piece.start + i,
            gap,
        });
        gap = false;
    }
}

const NUMBER_WORDS: &[&str] = &[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
];

/// Nouns that, capitalised after a date, make it a name rather than an event.
const NAME_NOUNS: &[&str] = &[
    "Resolution",
    "Movement",
    "Revolution",
    "Agreement",
    "Declaration",
    "Incident",
    "Uprising",
    "Accord",
    "Accords",
    "Communiqué",
    "Communique",
    "Proclamation",
    "Massacre",
];

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

/// What kind of line a date stands on, for judging it as a source of years.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum LineClass {
    #[default]
    Prose,
    /// A dateline: `Seoul, June 26, 1950—10 a.m.`, `JUNE 24–25, 1950`.
    Dateline,
    /// A source, publication, archival-stamp, file-number or footnote line: its dates
    /// are about the record, not the story, and never lend their year.
    Reference,
}

/// Where a date stands in the document.
#[derive(Clone, Copy, Debug, Default)]
struct Place {
    quote: u8,
    heading: bool,
    class: LineClass,
    /// The start of the block (paragraph, heading, list item) holding the date.
    block: usize,
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
    place: Place,
    /// A year relative to the document's date (`this year` 0, `last year` -1, `two
    /// years ago` -2) and the phrase's span.
    rel: Option<(i32, Span)>,
    /// Part of a name (`the December 12 Resolution`): not an event.
    name: bool,
}

impl Raw {
    /// The raw date moved with its block, from a block starting at `from` to one
    /// starting at `to`.
    fn moved(mut self, from: usize, to: usize) -> Raw {
        self.span = self.span.moved(from, to);
        self.year = match self.year {
            YearSrc::Written(s) => YearSrc::Written(s.moved(from, to)),
            YearSrc::Carried(s) => YearSrc::Carried(s.moved(from, to)),
            YearSrc::Pending => YearSrc::Pending,
        };
        if let Some((_, s)) = &mut self.weekday {
            *s = s.moved(from, to);
        }
        if let Some((_, s)) = &mut self.short_year {
            *s = s.moved(from, to);
        }
        if let Some((_, s)) = &mut self.rel {
            *s = s.moved(from, to);
        }
        self.place.block = self.place.block + to - from;
        self
    }

    fn new(span: Span, a: V, b: Option<V>, year: YearSrc) -> Raw {
        Raw {
            span,
            a,
            b,
            year,
            weekday: None,
            qualifier: None,
            short_year: None,
            place: Place::default(),
            rel: None,
            name: false,
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

/// What [`P::month`] answers at a token: the month, its form and the token after it.
type MonthAt = Option<(i8, lang::MonthForm, usize)>;

struct P<'a> {
    text: &'a str,
    t: &'a [Tok],
    lang: &'a Lang,
    /// The document is Soviet or Russian (its text names Moscow, the USSR…): numeric
    /// dates like `29.8.50` count without a word before them. Decided on first need.
    soviet: &'a Soviet,
    /// Which words can start a date at all (checked before the word lists).
    quick: &'a Quick,
    /// The last answer of [`P::num_start_ok`] (token, answer): the patterns tried at
    /// one number ask it of the same token again and again.
    start_ok: std::cell::Cell<Option<(usize, bool)>>,
    /// The last answers of [`P::month`] and [`P::simple_checked`], likewise.
    month_at: std::cell::Cell<Option<(usize, MonthAt)>>,
    simple_at: std::cell::RefCell<Option<(usize, bool, Option<Simple>)>>,
}

/// The (first byte, length) pairs of the words [`P::candidate`] looks a capitalised or
/// lower-case word up in — months, weekdays, the article, a range's opening words, part
/// phrases' first words — each first byte in both ASCII cases (lengths from 31 on
/// share a slot): a word whose pair is not here is no candidate, without a walk over
/// the lists (every word of every prose block is asked).
struct Quick {
    bits: [u64; 128],
    /// The words [`P::starter_where`] walks (the article, a range's opening words,
    /// part phrases' first words), as one set: looked up, not walked.
    starters: std::collections::HashSet<&'static [u8], foldhash::fast::FixedState>,
    /// The month names as written, with what [`Lang::month`] answers for each (the
    /// table's first entry for a name): looked up, not walked.
    months:
        std::collections::HashMap<&'static str, (i8, lang::MonthForm), foldhash::fast::FixedState>,
}

impl Quick {
    fn new(lang: &Lang) -> Quick {
        let mut q = Quick {
            bits: [0; 128],
            starters: std::iter::once(lang.article)
                .chain(lang.range_open.iter().copied())
                .chain(lang.parts.iter().filter_map(|(ws, _)| ws.first().copied()))
                .map(str::as_bytes)
                .collect(),
            months: Default::default(),
        };
        for &(w, m, form) in lang.months {
            q.months.entry(w).or_insert((m, form));
        }
        let words = lang
            .months
            .iter()
            .map(|(w, _, _)| *w)
            .chain(lang.weekdays.iter().map(|(w, _)| *w))
            .chain(std::iter::once(lang.article))
            .chain(lang.range_open.iter().copied())
            .chain(lang.parts.iter().filter_map(|(ws, _)| ws.first().copied()));
        for w in words {
            if let Some(&b) = w.as_bytes().first() {
                q.set(b.to_ascii_lowercase(), w.len());
                q.set(b.to_ascii_uppercase(), w.len());
            }
        }
        q
    }

    fn slot(b: u8, len: usize) -> usize {
        usize::from(b) * 32 + len.min(31)
    }

    fn set(&mut self, b: u8, len: usize) {
        let i = Quick::slot(b, len);
        if let Some(x) = self.bits.get_mut(i / 64) {
            *x |= 1 << (i % 64);
        }
    }

    /// [`Lang::month`] of `w`.
    fn month(&self, w: &str) -> Option<(i8, lang::MonthForm)> {
        self.months.get(w).copied()
    }

    /// False when `w` is surely none of the words.
    #[inline]
    fn may(&self, w: &str) -> bool {
        let Some(&b) = w.as_bytes().first() else {
            return false;
        };
        let i = Quick::slot(b, w.len());
        self.bits
            .get(i / 64)
            .is_some_and(|x| x >> (i % 64) & 1 == 1)
    }
}

/// Whether the document is Soviet, decided on first need, and whether the block being
/// read asked (then its dates depend on the answer).
#[derive(Default)]
struct Soviet {
    answer: std::cell::OnceCell<bool>,
    asked: std::cell::Cell<bool>,
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
        if let Some((at, ok)) = self.start_ok.get()
            && at == i
        {
            return ok;
        }
        let ok = self.num_start_ok_read(i);
        self.start_ok.set(Some((i, ok)));
        ok
    }

    /// [`P::num_start_ok`], read from the tokens.
    fn num_start_ok_read(&self, i: usize) -> bool {
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
        // The list is lower case: compared without a lowered copy of the word.
        if let Some(w) = self.prev_word(i)
            && self
                .lang
                .not_year_after
                .iter()
                .any(|x| x.eq_ignore_ascii_case(w))
        {
            return false;
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

    /// Worth trying patterns at token `i`?
    fn candidate(&self, i: usize) -> bool {
        match self.kind(i) {
            Some(K::Num) => true,
            Some(K::Word) => {
                let w = self.s(i);
                if !self.quick.may(w) {
                    return false;
                }
                match w.as_bytes().first() {
                    Some(c) if c.is_ascii_uppercase() => {
                        self.quick.month(w).is_some()
                            || self.lang.month_upper(w).is_some()
                            || self.lang.weekday(w).is_some()
                            || self.capital_starter(w)
                    }
                    Some(c) if c.is_ascii_lowercase() => self.lower_starter(w),
                    _ => false,
                }
            }
            _ => false,
        }
    }

    /// See [`P::soviet`].
    fn soviet_document(&self) -> bool {
        self.soviet.asked.set(true);
        *self
            .soviet
            .answer
            .get_or_init(|| year::soviet_document(self.text, self.lang))
    }

    /// `of this year`, `last year`, `of next year` at `i`: the offset, its span and the
    /// token after it.
    fn relative_after(&self, i: usize) -> Option<(i32, Span, usize)> {
        let j = if self.word_is(i, "of") { i + 1 } else { i };
        let by = match self.word(j)?.to_ascii_lowercase().as_str() {
            "this" => 0,
            "last" => -1,
            "next" => 1,
            _ => return None,
        };
        if !self.word_is(j + 1, "year") {
            return None;
        }
        Some((by, Span::new(self.start(i), self.end(j + 1)), j + 2))
    }

    /// `two years ago (on)` before the date starting at token `i`.
    fn relative_before(&self, i: usize) -> Option<(i32, Span)> {
        let mut j = i.checked_sub(1)?;
        if self.word_is(j, "on") {
            j = j.checked_sub(1)?;
        }
        if !self.word_is(j, "ago") {
            return None;
        }
        let y = j.checked_sub(1)?;
        if !self.word_in(y, &["year", "years"]) {
            return None;
        }
        let n = y.checked_sub(1)?;
        let count: i32 = match self.num(n) {
            Some(d) => d.parse().ok().filter(|c| (1..=100).contains(c))?,
            None => {
                let w = self.word(n)?.to_ascii_lowercase();
                let k = NUMBER_WORDS.iter().position(|x| *x == w)?;
                i32::try_from(k).ok()? + 1
            }
        };
        Some((-count, Span::new(self.start(n), self.end(j))))
    }

    /// A capitalised noun after a date makes the date part of a name (`the December 12
    /// Resolution`, `the April 19 Revolution`).
    fn names_after(&self, i: usize) -> bool {
        self.word(i).is_some_and(|w| NAME_NOUNS.contains(&w))
    }

    /// A lowercase word that can begin a date phrase (`the end of`, `early`, `from`).
    fn lower_starter(&self, w: &str) -> bool {
        self.quick.starters.contains(w.as_bytes())
    }

    /// A capitalised word that, lowered, can begin a date phrase (`The end of`).
    fn capital_starter(&self, w: &str) -> bool {
        let mut buf = [0u8; 32];
        match buf.get_mut(..w.len()) {
            Some(l) => {
                l.copy_from_slice(w.as_bytes());
                l.make_ascii_lowercase();
                self.quick.starters.contains(&*l)
            }
            None => self.starter_where(|x| {
                // `x == w.to_ascii_lowercase()`, without the copy.
                x.len() == w.len()
                    && x.bytes()
                        .zip(w.bytes())
                        .all(|(a, b)| a == b.to_ascii_lowercase())
            }),
        }
    }

    /// Whether a word that may start a date (the article, a range's opening word, a
    /// part phrase's first word) is one that `is` says it is.
    fn starter_where(&self, is: impl Fn(&str) -> bool) -> bool {
        is(self.lang.article)
            || self.lang.range_open.iter().any(|x| is(x))
            || self
                .lang
                .parts
                .iter()
                .any(|(words, _)| words.first().is_some_and(|x| is(x)))
    }

    fn at(&self, i: usize) -> Option<(Raw, usize)> {
        self.numeric(i)
            .or_else(|| self.weekday_date(i))
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
    find_in(text, md, lang, None)
}

/// A block's raw dates, relative to the block's start, and the answer to "is the
/// document Soviet?" when reading them asked it.
pub type BlockDates = (Vec<RawDate>, Option<bool>);

/// A date as read in its block, before the document's years are resolved (opaque:
/// what [`find_reusing`] keeps from one version to the next).
#[derive(Clone, Debug)]
pub struct RawDate(Raw);

/// [`find`], each block's raw dates kept in `memo` from one version of the document to
/// the next: an edit re-reads the blocks it touched, then the years of the whole
/// document are resolved again (a cheap pass over the dates). A block's dates depend
/// only on its text, its kind and quote depth, its prose pieces (the key) and, for
/// numeric dates, on whether the document is Soviet: a kept result that asked is used
/// only while the answer is the same.
pub fn find_reusing(
    text: &str,
    md: &MdModel,
    lang: &Lang,
    memo: &crate::memo::ShiftMemo<BlockDates>,
) -> Vec<DateMention> {
    find_in(text, md, lang, Some(memo))
}

/// The raw dates of one block's prose pieces, appended to `out`.
#[allow(clippy::too_many_arguments)] // the block, its language tables and two reused buffers
fn block_dates(
    text: &str,
    block: &crate::markdown::Block,
    pieces: &[Span],
    lang: &Lang,
    soviet: &Soviet,
    quick: &Quick,
    toks: &mut Vec<Tok>,
    out: &mut Vec<Raw>,
) {
    let mut lines = year::LineMemo::default();
    for piece in pieces {
        tokenize(text, *piece, toks);
        let p = P {
            text,
            t: toks,
            lang,
            soviet,
            quick,
            start_ok: std::cell::Cell::new(None),
            month_at: std::cell::Cell::new(None),
            simple_at: std::cell::RefCell::new(None),
        };
        let mut i = 0;
        while i < toks.len() {
            if p.candidate(i)
                && let Some((mut raw, mut next)) = p.at(i)
            {
                raw.place = Place {
                    quote: block.quote_depth,
                    heading: matches!(block.kind, BlockKind::Heading { .. }),
                    class: year::line_class(text, block.content, raw.span, &mut lines),
                    block: block.content.start,
                };
                if raw.year == YearSrc::Pending {
                    if let Some((by, sp, after)) = p.relative_after(next) {
                        raw.rel = Some((by, sp));
                        raw.span.end = sp.end;
                        next = after;
                    } else if let Some(r) = p.relative_before(i) {
                        raw.rel = Some(r);
                    }
                }
                raw.name = p.names_after(next);
                out.push(raw);
                i = next.max(i + 1);
                continue;
            }
            i += 1;
        }
    }
}

fn find_in(
    text: &str,
    md: &MdModel,
    lang: &Lang,
    memo: Option<&crate::memo::ShiftMemo<BlockDates>>,
) -> Vec<DateMention> {
    let mut raws: Vec<Raw> = Vec::new();
    let mut toks = Vec::new();
    let soviet = Soviet::default();
    let quick = Quick::new(lang);
    for block in md.prose_blocks() {
        let pieces = md.prose_pieces(block.content);
        let Some(memo) = memo else {
            block_dates(
                text, block, &pieces, lang, &soviet, &quick, &mut toks, &mut raws,
            );
            continue;
        };
        let heading = matches!(block.kind, BlockKind::Heading { .. });
        let key = crate::memo::BlockKey::new("")
            .num(u64::from(block.quote_depth))
            .num(u64::from(heading))
            .spans(block.content.start, &pieces);
        let compute = |toks: &mut Vec<Tok>| -> BlockDates {
            soviet.asked.set(false);
            let mut v = Vec::new();
            block_dates(text, block, &pieces, lang, &soviet, &quick, toks, &mut v);
            let asked = soviet.asked.get().then(|| soviet.answer.get().copied());
            let at = block.content.start;
            let mut rel: Vec<RawDate> = v.into_iter().map(|r| RawDate(r.moved(at, 0))).collect();
            // Kept until the block changes: no growth slack.
            rel.shrink_to_fit();
            (rel, asked.flatten())
        };
        let at = block.content.start;
        let stale = memo.get_with(
            block.content,
            key.bytes(),
            || compute(&mut toks),
            |kept| {
                if let Some(was) = kept.1 {
                    let now = *soviet
                        .answer
                        .get_or_init(|| year::soviet_document(text, lang));
                    if now != was {
                        return true;
                    }
                }
                raws.extend(kept.0.iter().map(|r| r.0.clone().moved(0, at)));
                false
            },
        );
        if stale {
            // The document became (or stopped being) Soviet: read the block again.
            let kept = compute(&mut toks);
            raws.extend(kept.0.into_iter().map(|r| r.0.moved(0, at)));
        }
    }
    raws.sort_by_key(|r| (r.span.start, r.span.end));
    raws.dedup_by_key(|r| r.span.start);
    let doc = year::document_date(text, md, &raws);
    year::resolve(raws, doc)
}

#[cfg(test)]
mod tokens_tests;

#[cfg(test)]
mod quick_tests {
    use super::*;

    /// The one-word entries of a language's lists: months, weekdays, the article and
    /// the words that open a range (the parts' words are chained by each test).
    fn single_words(lang: &'static crate::dates::lang::Lang) -> impl Iterator<Item = &'static str> {
        lang.months
            .iter()
            .map(|(w, _, _)| *w)
            .chain(lang.weekdays.iter().map(|(w, _)| *w))
            .chain([lang.article])
            .chain(lang.range_open.iter().copied())
    }

    /// The quick test lets through every word the lists hold, as written, with a
    /// capital and in capitals; and stops words of other shapes.
    #[test]
    fn quick_lets_every_listed_word_through() {
        let lang = &crate::dates::lang::ENGLISH;
        let q = Quick::new(lang);
        let words =
            single_words(lang).chain(lang.parts.iter().filter_map(|(ws, _)| ws.first().copied()));
        let mut n = 0;
        for w in words {
            let mut capital = w.to_string();
            if let Some(f) = capital.get_mut(..1) {
                f.make_ascii_uppercase();
            }
            for form in [
                w.to_string(),
                capital,
                w.to_ascii_uppercase(),
                w.to_ascii_lowercase(),
            ] {
                assert!(q.may(&form), "{form}");
            }
            n += 1;
        }
        assert!(n > 30);
        for w in ["", "x", "Xylophone", "qq", "zebra"] {
            assert!(!q.may(w), "{w}");
        }
    }

    /// The sets answer as the walks over the lists they replace, for every listed
    /// word in its cases and for words that are none.
    #[test]
    fn sets_answer_as_the_lists() {
        let lang = &crate::dates::lang::ENGLISH;
        let quick = Quick::new(lang);
        let soviet = Soviet::default();
        let p = P {
            text: "",
            t: &[],
            lang,
            soviet: &soviet,
            quick: &quick,
            start_ok: std::cell::Cell::new(None),
            month_at: std::cell::Cell::new(None),
            simple_at: std::cell::RefCell::new(None),
        };
        let listed =
            single_words(lang).chain(lang.parts.iter().flat_map(|(ws, _)| ws.iter().copied()));
        let others = ["", "Thex", "x", "İn", "\u{212A}", "THE"];
        let words: Vec<String> = listed
            .chain(others)
            .map(String::from)
            .chain(["a".repeat(40)])
            .collect();
        let mut n = 0;
        for w in &words {
            let mut capital = w.to_string();
            if let Some(f) = capital.get_mut(..1) {
                f.make_ascii_uppercase();
            }
            for form in [w.to_string(), capital, w.to_ascii_uppercase()] {
                let f = form.as_str();
                assert_eq!(quick.month(f), lang.month(f), "{f}");
                assert_eq!(
                    p.lower_starter(f),
                    p.starter_where(|x| crate::dates::lang::same_word(x, f)),
                    "{f}"
                );
                assert_eq!(
                    p.capital_starter(f),
                    p.starter_where(|x| x.as_bytes() == f.to_ascii_lowercase().as_bytes()),
                    "{f}"
                );
            }
            n += 1;
        }
        assert!(n > 40);
    }
}
