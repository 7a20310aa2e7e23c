//! Every integration validates (examples included), round-trips through JSON, and Stripe's metadata is
//! exactly the reference spec's.

use spec_core::*;
use spec_core::{IntegrationSpec, validate};

#[test]
fn every_integration_validates_with_schemas_and_examples() {
    let all = integrations::all();
    assert!(!all.is_empty());
    for spec in all {
        validate(spec).unwrap_or_else(|e| panic!("{} does not validate: {e:#?}", spec.meta.key));
        for ts in [&spec.config, &spec.secrets] {
            assert!(
                ts.schema.is_object(),
                "{}: {} has no schema",
                spec.meta.key,
                ts.type_name
            );
            assert!(
                !ts.example.is_null(),
                "{}: {} has no example",
                spec.meta.key,
                ts.type_name
            );
            spec_core::check_against_schema(&ts.schema, &ts.example)
                .unwrap_or_else(|e| panic!("{} example: {e:?}", ts.type_name));
        }
    }
}

#[test]
fn json_round_trip_is_lossless() {
    for spec in integrations::all() {
        let json = serde_json::to_string_pretty(spec).unwrap();
        let back: IntegrationSpec = serde_json::from_str(&json).unwrap();
        validate(&back).unwrap();
        assert_eq!(&back, spec);
    }
}

#[test]
fn registry_holds_every_integration_once() {
    let r = integrations::registry().unwrap();
    assert_eq!(r.len(), integrations::all().len());
    let stripe = r.latest("payments.stripe").unwrap();
    assert_eq!(stripe.meta.version, "1.0.0");
    assert!(r.resolve("payments.stripe", &"^1".parse().unwrap()).is_some());
    assert!(r.resolve("payments.stripe", &"^2".parse().unwrap()).is_none());
    assert_eq!(r.by_category(Category::Payments).count(), 1);
    assert_eq!(r.by_transport(TransportKind::Webhook).count(), 4);
    assert_eq!(r.by_transport(TransportKind::Sdk).count(), 1);
    assert_eq!(r.by_auth(AuthKind::OAuth2).count(), 3);
    assert_eq!(r.by_auth(AuthKind::ApiKey).count(), 1);
    assert_eq!(r.by_category(Category::Messaging).count(), 1);
    assert_eq!(r.by_category(Category::Email).count(), 1);
    assert_eq!(r.by_auth(AuthKind::Bearer).count(), 3);
    assert_eq!(r.by_category(Category::Crm).count(), 0);
    let mut dup = integrations::registry().unwrap();
    let err = dup.register(integrations::stripe::spec()).unwrap_err();
    assert!(err.to_string().contains("already registered"), "{err}");
}

#[test]
fn stripe_metadata_matches_the_reference() {
    let s = integrations::stripe::spec();
    let m = &s.meta;
    assert_eq!(m.key, "payments.stripe");
    assert_eq!(m.version, "1.0.0");
    assert_eq!(m.category, Category::Payments);
    assert_eq!(m.title, "Stripe Payments");
    assert_eq!(
        m.description,
        "Stripe integration for payment processing, charges, and payouts."
    );
    assert_eq!(m.domain, "payments");
    assert_eq!(m.owners, ["platform.payments"]);
    assert_eq!(m.tags, ["payments", "psp"]);
    assert_eq!(m.stability, Stability::Stable);
    assert_eq!(s.supported_modes, [Mode::Managed, Mode::Byok]);
    assert_eq!(s.preferred_transport, TransportKind::Rest);

    let rest = s.rest().unwrap();
    assert_eq!(rest.base_url, "https://api.stripe.com");
    assert_eq!(rest.api_version_header.as_deref(), Some("Stripe-Version"));
    assert_eq!(rest.body, BodyEncoding::Form);
    let inbound = s.webhook().and_then(|w| w.inbound.as_ref()).unwrap();
    assert_eq!(inbound.signature_header, "stripe-signature");
    assert_eq!(inbound.signing_algorithm, SigningAlgorithm::HmacSha256);
    assert_eq!(inbound.scheme, Some(SignatureScheme::Stripe));
    assert_eq!(inbound.tolerance, Some(300));
    match s.transport(TransportKind::Sdk) {
        Some(Transport::Sdk(sdk)) => {
            assert_eq!(sdk.package_name, "stripe");
            assert_eq!(sdk.min_version.as_deref(), Some("14.0.0"));
        }
        other => panic!("sdk transport: {other:?}"),
    }

    match s.auth_method(AuthKind::ApiKey) {
        Some(AuthMethod::ApiKey(k)) => {
            assert_eq!(k.header_name.as_deref(), Some("Authorization"));
            assert_eq!(k.prefix.as_deref(), Some("Bearer "));
        }
        other => panic!("api key: {other:?}"),
    }
    match s.auth_method(AuthKind::OAuth2) {
        Some(AuthMethod::OAuth2(o)) => {
            assert_eq!(o.grant_type, GrantType::AuthorizationCode);
            assert_eq!(
                o.authorization_url.as_deref(),
                Some("https://connect.stripe.com/oauth/authorize")
            );
            assert_eq!(o.token_url, "https://connect.stripe.com/oauth/token");
            assert_eq!(o.scopes, ["read_write"]);
        }
        other => panic!("oauth2: {other:?}"),
    }
    match s.auth_method(AuthKind::WebhookSigning) {
        Some(AuthMethod::WebhookSigning(w)) => {
            assert_eq!(w.algorithm, SigningAlgorithm::HmacSha256);
            assert_eq!(w.signature_header, "stripe-signature");
        }
        other => panic!("webhook signing: {other:?}"),
    }

    let vp = s.version_policy.as_ref().unwrap();
    assert_eq!(vp.current_version, "2024-11-20.acacia");
    assert_eq!(vp.supported_versions.len(), 1);
    assert_eq!(vp.supported_versions[0].status, VersionStatus::Stable);
    assert_eq!(vp.version_header.as_deref(), Some("Stripe-Version"));

    assert_eq!(s.capabilities.provides[0].key, "payments.psp");
    assert_eq!(s.capabilities.provides[0].version, "1.0.0");
    let req = &s.capabilities.requires[0];
    assert_eq!(req.key, "platform.webhooks");
    assert!(req.optional);
    assert_eq!(req.reason.as_deref(), Some("Recommended for reliable event ingestion"));

    assert_eq!(s.config.type_name, "StripeConfig");
    assert_eq!(
        s.config.example,
        serde_json::json!({"account_id": "acct_123", "region": "us-east-1"})
    );
    assert_eq!(s.secrets.type_name, "StripeSecrets");
    assert_eq!(
        s.secrets.example,
        serde_json::json!({"api_key": "sk_live_***", "webhook_secret": "whsec_***"})
    );
    let required = s.secrets.schema["required"].as_array().unwrap();
    assert!(required.contains(&"api_key".into()) && required.contains(&"webhook_secret".into()));
    assert_eq!(s.secrets.schema["properties"]["api_key"]["writeOnly"], true);

    let hc = s.health_check.as_ref().unwrap();
    assert_eq!((hc.method, hc.timeout_ms), (HealthCheckMethod::Ping, 5000));
    assert_eq!(s.docs_url.as_deref(), Some("https://stripe.com/docs/api"));
    let rl = s.constraints.as_ref().and_then(|c| c.rate_limit.as_ref()).unwrap();
    assert_eq!((rl.rpm, rl.rph), (1000, Some(20000)));
    let b = s.byok_setup.as_ref().unwrap();
    assert_eq!(
        b.setup_instructions,
        "Create a restricted Stripe API key with write access to Charges and provide a webhook signing secret."
    );
    assert_eq!(b.required_scopes, ["charges:write", "customers:read"]);
    assert!(b.key_rotation_supported);
    assert!(!b.quota_tracking_supported);
}

#[test]
fn secrets_never_print() {
    let secrets: integrations::stripe::StripeSecrets =
        serde_json::from_value(serde_json::json!({"api_key": "sk_test_SECRETVALUE", "webhook_secret": "whsec_HIDDEN"}))
            .unwrap();
    let shown = format!("{secrets:?}");
    assert!(!shown.contains("SECRETVALUE") && !shown.contains("HIDDEN"), "{shown}");
    assert_eq!(secrets.api_key.expose(), "sk_test_SECRETVALUE");
}

#[test]
fn declared_envelopes_match_the_scheme_conventions() {
    use spec_core::EventEnvelope;
    for spec in integrations::all() {
        let scheme = spec.webhook().and_then(|w| w.inbound.as_ref()).and_then(|i| i.scheme);
        let Some(scheme) = scheme else {
            panic!("{} declares no signature scheme", spec.meta.key);
        };
        match spec.events.as_ref().and_then(|e| e.envelope.clone()) {
            // A declared envelope spells out the scheme's convention.
            Some(declared) => assert_eq!(declared, EventEnvelope::for_scheme(scheme), "{}", spec.meta.key),
            // Without one, the convention applies, read from the spec's own headers (Resend: Svix's).
            None => {
                let envelope = spec.event_envelope().expect("the scheme's envelope");
                assert_ne!(
                    *envelope,
                    EventEnvelope::for_scheme(scheme),
                    "{}: own header names",
                    spec.meta.key
                );
                assert_eq!(
                    envelope.id,
                    spec_core::FieldSource::header("svix-id"),
                    "{}",
                    spec.meta.key
                );
            }
        }
    }
}
