//! Shared driver of the fuzz targets.

use std::sync::OnceLock;

use spec_core::{Secret, SignatureScheme};
use spec_runtime::webhook::{FixedClock, Signer, Verifier, VerifierOptions};

const NOW: i64 = 1_700_000_000;
const KEY: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

struct Pair {
    verifier: Verifier,
    signer: Signer,
}

fn pair(scheme: SignatureScheme) -> &'static Pair {
    static PAIRS: [OnceLock<Pair>; 4] = [OnceLock::new(), OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let i = match scheme {
        SignatureScheme::Stripe => 0,
        SignatureScheme::Github => 1,
        SignatureScheme::Slack => 2,
        SignatureScheme::StandardWebhooks => 3,
    };
    PAIRS[i].get_or_init(|| {
        let secret = Secret::new(KEY);
        let options = VerifierOptions::for_scheme(scheme);
        Pair {
            verifier: Verifier::new(options.clone(), &[secret.clone(), Secret::new("whsec_b3RoZXI=")])
                .expect("valid fuzz verifier")
                .with_clock(FixedClock(NOW)),
            signer: Signer::new(options, &secret).expect("valid fuzz signer"),
        }
    })
}

/// Splits off a piece whose length is given by the first byte.
fn piece(data: &[u8]) -> (&[u8], &[u8]) {
    match data.split_first() {
        Some((&n, rest)) => rest.split_at(usize::from(n).min(rest.len())),
        None => (&[], &[]),
    }
}

/// Runs one input: `[len][signature header][len][timestamp header][len][id header][body]`.
pub fn run(scheme: SignatureScheme, data: &[u8]) {
    let p = pair(scheme);
    let options = p.verifier.options();
    let (sig, rest) = piece(data);
    let (ts, rest) = piece(rest);
    let (id, body) = piece(rest);
    let headers: [(&str, &[u8]); 3] = [
        (options.signature_header.as_str(), sig),
        (options.timestamp_header.as_deref().unwrap_or("x-timestamp"), ts),
        (options.id_header.as_deref().unwrap_or("x-id"), id),
    ];
    // Random bytes cannot carry a valid MAC under either secret.
    let verdict = p.verifier.verify(&headers, body);
    assert!(verdict.is_err(), "unsigned input verified: {verdict:?}");

    let signed = p.signer.sign(body, NOW);
    assert!(p.verifier.verify(&signed, body).is_ok(), "a signed body must verify");
    if let Some((first, rest)) = body.split_first() {
        let mut changed = Vec::with_capacity(body.len());
        changed.push(first ^ 0x01);
        changed.extend_from_slice(rest);
        assert!(
            p.verifier.verify(&signed, &changed).is_err(),
            "a changed body must fail"
        );
    }
}
