-- PostgreSQL twin of migrations/0017_setup_version.sql (same version): a version of every
-- company's setup, bumped by the database in the transaction of any change to companies, services,
-- staff, resources or forms, whichever node writes it. A catalogue cached by a node is still right
-- while this value is the one it was read with (`booking::catalog::Cache`).
INSERT INTO counters (name, value) VALUES ('setup', 0);

CREATE FUNCTION bump_setup_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE counters SET value = value + 1 WHERE name = 'setup';
    RETURN NULL;
END;
$$;

CREATE TRIGGER companies_setup AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON companies
    FOR EACH STATEMENT EXECUTE FUNCTION bump_setup_version();
CREATE TRIGGER services_setup AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON services
    FOR EACH STATEMENT EXECUTE FUNCTION bump_setup_version();
CREATE TRIGGER staff_setup AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON staff
    FOR EACH STATEMENT EXECUTE FUNCTION bump_setup_version();
CREATE TRIGGER resources_setup AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON resources
    FOR EACH STATEMENT EXECUTE FUNCTION bump_setup_version();
CREATE TRIGGER forms_setup AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON forms
    FOR EACH STATEMENT EXECUTE FUNCTION bump_setup_version();
