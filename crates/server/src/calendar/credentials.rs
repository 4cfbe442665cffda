//! The server's secret key (`--secret-key`, `BOOKING_SECRET_KEY`) and the CalDAV passwords sealed
//! with it. XChaCha20-Poly1305 with a random 192-bit nonce per seal; the connection's company and
//! id are the associated data, so a sealed password copied onto another row does not open.
//! Stored as `v1.` + base64url(nonce ‖ ciphertext ‖ tag).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};

/// The environment variable `--secret-key` reads.
pub const SECRET_KEY_ENV: &str = "BOOKING_SECRET_KEY";

const VERSION: &str = "v1.";
const NONCE_LEN: usize = 24;

/// 32 bytes that seal credentials at rest. Prints as `***`.
#[derive(Clone)]
pub struct SecretKey([u8; 32]);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(crate::redact::HIDDEN)
    }
}

impl std::str::FromStr for SecretKey {
    type Err = String;

    /// 32 bytes as 64 hex digits or as base64 (standard or URL-safe, padded or not).
    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let bytes = match text.len() == 64 && text.chars().all(|c| c.is_ascii_hexdigit()) {
            true => (0..32)
                .map(|i| u8::from_str_radix(&text[2 * i..2 * i + 2], 16))
                .collect::<Result<Vec<u8>, _>>()
                .map_err(|e| e.to_string())?,
            false => {
                let unpadded = text
                    .trim_end_matches('=')
                    .replace('+', "-")
                    .replace('/', "_");
                URL_SAFE_NO_PAD.decode(unpadded).map_err(|_| {
                    "the secret key must be 32 bytes as 64 hex digits or as base64 \
                     (e.g. `openssl rand -base64 32`)"
                        .to_owned()
                })?
            }
        };
        let key: [u8; 32] = bytes.try_into().map_err(|b: Vec<u8>| {
            format!(
                "the secret key must be 32 bytes (got {}); make one with `openssl rand -base64 32`",
                b.len()
            )
        })?;
        Ok(SecretKey(key))
    }
}

/// Why a sealed value did not open.
#[derive(Debug, thiserror::Error)]
#[error("the stored credentials do not open with this server's secret key (was it changed?)")]
pub struct OpenError;

impl SecretKey {
    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(Key::from_slice(&self.0))
    }

    /// `secret` sealed for the record `context` names.
    pub fn seal(&self, context: &str, secret: &str) -> String {
        let nonce: [u8; NONCE_LEN] = rand::random();
        let payload = Payload {
            msg: secret.as_bytes(),
            aad: context.as_bytes(),
        };
        // Encryption only fails for messages beyond the cipher's limit (256 GiB).
        let sealed = self
            .cipher()
            .encrypt(XNonce::from_slice(&nonce), payload)
            .unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend(sealed);
        format!("{VERSION}{}", URL_SAFE_NO_PAD.encode(out))
    }

    /// The secret [`seal`](Self::seal) sealed for `context`.
    pub fn open(&self, context: &str, sealed: &str) -> Result<String, OpenError> {
        let bytes = sealed
            .strip_prefix(VERSION)
            .and_then(|b| URL_SAFE_NO_PAD.decode(b).ok())
            .filter(|b| b.len() > NONCE_LEN)
            .ok_or(OpenError)?;
        let (nonce, message) = bytes.split_at(NONCE_LEN);
        let payload = Payload {
            msg: message,
            aad: context.as_bytes(),
        };
        let plain = self
            .cipher()
            .decrypt(XNonce::from_slice(nonce), payload)
            .map_err(|_| OpenError)?;
        String::from_utf8(plain).map_err(|_| OpenError)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX: &str = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    #[test]
    fn keys_read_as_hex_or_base64_of_32_bytes() {
        let hex: SecretKey = HEX.parse().expect("hex");
        let b64: SecretKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
            .parse()
            .expect("base64");
        assert_eq!(hex.0, b64.0);
        assert!("AAEC"
            .parse::<SecretKey>()
            .unwrap_err()
            .contains("32 bytes"));
        assert!("not a key!".parse::<SecretKey>().is_err());
        assert_eq!(format!("{hex:?}"), "***");
    }

    #[test]
    fn a_sealed_password_opens_only_for_its_record_and_key() {
        let key: SecretKey = HEX.parse().expect("key");
        let sealed = key.seal("demo/c1", "hunter2");
        assert!(!sealed.contains("hunter2"));
        assert_ne!(
            sealed,
            key.seal("demo/c1", "hunter2"),
            "a fresh nonce each time"
        );
        assert_eq!(key.open("demo/c1", &sealed).expect("opens"), "hunter2");
        assert!(key.open("demo/c2", &sealed).is_err(), "bound to its record");
        let other: SecretKey = HEX.replace("00", "ff").parse().expect("key");
        assert!(other.open("demo/c1", &sealed).is_err(), "bound to its key");
        assert!(key.open("demo/c1", "v1.AAAA").is_err());
    }
}
