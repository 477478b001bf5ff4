//! Applies the search change log to this process's index (see `app::indexing`).

use std::time::Duration;

use super::{Job, Round};
use crate::app::{Bookbridge, Wake};

/// Follows the change log into the search index.
#[derive(Debug, Clone, Copy)]
pub struct IndexChanges;

impl Job for IndexChanges {
    const NAME: &'static str = "search index";
    const WAKE: Wake = Wake::SearchIndex;

    fn poll(&self) -> Duration {
        // Other processes sharing the database (the CLI's import, a second server) only
        // show up in the log: look often, it is one cheap query.
        Duration::from_millis(200)
    }

    async fn run(&self, app: &Bookbridge) -> anyhow::Result<Round> {
        app.catch_up_index().await?;
        Ok(Round::Idle)
    }
}
