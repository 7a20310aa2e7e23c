//! The client-side rate limit from `constraints.rate_limit`: a burst never exceeds the declared rpm, and
//! clones of a client share the limit. (The per-hour window and the exact pacing are checked on a fake
//! clock in the `rate_limit` unit tests.)

mod client_common;

use client_common::*;
use serde_json::json;
use spec_runtime::client::{ClientError, RateLimitMode};

#[test]
fn a_burst_never_exceeds_the_declared_rpm_and_clones_share_it() {
    let mut v = stripe_spec_json();
    v["constraints"] = json!({"rate_limit": {"rpm": 3, "rph": 100}});
    let spec = leak(v);
    rt().block_on(async {
        let server = Recorder::start(|_, _| Reply::ok()).await;
        let client = builder(spec, &server.url)
            .rate_limit_mode(RateLimitMode::FailFast)
            .build()
            .unwrap();
        let clone = client.clone();

        let mut calls = Vec::new();
        for i in 0..8 {
            let c = if i % 2 == 0 { client.clone() } else { clone.clone() };
            calls.push(tokio::spawn(async move {
                c.invoke("stripe.customer.get", json!({"customer": format!("cus_{i}")}))
                    .await
            }));
        }
        let mut ok = 0;
        let mut limited = 0;
        for call in calls {
            match call.await.unwrap() {
                Ok(_) => ok += 1,
                Err(ClientError::RateLimited { retry_in, .. }) => {
                    assert!(
                        retry_in.as_secs() <= 20,
                        "the next slot is at most 60/rpm away: {retry_in:?}"
                    );
                    limited += 1;
                }
                Err(e) => panic!("{e:?}"),
            }
        }
        assert_eq!((ok, limited), (3, 5));
        assert_eq!(server.requests().len(), 3, "the provider saw no more than rpm requests");
    });
}

#[test]
fn an_override_replaces_the_spec_limit_and_can_remove_it() {
    let mut v = stripe_spec_json();
    v["constraints"] = json!({"rate_limit": {"rpm": 1}});
    let spec = leak(v);
    rt().block_on(async {
        let server = Recorder::start(|_, _| Reply::ok()).await;
        let client = builder(spec, &server.url)
            .rate_limit(spec_core::RateLimit { rpm: 2, rph: None })
            .rate_limit_mode(RateLimitMode::FailFast)
            .build()
            .unwrap();
        let mut results = Vec::new();
        for _ in 0..3 {
            results.push(
                client
                    .invoke("stripe.customer.get", json!({"customer": "cus_1"}))
                    .await
                    .is_ok(),
            );
        }
        assert_eq!(results, [true, true, false]);

        let unlimited = builder(spec, &server.url).no_rate_limit().build().unwrap();
        for _ in 0..5 {
            unlimited
                .invoke("stripe.customer.get", json!({"customer": "cus_1"}))
                .await
                .unwrap();
        }
        assert_eq!(server.requests().len(), 7);
    });
}

#[test]
fn a_rate_limit_wait_is_cut_by_the_overall_timeout() {
    let mut v = stripe_spec_json();
    v["constraints"] = json!({"rate_limit": {"rpm": 1}});
    let spec = leak(v);
    rt().block_on(async {
        let server = Recorder::start(|_, _| Reply::ok()).await;
        let client = builder(spec, &server.url)
            .total_timeout(std::time::Duration::from_millis(200))
            .build()
            .unwrap();
        client
            .invoke("stripe.customer.get", json!({"customer": "cus_1"}))
            .await
            .unwrap();
        // The next slot is a minute away, past the overall deadline: the call ends with it, sending nothing.
        let err = client
            .invoke("stripe.customer.get", json!({"customer": "cus_2"}))
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                ClientError::Timeout {
                    attempts: 0,
                    scope: spec_runtime::client::TimeoutScope::Total,
                    ..
                }
            ),
            "{err:?}"
        );
        assert_eq!(server.requests().len(), 1);
    });
}
