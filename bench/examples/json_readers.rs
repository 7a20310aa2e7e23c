//! serde_json against sonic-rs and simd-json (SIMD JSON readers with serde support) on the webhook bench bodies: the
//! validating skip of the whole body (what the canonical event's scan does), the typed `Invoice` from the
//! object's text (what the typed event does), and each library's own document tree. Best of interleaved
//! batches, so load on a shared machine hits both readers alike.
//!
//! `cargo run --release --example json_readers` (sonic-rs picks its SIMD code at compile time: without
//! `-C target-cpu=…` it runs its portable code, as a library built for any x86_64 does; simd-json detects the
//! CPU's features at run time). simd-json reads a mutable buffer: the copy of the body is part of its time.

#![allow(missing_docs)]

use std::hint::black_box;
use std::time::Instant;

use bench::webhook::{SIZES, delivery, reader};
use integrations::stripe::Invoice;
use serde::de::IgnoredAny;

/// Best time per call, in nanoseconds, of `rounds` batches of `batch` calls of `f`.
fn best(rounds: usize, batch: usize, f: &dyn Fn()) -> f64 {
    (0..rounds)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..batch {
                f();
            }
            start.elapsed().as_secs_f64() * 1e9 / batch as f64
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let rounds = 15;
    println!(
        "| size | skip: serde_json | skip: sonic-rs | skip: simd-json | typed Invoice: serde_json | typed Invoice: sonic-rs | typed Invoice: simd-json | tree: serde_json Value | tree: sonic-rs Value |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for &(label, size) in SIZES {
        let d = delivery(label, size);
        let body = std::str::from_utf8(&d.body).expect("UTF-8");
        let event = reader().canonical(&d.body, d.headers.as_slice()).expect("canonical");
        let object = event.data_json();
        // Both readers agree on the typed object.
        let a: Invoice = serde_json::from_str(object).expect("serde_json invoice");
        let b: Invoice = sonic_rs::from_str(object).expect("sonic-rs invoice");
        assert_eq!(
            serde_json::to_value(&a).expect("a"),
            serde_json::to_value(&b).expect("b")
        );
        let batch = (200_000 / size).max(2);
        let mut times = [0.0f64; 8];
        for _ in 0..3 {
            let t = [
                best(rounds, batch, &|| {
                    black_box(serde_json::from_str::<IgnoredAny>(black_box(body)).expect("JSON"));
                }),
                best(rounds, batch, &|| {
                    black_box(sonic_rs::from_str::<IgnoredAny>(black_box(body)).expect("JSON"));
                }),
                best(rounds, batch, &|| {
                    let mut copy = black_box(body).as_bytes().to_vec();
                    black_box(simd_json::serde::from_slice::<IgnoredAny>(&mut copy).expect("JSON"));
                }),
                best(rounds, batch, &|| {
                    black_box(serde_json::from_str::<Invoice>(black_box(object)).expect("invoice"));
                }),
                best(rounds, batch, &|| {
                    black_box(sonic_rs::from_str::<Invoice>(black_box(object)).expect("invoice"));
                }),
                best(rounds, batch, &|| {
                    let mut copy = black_box(object).as_bytes().to_vec();
                    black_box(simd_json::serde::from_slice::<Invoice>(&mut copy).expect("invoice"));
                }),
                best(rounds, batch, &|| {
                    black_box(serde_json::from_str::<serde_json::Value>(black_box(body)).expect("JSON"));
                }),
                best(rounds, batch, &|| {
                    black_box(sonic_rs::from_str::<sonic_rs::Value>(black_box(body)).expect("JSON"));
                }),
            ];
            for (m, x) in times.iter_mut().zip(t) {
                *m = if *m == 0.0 { x } else { m.min(x) };
            }
        }
        let us = |ns: f64| format!("{:.2} µs", ns / 1e3);
        let vs = |i: usize, base: usize| format!("{} ({:.2}×)", us(times[i]), times[i] / times[base]);
        println!(
            "| {label} | {} | {} | {} | {} | {} | {} | {} | {} |",
            us(times[0]),
            vs(1, 0),
            vs(2, 0),
            us(times[3]),
            vs(4, 3),
            vs(5, 3),
            us(times[6]),
            vs(7, 6),
        );
    }
}
