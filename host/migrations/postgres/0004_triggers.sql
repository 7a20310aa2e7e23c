-- Triggers (what to deliver where) and the outbox of deliveries, one row per (event, trigger) (PostgreSQL).
CREATE TABLE triggers (
    id               TEXT PRIMARY KEY NOT NULL,
    project_id       TEXT NOT NULL REFERENCES projects (id),
    event_types      TEXT NOT NULL,
    connection_id    TEXT,
    condition        TEXT,
    target           TEXT NOT NULL,
    sealed_secret    BYTEA,
    seal_key_id      TEXT,
    status           TEXT NOT NULL,
    disabled_reason  TEXT,
    failing_since    BIGINT,
    created_at       BIGINT NOT NULL,
    deleted_at       BIGINT
);
CREATE INDEX triggers_project ON triggers (project_id) WHERE deleted_at IS NULL;

CREATE TABLE deliveries (
    id                  TEXT PRIMARY KEY NOT NULL,
    project_id          TEXT NOT NULL,
    trigger_id          TEXT NOT NULL REFERENCES triggers (id),
    event_seq           BIGINT NOT NULL REFERENCES events (seq),
    webhook_id          TEXT NOT NULL,
    status              TEXT NOT NULL,
    attempts            BIGINT NOT NULL DEFAULT 0,
    next_attempt_ms     BIGINT,
    lease_until_ms      BIGINT,
    lease_holder        TEXT,
    last_attempt_ms     BIGINT,
    last_status         BIGINT,
    last_response       TEXT,
    last_error          TEXT,
    created_at          BIGINT NOT NULL,
    delivered_at        BIGINT,
    UNIQUE (event_seq, trigger_id)
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_ms) WHERE status IN ('pending', 'failed');
CREATE INDEX deliveries_trigger ON deliveries (trigger_id, event_seq);
