//! Declared signature layouts: for layouts drawn at random (template, digest, encoding, header format, where
//! the timestamp and id travel), signing then verifying succeeds, a changed body fails, and no header value
//! panics the verifier.

use proptest::prelude::*;
use spec_core::{HeaderFormat, SecretEncoding, SecretFormat, SignatureEncoding, SignatureLayout, SigningAlgorithm};
use spec_runtime::webhook::{FixedClock, Signer, Verifier, VerifierConfigError, VerifierOptions, WebhookError};

const NOW: i64 = 1_700_000_000;

/// A layout and the options verifying it: where the timestamp travels follows the format.
fn options() -> impl Strategy<Value = VerifierOptions> {
    let algorithm = prop::sample::select(vec![
        SigningAlgorithm::HmacSha256,
        SigningAlgorithm::HmacSha1,
        SigningAlgorithm::HmacSha512,
    ]);
    let encoding = prop::sample::select(vec![SignatureEncoding::Hex, SignatureEncoding::Base64]);
    let format = prop_oneof![
        "[a-z0-9]{0,6}=?".prop_map(|prefix| HeaderFormat::Prefixed { prefix }),
        ("[,;|&]", "[a-z][a-z0-9]{0,3}", prop::bool::ANY).prop_map(|(separator, signature_key, item)| {
            HeaderFormat::Items {
                timestamp_key: item.then(|| format!("{signature_key}t")),
                separator,
                signature_key,
            }
        }),
        "v[0-9a-z]{1,3}".prop_map(|version| HeaderFormat::Versioned { version }),
    ];
    let template = prop::sample::select(vec![
        "{body}",
        "{timestamp}.{body}",
        "{timestamp}:{id}:{body}",
        "v0:{timestamp}:{body}",
        "{id}.{timestamp}.{body}",
        "{url}|{timestamp}|{body}|end",
    ]);
    (algorithm, encoding, format, template, prop::bool::ANY).prop_map(|(algorithm, encoding, format, template, b64)| {
        let signs_ts = template.contains("{timestamp}");
        let ts_item = matches!(
            &format,
            HeaderFormat::Items {
                timestamp_key: Some(_),
                ..
            }
        );
        // A signed timestamp travels in its own header unless the format carries it; an item timestamp is
        // only kept when the template signs one.
        let format = match format {
            HeaderFormat::Items {
                separator,
                signature_key,
                ..
            } if !signs_ts => HeaderFormat::Items {
                separator,
                signature_key,
                timestamp_key: None,
            },
            f => f,
        };
        let layout = SignatureLayout {
            signed_content: template.to_string(),
            encoding,
            format,
            timestamp_header: (signs_ts && !ts_item).then(|| "X-Ts".to_string()),
            id_header: template.contains("{id}").then(|| "X-Id".to_string()),
            secret: if b64 {
                SecretFormat {
                    encoding: SecretEncoding::Base64,
                    prefix: Some("whsec_".into()),
                }
            } else {
                SecretFormat::default()
            },
        };
        VerifierOptions {
            scheme: None,
            timestamp_header: layout.timestamp_header.clone(),
            id_header: layout.id_header.clone(),
            layout: Some(layout),
            algorithm,
            signature_header: "X-Sig".into(),
            tolerance: signs_ts.then_some(300),
            limits: Default::default(),
        }
    })
}

fn secret(options: &VerifierOptions) -> spec_core::Secret {
    let b64 = options
        .layout
        .as_ref()
        .is_some_and(|l| l.secret.encoding == SecretEncoding::Base64);
    spec_core::Secret::new(if b64 { "whsec_c2VjcmV0LWtleQ==" } else { "raw-secret" })
}

proptest! {
    #[test]
    fn sign_verify_tamper(
        options in options(),
        body in prop::collection::vec(any::<u8>(), 0..1024),
        skew in -300i64..=300,
    ) {
        let secret = secret(&options);
        let signer = Signer::new(options.clone(), &secret).unwrap();
        let headers = signer.sign_for_url("https://hooks.example.test/in?x=1", "dlv_1", &body, NOW + skew);
        let v = Verifier::new(options.clone(), std::slice::from_ref(&secret)).unwrap().with_clock(FixedClock(NOW));
        let url = options.layout.as_ref().is_some_and(|l| l.signed_content.contains("{url}"));
        let verified = if url {
            prop_assert_eq!(v.verify(&headers, &body), Err(WebhookError::MissingUrl));
            v.verify_with_url("https://hooks.example.test/in?x=1", &headers, &body)
        } else {
            v.verify(&headers, &body)
        };
        prop_assert!(verified.is_ok(), "{:?} {:?}", verified, headers);
        let mut changed = body.clone();
        changed.push(b'!');
        let again = if url {
            v.verify_with_url("https://hooks.example.test/in?x=1", &headers, &changed)
        } else {
            v.verify(&headers, &changed)
        };
        prop_assert_eq!(again, Err(WebhookError::NoMatchingSignature));
    }

    #[test]
    fn arbitrary_header_values_never_panic(
        options in options(),
        sig in any::<String>(),
        ts in prop_oneof![any::<String>(), "[0-9]{0,20}"],
        id in any::<String>(),
        body in prop::collection::vec(any::<u8>(), 0..256),
    ) {
        let secret = secret(&options);
        let v = Verifier::new(options, std::slice::from_ref(&secret)).unwrap().with_clock(FixedClock(NOW));
        let headers = [("X-Sig", sig), ("X-Ts", ts), ("X-Id", id)];
        prop_assert!(v.verify(&headers, &body).is_err());
        prop_assert!(v.verify_with_url("u", &headers, &body).is_err());
    }
}

#[test]
fn unusable_layouts_are_refused() {
    let layout = SignatureLayout {
        signed_content: "{timestamp}.{body}".into(),
        encoding: SignatureEncoding::Hex,
        format: HeaderFormat::Prefixed { prefix: "sig=".into() },
        timestamp_header: None,
        id_header: None,
        secret: SecretFormat::default(),
    };
    let options = |layout: &SignatureLayout, algorithm| VerifierOptions {
        scheme: None,
        layout: Some(layout.clone()),
        algorithm,
        signature_header: "X-Sig".into(),
        timestamp_header: None,
        id_header: None,
        tolerance: None,
        limits: Default::default(),
    };
    let secret = [spec_core::Secret::new("k")];
    assert!(matches!(
        Verifier::new(options(&layout, SigningAlgorithm::HmacSha256), &secret),
        Err(VerifierConfigError::InvalidLayout { .. })
    ));
    let mut bad = layout.clone();
    bad.signed_content = "{nope}".into();
    assert!(matches!(
        Verifier::new(options(&bad, SigningAlgorithm::HmacSha256), &secret),
        Err(VerifierConfigError::InvalidLayout { .. })
    ));
    let mut raw = layout.clone();
    raw.signed_content = "{body}".into();
    assert_eq!(
        Verifier::new(options(&raw, SigningAlgorithm::Ed25519), &secret).unwrap_err(),
        VerifierConfigError::UnsupportedLayoutAlgorithm {
            algorithm: SigningAlgorithm::Ed25519
        }
    );
    let mut none = options(&raw, SigningAlgorithm::HmacSha256);
    none.layout = None;
    assert_eq!(Verifier::new(none, &secret).unwrap_err(), VerifierConfigError::NoLayout);
}
