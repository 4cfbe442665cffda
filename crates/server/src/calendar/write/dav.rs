//! The requests of a calendar write (RFC 4791 §5.3.2, RFC 7232): `PUT` of one event resource with
//! `If-None-Match: *` (create, never overwrite something else) or `If-Match: <etag>` (replace our
//! own last version), `DELETE` with `If-Match`, and `GET` for the current ETag when a
//! precondition failed. No database here.

use reqwest::header::{CONTENT_TYPE, ETAG, IF_MATCH, IF_NONE_MATCH};
use reqwest::{Method, StatusCode};

use crate::notify::transport::Outcome;

/// Where and as whom.
pub struct Target<'a> {
    pub client: &'a reqwest::Client,
    pub username: &'a str,
    pub password: &'a str,
}

/// The precondition of a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precondition<'a> {
    /// Create only: `If-None-Match: *`.
    Absent,
    /// Replace or remove exactly this version: `If-Match`.
    Version(&'a str),
    /// Whatever is there (the server gave no ETag to compare).
    Any,
}

/// What a request found.
#[derive(Debug)]
pub enum Answer {
    /// Done; the ETag of the new version when the server told it.
    Done { etag: Option<String> },
    /// `412`: the resource is not in the state the precondition says.
    Changed,
    /// `404` / `410`: no resource at that href.
    Missing,
    /// Anything else: the attempt's outcome.
    Failed(Outcome),
}

/// The response's strong ETag. A weak one (`W/"…"`) never matches an `If-Match`, which compares
/// strongly (RFC 9110, 13.1.1): kept, every later update would be a 412 until the retry window ends.
fn etag_of(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get(ETAG)
        .and_then(|v| v.to_str().ok())
        .filter(|tag| !tag.starts_with("W/"))
        .map(str::to_owned)
}

fn with_precondition(
    request: reqwest::RequestBuilder,
    precondition: Precondition<'_>,
) -> reqwest::RequestBuilder {
    match precondition {
        Precondition::Absent => request.header(IF_NONE_MATCH, "*"),
        Precondition::Version(etag) => request.header(IF_MATCH, etag),
        Precondition::Any => request,
    }
}

/// `PUT` `ics` at `href`.
pub async fn put(
    target: &Target<'_>,
    href: &str,
    ics: &str,
    precondition: Precondition<'_>,
) -> Answer {
    let request = target
        .client
        .put(href)
        .basic_auth(target.username, Some(target.password))
        .header(CONTENT_TYPE, "text/calendar; charset=utf-8")
        .body(ics.to_owned());
    answer(with_precondition(request, precondition).send().await).await
}

/// `DELETE` `href`.
pub async fn delete(target: &Target<'_>, href: &str, precondition: Precondition<'_>) -> Answer {
    let request = target
        .client
        .delete(href)
        .basic_auth(target.username, Some(target.password));
    answer(with_precondition(request, precondition).send().await).await
}

/// The current ETag of `href` (`HEAD` is not required of CalDAV servers: `GET`).
pub async fn current(target: &Target<'_>, href: &str) -> Answer {
    let request = target
        .client
        .request(Method::GET, href)
        .basic_auth(target.username, Some(target.password));
    answer(request.send().await).await
}

async fn answer(sent: reqwest::Result<reqwest::Response>) -> Answer {
    let response = match sent {
        Ok(response) => response,
        Err(e) => {
            return Answer::Failed(Outcome::Retry {
                code: None,
                error: describe(e),
            })
        }
    };
    let status = response.status();
    let code = Some(status.as_u16());
    match status {
        s if s.is_success() => Answer::Done {
            etag: etag_of(&response),
        },
        StatusCode::PRECONDITION_FAILED => Answer::Changed,
        StatusCode::NOT_FOUND | StatusCode::GONE => Answer::Missing,
        // Final: retrying refused credentials for days can lock the account at the provider.
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => Answer::Failed(Outcome::Final {
            code,
            error: format!(
                "the calendar server refused the credentials ({status}): check the username and \
                 (app) password, then connect the calendar again"
            ),
        }),
        // Busy, locked, rate-limited or broken for now: worth another attempt after the backoff.
        s if s.is_server_error()
            || s == StatusCode::TOO_MANY_REQUESTS
            || s == StatusCode::REQUEST_TIMEOUT
            || s == StatusCode::LOCKED =>
        {
            Answer::Failed(Outcome::Retry {
                code,
                error: format!("the calendar server answered {status}"),
            })
        }
        s if s.is_redirection() => Answer::Failed(Outcome::Final {
            code,
            error: format!(
                "the calendar server redirects ({status}); connect the address it redirects to"
            ),
        }),
        _ => Answer::Failed(Outcome::Final {
            code,
            error: format!("the calendar server refused the event ({status})"),
        }),
    }
}

/// A transport error in words, without the URL (it may carry a secret address).
fn describe(error: reqwest::Error) -> String {
    let error = error.without_url();
    if error.is_timeout() {
        return "the calendar server did not answer in time".to_owned();
    }
    let mut cause: &(dyn std::error::Error + 'static) = &error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    match error.is_connect() {
        true => format!("cannot connect to the calendar server: {cause}"),
        false => format!("writing to the calendar failed: {cause}"),
    }
}
