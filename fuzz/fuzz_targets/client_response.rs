#![no_main]

use libfuzzer_sys::fuzz_target;
use spec_core_fuzz::piece;

const NAMES: [&str; 6] = [
    "retry-after",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "stripe-should-retry",
    "request-id",
    "content-type",
];

// `[status: 2][now: 8]` then up to six `[len][value]` header values (retry-after, rate-limit remaining and
// reset, should-retry, request id, content type), then the body; `$` stands for the API key.
fuzz_target!(|data: &[u8]| {
    let (head, mut rest) = data.split_at(data.len().min(10));
    let mut h = [0u8; 10];
    h[..head.len()].copy_from_slice(head);
    let status = 100 + u16::from_le_bytes([h[0], h[1]]) % 500;
    let now = u64::from_le_bytes([h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9]]);
    let mut headers = Vec::new();
    for name in NAMES {
        let (value, after) = piece(rest);
        headers.push((name, value));
        rest = after;
    }
    let body = spec_runtime::fuzz::with_secret(rest);
    spec_runtime::fuzz::client_response(status, &headers, &body, now);
});
