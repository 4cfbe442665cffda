-- Webhooks ("watches"): the watches, the companies' signing keys, and the delivery outbox. Portable SQL
-- (SQLite and PostgreSQL). Instants here are UTC RFC 3339 with exactly three fractional digits
-- (YYYY-MM-DDTHH:MM:SS.mmmZ): text order is time order, to the millisecond the worker schedules by.

CREATE TABLE watches (
    company_id      TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    id              TEXT NOT NULL,
    -- 'enabled' or 'disabled'; authoritative over doc.status (the worker disables failing watches)
    status          TEXT NOT NULL,
    -- the Watch JSON as the API takes it, secrets included (the API only ever returns them masked)
    doc             TEXT NOT NULL,
    -- first failed attempt since the last successful one; NULL while healthy
    failing_since   TEXT,
    disabled_at     TEXT,
    disabled_reason TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (company_id, id)
);

-- Standard Webhooks signing keys. The secret must be stored to sign with it; it is shown to the company
-- once (creation, rotation). After a rotation the previous secret also signs until previous_until.
CREATE TABLE crypto_keys (
    company_id      TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    id              TEXT NOT NULL,
    name            TEXT,
    secret          TEXT NOT NULL,
    previous_secret TEXT,
    previous_until  TEXT,
    created_at      TEXT NOT NULL,
    rotated_at      TEXT,
    PRIMARY KEY (company_id, id)
);

-- The outbox: one row per (appointment change, enabled watch), written in the transaction of the change.
CREATE TABLE webhook_deliveries (
    -- the message id, sent as `webhook-id`, the same on every retry
    id              TEXT PRIMARY KEY,
    company_id      TEXT NOT NULL,
    watch_id        TEXT NOT NULL,
    appointment_id  TEXT NOT NULL,
    -- created | updated | deleted
    event           TEXT NOT NULL,
    -- the appointment JSON as written, when, and the company's zone then (for the payload's `date`)
    appointment     TEXT NOT NULL,
    occurred_at     TEXT NOT NULL,
    time_zone       TEXT NOT NULL,
    -- the request body, fixed at the first attempt so that retries send the same bytes
    body            TEXT,
    -- pending | delivering (claimed, lease_until set) | succeeded | failed | skipped
    state           TEXT NOT NULL,
    -- attempts started
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    lease_until     TEXT,
    lease_owner     TEXT,
    last_status     INTEGER,
    last_error      TEXT,
    created_at      TEXT NOT NULL,
    finished_at     TEXT,
    FOREIGN KEY (company_id, watch_id) REFERENCES watches (company_id, id) ON DELETE CASCADE
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);
CREATE INDEX webhook_deliveries_watch ON webhook_deliveries (company_id, watch_id, created_at);

-- The delivery log: one row per attempt.
CREATE TABLE webhook_attempts (
    delivery_id     TEXT NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
    attempt         INTEGER NOT NULL,
    started_at      TEXT NOT NULL,
    duration_ms     INTEGER NOT NULL,
    status_code     INTEGER,
    error           TEXT,
    -- when the next attempt was scheduled, if this one was to be retried
    next_attempt_at TEXT,
    PRIMARY KEY (delivery_id, attempt)
);
