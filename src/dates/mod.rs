//! Dates as historians write them, recognised in prose and normalised to EDTF
//! (ISO 8601-2). See [`edtf`] for the value choices, [`recognize`] for what is read.
//!
//! Recognition is precision-first: a bare year or a bare month name counts only where
//! the words around it make it a date; anything inside code, URLs, link destinations,
//! HTML or front matter is never read.

use crate::finding::Span;
use crate::markdown::MdModel;
use jiff::civil::{Date, Weekday};

pub mod calendar;
pub mod edtf;
pub mod lang;
pub mod recognize;

/// How precise a recognised date is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Precision {
    Day,
    Month,
    /// A part of a year: a season, a quarter, `early/mid/late`, a half.
    Season,
    Year,
    Decade,
    /// Two dates and the time between them.
    Range,
}

impl Precision {
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Day => "day",
            Precision::Month => "month",
            Precision::Season => "season",
            Precision::Year => "year",
            Precision::Decade => "decade",
            Precision::Range => "range",
        }
    }
}

/// What is wrong with a written date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The day does not exist in that month (`31 June 1950`, `29 February 1949`).
    InvalidDay {
        year: i32,
        month: i8,
        day: i8,
        days_in_month: i8,
    },
    /// The year has fewer digits than the document's other years (`5 March 194`).
    YearCutShort {
        /// The digits as written.
        written: String,
        /// The year's span.
        span: Span,
        /// The document's four-digit years starting with these digits, nearest first:
        /// the previous one and the next one around this date, when they exist.
        previous: Option<i32>,
        next: Option<i32>,
    },
}

/// A date expression found in prose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateMention {
    pub span: Span,
    /// EDTF (ISO 8601-2) value, e.g. `1949-03-05`, `1949-05/1949-08`, `1950?-01-17`.
    pub edtf: String,
    pub precision: Precision,
    /// First and last day covered; `None` when the date is broken or has no year.
    pub start: Option<Date>,
    pub end: Option<Date>,
    /// The year was not written with this date: taken from the nearest preceding
    /// explicit year of the document (`year_from`).
    pub inferred_year: bool,
    /// Where the year came from when it is not written in the expression itself: a
    /// later date of the same phrase (`August and September 1949`) or, when
    /// `inferred_year`, an earlier date of the document.
    pub year_from: Option<Span>,
    /// The weekday written with the date (`Sunday, 25 June 1950`) and its span.
    pub written_weekday: Option<Weekday>,
    pub weekday_span: Option<Span>,
    /// `early`, `mid`, `late`: said of a month (`early March 1949`), kept out of the value.
    pub qualifier: Option<lang::Qualifier>,
    pub problem: Option<Problem>,
    /// Where an unwritten year came from (`None` when the year is written here or
    /// carried from the same phrase).
    pub year_source: Option<YearSource>,
    /// The inferred year was moved back one year so as not to fall after the document's
    /// own date (`December 12` in a document dated 26 June 1949 is December 1948).
    pub year_stepped_back: bool,
    /// The date is part of a name (`the December 12 Resolution`): not an event.
    pub in_name: bool,
}

/// Where an unwritten year came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum YearSource {
    /// The document's own dateline (`Seoul, June 26, 1950—10 a.m.`): the year's span.
    Dateline(Span),
    /// The front matter's `date:` (its value as written).
    FrontMatter(String),
    /// A phrase counted from the document's date (`this year`, `two years ago`): its span.
    Relative(Span),
    /// The nearest earlier written year of the document (a date, a heading): its span.
    Earlier(Span),
}

impl DateMention {
    /// True when the date stands for one known day.
    pub fn is_day(&self) -> bool {
        self.precision == Precision::Day && self.start.is_some() && self.start == self.end
    }
}

/// Every date in the prose of `text`, in document order.
/// A day written out as a reader expects it: `25 June 1950`.
pub fn long_date(d: Date) -> String {
    format!(
        "{} {} {}",
        d.day(),
        lang::ENGLISH.month_name(d.month()),
        d.year()
    )
}

pub fn find(text: &str, md: &MdModel) -> Vec<DateMention> {
    recognize::find(text, md, &lang::ENGLISH)
}

/// [`find`], keeping each block's dates in `memo` for the next version of the document
/// ([`recognize::find_reusing`]).
pub fn find_reusing(
    text: &str,
    md: &MdModel,
    memo: &crate::memo::ShiftMemo<recognize::BlockDates>,
) -> Vec<DateMention> {
    recognize::find_reusing(text, md, &lang::ENGLISH, memo)
}

/// The date mention touching byte `offset`, if any.
pub fn mention_at(dates: &[DateMention], offset: usize) -> Option<&DateMention> {
    let i = dates.partition_point(|d| d.span.end < offset);
    dates.get(i).filter(|d| d.span.touches(offset))
}

#[cfg(test)]
mod archival_tests;
#[cfg(test)]
mod tests;
