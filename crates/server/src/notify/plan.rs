//! Which messages a change sends, to whom and by which channel (email, SMS): a pure function of
//! the appointment before and after the write, the writer, and the business addresses. No I/O.

use booking_model::{AppointmentStatus, SendTo};
use chrono::{DateTime, Duration, Utc};

use crate::db::appointments::StoredAppointment;

/// What a message tells its reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// To the client: the booking is confirmed.
    Confirmation,
    /// To the client: the booking waits for the business's validation.
    RequestReceived,
    /// To the client: the business accepted the request.
    Accepted,
    /// To the client: the business declined the request.
    Declined,
    /// To the client: the appointment moved (time or staff member).
    Rescheduled,
    /// To the client: the appointment was cancelled (by the client or the business).
    Cancelled,
    /// To the client: the client is on the waiting list.
    WaitingList,
    /// To the client: a seat freed up and the waiting entry became a booking.
    Promoted,
    /// To the client: the appointment is coming up.
    Reminder,
    /// To the staff member and the company: a new booking (or waiting-list entry).
    BusinessNew,
    /// To the staff member and the company: a booking moved, was accepted or promoted.
    BusinessChanged,
    /// To the staff member and the company: a booking was cancelled or declined.
    BusinessCancelled,
}

impl Kind {
    /// Every kind, for catalogue checks.
    pub const ALL: [Kind; 12] = [
        Kind::Confirmation,
        Kind::RequestReceived,
        Kind::Accepted,
        Kind::Declined,
        Kind::Rescheduled,
        Kind::Cancelled,
        Kind::WaitingList,
        Kind::Promoted,
        Kind::Reminder,
        Kind::BusinessNew,
        Kind::BusinessChanged,
        Kind::BusinessCancelled,
    ];

    /// The name stored in the outbox and shown in the notification log.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Confirmation => "confirmation",
            Kind::RequestReceived => "requestReceived",
            Kind::Accepted => "accepted",
            Kind::Declined => "declined",
            Kind::Rescheduled => "rescheduled",
            Kind::Cancelled => "cancelled",
            Kind::WaitingList => "waitingList",
            Kind::Promoted => "promoted",
            Kind::Reminder => "reminder",
            Kind::BusinessNew => "businessNew",
            Kind::BusinessChanged => "businessChanged",
            Kind::BusinessCancelled => "businessCancelled",
        }
    }

    /// The kind named `name` (as stored).
    pub fn parse(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// Whether the business (not the client) reads it.
    pub fn to_business(self) -> bool {
        matches!(
            self,
            Kind::BusinessNew | Kind::BusinessChanged | Kind::BusinessCancelled
        )
    }

    /// Whether the appointment's calendar invitation goes with it: when it holds (or gave up) a
    /// slot, not while it only waits for one or was never confirmed.
    pub fn carries_invite(self) -> bool {
        !matches!(
            self,
            Kind::RequestReceived | Kind::Declined | Kind::WaitingList
        )
    }

    /// Whether the message offers the reschedule and cancel links (the booking is still on).
    pub fn offers_links(self) -> bool {
        matches!(
            self,
            Kind::Confirmation
                | Kind::RequestReceived
                | Kind::Accepted
                | Kind::Rescheduled
                | Kind::WaitingList
                | Kind::Promoted
                | Kind::Reminder
        )
    }
}

/// Who reads a planned message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The client (or the parent, with `sendto=parent`).
    Client,
    /// The appointment's staff member.
    Staff,
    /// The company's contact address.
    Company,
}

impl Audience {
    /// The name stored in the payload and shown in the log.
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Client => "client",
            Audience::Staff => "staff",
            Audience::Company => "company",
        }
    }
}

/// How a planned message travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Email,
    /// A text message through the SMS gateway: client messages only, when the company has them on.
    Sms,
}

impl Channel {
    /// The outbox channel's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => super::CHANNEL,
            Channel::Sms => super::sms::CHANNEL,
        }
    }
}

/// One message to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub kind: Kind,
    pub audience: Audience,
    pub channel: Channel,
    /// The address (an email address, or an E.164 number for SMS).
    pub to: String,
    /// The reader's name, when known.
    pub name: Option<String>,
}

/// What the planning needs besides the appointment.
#[derive(Debug, Clone, Default)]
pub struct Context<'a> {
    /// `silent=true` on the change: nothing is sent.
    pub silent: bool,
    /// The staff member's address, when the appointment has one who has an address.
    pub staff_email: Option<&'a str>,
    /// The company's contact address.
    pub company_email: Option<&'a str>,
    /// The company sends its clients text messages too (`smsNotifications`).
    pub sms: bool,
}

/// Whether the appointment is on (holds or waits for a slot): not deleted, cancelled or declined.
fn live(s: &StoredAppointment) -> bool {
    !s.deleted
        && !matches!(
            s.appointment.effective_status(),
            AppointmentStatus::Cancelled | AppointmentStatus::Declined
        )
}

fn waiting(s: &StoredAppointment) -> bool {
    s.appointment.add_to_waiting_list == Some(true)
}

fn pending(s: &StoredAppointment) -> bool {
    s.appointment.status == Some(AppointmentStatus::Pending)
}

/// What happened to the client's booking, if anything a client is told about.
fn client_kind(before: Option<&StoredAppointment>, after: &StoredAppointment) -> Option<Kind> {
    let Some(before) = before else {
        return match () {
            _ if !live(after) => None,
            _ if waiting(after) => Some(Kind::WaitingList),
            _ if pending(after) => Some(Kind::RequestReceived),
            _ => Some(Kind::Confirmation),
        };
    };
    match (live(before), live(after)) {
        (false, false) => None,
        (true, false) => Some(
            match pending(before) && after.appointment.status == Some(AppointmentStatus::Declined) {
                true => Kind::Declined,
                false => Kind::Cancelled,
            },
        ),
        // Brought back (a cancelled booking set to accepted again): confirmed anew.
        (false, true) => Some(match (waiting(after), pending(after)) {
            (true, _) => Kind::WaitingList,
            (false, true) => Kind::RequestReceived,
            (false, false) => Kind::Confirmation,
        }),
        (true, true) if waiting(before) && !waiting(after) => Some(Kind::Promoted),
        (true, true) if pending(before) && !pending(after) => Some(Kind::Accepted),
        (true, true) => {
            let staff =
                |s: &StoredAppointment| s.appointment.staff.as_ref().and_then(|st| st.id.clone());
            let moved = before.start != after.start
                || before.end != after.end
                || staff(before) != staff(after);
            moved.then_some(Kind::Rescheduled)
        }
    }
}

/// The business's view of the same change.
fn business_kind(client: Kind) -> Kind {
    match client {
        Kind::Confirmation | Kind::RequestReceived | Kind::WaitingList => Kind::BusinessNew,
        Kind::Cancelled | Kind::Declined => Kind::BusinessCancelled,
        _ => Kind::BusinessChanged,
    }
}

/// The messages a write sends: to the client (or parent) and to the business. `before` is `None`
/// for an insert. Nothing with `silent`; nothing to a client for a personal appointment (and
/// nothing to the business either: the staff member made it for themself).
pub fn plan(
    before: Option<&StoredAppointment>,
    after: &StoredAppointment,
    context: &Context<'_>,
) -> Vec<Planned> {
    if context.silent || after.appointment.is_personal() {
        return Vec::new();
    }
    let Some(kind) = client_kind(before, after) else {
        return Vec::new();
    };
    let a = &after.appointment;
    let mut out: Vec<Planned> = client_readers(after, context.sms)
        .map(|(channel, to, name)| Planned {
            kind,
            audience: Audience::Client,
            channel,
            to,
            name,
        })
        .collect();
    let business = business_kind(kind);
    for (audience, address) in [
        (Audience::Staff, context.staff_email),
        (Audience::Company, context.company_email),
    ] {
        let Some(to) = address.map(str::trim).filter(|t| !t.is_empty()) else {
            continue;
        };
        // One message per address: a staff member may use the company's.
        if out
            .iter()
            .any(|p| p.kind == business && p.to.eq_ignore_ascii_case(to))
        {
            continue;
        }
        let name = match audience {
            Audience::Staff => a
                .staff
                .as_ref()
                .and_then(|s| full_name(s.first_name.as_deref(), s.last_name.as_deref())),
            _ => a.company.as_ref().and_then(|c| c.name.clone()),
        };
        out.push(Planned {
            kind: business,
            audience,
            channel: Channel::Email,
            to: to.to_owned(),
            name,
        });
    }
    out
}

/// The client's (or, with `sendto=parent`, the parent's) address and name, when there is an address.
fn client_reader(after: &StoredAppointment) -> Option<(String, Option<String>)> {
    let a = &after.appointment;
    let (email, name) = match a.send_to {
        Some(SendTo::Parent) => a.parent.as_ref().map(|p| {
            (
                p.email.as_deref(),
                full_name(p.first_name.as_deref(), p.last_name.as_deref()),
            )
        })?,
        _ => a.client.as_ref().map(|c| {
            (
                c.email.as_deref(),
                full_name(c.first_name.as_deref(), c.last_name.as_deref()),
            )
        })?,
    };
    let email = email.map(str::trim).filter(|e| !e.is_empty())?;
    Some((email.to_owned(), name))
}

/// The client's number for text messages, in E.164 form: `mobilePhone`, else `phone`. None with
/// `sendto=parent`: the reference gives the parent no phone, and the client is not the reader.
/// A number not in E.164 form gets nothing (writes check it while the company has SMS on).
pub fn client_phone(after: &StoredAppointment) -> Option<(String, Option<String>)> {
    let a = &after.appointment;
    if a.send_to == Some(SendTo::Parent) {
        return None;
    }
    let c = a.client.as_ref()?;
    let number = sms_number(c)?;
    let number = booking_model::validate::e164(number).ok()?;
    Some((
        number,
        full_name(c.first_name.as_deref(), c.last_name.as_deref()),
    ))
}

/// The number a client's text messages go to, as written: `mobilePhone`, else `phone`.
pub fn sms_number(client: &booking_model::ClientRef) -> Option<&str> {
    [&client.mobile_phone, &client.phone]
        .into_iter()
        .filter_map(|n| n.as_deref().map(str::trim))
        .find(|n| !n.is_empty())
}

/// Who reads the client's messages, by channel: the email address, and the phone when `sms`.
fn client_readers(
    after: &StoredAppointment,
    sms: bool,
) -> impl Iterator<Item = (Channel, String, Option<String>)> {
    let email = client_reader(after).map(|(to, name)| (Channel::Email, to, name));
    let phone = match sms {
        true => client_phone(after).map(|(to, name)| (Channel::Sms, to, name)),
        false => None,
    };
    email.into_iter().chain(phone)
}

/// How long before the start reminders go out, by default: 24 h and 2 h.
pub const DEFAULT_REMINDERS: [Duration; 2] = [Duration::hours(24), Duration::hours(2)];

/// The reminder offsets that apply: the service's, else the company's (minutes before the start),
/// else [`DEFAULT_REMINDERS`].
pub fn reminder_offsets(service: Option<&[u32]>, company: Option<&[u32]>) -> Vec<Duration> {
    match service.or(company) {
        Some(minutes) => minutes
            .iter()
            .map(|m| Duration::minutes(i64::from(*m)))
            .collect(),
        None => DEFAULT_REMINDERS.to_vec(),
    }
}

/// Whether `after` gets reminders at all (before looking up its offsets); `sms`: by text message
/// too.
pub fn deserves_reminders(after: &StoredAppointment, sms: bool) -> bool {
    !after.appointment.is_personal()
        && live(after)
        && !waiting(after)
        && !pending(after)
        && client_readers(after, sms).next().is_some()
}

/// A reminder is not planned closer than this to now: it would arrive with the confirmation.
pub const REMINDER_LEAD: Duration = Duration::minutes(30);

/// The reminders `after` deserves, with the instant each is due: `offsets` before its start
/// (elapsed time, so a DST change in between moves nothing), only while it holds its slot (not
/// pending, waiting, cancelled or deleted), never for an instant before `now` + [`REMINDER_LEAD`],
/// never for a personal appointment or a client without an address. One per channel the client
/// reads (`sms`: by text message too), email first.
pub fn reminders(
    after: &StoredAppointment,
    offsets: &[Duration],
    now: DateTime<Utc>,
    sms: bool,
) -> Vec<(DateTime<Utc>, Planned)> {
    if !deserves_reminders(after, sms) {
        return Vec::new();
    }
    let mut dues: Vec<DateTime<Utc>> = offsets
        .iter()
        .map(|offset| after.start - *offset)
        .filter(|due| *due >= now + REMINDER_LEAD)
        .collect();
    dues.sort();
    dues.dedup();
    client_readers(after, sms)
        .flat_map(|(channel, to, name)| {
            dues.iter().map(move |due| {
                (
                    *due,
                    Planned {
                        kind: Kind::Reminder,
                        audience: Audience::Client,
                        channel,
                        to: to.clone(),
                        name: name.clone(),
                    },
                )
            })
        })
        .collect()
}

fn full_name(first: Option<&str>, last: Option<&str>) -> Option<String> {
    let name = [first, last]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use booking_model::{Appointment, AppointmentType, ClientRef, ParentRef, StaffRef};
    use chrono::{TimeZone, Utc};

    fn booking(status: AppointmentStatus) -> StoredAppointment {
        let start = Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap();
        StoredAppointment {
            company_id: "demo".into(),
            appointment: Appointment {
                id: Some("a1".into()),
                status: Some(status),
                client: Some(ClientRef {
                    first_name: Some("Ana".into()),
                    last_name: Some("Lima".into()),
                    email: Some("ana@example.com".into()),
                    ..ClientRef::default()
                }),
                staff: Some(StaffRef {
                    id: Some("camille".into()),
                    ..StaffRef::default()
                }),
                ..Appointment::default()
            },
            start,
            end: start + chrono::Duration::minutes(30),
            resource_units: 0,
            deleted: false,
        }
    }

    fn business<'a>() -> Context<'a> {
        Context {
            silent: false,
            staff_email: Some("camille@shop.example"),
            company_email: Some("hello@shop.example"),
            sms: false,
        }
    }

    fn kinds(planned: &[Planned]) -> Vec<(&'static str, &str)> {
        planned
            .iter()
            .map(|p| (p.kind.as_str(), p.to.as_str()))
            .collect()
    }

    #[test]
    fn a_booking_confirms_to_the_client_and_tells_staff_and_company() {
        let planned = plan(None, &booking(AppointmentStatus::Accepted), &business());
        assert_eq!(
            kinds(&planned),
            [
                ("confirmation", "ana@example.com"),
                ("businessNew", "camille@shop.example"),
                ("businessNew", "hello@shop.example"),
            ]
        );
        assert_eq!(planned[0].name.as_deref(), Some("Ana Lima"));
    }

    #[test]
    fn a_pending_booking_is_a_request_then_accepted_or_declined() {
        let request = booking(AppointmentStatus::Pending);
        assert_eq!(
            plan(None, &request, &Context::default())[0].kind,
            Kind::RequestReceived
        );
        let accepted = booking(AppointmentStatus::Accepted);
        assert_eq!(
            kinds(&plan(Some(&request), &accepted, &business()))[..2],
            [
                ("accepted", "ana@example.com"),
                ("businessChanged", "camille@shop.example")
            ]
        );
        let declined = booking(AppointmentStatus::Declined);
        assert_eq!(
            kinds(&plan(Some(&request), &declined, &business()))[..2],
            [
                ("declined", "ana@example.com"),
                ("businessCancelled", "camille@shop.example")
            ]
        );
    }

    #[test]
    fn moves_cancellations_deletions_and_promotions() {
        let before = booking(AppointmentStatus::Accepted);
        let mut moved = before.clone();
        moved.start += chrono::Duration::hours(2);
        moved.end += chrono::Duration::hours(2);
        assert_eq!(
            plan(Some(&before), &moved, &Context::default())[0].kind,
            Kind::Rescheduled
        );
        let cancelled = booking(AppointmentStatus::Cancelled);
        assert_eq!(
            plan(Some(&before), &cancelled, &Context::default())[0].kind,
            Kind::Cancelled
        );
        let mut deleted = before.clone();
        deleted.deleted = true;
        assert_eq!(
            plan(Some(&before), &deleted, &Context::default())[0].kind,
            Kind::Cancelled
        );
        // Deleting a cancelled booking tells nobody again.
        assert!(plan(Some(&cancelled), &deleted, &business()).is_empty());
        let mut waiting = before.clone();
        waiting.appointment.add_to_waiting_list = Some(true);
        assert_eq!(
            plan(None, &waiting, &Context::default())[0].kind,
            Kind::WaitingList
        );
        assert_eq!(
            plan(Some(&waiting), &before, &Context::default())[0].kind,
            Kind::Promoted
        );
        // An edit that moves nothing (notes) sends nothing.
        let mut noted = before.clone();
        noted.appointment.notes = Some("bring the form".into());
        assert!(plan(Some(&before), &noted, &business()).is_empty());
    }

    #[test]
    fn silent_personal_and_sendto_parent() {
        let booked = booking(AppointmentStatus::Accepted);
        let silent = Context {
            silent: true,
            ..business()
        };
        assert!(plan(None, &booked, &silent).is_empty());
        let mut personal = booked.clone();
        personal.appointment.appointment_type = Some(AppointmentType::Personal);
        assert!(plan(None, &personal, &business()).is_empty());
        let mut for_child = booked.clone();
        for_child.appointment.send_to = Some(SendTo::Parent);
        for_child.appointment.parent = Some(ParentRef {
            first_name: Some("Rui".into()),
            email: Some("rui@example.com".into()),
            ..ParentRef::default()
        });
        let planned = plan(None, &for_child, &Context::default());
        assert_eq!(kinds(&planned), [("confirmation", "rui@example.com")]);
        assert_eq!(planned[0].name.as_deref(), Some("Rui"));
        // No address, no client message; the business still hears of it.
        let mut anonymous = booked.clone();
        anonymous.appointment.client = None;
        assert_eq!(
            kinds(&plan(None, &anonymous, &business())),
            [
                ("businessNew", "camille@shop.example"),
                ("businessNew", "hello@shop.example")
            ]
        );
    }

    #[test]
    fn reminders_are_24_and_2_hours_before_in_elapsed_time_across_the_dst_change() {
        let paris = chrono_tz::Europe::Paris;
        // Sunday 25 October 2026, 03:30 in Paris: an hour after the clocks went back from 03:00
        // CEST to 02:00 CET. 24 h before is Saturday 04:30 CEST, 2 h before is 02:30 CEST (the first
        // of the night's two 02:30s), not what subtracting wall-clock hours would give.
        let start = paris
            .with_ymd_and_hms(2026, 10, 25, 3, 30, 0)
            .single()
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(start, Utc.with_ymd_and_hms(2026, 10, 25, 2, 30, 0).unwrap());
        let mut booked = booking(AppointmentStatus::Accepted);
        booked.start = start;
        booked.end = start + Duration::minutes(30);
        let a_week_before = start - Duration::days(7);
        let due: Vec<_> = reminders(&booked, &DEFAULT_REMINDERS, a_week_before, false)
            .into_iter()
            .map(|(at, p)| {
                assert_eq!((p.kind, p.to.as_str()), (Kind::Reminder, "ana@example.com"));
                at
            })
            .collect();
        assert_eq!(
            due,
            [
                Utc.with_ymd_and_hms(2026, 10, 24, 2, 30, 0).unwrap(),
                Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).unwrap(),
            ]
        );
        let local: Vec<String> = due
            .iter()
            .map(|t| t.with_timezone(&paris).format("%a %H:%M %Z").to_string())
            .collect();
        assert_eq!(local, ["Sat 04:30 CEST", "Sun 02:30 CEST"]);
        // Booked 3 h ahead: only the 2 h reminder; 2 h 10 min ahead: none (inside the lead time).
        assert_eq!(
            reminders(
                &booked,
                &DEFAULT_REMINDERS,
                start - Duration::hours(3),
                false
            )
            .len(),
            1
        );
        assert!(reminders(
            &booked,
            &DEFAULT_REMINDERS,
            start - Duration::minutes(130),
            false
        )
        .is_empty());
        // Nothing for what does not hold its slot, or a personal appointment.
        for status in [AppointmentStatus::Pending, AppointmentStatus::Cancelled] {
            assert!(reminders(
                &booking_at(status, start),
                &DEFAULT_REMINDERS,
                a_week_before,
                false
            )
            .is_empty());
        }
        let mut personal = booked.clone();
        personal.appointment.appointment_type = Some(AppointmentType::Personal);
        assert!(reminders(&personal, &DEFAULT_REMINDERS, a_week_before, false).is_empty());
    }

    fn booking_at(status: AppointmentStatus, start: DateTime<Utc>) -> StoredAppointment {
        let mut b = booking(status);
        b.start = start;
        b.end = start + Duration::minutes(30);
        b
    }

    #[test]
    fn the_documents_template_kinds_and_languages_are_the_ones_rendered() {
        use booking_model::schemars::SchemaGenerator;
        let listed = |schema: booking_model::schemars::Schema| -> Vec<String> {
            schema.as_value()["enum"]
                .as_array()
                .expect("an enum")
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        };
        let mut generator = SchemaGenerator::default();
        let kinds: Vec<String> = Kind::ALL.iter().map(|k| k.as_str().to_owned()).collect();
        assert_eq!(
            listed(booking_model::schema::email_kind(&mut generator)),
            kinds
        );
        assert_eq!(
            listed(booking_model::schema::email_lang(&mut generator)),
            super::super::strings::LANGS
        );
    }

    #[test]
    fn with_sms_on_the_clients_messages_go_by_text_too_as_silent_personal_and_sendto_say() {
        let sms = Context {
            sms: true,
            ..business()
        };
        let mut booked = booking(AppointmentStatus::Accepted);
        if let Some(c) = booked.appointment.client.as_mut() {
            c.phone = Some("01 42 00 00 00".into());
            c.mobile_phone = Some("+33 6 12 34 56 78".into());
        }
        let channels = |planned: &[Planned]| -> Vec<(&'static str, &'static str, String)> {
            planned
                .iter()
                .map(|p| (p.kind.as_str(), p.channel.as_str(), p.to.clone()))
                .collect()
        };
        assert_eq!(
            channels(&plan(None, &booked, &sms))[..2],
            [
                ("confirmation", "email", "ana@example.com".to_owned()),
                ("confirmation", "sms", "+33612345678".to_owned()),
            ],
            "the mobile number, in E.164 form; the business by email only"
        );
        assert_eq!(plan(None, &booked, &sms).len(), 4);
        assert!(plan(None, &booked, &business())
            .iter()
            .all(|p| p.channel == Channel::Email));
        let silent = Context {
            silent: true,
            ..sms.clone()
        };
        assert!(plan(None, &booked, &silent).is_empty());
        let mut personal = booked.clone();
        personal.appointment.appointment_type = Some(AppointmentType::Personal);
        assert!(plan(None, &personal, &sms).is_empty());
        let mut for_child = booked.clone();
        for_child.appointment.send_to = Some(SendTo::Parent);
        assert!(
            plan(None, &for_child, &sms)
                .iter()
                .all(|p| p.channel == Channel::Email),
            "the parent has no phone: no text to the client"
        );
        let dues = reminders(
            &booked,
            &DEFAULT_REMINDERS,
            booked.start - Duration::days(2),
            true,
        );
        assert_eq!(
            dues.iter()
                .map(|(_, p)| p.channel.as_str())
                .collect::<Vec<_>>(),
            ["email", "email", "sms", "sms"]
        );
        // A landline-style number only (not E.164): no text.
        if let Some(c) = booked.appointment.client.as_mut() {
            c.mobile_phone = None;
        }
        assert!(plan(None, &booked, &sms)
            .iter()
            .all(|p| p.channel == Channel::Email));
    }

    #[test]
    fn the_services_offsets_win_over_the_companys() {
        let hours = |h: i64| Duration::hours(h);
        assert_eq!(reminder_offsets(None, None), [hours(24), hours(2)]);
        assert_eq!(reminder_offsets(None, Some(&[60])), [hours(1)]);
        assert_eq!(reminder_offsets(Some(&[2880]), Some(&[60])), [hours(48)]);
        assert!(reminder_offsets(Some(&[]), Some(&[60])).is_empty());
    }

    #[test]
    fn one_business_message_per_address() {
        let shared = Context {
            silent: false,
            staff_email: Some("hello@shop.example"),
            company_email: Some("Hello@shop.example"),
            sms: false,
        };
        let planned = plan(None, &booking(AppointmentStatus::Accepted), &shared);
        assert_eq!(planned.len(), 2);
        assert_eq!(Kind::parse("businessNew"), Some(Kind::BusinessNew));
    }
}
