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

/// Every text the widget shows.
#[derive(Debug)]
pub struct Strings {
    pub choose_service: &'static str,
    pub loading: &'static str,
    pub no_services: &'static str,
    pub error_title: &'static str,
    pub retry: &'static str,
    pub free: &'static str,
    pub minutes: &'static str,
    pub missing_company: &'static str,
    pub unknown_company: &'static str,
    pub network_error: &'static str,
    pub selected: &'static str,
    pub change: &'static str,
}

const EN: Strings = Strings {
    choose_service: "Choose a service",
    loading: "Loading…",
    no_services: "No services can be booked online at the moment.",
    error_title: "Something went wrong",
    retry: "Try again",
    free: "Free",
    minutes: "min",
    missing_company: "This booking page is not set up: the company is missing from its address.",
    unknown_company: "This booking page could not be found.",
    network_error: "The booking service cannot be reached. Check your connection and try again.",
    selected: "Selected",
    change: "Change",
};

const FR: Strings = Strings {
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
    network_error:
        "Le service de réservation est injoignable. Vérifiez votre connexion et réessayez.",
    selected: "Sélectionné",
    change: "Modifier",
};

const DE: Strings = Strings {
    choose_service: "Leistung auswählen",
    loading: "Wird geladen…",
    no_services: "Derzeit können keine Leistungen online gebucht werden.",
    error_title: "Etwas ist schiefgelaufen",
    retry: "Erneut versuchen",
    free: "Kostenlos",
    minutes: "Min.",
    missing_company: "Diese Buchungsseite ist nicht eingerichtet: In ihrer Adresse fehlt das Unternehmen.",
    unknown_company: "Diese Buchungsseite wurde nicht gefunden.",
    network_error: "Der Buchungsdienst ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.",
    selected: "Ausgewählt",
    change: "Ändern",
};

const ES: Strings = Strings {
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
    network_error:
        "No se puede acceder al servicio de reservas. Compruebe su conexión e inténtelo de nuevo.",
    selected: "Seleccionado",
    change: "Cambiar",
};

const PT: Strings = Strings {
    choose_service: "Escolha um serviço",
    loading: "A carregar…",
    no_services: "De momento não há serviços disponíveis para reserva online.",
    error_title: "Algo correu mal",
    retry: "Tentar novamente",
    free: "Grátis",
    minutes: "min",
    missing_company: "Esta página de reservas não está configurada: falta a empresa no endereço.",
    unknown_company: "Esta página de reservas não foi encontrada.",
    network_error:
        "O serviço de reservas não está acessível. Verifique a ligação e tente novamente.",
    selected: "Selecionado",
    change: "Alterar",
};

const NL: Strings = Strings {
    choose_service: "Kies een dienst",
    loading: "Laden…",
    no_services: "Er kunnen op dit moment geen diensten online worden geboekt.",
    error_title: "Er is iets misgegaan",
    retry: "Opnieuw proberen",
    free: "Gratis",
    minutes: "min",
    missing_company: "Deze boekingspagina is niet ingesteld: het bedrijf ontbreekt in het adres.",
    unknown_company: "Deze boekingspagina is niet gevonden.",
    network_error:
        "De boekingsdienst is niet bereikbaar. Controleer uw verbinding en probeer het opnieuw.",
    selected: "Geselecteerd",
    change: "Wijzigen",
};

const IT: Strings = Strings {
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
    network_error:
        "Il servizio di prenotazione non è raggiungibile. Controlla la connessione e riprova.",
    selected: "Selezionato",
    change: "Modifica",
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
}
