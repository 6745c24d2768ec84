//! Rule selection from the command line (`--select`, `--extend-select`, `--ignore`,
//! `--rule CODE=SEVERITY`), checked once and laid over each configuration `check`
//! uses.

use super::output;
use crate::config::{self, Config, Level};

/// Every code `--rule` and `[rules]` accept.
pub fn known_codes() -> Vec<&'static str> {
    output::known_rules().iter().map(|r| r.code).collect()
}

/// Apply `--rule CODE=SEVERITY` overrides to `config`.
pub fn apply_rule_overrides(config: &mut Config, overrides: &[String]) -> Result<(), String> {
    let codes = known_codes();
    for o in overrides {
        let Some((code, level)) = o.split_once('=') else {
            return Err(format!(
                "--rule takes CODE=SEVERITY (error, warning, info, hint, off); got `{o}`"
            ));
        };
        let code = code.trim();
        if !codes.contains(&code) {
            return Err(format!(
                "--rule: no rule has the code `{code}`{}; the codes are: {}",
                suggest(code, &codes)
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default(),
                codes.join(", ")
            ));
        }
        let Some(level) = Level::parse(level) else {
            return Err(format!(
                "--rule {code}: `{level}` is not a severity (error, warning, info, hint, off)"
            ));
        };
        config.rules.insert(code.to_string(), level);
    }
    Ok(())
}

/// The known code closest to `code`, if any is close (see [`config::did_you_mean`]).
pub fn suggest<'a>(code: &str, codes: &[&'a str]) -> Option<&'a str> {
    config::did_you_mean(code, codes)
}

/// Whether a `--select`/`--ignore` selector names `code`: the code itself, its family
/// prefix (`footnote-` or `footnote`), or `all`.
pub fn selects(selector: &str, code: &str) -> bool {
    let s = selector.trim().to_ascii_lowercase();
    let stem = s.trim_end_matches('-');
    s == "all" || code == s || (!stem.is_empty() && code.starts_with(&format!("{stem}-")))
}

/// Rule selection from the command line, checked once and applied to each configuration.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    pub select: Vec<String>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
    pub rules: Vec<String>,
}

impl Selection {
    /// Every selector must name at least one rule.
    pub fn validate(&self) -> Result<(), String> {
        let codes = known_codes();
        for (flag, list) in [
            ("--select", &self.select),
            ("--extend-select", &self.extend_select),
            ("--ignore", &self.ignore),
        ] {
            for sel in list.iter().filter(|s| !s.trim().is_empty()) {
                if !codes.iter().any(|c| selects(sel, c)) {
                    return Err(format!(
                        "{flag}: `{sel}` names no rule{}; give codes or family prefixes such as `footnote-` (`annalist rules` lists the codes)",
                        suggest(sel, &codes)
                            .map(|s| format!(" (did you mean `{s}`?)"))
                            .unwrap_or_default()
                    ));
                }
            }
        }
        apply_rule_overrides(&mut Config::default(), &self.rules)
    }

    /// Lay the selection over a configuration: `--select` switches every other rule
    /// off, `--select`/`--extend-select` switch their rules on (at the default severity
    /// when the configuration had them off), `--ignore` switches off, `--rule` last.
    pub fn apply(&self, config: &mut Config) -> Result<(), String> {
        let on = |c: &str, list: &[String]| list.iter().any(|s| selects(s, c));
        let live = |v: &[String]| v.iter().any(|s| !s.trim().is_empty());
        if live(&self.select) || live(&self.extend_select) {
            for r in output::known_rules() {
                let chosen = on(r.code, &self.select) || on(r.code, &self.extend_select);
                if chosen {
                    if config.level(r.code) == Some(Level::Off) {
                        config.rules.remove(r.code);
                    }
                } else if live(&self.select) {
                    config.rules.insert(r.code.to_string(), Level::Off);
                }
            }
        }
        for r in output::known_rules() {
            if on(r.code, &self.ignore) {
                config.rules.insert(r.code.to_string(), Level::Off);
            }
        }
        apply_rule_overrides(config, &self.rules)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_overrides_validate_codes_and_levels() {
        let mut c = Config::default();
        assert!(apply_rule_overrides(&mut c, &["analysis-limited=error".into()]).is_ok());
        assert_eq!(c.level("analysis-limited"), Some(Level::Error));
        let e = apply_rule_overrides(&mut c, &["analysis-limimted=off".into()]).err();
        let e = e.unwrap_or_default();
        assert!(e.contains("did you mean `analysis-limited`"), "{e}");
        assert!(apply_rule_overrides(&mut c, &["analysis-limited=loud".into()]).is_err());
        assert!(apply_rule_overrides(&mut c, &["analysis-limited".into()]).is_err());
    }

    #[test]
    fn suggestions_are_close_or_none() {
        let codes = ["footnote-undefined", "footnote-unused", "name-ocr"];
        assert_eq!(
            suggest("footnote-undefind", &codes),
            Some("footnote-undefined")
        );
        assert_eq!(suggest("ocr", &codes), Some("name-ocr"));
        assert_eq!(suggest("completely-different-thing", &codes), None);
    }
}
