use super::{Cx, ErrorCode};
use crate::model::{ApiKeyAuth, AuthMethod, ContentPart, GrantType, IntegrationSpec, Transport};

pub(super) fn check(spec: &IntegrationSpec, cx: &mut Cx) {
    if spec.transports.is_empty() {
        cx.err(
            ErrorCode::EmptyList,
            "transports",
            "declare at least one transport (for example `rest { base_url: … }`)",
        );
    }
    let mut seen = Vec::new();
    for (i, t) in spec.transports.iter().enumerate() {
        let path = format!("transports[{i}]");
        if seen.contains(&t.kind()) {
            cx.err(
                ErrorCode::DuplicateTransport,
                &path,
                format!(
                    "a `{}` transport is already declared; keep one transport per type",
                    t.kind()
                ),
            );
        }
        seen.push(t.kind());
        match t {
            Transport::Rest(r) => {
                cx.url(&r.base_url, &format!("{path}.base_url"));
                for name in r.default_headers.keys() {
                    super::pointer::check_header_name(name, &format!("{path}.default_headers"), cx);
                }
                let headers = [
                    ("api_version_header", &r.api_version_header),
                    ("account_header", &r.account_header),
                    ("idempotency_header", &r.idempotency_header),
                    ("should_retry_header", &r.should_retry_header),
                ];
                for (name, header) in headers {
                    if let Some(header) = header {
                        super::pointer::check_header_name(header, &format!("{path}.{name}"), cx);
                    }
                }
                for (name, pointer) in [
                    ("error_pointer", &r.error_pointer),
                    ("success_pointer", &r.success_pointer),
                ] {
                    if let Some(pointer) = pointer {
                        super::pointer::check(pointer, &format!("{path}.{name}"), cx);
                    }
                }
                if let Some(pointer) = r.pagination.as_ref().and_then(|p| p.next_cursor_pointer.as_ref()) {
                    super::pointer::check(pointer, &format!("{path}.pagination.next_cursor_pointer"), cx);
                }
            }
            Transport::Webhook(w) => {
                if let Some(inb) = &w.inbound {
                    cx.non_empty(
                        &inb.signature_header,
                        &format!("{path}.inbound.signature_header"),
                        "the signature header",
                    );
                    super::signature::check(spec, inb, &format!("{path}.inbound"), cx);
                    if inb.tolerance == Some(0) {
                        cx.err(
                            ErrorCode::NotPositive,
                            format!("{path}.inbound.tolerance"),
                            "tolerance must be at least 1 second",
                        );
                    }
                }
                if let Some(out) = &w.outbound
                    && out.timeout_ms == Some(0)
                {
                    cx.err(
                        ErrorCode::NotPositive,
                        format!("{path}.outbound.timeout_ms"),
                        "timeout_ms must be positive",
                    );
                }
            }
            Transport::Sdk(s) => {
                cx.non_empty(&s.package_name, &format!("{path}.package_name"), "the package name");
                if let Some(v) = &s.min_version {
                    cx.semver(v, &format!("{path}.min_version"));
                }
            }
            Transport::Mcp(m) => {
                use crate::model::McpWire;
                match m.transport {
                    McpWire::Stdio if m.command.is_none() => cx.err(
                        ErrorCode::UnknownReference,
                        format!("{path}.command"),
                        "an stdio MCP transport needs `command`",
                    ),
                    McpWire::Http | McpWire::Sse => match &m.url {
                        Some(u) => cx.url(u, &format!("{path}.url")),
                        None => cx.err(
                            ErrorCode::Url,
                            format!("{path}.url"),
                            "an http/sse MCP transport needs `url`",
                        ),
                    },
                    _ => {}
                }
            }
        }
    }
    if !seen.contains(&spec.preferred_transport) {
        let declared: Vec<&str> = seen.iter().map(|k| k.as_str()).collect();
        cx.err(
            ErrorCode::PreferredTransportUndeclared,
            "preferred_transport",
            format!(
                "preferred transport `{}` is not declared in `transports` (declared: {}); declare it or pick one of those",
                spec.preferred_transport,
                if declared.is_empty() { "none".to_string() } else { declared.join(", ") }
            ),
        );
    }
    auth(spec, cx);
    webhook_signing(spec, cx);
}

fn auth(spec: &IntegrationSpec, cx: &mut Cx) {
    if spec.supported_auth_methods.is_empty() {
        cx.err(
            ErrorCode::EmptyList,
            "supported_auth_methods",
            "declare at least one auth method",
        );
    }
    let mut kinds = Vec::new();
    for (i, a) in spec.supported_auth_methods.iter().enumerate() {
        let path = format!("supported_auth_methods[{i}]");
        if kinds.contains(&a.kind()) {
            cx.err(
                ErrorCode::Duplicate,
                &path,
                format!("auth method `{}` is declared twice; remove one", a.kind()),
            );
        }
        kinds.push(a.kind());
        match a {
            AuthMethod::ApiKey(k) => {
                match (&k.header_name, &k.query_param) {
                    (Some(h), None) => cx.non_empty(h, &format!("{path}.header_name"), "the header name"),
                    (None, Some(q)) => cx.non_empty(q, &format!("{path}.query_param"), "the query parameter"),
                    _ => cx.err(
                        ErrorCode::AuthMethod,
                        &path,
                        "an api-key method needs exactly one of `header_name` and `query_param`",
                    ),
                }
                key_formats(cx, k, &path);
            }
            AuthMethod::OAuth2(o) => {
                cx.url(&o.token_url, &format!("{path}.token_url"));
                match (&o.authorization_url, o.grant_type) {
                    (Some(u), _) => cx.url(u, &format!("{path}.authorization_url")),
                    (None, GrantType::AuthorizationCode | GrantType::DeviceCode) => cx.err(
                        ErrorCode::AuthMethod,
                        format!("{path}.authorization_url"),
                        format!("grant type `{}` needs `authorization_url`", o.grant_type),
                    ),
                    _ => {}
                }
                if let Some(u) = &o.revocation_url {
                    cx.url(u, &format!("{path}.revocation_url"));
                }
                for (j, s) in o.scopes.iter().enumerate() {
                    cx.non_empty(s, &format!("{path}.scopes[{j}]"), "a scope");
                }
            }
            AuthMethod::Header(h) => cx.non_empty(&h.header_name, &format!("{path}.header_name"), "the header name"),
            AuthMethod::WebhookSigning(w) => {
                cx.non_empty(
                    &w.signature_header,
                    &format!("{path}.signature_header"),
                    "the signature header",
                );
                if w.tolerance == Some(0) {
                    cx.err(
                        ErrorCode::NotPositive,
                        format!("{path}.tolerance"),
                        "tolerance must be at least 1 second",
                    );
                }
            }
            AuthMethod::ServiceAccount(s) => cx.non_empty(
                &s.credential_format,
                &format!("{path}.credential_format"),
                "the credential format",
            ),
            AuthMethod::Bearer(_) | AuthMethod::Basic(_) => {}
        }
    }
}

/// A webhook transport with inbound signing ⇔ a webhook-signing auth method with the same header and algorithm.
fn webhook_signing(spec: &IntegrationSpec, cx: &mut Cx) {
    let inbound = spec.transports.iter().enumerate().find_map(|(i, t)| match t {
        Transport::Webhook(w) => Some((i, w.inbound.as_ref())),
        _ => None,
    });
    let signing = spec
        .supported_auth_methods
        .iter()
        .enumerate()
        .find_map(|(i, a)| match a {
            AuthMethod::WebhookSigning(w) => Some((i, w)),
            _ => None,
        });
    match (inbound, signing) {
        (Some((i, Some(_))), None) => cx.err(
            ErrorCode::WebhookSigningMismatch,
            format!("transports[{i}]"),
            "a webhook transport with inbound deliveries needs a `webhook_signing` auth method with the same \
             signature header and algorithm; add one to supported_auth_methods",
        ),
        (None, Some((j, _))) => cx.err(
            ErrorCode::WebhookSigningMismatch,
            format!("supported_auth_methods[{j}]"),
            "a `webhook_signing` auth method needs a `webhook` transport with `inbound`; add the transport or remove the method",
        ),
        (Some((i, None)), Some(_)) => cx.err(
            ErrorCode::WebhookSigningMismatch,
            format!("transports[{i}]"),
            "the webhook transport has no `inbound` block but a `webhook_signing` auth method is declared; add `inbound`",
        ),
        (Some((_, Some(inb))), Some((j, sig))) => {
            if !inb.signature_header.eq_ignore_ascii_case(&sig.signature_header) {
                cx.err(
                    ErrorCode::WebhookSigningMismatch,
                    format!("supported_auth_methods[{j}].signature_header"),
                    format!(
                        "signature header `{}` differs from the webhook transport's `{}`; use the same header",
                        sig.signature_header, inb.signature_header
                    ),
                );
            }
            if inb.signing_algorithm != sig.algorithm {
                cx.err(
                    ErrorCode::WebhookSigningMismatch,
                    format!("supported_auth_methods[{j}].algorithm"),
                    format!(
                        "algorithm `{}` differs from the webhook transport's `{}`; use the same algorithm",
                        sig.algorithm, inb.signing_algorithm
                    ),
                );
            }
            if sig.id_header.is_some()
                && !spec
                    .webhook_signature()
                    .is_some_and(|s| s.layout.signs(&ContentPart::Id))
            {
                cx.err(
                    ErrorCode::WebhookSigningMismatch,
                    format!("supported_auth_methods[{j}].id_header"),
                    "this signature scheme signs no message id; drop `id_header` (it is for Standard Webhooks: \
                     `webhook-id`, or `svix-id` as Svix sends it)",
                );
            }
            if let (Some(a), Some(b)) = (inb.tolerance, sig.tolerance)
                && a != b
            {
                cx.err(
                    ErrorCode::WebhookSigningMismatch,
                    format!("supported_auth_methods[{j}].tolerance"),
                    format!("tolerance {b} s differs from the webhook transport's {a} s; use the same value"),
                );
            }
        }
        _ => {}
    }
}

/// The api-key method's declared key formats: non-empty prefixes, none a prefix of another (a key would
/// match both), and a minimum body length only together with prefixes.
fn key_formats(cx: &mut Cx, k: &ApiKeyAuth, path: &str) {
    for (i, p) in k.key_prefixes.iter().enumerate() {
        let at = format!("{path}.key_prefixes[{i}].prefix");
        if p.prefix.is_empty() {
            cx.err(
                ErrorCode::ApiKeyFormat,
                at,
                "a key prefix is empty; write the literal prefix (`sk_live_`)",
            );
            continue;
        }
        if let Some(other) = k.key_prefixes[..i]
            .iter()
            .find(|o| !o.prefix.is_empty() && (p.prefix.starts_with(&o.prefix) || o.prefix.starts_with(&p.prefix)))
        {
            cx.err(
                ErrorCode::ApiKeyFormat,
                at,
                format!(
                    "key prefix `{}` overlaps `{}`: a key would match both; make each prefix distinct",
                    p.prefix, other.prefix
                ),
            );
        }
    }
    if k.key_min_body.is_some() && k.key_prefixes.is_empty() {
        cx.err(
            ErrorCode::ApiKeyFormat,
            format!("{path}.key_min_body"),
            "`key_min_body` counts the characters after a prefix; declare `key_prefixes` or remove it",
        );
    }
}
