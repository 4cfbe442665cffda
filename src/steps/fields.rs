//! One component per kind of form item, all reading and writing the shared [`Answers`].

use std::collections::{BTreeMap, BTreeSet};

use booking_model::form::{BIND_EMAIL, BIND_FIRST_NAME, BIND_LAST_NAME, BIND_PHONE};
use booking_model::validate::MAX_FILE_BYTES;
use booking_model::{FieldError, FormItem, FormItemType, FormValue};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::answers::{option_key, Answer, Answers};
use crate::i18n::{use_strings, Strings};

/// What every field needs: the answers, the errors to show and which items are locked.
#[derive(Debug, Clone, Copy)]
pub struct FormState {
    /// The visitor's answers by item id.
    pub answers: RwSignal<Answers>,
    /// The messages to show now, by item id (already in the visitor's language).
    pub errors: Signal<BTreeMap<String, String>>,
    /// Errors the server reported; an item's entry goes once the visitor edits it.
    pub server_errors: RwSignal<BTreeMap<String, FieldError>>,
    /// Items prefilled from the URL that the visitor may not change.
    pub locked: StoredValue<BTreeSet<String>>,
}

impl FormState {
    fn answer(&self, id: &str) -> Answer {
        self.answers
            .with(|a| a.get(id).cloned())
            .unwrap_or_default()
    }

    fn edit(&self, id: &str, change: impl FnOnce(&mut Answer)) {
        self.answers
            .update(|a| change(a.entry(id.to_owned()).or_default()));
        self.server_errors.update(|e| {
            e.remove(id);
        });
    }
}

/// DOM ids derived from an item id (which may hold any character).
struct Ids {
    field: String,
    help: String,
    error: String,
}

impl Ids {
    fn of(item_id: &str) -> Ids {
        let safe: String = item_id
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let field = format!("bw-field-{safe}");
        Ids {
            help: format!("{field}-help"),
            error: format!("{field}-error"),
            field,
        }
    }
}

/// One form item: a labelled input of its type, its help and its error.
#[component]
pub fn FormField(
    /// The item of the definition.
    item: FormItem,
    /// Answers, errors and locks.
    state: FormState,
) -> impl IntoView {
    if !item.sub_item.is_empty() {
        return view! { <CompoundField item state/> }.into_any();
    }
    match item.item_type.unwrap_or(FormItemType::Input) {
        FormItemType::Radio | FormItemType::Checkbox | FormItemType::Scalerating => {
            view! { <ChoiceField item state/> }.into_any()
        }
        FormItemType::Select => view! { <SelectField item state/> }.into_any(),
        FormItemType::File => view! { <FileField item state/> }.into_any(),
        _ => view! { <TextField item state/> }.into_any(),
    }
}

/// Label, help and error around an input; `describedby` for the input.
struct Decor {
    ids: Ids,
    id: String,
    title: String,
    help: Option<String>,
    mandatory: bool,
    locked: bool,
}

impl Decor {
    fn of(item: &FormItem, state: &FormState) -> Decor {
        let id = item.id.clone().unwrap_or_default();
        Decor {
            ids: Ids::of(&id),
            locked: state.locked.with_value(|l| l.contains(&id)),
            id,
            title: item.title.clone().unwrap_or_default(),
            help: item.help.clone().filter(|h| !h.is_empty()),
            mandatory: item.is_mandatory(),
        }
    }

    fn error(&self, state: FormState) -> Signal<Option<String>> {
        let id = self.id.clone();
        Signal::derive(move || state.errors.with(|e| e.get(&id).cloned()))
    }

    fn described_by(&self, error: Signal<Option<String>>) -> Signal<Option<String>> {
        let help = self.help.as_ref().map(|_| self.ids.help.clone());
        let error_id = self.ids.error.clone();
        Signal::derive(move || {
            let ids: Vec<String> = help
                .iter()
                .cloned()
                .chain(error.with(Option::is_some).then(|| error_id.clone()))
                .collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        })
    }

    fn label_text(&self, t: &'static Strings) -> impl IntoView {
        let marker = self.mandatory.then(|| {
            view! { <span class="bw-field__required" aria-hidden="true">" *"</span> }
        });
        let locked = self
            .locked
            .then(|| view! { <span class="bw-field__locked">" ("{t.prefilled}")"</span> });
        (self.title.clone(), marker, locked)
    }

    fn help_view(&self) -> impl IntoView {
        let id = self.ids.help.clone();
        self.help
            .clone()
            .map(|h| view! { <p class="bw-field__help" id=id>{h}</p> })
    }

    fn error_view(&self, error: Signal<Option<String>>) -> impl IntoView {
        let id = self.ids.error.clone();
        move || {
            error
                .get()
                .map(|e| view! { <p class="bw-field__error" id=id.clone()>{e}</p> })
        }
    }
}

fn input_type(item: &FormItem) -> &'static str {
    match item.item_type {
        Some(FormItemType::Email) => "email",
        Some(FormItemType::Phone) => "tel",
        Some(FormItemType::Number | FormItemType::Price) => "number",
        Some(FormItemType::Date) => "date",
        Some(FormItemType::Website) => "url",
        _ => "text",
    }
}

/// Lets browsers and password managers fill the client's details.
fn autocomplete(item: &FormItem) -> Option<&'static str> {
    match item.bind.as_deref()? {
        BIND_FIRST_NAME => Some("given-name"),
        BIND_LAST_NAME => Some("family-name"),
        BIND_EMAIL => Some("email"),
        BIND_PHONE => Some("tel"),
        _ => None,
    }
}

/// Text, email, phone, number, date, website (one line) and textarea.
#[component]
fn TextField(
    /// The item.
    item: FormItem,
    /// Answers, errors and locks.
    state: FormState,
) -> impl IntoView {
    let t = use_strings();
    let decor = Decor::of(&item, &state);
    let error = decor.error(state);
    let id = decor.id.clone();
    let value = {
        let id = id.clone();
        move || {
            state
                .answers
                .with(|a| a.get(&id).map(|x| x.value.clone()).unwrap_or_default())
        }
    };
    let on_input = move |ev: web_sys::Event| {
        let text = event_target_value(&ev);
        state.edit(&id, |a| a.value = text);
    };
    let invalid = move || error.with(Option::is_some).then_some("true");
    let placeholder = item.placeholder.clone();
    let max_length = item.value_format.as_ref().and_then(|f| f.max_length);
    let control = if item.item_type == Some(FormItemType::Textarea) {
        view! {
            <textarea
                id=decor.ids.field.clone()
                class="bw-input bw-input--area"
                rows="4"
                placeholder=placeholder
                readonly=decor.locked
                aria-required=decor.mandatory.then_some("true")
                aria-invalid=invalid
                aria-describedby=decor.described_by(error)
                prop:value=value
                on:input=on_input
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=decor.ids.field.clone()
                class="bw-input"
                type=input_type(&item)
                inputmode=(input_type(&item) == "number").then_some("decimal")
                step=(input_type(&item) == "number").then_some("any")
                autocomplete=autocomplete(&item)
                placeholder=placeholder
                maxlength=max_length.map(|m| m.to_string())
                readonly=decor.locked
                aria-required=decor.mandatory.then_some("true")
                aria-invalid=invalid
                aria-describedby=decor.described_by(error)
                prop:value=value
                on:input=on_input
            />
        }
        .into_any()
    };
    view! {
        <div class="bw-field" class=("bw-field--invalid", move || error.with(Option::is_some))>
            <label class="bw-label" for=decor.ids.field.clone()>{decor.label_text(t)}</label>
            {decor.help_view()}
            {control}
            {decor.error_view(error)}
        </div>
    }
}

/// The options of a radio / checkbox item, or the points of a rating scale.
fn choice_options(item: &FormItem) -> Vec<(String, String)> {
    if item.item_type == Some(FormItemType::Scalerating) && item.values.is_empty() {
        return (1..=5).map(|n| (n.to_string(), n.to_string())).collect();
    }
    item.options()
        .into_iter()
        .map(|o| {
            (
                option_key(o),
                o.name.clone().unwrap_or_else(|| option_key(o)),
            )
        })
        .collect()
}

/// Radio buttons, checkboxes or a rating scale in a fieldset, with an "other" text when allowed.
#[component]
fn ChoiceField(
    /// The item.
    item: FormItem,
    /// Answers, errors and locks.
    state: FormState,
) -> impl IntoView {
    let t = use_strings();
    let decor = Decor::of(&item, &state);
    let error = decor.error(state);
    let id = decor.id.clone();
    let several = item.item_type == Some(FormItemType::Checkbox);
    // A rating is a single value, not a choice among `values`.
    let is_rating = item.item_type == Some(FormItemType::Scalerating);
    let kind = if several { "checkbox" } else { "radio" };
    let described_by = decor.described_by(error);
    let options = choice_options(&item)
        .into_iter()
        .enumerate()
        .map(|(n, (key, label))| {
            let option_id = format!("{}-{n}", decor.ids.field);
            let checked = {
                let (id, key) = (id.clone(), key.clone());
                move || {
                    let answer = state.answer(&id);
                    if is_rating {
                        answer.value == key
                    } else {
                        answer.chosen.contains(&key)
                    }
                }
            };
            let on_change = {
                let (id, key) = (id.clone(), key.clone());
                move |ev: web_sys::Event| {
                    let on = event_target_checked(&ev);
                    state.edit(&id, |a| {
                        if is_rating {
                            a.value = key.clone();
                        } else if several {
                            a.chosen.retain(|k| *k != key);
                            if on {
                                a.chosen.push(key.clone());
                            }
                        } else {
                            // One choice: picking an option replaces any "other" text.
                            a.chosen = vec![key.clone()];
                            a.value.clear();
                        }
                    });
                }
            };
            view! {
                <div class="bw-option">
                    <input
                        type=kind
                        id=option_id.clone()
                        name=decor.ids.field.clone()
                        value=key.clone()
                        disabled=decor.locked
                        aria-describedby=described_by
                        prop:checked=checked
                        on:change=on_change
                    />
                    <label for=option_id>{label}</label>
                </div>
            }
        })
        .collect::<Vec<_>>();
    let other = (!is_rating && item.other_value.unwrap_or(false)).then(|| {
        view! { <OtherText id=id.clone() field_id=decor.ids.field.clone() single=!several locked=decor.locked state/> }
    });
    // ARIA allows `aria-required` on a radio group but not on a plain group of checkboxes: there, the
    // legend says it (the visible `*` is hidden from screen readers).
    let radio_group = !several;
    let spoken_required = several && decor.mandatory;
    view! {
        <fieldset class="bw-field bw-fieldset" class=("bw-field--invalid", move || error.with(Option::is_some))
            aria-invalid=move || error.with(Option::is_some).then_some("true")
            role=radio_group.then_some("radiogroup")
            aria-required=(radio_group && decor.mandatory).then_some("true")
            class=("bw-fieldset--scale", is_rating)>
            <legend class="bw-label">
                {decor.label_text(t)}
                {spoken_required.then(|| view! { <span class="bw-visually-hidden">" ("{t.required}")"</span> })}
            </legend>
            {decor.help_view()}
            <div class="bw-options">{options}</div>
            {other}
            {decor.error_view(error)}
        </fieldset>
    }
}

/// The free text of a choice item that allows values outside its options (`otherValue`).
#[component]
fn OtherText(
    /// The item id.
    id: String,
    /// The item's DOM id, to derive this input's.
    field_id: String,
    /// Whether the item takes one choice (then typing here replaces the chosen option).
    single: bool,
    /// Whether the visitor may not change it.
    locked: bool,
    /// Answers, errors and locks.
    state: FormState,
) -> impl IntoView {
    let t = use_strings();
    let input_id = format!("{field_id}-other");
    let value = {
        let id = id.clone();
        move || state.answer(&id).value
    };
    view! {
        <div class="bw-field__other">
            <label class="bw-label bw-label--inline" for=input_id.clone()>{t.other_value}</label>
            <input
                id=input_id
                class="bw-input"
                type="text"
                readonly=locked
                prop:value=value
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    state.edit(&id, |a| {
                        if single && !text.trim().is_empty() {
                            a.chosen.clear();
                        }
                        a.value = text;
                    });
                }
            />
        </div>
    }
}

/// The `<option>`s of a select, categories as `<optgroup>`s.
fn select_options(values: &[FormValue], chosen: Signal<Vec<String>>) -> Vec<AnyView> {
    values
        .iter()
        .map(|value| {
            if value.is_category() {
                let label = value.name.clone().unwrap_or_default();
                view! { <optgroup label=label>{select_options(&value.values, chosen)}</optgroup> }
                    .into_any()
            } else {
                let key = option_key(value);
                let label = value.name.clone().unwrap_or_else(|| key.clone());
                let selected = {
                    let key = key.clone();
                    move || chosen.with(|c| c.contains(&key))
                };
                view! { <option value=key prop:selected=selected>{label}</option> }.into_any()
            }
        })
        .collect()
}

/// Marks the "other" entry of a single select; cannot collide with an option key from JSON.
const OTHER_KEY: &str = "\u{1}other";

/// A drop-down (one choice) or a list box (`multiple`), with categories and "other".
#[component]
fn SelectField(
    /// The item.
    item: FormItem,
    /// Answers, errors and locks.
    state: FormState,
) -> impl IntoView {
    let t = use_strings();
    let decor = Decor::of(&item, &state);
    let error = decor.error(state);
    let id = decor.id.clone();
    let multiple = item.multiple.unwrap_or(false);
    let allows_other = item.other_value.unwrap_or(false);
    let chosen = {
        let id = id.clone();
        Signal::derive(move || state.answer(&id).chosen)
    };
    // A single select shows the "other" box once it is picked, or when it already holds text.
    let other_picked = RwSignal::new(
        state
            .answers
            .with_untracked(|a| a.get(&id).is_some_and(|x| !x.value.is_empty())),
    );
    let on_change = {
        let id = id.clone();
        move |ev: web_sys::Event| {
            let Some(select) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
            else {
                return;
            };
            let options = select.selected_options();
            let picked: Vec<String> = (0..options.length())
                .filter_map(|i| options.item(i))
                .filter_map(|o| o.dyn_into::<web_sys::HtmlOptionElement>().ok())
                .map(|o| o.value())
                .filter(|v| !v.is_empty())
                .collect();
            let wants_other = picked.iter().any(|p| p == OTHER_KEY);
            other_picked.set(wants_other);
            state.edit(&id, |a| {
                a.chosen = picked.into_iter().filter(|p| p != OTHER_KEY).collect();
                if !multiple && !wants_other {
                    a.value.clear();
                }
            });
        }
    };
    let show_other = move || allows_other && (multiple || other_picked.get());
    let other_field_id = decor.ids.field.clone();
    let locked = decor.locked;
    view! {
        <div class="bw-field" class=("bw-field--invalid", move || error.with(Option::is_some))>
            <label class="bw-label" for=decor.ids.field.clone()>{decor.label_text(t)}</label>
            {decor.help_view()}
            <select
                id=decor.ids.field.clone()
                class="bw-input bw-select"
                multiple=multiple
                size=multiple.then_some("5")
                disabled=decor.locked
                aria-required=decor.mandatory.then_some("true")
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=decor.described_by(error)
                on:change=on_change
            >
                {(!multiple).then(|| view! {
                    <option value="" prop:selected=move || chosen.with(Vec::is_empty) && !other_picked.get()>{t.choose_option}</option>
                })}
                {select_options(&item.values, chosen)}
                {(allows_other && !multiple).then(|| view! {
                    <option value=OTHER_KEY prop:selected=move || other_picked.get()>{t.other_option}</option>
                })}
            </select>
            <Show when=show_other>
                <OtherText id=id.clone() field_id=other_field_id.clone() single=!multiple locked state/>
            </Show>
            {decor.error_view(error)}
        </div>
    }
}

/// A file, sent as a `data:` URI; refused before reading when above [`MAX_FILE_BYTES`].
#[component]
fn FileField(
    /// The item.
    item: FormItem,
    /// Answers, errors and locks.
    state: FormState,
) -> impl IntoView {
    let t = use_strings();
    let decor = Decor::of(&item, &state);
    let id = decor.id.clone();
    let too_big = RwSignal::new(None::<String>);
    let reading = RwSignal::new(false);
    let shown_error = {
        let validator = decor.error(state);
        Signal::derive(move || too_big.get().or_else(|| validator.get()))
    };
    let file_name = {
        let id = id.clone();
        move || {
            state
                .answer(&id)
                .file_name
                .filter(|_| !state.answer(&id).value.is_empty())
        }
    };
    let on_change = {
        let id = id.clone();
        move |ev: web_sys::Event| {
            let Some(file) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .and_then(|input| input.files())
                .and_then(|files| files.get(0))
            else {
                return;
            };
            if file.size() > MAX_FILE_BYTES as f64 {
                too_big.set(Some(t.error_file_too_big.to_owned()));
                state.edit(&id, |a| *a = Answer::default());
                return;
            }
            too_big.set(None);
            reading.set(true);
            let id = id.clone();
            leptos::task::spawn_local(async move {
                let uri = read_as_data_uri(&file).await;
                reading.set(false);
                match uri {
                    Some(uri) => state.edit(&id, |a| {
                        a.value = uri;
                        a.file_name = Some(file.name());
                    }),
                    None => too_big.set(Some(t.error_file_unreadable.to_owned())),
                }
            });
        }
    };
    let clear = {
        let id = id.clone();
        move |_| state.edit(&id, |a| *a = Answer::default())
    };
    view! {
        <div class="bw-field" class=("bw-field--invalid", move || shown_error.with(Option::is_some))>
            <label class="bw-label" for=decor.ids.field.clone()>{decor.label_text(t)}</label>
            {decor.help_view()}
            <input
                id=decor.ids.field.clone()
                class="bw-input bw-input--file"
                type="file"
                aria-required=decor.mandatory.then_some("true")
                aria-invalid=move || shown_error.with(Option::is_some).then_some("true")
                aria-describedby=decor.described_by(shown_error)
                on:change=on_change
            />
            <Show when=move || reading.get()>
                <p class="bw-field__help" role="status">{t.reading_file}</p>
            </Show>
            {move || file_name().map(|name| view! {
                <p class="bw-field__file">
                    <span>{name}</span>" "
                    <button type="button" class="bw-button bw-button--link" on:click=clear.clone()>{t.remove_file}</button>
                </p>
            })}
            {decor.error_view(shown_error)}
        </div>
    }
}

/// The file's bytes as `data:<type>;base64,…`.
async fn read_as_data_uri(file: &web_sys::File) -> Option<String> {
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .ok()?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    let mime = Some(file.type_()).filter(|m| !m.is_empty());
    Some(format!(
        "data:{};base64,{}",
        mime.as_deref().unwrap_or("application/octet-stream"),
        base64(&bytes)
    ))
}

/// Standard base64 with padding (RFC 4648 §4).
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> shift) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A compound item (`crm-name`, `crm-address`): its parts in a fieldset.
#[component]
fn CompoundField(
    /// The item, whose `subItem`s are the parts.
    item: FormItem,
    /// Answers, errors and locks.
    state: FormState,
) -> impl IntoView {
    let t = use_strings();
    let decor = Decor::of(&item, &state);
    let error = decor.error(state);
    let parts = item
        .sub_item
        .iter()
        .filter(|s| s.is_visible())
        .cloned()
        .map(|sub| view! { <FormField item=sub state/> }.into_any())
        .collect::<Vec<_>>();
    view! {
        <fieldset class="bw-field bw-fieldset bw-fieldset--compound">
            <legend class="bw-label">{decor.label_text(t)}</legend>
            {decor.help_view()}
            {parts}
            {decor.error_view(error)}
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::base64;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }
}
