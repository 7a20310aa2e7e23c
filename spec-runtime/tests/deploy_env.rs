//! Deployment configuration from an injected environment: variable names from the provider id, the base
//! URL fallback chain, derived URLs, signing-secret fallback, messages naming missing variables;
//! `{{env.NAME}}` credential templates; API key formats.

use std::collections::{BTreeMap, HashMap};

use serde_json::json;
use spec_core::{IntegrationSpec, Secret};
use spec_runtime::api_key::{ApiKey, ApiKeyError, KeyKind, KeyMode};
use spec_runtime::deploy::{
    DeployConfig, DeployEnvError, EnvSource, TemplateError, resolve_json, resolve_secret, resolve_template,
};

const KEY: &str = "sk_test_PlatformSecret0123456789";

/// A spec for `provider`; Stripe's declares Stripe's key formats on its api-key method.
fn spec(provider: &str) -> &'static IntegrationSpec {
    let formats = if provider == "stripe" {
        json!([
            {"prefix": "sk_live_", "kind": "secret", "mode": "live"},
            {"prefix": "sk_test_", "kind": "secret", "mode": "test"},
            {"prefix": "rk_live_", "kind": "restricted", "mode": "live"},
            {"prefix": "rk_test_", "kind": "restricted", "mode": "test"}
        ])
    } else {
        json!([])
    };
    let spec: IntegrationSpec = serde_json::from_value(json!({
        "meta": {"key": format!("test.{provider}"), "version": "1.0.0", "category": "custom", "title": provider,
                 "domain": "test", "stability": "beta"},
        "supported_modes": ["managed"],
        "transports": [{"type": "rest", "base_url": "https://api.example.test"}],
        "preferred_transport": "rest",
        "supported_auth_methods": [{"type": "api-key", "header_name": "Authorization", "prefix": "Bearer ",
                                    "key_prefixes": formats, "key_min_body": 8}],
        "config": {"type_name": "Config"},
        "secrets": {"type_name": "Secrets"}
    }))
    .unwrap();
    Box::leak(Box::new(spec))
}

fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn full() -> HashMap<String, String> {
    env(&[
        ("STRIPE_INTEGRATION_CLIENT_ID", "ca_123"),
        ("STRIPE_INTEGRATION_SECRET_KEY", KEY),
        ("STRIPE_INTEGRATION_APP_BASE_URL", "https://integrations.example.com"),
        ("STRIPE_INTEGRATION_SIGNING_SECRET", "state-signing-secret"),
        ("STRIPE_INTEGRATION_WEBHOOK_SECRET", "whsec_abc"),
        ("API_BASE_URL", "https://api.example.com"),
        ("APP_BASE_URL", "https://app.example.com"),
    ])
}

#[test]
fn prefix_comes_from_the_provider_id() {
    assert_eq!(spec("stripe").deploy_prefix(), "STRIPE_INTEGRATION_");
    assert_eq!(spec("google-sheets").deploy_prefix(), "GOOGLE_SHEETS_INTEGRATION_");
    assert_eq!(spec("x.ai").deploy_prefix(), "X_AI_INTEGRATION_");
    let c = DeployConfig::from_env(spec("github"), &env(&[("GITHUB_INTEGRATION_CLIENT_ID", "Iv1.abc")])).unwrap();
    assert_eq!(c.prefix(), "GITHUB_INTEGRATION_");
    assert_eq!(c.client_id().unwrap(), "Iv1.abc");
    // Stripe's variables are not read for GitHub.
    let c = DeployConfig::from_env(spec("github"), &full()).unwrap();
    assert!(c.client_id().is_err());
}

#[test]
fn fully_configured_deployment() {
    let c = DeployConfig::from_env(spec("stripe"), &full()).unwrap();
    assert_eq!(c.client_id().unwrap(), "ca_123");
    assert_eq!(c.secret_key().unwrap().expose(), KEY);
    assert_eq!(c.secret_key_mode(), Some(KeyMode::Test));
    assert!(c.connect_enabled());
    assert_eq!(c.app_base_url_source(), Some("STRIPE_INTEGRATION_APP_BASE_URL"));
    assert_eq!(
        c.redirect_uri().unwrap().as_str(),
        "https://integrations.example.com/v1/provider/stripe/callback"
    );
    assert_eq!(
        c.webhook_url().unwrap().as_str(),
        "https://integrations.example.com/v1/provider/stripe/webhook/events"
    );
    assert_eq!(c.signing_secret().unwrap().expose(), "state-signing-secret");
    assert!(c.has_dedicated_signing_secret());
    assert_eq!(c.webhook_secret().unwrap().expose(), "whsec_abc");

    let s = c.connect().unwrap();
    assert_eq!(s.provider, "stripe");
    assert_eq!(s.client_id, "ca_123");
    assert_eq!(s.client_secret.expose(), KEY);
    assert_eq!(s.signing_secret.expose(), "state-signing-secret");
    assert_eq!(
        s.redirect_uri.as_str(),
        "https://integrations.example.com/v1/provider/stripe/callback"
    );

    // Secrets stay out of Debug.
    let shown = format!("{c:?} {s:?}");
    for secret in [KEY, "state-signing-secret", "whsec_abc"] {
        assert!(!shown.contains(secret), "{shown}");
    }
}

#[test]
fn base_url_falls_back_to_api_then_app_base_url() {
    let mut e = full();
    let base = |e: &HashMap<String, String>| {
        let c = DeployConfig::from_env(spec("stripe"), e).unwrap();
        (
            c.app_base_url().map(|u| u.to_string()).ok(),
            c.app_base_url_source().map(str::to_string),
        )
    };
    assert_eq!(
        base(&e),
        (
            Some("https://integrations.example.com/".into()),
            Some("STRIPE_INTEGRATION_APP_BASE_URL".into())
        )
    );
    // Empty counts as unset.
    e.insert("STRIPE_INTEGRATION_APP_BASE_URL".into(), String::new());
    assert_eq!(
        base(&e),
        (Some("https://api.example.com/".into()), Some("API_BASE_URL".into()))
    );
    e.remove("API_BASE_URL");
    assert_eq!(
        base(&e),
        (Some("https://app.example.com/".into()), Some("APP_BASE_URL".into()))
    );
    e.remove("APP_BASE_URL");
    assert_eq!(base(&e), (None, None));

    let c = DeployConfig::from_env(spec("stripe"), &e).unwrap();
    let err = c.redirect_uri().unwrap_err();
    assert!(err.names("STRIPE_INTEGRATION_APP_BASE_URL") && err.names("API_BASE_URL") && err.names("APP_BASE_URL"));
    assert_eq!(
        err.to_string(),
        "missing deployment configuration: none of STRIPE_INTEGRATION_APP_BASE_URL, API_BASE_URL, APP_BASE_URL \
         is set (it enables the OAuth redirect URI and the webhook URL)"
    );
    assert!(c.webhook_url().is_err());
    assert!(c.connect_enabled());
    assert!(c.connect().unwrap_err().names("API_BASE_URL"));
}

#[test]
fn derived_urls_keep_a_base_path_and_drop_a_trailing_slash() {
    for (base, expected) in [
        (
            "https://api.example.com/",
            "https://api.example.com/v1/provider/stripe/callback",
        ),
        (
            "https://example.com/api",
            "https://example.com/api/v1/provider/stripe/callback",
        ),
        (
            "https://example.com/api/",
            "https://example.com/api/v1/provider/stripe/callback",
        ),
        (
            "http://127.0.0.1:8080",
            "http://127.0.0.1:8080/v1/provider/stripe/callback",
        ),
    ] {
        let c = DeployConfig::from_env(spec("stripe"), &env(&[("APP_BASE_URL", base)])).unwrap();
        assert_eq!(c.redirect_uri().unwrap().as_str(), expected, "{base}");
    }
}

#[test]
fn signing_secret_falls_back_to_the_secret_key() {
    let mut e = full();
    e.insert("STRIPE_INTEGRATION_SIGNING_SECRET".into(), String::new());
    let c = DeployConfig::from_env(spec("stripe"), &e).unwrap();
    assert_eq!(c.signing_secret().unwrap().expose(), KEY);
    assert!(!c.has_dedicated_signing_secret());
    assert_eq!(c.connect().unwrap().signing_secret.expose(), KEY);

    e.remove("STRIPE_INTEGRATION_SIGNING_SECRET");
    e.remove("STRIPE_INTEGRATION_SECRET_KEY");
    let c = DeployConfig::from_env(spec("stripe"), &e).unwrap();
    let err = c.signing_secret().unwrap_err();
    assert!(err.names("STRIPE_INTEGRATION_SIGNING_SECRET") && err.names("STRIPE_INTEGRATION_SECRET_KEY"));
    assert!(err.to_string().contains("signing of OAuth state"), "{err}");
}

#[test]
fn missing_variables_are_named_with_what_they_enable() {
    let c = DeployConfig::from_env(spec("stripe"), &env(&[])).unwrap();
    assert!(!c.connect_enabled());
    let err = c.connect().unwrap_err();
    let names: Vec<&str> = err.missing.iter().map(|m| m.variable.as_str()).collect();
    assert_eq!(
        names,
        [
            "STRIPE_INTEGRATION_CLIENT_ID",
            "STRIPE_INTEGRATION_SECRET_KEY",
            "STRIPE_INTEGRATION_APP_BASE_URL"
        ]
    );
    let msg = err.to_string();
    assert!(
        msg.contains("STRIPE_INTEGRATION_CLIENT_ID is not set (it enables the OAuth connect flow)"),
        "{msg}"
    );
    assert!(
        msg.contains("STRIPE_INTEGRATION_SECRET_KEY is not set (it enables the OAuth connect flow)"),
        "{msg}"
    );

    // Only the client id missing: only it is named.
    let mut e = full();
    e.insert("STRIPE_INTEGRATION_CLIENT_ID".into(), String::new());
    let c = DeployConfig::from_env(spec("stripe"), &e).unwrap();
    let err = c.connect().unwrap_err();
    assert_eq!(err.missing.len(), 1);
    assert_eq!(err.missing[0].variable, "STRIPE_INTEGRATION_CLIENT_ID");
    assert!(c.client_id().is_err());

    let err = DeployConfig::from_env(spec("stripe"), &env(&[]))
        .unwrap()
        .webhook_secret()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "missing deployment configuration: STRIPE_INTEGRATION_WEBHOOK_SECRET is not set \
         (it enables verification of inbound webhook signatures)"
    );
}

#[test]
fn unusable_values_are_rejected_naming_the_variable() {
    let e = env(&[("API_BASE_URL", "api.example.com")]);
    match DeployConfig::from_env(spec("stripe"), &e) {
        Err(DeployEnvError::InvalidUrl { variable, .. }) => assert_eq!(variable, "API_BASE_URL"),
        other => panic!("{other:?}"),
    }
    for bad in [
        "ftp://example.com",
        "https://example.com/?x=1",
        "https://example.com/#f",
    ] {
        let e = env(&[("STRIPE_INTEGRATION_APP_BASE_URL", bad)]);
        assert!(DeployConfig::from_env(spec("stripe"), &e).is_err(), "{bad}");
    }

    let leaked = "pk_live_ShouldNotBeEchoed42";
    let e = env(&[("STRIPE_INTEGRATION_SECRET_KEY", leaked)]);
    let err = DeployConfig::from_env(spec("stripe"), &e).unwrap_err();
    assert!(
        matches!(&err, DeployEnvError::InvalidSecretKey { variable, .. } if variable == "STRIPE_INTEGRATION_SECRET_KEY")
    );
    let msg = err.to_string();
    assert!(
        msg.contains("STRIPE_INTEGRATION_SECRET_KEY") && msg.contains("sk_live_"),
        "{msg}"
    );
    assert!(!msg.contains(leaked) && !msg.contains("ShouldNot"), "{msg}");

    let live = env(&[("STRIPE_INTEGRATION_SECRET_KEY", "rk_live_Restricted0123456789")]);
    assert_eq!(
        DeployConfig::from_env(spec("stripe"), &live).unwrap().secret_key_mode(),
        Some(KeyMode::Live)
    );
}

#[test]
fn env_sources_map_and_closure() {
    let btree: BTreeMap<String, String> = [("STRIPE_INTEGRATION_CLIENT_ID".to_string(), "ca_b".to_string())].into();
    assert_eq!(
        DeployConfig::from_env(spec("stripe"), &btree)
            .unwrap()
            .client_id()
            .unwrap(),
        "ca_b"
    );
    let closure = |name: &str| (name == "STRIPE_INTEGRATION_CLIENT_ID").then(|| "ca_c".to_string());
    assert_eq!(
        DeployConfig::from_env(spec("stripe"), &closure)
            .unwrap()
            .client_id()
            .unwrap(),
        "ca_c"
    );
    assert_eq!(closure.non_empty("OTHER"), None);
    let dynamic: &dyn EnvSource = &btree;
    assert_eq!(
        DeployConfig::from_env(spec("stripe"), dynamic)
            .unwrap()
            .client_id()
            .unwrap(),
        "ca_b"
    );
}

#[test]
fn env_templates_resolve_and_name_missing_variables() {
    let e = env(&[
        ("STRIPE_SECRET_KEY", KEY),
        ("STRIPE_WEBHOOK_SECRET", "whsec_xyz"),
        ("EMPTY", ""),
    ]);
    assert_eq!(resolve_template("{{env.STRIPE_SECRET_KEY}}", &e).unwrap(), KEY);
    assert_eq!(resolve_template("{{ env.STRIPE_SECRET_KEY }}", &e).unwrap(), KEY);
    assert_eq!(
        resolve_template("Bearer {{env.STRIPE_SECRET_KEY}}/{{env.STRIPE_WEBHOOK_SECRET}}!", &e).unwrap(),
        format!("Bearer {KEY}/whsec_xyz!")
    );
    assert_eq!(resolve_template("no templates", &e).unwrap(), "no templates");
    let s: Secret = resolve_secret("{{env.STRIPE_WEBHOOK_SECRET}}", &e).unwrap();
    assert_eq!(s.expose(), "whsec_xyz");

    let err = resolve_template("{{env.MISSING_ONE}}", &e).unwrap_err();
    assert_eq!(
        err,
        TemplateError::MissingVariable {
            name: "MISSING_ONE".into(),
            path: String::new()
        }
    );
    assert_eq!(
        err.to_string(),
        "environment variable MISSING_ONE is not set (referenced as `{{env.MISSING_ONE}}`)"
    );
    assert!(
        matches!(resolve_template("{{env.EMPTY}}", &e), Err(TemplateError::MissingVariable { name, .. }) if name == "EMPTY")
    );
    assert!(matches!(
        resolve_template("{{env.X", &e),
        Err(TemplateError::Unterminated { .. })
    ));
    assert!(matches!(
        resolve_template("{{payload.type}}", &e),
        Err(TemplateError::Unsupported { expression, .. }) if expression == "payload.type"
    ));
    assert!(matches!(
        resolve_template("{{env.}}", &e),
        Err(TemplateError::Unsupported { .. })
    ));

    // A configuration document as the config-driven framework writes it.
    let doc = json!({"credentials": {"stripe": {
        "secretKey": "{{env.STRIPE_SECRET_KEY}}",
        "webhookSecret": "{{env.STRIPE_WEBHOOK_SECRET}}",
        "retries": 3,
        "hosts": ["{{env.STRIPE_WEBHOOK_SECRET}}", "plain"]
    }}});
    let resolved = resolve_json(&doc, &e).unwrap();
    assert_eq!(resolved["credentials"]["stripe"]["secretKey"], KEY);
    assert_eq!(resolved["credentials"]["stripe"]["webhookSecret"], "whsec_xyz");
    assert_eq!(resolved["credentials"]["stripe"]["retries"], 3);
    assert_eq!(
        resolved["credentials"]["stripe"]["hosts"],
        json!(["whsec_xyz", "plain"])
    );

    #[derive(serde::Deserialize, Debug)]
    #[serde(rename_all = "camelCase")]
    struct StripeCredentials {
        secret_key: Secret,
        webhook_secret: Secret,
    }
    let creds: StripeCredentials = serde_json::from_value(resolved["credentials"]["stripe"].clone()).unwrap();
    assert_eq!(creds.secret_key.expose(), KEY);
    assert_eq!(creds.webhook_secret.expose(), "whsec_xyz");
    assert!(!format!("{creds:?}").contains("whsec_xyz"));

    let partial = env(&[("STRIPE_SECRET_KEY", KEY)]);
    let err = resolve_json(&doc, &partial).unwrap_err();
    assert_eq!(
        err,
        TemplateError::MissingVariable {
            name: "STRIPE_WEBHOOK_SECRET".into(),
            path: "credentials.stripe.hosts[0]".into()
        }
    );
    assert!(err.to_string().contains("at `credentials.stripe.hosts[0]`"), "{err}");
}

#[test]
fn api_key_formats_modes_and_redaction() {
    for (key, kind, mode) in [
        ("sk_live_51HqLyjWDarjtT1zdp7dc", KeyKind::Secret, KeyMode::Live),
        ("sk_test_51HqLyjWDarjtT1zdp7dc", KeyKind::Secret, KeyMode::Test),
        ("rk_live_51HqLyjWDarjtT1zdp7dc", KeyKind::Restricted, KeyMode::Live),
        ("rk_test_51HqLyjWDarjtT1zdp7dc", KeyKind::Restricted, KeyMode::Test),
    ] {
        let k = ApiKey::parse(spec("stripe"), key).unwrap();
        assert_eq!((k.kind(), k.mode()), (Some(kind), Some(mode)), "{key}");
        assert_eq!(k.is_live(), mode == KeyMode::Live);
        assert_eq!(k.provider(), "stripe");
        assert_eq!(k.secret().expose(), key);
        assert!(key.starts_with(k.prefix().unwrap()));
        let shown = format!("{k} {k:?}");
        assert!(!shown.contains("51HqLyj"), "{shown}");
        assert!(shown.contains("[REDACTED]"), "{shown}");
    }

    let err = ApiKey::parse(spec("stripe"), "pk_live_51HqLyjWDarjtT1zdp7dc").unwrap_err();
    assert_eq!(
        err.to_string(),
        "the stripe API key must start with one of sk_live_, sk_test_, rk_live_, rk_test_"
    );
    assert!(matches!(
        ApiKey::parse(spec("stripe"), ""),
        Err(ApiKeyError::Empty { .. })
    ));
    assert!(matches!(
        ApiKey::parse(spec("stripe"), "sk_test_"),
        Err(ApiKeyError::MalformedBody { ref prefix, .. }) if prefix == "sk_test_"
    ));
    assert!(matches!(
        ApiKey::parse(spec("stripe"), "sk_test_abc def ghij"),
        Err(ApiKeyError::MalformedBody { .. })
    ));
    let err = ApiKey::parse(spec("stripe"), "sk_test_short").unwrap_err();
    assert!(!err.to_string().contains("short"), "{err}");
    // Without declared prefixes, any non-empty key is accepted, with no mode or kind.
    let free = ApiKey::parse(spec("acme"), "anything-goes").unwrap();
    assert_eq!((free.kind(), free.mode(), free.prefix()), (None, None, None));
    // An integration without an api-key method has no key format at all.
    let mut no_key = spec("acme").clone();
    no_key.supported_auth_methods = vec![spec_core::AuthMethod::Bearer(Default::default())];
    assert!(matches!(
        ApiKey::parse(&no_key, "sk_test_51HqLyjWDarjtT1zdp7dc"),
        Err(ApiKeyError::NoApiKeyMethod { .. })
    ));
}
