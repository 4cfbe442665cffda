-- The order appointments were made in (the change counter at insert): the waiting list promotes the
-- earliest entry first, whatever was edited since. Portable SQL (SQLite and PostgreSQL).
ALTER TABLE appointments ADD COLUMN created_seq INTEGER NOT NULL DEFAULT 0;
UPDATE appointments SET created_seq = change_seq;
