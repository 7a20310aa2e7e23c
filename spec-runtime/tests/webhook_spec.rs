//! Verifiers and signers configured by an integration spec's webhook transport and signing auth method.

use serde_json::{Value, json};
use spec_core::{IntegrationSpec, Secret, SignatureScheme, SigningAlgorithm};
use spec_runtime::webhook::{FixedClock, Signer, Verifier, VerifierConfigError, VerifierOptions};

/// The reference Stripe spec's webhook-related parts, on a minimal valid spec.
fn spec_json(inbound: Value, signing: Value) -> Value {
    json!({
        "meta": {"key": "payments.stripe", "version": "1.0.0", "category": "payments", "title": "Stripe",
                 "domain": "payments", "stability": "stable"},
        "supported_modes": ["managed"],
        "transports": [
            {"type": "rest", "base_url": "https://api.stripe.com"},
            {"type": "webhook", "inbound": inbound}
        ],
        "preferred_transport": "rest",
        "supported_auth_methods": [
            {"type": "api-key", "header_name": "Authorization", "prefix": "Bearer "},
            signing
        ],
        "config": {"type_name": "StripeConfig"},
        "secrets": {"type_name": "StripeSecrets"}
    })
}

fn spec(v: Value) -> IntegrationSpec {
    let spec: IntegrationSpec = serde_json::from_value(v).unwrap();
    spec_core::validate(&spec).unwrap();
    spec
}

fn stripe_spec() -> IntegrationSpec {
    spec(spec_json(
        json!({"signature_header": "stripe-signature", "signing_algorithm": "hmac-sha256", "scheme": "stripe",
               "tolerance": 300}),
        json!({"type": "webhook-signing", "algorithm": "hmac-sha256", "signature_header": "stripe-signature"}),
    ))
}

#[test]
fn reference_stripe_spec_configures_the_verifier() {
    let opts = VerifierOptions::from_spec(&stripe_spec()).unwrap();
    assert_eq!(opts.scheme, Some(SignatureScheme::Stripe));
    assert_eq!(opts.signature_header, "stripe-signature");
    assert_eq!(opts.algorithm, SigningAlgorithm::HmacSha256);
    assert_eq!(opts.tolerance, Some(300));
}

#[test]
fn spec_tolerance_is_enforced() {
    let spec = stripe_spec();
    let secret = Secret::new("whsec_spec");
    let signer = Signer::from_spec(&spec, &secret).unwrap();
    let body = br#"{"id":"evt_1"}"#;
    let headers = signer.sign(body, 1_000);
    assert!(headers.get("stripe-signature").unwrap().starts_with("t=1000,v1="));
    let at = |now| {
        Verifier::from_spec(&spec, std::slice::from_ref(&secret))
            .unwrap()
            .with_clock(FixedClock(now))
    };
    at(1_300).verify(&headers, body).unwrap();
    assert_eq!(
        at(1_301).verify(&headers, body).unwrap_err().kind(),
        "timestamp_outside_tolerance"
    );
}

#[test]
fn tolerance_falls_back_to_the_auth_method_then_the_scheme_default() {
    let s = spec(spec_json(
        json!({"signature_header": "stripe-signature", "signing_algorithm": "hmac-sha256", "scheme": "stripe"}),
        json!({"type": "webhook-signing", "algorithm": "hmac-sha256", "signature_header": "stripe-signature",
               "tolerance": 60}),
    ));
    assert_eq!(VerifierOptions::from_spec(&s).unwrap().tolerance, Some(60));
    let s = spec(spec_json(
        json!({"signature_header": "stripe-signature", "signing_algorithm": "hmac-sha256", "scheme": "stripe"}),
        json!({"type": "webhook-signing", "algorithm": "hmac-sha256", "signature_header": "stripe-signature"}),
    ));
    assert_eq!(VerifierOptions::from_spec(&s).unwrap().tolerance, Some(300));
}

#[test]
fn scheme_is_inferred_from_the_signature_header() {
    for (header, scheme) in [
        ("Stripe-Signature", SignatureScheme::Stripe),
        ("X-Hub-Signature-256", SignatureScheme::Github),
        ("X-Slack-Signature", SignatureScheme::Slack),
        ("webhook-signature", SignatureScheme::StandardWebhooks),
    ] {
        let s = spec(spec_json(
            json!({"signature_header": header, "signing_algorithm": "hmac-sha256"}),
            json!({"type": "webhook-signing", "algorithm": "hmac-sha256", "signature_header": header}),
        ));
        assert_eq!(VerifierOptions::from_spec(&s).unwrap().scheme, Some(scheme), "{header}");
    }
    let s = spec(spec_json(
        json!({"signature_header": "X-Custom-Sig", "signing_algorithm": "hmac-sha256"}),
        json!({"type": "webhook-signing", "algorithm": "hmac-sha256", "signature_header": "X-Custom-Sig"}),
    ));
    assert_eq!(
        VerifierOptions::from_spec(&s).unwrap_err(),
        VerifierConfigError::UnknownScheme {
            header: "X-Custom-Sig".into()
        }
    );
}

#[test]
fn timestamp_header_comes_from_the_signing_auth_method() {
    let s = spec(spec_json(
        json!({"signature_header": "X-Slack-Signature", "signing_algorithm": "hmac-sha256", "scheme": "slack"}),
        json!({"type": "webhook-signing", "algorithm": "hmac-sha256", "signature_header": "X-Slack-Signature",
               "timestamp_header": "X-Custom-Timestamp"}),
    ));
    let opts = VerifierOptions::from_spec(&s).unwrap();
    assert_eq!(opts.timestamp_header.as_deref(), Some("X-Custom-Timestamp"));
    let secret = Secret::new("slack-secret");
    let signed = Signer::from_spec(&s, &secret).unwrap().sign(b"payload", 50);
    assert_eq!(signed.get("X-Custom-Timestamp"), Some("50"));
    assert_eq!(signed.get("X-Slack-Request-Timestamp"), None);
    Verifier::from_spec(&s, &[secret])
        .unwrap()
        .with_clock(FixedClock(60))
        .verify(&signed, b"payload")
        .unwrap();
}

#[test]
fn specs_without_inbound_webhooks_are_refused() {
    let mut v = spec_json(json!({}), json!({}));
    v["transports"] = json!([{"type": "rest", "base_url": "https://api.stripe.com"}]);
    v["supported_auth_methods"] = json!([{"type": "bearer"}]);
    let s: IntegrationSpec = serde_json::from_value(v.clone()).unwrap();
    assert_eq!(
        Verifier::from_spec(&s, &[Secret::new("x")]).unwrap_err(),
        VerifierConfigError::NoWebhookTransport
    );
    v["transports"] = json!([{"type": "rest", "base_url": "https://api.stripe.com"}, {"type": "webhook"}]);
    let s: IntegrationSpec = serde_json::from_value(v).unwrap();
    assert_eq!(
        Verifier::from_spec(&s, &[Secret::new("x")]).unwrap_err(),
        VerifierConfigError::NoInbound
    );
}

/// An Ed25519 Standard Webhooks spec takes `whpk_` public keys: an HMAC `whsec_` secret is refused, and
/// Ed25519 with a scheme that has no asymmetric form is refused as unsupported.
#[test]
fn ed25519_spec_takes_public_keys_only() {
    let s = spec(spec_json(
        json!({"signature_header": "webhook-signature", "signing_algorithm": "ed25519", "scheme": "standard_webhooks"}),
        json!({"type": "webhook-signing", "algorithm": "ed25519", "signature_header": "webhook-signature"}),
    ));
    assert!(matches!(
        Verifier::from_spec(&s, &[Secret::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]),
        Err(VerifierConfigError::InvalidSecret { index: 0, .. })
    ));
    let public = "whpk_11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
    assert!(Verifier::from_spec(&s, &[Secret::new(public)]).is_ok());
    let mut stripe: IntegrationSpec = serde_json::from_value(spec_json(
        json!({"signature_header": "Stripe-Signature", "signing_algorithm": "ed25519", "scheme": "stripe"}),
        json!({"type": "webhook-signing", "algorithm": "ed25519", "signature_header": "Stripe-Signature"}),
    ))
    .unwrap();
    assert!(spec_core::validate(&stripe).is_err());
    assert!(matches!(
        Verifier::from_spec(&stripe, &[Secret::new(public)]),
        Err(VerifierConfigError::UnsupportedAlgorithm { .. })
    ));
    stripe.transports.clear();
    assert_eq!(
        Verifier::from_spec(&stripe, &[Secret::new(public)]).unwrap_err(),
        VerifierConfigError::NoWebhookTransport
    );
}
