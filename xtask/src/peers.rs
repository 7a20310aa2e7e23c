//! Installs the real peers the tests run against, from the package registries, under `target/peers`:
//! a Python venv (localstripe, stripe, jsonschema, openapi-spec-validator, openapi-python-client, schemathesis,
//! standardwebhooks) and node_modules (stripe, typescript latest and 5.x, publint, @arethetypeswrong/cli,
//! @redocly/cli, ajv, ajv-formats), and the official MCP SDKs (`mcp`, `@modelcontextprotocol/sdk`) as clients of
//! the host's MCP server.
//! A stamp of the requirement files makes a second run a no-op.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{root, run};

/// Installs (if needed) and returns the peers directory.
pub(crate) fn install() -> Result<PathBuf, String> {
    let dir = root().join("target").join("peers");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    python(&dir)?;
    node(&dir)?;
    postgres()?;
    Ok(dir)
}

fn up_to_date(stamp: &Path, inputs: &[&Path]) -> Result<bool, String> {
    let mut want = String::new();
    for i in inputs {
        want.push_str(&std::fs::read_to_string(i).map_err(|e| format!("cannot read {}: {e}", i.display()))?);
    }
    Ok(std::fs::read_to_string(stamp).is_ok_and(|have| have == want))
}

fn write_stamp(stamp: &Path, inputs: &[&Path]) -> Result<(), String> {
    let mut all = String::new();
    for i in inputs {
        all.push_str(&std::fs::read_to_string(i).map_err(|e| e.to_string())?);
    }
    std::fs::write(stamp, all).map_err(|e| format!("cannot write {}: {e}", stamp.display()))
}

fn python(dir: &Path) -> Result<(), String> {
    let req = root().join("xtask/peers/requirements.txt");
    let venv = dir.join("venv");
    let stamp = dir.join("venv.stamp");
    if venv.join("bin/python").exists() && up_to_date(&stamp, &[&req])? {
        return Ok(());
    }
    eprintln!("xtask: installing Python peers into {}", venv.display());
    let py = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    run(Command::new(py).arg("-m").arg("venv").arg("--clear").arg(&venv))?;
    run(Command::new(venv.join("bin/python"))
        .args(["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r"])
        .arg(&req))?;
    write_stamp(&stamp, &[&req])
}

fn node(dir: &Path) -> Result<(), String> {
    let src = root().join("xtask/peers/node");
    let node_dir = dir.join("node");
    let stamp = dir.join("node.stamp");
    let (pkg, lock) = (src.join("package.json"), src.join("package-lock.json"));
    if node_dir.join("node_modules").exists() && up_to_date(&stamp, &[&pkg, &lock])? {
        return Ok(());
    }
    eprintln!("xtask: installing Node peers into {}", node_dir.display());
    std::fs::create_dir_all(&node_dir).map_err(|e| e.to_string())?;
    for f in [&pkg, &lock] {
        let name = f.file_name().ok_or("bad peer file name")?;
        std::fs::copy(f, node_dir.join(name)).map_err(|e| format!("cannot copy {}: {e}", f.display()))?;
    }
    run(Command::new("npm")
        .args(["ci", "--silent", "--no-audit", "--no-fund"])
        .current_dir(&node_dir))?;
    write_stamp(&stamp, &[&pkg, &lock])
}

/// PostgreSQL's server binaries (`initdb`, `pg_ctl`), which the host's tests run a throwaway cluster with:
/// Debian's `postgresql` package is installed when no `/usr/lib/postgresql/<version>/bin/initdb` exists.
fn postgres() -> Result<(), String> {
    let has_server = std::fs::read_dir("/usr/lib/postgresql")
        .map(|dirs| dirs.flatten().any(|d| d.path().join("bin/initdb").exists()))
        .unwrap_or(false);
    if has_server {
        return Ok(());
    }
    eprintln!("xtask: installing PostgreSQL's server (Debian package `postgresql`)");
    run(Command::new("apt-get").args(["update", "-qq"]))?;
    run(Command::new("apt-get")
        .args(["install", "-y", "-qq", "--no-install-recommends", "postgresql"])
        .env("DEBIAN_FRONTEND", "noninteractive"))
}
