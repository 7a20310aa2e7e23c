//! One pass over a JSON document that picks out the values at a set of JSON pointers, as borrowed raw text.
//!
//! A [`Plan`] is a tree of the pointers' segments. Scanning walks the document with serde, descending only
//! into the members the plan names and skipping everything else with [`IgnoredAny`] (no allocation, no
//! `Value` tree). A value the plan captures is taken as a borrowed [`RawValue`]: its text, still in the
//! input. When a captured value also has pointers below it (the event's object and the object's id), the
//! captured text is walked again, stopping as soon as every pointer below it is found.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

/// The pointers to capture, as a tree of segments; each pointer gets a slot in the scan's output.
#[derive(Debug, Clone, Default)]
pub(crate) struct Plan {
    root: Node,
    slots: usize,
}

#[derive(Debug, Clone, Default)]
struct Node {
    children: Vec<Child>,
    /// Slots captured at this node.
    captures: Vec<usize>,
    /// Slots captured strictly below this node.
    below: Vec<usize>,
}

#[derive(Debug, Clone)]
struct Child {
    key: String,
    /// The segment as an array index, when it is one (`0`, `12`; no leading zeros).
    index: Option<usize>,
    node: Node,
}

/// What a scan found: for each slot, the raw JSON text of the value (never `null`), or `None`.
pub(crate) type Found<'a> = Vec<Option<&'a str>>;

impl Plan {
    /// Adds a JSON pointer (RFC 6901; `""` is the whole document) and returns its slot; `None` when the
    /// pointer is malformed (it then never matches).
    pub(crate) fn add(&mut self, pointer: &str) -> Option<usize> {
        let segments = segments(pointer)?;
        let slot = self.slots;
        self.slots += 1;
        let mut node = &mut self.root;
        for segment in segments {
            node.below.push(slot);
            let at = match node.children.iter().position(|c| c.key == segment) {
                Some(at) => at,
                None => {
                    let index = array_index(&segment);
                    node.children.push(Child {
                        key: segment,
                        index,
                        node: Node::default(),
                    });
                    node.children.len() - 1
                }
            };
            node = &mut node.children[at].node;
        }
        node.captures.push(slot);
        Some(slot)
    }

    /// Scans `json`, which must be exactly one JSON value (surrounding whitespace allowed): the whole
    /// document is checked, so an error means the text is not JSON.
    pub(crate) fn scan<'a>(&self, json: &'a str) -> Result<Found<'a>, serde_json::Error> {
        let mut out = vec![None; self.slots];
        let mut de = serde_json::Deserializer::from_str(json);
        Walk {
            node: &self.root,
            out: &mut out,
            done: None,
            descend_only: false,
        }
        .deserialize(&mut de)?;
        de.end()?;
        Ok(out)
    }
}

/// The segments of a JSON pointer, unescaped (`~1` → `/`, `~0` → `~`).
fn segments(pointer: &str) -> Option<Vec<String>> {
    if pointer.is_empty() {
        return Some(Vec::new());
    }
    let rest = pointer.strip_prefix('/')?;
    Some(
        rest.split('/')
            .map(|s| s.replace("~1", "/").replace("~0", "~"))
            .collect(),
    )
}

fn array_index(segment: &str) -> Option<usize> {
    let canonical = segment == "0" || (!segment.starts_with('0') && segment.bytes().all(|b| b.is_ascii_digit()));
    if canonical { segment.parse().ok() } else { None }
}

/// Walks one value at `node`, writing captures into `out`.
struct Walk<'w, 'a> {
    node: &'w Node,
    out: &'w mut [Option<&'a str>],
    /// In a re-walk of captured text: the slots it looks for; the walk stops once all are found.
    done: Option<&'w [usize]>,
    /// The node's own captures are already taken (a re-walk of its text).
    descend_only: bool,
}

impl Walk<'_, '_> {
    fn complete(&self) -> bool {
        self.done
            .is_some_and(|slots| slots.iter().all(|&s| self.out.get(s).is_some_and(Option::is_some)))
    }
}

/// Walks `text` (already validated) for the pointers below `node`, stopping early once all are found. The
/// early stop surfaces as a parse error, which is ignored: every value captured before it is complete.
fn rewalk<'a>(node: &Node, text: &'a str, out: &mut [Option<&'a str>]) {
    let mut de = serde_json::Deserializer::from_str(text);
    let _ = Walk {
        node,
        out,
        done: Some(&node.below),
        descend_only: true,
    }
    .deserialize(&mut de);
}

impl<'de> DeserializeSeed<'de> for Walk<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        if !self.descend_only && !self.node.captures.is_empty() {
            let raw = <&'de RawValue>::deserialize(d)?;
            let text = raw.get();
            if text != "null" {
                for &slot in &self.node.captures {
                    if let Some(o) = self.out.get_mut(slot) {
                        *o = Some(text);
                    }
                }
            }
            if !self.node.children.is_empty() {
                rewalk(self.node, text, self.out);
            }
            Ok(())
        } else if self.node.children.is_empty() {
            IgnoredAny::deserialize(d).map(|_| ())
        } else {
            d.deserialize_any(self)
        }
    }
}

impl<'de> Visitor<'de> for Walk<'_, 'de> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let node = self.node;
        while let Some(found) = map.next_key_seed(Key(&node.children))? {
            match found.and_then(|i| node.children.get(i)) {
                Some(child) => map.next_value_seed(Walk {
                    node: &child.node,
                    out: &mut *self.out,
                    done: self.done,
                    descend_only: false,
                })?,
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            if self.complete() {
                return Ok(());
            }
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let node = self.node;
        let mut i = 0usize;
        loop {
            let more = match node.children.iter().find(|c| c.index == Some(i)) {
                Some(child) => seq
                    .next_element_seed(Walk {
                        node: &child.node,
                        out: &mut *self.out,
                        done: self.done,
                        descend_only: false,
                    })?
                    .is_some(),
                None => seq.next_element::<IgnoredAny>()?.is_some(),
            };
            if !more || self.complete() {
                return Ok(());
            }
            i += 1;
        }
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

/// Matches an object key against a node's children without allocating.
struct Key<'n>(&'n [Child]);

impl<'de> DeserializeSeed<'de> for Key<'_> {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key<'_> {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Option<usize>, E> {
        Ok(self.0.iter().position(|c| c.key == key))
    }
}

#[cfg(test)]
mod tests {
    use super::Plan;

    #[test]
    fn finds_nested_values_array_items_and_escaped_keys() {
        let mut plan = Plan::default();
        let id = plan.add("/id").unwrap();
        let object = plan.add("/data/object").unwrap();
        let object_id = plan.add("/data/object/id").unwrap();
        let item = plan.add("/data/list/1").unwrap();
        let escaped = plan.add("/a~1b/c~0d").unwrap();
        let missing = plan.add("/nope").unwrap();
        let null = plan.add("/n").unwrap();
        let json = r#"{"n": null, "data": {"list": [1, {"x": 2}], "object": {"id": "in_1", "k": [1,2]}},
                       "a/b": {"c~d": true}, "id": "evt_\u0031"}"#;
        let found = plan.scan(json).unwrap();
        assert_eq!(found[id], Some(r#""evt_\u0031""#));
        assert_eq!(found[object], Some(r#"{"id": "in_1", "k": [1,2]}"#));
        assert_eq!(found[object_id], Some(r#""in_1""#));
        assert_eq!(found[item], Some(r#"{"x": 2}"#));
        assert_eq!(found[escaped], Some("true"));
        assert_eq!((found[missing], found[null]), (None, None));
        assert!(plan.add("no-slash").is_none());
    }

    #[test]
    fn the_whole_document_can_be_captured_and_walked() {
        let mut plan = Plan::default();
        let root = plan.add("").unwrap();
        let action = plan.add("/action").unwrap();
        let found = plan
            .scan(" {\"zen\": [1], \"action\": \"opened\", \"more\": {}} ")
            .unwrap();
        assert_eq!(
            found[root],
            Some("{\"zen\": [1], \"action\": \"opened\", \"more\": {}}")
        );
        assert_eq!(found[action], Some("\"opened\""));
    }

    #[test]
    fn invalid_json_is_an_error_even_after_everything_was_found() {
        let mut plan = Plan::default();
        plan.add("/id").unwrap();
        assert!(plan.scan(r#"{"id": "x"} trailing"#).is_err());
        assert!(plan.scan(r#"{"id": "x", "rest": [1,}"#).is_err());
        assert!(plan.scan("").is_err());
    }
}
