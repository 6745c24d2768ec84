//! `annalist gazetteer import`: other gazetteers' formats into entities.
//!
//! - **TEI**: `<person>`, `<place>` and `<org>` (in `<listPerson>`, `<listPlace>`,
//!   `<listOrg>`) with `xml:id`; their `persName` / `placeName` / `orgName` (the first
//!   is the preferred name, the others variants; one in Hangul, Chinese characters,
//!   Cyrillic or kana goes to `native`), `birth` / `death` (`@when` or text),
//!   `note`s (the first is the description) and `idno type="wikidata"`.
//! - **CSV** with the header `id,kind,preferred,names,native,start,end,description,source`;
//!   `names` and `native` hold several values separated by `;`, a name optionally
//!   followed by `|system` (`Pak Hŏn-yŏng|mccune-reischauer`).
//! - **Wikidata** JSON entity export (`{"entities": {"Q…": {…}}}`): English label
//!   (preferred), other Latin-script labels and English aliases (variants), labels in
//!   other scripts (native), P569/P570 (birth/death, to their precision), P571/P576
//!   (inception/dissolution), P31 (instance of → kind), English description.

use super::{Entity, EntityKind, Name, System};
use quick_xml::Reader;
use quick_xml::events::Event;

/// What an import produced: entities, and the entries it could not use.
#[derive(Debug, Default)]
pub struct Imported {
    pub entities: Vec<Entity>,
    pub problems: Vec<ImportProblem>,
}

/// An entry (or a whole file) `import` could not use: the format and where (a byte, a
/// CSV line, a Wikidata id), what is wrong, and what became of it.
#[derive(Debug, thiserror::Error)]
pub enum ImportProblem {
    #[error("TEI: XML error at byte {at}: {source}")]
    Xml {
        at: u64,
        #[source]
        source: quick_xml::Error,
    },
    #[error("TEI: the entry {id} has no name in Latin script; skipped")]
    TeiNoLatinName { id: String },
    #[error("CSV: cannot read the header: {0}")]
    CsvHeader(#[source] csv::Error),
    #[error(
        "CSV: the header must name at least `kind` and `preferred` (expected: {})",
        CSV_HEADER.join(",")
    )]
    CsvColumns,
    #[error("CSV line {line}: {source}")]
    CsvRow {
        line: usize,
        #[source]
        source: csv::Error,
    },
    #[error("CSV line {line}: no preferred name; skipped")]
    CsvNoPreferred { line: usize },
    #[error("CSV line {line}: unknown kind `{kind}` (person, place, organisation, event); skipped")]
    CsvKind { line: usize, kind: String },
    #[error("CSV line {line}: {field} `{date}`: {source}; left out")]
    CsvDate {
        line: usize,
        field: &'static str,
        date: String,
        #[source]
        source: super::edtf::EdtfError,
    },
    #[error("Wikidata JSON: {0}")]
    WikidataJson(#[source] serde_json::Error),
    #[error("Wikidata JSON: expected {{\"entities\": {{\"Q…\": {{…}}}}}}")]
    WikidataShape,
    #[error("Wikidata {qid}: no English label; skipped")]
    WikidataNoLabel { qid: String },
    #[error(
        "Wikidata {qid} ({preferred}): its P31 (instance of) does not say person, place, organisation or event; skipped"
    )]
    WikidataKind { qid: String, preferred: String },
}

/// The formats `import` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Tei,
    Csv,
    Wikidata,
}

/// The format of a file by its extension, else by its first character.
pub fn detect(path: &std::path::Path, text: &str) -> Option<Format> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("xml" | "tei") => return Some(Format::Tei),
        Some("csv") => return Some(Format::Csv),
        Some("json") => return Some(Format::Wikidata),
        _ => {}
    }
    match text.trim_start().chars().next() {
        Some('<') => Some(Format::Tei),
        Some('{') => Some(Format::Wikidata),
        Some(_) => Some(Format::Csv),
        None => None,
    }
}

pub fn import(format: Format, text: &str, source: &str) -> Imported {
    match format {
        Format::Tei => tei(text, source),
        Format::Csv => csv_rows(text, source),
        Format::Wikidata => wikidata(text, source),
    }
}

/// A gazetteer id from any text: lowercase ASCII letters, digits and hyphens.
pub fn slug(s: &str) -> String {
    let folded = crate::prose::fold::fold_name(s);
    let mut out = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

fn non_latin(s: &str) -> bool {
    s.chars().any(|c| {
        crate::prose::fold::is_unspaced_script(c) || ('\u{0400}'..='\u{04FF}').contains(&c)
    })
}

/// Add a name to `e`: native script to `native`, else a variant (no duplicates).
fn add_name(e: &mut Entity, text: &str, system: Option<System>) {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return;
    }
    if non_latin(&text) {
        if !e.native.contains(&text) {
            e.native.push(text);
        }
        return;
    }
    // Spellings differ by their marks (Pak Hon-yong, Pak Hŏn-yŏng: two systems), so a
    // name is a repeat only when it differs in case, spaces or apostrophe form alone.
    let key = crate::prose::fold::fold_spelling(&text);
    let known = crate::prose::fold::fold_spelling(&e.preferred) == key
        || e.names
            .iter()
            .any(|n| crate::prose::fold::fold_spelling(&n.text) == key);
    if !known {
        e.names.push(Name {
            text,
            system,
            ambiguous: false,
        });
    }
}

fn parse_system(s: &str) -> Option<System> {
    let v = toml::Value::String(s.trim().to_string());
    v.try_into().ok()
}

// ---------------------------------------------------------------- TEI

#[derive(Default)]
struct TeiEntry {
    kind: Option<EntityKind>,
    id: Option<String>,
    names: Vec<(String, Option<String>)>,
    birth: Option<String>,
    death: Option<String>,
    notes: Vec<String>,
    wikidata: Option<String>,
}

fn tei(text: &str, source: &str) -> Imported {
    let mut out = Imported::default();
    let mut reader = Reader::from_str(text);
    let mut cur: Option<TeiEntry> = None;
    // The element whose text is being collected, and the text so far.
    let mut field: Option<(String, Option<String>)> = None;
    let mut buf = String::new();
    loop {
        let ev = match reader.read_event() {
            Ok(ev) => ev,
            Err(source) => {
                out.problems.push(ImportProblem::Xml {
                    at: reader.error_position(),
                    source,
                });
                break;
            }
        };
        match ev {
            Event::Eof => break,
            Event::Start(s) | Event::Empty(s) if cur.is_none() => {
                let kind = match s.local_name().as_ref() {
                    b"person" => Some(EntityKind::Person),
                    b"place" => Some(EntityKind::Place),
                    b"org" => Some(EntityKind::Organisation),
                    b"event" => Some(EntityKind::Event),
                    _ => None,
                };
                if kind.is_some() {
                    let id = attr(&s, b"id");
                    cur = Some(TeiEntry {
                        kind,
                        id,
                        ..TeiEntry::default()
                    });
                }
            }
            Event::Start(s) => {
                let name = String::from_utf8_lossy(s.local_name().as_ref()).into_owned();
                if let Some(c) = cur.as_mut() {
                    match name.as_str() {
                        "persName" | "placeName" | "orgName" | "note" | "idno" | "birth"
                        | "death" | "label" | "desc"
                            if field.is_none() =>
                        {
                            let extra = match name.as_str() {
                                "idno" => attr(&s, b"type"),
                                "persName" | "placeName" | "orgName" => attr(&s, b"type"),
                                _ => None,
                            };
                            if let ("birth" | "death", Some(w)) = (name.as_str(), attr(&s, b"when"))
                            {
                                set_date(c, &name, w);
                            }
                            field = Some((name, extra));
                            buf.clear();
                        }
                        _ => {}
                    }
                }
            }
            Event::Empty(s) => {
                let name = String::from_utf8_lossy(s.local_name().as_ref()).into_owned();
                if let (Some(c), "birth" | "death") = (cur.as_mut(), name.as_str())
                    && let Some(w) = attr(&s, b"when")
                {
                    set_date(c, &name, w);
                }
            }
            Event::Text(t) if field.is_some() => match t.xml_content() {
                Ok(s) => buf.push_str(&s),
                Err(_) => buf.push_str(&String::from_utf8_lossy(t.as_ref())),
            },
            Event::GeneralRef(r) if field.is_some() => {
                let name = String::from_utf8_lossy(r.as_ref()).into_owned();
                let c = match name.as_str() {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    _ => r.resolve_char_ref().ok().flatten(),
                };
                if let Some(c) = c {
                    buf.push(c);
                }
            }
            Event::CData(t) if field.is_some() => {
                buf.push_str(&String::from_utf8_lossy(t.as_ref()));
            }
            Event::End(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if field.as_ref().is_some_and(|(f, _)| *f == name) {
                    let (f, extra) = field.take().unwrap_or_default();
                    let value = buf.split_whitespace().collect::<Vec<_>>().join(" ");
                    if let Some(c) = cur.as_mut()
                        && !value.is_empty()
                    {
                        match f.as_str() {
                            "persName" | "placeName" | "orgName" => c.names.push((value, extra)),
                            "note" | "desc" => c.notes.push(value),
                            "idno" if extra.as_deref() == Some("wikidata") => {
                                c.wikidata = Some(value)
                            }
                            "birth" | "death" => set_date(c, &f, value),
                            _ => {}
                        }
                    }
                } else if field.is_none()
                    && matches!(name.as_str(), "person" | "place" | "org" | "event")
                    && let Some(c) = cur.take()
                {
                    match finish_tei(c, source) {
                        Ok(e) => out.entities.push(e),
                        Err(m) => out.problems.push(m),
                    }
                } else if field.is_some() {
                    // Inner markup (forename, surname): a space between its pieces.
                    if matches!(
                        name.as_str(),
                        "forename" | "surname" | "addName" | "roleName"
                    ) {
                        buf.push(' ');
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn set_date(c: &mut TeiEntry, which: &str, value: String) {
    let slot = if which == "birth" {
        &mut c.birth
    } else {
        &mut c.death
    };
    if slot.is_none() && super::edtf::parse(value.trim()).is_ok() {
        *slot = Some(value.trim().to_string());
    }
}

fn attr(s: &quick_xml::events::BytesStart, local: &[u8]) -> Option<String> {
    s.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref() == local)
            .then(|| String::from_utf8_lossy(a.value.as_ref()).into_owned())
    })
}

fn finish_tei(c: TeiEntry, source: &str) -> Result<Entity, ImportProblem> {
    let kind = c.kind.unwrap_or(EntityKind::Person);
    let mut names = c.names.into_iter();
    // A name typed "preferred" or "main" first, else the first one.
    let all: Vec<(String, Option<String>)> = names.by_ref().collect();
    let pi = all
        .iter()
        .position(|(t, ty)| {
            matches!(ty.as_deref(), Some("preferred" | "main" | "reg")) && !non_latin(t)
        })
        .or_else(|| all.iter().position(|(t, _)| !non_latin(t)))
        .ok_or_else(|| ImportProblem::TeiNoLatinName {
            id: c.id.as_deref().unwrap_or("(without xml:id)").to_string(),
        })?;
    let preferred = all.get(pi).map(|(t, _)| t.clone()).unwrap_or_default();
    let id =
        c.id.as_deref()
            .map(slug)
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| slug(&preferred));
    let mut e = Entity::new(id, kind, preferred);
    for (i, (t, ty)) in all.iter().enumerate() {
        if i != pi {
            add_name(&mut e, t, ty.as_deref().and_then(parse_system));
        }
    }
    e.start = c.birth;
    e.end = c.death;
    let mut notes = c.notes.into_iter();
    e.description = notes.next();
    e.notes = notes.collect();
    e.wikidata = c.wikidata;
    e.source = Some(format!("Imported from TEI: {source}"));
    Ok(e)
}

// ---------------------------------------------------------------- CSV

/// The CSV header `import` reads (and `--format csv` writes nowhere: it is an input).
pub const CSV_HEADER: &[&str] = &[
    "id",
    "kind",
    "preferred",
    "names",
    "native",
    "start",
    "end",
    "description",
    "source",
];

fn csv_rows(text: &str, source: &str) -> Imported {
    let mut out = Imported::default();
    let mut rd = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match rd.headers() {
        Ok(h) => h.iter().map(|s| s.to_ascii_lowercase()).collect(),
        Err(e) => {
            out.problems.push(ImportProblem::CsvHeader(e));
            return out;
        }
    };
    let col = |name: &str| header.iter().position(|h| h == name);
    if col("preferred").is_none() || col("kind").is_none() {
        out.problems.push(ImportProblem::CsvColumns);
        return out;
    }
    for (n, row) in rd.records().enumerate() {
        let line = n + 2;
        let row = match row {
            Ok(r) => r,
            Err(source) => {
                out.problems.push(ImportProblem::CsvRow { line, source });
                continue;
            }
        };
        let get = |name: &str| {
            col(name)
                .and_then(|i| row.get(i))
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        let Some(preferred) = get("preferred") else {
            out.problems.push(ImportProblem::CsvNoPreferred { line });
            continue;
        };
        let kind_text = get("kind").unwrap_or("");
        let Ok(kind) = toml::Value::String(kind_text.to_ascii_lowercase()).try_into() else {
            out.problems.push(ImportProblem::CsvKind {
                line,
                kind: kind_text.to_string(),
            });
            continue;
        };
        let id = get("id").map(slug).unwrap_or_else(|| slug(preferred));
        let mut e = Entity::new(id, kind, preferred);
        for n in get("names").unwrap_or("").split(';') {
            let (t, sys) = match n.rsplit_once('|') {
                Some((t, s)) => (t, parse_system(s)),
                None => (n, None),
            };
            add_name(&mut e, t.trim(), sys);
        }
        for n in get("native").unwrap_or("").split(';') {
            let n = n.trim();
            if !n.is_empty() && !e.native.iter().any(|x| x == n) {
                e.native.push(n.to_string());
            }
        }
        for (field, slot) in [("start", &mut e.start), ("end", &mut e.end)] {
            if let Some(d) = get(field) {
                match super::edtf::parse(d) {
                    Ok(_) => *slot = Some(d.to_string()),
                    Err(source) => out.problems.push(ImportProblem::CsvDate {
                        line,
                        field,
                        date: d.to_string(),
                        source,
                    }),
                }
            }
        }
        e.description = get("description").map(str::to_string);
        e.source = Some(
            get("source")
                .map(str::to_string)
                .unwrap_or_else(|| format!("Imported from CSV: {source}")),
        );
        out.entities.push(e);
    }
    out
}

// ---------------------------------------------------------------- Wikidata

/// P31 (instance of) values that say the kind.
const PERSON: &[&str] = &["Q5"];
const PLACE: &[&str] = &[
    "Q515", "Q6256", "Q3624078", "Q486972", "Q5119", "Q1549591", "Q23442", "Q4022", "Q8502",
    "Q82794", "Q35657", "Q1637706", "Q7930989", "Q56061", "Q2221906", "Q50337", "Q3024240",
    "Q1620908",
];
const ORGANISATION: &[&str] = &[
    "Q43229",
    "Q7210356",
    "Q7278",
    "Q484652",
    "Q327333",
    "Q15911314",
    "Q176799",
    "Q4830453",
    "Q2659904",
    "Q1752346",
    "Q245065",
    "Q11422536",
    "Q1320047",
];
const EVENT: &[&str] = &[
    "Q1190554", "Q198", "Q178561", "Q131569", "Q2001676", "Q1656682", "Q645883", "Q93288",
    "Q103495", "Q2380335", "Q180684", "Q625298", "Q864113",
];

fn wikidata(text: &str, source: &str) -> Imported {
    let mut out = Imported::default();
    let v: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            out.problems.push(ImportProblem::WikidataJson(e));
            return out;
        }
    };
    let items: Vec<&serde_json::Value> = match v.get("entities").and_then(|e| e.as_object()) {
        Some(m) => m.values().collect(),
        None if v.get("id").is_some() => vec![&v],
        None => {
            out.problems.push(ImportProblem::WikidataShape);
            return out;
        }
    };
    for item in items {
        match wikidata_item(item, source) {
            Ok(e) => out.entities.push(e),
            Err(m) => out.problems.push(m),
        }
    }
    out
}

fn claim_values<'a>(item: &'a serde_json::Value, p: &str) -> Vec<&'a serde_json::Value> {
    item.get("claims")
        .and_then(|c| c.get(p))
        .and_then(|c| c.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|c| c.get("mainsnak")?.get("datavalue")?.get("value"))
                .collect()
        })
        .unwrap_or_default()
}

/// A Wikidata time value as EDTF, to its precision (9 year, 10 month, 11 day).
fn wd_time(v: &serde_json::Value) -> Option<String> {
    let t = v.get("time")?.as_str()?;
    let precision = v.get("precision").and_then(|p| p.as_u64()).unwrap_or(11);
    let t = t.strip_prefix('+')?;
    let date = t.split('T').next()?;
    let mut parts = date.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let y: i32 = y.parse().ok()?;
    if !(0..=9999).contains(&y) {
        return None;
    }
    let s = match precision {
        0..=9 => format!("{y:04}"),
        10 => format!("{y:04}-{m}"),
        _ => format!("{y:04}-{m}-{d}"),
    };
    super::edtf::parse(&s).ok().map(|_| s)
}

fn wikidata_item(item: &serde_json::Value, source: &str) -> Result<Entity, ImportProblem> {
    let qid = item
        .get("id")
        .and_then(|i| i.as_str())
        .unwrap_or("")
        .to_string();
    let label = |lang: &str| {
        item.get("labels")
            .and_then(|l| l.get(lang))
            .and_then(|l| l.get("value"))
            .and_then(|v| v.as_str())
    };
    let preferred = label("en")
        .or_else(|| label("mul"))
        .ok_or_else(|| ImportProblem::WikidataNoLabel { qid: qid.clone() })?
        .to_string();
    let is = |set: &[&str]| {
        claim_values(item, "P31")
            .iter()
            .filter_map(|v| v.get("id").and_then(|i| i.as_str()))
            .any(|i| set.contains(&i))
    };
    let kind = if is(PERSON) {
        EntityKind::Person
    } else if is(PLACE) {
        EntityKind::Place
    } else if is(ORGANISATION) {
        EntityKind::Organisation
    } else if is(EVENT) {
        EntityKind::Event
    } else if !claim_values(item, "P569").is_empty() {
        EntityKind::Person
    } else {
        return Err(ImportProblem::WikidataKind { qid, preferred });
    };
    let mut e = Entity::new(slug(&preferred), kind, preferred);
    // Other labels: Latin-script ones as variants, the rest as native names.
    if let Some(labels) = item.get("labels").and_then(|l| l.as_object()) {
        let mut langs: Vec<&String> = labels.keys().collect();
        langs.sort();
        for lang in langs {
            if let Some(t) = labels
                .get(lang)
                .and_then(|l| l.get("value"))
                .and_then(|v| v.as_str())
                && (non_latin(t) || matches!(lang.as_str(), "fr" | "de" | "ko" | "zh" | "ru"))
            {
                add_name(&mut e, t, None);
            }
        }
    }
    if let Some(aliases) = item
        .get("aliases")
        .and_then(|a| a.get("en"))
        .and_then(|a| a.as_array())
    {
        for a in aliases {
            if let Some(t) = a.get("value").and_then(|v| v.as_str()) {
                add_name(&mut e, t, None);
            }
        }
    }
    let (from, to) = match kind {
        EntityKind::Person => ("P569", "P570"),
        _ => ("P571", "P576"),
    };
    e.start = claim_values(item, from).first().and_then(|v| wd_time(v));
    e.end = claim_values(item, to).first().and_then(|v| wd_time(v));
    e.description = item
        .get("descriptions")
        .and_then(|d| d.get("en"))
        .and_then(|d| d.get("value"))
        .and_then(|v| v.as_str())
        .map(str::to_string);
    if qid.starts_with('Q') {
        e.wikidata = Some(qid.clone());
    }
    e.source = Some(format!("Imported from Wikidata {qid}: {source}"));
    Ok(e)
}

/// Entities as a gazetteer file (TOML), every entry under `[[entity]]`.
pub fn to_toml(entities: &[Entity]) -> String {
    #[derive(serde::Serialize)]
    struct File<'a> {
        entity: &'a [Entity],
    }
    toml::to_string(&File { entity: entities }).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(format: Format, text: &str) -> Vec<Entity> {
        let got = import(format, text, "test");
        assert!(got.problems.is_empty(), "{:?}", got.problems);
        let toml = to_toml(&got.entities);
        let (back, problems) = super::super::parse_toml(&toml);
        assert!(problems.is_empty(), "{problems:?}\n{toml}");
        let back: Vec<Entity> = back.into_iter().map(|(e, _)| e).collect();
        assert_eq!(back, got.entities, "{toml}");
        got.entities
    }

    #[test]
    fn tei_round_trip() {
        let tei = r#"<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>
<listPerson>
  <person xml:id="pak-hon-yong">
    <persName type="preferred">Pak Hon-yong</persName>
    <persName type="mccune-reischauer">Pak Hŏn-yŏng</persName>
    <persName xml:lang="ko">박헌영</persName>
    <birth when="1900-05-28"/>
    <death>1956</death>
    <note>Communist leader &amp; DPRK foreign minister.</note>
  </person>
</listPerson>
<listPlace><place xml:id="kaesong"><placeName>Kaesong</placeName><placeName>Kaesŏng</placeName></place></listPlace>
<listOrg><org xml:id="kpa"><orgName><abbr>KPA</abbr></orgName><orgName>Korean People's Army</orgName><idno type="wikidata">Q1132187</idno></org></listOrg>
</body></text></TEI>"#;
        let es = round_trip(Format::Tei, tei);
        assert_eq!(es.len(), 3);
        assert_eq!(es[0].preferred, "Pak Hon-yong");
        assert_eq!(es[0].names[0].system, Some(System::McCuneReischauer));
        assert_eq!(es[0].native, vec!["박헌영"]);
        assert_eq!(es[0].start.as_deref(), Some("1900-05-28"));
        assert_eq!(es[0].end.as_deref(), Some("1956"));
        assert_eq!(
            es[0].description.as_deref(),
            Some("Communist leader & DPRK foreign minister.")
        );
        assert_eq!(es[1].kind, EntityKind::Place);
        assert_eq!(es[2].preferred, "KPA");
        assert_eq!(es[2].wikidata.as_deref(), Some("Q1132187"));
    }

    #[test]
    fn csv_round_trip() {
        let csv = "id,kind,preferred,names,native,start,end,description,source\n\
kovalev,person,Ivan Kovalev,Kowaljow|german;I. V. Kovalev,Иван Ковалёв,1901,1993,\"Soviet railway minister, sent to Mao\",notes\n\
,place,Sinuiju,Sinŭiju|mccune-reischauer,신의주,,,,\n\
x,nonsense,Y Z,,,,,,\n";
        let got = import(Format::Csv, csv, "t.csv");
        assert_eq!(got.problems.len(), 1, "{:?}", got.problems);
        let es = got.entities;
        assert_eq!(es.len(), 2);
        assert_eq!(es[0].names[0].system, Some(System::German));
        assert_eq!(es[1].id, "sinuiju");
        let ok = "id,kind,preferred,names\na,person,Alpha Person,Alfa Person\n";
        round_trip(Format::Csv, ok);
    }

    #[test]
    fn problems_say_where_what_and_what_became_of_the_entry() {
        let cases: [(Format, &str, &[&str]); 5] = [
            (
                Format::Csv,
                "kind,preferred,start\nnonsense,Y Z,\nperson,,\nperson,A B,1949-02-30\n",
                &[
                    "CSV line 2: unknown kind `nonsense` (person, place, organisation, event); skipped",
                    "CSV line 3: no preferred name; skipped",
                    "CSV line 4: start `1949-02-30`: `1949-02-30`: Feb has no day 30; left out",
                ],
            ),
            (
                Format::Csv,
                "id,names\n",
                &[
                    "CSV: the header must name at least `kind` and `preferred` (expected: id,kind,preferred,names,native,start,end,description,source)",
                ],
            ),
            (
                Format::Wikidata,
                "{\"entities\":3}",
                &["Wikidata JSON: expected {\"entities\": {\"Q…\": {…}}}"],
            ),
            (
                Format::Wikidata,
                r#"{"entities":{"Q9":{"id":"Q9","labels":{"en":{"value":"Thing"}}}}}"#,
                &[
                    "Wikidata Q9 (Thing): its P31 (instance of) does not say person, place, organisation or event; skipped",
                ],
            ),
            (
                Format::Tei,
                "<listPerson><person xml:id=\"k\"><persName>김일성</persName></person></listPerson>",
                &["TEI: the entry k has no name in Latin script; skipped"],
            ),
        ];
        for (format, text, want) in cases {
            let got = import(format, text, "t");
            let says: Vec<String> = got.problems.iter().map(|p| p.to_string()).collect();
            assert_eq!(says, want, "{text}");
        }
    }

    #[test]
    fn wikidata_round_trip() {
        let json = r#"{"entities":{"Q1":{"id":"Q1","labels":{"en":{"language":"en","value":"Pak Hon-yong"},"ko":{"language":"ko","value":"박헌영"}},
"descriptions":{"en":{"value":"Korean communist"}},"aliases":{"en":[{"value":"Pak Heon-yeong"}]},
"claims":{"P31":[{"mainsnak":{"datavalue":{"value":{"id":"Q5"}}}}],
"P569":[{"mainsnak":{"datavalue":{"value":{"time":"+1900-05-28T00:00:00Z","precision":11}}}}],
"P570":[{"mainsnak":{"datavalue":{"value":{"time":"+1956-00-00T00:00:00Z","precision":9}}}}]}}}}"#;
        let es = round_trip(Format::Wikidata, json);
        assert_eq!(es[0].kind, EntityKind::Person);
        assert_eq!(es[0].start.as_deref(), Some("1900-05-28"));
        assert_eq!(es[0].end.as_deref(), Some("1956"));
        assert_eq!(es[0].native, vec!["박헌영"]);
        assert_eq!(es[0].names[0].text, "Pak Heon-yeong");
        assert_eq!(es[0].wikidata.as_deref(), Some("Q1"));
    }

    #[test]
    fn broken_inputs_do_not_panic() {
        for f in [Format::Tei, Format::Csv, Format::Wikidata] {
            for t in [
                "",
                "<",
                "{",
                "<person><persName>",
                "a,b\n\"",
                "{\"entities\":3}",
            ] {
                let _ = import(f, t, "x");
            }
        }
    }
}
