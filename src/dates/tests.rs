//! Recognition and normalisation, case by case; the fixture's dates as a snapshot.

use super::*;
use crate::ide::date::{hover, inlay_hints};
use crate::ide::timeline;

fn dates_of(text: &str) -> Vec<DateMention> {
    find(text, &MdModel::parse(text))
}

/// `surface=EDTF` with flags, `|`-separated; "" when nothing is found.
fn render(text: &str) -> String {
    dates_of(text)
        .iter()
        .map(|d| {
            let mut s = format!("{}={}", d.span.slice(text), d.edtf);
            if d.inferred_year {
                s.push_str(" inferred");
            } else if d.year_from.is_some() {
                s.push_str(" carried");
            }
            if let Some(w) = d.written_weekday {
                s.push_str(&format!(" wd={w:?}"));
            }
            if let Some(q) = d.qualifier {
                s.push_str(&format!(" q={}", q.as_str()));
            }
            match &d.problem {
                Some(Problem::InvalidDay { .. }) => s.push_str(" !invalid"),
                Some(Problem::YearCutShort { .. }) => s.push_str(" !short"),
                None => {}
            }
            s
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

#[test]
fn recognition_table() {
    let cases: &[(&str, &str)] = &[
        // Full dates, every written form.
        ("On 5 March 1949 he left.", "5 March 1949=1949-03-05"),
        ("On March 5, 1949 he left.", "March 5, 1949=1949-03-05"),
        ("On March 5 1949 he left.", "March 5 1949=1949-03-05"),
        ("On 5th March 1949 he left.", "5th March 1949=1949-03-05"),
        (
            "On the 5th of March 1949 he left.",
            "5th of March 1949=1949-03-05",
        ),
        ("On 25th June, 1950 war came.", "25th June, 1950=1950-06-25"),
        ("Dated 1949-03-05.", "1949-03-05=1949-03-05"),
        ("Dated 1949-03.", "1949-03=1949-03"),
        ("On 3 Jan. 1950 he wrote.", "3 Jan. 1950=1950-01-03"),
        ("On Sept. 11, 1949 he wrote.", "Sept. 11, 1949=1949-09-11"),
        ("On 11 Sept 1949 he wrote.", "11 Sept 1949=1949-09-11"),
        ("In Jan 1950 he came.", "Jan 1950=1950-01"),
        (
            "At 10.30 on 25 June 1950 the war began.",
            "25 June 1950=1950-06-25",
        ),
        (
            "They signed it on 14 February 1950 in Moscow.",
            "14 February 1950=1950-02-14",
        ),
        (
            "On 29 February 1948 it rained.",
            "29 February 1948=1948-02-29",
        ),
        // Months and years.
        ("In March 1949 he left.", "March 1949=1949-03"),
        ("He was in May 1949 in Moscow.", "May 1949=1949-05"),
        ("Until May 1950.", "May 1950=1950-05"),
        ("They spent all of April 1950 there.", "April 1950=1950-04"),
        ("In 1949 he left.", "1949=1949"),
        ("Smith (1949) argued.", "1949=1949"),
        ("## 1949\n", "1949=1949"),
        ("In the 1940s Korea was divided.", "1940s=194X"),
        // Ranges.
        ("In 1947-1948 the talks failed.", "1947-1948=1947/1948"),
        ("In 1947–1948 the talks failed.", "1947–1948=1947/1948"),
        ("In 1947–48 the talks failed.", "1947–48=1947/1948"),
        (
            "In May-August 1949 they talked.",
            "May-August 1949=1949-05/1949-08",
        ),
        (
            "The conference, 24-25 July 1995, met.",
            "24-25 July 1995=1995-07-24/1995-07-25",
        ),
        (
            "The conference, 24–25 July 1995, met.",
            "24–25 July 1995=1995-07-24/1995-07-25",
        ),
        (
            "From 24 July-2 August 1995 it met.",
            "24 July-2 August 1995=1995-07-24/1995-08-02",
        ),
        (
            "On July 24-25, 1995 it met.",
            "July 24-25, 1995=1995-07-24/1995-07-25",
        ),
        (
            "From May to August 1949 they talked.",
            "May to August 1949=1949-05/1949-08",
        ),
        (
            "Between 1947 and 1949 they talked.",
            "1947 and 1949=1947/1949",
        ),
        (
            "From December 1949-January 1950 Mao stayed.",
            "December 1949-January 1950=1949-12/1950-01",
        ),
        (
            "The 28 December-3 January 1950 talks.",
            "28 December-3 January 1950=1949-12-28/1950-01-03",
        ),
        // Parts of years.
        (
            "Until the end of 1949 Stalin waited.",
            "the end of 1949=1949-36",
        ),
        (
            "In the beginning of 1949 alerts came.",
            "the beginning of 1949=1949-33",
        ),
        ("In early 1950 he agreed.", "early 1950=1950-37"),
        ("By late 1949 he agreed.", "late 1949=1949-39"),
        ("In mid-1950 war began.", "mid-1950=1950-38"),
        (
            "In the spring of 1950 Kim visited.",
            "the spring of 1950=1950-21",
        ),
        (
            "In the first half of 1950 plans matured.",
            "the first half of 1950=1950-40",
        ),
        (
            "In early March 1949 he left.",
            "early March 1949=1949-03 q=early",
        ),
        // Years from elsewhere.
        (
            "In August and again in September 1949, they pressed.",
            "August=1949-08 carried | September 1949=1949-09",
        ),
        (
            "In 1950 he wrote. On 17 January he complained.",
            "1950=1950 | 17 January=1950?-01-17 inferred",
        ),
        (
            "In 1949 he left. In May he returned.",
            "1949=1949 | May=1949?-05 inferred",
        ),
        (
            "In 1949 he rested; on 5 May and on 9 May he spoke.",
            "1949=1949 | 5 May=1949?-05-05 inferred | 9 May=1949?-05-09 inferred",
        ),
        ("On 17 January he complained.", "17 January=XXXX-01-17"),
        // Weekdays.
        (
            "On Sunday, 25 June 1950 the war began.",
            "Sunday, 25 June 1950=1950-06-25 wd=Sunday",
        ),
        (
            "On Sunday 25 June 1950 the war began.",
            "Sunday 25 June 1950=1950-06-25 wd=Sunday",
        ),
        (
            "On Monday, 28 June 1950 troops moved.",
            "Monday, 28 June 1950=1950-06-28 wd=Monday",
        ),
        (
            "On Wed. 28 June 1950 troops moved.",
            "Wed. 28 June 1950=1950-06-28 wd=Wednesday",
        ),
        (
            "Baltimore Sun, 25 June 1950, p. 1.",
            "25 June 1950=1950-06-25",
        ),
        // Broken dates.
        (
            "Receiving Kim on 5 March 194, Stalin spoke. On 7 March 1949 he met.",
            "5 March 194=194X-03-05 !short | 7 March 1949=1949-03-07",
        ),
        ("On 5 March 794 he died.", "5 March 794=0794-03-05"),
        (
            "On 31 June 1950 it rained.",
            "31 June 1950=1950-06-XX !invalid",
        ),
        (
            "On 30 February 1949 it rained.",
            "30 February 1949=1949-02-XX !invalid",
        ),
        (
            "On 29 February 1949 it rained.",
            "29 February 1949=1949-02-XX !invalid",
        ),
        // Near misses: nothing, or only the real date.
        ("They may come in 1949.", "1949=1949"),
        ("They march on Seoul.", ""),
        ("May I ask?", ""),
        ("May the Party prevail in 1950.", "1950=1950"),
        ("March on, comrades!", ""),
        ("The 38th parallel.", ""),
        ("See p. 1949 of the record.", ""),
        ("Pages 1947-1950 describe it.", ""),
        ("There were 1500 men.", ""),
        ("In 1500 villages they rose.", ""),
        ("They lost 1200-1500 men.", ""),
        ("Version 1.1949 was out.", ""),
        ("Phone 555-1949 now.", ""),
        ("It cost $1949 then.", ""),
        ("On 5 May 49 men died.", ""),
        ("In Jan he came.", ""),
        ("See item 1949 in the list.", ""),
        ("It was 1949.", ""),
        ("Unit A1949 moved.", ""),
        ("The code `5 March 1949` is code.", ""),
        ("See [the page](http://x.org/1949-03-05) now.", ""),
        ("Read https://x.org/5-March-1949 now.", ""),
        ("---\ndate: 1949-03-05\n---\n\nText.\n", ""),
        ("```\n5 March 1949\n```\n", ""),
        ("<!-- 5 March 1949 -->\n", ""),
        ("He left 32 March 1949.", "March 1949=1949-03"),
        ("It reached a total of 1500.", ""),
        ("The price rose to 1949.", ""),
        ("They had from 1200 to 1500 men.", ""),
        ("Between 1200 and 1500 soldiers died.", ""),
        ("In June 5 divisions crossed.", ""),
        ("On June 5 the army crossed.", "June 5=XXXX-06-05"),
        ("By 1950 the USSR had the bomb.", "1950=1950"),
        ("In 1947 and 1949 they voted.", "1947=1947 | 1949=1949"),
        (
            "At the end of May 1949 he left.",
            "the end of May 1949=1949-05 q=late",
        ),
        ("In mid-March 1949 he left.", "mid-March 1949=1949-03 q=mid"),
        ("From 1949 onwards it grew.", "1949=1949"),
        ("In the 1900s it grew.", ""),
        (
            "In the winter of 1950 it snowed.",
            "the winter of 1950=1950-24",
        ),
        ("Kim II Sung spoke.", ""),
        ("In May's view the plan failed.", ""),
        ("In June, 1950 the war began.", "June, 1950=1950-06"),
        (
            "On 14/15 August 1945 Japan surrendered.",
            "14/15 August 1945=1945-08-14/1945-08-15",
        ),
        ("On 3/5/1949 he wrote.", ""),
        ("15.8.1945 is liberation day.", ""),
        (
            "Telegram No. 1950 of 3 Jan. 1950.",
            "3 Jan. 1950=1950-01-03",
        ),
        ("Resolution 82 (1950) passed.", "1950=1950"),
    ];
    let mut failures = Vec::new();
    for (input, want) in cases {
        let got = render(input);
        if got != *want {
            failures.push(format!("{input:?}\n   want {want:?}\n    got {got:?}"));
        }
    }
    assert!(cases.len() >= 60);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn fixture_dates() {
    let t = include_str!("../../fixtures/bajanov-1995.md");
    let lines = crate::position::LineIndex::new(t);
    let out: Vec<String> = dates_of(t)
        .iter()
        .map(|d| {
            format!(
                "{:>3} {:<24} {:<18} {:<7} {}{}",
                lines.line_of(d.span.start) + 1,
                d.span.slice(t),
                d.edtf,
                d.precision.as_str(),
                if d.year_from.is_some() {
                    "year-from "
                } else {
                    ""
                },
                match &d.problem {
                    Some(p) => format!("{p:?}"),
                    None => String::new(),
                }
            )
            .trim_end()
            .to_string()
        })
        .collect();
    insta::assert_snapshot!(out.join("\n"));
}

#[test]
fn no_panic_on_odd_input() {
    for t in [
        "",
        "5",
        "May",
        "5 March",
        "March 5,",
        "1949-",
        "1949-1",
        "–",
        "the end of",
        "mid-",
        "Sunday,",
        "from May to",
        "between 1947 and",
        "31 February 9999",
        "1 January 2100-5 January 2100",
        "99999999999999999999 March 1949",
        "ὅτι 5 March 1949 ὅτι",
        "5\u{301} March 1949",
        "In 2100–99 it ends.",
    ] {
        let _ = dates_of(t);
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
fn hover_cards() {
    let fixture = include_str!("../../fixtures/bajanov-1995.md");
    let h = hover_on(fixture, "17 April 1949");
    for want in [
        "`1949-04-17` · day",
        "Sunday, 17 April 1949 (proleptic Gregorian)",
        "after *7 March 1949* (line 26)",
        "before *May-August 1949* (line 22)",
    ] {
        assert!(h.contains(want), "{want:?} not in\n{h}");
    }
    assert!(!h.contains("Out of narrative order"), "{h}");
    // 1947-1948 follows "the end of 1949" in the text.
    let h = hover_on(fixture, "1947-1948");
    assert!(
        h.contains("**Out of narrative order**: earlier than *the end of 1949* (line 18)"),
        "{h}"
    );
    assert!(h.contains("From 1 January 1947 to 31 December 1948"), "{h}");
    let h = hover_on(fixture, "April 1950 in the Soviet");
    assert!(h.contains("Same date also at line 41."), "{h}");
    let h = hover_on(fixture, "the end of 1949");
    assert!(h.contains("last quarter (October–December)"), "{h}");
    let h = hover_on(fixture, "August and again");
    assert!(
        h.contains("Year taken from *September 1949* (line 29) in the same phrase."),
        "{h}"
    );
    // Dates after 1918 get no Old Style note even in a Soviet context.
    assert!(!hover_on(fixture, "3 February 1949").contains("Old Style"));

    let h = hover_on(
        "In 1950 he wrote. On 17 January he complained.",
        "17 January",
    );
    assert!(h.contains("`1950?-01-17`"), "{h}");
    assert!(h.contains("**Inferred year**"), "{h}");

    let h = hover_on(
        "In Russia, on 25 October 1917 the Bolsheviks rose.",
        "25 October",
    );
    assert!(h.contains("the sentence mentions *Russia*"), "{h}");
    assert!(h.contains("12 October 1917 Old Style"), "{h}");
    assert!(h.contains("7 November 1917 New Style (+13 days)"), "{h}");
    let h = hover_on(
        "In Russia, on 19 February 1861 the serfs were freed.",
        "19 February",
    );
    assert!(h.contains("3 March 1861 New Style (+12 days)"), "{h}");
    assert!(
        !hover_on("In Paris, on 25 October 1917 it rained.", "25 October").contains("Old Style")
    );

    let h = hover_on("On 31 June 1950 it rained.", "31 June");
    assert!(h.contains("June 1950 has 30 days, not 31"), "{h}");
    let h = hover_on("On Monday, 28 June 1950 troops moved.", "28 June");
    assert!(
        h.contains("written *Monday*, but that day was a Wednesday"),
        "{h}"
    );
    assert_eq!(hover_on("No dates here.", "dates"), "");
}

#[test]
fn inlay_hints_after_partial_dates() {
    let t = include_str!("../../fixtures/bajanov-1995.md");
    let a = crate::analysis::analyze_str(t);
    let hints: Vec<(String, String)> = inlay_hints(&a)
        .into_iter()
        .map(|(at, label)| {
            let before = t.get(..at).unwrap_or_default();
            let word = before.rsplit(' ').next().unwrap_or_default().to_string();
            (word, label)
        })
        .collect();
    let labels: Vec<&str> = hints.iter().map(|h| h.1.as_str()).collect();
    // As a historian writes them (#16), and none where the reading repeats the text
    // (`24-25 July 1995`, `1947-1948`, `May-August 1949`).
    assert_eq!(
        labels,
        [
            "Oct.–Dec. 1949",
            "Jan.–Mar. 1949",
            "year cut short: 194?",
            "August 1949",
        ]
    );
    // Full dates get none.
    assert!(!labels.iter().any(|l| l.contains("17 April")));
}

proptest::proptest! {
    #[test]
    fn any_text_is_safe(s in "(\\PC|[0-9 ,.\\-–]|May|March|1949|Sunday|the end of|mid-){0,40}") {
        let ds = dates_of(&s);
        for d in &ds {
            proptest::prop_assert!(s.is_char_boundary(d.span.start) && s.is_char_boundary(d.span.end));
            proptest::prop_assert!(d.span.start < d.span.end);
            if let (Some(a), Some(b)) = (d.start, d.end) {
                proptest::prop_assert!(a <= b);
            }
        }
        let a = crate::analysis::analyze_str(&s);
        let _ = inlay_hints(&a);
        let config = crate::config::Config::default();
        let knowledge = crate::facts::Knowledge::embedded();
        let ctx = crate::facts::Context { config: &config, knowledge: &knowledge };
        let _ = timeline::build(&a, &ctx);
        for i in 0..=s.len() {
            let _ = hover(&a, &ctx, i);
            let sp = timeline::sentence_at(&s, &a.md, &timeline::marker_spans(&a), i);
            proptest::prop_assert!(s.get(sp.start..sp.end).is_some());
        }
    }
}

/// A year cut short is read beside the nearest four-digit years before and after it
/// that start with its digits (found from where the date stands), skipping others.
#[test]
fn cut_short_year_between_its_neighbours() {
    // The years read before and after each year cut short.
    let neighbours = |text: &str| -> Vec<(Option<i32>, Option<i32>)> {
        dates_of(text)
            .iter()
            .filter_map(|d| match &d.problem {
                Some(Problem::YearCutShort { previous, next, .. }) => Some((*previous, *next)),
                _ => None,
            })
            .collect()
    };
    // (No letter after a year: "1947 b" reads as an author–date citation's year.)
    let text = "On 3 May 1939 it began. On 1 June 1947 they met. On 9 July 1956 it ended. \
                On 5 March 194 he wrote. On 2 July 1950 war came. On 9 May 1948 it ended. \
                On 4 April 1949 it was signed.";
    let found = neighbours(text);
    assert_eq!(found, vec![(Some(1947), Some(1948))], "{}", render(text));
    // None before it, none after it.
    let text = "On 5 March 194 he wrote. On 2 July 1950 war came.";
    assert!(neighbours(text).is_empty(), "{}", render(text));
    let text = "On 1 June 1947 they met. On 5 March 194 he wrote. On 1 June 1941 they met.";
    let found = neighbours(text);
    assert_eq!(found, vec![(Some(1947), Some(1941))], "{}", render(text));
}
