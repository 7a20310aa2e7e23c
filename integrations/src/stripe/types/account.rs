//! Connect applications: the payload of `account.application.*` events.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{Extra, HasId};

/// A Connect platform (OAuth application) an account authorized or deauthorized (`object: "application"`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
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
