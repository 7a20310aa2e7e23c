//! Instruction counts under callgrind of every comparison of ours against a Rust baseline (raw HMAC,
//! serde_json, raw reqwest), beside the criterion times: time ratios move by tens of percent on a shared
//! machine, instruction counts hardly at all.
//!
//! `bench/src/bin/ic.rs` runs each side a fixed number of times inside a function of its own (`ic_*`); one
//! `valgrind --tool=callgrind` run per input gives both sides' inclusive counts (`callgrind_annotate
//! --inclusive=yes`), divided here by the iterations. Under valgrind the CPU features seen by runtime
//! detection are valgrind's: the `sha2` crate, which uses the SHA extensions natively, runs its portable code
//! there, so a MAC costs more instructions than the time it takes natively suggests.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use crate::{cargo, root, run};

/// Instructions per iteration, by criterion id (`webhook_verify/ours/2k`).
pub(crate) type Counts = HashMap<String, f64>;

/// The `ic_*` functions of a `webhook <size>` run and the criterion ids they stand for.
const WEBHOOK_SIDES: &[(&str, &str)] = &[
    ("ic_verify", "webhook_verify/ours"),
    ("ic_raw_hmac", "webhook_verify/raw_hmac"),
    ("ic_event", "webhook_event/ours"),
    ("ic_serde_json_value", "webhook_event/serde_json"),
    ("ic_canonical", "webhook_event_parts/canonical"),
    ("ic_typed_parse", "webhook_event_parts/typed_parse"),
];

/// The `ic_*` functions of a `client` run and their criterion ids.
const CLIENT_SIDES: &[(&str, &str)] = &[
    ("ic_client_ours", "client_get/ours"),
    ("ic_client_ours_rate_limited", "client_get/ours_rate_limited"),
    ("ic_client_raw_reqwest", "client_get/raw_reqwest"),
];

/// Iterations per webhook size (fewer for the large bodies, which take long under valgrind).
fn webhook_iterations(size: &str, quick: bool) -> usize {
    let n: usize = match size {
        "1k" | "2k" => 200,
        "16k" => 40,
        _ => 4,
    };
    if quick { n.div_ceil(2) } else { n }
}

/// Whether valgrind can be run.
fn valgrind_available() -> bool {
    Command::new("valgrind")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Runs every comparison under callgrind; `Ok(None)` when valgrind is not installed.
pub(crate) fn measure(sizes: &[&str], quick: bool) -> Result<Option<Counts>, String> {
    if !valgrind_available() {
        return Ok(None);
    }
    let bench_dir = root().join("bench");
    let target = bench_dir.join("target");
    run(Command::new(cargo())
        .current_dir(&bench_dir)
        .env("CARGO_TARGET_DIR", &target)
        .args(["build", "--quiet", "--release", "--bin", "ic"]))?;
    let exe = target.join("release/ic");
    let out_dir = target.join("callgrind");
    std::fs::create_dir_all(&out_dir).map_err(|e| format!("cannot create {}: {e}", out_dir.display()))?;
    let mut counts = Counts::new();
    for size in sizes {
        let n = webhook_iterations(size, quick);
        let file = out_dir.join(format!("webhook-{size}.out"));
        let found = callgrind(&exe, &["webhook", size, &n.to_string()], &file)?;
        for (function, id) in WEBHOOK_SIDES {
            if let Some(total) = found.get(*function) {
                counts.insert(format!("{id}/{size}"), total / n as f64);
            }
        }
    }
    let n = if quick { 10 } else { 30 };
    let found = callgrind(&exe, &["client", &n.to_string()], &out_dir.join("client.out"))?;
    for (function, id) in CLIENT_SIDES {
        if let Some(total) = found.get(*function) {
            counts.insert((*id).to_string(), total / n as f64);
        }
    }
    Ok(Some(counts))
}

/// One callgrind run of `exe args`, written to `out`: the inclusive instruction count of each `ic_*` function.
fn callgrind(exe: &Path, args: &[&str], out: &Path) -> Result<HashMap<String, f64>, String> {
    eprintln!("callgrind: ic {}", args.join(" "));
    let output = Command::new("valgrind")
        .arg("--tool=callgrind")
        .arg(format!("--callgrind-out-file={}", out.display()))
        .arg(exe)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run valgrind: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "valgrind {} {} failed: {}",
            exe.display(),
            args.join(" "),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let annotated = Command::new("callgrind_annotate")
        .args(["--inclusive=yes", "--threshold=100"])
        .arg(out)
        .output()
        .map_err(|e| format!("cannot run callgrind_annotate: {e}"))?;
    if !annotated.status.success() {
        return Err(format!(
            "callgrind_annotate {} failed: {}",
            out.display(),
            String::from_utf8_lossy(&annotated.stderr)
        ));
    }
    Ok(inclusive_counts(&String::from_utf8_lossy(&annotated.stdout)))
}

/// The inclusive count of each `ic_*` function in `callgrind_annotate --inclusive=yes` output, whose lines
/// read `1,234,567 (12.34%)  file:crate::function [binary]` (the percentage is absent in some versions).
fn inclusive_counts(annotated: &str) -> HashMap<String, f64> {
    let mut found = HashMap::new();
    for line in annotated.lines() {
        let line = line.trim_start();
        let Some((count, rest)) = line.split_once(char::is_whitespace) else {
            continue;
        };
        let Ok(count) = count.replace(',', "").parse::<f64>() else {
            continue;
        };
        let Some(function) = rest
            .split(|c: char| c.is_whitespace() || c == ':' || c == '[')
            .find(|part| part.starts_with("ic_"))
        else {
            continue;
        };
        // The first line of a function is its inclusive total; keep the largest should it appear twice.
        let entry = found.entry(function.to_string()).or_insert(0.0);
        if count > *entry {
            *entry = count;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::inclusive_counts;

    #[test]
    fn reads_the_inclusive_count_of_each_side() {
        let annotated = "\
--------------------------------------------------------------------------------
Ir
--------------------------------------------------------------------------------
25,000,000 (100.0%)  PROGRAM TOTALS
--------------------------------------------------------------------------------
Ir                  file:function
--------------------------------------------------------------------------------
 9,876,543 (39.51%)  bench/src/bin/ic.rs:ic::ic_event [/b/target/release/ic]
   123,456 ( 0.49%)  bench/src/bin/ic.rs:ic::ic_raw_hmac [/b/target/release/ic]
 2,000,000           ???:ic::ic_verify
 5,000,000 (20.00%)  ???:ic::main [/b/target/release/ic]
";
        let found = inclusive_counts(annotated);
        assert_eq!(found.get("ic_event"), Some(&9_876_543.0));
        assert_eq!(found.get("ic_raw_hmac"), Some(&123_456.0));
        assert_eq!(found.get("ic_verify"), Some(&2_000_000.0));
        assert_eq!(found.len(), 3, "{found:?}");
    }
}
