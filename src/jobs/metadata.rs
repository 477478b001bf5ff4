//! Fills in book metadata from Open Library in the background, a round of due books at a
//! time, so no request ever waits on the network.

use std::sync::Arc;
use std::time::Duration;

use super::{Job, Round};
use crate::app::{Bookbridge, Happened};
use crate::config::Config;
use crate::metadata::OpenLibrary;

/// Books looked up per round (the client caps requests in flight and per minute).
const ROUND: u64 = 16;

/// Looks up the books whose metadata is due and records each outcome.
#[derive(Debug, Clone)]
pub struct FetchMetadata {
    client: Arc<OpenLibrary>,
    not_found_retry: chrono::Duration,
}

impl FetchMetadata {
    /// The job with the configured Open Library client.
    pub fn new(config: &Config) -> Result<Self, reqwest::Error> {
        Ok(Self::with_client(
            Arc::new(OpenLibrary::new(config.openlibrary())?),
            config.not_found_retry(),
        ))
    }

    /// The job with a given client.
    pub fn with_client(client: Arc<OpenLibrary>, not_found_retry: chrono::Duration) -> Self {
        FetchMetadata {
            client,
            not_found_retry,
        }
    }

    /// One round: looks up every due book (concurrently, within the client's limits) and
    /// records what came back. Returns how many books were tried.
    pub async fn fetch_due(&self, app: &Bookbridge) -> anyhow::Result<usize> {
        let due = app.metadata_due(ROUND).await?;
        let mut lookups = tokio::task::JoinSet::new();
        for book in due {
            let client = self.client.clone();
            lookups.spawn(async move {
                let outcome = client.lookup(&book.isbn).await;
                (book, outcome)
            });
        }
        let mut tried = 0;
        while let Some(done) = lookups.join_next().await {
            let Ok((book, outcome)) = done else { continue };
            tried += 1;
            app.record_metadata(&book, outcome.into(), self.not_found_retry)
                .await?;
        }
        Ok(tried)
    }
}

impl Job for FetchMetadata {
    const NAME: &'static str = "metadata";
    const FOLLOWS: &'static [Happened] = &[Happened::BookAdded];

    fn from_config(config: &Config) -> anyhow::Result<Option<Self>> {
        if !config.metadata_enabled {
            return Ok(None);
        }
        Ok(Some(FetchMetadata::new(config)?))
    }

    fn poll(&self) -> Duration {
        Duration::from_millis(500)
    }

    async fn run(&self, app: &Bookbridge) -> anyhow::Result<Round> {
        Ok(if self.fetch_due(app).await? > 0 {
            Round::More
        } else {
            Round::Idle
        })
    }
}
