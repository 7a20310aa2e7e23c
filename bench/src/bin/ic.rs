//! Instruction counts of each comparison of ours against a Rust baseline, for `valgrind --tool=callgrind`:
//! every side runs a fixed number of iterations inside a function of its own (`ic_*`, never inlined), so one
//! callgrind run gives both sides' inclusive counts and `cargo xtask bench` divides them. Setup and a first
//! warm-up call of every side happen outside those functions.
//!
//! ```text
//! ic webhook <size label> <iterations> [side]   # ic_verify, ic_raw_hmac, ic_event, ic_serde_json_value, ic_canonical, ic_typed_parse
//! ic client <iterations>                 # ic_client_ours, ic_client_ours_rate_limited, ic_client_raw_reqwest
//! ```

use std::hint::black_box;

use bench::client::{Setup, Variant};
use bench::webhook::{RawHmac, SIZES, delivery, full_event, reader, verifier};
use integrations::stripe;

/// Functions that each run their closure `n` times: callgrind's inclusive cost of each is one side.
macro_rules! sides {
    ($($name:ident),* $(,)?) => {
        $(
            #[inline(never)]
            fn $name(n: usize, f: &dyn Fn()) {
                // A constant of its own, so that the compiler cannot merge the identical bodies into one
                // symbol (callgrind would then count every side under one name).
                black_box(stringify!($name));
                for _ in 0..n {
                    f();
                }
            }
        )*
    };
}

sides!(
    ic_verify,
    ic_raw_hmac,
    ic_event,
    ic_serde_json_value,
    ic_canonical,
    ic_typed_parse,
    ic_client_ours,
    ic_client_ours_rate_limited,
    ic_client_raw_reqwest,
);

/// Runs `f` once (warm-up, outside the counted function), then `n` times inside `side`.
fn measure(side: fn(usize, &dyn Fn()), n: usize, f: &dyn Fn()) {
    f();
    side(n, f);
}

/// `ic webhook <size> <n> [side]`: with a side (`event`, `canonical`, …), only that one runs, for a profiler
/// or `perf stat` of one side.
fn webhook(label: &str, n: usize, only: Option<&str>) -> Result<(), String> {
    let measure = |name: &str, side: fn(usize, &dyn Fn()), n: usize, f: &dyn Fn()| {
        if only.is_none_or(|o| o == name) {
            measure(side, n, f);
        }
    };
    let &(label, size) = SIZES
        .iter()
        .find(|(l, _)| *l == label)
        .ok_or_else(|| format!("no delivery of size {label}"))?;
    let delivery = delivery(label, size);
    let v = verifier();
    let reader = reader();
    let raw = RawHmac::new(&delivery);
    let body = delivery.body.as_slice();
    let headers = delivery.headers.as_slice();
    measure("verify", ic_verify, n, &|| {
        v.verify(black_box(headers), black_box(body)).expect("authentic");
    });
    measure("raw_hmac", ic_raw_hmac, n, &|| assert!(raw.verify(black_box(body))));
    measure("event", ic_event, n, &|| {
        black_box(full_event(&v, &reader, black_box(&delivery)));
    });
    measure("serde_json_value", ic_serde_json_value, n, &|| {
        black_box(serde_json::from_slice::<serde_json::Value>(black_box(body)).expect("JSON"));
    });
    measure("canonical", ic_canonical, n, &|| {
        black_box(reader.canonical(black_box(body), headers).expect("canonical"));
    });
    let canonical = reader.canonical(body, headers).expect("canonical");
    let object = canonical.data_json();
    measure("typed_parse", ic_typed_parse, n, &|| {
        black_box(stripe::Event::parse_json("invoice.paid", black_box(object)).expect("typed"));
    });
    Ok(())
}

fn client(n: usize) {
    let setup = Setup::new();
    for (side, variant) in [
        (ic_client_ours as fn(usize, &dyn Fn()), Variant::Ours),
        (ic_client_ours_rate_limited, Variant::OursRateLimited),
        (ic_client_raw_reqwest, Variant::Raw),
    ] {
        measure(side, n, &|| {
            black_box(setup.rt.block_on(setup.call(variant)));
        });
    }
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let iterations = |s: Option<&String>| -> Result<usize, String> {
        s.ok_or("missing iteration count")?
            .parse()
            .map_err(|e| format!("iteration count: {e}"))
    };
    match args.first().map(String::as_str) {
        Some("webhook") => webhook(
            args.get(1).ok_or("missing size label")?,
            iterations(args.get(2))?,
            args.get(3).map(String::as_str),
        ),
        Some("client") => {
            client(iterations(args.get(1))?);
            Ok(())
        }
        _ => Err("usage: ic webhook <size> <iterations> [side] | ic client <iterations>".into()),
    }
}
