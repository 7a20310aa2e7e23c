use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

/// The operating system's random source failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the system random source failed: {0}")]
pub struct RandomError(String);

/// `bytes` random bytes, base64url without padding.
pub(crate) fn random_token(bytes: usize) -> Result<String, RandomError> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| RandomError(e.to_string()))?;
    Ok(URL_SAFE_NO_PAD.encode(buf))
}

/// A PKCE (RFC 7636) code verifier: 32 random bytes, base64url (43 characters).
pub(crate) fn pkce_verifier() -> Result<String, RandomError> {
    random_token(32)
}

/// The S256 challenge of a PKCE verifier.
pub(crate) fn pkce_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}
