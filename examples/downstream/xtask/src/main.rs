//! `cargo xtask gen [--check] [--out DIR]`: writes (or checks) `generated/` from the workspace's integrations,
//! with the framework's emitters.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(("gen", rest)) = args.split_first().map(|(a, r)| (a.as_str(), r)) else {
        eprintln!("usage: cargo xtask {}", codegen::cli::USAGE);
        return ExitCode::from(2);
    };
    let task = codegen::cli::Task {
        integrations: vec![acme::spec()],
        // The command that regenerates the files, named in each one's do-not-edit line.
        command: "cargo xtask gen".into(),
        // The workspace root: this crate's parent directory.
        root: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".."),
    };
    match task.run(rest) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}
