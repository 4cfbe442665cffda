//! UI strings: a typed catalogue, one table per language, from `i18n/<lang>.json` (see `build.rs`).
//!
//! English is compiled in. Every other language is a content-hashed JSON file beside the widget's
//! module in `dist/`, downloaded once by [`load`] before a widget in that language mounts, so a
//! visitor downloads only their own language. A key missing from a catalogue fails the build.

use std::cell::RefCell;

use js_sys::Reflect;
use wasm_bindgen::prelude::*;

/// The widget's languages: those of the reference product's own widget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Fr,
    De,
    Es,
    Pt,
    Nl,
    It,
}

impl Lang {
    /// Every supported language.
    pub const ALL: [Lang; 7] = [
        Lang::En,
        Lang::Fr,
        Lang::De,
        Lang::Es,
        Lang::Pt,
        Lang::Nl,
        Lang::It,
    ];

    /// Parses a BCP 47 tag by its primary subtag (`fr-CA` → French); `None` when unsupported.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// The requested language if supported, else the browser's, else English.
    pub fn resolve(requested: Option<&str>) -> Lang {
        requested
            .and_then(Lang::from_tag)
            .or_else(|| {
                web_sys::window()
                    .and_then(|w| w.navigator().language())
                    .and_then(|tag| Lang::from_tag(&tag))
            })
            .unwrap_or_default()
    }

    /// ISO 639-1 code, as sent to the server's `lang` parameter.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::De => "de",
            Lang::Es => "es",
            Lang::Pt => "pt",
            Lang::Nl => "nl",
            Lang::It => "it",
        }
    }

    /// The BCP 47 locale for `Intl`: the browser's own tag when it is this language (so `en-GB`
    /// visitors get day-month dates and 24-hour times), else the bare language code.
    pub fn locale(self) -> String {
        web_sys::window()
            .and_then(|w| w.navigator().language())
            .filter(|tag| Lang::from_tag(tag) == Some(self))
            .unwrap_or_else(|| self.code().to_owned())
    }

    /// This language's strings: English until its catalogue has been [`load`]ed.
    pub fn strings(self) -> &'static Strings {
        if self == Lang::En {
            return &EN;
        }
        LOADED
            .with(|loaded| {
                loaded
                    .borrow()
                    .iter()
                    .find(|(lang, _)| *lang == self)
                    .map(|(_, strings)| *strings)
            })
            .unwrap_or(&EN)
    }

    /// Whether this language's strings are here (English always is).
    pub fn is_loaded(self) -> bool {
        self == Lang::En || !std::ptr::eq(self.strings(), &EN)
    }
}

thread_local! {
    /// The catalogues loaded so far; each lives as long as the page.
    static LOADED: RefCell<Vec<(Lang, &'static Strings)>> = const { RefCell::new(Vec::new()) };
}

#[wasm_bindgen]
extern "C" {
    /// The address of the widget's JavaScript module: the catalogues sit beside it in `dist/`,
    /// also when a host page mounts the widget from another origin.
    #[wasm_bindgen(thread_local_v2, js_namespace = ["import", "meta"], js_name = url)]
    static MODULE_URL: String;
}

/// Downloads `lang`'s catalogue unless it is here already. On failure the widget stays in English,
/// which beats no widget; the error says why.
pub async fn load(lang: Lang) -> Result<(), String> {
    if lang.is_loaded() {
        return Ok(());
    }
    let Some((_, file)) = CATALOGUE_FILES.iter().find(|(l, _)| *l == lang) else {
        return Ok(());
    };
    let base = MODULE_URL.with(String::clone);
    let url = web_sys::Url::new_with_base(file, &base)
        .map(|u| u.href())
        .unwrap_or_else(|_| (*file).to_owned());
    let json = crate::api::fetch_catalogue(&url)
        .await
        .map_err(|e| format!("{url}: {e}"))?;
    install(lang, &json)
}

/// Makes `json` (a catalogue file's text) `lang`'s strings. [`load`] calls it with the download;
/// tests call it with the source file.
pub fn install(lang: Lang, json: &str) -> Result<(), String> {
    let object = js_sys::JSON::parse(json).map_err(|_| format!("{lang:?}: not JSON"))?;
    let texts: Vec<&'static str> = KEYS
        .iter()
        .map(|key| {
            let text = Reflect::get(&object, &JsValue::from_str(key))
                .ok()?
                .as_string()?;
            Some(&*Box::leak(text.into_boxed_str()))
        })
        .collect::<Option<_>>()
        .ok_or_else(|| format!("{lang:?}: a string is missing"))?;
    let texts = texts
        .try_into()
        .map_err(|_| format!("{lang:?}: wrong number of strings"))?;
    let strings = strings_from(texts);
    let strings: &'static Strings = Box::leak(Box::new(strings));
    LOADED.with(|loaded| loaded.borrow_mut().push((lang, strings)));
    Ok(())
}

/// The strings of the widget being rendered (English outside a widget, e.g. a component mounted
/// alone).
pub fn use_strings() -> &'static Strings {
    use_lang().strings()
}

/// The language of the widget being rendered.
pub fn use_lang() -> Lang {
    leptos::prelude::use_context::<crate::WidgetContext>().map_or(Lang::En, |c| c.lang)
}

/// Fills each `{}` of `template` with the next of `args`: `fill_in("Page {} of {}", &["1", "3"])`.
pub fn fill_in(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut args = args.iter();
    let mut rest = template;
    while let Some(at) = rest.find("{}") {
        out.push_str(&rest[..at]);
        out.push_str(args.next().copied().unwrap_or_default());
        rest = &rest[at + 2..];
    }
    out.push_str(rest);
    out
}

/// Every text the widget shows. Templates mark their values with `{}` (see [`fill_in`]). A new
/// string is a field here and a key in every `i18n/<lang>.json`.
#[derive(Debug)]
pub struct Strings {
    /// The widget page's own title and `<h1>` (iframe mode).
    pub page_title: &'static str,
    pub choose_service: &'static str,
    pub loading: &'static str,
    pub no_services: &'static str,
    pub error_title: &'static str,
    pub retry: &'static str,
    pub free: &'static str,
    pub minutes: &'static str,
    pub missing_company: &'static str,
    pub unknown_company: &'static str,
    /// The `resource` of the URL is not one the company offers.
    pub unknown_resource: &'static str,
    pub network_error: &'static str,
    /// Title of the staff step.
    pub choose_staff: &'static str,
    /// The "whoever is free" choice.
    pub any_staff: &'static str,
    /// What "any available" means.
    pub any_staff_help: &'static str,
    /// Back button.
    pub back: &'static str,
    /// Title of the time step.
    pub choose_time: &'static str,
    /// Title of the reschedule time step.
    pub choose_new_time: &'static str,
    /// Label of the time zone.
    pub time_zone: &'static str,
    /// Opens the time zone selector.
    pub change_time_zone: &'static str,
    /// Label of the time zone search box.
    pub search_time_zone: &'static str,
    /// Closes a panel.
    pub done: &'static str,
    /// Calendar button.
    pub previous_month: &'static str,
    /// Calendar button.
    pub next_month: &'static str,
    /// Announced while slots load.
    pub loading_times: &'static str,
    /// Slots before noon.
    pub morning: &'static str,
    /// Slots from noon to 5 pm.
    pub afternoon: &'static str,
    /// Slots from 5 pm.
    pub evening: &'static str,
    /// A month without free slots.
    pub no_times_this_month: &'static str,
    /// Jumps to the next free day.
    pub next_available: &'static str,
    /// Nothing free in the coming months.
    pub no_times_soon: &'static str,
    /// Title of the form step.
    pub your_details: &'static str,
    /// Explains the asterisk.
    pub required_legend: &'static str,
    /// Spoken after a required group's legend.
    pub required: &'static str,
    /// Marks a locked, prefilled field.
    pub prefilled: &'static str,
    /// "Page 1 of 3": page number, page count.
    pub page_of: &'static str,
    /// Previous form page.
    pub previous: &'static str,
    /// Next form page.
    pub next: &'static str,
    /// Leaves the form for the review.
    pub review_booking: &'static str,
    /// Empty choice of a drop-down.
    pub choose_option: &'static str,
    /// The "other" entry of a drop-down.
    pub other_option: &'static str,
    /// Label of the free text of a choice.
    pub other_value: &'static str,
    /// While a file is read.
    pub reading_file: &'static str,
    /// Removes the chosen file.
    pub remove_file: &'static str,
    /// Announced when a page has errors: the count.
    pub fix_errors: &'static str,
    /// The server refused some answers.
    pub check_answers: &'static str,
    /// A required answer is missing.
    pub error_required: &'static str,
    /// Too short: the minimum.
    pub error_min_length: &'static str,
    /// Too long: the maximum.
    pub error_max_length: &'static str,
    /// The value does not match the expected pattern.
    pub error_format: &'static str,
    /// Not an email address.
    pub error_email: &'static str,
    /// Not a number.
    pub error_number: &'static str,
    /// Not a date.
    pub error_date: &'static str,
    /// Not a web address.
    pub error_website: &'static str,
    /// A choice that is not offered.
    pub error_option: &'static str,
    /// Several choices where one is allowed.
    pub error_one_choice: &'static str,
    /// File over 5 MiB.
    pub error_file_too_big: &'static str,
    /// A file could not be read.
    pub error_file_unreadable: &'static str,
    /// Title of the review step.
    pub review_title: &'static str,
    /// Summary label.
    pub service: &'static str,
    /// Summary label.
    pub staff: &'static str,
    /// Summary label.
    pub date_and_time: &'static str,
    /// Summary label.
    pub duration: &'static str,
    /// Summary label.
    pub price: &'static str,
    /// A file answer without a name.
    pub file_attached: &'static str,
    /// The book button.
    pub confirm_booking: &'static str,
    /// While the booking is sent.
    pub booking_in_progress: &'static str,
    /// The chosen slot was just taken.
    pub slot_taken: &'static str,
    /// Title of the confirmation.
    pub booked_title: &'static str,
    /// Confirmation of a booking awaiting approval.
    pub request_sent_title: &'static str,
    /// What happens to a booking awaiting approval.
    pub request_sent_help: &'static str,
    /// Summary label.
    pub reference: &'static str,
    /// Summary label.
    pub status: &'static str,
    /// Appointment status.
    pub status_confirmed: &'static str,
    /// Appointment status.
    pub status_pending: &'static str,
    /// Appointment status.
    pub status_cancelled: &'static str,
    /// Label of the time in the company's zone.
    pub company_time: &'static str,
    /// Summary label.
    pub location: &'static str,
    /// Link to the video call.
    pub join_video: &'static str,
    /// Video call without a link yet.
    pub video_link_later: &'static str,
    /// Phone appointment.
    pub by_phone: &'static str,
    /// Heading of the calendar links.
    pub add_to_calendar: &'static str,
    /// The .ics link.
    pub download_ics: &'static str,
    /// The Google Calendar link.
    pub google_calendar: &'static str,
    /// Said after links that open a new window.
    pub opens_new_window: &'static str,
    /// Link or button to move an appointment.
    pub reschedule: &'static str,
    /// Link or button to cancel.
    pub cancel_appointment: &'static str,
    /// Title of the manage screen.
    pub your_appointment: &'static str,
    /// Unknown appointment link.
    pub appointment_not_found: &'static str,
    /// Title for a cancelled appointment.
    pub already_cancelled: &'static str,
    /// 409 `tooLateToChange`: inside the service's cancellation delay.
    pub too_late_to_change: &'static str,
    /// 409 `appointmentOver`.
    pub appointment_over: &'static str,
    /// Title of the reschedule confirmation.
    pub confirm_new_time: &'static str,
    /// Confirms the new time.
    pub confirm_new_time_button: &'static str,
    /// Back to the calendar.
    pub choose_another_time: &'static str,
    /// While a change is sent.
    pub saving: &'static str,
    /// After moving an appointment.
    pub rescheduled_title: &'static str,
    /// Title of the cancel confirmation.
    pub cancel_question: &'static str,
    /// Keeps the appointment.
    pub keep_appointment: &'static str,
    /// Confirms the cancellation.
    pub confirm_cancel: &'static str,
    /// After cancelling.
    pub cancelled_title: &'static str,
    /// Shown when the widget hits a bug.
    pub crash_message: &'static str,
    /// Reloads the page after a crash.
    pub reload: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/catalogues.rs"));

/// Native unit tests have no `JSON.parse`: they install a catalogue from its source file with
/// serde_json (a test-only path; the wasm keeps parsing with the browser).
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(crate) fn install_from_source(lang: Lang) {
    if lang.is_loaded() {
        return;
    }
    let json = match lang {
        Lang::En => return,
        Lang::Fr => include_str!("../i18n/fr.json"),
        Lang::De => include_str!("../i18n/de.json"),
        Lang::Es => include_str!("../i18n/es.json"),
        Lang::Pt => include_str!("../i18n/pt.json"),
        Lang::Nl => include_str!("../i18n/nl.json"),
        Lang::It => include_str!("../i18n/it.json"),
    };
    let map: std::collections::BTreeMap<String, String> =
        serde_json::from_str(json).expect("catalogue is a JSON object of strings");
    let texts: Vec<&'static str> = KEYS
        .iter()
        .map(|key| &*Box::leak(map[*key].clone().into_boxed_str()))
        .collect();
    let strings = strings_from(texts.try_into().expect("every key"));
    LOADED.with(|loaded| {
        loaded
            .borrow_mut()
            .push((lang, Box::leak(Box::new(strings))))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_resolve_by_primary_subtag() {
        assert_eq!(Lang::from_tag("fr-CA"), Some(Lang::Fr));
        assert_eq!(Lang::from_tag("PT_br"), Some(Lang::Pt));
        assert_eq!(Lang::from_tag("ja"), None);
        assert_eq!(Lang::resolve(Some("de")), Lang::De);
    }

    #[test]
    fn templates_take_their_values_in_order() {
        assert_eq!(fill_in(EN.page_of, &["1", "3"]), "Page 1 of 3");
        assert_eq!(fill_in("{} and {}", &["a"]), "a and ");
        // build.rs checks that every translation has as many `{}` as English.
        for template in [
            EN.page_of,
            EN.fix_errors,
            EN.error_min_length,
            EN.error_max_length,
        ] {
            assert!(template.contains("{}"), "{template}");
        }
    }

    #[test]
    fn every_other_language_has_a_content_hashed_file() {
        for lang in Lang::ALL.into_iter().filter(|l| *l != Lang::En) {
            let (_, file) = CATALOGUE_FILES
                .iter()
                .find(|(l, _)| *l == lang)
                .expect("a file per language");
            let hash = file
                .strip_prefix(&format!("i18n-{}-", lang.code()))
                .and_then(|rest| rest.strip_suffix(".json"))
                .expect("i18n-<lang>-<hash>.json");
            assert!(hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()));
        }
    }
}
