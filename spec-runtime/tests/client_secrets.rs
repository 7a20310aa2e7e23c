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

/// A 200 response whose field of the wrong type holds the key: serde quotes the value in its message
/// ("invalid type: string \"sk_test_…\""), and that message reaches `ClientError::Decode`.
#[test]
fn a_decode_error_quoting_the_key_shows_no_secret() {
    use futures_util::StreamExt;

    #[derive(Debug, serde::Deserialize)]
    struct Typed {
        #[allow(dead_code)]
        id: u32,
    }

    let logs = Logs::default();
    let guard = logs.capture();
    let spec = leak(stripe_spec_json());
    let (decode, item, invalid) = rt().block_on(async {
        let server = Recorder::start(|_, r| {
            if r.path == "/v1/customers" {
                Reply::json(
                    200,
                    json!({"object": "list", "data": [{"id": SECRET}], "has_more": false}),
                )
            } else {
                Reply::json(200, json!({"id": SECRET})).header("Request-Id", SECRET)
            }
        })
        .await;
        let client = builder(spec, &server.url)
            .credential(Credential::api_key(SECRET))
            .build()
            .unwrap();
        let decode = client
            .request::<Typed>(
                spec.action("stripe.customer.get").unwrap(),
                &json!({"customer": "cus_1"}),
            )
            .send()
            .await
            .unwrap_err();
        let item = client
            .paginate::<Typed>(spec.action("stripe.customer.list").unwrap(), &json!({"limit": 1}))
            .collect::<Vec<_>>()
            .await
            .pop()
            .unwrap()
            .unwrap_err();
        // The input schema allows no other property: the violation quotes the name given.
        let invalid = client
            .invoke("stripe.customer.create", json!({SECRET: "x"}))
            .await
            .unwrap_err();
        (decode, item, invalid)
    });
    drop(guard);

    let ClientError::Decode {
        message, request_id, ..
    } = &decode
    else {
        panic!("{decode:?}")
    };
    assert!(
        message.contains("invalid type: string \"[REDACTED]\""),
        "the decoder's message is kept, masked: {message}"
    );
    assert_eq!(request_id.as_deref(), Some("[REDACTED]"));
    assert!(matches!(item, ClientError::Decode { .. }), "{item:?}");
    assert!(matches!(invalid, ClientError::InvalidInput { .. }), "{invalid:?}");
    for e in [&decode, &item, &invalid] {
        for text in [e.to_string(), format!("{e:?}"), format!("{e:#?}")] {
            assert!(!text.contains("VERYSECRET"), "{text}");
        }
        assert!(format!("{e:?}").contains("[REDACTED]"), "{e:?}");
    }
    assert!(!logs.text().contains("VERYSECRET"), "{}", logs.text());
}
