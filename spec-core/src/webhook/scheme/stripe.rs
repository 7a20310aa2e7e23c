//! Stripe: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…][,v0=<hex>]`, HMAC-SHA256 over `{t}.{body}`.
//!
//! During a secret roll Stripe sends one `v1` per active secret; `v0` (test-mode legacy) is ignored.

use super::parse_timestamp;
use crate::webhook::error::WebhookError;
use crate::webhook::headers::Headers;
use crate::webhook::key::{Key, Tag};
use crate::webhook::options::VerifierOptions;
use crate::webhook::verifier::{Verified, Verifier};

const SCHEME: &str = "v1";

/// `(key, value)` items of the header, with surrounding blanks removed; items without `=` are skipped.
fn items(header: &str) -> impl Iterator<Item = (&str, &str)> {
    header
        .split(',')
        .filter_map(|item| item.split_once('='))
        .map(|(k, v)| (k.trim(), v.trim()))
}

/// The timestamp text of the header (exactly one `t=`), and whether any `v1=` item is present.
fn parse(header: &str) -> Result<(&str, i64, bool), &'static str> {
    let mut t = None;
    let mut has_v1 = false;
    for (k, v) in items(header) {
        match k {
            "t" if t.is_some() => return Err("more than one `t=` timestamp"),
            "t" => t = Some(v),
            SCHEME => has_v1 = true,
            _ => {}
        }
    }
    let text = t.ok_or("no `t=` timestamp")?;
    let ts = parse_timestamp(text).ok_or("the `t=` timestamp is not a Unix time in seconds")?;
    Ok((text, ts, has_v1))
}

pub(super) fn verify<H: Headers + ?Sized>(
    v: &Verifier,
    headers: &H,
    body: &[u8],
    now: i64,
) -> Result<Verified, WebhookError> {
    let name = v.options().signature_header.as_str();
    let header = v.header(headers, name)?;
    let (t_text, timestamp, has_v1) = parse(header).map_err(|reason| WebhookError::MalformedHeader {
        header: name.to_string(),
        reason,
    })?;
    if !has_v1 {
        return Err(WebhookError::NoExpectedScheme {
            header: name.to_string(),
            expected: SCHEME,
        });
    }
    let candidates = || {
        items(header)
            .filter(|(k, _)| *k == SCHEME)
            .filter_map(|(_, sig)| Tag::from_hex(sig))
    };
    let secret_index = v.find_match(&[t_text.as_bytes(), b".", body], candidates)?;
    v.check_timestamp(timestamp, now)?;
    Ok(Verified {
        timestamp: Some(timestamp),
        secret_index,
    })
}

pub(super) fn sign(options: &VerifierOptions, key: &Key, timestamp: i64, body: &[u8]) -> Vec<(String, String)> {
    let t = timestamp.to_string();
    let sig = key.tag(&[t.as_bytes(), b".", body]).to_hex();
    vec![(options.signature_header.clone(), format!("t={t},{SCHEME}={sig}"))]
}
