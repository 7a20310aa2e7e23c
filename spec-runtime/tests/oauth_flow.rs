//! The OAuth connect flow end to end against a local authorization server with Stripe's token-response
//! shape: connect, browser round trip, callback, authenticated request, refresh, deauthorization; every
//! state attack; single-flight refresh; scopes.

#![cfg(feature = "oauth")]

mod oauth_support;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use oauth_support::*;
use spec_core::{Action, Secret};
use spec_runtime::oauth::{
    AccessGrant, CallbackError, CallbackQuery, ClientAuth, ConnectorConfigError, ManualClock, OAuthConnector,
    RefreshError, StateError, StateSigner, check_permissions,
};

fn form(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn query_map(url: &url::Url) -> BTreeMap<String, String> {
    url.query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_callback_request_refresh_and_deauthorize_end_to_end() {
    let provider = Provider::start().await;
    let spec = stripe_spec(&provider.base, false);
    let clock = ManualClock::new(start_time());
    let connector = builder(&spec, &clock).build().unwrap();

    // Connect: the redirect URL carries the spec's settings and the deployment's redirect URI.
    let url = connector.connect("platform", "default").await.unwrap();
    assert_eq!(url.path(), "/oauth/authorize");
    assert!(url.as_str().starts_with(&provider.base));
    let q = query_map(&url);
    assert_eq!(q["response_type"], "code");
    assert_eq!(q["client_id"], CLIENT_ID);
    assert_eq!(q["redirect_uri"], REDIRECT_URI);
    assert_eq!(q["scope"], "read_write");
    assert!(!q.contains_key("code_challenge"), "the spec does not ask for PKCE");
    let state = q["state"].clone();

    // The signing secret is empty, so the state is signed with the integration secret key.
    let payload = StateSigner::new(Secret::new(SECRET_KEY)).verify(&state).unwrap();
    assert_eq!(
        (payload.project.as_str(), payload.connection.as_str()),
        ("platform", "default")
    );
    assert_eq!(
        StateSigner::new(Secret::new("another key")).verify(&state),
        Err(StateError::Tampered)
    );

    // The browser goes to the provider, which redirects back with code and state.
    let back = provider.authorize_in_browser(&url).await;
    assert!(back.as_str().starts_with(REDIRECT_URI), "{back}");
    let callback = CallbackQuery::from_url(&back);
    assert_eq!(callback.state.as_deref(), Some(state.as_str()));
    let code = callback.code.clone().unwrap();

    let connection = connector.callback("platform", &callback).await.unwrap();
    assert_eq!(connection.account_id.as_deref(), Some(ACCOUNT));
    assert_eq!(connection.access_token.expose(), "rk_test_Access2");
    assert_eq!(
        connection.refresh_token.as_ref().map(Secret::expose),
        Some("rt_Refresh2")
    );
    assert_eq!(connection.token_type, "bearer");
    assert_eq!(connection.scopes, vec!["read_write".to_string()]);
    assert_eq!(connection.livemode, Some(false));
    assert_eq!(connection.extras["stripe_publishable_key"], PUBLISHABLE);
    assert!(!connection.extras.contains_key("stripe_user_id"));
    // Stripe sends no expires_in: the profile's one-hour lifetime applies.
    assert_eq!(connection.expires_at, Some(start_time() + Duration::from_secs(3600)));
    let shown = format!("{connection:?}");
    assert!(
        !shown.contains("rk_test_Access2") && !shown.contains("rt_Refresh2"),
        "{shown}"
    );

    // The exchange: Stripe authenticates with the platform secret key as a form field.
    let exchange = provider.state.token_requests();
    assert_eq!(exchange.len(), 1);
    assert_eq!(
        exchange[0].form,
        form(&[
            ("grant_type", "authorization_code"),
            ("code", code.expose()),
            ("redirect_uri", REDIRECT_URI),
            ("client_id", CLIENT_ID),
            ("client_secret", SECRET_KEY),
        ])
    );
    assert_eq!(exchange[0].authorization, None);
    assert_eq!(exchange[0].headers["accept"], "application/json");

    let stored = connector
        .connections()
        .get(&connector.key("platform", "default"))
        .await
        .unwrap();
    assert_eq!(stored.as_ref(), Some(&connection));

    // An authenticated request with the stored token and the connected account.
    let http = reqwest::Client::new();
    let grant = connector.access("platform", "default").await.unwrap();
    let resp = grant
        .apply(http.get(format!("{}/v1/customers", provider.base)))
        .unwrap()
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success());
    let api = provider.state.api_requests();
    assert_eq!(api[0].authorization.as_deref(), Some("Bearer rk_test_Access2"));
    assert_eq!(api[0].headers["stripe-account"], ACCOUNT);
    assert_eq!(provider.state.refreshes.load(Ordering::SeqCst), 0);

    // Just before the refresh margin nothing happens; inside it the token is refreshed.
    clock.advance(Duration::from_secs(3600 - 300 - 1));
    assert_eq!(
        connector
            .access("platform", "default")
            .await
            .unwrap()
            .access_token
            .expose(),
        "rk_test_Access2"
    );
    assert_eq!(provider.state.refreshes.load(Ordering::SeqCst), 0);
    clock.advance(Duration::from_secs(2));
    let grant = connector.access("platform", "default").await.unwrap();
    assert_eq!(grant.access_token.expose(), "rk_test_Access3");
    assert_eq!(provider.state.refreshes.load(Ordering::SeqCst), 1);
    let refresh = provider.state.token_requests().pop().unwrap();
    assert_eq!(
        refresh.form,
        form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", "rt_Refresh2"),
            ("client_id", CLIENT_ID),
            ("client_secret", SECRET_KEY),
        ])
    );
    let refreshed = connector
        .connections()
        .get(&connector.key("platform", "default"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        refreshed.refresh_token.as_ref().map(Secret::expose),
        Some("rt_Refresh3")
    );
    assert_eq!(refreshed.connected_at, start_time());
    assert_eq!(refreshed.refreshed_at, Some(clock_now(&clock)));
    assert_eq!(
        refreshed.expires_at,
        Some(clock_now(&clock) + Duration::from_secs(3600))
    );
    grant
        .apply(http.get(format!("{}/v1/customers", provider.base)))
        .unwrap()
        .send()
        .await
        .unwrap();
    assert_eq!(
        provider.state.api_requests()[1].authorization.as_deref(),
        Some("Bearer rk_test_Access3")
    );

    // Deauthorize: Stripe's POST /oauth/deauthorize with client_id and stripe_user_id, authenticated with
    // the platform key; the connection is gone afterwards.
    let removed = connector.revoke("platform", "default").await.unwrap();
    assert_eq!(removed.len(), 1);
    let deauth = provider.state.deauthorize_requests();
    assert_eq!(deauth.len(), 1);
    assert_eq!(
        deauth[0].form,
        form(&[("client_id", CLIENT_ID), ("stripe_user_id", ACCOUNT)])
    );
    assert_eq!(
        deauth[0].authorization,
        Some(format!("Basic {}", STANDARD.encode(format!("{SECRET_KEY}:"))))
    );
    assert!(matches!(
        connector.access("platform", "default").await,
        Err(RefreshError::NotConnected { .. })
    ));
}

fn clock_now(clock: &ManualClock) -> std::time::SystemTime {
    use spec_runtime::oauth::Clock;
    clock.now()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deauthorized_event_disconnects_every_connection_to_the_account() {
    let provider = Provider::start().await;
    let spec = stripe_spec(&provider.base, false);
    let clock = ManualClock::new(start_time());
    let connector = builder(&spec, &clock).build().unwrap();
    connect(&provider, &connector, "alpha", "default").await;
    connect(&provider, &connector, "beta", "billing").await;

    assert!(connector.is_deauthorization("account.application.deauthorized"));
    assert!(connector.is_deauthorization("stripe.account.application.deauthorized"));
    assert!(!connector.is_deauthorization("account.application.authorized"));
    assert!(!connector.is_deauthorization("github.account.application.deauthorized"));

    let none = connector.handle_event("customer.created", ACCOUNT).await.unwrap();
    assert!(none.is_empty());
    let none = connector
        .handle_event("account.application.deauthorized", "acct_other")
        .await
        .unwrap();
    assert!(none.is_empty());
    assert!(connector.access("alpha", "default").await.is_ok());

    let removed = connector
        .handle_event("stripe.account.application.deauthorized", ACCOUNT)
        .await
        .unwrap();
    let mut keys: Vec<String> = removed.iter().map(|c| c.key.to_string()).collect();
    keys.sort();
    assert_eq!(keys, ["stripe/alpha/default", "stripe/beta/billing"]);
    assert!(connector.access("alpha", "default").await.is_err());
    assert!(connector.access("beta", "billing").await.is_err());
    assert!(
        provider.state.deauthorize_requests().is_empty(),
        "an event needs no call to the provider"
    );
}

fn tamper(text: &str, at: usize) -> String {
    let mut bytes = text.as_bytes().to_vec();
    bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
    String::from_utf8(bytes).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn state_attacks_are_rejected_with_distinct_errors() {
    let provider = Provider::start().await;
    let spec = stripe_spec(&provider.base, false);
    let clock = ManualClock::new(start_time());
    let connector = builder(&spec, &clock).build().unwrap();

    let url = connector.connect("platform", "default").await.unwrap();
    let back = provider.authorize_in_browser(&url).await;
    let good = CallbackQuery::from_url(&back);
    let state = good.state.clone().unwrap();
    let (body, sig) = state.split_once('.').unwrap();
    let with_state = |s: String| CallbackQuery {
        state: Some(s),
        ..good.clone()
    };
    let state_err = |r: Result<_, CallbackError>| match r {
        Err(CallbackError::State(e)) => e,
        other => panic!("expected a state error, got {other:?}"),
    };

    // Tampered signature.
    let e = state_err(
        connector
            .callback("platform", &with_state(format!("{body}.{}", tamper(sig, 0))))
            .await,
    );
    assert_eq!(e, StateError::Tampered);
    // Tampered payload: another project or nonce re-encoded with the old signature.
    let mut payload: serde_json::Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(body).unwrap()).unwrap();
    payload["p"] = "victim".into();
    let forged = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&payload).unwrap());
    let e = state_err(
        connector
            .callback("victim", &with_state(format!("{forged}.{sig}")))
            .await,
    );
    assert_eq!(e, StateError::Tampered);
    let e = state_err(
        connector
            .callback("platform", &with_state(format!("{}.{sig}", tamper(body, 3))))
            .await,
    );
    assert_eq!(e, StateError::Tampered);
    // Not a state at all.
    for junk in ["", "no-dot", "a.b.c", "!!.??"] {
        let e = state_err(connector.callback("platform", &with_state(junk.to_string())).await);
        assert_eq!(e, StateError::Malformed, "{junk:?}");
    }
    assert!(matches!(
        connector.callback("platform", &CallbackQuery::default()).await,
        Err(CallbackError::MissingState)
    ));
    // Another project's state: refused without consuming the nonce.
    let e = state_err(connector.callback("intruder", &good).await);
    assert_eq!(
        e,
        StateError::OtherProject {
            project: "intruder".into(),
            issued_for: "platform".into()
        }
    );
    assert!(
        provider.state.token_requests().is_empty(),
        "no rejected state reaches the token endpoint"
    );

    // The genuine callback still works once; replaying it is refused before any token request.
    connector.callback("platform", &good).await.unwrap();
    assert_eq!(provider.state.token_requests().len(), 1);
    let e = state_err(connector.callback("platform", &good).await);
    assert_eq!(e, StateError::Replayed);
    assert_eq!(provider.state.token_requests().len(), 1);

    // Expired: the default ten minutes pass between connect and callback.
    let url = connector.connect("platform", "late").await.unwrap();
    let late = CallbackQuery::from_url(&provider.authorize_in_browser(&url).await);
    clock.advance(Duration::from_secs(601));
    let e = state_err(connector.callback("platform", &late).await);
    assert!(
        matches!(e, StateError::Expired { expired_at } if expired_at == 1_800_000_600),
        "{e:?}"
    );
    assert_eq!(provider.state.token_requests().len(), 1);

    // Each error reads differently.
    let messages: std::collections::BTreeSet<String> = [
        StateError::Malformed,
        StateError::Tampered,
        StateError::Expired { expired_at: 1 },
        StateError::Replayed,
        StateError::OtherProject {
            project: "a".into(),
            issued_for: "b".into(),
        },
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    assert_eq!(messages.len(), 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_authorization_is_reported_after_the_state_check() {
    let provider = Provider::start().await;
    let spec = stripe_spec(&provider.base, false);
    let clock = ManualClock::new(start_time());
    let connector = builder(&spec, &clock).build().unwrap();
    let url = connector.connect("platform", "default").await.unwrap();
    let state = query_map(&url)["state"].clone();
    let denied = CallbackQuery {
        state: Some(state),
        error: Some("access_denied".into()),
        error_description: Some("The user denied your request".into()),
        code: None,
    };
    match connector.callback("platform", &denied).await {
        Err(CallbackError::Denied { error, description }) => {
            assert_eq!(error, "access_denied");
            assert_eq!(description.as_deref(), Some("The user denied your request"));
        }
        other => panic!("{other:?}"),
    }
    assert!(provider.state.token_requests().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pkce_verifier_stays_server_side_and_goes_with_the_code() {
    let provider = Provider::start().await;
    let spec = stripe_spec(&provider.base, true);
    let clock = ManualClock::new(start_time());
    let connector = builder(&spec, &clock).build().unwrap();

    let url = connector.connect("platform", "default").await.unwrap();
    let q = query_map(&url);
    assert_eq!(q["code_challenge_method"], "S256");
    let challenge = q["code_challenge"].clone();
    assert_eq!(challenge.len(), 43);
    let state_json = URL_SAFE_NO_PAD.decode(q["state"].split_once('.').unwrap().0).unwrap();
    let state_json = String::from_utf8(state_json).unwrap();
    assert!(!state_json.contains("verifier"), "{state_json}");

    let back = provider.authorize_in_browser(&url).await;
    connector
        .callback("platform", &CallbackQuery::from_url(&back))
        .await
        .unwrap();
    let exchange = &provider.state.token_requests()[0];
    let verifier = &exchange.form["code_verifier"];
    assert_eq!(verifier.len(), 43);
    assert_eq!(
        URL_SAFE_NO_PAD.encode(<sha2::Sha256 as sha2::Digest>::digest(verifier.as_bytes())),
        challenge
    );
}

/// `n` callers asking for the `platform/default` connection's access token at the same moment.
async fn access_concurrently(connector: &OAuthConnector, n: usize) -> Vec<Result<AccessGrant, RefreshError>> {
    let barrier = Arc::new(tokio::sync::Barrier::new(n));
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let connector = connector.clone();
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                connector.access("platform", "default").await
            })
        })
        .collect();
    let mut results = Vec::with_capacity(n);
    for task in tasks {
        results.push(task.await.unwrap());
    }
    results
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_concurrent_callers_share_one_refresh() {
    let provider = Provider::start().await;
    *provider.state.refresh_delay.lock().unwrap() = Duration::from_millis(150);
    let spec = stripe_spec(&provider.base, false);
    let clock = ManualClock::new(start_time());
    let connector = builder(&spec, &clock).build().unwrap();
    connect(&provider, &connector, "platform", "default").await;
    clock.advance(Duration::from_secs(3600 - 60));

    let mut tokens = Vec::new();
    for result in access_concurrently(&connector, 20).await {
        tokens.push(result.unwrap().access_token.expose().to_string());
    }
    assert_eq!(provider.state.refreshes.load(Ordering::SeqCst), 1);
    assert!(tokens.iter().all(|t| t == "rk_test_Access3"), "{tokens:?}");
    // The refreshed token is fresh: no further refresh.
    connector.access("platform", "default").await.unwrap();
    assert_eq!(provider.state.refreshes.load(Ordering::SeqCst), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_failed_refresh_reaches_every_waiting_caller() {
    let provider = Provider::start().await;
    *provider.state.refresh_delay.lock().unwrap() = Duration::from_millis(150);
    provider.state.fail_refresh.store(true, Ordering::SeqCst);
    let spec = stripe_spec(&provider.base, false);
    let clock = ManualClock::new(start_time());
    let connector = builder(&spec, &clock).build().unwrap();
    connect(&provider, &connector, "platform", "default").await;
    clock.advance(Duration::from_secs(3600));

    for result in access_concurrently(&connector, 20).await {
        match result {
            Err(RefreshError::Token { source, key }) => {
                assert_eq!(source.oauth_error(), Some("invalid_grant"));
                assert_eq!(key.to_string(), "stripe/platform/default");
                let shown = RefreshError::Token { source, key }.to_string();
                assert!(shown.contains("invalid_grant"), "{shown}");
                assert!(
                    !shown.contains("rt_Refresh2"),
                    "the refresh token must be redacted: {shown}"
                );
                assert!(!shown.contains(SECRET_KEY), "{shown}");
            }
            other => panic!("expected the refresh failure, got {other:?}"),
        }
    }
    assert_eq!(provider.state.refreshes.load(Ordering::SeqCst), 1);

    // The next call tries again, and succeeds once the provider does.
    provider.state.fail_refresh.store(false, Ordering::SeqCst);
    let grant = connector.access("platform", "default").await.unwrap();
    assert_eq!(grant.access_token.expose(), "rk_test_Access3");
    assert_eq!(provider.state.refreshes.load(Ordering::SeqCst), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn basic_client_auth_and_expires_in_are_honoured() {
    let provider = Provider::start().await;
    *provider.state.expires_in.lock().unwrap() = Some(7200);
    let spec = stripe_spec(&provider.base, false);
    let clock = ManualClock::new(start_time());
    let connector = builder(&spec, &clock).client_auth(ClientAuth::Basic).build().unwrap();
    let connection = connect(&provider, &connector, "platform", "default").await;
    assert_eq!(connection.expires_at, Some(start_time() + Duration::from_secs(7200)));

    let exchange = &provider.state.token_requests()[0];
    assert_eq!(
        exchange.authorization,
        Some(format!(
            "Basic {}",
            STANDARD.encode(format!("{CLIENT_ID}:{SECRET_KEY}"))
        ))
    );
    assert!(!exchange.form.contains_key("client_secret"));
    assert!(!exchange.form.contains_key("client_id"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_endpoint_errors_are_typed_and_carry_no_secrets() {
    let provider = Provider::start().await;
    let spec = stripe_spec(&provider.base, false);
    let clock = ManualClock::new(start_time());
    let connector = builder(&spec, &clock).build().unwrap();
    let url = connector.connect("platform", "default").await.unwrap();
    let mut q = CallbackQuery::from_url(&provider.authorize_in_browser(&url).await);
    q.code = Some(Secret::new("ac_NeverIssued"));
    match connector.callback("platform", &q).await {
        Err(CallbackError::Token(e)) => {
            assert_eq!(e.oauth_error(), Some("invalid_grant"));
            assert!(!e.to_string().contains(SECRET_KEY));
        }
        other => panic!("{other:?}"),
    }
    assert!(
        connector
            .connections()
            .get(&connector.key("platform", "default"))
            .await
            .unwrap()
            .is_none()
    );
}

#[test]
fn connector_configuration_errors_name_what_is_missing() {
    let spec = stripe_spec("http://127.0.0.1:9", false);
    let mut partial = env();
    partial.remove("STRIPE_INTEGRATION_CLIENT_ID");
    match OAuthConnector::builder_from_env(&spec, &partial) {
        Err(ConnectorConfigError::Missing(m)) => {
            assert!(m.names("STRIPE_INTEGRATION_CLIENT_ID"));
            assert!(!m.names("STRIPE_INTEGRATION_SECRET_KEY"));
            assert!(m.to_string().contains("OAuth connect flow"), "{m}");
        }
        Err(other) => panic!("{other:?}"),
        Ok(_) => panic!("the client id is missing"),
    }

    let mut no_oauth = spec.clone();
    no_oauth
        .supported_auth_methods
        .retain(|m| m.kind() != spec_core::AuthKind::OAuth2);
    let err = OAuthConnector::builder_from_env(&no_oauth, &env())
        .unwrap()
        .build()
        .unwrap_err();
    assert_eq!(
        err,
        ConnectorConfigError::NoOAuthMethod {
            provider: "stripe".into()
        }
    );
}

fn action(spec: &spec_core::IntegrationSpec, id: &str) -> Action {
    spec.action(id).unwrap().clone()
}

#[test]
fn granted_scopes_must_cover_action_permissions() {
    let spec = stripe_spec("http://127.0.0.1:9", false);
    let list = action(&spec, "stripe.customer.list");
    let create = action(&spec, "stripe.customer.create");
    let refund = action(&spec, "stripe.refund.create");
    let grants = |g: &[&str]| g.iter().map(|s| s.to_string()).collect::<Vec<_>>();

    // read_write covers everything.
    for a in [&list, &create, &refund] {
        check_permissions(&spec, a, &grants(&["read_write"])).unwrap();
    }
    // read_only covers *_read only; the error names the missing permission.
    check_permissions(&spec, &list, &grants(&["read_only"])).unwrap();
    let e = check_permissions(&spec, &create, &grants(&["read_only"])).unwrap_err();
    assert_eq!(e.missing, ["customer_write"]);
    assert_eq!(e.permission(), "customer_write");
    assert!(e.to_string().contains("`customer_write`"), "{e}");
    assert!(e.to_string().contains("stripe.customer.create"), "{e}");
    let e = check_permissions(&spec, &refund, &grants(&["read_only"])).unwrap_err();
    assert_eq!(e.missing, ["charge_write"]);
    // Stripe Apps permissions granted one by one.
    check_permissions(&spec, &refund, &grants(&["charge_read", "charge_write"])).unwrap();
    let e = check_permissions(&spec, &refund, &grants(&["customer_read"])).unwrap_err();
    assert_eq!(e.missing, ["charge_read", "charge_write"]);
    // Nothing granted.
    assert!(check_permissions(&spec, &list, &[]).is_err());
    // Another provider's broad scope means nothing here, and Stripe's scopes mean nothing elsewhere.
    let mut github_list = list.clone();
    github_list.id = "github.customer.list".into();
    assert!(check_permissions(&spec, &github_list, &grants(&["read_write"])).is_err());
    check_permissions(&spec, &github_list, &grants(&["customer_read"])).unwrap();
}

/// The test spec's oauth2 method as JSON, to vary its declared facts.
fn with_oauth2(
    spec: &spec_core::IntegrationSpec,
    edit: impl FnOnce(&mut serde_json::Map<String, serde_json::Value>),
) -> spec_core::IntegrationSpec {
    let mut v = serde_json::to_value(spec).unwrap();
    let methods = v["supported_auth_methods"].as_array_mut().unwrap();
    let oauth = methods.iter_mut().find(|m| m["type"] == "oauth2").unwrap();
    edit(oauth.as_object_mut().unwrap());
    let spec: spec_core::IntegrationSpec = serde_json::from_value(v).unwrap();
    spec_core::validate(&spec).unwrap();
    spec
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spec_without_provider_facts_gets_plain_rfc_6749() {
    let provider = Provider::start().await;
    let spec = with_oauth2(&stripe_spec(&provider.base, false), |m| {
        for field in [
            "client_auth",
            "account_id_field",
            "livemode_field",
            "default_token_lifetime",
            "revocation",
            "deauthorized_event",
            "scope_implications",
        ] {
            m.remove(field);
        }
    });
    let clock = ManualClock::new(start_time());
    let connector = builder(&spec, &clock).build().unwrap();
    assert_eq!(connector.client_auth(), ClientAuth::Basic);
    let connection = connect(&provider, &connector, "platform", "default").await;

    // Basic client authentication, the RFC 6749 default.
    let exchange = &provider.state.token_requests()[0];
    assert_eq!(
        exchange.authorization,
        Some(format!(
            "Basic {}",
            STANDARD.encode(format!("{CLIENT_ID}:{SECRET_KEY}"))
        ))
    );
    assert!(!exchange.form.contains_key("client_secret"));
    // No account id or livemode field declared: both stay among the extras; no lifetime: no expiry.
    assert_eq!(connection.account_id, None);
    assert_eq!(connection.livemode, None);
    assert_eq!(connection.extras["stripe_user_id"], ACCOUNT);
    assert_eq!(connection.extras["livemode"], false);
    assert_eq!(connection.expires_at, None);
    // No deauthorized event, no scope implications.
    assert!(!connector.is_deauthorization("account.application.deauthorized"));
    let refund = action(&spec, "stripe.refund.create");
    assert!(
        connector
            .check_permissions(&refund, &["read_write".to_string()])
            .is_err()
    );
    assert!(check_permissions(&spec, &refund, &["read_write".to_string()]).is_err());
    // The account header still comes from the REST transport, but there is no account to name.
    let grant = connector.access("platform", "default").await.unwrap();
    assert_eq!(grant.account_header.as_deref(), Some("Stripe-Account"));
    assert!(!grant.headers().unwrap().contains_key("stripe-account"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn declared_account_header_and_facts_drive_the_grant() {
    let provider = Provider::start().await;
    let spec = stripe_spec(&provider.base, false);
    let clock = ManualClock::new(start_time());
    let connector = builder(&spec, &clock).build().unwrap();
    assert_eq!(connector.client_auth(), ClientAuth::RequestBody);
    connect(&provider, &connector, "platform", "default").await;
    let grant = connector.access("platform", "default").await.unwrap();
    assert_eq!(grant.account_header.as_deref(), Some("Stripe-Account"));
    assert_eq!(grant.headers().unwrap()["stripe-account"], ACCOUNT);

    // Without the transport's account_header no account header is sent.
    let mut v = serde_json::to_value(&spec).unwrap();
    v["transports"][0].as_object_mut().unwrap().remove("account_header");
    let bare: spec_core::IntegrationSpec = serde_json::from_value(v).unwrap();
    let connector = builder(&bare, &clock).build().unwrap();
    connect(&provider, &connector, "platform", "default").await;
    let grant = connector.access("platform", "default").await.unwrap();
    assert_eq!(grant.account_header, None);
    assert_eq!(grant.headers().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secret_as_basic_user_at_the_token_endpoint() {
    let provider = Provider::start().await;
    let spec = with_oauth2(&stripe_spec(&provider.base, false), |m| {
        m.insert("client_auth".into(), "secret_as_basic_user".into());
    });
    let clock = ManualClock::new(start_time());
    let connector = builder(&spec, &clock).build().unwrap();
    connect(&provider, &connector, "platform", "default").await;
    let exchange = &provider.state.token_requests()[0];
    assert_eq!(
        exchange.authorization,
        Some(format!("Basic {}", STANDARD.encode(format!("{SECRET_KEY}:"))))
    );
    assert_eq!(exchange.form.get("client_id").map(String::as_str), Some(CLIENT_ID));
    assert!(!exchange.form.contains_key("client_secret"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_and_non_oauth_token_responses_are_typed_errors() {
    let provider = Provider::start().await;
    provider.state.oversized.store(true, Ordering::SeqCst);
    let spec = stripe_spec(&provider.base, false);
    let clock = ManualClock::new(start_time());
    let connector = builder(&spec, &clock).build().unwrap();
    let url = connector.connect("platform", "default").await.unwrap();
    let q = CallbackQuery::from_url(&provider.authorize_in_browser(&url).await);
    match connector.callback("platform", &q).await {
        Err(CallbackError::Token(e @ spec_runtime::oauth::TokenError::ResponseTooLarge { .. })) => {
            assert_eq!(
                e,
                spec_runtime::oauth::TokenError::ResponseTooLarge {
                    endpoint: "token endpoint",
                    limit: spec_runtime::oauth::DEFAULT_MAX_TOKEN_RESPONSE_BYTES
                }
            );
            assert!(e.to_string().contains("larger than 65536 bytes"), "{e}");
        }
        other => panic!("{other:?}"),
    }
    // The limit is the connector's: raised past the padded response, the same answer is accepted; lowered
    // under an ordinary one, that is refused.
    let connector = builder(&spec, &clock).max_response_bytes(256 * 1024).build().unwrap();
    let url = connector.connect("platform", "default").await.unwrap();
    let q = CallbackQuery::from_url(&provider.authorize_in_browser(&url).await);
    connector.callback("platform", &q).await.unwrap();
    provider.state.oversized.store(false, Ordering::SeqCst);
    let connector = builder(&spec, &clock).max_response_bytes(64).build().unwrap();
    let url = connector.connect("platform", "small").await.unwrap();
    let q = CallbackQuery::from_url(&provider.authorize_in_browser(&url).await);
    assert!(matches!(
        connector.callback("platform", &q).await,
        Err(CallbackError::Token(
            spec_runtime::oauth::TokenError::ResponseTooLarge { limit: 64, .. }
        ))
    ));

    // A failure status without an OAuth error body keeps its status.
    let base = provider.base.clone();
    let spec = with_oauth2(&spec, |m| {
        m.insert("token_url".into(), format!("{base}/oauth/broken").into());
    });
    let connector = builder(&spec, &clock).build().unwrap();
    let url = connector.connect("platform", "default").await.unwrap();
    let q = CallbackQuery::from_url(&provider.authorize_in_browser(&url).await);
    match connector.callback("platform", &q).await {
        Err(CallbackError::Token(e)) => {
            assert_eq!(
                e,
                spec_runtime::oauth::TokenError::Status {
                    endpoint: "token endpoint",
                    status: 502
                }
            );
            assert_eq!(e.oauth_error(), None);
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rfc_7009_revocation_requires_https_and_keeps_the_connection() {
    let provider = Provider::start().await;
    let spec = with_oauth2(&stripe_spec(&provider.base, false), |m| {
        m.remove("revocation");
    });
    let clock = ManualClock::new(start_time());
    let connector = builder(&spec, &clock).build().unwrap();
    connect(&provider, &connector, "platform", "default").await;
    match connector.revoke("platform", "default").await {
        Err(spec_runtime::oauth::RevokeError::Configuration { key, reason }) => {
            assert_eq!(key.to_string(), "stripe/platform/default");
            assert!(reason.to_lowercase().contains("https"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    assert!(provider.state.deauthorize_requests().is_empty());
    assert!(connector.access("platform", "default").await.is_ok());
}

#[test]
fn an_account_deauthorization_without_account_param_does_not_build() {
    let spec = stripe_spec("http://127.0.0.1:9", false);
    let mut v = serde_json::to_value(&spec).unwrap();
    v["supported_auth_methods"][1]["revocation"]
        .as_object_mut()
        .unwrap()
        .remove("account_param");
    let broken: spec_core::IntegrationSpec = serde_json::from_value(v).unwrap();
    assert!(spec_core::validate(&broken).is_err());
    let err = OAuthConnector::builder_from_env(&broken, &env())
        .unwrap()
        .build()
        .unwrap_err();
    assert_eq!(err, ConnectorConfigError::IncompleteRevocation);
}
