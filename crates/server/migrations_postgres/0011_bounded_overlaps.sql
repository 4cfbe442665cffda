-- PostgreSQL twin of migrations/0011_bounded_overlaps.sql (same version; BIGINT for INTEGER, BYTEA for BLOB).
-- Availability reads the bookings overlapping a few days. `start_utc < to AND end_utc > from` bounds
-- the index range on one side only, so it read every booking that started before `to`: a company's
-- whole history, inside the write lock (54 ms per check at 30,000 past bookings). A booking of a day
-- or less, which is nearly all of them, starts at most a day before `from`: that bounds the range on
-- both sides. The rare longer ones are flagged and read on their own. The flag is computed by the
-- database from the stored instants, so no writer can get it wrong.
--
-- PostgreSQL has no julianday and only STORED generated columns, whose expression must be
-- IMMUTABLE: a cast from text to timestamptz is not (it reads DateStyle and TimeZone), but our
-- instants are ISO 8601 with `Z`, which read the same whatever those settings are.
CREATE FUNCTION utc_text_epoch(t TEXT) RETURNS DOUBLE PRECISION
    LANGUAGE SQL IMMUTABLE STRICT PARALLEL SAFE
    RETURN extract(epoch FROM t::timestamptz);
ALTER TABLE appointments ADD COLUMN long_span BIGINT NOT NULL
    GENERATED ALWAYS AS (CASE WHEN utc_text_epoch(end_utc) - utc_text_epoch(start_utc) > 86400
        THEN 1 ELSE 0 END) STORED;
CREATE INDEX appointments_overlap ON appointments (company_id, long_span, start_utc);
