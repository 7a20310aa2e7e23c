//! The verifier: keyed MACs for each secret, options, and a clock.

use std::sync::Arc;

use subtle::Choice;

use super::clock::{Clock, SystemClock};
use super::engine::{self, Candidates, Compiled};
use super::error::{VerifierConfigError, WebhookError};
use super::headers::Headers;
use super::key::{Key, Role};
use super::options::VerifierOptions;
use spec_core::IntegrationSpec;
use spec_core::Secret;

/// What a successful verification established.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Verified {
    /// The signed timestamp (Unix seconds), for timestamped schemes.
    pub timestamp: Option<i64>,
    /// Index, in the list given to the verifier, of the first secret that matched.
    pub secret_index: usize,
}

/// Verifies webhook deliveries against one or more secrets. Cheap to share (`Send + Sync`); build it once.
#[derive(Clone)]
pub struct Verifier {
    options: VerifierOptions,
    compiled: Compiled,
    keys: Vec<Key>,
    clock: Arc<dyn Clock>,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("options", &self.options)
            .field("secrets", &self.keys.len())
            .finish_non_exhaustive()
    }
}

impl Verifier {
    /// A verifier accepting signatures made with any of `secrets` (several during a rotation). With Ed25519
    /// the secrets are public keys (`whpk_` + base64).
    pub fn new(options: VerifierOptions, secrets: &[Secret]) -> Result<Self, VerifierConfigError> {
        let compiled = Compiled::new(&options)?;
        if secrets.is_empty() {
            return Err(VerifierConfigError::NoSecrets);
        }
        let keys = secrets
            .iter()
            .enumerate()
            .map(|(i, s)| Key::new(options.algorithm, &compiled.secret, Role::Verify, s, i))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            options,
            compiled,
            keys,
            clock: Arc::new(SystemClock),
        })
    }

    /// A verifier configured by the spec's webhook transport ([`VerifierOptions::from_spec`]).
    pub fn from_spec(spec: &IntegrationSpec, secrets: &[Secret]) -> Result<Self, VerifierConfigError> {
        Self::new(VerifierOptions::from_spec(spec)?, secrets)
    }

    /// Uses `clock` for tolerance checks instead of the system clock.
    pub fn with_clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// The options in force.
    pub fn options(&self) -> &VerifierOptions {
        &self.options
    }

    /// How many secrets are accepted.
    pub fn secret_count(&self) -> usize {
        self.keys.len()
    }

    /// Verifies a delivery at the clock's current time.
    pub fn verify<H: Headers + ?Sized>(&self, headers: &H, body: &[u8]) -> Result<Verified, WebhookError> {
        self.verify_at(headers, body, self.clock.unix_seconds())
    }

    /// Verifies a delivery as if received at `now` (Unix seconds).
    pub fn verify_at<H: Headers + ?Sized>(&self, headers: &H, body: &[u8], now: i64) -> Result<Verified, WebhookError> {
        self.verify_inner(headers, body, now, None)
    }

    /// Verifies a delivery to `url` (the full request URL, for layouts that sign `{url}`) at the clock's
    /// current time.
    pub fn verify_with_url<H: Headers + ?Sized>(
        &self,
        url: &str,
        headers: &H,
        body: &[u8],
    ) -> Result<Verified, WebhookError> {
        self.verify_inner(headers, body, self.clock.unix_seconds(), Some(url))
    }

    fn verify_inner<H: Headers + ?Sized>(
        &self,
        headers: &H,
        body: &[u8],
        now: i64,
        url: Option<&str>,
    ) -> Result<Verified, WebhookError> {
        let limit = self.options.limits.max_body_bytes;
        if body.len() > limit {
            return Err(WebhookError::BodyTooLarge { len: body.len(), limit });
        }
        if let Some(url) = url
            && url.len() > self.options.limits.max_header_bytes
        {
            return Err(WebhookError::MalformedHeader {
                header: "url".into(),
                reason: "the request URL is over the header size limit",
            });
        }
        engine::verify(self, headers, body, now, url)
    }

    /// The compiled layout.
    pub(crate) fn compiled(&self) -> &Compiled {
        &self.compiled
    }

    /// The value of header `name`: present, non-blank, within the size limit, ASCII text.
    pub(crate) fn header<'h, H: Headers + ?Sized>(&self, headers: &'h H, name: &str) -> Result<&'h str, WebhookError> {
        let raw = headers.header(name).unwrap_or_default();
        let limit = self.options.limits.max_header_bytes;
        if raw.len() > limit {
            return Err(WebhookError::HeaderTooLarge {
                header: name.to_string(),
                len: raw.len(),
                limit,
            });
        }
        let text = std::str::from_utf8(raw).map_err(|_| WebhookError::MalformedHeader {
            header: name.to_string(),
            reason: "the value is not UTF-8 text",
        })?;
        let text = text.trim_ascii();
        if text.is_empty() {
            return Err(WebhookError::MissingHeader {
                header: name.to_string(),
            });
        }
        Ok(text)
    }

    /// Checks every candidate against every secret and returns the index of the first matching secret: MACs
    /// are compared in constant time (every candidate with every secret's MAC of `parts`); Ed25519 keys
    /// verify at most `max_ed25519` candidates each.
    pub(crate) fn find_match(
        &self,
        parts: &[&[u8]],
        candidates: &Candidates,
        max_ed25519: usize,
    ) -> Result<usize, WebhookError> {
        let mut found = None;
        let mut message = None;
        for (i, key) in self.keys.iter().enumerate() {
            let hit = if key.is_ed25519() {
                let message: &[u8] = message.get_or_insert_with(|| parts.concat());
                candidates.iter().take(max_ed25519).any(|c| key.verifies(message, c))
            } else {
                let Some(expected) = key.tag(parts) else { continue };
                let mut hit = Choice::from(0);
                for candidate in candidates.iter() {
                    hit |= expected.ct_eq(candidate);
                }
                bool::from(hit)
            };
            if hit && found.is_none() {
                found = Some(i);
            }
        }
        found.ok_or(WebhookError::NoMatchingSignature)
    }

    /// Checks that `timestamp` is within the tolerance of `now`.
    pub(crate) fn check_timestamp(&self, timestamp: i64, now: i64) -> Result<(), WebhookError> {
        match self.options.tolerance {
            Some(tolerance) if now.abs_diff(timestamp) > tolerance => Err(WebhookError::TimestampOutsideTolerance {
                timestamp,
                now,
                tolerance,
            }),
            _ => Ok(()),
        }
    }
}
