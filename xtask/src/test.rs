//! `cargo xtask test`: peers, formatting, lints, generated-file drift, then the whole test suite.

use std::process::Command;

use crate::{peers, root};

pub(crate) fn run(extra: &[String]) -> Result<(), String> {
    let peers = peers::install()?;
    let cargo = || {
        let mut cmd = Command::new(crate::cargo());
        cmd.current_dir(root());
        if std::env::var_os("CI").is_some() {
            // A CI checkout builds once from clean: incremental caches would only add to the target's size on
            // disk and to the build time. The trybuild cases build in a project of their own, which does not
            // see the workspace's profile: line tables only there too (the workspace's own setting).
            cmd.env("CARGO_INCREMENTAL", "0")
                .env("CARGO_PROFILE_DEV_DEBUG", "line-tables-only");
        }
        cmd
    };
    crate::run(cargo().args(["fmt", "--all", "--", "--check"]))?;
    crate::run(cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--all-features",
        "--",
        "-D",
        "warnings",
    ]))?;
    // Each integration alone, as a user who enables one feature of `integrations` builds it: feature
    // unification in the workspace builds below would hide a module that needs a feature it does not ask for.
    for feature in integration_features(&cargo)? {
        crate::run(cargo().args([
            "build",
            "-p",
            "integrations",
            "--no-default-features",
            "--features",
            &feature,
        ]))?;
    }
    crate::run(
        cargo()
            .args(["test", "--workspace", "--all-features", "--no-fail-fast"])
            .args(extra)
            .env("PEERS_DIR", &peers),
    )?;
    Ok(())
}

/// The features of `integrations` other than `default` (one per integration), from `cargo metadata`.
fn integration_features(cargo: &dyn Fn() -> Command) -> Result<Vec<String>, String> {
    let out = cargo()
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .output()
        .map_err(|e| format!("could not run cargo metadata: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let meta: serde_json::Value =
        serde_json::from_slice(&out.stdout).map_err(|e| format!("cargo metadata printed no JSON: {e}"))?;
    let features = meta["packages"]
        .as_array()
        .and_then(|packages| packages.iter().find(|p| p["name"] == "integrations"))
        .and_then(|p| p["features"].as_object())
        .ok_or("cargo metadata lists no `integrations` package with features")?;
    Ok(features.keys().filter(|f| *f != "default").cloned().collect())
}
