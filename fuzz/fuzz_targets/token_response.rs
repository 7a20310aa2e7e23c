#![no_main]

use libfuzzer_sys::fuzz_target;

// `[status: 2][now: 8][body]`, `$` in the body standing for the credential sent.
fuzz_target!(|data: &[u8]| {
    let (head, body) = data.split_at(data.len().min(10));
    let mut h = [0u8; 10];
    h[..head.len()].copy_from_slice(head);
    let status = match u16::from_le_bytes([h[0], h[1]]) % 4 {
        0 | 1 => 200,
        2 => 400,
        _ => 100 + u16::from_le_bytes([h[0], h[1]]) % 500,
    };
    let now = u64::from_le_bytes([h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9]]);
    spec_runtime::fuzz::token_response(status, &spec_runtime::fuzz::with_secret(body), now);
});
