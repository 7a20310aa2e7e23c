//! Errors of the REST client: building it, and calling actions.

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderName;
use spec_core::AuthKind;
use spec_core::SchemaViolation;

/// Why a [`RestClient`](super::RestClient) could not be built. Never contains a credential value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The spec declares no REST transport.
    #[error("integration `{integration}` declares no rest transport")]
    NoRestTransport {
        /// Integration key.
        integration: String,
    },
    /// The base URL does not parse or cannot carry a path.
    #[error("base URL `{url}` is not usable: {reason}")]
    InvalidBaseUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The credential's kind has no matching auth method in the spec.
    #[error(
        "integration `{integration}` has no auth method for a {credential} credential; it accepts: {}",
        supported.join(", ")
    )]
    NoMatchingAuthMethod {
        /// Integration key.
        integration: String,
        /// Kind of the credential given (`api key`, `bearer token` …).
        credential: &'static str,
        /// Auth method types the spec declares.
        supported: Vec<String>,
    },
    /// The connection's secrets hold no credential for the chosen auth method.
    #[error(
        "the secrets of `{integration}` hold no credential for the `{auth}` auth method; choose another auth method"
    )]
    NoCredentialForAuth {
        /// Integration key.
        integration: String,
        /// The auth method asked for.
        auth: AuthKind,
    },
    /// The credential cannot be placed in an HTTP header (control characters, for example).
    #[error(
        "the {credential} credential cannot be sent in header `{header}`: it contains characters not allowed there"
    )]
    InvalidCredential {
        /// Kind of the credential.
        credential: &'static str,
        /// Header it was meant for.
        header: HeaderName,
    },
    /// An API version was requested but the spec has no version policy.
    #[error("integration `{integration}` has no version policy, so API version `{version}` cannot be pinned")]
    NoVersionPolicy {
        /// Integration key.
        integration: String,
        /// The version requested.
        version: String,
    },
    /// The requested API version is not in the spec's supported versions.
    #[error("API version `{version}` is not supported; supported versions: {}", supported.join(", "))]
    UnsupportedApiVersion {
        /// The version requested.
        version: String,
        /// Versions that may be pinned (not sunset).
        supported: Vec<String>,
    },
    /// The requested API version is sunset.
    #[error("API version `{version}` is sunset; supported versions: {}", supported.join(", "))]
    SunsetApiVersion {
        /// The version requested.
        version: String,
        /// Versions that may be pinned (not sunset).
        supported: Vec<String>,
    },
    /// An account was given but the spec's REST transport has no `account_header`.
    #[error("integration `{integration}` declares no account_header, so requests cannot act for account `{account}`")]
    NoAccountHeader {
        /// Integration key.
        integration: String,
        /// The account requested.
        account: String,
    },
    /// A header name or value from the spec or the builder is not valid HTTP.
    #[error("header `{name}` is not valid: {reason}")]
    InvalidHeader {
        /// Header name, as given (it may not be a valid name).
        name: String,
        /// What is wrong.
        reason: HeaderProblem,
    },
    /// A rate limit is not positive, or `rph` is below `rpm`.
    #[error("invalid rate limit: {0}")]
    InvalidRateLimit(RateLimitProblem),
    /// The HTTP client could not be created.
    #[error("cannot create the HTTP client: {0}")]
    Http(String),
}

/// What is wrong with a header of the spec or the builder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum HeaderProblem {
    /// The name is not a valid HTTP header name.
    #[error("not a valid HTTP header name")]
    InvalidName,
    /// The value holds characters not allowed in an HTTP header value.
    #[error("the value holds characters not allowed in a header")]
    InvalidValue,
}

/// What is wrong with a rate limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RateLimitProblem {
    /// `rpm` is zero.
    #[error("rpm must be positive")]
    ZeroRpm,
    /// `rph` is zero.
    #[error("rph must be positive")]
    ZeroRph,
    /// `rph` is below `rpm`.
    #[error("rph ({rph}) must be at least rpm ({rpm})")]
    RphBelowRpm {
        /// Requests per minute.
        rpm: u32,
        /// Requests per hour.
        rph: u32,
    },
}

/// Which timeout expired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutScope {
    /// One attempt took longer than the per-attempt timeout (and no retry was allowed or left).
    Attempt,
    /// The call, retries included, took longer than the overall timeout.
    Total,
}

impl fmt::Display for TimeoutScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeoutScope::Attempt => "per-attempt timeout",
            TimeoutScope::Total => "overall timeout",
        })
    }
}

/// The provider's error object, read at the REST transport's `error_pointer` (`/error`).
///
/// Strings are taken from the response with any credential value masked.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProviderError {
    /// The error's `type` (`invalid_request_error`).
    pub kind: Option<String>,
    /// The error's `code` (`resource_missing`).
    pub code: Option<String>,
    /// The error's `message`.
    pub message: Option<String>,
    /// The parameter the error is about (`param`).
    pub param: Option<String>,
    /// The whole error object, every other field kept (`doc_url`, `decline_code` …).
    pub raw: serde_json::Value,
}

impl ProviderError {
    /// Reads the conventional fields out of an error object; a bare string (`"error": "not_found"`)
    /// becomes the `code`. `None` for anything else.
    pub fn from_value(raw: serde_json::Value) -> Option<Self> {
        if let serde_json::Value::String(code) = &raw {
            return Some(
                Self {
                    code: Some(code.clone()),
                    ..Self::default()
                }
                .with_raw(raw),
            );
        }
        let obj = raw.as_object()?;
        let field = |name: &str| match obj.get(name) {
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(serde_json::Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        Some(Self {
            kind: field("type"),
            code: field("code"),
            message: field("message"),
            param: field("param"),
            raw,
        })
    }

    fn with_raw(mut self, raw: serde_json::Value) -> Self {
        self.raw = raw;
        self
    }
}

/// An error status from the provider.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// Action id.
    pub action: String,
    /// HTTP status.
    pub status: u16,
    /// The provider's error object, when the body held one.
    pub error: Option<ProviderError>,
    /// The start of the body (at most 512 characters, credentials masked) when it held no error object.
    pub body_excerpt: Option<String>,
    /// The provider's request id, from the configured request-id header.
    pub request_id: Option<String>,
    /// Attempts made, the last one included.
    pub attempts: u32,
    /// The wait the provider asked for with `Retry-After`, else the time until its quota resets when the spec's
    /// `rate_limit_headers` report it spent (GitHub's `X-RateLimit-Remaining: 0` + `X-RateLimit-Reset`).
    pub retry_after: Option<Duration>,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: the provider answered HTTP {}", self.action, self.status)?;
        if let Some(e) = &self.error {
            let label: Vec<&str> = [e.kind.as_deref(), e.code.as_deref()].into_iter().flatten().collect();
            if !label.is_empty() {
                write!(f, " ({})", label.join("/"))?;
            }
            if let Some(m) = &e.message {
                write!(f, ": {m}")?;
            }
            if let Some(p) = &e.param {
                write!(f, " [param `{p}`]")?;
            }
        } else if let Some(b) = &self.body_excerpt {
            write!(f, ": {b}")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request {id}]")?;
        }
        write!(f, " after {} attempt{}", self.attempts, plural(self.attempts))
    }
}

fn plural(n: u32) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Why an action call failed. Never contains a credential value.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// The provider answered with an error status.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// The provider could not be reached, or the connection failed mid-request.
    #[error("{action}: could not reach the provider after {attempts} attempt{}: {message}", plural(*attempts))]
    Connection {
        /// Action id.
        action: String,
        /// Attempts made.
        attempts: u32,
        /// What failed (no URL, no credential).
        message: String,
    },
    /// A timeout expired.
    #[error("{action}: {scope} expired after {attempts} attempt{}", plural(*attempts))]
    Timeout {
        /// Action id.
        action: String,
        /// Attempts made (started).
        attempts: u32,
        /// Which timeout.
        scope: TimeoutScope,
    },
    /// A successful response could not be decoded into the output type.
    #[error("{action}: cannot decode the response (HTTP {status}): {message}")]
    Decode {
        /// Action id.
        action: String,
        /// HTTP status.
        status: u16,
        /// The provider's request id.
        request_id: Option<String>,
        /// Attempts made.
        attempts: u32,
        /// What did not match.
        message: String,
    },
    /// A response body was larger than the client's limit
    /// ([`ClientBuilder::max_response_size`](super::ClientBuilder::max_response_size)); reading stopped there.
    #[error(
        "{action}: the response (HTTP {status}) is larger than the limit of {limit} bytes; stopped reading after {attempts} attempt{}",
        plural(*attempts)
    )]
    ResponseTooLarge {
        /// Action id.
        action: String,
        /// HTTP status of the response.
        status: u16,
        /// The limit, in bytes.
        limit: u64,
        /// Attempts made.
        attempts: u32,
    },
    /// The input does not satisfy the action's input schema; nothing was sent.
    #[error("{action}: invalid input: {}", violations.iter().map(|v| v.message.as_str()).collect::<Vec<_>>().join("; "))]
    InvalidInput {
        /// Action id.
        action: String,
        /// Every violation, each naming the field (`/currency`).
        violations: Vec<SchemaViolation>,
    },
    /// A `{param}` of the action's path is missing from the input; nothing was sent.
    #[error("{action}: the input has no value for path parameter `{param}`")]
    MissingPathParam {
        /// Action id.
        action: String,
        /// Parameter name.
        param: String,
    },
    /// The input could not be encoded as the spec's body or query encoding; nothing was sent.
    #[error("{action}: cannot encode the request: {message}")]
    Encode {
        /// Action id.
        action: String,
        /// What failed.
        message: String,
    },
    /// The idempotency key holds characters not allowed in a header; nothing was sent.
    #[error("{action}: the idempotency key contains characters not allowed in header `{header}`")]
    InvalidIdempotencyKey {
        /// Action id.
        action: String,
        /// The spec's idempotency header.
        header: HeaderName,
    },
    /// No action with this id in the integration.
    #[error("integration `{integration}` has no action `{action}`")]
    UnknownAction {
        /// Action id asked for.
        action: String,
        /// Integration key.
        integration: String,
    },
    /// The client-side rate limit is exhausted and the client is set to fail fast; nothing was sent.
    #[error("{action}: client-side rate limit reached; the next request is allowed in {}ms", retry_in.as_millis())]
    RateLimited {
        /// Action id.
        action: String,
        /// How long until a request would be allowed.
        retry_in: Duration,
    },
    /// Auto-paging could not continue (no id on the last item, a next link to another origin …).
    #[error("{action}: cannot fetch the next page: {message}")]
    Pagination {
        /// Action id.
        action: String,
        /// What is wrong.
        message: String,
    },
    /// The action cannot be called through this client (not paginated, no REST method …).
    #[error("{action}: {message}")]
    Unsupported {
        /// Action id.
        action: String,
        /// Why.
        message: String,
    },
}

impl ClientError {
    /// The HTTP status of an [`Api`](ClientError::Api), [`Decode`](ClientError::Decode) or
    /// [`ResponseTooLarge`](ClientError::ResponseTooLarge) error.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Api(e) => Some(e.status),
            ClientError::Decode { status, .. } | ClientError::ResponseTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The provider's error object, if the provider sent one.
    pub fn provider_error(&self) -> Option<&ProviderError> {
        match self {
            ClientError::Api(e) => e.error.as_ref(),
            _ => None,
        }
    }

    /// The provider's request id, if known.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            ClientError::Api(e) => e.request_id.as_deref(),
            ClientError::Decode { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// Attempts made before the call failed (0 when nothing was sent).
    pub fn attempts(&self) -> u32 {
        match self {
            ClientError::Api(e) => e.attempts,
            ClientError::Connection { attempts, .. }
            | ClientError::Timeout { attempts, .. }
            | ClientError::Decode { attempts, .. }
            | ClientError::ResponseTooLarge { attempts, .. } => *attempts,
            _ => 0,
        }
    }

    /// Whether the error happened before anything was sent to the provider.
    pub fn is_local(&self) -> bool {
        matches!(
            self,
            ClientError::InvalidInput { .. }
                | ClientError::MissingPathParam { .. }
                | ClientError::Encode { .. }
                | ClientError::InvalidIdempotencyKey { .. }
                | ClientError::UnknownAction { .. }
                | ClientError::RateLimited { .. }
                | ClientError::Unsupported { .. }
        )
    }
}
