// A struct without a `#[serde(flatten)]` map has nowhere to keep unmodelled members.
#[derive(spec_macros::DeserializeOpen)]
struct Customer {
    id: String,
    email: Option<String>,
}

fn main() {}
