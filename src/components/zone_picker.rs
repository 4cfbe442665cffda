use leptos::prelude::*;

use crate::i18n::use_strings;
use crate::zone;

/// "Europe/Paris" → "Europe/Paris" with spaces for underscores, as people read zone names.
fn zone_label(zone: &str) -> String {
    zone.replace('_', " ")
}

/// Whether `zone` matches what the visitor typed (any part, case and `_`/space insensitive).
fn matches_search(zone: &str, search: &str) -> bool {
    let normalise = |s: &str| s.to_lowercase().replace('_', " ");
    normalise(zone).contains(normalise(search.trim()).as_str())
}

/// The visitor's time zone, with a disclosure that reveals a search box and a list of every zone
/// the browser knows. Picking one sets `zone`; times everywhere re-render from the same instants.
#[component]
pub fn ZonePicker(
    /// The zone times are shown in.
    zone: RwSignal<String>,
) -> impl IntoView {
    let t = use_strings();
    let open = RwSignal::new(false);
    let search = RwSignal::new(String::new());
    // Read once: the list of zones does not change while the page lives.
    let all = StoredValue::new(zone::all_zones());
    let shown = Memo::new(move |_| {
        let search = search.get();
        let current = zone.get();
        all.with_value(|zones| {
            let mut list: Vec<String> = zones
                .iter()
                .filter(|z| matches_search(z, &search))
                .cloned()
                .collect();
            // The selected zone stays in the list so the <select> always shows it.
            if !list.contains(&current) {
                list.insert(0, current);
            }
            list
        })
    });
    let lang = crate::i18n::use_lang();
    let clock = zone::use_clock();
    let offset = move || crate::format::zone_offset(clock.now(), &zone.get(), lang);
    let long_name = move || crate::format::zone_name(clock.now(), &zone.get(), lang);
    view! {
        <div class="bw-zone">
            <p class="bw-zone__current">
                <span class="bw-zone__label">{t.time_zone}": "</span>
                <strong class="bw-zone__name">{move || zone_label(&zone.get())}</strong>
                " "<span class="bw-zone__long">{long_name}</span>
                " "<span class="bw-zone__offset">"("{offset}")"</span>
                " "
                <button
                    type="button"
                    class="bw-button bw-button--link bw-zone__toggle"
                    aria-expanded=move || open.get().to_string()
                    aria-controls="bw-zone-panel"
                    on:click=move |_| open.update(|o| *o = !*o)
                >
                    {t.change_time_zone}
                </button>
            </p>
            <Show when=move || open.get()>
                <div class="bw-zone__panel" id="bw-zone-panel">
                    <label class="bw-label" for="bw-zone-search">{t.search_time_zone}</label>
                    <input
                        id="bw-zone-search"
                        class="bw-input bw-zone__search"
                        type="search"
                        autocomplete="off"
                        prop:value=move || search.get()
                        on:input=move |ev| search.set(event_target_value(&ev))
                    />
                    <label class="bw-label" for="bw-zone-select">{t.time_zone}</label>
                    <select
                        id="bw-zone-select"
                        class="bw-input bw-zone__select"
                        size="6"
                        on:change=move |ev| {
                            let picked = event_target_value(&ev);
                            if !picked.is_empty() {
                                zone.set(picked);
                            }
                        }
                    >
                        <For each=move || shown.get() key=|z| z.clone() let:z>
                            {
                                let value = z.clone();
                                let selected = move || zone.with(|current| *current == value);
                                view! { <option value=z.clone() prop:selected=selected>{zone_label(&z)}</option> }
                            }
                        </For>
                    </select>
                    <button type="button" class="bw-button bw-button--secondary" on:click=move |_| open.set(false)>
                        {t.done}
                    </button>
                </div>
            </Show>
        </div>
    }
}
