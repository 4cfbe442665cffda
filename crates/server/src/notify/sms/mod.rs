//! Text messages to clients, through an HTTP SMS gateway (Twilio-compatible by default). Planned
//! with the emails ([`super::plan`]: the client's messages, a second row on channel [`CHANNEL`]
//! when the company has `smsNotifications` on), rendered at the first attempt as a short text in
//! the booking's language with the manage link ([`text`]), fixed in the row, and posted to the
//! gateway ([`gateway`]) by their own worker ([`worker`]), which retries network failures, 5xx and
//! 429 with backoff and records any other answer as a permanent failure.

/// The HTTP gateway: URL, credentials, form or JSON body, how answers are classified.
pub mod gateway;
/// The short text of a message.
pub mod text;
/// The SMS channel's delivery loop.
pub mod worker;

/// The outbox channel of text messages.
pub const CHANNEL: &str = "sms";

/// Environment variable equivalent of `--sms-url`.
pub const URL_ENV: &str = "BOOKING_SMS_URL";
/// Environment variable equivalent of `--sms-user`.
pub const USER_ENV: &str = "BOOKING_SMS_USER";
/// Environment variable equivalent of `--sms-password`.
pub const PASSWORD_ENV: &str = "BOOKING_SMS_PASSWORD";

/// How the gateway wants the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// `application/x-www-form-urlencoded` with `To`, `From` and `Body` (Twilio's Messages API).
    #[default]
    Form,
    /// `application/json`: `{"to", "from", "body"}`.
    Json,
}

/// The gateway and the delivery timing. No URL: no text messages (and companies can't turn them
/// on).
#[derive(Clone)]
pub struct Settings {
    /// Where messages are posted, e.g.
    /// `https://api.twilio.com/2010-04-01/Accounts/AC…/Messages.json`; its userinfo, if any, is
    /// the Basic credentials.
    pub url: Option<String>,
    /// HTTP Basic user (Twilio: the Account SID); wins over the URL's.
    pub user: Option<String>,
    /// HTTP Basic password (Twilio: the Auth Token); wins over the URL's.
    pub password: Option<String>,
    /// The sender: a number in E.164 form, or what the gateway accepts as a sender id.
    pub from: String,
    pub format: Format,
    /// How deliveries are timed (its `timeout` bounds one request to the gateway).
    pub timing: crate::notify::delivery::Timing,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            url: None,
            user: None,
            password: None,
            from: String::new(),
            format: Format::Form,
            timing: crate::notify::delivery::Timing::default(),
        }
    }
}

// By hand: the password and the URL's userinfo are secrets.
impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::redact;
        f.debug_struct("Settings")
            .field("url", &self.url.as_deref().map(redact::url))
            .field("user", &self.user)
            .field("password", &redact::secret(&self.password))
            .field("from", &self.from)
            .field("format", &self.format)
            .field("timing", &self.timing)
            .finish()
    }
}

impl Settings {
    /// Whether a gateway is configured (companies may turn text messages on).
    pub fn configured(&self) -> bool {
        self.url.is_some()
    }
}
