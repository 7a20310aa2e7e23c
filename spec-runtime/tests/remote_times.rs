//! Every place that turns a remote number into a duration or a time, driven with extreme values: OAuth
//! `expires_in` at the callback and at the refresh (through a local token endpoint), and webhook
//! timestamps against the tolerance (a property over any i64 timestamp and clock, through the public
//! verifier). The client's `Retry-After` / `X-RateLimit-Reset` readers have their property in
//! `client::server_delay` and their fixed extremes in `client_faults.rs`.

mod oauth_support;

use std::time::Duration;

use oauth_support::*;
use proptest::prelude::*;
use serde_json::json;
use spec_core::{Secret, SignatureScheme};
use spec_runtime::oauth::{CallbackError, CallbackQuery, ManualClock, RefreshError};
use spec_runtime::webhook::{Signer, Verifier, VerifierOptions, WebhookError};

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Extreme `expires_in` values, as a token endpoint would send them, at the callback and at the refresh:
/// never a panic; an integer is honoured (saturating to no expiry), anything else is a typed error.
#[test]
fn extreme_expires_in_at_callback_and_refresh_never_panics() {
    let cases = [
        (json!(u64::MAX), true),
        (json!(u64::MAX - 1), true),
        (json!(0), true),
        (json!(1e300), false),
        (json!(-1), false),
        (json!(i64::MIN), false),
        (json!(1.5), false),
        (json!("3600"), false),
    ];
    for (value, accepted) in cases {
        let (at_callback, at_refresh) = rt().block_on(async {
            let provider = Provider::start().await;
            let spec = stripe_spec(&provider.base, false);
            let clock = ManualClock::new(start_time());
            let connector = builder(&spec, &clock).build().unwrap();
            // Connected with an ordinary lifetime, then refreshed with the extreme one.
            provider
                .state
                .extra
                .lock()
                .unwrap()
                .insert("expires_in".into(), json!(60));
            connect(&provider, &connector, "platform", "default").await;
            provider
                .state
                .extra
                .lock()
                .unwrap()
                .insert("expires_in".into(), value.clone());
            clock.advance(Duration::from_secs(3600));
            let at_refresh = connector
                .access("platform", "default")
                .await
                .map(|g| g.access_token.expose().to_string());
            // A second connection gets the extreme lifetime at its callback.
            let url = connector.connect("platform", "second").await.unwrap();
            let q = CallbackQuery::from_url(&provider.authorize_in_browser(&url).await);
            let at_callback = connector.callback("platform", &q).await.map(|c| c.expires_at);
            (at_callback, at_refresh)
        });
        match (accepted, &at_callback, &at_refresh) {
            (true, Ok(expires_at), Ok(_)) => {
                if value == json!(u64::MAX) {
                    assert_eq!(*expires_at, None, "past what SystemTime holds: no expiry");
                }
            }
            (false, Err(CallbackError::Token(_)), Err(RefreshError::Token { .. })) => {}
            _ => panic!("expires_in {value}: callback {at_callback:?}, refresh {at_refresh:?}"),
        }
    }
}

fn stripe_verifier(tolerance: Option<u64>) -> Verifier {
    let mut options = VerifierOptions::for_scheme(SignatureScheme::Stripe);
    options.tolerance = tolerance;
    Verifier::new(options, &[Secret::new("whsec_times")]).unwrap()
}

/// Timestamps as a sender would write them: any i64 or u64, and float-like or signed text.
fn timestamp_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        any::<u128>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|f| f.to_string()),
        Just("1e300".to_string()),
        Just("-0".to_string()),
        Just("+1700000000".to_string()),
        "[0-9+-.eE]{0,25}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// A correctly signed delivery at any timestamp, checked at any time with any tolerance: accepted
    /// exactly when the two are within the tolerance (a negative or 19-digit timestamp is malformed),
    /// never a panic.
    #[test]
    fn signed_timestamps_against_any_clock_and_tolerance(
        ts in prop_oneof![any::<i64>(), 0i64..4_000_000_000, 999_999_999_999_999_000i64..1_000_000_000_000_000_100],
        now in prop_oneof![any::<i64>(), 0i64..4_000_000_000],
        tolerance in prop::option::of(prop_oneof![any::<u64>(), 0u64..1000]),
    ) {
        let body = br#"{"id":"evt_1"}"#;
        let headers = Signer::for_scheme(SignatureScheme::Stripe, &Secret::new("whsec_times")).unwrap().sign(body, ts);
        let result = stripe_verifier(tolerance).verify_at(&headers, body, now);
        // The parser reads 1 to 18 digits: no sign, no overflow.
        let readable = (0..1_000_000_000_000_000_000).contains(&ts);
        let within = tolerance.is_none_or(|t| now.abs_diff(ts) <= t);
        match result {
            Err(WebhookError::MalformedHeader { .. }) => prop_assert!(!readable),
            _ if !readable => prop_assert!(false, "unreadable timestamp: {result:?}"),
            Ok(_) => prop_assert!(within),
            Err(WebhookError::TimestampOutsideTolerance { .. }) => prop_assert!(!within),
            Err(e) => prop_assert!(false, "{e:?}"),
        }
    }

    /// Timestamp text of any shape in the header: never a panic, never accepted without a valid MAC.
    #[test]
    fn timestamp_text_of_any_shape_never_panics(t in timestamp_text(), now in any::<i64>()) {
        let header = format!("t={t},v1={}", "0".repeat(64));
        let pairs = [("Stripe-Signature", header.as_str())];
        let result = stripe_verifier(Some(300)).verify_at(&pairs[..], b"{}", now);
        prop_assert!(result.is_err());
    }
}
