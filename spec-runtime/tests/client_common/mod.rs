//! Shared by the `client_*` tests: a JSON test spec declaring Stripe's real actions, a local recording
//! server on 127.0.0.1, log capture and a runtime.
#![allow(dead_code)]

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Response};
use serde_json::{Value, json};
use spec_core::IntegrationSpec;
use spec_runtime::client::{ClientBuilder, Credential, RestClient, RetryPolicy};
use tokio::io::AsyncReadExt;
use tokio::net::{TcpListener, TcpStream};

pub const KEY: &str = "sk_test_12345";

/// Stripe as a JSON spec: REST transport with every runtime field set, and Stripe's real endpoints.
pub fn stripe_spec_json() -> Value {
    let string = json!({"type": "string"});
    let metadata = json!({"type": "object", "additionalProperties": {"type": "string"}});
    let line_items = json!({"type": "array", "items": {"type": "object", "required": ["price", "quantity"],
        "properties": {"price": {"type": "string"}, "quantity": {"type": "integer", "minimum": 1}}}});
    let object = |props: Value, required: Value| json!({"type": "object", "properties": props, "required": required});
    let any_out = json!({"type_name": "Object", "schema": {"type": "object"}});
    json!({
        "meta": {"key": "payments.stripe", "version": "1.0.0", "category": "payments", "title": "Stripe Payments",
                 "domain": "payments", "stability": "stable"},
        "supported_modes": ["managed", "byok"],
        "transports": [{
            "type": "rest", "base_url": "https://api.stripe.com", "api_version_header": "Stripe-Version",
            "body": "form", "default_headers": {"Accept": "application/json"}, "account_header": "Stripe-Account", "idempotency_header": "Idempotency-Key",
            "should_retry_header": "Stripe-Should-Retry", "error_pointer": "/error",
            "pagination": {"style": "starting_after", "limit_param": "limit", "cursor_param": "starting_after",
                           "items_field": "data", "has_more_field": "has_more"}
        }],
        "preferred_transport": "rest",
        "supported_auth_methods": [
            {"type": "api-key", "header_name": "Authorization", "prefix": "Bearer "},
            {"type": "oauth2", "grant_type": "authorization_code",
             "authorization_url": "https://connect.stripe.com/oauth/authorize",
             "token_url": "https://connect.stripe.com/oauth/token", "scopes": ["read_write"]}
        ],
        "version_policy": {"current_version": "2024-11-20.acacia", "version_header": "Stripe-Version",
                           "supported_versions": [
                               {"version": "2024-11-20.acacia", "status": "stable"},
                               {"version": "2023-10-16", "status": "deprecated"},
                               {"version": "2020-08-27", "status": "sunset"}]},
        "config": {"type_name": "StripeConfig"},
        "secrets": {"type_name": "StripeSecrets"},
        "health_check": {"method": "ping", "timeout_ms": 5000},
        "constraints": {"rate_limit": {"rpm": 1000, "rph": 20000}},
        "actions": [
            {"id": "stripe.price.create", "method_name": "price_create", "method": "POST", "path": "/v1/prices",
             "mutates": true,
             "input": {"type_name": "PriceCreate", "schema": object(json!({"unit_amount": {"type": "integer"},
                 "currency": string, "product": string,
                 "recurring": {"type": "object", "properties": {"interval": string}}}), json!(["currency"]))},
             "output": any_out},
            {"id": "stripe.checkout_session.create", "method_name": "checkout_session_create", "method": "POST",
             "path": "/v1/checkout/sessions", "mutates": true,
             "input": {"type_name": "CheckoutSessionCreate", "schema": object(json!({"line_items": line_items,
                 "mode": string, "success_url": string}), json!(["mode"]))},
             "output": any_out},
            {"id": "stripe.payment_link.create", "method_name": "payment_link_create", "method": "POST",
             "path": "/v1/payment_links", "mutates": true,
             "input": {"type_name": "PaymentLinkCreate", "schema": object(json!({"line_items": line_items}),
                 json!(["line_items"]))},
             "output": any_out},
            {"id": "stripe.customer.list", "method_name": "customer_list", "method": "GET", "path": "/v1/customers",
             "paginated": true,
             "input": {"type_name": "CustomerList", "schema": object(json!({"limit": {"type": "integer"},
                 "starting_after": string, "email": string}), json!([]))},
             "output": any_out},
            {"id": "stripe.customer.get", "method_name": "customer_get", "method": "GET",
             "path": "/v1/customers/{customer}",
             "input": {"type_name": "CustomerGet", "schema": object(json!({"customer": string,
                 "expand": {"type": "array", "items": string}}), json!(["customer"]))},
             "output": any_out},
            {"id": "stripe.customer.create", "method_name": "customer_create", "method": "POST",
             "path": "/v1/customers", "mutates": true,
             "input": {"type_name": "CustomerCreate", "schema": {"type": "object", "additionalProperties": false,
                 "properties": {"email": string, "name": string, "description": string, "metadata": metadata}}},
             "output": any_out},
            {"id": "stripe.customer.update", "method_name": "customer_update", "method": "POST",
             "path": "/v1/customers/{customer}", "mutates": true,
             "input": {"type_name": "CustomerUpdate", "schema": object(json!({"customer": string, "email": string,
                 "name": string, "metadata": metadata}), json!(["customer"]))},
             "output": any_out}
        ]
    })
}

/// Deserializes, validates and leaks a spec.
pub fn leak(v: Value) -> &'static IntegrationSpec {
    let spec: IntegrationSpec = serde_json::from_value(v).expect("the test spec deserializes");
    if let Err(errors) = spec_core::validate(&spec) {
        panic!("the test spec is invalid: {errors:?}");
    }
    Box::leak(Box::new(spec))
}

/// The REST transport object of a spec JSON, to adjust in a variant.
pub fn rest_mut(v: &mut Value) -> &mut serde_json::Map<String, Value> {
    v["transports"][0].as_object_mut().expect("rest transport")
}

/// A fast retry policy: up to 2 retries, 1–5 ms backoff.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_retries: 2,
        min_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
        max_retry_after: Duration::from_secs(2),
    }
}

/// A builder pointed at `url`, with the test key and fast retries.
pub fn builder(spec: &'static IntegrationSpec, url: &str) -> ClientBuilder {
    RestClient::builder(spec)
        .base_url(url)
        .credential(Credential::api_key(KEY))
        .retry_policy(fast_retries())
        .attempt_timeout(Duration::from_secs(10))
        .total_timeout(Duration::from_secs(30))
}

/// A single-threaded runtime (so a thread-local log subscriber sees the client's events).
pub fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: String,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Raw `key=value` pairs of the body, sorted.
    pub fn raw_pairs(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .body
            .split('&')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        v.sort();
        v
    }

    /// Decoded `(key, value)` pairs of the body, sorted.
    pub fn form(&self) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = url::form_urlencoded::parse(self.body.as_bytes()).into_owned().collect();
        v.sort();
        v
    }
}

/// What the server answers.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub delay: Duration,
}

impl Reply {
    pub fn json(status: u16, body: Value) -> Self {
        Self {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string(),
            delay: Duration::ZERO,
        }
    }

    pub fn ok() -> Self {
        Self::json(200, json!({"id": "obj_1", "object": "thing"}))
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn delay(mut self, d: Duration) -> Self {
        self.delay = d;
        self
    }
}

type Responder = Arc<dyn Fn(usize, &Recorded) -> Reply + Send + Sync>;

#[derive(Clone)]
struct AppState {
    log: Arc<Mutex<Vec<Recorded>>>,
    responder: Responder,
    base: String,
}

/// A local HTTP server on 127.0.0.1 that records every request and answers as told; stopped on drop.
pub struct Recorder {
    pub url: String,
    pub log: Arc<Mutex<Vec<Recorded>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Recorder {
    /// Starts a server answering request `i` (0-based) with `responder(i, request)`.
    pub async fn start(responder: impl Fn(usize, &Recorded) -> Reply + Send + Sync + 'static) -> Self {
        Self::start_with_resets(0, responder).await
    }

    /// Like [`start`], but the first `resets` connections are reset (RST) after their request head is
    /// read and recorded.
    pub async fn start_with_resets(
        resets: usize,
        responder: impl Fn(usize, &Recorded) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local addr");
        let url = format!("http://{addr}");
        let log = Arc::new(Mutex::new(Vec::new()));
        let state = AppState {
            log: log.clone(),
            responder: Arc::new(responder),
            base: url.clone(),
        };
        let app = axum::Router::new().fallback(handle).with_state(state);
        let listener = Resetting {
            inner: listener,
            resets,
            log: log.clone(),
        };
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { url, log, task }
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.log.lock().expect("log").clone()
    }
}

async fn handle(State(state): State<AppState>, request: Request) -> Response<Body> {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, 1 << 20).await.unwrap_or_default();
    let recorded = Recorded {
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    let index = {
        let mut log = state.log.lock().expect("log");
        log.push(recorded.clone());
        log.len() - 1
    };
    // `{BASE}` in a reply's body or headers stands for the server's own URL.
    let mut reply = (state.responder)(index, &recorded);
    reply.body = reply.body.replace("{BASE}", &state.base);
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let mut response = Response::builder().status(reply.status);
    for (k, v) in &reply.headers {
        response = response.header(k.as_str(), v.replace("{BASE}", &state.base));
    }
    response.body(Body::from(reply.body)).expect("response")
}

/// A listener that resets its first `resets` connections after reading (and recording) the request head.
struct Resetting {
    inner: TcpListener,
    resets: usize,
    log: Arc<Mutex<Vec<Recorded>>>,
}

impl axum::serve::Listener for Resetting {
    type Io = TcpStream;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let Ok((mut stream, addr)) = self.inner.accept().await else {
                continue;
            };
            if self.resets == 0 {
                return (stream, addr);
            }
            self.resets -= 1;
            let mut head = Vec::new();
            let mut buf = [0u8; 4096];
            while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                match tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buf)).await {
                    Ok(Ok(n)) if n > 0 => head.extend_from_slice(&buf[..n]),
                    _ => break,
                }
            }
            self.log.lock().expect("log").push(parse_head(&head));
            let _ = stream.set_zero_linger();
            drop(stream);
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}

fn parse_head(head: &[u8]) -> Recorded {
    let text = String::from_utf8_lossy(head);
    let mut lines = text.split("\r\n");
    let mut first = lines.next().unwrap_or_default().split(' ');
    let method = first.next().unwrap_or_default().to_string();
    let target = first.next().unwrap_or_default();
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_string(), Some(q.to_string())),
        None => (target.to_string(), None),
    };
    let mut headers = HeaderMap::new();
    for line in lines.take_while(|l| !l.is_empty()) {
        if let Some((k, v)) = line.split_once(':')
            && let (Ok(k), Ok(v)) = (
                axum::http::HeaderName::from_bytes(k.trim().as_bytes()),
                axum::http::HeaderValue::from_str(v.trim()),
            )
        {
            headers.append(k, v);
        }
    }
    Recorded {
        method,
        path,
        query,
        headers,
        body: String::new(),
    }
}

/// Captured log output (every level, no colours).
#[derive(Clone, Default)]
pub struct Logs(Arc<Mutex<Vec<u8>>>);

impl Logs {
    /// Installs a subscriber writing here for the current thread, until the guard drops.
    pub fn capture(&self) -> tracing::subscriber::DefaultGuard {
        let sink = self.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            // Plain text whatever features another crate of the build turns on (colour codes would split
            // `field=value`).
            .with_ansi(false)
            .with_writer(move || sink.clone())
            .finish();
        tracing::subscriber::set_default(subscriber)
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("logs")).into_owned()
    }
}

impl Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("logs").extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Whether `s` looks like a UUID v4 (`8-4-4-4-12` hex, version nibble 4).
pub fn is_uuid_v4(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && s.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
        && parts[2].starts_with('4')
}
