/// Whether `text` looks like an email address: one `@`, a non-empty local part, a domain with a dot
/// between non-empty labels, and no whitespace.
///
/// Deliberately simple: the only real proof of an address is a message reaching it.
///
/// ```
/// # use booking_model::validate::is_valid_email;
/// assert!(is_valid_email("ada@example.com"));
/// assert!(!is_valid_email("ada@localhost"));
/// ```
pub fn is_valid_email(text: &str) -> bool {
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let mut parts = text.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !local.is_empty() && domain.contains('.') && domain.split('.').all(|label| !label.is_empty())
}

/// Whether `text` is an absolute `http://` or `https://` URL with a host and no whitespace.
pub fn is_valid_url(text: &str) -> bool {
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let Some((scheme, rest)) = text.split_once("://") else {
        return false;
    };
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return false;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    // Drop credentials, then the port.
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let host = if host_port.starts_with('[') {
        // IPv6 literal: `[::1]:8080`.
        match host_port.find(']') {
            Some(end) => &host_port[..=end],
            None => return false,
        }
    } else {
        let (host, port) = host_port.split_once(':').unwrap_or((host_port, ""));
        if !port.chars().all(|c| c.is_ascii_digit()) {
            return false;
        }
        host
    };
    !host.is_empty()
        && !host.starts_with('.')
        && !host.ends_with("..")
        && host
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '_' | '[' | ']' | ':'))
}

/// Whether `name` is an IANA time zone name.
///
/// With the `tz` feature (the server) the name must be in chrono-tz's database. Without it (the
/// widget, which leaves real zone checks to the browser's `Intl`) only the syntax is checked:
/// not empty, no whitespace.
pub fn is_valid_time_zone(name: &str) -> bool {
    #[cfg(feature = "tz")]
    {
        name.parse::<chrono_tz::Tz>().is_ok()
    }
    #[cfg(not(feature = "tz"))]
    {
        !name.is_empty() && !name.chars().any(|c| c.is_whitespace() || c.is_control())
    }
}

/// The phone number `text` in E.164 form (`+` then 7 to 15 digits, the first not 0: Niue's numbers
/// have 7), with the spaces (no-break and narrow ones too, as French typography writes them), tabs,
/// dots, dashes, slashes and parentheses people write between groups taken out; else why not.
/// SMS gateways take only this form.
///
/// ```
/// # use booking_model::validate::e164;
/// assert_eq!(e164("+33 6 12-34.56 (78)").as_deref(), Ok("+33612345678"));
/// assert!(e164("06 12 34 56 78").is_err());
/// ```
pub fn e164(text: &str) -> Result<String, String> {
    const HINT: &str = "must be an international number in E.164 form, e.g. +33612345678 (a + \
         then the country code and number, 7 to 15 digits)";
    let compact: String = text
        .trim()
        .chars()
        .filter(|c| {
            !matches!(
                c,
                ' ' | '\t' | '.' | '-' | '/' | '(' | ')' | '\u{a0}' | '\u{202f}'
            )
        })
        .collect();
    let Some(digits) = compact.strip_prefix('+') else {
        return Err(format!("{HINT}; got {text:?}, which has no leading +"));
    };
    let shape = (7..=15).contains(&digits.len())
        && digits.chars().all(|c| c.is_ascii_digit())
        && !digits.starts_with('0');
    match shape {
        true => Ok(compact),
        false => Err(format!("{HINT}; got {text:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e164_numbers() {
        assert_eq!(e164("+14155550123").as_deref(), Ok("+14155550123"));
        assert_eq!(e164(" +44 (20) 7946-0958 ").as_deref(), Ok("+442079460958"));
        assert_eq!(
            e164("+683 4002").as_deref(),
            Ok("+6834002"),
            "Niue: 7 digits"
        );
        assert_eq!(
            e164("+33\u{202f}6\u{a0}12\t34/56 78").as_deref(),
            Ok("+33612345678")
        );
        for bad in [
            "0612345678",
            "+0612345678",
            "+33 6 12",
            "+683 400",
            "+3361234567890123",
            "+33a612345678",
            "",
            "+",
        ] {
            assert!(e164(bad).is_err(), "{bad}");
        }
        assert!(e164("06 12").unwrap_err().contains("E.164"));
    }

    #[test]
    fn emails() {
        for ok in ["a@b.co", "first.last+tag@mail.example.org", "é@exemple.fr"] {
            assert!(is_valid_email(ok), "{ok}");
        }
        for bad in [
            "", "a", "a@b", "@b.co", "a@.co", "a@b.", "a@b..co", "a b@c.co", "a@b@c.co", "a@b.co ",
        ] {
            assert!(!is_valid_email(bad), "{bad}");
        }
    }

    #[test]
    fn urls() {
        for ok in [
            "https://example.com",
            "http://localhost:8080/path?q=1#x",
            "HTTPS://user:pw@example.com/",
            "http://[::1]:3000/",
        ] {
            assert!(is_valid_url(ok), "{ok}");
        }
        for bad in [
            "",
            "example.com",
            "ftp://example.com",
            "https://",
            "https:///path",
            "https://exa mple.com",
            "https://example.com:80a/",
            "javascript://%0aalert(1)",
            "https://[::1",
        ] {
            assert!(!is_valid_url(bad), "{bad}");
        }
    }

    #[test]
    fn time_zones() {
        assert!(is_valid_time_zone("Europe/Paris"));
        assert!(is_valid_time_zone("UTC"));
        assert!(!is_valid_time_zone(""));
        assert!(!is_valid_time_zone("Europe/ Paris"));
        #[cfg(feature = "tz")]
        assert!(!is_valid_time_zone("Mars/Olympus_Mons"));
    }
}
