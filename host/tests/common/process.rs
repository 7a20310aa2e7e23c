//! The host binary as a child process, for the crash tests: its environment, a project made with its CLI, a
//! server started on a port, waiting until it answers, and a guard that kills it when the test ends.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// The host binary.
pub const BIN: &str = env!("CARGO_BIN_EXE_integration-host");

/// The environment of a test host on database `db`.
pub fn host_env(cmd: &mut Command, db: &str) {
    cmd.env("DATABASE_URL", db)
        .env("HOST_SEAL_KEY", super::SEAL_KEY)
        .env("HOST_SEAL_KEY_ID", "crash")
        .env("STRIPE_INTEGRATION_WEBHOOK_SECRET", super::PLATFORM_SECRET)
        .env("RUST_LOG", "warn");
}

/// A project made with `integration-host project create`: (id, key).
pub fn create_project(db: &str, name: &str) -> (String, String) {
    let mut create = Command::new(BIN);
    host_env(&mut create, db);
    let out = create.args(["project", "create", name]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let field = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().to_string())
            .unwrap_or_else(|| panic!("no {name} in {text}"))
    };
    (field("project:"), field("api key:"))
}

/// A free port on 127.0.0.1.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `integration-host serve` on `port` with ingestion limits out of the way and `extra` arguments.
pub fn spawn(db: &str, port: u16, extra: &[&str]) -> Child {
    let mut cmd = Command::new(BIN);
    host_env(&mut cmd, db);
    cmd.args([
        "serve",
        "--listen",
        &format!("127.0.0.1:{port}"),
        "--ingest-rate",
        "100000",
        "--ingest-burst",
        "100000",
    ])
    .args(extra)
    .stdout(Stdio::null())
    .stderr(Stdio::null());
    cmd.spawn().expect("start the host")
}

/// Waits until the host at `base` answers `/healthz` (30 s at most).
pub async fn wait_up(http: &reqwest::Client, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if http
            .get(format!("{base}/healthz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the host did not come up at {base}");
}

/// Kills the running host (the process id it holds) when the test ends, also when it fails.
pub struct KillOnDrop(pub Arc<AtomicU32>);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let pid = self.0.load(Ordering::SeqCst);
        if pid != 0 {
            // SAFETY: sending a signal to a child process this test started.
            unsafe {
                libc::kill(pid as i32, libc::SIGKILL);
            }
        }
    }
}
