//! Waits the provider asks for, read from response headers: `Retry-After`, and the reset of the spec's
//! declared rate-limit headers (GitHub's `X-RateLimit-Reset`).
//!
//! Every function here is pure (the current time is a parameter) and saturating: a remote number never
//! overflows a `SystemTime` or `Duration` sum, and every wait is capped at [`MAX_SERVER_DELAY`].

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, HeaderName, RETRY_AFTER};

/// The longest wait read from a response header; a longer one (`Retry-After: 99999999999999`, a reset
/// time in the far future) is read as this. Whether the client then waits at all is the retry policy's
/// [`max_retry_after`](super::RetryPolicy::max_retry_after) and the call's overall timeout.
pub const MAX_SERVER_DELAY: Duration = Duration::from_secs(24 * 60 * 60);

/// A reset value above this is a Unix time in seconds; at most this, a number of seconds from now.
const UNIX_TIME_THRESHOLD: u64 = 1_000_000_000;

/// `Retry-After` as a wait: delta-seconds, or an HTTP date (wait until then, zero if past).
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    retry_after_value(headers.get(RETRY_AFTER)?.to_str().ok()?, now)
}

/// One `Retry-After` value as a wait; `None` when it is neither delta-seconds nor an HTTP date.
pub(crate) fn retry_after_value(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(seconds(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(until(at, now))
}

/// One rate-limit reset value as a wait: a Unix time in seconds when above 10⁹ (GitHub), else a number of
/// seconds from now; `None` when it is not a non-negative integer.
pub(crate) fn reset_value(value: &str, now: SystemTime) -> Option<Duration> {
    let reset = value.trim().parse::<u64>().ok()?;
    if reset <= UNIX_TIME_THRESHOLD {
        return Some(seconds(reset));
    }
    Some(match SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(reset)) {
        Some(at) => until(at, now),
        None => MAX_SERVER_DELAY,
    })
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
    pub(crate) fn spent(&self, status: u16, headers: &HeaderMap, now: SystemTime) -> Option<Option<Duration>> {
        let text = |name: &HeaderName| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim);
        if !matches!(status, 403 | 429) || text(&self.remaining) != Some("0") {
            return None;
        }
        Some(self.reset.as_ref().and_then(text).and_then(|v| reset_value(v, now)))
    }
}

fn seconds(secs: u64) -> Duration {
    Duration::from_secs(secs).min(MAX_SERVER_DELAY)
}

fn until(at: SystemTime, now: SystemTime) -> Duration {
    at.duration_since(now).unwrap_or(Duration::ZERO).min(MAX_SERVER_DELAY)
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

    /// 2023-11-14T22:13:20Z.
    fn now() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
    }

    #[test]
    fn a_spent_quota_is_read_from_the_declared_headers() {
        let q = QuotaHeaders {
            remaining: HeaderName::from_static("x-ratelimit-remaining"),
            reset: Some(HeaderName::from_static("x-ratelimit-reset")),
        };
        let now = SystemTime::now();
        let spent = headers(&[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "30")]);
        assert_eq!(q.spent(403, &spent, now), Some(Some(Duration::from_secs(30))));
        assert_eq!(q.spent(429, &spent, now), Some(Some(Duration::from_secs(30))));
        // A reset in the past (Unix time) waits nothing; without a reset the wait is unknown.
        let past = headers(&[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "1700000000")]);
        assert_eq!(q.spent(403, &past, now), Some(Some(Duration::ZERO)));
        let no_reset = headers(&[("x-ratelimit-remaining", " 0 ")]);
        assert_eq!(q.spent(403, &no_reset, now), Some(None));
        // Quota left, another status, or no header: not a spent quota.
        let left = headers(&[("x-ratelimit-remaining", "12"), ("x-ratelimit-reset", "30")]);
        assert_eq!(q.spent(403, &left, now), None);
        assert_eq!(q.spent(404, &spent, now), None);
        assert_eq!(q.spent(403, &headers(&[]), now), None);
        // A reset past what `SystemTime` can hold waits the longest allowed, without overflowing.
        let far = headers(&[
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", "18446744073709551615"),
        ]);
        assert_eq!(q.spent(403, &far, now), Some(Some(MAX_SERVER_DELAY)));
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = SystemTime::now();
        assert_eq!(
            retry_after(&headers(&[("retry-after", "7")]), now),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            retry_after(&headers(&[("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT")]), now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&headers(&[("retry-after", "soon")]), now), None);
        assert_eq!(retry_after(&headers(&[]), now), None);
    }

    #[test]
    fn header_values_map_to_capped_waits() {
        let cases: &[(&str, Option<Duration>)] = &[
            ("0", Some(Duration::ZERO)),
            (" 120 ", Some(Duration::from_secs(120))),
            ("86400", Some(MAX_SERVER_DELAY)),
            ("86401", Some(MAX_SERVER_DELAY)),
            ("99999999999999", Some(MAX_SERVER_DELAY)),
            ("18446744073709551615", Some(MAX_SERVER_DELAY)),
            ("18446744073709551616", None),
            ("-1", None),
            ("1.5", None),
            ("", None),
            ("Tue, 14 Nov 2023 22:14:20 GMT", Some(Duration::from_secs(60))),
            ("Tue, 14 Nov 2023 22:13:19 GMT", Some(Duration::ZERO)),
            ("Fri, 31 Dec 9999 23:59:59 GMT", Some(MAX_SERVER_DELAY)),
        ];
        for (value, wait) in cases {
            assert_eq!(retry_after_value(value, now()), *wait, "Retry-After: {value:?}");
        }
        let resets: &[(&str, Option<Duration>)] = &[
            ("0", Some(Duration::ZERO)),
            ("30", Some(Duration::from_secs(30))),
            ("1000000000", Some(MAX_SERVER_DELAY)),
            ("1700000060", Some(Duration::from_secs(60))),
            ("1699999999", Some(Duration::ZERO)),
            ("1800000000", Some(MAX_SERVER_DELAY)),
            ("18446744073709551615", Some(MAX_SERVER_DELAY)),
            ("-5", None),
            ("soon", None),
        ];
        for (value, wait) in resets {
            assert_eq!(reset_value(value, now()), *wait, "reset: {value:?}");
        }
    }
}

#[cfg(test)]
mod props {
    use proptest::prelude::*;
    use reqwest::StatusCode;
    use reqwest::header::HeaderValue;

    use super::*;
    use crate::client::classify::{Classifier, Exchange, Response};
    use crate::client::retry::{Decision, RetryPolicy, RetryStrategy};

    /// Header values as providers (or attackers) might send them: numbers of every size and sign,
    /// HTTP dates, and arbitrary text.
    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<u64>().prop_map(|n| n.to_string()),
            any::<i64>().prop_map(|n| n.to_string()),
            any::<u128>().prop_map(|n| n.to_string()),
            // Float-like text: `1e300`, `-0.0`, `NaN`, `inf`, `1.5`.
            any::<f64>().prop_map(|f| f.to_string()),
            any::<f64>().prop_map(|f| format!("{f:e}")),
            prop::sample::select(vec!["1e300", "-0", "+5", "NaN", "inf", "0x10", "1_000"]).prop_map(str::to_string),
            (any::<u64>(), "[ \t]{0,2}").prop_map(|(n, pad)| format!("{pad}{n}{pad}")),
            (0u64..=253_402_300_799)
                .prop_map(|secs| httpdate::fmt_http_date(SystemTime::UNIX_EPOCH + Duration::from_secs(secs))),
            "[A-Za-z]{3}, [0-9]{1,2} [A-Za-z]{3} [0-9]{1,6} [0-9:]{1,9} GMT",
            any::<String>(),
        ]
    }

    /// Any time a `SystemTime` can hold from the epoch on.
    fn now() -> impl Strategy<Value = SystemTime> {
        any::<u64>().prop_map(|secs| {
            SystemTime::UNIX_EPOCH
                .checked_add(Duration::from_secs(secs))
                .unwrap_or(SystemTime::UNIX_EPOCH)
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn header_values_never_panic_and_waits_are_capped(v in value(), now in now()) {
            for wait in [retry_after_value(&v, now), reset_value(&v, now)].into_iter().flatten() {
                prop_assert!(wait <= MAX_SERVER_DELAY, "{v:?} -> {wait:?}");
            }
        }

        #[test]
        fn responses_with_arbitrary_headers_classify_and_decide_without_panicking(
            status in 100u16..=999,
            retry_after_header in value(),
            remaining in prop_oneof![Just("0".to_string()), value()],
            reset in value(),
            should_retry in prop_oneof![Just("true".to_string()), Just("false".to_string()), value()],
            now in now(),
            attempt in any::<u32>(),
            seed in any::<u64>(),
            max_retries in any::<u32>(),
            min_ms in any::<u64>(),
            max_ms in any::<u64>(),
            max_retry_after_secs in any::<u64>(),
        ) {
            let mut headers = HeaderMap::new();
            for (name, v) in [
                ("retry-after", &retry_after_header),
                ("x-ratelimit-remaining", &remaining),
                ("x-ratelimit-reset", &reset),
                ("stripe-should-retry", &should_retry),
            ] {
                if let Ok(v) = HeaderValue::from_str(v) {
                    headers.insert(name, v);
                }
            }
            if let Some(wait) = retry_after(&headers, now) {
                prop_assert!(wait <= MAX_SERVER_DELAY);
            }
            let classifier = Classifier {
                should_retry_header: Some(HeaderName::from_static("stripe-should-retry")),
                quota_headers: Some(QuotaHeaders {
                    remaining: HeaderName::from_static("x-ratelimit-remaining"),
                    reset: Some(HeaderName::from_static("x-ratelimit-reset")),
                }),
                success_pointer: Some("/ok"),
            };
            let Ok(status) = StatusCode::from_u16(status) else { return Ok(()) };
            let exchange = Exchange::Response(Response { status, headers, body: Vec::new() });
            let classification = classifier.classify(&exchange, now);
            if let Some(wait) = classification.server_delay() {
                prop_assert!(wait <= MAX_SERVER_DELAY);
            }
            let policy = RetryPolicy {
                max_retries,
                min_delay: Duration::from_millis(min_ms),
                max_delay: Duration::from_millis(max_ms),
                max_retry_after: Duration::from_secs(max_retry_after_secs),
            };
            let strategy = RetryStrategy::with_seed(&policy, true, seed);
            if let Decision::Retry { after } = strategy.decide(attempt, &classification) {
                prop_assert!(classification.server_delay().is_none_or(|w| after >= w));
                // Waiting that long from now never overflows the clock.
                let _ = crate::client::wait::after(tokio::time::Instant::now(), after);
            }
        }
    }
}
