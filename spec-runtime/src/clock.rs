//! The one source of the current time for the runtime: webhook timestamp tolerance, OAuth state and token
//! expiry. Injectable, so tests can stop or move time.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Tells the current time.
pub trait Clock: Send + Sync + 'static {
    /// The current time.
    fn now(&self) -> SystemTime;

    /// The current time in whole seconds since the Unix epoch (negative before it, saturating).
    fn unix_seconds(&self) -> i64 {
        unix_seconds(self.now())
    }
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock stopped at the given Unix second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedClock(pub i64);

impl Clock for FixedClock {
    /// The stopped second as a [`SystemTime`] (the epoch when the platform cannot represent it).
    fn now(&self) -> SystemTime {
        let offset = Duration::from_secs(self.0.unsigned_abs());
        let at = if self.0 >= 0 {
            UNIX_EPOCH.checked_add(offset)
        } else {
            UNIX_EPOCH.checked_sub(offset)
        };
        at.unwrap_or(UNIX_EPOCH)
    }

    fn unix_seconds(&self) -> i64 {
        self.0
    }
}

/// A clock that only moves when told to; clones share the same time.
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<Mutex<SystemTime>>);

impl ManualClock {
    /// A clock standing at `at`.
    pub fn new(at: SystemTime) -> Self {
        Self(Arc::new(Mutex::new(at)))
    }

    /// Moves the clock forward (saturating where the platform's time ends).
    pub fn advance(&self, by: Duration) {
        let mut t = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(later) = t.checked_add(by) {
            *t = later;
        }
    }

    /// Sets the clock.
    pub fn set(&self, at: SystemTime) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = at;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> SystemTime {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Whole seconds since the Unix epoch of `t` (negative before it, saturating at the `i64` range).
pub fn unix_seconds(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(e) => i64::try_from(e.duration().as_secs()).map_or(i64::MIN, |s| -s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_clock_round_trips_its_second() {
        for s in [0, 1_700_000_010, -86_400] {
            let c = FixedClock(s);
            assert_eq!(c.unix_seconds(), s);
            assert_eq!(unix_seconds(c.now()), s);
        }
    }

    #[test]
    fn manual_clock_moves_only_when_told() {
        let start = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let c = ManualClock::new(start);
        let shared = c.clone();
        assert_eq!(c.now(), start);
        shared.advance(Duration::from_secs(5));
        assert_eq!(c.unix_seconds(), 1_800_000_005);
        c.set(start);
        assert_eq!(shared.now(), start);
    }

    #[test]
    fn system_clock_is_after_2020() {
        assert!(SystemClock.unix_seconds() > 1_577_836_800);
    }
}
