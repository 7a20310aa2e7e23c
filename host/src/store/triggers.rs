//! Triggers: stored per project, with the sealed signing secret of their target.

use super::{Pool, Sealed, Store, StoreError, conflict_or};

/// A trigger to create.
#[derive(Debug, Clone)]
pub struct NewTrigger {
    /// Trigger id (`trg_…`).
    pub id: String,
    /// Owning project.
    pub project_id: String,
    /// Type patterns (`stripe.customer.*`).
    pub event_types: Vec<String>,
    /// Only this connection's events.
    pub connection_id: Option<String>,
    /// A condition over the canonical event.
    pub condition: Option<String>,
    /// The target as JSON text.
    pub target: String,
    /// The sealed signing secret.
    pub sealed: Option<Sealed>,
    /// Creation time.
    pub created_at: i64,
}

/// A stored trigger.
#[derive(Debug, Clone)]
pub struct TriggerRow {
    /// Trigger id.
    pub id: String,
    /// Owning project.
    pub project_id: String,
    /// Type patterns.
    pub event_types: Vec<String>,
    /// Only this connection's events.
    pub connection_id: Option<String>,
    /// A condition over the canonical event.
    pub condition: Option<String>,
    /// The target as JSON text.
    pub target: String,
    /// The sealed signing secret.
    pub sealed: Option<Sealed>,
    /// `enabled` or `disabled`.
    pub status: String,
    /// Why it was disabled.
    pub disabled_reason: Option<String>,
    /// Since when its endpoint has failed without a success in between.
    pub failing_since: Option<i64>,
    /// Creation time.
    pub created_at: i64,
    /// When it was deleted.
    pub deleted_at: Option<i64>,
}

impl TriggerRow {
    /// What it matches.
    pub fn matcher(&self) -> crate::triggers::Matcher {
        crate::triggers::Matcher {
            event_types: self.event_types.clone(),
            connection_id: self.connection_id.clone(),
            condition: self.condition.clone(),
        }
    }
}

pub(super) const TRIGGER_COLUMNS: &str = "id, project_id, event_types, connection_id, condition, target, \
     sealed_secret, seal_key_id, status, disabled_reason, failing_since, created_at, deleted_at";

/// Reads a trigger row with the columns of [`TRIGGER_COLUMNS`].
macro_rules! trigger_row {
    ($row:expr) => {{
        use sqlx::Row as _;
        let r = $row;
        let blob: Option<Vec<u8>> = r.try_get("sealed_secret")?;
        let key_id: Option<String> = r.try_get("seal_key_id")?;
        let types: String = r.try_get("event_types")?;
        TriggerRow {
            id: r.try_get("id")?,
            project_id: r.try_get("project_id")?,
            event_types: serde_json::from_str(&types).unwrap_or_default(),
            connection_id: r.try_get("connection_id")?,
            condition: r.try_get("condition")?,
            target: r.try_get("target")?,
            sealed: match (blob, key_id) {
                (Some(blob), Some(key_id)) => Some(Sealed { key_id, blob }),
                _ => None,
            },
            status: r.try_get("status")?,
            disabled_reason: r.try_get("disabled_reason")?,
            failing_since: r.try_get("failing_since")?,
            created_at: r.try_get("created_at")?,
            deleted_at: r.try_get("deleted_at")?,
        }
    }};
}

impl Store {
    /// Stores a new trigger (enabled).
    pub async fn insert_trigger(&self, t: &NewTrigger) -> Result<(), StoreError> {
        let sql = "INSERT INTO triggers (id, project_id, event_types, connection_id, condition, target, \
                   sealed_secret, seal_key_id, status, created_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'enabled', $9)";
        let types = serde_json::to_string(&t.event_types).unwrap_or_else(|_| "[]".into());
        on_pool!(self, |pool| sqlx::query(sql)
            .bind(&t.id)
            .bind(&t.project_id)
            .bind(&types)
            .bind(&t.connection_id)
            .bind(&t.condition)
            .bind(&t.target)
            .bind(t.sealed.as_ref().map(|s| s.blob.clone()))
            .bind(t.sealed.as_ref().map(|s| s.key_id.clone()))
            .bind(t.created_at)
            .execute(pool)
            .await
            .map(|_| ())
            .map_err(conflict_or))?;
        Ok(())
    }

    /// The project's live triggers, oldest first.
    pub async fn triggers(&self, project_id: &str) -> Result<Vec<TriggerRow>, StoreError> {
        let sql = format!(
            "SELECT {TRIGGER_COLUMNS} FROM triggers WHERE project_id = $1 AND deleted_at IS NULL \
             ORDER BY created_at, id"
        );
        on_pool!(self, |pool| {
            let rows = sqlx::query(&sql).bind(project_id).fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                out.push(trigger_row!(r));
            }
            Ok(out)
        })
    }

    /// A trigger by id, live or deleted, whatever its project (the outbox worker).
    pub async fn trigger_by_id(&self, id: &str) -> Result<Option<TriggerRow>, StoreError> {
        let sql = format!("SELECT {TRIGGER_COLUMNS} FROM triggers WHERE id = $1");
        on_pool!(self, |pool| {
            match sqlx::query(&sql).bind(id).fetch_optional(pool).await? {
                Some(r) => Ok(Some(trigger_row!(&r))),
                None => Ok(None),
            }
        })
    }

    /// A live trigger of the project.
    pub async fn trigger(&self, project_id: &str, id: &str) -> Result<Option<TriggerRow>, StoreError> {
        Ok(self
            .trigger_by_id(id)
            .await?
            .filter(|t| t.project_id == project_id && t.deleted_at.is_none()))
    }

    /// Deletes a trigger of the project: its secret is erased and its open deliveries become dead; `false`
    /// when there was none.
    pub async fn delete_trigger(&self, project_id: &str, id: &str, at: i64) -> Result<bool, StoreError> {
        let sql = "UPDATE triggers SET deleted_at = $1, status = 'disabled', disabled_reason = 'deleted', \
                   sealed_secret = NULL, seal_key_id = NULL \
                   WHERE id = $2 AND project_id = $3 AND deleted_at IS NULL";
        let dead = "UPDATE deliveries SET status = 'dead', next_attempt_ms = NULL, \
                    last_error = 'the trigger was deleted' WHERE trigger_id = $1 AND status IN ('pending', 'failed')";
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let n = sqlx::query(sql)
                .bind(at)
                .bind(id)
                .bind(project_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n > 0 {
                sqlx::query(dead).bind(id).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(n > 0)
        })
    }

    /// Enables or disables a live trigger of the project (enabling forgets its failure history); `false` when
    /// there was none.
    pub async fn set_trigger_enabled(&self, project_id: &str, id: &str, enabled: bool) -> Result<bool, StoreError> {
        let sql = if enabled {
            "UPDATE triggers SET status = 'enabled', disabled_reason = NULL, failing_since = NULL \
             WHERE id = $1 AND project_id = $2 AND deleted_at IS NULL"
        } else {
            "UPDATE triggers SET status = 'disabled', disabled_reason = 'disabled by the API' \
             WHERE id = $1 AND project_id = $2 AND deleted_at IS NULL"
        };
        let n = on_pool!(self, |pool| sqlx::query(sql)
            .bind(id)
            .bind(project_id)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(n > 0)
    }

    /// Records how the trigger's endpoint answered at `now`: a success clears its failure history; a failure
    /// starts it (if not started) and disables the trigger once it has failed without a success since
    /// `now - disable_after` or earlier. `true` when this disabled it.
    pub async fn record_endpoint(
        &self,
        id: &str,
        ok: bool,
        now: i64,
        disable_after_secs: i64,
    ) -> Result<bool, StoreError> {
        if ok {
            on_pool!(self, |pool| sqlx::query(
                "UPDATE triggers SET failing_since = NULL WHERE id = $1 AND failing_since IS NOT NULL"
            )
            .bind(id)
            .execute(pool)
            .await
            .map(|_| ()))?;
            return Ok(false);
        }
        let start = "UPDATE triggers SET failing_since = $1 WHERE id = $2 AND failing_since IS NULL";
        let disable = "UPDATE triggers SET status = 'disabled', disabled_reason = $1 \
                       WHERE id = $2 AND status = 'enabled' AND deleted_at IS NULL AND failing_since <= $3";
        let reason = format!(
            "its endpoint failed every attempt for {} s or more; fix it, then PATCH {{\"enabled\": true}}",
            disable_after_secs
        );
        let cutoff = now.saturating_sub(disable_after_secs);
        let n = on_pool!(self, |pool| {
            sqlx::query(start).bind(now).bind(id).execute(pool).await?;
            sqlx::query(disable)
                .bind(&reason)
                .bind(id)
                .bind(cutoff)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(n > 0)
    }

    /// Every live trigger that holds a sealed secret, with it (for re-sealing).
    pub async fn sealed_triggers(&self) -> Result<Vec<(String, Sealed)>, StoreError> {
        let sql = "SELECT id, sealed_secret, seal_key_id FROM triggers \
                   WHERE sealed_secret IS NOT NULL AND seal_key_id IS NOT NULL ORDER BY id";
        on_pool!(self, |pool| {
            use sqlx::Row as _;
            let rows = sqlx::query(sql).fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                out.push((
                    r.try_get("id")?,
                    Sealed {
                        blob: r.try_get("sealed_secret")?,
                        key_id: r.try_get("seal_key_id")?,
                    },
                ));
            }
            Ok(out)
        })
    }

    /// Replaces a trigger's sealed secret if it is still sealed under `old_key_id`; `false` when the row changed
    /// meanwhile.
    pub async fn replace_trigger_sealed(
        &self,
        id: &str,
        old_key_id: &str,
        sealed: &Sealed,
    ) -> Result<bool, StoreError> {
        let sql = "UPDATE triggers SET sealed_secret = $1, seal_key_id = $2 WHERE id = $3 AND seal_key_id = $4";
        let n = on_pool!(self, |pool| sqlx::query(sql)
            .bind(sealed.blob.clone())
            .bind(&sealed.key_id)
            .bind(id)
            .bind(old_key_id)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(n > 0)
    }
}
