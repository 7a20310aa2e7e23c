//! Project API keys: 32 random bytes shown once as `ihk_<base64url>`, stored as their SHA-256.

use base64::Engine as _;
use sha2::{Digest as _, Sha256};
use subtle::ConstantTimeEq as _;

/// The prefix of every project key.
pub const KEY_PREFIX: &str = "ihk_";

/// A new random key and its hash.
pub fn generate() -> Result<(String, [u8; 32]), getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    let key = format!(
        "{KEY_PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    );
    let hash = hash(&key);
    Ok((key, hash))
}

/// SHA-256 of the key text (a key carries 256 random bits, so no slow hash is needed).
pub fn hash(key: &str) -> [u8; 32] {
    Sha256::digest(key.as_bytes()).into()
}

/// Compares two hashes in constant time.
pub fn same_hash(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

/// Whether `key` has the shape of a project key (cheap check before hashing and a lookup).
pub fn well_formed(key: &str) -> bool {
    key.strip_prefix(KEY_PREFIX).is_some_and(|rest| {
        rest.len() == 43
            && rest
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

/// A new id with `prefix` (`proj_`, `conn_`): 128 random bits, hex.
pub fn new_id(prefix: &str) -> String {
    format!("{prefix}{}", uuid::Uuid::new_v4().simple())
}

#[cfg(test)]
mod tests {
    #[test]
    fn generated_keys_are_well_formed_and_hash_to_their_hash() {
        let (key, h) = super::generate().unwrap();
        assert!(super::well_formed(&key), "{key}");
        assert!(super::same_hash(&super::hash(&key), &h));
        assert!(!super::well_formed("ihk_short"));
        assert!(!super::same_hash(&super::hash("other"), &h));
    }
}
