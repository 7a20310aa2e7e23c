//! A served ingest endpoint on a local port, and raw TCP clients for it.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use spec_core::{Secret, SignatureScheme};
use spec_runtime::ingest::{ConnectionId, Delivery, InMemoryResolver, ServeOptions, WebhookIngest, serve};
use spec_runtime::webhook::{Verifier, VerifierOptions};
use tokio::io::AsyncReadExt as _;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;

pub const PATH: &str = "/webhooks/stripe";

/// Serves an endpoint with `options`; the server stops when the returned handle is aborted.
pub async fn start(
    options: ServeOptions,
) -> (
    SocketAddr,
    tokio::task::JoinHandle<()>,
    mpsc::UnboundedReceiver<Delivery>,
) {
    let verifier = Verifier::new(
        VerifierOptions::for_scheme(SignatureScheme::Stripe),
        &[Secret::new("whsec_serve_test")],
    )
    .unwrap();
    let resolver = InMemoryResolver::new();
    resolver.insert("acct_1", ConnectionId::new("conn_1"));
    let (tx, rx) = mpsc::unbounded_channel();
    let router = WebhookIngest::new(verifier, "stripe.", resolver, tx).router(PATH);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    (addr, tokio::spawn(serve(listener, router, options)), rx)
}

/// Reads until the server closes the connection (or `limit` passes); what was read and when it closed.
pub async fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> (Vec<u8>, Option<Duration>) {
    let start = Instant::now();
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(limit.saturating_sub(start.elapsed()), stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return (got, Some(start.elapsed())),
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
            Err(_) => return (got, None),
        }
    }
}

/// The status of the first response in `bytes`.
pub fn status(bytes: &[u8]) -> Option<u16> {
    std::str::from_utf8(bytes.get(9..12)?).ok()?.parse().ok()
}
