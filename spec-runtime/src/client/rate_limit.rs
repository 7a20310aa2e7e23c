//! Client-side rate limiting from the spec's `constraints.rate_limit`: requests per minute and per hour,
//! both enforced (GCRA via `governor`: bursts up to the limit, then an even pace).

use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::middleware::NoOpMiddleware;
use governor::state::{InMemoryState, NotKeyed};
use governor::{Quota, RateLimiter};

use super::error::{BuildError, RateLimitProblem};
use spec_core::RateLimit;

/// What a call does when the client-side limit is exhausted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RateLimitMode {
    /// Wait until the limit allows the request (the default).
    #[default]
    Wait,
    /// Fail at once with [`ClientError::RateLimited`](super::ClientError::RateLimited), saying how long to wait.
    FailFast,
}

type Window<C> = RateLimiter<NotKeyed, InMemoryState, C, NoOpMiddleware<<C as Clock>::Instant>>;

/// The per-minute and per-hour windows of one client (shared by its clones).
pub(crate) struct Limits<C: Clock = DefaultClock> {
    clock: C,
    /// Shortest window first, so a denied request consumes nothing from the scarcer longer window.
    windows: Vec<Window<C>>,
}

impl<C: Clock> std::fmt::Debug for Limits<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Limits").field("windows", &self.windows.len()).finish()
    }
}

/// Checks a rate limit the way the spec validator does: positive, and `rph ≥ rpm`.
pub(crate) fn check(limit: &RateLimit) -> Result<(NonZeroU32, Option<NonZeroU32>), BuildError> {
    let rpm = NonZeroU32::new(limit.rpm).ok_or(BuildError::InvalidRateLimit(RateLimitProblem::ZeroRpm))?;
    let rph = match limit.rph {
        None => None,
        Some(h) => {
            let h = NonZeroU32::new(h).ok_or(BuildError::InvalidRateLimit(RateLimitProblem::ZeroRph))?;
            if h < rpm {
                return Err(BuildError::InvalidRateLimit(RateLimitProblem::RphBelowRpm {
                    rpm: rpm.get(),
                    rph: h.get(),
                }));
            }
            Some(h)
        }
    };
    Ok((rpm, rph))
}

impl Limits<DefaultClock> {
    /// Limits on the monotonic clock.
    pub(crate) fn new(limit: &RateLimit) -> Result<Self, BuildError> {
        Self::with_clock(limit, DefaultClock::default())
    }
}

impl<C: Clock + Clone> Limits<C> {
    /// Limits on `clock`.
    pub(crate) fn with_clock(limit: &RateLimit, clock: C) -> Result<Self, BuildError> {
        let (rpm, rph) = check(limit)?;
        let mut windows = vec![RateLimiter::direct_with_clock(Quota::per_minute(rpm), clock.clone())];
        if let Some(rph) = rph {
            windows.push(RateLimiter::direct_with_clock(Quota::per_hour(rph), clock.clone()));
        }
        Ok(Self { clock, windows })
    }

    /// Takes a slot in every window, or says how long until the first denying window frees one.
    pub(crate) fn try_acquire(&self) -> Result<(), Duration> {
        for w in &self.windows {
            if let Err(not_until) = w.check() {
                return Err(not_until.wait_time_from(self.clock.now()).max(Duration::from_millis(1)));
            }
        }
        Ok(())
    }

    /// Takes a slot, waiting (mode `Wait`) or failing with the wait (mode `FailFast`).
    pub(crate) async fn acquire(&self, mode: RateLimitMode) -> Result<(), Duration> {
        loop {
            match self.try_acquire() {
                Ok(()) => return Ok(()),
                Err(wait) if mode == RateLimitMode::FailFast => return Err(wait),
                Err(wait) => {
                    tracing::debug!(wait_ms = wait.as_millis() as u64, "client-side rate limit: waiting");
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use governor::clock::FakeRelativeClock;

    use super::*;

    fn limits(rpm: u32, rph: Option<u32>) -> (Limits<FakeRelativeClock>, FakeRelativeClock) {
        let clock = FakeRelativeClock::default();
        (
            Limits::with_clock(&RateLimit { rpm, rph }, clock.clone()).unwrap(),
            clock,
        )
    }

    #[test]
    fn a_burst_never_exceeds_rpm() {
        let (l, clock) = limits(3, None);
        let allowed = (0..10).filter(|_| l.try_acquire().is_ok()).count();
        assert_eq!(allowed, 3);
        let wait = l.try_acquire().unwrap_err();
        assert!(
            wait > Duration::from_secs(19) && wait <= Duration::from_secs(20),
            "{wait:?}"
        );
        clock.advance(Duration::from_secs(20));
        assert!(l.try_acquire().is_ok());
        assert!(l.try_acquire().is_err());
        // A full minute later, at most rpm more.
        clock.advance(Duration::from_secs(60));
        assert_eq!((0..10).filter(|_| l.try_acquire().is_ok()).count(), 3);
    }

    #[test]
    fn rph_is_enforced_even_when_rpm_allows() {
        let (l, clock) = limits(3, Some(5));
        let mut allowed = 0;
        for _ in 0..10 {
            if l.try_acquire().is_ok() {
                allowed += 1;
            }
            clock.advance(Duration::from_secs(30));
        }
        // 10 × 30 s = 5 minutes: rpm alone would allow 12, the hour allows 5.
        assert_eq!(allowed, 5);
        let wait = l.try_acquire().unwrap_err();
        assert!(wait > Duration::from_secs(60), "the hourly window denies: {wait:?}");
    }

    #[test]
    fn wait_mode_waits_for_the_next_slot_and_fail_fast_does_not() {
        // 6000 rpm: a slot frees every 10 ms once the burst is spent.
        let l = Limits::new(&RateLimit { rpm: 6000, rph: None }).unwrap();
        while l.try_acquire().is_ok() {}
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        rt.block_on(async {
            let start = std::time::Instant::now();
            assert!(l.acquire(RateLimitMode::Wait).await.is_ok());
            match l.acquire(RateLimitMode::FailFast).await {
                Err(wait) => assert!(wait <= Duration::from_millis(10), "{wait:?}"),
                // On a loaded machine the next slot may already be free; never before its time.
                Ok(()) => assert!(start.elapsed() >= Duration::from_millis(10), "a slot was granted early"),
            }
        });
    }

    #[test]
    fn invalid_limits_are_rejected() {
        assert!(check(&RateLimit { rpm: 0, rph: None }).is_err());
        assert!(check(&RateLimit { rpm: 10, rph: Some(5) }).is_err());
        assert!(check(&RateLimit { rpm: 10, rph: Some(10) }).is_ok());
    }
}
