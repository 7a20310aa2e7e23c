//! A copy of an event is never acknowledged while the first copy's transaction is uncommitted: with the first
//! copy's row inserted in an open transaction, the copy's request waits; when that transaction rolls back, the
//! copy is the one that stores the event. The same on SQLite and PostgreSQL. Also: two host processes on one
//! database store each event once.

mod common;

use std::time::Duration;

use common::{PLATFORM_SECRET, TestStore};
use reqwest::StatusCode;
use serde_json::Value;
use sqlx::Connection as _;

const INSERT: &str = "INSERT INTO events (project_id, connection_id, provider, event_id, event_type, data, raw, received_at) \
                      VALUES ($1, $2, 'stripe', 'evt_pending', 'stripe.customer.created', '{}', '{}', 1)";

async fn a_copy_waits_for_the_first_copys_commit(t: TestStore) {
    let h = std::sync::Arc::new(common::serve(&t.store).await);
    let p = common::project(&t.store, "p").await;
    let conn = h
        .stripe_connection(&p, "default", Some("acct_wait"), "whsec_wait")
        .await;
    let body = common::stripe_event("evt_pending", "customer.created", Some("acct_wait"));

    // The "first copy": its row inserted by a transaction that is still open.
    macro_rules! hold_then_roll_back {
        ($c:expr, $begin:expr) => {{
            let mut c = $c;
            sqlx::query($begin).execute(&mut c).await.unwrap();
            sqlx::query(INSERT)
                .bind(&p.0)
                .bind(&conn)
                .execute(&mut c)
                .await
                .unwrap();
            let copy = {
                let h = h.clone();
                let body = body.clone();
                tokio::spawn(async move {
                    h.deliver("/v1/provider/stripe/webhook/events", PLATFORM_SECRET, &body)
                        .await
                })
            };
            tokio::time::sleep(Duration::from_millis(700)).await;
            assert!(
                !copy.is_finished(),
                "the copy was answered while the first copy was uncommitted"
            );
            sqlx::query("ROLLBACK").execute(&mut c).await.unwrap();
            copy
        }};
    }
    let copy = if t.dir.is_some() {
        let c = sqlx::SqliteConnection::connect(&t.url).await.unwrap();
        hold_then_roll_back!(c, "BEGIN IMMEDIATE")
    } else {
        let c = sqlx::PgConnection::connect(&t.url).await.unwrap();
        hold_then_roll_back!(c, "BEGIN")
    };
    let r = copy.await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        v["duplicate"], false,
        "after the rollback the copy stored the event: {v}"
    );
    assert_eq!(t.store.count_events(&conn, Some("evt_pending")).await.unwrap(), 1);
}

async fn two_hosts_on_one_database_store_each_event_once(t: TestStore) {
    let second_store = host::store::Store::open(&t.url).await.unwrap();
    let a = std::sync::Arc::new(common::serve(&t.store).await);
    let b = std::sync::Arc::new(common::serve(&second_store).await);
    let p = common::project(&t.store, "p").await;
    let conn = a.stripe_connection(&p, "default", Some("acct_two"), "whsec_two").await;
    let mut tasks = Vec::new();
    for i in 0..40 {
        let host = if i % 2 == 0 { a.clone() } else { b.clone() };
        let body = common::stripe_event(&format!("evt_two_{}", i % 10), "invoice.paid", Some("acct_two"));
        tasks.push(tokio::spawn(async move {
            host.deliver("/v1/provider/stripe/webhook/events", PLATFORM_SECRET, &body)
                .await
                .status()
        }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), StatusCode::OK);
    }
    assert_eq!(t.store.count_events(&conn, None).await.unwrap(), 10);
    // An event committed through one host reaches the other's log reader.
    let page: Value = b
        .get(&format!("/v1/projects/{}/events", p.0), &p.1)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["data"].as_array().unwrap().len(), 10);
}

on_both_engines!(
    a_copy_waits_for_the_first_copys_commit,
    two_hosts_on_one_database_store_each_event_once
);
