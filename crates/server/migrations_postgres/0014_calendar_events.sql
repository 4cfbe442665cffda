-- PostgreSQL twin of migrations/0014_calendar_events.sql (same version).
-- Bookings written out to the staff member's CalDAV calendars (issue #17): where each
-- appointment's copy lives in each connection (the resource's href and the ETag of our last write,
-- sent back as If-Match), and how the connection's last write went (its status shows it).
CREATE TABLE calendar_events (
    company_id     TEXT NOT NULL,
    appointment_id TEXT NOT NULL,
    connection_id  TEXT NOT NULL,
    href           TEXT NOT NULL,
    etag           TEXT,
    written_at     TEXT NOT NULL,
    PRIMARY KEY (company_id, appointment_id, connection_id),
    FOREIGN KEY (company_id, connection_id) REFERENCES calendar_connections (company_id, id)
        ON DELETE CASCADE
);
CREATE INDEX calendar_events_by_connection ON calendar_events (company_id, connection_id);

ALTER TABLE calendar_connections ADD COLUMN last_write_at TEXT;
ALTER TABLE calendar_connections ADD COLUMN last_write_error TEXT;
