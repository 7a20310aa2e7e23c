//! `cargo xtask bench compile`: clean builds of three small binaries doing the same Stripe work, timed in the
//! same run, debug and release, with the peak memory of the compiler (`/usr/bin/time -v`, maximum RSS of the
//! largest process of the build):
//!
//! - `baseline`: tokio + reqwest (rustls/ring) + serde + hmac, one POST;
//! - `ours`: the same using the Stripe integration (create a customer and a PaymentIntent, verify a webhook),
//!   with the features a user of the Stripe client picks: `integrations` with `stripe` only, `spec-core` with
//!   `client` and `webhook` only;
//! - `async-stripe`: the same using async-stripe 1.0.0-rc.10 (rustls/ring) with the resources a Stripe
//!   integration like ours covers.
//!
//! Reported: (ours − baseline) ÷ (async-stripe − baseline) build time (target ≤ 0.10) and peak compiler memory
//! (target ≤ 0.6 GB).

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::{cargo, root};

const BASELINE_TOML: &str = r#"
[dependencies]
hex = "0.4.3"
hmac = "0.12.1"
reqwest = { version = "0.12.28", default-features = false, features = ["rustls-tls"] }
serde = { version = "1.0.229", features = ["derive"] }
serde_json = "1.0.154"
sha2 = "0.10.9"
tokio = { version = "1.54.1", features = ["rt", "macros"] }
"#;

const BASELINE_MAIN: &str = r#"
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};

#[derive(Serialize)]
struct NewCustomer<'a> { email: &'a str }
#[derive(Deserialize)]
struct Customer { id: String }

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let key = std::env::var("STRIPE_SECRET_KEY").unwrap_or_default();
    let body = reqwest::Client::new()
        .post("https://api.stripe.com/v1/customers")
        .bearer_auth(&key)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("email={}", NewCustomer { email: "a@example.com" }.email))
        .send().await?.bytes().await?;
    let customer: Customer = serde_json::from_slice(&body)?;
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(b"whsec_x")?;
    mac.update(customer.id.as_bytes());
    println!("{} {}", customer.id, hex::encode(mac.finalize().into_bytes()));
    let _ = serde_json::to_string(&NewCustomer { email: "b@example.com" })?;
    Ok(())
}
"#;

fn ours_toml() -> String {
    let root = root();
    format!(
        r#"
[dependencies]
integrations = {{ path = "{0}/integrations", default-features = false, features = ["stripe"] }}
spec-core = {{ path = "{0}/spec-core", default-features = false }}
spec-runtime = {{ path = "{0}/spec-runtime", default-features = false, features = ["client", "webhook"] }}
tokio = {{ version = "1.54.1", features = ["rt", "macros"] }}
"#,
        root.display()
    )
}

const OURS_MAIN: &str = r#"
use integrations::stripe::{self, actions::{CustomerCreate, PaymentIntentCreate}};
use spec_runtime::client::{Credential, RestClient};
use spec_runtime::webhook::Verifier;
use spec_core::Secret;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let key = std::env::var("STRIPE_SECRET_KEY").unwrap_or_default();
    let client = RestClient::builder(stripe::spec()).credential(Credential::api_key(key)).build()?;
    let customer = client.call::<CustomerCreate>(&Default::default()).await?;
    let params = stripe::PaymentIntentCreateParams {
        amount: 1000,
        currency: "usd".into(),
        customer: Some(customer.id.clone()),
        ..Default::default()
    };
    let intent = client.call::<PaymentIntentCreate>(&params).await?;
    let verifier = Verifier::from_spec(stripe::spec(), &[Secret::new("whsec_x")])?;
    let ok = verifier.verify(&[("stripe-signature", "t=1,v1=00")], b"{}").is_ok();
    println!("{} {} {ok}", customer.id, intent.id);
    Ok(())
}
"#;

const ASYNC_STRIPE_TOML: &str = r#"
[dependencies]
async-stripe = { version = "=1.0.0-rc.10", default-features = false, features = ["rustls-ring", "rustls-tls-webpki-roots"] }
async-stripe-billing = { version = "=1.0.0-rc.10", features = ["invoice", "subscription"] }
async-stripe-checkout = { version = "=1.0.0-rc.10", features = ["checkout_session"] }
async-stripe-core = { version = "=1.0.0-rc.10", features = ["customer", "payment_intent", "refund"] }
async-stripe-payment = { version = "=1.0.0-rc.10", features = ["payment_link"] }
async-stripe-product = { version = "=1.0.0-rc.10", features = ["product", "price"] }
async-stripe-types = "=1.0.0-rc.10"
async-stripe-webhook = { version = "=1.0.0-rc.10", features = ["async-stripe-core", "async-stripe-billing", "async-stripe-checkout", "async-stripe-payment"] }
tokio = { version = "1.54.1", features = ["rt", "macros"] }
"#;

const ASYNC_STRIPE_MAIN: &str = r#"
use stripe::Client;
use stripe_core::customer::CreateCustomer;
use stripe_core::payment_intent::CreatePaymentIntent;
use stripe_webhook::Webhook;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let key = std::env::var("STRIPE_SECRET_KEY").unwrap_or_default();
    let client = Client::new(key);
    let customer = CreateCustomer::new().email("a@example.com").send(&client).await?;
    let intent = CreatePaymentIntent::new(1000, stripe_types::Currency::USD)
        .customer(customer.id.as_str())
        .send(&client)
        .await?;
    let ok = Webhook::construct_event("{}", "t=1,v1=00", "whsec_x").is_ok();
    println!("{} {} {ok}", customer.id, intent.id);
    Ok(())
}
"#;

/// One clean build: wall time, CPU time (user + system, every compiler process) and peak RSS (bytes) of the
/// largest process.
struct Build {
    wall: Duration,
    cpu: f64,
    max_rss: u64,
}

fn write_crate(dir: &Path, name: &str, deps: &str, main: &str) -> Result<(), String> {
    std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[workspace]\n{deps}"
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("src/main.rs"), main).map_err(|e| e.to_string())
}

fn clean_build(dir: &Path, release: bool) -> Result<Build, String> {
    let target = dir.join("target");
    if target.exists() {
        std::fs::remove_dir_all(&target).map_err(|e| format!("cannot clean {}: {e}", target.display()))?;
    }
    // Resolve and download first, so only compilation is timed.
    let status = Command::new(cargo())
        .current_dir(dir)
        .args(["fetch", "--quiet"])
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("cargo fetch failed in {}", dir.display()));
    }
    let mut cmd = Command::new("/usr/bin/time");
    cmd.current_dir(dir)
        .env("CARGO_TARGET_DIR", &target)
        .args(["-v", &cargo()])
        .args(["build", "--quiet", "--offline", "--timings"]);
    if release {
        cmd.arg("--release");
    }
    let start = Instant::now();
    let output = cmd.output().map_err(|e| format!("cannot run /usr/bin/time: {e}"))?;
    let wall = start.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!("build failed in {}:\n{stderr}", dir.display()));
    }
    // Per-unit durations of this build, kept beside the crate (the next clean build deletes `target`).
    let profile = if release { "release" } else { "debug" };
    let timings = dir.join(format!("timings-{profile}.html"));
    std::fs::copy(target.join("cargo-timings/cargo-timing.html"), &timings)
        .map_err(|e| format!("cannot keep the timings report as {}: {e}", timings.display()))?;
    let field = |name: &str| {
        stderr
            .lines()
            .find_map(|l| l.trim().strip_prefix(name))
            .and_then(|v| v.trim().parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    let max_rss = (field("Maximum resident set size (kbytes):") * 1024.0) as u64;
    let cpu = field("User time (seconds):") + field("System time (seconds):");
    Ok(Build { wall, cpu, max_rss })
}

/// The verdict on `(ours − base) ÷ (async-stripe − base)` against its ≤ 0.10 target. A negative or undefined
/// ratio means one of the builds took less time than the baseline, which no real difference explains: it is
/// noise (another build on the machine slowed the baseline), so the run is inconclusive, not a pass.
fn overhead_verdict(ratio: f64) -> &'static str {
    if !ratio.is_finite() || ratio < 0.0 {
        "INCONCLUSIVE (a build was faster than the baseline: noise; run again on a quieter machine)"
    } else if ratio <= 0.10 {
        "met"
    } else {
        "MISSED"
    }
}

pub(crate) fn compile(debug_only: bool) -> Result<String, String> {
    let base = root().join("target/bench/compile");
    let crates = [
        ("baseline", BASELINE_TOML.to_string(), BASELINE_MAIN),
        ("ours", ours_toml(), OURS_MAIN),
        ("async-stripe", ASYNC_STRIPE_TOML.to_string(), ASYNC_STRIPE_MAIN),
    ];
    for (name, deps, main) in &crates {
        write_crate(&base.join(name), &format!("compile-{name}"), deps, main)?;
    }
    let mut out = String::from(
        "## Compile time (clean builds, same run)\n\n| profile | baseline | ours | async-stripe | (ours − base) ÷ (async-stripe − base) | target | peak rustc RSS (ours) | target |\n|---|---|---|---|---|---|---|---|\n",
    );
    let mut cpu_rows = String::new();
    let profiles: &[bool] = if debug_only { &[false] } else { &[false, true] };
    for &release in profiles {
        let mut builds = Vec::new();
        for (name, _, _) in &crates {
            eprintln!("building {name} ({})", if release { "release" } else { "debug" });
            builds.push(clean_build(&base.join(name), release)?);
        }
        let [b, o, a] = [&builds[0], &builds[1], &builds[2]];
        let ratio = (o.wall.as_secs_f64() - b.wall.as_secs_f64()) / (a.wall.as_secs_f64() - b.wall.as_secs_f64());
        let gb = |x: u64| x as f64 / 1e9;
        let _ = writeln!(
            out,
            "| {} | {:.1} s ({:.2} GB) | {:.1} s ({:.2} GB) | {:.1} s ({:.2} GB) | {ratio:.3} | ≤ 0.10: {} | {:.2} GB | ≤ 0.6 GB: {} |",
            if release { "release" } else { "debug" },
            b.wall.as_secs_f64(),
            gb(b.max_rss),
            o.wall.as_secs_f64(),
            gb(o.max_rss),
            a.wall.as_secs_f64(),
            gb(a.max_rss),
            overhead_verdict(ratio),
            gb(o.max_rss),
            if gb(o.max_rss) <= 0.6 { "met" } else { "MISSED" },
        );
        let cpu_ratio = (o.cpu - b.cpu) / (a.cpu - b.cpu);
        let _ = writeln!(
            cpu_rows,
            "| {} | {:.1} s | {:.1} s | {:.1} s | {cpu_ratio:.3} | {} |",
            if release { "release" } else { "debug" },
            b.cpu,
            o.cpu,
            a.cpu,
            overhead_verdict(cpu_ratio),
        );
    }
    let _ = writeln!(
        out,
        "\nCPU time (user + system of every compiler process; less sensitive to other load on the machine than \
         wall time):\n\n| profile | baseline | ours | async-stripe | (ours − base) ÷ (async-stripe − base) | ≤ 0.10 |\n\
         |---|---|---|---|---|---|\n{cpu_rows}"
    );
    let _ = writeln!(
        out,
        "\nEach build starts from an empty target dir with sources already fetched; `nproc` = {}. Per-unit \
         durations (`cargo build --timings`): `target/bench/compile/<name>/timings-<profile>.html`.\n",
        std::thread::available_parallelism().map_or(0, std::num::NonZero::get)
    );
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::overhead_verdict;

    #[test]
    fn a_negative_overhead_is_inconclusive_not_met() {
        assert_eq!(overhead_verdict(0.05), "met");
        assert_eq!(overhead_verdict(0.2), "MISSED");
        assert!(overhead_verdict(-0.03).starts_with("INCONCLUSIVE"));
        assert!(overhead_verdict(f64::NAN).starts_with("INCONCLUSIVE"));
    }
}
