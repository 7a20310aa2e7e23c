//! When and how long to wait before retrying a failed attempt.

use std::time::{Duration, SystemTime};

use backon::{BackoffBuilder, ExponentialBuilder};
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName, RETRY_AFTER};

/// Retry settings. Only calls that are safe to repeat are retried: idempotent actions, and mutating
/// actions that carry an idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (so at most `max_retries + 1` attempts).
    pub max_retries: u32,
    /// First backoff delay; each next one doubles, plus random jitter of up to the delay itself.
    pub min_delay: Duration,
    /// Largest backoff delay (before jitter).
    pub max_delay: Duration,
    /// Longest `Retry-After` the client waits for; a longer one ends the call with the error.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 2,
            min_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// The backoff delays of one call, jittered, at most `max_retries` of them.
    pub(crate) fn backoff(&self) -> impl Iterator<Item = Duration> + Send + use<> {
        ExponentialBuilder::new()
            .with_jitter()
            .with_min_delay(self.min_delay)
            .with_max_delay(self.max_delay.max(self.min_delay))
            .with_max_times(self.max_retries as usize)
            .build()
    }
}

/// Whether an error status may be retried: the provider's should-retry header decides when present
/// (`true`/`false`), else 409, 429 and 5xx are retried and every other status is not.
pub(crate) fn status_retryable(
    status: StatusCode,
    headers: &HeaderMap,
    should_retry_header: Option<&HeaderName>,
) -> (bool, &'static str) {
    if let Some(value) = should_retry_header
        .and_then(|h| headers.get(h))
        .and_then(|v| v.to_str().ok())
    {
        match value.trim().to_ascii_lowercase().as_str() {
            "true" => return (true, "the provider asked for a retry"),
            "false" => return (false, "the provider asked not to retry"),
            _ => {}
        }
    }
    match status.as_u16() {
        409 => (true, "conflict"),
        429 => (true, "rate limited by the provider"),
        s if s >= 500 => (true, "server error"),
        _ => (false, "client error"),
    }
}

/// The spec's `rate_limit_headers` (GitHub's `X-RateLimit-Remaining` / `X-RateLimit-Reset`), compiled: a 403 or
/// 429 response whose remaining count is `0` means the provider's quota is spent, to be retried once it resets.
#[derive(Debug, Clone)]
pub(crate) struct QuotaHeaders {
    pub(crate) remaining: HeaderName,
    pub(crate) reset: Option<HeaderName>,
}

impl QuotaHeaders {
    /// `None` when the response does not report a spent quota; else the wait until the reset, if it says.
    /// A reset above 10⁹ is a Unix time in seconds (GitHub), a smaller one a number of seconds from now.
    pub(crate) fn spent(&self, status: StatusCode, headers: &HeaderMap) -> Option<Option<Duration>> {
        let text = |name: &HeaderName| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
        if !matches!(status.as_u16(), 403 | 429) || text(&self.remaining) != Some("0") {
            return None;
        }
        let reset = self.reset.as_ref().and_then(text).and_then(|v| v.parse::<u64>().ok());
        Some(reset.map(|r| {
            if r > 1_000_000_000 {
                let at = SystemTime::UNIX_EPOCH + Duration::from_secs(r);
                at.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO)
            } else {
                Duration::from_secs(r)
            }
        }))
    }
}

/// `Retry-After` as a wait: delta-seconds, or an HTTP date (wait until then, zero if past).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn a_spent_quota_is_read_from_the_declared_headers() {
        let q = QuotaHeaders {
            remaining: HeaderName::from_static("x-ratelimit-remaining"),
            reset: Some(HeaderName::from_static("x-ratelimit-reset")),
        };
        let spent = headers(&[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "30")]);
        assert_eq!(
            q.spent(StatusCode::FORBIDDEN, &spent),
            Some(Some(Duration::from_secs(30)))
        );
        assert_eq!(
            q.spent(StatusCode::TOO_MANY_REQUESTS, &spent),
            Some(Some(Duration::from_secs(30)))
        );
        // A reset in the past (Unix time) waits nothing; without a reset the wait is unknown.
        let past = headers(&[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "1700000000")]);
        assert_eq!(q.spent(StatusCode::FORBIDDEN, &past), Some(Some(Duration::ZERO)));
        let no_reset = headers(&[("x-ratelimit-remaining", " 0 ")]);
        assert_eq!(q.spent(StatusCode::FORBIDDEN, &no_reset), Some(None));
        // Quota left, another status, or no header: not a spent quota.
        let left = headers(&[("x-ratelimit-remaining", "12"), ("x-ratelimit-reset", "30")]);
        assert_eq!(q.spent(StatusCode::FORBIDDEN, &left), None);
        assert_eq!(q.spent(StatusCode::NOT_FOUND, &spent), None);
        assert_eq!(q.spent(StatusCode::FORBIDDEN, &headers(&[])), None);
    }

    #[test]
    fn status_rules_and_should_retry_override() {
        let sr = HeaderName::from_static("stripe-should-retry");
        let none = headers(&[]);
        assert!(status_retryable(StatusCode::INTERNAL_SERVER_ERROR, &none, Some(&sr)).0);
        assert!(status_retryable(StatusCode::TOO_MANY_REQUESTS, &none, Some(&sr)).0);
        assert!(status_retryable(StatusCode::CONFLICT, &none, Some(&sr)).0);
        assert!(!status_retryable(StatusCode::BAD_REQUEST, &none, Some(&sr)).0);
        assert!(!status_retryable(StatusCode::NOT_FOUND, &none, None).0);
        let no = headers(&[("stripe-should-retry", "false")]);
        assert!(!status_retryable(StatusCode::SERVICE_UNAVAILABLE, &no, Some(&sr)).0);
        let yes = headers(&[("stripe-should-retry", "true")]);
        assert!(status_retryable(StatusCode::BAD_REQUEST, &yes, Some(&sr)).0);
        // Without the spec naming the header, it is not consulted.
        assert!(status_retryable(StatusCode::SERVICE_UNAVAILABLE, &no, None).0);
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        assert_eq!(
            retry_after(&headers(&[("retry-after", "7")])),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            retry_after(&headers(&[("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")])),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&headers(&[("retry-after", "soon")])), None);
        assert_eq!(retry_after(&headers(&[])), None);
    }

    #[test]
    fn backoff_is_bounded_and_grows() {
        let p = RetryPolicy {
            max_retries: 4,
            min_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(400),
            max_retry_after: Duration::from_secs(1),
        };
        let delays: Vec<Duration> = p.backoff().collect();
        assert_eq!(delays.len(), 4);
        for (d, base) in delays.iter().zip([100u64, 200, 400, 400]) {
            assert!(
                *d >= Duration::from_millis(base) && *d <= Duration::from_millis(2 * base),
                "{d:?} vs {base}"
            );
        }
    }
}
