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
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    lease_until     TEXT,
    lease_owner     TEXT,
    last_status     INTEGER,
    last_error      TEXT,
    created_at      TEXT NOT NULL,
    finished_at     TEXT
);
CREATE INDEX outbox_due ON outbox (channel, state, next_attempt_at);
CREATE INDEX outbox_recipient ON outbox (company_id, channel, recipient, created_at);

-- The attempt log: one row per attempt.
CREATE TABLE outbox_attempts (
    message_id      TEXT NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
    attempt         INTEGER NOT NULL,
    started_at      TEXT NOT NULL,
    duration_ms     INTEGER NOT NULL,
    status_code     INTEGER,
    error           TEXT,
    next_attempt_at TEXT,
    PRIMARY KEY (message_id, attempt)
);

INSERT INTO outbox (id, channel, company_id, recipient, subject_id, kind, payload, occurred_at,
    time_zone, body, state, attempts, next_attempt_at, lease_until, lease_owner, last_status,
    last_error, created_at, finished_at)
SELECT id, 'webhook', company_id, watch_id, appointment_id, event, appointment, occurred_at,
    time_zone, body, state, attempts, next_attempt_at, lease_until, lease_owner, last_status,
    last_error, created_at, finished_at
FROM webhook_deliveries;
INSERT INTO outbox_attempts (message_id, attempt, started_at, duration_ms, status_code, error,
    next_attempt_at)
SELECT delivery_id, attempt, started_at, duration_ms, status_code, error, next_attempt_at
FROM webhook_attempts;
DROP TABLE webhook_attempts;
DROP TABLE webhook_deliveries;
