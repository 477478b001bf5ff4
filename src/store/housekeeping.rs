//! Keeping tables small: the change log below what every index has applied, old notices,
//! and the figures health reports.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;

use super::{Store, StoreResult};
use crate::domain::notices::Delivery;
use crate::domain::search::IndexLag;

impl Store {
    /// Records that index `name` has applied the change log up to `seq`.
    pub async fn record_index_applied(
        &self,
        name: &str,
        seq: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.db
            .execute_raw(self.stmt(
                "INSERT INTO index_instances (name, applied_seq, updated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (name) DO UPDATE SET applied_seq = excluded.applied_seq, \
                 updated_at = excluded.updated_at",
                vec![name.into(), seq.into(), now.into()],
            ))
            .await?;
        Ok(())
    }

    /// The sequence index `name` last recorded as applied.
    pub async fn index_applied(&self, name: &str) -> StoreResult<Option<i64>> {
        let row = self
            .db
            .query_one_raw(self.stmt(
                "SELECT applied_seq FROM index_instances WHERE name = $1",
                vec![name.into()],
            ))
            .await?;
        Ok(row
            .map(|r| r.try_get::<i64>("", "applied_seq"))
            .transpose()?)
    }

    /// Deletes the change-log rows every recorded index has applied; answers how many.
    pub async fn prune_change_log(&self) -> StoreResult<u64> {
        let done = self
            .db
            .execute_raw(self.stmt(
                "DELETE FROM search_outbox WHERE seq <= \
                 (SELECT MIN(applied_seq) FROM index_instances)",
                vec![],
            ))
            .await?;
        Ok(done.rows_affected())
    }

    /// Deletes notices handled before `before` (sent, or kept on the page), with their
    /// webhook deliveries that were taken; failed ones stay for an admin to see.
    pub async fn prune_notices(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        let txn = self.begin_write().await?;
        let backend = txn.get_database_backend();
        let done = [Delivery::Sent.as_str(), Delivery::Kept.as_str()];
        txn.execute_raw(super::stmt(
            backend,
            "DELETE FROM webhook_deliveries WHERE delivery = $1 AND notification_id IN \
             (SELECT id FROM notifications WHERE created_at < $2 AND delivery IN ($3, $4))",
            vec![
                Delivery::Sent.as_str().into(),
                before.into(),
                done[0].into(),
                done[1].into(),
            ],
        ))
        .await?;
        let pruned = txn
            .execute_raw(super::stmt(
                backend,
                "DELETE FROM notifications WHERE created_at < $1 AND delivery IN ($2, $3) \
                 AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.notification_id = notifications.id)",
                vec![before.into(), done[0].into(), done[1].into()],
            ))
            .await?
            .rows_affected();
        txn.commit().await?;
        Ok(pruned)
    }

    /// The change-log rows after `applied`, and how old the oldest is at `now`.
    pub async fn index_lag(&self, applied: i64, now: DateTime<Utc>) -> StoreResult<IndexLag> {
        let row = self
            .db
            .query_one_raw(self.stmt(
                "SELECT CAST(COUNT(*) AS BIGINT) AS n, MIN(created_at) AS oldest \
                 FROM search_outbox WHERE seq > $1",
                vec![applied.into()],
            ))
            .await?;
        let Some(row) = row else {
            return Ok(IndexLag {
                rows: 0,
                oldest_seconds: 0,
            });
        };
        let rows = u64::try_from(row.try_get::<i64>("", "n")?).unwrap_or(0);
        let oldest: Option<DateTime<Utc>> = row.try_get("", "oldest")?;
        let oldest_seconds = oldest
            .map(|at| u64::try_from((now - at).num_seconds()).unwrap_or(0))
            .unwrap_or(0);
        Ok(IndexLag {
            rows,
            oldest_seconds,
        })
    }

    /// Notices waiting to be sent.
    pub async fn notices_pending(&self) -> StoreResult<u64> {
        let row = self
            .db
            .query_one_raw(self.stmt(
                "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM notifications WHERE delivery = $1",
                vec![Delivery::Pending.as_str().into()],
            ))
            .await?;
        Ok(row
            .map(|r| r.try_get::<i64>("", "n"))
            .transpose()?
            .map_or(0, |n| u64::try_from(n).unwrap_or(0)))
    }
}
