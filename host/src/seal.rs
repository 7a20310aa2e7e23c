//! Sealing of secrets at rest: AES-256-GCM under a key from the environment, a random 96-bit nonce per row, the
//! connection id as associated data (a sealed blob copied to another row does not open), the key id stored
//! beside each row so that old rows can be re-sealed under a new key.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::Engine as _;

use crate::store::Sealed;

const NONCE_LEN: usize = 12;

/// A sealing failure. Never contains secret material.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SealError {
    /// A key variable does not hold 32 base64 bytes.
    #[error("{variable} must be 32 bytes in standard base64 (e.g. `openssl rand -base64 32`): {reason}")]
    BadKey {
        /// The variable.
        variable: String,
        /// What is wrong (never the value).
        reason: String,
    },
    /// A row is sealed under a key id the host was not given.
    #[error("secrets are sealed under key `{0}`, which is not configured (set HOST_SEAL_OLD_KEYS=`{0}`:BASE64)")]
    UnknownKey(String),
    /// The blob does not open with its key (tampered with, or moved to another row).
    #[error("sealed secrets do not open under key `{0}`")]
    Corrupt(String),
    /// No randomness for a nonce.
    #[error("no randomness available for a nonce")]
    Random,
}

struct SealKey {
    id: String,
    cipher: Aes256Gcm,
}

/// The current sealing key and older ones kept for opening.
pub struct Sealer {
    current: SealKey,
    old: Vec<SealKey>,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let old: Vec<&str> = self.old.iter().map(|k| k.id.as_str()).collect();
        f.debug_struct("Sealer")
            .field("current", &self.current.id)
            .field("old", &old)
            .finish()
    }
}

fn parse_key(variable: &str, id: &str, b64: &str) -> Result<SealKey, SealError> {
    let bad = |reason: String| SealError::BadKey {
        variable: variable.to_string(),
        reason,
    };
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .map_err(|_| bad("not valid base64".into()))?;
    if bytes.len() != 32 {
        return Err(bad(format!("decodes to {} bytes, not 32", bytes.len())));
    }
    if id.is_empty() || id.contains([':', ',']) {
        return Err(bad("the key id must be non-empty without `:` or `,`".into()));
    }
    Ok(SealKey {
        id: id.to_string(),
        cipher: Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&bytes)),
    })
}

impl Sealer {
    /// A sealer from the current key (`key_b64`, read from `HOST_SEAL_KEY`) with id `key_id`
    /// (`HOST_SEAL_KEY_ID`) and old keys as `id:base64,…` (`HOST_SEAL_OLD_KEYS`).
    pub fn new(key_id: &str, key_b64: &str, old_keys: Option<&str>) -> Result<Self, SealError> {
        let current = parse_key("HOST_SEAL_KEY", key_id, key_b64)?;
        let mut old = Vec::new();
        for part in old_keys
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let (id, b64) = part.split_once(':').ok_or_else(|| SealError::BadKey {
                variable: "HOST_SEAL_OLD_KEYS".into(),
                reason: "each entry must be `id:base64`".into(),
            })?;
            old.push(parse_key("HOST_SEAL_OLD_KEYS", id, b64)?);
        }
        Ok(Self { current, old })
    }

    /// Id of the key new rows are sealed under.
    pub fn current_key_id(&self) -> &str {
        &self.current.id
    }

    /// Seals `plaintext` for the row `row_id` under the current key.
    pub fn seal(&self, row_id: &str, plaintext: &[u8]) -> Result<Sealed, SealError> {
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce).map_err(|_| SealError::Random)?;
        let ciphertext = self
            .current
            .cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad: row_id.as_bytes(),
                },
            )
            .map_err(|_| SealError::Corrupt(self.current.id.clone()))?;
        let mut blob = Vec::with_capacity(NONCE_LEN + ciphertext.len());
        blob.extend_from_slice(&nonce);
        blob.extend_from_slice(&ciphertext);
        Ok(Sealed {
            key_id: self.current.id.clone(),
            blob,
        })
    }

    /// Opens secrets sealed for `row_id`.
    pub fn open(&self, row_id: &str, sealed: &Sealed) -> Result<Vec<u8>, SealError> {
        let key = std::iter::once(&self.current)
            .chain(&self.old)
            .find(|k| k.id == sealed.key_id)
            .ok_or_else(|| SealError::UnknownKey(sealed.key_id.clone()))?;
        let corrupt = || SealError::Corrupt(sealed.key_id.clone());
        if sealed.blob.len() < NONCE_LEN {
            return Err(corrupt());
        }
        let (nonce, ciphertext) = sealed.blob.split_at(NONCE_LEN);
        key.cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: row_id.as_bytes(),
                },
            )
            .map_err(|_| corrupt())
    }

    /// Whether `sealed` needs re-sealing (it is under another key than the current one).
    pub fn is_stale(&self, sealed: &Sealed) -> bool {
        sealed.key_id != self.current.id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const K1: &str = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    const K2: &str = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";

    #[test]
    fn seals_and_opens_only_for_the_same_row() {
        let s = Sealer::new("k1", K1, None).unwrap();
        let sealed = s.seal("conn_1", b"sk_test_123").unwrap();
        assert!(!sealed.blob.windows(11).any(|w| w == b"sk_test_123"));
        assert_eq!(s.open("conn_1", &sealed).unwrap(), b"sk_test_123");
        assert!(matches!(s.open("conn_2", &sealed), Err(SealError::Corrupt(_))));
        let again = s.seal("conn_1", b"sk_test_123").unwrap();
        assert_ne!(again.blob, sealed.blob, "a fresh nonce per seal");
    }

    #[test]
    fn old_keys_open_and_new_rows_use_the_current_key() {
        let old = Sealer::new("k1", K1, None).unwrap();
        let sealed = old.seal("c", b"x").unwrap();
        let new = Sealer::new("k2", K2, Some(&format!("k1:{K1}"))).unwrap();
        assert!(new.is_stale(&sealed));
        assert_eq!(new.open("c", &sealed).unwrap(), b"x");
        assert_eq!(new.seal("c", b"x").unwrap().key_id, "k2");
        let without_old = Sealer::new("k2", K2, None).unwrap();
        assert!(matches!(without_old.open("c", &sealed), Err(SealError::UnknownKey(_))));
    }

    #[test]
    fn bad_keys_name_the_variable() {
        let e = Sealer::new("k1", "short", None).unwrap_err().to_string();
        assert!(e.contains("HOST_SEAL_KEY"), "{e}");
        let e = Sealer::new("k1", K1, Some("nocolon")).unwrap_err().to_string();
        assert!(e.contains("HOST_SEAL_OLD_KEYS"), "{e}");
        assert!(!e.contains(K1));
    }
}
