-- Projects, their connections and the event log (SQLite).
CREATE TABLE projects (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL,
    key_hash    BLOB NOT NULL UNIQUE,
    return_url  TEXT,
    created_at  INTEGER NOT NULL
);

CREATE TABLE connections (
    id                   TEXT PRIMARY KEY NOT NULL,
    project_id           TEXT NOT NULL REFERENCES projects (id),
    provider             TEXT NOT NULL,
    name                 TEXT NOT NULL,
    auth_kind            TEXT NOT NULL,
    account_id           TEXT,
    config               TEXT NOT NULL,
    sealed_secrets       BLOB,
    seal_key_id          TEXT,
    scopes               TEXT,
    status               TEXT NOT NULL,
    created_at           INTEGER NOT NULL,
    deleted_at           INTEGER,
    last_health_at       INTEGER,
    last_health_ok       INTEGER,
    last_health_message  TEXT,
    last_refresh_ok_at   INTEGER,
    last_refresh_err_at  INTEGER,
    last_refresh_error   TEXT,
    last_event_at        INTEGER
);
CREATE UNIQUE INDEX connections_live_name ON connections (project_id, provider, name) WHERE deleted_at IS NULL;
CREATE INDEX connections_account ON connections (provider, account_id) WHERE deleted_at IS NULL;

CREATE TABLE events (
    seq                  INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id           TEXT NOT NULL,
    connection_id        TEXT NOT NULL,
    provider             TEXT NOT NULL,
    event_id             TEXT NOT NULL,
    event_type           TEXT NOT NULL,
    account_id           TEXT,
    created              INTEGER,
    livemode             INTEGER,
    object_id            TEXT,
    object_type          TEXT,
    data                 TEXT NOT NULL,
    previous_attributes  TEXT,
    raw                  TEXT NOT NULL,
    received_at          INTEGER NOT NULL,
    UNIQUE (connection_id, event_id)
);
CREATE INDEX events_project_seq ON events (project_id, seq);
