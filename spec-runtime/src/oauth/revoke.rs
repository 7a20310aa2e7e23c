use oauth2::{AccessToken, RefreshToken, StandardRevocableToken};
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue};

use super::connector::OAuthConnector;
use super::endpoint::{self, REVOCATION_ENDPOINT};
use super::error::RevokeError;
use super::http::Http;
use super::store::{Connection, ConnectionKey, StoreError};
use spec_core::{ClientAuth, RevocationPlan};

impl OAuthConnector {
    /// Removes every connection to `account_id` (the account deauthorized the application, e.g. on
    /// the method's `deauthorized_event`). Returns what was removed.
    pub async fn disconnect(&self, account_id: &str) -> Result<Vec<Connection>, StoreError> {
        let store = &self.inner.connections;
        let keys = store.find_by_account(&self.inner.provider, account_id).await?;
        let mut removed = Vec::with_capacity(keys.len());
        for key in keys {
            if let Some(c) = store.remove(&key).await? {
                tracing::info!(key = %c.key, account = account_id, "oauth connection disconnected");
                removed.push(c);
            }
        }
        Ok(removed)
    }

    /// Whether `event_type` is the oauth2 method's `deauthorized_event`, upstream
    /// (`account.application.deauthorized`) or with the integration's event prefix
    /// (`stripe.account.application.deauthorized`).
    pub fn is_deauthorization(&self, event_type: &str) -> bool {
        let Some(deauthorized) = self.inner.method.deauthorized_event() else {
            return false;
        };
        let unprefixed = event_type
            .strip_prefix(self.inner.event_prefix.as_str())
            .unwrap_or(event_type);
        unprefixed == deauthorized
    }

    /// Handles a provider event: a deauthorization for `account_id` disconnects it; any other event
    /// is ignored. Returns the removed connections.
    pub async fn handle_event(&self, event_type: &str, account_id: &str) -> Result<Vec<Connection>, StoreError> {
        if self.is_deauthorization(event_type) {
            self.disconnect(account_id).await
        } else {
            Ok(Vec::new())
        }
    }

    /// Revokes `project`'s connection at the spec's `revocation_url` (when it declares one), the way the
    /// method's `revocation` says, then removes it. An account deauthorization removes every connection
    /// to that account. On failure the connection is kept and the provider's answer returned.
    pub async fn revoke(&self, project: &str, connection_name: &str) -> Result<Vec<Connection>, RevokeError> {
        let inner = &self.inner;
        let key = self.key(project, connection_name);
        let connection = inner
            .connections
            .get(&key)
            .await?
            .ok_or_else(|| RevokeError::NotConnected { key: key.clone() })?;
        if inner.endpoints.revocation_url.is_none() {
            return Ok(inner.connections.remove(&key).await?.into_iter().collect());
        }
        match inner.revocation {
            OwnedRevocation::AccountDeauthorize {
                ref account_param,
                client_auth,
            } => {
                let account = connection
                    .account_id
                    .clone()
                    .ok_or_else(|| RevokeError::MissingAccountId { key: key.clone() })?;
                self.deauthorize(account_param, client_auth, &account).await?;
                Ok(self.disconnect(&account).await?)
            }
            OwnedRevocation::Rfc7009 { client_auth } => {
                self.revoke_rfc7009(&key, &connection, client_auth).await?;
                Ok(inner.connections.remove(&key).await?.into_iter().collect())
            }
        }
    }

    /// RFC 7009 through `oauth2`: the refresh token when there is one, else the access token.
    async fn revoke_rfc7009(
        &self,
        key: &ConnectionKey,
        connection: &Connection,
        client_auth: ClientAuth,
    ) -> Result<(), RevokeError> {
        let inner = &self.inner;
        let (token, sent) = match &connection.refresh_token {
            Some(t) => (
                StandardRevocableToken::RefreshToken(RefreshToken::new(t.expose().to_string())),
                t,
            ),
            None => (
                StandardRevocableToken::AccessToken(AccessToken::new(connection.access_token.expose().to_string())),
                &connection.access_token,
            ),
        };
        let (client, authorization) = inner.endpoints.client(client_auth);
        let request = client.revoke_token(token).map_err(|e| RevokeError::Configuration {
            key: key.clone(),
            reason: e.to_string(),
        })?;
        let http = Http {
            client: &inner.http,
            authorization,
            limit: inner.max_response_bytes,
        };
        request.request_async(&http).await.map_err(|e| {
            let [secret, as_user, basic] = &inner.endpoints.secret_forms();
            endpoint::request_error(REVOCATION_ENDPOINT, e, &[sent.expose(), secret, as_user, basic])
        })?;
        Ok(())
    }

    /// An account deauthorization, which is not RFC 7009: form fields `client_id` and `account_param`,
    /// with the declared client authentication.
    async fn deauthorize(
        &self,
        account_param: &str,
        client_auth: ClientAuth,
        account: &str,
    ) -> Result<(), RevokeError> {
        let inner = &self.inner;
        let endpoints = &inner.endpoints;
        let Some(url) = &endpoints.revocation_url else {
            return Ok(());
        };
        let secret = endpoints.client_secret.expose();
        // Built in a block that ends before the await: the serializer is not `Send`, and the future must be
        // (servers run it on their tasks).
        let (body, authorization) = {
            let mut form = url::form_urlencoded::Serializer::new(String::new());
            form.append_pair("client_id", &endpoints.client_id)
                .append_pair(account_param, account);
            let mut authorization = None;
            match client_auth {
                ClientAuth::RequestBody => {
                    form.append_pair("client_secret", secret);
                }
                ClientAuth::SecretAsBasicUser => {
                    authorization = Some(endpoint::secret_as_basic_user(&endpoints.client_secret))
                }
                ClientAuth::Basic => {
                    authorization = Some(endpoint::client_basic(&endpoints.client_id, &endpoints.client_secret))
                }
            }
            (form.finish().into_bytes(), authorization)
        };
        let request = http::Request::post(url.as_str())
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(
                CONTENT_TYPE,
                HeaderValue::from_static("application/x-www-form-urlencoded"),
            )
            .body(body)
            .map_err(|e| endpoint::TokenError::Http {
                endpoint: REVOCATION_ENDPOINT,
                message: e.to_string(),
            })?;
        Http {
            client: &inner.http,
            authorization,
            limit: inner.max_response_bytes,
        }
        .send(request)
        .await
        .map_err(|f| {
            let [secret, as_user, basic] = &endpoints.secret_forms();
            endpoint::http_failure(REVOCATION_ENDPOINT, f, &[secret, as_user, basic])
        })?;
        Ok(())
    }
}

/// [`RevocationPlan`] owned by the connector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum OwnedRevocation {
    Rfc7009 {
        client_auth: ClientAuth,
    },
    AccountDeauthorize {
        account_param: String,
        client_auth: ClientAuth,
    },
}

impl From<RevocationPlan<'_>> for OwnedRevocation {
    fn from(plan: RevocationPlan<'_>) -> Self {
        match plan {
            RevocationPlan::Rfc7009 { client_auth } => OwnedRevocation::Rfc7009 { client_auth },
            RevocationPlan::AccountDeauthorize {
                account_param,
                client_auth,
            } => OwnedRevocation::AccountDeauthorize {
                account_param: account_param.to_string(),
                client_auth,
            },
        }
    }
}

#[cfg(test)]
mod send_check {
    /// Servers hold the connector's futures across tasks: this fails to compile when one is not `Send`.
    #[allow(dead_code)]
    fn futures_are_send(c: &super::OAuthConnector) {
        fn send<T: Send>(_: T) {}
        send(c.revoke("p", "c"));
    }
}
