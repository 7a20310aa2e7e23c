//! `typescript/<provider>/webhooks.ts`: event types, signature verification for the spec's scheme, and
//! `receiveWebhook`, which builds the typed event from the spec's event envelope.

use std::fmt::Write as _;

use spec_core::{
    ContentPart, EventEnvelope, FieldSource, HeaderFormat, IntegrationSpec, SecretEncoding, SignatureEncoding,
    SignatureScheme, WebhookSignature,
};

use super::types::comment;
use crate::names::{js_string, pascal};
/// `webhooks.ts`, when the provider delivers signed webhooks.
pub(super) fn webhooks(spec: &IntegrationSpec, events: &[(&str, String, &str)]) -> Option<String> {
    let inbound = spec.webhook()?.inbound.as_ref()?;
    let p = pascal(spec.provider_id());
    let scheme = spec.webhook_scheme();
    let signature = spec.webhook_signature();
    let layout = signature.as_ref().and_then(layout_literal);
    let (tolerance, tolerance_doc) = match spec.webhook_tolerance() {
        Some(t) => (t, "Accepted clock skew in seconds."),
        None => (0, "Accepted clock skew in seconds; 0: the scheme signs no timestamp."),
    };
    let prefix = spec.event_prefix();
    let prefix = prefix.as_str();
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
                match (scheme, &inbound.signature) {
                    (_, Some(_)) => ", declared signature layout".to_string(),
                    (Some(s), None) => format!(", {s} scheme"),
                    (None, None) => String::new(),
                }
            ),
        ],
        "",
    );
    let envelope = spec.event_envelope();
    let mut imports = vec!["payloadText"];
    let mut type_imports = vec!["HeadersLike", "VerifyOptions"];
    if layout.is_some() {
        imports.push("verifyLayout");
        type_imports.push("SignatureLayout");
    } else {
        imports.push("WebhookVerificationError");
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
    if let Some(layout) = &layout {
        let _ = writeln!(
            out,
            "/** How deliveries are signed (the spec's signature layout). */\nexport const SIGNATURE_LAYOUT: SignatureLayout = {layout};\n"
        );
    }
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

    let check = match &layout {
        None => format!(
            "  void payload;\n  void headers;\n  void secrets;\n  void options;\n  \
             throw new WebhookVerificationError(\"{} signatures are not supported by this SDK: the spec names no \
             signature scheme or layout\");",
            inbound.signing_algorithm
        ),
        Some(_) => "  await verifyLayout(SIGNATURE_LAYOUT, payload, headers, secrets, options);".to_string(),
    };
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

/// The signature layout as a TypeScript `SignatureLayout` literal; `None` when its signed content does not
/// parse (a spec the validator refuses).
fn layout_literal(sig: &WebhookSignature) -> Option<String> {
    let layout = &sig.layout;
    let content: Vec<String> = layout
        .content()
        .ok()?
        .iter()
        .map(|p| match p {
            ContentPart::Text(t) => format!("{{ text: {} }}", js_string(t)),
            ContentPart::Body => js_string("body"),
            ContentPart::Timestamp => js_string("timestamp"),
            ContentPart::Id => js_string("id"),
            ContentPart::Url => js_string("url"),
        })
        .collect();
    let format = match &layout.format {
        HeaderFormat::Prefixed { prefix } => format!("{{ style: \"prefixed\", prefix: {} }}", js_string(prefix)),
        HeaderFormat::Items {
            separator,
            signature_key,
            timestamp_key,
        } => format!(
            "{{ style: \"items\", separator: {}, signatureKey: {}{} }}",
            js_string(separator),
            js_string(signature_key),
            timestamp_key
                .as_ref()
                .map(|k| format!(", timestampKey: {}", js_string(k)))
                .unwrap_or_default()
        ),
        HeaderFormat::Versioned { version } => format!("{{ style: \"versioned\", version: {} }}", js_string(version)),
    };
    let mut fields = vec![
        format!("  algorithm: {},", js_string(sig.algorithm.as_str())),
        format!(
            "  signatureHeader: {},",
            js_string(&sig.signature_header.to_ascii_lowercase())
        ),
        format!("  content: [{}],", content.join(", ")),
        format!(
            "  encoding: {},",
            js_string(match layout.encoding {
                SignatureEncoding::Hex => "hex",
                SignatureEncoding::Base64 => "base64",
            })
        ),
        format!("  format: {format},"),
    ];
    if let Some(h) = &layout.timestamp_header {
        fields.push(format!("  timestampHeader: {},", js_string(&h.to_ascii_lowercase())));
    }
    if let Some(h) = &layout.id_header {
        fields.push(format!("  idHeader: {},", js_string(&h.to_ascii_lowercase())));
    }
    fields.push(format!("  tolerance: {},", sig.tolerance.unwrap_or(0)));
    let encoding = match layout.secret.encoding {
        SecretEncoding::Raw => "raw",
        SecretEncoding::Base64 => "base64",
    };
    fields.push(format!(
        "  secret: {{ encoding: {}{} }},",
        js_string(encoding),
        layout
            .secret
            .prefix
            .as_ref()
            .map(|p| format!(", prefix: {}", js_string(p)))
            .unwrap_or_default()
    ));
    Some(format!("{{\n{}\n}}", fields.join("\n")))
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
