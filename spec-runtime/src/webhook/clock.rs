//! The time source for timestamp tolerance checks: the runtime's shared [`crate::clock`]. Inject one with
//! [`Verifier::with_clock`](super::Verifier::with_clock).

pub use crate::clock::{Clock, FixedClock, SystemClock};
