//! Reading the signature header in each [`HeaderFormat`]: the candidate signatures, and the timestamp when it
//! is an item of the header.
//!
//! # How lenient the `items` parser is (Stripe)
//!
//! The grammar is what Stripe sends, and every `Stripe-Signature` header accepted here is accepted by
//! stripe-node's `webhooks.constructEvent` (the stricter of the official SDKs) and by stripe-python's
//! `Webhook.construct_event` (`tests/tests/webhook_interop.rs` checks each rule below against both):
//!
//! - the value as a whole is trimmed of surrounding blanks, as HTTP defines field values (RFC 9110 §5.5;
//!   servers deliver them trimmed, so the SDKs never see such blanks either);
//! - items are split on the separator (`,`) and each on its first `=`, **with no whitespace trimmed**:
//!   `t=…, v1=…` (a space after the comma) has no `v1` item, as in both SDKs; items without `=` and unknown
//!   keys are ignored; keys are case-sensitive (`T=` is not a timestamp);
//! - a hex signature value is compared exactly as both SDKs compare the computed signature: **lower-case**
//!   hex only, upper case does not match;
//! - items may come in any order; several signature items are candidates (a secret roll); a trailing
//!   separator or an empty item is ignored.
//!
//! Stricter than both SDKs, deliberately (no header Stripe sends has these forms; each was checked against
//! stripe-node 23 and stripe-python 16): the timestamp value is 1 to 18 ASCII digits without a leading zero,
//! and it is signed as written. The SDKs parse it as an integer (`parseInt` / `int`) and sign the integer's
//! digits, so they also accept `t=+N`, `t=0N`, `t= N` and `t=N ` (and stripe-node `t=N.0` and `t=Nabc`) with
//! a signature over `N`; all are refused here as malformed. A `v1` value with anything after the hex
//! (`v1=<sig>=x`, which both SDKs cut at the second `=`) is not a candidate, and a second timestamp item is
//! an error rather than overriding the first.

use spec_core::{HeaderFormat, SignatureEncoding};

use super::{Compiled, decode, parse_timestamp};
use crate::webhook::key::Tag;

/// Decoded candidate signatures: the first two inline (one per active secret during a roll is the usual
/// most), the rest on the heap.
#[derive(Default)]
pub(crate) struct Candidates {
    inline: [Tag; 2],
    len: usize,
    more: Vec<Tag>,
}

impl Candidates {
    fn push(&mut self, tag: Tag) {
        match self.inline.get_mut(self.len) {
            Some(slot) => {
                *slot = tag;
                self.len += 1;
            }
            None => self.more.push(tag),
        }
    }

    fn extend(&mut self, tags: impl IntoIterator<Item = Tag>) {
        for t in tags {
            self.push(t);
        }
    }

    /// How many there are.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.len + self.more.len()
    }

    /// Every candidate, in header order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Tag> {
        self.inline.iter().take(self.len).chain(&self.more)
    }
}

/// The signature header read in one pass.
pub(super) struct Parsed<'a> {
    /// The decodable candidates.
    pub candidates: Candidates,
    /// How many entries carry the layout's label, decodable or not (`0`: no signature of the expected kind).
    pub count: usize,
    /// The timestamp item, as written and as a number.
    pub timestamp: Option<(&'a [u8], i64)>,
}

/// Reads `header` in the layout's format; the error is the reason it is malformed.
pub(super) fn parse<'a>(c: &'a Compiled, header: &'a str) -> Result<Parsed<'a>, &'static str> {
    match &c.format {
        HeaderFormat::Prefixed { prefix } => prefixed(c.encoding, prefix, header),
        HeaderFormat::Items {
            separator,
            signature_key,
            timestamp_key,
        } => items_format(c.encoding, header, separator, signature_key, timestamp_key.as_deref()),
        HeaderFormat::Versioned { version } => {
            let mut out = Parsed {
                candidates: Candidates::default(),
                count: 0,
                timestamp: None,
            };
            for sig in versioned(header, version) {
                out.count += 1;
                out.candidates.extend(decode(c.encoding, sig.as_bytes()));
            }
            Ok(out)
        }
    }
}

/// One signature after `prefix`; a prefix ending in `=` is a label (`sha256=`): split at the first `=`, the
/// label trimmed.
fn prefixed<'a>(encoding: SignatureEncoding, prefix: &str, header: &'a str) -> Result<Parsed<'a>, &'static str> {
    let sig = match prefix.strip_suffix('=') {
        Some(label) => {
            let (found, sig) = header.split_once('=').ok_or("expected `<label>=<signature>`")?;
            (found.trim_ascii() == label).then_some(sig)
        }
        None => header.strip_prefix(prefix),
    };
    Ok(match sig {
        Some(sig) => Parsed {
            candidates: {
                let mut c = Candidates::default();
                c.extend(decode(encoding, sig.trim_ascii().as_bytes()));
                c
            },
            count: 1,
            timestamp: None,
        },
        None => Parsed {
            candidates: Candidates::default(),
            count: 0,
            timestamp: None,
        },
    })
}

/// Space-separated `<version>,<signature>` entries of `version`.
fn versioned<'a>(header: &'a str, version: &'a str) -> impl Iterator<Item = &'a str> {
    header
        .split_ascii_whitespace()
        .filter_map(|entry| entry.split_once(','))
        .filter(move |(v, _)| *v == version)
        .map(|(_, sig)| sig)
}

/// `(key, value)` items of the header, as written (no blank is trimmed); items without `=` are skipped.
pub(super) fn items<'a>(header: &'a str, separator: &'a str) -> Items<'a> {
    match separator.as_bytes() {
        [sep] => Items::Byte {
            rest: Some(header.as_bytes()),
            sep: *sep,
        },
        _ => Items::Text(header.split(separator)),
    }
}

/// The iterator of [`items`]. With a one-byte separator (`,`, `;`) a key (a byte or two) is scanned byte by
/// byte up to its `=`, and the value's end, the next separator, is found with `memchr` (a signature value is
/// 64 bytes or more); other separators split the text.
pub(super) enum Items<'a> {
    Byte {
        /// What follows the last item returned; `None` once the header is exhausted.
        rest: Option<&'a [u8]>,
        sep: u8,
    },
    Text(std::str::Split<'a, &'a str>),
}

impl<'a> Iterator for Items<'a> {
    type Item = (&'a [u8], &'a [u8]);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Items::Byte { rest, sep } => loop {
                let current = (*rest)?;
                let Some(eq) = current.iter().position(|b| *b == b'=' || *b == *sep) else {
                    *rest = None;
                    return None;
                };
                let after = &current[eq + 1..];
                if current[eq] == *sep {
                    // An item without `=`.
                    *rest = Some(after);
                    continue;
                }
                let value = match memchr::memchr(*sep, after) {
                    Some(end) => {
                        *rest = Some(&after[end + 1..]);
                        &after[..end]
                    }
                    None => {
                        *rest = None;
                        after
                    }
                };
                return Some((&current[..eq], value));
            },
            Items::Text(split) => split
                .by_ref()
                .find_map(|item| item.split_once('='))
                .map(|(k, v)| (k.as_bytes(), v.as_bytes())),
        }
    }
}

fn items_format<'a>(
    encoding: SignatureEncoding,
    header: &'a str,
    separator: &'a str,
    signature_key: &str,
    timestamp_key: Option<&str>,
) -> Result<Parsed<'a>, &'static str> {
    let mut t = None;
    let mut out = Parsed {
        candidates: Candidates::default(),
        count: 0,
        timestamp: None,
    };
    let timestamp_key = timestamp_key.map(str::as_bytes);
    let signature_key = signature_key.as_bytes();
    for (k, v) in items(header, separator) {
        if Some(k) == timestamp_key {
            if t.is_some() {
                return Err("more than one timestamp item");
            }
            t = Some(v);
        } else if k == signature_key {
            out.count += 1;
            out.candidates.extend(candidate(encoding, v));
        }
    }
    if timestamp_key.is_some() {
        let t_text = t.ok_or("no timestamp item")?;
        if t_text.len() > 1 && t_text.first() == Some(&b'0') {
            return Err("the timestamp item has a leading zero");
        }
        let value = parse_timestamp(t_text).ok_or("the timestamp item is not a Unix time in seconds")?;
        out.timestamp = Some((t_text, value));
    }
    Ok(out)
}

/// An item's value as a signature: hex in lower case only, as Stripe writes it and the SDKs compare it.
fn candidate(encoding: SignatureEncoding, value: &[u8]) -> Option<Tag> {
    match encoding {
        // The checked hex decode refuses what is not hex; what is left to refuse is upper case, looked for
        // without stopping early so that the loop runs on vectors.
        SignatureEncoding::Hex => {
            let upper = value.iter().fold(false, |seen, b| seen | b.is_ascii_uppercase());
            if upper { None } else { Tag::from_hex(value) }
        }
        SignatureEncoding::Base64 => decode(encoding, value),
    }
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
            assert_eq!(items(h, ",").collect::<Vec<_>>(), reference(h), "{h:?}");
            // A longer separator splits the same way.
            let wide = h.replace(',', ";;");
            assert_eq!(items(&wide, ";;").collect::<Vec<_>>(), reference(h), "{h:?}");
        }
    }

    fn stripe(header: &str) -> Result<Parsed<'_>, &'static str> {
        items_format(SignatureEncoding::Hex, header, ",", "v1", Some("t"))
    }

    #[test]
    fn parse_reads_the_timestamp_and_candidates() {
        let sig = "5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd";
        let header = format!(
            "t=1492774577,v1={sig},v0=00,junk,v1=zz,v1={}, v1={sig}",
            sig.to_uppercase()
        );
        let parsed = stripe(&header).unwrap();
        let (t_text, timestamp) = parsed.timestamp.unwrap();
        assert_eq!(timestamp, 1_492_774_577);
        assert_eq!(t_text, b"1492774577");
        // ` v1` (after a space) is another key.
        assert_eq!(parsed.count, 3);
        assert_eq!(parsed.candidates.len(), 1);
        assert_eq!(
            parsed.candidates.iter().next().map(|t| t.to_hex()).as_deref(),
            Some(sig)
        );
        assert!(candidate(SignatureEncoding::Hex, sig.to_uppercase().as_bytes()).is_none());
        assert!(candidate(SignatureEncoding::Hex, format!("{sig} ").as_bytes()).is_none());
        assert_eq!(
            stripe("t=01,v1=00").err(),
            Some("the timestamp item has a leading zero")
        );
        assert!(stripe("t=0,v1=00").is_ok());
        assert_eq!(
            stripe("t= 1,v1=00").err(),
            Some("the timestamp item is not a Unix time in seconds")
        );
        assert_eq!(stripe("v1=00").err(), Some("no timestamp item"));
        assert_eq!(stripe("t=1,t=2").err(), Some("more than one timestamp item"));
    }

    #[test]
    fn other_separators_and_keys() {
        let sig = "ab".repeat(64);
        let header = format!("ts=12;sig={sig};sig=zz;other=1");
        let parsed = items_format(SignatureEncoding::Hex, &header, ";", "sig", Some("ts")).unwrap();
        assert_eq!(parsed.timestamp.map(|t| t.1), Some(12));
        assert_eq!(parsed.count, 2);
        assert_eq!(parsed.candidates.len(), 1);
        let value = format!("sha512={sig}");
        let prefixed = prefixed(SignatureEncoding::Hex, "sha512=", &value).unwrap();
        assert_eq!(prefixed.candidates.len(), 1);
        let mut many = Candidates::default();
        many.extend((0u8..5).filter_map(|i| Tag::from_hex(&[b'0', b'0' + i])));
        assert_eq!(many.len(), 5);
        let hex: Vec<String> = many.iter().map(|t| t.to_hex()).collect();
        assert_eq!(hex, ["00", "01", "02", "03", "04"]);
        let bare = prefixed_none("sig:");
        assert_eq!(bare.count, 0);
    }

    fn prefixed_none(prefix: &str) -> Parsed<'static> {
        prefixed(SignatureEncoding::Hex, prefix, "other:00").unwrap()
    }
}
