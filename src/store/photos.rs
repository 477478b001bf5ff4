//! Photos of children's wish and thanks cards, as bytes in the database: written and removed
//! in the transactions that name them (`child_wishes`), so every server sharing the database
//! serves every photo, and a backup of the database holds them.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction};

use super::{Store, StoreResult};

/// Keeps a photo's bytes under `name`, in `txn`.
pub(super) async fn insert(
    store: &Store,
    txn: &DatabaseTransaction,
    (name, bytes): (&str, &[u8]),
    now: DateTime<Utc>,
) -> StoreResult<()> {
    txn.execute_raw(store.stmt(
        "INSERT INTO photos (name, bytes, created_at) VALUES ($1, $2, $3)",
        vec![name.to_owned().into(), bytes.to_vec().into(), now.into()],
    ))
    .await?;
    Ok(())
}

/// Removes the photos named, in `txn` (names not kept are fine).
pub(super) async fn delete(
    store: &Store,
    txn: &DatabaseTransaction,
    names: &[String],
) -> StoreResult<()> {
    for name in names {
        txn.execute_raw(store.stmt(
            "DELETE FROM photos WHERE name = $1",
            vec![name.clone().into()],
        ))
        .await?;
    }
    Ok(())
}

impl Store {
    /// A kept photo's bytes.
    pub async fn photo(&self, name: &str) -> StoreResult<Option<Vec<u8>>> {
        let row = self
            .db
            .query_one_raw(self.stmt(
                "SELECT bytes FROM photos WHERE name = $1",
                vec![name.to_owned().into()],
            ))
            .await?;
        Ok(row.map(|r| r.try_get::<Vec<u8>>("", "bytes")).transpose()?)
    }

    /// How many photos are kept (for tests and figures).
    pub async fn photo_count(&self) -> StoreResult<u64> {
        self.count("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM photos", vec![])
            .await
    }

    /// Moves in a photo from a folder where an older version kept them: kept under its
    /// name if a wish names it and it is not in already. True when the database now holds
    /// it (taken in now, or before); false when no wish names it (the file is left alone).
    pub async fn take_in_photo(
        &self,
        name: &str,
        bytes: &[u8],
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let txn = self.begin_write().await?;
        let named = txn
            .query_one_raw(self.stmt(
                "SELECT id FROM child_wishes WHERE photo = $1 OR thanks_photo = $1",
                vec![name.to_owned().into()],
            ))
            .await?
            .is_some();
        let kept = txn
            .query_one_raw(self.stmt(
                "SELECT name FROM photos WHERE name = $1",
                vec![name.to_owned().into()],
            ))
            .await?
            .is_some();
        if !named || kept {
            txn.rollback().await?;
            return Ok(named);
        }
        insert(self, &txn, (name, bytes), now).await?;
        txn.commit().await?;
        Ok(true)
    }
}
