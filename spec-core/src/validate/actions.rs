use super::{Cx, ErrorCode};
use crate::model::{EventEnvelope, FieldSource, HttpMethod, IntegrationSpec};

fn is_snake_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn is_dotted_lower(s: &str) -> bool {
    !s.is_empty()
        && s.split('.').all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        })
}

/// Property names declared by a JSON Schema object (top level), or `None` when unknown.
pub(crate) fn schema_properties(schema: &serde_json::Value) -> Option<Vec<&str>> {
    schema
        .get("properties")
        .and_then(|p| p.as_object())
        .map(|o| o.keys().map(String::as_str).collect())
}

pub(super) fn check(spec: &IntegrationSpec, cx: &mut Cx) {
    let provider = spec.provider_id();
    let prefix = format!("{provider}.");
    cx.duplicates(
        spec.actions
            .iter()
            .enumerate()
            .map(|(i, a)| (format!("actions[{i}].id"), a.id.as_str())),
        "action id",
    );
    cx.duplicates(
        spec.actions
            .iter()
            .enumerate()
            .map(|(i, a)| (format!("actions[{i}].method_name"), a.method_name.as_str())),
        "method name",
    );
    for (i, a) in spec.actions.iter().enumerate() {
        let path = format!("actions[{i}]");
        let key_ok = super::meta::is_key(&spec.meta.key);
        if key_ok && (!a.id.starts_with(&prefix) || !is_dotted_lower(&a.id) || a.id.split('.').count() < 3) {
            cx.err(
                ErrorCode::ActionIdPrefix,
                format!("{path}.id"),
                format!(
                    "action id `{}` must be `{prefix}<object>.<verb>` in lowercase (the provider prefix comes from meta.key `{}`)",
                    a.id, spec.meta.key
                ),
            );
        }
        if !is_snake_ident(&a.method_name) {
            cx.err(
                ErrorCode::MethodName,
                format!("{path}.method_name"),
                format!("method name `{}` must be a snake_case identifier", a.method_name),
            );
        }
        if !a.path.starts_with('/') || a.path.matches('{').count() != a.path.matches('}').count() {
            cx.err(
                ErrorCode::ActionPath,
                format!("{path}.path"),
                format!(
                    "path `{}` must start with `/` and have balanced `{{param}}` segments",
                    a.path
                ),
            );
        } else {
            for p in a.path_params() {
                if !is_snake_ident(p) {
                    cx.err(
                        ErrorCode::ActionPath,
                        format!("{path}.path"),
                        format!("path parameter `{{{p}}}` must be a snake_case identifier naming a field of the input"),
                    );
                } else if let Some(props) = schema_properties(&a.input.schema)
                    && !props.contains(&p)
                {
                    cx.err(
                        ErrorCode::PathParamMissing,
                        format!("{path}.path"),
                        format!(
                            "path parameter `{p}` is not a field of input type `{}`; add the field",
                            a.input.type_name
                        ),
                    );
                }
            }
        }
        if a.method == HttpMethod::Get && a.mutates {
            cx.err(
                ErrorCode::ActionFlags,
                format!("{path}.mutates"),
                "a GET action cannot mutate; use POST/PUT/PATCH/DELETE or drop `mutates`",
            );
        }
        if a.method != HttpMethod::Get && !a.mutates {
            cx.err(
                ErrorCode::ActionFlags,
                format!("{path}.method"),
                format!("a {} action changes state; declare `mutates: true`", a.method),
            );
        }
        if a.high_impact && !a.mutates {
            cx.err(
                ErrorCode::ActionFlags,
                format!("{path}.high_impact"),
                "only a mutating action can be high-impact",
            );
        }
        if a.destructive == Some(true) && !a.mutates {
            cx.err(
                ErrorCode::ActionFlags,
                format!("{path}.destructive"),
                "only a mutating action can be destructive; declare `mutates: true` or drop `destructive`",
            );
        }
        if a.paginated && a.method != HttpMethod::Get {
            cx.err(
                ErrorCode::ActionFlags,
                format!("{path}.paginated"),
                "only GET actions can be paginated",
            );
        }
        if let Some(field) = &a.items_field {
            if !a.paginated {
                cx.err(
                    ErrorCode::ActionFlags,
                    format!("{path}.items_field"),
                    "`items_field` applies to paginated actions only: set `paginated: true` or remove it",
                );
            }
            cx.non_empty(field, &format!("{path}.items_field"), "the items field");
        }
        if a.item.is_some() && !a.paginated {
            cx.err(
                ErrorCode::ActionFlags,
                format!("{path}.item"),
                "`item` names the element type of a paginated action's pages: set `paginated: true` or remove it",
            );
        }
        cx.non_empty(&a.input.type_name, &format!("{path}.input"), "the input type");
        cx.non_empty(&a.output.type_name, &format!("{path}.output"), "the output type");
        for (j, p) in a.permissions.iter().enumerate() {
            cx.non_empty(p, &format!("{path}.permissions[{j}]"), "a permission");
        }
    }
    if let Some(ev) = &spec.events {
        if super::meta::is_key(&spec.meta.key) && ev.prefix != prefix {
            cx.err(
                ErrorCode::EventType,
                "events.prefix",
                format!("event prefix `{}` must be the provider prefix `{prefix}`", ev.prefix),
            );
        }
        cx.duplicates(
            ev.types
                .iter()
                .enumerate()
                .map(|(i, t)| (format!("events.types[{i}].type"), t.event_type.as_str())),
            "event type",
        );
        if let Some(envelope) = &ev.envelope {
            check_envelope(envelope, cx);
        }
        for (i, t) in ev.types.iter().enumerate() {
            if !is_dotted_lower(&t.event_type) {
                cx.err(
                    ErrorCode::EventType,
                    format!("events.types[{i}].type"),
                    format!(
                        "event type `{}` must be lowercase dotted words (`customer.created`)",
                        t.event_type
                    ),
                );
            }
        }
    }
}

fn check_envelope(envelope: &EventEnvelope, cx: &mut Cx) {
    if envelope.event_type.is_empty() {
        cx.err(
            ErrorCode::EmptyList,
            "events.envelope.type",
            "name at least one source of the event type (`[{\"body\": \"/type\"}]`)",
        );
    }
    for (name, source) in envelope.sources() {
        let path = format!("events.envelope.{name}");
        match source {
            FieldSource::Body(pointer) => super::pointer::check(pointer, &format!("{path}.body"), cx),
            FieldSource::Header(header) => super::pointer::check_header_name(header, &format!("{path}.header"), cx),
        }
    }
    if let Some(h) = &envelope.handshake {
        cx.non_empty(
            &h.value,
            "events.envelope.handshake.value",
            "the handshake's type value",
        );
    }
    for (name, pointer) in [
        ("object_id", &envelope.object_id),
        ("object_type", &envelope.object_type),
    ] {
        if let Some(pointer) = pointer {
            super::pointer::check(pointer, &format!("events.envelope.{name}"), cx);
        }
    }
}
