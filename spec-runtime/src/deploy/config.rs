use std::fmt;

use url::Url;

use super::EnvSource;
use crate::api_key::{ApiKey, ApiKeyError, KeyMode};
use spec_core::{IntegrationSpec, Secret};

/// Platform-wide base URL variables tried, in order, after the integration's own `APP_BASE_URL`.
const BASE_URL_FALLBACKS: &[&str] = &["API_BASE_URL", "APP_BASE_URL"];

const ENABLES_CONNECT: &str = "the OAuth connect flow";
const ENABLES_URLS: &str = "the OAuth redirect URI and the webhook URL";
const ENABLES_STATE: &str = "signing of OAuth state";
const ENABLES_WEBHOOK: &str = "verification of inbound webhook signatures";

/// One missing piece of configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingVariable {
    /// The variable to set (`STRIPE_INTEGRATION_CLIENT_ID`).
    pub variable: String,
    /// Variables that would also have been accepted, in the order they are tried.
    pub alternatives: Vec<String>,
    /// What the variable enables.
    pub enables: &'static str,
}

impl fmt::Display for MissingVariable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.alternatives.is_empty() {
            write!(f, "{} is not set (it enables {})", self.variable, self.enables)
        } else {
            write!(
                f,
                "none of {}, {} is set (it enables {})",
                self.variable,
                self.alternatives.join(", "),
                self.enables
            )
        }
    }
}

/// Configuration a feature needs is missing; names each variable and what it enables.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct MissingConfig {
    /// The missing variables.
    pub missing: Vec<MissingVariable>,
}

impl MissingConfig {
    /// Whether `variable` is among the missing ones (as the main name or an alternative).
    pub fn names(&self, variable: &str) -> bool {
        self.missing
            .iter()
            .any(|m| m.variable == variable || m.alternatives.iter().any(|a| a == variable))
    }
}

impl fmt::Display for MissingConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("missing deployment configuration: ")?;
        for (i, m) in self.missing.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{m}")?;
        }
        Ok(())
    }
}

/// A variable is set but its value is unusable. Secret values are never included.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DeployEnvError {
    /// A base URL variable does not hold an absolute `http(s)` URL.
    #[error("{variable} must be an absolute http(s) URL without query or fragment, got `{value}`: {reason}")]
    InvalidUrl {
        /// Variable name.
        variable: String,
        /// The value found (a URL is not a secret).
        value: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The secret key does not have the provider's key format.
    #[error("{variable} is not a valid key: {source}")]
    InvalidSecretKey {
        /// Variable name.
        variable: String,
        /// What is wrong with the key.
        source: ApiKeyError,
    },
}

/// Everything the OAuth connect flow needs from the deployment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectSettings {
    /// Provider id (`stripe`).
    pub provider: String,
    /// OAuth client id (`ca_…` for Stripe).
    pub client_id: String,
    /// Client secret; for Stripe the platform secret key.
    pub client_secret: Secret,
    /// Where the provider sends the browser back (`{base}/v1/provider/{provider}/callback`).
    pub redirect_uri: Url,
    /// Key that signs OAuth state.
    pub signing_secret: Secret,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct BaseUrl {
    url: Url,
    variable: String,
}

/// An integration's deployment configuration, read from the environment.
///
/// Reading never fails for a missing variable: each accessor reports what is missing when a feature
/// needs it, so an integration without OAuth credentials still runs with API keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeployConfig {
    provider: String,
    prefix: String,
    client_id: Option<String>,
    secret_key: Option<Secret>,
    secret_key_mode: Option<KeyMode>,
    base_url: Option<BaseUrl>,
    signing_secret: Option<Secret>,
    webhook_secret: Option<Secret>,
}

impl DeployConfig {
    /// Reads the provider's variables from `env`. Empty variables count as unset. Fails only on values
    /// that are set but unusable (a malformed base URL, a secret key of the wrong format).
    ///
    /// The secret key is checked against the key formats `spec` declares on its `api_key` auth method.
    pub fn from_env<E: EnvSource + ?Sized>(spec: &IntegrationSpec, env: &E) -> Result<Self, DeployEnvError> {
        let provider_id = spec.provider_id();
        let prefix = spec.deploy_prefix();
        let name = |suffix: &str| format!("{prefix}{suffix}");

        let secret_var = name("SECRET_KEY");
        let secret_key = env.non_empty(&secret_var).map(Secret::new);
        let declares_formats = spec.api_key_auth().is_some_and(|k| !k.key_prefixes.is_empty());
        let secret_key_mode = match &secret_key {
            Some(key) if declares_formats => ApiKey::parse(spec, key.expose())
                .map_err(|source| DeployEnvError::InvalidSecretKey {
                    variable: secret_var.clone(),
                    source,
                })?
                .mode(),
            _ => None,
        };

        let mut base_url = None;
        let own = name("APP_BASE_URL");
        for variable in std::iter::once(own.as_str()).chain(BASE_URL_FALLBACKS.iter().copied()) {
            if let Some(value) = env.non_empty(variable) {
                base_url = Some(BaseUrl {
                    url: parse_base_url(variable, &value)?,
                    variable: variable.to_string(),
                });
                break;
            }
        }

        Ok(Self {
            provider: provider_id.to_string(),
            client_id: env.non_empty(&name("CLIENT_ID")),
            secret_key,
            secret_key_mode,
            base_url,
            signing_secret: env.non_empty(&name("SIGNING_SECRET")).map(Secret::new),
            webhook_secret: env.non_empty(&name("WEBHOOK_SECRET")).map(Secret::new),
            prefix,
        })
    }

    /// Reads the provider's variables from the process environment.
    pub fn from_process_env(spec: &IntegrationSpec) -> Result<Self, DeployEnvError> {
        Self::from_env(spec, &super::ProcessEnv)
    }

    /// Provider id.
    pub fn provider(&self) -> &str {
        &self.provider
    }

    /// The variable prefix (`STRIPE_INTEGRATION_`).
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The full name of one of the integration's variables (`CLIENT_ID` → `STRIPE_INTEGRATION_CLIENT_ID`).
    pub fn var_name(&self, suffix: &str) -> String {
        format!("{}{suffix}", self.prefix)
    }

    fn missing(&self, suffix: &str, enables: &'static str) -> MissingVariable {
        MissingVariable {
            variable: self.var_name(suffix),
            alternatives: Vec::new(),
            enables,
        }
    }

    fn missing_base_url(&self) -> MissingVariable {
        MissingVariable {
            variable: self.var_name("APP_BASE_URL"),
            alternatives: BASE_URL_FALLBACKS.iter().map(|s| s.to_string()).collect(),
            enables: ENABLES_URLS,
        }
    }

    /// The OAuth client id.
    pub fn client_id(&self) -> Result<&str, MissingConfig> {
        self.client_id.as_deref().ok_or_else(|| MissingConfig {
            missing: vec![self.missing("CLIENT_ID", ENABLES_CONNECT)],
        })
    }

    /// The integration secret key (the OAuth client secret).
    pub fn secret_key(&self) -> Result<&Secret, MissingConfig> {
        self.secret_key.as_ref().ok_or_else(|| MissingConfig {
            missing: vec![self.missing("SECRET_KEY", ENABLES_CONNECT)],
        })
    }

    /// Live or test mode of the secret key, when the provider has a key format and the key is set.
    pub fn secret_key_mode(&self) -> Option<KeyMode> {
        self.secret_key_mode
    }

    /// Whether both variables enabling the connect flow are set.
    pub fn connect_enabled(&self) -> bool {
        self.client_id.is_some() && self.secret_key.is_some()
    }

    /// The application's public base URL.
    pub fn app_base_url(&self) -> Result<&Url, MissingConfig> {
        self.base_url.as_ref().map(|b| &b.url).ok_or_else(|| MissingConfig {
            missing: vec![self.missing_base_url()],
        })
    }

    /// Which variable supplied the base URL (`STRIPE_INTEGRATION_APP_BASE_URL`, `API_BASE_URL` or
    /// `APP_BASE_URL`).
    pub fn app_base_url_source(&self) -> Option<&str> {
        self.base_url.as_ref().map(|b| b.variable.as_str())
    }

    fn derived(&self, path: &str) -> Result<Url, MissingConfig> {
        let base = self.app_base_url()?;
        let joined = format!("{}{path}", base.as_str().trim_end_matches('/'));
        // The base parsed as an absolute URL and the tail is plain path text.
        Url::parse(&joined).map_err(|_| MissingConfig {
            missing: vec![self.missing_base_url()],
        })
    }

    /// The OAuth redirect URI: `{base}/v1/provider/{provider}/callback`.
    pub fn redirect_uri(&self) -> Result<Url, MissingConfig> {
        self.derived(&spec_core::callback_path(&self.provider))
    }

    /// The webhook URL to register with the provider: `{base}/v1/provider/{provider}/webhook/events`.
    pub fn webhook_url(&self) -> Result<Url, MissingConfig> {
        self.derived(&spec_core::webhook_path(&self.provider))
    }

    /// The key signing OAuth state: `SIGNING_SECRET`, or the secret key when that is empty.
    pub fn signing_secret(&self) -> Result<&Secret, MissingConfig> {
        self.signing_secret
            .as_ref()
            .or(self.secret_key.as_ref())
            .ok_or_else(|| MissingConfig {
                missing: vec![MissingVariable {
                    variable: self.var_name("SIGNING_SECRET"),
                    alternatives: vec![self.var_name("SECRET_KEY")],
                    enables: ENABLES_STATE,
                }],
            })
    }

    /// Whether state is signed with the dedicated signing secret (not the secret-key fallback).
    pub fn has_dedicated_signing_secret(&self) -> bool {
        self.signing_secret.is_some()
    }

    /// The secret verifying inbound webhook signatures.
    pub fn webhook_secret(&self) -> Result<&Secret, MissingConfig> {
        self.webhook_secret.as_ref().ok_or_else(|| MissingConfig {
            missing: vec![self.missing("WEBHOOK_SECRET", ENABLES_WEBHOOK)],
        })
    }

    /// Everything the connect flow needs, or every missing variable at once.
    pub fn connect(&self) -> Result<ConnectSettings, MissingConfig> {
        let mut missing = Vec::new();
        if self.client_id.is_none() {
            missing.push(self.missing("CLIENT_ID", ENABLES_CONNECT));
        }
        if self.secret_key.is_none() {
            missing.push(self.missing("SECRET_KEY", ENABLES_CONNECT));
        }
        if self.base_url.is_none() {
            missing.push(self.missing_base_url());
        }
        if !missing.is_empty() {
            return Err(MissingConfig { missing });
        }
        Ok(ConnectSettings {
            provider: self.provider.clone(),
            client_id: self.client_id()?.to_string(),
            client_secret: self.secret_key()?.clone(),
            redirect_uri: self.redirect_uri()?,
            signing_secret: self.signing_secret()?.clone(),
        })
    }
}

fn parse_base_url(variable: &str, value: &str) -> Result<Url, DeployEnvError> {
    let invalid = |reason: String| DeployEnvError::InvalidUrl {
        variable: variable.to_string(),
        value: value.to_string(),
        reason,
    };
    let url = Url::parse(value).map_err(|e| invalid(e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid(format!("scheme `{}` is not http or https", url.scheme())));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid("no host".to_string()));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("has a query or fragment".to_string()));
    }
    Ok(url)
}
