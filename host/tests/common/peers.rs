//! The official `standardwebhooks` package in the peer venv the test command installs (`cargo xtask peers`).

use std::path::PathBuf;

/// The venv's Python with `standardwebhooks`, or `None` (skip, outside CI).
pub fn python_with_standardwebhooks() -> Option<PathBuf> {
    let py = tests::peers::require_python()?;
    let usable = std::process::Command::new(&py)
        .args(["-c", "import standardwebhooks"])
        .status()
        .is_ok_and(|s| s.success());
    if usable {
        return Some(py);
    }
    let msg = format!(
        "the Python peer venv at {} lacks standardwebhooks; run `cargo xtask peers`",
        py.display()
    );
    assert!(!tests::peers::strict(), "{msg}");
    eprintln!("skipped: {msg}");
    None
}

const VERIFY: &str = r#"
import json, sys
from standardwebhooks.webhooks import Webhook, WebhookVerificationError
cases = json.load(open(sys.argv[1]))
for c in cases:
    Webhook(c["secret"]).verify(c["body"], c["headers"])
c = cases[0]
try:
    Webhook(c["secret"]).verify(c["body"] + " ", c["headers"])
    print("a tampered body verified")
    sys.exit(3)
except WebhookVerificationError:
    pass
print(f"verified {len(cases)}")
"#;

/// A signed request to verify: the secret, the headers, the body.
pub type Signed = (String, Vec<(String, String)>, Vec<u8>);

/// Verifies every `(secret, headers, body)` with `standardwebhooks.Webhook(secret).verify(body, headers)` and
/// checks that a tampered body fails; returns how many verified, or `None` when the peer is missing.
pub fn verify_standard_webhooks(cases: &[Signed]) -> Option<usize> {
    assert!(!cases.is_empty());
    let py = python_with_standardwebhooks()?;
    let json: Vec<serde_json::Value> = cases
        .iter()
        .map(|(secret, headers, body)| {
            let h: serde_json::Map<String, serde_json::Value> = headers
                .iter()
                .filter(|(k, _)| k.starts_with("webhook-"))
                .map(|(k, v)| (k.clone(), serde_json::Value::from(v.as_str())))
                .collect();
            serde_json::json!({"secret": secret, "headers": h, "body": String::from_utf8(body.clone()).unwrap()})
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cases.json");
    std::fs::write(&file, serde_json::to_vec(&json).unwrap()).unwrap();
    let out = std::process::Command::new(py)
        .args(["-c", VERIFY])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "standardwebhooks refused a delivery: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Some(cases.len())
}
