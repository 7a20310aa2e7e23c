//! Verification and configuration errors. None of them carries a secret or a signature value.

use spec_core::{SignatureScheme, SigningAlgorithm};

/// Why a delivery failed verification.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// A required header is absent or empty.
    #[error("the `{header}` header is missing or empty")]
    MissingHeader {
        /// Header name.
        header: String,
    },
    /// A header exceeds [`Limits::max_header_bytes`](super::Limits::max_header_bytes).
    #[error("the `{header}` header is {len} bytes, over the {limit}-byte limit")]
    HeaderTooLarge {
        /// Header name.
        header: String,
        /// Its length.
        len: usize,
        /// The limit.
        limit: usize,
    },
    /// A header cannot be parsed.
    #[error("the `{header}` header is malformed: {reason}")]
    MalformedHeader {
        /// Header name.
        header: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The header carries signatures, but none with the expected scheme (for example only `v0=`).
    #[error("the `{header}` header has no signature with the expected scheme `{expected}`")]
    NoExpectedScheme {
        /// Header name.
        header: String,
        /// The label looked for (`v1`, `sha256`, `v0`, `v1a`).
        expected: &'static str,
    },
    /// The layout signs the request URL (`{url}`) but none was given; verify with
    /// [`Verifier::verify_with_url`](super::Verifier::verify_with_url).
    #[error("the signature covers the request URL; pass the URL to the verifier")]
    MissingUrl,
    /// No signature in the header matches the payload under any secret.
    #[error("no signature matches the payload")]
    NoMatchingSignature,
    /// The signed timestamp is further from now than the tolerance allows.
    #[error("timestamp {timestamp} is outside the {tolerance}-second tolerance (now {now})")]
    TimestampOutsideTolerance {
        /// The signed timestamp (Unix seconds).
        timestamp: i64,
        /// The clock's time.
        now: i64,
        /// The tolerance in seconds.
        tolerance: u64,
    },
    /// The body exceeds [`Limits::max_body_bytes`](super::Limits::max_body_bytes).
    #[error("the body is {len} bytes, over the {limit}-byte limit")]
    BodyTooLarge {
        /// Body length.
        len: usize,
        /// The limit.
        limit: usize,
    },
}

impl WebhookError {
    /// A stable snake_case name of the error kind (`no_matching_signature`), for responses and metrics.
    pub fn kind(&self) -> &'static str {
        match self {
            WebhookError::MissingHeader { .. } => "missing_header",
            WebhookError::HeaderTooLarge { .. } => "header_too_large",
            WebhookError::MalformedHeader { .. } => "malformed_header",
            WebhookError::NoExpectedScheme { .. } => "no_expected_scheme",
            WebhookError::MissingUrl => "missing_url",
            WebhookError::NoMatchingSignature => "no_matching_signature",
            WebhookError::TimestampOutsideTolerance { .. } => "timestamp_outside_tolerance",
            WebhookError::BodyTooLarge { .. } => "body_too_large",
        }
    }
}

/// Why a [`Verifier`](super::Verifier) or [`Signer`](super::Signer) cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifierConfigError {
    /// The spec declares no webhook transport.
    #[error("the spec declares no webhook transport")]
    NoWebhookTransport,
    /// The webhook transport has no `inbound` block.
    #[error("the webhook transport has no `inbound` block")]
    NoInbound,
    /// The transport names no scheme and none can be inferred from the signature header.
    #[error("no signature scheme is declared and none is known for the `{header}` header; set `scheme`")]
    UnknownScheme {
        /// The declared signature header.
        header: String,
    },
    /// The scheme does not work with the algorithm.
    #[error("the `{scheme}` scheme does not support the `{algorithm}` algorithm")]
    UnsupportedAlgorithm {
        /// The scheme.
        scheme: SignatureScheme,
        /// The algorithm.
        algorithm: SigningAlgorithm,
    },
    /// Neither a scheme nor a layout is given.
    #[error("no signature scheme or layout is given; set `scheme` or `layout`")]
    NoLayout,
    /// The declared layout cannot carry the algorithm (Ed25519 keys must be base64).
    #[error("the declared signature layout does not support the `{algorithm}` algorithm")]
    UnsupportedLayoutAlgorithm {
        /// The algorithm.
        algorithm: SigningAlgorithm,
    },
    /// The declared layout is unusable (its signed content does not parse).
    #[error("the signature layout is invalid: {reason}")]
    InvalidLayout {
        /// What is wrong with it.
        reason: String,
    },
    /// No secret was given.
    #[error("at least one webhook secret is needed")]
    NoSecrets,
    /// A secret is empty or blank.
    #[error("webhook secret #{index} is empty")]
    EmptySecret {
        /// Position of the secret in the list.
        index: usize,
    },
    /// A secret cannot be decoded (Standard Webhooks keys are `whsec_` + base64, Ed25519 public keys `whpk_` +
    /// base64, Ed25519 secret keys `whsk_` + base64).
    #[error("webhook secret #{index} is invalid: {reason}")]
    InvalidSecret {
        /// Position of the secret in the list.
        index: usize,
        /// What is wrong with it.
        reason: &'static str,
    },
}
