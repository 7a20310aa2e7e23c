//! The spec's health check: one cheap authenticated request, no retries, the spec's timeout.

use std::time::Duration;

use serde_json::{Map, Value};

use super::encode::prepare;
use super::error::ClientError;
use super::execute::ExecOptions;
use super::redact::scrub;
use super::rest_client::RestClient;
use super::retry::RetryPolicy;
use spec_core::{Action, HealthCheckMethod, HttpMethod, TypeSchema};

/// Timeout used when the spec declares no health check.
pub const DEFAULT_HEALTH_TIMEOUT: Duration = Duration::from_secs(5);

/// A passed health check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Health {
    /// HTTP status of the check request.
    pub status: u16,
    /// The provider's request id, if sent.
    pub request_id: Option<String>,
    /// What was requested: an action id, or `GET /` for the base URL.
    pub checked: String,
}

impl RestClient {
    /// Runs the spec's `health_check` (method `ping` when none is declared): one attempt bounded by
    /// `timeout_ms`.
    ///
    /// `ping` sends an authenticated GET of the first GET action without path parameters (paginated
    /// ones first, asking for one item), else of the base URL; `list` calls the named (or first
    /// paginated) action for one item; `custom` calls the named action with its input example.
    pub async fn health_check(&self) -> Result<Health, ClientError> {
        self.health_check_unmasked()
            .await
            .map_err(|e| scrub(&self.inner.redactor, e))
    }

    async fn health_check_unmasked(&self) -> Result<Health, ClientError> {
        let inner = &self.inner;
        let spec = inner.spec;
        let (method, timeout, named) = match &spec.health_check {
            Some(h) => (h.method, Duration::from_millis(h.timeout_ms), h.action.as_deref()),
            None => (HealthCheckMethod::Ping, DEFAULT_HEALTH_TIMEOUT, None),
        };
        let opts = ExecOptions {
            retry: RetryPolicy::none(),
            attempt_timeout: timeout,
            total_timeout: timeout,
        };
        let no_path_params = |a: &&Action| a.method == HttpMethod::Get && a.path_params().is_empty();
        let first_paginated = || spec.actions.iter().filter(no_path_params).find(|a| a.paginated);
        let action: Option<&Action> = match method {
            HealthCheckMethod::Ping => first_paginated().or_else(|| spec.actions.iter().find(no_path_params)),
            HealthCheckMethod::List => match named {
                Some(id) => Some(self.action(id)?),
                None => first_paginated(),
            },
            HealthCheckMethod::Custom => match named {
                Some(id) => Some(self.action(id)?),
                None => None,
            },
        };
        let owned;
        let (action, input, checked) = match action {
            Some(a) => {
                let input = if method == HealthCheckMethod::Custom {
                    match &a.input.example {
                        Value::Null => Value::Object(Map::new()),
                        example => example.clone(),
                    }
                } else {
                    let mut m = Map::new();
                    if a.paginated
                        && let Some(limit) = inner.rest.pagination.as_ref().and_then(|p| p.limit_param.as_ref())
                    {
                        m.insert(limit.clone(), Value::from(1));
                    }
                    Value::Object(m)
                };
                (a, input, a.id.clone())
            }
            None if method == HealthCheckMethod::Ping => {
                owned = base_url_action(&spec.meta.key);
                (&owned, Value::Object(Map::new()), "GET /".to_string())
            }
            None => {
                return Err(ClientError::Unsupported {
                    action: format!("{}.health_check", spec.meta.key),
                    message: format!("no action fits the `{method}` health check"),
                });
            }
        };
        let prepared = prepare(&inner.base_url, action, inner.rest.body, input, None)?;
        let raw = inner.execute(action, &prepared, &opts).await?;
        Ok(Health {
            status: raw.status.as_u16(),
            request_id: raw.request_id,
            checked,
        })
    }
}

fn base_url_action(key: &str) -> Action {
    Action {
        id: format!("{key}.health_check"),
        method_name: "health_check".into(),
        method: HttpMethod::Get,
        path: "/".into(),
        input: TypeSchema::named("HealthCheck"),
        output: TypeSchema::named("HealthCheck"),
        mutates: false,
        idempotent: Some(true),
        high_impact: false,
        destructive: None,
        paginated: false,
        items_field: None,
        item: None,
        permissions: Vec::new(),
        description: String::new(),
    }
}
