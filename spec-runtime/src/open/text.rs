//! Writing a value read from any deserializer as compact JSON text, without building it in memory first.
//!
//! The text is what `serde_json::Value` would hold, written out: numbers as `serde_json` writes them (a
//! float that is not finite becomes `null`), strings escaped as `serde_json` escapes them, members in the
//! order read. Reading it back gives the same `Value` that deserializing the input into one would.

use std::fmt::{self, Write as _};

use serde::Deserializer;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

/// Appends the JSON text of one value to a string.
pub(super) struct Json<'a> {
    out: &'a mut String,
    /// Arrays and objects open around the value.
    depth: usize,
}

impl<'a> Json<'a> {
    /// The deepest nesting written: below serde_json's limit of 128, so that the text always reads back.
    pub(super) const MAX_DEPTH: usize = 120;

    /// A writer of one value at the end of `out`.
    pub(super) fn new(out: &'a mut String) -> Self {
        Self { out, depth: 0 }
    }

    /// Opens an array or object: one level deeper, within [`Self::MAX_DEPTH`].
    fn open<E: de::Error>(&self) -> Result<usize, E> {
        let depth = self.depth.saturating_add(1);
        if depth > Self::MAX_DEPTH {
            return Err(E::custom(format_args!(
                "arrays and objects nest deeper than {} levels in a member kept in `extra`",
                Self::MAX_DEPTH
            )));
        }
        Ok(depth)
    }
}

impl<'de> DeserializeSeed<'de> for Json<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Json<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.out.push_str(if v { "true" } else { "false" });
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.out.push_str(itoa::Buffer::new().format(v));
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.out.push_str(itoa::Buffer::new().format(v));
        Ok(())
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<(), E> {
        match (i64::try_from(v), u64::try_from(v)) {
            (Ok(v), _) => self.visit_i64(v),
            (_, Ok(v)) => self.visit_u64(v),
            _ => Err(E::custom("number out of range")),
        }
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<(), E> {
        match u64::try_from(v) {
            Ok(v) => self.visit_u64(v),
            Err(_) => Err(E::custom("number out of range")),
        }
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        if v.is_finite() {
            // Written as serde_json writes it (the shortest text that reads back as `v`); floats are rare
            // in providers' objects.
            self.out.push_str(&serde_json::to_string(&v).map_err(E::custom)?);
        } else {
            self.out.push_str("null");
        }
        Ok(())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        string(self.out, v);
        Ok(())
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.out.push_str("null");
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.visit_none()
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let depth = self.open()?;
        let out = self.out;
        out.push('[');
        let mut first = true;
        loop {
            let at = out.len();
            if !first {
                out.push(',');
            }
            if seq.next_element_seed(Json { out: &mut *out, depth })?.is_none() {
                out.truncate(at);
                break;
            }
            first = false;
        }
        out.push(']');
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let depth = self.open()?;
        let out = self.out;
        out.push('{');
        let mut first = true;
        loop {
            let at = out.len();
            if !first {
                out.push(',');
            }
            if map.next_key_seed(Key(out))?.is_none() {
                out.truncate(at);
                break;
            }
            out.push(':');
            map.next_value_seed(Json { out: &mut *out, depth })?;
            first = false;
        }
        out.push('}');
        Ok(())
    }
}

/// Appends an object key, which must be a string, as JSON text.
struct Key<'a>(&'a mut String);

impl<'de> DeserializeSeed<'de> for Key<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for Key<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        string(self.0, v);
        Ok(())
    }
}

/// Appends `s` as a JSON string, escaped as `serde_json` escapes it.
pub(super) fn string(out: &mut String, s: &str) {
    out.push('"');
    if crate::plain::plain_len(s.as_bytes()) == s.len() {
        out.push_str(s);
    } else {
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\u{8}' => out.push_str("\\b"),
                '\u{c}' => out.push_str("\\f"),
                c if u32::from(c) < 0x20 => {
                    let _ = write!(out, "\\u{:04x}", u32::from(c));
                }
                c => out.push(c),
            }
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::{Value, json};

    use super::Json;

    fn text_of(input: &str) -> String {
        let mut out = String::new();
        let mut de = serde_json::Deserializer::from_str(input);
        serde::de::DeserializeSeed::deserialize(Json::new(&mut out), &mut de).unwrap();
        out
    }

    #[test]
    fn writes_compact_text_that_reads_back_as_the_same_value() {
        let input = r#" { "a" : [1, -2, 3.5, 1e300, true, null, {}], "b\n\"": "x\u0001\\y", "c": [] } "#;
        let text = text_of(input);
        assert_eq!(
            text,
            r#"{"a":[1,-2,3.5,1e+300,true,null,{}],"b\n\"":"x\u0001\\y","c":[]}"#
        );
        // Any deserializer, not only serde_json's text reader: here a `Value`.
        let value = json!({"k": [1u64 << 63, -1, "é"], "z": {"n": null}});
        let mut out = String::new();
        serde::de::DeserializeSeed::deserialize(Json::new(&mut out), value.clone()).unwrap();
        assert_eq!(serde_json::from_str::<Value>(&out).unwrap(), value);
    }

    #[test]
    fn nesting_that_could_not_be_read_back_is_refused() {
        let nest = |levels: usize| (0..levels).fold(json!(1), |inner, _| json!([inner]));
        let write = |value: Value| {
            let mut out = String::new();
            serde::de::DeserializeSeed::deserialize(Json::new(&mut out), value).map(|()| out)
        };
        let deepest = write(nest(Json::MAX_DEPTH)).unwrap();
        assert_eq!(serde_json::from_str::<Value>(&deepest).unwrap(), nest(Json::MAX_DEPTH));
        assert_eq!(
            write(nest(Json::MAX_DEPTH + 1)).unwrap_err().to_string(),
            "arrays and objects nest deeper than 120 levels in a member kept in `extra`"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        #[test]
        fn reads_back_as_serde_json_reads_the_input(value in any_json()) {
            let input = serde_json::to_string_pretty(&value).unwrap();
            let text = text_of(&input);
            prop_assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), serde_json::from_str::<Value>(&input).unwrap());
            prop_assert_eq!(text, serde_json::to_string(&serde_json::from_str::<Value>(&input).unwrap()).unwrap());
        }
    }

    fn any_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_map(Value::from),
            any::<String>().prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map(any::<String>(), inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }
}
