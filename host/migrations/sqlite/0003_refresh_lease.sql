-- When an OAuth connection's access token expires, and the lease of the host process refreshing it (SQLite).
ALTER TABLE connections ADD COLUMN token_expires_at INTEGER;
ALTER TABLE connections ADD COLUMN refresh_lease_until INTEGER;
ALTER TABLE connections ADD COLUMN refresh_lease_holder TEXT;
