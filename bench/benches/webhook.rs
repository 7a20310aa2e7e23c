//! Webhook verification (Stripe scheme) against plain HMAC-SHA256, and verification + typed parse + canonical
//! event against parsing the JSON alone, on `invoice.paid` bodies of 1 KB to 256 KB.

#![allow(missing_docs)]

use std::hint::black_box;

use bench::webhook::{RawHmac, deliveries, full_event, reader, verifier};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use integrations::stripe;
use serde_json::Value;
use spec_runtime::event::CanonicalEvent;

fn verify(c: &mut Criterion) {
    let v = verifier();
    let reader = reader();
    let inputs = deliveries();
    let mut group = c.benchmark_group("webhook_verify");
    for input in &inputs {
        // Sanity: both sides accept the delivery, and the typed parse gives an invoice.
        v.verify(input.headers.as_slice(), &input.body).expect("authentic");
        let (typed, canonical) = full_event(&v, &reader, input);
        assert!(matches!(typed, stripe::Event::InvoicePaid(_)));
        let raw: Value = serde_json::from_slice(&input.body).expect("JSON");
        assert_eq!(
            canonical,
            CanonicalEvent::from_stripe(raw.clone(), "stripe.").expect("canonical")
        );
        assert_eq!(canonical.data(), raw["data"]["object"]);
        let raw_hmac = RawHmac::new(input);
        assert!(raw_hmac.verify(&input.body));
        group.throughput(Throughput::Bytes(input.body.len() as u64));
        group.bench_with_input(BenchmarkId::new("ours", input.label), input, |b, input| {
            b.iter(|| v.verify(black_box(input.headers.as_slice()), black_box(&input.body)))
        });
        // The floor: keyed HMAC state cloned per call over the same `{t}.{body}` bytes, constant-time compare
        // with the already-decoded signature.
        group.bench_with_input(BenchmarkId::new("raw_hmac", input.label), input, |b, input| {
            b.iter(|| raw_hmac.verify(black_box(&input.body)))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("webhook_event");
    for input in &inputs {
        group.throughput(Throughput::Bytes(input.body.len() as u64));
        group.bench_with_input(BenchmarkId::new("ours", input.label), input, |b, input| {
            b.iter(|| full_event(&v, &reader, black_box(input)))
        });
        group.bench_with_input(BenchmarkId::new("serde_json", input.label), input, |b, input| {
            b.iter(|| serde_json::from_slice::<Value>(black_box(&input.body)).expect("JSON"))
        });
    }
    group.finish();

    // Where the time of the event path goes, at 2 KB (informational).
    let input = &inputs[1];
    let canonical = reader
        .canonical(&input.body, input.headers.as_slice())
        .expect("canonical");
    let object = canonical.data_json().to_string();
    let mut group = c.benchmark_group("webhook_event_parts");
    group.bench_function("verify/2k", |b| {
        b.iter(|| v.verify(black_box(input.headers.as_slice()), black_box(&input.body)))
    });
    group.bench_function("canonical/2k", |b| {
        b.iter(|| {
            reader
                .canonical(black_box(&input.body), input.headers.as_slice())
                .expect("canonical")
        })
    });
    group.bench_function("typed_parse/2k", |b| {
        b.iter(|| stripe::Event::parse_json("invoice.paid", black_box(&object)).expect("typed"))
    });
    group.bench_function("skip_scan/2k", |b| {
        b.iter(|| serde_json::from_slice::<serde::de::IgnoredAny>(black_box(&input.body)).expect("JSON"))
    });
    group.finish();
}

criterion_group!(benches, verify);
criterion_main!(benches);
