//! The outbox: one delivery row per (event, trigger), written in the event's transaction, claimed by workers
//! under a lease, finished with the attempt's outcome.
//!
//! Times of the outbox are Unix milliseconds (`*_ms` columns), so that a test schedule can run in
//! milliseconds; the rest of the store keeps Unix seconds.

use super::{EVENT_COLUMNS, EventRow, NewEvent, Pool, Store, StoreError};
use crate::triggers::DeliveryStatus;

/// A stored delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryRow {
    /// Delivery id (`dlv_…`).
    pub id: String,
    /// Owning project.
    pub project_id: String,
    /// The trigger.
    pub trigger_id: String,
    /// The event's position in the log.
    pub event_seq: i64,
    /// The `webhook-id` of every attempt: stable per (event, trigger).
    pub webhook_id: String,
    /// `pending`, `delivered`, `failed` or `dead`.
    pub status: String,
    /// Attempts made.
    pub attempts: i64,
    /// When the next attempt is due (Unix ms).
    pub next_attempt_ms: Option<i64>,
    /// When the last attempt was made (Unix ms).
    pub last_attempt_ms: Option<i64>,
    /// The HTTP status of the last answer.
    pub last_status: Option<i64>,
    /// The first bytes of the last answer's body.
    pub last_response: Option<String>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// Creation time (Unix seconds).
    pub created_at: i64,
    /// When it was delivered (Unix seconds).
    pub delivered_at: Option<i64>,
}

/// A delivery claimed by a worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    /// Delivery id.
    pub id: String,
    /// The trigger.
    pub trigger_id: String,
    /// The event's position in the log.
    pub event_seq: i64,
    /// The `webhook-id`.
    pub webhook_id: String,
    /// Attempts made before this one.
    pub attempts: i64,
}

/// The outcome of an attempt, to record.
#[derive(Debug, Clone)]
pub struct Finished {
    /// The delivery's new status.
    pub status: DeliveryStatus,
    /// When the next attempt is due (failed deliveries).
    pub next_attempt_ms: Option<i64>,
    /// When the attempt was made (Unix ms).
    pub at_ms: i64,
    /// The answer's HTTP status.
    pub http_status: Option<i64>,
    /// The first bytes of the answer's body.
    pub response: Option<String>,
    /// Why it failed.
    pub error: Option<String>,
}

pub(super) const DELIVERY_COLUMNS: &str = "id, project_id, trigger_id, event_seq, webhook_id, status, attempts, \
     next_attempt_ms, last_attempt_ms, last_status, last_response, last_error, created_at, delivered_at";

/// The insert of a delivery; an existing (event, trigger) pair is left as it is.
pub(super) const INSERT_DELIVERY: &str = "INSERT INTO deliveries (id, project_id, trigger_id, event_seq, \
     webhook_id, status, attempts, next_attempt_ms, created_at) VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $7) \
     ON CONFLICT (event_seq, trigger_id) DO NOTHING";

/// The enabled triggers of a project, as fan-out reads them inside the event's transaction.
pub(super) const FAN_OUT_TRIGGERS: &str = "SELECT id, event_types, connection_id, condition FROM triggers \
     WHERE project_id = $1 AND status = 'enabled' AND deleted_at IS NULL";

const CLAIM_SQLITE: &str = "UPDATE deliveries SET lease_until_ms = $1, lease_holder = $2 WHERE id IN (\
     SELECT id FROM deliveries WHERE status IN ('pending', 'failed') AND next_attempt_ms <= $3 \
     AND (lease_until_ms IS NULL OR lease_until_ms < $3) ORDER BY next_attempt_ms LIMIT $4) \
     RETURNING id, trigger_id, event_seq, webhook_id, attempts";

const CLAIM_POSTGRES: &str = "UPDATE deliveries SET lease_until_ms = $1, lease_holder = $2 WHERE id IN (\
     SELECT id FROM deliveries WHERE status IN ('pending', 'failed') AND next_attempt_ms <= $3 \
     AND (lease_until_ms IS NULL OR lease_until_ms < $3) ORDER BY next_attempt_ms LIMIT $4 \
     FOR UPDATE SKIP LOCKED) \
     RETURNING id, trigger_id, event_seq, webhook_id, attempts";

/// Reads a delivery row.
macro_rules! delivery_row {
    ($row:expr) => {{
        use sqlx::Row as _;
        let r = $row;
        DeliveryRow {
            id: r.try_get("id")?,
            project_id: r.try_get("project_id")?,
            trigger_id: r.try_get("trigger_id")?,
            event_seq: r.try_get("event_seq")?,
            webhook_id: r.try_get("webhook_id")?,
            status: r.try_get("status")?,
            attempts: r.try_get("attempts")?,
            next_attempt_ms: r.try_get("next_attempt_ms")?,
            last_attempt_ms: r.try_get("last_attempt_ms")?,
            last_status: r.try_get("last_status")?,
            last_response: r.try_get("last_response")?,
            last_error: r.try_get("last_error")?,
            created_at: r.try_get("created_at")?,
            delivered_at: r.try_get("delivered_at")?,
        }
    }};
}

/// Inside the event transaction `$tx`: one delivery row per matching enabled trigger for each newly inserted
/// event of `$new` (`&[(seq, &NewEvent)]`). Patterns, connection and condition are matched in Rust
/// ([`crate::triggers::Matcher`]) over the triggers read in the same transaction.
macro_rules! fan_out {
    ($tx:ident, $new:expr) => {{
        let new: &[(i64, &NewEvent)] = $new;
        let mut by_project: Vec<(&str, Vec<(String, crate::triggers::Matcher)>)> = Vec::new();
        for (_, e) in new {
            if by_project.iter().any(|(p, _)| *p == e.project_id) {
                continue;
            }
            use sqlx::Row as _;
            let rows = sqlx::query(outbox::FAN_OUT_TRIGGERS)
                .bind(&e.project_id)
                .fetch_all(&mut *$tx)
                .await?;
            let mut matchers = Vec::with_capacity(rows.len());
            for r in &rows {
                let types: String = r.try_get("event_types")?;
                matchers.push((
                    r.try_get::<String, _>("id")?,
                    crate::triggers::Matcher {
                        event_types: serde_json::from_str(&types).unwrap_or_default(),
                        connection_id: r.try_get("connection_id")?,
                        condition: r.try_get("condition")?,
                    },
                ));
            }
            by_project.push((&e.project_id, matchers));
        }
        let now_ms = crate::outbox::now_ms();
        for (seq, e) in new {
            let Some((_, matchers)) = by_project.iter().find(|(p, _)| *p == e.project_id) else {
                continue;
            };
            let mut canonical: Option<serde_json::Value> = None;
            for (trigger_id, m) in matchers {
                if m.condition.is_some() && canonical.is_none() {
                    canonical = Some(crate::outbox::canonical(*seq, e));
                }
                let ev = canonical.as_ref().unwrap_or(&serde_json::Value::Null);
                if !m.matches(&e.event_type, &e.connection_id, ev) {
                    continue;
                }
                sqlx::query(outbox::INSERT_DELIVERY)
                    .bind(crate::keys::new_id("dlv_"))
                    .bind(&e.project_id)
                    .bind(trigger_id)
                    .bind(*seq)
                    .bind(crate::outbox::webhook_id(trigger_id, *seq))
                    .bind(now_ms)
                    .bind(e.received_at)
                    .execute(&mut *$tx)
                    .await?;
            }
        }
    }};
}
pub(super) use fan_out;

impl Store {
    /// Claims up to `limit` due deliveries for `holder` until `lease_until_ms`: deliveries pending or failed,
    /// due at `now_ms`, not under another running lease. PostgreSQL skips rows another process is claiming
    /// (`FOR UPDATE SKIP LOCKED`); SQLite's one `UPDATE … RETURNING` is atomic. A holder that crashes keeps its
    /// rows only until the lease runs out.
    pub async fn claim_deliveries(
        &self,
        holder: &str,
        now_ms: i64,
        lease_until_ms: i64,
        limit: i64,
    ) -> Result<Vec<Claimed>, StoreError> {
        let sql = match self.pool {
            Pool::Sqlite(_) => CLAIM_SQLITE,
            Pool::Postgres(_) => CLAIM_POSTGRES,
        };
        on_pool!(self, |pool| {
            use sqlx::Row as _;
            let rows = sqlx::query(sql)
                .bind(lease_until_ms)
                .bind(holder)
                .bind(now_ms)
                .bind(limit)
                .fetch_all(pool)
                .await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                out.push(Claimed {
                    id: r.try_get("id")?,
                    trigger_id: r.try_get("trigger_id")?,
                    event_seq: r.try_get("event_seq")?,
                    webhook_id: r.try_get("webhook_id")?,
                    attempts: r.try_get("attempts")?,
                });
            }
            Ok(out)
        })
    }

    /// Records an attempt of a delivery `holder` claimed and gives the lease back; `false` when the lease was
    /// lost meanwhile (another holder took the row after it ran out).
    pub async fn finish_delivery(&self, id: &str, holder: &str, f: &Finished) -> Result<bool, StoreError> {
        let n = self.finish_deliveries(holder, &[(id, f)]).await?;
        Ok(n > 0)
    }

    /// Records attempts of deliveries `holder` claimed, in one transaction (one commit for a batch); returns how
    /// many were recorded (a delivery whose lease was lost meanwhile is not).
    pub async fn finish_deliveries(&self, holder: &str, done: &[(&str, &Finished)]) -> Result<u64, StoreError> {
        let sql = "UPDATE deliveries SET status = $1, attempts = attempts + 1, next_attempt_ms = $2, \
                   last_attempt_ms = $3, last_status = $4, last_response = $5, last_error = $6, \
                   delivered_at = CASE WHEN $1 = 'delivered' THEN $7 ELSE delivered_at END, \
                   lease_until_ms = NULL, lease_holder = NULL WHERE id = $8 AND lease_holder = $9";
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let mut n = 0u64;
            for (id, f) in done {
                n = n.saturating_add(
                    sqlx::query(sql)
                        .bind(f.status.as_str())
                        .bind(f.next_attempt_ms)
                        .bind(f.at_ms)
                        .bind(f.http_status)
                        .bind(&f.response)
                        .bind(&f.error)
                        .bind(f.at_ms / 1000)
                        .bind(*id)
                        .bind(holder)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected(),
                );
            }
            tx.commit().await?;
            Ok(n)
        })
    }

    /// Marks a claimed delivery dead without an attempt (its trigger is gone or disabled).
    pub async fn abandon_delivery(&self, id: &str, holder: &str, why: &str) -> Result<(), StoreError> {
        let sql = "UPDATE deliveries SET status = 'dead', next_attempt_ms = NULL, last_error = $1, \
                   lease_until_ms = NULL, lease_holder = NULL WHERE id = $2 AND lease_holder = $3";
        on_pool!(self, |pool| sqlx::query(sql)
            .bind(why)
            .bind(id)
            .bind(holder)
            .execute(pool)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// The event at `seq`.
    pub async fn event_by_seq(&self, seq: i64) -> Result<Option<EventRow>, StoreError> {
        let sql = format!("SELECT {EVENT_COLUMNS} FROM events WHERE seq = $1");
        on_pool!(self, |pool| {
            match sqlx::query(&sql).bind(seq).fetch_optional(pool).await? {
                Some(r) => Ok(Some(event_row!(&r))),
                None => Ok(None),
            }
        })
    }

    /// The trigger's deliveries in event order after `after_seq`, at most `limit`, optionally of one status.
    pub async fn deliveries(
        &self,
        project_id: &str,
        trigger_id: &str,
        status: Option<&str>,
        after_seq: i64,
        limit: i64,
    ) -> Result<Vec<DeliveryRow>, StoreError> {
        let sql = format!(
            "SELECT {DELIVERY_COLUMNS} FROM deliveries WHERE project_id = $1 AND trigger_id = $2 \
             AND ($3 IS NULL OR status = $3) AND event_seq > $4 ORDER BY event_seq LIMIT $5"
        );
        on_pool!(self, |pool| {
            let rows = sqlx::query(&sql)
                .bind(project_id)
                .bind(trigger_id)
                .bind(status)
                .bind(after_seq)
                .bind(limit)
                .fetch_all(pool)
                .await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                out.push(delivery_row!(r));
            }
            Ok(out)
        })
    }

    /// A delivery of the project.
    pub async fn delivery(&self, project_id: &str, id: &str) -> Result<Option<DeliveryRow>, StoreError> {
        let sql = format!("SELECT {DELIVERY_COLUMNS} FROM deliveries WHERE id = $1 AND project_id = $2");
        on_pool!(self, |pool| {
            match sqlx::query(&sql).bind(id).bind(project_id).fetch_optional(pool).await? {
                Some(r) => Ok(Some(delivery_row!(&r))),
                None => Ok(None),
            }
        })
    }

    /// Re-queues a delivery of the project now (also a delivered one: it is sent again with its `webhook-id`);
    /// `false` when there is none.
    pub async fn requeue_delivery(&self, project_id: &str, id: &str, now_ms: i64) -> Result<bool, StoreError> {
        let sql = "UPDATE deliveries SET status = 'pending', next_attempt_ms = $1, lease_until_ms = NULL, \
                   lease_holder = NULL WHERE id = $2 AND project_id = $3";
        let n = on_pool!(self, |pool| sqlx::query(sql)
            .bind(now_ms)
            .bind(id)
            .bind(project_id)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(n > 0)
    }

    /// Queues deliveries of `trigger_id` for the events at `seqs` now: new (event, trigger) pairs get a row,
    /// existing ones are re-queued with their `webhook-id`. Returns how many rows were queued.
    pub async fn enqueue_replay(
        &self,
        project_id: &str,
        trigger_id: &str,
        events: &[(i64, i64)],
        now_ms: i64,
    ) -> Result<u64, StoreError> {
        let sql = "INSERT INTO deliveries (id, project_id, trigger_id, event_seq, webhook_id, status, attempts, \
                   next_attempt_ms, created_at) VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $7) \
                   ON CONFLICT (event_seq, trigger_id) DO UPDATE SET status = 'pending', \
                   next_attempt_ms = excluded.next_attempt_ms, lease_until_ms = NULL, lease_holder = NULL";
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let mut n = 0u64;
            for (seq, received_at) in events {
                n = n.saturating_add(
                    sqlx::query(sql)
                        .bind(crate::keys::new_id("dlv_"))
                        .bind(project_id)
                        .bind(trigger_id)
                        .bind(*seq)
                        .bind(crate::outbox::webhook_id(trigger_id, *seq))
                        .bind(now_ms)
                        .bind(*received_at)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected(),
                );
            }
            tx.commit().await?;
            Ok(n)
        })
    }
}
