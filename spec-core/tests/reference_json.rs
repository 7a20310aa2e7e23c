//! The reference Stripe spec, written as JSON, deserializes and validates; broken variants report the
//! expected codes and paths.

use spec_core::{ErrorCode, IntegrationSpec, validate};

fn reference() -> serde_json::Value {
    serde_json::json!({
        "meta": {
            "key": "payments.stripe", "version": "1.0.0", "category": "payments", "title": "Stripe Payments",
            "description": "Stripe integration for payment processing, charges, and payouts.",
            "domain": "payments", "owners": ["platform.payments"], "tags": ["payments", "psp"], "stability": "stable"
        },
        "supported_modes": ["managed", "byok"],
        "transports": [
            {"type": "rest", "base_url": "https://api.stripe.com", "api_version_header": "Stripe-Version", "body": "form"},
            {"type": "webhook", "inbound": {"signature_header": "stripe-signature", "signing_algorithm": "hmac-sha256",
                                            "scheme": "stripe", "tolerance": 300}},
            {"type": "sdk", "package_name": "stripe", "min_version": "14.0.0"}
        ],
        "preferred_transport": "rest",
        "supported_auth_methods": [
            {"type": "api-key", "header_name": "Authorization", "prefix": "Bearer "},
            {"type": "oauth2", "grant_type": "authorization_code",
             "authorization_url": "https://connect.stripe.com/oauth/authorize",
             "token_url": "https://connect.stripe.com/oauth/token", "scopes": ["read_write"],
             "revocation_url": "https://connect.stripe.com/oauth/deauthorize",
             "client_auth": "request_body", "account_id_field": "stripe_user_id", "livemode_field": "livemode",
             "default_token_lifetime": 3600,
             "revocation": {"style": "account_deauthorize", "account_param": "stripe_user_id",
                            "client_auth": "secret_as_basic_user"},
             "deauthorized_event": "account.application.deauthorized",
             "scope_implications": [{"scope": "read_write", "covers": "all"},
                                    {"scope": "read_only", "covers": {"suffix": "_read"}}]},
            {"type": "webhook-signing", "algorithm": "hmac-sha256", "signature_header": "stripe-signature"}
        ],
        "version_policy": {"current_version": "2024-11-20.acacia",
                           "supported_versions": [{"version": "2024-11-20.acacia", "status": "stable"}],
                           "version_header": "Stripe-Version"},
        "capabilities": {"provides": [{"key": "payments.psp", "version": "1.0.0"}],
                         "requires": [{"key": "platform.webhooks", "optional": true,
                                       "reason": "Recommended for reliable event ingestion"}]},
        "config": {"type_name": "StripeConfig",
                   "schema": {"type": "object", "properties": {"account_id": {"type": "string"}, "region": {"type": "string"}}},
                   "example": {"account_id": "acct_123", "region": "us-east-1"}},
        "secrets": {"type_name": "StripeSecrets",
                    "schema": {"type": "object", "required": ["api_key", "webhook_secret"],
                               "properties": {"api_key": {"type": "string", "writeOnly": true},
                                              "webhook_secret": {"type": "string", "writeOnly": true}}},
                    "example": {"api_key": "sk_live_***", "webhook_secret": "whsec_***"}},
        "health_check": {"method": "ping", "timeout_ms": 5000},
        "docs_url": "https://stripe.com/docs/api",
        "constraints": {"rate_limit": {"rpm": 1000, "rph": 20000}},
        "byok_setup": {"setup_instructions": "Create a restricted Stripe API key with write access to Charges and provide a webhook signing secret.",
                       "required_scopes": ["charges:write", "customers:read"],
                       "key_rotation_supported": true, "quota_tracking_supported": false}
    })
}

fn codes(v: serde_json::Value) -> Vec<(ErrorCode, String)> {
    let spec: IntegrationSpec = serde_json::from_value(v).expect("deserializes");
    match validate(&spec) {
        Ok(()) => vec![],
        Err(errs) => errs.into_iter().map(|e| (e.code, e.path)).collect(),
    }
}

#[test]
fn reference_spec_validates_and_round_trips() {
    let spec: IntegrationSpec = serde_json::from_value(reference()).unwrap();
    validate(&spec).unwrap();
    let again: IntegrationSpec = serde_json::from_str(&serde_json::to_string(&spec).unwrap()).unwrap();
    assert_eq!(spec, again);
    assert_eq!(spec.provider_id(), "stripe");
}

#[test]
fn unknown_field_is_rejected() {
    let mut v = reference();
    v["meta"]["colour"] = "blue".into();
    let err = serde_json::from_value::<IntegrationSpec>(v).unwrap_err().to_string();
    assert!(err.contains("unknown field `colour`"), "{err}");
    let mut v = reference();
    v["transports"][0]["baseurl"] = "x".into();
    assert!(serde_json::from_value::<IntegrationSpec>(v).is_err());
}

#[test]
fn each_rule_reports_code_and_path() {
    type Mutation = fn(&mut serde_json::Value);
    let cases: Vec<(Mutation, ErrorCode, &str)> = vec![
        (
            |v| v["meta"]["key"] = "Stripe".into(),
            ErrorCode::KeyPattern,
            "meta.key",
        ),
        (
            |v| v["meta"]["version"] = "1.0".into(),
            ErrorCode::Semver,
            "meta.version",
        ),
        (
            |v| v["preferred_transport"] = "mcp".into(),
            ErrorCode::PreferredTransportUndeclared,
            "preferred_transport",
        ),
        (
            |v| v["version_policy"]["current_version"] = "2020-01-01".into(),
            ErrorCode::CurrentVersionUnsupported,
            "version_policy.current_version",
        ),
        (
            |v| v["version_policy"]["supported_versions"][0]["status"] = "sunset".into(),
            ErrorCode::CurrentVersionSunset,
            "version_policy.current_version",
        ),
        (
            |v| v["supported_modes"] = serde_json::json!(["managed"]),
            ErrorCode::ByokSetupWithoutByok,
            "byok_setup",
        ),
        (
            |v| v["constraints"]["rate_limit"]["rph"] = 10.into(),
            ErrorCode::RateLimit,
            "constraints.rate_limit.rph",
        ),
        (
            |v| v["transports"][0]["base_url"] = "http://api.stripe.com".into(),
            ErrorCode::Url,
            "transports[0].base_url",
        ),
        (
            |v| {
                v["supported_auth_methods"].as_array_mut().unwrap().remove(2);
            },
            ErrorCode::WebhookSigningMismatch,
            "transports[1]",
        ),
        (
            |v| v["supported_auth_methods"][2]["signature_header"] = "x-sig".into(),
            ErrorCode::WebhookSigningMismatch,
            "supported_auth_methods[2].signature_header",
        ),
        (
            |v| {
                let t = v["transports"][2].clone();
                v["transports"].as_array_mut().unwrap().push(t);
            },
            ErrorCode::DuplicateTransport,
            "transports[3]",
        ),
        (
            |v| v["config"]["example"]["account_id"] = 5.into(),
            ErrorCode::ExampleInvalid,
            "config.example",
        ),
        (
            |v| v["secrets"]["example"] = serde_json::json!({"api_key": "sk"}),
            ErrorCode::ExampleInvalid,
            "secrets.example",
        ),
        (
            |v| v["transports"][0]["error_pointer"] = "error".into(),
            ErrorCode::Pointer,
            "transports[0].error_pointer",
        ),
        (
            |v| v["transports"][0]["api_version_header"] = "Stripe Version".into(),
            ErrorCode::HeaderName,
            "transports[0].api_version_header",
        ),
        (
            |v| {
                v["events"] = serde_json::json!({"prefix": "stripe.", "types": [],
                    "envelope": {"id": {"body": "/id"}, "type": [{"body": "type"}]}})
            },
            ErrorCode::Pointer,
            "events.envelope.type[0].body",
        ),
        (
            |v| {
                v["events"] = serde_json::json!({"prefix": "stripe.", "types": [],
                    "envelope": {"id": {"header": ""}, "type": [{"body": "/type"}]}})
            },
            ErrorCode::HeaderName,
            "events.envelope.id.header",
        ),
        (
            |v| {
                v["events"] = serde_json::json!({"prefix": "stripe.", "types": [],
                    "envelope": {"id": {"body": "/id"}, "type": []}})
            },
            ErrorCode::EmptyList,
            "events.envelope.type",
        ),
        (
            |v| {
                v["events"] = serde_json::json!({"prefix": "stripe.", "types": [],
                    "envelope": {"id": {"body": "/id"}, "type": [{"body": "/type"}], "object_id": "/a~2b"}})
            },
            ErrorCode::Pointer,
            "events.envelope.object_id",
        ),
        (
            |v| {
                v["events"] = serde_json::json!({"prefix": "stripe.", "types": [],
                    "envelope": {"id": {"body": "/id"}, "type": [{"body": "/type"}],
                        "handshake": {"type": {"body": "/type"}, "value": "url_verification",
                            "challenge": {"body": "challenge"}}}})
            },
            ErrorCode::Pointer,
            "events.envelope.handshake.challenge.body",
        ),
        (
            |v| {
                v["events"] = serde_json::json!({"prefix": "stripe.", "types": [],
                    "envelope": {"id": {"body": "/id"}, "type": [{"body": "/type"}],
                        "handshake": {"type": {"header": "X-Kind"}, "value": " ",
                            "challenge": {"body": "/challenge"}}}})
            },
            ErrorCode::Empty,
            "events.envelope.handshake.value",
        ),
        (
            |v| {
                v["actions"] = serde_json::json!([{"id": "stripe.customer.get", "method_name": "customer_get",
                    "method": "GET", "path": "/v1/customers/{customer}", "items_field": "data",
                    "input": {"type_name": "P", "schema": {"type": "object", "properties": {"customer": {"type": "string"}}}},
                    "output": {"type_name": "C"}}])
            },
            ErrorCode::ActionFlags,
            "actions[0].items_field",
        ),
        (
            |v| {
                v["actions"] = serde_json::json!([{"id": "stripe.customer.get", "method_name": "customer_get",
                    "method": "GET", "path": "/v1/customers/{customer}", "item": {"type_name": "Customer"},
                    "input": {"type_name": "P", "schema": {"type": "object", "properties": {"customer": {"type": "string"}}}},
                    "output": {"type_name": "C"}}])
            },
            ErrorCode::ActionFlags,
            "actions[0].item",
        ),
        (
            |v| {
                v["supported_auth_methods"][1]["revocation"]
                    .as_object_mut()
                    .unwrap()
                    .remove("account_param");
            },
            ErrorCode::OAuthRevocation,
            "supported_auth_methods[1].revocation.style",
        ),
        (
            |v| {
                v["supported_auth_methods"][1]
                    .as_object_mut()
                    .unwrap()
                    .remove("account_id_field");
            },
            ErrorCode::OAuthRevocation,
            "supported_auth_methods[1].revocation.style",
        ),
        (
            |v| {
                v["supported_auth_methods"][1]
                    .as_object_mut()
                    .unwrap()
                    .remove("revocation_url");
            },
            ErrorCode::OAuthRevocation,
            "supported_auth_methods[1].revocation",
        ),
        (
            |v| v["supported_auth_methods"][1]["revocation"]["style"] = "rfc7009".into(),
            ErrorCode::OAuthRevocation,
            "supported_auth_methods[1].revocation.account_param",
        ),
        (
            |v| v["supported_auth_methods"][1]["scope_implications"][1]["scope"] = "read_write".into(),
            ErrorCode::OAuthScopeImplication,
            "supported_auth_methods[1].scope_implications[1].scope",
        ),
        (
            |v| v["supported_auth_methods"][1]["scope_implications"][0]["scope"] = " ".into(),
            ErrorCode::OAuthScopeImplication,
            "supported_auth_methods[1].scope_implications[0].scope",
        ),
        (
            |v| v["supported_auth_methods"][1]["scope_implications"][1]["covers"] = serde_json::json!({"suffix": ""}),
            ErrorCode::OAuthScopeImplication,
            "supported_auth_methods[1].scope_implications[1].covers.suffix",
        ),
        (
            |v| v["supported_auth_methods"][1]["scope_implications"][1]["covers"] = serde_json::json!({"only": []}),
            ErrorCode::OAuthScopeImplication,
            "supported_auth_methods[1].scope_implications[1].covers.only",
        ),
        (
            |v| {
                v["events"] = serde_json::json!({"prefix": "stripe.",
                    "types": [{"type": "customer.created", "payload": {"type_name": "Customer"}}]})
            },
            ErrorCode::OAuthDeauthorizedEvent,
            "supported_auth_methods[1].deauthorized_event",
        ),
        (
            |v| v["supported_auth_methods"][1]["deauthorized_event"] = "".into(),
            ErrorCode::OAuthDeauthorizedEvent,
            "supported_auth_methods[1].deauthorized_event",
        ),
        (
            |v| v["supported_auth_methods"][1]["default_token_lifetime"] = 0.into(),
            ErrorCode::OAuthTokenLifetime,
            "supported_auth_methods[1].default_token_lifetime",
        ),
        (
            |v| v["supported_auth_methods"][1]["account_id_field"] = "".into(),
            ErrorCode::Empty,
            "supported_auth_methods[1].account_id_field",
        ),
    ];
    for (mutate, code, path) in cases {
        let mut v = reference();
        mutate(&mut v);
        let got = codes(v);
        assert!(
            got.iter().any(|(c, p)| *c == code && p == path),
            "expected {code} at {path}, got {got:?}"
        );
    }
}

#[test]
fn loopback_http_is_allowed() {
    let mut v = reference();
    v["transports"][0]["base_url"] = "http://127.0.0.1:12111".into();
    assert_eq!(codes(v), vec![]);
}

#[test]
fn spec_format_has_a_json_schema() {
    let schema = schemars::schema_for!(IntegrationSpec);
    let schema = serde_json::to_value(&schema).unwrap();
    spec_core::check_against_schema(&schema, &reference()).unwrap();
}

fn oauth2(v: &serde_json::Value) -> spec_core::OAuth2Auth {
    let spec: IntegrationSpec = serde_json::from_value(v.clone()).unwrap();
    match spec.auth_method(spec_core::AuthKind::OAuth2) {
        Some(spec_core::AuthMethod::OAuth2(m)) => m.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn oauth2_accessors_read_the_declared_facts() {
    use spec_core::{ClientAuth, RevocationPlan};
    let m = oauth2(&reference());
    assert_eq!(m.client_auth(), ClientAuth::RequestBody);
    assert_eq!(m.account_id_field(), Some("stripe_user_id"));
    assert_eq!(m.livemode_field(), Some("livemode"));
    assert_eq!(m.default_token_lifetime(), Some(std::time::Duration::from_secs(3600)));
    assert_eq!(
        m.revocation(),
        Some(RevocationPlan::AccountDeauthorize {
            account_param: "stripe_user_id",
            client_auth: ClientAuth::SecretAsBasicUser
        })
    );
    assert_eq!(m.deauthorized_event(), Some("account.application.deauthorized"));
    assert!(m.grant_covers("read_write", "charge_write"));
    assert!(m.grant_covers("read_only", "charge_read"));
    assert!(!m.grant_covers("read_only", "charge_write"));
    assert!(m.grant_covers("charge_write", "charge_write"));
    assert!(!m.grant_covers("charge_read", "charge_write"));
}

#[test]
fn oauth2_without_provider_facts_is_plain_rfc_6749_and_7009() {
    use spec_core::{ClientAuth, RevocationPlan};
    let mut v = reference();
    let method = v["supported_auth_methods"][1].as_object_mut().unwrap();
    for field in [
        "client_auth",
        "account_id_field",
        "livemode_field",
        "default_token_lifetime",
        "revocation",
        "deauthorized_event",
        "scope_implications",
    ] {
        method.remove(field);
    }
    assert_eq!(codes(v.clone()), vec![]);
    let m = oauth2(&v);
    assert_eq!(m.client_auth(), ClientAuth::Basic);
    assert_eq!(m.account_id_field(), None);
    assert_eq!(m.livemode_field(), None);
    assert_eq!(m.default_token_lifetime(), None);
    assert_eq!(
        m.revocation(),
        Some(RevocationPlan::Rfc7009 {
            client_auth: ClientAuth::Basic
        })
    );
    assert_eq!(m.deauthorized_event(), None);
    assert!(m.scope_implications().is_empty());
    assert!(!m.grant_covers("read_write", "charge_write"));
    // The absent fields stay absent when serialized.
    let out = serde_json::to_value(&m).unwrap();
    assert!(
        out.get("revocation").is_none() && out.get("scope_implications").is_none(),
        "{out}"
    );

    // A revocation declared without its own client_auth uses the token endpoint's.
    let mut v = reference();
    v["supported_auth_methods"][1]["revocation"]
        .as_object_mut()
        .unwrap()
        .remove("client_auth");
    assert_eq!(
        oauth2(&v).revocation(),
        Some(RevocationPlan::AccountDeauthorize {
            account_param: "stripe_user_id",
            client_auth: ClientAuth::RequestBody
        })
    );
}

#[test]
fn deauthorized_event_written_with_the_prefix_is_refused_with_a_hint() {
    let mut v = reference();
    v["events"] = serde_json::json!({"prefix": "stripe.",
        "types": [{"type": "account.application.deauthorized", "payload": {"type_name": "Application"}}]});
    assert_eq!(codes(v.clone()), vec![]);
    v["supported_auth_methods"][1]["deauthorized_event"] = "stripe.account.application.deauthorized".into();
    let spec: IntegrationSpec = serde_json::from_value(v).unwrap();
    let errs = validate(&spec).unwrap_err();
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].code, ErrorCode::OAuthDeauthorizedEvent);
    assert!(
        errs[0]
            .message
            .contains("write the upstream type `account.application.deauthorized`"),
        "{}",
        errs[0].message
    );
}

#[test]
fn unknown_oauth2_fields_are_rejected() {
    let mut v = reference();
    v["supported_auth_methods"][1]["revocation"]["stlye"] = "rfc7009".into();
    let err = serde_json::from_value::<IntegrationSpec>(v).unwrap_err().to_string();
    assert!(err.contains("unknown field `stlye`"), "{err}");
    let mut v = reference();
    v["supported_auth_methods"][1]["client_auth"] = "jwt".into();
    assert!(serde_json::from_value::<IntegrationSpec>(v).is_err());
}
