//! The REST client runtime that generated integration code calls (feature `client`).
//!
//! Everything is driven by the spec: the base URL, body encoding (bracket-nested form or JSON), the
//! credential's placement (the spec's auth methods), the API version header (the version policy), the
//! account, idempotency and should-retry headers, pagination and the error object's location come from
//! the REST transport; rate limits from `constraints.rate_limit`; the health check from `health_check`.
//!
//! ```no_run
//! # async fn demo(spec: &'static spec_core::IntegrationSpec) -> Result<(), Box<dyn std::error::Error>> {
//! use spec_runtime::client::{Credential, RestClient};
//!
//! let client = RestClient::builder(spec)
//!     .credential(Credential::api_key("sk_test_123"))
//!     .account("acct_123")
//!     .build()?;
//! let customer = client
//!     .invoke("stripe.customer.create", serde_json::json!({
//!         "email": "ada@example.com",
//!         "metadata": {"source": "mobius"},
//!         "idempotency_key": "customer-ada-example"
//!     }))
//!     .await?;
//! # let _ = customer; Ok(()) }
//! ```
//!
//! Calls are retried only when that is safe (idempotent actions, and mutating actions carrying an
//! idempotency key, which every mutating call gets when the spec names an idempotency header): on
//! connection errors, timeouts, 409, 429 and 5xx, with exponential backoff and jitter, honouring
//! `Retry-After`, the spec's should-retry header and its rate-limit reset header (a provider's wait is
//! read as at most [`MAX_SERVER_DELAY`]). Each attempt is classified (success, retryable, terminal), a
//! retry strategy decides, and the wait sleeps or takes a rate-limit slot. Response bodies are read
//! incrementally up to [`ClientBuilder::max_response_size`] ([`DEFAULT_MAX_RESPONSE_SIZE`] by default).
//!
//! No credential ever appears in an error, a `Debug` output or a log line: the credential is a
//! [`Secret`](spec_core::Secret), header values are marked sensitive, transport errors drop the URL,
//! and every error a call returns passes through the one [`Redactor`](crate::redact::Redactor),
//! which masks the connection's credential values in each of its text fields.

pub(crate) mod attempt;
mod body;
mod builder;
pub(crate) mod classify;
mod connection;
mod credential;
mod encode;
mod error;
mod execute;
mod health;
mod invoke;
mod paginate;
mod rate_limit;
mod redact;
mod request;
mod rest_client;
mod retry;
pub(crate) mod server_delay;
mod wait;

pub use body::DEFAULT_MAX_RESPONSE_SIZE;
pub use builder::ClientBuilder;
pub use connection::{
    ConnectionConfig, ConnectionCredentials, ConnectionReadError, ConnectionReader, ConnectionSecrets,
};
pub use credential::Credential;
pub use error::{ApiError, BuildError, ClientError, HeaderProblem, ProviderError, RateLimitProblem, TimeoutScope};
pub use health::{DEFAULT_HEALTH_TIMEOUT, Health};
pub use invoke::IDEMPOTENCY_KEY_FIELD;
pub use rate_limit::RateLimitMode;
pub use request::{ActionRequest, ResponseMeta};
pub use rest_client::RestClient;
pub use retry::RetryPolicy;
pub use server_delay::MAX_SERVER_DELAY;
