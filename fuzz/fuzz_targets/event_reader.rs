#![no_main]

//! The event reader on arbitrary bodies: it accepts exactly the JSON serde_json accepts (nesting aside: it
//! refuses bodies deeper than `EventReader::MAX_DEPTH` with its own error), and never panics.

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use spec_core::EventEnvelope;
use spec_runtime::event::{EventError, EventReader};

fn readers() -> &'static [EventReader; 2] {
    static READERS: OnceLock<[EventReader; 2]> = OnceLock::new();
    READERS.get_or_init(|| {
        [
            EventReader::new(&EventEnvelope::stripe(), "stripe."),
            EventReader::new(&EventEnvelope::slack(), "slack."),
        ]
    })
}

fuzz_target!(|body: &[u8]| {
    let theirs = serde_json::from_slice::<serde::de::IgnoredAny>(body);
    let headers = [("x-id", "evt_fuzz")];
    for reader in readers() {
        match reader.canonical(body, &headers) {
            Ok(event) => {
                assert!(theirs.is_ok(), "accepted what serde_json refuses: {theirs:?}");
                assert!(!event.id.is_empty());
                let _ = (event.data(), event.raw(), event.previous_attributes());
            }
            Err(EventError::InvalidJson { reason }) => {
                assert!(theirs.is_err(), "refused what serde_json accepts: {reason}");
            }
            Err(EventError::TooDeep { .. }) => {}
            Err(other) => assert!(theirs.is_ok(), "{other} for a body serde_json refuses"),
        }
        let _ = reader.handshake(body, &headers);
    }
});
