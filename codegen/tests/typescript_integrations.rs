//! The TypeScript SDK generated for the real integrations (GitHub, Slack, Stripe), compiled with `tsc
//! --strict` and run with Node: Slack's per-action page fields and `{"ok": false}` failures and GitHub's
//! Link-header paging against a local recording server, and every integration's typed webhook events built from its envelope, on deliveries
//! signed per its scheme (the GitHub and Slack documentation examples among them).

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use codegen::GenInput;
use serde_json::{Value, json};

/// The SDK generated from `integrations::all()` into a temporary directory; returns it and the package dir.
fn generate() -> (tempfile::TempDir, PathBuf) {
    let files = codegen::generate(&GenInput {
        integrations: integrations::all(),
        shared: support::shared(),
        ..Default::default()
    })
    .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    codegen::drift::write(tmp.path(), &files).unwrap();
    let pkg = tmp.path().join("typescript");
    (tmp, pkg)
}

fn tsc(node_modules: &Path, pkg: &Path, extra: &[&str]) -> Output {
    Command::new(node_modules.join(".bin/tsc"))
        .arg("-p")
        .arg(pkg)
        .arg("--strict")
        .args(extra)
        .output()
        .unwrap_or_else(|e| panic!("cannot run tsc: {e}"))
}

fn assert_ok(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn run(node_modules: &PathBuf, script: &str, pkg: &Path) -> Value {
    let out = tests::peers::node_output(node_modules, script, &[pkg.to_str().unwrap()]);
    serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("{e}: {out}"))
}

const CLIENTS_SCRIPT: &str = r#"
const http = require("http");
const path = require("path");
const { pathToFileURL } = require("url");

(async () => {
  const [pkg] = process.argv.slice(1);
  const sdk = await import(pathToFileURL(path.join(pkg, "dist/slack/index.js")).href);
  const gh = await import(pathToFileURL(path.join(pkg, "dist/github/index.js")).href);
  const requests = [];
  // Slack-shaped answers; list pages carry both a `channels` and a `members` array so that only the
  // action's own field may be read.
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      requests.push({ method: req.method, url: req.url, authorization: req.headers.authorization ?? null, body,
        accept: req.headers.accept ?? null, version: req.headers["x-github-api-version"] ?? null });
      const url = new URL(req.url, "http://127.0.0.1");
      const origin = `http://127.0.0.1:${server.address().port}`;
      const issue = (n) => ({ id: n, number: n, title: `#${n}`, state: "open" });
      // GitHub: a top-level array per page, the next page in the Link header.
      if (url.pathname === "/repos/octo-org/hello/issues") {
        const page = Number(url.searchParams.get("page") ?? "1");
        const link = (p, rel) => `<${origin}/repos/octo-org/hello/issues?per_page=2&page=${p}>; rel="${rel}"`;
        const links = page === 1 ? [link(2, "next"), link(2, "last")] : [link(1, "prev"), link(1, "first")];
        res.writeHead(200, { "content-type": "application/json", link: links.join(", ") });
        res.end(JSON.stringify(page === 1 ? [issue(1), issue(2)] : [issue(3)]));
        return;
      }
      if (url.pathname === "/repos/octo-org/moved/issues") {
        res.writeHead(200, {
          "content-type": "application/json",
          link: '<https://elsewhere.example/repos/octo-org/moved/issues?page=2>; rel="next"',
        });
        res.end(JSON.stringify([issue(1)]));
        return;
      }
      const second = url.searchParams.get("cursor") !== null;
      const next = { response_metadata: { next_cursor: second ? "" : "dXNlcjpVMg==" } };
      let reply;
      switch (url.pathname) {
        case "/api/conversations.list":
          reply = second
            ? { ok: true, channels: [{ id: "C3" }], members: [{ id: "U9" }], ...next }
            : { ok: true, channels: [{ id: "C1", name: "general" }, { id: "C2" }], members: [{ id: "U8" }], ...next };
          break;
        case "/api/users.list":
          reply = second
            ? { ok: true, members: [{ id: "U3" }], channels: [{ id: "C9" }], ...next }
            : { ok: true, members: [{ id: "U1", name: "ada" }, { id: "U2" }], cache_ts: 1498777272, ...next };
          break;
        case "/api/chat.postMessage":
          reply = { ok: false, error: "channel_not_found" };
          break;
        case "/api/users.info":
          reply = { ok: true, user: { id: "U1", name: "ada" } };
          break;
        default:
          res.writeHead(404).end();
          return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(reply));
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const baseUrl = `http://127.0.0.1:${server.address().port}/api`;
  try {
    const client = new sdk.SlackClient({ accessToken: "xoxb-test-token", baseUrl });
    const channels = [];
    for await (const c of client.conversationsListAll({ limit: 2 })) channels.push(c.id);
    const users = [];
    for await (const u of client.usersListAll({ limit: 2 })) users.push(u.id);
    let failure = null;
    try {
      await client.chatPostMessage({ channel: "C404", text: "hello" });
    } catch (e) {
      failure = {
        isApiError: e instanceof sdk.ApiError, status: e.status, code: e.error?.code ?? null,
        body: e.body, message: e.message, actionId: e.actionId,
      };
    }
    const info = await client.usersInfo({ user: "U1" });

    const github = new gh.GithubClient({ accessToken: "ghs_test", baseUrl: `http://127.0.0.1:${server.address().port}` });
    const issues = [];
    for await (const i of github.issueListAll({ owner: "octo-org", repo: "hello", per_page: 2 })) issues.push(i.number);
    const moved = [];
    let crossOrigin = null;
    try {
      for await (const i of github.issueListAll({ owner: "octo-org", repo: "moved" })) moved.push(i.number);
    } catch (e) {
      crossOrigin = e.message;
    }
    console.log(JSON.stringify({ channels, users, failure, info, issues, moved, crossOrigin, requests }));
  } finally {
    server.close();
  }
})().catch((e) => { console.error(e); process.exit(1); });
"#;

#[test]
fn slack_and_github_sdks_page_and_fail_as_their_specs_declare() {
    let Some(node_modules) = tests::peers::require_node_modules() else {
        return;
    };
    let (_tmp, pkg) = generate();
    assert_ok(&tsc(&node_modules, &pkg, &[]), "tsc --strict (emit)");
    let r = run(&node_modules, CLIENTS_SCRIPT, &pkg);

    assert_eq!(r["channels"], json!(["C1", "C2", "C3"]));
    assert_eq!(r["users"], json!(["U1", "U2", "U3"]));

    // HTTP 200 with `ok: false` is a failure carrying Slack's error code.
    let f = &r["failure"];
    assert_eq!(f["isApiError"], true, "{f}");
    assert_eq!(f["status"], 200);
    assert_eq!(f["code"], "channel_not_found");
    assert_eq!(f["actionId"], "slack.chat.post_message");
    assert_eq!(f["body"], json!({"ok": false, "error": "channel_not_found"}));
    assert_eq!(
        f["message"],
        "slack.chat.post_message failed with HTTP 200: channel_not_found"
    );
    assert_eq!(r["info"]["user"]["id"], "U1", "`ok: true` is a success");

    // GitHub: top-level arrays, `rel="next"` links followed on the same origin only.
    assert_eq!(r["issues"], json!([1, 2, 3]));
    assert_eq!(r["moved"], json!([1]));
    assert!(
        r["crossOrigin"]
            .as_str()
            .unwrap()
            .contains("the next link points to another origin (https://elsewhere.example)"),
        "{}",
        r["crossOrigin"]
    );
    let github: Vec<Value> = r["requests"].as_array().unwrap()[6..]
        .iter()
        .map(|q| json!([q["method"], q["url"], q["authorization"], q["accept"], q["version"]]))
        .collect();
    let gh = |url: &str| {
        json!([
            "GET",
            url,
            "Bearer ghs_test",
            "application/vnd.github+json",
            "2022-11-28"
        ])
    };
    assert_eq!(
        github,
        [
            gh("/repos/octo-org/hello/issues?per_page=2"),
            gh("/repos/octo-org/hello/issues?per_page=2&page=2"),
            gh("/repos/octo-org/moved/issues"),
        ]
    );

    let requests: Vec<(String, String, String)> = r["requests"].as_array().unwrap()[..6]
        .iter()
        .map(|q| {
            (
                q["method"].as_str().unwrap().to_string(),
                q["url"].as_str().unwrap().to_string(),
                q["authorization"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let auth = "Bearer xoxb-test-token".to_string();
    let expected = [
        ("GET", "/api/conversations.list?limit=2"),
        ("GET", "/api/conversations.list?limit=2&cursor=dXNlcjpVMg%3D%3D"),
        ("GET", "/api/users.list?limit=2"),
        ("GET", "/api/users.list?limit=2&cursor=dXNlcjpVMg%3D%3D"),
        ("POST", "/api/chat.postMessage"),
        ("GET", "/api/users.info?user=U1"),
    ]
    .map(|(m, u)| (m.to_string(), u.to_string(), auth.clone()));
    assert_eq!(requests, expected);
    assert_eq!(
        serde_json::from_str::<Value>(r["requests"][4]["body"].as_str().unwrap()).unwrap(),
        json!({"channel": "C404", "text": "hello"})
    );
}

/// Uses the typed deliveries the way an application would; compiles only if `receiveWebhook` returns
/// unions whose declared members are narrowed by `type` to their payload types.
const USAGE_TS: &str = r#"
import * as github from "./github/index.js";
import * as slack from "./slack/index.js";
import * as stripe from "./stripe/index.js";

export function describeGithub(d: github.GithubDelivery): string {
  switch (d.kind) {
    case "unknown":
      return `unknown ${d.prefixedType}`;
    case "event":
      switch (d.type) {
        case "issues.opened": {
          const n: number = d.object.issue.number;
          const login: string = d.object.sender.login;
          return `issue #${n} ${d.object.issue.title} by ${login} in ${d.account ?? "-"}`;
        }
        case "push": {
          const ref: string = d.object.ref;
          return `push ${ref}`;
        }
        default:
          return `event ${d.type}`;
      }
  }
}

export function describeSlack(d: slack.SlackDelivery): string {
  if (d.kind === "url_verification") return `challenge ${d.challenge}`;
  if (d.kind === "event" && d.type === "app_mention") {
    const channel: string = d.object.channel;
    return `mention in ${channel}: ${d.object.text} (team ${d.account ?? "-"}, at ${d.created ?? 0})`;
  }
  return `${d.kind} ${d.prefixedType}`;
}

export function describeStripe(d: stripe.StripeDelivery): string {
  if (d.kind === "event" && d.type === "customer.created") {
    const id: string = d.object.id;
    return `customer ${id} ${d.object.email ?? "-"} livemode ${String(d.livemode)}`;
  }
  return d.kind;
}
"#;

/// Misuses: an object read before narrowing, a declared payload used as another type, and a handshake
/// expected from a provider that declares none.
const MISUSE_TS: &str = r#"
import * as github from "./github/index.js";
export const unnarrowed = (d: github.GithubDelivery): number => d.object.issue.number;
export const wrongPayload = (d: github.GithubDeclaredEvent): number =>
  d.type === "push" ? d.object.issue.number : 0;
export const noHandshake = (d: github.GithubDelivery): boolean => d.kind === "url_verification";
"#;

const WEBHOOKS_SCRIPT: &str = r#"
const path = require("path");
const crypto = require("crypto");
const { pathToFileURL } = require("url");
const Stripe = require("stripe");

(async () => {
  const [pkg] = process.argv.slice(1);
  const load = (p) => import(pathToFileURL(path.join(pkg, "dist", p)).href);
  const [gh, sl, st, usage] = await Promise.all([
    load("github/index.js"), load("slack/index.js"), load("stripe/index.js"), load("usage.js"),
  ]);
  const hmac = (key, text) => crypto.createHmac("sha256", key).update(text).digest("hex");
  const outcome = async (f) => {
    try { return await f(); } catch (e) { return `${e.name}: ${e.message}`; }
  };
  const now = Math.floor(Date.now() / 1000);
  const out = {};

  // GitHub's documented example: the signature verifies; the body is no JSON event.
  const docSig = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
  out.githubDocVerified = await outcome(async () => {
    await gh.verifySignature("Hello, World!", { "X-Hub-Signature-256": docSig }, "It's a Secret to Everybody");
    return "ok";
  });
  out.githubDocEvent = await outcome(() =>
    gh.receiveWebhook("Hello, World!", { "X-Hub-Signature-256": docSig }, "It's a Secret to Everybody"));

  const ghSecret = "gh-webhook-secret";
  const ghDeliver = (event, body) => {
    const text = JSON.stringify(body);
    return gh.receiveWebhook(text, {
      "x-hub-signature-256": `sha256=${hmac(ghSecret, text)}`,
      "x-github-event": event,
      "x-github-delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
    }, ghSecret);
  };
  const issue = { id: 1, number: 7, title: "Bug", state: "open", body: null, user: { login: "octocat", id: 1 } };
  const repository = { id: 2, name: "hello", full_name: "octo-org/hello", private: false, owner: { login: "octo-org", id: 3 } };
  const opened = await ghDeliver("issues", {
    action: "opened", issue, repository, installation: { id: 123456 }, sender: { login: "octocat", id: 1 },
  });
  out.githubOpened = { kind: opened.kind, id: opened.id, type: opened.type, prefixedType: opened.prefixedType,
    account: opened.account, number: opened.object.issue.number, described: usage.describeGithub(opened) };
  const closed = await ghDeliver("issues", { action: "closed", issue, repository, sender: { login: "octocat", id: 1 },
    changes: { title: { from: "Bg" } } });
  out.githubClosed = { kind: closed.kind, type: closed.type, previous: closed.previousAttributes,
    described: usage.describeGithub(closed) };
  const push = await ghDeliver("push", { ref: "refs/heads/main", before: "a", after: "b", repository });
  out.githubPush = { kind: push.kind, type: push.type, described: usage.describeGithub(push) };
  out.githubForged = await outcome(() => gh.receiveWebhook(JSON.stringify({ action: "opened" }), {
    "x-hub-signature-256": `sha256=${hmac("other", "{}")}`, "x-github-event": "issues", "x-github-delivery": "d1",
  }, ghSecret));
  out.githubNoEventHeader = await outcome(() => {
    const text = JSON.stringify({ action: "opened" });
    return gh.receiveWebhook(text, { "x-hub-signature-256": `sha256=${hmac(ghSecret, text)}`, "x-github-delivery": "d2" }, ghSecret);
  });

  // Slack's documented example (a slash command, at its own timestamp): verifies; no JSON event.
  const slDocBody = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
  const slDocHeaders = {
    "X-Slack-Signature": "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
    "X-Slack-Request-Timestamp": "1531420618",
  };
  const slDocSecret = "8f742231b10e8888abcd99yyyzzz85a5";
  out.slackDocVerified = await outcome(async () => {
    await sl.verifySignature(slDocBody, slDocHeaders, slDocSecret, { now: 1531420618 + 60 });
    return "ok";
  });
  out.slackDocStale = await outcome(() => sl.verifySignature(slDocBody, slDocHeaders, slDocSecret));
  out.slackDocEvent = await outcome(() => sl.receiveWebhook(slDocBody, slDocHeaders, slDocSecret, { now: 1531420618 }));

  const slSecret = "slack-signing-secret";
  const slDeliver = (body) => {
    const text = JSON.stringify(body);
    return sl.receiveWebhook(text, {
      "x-slack-signature": `v0=${hmac(slSecret, `v0:${now}:${text}`)}`,
      "x-slack-request-timestamp": String(now),
    }, slSecret);
  };
  const challenge = await slDeliver({ token: "x", challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", type: "url_verification" });
  out.slackChallenge = { kind: challenge.kind, challenge: challenge.challenge, described: usage.describeSlack(challenge) };
  out.slackForgedChallenge = await outcome(() => sl.receiveWebhook(JSON.stringify({ challenge: "c", type: "url_verification" }), {
    "x-slack-signature": `v0=${hmac("wrong", "x")}`, "x-slack-request-timestamp": String(now),
  }, slSecret));
  const callback = (event) => ({ token: "x", team_id: "T0123456", api_app_id: "A1", type: "event_callback",
    event_id: "Ev0PV52K21", event_time: 1700000000, event });
  const mention = await slDeliver(callback({ type: "app_mention", user: "U1", text: "<@U0LAN0Z89> hi",
    ts: "1515449522.000016", channel: "C0LAN2Q65", event_ts: "1515449522000016" }));
  out.slackMention = { kind: mention.kind, id: mention.id, type: mention.type, prefixedType: mention.prefixedType,
    account: mention.account, created: mention.created, objectType: mention.objectType,
    described: usage.describeSlack(mention) };
  const reaction = await slDeliver(callback({ type: "reaction_added", user: "U1", reaction: "thumbsup" }));
  out.slackReaction = { kind: reaction.kind, type: reaction.type, object: reaction.object, described: usage.describeSlack(reaction) };

  // Stripe, signed by the official package, through the same entry point.
  const stSecret = "whsec_test_secret";
  const stPayload = JSON.stringify({ id: "evt_1", object: "event", type: "customer.created", created: 1700000000,
    livemode: false, account: "acct_1", data: { object: { id: "cus_1", object: "customer", email: "ada@example.com", created: 1700000000, livemode: false } } });
  const stEvent = await st.receiveWebhook(stPayload, { "stripe-signature": Stripe.webhooks.generateTestHeaderString({ payload: stPayload, secret: stSecret }) }, stSecret);
  out.stripe = { kind: stEvent.kind, type: stEvent.type, prefixedType: stEvent.prefixedType, account: stEvent.account,
    created: stEvent.created, livemode: stEvent.livemode, objectId: stEvent.objectId, objectType: stEvent.objectType,
    described: usage.describeStripe(stEvent) };
  console.log(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
"#;

#[test]
fn every_integration_receives_typed_webhook_events_from_its_envelope() {
    let Some(node_modules) = tests::peers::require_node_modules() else {
        return;
    };
    let (_tmp, pkg) = generate();

    // The types bite: reading a payload before narrowing, or as another event's payload, does not compile.
    std::fs::write(pkg.join("misuse.ts"), MISUSE_TS).unwrap();
    let out = tsc(&node_modules, &pkg, &["--noEmit"]);
    assert!(!out.status.success(), "the misuse compiled");
    let text = String::from_utf8_lossy(&out.stdout);
    let errors: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split_once("misuse.ts(").map(|(_, at)| at))
        .collect();
    assert_eq!(errors.len(), 3, "{text}");
    assert!(errors[0].starts_with("3,"), "{text}");
    assert!(errors[1].starts_with("5,"), "{text}");
    assert!(errors[2].starts_with("6,"), "{text}");
    std::fs::remove_file(pkg.join("misuse.ts")).unwrap();

    std::fs::write(pkg.join("usage.ts"), USAGE_TS).unwrap();
    assert_ok(&tsc(&node_modules, &pkg, &[]), "tsc --strict with the typed usage");
    let r = run(&node_modules, WEBHOOKS_SCRIPT, &pkg);

    assert_eq!(r["githubDocVerified"], "ok");
    assert!(
        r["githubDocEvent"]
            .as_str()
            .unwrap()
            .starts_with("WebhookEventError: the event body is not valid JSON"),
        "{}",
        r["githubDocEvent"]
    );
    assert_eq!(
        r["githubOpened"],
        json!({"kind": "event", "id": "72d3162e-cc78-11e3-81ab-4c9367dc0958", "type": "issues.opened",
               "prefixedType": "github.issues.opened", "account": "123456", "number": 7,
               "described": "issue #7 Bug by octocat in 123456"})
    );
    assert_eq!(
        r["githubClosed"],
        json!({"kind": "unknown", "type": "issues.closed", "previous": {"title": {"from": "Bg"}},
               "described": "unknown github.issues.closed"})
    );
    assert_eq!(
        r["githubPush"],
        json!({"kind": "event", "type": "push", "described": "push refs/heads/main"})
    );
    assert!(
        r["githubForged"]
            .as_str()
            .unwrap()
            .starts_with("WebhookVerificationError: no signature matches"),
        "{}",
        r["githubForged"]
    );
    assert_eq!(
        r["githubNoEventHeader"],
        "WebhookEventError: the event has no usable `type`"
    );

    assert_eq!(r["slackDocVerified"], "ok");
    assert!(
        r["slackDocStale"].as_str().unwrap().contains("tolerance"),
        "{}",
        r["slackDocStale"]
    );
    assert!(
        r["slackDocEvent"]
            .as_str()
            .unwrap()
            .starts_with("WebhookEventError: the event body is not valid JSON"),
        "{}",
        r["slackDocEvent"]
    );
    assert_eq!(
        r["slackChallenge"],
        json!({"kind": "url_verification", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
               "described": "challenge 3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"})
    );
    assert!(
        r["slackForgedChallenge"]
            .as_str()
            .unwrap()
            .starts_with("WebhookVerificationError"),
        "{}",
        r["slackForgedChallenge"]
    );
    assert_eq!(
        r["slackMention"],
        json!({"kind": "event", "id": "Ev0PV52K21", "type": "app_mention", "prefixedType": "slack.app_mention",
               "account": "T0123456", "created": 1700000000, "objectType": "app_mention",
               "described": "mention in C0LAN2Q65: <@U0LAN0Z89> hi (team T0123456, at 1700000000)"})
    );
    assert_eq!(
        r["slackReaction"],
        json!({"kind": "unknown", "type": "reaction_added",
               "object": {"type": "reaction_added", "user": "U1", "reaction": "thumbsup"},
               "described": "unknown slack.reaction_added"})
    );

    assert_eq!(
        r["stripe"],
        json!({"kind": "event", "type": "customer.created", "prefixedType": "stripe.customer.created",
               "account": "acct_1", "created": 1700000000, "livemode": false, "objectId": "cus_1",
               "objectType": "customer", "described": "customer cus_1 ada@example.com livemode false"})
    );
}
