//! The serialized form of a [`CanonicalEvent`] and its JSON Schema.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::{CanonicalEvent, JsonText};

/// A provider event in provider-neutral form.
#[derive(Deserialize, JsonSchema)]
#[schemars(rename = "CanonicalEvent")]
struct Repr {
    /// The provider's event id (`evt_…`); deliveries of one event share it.
    id: String,
    /// The prefixed type (`stripe.invoice.paid`).
    #[serde(rename = "type")]
    event_type: String,
    /// The provider's own type (`invoice.paid`).
    upstream_type: String,
    /// The connected account the event belongs to (`acct_…`); `None` for the platform's own events.
    account_id: Option<String>,
    /// When the event happened, in Unix seconds.
    created: Option<i64>,
    /// Whether the event happened in live mode.
    livemode: Option<bool>,
    /// Id of the changed object (`in_…`).
    object_id: Option<String>,
    /// Type of the changed object (`invoice`).
    object_type: Option<String>,
    /// The changed object.
    data: Value,
    /// Previous values of the changed fields, for update events.
    previous_attributes: Option<Value>,
    /// The original event, as received.
    raw: Value,
}

/// JSON text serialized as the value it holds.
struct Json<'a>(&'a str);

impl Serialize for Json<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let value: Value = serde_json::from_str(self.0).map_err(serde::ser::Error::custom)?;
        value.serialize(s)
    }
}

impl Serialize for CanonicalEvent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("CanonicalEvent", 11)?;
        st.serialize_field("id", &self.id)?;
        st.serialize_field("type", &self.event_type)?;
        st.serialize_field("upstream_type", &self.upstream_type)?;
        st.serialize_field("account_id", &self.account_id)?;
        st.serialize_field("created", &self.created)?;
        st.serialize_field("livemode", &self.livemode)?;
        st.serialize_field("object_id", &self.object_id)?;
        st.serialize_field("object_type", &self.object_type)?;
        st.serialize_field("data", &Json(self.data_json()))?;
        st.serialize_field("previous_attributes", &self.previous_attributes_json().map(Json))?;
        st.serialize_field("raw", &Json(self.raw_json()))?;
        st.end()
    }
}

impl<'de> Deserialize<'de> for CanonicalEvent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let r = Repr::deserialize(d)?;
        let text = |v: &Value| serde_json::to_string(v).map_err(serde::de::Error::custom);
        let raw = text(&r.raw)?;
        let data = match &r.data {
            Value::Null => None,
            v => Some(text(v)?),
        };
        let previous = r.previous_attributes.as_ref().map(text).transpose()?;
        Ok(CanonicalEvent {
            id: r.id,
            event_type: r.event_type,
            upstream_type: r.upstream_type,
            account_id: r.account_id,
            created: r.created,
            livemode: r.livemode,
            object_id: r.object_id,
            object_type: r.object_type,
            json: JsonText::from_parts(&raw, data.as_deref(), previous.as_deref()),
        })
    }
}

impl JsonSchema for CanonicalEvent {
    fn schema_name() -> Cow<'static, str> {
        Repr::schema_name()
    }

    fn schema_id() -> Cow<'static, str> {
        Cow::Borrowed(concat!(module_path!(), "::CanonicalEvent"))
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        Repr::json_schema(generator)
    }
}
