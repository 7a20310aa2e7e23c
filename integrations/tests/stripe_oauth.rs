//! Stripe's OAuth facts live in its `oauth2` declaration, and the runtime's connector follows them.

use std::collections::HashMap;

use integrations::stripe;
use spec_core::{AuthKind, AuthMethod, ClientAuth, OAuth2Auth, RevocationPlan};
use spec_runtime::oauth::{OAuthConnector, check_permissions};

fn oauth2() -> OAuth2Auth {
    match stripe::spec().auth_method(AuthKind::OAuth2) {
        Some(AuthMethod::OAuth2(m)) => m.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_declaration_carries_stripe_connect_oauth() {
    let m = oauth2();
    assert_eq!(m.client_auth(), ClientAuth::RequestBody);
    assert_eq!(m.account_id_field(), Some("stripe_user_id"));
    assert_eq!(m.livemode_field(), Some("livemode"));
    assert_eq!(m.default_token_lifetime(), Some(std::time::Duration::from_secs(3600)));
    assert_eq!(
        m.revocation(),
        Some(RevocationPlan::AccountDeauthorize {
            account_param: "stripe_user_id",
            client_auth: ClientAuth::SecretAsBasicUser,
        })
    );
    assert_eq!(
        m.revocation_url.as_deref(),
        Some("https://connect.stripe.com/oauth/deauthorize")
    );
    assert_eq!(m.deauthorized_event(), Some("account.application.deauthorized"));
    let spec = stripe::spec();
    assert!(
        spec.events
            .as_ref()
            .unwrap()
            .types
            .iter()
            .any(|t| Some(t.event_type.as_str()) == m.deauthorized_event()),
        "the deauthorized event is one of the declared event types"
    );
    assert_eq!(
        spec.rest().and_then(|r| r.account_header.as_deref()),
        Some("Stripe-Account")
    );
}

#[test]
fn a_connector_from_the_declaration_follows_it() {
    let spec = stripe::spec();
    let env = HashMap::from([
        ("STRIPE_INTEGRATION_CLIENT_ID".to_string(), "ca_Platform".to_string()),
        (
            "STRIPE_INTEGRATION_SECRET_KEY".to_string(),
            "sk_test_Platform0123".to_string(),
        ),
        ("API_BASE_URL".to_string(), "https://api.example.test".to_string()),
    ]);
    let connector = OAuthConnector::builder_from_env(spec, &env).unwrap().build().unwrap();
    assert_eq!(connector.client_auth(), ClientAuth::RequestBody);
    assert!(connector.is_deauthorization("account.application.deauthorized"));
    assert!(connector.is_deauthorization("stripe.account.application.deauthorized"));
    assert!(!connector.is_deauthorization("account.updated"));

    // read_write covers every action; read_only exactly the reads.
    let read_write = ["read_write".to_string()];
    let read_only = ["read_only".to_string()];
    for action in &spec.actions {
        check_permissions(spec, action, &read_write).unwrap();
        let reads_only = action.permissions.iter().all(|p| p.ends_with("_read"));
        assert_eq!(
            connector.check_permissions(action, &read_only).is_ok(),
            reads_only,
            "{}",
            action.id
        );
    }
}
