//! The waits of a call: its overall deadline, the sleep before a retry, the client-side rate limit.

use std::time::Duration;

use tokio::time::Instant;

use super::rate_limit::{Limits, RateLimitMode};

/// Used for a deadline beyond what `Instant` can hold (as `tokio::time::timeout` does): about 30 years.
const FAR_FUTURE: Duration = Duration::from_secs(86_400 * 365 * 30);

/// `now + d`, saturating at about 30 years from now.
pub(crate) fn after(now: Instant, d: Duration) -> Instant {
    now.checked_add(d).unwrap_or_else(|| now + FAR_FUTURE)
}

/// The overall deadline of one call.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Deadline(Instant);

/// The call's overall deadline would pass (or has passed) before the wait ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Expired;

/// Why no rate-limit slot was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NoSlot {
    /// Fail-fast mode: a slot frees in this long.
    FailFast(Duration),
    /// The next slot frees after the call's deadline.
    Expired,
}

impl Deadline {
    /// `total` from `start`.
    pub(crate) fn after(start: Instant, total: Duration) -> Self {
        Self(after(start, total))
    }

    /// The deadline of an attempt starting now with this timeout, and whether the call's deadline is the
    /// one that cuts it.
    pub(crate) fn attempt(&self, timeout: Duration) -> (Instant, bool) {
        let own = after(Instant::now(), timeout);
        (own.min(self.0), own >= self.0)
    }

    /// Sleeps `delay`; fails at once, without sleeping, when the deadline would pass first.
    pub(crate) async fn sleep(&self, delay: Duration) -> Result<(), Expired> {
        let wake = after(Instant::now(), delay);
        if wake >= self.0 {
            return Err(Expired);
        }
        tokio::time::sleep_until(wake).await;
        Ok(())
    }

    /// Takes a client-side rate-limit slot: at once when one is free, else failing fast or waiting (mode
    /// `Wait`) for as long as the deadline allows; fails at once when the next slot frees after it.
    pub(crate) async fn slot(&self, limits: &Limits, mode: RateLimitMode) -> Result<(), NoSlot> {
        let Err(retry_in) = limits.try_acquire() else {
            return Ok(());
        };
        if mode == RateLimitMode::FailFast {
            return Err(NoSlot::FailFast(retry_in));
        }
        if after(Instant::now(), retry_in) >= self.0 {
            return Err(NoSlot::Expired);
        }
        match tokio::time::timeout_at(self.0, limits.acquire(mode)).await {
            Ok(acquired) => acquired.map_err(NoSlot::FailFast),
            Err(_) => Err(NoSlot::Expired),
        }
    }
}

#[cfg(test)]
mod tests {
    use spec_core::RateLimit;

    use super::*;

    #[test]
    fn deadlines_saturate_and_cut_waits_without_sleeping() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        rt.block_on(async {
            let now = Instant::now();
            assert!(after(now, Duration::MAX) > now + Duration::from_secs(86_400 * 365));
            let unbounded = Deadline::after(now, Duration::MAX);
            let (at, cut) = unbounded.attempt(Duration::MAX);
            assert!(at > now && cut, "both saturate to the same far future");
            let short = Deadline::after(Instant::now(), Duration::from_millis(50));
            let (_, cut) = short.attempt(Duration::from_secs(5));
            assert!(cut);
            let (_, cut) = short.attempt(Duration::from_millis(1));
            assert!(!cut);
            let before = std::time::Instant::now();
            assert_eq!(short.sleep(Duration::from_secs(3600)).await, Err(Expired));
            assert_eq!(short.sleep(Duration::MAX).await, Err(Expired));
            assert!(
                before.elapsed() < Duration::from_millis(40),
                "no sleep when the deadline comes first"
            );
            assert_eq!(short.sleep(Duration::from_millis(1)).await, Ok(()));

            // One request a minute: the second waits past the deadline, so it fails at once.
            let limits = Limits::new(&RateLimit { rpm: 1, rph: None }).unwrap();
            assert_eq!(short.slot(&limits, RateLimitMode::Wait).await, Ok(()));
            assert_eq!(short.slot(&limits, RateLimitMode::Wait).await, Err(NoSlot::Expired));
            assert!(matches!(
                short.slot(&limits, RateLimitMode::FailFast).await,
                Err(NoSlot::FailFast(d)) if d > Duration::from_secs(50)
            ));
        });
    }
}

#[cfg(test)]
mod props {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// A deadline from any duration (a remote wait, a configured timeout) never overflows `Instant`.
        #[test]
        fn deadlines_from_any_duration_saturate(secs in any::<u64>(), nanos in 0u32..1_000_000_000) {
            let now = Instant::now();
            let d = Duration::new(secs, nanos);
            let at = after(now, d);
            prop_assert!(at >= now);
            prop_assert!(at.duration_since(now) <= d.max(FAR_FUTURE));
            let deadline = Deadline::after(now, d);
            let (attempt, _) = deadline.attempt(Duration::new(secs / 2, nanos));
            prop_assert!(attempt >= now);
        }
    }
}
