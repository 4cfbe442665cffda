-- Availability reads the bookings overlapping a few days. `start_utc < to AND end_utc > from` bounds
-- the index range on one side only, so it read every booking that started before `to`: a company's
-- whole history, inside the write lock (54 ms per check at 30,000 past bookings). A booking of a day
-- or less, which is nearly all of them, starts at most a day before `from`: that bounds the range on
-- both sides. The rare longer ones are flagged and read on their own. The flag is computed by the
-- database from the stored instants, so no writer can get it wrong.
ALTER TABLE appointments ADD COLUMN long_span INTEGER NOT NULL
    GENERATED ALWAYS AS (julianday(end_utc) - julianday(start_utc) > 1) VIRTUAL;
CREATE INDEX appointments_overlap ON appointments (company_id, long_span, start_utc);
