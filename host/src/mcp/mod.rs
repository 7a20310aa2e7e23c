//! The MCP server: every action of the project's live connections as a tool, the project's events as
//! resources and a `wait_for_event` tool, over stdio (`integration-host mcp`) and streamable HTTP
//! (`/v1/projects/{project}/mcp`), both scoped to one project by its key.
//!
//! | module | holds |
//! |---|---|
//! | [`tools`] | the project's tools: the generated definitions, named per connection |
//! | [`calls`] | a tool call through the actions API: idempotency keys, approvals, results |
//! | [`events`] | the event resources and `wait_for_event` |
//! | [`server`] | the protocol handler |
//! | [`http`] | the streamable HTTP route behind the project key check |
//! | [`stdio`] | the server over standard input and output |
//!
//! Tool names: the generated name (`stripe_customer_create`, as in `generated/mcp/<provider>.json`) for the
//! project's oldest live connection of a provider, `<name>__<connection name>` (the connection name with every
//! character outside `[A-Za-z0-9_-]` turned into `_`; its id when that name is taken) for the others. Every
//! tool's `_meta` carries `action_id` and `connection_id`.
//!
//! A write is sent with an idempotency key: the `idempotency_key` argument, else `mcp-` and the hex SHA-256 of
//! the project, connection, action and canonical params, so an agent repeating a call gets the stored answer
//! (for 24 h) instead of a second write. A high-impact call is never sent unapproved: a client that declared the
//! elicitation capability in the initialize handshake is asked (accepting `approve: true` approves, anything else
//! rejects); any other gets the pending interaction as an error result saying how to approve it.

pub mod calls;
pub mod events;
pub mod http;
pub mod server;
pub mod stdio;
pub mod tools;

pub use server::McpServer;
