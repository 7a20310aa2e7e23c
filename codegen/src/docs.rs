//! Markdown docs per integration (`docs/<provider>.md`): the capability map (provider id, auth kind,
//! connect flow, actions, events, webhook delivery, event samples, live status), how to connect, the
//! deployment environment variables (`<PROVIDER>_INTEGRATION_*`), connection settings, permissions per
//! action, the actions with their example inputs, the events, webhook set-up, API versions and limits.
//! Examples are shown with secret (`writeOnly`) values redacted.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use serde_json::Value;
use spec_core::{AuthMethod, FieldSource, GrantType, IntegrationSpec, Mode, TypeSchema, VersionPlacement};

use crate::output::{md_comment, pretty, text_file};
use crate::redact::write_only;
use crate::schema::{properties, required, resolve, type_label};
use crate::{GenError, GeneratedFile};

/// `docs/<provider>.md`.
pub fn emit(spec: &IntegrationSpec) -> Result<Vec<GeneratedFile>, GenError> {
    Ok(vec![text_file(
        format!("docs/{}.md", spec.provider_id()),
        &md_comment(),
        &render(spec)?,
    )])
}

/// The environment variables of a provider's deployment, with what each is for.
pub fn env_vars(spec: &IntegrationSpec) -> Vec<(String, String)> {
    let var = |suffix: &str| spec.deploy_var(suffix);
    let oauth = spec.auth_method(spec_core::AuthKind::OAuth2).is_some();
    let webhook = webhook_inbound(spec);
    let managed = spec.supported_modes.contains(&Mode::Managed);
    let mut out = Vec::new();
    if oauth {
        out.push((
            var("CLIENT_ID"),
            "OAuth client id of the platform's app; with the secret key it enables the connect button.".into(),
        ));
    }
    if oauth || managed {
        out.push((
            var("SECRET_KEY"),
            "The platform's secret key: the OAuth client secret, and the API key of managed connections.".into(),
        ));
    }
    if oauth || webhook {
        out.push((
            var("APP_BASE_URL"),
            "Public origin of the API (`https://api.example.com`); the redirect and webhook URLs start with it.".into(),
        ));
    }
    if oauth {
        out.push((
            var("SIGNING_SECRET"),
            format!("Signs the OAuth `state`; when empty, `{}` is used.", var("SECRET_KEY")),
        ));
    }
    if webhook {
        out.push((
            var("WEBHOOK_SECRET"),
            "Signing secret of the provider's webhook endpoint; verifies each delivery's signature.".into(),
        ));
    }
    out
}

fn webhook_inbound(spec: &IntegrationSpec) -> bool {
    spec.webhook().is_some_and(|w| w.inbound.is_some())
}

fn yes_no(b: bool) -> &'static str {
    if b { "Yes" } else { "No" }
}

/// A Markdown table cell: no line breaks, `|` escaped.
fn cell(s: &str) -> String {
    s.replace('\n', " ").replace('|', "\\|")
}

fn table(out: &mut String, header: &[&str], rows: &[Vec<String>]) {
    let _ = writeln!(out, "| {} |", header.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(header.len()));
    for r in rows {
        let cells: Vec<String> = r.iter().map(|c| cell(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out.push('\n');
}

fn code(out: &mut String, lang: &str, body: &str) {
    let _ = writeln!(out, "```{lang}\n{}\n```\n", body.trim_end());
}

fn render(spec: &IntegrationSpec) -> Result<String, GenError> {
    let base_var = spec.deploy_var("APP_BASE_URL");
    let m = &spec.meta;
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", m.title);
    if !m.description.is_empty() {
        let _ = writeln!(out, "{}\n", m.description);
    }
    let mut facts = vec![
        format!("Key `{}`", m.key),
        format!("version {}", m.version),
        format!("category {}", m.category),
        format!("stability {}", m.stability),
    ];
    if !m.owners.is_empty() {
        facts.push(format!("owners {}", m.owners.join(", ")));
    }
    if let Some(url) = &spec.docs_url {
        facts.push(format!("[provider API docs]({url})"));
    }
    let _ = writeln!(out, "{}.\n", facts.join(" · "));

    capability_map(&mut out, spec);
    connect(&mut out, spec, &base_var);
    deployment(&mut out, spec);
    settings(&mut out, spec)?;
    permissions(&mut out, spec);
    actions(&mut out, spec)?;
    events(&mut out, spec)?;
    webhook_setup(&mut out, spec, &base_var);
    versions_and_limits(&mut out, spec);
    Ok(out)
}

fn auth_kinds(spec: &IntegrationSpec) -> Vec<String> {
    spec.supported_auth_methods
        .iter()
        .filter(|a| !matches!(a, AuthMethod::WebhookSigning(_)))
        .map(|a| match a {
            AuthMethod::OAuth2(o) => format!("`oauth2` ({})", o.grant_type),
            other => format!("`{}`", other.kind()),
        })
        .collect()
}

fn connect_flow(spec: &IntegrationSpec) -> String {
    let mut flows = Vec::new();
    for a in &spec.supported_auth_methods {
        match a {
            AuthMethod::OAuth2(o) => flows.push(match o.grant_type {
                GrantType::AuthorizationCode => "OAuth 2.0 authorization code (redirect to the provider)".to_string(),
                GrantType::ClientCredentials => "OAuth 2.0 client credentials".into(),
                GrantType::DeviceCode => "OAuth 2.0 device code".into(),
                GrantType::RefreshToken => "OAuth 2.0 refresh token".into(),
            }),
            AuthMethod::ApiKey(_) | AuthMethod::Header(_) | AuthMethod::Bearer(_) | AuthMethod::Basic(_) => {
                let s = "API key entered by the customer".to_string();
                if !flows.contains(&s) {
                    flows.push(s);
                }
            }
            AuthMethod::ServiceAccount(s) => {
                flows.push(format!("service-account credential ({})", s.credential_format))
            }
            AuthMethod::WebhookSigning(_) => {}
        }
    }
    if flows.is_empty() {
        "None".into()
    } else {
        flows.join("; or ")
    }
}

fn capability_map(out: &mut String, spec: &IntegrationSpec) {
    let _ = writeln!(out, "## Capability map\n");
    let event_count = spec.events.as_ref().map_or(0, |e| e.types.len());
    let samples = spec
        .events
        .iter()
        .flat_map(|e| &e.types)
        .filter(|t| !t.payload.example.is_null())
        .count();
    let inbound = spec.webhook().and_then(|w| w.inbound.as_ref());
    let transports: Vec<String> = spec
        .transports
        .iter()
        .map(|t| {
            if t.kind() == spec.preferred_transport {
                format!("{} (preferred)", t.kind())
            } else {
                t.kind().to_string()
            }
        })
        .collect();
    let mut rows = vec![
        vec!["Provider ID".into(), format!("`{}`", spec.provider_id())],
        vec!["Auth kind".into(), auth_kinds(spec).join(", ")],
        vec!["Connect flow".into(), connect_flow(spec)],
        vec![
            "Modes".into(),
            spec.supported_modes
                .iter()
                .map(|m| m.to_string())
                .collect::<Vec<_>>()
                .join(", "),
        ],
        vec![
            "Actions".into(),
            format!("{} ({})", yes_no(!spec.actions.is_empty()), spec.actions.len()),
        ],
        vec!["Events".into(), format!("{} ({event_count})", yes_no(event_count > 0))],
        vec![
            "Webhook delivery".into(),
            match inbound {
                Some(i) => format!(
                    "Yes (`{}` header, {}{})",
                    i.signature_header,
                    i.signing_algorithm,
                    match (&i.signature, i.scheme) {
                        (Some(_), _) => ", declared signature layout".to_string(),
                        (None, Some(s)) => format!(", {s} scheme"),
                        (None, None) => String::new(),
                    }
                ),
                None => "No".into(),
            },
        ],
        vec![
            "Event samples".into(),
            if samples > 0 {
                format!("Yes ({samples} of {event_count} event types)")
            } else {
                "No".into()
            },
        ],
        vec![
            "Live status".into(),
            match &spec.health_check {
                Some(h) => format!(
                    "Yes (health check `{}`{}, {} ms timeout)",
                    h.method,
                    h.action.as_ref().map(|a| format!(" via `{a}`")).unwrap_or_default(),
                    h.timeout_ms
                ),
                None => "No".into(),
            },
        ],
        vec!["Transports".into(), transports.join(", ")],
    ];
    if let Some(p) = &spec.version_policy {
        let placement = match spec.version_placement() {
            Some(VersionPlacement::Header(h)) => format!("header `{h}`"),
            Some(VersionPlacement::Query(q)) => format!("query `{q}`"),
            Some(VersionPlacement::Path) | None => "path".into(),
        };
        rows.push(vec![
            "API version".into(),
            format!("`{}` ({placement})", p.current_version),
        ]);
    }
    if let Some(r) = spec.constraints.as_ref().and_then(|c| c.rate_limit.as_ref()) {
        rows.push(vec![
            "Rate limit".into(),
            match r.rph {
                Some(h) => format!("{} requests/minute, {h} requests/hour", r.rpm),
                None => format!("{} requests/minute", r.rpm),
            },
        ]);
    }
    table(out, &["Capability", "Value"], &rows);
}

fn connect(out: &mut String, spec: &IntegrationSpec, base_var: &str) {
    let _ = writeln!(out, "## Connect {}\n", spec.meta.title);
    for a in &spec.supported_auth_methods {
        match a {
            AuthMethod::OAuth2(o) => {
                let _ = writeln!(out, "### OAuth 2.0 ({})\n", o.grant_type);
                if o.grant_type == GrantType::AuthorizationCode {
                    let _ = writeln!(
                        out,
                        "The platform redirects the user to the provider's consent page and exchanges the returned \
                         code for tokens, which it stores with the connection. Set the OAuth app's redirect URI to:\n"
                    );
                    code(out, "text", &format!("{{{base_var}}}{}", spec.callback_path()));
                }
                let mut rows = Vec::new();
                if let Some(u) = &o.authorization_url {
                    rows.push(vec!["Authorization URL".into(), u.clone()]);
                }
                rows.push(vec!["Token URL".into(), o.token_url.clone()]);
                if !o.scopes.is_empty() {
                    rows.push(vec![
                        "Scopes".into(),
                        o.scopes.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", "),
                    ]);
                }
                rows.push(vec!["PKCE".into(), yes_no(o.pkce).into()]);
                if let Some(u) = &o.revocation_url {
                    rows.push(vec!["Revocation URL".into(), u.clone()]);
                }
                table(out, &["Setting", "Value"], &rows);
            }
            AuthMethod::ApiKey(k) => {
                let _ = writeln!(out, "### API key\n");
                let placement = match (&k.header_name, &k.query_param) {
                    (Some(h), _) => format!(
                        "the `{h}` header{}",
                        k.prefix.as_ref().map(|p| format!(" as `{p}<key>`")).unwrap_or_default()
                    ),
                    (None, Some(q)) => format!("the `{q}` query parameter"),
                    (None, None) => "the request".into(),
                };
                let _ = writeln!(out, "The key is sent in {placement}.\n");
            }
            AuthMethod::Bearer(_) => {
                let _ = writeln!(
                    out,
                    "### Bearer token\n\nThe token is sent as `Authorization: Bearer <token>`.\n"
                );
            }
            AuthMethod::Basic(_) => {
                let _ = writeln!(
                    out,
                    "### HTTP basic\n\nThe key is sent with HTTP basic authentication.\n"
                );
            }
            AuthMethod::Header(h) => {
                let _ = writeln!(
                    out,
                    "### Header credential\n\nThe credential is sent in the `{}` header.\n",
                    h.header_name
                );
            }
            AuthMethod::ServiceAccount(s) => {
                let _ = writeln!(
                    out,
                    "### Service account\n\nUpload a `{}` service-account credential.\n",
                    s.credential_format
                );
            }
            AuthMethod::WebhookSigning(_) => {}
        }
    }
    if let Some(b) = &spec.byok_setup {
        let _ = writeln!(out, "### Bring your own key\n\n{}\n", b.setup_instructions);
        if !b.provisioning_steps.is_empty() {
            for (i, s) in b.provisioning_steps.iter().enumerate() {
                let _ = writeln!(out, "{}. {s}", i + 1);
            }
            out.push('\n');
        }
        let mut rows = Vec::new();
        if !b.required_scopes.is_empty() {
            rows.push(vec![
                "Required scopes".into(),
                b.required_scopes
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
            ]);
        }
        if let Some(v) = &b.validation_endpoint {
            rows.push(vec!["Validation endpoint".into(), format!("`{v}`")]);
        }
        rows.push(vec!["Key rotation".into(), yes_no(b.key_rotation_supported).into()]);
        rows.push(vec!["Quota tracking".into(), yes_no(b.quota_tracking_supported).into()]);
        table(out, &["Setting", "Value"], &rows);
    }
}

fn deployment(out: &mut String, spec: &IntegrationSpec) {
    let vars = env_vars(spec);
    let _ = writeln!(out, "## Deployment configuration\n");
    if vars.is_empty() {
        let _ = writeln!(
            out,
            "No deployment variables: each connection brings its own credentials.\n"
        );
        return;
    }
    let body: Vec<String> = vars.iter().map(|(k, _)| format!("{k}=")).collect();
    code(out, "sh", &body.join("\n"));
    let rows: Vec<Vec<String>> = vars.iter().map(|(k, v)| vec![format!("`{k}`"), v.clone()]).collect();
    table(out, &["Variable", "Purpose"], &rows);
}

fn fields(out: &mut String, ts: &TypeSchema) {
    let doc = &ts.schema;
    let root = resolve(doc, doc);
    let req = required(root);
    let rows: Vec<Vec<String>> = properties(root)
        .into_iter()
        .map(|(name, s)| {
            let desc = s.get("description").and_then(Value::as_str).unwrap_or("").to_string();
            let secret = s.get("writeOnly").and_then(Value::as_bool) == Some(true);
            vec![
                format!("`{name}`"),
                type_label(s),
                yes_no(req.contains(name)).into(),
                if secret {
                    format!("{desc} (secret, write-only)")
                } else {
                    desc
                },
            ]
        })
        .collect();
    if rows.is_empty() {
        let _ = writeln!(out, "Type: {}.\n", type_label(root));
    } else {
        table(out, &["Field", "Type", "Required", "Description"], &rows);
    }
}

fn example(out: &mut String, ts: &TypeSchema, what: &str) -> Result<(), GenError> {
    if !ts.example.is_null() {
        let _ = writeln!(out, "{what}:\n");
        code(out, "json", &pretty(&write_only(&ts.schema, &ts.schema, &ts.example))?);
    }
    Ok(())
}

fn settings(out: &mut String, spec: &IntegrationSpec) -> Result<(), GenError> {
    let _ = writeln!(out, "## Connection settings\n");
    let _ = writeln!(out, "### Config (`{}`)\n", spec.config.type_name);
    fields(out, &spec.config);
    example(out, &spec.config, "Example")?;
    let _ = writeln!(out, "### Secrets (`{}`)\n", spec.secrets.type_name);
    let _ = writeln!(
        out,
        "Secrets are write-only: they are never returned, logged or shown.\n"
    );
    fields(out, &spec.secrets);
    Ok(())
}

fn permissions(out: &mut String, spec: &IntegrationSpec) {
    let all: BTreeSet<&str> = spec
        .actions
        .iter()
        .flat_map(|a| a.permissions.iter().map(String::as_str))
        .collect();
    if all.is_empty() {
        return;
    }
    let _ = writeln!(out, "## Permissions\n");
    let _ = writeln!(
        out,
        "The provider app or key needs these permissions for the actions below; the provider may reject an \
         action whose permission is missing.\n"
    );
    code(out, "text", &all.into_iter().collect::<Vec<_>>().join("\n"));
    let rows: Vec<Vec<String>> = spec
        .actions
        .iter()
        .map(|a| {
            vec![
                format!("`{}`", a.id),
                if a.permissions.is_empty() {
                    "—".into()
                } else {
                    a.permissions
                        .iter()
                        .map(|p| format!("`{p}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                },
            ]
        })
        .collect();
    table(out, &["Action", "Permissions"], &rows);
}

fn actions(out: &mut String, spec: &IntegrationSpec) -> Result<(), GenError> {
    if spec.actions.is_empty() {
        return Ok(());
    }
    let _ = writeln!(out, "## Actions\n");
    let rows: Vec<Vec<String>> = spec
        .actions
        .iter()
        .map(|a| {
            vec![
                format!("`{}`", a.id),
                format!("`{} {}`", a.method, a.path),
                a.description.clone(),
                yes_no(a.mutates).into(),
                yes_no(a.high_impact).into(),
            ]
        })
        .collect();
    table(
        out,
        &["Action", "Request", "Description", "Mutates", "High impact"],
        &rows,
    );
    if let Some(rest) = spec.rest()
        && let Some(pointer) = &rest.success_pointer
    {
        let _ = writeln!(
            out,
            "A successful HTTP status whose body has `false` at `{pointer}` is a failure{}.\n",
            rest.error_pointer
                .as_deref()
                .map(|e| format!("; the provider's error is at `{e}`"))
                .unwrap_or_default()
        );
    }
    let mutating: Vec<String> = spec
        .actions
        .iter()
        .filter(|a| a.mutates)
        .map(|a| format!("`{}`", a.id))
        .collect();
    if !mutating.is_empty() {
        let _ = writeln!(
            out,
            "{} mutate upstream state. Provide a stable idempotency key when a retry could repeat the write{}.\n",
            mutating.join(", "),
            if spec.actions.iter().any(|a| a.high_impact) {
                ", and ask a person to confirm before high-impact actions"
            } else {
                ""
            }
        );
    }
    for a in &spec.actions {
        let _ = writeln!(out, "### `{}`\n", a.id);
        if !a.description.is_empty() {
            let _ = writeln!(out, "{}\n", a.description);
        }
        let mut facts = vec![
            format!("`{} {}`", a.method, a.path),
            format!("method `{}`", a.method_name),
            format!("input `{}`", a.input.type_name),
            format!("output `{}`", a.output.type_name),
        ];
        facts.push(if a.mutates {
            "mutating".into()
        } else {
            "read-only".into()
        });
        if a.is_idempotent() {
            facts.push("idempotent".into());
        }
        if a.paginated {
            let pagination = spec.rest().and_then(|r| r.pagination.as_ref());
            let items = a
                .items_field
                .as_deref()
                .or(pagination.and_then(|p| p.items_field.as_deref()));
            let each = a
                .item
                .as_ref()
                .map(|t| format!(", each a `{}`", t.type_name))
                .unwrap_or_default();
            facts.push(match items {
                Some(field) => format!("paginated (items in `{field}`{each})"),
                None if each.is_empty() => "paginated".into(),
                None => format!("paginated ({})", each.trim_start_matches(", ")),
            });
        }
        let _ = writeln!(out, "{}.\n", facts.join(" · "));
        fields(out, &a.input);
        example(out, &a.input, "Example input")?;
    }
    Ok(())
}

fn events(out: &mut String, spec: &IntegrationSpec) -> Result<(), GenError> {
    let Some(ev) = &spec.events else { return Ok(()) };
    if ev.types.is_empty() {
        return Ok(());
    }
    let _ = writeln!(out, "## Events\n");
    let _ = writeln!(
        out,
        "Provider events become platform events with the `{}` prefix, after the delivery's signature is \
         verified.\n",
        ev.prefix
    );
    let rows: Vec<Vec<String>> = ev
        .types
        .iter()
        .map(|t| {
            vec![
                format!("`{}{}`", ev.prefix, t.event_type),
                format!("`{}`", t.event_type),
                format!("`{}`", t.payload.type_name),
                t.description.clone(),
            ]
        })
        .collect();
    table(out, &["Event", "Provider type", "Payload", "Description"], &rows);
    if let Some(envelope) = spec.event_envelope() {
        let source = |s: &FieldSource| match s {
            FieldSource::Body(p) => format!("body `{p}`"),
            FieldSource::Header(h) => format!("header `{h}`"),
        };
        let types: Vec<String> = envelope.event_type.iter().map(source).collect();
        let mut parts = vec![
            format!("the id from {}", source(&envelope.id)),
            format!("the provider type from {}", types.join(" + ")),
        ];
        let optional = [
            ("the time", &envelope.created),
            ("the account", &envelope.account),
            ("the live-mode flag", &envelope.livemode),
            ("the object", &envelope.object),
            ("the previous values", &envelope.previous_attributes),
        ];
        parts.extend(
            optional
                .into_iter()
                .filter_map(|(name, s)| s.as_ref().map(|s| format!("{name} from {}", source(s)))),
        );
        if envelope.object.is_none() {
            parts.push("the whole body as the object".into());
        }
        let handshake = match &envelope.handshake {
            Some(h) => format!(
                ", or the URL-verification handshake (a delivery whose {} is `{}`) to answer with its \
                 challenge (`kind: \"url_verification\"`)",
                source(&h.kind),
                h.value
            ),
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "Each delivery is read through the event envelope: {}. Types not listed above are kept as unknown \
             events. In the TypeScript SDK, `receiveWebhook` verifies a delivery and returns the event typed by \
             its provider type (`kind: \"event\"`), an unknown one (`kind: \"unknown\"`){}.\n",
            parts.join(", "),
            handshake
        );
    }
    for t in ev.types.iter().filter(|t| !t.payload.example.is_null()) {
        example(
            out,
            &t.payload,
            &format!("Sample `{}{}` payload", ev.prefix, t.event_type),
        )?;
    }
    Ok(())
}

fn webhook_setup(out: &mut String, spec: &IntegrationSpec, base_var: &str) {
    let Some(inbound) = spec.webhook().and_then(|w| w.inbound.as_ref()) else {
        return;
    };
    let secret_var = spec.deploy_var("WEBHOOK_SECRET");
    let _ = writeln!(out, "## Set up webhook delivery\n");
    let _ = writeln!(
        out,
        "Create a webhook endpoint at the provider that sends the events above to:\n"
    );
    code(out, "text", &format!("{{{base_var}}}{}", spec.webhook_path()));
    let tolerance = spec
        .webhook_tolerance()
        .map(|t| format!(" and its timestamp is within {t} s"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "Copy the endpoint's signing secret into `{secret_var}`. A delivery is accepted only when the `{}` \
         header's {} signature{} matches the raw request body{tolerance}.\n",
        inbound.signature_header,
        inbound.signing_algorithm,
        match (&inbound.signature, inbound.scheme) {
            (Some(layout), _) => format!(" over `{}`", layout.signed_content),
            (None, Some(s)) => format!(" ({s} scheme)"),
            (None, None) => String::new(),
        },
    );
}

fn versions_and_limits(out: &mut String, spec: &IntegrationSpec) {
    if let Some(p) = &spec.version_policy {
        let _ = writeln!(out, "## API versions\n");
        let rows: Vec<Vec<String>> = p
            .supported_versions
            .iter()
            .map(|v| {
                vec![
                    format!(
                        "`{}`{}",
                        v.version,
                        if v.version == p.current_version {
                            " (current)"
                        } else {
                            ""
                        }
                    ),
                    v.status.to_string(),
                    v.released_at.clone().unwrap_or_default(),
                    v.sunset_date.clone().unwrap_or_default(),
                    v.migration_guide.clone().unwrap_or_default(),
                ]
            })
            .collect();
        table(
            out,
            &["Version", "Status", "Released", "Sunset", "Migration guide"],
            &rows,
        );
    }
    if let Some(c) = &spec.constraints
        && !c.quotas.is_empty()
    {
        let _ = writeln!(out, "## Quotas\n");
        let rows: Vec<Vec<String>> = c
            .quotas
            .iter()
            .map(|(k, v)| vec![format!("`{k}`"), v.to_string()])
            .collect();
        table(out, &["Quota", "Amount"], &rows);
    }
}
