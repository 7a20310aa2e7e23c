use std::sync::{Arc, PoisonError};

use oauth2::RefreshToken;
use tokio::sync::OnceCell;

use super::connector::OAuthConnector;
use super::endpoint::{self, TOKEN_ENDPOINT, TokenResponse};
use super::error::RefreshError;
use super::grant::AccessGrant;
use super::http::Http;
use super::store::{Connection, ConnectionKey};

impl OAuthConnector {
    /// A usable access token for `project`'s connection `connection_name`, refreshed first when it
    /// expires within the refresh margin. Concurrent callers for one connection share a single refresh
    /// and all see its result, success or failure.
    pub async fn access(&self, project: &str, connection_name: &str) -> Result<AccessGrant, RefreshError> {
        let key = self.key(project, connection_name);
        let connection = self
            .inner
            .connections
            .get(&key)
            .await?
            .ok_or_else(|| RefreshError::NotConnected { key: key.clone() })?;
        let connection = if self.needs_refresh(&connection) {
            self.refresh_shared(&key).await?
        } else {
            connection
        };
        Ok(AccessGrant::new(&connection, self.inner.account_header.clone()))
    }

    fn needs_refresh(&self, connection: &Connection) -> bool {
        connection.expires_within(self.inner.clock.now(), self.inner.refresh_margin)
    }

    /// Joins the in-flight refresh of `key`, starting one when there is none.
    async fn refresh_shared(&self, key: &ConnectionKey) -> Result<Connection, RefreshError> {
        let flight = {
            let mut map = self.inner.inflight.lock().unwrap_or_else(PoisonError::into_inner);
            map.entry(key.clone())
                .or_insert_with(|| Arc::new(OnceCell::new()))
                .clone()
        };
        let result = flight.get_or_init(|| self.refresh_once(key)).await.clone();
        let mut map = self.inner.inflight.lock().unwrap_or_else(PoisonError::into_inner);
        if map.get(key).is_some_and(|f| Arc::ptr_eq(f, &flight)) {
            map.remove(key);
        }
        result
    }

    /// One refresh: re-reads the connection (a previous flight may have refreshed it already), calls the
    /// token endpoint with the refresh token and stores the result.
    async fn refresh_once(&self, key: &ConnectionKey) -> Result<Connection, RefreshError> {
        let inner = &self.inner;
        let connection = inner
            .connections
            .get(key)
            .await?
            .ok_or_else(|| RefreshError::NotConnected { key: key.clone() })?;
        if !self.needs_refresh(&connection) {
            return Ok(connection);
        }
        let Some(refresh_token) = connection.refresh_token.clone() else {
            // Still usable until it actually expires.
            if connection.expires_within(inner.clock.now(), std::time::Duration::ZERO) {
                return Err(RefreshError::Expired { key: key.clone() });
            }
            return Ok(connection);
        };
        let (client, authorization) = inner.endpoints.client(inner.client_auth);
        let http = Http {
            client: &inner.http,
            authorization,
            limit: inner.max_response_bytes,
        };
        let presented = RefreshToken::new(refresh_token.expose().to_string());
        let token: TokenResponse = client
            .exchange_refresh_token(&presented)
            .request_async(&http)
            .await
            .map_err(|e| {
                let [secret, as_user, basic] = &inner.endpoints.secret_forms();
                RefreshError::Token {
                    key: key.clone(),
                    source: endpoint::request_error(
                        TOKEN_ENDPOINT,
                        e,
                        &[refresh_token.expose(), secret, as_user, basic],
                    ),
                }
            })?
            .into();
        let updated = self.refreshed_connection(connection, token);
        inner.connections.save(updated.clone()).await?;
        tracing::info!(key = %key, "oauth access token refreshed");
        Ok(updated)
    }
}
