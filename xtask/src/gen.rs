//! `cargo xtask gen [--check] [--out DIR]`: generates every file under `generated/` from the integration
//! specs (`integrations::all()`) and the shared schemas, with the `codegen` emitters.
//!
//! Without `--check` the directory is brought up to date: changed and new files are written, files no
//! longer generated are removed, unchanged files are left alone. With `--check` nothing is written; the
//! task fails naming every stale, missing or extra file and the command that fixes them. `--out` points
//! at another directory (tests use it).

use std::path::{Path, PathBuf};

use codegen::drift::{self, Change};
use codegen::{GenInput, GeneratedFile, NamedSchema};

const USAGE: &str = "usage: cargo xtask gen [--check] [--out DIR]";

struct Args {
    check: bool,
    out: PathBuf,
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut parsed = Args {
        check: false,
        out: crate::root().join("generated"),
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--check" => parsed.check = true,
            "--out" => parsed.out = it.next().map(PathBuf::from).ok_or(USAGE)?,
            other => return Err(format!("unknown argument `{other}`; {USAGE}")),
        }
    }
    Ok(parsed)
}

/// The shared schemas: the spec format itself.
fn shared() -> Result<Vec<NamedSchema>, String> {
    let spec = schemars::schema_for!(spec_core::IntegrationSpec);
    Ok(vec![NamedSchema {
        name: "integration-spec".into(),
        schema: serde_json::to_value(spec).map_err(|e| format!("cannot serialize the spec schema: {e}"))?,
    }])
}

/// Every generated file, in path order.
fn files() -> Result<Vec<GeneratedFile>, String> {
    let input = GenInput {
        integrations: integrations::all(),
        shared: shared()?,
        ..Default::default()
    };
    codegen::generate(&input).map_err(|e| format!("generation failed: {e}"))
}

/// `dir` as shown to the user: relative to the workspace when inside it.
fn shown(dir: &Path) -> String {
    let root = crate::root();
    let rel = dir.strip_prefix(&root).unwrap_or(dir);
    format!("{}/", rel.display())
}

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let args = parse(args)?;
    let files = files()?;
    let dir = shown(&args.out);
    if args.check {
        let changes = drift::check(&args.out, &files).map_err(|e| e.to_string())?;
        if changes.is_empty() {
            println!("{dir} is up to date ({} files)", files.len());
            return Ok(());
        }
        let list: Vec<String> = changes.iter().map(|c| format!("  {}", with_dir(&dir, c))).collect();
        return Err(format!(
            "{dir} is out of date with the integration specs ({} of {} files):\n{}\n\
             run `cargo xtask gen` to regenerate it, then commit the result",
            changes.len(),
            files.len(),
            list.join("\n")
        ));
    }
    let changes = drift::write(&args.out, &files).map_err(|e| e.to_string())?;
    for c in &changes {
        let verb = match c {
            Change::Stale { .. } => "updated",
            Change::Missing(_) => "created",
            Change::Extra(_) => "removed",
        };
        println!("{verb} {dir}{}", c.path().display());
    }
    let count = |kind: fn(&Change) -> bool| changes.iter().filter(|c| kind(c)).count();
    println!(
        "{dir}: {} files, {} changed ({} updated, {} created, {} removed)",
        files.len(),
        changes.len(),
        count(|c| matches!(c, Change::Stale { .. })),
        count(|c| matches!(c, Change::Missing(_))),
        count(|c| matches!(c, Change::Extra(_))),
    );
    Ok(())
}

/// A change with its path shown under `dir`.
fn with_dir(dir: &str, c: &Change) -> String {
    match c {
        Change::Stale { path, line } => format!("stale:   {dir}{} (differs from line {line})", path.display()),
        Change::Missing(path) => format!("missing: {dir}{}", path.display()),
        Change::Extra(path) => format!("extra:   {dir}{} (no longer generated)", path.display()),
    }
}
