//! Opaque tokens of the appointment list: `syncToken` (incremental sync) and `pageToken` (keyset
//! pagination). Both are base64url JSON; clients must treat them as opaque.
//!
//! A sync token holds the company, the change counter the list was read at, when it was issued and
//! a fingerprint of the list's filters ([`filter_fingerprint`]). It is refused with 410 Gone when it
//! can't be decoded, names another company, is ahead of the counter (e.g. from another database), was
//! issued for other filters, or is older than [`SYNC_TOKEN_TTL_DAYS`]: the client then lists
//! everything again, as with Google Calendar. (With other filters, changes made before the token to
//! appointments that only the new filters select would never be reported.)

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// How long a sync token stays valid.
pub const SYNC_TOKEN_TTL_DAYS: i64 = 30;

#[derive(Debug, Serialize, Deserialize)]
struct SyncToken {
    v: u8,
    /// Company.
    c: String,
    /// Change counter when the list was read.
    s: i64,
    /// Issued at, Unix seconds.
    t: i64,
    /// Fingerprint of the filters it was issued for (absent in tokens of older servers: any).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    f: Option<String>,
}

fn encode<T: Serialize>(value: &T) -> String {
    // Serializing these plain structs can't fail; an empty token would just be refused later.
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(value).unwrap_or_default())
}

fn decode<T: for<'de> Deserialize<'de>>(token: &str) -> Option<T> {
    let bytes = URL_SAFE_NO_PAD.decode(token.trim()).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// A sync token for `company_id` at change counter `seq`, for the filters of fingerprint `filters`.
pub fn sync_token(company_id: &str, seq: i64, filters: &str, now: DateTime<Utc>) -> String {
    encode(&SyncToken {
        v: 1,
        c: company_id.to_owned(),
        s: seq,
        t: now.timestamp(),
        f: Some(filters.to_owned()),
    })
}

/// The change counter a sync token was issued at; 410 when unknown or expired (see the module doc).
pub fn read_sync_token(
    token: &str,
    company_id: &str,
    current_seq: i64,
    filters: &str,
    now: DateTime<Utc>,
) -> Result<i64> {
    let gone = |why: &str| {
        Error::Gone(format!(
            "syncToken {why}: list again without syncToken to get a fresh one"
        ))
    };
    let parsed: SyncToken = decode(token).ok_or_else(|| gone("is not a token of this server"))?;
    if parsed.v != 1 || parsed.c != company_id || parsed.s < 0 || parsed.s > current_seq {
        return Err(gone("is not a token of this server"));
    }
    if parsed.f.as_deref().is_some_and(|f| f != filters) {
        return Err(gone("was issued for other filters"));
    }
    let issued = DateTime::from_timestamp(parsed.t, 0).ok_or_else(|| gone("is invalid"))?;
    if now - issued > Duration::days(SYNC_TOKEN_TTL_DAYS) {
        return Err(gone("has expired"));
    }
    Ok(parsed.s)
}

/// Where the next page starts, and the snapshot the listing reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageToken {
    /// Company.
    pub c: String,
    /// Fingerprint of the list parameters it was issued for.
    pub f: String,
    /// Change counter the first page was read at.
    pub u: i64,
    /// Sync listing: last change counter returned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<i64>,
    /// Listing by start: last `(start_utc, id)` returned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub s: Option<(String, String)>,
}

impl PageToken {
    /// The opaque text form.
    pub fn encode(&self) -> String {
        encode(self)
    }

    /// Reads a page token of this company issued for the same parameters; 422 naming `pageToken`
    /// otherwise (the token is opaque: only the server knows which ones it issued).
    pub fn read(token: &str, company_id: &str, fingerprint: &str) -> Result<Self> {
        let parsed: PageToken = decode(token)
            .ok_or_else(|| Error::rule("pageToken", "is not a page token of this server"))?;
        if parsed.c != company_id || parsed.f != fingerprint {
            return Err(Error::rule(
                "pageToken",
                "was issued for other list parameters: repeat the same parameters with it",
            ));
        }
        Ok(parsed)
    }
}

/// Fingerprint of the parameters that decide a list's content (everything but paging and
/// presentation), so a page token can't be replayed against another query.
pub fn fingerprint<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    const IGNORED: [&str; 7] = [
        "pageToken",
        "maxResults",
        "fields",
        "levelDetail",
        "lang",
        "apiKey",
        "token",
    ];
    digest(pairs.filter(|(k, _)| !IGNORED.contains(k)).collect())
}

/// Fingerprint of the filters a sync applies (which appointments belong to the list; the time
/// windows and `showDeleted` don't apply to a sync), so a sync token only serves the same filters.
pub fn filter_fingerprint<'a>(pairs: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    const MEMBERSHIP: [&str; 8] = [
        "status",
        "clientId",
        "externalClientId",
        "serviceId",
        "staffId",
        "resourceId",
        "q",
        "personalAppointments",
    ];
    digest(pairs.filter(|(k, _)| MEMBERSHIP.contains(k)).collect())
}

fn digest(mut kept: Vec<(&str, &str)>) -> String {
    kept.sort_unstable();
    let mut hash = Sha256::new();
    for (k, v) in kept {
        hash.update(k.as_bytes());
        hash.update([0]);
        hash.update(v.as_bytes());
        hash.update([0]);
    }
    hash.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sync_tokens_round_trip_and_expire() {
        let now = Utc::now();
        let token = sync_token("demo", 7, "f1", now);
        assert_eq!(read_sync_token(&token, "demo", 9, "f1", now).ok(), Some(7));
        assert!(matches!(
            read_sync_token(&token, "other", 9, "f1", now),
            Err(Error::Gone(_))
        ));
        assert!(matches!(
            read_sync_token(&token, "demo", 6, "f1", now),
            Err(Error::Gone(_))
        ));
        assert!(
            matches!(read_sync_token(&token, "demo", 9, "f2", now), Err(Error::Gone(m)) if m.contains("other filters"))
        );
        assert!(matches!(
            read_sync_token("garbage", "demo", 9, "f1", now),
            Err(Error::Gone(_))
        ));
        let later = now + Duration::days(SYNC_TOKEN_TTL_DAYS + 1);
        assert!(
            matches!(read_sync_token(&token, "demo", 9, "f1", later), Err(Error::Gone(m)) if m.contains("expired"))
        );
    }

    #[test]
    fn page_tokens_are_bound_to_their_parameters() {
        let f = fingerprint([("status", "accepted"), ("maxResults", "5")].into_iter());
        assert_eq!(
            f,
            fingerprint([("maxResults", "9"), ("status", "accepted")].into_iter())
        );
        assert_ne!(f, fingerprint([("status", "pending")].into_iter()));
        let token = PageToken {
            c: "demo".into(),
            f: f.clone(),
            u: 3,
            q: None,
            s: Some(("a".into(), "b".into())),
        };
        assert_eq!(
            PageToken::read(&token.encode(), "demo", &f).ok(),
            Some(token.clone())
        );
        assert!(PageToken::read(&token.encode(), "demo", "other").is_err());
        assert!(PageToken::read("!!", "demo", &f).is_err());
    }
}
