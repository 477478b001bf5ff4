//! Deletes sessions that have expired or were signed out, so the table holds only live ones.

use std::time::Duration;

use super::{Job, Round};
use crate::app::{Bookbridge, Wake};

/// Prunes dead sessions every so often.
#[derive(Debug, Clone, Copy)]
pub struct PruneSessions;

impl Job for PruneSessions {
    const NAME: &'static str = "session pruning";
    const WAKE: Wake = Wake::Housekeeping;

    fn poll(&self) -> Duration {
        Duration::from_secs(60 * 60)
    }

    async fn run(&self, app: &Bookbridge) -> anyhow::Result<Round> {
        let pruned = app.prune_sessions().await?;
        if pruned > 0 {
            log::info!("pruned {pruned} dead sessions");
        }
        Ok(Round::Idle)
    }
}
