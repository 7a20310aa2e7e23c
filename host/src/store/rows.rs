//! The rows the store reads and writes.

/// A project to create.
#[derive(Debug, Clone)]
pub struct NewProject {
    /// Project id (`proj_…`).
    pub id: String,
    /// Display name.
    pub name: String,
    /// SHA-256 of the project's API key.
    pub key_hash: [u8; 32],
    /// Where the OAuth connect flow sends the browser back.
    pub return_url: Option<String>,
    /// Creation time.
    pub created_at: i64,
}

/// A stored project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    /// Project id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Where the OAuth connect flow sends the browser back.
    pub return_url: Option<String>,
    /// Creation time.
    pub created_at: i64,
}

/// Secrets sealed under a key of the host.
#[derive(Clone, PartialEq, Eq)]
pub struct Sealed {
    /// Id of the sealing key.
    pub key_id: String,
    /// Nonce followed by the ciphertext and tag.
    pub blob: Vec<u8>,
}

impl std::fmt::Debug for Sealed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sealed")
            .field("key_id", &self.key_id)
            .field("len", &self.blob.len())
            .finish()
    }
}

/// A connection to create.
#[derive(Debug, Clone)]
pub struct NewConnection {
    /// Connection id (`conn_…`); also the id of its own webhook endpoint.
    pub id: String,
    /// Owning project.
    pub project_id: String,
    /// Provider id (`stripe`).
    pub provider: String,
    /// Name, unique among the project's live connections of the provider.
    pub name: String,
    /// Auth method kind (`api-key`, `bearer`, `oauth2`).
    pub auth_kind: String,
    /// The provider account the connection stands for (`acct_…`): routes platform webhook events.
    pub account_id: Option<String>,
    /// The config as JSON text.
    pub config: String,
    /// The sealed secrets.
    pub sealed: Option<Sealed>,
    /// Granted scopes, space-separated.
    pub scopes: Option<String>,
    /// Creation time.
    pub created_at: i64,
}

/// A stored connection.
#[derive(Debug, Clone)]
pub struct ConnectionRow {
    /// Connection id.
    pub id: String,
    /// Owning project.
    pub project_id: String,
    /// Provider id.
    pub provider: String,
    /// Name.
    pub name: String,
    /// Auth method kind.
    pub auth_kind: String,
    /// Provider account id.
    pub account_id: Option<String>,
    /// Config as JSON text.
    pub config: String,
    /// Sealed secrets (none once deleted).
    pub sealed: Option<Sealed>,
    /// Granted scopes.
    pub scopes: Option<String>,
    /// `active` or `deleted`.
    pub status: String,
    /// Creation time.
    pub created_at: i64,
    /// Time of the last health check.
    pub last_health_at: Option<i64>,
    /// Whether the last health check passed.
    pub last_health_ok: Option<bool>,
    /// What the last health check reported.
    pub last_health_message: Option<String>,
    /// Time of the last successful token refresh.
    pub last_refresh_ok_at: Option<i64>,
    /// Time of the last failed token refresh.
    pub last_refresh_err_at: Option<i64>,
    /// Why the last refresh failed.
    pub last_refresh_error: Option<String>,
    /// When the last event was stored.
    pub last_event_at: Option<i64>,
}

/// A canonical event to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    /// Owning project.
    pub project_id: String,
    /// The connection it arrived for.
    pub connection_id: String,
    /// Provider id.
    pub provider: String,
    /// The provider's event id.
    pub event_id: String,
    /// Prefixed type (`stripe.invoice.paid`).
    pub event_type: String,
    /// Provider account.
    pub account_id: Option<String>,
    /// When the event happened.
    pub created: Option<i64>,
    /// Live mode.
    pub livemode: Option<bool>,
    /// Changed object's id.
    pub object_id: Option<String>,
    /// Changed object's type.
    pub object_type: Option<String>,
    /// The event's object (JSON text).
    pub data: String,
    /// Previous attributes (JSON text).
    pub previous_attributes: Option<String>,
    /// The delivery (JSON text).
    pub raw: String,
    /// When the host stored it.
    pub received_at: i64,
}

/// A stored event with its position in the log.
#[derive(Debug, Clone, PartialEq)]
pub struct EventRow {
    /// Position in the log (increasing in commit order).
    pub seq: i64,
    /// The event.
    pub event: NewEvent,
}

/// Which events to read.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    /// Project.
    pub project_id: String,
    /// Type pattern; `*` matches any run of characters (`stripe.customer.*`).
    pub type_pattern: Option<String>,
    /// Only this connection's events.
    pub connection_id: Option<String>,
    /// Received at or after (Unix seconds).
    pub since: Option<i64>,
    /// Received before (Unix seconds).
    pub until: Option<i64>,
    /// Only events after this position.
    pub after_seq: i64,
    /// At most this many.
    pub limit: i64,
}
