//! GitHub: `X-Hub-Signature-256: sha256=<hex>` (or legacy `X-Hub-Signature: sha1=<hex>`) over the body.
//! GitHub signs no timestamp, so no tolerance applies.

use crate::webhook::error::WebhookError;
use crate::webhook::headers::Headers;
use crate::webhook::key::{Key, Tag};
use crate::webhook::options::VerifierOptions;
use crate::webhook::verifier::{Verified, Verifier};
use spec_core::SigningAlgorithm;

fn prefix(options: &VerifierOptions) -> &'static str {
    match options.algorithm {
        SigningAlgorithm::HmacSha1 => "sha1",
        _ => "sha256",
    }
}

pub(super) fn verify<H: Headers + ?Sized>(v: &Verifier, headers: &H, body: &[u8]) -> Result<Verified, WebhookError> {
    let name = v.options().signature_header.as_str();
    let header = v.header(headers, name)?;
    let expected = prefix(v.options());
    let (scheme, sig) = header.split_once('=').ok_or_else(|| WebhookError::MalformedHeader {
        header: name.to_string(),
        reason: "expected `<algorithm>=<hex>`",
    })?;
    if scheme.trim_ascii() != expected {
        return Err(WebhookError::NoExpectedScheme {
            header: name.to_string(),
            expected,
        });
    }
    let candidate = Tag::from_hex(sig.trim_ascii().as_bytes());
    let secret_index = v.find_match(&[body], || candidate.into_iter())?;
    Ok(Verified {
        timestamp: None,
        secret_index,
    })
}

pub(super) fn sign(options: &VerifierOptions, key: &Key, body: &[u8]) -> Vec<(String, String)> {
    let sig = key.tag(&[body]).to_hex();
    vec![(options.signature_header.clone(), format!("{}={sig}", prefix(options)))]
}
