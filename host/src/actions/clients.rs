//! One REST client per connection, so a connection's calls share the client's connection pool and the spec's
//! client-side rate limit. A client is rebuilt when what it was built from changes (re-sealed or replaced
//! secrets, a refreshed OAuth token).

use std::collections::HashMap;
use std::sync::Mutex;

use axum::http::StatusCode;
use serde_json::Value;
use sha2::{Digest as _, Sha256};
use spec_core::IntegrationSpec;
use spec_runtime::client::{Credential, RestClient};

use crate::error::ApiError;
use crate::providers;
use crate::state::AppState;
use crate::store::ConnectionRow;

/// The clients of the connections called so far, by connection id.
#[derive(Default)]
pub struct ClientCache {
    clients: Mutex<HashMap<String, ([u8; 32], RestClient)>>,
}

impl std::fmt::Debug for ClientCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.clients.lock().map_or(0, |c| c.len());
        f.debug_struct("ClientCache").field("clients", &n).finish()
    }
}

/// What a client is built from.
struct Recipe {
    credential: Credential,
    account: Option<String>,
    fingerprint: [u8; 32],
}

fn provider_unusable(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_GATEWAY, "connection_unusable", message)
}

impl ClientCache {
    /// The client of connection `row` of integration `spec`.
    pub async fn client(
        &self,
        state: &AppState,
        spec: &'static IntegrationSpec,
        row: &ConnectionRow,
    ) -> Result<RestClient, ApiError> {
        let recipe = recipe(state, spec, row).await?;
        if let Ok(cache) = self.clients.lock()
            && let Some((fingerprint, client)) = cache.get(&row.id)
            && *fingerprint == recipe.fingerprint
        {
            return Ok(client.clone());
        }
        let mut builder = RestClient::builder(spec).credential(recipe.credential);
        if let Some(account) = recipe.account
            && spec.account_header().is_some()
        {
            builder = builder.account(account);
        }
        if let Some(base) = state.settings.api_base_urls.get(spec.provider_id()) {
            builder = builder.base_url(base.clone());
        }
        builder = builder.user_agent(format!(
            "integration-host/{} ({})",
            env!("CARGO_PKG_VERSION"),
            spec.meta.key
        ));
        let client = builder
            .build()
            .map_err(|e| provider_unusable(format!("cannot build a client for the connection: {e}")))?;
        if let Ok(mut cache) = self.clients.lock() {
            cache.insert(row.id.clone(), (recipe.fingerprint, client.clone()));
        }
        Ok(client)
    }

    /// Forgets the client of a connection (deleted or disconnected).
    pub fn forget(&self, connection_id: &str) {
        if let Ok(mut cache) = self.clients.lock() {
            cache.remove(connection_id);
        }
    }
}

async fn recipe(state: &AppState, spec: &'static IntegrationSpec, row: &ConnectionRow) -> Result<Recipe, ApiError> {
    if row.auth_kind == crate::oauth::OAUTH_KIND {
        let flow = match state.oauth.get(&row.provider) {
            Some(Ok(flow)) => flow,
            Some(Err(why)) => return Err(provider_unusable(format!("OAuth is not configured: {why}"))),
            None => return Err(provider_unusable("the integration declares no OAuth")),
        };
        let grant = flow
            .connector
            .access(&row.project_id, &row.name)
            .await
            .map_err(|e| provider_unusable(format!("no usable access token: {e}")))?;
        let fingerprint = Sha256::digest(grant.access_token.expose().as_bytes()).into();
        return Ok(Recipe {
            credential: Credential::oauth_access_token(grant.access_token),
            account: grant.account_id,
            fingerprint,
        });
    }
    let sealed = row
        .sealed
        .as_ref()
        .ok_or_else(|| provider_unusable("the connection holds no secrets"))?;
    let fingerprint = Sha256::digest(&sealed.blob).into();
    let plaintext = state
        .sealer
        .open(&row.id, sealed)
        .map_err(|e| ApiError::unavailable(&e))?;
    let secrets: Value = serde_json::from_slice(&plaintext).map_err(|e| ApiError::unavailable(&e))?;
    let config: Value = serde_json::from_str(&row.config).unwrap_or(Value::Object(Default::default()));
    match providers::credentials(spec, &config, &secrets) {
        Some(Ok(c)) => Ok(Recipe {
            credential: c.credential,
            account: c.account_id,
            fingerprint,
        }),
        Some(Err(_)) => Err(provider_unusable("the stored secrets hold no usable credential")),
        None => Err(provider_unusable(format!(
            "the host cannot build a client for `{}` connections",
            row.provider
        ))),
    }
}
