//! The `integration-host` commands: configuration errors name their variable, `serve` says where it listens,
//! `reseal` moves rows to the current key.

mod common;

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};

use host::seal::Sealer;
use host::store::{NewConnection, Store};

const BIN: &str = env!("CARGO_BIN_EXE_integration-host");
const OLD_KEY: &str = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
const NEW_KEY: &str = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=";

fn host(db: &str) -> Command {
    let mut c = Command::new(BIN);
    c.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", db);
    c
}

fn stderr_of(mut c: Command) -> String {
    let out = c.output().unwrap();
    assert!(!out.status.success());
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn configuration_errors_name_the_variable() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("h.db").display());
    let mut c = host(&db);
    c.args(["serve", "--listen", "127.0.0.1:0"]);
    assert!(stderr_of(c).contains("HOST_SEAL_KEY is not set"));
    let mut c = host(&db);
    c.env("HOST_SEAL_KEY", "not-base64!")
        .args(["serve", "--listen", "127.0.0.1:0"]);
    let e = stderr_of(c);
    assert!(e.contains("HOST_SEAL_KEY must be 32 bytes"), "{e}");
    let mut c = host("mysql://x");
    c.args(["project", "create", "x"]);
    let e = stderr_of(c);
    assert!(
        e.contains("DATABASE_URL") && e.contains("unsupported database URL"),
        "{e}"
    );
    let mut c = host(&db);
    c.env("HOST_SEAL_KEY", OLD_KEY)
        .env("STRIPE_INTEGRATION_APP_BASE_URL", "not a url")
        .args(["serve", "--listen", "127.0.0.1:0"]);
    let e = stderr_of(c);
    assert!(e.contains("STRIPE_INTEGRATION_APP_BASE_URL"), "{e}");
}

#[test]
fn serve_prints_where_it_listens_and_how_to_create_a_project() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("h.db").display());
    let mut c = host(&db);
    c.env("HOST_SEAL_KEY", OLD_KEY)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = c.spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let second = lines.next().unwrap().unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        first.starts_with("integration-host listening on http://127.0.0.1:"),
        "{first}"
    );
    assert!(first.contains("Sqlite") && first.contains("stripe"), "{first}");
    assert!(second.contains("project create"), "{second}");
    assert!(
        dir.path().join("h.db").exists(),
        "the database file is created at start"
    );
}

#[tokio::test]
async fn reseal_moves_rows_to_the_current_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("h.db").display());
    let store = Store::open(&db).await.unwrap();
    let (project, _) = common::project(&store, "p").await;
    let old = Sealer::new("old", OLD_KEY, None).unwrap();
    store
        .insert_connection(&NewConnection {
            id: "conn_1".into(),
            project_id: project,
            provider: "stripe".into(),
            name: "default".into(),
            auth_kind: "api-key".into(),
            account_id: None,
            config: "{}".into(),
            sealed: Some(old.seal("conn_1", b"{\"api_key\":\"sk_test_x\"}").unwrap()),
            scopes: None,
            created_at: 1,
        })
        .await
        .unwrap();
    store.close().await;

    let mut without_old = host(&db);
    without_old
        .env("HOST_SEAL_KEY", NEW_KEY)
        .env("HOST_SEAL_KEY_ID", "new")
        .arg("reseal");
    let e = stderr_of(without_old);
    assert!(e.contains("HOST_SEAL_OLD_KEYS"), "{e}");

    let mut c = host(&db);
    c.env("HOST_SEAL_KEY", NEW_KEY)
        .env("HOST_SEAL_KEY_ID", "new")
        .env("HOST_SEAL_OLD_KEYS", format!("old:{OLD_KEY}"))
        .arg("reseal");
    let out = c.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("re-sealed 1 connection(s) under key `new`"));

    let store = Store::open(&db).await.unwrap();
    let rows = store.sealed_connections().await.unwrap();
    assert_eq!(rows[0].1.key_id, "new");
    let new_only = Sealer::new("new", NEW_KEY, None).unwrap();
    assert_eq!(
        new_only.open("conn_1", &rows[0].1).unwrap(),
        b"{\"api_key\":\"sk_test_x\"}"
    );
}
