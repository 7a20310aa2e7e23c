-- Pending OAuth authorizations: one row per issued state nonce, taken once by the callback (SQLite).
CREATE TABLE oauth_pending (
    nonce        TEXT PRIMARY KEY NOT NULL,
    sealed_pkce  BLOB,
    seal_key_id  TEXT,
    expires_at   INTEGER NOT NULL
);
