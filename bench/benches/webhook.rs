//! Webhook verification (Stripe scheme) against plain HMAC-SHA256, and verification + typed parse + canonical
//! event against parsing the JSON alone, on `invoice.paid` bodies of 1 KB to 256 KB.

#![allow(missing_docs)]

use std::hint::black_box;

use bench::webhook::{SECRET, SIZES, headers, invoice_paid, stripe_signature};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use hmac::{Hmac, Mac};
use integrations::stripe;
use serde_json::Value;
use sha2::Sha256;
use spec_core::Secret;
use spec_runtime::event::{CanonicalEvent, EventReader};
use spec_runtime::webhook::{FixedClock, Verifier};

const NOW: i64 = 1_732_104_990;

struct Input {
    label: &'static str,
    body: Vec<u8>,
    headers: Vec<(&'static str, String)>,
}

fn inputs() -> Vec<Input> {
    SIZES
        .iter()
        .map(|&(label, size)| {
            let body = invoice_paid(size);
            let sig = stripe_signature(&body, NOW - 3);
            Input {
                label,
                headers: headers(&sig),
                body,
            }
        })
        .collect()
}

fn verifier() -> Verifier {
    Verifier::from_spec(stripe::spec(), &[Secret::new(SECRET)])
        .expect("the Stripe spec has a webhook transport")
        .with_clock(FixedClock(NOW))
}

fn reader() -> EventReader {
    EventReader::from_spec(stripe::spec()).expect("the Stripe spec declares its event envelope")
}

/// The full path of an ingested delivery: verify, read the spec's envelope fields in one pass over the bytes
/// into the canonical event (which keeps the body text once), type `data.object` from its text.
fn ours_event(v: &Verifier, reader: &EventReader, input: &Input) -> (stripe::Event, CanonicalEvent) {
    v.verify(input.headers.as_slice(), &input.body).expect("authentic");
    reader
        .typed::<stripe::Event, _>(&input.body, input.headers.as_slice())
        .expect("typed invoice")
}

fn verify(c: &mut Criterion) {
    let v = verifier();
    let reader = reader();
    let inputs = inputs();
    let key = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).expect("any key length");
    let mut group = c.benchmark_group("webhook_verify");
    for input in &inputs {
        // Sanity: both sides accept the delivery, and the typed parse gives an invoice.
        v.verify(input.headers.as_slice(), &input.body).expect("authentic");
        let (typed, canonical) = ours_event(&v, &reader, input);
        assert!(matches!(typed, stripe::Event::InvoicePaid(_)));
        let raw: Value = serde_json::from_slice(&input.body).expect("JSON");
        assert_eq!(canonical, CanonicalEvent::from_stripe(raw.clone(), "stripe.").expect("canonical"));
        assert_eq!(canonical.data(), raw["data"]["object"]);
        let header = &input.headers[4].1;
        let (t, sig) = header
            .strip_prefix("t=")
            .and_then(|h| h.split_once(",v1="))
            .expect("t=…,v1=…");
        let sig = hex::decode(sig).expect("hex");
        group.throughput(Throughput::Bytes(input.body.len() as u64));
        group.bench_with_input(BenchmarkId::new("ours", input.label), input, |b, input| {
            b.iter(|| v.verify(black_box(input.headers.as_slice()), black_box(&input.body)))
        });
        // The floor: keyed HMAC state cloned per call over the same `{t}.{body}` bytes, constant-time compare
        // with the already-decoded signature.
        group.bench_with_input(BenchmarkId::new("raw_hmac", input.label), input, |b, input| {
            b.iter(|| {
                let mut mac = key.clone();
                mac.update(black_box(t.as_bytes()));
                mac.update(b".");
                mac.update(black_box(&input.body));
                mac.verify_slice(black_box(&sig)).is_ok()
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("webhook_event");
    for input in &inputs {
        group.throughput(Throughput::Bytes(input.body.len() as u64));
        group.bench_with_input(BenchmarkId::new("ours", input.label), input, |b, input| {
            b.iter(|| ours_event(&v, &reader, black_box(input)))
        });
        group.bench_with_input(BenchmarkId::new("serde_json", input.label), input, |b, input| {
            b.iter(|| serde_json::from_slice::<Value>(black_box(&input.body)).expect("JSON"))
        });
    }
    group.finish();

    // Where the time of the event path goes, at 2 KB (informational).
    let input = &inputs[1];
    let canonical = reader.canonical(&input.body, input.headers.as_slice()).expect("canonical");
    let object = canonical.data_json().to_string();
    let mut group = c.benchmark_group("webhook_event_parts");
    group.bench_function("verify/2k", |b| {
        b.iter(|| v.verify(black_box(input.headers.as_slice()), black_box(&input.body)))
    });
    group.bench_function("canonical/2k", |b| {
        b.iter(|| reader.canonical(black_box(&input.body), input.headers.as_slice()).expect("canonical"))
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
