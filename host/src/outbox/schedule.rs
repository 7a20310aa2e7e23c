//! The retry schedule (Svix's by default: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, then dead), its jitter,
//! `Retry-After`, and durations written as text (`500ms`, `5s`, `5m`, `2h`, `1d`).

use std::time::{Duration, SystemTime};

/// Svix's schedule: the delays before attempts 2 to 8.
pub const SVIX: [Duration; 7] = [
    Duration::from_secs(5),
    Duration::from_secs(5 * 60),
    Duration::from_secs(30 * 60),
    Duration::from_secs(2 * 60 * 60),
    Duration::from_secs(5 * 60 * 60),
    Duration::from_secs(10 * 60 * 60),
    Duration::from_secs(10 * 60 * 60),
];

/// The delay after the `attempts`-th failed attempt (from 1), or `None` when the schedule is exhausted (the
/// delivery is dead). The scheduled delay gets ±10 % jitter (`unit` in `[0, 1)`); a `Retry-After` of the
/// answer (capped) is honoured: the delay is never shorter.
pub fn next_delay(schedule: &[Duration], attempts: i64, retry_after: Option<Duration>, unit: f64) -> Option<Duration> {
    let index = usize::try_from(attempts.checked_sub(1)?).ok()?;
    let base = *schedule.get(index)?;
    let factor = 0.9 + 0.2 * unit.clamp(0.0, 1.0);
    let jittered = Duration::try_from_secs_f64(base.as_secs_f64() * factor).unwrap_or(base);
    Some(retry_after.map_or(jittered, |r| r.max(jittered)))
}

/// A random number in `[0, 1)` for jitter (0.5, no jitter, when the system has no randomness).
pub fn jitter_unit() -> f64 {
    let mut b = [0u8; 4];
    if getrandom::fill(&mut b).is_err() {
        return 0.5;
    }
    f64::from(u32::from_le_bytes(b)) / (f64::from(u32::MAX) + 1.0)
}

/// A `Retry-After` value: seconds, or an HTTP date (RFC 9110), as a delay from `now`, at most `cap`.
pub fn retry_after(value: &str, now: SystemTime, cap: Duration) -> Option<Duration> {
    let v = value.trim();
    let delay = match v.parse::<u64>() {
        Ok(secs) => Duration::from_secs(secs),
        Err(_) => {
            let at = httpdate::parse_http_date(v).ok()?;
            at.duration_since(now).unwrap_or(Duration::ZERO)
        }
    };
    Some(delay.min(cap))
}

/// A duration as text: a number and a unit, `ms`, `s`, `m`, `h` or `d` (`500ms`, `5s`, `10h`).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("`{t}` is not a duration: write a number and a unit (500ms, 5s, 5m, 2h, 1d)"))?;
    let secs = |mul: u64| {
        n.checked_mul(mul)
            .map(Duration::from_secs)
            .ok_or_else(|| format!("`{t}` is too long"))
    };
    match unit {
        "ms" => Ok(Duration::from_millis(n)),
        "s" => secs(1),
        "m" => secs(60),
        "h" => secs(60 * 60),
        "d" => secs(24 * 60 * 60),
        _ => Err(format!("`{t}` has no known unit: use ms, s, m, h or d")),
    }
}

/// A schedule as text: durations separated by commas (`5s,5m,30m,2h,5h,10h,10h`).
pub fn parse_schedule(text: &str) -> Result<Vec<Duration>, String> {
    text.split(',')
        .filter(|p| !p.trim().is_empty())
        .map(parse_duration)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schedule_ends_in_a_dead_letter() {
        let s = SVIX;
        assert_eq!(next_delay(&s, 1, None, 0.5), Some(Duration::from_secs(5)));
        assert_eq!(next_delay(&s, 7, None, 0.5), Some(Duration::from_secs(36_000)));
        assert_eq!(next_delay(&s, 8, None, 0.5), None);
        assert_eq!(next_delay(&s, 0, None, 0.5), None);
        let low = next_delay(&s, 2, None, 0.0).unwrap();
        let high = next_delay(&s, 2, None, 0.999).unwrap();
        assert!(low >= Duration::from_secs(270) && high <= Duration::from_secs(330) && low < high);
        let r = next_delay(&s, 1, Some(Duration::from_secs(60)), 0.5);
        assert_eq!(r, Some(Duration::from_secs(60)), "Retry-After is honoured");
    }

    #[test]
    fn retry_after_reads_seconds_and_dates_and_is_capped() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let cap = Duration::from_secs(3600);
        assert_eq!(retry_after("7", now, cap), Some(Duration::from_secs(7)));
        assert_eq!(retry_after("999999", now, cap), Some(cap));
        let date = httpdate::fmt_http_date(now + Duration::from_secs(120));
        assert_eq!(retry_after(&date, now, cap), Some(Duration::from_secs(120)));
        assert_eq!(retry_after("soon", now, cap), None);
    }

    #[test]
    fn durations_and_schedules_parse() {
        assert_eq!(parse_schedule("5s,5m,30m,2h,5h,10h,10h").unwrap(), SVIX.to_vec());
        assert_eq!(parse_duration("250ms").unwrap(), Duration::from_millis(250));
        assert!(parse_duration("5").is_err());
        assert!(parse_duration("s").is_err());
    }
}
