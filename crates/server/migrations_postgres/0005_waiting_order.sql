-- PostgreSQL twin of migrations/0005_waiting_order.sql (same version; BIGINT for INTEGER, BYTEA for BLOB).
-- The order appointments were made in (the change counter at insert): the waiting list promotes the
-- earliest entry first, whatever was edited since. Portable SQL (SQLite and PostgreSQL).
ALTER TABLE appointments ADD COLUMN created_seq BIGINT NOT NULL DEFAULT 0;
UPDATE appointments SET created_seq = change_seq;
