-- The actions API: stored idempotency, the audit log, interactions awaiting approval, approval policies (PostgreSQL).
CREATE TABLE idempotency (
    project_id     TEXT NOT NULL,
    key            TEXT NOT NULL,
    connection_id  TEXT NOT NULL,
    action_id      TEXT NOT NULL,
    params_digest  TEXT NOT NULL,
    state          TEXT NOT NULL,
    lease_until    BIGINT,
    status         BIGINT,
    body           TEXT,
    headers        TEXT,
    created_at     BIGINT NOT NULL,
    expires_at     BIGINT NOT NULL,
    PRIMARY KEY (project_id, key)
);
CREATE INDEX idempotency_expiry ON idempotency (expires_at);

CREATE TABLE audit_log (
    seq                  BIGSERIAL PRIMARY KEY,
    project_id           TEXT NOT NULL,
    key_id               TEXT NOT NULL,
    connection_id        TEXT NOT NULL,
    action_id            TEXT NOT NULL,
    params_digest        TEXT NOT NULL,
    idempotency_key      TEXT,
    interaction_id       TEXT,
    outcome              TEXT NOT NULL,
    http_status          BIGINT,
    provider_request_id  TEXT,
    at                   BIGINT NOT NULL
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
    created_at       BIGINT NOT NULL,
    expires_at       BIGINT NOT NULL,
    decided_at       BIGINT,
    decided_by       TEXT,
    result_status    BIGINT,
    result           TEXT
);
CREATE INDEX interactions_project ON interactions (project_id, created_at);

CREATE TABLE approval_policies (
    project_id    TEXT PRIMARY KEY NOT NULL,
    auto_approve  TEXT NOT NULL,
    updated_at    BIGINT NOT NULL
);
