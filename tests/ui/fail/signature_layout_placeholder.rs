use tests::ui_support::*;

spec_macros::define_integration! {
    /// Demo payments provider.
    demo {
        meta: {
            key: "payments.demo",
            version: "1.0.0",
            category: payments,
            title: "Demo Payments",
            domain: "payments",
            stability: beta,
        },
        supported_modes: [managed, byok],
        transports: [
            rest { base_url: "https://api.demo.test", api_version_header: "Demo-Version", body: form },
            webhook { inbound: {
                signature_header: "demo-signature",
                signing_algorithm: hmac_sha512,
                signature: {
                    signed_content: "{ts}:{body}",
                    format: { style: items, separator: ";", signature_key: "sig", timestamp_key: "ts" },
                },
            } },
        ],
        preferred_transport: rest,
        supported_auth_methods: [
            api_key { header_name: "Authorization", prefix: "Bearer " },
            webhook_signing { algorithm: hmac_sha512, signature_header: "demo-signature" },
        ],
        version_policy: {
            current_version: "2024-01-01",
            supported_versions: [{ version: "2024-01-01", status: stable }],
            version_header: "Demo-Version",
        },
        config: DemoConfig = { account_id: "acct_1", region: "eu" },
        secrets: DemoSecrets = { api_key: "sk_test_***" },
        constraints: { rate_limit: { rpm: 100, rph: 1000 } },
        byok_setup: { setup_instructions: "Create a restricted key." },
        actions: [
            /// Lists customers.
            customer_list { id: "demo.customer.list", method: GET, path: "/v1/customers",
                            input: ListParams, output: Vec<Item>, paginated: true },
            customer_get { id: "demo.customer.get", method: GET, path: "/v1/customers/{customer}",
                           input: GetParams, output: Item },
        ],
        events: { prefix: "demo.", types: [ "customer.created" => Item ] },
    }
}

fn main() {}
