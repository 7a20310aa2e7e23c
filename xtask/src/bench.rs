//! `cargo xtask bench`: runs the criterion benches of `bench/` and the build-time measurements, then prints ratios
//! measured in the same run (absolute times are noisy on shared machines; ratios to a baseline are what we track).
//!
//! - `cargo xtask bench` — criterion benches + macro scaling + `cargo xtask gen` wall time.
//! - `cargo xtask bench --quick` — shorter criterion runs.
//! - `cargo xtask bench macro-scaling` / `criterion` / `gen` — one part only.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::{cargo, root, run};

pub(crate) fn run_bench(args: &[String]) -> Result<(), String> {
    let quick = args.iter().any(|a| a == "--quick");
    let only: Vec<&str> = args
        .iter()
        .filter(|a| !a.starts_with("--"))
        .map(String::as_str)
        .collect();
    let wants = |part: &str| only.is_empty() || only.contains(&part);
    let mut report = String::new();
    if wants("criterion") {
        report.push_str(&criterion(quick)?);
    }
    if wants("macro-scaling") {
        report.push_str(&macro_scaling()?);
    }
    if wants("gen") {
        report.push_str(&gen_time()?);
    }
    println!("\n{report}");
    let out = root().join("target/bench-report.md");
    std::fs::write(&out, &report).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    println!("(also written to {})", out.display());
    Ok(())
}

/// Mean time in nanoseconds of a criterion benchmark, from its `estimates.json`.
fn criterion_mean(group_dir: &Path) -> Option<f64> {
    let text = std::fs::read_to_string(group_dir.join("new/estimates.json")).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    v["mean"]["point_estimate"].as_f64()
}

fn fmt_ns(ns: f64) -> String {
    if ns >= 1e9 {
        format!("{:.2} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.2} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

/// The (bench, baseline) pairs whose ratio is reported, with the target.
const RATIOS: &[(&str, &str, &str)] = &[("macro/expand_stripe", "macro/tokenize_baseline", "informational")];

fn criterion(quick: bool) -> Result<String, String> {
    let bench_dir = root().join("bench");
    let mut cmd = Command::new(cargo());
    cmd.current_dir(&bench_dir).args(["bench", "--benches", "--"]);
    if quick {
        cmd.args(["--warm-up-time", "1", "--measurement-time", "2"]);
    }
    run(&mut cmd)?;
    let crit = bench_dir.join("target/criterion");
    let mut out = String::from(
        "## Criterion benches (same run)\n\n| bench | mean | baseline | mean | ratio | target |\n|---|---|---|---|---|---|\n",
    );
    for (bench, base, target) in RATIOS {
        let (Some(a), Some(b)) = (criterion_mean(&crit.join(bench)), criterion_mean(&crit.join(base))) else {
            continue;
        };
        let _ = writeln!(
            out,
            "| {bench} | {} | {base} | {} | {:.3}× | {target} |",
            fmt_ns(a),
            fmt_ns(b),
            a / b
        );
    }
    out.push('\n');
    Ok(out)
}

fn synthetic(n: usize) -> String {
    let mut actions = String::new();
    let mut events = String::new();
    for i in 0..n {
        let _ = writeln!(
            actions,
            "            op_{i} {{ id: \"synth.object{i}.get\", method: GET, path: \"/v1/objects{i}\", input: Params, output: Item }},"
        );
        let _ = writeln!(events, "                \"object{i}.updated\" => Item,");
    }
    format!(
        r#"//! Synthetic integration with {n} actions and {n} events.
use schemars::JsonSchema;
use serde::{{Deserialize, Serialize}};

#[derive(Serialize, Deserialize, JsonSchema)]
pub struct Config {{ pub region: Option<String> }}
#[derive(Deserialize, JsonSchema)]
pub struct Secrets {{ pub api_key: spec_core::Secret }}
#[derive(Serialize, Deserialize, JsonSchema)]
pub struct Params {{ pub limit: Option<u32> }}
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct Item {{ pub id: String }}

spec_macros::define_integration! {{
    synth {{
        meta: {{ key: "custom.synth", version: "1.0.0", category: custom, title: "Synthetic", domain: "custom", stability: idea }},
        supported_modes: [managed],
        transports: [rest {{ base_url: "https://api.synth.test", body: json }}],
        preferred_transport: rest,
        supported_auth_methods: [bearer {{}}],
        config: Config = {{ region: "eu" }},
        secrets: Secrets = {{ api_key: "***" }},
        actions: [
{actions}        ],
        events: {{ prefix: "synth.", types: [
{events}        ] }},
    }}
}}
"#
    )
}

fn build_time(dir: &Path) -> Result<Duration, String> {
    let start = Instant::now();
    run(Command::new(cargo())
        .current_dir(dir)
        .args(["build", "--quiet", "--lib"]))?;
    Ok(start.elapsed())
}

/// Build time of synthetic integrations with 10 / 100 / 1000 actions and events; must grow linearly.
fn macro_scaling() -> Result<String, String> {
    let root = root();
    let dir: PathBuf = root.join("target/bench/macro-scaling");
    std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
    let manifest = format!(
        r#"[package]
name = "synth"
version = "0.0.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
schemars = "1.2.3"
serde = {{ version = "1.0.229", features = ["derive"] }}
spec-core = {{ path = "{0}/spec-core" }}
spec-macros = {{ path = "{0}/spec-macros" }}
"#,
        root.display()
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    let lib = dir.join("src/lib.rs");
    // Warm the dependencies so only the synthetic crate is timed.
    std::fs::write(&lib, synthetic(1)).map_err(|e| e.to_string())?;
    build_time(&dir)?;
    let mut rows = Vec::new();
    for n in [10usize, 100, 1000] {
        std::fs::write(&lib, synthetic(n)).map_err(|e| e.to_string())?;
        rows.push((n, build_time(&dir)?));
    }
    let mut out = String::from(
        "## Macro scaling (debug build of one crate, dependencies warm)\n\n| actions + events | build | vs previous |\n|---|---|---|\n",
    );
    for (i, (n, t)) in rows.iter().enumerate() {
        let ratio = i.checked_sub(1).map_or("—".to_string(), |j| {
            format!("{:.2}×", t.as_secs_f64() / rows[j].1.as_secs_f64())
        });
        let _ = writeln!(out, "| {n} + {n} | {:.2} s | {ratio} |", t.as_secs_f64());
    }
    if let [_, (_, t100), (_, t1000)] = rows.as_slice() {
        let r = t1000.as_secs_f64() / t100.as_secs_f64();
        let _ = writeln!(
            out,
            "\n1000 vs 100: {r:.2}× (target ≤ 10×: {})\n",
            if r <= 10.0 { "met" } else { "MISSED" }
        );
    }
    Ok(out)
}

/// Wall time of `cargo xtask gen --check` once built (the generator itself, not cargo).
fn gen_time() -> Result<String, String> {
    let exe = root().join("target/debug/xtask");
    let mut best = Duration::MAX;
    for _ in 0..3 {
        let start = Instant::now();
        let status = Command::new(&exe)
            .args(["gen", "--check"])
            .current_dir(root())
            .status()
            .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
        let t = start.elapsed();
        if !status.success() {
            return Err("`cargo xtask gen --check` failed; run `cargo xtask gen` first".into());
        }
        best = best.min(t);
    }
    Ok(format!(
        "## cargo xtask gen\n\nbest of 3 runs of `gen --check` over every integration: {:.3} s (target ≤ 1 s)\n\n",
        best.as_secs_f64()
    ))
}
