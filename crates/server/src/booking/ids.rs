use rand::Rng;

/// Letters and digits that can't be confused when read aloud or copied by hand (no 0/O, 1/I/L, U).
const HUMAN: &[u8] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";
const ALPHANUMERIC: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
const URL_SAFE: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

fn random_string(alphabet: &[u8], len: usize) -> String {
    let mut rng = rand::thread_rng();
    (0..len)
        .map(|_| char::from(alphabet[rng.gen_range(0..alphabet.len())]))
        .collect()
}

/// A record id: 12 characters (the reference allows 16), ~62 bits of randomness.
pub fn record_id() -> String {
    random_string(ALPHANUMERIC, 12)
}

/// A booking reference a person can read over the phone, e.g. `K7M-4QX2` (~39 bits; unique per
/// company, enforced by an index and retried on collision).
pub fn reference() -> String {
    let raw = random_string(HUMAN, 8);
    format!("{}-{}", &raw[..3], &raw[3..])
}

/// The opaque id in visitors' manage links: 128 bits from the OS-seeded CSPRNG, unrelated to the record
/// id, so it can't be guessed or derived from anything public.
pub fn encrypted_id() -> String {
    random_string(URL_SAFE, 22)
}

/// A new API key: 32 characters from a 64-letter alphabet (192 bits) from the OS-seeded CSPRNG. Only
/// its SHA-256 digest is stored, so it is shown once, when created.
pub fn api_key() -> String {
    random_string(URL_SAFE, 32)
}

/// The secret of a staff member's calendar feed URL: 192 bits, like an API key.
pub fn feed_token() -> String {
    random_string(URL_SAFE, 32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(record_id().len(), 12);
        let r = reference();
        assert_eq!(r.len(), 9);
        assert_eq!(&r[3..4], "-");
        assert!(r.chars().all(|c| c == '-' || HUMAN.contains(&(c as u8))));
        assert_eq!(encrypted_id().len(), 22);
        assert_ne!(encrypted_id(), encrypted_id());
        assert_eq!(api_key().len(), 32);
        assert_ne!(api_key(), api_key());
    }
}
