use std::time::{Duration, SystemTime};

use oauth2::{AuthorizationCode, PkceCodeVerifier};
use serde::Deserialize;
use serde_json::Value;
use url::Url;

use super::connector::OAuthConnector;
use super::endpoint::{self, TOKEN_ENDPOINT, TokenResponse};
use super::error::CallbackError;
use super::http::Http;
use super::state::{StateError, StatePayload, unix_secs};
use super::store::{Connection, ConnectionKey};
use spec_core::Secret;

/// The query of the provider's redirect back to the callback URL.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct CallbackQuery {
    /// Authorization code.
    #[serde(default)]
    pub code: Option<Secret>,
    /// The state issued by [`OAuthConnector::connect`].
    #[serde(default)]
    pub state: Option<String>,
    /// OAuth error code when the authorization was refused.
    #[serde(default)]
    pub error: Option<String>,
    /// The provider's description of `error`.
    #[serde(default)]
    pub error_description: Option<String>,
}

impl CallbackQuery {
    /// Reads the callback parameters from the redirect URL's query.
    pub fn from_url(url: &Url) -> Self {
        let mut q = Self::default();
        for (k, v) in url.query_pairs() {
            match k.as_ref() {
                "code" => q.code = Some(Secret::new(v.into_owned())),
                "state" => q.state = Some(v.into_owned()),
                "error" => q.error = Some(v.into_owned()),
                "error_description" => q.error_description = Some(v.into_owned()),
                _ => {}
            }
        }
        q
    }
}

impl OAuthConnector {
    /// Verifies a callback's state for `project` without consuming it or exchanging the code.
    fn check_state(&self, project: &str, state: &str) -> Result<StatePayload, StateError> {
        let payload = self.inner.signer.verify(state)?;
        if unix_secs(self.inner.clock.now()) > payload.expires_at {
            return Err(StateError::Expired {
                expired_at: payload.expires_at,
            });
        }
        if payload.project != project {
            return Err(StateError::OtherProject {
                project: project.to_string(),
                issued_for: payload.project,
            });
        }
        Ok(payload)
    }

    /// Completes the flow for `project` (the project the callback request is served for): verifies the
    /// state (signature, expiry, project, then consumes its nonce), exchanges the code at the token URL
    /// and stores the connection.
    pub async fn callback(&self, project: &str, query: &CallbackQuery) -> Result<Connection, CallbackError> {
        let inner = &self.inner;
        let state = query.state.as_deref().ok_or(CallbackError::MissingState)?;
        let payload = self.check_state(project, state)?;
        let pending = inner.nonces.take(&payload.nonce).await?.ok_or(StateError::Replayed)?;
        if let Some(error) = &query.error {
            return Err(CallbackError::Denied {
                error: error.clone(),
                description: query.error_description.clone(),
            });
        }
        let code = query.code.as_ref().ok_or(CallbackError::MissingCode)?;

        let (client, authorization) = inner.endpoints.client(inner.client_auth);
        let http = Http {
            client: &inner.http,
            authorization,
            limit: inner.max_response_bytes,
        };
        let mut exchange = client.exchange_code(AuthorizationCode::new(code.expose().to_string()));
        if let Some(v) = &pending.pkce_verifier {
            exchange = exchange.set_pkce_verifier(PkceCodeVerifier::new(v.expose().to_string()));
        }
        let token: TokenResponse = exchange
            .request_async(&http)
            .await
            .map_err(|e| {
                let [secret, as_user, basic] = &inner.endpoints.secret_forms();
                endpoint::request_error(TOKEN_ENDPOINT, e, &[code.expose(), secret, as_user, basic])
            })?
            .into();
        let key = self.key(&payload.project, &payload.connection);
        let connection = self.new_connection(key, token)?;
        inner.connections.save(connection.clone()).await?;
        tracing::info!(
            provider = %inner.provider,
            project = %connection.key.project,
            connection = %connection.key.name,
            account = connection.account_id.as_deref().unwrap_or(""),
            "oauth connection stored"
        );
        Ok(connection)
    }

    fn expiry(&self, now: SystemTime, expires_in: Option<u64>) -> Option<SystemTime> {
        expiry_at(now, expires_in, self.inner.method.default_token_lifetime())
    }

    fn new_connection(&self, key: ConnectionKey, token: TokenResponse) -> Result<Connection, CallbackError> {
        let method = &self.inner.method;
        let now = self.inner.clock.now();
        let mut extras = token.extras;
        let account_id = match method.account_id_field() {
            Some(field) => match extras.remove(field) {
                Some(Value::String(id)) if !id.is_empty() => Some(id),
                _ => {
                    return Err(CallbackError::MissingAccountId {
                        field: field.to_string(),
                    });
                }
            },
            None => None,
        };
        let livemode = take_bool(&mut extras, method.livemode_field());
        Ok(Connection {
            key,
            account_id,
            scopes: token.scope.unwrap_or_else(|| method.scopes.clone()),
            expires_at: self.expiry(now, token.expires_in),
            access_token: token.access_token,
            refresh_token: token.refresh_token,
            token_type: token.token_type,
            livemode,
            extras,
            connected_at: now,
            refreshed_at: None,
        })
    }

    /// `old` updated with a refresh response: new access token, the rotated refresh token when one was
    /// sent, new expiry, scopes and extras when sent.
    pub(crate) fn refreshed_connection(&self, old: Connection, token: TokenResponse) -> Connection {
        let method = &self.inner.method;
        let now = self.inner.clock.now();
        let mut extras = token.extras;
        if let Some(field) = method.account_id_field()
            && let Some(Value::String(id)) = extras.remove(field)
            && old.account_id.as_deref() != Some(id.as_str())
        {
            tracing::warn!(key = %old.key, "refresh response names another account; keeping the stored one");
        }
        let livemode = take_bool(&mut extras, method.livemode_field()).or(old.livemode);
        let mut merged = old.extras;
        merged.extend(extras);
        Connection {
            key: old.key,
            account_id: old.account_id,
            access_token: token.access_token,
            refresh_token: token.refresh_token.or(old.refresh_token),
            token_type: token.token_type,
            expires_at: self.expiry(now, token.expires_in),
            scopes: token.scope.unwrap_or(old.scopes),
            livemode,
            extras: merged,
            connected_at: old.connected_at,
            refreshed_at: Some(now),
        }
    }
}

fn take_bool(extras: &mut serde_json::Map<String, Value>, field: Option<&str>) -> Option<bool> {
    let field = field?;
    match extras.get(field) {
        Some(Value::Bool(b)) => {
            let b = *b;
            extras.remove(field);
            Some(b)
        }
        _ => None,
    }
}

/// When a token received at `now` expires: after the response's `expires_in` seconds, else the spec's
/// default lifetime. A lifetime past what `SystemTime` holds (`expires_in` = u64::MAX) is read as no
/// expiry, which is what such a lifetime means; nothing here can overflow. (A non-integer or negative
/// `expires_in` never gets here: the token response is refused as mistyped.)
pub(crate) fn expiry_at(now: SystemTime, expires_in: Option<u64>, default: Option<Duration>) -> Option<SystemTime> {
    expires_in
        .map(Duration::from_secs)
        .or(default)
        .and_then(|d| now.checked_add(d))
}

#[cfg(test)]
mod props {
    use proptest::prelude::*;

    use super::*;

    fn now() -> impl Strategy<Value = SystemTime> {
        prop_oneof![
            any::<u64>().prop_map(|s| SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(s))),
            any::<u64>().prop_map(|s| SystemTime::UNIX_EPOCH.checked_sub(Duration::from_secs(s))),
        ]
        .prop_map(|t| t.unwrap_or(SystemTime::UNIX_EPOCH))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn any_expires_in_at_any_time_gives_a_later_expiry_or_none(
            now in now(),
            expires_in in prop::option::of(prop_oneof![any::<u64>(), Just(u64::MAX), 0u64..100_000]),
            default in prop::option::of(any::<u64>().prop_map(Duration::from_secs)),
        ) {
            if let Some(at) = expiry_at(now, expires_in, default) {
                prop_assert!(at >= now);
                let lifetime = expires_in.map(Duration::from_secs).or(default);
                prop_assert_eq!(at.duration_since(now).ok(), lifetime);
            }
        }
    }
}
