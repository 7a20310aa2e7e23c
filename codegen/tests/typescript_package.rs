//! The TypeScript SDK as an app installs it: `npm install <folder>` into a fresh app builds `dist/` (the
//! `prepare` script), the app imports it as ESM and requires it from CommonJS, `npm pack` holds `dist/`,
//! publint and @arethetypeswrong/cli (ESM-only profile) find nothing, and an app compiles against it with
//! `tsc --strict` with and without the DOM lib, on the latest TypeScript and on 5.x. The peers come from
//! `cargo xtask peers`; installing the folder fetches the package's own dev dependency (typescript) from the
//! npm registry, as an app developer's install would.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use codegen::GenInput;
use serde_json::Value;

fn generate() -> (tempfile::TempDir, PathBuf) {
    let files = codegen::generate(&GenInput {
        integrations: integrations::all(),
        shared: support::shared(),
        ..Default::default()
    })
    .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    codegen::drift::write(tmp.path(), &files).unwrap();
    let pkg = tmp.path().join("typescript");
    (tmp, pkg)
}

fn ok(out: Output, what: &str) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn run(cmd: &mut Command, what: &str) -> String {
    ok(cmd.output().unwrap_or_else(|e| panic!("cannot run {what}: {e}")), what)
}

const APP_TS: &str = r#"import { StripeClient, types } from "@integrations/sdk/stripe";
import { GithubClient } from "@integrations/sdk/github";
import { ApiError, USER_AGENT, type FetchLike } from "@integrations/sdk";

const fetchStub: FetchLike = async () => ({ ok: true, status: 200, headers: { get: () => null, has: () => false, forEach: () => {} }, text: async () => "{}" });
const stripe = new StripeClient({ apiKey: "sk_test_x", fetch: fetchStub });
const params: types.CustomerListParams = { limit: 3 };
export async function run(): Promise<string> {
  await stripe.customerList(params);
  void new GithubClient({ accessToken: "t" });
  return `${USER_AGENT} ${ApiError.name}`;
}
"#;

const USE_SCRIPT: &str = r#"
  const fetch = async (url, init) => {
    seen.push(init.headers["user-agent"]);
    return { ok: true, status: 200, headers: new Headers(), text: async () => "{}" };
  };
  await new stripe.StripeClient({ apiKey: "sk_test_x", fetch }).customerGet({ customer: "cus_1" });
  console.log(JSON.stringify({ client: typeof stripe.StripeClient, agent: root.USER_AGENT, seen }));
"#;

fn use_sdk(app: &Path, esm: bool) -> Value {
    let script = if esm {
        format!(
            "const seen = []; import * as stripe from \"@integrations/sdk/stripe\"; import * as root from \"@integrations/sdk\";\n{USE_SCRIPT}"
        )
    } else {
        format!(
            "const seen = []; const stripe = require(\"@integrations/sdk/stripe\"); const root = require(\"@integrations/sdk\");\n(async () => {{ {USE_SCRIPT} }})().catch((e) => {{ console.error(e); process.exit(1); }});"
        )
    };
    let out = run(
        Command::new("node")
            .arg(if esm {
                "--input-type=module"
            } else {
                "--input-type=commonjs"
            })
            .arg("-e")
            .arg(script)
            .current_dir(app),
        if esm { "ESM import" } else { "CommonJS require" },
    );
    serde_json::from_str(out.trim()).unwrap_or_else(|e| panic!("{e}: {out}"))
}

#[test]
fn the_sdk_installs_from_its_folder_and_is_what_consumers_expect() {
    let Some(node_modules) = tests::peers::require_node_modules() else {
        return;
    };
    let (tmp, pkg) = generate();
    let manifest: Value = serde_json::from_str(&std::fs::read_to_string(pkg.join("package.json")).unwrap()).unwrap();
    let version = manifest["version"].as_str().unwrap().to_string();
    assert_eq!(version, "1.0.0", "the highest spec version");
    assert_eq!(manifest["license"], "MIT OR Apache-2.0");
    assert!(manifest.get("private").is_none());
    assert!(pkg.join("README.md").exists());

    // A fresh app installs the folder: `prepare` builds dist/.
    let app = tmp.path().join("app");
    std::fs::create_dir_all(&app).unwrap();
    std::fs::write(
        app.join("package.json"),
        r#"{"name": "app", "version": "1.0.0", "private": true}"#,
    )
    .unwrap();
    run(
        Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--loglevel=error"])
            .arg(&pkg)
            .current_dir(&app),
        "npm install <folder>",
    );
    assert!(pkg.join("dist/stripe/index.js").exists(), "prepare built dist/");

    for esm in [true, false] {
        let used = use_sdk(&app, esm);
        assert_eq!(used["client"], "function", "esm={esm}: {used}");
        let agent = format!("integration-spec-sdk/{version}");
        assert_eq!(used["agent"], agent.as_str(), "esm={esm}");
        assert_eq!(used["seen"][0], agent.as_str(), "esm={esm}: the request's User-Agent");
    }

    // npm pack holds the build.
    let packed = run(
        Command::new("npm")
            .args(["pack", "--dry-run", "--json", "--ignore-scripts"])
            .current_dir(&pkg),
        "npm pack",
    );
    let packed: Value = serde_json::from_str(&packed).unwrap();
    let files: Vec<&str> = packed[0]["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["path"].as_str())
        .collect();
    for want in [
        "dist/index.js",
        "dist/index.d.ts",
        "dist/stripe/index.js",
        "README.md",
        "package.json",
    ] {
        assert!(files.contains(&want), "npm pack lacks {want}: {files:?}");
    }

    let publint = run(
        Command::new(node_modules.join(".bin/publint"))
            .arg("--strict")
            .arg(&pkg),
        "publint",
    );
    assert!(publint.contains("All good"), "publint: {publint}");

    // Every resolution mode finds the types, `node10` included (through `typesVersions`); the package is ESM
    // only, so CommonJS consumers use require() of ES modules (Node 20.19+) or import(): that one rule is off.
    run(
        Command::new(node_modules.join(".bin/attw"))
            .args([
                "--pack",
                ".",
                "--ignore-rules",
                "cjs-resolves-to-esm",
                "--format",
                "ascii",
            ])
            .current_dir(&pkg),
        "attw",
    );

    // The app compiles with tsc --strict against the package's declarations, with and without the DOM lib.
    std::fs::write(app.join("index.ts"), APP_TS).unwrap();
    for lib in [r#"["ES2022"]"#, r#"["ES2022", "DOM"]"#] {
        std::fs::write(
            app.join("tsconfig.json"),
            format!(
                r#"{{"compilerOptions": {{"strict": true, "module": "nodenext", "moduleResolution": "nodenext",
                   "target": "ES2022", "lib": {lib}, "types": [], "noEmit": true, "skipLibCheck": false}},
                   "files": ["index.ts"]}}"#
            ),
        )
        .unwrap();
        for compiler in ["typescript", "typescript5"] {
            let version = run(
                Command::new("node")
                    .arg(node_modules.join(compiler).join("bin/tsc"))
                    .arg("--version"),
                "tsc --version",
            );
            run(
                Command::new("node")
                    .arg(node_modules.join(compiler).join("bin/tsc"))
                    .arg("-p")
                    .arg(&app),
                &format!("{} with lib {lib}", version.trim()),
            );
        }
    }
}
