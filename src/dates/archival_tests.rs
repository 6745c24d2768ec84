//! Archival documents (FRUS telegrams, translated Soviet telegrams, Truman's and
//! Acheson's statements): years from the right place, and the forms those documents
//! use. Each case is a document, the date wanted (its surface, or `-` for none) and
//! where its year comes from.

use super::*;
use crate::ide::date::hover;
use crate::ide::timeline;

/// How a mention's year was found, as the tables write it.
fn source(d: &DateMention) -> &'static str {
    match (&d.year_source, d.year_from) {
        (Some(YearSource::Dateline(_)), _) => "dateline",
        (Some(YearSource::FrontMatter(_)), _) => "front-matter",
        (Some(YearSource::Relative(_)), _) => "relative",
        (Some(YearSource::Earlier(_)), _) => "earlier",
        (None, Some(_)) => "carried",
        (None, None) if d.start.is_some() || d.problem.is_some() => "written",
        _ => "none",
    }
}

/// The mention whose surface is `surface` (or the first containing it).
fn lookup(text: &str, surface: &str) -> Option<(String, String, &'static str, bool, bool)> {
    let ds = find(text, &MdModel::parse(text));
    ds.iter()
        .find(|d| d.span.slice(text) == surface)
        .or_else(|| ds.iter().find(|d| d.span.slice(text).contains(surface)))
        .map(|d| {
            (
                d.span.slice(text).to_string(),
                d.edtf.clone(),
                source(d),
                d.year_stepped_back,
                d.in_name,
            )
        })
}

/// (document, surface, expected EDTF or "-" for no date there, year source).
const YEARS: &[(&str, &str, &str, &str)] = &[
    // The document's own dateline.
    (
        "Seoul, June 26, 1950—10 a.m.\n\nOn June 25 North Korean forces crossed the parallel.",
        "June 25",
        "1950?-06-25",
        "dateline",
    ),
    (
        "Seoul, June 26, 1950—10 a.m.\n\nAt 4 a.m. on June 25 the attack began.",
        "June 26, 1950",
        "1950-06-26",
        "written",
    ),
    (
        "## JUNE 24–25, 1950\n\nOn June 25 the attack began.",
        "JUNE 24–25, 1950",
        "1950-06-24/1950-06-25",
        "written",
    ),
    // Front matter.
    (
        "---\ndate: 1950-06-26\n---\n\nOn June 25 the attack began.",
        "June 25",
        "1950?-06-25",
        "front-matter",
    ),
    (
        "---\ndate: 1949-06-26\n---\n\nThe resolution of December 12 was ignored.",
        "December 12",
        "1948?-12-12",
        "front-matter",
    ),
    (
        "---\ndate: \"1950-04-10\"\n---\n\nOn March 24 Kim visited.",
        "March 24",
        "1950?-03-24",
        "front-matter",
    ),
    // Nearest dated heading or paragraph.
    (
        "## 25 June 1950\n\nOn June 27 the Council met.",
        "June 27",
        "1950?-06-27",
        "earlier",
    ),
    // Relative phrases, from the document's date.
    (
        "---\ndate: 1950-04-10\n---\n\nThe talks of March 30 of this year failed.",
        "March 30 of this year",
        "1950-03-30",
        "relative",
    ),
    (
        "---\ndate: 1950-04-10\n---\n\nHe came on 12 December of last year.",
        "12 December of last year",
        "1949-12-12",
        "relative",
    ),
    (
        "---\ndate: 1950-04-10\n---\n\nThe elections of May 10 next year are set.",
        "May 10 next year",
        "1951-05-10",
        "relative",
    ),
    (
        "---\ndate: 1952-06-25\n---\n\nTwo years ago on Sunday, June 25th, the Communists struck.",
        "Sunday, June 25th",
        "1950-06-25",
        "relative",
    ),
    // Never from a source or publication line.
    (
        "Foreign Relations of the United States, 1950, Volume VII, Part 1 (1983)\n\nOn June 25 the attack began.",
        "June 25",
        "XXXX-06-25",
        "none",
    ),
    (
        "Washington: Government Printing Office, 1976.\n\nOn June 25 the attack began.",
        "June 25",
        "XXXX-06-25",
        "none",
    ),
    // Never from an archival stamp.
    (
        "Declassified 14 December 1993\n\nOn June 25 the attack began.",
        "June 25",
        "XXXX-06-25",
        "none",
    ),
    (
        "Declassified per E.O. 12356, Sec. 3.4, 1986.\n\nOn June 25 the attack began.",
        "June 25",
        "XXXX-06-25",
        "none",
    ),
    // Never from a bibliographic reference in a footnote.
    (
        "On June 25 the attack began.[^1] Then on June 27 the Council met.\n\n[^1]: Printed in Department of State Bulletin, July 3, 1950, p. 5.\n",
        "June 27",
        "XXXX-06-27",
        "none",
    ),
    // Never from another document's dateline, quoted.
    (
        "---\ndate: 1950-07-01\n---\n\n> Moscow, 1 October 1949\n>\n> On 30 September the embassy reported.\n\nOn June 25 the attack began.",
        "June 25",
        "1950?-06-25",
        "front-matter",
    ),
    (
        "> Moscow, 1 October 1949\n>\n> On 30 September the embassy reported.\n\nOn June 25 the attack began.",
        "30 September",
        "1949?-09-30",
        "earlier",
    ),
    (
        "> Moscow, 1 October 1949\n>\n> On 30 September the embassy reported.\n\nOn June 25 the attack began.",
        "June 25",
        "XXXX-06-25",
        "none",
    ),
    // Never from a file-number line.
    (
        "795.00/6–2550: Telegram\n\nOn June 25 the attack began.",
        "June 25",
        "XXXX-06-25",
        "none",
    ),
    // A later date of the same text year does not fall after the document's date.
    (
        "---\ndate: 1949-06-26\n---\n\nIn 1949 the talks went on. On December 12 they ended.",
        "December 12",
        "1948?-12-12",
        "earlier",
    ),
    // …but a date a few days after it (a meeting announced) keeps the year.
    (
        "Seoul, June 26, 1950—10 a.m.\n\nThe Council meets on June 27.",
        "June 27",
        "1950?-06-27",
        "dateline",
    ),
    // FRUS 1949 VII/2 d273 (Washington, July 19, 1949): the resolution of last December.
    (
        "Washington, July 19, 1949—6 p. m.\n\n606. You shld point out that leveling of such charge will be interpreted as affront to nations which voted Dec 12 GA Res establishing UNCOK.",
        "Dec 12",
        "1948?-12-12",
        "dateline",
    ),
    // A letter's own year over a year written in an earlier paragraph (d279, Seoul,
    // September 14, 1949): the Fourth Session's days, not the First Session's.
    (
        "Seoul, September 14, 1949.\n\nThe contrast with the First Session, which began on September 8, 1948, is striking.\n\nThe chief items of business at the first session, September 8, were the announcement of the agenda, and the speech by Kim Il Sung.",
        "September 8",
        "1949?-09-08",
        "dateline",
    ),
    // …a day 37 days ahead of the despatch is still its year (d279).
    (
        "Seoul, September 14, 1949.\n\nThey had already proved it in 1948 by reference to alleged universal, popular Korean elections.\n\nAfter October 21, there would be no point in elections to bolster the Soviet case at Lake Success.",
        "October 21",
        "1949?-10-21",
        "dateline",
    ),
    // …and 42 days ahead (d277, Seoul, August 20, 1949).
    (
        "Seoul, August 20, 1949.\n\nCurrently the only practical tests seem to be: the May 10, 1948 elections; the loyalty of officials.\n\nUNCOK will be prepared to report on new developments up to October 1.",
        "October 1",
        "1949?-10-01",
        "dateline",
    ),
    // With a front-matter date too, the year is the document's (its source says so).
    (
        "---\ndate: 1949-09-14\n---\n\nSeoul, September 14, 1949.\n\nThe First Session began on September 8, 1948.\n\nThe second day, September 9, was devoted chiefly to debates.",
        "September 9",
        "1949?-09-09",
        "front-matter",
    ),
    // Near misses of that rule. The same paragraph keeps its year (d277).
    (
        "Seoul, August 20, 1949.\n\n(In 1948, Mr. Mughir absented himself from the Commission in May.)",
        "May",
        "1948?-05",
        "earlier",
    ),
    // No dateline: a speech's narrative year holds across paragraphs (Truman's farewell
    // address of January 15, 1953).
    (
        "---\ndate: 1953-01-15\n---\n\nOn April 1945, I had been presiding over the Senate in my capacity as Vice President.\n\nThe San Francisco conference to organize the United Nations had been called for April 25th.",
        "April 25th",
        "1945?-04-25",
        "earlier",
    ),
    // A day more than 92 days after the letter's date is not its year's: the earlier
    // paragraph's year stands.
    (
        "Seoul, September 14, 1949.\n\nThe First Session began on September 8, 1948.\n\nOn December 20 the Assembly met again.",
        "December 20",
        "1948?-12-20",
        "earlier",
    ),
    // A publication line in emphasis lends nothing (d282: `Department of State
    // *Bulletin*, October 3, 1949, page 489`; the year changed to tell the cases apart).
    (
        "---\ndate: 1949-09-21\n---\n\nHe made an address (text in the Department of State *Bulletin*, October 3, 1948, page 489).\n\nOn September 21 he spoke.",
        "September 21",
        "1949?-09-21",
        "front-matter",
    ),
];

#[test]
fn years_from_the_right_place() {
    let mut failures = Vec::new();
    for (doc, surface, edtf, src) in YEARS {
        let got = lookup(doc, surface);
        let ok = match &got {
            None => *edtf == "-",
            Some((s, e, so, _, _)) => s == surface && e == edtf && so == src,
        };
        if !ok {
            failures.push(format!(
                "{doc:?}\n   want {surface:?} {edtf} {src}\n    got {got:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// (sentence, expected `surface=EDTF` list as in `tests::render`, "" for none).
const FORMS: &[(&str, &str)] = &[
    // March and May followed by a day and a word.
    (
        "In 1950 he waited. On March 24 Kim visited.",
        "1950=1950 | March 24=1950?-03-24",
    ),
    (
        "In 1950 he waited. On May 10 Li left.",
        "1950=1950 | May 10=1950?-05-10",
    ),
    (
        "In 1950 he waited. On April 10 Li left.",
        "1950=1950 | April 10=1950?-04-10",
    ),
    (
        "In 1950 he waited. On June 10 Li left.",
        "1950=1950 | June 10=1950?-06-10",
    ),
    (
        "He spoke on March 24, 1950 in Moscow.",
        "March 24, 1950=1950-03-24",
    ),
    // Capitals.
    ("JUNE 24–25, 1950", "JUNE 24–25, 1950=1950-06-24/1950-06-25"),
    ("DECEMBER 1948", "DECEMBER 1948=1948-12"),
    ("REPORT OF 5 MARCH 1949", "5 MARCH 1949=1949-03-05"),
    // Old Style in brackets: one date, the New Style day.
    (
        "On 13 March [O.S. 28 February] 1907 he arrived.",
        "13 March [O.S. 28 February] 1907=1907-03-13",
    ),
    (
        "On 28 February [13 March] 1907 he arrived.",
        "28 February [13 March] 1907=1907-03-13",
    ),
    (
        "On 13 March [N.S. 26 March] 1907 he arrived.",
        "13 March [N.S. 26 March] 1907=1907-03-26",
    ),
    // Soviet and European numeric forms, in context.
    (
        "Your telegram of 24.III.50 was received.",
        "24.III.50=1950-03-24",
    ),
    ("Dated 8.II.1950.", "8.II.1950=1950-02-08"),
    ("Moscow, 13/5-50", "13/5-50=1950-05-13"),
    (
        "Telegram No. 123 29.8.50 from Pyongyang.",
        "29.8.50=1950-08-29",
    ),
    ("The report of 29.8.50 arrived.", "29.8.50=1950-08-29"),
    (
        "Shtykov in Moscow reported on 29.8.50 the plan.",
        "29.8.50=1950-08-29",
    ),
    (
        "In Moscow the 29.8.50 draft was kept.",
        "29.8.50=1950-08-29",
    ),
    // US numeric datelines.
    ("09/30/50", "09/30/50=1950-09-30"),
    ("Tokyo, 09/30/50 — 10 a.m.", "09/30/50=1950-09-30"),
    // Names made of a date are still read, and flagged (see `names_are_not_events`).
    (
        "In 1948 the December 12 Resolution passed.",
        "1948=1948 | December 12=1948?-12-12",
    ),
    // Near misses.
    ("See Deptel 250 of today.", ""),
    ("Your No. 1067 arrived.", ""),
    ("795.00/6–2550: Telegram", ""),
    ("501.BB Korea/7–2448", ""),
    ("740.0011 PW (Peace)/8–1045", ""),
    ("At 10 a.m. they met.", ""),
    ("At 10.30 they met.", ""),
    ("At 18.45 they met.", ""),
    ("See pp. 24–25 of the record.", ""),
    ("See p. 8.50 of the record.", ""),
    ("It cost $29.8 million in all.", ""),
    ("It rose 3.5 percent.", ""),
    ("See section 1.2.3 of the plan.", ""),
    ("May I say a word?", ""),
    ("They may 10 times refuse.", ""),
    ("The march 30 miles north was hard.", ""),
    ("The Long March 30 years ago was hard.", ""),
    ("After the Long March they rested.", ""),
    ("The March First Movement of 1919 failed.", ""),
    ("In 1919 the March First Movement began.", "1919=1919"),
    ("On 3/5/1949 he wrote.", ""),
    ("15.8.1945 is liberation day.", ""),
    ("The 29.8.50 draft was kept.", ""),
    ("He wrote 09/30/50 in the margin.", ""),
    ("In May 5 divisions crossed.", ""),
    ("On March 24 men crossed.", ""),
    // Times on the 24-hour clock, in 1950 telegrams.
    ("At 1950 hours the attack resumed.", ""),
    ("Enemy crossed at 0200 and again at 0430 hours.", ""),
    (
        "The troops withdrew by 2300 hours June 26.",
        "June 26=XXXX-06-26",
    ),
    // Telegram numbers before their dates (FRUS 1949 VII/2 d288, d275, d270).
    (
        "ReDeptels 594 July 15, 706 August 19, and Embtel 931 July 26.",
        "July 15=XXXX-07-15 | August 19=XXXX-08-19 | July 26=XXXX-07-26",
    ),
    (
        "In this connection, reference is made to Embtels 911 and 913 July 22.",
        "July 22=XXXX-07-22",
    ),
    ("594. Urtel 447 Apr 26.", "Apr 26=XXXX-04-26"),
    // Page references: the printed volume's page markers.
    ("[Page 1950]", ""),
    (
        "the outbreak of serious incidents [Page 1949] at any time",
        "",
    ),
    ("See p. 1949 of the volume.", ""),
    // `May` and `March` as words.
    ("March 30 miles north, the order said.", ""),
    (
        "It may be pointed out that the May Day parade was held.",
        "",
    ),
    ("The 1950 budget was cut.", ""),
    // A range of two days without a year (d279).
    (
        "In 1949 it was so. The period from October 11 to October 21 has been declared Soviet-Korean Friendship Week.",
        "1949=1949 | October 11 to October 21=1949?-10-11/1949?-10-21",
    ),
    (
        "From October 11 to October 21 they met.",
        "October 11 to October 21=XXXX-10-11/XXXX-10-21",
    ),
    // …not backwards, not a day to a month, not a count.
    (
        "from October 21 to October 11 they met",
        "October 11=XXXX-10-11",
    ),
    ("from October 11 to 21 men came", ""),
    // Two days of one month and one year: the first carries the year.
    ("January 6 and 7, 1951.", "January 6=1951-01-06"),
    (
        "1.Welcomes the prompt and vigor ous support which governments and people of the United Nations have given to its resolutions of June 25 and 27, 1950, to assist the Republic of Korea.",
        "June 25=1950-06-25",
    ),
    // …not a count after `and`, nor a day before it.
    (
        "On June 25 and 300 men, 1950 was hard.",
        "June 25=XXXX-06-25",
    ),
    (
        "On June 25 and 12 more, in 1950 they came.",
        "June 25=XXXX-06-25 | 1950=1950",
    ),
    // Day and month without a year, in a document that gives none: no year invented.
    ("On June 25 the attack began.", "June 25=XXXX-06-25"),
    (
        "On 30 September the embassy reported.",
        "30 September=XXXX-09-30",
    ),
];

fn render(text: &str) -> String {
    find(text, &MdModel::parse(text))
        .iter()
        .map(|d| format!("{}={}", d.span.slice(text), d.edtf))
        .collect::<Vec<_>>()
        .join(" | ")
}

#[test]
fn archival_date_forms() {
    let mut failures = Vec::new();
    for (input, want) in FORMS {
        let got = render(input);
        if got != *want {
            failures.push(format!("{input:?}\n   want {want:?}\n    got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn names_are_not_events() {
    for (doc, surface) in [
        ("In 1948 the December 12 Resolution passed.", "December 12"),
        ("In 1960 the April 19 Revolution began.", "April 19"),
        (
            "Since 1948 the December 12 Declaration stood.",
            "December 12",
        ),
    ] {
        let got = lookup(doc, surface);
        assert!(got.as_ref().is_some_and(|g| g.4), "{doc:?}: {got:?}");
        let a = crate::analysis::analyze_str(doc);
        let config = crate::config::Config::default();
        let knowledge = crate::facts::Knowledge::embedded();
        let ctx = crate::facts::Context {
            config: &config,
            knowledge: &knowledge,
        };
        let t = timeline::build(&a, &ctx);
        assert!(t.events.iter().all(|e| e.surface != surface), "{doc:?}");
        assert!(t.left_out.iter().any(|l| l.surface == surface), "{doc:?}");
    }
}

fn hover_on(text: &str, needle: &str) -> String {
    let a = crate::analysis::analyze_str(text);
    let config = crate::config::Config::default();
    let knowledge = crate::facts::Knowledge::embedded();
    let ctx = crate::facts::Context {
        config: &config,
        knowledge: &knowledge,
    };
    let at = text.find(needle).map(|i| i + 1).unwrap_or(0);
    hover(&a, &ctx, at).map(|h| h.markdown).unwrap_or_default()
}

#[test]
fn hover_says_where_the_year_came_from() {
    let h = hover_on(
        "Seoul, June 26, 1950—10 a.m.\n\nOn June 25 North Korean forces crossed.",
        "June 25",
    );
    assert!(h.contains("year from the dateline"), "{h}");
    let h = hover_on(
        "---\ndate: 1950-06-26\n---\n\nOn June 25 the attack began.",
        "June 25",
    );
    assert!(h.contains("year from front matter date"), "{h}");
    let h = hover_on(
        "---\ndate: 1949-06-26\n---\n\nOn December 12 the resolution passed.",
        "December 12",
    );
    assert!(
        h.contains("1948: the year before the document's date, since *December 12* would otherwise fall after it"),
        "{h}"
    );
    // Truman, 1952: the weekday fits the year counted back.
    let h = hover_on(
        "---\ndate: 1952-06-25\n---\n\nTwo years ago on Sunday, June 25th, the Communists struck.",
        "June 25th",
    );
    assert!(h.contains("Sunday, 25 June 1950"), "{h}");
    assert!(!h.contains("but that day was"), "{h}");
    assert!(h.contains("Year from *Two years ago*"), "{h}");
}

#[test]
fn no_panic_on_archival_odd_input() {
    for t in [
        "24.III.",
        "24.III",
        "24.XIII.50",
        "32.3.50",
        "0.0.00",
        "13/5-",
        "09/30/",
        "5 March [O.S.",
        "5 March [O.S. 28",
        "5 March [O.S. 28 February",
        "5 March [] 1907",
        "years ago on June 5",
        "Two years ago on",
        "of this year",
        "June 5 of this",
        "---\ndate:\n---\nJune 5",
        "---\ndate: 19\n---\nJune 5",
        "---\ndate: 1950-1\n---\nJune 5",
        "---\ndate: 1950-02-31\n---\nJune 5",
        "---\ndate: 9999-12-31\n---\nOn December 31 it ended.",
        "---\ndate: 1000-01-01\n---\nOn December 31 it ended.",
        "Москва, 24.III.50",
    ] {
        let _ = find(t, &MdModel::parse(t));
    }
}
