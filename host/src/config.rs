//! Configuration from the environment that is not a command-line flag: the sealing keys.

use crate::seal::{SealError, Sealer};

/// Why the configuration is unusable; names the variable.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A required variable is not set.
    #[error("{variable} is not set: {hint}")]
    Missing {
        /// The variable.
        variable: &'static str,
        /// How to set it.
        hint: &'static str,
    },
    /// A sealing key is not usable.
    #[error(transparent)]
    Seal(#[from] SealError),
}

/// Key id used when `HOST_SEAL_KEY_ID` is not set.
pub const DEFAULT_SEAL_KEY_ID: &str = "k1";

/// The sealer from `HOST_SEAL_KEY` (32 bytes, base64), `HOST_SEAL_KEY_ID` (default `k1`) and
/// `HOST_SEAL_OLD_KEYS` (`id:base64,…`, keys that still open older rows), read through `var`.
pub fn sealer_from(var: impl Fn(&str) -> Option<String>) -> Result<Sealer, ConfigError> {
    let key = var("HOST_SEAL_KEY")
        .filter(|v| !v.is_empty())
        .ok_or(ConfigError::Missing {
            variable: "HOST_SEAL_KEY",
            hint: "secrets are sealed under it; create one with `openssl rand -base64 32` and keep it",
        })?;
    let id = var("HOST_SEAL_KEY_ID")
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| DEFAULT_SEAL_KEY_ID.to_string());
    let old = var("HOST_SEAL_OLD_KEYS");
    Ok(Sealer::new(&id, &key, old.as_deref())?)
}

/// The sealer from the process environment.
pub fn sealer_from_env() -> Result<Sealer, ConfigError> {
    sealer_from(|name| std::env::var(name).ok())
}
