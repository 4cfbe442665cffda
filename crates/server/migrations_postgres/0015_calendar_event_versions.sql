-- PostgreSQL twin of migrations/0015_calendar_event_versions.sql (same version; BIGINT for INTEGER).
-- Calendar writes applied in commit order (issue #17 review): each copy keeps the appointments
-- change counter (change_seq) of the version last applied to it, so a write planned by an earlier
-- commit that reaches the worker later is skipped instead of undoing the newer one. A removed copy
-- stays as a tombstone (removed = 1) so that its version is remembered too: a stale put must not
-- bring a cancelled booking back. The connection's write error keeps its instant: only a write
-- attempted after it clears it.
ALTER TABLE calendar_events ADD COLUMN applied_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE calendar_events ADD COLUMN removed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE calendar_connections ADD COLUMN last_write_error_at TEXT;
