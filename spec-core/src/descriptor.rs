//! Compile-time descriptors that `define_integration!` generates for each integration and action.

use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::model::{Action, IntegrationSpec};

/// An integration declared with `define_integration!`.
pub trait Integration: 'static {
    /// Provider id (`stripe`), from the declaration's name.
    const PROVIDER: &'static str;
    /// The integration's non-secret configuration type.
    type Config: Serialize + DeserializeOwned + JsonSchema;
    /// The integration's secrets type.
    type Secrets: DeserializeOwned + JsonSchema;
    /// The validated spec.
    fn spec() -> &'static IntegrationSpec;
}

/// One action of an integration, typed.
pub trait ActionDescriptor: 'static {
    /// The integration the action belongs to.
    type Integration: Integration;
    /// Action id (`stripe.customer.list`).
    const ID: &'static str;
    /// Input type; path parameters are fields of it.
    type Input: Serialize + DeserializeOwned + JsonSchema;
    /// Output type.
    type Output: Serialize + DeserializeOwned + JsonSchema;

    /// The action's entry in the spec.
    fn action() -> &'static Action {
        match <Self::Integration as Integration>::spec().action(Self::ID) {
            Some(a) => a,
            // The macro generates ID from the same declaration the spec is built from.
            None => unreachable!("action descriptor without a spec entry"),
        }
    }
}
