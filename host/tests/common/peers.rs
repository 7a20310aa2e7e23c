//! Peers the test command installs (`cargo xtask peers`) under `target/peers`, or `$PEERS_DIR`: the Python
//! venv with the official `standardwebhooks` package.

use std::path::PathBuf;

/// Whether a missing peer fails the test (`CI=true`) rather than skipping it.
pub fn strict() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// The venv's Python with `standardwebhooks`, or `None` (skip, outside CI).
pub fn python_with_standardwebhooks() -> Option<PathBuf> {
    let dir = std::env::var_os("PEERS_DIR").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .map(|p| p.join("target/peers"))
            .unwrap_or_default()
    });
    let py = dir.join("venv/bin/python");
    let usable = py.exists()
        && std::process::Command::new(&py)
            .args(["-c", "import standardwebhooks"])
            .status()
            .is_ok_and(|s| s.success());
    if usable {
        return Some(py);
    }
    let msg = format!(
        "the Python peer venv with standardwebhooks is not at {}; run `cargo xtask peers` (or set PEERS_DIR)",
        py.display()
    );
    assert!(!strict(), "{msg}");
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
