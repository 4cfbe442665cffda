-- PostgreSQL twin of migrations/0004_watches.sql (same version; BIGINT for INTEGER, BYTEA for BLOB).
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

-- SQLite's 0004 also created webhook_deliveries / webhook_attempts, which 0006 folds into the
-- outbox and drops: a PostgreSQL database starts with the outbox instead.
