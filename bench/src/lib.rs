//! Shared helpers for the benchmarks.

use std::path::PathBuf;

pub mod client;

/// The product workspace root.
pub fn root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.parent().map(PathBuf::from).unwrap_or(here)
}

/// The body of the first `define_integration! { … }` in `file` (relative to the workspace root).
pub fn declaration_body(file: &str) -> String {
    let text = std::fs::read_to_string(root().join(file)).unwrap_or_else(|e| panic!("read {file}: {e}"));
    let start = text.find("define_integration! {").expect("a declaration") + "define_integration! {".len();
    let mut depth = 1usize;
    let mut end = start;
    for (i, c) in text[start..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    end = start + i;
                    break;
                }
            }
            _ => {}
        }
    }
    text[start..end].to_string()
}

/// Webhook inputs shared by the Rust benches and the stripe-node / stripe-python timing scripts.
pub mod webhook {
    use hmac::{Hmac, Mac};
    use serde_json::{Map, Value, json};
    use sha2::Sha256;

    /// The signing secret of every benchmark delivery.
    pub const SECRET: &str = "whsec_bench_5f3c1d2e9a8b7c6d";
    /// Body sizes benchmarked, with their labels.
    pub const SIZES: &[(&str, usize)] = &[("1k", 1024), ("2k", 2048), ("16k", 16 * 1024), ("256k", 256 * 1024)];

    /// Invoice fields always kept when a body is shrunk (besides those the typed `Invoice` requires).
    const REQUIRED: &[&str] = &["id", "object", "customer", "lines", "metadata", "status"];

    fn fixture() -> Value {
        let path = super::root().join("integrations/tests/fixtures/event_invoice_paid.json");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        serde_json::from_str(&text).expect("fixture is JSON")
    }

    fn typed_ok(event: &Value) -> bool {
        matches!(
            integrations::stripe::Event::parse("invoice.paid", event["data"]["object"].clone()),
            Ok(integrations::stripe::Event::InvoicePaid(_))
        )
    }

    /// Pretty-printed as Stripe sends it: two-space indentation, and in every object `id` and `object` first,
    /// then the other members in alphabetical order (serde_json's map sorts them all, which would put
    /// `lines` before `object` in an invoice).
    fn pretty(v: &Value) -> Vec<u8> {
        fn write(v: &Value, depth: usize, out: &mut String) {
            let indent = |out: &mut String, depth: usize| out.extend(std::iter::repeat_n("  ", depth));
            match v {
                Value::Object(map) if !map.is_empty() => {
                    let first = ["id", "object"].into_iter().filter_map(|k| map.get_key_value(k));
                    let rest = map.iter().filter(|(k, _)| k.as_str() != "id" && k.as_str() != "object");
                    out.push_str("{\n");
                    for (i, (key, value)) in first.chain(rest).enumerate() {
                        if i > 0 {
                            out.push_str(",\n");
                        }
                        indent(out, depth + 1);
                        out.push_str(&Value::String(key.clone()).to_string());
                        out.push_str(": ");
                        write(value, depth + 1, out);
                    }
                    out.push('\n');
                    indent(out, depth);
                    out.push('}');
                }
                Value::Array(items) if !items.is_empty() => {
                    out.push_str("[\n");
                    for (i, item) in items.iter().enumerate() {
                        if i > 0 {
                            out.push_str(",\n");
                        }
                        indent(out, depth + 1);
                        write(item, depth + 1, out);
                    }
                    out.push('\n');
                    indent(out, depth);
                    out.push(']');
                }
                scalar_or_empty => out.push_str(&scalar_or_empty.to_string()),
            }
        }
        let mut out = String::new();
        write(v, 0, &mut out);
        out.into_bytes()
    }

    fn invoice(v: &mut Value) -> &mut Map<String, Value> {
        v["data"]["object"].as_object_mut().expect("data.object")
    }

    /// A pretty-printed `invoice.paid` event of exactly `size` bytes, built from the fixture: optional invoice
    /// fields are dropped to go below the fixture's size; line items are repeated in `lines.data`, and the
    /// invoice `metadata` padded, to go above.
    pub fn invoice_paid(size: usize) -> Vec<u8> {
        let mut event = fixture();
        // Shrink: drop optional invoice fields, largest first.
        let mut optional: Vec<(String, usize)> = invoice(&mut event)
            .iter()
            .filter(|(k, _)| !REQUIRED.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), pretty(v).len()))
            .collect();
        optional.sort_by_key(|b| std::cmp::Reverse(b.1));
        for (key, _) in optional {
            if pretty(&event).len() <= size {
                break;
            }
            let Some(value) = invoice(&mut event).remove(&key) else {
                continue;
            };
            // Keep the fields the typed invoice cannot do without.
            if !typed_ok(&event) {
                invoice(&mut event).insert(key, value);
            }
        }
        // Grow: repeat the line item while it fits.
        let item = event["data"]["object"]["lines"]["data"][0].clone();
        let mut n = 1;
        loop {
            let mut next = item.clone();
            next["id"] = json!(format!("il_bench{n:018}"));
            let mut trial = event.clone();
            let lines = trial["data"]["object"]["lines"].as_object_mut().expect("lines");
            lines["data"].as_array_mut().expect("lines.data").push(next);
            lines["total_count"] = json!(n + 1);
            if pretty(&trial).len() + 64 > size {
                break;
            }
            event = trial;
            n += 1;
        }
        // Pad the metadata to the exact size.
        invoice(&mut event).insert("metadata".into(), json!({ "note": "" }));
        let base = pretty(&event).len();
        let pad = size.saturating_sub(base);
        invoice(&mut event).insert("metadata".into(), json!({ "note": "x".repeat(pad) }));
        let body = pretty(&event);
        debug_assert_eq!(serde_json::from_slice::<Value>(&body).ok().as_ref(), Some(&event));
        debug_assert_eq!(body.len(), serde_json::to_vec_pretty(&event).map_or(0, |b| b.len()));
        assert!(
            body.len() == size || pad == 0,
            "body of {} bytes for {size}",
            body.len()
        );
        body
    }

    /// The `Stripe-Signature` header value for `body` signed at `timestamp`, computed with plain HMAC-SHA256.
    pub fn stripe_signature(body: &[u8], timestamp: i64) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).expect("any key length");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        format!("t={timestamp},v1={}", hex::encode(mac.finalize().into_bytes()))
    }

    /// Request headers of a delivery, as Stripe sends them.
    pub fn headers(signature: &str) -> Vec<(&'static str, String)> {
        vec![
            ("host", "hooks.example.com".into()),
            ("user-agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)".into()),
            ("content-type", "application/json; charset=utf-8".into()),
            ("cache-control", "no-cache".into()),
            ("stripe-signature", signature.into()),
        ]
    }

    /// The fixed clock of the benchmark deliveries (each is signed 3 s before it).
    pub const NOW: i64 = 1_732_104_990;

    /// One benchmark delivery: an `invoice.paid` body of one of [`SIZES`], signed, with Stripe's headers.
    pub struct Delivery {
        /// The size label (`2k`).
        pub label: &'static str,
        /// The body.
        pub body: Vec<u8>,
        /// The request headers, `stripe-signature` last.
        pub headers: Vec<(&'static str, String)>,
    }

    /// A delivery of every size of [`SIZES`], signed at [`NOW`] − 3 s.
    pub fn deliveries() -> Vec<Delivery> {
        SIZES.iter().map(|&(label, size)| delivery(label, size)).collect()
    }

    /// The delivery of `size` bytes, labelled `label`, signed at [`NOW`] − 3 s.
    pub fn delivery(label: &'static str, size: usize) -> Delivery {
        let body = invoice_paid(size);
        let sig = stripe_signature(&body, NOW - 3);
        Delivery {
            label,
            headers: headers(&sig),
            body,
        }
    }

    /// The Stripe spec's verifier, with the secret of the deliveries and the clock at [`NOW`].
    pub fn verifier() -> spec_runtime::webhook::Verifier {
        spec_runtime::webhook::Verifier::from_spec(integrations::stripe::spec(), &[spec_core::Secret::new(SECRET)])
            .expect("the Stripe spec has a webhook transport")
            .with_clock(spec_runtime::webhook::FixedClock(NOW))
    }

    /// The Stripe spec's event reader (its declared `events.envelope`).
    pub fn reader() -> spec_runtime::event::EventReader {
        spec_runtime::event::EventReader::from_spec(integrations::stripe::spec())
            .expect("the Stripe spec declares its event envelope")
    }

    /// The full path of an ingested delivery: verify, read the spec's envelope fields in one pass over the
    /// bytes into the canonical event (which keeps the body text once), type `data.object` from its text.
    pub fn full_event(
        verifier: &spec_runtime::webhook::Verifier,
        reader: &spec_runtime::event::EventReader,
        delivery: &Delivery,
    ) -> (integrations::stripe::Event, spec_runtime::event::CanonicalEvent) {
        verifier
            .verify(delivery.headers.as_slice(), &delivery.body)
            .expect("authentic");
        reader
            .typed::<integrations::stripe::Event, _>(&delivery.body, delivery.headers.as_slice())
            .expect("typed invoice")
    }

    /// The cryptographic floor of a verification: the keyed HMAC-SHA256 state cloned per call, updated with
    /// the same `{t}.{body}` bytes, and compared with the signature already hex-decoded.
    pub struct RawHmac {
        key: Hmac<Sha256>,
        timestamp: String,
        signature: Vec<u8>,
    }

    impl RawHmac {
        /// The baseline for `delivery` (its `stripe-signature` header decoded once, here).
        pub fn new(delivery: &Delivery) -> Self {
            let header = &delivery.headers[4].1;
            let (t, sig) = header
                .strip_prefix("t=")
                .and_then(|h| h.split_once(",v1="))
                .expect("t=…,v1=…");
            Self {
                key: Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).expect("any key length"),
                timestamp: t.to_string(),
                signature: hex::decode(sig).expect("hex"),
            }
        }

        /// Whether `body` carries the signature.
        pub fn verify(&self, body: &[u8]) -> bool {
            let mut mac = self.key.clone();
            mac.update(std::hint::black_box(self.timestamp.as_bytes()));
            mac.update(b".");
            mac.update(std::hint::black_box(body));
            mac.verify_slice(std::hint::black_box(&self.signature)).is_ok()
        }
    }
}
