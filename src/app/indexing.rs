//! Keeping the search index a faithful projection of the database.
//!
//! Every change that matters to search writes the book's ISBN to the change log in the same
//! transaction. [`Bookbridge::catch_up_index`] reads the log after the sequence the index last
//! committed (kept in the index's commit payload), re-derives those books' documents from the
//! database, and commits them in one batch. A crash anywhere loses nothing: the log and the
//! books are in the database, and the next start resumes from the payload. The job that calls
//! it is `jobs::indexer`.

use std::sync::Arc;
use std::time::Duration;

use index::{BookDoc, Catalogue, IndexError};

use super::{Bookbridge, Happened};
use crate::domain::error::{DomainError, DomainResult};
use crate::domain::search::search_document;

/// Change-log rows read per batch (one index commit each).
const BATCH: u64 = 10_000;
/// Change-log rows a catch-up applies between commits.
const COMMIT_EVERY: u64 = 100_000;
/// Books read per page while rebuilding.
const REBUILD_PAGE: u64 = 10_000;

/// Where the index stands against the change log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct IndexProgress {
    /// Last change-log sequence in the index.
    pub applied_seq: i64,
    /// Newest sequence in the log.
    pub head_seq: i64,
}

fn index_failed(err: IndexError) -> DomainError {
    DomainError::Internal(format!("search index: {err}"))
}

async fn on_index<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, IndexError> + Send + 'static,
) -> DomainResult<T> {
    super::blocking(f).await?.map_err(index_failed)
}

impl Bookbridge {
    /// Applies every change-log entry the index has not seen. Returns how many were applied.
    pub async fn catch_up_index(&self) -> DomainResult<u64> {
        let mut from = self
            .catalogue
            .applied_seq()
            .map_err(index_failed)?
            .unwrap_or(0);
        let mut applied = 0;
        let mut uncommitted = 0;
        let mut staging: Option<tokio::task::JoinHandle<Result<(), IndexError>>> = None;
        loop {
            // Read the next batch from the database while the index takes in the last one:
            // the two halves of a catch-up run on two cores, not one after the other.
            let batch = self.change_batch(from).await;
            if let Some(previous) = staging.take() {
                previous
                    .await
                    .map_err(|e| DomainError::Internal(e.to_string()))?
                    .map_err(index_failed)?;
            }
            let Some((docs, deleted, last, count)) = batch? else {
                if uncommitted > 0 {
                    let catalogue = self.catalogue.clone();
                    on_index(move || catalogue.commit(from)).await?;
                }
                return Ok(applied);
            };
            applied += count;
            uncommitted += count;
            from = last;
            let catalogue = self.catalogue.clone();
            if uncommitted >= COMMIT_EVERY {
                // Commit (and show searches) every so often: a commit writes segments out.
                uncommitted = 0;
                staging = Some(tokio::task::spawn_blocking(move || {
                    catalogue.apply(&docs, &deleted, last)
                }));
            } else {
                staging = Some(tokio::task::spawn_blocking(move || {
                    catalogue.stage(&docs, &deleted)
                }));
            }
        }
    }

    /// The change-log batch after `from`, as documents to upsert and ISBNs to remove, with
    /// its last sequence number and size; `None` when the log holds nothing newer.
    async fn change_batch(
        &self,
        from: i64,
    ) -> DomainResult<Option<(Vec<BookDoc>, Vec<String>, i64, u64)>> {
        let Some(changed) = self.store.changed_books(from, BATCH).await? else {
            return Ok(None);
        };
        let docs: Vec<BookDoc> = changed.books.iter().map(search_document).collect();
        Ok(Some((
            docs,
            changed.gone,
            changed.last_seq,
            changed.entries,
        )))
    }

    /// Merges the index's segments into one (after a bulk import); returns how many there
    /// were.
    pub async fn compact_index(&self) -> DomainResult<usize> {
        let catalogue = self.catalogue.clone();
        on_index(move || catalogue.compact()).await
    }

    /// Rebuilds the index from the database. The change-log head is read first, so changes
    /// made during the rebuild are applied again afterwards (applying is idempotent).
    pub async fn rebuild_index(&self) -> DomainResult<u64> {
        let head = self.store.outbox_head().await?;
        let needs = self.store.all_needs().await?;
        let catalogue = self.catalogue.clone();
        on_index(move || catalogue.clear()).await?;
        let mut after: Option<String> = None;
        let mut total = 0;
        loop {
            let page = self
                .store
                .book_needs_page(after.as_deref(), REBUILD_PAGE, &needs)
                .await?;
            let Some(last) = page.last() else { break };
            after = Some(last.book.isbn.as_str().to_owned());
            total += page.len() as u64;
            let docs: Vec<BookDoc> = page.iter().map(search_document).collect();
            let catalogue = self.catalogue.clone();
            on_index(move || catalogue.add_unchecked(&docs)).await?;
        }
        let catalogue = self.catalogue.clone();
        on_index(move || catalogue.commit(head)).await?;
        Ok(total)
    }

    /// The index against the log.
    pub async fn index_progress(&self) -> DomainResult<IndexProgress> {
        Ok(IndexProgress {
            applied_seq: self
                .catalogue
                .applied_seq()
                .map_err(index_failed)?
                .unwrap_or(0),
            head_seq: self.store.outbox_head().await?,
        })
    }

    /// Waits until the index reflects every change made so far, or `timeout` passes (real
    /// time: this waits for the indexer job, not for a rule). Returns whether it caught up.
    pub async fn wait_for_index(&self, timeout: Duration) -> DomainResult<bool> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let progress = self.index_progress().await?;
            if progress.applied_seq >= progress.head_seq {
                return Ok(true);
            }
            if tokio::time::Instant::now() >= deadline {
                return Ok(false);
            }
            self.happened(Happened::CatalogueChanged);
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The catalogue, for the CLI's reindex and for benchmarks.
    pub fn catalogue(&self) -> &Arc<Catalogue> {
        &self.catalogue
    }
}
