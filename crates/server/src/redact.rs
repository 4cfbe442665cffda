//! Secrets kept out of `{:?}`: configuration is logged at start-up and in errors, and its passwords
//! and URL credentials must print as [`HIDDEN`] while the rest (hosts, timings) stays readable.

/// What a secret prints as.
pub const HIDDEN: &str = "***";

/// `url` with its userinfo (`user:pass@`) replaced by [`HIDDEN`]. Text only, no URL parsing, so a
/// malformed URL (which start-up refuses later) is still redacted.
pub fn url(url: &str) -> String {
    let authority_start = url.find("://").map_or(0, |i| i + 3);
    let rest = &url[authority_start..];
    let authority_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_len].rfind('@') {
        Some(at) => format!("{}{HIDDEN}{}", &url[..authority_start], &rest[at..]),
        None => url.to_owned(),
    }
}

/// A present secret as [`HIDDEN`], an absent one as `None`.
pub fn secret<T>(secret: &Option<T>) -> Option<&'static str> {
    secret.as_ref().map(|_| HIDDEN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_userinfo_is_hidden_and_the_host_kept() {
        assert_eq!(
            url("smtp://user:p%40ss@mail.example:587?tls=required"),
            "smtp://***@mail.example:587?tls=required"
        );
        assert_eq!(
            url("https://AC1:tok@sms.example/a@b"),
            "https://***@sms.example/a@b"
        );
        assert_eq!(
            url("https://sms.example/m?x=a@b"),
            "https://sms.example/m?x=a@b"
        );
        assert_eq!(url("user:pw@host"), "***@host");
        assert_eq!(url("smtps://mail.example"), "smtps://mail.example");
    }

    #[test]
    fn configuration_debug_shows_hosts_but_no_secret() {
        let sms = crate::notify::sms::Settings {
            url: Some("https://AC1:urltoken@sms.example/m".to_owned()),
            user: Some("AC2".to_owned()),
            password: Some("flagtoken".to_owned()),
            from: "+15005550006".to_owned(),
            ..Default::default()
        };
        let config = crate::Config {
            email: crate::notify::Settings {
                smtp_url: Some("smtp://mailer:smtppass@mail.example:587".to_owned()),
                ..Default::default()
            },
            sms: sms.clone(),
            secret_key: Some("c0ffee00".repeat(8).parse().unwrap()),
            ..Default::default()
        };
        let gateway = crate::notify::sms::gateway::Gateway::from_settings(&sms)
            .unwrap()
            .unwrap();
        let printed = [
            format!("{config:?}"),
            format!("{:?}", config.email),
            format!("{sms:?}"),
            format!("{gateway:?}"),
        ];
        for text in &printed {
            for secret in [
                "urltoken",
                "flagtoken",
                "smtppass",
                "c0ffee",
                "192, 255, 238",
            ] {
                assert!(!text.contains(secret), "{secret} in {text}");
            }
        }
        assert!(printed[0].contains("mail.example:587") && printed[0].contains("sms.example"));
        assert!(
            printed[1].contains("smtp://***@mail.example:587"),
            "{}",
            printed[1]
        );
        assert!(
            printed[2].contains("https://***@sms.example/m"),
            "{}",
            printed[2]
        );
        assert!(
            printed[3].contains("sms.example") && printed[3].contains("AC2"),
            "{}",
            printed[3]
        );
    }
}
