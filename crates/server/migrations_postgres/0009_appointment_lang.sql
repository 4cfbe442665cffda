-- PostgreSQL twin of migrations/0009_appointment_lang.sql (same version; BIGINT for INTEGER, BYTEA for BLOB).
-- The language of a booking (the widget's `lang`, or the API's `lang` parameter on insert): the
-- language of every email its client receives later, whoever makes the change.
ALTER TABLE appointments ADD COLUMN lang TEXT;
