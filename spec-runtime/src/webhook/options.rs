//! What a verifier checks: scheme, algorithm, header names, tolerance and size limits.

use super::error::VerifierConfigError;
use spec_core::{IntegrationSpec, SignatureScheme, SigningAlgorithm};

/// Size limits applied before any hashing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Longest accepted value of each header read (signature, timestamp, id). Default 8 KiB.
    pub max_header_bytes: usize,
    /// Longest accepted body. Default 1 MiB.
    pub max_body_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_header_bytes: 8 * 1024,
            max_body_bytes: 1024 * 1024,
        }
    }
}

/// Everything a [`Verifier`](super::Verifier) needs besides secrets and a clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifierOptions {
    /// Header and signed-content layout.
    pub scheme: SignatureScheme,
    /// MAC algorithm: HMAC-SHA256 for every scheme; GitHub also accepts HMAC-SHA1 (`X-Hub-Signature: sha1=`).
    pub algorithm: SigningAlgorithm,
    /// Header carrying the signature.
    pub signature_header: String,
    /// Header carrying the timestamp (Slack, Standard Webhooks); Stripe puts it in the signature header.
    pub timestamp_header: Option<String>,
    /// Header carrying the message id (Standard Webhooks).
    pub id_header: Option<String>,
    /// Accepted distance, in seconds, between the signed timestamp and now; `None` skips the check.
    pub tolerance: Option<u64>,
    /// Size limits.
    pub limits: Limits,
}

impl VerifierOptions {
    /// The provider's documented defaults for a scheme: Stripe `Stripe-Signature`, 300 s; GitHub
    /// `X-Hub-Signature-256`, no timestamp; Slack `X-Slack-Signature` + `X-Slack-Request-Timestamp`, 300 s;
    /// Standard Webhooks `webhook-signature` + `webhook-timestamp` + `webhook-id`, 300 s. All HMAC-SHA256.
    pub fn for_scheme(scheme: SignatureScheme) -> Self {
        Self {
            scheme,
            algorithm: SigningAlgorithm::HmacSha256,
            signature_header: scheme.default_signature_header().to_string(),
            timestamp_header: scheme.default_timestamp_header().map(str::to_string),
            id_header: scheme.default_id_header().map(str::to_string),
            tolerance: scheme.default_tolerance(),
            limits: Limits::default(),
        }
    }

    /// Options from a spec: the webhook transport's `inbound` block gives the signature header, algorithm,
    /// scheme (inferred from the header name when absent) and tolerance; the `webhook_signing` auth method
    /// gives the timestamp header and, when the transport has none, the tolerance. The rest are the
    /// scheme's defaults ([`for_scheme`](Self::for_scheme)).
    pub fn from_spec(spec: &IntegrationSpec) -> Result<Self, VerifierConfigError> {
        let inbound = spec
            .webhook()
            .ok_or(VerifierConfigError::NoWebhookTransport)?
            .inbound
            .as_ref()
            .ok_or(VerifierConfigError::NoInbound)?;
        let scheme = spec
            .webhook_scheme()
            .ok_or_else(|| VerifierConfigError::UnknownScheme {
                header: inbound.signature_header.clone(),
            })?;
        let mut options = Self::for_scheme(scheme);
        options.signature_header = inbound.signature_header.clone();
        options.algorithm = inbound.signing_algorithm;
        options.timestamp_header = spec.webhook_timestamp_header().map(str::to_string);
        options.id_header = spec.webhook_id_header().map(str::to_string);
        options.tolerance = spec.webhook_tolerance();
        options.check()?;
        Ok(options)
    }

    /// Sets the tolerance (`None` skips the timestamp check).
    pub fn with_tolerance(mut self, tolerance: Option<u64>) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Sets the size limits.
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Sets the algorithm.
    pub fn with_algorithm(mut self, algorithm: SigningAlgorithm) -> Self {
        self.algorithm = algorithm;
        self
    }

    /// Whether the algorithm suits the scheme.
    pub(crate) fn check(&self) -> Result<(), VerifierConfigError> {
        let ok = matches!(
            (self.scheme, self.algorithm),
            (_, SigningAlgorithm::HmacSha256) | (SignatureScheme::Github, SigningAlgorithm::HmacSha1)
        );
        if ok {
            Ok(())
        } else {
            Err(VerifierConfigError::UnsupportedAlgorithm {
                scheme: self.scheme,
                algorithm: self.algorithm,
            })
        }
    }
}
