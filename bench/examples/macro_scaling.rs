//! Expansion time of `define_integration!` alone, in process, on synthetic declarations of 100 / 1000 / 2000
//! actions and events (the shape `cargo xtask bench macro-scaling` builds), with the per-item slope between
//! sizes: a slope that grows with the size is superlinear work in the macro. Run it in a debug build
//! (`cargo run --example macro_scaling`): proc macros run unoptimised in a debug build of their users.

#![allow(dead_code, missing_docs)]

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

use std::fmt::Write as _;
use std::time::{Duration, Instant};

/// The body of the synthetic `define_integration!` with `n` actions and `n` events.
fn synthetic(n: usize) -> String {
    let mut actions = String::new();
    let mut events = String::new();
    for i in 0..n {
        let _ = writeln!(
            actions,
            "op_{i} {{ id: \"synth.object{i}.get\", method: GET, path: \"/v1/objects{i}\", input: Params, output: Item }},"
        );
        let _ = writeln!(events, "\"object{i}.updated\" => Item,");
    }
    format!(
        r#"synth {{
        meta: {{ key: "custom.synth", version: "1.0.0", category: custom, title: "Synthetic", domain: "custom", stability: idea }},
        supported_modes: [managed],
        transports: [rest {{ base_url: "https://api.synth.test", body: json }}],
        preferred_transport: rest,
        supported_auth_methods: [bearer {{}}],
        config: Config = {{ region: "eu" }},
        secrets: Secrets = {{ api_key: "***" }},
        actions: [
{actions}        ],
        events: {{ prefix: "synth.", types: [
{events}        ] }},
    }}"#
    )
}

/// Best of `runs` expansions of `n` actions.
fn expand(n: usize, runs: usize) -> Duration {
    let body: proc_macro2::TokenStream = synthetic(n).parse().expect("tokens");
    let out = pipeline::define_integration(body.clone()).to_string();
    assert!(
        !out.contains("compile_error"),
        "the synthetic declaration must expand cleanly"
    );
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(pipeline::define_integration(body.clone()));
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    let sizes: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() {
        vec![10, 100, 1000, 2000]
    } else {
        sizes
    };
    let mut prev: Option<(usize, Duration)> = None;
    let mut slopes = Vec::new();
    for n in sizes {
        let t = expand(n, if n >= 1000 { 3 } else { 10 });
        let slope = prev.map(|(m, u)| (t.as_secs_f64() - u.as_secs_f64()) / (n - m) as f64);
        match slope {
            Some(s) => {
                println!(
                    "{n:>5} actions: {:>9.2} ms   slope {:.3} ms/item",
                    t.as_secs_f64() * 1e3,
                    s * 1e3
                );
                slopes.push(s);
            }
            None => println!("{n:>5} actions: {:>9.2} ms", t.as_secs_f64() * 1e3),
        }
        prev = Some((n, t));
    }
    if let (Some(first), Some(last)) = (slopes.first(), slopes.last()) {
        println!("last slope ÷ first slope: {:.2}×", last / first);
    }
}
