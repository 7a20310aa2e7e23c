//! Stripe: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…][,v0=<hex>]`, HMAC-SHA256 over `{t}.{body}`.
//!
//! During a secret roll Stripe sends one `v1` per active secret; `v0` (test-mode legacy) is ignored.

use super::parse_timestamp;
use crate::webhook::error::WebhookError;
use crate::webhook::headers::Headers;
use crate::webhook::key::{Key, Tag};
use crate::webhook::options::VerifierOptions;
use crate::webhook::verifier::{Verified, Verifier};

const SCHEME: &[u8] = b"v1";
/// Candidates decoded during the parse; more are decoded again from the header when needed.
const INLINE: usize = 2;

/// `(key, value)` items of the header, with surrounding blanks removed; items without `=` are skipped.
/// Works on bytes: the items are a few bytes long, too short for `memchr`-based string splitting to pay.
fn items(header: &str) -> impl Iterator<Item = (&[u8], &[u8])> {
    header.as_bytes().split(|b| *b == b',').filter_map(|item| {
        let eq = item.iter().position(|b| *b == b'=')?;
        Some((item[..eq].trim_ascii(), item[eq + 1..].trim_ascii()))
    })
}

/// The header read in one pass: the timestamp (exactly one `t=`) and the `v1` candidates.
struct Parsed<'a> {
    t_text: &'a [u8],
    timestamp: i64,
    /// How many `v1=` items the header has.
    v1_count: usize,
    /// The first [`INLINE`] of them, decoded (`None` when not hex).
    inline: [Option<Tag>; INLINE],
}

fn parse(header: &str) -> Result<Parsed<'_>, &'static str> {
    let mut t = None;
    let mut v1_count = 0;
    let mut inline = [None; INLINE];
    for (k, v) in items(header) {
        match k {
            b"t" if t.is_some() => return Err("more than one `t=` timestamp"),
            b"t" => t = Some(v),
            SCHEME => {
                if let Some(slot) = inline.get_mut(v1_count) {
                    *slot = Tag::from_hex(v);
                }
                v1_count += 1;
            }
            _ => {}
        }
    }
    let t_text = t.ok_or("no `t=` timestamp")?;
    let timestamp = parse_timestamp(t_text).ok_or("the `t=` timestamp is not a Unix time in seconds")?;
    Ok(Parsed {
        t_text,
        timestamp,
        v1_count,
        inline,
    })
}

pub(super) fn verify<H: Headers + ?Sized>(
    v: &Verifier,
    headers: &H,
    body: &[u8],
    now: i64,
) -> Result<Verified, WebhookError> {
    let name = v.options().signature_header.as_str();
    let header = v.header(headers, name)?;
    let parsed = parse(header).map_err(|reason| WebhookError::MalformedHeader {
        header: name.to_string(),
        reason,
    })?;
    if parsed.v1_count == 0 {
        return Err(WebhookError::NoExpectedScheme {
            header: name.to_string(),
            expected: "v1",
        });
    }
    // Every candidate: the inline ones, then (rarely) those past INLINE, decoded again from the header.
    let candidates = || {
        let extra = items(header)
            .filter(|(k, _)| *k == SCHEME)
            .skip(INLINE)
            .take(parsed.v1_count.saturating_sub(INLINE))
            .map(|(_, sig)| Tag::from_hex(sig));
        parsed.inline.iter().copied().chain(extra).flatten()
    };
    let secret_index = v.find_match(&[parsed.t_text, b".", body], candidates)?;
    v.check_timestamp(parsed.timestamp, now)?;
    Ok(Verified {
        timestamp: Some(parsed.timestamp),
        secret_index,
    })
}

pub(super) fn sign(options: &VerifierOptions, key: &Key, timestamp: i64, body: &[u8]) -> Vec<(String, String)> {
    let t = timestamp.to_string();
    let sig = key.tag(&[t.as_bytes(), b".", body]).to_hex();
    vec![(options.signature_header.clone(), format!("t={t},v1={sig}"))]
}
