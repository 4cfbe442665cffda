//! Instants, wall-clock times and IANA time zones through the browser's `Intl`: the widget ships no
//! time-zone database (chrono-tz alone would add ~146 KB gzip).
//!
//! An instant is a JavaScript time value: milliseconds since the Unix epoch, as `f64`.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `Intl.DateTimeFormat`, declared here because js-sys's constructor does not catch the
    /// `RangeError` an unknown zone throws (it would abort the wasm).
    #[wasm_bindgen(js_namespace = Intl)]
    #[derive(Clone)]
    pub(crate) type DateTimeFormat;

    #[wasm_bindgen(constructor, js_namespace = Intl, catch)]
    fn new(locale: &str, options: &Object) -> Result<DateTimeFormat, JsValue>;

    #[wasm_bindgen(method, catch)]
    fn format(this: &DateTimeFormat, epoch_ms: f64) -> Result<String, JsValue>;

    #[wasm_bindgen(method, js_name = formatToParts, catch)]
    fn format_to_parts(this: &DateTimeFormat, epoch_ms: f64) -> Result<Array, JsValue>;

    #[wasm_bindgen(method, js_name = resolvedOptions)]
    fn resolved_options(this: &DateTimeFormat) -> Object;

    #[wasm_bindgen(js_namespace = Intl, js_name = supportedValuesOf, catch)]
    fn supported_values_of(key: &str) -> Result<Array, JsValue>;
}

impl DateTimeFormat {
    /// A formatter for `locale` with string options such as `[("timeZone", "Europe/Paris")]`;
    /// `None` when the browser rejects them (unknown zone or locale).
    pub(crate) fn with(locale: &str, options: &[(&str, &str)]) -> Option<DateTimeFormat> {
        let object = Object::new();
        for (name, value) in options {
            // Setting a property on a fresh plain object cannot fail.
            let _ = Reflect::set(&object, &(*name).into(), &(*value).into());
        }
        DateTimeFormat::new(locale, &object).ok()
    }

    /// `resolvedOptions()`, e.g. to read the `hourCycle` a locale chose.
    pub(crate) fn resolved_options_object(&self) -> Object {
        self.resolved_options()
    }

    /// The text of one part (`timeZoneName`, `hour`, …) of the formatted instant.
    pub(crate) fn part(&self, epoch_ms: f64, kind: &str) -> Option<String> {
        self.format_to_parts(epoch_ms)
            .ok()?
            .iter()
            .find_map(|part| {
                let is_kind = Reflect::get(&part, &"type".into()).ok()?.as_string()? == kind;
                is_kind
                    .then(|| Reflect::get(&part, &"value".into()).ok()?.as_string())
                    .flatten()
            })
    }

    /// The formatted instant; empty when it is out of range.
    pub(crate) fn instant(&self, epoch_ms: f64) -> String {
        self.format(epoch_ms).unwrap_or_default()
    }
}

/// The browser's own zone (`Intl.DateTimeFormat().resolvedOptions().timeZone`).
pub fn browser_zone() -> Option<String> {
    let format = DateTimeFormat::with("en", &[])?;
    Reflect::get(&format.resolved_options(), &"timeZone".into())
        .ok()?
        .as_string()
        .filter(|zone| !zone.is_empty())
}

/// The canonical name of `zone` if the browser knows it (`europe/paris` → `Europe/Paris`).
pub fn canonical_zone(zone: &str) -> Option<String> {
    let format = DateTimeFormat::with("en", &[("timeZone", zone)])?;
    Reflect::get(&format.resolved_options(), &"timeZone".into())
        .ok()?
        .as_string()
}

/// Every zone the browser can format in (`Intl.supportedValuesOf('timeZone')`), with `UTC`.
pub fn all_zones() -> Vec<String> {
    let mut zones: Vec<String> = supported_values_of("timeZone")
        .map(|list| list.iter().filter_map(|z| z.as_string()).collect())
        // Browsers before 2022 lack supportedValuesOf: offer the common zones.
        .unwrap_or_else(|_| FALLBACK_ZONES.iter().map(|z| (*z).to_owned()).collect());
    if !zones.iter().any(|z| z == "UTC") {
        zones.push("UTC".to_owned());
    }
    zones
}

const FALLBACK_ZONES: [&str; 16] = [
    "America/Los_Angeles",
    "America/Denver",
    "America/Chicago",
    "America/New_York",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Lisbon",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Amsterdam",
    "Asia/Dubai",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
];

/// The instant of a slot string (RFC 3339 with offset), as received from the server.
pub fn slot_instant(slot: &str) -> Option<f64> {
    DateTime::parse_from_rfc3339(slot)
        .ok()
        .map(|t| t.timestamp_millis() as f64)
}

/// Where the widget's "now" comes from: the browser's clock, or a fixed instant (tests, so that
/// fixtures of a given month keep working whatever the date).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Clock(Option<f64>);

impl Clock {
    /// The browser's clock.
    pub const fn system() -> Self {
        Clock(None)
    }

    /// Always the instant `epoch_ms`.
    pub const fn fixed(epoch_ms: f64) -> Self {
        Clock(Some(epoch_ms))
    }

    /// Now, as an instant.
    pub fn now(self) -> f64 {
        self.0.unwrap_or_else(js_sys::Date::now)
    }
}

/// The clock of the widget being rendered (the browser's outside one).
pub fn use_clock() -> Clock {
    leptos::prelude::use_context::<crate::WidgetContext>().map_or(Clock::system(), |c| c.clock)
}

/// Reads wall-clock times of one zone. Build one per computation and reuse it: creating an
/// `Intl.DateTimeFormat` is the expensive part.
pub struct ZoneClock {
    format: DateTimeFormat,
}

impl ZoneClock {
    /// A clock for `zone`; `None` when the browser does not know the zone.
    pub fn new(zone: &str) -> Option<ZoneClock> {
        let format = DateTimeFormat::with(
            "en-US",
            &[
                ("timeZone", zone),
                ("hourCycle", "h23"),
                ("year", "numeric"),
                ("month", "numeric"),
                ("day", "numeric"),
                ("hour", "numeric"),
                ("minute", "numeric"),
                ("second", "numeric"),
            ],
        )?;
        Some(ZoneClock { format })
    }

    /// The wall-clock date and time of `epoch_ms` in this zone.
    pub fn wall(&self, epoch_ms: f64) -> Option<NaiveDateTime> {
        let parts = self.format.format_to_parts(epoch_ms).ok()?;
        let mut fields = [0u32; 6];
        for part in parts.iter() {
            let kind = Reflect::get(&part, &"type".into()).ok()?.as_string()?;
            let slot = match kind.as_str() {
                "year" => 0,
                "month" => 1,
                "day" => 2,
                "hour" => 3,
                "minute" => 4,
                "second" => 5,
                _ => continue,
            };
            let value = Reflect::get(&part, &"value".into()).ok()?.as_string()?;
            fields[slot] = value.parse().ok()?;
        }
        let [year, month, day, hour, minute, second] = fields;
        // Some engines still write midnight as 24 despite h23.
        let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
        let time = NaiveTime::from_hms_opt(hour % 24, minute, second)?;
        Some(date.and_time(time))
    }

    /// The instant at which this zone's clocks show `local` (the earlier one in a repeated hour,
    /// the time after the gap in a skipped hour).
    pub fn instant_of(&self, local: NaiveDateTime) -> Option<f64> {
        let as_utc = local.and_utc().timestamp_millis() as f64;
        // Two rounds of "subtract the offset observed there" settle every real-world transition.
        let mut guess = as_utc;
        for _ in 0..2 {
            let shown = self.wall(guess)?.and_utc().timestamp_millis() as f64;
            let offset = shown - guess;
            guess = as_utc - offset;
        }
        Some(guess)
    }

    /// Today's date in this zone, by `clock`.
    pub fn today(&self, clock: Clock) -> Option<NaiveDate> {
        self.wall(clock.now()).map(|t| t.date())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slot_strings_are_instants() {
        assert_eq!(
            slot_instant("2026-12-01T09:00:00+01:00"),
            Some(1_796_112_000_000.0)
        );
        assert_eq!(slot_instant("2026-12-01T09:00:00"), None);
    }
}
