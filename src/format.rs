//! Locale-aware formatting through the browser's `Intl` (no locale data shipped in the wasm).

use js_sys::{Array, Intl, Object, Reflect};
use wasm_bindgen::JsValue;

use crate::i18n::Lang;

/// `55 €` / `€55.00`: an amount in a currency, formatted for `lang`.
pub fn price(amount: f64, currency: &str, lang: Lang) -> String {
    let options = Object::new();
    // Reflect::set only fails on frozen objects; a fresh one is not.
    let _ = Reflect::set(&options, &"style".into(), &"currency".into());
    let _ = Reflect::set(&options, &"currency".into(), &currency.into());
    let locales = Array::of1(&lang.code().into());
    let formatter = Intl::NumberFormat::new(&locales, &options);
    formatter
        .format()
        .call1(&JsValue::NULL, &amount.into())
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| format!("{amount:.2} {currency}"))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(duration(45, Lang::En), "45 min");
        assert_eq!(duration(60, Lang::Fr), "1 h");
        assert_eq!(duration(90, Lang::De), "1 h 30 Min.");
    }
}
