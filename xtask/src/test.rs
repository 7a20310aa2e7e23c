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
    crate::run(
        cargo()
            .args(["test", "--workspace", "--all-features", "--no-fail-fast"])
            .args(extra)
            .env("PEERS_DIR", &peers),
    )?;
    Ok(())
}
