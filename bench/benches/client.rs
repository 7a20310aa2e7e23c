//! Per-call overhead of the REST client: a GET action against a loopback server, against raw reqwest sending the
//! same request (same headers) to the same server and decoding the same type.
//!
//! `CLIENT_BENCH_INTERLEAVED=<rounds>` runs the interleaved comparison instead of criterion: each round times a
//! batch of calls of every variant back to back (rotating their order), and the ratios to raw reqwest are taken
//! per round, so load changes on a shared machine hit both sides of each ratio alike. Besides wall time it
//! reports the client thread's CPU time (`/proc/thread-self/schedstat`), which excludes waiting for the server.

#![allow(missing_docs)]

use std::hint::black_box;
use std::time::Instant;

use bench::client::{Setup, Variant};
use criterion::{Criterion, criterion_group};

const VARIANTS: [(Variant, &str); 3] = [
    (Variant::Ours, "ours"),
    (Variant::OursRateLimited, "ours_rate_limited"),
    (Variant::Raw, "raw_reqwest"),
];

fn client(c: &mut Criterion) {
    let setup = Setup::new();
    let mut group = c.benchmark_group("client_get");
    for (variant, name) in VARIANTS {
        group.bench_function(name, |b| b.to_async(&setup.rt).iter(|| setup.call(variant)));
    }
    group.finish();
}

/// CPU time of the calling thread so far, in nanoseconds (Linux).
fn thread_cpu_ns() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// The interleaved comparison (see the module docs): `rounds` rounds of `BATCH` calls per variant.
fn interleaved(rounds: usize) {
    const BATCH: usize = 300;
    const WARMUP: usize = 2;
    let setup = Setup::new();
    let mut wall = [(); 3].map(|()| Vec::new());
    let mut cpu = [(); 3].map(|()| Vec::new());
    for round in 0..rounds + WARMUP {
        for k in 0..VARIANTS.len() {
            let i = (k + round) % VARIANTS.len();
            let variant = VARIANTS[i].0;
            let (start, cpu_start) = (Instant::now(), thread_cpu_ns());
            setup.rt.block_on(async {
                for _ in 0..BATCH {
                    black_box(setup.call(variant).await);
                }
            });
            let elapsed = start.elapsed().as_secs_f64() * 1e6 / BATCH as f64;
            let cpu_us = thread_cpu_ns()
                .zip(cpu_start)
                .map_or(f64::NAN, |(end, start)| (end - start) / 1e3 / BATCH as f64);
            if round >= WARMUP {
                wall[i].push(elapsed);
                cpu[i].push(cpu_us);
            }
        }
    }
    let raw = VARIANTS.len() - 1;
    println!("client_get interleaved: {rounds} rounds × {BATCH} calls per variant (medians)");
    println!("| variant | wall µs/call | ratio (per round) | client-thread CPU µs/call | ratio (per round) |");
    println!("|---|---|---|---|---|");
    for (i, (_, name)) in VARIANTS.iter().enumerate() {
        let ratio = |v: &[Vec<f64>]| median(v[i].iter().zip(&v[raw]).map(|(a, b)| a / b).collect());
        println!(
            "| {name} | {:.2} | {:.3}× | {:.2} | {:.3}× |",
            median(wall[i].clone()),
            ratio(&wall),
            median(cpu[i].clone()),
            ratio(&cpu)
        );
    }
}

criterion_group!(benches, client);

fn main() {
    match std::env::var("CLIENT_BENCH_INTERLEAVED") {
        Ok(rounds) => interleaved(rounds.parse().expect("CLIENT_BENCH_INTERLEAVED: a number of rounds")),
        Err(_) => {
            benches();
            Criterion::default().configure_from_args().final_summary();
        }
    }
}
