//! Shared helpers for the benchmarks.

use std::path::PathBuf;

/// The product workspace root.
pub fn root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.parent().map(PathBuf::from).unwrap_or(here)
}

/// The body of the first `define_integration! { … }` in `file` (relative to the workspace root).
pub fn declaration_body(file: &str) -> String {
    let text = std::fs::read_to_string(root().join(file)).unwrap_or_else(|e| panic!("read {file}: {e}"));
    let start = text.find("define_integration! {").expect("a declaration") + "define_integration! {".len();
    let mut depth = 1usize;
    let mut end = start;
    for (i, c) in text[start..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    end = start + i;
                    break;
                }
            }
            _ => {}
        }
    }
    text[start..end].to_string()
}
