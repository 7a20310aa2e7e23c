//! `cargo xtask test`: peers, formatting, lints, generated-file drift, then the whole test suite.

use std::process::Command;

use crate::{peers, root};

pub(crate) fn run(extra: &[String]) -> Result<(), String> {
    let peers = peers::install()?;
    let cargo = crate::cargo();
    crate::run(
        Command::new(&cargo)
            .current_dir(root())
            .args(["fmt", "--all", "--", "--check"]),
    )?;
    crate::run(Command::new(&cargo).current_dir(root()).args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--all-features",
        "--",
        "-D",
        "warnings",
    ]))?;
    crate::run(
        Command::new(&cargo)
            .current_dir(root())
            .args(["test", "--workspace", "--all-features", "--no-fail-fast"])
            .args(extra)
            .env("PEERS_DIR", &peers),
    )?;
    Ok(())
}
