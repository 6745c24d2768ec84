//! Editor settings: the `annalist` section of `initializationOptions` or
//! `workspace/didChangeConfiguration`, laid over each document's `annalist.toml`.
//!
//! Every key and value is checked as `annalist.toml` is: an unknown key (with a
//! did-you-mean) or a wrong value is a problem naming the setting, where it came from
//! and what to write instead; the server shows it with `window/showMessage`, and the
//! setting is skipped (the configuration file's value stays).

use crate::config::{ClaimScope, Config, Level, did_you_mean, quoted};
use crate::romanisation::{CHINESE, KOREAN, Language, RUSSIAN, parse_system};
use serde_json::{Map, Value};

/// Where settings came from, for messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Initialization,
    DidChangeConfiguration,
}

impl Source {
    fn name(self) -> &'static str {
        match self {
            Source::Initialization => "initializationOptions",
            Source::DidChangeConfiguration => "workspace/didChangeConfiguration",
        }
    }
}

const TOP: &[&str] = &[
    "rules",
    "romanisation",
    "claims",
    "features",
    "server",
    "trace",
];
const ROMANISATION: &[&str] = &["korean", "chinese", "russian", "prefer", "acrossFiles"];
const CLAIMS: &[&str] = &["scope"];
const FEATURES: &[&str] = &[
    "hover",
    "semanticTokens",
    "inlayHints",
    "completion",
    "entities",
    "dates",
];
const LEVELS: &str = "\"off\", \"hint\", \"info\", \"warning\" or \"error\"";

/// The settings' `annalist` section: `{annalist: {...}}` or the section itself.
fn section(settings: &Value) -> &Value {
    settings.get("annalist").unwrap_or(settings)
}

/// Apply editor settings over `base`, silently skipping what is wrong (see
/// [`problems`] for the messages).
pub fn apply(base: &Config, settings: &Value) -> (Config, Vec<String>) {
    let mut c = base.clone();
    let mut p = Problems::new(Source::Initialization);
    walk(&mut c, section(settings), &mut p);
    (c, p.out)
}

/// What is wrong with the editor settings, one message each: what, where, what to do.
pub fn problems(settings: &Value, source: Source) -> Vec<String> {
    let mut c = Config::default();
    let mut p = Problems::new(source);
    walk(&mut c, section(settings), &mut p);
    p.out
}

struct Problems {
    source: Source,
    out: Vec<String>,
}

impl Problems {
    fn new(source: Source) -> Problems {
        Problems {
            source,
            out: Vec::new(),
        }
    }

    fn push(&mut self, key: &str, what: String) {
        self.out.push(format!(
            "annalist: editor setting `annalist.{key}` (sent as {}): {what}; it is ignored (the annalist.toml value applies). Fix it in your editor's Annalist settings.",
            self.source.name()
        ));
    }

    /// Unknown keys of `obj` (at `prefix`) reported with a did-you-mean.
    fn unknown(&mut self, prefix: &str, obj: &Map<String, Value>, known: &[&str]) {
        for k in obj.keys() {
            if known.contains(&k.as_str()) {
                continue;
            }
            let hint = did_you_mean(k, known)
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            let key = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            self.push(
                &key,
                format!("unknown key{hint}; the keys here are {}", known.join(", ")),
            );
        }
    }

    /// The object at `key`, or a problem if it is something else (`null` is absent).
    fn object<'v>(&mut self, key: &str, v: Option<&'v Value>) -> Option<&'v Map<String, Value>> {
        match v? {
            Value::Null => None,
            Value::Object(m) => Some(m),
            other => {
                self.push(key, format!("expected a table of settings, got {other}"));
                None
            }
        }
    }

    fn bool(&mut self, key: &str, v: Option<&Value>) -> Option<bool> {
        match v? {
            Value::Null => None,
            Value::Bool(b) => Some(*b),
            other => {
                self.push(key, format!("expected true or false, got {other}"));
                None
            }
        }
    }

    /// A string (`null` or empty: unset).
    fn string(&mut self, key: &str, v: Option<&Value>, expected: &str) -> Option<String> {
        match v? {
            Value::Null => None,
            Value::String(s) if s.is_empty() => None,
            Value::String(s) => Some(s.clone()),
            other => {
                self.push(key, format!("expected {expected}, got {other}"));
                None
            }
        }
    }

    fn choice(&mut self, key: &str, s: &str, choices: &[&str]) -> bool {
        if choices.contains(&s) {
            return true;
        }
        let hint = did_you_mean(s, choices)
            .map(|x| format!(" (did you mean `{x}`?)"))
            .unwrap_or_default();
        self.push(
            key,
            format!("`{s}` is not one of {}{hint}", quoted(choices)),
        );
        false
    }
}

fn walk(c: &mut Config, s: &Value, p: &mut Problems) {
    let s = match s {
        Value::Null => return,
        Value::Object(m) => m,
        other => {
            p.out.push(format!(
                "annalist: the editor sent settings that are not a table ({other}, as {}); they are ignored. Give the `annalist` section as a table of settings.",
                p.source.name()
            ));
            return;
        }
    };
    p.unknown("", s, TOP);
    if let Some(rules) = p.object("rules", s.get("rules")) {
        let codes = crate::rules::codes();
        for (code, v) in rules {
            let key = format!("rules.{code}");
            if !codes.contains(&code.as_str()) {
                let hint = did_you_mean(code, &codes)
                    .map(|x| format!(" (did you mean `{x}`?)"))
                    .unwrap_or_default();
                p.push(
                    &key,
                    format!("no rule has this code{hint}; `annalist rules` lists them"),
                );
                continue;
            }
            match v.as_str().and_then(Level::parse) {
                Some(level) => {
                    c.rules.insert(code.clone(), level);
                }
                None => p.push(&key, format!("expected {LEVELS}, got {v}")),
            }
        }
    }
    if let Some(r) = p.object("romanisation", s.get("romanisation")) {
        p.unknown("romanisation", r, ROMANISATION);
        let systems = [
            ("korean", Language::Korean, KOREAN),
            ("chinese", Language::Chinese, CHINESE),
            ("russian", Language::Russian, RUSSIAN),
        ];
        for (k, lang, choices) in systems {
            let key = format!("romanisation.{k}");
            let expected = format!("one of {} or null", quoted(choices));
            let Some(v) = p.string(&key, r.get(k), &expected) else {
                continue;
            };
            if parse_system(lang, &v).is_none() {
                p.choice(&key, &v.to_ascii_lowercase(), choices);
                continue;
            }
            let slot = match lang {
                Language::Korean => &mut c.romanisation.korean,
                Language::Chinese => &mut c.romanisation.chinese,
                Language::Russian => &mut c.romanisation.russian,
            };
            *slot = Some(v);
        }
        let prefer = "romanisation.prefer";
        if let Some(v) = p.string(prefer, r.get("prefer"), "\"majority\" or \"first\"")
            && p.choice(prefer, &v, crate::config::PREFER)
        {
            c.romanisation.prefer = Some(v);
        }
        if let Some(v) = p.bool("romanisation.acrossFiles", r.get("acrossFiles")) {
            c.romanisation.across_files = v;
        }
    }
    if let Some(cl) = p.object("claims", s.get("claims")) {
        p.unknown("claims", cl, CLAIMS);
        if let Some(v) = p.string(
            "claims.scope",
            cl.get("scope"),
            "\"sentence\" or \"paragraph\"",
        ) && p.choice("claims.scope", &v, &["sentence", "paragraph"])
        {
            c.claims.scope = if v == "sentence" {
                ClaimScope::Sentence
            } else {
                ClaimScope::Paragraph
            };
        }
    }
    if let Some(f) = p.object("features", s.get("features")) {
        p.unknown("features", f, FEATURES);
        let slots: [(&str, &mut bool); 6] = [
            ("hover", &mut c.features.hover),
            ("semanticTokens", &mut c.features.semantic_tokens),
            ("inlayHints", &mut c.features.inlay_hints),
            ("completion", &mut c.features.completion),
            ("entities", &mut c.features.entities),
            ("dates", &mut c.features.dates),
        ];
        for (k, slot) in slots {
            if let Some(v) = p.bool(&format!("features.{k}"), f.get(k)) {
                *slot = v;
            }
        }
    }
    // `server` and `trace` are the client's own (the binary's path, tracing).
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn settings_override_and_report() {
        let base = Config::default();
        let (c, p) = apply(
            &base,
            &json!({"annalist": {"rules": {"footnote-unused": "off", "footnote-undefined": "loud"},
                "claims": {"scope": "sentence"}, "features": {"inlayHints": false}}}),
        );
        assert_eq!(c.level("footnote-unused"), Some(Level::Off));
        assert_eq!(c.claims.scope, ClaimScope::Sentence);
        assert!(!c.features.inlay_hints);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].contains("annalist.rules.footnote-undefined"), "{p:?}");
    }

    #[test]
    fn what_the_editors_send_is_accepted() {
        // The VS Code extension's settings, defaults as sent (nulls included).
        let vscode = json!({"annalist": {
            "server": {"path": ""},
            "rules": {},
            "romanisation": {"korean": null, "chinese": null, "russian": null, "prefer": "majority"},
            "claims": {"scope": "paragraph"},
            "features": {"hover": true, "semanticTokens": true, "inlayHints": true,
                "completion": true, "entities": true, "dates": true},
            "trace": {"server": "off"}}});
        assert_eq!(
            problems(&vscode, Source::Initialization),
            Vec::<String>::new()
        );
        assert!(problems(&Value::Null, Source::Initialization).is_empty());
        assert!(problems(&json!({"annalist": {}}), Source::Initialization).is_empty());
        let (c, _) = apply(
            &Config::default(),
            &json!({"romanisation": {"korean": "revised", "chinese": "wg"}}),
        );
        assert_eq!(c.romanisation.korean.as_deref(), Some("revised"));
        assert_eq!(c.romanisation.chinese.as_deref(), Some("wg"));
    }

    #[test]
    fn every_wrong_key_and_value_is_said_with_where_and_what_to_do() {
        let s = json!({"annalist": {
            "featurs": {},
            "rules": {"footnote-unusd": "off"},
            "romanisation": {"korean": "hepburn", "prefer": "most", "acrossFiles": "yes"},
            "claims": {"scope": "page"},
            "features": {"hover": "true", "inlay": true}}});
        let p = problems(&s, Source::DidChangeConfiguration);
        let has = |needle: &str| p.iter().any(|m| m.contains(needle));
        // One message saying both.
        let says = |key: &str, what: &str| p.iter().any(|m| m.contains(key) && m.contains(what));
        assert_eq!(p.len(), 8, "{p:#?}");
        assert!(
            says("`annalist.featurs`", "did you mean `features`?"),
            "{p:#?}"
        );
        assert!(says(
            "`annalist.rules.footnote-unusd`",
            "did you mean `footnote-unused`?"
        ));
        assert!(says("`annalist.romanisation.korean`", "\"revised\""));
        assert!(says("`annalist.romanisation.prefer`", "\"majority\""));
        assert!(says(
            "`annalist.romanisation.acrossFiles`",
            "expected true or false"
        ));
        assert!(has("`annalist.claims.scope`"));
        assert!(says(
            "`annalist.features.hover`",
            "expected true or false, got \"true\""
        ));
        assert!(says(
            "`annalist.features.inlay`",
            "did you mean `inlayHints`?"
        ));
        assert!(
            p.iter()
                .all(|m| m.contains("workspace/didChangeConfiguration")
                    && m.contains("Fix it in your editor's Annalist settings"))
        );
        // Wrong values are skipped: the base configuration stays.
        let (c, _) = apply(&Config::default(), &s);
        assert_eq!(c.romanisation.korean, None);
        assert!(c.features.hover);
        assert_eq!(c.claims.scope, Config::default().claims.scope);
        // Not a table at all.
        assert_eq!(
            problems(&json!({"annalist": 3}), Source::Initialization).len(),
            1
        );
    }
}
