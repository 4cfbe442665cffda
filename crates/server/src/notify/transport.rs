//! Where emails leave: an SMTP server through lettre (`smtp://`, `smtps://`, STARTTLS with
//! `?tls=required`), or, with none configured, `.eml` files in a directory (the embedded default,
//! which the demo's mailbox page reads).

use std::path::{Path, PathBuf};
use std::time::Duration;

use lettre::address::Envelope;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

/// How an attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    /// Worth trying again later: the server said 4xx, or could not be reached.
    Retry {
        code: Option<u16>,
        error: String,
    },
    /// Worth trying again, not before `after` (the receiver's `Retry-After`), nor before the
    /// backoff.
    RetryAfter {
        code: Option<u16>,
        error: String,
        after: Duration,
    },
    /// Trying again would not help: the server said 5xx, or the message is unsendable.
    Final {
        code: Option<u16>,
        error: String,
    },
    /// Not sent, and nothing to send: finished as `skipped`, saying why (not counted as an
    /// attempt).
    Skipped {
        reason: String,
    },
}

/// The configured way out.
#[derive(Clone)]
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Transport::Smtp(_) => f.write_str("Transport::Smtp"),
            Transport::Files(dir) => write!(f, "Transport::Files({})", dir.display()),
        }
    }
}

/// Checks an SMTP URL the way `--smtp-url` takes it (the error says what is wrong, without the
/// password).
pub fn smtp(url: &str, timeout: Duration) -> Result<Transport, String> {
    smtp_trusting(url, timeout, None)
}

/// [`smtp`], the server's certificate also trusted when it chains to a CA of `ca_pem`
/// (`--smtp-ca-file`), which needs TLS (`smtps://` or `?tls=required|opportunistic`).
pub fn smtp_trusting(
    url: &str,
    timeout: Duration,
    ca_pem: Option<&[u8]>,
) -> Result<Transport, String> {
    use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url).map_err(|e| {
        format!("--smtp-url must look like smtp://user:pass@host:port or smtps://…: {e}")
    })?;
    if let Some(pem) = ca_pem {
        // from_url chose the TLS mode with the public roots only; the same mode, with the CA too.
        let parsed = reqwest::Url::parse(url).map_err(|e| format!("--smtp-url: {e}"))?;
        let host = parsed.host_str().unwrap_or_default().to_owned();
        let tls = parsed
            .query_pairs()
            .find(|(k, _)| k == "tls")
            .map(|(_, v)| v.into_owned());
        // lettre's from_url maps the scheme and `tls=` the same way.
        let mode: fn(TlsParameters) -> Tls = match (parsed.scheme(), tls.as_deref()) {
            ("smtps", _) => Tls::Wrapper,
            (_, Some("required")) => Tls::Required,
            (_, Some("opportunistic")) => Tls::Opportunistic,
            _ => {
                return Err("--smtp-ca-file needs TLS: an smtps:// URL or ?tls=required".to_owned())
            }
        };
        // lettre reads an empty file, a DER file or a key as "no certificate", without an error:
        // the flag would then do nothing, and every email fail on the certificate for a day.
        if !String::from_utf8_lossy(pem).contains("-----BEGIN CERTIFICATE-----") {
            return Err(
                "--smtp-ca-file holds no PEM certificate (-----BEGIN CERTIFICATE-----)".into(),
            );
        }
        let ca = Certificate::from_pem(pem)
            .map_err(|e| format!("--smtp-ca-file is not a PEM certificate: {e}"))?;
        let parameters = TlsParameters::builder(host)
            .add_root_certificate(ca)
            .build_rustls()
            .map_err(|e| format!("--smtp-ca-file: {e}"))?;
        builder = builder.tls(mode(parameters));
    }
    Ok(Transport::Smtp(builder.timeout(Some(timeout)).build()))
}

impl Transport {
    /// SMTP when a URL is configured, else files in `mail_dir`; `None` when neither is.
    pub fn from_settings(settings: &super::Settings) -> Result<Option<Transport>, String> {
        match (&settings.smtp_url, &settings.mail_dir) {
            (Some(url), _) => {
                let ca = match &settings.smtp_ca_file {
                    Some(path) => Some(
                        std::fs::read(path)
                            .map_err(|e| format!("--smtp-ca-file {}: {e}", path.display()))?,
                    ),
                    None => None,
                };
                smtp_trusting(url, settings.timing.timeout, ca.as_deref()).map(Some)
            }
            // A CA for no SMTP server is a mistake in the settings, not something to ignore.
            (None, _) if settings.smtp_ca_file.is_some() => {
                Err("--smtp-ca-file needs --smtp-url (an smtps:// URL or ?tls=required)".into())
            }
            (None, Some(dir)) => Ok(Some(Transport::Files(dir.clone()))),
            (None, None) => Ok(None),
        }
    }

    /// Sends the message `raw` of outbox row `id`.
    pub async fn send(&self, id: &str, envelope: &Envelope, raw: &[u8]) -> Outcome {
        match self {
            Transport::Smtp(smtp) => match smtp.send_raw(envelope, raw).await {
                Ok(_) => Outcome::Sent,
                Err(e) => classify(&e),
            },
            Transport::Files(dir) => match write_file(dir, id, raw).await {
                Ok(()) => Outcome::Sent,
                Err(e) => Outcome::Retry {
                    code: None,
                    error: format!("could not write {}: {e}", dir.display()),
                },
            },
        }
    }
}

/// 5xx is final (the address is refused, the message rejected); 4xx, timeouts and network failures
/// pass.
fn classify(e: &lettre::transport::smtp::Error) -> Outcome {
    let code = e.status().map(u16::from);
    let error = format!("SMTP: {e}");
    match e.is_permanent() || e.is_client() {
        true => Outcome::Final { code, error },
        false => Outcome::Retry { code, error },
    }
}

/// `dir/<id>.eml`, written whole (a temporary file renamed) so a reader never sees half a message;
/// writing the same id again replaces it with the same bytes.
async fn write_file(dir: &Path, id: &str, raw: &[u8]) -> std::io::Result<()> {
    tokio::fs::create_dir_all(dir).await?;
    let partial = dir.join(format!(".{id}.eml.partial"));
    tokio::fs::write(&partial, raw).await?;
    tokio::fs::rename(&partial, dir.join(format!("{id}.eml"))).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(url: &str, pem: &[u8]) -> String {
        match smtp_trusting(url, Duration::from_secs(5), Some(pem)) {
            Ok(_) => panic!("{url} with {:?} accepted", String::from_utf8_lossy(pem)),
            Err(e) => e,
        }
    }

    #[test]
    fn a_ca_file_without_a_certificate_or_without_tls_is_refused_at_start() {
        for pem in [
            &b""[..],
            b"not a certificate",
            b"-----BEGIN PRIVATE KEY-----\nAAAA\n",
        ] {
            let error = refused("smtps://mail.example.com:465", pem);
            assert!(error.contains("no PEM certificate"), "{error}");
        }
        let error = refused(
            "smtp://mail.example.com:25",
            b"-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n",
        );
        assert!(error.contains("needs TLS"), "{error}");
    }

    #[test]
    fn a_ca_file_without_an_smtp_url_is_refused_not_ignored() {
        let settings = super::super::Settings {
            smtp_ca_file: Some("/etc/ssl/certs/private-ca.pem".into()),
            mail_dir: Some("/tmp/mail".into()),
            ..Default::default()
        };
        let error = Transport::from_settings(&settings).expect_err("refused");
        assert!(error.contains("needs --smtp-url"), "{error}");
    }
}
