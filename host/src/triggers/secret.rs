//! The signing secret of an HTTP target: `whsec_` and 32 random bytes in base64, the Standard Webhooks format.

use base64::Engine as _;

/// The prefix of every signing secret.
pub const PREFIX: &str = "whsec_";

/// A new signing secret.
pub fn generate() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)?;
    Ok(format!(
        "{PREFIX}{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    ))
}
