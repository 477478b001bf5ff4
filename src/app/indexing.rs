//! Keeping the search index a faithful projection of the database.
//!
//! Every change that matters to search writes the book's ISBN to the change log in the same
//! transaction. [`Bookbridge::catch_up_index`] reads the log after the sequence the index last
//! committed (kept in the index's commit payload), re-derives those books' documents from the
//! database, and commits them in one batch. A crash anywhere loses nothing: the log and the
//! books are in the database, and the next start resumes from the payload. The job that calls
//! it is `jobs::indexer`.
//!
//! A catalogue import adds the documents of books new to the catalogue as it writes them
//! (made from the imported records: reading a million books back was most of an import's
//! time) and marks their change-log entries as [`Staged`]; a catch-up steps over those entries
//! instead of reading them back. Staged documents are in the index writer, so the commit
//! that moves the payload past their entries holds them; a crash before it loses them with
//! the marks, and the next catch-up reads those books back like any other.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
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

/// Change-log entries whose documents are already in the index writer, as runs of
/// sequence numbers (first -> last, every entry between included).
#[derive(Debug, Default)]
pub(crate) struct Staged(BTreeMap<i64, i64>);

impl Staged {
    /// Marks entries `seqs` (rising) as staged.
    fn mark(&mut self, seqs: impl IntoIterator<Item = i64>) {
        let mut run: Option<(i64, i64)> = None;
        for seq in seqs {
            run = match run {
                Some((first, last)) if seq == last + 1 => Some((first, seq)),
                Some((first, last)) => {
                    self.0.insert(first, last);
                    Some((seq, seq))
                }
                None => Some((seq, seq)),
            };
        }
        if let Some((first, last)) = run {
            self.0.insert(first, last);
        }
    }

    /// The last entry of the staged run holding `seq`, forgetting runs before it.
    fn run_holding(&mut self, seq: i64) -> Option<i64> {
        let last = self
            .0
            .range(..=seq)
            .next_back()
            .and_then(|(_, &last)| (last >= seq).then_some(last));
        self.0 = self.0.split_off(&seq);
        if let Some(last) = last {
            self.0.retain(|&first, _| first > last);
        }
        last
    }

    /// Whether no entry is staged.
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The first staged entry after `seq`.
    fn next_after(&self, seq: i64) -> Option<i64> {
        self.0.range(seq + 1..).next().map(|(&first, _)| first)
    }
}

/// The index writer's turn: a catch-up, a rebuild and each batch of an import take it in
/// turn, so an import's staged entries are marked before any catch-up can meet them.
#[derive(Debug)]
pub(crate) struct IndexTurn {
    staged: tokio::sync::Mutex<Staged>,
    /// Whether this process writes the index (a command run beside a server does not: the
    /// server's index is in its own folder and its indexer reads the change log).
    owner: AtomicBool,
}

impl Default for IndexTurn {
    fn default() -> Self {
        IndexTurn {
            staged: tokio::sync::Mutex::default(),
            owner: AtomicBool::new(true),
        }
    }
}

impl Bookbridge {
    /// Leaves the search index to the server that owns it: imports made here stage nothing.
    pub fn leave_index_to_its_owner(&self) {
        self.index_turn.owner.store(false, Ordering::Relaxed);
    }

    /// Holds the index's segment merges off while an import writes (where this process owns
    /// the index); a large import merges once after (`bookbridge import books`).
    pub(super) fn hold_index_merges(&self) -> DomainResult<Option<index::MergesHeld<'_>>> {
        if !self.index_turn.owner.load(Ordering::Relaxed) {
            return Ok(None);
        }
        self.catalogue.hold_merges().map(Some).map_err(index_failed)
    }

    /// Writes imported books in one transaction and, where this process owns the index,
    /// adds the documents of the books new to the catalogue and marks their entries staged.
    pub(super) async fn write_imported(
        &self,
        batch: &[crate::store::NewBook],
    ) -> DomainResult<u64> {
        let mut staged = self.index_turn.staged.lock().await;
        let upserted = self.store.upsert_books(batch, self.now()).await?;
        if upserted.fresh.is_empty() || !self.index_turn.owner.load(Ordering::Relaxed) {
            return Ok(upserted.written);
        }
        // Of several records for one ISBN the last was written.
        let records: std::collections::HashMap<&str, &crate::store::NewBook> =
            batch.iter().map(|r| (r.isbn.as_str(), r)).collect();
        let docs: Vec<BookDoc> = upserted
            .fresh
            .iter()
            .filter_map(|(_, isbn)| records.get(isbn.as_str()))
            .map(|record| crate::domain::search::fresh_document(record))
            .collect();
        let catalogue = self.catalogue.clone();
        on_index(move || catalogue.add_unchecked(&docs)).await?;
        staged.mark(upserted.fresh.iter().map(|(seq, _)| *seq));
        Ok(upserted.written)
    }

    /// Applies every change-log entry the index has not seen. Returns how many were applied.
    pub async fn catch_up_index(&self) -> DomainResult<u64> {
        let mut staged_runs = self.index_turn.staged.lock().await;
        let mut from = self
            .catalogue
            .applied_seq()
            .map_err(index_failed)?
            .unwrap_or(0);
        let mut applied = 0;
        let mut uncommitted = 0;
        let mut staging: Option<tokio::task::JoinHandle<Result<(), IndexError>>> = None;
        loop {
            // Entries an import staged are stepped over, not read back (asked only while
            // an import has staged some: a catch-up after a pledge pays no extra query).
            let next = if staged_runs.is_empty() {
                None
            } else {
                self.store.outbox_next(from).await?
            };
            if let Some(next) = next {
                if let Some(last) = staged_runs.run_holding(next) {
                    let stepped = u64::try_from(last - next + 1).unwrap_or(0);
                    applied += stepped;
                    uncommitted += stepped;
                    from = last;
                    continue;
                }
            }
            // Read the next batch from the database while the index takes in the last one:
            // the two halves of a catch-up run on two cores, not one after the other. A
            // batch stops short of the next staged run.
            let limit = staged_runs.next_after(from).map_or(BATCH, |first| {
                BATCH.min(u64::try_from(first - from - 1).unwrap_or(0))
            });
            let batch = self.change_batch(from, limit.max(1)).await;
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
        limit: u64,
    ) -> DomainResult<Option<(Vec<BookDoc>, Vec<String>, i64, u64)>> {
        let Some(changed) = self.store.changed_books(from, limit).await? else {
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
        // Clearing the index drops what imports staged: their entries are read back.
        let mut staged = self.index_turn.staged.lock().await;
        *staged = Staged::default();
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

#[cfg(test)]
mod tests {
    use super::Staged;

    #[test]
    fn staged_entries_are_runs_stepped_over_once() {
        let mut staged = Staged::default();
        staged.mark([5, 6, 7, 9, 10]);
        staged.mark([20]);
        assert_eq!(staged.next_after(0), Some(5));
        assert_eq!(staged.run_holding(4), None, "entry 4 is read back");
        // A batch read back 5: the rest of the run is stepped over.
        assert_eq!(staged.run_holding(6), Some(7));
        assert_eq!(staged.next_after(7), Some(9));
        assert_eq!(staged.run_holding(9), Some(10));
        assert_eq!(staged.run_holding(15), None);
        assert_eq!(staged.next_after(15), Some(20));
        assert_eq!(staged.run_holding(21), None, "a run passed by is forgotten");
        assert_eq!(staged.next_after(0), None);
    }
}
