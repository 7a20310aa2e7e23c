//! How a connection's secrets and configuration feed a client: the integration's secrets type says which
//! credential it holds for each auth method, its config type names the sub-account requests act for.

use serde::Deserialize as _;

use super::{BuildError, ClientBuilder, Credential};
use spec_core::{AuthKind, Integration, IntegrationSpec};

/// Implemented by an integration's secrets type: the credential it holds for an auth method.
pub trait ConnectionSecrets {
    /// The credential for an auth method of `kind`, if these secrets hold one.
    fn credential(&self, kind: AuthKind) -> Option<Credential>;

    /// The secret that signs the connection's own webhook deliveries, if these secrets hold one.
    fn webhook_secret(&self) -> Option<spec_core::Secret> {
        None
    }
}

/// Implemented by an integration's config type.
pub trait ConnectionConfig {
    /// The sub-account requests act for (sent in the REST transport's `account_header`), if any.
    fn account_id(&self) -> Option<&str> {
        None
    }
}

impl ClientBuilder {
    /// Takes the credential for `auth` from `secrets` and the account from `config`.
    pub fn connection(
        self,
        secrets: &impl ConnectionSecrets,
        config: &impl ConnectionConfig,
        auth: AuthKind,
    ) -> Result<Self, BuildError> {
        let spec = self.spec();
        let credential = secrets
            .credential(auth)
            .ok_or_else(|| BuildError::NoCredentialForAuth {
                integration: spec.meta.key.clone(),
                auth,
            })?;
        let mut builder = self.credential(credential);
        if let Some(account) = config.account_id()
            && spec.rest().and_then(|r| r.account_header.as_ref()).is_some()
        {
            builder = builder.account(account);
        }
        Ok(builder)
    }
}

/// What a connection's stored config and secrets give a client: the credential, the auth method it is for,
/// and the account requests act for.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConnectionCredentials {
    /// The auth method the credential is for.
    pub auth: AuthKind,
    /// The credential.
    pub credential: Credential,
    /// The account the config names (`account_id` of a Stripe config), if any.
    pub account_id: Option<String>,
}

/// Why a connection's JSON config or secrets cannot be read. Never shows a secret's value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConnectionReadError {
    /// The config does not fit the integration's config type.
    #[error("config: {0}")]
    Config(String),
    /// The secrets do not fit the integration's secrets type (the message names fields, never values).
    #[error("secrets: {0}")]
    Secrets(String),
    /// The secrets hold no credential for any auth method of the spec that a connection stores.
    #[error("the secrets hold no credential for any of the integration's auth methods ({methods})")]
    NoCredential {
        /// The methods looked for, comma-separated.
        methods: String,
    },
}

/// serde's message about secrets, kept only when it names fields rather than values.
fn secrets_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    if text.starts_with("missing field") || text.starts_with("unknown field") {
        text
    } else {
        "a member has the wrong type or value (values are not shown)".to_string()
    }
}

/// Reads a connection's JSON config and secrets with an integration's own types: the reader a server keeps
/// per integration, built once with [`ConnectionReader::of`].
#[derive(Clone, Copy)]
pub struct ConnectionReader {
    spec: fn() -> &'static IntegrationSpec,
    read: fn(&serde_json::Value, &serde_json::Value) -> Result<ConnectionCredentials, ConnectionReadError>,
    webhook_secret: fn(&serde_json::Value) -> Option<spec_core::Secret>,
}

impl std::fmt::Debug for ConnectionReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectionReader")
            .field("integration", &self.spec().meta.key)
            .finish()
    }
}

impl ConnectionReader {
    /// The reader of integration `I`, whose config and secrets types implement the connection traits
    /// (`#[derive(ConnectionConfig, ConnectionSecrets)]`).
    pub fn of<I>() -> Self
    where
        I: Integration,
        I::Config: ConnectionConfig,
        I::Secrets: ConnectionSecrets,
    {
        Self {
            spec: I::spec,
            read: read::<I>,
            webhook_secret: |secrets| I::Secrets::deserialize(secrets).ok()?.webhook_secret(),
        }
    }

    /// The integration's spec.
    pub fn spec(&self) -> &'static IntegrationSpec {
        (self.spec)()
    }

    /// The credential the secrets hold for the first auth method of the spec they fit, webhook signing and
    /// OAuth excluded (OAuth tokens come from the connect flow), and the account the config names.
    pub fn read(
        &self,
        config: &serde_json::Value,
        secrets: &serde_json::Value,
    ) -> Result<ConnectionCredentials, ConnectionReadError> {
        (self.read)(config, secrets)
    }

    /// The secret that signs the connection's own webhook deliveries, read by the secrets type; `None`
    /// when the secrets do not fit the type or hold none.
    pub fn webhook_secret(&self, secrets: &serde_json::Value) -> Option<spec_core::Secret> {
        (self.webhook_secret)(secrets)
    }
}

fn read<I>(
    config: &serde_json::Value,
    secrets: &serde_json::Value,
) -> Result<ConnectionCredentials, ConnectionReadError>
where
    I: Integration,
    I::Config: ConnectionConfig,
    I::Secrets: ConnectionSecrets,
{
    let c = I::Config::deserialize(config).map_err(|e| ConnectionReadError::Config(e.to_string()))?;
    let s = I::Secrets::deserialize(secrets).map_err(|e| ConnectionReadError::Secrets(secrets_message(&e)))?;
    let kinds = I::spec()
        .supported_auth_methods
        .iter()
        .map(|m| m.kind())
        .filter(|k| !matches!(k, AuthKind::WebhookSigning | AuthKind::OAuth2));
    let mut tried = Vec::new();
    for auth in kinds {
        if let Some(credential) = s.credential(auth) {
            return Ok(ConnectionCredentials {
                auth,
                credential,
                account_id: c.account_id().map(str::to_string),
            });
        }
        tried.push(auth.as_str());
    }
    Err(ConnectionReadError::NoCredential {
        methods: tried.join(", "),
    })
}
