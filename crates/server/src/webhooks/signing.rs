//! Standard Webhooks signatures (<https://www.standardwebhooks.com>): each request carries
//! `webhook-id` (stable across retries), `webhook-timestamp` (Unix seconds of this attempt) and
//! `webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`, one such item per key,
//! space-separated. A key is written `whsec_<base64 of the raw key bytes>`; the HMAC uses the raw
//! bytes.
//!
//! ```
//! use booking_server::webhooks::signing::{sign, Secret};
//!
//! let secret = Secret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
//! let signature = sign(&[secret], "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, b"{\"test\": 2432232314}");
//! assert_eq!(signature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
//! ```

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

/// Prefix of a written secret.
const PREFIX: &str = "whsec_";
/// Raw key length of generated secrets (the spec asks for 24 to 64 bytes).
const KEY_BYTES: usize = 32;

/// A signing key's raw bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Vec<u8>);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl Secret {
    /// A new random key from the OS-seeded CSPRNG.
    pub fn generate() -> Self {
        let mut bytes = vec![0; KEY_BYTES];
        rand::thread_rng().fill_bytes(&mut bytes);
        Secret(bytes)
    }

    /// Reads `whsec_<base64>` (the prefix is optional, as verifiers accept it either way).
    pub fn parse(text: &str) -> Result<Self, String> {
        let encoded = text.strip_prefix(PREFIX).unwrap_or(text);
        STANDARD
            .decode(encoded)
            .map(Secret)
            .map_err(|e| format!("not a whsec_<base64> secret: {e}"))
    }

    /// The secret as shown to the company once: `whsec_<base64>`.
    pub fn written(&self) -> String {
        format!("{PREFIX}{}", STANDARD.encode(&self.0))
    }
}

/// The `webhook-signature` value: one `v1,<base64>` per key, space-separated.
pub fn sign(keys: &[Secret], id: &str, timestamp: i64, body: &[u8]) -> String {
    keys.iter()
        .map(|key| {
            let mut mac =
                Hmac::<Sha256>::new_from_slice(&key.0).expect("HMAC takes any key length");
            mac.update(format!("{id}.{timestamp}.").as_bytes());
            mac.update(body);
            format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_secrets_round_trip_and_several_keys_give_several_signatures() {
        let (a, b) = (Secret::generate(), Secret::generate());
        assert_ne!(a, b);
        assert_eq!(Secret::parse(&a.written()).unwrap(), a);
        assert!(a.written().starts_with("whsec_"));
        let both = sign(&[a.clone(), b], "msg_1", 1, b"{}");
        let parts: Vec<_> = both.split(' ').collect();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0], sign(&[a], "msg_1", 1, b"{}"));
        assert!(Secret::parse("whsec_***").is_err());
    }
}
