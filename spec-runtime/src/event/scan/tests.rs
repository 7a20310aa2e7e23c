//! The scan against hand-picked documents, and against serde_json on random text.

use proptest::prelude::*;
use serde::de::IgnoredAny;

use super::{Plan, ScanError};

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
    let found = plan.scan(json, 100).unwrap();
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
        .scan(" {\"zen\": [1], \"action\": \"opened\", \"more\": {}} ", 100)
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
    assert!(plan.scan(r#"{"id": "x"} trailing"#, 100).is_err());
    assert!(plan.scan(r#"{"id": "x", "rest": [1,}"#, 100).is_err());
    assert!(plan.scan("", 100).is_err());
}

#[test]
fn errors_say_what_was_expected_and_where() {
    let plan = Plan::default();
    let message = |json: &str| match plan.scan(json, 100) {
        Err(ScanError::Invalid(m)) => m,
        other => panic!("{json}: {other:?}"),
    };
    assert_eq!(
        message("{\"a\": [1,\n  2 3]}"),
        "expected `,` or `]` after an array element at line 2 column 5, found `3`"
    );
    assert_eq!(
        message(r#"["a\u00zz"]"#),
        "expected four hexadecimal digits after `\\u` at line 1 column 8, found `z`"
    );
    assert_eq!(
        message("{\"a\" 1}"),
        "expected `:` after the member name at line 1 column 6, found `1`"
    );
    assert_eq!(
        message("[01]"),
        "expected no digit after a leading zero at line 1 column 3, found `1`"
    );
    assert_eq!(
        message("[\"tab\there\"]"),
        "expected a closing quote (control characters must be escaped) at line 1 column 6, found byte 0x09"
    );
    assert_eq!(message("{\"a\": tru}"), "expected true at line 1 column 7, found `t`");
    assert_eq!(
        message("  "),
        "expected a JSON value at line 1 column 3, found the end of the text"
    );
}

#[test]
fn nesting_is_limited_inside_and_outside_the_plan() {
    let mut plan = Plan::default();
    let deep = plan.add("/a/b").unwrap();
    let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    // Skipped values: the limit counts every level, the outermost included.
    assert!(plan.scan(&nested(3), 3).is_ok());
    assert_eq!(plan.scan(&nested(4), 3), Err(ScanError::TooDeep));
    assert_eq!(plan.scan(&"[".repeat(100_000), 100), Err(ScanError::TooDeep));
    // Values the plan descends into count the same way.
    let text = format!("{{\"a\": {{\"b\": {}}}}}", nested(1));
    let found = plan.scan(&text, 3).unwrap();
    assert_eq!(found[deep], Some("[]"));
    assert_eq!(
        plan.scan(&format!("{{\"a\": {{\"b\": {}}}}}", nested(2)), 3),
        Err(ScanError::TooDeep)
    );
    // Brackets inside strings do not count; a limit above what the skip can track is capped.
    assert!(plan.scan(&format!("[\"{}\"]", "[".repeat(500)), 1).is_ok());
    assert_eq!(plan.scan(&nested(128), 1000), Err(ScanError::TooDeep));
    assert!(plan.scan(&nested(127), 1000).is_ok());
}

#[test]
fn escaped_member_names_are_decoded_before_matching() {
    let mut plan = Plan::default();
    let id = plan.add("/id").unwrap();
    let found = plan.scan(r#"{"\u0069d": "evt_1", "i\"d": 2}"#, 100).unwrap();
    assert_eq!(found[id], Some(r#""evt_1""#));
    // A lone surrogate decodes to nothing and matches nothing, as serde_json skips it.
    let found = plan.scan(r#"{"\ud800": 1, "id": 3}"#, 100).unwrap();
    assert_eq!(found[id], Some("3"));
}

/// Pieces of JSON text, valid and not, that random documents are assembled from.
const PIECES: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    " ",
    "\n",
    "\"",
    "\"id\"",
    "\"data\"",
    "\"object\"",
    "\"a\\\"b\"",
    "\"\\u00e9\"",
    "\"\\x\"",
    "\"\t\"",
    "\"é😀\"",
    "0",
    "-1",
    "12.5e-3",
    "01",
    "1.",
    "-",
    "1e",
    "true",
    "fals",
    "null",
    "nul",
    "\\",
    "x",
];

/// A document that is valid JSON, printed compactly or pretty, then maybe damaged at one place.
fn document() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(serde_json::Value::from),
        "\\PC{0,12}".prop_map(serde_json::Value::from),
    ];
    let value = leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(serde_json::Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec!["id", "data", "object", "k\"", "é"]),
                inner,
                0..5
            )
            .prop_map(|m| serde_json::Value::Object(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        ]
    });
    (
        value,
        any::<bool>(),
        prop::option::of((any::<prop::sample::Index>(), 0usize..3, prop::sample::select(PIECES))),
    )
        .prop_map(|(v, pretty, damage)| {
            let mut text = if pretty {
                serde_json::to_string_pretty(&v)
            } else {
                serde_json::to_string(&v)
            }
            .unwrap_or_default();
            if let Some((at, cut, piece)) = damage {
                let mut i = at.index(text.len() + 1);
                while !text.is_char_boundary(i) {
                    i -= 1;
                }
                let mut end = (i + cut).min(text.len());
                while !text.is_char_boundary(end) {
                    end += 1;
                }
                text.replace_range(i..end, piece);
            }
            text
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// The scan accepts exactly the documents serde_json accepts (nesting within the limit), and finds
    /// what `Value::pointer` finds.
    #[test]
    fn agrees_with_serde_json(json in document()) {
        let mut plan = Plan::default();
        let pointers = ["/id", "/data/object", "/data/object/id", "/1", "/data/1/object"];
        let slots: Vec<usize> = pointers.iter().map(|p| plan.add(p).unwrap()).collect();
        let theirs = serde_json::from_str::<IgnoredAny>(&json);
        match plan.scan(&json, 100) {
            Ok(found) => {
                prop_assert!(theirs.is_ok(), "accepted what serde_json refuses: {json:?}");
                // serde_json skips numbers it cannot hold (`1e999`) but refuses them in a `Value`.
                let Ok(parsed) = serde_json::from_str::<serde_json::Value>(&json) else { return Ok(()) };
                for (pointer, slot) in pointers.iter().zip(slots) {
                    let want = parsed.pointer(pointer).filter(|v| !v.is_null());
                    let got = found[slot].map(|t| serde_json::from_str::<serde_json::Value>(t).unwrap());
                    prop_assert_eq!(got.as_ref(), want, "{} in {:?}", pointer, json);
                }
            }
            Err(e) => prop_assert!(theirs.is_err(), "refused what serde_json accepts: {json:?}: {e:?}"),
        }
    }

    /// Random pieces: the same verdict as serde_json, never a panic.
    #[test]
    fn random_pieces_get_serde_jsons_verdict(pieces in prop::collection::vec(prop::sample::select(PIECES), 0..40)) {
        let json = pieces.concat();
        let ours = Plan::default().scan(&json, 100).is_ok();
        prop_assert_eq!(ours, serde_json::from_str::<IgnoredAny>(&json).is_ok(), "{:?}", json);
    }
}
