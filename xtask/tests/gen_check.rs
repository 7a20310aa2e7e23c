//! `cargo xtask gen --check` fails naming each edited, deleted or extra file under the output directory
//! and the command that fixes it, and passes again after `cargo xtask gen`.

use std::path::Path;
use std::process::{Command, Output};

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run xtask: {e}"))
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn check_names_stale_missing_and_extra_files_and_gen_fixes_them() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("generated");
    let d = dir.to_str().unwrap();

    let out = xtask(&["gen", "--out", d]);
    assert!(out.status.success(), "{}", text(&out));
    let out = xtask(&["gen", "--check", "--out", d]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("up to date"));

    let runtime = dir.join("typescript/runtime.ts");
    let mut edited = std::fs::read_to_string(&runtime).unwrap();
    let first_changed_line = edited.lines().count() + 1;
    edited.push_str("// a local edit\n");
    std::fs::write(&runtime, edited).unwrap();
    std::fs::remove_file(dir.join("typescript/index.ts")).unwrap();
    std::fs::create_dir_all(dir.join("docs")).unwrap();
    std::fs::write(dir.join("docs/removed-provider.md"), "old\n").unwrap();
    std::fs::create_dir_all(dir.join("typescript/dist")).unwrap();
    std::fs::write(dir.join("typescript/dist/index.js"), "// build output\n").unwrap();

    let out = xtask(&["gen", "--check", "--out", d]);
    assert!(!out.status.success());
    let msg = text(&out);
    let lines: Vec<&str> = msg.lines().collect();
    let has = |prefix: &str, path: &str| {
        lines
            .iter()
            .any(|l| l.trim_start().starts_with(prefix) && l.contains(path))
    };
    assert!(has("stale:", "typescript/runtime.ts"), "{msg}");
    assert!(
        msg.contains(&format!("differs from line {first_changed_line}")),
        "{msg}"
    );
    assert!(has("missing:", "typescript/index.ts"), "{msg}");
    assert!(has("extra:", "docs/removed-provider.md"), "{msg}");
    assert!(msg.contains("run `cargo xtask gen`"), "{msg}");
    assert!(
        !has("stale:", "package.json"),
        "untouched files are not reported: {msg}"
    );

    let out = xtask(&["gen", "--out", d]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        !dir.join("docs/removed-provider.md").exists(),
        "the extra file is removed"
    );
    assert!(!std::fs::read_to_string(&runtime).unwrap().contains("a local edit"));
    let out = xtask(&["gen", "--check", "--out", d]);
    assert!(out.status.success(), "{}", text(&out));
}

#[test]
fn committed_generated_directory_is_current() {
    let out = xtask(&["gen", "--check"]);
    assert!(
        out.status.success(),
        "generated/ drifted from the specs:\n{}",
        text(&out)
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    assert!(root.join("generated/typescript/package.json").exists());
}

#[test]
fn unknown_arguments_are_refused() {
    let out = xtask(&["gen", "--frobnicate"]);
    assert!(!out.status.success());
    assert!(text(&out).contains("usage: cargo xtask gen"), "{}", text(&out));
}
