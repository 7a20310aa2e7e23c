//! The TypeScript SDK: `typescript/package.json`, `tsconfig.json`, `.gitignore` (for `dist/`), `runtime.ts` (shared requests, errors,
//! paging, webhook verification), `index.ts`, and per integration `typescript/<provider>/`:
//!
//! - `types.ts`: a type for every schema (config, secrets, action inputs and outputs, event payloads and
//!   all their `$defs`);
//! - `client.ts`: `<Provider>Client` with one typed async method per action (`customer_list` →
//!   `customerList`), plus `…All` async iterators for paginated actions (`starting_after`, `cursor` or
//!   same-origin `Link` headers; items from the action's `items_field`, else the pagination's); 2xx bodies reporting a failure at the REST transport's
//!   `success_pointer` throw `ApiError` like error statuses; constructor options: `apiKey` /
//!   `accessToken`, `baseUrl`, `apiVersion` (default the current version), `accountId` (sent in the
//!   account header), `fetch`;
//! - `webhooks.ts` (when the provider delivers webhooks): event types, `verifySignature` / `verifyWebhook`
//!   for the spec's signature scheme, and (when the spec has an event envelope, declared or the scheme's)
//!   `receiveWebhook`, which builds the typed event from the envelope: a union discriminated by `kind`
//!   (`event`, `unknown`, `url_verification`) and, for declared events, by the upstream `type`, with
//!   `object` typed per event;
//! - `index.ts`: the client and webhook exports, and the types as the `types` namespace.
//!
//! The sources are ES modules for Node 20 (`module: NodeNext`), checked with `tsc --strict`; `npm run
//! build` (tsc) compiles them to `dist/`, and so does the `prepare` script that npm runs when the package
//! is installed from its folder or packed (`npm pack` holds `dist/`).
//!
//! The package (`package.json`, `README.md`, `version.ts`) is published as npm expects: `version` is the
//! highest spec version, `license` the workspace's, `exports` list `types` first and `default` last for
//! every entry point, with `main`/`types` for older resolvers. It is ESM only: CommonJS code loads it with
//! `require()` on Node 20.19+ (`engines`), which loads ES modules synchronously, or with `import()`. Its
//! declarations name no DOM or Node type (the parts of `fetch` they need are declared in `runtime.ts`),
//! and requests send `User-Agent: integration-spec-sdk/<version>` where `fetch` lets it be set.

mod client;
mod types;
mod webhooks;

use std::fmt::Write as _;

use serde_json::json;
use spec_core::{Action, IntegrationSpec};

use crate::output::{JSON_COMMENT, json_file, md_comment, text_file, ts_comment};
use crate::schema::Pool;
use crate::{GenError, GeneratedFile, NamedSchema};
use types::{REF_PREFIX, RESERVED, comment, declaration};

/// The runtime shared by every client.
const RUNTIME: &str = include_str!("../../templates/runtime.ts");

/// `typescript/package.json`, `tsconfig.json`, `.gitignore`, `runtime.ts`, `index.ts`, and `shared.ts`
/// (types of the shared schemas, such as `IntegrationSpec`).
pub fn emit_package(specs: &[&IntegrationSpec], shared: &[NamedSchema]) -> Result<Vec<GeneratedFile>, GenError> {
    let mut providers: Vec<&str> = specs.iter().map(|s| s.provider_id()).collect();
    providers.sort();
    let version = package_version(specs);
    let mut exports = serde_json::Map::new();
    let mut stems = vec!["index".to_string(), "runtime".to_string()];
    let entry = |stem: &str| json!({ "types": format!("./dist/{stem}.d.ts"), "default": format!("./dist/{stem}.js") });
    exports.insert(".".into(), entry("index"));
    exports.insert("./runtime".into(), entry("runtime"));
    for p in &providers {
        let stem = format!("{p}/index");
        exports.insert(format!("./{p}"), entry(&stem));
        stems.push(stem);
    }
    exports.insert("./package.json".into(), "./package.json".into());
    // TypeScript's `node10` resolution ignores `exports`: `typesVersions` points its subpath imports
    // (`@integrations/sdk/stripe`) at the same declarations.
    let mut subpaths = serde_json::Map::new();
    for stem in stems.iter().filter(|s| s.as_str() != "index") {
        let path = stem.strip_suffix("/index").unwrap_or(stem);
        subpaths.insert(path.to_string(), json!([format!("./dist/{stem}.d.ts")]));
    }
    let package = json!({
        "name": PACKAGE_NAME,
        "version": version,
        "description": "TypeScript clients for the integrations, generated from their specs.",
        "license": crate::output::LICENSE,
        "type": "module",
        "engines": { "node": ">=20.19" },
        "main": "./dist/index.js",
        "types": "./dist/index.d.ts",
        "exports": exports,
        "typesVersions": { "*": subpaths },
        "files": ["dist", "README.md"],
        "sideEffects": false,
        "scripts": { "build": "tsc -p .", "prepare": PREPARE, "check": "tsc -p . --noEmit" },
        "devDependencies": { "typescript": TYPESCRIPT_RANGE }
    });
    let tsconfig = json!({
        "compilerOptions": {
            "target": "ES2022",
            "lib": ["ES2022", "DOM"],
            "module": "NodeNext",
            "moduleResolution": "NodeNext",
            "strict": true,
            "noUncheckedIndexedAccess": true,
            "noImplicitOverride": true,
            "declaration": true,
            "rootDir": ".",
            "outDir": "dist",
            "skipLibCheck": true,
            "types": []
        },
        "include": ["**/*.ts"],
        "exclude": ["dist", "node_modules"]
    });
    let mut package_json = json_file("typescript/package.json", JSON_COMMENT, package)?;
    package_json.contents = types_first(&package_json.contents, &stems).into_bytes();
    let mut index = String::from("export * from \"./runtime.js\";\nexport * as shared from \"./shared.js\";\n");
    for p in &providers {
        let _ = writeln!(index, "export * as {} from \"./{p}/index.js\";", ident(p));
    }
    Ok(vec![
        text_file(
            "typescript/.gitignore",
            &format!("# {}", crate::DO_NOT_EDIT),
            "dist/\nnode_modules/\n",
        ),
        package_json,
        text_file(
            "typescript/README.md",
            &md_comment(),
            &readme(specs, &providers, &version),
        ),
        text_file(
            "typescript/version.ts",
            &ts_comment(),
            &format!(
                "/** The package's version, sent in the `User-Agent`. */\nexport const SDK_VERSION = \"{version}\";\n"
            ),
        ),
        json_file("typescript/tsconfig.json", JSON_COMMENT, tsconfig)?,
        text_file("typescript/runtime.ts", &ts_comment(), RUNTIME),
        text_file("typescript/index.ts", &ts_comment(), &index),
        text_file("typescript/shared.ts", &ts_comment(), &shared_types(shared)),
    ])
}

/// The npm package name.
const PACKAGE_NAME: &str = "@integrations/sdk";
/// The `prepare` script, which npm runs when the package is installed from its folder (or a git URL) and
/// before `npm pack`: it installs the package's own dev dependencies (npm does not, for a folder
/// dependency) without running scripts again, then compiles to `dist/`.
const PREPARE: &str =
    "npm install --no-save --no-package-lock --ignore-scripts --no-audit --no-fund --include=dev && tsc -p .";
/// The TypeScript versions the package builds with (its `prepare` script runs `tsc`).
const TYPESCRIPT_RANGE: &str = ">=5.7";

/// The package version: the highest of the specs' `meta.version` (compared as `major.minor.patch`), or
/// `1.0.0` without specs.
fn package_version(specs: &[&IntegrationSpec]) -> String {
    let key = |v: &str| -> Vec<u64> {
        v.split(['-', '+'])
            .next()
            .unwrap_or(v)
            .split('.')
            .map(|n| n.parse().unwrap_or(0))
            .collect()
    };
    specs
        .iter()
        .map(|s| s.meta.version.as_str())
        .max_by(|a, b| key(a).cmp(&key(b)).then_with(|| a.cmp(b)))
        .unwrap_or("1.0.0")
        .to_string()
}

/// `package.json` with each export's `types` condition first and `default` last, as resolvers read
/// conditions in order (the JSON writer sorts keys, which puts `default` first).
fn types_first(contents: &[u8], stems: &[String]) -> String {
    let mut text = String::from_utf8_lossy(contents).into_owned();
    for stem in stems {
        let sorted = format!("\"default\": \"./dist/{stem}.js\",\n      \"types\": \"./dist/{stem}.d.ts\"");
        let ordered = format!("\"types\": \"./dist/{stem}.d.ts\",\n      \"default\": \"./dist/{stem}.js\"");
        text = text.replace(&sorted, &ordered);
    }
    text
}

/// The package's README: what it holds, how to install, build and import it.
fn readme(specs: &[&IntegrationSpec], providers: &[&str], version: &str) -> String {
    let mut out = format!(
        "# {PACKAGE_NAME} {version}\n\nTypeScript clients, webhook verification and types for the integrations, generated \
         from their specs. Licence: {}.\n\n## Integrations\n\n",
        crate::output::LICENSE
    );
    let mut sorted: Vec<&&IntegrationSpec> = specs.iter().collect();
    sorted.sort_by_key(|s| s.provider_id());
    for s in sorted {
        let _ = writeln!(
            out,
            "- `{PACKAGE_NAME}/{}`: {} (`{}` {})",
            s.provider_id(),
            s.meta.title,
            s.meta.key,
            s.meta.version
        );
    }
    let example = providers.first().copied().unwrap_or("stripe");
    let _ = write!(
        out,
        "\n## Install\n\n```sh\nnpm install path/to/this/folder\n```\n\n`npm install` runs the `prepare` script, \
         which compiles the sources to `dist/` with `tsc`; `npm pack` packs `dist/`.\n\n## Use\n\n```ts\nimport * as sdk \
         from \"{PACKAGE_NAME}/{example}\";\n```\n\nThe package is ESM only. CommonJS code loads it with `require()` on Node \
         20.19 or later (which loads ES modules synchronously), or with `await import()` anywhere. Its types need \
         neither the DOM lib nor `@types/node`: the parts of `fetch` they mention are declared in `runtime`. Requests \
         send `User-Agent: integration-spec-sdk/{version}` unless one is given.\n"
    );
    out
}

/// Types of the shared schemas, each named after its schema (`integration-spec` → `IntegrationSpec`).
fn shared_types(shared: &[NamedSchema]) -> String {
    let mut pool = Pool::new(REF_PREFIX, RESERVED);
    let roots: Vec<String> = shared.iter().map(|s| pool.add(&s.name, &s.schema)).collect();
    let mut out = comment(
        &[
            "Types of the schemas shared by all integrations.".into(),
            String::new(),
            format!(
                "Roots: {}.",
                if roots.is_empty() {
                    "none".to_string()
                } else {
                    roots.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(", ")
                }
            ),
        ],
        "",
    );
    for (name, schema) in pool.entries() {
        out.push('\n');
        out.push_str(&declaration(name, schema));
    }
    if pool.entries().is_empty() {
        out.push_str("\nexport {};\n");
    }
    out
}

/// A JavaScript identifier for a provider id (`google-calendar` → `google_calendar`).
fn ident(provider: &str) -> String {
    let s: String = provider
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if s.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        format!("_{s}")
    } else {
        s
    }
}

/// `typescript/<provider>/{types,client,webhooks,index}.ts`.
pub fn emit(spec: &IntegrationSpec) -> Result<Vec<GeneratedFile>, GenError> {
    let provider = spec.provider_id();
    let dir = format!("typescript/{provider}");
    let mut pool = Pool::new(REF_PREFIX, RESERVED);
    let config = pool.add(&spec.config.type_name, &spec.config.schema);
    let secrets = pool.add(&spec.secrets.type_name, &spec.secrets.schema);
    let actions: Vec<(&Action, String, String)> = spec
        .actions
        .iter()
        .map(|a| {
            let i = pool.add(&a.input.type_name, &a.input.schema);
            let o = pool.add(&a.output.type_name, &a.output.schema);
            (a, i, o)
        })
        .collect();
    let events: Vec<(&str, String, &str)> = spec
        .events
        .iter()
        .flat_map(|e| &e.types)
        .map(|t| {
            (
                t.event_type.as_str(),
                pool.add(&t.payload.type_name, &t.payload.schema),
                t.description.as_str(),
            )
        })
        .collect();

    let mut types = format!(
        "/**\n * Types of the {} integration (`{}` {}), from the JSON Schemas of its Rust types.\n *\n \
         * Connection config: `{config}`; secrets: `{secrets}`.\n */\n",
        spec.meta.title, spec.meta.key, spec.meta.version
    );
    for (name, schema) in pool.entries() {
        types.push('\n');
        types.push_str(&declaration(name, schema));
    }

    let mut files = vec![
        text_file(format!("{dir}/types.ts"), &ts_comment(), &types),
        text_file(
            format!("{dir}/client.ts"),
            &ts_comment(),
            &client::client(spec, &pool, &actions),
        ),
    ];
    let mut index = String::from(
        "export { ApiError, WebhookEventError, WebhookVerificationError } from \"../runtime.js\";\n\
         export type {\n  DeclaredEvent,\n  HeadersLike,\n  ProviderErrorObject,\n  UnknownEvent,\n  UrlVerification,\n  \
         VerifyOptions,\n} from \"../runtime.js\";\n\
         export * from \"./client.js\";\nexport * as types from \"./types.js\";\n",
    );
    if let Some(webhooks) = webhooks::webhooks(spec, &events) {
        files.push(text_file(format!("{dir}/webhooks.ts"), &ts_comment(), &webhooks));
        index.push_str("export * from \"./webhooks.js\";\n");
    }
    files.push(text_file(format!("{dir}/index.ts"), &ts_comment(), &index));
    Ok(files)
}

/// The schema pointer of a response pointer (`/a/b` → `/properties/a/properties/b`).
pub(super) fn property_pointer(pointer: &str) -> String {
    pointer
        .split('/')
        .skip(1)
        .map(|part| format!("/properties/{part}"))
        .collect()
}
