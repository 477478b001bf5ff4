//! The search change log (`search_outbox`): written with every change that matters to
//! search, in the same transaction; read by each instance's indexer.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend};

use super::{stmt, Store, StoreResult};
use crate::domain::isbn::Isbn;

/// Any fixed number: the key of the advisory lock that orders change-log commits.
const OUTBOX_LOCK_KEY: i64 = 0x626f_6f6b_6272;

/// Records that these books' search documents may have changed. Call it as the last
/// statement of the transaction that made the change.
///
/// On Postgres, sequence numbers are handed out in one order and transactions commit in
/// another, so a reader could see seq 10 before seq 9 and skip 9 for good. Holding an
/// advisory lock from here to commit makes change-log rows commit in `seq` order. SQLite
/// already has one writer at a time.
pub(super) async fn record<'a>(
    conn: &impl ConnectionTrait,
    isbns: impl IntoIterator<Item = &'a str>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    record_numbered(conn, isbns, now).await.map(drop)
}

/// [`record`], returning the entries' sequence numbers in the order of `isbns`.
pub(super) async fn record_numbered<'a>(
    conn: &impl ConnectionTrait,
    isbns: impl IntoIterator<Item = &'a str>,
    now: DateTime<Utc>,
) -> StoreResult<Vec<i64>> {
    let isbns: Vec<&str> = isbns.into_iter().collect();
    let mut seqs = Vec::with_capacity(isbns.len());
    if isbns.is_empty() {
        return Ok(seqs);
    }
    let backend = conn.get_database_backend();
    if backend == DbBackend::Postgres {
        conn.execute_raw(stmt(
            backend,
            "SELECT pg_advisory_xact_lock($1)",
            vec![OUTBOX_LOCK_KEY.into()],
        ))
        .await?;
    }
    if backend == DbBackend::Sqlite {
        // One JSON text per few thousand entries: sqlx's SQLite driver pays per bound value.
        for chunk in isbns.chunks(5_000) {
            let json = serde_json::Value::from(chunk.to_vec()).to_string();
            let rows = conn
                .query_all_raw(stmt(
                    backend,
                    "INSERT INTO search_outbox (isbn, created_at) \
                     SELECT j.value, $2 FROM json_each($1) AS j ORDER BY j.key RETURNING seq",
                    vec![json.into(), now.into()],
                ))
                .await?;
            let mut numbered = rows
                .into_iter()
                .map(|row| row.try_get::<i64>("", "seq"))
                .collect::<Result<Vec<_>, _>>()?;
            numbered.sort_unstable();
            seqs.extend(numbered);
        }
        return Ok(seqs);
    }
    // ~250 parameters per statement is where Postgres inserts are fastest (see books.rs).
    for chunk in isbns.chunks(250) {
        let mut sql = String::from("INSERT INTO search_outbox (isbn, created_at) VALUES ");
        let mut values = Vec::with_capacity(chunk.len() + 1);
        values.push(now.into());
        for (i, isbn) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("(${}, $1)", i + 2));
            values.push((*isbn).into());
        }
        sql.push_str(" RETURNING seq");
        let mut numbered = Vec::with_capacity(chunk.len());
        for row in conn.query_all_raw(stmt(backend, &sql, values)).await? {
            numbered.push(row.try_get::<i64>("", "seq")?);
        }
        // Rows of one statement take rising numbers in the order given.
        numbered.sort_unstable();
        seqs.extend(numbered);
    }
    Ok(seqs)
}

/// One change-log entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Its position in the log.
    pub seq: i64,
    /// The book whose document may have changed.
    pub isbn: Isbn,
}

impl Store {
    /// The newest sequence number in the change log (0 when empty).
    pub async fn outbox_head(&self) -> StoreResult<i64> {
        let row = self
            .db
            .query_one_raw(self.stmt(
                "SELECT CAST(COALESCE(MAX(seq), 0) AS BIGINT) AS head FROM search_outbox",
                vec![],
            ))
            .await?;
        Ok(row
            .map(|r| r.try_get::<i64>("", "head"))
            .transpose()?
            .unwrap_or(0))
    }

    /// The first change-log entry after `seq`, if any.
    pub async fn outbox_next(&self, seq: i64) -> StoreResult<Option<i64>> {
        let row = self
            .db
            .query_one_raw(self.stmt(
                "SELECT CAST(MIN(seq) AS BIGINT) AS next FROM search_outbox WHERE seq > $1",
                vec![seq.into()],
            ))
            .await?;
        Ok(row
            .map(|r| r.try_get::<Option<i64>>("", "next"))
            .transpose()?
            .flatten())
    }

    /// Up to `limit` changes after `seq`, oldest first.
    pub async fn outbox_after(&self, seq: i64, limit: u64) -> StoreResult<Vec<Change>> {
        let rows = self
            .db
            .query_all_raw(self.stmt(
                "SELECT seq, isbn FROM search_outbox WHERE seq > $1 ORDER BY seq LIMIT $2",
                vec![seq.into(), super::to_i64(limit).into()],
            ))
            .await?;
        rows.into_iter()
            .map(|r| {
                Ok(Change {
                    seq: r.try_get("", "seq")?,
                    isbn: super::convert::isbn(&r.try_get::<String>("", "isbn")?)?,
                })
            })
            .collect()
    }
}
