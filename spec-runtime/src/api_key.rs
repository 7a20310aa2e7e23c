//! Provider API keys: format checked against a small per-provider table, live or test mode derived,
//! and the value held as a [`Secret`] so it is never printed.
//!
//! ```
//! use spec_runtime::api_key::{ApiKey, KeyKind, KeyMode};
//!
//! let key = ApiKey::parse("stripe", "rk_test_4eC39HqLyjWDarjtT1zdp7dc").unwrap();
//! assert_eq!(key.mode(), KeyMode::Test);
//! assert_eq!(key.kind(), KeyKind::Restricted);
//! assert!(!format!("{key:?} {key}").contains("4eC39"));
//! assert!(ApiKey::parse("stripe", "pk_test_4eC39HqLyjWDarjtT1zdp7dc").is_err());
//! ```

use std::fmt;

use spec_core::Secret;

/// Whether a key acts on live data or on the provider's test environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyMode {
    /// Live data (real money for a payments provider).
    Live,
    /// The provider's test environment.
    Test,
}

impl KeyMode {
    /// `live` or `test`.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyMode::Live => "live",
            KeyMode::Test => "test",
        }
    }
}

impl fmt::Display for KeyMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a key may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyKind {
    /// A full-access secret key.
    Secret,
    /// A restricted key limited to the permissions chosen when it was created.
    Restricted,
}

/// One accepted key prefix and what it tells about the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyPrefix {
    /// The literal prefix (`sk_live_`).
    pub prefix: &'static str,
    /// Kind of key carrying this prefix.
    pub kind: KeyKind,
    /// Mode of key carrying this prefix.
    pub mode: KeyMode,
}

/// The key format of one provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyFormat {
    /// Provider id (`stripe`).
    pub provider: &'static str,
    /// Accepted prefixes.
    pub prefixes: &'static [KeyPrefix],
    /// Minimum number of characters after the prefix; they must be ASCII letters or digits.
    pub min_body_len: usize,
}

/// Key formats by provider. Add a row to teach the framework a provider's keys.
pub const KEY_FORMATS: &[KeyFormat] = &[KeyFormat {
    provider: "stripe",
    prefixes: &[
        KeyPrefix {
            prefix: "sk_live_",
            kind: KeyKind::Secret,
            mode: KeyMode::Live,
        },
        KeyPrefix {
            prefix: "sk_test_",
            kind: KeyKind::Secret,
            mode: KeyMode::Test,
        },
        KeyPrefix {
            prefix: "rk_live_",
            kind: KeyKind::Restricted,
            mode: KeyMode::Live,
        },
        KeyPrefix {
            prefix: "rk_test_",
            kind: KeyKind::Restricted,
            mode: KeyMode::Test,
        },
    ],
    min_body_len: 8,
}];

/// The key format of a provider, if the table has one.
pub fn key_format(provider: &str) -> Option<&'static KeyFormat> {
    KEY_FORMATS.iter().find(|f| f.provider == provider)
}

/// Why a key was refused. Never carries the key itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiKeyError {
    /// The table has no key format for the provider.
    #[error("no API key format is known for provider `{provider}`")]
    UnknownProvider {
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
        expected: Vec<&'static str>,
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
        prefix: &'static str,
        /// Minimum body length.
        min_len: usize,
    },
}

/// A provider API key whose format was checked. `Debug` and `Display` show only the prefix.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey {
    provider: &'static str,
    prefix: &'static KeyPrefix,
    secret: Secret,
}

impl ApiKey {
    /// Checks `key` against the provider's format and derives its mode and kind.
    pub fn parse(provider: &str, key: impl Into<String>) -> Result<Self, ApiKeyError> {
        let format = key_format(provider).ok_or_else(|| ApiKeyError::UnknownProvider {
            provider: provider.to_string(),
        })?;
        let key = key.into();
        if key.is_empty() {
            return Err(ApiKeyError::Empty {
                provider: format.provider.to_string(),
            });
        }
        let prefix = format
            .prefixes
            .iter()
            .find(|p| key.starts_with(p.prefix))
            .ok_or_else(|| ApiKeyError::UnknownPrefix {
                provider: format.provider.to_string(),
                expected: format.prefixes.iter().map(|p| p.prefix).collect(),
            })?;
        let body = &key[prefix.prefix.len()..];
        if body.len() < format.min_body_len || !body.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(ApiKeyError::MalformedBody {
                provider: format.provider.to_string(),
                prefix: prefix.prefix,
                min_len: format.min_body_len,
            });
        }
        Ok(Self {
            provider: format.provider,
            prefix,
            secret: Secret::new(key),
        })
    }

    /// Provider id.
    pub fn provider(&self) -> &'static str {
        self.provider
    }

    /// Live or test mode.
    pub fn mode(&self) -> KeyMode {
        self.prefix.mode
    }

    /// Whether the key acts on live data.
    pub fn is_live(&self) -> bool {
        self.prefix.mode == KeyMode::Live
    }

    /// Secret or restricted.
    pub fn kind(&self) -> KeyKind {
        self.prefix.kind
    }

    /// The recognised prefix (`sk_test_`).
    pub fn prefix(&self) -> &'static str {
        self.prefix.prefix
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
            .field("kind", &self.prefix.kind)
            .field("mode", &self.prefix.mode)
            .field("key", &self.secret)
            .finish()
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}[REDACTED]", self.prefix.prefix)
    }
}
