//! The emails' words: one catalogue per widget language (`crates/server/i18n/email/<lang>.json`),
//! compiled in, English the fallback for a missing language or key. `{name}` placeholders are
//! filled by [`fill`]; the tests check that every catalogue has English's keys and placeholders.

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDateTime, Timelike};

/// The widget's languages, English first (defined once, in the model).
pub use booking_model::LANGS;

const SOURCES: [(&str, &str); 7] = [
    ("en", include_str!("../../i18n/email/en.json")),
    ("fr", include_str!("../../i18n/email/fr.json")),
    ("de", include_str!("../../i18n/email/de.json")),
    ("es", include_str!("../../i18n/email/es.json")),
    ("it", include_str!("../../i18n/email/it.json")),
    ("nl", include_str!("../../i18n/email/nl.json")),
    ("pt", include_str!("../../i18n/email/pt.json")),
];

/// One language's texts, day names and month names.
#[derive(Debug, Default)]
pub struct Catalogue {
    texts: HashMap<String, String>,
    weekdays: Vec<String>,
    months: Vec<String>,
}

fn parse(source: &str) -> Catalogue {
    let value: serde_json::Value = serde_json::from_str(source).unwrap_or_default();
    let mut catalogue = Catalogue::default();
    let names = |v: Option<&serde_json::Value>| -> Vec<String> {
        v.and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    catalogue.weekdays = names(value.get("weekdays"));
    catalogue.months = names(value.get("months"));
    if let Some(object) = value.as_object() {
        for (key, text) in object {
            if let Some(text) = text.as_str() {
                catalogue.texts.insert(key.clone(), text.to_owned());
            }
        }
    }
    catalogue
}

fn all() -> &'static HashMap<&'static str, Catalogue> {
    static ALL: OnceLock<HashMap<&'static str, Catalogue>> = OnceLock::new();
    ALL.get_or_init(|| SOURCES.iter().map(|(l, s)| (*l, parse(s))).collect())
}

/// The supported language `lang` names (`fr`, `fr-CA` → `fr`), else English.
pub fn resolve(lang: &str) -> &'static str {
    booking_model::lang_from_tag(lang).unwrap_or("en")
}

/// The words of `lang` (English when unsupported).
pub fn words(lang: &str) -> Words {
    Words {
        lang: resolve(lang),
    }
}

/// A language's texts, with English behind each missing one.
#[derive(Debug, Clone, Copy)]
pub struct Words {
    pub lang: &'static str,
}

impl Words {
    fn catalogue(self) -> &'static Catalogue {
        &all()[self.lang]
    }

    fn english() -> &'static Catalogue {
        &all()["en"]
    }

    /// The text under `key`, as written (placeholders unfilled).
    pub fn raw(self, key: &str) -> &'static str {
        self.catalogue()
            .texts
            .get(key)
            .or_else(|| Self::english().texts.get(key))
            .map_or("", String::as_str)
    }

    /// The text under `key` with its placeholders filled from `values`.
    pub fn text(self, key: &str, values: &[(&str, &str)]) -> String {
        fill(self.raw(key), values)
    }

    /// A local date and time the way this language writes it ("Monday, December 7, 2026 at 09:30").
    pub fn date_time(self, local: NaiveDateTime) -> String {
        let name = |list: &Vec<String>, english: &Vec<String>, i: usize| {
            list.get(i)
                .or_else(|| english.get(i))
                .cloned()
                .unwrap_or_default()
        };
        let english = Self::english();
        let c = self.catalogue();
        let weekday = name(
            &c.weekdays,
            &english.weekdays,
            local.weekday().num_days_from_monday() as usize,
        );
        let month = name(&c.months, &english.months, local.month0() as usize);
        let time = format!("{:02}:{:02}", local.hour(), local.minute());
        self.text(
            "date",
            &[
                ("weekday", &weekday),
                ("month", &month),
                ("day", &local.day().to_string()),
                ("year", &local.year().to_string()),
                ("time", &time),
            ],
        )
    }
}

/// Replaces each `{name}` of `template` with its value; unknown names stay as written.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match values.iter().find(|(k, _)| *k == name) {
                    Some((_, value)) => out.push_str(value),
                    None => out.push_str(&rest[open..open + close + 2]),
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholders a company's template may use.
pub const TEMPLATE_PLACEHOLDERS: [&str; 6] =
    ["service", "date", "company", "client", "reference", "name"];

/// Checks a company's template text: braces only around a known placeholder (as
/// `booking_model::schema::EMAIL_TEXT` says). The error says what to fix.
pub fn check_template(text: &str) -> Result<(), String> {
    let mut rest = text;
    loop {
        let open = rest.find('{');
        let close = rest.find('}');
        match (open, close) {
            (None, None) => return Ok(()),
            (Some(o), Some(c)) if o < c => {
                let name = &rest[o + 1..c];
                if !TEMPLATE_PLACEHOLDERS.contains(&name) {
                    return Err(format!(
                        "unknown placeholder {{{name}}}: use {}",
                        TEMPLATE_PLACEHOLDERS.map(|p| format!("{{{p}}}")).join(", ")
                    ));
                }
                rest = &rest[c + 1..];
            }
            _ => {
                return Err(format!(
                    "has a brace outside a placeholder: use {}",
                    TEMPLATE_PLACEHOLDERS.map(|p| format!("{{{p}}}")).join(", ")
                ))
            }
        }
    }
}

/// The placeholder names of `template`, in order.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        names.push(&after[..close]);
        rest = &after[close + 1..];
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn every_catalogue_has_englishs_keys_and_placeholders() {
        let english = &all()["en"];
        for lang in LANGS {
            let c = &all()[lang];
            assert_eq!(c.weekdays.len(), 7, "{lang}: weekdays");
            assert_eq!(c.months.len(), 12, "{lang}: months");
            for (key, text) in &english.texts {
                let translated = c
                    .texts
                    .get(key)
                    .unwrap_or_else(|| panic!("{lang}.json lacks {key:?}"));
                let mut want = placeholders(text);
                let mut got = placeholders(translated);
                want.sort_unstable();
                got.sort_unstable();
                assert_eq!(got, want, "{lang}.json {key:?}: placeholders");
            }
            assert_eq!(c.texts.len(), english.texts.len(), "{lang}: extra keys");
        }
    }

    #[test]
    fn dates_in_each_language() {
        let t = NaiveDate::from_ymd_opt(2026, 12, 7)
            .unwrap()
            .and_hms_opt(9, 30, 0)
            .unwrap();
        assert_eq!(
            words("en").date_time(t),
            "Monday, December 7, 2026 at 09:30"
        );
        assert_eq!(words("fr-FR").date_time(t), "lundi 7 décembre 2026 à 09:30");
        assert_eq!(
            words("de").date_time(t),
            "Montag, 7. Dezember 2026 um 09:30"
        );
        assert_eq!(words("xx").lang, "en");
    }

    #[test]
    fn tags_resolve_to_a_language_else_english() {
        assert_eq!(resolve("FR-ca"), "fr");
        assert_eq!(resolve("pt_BR"), "pt");
        assert_eq!(resolve("ja"), "en");
        assert_eq!(resolve(""), "en");
    }

    #[test]
    fn templates_may_only_use_known_placeholders() {
        assert_eq!(check_template("Hi {name}, see you {date}"), Ok(()));
        assert!(check_template("Hi {nom}").unwrap_err().contains("{nom}"));
        assert!(check_template("a } b").is_err());
        assert!(check_template("a { b").is_err());
        assert!(check_template("{service").is_err());
    }

    #[test]
    fn fill_replaces_known_names_only() {
        assert_eq!(
            fill("{a} and {b} {", &[("a", "x")]),
            "x and {b} {".to_owned()
        );
        assert_eq!(placeholders("Hi {name}, {date}"), ["name", "date"]);
    }
}
