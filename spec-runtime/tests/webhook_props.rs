//! Property tests: random input neither panics the verifier nor verifies; signing then verifying succeeds; any one-byte change to
//! the body is caught.

use proptest::prelude::*;
use spec_core::EventEnvelope;
use spec_core::{Secret, SignatureScheme};
use spec_runtime::event::CanonicalEvent;
use spec_runtime::webhook::{FixedClock, Signer, Verifier, VerifierOptions, WebhookError};

const NOW: i64 = 1_700_000_000;
const SCHEMES: [SignatureScheme; 4] = [
    SignatureScheme::Stripe,
    SignatureScheme::Github,
    SignatureScheme::Slack,
    SignatureScheme::StandardWebhooks,
];
const STANDARD_KEY: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

fn scheme() -> impl Strategy<Value = SignatureScheme> {
    prop::sample::select(SCHEMES.to_vec())
}

/// A secret the scheme accepts: any non-blank text, or a Standard Webhooks key made from random bytes.
fn secret_for(scheme: SignatureScheme, raw: &[u8]) -> Secret {
    if scheme == SignatureScheme::StandardWebhooks {
        use base64::Engine as _;
        let bytes = if raw.is_empty() { vec![7] } else { raw.to_vec() };
        Secret::new(format!(
            "whsec_{}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        ))
    } else {
        let text: String = raw.iter().map(|b| char::from(b'!' + b % 90)).collect();
        Secret::new(if text.is_empty() { "k".to_string() } else { text })
    }
}

fn verifier(scheme: SignatureScheme, secret: &Secret) -> Verifier {
    Verifier::new(VerifierOptions::for_scheme(scheme), std::slice::from_ref(secret))
        .unwrap()
        .with_clock(FixedClock(NOW))
}

/// Header text shaped like real signature headers, with junk mixed in.
fn header_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "(t=[0-9]{0,21}|v1=[0-9a-fA-F]{0,70}|v0=[0-9a-f]{0,64}|[a-z0-9=, ]{0,12})(,(t=-?[0-9]{0,12}|v1=[0-9a-f]{0,66}|=|,|[ -~]{0,6})){0,6}",
        "(sha256|sha1|v0|v1)=[0-9a-f]{0,70}",
        "((v1|v1a|v2),[A-Za-z0-9+/=]{0,50} ?){0,5}",
    ]
}

proptest! {
    #[test]
    fn arbitrary_headers_and_bodies_never_panic(
        scheme in scheme(),
        sig in header_text(),
        ts in prop_oneof![any::<String>(), "[0-9]{0,20}"],
        id in any::<String>(),
        raw_sig in prop::collection::vec(any::<u8>(), 0..100),
        body in prop::collection::vec(any::<u8>(), 0..512),
    ) {
        let v = verifier(scheme, &Secret::new(STANDARD_KEY));
        let name = v.options().signature_header.clone();
        let text_headers = vec![
            (name.clone(), sig.clone()),
            ("X-Slack-Request-Timestamp".to_string(), ts.clone()),
            ("webhook-timestamp".to_string(), ts),
            ("webhook-id".to_string(), id),
        ];
        // Forging a 256-bit MAC by chance is out of reach: junk never verifies.
        prop_assert!(v.verify(&text_headers, &body).is_err());
        let byte_headers: Vec<(String, Vec<u8>)> = vec![(name, raw_sig)];
        let verdict = v.verify(&byte_headers, &body);
        prop_assert!(verdict.is_err(), "random signature bytes verified: {:?}", verdict);
        // Random bytes are not an event with an id and a type (never a panic either).
        let event = CanonicalEvent::from_body(&EventEnvelope::for_scheme(scheme), &body, "p.", &text_headers);
        prop_assert!(event.is_err(), "random bytes read as an event: {:?}", event);
    }

    #[test]
    fn sign_then_verify_succeeds(
        scheme in scheme(),
        secret in prop::collection::vec(any::<u8>(), 1..64),
        body in prop::collection::vec(any::<u8>(), 0..4096),
        skew in -300i64..=300,
    ) {
        let secret = secret_for(scheme, &secret);
        let headers = Signer::for_scheme(scheme, &secret).unwrap().sign(&body, NOW + skew);
        let verified = verifier(scheme, &secret).verify(&headers, &body);
        prop_assert!(verified.is_ok(), "{:?}", verified);
    }

    #[test]
    fn any_single_byte_change_fails(
        scheme in scheme(),
        secret in prop::collection::vec(any::<u8>(), 1..64),
        body in prop::collection::vec(any::<u8>(), 1..2048),
        index in any::<prop::sample::Index>(),
        flip in 1u8..=255,
    ) {
        let secret = secret_for(scheme, &secret);
        let headers = Signer::for_scheme(scheme, &secret).unwrap().sign(&body, NOW);
        let mut changed = body.clone();
        let i = index.index(changed.len());
        changed[i] ^= flip;
        prop_assert_eq!(verifier(scheme, &secret).verify(&headers, &changed), Err(WebhookError::NoMatchingSignature));
    }
}
