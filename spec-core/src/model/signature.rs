//! Webhook signature layouts declared as data: what is signed, how the signature is written and where the
//! signature, timestamp and id travel. The four named schemes ([`SignatureScheme`]) are presets of the same
//! layout ([`SignatureScheme::layout`]); [`IntegrationSpec::webhook_signature`](super::IntegrationSpec::webhook_signature)
//! gives the layout in force for a spec.
//!
//! ```
//! let layout: spec_core::SignatureLayout = serde_json::from_value(serde_json::json!({
//!     "signed_content": "{timestamp}:{id}:{body}",
//!     "encoding": "hex",
//!     "format": {"style": "items", "separator": ";", "signature_key": "sig", "timestamp_key": "ts"},
//!     "id_header": "X-Acme-Delivery"
//! }))?;
//! assert_eq!(layout.content().map(|c| c.len()), Ok(5));
//! # Ok::<(), serde_json::Error>(())
//! ```

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::meta::spelled_enum;
use super::transport::{SignatureScheme, SigningAlgorithm};

/// The prefix of a Standard Webhooks Ed25519 public key (`whpk_` + base64 of the 32-byte key).
pub const ED25519_PUBLIC_KEY_PREFIX: &str = "whpk_";
/// The prefix of a Standard Webhooks Ed25519 secret key (`whsk_` + base64 of the 32-byte seed, or of the
/// 64-byte key pair: seed then public key).
pub const ED25519_SECRET_KEY_PREFIX: &str = "whsk_";
/// The prefix of a Standard Webhooks HMAC secret (`whsec_` + base64).
pub const STANDARD_WEBHOOKS_SECRET_PREFIX: &str = "whsec_";
/// The tolerance, in seconds, of every timestamped preset and of declared layouts that name none.
pub const DEFAULT_TOLERANCE: u64 = 300;

/// How a provider signs deliveries, declared as data (`webhook.inbound.signature`), for a provider no named
/// scheme covers. The signature header is the inbound block's `signature_header`, the algorithm its
/// `signing_algorithm` (which also names the digest: `hmac-sha256`, `hmac-sha1`, `hmac-sha512`, or
/// `ed25519`), and the tolerance its `tolerance` (300 s when a timestamp is signed and none is declared).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SignatureLayout {
    /// What is signed: literal text and the placeholders `{body}` (the raw body, required), `{timestamp}`
    /// (the timestamp as sent), `{id}` (the message id header) and `{url}` (the full request URL). Stripe
    /// `{timestamp}.{body}`, Slack `v0:{timestamp}:{body}`, Standard Webhooks `{id}.{timestamp}.{body}`,
    /// GitHub `{body}`. Literal text holds no `{` or `}`.
    pub signed_content: String,
    /// How signature bytes are written in the header.
    #[serde(default)]
    pub encoding: SignatureEncoding,
    /// How the signature header carries its signatures.
    pub format: HeaderFormat,
    /// Header carrying the timestamp, when it travels apart from the signature (Slack
    /// `X-Slack-Request-Timestamp`); an `items` format may carry it as an item instead (`timestamp_key`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp_header: Option<String>,
    /// Header carrying the message id signed as `{id}` (Standard Webhooks `webhook-id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_header: Option<String>,
    /// How the secret is read (raw text unless declared).
    #[serde(default)]
    pub secret: SecretFormat,
}

spelled_enum! {
    /// How signature bytes are written.
    SignatureEncoding {
        /// Hexadecimal (lower case as sent; either case accepted except in `items` headers, which are
        /// compared as written, lower case).
        Hex = "hex",
        /// Standard base64 with padding.
        Base64 = "base64",
    }
}

#[allow(clippy::derivable_impls)] // the enum is declared through `spelled_enum!`
impl Default for SignatureEncoding {
    fn default() -> Self {
        SignatureEncoding::Hex
    }
}

/// How the signature header lists signatures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "style", deny_unknown_fields)]
pub enum HeaderFormat {
    /// One signature after a fixed prefix: GitHub `sha256=<hex>`, Slack `v0=<hex>`. A prefix ending in `=`
    /// is read as `<label>=<signature>`: the value is split at its first `=` and the label, blanks trimmed,
    /// must be the prefix's; an empty prefix takes the whole value as the signature.
    #[serde(rename = "prefixed")]
    Prefixed {
        /// Text before the signature (`sha256=`).
        #[serde(default)]
        prefix: String,
    },
    /// `key=value` items split on `separator`, each on its first `=`, with no blank trimmed; unknown keys are
    /// ignored: Stripe `t=<unix>,v1=<hex>[,v1=<hex>…]`. Every `signature_key` item is a candidate (several
    /// during a secret roll); hex candidates are compared as written (lower case). A `timestamp_key` item is
    /// 1 to 18 digits without a leading zero, signed as written; a second one is an error.
    #[serde(rename = "items")]
    Items {
        /// Text between items (`,`).
        separator: String,
        /// Key of the signature items (`v1`).
        signature_key: String,
        /// Key of the timestamp item (`t`), when the timestamp travels in this header.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        timestamp_key: Option<String>,
    },
    /// Space-separated `<version>,<signature>` entries: Standard Webhooks `v1,<base64> v1,<base64>`.
    /// Entries of other versions are ignored (an HMAC verifier skips `v1a` Ed25519 entries and the reverse).
    #[serde(rename = "versioned")]
    Versioned {
        /// The version of the entries read (`v1` for HMAC, `v1a` for Ed25519).
        version: String,
    },
}

impl HeaderFormat {
    /// The label a signature is looked for under, as errors name it: the prefix without its `=` (`sha256`),
    /// the signature key (`v1`) or the version (`v1a`).
    pub fn label(&self) -> &str {
        match self {
            HeaderFormat::Prefixed { prefix } => prefix.strip_suffix('=').unwrap_or(prefix),
            HeaderFormat::Items { signature_key, .. } => signature_key,
            HeaderFormat::Versioned { version } => version,
        }
    }
}

spelled_enum! {
    /// How a secret's text becomes key bytes.
    SecretEncoding {
        /// The text's UTF-8 bytes, as written.
        Raw = "raw",
        /// Standard base64, padded or not, after the optional `prefix`.
        Base64 = "base64",
    }
}

#[allow(clippy::derivable_impls)] // the enum is declared through `spelled_enum!`
impl Default for SecretEncoding {
    fn default() -> Self {
        SecretEncoding::Raw
    }
}

/// How the secret text is read.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SecretFormat {
    /// How the text (after `prefix`) becomes key bytes.
    #[serde(default)]
    pub encoding: SecretEncoding,
    /// A prefix removed when present before decoding (`whsec_`; Ed25519 public keys `whpk_`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
}

/// One piece of the signed content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContentPart {
    /// Literal text.
    Text(String),
    /// The raw body.
    Body,
    /// The timestamp, as sent.
    Timestamp,
    /// The message id.
    Id,
    /// The request URL.
    Url,
}

/// Why a `signed_content` template does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TemplateError {
    /// A placeholder other than `{body}`, `{timestamp}`, `{id}`, `{url}`.
    #[error("unknown placeholder `{{{0}}}`; use `{{body}}`, `{{timestamp}}`, `{{id}}` or `{{url}}`")]
    UnknownPlaceholder(String),
    /// A `{` without its `}`, or a `}` without its `{`.
    #[error("unbalanced `{{` or `}}`; literal text cannot hold braces")]
    Unbalanced,
    /// No `{body}`: the body would go unsigned.
    #[error("the template has no `{{body}}`; the body must be signed")]
    NoBody,
}

impl SignatureLayout {
    /// The signed content as pieces: literal text and placeholders, in order.
    pub fn content(&self) -> Result<Vec<ContentPart>, TemplateError> {
        parse_content(&self.signed_content)
    }

    /// Whether the signed content holds `part`; `false` when it does not parse.
    pub fn signs(&self, part: &ContentPart) -> bool {
        self.content().is_ok_and(|c| c.contains(part))
    }

    /// The key of the timestamp item, when the timestamp travels in the signature header.
    pub fn timestamp_item(&self) -> Option<&str> {
        match &self.format {
            HeaderFormat::Items { timestamp_key, .. } => timestamp_key.as_deref(),
            _ => None,
        }
    }

    /// Whether a timestamp travels with deliveries (a header or an item).
    pub fn has_timestamp(&self) -> bool {
        self.timestamp_header.is_some() || self.timestamp_item().is_some()
    }
}

/// Parses a `signed_content` template.
pub fn parse_content(template: &str) -> Result<Vec<ContentPart>, TemplateError> {
    let mut parts = Vec::new();
    let mut rest = template;
    while !rest.is_empty() {
        match rest.find(['{', '}']) {
            None => {
                parts.push(ContentPart::Text(rest.to_string()));
                break;
            }
            Some(at) => {
                if at > 0 {
                    parts.push(ContentPart::Text(rest[..at].to_string()));
                }
                let after = &rest[at..];
                if after.starts_with('}') {
                    return Err(TemplateError::Unbalanced);
                }
                let close = after.find('}').ok_or(TemplateError::Unbalanced)?;
                let name = &after[1..close];
                if name.contains('{') {
                    return Err(TemplateError::Unbalanced);
                }
                parts.push(match name {
                    "body" => ContentPart::Body,
                    "timestamp" => ContentPart::Timestamp,
                    "id" => ContentPart::Id,
                    "url" => ContentPart::Url,
                    other => return Err(TemplateError::UnknownPlaceholder(other.to_string())),
                });
                rest = &after[close + 1..];
            }
        }
    }
    if !parts.contains(&ContentPart::Body) {
        return Err(TemplateError::NoBody);
    }
    Ok(parts)
}

/// The layout in force for a spec: the declared or preset layout with the spec's header names, algorithm and
/// tolerance applied. Read it through [`IntegrationSpec::webhook_signature`](super::IntegrationSpec::webhook_signature).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookSignature {
    /// The named scheme the layout is the preset of; `None` for a declared layout.
    pub preset: Option<SignatureScheme>,
    /// MAC or signature algorithm.
    pub algorithm: SigningAlgorithm,
    /// Header carrying the signature.
    pub signature_header: String,
    /// Timestamp tolerance in seconds; `None` when no timestamp is signed.
    pub tolerance: Option<u64>,
    /// The rest of the layout, header names overridden by the spec's `webhook_signing` method.
    pub layout: SignatureLayout,
}

impl SignatureScheme {
    /// The scheme as a layout, for `algorithm` (GitHub's prefix follows it: `sha256=` or `sha1=`; Standard
    /// Webhooks reads `v1a` entries and `whpk_` public keys with Ed25519).
    pub fn layout(self, algorithm: SigningAlgorithm) -> SignatureLayout {
        let text = |s: &str| s.to_string();
        let (signed_content, encoding, format, secret) = match self {
            SignatureScheme::Stripe => (
                "{timestamp}.{body}",
                SignatureEncoding::Hex,
                HeaderFormat::Items {
                    separator: text(","),
                    signature_key: text("v1"),
                    timestamp_key: Some(text("t")),
                },
                SecretFormat::default(),
            ),
            SignatureScheme::Github => (
                "{body}",
                SignatureEncoding::Hex,
                HeaderFormat::Prefixed {
                    prefix: text(match algorithm {
                        SigningAlgorithm::HmacSha1 => "sha1=",
                        SigningAlgorithm::HmacSha512 => "sha512=",
                        _ => "sha256=",
                    }),
                },
                SecretFormat::default(),
            ),
            SignatureScheme::Slack => (
                "v0:{timestamp}:{body}",
                SignatureEncoding::Hex,
                HeaderFormat::Prefixed { prefix: text("v0=") },
                SecretFormat::default(),
            ),
            SignatureScheme::StandardWebhooks => {
                let ed25519 = algorithm == SigningAlgorithm::Ed25519;
                (
                    "{id}.{timestamp}.{body}",
                    SignatureEncoding::Base64,
                    HeaderFormat::Versioned {
                        version: text(if ed25519 { "v1a" } else { "v1" }),
                    },
                    SecretFormat {
                        encoding: SecretEncoding::Base64,
                        prefix: Some(text(if ed25519 {
                            ED25519_PUBLIC_KEY_PREFIX
                        } else {
                            STANDARD_WEBHOOKS_SECRET_PREFIX
                        })),
                    },
                )
            }
        };
        SignatureLayout {
            signed_content: text(signed_content),
            encoding,
            format,
            timestamp_header: self.default_timestamp_header().map(text),
            id_header: self.default_id_header().map(text),
            secret,
        }
    }

    /// The algorithms the preset signs with: HMAC-SHA256 for all, HMAC-SHA1 for GitHub's legacy header,
    /// Ed25519 for Standard Webhooks (`v1a`).
    pub fn supports(self, algorithm: SigningAlgorithm) -> bool {
        matches!(
            (self, algorithm),
            (_, SigningAlgorithm::HmacSha256)
                | (SignatureScheme::Github, SigningAlgorithm::HmacSha1)
                | (SignatureScheme::StandardWebhooks, SigningAlgorithm::Ed25519)
        )
    }
}

impl SignatureLayout {
    /// Whether the layout can carry `algorithm`: every HMAC; Ed25519 with base64 keys (`whpk_` + base64 of
    /// 32 bytes).
    pub fn supports(&self, algorithm: SigningAlgorithm) -> bool {
        algorithm != SigningAlgorithm::Ed25519 || self.secret.encoding == SecretEncoding::Base64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_parse_into_parts() {
        assert_eq!(
            parse_content("v0:{timestamp}:{body}"),
            Ok(vec![
                ContentPart::Text("v0:".into()),
                ContentPart::Timestamp,
                ContentPart::Text(":".into()),
                ContentPart::Body
            ])
        );
        assert_eq!(parse_content("{body}"), Ok(vec![ContentPart::Body]));
        assert_eq!(
            parse_content("{url}{id}{body}"),
            Ok(vec![ContentPart::Url, ContentPart::Id, ContentPart::Body])
        );
        assert_eq!(
            parse_content("{ts}.{body}"),
            Err(TemplateError::UnknownPlaceholder("ts".into()))
        );
        assert_eq!(parse_content("{body"), Err(TemplateError::Unbalanced));
        assert_eq!(parse_content("body}"), Err(TemplateError::Unbalanced));
        assert_eq!(parse_content("{{body}}"), Err(TemplateError::Unbalanced));
        assert_eq!(parse_content("{timestamp}."), Err(TemplateError::NoBody));
        assert_eq!(parse_content(""), Err(TemplateError::NoBody));
    }

    #[test]
    fn presets_follow_the_algorithm() {
        let gh = SignatureScheme::Github.layout(SigningAlgorithm::HmacSha1);
        assert_eq!(gh.format.label(), "sha1");
        let sw = SignatureScheme::StandardWebhooks.layout(SigningAlgorithm::Ed25519);
        assert_eq!(sw.format.label(), "v1a");
        assert_eq!(sw.secret.prefix.as_deref(), Some("whpk_"));
        let stripe = SignatureScheme::Stripe.layout(SigningAlgorithm::HmacSha256);
        assert_eq!(stripe.timestamp_item(), Some("t"));
        assert!(stripe.has_timestamp());
        assert!(
            !SignatureScheme::Github
                .layout(SigningAlgorithm::HmacSha256)
                .has_timestamp()
        );
        for s in SignatureScheme::ALL {
            assert!(s.layout(SigningAlgorithm::HmacSha256).content().is_ok(), "{s}");
            assert_eq!(
                s.layout(SigningAlgorithm::HmacSha256).has_timestamp(),
                s.default_tolerance().is_some(),
                "{s}"
            );
        }
        assert!(SignatureScheme::StandardWebhooks.supports(SigningAlgorithm::Ed25519));
        assert!(!SignatureScheme::Stripe.supports(SigningAlgorithm::Ed25519));
    }
}
