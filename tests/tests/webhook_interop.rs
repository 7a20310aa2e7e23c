//! Stripe-Signature interop with the official SDKs, both ways: headers made by stripe-python
//! (`WebhookSignature.generate_signature_header`) and stripe-node (`webhooks.generateTestHeaderString`)
//! verify with ours, and headers we make pass `stripe.Webhook.construct_event` / `webhooks.constructEvent`.

use spec_core::{Secret, SignatureScheme};
use spec_runtime::webhook::{FixedClock, Signer, Verifier, VerifierOptions, WebhookError};
use tests::peers::{node_output, python_output, require_node_modules, require_python};

const SECRET: &str = "whsec_interop_0123456789abcdef";
/// Multi-line, non-ASCII JSON, as Stripe sends pretty-printed bodies.
const PAYLOAD: &str = "{\n  \"id\": \"evt_interop_1\",\n  \"object\": \"event\",\n  \"type\": \"customer.created\",\n  \"data\": {\"object\": {\"id\": \"cus_1\", \"name\": \"Zoë Ünïcode ✓\"}}\n}";

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn verifier(secrets: &[&str], at: i64) -> Verifier {
    let secrets: Vec<Secret> = secrets.iter().map(|s| Secret::new(*s)).collect();
    Verifier::new(VerifierOptions::for_scheme(SignatureScheme::Stripe), &secrets)
        .unwrap()
        .with_clock(FixedClock(at))
}

fn our_header(secret: &str, timestamp: i64) -> String {
    Signer::for_scheme(SignatureScheme::Stripe, &Secret::new(secret))
        .unwrap()
        .sign(PAYLOAD.as_bytes(), timestamp)
        .get("Stripe-Signature")
        .unwrap()
        .to_string()
}

const PY_SIGN: &str = r#"
import sys
from stripe import WebhookSignature
payload, secret, ts = sys.argv[1], sys.argv[2], int(sys.argv[3])
print(WebhookSignature.generate_signature_header(payload, secret, timestamp=ts))
"#;

const PY_VERIFY: &str = r#"
import sys, stripe
payload, header, secret = sys.argv[1], sys.argv[2], sys.argv[3]
try:
    event = stripe.Webhook.construct_event(payload.encode("utf-8"), header, secret)
    print("ok", event["id"], event["data"]["object"]["name"])
except stripe.SignatureVerificationError as e:
    print("rejected", e.user_message)
"#;

const NODE_SIGN: &str = r#"
const Stripe = require('stripe');
const stripe = new Stripe('sk_test_12345');
const [payload, secret, ts] = process.argv.slice(1);
process.stdout.write(stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: Number(ts) }));
"#;

const NODE_VERIFY: &str = r#"
const Stripe = require('stripe');
const stripe = new Stripe('sk_test_12345');
const [payload, header, secret] = process.argv.slice(1);
try {
  const event = stripe.webhooks.constructEvent(Buffer.from(payload, 'utf8'), header, secret);
  process.stdout.write('ok ' + event.id + ' ' + event.data.object.name);
} catch (e) {
  process.stdout.write('rejected ' + e.type + ': ' + e.message.split('\n')[0]);
}
"#;

#[test]
fn stripe_python_headers_verify_with_ours() {
    let Some(py) = require_python() else { return };
    let ts = 1_700_000_000;
    let header = python_output(&py, PY_SIGN, &[PAYLOAD, SECRET, &ts.to_string()]);
    let header = header.trim();
    assert!(header.starts_with("t=1700000000,v1="), "{header}");
    let ok = verifier(&[SECRET], ts + 5)
        .verify(&[("Stripe-Signature", header)], PAYLOAD.as_bytes())
        .unwrap();
    assert_eq!(ok.timestamp, Some(ts));
    assert_eq!(header, our_header(SECRET, ts), "both sides compute the same signature");
    assert_eq!(
        verifier(&["whsec_other"], ts).verify(&[("Stripe-Signature", header)], PAYLOAD.as_bytes()),
        Err(WebhookError::NoMatchingSignature)
    );
    // A rolled secret: the SDK's signatures under the old and the new secret in one header.
    let old = python_output(&py, PY_SIGN, &[PAYLOAD, "whsec_old", &ts.to_string()]);
    let old_v1 = old.trim().split_once(",v1=").unwrap().1;
    let rolled = format!("{header},v1={old_v1}");
    verifier(&["whsec_old"], ts)
        .verify(&[("Stripe-Signature", rolled.as_str())], PAYLOAD.as_bytes())
        .unwrap();
}

#[test]
fn our_headers_pass_stripe_python_construct_event() {
    let Some(py) = require_python() else { return };
    let out = python_output(&py, PY_VERIFY, &[PAYLOAD, &our_header(SECRET, now()), SECRET]);
    assert_eq!(out.trim(), "ok evt_interop_1 Zoë Ünïcode ✓");
    let wrong = python_output(&py, PY_VERIFY, &[PAYLOAD, &our_header("whsec_wrong", now()), SECRET]);
    assert!(wrong.starts_with("rejected"), "{wrong}");
    let stale = python_output(&py, PY_VERIFY, &[PAYLOAD, &our_header(SECRET, now() - 3600), SECRET]);
    assert!(stale.contains("tolerance"), "{stale}");
}

#[test]
fn stripe_node_headers_verify_with_ours() {
    let Some(nm) = require_node_modules() else { return };
    let ts = 1_700_000_123;
    let header = node_output(&nm, NODE_SIGN, &[PAYLOAD, SECRET, &ts.to_string()]);
    assert!(header.starts_with("t=1700000123,"), "{header}");
    verifier(&[SECRET], ts)
        .verify(&[("stripe-signature", header.as_str())], PAYLOAD.as_bytes())
        .unwrap();
    assert_eq!(header, our_header(SECRET, ts));
    let tampered = PAYLOAD.replace("Zoë", "Zoe");
    assert_eq!(
        verifier(&[SECRET], ts).verify(&[("stripe-signature", header.as_str())], tampered.as_bytes()),
        Err(WebhookError::NoMatchingSignature)
    );
}

#[test]
fn our_headers_pass_stripe_node_construct_event() {
    let Some(nm) = require_node_modules() else { return };
    let out = node_output(&nm, NODE_VERIFY, &[PAYLOAD, &our_header(SECRET, now()), SECRET]);
    assert_eq!(out, "ok evt_interop_1 Zoë Ünïcode ✓");
    let wrong = node_output(&nm, NODE_VERIFY, &[PAYLOAD, &our_header("whsec_wrong", now()), SECRET]);
    assert!(
        wrong.starts_with("rejected StripeSignatureVerificationError"),
        "{wrong}"
    );
}
