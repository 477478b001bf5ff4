//! Keeps tables small: dead sessions, the change log below what every server's index has
//! applied, and notices handled long ago (see `app::housekeeping`).
//!
//! Every server sharing the database runs it, harmlessly: each round is deletes of rows
//! past a date, which two servers may run at once with the same result.

use std::time::Duration;

use super::{Job, Round};
use crate::app::{Bookbridge, Happened};
use crate::config::Config;

/// Prunes every so often.
#[derive(Debug, Clone, Copy)]
pub struct Housekeeping;

impl Job for Housekeeping {
    const NAME: &'static str = "housekeeping";
    const FOLLOWS: &'static [Happened] = &[Happened::ClockMoved];

    fn from_config(_config: &Config) -> anyhow::Result<Option<Self>> {
        Ok(Some(Housekeeping))
    }

    fn poll(&self) -> Duration {
        Duration::from_secs(60 * 60)
    }

    async fn run(&self, app: &Bookbridge) -> anyhow::Result<Round> {
        let pruned = app.housekeep().await?;
        if pruned.sessions + pruned.change_log + pruned.notices > 0 {
            log::info!(
                "pruned {} dead sessions, {} change-log rows, {} old notices",
                pruned.sessions,
                pruned.change_log,
                pruned.notices
            );
        }
        Ok(Round::Idle)
    }
}
