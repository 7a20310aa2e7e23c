//! What one attempt produced, classified: success, retryable (why, and any wait the provider asked for),
//! or terminal. Pure: the rules come from the spec (should-retry header, rate-limit headers, success
//! pointer) and the current time is a parameter.

use std::fmt;
use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName};
use serde_json::Value;

use super::error::TimeoutScope;
use super::server_delay::{QuotaHeaders, retry_after};

/// A response read whole (within the size limit).
#[derive(Debug)]
pub(crate) struct Response {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
}

/// What one attempt produced.
#[derive(Debug)]
pub(crate) enum Exchange {
    /// A response, of any status.
    Response(Response),
    /// The connection failed (the message is already masked, without URL).
    Connection(String),
    /// A timeout cut the attempt.
    Timeout(TimeoutScope),
    /// The body was larger than the limit.
    TooLarge {
        /// The response's status.
        status: StatusCode,
        /// The limit, in bytes.
        limit: u64,
    },
}

/// Why an attempt may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetryReason {
    /// The should-retry header said `true`.
    ProviderAsked,
    /// The declared rate-limit headers report the provider's quota spent.
    QuotaSpent,
    /// HTTP 409.
    Conflict,
    /// HTTP 429.
    TooManyRequests,
    /// HTTP 5xx.
    ServerError,
    /// The connection failed.
    Connection,
    /// The attempt timed out.
    AttemptTimeout,
}

impl fmt::Display for RetryReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RetryReason::ProviderAsked => "the provider asked for a retry",
            RetryReason::QuotaSpent => "the provider's rate limit is spent",
            RetryReason::Conflict => "conflict",
            RetryReason::TooManyRequests => "rate limited by the provider",
            RetryReason::ServerError => "server error",
            RetryReason::Connection => "connection failed",
            RetryReason::AttemptTimeout => "attempt timed out",
        })
    }
}

/// Why an attempt ends the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TerminalReason {
    /// The should-retry header said `false`.
    ProviderAskedNot,
    /// Any other error status (4xx but 409 and 429, and 1xx/3xx left over after redirects).
    ClientError,
    /// A 2xx whose body reports failure at the spec's `success_pointer`.
    ReportedFailure,
    /// The call's overall timeout cut the attempt.
    CallTimedOut,
    /// The body was larger than the limit.
    ResponseTooLarge,
}

/// The verdict on one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Classification {
    /// A 2xx the body does not contradict.
    Success,
    /// May be retried.
    Retryable {
        /// Why.
        reason: RetryReason,
        /// The wait the provider asked for (`Retry-After`, else the quota reset), capped.
        server_delay: Option<Duration>,
    },
    /// Ends the call with this attempt's error.
    Terminal {
        /// Why.
        reason: TerminalReason,
        /// The wait the provider named anyway (reported in the error).
        server_delay: Option<Duration>,
    },
}

impl Classification {
    /// The wait the provider asked for, if any.
    pub(crate) fn server_delay(&self) -> Option<Duration> {
        match self {
            Classification::Success => None,
            Classification::Retryable { server_delay, .. } | Classification::Terminal { server_delay, .. } => {
                *server_delay
            }
        }
    }
}

/// The spec's rules for reading a response.
#[derive(Debug, Clone, Default)]
pub(crate) struct Classifier {
    /// The REST transport's `should_retry_header` (`Stripe-Should-Retry`).
    pub(crate) should_retry_header: Option<HeaderName>,
    /// The REST transport's `rate_limit_headers`, when it declares the remaining count.
    pub(crate) quota_headers: Option<QuotaHeaders>,
    /// The REST transport's `success_pointer` (`/ok`).
    pub(crate) success_pointer: Option<&'static str>,
}

impl Classifier {
    /// Classifies what an attempt produced, `now` being the time the response arrived.
    pub(crate) fn classify(&self, exchange: &Exchange, now: SystemTime) -> Classification {
        let retryable = |reason| Classification::Retryable {
            reason,
            server_delay: None,
        };
        let terminal = |reason| Classification::Terminal {
            reason,
            server_delay: None,
        };
        match exchange {
            Exchange::Response(r) => self.response(r.status, &r.headers, &r.body, now),
            Exchange::Connection(_) => retryable(RetryReason::Connection),
            Exchange::Timeout(TimeoutScope::Attempt) => retryable(RetryReason::AttemptTimeout),
            Exchange::Timeout(_) => terminal(TerminalReason::CallTimedOut),
            Exchange::TooLarge { .. } => terminal(TerminalReason::ResponseTooLarge),
        }
    }

    /// A response: the should-retry header decides when present (`true`/`false`), a spent quota is retried
    /// after its reset, else 409, 429 and 5xx are retried and every other error status is not.
    fn response(&self, status: StatusCode, headers: &HeaderMap, body: &[u8], now: SystemTime) -> Classification {
        if status.is_success() {
            return if self.reports_failure(body) {
                Classification::Terminal {
                    reason: TerminalReason::ReportedFailure,
                    server_delay: None,
                }
            } else {
                Classification::Success
            };
        }
        let server_delay = retry_after(headers, now);
        if let Some(until_reset) = self
            .quota_headers
            .as_ref()
            .and_then(|q| q.spent(status.as_u16(), headers, now))
        {
            return Classification::Retryable {
                reason: RetryReason::QuotaSpent,
                server_delay: server_delay.or(until_reset),
            };
        }
        let retry = match self.should_retry(headers) {
            Some(true) => Ok(RetryReason::ProviderAsked),
            Some(false) => Err(TerminalReason::ProviderAskedNot),
            None => match status.as_u16() {
                409 => Ok(RetryReason::Conflict),
                429 => Ok(RetryReason::TooManyRequests),
                s if s >= 500 => Ok(RetryReason::ServerError),
                _ => Err(TerminalReason::ClientError),
            },
        };
        match retry {
            Ok(reason) => Classification::Retryable { reason, server_delay },
            Err(reason) => Classification::Terminal { reason, server_delay },
        }
    }

    /// The should-retry header's verdict, when the spec names one and the response says `true` or `false`.
    fn should_retry(&self, headers: &HeaderMap) -> Option<bool> {
        let value = headers.get(self.should_retry_header.as_ref()?)?.to_str().ok()?;
        match value.trim().to_ascii_lowercase().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }

    /// Whether a 2xx body says the call failed, per the spec's `success_pointer` (`{"ok": false, …}`).
    fn reports_failure(&self, body: &[u8]) -> bool {
        let Some(pointer) = self.success_pointer else {
            return false;
        };
        serde_json::from_slice::<Value>(body)
            .ok()
            .is_some_and(|json| json.pointer(pointer) == Some(&Value::Bool(false)))
    }
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;
    use Classification::{Retryable, Success, Terminal};

    fn response(status: u16, pairs: &[(&'static str, &'static str)], body: &str) -> Exchange {
        let mut headers = HeaderMap::new();
        for (k, v) in pairs {
            headers.insert(*k, HeaderValue::from_static(v));
        }
        Exchange::Response(Response {
            status: StatusCode::from_u16(status).unwrap(),
            headers,
            body: body.as_bytes().to_vec(),
        })
    }

    fn stripe() -> Classifier {
        Classifier {
            should_retry_header: Some(HeaderName::from_static("stripe-should-retry")),
            ..Classifier::default()
        }
    }

    fn github() -> Classifier {
        Classifier {
            quota_headers: Some(QuotaHeaders {
                remaining: HeaderName::from_static("x-ratelimit-remaining"),
                reset: Some(HeaderName::from_static("x-ratelimit-reset")),
            }),
            ..Classifier::default()
        }
    }

    fn slack() -> Classifier {
        Classifier {
            success_pointer: Some("/ok"),
            ..Classifier::default()
        }
    }

    fn retry(reason: RetryReason, secs: Option<u64>) -> Classification {
        Retryable {
            reason,
            server_delay: secs.map(Duration::from_secs),
        }
    }

    fn stop(reason: TerminalReason, secs: Option<u64>) -> Classification {
        Terminal {
            reason,
            server_delay: secs.map(Duration::from_secs),
        }
    }

    #[test]
    fn every_outcome_is_classified() {
        use RetryReason as R;
        use TerminalReason as T;
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let none = Classifier::default();
        let cases: Vec<(&str, Classifier, Exchange, Classification)> = vec![
            ("200", none.clone(), response(200, &[], "{}"), Success),
            ("204", none.clone(), response(204, &[], ""), Success),
            ("500", stripe(), response(500, &[], ""), retry(R::ServerError, None)),
            (
                "503 + Retry-After",
                none.clone(),
                response(503, &[("retry-after", "3")], ""),
                retry(R::ServerError, Some(3)),
            ),
            ("429", stripe(), response(429, &[], ""), retry(R::TooManyRequests, None)),
            ("409", stripe(), response(409, &[], ""), retry(R::Conflict, None)),
            ("400", stripe(), response(400, &[], ""), stop(T::ClientError, None)),
            ("404", none.clone(), response(404, &[], ""), stop(T::ClientError, None)),
            (
                "302 left over",
                none.clone(),
                response(302, &[], ""),
                stop(T::ClientError, None),
            ),
            (
                "400 + Retry-After is still terminal",
                none.clone(),
                response(400, &[("retry-after", "9")], ""),
                stop(T::ClientError, Some(9)),
            ),
            (
                "503, should-retry false",
                stripe(),
                response(503, &[("stripe-should-retry", "false")], ""),
                stop(T::ProviderAskedNot, None),
            ),
            (
                "400, should-retry true",
                stripe(),
                response(400, &[("stripe-should-retry", " TRUE ")], ""),
                retry(R::ProviderAsked, None),
            ),
            (
                "should-retry garbage falls back to the status",
                stripe(),
                response(503, &[("stripe-should-retry", "maybe")], ""),
                retry(R::ServerError, None),
            ),
            // Without the spec naming the header, it is not consulted.
            (
                "undeclared should-retry",
                none.clone(),
                response(503, &[("stripe-should-retry", "false")], ""),
                retry(R::ServerError, None),
            ),
            (
                "403, quota spent, reset in 30 s",
                github(),
                response(403, &[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "30")], ""),
                retry(R::QuotaSpent, Some(30)),
            ),
            (
                "403, quota spent, reset at a Unix time",
                github(),
                response(
                    403,
                    &[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "1700000045")],
                    "",
                ),
                retry(R::QuotaSpent, Some(45)),
            ),
            (
                "429, quota spent, Retry-After first",
                github(),
                response(
                    429,
                    &[
                        ("x-ratelimit-remaining", "0"),
                        ("x-ratelimit-reset", "30"),
                        ("retry-after", "5"),
                    ],
                    "",
                ),
                retry(R::QuotaSpent, Some(5)),
            ),
            (
                "403, quota spent, reset beyond SystemTime",
                github(),
                response(
                    403,
                    &[
                        ("x-ratelimit-remaining", "0"),
                        ("x-ratelimit-reset", "18446744073709551615"),
                    ],
                    "",
                ),
                retry(R::QuotaSpent, Some(86_400)),
            ),
            (
                "403, quota left",
                github(),
                response(403, &[("x-ratelimit-remaining", "3"), ("x-ratelimit-reset", "30")], ""),
                stop(T::ClientError, None),
            ),
            (
                "Retry-After beyond the cap",
                none.clone(),
                response(503, &[("retry-after", "99999999999999")], ""),
                retry(R::ServerError, Some(86_400)),
            ),
            (
                "200, ok false",
                slack(),
                response(200, &[], r#"{"ok": false, "error": "channel_not_found"}"#),
                stop(T::ReportedFailure, None),
            ),
            ("200, ok true", slack(), response(200, &[], r#"{"ok": true}"#), Success),
            ("200, not JSON", slack(), response(200, &[], "<html>"), Success),
            (
                "connection",
                none.clone(),
                Exchange::Connection("reset".into()),
                retry(R::Connection, None),
            ),
            (
                "attempt timeout",
                none.clone(),
                Exchange::Timeout(TimeoutScope::Attempt),
                retry(R::AttemptTimeout, None),
            ),
            (
                "overall timeout",
                none.clone(),
                Exchange::Timeout(TimeoutScope::Total),
                stop(T::CallTimedOut, None),
            ),
            (
                "too large",
                none.clone(),
                Exchange::TooLarge {
                    status: StatusCode::OK,
                    limit: 1,
                },
                stop(T::ResponseTooLarge, None),
            ),
        ];
        for (name, classifier, exchange, expected) in cases {
            assert_eq!(classifier.classify(&exchange, now), expected, "{name}");
        }
    }
}
