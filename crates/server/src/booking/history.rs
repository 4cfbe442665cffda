use booking_model::{DateTimeZone, HistoryEntry, HistoryType, HistoryUser};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// The history line for a change, in `lang` (en, fr, de, es; English otherwise).
pub fn text(kind: HistoryType, lang: &str) -> &'static str {
    use HistoryType::*;
    match (lang.get(..2).unwrap_or(""), kind) {
        ("fr", Created) => "Rendez-vous créé",
        ("fr", Rescheduled) => "Rendez-vous déplacé",
        ("fr", Cancelled) => "Rendez-vous annulé",
        ("fr", StatusChanged) => "Statut modifié",
        ("fr", Edited) => "Rendez-vous modifié",
        ("fr", Deleted) => "Rendez-vous supprimé",
        ("fr", Promoted) => "Place libérée : sorti de la liste d’attente",
        ("fr", Restored) => "Rendez-vous restauré",
        ("de", Created) => "Termin erstellt",
        ("de", Rescheduled) => "Termin verschoben",
        ("de", Cancelled) => "Termin abgesagt",
        ("de", StatusChanged) => "Status geändert",
        ("de", Edited) => "Termin bearbeitet",
        ("de", Deleted) => "Termin gelöscht",
        ("de", Promoted) => "Platz frei geworden: von der Warteliste übernommen",
        ("de", Restored) => "Termin wiederhergestellt",
        ("es", Created) => "Cita creada",
        ("es", Rescheduled) => "Cita reprogramada",
        ("es", Cancelled) => "Cita cancelada",
        ("es", StatusChanged) => "Estado modificado",
        ("es", Edited) => "Cita modificada",
        ("es", Deleted) => "Cita eliminada",
        ("es", Promoted) => "Plaza liberada: salió de la lista de espera",
        ("es", Restored) => "Cita restaurada",
        (_, Created) => "Appointment created",
        (_, Rescheduled) => "Appointment rescheduled",
        (_, Cancelled) => "Appointment cancelled",
        (_, StatusChanged) => "Status changed",
        (_, Edited) => "Appointment edited",
        (_, Deleted) => "Appointment deleted",
        (_, Promoted) => "A seat was freed: moved off the waiting list",
        (_, Restored) => "Appointment restored",
    }
}

/// A history entry stamped `now` in the company's zone.
pub fn entry(
    kind: HistoryType,
    lang: &str,
    source: &str,
    user: Option<HistoryUser>,
    now: DateTime<Utc>,
    zone: Tz,
) -> HistoryEntry {
    HistoryEntry {
        text: Some(text(kind, lang).to_owned()),
        date: Some(DateTimeZone::from_local(
            now.with_timezone(&zone).naive_local(),
            Some(zone.name().to_owned()),
        )),
        source: Some(source.to_owned()),
        history_type: Some(kind),
        user,
    }
}
