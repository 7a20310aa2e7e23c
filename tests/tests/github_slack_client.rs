//! The generated GitHub and Slack clients against a local recording server: what each spec declares (JSON
//! bodies, version header or none, default headers, path parameters, cursor and Link paging, Slack's
//! `{"ok": false}` errors on HTTP 200) reaches the wire exactly.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use futures_util::TryStreamExt;
use integrations::{github, slack};
use serde_json::{Value, json};
use spec_runtime::client::Credential;

#[derive(Debug, Clone)]
struct Seen {
    method: Method,
    uri: String,
    headers: HeaderMap,
    body: Vec<u8>,
}

type Log = Arc<Mutex<Vec<Seen>>>;

/// Serves `reply(method, uri)` on 127.0.0.1 and records every request; returns the base URL.
async fn serve(reply: fn(&Method, &Uri, &str) -> Response) -> (String, Log) {
    let log: Log = Arc::default();
    let seen = log.clone();
    let app = Router::new().fallback(move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
        let seen = seen.clone();
        async move {
            let base = headers
                .get("host")
                .and_then(|h| h.to_str().ok())
                .unwrap_or_default()
                .to_string();
            seen.lock().unwrap().push(Seen {
                method: method.clone(),
                uri: uri.to_string(),
                headers,
                body: body.to_vec(),
            });
            reply(&method, &uri, &base)
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (format!("http://{addr}"), log)
}

fn header<'a>(s: &'a Seen, name: &str) -> &'a str {
    s.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
}

fn slack_reply(_: &Method, uri: &Uri, _: &str) -> Response {
    let body = match uri.path() {
        "/chat.postMessage" => json!({"ok": false, "error": "channel_not_found"}),
        "/conversations.list" if uri.query().unwrap_or_default().contains("cursor=page2") => {
            json!({"ok": true, "channels": [{"id": "C3"}], "response_metadata": {"next_cursor": ""}})
        }
        "/conversations.list" => json!({"ok": true, "channels": [{"id": "C1", "name": "general"}, {"id": "C2"}],
                                        "response_metadata": {"next_cursor": "page2"}}),
        "/users.list" if uri.query().unwrap_or_default().contains("cursor=u2") => {
            json!({"ok": true, "members": [{"id": "U3"}], "channels": [{"id": "C9"}],
                   "response_metadata": {"next_cursor": ""}})
        }
        "/users.list" => json!({"ok": true, "members": [{"id": "U1"}, {"id": "U2"}], "cache_ts": 1498777272,
                                "response_metadata": {"next_cursor": "u2"}}),
        "/users.info" => json!({"ok": true, "user": {"id": "U1", "name": "ada", "tz": "Europe/London"}}),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    axum::Json(body).into_response()
}

#[tokio::test]
async fn slack_client_sends_json_and_maps_ok_false_to_an_error() {
    let (base, log) = serve(slack_reply).await;
    let rest = slack::Client::builder()
        .credential(Credential::bearer("xoxb-test-token"))
        .base_url(&base)
        .build()
        .unwrap();
    let client = slack::Client::new(rest);

    let err = client
        .chat_post_message(&slack::ChatPostMessageParams {
            channel: "C404".into(),
            text: Some("hello".into()),
            blocks: None,
            thread_ts: None,
            unfurl_links: None,
        })
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(200));
    assert_eq!(
        err.provider_error().and_then(|e| e.code.as_deref()),
        Some("channel_not_found")
    );
    assert!(!err.to_string().contains("xoxb-test-token"));

    let user = client
        .users_info(&slack::UsersInfoParams { user: "U1".into() })
        .send()
        .await
        .unwrap();
    assert_eq!(user.user.as_ref().map(|u| u.id.as_str()), Some("U1"));
    assert_eq!(
        user.user.unwrap().extra["tz"],
        "Europe/London",
        "unmodelled fields are kept"
    );

    let ids: Vec<String> = client
        .conversations_list_all(&slack::ConversationsListParams {
            limit: Some(2),
            ..Default::default()
        })
        .map_ok(|c: slack::Conversation| c.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["C1", "C2", "C3"]);

    // `users.list` pages its own `members` field (a stray `channels` array is not read).
    let users: Vec<String> = client
        .users_list_all(&slack::UsersListParams {
            limit: Some(2),
            ..Default::default()
        })
        .map_ok(|u: slack::SlackUser| u.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(users, ["U1", "U2", "U3"]);

    let seen = log.lock().unwrap().clone();
    let post = &seen[0];
    assert_eq!(post.method, Method::POST);
    assert_eq!(post.uri, "/chat.postMessage");
    assert_eq!(header(post, "authorization"), "Bearer xoxb-test-token");
    assert!(header(post, "content-type").starts_with("application/json"));
    assert_eq!(
        serde_json::from_slice::<Value>(&post.body).unwrap(),
        json!({"channel": "C404", "text": "hello"})
    );
    assert!(
        post.headers.get("idempotency-key").is_none(),
        "Slack declares no idempotency header"
    );
    assert_eq!(
        seen.iter().filter(|s| s.uri.starts_with("/chat.postMessage")).count(),
        1,
        "not retried"
    );
    assert_eq!(seen[1].uri, "/users.info?user=U1");
    assert_eq!(seen[2].uri, "/conversations.list?limit=2");
    assert_eq!(seen[3].uri, "/conversations.list?cursor=page2&limit=2");
    assert_eq!(seen[4].uri, "/users.list?limit=2");
    assert_eq!(seen[5].uri, "/users.list?cursor=u2&limit=2");
    assert_eq!(seen.len(), 6);
}

fn github_reply(method: &Method, uri: &Uri, host: &str) -> Response {
    match (method.as_str(), uri.path()) {
        ("POST", "/repos/octo-org/hello/issues") => (
            StatusCode::CREATED,
            axum::Json(
                json!({"id": 1, "number": 7, "title": "Bug", "state": "open", "body": "steps", "user": null,
                              "labels": []}),
            ),
        )
            .into_response(),
        ("GET", "/repos/octo-org/hello/issues") => {
            let page2 = uri.query().unwrap_or_default().split('&').any(|kv| kv == "page=2");
            let issue = |n: u64| json!({"id": n, "number": n, "title": format!("#{n}"), "state": "open"});
            let mut r = axum::Json(if page2 {
                json!([issue(3)])
            } else {
                json!([issue(1), issue(2)])
            })
            .into_response();
            if !page2 {
                let link = format!(r#"<http://{host}/repos/octo-org/hello/issues?per_page=2&page=2>; rel="next""#);
                r.headers_mut().insert("link", link.parse().unwrap());
            }
            r
        }
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

/// GitHub's primary rate limit: HTTP 403 with `X-RateLimit-Remaining: 0` and the reset as a Unix time. `spent`
/// resets in the past (so one retry at once succeeds); `spent-long` resets in an hour.
fn github_quota_reply(_: &Method, uri: &Uri, _: &str) -> Response {
    static SPENT_CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    let reset = match uri.path() {
        "/repos/octo-org/spent" if SPENT_CALLS.fetch_add(1, std::sync::atomic::Ordering::SeqCst) > 0 => {
            return axum::Json(
                json!({"id": 2, "name": "spent", "full_name": "octo-org/spent", "private": false,
                                "owner": {"login": "octo-org", "id": 3}}),
            )
            .into_response();
        }
        "/repos/octo-org/spent" => now - 5,
        _ => now + 3600,
    };
    let mut r = (
        StatusCode::FORBIDDEN,
        axum::Json(json!({"message": "API rate limit exceeded for user ID 1.",
                          "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"})),
    )
        .into_response();
    r.headers_mut().insert("x-ratelimit-remaining", "0".parse().unwrap());
    r.headers_mut()
        .insert("x-ratelimit-reset", reset.to_string().parse().unwrap());
    r
}

#[tokio::test]
async fn github_spent_quota_is_retried_after_the_declared_reset() {
    let (base, log) = serve(github_quota_reply).await;
    let rest = github::Client::builder()
        .credential(Credential::bearer("ghu_test_token"))
        .base_url(&base)
        .build()
        .unwrap();
    let client = github::Client::new(rest);
    let repo = |name: &str| github::RepoGetParams {
        owner: "octo-org".into(),
        repo: name.into(),
    };
    let spent = client.repo_get(&repo("spent")).send().await.unwrap();
    assert_eq!(spent.full_name, "octo-org/spent");

    // A reset an hour away is beyond the longest wait allowed (60 s): not retried, and the error says how long.
    let err = client.repo_get(&repo("spent-long")).send().await.unwrap_err();
    assert_eq!((err.status(), err.attempts()), (Some(403), 1));
    let spec_runtime::client::ClientError::Api(api) = &err else {
        panic!("{err:?}")
    };
    let wait = api.retry_after.expect("the wait until the reset");
    assert!(wait > std::time::Duration::from_secs(3500), "{wait:?}");

    let seen = log.lock().unwrap().clone();
    let paths: Vec<&str> = seen.iter().map(|s| s.uri.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/repos/octo-org/spent",
            "/repos/octo-org/spent",
            "/repos/octo-org/spent-long"
        ]
    );
}

#[tokio::test]
async fn github_client_sends_version_and_accept_headers_and_follows_link_paging() {
    let (base, log) = serve(github_reply).await;
    let rest = github::Client::builder()
        .credential(Credential::bearer("ghu_test_token"))
        .base_url(&base)
        .build()
        .unwrap();
    let client = github::Client::new(rest);
    let issue = client
        .issue_create(&github::IssueCreateParams {
            owner: "octo-org".into(),
            repo: "hello".into(),
            title: "Bug".into(),
            body: Some("steps".into()),
            assignees: None,
            labels: None,
        })
        .send()
        .await
        .unwrap();
    assert_eq!(issue.number, 7);
    assert_eq!(issue.extra["labels"], json!([]));

    let numbers: Vec<u64> = client
        .issue_list_all(&github::IssueListParams {
            owner: "octo-org".into(),
            repo: "hello".into(),
            state: None,
            labels: None,
            per_page: Some(2),
            page: None,
        })
        .map_ok(|i: github::Issue| i.number)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(numbers, [1, 2, 3]);

    let seen = log.lock().unwrap().clone();
    let post = &seen[0];
    assert_eq!(post.uri, "/repos/octo-org/hello/issues");
    assert_eq!(header(post, "authorization"), "Bearer ghu_test_token");
    assert_eq!(header(post, "x-github-api-version"), "2022-11-28");
    assert_eq!(header(post, "accept"), "application/vnd.github+json");
    assert_eq!(
        serde_json::from_slice::<Value>(&post.body).unwrap(),
        json!({"title": "Bug", "body": "steps"}),
        "path parameters are not repeated in the body"
    );
    assert_eq!(seen[1].uri, "/repos/octo-org/hello/issues?per_page=2");
    assert_eq!(seen[2].uri, "/repos/octo-org/hello/issues?per_page=2&page=2");
}
