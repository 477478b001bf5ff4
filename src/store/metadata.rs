//! Book metadata: what is due for fetching, and recording what came back or was edited.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, Value};

use super::{bind, bind_all, convert, outbox, Store, StoreResult};
use crate::domain::books::BookDetails;
use crate::domain::isbn::Isbn;
use crate::domain::model::MetadataStatus;

/// A book whose metadata should be fetched now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueBook {
    /// The book.
    pub isbn: Isbn,
    /// Fetches tried before.
    pub attempts: u32,
}

impl Store {
    /// Claims up to `limit` books waiting for metadata whose next attempt is due, the
    /// longest waiting first (answered by ISBN: a round looks them all up at once): their
    /// next attempt moves to the lease's end (as notices' do, see
    /// [`super::notices::LEASE_SECONDS`]), so servers sharing the database never look the
    /// same book up at once; what a lookup finds then sets the next attempt for real.
    pub async fn metadata_due(&self, now: DateTime<Utc>, limit: u64) -> StoreResult<Vec<DueBook>> {
        let lease = now + chrono::Duration::seconds(super::notices::LEASE_SECONDS);
        let mut values = vec![now.into(), super::to_i64(limit).into(), lease.into()];
        let awaiting = bind_all(
            &mut values,
            MetadataStatus::AWAITING.map(MetadataStatus::as_str),
        );
        let skip_locked = match self.writer.get_database_backend() {
            sea_orm::DbBackend::Postgres => " FOR UPDATE SKIP LOCKED",
            _ => "",
        };
        let rows = self
            .writer
            .query_all_raw(self.stmt(
                &format!(
                    "UPDATE books SET metadata_next_attempt_at = $3 WHERE isbn IN (\
                     SELECT isbn FROM books WHERE metadata_status IN ({awaiting}) \
                     AND (metadata_next_attempt_at IS NULL OR metadata_next_attempt_at <= $1) \
                     ORDER BY metadata_next_attempt_at LIMIT $2{skip_locked}) \
                     RETURNING isbn, CAST(metadata_attempts AS BIGINT) AS attempts"
                ),
                values,
            ))
            .await?;
        let mut due = rows
            .into_iter()
            .map(|r| {
                Ok(DueBook {
                    isbn: convert::isbn(&r.try_get::<String>("", "isbn")?)?,
                    attempts: convert::count(r.try_get::<i64>("", "attempts")?)?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        due.sort_by(|a, b| a.isbn.as_str().cmp(b.isbn.as_str()));
        Ok(due)
    }

    /// Writes book details: from a fetch (`Fetched`, never over a hand edit) or by hand
    /// (`Manual`). Absent fields keep their value. Returns whether the book was changed.
    pub async fn write_book_details(
        &self,
        isbn: &Isbn,
        details: &BookDetails,
        status: MetadataStatus,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let fetched = status == MetadataStatus::Fetched;
        let mut values: Vec<Value> = vec![
            details.title.clone().into(),
            details.subtitle.clone().into(),
            details.authors.clone().into(),
            details.publisher.clone().into(),
            details.publication_year.into(),
            details.language.clone().into(),
            details.page_count.into(),
            details.subjects.clone().into(),
            details.age_band.clone().into(),
            details.description.clone().into(),
            details.cover_url.clone().into(),
            status.as_str().into(),
            now.into(),
            i32::from(fetched).into(),
            isbn.as_str().into(),
            details.work.clone().into(),
        ];
        // A fetch never overwrites a hand edit.
        let guard = if fetched {
            let manual = bind(&mut values, MetadataStatus::Manual.as_str());
            format!(" AND metadata_status <> {manual}")
        } else {
            String::new()
        };
        let txn = self.begin_write().await?;
        let changed = txn
            .query_one_raw(self.stmt(
                &format!(
                    "UPDATE books SET title = COALESCE($1, title), subtitle = COALESCE($2, subtitle), \
                     authors = COALESCE($3, authors), publisher = COALESCE($4, publisher), \
                     publication_year = COALESCE($5, publication_year), language = COALESCE($6, language), \
                     page_count = COALESCE($7, page_count), subjects = COALESCE($8, subjects), \
                     age_band = COALESCE($9, age_band), description = COALESCE($10, description), \
                     cover_url = COALESCE($11, cover_url), work = COALESCE($16, work), \
                     metadata_status = $12, metadata_error = NULL, \
                     metadata_next_attempt_at = NULL, updated_at = $13, \
                     metadata_attempts = metadata_attempts + $14, \
                     metadata_fetched_at = CASE WHEN $14 = 1 THEN $13 ELSE metadata_fetched_at END \
                     WHERE isbn = $15{guard} RETURNING isbn"
                ),
                values,
            ))
            .await?;
        if changed.is_none() {
            txn.rollback().await?;
            return Ok(false);
        }
        outbox::record(&txn, [isbn.as_str()], now).await?;
        txn.commit().await?;
        Ok(true)
    }

    /// Records a fetch that found nothing or failed, and when to try again. A book that was
    /// fetched or edited meanwhile is left alone.
    pub async fn record_metadata_miss(
        &self,
        isbn: &Isbn,
        status: MetadataStatus,
        reason: &str,
        next_attempt: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut values = vec![
            status.as_str().into(),
            reason.chars().take(500).collect::<String>().into(),
            next_attempt.into(),
            now.into(),
            isbn.as_str().into(),
        ];
        let awaiting = bind_all(
            &mut values,
            MetadataStatus::AWAITING.map(MetadataStatus::as_str),
        );
        self.db
            .execute_raw(self.stmt(
                &format!(
                    "UPDATE books SET metadata_status = $1, metadata_error = $2, \
                     metadata_attempts = metadata_attempts + 1, metadata_next_attempt_at = $3, \
                     updated_at = $4 WHERE isbn = $5 AND metadata_status IN ({awaiting})"
                ),
                values,
            ))
            .await?;
        Ok(())
    }
}
