//! Webhook signature verification driven by the spec's webhook transport.
//!
//! A [`Verifier`] is built from an [`IntegrationSpec`](spec_core::IntegrationSpec) (its webhook transport's
//! `inbound` block and its `webhook_signing` auth method) and one or more secrets, or directly from
//! [`VerifierOptions`]. It takes the raw body bytes and the request headers and checks the signature with
//! the spec's signature layout ([`IntegrationSpec::webhook_signature`](spec_core::IntegrationSpec::webhook_signature)):
//! a layout the spec declares (`webhook.inbound.signature`), or the preset of a named scheme
//! ([`SignatureScheme::layout`](spec_core::SignatureScheme::layout)). One engine runs every layout; the presets:
//!
//! | scheme | signature header | signed content |
//! |---|---|---|
//! | Stripe | `Stripe-Signature: t=…,v1=<hex>[,v1=…]` | `{t}.{body}` |
//! | GitHub | `X-Hub-Signature-256: sha256=<hex>` | `{body}` |
//! | Slack | `X-Slack-Signature: v0=<hex>` + `X-Slack-Request-Timestamp` | `v0:{ts}:{body}` |
//! | Standard Webhooks | `webhook-signature: v1,<base64> …` + `webhook-id`, `webhook-timestamp` | `{id}.{ts}.{body}` |
//! | Standard Webhooks, Ed25519 | `webhook-signature: v1a,<base64> …`, `whpk_` public keys | `{id}.{ts}.{body}` |
//!
//! Every candidate signature in the header is compared, in constant time, with the MAC under every
//! secret (so a rotated secret and its successor are both accepted); Ed25519 candidates are checked
//! (strictly) against every public key, at most 16 candidates per key. The signature is checked before the
//! timestamp, so a [`WebhookError::TimestampOutsideTolerance`] always concerns an authentic delivery.
//! Timestamps are accepted within the tolerance on both sides of the clock ([`Clock`]). Header and body
//! sizes are bounded ([`Limits`]).
//!
//! **Stripe header leniency.** The `items` header parser (Stripe's `Stripe-Signature`) follows stripe-node (the
//! stricter official SDK), and accepts only headers both stripe-node and stripe-python accept: items are not
//! trimmed (`t=…, v1=…` has no `v1`), `v1` is compared as lower-case hex (upper case does not match), unknown
//! items are ignored. It is stricter than both on forms Stripe never sends: the `t` value must be 1–18 digits
//! without a leading zero and is signed as written (the SDKs also take `t=+N`, `t=0N`, `t= N`, and stripe-node
//! `t=N.0`), `v1=<sig>=x` is no candidate, and a second `t` is an error. The whole value is trimmed, as HTTP
//! delivers it.
//!
//! [`Signer`] produces valid headers, for tests and for users testing their own endpoints:
//!
//! ```
//! use spec_core::{Secret, SignatureScheme};
//! use spec_runtime::webhook::{FixedClock, Signer, Verifier, VerifierOptions};
//!
//! let secret = Secret::new("whsec_test");
//! let body = br#"{"id":"evt_1","type":"customer.created"}"#;
//! let headers = Signer::for_scheme(SignatureScheme::Stripe, &secret)?.sign(body, 1_700_000_000);
//!
//! let verifier = Verifier::new(VerifierOptions::for_scheme(SignatureScheme::Stripe), &[secret])?
//!     .with_clock(FixedClock(1_700_000_010));
//! let verified = verifier.verify(&headers, body)?;
//! assert_eq!(verified.timestamp, Some(1_700_000_000));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod clock;
mod engine;
mod error;
mod headers;
mod key;
mod options;
mod signer;
mod verifier;

pub use clock::{Clock, FixedClock, SystemClock};
pub use error::{VerifierConfigError, WebhookError};
pub use headers::Headers;
pub use options::{Limits, VerifierOptions};
pub use signer::{SignedHeaders, Signer};
pub use verifier::{Verified, Verifier};
