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
//! build` (tsc) compiles them to `dist/`.

use std::fmt::Write as _;

use serde_json::{Value, json};
use spec_core::{
    Action, AuthMethod, BEARER_PREFIX, BodyEncoding, EventEnvelope, FieldSource, IntegrationSpec, PaginationStyle,
    SignatureScheme, SigningAlgorithm, VersionPlacement,
};

use crate::names::{camel, js_string, pascal};
use crate::openapi::is_bearer;
use crate::output::{JSON_COMMENT, json_file, text_file, ts_comment};
use crate::schema::{Pool, non_null, properties, required, resolve};
use crate::ts_types::{REF_PREFIX, RESERVED, comment, declaration, expr};
use crate::{GenError, GeneratedFile, NamedSchema};

/// The runtime shared by every client.
const RUNTIME: &str = include_str!("../templates/runtime.ts");

/// `typescript/package.json`, `tsconfig.json`, `.gitignore`, `runtime.ts`, `index.ts`, and `shared.ts`
/// (types of the shared schemas, such as `IntegrationSpec`).
pub fn emit_package(specs: &[&IntegrationSpec], shared: &[NamedSchema]) -> Result<Vec<GeneratedFile>, GenError> {
    let mut providers: Vec<&str> = specs.iter().map(|s| s.provider_id()).collect();
    providers.sort();
    let mut exports = serde_json::Map::new();
    let entry = |stem: &str| json!({ "types": format!("./dist/{stem}.d.ts"), "default": format!("./dist/{stem}.js") });
    exports.insert(".".into(), entry("index"));
    exports.insert("./runtime".into(), entry("runtime"));
    for p in &providers {
        exports.insert(format!("./{p}"), entry(&format!("{p}/index")));
    }
    let package = json!({
        "name": "@integrations/sdk",
        "version": "0.0.0",
        "private": true,
        "description": "TypeScript clients for the integrations, generated from their specs.",
        "type": "module",
        "engines": { "node": ">=20" },
        "exports": exports,
        "files": ["dist"],
        "scripts": { "build": "tsc -p .", "check": "tsc -p . --noEmit" },
        "devDependencies": { "typescript": ">=5.7" }
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
        json_file("typescript/package.json", JSON_COMMENT, package)?,
        json_file("typescript/tsconfig.json", JSON_COMMENT, tsconfig)?,
        text_file("typescript/runtime.ts", &ts_comment(), RUNTIME),
        text_file("typescript/index.ts", &ts_comment(), &index),
        text_file("typescript/shared.ts", &ts_comment(), &shared_types(shared)),
    ])
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
            &client(spec, &pool, &actions),
        ),
    ];
    let mut index = String::from(
        "export { ApiError, WebhookEventError, WebhookVerificationError } from \"../runtime.js\";\n\
         export type {\n  DeclaredEvent,\n  HeadersLike,\n  ProviderErrorObject,\n  UnknownEvent,\n  UrlVerification,\n  \
         VerifyOptions,\n} from \"../runtime.js\";\n\
         export * from \"./client.js\";\nexport * as types from \"./types.js\";\n",
    );
    if let Some(webhooks) = webhooks(spec, &events) {
        files.push(text_file(format!("{dir}/webhooks.ts"), &ts_comment(), &webhooks));
        index.push_str("export * from \"./webhooks.js\";\n");
    }
    files.push(text_file(format!("{dir}/index.ts"), &ts_comment(), &index));
    Ok(files)
}

fn client(spec: &IntegrationSpec, pool: &Pool, actions: &[(&Action, String, String)]) -> String {
    let p = pascal(spec.provider_id());
    let versions = spec.usable_versions();
    let mut out = String::new();
    let mut head = vec![format!(
        "{} client (`{}` {}).",
        spec.meta.title, spec.meta.key, spec.meta.version
    )];
    if !spec.meta.description.is_empty() {
        head.push(String::new());
        head.push(spec.meta.description.clone());
    }
    out.push_str(&comment(&head, ""));
    out.push_str("import { BaseClient } from \"../runtime.js\";\n");
    out.push_str("import type { ActionSpec, ClientOptions, ProviderConfig, RequestOptions } from \"../runtime.js\";\n");
    out.push_str("import type * as T from \"./types.js\";\n\n");

    if versions.is_empty() {
        let _ = writeln!(
            out,
            "/** API versions a connection may pin. */\nexport type {p}ApiVersion = string;\n"
        );
    } else {
        let list: Vec<String> = versions.iter().map(|v| js_string(v)).collect();
        let _ = writeln!(
            out,
            "/** API versions a connection may pin (supported and not sunset). */\nexport type {p}ApiVersion = {};\n",
            list.join(" | ")
        );
    }
    if let Some(policy) = &spec.version_policy {
        let _ = writeln!(
            out,
            "/** The API version sent when none is chosen. */\nexport const CURRENT_API_VERSION: {p}ApiVersion = {};\n",
            js_string(&policy.current_version)
        );
    }
    let _ = writeln!(
        out,
        "/** Options of a {p}Client. */\nexport interface {p}ClientOptions extends ClientOptions {{\n  \
         /** API version; `CURRENT_API_VERSION` when absent. */\n  apiVersion?: {p}ApiVersion;\n}}\n"
    );
    let _ = writeln!(
        out,
        "/** Per-request options. */\nexport interface {p}RequestOptions extends RequestOptions {{\n  \
         /** API version for this request. */\n  apiVersion?: {p}ApiVersion;\n}}\n"
    );
    let _ = writeln!(
        out,
        "/** What the spec says about the provider. */\nexport const PROVIDER: ProviderConfig = {};\n",
        provider_config(spec, &versions)
    );

    out.push_str("/** Every action, by client method name. */\nexport const ACTIONS = {\n");
    for (a, _, _) in actions {
        let params: Vec<String> = a.path_params().iter().map(|s| js_string(s)).collect();
        let items = a
            .items_field
            .as_deref()
            .map(|f| format!(", itemsField: {}", js_string(f)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  {}: {{ id: {}, method: {}, path: {}, pathParams: [{}], mutates: {}{items} }},",
            camel(&a.method_name),
            js_string(&a.id),
            js_string(a.method.as_str()),
            js_string(&a.path),
            params.join(", "),
            a.mutates
        );
    }
    out.push_str("} as const satisfies Record<string, ActionSpec>;\n\n");

    let _ = writeln!(
        out,
        "/** The {} API: one method per action. */\nexport class {p}Client extends BaseClient {{\n  \
         constructor(options: {p}ClientOptions = {{}}) {{\n    super(PROVIDER, options);\n  }}",
        spec.meta.title
    );
    let lookup = pool.as_document();
    let paging = spec.rest().and_then(|r| r.pagination.as_ref());
    for (a, input, output) in actions {
        let m = camel(&a.method_name);
        let input_schema = pool.get(input).cloned().unwrap_or(Value::Null);
        let param = input_param(&lookup, &input_schema, input);
        let mut doc = Vec::new();
        if !a.description.is_empty() {
            doc.push(a.description.clone());
            doc.push(String::new());
        }
        doc.push(format!("`{} {}` (`{}`).", a.method, a.path, a.id));
        if !a.permissions.is_empty() {
            doc.push(format!("Needs: {}.", a.permissions.join(", ")));
        }
        if a.high_impact {
            doc.push("High impact: confirm with a person before calling.".into());
        }
        if a.mutates {
            doc.push("Sends an idempotency key (`options.idempotencyKey`, or a random UUID).".into());
        }
        out.push('\n');
        out.push_str(&comment(&doc, "  "));
        let _ = writeln!(
            out,
            "  {m}({param}, options?: {p}RequestOptions): Promise<T.{output}> {{\n    \
             return this.request<T.{output}>(ACTIONS.{m}, input, options);\n  }}"
        );
        if a.paginated
            && let Some(pg) = paging
            && (pg.style != PaginationStyle::Cursor || pg.next_cursor_pointer.is_some())
        {
            let items = a.items_field.as_deref().or(pg.items_field.as_deref());
            let item = pool
                .get(output)
                .map(|o| resolve(&lookup, o))
                .and_then(|o| match items {
                    Some(field) if field.starts_with('/') => o.pointer(&property_pointer(field)),
                    Some(field) => o.get("properties").and_then(|ps| ps.get(field)),
                    None if o.get("type").and_then(Value::as_str) == Some("array") => Some(o),
                    None => o.get("properties").and_then(|ps| ps.get("data")),
                })
                .map(non_null)
                .and_then(|s| s.get("items").map(|i| expr(i, "  ")))
                .map(|t| t.replace("#/$defs/", ""))
                .unwrap_or_else(|| "unknown".into());
            let item = qualify(&item, pool);
            let _ = writeln!(
                out,
                "\n  /** Every item of `{m}`, fetching further pages as the iteration goes. */\n  \
                 {m}All({param}, options?: {p}RequestOptions): AsyncGenerator<{item}> {{\n    \
                 return this.paginate<{item}>(ACTIONS.{m}, input, options);\n  }}"
            );
        }
    }
    out.push_str("}\n");
    out
}

/// A type expression from the types module, with its declared names qualified by `T.`.
fn qualify(t: &str, pool: &Pool) -> String {
    if pool.get(t).is_some() {
        return format!("T.{t}");
    }
    let mut out = String::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if pool.get(word).is_some() {
            out.push_str("T.");
        }
        out.push_str(word);
        word.clear();
    };
    for c in t.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// `input: T.X`, or `input: T.X = {}` when nothing is required, or `input?: T.X` when it is not an
/// object.
fn input_param(lookup: &Value, schema: &Value, name: &str) -> String {
    let s = resolve(lookup, schema);
    let object = !properties(s).is_empty() || s.get("type").and_then(Value::as_str) == Some("object");
    if !object {
        format!("input?: T.{name}")
    } else if required(s).is_empty() && s.get("$ref").is_none() {
        format!("input: T.{name} = {{}}")
    } else {
        format!("input: T.{name}")
    }
}

fn provider_config(spec: &IntegrationSpec, versions: &[&str]) -> String {
    let rest = spec.rest();
    let mut fields: Vec<(String, String)> = vec![
        ("provider".into(), js_string(spec.provider_id())),
        ("baseUrl".into(), js_string(rest.map_or("", |r| r.base_url.as_str()))),
        (
            "bodyEncoding".into(),
            js_string(if rest.is_some_and(|r| r.body == BodyEncoding::Form) {
                "form"
            } else {
                "json"
            }),
        ),
    ];
    if let Some(k) = api_key_placement(spec) {
        fields.push(("apiKey".into(), k));
    }
    if let Some(h) = spec.access_token_header() {
        fields.push((
            "accessToken".into(),
            format!("{{ name: {}, prefix: {} }}", js_string(h), js_string(BEARER_PREFIX)),
        ));
    }
    match spec.version_placement() {
        Some(VersionPlacement::Header(h)) => fields.push(("versionHeader".into(), js_string(h))),
        Some(VersionPlacement::Query(q)) => fields.push(("versionQueryParam".into(), js_string(q))),
        Some(VersionPlacement::Path) | None => {}
    }
    if let Some(v) = spec.default_api_version() {
        fields.push(("currentVersion".into(), js_string(v)));
    }
    let list: Vec<String> = versions.iter().map(|v| js_string(v)).collect();
    fields.push(("supportedVersions".into(), format!("[{}]", list.join(", "))));
    if let Some(h) = spec.account_header() {
        fields.push(("accountHeader".into(), js_string(h)));
    }
    if let Some(h) = spec.idempotency_header() {
        fields.push(("idempotencyHeader".into(), js_string(h)));
    }
    if let Some(p) = rest.and_then(|r| r.error_pointer.as_deref()) {
        fields.push(("errorPointer".into(), js_string(p)));
    }
    if let Some(p) = rest.and_then(|r| r.success_pointer.as_deref()) {
        fields.push(("successPointer".into(), js_string(p)));
    }
    if let Some(pg) = rest.and_then(|r| r.pagination.as_ref()) {
        let items = pg
            .items_field
            .as_deref()
            .map(|f| format!(", itemsField: {}", js_string(f)))
            .unwrap_or_default();
        let value = match pg.style {
            PaginationStyle::StartingAfter => Some(format!(
                "{{ style: \"starting_after\", cursorParam: {}{items}, hasMoreField: {} }}",
                js_string(pg.cursor_param()),
                js_string(pg.has_more_field()),
            )),
            PaginationStyle::Cursor => pg.next_cursor_pointer.as_deref().map(|ptr| {
                format!(
                    "{{ style: \"cursor\", cursorParam: {}{items}, nextCursorPointer: {} }}",
                    js_string(pg.cursor_param()),
                    js_string(ptr),
                )
            }),
            PaginationStyle::LinkHeader => Some(format!("{{ style: \"link_header\"{items} }}")),
        };
        if let Some(v) = value {
            fields.push(("pagination".into(), v));
        }
    }
    let headers: Vec<String> = rest
        .iter()
        .flat_map(|r| &r.default_headers)
        .map(|(k, v)| format!("{}: {}", js_string(k), js_string(v)))
        .collect();
    let headers = if headers.is_empty() {
        "{}".to_string()
    } else {
        format!("{{ {} }}", headers.join(", "))
    };
    fields.push(("defaultHeaders".into(), headers));
    let body: Vec<String> = fields.iter().map(|(k, v)| format!("  {k}: {v},")).collect();
    format!("{{\n{}\n}}", body.join("\n"))
}

/// Where an API key goes, from the first auth method that takes one.
fn api_key_placement(spec: &IntegrationSpec) -> Option<String> {
    spec.supported_auth_methods.iter().find_map(|m| match m {
        AuthMethod::ApiKey(k) => match (&k.header_name, &k.query_param) {
            (Some(h), _) => Some(header_placement(h, k.prefix.as_deref().unwrap_or(""))),
            (None, Some(q)) => Some(format!("{{ in: \"query\", name: {} }}", js_string(q))),
            (None, None) => None,
        },
        AuthMethod::Header(h) => Some(header_placement(&h.header_name, h.prefix.as_deref().unwrap_or(""))),
        AuthMethod::Bearer(b) => Some(header_placement(b.header(), BEARER_PREFIX)),
        AuthMethod::Basic(b) => Some(format!("{{ in: \"basic\", usernameOnly: {} }}", b.username_only)),
        _ => None,
    })
}

fn header_placement(header: &str, prefix: &str) -> String {
    let prefix = if is_bearer(header, Some(prefix)) {
        "Bearer "
    } else {
        prefix
    };
    format!(
        "{{ in: \"header\", name: {}, prefix: {} }}",
        js_string(header),
        js_string(prefix)
    )
}

/// `webhooks.ts`, when the provider delivers signed webhooks.
fn webhooks(spec: &IntegrationSpec, events: &[(&str, String, &str)]) -> Option<String> {
    let inbound = spec.webhook()?.inbound.as_ref()?;
    let p = pascal(spec.provider_id());
    let scheme = spec.webhook_scheme();
    let (tolerance, tolerance_doc) = match spec.webhook_tolerance() {
        Some(t) => (t, "Accepted clock skew in seconds."),
        None => (0, "Accepted clock skew in seconds; 0: the scheme signs no timestamp."),
    };
    let prefix = spec.events.as_ref().map_or("", |e| e.prefix.as_str());
    let mut out = comment(
        &[
            format!(
                "Webhooks of the {} integration: event types and signature verification.",
                spec.meta.title
            ),
            String::new(),
            format!(
                "Signature: `{}` header, {}{}.",
                inbound.signature_header,
                inbound.signing_algorithm,
                scheme.map(|s| format!(", {s} scheme")).unwrap_or_default()
            ),
        ],
        "",
    );
    let scheme_fn = match (scheme, inbound.signing_algorithm) {
        (_, SigningAlgorithm::Ed25519) | (None, _) => None,
        (Some(SignatureScheme::Stripe), _) => Some("verifyStripeSignature"),
        (Some(SignatureScheme::Slack), _) => Some("verifySlackSignature"),
        (Some(SignatureScheme::StandardWebhooks), _) => Some("verifyStandardWebhook"),
        (Some(SignatureScheme::Github), _) => Some("verifyGithubSignature"),
    };
    let envelope = spec.event_envelope();
    let mut imports = vec!["WebhookVerificationError", "headerValue", "payloadText"];
    let mut type_imports = vec!["HeadersLike", "VerifyOptions"];
    if let Some(f) = scheme_fn {
        imports.push(f);
    }
    if let Some(envelope) = &envelope {
        imports.extend(["parseBody", "readEvent"]);
        type_imports.extend(["DeclaredEvent", "EventEnvelope", "UnknownEvent"]);
        if envelope.handshake.is_some() {
            type_imports.push("UrlVerification");
        }
    }
    imports.sort_unstable();
    type_imports.sort_unstable();
    let _ = writeln!(
        out,
        "import {{ {} }} from \"../runtime.js\";\nimport type {{ {} }} from \"../runtime.js\";\n\
         import type * as T from \"./types.js\";\n",
        imports.join(", "),
        type_imports.join(", ")
    );
    let _ = writeln!(
        out,
        "/** Header carrying the signature. */\nexport const SIGNATURE_HEADER = {};\n\n\
         /** {tolerance_doc} */\nexport const TOLERANCE_SECONDS = {tolerance};\n\n\
         /** Prefix of provider-neutral event names (`{prefix}customer.created`). */\nexport const EVENT_PREFIX = {};\n",
        js_string(&inbound.signature_header.to_ascii_lowercase()),
        js_string(prefix)
    );
    if events.is_empty() {
        out.push_str("/** Declared event types. */\nexport type EventType = never;\n\n");
        out.push_str("/** Declared event types, in declaration order. */\nexport const EVENT_TYPES: readonly EventType[] = [];\n\n");
        out.push_str("/** Payload type of each declared event type. */\nexport interface EventPayloads {}\n\n");
    } else {
        let list: Vec<String> = events.iter().map(|(t, _, _)| js_string(t)).collect();
        let _ = writeln!(
            out,
            "/** Declared event types. */\nexport type EventType = {};\n",
            list.join(" | ")
        );
        let _ = writeln!(
            out,
            "/** Declared event types, in declaration order. */\nexport const EVENT_TYPES: readonly EventType[] = [{}];\n",
            list.join(", ")
        );
        out.push_str("/** Payload type of each declared event type. */\nexport interface EventPayloads {\n");
        for (t, payload, description) in events {
            if !description.is_empty() {
                out.push_str(&comment(&[description.to_string()], "  "));
            }
            let _ = writeln!(out, "  {}: T.{payload};", js_string(t));
        }
        out.push_str("}\n\n");
    }
    out.push_str(
        "/** Whether `type` is a declared event type. */\nexport function isDeclaredEvent(type: string): type is EventType {\n",
    );
    if events.is_empty() {
        out.push_str("  void type;\n  return false;\n}\n\n");
    } else {
        out.push_str("  return (EVENT_TYPES as readonly string[]).includes(type);\n}\n\n");
    }

    let stripe = scheme == Some(SignatureScheme::Stripe);
    if stripe {
        let _ = writeln!(
            out,
            "/** A delivered event: Stripe's event envelope, `data.object` typed by the event type. */\n\
             export type {p}Event = {{\n  [K in EventType]: {{\n    id: string;\n    object: \"event\";\n    type: K;\n    \
             created: number;\n    livemode: boolean;\n    api_version?: string | null;\n    account?: string;\n    \
             data: {{ object: EventPayloads[K]; previous_attributes?: Partial<EventPayloads[K]> }};\n  }};\n}}[EventType];\n"
        );
    } else {
        let _ = writeln!(
            out,
            "/**\n * A delivered event as `verifyWebhook` returns it: the parsed body, as the provider laid it out. \
             {{@link receiveWebhook}}\n * gives the typed event.\n */\nexport type {p}Event = unknown;\n"
        );
    }
    if let Some(envelope) = &envelope {
        let _ = writeln!(
            out,
            "/** Where deliveries carry each event field (the spec's `events.envelope`). */\n\
             export const ENVELOPE: EventEnvelope = {};\n\n\
             /** A delivery of a declared event type: discriminated by `type`, `object` typed per type. */\n\
             export type {p}DeclaredEvent = {{ [K in EventType]: DeclaredEvent<K, EventPayloads[K]> }}[EventType];\n\n\
             /** A received event: a declared type (`kind: \"event\"`) or another one (`kind: \"unknown\"`). */\n\
             export type {p}WebhookEvent = {p}DeclaredEvent | UnknownEvent;\n\n\
             {}\n",
            envelope_literal(envelope),
            if envelope.handshake.is_some() {
                format!(
                    "/** What a verified delivery holds: an event, or the URL-verification handshake to answer. */\n\
                     export type {p}Delivery = {p}WebhookEvent | UrlVerification;"
                )
            } else {
                format!(
                    "/** What a verified delivery holds (the provider declares no handshake). */\n\
                     export type {p}Delivery = {p}WebhookEvent;"
                )
            }
        );
    }

    let hash = if inbound.signing_algorithm == SigningAlgorithm::HmacSha1 {
        "\"SHA-1\""
    } else {
        "\"SHA-256\""
    };
    let check = match (scheme_fn, scheme) {
        (None, _) => format!(
            "  void payload;\n  void headers;\n  void secrets;\n  void options;\n  \
             throw new WebhookVerificationError(\"{} signatures are not supported by this SDK\");",
            inbound.signing_algorithm
        ),
        (Some(f), Some(SignatureScheme::Stripe)) => format!(
            "  await {f}(payload, required(headers, SIGNATURE_HEADER), secrets, {{ tolerance: TOLERANCE_SECONDS, ...options }});"
        ),
        (Some(f), Some(SignatureScheme::Slack)) => {
            let ts = spec.webhook_timestamp_header().unwrap_or_default();
            format!(
                "  await {f}(payload, required(headers, SIGNATURE_HEADER), required(headers, {}), secrets, {{\n    \
                 tolerance: TOLERANCE_SECONDS,\n    ...options,\n  }});",
                js_string(&ts.to_ascii_lowercase())
            )
        }
        (Some(f), Some(SignatureScheme::StandardWebhooks)) => {
            let ts = spec.webhook_timestamp_header().unwrap_or_default();
            let id = spec.webhook_id_header().unwrap_or_default();
            format!(
                "  await {f}(\n    payload,\n    required(headers, {}),\n    required(headers, {}),\n    \
                 required(headers, SIGNATURE_HEADER),\n    secrets,\n    {{ tolerance: TOLERANCE_SECONDS, ...options }},\n  );",
                js_string(&id.to_ascii_lowercase()),
                js_string(&ts.to_ascii_lowercase())
            )
        }
        (Some(f), _) => {
            format!("  void options;\n  await {f}(payload, required(headers, SIGNATURE_HEADER), secrets, {hash});")
        }
    };
    let _ = writeln!(
        out,
        "function required(headers: HeadersLike, name: string): string {{\n  const v = headerValue(headers, name);\n  \
         if (v === undefined) throw new WebhookVerificationError(`the ${{name}} header is missing`);\n  return v;\n}}\n"
    );
    let _ = writeln!(
        out,
        "/**\n * Verifies a delivery's signature against the raw body.\n *\n \
         * `secrets` may hold several secrets (rotation); every one is tried. Throws\n \
         * {{@link WebhookVerificationError}} when no signature matches or the timestamp is outside the tolerance.\n \
         */\nexport async function verifySignature(\n  payload: string | Uint8Array,\n  headers: HeadersLike,\n  \
         secrets: string | readonly string[],\n  options: VerifyOptions = {{}},\n): Promise<void> {{\n{check}\n}}\n"
    );
    let _ = writeln!(
        out,
        "/** Verifies a delivery's signature (see {{@link verifySignature}}) and returns the parsed body. */\n\
         export async function verifyWebhook(\n  payload: string | Uint8Array,\n  headers: HeadersLike,\n  \
         secrets: string | readonly string[],\n  options: VerifyOptions = {{}},\n): Promise<{p}Event> {{\n  \
         await verifySignature(payload, headers, secrets, options);\n  \
         return JSON.parse(payloadText(payload)) as {p}Event;\n}}"
    );
    if envelope.is_some() {
        let _ = writeln!(
            out,
            "\n/**\n * Verifies a delivery's signature (see {{@link verifySignature}}), then builds its event from\n \
             * {{@link ENVELOPE}}: a declared event (`kind: \"event\"`, narrowed by `type`), an undeclared one\n \
             * (`kind: \"unknown\"`), or the declared URL-verification handshake, if any (`kind: \"url_verification\"`,\n \
             * answer with its `challenge`). Throws {{@link WebhookEventError}} when the body is not JSON or has no id or type.\n \
             */\nexport async function receiveWebhook(\n  payload: string | Uint8Array,\n  headers: HeadersLike,\n  \
             secrets: string | readonly string[],\n  options: VerifyOptions = {{}},\n): Promise<{p}Delivery> {{\n  \
             await verifySignature(payload, headers, secrets, options);\n  \
             return readEvent(parseBody(payload), headers, ENVELOPE, EVENT_PREFIX, EVENT_TYPES) as {p}Delivery;\n}}"
        );
    }
    if stripe {
        let _ = writeln!(
            out,
            "\n/** Like Stripe's `constructEvent`: verifies `signatureHeader` and returns the parsed event. */\n\
             export async function constructEvent(\n  payload: string | Uint8Array,\n  signatureHeader: string,\n  \
             secrets: string | readonly string[],\n  options: VerifyOptions = {{}},\n): Promise<{p}Event> {{\n  \
             return verifyWebhook(payload, {{ [SIGNATURE_HEADER]: signatureHeader }}, secrets, options);\n}}"
        );
    }
    Some(out)
}

/// The envelope as a TypeScript `EventEnvelope` literal.
fn envelope_literal(envelope: &EventEnvelope) -> String {
    let source = |s: &FieldSource| match s {
        FieldSource::Body(p) => format!("{{ body: {} }}", js_string(p)),
        FieldSource::Header(h) => format!("{{ header: {} }}", js_string(h)),
    };
    let types: Vec<String> = envelope.event_type.iter().map(source).collect();
    let mut fields = vec![
        format!("  id: {},", source(&envelope.id)),
        format!("  type: [{}],", types.join(", ")),
    ];
    let optional = [
        ("created", &envelope.created),
        ("account", &envelope.account),
        ("livemode", &envelope.livemode),
        ("object", &envelope.object),
        ("previousAttributes", &envelope.previous_attributes),
    ];
    for (name, s) in optional {
        if let Some(s) = s {
            fields.push(format!("  {name}: {},", source(s)));
        }
    }
    for (name, p) in [("objectId", &envelope.object_id), ("objectType", &envelope.object_type)] {
        if let Some(p) = p {
            fields.push(format!("  {name}: {},", js_string(p)));
        }
    }
    if let Some(h) = &envelope.handshake {
        fields.push(format!(
            "  handshake: {{ type: {}, value: {}, challenge: {} }},",
            source(&h.kind),
            js_string(&h.value),
            source(&h.challenge)
        ));
    }
    format!("{{\n{}\n}}", fields.join("\n"))
}

/// The schema pointer of a response pointer (`/a/b` → `/properties/a/properties/b`).
fn property_pointer(pointer: &str) -> String {
    pointer
        .split('/')
        .skip(1)
        .map(|part| format!("/properties/{part}"))
        .collect()
}
