-- Projects, their connections and the event log (PostgreSQL).
CREATE TABLE projects (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL,
    key_hash    BYTEA NOT NULL UNIQUE,
    return_url  TEXT,
    created_at  BIGINT NOT NULL
);

CREATE TABLE connections (
    id                   TEXT PRIMARY KEY NOT NULL,
    project_id           TEXT NOT NULL REFERENCES projects (id),
    provider             TEXT NOT NULL,
    name                 TEXT NOT NULL,
    auth_kind            TEXT NOT NULL,
    account_id           TEXT,
    config               TEXT NOT NULL,
    sealed_secrets       BYTEA,
    seal_key_id          TEXT,
    scopes               TEXT,
    status               TEXT NOT NULL,
    created_at           BIGINT NOT NULL,
    deleted_at           BIGINT,
    last_health_at       BIGINT,
    last_health_ok       BOOLEAN,
    last_health_message  TEXT,
    last_refresh_ok_at   BIGINT,
    last_refresh_err_at  BIGINT,
    last_refresh_error   TEXT,
    last_event_at        BIGINT
);
CREATE UNIQUE INDEX connections_live_name ON connections (project_id, provider, name) WHERE deleted_at IS NULL;
CREATE INDEX connections_account ON connections (provider, account_id) WHERE deleted_at IS NULL;

CREATE TABLE events (
    seq                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id           TEXT NOT NULL,
    connection_id        TEXT NOT NULL,
    provider             TEXT NOT NULL,
    event_id             TEXT NOT NULL,
    event_type           TEXT NOT NULL,
    account_id           TEXT,
    created              BIGINT,
    livemode             BOOLEAN,
    object_id            TEXT,
    object_type          TEXT,
    data                 TEXT NOT NULL,
    previous_attributes  TEXT,
    raw                  TEXT NOT NULL,
    received_at          BIGINT NOT NULL,
    UNIQUE (connection_id, event_id)
);
CREATE INDEX events_project_seq ON events (project_id, seq);
