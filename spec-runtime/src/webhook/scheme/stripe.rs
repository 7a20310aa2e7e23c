//! Stripe: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…][,v0=<hex>]`, HMAC-SHA256 over `{t}.{body}`.
//!
//! During a secret roll Stripe sends one `v1` per active secret; `v0` (test-mode legacy) is ignored.
//!
//! # How lenient the header parser is
//!
//! The grammar is what Stripe sends, and every header accepted here is accepted by stripe-node's
//! `webhooks.constructEvent` (the stricter of the official SDKs) and by stripe-python's
//! `Webhook.construct_event` (`tests/tests/webhook_interop.rs` checks each rule below against both):
//!
//! - the value as a whole is trimmed of surrounding blanks, as HTTP defines field values (RFC 9110 §5.5;
//!   servers deliver them trimmed, so the SDKs never see such blanks either);
//! - items are split on `,` and each on its first `=`, **with no whitespace trimmed**: `t=…, v1=…` (a space
//!   after the comma) has no `v1` item, as in both SDKs; items without `=` and unknown keys are ignored;
//!   keys are case-sensitive (`T=` is not a timestamp);
//! - a `v1` value is 64 **lower-case** hex digits, compared exactly as both SDKs compare the computed
//!   signature: upper-case hex does not match;
//! - items may come in any order; several `v1` items are candidates (a secret roll); a trailing comma or
//!   an empty item is ignored.
//!
//! Stricter than both SDKs, deliberately (no header Stripe sends has these forms; each was checked against
//! stripe-node 23 and stripe-python 16): the `t` value is 1 to 18 ASCII digits without a leading zero, and it
//! is signed as written. The SDKs parse it as an integer (`parseInt` / `int`) and sign the integer's digits,
//! so they also accept `t=+N`, `t=0N`, `t= N` and `t=N ` (and stripe-node `t=N.0` and `t=Nabc`) with a
//! signature over `N`; all are refused here as malformed. A `v1` value with anything after the hex
//! (`v1=<sig>=x`, which both SDKs cut at the second `=`) is not a candidate, and a second `t` item is an
//! error rather than overriding the first.

use super::parse_timestamp;
use crate::webhook::error::WebhookError;
use crate::webhook::headers::Headers;
use crate::webhook::key::{Key, Tag};
use crate::webhook::options::VerifierOptions;
use crate::webhook::verifier::{Verified, Verifier};

const SCHEME: &[u8] = b"v1";
/// Candidates decoded during the parse; more are decoded again from the header when needed.
const INLINE: usize = 2;

/// `(key, value)` items of the header, as written (no blank is trimmed); items without `=` are skipped.
fn items(header: &str) -> Items<'_> {
    Items {
        rest: Some(header.as_bytes()),
    }
}

/// The iterator of [`items`]. A key (a byte or two) is scanned byte by byte up to its `=`; the value's end,
/// the next `,`, is found with `memchr`, since a `v1` value is 64 bytes long.
struct Items<'a> {
    /// What follows the last item returned; `None` once the header is exhausted.
    rest: Option<&'a [u8]>,
}

impl<'a> Iterator for Items<'a> {
    type Item = (&'a [u8], &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let rest = self.rest?;
            let Some(eq) = rest.iter().position(|b| *b == b'=' || *b == b',') else {
                self.rest = None;
                return None;
            };
            let after = &rest[eq + 1..];
            if rest[eq] == b',' {
                // An item without `=`.
                self.rest = Some(after);
                continue;
            }
            let value = match memchr::memchr(b',', after) {
                Some(end) => {
                    self.rest = Some(&after[end + 1..]);
                    &after[..end]
                }
                None => {
                    self.rest = None;
                    after
                }
            };
            return Some((&rest[..eq], value));
        }
    }
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
                    *slot = candidate(v);
                }
                v1_count += 1;
            }
            _ => {}
        }
    }
    let t_text = t.ok_or("no `t=` timestamp")?;
    if t_text.len() > 1 && t_text.first() == Some(&b'0') {
        return Err("the `t=` timestamp has a leading zero");
    }
    let timestamp = parse_timestamp(t_text).ok_or("the `t=` timestamp is not a Unix time in seconds")?;
    Ok(Parsed {
        t_text,
        timestamp,
        v1_count,
        inline,
    })
}

/// A `v1` value as a signature: lower-case hex only, as Stripe writes it and the SDKs compare it.
fn candidate(value: &[u8]) -> Option<Tag> {
    value
        .iter()
        .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        .then(|| Tag::from_hex(value))
        .flatten()
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
            .map(|(_, sig)| candidate(sig));
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The items as a plain split reads them: split on `,`, then on the first `=`.
    fn reference(header: &str) -> Vec<(&[u8], &[u8])> {
        header
            .as_bytes()
            .split(|b| *b == b',')
            .filter_map(|item| {
                let eq = item.iter().position(|b| *b == b'=')?;
                Some((&item[..eq], &item[eq + 1..]))
            })
            .collect()
    }

    #[test]
    fn items_split_like_a_plain_split_on_every_short_header() {
        // Every string of up to six characters over the characters that matter.
        let alphabet = [',', '=', ' ', 't', '1'];
        let mut headers = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..6 {
            last = last
                .iter()
                .flat_map(|h| alphabet.iter().map(move |c| format!("{h}{c}")))
                .collect();
            headers.extend(last.iter().cloned());
        }
        for h in &headers {
            assert_eq!(items(h).collect::<Vec<_>>(), reference(h), "{h:?}");
        }
    }

    #[test]
    fn parse_reads_the_timestamp_and_candidates() {
        let sig = "5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd";
        let header = format!(
            "t=1492774577,v1={sig},v0=00,junk,v1=zz,v1={}, v1={sig}",
            sig.to_uppercase()
        );
        let parsed = parse(&header).map_err(|e| e.to_string()).unwrap();
        assert_eq!(parsed.timestamp, 1_492_774_577);
        assert_eq!(parsed.t_text, b"1492774577");
        // ` v1` (after a space) is another key.
        assert_eq!(parsed.v1_count, 3);
        assert_eq!(parsed.inline[0].map(Tag::to_hex).as_deref(), Some(sig));
        assert!(parsed.inline[1].is_none());
        assert!(candidate(sig.to_uppercase().as_bytes()).is_none());
        assert!(candidate(format!("{sig} ").as_bytes()).is_none());
        assert_eq!(parse("t=01,v1=00").err(), Some("the `t=` timestamp has a leading zero"));
        assert!(parse("t=0,v1=00").is_ok());
        assert_eq!(
            parse("t= 1,v1=00").err(),
            Some("the `t=` timestamp is not a Unix time in seconds")
        );
        assert_eq!(parse("v1=00").err(), Some("no `t=` timestamp"));
        assert_eq!(parse("t=1,t=2").err(), Some("more than one `t=` timestamp"));
    }
}
