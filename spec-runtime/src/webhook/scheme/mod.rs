//! The four signature layouts: header parsing, signed content, and signing.

mod github;
mod slack;
mod standard;
mod stripe;

use super::error::WebhookError;
use super::headers::Headers;
use super::key::Key;
use super::options::VerifierOptions;
use super::verifier::{Verified, Verifier};
use spec_core::SignatureScheme;

/// Verifies with the verifier's scheme; the body size has been checked.
pub(super) fn verify<H: Headers + ?Sized>(
    v: &Verifier,
    headers: &H,
    body: &[u8],
    now: i64,
) -> Result<Verified, WebhookError> {
    match v.options().scheme {
        SignatureScheme::Stripe => stripe::verify(v, headers, body, now),
        SignatureScheme::Github => github::verify(v, headers, body),
        SignatureScheme::Slack => slack::verify(v, headers, body, now),
        SignatureScheme::StandardWebhooks => standard::verify(v, headers, body, now),
    }
}

/// The headers a provider would send for `body`, signed with `key`.
pub(super) fn sign(
    options: &VerifierOptions,
    key: &Key,
    id: &str,
    timestamp: i64,
    body: &[u8],
) -> Vec<(String, String)> {
    match options.scheme {
        SignatureScheme::Stripe => stripe::sign(options, key, timestamp, body),
        SignatureScheme::Github => github::sign(options, key, body),
        SignatureScheme::Slack => slack::sign(options, key, timestamp, body),
        SignatureScheme::StandardWebhooks => standard::sign(options, key, id, timestamp, body),
    }
}

/// Parses a Unix timestamp written as 1 to 18 ASCII digits (no sign, so no overflow).
pub(crate) fn parse_timestamp(text: &[u8]) -> Option<i64> {
    if text.is_empty() || text.len() > 18 {
        return None;
    }
    let mut value: i64 = 0;
    for &b in text {
        if !b.is_ascii_digit() {
            return None;
        }
        value = value * 10 + i64::from(b - b'0');
    }
    Some(value)
}

/// The header name an option holds, or the scheme's default when it was cleared.
fn name_or<'a>(name: &'a Option<String>, default: &'a str) -> &'a str {
    name.as_deref().unwrap_or(default)
}
