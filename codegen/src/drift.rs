//! Comparing generated files with a directory, and bringing the directory up to date.
//!
//! The directory is owned by the generator: a file in it that the generator no longer produces is
//! *extra* and is removed by [`write()`]. Build output and installed packages inside it (directories
//! named in [`NOT_OWNED`], such as the TypeScript package's `dist/`) are not the generator's and are
//! left alone.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::GeneratedFile;

/// One way a directory differs from the generated files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The file exists with other contents; `line` is the first line (1-based) that differs.
    Stale {
        /// Path relative to the directory.
        path: PathBuf,
        /// First differing line.
        line: usize,
    },
    /// The file should exist and does not.
    Missing(PathBuf),
    /// The file exists and is no longer generated.
    Extra(PathBuf),
}

impl Change {
    /// The path the change is about, relative to the directory.
    pub fn path(&self) -> &Path {
        match self {
            Change::Stale { path, .. } | Change::Missing(path) | Change::Extra(path) => path,
        }
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::Stale { path, line } => write!(f, "stale:   {} (differs from line {line})", path.display()),
            Change::Missing(path) => write!(f, "missing: {}", path.display()),
            Change::Extra(path) => write!(f, "extra:   {} (no longer generated)", path.display()),
        }
    }
}

/// A file-system operation failed.
#[derive(Debug, thiserror::Error)]
#[error("{action} {}: {source}", path.display())]
pub struct DriftError {
    /// What was being done (`cannot read`).
    pub action: &'static str,
    /// The path involved.
    pub path: PathBuf,
    /// The I/O error.
    #[source]
    pub source: std::io::Error,
}

fn io(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> DriftError + use<> {
    let path = path.to_path_buf();
    move |source| DriftError { action, path, source }
}

/// Directories under the generated directory that hold build output or installed packages, or another
/// generator's files (`host/`: the host's API document, written by `integration-host openapi`).
pub const NOT_OWNED: &[&str] = &["dist", "node_modules", "host"];

/// Every file under `dir`, relative to it, sorted, outside [`NOT_OWNED`] directories; empty when `dir`
/// does not exist.
pub fn existing_files(dir: &Path) -> Result<Vec<PathBuf>, DriftError> {
    let mut out = Vec::new();
    if dir.is_dir() {
        walk(dir, Path::new(""), &mut out)?;
    }
    out.sort();
    Ok(out)
}

fn walk(root: &Path, rel: &Path, out: &mut Vec<PathBuf>) -> Result<(), DriftError> {
    let here = root.join(rel);
    for entry in std::fs::read_dir(&here).map_err(io("cannot list", &here))? {
        let entry = entry.map_err(io("cannot list", &here))?;
        let path = rel.join(entry.file_name());
        let kind = entry.file_type().map_err(io("cannot inspect", &here))?;
        if kind.is_dir() {
            if !NOT_OWNED.iter().any(|n| entry.file_name() == *n) {
                walk(root, &path, out)?;
            }
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// How `dir` differs from `files`: stale and missing files in the order of `files`, then extra files.
pub fn check(dir: &Path, files: &[GeneratedFile]) -> Result<Vec<Change>, DriftError> {
    let mut changes = Vec::new();
    for f in files {
        let path = dir.join(&f.path);
        match std::fs::read(&path) {
            Ok(have) if have == f.contents => {}
            Ok(have) => changes.push(Change::Stale {
                path: f.path.clone(),
                line: first_difference(&have, &f.contents),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => changes.push(Change::Missing(f.path.clone())),
            Err(e) => return Err(io("cannot read", &path)(e)),
        }
    }
    for p in existing_files(dir)? {
        if !files.iter().any(|f| f.path == p) {
            changes.push(Change::Extra(p));
        }
    }
    Ok(changes)
}

/// The first line (1-based) where `a` and `b` differ.
fn first_difference(a: &[u8], b: &[u8]) -> usize {
    let mut line = 1;
    for (x, y) in a.iter().zip(b) {
        if x != y {
            return line;
        }
        if *x == b'\n' {
            line += 1;
        }
    }
    line
}

/// Brings `dir` up to date: writes stale and missing files, removes extra ones (and directories left
/// empty); files already up to date are not touched. Returns what changed.
pub fn write(dir: &Path, files: &[GeneratedFile]) -> Result<Vec<Change>, DriftError> {
    let changes = check(dir, files)?;
    for c in &changes {
        let path = dir.join(c.path());
        match c {
            Change::Stale { .. } | Change::Missing(_) => {
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent).map_err(io("cannot create", parent))?;
                }
                let contents = files
                    .iter()
                    .find(|f| f.path == c.path())
                    .map(|f| f.contents.as_slice())
                    .unwrap_or_default();
                std::fs::write(&path, contents).map_err(io("cannot write", &path))?;
            }
            Change::Extra(_) => {
                std::fs::remove_file(&path).map_err(io("cannot remove", &path))?;
                let mut parent = path.parent();
                while let Some(p) = parent {
                    if p == dir || std::fs::remove_dir(p).is_err() {
                        break;
                    }
                    parent = p.parent();
                }
            }
        }
    }
    Ok(changes)
}
