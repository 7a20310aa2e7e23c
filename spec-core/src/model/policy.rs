use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::meta::spelled_enum;

/// API versioning policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VersionPolicy {
    /// The version sent by default; must be supported and not sunset.
    pub current_version: String,
    /// Every version a connection may pin.
    pub supported_versions: Vec<SupportedVersion>,
    /// Header carrying the version; at most one of the three placements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_header: Option<String>,
    /// Query parameter carrying the version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_query_param: Option<String>,
    /// Whether the version is a path segment.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub version_in_path: bool,
}

impl VersionPolicy {
    /// The entry for `version`, if supported.
    pub fn find(&self, version: &str) -> Option<&SupportedVersion> {
        self.supported_versions.iter().find(|v| v.version == version)
    }
}

/// One supported API version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SupportedVersion {
    /// Version string (`2024-11-20.acacia`).
    pub version: String,
    /// Lifecycle status.
    pub status: VersionStatus,
    /// Date after which the version stops working (`YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sunset_date: Option<String>,
    /// Where to read how to move off this version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub migration_guide: Option<String>,
    /// Release date (`YYYY-MM-DD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub released_at: Option<String>,
}

spelled_enum! {
    /// Lifecycle of an API version.
    VersionStatus {
        /// Generally available.
        Stable = "stable",
        /// Preview.
        Beta = "beta",
        /// Still works, scheduled for removal.
        Deprecated = "deprecated",
        /// No longer usable.
        Sunset = "sunset",
    }
}

/// Capabilities provided to and required from the platform.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Capabilities {
    /// Capabilities this integration provides.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provides: Vec<ProvidedCapability>,
    /// Capabilities this integration needs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires: Vec<RequiredCapability>,
}

impl Capabilities {
    /// True when nothing is provided or required.
    pub fn is_empty(&self) -> bool {
        self.provides.is_empty() && self.requires.is_empty()
    }
}

/// A provided capability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProvidedCapability {
    /// Capability key (`payments.psp`).
    pub key: String,
    /// Capability version (semver).
    pub version: String,
}

/// A required capability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RequiredCapability {
    /// Capability key (`platform.webhooks`).
    pub key: String,
    /// Required version range (semver requirement).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// What kind of thing provides it (`platform`, `integration`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Whether the integration works without it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub optional: bool,
    /// Why it is needed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// How the platform checks that a connection works.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HealthCheck {
    /// Check method.
    pub method: HealthCheckMethod,
    /// Timeout in milliseconds.
    pub timeout_ms: u64,
    /// Action run by the `list` and `custom` methods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
}

spelled_enum! {
    /// Health check methods.
    HealthCheckMethod {
        /// A cheap authenticated request.
        Ping = "ping",
        /// A one-item list call.
        List = "list",
        /// A named action.
        Custom = "custom",
    }
}

/// Limits the client respects.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Constraints {
    /// Request rate limits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<RateLimit>,
    /// Named quotas (name → amount per period as documented by the provider).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub quotas: BTreeMap<String, u64>,
}

/// Request rate limits; both are enforced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RateLimit {
    /// Requests per minute.
    pub rpm: u32,
    /// Requests per hour; at least `rpm`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rph: Option<u32>,
}

/// Bring-your-own-key set-up instructions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ByokSetup {
    /// What the customer must do.
    pub setup_instructions: String,
    /// Provider scopes the key needs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub required_scopes: Vec<String>,
    /// Endpoint used to validate a provided key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation_endpoint: Option<String>,
    /// Whether keys can be rotated without downtime.
    #[serde(default)]
    pub key_rotation_supported: bool,
    /// Whether the provider reports quota usage.
    #[serde(default)]
    pub quota_tracking_supported: bool,
    /// Ordered provisioning steps.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provisioning_steps: Vec<String>,
}
