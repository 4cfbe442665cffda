use std::collections::{BTreeMap, BTreeSet};

use booking_model::DaySlots;
use chrono::{Datelike, NaiveDate, Timelike};
use leptos::prelude::*;

use super::calendar::Calendar;
use crate::components::{SkeletonList, ZonePicker};
use crate::format;
use crate::i18n::{use_lang, use_strings, Strings};
use crate::zone::{slot_instant, ZoneClock};

/// A free slot: the server's string (sent back as is when booking) and its instant.
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    /// Exactly as received, e.g. `2026-12-01T09:00:00+01:00`.
    pub text: String,
    /// Milliseconds since the epoch.
    pub instant: f64,
}

/// The slots by day *in `zone`*: the server groups by the zone it was asked for, but regrouping
/// here keeps days right while a refetch for a newly picked zone is still on its way.
pub fn slots_by_day(days: &[DaySlots], zone: &str) -> BTreeMap<NaiveDate, Vec<Slot>> {
    let mut out: BTreeMap<NaiveDate, Vec<Slot>> = BTreeMap::new();
    let Some(clock) = ZoneClock::new(zone) else {
        return out;
    };
    for text in days.iter().flat_map(|d| d.slots.iter()) {
        let Some(instant) = slot_instant(text) else {
            continue;
        };
        if let Some(local) = clock.wall(instant) {
            out.entry(local.date()).or_default().push(Slot {
                text: text.clone(),
                instant,
            });
        }
    }
    for slots in out.values_mut() {
        slots.sort_by(|a, b| a.instant.total_cmp(&b.instant));
        slots.dedup_by(|a, b| a.instant == b.instant);
    }
    out
}

/// Parts of the day slots are grouped in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DayPart {
    /// Before noon.
    Morning,
    /// Noon to 17:00.
    Afternoon,
    /// From 17:00.
    Evening,
}

impl DayPart {
    fn of_hour(hour: u32) -> DayPart {
        match hour {
            0..=11 => DayPart::Morning,
            12..=16 => DayPart::Afternoon,
            _ => DayPart::Evening,
        }
    }

    fn title(self, t: &Strings) -> &'static str {
        match self {
            DayPart::Morning => t.morning,
            DayPart::Afternoon => t.afternoon,
            DayPart::Evening => t.evening,
        }
    }
}

/// One day's slots as buttons grouped into morning, afternoon and evening, times in `zone`.
#[component]
pub fn SlotGroups(
    /// The day's slots.
    #[prop(into)]
    slots: Signal<Vec<Slot>>,
    /// The zone times are shown in.
    #[prop(into)]
    zone: Signal<String>,
    /// Called with the slot string the visitor chose.
    on_select: Callback<String>,
) -> impl IntoView {
    let t = use_strings();
    let lang = use_lang();
    let groups = Memo::new(move |_| {
        let zone = zone.get();
        let clock = ZoneClock::new(&zone);
        let mut groups: BTreeMap<DayPart, Vec<(Slot, String)>> = BTreeMap::new();
        for slot in slots.get() {
            let hour = clock
                .as_ref()
                .and_then(|c| c.wall(slot.instant))
                .map_or(0, |t| t.hour());
            let label = format::time(slot.instant, &zone, lang);
            groups
                .entry(DayPart::of_hour(hour))
                .or_default()
                .push((slot, label));
        }
        groups.into_iter().collect::<Vec<_>>()
    });
    view! {
        <div class="bw-slots">
            <For each=move || groups.with(|g| g.iter().map(|(part, _)| *part).collect::<Vec<_>>()) key=|part| *part let:part>
                {
                    let list = Signal::derive(move || {
                        groups.with(|g| g.iter().find(|(p, _)| *p == part).map(|(_, l)| l.clone()).unwrap_or_default())
                    });
                    let heading_id = format!("bw-slots-{part:?}");
                    let labelled_by = heading_id.clone();
                    view! {
                        <div class="bw-slots__group" role="group" aria-labelledby=labelled_by>
                            <h4 class="bw-slots__title" id=heading_id>{part.title(t)}</h4>
                            <ul class="bw-slots__list" role="list">
                                <For each=move || list.get() key=|(slot, label)| (slot.text.clone(), label.clone()) let:entry>
                                    {
                                        let (slot, label) = entry;
                                        view! {
                                            <li>
                                                <button type="button" class="bw-slot" data-slot=slot.text.clone()
                                                    on:click=move |_| on_select.run(slot.text.clone())>
                                                    {label}
                                                </button>
                                            </li>
                                        }
                                    }
                                </For>
                            </ul>
                        </div>
                    }
                }
            </For>
        </div>
    }
}

/// The date and time picker: the zone selector, the month calendar and the chosen day's slots.
/// It draws what it is given; [`TimeStep`](super::TimeStep) fetches.
#[component]
pub fn TimePicker(
    /// The visible month's free slots; `None` while they load.
    #[prop(into)]
    days: Signal<Option<Vec<DaySlots>>>,
    /// The visible month (its first day).
    month: RwSignal<NaiveDate>,
    /// The visitor's zone.
    zone: RwSignal<String>,
    /// Called with the slot string the visitor chose.
    on_select: Callback<String>,
    /// Jumps to the next month with free slots; `None` hides the button.
    #[prop(optional)]
    on_next_available: Option<Callback<()>>,
) -> impl IntoView {
    let t = use_strings();
    let lang = use_lang();
    let by_day = Memo::new(move |_| {
        days.with(|d| d.as_deref().map(|d| slots_by_day(d, &zone.get())))
            .unwrap_or_default()
    });
    let loading = Signal::derive(move || days.with(Option::is_none));
    let clock = crate::zone::use_clock();
    let today = Memo::new(move |_| {
        ZoneClock::new(&zone.get())
            .and_then(|c| c.today(clock))
            .unwrap_or_else(|| month.get_untracked())
    });
    let available = Signal::derive(move || {
        let first = month.get();
        by_day.with(|days| {
            days.keys()
                .copied()
                .filter(|d| d.year() == first.year() && d.month() == first.month())
                .collect::<BTreeSet<_>>()
        })
    });
    let picked = RwSignal::new(None::<NaiveDate>);
    // The day whose slots show: the one picked in this month, else the month's first free day.
    let shown_day = Memo::new(move |_| {
        let free = available.get();
        picked
            .get()
            .filter(|d| free.contains(d))
            .or_else(|| free.first().copied())
    });
    let day_slots = Signal::derive(move || {
        shown_day
            .get()
            .and_then(|d| by_day.with(|b| b.get(&d).cloned()))
            .unwrap_or_default()
    });
    let slot_panel = move || {
        if loading.get() {
            return view! { <SkeletonList rows=2 label=t.loading_times/> }.into_any();
        }
        match shown_day.get() {
            Some(day) => view! {
                <h3 class="bw-slots__day">{format::day_label(day, lang)}</h3>
                <SlotGroups slots=day_slots zone on_select/>
            }
            .into_any(),
            None => view! {
                <div class="bw-empty">
                    <p>{t.no_times_this_month}</p>
                    {on_next_available.map(|jump| view! {
                        <button type="button" class="bw-button bw-button--secondary bw-next-available"
                            on:click=move |_| jump.run(())>
                            {t.next_available}
                        </button>
                    })}
                </div>
            }
            .into_any(),
        }
    };
    view! {
        <div class="bw-time">
            <ZonePicker zone/>
            <div class="bw-time__columns">
                <Calendar month available selected=shown_day today busy=loading
                    on_select=Callback::new(move |d| picked.set(Some(d)))/>
                <div class="bw-time__slots">{slot_panel}</div>
            </div>
        </div>
    }
}
