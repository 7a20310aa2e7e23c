//! GitHub, Slack and Standard Webhooks verification against the providers' published examples, and the
//! reference libraries' failure cases.

use hmac::{Hmac, Mac};
use spec_core::{Secret, SignatureScheme, SigningAlgorithm};
use spec_runtime::webhook::{FixedClock, Signer, Verifier, VerifierConfigError, VerifierOptions, WebhookError};

fn verifier(scheme: SignatureScheme, secrets: &[&str], now: i64) -> Verifier {
    let secrets: Vec<Secret> = secrets.iter().map(|s| Secret::new(*s)).collect();
    Verifier::new(VerifierOptions::for_scheme(scheme), &secrets)
        .unwrap()
        .with_clock(FixedClock(now))
}

mod github {
    use super::*;

    // GitHub's documented example ("Validating webhook deliveries").
    const SECRET: &str = "It's a Secret to Everybody";
    const BODY: &[u8] = b"Hello, World!";
    const SIG: &str = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    fn check(v: &Verifier, sig: &str, body: &[u8]) -> Result<(), WebhookError> {
        v.verify(&[("X-Hub-Signature-256", sig)], body).map(|_| ())
    }

    #[test]
    fn documented_example_verifies_and_signs() {
        let v = verifier(SignatureScheme::Github, &[SECRET], 0);
        let ok = v.verify(&[("x-hub-signature-256", SIG)], BODY).unwrap();
        assert_eq!(ok.timestamp, None);
        let signed = Signer::for_scheme(SignatureScheme::Github, &Secret::new(SECRET))
            .unwrap()
            .sign(BODY, 0);
        assert_eq!(signed.get("X-Hub-Signature-256"), Some(SIG));
    }

    #[test]
    fn failures() {
        let v = verifier(SignatureScheme::Github, &[SECRET], 0);
        assert_eq!(check(&v, SIG, b"Hello, World?"), Err(WebhookError::NoMatchingSignature));
        let other = verifier(SignatureScheme::Github, &["another secret"], 0);
        assert_eq!(check(&other, SIG, BODY), Err(WebhookError::NoMatchingSignature));
        assert_eq!(check(&v, "sha256=zz", BODY), Err(WebhookError::NoMatchingSignature));
        assert_eq!(
            check(&v, "757107ea0eb2509f", BODY).unwrap_err().kind(),
            "malformed_header"
        );
        assert_eq!(
            check(&v, "sha1=757107ea0eb2509fc211221cce984b8a37570b6d", BODY),
            Err(WebhookError::NoExpectedScheme {
                header: "X-Hub-Signature-256".into(),
                expected: "sha256"
            })
        );
        let none: [(&str, &str); 0] = [];
        assert_eq!(v.verify(&none, BODY).unwrap_err().kind(), "missing_header");
    }

    #[test]
    fn no_timestamp_so_any_clock_passes() {
        verifier(SignatureScheme::Github, &[SECRET], i64::MAX)
            .verify(&[("X-Hub-Signature-256", SIG)], BODY)
            .unwrap();
    }

    #[test]
    fn legacy_sha1_header() {
        let mut mac = Hmac::<sha1::Sha1>::new_from_slice(SECRET.as_bytes()).unwrap();
        mac.update(BODY);
        let expected = format!("sha1={}", hex::encode(mac.finalize().into_bytes()));
        let mut opts = VerifierOptions::for_scheme(SignatureScheme::Github).with_algorithm(SigningAlgorithm::HmacSha1);
        opts.signature_header = "X-Hub-Signature".into();
        let v = Verifier::new(opts.clone(), &[Secret::new(SECRET)]).unwrap();
        v.verify(&[("X-Hub-Signature", expected.as_str())], BODY).unwrap();
        let signed = Signer::new(opts, &Secret::new(SECRET)).unwrap().sign(BODY, 0);
        assert_eq!(signed.get("X-Hub-Signature"), Some(expected.as_str()));
    }
}

mod slack {
    use super::*;

    // Slack's documented example ("Verifying requests from Slack").
    const SECRET: &str = "8f742231b10e8888abcd99yyyzzz85a5";
    const TS: &str = "1531420618";
    const BODY: &str = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
    const SIG: &str = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    const NOW: i64 = 1_531_420_618;

    fn check(v: &Verifier, sig: &str, ts: &str, body: &str) -> Result<(), WebhookError> {
        v.verify(
            &[("X-Slack-Signature", sig), ("X-Slack-Request-Timestamp", ts)],
            body.as_bytes(),
        )
        .map(|_| ())
    }

    #[test]
    fn documented_example_verifies_and_signs() {
        let v = verifier(SignatureScheme::Slack, &[SECRET], NOW + 60);
        check(&v, SIG, TS, BODY).unwrap();
        let signed = Signer::for_scheme(SignatureScheme::Slack, &Secret::new(SECRET))
            .unwrap()
            .sign(BODY.as_bytes(), NOW);
        assert_eq!(signed.get("x-slack-signature"), Some(SIG));
        assert_eq!(signed.get("X-Slack-Request-Timestamp"), Some(TS));
    }

    #[test]
    fn failures() {
        let v = verifier(SignatureScheme::Slack, &[SECRET], NOW);
        assert_eq!(
            check(&v, SIG, TS, &BODY.replace("foobar", "foobaz")),
            Err(WebhookError::NoMatchingSignature)
        );
        assert_eq!(
            check(&v, SIG, "1531420619", BODY),
            Err(WebhookError::NoMatchingSignature)
        );
        let other = verifier(SignatureScheme::Slack, &["not the secret"], NOW);
        assert_eq!(check(&other, SIG, TS, BODY), Err(WebhookError::NoMatchingSignature));
        assert_eq!(
            check(&v, &SIG.replace("v0=", "v1="), TS, BODY).unwrap_err().kind(),
            "no_expected_scheme"
        );
        assert_eq!(check(&v, "a2114d57", TS, BODY).unwrap_err().kind(), "malformed_header");
        assert_eq!(
            check(&v, SIG, "yesterday", BODY).unwrap_err().kind(),
            "malformed_header"
        );
        let no_ts = v.verify(&[("X-Slack-Signature", SIG)], BODY.as_bytes()).unwrap_err();
        assert_eq!(
            no_ts,
            WebhookError::MissingHeader {
                header: "X-Slack-Request-Timestamp".into()
            }
        );
    }

    #[test]
    fn five_minutes_tolerance() {
        check(&verifier(SignatureScheme::Slack, &[SECRET], NOW + 300), SIG, TS, BODY).unwrap();
        assert_eq!(
            check(&verifier(SignatureScheme::Slack, &[SECRET], NOW + 301), SIG, TS, BODY)
                .unwrap_err()
                .kind(),
            "timestamp_outside_tolerance"
        );
    }

    #[test]
    fn rotation_accepts_either_secret() {
        let v = verifier(SignatureScheme::Slack, &["new secret", SECRET], NOW);
        let ok = v
            .verify(
                &[("X-Slack-Signature", SIG), ("X-Slack-Request-Timestamp", TS)],
                BODY.as_bytes(),
            )
            .unwrap();
        assert_eq!(ok.secret_index, 1);
    }
}

mod standard {
    use super::*;

    // The Standard Webhooks reference libraries' test vector.
    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const TS: i64 = 1_614_265_330;
    const BODY: &str = r#"{"test": 2432232314}"#;
    const SIG: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    fn headers(sig: &str) -> Vec<(String, String)> {
        vec![
            ("webhook-id".into(), ID.into()),
            ("webhook-timestamp".into(), TS.to_string()),
            ("webhook-signature".into(), sig.into()),
        ]
    }

    fn check(v: &Verifier, h: &[(String, String)]) -> Result<(), WebhookError> {
        v.verify(h, BODY.as_bytes()).map(|_| ())
    }

    #[test]
    fn test_vector_verifies_and_signs() {
        let v = verifier(SignatureScheme::StandardWebhooks, &[SECRET], TS);
        check(&v, &headers(SIG)).unwrap();
        let signed = Signer::for_scheme(SignatureScheme::StandardWebhooks, &Secret::new(SECRET))
            .unwrap()
            .sign_with_id(ID, BODY.as_bytes(), TS);
        assert_eq!(signed.get("webhook-signature"), Some(SIG));
        assert_eq!(signed.get("webhook-id"), Some(ID));
        assert_eq!(signed.get("webhook-timestamp"), Some("1614265330"));
    }

    #[test]
    fn key_with_and_without_prefix() {
        let bare = SECRET.trim_start_matches("whsec_");
        check(&verifier(SignatureScheme::StandardWebhooks, &[bare], TS), &headers(SIG)).unwrap();
    }

    #[test]
    fn missing_headers_fail() {
        let v = verifier(SignatureScheme::StandardWebhooks, &[SECRET], TS);
        for name in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
            let h: Vec<_> = headers(SIG).into_iter().filter(|(k, _)| k != name).collect();
            assert_eq!(
                check(&v, &h),
                Err(WebhookError::MissingHeader { header: name.into() }),
                "{name}"
            );
        }
    }

    #[test]
    fn invalid_timestamp_fails() {
        let v = verifier(SignatureScheme::StandardWebhooks, &[SECRET], TS);
        let mut h = headers(SIG);
        h[1].1 = "hello".into();
        assert_eq!(check(&v, &h).unwrap_err().kind(), "malformed_header");
    }

    #[test]
    fn invalid_and_partial_signatures_fail() {
        let v = verifier(SignatureScheme::StandardWebhooks, &[SECRET], TS);
        for sig in ["v1,dawfeoifkpqwoekfpqoekf", &SIG[..8], "v1,"] {
            assert_eq!(
                check(&v, &headers(sig)),
                Err(WebhookError::NoMatchingSignature),
                "{sig}"
            );
        }
        assert_eq!(
            check(&v, &headers("v1a,g0hM9SsE")).unwrap_err().kind(),
            "no_expected_scheme"
        );
        assert_eq!(check(&v, &headers("garbage")).unwrap_err().kind(), "no_expected_scheme");
    }

    #[test]
    fn tampered_body_and_wrong_id_fail() {
        let v = verifier(SignatureScheme::StandardWebhooks, &[SECRET], TS);
        assert_eq!(
            v.verify(&headers(SIG), br#"{"test": 2432232315}"#).unwrap_err(),
            WebhookError::NoMatchingSignature
        );
        let mut h = headers(SIG);
        h[0].1 = "msg_other".into();
        assert_eq!(check(&v, &h), Err(WebhookError::NoMatchingSignature));
    }

    #[test]
    fn old_and_new_timestamps_fail() {
        for now in [TS + 301, TS - 301] {
            let v = verifier(SignatureScheme::StandardWebhooks, &[SECRET], now);
            assert_eq!(
                check(&v, &headers(SIG)).unwrap_err().kind(),
                "timestamp_outside_tolerance"
            );
        }
        check(
            &verifier(SignatureScheme::StandardWebhooks, &[SECRET], TS - 300),
            &headers(SIG),
        )
        .unwrap();
    }

    #[test]
    fn multi_signature_header_is_valid() {
        let v = verifier(SignatureScheme::StandardWebhooks, &[SECRET], TS);
        let other = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";
        let v2 = "v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";
        check(&v, &headers(&[other, v2, SIG, other].join(" "))).unwrap();
    }

    #[test]
    fn key_that_is_not_base64_is_rejected() {
        let err = Verifier::new(
            VerifierOptions::for_scheme(SignatureScheme::StandardWebhooks),
            &[Secret::new("whsec_not base64!")],
        )
        .unwrap_err();
        assert!(
            matches!(err, VerifierConfigError::InvalidSecret { index: 0, .. }),
            "{err}"
        );
        assert!(!err.to_string().contains("not base64!"));
    }

    #[test]
    fn sign_derives_distinct_ids() {
        let s = Signer::for_scheme(SignatureScheme::StandardWebhooks, &Secret::new(SECRET)).unwrap();
        let a = s.sign(b"a", TS);
        let b = s.sign(b"b", TS);
        assert_ne!(a.get("webhook-id"), b.get("webhook-id"));
        assert!(a.get("webhook-id").unwrap().starts_with("msg_"));
        verifier(SignatureScheme::StandardWebhooks, &[SECRET], TS)
            .verify(&a, b"a")
            .unwrap();
    }
}

#[test]
fn ed25519_is_not_supported_by_hmac_schemes() {
    // Standard Webhooks signs with Ed25519 (`v1a`), but with public keys: an HMAC secret is no key for it.
    let opts = VerifierOptions::for_scheme(SignatureScheme::StandardWebhooks).with_algorithm(SigningAlgorithm::Ed25519);
    assert!(matches!(
        Verifier::new(opts, &[Secret::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]).unwrap_err(),
        VerifierConfigError::InvalidSecret { index: 0, .. }
    ));
    for scheme in [SignatureScheme::Stripe, SignatureScheme::Github, SignatureScheme::Slack] {
        let opts = VerifierOptions::for_scheme(scheme).with_algorithm(SigningAlgorithm::Ed25519);
        assert_eq!(
            Verifier::new(
                opts,
                &[Secret::new("whpk_11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=")]
            )
            .unwrap_err(),
            VerifierConfigError::UnsupportedAlgorithm {
                scheme,
                algorithm: SigningAlgorithm::Ed25519
            }
        );
    }
    let opts = VerifierOptions::for_scheme(SignatureScheme::Stripe).with_algorithm(SigningAlgorithm::HmacSha1);
    assert!(Verifier::new(opts, &[Secret::new("whsec_x")]).is_err());
}
