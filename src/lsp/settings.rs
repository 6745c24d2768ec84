//! Editor settings: the `annalist` section of `initializationOptions` or
//! `workspace/didChangeConfiguration`, laid over the workspace's `annalist.toml`.

use crate::config::{ClaimScope, Config, Level};
use serde_json::Value;

/// Apply editor settings over `base`. Unknown keys are ignored; wrong values are
/// reported as messages and skipped.
pub fn apply(base: &Config, settings: &Value) -> (Config, Vec<String>) {
    let mut c = base.clone();
    let mut problems = Vec::new();
    // Accept both `{annalist: {...}}` and the section itself.
    let s = settings.get("annalist").unwrap_or(settings);
    if let Some(rules) = s.get("rules").and_then(Value::as_object) {
        for (code, v) in rules {
            match v.as_str().and_then(Level::parse) {
                Some(level) => {
                    c.rules.insert(code.clone(), level);
                }
                None => problems.push(format!(
                    "annalist.rules.{code}: expected off, hint, info, warning or error, got {v}"
                )),
            }
        }
    }
    if let Some(r) = s.get("romanisation").and_then(Value::as_object) {
        let get = |k: &str| {
            r.get(k)
                .and_then(Value::as_str)
                .filter(|v| !v.is_empty())
                .map(String::from)
        };
        if let Some(v) = get("korean") {
            c.romanisation.korean = Some(v);
        }
        if let Some(v) = get("chinese") {
            c.romanisation.chinese = Some(v);
        }
        if let Some(v) = get("russian") {
            c.romanisation.russian = Some(v);
        }
        if let Some(v) = get("prefer") {
            c.romanisation.prefer = Some(v);
        }
        if let Some(v) = r.get("acrossFiles").and_then(Value::as_bool) {
            c.romanisation.across_files = v;
        }
    }
    if let Some(scope) = s.pointer("/claims/scope").and_then(Value::as_str) {
        match scope {
            "sentence" => c.claims.scope = ClaimScope::Sentence,
            "paragraph" => c.claims.scope = ClaimScope::Paragraph,
            other => problems.push(format!(
                "annalist.claims.scope: expected sentence or paragraph, got {other}"
            )),
        }
    }
    if let Some(f) = s.get("features").and_then(Value::as_object) {
        let flag = |k: &str| f.get(k).and_then(Value::as_bool);
        if let Some(v) = flag("hover") {
            c.features.hover = v;
        }
        if let Some(v) = flag("semanticTokens") {
            c.features.semantic_tokens = v;
        }
        if let Some(v) = flag("inlayHints") {
            c.features.inlay_hints = v;
        }
        if let Some(v) = flag("completion") {
            c.features.completion = v;
        }
        if let Some(v) = flag("entities") {
            c.features.entities = v;
        }
        if let Some(v) = flag("dates") {
            c.features.dates = v;
        }
    }
    (c, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_override_and_report() {
        let base = Config::default();
        let (c, p) = apply(
            &base,
            &serde_json::json!({"annalist": {"rules": {"footnote-unused": "off", "x": "loud"},
                "claims": {"scope": "sentence"}, "features": {"inlayHints": false}}}),
        );
        assert_eq!(c.level("footnote-unused"), Some(Level::Off));
        assert_eq!(c.claims.scope, ClaimScope::Sentence);
        assert!(!c.features.inlay_hints);
        assert_eq!(p.len(), 1);
    }
}
