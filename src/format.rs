//! Locale-aware formatting through the browser's `Intl` (no locale data shipped in the wasm).

use js_sys::{Array, Intl, Object, Reflect};
use wasm_bindgen::JsValue;

use chrono::{Datelike, NaiveDate};

use crate::i18n::Lang;
use crate::zone::DateTimeFormat;

/// `55 €` / `€55.00`: an amount in a currency, formatted for `lang`.
pub fn price(amount: f64, currency: &str, lang: Lang) -> String {
    let options = Object::new();
    // Reflect::set only fails on frozen objects; a fresh one is not.
    let _ = Reflect::set(&options, &"style".into(), &"currency".into());
    let _ = Reflect::set(&options, &"currency".into(), &currency.into());
    let locales = Array::of1(&lang.locale().into());
    let formatter = Intl::NumberFormat::new(&locales, &options);
    formatter
        .format()
        .call1(&JsValue::NULL, &amount.into())
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| {
            // The browser's toFixed: `{:.2}` would bring Rust's float formatting into the wasm.
            let fixed = js_sys::Number::from(amount).to_fixed(2).map(String::from);
            format!("{} {currency}", fixed.unwrap_or_default())
        })
}

/// `1 h 30 min` / `45 min`.
pub fn duration(minutes: u32, lang: Lang) -> String {
    let unit = lang.strings().minutes;
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} {unit}"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} {unit}"),
    }
}

/// `9:00 AM` / `09:00`: the time of an instant in `zone`. Two-digit hours where the locale
/// counts to 23 (`09:00`), a bare hour where it says AM/PM (`9:00 AM`), as people write them.
pub fn time(epoch_ms: f64, zone: &str, lang: Lang) -> String {
    let hour = if uses_12_hours(lang) {
        "numeric"
    } else {
        "2-digit"
    };
    with_zone(
        lang,
        zone,
        &[("hour", hour), ("minute", "2-digit")],
        epoch_ms,
    )
}

fn uses_12_hours(lang: Lang) -> bool {
    formatter(&lang.locale(), &[("hour", "numeric")]).is_some_and(|f| {
        js_sys::Reflect::get(&f.resolved_options_object(), &"hourCycle".into())
            .ok()
            .and_then(|c| c.as_string())
            .is_some_and(|c| c == "h11" || c == "h12")
    })
}

/// `Tuesday, December 1, 2026` / `mardi 1 décembre 2026`: the date of an instant in `zone`.
pub fn long_date(epoch_ms: f64, zone: &str, lang: Lang) -> String {
    with_zone(
        lang,
        zone,
        &[
            ("weekday", "long"),
            ("year", "numeric"),
            ("month", "long"),
            ("day", "numeric"),
        ],
        epoch_ms,
    )
}

/// `Tuesday, December 1, 2026 at 9:00 AM`: date and time of an instant in `zone`.
pub fn date_time(epoch_ms: f64, zone: &str, lang: Lang) -> String {
    with_zone(
        lang,
        zone,
        &[("dateStyle", "full"), ("timeStyle", "short")],
        epoch_ms,
    )
}

/// `GMT+1`: the offset `zone` has at an instant, for labelling a zone.
pub fn zone_offset(epoch_ms: f64, zone: &str, lang: Lang) -> String {
    let Some(format) = formatter(
        &lang.locale(),
        &[("timeZone", zone), ("timeZoneName", "shortOffset")],
    ) else {
        return String::new();
    };
    // The zone name is the last word ("12/1/2026, GMT+1").
    format
        .instant(epoch_ms)
        .rsplit([' ', '\u{a0}'])
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// `Central European Time` / `heure d’Europe centrale`: the zone's generic name in `lang`, as the
/// browser words it; `None` where it has none (the IANA name is shown anyway).
pub fn zone_name(epoch_ms: f64, zone: &str, lang: Lang) -> Option<String> {
    let locale = lang.locale();
    // `longGeneric` (no summer/winter variant) is newer than `long`: fall back on older browsers.
    let format = formatter(
        &locale,
        &[("timeZone", zone), ("timeZoneName", "longGeneric")],
    )
    .or_else(|| formatter(&locale, &[("timeZone", zone), ("timeZoneName", "long")]))?;
    format
        .part(epoch_ms, "timeZoneName")
        // A bare offset ("GMT+05:45") says nothing the offset label doesn't.
        .filter(|name| !name.starts_with("GMT") && !name.starts_with("UTC"))
}

/// `December 2026`: a calendar month's title.
pub fn month_title(month: NaiveDate, lang: Lang) -> String {
    calendar_day(month, lang, &[("month", "long"), ("year", "numeric")])
}

/// `Tuesday, December 1, 2026`: a calendar day (no instant, no zone).
pub fn day_label(day: NaiveDate, lang: Lang) -> String {
    calendar_day(
        day,
        lang,
        &[
            ("weekday", "long"),
            ("year", "numeric"),
            ("month", "long"),
            ("day", "numeric"),
        ],
    )
}

/// `Mon` and `Monday`: a weekday's short and long names, for `day`'s weekday.
pub fn weekday_names(day: NaiveDate, lang: Lang) -> (String, String) {
    (
        calendar_day(day, lang, &[("weekday", "short")]),
        calendar_day(day, lang, &[("weekday", "long")]),
    )
}

/// A calendar day formatted at noon UTC in UTC, so no zone can move it to another day.
fn calendar_day(day: NaiveDate, lang: Lang, options: &[(&str, &str)]) -> String {
    let noon = day
        .and_hms_opt(12, 0, 0)
        .map_or(0.0, |t| t.and_utc().timestamp_millis() as f64);
    with_zone(lang, "UTC", options, noon).if_empty(|| day.to_string())
}

fn with_zone(lang: Lang, zone: &str, options: &[(&str, &str)], epoch_ms: f64) -> String {
    let mut all = vec![("timeZone", zone)];
    all.extend_from_slice(options);
    formatter(&lang.locale(), &all)
        .map(|f| f.instant(epoch_ms))
        .unwrap_or_default()
}

thread_local! {
    /// Formatters by locale and options: building an `Intl.DateTimeFormat` costs far more than
    /// using one, and a month of slots formats hundreds of times with a handful of them.
    static FORMATTERS: std::cell::RefCell<std::collections::HashMap<String, Option<DateTimeFormat>>> =
        Default::default();
}

fn formatter(locale: &str, options: &[(&str, &str)]) -> Option<DateTimeFormat> {
    let key = format!("{locale}|{options:?}");
    FORMATTERS.with(|cache| {
        cache
            .borrow_mut()
            .entry(key)
            .or_insert_with(|| DateTimeFormat::with(locale, options))
            .clone()
    })
}

trait IfEmpty {
    fn if_empty(self, fallback: impl FnOnce() -> String) -> String;
}

impl IfEmpty for String {
    fn if_empty(self, fallback: impl FnOnce() -> String) -> String {
        if self.is_empty() {
            fallback()
        } else {
            self
        }
    }
}

/// The first day of `day`'s month.
pub fn first_of_month(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        #[cfg(not(target_arch = "wasm32"))]
        crate::i18n::install_from_source(Lang::De);
        assert_eq!(duration(45, Lang::En), "45 min");
        assert_eq!(duration(60, Lang::Fr), "1 h");
        assert_eq!(duration(90, Lang::De), "1 h 30 Min.");
    }
}
