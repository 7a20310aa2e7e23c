//! Slack: `X-Slack-Signature: v0=<hex>` over `v0:{ts}:{body}`, the timestamp in `X-Slack-Request-Timestamp`.

use spec_core::SignatureScheme;

use super::{name_or, parse_timestamp};
use crate::webhook::error::WebhookError;
use crate::webhook::headers::Headers;
use crate::webhook::key::{Key, Tag};
use crate::webhook::options::VerifierOptions;
use crate::webhook::verifier::{Verified, Verifier};

const VERSION: &str = "v0";
/// The scheme's timestamp header, when the options name none.
const TIMESTAMP_HEADER: &str = match SignatureScheme::Slack.default_timestamp_header() {
    Some(h) => h,
    None => "",
};

pub(super) fn verify<H: Headers + ?Sized>(
    v: &Verifier,
    headers: &H,
    body: &[u8],
    now: i64,
) -> Result<Verified, WebhookError> {
    let name = v.options().signature_header.as_str();
    let ts_name = name_or(&v.options().timestamp_header, TIMESTAMP_HEADER);
    let header = v.header(headers, name)?;
    let ts_text = v.header(headers, ts_name)?;
    let timestamp = parse_timestamp(ts_text.as_bytes()).ok_or_else(|| WebhookError::MalformedHeader {
        header: ts_name.to_string(),
        reason: "not a Unix time in seconds",
    })?;
    let (version, sig) = header.split_once('=').ok_or_else(|| WebhookError::MalformedHeader {
        header: name.to_string(),
        reason: "expected `v0=<hex>`",
    })?;
    if version.trim_ascii() != VERSION {
        return Err(WebhookError::NoExpectedScheme {
            header: name.to_string(),
            expected: VERSION,
        });
    }
    let candidate = Tag::from_hex(sig.trim_ascii().as_bytes());
    let parts: [&[u8]; 4] = [b"v0:", ts_text.as_bytes(), b":", body];
    let secret_index = v.find_match(&parts, || candidate.into_iter())?;
    v.check_timestamp(timestamp, now)?;
    Ok(Verified {
        timestamp: Some(timestamp),
        secret_index,
    })
}

pub(super) fn sign(options: &VerifierOptions, key: &Key, timestamp: i64, body: &[u8]) -> Vec<(String, String)> {
    let ts = timestamp.to_string();
    let sig = key.tag(&[b"v0:", ts.as_bytes(), b":", body]).to_hex();
    vec![
        (options.signature_header.clone(), format!("{VERSION}={sig}")),
        (name_or(&options.timestamp_header, TIMESTAMP_HEADER).to_string(), ts),
    ]
}
