//! A per-IP fixed-window limiter for booking requests: enough to stop a script hammering the booking
//! endpoint, without state outside this process.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// Allows `limit` requests per IP per `window`.
#[derive(Debug)]
pub struct RateLimiter {
    limit: u32,
    window: Duration,
    seen: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl RateLimiter {
    /// `limit` requests per minute per IP.
    pub fn per_minute(limit: u32) -> Self {
        RateLimiter {
            limit,
            window: Duration::from_secs(60),
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one request from `ip`; 429 with the seconds to wait once over the limit.
    pub fn check(&self, ip: IpAddr) -> Result<()> {
        let now = Instant::now();
        let mut seen = self
            .seen
            .lock()
            .map_err(|_| Error::Internal(anyhow::anyhow!("rate limiter poisoned")))?;
        if seen.len() > 10_000 {
            // Forget finished windows so the map can't grow without bound.
            seen.retain(|_, (started, _)| now.duration_since(*started) < self.window);
        }
        let entry = seen.entry(ip).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        entry.1 += 1;
        if entry.1 > self.limit {
            let wait = self
                .window
                .saturating_sub(now.duration_since(entry.0))
                .as_secs()
                .max(1);
            return Err(Error::TooManyRequests(wait));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_per_ip() {
        let limiter = RateLimiter::per_minute(2);
        let a: IpAddr = "127.0.0.1".parse().expect("ip");
        let b: IpAddr = "127.0.0.2".parse().expect("ip");
        assert!(limiter.check(a).is_ok());
        assert!(limiter.check(a).is_ok());
        assert!(
            matches!(limiter.check(a), Err(Error::TooManyRequests(s)) if (1..=60).contains(&s))
        );
        assert!(limiter.check(b).is_ok());
    }
}
