-- PostgreSQL twin of migrations/0001_business.sql (same version; BIGINT for INTEGER, BYTEA for BLOB).
-- Business setup: companies and what they offer. Each row keeps the API's JSON document (`doc`) next to
-- the columns we query by, so the API shape and the storage can never disagree. Portable SQL (SQLite and
-- PostgreSQL): TEXT keys, TEXT timestamps in UTC RFC 3339.

CREATE TABLE companies (
    id          TEXT PRIMARY KEY,
    doc         TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE services (
    company_id  TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    external_id TEXT,
    position    BIGINT NOT NULL DEFAULT 0,
    doc         TEXT NOT NULL,
    PRIMARY KEY (company_id, id)
);
CREATE UNIQUE INDEX services_external_id ON services (company_id, external_id) WHERE external_id IS NOT NULL;

CREATE TABLE staff (
    company_id  TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    external_id TEXT,
    position    BIGINT NOT NULL DEFAULT 0,
    doc         TEXT NOT NULL,
    PRIMARY KEY (company_id, id)
);
CREATE UNIQUE INDEX staff_external_id ON staff (company_id, external_id) WHERE external_id IS NOT NULL;

CREATE TABLE resources (
    company_id  TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    external_id TEXT,
    position    BIGINT NOT NULL DEFAULT 0,
    doc         TEXT NOT NULL,
    PRIMARY KEY (company_id, id)
);
CREATE UNIQUE INDEX resources_external_id ON resources (company_id, external_id) WHERE external_id IS NOT NULL;

CREATE TABLE forms (
    company_id  TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    external_id TEXT,
    position    BIGINT NOT NULL DEFAULT 0,
    doc         TEXT NOT NULL,
    PRIMARY KEY (company_id, id)
);

-- API keys are stored as SHA-256 hex digests: a database leak does not leak usable keys.
CREATE TABLE api_keys (
    key_hash    TEXT PRIMARY KEY,
    company_id  TEXT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    label       TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
