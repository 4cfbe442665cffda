use booking_model::{BookingTarget, DaySlots};
use chrono::{Days, Months, NaiveDate};
use leptos::prelude::*;

use super::slots::{slots_by_day, TimePicker};
use crate::api::{ApiError, SlotQuery};
use crate::components::{describe, use_announcer, BackButton, ErrorNotice, StepHeading};
use crate::format::first_of_month;
use crate::zone::ZoneClock;
use crate::WidgetContext;

/// How far ahead "next available" looks, in windows of [`WINDOW_DAYS`].
const SEARCH_WINDOWS: u64 = 6;
/// The longest range the server accepts in one freeSlots call (62 days, both ends included).
const WINDOW_DAYS: u64 = 61;

/// Step 3 (and the reschedule screen): fetches the visible month's free slots in the visitor's
/// zone and lets them pick a day and a time. Changing the month or the zone refetches.
#[component]
pub fn TimeStep(
    /// What to book: a service, or a resource on its own.
    target: BookingTarget,
    /// The staff member, `None` for any available.
    staff_id: Option<String>,
    /// The visitor's zone (shared with the rest of the flow).
    zone: RwSignal<String>,
    /// Called with the chosen slot string.
    on_select: Callback<String>,
    /// A message to show above the calendar, e.g. "that time was just taken".
    notice: Option<String>,
    /// Goes back a step; `None` when there is nowhere to go.
    on_back: Option<Callback<()>>,
    /// The heading; defaults to "Choose a date and time".
    #[prop(optional)]
    title: Option<&'static str>,
    /// Whether the heading takes focus (the visitor just arrived here).
    #[prop(optional)]
    focus: bool,
    /// A day whose month to open on (the visitor's previous choice); else the first month with a
    /// free time, from this one on.
    #[prop(default = None)]
    start_day: Option<NaiveDate>,
) -> impl IntoView {
    let ctx = expect_context::<WidgetContext>();
    let t = ctx.strings();
    let announcer = use_announcer();
    let api = StoredValue::new(ctx.api.clone());
    let clock = ctx.clock;
    let today = move || {
        ZoneClock::new(&zone.get_untracked())
            .and_then(|c| c.today(clock))
            .unwrap_or_default()
    };
    let start_day = start_day.filter(|day| *day >= today());
    let month = RwSignal::new(first_of_month(start_day.unwrap_or_else(today)));
    let query = Memo::new(move |_| {
        let first = month.get();
        let last = first
            .checked_add_months(Months::new(1))
            .and_then(|d| d.pred_opt())
            .unwrap_or(first);
        SlotQuery {
            target: target.clone(),
            staff_id: staff_id.clone(),
            // Days already gone have nothing to offer.
            start_date: first.max(today()),
            end_date: last,
            time_zone: zone.get(),
        }
    });
    let slots = LocalResource::new(move || {
        let query = query.get();
        let api = api.get_value();
        async move {
            let answer = if query.end_date < query.start_date {
                Ok(Vec::new())
            } else {
                api.free_slots(&query).await.map(|r| r.items)
            };
            (query, answer)
        }
    });
    // Slots of the visible month, `None` while they load. An answer for another zone still counts:
    // instants do not change with the zone, and days are regrouped in the new one.
    let current = Memo::new(move |_| {
        let wanted = query.get();
        slots.get().filter(|(asked, _)| {
            asked.start_date == wanted.start_date
                && asked.end_date == wanted.end_date
                && asked.target == wanted.target
        })
    });
    let days = Signal::derive(move || current.get().and_then(|(_, answer)| answer.ok()));
    let failure = move || current.get().and_then(|(_, answer)| answer.err());
    Effect::new(move |_| {
        if current.with(Option::is_none) {
            announcer.say(t.loading_times);
        }
    });

    let next_available = Action::new_local(move |(): &()| {
        let base = query.get_untracked();
        let api = api.get_value();
        let from = month.get_untracked();
        async move {
            let found = find_next_available(&api, base).await;
            match found {
                // Unless the visitor paged elsewhere meanwhile: their choice wins.
                Ok(Some(day)) if month.get_untracked() == from => month.set(first_of_month(day)),
                Ok(Some(_)) => {}
                Ok(None) => announcer.say(t.no_times_soon),
                Err(_) => announcer.say(t.network_error),
            }
        }
    });

    // Opening on an empty month (late in the month, or a service booked weeks ahead) would make
    // every visitor press "next available" first: do it for them, once.
    if start_day.is_none() {
        let opening = month.get_untracked();
        let jumped = StoredValue::new(false);
        Effect::new(move |_| {
            // The server may list a day with no slot left in it.
            let empty = days.with(|d| {
                d.as_ref()
                    .is_some_and(|days| days.iter().all(|day| day.slots.is_empty()))
            });
            if empty && !jumped.get_value() && month.get_untracked() == opening {
                jumped.set_value(true);
                next_available.dispatch(());
            }
        });
    }

    // While it searches ahead, the slots area shows it is loading (and the grid is `aria-busy`).
    let searching = next_available.pending();
    let shown_days = Signal::derive(move || if searching.get() { None } else { days.get() });

    let error_view = move || {
        failure().map(|error: ApiError| {
            let message = describe(&error, t);
            view! { <ErrorNotice message on_retry=Callback::new(move |()| slots.refetch())/> }
        })
    };
    view! {
        <section class="bw-step" aria-labelledby="bw-step-time-title">
            <BackButton on_back/>
            <StepHeading id="bw-step-time-title" text=title.unwrap_or(t.choose_time).to_owned() focus/>
            {notice.map(|n| view! { <p class="bw-notice" role="alert">{n}</p> })}
            {error_view}
            <TimePicker days=shown_days month zone on_select
                on_next_available=Callback::new(move |()| { next_available.dispatch(()); })/>
        </section>
    }
}

/// The first day after `base`'s range that has a free slot, looking [`SEARCH_WINDOWS`] windows
/// ahead.
async fn find_next_available(
    api: &crate::Api,
    base: SlotQuery,
) -> Result<Option<NaiveDate>, ApiError> {
    let mut start = base.end_date.succ_opt().unwrap_or(base.end_date);
    for _ in 0..SEARCH_WINDOWS {
        let end = start
            .checked_add_days(Days::new(WINDOW_DAYS))
            .unwrap_or(start);
        let query = SlotQuery {
            start_date: start,
            end_date: end,
            ..base.clone()
        };
        let days: Vec<DaySlots> = api.free_slots(&query).await?.items;
        if let Some((day, _)) = slots_by_day(&days, &query.time_zone).into_iter().next() {
            return Ok(Some(day));
        }
        start = end.succ_opt().unwrap_or(end);
    }
    Ok(None)
}
