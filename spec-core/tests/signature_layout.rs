//! The webhook signature layout: presets of the named schemes, declared layouts, and the validator's rules,
//! each error naming the field and the fix.

use serde_json::{Value, json};
use spec_core::{
    ContentPart, ErrorCode, HeaderFormat, IntegrationSpec, SecretEncoding, SignatureEncoding, SignatureScheme,
    SigningAlgorithm, validate,
};

fn spec_json(inbound: Value, signing: Value) -> Value {
    json!({
        "meta": {"key": "custom.acme", "version": "1.0.0", "category": "custom", "title": "Acme",
                 "domain": "custom", "stability": "beta"},
        "supported_modes": ["managed"],
        "transports": [
            {"type": "rest", "base_url": "https://api.acme.test"},
            {"type": "webhook", "inbound": inbound}
        ],
        "preferred_transport": "rest",
        "supported_auth_methods": [{"type": "bearer"}, signing],
        "config": {"type_name": "AcmeConfig"},
        "secrets": {"type_name": "AcmeSecrets"}
    })
}

fn acme_layout() -> Value {
    json!({
        "signed_content": "{timestamp}:{id}:{body}",
        "encoding": "hex",
        "format": {"style": "items", "separator": ";", "signature_key": "sig", "timestamp_key": "ts"},
        "id_header": "X-Acme-Delivery"
    })
}

fn acme(layout: Value, algorithm: &str) -> IntegrationSpec {
    serde_json::from_value(spec_json(
        json!({"signature_header": "X-Acme-Signature", "signing_algorithm": algorithm, "signature": layout}),
        json!({"type": "webhook-signing", "algorithm": algorithm, "signature_header": "X-Acme-Signature"}),
    ))
    .unwrap()
}

/// The errors of `spec` as `(code, path, message)`.
fn errors(spec: &IntegrationSpec) -> Vec<(ErrorCode, String, String)> {
    validate(spec)
        .err()
        .unwrap_or_default()
        .into_iter()
        .map(|e| (e.code, e.path.clone(), e.message.clone()))
        .collect()
}

fn assert_error(spec: &IntegrationSpec, path: &str, needle: &str) {
    let errs = errors(spec);
    assert!(
        errs.iter()
            .any(|(c, p, m)| *c == ErrorCode::WebhookSignatureLayout && p == path && m.contains(needle)),
        "no `{needle}` at {path}: {errs:?}"
    );
}

#[test]
fn a_declared_layout_validates_and_is_the_layout_in_force() {
    let spec = acme(acme_layout(), "hmac-sha512");
    validate(&spec).unwrap();
    let sig = spec.webhook_signature().unwrap();
    assert_eq!(sig.preset, None);
    assert_eq!(sig.algorithm, SigningAlgorithm::HmacSha512);
    assert_eq!(sig.tolerance, Some(spec_core::DEFAULT_TOLERANCE));
    assert_eq!(sig.layout.encoding, SignatureEncoding::Hex);
    assert_eq!(sig.layout.timestamp_item(), Some("ts"));
    assert_eq!(spec.webhook_id_header().as_deref(), Some("X-Acme-Delivery"));
    assert_eq!(spec.webhook_timestamp_header(), None);
    assert_eq!(spec.webhook_scheme(), None);
    assert_eq!(spec.event_envelope(), None);
}

#[test]
fn named_schemes_are_presets_with_the_specs_overrides() {
    let spec: IntegrationSpec = serde_json::from_value(spec_json(
        json!({"signature_header": "svix-signature", "signing_algorithm": "hmac-sha256", "scheme": "standard_webhooks",
               "tolerance": 60}),
        json!({"type": "webhook-signing", "algorithm": "hmac-sha256", "signature_header": "svix-signature",
               "timestamp_header": "svix-timestamp", "id_header": "svix-id"}),
    ))
    .unwrap();
    validate(&spec).unwrap();
    let sig = spec.webhook_signature().unwrap();
    assert_eq!(sig.preset, Some(SignatureScheme::StandardWebhooks));
    assert_eq!(sig.signature_header, "svix-signature");
    assert_eq!(sig.tolerance, Some(60));
    assert_eq!(sig.layout.timestamp_header.as_deref(), Some("svix-timestamp"));
    assert_eq!(sig.layout.id_header.as_deref(), Some("svix-id"));
    assert_eq!(sig.layout.encoding, SignatureEncoding::Base64);
    assert_eq!(sig.layout.secret.encoding, SecretEncoding::Base64);
    assert_eq!(sig.layout.secret.prefix.as_deref(), Some("whsec_"));
    assert_eq!(sig.layout.format, HeaderFormat::Versioned { version: "v1".into() });
    assert_eq!(
        sig.layout.content().unwrap(),
        [
            ContentPart::Id,
            ContentPart::Text(".".into()),
            ContentPart::Timestamp,
            ContentPart::Text(".".into()),
            ContentPart::Body
        ]
    );
    // Inferred from the header name; GitHub signs no timestamp.
    let gh: IntegrationSpec = serde_json::from_value(spec_json(
        json!({"signature_header": "X-Hub-Signature", "signing_algorithm": "hmac-sha1"}),
        json!({"type": "webhook-signing", "algorithm": "hmac-sha1", "signature_header": "X-Hub-Signature"}),
    ))
    .unwrap();
    validate(&gh).unwrap();
    let sig = gh.webhook_signature().unwrap();
    assert_eq!(sig.preset, Some(SignatureScheme::Github));
    assert_eq!(sig.tolerance, None);
    assert_eq!(sig.layout.format.label(), "sha1");
}

#[test]
fn template_errors_name_the_field_and_the_fix() {
    let mut layout = acme_layout();
    layout["signed_content"] = json!("{ts}:{id}:{body}");
    assert_error(
        &acme(layout.clone(), "hmac-sha512"),
        "transports[1].inbound.signature.signed_content",
        "unknown placeholder `{ts}`; use `{body}`, `{timestamp}`, `{id}` or `{url}`",
    );
    layout["signed_content"] = json!("{timestamp}:{id}");
    assert_error(
        &acme(layout.clone(), "hmac-sha512"),
        "transports[1].inbound.signature.signed_content",
        "no `{body}`",
    );
    layout["signed_content"] = json!("{id}:{body}");
    assert_error(
        &acme(layout.clone(), "hmac-sha512"),
        "transports[1].inbound.signature.signed_content",
        "add `{timestamp}` to signed_content",
    );
}

#[test]
fn timestamp_id_and_tolerance_rules() {
    // A signed timestamp needs a place to travel.
    let mut layout = acme_layout();
    layout["format"] = json!({"style": "items", "separator": ";", "signature_key": "sig"});
    assert_error(
        &acme(layout, "hmac-sha512"),
        "transports[1].inbound.signature.signed_content",
        "set `timestamp_header`, or `timestamp_key`",
    );
    // `{id}` needs an id header; an id header needs `{id}`.
    let mut layout = acme_layout();
    layout.as_object_mut().unwrap().remove("id_header");
    assert_error(
        &acme(layout, "hmac-sha512"),
        "transports[1].inbound.signature.id_header",
        "set `id_header`",
    );
    let mut layout = acme_layout();
    layout["signed_content"] = json!("{timestamp}.{body}");
    assert_error(
        &acme(layout, "hmac-sha512"),
        "transports[1].inbound.signature.id_header",
        "add `{id}` to signed_content or drop `id_header`",
    );
    // A tolerance without a timestamp.
    let v = spec_json(
        json!({"signature_header": "X-Acme-Signature", "signing_algorithm": "hmac-sha256", "tolerance": 60,
               "signature": {"signed_content": "{body}", "format": {"style": "prefixed", "prefix": "sha256="}}}),
        json!({"type": "webhook-signing", "algorithm": "hmac-sha256", "signature_header": "X-Acme-Signature"}),
    );
    let spec: IntegrationSpec = serde_json::from_value(v).unwrap();
    assert_error(
        &spec,
        "transports[1].inbound.tolerance",
        "drop `tolerance` or sign a timestamp",
    );
    // Without a tolerance, a layout with no timestamp is fine and has none.
    let v = spec_json(
        json!({"signature_header": "X-Acme-Signature", "signing_algorithm": "hmac-sha256",
               "signature": {"signed_content": "{url}{body}", "encoding": "base64", "format": {"style": "prefixed"}}}),
        json!({"type": "webhook-signing", "algorithm": "hmac-sha256", "signature_header": "X-Acme-Signature"}),
    );
    let spec: IntegrationSpec = serde_json::from_value(v).unwrap();
    validate(&spec).unwrap();
    assert_eq!(spec.webhook_tolerance(), None);
    // Both a header and an item.
    let mut layout = acme_layout();
    layout["timestamp_header"] = json!("X-Acme-Timestamp");
    assert_error(
        &acme(layout, "hmac-sha512"),
        "transports[1].inbound.signature.timestamp_header",
        "keep one",
    );
}

#[test]
fn format_secret_and_scheme_rules() {
    let mut layout = acme_layout();
    layout["format"] = json!({"style": "items", "separator": "", "signature_key": "sig", "timestamp_key": "sig"});
    let spec = acme(layout, "hmac-sha512");
    assert_error(&spec, "transports[1].inbound.signature.format.separator", "non-empty");
    assert_error(
        &spec,
        "transports[1].inbound.signature.format.timestamp_key",
        "different keys",
    );
    let mut layout = acme_layout();
    layout["format"] = json!({"style": "versioned", "version": "v 1"});
    layout["signed_content"] = json!("{id}.{body}");
    assert_error(
        &acme(layout, "hmac-sha512"),
        "transports[1].inbound.signature.format.version",
        "without `,` or blanks",
    );
    let mut layout = acme_layout();
    layout["secret"] = json!({"prefix": "whsec_"});
    assert_error(
        &acme(layout, "hmac-sha512"),
        "transports[1].inbound.signature.secret.prefix",
        "set `encoding: base64`",
    );
    // The auth method's header names agree with the layout's.
    let v = spec_json(
        json!({"signature_header": "X-Acme-Signature", "signing_algorithm": "hmac-sha512", "signature": acme_layout()}),
        json!({"type": "webhook-signing", "algorithm": "hmac-sha512", "signature_header": "X-Acme-Signature",
               "id_header": "X-Other-Id"}),
    );
    let spec: IntegrationSpec = serde_json::from_value(v).unwrap();
    assert_error(
        &spec,
        "supported_auth_methods[1].id_header",
        "`X-Other-Id` differs from the signature layout's `X-Acme-Delivery`",
    );
    // A declared layout replaces a preset: not both.
    let v = spec_json(
        json!({"signature_header": "X-Acme-Signature", "signing_algorithm": "hmac-sha512", "scheme": "stripe",
               "signature": acme_layout()}),
        json!({"type": "webhook-signing", "algorithm": "hmac-sha512", "signature_header": "X-Acme-Signature"}),
    );
    let spec: IntegrationSpec = serde_json::from_value(v).unwrap();
    assert_error(&spec, "transports[1].inbound.signature", "keep one");
}

#[test]
fn ed25519_only_where_a_layout_carries_it() {
    // With Standard Webhooks: `v1a` entries and `whpk_` public keys.
    let v = spec_json(
        json!({"signature_header": "webhook-signature", "signing_algorithm": "ed25519"}),
        json!({"type": "webhook-signing", "algorithm": "ed25519", "signature_header": "webhook-signature"}),
    );
    let spec: IntegrationSpec = serde_json::from_value(v).unwrap();
    validate(&spec).unwrap();
    let sig = spec.webhook_signature().unwrap();
    assert_eq!(sig.layout.format.label(), "v1a");
    assert_eq!(
        sig.layout.secret.prefix.as_deref(),
        Some(spec_core::ED25519_PUBLIC_KEY_PREFIX)
    );
    // Not with Stripe, GitHub or Slack.
    for (header, scheme) in [
        ("Stripe-Signature", "stripe"),
        ("X-Hub-Signature-256", "github"),
        ("X-Slack-Signature", "slack"),
    ] {
        let v = spec_json(
            json!({"signature_header": header, "signing_algorithm": "ed25519", "scheme": scheme}),
            json!({"type": "webhook-signing", "algorithm": "ed25519", "signature_header": header}),
        );
        let spec: IntegrationSpec = serde_json::from_value(v).unwrap();
        let errs = errors(&spec);
        assert!(
            errs.iter().any(|(c, p, m)| *c == ErrorCode::WebhookSignatureLayout
                && p == "transports[1].inbound.signing_algorithm"
                && m.contains(&format!("the `{scheme}` scheme does not sign with `ed25519`"))
                && m.contains("standard_webhooks")),
            "{scheme}: {errs:?}"
        );
    }
    // A declared layout carries Ed25519 with base64 keys only.
    assert_error(
        &acme(acme_layout(), "ed25519"),
        "transports[1].inbound.signature.secret.encoding",
        "Ed25519 public keys are base64",
    );
    let mut layout = acme_layout();
    layout["secret"] = json!({"encoding": "base64", "prefix": "whpk_"});
    layout["encoding"] = json!("base64");
    validate(&acme(layout, "ed25519")).unwrap();
}
