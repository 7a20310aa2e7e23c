//! The actions API: a connection's actions called by id with JSON params, through the runtime's `invoke`.
//!
//! | module | holds |
//! |---|---|
//! | [`params`] | the params' digest, the caller's idempotency key, action patterns |
//! | [`clients`] | one REST client per connection, built from its sealed secrets or OAuth tokens |
//! | [`answer`] | what a call answers, provider errors mapped to statuses, what may be stored |
//! | [`call`] | one call: approval policy, stored idempotency, the provider call, the audit log |
//!
//! A mutating call with an idempotency key (the `Idempotency-Key` header, or an `idempotency_key` member of the
//! params) stores its answer for [`IDEMPOTENCY_TTL_SECS`]: a repeat with the same key and params gets the stored
//! answer without a provider call, the same key with other params is a 422, and concurrent requests with one key
//! make one provider call (the others wait for its answer). A call of a `high_impact` action is not sent until a
//! person approves it, unless the project's policy auto-approves the action.

pub mod answer;
pub mod call;
pub mod clients;
pub mod params;

/// How long an answer stays stored under its idempotency key (24 h).
pub const IDEMPOTENCY_TTL_SECS: i64 = 24 * 60 * 60;

/// How long a call may hold its idempotency key before another request may take it over (a host process that
/// died mid-call); the provider sees the same key again, so the takeover is safe where the provider honours it.
pub const IDEMPOTENCY_LEASE_SECS: i64 = 120;

/// How long a request waits for the running first call of its idempotency key before answering 409.
pub const IDEMPOTENCY_WAIT: std::time::Duration = std::time::Duration::from_secs(20);

/// How long an interaction can be approved (24 h).
pub const INTERACTION_TTL_SECS: i64 = 24 * 60 * 60;
