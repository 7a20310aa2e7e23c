//! Deployment configuration read from the environment, generic per integration.
//!
//! Each integration reads variables named after its provider id
//! ([`IntegrationSpec::deploy_prefix`](spec_core::IntegrationSpec::deploy_prefix)): `stripe` reads
//! `STRIPE_INTEGRATION_CLIENT_ID`, `STRIPE_INTEGRATION_SECRET_KEY` (both enable the OAuth connect flow),
//! `STRIPE_INTEGRATION_APP_BASE_URL` (falling back to `API_BASE_URL`, then `APP_BASE_URL`),
//! `STRIPE_INTEGRATION_SIGNING_SECRET` (signs OAuth state; the secret key when empty) and
//! `STRIPE_INTEGRATION_WEBHOOK_SECRET` (verifies inbound webhook signatures). The redirect URI is
//! `{base}/v1/provider/stripe/callback` and the webhook URL `{base}/v1/provider/stripe/webhook/events`.
//!
//! Variables are read through an [`EnvSource`] (the process environment, a map or a closure), so tests
//! never touch the process environment. Credentials written as `{{env.NAME}}` templates are resolved
//! with [`resolve_template`] and [`resolve_json`].
//!
//! ```
//! use std::collections::HashMap;
//! use spec_runtime::deploy::DeployConfig;
//!
//! let env = HashMap::from([
//!     ("STRIPE_INTEGRATION_CLIENT_ID".to_string(), "ca_123".to_string()),
//!     ("STRIPE_INTEGRATION_SECRET_KEY".to_string(), "sk_test_abcdefgh1234".to_string()),
//!     ("API_BASE_URL".to_string(), "https://api.example.com".to_string()),
//! ]);
//! # let spec: spec_core::IntegrationSpec = serde_json::from_value(serde_json::json!({
//! #     "meta": {"key": "payments.stripe", "version": "1.0.0", "category": "payments", "title": "Stripe",
//! #              "domain": "payments", "stability": "beta"},
//! #     "supported_modes": ["managed"],
//! #     "transports": [{"type": "rest", "base_url": "https://api.stripe.com"}],
//! #     "preferred_transport": "rest",
//! #     "supported_auth_methods": [{"type": "api-key", "header_name": "Authorization", "prefix": "Bearer "}],
//! #     "config": {"type_name": "StripeConfig"},
//! #     "secrets": {"type_name": "StripeSecrets"}
//! # })).unwrap();
//! let config = DeployConfig::from_env(&spec, &env).unwrap();
//! assert_eq!(config.redirect_uri().unwrap().as_str(), "https://api.example.com/v1/provider/stripe/callback");
//! let err = config.webhook_secret().unwrap_err().to_string();
//! assert!(err.contains("STRIPE_INTEGRATION_WEBHOOK_SECRET"), "{err}");
//! ```

mod config;
mod source;
mod template;

pub use config::{ConnectSettings, DeployConfig, DeployEnvError, MissingConfig, MissingVariable};
pub use source::{EnvSource, ProcessEnv};
pub use template::{TemplateError, resolve_json, resolve_secret, resolve_template};
