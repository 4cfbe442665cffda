-- PostgreSQL twin of migrations/0013_calendar_connections.sql (same version; BIGINT for INTEGER).
-- A staff member's connected calendars (issue #17) and the busy time last read from each.
-- `secret` holds the CalDAV password sealed with the server's secret key (XChaCha20-Poly1305,
-- bound to the connection's company and id; `calendar::credentials`); never the password itself.
-- `validator` is what tells the next fetch whether the calendar changed (an ICS ETag, a CalDAV
-- getctag), valid while the busy rows still reach far enough ahead: `window_end`, the end of the
-- window the last successful read covered. `next_fetch_at` is when the background refresher
-- fetches it again (after a failure, with backoff); `failures` counts failures in a row.
CREATE TABLE calendar_connections (
    company_id      TEXT NOT NULL,
    id              TEXT NOT NULL,
    staff_id        TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('caldav', 'ics')),
    url             TEXT NOT NULL,
    username        TEXT,
    secret          TEXT,
    created_at      TEXT NOT NULL,
    validator       TEXT,
    window_end      TEXT,
    last_attempt_at TEXT,
    last_sync_at    TEXT,
    last_error      TEXT,
    failures        BIGINT NOT NULL DEFAULT 0,
    next_fetch_at   TEXT NOT NULL,
    event_count     BIGINT NOT NULL DEFAULT 0,
    busy_count      BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (company_id, id),
    FOREIGN KEY (company_id, staff_id) REFERENCES staff (company_id, id) ON DELETE CASCADE
);
CREATE INDEX calendar_connections_by_staff ON calendar_connections (company_id, staff_id);
CREATE INDEX calendar_connections_due ON calendar_connections (next_fetch_at);

-- The busy intervals of each connection's last successful fetch (UTC instants), replaced as a
-- whole in one transaction per fetch. They block the staff member as their appointments do.
-- Stored in pieces of at most a day, so that the availability check reads a range of
-- `calendar_busy_by_start` bounded on both sides (`from - 1 day <= start_utc < to`).
CREATE TABLE calendar_busy (
    company_id    TEXT NOT NULL,
    connection_id TEXT NOT NULL,
    staff_id      TEXT NOT NULL,
    start_utc     TEXT NOT NULL,
    end_utc       TEXT NOT NULL,
    FOREIGN KEY (company_id, connection_id) REFERENCES calendar_connections (company_id, id)
        ON DELETE CASCADE
);
CREATE INDEX calendar_busy_by_start ON calendar_busy (company_id, start_utc);
CREATE INDEX calendar_busy_by_connection ON calendar_busy (company_id, connection_id);
