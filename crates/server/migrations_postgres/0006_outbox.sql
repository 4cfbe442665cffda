-- PostgreSQL twin of migrations/0006_outbox.sql (same version; BIGINT for INTEGER, BYTEA for BLOB).
-- One outbox for every side effect of a change: webhook deliveries today; emails, text messages and
-- calendar writes reuse it as other channels. Rows are written in the transaction of the change and
-- worked off by the channel's worker with a lease, attempts and backoff. Portable SQL (SQLite and
-- PostgreSQL); instants are UTC RFC 3339 with three fractional digits, as in 0004.
CREATE TABLE outbox (
    -- the message id, the same on every retry (`webhook-id` for webhooks): senders are idempotent by it
    id              TEXT PRIMARY KEY,
    -- which sender: 'webhook' (later 'email', 'sms', 'caldav')
    channel         TEXT NOT NULL,
    company_id      TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    -- who receives it, per channel (a watch id for webhooks)
    recipient       TEXT NOT NULL,
    -- what changed (an appointment id): one subject's messages to one recipient go out in order
    subject_id      TEXT NOT NULL,
    -- what happened: created | updated | deleted | …
    kind            TEXT NOT NULL,
    -- the record as written, when, and the company's zone then
    payload         TEXT NOT NULL,
    occurred_at     TEXT NOT NULL,
    time_zone       TEXT NOT NULL,
    -- what is sent, fixed at the first attempt so that retries send the same bytes
    body            TEXT,
    -- pending | delivering (claimed, lease_until set) | succeeded | failed | skipped
    state           TEXT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    lease_until     TEXT,
    lease_owner     TEXT,
    last_status     BIGINT,
    last_error      TEXT,
    created_at      TEXT NOT NULL,
    finished_at     TEXT
);
CREATE INDEX outbox_due ON outbox (channel, state, next_attempt_at);
CREATE INDEX outbox_recipient ON outbox (company_id, channel, recipient, created_at);

-- The attempt log: one row per attempt.
CREATE TABLE outbox_attempts (
    message_id      TEXT NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
    attempt         BIGINT NOT NULL,
    started_at      TEXT NOT NULL,
    duration_ms     BIGINT NOT NULL,
    status_code     BIGINT,
    error           TEXT,
    next_attempt_at TEXT,
    PRIMARY KEY (message_id, attempt)
);
-- (SQLite's 0006 copies the rows of webhook_deliveries here: PostgreSQL never had that table.)
