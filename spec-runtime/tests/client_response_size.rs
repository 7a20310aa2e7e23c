//! Response bodies are read incrementally up to the client's size limit: an oversized response (declared
//! by `Content-Length` or only seen while streaming) ends the call with a typed error, unread.

mod client_common;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{Response, header};
use client_common::*;
use futures_util::StreamExt as _;
use serde_json::{Value, json};
use spec_runtime::client::{ClientError, DEFAULT_MAX_RESPONSE_SIZE};
use tokio::net::TcpListener;

const MIB: u64 = 1024 * 1024;
const CHUNK: usize = 64 * 1024;

/// A server answering `GET /v1/customers/{shape}`; counts the body bytes it hands to the connection.
struct Server {
    url: String,
    sent: Arc<AtomicU64>,
    requests: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[derive(Clone)]
struct Counters {
    sent: Arc<AtomicU64>,
    requests: Arc<AtomicU64>,
}

/// `total` bytes of JSON-ish padding in 64 KiB chunks, counted as the connection takes them.
fn streamed(total: u64, sent: Arc<AtomicU64>) -> Body {
    let chunks = total.div_ceil(CHUNK as u64);
    let stream = futures_util::stream::iter(0..chunks).map(move |i| {
        let len = (total - i * CHUNK as u64).min(CHUNK as u64);
        sent.fetch_add(len, Ordering::Relaxed);
        Ok::<_, std::io::Error>(Bytes::from(vec![b' '; len as usize]))
    });
    Body::from_stream(stream)
}

async fn handle(State(c): State<Counters>, Path(shape): Path<String>) -> Response<Body> {
    c.requests.fetch_add(1, Ordering::Relaxed);
    let json = |status: u16, body: Body| {
        Response::builder()
            .status(status)
            .header(header::CONTENT_TYPE, "application/json")
            .body(body)
            .unwrap()
    };
    match shape.as_str() {
        // 64 MiB, chunked: no Content-Length, the size shows only while reading.
        "stream_64mib" => json(200, streamed(64 * MIB, c.sent.clone())),
        // 64 MiB, declared up front.
        "declared_64mib" => {
            let mut r = json(200, streamed(64 * MIB, c.sent.clone()));
            r.headers_mut().insert(header::CONTENT_LENGTH, (64 * MIB).into());
            r
        }
        // A 503 with a 64 MiB body: not retried, whatever the status says.
        "error_64mib" => json(503, streamed(64 * MIB, c.sent.clone())),
        // `{"id": "…"}` padded with spaces to exactly n bytes.
        n => {
            let n: usize = n.parse().unwrap();
            let mut body = br#"{"id":"cus_1"}"#.to_vec();
            body.resize(n, b' ');
            json(200, Body::from(body))
        }
    }
}

async fn start() -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let counters = Counters {
        sent: Arc::new(AtomicU64::new(0)),
        requests: Arc::new(AtomicU64::new(0)),
    };
    let app = axum::Router::new()
        .route("/v1/customers/{shape}", axum::routing::get(handle))
        .with_state(counters.clone());
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Server {
        url,
        sent: counters.sent,
        requests: counters.requests,
        task,
    }
}

async fn get(client: &spec_runtime::client::RestClient, shape: &str) -> Result<Value, ClientError> {
    client.invoke("stripe.customer.get", json!({"customer": shape})).await
}

#[test]
fn an_oversized_streamed_response_stops_at_the_default_limit() {
    let spec = leak(stripe_spec_json());
    rt().block_on(async {
        let server = start().await;
        let client = builder(spec, &server.url).build().unwrap();
        let started = Instant::now();
        let err = get(&client, "stream_64mib").await.unwrap_err();
        let ClientError::ResponseTooLarge {
            status,
            limit,
            attempts,
            ..
        } = &err
        else {
            panic!("{err:?}")
        };
        assert_eq!((*status, *limit, *attempts), (200, DEFAULT_MAX_RESPONSE_SIZE, 1));
        assert_eq!(DEFAULT_MAX_RESPONSE_SIZE, 16 * MIB);
        assert_eq!(err.status(), Some(200));
        assert!(
            err.to_string().contains("larger than the limit of 16777216 bytes"),
            "{err}"
        );
        // Reading stopped soon after 16 MiB: the server never handed over the whole 64 MiB.
        let sent = server.sent.load(Ordering::Relaxed);
        assert!(sent < 48 * MIB, "the server sent {sent} bytes");
        assert_eq!(server.requests.load(Ordering::Relaxed), 1, "not retried");
        assert!(started.elapsed() < Duration::from_secs(20));
    });
}

#[test]
fn a_declared_oversized_response_is_refused_before_reading() {
    let spec = leak(stripe_spec_json());
    rt().block_on(async {
        let server = start().await;
        let client = builder(spec, &server.url).build().unwrap();
        let err = get(&client, "declared_64mib").await.unwrap_err();
        assert!(
            matches!(
                err,
                ClientError::ResponseTooLarge {
                    status: 200,
                    attempts: 1,
                    ..
                }
            ),
            "{err:?}"
        );
        let sent = server.sent.load(Ordering::Relaxed);
        assert!(sent < 16 * MIB, "the body was not read: the server sent {sent} bytes");

        // An error status with an oversized body is not retried either.
        let err = get(&client, "error_64mib").await.unwrap_err();
        assert!(
            matches!(
                err,
                ClientError::ResponseTooLarge {
                    status: 503,
                    attempts: 1,
                    ..
                }
            ),
            "{err:?}"
        );
        assert_eq!(server.requests.load(Ordering::Relaxed), 2);
    });
}

#[test]
fn the_limit_is_configurable_and_inclusive() {
    let spec = leak(stripe_spec_json());
    rt().block_on(async {
        let server = start().await;
        let client = builder(spec, &server.url).max_response_size(1024).build().unwrap();
        assert!(format!("{client:?}").contains("max_response_size: 1024"));
        let out = get(&client, "1024").await.unwrap();
        assert_eq!(out["id"], "cus_1");
        let err = get(&client, "1025").await.unwrap_err();
        assert!(
            matches!(err, ClientError::ResponseTooLarge { limit: 1024, .. }),
            "{err:?}"
        );
        // Streamed past a small limit: stops at once.
        let err = get(&client, "stream_64mib").await.unwrap_err();
        assert!(
            matches!(err, ClientError::ResponseTooLarge { limit: 1024, .. }),
            "{err:?}"
        );

        // A larger limit reads a 64 MiB response whole.
        let client = builder(spec, &server.url).max_response_size(64 * MIB).build().unwrap();
        // (64 MiB of spaces: an empty body, read as `null`.)
        assert_eq!(get(&client, "stream_64mib").await.unwrap(), Value::Null);
    });
}
