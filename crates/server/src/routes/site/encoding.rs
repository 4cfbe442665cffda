//! Content codings of static files: which one a request accepts, and making them.

use std::io::Write;

/// A content coding we can send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coding {
    Br,
    Gzip,
    Identity,
}

impl Coding {
    /// The `Content-Encoding` value (none for identity).
    pub fn header(self) -> Option<&'static str> {
        match self {
            Coding::Br => Some("br"),
            Coding::Gzip => Some("gzip"),
            Coding::Identity => None,
        }
    }

    /// Appended to the content's hash in the ETag: each coding is its own representation, and a
    /// strong validator must tell representations apart.
    pub fn etag_suffix(self) -> &'static str {
        match self {
            Coding::Br => "-br",
            Coding::Gzip => "-gzip",
            Coding::Identity => "",
        }
    }
}

/// The coding to send for an `Accept-Encoding` value, among those available: the highest `q`, ties
/// going to br, then gzip, then identity. No header means identity (a client that says nothing may
/// not decode anything); `q=0` excludes, `*` covers what is not named. When nothing acceptable is
/// available, identity anyway (RFC 9110 §12.5.3 allows ignoring the header then).
pub fn negotiate(accept: Option<&str>, br: bool, gzip: bool) -> Coding {
    let Some(accept) = accept else {
        return Coding::Identity;
    };
    let (mut q_br, mut q_gzip, mut q_identity, mut q_any) = (None, None, None, None);
    for item in accept.split(',') {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let q = parts
            .filter_map(|p| p.split_once('='))
            .find(|(key, _)| key.trim().eq_ignore_ascii_case("q"))
            // An unreadable weight excludes rather than guesses.
            .map_or(1.0, |(_, v)| v.trim().parse::<f32>().unwrap_or(0.0));
        match name.as_str() {
            "br" => q_br = Some(q),
            "gzip" | "x-gzip" => q_gzip = Some(q),
            "identity" => q_identity = Some(q),
            "*" => q_any = Some(q),
            _ => {}
        }
    }
    let weight = |named: Option<f32>, available: bool, default: f32| {
        if available {
            named.or(q_any).unwrap_or(default)
        } else {
            0.0
        }
    };
    let candidates = [
        (Coding::Br, weight(q_br, br, 0.0)),
        (Coding::Gzip, weight(q_gzip, gzip, 0.0)),
        // Identity is acceptable unless excluded by name or by `*;q=0`; not named, it comes last.
        (
            Coding::Identity,
            weight(q_identity, true, f32::MIN_POSITIVE),
        ),
    ];
    let mut best = (Coding::Identity, 0.0);
    for (coding, q) in candidates {
        if q > best.1 {
            best = (coding, q);
        }
    }
    best.0
}

/// Whether an `If-None-Match` value matches `etag` (quoted), by weak comparison (RFC 9110 §13.1.2).
pub fn none_match(header: &str, etag: &str) -> bool {
    header
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
}

/// Whether a file is worth compressing, by its name: text and wasm yes; images and fonts are already
/// compressed.
pub fn compressible(name: &str) -> bool {
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or_default();
    matches!(
        ext,
        "html" | "js" | "mjs" | "css" | "wasm" | "json" | "map" | "svg" | "txt" | "ts" | "xml"
    )
}

/// Brotli at its best quality (11) with a 4 MiB window (every widget file fits in it).
pub fn brotli(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 64 * 1024, 11, 22);
        writer.write_all(bytes)?;
        writer.flush()?;
    }
    Ok(out)
}

/// Brotli at quality 5: for a page rendered per request, where quality 11 would cost its time on
/// every answer.
pub fn brotli_fast(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 64 * 1024, 5, 22);
        writer.write_all(bytes)?;
        writer.flush()?;
    }
    Ok(out)
}

/// gzip at the default level (6), for a page rendered per request.
pub fn gzip_fast(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes)?;
    encoder.finish()
}

/// gzip at level 9.
pub fn gzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    encoder.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHROME: &str = "gzip, deflate, br, zstd";

    #[test]
    fn browsers_get_brotli_and_without_it_gzip() {
        assert_eq!(negotiate(Some(CHROME), true, true), Coding::Br);
        assert_eq!(negotiate(Some(CHROME), false, true), Coding::Gzip);
        assert_eq!(negotiate(Some("gzip"), true, true), Coding::Gzip);
        assert_eq!(negotiate(Some(CHROME), false, false), Coding::Identity);
    }

    #[test]
    fn no_header_means_identity() {
        assert_eq!(negotiate(None, true, true), Coding::Identity);
        assert_eq!(negotiate(Some(""), true, true), Coding::Identity);
    }

    #[test]
    fn q_zero_excludes_and_weights_order() {
        assert_eq!(negotiate(Some("br;q=0, gzip"), true, true), Coding::Gzip);
        assert_eq!(
            negotiate(Some("br;q=0.0, gzip;q=0"), true, true),
            Coding::Identity
        );
        assert_eq!(negotiate(Some("br;q=0.5, gzip"), true, true), Coding::Gzip);
        assert_eq!(negotiate(Some("br;q=0.5"), true, true), Coding::Br);
        assert_eq!(
            negotiate(Some("br;q=0.5, identity"), true, true),
            Coding::Identity
        );
        assert_eq!(negotiate(Some("*"), true, true), Coding::Br);
        assert_eq!(negotiate(Some("*;q=0, gzip"), true, true), Coding::Gzip);
        assert_eq!(negotiate(Some("BR ; Q=1"), true, true), Coding::Br);
        assert_eq!(
            negotiate(Some("br;q=nonsense, gzip"), true, true),
            Coding::Gzip
        );
        // Identity excluded and nothing else on offer: identity all the same.
        assert_eq!(
            negotiate(Some("identity;q=0"), false, false),
            Coding::Identity
        );
        assert_eq!(
            negotiate(Some("identity;q=0, *;q=0"), true, true),
            Coding::Identity
        );
    }

    #[test]
    fn if_none_match_uses_weak_comparison() {
        assert!(none_match("\"abc\"", "\"abc\""));
        assert!(none_match("W/\"abc\"", "\"abc\""));
        assert!(none_match("\"x\", \"abc\"", "\"abc\""));
        assert!(none_match("*", "\"abc\""));
        assert!(!none_match("\"abc-br\"", "\"abc\""));
        assert!(!none_match("", "\"abc\""));
    }
}
