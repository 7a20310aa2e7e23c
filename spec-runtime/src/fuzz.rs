//! Entry points of the `fuzz/` targets (feature `fuzz`): the readers of remote input that have no public
//! entry point of their own, run on arbitrary bytes, each asserting the invariants it must keep (no
//! panic, waits capped, no secret in any error's `Display` or `Debug`). Not a stable API.
//!
//! In every input, `$` stands for [`SECRET`]: a provider echoing a credential is what the redaction
//! invariants are about, and the fuzzer would not find the value by itself.

use std::time::{Duration, SystemTime};

/// The credential substituted for `$` in fuzz inputs.
pub const SECRET: &str = "sk_test_FuzzSecret0123456789";

/// `bytes` with every `$` replaced by [`SECRET`].
pub fn with_secret(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    for &b in bytes {
        if b == b'$' {
            out.extend_from_slice(SECRET.as_bytes());
        } else {
            out.push(b);
        }
    }
    out
}

/// `SECRET` must not appear in `text`. (Only the whole value: the fuzzer also writes look-alikes such as
/// `sk_pest_FuzzSecret…` or a cut-off `sk_test_FuzzSecret`, which are no secret. A secret cut by an
/// excerpt is covered by a unit test of the excerpt.)
fn assert_no_secret(what: &str, text: &str) {
    assert!(!text.contains(SECRET), "{what} shows the secret: {text}");
}

/// The eight little-endian bytes after the first two of `data` (zero-padded), and the rest.
fn head(data: &[u8]) -> (u16, u64, &[u8]) {
    let (head, rest) = data.split_at(data.len().min(10));
    let mut h = [0u8; 10];
    h[..head.len()].copy_from_slice(head);
    let status = u16::from_le_bytes([h[0], h[1]]);
    let now = u64::from_le_bytes([h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9]]);
    (status, now, rest)
}

/// Splits off a piece whose length is given by the first byte.
fn piece(data: &[u8]) -> (&[u8], &[u8]) {
    match data.split_first() {
        Some((&n, rest)) => rest.split_at(usize::from(n).min(rest.len())),
        None => (&[], &[]),
    }
}

/// The `client_response` target's input: `[status: 2][now: 8]`, then six `[len][value]` header values
/// (`Retry-After`, rate-limit remaining and reset, should-retry, request id, content type), then the body;
/// `$` stands for the API key.
#[cfg(feature = "client")]
pub fn client_response_input(data: &[u8]) {
    const NAMES: [&str; 6] = [
        "retry-after",
        "x-ratelimit-remaining",
        "x-ratelimit-reset",
        "stripe-should-retry",
        "request-id",
        "content-type",
    ];
    let (status, now, mut rest) = head(data);
    let mut headers = Vec::new();
    for name in NAMES {
        let (value, after) = piece(rest);
        headers.push((name, value));
        rest = after;
    }
    client_response(100 + status % 500, &headers, &with_secret(rest), now);
}

/// The `token_response` target's input: `[status: 2][now: 8][body]` (half the inputs answer 200), `$` in
/// the body standing for the credential sent.
#[cfg(feature = "oauth")]
pub fn token_response_input(data: &[u8]) {
    let (status, now, body) = head(data);
    let status = match status % 4 {
        0 | 1 => 200,
        2 => 400,
        _ => 100 + status % 500,
    };
    token_response(status, &with_secret(body), now);
}

/// The `oauth_callback` target's input: `[at][byte][query]`; the issued state with the byte at `at`
/// replaced must not verify.
#[cfg(feature = "oauth")]
pub fn callback_input(data: &[u8]) {
    let (edit, query) = match data {
        [at, byte, rest @ ..] => (Some((usize::from(*at), *byte)), rest),
        _ => (None, data),
    };
    callback(&String::from_utf8_lossy(query), edit);
}

/// A time from fuzz input: any number of seconds after the epoch `SystemTime` can hold.
fn time(secs: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH
        .checked_add(Duration::from_secs(secs))
        .unwrap_or(SystemTime::UNIX_EPOCH)
}

/// The REST client's reading of one response: classification (status, should-retry header, rate-limit
/// headers, `Retry-After`, success pointer), each header value read as a wait, and the provider error
/// read from the body with the connection's redactor.
#[cfg(feature = "client")]
pub fn client_response(status: u16, headers: &[(&str, &[u8])], body: &[u8], now_secs: u64) {
    use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

    use crate::client::MAX_SERVER_DELAY;
    use crate::client::classify::{Classifier, Exchange, Response};
    use crate::client::server_delay::{QuotaHeaders, reset_value, retry_after_value};

    let now = time(now_secs);
    let mut map = HeaderMap::new();
    for (name, value) in headers {
        if let Ok(text) = std::str::from_utf8(value) {
            for wait in [retry_after_value(text, now), reset_value(text, now)]
                .into_iter()
                .flatten()
            {
                assert!(wait <= MAX_SERVER_DELAY, "{text:?} -> {wait:?}");
            }
        }
        if let (Ok(n), Ok(v)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_bytes(value)) {
            map.append(n, v);
        }
    }
    let Ok(status) = reqwest::StatusCode::from_u16(status) else {
        return;
    };
    let classifier = Classifier {
        should_retry_header: Some(HeaderName::from_static("stripe-should-retry")),
        quota_headers: Some(QuotaHeaders {
            remaining: HeaderName::from_static("x-ratelimit-remaining"),
            reset: Some(HeaderName::from_static("x-ratelimit-reset")),
        }),
        success_pointer: Some("/ok"),
    };
    let exchange = Exchange::Response(Response {
        status,
        headers: map,
        body: body.to_vec(),
    });
    let classification = classifier.classify(&exchange, now);
    if let Some(wait) = classification.server_delay() {
        assert!(wait <= MAX_SERVER_DELAY);
    }
    let redactor = crate::redact::Redactor::new([SECRET]);
    for pointer in [Some("/error"), None] {
        let (error, excerpt) = crate::client::attempt::error_body(pointer, &redactor, body);
        let api = crate::client::ApiError {
            action: "fuzz.action".into(),
            status: status.as_u16(),
            error,
            body_excerpt: excerpt,
            request_id: None,
            attempts: 1,
            retry_after: classification.server_delay(),
        };
        let err = crate::client::ClientError::Api(Box::new(api));
        assert_no_secret("client error", &format!("{err} {err:?}"));
    }
}

/// The OAuth token endpoint's answer: a 200 body parsed as `oauth2` parses it and turned into the
/// connector's token (expiry computed from any `expires_in` at any time), or an error body turned into a
/// [`TokenError`](crate::oauth::TokenError) with the credentials sent masked.
#[cfg(feature = "oauth")]
pub fn token_response(status: u16, body: &[u8], now_secs: u64) {
    use crate::oauth::callback::expiry_at;
    use crate::oauth::endpoint::{ProviderToken, TOKEN_ENDPOINT, TokenResponse, http_failure};
    use crate::oauth::http::HttpFailure;

    if status == 200 {
        let Ok(token) = serde_json::from_slice::<ProviderToken>(body) else {
            return;
        };
        let token = TokenResponse::from(token);
        assert_no_secret("token response", &format!("{token:?}"));
        let now = time(now_secs);
        if let Some(at) = expiry_at(now, token.expires_in, Some(Duration::from_secs(3600))) {
            assert!(at >= now);
        }
        return;
    }
    let failure = HttpFailure::Answered {
        status,
        body: body.to_vec(),
    };
    let err = http_failure(TOKEN_ENDPOINT, failure, &[SECRET]);
    assert_no_secret("token error", &format!("{err} {err:?}"));
}

/// The OAuth callback: its query read from a redirect URL, and its `state` verified. Only the state signed
/// by this key verifies; any other text (the fuzzer cannot forge the MAC) is refused.
#[cfg(feature = "oauth")]
pub fn callback(query: &str, state_edit: Option<(usize, u8)>) {
    use spec_core::Secret;

    use crate::oauth::{CallbackQuery, StatePayload, StateSigner};

    let signer = StateSigner::new(Secret::new("fuzz-state-key"));
    let payload = StatePayload {
        project: "p".into(),
        connection: "c".into(),
        nonce: "n".into(),
        expires_at: 1_900_000_000,
    };
    let issued = signer.sign(&payload);
    if let Ok(url) = url::Url::parse(&format!("https://app.example.test/callback?{query}")) {
        let q = CallbackQuery::from_url(&url);
        assert_no_secret("callback query", &format!("{q:?}"));
        if let Some(state) = &q.state {
            let verified = signer.verify(state);
            assert_eq!(verified.is_ok(), *state == issued, "{state:?}: {verified:?}");
        }
    }
    if let Some((at, byte)) = state_edit {
        let mut edited = issued.clone().into_bytes();
        if let Some(b) = edited.get_mut(at % issued.len().max(1)) {
            *b = byte;
        }
        if let Ok(edited) = String::from_utf8(edited) {
            // Base64url text decodes to one value only at its canonical spelling, so any change is refused.
            let verified = signer.verify(&edited);
            assert_eq!(verified.is_ok(), edited == issued, "{edited:?}: {verified:?}");
        }
    }
}
