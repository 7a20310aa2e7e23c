//! The generated TypeScript SDK compiles with `tsc --strict`, and the compiled client for the test spec
//! creates, reads, lists and deletes customers on localstripe and verifies Stripe-signed webhooks (signed
//! by the official `stripe` npm package).
//!
//! The SDK is emitted as `.ts` sources; the test compiles them with tsc into the package's `dist/` in a
//! temporary copy and imports the compiled ES modules from Node.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::GenInput;
use serde_json::Value;

/// Generates the files for `spec` into a temporary directory; returns it and the TypeScript package dir.
fn generate(spec: &spec_core::IntegrationSpec) -> (tempfile::TempDir, PathBuf) {
    let files = codegen::generate(&GenInput {
        integrations: vec![spec],
        shared: support::shared(),
        ..Default::default()
    })
    .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    codegen::drift::write(tmp.path(), &files).unwrap();
    let pkg = tmp.path().join("typescript");
    (tmp, pkg)
}

fn tsc(node_modules: &Path, pkg: &Path, extra: &[&str]) -> std::process::Output {
    Command::new(node_modules.join(".bin/tsc"))
        .arg("-p")
        .arg(pkg)
        .arg("--strict")
        .args(extra)
        .output()
        .unwrap_or_else(|e| panic!("cannot run tsc: {e}"))
}

fn assert_ok(out: &std::process::Output, what: &str) {
    assert!(
        out.status.success(),
        "{what} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn sdk_compiles_with_tsc_strict() {
    let Some(node_modules) = tests::peers::require_node_modules() else {
        return;
    };
    let spec = support::mini_stripe();
    let (_tmp, pkg) = generate(&spec);
    assert_ok(&tsc(&node_modules, &pkg, &["--noEmit"]), "tsc --strict --noEmit");
}

#[test]
fn tsc_rejects_a_misuse_of_the_generated_types() {
    // The strict check is only worth something if the types bite: a wrong input type fails to compile.
    let Some(node_modules) = tests::peers::require_node_modules() else {
        return;
    };
    let spec = support::mini_stripe();
    let (_tmp, pkg) = generate(&spec);
    std::fs::write(
        pkg.join("misuse.ts"),
        "import { StripeClient } from \"./stripe/index.js\";\n\
         export const p = new StripeClient({ apiVersion: \"2023-10-16\" }).customerGet({ id: 42 });\n",
    )
    .unwrap();
    let out = tsc(&node_modules, &pkg, &["--noEmit"]);
    assert!(!out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("misuse.ts"), "{text}");
    assert!(
        text.contains("2023-10-16"),
        "a sunset version is not a StripeApiVersion: {text}"
    );
}

const SCRIPT: &str = r#"
const path = require("path");
const { pathToFileURL } = require("url");
const Stripe = require("stripe");

(async () => {
  const [pkg, baseUrl] = process.argv.slice(1);
  const sdk = await import(pathToFileURL(path.join(pkg, "dist/stripe/index.js")).href);
  const requests = [];
  const recording = async (url, init) => {
    requests.push({ url, method: init.method, headers: Object.fromEntries(new Headers(init.headers)), body: init.body ?? null });
    return fetch(url, init);
  };
  const client = new sdk.StripeClient({ apiKey: "sk_test_12345", baseUrl, fetch: recording });

  const created = await client.customerCreate({
    email: "ada@example.com", name: "Ada Lovelace",
    metadata: { source: "sdk", plan: "pro" }, address: { city: "London", country: "GB" },
    preferred_locales: ["en", "fr"],
  });
  const fetched = await client.customerGet({ id: created.id }, { apiVersion: "2024-06-20" });
  await client.customerCreate({ email: "grace@example.com" }, { idempotencyKey: "fixed-key-1" });
  await client.customerCreate({ email: "alan@example.com" });
  const page = await client.customerList({ limit: 1 });
  const all = [];
  for await (const c of client.customerListAll({ limit: 1 })) all.push(c.id);

  let error = null;
  try {
    await client.customerGet({ id: "cus_missing" });
  } catch (e) {
    error = { isApiError: e instanceof sdk.ApiError, status: e.status, type: e.error?.type, message: e.message };
  }
  let badVersion = null;
  try {
    new sdk.StripeClient({ apiKey: "sk_test_12345", apiVersion: "2023-10-16" });
  } catch (e) {
    badVersion = e.name;
  }
  const deleted = await client.customerDelete({ id: created.id });

  const secret = "whsec_test_secret";
  const payload = JSON.stringify({
    id: "evt_1", object: "event", type: "customer.created", created: 1700000000, livemode: false,
    data: { object: fetched },
  });
  const header = Stripe.webhooks.generateTestHeaderString({ payload, secret });
  const event = await sdk.verifyWebhook(payload, { "Stripe-Signature": header }, secret);
  const fromBytes = await sdk.verifyWebhook(new TextEncoder().encode(payload), new Headers({ "stripe-signature": header }), secret);
  const rotated = await sdk.constructEvent(payload, header, ["whsec_previous", secret]);
  const rejected = async (f) => {
    try { await f(); return null; } catch (e) { return e instanceof sdk.WebhookVerificationError ? e.message : `unexpected ${e}`; }
  };
  const old = Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: Math.floor(Date.now() / 1000) - 3600 });
  const result = {
    created, fetched, deleted, all, error, badVersion, requests,
    page: { length: page.data.length, has_more: page.has_more },
    event: { type: event.type, id: event.data.object.id }, fromBytes: fromBytes.id, rotated: rotated.id,
    tampered: await rejected(() => sdk.verifyWebhook(payload.replace("Ada", "Eve"), { "stripe-signature": header }, secret)),
    wrongSecret: await rejected(() => sdk.constructEvent(payload, header, "whsec_other")),
    expired: await rejected(() => sdk.constructEvent(payload, old, secret)),
    oldAccepted: (await sdk.constructEvent(payload, old, secret, { tolerance: 0 })).id,
    missingHeader: await rejected(() => sdk.verifyWebhook(payload, {}, secret)),
    stripeAgrees: Stripe.webhooks.constructEvent(payload, header, secret).id,
  };
  console.log(JSON.stringify(result));
})().catch((e) => { console.error(e); process.exit(1); });
"#;

#[test]
fn sdk_talks_to_localstripe_and_verifies_stripe_signed_webhooks() {
    let Some(node_modules) = tests::peers::require_node_modules() else {
        return;
    };
    let Some(stripe) = tests::peers::LocalStripe::start() else {
        return;
    };
    let spec = support::mini_stripe_at(&stripe.url);
    let (_tmp, pkg) = generate(&spec);
    assert_ok(&tsc(&node_modules, &pkg, &[]), "tsc --strict (emit)");
    assert!(pkg.join("dist/stripe/index.js").exists());

    let out = tests::peers::node_output(&node_modules, SCRIPT, &[pkg.to_str().unwrap(), &stripe.url]);
    let r: Value = serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("{e}: {out}"));

    // Create and read back, with bracket-encoded nested fields.
    let id = r["created"]["id"].as_str().unwrap();
    assert!(id.starts_with("cus_"), "{id}");
    assert_eq!(r["fetched"]["id"], id);
    assert_eq!(r["fetched"]["email"], "ada@example.com");
    assert_eq!(
        r["fetched"]["metadata"],
        serde_json::json!({"source": "sdk", "plan": "pro"})
    );
    assert_eq!(r["fetched"]["address"]["city"], "London");
    assert_eq!(r["fetched"]["preferred_locales"], serde_json::json!(["en", "fr"]));
    assert_eq!(r["deleted"]["deleted"], true);
    assert_eq!(r["deleted"]["id"], id);

    // Paging: three customers, one per page.
    assert_eq!(r["page"]["length"], 1);
    assert_eq!(r["page"]["has_more"], true);
    let all: Vec<&str> = r["all"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert_eq!(all.len(), 3, "{all:?}");
    assert!(all.contains(&id));

    // Typed errors carry the status and the provider's error object.
    assert_eq!(r["error"]["isApiError"], true);
    assert_eq!(r["error"]["status"], 404);
    assert_eq!(r["error"]["type"], "invalid_request_error");
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .contains("stripe.customer.get failed with HTTP 404")
    );
    assert_eq!(r["badVersion"], "TypeError");

    // The exact requests the SDK sent.
    let requests = r["requests"].as_array().unwrap();
    let create = &requests[0];
    assert_eq!(create["method"], "POST");
    assert_eq!(create["url"], format!("{}/v1/customers", stripe.url));
    let h = &create["headers"];
    assert_eq!(h["authorization"], "Bearer sk_test_12345");
    assert_eq!(h["stripe-version"], "2024-11-20.acacia");
    assert_eq!(h["content-type"], "application/x-www-form-urlencoded");
    let key = h["idempotency-key"].as_str().unwrap();
    assert_eq!(key.len(), 36, "a random UUID: {key}");
    let body = create["body"].as_str().unwrap();
    for part in [
        "metadata%5Bsource%5D=sdk",
        "address%5Bcity%5D=London",
        "preferred_locales%5B1%5D=fr",
    ] {
        assert!(body.contains(part), "{part} in {body}");
    }
    let get = &requests[1];
    assert_eq!(get["method"], "GET");
    assert_eq!(get["url"], format!("{}/v1/customers/{id}", stripe.url));
    assert_eq!(
        get["headers"]["stripe-version"], "2024-06-20",
        "per-request version override"
    );
    assert!(
        get["headers"].get("idempotency-key").is_none(),
        "reads carry no idempotency key"
    );
    assert!(get["body"].is_null());
    assert_eq!(requests[2]["headers"]["idempotency-key"], "fixed-key-1");
    assert_ne!(requests[3]["headers"]["idempotency-key"], key, "a fresh key per call");
    let list = &requests[4];
    assert_eq!(list["url"], format!("{}/v1/customers?limit=1", stripe.url));
    let second_page = &requests[6];
    assert!(
        second_page["url"].as_str().unwrap().contains("starting_after=cus_"),
        "{}",
        second_page["url"]
    );

    // Webhooks signed by the official stripe package verify; tampering, wrong secrets, stale
    // timestamps and missing headers do not.
    assert_eq!(r["event"], serde_json::json!({"type": "customer.created", "id": id}));
    assert_eq!(r["fromBytes"], "evt_1");
    assert_eq!(r["rotated"], "evt_1");
    assert_eq!(r["stripeAgrees"], "evt_1");
    assert!(
        r["tampered"].as_str().unwrap().contains("no signature matches"),
        "{}",
        r["tampered"]
    );
    assert!(r["wrongSecret"].as_str().unwrap().contains("no signature matches"));
    assert!(r["expired"].as_str().unwrap().contains("tolerance"), "{}", r["expired"]);
    assert_eq!(r["oldAccepted"], "evt_1");
    assert!(r["missingHeader"].as_str().unwrap().contains("stripe-signature"));
}

/// The test spec with another signature scheme (and header, algorithm) on both the webhook transport
/// and the webhook-signing auth method.
fn with_scheme(
    scheme: Option<spec_core::SignatureScheme>,
    header: &str,
    algorithm: spec_core::SigningAlgorithm,
) -> spec_core::IntegrationSpec {
    let mut spec = support::mini_stripe();
    for t in &mut spec.transports {
        if let spec_core::Transport::Webhook(w) = t {
            let inbound = w.inbound.as_mut().unwrap();
            inbound.scheme = scheme;
            inbound.signature_header = header.into();
            inbound.signing_algorithm = algorithm;
        }
    }
    for m in &mut spec.supported_auth_methods {
        if let spec_core::AuthMethod::WebhookSigning(w) = m {
            w.signature_header = header.into();
            w.algorithm = algorithm;
        }
    }
    spec_core::validate(&spec).unwrap();
    spec
}

const SCHEMES_SCRIPT: &str = r#"
const path = require("path");
const crypto = require("crypto");
const { pathToFileURL } = require("url");

(async () => {
  const [pkg] = process.argv.slice(1);
  const load = (dir) => import(pathToFileURL(path.join(pkg, "dist", dir, "webhooks.js")).href);
  const body = JSON.stringify({ hello: "world", n: 1 });
  const now = Math.floor(Date.now() / 1000);
  const hmac = (hash, key, text, enc) => crypto.createHmac(hash, key).update(text).digest(enc);
  const outcome = async (f) => {
    try { await f(); return "ok"; } catch (e) { return `${e.name}: ${e.message}`; }
  };
  const out = {};

  const gh = await load("v_github");
  const ghSig = `sha256=${hmac("sha256", "gh-secret", body, "hex")}`;
  out.github = await outcome(() => gh.verifyWebhook(body, { "X-Hub-Signature-256": ghSig }, "gh-secret"));
  out.githubBad = await outcome(() => gh.verifyWebhook(body + " ", { "x-hub-signature-256": ghSig }, "gh-secret"));

  const sha1 = await load("v_sha1");
  out.sha1 = await outcome(() => sha1.verifyWebhook(body, { "x-hub-signature": `sha1=${hmac("sha1", "s1", body, "hex")}` }, "s1"));

  const slack = await load("v_slack");
  const slackHeaders = (ts, secret) => ({
    "x-slack-signature": `v0=${hmac("sha256", secret, `v0:${ts}:${body}`, "hex")}`,
    "x-slack-request-timestamp": String(ts),
  });
  out.slack = await outcome(() => slack.verifyWebhook(body, slackHeaders(now, "sl"), ["old", "sl"]));
  out.slackStale = await outcome(() => slack.verifyWebhook(body, slackHeaders(now - 3600, "sl"), "sl"));
  out.slackWrong = await outcome(() => slack.verifyWebhook(body, slackHeaders(now, "other"), "sl"));

  const sw = await load("v_standard");
  const key = crypto.randomBytes(24);
  const secret = `whsec_${key.toString("base64")}`;
  const swHeaders = (id, ts, sigs) => ({ "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": sigs });
  const good = `v1,${hmac("sha256", key, `msg_1.${now}.${body}`, "base64")}`;
  out.standard = await outcome(() => sw.verifyWebhook(body, swHeaders("msg_1", now, `v1,bm90LWl0 ${good}`), secret));
  out.standardOtherId = await outcome(() => sw.verifyWebhook(body, swHeaders("msg_2", now, good), secret));
  out.standardNoV1 = await outcome(() => sw.verifyWebhook(body, swHeaders("msg_1", now, "v2,abc"), secret));

  const swEd = await load("v_sw_ed25519");
  const pair = crypto.generateKeyPairSync("ed25519");
  const pk = `whpk_${Buffer.from(pair.publicKey.export({ format: "jwk" }).x, "base64url").toString("base64")}`;
  const edSig = crypto.sign(null, Buffer.from(`msg_1.${now}.${body}`), pair.privateKey).toString("base64");
  out.standardEd25519 = await outcome(() => swEd.verifyWebhook(body, swHeaders("msg_1", now, `${good} v1a,${edSig}`), pk));
  out.standardEd25519Tampered = await outcome(() =>
    swEd.verifyWebhook(body + " ", swHeaders("msg_1", now, `v1a,${edSig}`), pk),
  );
  out.standardEd25519OnlyV1 = await outcome(() => swEd.verifyWebhook(body, swHeaders("msg_1", now, good), pk));

  const ed = await load("v_ed25519");
  out.ed25519 = await outcome(() => ed.verifyWebhook(body, { "x-signature": "x" }, "k"));
  console.log(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
"#;

#[test]
fn every_webhook_scheme_compiles_and_verifies_signatures_made_by_node_crypto() {
    use spec_core::{SignatureScheme as S, SigningAlgorithm as A};
    let Some(node_modules) = tests::peers::require_node_modules() else {
        return;
    };
    let (_tmp, pkg) = generate(&support::mini_stripe());
    let variants = [
        ("v_github", Some(S::Github), "x-hub-signature-256", A::HmacSha256),
        ("v_sha1", None, "x-hub-signature", A::HmacSha1),
        ("v_slack", Some(S::Slack), "x-slack-signature", A::HmacSha256),
        (
            "v_standard",
            Some(S::StandardWebhooks),
            "webhook-signature",
            A::HmacSha256,
        ),
        (
            "v_sw_ed25519",
            Some(S::StandardWebhooks),
            "webhook-signature",
            A::Ed25519,
        ),
        ("v_ed25519", None, "x-signature", A::Ed25519),
    ];
    for (dir, scheme, header, algorithm) in variants {
        for f in codegen::typescript::emit(&with_scheme(scheme, header, algorithm)).unwrap() {
            let name = f.path.file_name().unwrap();
            std::fs::create_dir_all(pkg.join(dir)).unwrap();
            std::fs::write(pkg.join(dir).join(name), &f.contents).unwrap();
        }
    }
    assert_ok(&tsc(&node_modules, &pkg, &[]), "tsc --strict over every scheme");
    let out = tests::peers::node_output(&node_modules, SCHEMES_SCRIPT, &[pkg.to_str().unwrap()]);
    let r: Value = serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("{e}: {out}"));
    for ok in ["github", "sha1", "slack", "standard", "standardEd25519"] {
        assert_eq!(r[ok], "ok", "{ok}: {}", r[ok]);
    }
    let failed = |k: &str, needle: &str| {
        let v = r[k].as_str().unwrap();
        assert!(
            v.starts_with("WebhookVerificationError") && v.contains(needle),
            "{k}: {v}"
        );
    };
    failed("githubBad", "no signature matches");
    failed("slackStale", "tolerance");
    failed("slackWrong", "no signature matches");
    failed("standardOtherId", "no signature matches");
    failed("standardNoV1", "no v1 signature");
    failed("ed25519", "not supported");
    failed("standardEd25519Tampered", "no signature matches");
    failed("standardEd25519OnlyV1", "no v1a signature");
}
