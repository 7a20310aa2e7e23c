//! Every error path that carries provider text, fed the credentials it could echo: OAuth token endpoint
//! error bodies quoting the code, the refresh token and the client secret (form and Basic), token
//! responses with wrongly typed fields holding the tokens, and webhook verification errors for headers
//! holding the signing secret. Every `Display`, `Debug` and TRACE log line is searched for each value.
//! (The REST client's decode and provider-error paths are covered the same way in `client_secrets.rs`.)

mod oauth_support;

use std::io::Write;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use oauth_support::*;
use serde_json::json;
use spec_core::{Secret, SignatureScheme};
use spec_runtime::oauth::{CallbackError, CallbackQuery, ClientAuth, ManualClock, RefreshError};
use spec_runtime::webhook::{Signer, Verifier, VerifierOptions};

#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl Logs {
    fn capture(&self) -> tracing::subscriber::DefaultGuard {
        let sink = self.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || sink.clone())
            .finish();
        tracing::subscriber::set_default(subscriber)
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Fails when any of `secrets` (or its Basic-credential encodings) appears in any of `texts`.
fn assert_clean(texts: &[String], secrets: &[&str]) {
    let b64 = |s: String| base64::engine::general_purpose::STANDARD.encode(s);
    for secret in secrets {
        let forms = [
            secret.to_string(),
            b64(format!("{secret}:")),
            b64(format!("{CLIENT_ID}:{secret}")),
        ];
        for text in texts {
            for form in &forms {
                assert!(!text.contains(form.as_str()), "`{form}` shown in: {text}");
            }
        }
    }
}

fn shown<E: std::fmt::Debug + std::fmt::Display>(e: &E) -> Vec<String> {
    vec![e.to_string(), format!("{e:?}"), format!("{e:#?}")]
}

/// Runs `f` on a current-thread runtime with TRACE logs captured; returns its output and the logs.
fn logged<T>(f: impl std::future::Future<Output = T>) -> (T, String) {
    let logs = Logs::default();
    let guard = logs.capture();
    let out = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f);
    drop(guard);
    (out, logs.text())
}

#[test]
fn token_endpoint_errors_echoing_the_code_and_client_secret_show_neither() {
    for auth in [
        ClientAuth::RequestBody,
        ClientAuth::Basic,
        ClientAuth::SecretAsBasicUser,
    ] {
        let code = "ac_EchoedCode_0123456789";
        let (err, logs) = logged(async {
            let provider = Provider::start().await;
            provider.state.echo_form.store(true, Ordering::SeqCst);
            let spec = stripe_spec(&provider.base, false);
            let clock = ManualClock::new(start_time());
            let connector = builder(&spec, &clock).client_auth(auth).build().unwrap();
            let url = connector.connect("platform", "default").await.unwrap();
            let mut q = CallbackQuery::from_url(&provider.authorize_in_browser(&url).await);
            q.code = Some(Secret::new(code));
            let err = connector.callback("platform", &q).await.unwrap_err();
            // The provider did echo them: the masking is ours.
            let sent = provider.state.token_requests().pop().unwrap();
            assert!(sent.form.values().any(|v| v == code));
            err
        });
        let CallbackError::Token(token) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(token.oauth_error(), Some("invalid_grant"), "{auth:?}");
        assert!(err.to_string().contains("[REDACTED]"), "{auth:?}: {err}");
        let mut texts = shown(&err);
        texts.push(logs);
        assert_clean(&texts, &[code, SECRET_KEY]);
    }
}

#[test]
fn refresh_errors_echoing_the_refresh_token_show_no_credential() {
    let (results, logs) = logged(async {
        let provider = Provider::start().await;
        let spec = stripe_spec(&provider.base, false);
        let clock = ManualClock::new(start_time());
        let connector = builder(&spec, &clock).build().unwrap();
        let connection = connect(&provider, &connector, "platform", "default").await;
        let refresh = connection.refresh_token.as_ref().unwrap().expose().to_string();
        let access = connection.access_token.expose().to_string();
        provider.state.echo_form.store(true, Ordering::SeqCst);
        provider.state.fail_refresh.store(true, Ordering::SeqCst);
        clock.advance(Duration::from_secs(3600));
        let err = connector.access("platform", "default").await.unwrap_err();
        (err, refresh, access)
    });
    let (err, refresh, access) = results;
    let RefreshError::Token { source, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(source.oauth_error(), Some("invalid_grant"));
    let mut texts = shown(&err);
    texts.push(logs);
    assert_clean(&texts, &[&refresh, &access, SECRET_KEY]);
}

#[test]
fn token_responses_with_wrongly_typed_fields_holding_tokens_show_none() {
    // Each field has the wrong type and holds a token, as a decoder quoting values would show it.
    for (field, value) in [
        ("token_type", json!({"access": "rk_test_Access1"})),
        ("expires_in", json!("rt_Refresh1")),
        ("scope", json!(["rk_test_Access1", "rt_Refresh1"])),
        ("access_token", json!({"t": "rk_test_Access1"})),
        ("refresh_token", json!(["rt_Refresh1"])),
    ] {
        let (err, logs) = logged(async {
            let provider = Provider::start().await;
            provider.state.extra.lock().unwrap().insert(field.into(), value.clone());
            let spec = stripe_spec(&provider.base, false);
            let clock = ManualClock::new(start_time());
            let connector = builder(&spec, &clock).build().unwrap();
            let url = connector.connect("platform", "default").await.unwrap();
            let q = CallbackQuery::from_url(&provider.authorize_in_browser(&url).await);
            connector.callback("platform", &q).await
        });
        let err = match err {
            Err(e) => e,
            Ok(c) => panic!("{field}: accepted {c:?}"),
        };
        assert!(
            matches!(
                err,
                CallbackError::Token(spec_runtime::oauth::TokenError::InvalidResponse { .. })
            ),
            "{field}: {err:?}"
        );
        let mut texts = shown(&err);
        texts.push(logs);
        assert_clean(&texts, &["rk_test_Access1", "rt_Refresh1", SECRET_KEY]);
    }
}

#[test]
fn webhook_verification_errors_for_headers_holding_the_secret_show_none() {
    let secret = "whsec_EchoedSigningSecret0123";
    let body = br#"{"id":"evt_1"}"#;
    let logs = Logs::default();
    let guard = logs.capture();
    let verifier = Verifier::new(
        VerifierOptions::for_scheme(SignatureScheme::Stripe),
        &[Secret::new(secret)],
    )
    .unwrap();
    let good = Signer::for_scheme(SignatureScheme::Stripe, &Secret::new(secret))
        .unwrap()
        .sign(body, 1_700_000_000);
    let good = good.iter().next().unwrap().1.to_string();
    let headers: Vec<String> = vec![
        format!("t=1700000000,v1={secret}"),
        format!("t={secret},v1=00"),
        format!("{secret}"),
        format!("t=1700000000,v0={secret}"),
        // A valid signature, far outside the tolerance.
        good,
        format!("t=1,v1={}", hex_of(secret)),
    ];
    let mut texts = vec![format!("{verifier:?}")];
    for h in &headers {
        let pairs = [("Stripe-Signature", h.as_str())];
        let err = verifier.verify(&pairs[..], body).unwrap_err();
        texts.extend(shown(&err));
        texts.push(err.kind().to_string());
    }
    drop(guard);
    texts.push(logs.text());
    assert_clean(&texts, &[secret, "EchoedSigningSecret"]);
}

fn hex_of(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}
