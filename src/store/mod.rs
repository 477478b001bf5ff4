//! Persistence with sea-orm: the only code that knows about tables and SQL.
//!
//! Functions take and return domain types. Rules that must hold across processes (never
//! more copies pledged than requested) are enforced here, inside one transaction, with a
//! conditional UPDATE whose WHERE clause is the rule, so they hold on SQLite and on Postgres.

mod accounts;
mod audit;
mod booklists;
mod books;
mod boxes;
mod child_wishes;
mod convert;
mod editions;
pub mod entity;
mod figures;
mod housekeeping;
mod limits;
mod metadata;
mod notices;
mod outbox;
mod photos;
mod pledge_batch;
mod pledge_rows;
mod pledges;
mod schools;
mod shelves;
mod state;
mod webhooks;
mod wechat;
mod wishlists;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use migration::MigratorTrait;
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, SqlErr, SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait, Value,
};

pub use booklists::BookAdded;
pub use books::{ChangedBooks, NewBook, Upserted};
pub use boxes::{BoxOpening, BoxPart, StoredBox};
pub use child_wishes::{NewChildWish, WishFilter};
pub use metadata::DueBook;
pub use notices::NoticeDelivery;
pub use outbox::Change;
pub use pledge_batch::{BatchAsked, BatchState, PlannedPledge};
pub use pledges::{PledgeFilter, PledgeMove};
pub use webhooks::DueDelivery;
pub use wechat::StoredToken;
pub use wishlists::RequestedChange;

/// A storage failure. Never caused by what a client sent; logged, not shown.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database refused or failed.
    #[error("database error: {0}")]
    Db(#[from] DbErr),
    /// A unique value (email, one school per account) is already taken.
    #[error("a unique value is already taken")]
    Duplicate,
    /// A stored value does not parse (a status no code writes, say).
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
}

impl StoreError {
    fn from_write(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => StoreError::Duplicate,
            _ => StoreError::Db(err),
        }
    }
}

impl From<StoreError> for crate::domain::error::DomainError {
    fn from(err: StoreError) -> Self {
        crate::domain::error::DomainError::Internal(err.to_string())
    }
}

tokio::task_local! {
    static QUERIES: Arc<AtomicU64>;
}

/// Runs `work` and counts the database statements it runs (its own task only, so background
/// jobs do not blur the figure): how tests prove that a page reads in bulk.
pub async fn count_queries<F: std::future::Future>(work: F) -> (F::Output, u64) {
    let counter = Arc::new(AtomicU64::new(0));
    let output = QUERIES.scope(counter.clone(), work).await;
    (output, counter.load(Ordering::Relaxed))
}

/// The advisory-lock key of start-up (migrations and the demo data): "bookbrdg" in ASCII.
const STARTUP_LOCK_KEY: i64 = 0x626f_6f6b_6272_6467;

/// Held while a server migrates and seeds; [`StartupLock::release`] when done.
#[derive(Debug)]
pub struct StartupLock(Option<DatabaseConnection>);

impl StartupLock {
    /// Lets the next server in.
    pub async fn release(self) -> StoreResult<()> {
        if let Some(connection) = self.0 {
            connection
                .execute_unprepared(&format!("SELECT pg_advisory_unlock({STARTUP_LOCK_KEY})"))
                .await?;
            connection.close().await?;
        }
        Ok(())
    }
}

/// Result of a storage call.
pub type StoreResult<T> = Result<T, StoreError>;

/// The database, shared by every request.
#[derive(Debug, Clone)]
pub struct Store {
    db: DatabaseConnection,
    /// Where write transactions run. On SQLite, one connection of its own: writers queue
    /// for it in order (an async wait) instead of all taking turns at SQLite's lock through
    /// its busy handler, which sleeps and retries and makes the slowest wait seconds under a
    /// rush. Readers keep the other pool and, with WAL, never wait for the writer. On
    /// Postgres, the same pool: rows, not the database, are locked.
    writer: DatabaseConnection,
}

impl Store {
    /// Connects to `url` (`sqlite://…` or `postgres://…`), creating the SQLite file's folder.
    pub async fn connect(url: &str) -> StoreResult<Self> {
        if let Some(path) = sqlite_path(url) {
            if let Some(dir) = std::path::Path::new(path).parent() {
                if !dir.as_os_str().is_empty() {
                    std::fs::create_dir_all(dir).map_err(|e| {
                        StoreError::Db(DbErr::Custom(format!(
                            "cannot create database folder {}: {e}",
                            dir.display()
                        )))
                    })?;
                }
            }
        }
        let db = Self::pool(url, 16).await?;
        let writer = match (db.get_database_backend(), sqlite_path(url)) {
            (DbBackend::Sqlite, Some(_)) => Self::pool(url, 1).await?,
            // An in-memory SQLite database is one per connection pool: keep one pool.
            _ => db.clone(),
        };
        Ok(Store { db, writer })
    }

    async fn pool(url: &str, connections: u32) -> StoreResult<DatabaseConnection> {
        let mut options = ConnectOptions::new(url.to_owned());
        options
            .max_connections(connections)
            // Writers queue here behind a bulk import's batches: give them time.
            .acquire_timeout(Duration::from_secs(if connections == 1 { 60 } else { 10 }))
            .sqlx_logging(false)
            // WAL lets readers run beside the one writer; a write outside the writer's pool
            // (a sign-in's session, say) waits on the busy timeout.
            .map_sqlx_sqlite_opts(|o| {
                o.journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(30))
                    .foreign_keys(true)
            });
        let mut db = Database::connect(options).await?;
        db.set_metric_callback(|_| {
            // Outside `count_queries` there is nothing to count into.
            let _ = QUERIES.try_with(|n| n.fetch_add(1, Ordering::Relaxed));
        });
        Ok(db)
    }

    /// Brings the schema up to date.
    pub async fn migrate(&self) -> StoreResult<()> {
        migration::Migrator::up(&self.db, None).await?;
        Ok(())
    }

    /// Takes the start-up lock: on Postgres a session advisory lock on a connection of its
    /// own, so that of several servers starting together on one database one migrates and
    /// seeds while the others wait, then find the work done (migrations take no lock of
    /// their own). SQLite is one file with one writer already: nothing to take. The lock
    /// ends with its connection, so a server that dies holding it frees it.
    pub async fn startup_lock(url: &str) -> StoreResult<StartupLock> {
        if !url.starts_with("postgres") {
            return Ok(StartupLock(None));
        }
        let connection = Self::pool(url, 1).await?;
        connection
            .execute_unprepared(&format!("SELECT pg_advisory_lock({STARTUP_LOCK_KEY})"))
            .await?;
        Ok(StartupLock(Some(connection)))
    }

    /// Writes a consistent copy of a live SQLite database to `file` (`VACUUM INTO`: one
    /// read transaction, so writers go on meanwhile and the copy is as of its start); the
    /// copy is compacted and complete (photos included). Postgres is backed up with its own
    /// tools (`pg_dump`; see the README).
    pub async fn backup_to(&self, file: &std::path::Path) -> StoreResult<()> {
        if self.db.get_database_backend() != DbBackend::Sqlite {
            return Err(StoreError::Db(DbErr::Custom(
                "a Postgres database is backed up with pg_dump (see the README)".into(),
            )));
        }
        let path = file.to_str().ok_or_else(|| {
            StoreError::Db(DbErr::Custom("the backup file's path is not UTF-8".into()))
        })?;
        self.db
            .execute_raw(self.stmt("VACUUM INTO $1", vec![path.to_owned().into()]))
            .await?;
        Ok(())
    }

    /// The one number a `SELECT CAST(COUNT(*) AS BIGINT) AS n ...` answers.
    pub(crate) async fn count(&self, sql: &str, values: Vec<Value>) -> StoreResult<u64> {
        let row = self.db.query_one_raw(self.stmt(sql, values)).await?;
        Ok(row
            .map(|r| r.try_get::<i64>("", "n"))
            .transpose()?
            .map_or(0, |n| u64::try_from(n).unwrap_or(0)))
    }

    /// Connections of the main pool: open, and of those idle.
    pub fn pool_use(&self) -> (u32, u32) {
        let (size, idle) = match self.db.get_database_backend() {
            DbBackend::Postgres => {
                let pool = self.db.get_postgres_connection_pool();
                (pool.size(), pool.num_idle())
            }
            DbBackend::Sqlite => {
                let pool = self.db.get_sqlite_connection_pool();
                (pool.size(), pool.num_idle())
            }
            _ => (0, 0),
        };
        (size, u32::try_from(idle).unwrap_or(u32::MAX))
    }

    /// Answers whether the database responds.
    pub async fn ping(&self) -> StoreResult<()> {
        self.db.ping().await?;
        Ok(())
    }

    /// Which engine this is, for logs and `/health`.
    pub fn engine(&self) -> &'static str {
        match self.db.get_database_backend() {
            DbBackend::Postgres => "postgres",
            DbBackend::Sqlite => "sqlite",
            _ => "other",
        }
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once (IMMEDIATE), so
    /// concurrent writers queue instead of failing when they upgrade a read lock.
    async fn begin_write(&self) -> StoreResult<DatabaseTransaction> {
        Ok(self
            .writer
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..Default::default()
            })
            .await?)
    }

    fn stmt(&self, sql: &str, values: Vec<Value>) -> Statement {
        stmt(self.db.get_database_backend(), sql, values)
    }
}

/// A raw statement; `$1`-style placeholders work on both SQLite and Postgres.
fn stmt(backend: DbBackend, sql: &str, values: Vec<Value>) -> Statement {
    Statement::from_sql_and_values(backend, sql, values)
}

/// Runs a conditional write and says whether exactly one row changed.
async fn changed_one(conn: &impl ConnectionTrait, statement: Statement) -> StoreResult<bool> {
    let result = conn.execute_raw(statement).await?;
    Ok(result.rows_affected() == 1)
}

impl Store {
    /// Runs a conditional write and, when it changed exactly one row, its audit line, in one
    /// transaction. Returns whether the row changed (nothing is written when it did not).
    async fn audited_change(
        &self,
        statement: Statement,
        entry: &crate::domain::audit::AuditEntry,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<bool> {
        let txn = self.begin_write().await?;
        if !changed_one(&txn, statement).await? {
            txn.rollback().await?;
            return Ok(false);
        }
        audit::record(&txn, entry, now).await?;
        txn.commit().await?;
        Ok(true)
    }
}

/// Binds `value` after `values` and returns its placeholder (`$n`). Statuses reach SQL this
/// way, from their enums' names, never spelled inside the SQL text.
fn bind(values: &mut Vec<Value>, value: impl Into<Value>) -> String {
    values.push(value.into());
    format!("${}", values.len())
}

/// Binds each of `items` after `values` and returns the placeholders for an `IN (…)` list.
fn bind_all<V: Into<Value>>(values: &mut Vec<Value>, items: impl IntoIterator<Item = V>) -> String {
    items
        .into_iter()
        .map(|item| bind(values, item))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Page sizes and offsets come from bounded client input; saturate rather than wrap.
pub(super) fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then_some(path)
}

#[cfg(test)]
mod tests {
    use super::sqlite_path;

    #[test]
    fn sqlite_path_is_read_from_the_url() {
        assert_eq!(
            sqlite_path("sqlite://data/bookbridge.db?mode=rwc"),
            Some("data/bookbridge.db")
        );
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://localhost/test"), None);
    }
}
