//! The gazetteer: persons, places, organisations and events with their names.
//! (The model is fixed here; the knowledge owner fills in data, loading and merging.)

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Person,
    Place,
    Organisation,
    Event,
}

/// The convention a spelling follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum System {
    /// Korean McCune–Reischauer (Sŏul, P'yŏngyang).
    McCuneReischauer,
    /// Korean Revised Romanization (Pyeongyang).
    Revised,
    /// DPRK official romanisation (Phyŏngyang).
    NorthKorean,
    /// Chinese Wade–Giles (Mao Tse-tung).
    WadeGiles,
    /// Chinese Hanyu Pinyin (Mao Zedong).
    Pinyin,
    /// Chinese postal romanisation (Peking).
    Postal,
    /// Russian English-style / BGN-PCGN (Bazhanov).
    BgnPcgn,
    /// Russian French-style (Bajanov, Chtykov).
    French,
    /// Russian German-style (Schtykow).
    German,
    /// Russian scholarly / ISO 9 (Štykov).
    Scholarly,
    /// The usual English form (Seoul, Kim Il Sung, Syngman Rhee).
    Conventional,
    /// A known OCR corruption (Kim II Sung).
    Ocr,
    /// Another or unknown convention.
    Other,
}

/// One way of writing an entity's name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Name {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<System>,
}

/// A role held over a period (EDTF dates; open ends allowed).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// Stable identifier, e.g. `kim-il-sung`.
    pub id: String,
    pub kind: EntityKind,
    /// The preferred display name.
    pub preferred: String,
    /// Every other spelling, with its system where known.
    #[serde(default)]
    pub names: Vec<Name>,
    /// Names in native scripts (Hangul, Hanja, Cyrillic, Chinese characters).
    #[serde(default)]
    pub native: Vec<String>,
    /// Birth or founding (EDTF).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// Death or dissolution (EDTF).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    #[serde(default)]
    pub roles: Vec<Role>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Things worth knowing (anachronisms, calendar notes).
    #[serde(default)]
    pub notes: Vec<String>,
    /// Where the facts come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// A Wikidata id, only where verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wikidata: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Gazetteer {
    pub entities: Vec<Entity>,
}

impl Gazetteer {
    /// The embedded default gazetteer (Korea 1945–1953).
    pub fn embedded() -> Gazetteer {
        Gazetteer::default()
    }
}
