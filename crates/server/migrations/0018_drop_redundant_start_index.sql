-- `appointments_start (company_id, start_utc)` is a prefix of `appointments_start_id (company_id,
-- start_utc, id)`: every query it served, that one serves, and each booking paid for both.
DROP INDEX IF EXISTS appointments_start;
