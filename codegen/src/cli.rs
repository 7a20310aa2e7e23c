//! The `gen [--check] [--out DIR]` task of a workspace declaring integrations: this workspace's
//! `cargo xtask gen`, and the same task in a crate of integrations declared anywhere else
//! (`examples/downstream/xtask`), with one implementation.
//!
//! Without `--check` the output directory is brought up to date: changed and new files are written, files no
//! longer generated are removed, unchanged files are left alone, and each change is printed. With `--check`
//! nothing is written; the task fails naming every stale, missing or extra file and the command that fixes
//! them.

use std::path::{Path, PathBuf};

use spec_core::IntegrationSpec;

use crate::drift::{self, Change};
use crate::{GenInput, NamedSchema};

/// What the task generates from, and how it is called.
#[derive(Debug, Clone)]
pub struct Task<'a> {
    /// The integrations, validated specs with their type schemas filled in (`spec()` of each declaration).
    pub integrations: Vec<&'a IntegrationSpec>,
    /// The command that runs this task (`cargo xtask gen`), named in every file's do-not-edit line and in
    /// the advice of `--check`.
    pub command: String,
    /// The workspace root: the default output is `<root>/generated`, and paths are shown relative to it.
    pub root: PathBuf,
}

/// The task's usage line.
pub const USAGE: &str = "gen [--check] [--out DIR]";

impl Task<'_> {
    /// Runs the task with its arguments (after `gen`), printing what it wrote or what is stale.
    pub fn run(&self, args: &[String]) -> Result<(), String> {
        let (check, out) = self.parse(args)?;
        let input = GenInput {
            integrations: self.integrations.clone(),
            shared: vec![NamedSchema::spec_format()?],
            command: Some(self.command.clone()),
        };
        let files = crate::generate(&input).map_err(|e| format!("generation failed: {e}"))?;
        let dir = self.shown(&out);
        if check {
            let changes = drift::check(&out, &files).map_err(|e| e.to_string())?;
            if changes.is_empty() {
                println!("{dir} is up to date ({} files)", files.len());
                return Ok(());
            }
            let list: Vec<String> = changes.iter().map(|c| format!("  {}", with_dir(&dir, c))).collect();
            return Err(format!(
                "{dir} is out of date with the integration specs ({} of {} files):\n{}\n\
                 run `{}` to regenerate it, then commit the result",
                changes.len(),
                files.len(),
                list.join("\n"),
                self.command,
            ));
        }
        let changes = drift::write(&out, &files).map_err(|e| e.to_string())?;
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

    fn parse(&self, args: &[String]) -> Result<(bool, PathBuf), String> {
        let usage = || format!("usage: {} [--check] [--out DIR]", self.command);
        let mut check = false;
        let mut out = self.root.join("generated");
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "--check" => check = true,
                "--out" => out = it.next().map(PathBuf::from).ok_or_else(usage)?,
                other => return Err(format!("unknown argument `{other}`; {}", usage())),
            }
        }
        Ok((check, out))
    }

    /// `dir` as shown to the user: relative to the root when inside it.
    fn shown(&self, dir: &Path) -> String {
        let rel = dir.strip_prefix(&self.root).unwrap_or(dir);
        format!("{}/", rel.display())
    }
}

/// A change with its path shown under `dir`.
fn with_dir(dir: &str, c: &Change) -> String {
    match c {
        Change::Stale { path, line } => format!("stale:   {dir}{} (differs from line {line})", path.display()),
        Change::Missing(path) => format!("missing: {dir}{}", path.display()),
        Change::Extra(path) => format!("extra:   {dir}{} (no longer generated)", path.display()),
    }
}
