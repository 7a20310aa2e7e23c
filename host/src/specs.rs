//! Integrations declared as JSON spec files in a directory given at start (the config-driven way): each file is
//! validated by the same validator as the compiled ones, every error naming the file and the path, and served
//! through the spec-driven runtime without recompiling.

use std::path::{Path, PathBuf};

use spec_core::IntegrationSpec;

/// Why the spec directory cannot be served; every problem of every file is listed.
#[derive(Debug, thiserror::Error)]
#[error("integration specs in {dir} are not valid:\n{}", .problems.join("\n"))]
pub struct SpecsError {
    /// The directory.
    pub dir: String,
    /// One line per problem: `file: path: [code] message`.
    pub problems: Vec<String>,
}

/// The specs of every `*.json` file of `dir` (by file name), validated; provider ids must be new to `known`.
/// The specs live as long as the process (they are loaded once, at start).
pub fn load_dir(dir: &Path, known: &[&IntegrationSpec]) -> Result<Vec<&'static IntegrationSpec>, SpecsError> {
    let fail = |problems: Vec<String>| SpecsError {
        dir: dir.display().to_string(),
        problems,
    };
    let entries = std::fs::read_dir(dir).map_err(|e| fail(vec![format!("{}: cannot read: {e}", dir.display())]))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut problems = Vec::new();
    let mut specs: Vec<IntegrationSpec> = Vec::new();
    for file in &files {
        let shown = file.display();
        let text = match std::fs::read_to_string(file) {
            Ok(t) => t,
            Err(e) => {
                problems.push(format!("{shown}: cannot read: {e}"));
                continue;
            }
        };
        let spec: IntegrationSpec = match serde_json::from_str(&text) {
            Ok(s) => s,
            Err(e) => {
                problems.push(format!("{shown}:{}:{}: {e}", e.line(), e.column()));
                continue;
            }
        };
        if let Err(errors) = spec_core::validate(&spec) {
            for e in errors {
                problems.push(format!("{shown}: {}: [{}] {}", e.path, e.code.as_str(), e.message));
            }
            continue;
        }
        let id = spec.provider_id().to_string();
        if known.iter().any(|k| k.provider_id() == id) || specs.iter().any(|s| s.provider_id() == id) {
            problems.push(format!("{shown}: meta.key: provider `{id}` is already served"));
            continue;
        }
        specs.push(spec);
    }
    if !problems.is_empty() {
        return Err(fail(problems));
    }
    Ok(specs.into_iter().map(|s| &*Box::leak(Box::new(s))).collect())
}
