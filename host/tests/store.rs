//! The store's behaviour, the same tests on SQLite and PostgreSQL.

mod common;

use common::TestStore;
use host::store::{EventFilter, NewConnection, NewEvent, Sealed, StoreError};

fn connection(id: &str, project: &str, name: &str, account: Option<&str>) -> NewConnection {
    NewConnection {
        id: id.into(),
        project_id: project.into(),
        provider: "stripe".into(),
        name: name.into(),
        auth_kind: "api-key".into(),
        account_id: account.map(Into::into),
        config: "{}".into(),
        sealed: Some(Sealed {
            key_id: "k1".into(),
            blob: vec![1, 2, 3],
        }),
        scopes: None,
        created_at: 1,
    }
}

fn event(project: &str, connection: &str, id: &str, ty: &str, at: i64) -> NewEvent {
    NewEvent {
        project_id: project.into(),
        connection_id: connection.into(),
        provider: "stripe".into(),
        event_id: id.into(),
        event_type: ty.into(),
        account_id: Some("acct_1".into()),
        created: Some(10),
        livemode: Some(false),
        object_id: Some("cus_1".into()),
        object_type: Some("customer".into()),
        data: r#"{"id":"cus_1"}"#.into(),
        previous_attributes: None,
        raw: r#"{"id":"evt"}"#.into(),
        received_at: at,
    }
}

fn filter(project: &str) -> EventFilter {
    EventFilter {
        project_id: project.into(),
        limit: 100,
        ..EventFilter::default()
    }
}

async fn projects_are_found_by_key_hash(t: TestStore) {
    let (id, key) = common::project(&t.store, "one").await;
    let (found, hash) = t
        .store
        .project_by_key_hash(&host::keys::hash(&key))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.id, id);
    assert_eq!(found.return_url.as_deref(), Some("https://app.example/done"));
    assert_eq!(hash, host::keys::hash(&key));
    assert!(
        t.store
            .project_by_key_hash(&host::keys::hash("ihk_other"))
            .await
            .unwrap()
            .is_none()
    );
}

async fn connection_names_are_unique_among_live_connections(t: TestStore) {
    let (p, _) = common::project(&t.store, "p").await;
    t.store
        .insert_connection(&connection("c1", &p, "default", Some("acct_1")))
        .await
        .unwrap();
    let again = t.store.insert_connection(&connection("c2", &p, "default", None)).await;
    assert!(matches!(again, Err(StoreError::Conflict)), "{again:?}");
    assert!(t.store.delete_connection(&p, "c1", 5).await.unwrap());
    assert!(
        !t.store.delete_connection(&p, "c1", 6).await.unwrap(),
        "already deleted"
    );
    t.store
        .insert_connection(&connection("c2", &p, "default", None))
        .await
        .unwrap();
    let live = t.store.connections(&p).await.unwrap();
    assert_eq!(live.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), ["c2"]);
}

async fn deleting_erases_secrets_and_stops_routing(t: TestStore) {
    let (p, _) = common::project(&t.store, "p").await;
    t.store
        .insert_connection(&connection("c1", &p, "a", Some("acct_1")))
        .await
        .unwrap();
    assert_eq!(
        t.store.connections_for_account("stripe", "acct_1").await.unwrap().len(),
        1
    );
    assert!(t.store.connection(&p, "c1").await.unwrap().unwrap().sealed.is_some());
    assert!(
        t.store.connection("other", "c1").await.unwrap().is_none(),
        "another project's row is not found"
    );
    t.store.delete_connection(&p, "c1", 9).await.unwrap();
    assert!(t.store.connection_by_id("c1").await.unwrap().is_none());
    assert!(
        t.store
            .connections_for_account("stripe", "acct_1")
            .await
            .unwrap()
            .is_empty()
    );
    assert!(t.store.sealed_connections().await.unwrap().is_empty(), "secrets erased");
}

async fn events_are_stored_once_per_connection_and_event_id(t: TestStore) {
    let (p, _) = common::project(&t.store, "p").await;
    t.store
        .insert_connection(&connection("c1", &p, "a", None))
        .await
        .unwrap();
    t.store
        .insert_connection(&connection("c2", &p, "b", None))
        .await
        .unwrap();
    let e1 = event(&p, "c1", "evt_1", "stripe.customer.created", 100);
    assert_eq!(t.store.insert_events(std::slice::from_ref(&e1)).await.unwrap(), [true]);
    assert_eq!(t.store.insert_events(std::slice::from_ref(&e1)).await.unwrap(), [false]);
    let e2 = event(&p, "c2", "evt_1", "stripe.customer.created", 100);
    assert_eq!(t.store.insert_events(&[e2, e1.clone()]).await.unwrap(), [true, false]);
    assert_eq!(t.store.count_events("c1", Some("evt_1")).await.unwrap(), 1);
    assert_eq!(t.store.count_events("c2", None).await.unwrap(), 1);
    let c1 = t.store.connection(&p, "c1").await.unwrap().unwrap();
    assert_eq!(c1.last_event_at, Some(100));
    let rows = t.store.events(&filter(&p)).await.unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].event, e1);
}

async fn concurrent_copies_insert_once(t: TestStore) {
    let (p, _) = common::project(&t.store, "p").await;
    t.store
        .insert_connection(&connection("c1", &p, "a", None))
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let store = t.store.clone();
        let e = event(&p, "c1", "evt_same", "stripe.invoice.paid", 1);
        tasks.push(tokio::spawn(async move { store.insert_events(&[e]).await.unwrap()[0] }));
    }
    let mut new = 0;
    for task in tasks {
        new += usize::from(task.await.unwrap());
    }
    assert_eq!(new, 1, "exactly one copy inserted");
    assert_eq!(t.store.count_events("c1", None).await.unwrap(), 1);
}

async fn events_filter_by_type_pattern_connection_time_and_cursor(t: TestStore) {
    let (p, _) = common::project(&t.store, "p").await;
    let (q, _) = common::project(&t.store, "q").await;
    for (i, ty) in [
        "stripe.customer.created",
        "stripe.customer.updated",
        "stripe.invoice.paid",
        "stripe.customer_x",
    ]
    .iter()
    .enumerate()
    {
        let at = 100 + i as i64;
        t.store
            .insert_events(&[event(&p, "c1", &format!("e{i}"), ty, at)])
            .await
            .unwrap();
    }
    t.store
        .insert_events(&[event(&p, "c2", "e9", "stripe.customer.deleted", 200)])
        .await
        .unwrap();
    t.store
        .insert_events(&[event(&q, "c3", "e1", "stripe.customer.created", 100)])
        .await
        .unwrap();
    let ids = |rows: Vec<host::store::EventRow>| rows.into_iter().map(|r| r.event.event_id).collect::<Vec<_>>();
    let mut f = filter(&p);
    f.type_pattern = Some("stripe.customer.*".into());
    assert_eq!(
        ids(t.store.events(&f).await.unwrap()),
        ["e0", "e1", "e9"],
        "`_` and `.` are literal"
    );
    f.connection_id = Some("c1".into());
    assert_eq!(ids(t.store.events(&f).await.unwrap()), ["e0", "e1"]);
    let mut f = filter(&p);
    f.since = Some(101);
    f.until = Some(103);
    assert_eq!(ids(t.store.events(&f).await.unwrap()), ["e1", "e2"]);
    let mut f = filter(&p);
    f.limit = 2;
    let first = t.store.events(&f).await.unwrap();
    assert_eq!(first.len(), 2);
    f.after_seq = first[1].seq;
    assert_eq!(ids(t.store.events(&f).await.unwrap()), ["e2", "e3"]);
    f.type_pattern = Some("stripe.invoice.paid".into());
    f.after_seq = 0;
    assert_eq!(ids(t.store.events(&f).await.unwrap()), ["e2"], "an exact type");
    assert_eq!(
        ids(t.store.events(&filter(&q)).await.unwrap()),
        ["e1"],
        "projects are apart"
    );
}

async fn resealing_replaces_only_unchanged_rows(t: TestStore) {
    let (p, _) = common::project(&t.store, "p").await;
    t.store
        .insert_connection(&connection("c1", &p, "a", None))
        .await
        .unwrap();
    let fresh = Sealed {
        key_id: "k2".into(),
        blob: vec![9],
    };
    assert!(t.store.replace_sealed("c1", "k1", &fresh).await.unwrap());
    assert!(
        !t.store.replace_sealed("c1", "k1", &fresh).await.unwrap(),
        "no longer under k1"
    );
    assert_eq!(t.store.sealed_connections().await.unwrap()[0].1, fresh);
}

async fn reopening_keeps_the_data(t: TestStore) {
    let (p, key) = common::project(&t.store, "p").await;
    t.store.close().await;
    let again = host::store::Store::open(&t.url).await.unwrap();
    let (found, _) = again
        .project_by_key_hash(&host::keys::hash(&key))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.id, p);
}

on_both_engines!(
    projects_are_found_by_key_hash,
    connection_names_are_unique_among_live_connections,
    deleting_erases_secrets_and_stops_routing,
    events_are_stored_once_per_connection_and_event_id,
    concurrent_copies_insert_once,
    events_filter_by_type_pattern_connection_time_and_cursor,
    resealing_replaces_only_unchanged_rows,
    reopening_keeps_the_data,
);
