//! Standard Webhooks: `webhook-signature: v1,<base64> [v1,<base64>…]` over `{id}.{ts}.{body}`, with
//! `webhook-id` and `webhook-timestamp`; keys are `whsec_` + base64. Other versions (`v1a`) are ignored.

use spec_core::SignatureScheme;

use super::{name_or, parse_timestamp};
use crate::webhook::error::WebhookError;
use crate::webhook::headers::Headers;
use crate::webhook::key::{Key, Tag};
use crate::webhook::options::VerifierOptions;
use crate::webhook::verifier::{Verified, Verifier};

const VERSION: &str = "v1";
/// The scheme's id and timestamp headers, when the options name none.
const ID_HEADER: &str = match SignatureScheme::StandardWebhooks.default_id_header() {
    Some(h) => h,
    None => "",
};
const TIMESTAMP_HEADER: &str = match SignatureScheme::StandardWebhooks.default_timestamp_header() {
    Some(h) => h,
    None => "",
};

/// The `v1` signatures of the header (space-delimited `version,signature` entries).
fn signatures(header: &str) -> impl Iterator<Item = &str> {
    header
        .split_ascii_whitespace()
        .filter_map(|entry| entry.split_once(','))
        .filter(|(version, _)| *version == VERSION)
        .map(|(_, sig)| sig)
}

pub(super) fn verify<H: Headers + ?Sized>(
    v: &Verifier,
    headers: &H,
    body: &[u8],
    now: i64,
) -> Result<Verified, WebhookError> {
    let name = v.options().signature_header.as_str();
    let id_name = name_or(&v.options().id_header, ID_HEADER);
    let ts_name = name_or(&v.options().timestamp_header, TIMESTAMP_HEADER);
    let id = v.header(headers, id_name)?;
    let ts_text = v.header(headers, ts_name)?;
    let header = v.header(headers, name)?;
    let timestamp = parse_timestamp(ts_text.as_bytes()).ok_or_else(|| WebhookError::MalformedHeader {
        header: ts_name.to_string(),
        reason: "not a Unix time in seconds",
    })?;
    if signatures(header).next().is_none() {
        return Err(WebhookError::NoExpectedScheme {
            header: name.to_string(),
            expected: VERSION,
        });
    }
    let parts: [&[u8]; 5] = [id.as_bytes(), b".", ts_text.as_bytes(), b".", body];
    let secret_index = v.find_match(&parts, || signatures(header).filter_map(Tag::from_base64))?;
    v.check_timestamp(timestamp, now)?;
    Ok(Verified {
        timestamp: Some(timestamp),
        secret_index,
    })
}

pub(super) fn sign(
    options: &VerifierOptions,
    key: &Key,
    id: &str,
    timestamp: i64,
    body: &[u8],
) -> Vec<(String, String)> {
    let ts = timestamp.to_string();
    let sig = key.tag(&[id.as_bytes(), b".", ts.as_bytes(), b".", body]).to_base64();
    vec![
        (name_or(&options.id_header, ID_HEADER).to_string(), id.to_string()),
        (name_or(&options.timestamp_header, TIMESTAMP_HEADER).to_string(), ts),
        (options.signature_header.clone(), format!("{VERSION},{sig}")),
    ]
}
