-- The availability check reads every booking of the company in a few days and keeps those of the
-- staff members or resource it checks. Through `appointments_overlap`, each of those rows was
-- looked up in the table, whose row carries the whole JSON document (often on overflow pages):
-- 400 µs for one staff member's check at 11 staff, inside the write lock. This index holds every
-- column the check reads (the bookings of a day or less; the longer ones still come from
-- `appointments_overlap`), so it answers from the index alone. It cannot lead with `long_span`: a
-- virtual column, which makes SQLite read the table row of any query naming it.
CREATE INDEX appointments_busy ON appointments (company_id, start_utc, end_utc, blocks, staff_id,
    resource_id, resource_units, service_id, id);
