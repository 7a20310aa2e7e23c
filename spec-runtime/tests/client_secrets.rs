//! Credentials never appear in `Debug`, `Display`, error text or logs, even when the provider echoes
//! them back.

mod client_common;

use client_common::*;
use serde_json::json;
use spec_runtime::client::{ClientError, Credential, RestClient};

const SECRET: &str = "sk_test_VERYSECRET_4242424242";

#[test]
fn a_failing_call_logs_and_reports_no_secret() {
    let logs = Logs::default();
    let guard = logs.capture();
    let spec = leak(stripe_spec_json());
    let err = rt().block_on(async {
        let server = Recorder::start(|_, r| {
            let echoed = r.header("authorization").unwrap_or_default().to_string();
            Reply::json(
                401,
                json!({"error": {"type": "invalid_request_error",
                                 "message": format!("Invalid API Key provided: {echoed}")}}),
            )
            .header("Request-Id", "req_secret_test")
        })
        .await;
        let client = builder(spec, &server.url)
            .credential(Credential::api_key(SECRET))
            .build()
            .unwrap();
        let debug = format!("{client:?}");
        assert!(debug.contains("payments.stripe") && !debug.contains(SECRET), "{debug}");
        let err = client
            .invoke(
                "stripe.customer.update",
                json!({"customer": "cus_1", "metadata": {"k": "v"}}),
            )
            .await
            .unwrap_err();
        // The server did receive the key: masking happens on the way back.
        assert_eq!(
            server.requests()[0].header("authorization"),
            Some(format!("Bearer {SECRET}").as_str())
        );
        err
    });
    drop(guard);

    let ClientError::Api(api) = &err else { panic!("{err:?}") };
    assert_eq!(api.status, 401);
    let message = api.error.as_ref().and_then(|e| e.message.clone()).unwrap_or_default();
    assert_eq!(message, "Invalid API Key provided: Bearer [REDACTED]");
    for text in [err.to_string(), format!("{err:?}"), format!("{:?}", api.error)] {
        assert!(!text.contains(SECRET) && !text.contains("VERYSECRET"), "{text}");
    }

    let text = logs.text();
    assert!(
        text.contains("stripe.customer.update") && text.contains("req_secret_test"),
        "the call was logged: {text}"
    );
    assert!(!text.contains("VERYSECRET"), "{text}");

    let credential = Credential::api_key(SECRET);
    assert!(!format!("{credential:?}").contains("VERYSECRET"));
    let builder = RestClient::builder(spec).credential(Credential::basic(SECRET, Some(SECRET.into())));
    assert!(!format!("{builder:?}").contains("VERYSECRET"));
}

#[test]
fn a_query_parameter_credential_stays_out_of_transport_errors() {
    let logs = Logs::default();
    let _guard = logs.capture();
    let mut v = stripe_spec_json();
    v["supported_auth_methods"] = json!([{"type": "api-key", "query_param": "api_key"}]);
    let spec = leak(v);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = rt().block_on(async {
        let client = builder(spec, &format!("http://127.0.0.1:{port}"))
            .credential(Credential::api_key(SECRET))
            .max_retries(1)
            .build()
            .unwrap();
        client
            .invoke("stripe.customer.list", json!({"limit": 1}))
            .await
            .unwrap_err()
    });
    assert!(matches!(err, ClientError::Connection { .. }), "{err:?}");
    for text in [err.to_string(), format!("{err:?}"), logs.text()] {
        assert!(!text.contains("VERYSECRET"), "{text}");
    }
}
