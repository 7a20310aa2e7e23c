//! The integrations the host serves and what it needs of each: the spec, its event reader, the verifier of the
//! platform webhook endpoint (from the deployment's `<PROVIDER>_INTEGRATION_WEBHOOK_SECRET`), and how a
//! connection's JSON secrets become a client credential (through the integration's own `ConnectionSecrets`).

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde_json::Value;
use spec_core::Secret;
use spec_core::{AuthKind, IntegrationSpec};
use spec_runtime::client::{ConnectionConfig, ConnectionSecrets, Credential};
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
pub struct Credentials {
    /// The auth method the credential is for.
    pub auth: AuthKind,
    /// The credential.
    pub credential: Credential,
    /// The account named by the config (`account_id` of a Stripe config).
    pub account_id: Option<String>,
}

fn typed<C, S>(auth_kinds: &[AuthKind], config: &Value, secrets: &Value) -> Result<Credentials, String>
where
    C: DeserializeOwned + ConnectionConfig,
    S: DeserializeOwned + ConnectionSecrets,
{
    let c: C = serde_json::from_value(config.clone()).map_err(|e| format!("config: {e}"))?;
    let s: S = serde_json::from_value(secrets.clone()).map_err(|e| format!("secrets: {e}"))?;
    for &auth in auth_kinds {
        if let Some(credential) = s.credential(auth) {
            return Ok(Credentials {
                auth,
                credential,
                account_id: c.account_id().map(str::to_string),
            });
        }
    }
    Err("the secrets hold no credential for any of the integration's auth methods".into())
}

/// The credential a connection's secrets hold for the first auth method of the spec they fit (OAuth excluded:
/// its tokens come from the connect flow), read by the integration's own secrets type. `None` for an
/// integration the host knows only by its spec.
pub fn credentials(spec: &IntegrationSpec, config: &Value, secrets: &Value) -> Option<Result<Credentials, String>> {
    let kinds: Vec<AuthKind> = spec
        .supported_auth_methods
        .iter()
        .map(|m| m.kind())
        .filter(|k| !matches!(k, AuthKind::WebhookSigning | AuthKind::OAuth2))
        .collect();
    match spec.provider_id() {
        "stripe" => Some(typed::<
            integrations::stripe::StripeConfig,
            integrations::stripe::StripeSecrets,
        >(&kinds, config, secrets)),
        "github" => Some(typed::<
            integrations::github::GithubConfig,
            integrations::github::GithubSecrets,
        >(&kinds, config, secrets)),
        "slack" => Some(typed::<
            integrations::slack::SlackConfig,
            integrations::slack::SlackSecrets,
        >(&kinds, config, secrets)),
        _ => None,
    }
}

/// Secret fields that sign a connection's own webhook deliveries, in the order they are looked up.
pub const WEBHOOK_SECRET_FIELDS: &[&str] = &["webhook_secret", "signing_secret"];

/// The secret that signs a connection's own webhook deliveries.
pub fn webhook_secret(secrets: &Value) -> Option<Secret> {
    WEBHOOK_SECRET_FIELDS
        .iter()
        .find_map(|f| secrets.get(*f).and_then(Value::as_str))
        .filter(|s| !s.is_empty())
        .map(Secret::new)
}
