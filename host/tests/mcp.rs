//! The MCP server with the official clients as peers: the Python SDK (`mcp`) and the TypeScript SDK
//! (`@modelcontextprotocol/sdk`), each over stdio (`integration-host mcp`) and streamable HTTP
//! (`/v1/projects/{project}/mcp`). Customers are created and listed against localstripe; refunds, which
//! localstripe cannot make without a charge, go to a recording server standing in for Stripe.

mod common;

use std::path::PathBuf;
use std::time::Duration;

use common::{TestHost, TestStore};
use serde_json::{Value, json};
use tests::recorder::Recorder;

const PY_CLIENT: &str = include_str!("peers/mcp_client.py");
const JS_CLIENT: &str = include_str!("peers/mcp_client.js");

/// The protocol versions rmcp 3.11 serves.
const SERVED_VERSIONS: [&str; 5] = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28"];

/// A server answering like Stripe for refunds (with every member the refund's output schema requires: the
/// clients check `structuredContent` against it); records every request.
async fn recording_stripe() -> Recorder {
    Recorder::answering(|r, n| match (r.method.as_str(), r.path.as_str()) {
        ("POST", "/v1/refunds") => (
            200,
            json!({"id": format!("re_{n}"), "object": "refund", "amount": 500, "created": 1_700_000_000,
                   "currency": "usd", "charge": "ch_1", "status": "succeeded"}),
        ),
        _ => (503, json!({"error": {"type": "api_error", "message": "down"}})),
    })
    .await
}

async fn host_over(t: &TestStore, stripe: &str) -> TestHost {
    let mut settings = common::settings();
    settings.api_base_urls.insert("stripe".into(), stripe.to_string());
    common::serve_with(&t.store, settings).await
}

/// An official MCP client.
#[derive(Debug, Clone)]
enum Peer {
    Python(PathBuf),
    Node(PathBuf),
}

impl Peer {
    fn python() -> Option<Self> {
        tests::peers::require_python().map(Self::Python)
    }

    fn node() -> Option<Self> {
        let modules = tests::peers::require_node_modules()?;
        if modules.join("@modelcontextprotocol/sdk").exists() {
            Some(Self::Node(modules))
        } else {
            assert!(
                !tests::peers::strict(),
                "@modelcontextprotocol/sdk is not installed; run `cargo xtask peers`"
            );
            eprintln!("skipped: @modelcontextprotocol/sdk is not installed; run `cargo xtask peers`");
            None
        }
    }

    /// `v` as the client reads JSON: JavaScript numbers are doubles (`u64::MAX` as a schema's `maximum` reads
    /// as 1.8446744073709552e19).
    fn as_read(&self, v: &Value) -> Value {
        match (self, v) {
            (Self::Python(_), _) => v.clone(),
            (Self::Node(_), Value::Number(n)) => n
                .as_f64()
                .filter(|f| n.as_i64().is_none_or(|i| i.unsigned_abs() > (1 << 53)) && f.is_finite())
                .and_then(serde_json::Number::from_f64)
                .map_or_else(|| v.clone(), Value::Number),
            (Self::Node(_), Value::Array(a)) => Value::Array(a.iter().map(|x| self.as_read(x)).collect()),
            (Self::Node(_), Value::Object(o)) => {
                Value::Object(o.iter().map(|(k, x)| (k.clone(), self.as_read(x))).collect())
            }
            (Self::Node(_), _) => v.clone(),
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Self::Python(_) => "python mcp",
            Self::Node(_) => "@modelcontextprotocol/sdk",
        }
    }

    /// Runs the client with `plan`, returning what it printed.
    async fn run(&self, plan: Value) -> Value {
        let peer = self.clone();
        let out = tokio::task::spawn_blocking(move || {
            let plan = plan.to_string();
            match &peer {
                Self::Python(py) => tests::peers::python_output(py, PY_CLIENT, &[&plan]),
                Self::Node(modules) => tests::peers::node_output(modules, JS_CLIENT, &[&plan]),
            }
        })
        .await
        .unwrap();
        let last = out.lines().rev().find(|l| l.starts_with('{')).unwrap_or_default();
        serde_json::from_str(last).unwrap_or_else(|e| panic!("client printed no JSON ({e}): {out}"))
    }
}

/// How the client reaches the host.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Transport {
    Http,
    Stdio,
}

/// The plan's connection part: `h`'s MCP route, or `integration-host mcp` on `t`'s database with Stripe at
/// `stripe`.
fn endpoint(transport: Transport, h: &TestHost, t: &TestStore, stripe: &str, project: &str, key: &str) -> Value {
    match transport {
        Transport::Http => json!({
            "transport": "http",
            "url": format!("{}/v1/projects/{project}/mcp", h.base),
            "key": key,
        }),
        Transport::Stdio => json!({
            "transport": "stdio",
            "command": env!("CARGO_BIN_EXE_integration-host"),
            "args": ["mcp", "--api-base-url", format!("stripe={stripe}")],
            "env": {
                "DATABASE_URL": t.url,
                "HOST_SEAL_KEY": common::SEAL_KEY,
                "HOST_SEAL_KEY_ID": "test",
                "HOST_PROJECT_KEY": key,
                "RUST_LOG": "warn",
            },
        }),
    }
}

fn plan(mut endpoint: Value, calls: Value, resources: &[&str]) -> Value {
    endpoint["calls"] = calls;
    endpoint["resources"] = json!(resources);
    endpoint
}

fn generated_tools() -> Vec<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../generated/mcp/stripe.json");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    v["tools"].as_array().unwrap().clone()
}

/// The first place where `a` and `b` differ, as a JSON pointer with both values.
fn difference(a: &Value, b: &Value, at: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            keys.into_iter().find_map(|k| {
                let (va, vb) = (x.get(k).unwrap_or(&Value::Null), y.get(k).unwrap_or(&Value::Null));
                if x.contains_key(k) != y.contains_key(k) {
                    return Some(format!("{at}/{k}: {va} vs {vb}"));
                }
                difference(va, vb, &format!("{at}/{k}"))
            })
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (va, vb))| difference(va, vb, &format!("{at}/{i}"))),
        _ if a == b => None,
        _ => Some(format!("{at}: {a} vs {b}")),
    }
}

/// The text content of a result, its blocks joined by newlines.
fn text_of(result: &Value) -> String {
    result["content"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["text"].as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_error(result: &Value) -> bool {
    result["isError"].as_bool().unwrap_or(false)
}

/// The served tools are the generated ones: the oldest connection's under their generated names, the other
/// connection's suffixed with its name, each with its connection in `_meta`; plus `wait_for_event`.
fn check_tools(peer: &Peer, served: &[Value], default: &str, eu: &str) {
    let generated: Vec<Value> = generated_tools().iter().map(|g| peer.as_read(g)).collect();
    let mut want: Vec<String> = generated
        .iter()
        .map(|g| g["name"].as_str().unwrap().to_string())
        .collect();
    want.extend(
        generated
            .iter()
            .map(|g| format!("{}__eu_west", g["name"].as_str().unwrap())),
    );
    want.push("wait_for_event".into());
    let mut names: Vec<String> = served.iter().map(|s| s["name"].as_str().unwrap().to_string()).collect();
    want.sort();
    names.sort();
    assert_eq!(names, want);
    let by_name = |n: &str| served.iter().find(|s| s["name"] == n).unwrap();
    for g in &generated {
        let name = g["name"].as_str().unwrap();
        for (s, conn) in [(by_name(name), default), (by_name(&format!("{name}__eu_west")), eu)] {
            assert_eq!(
                s["inputSchema"],
                g["inputSchema"],
                "{name}: {:?}",
                difference(&s["inputSchema"], &g["inputSchema"], "/inputSchema")
            );
            assert_eq!(
                s["outputSchema"],
                g["outputSchema"],
                "{name}: {:?}",
                difference(&s["outputSchema"], &g["outputSchema"], "/outputSchema")
            );
            assert_eq!(
                s["annotations"],
                g["annotations"],
                "{name}: {:?}",
                difference(&s["annotations"], &g["annotations"], "/annotations")
            );
            assert_eq!(s["_meta"]["action_id"], g["_meta"]["action_id"], "{name}");
            assert_eq!(s["_meta"]["connection_id"], conn, "{name}");
        }
        assert_eq!(by_name(name)["description"], g["description"], "{name}");
        assert_eq!(by_name(name)["title"], g["title"], "{name}");
    }
}

async fn audit_outcomes(h: &TestHost, p: &(String, String)) -> Vec<String> {
    let r = h.get(&format!("/v1/projects/{}/audit", p.0), &p.1).await;
    assert_eq!(r.status(), 200);
    let log: Vec<Value> = r.json().await.unwrap();
    log.iter().map(|e| e["outcome"].as_str().unwrap().to_string()).collect()
}

/// Everything a client does: tools, calls against localstripe, a refund waiting for approval, the refusal of
/// other keys.
async fn scenario(peer: Peer, transport: Transport) {
    let Some(stripe) = tests::peers::LocalStripe::start() else {
        return;
    };
    let t = common::sqlite().await;
    let local = host_over(&t, &stripe.url).await;
    let seen = recording_stripe().await;
    let api = seen.url.clone();
    let recorded = host_over(&t, &api).await;
    let p = common::project(&t.store, "p").await;
    let other = common::project(&t.store, "other").await;
    let default = local.stripe_connection(&p, "default", None, "whsec_x").await;
    // Connections are ordered by creation time in seconds: the second one is created a second later.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let eu = local
        .stripe_connection(&p, "eu west", Some("acct_eu"), "whsec_eu")
        .await;

    let email = format!("ada-{}-{transport:?}@example.com", std::process::id());
    let create = json!({"name": "stripe_customer_create", "arguments": {"email": email, "name": "Ada Lovelace"}});
    let out = peer
        .run(plan(
            endpoint(transport, &local, &t, &stripe.url, &p.0, &p.1),
            json!([
                create,
                create,
                {"name": "stripe_customer_list", "arguments": {"limit": 100}},
                {"name": "stripe_customer_create", "arguments": {"email": 42}},
                {"name": "wait_for_event", "arguments": {"type": "stripe.invoice.*", "timeout_seconds": 1}},
            ]),
            &["events://recent"],
        ))
        .await;
    let version = out["protocol_version"].as_str().unwrap_or_default().to_string();
    println!("{} over {transport:?}: protocol version {version}", peer.name());
    assert!(SERVED_VERSIONS.contains(&version.as_str()), "{version}");
    assert_eq!(out["server_info"]["name"], "integration-host", "{}", out["server_info"]);
    check_tools(&peer, out["tools"].as_array().unwrap(), &default, &eu);

    let calls = out["calls"].as_array().unwrap();
    let created = &calls[0];
    assert!(!is_error(created), "{created}");
    let id = created["structuredContent"]["id"].as_str().unwrap().to_string();
    assert!(id.starts_with("cus_"), "{created}");
    assert_eq!(created["structuredContent"]["email"], email.as_str());
    let as_text: Value = serde_json::from_str(&text_of(created)).unwrap();
    assert_eq!(
        as_text, created["structuredContent"],
        "the text content is the same JSON"
    );
    assert_eq!(
        calls[1]["structuredContent"]["id"], id,
        "the same call repeated is the same write: {}",
        calls[1]
    );
    let listed: Vec<&str> = calls[2]["structuredContent"]["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["id"].as_str())
        .collect();
    assert_eq!(listed.iter().filter(|i| **i == id).count(), 1, "{listed:?}");
    assert!(is_error(&calls[3]), "{}", calls[3]);
    assert!(text_of(&calls[3]).contains("/email"), "{}", text_of(&calls[3]));
    assert!(!is_error(&calls[4]), "{}", calls[4]);
    assert_eq!(calls[4]["structuredContent"]["event"], Value::Null);
    assert_eq!(calls[4]["structuredContent"]["timed_out"], true);
    let resources: Vec<&str> = out["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["uri"].as_str())
        .collect();
    assert_eq!(resources, ["events://recent"]);
    let recent: Value =
        serde_json::from_str(out["read"]["events://recent"]["contents"][0]["text"].as_str().unwrap()).unwrap();
    assert_eq!(recent, json!([]));
    assert_eq!(
        audit_outcomes(&local, &p).await,
        ["succeeded", "replayed"],
        "writes are audited, reads and invalid params are not"
    );

    // A refund waits for approval; approved through the REST route, it runs once.
    let refund = json!([{"name": "stripe_refund_create", "arguments": {"charge": "ch_1", "amount": 500}}]);
    let out = peer
        .run(plan(
            endpoint(transport, &recorded, &t, &api, &p.0, &p.1),
            refund.clone(),
            &[],
        ))
        .await;
    let pending = &out["calls"][0];
    assert!(is_error(pending), "not executed: {pending}");
    assert_eq!(pending.get("structuredContent"), None, "{pending}");
    let details: Value = serde_json::from_str(pending["content"][1]["text"].as_str().unwrap()).unwrap();
    let interaction = &details["interaction"];
    assert_eq!(details["approve"]["method"], "POST");
    assert_eq!(interaction["status"], "pending", "{pending}");
    assert_eq!(interaction["action"], "stripe.refund.create");
    let int_id = interaction["id"].as_str().unwrap().to_string();
    let approve_path = format!("/v1/projects/{}/interactions/{int_id}/approve", p.0);
    assert!(text_of(pending).contains(&approve_path), "{}", text_of(pending));
    assert!(seen.requests().is_empty(), "nothing is sent before approval");
    let r = recorded
        .http
        .post(format!("{}{approve_path}", recorded.base))
        .bearer_auth(&p.1)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let approved: Value = r.json().await.unwrap();
    assert_eq!(approved["status"], "succeeded", "{approved}");
    let out = peer
        .run(plan(endpoint(transport, &recorded, &t, &api, &p.0, &p.1), refund, &[]))
        .await;
    let done = &out["calls"][0];
    assert!(!is_error(done), "{done}");
    assert_eq!(done["structuredContent"]["object"], "refund");
    assert_eq!(done["structuredContent"]["id"], approved["result"]["id"]);
    {
        let all = seen.requests();
        assert_eq!(all.len(), 1, "the refund ran once: {all:?}");
        assert_eq!((all[0].method.as_str(), all[0].path.as_str()), ("POST", "/v1/refunds"));
        let key = all[0].header("idempotency-key").unwrap_or_default().to_string();
        assert!(key.starts_with("mcp-") && key.len() == 68, "{key}");
    }

    // Other keys.
    match transport {
        Transport::Http => {
            let out = peer
                .run(json!({
                    "transport": "http",
                    "url": format!("{}/v1/projects/{}/mcp", local.base, p.0),
                    "key": other.1,
                    "refused": true,
                }))
                .await;
            assert_eq!(out["refused"], true, "{out}");
        }
        Transport::Stdio => {
            let mut wrong = endpoint(transport, &local, &t, &stripe.url, &p.0, "nope");
            wrong["refused"] = json!(true);
            assert_eq!(peer.run(wrong).await["refused"], true);
            // Another project's key serves that project: none of p's connections.
            let out = peer
                .run(plan(
                    endpoint(transport, &local, &t, &stripe.url, &other.0, &other.1),
                    json!([]),
                    &[],
                ))
                .await;
            let names: Vec<&str> = out["tools"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|t| t["name"].as_str())
                .collect();
            assert_eq!(names, ["wait_for_event"]);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn python_client_over_http() {
    if let Some(peer) = Peer::python() {
        scenario(peer, Transport::Http).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn python_client_over_stdio() {
    if let Some(peer) = Peer::python() {
        scenario(peer, Transport::Stdio).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn node_client_over_http() {
    if let Some(peer) = Peer::node() {
        scenario(peer, Transport::Http).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn node_client_over_stdio() {
    if let Some(peer) = Peer::node() {
        scenario(peer, Transport::Stdio).await;
    }
}

/// The HTTP route checks the key like every project route: 401 without or with an unknown key, 404 with
/// another project's.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_http_route_checks_the_key() {
    let t = common::sqlite().await;
    let h = common::serve(&t.store).await;
    let p = common::project(&t.store, "p").await;
    let other = common::project(&t.store, "other").await;
    let url = format!("{}/v1/projects/{}/mcp", h.base, p.0);
    let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}});
    let post = |key: Option<&str>| {
        let mut r = h
            .http
            .post(&url)
            .header("accept", "application/json, text/event-stream")
            .json(&init);
        if let Some(k) = key {
            r = r.bearer_auth(k);
        }
        r.send()
    };
    assert_eq!(post(None).await.unwrap().status(), 401);
    assert_eq!(post(Some("ihk_nope")).await.unwrap().status(), 401);
    assert_eq!(post(Some(&other.1)).await.unwrap().status(), 404);
    let ok = post(Some(&p.1)).await.unwrap();
    assert_eq!(ok.status(), 200);
    let body = ok.text().await.unwrap();
    assert!(body.contains("\"integration-host\""), "{body}");

    // With allowed hosts set, another `Host` is refused.
    let mut settings = common::settings();
    settings.mcp_allowed_hosts = vec!["mcp.example".into()];
    let limited = common::serve_with(&t.store, settings).await;
    let url = format!("{}/v1/projects/{}/mcp", limited.base, p.0);
    let send = |host: &str| {
        limited
            .http
            .post(&url)
            .header("host", host)
            .header("accept", "application/json, text/event-stream")
            .bearer_auth(&p.1)
            .json(&init)
            .send()
    };
    assert_eq!(send("mcp.example").await.unwrap().status(), 200);
    let refused = send("elsewhere.example").await.unwrap().status();
    assert!(refused.is_client_error(), "{refused}");
}

/// The tools of a project with three Stripe connections, two of whose names are the same once sanitized, and
/// what building them costs (every `tools/list` and `tools/call` builds them).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn tools_are_built_per_connection() {
    let t = common::sqlite().await;
    let h = common::serve(&t.store).await;
    let p = common::project(&t.store, "p").await;
    let mut ids = Vec::new();
    for (name, account) in [
        ("default", None),
        ("eu west", Some("acct_2")),
        ("eu_west", Some("acct_3")),
    ] {
        ids.push(h.stripe_connection(&p, name, account, "whsec_x").await);
        tokio::time::sleep(Duration::from_millis(1100)).await;
    }
    let started = std::time::Instant::now();
    let rounds = 20;
    let mut tools = Vec::new();
    for _ in 0..rounds {
        tools = host::mcp::tools::project_tools(&h.state, &p.0).await.unwrap();
    }
    let per = started.elapsed() / rounds;
    let n = generated_tools().len();
    let started = std::time::Instant::now();
    let definitions: Vec<Value> = tools.iter().map(|t| t.definition()).collect();
    println!(
        "project_tools, 3 connections, {} tools: {per:?} per build, {:?} for their definitions",
        tools.len(),
        started.elapsed()
    );
    assert_eq!(definitions[n]["_meta"]["connection_id"], ids[1].as_str());
    assert_eq!(
        definitions[n]["title"],
        format!("{} (eu west)", generated_tools()[0]["title"].as_str().unwrap())
    );
    assert_eq!(tools.len(), 3 * n);
    let names: Vec<&str> = [0, n, 2 * n].iter().map(|i| tools[*i].name.as_str()).collect();
    let by_id = format!("stripe_customer_list__{}", ids[2]);
    assert_eq!(
        names,
        ["stripe_customer_list", "stripe_customer_list__eu_west", by_id.as_str()]
    );
    assert_eq!(tools[2 * n].connection.id, ids[2]);
    let all: std::collections::BTreeSet<&str> = tools.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(all.len(), tools.len(), "unique");
    assert!(all.iter().all(|n| n.len() <= 64), "{all:?}");
}

/// The tools the host serves are the ones `generated/mcp/` holds, for every integration: one source.
#[test]
fn the_served_definitions_are_the_generated_ones() {
    for spec in integrations::all() {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../generated/mcp")
            .join(format!("{}.json", spec.provider_id()));
        let file: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(
            json!(codegen::mcp::tools(spec).unwrap()),
            file["tools"],
            "{}",
            path.display()
        );
    }
}

/// `wait_for_event` answers the next matching event committed after the call started, not an earlier one;
/// the events are resources too.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn python_client_waits_for_events() {
    let Some(peer) = Peer::python() else {
        return;
    };
    let t = common::sqlite().await;
    let h = common::serve(&t.store).await;
    let p = common::project(&t.store, "p").await;
    let conn = h.stripe_connection(&p, "default", None, "whsec_x").await;
    let hook = format!("/v1/hooks/{conn}");
    let before = common::stripe_event("evt_before", "customer.created", None);
    assert!(h.deliver(&hook, "whsec_x", &before).await.status().is_success());
    let run = peer.run(plan(
        endpoint(Transport::Http, &h, &t, "", &p.0, &p.1),
        json!([{"name": "wait_for_event", "arguments": {"type": "stripe.customer.*", "timeout_seconds": 30}}]),
        &["events://recent"],
    ));
    // Until the client answers, each second: an event of another type, then a matching one.
    let mut run = Box::pin(run);
    let mut n = 0;
    let out = loop {
        tokio::select! {
            out = &mut run => break out,
            () = tokio::time::sleep(Duration::from_secs(1)) => {
                n += 1;
                assert!(n < 45, "the client did not answer");
                let other = common::stripe_event(&format!("evt_other_{n}"), "invoice.paid", None);
                assert!(h.deliver(&hook, "whsec_x", &other).await.status().is_success());
                let after = common::stripe_event(&format!("evt_after_{n}"), "customer.updated", None);
                assert!(h.deliver(&hook, "whsec_x", &after).await.status().is_success());
            }
        }
    };
    let waited = &out["calls"][0];
    assert!(!is_error(waited), "{waited}");
    let event = &waited["structuredContent"]["event"];
    let got = event["id"].as_str().unwrap_or_default().to_string();
    assert!(
        got.starts_with("evt_after_"),
        "not the earlier event nor another type: {waited}"
    );
    assert_eq!(event["type"], "stripe.customer.updated");
    assert_eq!(event["connection"], conn.as_str());
    let recent: Value =
        serde_json::from_str(out["read"]["events://recent"]["contents"][0]["text"].as_str().unwrap()).unwrap();
    let ids: Vec<&str> = recent
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["id"].as_str())
        .collect();
    assert_eq!(ids.first(), Some(&"evt_before"), "{ids:?}");
    let at = ids.iter().position(|i| *i == got).unwrap();
    let uri = recent[at]["uri"].as_str().unwrap().to_string();
    let one = peer
        .run(plan(
            endpoint(Transport::Http, &h, &t, "", &p.0, &p.1),
            json!([]),
            &[&uri],
        ))
        .await;
    let read: Value = serde_json::from_str(one["read"][&uri]["contents"][0]["text"].as_str().unwrap()).unwrap();
    assert_eq!(read["id"], got.as_str());
}

/// A client declaring elicitation is asked to approve a high-impact call: approving runs it once, rejecting or
/// declining sends nothing. (The Python SDK asks over the initialize handshake: `mode: legacy`.)
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn python_client_approves_through_elicitation() {
    let Some(peer) = Peer::python() else {
        return;
    };
    let t = common::sqlite().await;
    let seen = recording_stripe().await;
    let api = seen.url.clone();
    let h = host_over(&t, &api).await;
    let p = common::project(&t.store, "p").await;
    h.stripe_connection(&p, "default", None, "whsec_x").await;
    for (n, transport) in [Transport::Http, Transport::Stdio].into_iter().enumerate() {
        let base = 500 + 10 * i64::try_from(n).unwrap();
        let refund =
            |amount: i64| json!([{"name": "stripe_refund_create", "arguments": {"charge": "ch_1", "amount": amount}}]);
        let run = |amount: i64, answer: &str| {
            let mut plan = plan(endpoint(transport, &h, &t, &api, &p.0, &p.1), refund(amount), &[]);
            plan["mode"] = json!("legacy");
            plan["elicit"] = json!(answer);
            peer.run(plan)
        };
        let before = seen.requests().len();
        let out = run(base, "approve").await;
        println!(
            "python mcp (legacy mode) over {transport:?}: protocol version {}",
            out["protocol_version"]
        );
        let done = &out["calls"][0];
        assert!(!is_error(done), "{done}");
        assert_eq!(done["structuredContent"]["object"], "refund", "{done}");
        let asked = out["elicited"].as_array().unwrap();
        assert_eq!(asked.len(), 1, "{asked:?}");
        assert!(
            asked[0]["message"].as_str().unwrap().contains("stripe.refund.create"),
            "{asked:?}"
        );
        assert_eq!(asked[0]["requestedSchema"]["required"], json!(["approve"]));
        assert_eq!(seen.requests().len(), before + 1, "approved: sent once");

        for (amount, answer) in [(base + 1, "reject"), (base + 2, "decline")] {
            let out = run(amount, answer).await;
            let r = &out["calls"][0];
            assert!(is_error(r), "{r}");
            assert!(text_of(r).contains("rejected"), "{answer}: {}", text_of(r));
            assert_eq!(seen.requests().len(), before + 1, "{answer}: nothing sent");
            // The same call again (same derived key), from a client that is not asked: still rejected.
            let again = peer
                .run(plan(endpoint(transport, &h, &t, &api, &p.0, &p.1), refund(amount), &[]))
                .await;
            let r = &again["calls"][0];
            assert!(is_error(r) && text_of(r).contains("is rejected"), "{r}");
        }
    }
    let r = h.get(&format!("/v1/projects/{}/interactions", p.0), &p.1).await;
    let list: Vec<Value> = r.json().await.unwrap();
    let mut statuses: Vec<&str> = list.iter().map(|i| i["status"].as_str().unwrap()).collect();
    statuses.sort_unstable();
    assert_eq!(
        statuses,
        ["rejected", "rejected", "rejected", "rejected", "succeeded", "succeeded"]
    );
}
