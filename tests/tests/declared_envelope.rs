//! An integration that declares its own event envelope (id in a custom header, type and object nested in the
//! body): the ingestion endpoint built from its spec reads and deduplicates deliveries by what it declares.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;
use spec_core::{EventEnvelope, FieldSource};
use spec_core::{Secret, SignatureScheme};
use spec_runtime::event::{EventError, EventReader};
use spec_runtime::ingest::{ConnectionId, Delivery, InMemoryResolver, Outcome, Rejection, WebhookIngest};
use spec_runtime::webhook::Signer;
use tokio::sync::mpsc;

/// An order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Order {
    /// Order reference.
    #[serde(rename = "ref")]
    pub reference: String,
    /// Object kind.
    pub kind: String,
    /// Total in cents.
    pub total: i64,
}

/// Parameters of an order lookup.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct OrderGetParams {
    /// Order reference.
    pub order: String,
}

mod acme {
    use super::{Order, OrderGetParams};
    use tests::acme::{AcmeConfig, AcmeSecrets};

    spec_macros::define_integration! {
        /// Acme orders, whose deliveries carry their id in a header.
        acme {
            meta: { key: "custom.acme", version: "1.0.0", category: custom, title: "Acme", domain: "custom",
                    stability: beta },
            supported_modes: [managed],
            transports: [
                rest { base_url: "https://api.acme.test", body: json },
                webhook { inbound: { signature_header: "Acme-Signature", signing_algorithm: hmac_sha256, scheme: stripe } },
            ],
            preferred_transport: rest,
            supported_auth_methods: [
                bearer {},
                webhook_signing { algorithm: hmac_sha256, signature_header: "Acme-Signature" },
            ],
            config: AcmeConfig = { region: "eu" },
            secrets: AcmeSecrets = { api_key: "***", webhook_secret: "***" },
            actions: [
                /// Get an order.
                order_get { id: "acme.order.get", method: GET, path: "/orders/{order}", input: OrderGetParams,
                            output: Order },
            ],
            events: {
                prefix: "acme.",
                envelope: {
                    id: { header: "X-Acme-Delivery" },
                    type: [{ body: "/event/kind" }],
                    created: { body: "/event/at" },
                    account: { body: "/tenant" },
                    object: { body: "/event/order" },
                    object_id: "/ref",
                    object_type: "/kind",
                },
                types: [ "order.paid" => Order ],
            },
        }
    }
}

const SECRET: &str = "whsec_acme_declared_envelope";

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

fn body(reference: &str, total: i64) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "tenant": "tenant_9",
        "event": {"kind": "order.paid", "at": 1_700_000_123, "order": {"ref": reference, "kind": "order", "total": total}}
    }))
    .unwrap()
}

fn signed(body: &[u8], delivery: Option<&str>) -> Vec<(String, String)> {
    let mut headers = Signer::from_spec(acme::spec(), &Secret::new(SECRET))
        .unwrap()
        .sign(body, now())
        .0;
    if let Some(id) = delivery {
        headers.push(("X-Acme-Delivery".into(), id.into()));
    }
    headers
}

#[test]
fn the_spec_carries_the_declared_envelope() {
    let envelope = acme::spec().event_envelope().unwrap().into_owned();
    assert_eq!(envelope.id, FieldSource::header("X-Acme-Delivery"));
    assert_ne!(envelope, EventEnvelope::for_scheme(SignatureScheme::Stripe));
}

#[test]
fn the_reader_follows_the_declaration_and_types_the_object() {
    let reader = EventReader::from_spec(acme::spec()).unwrap();
    let body = body("ord_1", 1200);
    let (typed, event) = reader
        .typed::<acme::Event, _>(&body, &[("x-acme-delivery", " dlv_1 ")])
        .unwrap();
    assert_eq!(event.id, "dlv_1");
    assert_eq!(event.event_type, "acme.order.paid");
    assert_eq!(event.account_id.as_deref(), Some("tenant_9"));
    assert_eq!(event.created, Some(1_700_000_123));
    assert_eq!(
        (event.object_id.as_deref(), event.object_type.as_deref()),
        (Some("ord_1"), Some("order"))
    );
    assert_eq!(event.data(), json!({"ref": "ord_1", "kind": "order", "total": 1200}));
    match typed {
        acme::Event::OrderPaid(order) => assert_eq!((order.reference.as_str(), order.total), ("ord_1", 1200)),
        other => panic!("{other:?}"),
    }
    // The body's own fields are not where this provider puts the id.
    let no_header: [(&str, &str); 0] = [];
    assert_eq!(
        reader.canonical(&body, &no_header).unwrap_err(),
        EventError::MissingField {
            field: "id",
            location: "header `X-Acme-Delivery`".into()
        }
    );
}

#[tokio::test]
async fn the_endpoint_dedupes_by_the_declared_header_id() {
    let resolver = InMemoryResolver::new();
    resolver.insert("tenant_9", ConnectionId::new("conn_acme"));
    let (tx, mut rx) = mpsc::channel::<Delivery>(8);
    let ingest = WebhookIngest::from_spec(acme::spec(), &[Secret::new(SECRET)], resolver, tx).unwrap();

    let first = body("ord_1", 1200);
    let outcome = ingest.ingest(&signed(&first, Some("dlv_1")), &first).await;
    assert!(
        matches!(&outcome, Outcome::Delivered { event_id, .. } if event_id == "dlv_1"),
        "{outcome:?}"
    );
    let d = rx.try_recv().unwrap();
    assert_eq!(d.connection.as_str(), "conn_acme");
    assert_eq!(d.event.object_id.as_deref(), Some("ord_1"));

    // Another body under the same delivery id is a redelivery: acknowledged, not handed on.
    let other = body("ord_2", 99);
    let outcome = ingest.ingest(&signed(&other, Some("dlv_1")), &other).await;
    assert!(
        matches!(&outcome, Outcome::Duplicate { event_id, .. } if event_id == "dlv_1"),
        "{outcome:?}"
    );
    assert!(rx.try_recv().is_err());

    // The same body under a new delivery id is a new event.
    let outcome = ingest.ingest(&signed(&first, Some("dlv_2")), &first).await;
    assert!(
        matches!(&outcome, Outcome::Delivered { event_id, .. } if event_id == "dlv_2"),
        "{outcome:?}"
    );
    assert_eq!(rx.try_recv().unwrap().event.id, "dlv_2");

    // Without the header the delivery has no id.
    let outcome = ingest.ingest(&signed(&first, None), &first).await;
    assert!(
        matches!(
            &outcome,
            Outcome::Rejected(Rejection::InvalidEvent(EventError::MissingField { field: "id", .. }))
        ),
        "{outcome:?}"
    );
}
