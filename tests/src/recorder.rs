//! A recording HTTP server on 127.0.0.1 for the cases no emulator answers: every request is kept (method,
//! path, query, headers, body) for the test to assert exactly, and each is answered by a reply function of
//! the request and its number, with a `request-id: req_<number>` header. Stopped on drop.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Response};
use serde_json::Value;
use tokio::net::TcpListener;

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// The method (`POST`).
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The query string, if any.
    pub query: Option<String>,
    /// Every header.
    pub headers: HeaderMap,
    /// The body, as text.
    pub body: String,
}

impl Recorded {
    /// The value of header `name`, if present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body as JSON (`Value::Null` when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

type Log = Arc<Mutex<Vec<Recorded>>>;
type Reply = Arc<dyn Fn(&Recorded, usize) -> (u16, Value) + Send + Sync>;

/// How the server answers: the reply function and a delay before each answer.
#[derive(Clone)]
struct Answer {
    reply: Reply,
    delay: Duration,
}

/// The server; its requests are in [`Recorder::requests`].
pub struct Recorder {
    /// Its base URL (`http://127.0.0.1:<port>`).
    pub url: String,
    log: Log,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Recorder {
    /// A server answering every request `200` with `reply`.
    pub async fn start(reply: Value) -> Self {
        Self::answering(move |_, _| (200, reply.clone())).await
    }

    /// A server answering each request with the status and JSON body `reply` gives for it and its number
    /// (1 for the first request).
    pub async fn answering(reply: impl Fn(&Recorded, usize) -> (u16, Value) + Send + Sync + 'static) -> Self {
        Self::answering_after(Duration::ZERO, reply).await
    }

    /// As [`answering`](Self::answering), each answer sent `delay` after the request is recorded (so that
    /// concurrent calls overlap).
    pub async fn answering_after(
        delay: Duration,
        reply: impl Fn(&Recorded, usize) -> (u16, Value) + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1");
        let url = format!("http://{}", listener.local_addr().expect("local addr"));
        let log = Log::default();
        let answer = Answer {
            reply: Arc::new(reply),
            delay,
        };
        let app = axum::Router::new().fallback(record).with_state((log.clone(), answer));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { url, log, task }
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.log.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// The only request received.
    pub fn single(&self) -> Recorded {
        let log = self.requests();
        assert_eq!(log.len(), 1, "exactly one request: {log:?}");
        log[0].clone()
    }
}

async fn record(State((log, answer)): State<(Log, Answer)>, request: Request) -> Response<Body> {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, 1 << 20).await.unwrap_or_default();
    let recorded = Recorded {
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    let (n, (status, value)) = {
        let mut log = log.lock().unwrap_or_else(PoisonError::into_inner);
        let n = log.len() + 1;
        let reply = (answer.reply)(&recorded, n);
        log.push(recorded);
        (n, reply)
    };
    tokio::time::sleep(answer.delay).await;
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .header("request-id", format!("req_{n}"))
        .body(Body::from(value.to_string()))
        .unwrap_or_default()
}
