use std::collections::HashMap;
use std::sync::Mutex;

use booking_model::validate::PatternMatcher;
use regex::Regex;

/// Form `regexValue` patterns, matched with the `regex` crate (the widget uses the browser's RegExp on
/// the same patterns). Compiled patterns are cached: forms reuse a handful of them.
#[derive(Default)]
pub struct RegexMatcher {
    cache: Mutex<HashMap<String, Regex>>,
}

impl PatternMatcher for RegexMatcher {
    fn matches(&self, pattern: &str, value: &str) -> Result<bool, String> {
        let mut cache = self
            .cache
            .lock()
            .map_err(|_| "pattern cache poisoned".to_owned())?;
        if let Some(regex) = cache.get(pattern) {
            return Ok(regex.is_match(value));
        }
        let regex = Regex::new(pattern).map_err(|e| format!("invalid pattern {pattern:?}: {e}"))?;
        let matched = regex.is_match(value);
        cache.insert(pattern.to_owned(), regex);
        Ok(matched)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_and_reports_bad_patterns() {
        let m = RegexMatcher::default();
        assert_eq!(m.matches("^(?:[0-9]{5})$", "75011"), Ok(true));
        assert_eq!(m.matches("^(?:[0-9]{5})$", "7501"), Ok(false));
        assert!(m.matches("([", "x").is_err());
    }
}
