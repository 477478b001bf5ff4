//! Applies the search change log to this process's index (see `app::indexing`).

use std::time::Duration;

use super::{Job, Round};
use crate::app::{Bookbridge, Happened};
use crate::config::Config;

/// Follows the change log into the search index, and records how far it got under this
/// server's name.
#[derive(Debug, Clone)]
pub struct IndexChanges {
    /// This server's name among those sharing the database.
    pub instance: String,
    /// Whether this run has recorded its progress once (a server that has nothing to
    /// apply must still be counted before any pruning).
    recorded: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl IndexChanges {
    /// The name for the index in `index_dir`: `configured` when given, else one kept in the
    /// folder (made at random the first time), so a server keeps its name across restarts.
    pub fn named(configured: &str, index_dir: &std::path::Path) -> std::io::Result<Self> {
        if !configured.trim().is_empty() {
            return Ok(IndexChanges {
                instance: configured.trim().to_owned(),
                recorded: Default::default(),
            });
        }
        let file = index_dir.join("instance-name");
        let instance = match std::fs::read_to_string(&file) {
            Ok(name) if !name.trim().is_empty() => name.trim().to_owned(),
            _ => {
                use rand_core::RngCore;
                let mut bytes = [0u8; 8];
                rand_core::OsRng.fill_bytes(&mut bytes);
                let name = format!("index-{}", hex::encode(bytes));
                std::fs::create_dir_all(index_dir)?;
                std::fs::write(&file, &name)?;
                name
            }
        };
        Ok(IndexChanges {
            instance,
            recorded: Default::default(),
        })
    }
}

impl Job for IndexChanges {
    const NAME: &'static str = "search index";
    const FOLLOWS: &'static [Happened] = &[Happened::CatalogueChanged];

    fn from_config(config: &Config) -> anyhow::Result<Option<Self>> {
        let folder = std::path::Path::new(&config.index_dir);
        Ok(Some(IndexChanges::named(&config.index_instance, folder)?))
    }

    fn gather(&self) -> Duration {
        // the need shown in search lags a pledge by at most this.
        Duration::from_millis(50)
    }

    fn poll(&self) -> Duration {
        // Other processes sharing the database (the CLI's import, a second server) only
        // show up in the log: look often, it is one cheap query.
        Duration::from_millis(200)
    }

    async fn run(&self, app: &Bookbridge) -> anyhow::Result<Round> {
        use std::sync::atomic::Ordering;
        if app.catch_up_index().await? > 0 || !self.recorded.load(Ordering::Relaxed) {
            app.record_index_progress(&self.instance).await?;
            self.recorded.store(true, Ordering::Relaxed);
        }
        Ok(Round::Idle)
    }
}
