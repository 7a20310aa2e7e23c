//! `cargo xtask <task>`: the project's tasks.
//!
//! - `gen [--check]`: write (or check) everything under `generated/`.
//! - `test`: install the test peers (Python venv, node_modules) under `target/peers`, then run the whole suite.
//! - `new <category>.<name>`: scaffold an integration module and register it.
//! - `bench [--quick] [criterion|macro-scaling|gen]`: benchmarks, reported as same-run ratios.
//! - `peers`: only install the test peers and print where they are.

mod bench;
mod r#gen;
mod new;
mod peers;
mod test;

use std::path::PathBuf;
use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("test") => test::run(&args[1..]),
        Some("peers") => peers::install().map(|p| println!("peers installed under {}", p.display())),
        Some("gen") => r#gen::run(&args[1..]),
        Some("new") => new::run(&args[1..]),
        Some("bench") => bench::run_bench(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask <gen [--check] | test | new <category>.<name> | bench [--quick] [criterion|peers|macro-scaling|gen|compile] | peers>"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (the parent of this crate's directory).
pub(crate) fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

/// The cargo running this task.
pub(crate) fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// Runs a command to completion, failing with its description when it does not succeed.
pub(crate) fn run(cmd: &mut Command) -> Result<(), String> {
    let shown = format!("{cmd:?}");
    let status = cmd.status().map_err(|e| format!("could not start {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed with {status}"))
    }
}
