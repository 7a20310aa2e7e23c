use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

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

/// A PKCE (RFC 7636) code verifier: 32 random bytes, base64url (43 characters, within the 43–128 that
/// `oauth2::PkceCodeChallenge::from_code_verifier_sha256` requires).
pub(crate) fn pkce_verifier() -> Result<String, RandomError> {
    random_token(32)
}
