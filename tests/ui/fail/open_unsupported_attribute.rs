// `alias` is a serde attribute the derive does not honour: it must say so, on the attribute.
use std::collections::BTreeMap;

#[derive(spec_macros::DeserializeOpen)]
struct Customer {
    #[serde(alias = "customer_id")]
    id: String,
    #[serde(flatten)]
    extra: BTreeMap<String, serde_json::Value>,
}

fn main() {}
