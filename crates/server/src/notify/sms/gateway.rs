//! One text message, posted to the gateway: `To`, `From`, `Body` form-encoded (Twilio's Messages
//! API) or as JSON, HTTP Basic credentials from the settings or the URL's userinfo, and the outbox
//! row's id as `Idempotency-Key` (the same on every retry, so a gateway that dedupes can). A 2xx
//! answer is sent; network failures, timeouts, 5xx and 429 are worth another attempt (not before
//! the gateway's `Retry-After`); any other answer (a refused number, bad credentials) is final.

use reqwest::{StatusCode, Url};

use super::{Format, Settings};
use crate::notify::transport::Outcome;

/// A configured gateway.
#[derive(Clone)]
pub struct Gateway {
    client: reqwest::Client,
    url: Url,
    credentials: Option<(String, String)>,
    from: String,
    format: Format,
}

// By hand: the Basic password is a secret (the user, an account id, stays readable).
impl std::fmt::Debug for Gateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let user = self.credentials.as_ref().map(|(user, _)| user);
        f.debug_struct("Gateway")
            .field("url", &self.url.as_str())
            .field("user", &user)
            .field("password", &user.map(|_| crate::redact::HIDDEN))
            .field("from", &self.from)
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

/// Longest part of a gateway's answer kept in the log.
const ANSWER_IN_LOG: usize = 300;

impl Gateway {
    /// The gateway of `settings`, `None` without a URL; an unusable URL or a missing sender is an
    /// error saying what to fix (start-up fails with it).
    pub fn from_settings(settings: &Settings) -> Result<Option<Gateway>, String> {
        let Some(text) = &settings.url else {
            return Ok(None);
        };
        let mut url = Url::parse(text)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
            .ok_or_else(|| {
                "--sms-url must be an http:// or https:// URL, e.g. \
                 https://api.twilio.com/2010-04-01/Accounts/AC…/Messages.json"
                    .to_owned()
            })?;
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8()
                .map(|s| s.into_owned())
                .map_err(|_| "--sms-url: its userinfo is not UTF-8".to_owned())
        };
        let from_url = match url.username() {
            "" => None,
            user => Some((decode(user)?, decode(url.password().unwrap_or(""))?)),
        };
        // The credentials travel in the header only, never in the URL (or the logs).
        let _ = url.set_username("");
        let _ = url.set_password(None);
        // Each part from its flag, else from the URL: a user given by flag keeps the URL's password.
        let (url_user, url_password) = from_url.unzip();
        let credentials = match (settings.user.clone().or(url_user), &settings.password) {
            (Some(user), Some(password)) => Some((user, password.clone())),
            (Some(user), None) => Some((user, url_password.unwrap_or_default())),
            (None, _) => None,
        };
        if settings.from.trim().is_empty() {
            return Err(
                "--sms-from is required with --sms-url: the sender number (E.164, e.g. \
                        +15005550006) or sender id"
                    .to_owned(),
            );
        }
        let client = reqwest::Client::builder()
            .timeout(settings.timing.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| format!("SMS client: {e}"))?;
        Ok(Some(Gateway {
            client,
            url,
            credentials,
            from: settings.from.trim().to_owned(),
            format: settings.format,
        }))
    }

    /// Posts `body` to `to` (E.164) as message `id`.
    pub async fn send(&self, id: &str, to: &str, body: &str) -> Outcome {
        let mut request = self
            .client
            .post(self.url.clone())
            .header("Idempotency-Key", id);
        if let Some((user, password)) = &self.credentials {
            request = request.basic_auth(user, Some(password));
        }
        request = match self.format {
            Format::Form => request.form(&[("To", to), ("From", &self.from), ("Body", body)]),
            Format::Json => {
                request.json(&serde_json::json!({"to": to, "from": self.from, "body": body}))
            }
        };
        match request.send().await {
            Ok(response) => {
                let status = response.status();
                let after = crate::webhooks::send::retry_after(response.headers());
                let answer = response.text().await.unwrap_or_default();
                match (classify(status, &answer), after) {
                    (Outcome::Retry { code, error }, Some(after)) => {
                        Outcome::RetryAfter { code, error, after }
                    }
                    (outcome, _) => outcome,
                }
            }
            Err(e) => Outcome::Retry {
                code: None,
                error: format!("SMS gateway unreachable: {}", without_url(&e)),
            },
        }
    }
}

/// What an HTTP answer means for the message.
fn classify(status: StatusCode, answer: &str) -> Outcome {
    if status.is_success() {
        return Outcome::Sent;
    }
    let code = Some(status.as_u16());
    let shown: String = answer.trim().chars().take(ANSWER_IN_LOG).collect();
    let error = format!("SMS gateway answered {status}: {shown}");
    match status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
        true => Outcome::Retry { code, error },
        false => Outcome::Final { code, error },
    }
}

/// A reqwest error without the URL (it is the operator's, and may be long).
fn without_url(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    if let Some(url) = e.url() {
        text = text.replace(&format!(" for url ({url})"), "");
    }
    match std::error::Error::source(e) {
        Some(source) => format!("{text}: {source}"),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_retry_on_5xx_and_429_only() {
        assert_eq!(classify(StatusCode::CREATED, ""), Outcome::Sent);
        for retry in [500, 503, 429] {
            let status = StatusCode::from_u16(retry).unwrap();
            assert!(
                matches!(classify(status, "busy"), Outcome::Retry { code: Some(c), .. } if c == retry),
                "{retry}"
            );
        }
        for final_ in [400, 401, 404, 301] {
            let status = StatusCode::from_u16(final_).unwrap();
            assert!(
                matches!(classify(status, "no"), Outcome::Final { .. }),
                "{final_}"
            );
        }
    }

    #[test]
    fn credentials_come_from_the_flags_else_the_url() {
        let settings = |url: &str, user: Option<&str>| Settings {
            url: Some(url.to_owned()),
            user: user.map(str::to_owned),
            from: "+15005550006".to_owned(),
            ..Settings::default()
        };
        let g = Gateway::from_settings(&settings("https://AC1:t%40k@sms.example/m", None))
            .unwrap()
            .unwrap();
        assert_eq!(g.credentials, Some(("AC1".to_owned(), "t@k".to_owned())));
        assert_eq!(g.url.as_str(), "https://sms.example/m");
        let g = Gateway::from_settings(&settings("https://AC1:x@sms.example/m", Some("AC2")))
            .unwrap()
            .unwrap();
        assert_eq!(
            g.credentials,
            Some(("AC2".to_owned(), "x".to_owned())),
            "the user from its flag, the password still from the URL"
        );
        let mut both = settings("https://AC1:x@sms.example/m", Some("AC2"));
        both.password = Some("flag".to_owned());
        let g = Gateway::from_settings(&both).unwrap().unwrap();
        assert_eq!(g.credentials, Some(("AC2".to_owned(), "flag".to_owned())));
        let g = Gateway::from_settings(&settings(
            "https://a%20c:p%3Aw%2F%C3%A9@sms.example/m",
            None,
        ))
        .unwrap()
        .unwrap();
        assert_eq!(g.credentials, Some(("a c".to_owned(), "p:w/é".to_owned())));
        assert!(
            Gateway::from_settings(&settings("https://AC1:%FF@sms.example/m", None))
                .unwrap_err()
                .contains("not UTF-8")
        );
        assert!(Gateway::from_settings(&settings("ftp://sms.example", None)).is_err());
        let mut no_sender = settings("https://sms.example", None);
        no_sender.from = " ".to_owned();
        assert!(Gateway::from_settings(&no_sender)
            .unwrap_err()
            .contains("--sms-from"));
        assert!(Gateway::from_settings(&Settings::default())
            .unwrap()
            .is_none());
    }
}
