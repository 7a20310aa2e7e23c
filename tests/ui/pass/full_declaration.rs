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
            webhook { inbound: { signature_header: "demo-signature", signing_algorithm: hmac_sha256, scheme: stripe } },
        ],
        preferred_transport: rest,
        supported_auth_methods: [
            api_key { header_name: "Authorization", prefix: "Bearer " },
            webhook_signing { algorithm: hmac_sha256, signature_header: "demo-signature" },
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

fn main() {
    use spec_core::{ActionDescriptor, Integration};
    let spec = spec();
    assert_eq!(spec.meta.key, "payments.demo");
    assert_eq!(<Demo as Integration>::PROVIDER, "demo");
    assert_eq!(actions::CustomerGet::ID, "demo.customer.get");
    assert_eq!(actions::CustomerGet::action().path, "/v1/customers/{customer}");
    assert_eq!(spec.actions[0].description, "Lists customers.");
    assert_eq!(spec.meta.description, "Demo payments provider.");
    assert!(spec.actions[1].input.schema["properties"]["customer"].is_object());
    let _config: <Demo as Integration>::Config = DemoConfig { account_id: None, region: None };
    match Event::parse("customer.created", serde_json::json!({"id": "cus_1"})).unwrap() {
        Event::CustomerCreated(item) => assert_eq!(item.id, "cus_1"),
        other => panic!("{other:?}"),
    }
    match Event::parse("customer.deleted", serde_json::json!({"id": "cus_1", "x": 1})).unwrap() {
        Event::Unknown { event_type, object } => {
            assert_eq!(event_type, "customer.deleted");
            assert_eq!(object["x"], 1);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(Event::TYPES, ["customer.created"]);
    spec_core::validate(spec).unwrap();
}
