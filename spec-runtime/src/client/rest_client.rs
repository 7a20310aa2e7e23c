//! The client value: spec, HTTP client, placement of credentials and headers, shared limits.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName};
use serde::Serialize;
use serde::de::DeserializeOwned;
use url::Url;

use super::classify::Classifier;
use super::credential::AuthPlacement;
use super::execute::ExecOptions;
use super::rate_limit::{Limits, RateLimitMode};
use super::redact::Redactor;
use super::redact::scrub;
use super::request::ActionRequest;
use super::retry::RetryPolicy;
use super::{ClientBuilder, ClientError};
use spec_core::{Action, IntegrationSpec, RestTransport};
use spec_core::{ActionDescriptor, Integration};

/// A REST client for one integration and one connection (credential, account, API version).
///
/// Cheap to clone: clones share the HTTP connection pool and the client-side rate limit.
/// `Debug` shows no credential.
#[derive(Clone)]
pub struct RestClient {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) spec: &'static IntegrationSpec,
    pub(crate) rest: &'static RestTransport,
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: Url,
    pub(crate) auth: Option<AuthPlacement>,
    pub(crate) redactor: Redactor,
    pub(crate) api_version: Option<String>,
    pub(crate) version_query: Option<(String, String)>,
    /// Every request's headers: spec default headers, user agent, version header, account header, and
    /// the credential when it goes in a header (its value marked sensitive).
    pub(crate) headers: HeaderMap,
    pub(crate) idempotency_header: Option<HeaderName>,
    /// The spec's rules for reading a response (should-retry header, rate-limit headers, success pointer).
    pub(crate) classifier: Classifier,
    pub(crate) request_id_header: HeaderName,
    /// Longest response body read, in bytes.
    pub(crate) max_response_size: u64,
    pub(crate) options: ExecOptions,
    pub(crate) limits: Option<Limits>,
    pub(crate) limit_mode: RateLimitMode,
}

impl std::fmt::Debug for RestClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let i = &self.inner;
        f.debug_struct("RestClient")
            .field("integration", &i.spec.meta.key)
            .field("base_url", &i.base_url.as_str())
            .field("api_version", &i.api_version)
            .field("auth", &i.auth)
            .field("retry", &i.options.retry)
            .field("attempt_timeout", &i.options.attempt_timeout)
            .field("total_timeout", &i.options.total_timeout)
            .field("rate_limited", &i.limits.is_some())
            .field("max_response_size", &i.max_response_size)
            .finish_non_exhaustive()
    }
}

impl RestClient {
    /// A builder for a client of `spec`.
    pub fn builder(spec: &'static IntegrationSpec) -> ClientBuilder {
        ClientBuilder::new(spec)
    }

    /// The integration's spec.
    pub fn spec(&self) -> &'static IntegrationSpec {
        self.inner.spec
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &Url {
        &self.inner.base_url
    }

    /// The API version sent with every request, if the spec has a version policy.
    pub fn api_version(&self) -> Option<&str> {
        self.inner.api_version.as_deref()
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.options.retry
    }

    /// The per-attempt and overall timeouts.
    pub fn timeouts(&self) -> (Duration, Duration) {
        (self.inner.options.attempt_timeout, self.inner.options.total_timeout)
    }

    /// A typed call of action `A`; set options on the returned request, then `.send().await` it
    /// (or `.await` it directly).
    ///
    /// The action must belong to this client's integration (same key), otherwise sending fails with
    /// [`ClientError::Unsupported`].
    pub fn call<A: ActionDescriptor>(&self, input: &A::Input) -> ActionRequest<'_, A::Output> {
        let action = A::action();
        let other = <A::Integration as Integration>::spec();
        let mut request = self.request(action, input);
        if !std::ptr::eq(other, self.inner.spec) && other.meta.key != self.inner.spec.meta.key {
            request.input = Err(ClientError::Unsupported {
                action: action.id.clone(),
                message: format!(
                    "the action belongs to integration `{}`, this client to `{}`",
                    other.meta.key, self.inner.spec.meta.key
                ),
            });
        }
        request
    }

    /// A call of `action` with any serializable input, decoded as `O` (`serde_json::Value` for raw JSON).
    ///
    /// The input must serialize to a JSON object: `{param}` path segments are taken from its fields
    /// (and removed); for GET and DELETE the other fields form the query string, for other methods the
    /// body, encoded as the spec's REST transport says (bracket-nested form, or JSON).
    pub fn request<O: DeserializeOwned>(
        &self,
        action: &'static Action,
        input: &impl Serialize,
    ) -> ActionRequest<'_, O> {
        let input = serde_json::to_value(input).map_err(|e| ClientError::Encode {
            action: action.id.clone(),
            message: format!("cannot serialize the input: {e}"),
        });
        ActionRequest::new(self, action, input)
    }

    /// Looks up an action of this client's integration.
    pub fn action(&self, action_id: &str) -> Result<&'static Action, ClientError> {
        self.inner.spec.action(action_id).ok_or_else(|| {
            scrub(
                &self.inner.redactor,
                ClientError::UnknownAction {
                    action: action_id.to_string(),
                    integration: self.inner.spec.meta.key.clone(),
                },
            )
        })
    }
}
