//! The host's storage: one [`Store`] with two engines, embedded SQLite (the default) and PostgreSQL.
//!
//! Both engines run the same SQL (placeholders `$1…`, which SQLite accepts too) and the same versioned
//! migrations, one directory per engine (`host/migrations/sqlite`, `host/migrations/postgres`). Times are Unix
//! seconds. The actions API's tables are in `actions`. The engine-specific parts (connecting, pragmas, ordering
//! of concurrent event commits) live in `sqlite` and `postgres`.

mod postgres;
mod rows;
mod sqlite;

use sqlx::{PgPool, SqlitePool};

pub use actions::{AuditEntry, Claim, IdempotencyClaim, InteractionRow, StoredAnswer};
pub use outbox::{Claimed, DeliveryRow, Finished};
pub use rows::{ConnectionRow, EventFilter, EventRow, NewConnection, NewEvent, NewProject, Project, Sealed};
pub use triggers::{NewTrigger, TriggerRow};

/// A storage failure.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// A row with the same unique key exists (a connection name already used in the project).
    #[error("a row with the same key already exists")]
    Conflict,
    /// The database URL is not one the host can open.
    #[error("unsupported database URL `{0}`: use sqlite://PATH, a file path, or postgres://…")]
    UnsupportedUrl(String),
    /// The database refused or failed a statement.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A migration failed.
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Which engine a [`Store`] runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// Embedded SQLite (a file).
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

#[derive(Debug, Clone)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The host's database. Cheap to clone (a pool handle).
#[derive(Debug, Clone)]
pub struct Store {
    pool: Pool,
}

/// Runs `$body` with `$pool` bound to the engine's pool; the body is compiled once per engine.
macro_rules! on_pool {
    ($store:expr, |$pool:ident| $body:expr) => {
        match &$store.pool {
            Pool::Sqlite($pool) => $body,
            Pool::Postgres($pool) => $body,
        }
    };
}

mod actions;

/// Reads a connection row with the columns of [`CONNECTION_COLUMNS`].
macro_rules! connection_row {
    ($row:expr) => {{
        use sqlx::Row as _;
        let r = $row;
        let blob: Option<Vec<u8>> = r.try_get("sealed_secrets")?;
        let key_id: Option<String> = r.try_get("seal_key_id")?;
        ConnectionRow {
            id: r.try_get("id")?,
            project_id: r.try_get("project_id")?,
            provider: r.try_get("provider")?,
            name: r.try_get("name")?,
            auth_kind: r.try_get("auth_kind")?,
            account_id: r.try_get("account_id")?,
            config: r.try_get("config")?,
            sealed: match (blob, key_id) {
                (Some(blob), Some(key_id)) => Some(Sealed { key_id, blob }),
                _ => None,
            },
            scopes: r.try_get("scopes")?,
            status: r.try_get("status")?,
            created_at: r.try_get("created_at")?,
            last_health_at: r.try_get("last_health_at")?,
            last_health_ok: r.try_get("last_health_ok")?,
            last_health_message: r.try_get("last_health_message")?,
            last_refresh_ok_at: r.try_get("last_refresh_ok_at")?,
            last_refresh_err_at: r.try_get("last_refresh_err_at")?,
            last_refresh_error: r.try_get("last_refresh_error")?,
            last_event_at: r.try_get("last_event_at")?,
        }
    }};
}

/// Reads an event row.
macro_rules! event_row {
    ($row:expr) => {{
        use sqlx::Row as _;
        let r = $row;
        EventRow {
            seq: r.try_get("seq")?,
            event: NewEvent {
                project_id: r.try_get("project_id")?,
                connection_id: r.try_get("connection_id")?,
                provider: r.try_get("provider")?,
                event_id: r.try_get("event_id")?,
                event_type: r.try_get("event_type")?,
                account_id: r.try_get("account_id")?,
                created: r.try_get("created")?,
                livemode: r.try_get("livemode")?,
                object_id: r.try_get("object_id")?,
                object_type: r.try_get("object_type")?,
                data: r.try_get("data")?,
                previous_attributes: r.try_get("previous_attributes")?,
                raw: r.try_get("raw")?,
                received_at: r.try_get("received_at")?,
            },
        }
    }};
}

// After the row macros, which they use.
mod outbox;
mod triggers;

const CONNECTION_COLUMNS: &str = "id, project_id, provider, name, auth_kind, account_id, config, sealed_secrets, \
     seal_key_id, scopes, status, created_at, last_health_at, last_health_ok, last_health_message, \
     last_refresh_ok_at, last_refresh_err_at, last_refresh_error, last_event_at";

const EVENT_COLUMNS: &str = "seq, project_id, connection_id, provider, event_id, event_type, account_id, created, \
     livemode, object_id, object_type, data, previous_attributes, raw, received_at";

const INSERT_EVENT: &str = "INSERT INTO events (project_id, connection_id, provider, event_id, event_type, \
     account_id, created, livemode, object_id, object_type, data, previous_attributes, raw, received_at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
     ON CONFLICT (connection_id, event_id) DO NOTHING RETURNING seq";

fn conflict_or(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Conflict,
        _ => StoreError::Database(e),
    }
}

impl Store {
    /// Opens (and creates and migrates) the database at `url`: `postgres://…` / `postgresql://…` for
    /// PostgreSQL; `sqlite://PATH`, `sqlite:PATH` or a bare file path for SQLite.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let pool = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Pool::Postgres(postgres::open(url).await?)
        } else if let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
            Pool::Sqlite(sqlite::open(path).await?)
        } else if !url.contains("://") {
            Pool::Sqlite(sqlite::open(url).await?)
        } else {
            return Err(StoreError::UnsupportedUrl(url.to_string()));
        };
        Ok(Self { pool })
    }

    /// The engine this store runs on.
    pub fn engine(&self) -> Engine {
        match self.pool {
            Pool::Sqlite(_) => Engine::Sqlite,
            Pool::Postgres(_) => Engine::Postgres,
        }
    }

    /// Closes the pool, waiting for connections to finish.
    pub async fn close(&self) {
        on_pool!(self, |p| p.close().await)
    }

    /// Stores a new project.
    pub async fn create_project(&self, p: &NewProject) -> Result<(), StoreError> {
        let sql = "INSERT INTO projects (id, name, key_hash, return_url, created_at) VALUES ($1, $2, $3, $4, $5)";
        on_pool!(self, |pool| sqlx::query(sql)
            .bind(&p.id)
            .bind(&p.name)
            .bind(p.key_hash.to_vec())
            .bind(&p.return_url)
            .bind(p.created_at)
            .execute(pool)
            .await
            .map(|_| ())
            .map_err(conflict_or))?;
        Ok(())
    }

    /// The project whose API key hashes to `hash`, with the stored hash (to compare in constant time).
    pub async fn project_by_key_hash(&self, hash: &[u8]) -> Result<Option<(Project, Vec<u8>)>, StoreError> {
        let sql = "SELECT id, name, return_url, created_at, key_hash FROM projects WHERE key_hash = $1";
        on_pool!(self, |pool| {
            let row = sqlx::query(sql).bind(hash.to_vec()).fetch_optional(pool).await?;
            match row {
                None => Ok(None),
                Some(r) => {
                    use sqlx::Row as _;
                    let project = Project {
                        id: r.try_get("id")?,
                        name: r.try_get("name")?,
                        return_url: r.try_get("return_url")?,
                        created_at: r.try_get("created_at")?,
                    };
                    Ok(Some((project, r.try_get("key_hash")?)))
                }
            }
        })
    }

    /// A project by id.
    pub async fn project(&self, id: &str) -> Result<Option<Project>, StoreError> {
        let sql = "SELECT id, name, return_url, created_at FROM projects WHERE id = $1";
        on_pool!(self, |pool| {
            use sqlx::Row as _;
            match sqlx::query(sql).bind(id).fetch_optional(pool).await? {
                None => Ok(None),
                Some(r) => Ok(Some(Project {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    return_url: r.try_get("return_url")?,
                    created_at: r.try_get("created_at")?,
                })),
            }
        })
    }

    /// The project's live connection of `provider` named `name`.
    pub async fn connection_by_name(
        &self,
        project_id: &str,
        provider: &str,
        name: &str,
    ) -> Result<Option<ConnectionRow>, StoreError> {
        let sql = format!(
            "SELECT {CONNECTION_COLUMNS} FROM connections \
             WHERE project_id = $1 AND provider = $2 AND name = $3 AND deleted_at IS NULL"
        );
        on_pool!(self, |pool| {
            match sqlx::query(&sql)
                .bind(project_id)
                .bind(provider)
                .bind(name)
                .fetch_optional(pool)
                .await?
            {
                Some(r) => Ok(Some(connection_row!(&r))),
                None => Ok(None),
            }
        })
    }

    /// Replaces a live connection's account, sealed secrets and scopes (a reconnect or a token refresh) and
    /// records the refresh time.
    pub async fn update_credentials(
        &self,
        id: &str,
        account_id: Option<&str>,
        sealed: &Sealed,
        scopes: Option<&str>,
        refreshed_at: Option<i64>,
    ) -> Result<bool, StoreError> {
        let sql = "UPDATE connections SET account_id = $1, sealed_secrets = $2, seal_key_id = $3, scopes = $4, \
                   last_refresh_ok_at = COALESCE($5, last_refresh_ok_at) WHERE id = $6 AND deleted_at IS NULL";
        let n = on_pool!(self, |pool| sqlx::query(sql)
            .bind(account_id)
            .bind(sealed.blob.clone())
            .bind(&sealed.key_id)
            .bind(scopes)
            .bind(refreshed_at)
            .bind(id)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(n > 0)
    }

    /// Records when a connection's access token expires.
    pub async fn set_token_expiry(&self, id: &str, expires_at: Option<i64>) -> Result<(), StoreError> {
        on_pool!(self, |pool| sqlx::query(
            "UPDATE connections SET token_expires_at = $1 WHERE id = $2"
        )
        .bind(expires_at)
        .bind(id)
        .execute(pool)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    /// Live OAuth connections whose access token expires before `before`, soonest first.
    pub async fn due_for_refresh(&self, before: i64, limit: i64) -> Result<Vec<ConnectionRow>, StoreError> {
        let sql = format!(
            "SELECT {CONNECTION_COLUMNS} FROM connections WHERE deleted_at IS NULL AND auth_kind = 'oauth2' \
             AND token_expires_at IS NOT NULL AND token_expires_at < $1 ORDER BY token_expires_at LIMIT $2"
        );
        on_pool!(self, |pool| {
            let rows = sqlx::query(&sql).bind(before).bind(limit).fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                out.push(connection_row!(r));
            }
            Ok(out)
        })
    }

    /// Takes the refresh lease of a connection for `holder` until `until`, unless another holder's lease runs;
    /// `true` when taken. One statement, so two processes cannot both take it.
    pub async fn claim_refresh(&self, id: &str, holder: &str, now: i64, until: i64) -> Result<bool, StoreError> {
        let sql = "UPDATE connections SET refresh_lease_until = $1, refresh_lease_holder = $2 \
                   WHERE id = $3 AND deleted_at IS NULL \
                   AND (refresh_lease_until IS NULL OR refresh_lease_until < $4 OR refresh_lease_holder = $2)";
        let n = on_pool!(self, |pool| sqlx::query(sql)
            .bind(until)
            .bind(holder)
            .bind(id)
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(n > 0)
    }

    /// Gives the refresh lease back, recording the failure when there was one.
    pub async fn release_refresh(
        &self,
        id: &str,
        holder: &str,
        failure: Option<(i64, &str)>,
    ) -> Result<(), StoreError> {
        let sql = "UPDATE connections SET refresh_lease_until = NULL, refresh_lease_holder = NULL, \
                   last_refresh_err_at = COALESCE($1, last_refresh_err_at), \
                   last_refresh_error = COALESCE($2, last_refresh_error) \
                   WHERE id = $3 AND refresh_lease_holder = $4";
        on_pool!(self, |pool| sqlx::query(sql)
            .bind(failure.map(|f| f.0))
            .bind(failure.map(|f| f.1))
            .bind(id)
            .bind(holder)
            .execute(pool)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// Stores a pending OAuth authorization under its nonce, dropping expired ones.
    pub async fn insert_pending(
        &self,
        nonce: &str,
        pkce: Option<&Sealed>,
        expires_at: i64,
        now: i64,
    ) -> Result<(), StoreError> {
        on_pool!(self, |pool| {
            sqlx::query("DELETE FROM oauth_pending WHERE expires_at < $1")
                .bind(now)
                .execute(pool)
                .await?;
            sqlx::query(
                "INSERT INTO oauth_pending (nonce, sealed_pkce, seal_key_id, expires_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(nonce)
            .bind(pkce.map(|s| s.blob.clone()))
            .bind(pkce.map(|s| s.key_id.clone()))
            .bind(expires_at)
            .execute(pool)
            .await
            .map(|_| ())
            .map_err(conflict_or)
        })
    }

    /// Takes (removes and returns) the pending authorization of `nonce`: at most one caller gets it.
    pub async fn take_pending(&self, nonce: &str) -> Result<Option<(Option<Sealed>, i64)>, StoreError> {
        let sql = "DELETE FROM oauth_pending WHERE nonce = $1 RETURNING sealed_pkce, seal_key_id, expires_at";
        on_pool!(self, |pool| {
            use sqlx::Row as _;
            match sqlx::query(sql).bind(nonce).fetch_optional(pool).await? {
                None => Ok(None),
                Some(r) => {
                    let blob: Option<Vec<u8>> = r.try_get("sealed_pkce")?;
                    let key_id: Option<String> = r.try_get("seal_key_id")?;
                    let sealed = match (blob, key_id) {
                        (Some(blob), Some(key_id)) => Some(Sealed { key_id, blob }),
                        _ => None,
                    };
                    Ok(Some((sealed, r.try_get("expires_at")?)))
                }
            }
        })
    }

    /// Stores a new connection; [`StoreError::Conflict`] when the project has a live connection of that name.
    pub async fn insert_connection(&self, c: &NewConnection) -> Result<(), StoreError> {
        let sql = "INSERT INTO connections (id, project_id, provider, name, auth_kind, account_id, config, \
                   sealed_secrets, seal_key_id, scopes, status, created_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'active', $11)";
        on_pool!(self, |pool| sqlx::query(sql)
            .bind(&c.id)
            .bind(&c.project_id)
            .bind(&c.provider)
            .bind(&c.name)
            .bind(&c.auth_kind)
            .bind(&c.account_id)
            .bind(&c.config)
            .bind(c.sealed.as_ref().map(|s| s.blob.clone()))
            .bind(c.sealed.as_ref().map(|s| s.key_id.clone()))
            .bind(&c.scopes)
            .bind(c.created_at)
            .execute(pool)
            .await
            .map(|_| ())
            .map_err(conflict_or))?;
        Ok(())
    }

    /// The project's live connections, oldest first.
    pub async fn connections(&self, project_id: &str) -> Result<Vec<ConnectionRow>, StoreError> {
        let sql = format!(
            "SELECT {CONNECTION_COLUMNS} FROM connections WHERE project_id = $1 AND deleted_at IS NULL \
             ORDER BY created_at, id"
        );
        on_pool!(self, |pool| {
            let rows = sqlx::query(&sql).bind(project_id).fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                out.push(connection_row!(r));
            }
            Ok(out)
        })
    }

    /// A live connection by id, whatever its project (the per-connection webhook endpoint).
    pub async fn connection_by_id(&self, id: &str) -> Result<Option<ConnectionRow>, StoreError> {
        let sql = format!("SELECT {CONNECTION_COLUMNS} FROM connections WHERE id = $1 AND deleted_at IS NULL");
        on_pool!(self, |pool| {
            match sqlx::query(&sql).bind(id).fetch_optional(pool).await? {
                Some(r) => Ok(Some(connection_row!(&r))),
                None => Ok(None),
            }
        })
    }

    /// A live connection of the project.
    pub async fn connection(&self, project_id: &str, id: &str) -> Result<Option<ConnectionRow>, StoreError> {
        Ok(self.connection_by_id(id).await?.filter(|c| c.project_id == project_id))
    }

    /// Live connections of `provider` for the connected `account`.
    pub async fn connections_for_account(
        &self,
        provider: &str,
        account: &str,
    ) -> Result<Vec<ConnectionRow>, StoreError> {
        let sql = format!(
            "SELECT {CONNECTION_COLUMNS} FROM connections \
             WHERE provider = $1 AND account_id = $2 AND deleted_at IS NULL ORDER BY created_at, id"
        );
        on_pool!(self, |pool| {
            let rows = sqlx::query(&sql).bind(provider).bind(account).fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                out.push(connection_row!(r));
            }
            Ok(out)
        })
    }

    /// Disconnects a connection of the project and erases its secrets; `false` when there was none.
    pub async fn delete_connection(&self, project_id: &str, id: &str, at: i64) -> Result<bool, StoreError> {
        let sql = "UPDATE connections SET deleted_at = $1, status = 'deleted', sealed_secrets = NULL, \
                   seal_key_id = NULL WHERE id = $2 AND project_id = $3 AND deleted_at IS NULL";
        let done = on_pool!(self, |pool| sqlx::query(sql)
            .bind(at)
            .bind(id)
            .bind(project_id)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(done > 0)
    }

    /// Records the result of a health check.
    pub async fn record_health(&self, id: &str, at: i64, ok: bool, message: Option<&str>) -> Result<(), StoreError> {
        let sql = "UPDATE connections SET last_health_at = $1, last_health_ok = $2, last_health_message = $3 \
                   WHERE id = $4";
        on_pool!(self, |pool| sqlx::query(sql)
            .bind(at)
            .bind(ok)
            .bind(message)
            .bind(id)
            .execute(pool)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// Every connection that holds sealed secrets, with them (for re-sealing).
    pub async fn sealed_connections(&self) -> Result<Vec<(String, Sealed)>, StoreError> {
        let sql = "SELECT id, sealed_secrets, seal_key_id FROM connections \
                   WHERE sealed_secrets IS NOT NULL AND seal_key_id IS NOT NULL ORDER BY id";
        on_pool!(self, |pool| {
            use sqlx::Row as _;
            let rows = sqlx::query(sql).fetch_all(pool).await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                out.push((
                    r.try_get("id")?,
                    Sealed {
                        blob: r.try_get("sealed_secrets")?,
                        key_id: r.try_get("seal_key_id")?,
                    },
                ));
            }
            Ok(out)
        })
    }

    /// Replaces a connection's sealed secrets if they are still sealed under `old_key_id`; `false` when the row
    /// changed meanwhile.
    pub async fn replace_sealed(&self, id: &str, old_key_id: &str, sealed: &Sealed) -> Result<bool, StoreError> {
        let sql = "UPDATE connections SET sealed_secrets = $1, seal_key_id = $2 WHERE id = $3 AND seal_key_id = $4";
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

    /// Commits events (one transaction); for each, `true` when it was new and `false` when the connection
    /// already had an event of that id. When this returns, every event is durable: a duplicate's `false` means
    /// the first copy's row is committed (the unique constraint makes a concurrent copy wait for it).
    /// The same transaction writes each new event's outbox rows, one per matching enabled trigger.
    pub async fn insert_events(&self, events: &[NewEvent]) -> Result<Vec<bool>, StoreError> {
        let mut inserted = Vec::with_capacity(events.len());
        let mut seqs: Vec<Option<i64>> = Vec::with_capacity(events.len());
        macro_rules! insert_all {
            ($tx:ident) => {{
                for e in events {
                    let q = sqlx::query(INSERT_EVENT)
                        .bind(&e.project_id)
                        .bind(&e.connection_id)
                        .bind(&e.provider)
                        .bind(&e.event_id)
                        .bind(&e.event_type)
                        .bind(&e.account_id)
                        .bind(e.created)
                        .bind(e.livemode)
                        .bind(&e.object_id)
                        .bind(&e.object_type)
                        .bind(&e.data)
                        .bind(&e.previous_attributes)
                        .bind(&e.raw)
                        .bind(e.received_at);
                    let seq: Option<i64> = q
                        .fetch_optional(&mut *$tx)
                        .await?
                        .map(|r| sqlx::Row::try_get(&r, "seq"))
                        .transpose()?;
                    inserted.push(seq.is_some());
                    seqs.push(seq);
                }
                let fresh: Vec<(i64, &NewEvent)> = seqs
                    .iter()
                    .zip(events)
                    .filter_map(|(s, e)| s.map(|s| (s, e)))
                    .collect();
                outbox::fan_out!($tx, &fresh);
                let mut touched: Vec<(&str, i64)> = Vec::new();
                for (e, new) in events.iter().zip(&inserted) {
                    if *new {
                        match touched.iter_mut().find(|(c, _)| *c == e.connection_id) {
                            Some(t) => t.1 = t.1.max(e.received_at),
                            None => touched.push((&e.connection_id, e.received_at)),
                        }
                    }
                }
                for (connection, at) in touched {
                    sqlx::query("UPDATE connections SET last_event_at = $1 WHERE id = $2")
                        .bind(at)
                        .bind(connection)
                        .execute(&mut *$tx)
                        .await?;
                }
                $tx.commit().await?;
            }};
        }
        match &self.pool {
            Pool::Sqlite(pool) => {
                let mut tx = pool.begin().await?;
                insert_all!(tx);
            }
            Pool::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                postgres::order_event_commits(&mut tx).await?;
                insert_all!(tx);
            }
        }
        Ok(inserted)
    }

    /// Events matching `filter`, in commit order, at most `filter.limit`.
    pub async fn events(&self, f: &EventFilter) -> Result<Vec<EventRow>, StoreError> {
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE project_id = $1 AND seq > $2 \
             AND ($3 IS NULL OR event_type LIKE $3 ESCAPE '\\') \
             AND ($4 IS NULL OR connection_id = $4) \
             AND ($5 IS NULL OR received_at >= $5) \
             AND ($6 IS NULL OR received_at < $6) \
             ORDER BY seq LIMIT $7"
        );
        let like = f.type_pattern.as_deref().map(like_pattern);
        on_pool!(self, |pool| {
            let rows = sqlx::query(&sql)
                .bind(&f.project_id)
                .bind(f.after_seq)
                .bind(&like)
                .bind(&f.connection_id)
                .bind(f.since)
                .bind(f.until)
                .bind(f.limit)
                .fetch_all(pool)
                .await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                out.push(event_row!(r));
            }
            Ok(out)
        })
    }

    /// How many events the connection has with `event_id` (tests and checks: at most one).
    pub async fn count_events(&self, connection_id: &str, event_id: Option<&str>) -> Result<i64, StoreError> {
        let sql = "SELECT COUNT(*) AS n FROM events WHERE connection_id = $1 AND ($2 IS NULL OR event_id = $2)";
        on_pool!(self, |pool| {
            use sqlx::Row as _;
            let row = sqlx::query(sql)
                .bind(connection_id)
                .bind(event_id)
                .fetch_one(pool)
                .await?;
            Ok(row.try_get("n")?)
        })
    }

    /// Runs `sql` (no parameters) and returns the text of every column of every row: lets tests look at raw
    /// table contents.
    pub async fn dump_table_text(&self, table: &str) -> Result<Vec<u8>, StoreError> {
        let mut out = Vec::new();
        // The table name is never user input: only fixed names are accepted.
        let sql = match table {
            "connections" => "SELECT * FROM connections",
            "events" => "SELECT * FROM events",
            "projects" => "SELECT * FROM projects",
            "triggers" => "SELECT * FROM triggers",
            _ => return Ok(out),
        };
        on_pool!(self, |pool| {
            use sqlx::{Column as _, Row as _};
            for r in sqlx::query(sql).fetch_all(pool).await? {
                for c in r.columns() {
                    let i = c.ordinal();
                    if let Ok(Some(b)) = r.try_get::<Option<Vec<u8>>, _>(i) {
                        out.extend_from_slice(&b);
                    } else if let Ok(Some(s)) = r.try_get::<Option<String>, _>(i) {
                        out.extend_from_slice(s.as_bytes());
                    }
                    out.push(0);
                }
            }
            Ok::<(), StoreError>(())
        })?;
        Ok(out)
    }
}

/// A `LIKE` pattern for a type pattern: `*` matches any run of characters, everything else itself.
fn like_pattern(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 4);
    for c in pattern.chars() {
        match c {
            '*' => out.push('%'),
            '%' | '_' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    #[test]
    fn type_patterns_become_escaped_like_patterns() {
        assert_eq!(super::like_pattern("stripe.customer.*"), "stripe.customer.%");
        assert_eq!(super::like_pattern("a_b%c"), "a\\_b\\%c");
        assert_eq!(super::like_pattern("*"), "%");
    }
}
