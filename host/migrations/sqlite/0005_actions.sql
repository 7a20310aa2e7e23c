-- The actions API: stored idempotency, the audit log, interactions awaiting approval, approval policies (SQLite).
CREATE TABLE idempotency (
    project_id     TEXT NOT NULL,
    key            TEXT NOT NULL,
    connection_id  TEXT NOT NULL,
    action_id      TEXT NOT NULL,
    params_digest  TEXT NOT NULL,
    state          TEXT NOT NULL,
    lease_until    INTEGER,
    status         INTEGER,
    body           TEXT,
    headers        TEXT,
    created_at     INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    PRIMARY KEY (project_id, key)
);
CREATE INDEX idempotency_expiry ON idempotency (expires_at);

CREATE TABLE audit_log (
    seq                  INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id           TEXT NOT NULL,
    key_id               TEXT NOT NULL,
    connection_id        TEXT NOT NULL,
    action_id            TEXT NOT NULL,
    params_digest        TEXT NOT NULL,
    idempotency_key      TEXT,
    interaction_id       TEXT,
    outcome              TEXT NOT NULL,
    http_status          INTEGER,
    provider_request_id  TEXT,
    at                   INTEGER NOT NULL
);
CREATE INDEX audit_log_project ON audit_log (project_id, seq);

CREATE TABLE interactions (
    id               TEXT PRIMARY KEY NOT NULL,
    project_id       TEXT NOT NULL,
    connection_id    TEXT NOT NULL,
    action_id        TEXT NOT NULL,
    params           TEXT NOT NULL,
    params_digest    TEXT NOT NULL,
    idempotency_key  TEXT NOT NULL,
    status           TEXT NOT NULL,
    requested_by     TEXT NOT NULL,
    created_at       INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL,
    decided_at       INTEGER,
    decided_by       TEXT,
    result_status    INTEGER,
    result           TEXT
);
CREATE INDEX interactions_project ON interactions (project_id, created_at);

CREATE TABLE approval_policies (
    project_id    TEXT PRIMARY KEY NOT NULL,
    auto_approve  TEXT NOT NULL,
    updated_at    INTEGER NOT NULL
);
