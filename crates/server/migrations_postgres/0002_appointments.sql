-- PostgreSQL twin of migrations/0002_appointments.sql (same version; BIGINT for INTEGER, BYTEA for BLOB).
-- Clients and appointments. Instants are UTC text in one fixed format (YYYY-MM-DDTHH:MM:SSZ), so text
-- order is time order on both SQLite and PostgreSQL.

CREATE TABLE clients (
    company_id  TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    external_id TEXT,
    -- lower-cased, for matching a returning visitor by email
    email       TEXT,
    doc         TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (company_id, id)
);
CREATE INDEX clients_email ON clients (company_id, email);
CREATE UNIQUE INDEX clients_external_id ON clients (company_id, external_id) WHERE external_id IS NOT NULL;

CREATE TABLE appointments (
    company_id     TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    id             TEXT NOT NULL,
    reference      TEXT NOT NULL,
    encrypted_id   TEXT NOT NULL,
    service_id     TEXT,
    resource_id    TEXT,
    resource_units BIGINT NOT NULL DEFAULT 0,
    staff_id       TEXT,
    client_id      TEXT,
    status         TEXT NOT NULL,
    start_utc      TEXT NOT NULL,
    end_utc        TEXT NOT NULL,
    -- 1 when the appointment occupies its slot (not cancelled, declined, deleted or waiting-listed)
    blocks         BIGINT NOT NULL,
    waiting_list   BIGINT NOT NULL DEFAULT 0,
    deleted        BIGINT NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    -- value of the `appointments` counter at the last change: incremental sync reads what changed after
    change_seq     BIGINT NOT NULL,
    doc            TEXT NOT NULL,
    PRIMARY KEY (company_id, id)
);
CREATE UNIQUE INDEX appointments_reference ON appointments (company_id, reference);
CREATE UNIQUE INDEX appointments_encrypted_id ON appointments (encrypted_id);
CREATE INDEX appointments_start ON appointments (company_id, start_utc);
CREATE INDEX appointments_change ON appointments (company_id, change_seq);

-- Monotonic counters, bumped inside the transaction that makes the change.
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO counters (name, value) VALUES ('appointments', 0);
