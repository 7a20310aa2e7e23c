//! `cargo xtask test`: peers, formatting, lints (the workspace, and the bench and fuzz workspaces beside it),
//! each integration alone, generated-file drift (a test), then the whole test suite; ends with a summary of
//! every step and its time.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::{peers, root};

/// The steps run so far, with their time and outcome, printed as the summary.
#[derive(Default)]
struct Steps {
    done: Vec<(String, Duration, bool)>,
}

impl Steps {
    /// Runs one step, recording it; stops the task at the first failure (after the summary).
    fn run(&mut self, name: &str, f: impl FnOnce() -> Result<(), String>) -> Result<(), String> {
        eprintln!("\n==> {name}");
        let start = Instant::now();
        let result = f();
        self.done.push((name.to_string(), start.elapsed(), result.is_ok()));
        result
    }

    fn summary(&self, total: Duration) {
        eprintln!("\nsummary:");
        for (name, took, ok) in &self.done {
            let mark = if *ok { "ok    " } else { "FAILED" };
            eprintln!("  {mark} {:>7.1} s  {name}", took.as_secs_f64());
        }
        eprintln!("  total  {:>7.1} s", total.as_secs_f64());
    }
}

pub(crate) fn run(extra: &[String]) -> Result<(), String> {
    let start = Instant::now();
    let mut steps = Steps::default();
    let result = all(&mut steps, extra);
    steps.summary(start.elapsed());
    result
}

fn all(steps: &mut Steps, extra: &[String]) -> Result<(), String> {
    let mut peers = None;
    steps.run("install the test peers", || {
        peers = Some(peers::install()?);
        Ok(())
    })?;
    let peers = peers.ok_or("the peers step gave no directory")?;
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
    steps.run("cargo fmt --check", || {
        crate::run(cargo().args(["fmt", "--all", "--", "--check"]))
    })?;
    steps.run("cargo clippy (workspace)", || {
        crate::run(cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ]))
    })?;
    // The benchmarks and fuzz targets are workspaces of their own (their tooling stays out of the product's
    // lock file), so the workspace commands above never see them: formatting and lints of every target here
    // keep them compiling against the crates they measure.
    for side in ["bench", "fuzz"] {
        let manifest = format!("{side}/Cargo.toml");
        steps.run(&format!("cargo fmt --check + clippy ({side}/)"), || {
            crate::run(cargo().args(["fmt", "--manifest-path", &manifest, "--", "--check"]))?;
            crate::run(cargo().args([
                "clippy",
                "--manifest-path",
                &manifest,
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]))
        })?;
    }
    steps.run("cargo fmt --check (examples/downstream/)", || {
        crate::run(cargo().args([
            "fmt",
            "--manifest-path",
            "examples/downstream/Cargo.toml",
            "--package",
            "acme",
            "--package",
            "xtask",
            "--",
            "--check",
        ]))
    })?;
    // Each integration alone, as a user who enables one feature of `integrations` builds it: feature
    // unification in the workspace builds below would hide a module that needs a feature it does not ask for.
    steps.run("each integration alone", || {
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
        Ok(())
    })?;
    steps.run("cargo test (workspace)", || {
        crate::run(
            cargo()
                .args(["test", "--workspace", "--all-features", "--no-fail-fast"])
                .args(extra)
                .env("PEERS_DIR", &peers),
        )
    })
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
