//! The waiting list: a booking made on a full slot waits there without taking a seat (`blocks = 0`);
//! when a cancel, a reschedule or a delete frees a seat, the first waiting entry that now fits takes
//! it, in the same transaction as the change that freed it.

use booking_model::HistoryType;
use chrono::{DateTime, Duration, Utc};

use super::assemble::{self, Author, Placement};
use super::availability::{self, Ask};
use super::catalog::Catalog;
use super::target::{Target, TargetFields};
use crate::db::appointments::{self, StoredAppointment};
use crate::db::Conn;
use crate::error::Result;

/// How far around the freed time waiting entries are considered: a freed booking can also free the
/// preparation and buffer times next to it.
const NEIGHBOURHOOD: Duration = Duration::days(1);

/// After `freed` (start, end) stopped holding its seat, promotes the earliest waiting entry near it
/// that now fits; returns it when there was one. The promoted client is told (and gets reminders)
/// even when the change that freed the seat was `silent`: the reference's `silent` is about the
/// notifications of the appointment written, and the promoted one is another client's.
pub async fn promote(
    conn: &mut Conn,
    catalog: &Catalog,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
    author: &Author<'_>,
) -> Result<Option<StoredAppointment>> {
    let author = &Author {
        silent: false,
        ..*author
    };
    let company_id = catalog.company.id.as_deref().unwrap_or_default();
    let (from, to) = (start - NEIGHBOURHOOD, end + NEIGHBOURHOOD);
    let fields = TargetFields {
        service: "service.id",
        resource: "resource.id",
    };
    for mut waiting in appointments::waiting_between(conn, company_id, from, to).await? {
        if waiting.start <= author.now {
            continue;
        }
        // An entry whose service or staff member was removed since can't be placed.
        let Some(target) = assemble::target_of(&waiting.appointment)
            .and_then(|wanted| Target::resolve(catalog, &wanted, fields).ok())
        else {
            continue;
        };
        let a = &waiting.appointment;
        let staff_id = a.staff.as_ref().and_then(|s| s.id.clone());
        let ask = Ask {
            target,
            staff_id: staff_id.as_deref(),
            iterations: a.iteration_count,
            widget_only: false,
            ignore_id: a.id.as_deref(),
        };
        let span = (waiting.start, waiting.end);
        let Ok(chosen) = availability::check(conn, catalog, &ask, span, author.now).await? else {
            continue;
        };
        let staff = chosen.and_then(|id| catalog.staff_member(&id).ok());
        let placement = Placement {
            target,
            staff: staff.or_else(|| staff_id.and_then(|id| catalog.staff_member(&id).ok())),
            start: waiting.start,
            end: waiting.end,
        };
        assemble::place(&mut waiting, catalog, &placement);
        waiting.appointment.add_to_waiting_list = None;
        assemble::record(
            &mut waiting.appointment,
            HistoryType::Promoted,
            author,
            catalog.zone,
        );
        appointments::update(conn, &waiting, author.change()).await?;
        return Ok(Some(waiting));
    }
    Ok(None)
}
