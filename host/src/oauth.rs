//! The OAuth connect flow on the host's database: the runtime's [`OAuthConnector`] stores its connections and
//! pending authorizations here (tokens and PKCE verifiers sealed like every other secret), so that a state
//! issued by one host process is taken once by whichever process receives the callback.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use spec_core::AuthMethod;
use spec_core::Secret;
use spec_runtime::oauth::{
    BoxFuture, Connection, ConnectionKey, ConnectionStore, NonceStore, OAuthConnector, PendingAuthorization,
    StateSigner, StoreError,
};

use crate::keys;
use crate::providers::Provider;
use crate::seal::Sealer;
use crate::store::{NewConnection, Store, now};

/// The auth kind stored for connections made by the connect flow.
pub const OAUTH_KIND: &str = "oauth2";

/// One provider's connect flow.
pub struct OAuthProvider {
    /// The runtime's connector.
    pub connector: OAuthConnector,
    /// Verifies the callback's state to learn its project before the connector checks it all.
    pub state: StateSigner,
}

impl std::fmt::Debug for OAuthProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthProvider")
            .field("provider", &self.connector.provider())
            .finish_non_exhaustive()
    }
}

#[derive(Serialize, Deserialize)]
struct Tokens {
    access_token: String,
    refresh_token: Option<String>,
    token_type: String,
    expires_at: Option<u64>,
    livemode: Option<bool>,
    #[serde(default)]
    extras: Map<String, Value>,
    connected_at: u64,
    refreshed_at: Option<u64>,
}

fn secs(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

fn time(s: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(s)
}

fn err(e: impl std::error::Error + Send + Sync + 'static) -> StoreError {
    StoreError::new(e)
}

/// The host's database as the runtime's connection and nonce store.
#[derive(Debug, Clone)]
pub struct HostOAuthStore {
    store: Store,
    sealer: Arc<Sealer>,
}

impl HostOAuthStore {
    /// Over `store`, sealing with `sealer`.
    pub fn new(store: Store, sealer: Arc<Sealer>) -> Self {
        Self { store, sealer }
    }

    async fn save_now(&self, c: Connection) -> Result<(), StoreError> {
        let tokens = Tokens {
            access_token: c.access_token.expose().to_string(),
            refresh_token: c.refresh_token.as_ref().map(|s| s.expose().to_string()),
            token_type: c.token_type.clone(),
            expires_at: c.expires_at.map(secs),
            livemode: c.livemode,
            extras: c.extras.clone(),
            connected_at: secs(c.connected_at),
            refreshed_at: c.refreshed_at.map(secs),
        };
        let plaintext = serde_json::to_vec(&tokens).map_err(err)?;
        let scopes = (!c.scopes.is_empty()).then(|| c.scopes.join(" "));
        let k = &c.key;
        let expires = c.expires_at.map(|t| i64::try_from(secs(t)).unwrap_or(i64::MAX));
        let id = match self
            .store
            .connection_by_name(&k.project, &k.provider, &k.name)
            .await
            .map_err(err)?
        {
            Some(row) => {
                let sealed = self.sealer.seal(&row.id, &plaintext).map_err(err)?;
                let refreshed = c.refreshed_at.map(|t| i64::try_from(secs(t)).unwrap_or(i64::MAX));
                self.store
                    .update_credentials(&row.id, c.account_id.as_deref(), &sealed, scopes.as_deref(), refreshed)
                    .await
                    .map_err(err)?;
                row.id
            }
            None => {
                let id = keys::new_id("conn_");
                let sealed = self.sealer.seal(&id, &plaintext).map_err(err)?;
                self.store
                    .insert_connection(&NewConnection {
                        id: id.clone(),
                        project_id: k.project.clone(),
                        provider: k.provider.clone(),
                        name: k.name.clone(),
                        auth_kind: OAUTH_KIND.into(),
                        account_id: c.account_id.clone(),
                        config: "{}".into(),
                        sealed: Some(sealed),
                        scopes,
                        created_at: now(),
                    })
                    .await
                    .map_err(err)?;
                tracing::info!(connection = %id, key = %k, "oauth connection stored");
                id
            }
        };
        self.store.set_token_expiry(&id, expires).await.map_err(err)?;
        Ok(())
    }

    async fn get_now(&self, key: &ConnectionKey) -> Result<Option<(String, Connection)>, StoreError> {
        let Some(row) = self
            .store
            .connection_by_name(&key.project, &key.provider, &key.name)
            .await
            .map_err(err)?
            .filter(|r| r.auth_kind == OAUTH_KIND)
        else {
            return Ok(None);
        };
        let Some(sealed) = &row.sealed else { return Ok(None) };
        let plaintext = self.sealer.open(&row.id, sealed).map_err(err)?;
        let t: Tokens = serde_json::from_slice(&plaintext).map_err(err)?;
        let connection = Connection {
            key: key.clone(),
            account_id: row.account_id.clone(),
            access_token: Secret::new(t.access_token),
            refresh_token: t.refresh_token.map(Secret::new),
            token_type: t.token_type,
            expires_at: t.expires_at.map(time),
            scopes: row
                .scopes
                .as_deref()
                .map(|s| s.split_whitespace().map(str::to_string).collect())
                .unwrap_or_default(),
            livemode: t.livemode,
            extras: t.extras,
            connected_at: time(t.connected_at),
            refreshed_at: t.refreshed_at.map(time),
        };
        Ok(Some((row.id, connection)))
    }
}

impl ConnectionStore for HostOAuthStore {
    fn save(&self, connection: Connection) -> BoxFuture<'_, Result<(), StoreError>> {
        Box::pin(self.save_now(connection))
    }

    fn get<'a>(&'a self, key: &'a ConnectionKey) -> BoxFuture<'a, Result<Option<Connection>, StoreError>> {
        Box::pin(async move { Ok(self.get_now(key).await?.map(|(_, c)| c)) })
    }

    fn remove<'a>(&'a self, key: &'a ConnectionKey) -> BoxFuture<'a, Result<Option<Connection>, StoreError>> {
        Box::pin(async move {
            let Some((id, c)) = self.get_now(key).await? else {
                return Ok(None);
            };
            self.store
                .delete_connection(&key.project, &id, now())
                .await
                .map_err(err)?;
            Ok(Some(c))
        })
    }

    fn find_by_account<'a>(
        &'a self,
        provider: &'a str,
        account_id: &'a str,
    ) -> BoxFuture<'a, Result<Vec<ConnectionKey>, StoreError>> {
        Box::pin(async move {
            let rows = self
                .store
                .connections_for_account(provider, account_id)
                .await
                .map_err(err)?;
            Ok(rows
                .into_iter()
                .filter(|r| r.auth_kind == OAUTH_KIND)
                .map(|r| ConnectionKey::new(r.provider, r.project_id, r.name))
                .collect())
        })
    }
}

fn nonce_aad(nonce: &str) -> String {
    format!("oauth-nonce:{nonce}")
}

impl NonceStore for HostOAuthStore {
    fn insert(&self, nonce: String, pending: PendingAuthorization) -> BoxFuture<'_, Result<(), StoreError>> {
        Box::pin(async move {
            let sealed = match &pending.pkce_verifier {
                Some(v) => Some(
                    self.sealer
                        .seal(&nonce_aad(&nonce), v.expose().as_bytes())
                        .map_err(err)?,
                ),
                None => None,
            };
            let expires = i64::try_from(secs(pending.expires_at)).unwrap_or(i64::MAX);
            self.store
                .insert_pending(&nonce, sealed.as_ref(), expires, now())
                .await
                .map_err(err)
        })
    }

    fn take<'a>(&'a self, nonce: &'a str) -> BoxFuture<'a, Result<Option<PendingAuthorization>, StoreError>> {
        Box::pin(async move {
            let Some((sealed, expires)) = self.store.take_pending(nonce).await.map_err(err)? else {
                return Ok(None);
            };
            let pkce_verifier = match sealed {
                Some(s) => {
                    let bytes = self.sealer.open(&nonce_aad(nonce), &s).map_err(err)?;
                    Some(Secret::new(String::from_utf8_lossy(&bytes).into_owned()))
                }
                None => None,
            };
            Ok(Some(PendingAuthorization {
                pkce_verifier,
                expires_at: time(u64::try_from(expires).unwrap_or(0)),
            }))
        })
    }
}

/// The connect flow of every provider whose spec declares OAuth: `Ok` when the deployment configures it,
/// otherwise the message naming the missing variables. `token_urls` and `revocation_urls` replace the specs'
/// (a local token endpoint in tests).
pub fn connectors(
    providers: &BTreeMap<String, Provider>,
    store: &HostOAuthStore,
    token_urls: &BTreeMap<String, String>,
    revocation_urls: &BTreeMap<String, String>,
) -> BTreeMap<String, Result<OAuthProvider, String>> {
    let mut out = BTreeMap::new();
    for (id, p) in providers {
        if p.spec.auth_method(spec_core::AuthKind::OAuth2).is_none() {
            continue;
        }
        let built = p.deploy.connect().map_err(|e| e.to_string()).and_then(|settings| {
            let mut spec = p.spec.clone();
            for m in &mut spec.supported_auth_methods {
                if let AuthMethod::OAuth2(o) = m {
                    if let Some(url) = token_urls.get(id) {
                        o.token_url = url.clone();
                    }
                    if let Some(url) = revocation_urls.get(id) {
                        o.revocation_url = Some(url.clone());
                    }
                }
            }
            let state = StateSigner::new(settings.signing_secret.clone());
            let shared = Arc::new(store.clone());
            OAuthConnector::builder(&spec, settings)
                .connections(shared.clone())
                .nonces(shared)
                .build()
                .map(|connector| OAuthProvider { connector, state })
                .map_err(|e| e.to_string())
        });
        out.insert(id.clone(), built);
    }
    out
}
