//! The vocabulary of romanisation: the languages whose romanisations are compared, the
//! systems (conventions) a spelling can follow, and the names `annalist.toml` and the
//! editor settings give them. Plain data on `config`'s floor: `config` validates
//! `[romanisation]` with it, the gazetteer marks names with [`System`], and
//! `names::romanise` (the keys that compare spellings) re-uses both enums.

use serde::{Deserialize, Serialize};

/// The convention a spelling follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum System {
    /// Korean McCune–Reischauer (Sŏul, P'yŏngyang). Written `mccune-reischauer` in
    /// gazetteer files (serde's own spelling `mc-cune-reischauer` is accepted too).
    #[serde(alias = "mccune-reischauer")]
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

impl System {
    /// How a reader calls this convention.
    pub fn label(self) -> &'static str {
        match self {
            System::McCuneReischauer => "McCune–Reischauer",
            System::Revised => "Revised Romanization",
            System::NorthKorean => "DPRK romanisation",
            System::WadeGiles => "Wade–Giles",
            System::Pinyin => "Pinyin",
            System::Postal => "postal romanisation",
            System::BgnPcgn => "BGN/PCGN",
            System::French => "French transliteration",
            System::German => "German transliteration",
            System::Scholarly => "scholarly transliteration",
            System::Conventional => "conventional",
            System::Ocr => "OCR error",
            System::Other => "other",
        }
    }
}

/// The language whose romanisations are compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Language {
    Korean,
    Chinese,
    Russian,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::Korean => "Korean",
            Language::Chinese => "Chinese",
            Language::Russian => "Russian",
        }
    }

    /// The language a romanisation system belongs to, if any.
    pub fn of(system: System) -> Option<Language> {
        match system {
            System::McCuneReischauer | System::Revised | System::NorthKorean => {
                Some(Language::Korean)
            }
            System::WadeGiles | System::Pinyin | System::Postal => Some(Language::Chinese),
            System::BgnPcgn | System::French | System::German | System::Scholarly => {
                Some(Language::Russian)
            }
            System::Conventional | System::Ocr | System::Other => None,
        }
    }
}

/// The valid values of the `[romanisation]` string keys (each also has aliases that
/// [`parse_system`] accepts).
pub const KOREAN: &[&str] = &[
    "mccune-reischauer",
    "revised",
    "north-korean",
    "conventional",
];
pub const CHINESE: &[&str] = &["pinyin", "wade-giles", "postal", "conventional"];
pub const RUSSIAN: &[&str] = &["bgn-pcgn", "french", "german", "scholarly", "conventional"];

/// Parse a configured system name (annalist.toml `[romanisation]`).
pub fn parse_system(language: Language, s: &str) -> Option<System> {
    let s = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
    match (language, s.as_str()) {
        (Language::Korean, "mccune-reischauer" | "mr") => Some(System::McCuneReischauer),
        (Language::Korean, "revised" | "rr" | "revised-romanization") => Some(System::Revised),
        (Language::Korean, "north-korean" | "dprk") => Some(System::NorthKorean),
        (Language::Korean | Language::Chinese | Language::Russian, "conventional") => {
            Some(System::Conventional)
        }
        (Language::Chinese, "pinyin") => Some(System::Pinyin),
        (Language::Chinese, "wade-giles" | "wg") => Some(System::WadeGiles),
        (Language::Chinese, "postal") => Some(System::Postal),
        (Language::Russian, "bgn-pcgn" | "bgn" | "english") => Some(System::BgnPcgn),
        (Language::Russian, "french") => Some(System::French),
        (Language::Russian, "german") => Some(System::German),
        (Language::Russian, "scholarly" | "iso" | "iso9") => Some(System::Scholarly),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_name_parses_to_a_system_of_its_language() {
        for (language, names) in [
            (Language::Korean, KOREAN),
            (Language::Chinese, CHINESE),
            (Language::Russian, RUSSIAN),
        ] {
            for name in names {
                let system = parse_system(language, name);
                assert!(system.is_some(), "{name} ({language:?}) does not parse");
                let lang = system.and_then(Language::of);
                assert!(
                    lang.is_none() || lang == Some(language),
                    "{name} parses to another language's system"
                );
            }
        }
        assert_eq!(parse_system(Language::Chinese, "mr"), None);
        assert_eq!(parse_system(Language::Korean, " Wade_Giles "), None);
        assert_eq!(
            parse_system(Language::Chinese, " Wade_Giles "),
            Some(System::WadeGiles)
        );
    }
}
