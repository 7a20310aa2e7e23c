//! Refreshing OAuth access tokens before they expire, once per connection even across several host processes:
//! each pass claims a lease on a due connection in the database (one conditional `UPDATE`), refreshes it through
//! the runtime's connector (which re-reads the connection, so a token another process refreshed meanwhile is not
//! refreshed again) and gives the lease back, recording a failure on the connection.

use std::sync::Arc;
use std::time::Duration;

use spec_runtime::oauth::DEFAULT_REFRESH_MARGIN;

use crate::state::AppState;
use crate::store::{StoreError, now};

/// How long a lease holds when its holder dies mid-refresh.
pub const LEASE: Duration = Duration::from_secs(60);

/// Connections looked at per pass.
const BATCH: i64 = 100;

/// One pass: refreshes every due connection whose lease this process gets; returns how many it refreshed.
pub async fn refresh_due(state: &AppState, holder: &str) -> Result<usize, StoreError> {
    let at = now();
    let margin = i64::try_from(DEFAULT_REFRESH_MARGIN.as_secs()).unwrap_or(i64::MAX);
    let lease = i64::try_from(LEASE.as_secs()).unwrap_or(i64::MAX);
    let mut refreshed = 0;
    for c in state.store.due_for_refresh(at.saturating_add(margin), BATCH).await? {
        let Some(Ok(flow)) = state.oauth.get(&c.provider) else {
            continue;
        };
        if !state
            .store
            .claim_refresh(&c.id, holder, at, at.saturating_add(lease))
            .await?
        {
            continue;
        }
        let failure = match flow.connector.access(&c.project_id, &c.name).await {
            Ok(_) => {
                refreshed += 1;
                None
            }
            Err(e) => {
                tracing::warn!(connection = %c.id, error = %e, "token refresh failed");
                Some(e.to_string())
            }
        };
        state
            .store
            .release_refresh(&c.id, holder, failure.as_deref().map(|m| (now(), m)))
            .await?;
    }
    Ok(refreshed)
}

/// Runs [`refresh_due`] every `every` until the task is dropped.
pub async fn run(state: Arc<AppState>, every: Duration, holder: String) {
    loop {
        if let Err(e) = refresh_due(&state, &holder).await {
            tracing::warn!(error = %e, "token refresh pass failed");
        }
        tokio::time::sleep(every).await;
    }
}
