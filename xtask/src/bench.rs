//! `cargo xtask bench`: runs the criterion benches of `bench/` and the build-time measurements, then prints ratios
//! measured in the same run (absolute times are noisy on shared machines; ratios to a baseline are what we track).
//!
//! - `cargo xtask bench` — criterion benches (webhook verify and event, client per call, macro expansion),
//!   stripe-node / stripe-python webhook timings, macro scaling and `cargo xtask gen` wall time.
//! - `cargo xtask bench --quick` — shorter criterion runs.
//! - `cargo xtask bench criterion` / `peers` / `macro-scaling` / `gen` — one part only (`peers` alone shows
//!   the criterion results of an earlier run but does not judge them: only figures of the same run are).
//! - Every comparison with a Rust baseline gets, beside its criterion time ratio, the instruction-count ratio
//!   of both sides under callgrind (`bench/src/bin/ic.rs`, when valgrind is installed); targets are judged by
//!   both.
//! - `cargo xtask bench compile [--debug-only]` — clean builds of three small binaries (baseline, our Stripe
//!   client, async-stripe), debug and release; not part of the default run (it takes long).
//! - `cargo xtask bench host` — the host's fan-out rate, delivery lag and stored-idempotency replay, on SQLite
//!   and PostgreSQL, as ratios to the ingest-only rate and a fresh call of the same run; not part of the
//!   default run (a release build of the host).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

use crate::{cargo, root, run};

mod compile;
mod host;
mod instructions;

pub(crate) fn run_bench(args: &[String]) -> Result<(), String> {
    let quick = args.iter().any(|a| a == "--quick");
    let only: Vec<&str> = args
        .iter()
        .filter(|a| !a.starts_with("--"))
        .map(String::as_str)
        .collect();
    let wants = |part: &str| only.contains(&part) || (only.is_empty() && part != "compile" && part != "host");
    let mut report = String::new();
    // Criterion figures the peers are compared with must come from this run: from the criterion part run just
    // now, else from no earlier than this command's start (so none, unless the peers follow criterion).
    let started = SystemTime::now();
    if wants("criterion") {
        report.push_str(&criterion(quick)?);
    }
    if wants("peers") {
        report.push_str(&peers(started)?);
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

/// The verdict on a target judged by both the time ratio and the instruction-count ratio (bench ÷ baseline):
/// met only when both meet it; a ratio of one kind alone is said to be so.
fn judged(target: Target, time: f64, instructions: Option<f64>) -> String {
    let by_time = target.verdict(time);
    match (target, instructions) {
        (Target::None, _) => by_time,
        (_, None) => format!("{by_time} (time only: no instruction count)"),
        (_, Some(ic)) => {
            let by_ic = target.verdict(ic);
            match (by_time == "met", by_ic == "met") {
                (true, true) => "met (time and instructions)".into(),
                (false, false) => format!("{by_time} (time); {by_ic} (instructions)"),
                (true, false) => format!("time met; instructions {by_ic}"),
                (false, true) => format!("time {by_time}; instructions met"),
            }
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
    // The whole event path (verify, canonical event, typed object) against the MAC of the same bytes.
    ("webhook_event/ours/1k", "webhook_verify/raw_hmac/1k", Target::None),
    ("webhook_event/ours/2k", "webhook_verify/raw_hmac/2k", Target::None),
    (
        "webhook_event/ours/16k",
        "webhook_verify/raw_hmac/16k",
        Target::AtMost(2.0),
    ),
    (
        "webhook_event/ours/256k",
        "webhook_verify/raw_hmac/256k",
        Target::AtMost(2.0),
    ),
    ("client_get/ours", "client_get/raw_reqwest", Target::AtMost(1.10)),
    (
        "client_get/ours_rate_limited",
        "client_get/raw_reqwest",
        Target::AtMost(1.10),
    ),
    // `c.bench_function("macro/expand_stripe")` is stored by criterion as `macro_expand_stripe`.
    ("macro_expand_stripe", "macro_tokenize_baseline", Target::None),
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
    // Instruction counts are a second opinion on the same comparisons: when they cannot be taken, the targets
    // are judged by time alone and the report says so.
    let (counts, ic_note) = match instructions::measure(WEBHOOK_SIZES, quick) {
        Ok(Some(c)) => (Some(c), None),
        Ok(None) => (None, Some("valgrind not found".to_string())),
        Err(e) => (None, Some(format!("the callgrind runs failed ({e})"))),
    };
    let mut out = String::from(
        "## Criterion benches (same run, medians) and instruction counts (callgrind, per iteration)\n\n\
         | bench | median | baseline | median | time ratio | instructions | baseline | instruction ratio | target | result |\n\
         |---|---|---|---|---|---|---|---|---|---|\n",
    );
    for (bench, base, target) in RATIOS {
        let (a, b) = (criterion_median(&crit.join(bench)), criterion_median(&crit.join(base)));
        let ic = |id: &str| counts.as_ref().and_then(|c| c.get(id).copied());
        let (ia, ib) = (ic(bench), ic(base));
        let ic_ratio = ia.zip(ib).map(|(x, y)| x / y);
        let fmt_ic = |x: Option<f64>| x.map_or("—".to_string(), fmt_count);
        out.push_str(&row(bench, base, *target, a, b, ic_ratio, (fmt_ic(ia), fmt_ic(ib))));
    }
    if let Some(why) = ic_note {
        let _ = writeln!(out, "\n{why}: no instruction counts, targets judged by time alone.");
    }
    out.push('\n');
    Ok(out)
}

/// A row of the criterion table; a bench or baseline without a result is reported as missing, never left out.
fn row(
    bench: &str,
    base: &str,
    target: Target,
    time: Option<f64>,
    base_time: Option<f64>,
    ic_ratio: Option<f64>,
    (ic, base_ic): (String, String),
) -> String {
    let ic_ratio_text = ic_ratio.map_or("—".to_string(), |r| format!("{r:.3}×"));
    match (time, base_time) {
        (Some(a), Some(b)) => format!(
            "| {bench} | {} | {base} | {} | {:.3}× | {ic} | {base_ic} | {ic_ratio_text} | {} | {} |\n",
            fmt_ns(a),
            fmt_ns(b),
            a / b,
            target.describe(),
            judged(target, a / b, ic_ratio)
        ),
        (a, b) => {
            let missing: Vec<&str> = [(a, bench), (b, base)]
                .into_iter()
                .filter_map(|(t, id)| t.is_none().then_some(id))
                .collect();
            format!(
                "| {bench} | {} | {base} | {} | — | {ic} | {base_ic} | {ic_ratio_text} | {} | MISSING: no criterion result for {} |\n",
                a.map_or("—".to_string(), fmt_ns),
                b.map_or("—".to_string(), fmt_ns),
                target.describe(),
                missing.join(" and ")
            )
        }
    }
}

/// An instruction count, in thousands or millions.
fn fmt_count(n: f64) -> String {
    if n >= 1e6 {
        format!("{:.2} M", n / 1e6)
    } else {
        format!("{:.1} k", n / 1e3)
    }
}

/// When a criterion figure was written (its `estimates.json`).
fn criterion_written(group_dir: &Path) -> Option<SystemTime> {
    std::fs::metadata(group_dir.join("new/estimates.json"))
        .and_then(|m| m.modified())
        .ok()
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

/// stripe-node and stripe-python timings on the inputs of the webhook benches, against the criterion medians
/// written since `since` (this run). Older figures are shown but not judged: a ratio between times measured
/// under different loads says nothing.
fn peers(since: SystemTime) -> Result<String, String> {
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
            let dir = crit.join(group).join("ours").join(size);
            let (ours, theirs) = (criterion_median(&dir), times[size].as_f64());
            let (Some(ours), Some(theirs)) = (ours, theirs) else {
                let what = match (ours, theirs) {
                    (None, None) => "our criterion figure and the peer's time",
                    (None, _) => "our criterion figure",
                    _ => "the peer's time",
                };
                let _ = writeln!(
                    out,
                    "| {op} | {size} | {} | {peer} | {} | — | {} | MISSING: no {what} |",
                    ours.map_or("—".to_string(), fmt_ns),
                    theirs.map_or("—".to_string(), fmt_ns),
                    target.describe(),
                );
                continue;
            };
            let verdict = match stale(criterion_written(&dir), since) {
                Some(age) => format!(
                    "NOT JUDGED: our figure is from an earlier run ({age} before this one; run `cargo xtask bench criterion peers`)"
                ),
                None => target.verdict(ours / theirs),
            };
            let _ = writeln!(
                out,
                "| {op} | {size} | {} | {peer} | {} | {:.1}× | {} | {verdict} |",
                fmt_ns(ours),
                fmt_ns(theirs),
                theirs / ours,
                target.describe(),
            );
        }
    }
    out.push('\n');
    Ok(out)
}

/// How long before `since` a figure written at `written` was, when it was (`None`: written in this run).
/// A figure of unknown age counts as stale.
fn stale(written: Option<SystemTime>, since: SystemTime) -> Option<String> {
    match written {
        None => Some("of unknown age".into()),
        Some(w) => since.duration_since(w).ok().map(|age| {
            let secs = age.as_secs();
            if secs >= 3600 {
                format!("{:.1} h", secs as f64 / 3600.0)
            } else if secs >= 60 {
                format!("{} min", secs / 60)
            } else {
                format!("{secs} s")
            }
        }),
    }
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
    if let [(n10, t10), (n100, t100), (n1000, t1000)] = rows.as_slice() {
        let _ = writeln!(
            out,
            "\n{}\n",
            scaling_verdict(
                (*n10, t10.as_secs_f64()),
                (*n100, t100.as_secs_f64()),
                (*n1000, t1000.as_secs_f64())
            )
        );
    }
    Ok(out)
}

/// Linear growth judged by the per-item slope: the time added per action from the middle size to the
/// largest must be within 1.5× of the time added per action from the smallest to the middle. (A ratio of
/// totals, such as 1000 ÷ 100 ≤ 10×, hides superlinear growth behind the fixed cost of a build.) A slope
/// that is not positive is noise and makes the run inconclusive.
fn scaling_verdict((n0, t0): (usize, f64), (n1, t1): (usize, f64), (n2, t2): (usize, f64)) -> String {
    let per_item = |(na, ta): (usize, f64), (nb, tb): (usize, f64)| (tb - ta) / nb.saturating_sub(na).max(1) as f64;
    let first = per_item((n0, t0), (n1, t1));
    let last = per_item((n1, t1), (n2, t2));
    let slopes = format!(
        "per-item slope {n0}→{n1}: {:.2} ms, {n1}→{n2}: {:.2} ms",
        first * 1e3,
        last * 1e3
    );
    if !(first > 0.0 && last > 0.0) {
        return format!(
            "{slopes} (target: the second within 1.5× of the first): INCONCLUSIVE (a slope is not positive: noise)"
        );
    }
    let r = last / first;
    let verdict = if r <= 1.5 {
        "met".to_string()
    } else {
        format!("MISSED (superlinear: {r:.2}×)")
    };
    format!("{slopes}, ratio {r:.2}× (target ≤ 1.5×): {verdict}")
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

#[cfg(test)]
mod tests {
    use super::{Target, judged, row, scaling_verdict, stale};
    use std::time::{Duration, SystemTime};

    #[test]
    fn superlinear_macro_scaling_is_missed_although_1000_over_100_is_under_10() {
        // The published figures: 0.74 s / 0.90 s / 6.52 s (6.52 ÷ 0.90 = 7.2×, which the old rule called met).
        let v = scaling_verdict((10, 0.74), (100, 0.90), (1000, 6.52));
        assert!(v.contains("MISSED (superlinear: 3.51×)"), "{v}");
        let v = scaling_verdict((10, 0.74), (100, 0.90), (1000, 2.30));
        assert!(v.ends_with("met"), "{v}");
        let v = scaling_verdict((10, 0.90), (100, 0.74), (1000, 2.30));
        assert!(v.contains("INCONCLUSIVE"), "{v}");
    }

    #[test]
    fn a_target_is_met_only_when_time_and_instructions_both_meet_it() {
        let t = Target::AtMost(2.0);
        assert_eq!(judged(t, 1.5, Some(1.9)), "met (time and instructions)");
        assert!(judged(t, 1.5, Some(2.5)).starts_with("time met; instructions MISSED"));
        assert!(judged(t, 2.5, Some(1.5)).starts_with("time MISSED"));
        assert!(judged(t, 1.5, None).contains("time only"));
        assert_eq!(judged(Target::None, 1.5, Some(9.0)), "—");
    }

    #[test]
    fn a_bench_without_a_result_is_reported_missing() {
        let r = row(
            "a",
            "b",
            Target::AtMost(1.1),
            None,
            Some(1.0),
            None,
            ("—".into(), "—".into()),
        );
        assert!(r.contains("MISSING: no criterion result for a |"), "{r}");
        let r = row(
            "a",
            "b",
            Target::AtMost(1.1),
            None,
            None,
            None,
            ("—".into(), "—".into()),
        );
        assert!(r.contains("for a and b"), "{r}");
        let r = row(
            "a",
            "b",
            Target::AtMost(1.1),
            Some(1.0),
            Some(1.0),
            Some(1.0),
            ("1".into(), "1".into()),
        );
        assert!(r.contains("met (time and instructions)"), "{r}");
    }

    #[test]
    fn figures_written_before_the_run_are_stale() {
        let now = SystemTime::now();
        assert_eq!(
            stale(Some(now - Duration::from_secs(7200)), now).as_deref(),
            Some("2.0 h")
        );
        assert_eq!(
            stale(Some(now - Duration::from_secs(120)), now).as_deref(),
            Some("2 min")
        );
        assert_eq!(stale(Some(now + Duration::from_secs(5)), now), None);
        assert!(stale(None, now).is_some());
    }
}
