//! Auto-paging for each of the spec's pagination styles, against a local server that pages a fixed list.

mod client_common;

use client_common::*;
use futures_util::{StreamExt, TryStreamExt};
use serde::Deserialize;
use serde_json::{Value, json};
use spec_runtime::client::ClientError;

#[derive(Debug, Deserialize, PartialEq)]
struct Item {
    id: String,
}

fn ids(n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("obj_{i}")).collect()
}

fn query_param(r: &Recorded, name: &str) -> Option<String> {
    url::form_urlencoded::parse(r.query.as_deref().unwrap_or_default().as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// Serves `all` in pages of `limit`, starting after the `after` id.
fn page_after(all: &[String], after: Option<&str>, limit: usize) -> (Vec<Value>, bool) {
    let start = after.and_then(|a| all.iter().position(|x| x == a)).map_or(0, |i| i + 1);
    let page: Vec<Value> = all.iter().skip(start).take(limit).map(|id| json!({"id": id})).collect();
    (page, start + limit < all.len())
}

#[test]
fn starting_after_pages_by_the_last_item_id_until_has_more_is_false() {
    let spec = leak(stripe_spec_json());
    rt().block_on(async {
        let all = ids(5);
        let served = all.clone();
        let server = Recorder::start(move |_, r| {
            let limit = query_param(r, "limit").and_then(|l| l.parse().ok()).unwrap_or(10);
            let (data, has_more) = page_after(&served, query_param(r, "starting_after").as_deref(), limit);
            Reply::json(200, json!({"object": "list", "data": data, "has_more": has_more}))
        })
        .await;
        let client = builder(spec, &server.url).build().unwrap();
        let action = spec.action("stripe.customer.list").unwrap();
        let items: Vec<Item> = client
            .paginate(action, &json!({"limit": 2}))
            .try_collect()
            .await
            .unwrap();
        assert_eq!(items.iter().map(|i| i.id.clone()).collect::<Vec<_>>(), all);
        let queries: Vec<Option<String>> = server.requests().iter().map(|r| r.query.clone()).collect();
        assert_eq!(
            queries,
            [
                Some("limit=2".to_string()),
                Some("limit=2&starting_after=obj_2".to_string()),
                Some("limit=2&starting_after=obj_4".to_string()),
            ]
        );
    });
}

#[test]
fn cursor_pages_by_the_pointer_until_it_is_empty() {
    let mut v = stripe_spec_json();
    rest_mut(&mut v).insert(
        "pagination".into(),
        json!({"style": "cursor", "cursor_param": "cursor", "limit_param": "limit", "items_field": "members",
               "next_cursor_pointer": "/response_metadata/next_cursor"}),
    );
    let spec = leak(v);
    rt().block_on(async {
        let server = Recorder::start(|_, r| {
            let page = query_param(r, "cursor").map_or(0, |c| c.trim_start_matches("page-").parse().unwrap_or(0));
            let members: Vec<Value> = (0..2).map(|i| json!({"id": format!("U{}", page * 2 + i)})).collect();
            let next = if page < 2 {
                format!("page-{}", page + 1)
            } else {
                String::new()
            };
            Reply::json(
                200,
                json!({"ok": true, "members": members, "response_metadata": {"next_cursor": next}}),
            )
        })
        .await;
        let client = builder(spec, &server.url).build().unwrap();
        let action = spec.action("stripe.customer.list").unwrap();
        let items: Vec<Item> = client
            .paginate(action, &json!({"limit": 2}))
            .try_collect()
            .await
            .unwrap();
        assert_eq!(
            items.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(),
            ["U0", "U1", "U2", "U3", "U4", "U5"]
        );
        let cursors: Vec<Option<String>> = server.requests().iter().map(|r| query_param(r, "cursor")).collect();
        assert_eq!(cursors, [None, Some("page-1".into()), Some("page-2".into())]);
    });
}

#[test]
fn link_header_pages_follow_rel_next_on_the_same_origin_only() {
    let mut v = stripe_spec_json();
    rest_mut(&mut v).insert("pagination".into(), json!({"style": "link_header"}));
    let spec = leak(v);
    rt().block_on(async {
        let all = ids(5);
        let served = all.clone();
        let server = Recorder::start(move |_, r| {
            let page: usize = query_param(r, "page").and_then(|p| p.parse().ok()).unwrap_or(1);
            let body: Vec<Value> = served
                .iter()
                .skip((page - 1) * 2)
                .take(2)
                .map(|id| json!({"id": id}))
                .collect();
            let mut links = vec![r#"<{BASE}/v1/customers?page=1&per_page=2>; rel="first""#.to_string()];
            if page < 3 {
                links.push(format!(r#"</v1/customers?page={}&per_page=2>; rel="next""#, page + 1));
            }
            Reply::json(200, Value::Array(body)).header("Link", &links.join(", "))
        })
        .await;
        let client = builder(spec, &server.url).build().unwrap();
        let action = spec.action("stripe.customer.list").unwrap();
        let items: Vec<Item> = client
            .paginate(action, &json!({"per_page": 2}))
            .try_collect()
            .await
            .unwrap();
        assert_eq!(items.iter().map(|i| i.id.clone()).collect::<Vec<_>>(), all);
        let queries: Vec<Option<String>> = server.requests().iter().map(|r| r.query.clone()).collect();
        assert_eq!(
            queries,
            [
                Some("per_page=2".to_string()),
                Some("page=2&per_page=2".to_string()),
                Some("page=3&per_page=2".to_string()),
            ]
        );
        assert!(
            server
                .requests()
                .iter()
                .all(|r| r.header("authorization") == Some("Bearer sk_test_12345"))
        );

        // A next link to another origin is not followed with this connection's credentials.
        let other = Recorder::start(|_, _| {
            Reply::json(200, json!([{"id": "obj_1"}]))
                .header("Link", r#"<https://elsewhere.example/v1/customers?page=2>; rel="next""#)
        })
        .await;
        let client = builder(spec, &other.url).build().unwrap();
        let results: Vec<Result<Item, ClientError>> = client.paginate(action, &json!({})).collect().await;
        assert_eq!(results.len(), 2);
        assert!(results[0].is_ok());
        assert!(
            matches!(&results[1], Err(ClientError::Pagination { .. })),
            "{:?}",
            results[1]
        );
        assert_eq!(other.requests().len(), 1);
    });
}

#[test]
fn an_error_mid_way_ends_the_stream_after_the_items_already_fetched() {
    let spec = leak(stripe_spec_json());
    rt().block_on(async {
        let server = Recorder::start(|i, _| {
            if i == 0 {
                Reply::json(
                    200,
                    json!({"data": [{"id": "obj_1"}, {"id": "obj_2"}], "has_more": true}),
                )
            } else {
                Reply::json(
                    400,
                    json!({"error": {"type": "invalid_request_error", "param": "starting_after"}}),
                )
            }
        })
        .await;
        let client = builder(spec, &server.url).build().unwrap();
        let action = spec.action("stripe.customer.list").unwrap();
        let results: Vec<Result<Item, ClientError>> = client.paginate(action, &json!({"limit": 2})).collect().await;
        assert_eq!(results.len(), 3);
        assert_eq!(results[1].as_ref().unwrap().id, "obj_2");
        assert_eq!(results[2].as_ref().unwrap_err().status(), Some(400));

        let get = spec.action("stripe.customer.get").unwrap();
        let results: Vec<Result<Item, ClientError>> = client.paginate(get, &json!({})).collect().await;
        assert!(
            matches!(results.as_slice(), [Err(ClientError::Unsupported { .. })]),
            "{results:?}"
        );
    });
}

#[test]
fn an_action_items_field_overrides_the_transport_one_for_that_action_only() {
    let mut v = stripe_spec_json();
    rest_mut(&mut v).insert(
        "pagination".into(),
        json!({"style": "cursor", "cursor_param": "cursor", "limit_param": "limit", "items_field": "members",
               "next_cursor_pointer": "/response_metadata/next_cursor"}),
    );
    let actions = v["actions"].as_array_mut().unwrap();
    for action in actions.iter_mut() {
        if action["id"] == "stripe.customer.list" {
            action["items_field"] = json!("channels");
        }
    }
    actions.push(json!({"id": "stripe.charge.list", "method_name": "charge_list", "method": "GET",
        "path": "/v1/charges", "paginated": true,
        "input": {"type_name": "ChargeList", "schema": {"type": "object", "properties": {"limit": {"type": "integer"}}}},
        "output": {"type_name": "Object", "schema": {"type": "object"}}}));
    let spec = leak(v);
    rt().block_on(async {
        // Both arrays are in every page; only the declared one may be read.
        let server = Recorder::start(|_, r| {
            let second = query_param(r, "cursor").is_some();
            let page = if second { 1 } else { 0 };
            let channels: Vec<Value> = (0..2).map(|i| json!({"id": format!("C{}", page * 2 + i)})).collect();
            let members: Vec<Value> = (0..2).map(|i| json!({"id": format!("U{}", page * 2 + i)})).collect();
            let next = if second { "" } else { "next-page" };
            Reply::json(
                200,
                json!({"ok": true, "channels": channels, "members": members,
                       "response_metadata": {"next_cursor": next}}),
            )
        })
        .await;
        let client = builder(spec, &server.url).build().unwrap();

        let channels: Vec<Item> = client
            .paginate(spec.action("stripe.customer.list").unwrap(), &json!({"limit": 2}))
            .try_collect()
            .await
            .unwrap();
        assert_eq!(
            channels.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(),
            ["C0", "C1", "C2", "C3"]
        );
        let members: Vec<Item> = client
            .paginate(spec.action("stripe.charge.list").unwrap(), &json!({"limit": 2}))
            .try_collect()
            .await
            .unwrap();
        assert_eq!(
            members.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(),
            ["U0", "U1", "U2", "U3"]
        );
        let requests: Vec<(String, Option<String>)> = server
            .requests()
            .iter()
            .map(|r| (r.path.clone(), r.query.clone()))
            .collect();
        assert_eq!(
            requests,
            [
                ("/v1/customers".to_string(), Some("limit=2".to_string())),
                (
                    "/v1/customers".to_string(),
                    Some("cursor=next-page&limit=2".to_string())
                ),
                ("/v1/charges".to_string(), Some("limit=2".to_string())),
                ("/v1/charges".to_string(), Some("cursor=next-page&limit=2".to_string())),
            ]
        );
    });
}
