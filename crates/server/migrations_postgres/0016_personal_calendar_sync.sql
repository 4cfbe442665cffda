-- PostgreSQL twin of migrations/0016_personal_calendar_sync.sql (same version; BIGINT for INTEGER).
-- personalAppointmentSync as last given for an appointment (issue #17 review): a later write that
-- omits it keeps it, a newly connected calendar honours it, and the appointment shows it. NULL: never
-- given (yes, the reference's default).
ALTER TABLE appointments ADD COLUMN personal_calendar_sync BIGINT;
