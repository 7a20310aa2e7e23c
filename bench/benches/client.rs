//! Per-call overhead of the REST client: a GET action against a loopback server, against raw reqwest sending the
//! same request (same headers) to the same server and decoding the same type.

#![allow(missing_docs)]

use std::hint::black_box;

use axum::Router;
use axum::http::header::CONTENT_TYPE;
use axum::routing::get;
use criterion::{Criterion, criterion_group, criterion_main};
use integrations::stripe::{self, Customer, CustomerRetrieveParams, actions::CustomerGet};
use spec_core::RateLimit;
use spec_core::client::{Credential, RestClient};

const API_KEY: &str = "sk_test_bench_4eC39HqLyjWDarjtT1zdp7dc";

/// Serves the customer fixture at `GET /v1/customers/{customer}` on 127.0.0.1, on its own thread and runtime.
fn serve() -> String {
    let body = std::fs::read(bench::root().join("integrations/tests/fixtures/customer.json")).expect("fixture");
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

fn client(c: &mut Criterion) {
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
    let ours = build(false);
    let ours_limited = build(true);
    let raw = reqwest::Client::builder().build().expect("reqwest");
    let version = spec
        .version_policy
        .as_ref()
        .map(|p| p.current_version.clone())
        .expect("Stripe has a version policy");
    let agent = format!("spec-core/0.1.0 ({})", spec.meta.key);
    let auth = format!("Bearer {API_KEY}");
    let params = CustomerRetrieveParams {
        customer: "cus_NffrFeUfNV2Hib".into(),
        expand: None,
    };
    let raw_call = || async {
        let url = format!("{base}/v1/customers/{}", params.customer);
        let response = raw
            .get(url)
            .header("user-agent", &agent)
            .header("stripe-version", &version)
            .header("authorization", &auth)
            .send()
            .await
            .expect("send");
        assert!(response.status().is_success());
        let bytes = response.bytes().await.expect("body");
        serde_json::from_slice::<Customer>(&bytes).expect("customer")
    };
    // Sanity: both sides get the same customer.
    let a = rt.block_on(ours.call::<CustomerGet>(&params).send()).expect("ours");
    let b = rt.block_on(raw_call());
    assert_eq!(a, b);

    let mut group = c.benchmark_group("client_get");
    group.bench_function("ours", |b| {
        b.to_async(&rt)
            .iter(|| async { ours.call::<CustomerGet>(black_box(&params)).send().await.expect("ours") })
    });
    group.bench_function("ours_rate_limited", |b| {
        b.to_async(&rt).iter(|| async {
            ours_limited
                .call::<CustomerGet>(black_box(&params))
                .send()
                .await
                .expect("ours")
        })
    });
    group.bench_function("raw_reqwest", |b| b.to_async(&rt).iter(raw_call));
    group.finish();
}

criterion_group!(benches, client);
criterion_main!(benches);
