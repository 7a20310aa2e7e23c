//! The integration-spec model, its one validator, the registry and the descriptors.
//!
//! Plain data: no network, no crypto, no async. What acts on a spec (the client, webhook verification, OAuth
//! connect, the ingest endpoint) is in the `spec-runtime` crate.
//!
//! An [`IntegrationSpec`] is plain data: it serializes to and from JSON (unknown fields rejected) and has
//! a JSON Schema of its own. [`validate`] holds every rule; `define_integration!` calls the same function
//! at compile time, so a JSON spec loaded at run time and a Rust declaration obey identical rules.
//!
//! ```
//! let json = r#"{
//!   "meta": {"key": "payments.demo", "version": "1.0.0", "category": "payments", "title": "Demo",
//!            "domain": "payments", "stability": "beta"},
//!   "supported_modes": ["managed"],
//!   "transports": [{"type": "rest", "base_url": "https://api.demo.test"}],
//!   "preferred_transport": "rest",
//!   "supported_auth_methods": [{"type": "api-key", "header_name": "Authorization", "prefix": "Bearer "}],
//!   "config": {"type_name": "DemoConfig"},
//!   "secrets": {"type_name": "DemoSecrets"}
//! }"#;
//! let spec: spec_core::IntegrationSpec = serde_json::from_str(json).unwrap();
//! assert!(spec_core::validate(&spec).is_ok());
//! ```

pub mod case;
mod descriptor;
mod model;
mod registry;
mod secret;
mod validate;

// One path per public type: the crate root.
pub use descriptor::{ActionDescriptor, Integration};
pub use model::{
    Action, ApiKeyAuth, AuthKind, AuthMethod, BEARER_PREFIX, BasicAuth, BearerAuth, BodyEncoding, ByokSetup,
    Capabilities, Category, ClientAuth, Constraints, Coverage, DEFAULT_BEARER_HEADER, DEFAULT_HAS_MORE_FIELD,
    DEFAULT_ITEMS_FIELD, EventEnvelope, EventType, Events, FieldSource, GrantType, Handshake, HeaderAuth, HealthCheck,
    HealthCheckMethod, HttpMethod, InboundWebhook, IntegrationSpec, KeyKind, KeyMode, KeyPrefix, McpTransport, McpWire,
    Meta, Mode, OAuth2Auth, OutboundWebhook, Pagination, PaginationStyle, ProvidedCapability, RateLimit,
    RateLimitHeaders, RequiredCapability, RestTransport, Revocation, RevocationPlan, RevocationStyle, ScopeImplication,
    SdkTransport, ServiceAccountAuth, SignatureScheme, SigningAlgorithm, Spelled, Stability, SupportedVersion,
    Transport, TransportKind, TypeSchema, VersionPlacement, VersionPolicy, VersionStatus, WebhookSigningAuth,
    WebhookTransport, callback_path, deploy_prefix, path_params, webhook_path,
};
pub use model::{
    ContentPart, DEFAULT_TOLERANCE, ED25519_PUBLIC_KEY_PREFIX, ED25519_SECRET_KEY_PREFIX, HeaderFormat,
    STANDARD_WEBHOOKS_SECRET_PREFIX, SecretEncoding, SecretFormat, SignatureEncoding, SignatureLayout, TemplateError,
    WebhookSignature, parse_content,
};
pub use registry::{Registry, RegistryError};
pub use secret::Secret;
pub use validate::{ErrorCode, SchemaViolation, SpecError, check_against_schema, validate};

/// Re-exports used by code that `define_integration!` generates. Not a stable API.
#[doc(hidden)]
pub mod __private {
    pub use schemars;
    pub use serde;
    pub use serde_json;

    /// The spec JSON that `define_integration!` wrote after validating it at compile time.
    pub fn from_generated(json: &str) -> crate::IntegrationSpec {
        match serde_json::from_str(json) {
            Ok(spec) => spec,
            // The macro serialized this very model; failing here is a bug in the macro, not user input.
            Err(e) => panic!("define_integration! produced a spec that does not deserialize: {e}"),
        }
    }

    /// The JSON Schema (draft 2020-12) of `T`.
    pub fn schema_of<T: schemars::JsonSchema>() -> serde_json::Value {
        schemars::SchemaGenerator::default()
            .into_root_schema_for::<T>()
            .to_value()
    }
}
