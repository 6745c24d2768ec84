//! The document pass: pending years inferred, three-digit years judged, values written.

use super::{Raw, V, YearSrc};
use crate::dates::{DateMention, Precision, Problem, edtf};
use crate::finding::Span;
use jiff::civil::Date;

/// Infer pending years, decide about three-digit years, and write the values.
pub(super) fn resolve(raws: Vec<Raw>) -> Vec<DateMention> {
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
