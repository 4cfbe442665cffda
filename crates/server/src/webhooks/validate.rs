//! Checking a watch sent to the API, and masking its secrets on the way out.
//!
//! Secrets — `basicAuth.password`, `oauth2Auth.clientSecret`, `oauth2Auth.refreshToken` and every
//! `httpRequestHeader` value (custom headers often carry API keys) — are answered as [`MASK`]. A
//! `PUT` that sends [`MASK`] back for one of them keeps the stored value, so a client can read a
//! watch, change one field and write it back.

use booking_model::{FieldError, GrantType, Watch, WatchStatus};
use reqwest::header::{HeaderName, HeaderValue};

use super::{ssrf, template};
use crate::db::{watches, Db};
use crate::error::{Error, Result};

/// What the API shows in place of a stored secret.
pub const MASK: &str = "********";

/// Longest `name`.
const MAX_NAME: usize = 255;
/// Most custom headers.
const MAX_HEADERS: usize = 50;

/// Headers a watch may not set: the transport's, the signature's, and ours.
const RESERVED_HEADERS: &[&str] = &[
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "keep-alive",
    "upgrade",
    "te",
    "trailer",
    "proxy-authorization",
    "webhook-id",
    "webhook-timestamp",
    "webhook-signature",
    super::send::EVENT_HEADER,
    super::send::APPOINTMENT_HEADER,
];

/// Replaces the secrets of a watch with [`MASK`].
pub fn masked(watch: &Watch) -> Watch {
    let mut out = watch.clone();
    if let Some(basic) = out.basic_auth.as_mut() {
        if basic.password.is_some() {
            basic.password = Some(MASK.to_owned());
        }
    }
    if let Some(oauth) = out.oauth2_auth.as_mut() {
        for secret in [&mut oauth.client_secret, &mut oauth.refresh_token] {
            if secret.is_some() {
                *secret = Some(MASK.to_owned());
            }
        }
    }
    for header in &mut out.http_request_header.entries {
        header.value = MASK.to_owned();
    }
    out
}

/// Puts the stored secrets back where an update sent [`MASK`]; a mask with nothing stored behind it
/// is a 400.
pub fn unmask(watch: &mut Watch, stored: Option<&Watch>) -> Result<()> {
    let mut fields = Vec::new();
    let mut restore = |name: &str, value: &mut Option<String>, kept: Option<&String>| {
        if value.as_deref() == Some(MASK) {
            match kept {
                Some(kept) => *value = Some(kept.clone()),
                None => fields.push(FieldError::new(
                    name,
                    format!(
                        "{MASK} keeps the stored value, but none is stored; send the real value"
                    ),
                )),
            }
        }
    };
    if let Some(basic) = watch.basic_auth.as_mut() {
        let kept = stored
            .and_then(|s| s.basic_auth.as_ref())
            .and_then(|b| b.password.as_ref());
        restore("basicAuth.password", &mut basic.password, kept);
    }
    if let Some(oauth) = watch.oauth2_auth.as_mut() {
        let kept = stored.and_then(|s| s.oauth2_auth.as_ref());
        restore(
            "oauth2Auth.clientSecret",
            &mut oauth.client_secret,
            kept.and_then(|o| o.client_secret.as_ref()),
        );
        restore(
            "oauth2Auth.refreshToken",
            &mut oauth.refresh_token,
            kept.and_then(|o| o.refresh_token.as_ref()),
        );
    }
    let sent = watch.http_request_header.clone();
    for (index, header) in watch.http_request_header.entries.iter_mut().enumerate() {
        let kept = stored.and_then(|s| s.http_request_header.get(&header.name));
        let mut slot = Some(std::mem::take(&mut header.value));
        restore(&sent.field(index, "value"), &mut slot, kept);
        header.value = slot.unwrap_or_default();
    }
    match fields.is_empty() {
        true => Ok(()),
        false => Err(Error::invalid(fields)),
    }
}

/// Checks a watch before it is stored (every problem found, each naming its field) and fills its
/// defaults (`status: enabled`). Resolves `address` and `oauth2Auth.accessTokenUrl` to refuse
/// private destinations, and looks the signing keys up.
pub async fn check(
    db: &Db,
    company_id: &str,
    watch: &mut Watch,
    allow_private: bool,
) -> Result<()> {
    let mut fields = Vec::new();
    let mut bad = |name: &str, reason: String| fields.push(FieldError::new(name, reason));
    if watch.address.trim().is_empty() {
        bad(
            "address",
            "is required: the URL notifications are sent to".to_owned(),
        );
    } else if let Err(e) = ssrf::check_url(&watch.address, allow_private).await {
        bad("address", e.to_string());
    }
    if watch
        .name
        .as_ref()
        .is_some_and(|n| n.chars().count() > MAX_NAME)
    {
        bad("name", format!("must be at most {MAX_NAME} characters"));
    }
    if let Some(basic) = &watch.basic_auth {
        match basic.username.as_deref() {
            None | Some("") => bad(
                "basicAuth.username",
                "is required with basicAuth".to_owned(),
            ),
            Some(user) if user.contains(':') => bad(
                "basicAuth.username",
                "must not contain ':' (HTTP Basic cannot carry it)".to_owned(),
            ),
            Some(_) => {}
        }
        if watch.oauth2_auth.is_some() {
            bad(
                "oauth2Auth",
                "use basicAuth or oauth2Auth, not both: both need the Authorization header"
                    .to_owned(),
            );
        }
    }
    if watch.http_request_header.len() > MAX_HEADERS {
        bad(
            "httpRequestHeader",
            format!("at most {MAX_HEADERS} headers"),
        );
    }
    let has_auth = watch.basic_auth.is_some() || watch.oauth2_auth.is_some();
    let headers = &watch.http_request_header;
    for (index, (name, value)) in headers.iter().enumerate() {
        let field = headers.field(index, "name");
        let lower = name.to_ascii_lowercase();
        if HeaderName::from_bytes(name.as_bytes()).is_err() {
            bad(&field, "is not a valid HTTP header name".to_owned());
        } else if RESERVED_HEADERS.contains(&lower.as_str()) {
            bad(
                &field,
                "is set by the server and cannot be overridden".to_owned(),
            );
        } else if lower == "authorization" && has_auth {
            bad(
                &field,
                "conflicts with basicAuth/oauth2Auth, which set Authorization".to_owned(),
            );
        } else if headers
            .iter()
            .take(index)
            .any(|(earlier, _)| earlier.eq_ignore_ascii_case(name))
        {
            bad(
                &field,
                format!("{name:?} is given twice (header names ignore case)"),
            );
        }
        if HeaderValue::from_str(value).is_err() {
            bad(
                &headers.field(index, "value"),
                "value must be visible ASCII text on one line".to_owned(),
            );
        }
    }
    if let Some(schema) = &watch.schema {
        if let Err((at, why)) = template::check(schema, "schema") {
            bad(&at, why);
        }
    }
    if let Some(oauth) = &watch.oauth2_auth {
        match oauth.access_token_url.as_deref() {
            None | Some("") => bad(
                "oauth2Auth.accessTokenUrl",
                "is required: the endpoint that issues access tokens".to_owned(),
            ),
            Some(url) => {
                if let Err(e) = ssrf::check_url(url, allow_private).await {
                    bad("oauth2Auth.accessTokenUrl", e.to_string());
                }
            }
        }
        if let Some(url) = oauth.auth_url.as_deref().filter(|u| !u.is_empty()) {
            // Only people open it (to obtain a refresh token): its syntax is all we check.
            if !matches!(
                reqwest::Url::parse(url)
                    .map(|u| u.scheme().to_owned())
                    .as_deref(),
                Ok("http" | "https")
            ) {
                bad(
                    "oauth2Auth.authUrl",
                    "must be an http:// or https:// URL".to_owned(),
                );
            }
        }
        if oauth.client_id.as_deref().unwrap_or("").is_empty() {
            bad("oauth2Auth.clientId", "is required".to_owned());
        }
        match oauth.effective_grant_type() {
            GrantType::RefreshToken if oauth.refresh_token.as_deref().unwrap_or("").is_empty() => {
                bad(
                    "oauth2Auth.refreshToken",
                    "is required with grantType refresh_token".to_owned(),
                )
            }
            GrantType::ClientCredentials
                if oauth.client_secret.as_deref().unwrap_or("").is_empty() =>
            {
                bad(
                    "oauth2Auth.clientSecret",
                    "is required with grantType client_credentials".to_owned(),
                )
            }
            _ => {}
        }
    }
    if let Some(signature) = watch.signature.as_ref().filter(|s| s.enabled == Some(true)) {
        if signature.crypto_key_ids.is_empty() {
            bad(
                "signature.cryptoKeyIds",
                "name at least one crypto key (POST .../cryptoKeys creates one) when signature is enabled"
                    .to_owned(),
            );
        }
        for id in &signature.crypto_key_ids {
            if watches::get_key(db, company_id, id).await?.is_none() {
                bad(
                    "signature.cryptoKeyIds",
                    format!("no crypto key {id:?} in this company"),
                );
            }
        }
    }
    if watch.status.is_none() {
        watch.status = Some(WatchStatus::Enabled);
    }
    watch.address = watch.address.trim().to_owned();
    match fields.is_empty() {
        true => Ok(()),
        false => Err(Error::invalid(fields)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use booking_model::{BasicAuth, OAuth2Auth};

    #[test]
    fn secrets_are_masked_and_a_mask_sent_back_keeps_them() {
        let stored = Watch {
            address: "https://example.com/hook".into(),
            basic_auth: Some(BasicAuth {
                username: Some("u".into()),
                password: Some("p4ss".into()),
            }),
            oauth2_auth: Some(OAuth2Auth {
                refresh_token: Some("rt".into()),
                client_id: Some("cid".into()),
                ..OAuth2Auth::default()
            }),
            http_request_header: booking_model::HttpRequestHeaders::list([("X-Api-Key", "k")]),
            ..Watch::default()
        };
        let shown = masked(&stored);
        let text = serde_json::to_string(&shown).unwrap();
        for secret in ["p4ss", "\"rt\"", "\"k\""] {
            assert!(!text.contains(secret), "{secret} leaked in {text}");
        }
        assert_eq!(
            shown.oauth2_auth.as_ref().unwrap().client_id.as_deref(),
            Some("cid")
        );
        let mut back = shown.clone();
        unmask(&mut back, Some(&stored)).unwrap();
        assert_eq!(back, stored);
        let mut fresh = shown;
        assert!(unmask(&mut fresh, None).is_err());
    }
}
