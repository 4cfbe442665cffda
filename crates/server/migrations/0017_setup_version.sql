-- A version of every company's setup (companies, services, staff, resources, forms), bumped by the
-- database in the transaction of any change to those tables, whoever writes it (an API request,
-- the demo seeding, `admin`, another node). A catalogue cached in a process is still right while
-- this value is the one it was read with (`booking::catalog::Cache`): one indexed read instead of
-- reloading and parsing the whole setup for every booking.
INSERT INTO counters (name, value) VALUES ('setup', 0);

CREATE TRIGGER companies_setup_insert AFTER INSERT ON companies
    BEGIN UPDATE counters SET value = value + 1 WHERE name = 'setup'; END;
CREATE TRIGGER companies_setup_update AFTER UPDATE ON companies
    BEGIN UPDATE counters SET value = value + 1 WHERE name = 'setup'; END;
CREATE TRIGGER companies_setup_delete AFTER DELETE ON companies
    BEGIN UPDATE counters SET value = value + 1 WHERE name = 'setup'; END;
CREATE TRIGGER services_setup_insert AFTER INSERT ON services
    BEGIN UPDATE counters SET value = value + 1 WHERE name = 'setup'; END;
CREATE TRIGGER services_setup_update AFTER UPDATE ON services
    BEGIN UPDATE counters SET value = value + 1 WHERE name = 'setup'; END;
CREATE TRIGGER services_setup_delete AFTER DELETE ON services
    BEGIN UPDATE counters SET value = value + 1 WHERE name = 'setup'; END;
CREATE TRIGGER staff_setup_insert AFTER INSERT ON staff
    BEGIN UPDATE counters SET value = value + 1 WHERE name = 'setup'; END;
CREATE TRIGGER staff_setup_update AFTER UPDATE ON staff
    BEGIN UPDATE counters SET value = value + 1 WHERE name = 'setup'; END;
CREATE TRIGGER staff_setup_delete AFTER DELETE ON staff
    BEGIN UPDATE counters SET value = value + 1 WHERE name = 'setup'; END;
CREATE TRIGGER resources_setup_insert AFTER INSERT ON resources
    BEGIN UPDATE counters SET value = value + 1 WHERE name = 'setup'; END;
CREATE TRIGGER resources_setup_update AFTER UPDATE ON resources
    BEGIN UPDATE counters SET value = value + 1 WHERE name = 'setup'; END;
CREATE TRIGGER resources_setup_delete AFTER DELETE ON resources
    BEGIN UPDATE counters SET value = value + 1 WHERE name = 'setup'; END;
CREATE TRIGGER forms_setup_insert AFTER INSERT ON forms
    BEGIN UPDATE counters SET value = value + 1 WHERE name = 'setup'; END;
CREATE TRIGGER forms_setup_update AFTER UPDATE ON forms
    BEGIN UPDATE counters SET value = value + 1 WHERE name = 'setup'; END;
CREATE TRIGGER forms_setup_delete AFTER DELETE ON forms
    BEGIN UPDATE counters SET value = value + 1 WHERE name = 'setup'; END;
