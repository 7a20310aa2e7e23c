//! The webhook signature layout: a declared `signature` block, or a named scheme with the spec's algorithm,
//! header overrides and tolerance.

use super::{Cx, ErrorCode};
use crate::model::{
    ContentPart, HeaderFormat, InboundWebhook, IntegrationSpec, SecretEncoding, SignatureLayout, SigningAlgorithm,
};

/// Checks the layout of the inbound block at `path` (`transports[1].inbound`).
pub(super) fn check(spec: &IntegrationSpec, inbound: &InboundWebhook, path: &str, cx: &mut Cx) {
    let code = ErrorCode::WebhookSignatureLayout;
    if let Some(declared) = &inbound.signature {
        declared_layout(declared, inbound, &format!("{path}.signature"), cx);
        if let Some((j, signing)) = spec
            .supported_auth_methods
            .iter()
            .enumerate()
            .find_map(|(j, a)| match a {
                crate::AuthMethod::WebhookSigning(w) => Some((j, w)),
                _ => None,
            })
        {
            for (name, declared, auth) in [
                (
                    "timestamp_header",
                    &declared.timestamp_header,
                    &signing.timestamp_header,
                ),
                ("id_header", &declared.id_header, &signing.id_header),
            ] {
                if let (Some(d), Some(a)) = (declared, auth)
                    && !d.eq_ignore_ascii_case(a)
                {
                    cx.err(
                        code,
                        format!("supported_auth_methods[{j}].{name}"),
                        format!(
                            "`{a}` differs from the signature layout's `{d}`; use the same header or drop this one"
                        ),
                    );
                }
            }
        }
    } else if let Some(scheme) = spec.webhook_scheme()
        && !scheme.supports(inbound.signing_algorithm)
    {
        cx.err(
            code,
            format!("{path}.signing_algorithm"),
            format!(
                "the `{scheme}` scheme does not sign with `{}`; use `hmac_sha256`{}{}",
                inbound.signing_algorithm,
                if scheme == crate::SignatureScheme::Github {
                    " or `hmac_sha1`"
                } else {
                    ""
                },
                if inbound.signing_algorithm == SigningAlgorithm::Ed25519 {
                    " (Ed25519 `v1a` signatures are Standard Webhooks': `scheme: standard_webhooks`, or declare a \
                     `signature` layout with base64 keys)"
                } else {
                    ""
                }
            ),
        );
    }
    let Some(effective) = spec.webhook_signature() else {
        return;
    };
    // A preset's tolerance without a timestamp (GitHub) is ignored, as it always was; a declared layout's is
    // a mistake.
    if inbound.signature.is_some() && effective.tolerance.is_some() && !effective.layout.has_timestamp() {
        let at = if inbound.tolerance.is_some() {
            format!("{path}.tolerance")
        } else {
            path.to_string()
        };
        cx.err(
            code,
            at,
            "a tolerance is declared but no timestamp is signed; drop `tolerance` or sign a timestamp",
        );
    }
}

fn declared_layout(layout: &SignatureLayout, inbound: &InboundWebhook, path: &str, cx: &mut Cx) {
    let code = ErrorCode::WebhookSignatureLayout;
    if let Some(scheme) = inbound.scheme {
        cx.err(
            code,
            path,
            format!("both `scheme: {scheme}` and a `signature` layout are declared; keep one (the layout replaces the preset)"),
        );
    }
    let content_path = format!("{path}.signed_content");
    match layout.content() {
        Err(e) => cx.err(code, &content_path, format!("`{}`: {e}", layout.signed_content)),
        Ok(content) => {
            let has_ts = layout.has_timestamp();
            if content.contains(&ContentPart::Timestamp) && !has_ts {
                cx.err(
                    code,
                    &content_path,
                    "`{timestamp}` is signed but no timestamp travels with deliveries; set `timestamp_header`, or \
                     `timestamp_key` of an `items` format",
                );
            }
            if has_ts && !content.contains(&ContentPart::Timestamp) {
                cx.err(
                    code,
                    &content_path,
                    "a timestamp travels with deliveries but is not signed, so it could be replaced; add \
                     `{timestamp}` to signed_content",
                );
            }
            if content.contains(&ContentPart::Id) && layout.id_header.is_none() {
                cx.err(
                    code,
                    format!("{path}.id_header"),
                    "`{id}` is signed but no id header is named; set `id_header` (`webhook-id`)",
                );
            }
            if layout.id_header.is_some() && !content.contains(&ContentPart::Id) {
                cx.err(
                    code,
                    format!("{path}.id_header"),
                    "an id header is named but `{id}` is not signed; add `{id}` to signed_content or drop `id_header`",
                );
            }
        }
    }
    if let Some(t) = &layout.timestamp_header {
        super::pointer::check_header_name(t, &format!("{path}.timestamp_header"), cx);
        if layout.timestamp_item().is_some() {
            cx.err(
                code,
                format!("{path}.timestamp_header"),
                "the timestamp is both a header and an item (`timestamp_key`); keep one",
            );
        }
    }
    if let Some(h) = &layout.id_header {
        super::pointer::check_header_name(h, &format!("{path}.id_header"), cx);
    }
    let format_path = format!("{path}.format");
    match &layout.format {
        HeaderFormat::Prefixed { .. } => {}
        HeaderFormat::Items {
            separator,
            signature_key,
            timestamp_key,
        } => {
            if separator.is_empty() || separator.contains('=') {
                cx.err(
                    code,
                    format!("{format_path}.separator"),
                    "the item separator must be non-empty text without `=` (`,` or `;`)",
                );
            }
            for (name, key) in [
                ("signature_key", Some(signature_key)),
                ("timestamp_key", timestamp_key.as_ref()),
            ] {
                if let Some(key) = key
                    && (key.is_empty()
                        || key.contains('=')
                        || (!separator.is_empty() && key.contains(separator.as_str())))
                {
                    cx.err(
                        code,
                        format!("{format_path}.{name}"),
                        "an item key must be non-empty text without `=` or the separator (`v1`, `t`)",
                    );
                }
            }
            if timestamp_key.as_ref() == Some(signature_key) {
                cx.err(
                    code,
                    format!("{format_path}.timestamp_key"),
                    "the timestamp key equals the signature key; give them different keys",
                );
            }
        }
        HeaderFormat::Versioned { version } => {
            if version.is_empty() || version.contains(',') || version.contains(char::is_whitespace) {
                cx.err(
                    code,
                    format!("{format_path}.version"),
                    "the version must be non-empty text without `,` or blanks (`v1`)",
                );
            }
        }
    }
    if layout.secret.prefix.is_some() && layout.secret.encoding == SecretEncoding::Raw {
        cx.err(
            code,
            format!("{path}.secret.prefix"),
            "a prefix is removed before base64 decoding only; set `encoding: base64` or drop `prefix` (a raw \
             secret is used as written, prefix included)",
        );
    }
    if !layout.supports(inbound.signing_algorithm) {
        cx.err(
            code,
            format!("{path}.secret.encoding"),
            "Ed25519 public keys are base64 (`whpk_` + base64 of 32 bytes); set `secret: { encoding: base64, \
             prefix: \"whpk_\" }`",
        );
    }
}
