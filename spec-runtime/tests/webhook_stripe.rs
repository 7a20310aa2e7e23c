//! Stripe-Signature verification: the official SDKs' own test cases (stripe-python `test_webhook.py`,
//! stripe-node `Webhook.spec`) reproduced against our verifier, plus rotation, limits and an independent
//! HMAC oracle.

use hmac::{Hmac, Mac};
use spec_core::{Secret, SignatureScheme};
use spec_runtime::webhook::{FixedClock, Limits, Signer, Verifier, VerifierOptions, WebhookError};

const SECRET: &str = "whsec_test_secret";
const PAYLOAD: &str = "{\n  \"id\": \"evt_test_webhook\",\n  \"object\": \"event\"\n}";
const NOW: i64 = 1_700_000_000;

/// HMAC-SHA256 hex of `{t}.{payload}`, computed apart from the crate under test.
fn oracle(secret: &str, t: i64, payload: &str) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{t}.{payload}").as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

fn header(t: i64, scheme: &str, sig: &str) -> String {
    format!("t={t},{scheme}={sig}")
}

fn verifier(tolerance: Option<u64>, secrets: &[&str]) -> Verifier {
    let secrets: Vec<Secret> = secrets.iter().map(|s| Secret::new(*s)).collect();
    Verifier::new(
        VerifierOptions::for_scheme(SignatureScheme::Stripe).with_tolerance(tolerance),
        &secrets,
    )
    .unwrap()
    .with_clock(FixedClock(NOW))
}

fn verify(v: &Verifier, header: &str, payload: &str) -> Result<(), WebhookError> {
    v.verify(&[("Stripe-Signature", header)], payload.as_bytes())
        .map(|_| ())
}

#[test]
fn valid_header_and_signature() {
    let v = verifier(Some(10), &[SECRET]);
    let h = header(NOW, "v1", &oracle(SECRET, NOW, PAYLOAD));
    let ok = v
        .verify(&[("stripe-signature", h.as_str())], PAYLOAD.as_bytes())
        .unwrap();
    assert_eq!(ok.timestamp, Some(NOW));
    assert_eq!(ok.secret_index, 0);
}

#[test]
fn signer_matches_the_oracle() {
    let signed = Signer::for_scheme(SignatureScheme::Stripe, &Secret::new(SECRET))
        .unwrap()
        .sign(PAYLOAD.as_bytes(), NOW);
    assert_eq!(
        signed.get("Stripe-Signature"),
        Some(header(NOW, "v1", &oracle(SECRET, NOW, PAYLOAD)).as_str())
    );
}

#[test]
fn wrong_secret_fails() {
    let v = verifier(Some(300), &["whsec_other"]);
    let h = header(NOW, "v1", &oracle(SECRET, NOW, PAYLOAD));
    assert_eq!(verify(&v, &h, PAYLOAD), Err(WebhookError::NoMatchingSignature));
}

#[test]
fn tampered_body_fails() {
    let v = verifier(Some(300), &[SECRET]);
    let h = header(NOW, "v1", &oracle(SECRET, NOW, PAYLOAD));
    let tampered = PAYLOAD.replace("evt_test_webhook", "evt_test_webhooK");
    assert_eq!(verify(&v, &h, &tampered), Err(WebhookError::NoMatchingSignature));
    // Re-signing under another timestamp without the secret is also caught.
    let moved = header(NOW + 1, "v1", &oracle(SECRET, NOW, PAYLOAD));
    assert_eq!(verify(&v, &moved, PAYLOAD), Err(WebhookError::NoMatchingSignature));
}

#[test]
fn bad_signature_value_fails() {
    let v = verifier(Some(300), &[SECRET]);
    assert_eq!(
        verify(&v, &header(NOW, "v1", "bad_signature"), PAYLOAD),
        Err(WebhookError::NoMatchingSignature)
    );
}

#[test]
fn fifteen_seconds_old_with_ten_seconds_tolerance_fails() {
    let v = verifier(Some(10), &[SECRET]);
    let t = NOW - 15;
    let err = verify(&v, &header(t, "v1", &oracle(SECRET, t, PAYLOAD)), PAYLOAD).unwrap_err();
    assert_eq!(
        err,
        WebhookError::TimestampOutsideTolerance {
            timestamp: t,
            now: NOW,
            tolerance: 10
        }
    );
    assert_eq!(err.kind(), "timestamp_outside_tolerance");
    // Within the tolerance it passes.
    let t = NOW - 10;
    verify(&v, &header(t, "v1", &oracle(SECRET, t, PAYLOAD)), PAYLOAD).unwrap();
}

#[test]
fn timestamp_in_the_future_beyond_tolerance_fails() {
    let v = verifier(Some(10), &[SECRET]);
    let t = NOW + 11;
    assert!(matches!(
        verify(&v, &header(t, "v1", &oracle(SECRET, t, PAYLOAD)), PAYLOAD),
        Err(WebhookError::TimestampOutsideTolerance { .. })
    ));
}

#[test]
fn old_timestamp_without_tolerance_passes() {
    let v = verifier(None, &[SECRET]);
    verify(&v, &header(12345, "v1", &oracle(SECRET, 12345, PAYLOAD)), PAYLOAD).unwrap();
}

#[test]
fn only_v0_is_no_expected_scheme() {
    let v = verifier(Some(300), &[SECRET]);
    let err = verify(&v, &header(NOW, "v0", &oracle(SECRET, NOW, PAYLOAD)), PAYLOAD).unwrap_err();
    assert_eq!(
        err,
        WebhookError::NoExpectedScheme {
            header: "Stripe-Signature".into(),
            expected: "v1"
        }
    );
}

#[test]
fn extra_bad_v1_is_ignored_when_another_matches() {
    let v = verifier(Some(300), &[SECRET]);
    let good = header(NOW, "v1", &oracle(SECRET, NOW, PAYLOAD));
    verify(&v, &format!("{good},v1=bad_signature"), PAYLOAD).unwrap();
    verify(
        &v,
        &format!("t={NOW},v1=bad_signature,v1={}", oracle(SECRET, NOW, PAYLOAD)),
        PAYLOAD,
    )
    .unwrap();
    // A v0 next to the v1 is ignored as well.
    verify(
        &v,
        &format!("{good},v0=6ffbb59b2300aae63f272406069a9788598b792a944a07aba816edb039989a39"),
        PAYLOAD,
    )
    .unwrap();
}

#[test]
fn missing_and_empty_header_fail() {
    let v = verifier(Some(300), &[SECRET]);
    let none: [(&str, &str); 0] = [];
    let missing = WebhookError::MissingHeader {
        header: "Stripe-Signature".into(),
    };
    assert_eq!(v.verify(&none, PAYLOAD.as_bytes()).unwrap_err(), missing);
    assert_eq!(verify(&v, "", PAYLOAD), Err(missing.clone()));
    assert_eq!(verify(&v, "   ", PAYLOAD), Err(missing));
}

#[test]
fn malformed_headers_fail() {
    let v = verifier(Some(300), &[SECRET]);
    let sig = oracle(SECRET, NOW, PAYLOAD);
    for h in [
        "i'm not even a real signature header".to_string(),
        format!("v1={sig}"),
        format!("t=abc,v1={sig}"),
        format!("t=-5,v1={sig}"),
        format!("t=,v1={sig}"),
        format!("t=99999999999999999999,v1={sig}"),
        format!("t={NOW},t={NOW},v1={sig}"),
    ] {
        let err = verify(&v, &h, PAYLOAD).unwrap_err();
        assert_eq!(err.kind(), "malformed_header", "{h}: {err}");
    }
    let binary: [(&str, &[u8]); 1] = [("Stripe-Signature", b"t=1,v1=\xff\xfe")];
    assert_eq!(v.verify(&binary, b"{}").unwrap_err().kind(), "malformed_header");
}

#[test]
fn rolled_secret_with_two_v1_values() {
    let (old, new) = ("whsec_old_secret", "whsec_new_secret");
    let h = format!(
        "t={NOW},v1={},v1={}",
        oracle(old, NOW, PAYLOAD),
        oracle(new, NOW, PAYLOAD)
    );
    // The endpoint has switched to the new secret, is still on the old one, or accepts both.
    verify(&verifier(Some(300), &[new]), &h, PAYLOAD).unwrap();
    verify(&verifier(Some(300), &[old]), &h, PAYLOAD).unwrap();
    let both = verifier(Some(300), &["whsec_unrelated", new, old]);
    assert_eq!(
        both.verify(&[("Stripe-Signature", h.as_str())], PAYLOAD.as_bytes())
            .unwrap()
            .secret_index,
        1
    );
    assert_eq!(
        verify(&verifier(Some(300), &["whsec_unrelated"]), &h, PAYLOAD),
        Err(WebhookError::NoMatchingSignature)
    );
    // One v1 made with the old secret, verified by a verifier holding both during rotation.
    let old_only = header(NOW, "v1", &oracle(old, NOW, PAYLOAD));
    let rotating = verifier(Some(300), &[new, old]);
    assert_eq!(
        rotating
            .verify(&[("Stripe-Signature", old_only.as_str())], PAYLOAD.as_bytes())
            .unwrap()
            .secret_index,
        1
    );
}

/// As stripe-node and stripe-python read the header (see the scheme's docs): a space after the comma makes
/// ` v1` another key, so the header carries no `v1`.
#[test]
fn whitespace_between_items_is_not_trimmed() {
    let v = verifier(Some(300), &[SECRET]);
    let sig = oracle(SECRET, NOW, PAYLOAD);
    assert!(matches!(
        verify(&v, &format!("t={NOW}, v1={sig}"), PAYLOAD),
        Err(WebhookError::NoExpectedScheme { .. })
    ));
    // A space after the signature (before the next comma) makes it no candidate.
    assert_eq!(
        verify(&v, &format!("t={NOW},v1={sig} ,v0=00"), PAYLOAD),
        Err(WebhookError::NoMatchingSignature)
    );
    verify(&v, &format!("t={NOW},v1={sig}"), PAYLOAD).unwrap();
}

/// Both SDKs compare the lower-case hex they compute with the header's text exactly.
#[test]
fn uppercase_hex_signature_is_rejected() {
    let v = verifier(Some(300), &[SECRET]);
    assert_eq!(
        verify(
            &v,
            &header(NOW, "v1", &oracle(SECRET, NOW, PAYLOAD).to_uppercase()),
            PAYLOAD,
        ),
        Err(WebhookError::NoMatchingSignature)
    );
}

#[test]
fn limits_are_enforced_before_hashing() {
    let limits = Limits {
        max_header_bytes: 100,
        max_body_bytes: 64,
    };
    let v = Verifier::new(
        VerifierOptions::for_scheme(SignatureScheme::Stripe).with_limits(limits),
        &[Secret::new(SECRET)],
    )
    .unwrap()
    .with_clock(FixedClock(NOW));
    let body = "x".repeat(65);
    let h = header(NOW, "v1", &oracle(SECRET, NOW, &body));
    assert_eq!(
        verify(&v, &h, &body),
        Err(WebhookError::BodyTooLarge { len: 65, limit: 64 })
    );
    let long = format!(
        "{},v1={}",
        header(NOW, "v1", &oracle(SECRET, NOW, PAYLOAD)),
        "0".repeat(64)
    );
    assert_eq!(verify(&v, &long, PAYLOAD).unwrap_err().kind(), "header_too_large");
    // The defaults: 8 KiB header, 1 MiB body.
    assert_eq!(Limits::default().max_header_bytes, 8 * 1024);
    assert_eq!(Limits::default().max_body_bytes, 1024 * 1024);
    let big = "y".repeat(1024 * 1024 + 1);
    let dv = verifier(Some(300), &[SECRET]);
    assert_eq!(
        verify(&dv, &header(NOW, "v1", "00"), &big).unwrap_err().kind(),
        "body_too_large"
    );
}

#[test]
fn http_header_map_lookup_is_case_insensitive() {
    let v = verifier(Some(300), &[SECRET]);
    let mut map = http::HeaderMap::new();
    map.insert(
        "stripe-signature",
        header(NOW, "v1", &oracle(SECRET, NOW, PAYLOAD)).parse().unwrap(),
    );
    v.verify(&map, PAYLOAD.as_bytes()).unwrap();
}

#[test]
fn errors_and_debug_never_show_the_secret() {
    let v = verifier(Some(300), &[SECRET]);
    assert!(!format!("{v:?}").contains("test_secret"), "{v:?}");
    let signer = Signer::for_scheme(SignatureScheme::Stripe, &Secret::new(SECRET)).unwrap();
    assert!(!format!("{signer:?}").contains("test_secret"));
    let err = verify(&v, &header(NOW, "v1", "ab"), PAYLOAD).unwrap_err();
    assert!(!err.to_string().contains("test_secret"));
}

#[test]
fn empty_secret_and_no_secret_are_configuration_errors() {
    use spec_runtime::webhook::VerifierConfigError;
    let opts = VerifierOptions::for_scheme(SignatureScheme::Stripe);
    assert_eq!(
        Verifier::new(opts.clone(), &[]).unwrap_err(),
        VerifierConfigError::NoSecrets
    );
    assert_eq!(
        Verifier::new(opts, &[Secret::new("whsec_a"), Secret::new("  ")]).unwrap_err(),
        VerifierConfigError::EmptySecret { index: 1 }
    );
}

#[test]
fn every_candidate_is_tried_wherever_it_sits() {
    let v = verifier(Some(300), &[SECRET]);
    let good = oracle(SECRET, NOW, PAYLOAD);
    let bad = oracle("whsec_other", NOW, PAYLOAD);
    for position in 0..7 {
        let mut sigs = vec![bad.clone(); 6];
        sigs.insert(position, good.clone());
        let h = format!(
            "t={NOW},{}",
            sigs.iter().map(|s| format!("v1={s}")).collect::<Vec<_>>().join(",")
        );
        verify(&v, &h, PAYLOAD).unwrap_or_else(|e| panic!("valid v1 at {position}: {e}"));
    }
    let all_bad = format!("t={NOW},{}", vec![format!("v1={bad}"); 7].join(","));
    assert_eq!(verify(&v, &all_bad, PAYLOAD), Err(WebhookError::NoMatchingSignature));
    // Non-hex candidates (odd length, a `g`) never match and never stop the search.
    let h = format!("t={NOW},v1={},v1=abc,v1={}g,v1={good}", &good[..63], &good[..63]);
    verify(&v, &h, PAYLOAD).unwrap();
}
