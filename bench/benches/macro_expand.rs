//! Expansion time of `define_integration!` on the real Stripe declaration, in process (the macro's modules are
//! compiled into this bench; proc_macro2 runs outside the compiler).

// The macro's modules are compiled here with `cfg(test)` (a bench target), which brings in their test modules'
// imports without the tests that use them.
#![allow(dead_code, missing_docs, unused_imports)]

#[path = "../../spec-macros/src/check/mod.rs"]
mod check;
#[path = "../../spec-macros/src/expand/mod.rs"]
mod expand;
#[path = "../../spec-macros/src/ir.rs"]
mod ir;
#[path = "../../spec-macros/src/parse.rs"]
mod parse;
#[path = "../../spec-macros/src/pipeline.rs"]
mod pipeline;
#[path = "../../spec-macros/src/schema.rs"]
mod schema;
#[path = "../../spec-macros/src/side.rs"]
mod side;
#[path = "../../spec-macros/src/to_json.rs"]
mod to_json;

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn expand(c: &mut Criterion) {
    let body: proc_macro2::TokenStream = bench::declaration_body("integrations/src/stripe/mod.rs")
        .parse()
        .expect("tokens");
    let out = pipeline::define_integration(body.clone()).to_string();
    assert!(
        !out.contains("compile_error"),
        "the Stripe declaration must expand cleanly"
    );
    c.bench_function("macro/expand_stripe", |b| {
        b.iter(|| pipeline::define_integration(black_box(body.clone())))
    });
    c.bench_function("macro/tokenize_baseline", |b| {
        b.iter(|| black_box(body.clone()).into_iter().count())
    });
}

criterion_group!(benches, expand);
criterion_main!(benches);
