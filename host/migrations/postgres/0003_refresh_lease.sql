-- When an OAuth connection's access token expires, and the lease of the host process refreshing it (PostgreSQL).
ALTER TABLE connections ADD COLUMN token_expires_at BIGINT;
ALTER TABLE connections ADD COLUMN refresh_lease_until BIGINT;
ALTER TABLE connections ADD COLUMN refresh_lease_holder TEXT;
