// Two fields claiming the API key: the error names the first one, on the second marker.
#[derive(spec_macros::ConnectionSecrets)]
struct AcmeSecrets {
    #[connection(api_key)]
    live_key: spec_core::Secret,
    #[connection(api_key)]
    test_key: spec_core::Secret,
}

#[derive(spec_macros::ConnectionConfig)]
struct AcmeConfig {
    #[connection(account)]
    account: Option<String>,
    #[connection(region)]
    region: Option<String>,
}

fn main() {}
