//! The retry decision: after a classified attempt, retry after a delay (backoff with jitter from `backon`,
//! or the provider's longer wait) or stop. Pure: the jitter is seeded once per call.

use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};

use super::classify::Classification;

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
    /// Longest wait the provider may ask for (`Retry-After`, a rate-limit reset) that the client honours;
    /// a longer one ends the call with the error, whose `retry_after` names the wait (read as at most
    /// [`MAX_SERVER_DELAY`](super::MAX_SERVER_DELAY)).
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
}

/// Backoff steps computed at most: past this many doublings every delay is the maximum anyway.
const BACKOFF_STEPS: u32 = 128;

/// Backoff delays are read as at most this (about 136 years), so jitter arithmetic cannot overflow.
const BACKOFF_CAP: Duration = Duration::from_secs(1 << 32);

/// The retry decision of one call.
#[derive(Debug, Clone)]
pub(crate) struct RetryStrategy {
    policy: RetryPolicy,
    /// Whether repeating the call is safe: an idempotent action, or one carrying an idempotency key.
    retry_safe: bool,
    /// Seeds the jitter of every backoff delay of the call.
    seed: u64,
}

/// What to do after an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Send another attempt after this delay.
    Retry {
        /// The backoff delay, or the provider's wait when longer.
        after: Duration,
    },
    /// End the call with this attempt's outcome.
    Stop(Stop),
}

/// Why a call ends with an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// The attempt succeeded.
    Succeeded,
    /// Its error is not retryable.
    Terminal,
    /// Retryable, but the action is not idempotent and carries no idempotency key.
    NotRetrySafe,
    /// Every retry the policy allows is spent.
    RetriesExhausted,
    /// The provider asked for a longer wait than the policy honours.
    ServerDelayTooLong(Duration),
}

impl Stop {
    /// Why a retryable error is not retried, for the log.
    pub(crate) fn explain(&self) -> Option<&'static str> {
        match self {
            Stop::Succeeded | Stop::Terminal => None,
            Stop::NotRetrySafe => Some("not retried: the action is not idempotent and carries no idempotency key"),
            Stop::RetriesExhausted => Some("not retried: no retries left"),
            Stop::ServerDelayTooLong(_) => Some("not retried: the provider's wait exceeds the longest wait allowed"),
        }
    }
}

impl RetryStrategy {
    /// The strategy of one call, with a fresh jitter seed.
    pub(crate) fn new(policy: &RetryPolicy, retry_safe: bool) -> Self {
        let seed = std::collections::hash_map::RandomState::new().build_hasher().finish();
        Self::with_seed(policy, retry_safe, seed)
    }

    /// The strategy of one call with this jitter seed.
    pub(crate) fn with_seed(policy: &RetryPolicy, retry_safe: bool, seed: u64) -> Self {
        Self {
            policy: policy.clone(),
            retry_safe,
            seed,
        }
    }

    /// The decision after `attempt` attempts (1 after the first), the last one classified `c`.
    pub(crate) fn decide(&self, attempt: u32, c: &Classification) -> Decision {
        let server_delay = match c {
            Classification::Success => return Decision::Stop(Stop::Succeeded),
            Classification::Terminal { .. } => return Decision::Stop(Stop::Terminal),
            Classification::Retryable { server_delay, .. } => *server_delay,
        };
        if !self.retry_safe {
            return Decision::Stop(Stop::NotRetrySafe);
        }
        if attempt == 0 || attempt > self.policy.max_retries {
            return Decision::Stop(Stop::RetriesExhausted);
        }
        let backoff = self.backoff(attempt);
        match server_delay {
            Some(wait) if wait > self.policy.max_retry_after => Decision::Stop(Stop::ServerDelayTooLong(wait)),
            Some(wait) => Decision::Retry {
                after: backoff.max(wait),
            },
            None => Decision::Retry { after: backoff },
        }
    }

    /// The backoff before retry `retry` (1 for the first): `min_delay` doubling up to `max_delay`, plus
    /// jitter of up to the delay itself (`backon`'s exponential backoff, seeded per call and retry).
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let index = retry.saturating_sub(1).min(BACKOFF_STEPS);
        let seed = self.seed ^ u64::from(retry).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let min = self.policy.min_delay.min(BACKOFF_CAP);
        let max = self.policy.max_delay.min(BACKOFF_CAP).max(min);
        ExponentialBuilder::new()
            .with_jitter()
            .with_jitter_seed(seed)
            .with_min_delay(min)
            .with_max_delay(max)
            .without_max_times()
            .build()
            .nth(index as usize)
            .unwrap_or(max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::classify::{RetryReason, TerminalReason};

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_retries: 4,
            min_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(400),
            max_retry_after: Duration::from_secs(1),
        }
    }

    fn retryable(server_delay: Option<Duration>) -> Classification {
        Classification::Retryable {
            reason: RetryReason::ServerError,
            server_delay,
        }
    }

    #[test]
    fn backoff_is_bounded_and_grows() {
        let s = RetryStrategy::new(&policy(), true);
        let delays: Vec<Duration> = (1..=4)
            .map_while(|n| match s.decide(n, &retryable(None)) {
                Decision::Retry { after } => Some(after),
                Decision::Stop(_) => None,
            })
            .collect();
        assert_eq!(delays.len(), 4);
        for (d, base) in delays.iter().zip([100u64, 200, 400, 400]) {
            assert!(
                *d >= Duration::from_millis(base) && *d <= Duration::from_millis(2 * base),
                "{d:?} vs {base}"
            );
        }
        assert_eq!(s.decide(5, &retryable(None)), Decision::Stop(Stop::RetriesExhausted));
    }

    #[test]
    fn decisions_follow_the_classification_and_the_policy() {
        let s = RetryStrategy::with_seed(&policy(), true, 7);
        let ms = Duration::from_millis;
        let terminal = Classification::Terminal {
            reason: TerminalReason::ClientError,
            server_delay: Some(ms(10)),
        };
        assert_eq!(s.decide(1, &Classification::Success), Decision::Stop(Stop::Succeeded));
        assert_eq!(s.decide(1, &terminal), Decision::Stop(Stop::Terminal));
        // The same seed gives the same delays: the decision is a function of its inputs.
        assert_eq!(s.decide(2, &retryable(None)), s.decide(2, &retryable(None)));
        // The provider's wait wins when longer than the backoff, and ends the call when too long.
        assert_eq!(
            s.decide(1, &retryable(Some(ms(900)))),
            Decision::Retry { after: ms(900) }
        );
        assert_eq!(
            s.decide(1, &retryable(Some(ms(1001)))),
            Decision::Stop(Stop::ServerDelayTooLong(ms(1001)))
        );
        let Decision::Retry { after } = s.decide(1, &retryable(Some(ms(1)))) else {
            panic!("retried")
        };
        assert!(after >= ms(100), "{after:?}");
        // Unsafe to repeat: never retried.
        let unsafe_ = RetryStrategy::with_seed(&policy(), false, 7);
        assert_eq!(unsafe_.decide(1, &retryable(None)), Decision::Stop(Stop::NotRetrySafe));
        // No retries: the first failure ends the call.
        let none = RetryStrategy::with_seed(&RetryPolicy::none(), true, 7);
        assert_eq!(none.decide(1, &retryable(None)), Decision::Stop(Stop::RetriesExhausted));
    }

    #[test]
    fn extreme_policies_and_attempt_counts_saturate() {
        let huge = RetryPolicy {
            max_retries: u32::MAX,
            min_delay: Duration::MAX,
            max_delay: Duration::MAX,
            max_retry_after: Duration::MAX,
        };
        let s = RetryStrategy::with_seed(&huge, true, 1);
        for attempt in [1, 2, 200, u32::MAX] {
            let Decision::Retry { after } = s.decide(attempt, &retryable(None)) else {
                panic!("retried")
            };
            assert!(after >= BACKOFF_CAP, "{after:?}");
        }
        let tiny = RetryPolicy {
            max_retries: u32::MAX,
            min_delay: Duration::ZERO,
            max_delay: Duration::from_millis(5),
            max_retry_after: Duration::ZERO,
        };
        let s = RetryStrategy::with_seed(&tiny, true, 1);
        let Decision::Retry { after } = s.decide(u32::MAX, &retryable(None)) else {
            panic!("retried")
        };
        assert!(after <= Duration::from_millis(10), "{after:?}");
    }
}
