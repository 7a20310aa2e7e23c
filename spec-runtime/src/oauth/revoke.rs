use super::connector::OAuthConnector;
use super::endpoint::{self, REVOCATION_ENDPOINT};
use super::error::RevokeError;
use super::profile::Revocation;
use super::store::{Connection, StoreError};

impl OAuthConnector {
    /// Removes every connection to `account_id` (the account deauthorized the application, e.g. on
    /// Stripe's `account.application.deauthorized` event). Returns what was removed.
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

    /// Whether `event_type` (upstream `account.application.deauthorized`, or with the provider prefix
    /// `stripe.account.application.deauthorized`) means the account removed the application.
    pub fn is_deauthorization(&self, event_type: &str) -> bool {
        let Some(deauthorized) = self.inner.profile.deauthorized_event else {
            return false;
        };
        let unprefixed = event_type
            .strip_prefix(self.inner.provider.as_str())
            .and_then(|rest| rest.strip_prefix('.'))
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

    /// Revokes `project`'s connection at the provider's `revocation_url` (when the spec declares one),
    /// then removes it. An account deauthorization (Stripe) removes every connection to that account.
    /// On failure the connection is kept and the provider's answer returned.
    pub async fn revoke(&self, project: &str, connection_name: &str) -> Result<Vec<Connection>, RevokeError> {
        let inner = &self.inner;
        let key = self.key(project, connection_name);
        let connection = inner
            .connections
            .get(&key)
            .await?
            .ok_or_else(|| RevokeError::NotConnected { key: key.clone() })?;
        let Some(url) = &inner.revocation_url else {
            return Ok(inner.connections.remove(&key).await?.into_iter().collect());
        };
        match inner.profile.revocation {
            Revocation::AccountDeauthorize { account_param, auth } => {
                let account = connection
                    .account_id
                    .clone()
                    .ok_or_else(|| RevokeError::MissingAccountId { key: key.clone() })?;
                endpoint::post_form(
                    &inner.http,
                    REVOCATION_ENDPOINT,
                    url,
                    &self.credentials(auth),
                    vec![("client_id", inner.client_id.clone()), (account_param, account.clone())],
                    &[],
                )
                .await?;
                Ok(self.disconnect(&account).await?)
            }
            Revocation::Rfc7009 => {
                let (token, hint) = match &connection.refresh_token {
                    Some(t) => (t, "refresh_token"),
                    None => (&connection.access_token, "access_token"),
                };
                endpoint::post_form(
                    &inner.http,
                    REVOCATION_ENDPOINT,
                    url,
                    &self.credentials(inner.client_auth),
                    vec![
                        ("token", token.expose().to_string()),
                        ("token_type_hint", hint.to_string()),
                    ],
                    &[token.expose()],
                )
                .await?;
                Ok(inner.connections.remove(&key).await?.into_iter().collect())
            }
        }
    }
}
