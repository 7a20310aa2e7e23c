//! A provider signing in a way no preset covers, declared as data with `define_integration!`: HMAC-SHA512, hex,
//! over `{timestamp}:{id}:{body}`, in `X-Acme-Signature: ts=…;sig=…` with the delivery id in `X-Acme-Delivery`.
//! Signatures are made by Python's `hmac` (the peer venv); the Rust verifier and the emitted TypeScript SDK
//! verify them with no code specific to the provider: accepted, tampered body, stale timestamp, rotated
//! secret.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use spec_core::{ContentPart, HeaderFormat, Secret, SigningAlgorithm};
use spec_runtime::webhook::{FixedClock, Signer, Verifier, WebhookError};
use tests::peers::{node_output, python_output, require_node_modules, require_python};

/// An order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Order {
    /// Order id.
    pub id: String,
}

/// Parameters of an order lookup.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct OrderGetParams {
    /// Order id.
    pub order: String,
}

mod acme {
    use super::{Order, OrderGetParams};
    use tests::acme::{AcmeConfig, AcmeSecrets};

    spec_macros::define_integration! {
        /// Acme orders, signed with a layout of Acme's own.
        acme {
            meta: { key: "custom.acme", version: "1.0.0", category: custom, title: "Acme", domain: "custom",
                    stability: beta },
            supported_modes: [managed],
            transports: [
                rest { base_url: "https://api.acme.test", body: json },
                webhook { inbound: {
                    signature_header: "X-Acme-Signature",
                    signing_algorithm: hmac_sha512,
                    tolerance: 120,
                    signature: {
                        signed_content: "{timestamp}:{id}:{body}",
                        encoding: hex,
                        format: { style: items, separator: ";", signature_key: "sig", timestamp_key: "ts" },
                        id_header: "X-Acme-Delivery",
                    },
                } },
            ],
            preferred_transport: rest,
            supported_auth_methods: [
                bearer {},
                webhook_signing { algorithm: hmac_sha512, signature_header: "X-Acme-Signature" },
            ],
            config: AcmeConfig = { region: "eu" },
            secrets: AcmeSecrets = { api_key: "***", webhook_secret: "***" },
            actions: [
                /// Get an order.
                order_get { id: "acme.order.get", method: GET, path: "/orders/{order}", input: OrderGetParams,
                            output: Order },
            ],
            events: {
                prefix: "acme.",
                envelope: { id: { header: "X-Acme-Delivery" }, type: [{ body: "/type" }], object: { body: "/data" } },
                types: [ "order.paid" => Order ],
            },
        }
    }
}

const SECRET: &str = "acme-current-secret";
const OLD_SECRET: &str = "acme-previous-secret";
const BODY: &str = r#"{"type":"order.paid","data":{"id":"ord_1"},"note":"zoë"}"#;
const ID: &str = "dlv_42";
const TS: i64 = 1_764_590_000;

/// HMAC-SHA512 (hex) of `{ts}:{id}:{body}` under each secret, by Python's standard library, as the
/// `X-Acme-Signature` value `ts=…;sig=…[;sig=…]`.
const SIGN: &str = r#"
import hmac, hashlib, sys
ts, msg_id, body = sys.argv[1:4]
sigs = [hmac.new(s.encode(), f"{ts}:{msg_id}:{body}".encode(), hashlib.sha512).hexdigest() for s in sys.argv[4:]]
print(";".join([f"ts={ts}"] + [f"sig={s}" for s in sigs]))
"#;

fn python_header(python: &std::path::PathBuf, ts: i64, body: &str, secrets: &[&str]) -> String {
    let ts = ts.to_string();
    let mut args = vec![ts.as_str(), ID, body];
    args.extend_from_slice(secrets);
    python_output(python, SIGN, &args).trim().to_string()
}

fn headers(signature: &str) -> Vec<(&'static str, String)> {
    vec![
        ("X-Acme-Signature", signature.to_string()),
        ("X-Acme-Delivery", ID.to_string()),
    ]
}

fn verifier(secrets: &[&str], now: i64) -> Verifier {
    let secrets: Vec<Secret> = secrets.iter().map(|s| Secret::new(*s)).collect();
    Verifier::from_spec(acme::spec(), &secrets)
        .unwrap()
        .with_clock(FixedClock(now))
}

#[test]
fn the_declared_layout_is_the_layout_in_force() {
    let sig = acme::spec().webhook_signature().unwrap();
    assert_eq!(sig.preset, None);
    assert_eq!(sig.algorithm, SigningAlgorithm::HmacSha512);
    assert_eq!(sig.signature_header, "X-Acme-Signature");
    assert_eq!(sig.tolerance, Some(120));
    assert_eq!(sig.layout.id_header.as_deref(), Some("X-Acme-Delivery"));
    assert_eq!(
        sig.layout.content().unwrap(),
        [
            ContentPart::Timestamp,
            ContentPart::Text(":".into()),
            ContentPart::Id,
            ContentPart::Text(":".into()),
            ContentPart::Body
        ]
    );
    assert!(matches!(sig.layout.format, HeaderFormat::Items { ref separator, .. } if separator == ";"));
    assert_eq!(acme::spec().webhook_scheme(), None);
}

#[test]
fn python_signatures_verify_in_rust() {
    let Some(python) = require_python() else { return };
    let header = python_header(&python, TS, BODY, &[SECRET]);
    assert!(header.starts_with(&format!("ts={TS};sig=")), "{header}");
    let v = verifier(&[SECRET], TS + 60);
    let ok = v.verify(&headers(&header), BODY.as_bytes()).unwrap();
    assert_eq!(ok.timestamp, Some(TS));
    assert_eq!(ok.secret_index, 0);

    // Our signer writes exactly what Python computed.
    let ours = Signer::from_spec(acme::spec(), &Secret::new(SECRET))
        .unwrap()
        .sign_with_id(ID, BODY.as_bytes(), TS);
    assert_eq!(ours.get("X-Acme-Signature"), Some(header.as_str()));
    assert_eq!(ours.get("X-Acme-Delivery"), Some(ID));

    // Tampered body, another delivery id, a wrong secret.
    let tampered = BODY.replace("ord_1", "ord_2");
    assert_eq!(
        v.verify(&headers(&header), tampered.as_bytes()),
        Err(WebhookError::NoMatchingSignature)
    );
    let other_id = [
        ("X-Acme-Signature", header.clone()),
        ("X-Acme-Delivery", "dlv_43".to_string()),
    ];
    assert_eq!(
        v.verify(&other_id, BODY.as_bytes()),
        Err(WebhookError::NoMatchingSignature)
    );
    assert_eq!(
        verifier(&["not-the-secret"], TS).verify(&headers(&header), BODY.as_bytes()),
        Err(WebhookError::NoMatchingSignature)
    );

    // Stale and future timestamps, outside the declared 120 s.
    for now in [TS + 121, TS - 121] {
        assert_eq!(
            verifier(&[SECRET], now).verify(&headers(&header), BODY.as_bytes()),
            Err(WebhookError::TimestampOutsideTolerance {
                timestamp: TS,
                now,
                tolerance: 120
            })
        );
    }
    verifier(&[SECRET], TS + 120)
        .verify(&headers(&header), BODY.as_bytes())
        .unwrap();

    // Missing pieces name what was looked for.
    assert_eq!(
        v.verify(&[("X-Acme-Signature", header.as_str())], BODY.as_bytes()),
        Err(WebhookError::MissingHeader {
            header: "X-Acme-Delivery".into()
        })
    );
    let no_ts = header.replacen(&format!("ts={TS};"), "", 1);
    assert!(matches!(
        v.verify(&headers(&no_ts), BODY.as_bytes()),
        Err(WebhookError::MalformedHeader { ref header, .. }) if header == "X-Acme-Signature"
    ));
    assert_eq!(
        v.verify(&headers(&format!("ts={TS};v1=00")), BODY.as_bytes()),
        Err(WebhookError::NoExpectedScheme {
            header: "X-Acme-Signature".into(),
            expected: "sig"
        })
    );
}

#[test]
fn rotated_secrets_verify_in_rust() {
    let Some(python) = require_python() else { return };
    let old_only = python_header(&python, TS, BODY, &[OLD_SECRET]);
    let both = python_header(&python, TS, BODY, &[OLD_SECRET, SECRET]);
    let rotating = verifier(&[SECRET, OLD_SECRET], TS);
    assert_eq!(
        rotating
            .verify(&headers(&old_only), BODY.as_bytes())
            .unwrap()
            .secret_index,
        1
    );
    assert_eq!(
        rotating.verify(&headers(&both), BODY.as_bytes()).unwrap().secret_index,
        0
    );
    let rotated = verifier(&[SECRET], TS);
    assert_eq!(
        rotated.verify(&headers(&both), BODY.as_bytes()).unwrap().secret_index,
        0
    );
    assert_eq!(
        rotated.verify(&headers(&old_only), BODY.as_bytes()),
        Err(WebhookError::NoMatchingSignature)
    );
}

/// Loads the emitted SDK's `acme/webhooks.js` and verifies the given cases; prints one outcome per case.
const TS_SCRIPT: &str = r#"
const path = require("path");
const { pathToFileURL } = require("url");
(async () => {
  const [pkg, casesJson] = process.argv.slice(1);
  const acme = await import(pathToFileURL(path.join(pkg, "dist", "acme", "webhooks.js")).href);
  const out = {};
  for (const c of JSON.parse(casesJson)) {
    try {
      const event = await acme.receiveWebhook(c.body, c.headers, c.secrets, { now: c.now });
      out[c.name] = `ok ${event.kind} ${event.type} ${event.id}`;
    } catch (e) {
      out[c.name] = `${e.name}: ${e.message}`;
    }
  }
  console.log(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
"#;

#[test]
fn python_signatures_verify_in_the_emitted_typescript() {
    let (Some(python), Some(node_modules)) = (require_python(), require_node_modules()) else {
        return;
    };
    let files = codegen::generate(&codegen::GenInput {
        integrations: vec![acme::spec()],
        shared: vec![],
        ..Default::default()
    })
    .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    codegen::drift::write(tmp.path(), &files).unwrap();
    let pkg = tmp.path().join("typescript");
    let webhooks = std::fs::read_to_string(pkg.join("acme/webhooks.ts")).unwrap();
    assert!(webhooks.contains("algorithm: \"hmac-sha512\""), "{webhooks}");
    assert!(
        webhooks
            .contains("format: { style: \"items\", separator: \";\", signatureKey: \"sig\", timestampKey: \"ts\" }"),
        "{webhooks}"
    );
    let tsc = std::process::Command::new(node_modules.join(".bin/tsc"))
        .arg("-p")
        .arg(&pkg)
        .arg("--strict")
        .output()
        .unwrap();
    assert!(
        tsc.status.success(),
        "tsc: {}{}",
        String::from_utf8_lossy(&tsc.stdout),
        String::from_utf8_lossy(&tsc.stderr)
    );
    let h = |sig: &str| serde_json::json!({ "x-acme-signature": sig, "x-acme-delivery": ID });
    let good = python_header(&python, TS, BODY, &[SECRET]);
    let old = python_header(&python, TS, BODY, &[OLD_SECRET]);
    let cases = serde_json::json!([
        {"name": "good", "body": BODY, "headers": h(&good), "secrets": [SECRET], "now": TS + 60},
        {"name": "tampered", "body": BODY.replace("ord_1", "ord_2"), "headers": h(&good), "secrets": [SECRET], "now": TS},
        {"name": "stale", "body": BODY, "headers": h(&good), "secrets": [SECRET], "now": TS + 121},
        {"name": "rotated", "body": BODY, "headers": h(&old), "secrets": [SECRET, OLD_SECRET], "now": TS},
        {"name": "retired", "body": BODY, "headers": h(&old), "secrets": [SECRET], "now": TS},
        {"name": "noId", "body": BODY, "headers": {"x-acme-signature": good}, "secrets": [SECRET], "now": TS},
        {"name": "noSig", "body": BODY, "headers": h(&format!("ts={TS};v1=00")), "secrets": [SECRET], "now": TS},
    ]);
    let out = node_output(&node_modules, TS_SCRIPT, &[pkg.to_str().unwrap(), &cases.to_string()]);
    let r: serde_json::Value = serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_eq!(r["good"], format!("ok event order.paid {ID}"));
    assert_eq!(r["rotated"], format!("ok event order.paid {ID}"));
    let refused = |k: &str, needle: &str| {
        let v = r[k].as_str().unwrap_or_default();
        assert!(
            v.starts_with("WebhookVerificationError") && v.contains(needle),
            "{k}: {v}"
        );
    };
    refused("tampered", "no signature matches");
    refused("stale", "tolerance");
    refused("retired", "no signature matches");
    refused("noId", "x-acme-delivery");
    refused("noSig", "no sig signature");
}
