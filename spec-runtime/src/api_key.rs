//! Provider API keys: checked against the key formats the integration declares on its `api_key` auth method
//! (`key_prefixes`, `key_min_body`), live or test mode derived, and the value held as a [`Secret`] so it is
//! never printed.
//!
//! ```
//! use spec_runtime::api_key::{ApiKey, KeyKind, KeyMode};
//!
//! let spec: spec_core::IntegrationSpec = serde_json::from_value(serde_json::json!({
//!     "meta": {"key": "payments.demo", "version": "1.0.0", "category": "payments", "title": "Demo",
//!              "domain": "payments", "stability": "beta"},
//!     "supported_modes": ["managed"],
//!     "transports": [{"type": "rest", "base_url": "https://api.demo.test"}],
//!     "preferred_transport": "rest",
//!     "supported_auth_methods": [{"type": "api-key", "header_name": "Authorization", "prefix": "Bearer ",
//!         "key_prefixes": [{"prefix": "dk_live_", "kind": "secret", "mode": "live"},
//!                          {"prefix": "dr_test_", "kind": "restricted", "mode": "test"}],
//!         "key_min_body": 8}],
//!     "config": {"type_name": "DemoConfig"},
//!     "secrets": {"type_name": "DemoSecrets"}
//! }))?;
//! let key = ApiKey::parse(&spec, "dr_test_4eC39HqLyjWDarjtT1zdp7dc")?;
//! assert_eq!(key.mode(), Some(KeyMode::Test));
//! assert_eq!(key.kind(), Some(KeyKind::Restricted));
//! assert!(!format!("{key:?} {key}").contains("4eC39"));
//! assert!(ApiKey::parse(&spec, "pk_test_4eC39HqLyjWDarjtT1zdp7dc").is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use spec_core::{IntegrationSpec, Secret};
pub use spec_core::{KeyKind, KeyMode, KeyPrefix};

/// Why a key was refused. Never carries the key itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ApiKeyError {
    /// The integration declares no `api_key` auth method.
    #[error("the {provider} integration declares no api_key auth method")]
    NoApiKeyMethod {
        /// Provider id.
        provider: String,
    },
    /// The key is empty.
    #[error("the {provider} API key is empty")]
    Empty {
        /// Provider id.
        provider: String,
    },
    /// The key starts with none of the accepted prefixes.
    #[error("the {provider} API key must start with one of {}", .expected.join(", "))]
    UnknownPrefix {
        /// Provider id.
        provider: String,
        /// Accepted prefixes.
        expected: Vec<String>,
    },
    /// The part after the prefix is too short or has characters other than ASCII letters and digits.
    #[error(
        "the {provider} API key has a malformed body after `{prefix}` \
         (expected at least {min_len} ASCII letters or digits)"
    )]
    MalformedBody {
        /// Provider id.
        provider: String,
        /// The recognised prefix.
        prefix: String,
        /// Minimum body length.
        min_len: u32,
    },
}

/// A provider API key whose format was checked. `Debug` and `Display` show only the prefix.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey {
    provider: String,
    prefix: Option<KeyPrefix>,
    secret: Secret,
}

impl ApiKey {
    /// Checks `key` against the key formats `spec` declares on its `api_key` auth method and derives its
    /// mode and kind. Without declared prefixes any non-empty key is accepted, with no mode or kind.
    pub fn parse(spec: &IntegrationSpec, key: impl Into<String>) -> Result<Self, ApiKeyError> {
        let provider = spec.provider_id().to_string();
        let method = spec.api_key_auth().ok_or_else(|| ApiKeyError::NoApiKeyMethod {
            provider: provider.clone(),
        })?;
        let key = key.into();
        if key.is_empty() {
            return Err(ApiKeyError::Empty { provider });
        }
        if method.key_prefixes.is_empty() {
            return Ok(Self {
                provider,
                prefix: None,
                secret: Secret::new(key),
            });
        }
        let prefix = method
            .key_prefixes
            .iter()
            .find(|p| key.starts_with(&p.prefix))
            .ok_or_else(|| ApiKeyError::UnknownPrefix {
                provider: provider.clone(),
                expected: method.key_prefixes.iter().map(|p| p.prefix.clone()).collect(),
            })?;
        let body = key.get(prefix.prefix.len()..).unwrap_or_default();
        let min_len = method.key_min_body.unwrap_or(1);
        let long_enough = usize::try_from(min_len).is_ok_and(|min| body.len() >= min);
        if !long_enough || !body.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(ApiKeyError::MalformedBody {
                provider,
                prefix: prefix.prefix.clone(),
                min_len,
            });
        }
        Ok(Self {
            provider,
            prefix: Some(prefix.clone()),
            secret: Secret::new(key),
        })
    }

    /// Provider id.
    pub fn provider(&self) -> &str {
        &self.provider
    }

    /// Live or test mode, when the integration declares key prefixes.
    pub fn mode(&self) -> Option<KeyMode> {
        self.prefix.as_ref().map(|p| p.mode)
    }

    /// Whether the key is known to act on live data.
    pub fn is_live(&self) -> bool {
        self.mode() == Some(KeyMode::Live)
    }

    /// Secret, restricted or publishable, when the integration declares key prefixes.
    pub fn kind(&self) -> Option<KeyKind> {
        self.prefix.as_ref().map(|p| p.kind)
    }

    /// The recognised prefix (`sk_test_`), when the integration declares key prefixes.
    pub fn prefix(&self) -> Option<&str> {
        self.prefix.as_ref().map(|p| p.prefix.as_str())
    }

    /// The key, still wrapped.
    pub fn secret(&self) -> &Secret {
        &self.secret
    }

    /// Unwraps into the secret value.
    pub fn into_secret(self) -> Secret {
        self.secret
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiKey")
            .field("provider", &self.provider)
            .field("kind", &self.kind())
            .field("mode", &self.mode())
            .field("key", &self.secret)
            .finish()
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[REDACTED]", self.prefix().unwrap_or_default())
    }
}
