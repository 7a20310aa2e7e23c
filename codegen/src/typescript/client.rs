//! `typescript/<provider>/client.ts`: the provider configuration and `<Provider>Client` with one method per action.

use std::fmt::Write as _;

use serde_json::Value;
use spec_core::{Action, AuthMethod, BEARER_PREFIX, BodyEncoding, IntegrationSpec, PaginationStyle, VersionPlacement};

use super::property_pointer;
use super::types::{comment, expr};
use crate::names::{camel, js_string, pascal};
use crate::openapi::is_bearer;
use crate::schema::{Pool, non_null, properties, required, resolve};

/// `client.ts`: the provider configuration and the client class, one method per action.
pub(super) fn client(spec: &IntegrationSpec, pool: &Pool, actions: &[(&Action, String, String)]) -> String {
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
