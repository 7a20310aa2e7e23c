//! Code generation: integration specs and their schemas in, files out.
//!
//! [`generate`] runs every emitter over every integration and returns the files `cargo xtask gen` writes
//! under `generated/` (paths are relative to that directory):
//!
//! | emitter | files |
//! |---|---|
//! | [`json_schema`] | `json-schema/<shared>.schema.json`, `json-schema/<provider>/…` |
//! | [`manifest`] | `manifest/<provider>.json` |
//! | [`openapi`] | `openapi/<provider>.json` |
//! | [`typescript`] | `typescript/{package.json, tsconfig.json, .gitignore, runtime.ts, shared.ts, index.ts}`, `typescript/<provider>/…` |
//! | [`mcp`] | `mcp/<provider>.json` |
//! | [`docs`] | `docs/<provider>.md` |
//! | [`reference`](mod@reference) | `docs/spec-format.md`, the declaration reference (from the shared `integration-spec` schema) |
//!
//! Output is deterministic: JSON objects are written with sorted keys, lists keep the spec's order, and
//! files are returned sorted by path. Every file starts with a do-not-edit line naming the command that
//! regenerates it ([`do_not_edit`]; [`GenInput::command`], `cargo xtask gen` by default): a top-level
//! `"$comment"` member in JSON (`"x-comment"` in OpenAPI, where only `x-` extensions may be added), a
//! comment in TypeScript and Markdown.
//!
//! Integrations declared in any crate are generated the same way: a binary of that crate (its own
//! `xtask gen`) runs [`cli::Task`] with its specs and its command, as this workspace's `cargo xtask gen`
//! does; `examples/downstream/` is such a crate.
//!
//! [`action_schemas`] names the schemas of many integrations' actions in one namespace, for documents that
//! list them together (the host's OpenAPI document).
//!
//! [`drift`] compares a set of files with a directory and writes them, for `cargo xtask gen [--check]`.

pub mod action_schemas;
pub mod cli;
pub mod docs;
pub mod drift;
pub mod json_schema;
pub mod manifest;
pub mod mcp;
pub mod openapi;
pub mod reference;
pub mod typescript;

mod names;
mod output;
mod redact;
mod schema;

use std::collections::BTreeMap;
use std::path::PathBuf;

use spec_core::{IntegrationSpec, SpecError, TypeSchema};

pub use output::{DO_NOT_EDIT, do_not_edit};

/// A schema as every emitter writes it: standard keywords only, non-standard integer formats (`uint32`,
/// `uint64`, `int8`, …, from schemars' integer types) rewritten as `minimum`/`maximum`, and one-branch
/// `oneOf`/`anyOf` choices merged into their parent.
pub fn standard_schema(schema: &serde_json::Value) -> serde_json::Value {
    schema::standardized(schema)
}

/// Everything the generator reads.
#[derive(Debug, Clone, Default)]
pub struct GenInput<'a> {
    /// The integrations, each a validated spec whose type schemas are filled in.
    pub integrations: Vec<&'a IntegrationSpec>,
    /// Schemas shared by all integrations (the spec format itself, the canonical event), written as
    /// `json-schema/<name>.schema.json`.
    pub shared: Vec<NamedSchema>,
    /// The command that regenerates the files, named in each file's do-not-edit line ([`do_not_edit`]);
    /// `cargo xtask gen` (this workspace's) when `None`. Printable ASCII without quotes, backslashes,
    /// backticks or comment terminators, so that it reads the same in every format.
    pub command: Option<String>,
}

/// A schema shared by all integrations.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedSchema {
    /// File name stem: lowercase letters, digits, `-` and `_` (`integration-spec`).
    pub name: String,
    /// A JSON Schema (draft 2020-12), as schemars produces it.
    pub schema: serde_json::Value,
}

impl NamedSchema {
    /// The spec format's own schema (`integration-spec`), from which `json-schema/integration-spec.schema.json`
    /// and the declaration reference `docs/spec-format.md` are written.
    pub fn spec_format() -> Result<Self, String> {
        let schema = schemars::schema_for!(IntegrationSpec);
        Ok(NamedSchema {
            name: reference::SPEC_FORMAT.into(),
            schema: serde_json::to_value(schema).map_err(|e| format!("cannot serialize the spec schema: {e}"))?,
        })
    }
}

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to `generated/`, `/`-separated.
    pub path: PathBuf,
    /// The file's bytes.
    pub contents: Vec<u8>,
}

/// Why generation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GenError {
    /// A spec breaks the validator's rules.
    #[error("integration `{key}` is invalid:\n{}", list(errors))]
    InvalidSpec {
        /// The spec's key.
        key: String,
        /// Every broken rule.
        errors: Vec<SpecError>,
    },
    /// A type referenced by a spec has no JSON Schema.
    #[error("integration `{key}`: `{at}` (type `{type_name}`) has no JSON Schema; fill it in from the Rust type")]
    MissingSchema {
        /// The spec's key.
        key: String,
        /// Where the type is referenced (`actions[2].input`).
        at: String,
        /// The type's name.
        type_name: String,
    },
    /// Two integrations have the same provider id, so their files would overwrite each other.
    #[error("integrations `{first}` and `{second}` both have provider id `{provider}`")]
    DuplicateProvider {
        /// The provider id.
        provider: String,
        /// Key of the first spec.
        first: String,
        /// Key of the second spec.
        second: String,
    },
    /// A shared schema's name cannot be used as a file name.
    #[error("shared schema name `{0}` must be non-empty lowercase letters, digits, `-` and `_`")]
    BadSharedName(String),
    /// Two actions of one integration share an HTTP method and path.
    #[error("integration `{key}`: actions `{first}` and `{second}` are both `{method} {path}`")]
    DuplicateOperation {
        /// The spec's key.
        key: String,
        /// HTTP method.
        method: String,
        /// Path template.
        path: String,
        /// First action id.
        first: String,
        /// Second action id.
        second: String,
    },
    /// Two actions map to the same MCP tool name.
    #[error("integration `{key}`: actions `{first}` and `{second}` both become MCP tool `{tool}`")]
    DuplicateToolName {
        /// The spec's key.
        key: String,
        /// The tool name.
        tool: String,
        /// First action id.
        first: String,
        /// Second action id.
        second: String,
    },
    /// The regenerating command cannot be written in every format's comment.
    #[error(
        "the regenerating command `{0}` must be non-empty printable ASCII without `\"`, `\\`, backticks, `*/` or `-->`"
    )]
    BadCommand(String),
    /// Two emitters produced the same path.
    #[error("two generated files have the path `{}`", .0.display())]
    DuplicatePath(PathBuf),
    /// JSON serialization failed.
    #[error("cannot serialize JSON: {0}")]
    Json(#[from] serde_json::Error),
}

fn list(errors: &[SpecError]) -> String {
    errors.iter().map(|e| format!("  {e}")).collect::<Vec<_>>().join("\n")
}

/// Runs every emitter over every integration and the shared schemas; files sorted by path.
///
/// Fails when a spec is invalid (the validator runs again here, now with schemas, so examples are
/// checked), when a referenced type has no schema, or when two outputs would collide.
pub fn generate(input: &GenInput<'_>) -> Result<Vec<GeneratedFile>, GenError> {
    check(input)?;
    let mut files = Vec::new();
    files.extend(json_schema::emit_shared(&input.shared)?);
    files.extend(reference::emit(&input.shared));
    files.extend(typescript::emit_package(&input.integrations, &input.shared)?);
    for spec in &input.integrations {
        files.extend(json_schema::emit(spec)?);
        files.extend(manifest::emit(spec)?);
        files.extend(openapi::emit(spec)?);
        files.extend(typescript::emit(spec)?);
        files.extend(mcp::emit(spec)?);
        files.extend(docs::emit(spec)?);
    }
    if let Some(command) = &input.command {
        output::restamp(&mut files, command);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    for pair in files.windows(2) {
        if pair[0].path == pair[1].path {
            return Err(GenError::DuplicatePath(pair[0].path.clone()));
        }
    }
    Ok(files)
}

fn check(input: &GenInput<'_>) -> Result<(), GenError> {
    let mut providers: BTreeMap<&str, &str> = BTreeMap::new();
    for spec in &input.integrations {
        spec_core::validate(spec).map_err(|errors| GenError::InvalidSpec {
            key: spec.meta.key.clone(),
            errors,
        })?;
        for (at, ts) in type_schemas(spec) {
            if ts.schema.is_null() {
                return Err(GenError::MissingSchema {
                    key: spec.meta.key.clone(),
                    at,
                    type_name: ts.type_name.clone(),
                });
            }
        }
        if let Some(first) = providers.insert(spec.provider_id(), &spec.meta.key) {
            return Err(GenError::DuplicateProvider {
                provider: spec.provider_id().to_string(),
                first: first.to_string(),
                second: spec.meta.key.clone(),
            });
        }
    }
    if let Some(command) = &input.command
        && !output::command_ok(command)
    {
        return Err(GenError::BadCommand(command.clone()));
    }
    for s in &input.shared {
        let ok = !s.name.is_empty()
            && s.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if !ok {
            return Err(GenError::BadSharedName(s.name.clone()));
        }
    }
    Ok(())
}

/// Every type schema of a spec with the path it is declared at, in declaration order.
pub(crate) fn type_schemas(spec: &IntegrationSpec) -> Vec<(String, &TypeSchema)> {
    let mut out = vec![
        ("config".to_string(), &spec.config),
        ("secrets".to_string(), &spec.secrets),
    ];
    for (i, a) in spec.actions.iter().enumerate() {
        out.push((format!("actions[{i}].input"), &a.input));
        out.push((format!("actions[{i}].output"), &a.output));
    }
    if let Some(ev) = &spec.events {
        for (i, t) in ev.types.iter().enumerate() {
            out.push((format!("events.types[{i}].payload"), &t.payload));
        }
    }
    out
}
