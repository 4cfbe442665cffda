//! The state of one booking as the visitor goes through the steps. The current step is derived from
//! what has been chosen so far, so "back" is just un-choosing the last thing.

use std::collections::BTreeMap;

use booking_model::{
    BookingTarget, FieldError, PublicAppointment, PublicResource, PublicService, PublicStaff,
};
use chrono::NaiveDate;
use leptos::prelude::*;

use crate::answers::Answers;
use crate::i18n::Strings;

/// Who performs the appointment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaffChoice {
    /// Whoever is free: the server picks.
    Any,
    /// This staff member.
    One(PublicStaff),
}

impl StaffChoice {
    /// The id to send, `None` for any available.
    pub fn id(&self) -> Option<String> {
        match self {
            StaffChoice::Any => None,
            StaffChoice::One(staff) => staff.id.clone(),
        }
    }

    /// How the choice reads in a summary.
    pub fn label(&self, t: &Strings) -> String {
        match self {
            StaffChoice::Any => t.any_staff.to_owned(),
            StaffChoice::One(staff) => staff_name(staff),
        }
    }
}

/// "Camille Martin".
pub fn staff_name(staff: &PublicStaff) -> String {
    [&staff.first_name, &staff.last_name]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The steps, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Choose a service.
    Service,
    /// Choose a staff member (or any).
    Staff,
    /// Choose a day and a time.
    Time,
    /// Fill the form.
    Form,
    /// Check and book.
    Review,
    /// Booked.
    Done,
}

/// Everything chosen so far in one booking; `Copy`, shared through context.
#[derive(Debug, Clone, Copy)]
pub struct Booking {
    /// The chosen service; for a resource booked on its own, the resource in a service's shape
    /// (id, name, duration, price), with [`Booking::resource_units`] set.
    pub service: RwSignal<Option<PublicService>>,
    /// Units booked when `service` holds a resource booked on its own (no staff); `None` for a service.
    pub resource_units: RwSignal<Option<u32>>,
    /// What is booked, from `service` and `resource_units`.
    pub target: Memo<Option<BookingTarget>>,
    /// The chosen staff member.
    pub staff: RwSignal<Option<StaffChoice>>,
    /// The chosen slot, exactly as the server sent it.
    pub slot: RwSignal<Option<String>>,
    /// The form answers; kept across back navigation, retries and a "slot taken" detour.
    pub answers: RwSignal<Answers>,
    /// Whether the visitor finished the form's pages.
    pub form_done: RwSignal<bool>,
    /// The booked appointment.
    pub appointment: RwSignal<Option<PublicAppointment>>,
    /// The visitor's IANA zone, for showing and requesting slots.
    pub zone: RwSignal<String>,
    /// The day of the last slot chosen: the time step reopens on its month after "back" or a
    /// taken slot, instead of making the visitor page forward again.
    pub slot_day: RwSignal<Option<NaiveDate>>,
    /// A message for the time step, e.g. "that slot was just taken".
    pub notice: RwSignal<Option<String>>,
    /// Errors the server found in the answers, by item id.
    pub server_errors: RwSignal<BTreeMap<String, FieldError>>,
    /// The service came from the URL: its step is skipped and "back" does not return to it.
    pub service_preset: RwSignal<bool>,
    /// The staff member came from the URL.
    pub staff_preset: RwSignal<bool>,
    /// Whether the visitor has moved through the flow (then each new step's heading takes focus;
    /// on first load the host page keeps it).
    pub moved: RwSignal<bool>,
    /// Where the visitor is.
    pub step: Memo<Step>,
}

impl Booking {
    /// A fresh booking, slots shown in `zone`.
    pub fn new(zone: String) -> Self {
        let service = RwSignal::new(None::<PublicService>);
        let staff = RwSignal::new(None::<StaffChoice>);
        let slot = RwSignal::new(None::<String>);
        let form_done = RwSignal::new(false);
        let appointment = RwSignal::new(None::<PublicAppointment>);
        let resource_units = RwSignal::new(None::<u32>);
        let target = Memo::new(move |_| {
            let id = service.with(|s| s.as_ref().and_then(|s| s.id.clone()))?;
            Some(match resource_units.get() {
                Some(units) => BookingTarget::Resource { id, units },
                None => BookingTarget::Service { id },
            })
        });
        let step = Memo::new(move |_| {
            if appointment.with(Option::is_some) {
                Step::Done
            } else if service.with(Option::is_none) {
                Step::Service
            } else if staff.with(Option::is_none) {
                Step::Staff
            } else if slot.with(Option::is_none) {
                Step::Time
            } else if !form_done.get() {
                Step::Form
            } else {
                Step::Review
            }
        });
        Booking {
            service,
            resource_units,
            target,
            staff,
            slot,
            answers: RwSignal::new(Answers::new()),
            form_done,
            appointment,
            zone: RwSignal::new(zone),
            slot_day: RwSignal::new(None),
            notice: RwSignal::new(None),
            server_errors: RwSignal::new(BTreeMap::new()),
            service_preset: RwSignal::new(false),
            staff_preset: RwSignal::new(false),
            moved: RwSignal::new(false),
            step,
        }
    }

    /// The visitor (or the URL, when `preset`) chose a service.
    pub fn choose_service(&self, service: PublicService, preset: bool) {
        self.moved.set(!preset || self.moved.get_untracked());
        self.service_preset.set(preset);
        self.staff.set(None);
        self.staff_preset.set(false);
        self.slot.set(None);
        self.form_done.set(false);
        self.service.set(Some(service));
    }

    /// The URL named a resource to book on its own: no service or staff to choose.
    pub fn choose_resource(&self, resource: &PublicResource) {
        self.resource_units.set(Some(1));
        self.service_preset.set(true);
        self.staff_preset.set(true);
        self.slot.set(None);
        self.form_done.set(false);
        self.service.set(Some(PublicService {
            id: resource.id.clone(),
            name: resource.name.clone(),
            duration: resource.duration,
            price: resource.price,
            ..PublicService::default()
        }));
        self.staff.set(Some(StaffChoice::Any));
    }

    /// The visitor (or the URL, when `preset`) chose who performs it.
    pub fn choose_staff(&self, staff: StaffChoice, preset: bool) {
        self.moved.set(!preset || self.moved.get_untracked());
        self.staff_preset.set(preset);
        self.slot.set(None);
        self.staff.set(Some(staff));
    }

    /// The visitor chose a slot.
    pub fn choose_slot(&self, slot: String) {
        self.moved.set(true);
        self.notice.set(None);
        // Slots start with their `yyyy-MM-dd` day in the visitor's zone.
        self.slot_day
            .set(slot.get(..10).and_then(|day| day.parse().ok()));
        self.slot.set(Some(slot));
    }

    /// Whether there is an earlier step the visitor can return to.
    pub fn can_go_back(&self) -> bool {
        match self.step.get_untracked() {
            Step::Service | Step::Done => false,
            Step::Staff => !self.service_preset.get_untracked(),
            Step::Time => {
                !(self.staff_preset.get_untracked() && self.service_preset.get_untracked())
            }
            Step::Form | Step::Review => true,
        }
    }

    /// Returns to the previous step that was not skipped.
    pub fn back(&self) {
        self.moved.set(true);
        self.notice.set(None);
        match self.step.get_untracked() {
            Step::Service | Step::Done => {}
            Step::Staff => self.service.set(None),
            Step::Time if self.staff_preset.get_untracked() => self.service.set(None),
            Step::Time => self.staff.set(None),
            Step::Form => self.slot.set(None),
            Step::Review => self.form_done.set(false),
        }
    }
}
