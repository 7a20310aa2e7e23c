//! Server limits: a client that sends its request head too slowly is disconnected.

mod common;

use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

#[tokio::test]
async fn a_slow_request_head_is_cut_off() {
    let t = common::sqlite().await;
    let mut settings = common::settings();
    settings.header_read_timeout = Duration::from_millis(300);
    let h = common::serve_with(&t.store, settings).await;
    let addr = h.base.trim_start_matches("http://").to_string();
    let mut s = tokio::net::TcpStream::connect(&addr).await.unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), s.read_to_end(&mut buf)).await;
    assert!(read.is_ok(), "the connection stayed open past the header read timeout");
    let text = String::from_utf8_lossy(&buf);
    assert!(text.is_empty() || text.starts_with("HTTP/1.1 408"), "{text}");
    // A prompt client is served.
    let ok = h.http.get(format!("{}/healthz", h.base)).send().await.unwrap();
    assert_eq!(ok.status(), 200);
}
