use std::collections::BTreeSet;
use std::time::Duration;

use chrono::{Datelike, Days, Months, NaiveDate};
use leptos::html::Table;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::format;
use crate::i18n::{use_lang, use_strings, Lang};

/// A month as an ARIA grid of days. Days with free slots can be chosen; the others are disabled.
/// One day is in the tab order (roving tabindex); arrow keys, Home/End, PageUp/PageDown move it,
/// Enter or Space chooses it.
#[component]
pub fn Calendar(
    /// The month shown (its first day); the calendar moves it when keys cross a month edge.
    month: RwSignal<NaiveDate>,
    /// Days that have at least one free slot.
    #[prop(into)]
    available: Signal<BTreeSet<NaiveDate>>,
    /// The chosen day, if any.
    #[prop(into)]
    selected: Signal<Option<NaiveDate>>,
    /// Today in the visitor's zone: earlier months are out of reach.
    #[prop(into)]
    today: Signal<NaiveDate>,
    /// Called when the visitor chooses a day.
    on_select: Callback<NaiveDate>,
    /// Whether slots are loading (the grid says so to assistive technology).
    #[prop(into, optional)]
    busy: Signal<bool>,
) -> impl IntoView {
    let t = use_strings();
    let lang = use_lang();
    let grid = NodeRef::<Table>::new();
    // The day that holds the tab stop: the one the keyboard moved to, else the chosen one, else
    // the first available, else the first of the month.
    let cursor = RwSignal::new(None::<NaiveDate>);
    let tab_stop = Memo::new(move |_| {
        let first = month.get();
        let in_month = |d: &NaiveDate| d.year() == first.year() && d.month() == first.month();
        cursor
            .get()
            .filter(in_month)
            .or_else(|| selected.get().filter(in_month))
            .or_else(|| available.with(|a| a.iter().copied().find(in_month)))
            .unwrap_or(first)
    });
    let first_weekday = week_start(lang);

    let move_to = move |day: NaiveDate| {
        let day = day.max(first_day_of(today.get_untracked()));
        cursor.set(Some(day));
        if format::first_of_month(day) != month.get_untracked() {
            month.set(format::first_of_month(day));
        }
        // Focus once the grid shows the day (the month may have just been redrawn).
        set_timeout(
            move || {
                let selector = format!("[data-day=\"{day}\"]");
                if let Some(button) = grid
                    .get_untracked()
                    .and_then(|g| g.query_selector(&selector).ok().flatten())
                {
                    let _ = button.unchecked_into::<web_sys::HtmlElement>().focus();
                }
            },
            Duration::ZERO,
        );
    };
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        let from = tab_stop.get_untracked();
        let target = match ev.key().as_str() {
            "ArrowLeft" => from.checked_sub_days(Days::new(1)),
            "ArrowRight" => from.checked_add_days(Days::new(1)),
            "ArrowUp" => from.checked_sub_days(Days::new(7)),
            "ArrowDown" => from.checked_add_days(Days::new(7)),
            "Home" => {
                from.checked_sub_days(Days::new(u64::from(days_into_week(from, first_weekday))))
            }
            "End" => from.checked_add_days(Days::new(u64::from(
                6 - days_into_week(from, first_weekday),
            ))),
            "PageUp" if ev.shift_key() => from.checked_sub_months(Months::new(12)),
            "PageDown" if ev.shift_key() => from.checked_add_months(Months::new(12)),
            "PageUp" => from.checked_sub_months(Months::new(1)),
            "PageDown" => from.checked_add_months(Months::new(1)),
            "Enter" | " " => {
                ev.prevent_default();
                if available.with_untracked(|a| a.contains(&from)) {
                    on_select.run(from);
                }
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        if let Some(day) = target {
            move_to(day);
        }
    };

    let can_go_back = move || month.get() > first_day_of(today.get());
    let title_id = "bw-calendar-title";
    let weekdays = (0..7)
        .map(|i| {
            // 2024-01-01 was a Monday.
            let day = NaiveDate::from_ymd_opt(2024, 1, 1 + u32::from((first_weekday + i) % 7))
                .unwrap_or_default();
            let (short, long) = format::weekday_names(day, lang);
            // The header's text is the full name (read out with each day); the short one is drawn.
            view! {
                <th scope="col">
                    <span aria-hidden="true">{short}</span>
                    <span class="bw-visually-hidden">{long}</span>
                </th>
            }
        })
        .collect::<Vec<_>>();
    let weeks = move || {
        let first = month.get();
        weeks_of(first, first_weekday)
            .into_iter()
            .map(|week| {
                let cells = week
                    .into_iter()
                    .map(|day| match day {
                        None => view! { <td role="gridcell" class="bw-day bw-day--blank"></td> }.into_any(),
                        Some(day) => view! {
                            <DayCell day available selected today tab_stop lang on_select=Callback::new(move |d| {
                                cursor.set(Some(d));
                                on_select.run(d);
                            })/>
                        }
                        .into_any(),
                    })
                    .collect::<Vec<_>>();
                view! { <tr>{cells}</tr> }
            })
            .collect::<Vec<_>>()
    };
    view! {
        <div class="bw-calendar">
            <div class="bw-calendar__header">
                <button type="button" class="bw-button bw-button--icon"
                    aria-label=t.previous_month
                    disabled=move || !can_go_back()
                    on:click=move |_| month.update(|m| *m = m.checked_sub_months(Months::new(1)).unwrap_or(*m))>
                    <span aria-hidden="true">"‹"</span>
                </button>
                <h3 id=title_id class="bw-calendar__title" aria-live="polite">
                    {move || format::month_title(month.get(), lang)}
                </h3>
                <button type="button" class="bw-button bw-button--icon"
                    aria-label=t.next_month
                    on:click=move |_| month.update(|m| *m = m.checked_add_months(Months::new(1)).unwrap_or(*m))>
                    <span aria-hidden="true">"›"</span>
                </button>
            </div>
            <table class="bw-calendar__grid" role="grid" aria-labelledby=title_id
                aria-busy=move || busy.get().to_string()
                node_ref=grid on:keydown=on_keydown>
                <thead><tr>{weekdays}</tr></thead>
                <tbody>{weeks}</tbody>
            </table>
        </div>
    }
}

/// One day of the grid.
#[component]
fn DayCell(
    /// The day drawn.
    day: NaiveDate,
    /// Days that can be chosen.
    available: Signal<BTreeSet<NaiveDate>>,
    /// The chosen day.
    selected: Signal<Option<NaiveDate>>,
    /// Today, marked as such.
    today: Signal<NaiveDate>,
    /// The day holding the tab stop.
    tab_stop: Memo<NaiveDate>,
    /// Language of the accessible label.
    lang: Lang,
    /// Called when the day is clicked.
    on_select: Callback<NaiveDate>,
) -> impl IntoView {
    let is_available = move || available.with(|a| a.contains(&day));
    let is_selected = move || selected.get() == Some(day);
    view! {
        <td role="gridcell" class="bw-day" aria-selected=move || is_selected().to_string()>
            <button
                type="button"
                class="bw-day__button"
                class=("bw-day__button--available", is_available)
                class=("bw-day__button--selected", is_selected)
                class=("bw-day__button--today", move || today.get() == day)
                data-day=day.to_string()
                tabindex=move || if tab_stop.get() == day { "0" } else { "-1" }
                aria-disabled=move || (!is_available()).to_string()
                aria-current=move || (today.get() == day).then_some("date")
                aria-label=format::day_label(day, lang)
                on:click=move |_| {
                    if is_available() {
                        on_select.run(day);
                    }
                }
            >
                {day.day()}
            </button>
        </td>
    }
}

/// The first weekday of a week: Sunday in English (as in the US), Monday elsewhere (ISO 8601).
/// 0 = Monday … 6 = Sunday.
fn week_start(lang: Lang) -> u8 {
    if lang == Lang::En && !lang.locale().ends_with("GB") {
        6
    } else {
        0
    }
}

/// How many days `day` is after the start of its week.
fn days_into_week(day: NaiveDate, first_weekday: u8) -> u8 {
    let monday_based = day.weekday().num_days_from_monday() as u8;
    (monday_based + 7 - first_weekday) % 7
}

fn first_day_of(day: NaiveDate) -> NaiveDate {
    format::first_of_month(day)
}

/// The month starting on `first` as weeks of seven cells, blank outside the month.
pub fn weeks_of(first: NaiveDate, first_weekday: u8) -> Vec<Vec<Option<NaiveDate>>> {
    let lead = days_into_week(first, first_weekday) as usize;
    let mut cells: Vec<Option<NaiveDate>> = vec![None; lead];
    let mut day = Some(first);
    while let Some(d) = day.filter(|d| d.month() == first.month()) {
        cells.push(Some(d));
        day = d.succ_opt();
    }
    while !cells.len().is_multiple_of(7) {
        cells.push(None);
    }
    cells.chunks(7).map(<[_]>::to_vec).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn december_2026_starts_on_a_tuesday() {
        let first = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let monday_first = weeks_of(first, 0);
        assert_eq!(monday_first.len(), 5);
        assert_eq!(monday_first[0][0], None);
        assert_eq!(monday_first[0][1], Some(first));
        let sunday_first = weeks_of(first, 6);
        assert_eq!(sunday_first[0][2], Some(first));
        assert_eq!(
            sunday_first.last().unwrap().iter().flatten().last(),
            NaiveDate::from_ymd_opt(2026, 12, 31).as_ref()
        );
    }
}
