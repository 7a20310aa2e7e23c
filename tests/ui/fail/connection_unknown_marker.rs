// A secrets field marked for a method the derive does not know: the error lists the markers, on the word.
#[derive(spec_macros::ConnectionSecrets)]
struct AcmeSecrets {
    #[connection(api_token)]
    token: spec_core::Secret,
}

fn main() {}
