//! The integration host: one server for every integration in `integrations::all()`, owning the state the
//! libraries leave to their caller.
//!
//! | module | holds |
//! |---|---|
//! | [`actions`] | the actions API: calls, stored idempotency, approvals, the audit log |
//! | [`store`] | the database: projects, connections, the event log (SQLite or PostgreSQL) |
//! | [`seal`] | AES-256-GCM sealing of secrets at rest, with key ids for rotation |
//! | [`keys`] | project API keys and ids |
//! | [`auth`] | the project key check of `/v1/projects/{project}/…` |
//! | [`oauth`] | the OAuth connect flow on the host's database |
//! | [`refresh`] | OAuth token refresh under a database lease |
//! | [`providers`] | the served integrations: verifiers, event readers, credentials |
//! | [`triggers`] | triggers: type patterns, conditions, targets |
//! | [`outbox`] | deliveries to the targets of triggers: the worker, retries, the executor |
//! | [`routes`] | the HTTP routes |
//! | [`mcp`] | the MCP server: the project's actions as tools, its events as resources |
//! | [`openapi`] | the host's OpenAPI 3.1 document |
//! | [`config`] | sealing keys from the environment |
//! | [`specs`] | integrations declared as JSON spec files |
//! | [`server`] | starting the server and the commands |

pub mod actions;
pub mod auth;
pub mod config;
pub mod error;
pub mod keys;
pub mod mcp;
pub mod oauth;
pub mod openapi;
pub mod outbox;
pub mod providers;
pub mod refresh;
pub mod routes;
pub mod seal;
pub mod server;
pub mod specs;
pub mod state;
pub mod store;
pub mod triggers;
