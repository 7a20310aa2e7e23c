//! Scrubbing a [`ClientError`] with the connection's [`Redactor`] before it leaves the client.
//!
//! Every public call returns its error through [`scrub`], which masks each text field of every variant,
//! so `Display` and `Debug` (both derived from the fields) show no credential, whatever produced the
//! text: a provider message, a transport error, a decoder quoting a field's value, a schema violation.
//! The match names every field of every variant: a new field cannot be added without deciding here.

pub(crate) use crate::redact::Redactor;

use super::error::{ApiError, ClientError, ProviderError};

/// `error` with every credential value masked.
pub(crate) fn scrub(r: &Redactor, error: ClientError) -> ClientError {
    if r.is_empty() {
        return error;
    }
    let t = |mut s: String| {
        r.in_place(&mut s);
        s
    };
    let opt = |s: Option<String>| s.map(t);
    match error {
        ClientError::Api(api) => ClientError::Api(Box::new(scrub_api(r, *api))),
        ClientError::Connection {
            action,
            attempts,
            message,
        } => ClientError::Connection {
            action: t(action),
            attempts,
            message: t(message),
        },
        ClientError::Timeout {
            action,
            attempts,
            scope,
        } => ClientError::Timeout {
            action: t(action),
            attempts,
            scope,
        },
        ClientError::Decode {
            action,
            status,
            request_id,
            attempts,
            message,
        } => ClientError::Decode {
            action: t(action),
            status,
            request_id: opt(request_id),
            attempts,
            message: t(message),
        },
        ClientError::ResponseTooLarge {
            action,
            status,
            limit,
            attempts,
        } => ClientError::ResponseTooLarge {
            action: t(action),
            status,
            limit,
            attempts,
        },
        ClientError::InvalidInput { action, violations } => ClientError::InvalidInput {
            action: t(action),
            violations: violations
                .into_iter()
                .map(|mut v| {
                    r.in_place(&mut v.instance_path);
                    r.in_place(&mut v.message);
                    v
                })
                .collect(),
        },
        ClientError::MissingPathParam { action, param } => ClientError::MissingPathParam {
            action: t(action),
            param: t(param),
        },
        ClientError::Encode { action, message } => ClientError::Encode {
            action: t(action),
            message: t(message),
        },
        ClientError::InvalidIdempotencyKey { action, header } => ClientError::InvalidIdempotencyKey {
            action: t(action),
            header,
        },
        ClientError::UnknownAction { action, integration } => ClientError::UnknownAction {
            action: t(action),
            integration: t(integration),
        },
        ClientError::RateLimited { action, retry_in } => ClientError::RateLimited {
            action: t(action),
            retry_in,
        },
        ClientError::Pagination { action, message } => ClientError::Pagination {
            action: t(action),
            message: t(message),
        },
        ClientError::Unsupported { action, message } => ClientError::Unsupported {
            action: t(action),
            message: t(message),
        },
    }
}

fn scrub_api(r: &Redactor, api: ApiError) -> ApiError {
    let t = |s: Option<String>| {
        s.map(|mut s| {
            r.in_place(&mut s);
            s
        })
    };
    let ApiError {
        mut action,
        status,
        error,
        body_excerpt,
        request_id,
        attempts,
        retry_after,
    } = api;
    r.in_place(&mut action);
    ApiError {
        action,
        status,
        error: error.map(|e| {
            let ProviderError {
                kind,
                code,
                message,
                param,
                raw,
            } = e;
            ProviderError {
                kind: t(kind),
                code: t(code),
                message: t(message),
                param: t(param),
                raw: r.json(raw),
            }
        }),
        body_excerpt: t(body_excerpt),
        request_id: t(request_id),
        attempts,
        retry_after,
    }
}

#[cfg(test)]
mod tests {
    use spec_core::SchemaViolation;
    use spec_core::Secret;

    use super::*;

    const KEY: &str = "sk_test_SCRUBME";

    #[test]
    fn every_text_field_is_masked() {
        let r = Redactor::new([Secret::new(KEY)]);
        let errors = [
            ClientError::Decode {
                action: "a".into(),
                status: 200,
                request_id: Some(KEY.into()),
                attempts: 1,
                message: format!("invalid type: string \"{KEY}\", expected u32"),
            },
            ClientError::InvalidInput {
                action: "a".into(),
                violations: vec![SchemaViolation {
                    instance_path: format!("/{KEY}"),
                    message: format!("\"{KEY}\" is not of type integer"),
                }],
            },
            ClientError::Api(Box::new(ApiError {
                action: "a".into(),
                status: 400,
                error: ProviderError::from_value(serde_json::json!({"message": KEY, "extra": [KEY]})),
                body_excerpt: Some(KEY.into()),
                request_id: None,
                attempts: 1,
                retry_after: None,
            })),
            ClientError::Connection {
                action: "a".into(),
                attempts: 1,
                message: KEY.into(),
            },
            ClientError::Pagination {
                action: "a".into(),
                message: KEY.into(),
            },
            ClientError::Unsupported {
                action: KEY.into(),
                message: KEY.into(),
            },
        ];
        for e in errors {
            assert!(format!("{e:?}").contains(KEY), "the case carries the key");
            let e = scrub(&r, e);
            for text in [e.to_string(), format!("{e:?}")] {
                assert!(!text.contains("SCRUBME"), "{text}");
            }
            assert!(format!("{e:?}").contains("[REDACTED]"), "{e:?}");
        }
    }
}
