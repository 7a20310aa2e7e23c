//! Integrations declared outside this workspace get the same generated files: `examples/downstream` (a
//! workspace of its own, as an author sets one up: a crate of declarations and an `xtask gen` running
//! `codegen::cli::Task`) is built and run as its author would, and what it writes passes the validators this
//! workspace's own files pass (Python `jsonschema` and `openapi-spec-validator`, `tsc --strict`), names the
//! command that regenerates it, and is checked for drift by the same task.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const CHECK: &str = include_str!("support/validate.py");

fn example_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/downstream")
}

/// `cargo xtask gen …` in the example workspace, built into a target directory of this workspace's.
fn xtask(args: &[&str]) -> Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    Command::new(cargo)
        .current_dir(example_dir())
        .args(["run", "--locked", "--quiet", "--package", "xtask", "--", "gen"])
        .args(args)
        .env(
            "CARGO_TARGET_DIR",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("downstream"),
        )
        .output()
        .expect("cargo runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every file under `dir`, relative, `/`-separated, sorted.
fn files(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("readable dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else if let Ok(rel) = path.strip_prefix(root) {
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// The spec's examples (secrets left out: the manifest redacts them) with the schema each must satisfy.
fn example_pairs(manifest: &Value) -> Vec<(String, Value)> {
    let mut pairs = vec![(
        "json-schema/acme/config.schema.json".to_string(),
        manifest["config"]["example"].clone(),
    )];
    for a in manifest["actions"].as_array().expect("actions") {
        let id = a["id"].as_str().expect("id");
        for side in ["input", "output"] {
            pairs.push((
                format!("json-schema/acme/actions/{id}.{side}.schema.json"),
                a[side]["example"].clone(),
            ));
        }
    }
    pairs.retain(|(_, e)| !e.is_null());
    pairs
}

#[test]
fn a_workspace_declared_elsewhere_generates_files_that_pass_the_validators() {
    let (Some(python), Some(node_modules)) = (tests::peers::require_python(), tests::peers::require_node_modules())
    else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let out_dir = tmp.path().join("generated");
    let out = out_dir.to_str().expect("UTF-8 path");

    let run = xtask(&["--out", out]);
    let stderr = text(&run.stderr);
    assert!(
        !stderr.contains("because --locked was passed"),
        "examples/downstream/Cargo.lock no longer fits the framework's dependencies; update it with \
         `cargo update --workspace --manifest-path examples/downstream/Cargo.toml` and commit it:\n{stderr}"
    );
    assert!(run.status.success(), "gen failed:\n{}{stderr}", text(&run.stdout));
    let written = files(&out_dir);
    for expected in [
        "json-schema/integration-spec.schema.json",
        "json-schema/acme/config.schema.json",
        "json-schema/acme/secrets.schema.json",
        "json-schema/acme/actions/acme.ticket.create.input.schema.json",
        "json-schema/acme/events/ticket.created.schema.json",
        "manifest/acme.json",
        "openapi/acme.json",
        "mcp/acme.json",
        "docs/acme.md",
        "docs/spec-format.md",
        "typescript/acme/client.ts",
        "typescript/acme/webhooks.ts",
        "typescript/package.json",
    ] {
        assert!(
            written.iter().any(|f| f == expected),
            "{expected} missing from {written:?}"
        );
    }
    let stdout = text(&run.stdout);
    assert!(
        stdout.contains(&format!("{} files, {} changed", written.len(), written.len())),
        "the task prints what it wrote: {stdout}"
    );
    for f in &written {
        let body = std::fs::read_to_string(out_dir.join(f)).expect("text file");
        let head: String = body.lines().take(2).collect::<Vec<_>>().join("\n");
        assert!(
            head.contains(&codegen::do_not_edit("cargo xtask gen")),
            "{f} names the command that regenerates it: {head}"
        );
    }

    // The same task checks for drift, naming the stale file and the command.
    let check = xtask(&["--check", "--out", out]);
    assert!(check.status.success(), "{}", text(&check.stderr));
    assert!(text(&check.stdout).contains("is up to date"));
    std::fs::write(out_dir.join("docs/acme.md"), "edited by hand\n").expect("write");
    let check = xtask(&["--check", "--out", out]);
    let err = text(&check.stderr);
    assert!(!check.status.success());
    assert!(
        err.contains("docs/acme.md") && err.contains("run `cargo xtask gen`"),
        "{err}"
    );
    assert!(xtask(&["--out", out]).status.success(), "regenerates");

    // The third-party validators of this workspace's own files.
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("manifest/acme.json")).expect("manifest"))
            .expect("JSON");
    let pairs = example_pairs(&manifest);
    assert!(pairs.len() >= 2, "the declaration's examples: {pairs:?}");
    let pairs_file = tmp.path().join("pairs.json");
    std::fs::write(&pairs_file, serde_json::to_vec(&pairs).expect("JSON")).expect("write");
    let counts: Value = serde_json::from_str(
        tests::peers::python_output(&python, CHECK, &[out, pairs_file.to_str().expect("UTF-8 path")]).trim(),
    )
    .expect("counts");
    let schemas = written.iter().filter(|f| f.starts_with("json-schema/")).count();
    assert_eq!(counts["schemas"], schemas);
    assert_eq!(counts["spec_examples"], pairs.len());
    assert_eq!(
        (counts["openapi"].as_u64(), counts["tools"].as_u64()),
        (Some(1), Some(2))
    );

    let tsc = Command::new("node")
        .arg(node_modules.join("typescript/bin/tsc"))
        .arg("-p")
        .arg(out_dir.join("typescript"))
        .arg("--noEmit")
        .output()
        .expect("node runs");
    assert!(
        tsc.status.success(),
        "tsc --strict:\n{}{}",
        text(&tsc.stdout),
        text(&tsc.stderr)
    );
}

#[test]
fn the_authoring_guide_quotes_the_example_as_it_is_and_names_every_scheme() {
    let guide = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/authoring.md"))
        .expect("docs/authoring.md");
    for file in ["acme/src/lib.rs", "xtask/src/main.rs"] {
        let text = std::fs::read_to_string(example_dir().join(file)).expect("example file");
        assert!(
            guide.contains(&text),
            "docs/authoring.md quotes examples/downstream/{file} as it is"
        );
    }
    for manifest in ["acme/Cargo.toml", "xtask/Cargo.toml"] {
        let text = std::fs::read_to_string(example_dir().join(manifest)).expect("manifest");
        let deps = &text[text.find("[dependencies]").expect("dependencies")..];
        assert!(
            guide.contains(deps.trim()),
            "docs/authoring.md quotes the dependencies of {manifest}"
        );
    }
    for scheme in spec_core::SignatureScheme::ALL {
        let name = spec_core::Spelled::declared_name(*scheme);
        assert!(
            guide.contains(&format!("`{name}`")),
            "the guide names the scheme `{name}`"
        );
    }
    let reference = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/docs/spec-format.md");
    assert!(guide.contains("../generated/docs/spec-format.md") && reference.is_file());
}
