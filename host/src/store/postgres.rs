//! The PostgreSQL engine. Several host processes may share one database.

use sqlx::postgres::PgPoolOptions;
use sqlx::{PgPool, Postgres, Transaction};

use super::StoreError;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Advisory lock key held by each transaction that appends events.
const EVENT_APPEND_LOCK: i64 = 0x686f_7374_6576;

/// Connects to `url` and migrates the database.
pub(super) async fn open(url: &str) -> Result<PgPool, StoreError> {
    let pool = PgPoolOptions::new().max_connections(16).connect(url).await?;
    MIGRATOR.run(&pool).await?;
    Ok(pool)
}

/// Makes event transactions commit in the order of their `seq` values: identity values are taken before
/// commit, so without it a reader paging by `seq` could see 11 committed while 10 is still in flight and skip
/// 10 forever. The transaction-scoped advisory lock is released by the commit.
pub(super) async fn order_event_commits(tx: &mut Transaction<'_, Postgres>) -> Result<(), StoreError> {
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(EVENT_APPEND_LOCK)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
