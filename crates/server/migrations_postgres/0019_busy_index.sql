-- The availability check reads every booking of the company in a few days and keeps those of the
-- staff members or resource it checks: this index holds every column it reads (for the bookings of
-- a day or less; the longer ones still come from `appointments_overlap`), so an index-only scan
-- answers it without visiting the table's rows and their documents.
CREATE INDEX appointments_busy ON appointments (company_id, start_utc)
    INCLUDE (end_utc, blocks, staff_id, resource_id, resource_units, service_id, id);
