-- Pending OAuth authorizations: one row per issued state nonce, taken once by the callback (PostgreSQL).
CREATE TABLE oauth_pending (
    nonce        TEXT PRIMARY KEY NOT NULL,
    sealed_pkce  BYTEA,
    seal_key_id  TEXT,
    expires_at   BIGINT NOT NULL
);
