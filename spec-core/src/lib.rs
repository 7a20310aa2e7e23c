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
pub mod descriptor;
pub mod model;
pub mod registry;
pub mod secret;
pub mod validate;

pub use descriptor::{ActionDescriptor, Integration};
pub use model::*;
pub use registry::{Registry, RegistryError};
pub use secret::Secret;
pub use validate::{ErrorCode, SpecError, check_against_schema, validate};

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
