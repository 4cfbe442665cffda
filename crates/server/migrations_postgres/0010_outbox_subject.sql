-- PostgreSQL twin of migrations/0010_outbox_subject.sql (same version; BIGINT for INTEGER, BYTEA for BLOB).
-- Every appointment write reads its reminders in the outbox (notify::replan_reminders) and the
-- notification log lists an appointment's messages: both look rows up by subject, which without
-- this index scanned the whole outbox (30 days of webhooks and emails) inside the write transaction.
CREATE INDEX outbox_subject ON outbox (company_id, channel, subject_id);
