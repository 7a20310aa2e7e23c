//! Connect applications: the payload of `account.application.*` events.

use schemars::JsonSchema;
use serde::Serialize;
use spec_macros::DeserializeOpen;

use super::common::{Extra, HasId};

/// A Connect platform (OAuth application) an account authorized or deauthorized (`object: "application"`).
#[derive(Debug, Clone, PartialEq, Serialize, DeserializeOpen, JsonSchema)]
pub struct Application {
    /// Unique identifier for the object (`ca_…`).
    pub id: String,
    /// Always `application`.
    pub object: String,
    /// The name of the application.
    pub name: Option<String>,
    /// Fields not modeled here.
    #[serde(flatten)]
    pub extra: Extra,
}

impl HasId for Application {
    fn id(&self) -> &str {
        &self.id
    }
}
