//! `ingest::serve` against slow and stalled clients: partial headers, a declared body that stalls, an idle
//! keep-alive connection, and more clients than the connection cap.

mod ingest_common;

use std::time::{Duration, Instant};

use ingest_common::{PATH, read_until_closed, start, status};
use spec_runtime::ingest::ServeOptions;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

fn options(header: u64, body: u64, idle: u64, max: usize) -> ServeOptions {
    ServeOptions {
        header_read_timeout: Duration::from_millis(header),
        body_read_timeout: Duration::from_millis(body),
        idle_timeout: Duration::from_millis(idle),
        max_connections: max,
    }
}

#[test]
fn defaults_are_10s_30s_60s_and_1024_connections() {
    let o = ServeOptions::default();
    assert_eq!(
        (
            o.header_read_timeout,
            o.body_read_timeout,
            o.idle_timeout,
            o.max_connections
        ),
        (
            Duration::from_secs(10),
            Duration::from_secs(30),
            Duration::from_secs(60),
            1024
        )
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn partial_headers_are_cut_off_at_the_header_read_timeout() {
    let (addr, server, _rx) = start(options(300, 5_000, 5_000, 16)).await;
    let mut c = TcpStream::connect(addr).await.unwrap();
    c.write_all(format!("POST {PATH} HTTP/1.1\r\nhost: x\r\ncontent-le").as_bytes())
        .await
        .unwrap();
    let (_, closed) = read_until_closed(&mut c, Duration::from_secs(5)).await;
    let closed = closed.expect("the connection stays open");
    assert!(
        closed >= Duration::from_millis(250) && closed < Duration::from_secs(2),
        "{closed:?}"
    );
    server.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declared_body_that_stalls_is_408_and_closed_at_the_body_timeout() {
    let (addr, server, mut rx) = start(options(5_000, 400, 5_000, 16)).await;
    let mut c = TcpStream::connect(addr).await.unwrap();
    c.write_all(format!("POST {PATH} HTTP/1.1\r\nhost: x\r\ncontent-length: 1000\r\n\r\n{{\"id\":").as_bytes())
        .await
        .unwrap();
    let (got, closed) = read_until_closed(&mut c, Duration::from_secs(5)).await;
    let closed = closed.expect("the connection stays open");
    assert_eq!(status(&got), Some(408), "{}", String::from_utf8_lossy(&got));
    assert!(
        closed >= Duration::from_millis(350) && closed < Duration::from_secs(2),
        "{closed:?}"
    );
    assert!(rx.try_recv().is_err());
    server.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_keep_alive_connection_is_closed_at_the_idle_timeout() {
    // The header timeout is longer than the idle timeout, so the idle timeout is what closes it.
    let (addr, server, _rx) = start(options(5_000, 5_000, 400, 16)).await;
    let mut c = TcpStream::connect(addr).await.unwrap();
    c.write_all(format!("POST {PATH} HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\n\r\n{{}}").as_bytes())
        .await
        .unwrap();
    let mut first = [0u8; 12];
    c.read_exact(&mut first).await.unwrap();
    assert_eq!(
        status(&first),
        Some(400),
        "unsigned: {}",
        String::from_utf8_lossy(&first)
    );
    let start = Instant::now();
    let (_, closed) = read_until_closed(&mut c, Duration::from_secs(4)).await;
    assert!(closed.is_some(), "an idle connection stays open");
    let idle = start.elapsed();
    assert!(idle < Duration::from_secs(2), "{idle:?}");
    server.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_beyond_the_connection_cap_wait_for_a_free_slot() {
    let (addr, server, _rx) = start(options(600, 5_000, 5_000, 2)).await;
    // Two silent clients take both slots until the header timeout closes them.
    let mut held = Vec::new();
    for _ in 0..2 {
        held.push(TcpStream::connect(addr).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    let start = Instant::now();
    let mut third = TcpStream::connect(addr).await.unwrap();
    third
        .write_all(
            format!("POST {PATH} HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{{}}").as_bytes(),
        )
        .await
        .unwrap();
    let (got, closed) = read_until_closed(&mut third, Duration::from_secs(5)).await;
    assert!(closed.is_some());
    assert_eq!(status(&got), Some(400), "{}", String::from_utf8_lossy(&got));
    let waited = start.elapsed();
    assert!(
        waited >= Duration::from_millis(450),
        "served before a slot was free: {waited:?}"
    );
    for mut h in held {
        assert!(read_until_closed(&mut h, Duration::from_secs(1)).await.1.is_some());
    }
    server.abort();
}
