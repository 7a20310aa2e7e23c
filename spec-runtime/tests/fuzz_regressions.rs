//! Every input the fuzz targets (`fuzz/`) found a failure with, replayed through the same entry points
//! (`tests/fuzz_cases/<target>/`), plus hand-written inputs of each target's invariants. The entry points
//! assert the invariants themselves, so each case passes when it returns.

use std::path::Path;

use spec_runtime::fuzz;

fn cases(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_cases")
        .join(target);
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| {
                    (
                        e.file_name().to_string_lossy().into_owned(),
                        std::fs::read(e.path()).unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// `[status: 2][now: 8]` as the targets read them.
fn head(status: u16, now: u64) -> Vec<u8> {
    let mut h = status.to_le_bytes().to_vec();
    h.extend(now.to_le_bytes());
    h
}

#[test]
fn token_response_cases() {
    let found = cases("token_response");
    // A look-alike of the secret (`sk_pest_…`) in an error body is no leak (the harness once said it was).
    assert!(!found.is_empty());
    for (_, data) in found {
        fuzz::token_response_input(&data);
    }
    // The credential echoed in an error body and in a 200 body's every field; any `expires_in` at any time.
    for (status, body) in [
        (
            2u16,
            r#"{"error": "invalid_grant $", "error_description": "code $ (\"$\")"}"#,
        ),
        (2, r#"{"error": {"code": "$", "message": "$"}}"#),
        (
            0,
            r#"{"access_token": "$", "token_type": "bearer", "refresh_token": "$", "expires_in": 18446744073709551615}"#,
        ),
        (
            0,
            r#"{"access_token": "$", "token_type": "bearer", "expires_in": 1e300}"#,
        ),
    ] {
        for now in [0, 1_700_000_000, u64::MAX] {
            let mut data = head(status, now);
            data.extend(body.as_bytes());
            fuzz::token_response_input(&data);
        }
    }
}

#[test]
fn client_response_cases() {
    let found = cases("client_response");
    // A cut-off look-alike of the key followed by invalid UTF-8 is no leak (the harness once said it was).
    assert!(!found.is_empty());
    for (_, data) in found {
        fuzz::client_response_input(&data);
    }
    for (retry_after, reset, body) in [
        (
            "18446744073709551615",
            "18446744073709551615",
            r#"{"error": {"message": "bad key $"}}"#,
        ),
        ("1e300", "-1", "plain text with the key $ in it"),
        (
            "Fri, 31 Dec 9999 23:59:59 GMT",
            "99999999999999999999999",
            r#"{"error": "$"}"#,
        ),
    ] {
        // 429 (`100 + 329`), remaining `0`, so the quota reset is read too.
        let mut data = head(329, u64::MAX);
        for value in [retry_after, "0", reset, "true", "$", "application/json"] {
            data.push(u8::try_from(value.len()).unwrap());
            data.extend(value.as_bytes());
        }
        data.extend(body.as_bytes());
        fuzz::client_response_input(&data);
    }
}

#[test]
fn oauth_callback_cases() {
    for (_, data) in cases("oauth_callback") {
        fuzz::callback_input(&data);
    }
    for data in [
        &b"\x00\x41code=$&state=x.y"[..],
        b"\x05\x2estate=eyJwIjoicCJ9.AAAA&state=&code=",
        b"\xff\xffstate=%2E%2E&error=access_denied",
    ] {
        fuzz::callback_input(data);
    }
}
