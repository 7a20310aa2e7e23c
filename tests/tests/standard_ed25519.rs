//! Standard Webhooks asymmetric signatures (`v1a`, Ed25519) against an independent implementation: Node's
//! `crypto` (OpenSSL) makes the key pairs and signatures; the verifier takes `whpk_` public keys, the signer
//! `whsk_` secret keys (32-byte seed or 64-byte key pair) and reproduces Node's signatures byte for byte
//! (Ed25519 is deterministic). Accepted, tampered, stale, mixed `v1`/`v1a` lists, rotated keys.

use serde_json::{Value, json};
use spec_core::{IntegrationSpec, Secret, SignatureScheme, SigningAlgorithm};
use spec_runtime::webhook::{FixedClock, Signer, Verifier, VerifierConfigError, VerifierOptions, WebhookError};
use tests::peers::{node_output, require_node_modules};

const ID: &str = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
const TS: i64 = 1_674_087_231;
const BODY: &str = r#"{"type":"contact.created","timestamp":"2022-11-03T20:26:10.344522Z","data":{"id":"1f81eb52"}}"#;
/// An HMAC secret for the `v1` entry of mixed lists.
const HMAC_KEY: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

/// Two Ed25519 key pairs from Node, each with the public key, the seed, the seed and public key together,
/// and its signature of `{id}.{ts}.{body}`; and the HMAC `v1` signature under `HMAC_KEY`.
const KEYS: &str = r#"
const crypto = require("crypto");
const [id, ts, body, hmacKey] = process.argv.slice(1);
const b64 = (u) => Buffer.from(u, "base64url").toString("base64");
const signed = Buffer.from(`${id}.${ts}.${body}`);
const pairs = [0, 1].map(() => {
  const { publicKey, privateKey } = crypto.generateKeyPairSync("ed25519");
  const jwk = privateKey.export({ format: "jwk" });
  const pk = Buffer.from(jwk.x, "base64url");
  const seed = Buffer.from(jwk.d, "base64url");
  return {
    public: `whpk_${pk.toString("base64")}`,
    seed: `whsk_${seed.toString("base64")}`,
    pair: `whsk_${Buffer.concat([seed, pk]).toString("base64")}`,
    sig: crypto.sign(null, signed, privateKey).toString("base64"),
    verifiedByNode: crypto.verify(null, signed, publicKey, Buffer.from(crypto.sign(null, signed, privateKey))),
  };
});
const key = Buffer.from(hmacKey.slice("whsec_".length), "base64");
const v1 = crypto.createHmac("sha256", key).update(signed).digest("base64");
console.log(JSON.stringify({ pairs, v1 }));
"#;

fn vectors() -> Option<Value> {
    let node_modules = require_node_modules()?;
    let ts = TS.to_string();
    let out = node_output(&node_modules, KEYS, &[ID, &ts, BODY, HMAC_KEY]);
    Some(serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("{e}: {out}")))
}

fn ed25519_options() -> VerifierOptions {
    VerifierOptions::for_scheme(SignatureScheme::StandardWebhooks).with_algorithm(SigningAlgorithm::Ed25519)
}

fn verifier(keys: &[&str], now: i64) -> Verifier {
    let keys: Vec<Secret> = keys.iter().map(|k| Secret::new(*k)).collect();
    Verifier::new(ed25519_options(), &keys)
        .unwrap()
        .with_clock(FixedClock(now))
}

fn headers(signature: &str) -> Vec<(&'static str, String)> {
    vec![
        ("webhook-id", ID.to_string()),
        ("webhook-timestamp", TS.to_string()),
        ("webhook-signature", signature.to_string()),
    ]
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap()
}

#[test]
fn node_signatures_verify_and_tampering_does_not() {
    let Some(v) = vectors() else { return };
    let a = &v["pairs"][0];
    assert_eq!(a["verifiedByNode"], true);
    let sig = format!("v1a,{}", s(&a["sig"]));
    let ver = verifier(&[s(&a["public"])], TS + 10);
    let ok = ver.verify(&headers(&sig), BODY.as_bytes()).unwrap();
    assert_eq!((ok.timestamp, ok.secret_index), (Some(TS), 0));

    let tampered = BODY.replace("contact", "contract");
    assert_eq!(
        ver.verify(&headers(&sig), tampered.as_bytes()),
        Err(WebhookError::NoMatchingSignature)
    );
    let mut other_id = headers(&sig);
    other_id[0].1 = "msg_other".into();
    assert_eq!(
        ver.verify(&other_id, BODY.as_bytes()),
        Err(WebhookError::NoMatchingSignature)
    );
    // A signature by the other key, a corrupted signature, garbage.
    let b = &v["pairs"][1];
    use base64::Engine as _;
    let engine = base64::engine::general_purpose::STANDARD;
    let mut flipped = engine.decode(s(&a["sig"])).unwrap();
    flipped[10] ^= 1;
    for bad in [
        format!("v1a,{}", s(&b["sig"])),
        format!("v1a,{}", engine.encode(flipped)),
        "v1a,bm90LWEtc2lnbmF0dXJl".to_string(),
    ] {
        assert_eq!(
            ver.verify(&headers(&bad), BODY.as_bytes()),
            Err(WebhookError::NoMatchingSignature),
            "{bad}"
        );
    }
    assert!(matches!(
        verifier(&[s(&a["public"])], TS + 301).verify(&headers(&sig), BODY.as_bytes()),
        Err(WebhookError::TimestampOutsideTolerance { tolerance: 300, .. })
    ));
}

#[test]
fn mixed_v1_and_v1a_lists() {
    let Some(v) = vectors() else { return };
    let a = &v["pairs"][0];
    let v1 = format!("v1,{}", s(&v["v1"]));
    let v1a = format!("v1a,{}", s(&a["sig"]));
    let mixed = format!("{v1} {v1a}");
    // The Ed25519 verifier reads the `v1a` entry, the HMAC verifier the `v1` entry of the same header.
    verifier(&[s(&a["public"])], TS)
        .verify(&headers(&mixed), BODY.as_bytes())
        .unwrap();
    let hmac = Verifier::new(
        VerifierOptions::for_scheme(SignatureScheme::StandardWebhooks),
        &[Secret::new(HMAC_KEY)],
    )
    .unwrap()
    .with_clock(FixedClock(TS));
    hmac.verify(&headers(&format!("{v1a} {v1}")), BODY.as_bytes()).unwrap();
    assert_eq!(
        verifier(&[s(&a["public"])], TS).verify(&headers(&v1), BODY.as_bytes()),
        Err(WebhookError::NoExpectedScheme {
            header: "webhook-signature".into(),
            expected: "v1a"
        })
    );
    assert_eq!(
        hmac.verify(&headers(&v1a), BODY.as_bytes()),
        Err(WebhookError::NoExpectedScheme {
            header: "webhook-signature".into(),
            expected: "v1"
        })
    );
}

#[test]
fn rotated_keys() {
    let Some(v) = vectors() else { return };
    let (a, b) = (&v["pairs"][0], &v["pairs"][1]);
    let (sig_a, sig_b) = (format!("v1a,{}", s(&a["sig"])), format!("v1a,{}", s(&b["sig"])));
    let both = verifier(&[s(&b["public"]), s(&a["public"])], TS);
    assert_eq!(both.verify(&headers(&sig_a), BODY.as_bytes()).unwrap().secret_index, 1);
    assert_eq!(
        both.verify(&headers(&format!("{sig_a} {sig_b}")), BODY.as_bytes())
            .unwrap()
            .secret_index,
        0
    );
    assert_eq!(
        verifier(&[s(&b["public"])], TS).verify(&headers(&sig_a), BODY.as_bytes()),
        Err(WebhookError::NoMatchingSignature)
    );
}

#[test]
fn the_signer_reproduces_node_signatures() {
    let Some(v) = vectors() else { return };
    for pair in v["pairs"].as_array().unwrap() {
        for secret in [s(&pair["seed"]), s(&pair["pair"])] {
            let signer = Signer::new(ed25519_options(), &Secret::new(secret)).unwrap();
            let signed = signer.sign_with_id(ID, BODY.as_bytes(), TS);
            assert_eq!(
                signed.get("webhook-signature"),
                Some(format!("v1a,{}", s(&pair["sig"])).as_str())
            );
            assert_eq!(signed.get("webhook-id"), Some(ID));
            verifier(&[s(&pair["public"])], TS)
                .verify(&signed, BODY.as_bytes())
                .unwrap();
        }
    }
    // A key pair whose public half is another key's, a public key given to a signer, a secret key given to a
    // verifier: refused.
    let (a, b) = (&v["pairs"][0], &v["pairs"][1]);
    let seed_a = s(&a["seed"]).trim_start_matches("whsk_").to_string();
    let pk_b = s(&b["public"]).trim_start_matches("whpk_").to_string();
    use base64::Engine as _;
    let engine = base64::engine::general_purpose::STANDARD;
    let mut mismatched = engine.decode(seed_a).unwrap();
    mismatched.extend(engine.decode(pk_b).unwrap());
    let mismatched = format!("whsk_{}", engine.encode(mismatched));
    for (secret, what) in [
        (mismatched.as_str(), "mismatched pair"),
        (s(&a["public"]), "public key"),
    ] {
        assert!(
            matches!(
                Signer::new(ed25519_options(), &Secret::new(secret)),
                Err(VerifierConfigError::InvalidSecret { index: 0, .. })
            ),
            "{what}"
        );
    }
    for key in [s(&a["seed"]), "whpk_AAAA", HMAC_KEY] {
        assert!(
            matches!(
                Verifier::new(ed25519_options(), &[Secret::new(key)]),
                Err(VerifierConfigError::InvalidSecret { index: 0, .. })
            ),
            "{key}"
        );
    }
}

#[test]
fn an_ed25519_spec_verifies_node_signatures() {
    let Some(v) = vectors() else { return };
    let spec: IntegrationSpec = serde_json::from_value(json!({
        "meta": {"key": "custom.signed", "version": "1.0.0", "category": "custom", "title": "Signed",
                 "domain": "custom", "stability": "beta"},
        "supported_modes": ["managed"],
        "transports": [
            {"type": "rest", "base_url": "https://api.signed.test"},
            {"type": "webhook", "inbound": {"signature_header": "webhook-signature", "signing_algorithm": "ed25519",
                                            "scheme": "standard_webhooks"}}
        ],
        "preferred_transport": "rest",
        "supported_auth_methods": [
            {"type": "bearer"},
            {"type": "webhook-signing", "algorithm": "ed25519", "signature_header": "webhook-signature"}
        ],
        "config": {"type_name": "SignedConfig"},
        "secrets": {"type_name": "SignedSecrets"}
    }))
    .unwrap();
    spec_core::validate(&spec).unwrap();
    let a = &v["pairs"][0];
    Verifier::from_spec(&spec, &[Secret::new(s(&a["public"]))])
        .unwrap()
        .with_clock(FixedClock(TS))
        .verify(&headers(&format!("v1a,{}", s(&a["sig"]))), BODY.as_bytes())
        .unwrap();
    let signed = Signer::from_spec(&spec, &Secret::new(s(&a["seed"])))
        .unwrap()
        .sign_with_id(ID, BODY.as_bytes(), TS);
    assert_eq!(
        signed.get("webhook-signature"),
        Some(format!("v1a,{}", s(&a["sig"])).as_str())
    );
}
