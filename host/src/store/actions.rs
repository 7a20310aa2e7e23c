//! The actions API's tables: stored idempotency, the audit log, interactions awaiting approval and the
//! projects' approval policies.

use sqlx::Row as _;

use super::{Pool, Store, StoreError, conflict_or};

/// A request to own an idempotency key of a project.
#[derive(Debug, Clone)]
pub struct IdempotencyClaim<'a> {
    /// Project.
    pub project_id: &'a str,
    /// The caller's key.
    pub key: &'a str,
    /// Connection called.
    pub connection_id: &'a str,
    /// Action called.
    pub action_id: &'a str,
    /// SHA-256 (hex) of the canonical params.
    pub params_digest: &'a str,
    /// Now (Unix seconds).
    pub now: i64,
    /// Until when the claimer may run the call before another request may take the key over.
    pub lease_until: i64,
    /// When the stored answer is forgotten.
    pub expires_at: i64,
}

/// An answer stored under an idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAnswer {
    /// HTTP status.
    pub status: u16,
    /// JSON body.
    pub body: String,
    /// JSON object of response headers to repeat.
    pub headers: String,
}

/// What a claim found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key is the caller's: make the call, then [`Store::finish_idempotency`] or
    /// [`Store::release_idempotency`].
    Owner,
    /// The key was used for the same call, whose answer is stored.
    Replay(StoredAnswer),
    /// The key's first call is still running.
    InFlight,
    /// The key was used for a different connection, action or params.
    Mismatch {
        /// The action the key was first used for.
        action_id: String,
    },
}

/// An audit log entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Position in the log (0 before it is appended).
    pub seq: i64,
    /// Project.
    pub project_id: String,
    /// Id of the project key that made the call (`key_…`).
    pub key_id: String,
    /// Connection.
    pub connection_id: String,
    /// Action.
    pub action_id: String,
    /// SHA-256 (hex) of the canonical params.
    pub params_digest: String,
    /// The idempotency key sent to the provider.
    pub idempotency_key: Option<String>,
    /// The interaction the call waits on or was approved by.
    pub interaction_id: Option<String>,
    /// `succeeded`, `failed`, `pending_approval`, `replayed`, `approved`, `rejected`.
    pub outcome: String,
    /// HTTP status answered.
    pub http_status: Option<i64>,
    /// The provider's request id.
    pub provider_request_id: Option<String>,
    /// When (Unix seconds).
    pub at: i64,
}

/// An interaction: a high-impact call waiting for a person's decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InteractionRow {
    /// Id (`int_…`).
    pub id: String,
    /// Project.
    pub project_id: String,
    /// Connection the call is for.
    pub connection_id: String,
    /// Action.
    pub action_id: String,
    /// The params (JSON).
    pub params: String,
    /// SHA-256 (hex) of the canonical params.
    pub params_digest: String,
    /// The idempotency key the call is sent with once approved.
    pub idempotency_key: String,
    /// `pending`, `approved` (executing), `succeeded`, `failed`, `rejected`, `expired`.
    pub status: String,
    /// Key id that asked.
    pub requested_by: String,
    /// Created (Unix seconds).
    pub created_at: i64,
    /// After this a pending interaction can no longer be approved.
    pub expires_at: i64,
    /// When it was approved or rejected.
    pub decided_at: Option<i64>,
    /// Key id that decided.
    pub decided_by: Option<String>,
    /// HTTP status of the executed call.
    pub result_status: Option<i64>,
    /// The executed call's answer (JSON).
    pub result: Option<String>,
}

const INTERACTION_COLUMNS: &str = "id, project_id, connection_id, action_id, params, params_digest, \
     idempotency_key, status, requested_by, created_at, expires_at, decided_at, decided_by, result_status, result";

const AUDIT_COLUMNS: &str = "seq, project_id, key_id, connection_id, action_id, params_digest, idempotency_key, \
     interaction_id, outcome, http_status, provider_request_id, at";

macro_rules! interaction_row {
    ($r:expr) => {{
        let r = $r;
        InteractionRow {
            id: r.try_get("id")?,
            project_id: r.try_get("project_id")?,
            connection_id: r.try_get("connection_id")?,
            action_id: r.try_get("action_id")?,
            params: r.try_get("params")?,
            params_digest: r.try_get("params_digest")?,
            idempotency_key: r.try_get("idempotency_key")?,
            status: r.try_get("status")?,
            requested_by: r.try_get("requested_by")?,
            created_at: r.try_get("created_at")?,
            expires_at: r.try_get("expires_at")?,
            decided_at: r.try_get("decided_at")?,
            decided_by: r.try_get("decided_by")?,
            result_status: r.try_get("result_status")?,
            result: r.try_get("result")?,
        }
    }};
}

impl Store {
    /// Claims `c.key` for a call, or tells what the key already holds. Expired answers are forgotten first; a
    /// running claim whose lease ran out (its host process died) is taken over.
    pub async fn claim_idempotency(&self, c: &IdempotencyClaim<'_>) -> Result<Claim, StoreError> {
        on_pool!(self, |pool| {
            sqlx::query("DELETE FROM idempotency WHERE project_id = $1 AND key = $2 AND expires_at < $3")
                .bind(c.project_id)
                .bind(c.key)
                .bind(c.now)
                .execute(pool)
                .await?;
            let inserted = sqlx::query(
                "INSERT INTO idempotency (project_id, key, connection_id, action_id, params_digest, state, \
                 lease_until, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, 'running', $6, $7, $8) \
                 ON CONFLICT (project_id, key) DO NOTHING",
            )
            .bind(c.project_id)
            .bind(c.key)
            .bind(c.connection_id)
            .bind(c.action_id)
            .bind(c.params_digest)
            .bind(c.lease_until)
            .bind(c.now)
            .bind(c.expires_at)
            .execute(pool)
            .await?
            .rows_affected();
            if inserted > 0 {
                return Ok(Claim::Owner);
            }
            let row = sqlx::query(
                "SELECT connection_id, action_id, params_digest, state, lease_until, status, body, headers \
                 FROM idempotency WHERE project_id = $1 AND key = $2",
            )
            .bind(c.project_id)
            .bind(c.key)
            .fetch_optional(pool)
            .await?;
            let Some(r) = row else {
                // Deleted between the two statements (expired meanwhile): the caller tries again.
                return Ok(Claim::InFlight);
            };
            let connection: String = r.try_get("connection_id")?;
            let action: String = r.try_get("action_id")?;
            let digest: String = r.try_get("params_digest")?;
            if connection != c.connection_id || action != c.action_id || digest != c.params_digest {
                return Ok(Claim::Mismatch { action_id: action });
            }
            let state: String = r.try_get("state")?;
            if state == "done" {
                let status: Option<i64> = r.try_get("status")?;
                let body: Option<String> = r.try_get("body")?;
                let headers: Option<String> = r.try_get("headers")?;
                return Ok(Claim::Replay(StoredAnswer {
                    status: status.and_then(|s| u16::try_from(s).ok()).unwrap_or(500),
                    body: body.unwrap_or_else(|| "null".into()),
                    headers: headers.unwrap_or_else(|| "{}".into()),
                }));
            }
            let taken = sqlx::query(
                "UPDATE idempotency SET lease_until = $1 WHERE project_id = $2 AND key = $3 \
                 AND state = 'running' AND lease_until < $4",
            )
            .bind(c.lease_until)
            .bind(c.project_id)
            .bind(c.key)
            .bind(c.now)
            .execute(pool)
            .await?
            .rows_affected();
            Ok(if taken > 0 { Claim::Owner } else { Claim::InFlight })
        })
    }

    /// Stores the answer of a claimed key.
    pub async fn finish_idempotency(
        &self,
        project_id: &str,
        key: &str,
        answer: &StoredAnswer,
    ) -> Result<(), StoreError> {
        let sql = "UPDATE idempotency SET state = 'done', lease_until = NULL, status = $1, body = $2, headers = $3 \
                   WHERE project_id = $4 AND key = $5";
        on_pool!(self, |pool| sqlx::query(sql)
            .bind(i64::from(answer.status))
            .bind(&answer.body)
            .bind(&answer.headers)
            .bind(project_id)
            .bind(key)
            .execute(pool)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// Gives a claimed key back without an answer (the call failed in a way worth retrying).
    pub async fn release_idempotency(&self, project_id: &str, key: &str) -> Result<(), StoreError> {
        let sql = "DELETE FROM idempotency WHERE project_id = $1 AND key = $2 AND state = 'running'";
        on_pool!(self, |pool| sqlx::query(sql)
            .bind(project_id)
            .bind(key)
            .execute(pool)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// Appends an entry to the audit log.
    pub async fn append_audit(&self, e: &AuditEntry) -> Result<(), StoreError> {
        let sql = "INSERT INTO audit_log (project_id, key_id, connection_id, action_id, params_digest, \
                   idempotency_key, interaction_id, outcome, http_status, provider_request_id, at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
        on_pool!(self, |pool| sqlx::query(sql)
            .bind(&e.project_id)
            .bind(&e.key_id)
            .bind(&e.connection_id)
            .bind(&e.action_id)
            .bind(&e.params_digest)
            .bind(&e.idempotency_key)
            .bind(&e.interaction_id)
            .bind(&e.outcome)
            .bind(e.http_status)
            .bind(&e.provider_request_id)
            .bind(e.at)
            .execute(pool)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// The project's audit entries after `after_seq`, oldest first, at most `limit`.
    pub async fn audit(&self, project_id: &str, after_seq: i64, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
        let sql =
            format!("SELECT {AUDIT_COLUMNS} FROM audit_log WHERE project_id = $1 AND seq > $2 ORDER BY seq LIMIT $3");
        on_pool!(self, |pool| {
            let rows = sqlx::query(&sql)
                .bind(project_id)
                .bind(after_seq)
                .bind(limit)
                .fetch_all(pool)
                .await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                out.push(AuditEntry {
                    seq: r.try_get("seq")?,
                    project_id: r.try_get("project_id")?,
                    key_id: r.try_get("key_id")?,
                    connection_id: r.try_get("connection_id")?,
                    action_id: r.try_get("action_id")?,
                    params_digest: r.try_get("params_digest")?,
                    idempotency_key: r.try_get("idempotency_key")?,
                    interaction_id: r.try_get("interaction_id")?,
                    outcome: r.try_get("outcome")?,
                    http_status: r.try_get("http_status")?,
                    provider_request_id: r.try_get("provider_request_id")?,
                    at: r.try_get("at")?,
                });
            }
            Ok(out)
        })
    }

    /// Stores a new interaction.
    pub async fn insert_interaction(&self, i: &InteractionRow) -> Result<(), StoreError> {
        let sql = format!(
            "INSERT INTO interactions ({INTERACTION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
        );
        on_pool!(self, |pool| sqlx::query(&sql)
            .bind(&i.id)
            .bind(&i.project_id)
            .bind(&i.connection_id)
            .bind(&i.action_id)
            .bind(&i.params)
            .bind(&i.params_digest)
            .bind(&i.idempotency_key)
            .bind(&i.status)
            .bind(&i.requested_by)
            .bind(i.created_at)
            .bind(i.expires_at)
            .bind(i.decided_at)
            .bind(&i.decided_by)
            .bind(i.result_status)
            .bind(&i.result)
            .execute(pool)
            .await
            .map(|_| ())
            .map_err(conflict_or))?;
        Ok(())
    }

    /// An interaction of the project.
    pub async fn interaction(&self, project_id: &str, id: &str) -> Result<Option<InteractionRow>, StoreError> {
        let sql = format!("SELECT {INTERACTION_COLUMNS} FROM interactions WHERE id = $1 AND project_id = $2");
        on_pool!(self, |pool| {
            match sqlx::query(&sql).bind(id).bind(project_id).fetch_optional(pool).await? {
                Some(r) => Ok(Some(interaction_row!(&r))),
                None => Ok(None),
            }
        })
    }

    /// The project's interactions, newest first, with `status` when given, at most `limit`.
    pub async fn interactions(
        &self,
        project_id: &str,
        status: Option<&str>,
        limit: i64,
    ) -> Result<Vec<InteractionRow>, StoreError> {
        let sql = format!(
            "SELECT {INTERACTION_COLUMNS} FROM interactions WHERE project_id = $1 AND ($2 IS NULL OR status = $2) \
             ORDER BY created_at DESC, id DESC LIMIT $3"
        );
        on_pool!(self, |pool| {
            let rows = sqlx::query(&sql)
                .bind(project_id)
                .bind(status)
                .bind(limit)
                .fetch_all(pool)
                .await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                out.push(interaction_row!(r));
            }
            Ok(out)
        })
    }

    /// Moves a pending, unexpired interaction to `to` (`approved` or `rejected`); `true` for the one caller
    /// whose statement did it (concurrent approvals: exactly one `true`).
    pub async fn decide_interaction(
        &self,
        project_id: &str,
        id: &str,
        to: &str,
        by: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let sql = "UPDATE interactions SET status = $1, decided_at = $2, decided_by = $3 \
                   WHERE id = $4 AND project_id = $5 AND status = 'pending' AND expires_at >= $2";
        let n = on_pool!(self, |pool| sqlx::query(sql)
            .bind(to)
            .bind(now)
            .bind(by)
            .bind(id)
            .bind(project_id)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(n > 0)
    }

    /// Marks the project's pending interactions past their expiry `expired`.
    pub async fn expire_interactions(&self, project_id: &str, now: i64) -> Result<(), StoreError> {
        let sql = "UPDATE interactions SET status = 'expired' WHERE project_id = $1 AND status = 'pending' \
                   AND expires_at < $2";
        on_pool!(self, |pool| sqlx::query(sql)
            .bind(project_id)
            .bind(now)
            .execute(pool)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// Records the result of an approved interaction's call.
    pub async fn finish_interaction(
        &self,
        id: &str,
        status: &str,
        result_status: i64,
        result: &str,
    ) -> Result<(), StoreError> {
        let sql = "UPDATE interactions SET status = $1, result_status = $2, result = $3 \
                   WHERE id = $4 AND status = 'approved'";
        on_pool!(self, |pool| sqlx::query(sql)
            .bind(status)
            .bind(result_status)
            .bind(result)
            .bind(id)
            .execute(pool)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// The action id patterns the project approves without asking (`stripe.refund.create`, `stripe.*`).
    pub async fn auto_approve(&self, project_id: &str) -> Result<Vec<String>, StoreError> {
        let sql = "SELECT auto_approve FROM approval_policies WHERE project_id = $1";
        let text: Option<String> = on_pool!(self, |pool| {
            match sqlx::query(sql).bind(project_id).fetch_optional(pool).await? {
                Some(r) => r.try_get("auto_approve")?,
                None => None,
            }
        });
        Ok(text
            .and_then(|t| serde_json::from_str::<Vec<String>>(&t).ok())
            .unwrap_or_default())
    }

    /// Replaces the project's auto-approved action patterns.
    pub async fn set_auto_approve(&self, project_id: &str, patterns: &[String], now: i64) -> Result<(), StoreError> {
        let text = serde_json::to_string(patterns).unwrap_or_else(|_| "[]".into());
        let sql = "INSERT INTO approval_policies (project_id, auto_approve, updated_at) VALUES ($1, $2, $3) \
                   ON CONFLICT (project_id) DO UPDATE SET auto_approve = excluded.auto_approve, \
                   updated_at = excluded.updated_at";
        on_pool!(self, |pool| sqlx::query(sql)
            .bind(project_id)
            .bind(&text)
            .bind(now)
            .execute(pool)
            .await
            .map(|_| ()))?;
        Ok(())
    }
}
