-- PostgreSQL twin of migrations/0008_appointment_statuses.sql (same version; BIGINT for INTEGER, BYTEA for BLOB).
-- A company's custom appointment statuses (the appointment-statuses API; `customStatus.id` of an
-- appointment names one). Portable SQL (SQLite and PostgreSQL).
CREATE TABLE appointment_statuses (
    company_id TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    id         TEXT NOT NULL,
    -- the status JSON as the API takes and returns it
    doc        TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (company_id, id)
);
