//! Fetching a connected calendar over HTTP: an ICS address with `If-None-Match`, a CalDAV
//! collection with its change tag then `REPORT calendar-query`. No database here.

use chrono::{DateTime, Utc};
use reqwest::header::{ETAG, IF_NONE_MATCH};
use reqwest::{Method, StatusCode};

use super::caldav;

/// Largest calendar read, in bytes: a published calendar of years of events stays far below it.
pub const MAX_BYTES: usize = 16 * 1024 * 1024;

/// What to fetch.
pub enum Source<'a> {
    Ics {
        url: &'a str,
    },
    Caldav {
        url: &'a str,
        username: &'a str,
        password: &'a str,
    },
}

/// What a fetch found.
#[derive(Debug)]
pub enum Fetched {
    /// The calendar is as last read (`304`, or the same change tag): the stored busy time stays.
    Unchanged,
    /// Its iCalendar text, and the validator to send next time.
    Calendar {
        text: String,
        validator: Option<String>,
    },
}

/// Fetches `source`; `validator` is the last read's (ETag or change tag), `None` to read afresh.
/// CalDAV asks for the events overlapping `[from, to)`.
pub async fn fetch(
    client: &reqwest::Client,
    source: &Source<'_>,
    validator: Option<&str>,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
) -> Result<Fetched, String> {
    match *source {
        Source::Ics { url } => fetch_ics(client, url, validator).await,
        Source::Caldav {
            url,
            username,
            password,
        } => {
            let auth = (username, password);
            let tag = change_tag(client, url, auth).await?;
            if tag.is_some() && tag.as_deref() == validator {
                return Ok(Fetched::Unchanged);
            }
            let body = caldav::events_query(from, to);
            let answer = dav(client, "REPORT", url, auth, "1", body).await?;
            let events = caldav::calendar_data(&answer)?;
            Ok(Fetched::Calendar {
                text: events.join("\r\n"),
                validator: tag,
            })
        }
    }
}

async fn fetch_ics(
    client: &reqwest::Client,
    url: &str,
    validator: Option<&str>,
) -> Result<Fetched, String> {
    let mut request = client
        .get(url)
        .header(reqwest::header::ACCEPT, "text/calendar");
    if let Some(etag) = validator {
        request = request.header(IF_NONE_MATCH, etag);
    }
    let response = request.send().await.map_err(describe)?;
    if response.status() == StatusCode::NOT_MODIFIED {
        return Ok(Fetched::Unchanged);
    }
    let response = expect(response, &[StatusCode::OK])?;
    let etag = response
        .headers()
        .get(ETAG)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    Ok(Fetched::Calendar {
        text: body(response).await?,
        validator: etag,
    })
}

async fn change_tag(
    client: &reqwest::Client,
    url: &str,
    auth: (&str, &str),
) -> Result<Option<String>, String> {
    let answer = dav(
        client,
        "PROPFIND",
        url,
        auth,
        "0",
        caldav::CTAG_QUERY.to_owned(),
    )
    .await?;
    caldav::change_tag(&answer)
}

async fn dav(
    client: &reqwest::Client,
    method: &str,
    url: &str,
    (username, password): (&str, &str),
    depth: &str,
    xml: String,
) -> Result<String, String> {
    let method = Method::from_bytes(method.as_bytes()).map_err(|e| e.to_string())?;
    let response = client
        .request(method, url)
        .basic_auth(username, Some(password))
        .header("Depth", depth)
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/xml; charset=utf-8",
        )
        .body(xml)
        .send()
        .await
        .map_err(describe)?;
    body(expect(response, &[StatusCode::MULTI_STATUS])?).await
}

/// The answer when its status is one of `wanted`, else what went wrong, worded for the status.
fn expect(response: reqwest::Response, wanted: &[StatusCode]) -> Result<reqwest::Response, String> {
    let status = response.status();
    if wanted.contains(&status) {
        return Ok(response);
    }
    Err(match status {
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => format!(
            "the calendar server refused the credentials ({status}): check the username and \
             (app) password"
        ),
        StatusCode::NOT_FOUND => format!("no calendar at this address ({status})"),
        s if s.is_redirection() => format!(
            "the calendar server redirects ({status}{}); connect the address it redirects to",
            response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|l| l.to_str().ok())
                .map(|l| format!(" to {}", crate::redact::url(l)))
                .unwrap_or_default()
        ),
        _ => format!("the calendar server answered {status}"),
    })
}

/// The body as text, refused beyond [`MAX_BYTES`].
async fn body(mut response: reqwest::Response) -> Result<String, String> {
    let too_big = || {
        format!(
            "the calendar is larger than {} MiB",
            MAX_BYTES / (1024 * 1024)
        )
    };
    if response
        .content_length()
        .is_some_and(|n| n > MAX_BYTES as u64)
    {
        return Err(too_big());
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(describe)? {
        bytes.extend_from_slice(&chunk);
        if bytes.len() > MAX_BYTES {
            return Err(too_big());
        }
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// A transport error in words, without the URL (it may carry a secret address).
fn describe(error: reqwest::Error) -> String {
    let error = error.without_url();
    if error.is_timeout() {
        return "the calendar server did not answer in time".to_owned();
    }
    if error.is_connect() {
        return format!(
            "cannot connect to the calendar server: {}",
            root_cause(&error)
        );
    }
    format!("fetching the calendar failed: {}", root_cause(&error))
}

fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}
