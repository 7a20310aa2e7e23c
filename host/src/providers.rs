//! The integrations the host serves and what it needs of each: the spec, its event reader, the verifier of the
//! platform webhook endpoint (from the deployment's `<PROVIDER>_INTEGRATION_WEBHOOK_SECRET`), and how a
//! connection's JSON secrets become a client credential (through the integration's own `ConnectionReader`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::Value;
use spec_core::IntegrationSpec;
use spec_core::Secret;
use spec_runtime::client::ConnectionReader;
use spec_runtime::deploy::{DeployConfig, EnvSource};
use spec_runtime::event::EventReader;
use spec_runtime::webhook::Verifier;

/// One served integration.
pub struct Provider {
    /// The spec.
    pub spec: &'static IntegrationSpec,
    /// Reads deliveries into canonical events: the spec's event envelope, declared or its signature scheme's;
    /// `None` when it has neither (then no delivery verifies either).
    pub reader: Option<EventReader>,
    /// The deployment settings (`<PROVIDER>_INTEGRATION_*`).
    pub deploy: DeployConfig,
    /// Verifies the platform endpoint's deliveries; `None` without a webhook transport or secret.
    pub platform_verifier: Option<Verifier>,
}

impl std::fmt::Debug for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Provider")
            .field("key", &self.spec.meta.key)
            .field("platform_webhook", &self.platform_verifier.is_some())
            .finish_non_exhaustive()
    }
}

/// Why the providers cannot be set up.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProviderError {
    /// A deployment variable is set but unusable.
    #[error(transparent)]
    Deploy(#[from] spec_runtime::deploy::DeployEnvError),
    /// The platform webhook secret does not fit the provider's verifier.
    #[error("{variable}: {source}")]
    Verifier {
        /// The variable holding the secret.
        variable: String,
        /// Why the verifier refused it.
        source: spec_runtime::webhook::VerifierConfigError,
    },
}

/// Every integration of `specs`, keyed by provider id, configured from `env`.
pub fn load<E: EnvSource + ?Sized>(
    specs: &[&'static IntegrationSpec],
    env: &E,
) -> Result<BTreeMap<String, Provider>, ProviderError> {
    let mut out = BTreeMap::new();
    for &spec in specs {
        let id = spec.provider_id().to_string();
        let deploy = DeployConfig::from_env(spec, env)?;
        let platform_verifier = match (spec.webhook(), deploy.webhook_secret()) {
            (Some(_), Ok(secret)) => Some(Verifier::from_spec(spec, std::slice::from_ref(secret)).map_err(
                |source| ProviderError::Verifier {
                    variable: deploy.var_name("WEBHOOK_SECRET"),
                    source,
                },
            )?),
            _ => None,
        };
        out.insert(
            id,
            Provider {
                spec,
                reader: EventReader::from_spec(spec),
                deploy,
                platform_verifier,
            },
        );
    }
    Ok(out)
}

/// What a connection's config and secrets give the host.
pub use spec_runtime::client::ConnectionCredentials as Credentials;

/// The credential a connection's secrets hold for the first auth method of the spec they fit (OAuth excluded:
/// its tokens come from the connect flow), read by the integration's own types through its
/// [`ConnectionReader`]. `None` for an integration the host knows only by its spec.
pub fn credentials(spec: &IntegrationSpec, config: &Value, secrets: &Value) -> Option<Result<Credentials, String>> {
    Some(reader(spec)?.read(config, secrets).map_err(|e| e.to_string()))
}

/// The reader of the integration `spec` is of, when the host was built with its types.
fn reader(spec: &IntegrationSpec) -> Option<&'static ConnectionReader> {
    static READERS: OnceLock<Vec<ConnectionReader>> = OnceLock::new();
    READERS
        .get_or_init(integrations::readers)
        .iter()
        .find(|r| r.spec().provider_id() == spec.provider_id())
}

/// Secret fields that sign a connection's own webhook deliveries for an integration the host knows only by
/// its spec (no secrets type marks one), in the order they are looked up.
pub const WEBHOOK_SECRET_FIELDS: &[&str] = &["webhook_secret", "signing_secret"];

/// The secret that signs a connection's own webhook deliveries: the field the secrets type marks
/// `#[connection(webhook_secret)]`, or for an integration known only by its spec the first of
/// [`WEBHOOK_SECRET_FIELDS`] present.
pub fn webhook_secret(spec: &IntegrationSpec, secrets: &Value) -> Option<Secret> {
    match reader(spec) {
        Some(r) => r.webhook_secret(secrets),
        None => WEBHOOK_SECRET_FIELDS
            .iter()
            .find_map(|f| secrets.get(*f).and_then(Value::as_str))
            .map(Secret::new),
    }
    .filter(|s| !s.expose().is_empty())
}
