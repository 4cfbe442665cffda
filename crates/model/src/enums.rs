//! The appointment's closed value sets, spelled exactly as the reference writes them.

use crate::string_enum::string_enum;

string_enum! {
    /// Native status of an appointment (`status`).
    pub enum AppointmentStatus {
        /// The appointment took place.
        Completed = "completed",
        /// The client did not come.
        NoShow = "noShow",
        /// Confirmed.
        Accepted = "accepted",
        /// Waiting for the company to accept it.
        Pending = "pending",
        /// Refused by the company.
        Declined = "declined",
        /// Cancelled by the client or the company.
        Cancelled = "cancelled",
        /// Currently taking place.
        InProgress = "inProgress",
    }
}

impl AppointmentStatus {
    /// Whether an appointment in this status still occupies its time slot.
    ///
    /// Cancelled and declined appointments free their slot; every other status keeps it, including
    /// `pending` (otherwise two visitors could be waiting for validation on the same slot).
    pub const fn blocks_slot(self) -> bool {
        !matches!(self, Self::Cancelled | Self::Declined)
    }
}

string_enum! {
    /// Kind of appointment (`type`).
    pub enum AppointmentType {
        /// An appointment with a client.
        Normal = "normal",
        /// A staff member's personal appointment (no client; blocks the staff's time).
        Personal = "personal",
    }
}

string_enum! {
    /// For an appointment taken for someone else, who receives emails and text messages (`sendto`).
    pub enum SendTo {
        /// The person who took the appointment (`parent`).
        Parent = "parent",
        /// The person the appointment is for (`client`).
        Client = "client",
    }
}

string_enum! {
    /// Where the appointment takes place (`location`).
    #[derive(Default)]
    pub enum Location {
        /// At the company's address (the default).
        #[default]
        CompanyAddress = "companyAddress",
        /// Online, see `onlineMeeting`.
        Videoconference = "videoconference",
        /// By phone.
        Phone = "phone",
        /// Elsewhere, see `locationCustom`.
        Custom = "custom",
    }
}

string_enum! {
    /// Currency of a company and its prices (upper case, as the reference writes them).
    pub enum Currency {
        /// US dollar.
        Usd = "USD",
        /// Canadian dollar.
        Cad = "CAD",
        /// Euro.
        Eur = "EUR",
        /// Pound sterling.
        Gbp = "GBP",
        /// Danish krone.
        Dkk = "DKK",
        /// Japanese yen.
        Jpy = "JPY",
        /// Indian rupee.
        Inr = "INR",
        /// Chinese yuan.
        Cny = "CNY",
        /// Mexican peso.
        Mxn = "MXN",
        /// Swiss franc.
        Chf = "CHF",
        /// New Zealand dollar.
        Nzd = "NZD",
    }
}

string_enum! {
    /// Amount of detail in returned appointments (`levelDetail` query parameter).
    pub enum LevelDetail {
        /// Fewer properties (the default of `list`).
        Light = "light",
        /// All properties (the default of `get`).
        Full = "full",
    }
}

string_enum! {
    /// Provider of an appointment's video conference (`onlineMeeting.provider`).
    pub enum MeetingProvider {
        /// The product's own video conference.
        Agendize = "agendize",
        /// Microsoft Teams.
        Teams = "teams",
    }
}
