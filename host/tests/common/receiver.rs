//! A local webhook receiver for delivery tests: records every request (headers, body, time) and answers as
//! its behaviour says (a status, `Retry-After`, never, or a connection reset).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

/// How the receiver answers a request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// This status, empty body.
    Status(u16),
    /// 429 with this `Retry-After` value.
    TooMany(String),
    /// Never answers.
    Hang,
    /// This status with a body of this many `x`.
    Big(u16, usize),
}

/// A recorded request.
#[derive(Debug, Clone)]
pub struct Hit {
    /// Lower-case header names and values.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// When it arrived.
    pub at: Instant,
}

impl Hit {
    /// Header `name`.
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

type Behaviour = Arc<dyn Fn(usize) -> Reply + Send + Sync>;

struct Inner {
    hits: Mutex<Vec<Hit>>,
    behaviour: Behaviour,
}

/// A running receiver.
#[derive(Clone)]
pub struct Receiver {
    /// Its URL.
    pub url: String,
    inner: Arc<Inner>,
}

async fn handle(State(inner): State<Arc<Inner>>, headers: HeaderMap, body: Bytes) -> Response {
    let n = {
        let mut hits = inner.hits.lock().unwrap();
        hits.push(Hit {
            headers: headers
                .iter()
                .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
                .collect(),
            body: body.to_vec(),
            at: Instant::now(),
        });
        hits.len() - 1
    };
    match (inner.behaviour)(n) {
        Reply::Status(s) => (StatusCode::from_u16(s).unwrap(), "receiver says so").into_response(),
        Reply::TooMany(after) => (StatusCode::TOO_MANY_REQUESTS, [("retry-after", after)], "slow down").into_response(),
        Reply::Big(s, n) => (StatusCode::from_u16(s).unwrap(), "x".repeat(n)).into_response(),
        Reply::Hang => {
            std::future::pending::<()>().await;
            StatusCode::OK.into_response()
        }
    }
}

impl Receiver {
    /// A receiver answering request `n` (from 0) with `behaviour(n)`.
    pub async fn start(behaviour: impl Fn(usize) -> Reply + Send + Sync + 'static) -> Self {
        let inner = Arc::new(Inner {
            hits: Mutex::default(),
            behaviour: Arc::new(behaviour),
        });
        let app = axum::Router::new().fallback(handle).with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { url, inner }
    }

    /// A receiver answering every request with 200.
    pub async fn ok() -> Self {
        Self::start(|_| Reply::Status(200)).await
    }

    /// The requests so far.
    pub fn hits(&self) -> Vec<Hit> {
        self.inner.hits.lock().unwrap().clone()
    }

    /// Waits until at least `n` requests arrived (panics after `within`).
    pub async fn wait_for(&self, n: usize, within: Duration) -> Vec<Hit> {
        let deadline = Instant::now() + within;
        loop {
            let hits = self.hits();
            if hits.len() >= n {
                return hits;
            }
            assert!(
                Instant::now() < deadline,
                "{} of {n} requests arrived within {within:?}",
                hits.len()
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

/// A listener that accepts connections and resets them (closes with the request unread), counting them.
pub async fn resetting() -> (String, Arc<std::sync::atomic::AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let count = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let c = count.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            c.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            tokio::spawn(async move {
                // Unread data in the receive buffer makes the close a reset.
                tokio::time::sleep(Duration::from_millis(20)).await;
                drop(stream);
            });
        }
    });
    (url, count)
}
