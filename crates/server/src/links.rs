//! Where links in answers and notifications point (`rescheduleLink`).
//!
//! The origin is, in order: `--public-url`; with `--trust-forwarded-headers`, the request's
//! `X-Forwarded-Proto` / `X-Forwarded-Host` (else `Host`) as a reverse proxy sets them; else the
//! address the server listens on, when it names one host (not `0.0.0.0` / `::`). Otherwise no link
//! is built. Request headers are never trusted by default: anyone can send `Host`, and a link built
//! from it would send a visitor to the sender's site.

use std::net::SocketAddr;

use axum::http::{header, HeaderMap};
use booking_model::RescheduleLink;
use chrono::{DateTime, Utc};

use crate::db::appointments::StoredAppointment;
use crate::Config;

/// The origin (`scheme://host[:port]`, no trailing `/`) for links in an answer to a request with
/// `headers`, or in a notification (`None`: no request). `None` when no trusted origin is known.
pub fn origin(config: &Config, headers: Option<&HeaderMap>) -> Option<String> {
    if let Some(url) = &config.public_url {
        return Some(url.trim_end_matches('/').to_owned());
    }
    if config.trust_forwarded_headers {
        if let Some(origin) = headers.and_then(forwarded_origin) {
            return Some(origin);
        }
    }
    config.listen_addr.and_then(listen_origin)
}

/// `http://ADDR` for a listen address naming one host.
fn listen_origin(addr: SocketAddr) -> Option<String> {
    (!addr.ip().is_unspecified()).then(|| format!("http://{addr}"))
}

/// The origin a reverse proxy reports. The first value of each header counts (proxies append), and a
/// host must look like one (`name[:port]` or `[v6]:port`), so a header can't smuggle a path in.
fn forwarded_origin(headers: &HeaderMap) -> Option<String> {
    let first = |name: &str| {
        headers
            .get(name)
            .and_then(|h| h.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    let scheme = match first("x-forwarded-proto").map(str::to_ascii_lowercase) {
        None => "http".to_owned(),
        Some(s) if s == "http" || s == "https" => s,
        Some(_) => return None,
    };
    let host = first("x-forwarded-host").or_else(|| first(header::HOST.as_str()))?;
    let host_like = host
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c));
    host_like.then(|| format!("{scheme}://{host}"))
}

/// The link to the widget's reschedule page: only while the appointment's end is ahead and it still
/// holds its slot (not cancelled, declined or deleted), and only with a trusted `origin`.
pub fn reschedule_link(
    stored: &StoredAppointment,
    origin: Option<&str>,
    now: DateTime<Utc>,
) -> Option<RescheduleLink> {
    let origin = origin?;
    let active = stored.appointment.effective_status().blocks_slot() && !stored.deleted;
    (stored.end > now && active).then(|| RescheduleLink {
        url: Some(format!(
            "{origin}/widget/?company={}&appointment={}&action=reschedule",
            stored.company_id,
            stored
                .appointment
                .encrypted_id
                .as_deref()
                .unwrap_or_default()
        )),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn headers_count_only_when_trusted() {
        let planted = headers(&[("host", "evil.example"), ("x-forwarded-proto", "https")]);
        let listen: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        let mut config = Config {
            listen_addr: Some(listen),
            ..Config::default()
        };
        assert_eq!(
            origin(&config, Some(&planted)).as_deref(),
            Some("http://127.0.0.1:8080")
        );
        config.trust_forwarded_headers = true;
        assert_eq!(
            origin(&config, Some(&planted)).as_deref(),
            Some("https://evil.example")
        );
        let proxied = headers(&[
            ("host", "10.0.0.2:8080"),
            ("x-forwarded-host", "book.example.com, proxy.internal"),
            ("x-forwarded-proto", "https"),
        ]);
        assert_eq!(
            origin(&config, Some(&proxied)).as_deref(),
            Some("https://book.example.com")
        );
        let smuggled = headers(&[("x-forwarded-host", "evil.example/path?")]);
        assert_eq!(
            origin(&config, Some(&smuggled)).as_deref(),
            Some("http://127.0.0.1:8080"),
            "not a host: the listen address"
        );
        config.public_url = Some("https://book.example.com/".into());
        assert_eq!(
            origin(&config, Some(&planted)).as_deref(),
            Some("https://book.example.com")
        );
    }

    #[test]
    fn an_unspecified_listen_address_builds_no_link() {
        let config = Config {
            listen_addr: Some("0.0.0.0:8080".parse().unwrap()),
            ..Config::default()
        };
        let planted = headers(&[("host", "evil.example")]);
        assert_eq!(origin(&config, Some(&planted)), None);
        assert_eq!(origin(&Config::default(), None), None);
    }
}
