//! A local OAuth authorization server with Stripe's token-response shape and a recording API endpoint,
//! on 127.0.0.1; plus the JSON test spec and connector set-up shared by the OAuth tests.

#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::json;
use sha2::{Digest, Sha256};
use spec_core::IntegrationSpec;
use spec_runtime::oauth::{ManualClock, OAuthConnector, OAuthConnectorBuilder};

pub const CLIENT_ID: &str = "ca_TestPlatform123";
pub const SECRET_KEY: &str = "sk_test_PlatformSecret0123456789";
pub const ACCOUNT: &str = "acct_1ConnectedTest";
pub const PUBLISHABLE: &str = "pk_test_Publishable0123";
pub const APP_BASE: &str = "https://api.example.test";
pub const REDIRECT_URI: &str = "https://api.example.test/v1/provider/stripe/callback";

/// One request the server received.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub path: String,
    pub form: BTreeMap<String, String>,
    pub authorization: Option<String>,
    pub headers: HeaderMap,
}

#[derive(Default)]
pub struct ServerState {
    pub authorize: Mutex<Vec<BTreeMap<String, String>>>,
    pub token: Mutex<Vec<Recorded>>,
    pub deauthorize: Mutex<Vec<Recorded>>,
    pub api: Mutex<Vec<Recorded>>,
    pub refreshes: AtomicUsize,
    pub fail_refresh: AtomicBool,
    /// Sent as `expires_in` when set (Stripe sends none).
    pub expires_in: Mutex<Option<u64>>,
    /// Pads token responses past the connector's response limit when set.
    pub oversized: AtomicBool,
    /// Every error answer echoes the whole request form (code, refresh token, client secret) when set.
    pub echo_form: AtomicBool,
    /// Fields merged into every token response (wrongly typed fields, extreme `expires_in`).
    pub extra: Mutex<serde_json::Map<String, serde_json::Value>>,
    /// Delay before answering a refresh, so concurrent callers overlap with it.
    pub refresh_delay: Mutex<Duration>,
    issued: AtomicUsize,
    /// Issued codes and their PKCE challenge.
    codes: Mutex<HashMap<String, Option<String>>>,
    /// Valid refresh tokens.
    refresh_tokens: Mutex<Vec<String>>,
}

impl ServerState {
    pub fn token_requests(&self) -> Vec<Recorded> {
        self.token.lock().unwrap().clone()
    }
    pub fn api_requests(&self) -> Vec<Recorded> {
        self.api.lock().unwrap().clone()
    }
    pub fn deauthorize_requests(&self) -> Vec<Recorded> {
        self.deauthorize.lock().unwrap().clone()
    }
}

/// The running server; stopped on drop.
pub struct Provider {
    pub base: String,
    pub state: Arc<ServerState>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for Provider {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    (status, Json(json!({"error": error, "error_description": description}))).into_response()
}

fn record(path: &str, headers: &HeaderMap, form: Vec<(String, String)>) -> Recorded {
    Recorded {
        path: path.to_string(),
        form: form.into_iter().collect(),
        authorization: headers
            .get(header::AUTHORIZATION)
            .map(|v| v.to_str().unwrap().to_string()),
        headers: headers.clone(),
    }
}

async fn authorize(State(s): State<Arc<ServerState>>, Query(q): Query<Vec<(String, String)>>) -> Response {
    let q: BTreeMap<String, String> = q.into_iter().collect();
    s.authorize.lock().unwrap().push(q.clone());
    if q.get("client_id").map(String::as_str) != Some(CLIENT_ID)
        || q.get("response_type").map(String::as_str) != Some("code")
    {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "bad client_id or response_type",
        );
    }
    let n = s.issued.fetch_add(1, Ordering::SeqCst) + 1;
    let code = format!("ac_Code{n}");
    s.codes
        .lock()
        .unwrap()
        .insert(code.clone(), q.get("code_challenge").cloned());
    let mut back = url::Url::parse(&q["redirect_uri"]).unwrap();
    back.query_pairs_mut()
        .append_pair("code", &code)
        .append_pair("state", &q["state"]);
    (StatusCode::FOUND, [(header::LOCATION, back.to_string())]).into_response()
}

fn client_authenticated(r: &Recorded) -> bool {
    let body = r.form.get("client_secret").map(String::as_str) == Some(SECRET_KEY);
    let basic = r
        .authorization
        .as_deref()
        .and_then(|a| a.strip_prefix("Basic "))
        .map(|b| String::from_utf8(base64::engine::general_purpose::STANDARD.decode(b).unwrap()).unwrap());
    // RFC 6749 Basic, or Stripe's `-u sk_…:` (the secret as Basic user) with the client id in the form.
    let secret_as_user = basic.as_deref() == Some(&format!("{SECRET_KEY}:"))
        && r.form.get("client_id").map(String::as_str) == Some(CLIENT_ID);
    body || secret_as_user || basic.as_deref() == Some(&format!("{CLIENT_ID}:{SECRET_KEY}"))
}

fn issue(s: &ServerState) -> serde_json::Value {
    let n = s.issued.fetch_add(1, Ordering::SeqCst) + 1;
    let refresh = format!("rt_Refresh{n}");
    s.refresh_tokens.lock().unwrap().push(refresh.clone());
    let mut body = json!({
        "access_token": format!("rk_test_Access{n}"),
        "refresh_token": refresh,
        "token_type": "bearer",
        "stripe_publishable_key": PUBLISHABLE,
        "stripe_user_id": ACCOUNT,
        "scope": "read_write",
        "livemode": false,
    });
    if let Some(e) = *s.expires_in.lock().unwrap() {
        body["expires_in"] = e.into();
    }
    for (k, v) in s.extra.lock().unwrap().iter() {
        body[k] = v.clone();
    }
    if s.oversized.load(Ordering::SeqCst) {
        body["padding"] = "x".repeat(100 * 1024).into();
    }
    body
}

async fn token(
    State(s): State<Arc<ServerState>>,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let r = record("/oauth/token", &headers, form);
    s.token.lock().unwrap().push(r.clone());
    let response = token_answer(&s, &r).await;
    if s.echo_form.load(Ordering::SeqCst) && !response.status().is_success() {
        let echoed = format!("{:?} {:?}", r.form, r.authorization);
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": {"code": "invalid_grant", "message": echoed.clone()}, "error_description": echoed})),
        )
            .into_response();
    }
    response
}

async fn token_answer(s: &ServerState, r: &Recorded) -> Response {
    if !client_authenticated(r) {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "unknown client");
    }
    match r.form.get("grant_type").map(String::as_str) {
        Some("authorization_code") => {
            let code = r.form.get("code").cloned().unwrap_or_default();
            let Some(challenge) = s.codes.lock().unwrap().remove(&code) else {
                return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", "unknown or used code");
            };
            if let Some(challenge) = challenge {
                let verifier = r.form.get("code_verifier").cloned().unwrap_or_default();
                if URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) != challenge {
                    return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", "PKCE verification failed");
                }
            }
            Json(issue(s)).into_response()
        }
        Some("refresh_token") => {
            s.refreshes.fetch_add(1, Ordering::SeqCst);
            let delay = *s.refresh_delay.lock().unwrap();
            tokio::time::sleep(delay).await;
            let presented = r.form.get("refresh_token").cloned().unwrap_or_default();
            if s.fail_refresh.load(Ordering::SeqCst) {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    &format!("Refresh token {presented} has been revoked"),
                );
            }
            let mut valid = s.refresh_tokens.lock().unwrap();
            let Some(i) = valid.iter().position(|t| *t == presented) else {
                return oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", "unknown refresh token");
            };
            valid.remove(i);
            drop(valid);
            Json(issue(s)).into_response()
        }
        _ => oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type", "grant"),
    }
}

async fn deauthorize(
    State(s): State<Arc<ServerState>>,
    headers: HeaderMap,
    Form(form): Form<Vec<(String, String)>>,
) -> Response {
    let r = record("/oauth/deauthorize", &headers, form);
    s.deauthorize.lock().unwrap().push(r.clone());
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{SECRET_KEY}:"))
    );
    if r.authorization.as_deref() != Some(expected.as_str()) {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "bad platform key");
    }
    Json(json!({"stripe_user_id": r.form.get("stripe_user_id")})).into_response()
}

async fn customers(State(s): State<Arc<ServerState>>, headers: HeaderMap) -> Response {
    s.api
        .lock()
        .unwrap()
        .push(record("/v1/customers", &headers, Vec::new()));
    Json(json!({"object": "list", "data": [], "has_more": false, "url": "/v1/customers"})).into_response()
}

impl Provider {
    pub async fn start() -> Provider {
        let state = Arc::new(ServerState::default());
        let app = Router::new()
            .route("/oauth/authorize", get(authorize))
            .route("/oauth/token", post(token))
            .route("/oauth/deauthorize", post(deauthorize))
            .route("/v1/customers", get(customers))
            .route(
                "/oauth/broken",
                post(|| async { (StatusCode::BAD_GATEWAY, "upstream down").into_response() }),
            )
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
                .unwrap();
        });
        Provider {
            base,
            state,
            stop: Some(stop),
        }
    }

    /// The browser: follows the authorization URL to the server, which redirects back to the redirect
    /// URI with code and state; returns that redirect.
    pub async fn authorize_in_browser(&self, authorization_url: &url::Url) -> url::Url {
        let browser = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let resp = browser.get(authorization_url.clone()).send().await.unwrap();
        assert_eq!(
            resp.status(),
            reqwest::StatusCode::FOUND,
            "authorize endpoint should redirect"
        );
        let location = resp.headers()[reqwest::header::LOCATION].to_str().unwrap();
        url::Url::parse(location).unwrap()
    }
}

/// A Stripe spec with its auth methods, pointing at the local server.
pub fn stripe_spec(base: &str, pkce: bool) -> IntegrationSpec {
    let object = |props: serde_json::Value| json!({"type": "object", "properties": props});
    let spec: IntegrationSpec = serde_json::from_value(json!({
        "meta": {"key": "payments.stripe", "version": "1.0.0", "category": "payments", "title": "Stripe",
                 "domain": "payments", "stability": "stable"},
        "supported_modes": ["managed", "byok"],
        "transports": [
            {"type": "rest", "base_url": base, "api_version_header": "Stripe-Version", "body": "form",
             "account_header": "Stripe-Account"},
            {"type": "webhook", "inbound": {"signature_header": "stripe-signature", "signing_algorithm": "hmac-sha256",
                                            "scheme": "stripe", "tolerance": 300}}
        ],
        "preferred_transport": "rest",
        "supported_auth_methods": [
            {"type": "api-key", "header_name": "Authorization", "prefix": "Bearer ",
             "key_prefixes": [{"prefix": "sk_live_", "kind": "secret", "mode": "live"},
                              {"prefix": "sk_test_", "kind": "secret", "mode": "test"},
                              {"prefix": "rk_live_", "kind": "restricted", "mode": "live"},
                              {"prefix": "rk_test_", "kind": "restricted", "mode": "test"}],
             "key_min_body": 8},
            {"type": "oauth2", "grant_type": "authorization_code",
             "authorization_url": format!("{base}/oauth/authorize"),
             "token_url": format!("{base}/oauth/token"),
             "revocation_url": format!("{base}/oauth/deauthorize"),
             "scopes": ["read_write"], "pkce": pkce,
             "client_auth": "request_body", "account_id_field": "stripe_user_id", "livemode_field": "livemode",
             "default_token_lifetime": 3600,
             "revocation": {"style": "account_deauthorize", "account_param": "stripe_user_id",
                            "client_auth": "secret_as_basic_user"},
             "deauthorized_event": "account.application.deauthorized",
             "scope_implications": [{"scope": "read_write", "covers": "all"},
                                    {"scope": "read_only", "covers": {"suffix": "_read"}}]},
            {"type": "webhook-signing", "algorithm": "hmac-sha256", "signature_header": "stripe-signature"}
        ],
        "config": {"type_name": "StripeConfig"},
        "secrets": {"type_name": "StripeSecrets"},
        "actions": [
            {"id": "stripe.customer.list", "method_name": "customer_list", "method": "GET", "path": "/v1/customers",
             "input": {"type_name": "CustomerListParams", "schema": object(json!({"limit": {"type": "integer"}}))},
             "output": {"type_name": "CustomerList"}, "paginated": true, "permissions": ["customer_read"]},
            {"id": "stripe.customer.create", "method_name": "customer_create", "method": "POST", "path": "/v1/customers",
             "input": {"type_name": "CustomerCreate", "schema": object(json!({"email": {"type": "string"}}))},
             "output": {"type_name": "Customer"}, "mutates": true, "permissions": ["customer_write"]},
            {"id": "stripe.refund.create", "method_name": "refund_create", "method": "POST", "path": "/v1/refunds",
             "input": {"type_name": "RefundCreate", "schema": object(json!({"payment_intent": {"type": "string"}}))},
             "output": {"type_name": "Refund"}, "mutates": true, "high_impact": true,
             "permissions": ["charge_read", "charge_write"]}
        ]
    }))
    .unwrap();
    spec_core::validate(&spec).unwrap();
    spec
}

/// Deployment variables as the reference connector documents them; the signing secret is left empty
/// so state is signed with the secret key.
pub fn env() -> HashMap<String, String> {
    HashMap::from([
        ("STRIPE_INTEGRATION_CLIENT_ID".into(), CLIENT_ID.into()),
        ("STRIPE_INTEGRATION_SECRET_KEY".into(), SECRET_KEY.into()),
        ("STRIPE_INTEGRATION_SIGNING_SECRET".into(), String::new()),
        ("API_BASE_URL".into(), APP_BASE.into()),
    ])
}

pub fn start_time() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000)
}

/// A connector for the spec built from the environment, with a manual clock.
pub fn builder(spec: &IntegrationSpec, clock: &ManualClock) -> OAuthConnectorBuilder {
    OAuthConnector::builder_from_env(spec, &env())
        .unwrap()
        .clock(Arc::new(clock.clone()))
}

/// Connects `project`/`name` through the whole browser round trip.
pub async fn connect(
    provider: &Provider,
    connector: &OAuthConnector,
    project: &str,
    name: &str,
) -> spec_runtime::oauth::Connection {
    let url = connector.connect(project, name).await.unwrap();
    let back = provider.authorize_in_browser(&url).await;
    connector
        .callback(project, &spec_runtime::oauth::CallbackQuery::from_url(&back))
        .await
        .unwrap()
}
