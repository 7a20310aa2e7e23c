//! Peers installed by `cargo xtask peers` under `target/peers` (or `$PEERS_DIR`).

use std::io::Read;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Whether missing peers must fail the test (`CI=true`).
pub fn strict() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

fn missing(what: &str) -> Option<PathBuf> {
    let msg = format!("{what} is not installed; run `cargo xtask test` (or `cargo xtask peers`) to install it");
    assert!(!strict(), "{msg}");
    eprintln!("skipped: {msg}");
    None
}

/// The peers directory: `$PEERS_DIR`, else `<workspace>/target/peers`.
pub fn dir() -> PathBuf {
    std::env::var_os("PEERS_DIR").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .map(|p| p.join("target/peers"))
            .unwrap_or_default()
    })
}

/// The venv's Python (with localstripe, stripe, jsonschema, openapi-spec-validator), or `None` (skip).
pub fn require_python() -> Option<PathBuf> {
    let p = dir().join("venv/bin/python");
    if p.exists() {
        Some(p)
    } else {
        missing("the Python peer venv")
    }
}

/// The `node_modules` directory (stripe, typescript), or `None` (skip).
pub fn require_node_modules() -> Option<PathBuf> {
    let p = dir().join("node/node_modules");
    if p.join("stripe").exists() {
        Some(p)
    } else {
        missing("the Node peers (node_modules)")
    }
}

/// A free TCP port on 127.0.0.1.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("no free loopback port: {e}"))
}

/// Waits until something accepts connections on `addr`.
fn wait_listening(addr: SocketAddr, child: &mut Child, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
            return;
        }
        if let Ok(Some(status)) = child.try_wait() {
            let mut err = String::new();
            if let Some(mut s) = child.stderr.take() {
                let _ = s.read_to_string(&mut err);
            }
            panic!("{what} exited with {status} before listening: {err}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("{what} did not listen on {addr} within 30 s");
}

/// A running localstripe, bound to 127.0.0.1 on a free port; stopped on drop.
pub struct LocalStripe {
    /// Base URL (`http://127.0.0.1:PORT`).
    pub url: String,
    child: Child,
}

const LAUNCH: &str = r#"
import sys, logging
from aiohttp import web
import localstripe.server as server
logging.basicConfig(level=logging.WARNING)
web.run_app(server.app, host='127.0.0.1', port=int(sys.argv[1]), print=None)
"#;

impl LocalStripe {
    /// Starts localstripe, or returns `None` (skip) when the Python peers are missing.
    pub fn start() -> Option<Self> {
        let python = require_python()?;
        let port = free_port();
        let tmp = std::env::temp_dir().join(format!("localstripe-{port}"));
        let _ = std::fs::create_dir_all(&tmp);
        let mut child = Command::new(python)
            .arg("-c")
            .arg(LAUNCH)
            .arg(port.to_string())
            .current_dir(&tmp)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start localstripe: {e}"));
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        wait_listening(addr, &mut child, "localstripe");
        Some(Self {
            url: format!("http://127.0.0.1:{port}"),
            child,
        })
    }

    /// The `DELETE /_config/data` URL that wipes the emulator's store.
    pub fn wipe_url(&self) -> String {
        format!("{}/_config/data", self.url)
    }
}

impl Drop for LocalStripe {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs a Python snippet in the peer venv with arguments; returns stdout, panicking with stderr on failure.
pub fn python_output(python: &PathBuf, script: &str, args: &[&str]) -> String {
    let out = Command::new(python)
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run python: {e}"));
    assert!(
        out.status.success(),
        "python failed: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs a Node script (ES module source) with `NODE_PATH` set to the peer node_modules; returns stdout.
pub fn node_output(node_modules: &PathBuf, script: &str, args: &[&str]) -> String {
    let out = Command::new("node")
        .arg("--input-type=commonjs")
        .arg("-e")
        .arg(script)
        .arg("--")
        .args(args)
        .env("NODE_PATH", node_modules)
        .output()
        .unwrap_or_else(|e| panic!("cannot run node: {e}"));
    assert!(
        out.status.success(),
        "node failed: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}
