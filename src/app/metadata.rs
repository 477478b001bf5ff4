//! Book metadata: which books are due for a lookup, and recording what a lookup found.
//! The lookups themselves run in `jobs::metadata`, so no request ever waits on Open Library.

use super::{Bookbridge, Happened};
use crate::domain::error::DomainResult;
use crate::domain::metadata::{retry_after_failure, LookupOutcome};
use crate::domain::model::MetadataStatus;
use crate::store::DueBook;

impl Bookbridge {
    /// Up to `limit` books whose metadata lookup is due now, oldest first.
    pub async fn metadata_due(&self, limit: u64) -> DomainResult<Vec<DueBook>> {
        Ok(self.store.metadata_due(self.now(), limit).await?)
    }

    /// Records what a lookup of `book` found: the details, or when to ask again.
    pub async fn record_metadata(
        &self,
        book: &DueBook,
        outcome: LookupOutcome,
        not_found_retry: chrono::Duration,
    ) -> DomainResult<()> {
        let now = self.now();
        match outcome {
            LookupOutcome::Found(details) => {
                if self
                    .store
                    .write_book_details(&book.isbn, &details, MetadataStatus::Fetched, now)
                    .await?
                {
                    self.happened(Happened::CatalogueChanged);
                }
            }
            LookupOutcome::NotFound => {
                self.store
                    .record_metadata_miss(
                        &book.isbn,
                        MetadataStatus::NotFound,
                        "Open Library does not know this ISBN",
                        now + not_found_retry,
                        now,
                    )
                    .await?;
            }
            LookupOutcome::Failed(reason) => {
                log::warn!("metadata for {} failed: {reason}", book.isbn);
                self.store
                    .record_metadata_miss(
                        &book.isbn,
                        MetadataStatus::Failed,
                        &reason,
                        now + retry_after_failure(book.attempts),
                        now,
                    )
                    .await?;
            }
        }
        Ok(())
    }
}
