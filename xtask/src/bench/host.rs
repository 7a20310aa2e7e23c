//! `cargo xtask bench host`: the host's fan-out and stored idempotency, measured by the ignored tests of
//! `host/tests/fanout.rs` (a release build), on SQLite and on PostgreSQL, and reported as ratios to baselines of
//! the same run: the fan-out rate (events per second from ingest to the receivers' 2xx, three targets each) to
//! the ingest-only rate, the p99 delivery lag at half the fan-out rate in units of the ingest-only time per
//! event, and the latency of a call answered from stored idempotency to a fresh call.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::process::Command;

use crate::{cargo, root};

/// Runs the measurements and returns the report section.
pub(crate) fn host() -> Result<String, String> {
    eprintln!("xtask: bench host (release build of the host's measurements)");
    let out = Command::new(cargo())
        .current_dir(root())
        .args([
            "test",
            "-p",
            "host",
            "--release",
            "--test",
            "fanout",
            "--",
            "--ignored",
            "--nocapture",
            "--test-threads",
            "1",
        ])
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!(
            "the host measurements failed:\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let mut figures: BTreeMap<(String, String), f64> = BTreeMap::new();
    for line in stdout.lines() {
        // libtest prints `test <name> ... ` on the line the first figure goes to.
        let Some(at) = line.find("BENCH ") else {
            continue;
        };
        let mut w = line[at..].split_whitespace();
        if let (Some("BENCH"), Some(engine), Some(name), Some(value)) = (w.next(), w.next(), w.next(), w.next())
            && let Ok(v) = value.parse::<f64>()
        {
            figures.insert((engine.to_string(), name.to_string()), v);
        }
    }
    let mut s = String::from("## Host: fan-out and stored idempotency\n\n");
    s.push_str("| engine | ingest only | fan-out ×3 | fan-out ÷ ingest | p99 lag at ½ rate | lag ÷ ingest time per event | fresh call p50 | replay p50 | replay ÷ fresh |\n");
    s.push_str("|---|---|---|---|---|---|---|---|---|\n");
    for engine in ["sqlite", "postgres"] {
        let get = |n: &str| figures.get(&(engine.to_string(), n.to_string())).copied();
        let (Some(ingest), Some(fanout), Some(lag), Some(fresh), Some(replay)) = (
            get("ingest_only_per_s"),
            get("fanout_per_s"),
            get("lag_p99_ms"),
            get("call_fresh_p50_us"),
            get("call_replay_p50_us"),
        ) else {
            let _ = writeln!(
                s,
                "| {engine} | missing: the measurement printed no figures | | | | | | | |"
            );
            continue;
        };
        let per_event_ms = 1000.0 / ingest;
        let _ = writeln!(
            s,
            "| {engine} | {ingest:.0}/s | {fanout:.0}/s | {:.2} | {lag:.1} ms | {:.1} | {fresh:.0} µs | {replay:.0} µs | {:.2} |",
            fanout / ingest,
            lag / per_event_ms,
            replay / fresh
        );
    }
    s.push('\n');
    Ok(s)
}
