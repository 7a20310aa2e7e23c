//! Standard Webhooks as every known sender spells it, against the official libraries both ways: `svix`
//! (PyPI; Svix's `svix-id` / `svix-timestamp` / `svix-signature` headers) and `standardwebhooks` (PyPI; the
//! `webhook-*` headers). A spec declares the header names once (`id_header`, `timestamp_header`,
//! `signature_header`); the verifier, the signer and the errors use them. Padded and unpadded `whsec_` keys,
//! tampered bodies, stale timestamps and rotated secrets.

use serde_json::{Value, json};
use spec_core::{IntegrationSpec, Secret};
use spec_runtime::webhook::{FixedClock, Signer, Verifier};
use tests::peers::{python_output, require_python};

/// 25 key bytes: their base64 ends in `=`, so the key exists padded and unpadded.
const KEY_B64: &str = "c2VjcmV0LWtleS1mb3ItdGhlLXN2aXgtdGVzdA==";
const BODY: &str = "{\"type\":\"email.delivered\",\"created_at\":\"2026-12-01T12:00:00Z\",\"data\":{\"email_id\":\"e_1\",\"to\":[\"zoë@example.com\"]}}";

fn spec(prefix: &str) -> IntegrationSpec {
    let v = json!({
        "meta": {"key": "email.resend", "version": "1.0.0", "category": "email", "title": "Resend",
                 "domain": "email", "stability": "stable"},
        "supported_modes": ["managed"],
        "transports": [
            {"type": "rest", "base_url": "https://api.resend.com"},
            {"type": "webhook", "inbound": {"signature_header": format!("{prefix}-signature"),
                                            "signing_algorithm": "hmac-sha256", "scheme": "standard_webhooks"}}
        ],
        "preferred_transport": "rest",
        "supported_auth_methods": [
            {"type": "bearer", "header_name": "Authorization"},
            {"type": "webhook-signing", "algorithm": "hmac-sha256", "signature_header": format!("{prefix}-signature"),
             "timestamp_header": format!("{prefix}-timestamp"), "id_header": format!("{prefix}-id")}
        ],
        "config": {"type_name": "ResendConfig"},
        "secrets": {"type_name": "ResendSecrets"}
    });
    let spec: IntegrationSpec = serde_json::from_value(v).unwrap();
    spec_core::validate(&spec).unwrap();
    spec
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Signs `BODY` with the official library `lib` (`svix` or `standardwebhooks`) and prints the headers it
/// means to be sent, as JSON.
const SIGN: &str = r#"
import sys, json
from datetime import datetime, timezone
lib, secret, msg_id, ts, body = sys.argv[1:6]
when = datetime.fromtimestamp(int(ts), tz=timezone.utc)
if lib == "svix":
    from svix.webhooks import Webhook
    sig = Webhook(secret).sign(msg_id, when, body)
    print(json.dumps({"svix-id": msg_id, "svix-timestamp": ts, "svix-signature": sig}))
else:
    from standardwebhooks.webhooks import Webhook
    sig = Webhook(secret).sign(msg_id, when, body)
    print(json.dumps({"webhook-id": msg_id, "webhook-timestamp": ts, "webhook-signature": sig}))
"#;

/// Verifies headers (JSON) and a body with the official library; prints `ok` or the library's error.
const VERIFY: &str = r#"
import sys, json
lib, secret, headers, body = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), sys.argv[4]
try:
    if lib == "svix":
        from svix.webhooks import Webhook
    else:
        from standardwebhooks.webhooks import Webhook
    Webhook(secret).verify(body, headers)
    print("ok")
except Exception as e:
    print("refused: " + type(e).__name__)
"#;

fn sign_with(
    python: &std::path::PathBuf,
    lib: &str,
    secret: &str,
    id: &str,
    ts: i64,
    body: &str,
) -> Vec<(String, String)> {
    let out = python_output(python, SIGN, &[lib, secret, id, &ts.to_string(), body]);
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    v.as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
        .collect()
}

fn verify_with(
    python: &std::path::PathBuf,
    lib: &str,
    secret: &str,
    headers: &[(String, String)],
    body: &str,
) -> String {
    let map: serde_json::Map<String, Value> = headers.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
    python_output(python, VERIFY, &[lib, secret, &Value::Object(map).to_string(), body])
        .trim()
        .to_string()
}

fn verifier(spec: &IntegrationSpec, secrets: &[&str], at: i64) -> Verifier {
    let secrets: Vec<Secret> = secrets.iter().map(|s| Secret::new(*s)).collect();
    Verifier::from_spec(spec, &secrets).unwrap().with_clock(FixedClock(at))
}

#[test]
fn deliveries_signed_by_the_official_libraries_verify_with_the_declared_headers() {
    let Some(python) = require_python() else {
        return;
    };
    let padded = format!("whsec_{KEY_B64}");
    let unpadded = padded.trim_end_matches('=').to_string();
    let t = now();
    for (lib, prefix) in [("svix", "svix"), ("standardwebhooks", "webhook")] {
        let spec = spec(prefix);
        for key in [&padded, &unpadded] {
            let headers = sign_with(&python, lib, &padded, "msg_2Lx", t, BODY);
            assert!(headers.iter().all(|(k, _)| k.starts_with(prefix)), "{headers:?}");
            let v = verifier(&spec, &[key], t);
            v.verify(&headers, BODY.as_bytes())
                .unwrap_or_else(|e| panic!("{lib} with {key}: {e}"));
            // A tampered body, a stale timestamp and another key are refused.
            let tampered = BODY.replace("e_1", "e_2");
            assert_eq!(
                v.verify(&headers, tampered.as_bytes()).unwrap_err().kind(),
                "no_matching_signature"
            );
            let stale = verifier(&spec, &[key], t + 301);
            assert_eq!(
                stale.verify(&headers, BODY.as_bytes()).unwrap_err().kind(),
                "timestamp_outside_tolerance"
            );
            let other = verifier(&spec, &["whsec_b3RoZXIta2V5LW9mLXRoaXJ0eS10d28tYnl0ZXMh"], t);
            assert!(other.verify(&headers, BODY.as_bytes()).is_err());
            // Rotation: the new key among the old ones verifies.
            let rotated = verifier(&spec, &["whsec_b3RoZXIta2V5LW9mLXRoaXJ0eS10d28tYnl0ZXMh", key], t);
            rotated.verify(&headers, BODY.as_bytes()).unwrap();
        }
        // The errors name the declared headers.
        let v = verifier(&spec, &[&padded], t);
        let without_id: Vec<(String, String)> = sign_with(&python, lib, &padded, "msg_x", t, BODY)
            .into_iter()
            .filter(|(k, _)| !k.ends_with("-id"))
            .collect();
        let e = v.verify(&without_id, BODY.as_bytes()).unwrap_err();
        assert!(e.to_string().contains(&format!("{prefix}-id")), "{e}");
    }
}

#[test]
fn deliveries_we_sign_verify_with_the_official_libraries() {
    let Some(python) = require_python() else {
        return;
    };
    let secret = format!("whsec_{KEY_B64}");
    let t = now();
    for (lib, prefix) in [("svix", "svix"), ("standardwebhooks", "webhook")] {
        let signer = Signer::from_spec(&spec(prefix), &Secret::new(&secret)).unwrap();
        let headers: Vec<(String, String)> = signer
            .sign_with_id("msg_ours_1", BODY.as_bytes(), t)
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let names: Vec<&str> = headers.iter().map(|(k, _)| k.as_str()).collect();
        for suffix in ["id", "timestamp", "signature"] {
            assert!(names.contains(&format!("{prefix}-{suffix}").as_str()), "{names:?}");
        }
        assert_eq!(headers.len(), 3, "{names:?}");
        assert_eq!(verify_with(&python, lib, &secret, &headers, BODY), "ok", "{lib}");
        let tampered = BODY.replace("e_1", "e_2");
        assert!(
            verify_with(&python, lib, &secret, &headers, &tampered).starts_with("refused"),
            "{lib}"
        );
        // The unpadded form of the same key signs the same way.
        let unpadded = Signer::from_spec(&spec(prefix), &Secret::new(secret.trim_end_matches('='))).unwrap();
        let again: Vec<(String, String)> = unpadded
            .sign_with_id("msg_ours_1", BODY.as_bytes(), t)
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(again, headers);
    }
}
