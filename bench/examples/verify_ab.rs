//! Webhook verify vs raw HMAC-SHA256, interleaved: batches of `ours` and `raw` alternate and the fastest
//! batch of each is kept, so load changes on a shared machine hit both sides alike (criterion measures
//! one side after the other). `cargo run --release --example verify_ab [rounds]`; `ONLY=2k` picks a size,
//! `MODE=ours|raw` runs one side only (for profiling).

use std::hint::black_box;
use std::time::Instant;

use bench::webhook::{SECRET, SIZES, headers, invoice_paid, stripe_signature};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use spec_core::Secret;
use spec_runtime::webhook::{FixedClock, Verifier};

const NOW: i64 = 1_732_104_990;

fn main() {
    let v = Verifier::from_spec(integrations::stripe::spec(), &[Secret::new(SECRET)])
        .unwrap()
        .with_clock(FixedClock(NOW));
    let key = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    let rounds: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(400);
    let only = std::env::var("ONLY").unwrap_or_default();
    let mode = std::env::var("MODE").unwrap_or_default();
    for &(label, size) in SIZES {
        if !only.is_empty() && only != label {
            continue;
        }
        let body = invoice_paid(size);
        let sig = stripe_signature(&body, NOW - 3);
        let hs = headers(&sig);
        let (t, s) = sig.strip_prefix("t=").and_then(|h| h.split_once(",v1=")).unwrap();
        let s = hex::decode(s).unwrap();
        let iters = (200_000 / size).max(20);
        let mut best_ours = f64::MAX;
        let mut best_raw = f64::MAX;
        for _ in 0..rounds {
            let st = Instant::now();
            for _ in 0..if mode == "raw" { 0 } else { iters } {
                black_box(v.verify(black_box(hs.as_slice()), black_box(&body)).is_ok());
            }
            best_ours = best_ours.min(st.elapsed().as_secs_f64() / iters as f64);
            let st = Instant::now();
            for _ in 0..if mode == "ours" { 0 } else { iters } {
                let mut mac = key.clone();
                mac.update(black_box(t.as_bytes()));
                mac.update(b".");
                mac.update(black_box(&body));
                black_box(mac.verify_slice(black_box(&s)).is_ok());
            }
            best_raw = best_raw.min(st.elapsed().as_secs_f64() / iters as f64);
        }
        println!(
            "{label}: ours {:.3} µs raw {:.3} µs ratio {:.3} diff {:.0} ns",
            best_ours * 1e6,
            best_raw * 1e6,
            best_ours / best_raw,
            (best_ours - best_raw) * 1e9
        );
    }
}
