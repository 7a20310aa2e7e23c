//! [`Extra`]: the members an object does not model, kept as JSON text and read as a map on first use.

use std::borrow::Cow;
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::OnceLock;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::Keep;
use super::text::{self, Json};

/// The members of a provider's object that its type does not model, so that nothing the provider sent is
/// lost: serializing the object gives them back.
///
/// Reading an object keeps these members as one compact JSON text, without building a
/// [`serde_json::Value`] for each (for a large object that is most of the cost of reading it). The first
/// look at them, through [`Deref`] to a [`serde_json::Map`], reads that text once; from then on `Extra`
/// is that map, so everything a map offers works:
///
/// ```
/// use spec_runtime::open::Extra;
///
/// let extra: Extra = serde_json::from_str(r#"{"paid": true, "parent": {"subscription": "sub_1"}}"#).unwrap();
/// assert_eq!(extra["paid"], true);
/// assert_eq!(extra.get("parent").and_then(|p| p["subscription"].as_str()), Some("sub_1"));
/// assert!(!extra.contains_key("missing"));
///
/// let mut extra = extra;
/// extra.insert("note".into(), "kept".into());
/// assert_eq!(serde_json::to_value(&extra).unwrap()["note"], "kept");
/// ```
#[derive(Clone, Default)]
pub struct Extra {
    /// The members as the JSON text of an object (`{"name":value,…}`), or empty when there are none; stale
    /// once `map` is set.
    text: String,
    /// The members as a map, once looked at.
    map: OnceLock<Map<String, Value>>,
}

impl Extra {
    /// No members.
    pub fn new() -> Self {
        Self::default()
    }

    fn read(text: &str) -> Map<String, Value> {
        if text.is_empty() {
            return Map::new();
        }
        // The text is written by this type (`text::Json`): always one object, nesting within serde_json's
        // limit, so it always reads back.
        serde_json::from_str(text).unwrap_or_default()
    }
}

impl Deref for Extra {
    type Target = Map<String, Value>;

    fn deref(&self) -> &Map<String, Value> {
        self.map.get_or_init(|| Self::read(&self.text))
    }
}

impl DerefMut for Extra {
    fn deref_mut(&mut self) -> &mut Map<String, Value> {
        let text = std::mem::take(&mut self.text);
        self.map.get_or_init(|| Self::read(&text));
        match self.map.get_mut() {
            Some(map) => map,
            None => unreachable!("`get_or_init` has just set the map"),
        }
    }
}

impl<'de> Keep<'de> for Extra {
    fn keep<A: MapAccess<'de>>(&mut self, name: Cow<'de, str>, map: &mut A) -> Result<(), A::Error> {
        if let Some(members) = self.map.get_mut() {
            let value = map.next_value()?;
            members.insert(name.into_owned(), value);
            return Ok(());
        }
        if self.text.is_empty() {
            // Room for a few members at once: most objects keep several.
            self.text.reserve(128);
            self.text.push('{');
        } else {
            // Reopen the object: its closing brace becomes the separator.
            self.text.pop();
            self.text.push(',');
        }
        text::string(&mut self.text, &name);
        self.text.push(':');
        map.next_value_seed(Json::new(&mut self.text))?;
        self.text.push('}');
        Ok(())
    }
}

impl From<Map<String, Value>> for Extra {
    fn from(map: Map<String, Value>) -> Self {
        Self {
            text: String::new(),
            map: OnceLock::from(map),
        }
    }
}

impl FromIterator<(String, Value)> for Extra {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Self {
        Self::from(iter.into_iter().collect::<Map<String, Value>>())
    }
}

impl fmt::Debug for Extra {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl PartialEq for Extra {
    fn eq(&self, other: &Self) -> bool {
        let unread = self.map.get().is_none() && other.map.get().is_none();
        (unread && self.text == other.text) || **self == **other
    }
}

impl Eq for Extra {}

impl Serialize for Extra {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(s)
    }
}

impl<'de> Deserialize<'de> for Extra {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(Members)
    }
}

/// Reads a whole object into an [`Extra`].
struct Members;

impl<'de> Visitor<'de> for Members {
    type Value = Extra;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Extra, A::Error> {
        let mut extra = Extra::new();
        while let Some(name) = map.next_key::<Cow<'de, str>>()? {
            extra.keep(name, &mut map)?;
        }
        Ok(extra)
    }
}

/// The schema of a map of any JSON values, which is what `Extra` serializes as.
impl JsonSchema for Extra {
    fn inline_schema() -> bool {
        <Map<String, Value>>::inline_schema()
    }

    fn schema_name() -> Cow<'static, str> {
        <Map<String, Value>>::schema_name()
    }

    fn schema_id() -> Cow<'static, str> {
        <Map<String, Value>>::schema_id()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        <Map<String, Value>>::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::Extra;

    #[test]
    fn members_are_kept_as_text_until_looked_at() {
        let extra: Extra = serde_json::from_str(r#"{ "b": [1, {"c": null}], "a": "x" }"#).unwrap();
        assert_eq!(extra.text, r#"{"b":[1,{"c":null}],"a":"x"}"#);
        assert!(extra.map.get().is_none());
        assert_eq!(extra["b"][1], json!({"c": null}));
        assert_eq!(extra.len(), 2);
        assert_eq!(
            serde_json::to_value(&extra).unwrap(),
            json!({"a": "x", "b": [1, {"c": null}]})
        );
    }

    #[test]
    fn equality_is_of_the_members_whatever_their_order_or_state() {
        let one: Extra = serde_json::from_str(r#"{"a": 1, "b": 2}"#).unwrap();
        let other: Extra = serde_json::from_str(r#"{"b": 2, "a": 1}"#).unwrap();
        assert_eq!(one, other);
        let built: Extra = [("a".to_string(), json!(1)), ("b".to_string(), json!(2))]
            .into_iter()
            .collect();
        assert_eq!(one, built);
        assert_ne!(one, Extra::new());
        assert_eq!(Extra::new(), serde_json::from_str::<Extra>("{}").unwrap());
    }

    #[test]
    fn a_change_replaces_the_text() {
        let mut extra: Extra = serde_json::from_str(r#"{"a": 1}"#).unwrap();
        extra.insert("b".into(), Value::Bool(true));
        extra.remove("a");
        assert!(extra.text.is_empty());
        assert_eq!(serde_json::to_string(&extra).unwrap(), r#"{"b":true}"#);
        assert_eq!(format!("{extra:?}"), r#"{"b": Bool(true)}"#);
    }
}
