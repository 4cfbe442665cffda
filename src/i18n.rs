//! UI strings: a typed catalogue compiled into the widget (no runtime download), one table per language.
//! Adding a string means adding a field, so a missing translation is a compile error.

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

    /// This language's strings.
    pub fn strings(self) -> &'static Strings {
        match self {
            Lang::En => &EN,
            Lang::Fr => &FR,
            Lang::De => &DE,
            Lang::Es => &ES,
            Lang::Pt => &PT,
            Lang::Nl => &NL,
            Lang::It => &IT,
        }
    }
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

/// Every text the widget shows. Templates mark their values with `{}` (see [`fill_in`]).
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

const EN: Strings = Strings {
    page_title: "Book an appointment",
    choose_service: "Choose a service",
    loading: "Loading…",
    no_services: "No services can be booked online at the moment.",
    error_title: "Something went wrong",
    retry: "Try again",
    free: "Free",
    minutes: "min",
    missing_company: "This booking page is not set up: the company is missing from its address.",
    unknown_company: "This booking page could not be found.",
    unknown_resource: "This resource can't be booked online.",
    network_error: "The booking service cannot be reached. Check your connection and try again.",
    choose_staff: "Choose who you'd like to see",
    any_staff: "Any available",
    any_staff_help: "The first free person will take care of you.",
    back: "Back",
    choose_time: "Choose a date and time",
    choose_new_time: "Choose a new date and time",
    time_zone: "Time zone",
    change_time_zone: "Change time zone",
    search_time_zone: "Search time zones (city or region)",
    done: "Done",
    previous_month: "Previous month",
    next_month: "Next month",
    loading_times: "Loading available times…",
    morning: "Morning",
    afternoon: "Afternoon",
    evening: "Evening",
    no_times_this_month: "No free times this month.",
    next_available: "Go to the next available date",
    no_times_soon: "No free times in the coming months.",
    your_details: "Your details",
    required_legend: "Required fields",
    required: "required",
    prefilled: "prefilled",
    page_of: "Page {} of {}",
    previous: "Previous",
    next: "Next",
    review_booking: "Review my booking",
    choose_option: "Choose…",
    other_option: "Other…",
    other_value: "Other (please specify)",
    reading_file: "Reading the file…",
    remove_file: "Remove",
    fix_errors: "Fields to correct: {}.",
    check_answers: "Please check the highlighted answers.",
    error_required: "This field is required.",
    error_min_length: "Enter at least {} characters.",
    error_max_length: "Enter at most {} characters.",
    error_format: "This doesn't have the expected format.",
    error_email: "Enter an email address like name@example.com.",
    error_number: "Enter a number, like 42 or 3.5.",
    error_date: "Enter a valid date.",
    error_website: "Enter a web address starting with https://.",
    error_option: "Choose one of the options offered.",
    error_one_choice: "Choose only one option.",
    error_file_too_big: "This file is too large: the limit is 5 MB.",
    error_file_unreadable: "This file could not be read. Choose it again.",
    review_title: "Check and confirm",
    service: "Service",
    staff: "With",
    date_and_time: "Date and time",
    duration: "Duration",
    price: "Price",
    file_attached: "File attached",
    confirm_booking: "Confirm booking",
    booking_in_progress: "Booking…",
    slot_taken: "Sorry, that time was just taken. Please choose another one.",
    booked_title: "You're booked!",
    request_sent_title: "Request sent",
    request_sent_help: "The team will confirm your appointment shortly.",
    reference: "Reference",
    status: "Status",
    status_confirmed: "Confirmed",
    status_pending: "Awaiting confirmation",
    status_cancelled: "Cancelled",
    company_time: "Local time at the venue",
    location: "Where",
    join_video: "Join the video call",
    video_link_later: "Video call: the link will be sent to you.",
    by_phone: "By phone",
    add_to_calendar: "Add to your calendar",
    download_ics: "Download (.ics)",
    google_calendar: "Google Calendar",
    opens_new_window: "(opens in a new window)",
    reschedule: "Reschedule",
    cancel_appointment: "Cancel appointment",
    your_appointment: "Your appointment",
    appointment_not_found: "This appointment could not be found. The link may be incomplete.",
    already_cancelled: "This appointment is cancelled",
    too_late_to_change: "It is too late to change this appointment online. Please contact us.",
    appointment_over: "This appointment is over and can no longer be changed.",
    confirm_new_time: "Move your appointment to this time?",
    confirm_new_time_button: "Confirm new time",
    choose_another_time: "Choose another time",
    saving: "Saving…",
    rescheduled_title: "Your appointment has been moved",
    cancel_question: "Cancel this appointment?",
    keep_appointment: "Keep it",
    confirm_cancel: "Yes, cancel",
    cancelled_title: "Your appointment has been cancelled",
    crash_message: "The booking page stopped working. Reload it to try again; nothing was booked unless you saw a confirmation.",
    reload: "Reload",
};

const FR: Strings = Strings {
    page_title: "Prendre rendez-vous",
    choose_service: "Choisissez une prestation",
    loading: "Chargement…",
    no_services: "Aucune prestation ne peut être réservée en ligne pour le moment.",
    error_title: "Une erreur est survenue",
    retry: "Réessayer",
    free: "Gratuit",
    minutes: "min",
    missing_company:
        "Cette page de réservation n'est pas configurée : l'entreprise manque dans son adresse.",
    unknown_company: "Cette page de réservation est introuvable.",
    unknown_resource: "Cette ressource ne peut pas être réservée en ligne.",
    network_error:
        "Le service de réservation est injoignable. Vérifiez votre connexion et réessayez.",
    choose_staff: "Choisissez votre interlocuteur",
    any_staff: "Peu importe",
    any_staff_help: "La première personne disponible s'occupera de vous.",
    back: "Retour",
    choose_time: "Choisissez une date et un horaire",
    choose_new_time: "Choisissez une nouvelle date",
    time_zone: "Fuseau horaire",
    change_time_zone: "Changer de fuseau",
    search_time_zone: "Rechercher un fuseau (ville ou région)",
    done: "Terminé",
    previous_month: "Mois précédent",
    next_month: "Mois suivant",
    loading_times: "Chargement des horaires disponibles…",
    morning: "Matin",
    afternoon: "Après-midi",
    evening: "Soir",
    no_times_this_month: "Aucun horaire disponible ce mois-ci.",
    next_available: "Aller à la prochaine date disponible",
    no_times_soon: "Aucun horaire disponible dans les prochains mois.",
    your_details: "Vos coordonnées",
    required_legend: "Champs obligatoires",
    required: "obligatoire",
    prefilled: "prérempli",
    page_of: "Page {} sur {}",
    previous: "Précédent",
    next: "Suivant",
    review_booking: "Vérifier ma réservation",
    choose_option: "Choisir…",
    other_option: "Autre…",
    other_value: "Autre (précisez)",
    reading_file: "Lecture du fichier…",
    remove_file: "Retirer",
    fix_errors: "Champs à corriger : {}.",
    check_answers: "Veuillez vérifier les réponses signalées.",
    error_required: "Ce champ est obligatoire.",
    error_min_length: "Saisissez au moins {} caractères.",
    error_max_length: "Saisissez au plus {} caractères.",
    error_format: "Le format n'est pas celui attendu.",
    error_email: "Saisissez une adresse e-mail comme nom@exemple.fr.",
    error_number: "Saisissez un nombre, comme 42 ou 3.5.",
    error_date: "Saisissez une date valide.",
    error_website: "Saisissez une adresse web commençant par https://.",
    error_option: "Choisissez l'une des options proposées.",
    error_one_choice: "Choisissez une seule option.",
    error_file_too_big: "Ce fichier est trop volumineux : 5 Mo maximum.",
    error_file_unreadable: "Ce fichier n'a pas pu être lu. Choisissez-le à nouveau.",
    review_title: "Vérifiez et confirmez",
    service: "Prestation",
    staff: "Avec",
    date_and_time: "Date et heure",
    duration: "Durée",
    price: "Prix",
    file_attached: "Fichier joint",
    confirm_booking: "Confirmer la réservation",
    booking_in_progress: "Réservation en cours…",
    slot_taken: "Désolé, ce créneau vient d'être réservé. Choisissez-en un autre.",
    booked_title: "Votre rendez-vous est réservé !",
    request_sent_title: "Demande envoyée",
    request_sent_help: "L'équipe confirmera votre rendez-vous sous peu.",
    reference: "Référence",
    status: "Statut",
    status_confirmed: "Confirmé",
    status_pending: "En attente de confirmation",
    status_cancelled: "Annulé",
    company_time: "Heure locale sur place",
    location: "Lieu",
    join_video: "Rejoindre la visioconférence",
    video_link_later: "Visioconférence : le lien vous sera envoyé.",
    by_phone: "Par téléphone",
    add_to_calendar: "Ajouter à votre agenda",
    download_ics: "Télécharger (.ics)",
    google_calendar: "Google Agenda",
    opens_new_window: "(s'ouvre dans une nouvelle fenêtre)",
    reschedule: "Déplacer le rendez-vous",
    cancel_appointment: "Annuler le rendez-vous",
    your_appointment: "Votre rendez-vous",
    appointment_not_found: "Ce rendez-vous est introuvable. Le lien est peut-être incomplet.",
    already_cancelled: "Ce rendez-vous est annulé",
    too_late_to_change: "Il est trop tard pour modifier ce rendez-vous en ligne. Merci de nous contacter.",
    appointment_over: "Ce rendez-vous est passé et ne peut plus être modifié.",
    confirm_new_time: "Déplacer votre rendez-vous à cet horaire ?",
    confirm_new_time_button: "Confirmer le nouvel horaire",
    choose_another_time: "Choisir un autre horaire",
    saving: "Enregistrement…",
    rescheduled_title: "Votre rendez-vous a été déplacé",
    cancel_question: "Annuler ce rendez-vous ?",
    keep_appointment: "Le conserver",
    confirm_cancel: "Oui, annuler",
    cancelled_title: "Votre rendez-vous a été annulé",
    crash_message: "La page de réservation a cessé de fonctionner. Rechargez-la pour réessayer ; rien n'a été réservé sans confirmation affichée.",
    reload: "Recharger",
};

const DE: Strings = Strings {
    page_title: "Termin buchen",
    choose_service: "Leistung auswählen",
    loading: "Wird geladen…",
    no_services: "Derzeit können keine Leistungen online gebucht werden.",
    error_title: "Etwas ist schiefgelaufen",
    retry: "Erneut versuchen",
    free: "Kostenlos",
    minutes: "Min.",
    missing_company: "Diese Buchungsseite ist nicht eingerichtet: In ihrer Adresse fehlt das Unternehmen.",
    unknown_company: "Diese Buchungsseite wurde nicht gefunden.",
    unknown_resource: "Diese Ressource kann nicht online gebucht werden.",
    network_error: "Der Buchungsdienst ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.",
    choose_staff: "Wählen Sie eine Person",
    any_staff: "Beliebig",
    any_staff_help: "Die erste freie Person kümmert sich um Sie.",
    back: "Zurück",
    choose_time: "Datum und Uhrzeit wählen",
    choose_new_time: "Neues Datum und neue Uhrzeit wählen",
    time_zone: "Zeitzone",
    change_time_zone: "Zeitzone ändern",
    search_time_zone: "Zeitzone suchen (Stadt oder Region)",
    done: "Fertig",
    previous_month: "Vorheriger Monat",
    next_month: "Nächster Monat",
    loading_times: "Verfügbare Zeiten werden geladen…",
    morning: "Vormittag",
    afternoon: "Nachmittag",
    evening: "Abend",
    no_times_this_month: "In diesem Monat sind keine Termine frei.",
    next_available: "Zum nächsten freien Termin",
    no_times_soon: "In den nächsten Monaten sind keine Termine frei.",
    your_details: "Ihre Angaben",
    required_legend: "Pflichtfelder",
    required: "erforderlich",
    prefilled: "vorausgefüllt",
    page_of: "Seite {} von {}",
    previous: "Zurück",
    next: "Weiter",
    review_booking: "Buchung prüfen",
    choose_option: "Bitte wählen…",
    other_option: "Andere…",
    other_value: "Andere (bitte angeben)",
    reading_file: "Datei wird gelesen…",
    remove_file: "Entfernen",
    fix_errors: "Zu korrigierende Felder: {}.",
    check_answers: "Bitte prüfen Sie die markierten Angaben.",
    error_required: "Dieses Feld ist erforderlich.",
    error_min_length: "Geben Sie mindestens {} Zeichen ein.",
    error_max_length: "Geben Sie höchstens {} Zeichen ein.",
    error_format: "Das Format ist nicht korrekt.",
    error_email: "Geben Sie eine E-Mail-Adresse wie name@beispiel.de ein.",
    error_number: "Geben Sie eine Zahl ein, z. B. 42 oder 3.5.",
    error_date: "Geben Sie ein gültiges Datum ein.",
    error_website: "Geben Sie eine Webadresse ein, die mit https:// beginnt.",
    error_option: "Wählen Sie eine der angebotenen Optionen.",
    error_one_choice: "Wählen Sie nur eine Option.",
    error_file_too_big: "Diese Datei ist zu groß: höchstens 5 MB.",
    error_file_unreadable: "Diese Datei konnte nicht gelesen werden. Wählen Sie sie erneut.",
    review_title: "Prüfen und bestätigen",
    service: "Leistung",
    staff: "Bei",
    date_and_time: "Datum und Uhrzeit",
    duration: "Dauer",
    price: "Preis",
    file_attached: "Datei angehängt",
    confirm_booking: "Verbindlich buchen",
    booking_in_progress: "Wird gebucht…",
    slot_taken: "Dieser Termin wurde gerade vergeben. Bitte wählen Sie einen anderen.",
    booked_title: "Ihr Termin ist gebucht!",
    request_sent_title: "Anfrage gesendet",
    request_sent_help: "Das Team bestätigt Ihren Termin in Kürze.",
    reference: "Buchungsnummer",
    status: "Status",
    status_confirmed: "Bestätigt",
    status_pending: "Wartet auf Bestätigung",
    status_cancelled: "Storniert",
    company_time: "Ortszeit vor Ort",
    location: "Ort",
    join_video: "Videoanruf beitreten",
    video_link_later: "Videoanruf: Der Link wird Ihnen zugesandt.",
    by_phone: "Telefonisch",
    add_to_calendar: "Zum Kalender hinzufügen",
    download_ics: "Herunterladen (.ics)",
    google_calendar: "Google Kalender",
    opens_new_window: "(öffnet in neuem Fenster)",
    reschedule: "Termin verschieben",
    cancel_appointment: "Termin stornieren",
    your_appointment: "Ihr Termin",
    appointment_not_found: "Dieser Termin wurde nicht gefunden. Der Link ist möglicherweise unvollständig.",
    already_cancelled: "Dieser Termin ist storniert",
    too_late_to_change: "Dieser Termin kann online nicht mehr geändert werden. Bitte kontaktieren Sie uns.",
    appointment_over: "Dieser Termin ist vorbei und kann nicht mehr geändert werden.",
    confirm_new_time: "Termin auf diese Zeit verschieben?",
    confirm_new_time_button: "Neue Zeit bestätigen",
    choose_another_time: "Andere Zeit wählen",
    saving: "Wird gespeichert…",
    rescheduled_title: "Ihr Termin wurde verschoben",
    cancel_question: "Diesen Termin stornieren?",
    keep_appointment: "Behalten",
    confirm_cancel: "Ja, stornieren",
    cancelled_title: "Ihr Termin wurde storniert",
    crash_message: "Die Buchungsseite funktioniert nicht mehr. Laden Sie sie neu; ohne angezeigte Bestätigung wurde nichts gebucht.",
    reload: "Neu laden",
};

const ES: Strings = Strings {
    page_title: "Reservar una cita",
    choose_service: "Elija un servicio",
    loading: "Cargando…",
    no_services: "No hay servicios disponibles para reservar en línea en este momento.",
    error_title: "Algo salió mal",
    retry: "Reintentar",
    free: "Gratis",
    minutes: "min",
    missing_company:
        "Esta página de reservas no está configurada: falta la empresa en su dirección.",
    unknown_company: "No se encontró esta página de reservas.",
    unknown_resource: "Este recurso no se puede reservar en línea.",
    network_error:
        "No se puede acceder al servicio de reservas. Compruebe su conexión e inténtelo de nuevo.",
    choose_staff: "Elija con quién",
    any_staff: "Cualquiera disponible",
    any_staff_help: "Le atenderá la primera persona disponible.",
    back: "Atrás",
    choose_time: "Elija fecha y hora",
    choose_new_time: "Elija una nueva fecha y hora",
    time_zone: "Zona horaria",
    change_time_zone: "Cambiar zona horaria",
    search_time_zone: "Buscar zona horaria (ciudad o región)",
    done: "Listo",
    previous_month: "Mes anterior",
    next_month: "Mes siguiente",
    loading_times: "Cargando horarios disponibles…",
    morning: "Mañana",
    afternoon: "Tarde",
    evening: "Noche",
    no_times_this_month: "No hay horarios libres este mes.",
    next_available: "Ir a la próxima fecha disponible",
    no_times_soon: "No hay horarios libres en los próximos meses.",
    your_details: "Sus datos",
    required_legend: "Campos obligatorios",
    required: "obligatorio",
    prefilled: "prerrellenado",
    page_of: "Página {} de {}",
    previous: "Anterior",
    next: "Siguiente",
    review_booking: "Revisar mi reserva",
    choose_option: "Elija…",
    other_option: "Otro…",
    other_value: "Otro (especifique)",
    reading_file: "Leyendo el archivo…",
    remove_file: "Quitar",
    fix_errors: "Campos por corregir: {}.",
    check_answers: "Revise las respuestas señaladas.",
    error_required: "Este campo es obligatorio.",
    error_min_length: "Escriba al menos {} caracteres.",
    error_max_length: "Escriba como máximo {} caracteres.",
    error_format: "El formato no es el esperado.",
    error_email: "Escriba un correo electrónico como nombre@ejemplo.com.",
    error_number: "Escriba un número, como 42 o 3.5.",
    error_date: "Escriba una fecha válida.",
    error_website: "Escriba una dirección web que empiece por https://.",
    error_option: "Elija una de las opciones ofrecidas.",
    error_one_choice: "Elija solo una opción.",
    error_file_too_big: "Este archivo es demasiado grande: el límite es 5 MB.",
    error_file_unreadable: "No se pudo leer este archivo. Vuelva a elegirlo.",
    review_title: "Revise y confirme",
    service: "Servicio",
    staff: "Con",
    date_and_time: "Fecha y hora",
    duration: "Duración",
    price: "Precio",
    file_attached: "Archivo adjunto",
    confirm_booking: "Confirmar reserva",
    booking_in_progress: "Reservando…",
    slot_taken: "Lo sentimos, ese horario acaba de reservarse. Elija otro.",
    booked_title: "¡Su cita está reservada!",
    request_sent_title: "Solicitud enviada",
    request_sent_help: "El equipo confirmará su cita en breve.",
    reference: "Referencia",
    status: "Estado",
    status_confirmed: "Confirmada",
    status_pending: "Pendiente de confirmación",
    status_cancelled: "Cancelada",
    company_time: "Hora local del lugar",
    location: "Lugar",
    join_video: "Unirse a la videollamada",
    video_link_later: "Videollamada: le enviaremos el enlace.",
    by_phone: "Por teléfono",
    add_to_calendar: "Añadir a su calendario",
    download_ics: "Descargar (.ics)",
    google_calendar: "Google Calendar",
    opens_new_window: "(se abre en una ventana nueva)",
    reschedule: "Cambiar la cita",
    cancel_appointment: "Cancelar la cita",
    your_appointment: "Su cita",
    appointment_not_found: "No se encontró esta cita. Puede que el enlace esté incompleto.",
    already_cancelled: "Esta cita está cancelada",
    too_late_to_change: "Ya es demasiado tarde para cambiar esta cita en línea. Póngase en contacto con nosotros.",
    appointment_over: "Esta cita ya ha pasado y no se puede cambiar.",
    confirm_new_time: "¿Cambiar su cita a esta hora?",
    confirm_new_time_button: "Confirmar nueva hora",
    choose_another_time: "Elegir otra hora",
    saving: "Guardando…",
    rescheduled_title: "Su cita se ha cambiado",
    cancel_question: "¿Cancelar esta cita?",
    keep_appointment: "Mantenerla",
    confirm_cancel: "Sí, cancelar",
    cancelled_title: "Su cita se ha cancelado",
    crash_message: "La página de reservas ha dejado de funcionar. Recárguela para volver a intentarlo; no se ha reservado nada si no vio una confirmación.",
    reload: "Recargar",
};

const PT: Strings = Strings {
    page_title: "Marcar uma consulta",
    choose_service: "Escolha um serviço",
    loading: "A carregar…",
    no_services: "De momento não há serviços disponíveis para reserva online.",
    error_title: "Algo correu mal",
    retry: "Tentar novamente",
    free: "Grátis",
    minutes: "min",
    missing_company: "Esta página de reservas não está configurada: falta a empresa no endereço.",
    unknown_company: "Esta página de reservas não foi encontrada.",
    unknown_resource: "Este recurso não pode ser reservado online.",
    network_error:
        "O serviço de reservas não está acessível. Verifique a ligação e tente novamente.",
    choose_staff: "Escolha com quem",
    any_staff: "Qualquer disponível",
    any_staff_help: "A primeira pessoa disponível irá atendê-lo.",
    back: "Voltar",
    choose_time: "Escolha a data e a hora",
    choose_new_time: "Escolha uma nova data e hora",
    time_zone: "Fuso horário",
    change_time_zone: "Alterar fuso horário",
    search_time_zone: "Pesquisar fuso horário (cidade ou região)",
    done: "Concluído",
    previous_month: "Mês anterior",
    next_month: "Mês seguinte",
    loading_times: "A carregar horários disponíveis…",
    morning: "Manhã",
    afternoon: "Tarde",
    evening: "Noite",
    no_times_this_month: "Não há horários livres este mês.",
    next_available: "Ir para a próxima data disponível",
    no_times_soon: "Não há horários livres nos próximos meses.",
    your_details: "Os seus dados",
    required_legend: "Campos obrigatórios",
    required: "obrigatório",
    prefilled: "pré-preenchido",
    page_of: "Página {} de {}",
    previous: "Anterior",
    next: "Seguinte",
    review_booking: "Rever a minha reserva",
    choose_option: "Escolha…",
    other_option: "Outro…",
    other_value: "Outro (especifique)",
    reading_file: "A ler o ficheiro…",
    remove_file: "Remover",
    fix_errors: "Campos a corrigir: {}.",
    check_answers: "Verifique as respostas assinaladas.",
    error_required: "Este campo é obrigatório.",
    error_min_length: "Introduza pelo menos {} caracteres.",
    error_max_length: "Introduza no máximo {} caracteres.",
    error_format: "O formato não é o esperado.",
    error_email: "Introduza um e-mail como nome@exemplo.pt.",
    error_number: "Introduza um número, como 42 ou 3.5.",
    error_date: "Introduza uma data válida.",
    error_website: "Introduza um endereço web começado por https://.",
    error_option: "Escolha uma das opções apresentadas.",
    error_one_choice: "Escolha apenas uma opção.",
    error_file_too_big: "Este ficheiro é demasiado grande: o limite é 5 MB.",
    error_file_unreadable: "Não foi possível ler este ficheiro. Escolha-o novamente.",
    review_title: "Verifique e confirme",
    service: "Serviço",
    staff: "Com",
    date_and_time: "Data e hora",
    duration: "Duração",
    price: "Preço",
    file_attached: "Ficheiro anexado",
    confirm_booking: "Confirmar reserva",
    booking_in_progress: "A reservar…",
    slot_taken: "Lamentamos, esse horário acabou de ser reservado. Escolha outro.",
    booked_title: "A sua marcação está feita!",
    request_sent_title: "Pedido enviado",
    request_sent_help: "A equipa irá confirmar a sua marcação em breve.",
    reference: "Referência",
    status: "Estado",
    status_confirmed: "Confirmada",
    status_pending: "A aguardar confirmação",
    status_cancelled: "Cancelada",
    company_time: "Hora local no local",
    location: "Local",
    join_video: "Entrar na videochamada",
    video_link_later: "Videochamada: o link ser-lhe-á enviado.",
    by_phone: "Por telefone",
    add_to_calendar: "Adicionar ao seu calendário",
    download_ics: "Transferir (.ics)",
    google_calendar: "Google Calendar",
    opens_new_window: "(abre numa nova janela)",
    reschedule: "Reagendar",
    cancel_appointment: "Cancelar a marcação",
    your_appointment: "A sua marcação",
    appointment_not_found: "Esta marcação não foi encontrada. O link pode estar incompleto.",
    already_cancelled: "Esta marcação está cancelada",
    too_late_to_change: "Já é tarde demais para alterar esta marcação online. Por favor, contacte-nos.",
    appointment_over: "Esta marcação já terminou e não pode ser alterada.",
    confirm_new_time: "Mudar a sua marcação para esta hora?",
    confirm_new_time_button: "Confirmar nova hora",
    choose_another_time: "Escolher outra hora",
    saving: "A guardar…",
    rescheduled_title: "A sua marcação foi alterada",
    cancel_question: "Cancelar esta marcação?",
    keep_appointment: "Manter",
    confirm_cancel: "Sim, cancelar",
    cancelled_title: "A sua marcação foi cancelada",
    crash_message: "A página de reservas deixou de funcionar. Recarregue-a para tentar novamente; nada foi reservado sem uma confirmação.",
    reload: "Recarregar",
};

const NL: Strings = Strings {
    page_title: "Afspraak maken",
    choose_service: "Kies een dienst",
    loading: "Laden…",
    no_services: "Er kunnen op dit moment geen diensten online worden geboekt.",
    error_title: "Er is iets misgegaan",
    retry: "Opnieuw proberen",
    free: "Gratis",
    minutes: "min",
    missing_company: "Deze boekingspagina is niet ingesteld: het bedrijf ontbreekt in het adres.",
    unknown_company: "Deze boekingspagina is niet gevonden.",
    unknown_resource: "Deze voorziening kan niet online worden geboekt.",
    network_error:
        "De boekingsdienst is niet bereikbaar. Controleer uw verbinding en probeer het opnieuw.",
    choose_staff: "Kies bij wie",
    any_staff: "Maakt niet uit",
    any_staff_help: "De eerste beschikbare persoon helpt u.",
    back: "Terug",
    choose_time: "Kies een datum en tijd",
    choose_new_time: "Kies een nieuwe datum en tijd",
    time_zone: "Tijdzone",
    change_time_zone: "Tijdzone wijzigen",
    search_time_zone: "Tijdzone zoeken (stad of regio)",
    done: "Klaar",
    previous_month: "Vorige maand",
    next_month: "Volgende maand",
    loading_times: "Beschikbare tijden laden…",
    morning: "Ochtend",
    afternoon: "Middag",
    evening: "Avond",
    no_times_this_month: "Geen vrije tijden deze maand.",
    next_available: "Naar de eerstvolgende beschikbare datum",
    no_times_soon: "Geen vrije tijden in de komende maanden.",
    your_details: "Uw gegevens",
    required_legend: "Verplichte velden",
    required: "verplicht",
    prefilled: "vooraf ingevuld",
    page_of: "Pagina {} van {}",
    previous: "Vorige",
    next: "Volgende",
    review_booking: "Mijn boeking controleren",
    choose_option: "Kies…",
    other_option: "Anders…",
    other_value: "Anders (graag toelichten)",
    reading_file: "Bestand wordt gelezen…",
    remove_file: "Verwijderen",
    fix_errors: "Te corrigeren velden: {}.",
    check_answers: "Controleer de gemarkeerde antwoorden.",
    error_required: "Dit veld is verplicht.",
    error_min_length: "Voer minstens {} tekens in.",
    error_max_length: "Voer maximaal {} tekens in.",
    error_format: "Dit heeft niet het verwachte formaat.",
    error_email: "Voer een e-mailadres in zoals naam@voorbeeld.nl.",
    error_number: "Voer een getal in, zoals 42 of 3.5.",
    error_date: "Voer een geldige datum in.",
    error_website: "Voer een webadres in dat begint met https://.",
    error_option: "Kies een van de aangeboden opties.",
    error_one_choice: "Kies maar één optie.",
    error_file_too_big: "Dit bestand is te groot: maximaal 5 MB.",
    error_file_unreadable: "Dit bestand kon niet worden gelezen. Kies het opnieuw.",
    review_title: "Controleren en bevestigen",
    service: "Dienst",
    staff: "Bij",
    date_and_time: "Datum en tijd",
    duration: "Duur",
    price: "Prijs",
    file_attached: "Bestand bijgevoegd",
    confirm_booking: "Boeking bevestigen",
    booking_in_progress: "Bezig met boeken…",
    slot_taken: "Sorry, dat tijdstip is net geboekt. Kies een ander tijdstip.",
    booked_title: "Uw afspraak is geboekt!",
    request_sent_title: "Aanvraag verzonden",
    request_sent_help: "Het team bevestigt uw afspraak binnenkort.",
    reference: "Referentie",
    status: "Status",
    status_confirmed: "Bevestigd",
    status_pending: "Wacht op bevestiging",
    status_cancelled: "Geannuleerd",
    company_time: "Lokale tijd ter plaatse",
    location: "Waar",
    join_video: "Deelnemen aan het videogesprek",
    video_link_later: "Videogesprek: de link wordt u toegestuurd.",
    by_phone: "Telefonisch",
    add_to_calendar: "Toevoegen aan uw agenda",
    download_ics: "Downloaden (.ics)",
    google_calendar: "Google Agenda",
    opens_new_window: "(opent in een nieuw venster)",
    reschedule: "Afspraak verzetten",
    cancel_appointment: "Afspraak annuleren",
    your_appointment: "Uw afspraak",
    appointment_not_found: "Deze afspraak is niet gevonden. De link is mogelijk onvolledig.",
    already_cancelled: "Deze afspraak is geannuleerd",
    too_late_to_change: "Het is te laat om deze afspraak online te wijzigen. Neem contact met ons op.",
    appointment_over: "Deze afspraak is voorbij en kan niet meer worden gewijzigd.",
    confirm_new_time: "Uw afspraak naar dit tijdstip verzetten?",
    confirm_new_time_button: "Nieuw tijdstip bevestigen",
    choose_another_time: "Ander tijdstip kiezen",
    saving: "Opslaan…",
    rescheduled_title: "Uw afspraak is verzet",
    cancel_question: "Deze afspraak annuleren?",
    keep_appointment: "Behouden",
    confirm_cancel: "Ja, annuleren",
    cancelled_title: "Uw afspraak is geannuleerd",
    crash_message: "De boekingspagina werkt niet meer. Laad haar opnieuw; er is niets geboekt als u geen bevestiging zag.",
    reload: "Opnieuw laden",
};

const IT: Strings = Strings {
    page_title: "Prenota un appuntamento",
    choose_service: "Scegli un servizio",
    loading: "Caricamento…",
    no_services: "Al momento non ci sono servizi prenotabili online.",
    error_title: "Qualcosa è andato storto",
    retry: "Riprova",
    free: "Gratis",
    minutes: "min",
    missing_company:
        "Questa pagina di prenotazione non è configurata: manca l'azienda nell'indirizzo.",
    unknown_company: "Questa pagina di prenotazione non è stata trovata.",
    unknown_resource: "Questa risorsa non può essere prenotata online.",
    network_error:
        "Il servizio di prenotazione non è raggiungibile. Controlla la connessione e riprova.",
    choose_staff: "Scegli con chi",
    any_staff: "Chiunque sia disponibile",
    any_staff_help: "Ti seguirà la prima persona disponibile.",
    back: "Indietro",
    choose_time: "Scegli data e ora",
    choose_new_time: "Scegli una nuova data e ora",
    time_zone: "Fuso orario",
    change_time_zone: "Cambia fuso orario",
    search_time_zone: "Cerca fuso orario (città o regione)",
    done: "Fatto",
    previous_month: "Mese precedente",
    next_month: "Mese successivo",
    loading_times: "Caricamento degli orari disponibili…",
    morning: "Mattina",
    afternoon: "Pomeriggio",
    evening: "Sera",
    no_times_this_month: "Nessun orario libero questo mese.",
    next_available: "Vai alla prossima data disponibile",
    no_times_soon: "Nessun orario libero nei prossimi mesi.",
    your_details: "I tuoi dati",
    required_legend: "Campi obbligatori",
    required: "obbligatorio",
    prefilled: "precompilato",
    page_of: "Pagina {} di {}",
    previous: "Precedente",
    next: "Avanti",
    review_booking: "Controlla la prenotazione",
    choose_option: "Scegli…",
    other_option: "Altro…",
    other_value: "Altro (specifica)",
    reading_file: "Lettura del file…",
    remove_file: "Rimuovi",
    fix_errors: "Campi da correggere: {}.",
    check_answers: "Controlla le risposte evidenziate.",
    error_required: "Questo campo è obbligatorio.",
    error_min_length: "Inserisci almeno {} caratteri.",
    error_max_length: "Inserisci al massimo {} caratteri.",
    error_format: "Il formato non è quello previsto.",
    error_email: "Inserisci un indirizzo email come nome@esempio.it.",
    error_number: "Inserisci un numero, come 42 o 3.5.",
    error_date: "Inserisci una data valida.",
    error_website: "Inserisci un indirizzo web che inizi con https://.",
    error_option: "Scegli una delle opzioni proposte.",
    error_one_choice: "Scegli una sola opzione.",
    error_file_too_big: "Questo file è troppo grande: il limite è 5 MB.",
    error_file_unreadable: "Impossibile leggere il file. Selezionalo di nuovo.",
    review_title: "Controlla e conferma",
    service: "Servizio",
    staff: "Con",
    date_and_time: "Data e ora",
    duration: "Durata",
    price: "Prezzo",
    file_attached: "File allegato",
    confirm_booking: "Conferma prenotazione",
    booking_in_progress: "Prenotazione in corso…",
    slot_taken: "Spiacenti, questo orario è appena stato prenotato. Scegline un altro.",
    booked_title: "Prenotazione confermata!",
    request_sent_title: "Richiesta inviata",
    request_sent_help: "Il team confermerà a breve il tuo appuntamento.",
    reference: "Riferimento",
    status: "Stato",
    status_confirmed: "Confermato",
    status_pending: "In attesa di conferma",
    status_cancelled: "Annullato",
    company_time: "Ora locale sul posto",
    location: "Luogo",
    join_video: "Partecipa alla videochiamata",
    video_link_later: "Videochiamata: ti invieremo il link.",
    by_phone: "Per telefono",
    add_to_calendar: "Aggiungi al calendario",
    download_ics: "Scarica (.ics)",
    google_calendar: "Google Calendar",
    opens_new_window: "(si apre in una nuova finestra)",
    reschedule: "Sposta l'appuntamento",
    cancel_appointment: "Annulla l'appuntamento",
    your_appointment: "Il tuo appuntamento",
    appointment_not_found: "Appuntamento non trovato. Il link potrebbe essere incompleto.",
    already_cancelled: "Questo appuntamento è annullato",
    too_late_to_change: "È troppo tardi per modificare questo appuntamento online. Contattaci.",
    appointment_over: "Questo appuntamento è passato e non può più essere modificato.",
    confirm_new_time: "Spostare l'appuntamento a questo orario?",
    confirm_new_time_button: "Conferma il nuovo orario",
    choose_another_time: "Scegli un altro orario",
    saving: "Salvataggio…",
    rescheduled_title: "Il tuo appuntamento è stato spostato",
    cancel_question: "Annullare questo appuntamento?",
    keep_appointment: "Mantienilo",
    confirm_cancel: "Sì, annulla",
    cancelled_title: "Il tuo appuntamento è stato annullato",
    crash_message: "La pagina di prenotazione ha smesso di funzionare. Ricaricala per riprovare; non è stato prenotato nulla senza una conferma.",
    reload: "Ricarica",
};

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
        for lang in Lang::ALL {
            let t = lang.strings();
            for template in [
                t.page_of,
                t.fix_errors,
                t.error_min_length,
                t.error_max_length,
            ] {
                assert!(template.contains("{}"), "{lang:?}: {template}");
            }
        }
    }
}
