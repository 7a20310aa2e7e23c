use std::time::SystemTime;

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue};

use super::error::GrantHeaderError;
use super::store::Connection;
use spec_core::Secret;

/// What an API call on behalf of a connection needs: the access token and the connected account.
#[derive(Debug, Clone, PartialEq)]
pub struct AccessGrant {
    /// Access token.
    pub access_token: Secret,
    /// Connected account id (Stripe: `acct_…`).
    pub account_id: Option<String>,
    /// Header naming the account on API calls: the REST transport's `account_header` (Stripe:
    /// `Stripe-Account`).
    pub account_header: Option<String>,
    /// When the token expires.
    pub expires_at: Option<SystemTime>,
    /// Granted scopes.
    pub scopes: Vec<String>,
}

impl AccessGrant {
    pub(crate) fn new(connection: &Connection, account_header: Option<String>) -> Self {
        Self {
            access_token: connection.access_token.clone(),
            account_id: connection.account_id.clone(),
            account_header,
            expires_at: connection.expires_at,
            scopes: connection.scopes.clone(),
        }
    }

    /// `Authorization: Bearer <token>` (marked sensitive) and, when the provider has one, the account
    /// header.
    pub fn headers(&self) -> Result<HeaderMap, GrantHeaderError> {
        let mut headers = HeaderMap::new();
        let mut auth = HeaderValue::from_str(&format!("Bearer {}", self.access_token.expose()))
            .map_err(|_| GrantHeaderError { what: "access token" })?;
        auth.set_sensitive(true);
        headers.insert(AUTHORIZATION, auth);
        if let (Some(name), Some(id)) = (&self.account_header, &self.account_id) {
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| GrantHeaderError {
                what: "account header name",
            })?;
            let value = HeaderValue::from_str(id).map_err(|_| GrantHeaderError { what: "account id" })?;
            headers.insert(name, value);
        }
        Ok(headers)
    }

    /// Adds [`AccessGrant::headers`] to a request.
    pub fn apply(&self, request: reqwest::RequestBuilder) -> Result<reqwest::RequestBuilder, GrantHeaderError> {
        Ok(request.headers(self.headers()?))
    }
}
