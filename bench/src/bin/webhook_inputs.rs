//! Writes the webhook benchmark inputs (`<label>.json` bodies and `<label>.sig` headers, signed now) to the
//! directory given as argument, for the stripe-node and stripe-python timing scripts.

use std::time::{SystemTime, UNIX_EPOCH};

use bench::webhook::{SIZES, invoice_paid, stripe_signature};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).ok_or("usage: webhook_inputs <dir>")?;
    std::fs::create_dir_all(&dir)?;
    let now = i64::try_from(SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs())?;
    for &(label, size) in SIZES {
        let body = invoice_paid(size);
        std::fs::write(format!("{dir}/{label}.json"), &body)?;
        std::fs::write(format!("{dir}/{label}.sig"), stripe_signature(&body, now))?;
    }
    Ok(())
}
