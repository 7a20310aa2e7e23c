//! The client per-call bench's setup, shared by `benches/client.rs` and the instruction counts (`bin/ic.rs`): a
//! loopback axum server returning the customer fixture, our `RestClient` and raw reqwest.

use std::hint::black_box;

use axum::Router;
use axum::http::header::CONTENT_TYPE;
use axum::routing::get;
use integrations::stripe::{self, Customer, CustomerRetrieveParams, actions::CustomerGet};
use spec_core::RateLimit;
use spec_runtime::client::{Credential, RestClient};

/// The API key both clients send.
pub const API_KEY: &str = "sk_test_bench_4eC39HqLyjWDarjtT1zdp7dc";

/// Serves the customer fixture at `GET /v1/customers/{customer}` on 127.0.0.1, on its own thread and runtime.
pub fn serve() -> String {
    let body = std::fs::read(crate::root().join("integrations/tests/fixtures/customer.json")).expect("fixture");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    listener.set_nonblocking(true).expect("nonblocking");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let app = Router::new().route(
                "/v1/customers/{customer}",
                get(move || {
                    let body = body.clone();
                    async move { ([(CONTENT_TYPE, "application/json")], body) }
                }),
            );
            let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
            axum::serve(listener, app).await.expect("serve");
        });
    });
    format!("http://{addr}")
}

/// The server, both clients and the request of every call.
pub struct Setup {
    /// The client side's current-thread runtime.
    pub rt: tokio::runtime::Runtime,
    base: String,
    ours: RestClient,
    ours_limited: RestClient,
    raw: reqwest::Client,
    version: String,
    agent: String,
    auth: String,
    params: CustomerRetrieveParams,
}

impl Default for Setup {
    fn default() -> Self {
        Self::new()
    }
}

impl Setup {
    /// Starts the server and builds both clients; checks that they get the same customer.
    pub fn new() -> Self {
        let base = serve();
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let spec = stripe::spec();
        let build = |limited: bool| {
            let b = RestClient::builder(spec)
                .base_url(base.clone())
                .credential(Credential::api_key(API_KEY))
                .max_retries(0);
            let b = if limited {
                b.rate_limit(RateLimit {
                    rpm: u32::MAX,
                    rph: None,
                })
            } else {
                b.no_rate_limit()
            };
            b.build().expect("client")
        };
        let setup = Setup {
            ours: build(false),
            ours_limited: build(true),
            raw: reqwest::Client::builder().build().expect("reqwest"),
            version: spec
                .version_policy
                .as_ref()
                .map(|p| p.current_version.clone())
                .expect("Stripe has a version policy"),
            agent: format!("spec-core/0.1.0 ({})", spec.meta.key),
            auth: format!("Bearer {API_KEY}"),
            params: CustomerRetrieveParams {
                customer: "cus_NffrFeUfNV2Hib".into(),
                expand: None,
            },
            base,
            rt,
        };
        // Sanity: both sides get the same customer.
        let a = setup.rt.block_on(setup.call(Variant::Ours));
        let b = setup.rt.block_on(setup.call(Variant::Raw));
        assert_eq!(a, b);
        setup
    }

    /// One call of `variant`.
    pub async fn call(&self, variant: Variant) -> Customer {
        match variant {
            Variant::Ours => self
                .ours
                .call::<CustomerGet>(black_box(&self.params))
                .send()
                .await
                .expect("ours"),
            Variant::OursRateLimited => self
                .ours_limited
                .call::<CustomerGet>(black_box(&self.params))
                .send()
                .await
                .expect("ours"),
            Variant::Raw => {
                let params = black_box(&self.params);
                let url = format!("{}/v1/customers/{}", self.base, params.customer);
                let response = self
                    .raw
                    .get(url)
                    .header("user-agent", &self.agent)
                    .header("stripe-version", &self.version)
                    .header("authorization", &self.auth)
                    .send()
                    .await
                    .expect("send");
                assert!(response.status().is_success());
                let bytes = response.bytes().await.expect("body");
                serde_json::from_slice::<Customer>(&bytes).expect("customer")
            }
        }
    }
}

/// Which client makes a call.
#[derive(Clone, Copy)]
pub enum Variant {
    /// `RestClient` without a rate limiter.
    Ours,
    /// `RestClient` with a rate limiter that never waits.
    OursRateLimited,
    /// reqwest with the same URL and headers, decoding the same type.
    Raw,
}
