//! Building a [`RestClient`] for one connection.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, USER_AGENT};
use url::Url;

use super::body::DEFAULT_MAX_RESPONSE_SIZE;
use super::classify::Classifier;
use super::credential::{AuthPlacement, Credential, place};
use super::error::{BuildError, HeaderProblem};
use super::execute::ExecOptions;
use super::rate_limit::{Limits, RateLimitMode};
use super::redact::Redactor;
use super::rest_client::{Inner, RestClient};
use super::retry::RetryPolicy;
use super::server_delay::QuotaHeaders;
use spec_core::{IntegrationSpec, RateLimit, RateLimitHeaders, VersionPlacement, VersionStatus};

#[derive(Debug, Clone)]
enum RateLimitSetting {
    FromSpec,
    Override(RateLimit),
    Off,
}

/// Builds a [`RestClient`]: credential, base URL and API version overrides, account, timeouts, retries,
/// rate limit. Everything not set comes from the spec.
#[derive(Debug, Clone)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct ClientBuilder {
    spec: &'static IntegrationSpec,
    credential: Option<Credential>,
    base_url: Option<String>,
    api_version: Option<String>,
    account: Option<String>,
    retry: RetryPolicy,
    attempt_timeout: Duration,
    total_timeout: Duration,
    connect_timeout: Duration,
    rate_limit: RateLimitSetting,
    rate_limit_mode: RateLimitMode,
    http: Option<reqwest::Client>,
    request_id_header: String,
    user_agent: Option<String>,
    max_response_size: u64,
}

impl ClientBuilder {
    /// A builder for `spec` with the defaults: no credential, the spec's base URL and current API
    /// version, 2 retries, 30 s per attempt, 120 s overall, 10 s to connect, the spec's rate limit
    /// (waiting when exhausted), request ids read from `Request-Id`, response bodies of at most
    /// [`DEFAULT_MAX_RESPONSE_SIZE`] (16 MiB).
    pub fn new(spec: &'static IntegrationSpec) -> Self {
        Self {
            spec,
            credential: None,
            base_url: None,
            api_version: None,
            account: None,
            retry: RetryPolicy::default(),
            attempt_timeout: Duration::from_secs(30),
            total_timeout: Duration::from_secs(120),
            connect_timeout: Duration::from_secs(10),
            rate_limit: RateLimitSetting::FromSpec,
            rate_limit_mode: RateLimitMode::Wait,
            http: None,
            request_id_header: "Request-Id".into(),
            user_agent: None,
            max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
        }
    }

    /// The spec this builder builds a client for.
    pub fn spec(&self) -> &'static IntegrationSpec {
        self.spec
    }

    /// The credential, placed as the spec's matching auth method says.
    pub fn credential(mut self, credential: Credential) -> Self {
        self.credential = Some(credential);
        self
    }

    /// Sends requests to this base URL instead of the spec's (a test server, a regional endpoint).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Pins the API version; it must be one of the spec's supported versions and not sunset.
    pub fn api_version(mut self, version: impl Into<String>) -> Self {
        self.api_version = Some(version.into());
        self
    }

    /// Acts for this sub-account, sent in the spec's `account_header` (`Stripe-Account`).
    pub fn account(mut self, account: impl Into<String>) -> Self {
        self.account = Some(account.into());
        self
    }

    /// Retries after the first attempt (0 disables retries).
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.retry.max_retries = retries;
        self
    }

    /// The whole retry policy (backoff bounds, longest `Retry-After` honoured).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Longest time one attempt (connect, send, read the whole response) may take.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = timeout;
        self
    }

    /// Longest time a call may take, retries and waits included. A wait (backoff, the provider's
    /// `Retry-After`, the client-side rate limit) that would end after it ends the call at once with
    /// [`ClientError::Timeout`](super::ClientError::Timeout) (scope `Total`).
    pub fn total_timeout(mut self, timeout: Duration) -> Self {
        self.total_timeout = timeout;
        self
    }

    /// Longest time to establish a connection (ignored with [`http_client`](Self::http_client)).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Enforces this rate limit instead of the spec's `constraints.rate_limit`.
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = RateLimitSetting::Override(limit);
        self
    }

    /// Enforces no client-side rate limit.
    pub fn no_rate_limit(mut self) -> Self {
        self.rate_limit = RateLimitSetting::Off;
        self
    }

    /// Whether an exhausted rate limit waits (default) or fails fast.
    pub fn rate_limit_mode(mut self, mode: RateLimitMode) -> Self {
        self.rate_limit_mode = mode;
        self
    }

    /// Uses this HTTP client (its pool, proxy and TLS settings) instead of creating one.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Response header carrying the provider's request id (default `Request-Id`).
    pub fn request_id_header(mut self, name: impl Into<String>) -> Self {
        self.request_id_header = name.into();
        self
    }

    /// `User-Agent` sent with every request (default `spec-core/<version> (<integration key>)`).
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.user_agent = Some(agent.into());
        self
    }

    /// Longest response body the client reads, in bytes (default [`DEFAULT_MAX_RESPONSE_SIZE`], 16 MiB).
    ///
    /// Bodies are read incrementally; a response declaring or sending more ends the attempt with
    /// [`ClientError::ResponseTooLarge`](super::ClientError::ResponseTooLarge), not retried.
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.max_response_size = bytes;
        self
    }

    /// Checks every setting against the spec and creates the client.
    pub fn build(self) -> Result<RestClient, BuildError> {
        let spec = self.spec;
        let key = &spec.meta.key;
        let rest = spec.rest().ok_or_else(|| BuildError::NoRestTransport {
            integration: key.clone(),
        })?;

        let raw_url = self.base_url.clone().unwrap_or_else(|| rest.base_url.clone());
        let bad_url = |reason: String| BuildError::InvalidBaseUrl {
            url: raw_url.clone(),
            reason,
        };
        let mut base_url = Url::parse(&raw_url).map_err(|e| bad_url(e.to_string()))?;
        if !matches!(base_url.scheme(), "http" | "https") || base_url.cannot_be_a_base() {
            return Err(bad_url("it must be an absolute http(s) URL".into()));
        }

        let mut headers = HeaderMap::new();
        for (name, value) in &rest.default_headers {
            insert(&mut headers, name, value)?;
        }
        let agent = self
            .user_agent
            .clone()
            .unwrap_or_else(|| format!("spec-core/{} ({key})", env!("CARGO_PKG_VERSION")));
        headers.insert(USER_AGENT, value_of("User-Agent", &agent)?);

        let mut version_query = None;
        let api_version = match &spec.version_policy {
            None => {
                if let Some(v) = &self.api_version {
                    return Err(BuildError::NoVersionPolicy {
                        integration: key.clone(),
                        version: v.clone(),
                    });
                }
                None
            }
            Some(policy) => {
                let version = self
                    .api_version
                    .clone()
                    .unwrap_or_else(|| policy.current_version.clone());
                let usable: Vec<String> = spec.usable_versions().into_iter().map(str::to_string).collect();
                match policy.find(&version) {
                    None => {
                        return Err(BuildError::UnsupportedApiVersion {
                            version,
                            supported: usable,
                        });
                    }
                    Some(v) if v.status == VersionStatus::Sunset => {
                        return Err(BuildError::SunsetApiVersion {
                            version,
                            supported: usable,
                        });
                    }
                    Some(v) if v.status == VersionStatus::Deprecated => {
                        tracing::warn!(integration = %key, version = %version, "API version is deprecated");
                    }
                    Some(_) => {}
                }
                match spec.version_placement() {
                    Some(VersionPlacement::Header(header)) => insert(&mut headers, header, &version)?,
                    Some(VersionPlacement::Query(param)) => version_query = Some((param.to_string(), version.clone())),
                    Some(VersionPlacement::Path) => {
                        if let Ok(mut segments) = base_url.path_segments_mut() {
                            segments.pop_if_empty().push(&version);
                        }
                    }
                    None => {}
                }
                Some(version)
            }
        };

        if let Some(account) = &self.account {
            let header = spec.account_header().ok_or_else(|| BuildError::NoAccountHeader {
                integration: key.clone(),
                account: account.clone(),
            })?;
            insert(&mut headers, header, account)?;
        }

        let (auth, secrets) = match &self.credential {
            Some(c) => {
                let (placement, secrets) = place(spec, c)?;
                (Some(placement), secrets)
            }
            None => (None, Vec::new()),
        };
        if let Some(AuthPlacement::Header { name, value }) = &auth {
            headers.append(name.clone(), value.clone());
        }

        let limit = match &self.rate_limit {
            RateLimitSetting::FromSpec => spec.constraints.as_ref().and_then(|c| c.rate_limit.clone()),
            RateLimitSetting::Override(l) => Some(l.clone()),
            RateLimitSetting::Off => None,
        };
        let limits = limit.as_ref().map(Limits::new).transpose()?;

        let http = match self.http {
            Some(h) => h,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .redirect(same_origin_redirects())
                .build()
                .map_err(|e| BuildError::Http(e.without_url().to_string()))?,
        };

        let inner = Inner {
            spec,
            rest,
            http,
            base_url,
            auth,
            redactor: Redactor::new(secrets),
            api_version,
            version_query,
            headers,
            idempotency_header: spec.idempotency_header().map(name_of).transpose()?,
            classifier: Classifier {
                should_retry_header: rest.should_retry_header.as_deref().map(name_of).transpose()?,
                quota_headers: match rest.rate_limit_headers.as_ref() {
                    Some(RateLimitHeaders {
                        remaining: Some(remaining),
                        reset,
                        ..
                    }) => Some(QuotaHeaders {
                        remaining: name_of(remaining)?,
                        reset: reset.as_deref().map(name_of).transpose()?,
                    }),
                    _ => None,
                },
                success_pointer: rest.success_pointer.as_deref(),
            },
            request_id_header: name_of(&self.request_id_header)?,
            max_response_size: self.max_response_size,
            options: ExecOptions {
                retry: self.retry,
                attempt_timeout: self.attempt_timeout,
                total_timeout: self.total_timeout,
            },
            limits,
            limit_mode: self.rate_limit_mode,
        };
        Ok(RestClient { inner: Arc::new(inner) })
    }
}

/// Follows at most 5 redirects, and only within the origin of the first request, so credentials in
/// custom headers never reach another host.
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same = attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if attempt.previous().len() > 5 {
            attempt.error("too many redirects")
        } else if same {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

fn name_of(name: &str) -> Result<HeaderName, BuildError> {
    HeaderName::from_bytes(name.as_bytes()).map_err(|_| BuildError::InvalidHeader {
        name: name.to_string(),
        reason: HeaderProblem::InvalidName,
    })
}

fn value_of(name: &str, value: &str) -> Result<HeaderValue, BuildError> {
    HeaderValue::from_str(value).map_err(|_| BuildError::InvalidHeader {
        name: name.to_string(),
        reason: HeaderProblem::InvalidValue,
    })
}

fn insert(headers: &mut HeaderMap, name: &str, value: &str) -> Result<(), BuildError> {
    headers.insert(name_of(name)?, value_of(name, value)?);
    Ok(())
}
