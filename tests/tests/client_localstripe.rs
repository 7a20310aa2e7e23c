//! The REST client end to end against localstripe: a JSON spec declaring Stripe's real customer
//! actions; create, get, update, auto-paged list, and the mapping of 404, 400 and 401 errors.

use std::collections::BTreeSet;
use std::time::Duration;

use futures_util::TryStreamExt;
use serde::Deserialize;
use serde_json::{Value, json};
use spec_core::IntegrationSpec;
use spec_runtime::client::{ClientError, Credential, RestClient, RetryPolicy};
use tests::peers::LocalStripe;

const KEY: &str = "sk_test_12345";

fn spec() -> &'static IntegrationSpec {
    static SPEC: std::sync::OnceLock<&'static IntegrationSpec> = std::sync::OnceLock::new();
    SPEC.get_or_init(|| {
        let string = json!({"type": "string"});
        let metadata = json!({"type": "object", "additionalProperties": {"type": "string"}});
        let customer_out = json!({"type_name": "Customer", "schema": {"type": "object",
            "properties": {"id": string, "email": {"type": ["string", "null"]}}}});
        let v = json!({
            "meta": {"key": "payments.stripe", "version": "1.0.0", "category": "payments", "title": "Stripe",
                     "domain": "payments", "stability": "stable"},
            "supported_modes": ["managed"],
            "transports": [{"type": "rest", "base_url": "https://api.stripe.com", "api_version_header": "Stripe-Version",
                "body": "form", "idempotency_header": "Idempotency-Key", "should_retry_header": "Stripe-Should-Retry",
                "error_pointer": "/error",
                "pagination": {"style": "starting_after", "limit_param": "limit", "cursor_param": "starting_after",
                               "items_field": "data", "has_more_field": "has_more"}}],
            "preferred_transport": "rest",
            "supported_auth_methods": [{"type": "api-key", "header_name": "Authorization", "prefix": "Bearer "}],
            "version_policy": {"current_version": "2024-11-20.acacia",
                               "supported_versions": [{"version": "2024-11-20.acacia", "status": "stable"}]},
            "config": {"type_name": "StripeConfig"},
            "secrets": {"type_name": "StripeSecrets"},
            "health_check": {"method": "ping", "timeout_ms": 5000},
            "constraints": {"rate_limit": {"rpm": 1000, "rph": 20000}},
            "actions": [
                {"id": "stripe.customer.list", "method_name": "customer_list", "method": "GET", "path": "/v1/customers",
                 "paginated": true,
                 "input": {"type_name": "CustomerList", "schema": {"type": "object", "properties": {
                     "limit": {"type": "integer", "minimum": 1, "maximum": 100}, "starting_after": string, "email": string}}},
                 "output": {"type_name": "CustomerListPage"}},
                {"id": "stripe.customer.get", "method_name": "customer_get", "method": "GET",
                 "path": "/v1/customers/{customer}",
                 "input": {"type_name": "CustomerGet", "schema": {"type": "object", "required": ["customer"],
                     "properties": {"customer": string}}},
                 "output": customer_out},
                {"id": "stripe.customer.create", "method_name": "customer_create", "method": "POST",
                 "path": "/v1/customers", "mutates": true,
                 "input": {"type_name": "CustomerCreate", "schema": {"type": "object", "additionalProperties": false,
                     "properties": {"email": string, "name": string, "description": string, "metadata": metadata}}},
                 "output": customer_out},
                {"id": "stripe.customer.update", "method_name": "customer_update", "method": "POST",
                 "path": "/v1/customers/{customer}", "mutates": true,
                 "input": {"type_name": "CustomerUpdate", "schema": {"type": "object", "required": ["customer"],
                     "properties": {"customer": string, "email": string, "name": string, "metadata": metadata}}},
                 "output": customer_out}
            ]
        });
        let spec: IntegrationSpec = serde_json::from_value(v).expect("spec deserializes");
        spec_core::validate(&spec).expect("spec validates");
        Box::leak(Box::new(spec))
    })
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

fn client(ls: &LocalStripe, credential: Option<Credential>) -> RestClient {
    let mut b = RestClient::builder(spec())
        .base_url(&ls.url)
        .retry_policy(RetryPolicy {
            max_retries: 2,
            min_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(50),
            max_retry_after: Duration::from_secs(2),
        })
        .attempt_timeout(Duration::from_secs(10));
    if let Some(c) = credential {
        b = b.credential(c);
    }
    b.build().expect("client builds")
}

async fn wipe(ls: &LocalStripe) {
    let status = reqwest::Client::new()
        .delete(ls.wipe_url())
        .send()
        .await
        .expect("wipe request")
        .status();
    assert!(status.is_success(), "wipe: {status}");
}

#[derive(Debug, Deserialize)]
struct Customer {
    id: String,
    email: Option<String>,
    #[serde(default)]
    metadata: std::collections::BTreeMap<String, String>,
}

#[test]
fn customer_create_get_update_against_localstripe() {
    let Some(ls) = LocalStripe::start() else { return };
    rt().block_on(async {
        wipe(&ls).await;
        let client = client(&ls, Some(Credential::api_key(KEY)));
        client
            .health_check()
            .await
            .expect("health check passes with a valid key");

        let created = client
            .invoke(
                "stripe.customer.create",
                json!({"email": "ada@example.com", "name": "Ada Lovelace", "metadata": {"source": "mobius"},
                       "idempotency_key": "customer-ada-example"}),
            )
            .await
            .expect("create");
        let id = created["id"].as_str().expect("id").to_string();
        assert!(id.starts_with("cus_"), "{created}");
        assert_eq!(created["metadata"], json!({"source": "mobius"}));
        assert_eq!(created["name"], "Ada Lovelace");
        assert!(
            created.get("idempotency_key").is_none(),
            "the key was not sent as a parameter"
        );

        let get = spec().action("stripe.customer.get").unwrap();
        let fetched: Customer = client.request(get, &json!({"customer": id})).send().await.expect("get");
        assert_eq!(fetched.id, id);
        assert_eq!(fetched.email.as_deref(), Some("ada@example.com"));

        let updated = client
            .invoke(
                "stripe.customer.update",
                json!({"customer": id, "metadata": {"tier": "gold"}}),
            )
            .await
            .expect("update");
        assert_eq!(updated["metadata"], json!({"source": "mobius", "tier": "gold"}));

        let again: Customer = client.request(get, &json!({"customer": id})).send().await.expect("get");
        assert_eq!(again.metadata.get("tier").map(String::as_str), Some("gold"));
    });
}

#[test]
fn customer_list_auto_pages_across_pages() {
    let Some(ls) = LocalStripe::start() else { return };
    rt().block_on(async {
        wipe(&ls).await;
        let client = client(&ls, Some(Credential::api_key(KEY)));
        let mut created = BTreeSet::new();
        for i in 0..5 {
            let c = client
                .invoke("stripe.customer.create", json!({"email": format!("c{i}@example.com")}))
                .await
                .expect("create");
            created.insert(c["id"].as_str().expect("id").to_string());
        }
        let list = spec().action("stripe.customer.list").unwrap();
        let one_page: Value = client.request(list, &json!({"limit": 2})).send().await.unwrap();
        assert_eq!(one_page["data"].as_array().map(Vec::len), Some(2));
        assert_eq!(one_page["has_more"], true);

        let all: Vec<Customer> = client
            .paginate(list, &json!({"limit": 2}))
            .try_collect()
            .await
            .expect("paging");
        assert_eq!(all.len(), 5, "three pages of at most two");
        let ids: BTreeSet<String> = all.into_iter().map(|c| c.id).collect();
        assert_eq!(ids, created);
    });
}

#[test]
fn errors_are_mapped_from_localstripe() {
    let Some(ls) = LocalStripe::start() else { return };
    rt().block_on(async {
        wipe(&ls).await;
        let client = client(&ls, Some(Credential::api_key(KEY)));

        // 404: a missing customer.
        let err = client
            .invoke("stripe.customer.get", json!({"customer": "cus_doesnotexist"}))
            .await
            .unwrap_err();
        let ClientError::Api(api) = &err else { panic!("{err:?}") };
        assert_eq!((api.status, api.attempts), (404, 1));
        let e = api.error.as_ref().expect("error object");
        assert_eq!(e.kind.as_deref(), Some("invalid_request_error"));
        assert_eq!(e.message.as_deref(), Some("Not Found"));

        // 400: an unknown parameter (sent through the unchecked request path; invoke would refuse it).
        let create = spec().action("stripe.customer.create").unwrap();
        let err = client
            .request::<Value>(create, &json!({"email": "x@example.com", "favourite_colour": "blue"}))
            .send()
            .await
            .unwrap_err();
        assert_eq!((err.status(), err.attempts()), (Some(400), 1));
        let message = err.provider_error().and_then(|e| e.message.clone()).unwrap_or_default();
        assert!(message.contains("favourite_colour"), "{message}");
        let err = client
            .invoke("stripe.customer.create", json!({"favourite_colour": "blue"}))
            .await
            .unwrap_err();
        assert!(matches!(err, ClientError::InvalidInput { .. }), "{err:?}");

        // 401: no key, and a key localstripe rejects (it accepts only `sk_…` keys).
        let anonymous = self::client(&ls, None);
        let err = anonymous.invoke("stripe.customer.list", json!({})).await.unwrap_err();
        assert_eq!((err.status(), err.attempts()), (Some(401), 1));
        assert_eq!(
            err.provider_error().and_then(|e| e.message.as_deref()),
            Some("Unauthorized")
        );

        let bad = self::client(&ls, Some(Credential::api_key("pk_test_not_a_secret_key_987")));
        let err = bad
            .invoke("stripe.customer.list", json!({"limit": 1}))
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(401));
        assert!(!format!("{err} {err:?}").contains("pk_test_not_a_secret_key_987"));
        assert!(
            bad.health_check().await.is_err(),
            "the health check fails with a bad key"
        );
    });
}
