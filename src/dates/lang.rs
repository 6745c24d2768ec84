//! Per-language vocabulary of date expressions. English is the only table so far; the
//! recogniser reads every word it needs from here, so another language is a new table.

use jiff::civil::Weekday;

/// How a month name is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MonthForm {
    /// The full name. `ambiguous` when it is also an ordinary word (`May`, `March`):
    /// such names count only beside a day or a year, or after a preposition.
    Full { ambiguous: bool },
    /// An abbreviation (`Jan.`, `Sept.`): counts only beside a day or a year.
    Abbrev,
}

/// A part of a year, as EDTF level 2 sub-year groupings (ISO 8601-2 §4.8).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// `early/mid/late YEAR`, `the beginning/end of YEAR`, seasons, halves, quarters:
    /// the EDTF grouping code (21–24 seasons, 33–36 quarters, 37–39 quadrimesters,
    /// 40–41 semestrals).
    Group(u8),
}

/// Words qualifying a month without changing its EDTF value (`early March 1949`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Qualifier {
    Early,
    Mid,
    Late,
}

impl Qualifier {
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::Early => "early",
            Qualifier::Mid => "mid",
            Qualifier::Late => "late",
        }
    }
}

/// One language's date vocabulary. Words are compared exactly unless said otherwise.
pub struct Lang {
    pub code: &'static str,
    /// Month names as written (capitalised), their number and form.
    pub months: &'static [(&'static str, i8, MonthForm)],
    /// Weekday names and abbreviations as written (capitalised).
    pub weekdays: &'static [(&'static str, Weekday)],
    /// Ordinal suffixes attached to a day number (`5th`), lowercase.
    pub ordinals: &'static [&'static str],
    /// The word between an ordinal day and its month (`the 5th of March`), lowercase.
    pub of: &'static str,
    /// Conjunctions after which a later date's year carries back (`August and September
    /// 1949`), lowercase.
    pub conjunctions: &'static [&'static str],
    /// Adverbs allowed after such a conjunction (`and again in`), lowercase.
    pub adverbs: &'static [&'static str],
    /// Prepositions allowed before the later date (`and again in`), lowercase.
    pub prepositions: &'static [&'static str],
    /// Words after which a bare year or a bare month name is a date (lowercase).
    pub intro: &'static [&'static str],
    /// Words after which a number is a page, a file or an amount, never a year (lowercase,
    /// without a final dot).
    pub not_year_after: &'static [&'static str],
    /// Lowercase words that may follow a year in running prose (function words).
    pub after_year: &'static [&'static str],
    /// Phrases naming a part of a year, lowercase words without the optional leading
    /// article; the phrase is followed by the year.
    pub parts: &'static [(&'static [&'static str], Part)],
    /// First words of part phrases that, before a month, qualify it (`early March 1949`,
    /// `the end of May 1949`), lowercase.
    pub qualifiers: &'static [(&'static str, Qualifier)],
    /// The optional article before a part phrase (`the end of 1949`), lowercase.
    pub article: &'static str,
    /// Words joining two ends of a range after `from`/`between` (lowercase).
    pub range_open: &'static [&'static str],
    pub range_join: &'static [&'static str],
    /// Words that, in a sentence, make it about Russia (for Old/New Style notes).
    pub russian_context: &'static [&'static str],
}

use MonthForm::{Abbrev, Full};

pub static ENGLISH: Lang = Lang {
    code: "en",
    months: &[
        ("January", 1, Full { ambiguous: false }),
        ("February", 2, Full { ambiguous: false }),
        ("March", 3, Full { ambiguous: true }),
        ("April", 4, Full { ambiguous: false }),
        ("May", 5, Full { ambiguous: true }),
        ("June", 6, Full { ambiguous: false }),
        ("July", 7, Full { ambiguous: false }),
        ("August", 8, Full { ambiguous: false }),
        ("September", 9, Full { ambiguous: false }),
        ("October", 10, Full { ambiguous: false }),
        ("November", 11, Full { ambiguous: false }),
        ("December", 12, Full { ambiguous: false }),
        ("Jan", 1, Abbrev),
        ("Feb", 2, Abbrev),
        ("Mar", 3, Abbrev),
        ("Apr", 4, Abbrev),
        ("Jun", 6, Abbrev),
        ("Jul", 7, Abbrev),
        ("Aug", 8, Abbrev),
        ("Sep", 9, Abbrev),
        ("Sept", 9, Abbrev),
        ("Oct", 10, Abbrev),
        ("Nov", 11, Abbrev),
        ("Dec", 12, Abbrev),
    ],
    weekdays: &[
        ("Monday", Weekday::Monday),
        ("Tuesday", Weekday::Tuesday),
        ("Wednesday", Weekday::Wednesday),
        ("Thursday", Weekday::Thursday),
        ("Friday", Weekday::Friday),
        ("Saturday", Weekday::Saturday),
        ("Sunday", Weekday::Sunday),
        ("Mon", Weekday::Monday),
        ("Tue", Weekday::Tuesday),
        ("Tues", Weekday::Tuesday),
        ("Wed", Weekday::Wednesday),
        ("Thu", Weekday::Thursday),
        ("Thur", Weekday::Thursday),
        ("Thurs", Weekday::Thursday),
        ("Fri", Weekday::Friday),
        ("Sat", Weekday::Saturday),
        ("Sun", Weekday::Sunday),
    ],
    ordinals: &["st", "nd", "rd", "th"],
    of: "of",
    conjunctions: &["and", "or"],
    adverbs: &["again", "then", "later", "also", "once", "more"],
    prepositions: &["in", "on", "by", "during"],
    intro: &[
        "in",
        "since",
        "until",
        "till",
        "by",
        "from",
        "during",
        "before",
        "after",
        "circa",
        "c",
        "ca",
        "through",
        "throughout",
        "between",
        "and",
        "or",
        "year",
        "early",
        "late",
    ],
    not_year_after: &[
        "p",
        "pp",
        "page",
        "pages",
        "no",
        "nos",
        "vol",
        "vols",
        "fig",
        "table",
        "art",
        "article",
        "section",
        "chapter",
        "ch",
        "fol",
        "ff",
        "file",
        "files",
        "fond",
        "f",
        "op",
        "opis",
        "d",
        "delo",
        "l",
        "ll",
        "list",
        "doc",
        "document",
        "box",
        "reel",
        "folder",
        "item",
        "number",
        "nr",
        "code",
        "room",
        "route",
        "highway",
        "hill",
        "height",
        "point",
        "regiment",
        "division",
        "brigade",
        "unit",
        "telegram",
        "cable",
        "order",
        "resolution",
        "decree",
        "directive",
        "message",
        "memo",
        "memorandum",
        "report",
        "protocol",
    ],
    after_year: &[
        "the", "a", "an", "and", "or", "but", "when", "while", "as", "he", "she", "it", "they",
        "we", "i", "you", "there", "was", "were", "had", "has", "is", "are", "this", "that",
        "these", "those", "his", "her", "its", "their", "our", "on", "in", "at", "after", "before",
        "until", "during", "with", "without", "for", "from", "by", "of", "onward", "onwards",
        "alone", "only", "also", "again", "however", "then", "nor", "not", "no", "so", "if",
        "because", "through", "against", "which", "who", "whom", "last", "next",
    ],
    parts: &[
        (&["end", "of"], Part::Group(36)),
        (&["close", "of"], Part::Group(36)),
        (&["beginning", "of"], Part::Group(33)),
        (&["start", "of"], Part::Group(33)),
        (&["middle", "of"], Part::Group(38)),
        (&["first", "half", "of"], Part::Group(40)),
        (&["second", "half", "of"], Part::Group(41)),
        (&["latter", "half", "of"], Part::Group(41)),
        (&["first", "quarter", "of"], Part::Group(33)),
        (&["second", "quarter", "of"], Part::Group(34)),
        (&["third", "quarter", "of"], Part::Group(35)),
        (&["fourth", "quarter", "of"], Part::Group(36)),
        (&["last", "quarter", "of"], Part::Group(36)),
        (&["early"], Part::Group(37)),
        (&["mid"], Part::Group(38)),
        (&["late"], Part::Group(39)),
        (&["spring", "of"], Part::Group(21)),
        (&["summer", "of"], Part::Group(22)),
        (&["autumn", "of"], Part::Group(23)),
        (&["fall", "of"], Part::Group(23)),
        (&["winter", "of"], Part::Group(24)),
        (&["spring"], Part::Group(21)),
        (&["summer"], Part::Group(22)),
        (&["autumn"], Part::Group(23)),
        (&["winter"], Part::Group(24)),
    ],
    qualifiers: &[
        ("early", Qualifier::Early),
        ("beginning", Qualifier::Early),
        ("start", Qualifier::Early),
        ("mid", Qualifier::Mid),
        ("middle", Qualifier::Mid),
        ("late", Qualifier::Late),
        ("end", Qualifier::Late),
        ("close", Qualifier::Late),
    ],
    article: "the",
    range_open: &["from", "between"],
    range_join: &["to", "until", "till", "and", "through"],
    russian_context: &[
        "russia",
        "russian",
        "russians",
        "soviet",
        "soviets",
        "ussr",
        "u.s.s.r",
        "moscow",
        "petrograd",
        "petersburg",
        "st. petersburg",
        "leningrad",
        "tsar",
        "tsarist",
        "czar",
        "czarist",
        "kremlin",
        "bolshevik",
        "bolsheviks",
        "romanov",
    ],
};

/// `a == b`, its length and first byte compared in place first: most words asked
/// about are no month or weekday, and fail there.
#[inline]
pub(crate) fn same_word(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes().first() == b.as_bytes().first() && a == b
}

impl Lang {
    /// The month a word names, and how it is written.
    pub fn month(&self, word: &str) -> Option<(i8, MonthForm)> {
        self.months
            .iter()
            .find(|(w, _, _)| same_word(w, word))
            .map(|(_, m, f)| (*m, *f))
    }
    /// A full month name written in capitals (`JUNE`, `DECEMBER`), as in datelines.
    pub fn month_upper(&self, word: &str) -> Option<(i8, MonthForm)> {
        if word.len() < 3 || !word.chars().all(|c| c.is_ascii_uppercase()) {
            return None;
        }
        self.months
            .iter()
            .find(|(w, _, f)| matches!(f, Full { .. }) && w.eq_ignore_ascii_case(word))
            .map(|(_, m, f)| (*m, *f))
    }
    /// The qualifier a part phrase's first word gives a month.
    pub fn qualifier(&self, word: &str) -> Option<Qualifier> {
        self.qualifiers
            .iter()
            .find(|(w, _)| *w == word)
            .map(|(_, q)| *q)
    }
    pub fn weekday(&self, word: &str) -> Option<Weekday> {
        self.weekdays
            .iter()
            .find(|(w, _)| same_word(w, word))
            .map(|(_, d)| *d)
    }
    /// The full name of month `m` (1–12).
    pub fn month_name(&self, m: i8) -> &'static str {
        self.months
            .iter()
            .find(|(_, n, f)| *n == m && matches!(f, Full { .. }))
            .map(|(w, _, _)| *w)
            .unwrap_or("?")
    }
    /// The full name of a weekday.
    pub fn weekday_name(&self, d: Weekday) -> &'static str {
        self.weekdays
            .iter()
            .find(|(_, x)| *x == d)
            .map(|(w, _)| *w)
            .unwrap_or("?")
    }
    /// The abbreviation of a weekday of the given length (3 or 4 letters), if the table has one.
    pub fn weekday_abbrev(&self, d: Weekday, len: usize) -> Option<&'static str> {
        self.weekdays
            .iter()
            .skip(7)
            .find(|(w, x)| *x == d && w.len() == len)
            .map(|(w, _)| *w)
    }
}
