//! A throwaway PostgreSQL cluster for the test binary: `initdb` and `pg_ctl` from Debian's server package, run
//! as the `postgres` user when the tests run as root (initdb refuses root), on a free port of 127.0.0.1, stopped
//! and removed when the test binary exits. Each test gets its own database.
//!
//! Under `CI=true` a cluster that cannot start fails the test; elsewhere the PostgreSQL half of a test is
//! skipped with the reason printed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};

struct Cluster {
    root: PathBuf,
    port: u16,
    bin: PathBuf,
}

static CLUSTER: OnceLock<Result<Cluster, String>> = OnceLock::new();
static STOP: Mutex<Option<(PathBuf, PathBuf)>> = Mutex::new(None);
static NEXT_DB: AtomicU32 = AtomicU32::new(0);

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout.trim_ascii() == b"0")
        .unwrap_or(false)
}

/// `program args…`, as the `postgres` user when we are root.
fn pg_command(bin: &Path, program: &str) -> Command {
    let exe = bin.join(program);
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(exe);
        c
    } else {
        Command::new(exe)
    }
}

fn find_bin() -> Result<PathBuf, String> {
    let base = Path::new("/usr/lib/postgresql");
    let mut versions: Vec<PathBuf> = std::fs::read_dir(base)
        .map_err(|e| {
            format!(
                "{} not readable ({e}); install Debian's `postgresql` package",
                base.display()
            )
        })?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|p| p.join("initdb").exists() && p.join("pg_ctl").exists())
        .collect();
    versions.sort();
    versions
        .pop()
        .ok_or_else(|| format!("no initdb under {}", base.display()))
}

fn run(mut c: Command, what: &str) -> Result<(), String> {
    let out = c.output().map_err(|e| format!("{what}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

extern "C" fn stop_cluster() {
    let taken = STOP.lock().ok().and_then(|mut g| g.take());
    if let Some((bin, root)) = taken {
        let mut c = pg_command(&bin, "pg_ctl");
        c.arg("-D")
            .arg(root.join("data"))
            .args(["stop", "-m", "immediate", "-w"]);
        let _ = c.output();
        let _ = std::fs::remove_dir_all(&root);
    }
}

fn start() -> Result<Cluster, String> {
    let bin = find_bin()?;
    let root = std::env::temp_dir().join(format!("host-pg-{}-{}", std::process::id(), uuid_like()));
    std::fs::create_dir_all(&root).map_err(|e| e.to_string())?;
    if is_root() {
        run(
            {
                let mut c = Command::new("chown");
                c.arg("postgres:postgres").arg(&root);
                c
            },
            "chown",
        )?;
    }
    let data = root.join("data");
    let mut initdb = pg_command(&bin, "initdb");
    initdb
        .arg("-D")
        .arg(&data)
        .args(["-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
    run(initdb, "initdb")?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let opts = format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
        root.display()
    );
    let mut pg_ctl = pg_command(&bin, "pg_ctl");
    pg_ctl
        .arg("-D")
        .arg(&data)
        .arg("-l")
        .arg(root.join("log"))
        .args(["-o", &opts, "-w", "start"]);
    run(pg_ctl, "pg_ctl start")?;
    if let Ok(mut g) = STOP.lock() {
        *g = Some((bin.clone(), root.clone()));
    }
    // SAFETY: registering a plain `extern "C"` function with no captured state.
    unsafe {
        libc::atexit(stop_cluster);
    }
    Ok(Cluster { root, port, bin })
}

fn uuid_like() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0)
}

/// The URL of a fresh database on the test cluster, or `None` (with the reason printed) when PostgreSQL cannot
/// start outside CI.
pub async fn fresh_database() -> Option<String> {
    let cluster = CLUSTER.get_or_init(start);
    let cluster = match cluster {
        Ok(c) => c,
        Err(reason) => {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("PostgreSQL is required under CI but did not start: {reason}");
            }
            eprintln!("skipping the PostgreSQL half of this test: {reason}");
            return None;
        }
    };
    let _ = (&cluster.root, &cluster.bin);
    let n = NEXT_DB.fetch_add(1, Ordering::SeqCst);
    let name = format!("t{}_{n}", std::process::id());
    let admin = format!("postgres://postgres@127.0.0.1:{}/postgres", cluster.port);
    let pool = sqlx::PgPool::connect(&admin)
        .await
        .expect("connect to the test cluster");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&pool)
        .await
        .expect("create database");
    pool.close().await;
    Some(format!("postgres://postgres@127.0.0.1:{}/{name}", cluster.port))
}
