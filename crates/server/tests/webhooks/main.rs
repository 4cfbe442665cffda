//! Webhooks (watches) end to end: the real app and its delivery worker over a temporary SQLite file,
//! notifying small HTTP receivers on 127.0.0.1 that record what they get.
//!
//! The worker's timing is shrunk (50 ms polls, 100 ms backoff) so retries take well under a second.
//!
//! One test binary, one module per subject; `harness` holds the app and the receivers.

mod harness;
#[path = "../support/mod.rs"]
mod support;

mod delivery;
mod oauth2;
mod payloads;
mod signatures;
mod watches;
