//! What a verifier checks: the signature layout (a named scheme's preset or a declared layout), algorithm,
//! header names, tolerance and size limits.

use super::error::VerifierConfigError;
use spec_core::{IntegrationSpec, SignatureLayout, SignatureScheme, SigningAlgorithm};

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
///
/// The layout verified is `layout` when set, else the preset of `scheme` ([`SignatureScheme::layout`]); the
/// header names and the tolerance below apply to either.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifierOptions {
    /// The named scheme (`None` for a layout no preset covers).
    pub scheme: Option<SignatureScheme>,
    /// The layout in force, as the spec gives it ([`IntegrationSpec::webhook_signature`]); `None`: the
    /// scheme's preset.
    pub layout: Option<SignatureLayout>,
    /// MAC or signature algorithm: HMAC-SHA256 for every scheme; GitHub also accepts HMAC-SHA1
    /// (`X-Hub-Signature: sha1=`), Standard Webhooks Ed25519 (`v1a`); a declared layout takes any HMAC, and
    /// Ed25519 with base64 keys.
    pub algorithm: SigningAlgorithm,
    /// Header carrying the signature.
    pub signature_header: String,
    /// Header carrying the timestamp (Slack, Standard Webhooks); `None`: the layout's. Stripe puts it in
    /// the signature header, and then this is not read.
    pub timestamp_header: Option<String>,
    /// Header carrying the message id (Standard Webhooks); `None`: the layout's.
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
            scheme: Some(scheme),
            layout: None,
            algorithm: SigningAlgorithm::HmacSha256,
            signature_header: scheme.default_signature_header().to_string(),
            timestamp_header: scheme.default_timestamp_header().map(str::to_string),
            id_header: scheme.default_id_header().map(str::to_string),
            tolerance: scheme.default_tolerance(),
            limits: Limits::default(),
        }
    }

    /// Options from a spec, all read from [`IntegrationSpec::webhook_signature`]: the declared layout or the
    /// scheme's preset (the scheme inferred from the header name when absent), the signature header,
    /// algorithm, timestamp and id headers and tolerance.
    pub fn from_spec(spec: &IntegrationSpec) -> Result<Self, VerifierConfigError> {
        let inbound = spec
            .webhook()
            .ok_or(VerifierConfigError::NoWebhookTransport)?
            .inbound
            .as_ref()
            .ok_or(VerifierConfigError::NoInbound)?;
        let signature = spec
            .webhook_signature()
            .ok_or_else(|| VerifierConfigError::UnknownScheme {
                header: inbound.signature_header.clone(),
            })?;
        let options = Self {
            scheme: signature.preset,
            timestamp_header: signature.layout.timestamp_header.clone(),
            id_header: signature.layout.id_header.clone(),
            layout: Some(signature.layout),
            algorithm: signature.algorithm,
            signature_header: signature.signature_header,
            tolerance: signature.tolerance,
            limits: Limits::default(),
        };
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

    /// The layout verified: `layout`, else the scheme's preset for the algorithm, with the header names of
    /// these options applied.
    pub fn resolved_layout(&self) -> Result<SignatureLayout, VerifierConfigError> {
        let mut layout = match (&self.layout, self.scheme) {
            (Some(layout), _) => layout.clone(),
            (None, Some(scheme)) => scheme.layout(self.algorithm),
            (None, None) => return Err(VerifierConfigError::NoLayout),
        };
        if layout.timestamp_item().is_none() && self.timestamp_header.is_some() {
            layout.timestamp_header = self.timestamp_header.clone();
        }
        if layout.id_header.is_some() && self.id_header.is_some() {
            layout.id_header = self.id_header.clone();
        }
        Ok(layout)
    }

    /// Whether the algorithm suits the scheme and the layout, and the layout's signed content parses.
    pub(crate) fn check(&self) -> Result<(), VerifierConfigError> {
        if let Some(scheme) = self.scheme
            && !scheme.supports(self.algorithm)
        {
            return Err(VerifierConfigError::UnsupportedAlgorithm {
                scheme,
                algorithm: self.algorithm,
            });
        }
        let layout = self.resolved_layout()?;
        if !layout.supports(self.algorithm) {
            return Err(VerifierConfigError::UnsupportedLayoutAlgorithm {
                algorithm: self.algorithm,
            });
        }
        layout
            .content()
            .map_err(|e| VerifierConfigError::InvalidLayout { reason: e.to_string() })?;
        Ok(())
    }
}
