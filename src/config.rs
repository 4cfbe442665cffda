//! The widget's settings, read once at start-up from its page URL (iframe mode) — later also from a mount
//! element's `data-*` attributes (direct mount).

use std::collections::BTreeMap;

/// What the host asked for. Every field but `company` is optional.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct WidgetConfig {
    /// Company id (`company`, or upstream's short `c`). Required.
    pub company: Option<String>,
    /// Origin of the booking server (`api`); `None` = the widget's own origin.
    pub api: Option<String>,
    /// UI language (`lang`), e.g. `fr`; `None` = the browser's.
    pub lang: Option<String>,
    /// Preselected service id (`service`).
    pub service: Option<String>,
    /// Preselected staff id (`staff`).
    pub staff: Option<String>,
    /// Preselected resource id (`resource`).
    pub resource: Option<String>,
    /// Visitor time zone override (`timeZone`).
    pub time_zone: Option<String>,
    /// `light`, `dark` or `auto` (`theme`).
    pub theme: Option<String>,
    /// Accent colour (`primaryColor`), any CSS colour.
    pub primary_color: Option<String>,
    /// Public extended properties (`ep.<key>=value`) stored with the booking.
    pub extended_properties: BTreeMap<String, String>,
    /// An existing appointment's encrypted id (`appointment`), from a reschedule / cancel link.
    pub appointment: Option<String>,
    /// What to do with [`WidgetConfig::appointment`] (`action`).
    pub action: Option<ManageAction>,
    /// Origin of the host page (`parentOrigin`), the only one events are posted to.
    pub parent_origin: Option<String>,
    /// Which prefilled form items the visitor may not change (`readonly`), see [`ReadOnly`].
    pub read_only: ReadOnly,
    /// Where the visitor came from (`source`), stored with the booking.
    pub source: Option<String>,
    /// Every query parameter, for prefilling form items by `externalId`.
    pub params: BTreeMap<String, String>,
}

impl WidgetConfig {
    /// Reads the settings from a query string (`?a=1&b=2` or `a=1&b=2`).
    pub fn from_query(query: &str) -> Self {
        Self::from_params(parse_query(query).into_iter().collect())
    }

    /// Settings for a widget mounted directly into a host page element: the page's query parameters
    /// (prefill, UTM), overridden by the element's `data-*` attributes, given as `(name, value)` pairs:
    /// `data-company`, `data-time-zone` (→ `timeZone`), `data-primary-color`, `data-prefill-<name>`
    /// (→ `<name>`), `data-ep-<key>` (→ `ep.<key>`), …
    pub fn from_mount(page_query: &str, attributes: &[(String, String)]) -> Self {
        let mut params: BTreeMap<String, String> = parse_query(page_query).into_iter().collect();
        for (name, value) in attributes {
            let Some(name) = name.strip_prefix("data-") else {
                continue;
            };
            let param = if let Some(field) = name.strip_prefix("prefill-") {
                field.to_owned()
            } else if let Some(key) = name.strip_prefix("ep-") {
                format!("ep.{key}")
            } else {
                camel_case(name)
            };
            params.insert(param, value.clone());
        }
        Self::from_params(params)
    }

    fn from_params(params: BTreeMap<String, String>) -> Self {
        let get = |name: &str| params.get(name).filter(|v| !v.is_empty()).cloned();
        let extended_properties = params
            .iter()
            .filter_map(|(k, v)| k.strip_prefix("ep.").map(|key| (key.to_owned(), v.clone())))
            .filter(|(k, _)| !k.is_empty())
            .collect();
        WidgetConfig {
            company: get("company").or_else(|| get("c")),
            api: get("api").map(|a| a.trim_end_matches('/').to_owned()),
            lang: get("lang"),
            service: get("service"),
            staff: get("staff"),
            resource: get("resource"),
            time_zone: get("timeZone"),
            theme: get("theme"),
            primary_color: get("primaryColor"),
            extended_properties,
            appointment: get("appointment"),
            action: get("action").map(|a| ManageAction::parse(&a)),
            parent_origin: get("parentOrigin"),
            read_only: ReadOnly::parse(params.get("readonly").map(String::as_str)),
            source: get("source"),
            params,
        }
    }

    /// Reads the settings from the current page's URL.
    pub fn from_location() -> Self {
        let search = web_sys::window()
            .and_then(|w| w.location().search().ok())
            .unwrap_or_default();
        Self::from_query(&search)
    }
}

impl WidgetConfig {
    /// A link to this widget page that opens an existing appointment for `action`, keeping the
    /// settings that shape the widget (company, server, language, theme, host origin).
    pub fn manage_link(&self, page: &str, encrypted_id: &str, action: &str) -> String {
        let kept = [
            ("company", self.company.as_deref()),
            ("api", self.api.as_deref()),
            ("lang", self.lang.as_deref()),
            ("theme", self.theme.as_deref()),
            ("primaryColor", self.primary_color.as_deref()),
            ("parentOrigin", self.parent_origin.as_deref()),
            ("appointment", Some(encrypted_id)),
            ("action", Some(action)),
        ];
        let query: Vec<String> = kept
            .into_iter()
            .filter_map(|(name, value)| value.map(|v| format!("{name}={}", encode_query_value(v))))
            .collect();
        format!("{page}?{}", query.join("&"))
    }
}

/// Percent-encodes a query value (everything but unreserved characters).
pub fn encode_query_value(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// What a link to an existing appointment asks for (`action=reschedule|cancel`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ManageAction {
    /// Pick a new time (`action=reschedule`).
    Reschedule,
    /// Cancel it (`action=cancel`).
    Cancel,
    /// Any other value: show the appointment with both choices.
    View,
}

impl ManageAction {
    fn parse(text: &str) -> Self {
        match text.to_ascii_lowercase().as_str() {
            "reschedule" => ManageAction::Reschedule,
            "cancel" => ManageAction::Cancel,
            _ => ManageAction::View,
        }
    }
}

/// Which form items filled from the URL are locked (`readonly` parameter).
///
/// The rule: a prefilled value is editable unless the host says otherwise, because a host that
/// already knows the visitor (a logged-in customer area, a CRM link) is the one who knows the value
/// is right. `readonly=1` (or `true`, `all`) locks every prefilled item; `readonly=email,phone` locks
/// the items prefilled from those parameter names. Items that were not prefilled are never locked,
/// so a visitor can always complete the form. Hidden items (`visible=false`) are never shown at all.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ReadOnly {
    /// Every prefilled item stays editable (no `readonly` parameter).
    #[default]
    None,
    /// Every prefilled item is locked.
    All,
    /// Items prefilled from these parameter names are locked.
    Params(Vec<String>),
}

impl ReadOnly {
    fn parse(value: Option<&str>) -> Self {
        match value.map(str::trim) {
            None | Some("" | "0" | "false") => ReadOnly::None,
            Some("1" | "true" | "all") => ReadOnly::All,
            Some(list) => ReadOnly::Params(
                list.split(',')
                    .map(|p| p.trim().to_owned())
                    .filter(|p| !p.is_empty())
                    .collect(),
            ),
        }
    }

    /// Whether a value prefilled from the URL parameter `param` is locked.
    pub fn locks(&self, param: &str) -> bool {
        match self {
            ReadOnly::None => false,
            ReadOnly::All => true,
            ReadOnly::Params(names) => names.iter().any(|n| n == param),
        }
    }
}

/// `time-zone` → `timeZone`.
fn camel_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for ch in name.chars() {
        match (ch, upper) {
            ('-', _) => upper = true,
            (c, true) => {
                out.extend(c.to_uppercase());
                upper = false;
            }
            (c, false) => out.push(c),
        }
    }
    out
}

/// Splits a query string into decoded `(name, value)` pairs, keeping their order.
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(name), percent_decode(value))
        })
        .collect()
}

/// Decodes `application/x-www-form-urlencoded` text; malformed escapes are kept as written.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match (bytes[i], escaped) {
            (_, Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'+', None) => {
                out.push(b' ');
                i += 1;
            }
            (byte, None) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_mount_element_overrides_the_page_query() {
        let attrs: Vec<(String, String)> = [
            ("data-booking-widget-mount", ""),
            ("data-company", "demo"),
            ("data-time-zone", "America/New_York"),
            ("data-primary-color", "#c2255c"),
            ("data-prefill-email", "ada@example.com"),
            ("data-ep-campaign", "direct"),
            ("class", "ignored"),
        ]
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect();
        let c = WidgetConfig::from_mount("?email=old@example.com&utm_source=news", &attrs);
        assert_eq!(c.company.as_deref(), Some("demo"));
        assert_eq!(c.time_zone.as_deref(), Some("America/New_York"));
        assert_eq!(c.primary_color.as_deref(), Some("#c2255c"));
        assert_eq!(
            c.params.get("email").map(String::as_str),
            Some("ada@example.com")
        );
        assert_eq!(c.params.get("utm_source").map(String::as_str), Some("news"));
        assert_eq!(
            c.extended_properties.get("campaign").map(String::as_str),
            Some("direct")
        );
    }

    use super::*;

    #[test]
    fn reads_company_and_options() {
        let c = WidgetConfig::from_query(
            "?company=demo&lang=fr&api=http://127.0.0.1:8080/&ep.campaign=winter",
        );
        assert_eq!(c.company.as_deref(), Some("demo"));
        assert_eq!(c.lang.as_deref(), Some("fr"));
        assert_eq!(c.api.as_deref(), Some("http://127.0.0.1:8080"));
        assert_eq!(
            c.extended_properties.get("campaign").map(String::as_str),
            Some("winter")
        );
    }

    #[test]
    fn short_company_name_and_empty_values() {
        let c = WidgetConfig::from_query("c=acme&service=");
        assert_eq!(c.company.as_deref(), Some("acme"));
        assert_eq!(c.service, None);
    }

    #[test]
    fn decodes_percent_and_plus() {
        let pairs = parse_query("email=ada%40example.com&name=Ada+Lovelace&bad=%zz&end=%4");
        assert_eq!(pairs[0], ("email".into(), "ada@example.com".into()));
        assert_eq!(pairs[1], ("name".into(), "Ada Lovelace".into()));
        assert_eq!(pairs[2], ("bad".into(), "%zz".into()));
        assert_eq!(pairs[3], ("end".into(), "%4".into()));
    }

    #[test]
    fn manage_links_and_read_only_rules() {
        let c = WidgetConfig::from_query(
            "company=demo&appointment=abc&action=Cancel&parentOrigin=https://shop.example&readonly=email,phone",
        );
        assert_eq!(c.appointment.as_deref(), Some("abc"));
        assert_eq!(c.action, Some(ManageAction::Cancel));
        assert_eq!(c.parent_origin.as_deref(), Some("https://shop.example"));
        assert!(c.read_only.locks("email") && !c.read_only.locks("zip"));
        assert!(WidgetConfig::from_query("readonly=1")
            .read_only
            .locks("zip"));
        assert!(!WidgetConfig::from_query("readonly=0")
            .read_only
            .locks("zip"));
        assert!(!WidgetConfig::from_query("").read_only.locks("zip"));
    }

    #[test]
    fn manage_links_keep_the_widget_settings() {
        let c =
            WidgetConfig::from_query("company=demo&lang=fr&api=http://127.0.0.1:8097&email=a@b.co");
        assert_eq!(
            c.manage_link("https://book.example/widget/", "x/y", "cancel"),
            "https://book.example/widget/?company=demo&api=http%3A%2F%2F127.0.0.1%3A8097&lang=fr&appointment=x%2Fy&action=cancel"
        );
    }

    #[test]
    fn decodes_utf8() {
        let pairs = parse_query("city=Orl%C3%A9ans");
        assert_eq!(pairs[0].1, "Orléans");
    }
}
