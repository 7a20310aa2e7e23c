//! Property test: the one-pass reader finds exactly what `serde_json::Value::pointer` lookups on the parsed
//! body find, for every envelope field, on compact and pretty-printed bodies of arbitrary shape.

use proptest::prelude::*;
use serde_json::{Map, Value, json};
use spec_core::{EventEnvelope, FieldSource};
use spec_runtime::event::{EventError, EventReader};

const KEYS: &[&str] = &[
    "id",
    "type",
    "data",
    "object",
    "previous_attributes",
    "created",
    "account",
    "livemode",
    "x",
];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        // Quarters round-trip exactly through text (serde_json's default float parsing may be off by an ulp).
        (-4000i32..4000).prop_map(|n| json!(f64::from(n) / 4.0)),
        prop::sample::select(vec![
            "",
            "evt_1",
            "in_1",
            "invoice",
            "true",
            " 42 ",
            "a\"b\\c/é\u{1F600}",
            "null"
        ])
        .prop_map(|s| json!(s)),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS.to_vec()), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect::<Map<_, _>>())),
        ]
    })
}

/// A body shaped like a Stripe event, each field present or not, of any type.
fn event() -> impl Strategy<Value = Value> {
    let field = || prop::option::of(value());
    // The id and type are usually usable, so that most cases build an event.
    let usable = || {
        prop::option::weighted(
            0.9,
            prop_oneof![4 => "[a-z_.]{1,12}".prop_map(|s| json!(s)), 1 => value()],
        )
    };
    (
        (usable(), usable(), field(), field(), field()),
        (field(), field(), field()),
    )
        .prop_map(|((id, ty, created, account, livemode), (object, previous, extra))| {
            let mut data = Map::new();
            let mut top = Map::new();
            for (k, v) in [("object", object), ("previous_attributes", previous)] {
                if let Some(v) = v {
                    data.insert(k.into(), v);
                }
            }
            for (k, v) in [
                ("id", id),
                ("type", ty),
                ("created", created),
                ("account", account),
                ("livemode", livemode),
                ("x", extra),
            ] {
                if let Some(v) = v {
                    top.insert(k.into(), v);
                }
            }
            top.insert("data".into(), Value::Object(data));
            Value::Object(top)
        })
}

fn text(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str).map(str::to_string)
}

/// What the envelope's fields are, by `Value` lookups (the reference semantics).
struct Expected {
    id: Option<String>,
    event_type: Option<String>,
    account: Option<String>,
    created: Option<i64>,
    livemode: Option<bool>,
    data: Value,
    previous: Option<Value>,
    object_id: Option<String>,
    object_type: Option<String>,
}

fn expected(body: &Value) -> Expected {
    let at = |p: &str| body.pointer(p).filter(|v| !v.is_null());
    let data = at("/data/object").cloned().unwrap_or(Value::Null);
    Expected {
        id: text(at("/id")).filter(|s| !s.is_empty()),
        event_type: text(at("/type")).filter(|s| !s.is_empty()),
        account: at("/account").and_then(|v| match v {
            Value::Number(n) if n.is_i64() || n.is_u64() => Some(n.to_string()),
            Value::String(s) => Some(s.clone()),
            _ => None,
        }),
        created: at("/created").and_then(|v| match v {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }),
        livemode: at("/livemode").and_then(|v| match v {
            Value::Bool(b) => Some(*b),
            Value::String(s) => s.parse().ok(),
            _ => None,
        }),
        previous: at("/data/previous_attributes").cloned(),
        object_id: text(data.pointer("/id")),
        object_type: text(data.pointer("/object")),
        data,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn reader_agrees_with_value_pointers(body in event(), pretty in any::<bool>()) {
        let reader = EventReader::new(&EventEnvelope::stripe(), "stripe.");
        let bytes = if pretty { serde_json::to_vec_pretty(&body) } else { serde_json::to_vec(&body) }.unwrap();
        let no_headers: [(&str, &str); 0] = [];
        let want = expected(&body);
        match (reader.canonical(&bytes, &no_headers), &want.id, &want.event_type) {
            (Ok(e), Some(id), Some(ty)) => {
                prop_assert_eq!(&e.id, id);
                prop_assert_eq!(&e.upstream_type, ty);
                prop_assert_eq!(&e.event_type, &format!("stripe.{ty}"));
                prop_assert_eq!(&e.account_id, &want.account);
                prop_assert_eq!(e.created, want.created);
                prop_assert_eq!(e.livemode, want.livemode);
                prop_assert_eq!(&e.object_id, &want.object_id);
                prop_assert_eq!(&e.object_type, &want.object_type);
                prop_assert_eq!(e.data(), want.data);
                prop_assert_eq!(e.previous_attributes(), want.previous);
                prop_assert_eq!(e.raw(), body);
            }
            (Err(EventError::MissingField { field: "id", .. }), None, _) => {}
            (Err(EventError::MissingField { field: "type", .. }), Some(_), None) => {}
            (other, id, ty) => prop_assert!(false, "{other:?} for id {id:?} type {ty:?}"),
        }
    }

    #[test]
    fn headers_and_whole_body_objects(body in value(), delivery in "[ -~]{0,20}") {
        // GitHub-style: id from a header, the whole body as the object, type from a header and `/object`.
        let envelope = EventEnvelope {
            id: FieldSource::header("X-Delivery"),
            event_type: vec![FieldSource::header("X-Event"), FieldSource::body("/object")],
            created: None,
            account: None,
            livemode: None,
            object: None,
            previous_attributes: None,
            object_id: Some("/id".into()),
            object_type: None,
            handshake: None,
        };
        let reader = EventReader::new(&envelope, "p.");
        let bytes = serde_json::to_vec(&body).unwrap();
        let headers = [("x-delivery", delivery.as_str()), ("x-event", "thing")];
        match reader.canonical(&bytes, &headers) {
            Ok(e) => {
                prop_assert_eq!(e.id.as_str(), delivery.trim());
                let action = text(body.pointer("/object")).filter(|s| !s.is_empty());
                let want = match action { Some(a) => format!("thing.{a}"), None => "thing".into() };
                prop_assert_eq!(&e.upstream_type, &want);
                prop_assert_eq!(&e.object_id, &text(body.pointer("/id")));
                prop_assert_eq!(e.data(), body);
            }
            Err(err) => prop_assert!(delivery.trim().is_empty(), "{err:?}"),
        }
    }
}

/// A body nesting `depth` arrays in `data.object`.
fn nested_event(depth: usize) -> Vec<u8> {
    let mut body = br#"{"id":"evt_deep","type":"invoice.paid","data":{"object":"#.to_vec();
    body.extend(std::iter::repeat_n(b'[', depth));
    body.extend(std::iter::repeat_n(b']', depth));
    body.extend(b"}}");
    body
}

#[test]
fn deep_nesting_is_a_typed_error_not_an_unreadable_event() {
    let reader = EventReader::new(&EventEnvelope::stripe(), "stripe.");
    let no_headers: [(&str, &str); 0] = [];
    for depth in [200, 100_000] {
        assert_eq!(
            reader.canonical(&nested_event(depth), &no_headers).unwrap_err(),
            EventError::TooDeep {
                limit: EventReader::MAX_DEPTH
            }
        );
    }
    // At the limit (the outer object and `data` are two levels), the event and its object are readable.
    let event = reader
        .canonical(&nested_event(EventReader::MAX_DEPTH - 2), &no_headers)
        .unwrap();
    assert!(event.data().is_array());
    assert!(event.raw().is_object());
    // Brackets inside strings do not count.
    let quoted = format!(
        r#"{{"id":"evt_q","type":"t","data":{{"object":{{"s":"{}"}}}}}}"#,
        "[".repeat(1000)
    );
    assert!(reader.canonical(quoted.as_bytes(), &no_headers).is_ok());
}
