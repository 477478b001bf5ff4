//! Filling in book metadata in the background, so no request ever waits on Open Library.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;

use super::books::BookDetails;
use super::error::DomainResult;
use super::model::MetadataStatus;
use super::Bookbridge;
use crate::metadata::{BookMetadata, Lookup, OpenLibrary};

/// Books fetched per round.
const ROUND: u64 = 16;
/// How often the worker looks for due books when nobody pokes it.
const POLL: Duration = Duration::from_millis(500);

/// When to try again after a failure: 1 minute, then 4x longer each time, at most a day.
pub fn retry_after_failure(attempts_before: u32) -> chrono::Duration {
    let minutes = 4i64.saturating_pow(attempts_before.min(8)).min(24 * 60);
    chrono::Duration::minutes(minutes)
}

impl From<BookMetadata> for BookDetails {
    fn from(m: BookMetadata) -> Self {
        BookDetails {
            title: Some(m.title),
            subtitle: m.subtitle,
            authors: m.authors,
            publisher: m.publisher,
            publication_year: m.publication_year,
            language: None,
            page_count: m.page_count,
            subjects: m.subjects,
            age_band: None,
            description: m.description,
            cover_url: m.cover_url,
        }
    }
}

impl Bookbridge {
    /// Fetches metadata for the books that are due, a round at a time, and records each
    /// outcome. Returns how many books were tried.
    pub async fn fetch_due_metadata(
        &self,
        client: &Arc<OpenLibrary>,
        not_found_retry: chrono::Duration,
    ) -> DomainResult<usize> {
        let due = self.store.metadata_due(Utc::now(), ROUND).await?;
        let mut lookups = tokio::task::JoinSet::new();
        for book in due {
            let client = client.clone();
            lookups.spawn(async move {
                let outcome = client.lookup(&book.isbn).await;
                (book, outcome)
            });
        }
        let mut tried = 0;
        while let Some(done) = lookups.join_next().await {
            let Ok((book, outcome)) = done else { continue };
            tried += 1;
            let now = Utc::now();
            match outcome {
                Lookup::Found(found) => {
                    let details = BookDetails::from(found);
                    if self
                        .store
                        .write_book_details(&book.isbn, &details, MetadataStatus::Fetched, now)
                        .await?
                    {
                        self.index_soon();
                    }
                }
                Lookup::NotFound => {
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
                Lookup::Failed(reason) => {
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
        }
        Ok(tried)
    }

    /// Pokes the metadata worker after a book was added that needs metadata.
    pub(super) fn fetch_metadata_soon(&self) {
        self.metadata_wanted.notify_one();
    }
}

/// Runs the metadata worker until the service is dropped (it holds the service only for
/// one round at a time; waiting holds only its poke).
pub fn spawn_metadata_worker(
    service: &Bookbridge,
    client: Arc<OpenLibrary>,
    not_found_retry: chrono::Duration,
) -> tokio::task::JoinHandle<()> {
    let weak = service.downgrade();
    let poked = service.metadata_wanted.clone();
    tokio::spawn(async move {
        loop {
            let round = {
                let Some(service) = weak.upgrade() else {
                    return;
                };
                service.fetch_due_metadata(&client, not_found_retry).await
            };
            match round {
                Ok(n) if n > 0 => continue,
                Ok(_) => {}
                Err(err) => log::error!("metadata worker: {err}"),
            }
            tokio::select! {
                _ = poked.notified() => {}
                _ = tokio::time::sleep(POLL) => {}
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_back_off_to_at_most_a_day() {
        assert_eq!(retry_after_failure(0), chrono::Duration::minutes(1));
        assert_eq!(retry_after_failure(1), chrono::Duration::minutes(4));
        assert_eq!(retry_after_failure(2), chrono::Duration::minutes(16));
        assert_eq!(retry_after_failure(30), chrono::Duration::minutes(24 * 60));
    }
}
