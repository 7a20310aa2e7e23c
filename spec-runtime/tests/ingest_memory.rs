//! Memory held by stalled bodies is returned once their connections are closed (alone in its binary, so
//! that the process's resident size is this test's).

mod ingest_common;

use std::sync::Arc;
use std::time::Duration;

use ingest_common::{PATH, read_until_closed, start, status};
use spec_runtime::ingest::ServeOptions;
use tokio::io::AsyncWriteExt as _;
use tokio::net::TcpStream;

const MIB: usize = 1024 * 1024;

fn rss_bytes() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    let kb: usize = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kb * 1024
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_stalled_1mb_bodies_are_closed_and_their_memory_returned() {
    let options = ServeOptions {
        body_read_timeout: Duration::from_secs(3),
        ..ServeOptions::default()
    };
    let (addr, server, mut rx) = start(options).await;
    // One shared buffer for every client: the clients add no memory per connection.
    let body = Arc::new(vec![b' '; MIB - 1024]);
    // Warm up the runtime and the allocator with one complete request.
    let mut warm = TcpStream::connect(addr).await.unwrap();
    warm.write_all(
        format!("POST {PATH} HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{{}}").as_bytes(),
    )
    .await
    .unwrap();
    read_until_closed(&mut warm, Duration::from_secs(5)).await;
    let baseline = rss_bytes();

    let mut clients = Vec::new();
    for _ in 0..200 {
        let body = body.clone();
        clients.push(tokio::spawn(async move {
            let mut c = TcpStream::connect(addr).await.unwrap();
            c.write_all(format!("POST {PATH} HTTP/1.1\r\nhost: x\r\ncontent-length: {MIB}\r\n\r\n").as_bytes())
                .await
                .unwrap();
            c.write_all(&body).await.unwrap();
            // Stalls: the last KiB never comes.
            read_until_closed(&mut c, Duration::from_secs(20)).await
        }));
    }
    // Midway through the stall: the bodies read so far are held.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let stalled = rss_bytes();
    let mut closed = 0;
    for c in clients {
        let (got, at) = c.await.unwrap();
        if at.is_some() {
            closed += 1;
        }
        assert_eq!(status(&got), Some(408), "{}", String::from_utf8_lossy(&got));
    }
    assert_eq!(closed, 200);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let after = rss_bytes();
    eprintln!(
        "VmRSS baseline {} MiB, stalled {} MiB, after close {} MiB",
        baseline / MIB,
        stalled / MIB,
        after / MIB
    );
    // Held while stalled: at most the 200 bodies (each bounded by the limit) and their copies.
    assert!(
        stalled < baseline + 3 * 200 * MIB,
        "stalled {stalled} vs baseline {baseline}"
    );
    // Returned after: near the baseline (the allocator keeps some slack).
    assert!(after < baseline + 64 * MIB, "after {after} vs baseline {baseline}");
    assert!(rx.try_recv().is_err());
    server.abort();
}
