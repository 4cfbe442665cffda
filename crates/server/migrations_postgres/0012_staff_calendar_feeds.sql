-- PostgreSQL twin of migrations/0012_staff_calendar_feeds.sql (same version; BIGINT for INTEGER, BYTEA for BLOB).
-- Each staff member's calendar feed (`staff/{id}/calendar.ics?token=`): the secret of its URL. Kept
-- as it is, not as a digest, because the staff record shows the URL again on every read; it is 192
-- random bits and compared in constant time. Rotating replaces it; the staff record's deletion
-- removes it, so a re-created id gets a new one.
CREATE TABLE staff_calendar_feeds (
    company_id  TEXT NOT NULL,
    staff_id    TEXT NOT NULL,
    token       TEXT NOT NULL,
    PRIMARY KEY (company_id, staff_id),
    FOREIGN KEY (company_id, staff_id) REFERENCES staff (company_id, id) ON DELETE CASCADE
);
