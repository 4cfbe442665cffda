-- PostgreSQL twin of migrations/0003_appointments_api.sql (same version; BIGINT for INTEGER, BYTEA for BLOB).
-- The authenticated Appointments API: what its list filters query by. Portable SQL (SQLite and
-- PostgreSQL).

-- `normal` or `personal` (a staff member's own blocked time): lists leave personal ones out unless asked.
ALTER TABLE appointments ADD COLUMN appointment_type TEXT NOT NULL DEFAULT 'normal';
-- Lower-cased client name and email plus every form answer, for the `q` free-text filter. NULL until
-- computed (rows written before this migration are filled in when the database is opened).
ALTER TABLE appointments ADD COLUMN search_text TEXT;

CREATE INDEX appointments_created ON appointments (company_id, created_at);
CREATE INDEX appointments_client ON appointments (company_id, client_id);
CREATE INDEX appointments_start_id ON appointments (company_id, start_utc, id);
