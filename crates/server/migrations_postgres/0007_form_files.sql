-- PostgreSQL twin of migrations/0007_form_files.sql (same version; BIGINT for INTEGER, BYTEA for BLOB).
-- Files answered in booking forms (FormItem type "file"), stored once, outside the appointment
-- document: the document keeps a `stored-file:<id>` reference, get and list turn it into an
-- authenticated download link. Size-limited by the model (MAX_FILE_BYTES). Portable SQL.
CREATE TABLE form_files (
    company_id     TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    id             TEXT NOT NULL,
    appointment_id TEXT NOT NULL,
    file_name      TEXT NOT NULL,
    media_type     TEXT NOT NULL,
    content        BYTEA NOT NULL,
    created_at     TEXT NOT NULL,
    PRIMARY KEY (company_id, id)
);
CREATE INDEX form_files_appointment ON form_files (company_id, appointment_id);
