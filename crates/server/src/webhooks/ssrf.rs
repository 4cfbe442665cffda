//! The guard that keeps watches from making the server call its own network (SSRF): only `http` and
//! `https` URLs, and — unless the server runs with `--allow-private-webhooks` — only hosts whose
//! every address is public. Checked when a watch is saved, again before each delivery, and a third
//! time by the client's DNS resolver ([`PublicOnlyResolver`]) at connection time, so a name that
//! re-resolves to a private address between the check and the connection (DNS rebinding) is still
//! refused. Redirects are not followed, so they can't lead there either.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::Url;

/// Why an address is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    #[error("must be an absolute http:// or https:// URL ({0})")]
    Syntax(String),
    #[error("must not carry credentials in the URL; use basicAuth")]
    Credentials,
    #[error("cannot resolve host {0}")]
    Unresolvable(String),
    #[error(
        "{host} resolves to {ip}, a loopback, private or reserved address; webhooks only go to \
         public addresses (unless the server runs with --allow-private-webhooks)"
    )]
    Private { host: String, ip: IpAddr },
}

/// Parses and checks a destination URL; resolves its host when private addresses are not allowed.
pub async fn check_url(text: &str, allow_private: bool) -> Result<Url, AddressError> {
    let url = Url::parse(text.trim()).map_err(|e| AddressError::Syntax(e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(AddressError::Syntax(format!(
            "scheme {:?} is not allowed",
            url.scheme()
        )));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(AddressError::Credentials);
    }
    let host = url
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| AddressError::Syntax("no host".to_owned()))?
        .to_owned();
    if allow_private {
        return Ok(url);
    }
    let port = url.port_or_known_default().unwrap_or(80);
    let literal = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>();
    let ips: Vec<IpAddr> = match literal {
        Ok(ip) => vec![ip],
        Err(_) => tokio::net::lookup_host((host.as_str(), port))
            .await
            .map_err(|_| AddressError::Unresolvable(host.clone()))?
            .map(|a| a.ip())
            .collect(),
    };
    if ips.is_empty() {
        return Err(AddressError::Unresolvable(host));
    }
    match ips.into_iter().find(|ip| !is_public(*ip)) {
        Some(ip) => Err(AddressError::Private { host, ip }),
        None => Ok(url),
    }
}

/// Whether an address is routable on the public internet (not loopback, private, link-local,
/// shared, multicast, documentation or otherwise reserved).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240) // reserved
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    let segments = ip.segments();
    // NAT64 (64:ff9b::/96) reaches the embedded IPv4 address.
    if segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        let [a, b] = segments[6].to_be_bytes();
        let [c, d] = segments[7].to_be_bytes();
        return is_public_v4(Ipv4Addr::new(a, b, c, d));
    }
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (segments[0] & 0xfe00) == 0xfc00 // unique local
        || (segments[0] & 0xffc0) == 0xfe80 // link-local
        || (segments[0] & 0xffc0) == 0xfec0 // site-local (deprecated)
        || (segments[0] == 0x2001 && segments[1] == 0x0db8) // documentation
        || segments[..6] == [0, 0, 0, 0, 0, 0]) // IPv4-compatible (deprecated)
}

/// The delivery client's DNS resolver when private addresses are not allowed: resolves with the
/// system resolver and keeps only public addresses, failing when none is left.
#[derive(Debug, Default)]
pub struct PublicOnlyResolver;

impl Resolve for PublicOnlyResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let public: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|a| is_public(a.ip()))
                .collect();
            if public.is_empty() {
                return Err(format!("{host} has no public address").into());
            }
            Ok(Box::new(public.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_reserved_ranges_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "::1",
            "::",
            "fc00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
            "2001:db8::1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "93.184.216.34",
            "1.1.1.1",
            "2606:4700:4700::1111",
            "::ffff:8.8.8.8",
        ] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[tokio::test]
    async fn urls_are_checked() {
        assert!(matches!(
            check_url("ftp://example.com/x", true).await,
            Err(AddressError::Syntax(_))
        ));
        assert!(matches!(
            check_url("not a url", true).await,
            Err(AddressError::Syntax(_))
        ));
        assert_eq!(
            check_url("http://u:p@example.com/", true).await,
            Err(AddressError::Credentials)
        );
        for private in [
            "http://127.0.0.1:9/hook",
            "http://localhost/hook",
            "http://[::1]/",
            "https://10.0.0.5/",
            "http://169.254.169.254/latest/meta-data",
        ] {
            assert!(
                matches!(
                    check_url(private, false).await,
                    Err(AddressError::Private { .. })
                ),
                "{private}"
            );
            assert!(check_url(private, true).await.is_ok(), "{private}");
        }
        assert!(check_url("https://93.184.216.34/hook", false).await.is_ok());
    }
}
