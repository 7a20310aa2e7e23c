use tests::ui_support::*;

spec_macros::define_integration! {
    minimal {
        meta: { key: "custom.minimal", version: "0.1.0", category: custom, title: "Minimal", domain: "custom",
                stability: idea },
        supported_modes: [managed],
        transports: [rest { base_url: "http://127.0.0.1:9999", body: json }],
        preferred_transport: rest,
        supported_auth_methods: [bearer {}],
        config: DemoConfig,
        secrets: DemoSecrets,
    }
}

fn main() {
    assert!(spec().actions.is_empty());
    assert!(matches!(Event::parse("x.y", serde_json::json!(1)), Ok(Event::Unknown { .. })));
}
