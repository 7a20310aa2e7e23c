//! The one signature engine: a [`SignatureLayout`] compiled once, then used to verify and to sign. Every
//! named scheme is a preset of the layout, so Stripe, GitHub, Slack, Standard Webhooks and declared layouts
//! all run here.

mod format;

pub(crate) use format::Candidates;

use spec_core::{ContentPart, HeaderFormat, SecretFormat, SignatureEncoding, SignatureLayout};

use super::error::{VerifierConfigError, WebhookError};
use super::headers::Headers;
use super::key::{Key, Tag};
use super::options::VerifierOptions;
use super::verifier::{Verified, Verifier};

/// Ed25519 candidates tried per key: each costs a signature check, so a header padded with entries stays cheap.
const MAX_ED25519_CANDIDATES: usize = 16;

/// Pieces of signed content held without allocating.
const INLINE_PARTS: usize = 8;

/// The pieces of one message's signed content.
enum Parts<'a> {
    Inline([&'a [u8]; INLINE_PARTS], usize),
    Heap(Vec<&'a [u8]>),
}

impl<'a> std::ops::Deref for Parts<'a> {
    type Target = [&'a [u8]];

    fn deref(&self) -> &Self::Target {
        match self {
            Parts::Inline(parts, n) => parts.get(..*n).unwrap_or(parts),
            Parts::Heap(parts) => parts,
        }
    }
}

/// Where the timestamp travels.
#[derive(Debug, Clone, PartialEq, Eq)]
enum TimestampAt {
    /// In its own header.
    Header(String),
    /// As an item of the signature header.
    Item(String),
}

/// A layout ready to use: the signed content parsed, header names resolved, the label interned for errors.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    content: Vec<ContentPart>,
    encoding: SignatureEncoding,
    format: HeaderFormat,
    signature_header: String,
    timestamp: Option<TimestampAt>,
    id_header: Option<String>,
    /// The label errors name (`v1`, `sha256`).
    label: &'static str,
    /// Whether `{url}` is signed.
    signs_url: bool,
    /// How secrets are read.
    pub(crate) secret: SecretFormat,
}

impl Compiled {
    /// Compiles the layout of `options` ([`VerifierOptions::resolved_layout`]).
    pub(crate) fn new(options: &VerifierOptions) -> Result<Self, VerifierConfigError> {
        options.check()?;
        let layout: SignatureLayout = options.resolved_layout()?;
        let content = layout
            .content()
            .map_err(|e| VerifierConfigError::InvalidLayout { reason: e.to_string() })?;
        let timestamp = match (layout.timestamp_item(), &layout.timestamp_header) {
            (Some(item), _) => Some(TimestampAt::Item(item.to_string())),
            (None, Some(h)) => Some(TimestampAt::Header(h.clone())),
            (None, None) => None,
        };
        let id_header = if content.contains(&ContentPart::Id) {
            Some(
                layout
                    .id_header
                    .clone()
                    .ok_or_else(|| VerifierConfigError::InvalidLayout {
                        reason: "`{id}` is signed but no id header is named".into(),
                    })?,
            )
        } else {
            None
        };
        if content.contains(&ContentPart::Timestamp) && timestamp.is_none() {
            return Err(VerifierConfigError::InvalidLayout {
                reason: "`{timestamp}` is signed but no timestamp header or item is named".into(),
            });
        }
        Ok(Self {
            label: intern(layout.format.label()),
            signs_url: content.contains(&ContentPart::Url),
            content,
            encoding: layout.encoding,
            format: layout.format,
            signature_header: options.signature_header.clone(),
            timestamp,
            id_header,
            secret: layout.secret,
        })
    }

    /// Whether the signed content holds the request URL.
    pub(crate) fn signs_url(&self) -> bool {
        self.signs_url
    }

    /// The signed content's pieces, in order, held inline for templates of up to [`INLINE_PARTS`] pieces.
    fn parts<'a>(&'a self, body: &'a [u8], ts: &'a [u8], id: &'a [u8], url: &'a [u8]) -> Parts<'a> {
        let piece = |p: &'a ContentPart| -> &'a [u8] {
            match p {
                ContentPart::Text(t) => t.as_bytes(),
                ContentPart::Body => body,
                ContentPart::Timestamp => ts,
                ContentPart::Id => id,
                ContentPart::Url => url,
            }
        };
        if self.content.len() <= INLINE_PARTS {
            let mut inline: [&[u8]; INLINE_PARTS] = [&[]; INLINE_PARTS];
            for (slot, p) in inline.iter_mut().zip(&self.content) {
                *slot = piece(p);
            }
            Parts::Inline(inline, self.content.len())
        } else {
            Parts::Heap(self.content.iter().map(piece).collect())
        }
    }
}

/// The label as a `'static` text for [`WebhookError::NoExpectedScheme`]: the presets' labels are constants;
/// another layout's label is kept once per distinct label (layouts come from specs, so their number is fixed).
fn intern(label: &str) -> &'static str {
    const KNOWN: [&str; 7] = ["v1", "v1a", "v0", "sha256", "sha1", "sha512", ""];
    if let Some(known) = KNOWN.iter().find(|k| **k == label) {
        return known;
    }
    static SEEN: std::sync::Mutex<Vec<&'static str>> = std::sync::Mutex::new(Vec::new());
    let Ok(mut seen) = SEEN.lock() else {
        return "signature";
    };
    if let Some(s) = seen.iter().find(|s| **s == label) {
        return s;
    }
    let leaked: &'static str = Box::leak(label.to_string().into_boxed_str());
    seen.push(leaked);
    leaked
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

/// Verifies with the verifier's layout; the body size has been checked.
pub(super) fn verify<H: Headers + ?Sized>(
    v: &Verifier,
    headers: &H,
    body: &[u8],
    now: i64,
    url: Option<&str>,
) -> Result<Verified, WebhookError> {
    let c = v.compiled();
    let name = c.signature_header.as_str();
    let header = v.header(headers, name)?;
    let ts_header = match &c.timestamp {
        Some(TimestampAt::Header(h)) => Some((h.as_str(), v.header(headers, h)?)),
        _ => None,
    };
    let id = match &c.id_header {
        Some(h) => v.header(headers, h)?,
        None => "",
    };
    let mut timestamp = match ts_header {
        Some((h, text)) => {
            let value = parse_timestamp(text.as_bytes()).ok_or_else(|| WebhookError::MalformedHeader {
                header: h.to_string(),
                reason: "not a Unix time in seconds",
            })?;
            Some((text.as_bytes(), value))
        }
        None => None,
    };
    let parsed = format::parse(c, header).map_err(|reason| WebhookError::MalformedHeader {
        header: name.to_string(),
        reason,
    })?;
    if let Some(item) = parsed.timestamp {
        timestamp = Some(item);
    }
    if parsed.count == 0 {
        return Err(WebhookError::NoExpectedScheme {
            header: name.to_string(),
            expected: c.label,
        });
    }
    let url = match (c.signs_url(), url) {
        (true, None) => return Err(WebhookError::MissingUrl),
        (_, url) => url.unwrap_or_default(),
    };
    let ts_text = timestamp.map(|(t, _)| t).unwrap_or_default();
    let parts = c.parts(body, ts_text, id.as_bytes(), url.as_bytes());
    let secret_index = v.find_match(&parts, &parsed.candidates, MAX_ED25519_CANDIDATES)?;
    let timestamp = timestamp.map(|(_, t)| t);
    if let Some(t) = timestamp {
        v.check_timestamp(t, now)?;
    }
    Ok(Verified {
        timestamp,
        secret_index,
    })
}

/// What is signed for a delivery: the parts of the signed content, for a signer.
pub(super) struct Message<'a> {
    pub id: &'a str,
    pub timestamp: i64,
    pub body: &'a [u8],
    pub url: &'a str,
}

/// The headers a provider would send for `message`, signed with `key`: id, timestamp, then signature.
pub(super) fn sign(c: &Compiled, key: &Key, m: &Message<'_>) -> Vec<(String, String)> {
    let ts = m.timestamp.to_string();
    let tag = key.tag(&c.parts(m.body, ts.as_bytes(), m.id.as_bytes(), m.url.as_bytes()));
    let sig = match (tag, c.encoding) {
        (Some(t), SignatureEncoding::Hex) => t.to_hex(),
        (Some(t), SignatureEncoding::Base64) => t.to_base64(),
        (None, _) => String::new(),
    };
    let value = match &c.format {
        HeaderFormat::Prefixed { prefix } => format!("{prefix}{sig}"),
        HeaderFormat::Items {
            separator,
            signature_key,
            timestamp_key: Some(tk),
        } => format!("{tk}={ts}{separator}{signature_key}={sig}"),
        HeaderFormat::Items { signature_key, .. } => format!("{signature_key}={sig}"),
        HeaderFormat::Versioned { version } => format!("{version},{sig}"),
    };
    let mut out = Vec::with_capacity(3);
    if let Some(h) = &c.id_header {
        out.push((h.clone(), m.id.to_string()));
    }
    if let Some(TimestampAt::Header(h)) = &c.timestamp {
        out.push((h.clone(), ts));
    }
    out.push((c.signature_header.clone(), value));
    out
}

/// Decodes one candidate in the layout's encoding.
fn decode(encoding: SignatureEncoding, text: &[u8]) -> Option<Tag> {
    match encoding {
        SignatureEncoding::Hex => Tag::from_hex(text),
        SignatureEncoding::Base64 => std::str::from_utf8(text).ok().and_then(Tag::from_base64),
    }
}
