//! Running the host and its commands: serve, create a project, re-seal secrets.

use std::sync::Arc;

use std::time::Duration;

use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

use crate::keys;
use crate::seal::{SealError, Sealer};
use crate::state::AppState;
use crate::store::{NewProject, Store, StoreError, now};

/// A created project and its key (shown once).
#[derive(Clone)]
pub struct CreatedProject {
    /// Project id.
    pub id: String,
    /// The API key; only its hash is stored.
    pub key: String,
}

impl std::fmt::Debug for CreatedProject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreatedProject")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// A failure of a command.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CommandError {
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Sealing failed.
    #[error(transparent)]
    Seal(#[from] SealError),
    /// No randomness.
    #[error("no randomness available for a key")]
    Random,
    /// The server failed.
    #[error("server error: {0}")]
    Io(#[from] std::io::Error),
}

/// Creates a project with a new key.
pub async fn create_project(
    store: &Store,
    name: &str,
    return_url: Option<String>,
) -> Result<CreatedProject, CommandError> {
    let (key, key_hash) = keys::generate().map_err(|_| CommandError::Random)?;
    let id = keys::new_id("proj_");
    store
        .create_project(&NewProject {
            id: id.clone(),
            name: name.to_string(),
            key_hash,
            return_url,
            created_at: now(),
        })
        .await?;
    Ok(CreatedProject { id, key })
}

/// What re-sealing did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ResealReport {
    /// Rows re-sealed under the current key.
    pub resealed: usize,
    /// Rows already under it.
    pub current: usize,
}

/// Re-seals every row not under the sealer's current key (their keys must be among its old keys): connections'
/// secrets and triggers' signing secrets.
pub async fn reseal(store: &Store, sealer: &Sealer) -> Result<ResealReport, CommandError> {
    let mut report = ResealReport::default();
    for (id, sealed) in store.sealed_connections().await? {
        if !sealer.is_stale(&sealed) {
            report.current += 1;
            continue;
        }
        let plaintext = sealer.open(&id, &sealed)?;
        let fresh = sealer.seal(&id, &plaintext)?;
        if store.replace_sealed(&id, &sealed.key_id, &fresh).await? {
            report.resealed += 1;
        }
    }
    for (id, sealed) in store.sealed_triggers().await? {
        if !sealer.is_stale(&sealed) {
            report.current += 1;
            continue;
        }
        let plaintext = sealer.open(&id, &sealed)?;
        let fresh = sealer.seal(&id, &plaintext)?;
        if store.replace_trigger_sealed(&id, &sealed.key_id, &fresh).await? {
            report.resealed += 1;
        }
    }
    Ok(report)
}

/// Serves `state` on `listener` until `shutdown` completes, then lets open requests finish (at most 10 s).
/// Meanwhile refreshes OAuth tokens that are due ([`crate::refresh`]) and runs the outbox ([`crate::outbox`]).
///
/// Connections are HTTP/1.1 with the settings' header read timeout: a client that sends its request head too
/// slowly is disconnected. Bodies are bounded by the body limit, requests by the request timeout.
pub async fn serve(
    listener: TcpListener,
    state: Arc<AppState>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), CommandError> {
    let header_timeout = state.settings.header_read_timeout;
    let refresher = tokio::spawn(crate::refresh::run(
        state.clone(),
        state.settings.refresh_every,
        keys::new_id("host_"),
    ));
    let outbox = tokio::spawn(crate::outbox::worker::run(state.clone(), keys::new_id("host_")));
    let app = crate::routes::router(state);
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors and the like: keep serving the open connections.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = TowerToHyperService::new(app.clone());
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder.timer(TokioTimer::new()).header_read_timeout(header_timeout);
        let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection closed with an error");
            }
        });
    }
    refresher.abort();
    outbox.abort();
    if tokio::time::timeout(Duration::from_secs(10), graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("open connections did not finish within 10 s of shutdown");
    }
    Ok(())
}
