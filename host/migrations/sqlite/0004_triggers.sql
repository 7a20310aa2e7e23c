-- Triggers (what to deliver where) and the outbox of deliveries, one row per (event, trigger) (SQLite).
CREATE TABLE triggers (
    id               TEXT PRIMARY KEY NOT NULL,
    project_id       TEXT NOT NULL REFERENCES projects (id),
    event_types      TEXT NOT NULL,
    connection_id    TEXT,
    condition        TEXT,
    target           TEXT NOT NULL,
    sealed_secret    BLOB,
    seal_key_id      TEXT,
    status           TEXT NOT NULL,
    disabled_reason  TEXT,
    failing_since    INTEGER,
    created_at       INTEGER NOT NULL,
    deleted_at       INTEGER
);
CREATE INDEX triggers_project ON triggers (project_id) WHERE deleted_at IS NULL;

CREATE TABLE deliveries (
    id                  TEXT PRIMARY KEY NOT NULL,
    project_id          TEXT NOT NULL,
    trigger_id          TEXT NOT NULL REFERENCES triggers (id),
    event_seq           INTEGER NOT NULL REFERENCES events (seq),
    webhook_id          TEXT NOT NULL,
    status              TEXT NOT NULL,
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms     INTEGER,
    lease_until_ms      INTEGER,
    lease_holder        TEXT,
    last_attempt_ms     INTEGER,
    last_status         INTEGER,
    last_response       TEXT,
    last_error          TEXT,
    created_at          INTEGER NOT NULL,
    delivered_at        INTEGER,
    UNIQUE (event_seq, trigger_id)
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_ms) WHERE status IN ('pending', 'failed');
CREATE INDEX deliveries_trigger ON deliveries (trigger_id, event_seq);
