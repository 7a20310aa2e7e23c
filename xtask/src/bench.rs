//! `cargo xtask bench`: runs the criterion benches of `bench/` and the build-time measurements, then prints ratios
//! measured in the same run (absolute times are noisy on shared machines; ratios to a baseline are what we track).
//!
//! - `cargo xtask bench` — criterion benches (webhook verify and event, client per call, macro expansion),
//!   stripe-node / stripe-python webhook timings, macro scaling and `cargo xtask gen` wall time.
//! - `cargo xtask bench --quick` — shorter criterion runs.
//! - `cargo xtask bench criterion` / `peers` / `macro-scaling` / `gen` — one part only (`peers` reuses the
//!   criterion results of the last run).
//! - `cargo xtask bench compile [--debug-only]` — clean builds of three small binaries (baseline, our Stripe
//!   client, async-stripe), debug and release; not part of the default run (it takes long).
//! - `cargo xtask bench host` — the host's fan-out rate, delivery lag and stored-idempotency replay, on SQLite
//!   and PostgreSQL, as ratios to the ingest-only rate and a fresh call of the same run; not part of the
//!   default run (a release build of the host).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::{cargo, root, run};

mod compile;
mod host;

pub(crate) fn run_bench(args: &[String]) -> Result<(), String> {
    let quick = args.iter().any(|a| a == "--quick");
    let only: Vec<&str> = args
        .iter()
        .filter(|a| !a.starts_with("--"))
        .map(String::as_str)
        .collect();
    let wants = |part: &str| only.contains(&part) || (only.is_empty() && part != "compile" && part != "host");
    let mut report = String::new();
    if wants("criterion") {
        report.push_str(&criterion(quick)?);
    }
    if wants("peers") {
        report.push_str(&peers()?);
    }
    if wants("compile") {
        report.push_str(&compile::compile(args.iter().any(|a| a == "--debug-only"))?);
    }
    if wants("macro-scaling") {
        report.push_str(&macro_scaling()?);
    }
    if wants("gen") {
        report.push_str(&gen_time()?);
    }
    if wants("host") {
        report.push_str(&host::host()?);
    }
    println!("\n{report}");
    let out = root().join("target/bench-report.md");
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(&out, &report).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    println!("(also written to {})", out.display());
    Ok(())
}

/// Median time in nanoseconds of a criterion benchmark, from its `estimates.json`.
fn criterion_median(group_dir: &Path) -> Option<f64> {
    let text = std::fs::read_to_string(group_dir.join("new/estimates.json")).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    // The median: robust to the load spikes of a shared machine.
    v["median"]["point_estimate"].as_f64()
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

/// A target on a ratio.
#[derive(Clone, Copy)]
enum Target {
    /// Informational only.
    None,
    /// bench ÷ baseline must be at most this.
    AtMost(f64),
    /// baseline ÷ bench (how many times faster we are) must be at least this.
    FasterBy(f64),
}

impl Target {
    fn describe(self) -> String {
        match self {
            Target::None => "informational".into(),
            Target::AtMost(x) => format!("≤ {x:.2}×"),
            Target::FasterBy(x) => format!("≥ {x}× faster"),
        }
    }

    /// "met" or "MISSED by …", for the ratio bench ÷ baseline.
    fn verdict(self, ratio: f64) -> String {
        match self {
            Target::None => "—".into(),
            Target::AtMost(x) if ratio <= x => "met".into(),
            Target::AtMost(x) => format!("MISSED by {:.1}%", (ratio / x - 1.0) * 100.0),
            Target::FasterBy(x) if 1.0 / ratio >= x => "met".into(),
            Target::FasterBy(x) => format!(
                "MISSED ({:.2}× faster, {:.0}% short)",
                1.0 / ratio,
                (1.0 - 1.0 / ratio / x) * 100.0
            ),
        }
    }
}

/// The (bench, baseline, target) triples whose ratio bench ÷ baseline is reported (criterion ids).
const RATIOS: &[(&str, &str, Target)] = &[
    ("webhook_verify/ours/1k", "webhook_verify/raw_hmac/1k", Target::None),
    (
        "webhook_verify/ours/2k",
        "webhook_verify/raw_hmac/2k",
        Target::AtMost(1.05),
    ),
    ("webhook_verify/ours/16k", "webhook_verify/raw_hmac/16k", Target::None),
    ("webhook_verify/ours/256k", "webhook_verify/raw_hmac/256k", Target::None),
    ("webhook_event/ours/1k", "webhook_event/serde_json/1k", Target::None),
    ("webhook_event/ours/2k", "webhook_event/serde_json/2k", Target::None),
    ("webhook_event/ours/16k", "webhook_event/serde_json/16k", Target::None),
    ("webhook_event/ours/256k", "webhook_event/serde_json/256k", Target::None),
    ("client_get/ours", "client_get/raw_reqwest", Target::AtMost(1.10)),
    (
        "client_get/ours_rate_limited",
        "client_get/raw_reqwest",
        Target::AtMost(1.10),
    ),
    ("macro/expand_stripe", "macro/tokenize_baseline", Target::None),
];

/// Body sizes of the webhook benches (labels of `bench::webhook::SIZES`).
const WEBHOOK_SIZES: &[&str] = &["1k", "2k", "16k", "256k"];

fn criterion(quick: bool) -> Result<String, String> {
    let bench_dir = root().join("bench");
    let mut cmd = Command::new(cargo());
    // bench/ is its own workspace with its own target dir, whatever CARGO_TARGET_DIR says.
    cmd.current_dir(&bench_dir)
        .env("CARGO_TARGET_DIR", bench_dir.join("target"))
        .args(["bench", "--benches", "--"]);
    if quick {
        cmd.args(["--warm-up-time", "1", "--measurement-time", "3"]);
    }
    run(&mut cmd)?;
    let crit = bench_dir.join("target/criterion");
    let mut out = String::from(
        "## Criterion benches (same run, medians)\n\n| bench | median | baseline | median | ratio | target | result |\n|---|---|---|---|---|---|---|\n",
    );
    for (bench, base, target) in RATIOS {
        let (Some(a), Some(b)) = (criterion_median(&crit.join(bench)), criterion_median(&crit.join(base))) else {
            continue;
        };
        let _ = writeln!(
            out,
            "| {bench} | {} | {base} | {} | {:.3}× | {} | {} |",
            fmt_ns(a),
            fmt_ns(b),
            a / b,
            target.describe(),
            target.verdict(a / b)
        );
    }
    out.push('\n');
    Ok(out)
}

/// Where the Python venv and node_modules of the peers are: `$PEERS_DIR`, else `target/peers`.
fn peers_dir() -> PathBuf {
    std::env::var_os("PEERS_DIR").map_or_else(|| root().join("target/peers"), PathBuf::from)
}

/// Runs a peer timing script and parses the JSON it prints.
fn run_script(
    program: &Path,
    script: &Path,
    inputs: &Path,
    env: Option<(&str, PathBuf)>,
) -> Result<serde_json::Value, String> {
    let mut cmd = Command::new(program);
    cmd.arg(script).arg(inputs).arg(WEBHOOK_SECRET).args(WEBHOOK_SIZES);
    if let Some((k, v)) = env {
        cmd.env(k, v);
    }
    let output = cmd
        .output()
        .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
    if !output.status.success() {
        return Err(format!(
            "{} {} failed: {}",
            program.display(),
            script.display(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    serde_json::from_slice(&output.stdout).map_err(|e| format!("{}: bad output: {e}", script.display()))
}

/// The webhook secret of the bench inputs (`bench::webhook::SECRET`).
const WEBHOOK_SECRET: &str = "whsec_bench_5f3c1d2e9a8b7c6d";

/// stripe-node and stripe-python timings on the inputs of the webhook benches, against the criterion means of
/// the last run.
fn peers() -> Result<String, String> {
    let bench_dir = root().join("bench");
    let inputs = bench_dir.join("target/webhook-inputs");
    run(Command::new(cargo())
        .current_dir(&bench_dir)
        .env("CARGO_TARGET_DIR", bench_dir.join("target"))
        .args(["run", "--quiet", "--release", "--bin", "webhook_inputs", "--"])
        .arg(&inputs))?;
    let peers = peers_dir();
    let python = peers.join("venv/bin/python");
    let node_modules = peers.join("node/node_modules");
    let mut out = String::from("## Webhooks against stripe-node and stripe-python (same inputs, ns/op)\n\n");
    if !python.exists() || !node_modules.exists() {
        let _ = writeln!(out, "peers not found in {} (set PEERS_DIR); skipped\n", peers.display());
        return Ok(out);
    }
    let py = run_script(&python, &bench_dir.join("peers/webhook.py"), &inputs, None)?;
    let js = run_script(
        Path::new("node"),
        &bench_dir.join("peers/webhook.js"),
        &inputs,
        Some(("NODE_PATH", node_modules)),
    )?;
    let _ = writeln!(
        out,
        "stripe-python {}, stripe-node {}; each timed by its own loop (best of 3 runs of ≥ 0.15 s).\n",
        py["version"].as_str().unwrap_or("?"),
        js["version"].as_str().unwrap_or("?")
    );
    out.push_str("| operation | size | ours | peer | peer time | ours faster by | target | result |\n|---|---|---|---|---|---|---|---|\n");
    let crit = bench_dir.join("target/criterion");
    let rows: [(&str, &str, &serde_json::Value, &str, Target); 4] = [
        (
            "verify",
            "stripe-node verifyHeader",
            &js["verifyHeader"],
            "webhook_verify",
            Target::FasterBy(4.0),
        ),
        (
            "verify",
            "stripe-python verify_header",
            &py["verify_header"],
            "webhook_verify",
            Target::FasterBy(3.5),
        ),
        (
            "verify + typed parse + canonical",
            "stripe-node constructEvent",
            &js["constructEvent"],
            "webhook_event",
            Target::FasterBy(3.0),
        ),
        (
            "verify + typed parse + canonical",
            "stripe-python construct_event",
            &py["construct_event"],
            "webhook_event",
            Target::FasterBy(50.0),
        ),
    ];
    for (op, peer, times, group, target) in rows {
        for size in WEBHOOK_SIZES {
            let (Some(ours), Some(theirs)) = (
                criterion_median(&crit.join(group).join("ours").join(size)),
                times[size].as_f64(),
            ) else {
                continue;
            };
            let _ = writeln!(
                out,
                "| {op} | {size} | {} | {peer} | {} | {:.1}× | {} | {} |",
                fmt_ns(ours),
                fmt_ns(theirs),
                theirs / ours,
                target.describe(),
                target.verdict(ours / theirs)
            );
        }
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
spec-runtime = {{ path = "{0}/spec-runtime" }}
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
    let exe = std::env::current_exe().map_err(|e| format!("cannot find the xtask executable: {e}"))?;
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
