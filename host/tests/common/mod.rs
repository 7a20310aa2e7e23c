//! Helpers shared by the host's tests: stores on both engines, a host served on a free port, signing.
#![allow(dead_code)]

pub mod peers;
pub mod pg;
pub mod process;
pub mod receiver;

use std::collections::BTreeMap;
use std::sync::Arc;

use host::state::{AppState, Settings};
use host::store::Store;
use spec_core::Secret;
use spec_runtime::webhook::Signer;

/// The platform webhook secret the test hosts are configured with.
pub const PLATFORM_SECRET: &str = "whsec_platform_test_secret";
/// The sealing key of the test hosts.
pub const SEAL_KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

/// A store and what keeps it alive.
pub struct TestStore {
    /// The store.
    pub store: Store,
    /// Its URL.
    pub url: String,
    /// The SQLite file's directory.
    pub dir: Option<tempfile::TempDir>,
}

/// A store on a fresh SQLite file.
pub async fn sqlite() -> TestStore {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("host.db").display());
    TestStore {
        store: Store::open(&url).await.unwrap(),
        url,
        dir: Some(dir),
    }
}

/// A store on a fresh PostgreSQL database, `None` when PostgreSQL is unavailable outside CI.
pub async fn postgres() -> Option<TestStore> {
    let url = pg::fresh_database().await?;
    Some(TestStore {
        store: Store::open(&url).await.unwrap(),
        url,
        dir: None,
    })
}

/// Runs `$case(TestStore)` once per engine, as tests `sqlite::$case` and `postgres::$case`.
#[macro_export]
macro_rules! on_both_engines {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $case() {
                    super::$case(super::common::sqlite().await).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $case() {
                    if let Some(store) = super::common::postgres().await {
                        super::$case(store).await;
                    }
                }
            )*
        }
    };
}

/// A host served on a free port of 127.0.0.1.
pub struct TestHost {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// Its state.
    pub state: Arc<AppState>,
    /// An HTTP client.
    pub http: reqwest::Client,
}

/// The settings of test hosts: a rate limit high enough not to interfere.
pub fn settings() -> Settings {
    Settings {
        ingest_rate_per_sec: std::num::NonZeroU32::new(100_000).unwrap(),
        ingest_burst: std::num::NonZeroU32::new(100_000).unwrap(),
        stream_poll: std::time::Duration::from_millis(200),
        ..Settings::default()
    }
}

/// Serves `store` with `settings`.
pub async fn serve_with(store: &Store, settings: Settings) -> TestHost {
    serve_env(store, settings, &[]).await
}

/// Serves `store` with `settings` and deployment variables `extra` besides the platform webhook secret.
pub async fn serve_env(store: &Store, settings: Settings, extra: &[(&str, &str)]) -> TestHost {
    let mut env: BTreeMap<String, String> = [(
        "STRIPE_INTEGRATION_WEBHOOK_SECRET".to_string(),
        PLATFORM_SECRET.to_string(),
    )]
    .into();
    env.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let providers = host::providers::load(&integrations::all(), &env).unwrap();
    let sealer = host::seal::Sealer::new("test", SEAL_KEY, None).unwrap();
    let state = AppState::new(store.clone(), sealer, providers, settings);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let st = state.clone();
    tokio::spawn(async move { host::server::serve(listener, st, std::future::pending()).await });
    TestHost {
        base,
        state,
        http: reqwest::Client::new(),
    }
}

/// Serves `store` with [`settings`].
pub async fn serve(store: &Store) -> TestHost {
    serve_with(store, settings()).await
}

/// A project: (id, key).
pub async fn project(store: &Store, name: &str) -> (String, String) {
    let p = host::server::create_project(store, name, Some("https://app.example/done".into()))
        .await
        .unwrap();
    (p.id, p.key)
}

/// A Stripe event body for `account`.
pub fn stripe_event(id: &str, event_type: &str, account: Option<&str>) -> Vec<u8> {
    let mut v = serde_json::json!({
        "id": id, "object": "event", "type": event_type, "created": 1_700_000_000, "livemode": false,
        "api_version": "2024-11-20.acacia",
        "data": {"object": {"id": "cus_1", "object": "customer", "email": "ada@example.com"},
                 "previous_attributes": {"email": "old@example.com"}}
    });
    if let Some(a) = account {
        v["account"] = serde_json::Value::from(a);
    }
    serde_json::to_vec(&v).unwrap()
}

/// Headers signing `body` for Stripe with `secret`, now.
pub fn stripe_signature(secret: &str, body: &[u8]) -> Vec<(String, String)> {
    let signer = Signer::from_spec(integrations::stripe::spec(), &Secret::new(secret)).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    signer.sign(body, now).0
}

impl TestHost {
    /// `POST path` with `body` signed by `secret`.
    pub async fn deliver(&self, path: &str, secret: &str, body: &[u8]) -> reqwest::Response {
        let mut req = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/json")
            .body(body.to_vec());
        for (k, v) in stripe_signature(secret, body) {
            req = req.header(k, v);
        }
        req.send().await.unwrap()
    }

    /// A Stripe connection of project `(id, key)` for `account`, returning its id.
    pub async fn stripe_connection(
        &self,
        project: &(String, String),
        name: &str,
        account: Option<&str>,
        webhook_secret: &str,
    ) -> String {
        let r = self
            .http
            .post(format!("{}/v1/projects/{}/connections", self.base, project.0))
            .bearer_auth(&project.1)
            .json(&serde_json::json!({
                "provider": "stripe", "name": name,
                "config": {"account_id": account},
                "secrets": {"api_key": "sk_test_4eC39HqLyjWDarjtT1zdp7dc", "webhook_secret": webhook_secret}
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
        let v: serde_json::Value = r.json().await.unwrap();
        v["id"].as_str().unwrap().to_string()
    }

    /// `GET path` with `key`.
    pub async fn get(&self, path: &str, key: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.base))
            .bearer_auth(key)
            .send()
            .await
            .unwrap()
    }
}
