use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Identity and ownership metadata of an integration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// Stable key, `domain.name` in lowercase (`payments.stripe`).
    pub key: String,
    /// Semantic version of the declaration (`1.0.0`).
    pub version: String,
    /// Catalogue category.
    pub category: Category,
    /// Human-readable title.
    pub title: String,
    /// One-sentence description.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Business domain (`payments`).
    pub domain: String,
    /// Owning teams (`platform.payments`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub owners: Vec<String>,
    /// Free-form tags for search.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Maturity of the integration.
    pub stability: Stability,
}

/// A closed set of named values declared with `spelled_enum!`: every value, its JSON spelling and the spelling
/// a Rust declaration writes. Lets generic code (the macro's error messages) list and look up the names of any
/// such enum without a copy of them.
pub trait Spelled: Sized + Copy + 'static {
    /// Every value, in declaration order.
    fn values() -> &'static [Self];

    /// The canonical spelling used in JSON (`ai-llm`).
    fn json_name(self) -> &'static str;

    /// The spelling a Rust declaration writes: the identifier form (`ai_llm`), which JSON also accepts; the
    /// JSON spelling when that is an identifier already.
    fn declared_name(self) -> &'static str;

    /// The value spelled `name`, in either spelling.
    fn from_name(name: &str) -> Option<Self> {
        Self::values()
            .iter()
            .copied()
            .find(|v| v.json_name() == name || v.declared_name() == name)
    }

    /// Every value's declared spelling, in declaration order.
    fn declared_names() -> Vec<&'static str> {
        Self::values().iter().map(|v| v.declared_name()).collect()
    }
}

/// An enum of named values: `Variant = "json-name" | "rust_name"`, where the optional second spelling is the
/// Rust-identifier form that deserialization also accepts (and that [`Spelled::declared_name`] returns); the
/// schema carries it as `x-declared` beside the value's `const`.
macro_rules! spelled_enum {
    (@declared $json:literal) => { $json };
    (@declared $json:literal, $alias:literal) => { $alias };
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $json:literal $(| $alias:literal)?),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
        pub enum $name {
            $($(#[$vm])* #[serde(rename = $json $(, alias = $alias)?)] $(#[schemars(extend("x-declared" = $alias))])? $variant,)+
        }
        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The canonical spelling used in JSON.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $json,)+ }
            }
        }
        impl $crate::model::Spelled for $name {
            fn values() -> &'static [Self] {
                Self::ALL
            }
            fn json_name(self) -> &'static str {
                self.as_str()
            }
            fn declared_name(self) -> &'static str {
                match self { $($name::$variant => spelled_enum!(@declared $json $(, $alias)?),)+ }
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use spelled_enum;

spelled_enum! {
    /// The 22 catalogue categories.
    Category {
        /// Payment processors.
        Payments = "payments",
        /// Email delivery.
        Email = "email",
        /// Calendars.
        Calendar = "calendar",
        /// SMS.
        Sms = "sms",
        /// Chat and messaging.
        Messaging = "messaging",
        /// Health data.
        Health = "health",
        /// Large language models.
        AiLlm = "ai-llm" | "ai_llm",
        /// Text to speech.
        AiVoiceTts = "ai-voice-tts" | "ai_voice_tts",
        /// Speech to text.
        AiVoiceStt = "ai-voice-stt" | "ai_voice_stt",
        /// Conversational voice agents.
        AiVoiceConversational = "ai-voice-conversational" | "ai_voice_conversational",
        /// Image generation.
        AiImage = "ai-image" | "ai_image",
        /// Product analytics.
        Analytics = "analytics",
        /// Vector databases.
        VectorDb = "vector-db" | "vector_db",
        /// File and object storage.
        Storage = "storage",
        /// Accounting.
        Accounting = "accounting",
        /// Customer relationship management.
        Crm = "crm",
        /// Helpdesk and support.
        Helpdesk = "helpdesk",
        /// Project management and developer tools.
        ProjectManagement = "project-management" | "project_management",
        /// Open banking.
        OpenBanking = "open-banking" | "open_banking",
        /// Meeting recorders.
        MeetingRecorder = "meeting-recorder" | "meeting_recorder",
        /// Databases.
        Database = "database",
        /// Anything else.
        Custom = "custom",
    }
}

spelled_enum! {
    /// Maturity of an integration.
    Stability {
        /// Proposed only.
        Idea = "idea",
        /// Being built.
        InCreation = "in_creation",
        /// Usable, may change.
        Experimental = "experimental",
        /// Feature-complete, in validation.
        Beta = "beta",
        /// Production-ready.
        Stable = "stable",
        /// Scheduled for removal.
        Deprecated = "deprecated",
    }
}

spelled_enum! {
    /// Who holds the provider credentials.
    Mode {
        /// The platform holds the credentials.
        Managed = "managed",
        /// The customer brings their own key.
        Byok = "byok",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AuthKind, HttpMethod, SigningAlgorithm};

    /// Every declared spelling deserializes to its value, and the JSON spelling is what serializes.
    fn spellings_round_trip<E: Spelled + PartialEq + std::fmt::Debug + serde::de::DeserializeOwned>() {
        for v in E::values() {
            for name in [v.json_name(), v.declared_name()] {
                let back: E = serde_json::from_value(serde_json::Value::String(name.into())).unwrap();
                assert_eq!(&back, v);
                assert_eq!(E::from_name(name), Some(*v));
            }
        }
        assert_eq!(E::from_name("no such value"), None);
    }

    #[test]
    fn declared_spellings_are_accepted() {
        spellings_round_trip::<Category>();
        spellings_round_trip::<AuthKind>();
        spellings_round_trip::<SigningAlgorithm>();
        spellings_round_trip::<HttpMethod>();
    }

    #[test]
    fn declared_name_is_the_identifier_form() {
        assert_eq!(Category::AiLlm.declared_name(), "ai_llm");
        assert_eq!(Category::AiLlm.json_name(), "ai-llm");
        assert_eq!(AuthKind::WebhookSigning.declared_name(), "webhook_signing");
        assert_eq!(HttpMethod::Get.declared_name(), "GET");
        assert_eq!(Mode::declared_names(), ["managed", "byok"]);
    }
}
