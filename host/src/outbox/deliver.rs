//! The executor of deliveries: one `match` arm per target kind ([`Target`]). An HTTP target gets the
//! canonical event as JSON, signed with Standard Webhooks under the trigger's secret.

use std::time::{Duration, SystemTime};

use spec_core::{Secret, SignatureScheme};
use spec_runtime::webhook::Signer;

use super::OutboxSettings;
use super::schedule;
use crate::actions::call;
use crate::auth::Caller;
use crate::seal::Sealer;
use crate::state::AppState;
use crate::store::{EventRow, TriggerRow};
use crate::triggers::Target;

/// Bytes of an answer's body kept for the record.
pub const RESPONSE_EXCERPT: usize = 4096;

/// How an attempt went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The target acknowledged it.
    Delivered {
        /// The answer's status.
        status: u16,
        /// The first bytes of its body.
        excerpt: String,
    },
    /// It failed; retry later.
    Failed {
        /// The answer's status, when there was an answer.
        status: Option<u16>,
        /// The first bytes of its body.
        excerpt: Option<String>,
        /// What went wrong.
        error: String,
        /// The answer's `Retry-After` (429 and 503), capped.
        retry_after: Option<Duration>,
    },
    /// It cannot be attempted (no secret, the event is gone): dead at once.
    Impossible(String),
}

/// What the executor needs: the HTTP client, the sealer and the settings.
#[derive(Debug, Clone)]
pub struct Executor {
    http: reqwest::Client,
    sealer: std::sync::Arc<Sealer>,
    retry_after_cap: Duration,
}

impl Executor {
    /// An executor with the timeouts of `settings` (no redirects are followed: a 3xx is a failure).
    pub fn new(settings: &OutboxSettings, sealer: std::sync::Arc<Sealer>) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder()
            .connect_timeout(settings.connect_timeout)
            .timeout(settings.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("integration-host/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Self {
            http,
            sealer,
            retry_after_cap: settings.retry_after_cap,
        })
    }

    /// Makes one attempt of delivering `event` to `trigger`'s target with `webhook_id`.
    pub async fn execute(&self, state: &AppState, trigger: &TriggerRow, event: &EventRow, webhook_id: &str) -> Outcome {
        let target: Target = match serde_json::from_str(&trigger.target) {
            Ok(t) => t,
            Err(e) => return Outcome::Impossible(format!("the stored target is not readable: {e}")),
        };
        match target {
            Target::Http { url } => self.http_post(trigger, event, webhook_id, &url).await,
            Target::Action {
                connection,
                action,
                params,
            } => call_action(state, trigger, event, webhook_id, &connection, &action, &params).await,
        }
    }

    async fn http_post(&self, trigger: &TriggerRow, event: &EventRow, webhook_id: &str, url: &str) -> Outcome {
        let Some(sealed) = &trigger.sealed else {
            return Outcome::Impossible("the trigger has no signing secret".into());
        };
        let secret = match self.sealer.open(&trigger.id, sealed) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(s) => Secret::new(s),
                Err(_) => return Outcome::Impossible("the signing secret is not text".into()),
            },
            Err(e) => return Outcome::Impossible(format!("the signing secret cannot be opened: {e}")),
        };
        let signer = match Signer::for_scheme(SignatureScheme::StandardWebhooks, &secret) {
            Ok(s) => s,
            Err(e) => return Outcome::Impossible(format!("the signing secret is not usable: {e}")),
        };
        let body = match serde_json::to_vec(&super::canonical(event.seq, &event.event)) {
            Ok(b) => b,
            Err(e) => return Outcome::Impossible(format!("the event cannot be encoded: {e}")),
        };
        let timestamp = crate::store::now();
        let mut req = self
            .http
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json");
        for (k, v) in signer.sign_with_id(webhook_id, &body, timestamp) {
            req = req.header(k, v);
        }
        let mut response = match req.body(body).send().await {
            Ok(r) => r,
            Err(e) => {
                return Outcome::Failed {
                    status: None,
                    excerpt: None,
                    error: describe(&e),
                    retry_after: None,
                };
            }
        };
        let status = response.status();
        let retry_after = if status.as_u16() == 429 || status.as_u16() == 503 {
            response
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| schedule::retry_after(v, SystemTime::now(), self.retry_after_cap))
        } else {
            None
        };
        let (excerpt, read_error) = read_capped(&mut response).await;
        if status.is_success() {
            Outcome::Delivered {
                status: status.as_u16(),
                excerpt,
            }
        } else {
            Outcome::Failed {
                status: Some(status.as_u16()),
                excerpt: Some(excerpt),
                error: read_error.unwrap_or_else(|| format!("the target answered {status}")),
                retry_after,
            }
        }
    }
}

/// Calls the action of an action target with its params rendered for `event`, `webhook_id` as the idempotency
/// key. A 2xx (a 202 included: the call waits for approval) is delivered; a refusal that a retry cannot change
/// (invalid params, an unknown connection or action) is dead at once; the rest is retried.
async fn call_action(
    state: &AppState,
    trigger: &TriggerRow,
    event: &EventRow,
    webhook_id: &str,
    connection: &str,
    action: &str,
    params: &serde_json::Value,
) -> Outcome {
    let canonical = super::canonical(event.seq, &event.event);
    let params = match crate::triggers::params::render(params, &canonical) {
        Ok(p) => p,
        Err(e) => return Outcome::Impossible(e),
    };
    let project = match state.store.project(&trigger.project_id).await {
        Ok(Some(p)) => p,
        Ok(None) => return Outcome::Impossible("the trigger's project is gone".into()),
        Err(e) => {
            return Outcome::Failed {
                status: None,
                excerpt: None,
                error: format!("storage: {e}"),
                retry_after: None,
            };
        }
    };
    let caller = Caller {
        project,
        key_id: format!("trigger:{}", trigger.id),
    };
    let answer = call::call(state, &caller, connection, action, Some(webhook_id), params).await;
    let status = answer.status.as_u16();
    let mut excerpt = answer.body.to_string();
    if excerpt.len() > RESPONSE_EXCERPT {
        let mut cut = RESPONSE_EXCERPT;
        while !excerpt.is_char_boundary(cut) {
            cut = cut.saturating_sub(1);
        }
        excerpt.truncate(cut);
    }
    if answer.status.is_success() {
        return Outcome::Delivered { status, excerpt };
    }
    let retryable = matches!(status, 408 | 409 | 425 | 429) || status >= 500;
    if !retryable {
        return Outcome::Impossible(format!("the action answered {status}: {excerpt}"));
    }
    let retry_after = answer
        .headers
        .iter()
        .find(|(k, _)| k == "retry-after")
        .and_then(|(_, v)| v.parse::<u64>().ok())
        .map(|s| Duration::from_secs(s).min(state.settings.outbox.retry_after_cap));
    Outcome::Failed {
        status: Some(status),
        excerpt: Some(excerpt),
        error: format!("the action answered {status}"),
        retry_after,
    }
}

/// Reads at most [`RESPONSE_EXCERPT`] bytes of the body (the rest is not read), as lossy UTF-8.
async fn read_capped(response: &mut reqwest::Response) -> (String, Option<String>) {
    let mut buf: Vec<u8> = Vec::new();
    let mut error = None;
    while buf.len() < RESPONSE_EXCERPT {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let room = RESPONSE_EXCERPT.saturating_sub(buf.len());
                buf.extend_from_slice(chunk.get(..room.min(chunk.len())).unwrap_or_default());
            }
            Ok(None) => break,
            Err(e) => {
                error = Some(describe(&e));
                break;
            }
        }
    }
    (String::from_utf8_lossy(&buf).into_owned(), error)
}

/// What went wrong, without the URL (it may carry credentials).
fn describe(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else if e.is_body() || e.is_decode() {
        "the answer broke off"
    } else {
        "the request failed"
    };
    let mut detail = String::new();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        detail = s.to_string();
        source = s.source();
    }
    if detail.is_empty() {
        kind.to_string()
    } else {
        format!("{kind}: {detail}")
    }
}
