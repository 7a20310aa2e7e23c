use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use spec_core::Secret;

type HmacSha256 = Hmac<Sha256>;

/// What an OAuth `state` parameter carries, signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatePayload {
    /// Project the connection belongs to.
    #[serde(rename = "p")]
    pub project: String,
    /// Connection name within the project.
    #[serde(rename = "c")]
    pub connection: String,
    /// Single-use nonce, also the key of the server-side pending authorization.
    #[serde(rename = "n")]
    pub nonce: String,
    /// Expiry, seconds since the Unix epoch.
    #[serde(rename = "e")]
    pub expires_at: u64,
}

/// Why a callback's `state` was refused. Each attack has its own variant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StateError {
    /// Not a state this server could have issued (wrong shape or encoding).
    #[error("the OAuth state is malformed")]
    Malformed,
    /// The signature does not match the payload: the state was altered or signed with another key.
    #[error("the OAuth state signature does not match (tampered state)")]
    Tampered,
    /// The state is authentic but past its expiry.
    #[error("the OAuth state expired at {expired_at} (Unix seconds)")]
    Expired {
        /// Expiry, seconds since the Unix epoch.
        expired_at: u64,
    },
    /// The state was already used, or its pending authorization is gone.
    #[error("the OAuth state was already used")]
    Replayed,
    /// The state was issued for another project than the one completing the callback.
    #[error("the OAuth state was issued for project `{issued_for}`, not `{project}`")]
    OtherProject {
        /// Project completing the callback.
        project: String,
        /// Project the state was issued for.
        issued_for: String,
    },
}

/// Signs and verifies OAuth state: `base64url(json payload) "." base64url(HMAC-SHA256(key, first part))`.
#[derive(Debug, Clone)]
pub struct StateSigner {
    key: Secret,
}

impl StateSigner {
    /// A signer keyed with `key`.
    pub fn new(key: Secret) -> Self {
        Self { key }
    }

    fn mac(&self) -> HmacSha256 {
        // HMAC takes keys of any length.
        match HmacSha256::new_from_slice(self.key.expose().as_bytes()) {
            Ok(m) => m,
            Err(_) => unreachable!("HMAC accepts keys of any length"),
        }
    }

    /// The signed state for `payload`.
    pub fn sign(&self, payload: &StatePayload) -> String {
        let json = match serde_json::to_vec(payload) {
            Ok(j) => j,
            Err(_) => unreachable!("a struct of strings and integers serializes"),
        };
        let body = URL_SAFE_NO_PAD.encode(json);
        let mut mac = self.mac();
        mac.update(body.as_bytes());
        let sig = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
        format!("{body}.{sig}")
    }

    /// Checks the signature (in constant time) and decodes the payload. Expiry, project and nonce are
    /// checked by the caller, which knows the time and the store.
    pub fn verify(&self, state: &str) -> Result<StatePayload, StateError> {
        let (body, sig) = state.split_once('.').ok_or(StateError::Malformed)?;
        if body.is_empty() || sig.contains('.') {
            return Err(StateError::Malformed);
        }
        let sig = URL_SAFE_NO_PAD.decode(sig).map_err(|_| StateError::Malformed)?;
        let mut mac = self.mac();
        mac.update(body.as_bytes());
        mac.verify_slice(&sig).map_err(|_| StateError::Tampered)?;
        let json = URL_SAFE_NO_PAD.decode(body).map_err(|_| StateError::Malformed)?;
        serde_json::from_slice(&json).map_err(|_| StateError::Malformed)
    }
}

/// Seconds since the Unix epoch, as the state carries them (0 before the epoch).
pub(crate) fn unix_secs(t: std::time::SystemTime) -> u64 {
    u64::try_from(crate::clock::unix_seconds(t)).unwrap_or(0)
}
