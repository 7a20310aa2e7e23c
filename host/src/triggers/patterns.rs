//! Event type patterns: `*` matches any run of characters (also none), every other character itself — the
//! semantics of the event log's `type` filter (`stripe.customer.*`).

/// Whether `event_type` matches `pattern`.
pub fn matches(pattern: &str, event_type: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), event_type.as_bytes());
    // Greedy matching with one backtrack point per `*` (linear in practice, no recursion).
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some(b'*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(c) if *c == t[ti] => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p[pi.min(p.len())..].iter().all(|c| *c == b'*')
}

/// Why a pattern is not accepted.
pub fn check(pattern: &str) -> Result<(), &'static str> {
    if pattern.is_empty() {
        return Err("a type pattern is not empty");
    }
    if pattern.len() > 200 {
        return Err("a type pattern has at most 200 characters");
    }
    if pattern.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("a type pattern has no whitespace");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn star_matches_any_run() {
        assert!(matches("stripe.invoice.paid", "stripe.invoice.paid"));
        assert!(!matches("stripe.invoice.paid", "stripe.invoice.paid.x"));
        assert!(matches("stripe.customer.*", "stripe.customer.created"));
        assert!(matches("stripe.customer.*", "stripe.customer."));
        assert!(!matches("stripe.customer.*", "stripe.invoice.paid"));
        assert!(matches("*", "anything"));
        assert!(matches("stripe.*.paid", "stripe.invoice.paid"));
        assert!(!matches("stripe.*.paid", "stripe.invoice.failed"));
        assert!(matches("*.*.*", "a.b.c"));
        assert!(!matches("", "a"));
        assert!(matches("a**b", "ab"));
    }
}
